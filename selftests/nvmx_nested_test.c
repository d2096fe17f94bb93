// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VMX: an L1 hypervisor (guest_l1.c) runs L2 with VMLAUNCH and
 * VMRESUME. L2's exits that L1 asked for reach L1 with the right reason
 * and qualification, and L1 resumes L2 where it was; the ones it did not
 * ask for are L0's and L2 never notices; VM entries fail with the
 * VMfailValid error or the VM-entry failure exit the SDM gives.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "guest_l1.h"
#include "lib.h"
#include "libnvmx.h"
#include "vmm_harness.h"
#include "../src/stats_file.h"

#define FAIL_MARK		0xfa11
#define REGION_SIZE		0x10000ULL
#define CR4_PCE			(1ULL << 8)
#define CR4_OSXMMEXCPT		(1ULL << 10)
#define MSR_KERNEL_GS_BASE	0xc0000102
/* OUT of a byte to port 0x80, immediate operand (SDM, I/O qualification) */
#define IO_QUAL_OUT80		((0x80ULL << 16) | (1 << 6))

FIXTURE(nested) {
	struct vm vm;
	struct vcpu vcpu;
	__u64 junk;
};

FIXTURE_SETUP(nested)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	VCPU_OK(&self->vcpu, vcpu_open(&self->vm, &self->vcpu, 0));
	ASSERT_EQ(0, ioctl(self->vm.fd, NVMX_SET_EXPOSE_VMX, 1UL));
}

FIXTURE_TEARDOWN(nested)
{
	vcpu_close(&self->vcpu);
	vm_close(&self->vm);
}

static struct nvmx_stats stats(struct vcpu *v)
{
	struct nvmx_stats s = { 0 };

	ioctl(v->fd, NVMX_GET_STATS, &s);
	return s;
}

/*
 * L2's CPUID, OUT and HLT reach L1, which emulates them; then 10,000
 * VMCALL round trips in which L1 checks L2's RAX and L2 checks L1's.
 */
TEST_F(nested, l1_handles_l2_exits_and_resumes_it)
{
	struct vcpu *v = &self->vcpu;
	const __u64 n = 10000;
	struct nvmx_vmx_caps caps;
	struct nvmx_stats s;

	VCPU_START(v, l1_test_round_trips, n, 0);
	VCPU_REPORT(v, EXIT_CPUID);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, IO_QUAL_OUT80);
	VCPU_REPORT(v, EXIT_HLT);
	VCPU_REPORT(v, 0x11ULL << 32 | 0x22);	/* what L2's CPUID returned */
	VCPU_REPORT(v, n);
	VCPU_REPORT(v, 0);			/* L1 saw no wrong RAX */
	VCPU_REPORT(v, 0);			/* nor did L2 */
	VCPU_RUN(v, NVMX_EXIT_HLT);
	s = stats(v);
	EXPECT_EQ(n + 3, s.nested_entries);
	EXPECT_EQ(n + 3, s.nested_exits);
	EXPECT_GE(s.l2_exits, s.nested_exits);
	TH_LOG("%llu round trips: %llu L0 exits, %llu of them L2's, %llu reflected",
	       (unsigned long long)n, (unsigned long long)s.exits,
	       (unsigned long long)s.l2_exits,
	       (unsigned long long)s.nested_exits);
	/*
	 * Each round trip: L2's VMCALL, then L1's VMREADs of the exit
	 * reason, instruction length and RIP, its VMWRITEs of RIP, HOST_RSP
	 * and HOST_RIP, and VMRESUME. With VMCS shadowing only the VMCALL and
	 * the VMRESUME exit (plus L0's 1 ms timer slices).
	 */
	ASSERT_EQ(0, nvmx_vmx_caps(self->vm.dev, &caps));
	if (caps.features & NVMX_FEAT_VMCS_SHADOWING) {
		EXPECT_GE(3 * n, s.exits);
	} else {
		EXPECT_GE(8 * n + n / 2, s.exits);
	}
}

/* The VMfail outcomes of VMLAUNCH and VMRESUME, in the SDM's order. */
TEST_F(nested, vmlaunch_and_vmresume_fail_as_the_sdm_says)
{
	struct vcpu *v = &self->vcpu;
	static const __u64 fails[][2] = {
		{ GUEST_RFLAGS_ZF, 5 },	/* VMRESUME of a clear VMCS */
		{ GUEST_RFLAGS_ZF, 7 },	/* 5 CR3-target values: controls */
		{ GUEST_RFLAGS_ZF, 8 },	/* HOST_CR3 too wide: host state */
	};
	unsigned int i;

	VCPU_START(v, l1_test_vmfail, 0, 0);
	for (i = 0; i < 3; i++) {
		VCPU_REPORT(v, FAIL_MARK);
		VCPU_REPORT(v, fails[i][0]);
		VCPU_REPORT(v, fails[i][1]);
		VCPU_REPORT(v, 0);
	}
	VCPU_REPORT(v, EXIT_VMCALL);		/* a VMLAUNCH that works */
	VCPU_REPORT(v, FAIL_MARK);		/* VMLAUNCH of a launched VMCS */
	VCPU_REPORT(v, GUEST_RFLAGS_ZF);
	VCPU_REPORT(v, 4);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, FAIL_MARK);		/* VMRESUME, no current VMCS */
	VCPU_REPORT(v, GUEST_RFLAGS_CF);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * Invalid guest state and a bad MSR-load list end the VM entry with an
 * exit to L1 (reason 33 or 34 with bit 31, the SDM's qualification); the
 * VMCS stays clear, so a corrected VMLAUNCH then works, and its MSR-load
 * list is applied before L2 runs; the VM-exit MSR-store and MSR-load
 * lists are applied at the exit.
 */
TEST_F(nested, vm_entry_failures_exit_to_l1)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_entry_failures, 0, 0);
	VCPU_REPORT(v, EXIT_INVALID_GUEST);	/* RFLAGS bit 15 */
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, EXIT_MSR_LOAD_FAIL);	/* FS_BASE in the list */
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, EXIT_VMCALL);		/* KERNEL_GS_BASE loaded */
	VCPU_REPORT(v, 0x1234567000ULL);
	VCPU_REPORT(v, EXIT_VMCALL);		/* and still there */
	VCPU_REPORT(v, 0x1234567000ULL);
	VCPU_REPORT(v, 0x1234567000ULL);	/* VM-exit MSR-store list */
	VCPU_REPORT(v, 0x5a5a000);		/* VM-exit MSR-load list */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * VMCS12 addresses at the edge of L1's memory: the link pointer at the
 * current VMCS, MSR lists whose second entry is not memory; a VM-exit
 * MSR-store list that cannot be written is a VMX abort: the vCPU shuts
 * down with the indicator in the VMCS12's region.
 */
TEST_F(nested, msr_lists_across_the_end_of_memory)
{
	struct vcpu *v = &self->vcpu;
	__u32 *vmcs12;
	void *mem;

	mem = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, nvmx_set_memory_region(self->vm.fd, 2, 0,
					    GUEST_HOTPLUG_GPA, REGION_SIZE,
					    mem));
	VCPU_START(v, l1_test_hostile_lists, GUEST_HOTPLUG_GPA + REGION_SIZE,
		   0);
	VCPU_REPORT(v, EXIT_INVALID_GUEST);	/* link pointer: itself */
	VCPU_REPORT(v, 4);
	VCPU_REPORT(v, EXIT_MSR_LOAD_FAIL);	/* entry 2 not memory */
	VCPU_REPORT(v, 2);
	VCPU_REPORT(v, 0xab0);
	VCPU_RUN(v, NVMX_EXIT_SHUTDOWN);
	vmcs12 = GUEST(&self->vm, l1_vmcs12);
	EXPECT_EQ(1, vmcs12[1]);		/* VMX-abort indicator */
	vcpu_close(v);		/* VMX operation ends before the region goes */
	munmap(mem, REGION_SIZE);
}

/* What L1 does not intercept, L0 handles for L2: L1 sees none of it. */
TEST_F(nested, l0_handles_what_l1_does_not_intercept)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_l0_exits, 0, 0);
	VCPU_REPORT(v, 0x12c0de);		/* L2's own OUT */
	VCPU_RUN(v, NVMX_EXIT_HLT);		/* L2's HLT */
	VCPU_REPORT(v, EXIT_VMCALL);		/* L1's first exit */
	VCPU_REPORT(v, 0x600d);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(1, stats(v).nested_exits);
}

/*
 * The CR4 guest/host mask: a MOV to CR4 changing a bit L1 owns exits to
 * L1; one changing only bits it does not own is L0's, and L2 reads the
 * new value. The MSR bitmap: a read whose bit is set is L1's, one whose
 * bit is clear is L0's.
 */
TEST_F(nested, cr4_mask_and_msr_bitmap_decide_who_handles)
{
	struct vcpu *v = &self->vcpu;
	__u64 before;

	VCPU_START(v, l1_test_cr_and_msr, 0, 0);
	VCPU_REPORT(v, EXIT_CR);
	VCPU_REPORT(v, 4);			/* CR4, MOV to CR */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_OK(v, vcpu_report(v, &before));
	EXPECT_EQ(CR4_PCE, before & CR4_PCE);	/* L2 reads the shadow */
	VCPU_REPORT(v, EXIT_VMCALL);		/* no CR exit to L1 */
	VCPU_REPORT(v, CR4_OSXMMEXCPT);		/* the bit L2 flipped */
	VCPU_REPORT(v, EXIT_RDMSR);
	VCPU_REPORT(v, MSR_KERNEL_GS_BASE);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0x5151);			/* what L1 returned */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0);			/* L2's GS base, from L0 */
	VCPU_REPORT(v, EXIT_WRMSR);
	VCPU_REPORT(v, MSR_KERNEL_GS_BASE);
	VCPU_REPORT(v, 0x4242);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * Nested EPT: L2 sees the L1 pages EPT12 maps, a remap takes effect after
 * INVEPT, and accesses EPT12 refuses are L1's EPT violations (with the
 * access and the rights in the qualification, and L2's guest-physical
 * address) or misconfigurations.
 */
TEST_F(nested, l2_runs_on_l1s_ept)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_ept, 0, 0);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0xa0a0);			/* l1_data[0], not l2_window */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0xb1b1);			/* remapped */
	VCPU_REPORT(v, 48);			/* write to a read-only page */
	VCPU_REPORT(v, 0x2 | 0x8 | 0x20);	/* write; readable, executable */
	VCPU_REPORT(v, 8);
	VCPU_REPORT(v, EXIT_VMCALL);		/* writable again */
	VCPU_REPORT(v, 0x77);
	VCPU_REPORT(v, 0x77);			/* in l1_data[1] */
	VCPU_REPORT(v, 48);			/* read of a page not present */
	VCPU_REPORT(v, 0x1);
	VCPU_REPORT(v, 16);
	VCPU_REPORT(v, 49);			/* now a write-only entry */
	VCPU_OK(v, vcpu_report(v, &self->junk));	/* no qualification */
	VCPU_REPORT(v, 16);
	VCPU_REPORT(v, 0x1111);			/* L1's own page untouched */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * A table of invalid controls, host state and guest state (guest_l1.c),
 * each with the outcome the SDM gives: VMfailValid 7 or 8, or a VM-entry
 * failure exit with its qualification.
 */
TEST_F(nested, invalid_vmcs12_settings_fail_as_the_sdm_says)
{
	struct vcpu *v = &self->vcpu;
	unsigned int i;
	__u64 val;

	for (i = 0; i < l1_bad_case_count; i++) {
		const struct l1_bad_case *c = &l1_bad_cases[i];

		TH_LOG("%s", c->what);
		VCPU_START(v, l1_test_bad_case, i, 0);
		if (c->error) {
			VCPU_REPORT(v, FAIL_MARK);
			VCPU_REPORT(v, GUEST_RFLAGS_ZF);
			VCPU_REPORT(v, c->error);
			VCPU_REPORT(v, 0);
			VCPU_OK(v, vcpu_report(v, &val));
		} else {
			VCPU_REPORT(v, c->reason);
			VCPU_REPORT(v, c->qual);
		}
		VCPU_RUN(v, NVMX_EXIT_HLT);
	}
}

/*
 * An interrupt or NMI that userspace raises while L2 runs goes to L1 as
 * a VM exit when L1 intercepts it; with "acknowledge interrupt on exit"
 * the vector comes with the exit.
 */
TEST_F(nested, interrupts_and_nmis_for_l1_exit_from_l2)
{
	struct vcpu *v = &self->vcpu;
	int ret;

	VCPU_START(v, l1_test_events, 0, 0);
	VCPU_REPORT(v, 0x5b1);			/* L2 runs */
	ASSERT_EQ(0, nvmx_interrupt(v->fd, 0x40));
	VCPU_REPORT(v, 1);			/* external interrupt */
	VCPU_REPORT(v, 0x80000040);		/* valid, vector 0x40 */
	VCPU_REPORT(v, 0x5b1);			/* L2 resumed */
	ret = nvmx_nmi(v->fd);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "the CPU has no virtual NMIs");
	ASSERT_EQ(0, ret);
	VCPU_REPORT(v, 0);			/* exception or NMI */
	VCPU_REPORT(v, 0x80000202);		/* valid, NMI, vector 2 */
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(2, stats(v).nested_exits);
}

/*
 * An interrupt the host raises while L2 runs, which L1 does not
 * intercept, is delivered to L2 through L2's IDT.
 */
TEST_F(nested, interrupts_l1_does_not_intercept_go_to_l2)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_l2_interrupts, 0, 0);
	VCPU_REPORT(v, 0x5b1);			/* L2 runs, IF set */
	ASSERT_EQ(0, nvmx_interrupt(v->fd, 0x30));
	VCPU_REPORT(v, EXIT_VMCALL);		/* from L2's handler */
	VCPU_REPORT(v, 0x3030);
	VCPU_REPORT(v, 0x5b1);			/* L2 back in its loop */
	EXPECT_EQ(1, stats(v).nested_exits);
}

/*
 * L2's exceptions go to L1 exactly when its exception bitmap says so,
 * with the interruption information of the SDM (hardware exception #UD,
 * software exception #BP with its instruction length); the monitor trap
 * flag makes L2 exit after one instruction.
 */
TEST_F(nested, l1s_exception_bitmap_and_mtf)
{
	struct vcpu *v = &self->vcpu;
	__u64 val;

	VCPU_START(v, l1_test_exceptions, 0, 0);
	VCPU_REPORT(v, 0);			/* exception or NMI */
	VCPU_REPORT(v, 0x80000306);		/* valid, hardware, #UD */
	VCPU_REPORT(v, 0);			/* at the UD2 */
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0x80000603);		/* valid, software, #BP */
	VCPU_REPORT(v, 1);			/* INT3's length */
	VCPU_OK(v, vcpu_report(v, &val));
	if (val == 0xdead)
		SKIP(return, "the CPU has no monitor trap flag");
	EXPECT_EQ(37, val);			/* monitor trap flag */
	VCPU_REPORT(v, 4);			/* after one NOP */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * A hostile L1: bitmaps where it has no memory read as all ones (its
 * exits); its VMCS12 overwritten in memory while current changes nothing
 * (nvmx works on its copy, as the SDM allows).
 */
TEST_F(nested, hostile_bitmaps_and_vmcs12_memory)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_hostile, 0, 0);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, 0x80);			/* the port */
	VCPU_REPORT(v, EXIT_RDMSR);
	VCPU_REPORT(v, 0xc0000101);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 1);			/* GUEST_RSP not the junk */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * Event injection from VMCS12: an external interrupt and a hardware
 * exception are delivered through L2's IDT, and the valid bit of the
 * entry's interruption information is clear after the next exit.
 */
TEST_F(nested, l1_injects_events_into_l2)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_inject, 0, 0);
	VCPU_REPORT(v, EXIT_VMCALL);		/* L2 runs */
	VCPU_REPORT(v, EXIT_VMCALL);		/* its vector 0x30 handler */
	VCPU_REPORT(v, 0x3030);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, EXIT_VMCALL);		/* its #UD handler */
	VCPU_REPORT(v, 0x0606);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, EXIT_VMCALL);		/* back in its loop */
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * An event whose delivery to L2 an exit interrupts is delivered again:
 * by L0 when the exit is its own (EPT02 being built), by L1 from the
 * IDT-vectoring information of the exit it gets (an EPT12 violation on
 * L2's IDT), for an injected interrupt and for L2's own INT n.
 */
TEST_F(nested, interrupted_event_delivery_is_completed_at_each_level)
{
	struct vcpu *v = &self->vcpu;
	unsigned int i;

	VCPU_START(v, l1_test_idt_vectoring, 0, 0);
	VCPU_REPORT(v, EXIT_VMCALL);		/* L2 runs */
	VCPU_REPORT(v, 0);
	for (i = 0; i < 2; i++) {
		if (i) {			/* EPT12 lacks L2's IDT */
			VCPU_REPORT(v, EXIT_EPT_VIOLATION);
			VCPU_REPORT(v, 0x80000030);
			VCPU_REPORT(v, 0x30 * 16);
			VCPU_REPORT(v, 0);
		}
		VCPU_REPORT(v, EXIT_VMCALL);	/* the 0x30 handler */
		VCPU_REPORT(v, 0x3030);
		VCPU_REPORT(v, EXIT_VMCALL);	/* back in the loop */
		VCPU_REPORT(v, 0);
	}
	VCPU_REPORT(v, EXIT_EPT_VIOLATION);	/* INT 0x30 */
	VCPU_REPORT(v, 0x80000430);
	VCPU_REPORT(v, 0x30 * 16);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 2);			/* its length */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0x3030);
	VCPU_REPORT(v, EXIT_VMCALL);		/* after the INT */
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_LT(0, stats(v).ept_faults);
}

/* Interrupt-window and NMI-window exiting that L1 sets for L2. */
TEST_F(nested, interrupt_and_nmi_windows_of_l2_exit_to_l1)
{
	const __u64 want[][2] = {
		{ EXIT_VMCALL, 0 }, { 7, 5 }, { 7, 5 }, { EXIT_VMCALL, 5 },
		{ 8, 5 },
		{ EXIT_VMCALL, (__u64)l2_nmi_iret - (__u64)l2_sti },
		{ 8, (__u64)l2_nmi_after - (__u64)l2_sti },
	};
	struct vcpu *v = &self->vcpu;
	unsigned int i;
	__u64 val;

	VCPU_START(v, l1_test_windows, 0, 0);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		VCPU_OK(v, vcpu_report(v, &val));
		if (i == 4 && val == 0xdead)
			SKIP(return, "L1's profile has no virtual NMIs or NMI-window exiting (the emulated CPU lacks them)");
		EXPECT_EQ(want[i][0], val) TH_LOG("exit %u", i);
		VCPU_OK(v, vcpu_report(v, &val));
		EXPECT_EQ(want[i][1], val) TH_LOG("exit %u", i);
	}
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * Each execution control L1 sets makes its exit reach L1, with the
 * qualification the SDM gives where it defines one; a CR3 load of the
 * CR3-target value does not exit; L2's TSC is L1's plus L1's offset.
 */
TEST_F(nested, l1s_execution_controls_make_l2_exit)
{
	static const __u64 any = ~0ULL, want[][2] = {
		{ EXIT_HLT, any }, { 14, 0x123000 },	/* INVLPG: address */
		{ 15, any }, { 16, any },		/* RDPMC, RDTSC */
		{ 29, 0x17 },				/* MOV RAX, DR7 */
		{ 40, any },				/* PAUSE */
		{ 39, any }, { 36, 0 },			/* MONITOR, MWAIT: */
		{ 46, any }, { 47, any },		/* not armed; SGDT, SLDT */
		{ 54, any }, { 51, any },		/* WBINVD, RDTSCP */
		{ EXIT_CR, 0x13 },			/* MOV RAX, CR3 */
		{ EXIT_CR, 0x03 },			/* MOV CR3, RAX */
		{ EXIT_VMCALL, any },
	};
	struct vcpu *v = &self->vcpu;
	unsigned int i;
	__u64 val;

	VCPU_START(v, l1_test_exit_controls, 0, 0);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		VCPU_REPORT(v, want[i][0]);
		VCPU_OK(v, vcpu_report(v, &val));
		if (want[i][1] != any)
			EXPECT_EQ(want[i][1], val) TH_LOG("exit %u", i);
	}
	VCPU_REPORT(v, EXIT_VMCALL);		/* RDTSC with an offset */
	VCPU_REPORT(v, 1);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * Each VPID12 has translations of its own, and L1's INVVPID (individual
 * address, single context, all contexts) drops the ones it names.
 */
TEST_F(nested, invvpid_reaches_the_translations_of_each_vpid)
{
	struct vcpu *v = &self->vcpu;
	__u64 val;

	VCPU_START(v, l1_test_vpid, 0, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	if (val == 0xdead)
		SKIP(return, "the emulated CPU has no VPID");
	EXPECT_EQ(0xa, val);
	VCPU_OK(v, vcpu_report(v, &val));	/* without INVVPID: either */
	EXPECT_TRUE(val == 0xa || val == 0xb) TH_LOG("read %#llx", val);
	VCPU_REPORT(v, 0xb);			/* individual address */
	VCPU_REPORT(v, 0xa);			/* single context */
	VCPU_REPORT(v, 0xb);			/* another VPID */
	VCPU_REPORT(v, 0xb);			/* all contexts */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * L1's exception bitmap with the #PF error-code mask and match: a read
 * fault that does not match is L2's (through its IDT), a write fault that
 * matches is L1's exit, with the error code and the address.
 */
TEST_F(nested, page_faults_go_where_the_error_code_filter_says)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_pf_filter, 0, 0);
	VCPU_REPORT(v, EXIT_VMCALL);		/* L2's #PF handler */
	VCPU_REPORT(v, 0x0e0e);
	VCPU_REPORT(v, EXIT_VMCALL);		/* the read, retried */
	VCPU_REPORT(v, 0xa);
	VCPU_REPORT(v, 0);			/* exception: L1's */
	VCPU_REPORT(v, 0x80000b0e);		/* #PF, with error code */
	VCPU_REPORT(v, 2);			/* write, not present */
	VCPU_REPORT(v, 0xc0000000ULL + 4096);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * L0 emulates L2's string I/O (L1 does not intercept it); when EPT12
 * refuses the buffer, L1 gets the EPT violation the CPU would have given
 * it, and once L1 maps the page the instruction completes.
 */
TEST_F(nested, emulation_for_l2_meets_ept12_as_the_cpu_would)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_emul_ept, 0, 0);
	VCPU_REPORT(v, EXIT_EPT_VIOLATION);
	VCPU_REPORT(v, 0x181);			/* read, linear, the page */
	VCPU_REPORT(v, 0);			/* guest-physical: the window */
	VCPU_REPORT(v, 0);			/* linear: the window */
	VCPU_REPORT(v, 2);			/* RCX: nothing moved */
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_OUT, 0x81, 1, 2));
	EXPECT_EQ(0, memcmp(vcpu_io_data(v), "AB", 2));
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0);			/* RCX after the REP */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* An L2 in real mode, which unrestricted guest allows. */
TEST_F(nested, l2_runs_in_real_mode)
{
	struct vcpu *v = &self->vcpu;
	__u64 val;

	VCPU_START(v, l1_test_real_mode, 0, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	if (val == 0xdead)
		SKIP(return, "the emulated CPU has no unrestricted guest");
	EXPECT_EQ(EXIT_IO, val);
	VCPU_REPORT(v, (0x80ULL << 16) | (1 << 6));	/* OUT imm8, byte */
	VCPU_REPORT(v, 0x1234);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, 0);				/* CR0.PE */
	VCPU_REPORT(v, EXIT_HLT);
	VCPU_REPORT(v, 10);				/* IP of the HLT */
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* TSC ticks per millisecond, measured over 50 ms of wall time. */
static __u64 tsc_per_ms(void)
{
	double t0 = monotonic_seconds(), t1;
	__u64 c0 = __builtin_ia32_rdtsc(), c1;

	do {
		t1 = monotonic_seconds();
	} while (t1 - t0 < 0.05);
	c1 = __builtin_ia32_rdtsc();
	return (c1 - c0) / ((t1 - t0) * 1000);
}

/*
 * L1's VMX-preemption timer for L2: a value of 0 exits before L2's first
 * instruction; a value worth 5 ms exits to L1 once, while L0's own 1 ms
 * slices pass under it without reaching L1; the value saved at the exit
 * is 0.
 */
TEST_F(nested, l1s_preemption_timer_for_l2)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_msr_entry misc = { 0x485, 0, 0 };
	struct nvmx_stats s;
	__u64 val, ticks;

	VCPU_START(v, l1_test_timer, 0, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	if (val == 0xdead)
		SKIP(return, "the CPU has no VMX-preemption timer");
	EXPECT_EQ(52, val);
	VCPU_REPORT(v, 0);			/* saved: expired */
	VCPU_REPORT(v, 0);			/* before L2's first instruction */
	VCPU_RUN(v, NVMX_EXIT_HLT);

	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &misc, 1));
	ticks = 5 * tsc_per_ms();
	TH_LOG("L1's timer: %llu TSC ticks, rate 2^%llu",
	       (unsigned long long)ticks, (unsigned long long)(misc.data & 31));
	s = stats(v);
	VCPU_START(v, l1_test_timer, ticks >> (misc.data & 31), 0);
	VCPU_REPORT(v, 52);
	VCPU_REPORT(v, 0);
	VCPU_OK(v, vcpu_report(v, &val));	/* somewhere in L2's loop */
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(s.nested_exits + 1, stats(v).nested_exits);
	EXPECT_LE(s.l2_exits + 3, stats(v).l2_exits);
}

/*
 * As on Hyper-V: while L1 is in VMX operation its memory can grow but
 * not shrink or change; exposing VMX alone blocks nothing.
 */
TEST_F(nested, memory_cannot_shrink_while_a_hypervisor_runs_inside)
{
	struct vcpu *v = &self->vcpu;
	int fd = self->vm.fd;
	void *mem[2];

	mem[0] = mmap(NULL, 2 * REGION_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem[0]);
	mem[1] = (char *)mem[0] + REGION_SIZE;
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[0]));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[0]));
	VCPU_START(v, l1_test_vmx_span, 0, 0);
	VCPU_REPORT(v, 1);			/* L1 is in VMX operation */
	EXPECT_EQ(-EBUSY, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
						 0, NULL));
	EXPECT_EQ(-EBUSY, nvmx_set_memory_region(fd, 2, NVMX_MEM_READONLY,
						 GUEST_HOTPLUG_GPA,
						 REGION_SIZE, mem[0]));
	EXPECT_EQ(0, nvmx_set_memory_region(fd, 3, 0,
					    GUEST_HOTPLUG_GPA + REGION_SIZE,
					    REGION_SIZE, mem[1]));
	VCPU_REPORT(v, 2);			/* VMXOFF */
	EXPECT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	EXPECT_EQ(0, nvmx_set_memory_region(fd, 3, 0,
					    GUEST_HOTPLUG_GPA + REGION_SIZE, 0,
					    NULL));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	munmap(mem[0], 2 * REGION_SIZE);
}

/*
 * With NVMX_VM_NESTED_RESIZE, regions can go while L2 runs on EPT02:
 * L2 stops seeing the old pages at once. First with L2 stopped in
 * userspace (its reports are L0's): a region replaced under it reads the
 * new memory, a region removed is MMIO; then with L2 reading in a loop
 * without exits while another thread removes the region: L2's next read
 * must be an MMIO exit.
 */
TEST_F(nested, memory_can_go_under_l2_with_nested_resize)
{
	__u64 *seen = GUEST(&self->vm, l1_resize_seen);
	__u64 gpa = GUEST_HOTPLUG_GPA + 0x100, seed = test_seed(), p[2];
	struct changer c = { .vcpu = &self->vcpu, .count = &seen[1],
			     .slot = 2, .gpa = GUEST_HOTPLUG_GPA,
			     .size = REGION_SIZE };
	struct vcpu *v = &self->vcpu;
	int fd = self->vm.fd;
	__u64 *mem[2];

	mem[0] = mmap(NULL, 2 * REGION_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem[0]);
	mem[1] = mem[0] + REGION_SIZE / 8;
	p[0] = test_rand(&seed) | 1;
	p[1] = ~p[0];
	mem[0][0x100 / 8] = p[0];
	mem[1][0x100 / 8] = p[1];
	EXPECT_EQ(0, nvmx_get_vm_flags(fd));
	EXPECT_EQ(-EINVAL, nvmx_set_vm_flags(fd, NVMX_VM_FLAGS + 1));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[0]));
	VCPU_START(v, l1_test_resize, gpa, 0);
	VCPU_REPORT(v, p[0]);
	EXPECT_EQ(-EBUSY, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
						 0, NULL));
	ASSERT_EQ(0, nvmx_set_vm_flags(fd, NVMX_VM_NESTED_RESIZE));
	EXPECT_EQ(NVMX_VM_NESTED_RESIZE, nvmx_get_vm_flags(fd));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[1]));
	VCPU_REPORT(v, p[1]);
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	VCPU_OK(v, vcpu_run_mmio(v, gpa, 8, false));
	memcpy(v->run->mmio.data, &p[0], 8);
	VCPU_REPORT(v, p[0]);
	EXPECT_EQ(1, stats(v).nested_entries);

	/* A fresh L1, L2 spinning; region 2 is mem[0] again. */
	vcpu_close(v);
	VCPU_OK(v, vcpu_open(&self->vm, v, 0));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[0]));
	seen[1] = 0;
	VCPU_START(v, l1_test_resize, gpa, 1);
	VCPU_OK(v, vcpu_run_mmio_after_change(&c, gpa));
	EXPECT_NE(0, seen[1]);
	EXPECT_EQ(p[0], seen[0]);
	EXPECT_EQ(1, stats(v).nested_entries);
	munmap(mem[0], 2 * REGION_SIZE);
}

/* NVMX_SET_NESTED_STATE of @st: 0 or -errno. */
static int set_nested(struct vcpu *v, const struct nvmx_nested_state *st)
{
	return nvmx_set_nested_state(v->fd, st);
}

/*
 * Nested state save and restore: a vCPU stopped while L2 runs is saved
 * (nested state, registers, memory) and restored into a new VM, where L2
 * goes on from where it was and finishes its work with the right
 * results; the original goes on too. Bad states are refused.
 */
TEST_F(nested, l2_moves_to_another_vm_and_finishes)
{
	struct nvmx_nested_state *st = calloc(1, sizeof(*st));
	struct nvmx_nested_state *bad = calloc(1, sizeof(*bad));
	struct vcpu *v = &self->vcpu, v2;
	const __u64 n = 16, sum = (n - 1) * n * (2 * n - 1) / 6;
	struct nvmx_sregs sregs;
	struct nvmx_regs regs;
	struct vm vm2;
	__u64 i;

	ASSERT_TRUE(st && bad);
	ASSERT_EQ(0, nvmx_get_nested_state(v->fd, st));
	EXPECT_EQ(NVMX_NESTED_STATE_VERSION, st->version);
	EXPECT_EQ(sizeof(*st), st->size);
	EXPECT_EQ(0, st->flags);		/* not in VMX operation */
	VCPU_START(v, l1_test_migrate, n, 0);
	for (i = 0; i < n / 2; i++)
		VCPU_REPORT(v, i);
	ASSERT_EQ(0, nvmx_get_nested_state(v->fd, st));
	EXPECT_EQ(NVMX_NESTED_VMXON | NVMX_NESTED_GUEST_MODE, st->flags);
	ASSERT_EQ(0, nvmx_get_regs(v->fd, &regs));
	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &sregs));

	VM_OK(&vm2, vm_open(&vm2, VM_MEM_SIZE));
	VCPU_OK(&v2, vcpu_open(&vm2, &v2, 0));
	memcpy(vm_gpa(&vm2, 0), vm_gpa(&self->vm, 0), VM_MEM_SIZE);
	/* VMX must be exposed to take a state in VMX operation. */
	EXPECT_EQ(-EINVAL, set_nested(&v2, st));
	ASSERT_EQ(0, ioctl(vm2.fd, NVMX_SET_EXPOSE_VMX, 1UL));

	memcpy(bad, st, sizeof(*bad));
	bad->version = 2;
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->version = st->version;
	bad->flags = NVMX_NESTED_GUEST_MODE;
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->flags = st->flags | 0x80;		/* unknown */
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->flags = st->flags;
	bad->vmxon_ptr = st->vmcs12_ptr;
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->vmxon_ptr = st->vmxon_ptr;
	bad->vmcs12[0] ^= 1;			/* the layout revision */
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->vmcs12[0] ^= 1;
	bad->reserved[3] = 1;
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));

	ASSERT_EQ(0, set_nested(&v2, st));
	ASSERT_EQ(0, nvmx_set_sregs(v2.fd, &sregs));
	ASSERT_EQ(0, nvmx_set_regs(v2.fd, &regs));
	for (i = n / 2; i < n; i++)
		VCPU_REPORT(&v2, i);
	VCPU_REPORT(&v2, EXIT_VMCALL);
	VCPU_REPORT(&v2, sum);
	VCPU_REPORT(&v2, 0);
	VCPU_RUN(&v2, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_get_nested_state(v2.fd, bad));
	EXPECT_EQ(0, bad->flags);		/* L1 left VMX operation */

	/* The original, which saving did not disturb, finishes too. */
	for (i = n / 2; i < n; i++)
		VCPU_REPORT(v, i);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, sum);
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	vcpu_close(&v2);
	vm_close(&vm2);
	free(st);
	free(bad);
}

/*
 * An interrupt and an NMI queued for the vCPU while L2 runs, not taken
 * yet, go with the nested state: restored into another VM, the
 * interrupt is the exit L1 asked for; taken out of the state, the NMI is
 * gone, put back, it arrives.
 */
TEST_F(nested, queued_events_move_with_the_nested_state)
{
	struct nvmx_nested_state *st = calloc(1, sizeof(*st));
	struct vcpu *v = &self->vcpu, v2;
	struct nvmx_sregs sregs;
	struct nvmx_regs regs;
	struct vm vm2;
	int ret;

	ASSERT_NE(NULL, st);
	VCPU_START(v, l1_test_events, 0, 0);
	VCPU_REPORT(v, 0x5b1);			/* L2 runs */
	ASSERT_EQ(0, nvmx_interrupt(v->fd, 0x41));
	ASSERT_EQ(0, nvmx_get_nested_state(v->fd, st));
	EXPECT_EQ(NVMX_NESTED_VMXON | NVMX_NESTED_GUEST_MODE |
		  NVMX_NESTED_IRQ, st->flags);
	EXPECT_EQ(0x41, st->irq_vector);
	ASSERT_EQ(0, nvmx_get_regs(v->fd, &regs));
	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &sregs));

	VM_OK(&vm2, vm_open(&vm2, VM_MEM_SIZE));
	VCPU_OK(&v2, vcpu_open(&vm2, &v2, 0));
	memcpy(vm_gpa(&vm2, 0), vm_gpa(&self->vm, 0), VM_MEM_SIZE);
	ASSERT_EQ(0, ioctl(vm2.fd, NVMX_SET_EXPOSE_VMX, 1UL));
	st->irq_vector = 5;			/* an exception's vector */
	EXPECT_EQ(-EINVAL, set_nested(&v2, st));
	st->irq_vector = 0x41;
	ASSERT_EQ(0, set_nested(&v2, st));
	ASSERT_EQ(0, nvmx_set_sregs(v2.fd, &sregs));
	ASSERT_EQ(0, nvmx_set_regs(v2.fd, &regs));
	VCPU_REPORT(&v2, 1);			/* external interrupt */
	VCPU_REPORT(&v2, 0x80000041);
	VCPU_REPORT(&v2, 0x5b1);		/* L2 resumed */

	ret = nvmx_nmi(v2.fd);
	if (ret == -EOPNOTSUPP)
		SKIP(goto out, "the CPU has no virtual NMIs");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, nvmx_get_nested_state(v2.fd, st));
	EXPECT_EQ(NVMX_NESTED_VMXON | NVMX_NESTED_GUEST_MODE |
		  NVMX_NESTED_NMI, st->flags);
	st->flags &= ~NVMX_NESTED_NMI;
	ASSERT_EQ(0, set_nested(&v2, st));
	VCPU_REPORT(&v2, 0x5b1);		/* no NMI: L2 goes on */
	ASSERT_EQ(0, nvmx_get_nested_state(v2.fd, st));
	st->flags |= NVMX_NESTED_NMI;
	ASSERT_EQ(0, set_nested(&v2, st));
	VCPU_REPORT(&v2, 0);			/* exception or NMI */
	VCPU_REPORT(&v2, 0x80000202);
	VCPU_RUN(&v2, NVMX_EXIT_HLT);
out:
	vcpu_close(&v2);
	vm_close(&vm2);
	free(st);
}

/*
 * The fuzzing L1's next report. L2s with few exits do port I/O and HLT
 * that L1 lets through, which come here (L1 intercepts the report
 * ports): they are completed and counted in @l2_io and @l2_hlt.
 */
static int fuzz_report(struct vcpu *v, __u64 *val, __u64 *l2_io,
		       __u64 *l2_hlt)
{
	const struct nvmx_run *run = v->run;
	__u64 n;
	int ret;

	for (n = 0; n < 10000000; n++) {
		ret = nvmx_run(v->fd);
		if (ret < 0) {
			snprintf(v->err, sizeof(v->err), "NVMX_RUN: %s",
				 strerror(-ret));
			return ret;
		}
		if (run->exit_reason == NVMX_EXIT_HLT) {
			(*l2_hlt)++;
			continue;
		}
		if (run->exit_reason != NVMX_EXIT_IO) {
			vcpu_describe(v, "expected I/O or HLT");
			return -1;
		}
		if (run->io.port == GUEST_PORT_REPORT_LO && run->io.size == 4 &&
		    run->io.direction == NVMX_EXIT_IO_OUT)
			return vcpu_finish_report(v, val);
		(*l2_io)++;
	}
	snprintf(v->err, sizeof(v->err), "L2 exits to userspace without end");
	return -1;
}

/* Where the fuzzing L1 stopped: its stream or probe, L2's registers. */
static void fuzz_log_stop(struct __test_metadata *_metadata, struct vcpu *v,
			  __u64 seed)
{
	const __u64 *now = GUEST(v->vm, l1_fuzz_now);
	struct nvmx_sregs sr = { 0 };
	struct nvmx_regs r = { 0 };
	__u64 code[2] = { 0 };

	nvmx_get_regs(v->fd, &r);
	nvmx_get_sregs(v->fd, &sr);
	if (r.rip < VM_MEM_SIZE - 16)
		memcpy(code, vm_gpa(v->vm, r.rip), sizeof(code));
	TH_LOG("seed %llu: stopped in %s %llu (its seed 0x%llx); rip 0x%llx (bytes 0x%016llx%016llx, byte order) rsi 0x%llx rdi 0x%llx rcx 0x%llx cr0 0x%llx cr3 0x%llx cr4 0x%llx ds.base 0x%llx es.base 0x%llx",
	       (unsigned long long)seed,
	       now[1] == 1 ? "stream" : now[1] == 2 ? "EPT probe" : "launch",
	       (unsigned long long)now[0], (unsigned long long)now[2],
	       (unsigned long long)r.rip, (unsigned long long)code[1],
	       (unsigned long long)code[0], (unsigned long long)r.rsi,
	       (unsigned long long)r.rdi, (unsigned long long)r.rcx,
	       (unsigned long long)sr.cr0, (unsigned long long)sr.cr3,
	       (unsigned long long)sr.cr4, (unsigned long long)sr.ds.base,
	       (unsigned long long)sr.es.base);
}

static void fuzz_log_bad(struct __test_metadata *_metadata, __u64 seed,
			 const __u64 *b)
{
	static const char *const checks[FZ_BAD_COUNT] = {
		"none", "VMfail", "exit reason", "instruction length",
		"exit interruption info", "IDT-vectoring info",
		"qualification", "EPT outcome", "EPT address", "EPT data",
		"EPT A/D",
	};

	if (b[0] == 1)
		TH_LOG("seed %llu: stream %llu (its seed 0x%llx): %s: exits %llu, length %llu, few-exits %llu; reason 0x%llx qual 0x%llx rip 0x%llx intr/idt-vec 0x%llx bytes at rip (as generated) 0x%016llx gpa 0x%llx",
		       (unsigned long long)seed, (unsigned long long)b[1],
		       (unsigned long long)b[2],
		       b[3] < FZ_BAD_COUNT ? checks[b[3]] : "?",
		       (unsigned long long)(b[4] >> 32),
		       (unsigned long long)((b[4] >> 8) & 0xff),
		       (unsigned long long)(b[4] & 1),
		       (unsigned long long)b[5], (unsigned long long)b[6],
		       (unsigned long long)b[7], (unsigned long long)b[8],
		       (unsigned long long)b[9], (unsigned long long)b[10]);
	else
		TH_LOG("seed %llu: EPT probe %llu (its seed 0x%llx): %s: access %llu leaf level %llu A/D %llu L1's walk %llu (0 ok, 1 violation, 2 misconfig) PDPT index %llu; exit 0x%llx qual/value 0x%llx gva=gpa 0x%llx EPT12 PDPTE 0x%llx PDE 0x%llx PTE 0x%llx",
		       (unsigned long long)seed, (unsigned long long)b[1],
		       (unsigned long long)b[2],
		       b[3] < FZ_BAD_COUNT ? checks[b[3]] : "?",
		       (unsigned long long)(b[4] & 7),
		       (unsigned long long)((b[4] >> 4) & 7),
		       (unsigned long long)((b[4] >> 8) & 1),
		       (unsigned long long)((b[4] >> 12) & 3),
		       (unsigned long long)((b[4] >> 16) & 3),
		       (unsigned long long)b[5], (unsigned long long)b[6],
		       (unsigned long long)b[7], (unsigned long long)b[8],
		       (unsigned long long)b[9], (unsigned long long)b[10]);
}

/*
 * A fuzzing L1 (guest_l1_fuzz*.c), all from one seed (NVMX_FUZZ_SEED):
 * launches of VMCS12s changed at random (NVMX_FUZZ_N); random L2
 * instruction streams (NVMX_FUZZ_STREAMS, at most NVMX_FUZZ_EXITS L2
 * exits each) with every exit checked against what L1's controls allow
 * (NVMX_FUZZ_L0_IO=1: L2 has ports that L0 handles, see guest_l1_fuzz_insn.c);
 * random EPT12 translations probed by L2 (NVMX_FUZZ_PROBES), each exit
 * checked against L1's own walk. NVMX_FUZZ_FIRST=i replays from stream
 * and probe i on (with NVMX_FUZZ_N=0: no VMCS12 launches). No outcome the SDM does not allow, and
 * the host sees nothing but L1's reports and L2's own I/O and HLT: no
 * entry the CPU refused although nvmx's checks accepted it (that would
 * be an internal-error or failed-entry exit), no oops (the runner checks
 * the log).
 */
TEST_F(nested, random_vmcs12s_have_only_architectural_outcomes)
{
	__u64 seed = strtoull(env_or("NVMX_FUZZ_SEED", "20261126"), NULL, 0);
	__u64 n = strtoull(env_or("NVMX_FUZZ_N", "1500"), NULL, 0);
	__u64 cfg[5] = {
		strtoull(env_or("NVMX_FUZZ_STREAMS", "400"), NULL, 0),
		strtoull(env_or("NVMX_FUZZ_EXITS", "48"), NULL, 0),
		strtoull(env_or("NVMX_FUZZ_PROBES", "3000"), NULL, 0),
		strtoull(env_or("NVMX_FUZZ_L0_IO", "0"), NULL, 0),
		strtoull(env_or("NVMX_FUZZ_FIRST", "0"), NULL, 0),
	};
	static const char *const names[] = {
		"VMfailValid(7)", "VMfailValid(8)", "exit 33", "exit 34",
		"L2 ran",
	};
	static const char *const stream_names[L1_FUZZ_STREAM_COUNTERS] = {
		"streams", "of them with few exits", "L2 exits to L1",
		"instructions skipped", "exceptions (exit 0)",
		"exceptions through L2's IDT", "EPT violations",
		"triple faults", "preemption-timer walls", "exit caps",
		"other exits", "Bochs deviations tolerated", "anomalies",
	};
	static const char *const ept_names[L1_FUZZ_EPT_COUNTERS] = {
		"probes", "permitted, data and A/D right",
		"EPT violations matched", "misconfigurations matched",
		"permitted with A/D", "anomalies",
	};
	__u64 stream[L1_FUZZ_STREAM_COUNTERS], ept[L1_FUZZ_EPT_COUNTERS];
	struct vcpu *v = &self->vcpu;
	__u64 count[5], bad, bad_i, field, val, what, io = 0, hlt = 0;
	const __u64 (*b)[L1_FUZZ_BAD_WORDS];
	unsigned int i;

	memcpy(GUEST(&self->vm, l1_fuzz_cfg), cfg, sizeof(cfg));
	VCPU_START(v, l1_fuzz, seed, n);
	for (i = 0; i < 5; i++) {
		const __u64 *now = vm_gpa(&self->vm, (uintptr_t)l1_fuzz_now);

		if (vcpu_report(v, &count[i]) || count[i] >> 32 == 0xbad) {
			TH_LOG("seed %llu: stopped at launch %llu: field 0x%llx = 0x%llx (L1 exception: 0x%llx)",
			       (unsigned long long)seed,
			       (unsigned long long)now[0],
			       (unsigned long long)now[1],
			       (unsigned long long)now[2],
			       (unsigned long long)count[i]);
			ASSERT_TRUE(0);
		}
		TH_LOG("seed %llu: %s %llu", (unsigned long long)seed, names[i],
		       (unsigned long long)count[i]);
	}
	VCPU_OK(v, vcpu_report(v, &bad));
	VCPU_OK(v, vcpu_report(v, &bad_i));
	VCPU_OK(v, vcpu_report(v, &field));
	VCPU_OK(v, vcpu_report(v, &val));
	VCPU_OK(v, vcpu_report(v, &what));
	EXPECT_EQ_MSG(0, bad,
		      "first at launch %llu: field 0x%llx = 0x%llx gave 0x%llx",
		      (unsigned long long)bad_i, (unsigned long long)field,
		      (unsigned long long)val, (unsigned long long)what);
	EXPECT_EQ(n, count[0] + count[1] + count[2] + count[3] + count[4] +
		     bad);

	b = GUEST(&self->vm, l1_fuzz_bad);
	for (i = 0; i < L1_FUZZ_STREAM_COUNTERS + L1_FUZZ_EPT_COUNTERS; i++) {
		__u64 *c = i < L1_FUZZ_STREAM_COUNTERS ? &stream[i] :
			   &ept[i - L1_FUZZ_STREAM_COUNTERS];

		if (fuzz_report(v, c, &io, &hlt) || *c >> 32 == 0xbad) {
			TH_LOG("seed %llu: stopped in the %s phase (L1 exception: 0x%llx): %s",
			       (unsigned long long)seed,
			       i < L1_FUZZ_STREAM_COUNTERS ? "stream" : "EPT",
			       (unsigned long long)*c, v->err);
			fuzz_log_stop(_metadata, v, seed);
			for (i = 0; i < 2; i++)
				if (b[i][3])
					fuzz_log_bad(_metadata, seed, b[i]);
			ASSERT_TRUE(0);
		}
	}
	for (i = 0; i < L1_FUZZ_STREAM_COUNTERS; i++)
		TH_LOG("seed %llu: %s %llu", (unsigned long long)seed,
		       stream_names[i], (unsigned long long)stream[i]);
	TH_LOG("seed %llu: L2's own I/O %llu and HLT %llu (to userspace)",
	       (unsigned long long)seed, (unsigned long long)io,
	       (unsigned long long)hlt);
	for (i = 0; i < L1_FUZZ_EPT_COUNTERS; i++)
		TH_LOG("seed %llu: %s %llu", (unsigned long long)seed,
		       ept_names[i], (unsigned long long)ept[i]);
	for (i = 0; i < 2; i++)
		if (b[i][3])
			fuzz_log_bad(_metadata, seed, b[i]);
	EXPECT_EQ(cfg[0] - (cfg[4] < cfg[0] ? cfg[4] : cfg[0]), stream[0]);
	EXPECT_EQ(cfg[2] - (cfg[4] < cfg[2] ? cfg[4] : cfg[2]), ept[0]);
	EXPECT_EQ(0, stream[L1_FUZZ_STREAM_COUNTERS - 1]);
	EXPECT_EQ(0, ept[L1_FUZZ_EPT_COUNTERS - 1]);
	EXPECT_EQ(ept[0], ept[1] + ept[2] + ept[3] +
		  ept[L1_FUZZ_EPT_COUNTERS - 1]);
	/* A run of some length reaches every outcome it checks. */
	if (cfg[0] >= 100 + cfg[4]) {
		EXPECT_LT(0, stream[3]);	/* instructions skipped */
		EXPECT_LT(0, stream[4]);	/* exceptions */
		EXPECT_LT(0, stream[5]);	/* through L2's IDT */
		EXPECT_LT(0, stream[6]);	/* EPT violations */
	}
	if (cfg[2] >= 100 + cfg[4]) {
		EXPECT_LT(0, ept[1]);
		EXPECT_LT(0, ept[2]);
		EXPECT_LT(0, ept[3]);
	}
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* tracefs, mounted if it is not: its directory, or NULL. */
static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];
	unsigned int i;

	mount("tracefs", dirs[0], "tracefs", 0, NULL);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/nvmx", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	return NULL;
}

static int trace_write(const char *dir, const char *file, const char *s)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -EIO;
}

/* The trace buffer as text (at most 1 MiB); free() it. */
static char *trace_read(const char *dir)
{
	size_t len = 0, max = 1 << 20;
	char path[128], *buf = calloc(1, max + 1);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		free(buf);
		return NULL;
	}
	while (len < max && (n = read(fd, buf + len, max - len)) > 0)
		len += n;
	close(fd);
	return buf;
}

/*
 * The tracepoints show the nested flow: L1's VMX instructions, its VM
 * entries into L2, L2's exits with who handled them, and the check that
 * failed an entry.
 */
TEST_F(nested, tracepoints_show_the_nested_flow)
{
	struct vcpu *v = &self->vcpu;
	const char *dir = tracefs();
	char *text;

	ASSERT_NE(NULL, dir);
	ASSERT_EQ(0, trace_write(dir, "trace", ""));
	ASSERT_EQ(0, trace_write(dir, "events/nvmx/enable", "1"));
	ASSERT_EQ(0, trace_write(dir, "tracing_on", "1"));
	VCPU_START(v, l1_test_round_trips, 2, 0);
	VCPU_REPORT(v, EXIT_CPUID);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, IO_QUAL_OUT80);
	VCPU_REPORT(v, EXIT_HLT);
	VCPU_REPORT(v, 0x11ULL << 32 | 0x22);
	VCPU_REPORT(v, 2);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	VCPU_START(v, l1_test_bad_case, 1, 0);	/* 5 CR3-target values */
	VCPU_REPORT(v, FAIL_MARK);
	VCPU_REPORT(v, GUEST_RFLAGS_ZF);
	VCPU_REPORT(v, 7);
	VCPU_REPORT(v, 0);
	VCPU_OK(v, vcpu_report(v, &self->junk));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, trace_write(dir, "events/nvmx/enable", "0"));
	text = trace_read(dir);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "nvmx_vmx_insn: vcpu 0 exit reason 27 VMsucceed"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_entry: vcpu 0 vmlaunch to L2"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_entry: vcpu 0 vmresume to L2"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_exit: vcpu 0 reason 0xa qual 0x0 to L1"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_exit: vcpu 0 reason 0x12 qual 0x0 to L1"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_check_failed: vcpu 0 VMfailValid 0x7:"));
	free(text);
}

static struct nvmx_nested_stats nested_stats(struct vcpu *v)
{
	struct nvmx_nested_stats ns = { 0 };

	nvmx_get_nested_stats(v->fd, &ns);
	return ns;
}

static __u64 sum(const __u64 *count)
{
	__u64 n = 0;
	unsigned int i;

	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++)
		n += count[i];
	return n;
}

/*
 * The debugfs directory of this process's VM (vm-PID-ID): its path in
 * @path. Return: 0, or -1 when there is none.
 */
static int vm_debugfs_dir(char *path, size_t len)
{
	char prefix[32];
	struct dirent *d;
	int found = -1;
	DIR *dir;

	nvmx_debugfs("vms");	/* mounts debugfs */
	dir = opendir("/sys/kernel/debug/nvmx");
	if (!dir)
		return -1;
	snprintf(prefix, sizeof(prefix), "vm-%d-", (int)getpid());
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, prefix, strlen(prefix))) {
			snprintf(path, len, "/sys/kernel/debug/nvmx/%s",
				 d->d_name);
			found++;
		}
	closedir(dir);
	return found;	/* 0: exactly one */
}

/*
 * The "stats" file of vCPU 0 of @vm_dir, parsed as src/stats_file.h
 * says: "NAME VALUE" totals, "NAME REASON COUNT" per reason. Return: the
 * lines read, or -1 if the file cannot be opened, or a line is malformed
 * or has a name the format does not have.
 */
static int read_debugfs_stats(const char *vm_dir, struct nvmx_stats *s,
			      struct nvmx_nested_stats *ns)
{
	char path[300], line[128], name[32];
	unsigned long long a, b;
	int n, lines = 0, known;
	__u64 *arr;
	FILE *f;

	memset(s, 0, sizeof(*s));
	memset(ns, 0, sizeof(*ns));
	snprintf(path, sizeof(path), "%s/vcpu0/stats", vm_dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		n = sscanf(line, "%31s %llu %llu", name, &a, &b);
		arr = n == 3 ? nvmx_stats_find_reasons(name, s, ns) : NULL;
		known = arr && a < NVMX_STATS_EXIT_REASONS && b;
		if (known)
			arr[a] = b;
		arr = n == 2 ? nvmx_stats_find_total(name, s) : NULL;
		if (arr)
			*arr = a;
		known |= arr || (n == 2 &&
				 !strcmp(name, NVMX_STATS_APIC_DROPPED));
		if (!known)
			lines = -1000;
		lines++;
	}
	fclose(f);
	return lines < 0 ? -1 : lines;
}

/*
 * NVMX_GET_NESTED_STATS after the round trips of the first test: L1 got
 * each of L2's CPUID, OUT, HLT and its n VMCALLs, all reflected, nothing
 * made up; every reason has at least as many L2 exits as reflected ones;
 * L1's exits per VMCALL it handles are bounded (the VMRESUME, with VMCS
 * shadowing, plus timer slices). The vCPU's debugfs file says the same,
 * and goes away with the VM.
 */
TEST_F(nested, nested_stats_count_reflected_exits_by_reason)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_nested_stats ns, fs;
	const __u64 n = 2000;
	struct nvmx_vmx_caps caps;
	struct nvmx_stats s, f;
	char dir[300];
	unsigned int i;

	ASSERT_EQ(0, vm_debugfs_dir(dir, sizeof(dir)));
	ns = nested_stats(v);
	EXPECT_EQ(0, sum(ns.l2_exits) + sum(ns.reflected) +
		     sum(ns.synthesized) + sum(ns.l1_exits_after));
	VCPU_START(v, l1_test_round_trips, n, 0);
	VCPU_REPORT(v, EXIT_CPUID);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, IO_QUAL_OUT80);
	VCPU_REPORT(v, EXIT_HLT);
	VCPU_REPORT(v, 0x11ULL << 32 | 0x22);
	VCPU_REPORT(v, n);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	s = stats(v);
	ASSERT_EQ(0, nvmx_get_nested_stats(v->fd, &ns));
	EXPECT_EQ(n, ns.reflected[EXIT_VMCALL]);
	EXPECT_EQ(1, ns.reflected[EXIT_CPUID]);
	EXPECT_EQ(1, ns.reflected[EXIT_IO]);
	EXPECT_EQ(1, ns.reflected[EXIT_HLT]);
	EXPECT_EQ(n + 3, sum(ns.reflected));
	EXPECT_EQ(0, sum(ns.synthesized));
	EXPECT_EQ(s.nested_exits, sum(ns.reflected));
	EXPECT_EQ(s.l2_exits, sum(ns.l2_exits));
	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++)
		EXPECT_GE(ns.l2_exits[i], ns.reflected[i]) TH_LOG("reason %u", i);
	/* L1's exits belong to the exit it handles, or to none before. */
	EXPECT_GE(s.exits - s.l2_exits, sum(ns.l1_exits_after));
	TH_LOG("%llu VMCALLs: %llu L2 exits, %llu exits of L1 after them",
	       (unsigned long long)n,
	       (unsigned long long)ns.l2_exits[EXIT_VMCALL],
	       (unsigned long long)ns.l1_exits_after[EXIT_VMCALL]);
	/*
	 * At least the VMRESUME after each VMCALL but the last, then after
	 * the last one L1's three reports (two OUTs each) and its VMXOFF:
	 * n + 6 (Bochs: exactly). With VMCS shadowing L1's VMREADs and
	 * VMWRITEs do not exit: only L0's timer slices may add some.
	 */
	EXPECT_LE(n + 6, ns.l1_exits_after[EXIT_VMCALL]);
	ASSERT_EQ(0, nvmx_vmx_caps(self->vm.dev, &caps));
	if (caps.features & NVMX_FEAT_VMCS_SHADOWING) {
		EXPECT_GE(n + n / 4, ns.l1_exits_after[EXIT_VMCALL]);
	} else {
		EXPECT_GE(7 * n + n / 2, ns.l1_exits_after[EXIT_VMCALL]);
	}

	ASSERT_LT(0, read_debugfs_stats(dir, &f, &fs));
	EXPECT_EQ(s.runs, f.runs);
	EXPECT_EQ(s.exits, f.exits);
	EXPECT_EQ(s.nested_exits, f.nested_exits);
	EXPECT_EQ(s.l2_exits, f.l2_exits);
	EXPECT_EQ(0, memcmp(&s, &f, sizeof(s)));
	EXPECT_EQ(0, memcmp(&ns, &fs, sizeof(ns)));
	vcpu_close(v);
	EXPECT_EQ(-1, read_debugfs_stats(dir, &f, &fs));
	EXPECT_EQ(0, access(dir, F_OK));	/* the VM is still open */
	vm_close(&self->vm);
	EXPECT_EQ(-1, access(dir, F_OK));
}

/*
 * A VM entry that fails on L2's guest state (exit 33) and one that fails
 * on its MSR-load list (34) are exits nvmx made up for L1: synthesized,
 * not reflected; the two VMCALLs that follow are reflected. L1's exits
 * after each failure, up to its next VMLAUNCH, are charged to it.
 */
TEST_F(nested, nested_stats_count_entry_failures_as_synthesized)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_nested_stats ns;
	unsigned int i;

	VCPU_START(v, l1_test_entry_failures, 0, 0);
	VCPU_REPORT(v, EXIT_INVALID_GUEST);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, EXIT_MSR_LOAD_FAIL);
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0x1234567000ULL);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0x1234567000ULL);
	VCPU_REPORT(v, 0x1234567000ULL);
	VCPU_REPORT(v, 0x5a5a000);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ns = nested_stats(v);
	EXPECT_EQ(1, ns.synthesized[EXIT_INVALID_GUEST & 0xffff]);
	EXPECT_EQ(1, ns.synthesized[EXIT_MSR_LOAD_FAIL & 0xffff]);
	EXPECT_EQ(2, sum(ns.synthesized));
	EXPECT_EQ(2, ns.reflected[EXIT_VMCALL]);
	EXPECT_EQ(2, sum(ns.reflected));
	EXPECT_EQ(stats(v).nested_exits, sum(ns.reflected) + sum(ns.synthesized));
	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++)
		EXPECT_GE(ns.l2_exits[i], ns.reflected[i]) TH_LOG("reason %u", i);
	TH_LOG("L1 exits after exit 33: %llu, after 34: %llu, after VMCALL: %llu",
	       (unsigned long long)ns.l1_exits_after[33],
	       (unsigned long long)ns.l1_exits_after[34],
	       (unsigned long long)ns.l1_exits_after[EXIT_VMCALL]);
	/*
	 * After each failure, L1 makes two reports (two OUTs each) and a
	 * few VMREADs/VMWRITEs before its next VMLAUNCH (Bochs: 8 and 7).
	 */
	for (i = 33; i <= 34; i++) {
		EXPECT_LE(5, ns.l1_exits_after[i]) TH_LOG("reason %u", i);
		EXPECT_GE(16, ns.l1_exits_after[i]) TH_LOG("reason %u", i);
	}
}

#define MSR_VMX_MISC		0x485
#define MISC_VMWRITE_ANY	(1ULL << 29)

/*
 * One run of l1_test_vmcs_shadowing() (guest_l1_shadow.c) and its
 * reports. Return: whether L1's profile let it VMWRITE read-only fields.
 */
static __u64 shadow_run(struct __test_metadata *_metadata, struct vcpu *v)
{
	const __u64 rip = 0x1234567890ULL, proc = 0x12345678ULL, vpid = 0x77;
	const __u64 untouched = 0xdead;
	struct nvmx_stats before, after;
	__u64 any = 2;

	before = stats(v);
	VCPU_START(v, l1_test_vmcs_shadowing, 0, 0);
	VCPU_REPORT(v, 1);			/* offered to L1 */
	VCPU_REPORT(v, 0);			/* VMCLEAR of the shadow VMCS */
	VCPU_REPORT(v, 0);			/* VMPTRLD of it */
	VCPU_REPORT(v, FAIL_MARK);		/* its VMLAUNCH: VMfailInvalid */
	VCPU_REPORT(v, GUEST_RFLAGS_CF);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);			/* VMCLEAR */

	VCPU_REPORT(v, EXIT_VMCALL);		/* what L2 read and wrote */
	VCPU_REPORT(v, 7);
	VCPU_REPORT(v, rip);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, proc);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, vpid);			/* into memory */
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);			/* VMWRITE of guest RSP */

	VCPU_REPORT(v, 23);			/* VMREAD the bitmap selects */
	VCPU_REPORT(v, 8);			/* displacement */
	VCPU_REPORT(v, 0x11000000);		/* memory, base RDX, field RCX */
	VCPU_REPORT(v, 0);			/* non-canonical: #GP for L1 */
	VCPU_REPORT(v, 0x80000b0d);
	VCPU_REPORT(v, 0);

	VCPU_REPORT(v, EXIT_VMCALL);		/* unsupported field */
	VCPU_REPORT(v, 12);
	VCPU_REPORT(v, 4);
	VCPU_REPORT(v, vpid);			/* the VMREAD after the #GP */
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, untouched);
	VCPU_REPORT(v, GUEST_RFLAGS_ZF);

	VCPU_OK(v, vcpu_report(v, &any));	/* read-only field */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, any ? 12 : 13);
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, any ? 0 : GUEST_RFLAGS_ZF);

	VCPU_REPORT(v, 23);			/* field with bit 32 set */
	VCPU_REPORT(v, EXIT_VMCALL);		/* L1 drops the link pointer */
	VCPU_REPORT(v, EXIT_VMCALL);		/* VMfailInvalid */
	VCPU_REPORT(v, 2);
	VCPU_REPORT(v, untouched);
	VCPU_REPORT(v, GUEST_RFLAGS_CF);
	VCPU_REPORT(v, 0);			/* at CPL 3: #GP(0) for L1 */
	VCPU_REPORT(v, 0x80000b0d);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);			/* at the VMREAD */

	VCPU_REPORT(v, 0xfeedfaceULL);		/* in the shadow VMCS */
	VCPU_REPORT(v, any ? 0x99 : 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	after = stats(v);
	/* Nine entries into L2, each ended by an exit to L1 ... */
	EXPECT_EQ(9, after.nested_entries - before.nested_entries);
	EXPECT_EQ(9, after.nested_exits - before.nested_exits);
	/* ... and the eight VMREADs and VMWRITEs L0 completed besides. */
	EXPECT_LE(8, (after.l2_exits - before.l2_exits) -
		     (after.nested_exits - before.nested_exits));
	TH_LOG("VMCS shadowing, L1 %s VMWRITE read-only fields: %llu exits of L2, %llu to L1",
	       any ? "may" : "may not",
	       (unsigned long long)(after.l2_exits - before.l2_exits),
	       (unsigned long long)(after.nested_exits - before.nested_exits));
	return any;
}

/*
 * VMCS shadowing for L2: L1 is offered it whatever the host has; L2's
 * VMREAD and VMWRITE that L1's bitmaps let through read and write the
 * shadow VMCS without L1 (VMsucceed, VMfailValid 12 and 13, VMfailInvalid
 * without a shadow VMCS, the error number in L1's VMCS12, a #GP that L1
 * intercepts, for a bad operand or CPL 3); those the bitmap selects, and
 * encodings beyond bit 14, are exits 23 for L1. Run again without
 * "VMWRITE to any supported field" in L1's profile, if it had it, for
 * VMfailValid(13).
 */
TEST_F(nested, l2_vmread_and_vmwrite_use_l1s_shadow_vmcs)
{
	struct nvmx_msr_entry e = { MSR_VMX_MISC, 0, 0 };
	struct vcpu *v = &self->vcpu;

	if (!shadow_run(_metadata, v))
		return;
	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &e, 1));
	e.data &= ~MISC_VMWRITE_ANY;
	ASSERT_EQ(1, nvmx_set_msrs(v->fd, &e, 1));
	EXPECT_EQ(0, shadow_run(_metadata, v));
}

TEST_HARNESS_MAIN
