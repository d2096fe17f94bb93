/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The walk of L1's EPT paging structures (EPT12) for a guest-physical
 * address of L2 (Intel SDM Vol. 3C, "VMX Support for Address Translation":
 * "EPT Translation Mechanism", "EPT Misconfigurations", "EPT Violations",
 * "Accessed and Dirty Flags for EPT"). Pure: L1's memory is read through
 * a callback and never written.
 */
#ifndef NVMX_NESTED_EPT_WALK_H
#define NVMX_NESTED_EPT_WALK_H

#include "../pure.h"

/* Levels of a 4-level walk: 4 = PML4E, 3 = PDPTE, 2 = PDE, 1 = PTE. */
#define NV_EPT_LEVELS		4
/* Bits of the guest-physical address translated below level @l. */
#define NV_EPT_LEVEL_SHIFT(l)	(12 + 9 * ((l) - 1))

/* Access rights of an entry (bits 2:0), also the access types of a walk. */
#define NV_EPT_READ		BIT(0)
#define NV_EPT_WRITE		BIT(1)
#define NV_EPT_EXEC		BIT(2)
#define NV_EPT_RWX		(NV_EPT_READ | NV_EPT_WRITE | NV_EPT_EXEC)
/*
 * Access-type flag: the access is one of L2's own paging-structure
 * accesses. With EPT A/D enabled these are treated as writes; without,
 * the flag has no effect. Do not pass it for the loads of the PAE PDPTEs
 * by MOV to CR, which are reads either way.
 */
#define NV_EPT_GUEST_PAGING	BIT(3)

/* Other bits of an EPT paging-structure entry. */
#define NV_EPT_MEMTYPE(e)	(((e) >> 3) & 7)
#define NV_EPT_PAGE_SIZE	BIT_ULL(7)	/* PDPTE, PDE: maps a page */
#define NV_EPT_ACCESSED		BIT_ULL(8)
#define NV_EPT_DIRTY		BIT_ULL(9)	/* leaf entries only */

/* The EPT pointer (EPTP). */
#define NV_EPTP_MT_UC		0ULL
#define NV_EPTP_MT_WB		6ULL
#define NV_EPTP_PWL4		(3ULL << 3)	/* page-walk length 4, minus 1 */
#define NV_EPTP_AD		BIT_ULL(6)

/* Exit qualification for EPT violations: bits 5:3 hold the rights. */
#define NV_EPT_QUAL_RIGHTS_SHIFT	3

/**
 * struct ept_walk_caps - what L1's EPT may use
 * @exec_only: execute-only translations (IA32_VMX_EPT_VPID_CAP bit 0)
 * @memtype_uc: EPTP memory type UC (bit 8)
 * @memtype_wb: EPTP memory type WB (bit 14)
 * @pages_2m: PDEs may map 2-MByte pages (bit 16)
 * @pages_1g: PDPTEs may map 1-GByte pages (bit 17)
 * @ad_supported: accessed and dirty flags for EPT (bit 21)
 * @maxphyaddr: L1's physical-address width; values above 52 count as 52
 *
 * The capabilities as exposed to L1, not the host's.
 */
struct ept_walk_caps {
	bool exec_only;
	bool memtype_uc;
	bool memtype_wb;
	bool pages_2m;
	bool pages_1g;
	bool ad_supported;
	u8 maxphyaddr;
};

/**
 * typedef ept_read_fn - read one EPT12 entry from L1's memory
 * @ctx: the caller's context, passed through
 * @gpa: L1 guest-physical address of the entry, 8-byte aligned
 * @entry: where to store the entry
 *
 * Return: 0, or a negative errno (e.g. -EFAULT: @gpa is not L1 memory).
 */
typedef int (*ept_read_fn)(void *ctx, u64 gpa, u64 *entry);

/**
 * enum ept_walk_result - how a walk ended
 * @EPT_WALK_OK: translated; the access is allowed
 * @EPT_WALK_VIOLATION: an entry is not present, or the access is not allowed
 * @EPT_WALK_MISCONFIG: an entry is misconfigured
 * @EPT_WALK_FAULT: an entry could not be read; the caller decides the outcome
 */
enum ept_walk_result {
	EPT_WALK_OK,
	EPT_WALK_VIOLATION,
	EPT_WALK_MISCONFIG,
	EPT_WALK_FAULT,
};

/**
 * struct ept_walk - the outcome of ept_walk()
 * @result: how the walk ended
 * @level: level of the leaf (1: 4 KByte, 2: 2 MByte, 3: 1 GByte page), or
 *	   of the entry that was not present, misconfigured or unreadable
 * @l1_gpa: EPT_WALK_OK: the L1 guest-physical address that the L2 address
 *	    translates to
 * @perms: rights of the translation (NV_EPT_RWX bits): the AND of the
 *	   entries read; 0 when one is not present
 * @qualification: EPT_WALK_VIOLATION: bits 2:0 (the access: read, write,
 *		   fetch) and 5:3 (@perms) of the exit qualification; every
 *		   other bit (e.g. 7 and 8, guest linear address) is 0 and
 *		   left to the caller. 0 for the other results.
 * @entries: entries[l - 1]: the entry read at level l (0 if not read)
 * @entry_gpa: entry_gpa[l - 1]: its L1 guest-physical address (for
 *	       EPT_WALK_FAULT, the address that could not be read)
 * @set_accessed: EPT_WALK_OK with A/D enabled: bit l - 1 set if entries[l - 1]
 *		  needs its accessed flag set
 * @set_dirty: EPT_WALK_OK with A/D enabled: the leaf needs its dirty flag set
 */
struct ept_walk {
	enum ept_walk_result result;
	unsigned int level;
	u64 l1_gpa;
	u8 perms;
	u64 qualification;
	u64 entries[NV_EPT_LEVELS];
	u64 entry_gpa[NV_EPT_LEVELS];
	u8 set_accessed;
	bool set_dirty;
};

enum ept_walk_result ept_walk(const struct ept_walk_caps *caps, u64 eptp,
			      u64 gpa, u8 access, ept_read_fn read, void *ctx,
			      struct ept_walk *w);
bool ept_eptp_valid(const struct ept_walk_caps *caps, u64 eptp);

#endif /* NVMX_NESTED_EPT_WALK_H */
