// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMX-preemption timer L1 gives L2 (Intel SDM, "VMX-Preemption
 * Timer"). VMCS02 runs L0's own timer, which bounds every stretch of
 * guest time (run.c); L1's timer becomes a TSC deadline at each nested
 * entry, and VMCS02's timer is programmed with the earlier of the two.
 * A timer exit before L1's deadline is L0's; from the deadline on it is
 * L1's. "Save VMX-preemption timer value" stores what is left.
 *
 * The timer counts down at the TSC rate divided by 2^IA32_VMX_MISC[4:0]:
 * L1's rate (what L1 reads) converts its value to TSC ticks, the host's
 * converts the ticks left back for VMCS02.
 * Context: NVMX_RUN.
 */
#include <asm/msr.h>

#include "../nested/checks.h"
#include "../nested/vmx_msrs.h"
#include "../vcpu.h"
#include "arch.h"
#include "nested.h"
#include "vcpu.h"
#include "vmx.h"

#define V12(v, name)	((v)->field[V12_##name])
#define MISC_RATE(m)	((unsigned int)((m) & 0x1f))

/**
 * nvmx_l2_timer_start() - L1's timer for L2 at a nested entry
 * @vcpu: the vCPU; VMCS12's controls were checked
 */
void nvmx_l2_timer_start(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	const struct vmcs12 *v = &vmx->nested.vmcs12;
	unsigned int rate = MISC_RATE(vmx->l1_vmx_msrs[NV_MSR_MISC]);
	u64 value = (u32)V12(v, VMX_PREEMPTION_TIMER_VALUE);

	vmx->l2.timer = V12(v, PIN_BASED_VM_EXEC_CONTROL) &
			NV_PIN_CTL_PREEMPTION_TIMER;
	if (vmx->l2.timer)
		vmx->l2.timer_deadline = rdtsc() + (value << rate);
}

/* TSC ticks left until L1's deadline, 0 once it has passed. */
static u64 nvmx_l2_timer_left(struct nvmx_vmx_vcpu *vmx)
{
	u64 now = rdtsc();

	return now >= vmx->l2.timer_deadline ? 0 :
	       vmx->l2.timer_deadline - now;
}

/**
 * nvmx_l2_timer_value() - VMCS02's timer value for the next entry
 * @vcpu: the vCPU, L2 active
 * @l0: L0's own value (its slice)
 *
 * Return: @l0, or less when L1's deadline comes first (rounded up, so
 * that the exit does not come before it).
 */
u32 nvmx_l2_timer_value(struct nvmx_vcpu *vcpu, u32 l0)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	unsigned int rate = MISC_RATE(nvmx_host_caps.msrs[NV_MSR_MISC]);
	u64 left;

	if (!vmx->l2.timer)
		return l0;
	left = nvmx_l2_timer_left(vmx);
	left = (left + (1ULL << rate) - 1) >> rate;
	return min_t(u64, left, l0);
}

/**
 * nvmx_l2_timer_expired() - is a timer exit of L2 L1's?
 * @vcpu: the vCPU, L2 active
 *
 * Return: true when L1's timer for L2 has run out.
 */
bool nvmx_l2_timer_expired(struct nvmx_vcpu *vcpu)
{
	return vcpu->vmx.l2.timer && !nvmx_l2_timer_left(&vcpu->vmx);
}

/**
 * nvmx_l2_timer_save() - what is left of L1's timer into VMCS12
 * @vcpu: the vCPU, L2 active
 * @always: store it even without "save VMX-preemption timer value" (for
 *	a saved nested state, from which L2 resumes with what was left)
 */
void nvmx_l2_timer_save(struct nvmx_vcpu *vcpu, bool always)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct vmcs12 *v = &vmx->nested.vmcs12;
	unsigned int rate = MISC_RATE(vmx->l1_vmx_msrs[NV_MSR_MISC]);

	if (!vmx->l2.timer ||
	    (!always && !(V12(v, VM_EXIT_CONTROLS) &
			  NV_EXIT_CTL_SAVE_PREEMPTION_TIMER)))
		return;
	V12(v, VMX_PREEMPTION_TIMER_VALUE) =
		min_t(u64, nvmx_l2_timer_left(vmx) >> rate, U32_MAX);
}
