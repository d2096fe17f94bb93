// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory regions: checking a request against the table, and finding
 * the region of a guest-physical address. Pure; see memslots.h.
 *
 * A request with size 0 deletes its slot. Otherwise it creates the slot,
 * or, for a slot in use, may only change the flags of the same region:
 * moving or resizing a region is a delete followed by a create, so that
 * nothing ever maps memory the table no longer describes.
 */
#include "memslots.h"

#define NVMX_PAGE_SIZE	4096ULL

static bool nvmx_aligned(u64 v)
{
	return !(v & (NVMX_PAGE_SIZE - 1));
}

/* [a, a + as) and [b, b + bs) overlap; neither range wraps. */
static bool nvmx_overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

/* Alignment, wraparound and limits of a non-empty request. */
static int nvmx_slot_check_range(const struct nvmx_slot *req,
				 const struct nvmx_slot_limits *lim)
{
	if (!nvmx_aligned(req->gpa) || !nvmx_aligned(req->size) ||
	    !nvmx_aligned(req->uaddr))
		return -EINVAL;
	if (req->gpa + req->size < req->gpa ||
	    req->gpa + req->size > lim->gpa_limit)
		return -EINVAL;
	if (req->uaddr + req->size < req->uaddr ||
	    req->uaddr + req->size > lim->uaddr_limit)
		return -EFAULT;
	return 0;
}

/**
 * nvmx_slot_check() - may @req be applied to @table?
 * @table: the VM's NVMX_MAX_SLOTS slots, indexed by id
 * @req: the request
 * @lim: guest-physical and user address limits
 * @op: what the request does, when it is allowed
 *
 * Return: 0, or -EINVAL (bad id or flags, misaligned, wrapping or beyond
 * the guest-physical limit), -EFAULT (user range wraps or is beyond the
 * user address limit), -EEXIST (overlaps another slot, or changes more
 * than the flags of a slot in use), -ENOENT (deletes an empty slot).
 */
int nvmx_slot_check(const struct nvmx_slot *table, const struct nvmx_slot *req,
		    const struct nvmx_slot_limits *lim, enum nvmx_slot_op *op)
{
	const struct nvmx_slot *cur;
	u32 i;
	int err;

	if (req->id >= NVMX_MAX_SLOTS || (req->flags & ~NVMX_SLOT_VALID_FLAGS))
		return -EINVAL;
	cur = &table[req->id];
	if (!req->size) {
		*op = NVMX_SLOT_DELETE;
		return cur->size ? 0 : -ENOENT;
	}
	err = nvmx_slot_check_range(req, lim);
	if (err)
		return err;
	if (cur->size) {
		if (cur->gpa != req->gpa || cur->size != req->size ||
		    cur->uaddr != req->uaddr)
			return -EEXIST;
		*op = NVMX_SLOT_FLAGS;
		return 0;
	}
	for (i = 0; i < NVMX_MAX_SLOTS; i++)
		if (i != req->id && table[i].size &&
		    nvmx_overlap(req->gpa, req->size, table[i].gpa,
				 table[i].size))
			return -EEXIST;
	*op = NVMX_SLOT_CREATE;
	return 0;
}

/**
 * nvmx_slot_find() - the slot that holds guest-physical address @gpa
 * @table: the VM's slots
 * @gpa: the address
 *
 * Return: the slot, or NULL when no region covers @gpa (an MMIO address).
 */
const struct nvmx_slot *nvmx_slot_find(const struct nvmx_slot *table, u64 gpa)
{
	u32 i;

	for (i = 0; i < NVMX_MAX_SLOTS; i++)
		if (table[i].size && gpa - table[i].gpa < table[i].size)
			return &table[i];
	return NULL;
}
