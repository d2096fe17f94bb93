// SPDX-License-Identifier: GPL-2.0-only
/*
 * L1's VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD and VMWRITE, and
 * L2's VMREAD and VMWRITE of L1's shadow VMCS (see vmx_insn.h). Each
 * function follows the instruction's pseudocode in the Intel SDM ("VMX
 * Instruction Reference") from the point where its memory operand has
 * been read; nested_vmx_precheck() holds the checks that come before the
 * operand. Pure.
 *
 * The current VMCS12 lives in a copy (n->vmcs12) while it is current,
 * and is written back to L1's memory on VMCLEAR, on VMPTRLD of another
 * VMCS and on VMXOFF, as the SDM allows a processor to cache it. A shadow
 * VMCS that L2 accesses is not cached: each access reads or writes its
 * slot in L1's memory.
 */
#include "checks.h"
#include "ept_walk.h"
#include "vmx_insn.h"
#include "vmx_msrs.h"

/* Offsets of the fields a VMCLEAR of a non-current VMCS updates. */
#define VMCS12_LAUNCH_STATE_OFFSET	offsetof(struct vmcs12, launch_state)

void nested_vmx_init(struct nested_vmx *n)
{
	memset(n, 0, sizeof(*n));
	n->current_ptr = NESTED_NO_VMCS;
}

/* VMsucceed: CF, PF, AF, ZF, SF and OF cleared. */
static enum nested_outcome nested_succeed(u64 *rflags)
{
	*rflags &= ~NESTED_RFLAGS_ARITH;
	return NESTED_DONE;
}

/*
 * VMfail(error): VMfailValid (ZF, and the error in the current VMCS) when
 * there is a current VMCS, VMfailInvalid (CF) when there is none.
 */
static enum nested_outcome nested_fail(struct nested_vmx *n, u32 error,
				       u64 *rflags)
{
	*rflags &= ~NESTED_RFLAGS_ARITH;
	if (n->current_ptr == NESTED_NO_VMCS) {
		*rflags |= NESTED_RFLAGS_CF;
	} else {
		*rflags |= NESTED_RFLAGS_ZF;
		n->vmcs12.field[V12_VM_INSTRUCTION_ERROR] = error;
	}
	return NESTED_DONE;
}

static enum nested_outcome nested_fail_invalid(u64 *rflags)
{
	*rflags = (*rflags & ~NESTED_RFLAGS_ARITH) | NESTED_RFLAGS_CF;
	return NESTED_DONE;
}

/* A VMXON or VMCS pointer: 4 KiB aligned, within the physical width. */
static bool nested_ptr_ok(const struct nested_l1 *l1, u64 ptr)
{
	return !(ptr & 0xfff) && !(ptr >> l1->maxphyaddr);
}

/* The #UD conditions every VMX instruction shares (CR0.PE, VM, compat). */
static bool nested_mode_ud(const struct nested_l1 *l1)
{
	return !(l1->cr0 & 1) || (l1->rflags & NESTED_RFLAGS_VM) ||
	       ((l1->efer & BIT_ULL(10)) && !l1->cs_l);
}

/* CR0 and CR4 hold values VMX operation supports (the FIXED MSRs). */
static bool nested_crs_ok(const struct nested_l1 *l1)
{
	const u64 *m = l1->msrs;

	return (l1->cr0 & m[NV_MSR_CR0_FIXED0]) == m[NV_MSR_CR0_FIXED0] &&
	       !(l1->cr0 & ~m[NV_MSR_CR0_FIXED1]) &&
	       (l1->cr4 & m[NV_MSR_CR4_FIXED0]) == m[NV_MSR_CR4_FIXED0] &&
	       !(l1->cr4 & ~m[NV_MSR_CR4_FIXED1]);
}

/**
 * nested_vmx_precheck() - the checks a VMX instruction makes before its
 *	operand: #UD, then (in VMX operation) #GP for CPL > 0
 * @n: L1's VMX state
 * @l1: L1's registers
 * @exit_reason: which instruction (NV_EXIT_VMXON ... NV_EXIT_VMXOFF)
 *
 * VMXON outside VMX operation has more #GP checks, in nested_vmxon().
 * Return: NESTED_DONE to go on, NESTED_UD or NESTED_GP.
 */
enum nested_outcome nested_vmx_precheck(const struct nested_vmx *n,
					const struct nested_l1 *l1,
					u32 exit_reason)
{
	if (nested_mode_ud(l1))
		return NESTED_UD;
	if (exit_reason == NV_EXIT_VMXON) {
		if (!(l1->cr4 & NV_CR4_VMXE))
			return NESTED_UD;
		if (!n->vmxon) {
			if (l1->cpl || !nested_crs_ok(l1) ||
			    !(l1->feature_control & NV_FEATCTL_LOCKED) ||
			    !(l1->feature_control & NV_FEATCTL_VMX_OUTSIDE_SMX))
				return NESTED_GP;
			return NESTED_DONE;
		}
	} else if (!n->vmxon) {
		return NESTED_UD;
	}
	/* Instructions of capabilities L1 was not offered do not exist. */
	if ((exit_reason == NV_EXIT_INVEPT &&
	     !(l1->msrs[NV_MSR_EPT_VPID_CAP] & NV_EPT_CAP_INVEPT)) ||
	    (exit_reason == NV_EXIT_INVVPID &&
	     !(l1->msrs[NV_MSR_EPT_VPID_CAP] & NV_VPID_CAP_INVVPID)))
		return NESTED_UD;
	return l1->cpl ? NESTED_GP : NESTED_DONE;
}

/* The revision identifier at @ptr matches the one L1 was offered. */
static bool nested_revision_ok(const struct nested_l1 *l1,
			       const struct nested_mem *mem, u64 ptr)
{
	u32 rev;

	if (mem->read(mem->ctx, ptr, &rev, sizeof(rev)))
		return false;
	return rev == (u32)NV_VMX_BASIC_REVISION(l1->msrs[NV_MSR_BASIC]);
}

/**
 * nested_vmxon() - VMXON with the pointer @ptr read from its operand
 * @n: L1's VMX state
 * @l1: L1's registers; nested_vmx_precheck() passed
 * @mem: L1's memory
 * @ptr: the VMXON pointer
 * @rflags: L1's RFLAGS, updated
 *
 * Return: NESTED_DONE.
 */
enum nested_outcome nested_vmxon(struct nested_vmx *n,
				 const struct nested_l1 *l1,
				 const struct nested_mem *mem, u64 ptr,
				 u64 *rflags)
{
	if (n->vmxon)
		return nested_fail(n, VMXERR_VMXON_IN_VMXROOT, rflags);
	if (!nested_ptr_ok(l1, ptr) || !nested_revision_ok(l1, mem, ptr))
		return nested_fail_invalid(rflags);
	n->vmxon = true;
	n->vmxon_ptr = ptr;
	n->current_ptr = NESTED_NO_VMCS;
	return nested_succeed(rflags);
}

/* Write the current VMCS12 back to L1's memory; it stops being current. */
static void nested_flush_current(struct nested_vmx *n,
				 const struct nested_mem *mem)
{
	if (n->current_ptr == NESTED_NO_VMCS)
		return;
	/* Memory that went away takes the write with it, as on hardware. */
	mem->write(mem->ctx, n->current_ptr, &n->vmcs12, sizeof(n->vmcs12));
	n->current_ptr = NESTED_NO_VMCS;
}

/* VMXOFF: leave VMX operation, the current VMCS12 written back. */
enum nested_outcome nested_vmxoff(struct nested_vmx *n,
				  const struct nested_mem *mem, u64 *rflags)
{
	nested_flush_current(n, mem);
	n->vmxon = false;
	return nested_succeed(rflags);
}

/**
 * nested_vmclear() - VMCLEAR of the VMCS at @ptr
 * @n: L1's VMX state
 * @l1: L1's registers; nested_vmx_precheck() passed
 * @mem: L1's memory
 * @ptr: the operand
 * @rflags: L1's RFLAGS, updated
 *
 * Return: NESTED_DONE.
 */
enum nested_outcome nested_vmclear(struct nested_vmx *n,
				   const struct nested_l1 *l1,
				   const struct nested_mem *mem, u64 ptr,
				   u64 *rflags)
{
	u32 clear = VMCS12_CLEAR;

	if (!nested_ptr_ok(l1, ptr))
		return nested_fail(n, VMXERR_VMCLEAR_INVALID_ADDR, rflags);
	if (ptr == n->vmxon_ptr)
		return nested_fail(n, VMXERR_VMCLEAR_VMXON_PTR, rflags);
	if (ptr == n->current_ptr) {
		n->vmcs12.launch_state = VMCS12_CLEAR;
		nested_flush_current(n, mem);
	} else {
		mem->write(mem->ctx, ptr + VMCS12_LAUNCH_STATE_OFFSET, &clear,
			   sizeof(clear));
	}
	return nested_succeed(rflags);
}

/*
 * The revision identifier of a VMCS region for VMPTRLD: bits 30:0 the
 * offered revision; bit 31 (a shadow VMCS) only if L1 may use VMCS
 * shadowing ("Format of the VMCS Region").
 */
static bool nested_vmcs_revision_ok(const struct nested_l1 *l1, u32 rev)
{
	u32 proc2 = NV_VMX_ALLOWED1(l1->msrs[NV_MSR_PROCBASED_CTLS2]);

	if ((rev & BIT(31)) && !(proc2 & NV_PROC2_CTL_VMCS_SHADOWING))
		return false;
	return (rev & ~BIT(31)) ==
	       (u32)NV_VMX_BASIC_REVISION(l1->msrs[NV_MSR_BASIC]);
}

/**
 * nested_vmptrld() - VMPTRLD of the VMCS at @ptr
 * @n: L1's VMX state
 * @l1: L1's registers; nested_vmx_precheck() passed
 * @mem: L1's memory
 * @ptr: the operand
 * @rflags: L1's RFLAGS, updated
 *
 * A region L1's memory does not hold fails as an invalid address (KVM
 * does the same). Return: NESTED_DONE.
 */
enum nested_outcome nested_vmptrld(struct nested_vmx *n,
				   const struct nested_l1 *l1,
				   const struct nested_mem *mem, u64 ptr,
				   u64 *rflags)
{
	struct vmcs12 v;

	if (!nested_ptr_ok(l1, ptr))
		return nested_fail(n, VMXERR_VMPTRLD_INVALID_ADDR, rflags);
	if (ptr == n->vmxon_ptr)
		return nested_fail(n, VMXERR_VMPTRLD_VMXON_PTR, rflags);
	if (ptr == n->current_ptr)
		return nested_succeed(rflags);
	if (mem->read(mem->ctx, ptr, &v, sizeof(v)))
		return nested_fail(n, VMXERR_VMPTRLD_INVALID_ADDR, rflags);
	if (!nested_vmcs_revision_ok(l1, v.revision_id))
		return nested_fail(n, VMXERR_VMPTRLD_BAD_REVISION, rflags);
	nested_flush_current(n, mem);
	n->vmcs12 = v;
	n->current_ptr = ptr;
	return nested_succeed(rflags);
}

/* The encoding L1 gave: bits 63:32 set make it unsupported. */
static bool nested_field_ok(u64 field)
{
	return !(field >> 32);
}

/**
 * nested_vmread() - VMREAD of @field of the current VMCS12
 * @n: L1's VMX state
 * @field: the encoding, from the register operand (64 bits in 64-bit mode)
 * @val: the value to store in the destination
 * @rflags: L1's RFLAGS, updated
 *
 * Return: whether the destination is written (VMsucceed).
 */
bool nested_vmread(struct nested_vmx *n, u64 field, u64 *val, u64 *rflags)
{
	int err;

	if (n->current_ptr == NESTED_NO_VMCS) {
		nested_fail_invalid(rflags);
		return false;
	}
	err = nested_field_ok(field) ?
	      vmcs12_read(&n->vmcs12, field, val) :
	      VMXERR_UNSUPPORTED_VMCS_COMPONENT;
	if (err) {
		nested_fail(n, err, rflags);
		return false;
	}
	nested_succeed(rflags);
	return true;
}

/**
 * nested_vmwrite() - VMWRITE of @val to @field of the current VMCS12
 * @n: L1's VMX state
 * @l1: L1's capabilities ("VMWRITE to any supported field")
 * @field: the encoding
 * @val: the value
 * @rflags: L1's RFLAGS, updated
 */
void nested_vmwrite(struct nested_vmx *n, const struct nested_l1 *l1,
		    u64 field, u64 val, u64 *rflags)
{
	bool any = l1->msrs[NV_MSR_MISC] & NV_VMX_MISC_VMWRITE_ANY;
	int err;

	if (n->current_ptr == NESTED_NO_VMCS) {
		nested_fail_invalid(rflags);
		return;
	}
	err = nested_field_ok(field) ?
	      vmcs12_write(&n->vmcs12, field, val, any) :
	      VMXERR_UNSUPPORTED_VMCS_COMPONENT;
	if (err)
		nested_fail(n, err, rflags);
	else
		nested_succeed(rflags);
}

/* The shadow VMCS L2's VMREAD/VMWRITE use, or NESTED_NO_VMCS (none). */
static u64 nested_shadow_ptr(const struct nested_vmx *n)
{
	u64 link = n->vmcs12.field[V12_VMCS_LINK_POINTER];

	return link == ~0ULL ? NESTED_NO_VMCS : link;
}

/*
 * The offset of @field's slot in the shadow VMCS, or a VMfail: no shadow
 * VMCS (VMfailInvalid), an unsupported field (VMfailValid 12, in the
 * VMCS12 that L2 runs on, as for any VMfailValid in VMX non-root
 * operation; KVM does the same).
 */
static int nested_shadow_slot(struct nested_vmx *n, u64 field, u64 *rflags)
{
	int off;

	if (nested_shadow_ptr(n) == NESTED_NO_VMCS) {
		nested_fail_invalid(rflags);
		return -1;
	}
	off = nested_field_ok(field) ? vmcs12_slot_offset(field) : -1;
	if (off < 0)
		nested_fail(n, VMXERR_UNSUPPORTED_VMCS_COMPONENT, rflags);
	return off;
}

/**
 * nested_shadow_vmread() - L2's VMREAD that L1's VMREAD bitmap lets
 *	through: a field of the shadow VMCS at VMCS12's link pointer
 * @n: L1's VMX state; L2 runs on n->vmcs12, with VMCS shadowing
 * @mem: L1's memory, where the shadow VMCS is
 * @field: the encoding (64 bits in 64-bit mode)
 * @val: the value to store in the destination
 * @rflags: L2's RFLAGS, updated
 *
 * The caller checked CPL 0 (nested_vmx_precheck()). nvmx reads the one
 * slot from L1's memory each time: the shadow VMCS is never cached. The
 * VM-entry checks found the region in L1's memory, and no region goes
 * while L1 is in VMX operation; should the read fail all the same, the
 * slot reads as all ones, like memory that is not there.
 * Return: whether the destination is written (VMsucceed).
 */
bool nested_shadow_vmread(struct nested_vmx *n, const struct nested_mem *mem,
			  u64 field, u64 *val, u64 *rflags)
{
	int off = nested_shadow_slot(n, field, rflags);
	u64 slot;

	if (off < 0)
		return false;
	if (mem->read(mem->ctx, nested_shadow_ptr(n) + off, &slot,
		      sizeof(slot)))
		slot = ~0ULL;
	*val = vmcs12_slot_get(slot, field);
	nested_succeed(rflags);
	return true;
}

/**
 * nested_shadow_vmwrite() - L2's VMWRITE that L1's VMWRITE bitmap lets
 *	through: a field of the shadow VMCS at VMCS12's link pointer
 * @n: L1's VMX state; L2 runs on n->vmcs12, with VMCS shadowing
 * @l1: L1's capabilities ("VMWRITE to any supported field")
 * @mem: L1's memory, where the shadow VMCS is
 * @field: the encoding
 * @val: the value
 * @rflags: L2's RFLAGS, updated
 *
 * Only the field's slot is written. A slot nvmx cannot read or write (a
 * read-only region) takes the write with it, as ROM would.
 */
void nested_shadow_vmwrite(struct nested_vmx *n, const struct nested_l1 *l1,
			   const struct nested_mem *mem, u64 field, u64 val,
			   u64 *rflags)
{
	bool any = l1->msrs[NV_MSR_MISC] & NV_VMX_MISC_VMWRITE_ANY;
	int off = nested_shadow_slot(n, field, rflags), err;
	u64 at, slot;

	if (off < 0)
		return;
	at = nested_shadow_ptr(n) + off;
	if (mem->read(mem->ctx, at, &slot, sizeof(slot)))
		slot = ~0ULL;
	err = vmcs12_slot_put(&slot, field, val, any);
	if (err) {
		nested_fail(n, err, rflags);
		return;
	}
	mem->write(mem->ctx, at, &slot, sizeof(slot));
	nested_succeed(rflags);
}

/**
 * nested_launch_check() - VMLAUNCH or VMRESUME up to the VM entry proper
 * @n: L1's VMX state; nested_vmx_precheck() passed
 * @l1: L1's registers
 * @launch: VMLAUNCH, not VMRESUME
 * @interruptibility: L1's interruptibility state (blocking by MOV SS)
 * @rflags: L1's RFLAGS, updated on VMfail
 * @r: which check on controls or host state failed, if one did
 *
 * The checks of the instruction's pseudocode and of "Checks on VMX
 * Controls and Host-State Area", in the SDM's order. The guest-state
 * checks come after, as part of the entry (guest_checks.h).
 * Return: NESTED_ENTER when the entry goes on, NESTED_DONE after a VMfail.
 */
enum nested_outcome nested_launch_check(struct nested_vmx *n,
					const struct nested_l1 *l1,
					bool launch, u32 interruptibility,
					u64 *rflags,
					struct nested_check_result *r)
{
	struct nested_check_env env = {
		.msrs = l1->msrs,
		.maxphyaddr = l1->maxphyaddr,
		.cr3_target_max = NV_VMX_MISC_CR3_TARGETS(l1->msrs[NV_MSR_MISC]),
		.host_long_mode = l1->efer & BIT_ULL(10),
		.vtpr = l1->vtpr,
	};
	u32 state = n->vmcs12.launch_state;

	r->error = 0;
	r->check = NULL;
	/*
	 * A shadow VMCS cannot be entered: VMfailInvalid though the pointer
	 * is valid ("Basic VM-Entry Checks"; KVM does the same).
	 */
	if (n->current_ptr == NESTED_NO_VMCS ||
	    (n->vmcs12.revision_id & BIT(31)))
		return nested_fail_invalid(rflags);
	if (interruptibility & BIT(1))	/* blocking by MOV SS */
		return nested_fail(n, VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS,
				   rflags);
	if (launch && state != VMCS12_CLEAR)
		return nested_fail(n, VMXERR_VMLAUNCH_NONCLEAR, rflags);
	if (!launch && state != VMCS12_LAUNCHED)
		return nested_fail(n, VMXERR_VMRESUME_NONLAUNCHED, rflags);
	if (nested_check_controls(&env, &n->vmcs12, r) ||
	    nested_check_host_state(&env, &n->vmcs12, r))
		return nested_fail(n, r->error, rflags);
	return NESTED_ENTER;
}

/*
 * INVEPT (SDM, "INVEPT"): @type 1 (single-context) or 2 (all-context)
 * where offered; @desc the 128-bit descriptor, its EPTP checked for
 * single-context. No L2 translation is cached anywhere yet, so there is
 * nothing to drop.
 */
void nested_invept(struct nested_vmx *n, const struct nested_l1 *l1,
		   u64 type, const u64 *desc, u64 *rflags)
{
	u64 cap = l1->msrs[NV_MSR_EPT_VPID_CAP];
	struct ept_walk_caps c;

	nested_ept_caps(l1->msrs, l1->maxphyaddr, &c);
	if ((type == 1 && !(cap & NV_EPT_CAP_INVEPT_SINGLE)) ||
	    (type == 2 && !(cap & NV_EPT_CAP_INVEPT_ALL)) ||
	    (type != 1 && type != 2) ||
	    (type == 1 && !ept_eptp_valid(&c, desc[0]))) {
		nested_fail(n, VMXERR_INVALID_INVEPT_INVVPID_OPERAND, rflags);
		return;
	}
	nested_succeed(rflags);
}

/*
 * INVVPID (SDM, "INVVPID"): @type 0 (individual address), 1 (single
 * context), 2 (all contexts), 3 (single context but globals) where
 * offered; @desc: VPID in bits 15:0 (63:16 reserved), the linear address.
 */
void nested_invvpid(struct nested_vmx *n, const struct nested_l1 *l1,
		    u64 type, const u64 *desc, u64 *rflags)
{
	static const u64 type_cap[] = {
		NV_VPID_CAP_INVVPID_ADDR, NV_VPID_CAP_INVVPID_SINGLE,
		NV_VPID_CAP_INVVPID_ALL, NV_VPID_CAP_INVVPID_SINGLE_NONGLOBAL,
	};
	u64 cap = l1->msrs[NV_MSR_EPT_VPID_CAP];

	if (type > 3 || !(cap & type_cap[type]) || (desc[0] >> 16) ||
	    (type != 2 && !(desc[0] & 0xffff)) ||
	    (type == 0 && !nested_canonical(l1->msrs, desc[1]))) {
		nested_fail(n, VMXERR_INVALID_INVEPT_INVVPID_OPERAND, rflags);
		return;
	}
	nested_succeed(rflags);
}
