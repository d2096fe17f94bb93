// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 hypervisor of the nested tests (see guest_l1.h). Guest code:
 * the same rules as guest.c (freestanding, nothing outside this file
 * and the inline helpers of guest.h).
 *
 * L2 runs in L1's address space with L1's page tables (no EPT in
 * VMCS12), GDT and IDT, on its own stack, in 64-bit mode at CPL 0.
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1.h"
#include "loader.h"

/* More VMCS encodings (Intel SDM, appendix B). */
#define VMCS_VPID			0x0000
#define VMCS_GUEST_ES_SEL		0x0800
#define VMCS_HOST_ES_SEL		0x0c00
#define VMCS_HOST_CS_SEL		0x0c02
#define VMCS_HOST_SS_SEL		0x0c04
#define VMCS_HOST_DS_SEL		0x0c06
#define VMCS_HOST_FS_SEL		0x0c08
#define VMCS_HOST_GS_SEL		0x0c0a
#define VMCS_HOST_TR_SEL		0x0c0c
#define VMCS_LINK_PTR			0x2800
#define VMCS_GUEST_EFER			0x2806
#define VMCS_HOST_EFER			0x2c02
#define VMCS_PROC2_CTLS			0x401e
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CTLS			0x400c
#define VMCS_ENTRY_CTLS			0x4012
#define VMCS_GUEST_ES_LIMIT		0x4800
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR		0x4814
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY		0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_HOST_SYSENTER_CS		0x4c00
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_PENDING_DBG		0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12

#define MSR_EFER			0xc0000080
#define MSR_GS_BASE			0xc0000101
#define MSR_KERNEL_GS_BASE		0xc0000102
#define MSR_FS_BASE			0xc0000100
#define CR4_VMXE			(1ULL << 13)
#define CR4_PCE				(1ULL << 8)
#define CR4_OSXMMEXCPT			(1ULL << 10)

/* Segment access rights (VMX format) of the loader's flat segments. */
#define AR_CODE64			0xa09b
#define AR_DATA				0xc093
#define AR_TSS64_BUSY			0x008b
#define AR_UNUSABLE			0x10000

/* Controls: IA-32e host and guest, IA32_EFER loaded both ways. */
#define EXIT_HOST64			(1U << 9)
#define EXIT_LOAD_EFER			(1U << 21)
#define ENTRY_IA32E			(1U << 9)
#define ENTRY_LOAD_EFER			(1U << 15)

struct l1_dtr {
	__u16 limit;
	__u64 base;
} __attribute__((packed));

/* VMXON region, VMCS, MSR bitmap, an MSR-load list; L2's stack. */
static alignas(4096) __u8 l1_pages[4][4096];
static alignas(16) __u8 l2_stack[4096];
static struct l1_regs l2_regs;
/* What L2 found wrong, and what it computed, for L1 to report. */
static __u64 l2_errors, l2_value;

/*
 * Enter L2 with its registers from @r (VMLAUNCH if @launch, VMRESUME
 * otherwise); after its VM exit, store them back. Return: 0 after a VM
 * exit, 1 when the instruction failed (its RFLAGS in l1_fail_flags).
 */
__u64 l1_run(struct l1_regs *r, __u64 launch);
__u64 l1_fail_flags;
asm(".pushsection .text, \"ax\", @progbits\n"
	".globl l1_run\n"
	"l1_run:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	pushq %rdi\n"
	"	movl $0x6c14, %eax\n"		/* HOST_RSP */
	"	vmwrite %rsp, %rax\n"
	"	movl $0x6c16, %eax\n"		/* HOST_RIP */
	"	leaq 1f(%rip), %rdx\n"
	"	vmwrite %rdx, %rax\n"
	"	testq %rsi, %rsi\n"		/* MOVs keep these flags */
	"	movq 0(%rdi), %rax\n"
	"	movq 8(%rdi), %rcx\n"
	"	movq 16(%rdi), %rdx\n"
	"	movq 24(%rdi), %rbx\n"
	"	movq 40(%rdi), %rbp\n"
	"	movq 48(%rdi), %rsi\n"
	"	movq 64(%rdi), %r8\n"
	"	movq 72(%rdi), %r9\n"
	"	movq 80(%rdi), %r10\n"
	"	movq 88(%rdi), %r11\n"
	"	movq 96(%rdi), %r12\n"
	"	movq 104(%rdi), %r13\n"
	"	movq 112(%rdi), %r14\n"
	"	movq 120(%rdi), %r15\n"
	"	movq 56(%rdi), %rdi\n"
	"	jz 2f\n"
	"	vmlaunch\n"
	"	jmp 3f\n"
	"2:	vmresume\n"
	"3:	pushfq\n"
	"	popq l1_fail_flags(%rip)\n"
	"	popq %rdi\n"
	"	movl $1, %eax\n"
	"	jmp 4f\n"
	"1:	xchgq %rdi, (%rsp)\n"		/* the VM exit: RSP = HOST_RSP */
	"	movq %rax, 0(%rdi)\n"
	"	movq %rcx, 8(%rdi)\n"
	"	movq %rdx, 16(%rdi)\n"
	"	movq %rbx, 24(%rdi)\n"
	"	movq %rbp, 40(%rdi)\n"
	"	movq %rsi, 48(%rdi)\n"
	"	movq %r8, 64(%rdi)\n"
	"	movq %r9, 72(%rdi)\n"
	"	movq %r10, 80(%rdi)\n"
	"	movq %r11, 88(%rdi)\n"
	"	movq %r12, 96(%rdi)\n"
	"	movq %r13, 104(%rdi)\n"
	"	movq %r14, 112(%rdi)\n"
	"	movq %r15, 120(%rdi)\n"
	"	popq 56(%rdi)\n"
	"	xorl %eax, %eax\n"
	"4:	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".popsection\n");

static __u64 l1_rdmsr(__u32 msr)
{
	__u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (__u64)hi << 32 | lo;
}

static __u64 l1_flags(void)
{
	__u64 f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	return f & (GUEST_RFLAGS_CF | GUEST_RFLAGS_ZF);
}

static void l1_vmwrite(__u64 field, __u64 val)
{
	asm volatile("vmwrite %1, %0" : : "r"(field), "rm"(val) : "cc");
}

static __u64 l1_vmread(__u64 field)
{
	__u64 val = 0;

	asm volatile("vmread %1, %0" : "+rm"(val) : "r"(field) : "cc");
	return val;
}

static __u64 l1_ptr_insn_vmclear(__u64 pa)
{
	asm volatile("vmclear %0" : : "m"(pa) : "cc", "memory");
	return l1_flags();
}

static __u64 l1_ptr_insn_vmptrld(__u64 pa)
{
	asm volatile("vmptrld %0" : : "m"(pa) : "cc", "memory");
	return l1_flags();
}

/* A control value L1's capability MSRs allow: @want plus what must be 1. */
static __u32 l1_ctl(__u32 msr, __u32 true_msr, __u32 want)
{
	__u64 cap = l1_rdmsr(l1_rdmsr(0x480) & (1ULL << 55) ? true_msr : msr);

	return (want | (__u32)cap) & (__u32)(cap >> 32);
}

/* CR4.VMXE, VMXON, then a clear VMCS made current. Reports nothing. */
static void l1_vmx_on(void)
{
	__u32 rev = l1_rdmsr(0x480) & 0x7fffffff;
	__u64 cr4, vmxon = (__u64)l1_pages[0];

	*(__u32 *)l1_pages[0] = rev;
	*(__u32 *)l1_pages[1] = rev;
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_VMXE) : "memory");
	asm volatile("vmxon %0" : : "m"(vmxon) : "cc", "memory");
	l1_ptr_insn_vmclear((__u64)l1_pages[1]);
	l1_ptr_insn_vmptrld((__u64)l1_pages[1]);
}

/* Part 1: the controls. */
static void l1_vmcs_controls(__u32 proc)
{
	l1_vmwrite(VMCS_PIN_CTLS, l1_ctl(0x481, 0x48d, 0));
	l1_vmwrite(VMCS_PROC_CTLS, l1_ctl(0x482, 0x48e, proc));
	l1_vmwrite(VMCS_EXIT_CTLS, l1_ctl(0x483, 0x48f,
					  EXIT_HOST64 | EXIT_LOAD_EFER));
	l1_vmwrite(VMCS_ENTRY_CTLS, l1_ctl(0x484, 0x490,
					   ENTRY_IA32E | ENTRY_LOAD_EFER));
	l1_vmwrite(VMCS_EXCEPTION_BITMAP, 0);
	l1_vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	l1_vmwrite(VMCS_CR0_MASK, 0);
	l1_vmwrite(VMCS_CR4_MASK, 0);
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	l1_vmwrite(VMCS_MSR_BITMAP, (__u64)l1_pages[2]);
}

/* Part 2: the host state, L1 as it is now (RSP and RIP: l1_run()). */
static void l1_vmcs_host(void)
{
	struct l1_dtr gdt, idt;
	__u64 cr;

	asm volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	asm volatile("mov %%cr0, %0" : "=r"(cr));
	l1_vmwrite(VMCS_HOST_CR0, cr);
	asm volatile("mov %%cr3, %0" : "=r"(cr));
	l1_vmwrite(VMCS_HOST_CR3, cr);
	asm volatile("mov %%cr4, %0" : "=r"(cr));
	l1_vmwrite(VMCS_HOST_CR4, cr);
	l1_vmwrite(VMCS_HOST_ES_SEL, NVMX_LOADER_DS);
	l1_vmwrite(VMCS_HOST_CS_SEL, NVMX_LOADER_CS);
	l1_vmwrite(VMCS_HOST_SS_SEL, NVMX_LOADER_DS);
	l1_vmwrite(VMCS_HOST_DS_SEL, NVMX_LOADER_DS);
	l1_vmwrite(VMCS_HOST_FS_SEL, NVMX_LOADER_DS);
	l1_vmwrite(VMCS_HOST_GS_SEL, NVMX_LOADER_DS);
	l1_vmwrite(VMCS_HOST_TR_SEL, NVMX_LOADER_TR);
	l1_vmwrite(VMCS_HOST_FS_BASE, 0);
	l1_vmwrite(VMCS_HOST_GS_BASE, 0);
	l1_vmwrite(VMCS_HOST_TR_BASE, NVMX_LOADER_TSS);
	l1_vmwrite(VMCS_HOST_GDTR_BASE, gdt.base);
	l1_vmwrite(VMCS_HOST_IDTR_BASE, idt.base);
	l1_vmwrite(VMCS_HOST_SYSENTER_CS, 0);
	l1_vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
	l1_vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
	l1_vmwrite(VMCS_HOST_EFER, l1_rdmsr(MSR_EFER));
}

/* Part 3: the guest state: L2 at @fn on its stack, flat 64-bit, CPL 0. */
static void l1_vmcs_guest(void (*fn)(void))
{
	struct l1_dtr gdt, idt;
	unsigned int i;
	__u64 cr;

	asm volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	for (i = 0; i < 6; i++) {	/* ES, CS, SS, DS, FS, GS */
		l1_vmwrite(VMCS_GUEST_ES_SEL + 2 * i,
			   i == 1 ? NVMX_LOADER_CS : NVMX_LOADER_DS);
		l1_vmwrite(VMCS_GUEST_ES_LIMIT + 2 * i, 0xffffffff);
		l1_vmwrite(VMCS_GUEST_ES_AR + 2 * i,
			   i == 1 ? AR_CODE64 : AR_DATA);
		l1_vmwrite(VMCS_GUEST_ES_BASE + 2 * i, 0);
	}
	l1_vmwrite(VMCS_GUEST_ES_SEL + 12, 0);			/* LDTR */
	l1_vmwrite(VMCS_GUEST_ES_AR + 12, AR_UNUSABLE);
	l1_vmwrite(VMCS_GUEST_ES_SEL + 14, NVMX_LOADER_TR);	/* TR */
	l1_vmwrite(VMCS_GUEST_ES_LIMIT + 14, 0x67);
	l1_vmwrite(VMCS_GUEST_ES_AR + 14, AR_TSS64_BUSY);
	l1_vmwrite(VMCS_GUEST_ES_BASE + 14, NVMX_LOADER_TSS);
	l1_vmwrite(VMCS_GUEST_GDTR_BASE, gdt.base);
	l1_vmwrite(VMCS_GUEST_GDTR_LIMIT, gdt.limit);
	l1_vmwrite(VMCS_GUEST_IDTR_BASE, idt.base);
	l1_vmwrite(VMCS_GUEST_IDTR_LIMIT, idt.limit);
	asm volatile("mov %%cr0, %0" : "=r"(cr));
	l1_vmwrite(VMCS_GUEST_CR0, cr);
	asm volatile("mov %%cr3, %0" : "=r"(cr));
	l1_vmwrite(VMCS_GUEST_CR3, cr);
	asm volatile("mov %%cr4, %0" : "=r"(cr));
	/* VMX operation needs CR4.VMXE, in L2 too (IA32_VMX_CR4_FIXED0). */
	l1_vmwrite(VMCS_GUEST_CR4, cr);
	l1_vmwrite(VMCS_GUEST_EFER, l1_rdmsr(MSR_EFER));
	l1_vmwrite(VMCS_GUEST_DR7, 0x400);
	l1_vmwrite(VMCS_GUEST_RSP, (__u64)(l2_stack + sizeof(l2_stack)));
	l1_vmwrite(VMCS_GUEST_RIP, (__u64)fn);
	l1_vmwrite(VMCS_GUEST_RFLAGS, 2);
	l1_vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	l1_vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	l1_vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	l1_vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	l1_vmwrite(VMCS_GUEST_ACTIVITY, 0);
	l1_vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	l1_vmwrite(VMCS_LINK_PTR, ~0ULL);
}

/* VMX on, a VMCS for L2 at @fn with primary controls @proc. */
static void l1_setup(void (*fn)(void), __u32 proc)
{
	l1_vmx_on();
	l1_vmcs_controls(proc);
	l1_vmcs_host();
	l1_vmcs_guest(fn);
	l2_errors = 0;
	l2_value = 0;
}

/* Past the instruction that exited. */
static void l1_skip(void)
{
	l1_vmwrite(VMCS_GUEST_RIP, l1_vmread(VMCS_GUEST_RIP) +
		   l1_vmread(VMCS_EXIT_INSN_LEN));
}

/* Run L2 to its next exit; report a VMfail. Return: the exit reason. */
static __u32 l1_enter(__u64 launch)
{
	if (l1_run(&l2_regs, launch)) {
		guest_report(0xfa11);
		guest_report(l1_fail_flags & (GUEST_RFLAGS_CF | GUEST_RFLAGS_ZF));
		guest_report(l1_vmread(VMCS_VM_INSTRUCTION_ERROR));
		return 0;
	}
	return l1_vmread(VMCS_EXIT_REASON);
}

static void l1_off(void)
{
	asm volatile("vmxoff" : : : "cc");
}

/* L2 code. */

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
	l1_off();
}

static void l2_vmcall_forever(void)
{
	for (;;)
		l2_vmcall(0);
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
	l1_ptr_insn_vmclear(vmcs);
	guest_report(l1_enter(0));
	l1_off();
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
 * KERNEL_GS_BASE, which L2 reads back (18, the value).
 */
void l1_test_entry_failures(void)
{
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
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_off();
}

/**
 * l1_test_vmx_span() - VMXON, report 1, VMXOFF, report 2
 *
 * Lets the host act while L1 is in VMX operation and after.
 */
void l1_test_vmx_span(void)
{
	l1_vmx_on();
	guest_report(1);
	l1_off();
	guest_report(2);
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
	l1_off();
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
	for (;;)
		l2_vmcall(l1_rdmsr(MSR_GS_BASE));
}

/**
 * l1_test_cr_and_msr() - CR4 guest/host mask and MSR bitmap
 *
 * L1 owns CR4.PCE: L2's MOV to CR4 exits (28, its qualification), L1
 * sets the bit and its shadow, L2 reads it (18, PCE). L2 flips
 * CR4.OSXMMEXCPT, which L1 does not own: no exit, L2 reads the new value
 * (18). RDMSR of KERNEL_GS_BASE, set in L1's bitmap: L1's (31), which
 * returns 0x5151 (18, 0x5151); RDMSR of GS_BASE, clear in the bitmap:
 * L0's, L2 gets its GS base 0 (18, 0).
 */
void l1_test_cr_and_msr(void)
{
	__u64 cr4, qual, before;

	l1_setup(l2_cr_and_msr, L1_PROC_MSR_BITMAPS);
	/* Read bit of MSR 0xc0000102: high MSRs at 1024, bit 0x102. */
	l1_pages[2][1024 + 0x102 / 8] |= 1 << (0x102 % 8);
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
	l1_off();
}
