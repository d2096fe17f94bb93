// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the ACPI tables of `nvmx run --kernel` (tools/acpi.c):
 * every checksum, the pointers from the RSDP down, the FADT's fields, the
 * DSDT's AML and the MADT's entries for 1, 2 and 15 vCPUs.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../tools/acpi.h"

#define MEM	(2ULL << 20)

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint8_t sum(const uint8_t *p, unsigned int len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

FIXTURE(acpi) {
	uint8_t *m;
};

FIXTURE_SETUP(acpi)
{
	self->m = calloc(1, MEM);
	ASSERT_NE(NULL, self->m);
	memset(self->m + ACPI_BASE, 0xa5, ACPI_END - ACPI_BASE);
	ASSERT_EQ(0, acpi_build(self->m, MEM, 2, 0x600, 0x604));
}

FIXTURE_TEARDOWN(acpi)
{
	free(self->m);
}

TEST_F(acpi, rsdp_points_to_rsdt_and_xsdt_with_good_checksums)
{
	const uint8_t *r = self->m + ACPI_RSDP;

	EXPECT_EQ(0, memcmp(r, "RSD PTR ", 8));
	EXPECT_EQ(0, ACPI_RSDP % 16);	/* Linux scans at 16-byte steps */
	EXPECT_EQ(0, sum(r, 20));
	EXPECT_EQ(0, sum(r, 36));
	EXPECT_EQ(2, r[15]);
	EXPECT_EQ(36, get32(r + 20));
	EXPECT_EQ(ACPI_RSDT, get32(r + 16));
	EXPECT_EQ(ACPI_XSDT, get64(r + 24));
}

TEST_F(acpi, every_table_sums_to_zero_and_fits_below_1m)
{
	static const struct { uint64_t at; const char *sig; } t[] = {
		{ ACPI_RSDT, "RSDT" }, { ACPI_XSDT, "XSDT" },
		{ ACPI_FADT, "FACP" }, { ACPI_DSDT, "DSDT" },
		{ ACPI_MADT, "APIC" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const uint8_t *p = self->m + t[i].at;
		uint32_t len = get32(p + 4);

		EXPECT_EQ(0, memcmp(p, t[i].sig, 4));
		EXPECT_GE(len, 36);
		EXPECT_EQ(0, sum(p, len)) TH_LOG("%s", t[i].sig);
		EXPECT_LE(t[i].at + len, ACPI_END);
		EXPECT_EQ(0, memcmp(p + 10, "NVMX  ", 6));
	}
	/* No table overlaps the next one. */
	EXPECT_LE(ACPI_RSDT + get32(self->m + ACPI_RSDT + 4), ACPI_XSDT);
	EXPECT_LE(ACPI_XSDT + get32(self->m + ACPI_XSDT + 4), ACPI_FADT);
	EXPECT_LE(ACPI_FADT + get32(self->m + ACPI_FADT + 4), ACPI_DSDT);
	EXPECT_LE(ACPI_DSDT + get32(self->m + ACPI_DSDT + 4), ACPI_MADT);
	EXPECT_EQ(0, memcmp(self->m + ACPI_FACS, "FACS", 4));
	EXPECT_EQ(64, get32(self->m + ACPI_FACS + 4));
	EXPECT_EQ(0, ACPI_FACS % 64);
}

TEST_F(acpi, rsdt_and_xsdt_list_fadt_and_madt)
{
	const uint8_t *r = self->m + ACPI_RSDT, *x = self->m + ACPI_XSDT;

	EXPECT_EQ(44, get32(r + 4));
	EXPECT_EQ(ACPI_FADT, get32(r + 36));
	EXPECT_EQ(ACPI_MADT, get32(r + 40));
	EXPECT_EQ(52, get32(x + 4));
	EXPECT_EQ(ACPI_FADT, get64(x + 36));
	EXPECT_EQ(ACPI_MADT, get64(x + 44));
}

TEST_F(acpi, fadt_has_sci_9_pm1_blocks_and_no_smi)
{
	const uint8_t *f = self->m + ACPI_FADT;

	EXPECT_EQ(276, get32(f + 4));
	EXPECT_EQ(6, f[8]);
	EXPECT_EQ(0, get32(f + 36));		/* FIRMWARE_CTRL: X_ only */
	EXPECT_EQ(ACPI_FACS, get64(f + 132));
	EXPECT_EQ(ACPI_DSDT, get32(f + 40));
	EXPECT_EQ(ACPI_DSDT, get64(f + 140));
	EXPECT_EQ(9, f[46] | f[47] << 8);
	EXPECT_EQ(0, get32(f + 48));		/* SMI_CMD */
	EXPECT_EQ(0x600, get32(f + 56));	/* PM1a_EVT_BLK */
	EXPECT_EQ(0, get32(f + 60));
	EXPECT_EQ(0x604, get32(f + 64));	/* PM1a_CNT_BLK */
	EXPECT_EQ(0, get32(f + 76));		/* no PM timer */
	EXPECT_EQ(0, get32(f + 80));		/* no GPE0 */
	EXPECT_EQ(4, f[88]);
	EXPECT_EQ(2, f[89]);
	EXPECT_EQ(0, f[91]);
	/* No 64-bit block addresses that could disagree with the 32-bit. */
	EXPECT_EQ(0, get64(f + 148 + 4));
	/* The 8042 is there, VGA is not. */
	EXPECT_EQ(0x7, f[109]);
}

TEST_F(acpi, dsdt_holds_s5_package_5_5_0_0)
{
	static const uint8_t aml[] = {
		0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x08, 0x04,
		0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
	};
	const uint8_t *d = self->m + ACPI_DSDT;

	EXPECT_EQ(36 + sizeof(aml), get32(d + 4));
	EXPECT_EQ(2, d[8]);
	EXPECT_EQ(0, memcmp(d + 36, aml, sizeof(aml)));
	/* PkgLength counts itself, NumElements and the elements. */
	EXPECT_EQ(sizeof(aml) - 6, d[36 + 6]);
}

/* The MADT's entries of type @type, in order: how many, the first at *@e. */
static int entries(const uint8_t *madt, uint8_t type, const uint8_t **e)
{
	const uint8_t *p = madt + 44, *end = madt + get32(madt + 4);
	int n = 0;

	for (*e = NULL; p < end && p[1]; p += p[1])
		if (p[0] == type && !n++)
			*e = p;
	return p == end ? n : -1;
}

static void check_madt(struct __test_metadata *_metadata, const uint8_t *t,
		       unsigned int ncpus)
{
	const uint8_t *e;
	unsigned int i;

	ASSERT_EQ(ACPI_MADT_LEN(ncpus), get32(t + 4));
	EXPECT_EQ(0, sum(t, get32(t + 4)));
	EXPECT_EQ(0xfee00000, get32(t + 36));
	EXPECT_EQ(1, get32(t + 40));		/* PCAT_COMPAT */
	ASSERT_EQ(ncpus, entries(t, 0, &e));
	for (i = 0; i < ncpus; i++, e += 8) {
		EXPECT_EQ(8, e[1]);
		EXPECT_EQ(i, e[2]);
		EXPECT_EQ(i, e[3]);
		EXPECT_EQ(1, get32(e + 4));
	}
	ASSERT_EQ(1, entries(t, 1, &e));
	EXPECT_EQ(12, e[1]);
	EXPECT_EQ(ncpus, e[2]);
	EXPECT_EQ(0xfec00000, get32(e + 4));
	EXPECT_EQ(0, get32(e + 8));
	ASSERT_EQ(2, entries(t, 2, &e));
	/* IRQ 0 -> GSI 2, edge, active high. */
	EXPECT_EQ(10, e[1]);
	EXPECT_EQ(0, e[2]);
	EXPECT_EQ(0, e[3]);
	EXPECT_EQ(2, get32(e + 4));
	EXPECT_EQ(0x5, e[8] | e[9] << 8);
	/* The SCI: IRQ 9 -> GSI 9, level, active high. */
	e += 10;
	EXPECT_EQ(2, e[0]);
	EXPECT_EQ(9, e[3]);
	EXPECT_EQ(9, get32(e + 4));
	EXPECT_EQ(0xd, e[8] | e[9] << 8);
	ASSERT_EQ(1, entries(t, 4, &e));
	EXPECT_EQ(6, e[1]);
	EXPECT_EQ(0xff, e[2]);
	EXPECT_EQ(1, e[5]);			/* LINT1 */
}

TEST_F(acpi, madt_for_2_cpus)
{
	check_madt(_metadata, self->m + ACPI_MADT, 2);
}

TEST(madt_for_1_and_15_cpus_and_refusals)
{
	uint8_t *m = calloc(1, MEM);

	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, acpi_build(m, MEM, 1, 0x600, 0x604));
	check_madt(_metadata, m + ACPI_MADT, 1);
	ASSERT_EQ(0, acpi_build(m, MEM, ACPI_MAX_CPUS, 0x600, 0x604));
	check_madt(_metadata, m + ACPI_MADT, ACPI_MAX_CPUS);
	EXPECT_EQ(0, sum(m + ACPI_RSDP, 36));
	EXPECT_EQ(-EINVAL, acpi_build(m, MEM, 0, 0x600, 0x604));
	EXPECT_EQ(-EINVAL, acpi_build(m, MEM, ACPI_MAX_CPUS + 1, 0x600, 0x604));
	EXPECT_EQ(-EINVAL, acpi_build(m, ACPI_END - 1, 1, 0x600, 0x604));
	free(m);
}

TEST(checksum_makes_the_sum_zero)
{
	uint8_t b[5] = { 1, 2, 3, 0, 0xff };

	b[3] = acpi_checksum(b, sizeof(b));
	EXPECT_EQ(0, sum(b, sizeof(b)));
	EXPECT_EQ(0, acpi_checksum(b, 0));
}

TEST_HARNESS_MAIN
