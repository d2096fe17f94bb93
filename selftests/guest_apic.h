/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest code of nvmx_lapic_test (guest_apic.c): guests that program the
 * in-kernel local APIC of NVMX_VM_LAPIC, and what they count.
 */
#ifndef NVMX_SELFTEST_GUEST_APIC_H
#define NVMX_SELFTEST_GUEST_APIC_H

#include <linux/types.h>

#define GUEST_APIC_GPA		0xfee00000ULL
#define GUEST_APIC_VEC_TIMER	0x50
#define GUEST_APIC_VEC_IPI	0x51
#define GUEST_APIC_VEC_SELF	0x52	/* priority class 5 */
#define GUEST_APIC_VERSION	0x50014	/* nvmx's: version 0x14, 6 LVTs */

/* guest_apic_timer() modes */
#define GUEST_APIC_ONESHOT	0
#define GUEST_APIC_PERIODIC	1
#define GUEST_APIC_DEADLINE	2
#define GUEST_APIC_PERIODS	5	/* periodic interrupts waited for */

/**
 * struct guest_apic_state - what the guests' handlers saw
 * @irqs: interrupts taken, by vector - GUEST_APIC_VEC_TIMER
 * @gp: #GP faults taken (each skips its RDMSR/WRMSR)
 * @x2apic: EOIs go through the x2APIC MSR
 * @halting: the guest is about to wait in HLT
 * @timer_tsc: the TSC in the first timer interrupt
 */
struct guest_apic_state {
	__u64 irqs[4];
	__u64 gp;
	__u64 x2apic;
	__u64 halting;
	__u64 timer_tsc;
};

extern struct guest_apic_state guest_apic;

void guest_apic_timer(__u64 mode, __u64 arg);
void guest_apic_x2apic(void);
void guest_apic_wait_ipi(void);
void guest_apic_send_ipi(__u64 dest, __u64 vector);
void guest_apic_cpuid(void);
void guest_apic_cr8(void);

#endif /* NVMX_SELFTEST_GUEST_APIC_H */
