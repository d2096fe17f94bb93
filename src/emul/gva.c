// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest linear to guest-physical translation by a walk of the guest's
 * paging structures, written from the Intel SDM Vol. 3A, "Paging":
 * "Hierarchical Paging Structures: an Overview", "32-Bit Paging", "PAE
 * Paging", "4-Level Paging and 5-Level Paging", "Access Rights" and
 * "Page-Fault Exceptions". Pure; see gva.h.
 *
 * The walk stops at the first entry that is not present or has a reserved
 * bit set, as the processor does; only a walk that reaches a leaf checks
 * the access against the rights of all the entries it read, so a
 * not-present or reserved-bit fault wins over a rights fault.
 *
 * Choices and limits:
 * - The walk does not set accessed or dirty flags: it serves the VMM's
 *   emulation of an access the guest is about to retry or that the VMM
 *   completes itself, and the guest cannot observe the difference for
 *   MMIO, which is what it is used for. Nothing is written to the guest.
 * - The PAE PDPTEs are read from memory at CR3 bits 31:5 at each walk, not
 *   taken from the copies the processor loaded with CR3 (with EPT, the
 *   VMCS guest PDPTE fields): the two differ only if the guest changed
 *   them without reloading CR3. A reserved bit in one, which would have
 *   made the load of CR3 fail, is reported as a reserved-bit page fault.
 * - Protection keys (CR4.PKE, PKS) and shadow stacks are not modelled: the
 *   PK and SS bits of the error code are never set.
 * - 5-level paging (CR4.LA57) is not supported: -EOPNOTSUPP.
 */
#include "gva.h"

#define GVA_PAGE_SHIFT		12
#define GVA_LEVEL_SHIFT(l)	(GVA_PAGE_SHIFT + 9 * ((l) - 1))

/**
 * struct gva_walk - the state of one walk
 * @pg: the guest's paging state
 * @read: reads guest-physical memory
 * @ctx: passed to @read
 * @addr_mask: bits M-1:12 of a 64-bit entry (M = MAXPHYADDR): an address
 * @rsvd: the bits reserved in every 64-bit entry of the current mode
 * @rw: R/W is 1 in every entry read so far
 * @us: U/S is 1 in every entry read so far
 * @xd: XD is 1 in some entry read so far
 * @faulted: the walk ended in a page fault (not a @read failure)
 * @pfec: with @faulted, the P and RSVD bits of the error code
 */
struct gva_walk {
	const struct nvmx_paging *pg;
	nvmx_read_gpa_fn read;
	void *ctx;
	u64 addr_mask;
	u64 rsvd;
	bool rw;
	bool us;
	bool xd;
	bool faulted;
	u32 pfec;
};

/* Bits @hi:@lo of a 64-bit value; 0 when @hi < @lo. */
static u64 gva_bits(unsigned int hi, unsigned int lo)
{
	return (~0ULL >> (63 - hi)) & ~(BIT_ULL(lo) - 1);
}

static unsigned int gva_maxphyaddr(const struct nvmx_paging *pg)
{
	if (pg->maxphyaddr < 32)
		return 32;
	return pg->maxphyaddr > 52 ? 52 : pg->maxphyaddr;
}

static int gva_fault(struct gva_walk *w, u32 pfec)
{
	w->faulted = true;
	w->pfec = pfec;
	return -EFAULT;
}

/*
 * Read the entry at @gpa: 4 bytes wide for 32-bit paging (@narrow), else
 * 8. The callback reads aligned 8 bytes, so a 4-byte entry at an address
 * that is 4 mod 8 is the high half of what it returns.
 */
static int gva_read(struct gva_walk *w, u64 gpa, bool narrow, u64 *e)
{
	u64 v;
	int err;

	err = w->read(w->ctx, gpa & ~7ULL, &v);
	if (err)
		return err;
	if (narrow)
		v = (gpa & 4) ? v >> 32 : v & 0xffffffffULL;
	*e = v;
	return 0;
}

/*
 * A paging-structure entry that the walk reads: stop at one that is not
 * present or has one of the @rsvd bits set, else fold its rights into the
 * walk ("Access Rights": a page is user-mode only if U/S is 1 at every
 * level, writable only if R/W is 1 at every level, and not executable if
 * XD is 1 at any level).
 */
static int gva_entry(struct gva_walk *w, u64 e, u64 rsvd)
{
	if (!(e & NVMX_PTE_P))
		return gva_fault(w, 0);
	if (e & rsvd)
		return gva_fault(w, NVMX_PF_PRESENT | NVMX_PF_RSVD);
	w->rw &= !!(e & NVMX_PTE_RW);
	w->us &= !!(e & NVMX_PTE_US);
	/* Without NXE, bit 63 is reserved and never gets here. */
	w->xd |= !!(e & NVMX_PTE_XD);
	return 0;
}

/*
 * 32-bit paging: a page directory at CR3 bits 31:12, 4-byte entries.
 * With CR4.PSE, a PDE with PS = 1 maps a 4 MByte page whose address bits
 * 39:32 (PSE-36, as far as MAXPHYADDR goes, at most 40) are in PDE bits
 * 20:13; PDE bits 21:(M-19) are then reserved. Nothing else is reserved.
 */
static int gva_walk32(struct gva_walk *w, u32 va, u64 *gpa)
{
	const struct nvmx_paging *pg = w->pg;
	unsigned int m = gva_maxphyaddr(pg) > 40 ? 40 : gva_maxphyaddr(pg);
	u64 pde, pte;
	int err;

	err = gva_read(w, (pg->cr3 & 0xfffff000ULL) + (va >> 22) * 4, true,
		       &pde);
	if (err)
		return err;
	if ((pde & NVMX_PTE_PS) && (pg->cr4 & NVMX_CR4_PSE)) {
		err = gva_entry(w, pde, gva_bits(21, m - 19));
		if (err)
			return err;
		*gpa = (pde & 0xffc00000ULL) |
		       (pde & gva_bits(m - 20, 13)) << (32 - 13) |
		       (va & 0x3fffff);
		return 0;
	}
	err = gva_entry(w, pde, 0);
	if (err)
		return err;
	err = gva_read(w, (pde & 0xfffff000ULL) + ((va >> 12) & 0x3ff) * 4,
		       true, &pte);
	if (err)
		return err;
	err = gva_entry(w, pte, 0);
	if (err)
		return err;
	*gpa = (pte & 0xfffff000ULL) | (va & 0xfff);
	return 0;
}

/*
 * The reserved bits of a 64-bit entry at @level (4: PML4E, 3: PDPTE,
 * 2: PDE, 1: PTE), beyond those of every entry: PS in a PML4E, and the
 * bits between the PAT bit (12) and the address of a 1 GByte or 2 MByte
 * page.
 */
static u64 gva_rsvd64(const struct gva_walk *w, u64 e, unsigned int level)
{
	if (level == 4)
		return w->rsvd | NVMX_PTE_PS;
	if (level == 1 || !(e & NVMX_PTE_PS))
		return w->rsvd;
	if (level == 3)
		return w->rsvd | gva_bits(29, 13);
	return w->rsvd | gva_bits(20, 13);
}

/*
 * The 64-bit entries of PAE and 4-level paging, from the table at @table
 * with entries at @level down to a leaf, 9 bits of @va indexing each.
 * PS = 1 makes a leaf of a PDPTE (1 GByte) or a PDE (2 MByte).
 */
static int gva_walk64(struct gva_walk *w, u64 table, unsigned int level,
		      u64 va, u64 *gpa)
{
	u64 e, offset;
	int err;

	for (;; level--) {
		u64 index = (va >> GVA_LEVEL_SHIFT(level)) & 0x1ff;

		err = gva_read(w, table + index * 8, false, &e);
		if (err)
			return err;
		err = gva_entry(w, e, gva_rsvd64(w, e, level));
		if (err)
			return err;
		/* A PML4E with PS = 1 is reserved and faulted above. */
		if (level == 1 || (e & NVMX_PTE_PS))
			break;
		table = e & w->addr_mask;
	}
	/* The page's address bits; bit 12 of a large page is PAT. */
	offset = BIT_ULL(GVA_LEVEL_SHIFT(level)) - 1;
	*gpa = (e & w->addr_mask & ~offset) | (va & offset);
	return 0;
}

/*
 * PAE paging: four PDPTEs at CR3 bits 31:5, indexed by @va bits 31:30.
 * They have no R/W, U/S or XD bits: bits 2:1, 8:5 and 63:M are reserved.
 */
static int gva_walk_pae(struct gva_walk *w, u32 va, u64 *gpa)
{
	u64 rsvd = gva_bits(63, gva_maxphyaddr(w->pg)) | gva_bits(2, 1) |
		   gva_bits(8, 5);
	u64 pdpte;
	int err;

	err = gva_read(w, (w->pg->cr3 & 0xffffffe0ULL) + (va >> 30) * 8, false,
		       &pdpte);
	if (err)
		return err;
	if (!(pdpte & NVMX_PTE_P))
		return gva_fault(w, 0);
	if (pdpte & rsvd)
		return gva_fault(w, NVMX_PF_PRESENT | NVMX_PF_RSVD);
	return gva_walk64(w, pdpte & w->addr_mask, 2, va, gpa);
}

/*
 * "Access Rights": may @access use a translation with the rights the walk
 * folded? A user-mode address is one with U/S = 1 at every level.
 */
static bool gva_allowed(const struct gva_walk *w, u32 access)
{
	const struct nvmx_paging *pg = w->pg;

	if (access & NVMX_GVA_USER) {
		if (!w->us)
			return false;
		if (access & NVMX_GVA_FETCH)
			return !w->xd;
		/* User-mode writes need R/W whatever CR0.WP says. */
		return !(access & NVMX_GVA_WRITE) || w->rw;
	}
	if (access & NVMX_GVA_FETCH)
		return !w->xd && !(w->us && (pg->cr4 & NVMX_CR4_SMEP));
	if (w->us && (pg->cr4 & NVMX_CR4_SMAP) && !(access & NVMX_GVA_AC))
		return false;
	/* Supervisor-mode writes ignore R/W unless CR0.WP = 1. */
	return !(access & NVMX_GVA_WRITE) || w->rw || !(pg->cr0 & NVMX_CR0_WP);
}

/*
 * "Page-Fault Exceptions": W/R, U/S and I/D describe the access. I/D is
 * set for a fetch only where execute rights exist to explain it: with
 * CR4.SMEP, or with CR4.PAE and EFER.NXE.
 */
static u32 gva_error_code(const struct nvmx_paging *pg, u32 access, u32 pfec)
{
	if (access & NVMX_GVA_WRITE)
		pfec |= NVMX_PF_WRITE;
	if (access & NVMX_GVA_USER)
		pfec |= NVMX_PF_USER;
	if ((access & NVMX_GVA_FETCH) &&
	    ((pg->cr4 & NVMX_CR4_SMEP) ||
	     ((pg->cr4 & NVMX_CR4_PAE) && (pg->efer & NVMX_EFER_NXE))))
		pfec |= NVMX_PF_FETCH;
	return pfec;
}

/* 4-level paging: linear addresses are canonical if bits 63:47 are equal. */
static bool gva_canonical48(u64 gva)
{
	u64 top = gva >> 47;

	return !top || top == 0x1ffff;
}

/* Pick the paging mode from CR0.PG, CR4.PAE and EFER.LMA, and walk. */
static int gva_walk(struct gva_walk *w, u64 gva, u64 *gpa)
{
	const struct nvmx_paging *pg = w->pg;
	u64 above_m = gva_bits(51, gva_maxphyaddr(pg));
	u64 no_nx = (pg->efer & NVMX_EFER_NXE) ? 0 : NVMX_PTE_XD;

	w->addr_mask = gva_bits(gva_maxphyaddr(pg) - 1, GVA_PAGE_SHIFT);
	if (!(pg->efer & NVMX_EFER_LMA)) {
		if (!(pg->cr4 & NVMX_CR4_PAE))
			return gva_walk32(w, (u32)gva, gpa);
		/* PAE entries have bits 62:M reserved, 4-level ones 51:M. */
		w->rsvd = gva_bits(62, gva_maxphyaddr(pg)) | no_nx;
		return gva_walk_pae(w, (u32)gva, gpa);
	}
	/* LMA without PAE cannot be entered: CR0.PG would #GP. */
	if (!(pg->cr4 & NVMX_CR4_PAE) || (pg->cr4 & NVMX_CR4_LA57))
		return -EOPNOTSUPP;
	if (!gva_canonical48(gva))
		return -EINVAL;
	w->rsvd = above_m | no_nx;
	return gva_walk64(w, pg->cr3 & w->addr_mask, 4, gva, gpa);
}

/**
 * nvmx_gva_to_gpa() - translate a guest linear address
 * @pg: the guest's paging state
 * @gva: the linear address; outside IA-32e mode only bits 31:0 are used
 * @access: NVMX_GVA_* flags; with NVMX_GVA_FETCH, NVMX_GVA_WRITE is ignored
 * @read: reads the guest's paging-structure entries
 * @ctx: passed to @read
 * @gpa: set to the guest-physical address on success, else left alone
 * @pf_error_code: set to the page-fault error code on -EFAULT, else left
 *		   alone
 *
 * The paging mode is 32-bit (CR0.PG, !CR4.PAE), PAE (CR0.PG, CR4.PAE,
 * !EFER.LMA) or 4-level (CR0.PG, CR4.PAE, EFER.LMA); with CR0.PG = 0 the
 * guest-physical address is bits 31:0 of @gva. Accessed and dirty flags
 * are not set.
 *
 * Return: 0; -EFAULT: the access causes a page fault with error code
 * *@pf_error_code (CR2 = @gva); -EINVAL: 4-level paging and @gva is not
 * canonical (the access causes #GP(0), or #SS(0) for a stack access);
 * -EOPNOTSUPP: 5-level paging, or EFER.LMA without CR4.PAE; or what @read
 * returned when it failed.
 */
int nvmx_gva_to_gpa(const struct nvmx_paging *pg, u64 gva, u32 access,
		    nvmx_read_gpa_fn read, void *ctx, u64 *gpa,
		    u32 *pf_error_code)
{
	struct gva_walk w = {
		.pg = pg, .read = read, .ctx = ctx,
		.rw = true, .us = true,
	};
	u64 addr;
	int err;

	if (access & NVMX_GVA_FETCH)
		access &= ~NVMX_GVA_WRITE;
	if (!(pg->cr0 & NVMX_CR0_PG)) {
		*gpa = (u32)gva;
		return 0;
	}
	err = gva_walk(&w, gva, &addr);
	if (!err && !gva_allowed(&w, access))
		err = gva_fault(&w, NVMX_PF_PRESENT);
	if (err) {
		if (w.faulted)
			*pf_error_code = gva_error_code(pg, access, w.pfec);
		return err;
	}
	*gpa = addr;
	return 0;
}
