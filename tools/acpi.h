/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI tables of `nvmx run --kernel` (Documentation/guests.rst), built
 * in the legacy BIOS area of guest memory for N vCPUs. Pure: the unit tests
 * check them byte by byte.
 *
 *   0xe0000  RSDP (revision 2), where Linux's scan of 0xe0000-0xfffff finds
 *            it too (boot_params.acpi_rsdp_addr says it first)
 *   0xe0040  FACS (64-byte aligned), by the FADT's X_FIRMWARE_CTRL only;
 *            no firmware takes its global lock
 *   0xe0080  RSDT -> FADT, MADT (for ACPI 1.0 readers)
 *   0xe00c0  XSDT -> FADT, MADT
 *   0xe0100  FADT (revision 6): SCI on IRQ 9, no SMI command port (always
 *            in ACPI mode), PM1a event and control blocks at the ports of
 *            platform.h, no PM timer, no GPE block
 *   0xe0240  DSDT: only Name (\_S5, Package () { 5, 5, 0, 0 })
 *   0xe0280  MADT: a local APIC per vCPU (APIC ID = vCPU id), the I/O APIC
 *            (ID = N, GSI base 0), IRQ 0 -> GSI 2 (edge, high), SCI IRQ 9
 *            (level, high), LINT1 of every processor as NMI
 *
 * The area is reserved in the e820 map (linux_boot.h).
 */
#ifndef NVMX_TOOLS_ACPI_H
#define NVMX_TOOLS_ACPI_H

#include <stdint.h>

#define ACPI_BASE		0xe0000ULL
#define ACPI_RSDP		ACPI_BASE
#define ACPI_FACS		(ACPI_BASE + 0x40)
#define ACPI_RSDT		(ACPI_BASE + 0x80)
#define ACPI_XSDT		(ACPI_BASE + 0xc0)
#define ACPI_FADT		(ACPI_BASE + 0x100)
#define ACPI_DSDT		(ACPI_BASE + 0x240)
#define ACPI_MADT		(ACPI_BASE + 0x280)
#define ACPI_END		0x100000ULL

#define ACPI_LAPIC_ADDR		0xfee00000U
#define ACPI_IOAPIC_ADDR	0xfec00000U
#define ACPI_SCI_IRQ		9
/* The SLP_TYP of \_S5 in the DSDT: PM1_CNT with it and SLP_EN powers off. */
#define ACPI_S5_SLP_TYP		5

/* Lengths of the tables (the MADT's depends on the vCPUs). */
#define ACPI_HDR_LEN		36
#define ACPI_RSDP_LEN		36
#define ACPI_FACS_LEN		64
#define ACPI_FADT_LEN		276
#define ACPI_DSDT_LEN		(ACPI_HDR_LEN + 14)
#define ACPI_MADT_LEN(n)	(ACPI_HDR_LEN + 8 + 8 * (n) + 12 + 2 * 10 + 6)

/* vCPUs the MADT describes: the I/O APIC's 4-bit ID (N) stays apart. */
#define ACPI_MAX_CPUS		15

int acpi_build(void *mem, uint64_t mem_size, unsigned int ncpus,
	       uint16_t pm1a_evt, uint16_t pm1a_cnt);
uint8_t acpi_checksum(const void *p, unsigned int len);

#endif /* NVMX_TOOLS_ACPI_H */
