// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 programs of nvmx_nested_event_test (see guest_l1.h): interrupts
 * and NMIs while L2 runs, L1's exception bitmap and MTF, events L1
 * injects, event delivery an exit interrupts, interrupt and NMI windows,
 * the #PF error-code filter, the APIC timer and the VMX-preemption timer
 * of L1, INITs in VMX operation and L1's TPR shadow for L2 (the last two
 * run by nvmx_lapic_test). Guest code, as guest_l1.c.
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1.h"
#include "guest_l1_lib.h"
#include "guests/vmx_l1.h"
#include "loader.h"

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
