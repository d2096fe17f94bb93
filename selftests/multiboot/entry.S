/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Multiboot test kernel's header and entry (kernel.c says what it
 * checks). Built twice: as multiboot_kernel, and with MB_BAD_CHECKSUM as
 * multiboot_badsum, whose header checksum is off by one (nvmx must
 * refuse it).
 *
 * At entry (Multiboot spec): 32-bit protected mode, paging off, EAX the
 * boot magic, EBX the information structure. The stack pointer is
 * undefined, so this code sets its own before anything else, then keeps
 * EAX, EBX, EFLAGS and CR0 as they were for kernel_main() to check.
 */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */
#ifdef MB_BAD_CHECKSUM
#define MB_CHECKSUM	(-(MB_MAGIC + MB_FLAGS) + 1)
#else
#define MB_CHECKSUM	(-(MB_MAGIC + MB_FLAGS))
#endif
#define DEBUG_EXIT_PORT	0xf4

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC, MB_FLAGS, MB_CHECKSUM

	.text
	.code32
	.globl _start
_start:
	movl	$stack_top, %esp	/* MOV leaves EFLAGS alone */
	pushfl
	popl	entry_eflags
	movl	%eax, entry_eax
	movl	%ebx, entry_ebx
	movl	%cr0, %eax
	movl	%eax, entry_cr0
	call	kernel_main
	outb	%al, $DEBUG_EXIT_PORT
1:	cli
	hlt
	jmp	1b

	.bss
	.balign 16
	.space	16384
stack_top:

	.section .note.GNU-stack, "", @progbits
