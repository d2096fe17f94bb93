/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What VMCS02, the VMCS L0 runs L2 on, is made of: L0's own controls for
 * an L1 guest (VMCS01's) merged with L1's for L2 (VMCS12), and the CR0/CR4
 * read shadows L2 sees. L0 keeps every exit it needs; L1 adds the exits it
 * asked for, and the exit handler asks reflect.c who gets each one. Pure.
 */
#ifndef NVMX_NESTED_VMCS02_H
#define NVMX_NESTED_VMCS02_H

#include "../pure.h"
#include "../vmx/controls.h"
#include "vmcs12.h"

/**
 * struct nested_vmcs02_ctls - the execution controls of VMCS02
 * @ctls: pin-based, processor-based, VM-exit and VM-entry controls
 * @exception_bitmap: L1's; L0 intercepts no exception of its own
 * @pfec_mask: L1's page-fault error-code mask
 * @pfec_match: L1's page-fault error-code match
 * @cr3_target_count: L1's CR3-target count (values copied as they are)
 * @vpid12: L1 enabled VPID for L2 (its TLB is then flushed by INVVPID,
 *	not by every nested entry)
 * @ept12: L1 enabled EPT for L2: VMCS02 uses EPT02, not EPT01
 */
struct nested_vmcs02_ctls {
	struct vmx_controls ctls;
	u32 exception_bitmap;
	u32 pfec_mask;
	u32 pfec_match;
	u32 cr3_target_count;
	bool vpid12;
	bool ept12;
};

int nested_vmcs02_controls(const struct vmx_controls *l0,
			   const struct vmcs12 *v,
			   struct nested_vmcs02_ctls *out,
			   const char **unsupported);

/*
 * What L2 reads from CR0 or CR4 when L0 owns every bit in VMCS02: L1's
 * read shadow for the bits L1 owns (its guest/host mask), L2's value for
 * the others.
 */
static inline u64 nested_cr_shadow(u64 l2_val, u64 mask12, u64 shadow12)
{
	return (shadow12 & mask12) | (l2_val & ~mask12);
}

#endif /* NVMX_NESTED_VMCS02_H */
