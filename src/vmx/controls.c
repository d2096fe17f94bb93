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

/*
 * What VMCS01 (the VMCS nvmx runs an L1 guest on) needs, and what it uses
 * where the CPU has it. L0 must see every host interrupt and NMI, every
 * HLT, I/O access, MWAIT/MONITOR and RDPMC of the guest; the guest runs
 * on EPT. Controls that nvmx toggles while running (interrupt- and
 * NMI-window exiting, IA-32e mode guest) start cleared. "Acknowledge
 * interrupt on exit" stays clear: a host interrupt that makes the guest
 * exit then stays pending, and the host takes it once interrupts are
 * enabled again after the exit, through its own IDT. The VMX preemption
 * timer, where the CPU has it, bounds how long a guest runs without an
 * exit (see run.c).
 */
static const struct {
	enum vmx_ctl_kind kind;
	const char *name;
	u32 required;
	u32 optional;
} vmcs01_wants[] = {
	{ VMX_CTL_PIN, "pin-based",
	  NV_PIN_CTL_EXT_INTR_EXITING | NV_PIN_CTL_NMI_EXITING,
	  NV_PIN_CTL_VIRTUAL_NMIS | NV_PIN_CTL_PREEMPTION_TIMER },
	{ VMX_CTL_PROC, "primary processor-based",
	  NV_PROC_CTL_HLT_EXITING | NV_PROC_CTL_MWAIT_EXITING |
	  NV_PROC_CTL_RDPMC_EXITING | NV_PROC_CTL_UNCOND_IO_EXITING |
	  NV_PROC_CTL_USE_MSR_BITMAPS | NV_PROC_CTL_MONITOR_EXITING |
	  NV_PROC_CTL_CR8_LOAD_EXITING | NV_PROC_CTL_CR8_STORE_EXITING |
	  NV_PROC_CTL_MOV_DR_EXITING | NV_PROC_CTL_ACTIVATE_SECONDARY,
	  NV_PROC_CTL_USE_TSC_OFFSETTING },
	{ VMX_CTL_PROC2, "secondary processor-based",
	  NV_PROC2_CTL_EPT,
	  NV_PROC2_CTL_VPID | NV_PROC2_CTL_UNRESTRICTED_GUEST |
	  NV_PROC2_CTL_RDTSCP | NV_PROC2_CTL_INVPCID |
	  NV_PROC2_CTL_WBINVD_EXITING },
	{ VMX_CTL_EXIT, "VM-exit",
	  NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE |
	  NV_EXIT_CTL_SAVE_EFER | NV_EXIT_CTL_LOAD_EFER |
	  NV_EXIT_CTL_SAVE_PAT | NV_EXIT_CTL_LOAD_PAT,
	  0 },
	{ VMX_CTL_ENTRY, "VM-entry",
	  NV_ENTRY_CTL_LOAD_EFER | NV_ENTRY_CTL_LOAD_PAT,
	  0 },
};

/*
 * Controls that the CPU may force to 1 but that nvmx must own: a forced
 * CR3-load/store exiting is harmless with EPT, so only the dynamic ones
 * are cleared where the CPU allows.
 */
static u32 vmx_dynamic_controls(enum vmx_ctl_kind kind)
{
	switch (kind) {
	case VMX_CTL_PROC:
		return NV_PROC_CTL_INTR_WINDOW_EXITING |
		       NV_PROC_CTL_NMI_WINDOW_EXITING |
		       NV_PROC_CTL_CR3_LOAD_EXITING |
		       NV_PROC_CTL_CR3_STORE_EXITING;
	case VMX_CTL_ENTRY:
		return NV_ENTRY_CTL_IA32E_MODE_GUEST;
	default:
		return 0;
	}
}

/**
 * vmx_vmcs01_controls() - the control fields nvmx runs an L1 guest with
 * @msrs: the host's VMX capability MSRs, indexed by enum vmx_cap_msr
 * @ctls: the result
 * @missing: on failure, which control field lacks a required control
 *
 * Return: 0, or -EOPNOTSUPP when the CPU lacks a required control (the
 * load-time probe makes that impossible on hosts nvmx accepted).
 */
int vmx_vmcs01_controls(const u64 *msrs, struct vmx_controls *ctls,
			const char **missing)
{
	u32 *fields[] = {
		[VMX_CTL_PIN] = &ctls->pin,
		[VMX_CTL_PROC] = &ctls->proc,
		[VMX_CTL_PROC2] = &ctls->proc2,
		[VMX_CTL_EXIT] = &ctls->exit,
		[VMX_CTL_ENTRY] = &ctls->entry,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vmcs01_wants); i++) {
		enum vmx_ctl_kind kind = vmcs01_wants[i].kind;
		u64 cap = vmx_ctl_cap(msrs, kind);
		u32 *val = fields[kind];

		if (vmx_adjust_ctl(cap, vmcs01_wants[i].required,
				   vmcs01_wants[i].optional, val)) {
			*missing = vmcs01_wants[i].name;
			return -EOPNOTSUPP;
		}
		/* Clear what the CPU lets nvmx clear and nvmx sets itself. */
		*val &= ~(vmx_dynamic_controls(kind) & ~(u32)cap);
	}
	return 0;
}
