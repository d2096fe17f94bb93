// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fitting control values to the capability MSRs. Pure.
 *
 * Each control capability MSR holds the allowed-0 settings in bits 31:0 (a
 * 1 there means the control must be 1) and the allowed-1 settings in bits
 * 63:32 (a 0 there means the control must be 0). Where IA32_VMX_BASIC bit
 * 55 is set, the IA32_VMX_TRUE_* MSRs replace the pin-based, primary
 * processor-based, VM-exit and VM-entry ones: they may allow clearing some
 * "default1" controls that the older MSRs report as fixed to 1.
 */
#include "controls.h"

/**
 * vmx_ctl_cap() - the capability MSR that governs a control field
 * @msrs: the VMX capability MSRs, indexed by enum vmx_cap_msr
 * @kind: which control field
 *
 * Return: the MSR's value (0 for the secondary controls when the CPU has
 * none, which allows nothing).
 */
u64 vmx_ctl_cap(const u64 *msrs, enum vmx_ctl_kind kind)
{
	bool true_ctls = msrs[NV_MSR_BASIC] & NV_VMX_BASIC_TRUE_CTLS;

	switch (kind) {
	case VMX_CTL_PIN:
		return msrs[true_ctls ? NV_MSR_TRUE_PINBASED_CTLS :
					NV_MSR_PINBASED_CTLS];
	case VMX_CTL_PROC:
		return msrs[true_ctls ? NV_MSR_TRUE_PROCBASED_CTLS :
					NV_MSR_PROCBASED_CTLS];
	case VMX_CTL_PROC2:
		if (!(NV_VMX_ALLOWED1(msrs[NV_MSR_PROCBASED_CTLS]) &
		      NV_PROC_CTL_ACTIVATE_SECONDARY))
			return 0;
		return msrs[NV_MSR_PROCBASED_CTLS2];
	case VMX_CTL_EXIT:
		return msrs[true_ctls ? NV_MSR_TRUE_EXIT_CTLS :
					NV_MSR_EXIT_CTLS];
	case VMX_CTL_ENTRY:
		return msrs[true_ctls ? NV_MSR_TRUE_ENTRY_CTLS :
					NV_MSR_ENTRY_CTLS];
	}
	return 0;
}

/**
 * vmx_adjust_ctl() - the value of a control field that the CPU accepts
 * @cap: the field's capability MSR (vmx_ctl_cap())
 * @required: controls the caller cannot do without
 * @optional: controls the caller uses where the CPU allows them
 * @val: the value: @required, the allowed part of @optional, and every
 *	 control the CPU forces to 1
 *
 * Return: 0, or the @required controls the CPU does not allow (then @val
 * is left alone).
 */
u32 vmx_adjust_ctl(u64 cap, u32 required, u32 optional, u32 *val)
{
	u32 must_be_1 = (u32)cap;
	u32 may_be_1 = NV_VMX_ALLOWED1(cap);

	if (required & ~may_be_1)
		return required & ~may_be_1;
	*val = required | (optional & may_be_1) | must_be_1;
	return 0;
}
