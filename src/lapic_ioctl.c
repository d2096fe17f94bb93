// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioctls of the in-kernel local APIC (NVMX_VM_LAPIC): a vCPU's
 * multiprocessor state (NVMX_GET/SET_MP_STATE), its APIC's registers
 * (NVMX_GET/SET_LAPIC), and interrupt messages to the VM's APICs
 * (NVMX_SIGNAL_MSI). The APIC itself is lapic_vcpu.c's.
 */
#include <linux/nvmx.h>

#include "lapic_vcpu.h"
#include "vcpu.h"
#include "vm.h"

long nvmx_get_mp_state(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	struct nvmx_mp_state *mp = arg;

	mutex_lock(&vcpu->lock);
	mp->state = vcpu->mp_state;
	mp->reserved = 0;
	mutex_unlock(&vcpu->lock);
	return 0;
}

/*
 * NVMX_MP_WAIT_SIPI needs an APIC (only its SIPI ends the wait) and a
 * vCPU outside VMX operation, where the CPU can be in that state.
 */
long nvmx_set_mp_state(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	struct nvmx_mp_state *mp = arg;
	long ret = 0;

	if (mp->reserved || mp->state > NVMX_MP_WAIT_SIPI ||
	    (mp->state == NVMX_MP_WAIT_SIPI && !vcpu->lapic.on))
		return -EINVAL;
	mutex_lock(&vcpu->lock);
	if (mp->state == NVMX_MP_WAIT_SIPI && vcpu->vmx.nested.vmxon)
		ret = -EBUSY;
	else
		vcpu->mp_state = mp->state;
	mutex_unlock(&vcpu->lock);
	return ret;
}

long nvmx_get_lapic(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	struct nvmx_lapic_state *st = arg;

	if (!vcpu->lapic.on)
		return -ENXIO;
	mutex_lock(&vcpu->lock);
	nvmx_lapic_get_state(vcpu, (u32 *)st->regs);
	mutex_unlock(&vcpu->lock);
	return 0;
}

long nvmx_set_lapic(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	struct nvmx_lapic_state *st = arg;
	long ret;

	if (!vcpu->lapic.on)
		return -ENXIO;
	mutex_lock(&vcpu->lock);
	ret = nvmx_lapic_set_state(vcpu, (const u32 *)st->regs);
	mutex_unlock(&vcpu->lock);
	return ret;
}

long nvmx_vm_signal_msi(void *obj, void *arg)
{
	struct nvmx_vm *vm = obj;

	if (!(READ_ONCE(vm->flags) & NVMX_VM_LAPIC))
		return -ENXIO;
	return nvmx_lapic_signal_msi(vm, arg);
}
