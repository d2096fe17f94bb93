/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading a 64-bit Linux bzImage for `nvmx run --kernel`, by the x86 boot
 * protocol (the kernel's Documentation/arch/x86/boot.rst), entering it at
 * its 64-bit entry point. Pure: no ioctl, so that the unit tests run it.
 *
 * Guest-physical layout (guest memory starts at 0, @mem_size bytes):
 *
 *   0x1000-0xffff     the loader's GDT, TSS and page tables (loader.h),
 *                     with __BOOT_CS 0x10, __BOOT_DS 0x18 and TR 0x20
 *   0x10000           boot_params, "the zero page" (RSI at entry)
 *   0x20000           the kernel command line
 *   0x9f000           the initial stack (RSP; the kernel sets its own)
 *   0x9fc00-0xfffff   reserved in the e820 map (the legacy BIOS hole),
 *                     where `nvmx run` puts the ACPI tables (acpi.h)
 *   0x100000          the protected-mode kernel (code32_start), which
 *                     moves itself to its preferred address (16 MiB)
 *   top of memory     the initrd, page aligned, below initrd_addr_max
 *
 * The e820 map: RAM 0-0x9fc00, reserved 0x9fc00-0x100000, RAM 1 MiB to
 * the end of guest memory.
 */
#ifndef NVMX_TOOLS_LINUX_BOOT_H
#define NVMX_TOOLS_LINUX_BOOT_H

#include <stddef.h>
#include <stdint.h>

struct nvmx_boot;

#define LINUX_BOOT_PARAMS	0x10000ULL
#define LINUX_BOOT_CMDLINE	0x20000ULL
#define LINUX_BOOT_CMDLINE_MAX	0x10000ULL	/* room up to 0x30000 */
#define LINUX_BOOT_STACK	0x9f000ULL
#define LINUX_BOOT_LOW_RAM_END	0x9fc00ULL
#define LINUX_BOOT_KERNEL	0x100000ULL
#define LINUX_BOOT_CS		0x10	/* __BOOT_CS */
#define LINUX_BOOT_DS		0x18	/* __BOOT_DS */
#define LINUX_BOOT_TR		0x20

/* Offsets in boot_params (and, for the setup header, in the bzImage). */
#define BP_ACPI_RSDP_ADDR	0x070
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_E820_ENTRIES		0x1e8
#define BP_HDR			0x1f1	/* struct setup_header */
#define BP_SETUP_SECTS		0x1f1
#define BP_BOOT_FLAG		0x1fe
#define BP_JUMP			0x200
#define BP_HEADER		0x202	/* "HdrS" */
#define BP_VERSION		0x206
#define BP_TYPE_OF_LOADER	0x210
#define BP_LOADFLAGS		0x211
#define BP_CODE32_START		0x214
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_INITRD_ADDR_MAX	0x22c
#define BP_XLOADFLAGS		0x236
#define BP_CMDLINE_SIZE		0x238
#define BP_PREF_ADDRESS		0x258
#define BP_INIT_SIZE		0x260
#define BP_E820_TABLE		0x2d0
#define BP_SIZE			0x1000

#define LINUX_XLF_KERNEL_64	0x1
#define LINUX_MIN_VERSION	0x020c	/* 2.12: xloadflags */
#define LINUX_RSDP_VERSION	0x020e	/* 2.14: acpi_rsdp_addr */
#define LINUX_E820_RAM		1
#define LINUX_E820_RESERVED	2

/* What `nvmx run --kernel` gives the loader. */
struct linux_boot_args {
	const void *kernel;	/* the bzImage */
	size_t kernel_len;
	const void *initrd;	/* NULL: none */
	size_t initrd_len;
	const char *cmdline;
	uint64_t acpi_rsdp;	/* 0: none; else in acpi_rsdp_addr (2.14+) */
};

int nvmx_load_linux(const struct linux_boot_args *a, void *mem,
		    uint64_t mem_size, struct nvmx_boot *boot, char *err,
		    size_t errlen);

#endif /* NVMX_TOOLS_LINUX_BOOT_H */
