// SPDX-License-Identifier: GPL-2.0-only
/*
 * EPT01 tables: creation, a 4 KiB mapping at a time, zapping a range and
 * INVEPT on every CPU (see ept.h).
 *
 * Zapping is done in two passes so that no host page is released while a
 * CPU may still hold a translation to it: the first pass makes each leaf
 * non-present but keeps the host address in it, marked with a bit that
 * the CPU ignores; after INVEPT has run on every CPU, the second pass
 * releases the marked pages and clears the entries.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/smp.h>

#include "ept.h"
#include "insn.h"
#include "vmx.h"

#define EPT_LEVELS		4
#define EPT_ENTRIES		512
#define EPT_MT_WB		(6ULL << 3)	/* leaf memory type */
#define EPT_ADDR_MASK		GENMASK_ULL(51, 12)
/* Bit 52 is ignored by the CPU: a leaf zapped but not yet released. */
#define EPT_ZAPPED		BIT_ULL(52)
/* EPTP: write-back paging structures, a 4-level walk. */
#define EPTP_WB_4LEVEL		(6ULL | ((EPT_LEVELS - 1ULL) << 3))

static unsigned int ept_index(u64 gpa, int level)
{
	return (gpa >> (12 + 9 * level)) & (EPT_ENTRIES - 1);
}

static u64 *ept_table(u64 entry)
{
	return phys_to_virt(entry & EPT_ADDR_MASK);
}

/**
 * nvmx_ept_init() - an empty EPT
 * @ept: filled in
 *
 * Context: process context. Return: 0 or -ENOMEM.
 */
int nvmx_ept_init(struct nvmx_ept *ept)
{
	ept->root = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!ept->root)
		return -ENOMEM;
	ept->tables = 1;
	/* A root page used by a VM before may have translations cached. */
	nvmx_ept_invalidate(ept);
	return 0;
}

static void ept_free_table(struct nvmx_ept *ept, u64 *table, int level,
			   nvmx_ept_release_fn release)
{
	unsigned int i;

	for (i = 0; i < EPT_ENTRIES; i++) {
		u64 e = table[i];

		if (level && (e & NVMX_EPT_RWX))
			ept_free_table(ept, ept_table(e), level - 1, release);
		else if (!level && (e & (NVMX_EPT_RWX | EPT_ZAPPED)))
			release(e & EPT_ADDR_MASK, e & NVMX_EPT_W);
	}
	free_page((unsigned long)table);
	ept->tables--;
}

/**
 * nvmx_ept_destroy() - release every mapped page and free the tables
 * @ept: the EPT; no CPU runs a guest on it any more
 * @release: called for each page a leaf maps
 *
 * Context: process context.
 */
void nvmx_ept_destroy(struct nvmx_ept *ept, nvmx_ept_release_fn release)
{
	if (!ept->root)
		return;
	nvmx_ept_invalidate(ept);
	ept_free_table(ept, ept->root, EPT_LEVELS - 1, release);
	ept->root = NULL;
}

/* The EPT pointer (VMCS EPT_POINTER) of @ept. */
u64 nvmx_ept_pointer(const struct nvmx_ept *ept)
{
	return virt_to_phys(ept->root) | EPTP_WB_4LEVEL;
}

/* The leaf entry of @gpa, allocating tables on the way. NULL: -ENOMEM. */
static u64 *ept_leaf(struct nvmx_ept *ept, u64 gpa)
{
	u64 *table = ept->root;
	int level;

	for (level = EPT_LEVELS - 1; level > 0; level--) {
		u64 *e = &table[ept_index(gpa, level)];

		if (!(*e & NVMX_EPT_RWX)) {
			u64 *next = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

			if (!next)
				return NULL;
			ept->tables++;
			WRITE_ONCE(*e, virt_to_phys(next) | NVMX_EPT_RWX);
		}
		table = ept_table(*e);
	}
	return &table[ept_index(gpa, 0)];
}

/**
 * nvmx_ept_map() - map the 4 KiB guest page @gpa to host page @hpa
 * @ept: the EPT
 * @gpa: guest-physical address, page aligned, below 2^48
 * @hpa: host-physical address, page aligned
 * @perms: NVMX_EPT_* permissions, not 0
 *
 * Context: process context, the caller serializes changes of @ept.
 * Return: 0; -EEXIST if @gpa is mapped already (the caller keeps its
 * page); -ENOMEM.
 */
int nvmx_ept_map(struct nvmx_ept *ept, u64 gpa, u64 hpa, u64 perms)
{
	u64 *leaf = ept_leaf(ept, gpa);

	if (!leaf)
		return -ENOMEM;
	if (*leaf & (NVMX_EPT_RWX | EPT_ZAPPED))
		return -EEXIST;
	WRITE_ONCE(*leaf, hpa | EPT_MT_WB | (perms & NVMX_EPT_RWX));
	return 0;
}

/**
 * nvmx_ept_set() - map @gpa to @hpa, replacing what the leaf held
 * @ept: the EPT; its leaves own no pages (EPT02: EPT01 holds the pins)
 * @gpa: guest-physical address, page aligned, below 2^48
 * @hpa: host-physical address, page aligned
 * @perms: NVMX_EPT_* permissions, not 0
 *
 * A CPU may keep using the old translation until the next INVEPT (or an
 * EPT violation on it), as after a change of the guest's own EPT.
 * Context: process context, the caller serializes changes of @ept.
 * Return: 0 or -ENOMEM.
 */
int nvmx_ept_set(struct nvmx_ept *ept, u64 gpa, u64 hpa, u64 perms)
{
	u64 *leaf = ept_leaf(ept, gpa);

	if (!leaf)
		return -ENOMEM;
	WRITE_ONCE(*leaf, hpa | EPT_MT_WB | (perms & NVMX_EPT_RWX));
	return 0;
}

/**
 * nvmx_ept_lookup() - what @gpa maps to
 * @ept: the EPT
 * @gpa: guest-physical address
 * @hpa: the host page
 * @perms: its NVMX_EPT_* permissions
 *
 * Context: the caller serializes changes of @ept.
 * Return: 0, or -ENOENT when @gpa is not mapped.
 */
int nvmx_ept_lookup(const struct nvmx_ept *ept, u64 gpa, u64 *hpa, u64 *perms)
{
	const u64 *table = ept->root;
	int level;
	u64 e;

	for (level = EPT_LEVELS - 1; level > 0; level--) {
		e = table[ept_index(gpa, level)];
		if (!(e & NVMX_EPT_RWX))
			return -ENOENT;
		table = ept_table(e);
	}
	e = READ_ONCE(table[ept_index(gpa, 0)]);
	if (!(e & NVMX_EPT_RWX))
		return -ENOENT;
	*hpa = e & EPT_ADDR_MASK;
	*perms = e & NVMX_EPT_RWX;
	return 0;
}

/*
 * Visit the leaves of [gpa, end) that exist: @fn(entry) for each. Tables
 * that are absent are skipped whole.
 */
static bool ept_walk_range(u64 *table, int level, u64 base, u64 gpa, u64 end,
			   bool (*fn)(u64 *e, void *arg), void *arg)
{
	u64 span = 1ULL << (12 + 9 * level);
	bool any = false;
	unsigned int i;

	for (i = ept_index(gpa, level); i < EPT_ENTRIES; i++) {
		u64 start = base + i * span;

		if (start >= end)
			break;
		if (!level)
			any |= fn(&table[i], arg);
		else if (table[i] & NVMX_EPT_RWX)
			any |= ept_walk_range(ept_table(table[i]), level - 1,
					      start, max(gpa, start), end, fn,
					      arg);
	}
	return any;
}

/* First pass: a present leaf becomes non-present and marked. */
static bool ept_zap_leaf(u64 *e, void *arg)
{
	if (!(*e & NVMX_EPT_RWX))
		return false;
	/* Keep W: the release needs it to know whether to dirty the page. */
	WRITE_ONCE(*e, (*e & (EPT_ADDR_MASK | NVMX_EPT_W)) | EPT_ZAPPED);
	return true;
}

/* Second pass: release a marked leaf's page and clear the entry. */
static bool ept_release_leaf(u64 *e, void *arg)
{
	nvmx_ept_release_fn release = arg;

	if (!(*e & EPT_ZAPPED))
		return false;
	release(*e & EPT_ADDR_MASK, *e & NVMX_EPT_W);
	WRITE_ONCE(*e, 0);
	return true;
}

/**
 * nvmx_ept_zap() - unmap [@gpa, @gpa + @size) and release its pages
 * @ept: the EPT
 * @gpa: start, page aligned
 * @size: bytes, page aligned, the range below 2^48
 * @release: called for each page that was mapped
 *
 * No CPU uses a translation of the range when @release is called.
 * Context: process context, the caller serializes changes of @ept.
 * Return: whether anything was mapped in the range.
 */
bool nvmx_ept_zap(struct nvmx_ept *ept, u64 gpa, u64 size,
		  nvmx_ept_release_fn release)
{
	u64 end = gpa + size;

	if (!ept_walk_range(ept->root, EPT_LEVELS - 1, 0, gpa, end,
			    ept_zap_leaf, NULL))
		return false;
	nvmx_ept_invalidate(ept);
	ept_walk_range(ept->root, EPT_LEVELS - 1, 0, gpa, end,
		       ept_release_leaf, release);
	return true;
}

static void ept_invept_here(void *info)
{
	const u64 *eptp = info;

	if (nvmx_host_caps.msrs[NV_MSR_EPT_VPID_CAP] &
	    NV_EPT_CAP_INVEPT_SINGLE)
		vmx_invept(VMX_INVEPT_SINGLE, *eptp);
	else
		vmx_invept(VMX_INVEPT_ALL, 0);
}

static void ept_invept_all_here(void *info)
{
	if (nvmx_host_caps.msrs[NV_MSR_EPT_VPID_CAP] & NV_EPT_CAP_INVEPT_ALL)
		vmx_invept(VMX_INVEPT_ALL, 0);
}

/**
 * nvmx_ept_invalidate_all() - INVEPT of every EPT on every online CPU
 *
 * Like nvmx_ept_invalidate(), for all EPTs at once (the EPT02s of every
 * vCPU of a VM), where the CPU has all-context INVEPT. Either way, when
 * it returns, every CPU that ran a guest has left it once (the IPI is an
 * external-interrupt exit). A new EPT02 is invalidated on its first use
 * on a CPU, so this is an extra, not what correctness rests on.
 * Context: process context, preemption enabled, while a VM exists
 * (every CPU is in VMX operation).
 */
void nvmx_ept_invalidate_all(void)
{
	on_each_cpu(ept_invept_all_here, NULL, 1);
}

/**
 * nvmx_ept_invalidate() - INVEPT for @ept on every online CPU
 * @ept: the EPT
 *
 * Every CPU is in VMX operation while a VM exists. A CPU running a guest
 * of @ept takes the IPI as an external-interrupt VM exit and invalidates
 * before it enters again.
 * Context: process context, preemption enabled.
 */
void nvmx_ept_invalidate(const struct nvmx_ept *ept)
{
	u64 eptp = nvmx_ept_pointer(ept);

	on_each_cpu(ept_invept_here, &eptp, 1);
}
