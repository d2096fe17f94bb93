// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ACPI tables of `nvmx run --kernel` (see acpi.h for where each goes
 * and what it says). Offsets and fields are those of the ACPI
 * specification, 6.x ("ACPI Software Programming Model"); the DSDT is a
 * few bytes of hand-assembled AML.
 */
#include <errno.h>
#include <string.h>

#include "acpi.h"

#define OEM_ID		"NVMX  "
#define OEM_TABLE_ID	"NVMXPC  "

/* FADT fields (offsets in the table). */
#define FADT_DSDT		40
#define FADT_SCI_INT		46
#define FADT_SMI_CMD		48
#define FADT_PM1A_EVT_BLK	56
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM1_EVT_LEN	88
#define FADT_PM1_CNT_LEN	89
#define FADT_P_LVL2_LAT		96
#define FADT_P_LVL3_LAT		98
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_FLAGS		112
#define FADT_X_FIRMWARE_CTRL	132
#define FADT_X_DSDT		140

#define FADT_WBINVD		(1U << 0)
#define FADT_PROC_C1		(1U << 2)
#define FADT_PWR_BUTTON		(1U << 4)	/* none as a fixed feature */
#define FADT_SLP_BUTTON		(1U << 5)
#define BOOT_LEGACY_DEVICES	(1U << 0)
#define BOOT_8042		(1U << 1)
#define BOOT_NO_VGA		(1U << 2)

/* MADT entries. */
#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_LAPIC_NMI		4
#define MADT_PCAT_COMPAT	1
#define MADT_ENABLED		1
#define MPS_HIGH		0x1	/* polarity: active high */
#define MPS_EDGE		0x4	/* trigger mode: edge */
#define MPS_LEVEL		0xc	/* trigger mode: level */

/* Name (_S5, Package () { 5, 5, 0, 0 }): NameOp, NameSeg, PackageOp. */
static const uint8_t dsdt_aml[ACPI_DSDT_LEN - ACPI_HDR_LEN] = {
	0x08, '_', 'S', '5', '_',
	/* PkgLength 8 (itself, NumElements and 6 bytes), 4 elements */
	0x12, 0x08, 0x04,
	0x0a, ACPI_S5_SLP_TYP, 0x0a, ACPI_S5_SLP_TYP, 0x00, 0x00,
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

/**
 * acpi_checksum() - what makes @len bytes at @p sum to 0
 * @p: the bytes, their checksum field 0
 * @len: how many
 *
 * Return: the checksum byte.
 */
uint8_t acpi_checksum(const void *p, unsigned int len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

/* A table's header; its checksum (offset 9) once the table is filled. */
static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, OEM_ID, 6);
	memcpy(t + 16, OEM_TABLE_ID, 8);
	put32(t + 24, 1);		/* OEM revision */
	memcpy(t + 28, "NVMX", 4);	/* creator ID */
	put32(t + 32, 1);		/* creator revision */
}

static void sum(uint8_t *t)
{
	uint32_t len = t[4] | t[5] << 8 | t[6] << 16 | (uint32_t)t[7] << 24;

	t[9] = acpi_checksum(t, len);
}

static void build_rsdp(uint8_t *m)
{
	uint8_t *r = m + ACPI_RSDP;

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, OEM_ID, 6);
	r[15] = 2;				/* ACPI 2.0 and later */
	put32(r + 16, ACPI_RSDT);
	put32(r + 20, ACPI_RSDP_LEN);
	put64(r + 24, ACPI_XSDT);
	r[8] = acpi_checksum(r, 20);
	r[32] = acpi_checksum(r, ACPI_RSDP_LEN);
}

static void build_facs(uint8_t *m)
{
	uint8_t *f = m + ACPI_FACS;

	memcpy(f, "FACS", 4);
	put32(f + 4, ACPI_FACS_LEN);
	f[32] = 2;				/* version */
}

static void build_sdts(uint8_t *m)
{
	uint8_t *r = m + ACPI_RSDT, *x = m + ACPI_XSDT;

	header(r, "RSDT", ACPI_HDR_LEN + 2 * 4, 1);
	put32(r + ACPI_HDR_LEN, ACPI_FADT);
	put32(r + ACPI_HDR_LEN + 4, ACPI_MADT);
	sum(r);
	header(x, "XSDT", ACPI_HDR_LEN + 2 * 8, 1);
	put64(x + ACPI_HDR_LEN, ACPI_FADT);
	put64(x + ACPI_HDR_LEN + 8, ACPI_MADT);
	sum(x);
}

static void build_fadt(uint8_t *m, uint16_t pm1a_evt, uint16_t pm1a_cnt)
{
	uint8_t *f = m + ACPI_FADT;

	header(f, "FACP", ACPI_FADT_LEN, 6);
	f[131] = 0;				/* FADT minor version */
	/* The FACS by its 64-bit address only, as ACPI wants when it is set. */
	put64(f + FADT_X_FIRMWARE_CTRL, ACPI_FACS);
	put32(f + FADT_DSDT, ACPI_DSDT);
	put64(f + FADT_X_DSDT, ACPI_DSDT);
	put16(f + FADT_SCI_INT, ACPI_SCI_IRQ);
	put32(f + FADT_SMI_CMD, 0);		/* no SMI: ACPI mode only */
	put32(f + FADT_PM1A_EVT_BLK, pm1a_evt);
	put32(f + FADT_PM1A_CNT_BLK, pm1a_cnt);
	f[FADT_PM1_EVT_LEN] = 4;
	f[FADT_PM1_CNT_LEN] = 2;
	put16(f + FADT_P_LVL2_LAT, 101);	/* > 100: no C2 */
	put16(f + FADT_P_LVL3_LAT, 1001);	/* > 1000: no C3 */
	put16(f + FADT_IAPC_BOOT_ARCH,
	      BOOT_LEGACY_DEVICES | BOOT_8042 | BOOT_NO_VGA);
	put32(f + FADT_FLAGS, FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON |
			      FADT_SLP_BUTTON);
	sum(f);
}

static void build_dsdt(uint8_t *m)
{
	uint8_t *d = m + ACPI_DSDT;

	header(d, "DSDT", ACPI_DSDT_LEN, 2);	/* 2: 64-bit integers */
	memcpy(d + ACPI_HDR_LEN, dsdt_aml, sizeof(dsdt_aml));
	sum(d);
}

static uint8_t *iso(uint8_t *e, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	e[0] = MADT_ISO;
	e[1] = 10;
	e[2] = 0;				/* bus: ISA */
	e[3] = irq;
	put32(e + 4, gsi);
	put16(e + 8, flags);
	return e + 10;
}

static void build_madt(uint8_t *m, unsigned int ncpus)
{
	uint8_t *t = m + ACPI_MADT, *e = t + ACPI_HDR_LEN + 8;
	unsigned int i;

	header(t, "APIC", ACPI_MADT_LEN(ncpus), 4);
	put32(t + ACPI_HDR_LEN, ACPI_LAPIC_ADDR);
	put32(t + ACPI_HDR_LEN + 4, MADT_PCAT_COMPAT);	/* there are 8259As */
	for (i = 0; i < ncpus; i++, e += 8) {
		e[0] = MADT_LAPIC;
		e[1] = 8;
		e[2] = i;			/* ACPI processor UID */
		e[3] = i;			/* APIC ID */
		put32(e + 4, MADT_ENABLED);
	}
	e[0] = MADT_IOAPIC;
	e[1] = 12;
	e[2] = ncpus;				/* I/O APIC ID */
	e[3] = 0;
	put32(e + 4, ACPI_IOAPIC_ADDR);
	put32(e + 8, 0);			/* GSI base */
	e += 12;
	e = iso(e, 0, 2, MPS_HIGH | MPS_EDGE);
	e = iso(e, ACPI_SCI_IRQ, ACPI_SCI_IRQ, MPS_HIGH | MPS_LEVEL);
	e[0] = MADT_LAPIC_NMI;
	e[1] = 6;
	e[2] = 0xff;				/* all processors */
	put16(e + 3, MPS_HIGH | MPS_EDGE);
	e[5] = 1;				/* LINT1 */
	sum(t);
}

/**
 * acpi_build() - write the ACPI tables into guest memory
 * @mem: guest memory, guest-physical 0 onwards
 * @mem_size: its size
 * @ncpus: vCPUs, 1 to ACPI_MAX_CPUS
 * @pm1a_evt: I/O port of the PM1a event block (4 bytes)
 * @pm1a_cnt: I/O port of the PM1a control block (2 bytes)
 *
 * The tables go from ACPI_BASE (acpi.h), which must be guest memory; the
 * RSDP is at ACPI_RSDP.
 *
 * Return: 0, or -EINVAL for a bad @ncpus or memory that ends before
 * ACPI_END.
 */
int acpi_build(void *mem, uint64_t mem_size, unsigned int ncpus,
	       uint16_t pm1a_evt, uint16_t pm1a_cnt)
{
	uint8_t *m = mem;

	if (!ncpus || ncpus > ACPI_MAX_CPUS || mem_size < ACPI_END)
		return -EINVAL;
	memset(m + ACPI_BASE, 0, ACPI_MADT + ACPI_MADT_LEN(ncpus) - ACPI_BASE);
	build_rsdp(m);
	build_facs(m);
	build_sdts(m);
	build_fadt(m, pm1a_evt, pm1a_cnt);
	build_dsdt(m);
	build_madt(m, ncpus);
	return 0;
}
