// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVMX_RUN and its exits: HLT, port I/O (single and string), MMIO, VMCALL,
 * CPUID from the table userspace set, guest memory, triple fault; the
 * registers across a run; the exit statistics. Each guest is a function of
 * guest.c running in a VM made of this program (see vmm.h); every check
 * compares what the guest did or saw with values chosen at run time.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "lib.h"
#include "vmm_harness.h"

FIXTURE(run) {
	struct vm vm;
	struct vcpu vcpu;
	__u64 rand;
};

FIXTURE_SETUP(run)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	VCPU_OK(&self->vcpu, vcpu_open(&self->vm, &self->vcpu, 0));
	self->rand = test_seed();
}

FIXTURE_TEARDOWN(run)
{
	vcpu_close(&self->vcpu);
	vm_close(&self->vm);
	EXPECT_EQ(0, nvmx_debugfs("vcpus"));
	EXPECT_EQ(0, nvmx_debugfs("vms"));
}

TEST_F(run, hlt_exits_and_the_next_run_resumes_after_it)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_regs regs;

	VCPU_START(v, guest_hlt_twice, 0, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_get_regs(v->fd, &regs));
	EXPECT_EQ((uintptr_t)guest_hlt_twice_1, regs.rip);
	EXPECT_EQ(0, regs.rax);
	/* The MOV between the two HLTs runs once, and only on the next run. */
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_get_regs(v->fd, &regs));
	EXPECT_EQ((uintptr_t)guest_hlt_twice_2, regs.rip);
	EXPECT_EQ(0x600d, regs.rax);
}

/* Every register but RAX and RIP comes back as userspace set it. */
TEST_F(run, registers_survive_a_run)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_regs regs, back;
	__u64 *in = (__u64 *)&regs, *out = (__u64 *)&back;
	unsigned int i;

	VCPU_START(v, guest_add, 0, 0);
	ASSERT_EQ(0, nvmx_get_regs(v->fd, &regs));
	for (i = 0; i < sizeof(regs) / sizeof(__u64); i++)
		in[i] = test_rand(&self->rand);
	regs.rsp = self->vm.boot.rsp - 8;
	regs.rip = (uintptr_t)guest_add;
	regs.rflags = 0x2 | 0x4 | 0x10 | 0x80;	/* PF, AF, SF: LEA keeps them */
	ASSERT_EQ(0, nvmx_set_regs(v->fd, &regs));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_get_regs(v->fd, &back));
	regs.rax = regs.rdi + regs.rsi;
	regs.rip = (uintptr_t)guest_add_done;
	for (i = 0; i < sizeof(regs) / sizeof(__u64); i++)
		EXPECT_EQ_MSG(in[i], out[i], "register %u of struct nvmx_regs", i);
}

static bool same_segment(const struct nvmx_segment *a,
			 const struct nvmx_segment *b)
{
	return a->base == b->base && a->limit == b->limit &&
	       a->selector == b->selector && a->type == b->type &&
	       a->present == b->present && a->dpl == b->dpl &&
	       a->db == b->db && a->s == b->s && a->l == b->l && a->g == b->g;
}

/*
 * SET_SREGS/GET_SREGS keep what was set; the guest sees the control
 * registers userspace set, and its own changes of CR2 and CR8 come back.
 */
TEST_F(run, sregs_round_trip_and_the_guest_sees_them)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_sregs s, back;
	__u64 cr2 = 0x1234000 | (test_rand(&self->rand) & 0xfff);

	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &s));
	EXPECT_EQ(1, s.cs.l);
	EXPECT_EQ(NVMX_LOADER_CS, s.cs.selector);
	EXPECT_EQ(self->vm.boot.cr3, s.cr3);
	EXPECT_EQ(0x500, s.efer & 0x500);	/* LME, LMA */
	s.cr2 = cr2;
	s.cr8 = 7;
	s.apic_base = 0xfee00900;
	s.fs.base = 0x7f0000001000ULL;
	s.gs.base = 0x7f0000002000ULL;
	ASSERT_EQ(0, nvmx_set_sregs(v->fd, &s));
	memset(&back, 0xa5, sizeof(back));
	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &back));
	EXPECT_TRUE(same_segment(&s.cs, &back.cs));
	EXPECT_TRUE(same_segment(&s.ss, &back.ss));
	EXPECT_TRUE(same_segment(&s.fs, &back.fs));
	EXPECT_TRUE(same_segment(&s.gs, &back.gs));
	EXPECT_TRUE(same_segment(&s.tr, &back.tr));
	EXPECT_EQ(s.gdt.base, back.gdt.base);
	EXPECT_EQ(s.gdt.limit, back.gdt.limit);
	EXPECT_EQ(s.cr0, back.cr0);
	EXPECT_EQ(cr2, back.cr2);
	EXPECT_EQ(s.cr3, back.cr3);
	EXPECT_EQ(s.cr4, back.cr4);
	EXPECT_EQ(7, back.cr8);
	EXPECT_EQ(s.efer, back.efer);
	EXPECT_EQ(0xfee00900, back.apic_base);

	/* Zero for CR8: were it the host's TPR, the host would not mind. */
	VCPU_START(v, guest_cr_regs, 0, 0xabc000);
	VCPU_REPORT(v, s.cr0);
	VCPU_REPORT(v, s.cr3);
	VCPU_REPORT(v, s.cr4);
	VCPU_REPORT(v, 7);
	VCPU_REPORT(v, cr2);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &back));
	EXPECT_EQ(0, back.cr8);
	EXPECT_EQ(0xabc000, back.cr2);
}

TEST_F(run, out_of_1_2_and_4_bytes)
{
	struct vcpu *v = &self->vcpu;
	__u64 seed = test_rand(&self->rand);
	__u16 w;
	__u32 l;

	VCPU_START(v, guest_out_sizes, seed, 0);
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_OUT, 0x10, 1, 1));
	EXPECT_EQ((__u8)seed, *(__u8 *)vcpu_io_data(v));
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_OUT, 0x12, 2, 1));
	memcpy(&w, vcpu_io_data(v), 2);
	EXPECT_EQ((__u16)(seed >> 8), w);
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_OUT, 0x14, 4, 1));
	memcpy(&l, vcpu_io_data(v), 4);
	EXPECT_EQ((__u32)(seed >> 24), l);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* The guest reads what userspace put in the run page, and echoes it. */
TEST_F(run, in_of_1_2_and_4_bytes)
{
	struct vcpu *v = &self->vcpu;
	__u64 r = test_rand(&self->rand);
	__u8 b = r;
	__u16 w = r >> 8;
	__u32 l = r >> 24;

	VCPU_START(v, guest_in_echo, 0x20, 0);
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_IN, 0x20, 1, 1));
	memcpy(vcpu_io_data(v), &b, 1);
	VCPU_REPORT(v, b);
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_IN, 0x22, 2, 1));
	memcpy(vcpu_io_data(v), &w, 2);
	VCPU_REPORT(v, w);
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_IN, 0x24, 4, 1));
	memcpy(vcpu_io_data(v), &l, 4);
	VCPU_REPORT(v, l);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * REP OUTSB: one exit for the whole string (the run page has room for it),
 * then RCX is 0 and RSI moved past the string.
 */
TEST_F(run, rep_outsb)
{
	struct vcpu *v = &self->vcpu;
	__u64 len = sizeof(GUEST_STRING) - 1;

	VCPU_START(v, guest_outsb, 0x30, 0);
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_OUT, 0x30, 1, len));
	EXPECT_EQ(0, memcmp(vcpu_io_data(v), GUEST_STRING, len));
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, len);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* REP INSB: one exit; the bytes userspace gave land in guest memory. */
TEST_F(run, rep_insb)
{
	struct vcpu *v = &self->vcpu;
	__u64 r = test_rand(&self->rand);
	const __u8 *buf = GUEST(&self->vm, guest_buf8);
	__u8 in[6];

	memcpy(in, &r, sizeof(in));
	VCPU_START(v, guest_insb, 0x31, sizeof(in));
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_IN, 0x31, 1, sizeof(in)));
	memcpy(vcpu_io_data(v), in, sizeof(in));
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, sizeof(in));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(0, memcmp(buf, in, sizeof(in)));
}

/* Writes of 1, 2, 4 and 8 bytes where no memory is. */
TEST_F(run, mmio_writes)
{
	struct vcpu *v = &self->vcpu;
	__u64 gpa = GUEST_MMIO_GPA + 0x100, val = test_rand(&self->rand);
	const __u64 expect[4] = { val, val >> 8, val >> 16, ~val };
	unsigned int i, len;
	__u64 data;

	VCPU_START(v, guest_mmio_writes, gpa, val);
	for (i = 0; i < 4; i++) {
		len = 1U << i;
		VCPU_OK(v, vcpu_run_mmio(v, gpa + 0x10 * i, len, true));
		data = 0;
		memcpy(&data, v->run->mmio.data, len);
		EXPECT_EQ_MSG(len == 8 ? expect[i] :
			      expect[i] & ((1ULL << 8 * len) - 1),
			      data, "write of %u bytes", len);
	}
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* Reads: the guest gets the bytes userspace put in mmio.data. */
TEST_F(run, mmio_reads)
{
	struct vcpu *v = &self->vcpu;
	__u64 gpa = GUEST_MMIO_GPA + 0x2000, r;
	unsigned int i, len;

	VCPU_START(v, guest_mmio_reads, gpa, 0);
	for (i = 0; i < 4; i++) {
		len = 1U << i;
		VCPU_OK(v, vcpu_run_mmio(v, gpa + 0x10 * i, len, false));
		r = test_rand(&self->rand);
		memcpy(v->run->mmio.data, &r, 8);
		VCPU_REPORT(v, len == 8 ? r : r & ((1ULL << 8 * len) - 1));
	}
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

TEST_F(run, vmcall_arguments_and_result)
{
	struct vcpu *v = &self->vcpu;
	__u64 nr = test_rand(&self->rand), arg = test_rand(&self->rand);
	__u64 ret = test_rand(&self->rand);

	VCPU_START(v, guest_vmcall, nr, arg);
	VCPU_RUN(v, NVMX_EXIT_VMCALL);
	EXPECT_EQ(nr, v->run->vmcall.nr);
	EXPECT_EQ(arg, v->run->vmcall.args[0]);
	EXPECT_EQ(~arg, v->run->vmcall.args[1]);
	EXPECT_EQ(arg ^ 0x5a5a5a5a5a5a5a5aULL, v->run->vmcall.args[2]);
	EXPECT_EQ(arg + 1, v->run->vmcall.args[3]);
	v->run->vmcall.ret = ret;
	VCPU_REPORT(v, ret);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * The guest's SSE state survives exits during which the host uses its own,
 * and never shows in the host: MXCSR here keeps the host's value while the
 * guest runs with another rounding mode.
 */
TEST_F(run, fpu_state_stays_with_its_owner)
{
	struct vcpu *v = &self->vcpu;
	__u64 pattern = test_rand(&self->rand);
	__u32 host_csr = 0x1f80, guest_csr = 0x7f80, csr;	/* RC: nearest, zero */
	double x = (double)(pattern >> 40);

	asm volatile("ldmxcsr %0" : : "m"(host_csr));
	VCPU_START(v, guest_fpu, pattern, guest_csr);
	VCPU_REPORT(v, 1);
	asm volatile("stmxcsr %0" : "=m"(csr));
	EXPECT_EQ(host_csr, csr);
	/* Use the host's SSE registers between the guest's runs. */
	EXPECT_EQ((double)(pattern >> 40), x / 4.0 * 4.0);
	VCPU_REPORT(v, pattern);
	VCPU_REPORT(v, guest_csr);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	asm volatile("stmxcsr %0" : "=m"(csr));
	EXPECT_EQ(host_csr, csr);
}

/*
 * A guest with an XCR0 of its own (x87 and SSE only) keeps it across exits
 * while the host, which runs with its own XCR0, returns to user mode after
 * each of them (a host with the guest's XCR0 would fail to restore its
 * AVX state there).
 */
TEST_F(run, xcr0_is_switched_around_the_guest)
{
	struct vcpu *v = &self->vcpu;
	int i;

	VCPU_START(v, guest_xcr0, 3, 50);
	for (i = 0; i < 50; i++)
		VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_OUT, GUEST_PORT_REPORT_LO,
				       1, 1));
	VCPU_REPORT(v, 3);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* The guest's next four reports (CPUID outputs) are those of @e. */
static void expect_cpuid(struct __test_metadata *_metadata, struct vcpu *v,
			 const struct nvmx_cpuid_entry *e)
{
	VCPU_REPORT(v, e->eax);
	VCPU_REPORT(v, e->ebx);
	VCPU_REPORT(v, e->ecx);
	VCPU_REPORT(v, e->edx);
}

/* Drop the entries of leaves 0x40000000 and 0x40000001: ours replace them. */
static int drop_hypervisor_leaves(struct nvmx_cpuid_entry *t, int n)
{
	int i, kept = 0;

	for (i = 0; i < n; i++)
		if (t[i].function != 0x40000000 && t[i].function != 0x40000001)
			t[kept++] = t[i];
	return kept;
}

/*
 * A made-up hypervisor leaf, and one with subleaves: the guest gets the
 * table's values, and CPUID.1:ECX.VMX is clear even when the table sets
 * it (no nested VMX by default).
 */
TEST_F(run, cpuid_comes_from_the_table)
{
	static struct nvmx_cpuid_entry t[NVMX_MAX_CPUID_ENTRIES];
	struct vcpu *v = &self->vcpu;
	__u64 *q = GUEST(&self->vm, guest_buf_in);
	const __u32 fn[3] = { 0x40000000, 0x40000001, 0x40000001 };
	__u64 regs[4];
	int n, i;

	n = nvmx_get_supported_cpuid(self->vm.dev, t, NVMX_MAX_CPUID_ENTRIES);
	ASSERT_LT(0, n) TH_LOG("NVMX_GET_SUPPORTED_CPUID: %s", strerror(-n));
	n = drop_hypervisor_leaves(t, n);
	ASSERT_GE(NVMX_MAX_CPUID_ENTRIES - 3, n);
	/* Even a table that asks for VMX does not get it. */
	for (i = 0; i < n; i++)
		if (t[i].function == 1)
			t[i].ecx |= 1 << 5;
	for (i = 0; i < 3; i++) {
		t[n + i] = (struct nvmx_cpuid_entry){
			.function = fn[i],
			.index = i == 2,
			.flags = i ? NVMX_CPUID_FLAG_SIGNIFICANT_INDEX : 0,
			.eax = test_rand(&self->rand),
			.ebx = test_rand(&self->rand),
			.ecx = test_rand(&self->rand),
			.edx = test_rand(&self->rand),
		};
	}
	ASSERT_EQ(0, nvmx_set_cpuid(v->fd, t, n + 3));
	/* 0x40000000 has no subleaves: ECX 7 must not matter. */
	q[0] = 0x40000000;
	q[1] = 7;
	q[2] = 0x40000001;
	q[3] = 1;
	q[4] = 0x40000001;
	q[5] = 0;
	q[6] = 1;
	q[7] = 0;
	VCPU_START(v, guest_cpuid_list, 4, 0);
	expect_cpuid(_metadata, v, &t[n]);
	expect_cpuid(_metadata, v, &t[n + 2]);
	expect_cpuid(_metadata, v, &t[n + 1]);
	for (i = 0; i < 4; i++)
		VCPU_OK(v, vcpu_report(v, &regs[i]));
	EXPECT_EQ(0, regs[2] & (1 << 5)) TH_LOG("CPUID.1:ECX %#llx", regs[2]);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* Host writes before the run reach the guest; guest writes come back. */
TEST_F(run, guest_memory_both_ways)
{
	struct vcpu *v = &self->vcpu;
	__u64 *in = GUEST(&self->vm, guest_buf_in);
	__u64 *out = GUEST(&self->vm, guest_buf_out);
	__u64 mul = test_rand(&self->rand) | 1, sum = 0;
	unsigned int i;

	for (i = 0; i < GUEST_BUF_WORDS; i++) {
		in[i] = test_rand(&self->rand);
		sum += in[i];
	}
	VCPU_START(v, guest_mem_transform, GUEST_BUF_WORDS, mul);
	VCPU_REPORT(v, sum);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	for (i = 0; i < GUEST_BUF_WORDS; i++)
		ASSERT_EQ_MSG(in[i] * mul + i, out[i], "word %u", i);
}

TEST_F(run, triple_fault_is_a_shutdown)
{
	VCPU_START(&self->vcpu, guest_triple_fault, 0, 0);
	VCPU_RUN(&self->vcpu, NVMX_EXIT_SHUTDOWN);
}

#define EXIT_REASON_HLT		12
#define EXIT_REASON_IO		30

TEST_F(run, stats_count_runs_and_exits)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_stats st;
	const unsigned int n = 20;
	__u64 sum = 0;
	unsigned int i;

	memset(&st, 0xa5, sizeof(st));
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &st));
	EXPECT_EQ(0, st.runs);
	EXPECT_EQ(0, st.exits);
	EXPECT_EQ(0, st.user_exits);
	VCPU_START(v, guest_out_n, 0x50, n);
	for (i = 0; i < n; i++) {
		VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_OUT, 0x50, 1, 1));
		ASSERT_EQ_MSG(i, *(__u8 *)vcpu_io_data(v), "OUT %u", i);
	}
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &st));
	EXPECT_EQ(n + 1, st.runs);
	EXPECT_EQ(n + 1, st.user_exits);
	EXPECT_EQ(n, st.exit_reason[EXIT_REASON_IO]);
	EXPECT_EQ(1, st.exit_reason[EXIT_REASON_HLT]);
	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++)
		sum += st.exit_reason[i];
	EXPECT_EQ(sum, st.exits);
	EXPECT_LE(n + 1, st.exits);
	/* No VMX exposed, so nothing nested happened. */
	EXPECT_EQ(0, st.nested_entries);
	EXPECT_EQ(0, st.nested_exits);
	EXPECT_EQ(0, st.l2_exits);
}

TEST_HARNESS_MAIN
