/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX capability MSRs (0x480-0x491) and IA32_FEATURE_CONTROL that an
 * L1 guest reads when nvmx exposes VMX to it, and the check of the values
 * userspace may set instead (to narrow L1's capabilities, e.g. to those of
 * a migration target). Intel SDM Vol. 3D, appendix "VMX Capability
 * Reporting Facility". Pure.
 */
#ifndef NVMX_NESTED_VMX_MSRS_H
#define NVMX_NESTED_VMX_MSRS_H

#include "../pure.h"
#include "../vmx/arch.h"

/* MSR numbers: IA32_VMX_BASIC is 0x480, IA32_VMX_VMFUNC 0x491. */
#define NVMX_MSR_VMX_FIRST			0x480u
#define NVMX_MSR_VMX_LAST			0x491u

/* IA32_VMX_BASIC ("Basic VMX Information"), beyond arch.h */
#define NV_VMX_BASIC_REVISION_MASK		0x7fffffffULL
#define NV_VMX_BASIC_SIZE_MASK			(0x1fffULL << 32)
#define NV_VMX_BASIC_SIZE_SHIFT			32
#define NV_VMX_BASIC_DUAL_MONITOR		BIT_ULL(49)
#define NV_VMX_BASIC_MEMTYPE_MASK		(0xfULL << 50)
#define NV_VMX_BASIC_MEMTYPE_SHIFT		50
#define NV_VMX_BASIC_INOUT			BIT_ULL(54)

/* Secondary processor-based VM-execution controls, beyond arch.h/checks.h */
#define NV_PROC2_CTL_PT_CONCEAL_VMX		BIT(19)
#define NV_PROC2_CTL_PT_USE_GPA			BIT(24)

/* Debug-control VM-exit and VM-entry controls (both "default1") */
#define NV_EXIT_CTL_SAVE_DEBUG_CTLS		BIT(2)
#define NV_ENTRY_CTL_LOAD_DEBUG_CTLS		BIT(2)

/* IA32_VMX_MISC ("Miscellaneous Data") */
#define NV_VMX_MISC_TIMER_RATE_MASK		0x1fULL
#define NV_VMX_MISC_STORE_LMA			BIT_ULL(5)
#define NV_VMX_MISC_ACT_HLT			BIT_ULL(6)
#define NV_VMX_MISC_ACT_SHUTDOWN		BIT_ULL(7)
#define NV_VMX_MISC_ACT_WAIT_SIPI		BIT_ULL(8)
#define NV_VMX_MISC_PT_IN_VMX			BIT_ULL(14)
#define NV_VMX_MISC_RDMSR_SMBASE		BIT_ULL(15)
#define NV_VMX_MISC_CR3_TARGETS_MASK		(0x1ffULL << 16)
#define NV_VMX_MISC_CR3_TARGETS_SHIFT		16
#define NV_VMX_MISC_MSR_LIST_MASK		(0x7ULL << 25)
#define NV_VMX_MISC_SMM_BLOCK_SMI		BIT_ULL(28)
#define NV_VMX_MISC_VMWRITE_ANY			BIT_ULL(29)
#define NV_VMX_MISC_MSEG_REV_MASK		(0xffffffffULL << 32)

/* IA32_VMX_VMCS_ENUM ("VMCS Enumeration"): highest index, bits 9:1 */
#define NV_VMX_VMCS_ENUM_INDEX_MASK		0x3feULL

/* IA32_VMX_EPT_VPID_CAP ("VPID and EPT Capabilities"), beyond arch.h */
#define NV_EPT_CAP_EPT_BITS			0xffffffffULL
#define NV_VPID_CAP_INVVPID_ADDR		BIT_ULL(40)
#define NV_VPID_CAP_INVVPID_SINGLE		BIT_ULL(41)
#define NV_VPID_CAP_INVVPID_ALL			BIT_ULL(42)
#define NV_VPID_CAP_INVVPID_SINGLE_NONGLOBAL	BIT_ULL(43)
#define NV_VPID_CAP_VPID_BITS			(0xffffffffULL << 32)

void nvmx_l1_vmx_msrs(const u64 *host, u64 *l1);
int nvmx_l1_vmx_msr_narrow(const u64 *profile, u32 msr, u64 value);
u64 nvmx_l1_feature_control(bool exposed);

#endif /* NVMX_NESTED_VMX_MSRS_H */
