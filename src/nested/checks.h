/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM-entry checks that make L1's VMLAUNCH or VMRESUME fail with
 * VMfailValid (Intel SDM Vol. 3C, "Checks on VMX Controls" give error 7;
 * "Checks on Host Control Registers, MSRs and Fields", "Checks on Host
 * Segment and Descriptor-Table Registers" and "Checks Related to
 * Address-Space Size" give error 8). Guest-state checks, which fail with
 * a VM exit instead, are elsewhere. Pure.
 */
#ifndef NVMX_NESTED_CHECKS_H
#define NVMX_NESTED_CHECKS_H

#include "../pure.h"
#include "../vmx/arch.h"
#include "vmcs12.h"

/* IA32_VMX_BASIC: no consistency check of deliver-error-code vs vector */
#define NV_VMX_BASIC_ANY_ERRCODE		BIT_ULL(56)

/* IA32_VMX_MISC */
#define NV_VMX_MISC_CR3_TARGETS(v)		((u32)(((v) >> 16) & 0x1ffULL))
#define NV_VMX_MISC_ZERO_INSN_LEN		BIT_ULL(30)

/* IA32_VMX_EPT_VPID_CAP, beyond arch.h */
#define NV_EPT_CAP_EXEC_ONLY			BIT_ULL(0)
#define NV_EPT_CAP_UC				BIT_ULL(8)

/* Controls beyond arch.h */
#define NV_PROC2_CTL_VIRT_X2APIC_MODE		BIT(4)
#define NV_PROC2_CTL_VMFUNC			BIT(13)
#define NV_PROC2_CTL_EPT_VIOLATION_VE		BIT(18)
#define NV_EXIT_CTL_SAVE_PREEMPTION_TIMER	BIT(22)
#define NV_ENTRY_CTL_SMM			BIT(10)
#define NV_ENTRY_CTL_DEACT_DUAL_MONITOR		BIT(11)

/* VM-function controls */
#define NV_VMFUNC_EPTP_SWITCHING		BIT_ULL(0)

/* VM-entry interruption-information field */
#define NV_INTR_INFO_RESERVED			0x7ffff000u	/* 30:12 */

/* Interruption types */
#define NV_INTR_TYPE_RESERVED			1
#define NV_INTR_TYPE_OTHER			7

/* Control registers and IA32_EFER */
#define NV_CR4_LA57				BIT_ULL(12)

/**
 * struct nested_check_env - what the checks depend on besides the VMCS12
 * @msrs: the VMX capability MSRs offered to L1, indexed by enum vmx_cap_msr
 * @maxphyaddr: L1's physical-address width
 * @cr3_target_max: the number of CR3-target values (IA32_VMX_MISC 24:16)
 * @host_long_mode: L1 is in IA-32e mode
 * @vtpr: VTPR, offset 0x80 of the virtual-APIC page, when VMCS12 uses a
 *	TPR shadow (0 otherwise)
 */
struct nested_check_env {
	const u64 *msrs;
	u8 maxphyaddr;
	u32 cr3_target_max;
	bool host_long_mode;
	u32 vtpr;
};

/**
 * struct nested_check_result - the first check that failed
 * @error: 0, VMXERR_ENTRY_INVALID_CONTROL or VMXERR_ENTRY_INVALID_HOST_STATE
 * @check: a short name of the check that failed (NULL when none did)
 */
struct nested_check_result {
	int error;
	const char *check;
};

struct ept_walk_caps;
void nested_ept_caps(const u64 *msrs, unsigned int maxphyaddr,
		     struct ept_walk_caps *c);
int nested_check_controls(const struct nested_check_env *env,
			  const struct vmcs12 *v,
			  struct nested_check_result *r);
int nested_check_host_state(const struct nested_check_env *env,
			    const struct vmcs12 *v,
			    struct nested_check_result *r);

/*
 * Address and value rules that the checks on controls, host state and
 * guest state share.
 */

/* No bit of @addr at or above the physical-address width @maxphyaddr. */
static inline bool nested_pa_ok(u8 maxphyaddr, u64 addr)
{
	unsigned int n = maxphyaddr > 52 ? 52 : maxphyaddr;

	return !(addr >> n);
}

/*
 * Canonical for the widest linear address L1's CR4 may select: 57 bits
 * when the offered IA32_VMX_CR4_FIXED1 allows CR4.LA57, else 48.
 */
static inline bool nested_canonical(const u64 *msrs, u64 addr)
{
	bool la57 = msrs[NV_MSR_CR4_FIXED1] & NV_CR4_LA57;
	u64 top = addr >> (la57 ? 56 : 47);

	return !top || top == ~0ULL >> (la57 ? 56 : 47);
}

/* Each of the eight IA32_PAT entries a valid memory type (0, 1, 4-7). */
static inline bool nested_pat_ok(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u8 mt = pat >> (8 * i);

		if (mt == 2 || mt == 3 || mt > 7)
			return false;
	}
	return true;
}

#endif /* NVMX_NESTED_CHECKS_H */
