// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest code of nvmx_lapic_test: the local APIC's timer in its three
 * modes, x2APIC mode with a self IPI and the task priority, IPIs between
 * vCPUs, and the #GP faults of x2APIC MSRs. Built freestanding like
 * guest.c (see the Makefile), with its own IDT.
 */
#include "guest.h"
#include "guest_apic.h"
#include "loader.h"

#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ICR_LOW		0x300
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_TIMER_INITIAL	0x380
#define APIC_TIMER_CURRENT	0x390
#define APIC_TIMER_DIVIDE	0x3e0
#define APIC_SVR_ON		0x1ff	/* enabled, spurious vector 0xff */
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_DIVIDE_1		0xb
#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0
#define MSR_X2APIC(off)		(0x800 + ((off) >> 4))
#define X2APIC_ID		MSR_X2APIC(0x020)
#define X2APIC_VERSION		MSR_X2APIC(0x030)
#define X2APIC_SELF_IPI		MSR_X2APIC(0x3f0)
#define APIC_BASE_EXTD		(1ULL << 10)

struct guest_apic_state guest_apic;

struct apic_iframe {
	__u64 rip, cs, rflags, rsp, ss;
};

struct apic_gate {
	__u64 lo, hi;
};

static struct apic_gate apic_idt[256];

static inline __u64 apic_rdtsc(void)
{
	__u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (__u64)hi << 32 | lo;
}

static inline __u64 apic_rdmsr(__u32 msr)
{
	__u32 lo = 0, hi = 0;

	asm volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	return (__u64)hi << 32 | lo;
}

static inline void apic_wrmsr(__u32 msr, __u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((__u32)v), "d"((__u32)(v >> 32))
		     : "memory");
}

static inline __u32 apic_read(__u32 off)
{
	return guest_readl(GUEST_APIC_GPA + off);
}

static inline void apic_write(__u32 off, __u32 v)
{
	guest_writel(GUEST_APIC_GPA + off, v);
}

static void apic_irq(unsigned int i)
{
	if (i == 0 && !guest_apic.timer_tsc)
		guest_apic.timer_tsc = apic_rdtsc();
	WRITE_ONCE(guest_apic.irqs[i], guest_apic.irqs[i] + 1);
	if (guest_apic.x2apic)
		apic_wrmsr(MSR_X2APIC(APIC_EOI), 0);
	else
		apic_write(APIC_EOI, 0);
}

static void __attribute__((interrupt)) apic_irq50(struct apic_iframe *f)
{
	apic_irq(0);
}

static void __attribute__((interrupt)) apic_irq51(struct apic_iframe *f)
{
	apic_irq(1);
}

static void __attribute__((interrupt)) apic_irq52(struct apic_iframe *f)
{
	apic_irq(2);
}

/* #GP: count it and step over the RDMSR/WRMSR (0f 32, 0f 30). */
static void __attribute__((interrupt))
apic_gp(struct apic_iframe *f, unsigned long err)
{
	const __u8 *insn = (const __u8 *)f->rip;

	guest_apic.gp++;
	if (insn[0] == 0x0f && (insn[1] == 0x32 || insn[1] == 0x30)) {
		f->rip += 2;
		return;
	}
	guest_report(GUEST_GP(err));
	for (;;)
		asm volatile("cli; hlt");
}

static void apic_set_gate(unsigned int vec, void *handler)
{
	__u64 a = (__u64)handler;

	apic_idt[vec].lo = (a & 0xffff) | (__u64)NVMX_LOADER_CS << 16 |
			   0x8eULL << 40 | ((a >> 16) & 0xffff) << 48;
	apic_idt[vec].hi = a >> 32;
}

/* As guest.c's: the limit in the last two bytes of an aligned word. */
struct apic_dtr {
	__u16 pad[3];
	__u16 limit;
	__u64 base;
};

/* IDT, interrupts off, the APIC software-enabled (xAPIC mode). */
static void apic_setup(void)
{
	struct apic_dtr dtr = {
		.limit = sizeof(apic_idt) - 1,
		.base = (__u64)apic_idt,
	};

	asm volatile("cli");
	apic_set_gate(13, apic_gp);
	apic_set_gate(GUEST_APIC_VEC_TIMER, apic_irq50);
	apic_set_gate(GUEST_APIC_VEC_IPI, apic_irq51);
	apic_set_gate(GUEST_APIC_VEC_SELF, apic_irq52);
	asm volatile("lidt %0" : : "m"(dtr.limit), "m"(dtr) : "memory");
	apic_write(APIC_SVR, APIC_SVR_ON);
}

/* HLT until @n interrupts of @i came; STI;HLT closes the race. */
static void apic_wait(unsigned int i, __u64 n)
{
	WRITE_ONCE(guest_apic.halting, 1);
	for (;;) {
		asm volatile("cli" : : : "memory");
		if (READ_ONCE(guest_apic.irqs[i]) >= n)
			break;
		asm volatile("sti; hlt" : : : "memory");
	}
	asm volatile("sti" : : : "memory");
}

static void apic_spin(__u64 n)
{
	for (; n; n--)
		asm volatile("pause" : : : "memory");
}

/*
 * The timer in @mode: one-shot or periodic with an initial count of @arg
 * (ns: divide by 1 of a 1 GHz clock), or a TSC deadline @arg cycles from
 * now. Reports: the interrupts taken, then per mode (see the test).
 */
void guest_apic_timer(__u64 mode, __u64 arg)
{
	__u64 deadline, n;

	apic_setup();
	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_1);
	if (mode == GUEST_APIC_DEADLINE) {
		apic_write(APIC_LVT_TIMER, GUEST_APIC_VEC_TIMER | 2 << 17);
		deadline = apic_rdtsc() + arg;
		apic_wrmsr(MSR_TSC_DEADLINE, deadline);
		apic_wait(0, 1);
		guest_report(guest_apic.irqs[0]);
		guest_report(guest_apic.timer_tsc >= deadline);
		guest_report(apic_rdmsr(MSR_TSC_DEADLINE));
		return;
	}
	apic_write(APIC_LVT_TIMER, GUEST_APIC_VEC_TIMER |
		   (mode == GUEST_APIC_PERIODIC ? 1 << 17 : 0));
	apic_write(APIC_TIMER_INITIAL, arg);
	if (mode == GUEST_APIC_ONESHOT) {
		apic_wait(0, 1);
		guest_report(guest_apic.irqs[0]);
		guest_report(apic_read(APIC_TIMER_CURRENT));
		return;
	}
	apic_wait(0, GUEST_APIC_PERIODS);
	/* Masked: no more, after what was already pending. */
	asm volatile("cli" : : : "memory");
	apic_write(APIC_LVT_TIMER, GUEST_APIC_VEC_TIMER | 1 << 17 |
		   APIC_LVT_MASKED);
	asm volatile("sti; nop" : : : "memory");
	n = READ_ONCE(guest_apic.irqs[0]);
	apic_spin(arg / 4);
	guest_report(n);
	guest_report(READ_ONCE(guest_apic.irqs[0]));
}

/*
 * x2APIC: its MSRs #GP in xAPIC mode; IA32_APIC_BASE; ID and version;
 * a self IPI; writes to read-only registers #GP; TPR holds back a
 * lower-class interrupt until it is lowered.
 */
void guest_apic_x2apic(void)
{
	__u64 base;

	apic_setup();
	apic_rdmsr(X2APIC_ID);				/* #GP 1 */
	base = apic_rdmsr(MSR_APIC_BASE);
	guest_report(base);
	apic_wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
	guest_apic.x2apic = 1;
	guest_report(apic_rdmsr(MSR_APIC_BASE));
	guest_report(apic_rdmsr(X2APIC_ID));
	guest_report(apic_rdmsr(X2APIC_VERSION));
	apic_wrmsr(MSR_X2APIC(APIC_SVR), APIC_SVR_ON);
	asm volatile("sti" : : : "memory");
	apic_wrmsr(X2APIC_SELF_IPI, GUEST_APIC_VEC_SELF);
	asm volatile("nop" : : : "memory");
	guest_report(READ_ONCE(guest_apic.irqs[2]));
	apic_wrmsr(X2APIC_ID, 5);			/* #GP 2 */
	apic_wrmsr(X2APIC_VERSION, 0);			/* #GP 3 */
	apic_rdmsr(X2APIC_SELF_IPI);			/* #GP 4: write-only */
	guest_report(guest_apic.gp);
	apic_wrmsr(MSR_X2APIC(APIC_TPR), 0x60);
	apic_wrmsr(X2APIC_SELF_IPI, GUEST_APIC_VEC_SELF);
	apic_spin(1000);
	guest_report(READ_ONCE(guest_apic.irqs[2]));
	apic_wrmsr(MSR_X2APIC(APIC_TPR), 0);
	asm volatile("nop" : : : "memory");
	guest_report(READ_ONCE(guest_apic.irqs[2]));
}

/* vCPU 1: ready, then HLT until vCPU 0's IPI. */
void guest_apic_wait_ipi(void)
{
	apic_setup();
	guest_report(GUEST_READY);
	apic_wait(1, 1);
	guest_report(GUEST_IRQ(GUEST_APIC_VEC_IPI));
}

/* A fixed IPI through the xAPIC ICR to physical APIC ID @dest. */
void guest_apic_send_ipi(__u64 dest, __u64 vector)
{
	apic_setup();
	apic_write(APIC_ICR_HIGH, dest << 24);
	apic_write(APIC_ICR_LOW, vector);
	guest_report(apic_read(APIC_ICR_LOW));
}

/* CPUID leaf 1: EBX (initial APIC ID in 31:24), ECX, EDX. */
void guest_apic_cpuid(void)
{
	__u32 a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	guest_report(b >> 24);
	guest_report(c);
	guest_report(d);
}

/* CR8 is TPR bits 7:4: a MOV to CR8 seen in TPR, a TPR write in CR8. */
void guest_apic_cr8(void)
{
	unsigned long v = 5;

	apic_setup();
	asm volatile("mov %0, %%cr8" : : "r"(v));
	guest_report(apic_read(APIC_TPR));
	apic_write(APIC_TPR, 0x30);
	asm volatile("mov %%cr8, %0" : "=r"(v));
	guest_report(v);
}
