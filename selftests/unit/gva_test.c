// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the guest linear to guest-physical walk (src/emul/gva.c):
 * paging off, 32-bit paging with 4 KByte and 4 MByte (PSE-36) pages, PAE
 * paging, 4-level paging with every page size, non-canonical addresses,
 * not-present and reserved-bit faults at each level, access rights (U/S,
 * R/W with CR0.WP, XD with EFER.NXE, SMEP, SMAP) and the error codes.
 */
#include "kselftest_harness.h"
#include "../../src/emul/gva.h"
#include "fake_mem.h"

#define P	NVMX_PF_PRESENT
#define W	NVMX_PF_WRITE
#define U	NVMX_PF_USER
#define RSVD	NVMX_PF_RSVD
#define ID	NVMX_PF_FETCH
#define PRWUS	(NVMX_PTE_P | NVMX_PTE_RW | NVMX_PTE_US)
#define PS	NVMX_PTE_PS
#define XD	NVMX_PTE_XD

/* The guest's page tables; a missing page, or fail_gpa, cannot be read. */
static int fake_read(void *ctx, u64 gpa, u64 *val)
{
	struct fake_mem *m = ctx;
	u64 *w = fake_word(m, gpa);

	if (m->fail_gpa && gpa == m->fail_gpa)
		return m->fail_err;
	if (!w)
		return -ENOENT;
	*val = *w;
	return 0;
}

/* The 8-byte entry at @gpa. */
static u64 *e64(struct fake_mem *m, u64 gpa)
{
	return &fake_page(m, gpa & ~0xfffULL)[(gpa & 0xfff) / 8];
}

/* Store the 4-byte entry at @gpa (32-bit paging), little-endian. */
static void set32(struct fake_mem *m, u64 gpa, u32 v)
{
	u64 *q = e64(m, gpa);
	unsigned int shift = (gpa & 4) ? 32 : 0;

	*q = (*q & ~(0xffffffffULL << shift)) | (u64)v << shift;
}

/* 32-bit paging: PD at PD32, PT at PT32; VA32 has odd indices, VA32E even. */
#define PD32	0x10000ULL
#define PT32	0x11000ULL
#define PAGE32	0x345000ULL
#define VA32	(0x2c1ULL << 22 | 0xf3ULL << 12 | 0x9ab)
#define VA32E	(0x2c0ULL << 22 | 0xf2ULL << 12 | 0x123)
#define PDE32(va)	(PD32 + ((va) >> 22) * 4)
#define PTE32(va)	(PT32 + (((va) >> 12) & 0x3ff) * 4)

/* PAE paging: CR3 bits 31:5 point at the PDPT, in the page at 0x20000. */
#define CR3PAE	0x20fe0ULL
#define PDPAE	0x21000ULL
#define PTPAE	0x22000ULL
#define PAGEPAE	0x987654000ULL
#define VAPAE	(2ULL << 30 | 0x1a3ULL << 21 | 0xc5ULL << 12 | 0x9ab)
#define PDPTE_PAE	(CR3PAE + 2 * 8)
#define PDE_PAE		(PDPAE + 0x1a3 * 8)
#define PTE_PAE		(PTPAE + 0xc5 * 8)

/* 4-level paging. */
#define PML4	0x30000ULL
#define PDPT	0x31000ULL
#define PD	0x32000ULL
#define PT	0x33000ULL
#define I4	0x0a5ULL
#define I3	0x1f2ULL
#define I2	0x183ULL
#define I1	0x1c4ULL
#define VA	(I4 << 39 | I3 << 30 | I2 << 21 | I1 << 12 | 0x9ab)
#define PAGE_4K	0x1234567000ULL
#define PAGE_2M	0x7fffe00000ULL
#define PAGE_1G	0x4040000000ULL

FIXTURE(gva) {
	struct fake_mem mem;
	struct nvmx_paging pg;
	u64 gpa;
	u32 pfec;
	u64 *pml4e, *pdpte, *pde, *pte;
	u64 *entry[5];		/* entry[l]: the 4-level entry at level l */
};

/*
 * All three layouts at once, every entry present, writable and user;
 * the paging state is 4-level with MAXPHYADDR 40 until a test changes it.
 */
FIXTURE_SETUP(gva)
{
	struct fake_mem *m = &self->mem;

	memset(m, 0, sizeof(*m));
	set32(m, PDE32(VA32), PT32 | PRWUS);
	set32(m, PDE32(VA32E), PT32 | PRWUS);
	set32(m, PTE32(VA32), PAGE32 | PRWUS);
	set32(m, PTE32(VA32E), (PAGE32 + 0x1000) | PRWUS);

	*e64(m, PDPTE_PAE) = PDPAE | NVMX_PTE_P;
	*e64(m, PDE_PAE) = PTPAE | PRWUS;
	*e64(m, PTE_PAE) = PAGEPAE | PRWUS;

	self->pml4e = e64(m, PML4 + I4 * 8);
	self->pdpte = e64(m, PDPT + I3 * 8);
	self->pde = e64(m, PD + I2 * 8);
	self->pte = e64(m, PT + I1 * 8);
	*self->pml4e = PDPT | PRWUS;
	*self->pdpte = PD | PRWUS;
	*self->pde = PT | PRWUS;
	*self->pte = PAGE_4K | PRWUS;
	self->entry[4] = self->pml4e;
	self->entry[3] = self->pdpte;
	self->entry[2] = self->pde;
	self->entry[1] = self->pte;

	self->pg = (struct nvmx_paging){
		.cr0 = NVMX_CR0_PG | NVMX_CR0_WP | 1,
		.cr3 = PML4,
		.cr4 = NVMX_CR4_PAE,
		.efer = NVMX_EFER_LMA | BIT(8),	/* LME */
		.maxphyaddr = 40,
	};
}

FIXTURE_TEARDOWN(gva)
{
	EXPECT_FALSE(self->mem.misaligned);
}

static void mode32(struct nvmx_paging *pg)
{
	pg->cr3 = PD32;
	pg->cr4 = 0;
	pg->efer = 0;
}

static void mode_pae(struct nvmx_paging *pg)
{
	pg->cr3 = CR3PAE;
	pg->cr4 = NVMX_CR4_PAE;
	pg->efer = 0;
}

#define GPA_UNSET	0x5a5a5a5a5a5a5a5aULL
#define PFEC_UNSET	0xa5a5a5a5U

static int xlate(const struct nvmx_paging *pg, struct fake_mem *m, u64 va,
		 u32 access, u64 *gpa, u32 *pfec)
{
	*gpa = GPA_UNSET;
	*pfec = PFEC_UNSET;
	m->reads = 0;
	return nvmx_gva_to_gpa(pg, va, access, fake_read, m, gpa, pfec);
}

/* Translate with the test's state, into self->gpa and self->pfec. */
#define XLATE(va, access) \
	xlate(&self->pg, &self->mem, va, access, &self->gpa, &self->pfec)

/* The walk faults with error code @code and leaves *gpa alone. */
#define EXPECT_PF(va, access, code) do {				\
		EXPECT_EQ(-EFAULT, XLATE(va, access));			\
		EXPECT_EQ(code, self->pfec);				\
		EXPECT_EQ(GPA_UNSET, self->gpa);			\
	} while (0)

/* The walk translates to @addr and leaves the error code alone. */
#define EXPECT_GPA(va, access, addr) do {				\
		EXPECT_EQ(0, XLATE(va, access));			\
		EXPECT_EQ(addr, self->gpa);				\
		EXPECT_EQ(PFEC_UNSET, self->pfec);			\
	} while (0)

TEST_F(gva, paging_off_is_the_identity_on_32_bits)
{
	self->pg.cr0 = 1;
	EXPECT_GPA(0xfee00040, NVMX_GVA_WRITE, 0xfee00040);
	EXPECT_GPA(0x123456789ULL, 0, 0x23456789);
	EXPECT_GPA(VA, NVMX_GVA_USER | NVMX_GVA_FETCH, (u32)VA);
	EXPECT_EQ(0, self->mem.reads);
}

TEST_F(gva, paging32_4k_reads_both_halves_of_8_byte_words)
{
	mode32(&self->pg);
	EXPECT_GPA(VA32, 0, PAGE32 | 0x9ab);
	EXPECT_EQ(2, self->mem.reads);
	EXPECT_EQ(PDE32(VA32) & ~7ULL, self->mem.log[0]);
	EXPECT_EQ(PTE32(VA32) & ~7ULL, self->mem.log[1]);
	/* Even indices: the low halves, next to present odd entries. */
	EXPECT_GPA(VA32E, NVMX_GVA_WRITE | NVMX_GVA_USER,
		   PAGE32 + 0x1000 + 0x123);
	/* Outside IA-32e mode only bits 31:0 of the address count. */
	EXPECT_GPA(VA32 | BIT_ULL(40), 0, PAGE32 | 0x9ab);
}

TEST_F(gva, paging32_ps_without_cr4_pse_is_a_table_pointer)
{
	mode32(&self->pg);
	set32(&self->mem, PDE32(VA32), PT32 | PS | PRWUS);
	EXPECT_GPA(VA32, 0, PAGE32 | 0x9ab);
	EXPECT_EQ(2, self->mem.reads);
}

TEST_F(gva, paging32_4m_pages_with_pse36)
{
	mode32(&self->pg);
	self->pg.cr4 = NVMX_CR4_PSE;
	set32(&self->mem, PDE32(VA32), 0x0fc00000 | PS | PRWUS);
	EXPECT_GPA(VA32, 0, 0x0fc00000ULL | (VA32 & 0x3fffff));
	EXPECT_EQ(1, self->mem.reads);
	/* Bit 12 is PAT, not address. */
	set32(&self->mem, PDE32(VA32), 0x0fc00000 | BIT(12) | PS | PRWUS);
	EXPECT_GPA(VA32, 0, 0x0fc00000ULL | (VA32 & 0x3fffff));

	/* MAXPHYADDR 36: bits 16:13 are address bits 35:32, 21:17 reserved. */
	self->pg.maxphyaddr = 36;
	set32(&self->mem, PDE32(VA32), 0x0fc00000 | 0x5 << 13 | PS | PRWUS);
	EXPECT_GPA(VA32, 0, 0x50fc00000ULL | (VA32 & 0x3fffff));
	set32(&self->mem, PDE32(VA32), 0x0fc00000 | BIT(17) | PS | PRWUS);
	EXPECT_PF(VA32, NVMX_GVA_WRITE, P | RSVD | W);

	/* MAXPHYADDR 40 (or more): bits 20:13, only bit 21 reserved. */
	self->pg.maxphyaddr = 46;
	set32(&self->mem, PDE32(VA32), 0x0fc00000 | 0xff << 13 | PS | PRWUS);
	EXPECT_GPA(VA32, 0, 0xff0fc00000ULL | (VA32 & 0x3fffff));
	set32(&self->mem, PDE32(VA32), 0x0fc00000 | BIT(21) | PS | PRWUS);
	EXPECT_PF(VA32, NVMX_GVA_USER, P | RSVD | U);

	/* MAXPHYADDR 32: no PSE-36, bits 21:13 all reserved. */
	self->pg.maxphyaddr = 32;
	set32(&self->mem, PDE32(VA32), 0x0fc00000 | BIT(13) | PS | PRWUS);
	EXPECT_PF(VA32, 0, P | RSVD);
}

TEST_F(gva, paging32_faults)
{
	mode32(&self->pg);
	set32(&self->mem, PTE32(VA32), PAGE32 | NVMX_PTE_RW | NVMX_PTE_US);
	EXPECT_PF(VA32, 0, 0);
	EXPECT_PF(VA32, NVMX_GVA_WRITE | NVMX_GVA_USER, W | U);
	set32(&self->mem, PDE32(VA32), 0);
	EXPECT_PF(VA32, NVMX_GVA_WRITE, W);
	EXPECT_EQ(1, self->mem.reads);

	set32(&self->mem, PDE32(VA32), PT32 | NVMX_PTE_P | NVMX_PTE_RW);
	set32(&self->mem, PTE32(VA32), PAGE32 | PRWUS);
	EXPECT_PF(VA32, NVMX_GVA_USER, P | U);
	EXPECT_GPA(VA32, NVMX_GVA_WRITE, PAGE32 | 0x9ab);

	set32(&self->mem, PDE32(VA32), PT32 | NVMX_PTE_P | NVMX_PTE_US);
	EXPECT_PF(VA32, NVMX_GVA_WRITE, P | W);
	EXPECT_PF(VA32, NVMX_GVA_WRITE | NVMX_GVA_USER, P | W | U);
	self->pg.cr0 &= ~NVMX_CR0_WP;
	EXPECT_GPA(VA32, NVMX_GVA_WRITE, PAGE32 | 0x9ab);
}

TEST_F(gva, paging32_fetches_have_no_xd_and_id_only_with_smep)
{
	mode32(&self->pg);
	self->pg.efer = NVMX_EFER_NXE;	/* no effect on 32-bit paging */
	EXPECT_GPA(VA32, NVMX_GVA_FETCH | NVMX_GVA_USER, PAGE32 | 0x9ab);
	set32(&self->mem, PTE32(VA32), PAGE32 | NVMX_PTE_P);
	EXPECT_PF(VA32, NVMX_GVA_FETCH | NVMX_GVA_USER, P | U);
	self->pg.cr4 |= NVMX_CR4_SMEP;
	EXPECT_PF(VA32, NVMX_GVA_FETCH | NVMX_GVA_USER, P | U | ID);
	EXPECT_GPA(VA32, NVMX_GVA_FETCH, PAGE32 | 0x9ab);
}

TEST_F(gva, pae_4k_and_2m_pages)
{
	mode_pae(&self->pg);
	EXPECT_GPA(VAPAE, NVMX_GVA_WRITE | NVMX_GVA_USER,
		   PAGEPAE | 0x9ab);
	EXPECT_EQ(3, self->mem.reads);
	EXPECT_EQ(PDPTE_PAE, self->mem.log[0]);
	EXPECT_EQ(PDE_PAE, self->mem.log[1]);
	EXPECT_EQ(PTE_PAE, self->mem.log[2]);
	/* Bits 63:32 of the address are dropped; those of CR3 too. */
	self->pg.cr3 |= BIT_ULL(35);
	EXPECT_GPA(VAPAE | BIT_ULL(33), 0, PAGEPAE | 0x9ab);

	*e64(&self->mem, PDE_PAE) = 0x987600000ULL | BIT(12) | PS | PRWUS;
	EXPECT_GPA(VAPAE, 0, 0x987600000ULL | (VAPAE & 0x1fffff));
	EXPECT_EQ(2, self->mem.reads);
}

TEST_F(gva, pae_pdptes)
{
	static const u64 rsvd[] = {
		BIT_ULL(1), BIT_ULL(2), BIT_ULL(5), BIT_ULL(8), BIT_ULL(40),
		BIT_ULL(62), BIT_ULL(63),
	};
	unsigned int i;

	mode_pae(&self->pg);
	self->pg.efer = NVMX_EFER_NXE;
	*e64(&self->mem, PDPTE_PAE) = PDPAE | BIT(3) | BIT(4) | BIT(9);
	EXPECT_PF(VAPAE, NVMX_GVA_USER, U);
	EXPECT_EQ(1, self->mem.reads);
	for (i = 0; i < ARRAY_SIZE(rsvd); i++) {
		*e64(&self->mem, PDPTE_PAE) = PDPAE | NVMX_PTE_P | rsvd[i];
		EXPECT_PF(VAPAE, NVMX_GVA_WRITE, P | RSVD | W);
	}
	/* A PDPTE has no rights: R/W and U/S come from the PDE and PTE. */
	*e64(&self->mem, PDPTE_PAE) = PDPAE | NVMX_PTE_P;
	EXPECT_GPA(VAPAE, NVMX_GVA_WRITE | NVMX_GVA_USER,
		   PAGEPAE | 0x9ab);
}

TEST_F(gva, pae_reserved_bits_and_xd)
{
	mode_pae(&self->pg);
	/* Bits 62:M are reserved in PAE entries (ignored in 4-level ones). */
	*e64(&self->mem, PTE_PAE) |= BIT_ULL(52);
	EXPECT_PF(VAPAE, 0, P | RSVD);
	*e64(&self->mem, PTE_PAE) ^= BIT_ULL(52) | BIT_ULL(40);
	EXPECT_PF(VAPAE, 0, P | RSVD);
	*e64(&self->mem, PTE_PAE) ^= BIT_ULL(40) | XD;
	/* XD is reserved without NXE: no I/D either. */
	EXPECT_PF(VAPAE, NVMX_GVA_FETCH, P | RSVD);
	self->pg.efer = NVMX_EFER_NXE;
	EXPECT_PF(VAPAE, NVMX_GVA_FETCH, P | ID);
	EXPECT_GPA(VAPAE, 0, PAGEPAE | 0x9ab);
	/* 2 MByte PDE: bits 20:13 reserved. */
	*e64(&self->mem, PDE_PAE) = 0x987600000ULL | BIT(13) | PS | PRWUS;
	EXPECT_PF(VAPAE, 0, P | RSVD);
}

TEST_F(gva, level4_4k_page_walk)
{
	EXPECT_GPA(VA, 0, PAGE_4K | 0x9ab);
	EXPECT_EQ(4, self->mem.reads);
	EXPECT_EQ(PML4 + I4 * 8, self->mem.log[0]);
	EXPECT_EQ(PDPT + I3 * 8, self->mem.log[1]);
	EXPECT_EQ(PD + I2 * 8, self->mem.log[2]);
	EXPECT_EQ(PT + I1 * 8, self->mem.log[3]);
	/* PCID (CR3 11:0) does not move the PML4. */
	self->pg.cr4 |= BIT(17);
	self->pg.cr3 = PML4 | 0x123;
	EXPECT_GPA(VA, NVMX_GVA_WRITE, PAGE_4K | 0x9ab);
}

TEST_F(gva, level4_large_pages_and_pat_bit)
{
	*self->pde = PAGE_2M | BIT(12) | PS | PRWUS;
	EXPECT_GPA(VA, 0, PAGE_2M | (VA & 0x1fffff));
	EXPECT_EQ(3, self->mem.reads);
	*self->pdpte = PAGE_1G | BIT(12) | PS | PRWUS;
	EXPECT_GPA(VA, 0, PAGE_1G | (VA & 0x3fffffff));
	EXPECT_EQ(2, self->mem.reads);
	/* PS in a PTE is PAT. */
	*self->pdpte = PD | PRWUS;
	*self->pde = PT | PRWUS;
	*self->pte |= PS;
	EXPECT_GPA(VA, 0, PAGE_4K | 0x9ab);
}

TEST_F(gva, level4_upper_half_and_non_canonical)
{
	u64 hi = 0xffff800000000000ULL | (VA & ((1ULL << 39) - 1));

	*e64(&self->mem, PML4 + 0x100 * 8) = PDPT | PRWUS;
	EXPECT_GPA(hi, 0, PAGE_4K | 0x9ab);
	EXPECT_EQ(PML4 + 0x100 * 8, self->mem.log[0]);

	EXPECT_EQ(-EINVAL, XLATE(VA | BIT_ULL(47), 0));
	EXPECT_EQ(-EINVAL, XLATE(VA | BIT_ULL(63), NVMX_GVA_USER));
	EXPECT_EQ(-EINVAL, XLATE(hi & ~BIT_ULL(50), NVMX_GVA_FETCH));
	EXPECT_EQ(PFEC_UNSET, self->pfec);
	EXPECT_EQ(GPA_UNSET, self->gpa);
	EXPECT_EQ(0, self->mem.reads);
}

TEST_F(gva, level5_and_inconsistent_modes_are_not_supported)
{
	self->pg.cr4 |= NVMX_CR4_LA57;
	EXPECT_EQ(-EOPNOTSUPP, XLATE(VA, 0));
	self->pg.cr4 = 0;
	EXPECT_EQ(-EOPNOTSUPP, XLATE(VA, 0));
	EXPECT_EQ(0, self->mem.reads);
}

TEST_F(gva, level4_not_present_at_each_level)
{
	unsigned int l;

	for (l = 1; l <= 4; l++) {
		u64 saved = *self->entry[l];

		/* Reserved bits of a non-present entry do not matter. */
		*self->entry[l] = (saved & ~NVMX_PTE_P) | PS | BIT_ULL(45);
		EXPECT_PF(VA, 0, 0);
		EXPECT_EQ(5 - l, self->mem.reads);
		EXPECT_PF(VA, NVMX_GVA_WRITE | NVMX_GVA_USER, W | U);
		*self->entry[l] = saved;
	}
}

TEST_F(gva, level4_reserved_bits_at_each_level)
{
	unsigned int l;

	for (l = 1; l <= 4; l++) {
		u64 saved = *self->entry[l];

		/* Bits 51:M, also in table pointers. */
		*self->entry[l] = saved | BIT_ULL(40);
		EXPECT_PF(VA, 0, P | RSVD);
		EXPECT_EQ(5 - l, self->mem.reads);
		*self->entry[l] = saved | BIT_ULL(51);
		EXPECT_PF(VA, NVMX_GVA_USER, P | RSVD | U);
		/* XD without NXE. */
		*self->entry[l] = saved | XD;
		EXPECT_PF(VA, NVMX_GVA_WRITE, P | RSVD | W);
		/* Bits 62:52 and 11:8 are ignored. */
		*self->entry[l] = saved | BIT_ULL(52) | BIT_ULL(62) |
				  BIT_ULL(11) | BIT_ULL(9);
		EXPECT_GPA(VA, 0, PAGE_4K | 0x9ab);
		*self->entry[l] = saved;
	}
	*self->pml4e |= PS;
	EXPECT_PF(VA, 0, P | RSVD);
	EXPECT_EQ(1, self->mem.reads);
}

TEST_F(gva, level4_reserved_bits_of_large_pages)
{
	*self->pdpte = PAGE_1G | BIT(13) | PS | PRWUS;
	EXPECT_PF(VA, 0, P | RSVD);
	*self->pdpte = PAGE_1G | BIT(29) | PS | PRWUS;
	EXPECT_PF(VA, 0, P | RSVD);
	*self->pdpte = PD | PRWUS;
	*self->pde = PAGE_2M | BIT(20) | PS | PRWUS;
	EXPECT_PF(VA, 0, P | RSVD);
	*self->pde = PAGE_2M | BIT(13) | PS | PRWUS;
	EXPECT_PF(VA, NVMX_GVA_FETCH, P | RSVD);
	/* A reserved-bit fault wins over a rights fault. */
	*self->pde = (PAGE_2M | BIT(13) | PS | PRWUS) & ~NVMX_PTE_US;
	EXPECT_PF(VA, NVMX_GVA_USER, P | RSVD | U);
}

TEST_F(gva, maxphyaddr_is_clamped_to_32_52)
{
	self->pg.maxphyaddr = 60;
	*self->pte = BIT_ULL(51) | PAGE_4K | PRWUS;
	EXPECT_GPA(VA, 0, BIT_ULL(51) | PAGE_4K | 0x9ab);
	self->pg.maxphyaddr = 52;
	EXPECT_GPA(VA, 0, BIT_ULL(51) | PAGE_4K | 0x9ab);
	self->pg.maxphyaddr = 51;
	EXPECT_PF(VA, 0, P | RSVD);
	/* 0 counts as 32: a page at 4 GiB is beyond it. */
	self->pg.maxphyaddr = 0;
	*self->pte = BIT_ULL(32) | PRWUS;
	EXPECT_PF(VA, 0, P | RSVD);
	*self->pte = 0xfffff000ULL | PRWUS;
	EXPECT_GPA(VA, 0, 0xfffff9abULL);
}

TEST_F(gva, user_and_supervisor_pages)
{
	unsigned int l;

	for (l = 1; l <= 4; l++) {
		*self->entry[l] &= ~NVMX_PTE_US;
		EXPECT_PF(VA, NVMX_GVA_USER, P | U);
		EXPECT_PF(VA, NVMX_GVA_USER | NVMX_GVA_WRITE, P | W | U);
		EXPECT_PF(VA, NVMX_GVA_USER | NVMX_GVA_FETCH, P | U);
		EXPECT_GPA(VA, NVMX_GVA_WRITE, PAGE_4K | 0x9ab);
		*self->entry[l] |= NVMX_PTE_US;
	}
	/* Not present wins over rights. */
	*self->pde &= ~NVMX_PTE_US;
	*self->pte &= ~NVMX_PTE_P;
	EXPECT_PF(VA, NVMX_GVA_USER, U);
}

TEST_F(gva, read_only_pages_and_cr0_wp)
{
	unsigned int l;

	for (l = 1; l <= 4; l++) {
		*self->entry[l] &= ~NVMX_PTE_RW;
		self->pg.cr0 |= NVMX_CR0_WP;
		EXPECT_PF(VA, NVMX_GVA_WRITE, P | W);
		EXPECT_PF(VA, NVMX_GVA_WRITE | NVMX_GVA_USER, P | W | U);
		EXPECT_GPA(VA, NVMX_GVA_USER, PAGE_4K | 0x9ab);
		/* WP = 0: supervisor writes ignore R/W; user ones do not. */
		self->pg.cr0 &= ~NVMX_CR0_WP;
		EXPECT_GPA(VA, NVMX_GVA_WRITE, PAGE_4K | 0x9ab);
		EXPECT_PF(VA, NVMX_GVA_WRITE | NVMX_GVA_USER, P | W | U);
		*self->entry[l] |= NVMX_PTE_RW;
	}
}

TEST_F(gva, execute_disable_with_nxe)
{
	unsigned int l;

	self->pg.efer |= NVMX_EFER_NXE;
	for (l = 1; l <= 4; l++) {
		*self->entry[l] |= XD;
		EXPECT_PF(VA, NVMX_GVA_FETCH, P | ID);
		EXPECT_PF(VA, NVMX_GVA_FETCH | NVMX_GVA_USER, P | U | ID);
		/* W is not reported for a fetch. */
		EXPECT_PF(VA, NVMX_GVA_FETCH | NVMX_GVA_WRITE, P | ID);
		EXPECT_GPA(VA, NVMX_GVA_WRITE | NVMX_GVA_USER,
			   PAGE_4K | 0x9ab);
		*self->entry[l] &= ~XD;
	}
	EXPECT_GPA(VA, NVMX_GVA_FETCH | NVMX_GVA_USER, PAGE_4K | 0x9ab);
	/* A not-present fault of a fetch has I/D too. */
	*self->pte &= ~NVMX_PTE_P;
	EXPECT_PF(VA, NVMX_GVA_FETCH, ID);
}

TEST_F(gva, smep)
{
	self->pg.cr4 |= NVMX_CR4_SMEP;
	EXPECT_PF(VA, NVMX_GVA_FETCH, P | ID);
	EXPECT_PF(VA, NVMX_GVA_FETCH | NVMX_GVA_AC, P | ID);
	EXPECT_GPA(VA, NVMX_GVA_FETCH | NVMX_GVA_USER, PAGE_4K | 0x9ab);
	EXPECT_GPA(VA, NVMX_GVA_WRITE, PAGE_4K | 0x9ab);
	*self->pdpte &= ~NVMX_PTE_US;
	EXPECT_GPA(VA, NVMX_GVA_FETCH, PAGE_4K | 0x9ab);
}

TEST_F(gva, smap)
{
	self->pg.cr4 |= NVMX_CR4_SMAP;
	EXPECT_PF(VA, 0, P);
	EXPECT_PF(VA, NVMX_GVA_WRITE, P | W);
	EXPECT_GPA(VA, NVMX_GVA_AC, PAGE_4K | 0x9ab);
	EXPECT_GPA(VA, NVMX_GVA_WRITE | NVMX_GVA_AC, PAGE_4K | 0x9ab);
	EXPECT_GPA(VA, NVMX_GVA_USER | NVMX_GVA_WRITE, PAGE_4K | 0x9ab);
	EXPECT_GPA(VA, NVMX_GVA_FETCH, PAGE_4K | 0x9ab);
	/* With AC, CR0.WP still applies to read-only user pages. */
	*self->pte &= ~NVMX_PTE_RW;
	EXPECT_PF(VA, NVMX_GVA_WRITE | NVMX_GVA_AC, P | W);
	self->pg.cr0 &= ~NVMX_CR0_WP;
	EXPECT_GPA(VA, NVMX_GVA_WRITE | NVMX_GVA_AC, PAGE_4K | 0x9ab);
	/* Supervisor pages are not affected. */
	*self->pml4e &= ~NVMX_PTE_US;
	EXPECT_GPA(VA, NVMX_GVA_WRITE, PAGE_4K | 0x9ab);
}

TEST_F(gva, read_errors_are_passed_through_without_an_error_code)
{
	self->mem.fail_gpa = PD + I2 * 8;
	self->mem.fail_err = -EIO;
	EXPECT_EQ(-EIO, XLATE(VA, 0));
	EXPECT_EQ(3, self->mem.reads);
	/* Even -EFAULT: it is not a page fault, no error code. */
	self->mem.fail_err = -EFAULT;
	EXPECT_EQ(-EFAULT, XLATE(VA, 0));
	EXPECT_EQ(PFEC_UNSET, self->pfec);
	EXPECT_EQ(GPA_UNSET, self->gpa);
	/* A table outside guest memory: the callback's -ENOENT. */
	self->mem.fail_gpa = 0;
	*self->pde = 0x7000000 | PRWUS;
	EXPECT_EQ(-ENOENT, XLATE(VA, 0));
	mode32(&self->pg);
	self->mem.fail_err = -EIO;
	self->mem.fail_gpa = PTE32(VA32) & ~7ULL;
	EXPECT_EQ(-EIO, XLATE(VA32, 0));
	mode_pae(&self->pg);
	self->mem.fail_gpa = PDPTE_PAE;
	EXPECT_EQ(-EIO, XLATE(VAPAE, 0));
	EXPECT_EQ(PFEC_UNSET, self->pfec);
}

TEST_HARNESS_MAIN
