/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU's in-kernel local APIC (NVMX_VM_LAPIC): the pure model of
 * src/apic/lapic.c with what the VMM adds around it, a lock, an hrtimer
 * for its timer and a wait queue for HLT, and the routing of IPIs to the
 * VM's other vCPUs.
 *
 * Locking: @lock (irqsave: the hrtimer callback takes it in hard-irq
 * context) guards @apic. The vCPU's own thread, other vCPUs' threads
 * (IPIs) and the timer reach the APIC; the others only set @apic's IRR
 * and @events and wake the vCPU (nvmx_vcpu_wake()).
 */
#ifndef NVMX_LAPIC_VCPU_H
#define NVMX_LAPIC_VCPU_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "apic/lapic.h"

/* Bits of nvmx_lapic_vcpu.events */
#define NVMX_LAPIC_EV_IRQ	0	/* the IRR changed: look again */
#define NVMX_LAPIC_EV_NMI	1	/* an NMI IPI came */
#define NVMX_LAPIC_EV_INIT	2	/* an INIT came */
#define NVMX_LAPIC_EV_SIPI	3	/* a SIPI came, with @sipi_vector */

/**
 * struct nvmx_lapic_vcpu - the APIC of one vCPU
 * @on: the vCPU has an APIC (its VM had NVMX_VM_LAPIC when it was added)
 * @lock: guards @apic
 * @apic: the model
 * @timer: fires at the model's next timer event (host CLOCK_MONOTONIC)
 * @halt: where the vCPU's thread sleeps in HLT
 * @events: NVMX_LAPIC_EV_* bits, set by others, taken by the vCPU
 * @sipi_vector: the vector of the last SIPI (under @lock)
 * @dropped: SMI IPIs, which are not delivered
 */
struct nvmx_lapic_vcpu {
	bool on;
	spinlock_t lock;	/* @apic; irqsave (the timer's hard irq) */
	struct lapic apic;
	struct hrtimer timer;
	struct wait_queue_head halt;
	unsigned long events;
	u8 sipi_vector;
	u64 dropped;
};

struct nvmx_vcpu;

void nvmx_lapic_init(struct nvmx_vcpu *vcpu);
void nvmx_lapic_enable(struct nvmx_vcpu *vcpu);
void nvmx_lapic_free(struct nvmx_vcpu *vcpu);
int nvmx_lapic_mmio(struct nvmx_vcpu *vcpu, u64 gpa, bool write,
		    unsigned int size, u64 *val);
int nvmx_lapic_get_msr(struct nvmx_vcpu *vcpu, u32 msr, u64 *val);
int nvmx_lapic_set_msr(struct nvmx_vcpu *vcpu, u32 msr, u64 val, bool host);
int nvmx_lapic_pending_irq(struct nvmx_vcpu *vcpu);
void nvmx_lapic_ack_irq(struct nvmx_vcpu *vcpu, u8 vector);
void nvmx_lapic_take_events(struct nvmx_vcpu *vcpu);
bool nvmx_lapic_events(struct nvmx_vcpu *vcpu);
void nvmx_lapic_halt(struct nvmx_vcpu *vcpu, bool irq_ok);
void nvmx_lapic_wait_sipi(struct nvmx_vcpu *vcpu);
void nvmx_lapic_init_signal(struct nvmx_vcpu *vcpu);
void nvmx_lapic_get_state(struct nvmx_vcpu *vcpu, u32 *regs);
int nvmx_lapic_set_state(struct nvmx_vcpu *vcpu, const u32 *regs);
bool nvmx_lapic_cr8(struct nvmx_vcpu *vcpu, bool write, u64 *val);

struct nvmx_vm;
struct nvmx_msi;
int nvmx_lapic_signal_msi(struct nvmx_vm *vm, const struct nvmx_msi *msi);

/* lapic_ioctl.c: ioctl handlers (struct nvmx_ioctl) */
long nvmx_get_mp_state(void *obj, void *arg);
long nvmx_set_mp_state(void *obj, void *arg);
long nvmx_get_lapic(void *obj, void *arg);
long nvmx_set_lapic(void *obj, void *arg);
long nvmx_vm_signal_msi(void *obj, void *arg);

/* Is @gpa's page the one nvmx keeps for APICs (vm->flags NVMX_VM_LAPIC)? */
static inline bool nvmx_lapic_page(u64 gpa)
{
	return (gpa & ~0xfffULL) == LAPIC_DEFAULT_BASE;
}

#endif /* NVMX_LAPIC_VCPU_H */
