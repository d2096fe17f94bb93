// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the guest memory region rules (src/memslots.c). */
#include "kselftest_harness.h"
#include "../../src/memslots.h"

#define MIB	(1ULL << 20)

static const struct nvmx_slot_limits lim = {
	.gpa_limit = 1ULL << 39,
	.uaddr_limit = 0x00007ffffffff000ULL,
};

FIXTURE(slots) {
	struct nvmx_slot table[NVMX_MAX_SLOTS];
};

FIXTURE_SETUP(slots)
{
	memset(self->table, 0, sizeof(self->table));
	/* Slot 0: 1 MiB at guest-physical 1 MiB. */
	self->table[0] = (struct nvmx_slot){ 0, 0, MIB, MIB, 0x10000000 };
}

FIXTURE_TEARDOWN(slots)
{
}

static int check(FIXTURE_DATA(slots) *self, u32 id, u32 flags, u64 gpa,
		 u64 size, u64 uaddr, enum nvmx_slot_op *op)
{
	struct nvmx_slot req = { id, flags, gpa, size, uaddr };

	return nvmx_slot_check(self->table, &req, &lim, op);
}

TEST_F(slots, a_new_region_beside_another_is_created)
{
	enum nvmx_slot_op op = -1;

	EXPECT_EQ(0, check(self, 1, 0, 2 * MIB, MIB, 0x20000000, &op));
	EXPECT_EQ(NVMX_SLOT_CREATE, op);
	EXPECT_EQ(0, check(self, 1, NVMX_SLOT_READONLY, 0, MIB, 0x20000000, &op));
	EXPECT_EQ(NVMX_SLOT_CREATE, op);
}

TEST_F(slots, overlaps_are_refused)
{
	enum nvmx_slot_op op;

	EXPECT_EQ(-EEXIST, check(self, 1, 0, MIB, 4096, 0x20000000, &op));
	EXPECT_EQ(-EEXIST, check(self, 1, 0, 2 * MIB - 4096, 4096, 0x2000000, &op));
	EXPECT_EQ(-EEXIST, check(self, 1, 0, 0, 4 * MIB, 0x20000000, &op));
	EXPECT_EQ(0, check(self, 1, 0, 0, MIB, 0x20000000, &op));
}

TEST_F(slots, misaligned_wrapping_and_out_of_range_requests)
{
	enum nvmx_slot_op op;

	EXPECT_EQ(-EINVAL, check(self, 1, 0, 4 * MIB + 1, MIB, 0x20000000, &op));
	EXPECT_EQ(-EINVAL, check(self, 1, 0, 4 * MIB, MIB + 1, 0x20000000, &op));
	EXPECT_EQ(-EINVAL, check(self, 1, 0, 4 * MIB, MIB, 0x20000001, &op));
	EXPECT_EQ(-EINVAL, check(self, 1, 0, ~0ULL - 4095, 8192, 0x20000000, &op));
	EXPECT_EQ(-EINVAL, check(self, 1, 0, lim.gpa_limit - 4096, 8192,
				 0x20000000, &op));
	EXPECT_EQ(0, check(self, 1, 0, lim.gpa_limit - 4096, 4096, 0x20000000,
			   &op));
	EXPECT_EQ(-EFAULT, check(self, 1, 0, 4 * MIB, 8192, ~0ULL - 4095, &op));
	EXPECT_EQ(-EFAULT, check(self, 1, 0, 4 * MIB, 8192,
				 lim.uaddr_limit - 4096, &op));
	EXPECT_EQ(-EINVAL, check(self, NVMX_MAX_SLOTS, 0, 4 * MIB, MIB,
				 0x20000000, &op));
	EXPECT_EQ(-EINVAL, check(self, 1, 2, 4 * MIB, MIB, 0x20000000, &op));
}

TEST_F(slots, a_slot_in_use_only_changes_flags_or_goes)
{
	enum nvmx_slot_op op = -1;

	EXPECT_EQ(0, check(self, 0, NVMX_SLOT_READONLY, MIB, MIB, 0x10000000,
			   &op));
	EXPECT_EQ(NVMX_SLOT_FLAGS, op);
	EXPECT_EQ(-EEXIST, check(self, 0, 0, 2 * MIB, MIB, 0x10000000, &op));
	EXPECT_EQ(-EEXIST, check(self, 0, 0, MIB, 2 * MIB, 0x10000000, &op));
	EXPECT_EQ(-EEXIST, check(self, 0, 0, MIB, MIB, 0x20000000, &op));
	EXPECT_EQ(0, check(self, 0, 0, 0, 0, 0, &op));
	EXPECT_EQ(NVMX_SLOT_DELETE, op);
	EXPECT_EQ(-ENOENT, check(self, 5, 0, 0, 0, 0, &op));
}

TEST_F(slots, addresses_find_their_slot)
{
	self->table[3] = (struct nvmx_slot){ 3, 0, 0x100000000ULL, MIB, 0 };
	EXPECT_EQ(&self->table[0], nvmx_slot_find(self->table, MIB));
	EXPECT_EQ(&self->table[0], nvmx_slot_find(self->table, 2 * MIB - 1));
	EXPECT_EQ(NULL, nvmx_slot_find(self->table, 2 * MIB));
	EXPECT_EQ(NULL, nvmx_slot_find(self->table, MIB - 1));
	EXPECT_EQ(NULL, nvmx_slot_find(self->table, 0));
	EXPECT_EQ(&self->table[3], nvmx_slot_find(self->table, 0x100000000ULL));
	EXPECT_EQ(NULL, nvmx_slot_find(self->table, ~0ULL));
}

TEST_HARNESS_MAIN
