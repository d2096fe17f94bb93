// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VMX, events (guest_l1_events.c): interrupts and NMIs for L1
 * while L2 runs, and those L1 does not intercept, which go to L2; L1's
 * exception bitmap and MTF; events L1 injects into L2; event delivery
 * that an exit interrupts, completed at each level; interrupt and NMI
 * windows; the #PF error-code filter; L1's VMX-preemption timer for L2.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed. The fixture and
 * helpers all nested tests share are in nvmx_nested.h.
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
#include "nvmx_nested.h"

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

TEST_HARNESS_MAIN
