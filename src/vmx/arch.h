/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural VMX constants that nvmx uses, named after the Intel SDM
 * ("VMX Capability Reporting Facility", "VM-Execution Control Fields").
 * Pure: no kernel headers, so that unit tests can include it.
 */
#ifndef NVMX_VMX_ARCH_H
#define NVMX_VMX_ARCH_H

#include "../pure.h"

/* IA32_FEATURE_CONTROL (MSR 0x3a) */
#define NV_FEATCTL_LOCKED			BIT_ULL(0)
#define NV_FEATCTL_VMX_INSIDE_SMX		BIT_ULL(1)
#define NV_FEATCTL_VMX_OUTSIDE_SMX		BIT_ULL(2)

/* Index of a capability MSR in nvmx_vmx_caps.msrs: MSR number - 0x480. */
enum vmx_cap_msr {
	NV_MSR_BASIC = 0,
	NV_MSR_PINBASED_CTLS,
	NV_MSR_PROCBASED_CTLS,
	NV_MSR_EXIT_CTLS,
	NV_MSR_ENTRY_CTLS,
	NV_MSR_MISC,
	NV_MSR_CR0_FIXED0,
	NV_MSR_CR0_FIXED1,
	NV_MSR_CR4_FIXED0,
	NV_MSR_CR4_FIXED1,
	NV_MSR_VMCS_ENUM,
	NV_MSR_PROCBASED_CTLS2,
	NV_MSR_EPT_VPID_CAP,
	NV_MSR_TRUE_PINBASED_CTLS,
	NV_MSR_TRUE_PROCBASED_CTLS,
	NV_MSR_TRUE_EXIT_CTLS,
	NV_MSR_TRUE_ENTRY_CTLS,
	NV_MSR_VMFUNC,
	NV_MSR_CAP_MSR_COUNT
};

/* IA32_VMX_BASIC */
#define NV_VMX_BASIC_REVISION(v)		((u32)((v) & 0x7fffffffULL))
#define NV_VMX_BASIC_VMCS_SIZE(v)		((u32)(((v) >> 32) & 0x1fffULL))
#define NV_VMX_BASIC_32BIT_PA		BIT_ULL(48)
#define NV_VMX_BASIC_MEMTYPE(v)		((u32)(((v) >> 50) & 0xfULL))
#define NV_VMX_BASIC_TRUE_CTLS		BIT_ULL(55)
#define NV_VMX_MEMTYPE_WB			6

/* Allowed-1 settings are the high 32 bits of a control capability MSR. */
#define NV_VMX_ALLOWED1(v)			((u32)((v) >> 32))

/* Pin-based VM-execution controls */
#define NV_PIN_CTL_PREEMPTION_TIMER	BIT(6)
#define NV_PIN_CTL_POSTED_INTR		BIT(7)

/* Primary processor-based VM-execution controls */
#define NV_PROC_CTL_USE_MSR_BITMAPS	BIT(28)
#define NV_PROC_CTL_ACTIVATE_SECONDARY	BIT(31)

/* Secondary processor-based VM-execution controls */
#define NV_PROC2_CTL_EPT			BIT(1)
#define NV_PROC2_CTL_VPID			BIT(5)
#define NV_PROC2_CTL_UNRESTRICTED_GUEST	BIT(7)
#define NV_PROC2_CTL_VMCS_SHADOWING	BIT(14)
#define NV_PROC2_CTL_PML			BIT(17)
#define NV_PROC2_CTL_TSC_SCALING		BIT(25)

/* VM-exit controls */
#define NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE	BIT(9)
#define NV_EXIT_CTL_LOAD_EFER		BIT(21)

/* VM-entry controls */
#define NV_ENTRY_CTL_IA32E_MODE_GUEST	BIT(9)
#define NV_ENTRY_CTL_LOAD_EFER		BIT(15)

/* IA32_VMX_EPT_VPID_CAP */
#define NV_EPT_CAP_PWL4			BIT_ULL(6)
#define NV_EPT_CAP_WB			BIT_ULL(14)
#define NV_EPT_CAP_2M			BIT_ULL(16)
#define NV_EPT_CAP_1G			BIT_ULL(17)
#define NV_EPT_CAP_INVEPT			BIT_ULL(20)
#define NV_EPT_CAP_AD			BIT_ULL(21)
#define NV_EPT_CAP_INVEPT_SINGLE		BIT_ULL(25)
#define NV_EPT_CAP_INVEPT_ALL		BIT_ULL(26)
#define NV_VPID_CAP_INVVPID		BIT_ULL(32)

#endif /* NVMX_VMX_ARCH_H */
