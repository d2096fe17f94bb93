// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 hypervisor of the nested tests (see guest_l1.h): what all its
 * programs share (guest_l1_lib.h: L1's pages, entering L2, L2's VMCALLs)
 * and the programs of nvmx_nested_exits_test: L2's exits that L1 or L0
 * handles (round trips, L0's exits, the CR4 mask and MSR bitmap, each
 * execution control), L2 in real mode. Guest code: the same rules as
 * guest.c (freestanding, nothing outside the guest_l1*.c files, the L1
 * library and the inline helpers of guest.h).
 *
 * L2 runs in L1's address space with L1's page tables, GDT and IDT, on
 * its own stack, in 64-bit mode at CPL 0 (tools/guests/vmx_l1.c sets up
 * the VMCS).
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1.h"
#include "guest_l1_lib.h"
#include "guests/vmx_l1.h"
#include "loader.h"

/* VMXON region, VMCS, MSR bitmap, an MSR-load list; L2's stack. */
alignas(4096) __u8 l1_pages[4][4096];
__u8 *const l1_vmcs12 = l1_pages[1];
alignas(16) __u8 l2_stack[4096];
struct l1_regs l2_regs;
/* What L2 found wrong, and what it computed, for L1 to report. */
__u64 l2_errors, l2_value;

/* VMX on, a VMCS for L2 at @fn with primary controls @proc. */
void l1_setup(void (*fn)(void), __u32 proc)
{
	l1_vmx_on(l1_pages[0], l1_pages[1]);
	l1_vmcs_controls(proc, l1_pages[2]);
	l1_vmcs_host();
	l1_vmcs_guest(fn, l2_stack + sizeof(l2_stack));
	l2_errors = 0;
	l2_value = 0;
}

/* Run L2 to its next exit; report a VMfail. Return: the exit reason. */
__u32 l1_enter(__u64 launch)
{
	if (l1_run(&l2_regs, launch)) {
		guest_report(0xfa11);
		guest_report(l1_fail_flags & (L1_RFLAGS_CF | L1_RFLAGS_ZF));
		guest_report(l1_vmread(VMCS_VM_INSTRUCTION_ERROR));
		return 0;
	}
	return l1_vmread(VMCS_EXIT_REASON);
}

/* EPT12 (guest_l1_lib.h): its tables, L1's data pages, L2's window. */
alignas(4096) __u64 l1_ept[7][512];
alignas(4096) __u64 l1_data[2][512];
alignas(4096) __u64 l2_window[512];

/* The EPT12 leaf of L2's 4 KiB page @gpa (in the 4-KByte region). */
__u64 *l1_ept_pte(__u64 gpa)
{
	return &l1_ept[6][(gpa >> 12) & 511];
}

__u64 l1_ept_build(void)
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

void l1_invept(void)
{
	__u64 desc[2] = { 0, 0 };

	asm volatile("invept %0, %1" : : "m"(desc), "r"(2ULL) : "cc", "memory");
}

/* L1's page table and pages for L2_LA (guest_l1_lib.h). */
alignas(4096) __u64 l1_pt[512];
alignas(4096) __u64 l1_page[2][512];

/* L2 code. */

void l2_vmcall_forever(void)
{
	for (;;)
		l2_vmcall(0);
}

void l2_vmcall(__u64 nr)
{
	asm volatile("vmcall" : "+a"(nr) : : "rcx", "rdx", "memory");
}

__u64 l2_vmcall_ret(__u64 nr)
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
