// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVMX_GET_NESTED_STATE and NVMX_SET_NESTED_STATE: a vCPU's nested VMX
 * state, saved and restored (into the same or another VM) like the rest
 * of its registers.
 *
 * What is saved: L1's VMX operation (VMXON pointer, current VMCS), the
 * cached VMCS12, and while L2 runs, that it does, with L2's state synced
 * into VMCS12's guest-state area and the event being delivered to L2.
 * L1's own registers need no saving while L2 runs: the nested VM exit
 * loads them from VMCS12's host-state area, and what it leaves alone is
 * shared with L2 (general-purpose registers, CR2, XCR0, the FPU, the
 * lazily switched MSRs). A restore is checked like a VM entry. The
 * interrupt and NMI userspace queued and the guest has not taken yet go
 * with it: while L2 runs they are what a nested exit to L1 may be owed.
 *
 * Context: the vCPU ioctls, vcpu->lock held, the vCPU loaded.
 */
#include <asm/processor.h>

#include "../nested/vmx_insn.h"
#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"

static_assert(sizeof(struct vmcs12) <= NVMX_NESTED_VMCS12_SIZE);
static_assert(NVMX_NESTED_NO_VMCS == NESTED_NO_VMCS);

/**
 * nvmx_vmx_get_nested_state() - NVMX_GET_NESTED_STATE
 * @vcpu: the vCPU
 * @st: filled in (zeroed by the caller)
 *
 * Return: 0, or -EIO (the shadow VMCS could not be read).
 */
int nvmx_vmx_get_nested_state(struct nvmx_vcpu *vcpu,
			      struct nvmx_nested_state *st)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nested_vmx *n = &vmx->nested;

	st->version = NVMX_NESTED_STATE_VERSION;
	st->size = sizeof(*st);
	st->vmcs12_ptr = NVMX_NESTED_NO_VMCS;
	if (vcpu->irq_vector >= 0) {
		st->flags |= NVMX_NESTED_IRQ;
		st->irq_vector = vcpu->irq_vector;
	}
	if (vcpu->nmi_pending)
		st->flags |= NVMX_NESTED_NMI;
	if (!n->vmxon)
		return 0;
	if (!vmx->l2.active && nvmx_shadow_to_vmcs12(vcpu))
		return -EIO;
	st->flags |= NVMX_NESTED_VMXON;
	st->vmxon_ptr = n->vmxon_ptr;
	st->vmcs12_ptr = n->current_ptr;
	if (vmx->l2.active) {
		nvmx_l2_save(vcpu);
		/* L2 resumes with what was left of L1's timer for it. */
		nvmx_l2_timer_save(vcpu, true);
		st->flags |= NVMX_NESTED_GUEST_MODE;
		if (vmx->inject.valid) {
			st->flags |= NVMX_NESTED_EVENT;
			st->event_info = vmx->inject.info;
			st->event_error = vmx->inject.error;
			st->event_insn_len = vmx->inject.insn_len;
		}
	}
	if (n->current_ptr != NESTED_NO_VMCS)
		memcpy(st->vmcs12, &n->vmcs12, sizeof(n->vmcs12));
	return 0;
}

/*
 * Leave L2 without a VM exit: VMCS01 again, and the software copies as
 * VMCS01 has them (L1 as at its last VMLAUNCH/VMRESUME). Return: 0 or
 * -EIO.
 */
static int nvmx_l2_abandon(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	int err;

	if (!vmx->l2.active)
		return 0;
	vmx->l2.active = false;
	vmx->inject.valid = false;
	err = nvmx_vmx_switch_vmcs(vcpu, &vmx->vmcs);
	if (err)
		return err;
	nvmx_vmx_sync_ctls(vmx);
	vmx->cr0 = vmx_vmread_val(VMCS_CR0_READ_SHADOW);
	vmx->cr4 = vmx_vmread_val(VMCS_CR4_READ_SHADOW);
	vmx->efer = vmx_vmread_val(VMCS_GUEST_IA32_EFER);
	nvmx_vmx_read_guest_regs(vmx);
	return 0;
}

/* A VMXON or VMCS pointer: 4 KiB aligned, within the physical width. */
static bool nvmx_state_ptr_ok(u64 ptr)
{
	return !(ptr & 0xfff) && !(ptr >> boot_cpu_data.x86_phys_bits);
}

/* The checks of NVMX_SET_NESTED_STATE that need no vCPU state. */
static int nvmx_nested_state_valid(const struct nvmx_nested_state *st)
{
	const struct vmcs12 *v = (const struct vmcs12 *)st->vmcs12;
	bool vmcs = st->vmcs12_ptr != NVMX_NESTED_NO_VMCS;
	unsigned int i;

	if (st->version != NVMX_NESTED_STATE_VERSION ||
	    st->size != sizeof(*st) || (st->flags & ~NVMX_NESTED_FLAGS) ||
	    st->reserved1)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(st->reserved); i++)
		if (st->reserved[i])
			return -EINVAL;
	if ((st->flags & NVMX_NESTED_IRQ) ?
	    st->irq_vector < 32 || st->irq_vector > 255 : st->irq_vector)
		return -EINVAL;
	if (!(st->flags & NVMX_NESTED_VMXON))
		return st->flags & ~(NVMX_NESTED_IRQ | NVMX_NESTED_NMI) ?
		       -EINVAL : 0;
	if (!nvmx_state_ptr_ok(st->vmxon_ptr) ||
	    (vmcs && (!nvmx_state_ptr_ok(st->vmcs12_ptr) ||
		      st->vmcs12_ptr == st->vmxon_ptr)))
		return -EINVAL;
	if (vmcs && ((v->revision_id & 0x7fffffff) != NVMX_VMCS12_REVISION ||
		     v->launch_state > VMCS12_LAUNCHED))
		return -EINVAL;
	if ((st->flags & NVMX_NESTED_GUEST_MODE) &&
	    (!vmcs || v->launch_state != VMCS12_LAUNCHED))
		return -EINVAL;
	if ((st->flags & NVMX_NESTED_EVENT) &&
	    (!(st->flags & NVMX_NESTED_GUEST_MODE) ||
	     !(st->event_info & NV_INTR_INFO_VALID) ||
	     (st->event_info & 0x7ffff000u)))
		return -EINVAL;
	return 0;
}

/**
 * nvmx_vmx_set_nested_state() - NVMX_SET_NESTED_STATE
 * @vcpu: the vCPU
 * @st: the state, from userspace
 *
 * Return: 0; -EINVAL (bad version, size, flags, reserved field, pointer,
 * interrupt vector, VMCS12 revision or launch state; VMX not exposed; an
 * NMI without virtual NMIs; a VMCS12 for L2 that
 * fails the checks of a VM entry: the vCPU is then left in VMX root
 * operation with that VMCS12 current); -ENOMEM, -EIO.
 */
int nvmx_vmx_set_nested_state(struct nvmx_vcpu *vcpu,
			      const struct nvmx_nested_state *st)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nested_vmx *n = &vmx->nested;
	bool on = st->flags & NVMX_NESTED_VMXON;
	int err;

	err = nvmx_nested_state_valid(st);
	if (err)
		return err;
	if (on && !READ_ONCE(vcpu->vm->expose_vmx))
		return -EINVAL;
	/* NMI windows need virtual NMIs, as for NVMX_NMI. */
	if ((st->flags & NVMX_NESTED_NMI) &&
	    !(vmx->ctls01.pin & NV_PIN_CTL_VIRTUAL_NMIS))
		return -EINVAL;
	vcpu->irq_vector = st->flags & NVMX_NESTED_IRQ ? st->irq_vector : -1;
	vcpu->nmi_pending = st->flags & NVMX_NESTED_NMI;
	err = nvmx_l2_abandon(vcpu);
	if (err)
		return err;
	if (n->vmxon != on)
		nvmx_nested_vmx_operation(vcpu, on);
	nvmx_ept02_drop(vcpu);
	nested_vmx_init(n);
	if (on) {
		n->vmxon = true;
		n->vmxon_ptr = st->vmxon_ptr;
		n->current_ptr = st->vmcs12_ptr;
		if (n->current_ptr != NESTED_NO_VMCS)
			memcpy(&n->vmcs12, st->vmcs12, sizeof(n->vmcs12));
	}
	if (!(st->flags & NVMX_NESTED_GUEST_MODE))
		return nvmx_shadow_from_vmcs12(vcpu);
	err = nvmx_nested_restore_l2(vcpu, st->event_info, st->event_error,
				     st->event_insn_len);
	if (err && nvmx_l2_abandon(vcpu))
		err = -EIO;
	if (err)
		return nvmx_shadow_from_vmcs12(vcpu) ?: err;
	return 0;
}
