/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * L1's VMX instructions that manage VMX operation and VMCS12s: VMXON,
 * VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD, VMWRITE, and L2's VMREAD and
 * VMWRITE of L1's shadow VMCS, with the checks and outcomes of their
 * pseudocode in the Intel SDM ("VMX Instruction Reference"), in its
 * order. Pure: the caller decodes and reads the operand, and applies the
 * outcome (an exception, or RFLAGS and RIP).
 */
#ifndef NVMX_NESTED_VMX_INSN_H
#define NVMX_NESTED_VMX_INSN_H

#include "../pure.h"
#include "vmcs12.h"

#define NESTED_NO_VMCS		(~0ULL)	/* the current-VMCS pointer, invalid */

/* L1's VMX state (Intel SDM, "VMX Operation"). */
struct nested_vmx {
	bool vmxon;		/* in VMX (root) operation */
	u64 vmxon_ptr;
	u64 current_ptr;	/* NESTED_NO_VMCS, or the current VMCS12 */
	struct vmcs12 vmcs12;	/* copy of the current VMCS12 */
};

/* Guest-physical memory of L1. Return: 0, or -errno (no memory there). */
struct nested_mem {
	void *ctx;
	int (*read)(void *ctx, u64 gpa, void *buf, unsigned int len);
	int (*write)(void *ctx, u64 gpa, const void *buf, unsigned int len);
};

/* What the checks read of L1's state. */
struct nested_l1 {
	u64 cr0, cr4, efer, rflags;
	bool cs_l;		/* CS.L: 64-bit code */
	unsigned int cpl;
	u64 feature_control;	/* IA32_FEATURE_CONTROL as L1 reads it */
	const u64 *msrs;	/* L1's VMX capability MSRs (vmx_msrs.h) */
	unsigned int maxphyaddr;
	u32 vtpr;		/* VTPR of the current VMCS12 (checks.h) */
};

/* What becomes of the instruction. */
enum nested_outcome {
	NESTED_DONE,		/* completed: new RFLAGS, RIP moves on */
	NESTED_UD,		/* #UD */
	NESTED_GP,		/* #GP(0) */
	NESTED_ENTER,		/* VMLAUNCH/VMRESUME: go on with the entry */
};

/* RFLAGS bits VMsucceed and VMfail set or clear. */
#define NESTED_RFLAGS_CF	BIT_ULL(0)
#define NESTED_RFLAGS_PF	BIT_ULL(2)
#define NESTED_RFLAGS_AF	BIT_ULL(4)
#define NESTED_RFLAGS_ZF	BIT_ULL(6)
#define NESTED_RFLAGS_SF	BIT_ULL(7)
#define NESTED_RFLAGS_OF	BIT_ULL(11)
#define NESTED_RFLAGS_VM	BIT_ULL(17)
#define NESTED_RFLAGS_ARITH	(NESTED_RFLAGS_CF | NESTED_RFLAGS_PF | \
				 NESTED_RFLAGS_AF | NESTED_RFLAGS_ZF | \
				 NESTED_RFLAGS_SF | NESTED_RFLAGS_OF)

void nested_vmx_init(struct nested_vmx *n);
enum nested_outcome nested_vmx_precheck(const struct nested_vmx *n,
					const struct nested_l1 *l1,
					u32 exit_reason);
enum nested_outcome nested_vmxon(struct nested_vmx *n,
				 const struct nested_l1 *l1,
				 const struct nested_mem *mem, u64 ptr,
				 u64 *rflags);
enum nested_outcome nested_vmxoff(struct nested_vmx *n,
				  const struct nested_mem *mem, u64 *rflags);
enum nested_outcome nested_vmclear(struct nested_vmx *n,
				   const struct nested_l1 *l1,
				   const struct nested_mem *mem, u64 ptr,
				   u64 *rflags);
enum nested_outcome nested_vmptrld(struct nested_vmx *n,
				   const struct nested_l1 *l1,
				   const struct nested_mem *mem, u64 ptr,
				   u64 *rflags);
bool nested_vmread(struct nested_vmx *n, u64 field, u64 *val, u64 *rflags);
void nested_vmwrite(struct nested_vmx *n, const struct nested_l1 *l1,
		    u64 field, u64 val, u64 *rflags);
bool nested_shadow_vmread(struct nested_vmx *n, const struct nested_mem *mem,
			  u64 field, u64 *val, u64 *rflags);
void nested_shadow_vmwrite(struct nested_vmx *n, const struct nested_l1 *l1,
			   const struct nested_mem *mem, u64 field, u64 val,
			   u64 *rflags);
struct nested_check_result;
enum nested_outcome nested_launch_check(struct nested_vmx *n,
					const struct nested_l1 *l1,
					bool launch, u32 interruptibility,
					u64 *rflags,
					struct nested_check_result *r);
void nested_invept(struct nested_vmx *n, const struct nested_l1 *l1,
		   u64 type, const u64 *desc, u64 *rflags);
void nested_invvpid(struct nested_vmx *n, const struct nested_l1 *l1,
		    u64 type, const u64 *desc, u64 *rflags);

#endif /* NVMX_NESTED_VMX_INSN_H */
