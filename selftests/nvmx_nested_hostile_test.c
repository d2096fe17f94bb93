// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VMX, VM entries that fail and hostile L1s (guest_l1_hostile.c,
 * guest_l1_fuzz*.c): VMLAUNCH and VMRESUME fail with the VMfailValid
 * error or the VM-entry failure exit the SDM gives (a table of invalid
 * VMCS12 settings, MSR-load lists), counted as synthesized exits; L1s
 * that put bitmaps and lists in MMIO or past the end of memory, or
 * overwrite their VMCS12, get the SDM's outcome and nothing worse; the
 * seeded fuzzing L1 sees only architectural outcomes.
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

TEST_HARNESS_MAIN
