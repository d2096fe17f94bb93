/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VM entry and VM exit: the only assembly of nvmx.
 *
 * int __nvmx_vmx_enter(struct nvmx_gprs *regs, bool launched)
 *
 * Saves the host's callee-saved registers, points HOST_RSP of the current
 * VMCS at the stack, loads the guest's general-purpose registers from
 * @regs and executes VMRESUME (@launched) or VMLAUNCH. The VMCS's HOST_RIP
 * is nvmx_vmx_exit_landing, right after the VMRESUME: a VM exit arrives
 * there with RFLAGS cleared, and a failed VMLAUNCH/VMRESUME falls (or
 * jumps) through to it with CF or ZF set, on the same stack. So one path
 * stores the guest registers into @regs and returns 0 after a VM exit,
 * 1 after a VMfail.
 *
 * The current VMCS must be the one to enter, on this CPU, with interrupts
 * disabled; HOST_RIP and the rest of the host state are the caller's.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#define VCPU_RAX	(0 * 8)
#define VCPU_RCX	(1 * 8)
#define VCPU_RDX	(2 * 8)
#define VCPU_RBX	(3 * 8)
#define VCPU_RBP	(5 * 8)
#define VCPU_RSI	(6 * 8)
#define VCPU_RDI	(7 * 8)
#define VCPU_R8		(8 * 8)
#define VCPU_R9		(9 * 8)
#define VCPU_R10	(10 * 8)
#define VCPU_R11	(11 * 8)
#define VCPU_R12	(12 * 8)
#define VCPU_R13	(13 * 8)
#define VCPU_R14	(14 * 8)
#define VCPU_R15	(15 * 8)

/* VMCS field encoding of HOST_RSP */
#define VMCS_HOST_RSP	0x6c14

.section .text, "ax"

SYM_FUNC_START(__nvmx_vmx_enter)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* @regs, found at 0(%rsp) after the VM exit */
	push %rdi

	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax

	/* ZF: not launched. The MOVs below keep the flags. */
	test %sil, %sil

	mov VCPU_RAX(%rdi), %rax
	mov VCPU_RCX(%rdi), %rcx
	mov VCPU_RDX(%rdi), %rdx
	mov VCPU_RBX(%rdi), %rbx
	mov VCPU_RBP(%rdi), %rbp
	mov VCPU_RSI(%rdi), %rsi
	mov VCPU_R8(%rdi), %r8
	mov VCPU_R9(%rdi), %r9
	mov VCPU_R10(%rdi), %r10
	mov VCPU_R11(%rdi), %r11
	mov VCPU_R12(%rdi), %r12
	mov VCPU_R13(%rdi), %r13
	mov VCPU_R14(%rdi), %r14
	mov VCPU_R15(%rdi), %r15
	mov VCPU_RDI(%rdi), %rdi

	jnz .Lresume
	vmlaunch
	jmp nvmx_vmx_exit_landing
.Lresume:
	vmresume

SYM_INNER_LABEL(nvmx_vmx_exit_landing, SYM_L_GLOBAL)
	ENDBR
	/* Nothing below may change the flags before SETNA. */
	push %rdi
	mov 8(%rsp), %rdi
	mov %rax, VCPU_RAX(%rdi)
	setna %al
	mov %rcx, VCPU_RCX(%rdi)
	mov %rdx, VCPU_RDX(%rdi)
	mov %rbx, VCPU_RBX(%rdi)
	mov %rbp, VCPU_RBP(%rdi)
	mov %rsi, VCPU_RSI(%rdi)
	mov %r8, VCPU_R8(%rdi)
	mov %r9, VCPU_R9(%rdi)
	mov %r10, VCPU_R10(%rdi)
	mov %r11, VCPU_R11(%rdi)
	mov %r12, VCPU_R12(%rdi)
	mov %r13, VCPU_R13(%rdi)
	mov %r14, VCPU_R14(%rdi)
	mov %r15, VCPU_R15(%rdi)
	popq VCPU_RDI(%rdi)
	movzbl %al, %eax

	/* The guest may have filled the return stack buffer: overwrite it. */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	add $8, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(__nvmx_vmx_enter)
