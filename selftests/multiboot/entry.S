/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Multiboot test kernel's header and entry (kernel.c says what it
 * checks). Built three times: as multiboot_kernel (an ELF32 file); with
 * MB_BAD_CHECKSUM as multiboot_badsum, whose header checksum is off by
 * one (nvmx must refuse it); and with MB_AOUT_KLUDGE as multiboot_aout, a
 * flat binary whose header carries the load addresses (flag 16).
 *
 * At entry (Multiboot spec): 32-bit protected mode, paging off, EAX the
 * boot magic, EBX the information structure. The stack pointer is
 * undefined, so this code sets its own before anything else, then keeps
 * EAX, EBX, EFLAGS and CR0 as they were for kernel_main() to check.
 */
#define MB_MAGIC	0x1badb002
#ifdef MB_AOUT_KLUDGE
#define MB_FLAGS	0x00010003	/* and the addresses below */
#else
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */
#endif
#ifdef MB_BAD_CHECKSUM
#define MB_CHECKSUM	(-(MB_MAGIC + MB_FLAGS) + 1)
#else
#define MB_CHECKSUM	(-(MB_MAGIC + MB_FLAGS))
#endif
#define DEBUG_EXIT_PORT	0xf4

	.section .multiboot, "a"
	.balign 4
mb_header:
	.long MB_MAGIC, MB_FLAGS, MB_CHECKSUM
#ifdef MB_AOUT_KLUDGE
	/* header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr */
	.long mb_header, kernel_start, _edata, _end, _start
#endif

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
