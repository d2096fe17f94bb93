// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 hypervisor of the nested tests (see guest_l1.h). Guest code:
 * the same rules as guest.c (freestanding, nothing outside this file
 * and the inline helpers of guest.h).
 *
 * L2 runs in L1's address space with L1's page tables, GDT and IDT, on
 * its own stack, in 64-bit mode at CPL 0 (tools/guests/vmx_l1.c sets up
 * the VMCS).
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1.h"
#include "guests/vmx_l1.h"
#include "loader.h"

#define MSR_GS_BASE			0xc0000101
#define MSR_KERNEL_GS_BASE		0xc0000102
#define MSR_FS_BASE			0xc0000100
#define MSR_SYSENTER_ESP		0x175
#define VMCS_EXIT_MSR_STORE_ADDR	0x2006
#define VMCS_EXIT_MSR_LOAD_ADDR		0x2008
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_PREEMPTION_TIMER		0x482e
#define CR4_PCE				(1ULL << 8)
#define CR4_OSXMMEXCPT			(1ULL << 10)

/* VMXON region, VMCS, MSR bitmap, an MSR-load list; L2's stack. */
static alignas(4096) __u8 l1_pages[4][4096];
__u8 *const l1_vmcs12 = l1_pages[1];
static alignas(16) __u8 l2_stack[4096];
static struct l1_regs l2_regs;
/* What L2 found wrong, and what it computed, for L1 to report. */
static __u64 l2_errors, l2_value;

/* VMX on, a VMCS for L2 at @fn with primary controls @proc. */
static void l1_setup(void (*fn)(void), __u32 proc)
{
	l1_vmx_on(l1_pages[0], l1_pages[1]);
	l1_vmcs_controls(proc, l1_pages[2]);
	l1_vmcs_host();
	l1_vmcs_guest(fn, l2_stack + sizeof(l2_stack));
	l2_errors = 0;
	l2_value = 0;
}

/* Run L2 to its next exit; report a VMfail. Return: the exit reason. */
static __u32 l1_enter(__u64 launch)
{
	if (l1_run(&l2_regs, launch)) {
		guest_report(0xfa11);
		guest_report(l1_fail_flags & (L1_RFLAGS_CF | L1_RFLAGS_ZF));
		guest_report(l1_vmread(VMCS_VM_INSTRUCTION_ERROR));
		return 0;
	}
	return l1_vmread(VMCS_EXIT_REASON);
}

/* L2 code. */

static void l2_vmcall(__u64 nr);

static void l2_vmcall_forever(void)
{
	for (;;)
		l2_vmcall(0);
}

static void l2_vmcall(__u64 nr)
{
	asm volatile("vmcall" : "+a"(nr) : : "rcx", "rdx", "memory");
}

static __u64 l2_vmcall_ret(__u64 nr)
{
	asm volatile("vmcall" : "+a"(nr) : : "memory");
	return nr;
}

/* CPUID, an OUT, a HLT, then VMCALL round trips numbered from 0. */
static void l2_chatty(void)
{
	__u32 a = 0, b, c = 0, d;
	__u64 i;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	l2_value = (__u64)a << 32 | b;
	guest_outb(0x80, 0x5a);
	guest_hlt();
	for (i = 0;; i++)
		if (l2_vmcall_ret(i) != i + 1)
			l2_errors++;
}

/**
 * l1_test_round_trips() - L2's CPUID, OUT, HLT and @n VMCALLs, all L1's
 * @n: how many VMCALL round trips
 *
 * Reports: the exit reasons with the CPUID result L2 saw and the I/O
 * qualification, then the round trips done and the mismatches L1 and L2
 * saw (0, 0).
 */
void l1_test_round_trips(__u64 n)
{
	__u64 i, bad = 0;
	__u32 reason;

	l1_setup(l2_chatty, L1_PROC_HLT | L1_PROC_UNCOND_IO);
	reason = l1_enter(1);
	guest_report(reason);					/* CPUID */
	l2_regs.rax = 0x11;
	l2_regs.rbx = 0x22;
	l1_skip();
	reason = l1_enter(0);
	guest_report(reason);					/* OUT */
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_skip();
	guest_report(l1_enter(0));				/* HLT */
	guest_report(l2_value);
	l1_skip();
	for (i = 0; i < n; i++) {
		reason = l1_enter(0);
		if (reason != EXIT_VMCALL || l2_regs.rax != i)
			bad++;
		l2_regs.rax = i + 1;
		l1_skip();
	}
	guest_report(i);
	guest_report(bad);
	guest_report(l2_errors);
	l1_vmx_off();
}


/* A field written, a VM entry tried, its outcome reported, the field back. */
static void l1_try(__u64 field, __u64 bad, __u64 good, __u64 launch)
{
	l1_vmwrite(field, bad);
	guest_report(l1_enter(launch));
	l1_vmwrite(field, good);
}

/**
 * l1_test_vmfail() - VMLAUNCH and VMRESUME that fail outright
 *
 * Reports, for each, 0xfa11, the RFLAGS (CF/ZF) and the VM-instruction
 * error, then l1_enter()'s 0: VMRESUME of a clear VMCS (5), 5 CR3-target
 * values (7), HOST_CR3 beyond the physical width (8); then a VMLAUNCH
 * that works (18) and one of a launched VMCS (4); VMRESUME without a
 * current VMCS (CF).
 */
void l1_test_vmfail(void)
{
	__u64 cr3, vmcs = (__u64)l1_pages[1];

	l1_setup(l2_vmcall_forever, 0);
	cr3 = l1_vmread(VMCS_HOST_CR3);
	guest_report(l1_enter(0));
	l1_try(VMCS_CR3_TARGET_COUNT, 5, 0, 1);
	l1_try(VMCS_HOST_CR3, 1ULL << 52, cr3, 1);
	guest_report(l1_enter(1));
	l1_skip();
	guest_report(l1_enter(1));
	l1_vmclear(vmcs);
	guest_report(l1_enter(0));
	l1_vmx_off();
}

/* The MSR-load list of the entry: one entry in l1_pages[3]. */
static void l1_msr_list(__u32 msr, __u64 val)
{
	__u64 *e = (__u64 *)l1_pages[3];

	e[0] = msr;
	e[1] = val;
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_ADDR, (__u64)e);
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 1);
}

/* RDMSR of KERNEL_GS_BASE passed through (MSR bitmap all zeros). */
static void l2_read_kgs(void)
{
	for (;;)
		l2_vmcall(l1_rdmsr(MSR_KERNEL_GS_BASE));
}

/**
 * l1_test_entry_failures() - VM entries that fail on L2's state
 *
 * Reports (reason, qualification) pairs: RFLAGS bit 15 set (33|bit 31,
 * 0), then the same VMCS launched (18) with L2's RDMSR result; an
 * MSR-load list with FS_BASE (34|bit 31, entry 1); one that loads
 * KERNEL_GS_BASE, which L2 reads back (18, the value); then with the
 * VM-exit MSR-store list (L2's KERNEL_GS_BASE) and MSR-load list
 * (SYSENTER_ESP for L1): 18, the value, what the store list got, and
 * L1's SYSENTER_ESP after the exit.
 */
void l1_test_entry_failures(void)
{
	__u64 *store = (__u64 *)(l1_pages[3] + 64);
	__u64 *load = (__u64 *)(l1_pages[3] + 128);

	l1_setup(l2_read_kgs, L1_PROC_MSR_BITMAPS);
	l1_try(VMCS_GUEST_RFLAGS, 0x8002, 2, 1);
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_msr_list(MSR_FS_BASE, 0);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_msr_list(MSR_KERNEL_GS_BASE, 0x1234567000ULL);
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	l1_skip();
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	store[0] = MSR_KERNEL_GS_BASE;
	store[1] = 0;
	load[0] = MSR_SYSENTER_ESP;
	load[1] = 0x5a5a000;
	l1_vmwrite(VMCS_EXIT_MSR_STORE_ADDR, (__u64)store);
	l1_vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 1);
	l1_vmwrite(VMCS_EXIT_MSR_LOAD_ADDR, (__u64)load);
	l1_vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 1);
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	guest_report(store[1]);
	guest_report(l1_rdmsr(MSR_SYSENTER_ESP));
	l1_vmx_off();
}

/**
 * l1_test_hostile_lists() - VMCS12 addresses at the edge of L1's memory
 * @ram_end: the first guest-physical address past L1's memory (MMIO)
 *
 * Reports (reason, qualification) pairs: the VMCS link pointer at the
 * current VMCS12 itself (33|bit 31, 4); a VM-entry MSR-load list of two
 * entries whose second lies past @ram_end (34|bit 31, entry 2). Then L2
 * runs with a VM-exit MSR-store list of two entries whose second lies
 * past @ram_end: its first exit is a VMX abort (the host sees the vCPU
 * shut down; the indicator, 1, is in the VMCS12's region).
 */
void l1_test_hostile_lists(__u64 ram_end)
{
	__u64 *edge = (__u64 *)(ram_end - 16);

	edge[0] = MSR_KERNEL_GS_BASE;
	edge[1] = 0xabc000;
	l1_setup(l2_vmcall_forever, 0);
	l1_vmwrite(VMCS_LINK_PTR, (__u64)l1_pages[1]);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_vmwrite(VMCS_LINK_PTR, ~0ULL);
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_ADDR, (__u64)edge);
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 2);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	l1_vmwrite(VMCS_EXIT_MSR_STORE_ADDR, (__u64)edge);
	l1_vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 2);
	guest_report(0xab0);
	l1_enter(1);
	guest_report(0xbad);		/* not reached: the abort */
}

/* Controls and fields for the table below. */
#define PIN_DEFAULT1		0x16ULL
#define PROC_IO_BITMAPS		(1ULL << 25)
#define VMCS_IO_BITMAP_A	0x2000
#define VMCS_GUEST_CS_AR	(VMCS_GUEST_ES_AR + 2)
#define VMCS_GUEST_TR_AR	(VMCS_GUEST_ES_AR + 14)
#define INVALID_GUEST		EXIT_INVALID_GUEST
#define LINK_PTR_QUAL		4

/*
 * VMCS12 settings that make VM entry fail, each with the outcome the SDM
 * gives ("Checks on VMX Controls and Host-State Area": VMfailValid 7 or
 * 8; "Checks on the Guest State Area": exit 33 with bit 31).
 */
const struct l1_bad_case l1_bad_cases[] = {
	{ "pin-based control 31, never allowed",
	  VMCS_PIN_CTLS, PIN_DEFAULT1 | (1ULL << 31), 0, 0, 7, 0, 0 },
	{ "5 CR3-target values, 4 supported",
	  VMCS_CR3_TARGET_COUNT, 5, 0, 0, 7, 0, 0 },
	{ "I/O bitmap A not 4-KByte aligned",
	  VMCS_IO_BITMAP_A, 0x1001, VMCS_PROC_CTLS, PROC_IO_BITMAPS, 7, 0, 0 },
	{ "MSR bitmap not 4-KByte aligned",
	  VMCS_MSR_BITMAP, 0x1008, VMCS_PROC_CTLS, L1_PROC_MSR_BITMAPS,
	  7, 0, 0 },
	{ "event injection of reserved type 1",
	  VMCS_ENTRY_INTR_INFO, 0x80000100ULL | 32, 0, 0, 7, 0, 0 },
	{ "VM-entry MSR-load list not 16-byte aligned",
	  VMCS_ENTRY_MSR_LOAD_ADDR, 0x1008, VMCS_ENTRY_MSR_LOAD_COUNT, 1,
	  7, 0, 0 },
	{ "host CR4 without VMXE",
	  VMCS_HOST_CR4, 0x20, 0, 0, 8, 0, 0 },
	{ "host CS selector 0",
	  VMCS_HOST_CS_SEL, 0, 0, 0, 8, 0, 0 },
	{ "host TR selector 0",
	  VMCS_HOST_TR_SEL, 0, 0, 0, 8, 0, 0 },
	{ "host FS base not canonical",
	  VMCS_HOST_FS_BASE, 0x8000000000000000ULL, 0, 0, 8, 0, 0 },
	{ "host SYSENTER_EIP not canonical",
	  VMCS_HOST_SYSENTER_EIP, 0x0000800000000000ULL, 0, 0, 8, 0, 0 },
	{ "guest RFLAGS bit 1 clear",
	  VMCS_GUEST_RFLAGS, 0, 0, 0, 0, INVALID_GUEST, 0 },
	{ "guest activity state 5, reserved",
	  VMCS_GUEST_ACTIVITY, 5, 0, 0, 0, INVALID_GUEST, 0 },
	{ "guest interruptibility bit 4, reserved",
	  VMCS_GUEST_INTERRUPTIBILITY, 0x10, 0, 0, 0, INVALID_GUEST, 0 },
	{ "guest CS unusable",
	  VMCS_GUEST_CS_AR, 0x10000, 0, 0, 0, INVALID_GUEST, 0 },
	{ "guest TR a 16-bit TSS in IA-32e mode",
	  VMCS_GUEST_TR_AR, 0x83, 0, 0, 0, INVALID_GUEST, 0 },
	{ "VMCS link pointer not FFFFFFFF_FFFFFFFFH",
	  VMCS_LINK_PTR, 0x1000, 0, 0, 0, INVALID_GUEST, LINK_PTR_QUAL },
	/* Hostile addresses: where L1 has no memory (MMIO) */
	{ "VMCS link pointer to MMIO",
	  VMCS_LINK_PTR, GUEST_MMIO_GPA, 0, 0, 0, INVALID_GUEST,
	  LINK_PTR_QUAL },
	{ "VM-entry MSR-load list in MMIO",
	  VMCS_ENTRY_MSR_LOAD_ADDR, GUEST_MMIO_GPA, VMCS_ENTRY_MSR_LOAD_COUNT,
	  1, 0, EXIT_MSR_LOAD_FAIL, 1 },
	{ "MSR bitmap beyond the physical-address width",
	  VMCS_MSR_BITMAP, 1ULL << 63, VMCS_PROC_CTLS, L1_PROC_MSR_BITMAPS,
	  7, 0, 0 },
	{ "VM-entry MSR-load list beyond the physical-address width",
	  VMCS_ENTRY_MSR_LOAD_ADDR, (1ULL << 63) - 16,
	  VMCS_ENTRY_MSR_LOAD_COUNT, 1, 7, 0, 0 },
	{ "EPT paging structures in MMIO: a misconfiguration for L1",
	  VMCS_EPT_POINTER, GUEST_MMIO_GPA | 0x1e, VMCS_PROC2_CTLS,
	  L1_PROC2_EPT, 0, EXIT_EPT_MISCONFIG, 0 },
	{ "EPTP with page-walk length 5, not offered",
	  VMCS_EPT_POINTER, 0x1000 | 0x26, VMCS_PROC2_CTLS, L1_PROC2_EPT,
	  7, 0, 0 },
	{ "VMCS shadowing, VMREAD-bitmap address not 4-KByte aligned",
	  VMCS_VMREAD_BITMAP, 0x1008, VMCS_PROC2_CTLS,
	  L1_PROC2_VMCS_SHADOWING, 7, 0, 0 },
	{ "VMCS shadowing, VMWRITE bitmap beyond the physical-address width",
	  VMCS_VMWRITE_BITMAP, 1ULL << 52, VMCS_PROC2_CTLS,
	  L1_PROC2_VMCS_SHADOWING, 7, 0, 0 },
};

const unsigned int l1_bad_case_count =
	sizeof(l1_bad_cases) / sizeof(l1_bad_cases[0]);

/**
 * l1_test_bad_case() - VMLAUNCH with l1_bad_cases[@i] applied
 * @i: the case
 *
 * Reports what l1_enter() does (for a VMfail: 0xfa11, RFLAGS, the error),
 * then the exit reason it returned (0 after a VMfail) and the exit
 * qualification.
 */
void l1_test_bad_case(__u64 i)
{
	const struct l1_bad_case *c = &l1_bad_cases[i];

	l1_setup(l2_vmcall_forever, 0);
	if (c->field2 == VMCS_PROC_CTLS) {
		l1_vmwrite(VMCS_PROC_CTLS,
			   l1_vmread(VMCS_PROC_CTLS) | c->value2);
	} else if (c->field2 == VMCS_PROC2_CTLS) {
		l1_vmwrite(VMCS_PROC_CTLS,
			   l1_vmread(VMCS_PROC_CTLS) | L1_PROC_SECONDARY);
		l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, c->value2));
	} else if (c->field2) {
		l1_vmwrite(c->field2, c->value2);
	}
	l1_vmwrite(c->field, c->value);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_vmx_off();
}

/* L2 reports to the host (L0 handles its OUT) again and again. */
static void l2_report_forever(void)
{
	for (;;)
		guest_report(0x5b1);
}

/**
 * l1_test_events() - an interrupt and an NMI for L1 while L2 runs
 *
 * L1 intercepts external interrupts (acknowledging them on exit) and
 * NMIs; L2 reports 0x5b1 in a loop. Reports each exit's reason and
 * interruption information.
 */
void l1_test_events(void)
{
	l1_setup(l2_report_forever, 0);
	l1_vmwrite(VMCS_PIN_CTLS, l1_ctl(0x481, 0x48d, 1 | 8));
	l1_vmwrite(VMCS_EXIT_CTLS, l1_ctl(0x483, 0x48f, (1U << 9) |
					  (1U << 21) | (1U << 15)));
	guest_report(l1_enter(1));
	guest_report(l1_vmread(0x4404));	/* VM-exit interruption info */
	guest_report(l1_enter(0));
	guest_report(l1_vmread(0x4404));
	l1_vmx_off();
}

/* L2 spins without an exit of its own. */
static void l2_spin_forever(void)
{
	for (;;)
		asm volatile("pause" : : : "memory");
}

/**
 * l1_test_apic_timer() - L1's in-kernel APIC timer fires while L2 runs
 * @count: the one-shot count (ns)
 *
 * As l1_test_events(), the interrupt coming from L1's xAPIC timer
 * (vector 0x50) while L2 spins: reports the exit reason and interruption
 * information, then the PPR with the acknowledged vector in service, and
 * after EOI.
 */
void l1_test_apic_timer(__u64 count)
{
	volatile __u32 *apic = (volatile __u32 *)0xfee00000UL;

	l1_setup(l2_spin_forever, 0);
	l1_vmwrite(VMCS_PIN_CTLS, l1_ctl(0x481, 0x48d, 1));
	l1_vmwrite(VMCS_EXIT_CTLS, l1_ctl(0x483, 0x48f, (1U << 9) |
					  (1U << 21) | (1U << 15)));
	apic[0xf0 / 4] = 0x1ff;			/* SVR: enabled */
	apic[0x3e0 / 4] = 0xb;			/* divide by 1 */
	apic[0x320 / 4] = 0x50;			/* LVT timer: one-shot */
	apic[0x380 / 4] = count;
	guest_report(l1_enter(1));
	guest_report(l1_vmread(0x4404));
	guest_report(apic[0xa0 / 4]);		/* PPR */
	apic[0xb0 / 4] = 0;			/* EOI */
	guest_report(apic[0xa0 / 4]);
	l1_vmx_off();
}

#define VMCS_VIRTUAL_APIC_ADDR		0x2012
#define VMCS_TPR_THRESHOLD		0x401c
#define PROC_CR8_EXITING		(3U << 19)	/* load, store */
#define PROC_TPR_SHADOW			(1U << 21)

static alignas(4096) __u8 l1_vapic[4096];

/* L2 of the TPR-shadow test: CR8 = 6, read back; CR8 = 2, read back. */
static void l2_cr8(void)
{
	unsigned long v = 6;

	asm volatile("mov %0, %%cr8" : : "r"(v));
	asm volatile("mov %%cr8, %0" : "=r"(v));
	l2_vmcall(v);
	v = 2;
	asm volatile("mov %0, %%cr8" : : "r"(v));
	asm volatile("mov %%cr8, %0" : "=r"(v));
	l2_vmcall(v);
	l2_vmcall_forever();
}

/**
 * l1_test_tpr_shadow() - L2's CR8 under L1's TPR shadow, threshold 4
 *
 * Reports: the failed VMLAUNCH (l1_enter()'s three reports, then 0) of
 * a threshold above VTPR (0x30); with VTPR 0x50, L2's VMCALL (18) with
 * the CR8 it read back (6) and VTPR (0x60): no exit for either MOV; the
 * exit of its MOV of 2 (43, TPR below threshold), its qualification (0)
 * and VTPR (0x20); a VMRESUME that fails (l1_enter()'s reports, 0): the
 * threshold is above VTPR now; with threshold 2, L2's next VMCALL (18)
 * with the CR8 it read (2): the MOV was not done again.
 */
void l1_test_tpr_shadow(void)
{
	volatile __u32 *vtpr = (volatile __u32 *)(l1_vapic + 0x80);

	l1_setup(l2_cr8, 0);
	l1_vmwrite(VMCS_PROC_CTLS, (l1_vmread(VMCS_PROC_CTLS) |
				    PROC_TPR_SHADOW) & ~PROC_CR8_EXITING);
	l1_vmwrite(VMCS_VIRTUAL_APIC_ADDR, (__u64)l1_vapic);
	l1_vmwrite(VMCS_TPR_THRESHOLD, 4);
	*vtpr = 0x30;
	guest_report(l1_enter(1));
	*vtpr = 0x50;
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	guest_report(*vtpr);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	guest_report(*vtpr);
	/* VTPR 0x20 is below 4: VMRESUME would fail its check, as it does. */
	guest_report(l1_enter(0));
	l1_vmwrite(VMCS_TPR_THRESHOLD, 2);
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_vmx_off();
}

/**
 * l1_test_init() - INITs in VMX operation
 *
 * Reports 1 once in VMX operation; then the exit reason of a VMLAUNCH
 * (3, INIT signal: the test's INIT, held in VMX root, exits at once)
 * and of a VMRESUME of a spinning L2 (the test's second INIT), and that
 * exit's interruption information (0); then, in VMX root, where the
 * test's third INIT is held, GUEST_READY; then leaves VMX operation,
 * where that INIT takes effect: the vCPU never reports again.
 */
void l1_test_init(void)
{
	l1_setup(l2_spin_forever, 0);
	guest_report(1);
	guest_report(l1_enter(1));
	guest_report(l1_enter(0));
	guest_report(l1_vmread(0x4404));
	guest_report(GUEST_READY);
	l1_vmx_off();
	guest_report(0xbad);
}

/*
 * L2's IDT for injected events: vector 6 (#UD) and 0x30, whose handlers
 * tell L1 with a VMCALL that they ran, then return.
 */
static struct l1_gate l2_idt[256];

void l2_isr6(void);
void l2_isr30(void);
asm(".pushsection .text, \"ax\", @progbits\n"
	"l2_isr6:\n"
	"	pushq %rax\n"
	"	movl $0x0606, %eax\n"
	"	vmcall\n"
	"	popq %rax\n"
	"	iretq\n"			/* an injected fault: RIP as it was */
	"l2_isr30:\n"
	"	pushq %rax\n"
	"	movl $0x3030, %eax\n"
	"	vmcall\n"
	"	popq %rax\n"
	"	iretq\n"
	".popsection\n");

/*
 * l1_test_inject() - events L1 injects with VM entry
 *
 * L2 runs on its own IDT with interrupts enabled and VMCALLs 0 in a loop.
 * L1 injects external interrupt 0x30, then #UD: each handler's VMCALL
 * reaches L1 (18, 0x3030; 18, 0x0606), and L2 goes back to its loop
 * (18, 0). The entry's interruption information is invalid afterwards.
 */
void l1_test_inject(void)
{
	unsigned int i;

	l1_set_gate(l2_idt, 6, l2_isr6);
	l1_set_gate(l2_idt, 0x30, l2_isr30);
	l1_setup(l2_vmcall_forever, 0);
	l1_vmwrite(VMCS_GUEST_IDTR_BASE, (__u64)l2_idt);
	l1_vmwrite(VMCS_GUEST_IDTR_LIMIT, sizeof(l2_idt) - 1);
	l1_vmwrite(VMCS_GUEST_RFLAGS, 0x202);
	guest_report(l1_enter(1));			/* L2 runs */
	l1_skip();
	l1_vmwrite(VMCS_ENTRY_INTR_INFO, 0x80000030);	/* external, 0x30 */
	for (i = 0; i < 2; i++) {
		guest_report(l1_enter(0));
		guest_report(l2_regs.rax);
		guest_report(l1_vmread(VMCS_ENTRY_INTR_INFO) >> 31);
		l1_skip();
		if (!i)		/* hardware exception #UD, no error code */
			l1_vmwrite(VMCS_ENTRY_INTR_INFO, 0x80000306);
	}
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_vmx_off();
}

/**
 * l1_test_l2_interrupts() - an interrupt L1 does not intercept goes to L2
 *
 * L2 runs with interrupts enabled on its own IDT and reports 0x5b1 in a
 * loop; L1 has no external-interrupt exiting. An interrupt the host
 * raises is delivered through L2's IDT: its handler's VMCALL reaches L1
 * (18, 0x3030), and L2 goes back to reporting.
 */
void l1_test_l2_interrupts(void)
{
	l1_set_gate(l2_idt, 0x30, l2_isr30);
	l1_setup(l2_report_forever, 0);
	l1_vmwrite(VMCS_GUEST_IDTR_BASE, (__u64)l2_idt);
	l1_vmwrite(VMCS_GUEST_IDTR_LIMIT, sizeof(l2_idt) - 1);
	l1_vmwrite(VMCS_GUEST_RFLAGS, 0x202);
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	l1_skip();
	l1_enter(0);
}

void l2_traps(void);
asm(".pushsection .text, \"ax\", @progbits\n"
	".globl l2_traps\n"
	"l2_traps:\n"
	"	ud2\n"
	"	int3\n"
	"	nop\n"
	"	nop\n"
	"1:	vmcall\n"
	"	jmp 1b\n"
	".popsection\n");

/**
 * l1_test_exceptions() - L2's exceptions that L1's bitmap selects, and MTF
 *
 * L1 intercepts #UD and #BP. L2 executes UD2: exit 0 with a hardware
 * exception, vector 6, and RIP at the UD2; L1 skips it. INT3: a software
 * exception, vector 3, instruction length 1; L1 skips it. Then L1 sets
 * the monitor trap flag: L2 executes one NOP and exits (37), one byte
 * further (0xdead instead when L1's profile has no MTF). Reports reason,
 * interruption information, RIP offset (and the instruction length for
 * INT3).
 */
void l1_test_exceptions(void)
{
	__u32 proc;

	l1_setup(l2_traps, 0);
	l1_vmwrite(VMCS_EXCEPTION_BITMAP, (1u << 6) | (1u << 3));
	guest_report(l1_enter(1));
	guest_report(l1_vmread(0x4404));
	guest_report(l1_vmread(VMCS_GUEST_RIP) - (__u64)l2_traps);
	/* The exit's instruction length is not defined for a fault. */
	l1_vmwrite(VMCS_GUEST_RIP, (__u64)l2_traps + 2);
	guest_report(l1_enter(0));
	guest_report(l1_vmread(0x4404));
	guest_report(l1_vmread(VMCS_EXIT_INSN_LEN));
	l1_skip();
	proc = l1_ctl(0x482, 0x48e, l1_vmread(VMCS_PROC_CTLS) | (1u << 27));
	if (!(proc & (1u << 27))) {
		guest_report(0xdead);	/* no MTF in L1's profile */
		l1_vmx_off();
		return;
	}
	l1_vmwrite(VMCS_PROC_CTLS, proc);
	guest_report(l1_enter(0));
	guest_report(l1_vmread(VMCS_GUEST_RIP) - (__u64)l2_traps);
	l1_vmx_off();
}

/* An OUT and a RDMSR, each of which L1's bitmaps (in MMIO) select. */
static void l2_out_rdmsr(void)
{
	guest_outb(0x80, 1);
	l2_vmcall(l1_rdmsr(MSR_GS_BASE));
	for (;;)
		l2_vmcall(0);
}

/**
 * l1_test_hostile() - bitmaps in MMIO, a VMCS12 overwritten in memory
 *
 * L1 puts its I/O and MSR bitmaps where it has no memory: nvmx reads them
 * as all ones, so L2's OUT (30) and RDMSR (31) exit to L1. Then L1
 * overwrites its current VMCS12's memory with junk (the SDM leaves that
 * undefined; nvmx keeps using its copy): VMRESUME works (18) and VMREAD
 * gives what L1 wrote with VMWRITE before (GUEST_RSP as set up, which
 * reads back nonzero).
 */
void l1_test_hostile(void)
{
	unsigned int i;

	l1_setup(l2_out_rdmsr, L1_PROC_MSR_BITMAPS | PROC_IO_BITMAPS);
	l1_vmwrite(VMCS_IO_BITMAP_A, GUEST_MMIO_GPA);
	l1_vmwrite(VMCS_IO_BITMAP_A + 2, GUEST_MMIO_GPA + 0x1000);
	l1_vmwrite(VMCS_MSR_BITMAP, GUEST_MMIO_GPA + 0x2000);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION) >> 16);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rcx);
	l1_skip();
	for (i = 8; i < 4096; i++)
		l1_pages[1][i] = 0xa5;
	guest_report(l1_enter(0));
	guest_report(l1_vmread(VMCS_GUEST_RSP) != 0xa5a5a5a5a5a5a5a5ULL);
	l1_vmx_off();
}

static void l2_spin(void)
{
	for (;;)
		asm volatile("pause");
}

/**
 * l1_test_timer() - L2 runs under L1's VMX-preemption timer
 * @value: the timer value L1 gives L2
 *
 * Reports 0xdead if L1's profile has no timer, else the exit reason (52),
 * the value saved at the exit ("save VMX-preemption timer value": 0 once
 * expired) and how far L2 got from its first instruction (0 for a value
 * of 0: the exit comes before L2 executes anything).
 */
void l1_test_timer(__u64 value)
{
	__u32 pin = l1_ctl(0x481, 0x48d, 1u << 6);

	l1_setup(l2_spin, 0);
	if (!(pin & (1u << 6))) {
		guest_report(0xdead);
		l1_vmx_off();
		return;
	}
	l1_vmwrite(VMCS_PIN_CTLS, pin);
	l1_vmwrite(VMCS_EXIT_CTLS, l1_ctl(0x483, 0x48f, (1U << 9) |
					  (1U << 21) | (1U << 22)));
	l1_vmwrite(VMCS_PREEMPTION_TIMER, value);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_PREEMPTION_TIMER));
	guest_report(l1_vmread(VMCS_GUEST_RIP) - (__u64)l2_spin);
	l1_vmx_off();
}

static __u64 l2_n;
static __u64 l2_squares[L1_MIGRATE_MAX];

/* Squares into memory, each index reported to the host (L0's OUT). */
static void l2_count(void)
{
	__u64 i, sum = 0;

	for (i = 0; i < l2_n; i++) {
		l2_squares[i] = i * i;
		sum += i * i;
		guest_report(i);
	}
	for (;;)
		l2_vmcall(sum);
}

/**
 * l1_test_migrate() - an L2 whose state lives in registers and memory
 * @n: how many squares L2 computes (at most L1_MIGRATE_MAX)
 *
 * L2 reports 0 .. @n - 1 itself; then L1 reports L2's exit (18), the sum
 * of the squares L2 computed in a register, and how many squares in
 * memory are wrong (0).
 */
void l1_test_migrate(__u64 n)
{
	__u64 i, bad = 0;

	l2_n = n < L1_MIGRATE_MAX ? n : L1_MIGRATE_MAX;
	l1_setup(l2_count, 0);
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	for (i = 0; i < l2_n; i++)
		bad += l2_squares[i] != i * i;
	guest_report(bad);
	l1_vmx_off();
}

/**
 * l1_test_vmx_span() - VMXON, report 1, VMXOFF, report 2
 *
 * Lets the host act while L1 is in VMX operation and after.
 */
void l1_test_vmx_span(void)
{
	l1_vmx_on(l1_pages[0], l1_pages[1]);
	guest_report(1);
	l1_vmx_off();
	guest_report(2);
}

/*
 * EPT12: the low 4 GiB identity-mapped with 2-MByte pages, except the
 * 2 MBytes around l2_window, mapped with 4-KByte pages, l2_window itself
 * to l1_data[0]. Tables: PML4, PDPT, 4 PDs, 1 PT.
 */
#define EPT_R			1ULL
#define EPT_W			2ULL
#define EPT_X			4ULL
#define EPT_RWX			7ULL
#define EPT_WB			(6ULL << 3)
#define EPT_PS			(1ULL << 7)
#define EPT_MISCONFIG_W_ONLY	EPT_W

static alignas(4096) __u64 l1_ept[7][512];
static alignas(4096) __u64 l1_data[2][512];
static alignas(4096) __u64 l2_window[512];

/* The EPT12 leaf of L2's 4 KiB page @gpa (in the 4-KByte region). */
static __u64 *l1_ept_pte(__u64 gpa)
{
	return &l1_ept[6][(gpa >> 12) & 511];
}

static __u64 l1_ept_build(void)
{
	__u64 win = (__u64)l2_window, i, j;

	l1_ept[0][0] = (__u64)l1_ept[1] | EPT_RWX;
	for (i = 0; i < 4; i++) {
		l1_ept[1][i] = (__u64)l1_ept[2 + i] | EPT_RWX;
		for (j = 0; j < 512; j++)
			l1_ept[2 + i][j] = ((i << 30) | (j << 21)) | EPT_RWX |
					   EPT_WB | EPT_PS;
	}
	for (j = 0; j < 512; j++)
		l1_ept[6][j] = ((win & ~0x1fffffULL) | (j << 12)) | EPT_RWX |
			       EPT_WB;
	l1_ept[2 + (win >> 30)][(win >> 21) & 511] = (__u64)l1_ept[6] | EPT_RWX;
	*l1_ept_pte(win) = (__u64)l1_data[0] | EPT_RWX | EPT_WB;
	return (__u64)l1_ept[0] | 6 | (3 << 3);
}

static void l1_invept(void)
{
	__u64 desc[2] = { 0, 0 };

	asm volatile("invept %0, %1" : : "m"(desc), "r"(2ULL) : "cc", "memory");
}

/* L2 reads its window, writes it, and reads its second qword. */
static void l2_ept(void)
{
	volatile __u64 *w = l2_window;

	l2_vmcall(w[0]);		/* l1_data[0] */
	l2_vmcall(w[0]);		/* remapped: l1_data[1] */
	w[1] = 0x77;			/* read-only: L1 gets the violation */
	l2_vmcall(w[1]);
	l2_vmcall(w[2]);		/* not present, then misconfigured */
	for (;;)
		l2_vmcall(0);
}

/* Report an EPT exit: reason, low qualification bits, GPA's page offset. */
static void l1_report_ept_exit(__u32 reason)
{
	guest_report(reason);
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION) & 0x3f);
	guest_report(l1_vmread(VMCS_GUEST_PHYS_ADDR) - (__u64)l2_window);
}

/**
 * l1_test_ept() - L2 on an EPT12 that is not the identity
 *
 * Reports: L2's read of its window (l1_data[0]'s 0xa0a0), after a remap
 * to l1_data[1] and INVEPT (0xb1b1); a write to the window made
 * read-only (48, qualification write with R: 0xa, offset 8) and, made
 * writable again, L2's value (0x77, in l1_data[1]); a read of a page not
 * present (48, read: 1, offset 16), tried again through a write-only
 * entry (49, offset 16); L1's own view of l2_window (0x1111).
 */
void l1_test_ept(void)
{
	__u64 win = (__u64)l2_window;
	__u32 proc2;

	l2_window[0] = 0x1111;
	l1_data[0][0] = 0xa0a0;
	l1_data[1][0] = 0xb1b1;
	l1_setup(l2_ept, L1_PROC_SECONDARY);
	proc2 = l1_ctl(0x48b, 0x48b, L1_PROC2_EPT);
	l1_vmwrite(VMCS_PROC2_CTLS, proc2);
	l1_vmwrite(VMCS_EPT_POINTER, l1_ept_build());
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	l1_skip();
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_RWX | EPT_WB;
	l1_invept();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_skip();
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_R | EPT_X | EPT_WB;
	l1_invept();
	l1_report_ept_exit(l1_enter(0));
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_RWX | EPT_WB;
	l1_invept();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	guest_report(l1_data[1][1]);
	l1_skip();
	*l1_ept_pte(win) = 0;
	l1_invept();
	l1_report_ept_exit(l1_enter(0));
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_MISCONFIG_W_ONLY | EPT_WB;
	l1_report_ept_exit(l1_enter(0));
	guest_report(l2_window[0]);
	l1_vmx_off();
}

void l2_soft30(void);
asm(".pushsection .text, \"ax\", @progbits\n"
	".globl l2_soft30\n"
	"l2_soft30:\n"
	"	xorl %eax, %eax\n"
	"	int $0x30\n"
	"1:	vmcall\n"
	"	jmp 1b\n"
	".popsection\n");

#define IDT_VECTORING_INFO	0x4408
#define ENTRY_INSN_LEN		0x401a

/* Report an EPT exit that interrupted an event's delivery. */
static void l1_report_vectoring_exit(__u32 reason)
{
	guest_report(reason);
	guest_report(l1_vmread(IDT_VECTORING_INFO));
	guest_report(l1_vmread(VMCS_GUEST_PHYS_ADDR) - (__u64)l2_window);
	guest_report(l1_vmread(VMCS_ENTRY_INTR_INFO) >> 31);
}

/* Make the window (L2's IDT) present in EPT12 (@on) or not. */
static void l1_window(int on)
{
	*l1_ept_pte((__u64)l2_window) = on ? (__u64)l1_data[1] | EPT_RWX |
					     EPT_WB : 0;
	l1_invept();
}

/* VM entry with the event whose delivery the last exit interrupted. */
static __u32 l1_reinject(void)
{
	l1_vmwrite(VMCS_ENTRY_INTR_INFO, l1_vmread(IDT_VECTORING_INFO));
	l1_vmwrite(ENTRY_INSN_LEN, l1_vmread(VMCS_EXIT_INSN_LEN));
	return l1_enter(0);
}

/**
 * l1_test_idt_vectoring() - events whose delivery to L2 an exit interrupts
 *
 * L2's IDT is at l2_window, which EPT12 maps to l1_data[1] (a gate for
 * 0x30); L2 VMCALLs 0 in a loop (18, 0). Reports, in order:
 * 1. External interrupt 0x30 injected just after an INVEPT, when EPT02
 *    is empty: the delivery's EPT02 faults are L0's, which delivers the
 *    event again; the handler's VMCALL reaches L1 (18, 0x3030), then
 *    L2's loop (18, 0).
 * 2. The window not present in EPT12: the delivery of an injected 0x30 is
 *    L1's EPT violation (48) with the event as IDT-vectoring information
 *    (0x80000030), at the gate (0x300), the entry's event no longer
 *    valid (0). L1 maps the window and injects the event again: handler
 *    (18, 0x3030), then the loop (18, 0).
 * 3. The same for L2's own INT 0x30: 48, 0x80000430 (software
 *    interrupt), 0x300, 0, and the instruction length (2); injected
 *    again with that length, the handler runs (18, 0x3030) and returns
 *    after the INT (18, 0).
 */
void l1_test_idt_vectoring(void)
{
	l1_set_gate((struct l1_gate *)l1_data[1], 0x30, l2_isr30);
	l1_setup(l2_vmcall_forever, L1_PROC_SECONDARY);
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, L1_PROC2_EPT));
	l1_vmwrite(VMCS_EPT_POINTER, l1_ept_build());
	l1_window(1);
	l1_vmwrite(VMCS_GUEST_IDTR_BASE, (__u64)l2_window);
	l1_vmwrite(VMCS_GUEST_IDTR_LIMIT, 0xfff);
	l1_vmwrite(VMCS_GUEST_RFLAGS, 0x202);
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	l1_skip();
	for (int i = 0; i < 2; i++) {
		l1_window(i == 0);
		l1_vmwrite(VMCS_ENTRY_INTR_INFO, 0x80000030);
		if (i)
			l1_report_vectoring_exit(l1_enter(0));
		l1_window(1);
		guest_report(i ? l1_reinject() : l1_enter(0));
		guest_report(l2_regs.rax);
		l1_skip();
		guest_report(l1_enter(0));
		guest_report(l2_regs.rax);
		l1_skip();
	}
	l1_window(0);
	l1_vmwrite(VMCS_GUEST_RIP, (__u64)l2_soft30);
	l1_report_vectoring_exit(l1_enter(0));
	guest_report(l1_vmread(VMCS_EXIT_INSN_LEN));
	l1_window(1);
	guest_report(l1_reinject());
	guest_report(l2_regs.rax);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_vmx_off();
}

void l2_sti(void);
asm(".pushsection .text, \"ax\", @progbits\n"
	".globl l2_sti\n"
	"l2_sti:\n"
	"	vmcall\n"
	"	sti\n"
	"	nop\n"
	"1:	vmcall\n"			/* l2_sti + 5 */
	"	jmp 1b\n"
	".globl l2_nmi_iret\n"
	"l2_nmi_iret:\n"
	"	vmcall\n"
	"	movq %rsp, %rax\n"		/* an IRET to l2_nmi_after */
	"	movl %ss, %ecx\n"
	"	pushq %rcx\n"
	"	pushq %rax\n"
	"	pushfq\n"
	"	movl %cs, %ecx\n"
	"	pushq %rcx\n"
	"	leaq l2_nmi_after(%rip), %rcx\n"
	"	pushq %rcx\n"
	"	iretq\n"
	".globl l2_nmi_after\n"
	"l2_nmi_after:\n"
	"	vmcall\n"
	"	jmp l2_nmi_after\n"
	".popsection\n");

#define PROC_INTR_WINDOW	(1U << 2)
#define PROC_NMI_WINDOW		(1U << 22)
#define PIN_NMI_EXITING		(1U << 3)
#define PIN_VIRTUAL_NMIS	(1U << 5)
#define BLOCKING_BY_NMI		8

/* Report the exit reason of the next entry and L2's RIP there. */
static void l1_report_at(__u32 reason)
{
	guest_report(reason);
	guest_report(l1_vmread(VMCS_GUEST_RIP) - (__u64)l2_sti);
}

/**
 * l1_test_windows() - interrupt-window and NMI-window exiting for L2
 *
 * Reports reason and RIP offset from l2_sti: with interrupt-window
 * exiting and IF=0, L2's first VMCALL (18, 0); after its STI and the NOP
 * that STI shields, the window is open (7, 5); entered again with IF=1,
 * at once (7, 5); without the control, L2's VMCALL (18, 5). Then
 * NMI-window exiting with virtual NMIs (0xdead instead if L1's profile
 * lacks them): not blocked, an exit at once (8, 5); blocked by NMI, L2
 * runs to its VMCALL (18, at l2_nmi_iret), and its IRET unblocks: an
 * exit right after it (8, at l2_nmi_after), with no event being
 * delivered (IDT-vectoring information 0).
 *
 * The unblocked case comes first: Bochs 2.7 keeps virtual-NMI blocking
 * across a VM exit and the next VM entry until the guest executes IRET
 * (its VM entry does not clear it when the guest state says not blocked;
 * later Bochs versions do).
 */
void l1_test_windows(void)
{
	__u32 pin, proc;

	l1_setup(l2_sti, PROC_INTR_WINDOW);
	l1_report_at(l1_enter(1));
	l1_skip();
	l1_report_at(l1_enter(0));
	l1_report_at(l1_enter(0));
	proc = l1_vmread(VMCS_PROC_CTLS) & ~PROC_INTR_WINDOW;
	l1_vmwrite(VMCS_PROC_CTLS, proc);
	l1_report_at(l1_enter(0));
	pin = l1_ctl(0x481, 0x48d, PIN_NMI_EXITING | PIN_VIRTUAL_NMIS);
	proc = l1_ctl(0x482, 0x48e, proc | PROC_NMI_WINDOW);
	if (!(pin & PIN_VIRTUAL_NMIS) || !(proc & PROC_NMI_WINDOW)) {
		guest_report(0xdead);
		l1_vmx_off();
		return;
	}
	l1_vmwrite(VMCS_PIN_CTLS, pin);
	l1_vmwrite(VMCS_PROC_CTLS, proc);
	l1_report_at(l1_enter(0));
	l1_vmwrite(VMCS_GUEST_INTERRUPTIBILITY, BLOCKING_BY_NMI);
	l1_vmwrite(VMCS_GUEST_RIP, (__u64)l2_nmi_iret);
	l1_report_at(l1_enter(0));
	l1_skip();
	l1_report_at(l1_enter(0));
	guest_report(l1_vmread(IDT_VECTORING_INFO));
	l1_vmx_off();
}

/* L2 executes one instruction of each kind L1's controls make exit. */
void l2_ctl_seq(void);
void l2_tsc(void);
static __u64 l2_dtr[2] __attribute__((used));
asm(".pushsection .text, \"ax\", @progbits\n"
	".globl l2_ctl_seq\n"
	"l2_ctl_seq:\n"
	"	hlt\n"
	"	movl $0x123000, %eax\n"
	"	invlpg (%rax)\n"
	"	xorl %ecx, %ecx\n"
	"	rdpmc\n"
	"	rdtsc\n"
	"	mov %dr7, %rax\n"
	"	pause\n"
	"	leaq l2_dtr(%rip), %rax\n"
	"	xorl %ecx, %ecx\n"
	"	xorl %edx, %edx\n"
	"	monitor\n"
	"	mwait\n"
	"	sgdt l2_dtr(%rip)\n"
	"	sldt %ax\n"
	"	wbinvd\n"
	"	rdtscp\n"
	"	mov %cr3, %rax\n"
	"	mov %rax, %cr3\n"		/* CR3-target value 0: no exit */
	"	xorq $0x1000, %rax\n"
	"	mov %rax, %cr3\n"
	"	vmcall\n"
	".globl l2_tsc\n"
	"l2_tsc:\n"
	"	rdtsc\n"
	"	shlq $32, %rdx\n"
	"	orq %rdx, %rax\n"
	"1:	vmcall\n"
	"	jmp 1b\n"
	".popsection\n");

#define PROC_USE_TSC_OFFSET	(1U << 3)
#define PROC_INVLPG		(1U << 9)
#define PROC_MWAIT		(1U << 10)
#define PROC_RDPMC		(1U << 11)
#define PROC_RDTSC		(1U << 12)
#define PROC_CR3_LOAD		(1U << 15)
#define PROC_CR3_STORE		(1U << 16)
#define PROC_MOV_DR		(1U << 23)
#define PROC_MONITOR		(1U << 29)
#define PROC_PAUSE		(1U << 30)
#define PROC2_DESC_TABLE	(1U << 2)
#define PROC2_RDTSCP		(1U << 3)
#define PROC2_WBINVD		(1U << 6)
#define PROC2_UNRESTRICTED	(1U << 7)
#define VMCS_TSC_OFFSET		0x2010
#define VMCS_CR3_TARGET0	0x6008
#define L1_TSC_OFFSET		(1ULL << 40)

static __u64 l1_rdtsc(void)
{
	__u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | (__u64)hi << 32;
}

/**
 * l1_test_exit_controls() - the exits of L1's execution controls
 *
 * L1 sets HLT, INVLPG, RDPMC, RDTSC, MOV-DR, PAUSE, MONITOR, MWAIT,
 * CR3-load and CR3-store exiting, descriptor-table and WBINVD exiting, RDTSCP, and one
 * CR3-target value (L2's CR3). L2 runs l2_ctl_seq: reports (reason,
 * qualification) for each exit, L1 skipping each instruction, up to the
 * VMCALL. Then without RDTSC exiting and with a TSC offset of 2^40, L2's
 * RDTSC: 1 if it lies between L1's TSC before and after the entry plus
 * the offset.
 */
void l1_test_exit_controls(void)
{
	__u64 cr3, t0, t1;
	__u32 reason, i;

	l1_setup(l2_ctl_seq, L1_PROC_HLT | PROC_INVLPG | PROC_RDPMC |
		 PROC_RDTSC | PROC_MOV_DR | PROC_PAUSE | PROC_MWAIT |
		 PROC_MONITOR | PROC_CR3_LOAD | PROC_CR3_STORE |
		 L1_PROC_SECONDARY);
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, PROC2_DESC_TABLE |
					   PROC2_RDTSCP | PROC2_WBINVD));
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	l1_vmwrite(VMCS_CR3_TARGET_COUNT, 1);
	l1_vmwrite(VMCS_CR3_TARGET0, cr3);
	for (i = 0; i < 20; i++) {
		reason = l1_enter(!i);
		guest_report(reason);
		guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
		if (reason != EXIT_HLT && reason != 14 && reason != 15 &&
		    reason != 16 && reason != 29 && reason != 40 &&
		    reason != 39 && reason != 36 &&
		    reason != 46 && reason != 47 && reason != 54 &&
		    reason != 51 && reason != EXIT_CR)
			break;
		/* MOV from CR3: L1 gives L2 its CR3. */
		if (reason == EXIT_CR &&
		    (l1_vmread(VMCS_EXIT_QUALIFICATION) & 0x30) == 0x10)
			l2_regs.rax = l1_vmread(VMCS_GUEST_CR3);
		l1_skip();
	}
	l1_vmwrite(VMCS_PROC_CTLS, (l1_vmread(VMCS_PROC_CTLS) & ~PROC_RDTSC) |
		   PROC_USE_TSC_OFFSET);
	l1_vmwrite(VMCS_TSC_OFFSET, L1_TSC_OFFSET);
	l1_vmwrite(VMCS_GUEST_RIP, (__u64)l2_tsc);
	t0 = l1_rdtsc();
	reason = l1_enter(0);
	t1 = l1_rdtsc();
	guest_report(reason);
	guest_report(l2_regs.rax >= t0 + L1_TSC_OFFSET &&
		     l2_regs.rax <= t1 + L1_TSC_OFFSET);
	l1_vmx_off();
}

/*
 * Real-mode code for L2: MOV AX, 0x1234; OUT 0x80, AL; MOV EAX, CR0;
 * OUT 0x81, AL; HLT.
 */
static const __u8 l2_real_code[] = {
	0xb8, 0x34, 0x12, 0xe6, 0x80, 0x0f, 0x20, 0xc0, 0xe6, 0x81, 0xf4,
};

#define CR0_PE			1ULL
#define CR0_PG			(1ULL << 31)
#define CR4_PCIDE		(1ULL << 17)
#define AR_REAL_CODE		0x9b
#define AR_REAL_DATA		0x93

/**
 * l1_test_real_mode() - an L2 in real mode (unrestricted guest)
 *
 * L2 starts with CR0.PE and PG clear, EFER 0, CS based at its code in
 * l1_data[0] with IP 0, under an identity EPT12, with unconditional I/O
 * and HLT exiting. Reports: 0xdead if the profile lacks unrestricted
 * guest; else the OUT exit (30, its qualification, AX = 0x1234), the
 * second OUT (30, CR0.PE as L2 read it: 0), HLT (12) with IP 10 and
 * VMCS12's guest CR0 PE and PG (0).
 */
void l1_test_real_mode(void)
{
	__u64 cr0, cr4, proc2;
	__u8 *code = (__u8 *)l1_data[0];
	unsigned int i;

	for (i = 0; i < sizeof(l2_real_code); i++)
		code[i] = l2_real_code[i];
	l1_setup(l2_vmcall_forever, L1_PROC_HLT | L1_PROC_UNCOND_IO |
		 L1_PROC_SECONDARY);
	proc2 = l1_ctl(0x48b, 0x48b, L1_PROC2_EPT | PROC2_UNRESTRICTED);
	if (!(proc2 & PROC2_UNRESTRICTED)) {
		guest_report(0xdead);
		l1_vmx_off();
		return;
	}
	l1_vmwrite(VMCS_PROC2_CTLS, proc2);
	l1_vmwrite(VMCS_EPT_POINTER, l1_ept_build());
	l1_vmwrite(VMCS_ENTRY_CTLS, l1_ctl(0x484, 0x490, 1U << 15));
	l1_vmwrite(VMCS_GUEST_EFER, 0);
	asm volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	l1_vmwrite(VMCS_GUEST_CR0, cr0 & ~(CR0_PE | CR0_PG));
	l1_vmwrite(VMCS_GUEST_CR4, cr4 & ~CR4_PCIDE);
	for (i = 0; i < 6; i++) {		/* ES, CS, SS, DS, FS, GS */
		l1_vmwrite(VMCS_GUEST_ES_SEL + 2 * i, 0);
		l1_vmwrite(VMCS_GUEST_ES_LIMIT + 2 * i, 0xffff);
		l1_vmwrite(VMCS_GUEST_ES_AR + 2 * i,
			   i == 1 ? AR_REAL_CODE : AR_REAL_DATA);
		l1_vmwrite(VMCS_GUEST_ES_BASE + 2 * i, i == 2 ?
			   (__u64)l2_stack : (__u64)code);
	}
	l1_vmwrite(VMCS_GUEST_RIP, 0);
	l1_vmwrite(VMCS_GUEST_RSP, sizeof(l2_stack) - 16);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	guest_report(l2_regs.rax & 0xffff);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax & CR0_PE);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l1_vmread(VMCS_GUEST_RIP));
	guest_report(l1_vmread(VMCS_GUEST_CR0) & (CR0_PE | CR0_PG));
	l1_vmx_off();
}

/* VPIDs for L2: L2 reads a linear page whose PTE L1 changes. */
#define L2_LA			0xc0000000ULL	/* PD 3, entry 0 */
#define PTE_PW			3ULL
#define PROC2_VPID		(1U << 5)
#define VMCS_VPID		0x0000

static alignas(4096) __u64 l1_pt[512];
static alignas(4096) __u64 l1_page[2][512];

static void l2_read_la(void)
{
	for (;;)
		l2_vmcall(*(volatile __u64 *)L2_LA);
}

static void l1_invvpid(__u64 type, __u64 vpid, __u64 la)
{
	__u64 desc[2] = { vpid, la };

	asm volatile("invvpid %0, %1" : : "m"(desc), "r"(type)
		     : "cc", "memory");
}

/*
 * L2_LA to l1_page[@i], INVVPID of type @inv (-1: none) for VPID 1, then
 * L2 with VPID12 @vpid; report what it read.
 */
static void l1_vpid_step(unsigned int i, __u64 vpid, int inv)
{
	l1_pt[0] = (__u64)l1_page[i] | PTE_PW;
	l1_vmwrite(VMCS_VPID, vpid);
	if (inv >= 0)
		l1_invvpid(inv, 1, L2_LA);
	l1_enter(0);
	guest_report(l2_regs.rax);
	l1_skip();
}

/**
 * l1_test_vpid() - L1's INVVPID reaches the translations of its VPIDs
 *
 * L2 reads L2_LA, which L1 maps with a 4 KByte PTE of its own to
 * l1_page[0] (0xa) or l1_page[1] (0xb), and VMCALLs the value. L1
 * reports what L2 read: with VPID 1 (0xa); the PTE to page 1 without
 * INVVPID (0xa or 0xb: the SDM leaves it open); INVVPID individual
 * address (0xb); to page 0 and single context (0xa); to page 1 under VPID
 * 2, never used (0xb, whatever VPID 1 still holds); to page 1 back under
 * VPID 1 and all contexts (0xb). 0xdead alone if VPID is not offered.
 */
void l1_test_vpid(void)
{
	__u64 *pd3 = (__u64 *)(NVMX_LOADER_PD + 3 * 4096);
	__u32 proc2;

	l1_page[0][0] = 0xa;
	l1_page[1][0] = 0xb;
	l1_pt[0] = (__u64)l1_page[0] | PTE_PW;
	pd3[0] = (__u64)l1_pt | PTE_PW;
	l1_setup(l2_read_la, L1_PROC_SECONDARY);
	proc2 = l1_ctl(0x48b, 0x48b, PROC2_VPID);
	if (!(proc2 & PROC2_VPID)) {
		guest_report(0xdead);
		l1_vmx_off();
		return;
	}
	l1_vmwrite(VMCS_PROC2_CTLS, proc2);
	l1_vmwrite(VMCS_VPID, 1);
	l1_enter(1);
	guest_report(l2_regs.rax);
	l1_skip();
	l1_vpid_step(1, 1, -1);
	l1_vpid_step(1, 1, 0);
	l1_vpid_step(0, 1, 1);
	l1_vpid_step(1, 2, -1);
	l1_vpid_step(1, 1, 2);
	l1_vmx_off();
}

/* L2's #PF handler: tells L1 (VMCALL 0x0e0e), which maps the page. */
void l2_isr14(void);
void l2_pf(void);
asm(".pushsection .text, \"ax\", @progbits\n"
	"l2_isr14:\n"
	"	pushq %rax\n"
	"	movl $0x0e0e, %eax\n"
	"	vmcall\n"
	"	popq %rax\n"
	"	addq $8, %rsp\n"		/* the error code */
	"	iretq\n"
	"l2_pf:\n"
	"	movl $0xc0000000, %ebx\n"	/* L2_LA */
	"	movq (%rbx), %rax\n"		/* not present: #PF, code 0 */
	"	vmcall\n"
	"	movq %rax, 4096(%rbx)\n"	/* not present: #PF, code 2 */
	"1:	vmcall\n"
	"	jmp 1b\n"
	".popsection\n");

#define VMCS_PFEC_MASK		0x4006
#define VMCS_PFEC_MATCH		0x4008
#define VMCS_EXIT_INTR_INFO	0x4404
#define VMCS_EXIT_INTR_ERROR	0x4406
#define PFEC_WRITE		2

/**
 * l1_test_pf_filter() - L1's #PF error-code mask and match
 *
 * L1 intercepts #PF (exception bitmap bit 14) only for write faults
 * (mask and match 2). L2 reads L2_LA, not present: the #PF (code 0) is
 * L2's own, its handler VMCALLs (18, 0x0e0e) and L1 maps the page; L2
 * reads it (18, 0xa); then L2 writes the next page, not present: exit 0
 * for L1 with a #PF with error code (0x80000b0e), code 2 and the
 * address as qualification (L2_LA + 4096).
 */
void l1_test_pf_filter(void)
{
	__u64 *pd3 = (__u64 *)(NVMX_LOADER_PD + 3 * 4096);

	l1_page[0][0] = 0xa;
	l1_pt[0] = 0;
	l1_pt[1] = 0;
	pd3[0] = (__u64)l1_pt | PTE_PW;
	l1_set_gate(l2_idt, 14, l2_isr14);
	l1_setup(l2_pf, 0);
	l1_vmwrite(VMCS_GUEST_IDTR_BASE, (__u64)l2_idt);
	l1_vmwrite(VMCS_GUEST_IDTR_LIMIT, sizeof(l2_idt) - 1);
	l1_vmwrite(VMCS_EXCEPTION_BITMAP, 1U << 14);
	l1_vmwrite(VMCS_PFEC_MASK, PFEC_WRITE);
	l1_vmwrite(VMCS_PFEC_MATCH, PFEC_WRITE);
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	l1_pt[0] = (__u64)l1_page[0] | PTE_PW;
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l1_vmread(VMCS_EXIT_INTR_INFO));
	guest_report(l1_vmread(VMCS_EXIT_INTR_ERROR));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_vmx_off();
}

static __u64 l2_resize_gpa;
__u64 l1_resize_seen[2];

static void l2_poll(void)
{
	for (;;)
		guest_report(guest_readq(l2_resize_gpa));
}

/* Read the address in a loop without exits of its own while it is memory. */
static void l2_spin_read(void)
{
	for (;;) {
		WRITE_ONCE(l1_resize_seen[0], guest_readq(l2_resize_gpa));
		WRITE_ONCE(l1_resize_seen[1], l1_resize_seen[1] + 1);
	}
}

/**
 * l1_test_resize() - L2, on an identity EPT12, reads guest-physical @gpa
 * @gpa: the address
 * @spin: 0: L2 reports each read itself (its port I/O is L0's); 1: L2
 *	reads without exits, into l1_resize_seen[0], counting the reads in
 *	l1_resize_seen[1]
 *
 * L1 never gets an exit; the host watches L2 lose a region.
 */
void l1_test_resize(__u64 gpa, __u64 spin)
{
	l2_resize_gpa = gpa;
	l1_setup(spin ? l2_spin_read : l2_poll, L1_PROC_SECONDARY);
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, L1_PROC2_EPT));
	l1_vmwrite(VMCS_EPT_POINTER, l1_ept_build());
	guest_report(l1_enter(1));
}

/* L2: REP OUTSB of 2 bytes from its window to port 0x81, then VMCALL. */
static void l2_outs(void)
{
	for (;;) {
		const void *src = l2_window;
		__u64 cnt = 2;

		asm volatile("rep outsb" : "+S"(src), "+c"(cnt) : "d"(0x81)
			     : "memory");
		l2_vmcall(cnt);
	}
}

/**
 * l1_test_emul_ept() - an access of L0's emulation that EPT12 refuses
 *
 * L1 does not intercept I/O, so L0 emulates L2's REP OUTSB; its buffer,
 * the window, is not present in EPT12. Reports: the EPT violation L1
 * gets as if the CPU had run the instruction (48; qualification: read,
 * linear address valid, access to the page: 0x181; the window's
 * guest-physical and linear address, offsets 0 and 0); L2's RCX still 2.
 * Then L1 maps the window to l1_data[1] and L2's OUTSB reaches the host
 * (its two bytes), and L2's VMCALL (18, RCX 0).
 */
void l1_test_emul_ept(void)
{
	__u64 win = (__u64)l2_window;

	l1_data[1][0] = 0x4241;
	l1_setup(l2_outs, L1_PROC_SECONDARY);
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, L1_PROC2_EPT));
	l1_vmwrite(VMCS_EPT_POINTER, l1_ept_build());
	*l1_ept_pte(win) = 0;
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION) & 0x1bf);
	guest_report(l1_vmread(VMCS_GUEST_PHYS_ADDR) - win);
	guest_report(l1_vmread(VMCS_GUEST_LINEAR_ADDR) - win);
	guest_report(l2_regs.rcx);
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_RWX | EPT_WB;
	l1_invept();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_vmx_off();
}

/* What L1 does not intercept: L0 handles it and L2 goes on. */
static void l2_talks_to_l0(void)
{
	guest_report(0x12c0de);
	guest_hlt();
	for (;;)
		l2_vmcall(0x600d);
}

/**
 * l1_test_l0_exits() - L2's port I/O and HLT, which L1 does not intercept
 *
 * L2 reports to the host itself (L0 handles its OUT), halts (L0's
 * HLT exit to userspace), then L1 sees its VMCALL (18, 0x600d).
 */
void l1_test_l0_exits(void)
{
	l1_setup(l2_talks_to_l0, 0);
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	l1_vmx_off();
}

/* CR4 writes, one bit L1 owns, one it does not; MSR reads. */
static void l2_cr_and_msr(void)
{
	__u64 cr4;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PCE) : "memory");
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	l2_vmcall(cr4 & (CR4_PCE | CR4_OSXMMEXCPT));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 ^ CR4_OSXMMEXCPT) : "memory");
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	l2_vmcall(cr4 & (CR4_PCE | CR4_OSXMMEXCPT));
	l2_vmcall(l1_rdmsr(MSR_KERNEL_GS_BASE));
	l2_vmcall(l1_rdmsr(MSR_GS_BASE));
	asm volatile("wrmsr" : : "c"(MSR_KERNEL_GS_BASE), "a"(0x4242), "d"(0)
		     : "memory");
	for (;;)
		l2_vmcall(0);
}

/**
 * l1_test_cr_and_msr() - CR4 guest/host mask and MSR bitmap
 *
 * L1 owns CR4.PCE: L2's MOV to CR4 exits (28, its qualification), L1
 * sets the bit and its shadow, L2 reads it (18, PCE). L2 flips
 * CR4.OSXMMEXCPT, which L1 does not own: no exit, L2 reads the new value
 * (18). RDMSR of KERNEL_GS_BASE, set in L1's bitmap: L1's (31), which
 * returns 0x5151 (18, 0x5151); RDMSR of GS_BASE, clear in the bitmap:
 * L0's, L2 gets its GS base 0 (18, 0); WRMSR of KERNEL_GS_BASE, whose
 * write bit is set: L1's (32, the MSR, the value).
 */
void l1_test_cr_and_msr(void)
{
	__u64 cr4, qual, before;

	l1_setup(l2_cr_and_msr, L1_PROC_MSR_BITMAPS);
	/* MSR 0xc0000102: read bit at 1024 + 0x102, write bit at 3072 + 0x102. */
	l1_pages[2][1024 + 0x102 / 8] |= 1 << (0x102 % 8);
	l1_pages[2][3072 + 0x102 / 8] |= 1 << (0x102 % 8);
	l1_vmwrite(VMCS_CR4_MASK, CR4_PCE);
	l1_vmwrite(VMCS_CR4_SHADOW, 0);
	guest_report(l1_enter(1));				/* CR */
	qual = l1_vmread(VMCS_EXIT_QUALIFICATION);
	guest_report(qual & 0xff);	/* CR4, MOV to CR; not the register */
	cr4 = l1_vmread(VMCS_GUEST_CR4);
	l1_vmwrite(VMCS_GUEST_CR4, cr4 | CR4_PCE);
	l1_vmwrite(VMCS_CR4_SHADOW, CR4_PCE);
	l1_skip();
	guest_report(l1_enter(0));
	before = l2_regs.rax;
	guest_report(before);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax ^ before);
	l1_skip();
	guest_report(l1_enter(0));				/* RDMSR */
	guest_report(l2_regs.rcx);
	l2_regs.rax = 0x5151;
	l2_regs.rdx = 0;
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_skip();
	guest_report(l1_enter(0));				/* WRMSR */
	guest_report(l2_regs.rcx);
	guest_report(l2_regs.rax);
	l1_vmx_off();
}
