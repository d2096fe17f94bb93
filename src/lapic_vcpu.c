// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel local APIC of a vCPU (NVMX_VM_LAPIC): the glue between
 * the pure model (src/apic/lapic.c) and the VMM. Register accesses from
 * the VMX layer (MMIO, MSRs), the timer on an hrtimer, IPIs routed to
 * the VM's vCPUs, the interrupt the run loop injects, and HLT.
 *
 * The timer and IPIs are why this is in the kernel: with the APIC in
 * userspace every timer tick and every IPI costs exits to userspace.
 * Locking: see lapic_vcpu.h.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "lapic_vcpu.h"
#include "vcpu.h"
#include "vm.h"

/* The shortest periodic interval the host timer is armed with. */
#define NVMX_LAPIC_MIN_PERIOD_NS	50000ULL

static bool nvmx_lapic_deadline_mode(const struct lapic *l)
{
	return LAPIC_TIMER_MODE(l->regs[LAPIC_LVT_TIMER / 4]) ==
	       LAPIC_TIMER_DEADLINE;
}

/* The guest's (L1's) TSC now: the host's plus VMCS01's TSC offset. */
static u64 nvmx_lapic_guest_tsc(struct nvmx_vcpu *vcpu)
{
	return rdtsc() + READ_ONCE(vcpu->vmx.tsc_offset);
}

/* Host CLOCK_MONOTONIC ns at which the guest's TSC reaches @deadline. */
static u64 nvmx_lapic_deadline_ns(struct nvmx_vcpu *vcpu, u64 deadline,
				  u64 now)
{
	u64 tsc = nvmx_lapic_guest_tsc(vcpu), delta;

	if (deadline <= tsc || !tsc_khz)
		return now;
	delta = mul_u64_u32_div(deadline - tsc, NSEC_PER_MSEC, tsc_khz);
	return now + min_t(u64, delta, 1ULL << 62);
}

/* Start, move or stop the hrtimer as the model says. Context: @lock held. */
static void nvmx_lapic_arm(struct nvmx_vcpu *vcpu, u64 now)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	u64 at;

	if (nvmx_lapic_deadline_mode(&lv->apic))
		at = lv->apic.tsc_deadline ?
		     nvmx_lapic_deadline_ns(vcpu, lv->apic.tsc_deadline, now) :
		     0;
	else
		at = lapic_timer_next(&lv->apic);
	if (!at)
		hrtimer_try_to_cancel(&lv->timer);
	else
		hrtimer_start(&lv->timer, ns_to_ktime(at), HRTIMER_MODE_ABS);
}

/* Context: hard irq. */
static enum hrtimer_restart nvmx_lapic_timer_fn(struct hrtimer *t)
{
	struct nvmx_lapic_vcpu *lv = container_of(t, struct nvmx_lapic_vcpu,
						  timer);
	struct nvmx_vcpu *vcpu = container_of(lv, struct nvmx_vcpu, lapic);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	u64 now = ktime_get_ns(), at = 0;
	unsigned long flags;

	spin_lock_irqsave(&lv->lock, flags);
	if (nvmx_lapic_deadline_mode(&lv->apic)) {
		if (lv->apic.tsc_deadline &&
		    nvmx_lapic_guest_tsc(vcpu) >= lv->apic.tsc_deadline)
			lapic_deadline_fire(&lv->apic);
		else if (lv->apic.tsc_deadline)
			at = nvmx_lapic_deadline_ns(vcpu, lv->apic.tsc_deadline,
						    now);
	} else {
		lapic_timer_fire(&lv->apic, now);
		at = lapic_timer_next(&lv->apic);
		/* The model coalesces what the host timer skips. */
		if (at)
			at = max(at, now + NVMX_LAPIC_MIN_PERIOD_NS);
	}
	/* Unless a register write re-armed it meanwhile (it is queued). */
	if (at && !hrtimer_is_queued(t)) {
		hrtimer_set_expires(t, ns_to_ktime(at));
		ret = HRTIMER_RESTART;
	}
	set_bit(NVMX_LAPIC_EV_IRQ, &lv->events);
	spin_unlock_irqrestore(&lv->lock, flags);
	nvmx_vcpu_wake(vcpu);
	return ret;
}

/* Context: vCPU creation, before anyone else knows the vCPU. */
void nvmx_lapic_init(struct nvmx_vcpu *vcpu)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;

	spin_lock_init(&lv->lock);
	hrtimer_init(&lv->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	lv->timer.function = nvmx_lapic_timer_fn;
	init_waitqueue_head(&lv->halt);
}

/*
 * The vCPU gets an APIC at power-up state: xAPIC at 0xfee00000, APIC ID
 * = vCPU id, vCPU 0 the BSP. Context: vm->lock held, the vCPU not yet
 * in the VM's table.
 */
void nvmx_lapic_enable(struct nvmx_vcpu *vcpu)
{
	lapic_reset(&vcpu->lapic.apic, vcpu->id, vcpu->id == 0);
	vcpu->lapic.on = true;
}

/* The vCPU goes: no timer may fire any more. */
void nvmx_lapic_free(struct nvmx_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->lapic.timer);
}

/* Deliver @ipi to @t. Return: @t must be woken. Context: t's @lock held. */
static bool nvmx_lapic_deliver(struct nvmx_vcpu *t,
			       const struct lapic_ipi *ipi)
{
	struct nvmx_lapic_vcpu *lv = &t->lapic;

	switch (ipi->mode) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
		if (!lapic_accept(&lv->apic, ipi->vector, ipi->trigger_level))
			return false;
		set_bit(NVMX_LAPIC_EV_IRQ, &lv->events);
		return true;
	case LAPIC_DM_NMI:
		set_bit(NVMX_LAPIC_EV_NMI, &lv->events);
		return true;
	case LAPIC_DM_INIT:
		/* The level de-assert of old APICs does nothing. */
		if (!ipi->level && ipi->trigger_level)
			return false;
		set_bit(NVMX_LAPIC_EV_INIT, &lv->events);
		return true;
	case LAPIC_DM_SIPI:
		lv->sipi_vector = ipi->vector;
		set_bit(NVMX_LAPIC_EV_SIPI, &lv->events);
		return true;
	}
	lv->dropped++;
	pr_info_ratelimited("nvmx: vCPU %u: IPI delivery mode %u not supported, dropped\n",
			    t->id, ipi->mode);
	return false;
}

/*
 * Send @ipi from @src (NULL: from outside the vCPUs, an interrupt
 * message) to every vCPU whose APIC matches the destination; lowest
 * priority goes to the first match in vCPU id order.
 * Context: process context, no APIC lock. Return: the APICs that took it.
 */
static int nvmx_lapic_route(struct nvmx_vm *vm, struct nvmx_vcpu *src,
			    const struct lapic_ipi *ipi)
{
	unsigned long flags;
	unsigned int i;
	int n = 0;

	mutex_lock(&vm->lock);
	for_each_set_bit(i, vm->vcpu_ids, NVMX_MAX_VCPUS) {
		struct nvmx_vcpu *t = vm->vcpus[i];
		bool match, wake = false;

		if (!t || !t->lapic.on)
			continue;
		spin_lock_irqsave(&t->lapic.lock, flags);
		match = lapic_hw_enabled(&t->lapic.apic) &&
			lapic_match_dest(&t->lapic.apic, ipi, t == src);
		if (match)
			wake = nvmx_lapic_deliver(t, ipi);
		spin_unlock_irqrestore(&t->lapic.lock, flags);
		if (wake) {
			nvmx_vcpu_wake(t);
			n++;
		}
		if (match && ipi->mode == LAPIC_DM_LOWEST)
			break;
	}
	mutex_unlock(&vm->lock);
	return n;
}

/* An IPI @vcpu sent. Context: process context, @vcpu's lock held. */
static void nvmx_lapic_send(struct nvmx_vcpu *vcpu, const struct lapic_ipi *ipi)
{
	nvmx_lapic_route(vcpu->vm, vcpu, ipi);
}

/**
 * nvmx_lapic_signal_msi() - NVMX_SIGNAL_MSI: an interrupt message from
 * outside the vCPUs (an I/O APIC of userspace's, a device)
 * @vm: the VM
 * @msi: the message (uapi/linux/nvmx.h gives the format)
 *
 * Context: process context. Return: the number of APICs that took it
 * (0: none matched, or they had it pending already), or -EINVAL: not
 * an address in 0xfee00000-0xfeefffff, a flag, a redirection hint, a
 * delivery mode other than fixed, lowest priority, NMI and INIT, or a
 * fixed/lowest-priority vector below 16.
 */
int nvmx_lapic_signal_msi(struct nvmx_vm *vm, const struct nvmx_msi *msi)
{
	struct lapic_ipi ipi = {
		.vector = msi->data & 0xff,
		.mode = (msi->data >> 8) & 7,
		.logical = msi->address & BIT(2),
		.level = true,
		.trigger_level = msi->data & BIT(15),
		.dest = (msi->address >> 12) & 0xff,
	};

	if ((msi->address & ~0xffffcULL) != 0xfee00000ULL || msi->flags ||
	    (msi->address & BIT(3)) || (msi->data & ~0xc7ffU))
		return -EINVAL;
	switch (ipi.mode) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
		if (ipi.vector < 16)
			return -EINVAL;
		break;
	case LAPIC_DM_NMI:
	case LAPIC_DM_INIT:
		break;
	default:
		return -EINVAL;
	}
	/* An 8-bit broadcast reaches x2APICs too. */
	if (ipi.dest == 0xff && !ipi.logical)
		ipi.shorthand = LAPIC_DEST_ALL;
	return nvmx_lapic_route(vm, NULL, &ipi);
}

/* What a register write asked for; @lock held, @vcpu's IPIs sent later. */
static void nvmx_lapic_after_write(struct nvmx_vcpu *vcpu,
				   const struct lapic_out *out, u64 now)
{
	if (out->timer_changed)
		nvmx_lapic_arm(vcpu, now);
	/* A self IPI or EOI may have made an interrupt deliverable. */
	set_bit(NVMX_LAPIC_EV_IRQ, &vcpu->lapic.events);
}

/**
 * nvmx_lapic_mmio() - an access to the xAPIC page
 * @vcpu: the vCPU
 * @gpa: the guest-physical address
 * @write: a store
 * @size: bytes
 * @val: the data stored, or loaded
 *
 * 32-bit accesses at 16-byte aligned offsets reach the registers;
 * others read 0 and write nothing (the SDM leaves them undefined).
 * Context: the vCPU's thread in NVMX_RUN.
 * Return: 0, or -ENOENT when @gpa is not the vCPU's xAPIC page.
 */
int nvmx_lapic_mmio(struct nvmx_vcpu *vcpu, u64 gpa, bool write,
		    unsigned int size, u64 *val)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	u32 offset = gpa & 0xfff, v = 0;
	struct lapic_out out = { };
	u64 now = ktime_get_ns();
	unsigned long flags;
	int ret = -ENOENT;

	if (!lv->on)
		return -ENOENT;
	spin_lock_irqsave(&lv->lock, flags);
	if (!lapic_hw_enabled(&lv->apic) || lapic_x2apic(&lv->apic) ||
	    (gpa & ~0xfffULL) != (lv->apic.base & ~0xfffULL))
		goto out;
	ret = 0;
	if (size != 4 || (offset & 0xf)) {
		if (!write)
			*val = 0;
		goto out;
	}
	if (write) {
		lapic_write(&lv->apic, offset, (u32)*val, now, &out);
		nvmx_lapic_after_write(vcpu, &out, now);
	} else {
		lapic_read(&lv->apic, offset, &v, now);
		*val = v;
	}
out:
	spin_unlock_irqrestore(&lv->lock, flags);
	if (out.ipi)
		nvmx_lapic_send(vcpu, &out.ipi_msg);
	return ret;
}

static bool nvmx_lapic_msr(u32 msr)
{
	return msr == LAPIC_MSR_BASE || msr == LAPIC_MSR_TSC_DEADLINE ||
	       (msr >= LAPIC_X2APIC_MSR_FIRST && msr <= LAPIC_X2APIC_MSR_LAST);
}

/**
 * nvmx_lapic_get_msr() - RDMSR of IA32_APIC_BASE, IA32_TSC_DEADLINE or
 * an x2APIC register
 * @vcpu: the vCPU
 * @msr: the MSR
 * @val: its value
 *
 * Return: 0; -EINVAL (#GP); -ENOENT: not an APIC MSR, or no APIC.
 */
int nvmx_lapic_get_msr(struct nvmx_vcpu *vcpu, u32 msr, u64 *val)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	unsigned long flags;
	int ret = 0;

	if (!lv->on || !nvmx_lapic_msr(msr))
		return -ENOENT;
	spin_lock_irqsave(&lv->lock, flags);
	if (msr == LAPIC_MSR_BASE)
		*val = lv->apic.base;
	else
		ret = lapic_msr_read(&lv->apic, msr, val, ktime_get_ns());
	spin_unlock_irqrestore(&lv->lock, flags);
	return ret;
}

/**
 * nvmx_lapic_set_msr() - WRMSR of an APIC MSR, or NVMX_SET_MSRS
 * @vcpu: the vCPU
 * @msr: the MSR
 * @val: the value
 * @host: userspace writes it (IA32_APIC_BASE's BSP flag then too)
 *
 * Return: 0; -EINVAL (#GP); -ENOENT: not an APIC MSR, or no APIC.
 */
int nvmx_lapic_set_msr(struct nvmx_vcpu *vcpu, u32 msr, u64 val, bool host)
{
	u64 limit = 1ULL << boot_cpu_data.x86_phys_bits;
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	u64 now = ktime_get_ns();
	struct lapic_out out = { };
	unsigned long flags;
	int ret;

	if (!lv->on || !nvmx_lapic_msr(msr))
		return -ENOENT;
	spin_lock_irqsave(&lv->lock, flags);
	if (msr == LAPIC_MSR_BASE) {
		ret = lapic_set_base(&lv->apic, val, limit);
		if (!ret && host)
			lv->apic.base = (lv->apic.base & ~LAPIC_BASE_BSP) |
					(val & LAPIC_BASE_BSP);
		out.timer_changed = true;
	} else {
		ret = lapic_msr_write(&lv->apic, msr, val, now, &out);
	}
	if (!ret)
		nvmx_lapic_after_write(vcpu, &out, now);
	spin_unlock_irqrestore(&lv->lock, flags);
	if (!ret && out.ipi)
		nvmx_lapic_send(vcpu, &out.ipi_msg);
	return ret;
}

/* The vector the APIC would deliver now, or -1 (also without an APIC). */
int nvmx_lapic_pending_irq(struct nvmx_vcpu *vcpu)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	unsigned long flags;
	int vector;

	if (!lv->on)
		return -1;
	spin_lock_irqsave(&lv->lock, flags);
	vector = lapic_pending(&lv->apic);
	spin_unlock_irqrestore(&lv->lock, flags);
	return vector;
}

/* The vCPU takes @vector (injected, or acknowledged on a VM exit to L1). */
void nvmx_lapic_ack_irq(struct nvmx_vcpu *vcpu, u8 vector)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	unsigned long flags;

	spin_lock_irqsave(&lv->lock, flags);
	lapic_ack(&lv->apic, vector);
	spin_unlock_irqrestore(&lv->lock, flags);
}

/*
 * Before an entry: take what others signalled. An NMI IPI becomes the
 * vCPU's pending NMI (one pending NMI at most, as on hardware), an INIT
 * its pending INIT, a SIPI its pending SIPI (the run loop acts on
 * them); the IRR is looked at when the events of the entry are chosen.
 * Context: the vCPU's thread.
 */
void nvmx_lapic_take_events(struct nvmx_vcpu *vcpu)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	unsigned long flags;

	clear_bit(NVMX_LAPIC_EV_IRQ, &lv->events);
	if (test_and_clear_bit(NVMX_LAPIC_EV_NMI, &lv->events))
		vcpu->nmi_pending = true;
	if (test_and_clear_bit(NVMX_LAPIC_EV_INIT, &lv->events))
		vcpu->init_pending = true;
	if (test_and_clear_bit(NVMX_LAPIC_EV_SIPI, &lv->events)) {
		spin_lock_irqsave(&lv->lock, flags);
		vcpu->sipi_vector = lv->sipi_vector;
		spin_unlock_irqrestore(&lv->lock, flags);
	}
}

/* Has something been signalled since nvmx_lapic_take_events()? */
bool nvmx_lapic_events(struct nvmx_vcpu *vcpu)
{
	return READ_ONCE(vcpu->lapic.events);
}

static bool nvmx_lapic_wakeup(struct nvmx_vcpu *vcpu, bool irq_ok)
{
	return (irq_ok && (nvmx_lapic_pending_irq(vcpu) >= 0 ||
			   vcpu->irq_vector >= 0 ||
			   READ_ONCE(vcpu->run->request_interrupt_window))) ||
	       vcpu->nmi_pending ||
	       test_bit(NVMX_LAPIC_EV_NMI, &vcpu->lapic.events) ||
	       test_bit(NVMX_LAPIC_EV_INIT, &vcpu->lapic.events) ||
	       READ_ONCE(vcpu->kick) ||
	       nvmx_vm_stopped(vcpu->vm, vcpu->stop_seq);
}

/**
 * nvmx_lapic_halt() - HLT with an APIC: sleep until there is work
 * @vcpu: the vCPU
 * @irq_ok: the guest takes interrupts (RFLAGS.IF)
 *
 * Wakes for an interrupt the APIC would deliver or userspace queued, or
 * an interrupt window userspace asks for (all with @irq_ok), an NMI, a
 * kick, a stop or a signal; the run loop then sees which.
 * Context: the vCPU's thread in NVMX_RUN, may sleep.
 */
void nvmx_lapic_halt(struct nvmx_vcpu *vcpu, bool irq_ok)
{
	/* A signal ends the wait too; the run loop then ends NVMX_RUN. */
	wait_event_interruptible(vcpu->lapic.halt,
				 nvmx_lapic_wakeup(vcpu, irq_ok));
}

/**
 * nvmx_lapic_wait_sipi() - the wait-for-SIPI state: sleep until a SIPI
 * or an INIT comes, or a kick, a stop or a signal
 * @vcpu: the vCPU
 *
 * Context: the vCPU's thread in NVMX_RUN, may sleep.
 */
void nvmx_lapic_wait_sipi(struct nvmx_vcpu *vcpu)
{
	unsigned long *ev = &vcpu->lapic.events;

	wait_event_interruptible(vcpu->lapic.halt,
				 test_bit(NVMX_LAPIC_EV_SIPI, ev) ||
				 test_bit(NVMX_LAPIC_EV_INIT, ev) ||
				 READ_ONCE(vcpu->kick) ||
				 nvmx_vm_stopped(vcpu->vm, vcpu->stop_seq));
}

/* INIT: the APIC's registers back to power-up, its timer stopped. */
void nvmx_lapic_init_signal(struct nvmx_vcpu *vcpu)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	unsigned long flags;

	spin_lock_irqsave(&lv->lock, flags);
	lapic_init_signal(&lv->apic);
	nvmx_lapic_arm(vcpu, ktime_get_ns());
	spin_unlock_irqrestore(&lv->lock, flags);
}

/* NVMX_GET_LAPIC: @regs as struct nvmx_lapic_state holds them. */
void nvmx_lapic_get_state(struct nvmx_vcpu *vcpu, u32 *regs)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	unsigned long flags;

	spin_lock_irqsave(&lv->lock, flags);
	lapic_get_state(&lv->apic, regs, ktime_get_ns());
	spin_unlock_irqrestore(&lv->lock, flags);
}

/*
 * NVMX_SET_LAPIC: the registers of @regs; the timer goes on from the
 * saved count. Return: 0 or -EINVAL (see lapic_set_state()).
 */
int nvmx_lapic_set_state(struct nvmx_vcpu *vcpu, const u32 *regs)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	u64 now = ktime_get_ns();
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&lv->lock, flags);
	ret = lapic_set_state(&lv->apic, regs, now);
	nvmx_lapic_arm(vcpu, now);
	set_bit(NVMX_LAPIC_EV_IRQ, &lv->events);
	spin_unlock_irqrestore(&lv->lock, flags);
	return ret;
}

/**
 * nvmx_lapic_cr8() - CR8 of a vCPU with an APIC: TPR bits 7:4
 * @vcpu: the vCPU
 * @write: MOV to CR8 (TPR = @val << 4), else from it
 * @val: the value (0-15; the caller refuses more)
 *
 * Return: true, or false when the vCPU has no APIC (CR8 is then a
 * register of its own).
 */
bool nvmx_lapic_cr8(struct nvmx_vcpu *vcpu, bool write, u64 *val)
{
	struct nvmx_lapic_vcpu *lv = &vcpu->lapic;
	struct lapic_out out;
	unsigned long flags;
	u32 tpr;

	if (!lv->on)
		return false;
	spin_lock_irqsave(&lv->lock, flags);
	lapic_read(&lv->apic, LAPIC_TPR, &tpr, 0);
	if (!write) {
		*val = tpr >> 4;
	} else if (tpr != (u32)*val << 4) {
		lapic_write(&lv->apic, LAPIC_TPR, (u32)*val << 4, 0, &out);
		/* A lower TPR may let an interrupt in. */
		set_bit(NVMX_LAPIC_EV_IRQ, &lv->events);
	}
	spin_unlock_irqrestore(&lv->lock, flags);
	return true;
}
