/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry point of the demo guests. nvmx run starts every vCPU here in
 * 64-bit mode, with RSP at the top of its own stack (16-byte aligned, so
 * that the CALL below leaves guest_main() the alignment the ABI promises)
 * and the vCPU id in RDI, the first argument.
 */
	.section .text.start, "ax"
	.globl _start
	.type _start, @function
_start:
	xorl	%ebp, %ebp		/* no caller frame */
	call	guest_main
	/* Done: with interrupts off, HLT is the vCPU's last exit. */
1:	cli
	hlt
	jmp	1b
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
