/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory regions ("slots"): the rules a region must follow, as pure
 * code. A region maps @size bytes of userspace memory at @uaddr to guest
 * physical addresses [@gpa, @gpa + @size). The VM's region table and the
 * EPT that follows it come with the VMM.
 */
#ifndef NVMX_MEMSLOTS_H
#define NVMX_MEMSLOTS_H

#include "pure.h"

#define NVMX_MAX_SLOTS		32
#define NVMX_SLOT_READONLY	BIT(0)	/* guest writes exit as MMIO */
#define NVMX_SLOT_VALID_FLAGS	NVMX_SLOT_READONLY

struct nvmx_slot {
	u32 id;
	u32 flags;
	u64 gpa;
	u64 size;	/* 0: the slot is empty */
	u64 uaddr;
};

/* What a request does to the table. */
enum nvmx_slot_op {
	NVMX_SLOT_CREATE,
	NVMX_SLOT_DELETE,
	NVMX_SLOT_FLAGS,	/* same region, other flags */
};

/* The limits a request is checked against. */
struct nvmx_slot_limits {
	u64 gpa_limit;		/* guest-physical addresses must be below */
	u64 uaddr_limit;	/* user addresses must be below (TASK_SIZE) */
};

int nvmx_slot_check(const struct nvmx_slot *table, const struct nvmx_slot *req,
		    const struct nvmx_slot_limits *lim, enum nvmx_slot_op *op);
const struct nvmx_slot *nvmx_slot_find(const struct nvmx_slot *table, u64 gpa);

#endif /* NVMX_MEMSLOTS_H */
