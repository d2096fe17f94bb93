/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A local APIC as the Intel SDM (Vol. 3A, "Advanced Programmable Interrupt
 * Controller (APIC)") describes it: the register file in xAPIC (MMIO) and
 * x2APIC (MSR) modes, IA32_APIC_BASE, the priorities that decide which
 * interrupt the vCPU takes, EOI, interprocessor interrupts as requests
 * for the VMM to route, and the timer in one-shot, periodic and
 * TSC-deadline modes. Pure: time comes in as nanoseconds from the caller,
 * and what the APIC asks of the outside (send an IPI, signal an EOI to
 * the I/O APIC, arm the timer) goes out in struct lapic_out.
 */
#ifndef NVMX_APIC_LAPIC_H
#define NVMX_APIC_LAPIC_H

#include "../pure.h"

/* IA32_APIC_BASE */
#define LAPIC_MSR_BASE			0x1b
#define LAPIC_BASE_BSP			BIT_ULL(8)
#define LAPIC_BASE_EXTD			BIT_ULL(10)	/* x2APIC mode */
#define LAPIC_BASE_EN			BIT_ULL(11)
#define LAPIC_DEFAULT_BASE		0xfee00000ULL
#define LAPIC_MSR_TSC_DEADLINE		0x6e0
#define LAPIC_X2APIC_MSR_FIRST		0x800
#define LAPIC_X2APIC_MSR_LAST		0x8ff

/* Register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + offset / 16) */
#define LAPIC_ID			0x020
#define LAPIC_VERSION			0x030
#define LAPIC_TPR			0x080
#define LAPIC_APR			0x090
#define LAPIC_PPR			0x0a0
#define LAPIC_EOI			0x0b0
#define LAPIC_LDR			0x0d0
#define LAPIC_DFR			0x0e0
#define LAPIC_SVR			0x0f0
#define LAPIC_ISR			0x100	/* 8 registers of 32 vectors */
#define LAPIC_TMR			0x180
#define LAPIC_IRR			0x200
#define LAPIC_ESR			0x280
#define LAPIC_ICR_LOW			0x300
#define LAPIC_ICR_HIGH			0x310
#define LAPIC_LVT_TIMER			0x320
#define LAPIC_LVT_THERMAL		0x330
#define LAPIC_LVT_PERF			0x340
#define LAPIC_LVT_LINT0			0x350
#define LAPIC_LVT_LINT1			0x360
#define LAPIC_LVT_ERROR			0x370
#define LAPIC_TIMER_INITIAL		0x380
#define LAPIC_TIMER_CURRENT		0x390
#define LAPIC_TIMER_DIVIDE		0x3e0
#define LAPIC_SELF_IPI			0x3f0	/* x2APIC only */
#define LAPIC_REGS_SIZE			0x400

/* Fields */
#define LAPIC_VERSION_VALUE		0x50014	/* version 0x14, 6 LVT entries */
#define LAPIC_SVR_ENABLE		BIT(8)
#define LAPIC_LVT_MASKED		BIT(16)
#define LAPIC_LVT_LEVEL			BIT(15)
#define LAPIC_LVT_REMOTE_IRR		BIT(14)
#define LAPIC_TIMER_MODE(lvt)		(((lvt) >> 17) & 3)
#define LAPIC_TIMER_ONESHOT		0
#define LAPIC_TIMER_PERIODIC		1
#define LAPIC_TIMER_DEADLINE		2
#define LAPIC_ESR_SEND_ILLEGAL		BIT(5)
#define LAPIC_ESR_RECV_ILLEGAL		BIT(6)
#define LAPIC_ESR_ILLEGAL_REG		BIT(7)

/* ICR: delivery modes, destination shorthands */
#define LAPIC_DM_FIXED			0
#define LAPIC_DM_LOWEST			1
#define LAPIC_DM_SMI			2
#define LAPIC_DM_NMI			4
#define LAPIC_DM_INIT			5
#define LAPIC_DM_SIPI			6
#define LAPIC_DEST_FIELD		0
#define LAPIC_DEST_SELF			1
#define LAPIC_DEST_ALL			2
#define LAPIC_DEST_OTHERS		3

/* The timer counts at 1 GHz divided by the divide configuration. */
#define LAPIC_BUS_NS			1

/**
 * struct lapic_ipi - an IPI the vCPU sent, for the VMM to deliver
 * @mode: LAPIC_DM_*
 * @vector: the vector (fixed, lowest priority; the page for SIPI)
 * @shorthand: LAPIC_DEST_*
 * @logical: the destination is logical
 * @level: the level bit (INIT level de-assert has it clear)
 * @trigger_level: level-triggered
 * @dest: the destination field (8 bits in xAPIC mode, 32 in x2APIC)
 */
struct lapic_ipi {
	u8 mode;
	u8 vector;
	u8 shorthand;
	bool logical;
	bool level;
	bool trigger_level;
	u32 dest;
};

/**
 * struct lapic_out - what a register access asks of the VMM
 * @ipi: send @ipi_msg
 * @ipi_msg: the IPI
 * @eoi_vector: an EOI of a level-triggered interrupt: tell the I/O APIC
 *	(-1: none)
 * @timer_changed: the timer was started, stopped or changed: the VMM
 *	asks lapic_timer_next() again
 */
struct lapic_out {
	bool ipi;
	struct lapic_ipi ipi_msg;
	int eoi_vector;
	bool timer_changed;
};

/**
 * struct lapic - one local APIC
 * @base: IA32_APIC_BASE
 * @id: the APIC ID (8 bits used in xAPIC mode)
 * @regs: the register file, at its offsets (what is not computed)
 * @timer_start: when the current period began (ns, the caller's clock)
 * @timer_armed: the one-shot or periodic count runs
 * @tsc_deadline: IA32_TSC_DEADLINE (guest TSC; 0: disarmed)
 * @esr_pending: errors since the last write of ESR
 */
struct lapic {
	u64 base;
	u32 id;
	u32 regs[LAPIC_REGS_SIZE / 4];
	u64 timer_start;
	bool timer_armed;
	u64 tsc_deadline;
	u32 esr_pending;
};

void lapic_reset(struct lapic *l, u32 id, bool bsp);
bool lapic_hw_enabled(const struct lapic *l);
bool lapic_x2apic(const struct lapic *l);
int lapic_set_base(struct lapic *l, u64 val, u64 phys_limit);

int lapic_read(struct lapic *l, u32 offset, u32 *val, u64 now);
int lapic_write(struct lapic *l, u32 offset, u32 val, u64 now,
		struct lapic_out *out);
int lapic_msr_read(struct lapic *l, u32 msr, u64 *val, u64 now);
int lapic_msr_write(struct lapic *l, u32 msr, u64 val, u64 now,
		    struct lapic_out *out);

bool lapic_accept(struct lapic *l, u8 vector, bool level);
int lapic_pending(const struct lapic *l);
void lapic_ack(struct lapic *l, u8 vector);
u8 lapic_ppr(const struct lapic *l);

bool lapic_match_dest(const struct lapic *l, const struct lapic_ipi *ipi,
		      bool self);

u64 lapic_timer_next(const struct lapic *l);
void lapic_timer_fire(struct lapic *l, u64 now);
void lapic_deadline_fire(struct lapic *l);

void lapic_init_signal(struct lapic *l);
void lapic_get_state(const struct lapic *l, u32 *regs, u64 now);
int lapic_set_state(struct lapic *l, const u32 *regs, u64 now);

#endif /* NVMX_APIC_LAPIC_H */
