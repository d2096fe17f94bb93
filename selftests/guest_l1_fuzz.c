// SPDX-License-Identifier: GPL-2.0-only
/*
 * A seeded, reproducible fuzzing L1 (guest code, like guest_l1.c): it
 * launches L2 on many VMCS12s, each the valid one of tools/guests/vmx_l1.c
 * with one or two fields changed at random, and checks that every outcome
 * is one the SDM allows:
 *   - VMfailValid with error 7 (controls) or 8 (host state), never
 *     VMfailInvalid or another error;
 *   - or a VM-entry failure exit, 33 or 34 with bit 31, and no other;
 *   - or L2 runs and exits, never after a change that made the host state
 *     invalid.
 * Guest-state and control fields get any value, except that the exit
 * controls keep "host address-space size" and "load IA32_EFER"; host-state
 * fields only values that make them invalid, so that L1 itself never
 * resumes on a strange host state. L1's VMX-preemption timer bounds every
 * L2 run. The MSR-store and exit MSR-load lists are never enabled: they
 * write L1's memory and MSRs. L2 always runs on an EPT12 that maps only
 * its code, its stack and the page tables it walks: whatever state it
 * gets, L2 cannot write L1's memory (a write elsewhere is L1's EPT
 * violation). What the host sees of it (an oops, an entry the CPU refused
 * although nvmx's checks accepted it) the test checks around it.
 *
 * l1_fuzz() then runs, from the same seed, the random L2 instruction
 * streams of guest_l1_fuzz_insn.c and the random EPT12 translations of
 * guest_l1_fuzz_ept.c, both in the sandbox of guest_l1_fuzz_l2.c.
 */
#include <stdalign.h>
#include <stdbool.h>

#include "guest.h"
#include "guest_l1_fuzz.h"
#include "loader.h"

#define VMCS_GUEST_SEL(i)	(VMCS_GUEST_ES_SEL + 2 * (i))
#define VMCS_GUEST_LIMIT(i)	(VMCS_GUEST_ES_LIMIT + 2 * (i))
#define VMCS_GUEST_AR(i)	(VMCS_GUEST_ES_AR + 2 * (i))
#define VMCS_GUEST_PAT		0x2804
#define VMCS_GUEST_DEBUGCTL	0x2802
#define VMCS_TSC_OFFSET		0x2010
#define VMCS_ENTRY_EXC_ERROR	0x4018
#define VMCS_ENTRY_INSN_LEN	0x401a
#define VMCS_HOST_SS_SEL_ENC	0x0c04
#define PIN_TIMER		(1u << 6)
#define EXIT_KEEP_L1		((1u << 9) | (1u << 21))
#define EXIT_SAVE_TIMER		(1u << 22)
#define L2_TIMER_TICKS		200000

static alignas(4096) __u8 fz_pages[3][4096];	/* VMXON, VMCS, MSR bitmap */
/* The launch under way and its last change, for the host to read. */
__u64 l1_fuzz_now[3];
__u64 l1_fuzz_cfg[5];
static alignas(4096) __u8 fz_stack[4096];
static __u64 fz_vmcs12_eptp;
static struct l1_regs fz_regs;

/* Fields that get any value: controls and guest state. */
static const __u16 fz_any[] = {
	VMCS_PIN_CTLS, VMCS_PROC_CTLS, VMCS_PROC2_CTLS, VMCS_EXIT_CTLS,
	VMCS_ENTRY_CTLS, VMCS_EXCEPTION_BITMAP, VMCS_PFEC_MASK,
	VMCS_PFEC_MATCH, VMCS_CR3_TARGET_COUNT, VMCS_ENTRY_INTR_INFO,
	VMCS_ENTRY_EXC_ERROR, VMCS_ENTRY_INSN_LEN, VMCS_ENTRY_MSR_LOAD_COUNT,
	VMCS_ENTRY_MSR_LOAD_ADDR, VMCS_IO_BITMAP_A, VMCS_IO_BITMAP_B,
	VMCS_MSR_BITMAP, VMCS_VPID, VMCS_TSC_OFFSET,
	VMCS_CR0_MASK, VMCS_CR4_MASK, VMCS_CR0_SHADOW, VMCS_CR4_SHADOW,
	VMCS_LINK_PTR, VMCS_GUEST_EFER, VMCS_GUEST_PAT, VMCS_GUEST_DEBUGCTL,
	VMCS_GUEST_RFLAGS, VMCS_GUEST_DR7, VMCS_GUEST_INTERRUPTIBILITY,
	VMCS_GUEST_ACTIVITY, VMCS_GUEST_PENDING_DBG,
	VMCS_GUEST_SYSENTER_CS, VMCS_GUEST_SYSENTER_ESP,
	VMCS_GUEST_SYSENTER_EIP, VMCS_GUEST_CR0, VMCS_GUEST_CR4,
	VMCS_GUEST_SEL(0), VMCS_GUEST_SEL(2), VMCS_GUEST_SEL(3),
	VMCS_GUEST_SEL(6), VMCS_GUEST_SEL(7),
	VMCS_GUEST_LIMIT(0), VMCS_GUEST_LIMIT(1), VMCS_GUEST_LIMIT(2),
	VMCS_GUEST_LIMIT(7), VMCS_GUEST_AR(0), VMCS_GUEST_AR(1),
	VMCS_GUEST_AR(2), VMCS_GUEST_AR(3), VMCS_GUEST_AR(6),
	VMCS_GUEST_AR(7), VMCS_GUEST_GDTR_LIMIT, VMCS_GUEST_IDTR_LIMIT,
};

static __u64 bad_selector(__u64 valid, __u64 r)
{
	return valid | 1 | (r & 6);		/* RPL or TI set */
}

static __u64 bad_noncanonical(__u64 valid, __u64 r)
{
	return 0x8000000000000000ULL | (r & 0xffffffffffffULL);
}

static __u64 bad_cr0(__u64 valid, __u64 r)
{
	return valid & ~(r & 1 ? 1ULL : 1ULL << 31);	/* PE or PG clear */
}

static __u64 bad_cr4(__u64 valid, __u64 r)
{
	return valid & ~(r & 1 ? 1ULL << 13 : 1ULL << 5);	/* VMXE, PAE */
}

static __u64 bad_efer(__u64 valid, __u64 r)
{
	return valid & ~(1ULL << 10);		/* LMA against the host size */
}

/* Host-state fields, each with a way to make it invalid. */
static const struct {
	__u16 field;
	__u64 (*bad)(__u64 valid, __u64 r);
} fz_host_fields[] = {
	{ VMCS_HOST_CS_SEL, bad_selector },
	{ VMCS_HOST_SS_SEL_ENC, bad_selector },
	{ VMCS_HOST_TR_SEL, bad_selector },
	{ VMCS_HOST_FS_BASE, bad_noncanonical },
	{ VMCS_HOST_GS_BASE, bad_noncanonical },
	{ VMCS_HOST_TR_BASE, bad_noncanonical },
	{ VMCS_HOST_GDTR_BASE, bad_noncanonical },
	{ VMCS_HOST_IDTR_BASE, bad_noncanonical },
	{ VMCS_HOST_SYSENTER_ESP, bad_noncanonical },
	{ VMCS_HOST_SYSENTER_EIP, bad_noncanonical },
	{ VMCS_HOST_CR0, bad_cr0 },
	{ VMCS_HOST_CR4, bad_cr4 },
	{ VMCS_HOST_EFER, bad_efer },
};

static void l2_fz(void)
{
	for (;;)
		asm volatile("vmcall" : : "a"(0) : "memory");
}

/*
 * L1's own exceptions (there should be none): a gate for #UD, #DF, #GP
 * and #PF whose handler reports 0xbad << 32 | vector, the error code,
 * RIP and CR2, then halts.
 */
static struct l1_gate fz_idt[32];

void fz_trap6(void);
void fz_trap8(void);
void fz_trap13(void);
void fz_trap14(void);
asm(".pushsection .text, \"ax\", @progbits\n"
	"fz_trap6:\n"
	"	pushq $0\n"
	"	pushq $6\n"
	"	jmp fz_trap\n"
	"fz_trap8:\n"
	"	pushq $8\n"
	"	jmp fz_trap\n"
	"fz_trap13:\n"
	"	pushq $13\n"
	"	jmp fz_trap\n"
	"fz_trap14:\n"
	"	pushq $14\n"
	"fz_trap:\n"
	"	movl (%rsp), %eax\n"
	"	outl %eax, $0xe0\n"
	"	movl $0xbad, %eax\n"
	"	outl %eax, $0xe4\n"
	"	movl 8(%rsp), %eax\n"
	"	outl %eax, $0xe0\n"
	"	movl 12(%rsp), %eax\n"
	"	outl %eax, $0xe4\n"
	"	movl 16(%rsp), %eax\n"
	"	outl %eax, $0xe0\n"
	"	movl 20(%rsp), %eax\n"
	"	outl %eax, $0xe4\n"
	"	movq %cr2, %rax\n"
	"	outl %eax, $0xe0\n"
	"	shrq $32, %rax\n"
	"	outl %eax, $0xe4\n"
	"1:	hlt\n"
	"	jmp 1b\n"
	".popsection\n");

static void fz_setup_idt(void)
{
	struct {
		__u16 limit;
		__u64 base;
	} __attribute__((packed)) dtr = { sizeof(fz_idt) - 1, (__u64)fz_idt };

	l1_set_gate(fz_idt, 6, fz_trap6);
	l1_set_gate(fz_idt, 8, fz_trap8);
	l1_set_gate(fz_idt, 13, fz_trap13);
	l1_set_gate(fz_idt, 14, fz_trap14);
	asm volatile("lidt %0" : : "m"(dtr) : "memory");
}

/*
 * EPT12 for L2: only what it needs, its code (read, execute), its stack
 * (read, write) and L1's page tables, which it walks (read): whatever
 * state the fuzzer gives L2, it cannot write L1's memory. Tables: PML4,
 * PDPT, PD, and PTs from a pool.
 */
#define FZ_NR_PT	6

static alignas(4096) __u64 fz_ept[3 + FZ_NR_PT][512];
static unsigned int fz_pts;

static void fz_ept_map(__u64 gpa, __u64 perms)
{
	__u64 *pde = &fz_ept[2][(gpa >> 21) & 511], *pt;

	if (!*pde) {
		if (fz_pts == FZ_NR_PT)
			return;
		*pde = (__u64)fz_ept[3 + fz_pts++] | FZ_EPT_R | FZ_EPT_W |
		       FZ_EPT_X;
	}
	pt = (__u64 *)(*pde & ~0xfffULL);
	pt[(gpa >> 12) & 511] = (gpa & ~0xfffULL) | perms | FZ_EPT_WB;
}

/* The EPT pointer of L2's EPT12 (memory below 1 GiB only). */
static __u64 fz_ept_build(void)
{
	__u64 a;

	fz_ept[0][0] = (__u64)fz_ept[1] | FZ_EPT_R | FZ_EPT_W | FZ_EPT_X;
	fz_ept[1][0] = (__u64)fz_ept[2] | FZ_EPT_R | FZ_EPT_W | FZ_EPT_X;
	for (a = NVMX_LOADER_PML4; a < NVMX_LOADER_PD + 0x4000; a += 0x1000)
		fz_ept_map(a, FZ_EPT_R);
	fz_ept_map((__u64)l2_fz & ~0xfffULL, FZ_EPT_R | FZ_EPT_X);
	fz_ept_map(((__u64)l2_fz + 0x1000) & ~0xfffULL, FZ_EPT_R | FZ_EPT_X);
	for (a = (__u64)fz_stack; a < (__u64)fz_stack + sizeof(fz_stack);
	     a += 0x1000)
		fz_ept_map(a, FZ_EPT_R | FZ_EPT_W);
	return (__u64)fz_ept[0] | 6 | (3 << 3);
}

__u64 fz_next(__u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s ^ (*s >> 29);
}

/* Any value: random, one bit flipped or set, all zeros or all ones. */
static __u64 fz_value(__u64 valid, __u64 *s)
{
	__u64 r = fz_next(s);

	switch (r % 6) {
	case 0:
		return fz_next(s);
	case 1:
		return valid ^ (1ULL << (fz_next(s) % 64));
	case 2:
		return valid | (1ULL << (fz_next(s) % 32));
	case 3:
		return 0;
	case 4:
		return ~0ULL;
	default:
		return valid & ~(1ULL << (fz_next(s) % 32));
	}
}


/* The valid VMCS12, current and clear, with L1's timer for L2. */
static void fz_base(void)
{
	l1_vmclear((__u64)fz_pages[1]);
	l1_vmptrld((__u64)fz_pages[1]);
	l1_vmcs_controls(0, fz_pages[2]);
	l1_vmcs_host();
	l1_vmcs_guest(l2_fz, fz_stack + sizeof(fz_stack));
	/* L2 gets no IDT: its exceptions end in a triple fault, L1's exit. */
	l1_vmwrite(VMCS_GUEST_IDTR_LIMIT, 0);
	l1_vmwrite(VMCS_PIN_CTLS, l1_ctl(0x481, 0x48d, PIN_TIMER));
	l1_vmwrite(VMCS_PREEMPTION_TIMER, L2_TIMER_TICKS);
	l1_vmwrite(VMCS_PROC_CTLS, l1_vmread(VMCS_PROC_CTLS) |
		   L1_PROC_SECONDARY);
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, L1_PROC2_EPT));
	l1_vmwrite(VMCS_EPT_POINTER, fz_vmcs12_eptp);
}

/* One launch; the outcome's class, or 0 when the SDM does not allow it. */
static unsigned int fz_launch(bool host_bad, __u32 *what)
{
	__u32 reason, err;

	if (l1_run(&fz_regs, 1)) {
		if (l1_fail_flags & L1_RFLAGS_CF) {
			*what = 0xcf;
			return 0;
		}
		err = l1_vmread(VMCS_VM_INSTRUCTION_ERROR);
		*what = err;
		return err == 7 ? 1 : err == 8 ? 2 : 0;
	}
	reason = l1_vmread(VMCS_EXIT_REASON);
	*what = reason;
	if (reason & 0x80000000u)
		return (reason & 0xffff) == 33 ? 3 :
		       (reason & 0xffff) == 34 ? 4 : 0;
	return host_bad ? 0 : 5;
}

/**
 * l1_fuzz() - @n launches of VMCS12s changed at random from @seed
 * @seed: the seed: the same seed, the same VMCS12s
 * @n: how many
 *
 * Reports, in order: VMfailValid(7), VMfailValid(8), exits 33, exits 34
 * and L2 runs counted; the outcomes the SDM does not allow; for the first
 * of those, its iteration, field, value and what happened (0 when none).
 * Then the random L2 instruction streams and EPT12 probes of
 * l1_fuzz_cfg run, from the same seed, and report their counters
 * (fz_streams(), fz_ept_probes()).
 */
void l1_fuzz(__u64 seed, __u64 n)
{
	__u64 count[6] = { 0 }, s = seed, i, bad_i = 0, bad_val = 0;
	__u32 what, bad_field = 0, bad_what = 0;

	fz_setup_idt();
	fz_vmcs12_eptp = fz_ept_build();
	l1_vmx_on(fz_pages[0], fz_pages[1]);
	for (i = 0; i < n; i++) {
		bool host_bad = false;
		__u32 field = 0;
		__u64 val = 0, r = fz_next(&s);
		unsigned int k, outcome, changes = 1 + (r & 1);

		fz_base();
		for (k = 0; k < changes; k++) {
			r = fz_next(&s);
			if (r % 4 == 0) {
				unsigned int h = (r >> 8) %
					(sizeof(fz_host_fields) /
					 sizeof(fz_host_fields[0]));

				field = fz_host_fields[h].field;
				val = fz_host_fields[h].bad(l1_vmread(field),
							    fz_next(&s));
				host_bad = true;
			} else {
				field = fz_any[(r >> 8) % (sizeof(fz_any) /
							   sizeof(fz_any[0]))];
				val = fz_value(l1_vmread(field), &s);
				/*
				 * L1 must come back 64-bit with its own EFER:
				 * L2's could lack NXE, which L1's page tables
				 * need (its loss is architectural, and fatal).
				 */
				if (field == VMCS_EXIT_CTLS)
					val |= EXIT_KEEP_L1;
				/* L2 always runs confined by its EPT12. */
				if (field == VMCS_PROC_CTLS)
					val |= L1_PROC_SECONDARY;
				if (field == VMCS_PROC2_CTLS)
					val |= L1_PROC2_EPT;
			}
			l1_vmwrite(field, val);
			l1_fuzz_now[0] = i;
			l1_fuzz_now[1] = field;
			l1_fuzz_now[2] = val;
		}
		outcome = fz_launch(host_bad, &what);
		count[outcome]++;
		if (!outcome && !bad_field) {
			bad_i = i;
			bad_field = field;
			bad_val = val;
			bad_what = what;
		}
	}
	for (i = 1; i < 6; i++)
		guest_report(count[i]);
	guest_report(count[0]);
	guest_report(bad_i);
	guest_report(bad_field);
	guest_report(bad_val);
	guest_report(bad_what);
	fz_l2_setup();
	fz_streams(seed, l1_fuzz_cfg[4], l1_fuzz_cfg[0], l1_fuzz_cfg[1],
		   l1_fuzz_cfg[3]);
	fz_ept_probes(seed, l1_fuzz_cfg[4], l1_fuzz_cfg[2]);
	l1_vmx_off();
}
