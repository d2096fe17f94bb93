// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 hypervisor library of vmx_l1.h. Guest code: freestanding, no
 * SSE, nothing outside this file.
 */
#include "../loader.h"
#include "vmx_l1.h"

#define MSR_EFER		0xc0000080
#define MSR_VMX_BASIC		0x480
#define VMX_BASIC_TRUE_CTLS	(1ULL << 55)
#define CR4_VMXE		(1ULL << 13)
#define CPUID_1_ECX_VMX		(1U << 5)

/* Segment access rights (VMX format) of the loader's flat segments. */
#define AR_CODE64		0xa09b
#define AR_DATA			0xc093
#define AR_TSS64_BUSY		0x008b
#define AR_UNUSABLE		0x10000

/* Controls: IA-32e host and guest, IA32_EFER loaded both ways. */
#define EXIT_HOST64		(1U << 9)
#define EXIT_LOAD_EFER		(1U << 21)
#define ENTRY_IA32E		(1U << 9)
#define ENTRY_LOAD_EFER		(1U << 15)

struct l1_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

uint64_t l1_fail_flags;

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

void l1_set_gate(struct l1_gate *idt, unsigned int vec, void (*fn)(void))
{
	uint64_t a = (uint64_t)fn;

	/* Present, DPL 0, 64-bit interrupt gate (type 14). */
	idt[vec].lo = (a & 0xffff) | (uint64_t)NVMX_LOADER_CS << 16 |
		      0x8eULL << 40 | ((a >> 16) & 0xffff) << 48;
	idt[vec].hi = a >> 32;
}

uint64_t l1_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

/* CF and ZF: how the last VMX instruction ended. */
uint64_t l1_flags(void)
{
	uint64_t f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	return f & (L1_RFLAGS_CF | L1_RFLAGS_ZF);
}

void l1_vmwrite(uint64_t field, uint64_t val)
{
	asm volatile("vmwrite %1, %0" : : "r"(field), "rm"(val) : "cc");
}

/* VMREAD; 0 when it fails. */
uint64_t l1_vmread(uint64_t field)
{
	uint64_t val = 0;

	asm volatile("vmread %1, %0" : "+rm"(val) : "r"(field) : "cc");
	return val;
}

uint64_t l1_vmclear(uint64_t pa)
{
	asm volatile("vmclear %0" : : "m"(pa) : "cc", "memory");
	return l1_flags();
}

uint64_t l1_vmptrld(uint64_t pa)
{
	asm volatile("vmptrld %0" : : "m"(pa) : "cc", "memory");
	return l1_flags();
}

/* A control value the capability MSRs allow: @want plus what must be 1. */
uint32_t l1_ctl(uint32_t msr, uint32_t true_msr, uint32_t want)
{
	uint64_t cap = l1_rdmsr(l1_rdmsr(MSR_VMX_BASIC) & VMX_BASIC_TRUE_CTLS ?
				true_msr : msr);

	return (want | (uint32_t)cap) & (uint32_t)(cap >> 32);
}

/* CPUID.1:ECX.VMX: the hypervisor below exposes VMX. */
int l1_has_vmx(void)
{
	uint32_t a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return !!(c & CPUID_1_ECX_VMX);
}

/* CR4.VMXE, VMXON, then @vmcs cleared and made current. */
void l1_vmx_on(void *vmxon_region, void *vmcs)
{
	uint32_t rev = l1_rdmsr(MSR_VMX_BASIC) & 0x7fffffff;
	uint64_t cr4, vmxon = (uint64_t)vmxon_region;

	*(uint32_t *)vmxon_region = rev;
	*(uint32_t *)vmcs = rev;
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_VMXE) : "memory");
	asm volatile("vmxon %0" : : "m"(vmxon) : "cc", "memory");
	l1_vmclear((uint64_t)vmcs);
	l1_vmptrld((uint64_t)vmcs);
}

void l1_vmx_off(void)
{
	asm volatile("vmxoff" : : : "cc");
}

/* Part 1: the controls, primary controls @proc, no secondary ones. */
void l1_vmcs_controls(uint32_t proc, void *msr_bitmap)
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
	l1_vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	l1_vmwrite(VMCS_MSR_BITMAP, (uint64_t)msr_bitmap);
}

/* Part 2: the host state, L1 as it is now (RSP and RIP: l1_run()). */
void l1_vmcs_host(void)
{
	struct l1_dtr gdt, idt;
	uint64_t cr;

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

/* Part 3: the guest state: L2 at @fn on @stack_top, flat 64-bit, CPL 0. */
void l1_vmcs_guest(void (*fn)(void), void *stack_top)
{
	struct l1_dtr gdt, idt;
	unsigned int i;
	uint64_t cr;

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
	l1_vmwrite(VMCS_GUEST_RSP, (uint64_t)stack_top);
	l1_vmwrite(VMCS_GUEST_RIP, (uint64_t)fn);
	l1_vmwrite(VMCS_GUEST_RFLAGS, 2);
	l1_vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	l1_vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	l1_vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	l1_vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	l1_vmwrite(VMCS_GUEST_ACTIVITY, 0);
	l1_vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	l1_vmwrite(VMCS_LINK_PTR, ~0ULL);
}

/* Past the instruction that exited. */
void l1_skip(void)
{
	l1_vmwrite(VMCS_GUEST_RIP, l1_vmread(VMCS_GUEST_RIP) +
		   l1_vmread(VMCS_EXIT_INSN_LEN));
}
