/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The checks on the guest-state area of L1's VMCS12 (Intel SDM Vol. 3C,
 * "Checks on the Guest State Area"). Unlike the checks on controls and
 * host state (checks.h), their failure is a VM exit: "VM-entry failure due
 * to invalid guest state" (basic exit reason 33 with bit 31 set), with the
 * exit qualification of "Exit Qualification for VM-Entry Failures". Pure.
 */
#ifndef NVMX_NESTED_GUEST_CHECKS_H
#define NVMX_NESTED_GUEST_CHECKS_H

#include "checks.h"

/* Exit reason of a failed VM entry: 33 (reflect.h's NV_EXIT_ENTRY_GUEST_STATE) */
#define NV_EXIT_REASON_ENTRY_FAILURE		BIT(31)
#define NV_EXIT_REASON_INVALID_GUEST		(33u | NV_EXIT_REASON_ENTRY_FAILURE)
/* "VM-entry failure due to MSR loading": qualification = entry index + 1 */
#define NV_EXIT_REASON_MSR_LOAD_FAIL		(34u | NV_EXIT_REASON_ENTRY_FAILURE)

/* "Exit Qualification for VM-Entry Failures" */
#define NV_ENTRY_FAIL_DEFAULT			0
#define NV_ENTRY_FAIL_PDPTE			2
#define NV_ENTRY_FAIL_VMCS_LINK_PTR		4

/* VM-entry controls beyond arch.h */
#define NV_ENTRY_CTL_LOAD_DEBUG			BIT(2)

/* IA32_VMX_MISC: activity states beyond active, bits 8:6 */
#define NV_VMX_MISC_ACTIVITY_HLT		BIT_ULL(6)

/* Control registers beyond checks.h */
#define NV_CR0_PG				BIT_ULL(31)

/* RFLAGS */
#define NV_RFLAGS_FIXED1			BIT_ULL(1)
#define NV_RFLAGS_TF				BIT_ULL(8)
#define NV_RFLAGS_IF				BIT_ULL(9)
#define NV_RFLAGS_VM				BIT_ULL(17)
#define NV_RFLAGS_RESERVED			(~0x3fffffULL | BIT_ULL(15) | \
						 BIT_ULL(5) | BIT_ULL(3))

/* IA32_DEBUGCTL */
#define NV_DEBUGCTL_BTF				BIT_ULL(1)
#define NV_DEBUGCTL_RESERVED			(~0xffc3ULL)	/* 63:16, 5:2 */

/* Segment access rights ("Guest Register State") */
#define NV_AR_TYPE(ar)				((ar) & 0xf)
#define NV_AR_TYPE_ACCESSED			BIT(0)
#define NV_AR_TYPE_READABLE			BIT(1)
#define NV_AR_TYPE_CODE				BIT(3)
#define NV_AR_S					BIT(4)
#define NV_AR_DPL(ar)				(((ar) >> 5) & 3)
#define NV_AR_P					BIT(7)
#define NV_AR_RESERVED_11_8			0xf00u
#define NV_AR_L					BIT(13)
#define NV_AR_DB				BIT(14)
#define NV_AR_G					BIT(15)
#define NV_AR_UNUSABLE				BIT(16)
#define NV_AR_RESERVED_31_17			0xfffe0000u

/* Activity states */
#define NV_ACTIVITY_ACTIVE			0
#define NV_ACTIVITY_HLT				1
#define NV_ACTIVITY_SHUTDOWN			2
#define NV_ACTIVITY_WAIT_SIPI			3

/* Interruptibility state */
#define NV_INTR_BLOCK_STI			BIT(0)
#define NV_INTR_BLOCK_MOV_SS			BIT(1)
#define NV_INTR_BLOCK_SMI			BIT(2)
#define NV_INTR_BLOCK_NMI			BIT(3)
#define NV_INTR_BLOCK_RESERVED			(~0xfULL)	/* 63:4 */

/* Pending debug exceptions */
#define NV_PENDING_DBG_BP			0xfULL
#define NV_PENDING_DBG_ENABLED_BP		BIT_ULL(12)
#define NV_PENDING_DBG_BS			BIT_ULL(14)
#define NV_PENDING_DBG_RTM			BIT_ULL(16)
#define NV_PENDING_DBG_RESERVED			(~0x1ffffULL | 0xff0ULL | \
						 BIT_ULL(13) | BIT_ULL(15))

/* PAE-paging PDPTE: present, and reserved bits 2:1 and 8:5 */
#define NV_PDPTE_P				BIT_ULL(0)
#define NV_PDPTE_RESERVED			0x1e6ULL

/**
 * struct nested_guest_env - what the guest-state checks depend on
 * @msrs: the VMX capability MSRs offered to L1, indexed by enum vmx_cap_msr
 * @maxphyaddr: L1's physical-address width
 *
 * "Unrestricted guest" is taken from the VMCS12's secondary controls.
 */
struct nested_guest_env {
	const u64 *msrs;
	u8 maxphyaddr;
};

/**
 * struct nested_guest_result - the first guest-state check that failed
 * @exit_reason: 0, or NV_EXIT_REASON_INVALID_GUEST
 * @qualification: the exit qualification (NV_ENTRY_FAIL_*)
 * @check: a short name of the check that failed (NULL when none did)
 */
struct nested_guest_result {
	u32 exit_reason;
	u64 qualification;
	const char *check;
};

int nested_check_guest_state(const struct nested_guest_env *env,
			     const struct vmcs12 *v,
			     struct nested_guest_result *r);
int nested_check_link_vmcs(const struct nested_guest_env *env,
			   const struct vmcs12 *v, u64 current_ptr,
			   bool readable, u32 rev, struct nested_guest_result *r);

#endif /* NVMX_NESTED_GUEST_CHECKS_H */
