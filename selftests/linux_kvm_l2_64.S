/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 64-bit L2 of the KVM-in-L1 test (linux_kvm64.c copies it to guest
 * physical 0x8000 and starts it in long mode with RBX = N, interrupts
 * off). It prints its greeting a byte at a time to port 0xe9, puts its
 * APIC (L1's KVM's in-kernel one) in x2APIC mode with a periodic timer
 * on vector 0x40, halts until the timer has interrupted it
 * L2_64_TICKS times (each interrupt counted and acknowledged through the
 * x2APIC EOI MSR), stops the timer, writes the tick count to port 0x11,
 * sums the squares of 1..N into RAX, writes its low 32 bits to port
 * 0x10 and all of it to guest physical 0x7000, then writes to port 0x12
 * to say it is done. Position independent but for the IDT, which the
 * client builds: l2_64_tick is the handler of vector 0x40.
 */
#define MSR_APIC_BASE	0x1b
#define MSR_SVR		0x80f
#define MSR_EOI		0x80b
#define MSR_LVT_TIMER	0x832
#define MSR_TIMER_INIT	0x838
#define MSR_TIMER_DIV	0x83e
#define L2_64_TICKS	5

	.section .rodata
	.code64
	.globl l2_64_start, l2_64_end, l2_64_tick
l2_64_start:
	lea	l2_64_msg(%rip), %rsi
	mov	$0xe9, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, (%dx)
	jmp	1b
2:	mov	$MSR_APIC_BASE, %ecx
	rdmsr
	or	$0xc00, %eax			/* enabled, x2APIC */
	wrmsr
	xor	%edx, %edx
	mov	$MSR_SVR, %ecx
	mov	$0x1ff, %eax
	wrmsr
	mov	$MSR_TIMER_DIV, %ecx
	mov	$0xb, %eax			/* divide by 1 */
	wrmsr
	mov	$MSR_LVT_TIMER, %ecx
	mov	$0x20040, %eax			/* periodic, vector 0x40 */
	wrmsr
	mov	$MSR_TIMER_INIT, %ecx
	mov	$1000000, %eax			/* 1 ms at KVM's 1 GHz */
	wrmsr
3:	sti
	hlt
	cli
	cmpq	$L2_64_TICKS, l2_64_ticks(%rip)
	jb	3b
	mov	$MSR_LVT_TIMER, %ecx
	mov	$0x10000, %eax			/* masked */
	wrmsr
	mov	$MSR_TIMER_INIT, %ecx
	xor	%eax, %eax
	wrmsr
	mov	l2_64_ticks(%rip), %rax
	mov	$0x11, %dx
	out	%eax, (%dx)
	xor	%eax, %eax
	mov	%rbx, %rcx
	jrcxz	5f
4:	mov	%rcx, %rdx
	imul	%rcx, %rdx
	add	%rdx, %rax
	loop	4b
5:	mov	%rax, 0x7000
	mov	$0x10, %dx
	out	%eax, (%dx)
	mov	$0x12, %dx
	out	%al, (%dx)
	jmp	5b

/* Vector 0x40: count, EOI, return. */
l2_64_tick:
	push	%rax
	push	%rcx
	push	%rdx
	incq	l2_64_ticks(%rip)
	mov	$MSR_EOI, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

	.balign	8
l2_64_ticks:
	.quad	0
l2_64_msg:
	.asciz	"hello from a 64-bit L2, its APIC timer in L1's KVM\n"
l2_64_end:
	.section .note.GNU-stack, "", @progbits
