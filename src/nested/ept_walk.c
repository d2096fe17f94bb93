// SPDX-License-Identifier: GPL-2.0-only
/*
 * The walk of L1's EPT paging structures for an L2 guest-physical address,
 * written from the Intel SDM Vol. 3C, "VMX Support for Address
 * Translation". Pure.
 *
 * Order of the outcomes ("EPT Misconfigurations", "EPT Violations"): the
 * walk stops at the first entry that is not present (an EPT violation) or
 * misconfigured; only a walk that reaches a leaf without either checks the
 * access against the rights, because an EPT violation for rights occurs
 * only "when there is no EPT misconfiguration".
 *
 * Choices where the SDM leaves room:
 * - Accessed and dirty flags are reported only for a successful walk, as
 *   processors set them after a walk that succeeds; an access that faults
 *   sets them when it is retried.
 * - Bits 63:52 of every entry are ignored: the features that give some of
 *   them a meaning (#VE suppression, mode-based execute control,
 *   sub-page permissions, supervisor shadow stacks) are not offered to L1.
 *   Bits 63:48 of the L2 address are not translated by a 4-level walk.
 */
#include "ept_walk.h"

/* Bits 51:N of entries and addresses, N = L1's physical-address width. */
static u64 ept_above_maxphyaddr(const struct ept_walk_caps *caps)
{
	unsigned int n = caps->maxphyaddr > 52 ? 52 : caps->maxphyaddr;

	return (BIT_ULL(52) - 1) & ~(BIT_ULL(n) - 1);
}

/* Bits N-1:12: the address of a table or page. */
static u64 ept_addr_mask(const struct ept_walk_caps *caps)
{
	return (BIT_ULL(52) - 1) & ~ept_above_maxphyaddr(caps) & ~0xfffULL;
}

/* A leaf: a PTE, or a PDPTE or PDE with bit 7 set (where allowed). */
static bool ept_is_leaf(u64 e, unsigned int level)
{
	return level == 1 || (level < NV_EPT_LEVELS && (e & NV_EPT_PAGE_SIZE));
}

/*
 * The reserved bits of entry @e at @level ("EPT Translation Mechanism").
 * A page-size bit the capabilities do not allow is reserved as well.
 */
static u64 ept_reserved(const struct ept_walk_caps *caps, u64 e,
			unsigned int level)
{
	u64 rsvd = ept_above_maxphyaddr(caps);

	if (level == NV_EPT_LEVELS)
		return rsvd | (0x1fULL << 3);		/* 7:3 */
	if (level == 1)
		return rsvd;		/* 5:3 memory type, 6 ignore PAT, 7 ignored */
	if (!(e & NV_EPT_PAGE_SIZE))
		return rsvd | (0xfULL << 3);		/* 6:3 */
	if (level == 3)
		return caps->pages_1g ? rsvd | (0x3ffffULL << 12) /* 29:12 */
				      : NV_EPT_PAGE_SIZE;
	return caps->pages_2m ? rsvd | (0x1ffULL << 12)	/* 20:12 */
			      : NV_EPT_PAGE_SIZE;
}

/* "EPT Misconfigurations", for an entry that is present. */
static bool ept_misconfigured(const struct ept_walk_caps *caps, u64 e,
			      unsigned int level)
{
	u64 rights = e & NV_EPT_RWX;
	u64 mt = NV_EPT_MEMTYPE(e);

	if ((rights & (NV_EPT_READ | NV_EPT_WRITE)) == NV_EPT_WRITE)
		return true;		/* 010b, 110b: write without read */
	if (rights == NV_EPT_EXEC && !caps->exec_only)
		return true;
	if (e & ept_reserved(caps, e, level))
		return true;
	/* Memory types 2, 3 and 7 are reserved. */
	return ept_is_leaf(e, level) && (mt == 2 || mt == 3 || mt == 7);
}

/* "Accessed and Dirty Flags for EPT": what the caller must set. */
static void ept_note_ad(struct ept_walk *w, u8 access)
{
	unsigned int l;

	for (l = w->level; l <= NV_EPT_LEVELS; l++)
		if (!(w->entries[l - 1] & NV_EPT_ACCESSED))
			w->set_accessed |= BIT(l - 1);
	if ((access & NV_EPT_WRITE) &&
	    !(w->entries[w->level - 1] & NV_EPT_DIRTY))
		w->set_dirty = true;
}

/* The walk reached a leaf: check the rights, compute the address. */
static enum ept_walk_result ept_leaf(struct ept_walk *w, u8 access, bool ad,
				     u64 gpa, u64 addr_mask)
{
	u64 offset = BIT_ULL(NV_EPT_LEVEL_SHIFT(w->level)) - 1;

	if ((access & w->perms) != access) {
		w->qualification = access |
				   (u64)w->perms << NV_EPT_QUAL_RIGHTS_SHIFT;
		return EPT_WALK_VIOLATION;
	}
	w->l1_gpa = (w->entries[w->level - 1] & addr_mask & ~offset) |
		    (gpa & offset);
	if (ad)
		ept_note_ad(w, access);
	return EPT_WALK_OK;
}

/**
 * ept_walk() - translate an L2 guest-physical address through L1's EPT
 * @caps: what L1's EPT may use
 * @eptp: L1's EPT pointer, checked by ept_eptp_valid() at VM entry; only
 *	  its address and A/D enable (if @caps allow it) are used
 * @gpa: the L2 guest-physical address
 * @access: NV_EPT_READ, NV_EPT_WRITE or NV_EPT_EXEC (normally one), maybe
 *	    with NV_EPT_GUEST_PAGING
 * @read: reads an entry from L1's memory
 * @ctx: passed to @read
 * @w: the outcome, all of it (re)written
 *
 * With A/D enabled, L2's paging-structure accesses are treated as writes:
 * write rights are needed, the leaf's dirty flag is reported, and an EPT
 * violation sets both bits 0 and 1 of the qualification ("Exit
 * Qualification for EPT Violations").
 *
 * Return: @w->result.
 */
enum ept_walk_result ept_walk(const struct ept_walk_caps *caps, u64 eptp,
			      u64 gpa, u8 access, ept_read_fn read, void *ctx,
			      struct ept_walk *w)
{
	u64 addr_mask = ept_addr_mask(caps);
	u64 table = eptp & addr_mask;
	bool ad = caps->ad_supported && (eptp & NV_EPTP_AD);
	unsigned int level;
	u64 e;

	memset(w, 0, sizeof(*w));
	if (ad && (access & NV_EPT_GUEST_PAGING))
		access |= NV_EPT_READ | NV_EPT_WRITE;
	access &= NV_EPT_RWX;
	w->perms = NV_EPT_RWX;
	for (level = NV_EPT_LEVELS; level > 0; level--) {
		u64 index = (gpa >> NV_EPT_LEVEL_SHIFT(level)) & 0x1ff;

		w->level = level;
		w->entry_gpa[level - 1] = table + index * sizeof(u64);
		if (read(ctx, w->entry_gpa[level - 1], &e)) {
			w->result = EPT_WALK_FAULT;
			return w->result;
		}
		w->entries[level - 1] = e;
		w->perms &= e & NV_EPT_RWX;
		if (!(e & NV_EPT_RWX)) {
			w->qualification = access;	/* rights: 0 */
			w->result = EPT_WALK_VIOLATION;
			return w->result;
		}
		if (ept_misconfigured(caps, e, level)) {
			w->result = EPT_WALK_MISCONFIG;
			return w->result;
		}
		if (ept_is_leaf(e, level))
			break;
		table = e & addr_mask;
	}
	w->result = ept_leaf(w, access, ad, gpa, addr_mask);
	return w->result;
}

/**
 * ept_eptp_valid() - the VM-entry checks of the EPT pointer
 * @caps: what L1's EPT may use
 * @eptp: the EPT pointer L1 wrote to its VMCS
 *
 * "Checks on VMX Controls": a memory type (bits 2:0) that @caps allow, a
 * 4-level walk (bits 5:3 = 3; 5-level EPT is not offered), bit 6 (A/D)
 * only with @caps->ad_supported, bits 11:7 zero (bit 7, supervisor shadow
 * stacks, is not offered), and no address bit at or above L1's
 * physical-address width.
 *
 * Return: true if a VM entry with @eptp passes these checks.
 */
bool ept_eptp_valid(const struct ept_walk_caps *caps, u64 eptp)
{
	u64 mt = eptp & 7;

	if (!(mt == NV_EPTP_MT_UC && caps->memtype_uc) &&
	    !(mt == NV_EPTP_MT_WB && caps->memtype_wb))
		return false;
	if ((eptp & (7ULL << 3)) != NV_EPTP_PWL4)
		return false;
	if ((eptp & NV_EPTP_AD) && !caps->ad_supported)
		return false;
	if (eptp & (0x1fULL << 7))
		return false;
	return !(eptp & ~(BIT_ULL(52) - 1)) &&
	       !(eptp & ept_above_maxphyaddr(caps));
}
