// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the EPT12 walk (src/nested/ept_walk.c): translations of
 * each page size, not-present entries, every kind of misconfiguration at
 * every level, rights, exit qualifications, A/D flags, unreadable entries
 * and the EPTP checks.
 */
#include "kselftest_harness.h"
#include "../../src/nested/ept_walk.h"
#include "fake_mem.h"

#define R NV_EPT_READ
#define W NV_EPT_WRITE
#define X NV_EPT_EXEC
#define RWX NV_EPT_RWX
#define WB_LEAF (6ULL << 3)		/* leaf memory type WB */

/* Entries of L1's EPT tables; a missing page cannot be read. */
static int fake_read(void *ctx, u64 gpa, u64 *entry)
{
	u64 *w = fake_word(ctx, gpa);

	if (!w)
		return -EFAULT;
	*entry = *w;
	return 0;
}

/* Where the standard tables are, and the L2 address they translate. */
#define PML4 0x1000ULL
#define PDPT 0x2000ULL
#define PD 0x3000ULL
#define PT 0x4000ULL
#define I4 0x101ULL		/* the indices of GPA at each level */
#define I3 0x1f2ULL
#define I2 0x183ULL
#define I1 0x1c4ULL
#define GPA (I4 << 39 | I3 << 30 | I2 << 21 | I1 << 12 | 0x567)
#define PAGE_4K 0xabcde000ULL
#define PAGE_2M 0x7fe00000ULL
#define PAGE_1G 0x40000000ULL

FIXTURE(ept) {
	struct fake_mem mem;
	struct ept_walk_caps caps;
	struct ept_walk w;
	u64 eptp;
	u64 *pml4e, *pdpte, *pde, *pte;
	u64 *entry[NV_EPT_LEVELS + 1];	/* entry[l]: the standard entry at l */
};

/* PML4E -> PDPTE -> PDE -> PTE -> PAGE_4K, all RWX; everything allowed. */
FIXTURE_SETUP(ept)
{
	struct fake_mem *m = &self->mem;

	memset(m, 0, sizeof(*m));
	self->caps = (struct ept_walk_caps){
		.exec_only = true, .memtype_uc = true, .memtype_wb = true,
		.pages_2m = true, .pages_1g = true, .ad_supported = true,
		.maxphyaddr = 39,
	};
	self->eptp = PML4 | NV_EPTP_PWL4 | NV_EPTP_MT_WB;
	self->pml4e = &fake_page(m, PML4)[I4];
	self->pdpte = &fake_page(m, PDPT)[I3];
	self->pde = &fake_page(m, PD)[I2];
	self->pte = &fake_page(m, PT)[I1];
	*self->pml4e = PDPT | RWX;
	*self->pdpte = PD | RWX;
	*self->pde = PT | RWX;
	*self->pte = PAGE_4K | WB_LEAF | RWX;
	self->entry[4] = self->pml4e;
	self->entry[3] = self->pdpte;
	self->entry[2] = self->pde;
	self->entry[1] = self->pte;
}

FIXTURE_TEARDOWN(ept)
{
	EXPECT_FALSE(self->mem.misaligned);
}

static enum ept_walk_result walk(FIXTURE_DATA(ept) *self, u8 access)
{
	return ept_walk(&self->caps, self->eptp, GPA, access, fake_read,
			&self->mem, &self->w);
}

TEST_F(ept, translates_a_4k_page_with_its_offset)
{
	ASSERT_EQ(EPT_WALK_OK, walk(self, R));
	EXPECT_EQ(EPT_WALK_OK, self->w.result);
	EXPECT_EQ(1, self->w.level);
	EXPECT_EQ(PAGE_4K | 0x567, self->w.l1_gpa);
	EXPECT_EQ(RWX, self->w.perms);
	EXPECT_EQ(0, self->w.qualification);
	EXPECT_EQ(PDPT | RWX, self->w.entries[3]);
	EXPECT_EQ(PD | RWX, self->w.entries[2]);
	EXPECT_EQ(PT | RWX, self->w.entries[1]);
	EXPECT_EQ(PAGE_4K | WB_LEAF | RWX, self->w.entries[0]);
	EXPECT_EQ(PML4 + I4 * 8, self->w.entry_gpa[3]);
	EXPECT_EQ(PDPT + I3 * 8, self->w.entry_gpa[2]);
	EXPECT_EQ(PD + I2 * 8, self->w.entry_gpa[1]);
	EXPECT_EQ(PT + I1 * 8, self->w.entry_gpa[0]);
	EXPECT_EQ(4, self->mem.reads);
	/* A/D not enabled in the EPTP: nothing to write back. */
	EXPECT_EQ(0, self->w.set_accessed);
	EXPECT_FALSE(self->w.set_dirty);
}

TEST_F(ept, translates_a_2m_page_with_its_offset)
{
	*self->pde = PAGE_2M | NV_EPT_PAGE_SIZE | WB_LEAF | RWX;
	ASSERT_EQ(EPT_WALK_OK, walk(self, W));
	EXPECT_EQ(2, self->w.level);
	EXPECT_EQ(PAGE_2M | (GPA & 0x1fffff), self->w.l1_gpa);
	EXPECT_EQ(0, self->w.entries[0]);
	EXPECT_EQ(3, self->mem.reads);
}

TEST_F(ept, translates_a_1g_page_with_its_offset)
{
	*self->pdpte = PAGE_1G | NV_EPT_PAGE_SIZE | WB_LEAF | RWX;
	ASSERT_EQ(EPT_WALK_OK, walk(self, X));
	EXPECT_EQ(3, self->w.level);
	EXPECT_EQ(PAGE_1G | (GPA & 0x3fffffff), self->w.l1_gpa);
	EXPECT_EQ(2, self->mem.reads);
}

TEST_F(ept, bit7_of_a_pte_and_ignored_high_bits_do_not_matter)
{
	*self->pte |= NV_EPT_PAGE_SIZE | BIT_ULL(6) | BIT_ULL(11) |
		      BIT_ULL(52) | BIT_ULL(63);
	*self->pml4e |= BIT_ULL(9) | BIT_ULL(62);
	ASSERT_EQ(EPT_WALK_OK, walk(self, R));
	EXPECT_EQ(PAGE_4K | 0x567, self->w.l1_gpa);
}

TEST_F(ept, address_bits_above_48_are_not_translated)
{
	ASSERT_EQ(EPT_WALK_OK,
		  ept_walk(&self->caps, self->eptp, GPA | BIT_ULL(48) | BIT_ULL(63),
			   R, fake_read, &self->mem, &self->w));
	EXPECT_EQ(PAGE_4K | 0x567, self->w.l1_gpa);
}

TEST_F(ept, not_present_entries_are_violations_at_their_level)
{
	static const u8 accesses[] = { R, W, X };
	unsigned int l, i;

	for (l = 1; l <= NV_EPT_LEVELS; l++) {
		for (i = 0; i < ARRAY_SIZE(accesses); i++) {
			u64 saved = *self->entry[l];

			/* Reserved bits of a non-present entry are not checked. */
			*self->entry[l] = (saved & ~(u64)RWX) | (0x3ULL << 3) |
					  BIT_ULL(45);
			ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, accesses[i]));
			EXPECT_EQ(l, self->w.level);
			EXPECT_EQ(0, self->w.perms);
			EXPECT_EQ(accesses[i], self->w.qualification);
			EXPECT_EQ(0, self->w.l1_gpa);
			*self->entry[l] = saved;
		}
	}
}

TEST_F(ept, write_without_read_is_a_misconfiguration_at_each_level)
{
	static const u64 bad[] = { W, W | X };
	unsigned int l, i;

	for (l = 1; l <= NV_EPT_LEVELS; l++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			u64 saved = *self->entry[l];

			*self->entry[l] = (saved & ~(u64)RWX) | bad[i];
			ASSERT_EQ(EPT_WALK_MISCONFIG, walk(self, X));
			EXPECT_EQ(l, self->w.level);
			EXPECT_EQ(0, self->w.qualification);
			*self->entry[l] = saved;
		}
	}
}

TEST_F(ept, execute_only_needs_the_capability_at_each_level)
{
	unsigned int l;

	for (l = 1; l <= NV_EPT_LEVELS; l++) {
		u64 saved = *self->entry[l];

		*self->entry[l] = (saved & ~(u64)RWX) | X;
		self->caps.exec_only = false;
		ASSERT_EQ(EPT_WALK_MISCONFIG, walk(self, X));
		EXPECT_EQ(l, self->w.level);
		self->caps.exec_only = true;
		ASSERT_EQ(EPT_WALK_OK, walk(self, X));
		EXPECT_EQ(X, self->w.perms);
		ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, R));
		EXPECT_EQ(1, self->w.level);
		EXPECT_EQ(R | X << NV_EPT_QUAL_RIGHTS_SHIFT,
			  self->w.qualification);
		*self->entry[l] = saved;
	}
}

/* Expect @bit set in the entry at @l to be a misconfiguration there. */
static void expect_reserved(struct __test_metadata *_metadata,
			    FIXTURE_DATA(ept) *self, unsigned int l,
			    unsigned int bit)
{
	*self->entry[l] ^= BIT_ULL(bit);
	EXPECT_EQ(EPT_WALK_MISCONFIG, walk(self, R)) {
		TH_LOG("level %u bit %u", l, bit);
	}
	EXPECT_EQ(l, self->w.level);
	*self->entry[l] ^= BIT_ULL(bit);
}

TEST_F(ept, reserved_bits_of_non_leaf_entries_are_misconfigurations)
{
	unsigned int b;

	for (b = 3; b <= 7; b++)
		expect_reserved(_metadata, self, 4, b);
	for (b = 3; b <= 6; b++) {
		expect_reserved(_metadata, self, 3, b);
		expect_reserved(_metadata, self, 2, b);
	}
}

TEST_F(ept, address_bits_above_maxphyaddr_are_misconfigurations)
{
	unsigned int l, b;

	for (l = 1; l <= NV_EPT_LEVELS; l++)
		for (b = self->caps.maxphyaddr; b <= 51; b++)
			expect_reserved(_metadata, self, l, b);
	/* Bit 38 is an address bit: the walk goes on to read there. */
	*self->pde |= BIT_ULL(38);
	EXPECT_EQ(EPT_WALK_FAULT, walk(self, R));
	EXPECT_EQ(PT + I1 * 8 + BIT_ULL(38), self->w.entry_gpa[0]);
	/* A wider L1 makes bit 45 an address bit too. */
	*self->pde &= ~BIT_ULL(38);
	*self->pte |= BIT_ULL(45);
	self->caps.maxphyaddr = 46;
	ASSERT_EQ(EPT_WALK_OK, walk(self, R));
	EXPECT_EQ(BIT_ULL(45) | PAGE_4K | 0x567, self->w.l1_gpa);
}

TEST_F(ept, reserved_bits_of_large_pages_are_misconfigurations)
{
	unsigned int b;

	*self->pdpte = PAGE_1G | NV_EPT_PAGE_SIZE | WB_LEAF | RWX;
	for (b = 12; b <= 29; b++)
		expect_reserved(_metadata, self, 3, b);
	for (b = self->caps.maxphyaddr; b <= 51; b++)
		expect_reserved(_metadata, self, 3, b);
	*self->pdpte = PD | RWX;
	*self->pde = PAGE_2M | NV_EPT_PAGE_SIZE | WB_LEAF | RWX;
	for (b = 12; b <= 20; b++)
		expect_reserved(_metadata, self, 2, b);
	for (b = self->caps.maxphyaddr; b <= 51; b++)
		expect_reserved(_metadata, self, 2, b);
}

TEST_F(ept, leaf_memory_types_2_3_7_are_misconfigurations)
{
	static const bool bad[8] = { [2] = true, [3] = true, [7] = true };
	u64 leaf[4] = {
		[1] = PAGE_4K | RWX,
		[2] = PAGE_2M | NV_EPT_PAGE_SIZE | RWX,
		[3] = PAGE_1G | NV_EPT_PAGE_SIZE | RWX,
	};
	unsigned int l, mt;

	for (l = 1; l <= 3; l++) {
		for (mt = 0; mt < 8; mt++) {
			u64 saved = *self->entry[l];

			*self->entry[l] = leaf[l] | (u64)mt << 3;
			EXPECT_EQ(bad[mt] ? EPT_WALK_MISCONFIG : EPT_WALK_OK,
				  walk(self, R)) {
				TH_LOG("level %u memory type %u", l, mt);
			}
			EXPECT_EQ(l, self->w.level);
			*self->entry[l] = saved;
		}
	}
}

TEST_F(ept, large_pages_need_the_capabilities)
{
	*self->pml4e |= NV_EPT_PAGE_SIZE;
	ASSERT_EQ(EPT_WALK_MISCONFIG, walk(self, R));
	EXPECT_EQ(4, self->w.level);
	*self->pml4e &= ~NV_EPT_PAGE_SIZE;

	*self->pdpte = PAGE_1G | NV_EPT_PAGE_SIZE | WB_LEAF | RWX;
	self->caps.pages_1g = false;
	ASSERT_EQ(EPT_WALK_MISCONFIG, walk(self, R));
	EXPECT_EQ(3, self->w.level);
	self->caps.pages_1g = true;
	*self->pdpte = PD | RWX;

	*self->pde = PAGE_2M | NV_EPT_PAGE_SIZE | WB_LEAF | RWX;
	self->caps.pages_2m = false;
	ASSERT_EQ(EPT_WALK_MISCONFIG, walk(self, R));
	EXPECT_EQ(2, self->w.level);
	/* 1-GByte pages do not imply 2-MByte ones, nor the reverse. */
	self->caps.pages_2m = true;
	self->caps.pages_1g = false;
	ASSERT_EQ(EPT_WALK_OK, walk(self, R));
}

TEST_F(ept, rights_are_anded_across_levels)
{
	*self->pde &= ~(u64)W;
	ASSERT_EQ(EPT_WALK_OK, walk(self, R));
	EXPECT_EQ(R | X, self->w.perms);
	ASSERT_EQ(EPT_WALK_OK, walk(self, X));
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, W));
	EXPECT_EQ(1, self->w.level);
	EXPECT_EQ(R | X, self->w.perms);
	EXPECT_EQ(W | (R | X) << NV_EPT_QUAL_RIGHTS_SHIFT, self->w.qualification);
	EXPECT_EQ(0, self->w.l1_gpa);

	*self->pml4e &= ~(u64)X;
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, X));
	EXPECT_EQ(X | R << NV_EPT_QUAL_RIGHTS_SHIFT, self->w.qualification);
	ASSERT_EQ(EPT_WALK_OK, walk(self, R));
	EXPECT_EQ(R, self->w.perms);
}

TEST_F(ept, qualification_names_the_access_and_the_rights)
{
	*self->pte = PAGE_4K | WB_LEAF | R;
	ASSERT_EQ(EPT_WALK_OK, walk(self, R));
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, W));
	EXPECT_EQ(0x0a, self->w.qualification);	/* write; readable */
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, X));
	EXPECT_EQ(0x0c, self->w.qualification);	/* fetch; readable */

	*self->pte = PAGE_4K | WB_LEAF | R | W;
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, X));
	EXPECT_EQ(0x1c, self->w.qualification);	/* fetch; readable, writable */

	*self->pte = PAGE_4K | WB_LEAF | X;
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, R));
	EXPECT_EQ(0x21, self->w.qualification);	/* read; executable */
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, W));
	EXPECT_EQ(0x22, self->w.qualification);	/* write; executable */
}

TEST_F(ept, a_misconfiguration_wins_over_missing_rights)
{
	*self->pml4e &= ~(u64)(W | X);
	*self->pte = PAGE_4K | RWX | 2ULL << 3;
	ASSERT_EQ(EPT_WALK_MISCONFIG, walk(self, W));
	EXPECT_EQ(1, self->w.level);
	EXPECT_EQ(0, self->w.qualification);
}

TEST_F(ept, accessed_and_dirty_flags_are_reported_when_enabled)
{
	self->eptp |= NV_EPTP_AD;
	ASSERT_EQ(EPT_WALK_OK, walk(self, R));
	EXPECT_EQ(0xf, self->w.set_accessed);
	EXPECT_FALSE(self->w.set_dirty);
	ASSERT_EQ(EPT_WALK_OK, walk(self, X));
	EXPECT_FALSE(self->w.set_dirty);
	ASSERT_EQ(EPT_WALK_OK, walk(self, W));
	EXPECT_EQ(0xf, self->w.set_accessed);
	EXPECT_TRUE(self->w.set_dirty);

	/* Flags already set need no write. */
	*self->pml4e |= NV_EPT_ACCESSED;
	*self->pte |= NV_EPT_ACCESSED | NV_EPT_DIRTY;
	ASSERT_EQ(EPT_WALK_OK, walk(self, W));
	EXPECT_EQ(0x6, self->w.set_accessed);
	EXPECT_FALSE(self->w.set_dirty);

	/* A 2-MByte leaf: three levels, the dirty flag in the PDE. */
	*self->pde = PAGE_2M | NV_EPT_PAGE_SIZE | WB_LEAF | RWX;
	ASSERT_EQ(EPT_WALK_OK, walk(self, W));
	EXPECT_EQ(0x6, self->w.set_accessed);
	EXPECT_TRUE(self->w.set_dirty);
	*self->pde |= NV_EPT_DIRTY;
	ASSERT_EQ(EPT_WALK_OK, walk(self, W));
	EXPECT_FALSE(self->w.set_dirty);
}

TEST_F(ept, failed_walks_report_no_accessed_or_dirty_flags)
{
	self->eptp |= NV_EPTP_AD;
	*self->pte &= ~(u64)W;
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, W));
	EXPECT_EQ(0, self->w.set_accessed);
	EXPECT_FALSE(self->w.set_dirty);
	*self->pte = 0;
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, R));
	EXPECT_EQ(0, self->w.set_accessed);
}

TEST_F(ept, ad_bit_is_ignored_without_the_capability)
{
	self->eptp |= NV_EPTP_AD;
	self->caps.ad_supported = false;
	ASSERT_EQ(EPT_WALK_OK, walk(self, W | NV_EPT_GUEST_PAGING));
	EXPECT_EQ(0, self->w.set_accessed);
	EXPECT_FALSE(self->w.set_dirty);
}

TEST_F(ept, guest_paging_accesses_are_writes_only_with_ad)
{
	*self->pte = PAGE_4K | WB_LEAF | R;
	/* Without A/D: a read of L2's page tables is a read. */
	ASSERT_EQ(EPT_WALK_OK, walk(self, R | NV_EPT_GUEST_PAGING));
	EXPECT_EQ(0, self->w.set_accessed);

	self->eptp |= NV_EPTP_AD;
	ASSERT_EQ(EPT_WALK_VIOLATION, walk(self, R | NV_EPT_GUEST_PAGING));
	EXPECT_EQ(0x0b, self->w.qualification);	/* read and write; readable */

	*self->pte |= W;
	ASSERT_EQ(EPT_WALK_OK, walk(self, R | NV_EPT_GUEST_PAGING));
	EXPECT_EQ(0xf, self->w.set_accessed);
	EXPECT_TRUE(self->w.set_dirty);
}

TEST_F(ept, unreadable_entries_are_faults_at_their_level)
{
	static const u64 tables[] = { [1] = PT, [2] = PD, [3] = PDPT, [4] = PML4 };
	static const u64 index[] = { [1] = I1, [2] = I2, [3] = I3, [4] = I4 };
	unsigned int l, i;

	for (l = 1; l <= NV_EPT_LEVELS; l++) {
		for (i = 0; i < self->mem.n; i++)
			if (self->mem.gpa[i] == tables[l])
				self->mem.gpa[i] = 0x100000;	/* gone */
		ASSERT_EQ(EPT_WALK_FAULT, walk(self, R));
		EXPECT_EQ(l, self->w.level);
		EXPECT_EQ(tables[l] + index[l] * 8, self->w.entry_gpa[l - 1]);
		EXPECT_EQ(0, self->w.entries[l - 1]);
		EXPECT_EQ(0, self->w.qualification);
		EXPECT_EQ(NV_EPT_LEVELS - l + 1, self->mem.reads);
		for (i = 0; i < self->mem.n; i++)
			if (self->mem.gpa[i] == 0x100000)
				self->mem.gpa[i] = tables[l];
		self->mem.reads = 0;
	}
}

TEST_F(ept, eptp_address_is_masked_to_maxphyaddr)
{
	ASSERT_EQ(EPT_WALK_OK,
		  ept_walk(&self->caps, self->eptp | (0x1fULL << 7) | BIT_ULL(45),
			   GPA, R, fake_read, &self->mem, &self->w));
	EXPECT_EQ(PML4 + I4 * 8, self->w.entry_gpa[3]);
}

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Mostly plausible entries (pointing at one of the four fake pages, random
 * rights, memory type and page size, now and then a random high bit), one
 * in eight all noise.
 */
static u64 random_entry(u64 *s)
{
	u64 r = xorshift(s), e;

	if (r % 8 == 0)
		return xorshift(s);
	e = (1 + (r >> 3) % 4) << 12 | (r >> 6 & 7);
	if (r >> 9 & 3)
		e |= R;
	if ((r >> 11) % 4 == 0)
		e |= NV_EPT_PAGE_SIZE | WB_LEAF;
	if ((r >> 13) % 8 == 0)
		e |= (r >> 16 & 7) << 3;
	if ((r >> 19) % 8 == 0)
		e |= BIT_ULL(r >> 22 & 63);
	return e;
}

/* Random tables: no out-of-bounds access, consistent outcomes, all kinds. */
TEST_F(ept, random_tables_give_consistent_results)
{
	static const u8 maxphy[] = { 0, 39, 46, 52, 64, 255 };
	unsigned int seen[EPT_WALK_FAULT + 1] = { 0 };
	struct ept_walk *w = &self->w;
	u64 s = 0x9e3779b97f4a7c15ULL, gpa, offset;
	unsigned int iter, i, j;
	u8 access;

	for (iter = 0; iter < 20000; iter++) {
		for (i = 0; i < self->mem.n; i++)
			for (j = 0; j < 4; j++)
				self->mem.page[i][xorshift(&s) % 4] =
					random_entry(&s);
		xorshift(&s);
		self->caps.maxphyaddr = maxphy[iter % ARRAY_SIZE(maxphy)];
		self->caps.exec_only = s & 2;
		self->caps.pages_2m = s & 4;
		self->caps.pages_1g = s & 8;
		/* Indices 0-3 at every level, where the random entries are. */
		gpa = s & (3ULL << 39 | 3ULL << 30 | 3ULL << 21 | 0x3fffULL);
		access = s >> 56 & ~NV_EPT_GUEST_PAGING;
		ept_walk(&self->caps, random_entry(&s) | (s & NV_EPTP_AD), gpa,
			 access, fake_read, &self->mem, w);
		ASSERT_LE(w->result, EPT_WALK_FAULT);
		seen[w->result]++;
		ASSERT_GE(w->level, 1);
		ASSERT_LE(w->level, NV_EPT_LEVELS);
		ASSERT_EQ(0, w->perms & ~RWX);
		if (w->result == EPT_WALK_OK) {
			offset = BIT_ULL(NV_EPT_LEVEL_SHIFT(w->level)) - 1;
			ASSERT_EQ(gpa & offset, w->l1_gpa & offset);
			ASSERT_EQ(access & RWX, access & w->perms);
		} else {
			ASSERT_EQ(0, w->l1_gpa | w->set_accessed | w->set_dirty);
		}
		if (w->result == EPT_WALK_VIOLATION) {
			ASSERT_EQ(w->perms, w->qualification >> 3);
		} else {
			ASSERT_EQ(0, w->qualification);
		}
	}
	for (i = 0; i < ARRAY_SIZE(seen); i++) {
		EXPECT_LT(100, seen[i]) {
			TH_LOG("result %u seen %u times", i, seen[i]);
		}
	}
}

static struct ept_walk_caps eptp_caps(void)
{
	return (struct ept_walk_caps){
		.memtype_wb = true, .ad_supported = true, .maxphyaddr = 46,
	};
}

TEST(eptp_memory_type_must_be_offered)
{
	struct ept_walk_caps caps = eptp_caps();
	u64 mt;

	for (mt = 0; mt < 8; mt++) {
		EXPECT_EQ(mt == 6,
			  ept_eptp_valid(&caps, 0x5000 | NV_EPTP_PWL4 | mt));
	}
	caps.memtype_uc = true;
	EXPECT_TRUE(ept_eptp_valid(&caps, 0x5000 | NV_EPTP_PWL4 | NV_EPTP_MT_UC));
	caps.memtype_wb = false;
	EXPECT_FALSE(ept_eptp_valid(&caps, 0x5000 | NV_EPTP_PWL4 | NV_EPTP_MT_WB));
	EXPECT_TRUE(ept_eptp_valid(&caps, 0x5000 | NV_EPTP_PWL4 | NV_EPTP_MT_UC));
}

TEST(eptp_walk_length_must_be_4)
{
	struct ept_walk_caps caps = eptp_caps();
	u64 pwl;

	for (pwl = 0; pwl < 8; pwl++) {
		EXPECT_EQ(pwl == 3, ept_eptp_valid(&caps, 0x5000 | pwl << 3 |
						   NV_EPTP_MT_WB));
	}
}

TEST(eptp_ad_enable_needs_the_capability)
{
	struct ept_walk_caps caps = eptp_caps();
	u64 eptp = 0x5000 | NV_EPTP_AD | NV_EPTP_PWL4 | NV_EPTP_MT_WB;

	EXPECT_TRUE(ept_eptp_valid(&caps, eptp));
	caps.ad_supported = false;
	EXPECT_FALSE(ept_eptp_valid(&caps, eptp));
	EXPECT_TRUE(ept_eptp_valid(&caps, eptp & ~NV_EPTP_AD));
}

TEST(eptp_reserved_bits_must_be_zero)
{
	struct ept_walk_caps caps = eptp_caps();
	u64 eptp = NV_EPTP_PWL4 | NV_EPTP_MT_WB;
	unsigned int b;

	for (b = 7; b < 64; b++) {
		EXPECT_EQ(b >= 12 && b < 46,
			  ept_eptp_valid(&caps, eptp | BIT_ULL(b))) {
			TH_LOG("bit %u", b);
		}
	}
	caps.maxphyaddr = 52;
	EXPECT_TRUE(ept_eptp_valid(&caps, eptp | BIT_ULL(51)));
	EXPECT_FALSE(ept_eptp_valid(&caps, eptp | BIT_ULL(52)));
	caps.maxphyaddr = 200;	/* counts as 52 */
	EXPECT_TRUE(ept_eptp_valid(&caps, eptp | BIT_ULL(51)));
	EXPECT_FALSE(ept_eptp_valid(&caps, eptp | BIT_ULL(52)));
}

TEST_HARNESS_MAIN
