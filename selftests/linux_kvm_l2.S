/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * L2 of the KVM-in-L1 test: real-mode code that linux_kvm.c copies to
 * guest physical 0x1000 and starts at 0:0x1000 with BX = N. It prints
 * its greeting a byte at a time to port 0xe9, sums 1..N into AX (0 for
 * N = 0), writes AX to port 0x10 and to guest physical 0x2000, and halts.
 */
	.section .rodata
	.code16
	.globl l2_start, l2_end
l2_start:
	xor	%ax, %ax
	mov	%ax, %ds
	mov	$(0x1000 + l2_msg - l2_start), %si
	mov	$0xe9, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, (%dx)
	jmp	1b
2:	xor	%ax, %ax
	mov	%bx, %cx
	jcxz	4f
3:	add	%cx, %ax
	loop	3b
4:	mov	$0x10, %dx
	out	%ax, (%dx)
	mov	%ax, 0x2000
	hlt
l2_msg:
	.asciz	"hello from L2 through L1's KVM\n"
l2_end:
	.section .note.GNU-stack, "", @progbits
