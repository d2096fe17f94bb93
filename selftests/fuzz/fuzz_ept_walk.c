// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes the walk of L1's EPT (src/nested/ept_walk.c): ept_walk() and
 * ept_eptp_valid() with capabilities, physical-address width, EPTP, L2
 * address and access type from the input, over a fake L1 memory of a few
 * 8-byte words: the four entries the input gives are laid where a walk of
 * that address would read them, more words anywhere, and the rest of
 * memory either unreadable or zero.
 *
 * Invariants:
 * - the result is one of enum ept_walk_result and the walk's level is 1
 *   to 4; the walk reads one 8-byte aligned entry per level from the
 *   EPTP's table down, each below 2^maxphyaddr, and reports the entries
 *   and addresses it read; its rights are the AND of those entries';
 * - EPT_WALK_OK: an L1 address below 2^maxphyaddr with the L2 address's
 *   offset in the page, a 2-MByte or 1-GByte page only where the
 *   capabilities allow it, rights that include the access (with A/D on,
 *   L2's paging-structure accesses need write), accessed and dirty flags
 *   to set only with A/D on and exactly for the entries that lack them;
 * - EPT_WALK_VIOLATION: a qualification with no bit beyond 5: the access
 *   in 2:0, the rights in 5:3, and rights that lack part of the access;
 * - the other results: qualification, address and flags 0;
 * - the walk is deterministic;
 * - ept_eptp_valid() says yes exactly for a memory type the capabilities
 *   allow, a 4-level walk, A/D only if supported, bits 11:7 clear and an
 *   address below 2^maxphyaddr.
 */
#include <string.h>

#include "fuzz.h"
#include "../../src/nested/ept_walk.h"

#define MEM_WORDS	16
#define MEM_LOG		8

struct fake_words {
	unsigned int n;
	u64 gpa[MEM_WORDS];
	u64 val[MEM_WORDS];
	bool zero_fill;		/* unlisted words read as 0, not -EFAULT */
	unsigned int reads;
	u64 log[MEM_LOG];
};

static void mem_add(struct fake_words *m, u64 gpa, u64 val)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->gpa[i] == gpa)
			return;		/* the first word laid there stays */
	if (m->n < MEM_WORDS) {
		m->gpa[m->n] = gpa;
		m->val[m->n++] = val;
	}
}

static int mem_read(void *ctx, u64 gpa, u64 *entry)
{
	struct fake_words *m = ctx;
	unsigned int i;

	if (m->reads < MEM_LOG)
		m->log[m->reads] = gpa;
	m->reads++;
	FUZZ_CHECK(!(gpa & 7));
	for (i = 0; i < m->n; i++) {
		if (m->gpa[i] == gpa) {
			*entry = m->val[i];
			return 0;
		}
	}
	if (!m->zero_fill)
		return -EFAULT;
	*entry = 0;
	return 0;
}

/* Bits maxphyaddr-1:0 (maxphyaddr above 52 counts as 52). */
static u64 below_maxphyaddr(const struct ept_walk_caps *caps)
{
	unsigned int n = caps->maxphyaddr > 52 ? 52 : caps->maxphyaddr;

	return BIT_ULL(n) - 1;
}

static bool same_walk(const struct ept_walk *a, const struct ept_walk *b)
{
	unsigned int l;

	for (l = 0; l < NV_EPT_LEVELS; l++)
		if (a->entries[l] != b->entries[l] ||
		    a->entry_gpa[l] != b->entry_gpa[l])
			return false;
	return a->result == b->result && a->level == b->level &&
	       a->l1_gpa == b->l1_gpa && a->perms == b->perms &&
	       a->qualification == b->qualification &&
	       a->set_accessed == b->set_accessed &&
	       a->set_dirty == b->set_dirty;
}

static bool eptp_valid_model(const struct ept_walk_caps *caps, u64 eptp)
{
	u64 mt = eptp & 7;

	if (!(mt == 0 && caps->memtype_uc) && !(mt == 6 && caps->memtype_wb))
		return false;
	if (((eptp >> 3) & 7) != 3)
		return false;
	if ((eptp & BIT_ULL(6)) && !caps->ad_supported)
		return false;
	if (eptp & 0xf80)
		return false;
	return !(eptp & ~below_maxphyaddr(caps));
}

static void check_walk(const struct ept_walk_caps *caps, u64 eptp, u64 gpa,
		       u8 access, const struct fake_words *m,
		       const struct ept_walk *w)
{
	bool ad = caps->ad_supported && (eptp & NV_EPTP_AD);
	u8 acc = access & NV_EPT_RWX, perms = NV_EPT_RWX;
	u64 limit = below_maxphyaddr(caps), leaf;
	unsigned int l, last;

	if (ad && (access & NV_EPT_GUEST_PAGING))
		acc |= NV_EPT_READ | NV_EPT_WRITE;
	FUZZ_CHECK(w->result == EPT_WALK_OK ||
		   w->result == EPT_WALK_VIOLATION ||
		   w->result == EPT_WALK_MISCONFIG ||
		   w->result == EPT_WALK_FAULT);
	FUZZ_CHECK(w->level >= 1 && w->level <= NV_EPT_LEVELS);

	/* One read per level, from level 4 down to w->level. */
	FUZZ_CHECK(m->reads == NV_EPT_LEVELS + 1 - w->level);
	FUZZ_CHECK(w->entry_gpa[NV_EPT_LEVELS - 1] ==
		   (eptp & limit & ~0xfffULL) +
		   ((gpa >> NV_EPT_LEVEL_SHIFT(NV_EPT_LEVELS)) & 0x1ff) * 8);
	for (l = NV_EPT_LEVELS; l >= 1; l--) {
		if (l < w->level) {
			FUZZ_CHECK(!w->entries[l - 1] && !w->entry_gpa[l - 1]);
			continue;
		}
		FUZZ_CHECK(w->entry_gpa[l - 1] == m->log[NV_EPT_LEVELS - l]);
		FUZZ_CHECK(!(w->entry_gpa[l - 1] & 7));
		FUZZ_CHECK(!((w->entry_gpa[l - 1] & ~0xfffULL) & ~limit));
		FUZZ_CHECK(((w->entry_gpa[l - 1] >> 3) & 0x1ff) ==
			   ((gpa >> NV_EPT_LEVEL_SHIFT(l)) & 0x1ff));
		if (l == w->level && w->result == EPT_WALK_FAULT)
			FUZZ_CHECK(!w->entries[l - 1]);
		else
			perms &= w->entries[l - 1] & NV_EPT_RWX;
	}
	FUZZ_CHECK(w->perms == perms);

	if (w->result != EPT_WALK_OK) {
		FUZZ_CHECK(!w->l1_gpa && !w->set_accessed && !w->set_dirty);
		if (w->result != EPT_WALK_VIOLATION) {
			FUZZ_CHECK(!w->qualification);
			return;
		}
		FUZZ_CHECK(!(w->qualification & ~0x3fULL));
		FUZZ_CHECK((w->qualification & 7) == acc);
		FUZZ_CHECK(w->qualification >> NV_EPT_QUAL_RIGHTS_SHIFT ==
			   w->perms);
		FUZZ_CHECK(!w->perms || (acc & ~w->perms));
		return;
	}

	FUZZ_CHECK(!w->qualification);
	FUZZ_CHECK(w->l1_gpa <= limit);
	FUZZ_CHECK((w->perms & acc) == acc);
	FUZZ_CHECK(w->level < NV_EPT_LEVELS);
	if (w->level == 3)
		FUZZ_CHECK(caps->pages_1g);
	if (w->level == 2)
		FUZZ_CHECK(caps->pages_2m);
	last = NV_EPT_LEVEL_SHIFT(w->level);
	FUZZ_CHECK(!((w->l1_gpa ^ gpa) & (BIT_ULL(last) - 1)));
	if (!ad) {
		FUZZ_CHECK(!w->set_accessed && !w->set_dirty);
		return;
	}
	for (l = 1; l <= NV_EPT_LEVELS; l++) {
		bool want = l >= w->level &&
			    !(w->entries[l - 1] & NV_EPT_ACCESSED);

		FUZZ_CHECK(!!(w->set_accessed & BIT(l - 1)) == want);
	}
	leaf = w->entries[w->level - 1];
	FUZZ_CHECK(w->set_dirty ==
		   ((acc & NV_EPT_WRITE) && !(leaf & NV_EPT_DIRTY)));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ept_walk_caps caps;
	struct fake_words mem, mem2;
	struct ept_walk w, w2;
	u64 eptp, gpa, entry[NV_EPT_LEVELS], table;
	struct fuzz_in in;
	u8 flags, b, access, ptrsel;
	int l;

	fuzz_in_init(&in, data, size);
	flags = fuzz_u8(&in);
	b = fuzz_u8(&in);
	ptrsel = fuzz_u8(&in);
	access = fuzz_u8(&in);
	eptp = fuzz_u64(&in);
	gpa = fuzz_u64(&in);
	for (l = NV_EPT_LEVELS; l >= 1; l--)
		entry[l - 1] = fuzz_u64(&in);

	caps.exec_only = flags & 1;
	caps.memtype_uc = flags & 2;
	caps.memtype_wb = flags & 4;
	caps.pages_2m = flags & 8;
	caps.pages_1g = flags & 16;
	caps.ad_supported = flags & 32;
	/*
	 * Real widths (x86-64 has at least 36 bits), now and then up to 63
	 * (counts as 52). Below 30 bits, the offset in a 1-GByte page alone
	 * could reach beyond the width.
	 */
	caps.maxphyaddr = (b & 0x80) ? 36 + (b & 0x7f) % 28 : 36 + b % 17;

	/* Mostly an EPTP that could pass the VM-entry checks. */
	if (ptrsel & 1)
		eptp = (eptp & below_maxphyaddr(&caps) & ~0xfffULL) |
		       NV_EPTP_PWL4 | ((ptrsel & 2) ? NV_EPTP_MT_WB : 0) |
		       ((ptrsel & 4) ? NV_EPTP_AD : 0);

	memset(&mem, 0, sizeof(mem));
	mem.zero_fill = flags & 64;
	if (!(flags & 128)) {
		/* The entries where a walk of @gpa looks for them. */
		table = eptp & below_maxphyaddr(&caps) & ~0xfffULL;
		for (l = NV_EPT_LEVELS; l >= 1; l--) {
			mem_add(&mem, table + ((gpa >> NV_EPT_LEVEL_SHIFT(l)) &
					       0x1ff) * 8, entry[l - 1]);
			table = entry[l - 1] & below_maxphyaddr(&caps) &
				~0xfffULL;
		}
	}
	while (fuzz_more(&in)) {
		u64 at = fuzz_u64(&in) & ~7ULL;

		mem_add(&mem, at, fuzz_u64(&in));
	}
	mem2 = mem;

	FUZZ_CHECK(ept_eptp_valid(&caps, eptp) ==
		   eptp_valid_model(&caps, eptp));

	memset(&w, 0xa5, sizeof(w));
	memset(&w2, 0x5a, sizeof(w2));
	FUZZ_CHECK(ept_walk(&caps, eptp, gpa, access, mem_read, &mem, &w) ==
		   w.result);
	FUZZ_CHECK(ept_walk(&caps, eptp, gpa, access, mem_read, &mem2, &w2) ==
		   w2.result);
	FUZZ_CHECK(same_walk(&w, &w2));
	FUZZ_CHECK(mem.reads == mem2.reads &&
		   !memcmp(mem.log, mem2.log, sizeof(mem.log)));
	check_walk(&caps, eptp, gpa, access, &mem, &w);
	return 0;
}
