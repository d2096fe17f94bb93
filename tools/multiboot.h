/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading a Multiboot (version 1) kernel for `nvmx run --kernel`: finding
 * its header, loading its ELF32 or ELF64 segments (or the a.out kludge
 * addresses of its header), its modules, and building the Multiboot
 * information structure; and the 32-bit protected-mode register state it
 * starts in. Pure: no ioctl, so that the unit tests run it.
 *
 * Guest-physical layout (guest memory starts at 0, @mem_size bytes):
 *
 *   0x10000           the Multiboot information structure (EBX at entry)
 *   0x10100           the memory map (mmap_addr), 3 entries
 *   0x10200           the module list (mods_addr), MB_MAX_MODULES at most
 *   0x10600           the boot loader name, "nvmx"
 *   0x10700           a GDT: null, flat code 0x08, flat data 0x10, TSS 0x18
 *   0x10800           a zeroed TSS (TR must be usable for VM entry)
 *   0x11000-0x8ffff   the command line, then each module's string
 *   0x9f000           the initial stack (ESP; the spec leaves it undefined)
 *   0x9fc00-0xfffff   reserved in the memory map (the legacy BIOS hole)
 *   0x100000          lowest address the kernel may load at
 *   after the kernel  the modules, each page aligned, in the given order
 *
 * The memory map is the Linux loader's e820 map (linux_boot.h): RAM
 * 0-0x9fc00, reserved 0x9fc00-0x100000, RAM 1 MiB to the end of memory.
 */
#ifndef NVMX_TOOLS_MULTIBOOT_H
#define NVMX_TOOLS_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nvmx_boot;
struct nvmx_sregs;

#define MB_HEADER_MAGIC		0x1badb002U
#define MB_BOOT_MAGIC		0x2badb002U	/* EAX at entry */
#define MB_SEARCH		8192	/* the header is in these first bytes */

/* Header flags: 15:0 are required (refused if unknown), 31:16 optional. */
#define MB_FLAG_PAGE_ALIGN	(1U << 0)	/* modules page aligned */
#define MB_FLAG_MEMORY		(1U << 1)	/* mem_* and mmap wanted */
#define MB_FLAG_VIDEO		(1U << 2)	/* a video mode: ignored */
#define MB_FLAG_AOUT_KLUDGE	(1U << 16)	/* load by the header's addresses */
#define MB_FLAGS_KNOWN_REQUIRED	0x7U

/* Info flags (which fields of the information structure are valid). */
#define MB_INFO_MEMORY		(1U << 0)
#define MB_INFO_CMDLINE		(1U << 2)
#define MB_INFO_MODS		(1U << 3)
#define MB_INFO_MMAP		(1U << 6)
#define MB_INFO_LOADER_NAME	(1U << 9)

/* Offsets in the information structure. */
#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_LOADER_NAME		64
#define MBI_SIZE		116	/* up to the framebuffer fields */

#define MB_MMAP_ENTRY		24	/* size field (20) + 20 bytes */
#define MB_MOD_ENTRY		16	/* mod_start, mod_end, string, 0 */

/* The layout above. */
#define MB_INFO_ADDR		0x10000ULL
#define MB_MMAP_ADDR		0x10100ULL
#define MB_MODS_ADDR		0x10200ULL
#define MB_MAX_MODULES		64
#define MB_LOADER_NAME_ADDR	0x10600ULL
#define MB_GDT_ADDR		0x10700ULL
#define MB_TSS_ADDR		0x10800ULL
#define MB_STRINGS_ADDR		0x11000ULL
#define MB_STRINGS_END		0x90000ULL
#define MB_STACK		0x9f000ULL
#define MB_LOW_RAM_END		0x9fc00ULL
#define MB_KERNEL_MIN		0x100000ULL
#define MB_PAGE			0x1000ULL

#define MB_CS			0x08
#define MB_DS			0x10
#define MB_TR			0x18

/* The header as found in the kernel file. */
struct multiboot_header {
	uint32_t offset;	/* of the magic, in the file */
	uint32_t flags;
	/* With MB_FLAG_AOUT_KLUDGE only. */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	uint32_t entry_addr;
};

/* One boot module: its contents and its string (file name and args). */
struct multiboot_module {
	const void *data;
	size_t len;
	const char *string;
};

/* What `nvmx run --kernel` gives the loader. */
struct multiboot_args {
	const void *kernel;
	size_t kernel_len;
	const char *cmdline;	/* NULL: none (no MB_INFO_CMDLINE) */
	const struct multiboot_module *mods;
	unsigned int nr_mods;
};

int multiboot_find_header(const void *kernel, size_t len,
			  struct multiboot_header *h, char *err, size_t errlen);
int nvmx_load_multiboot(const struct multiboot_args *a, void *mem,
			uint64_t mem_size, struct nvmx_boot *boot, char *err,
			size_t errlen);

/* multiboot_info.c: what the loader puts in memory besides the kernel. */
int multiboot_build_info(const struct multiboot_args *a, void *mem,
			 uint64_t mem_size, struct nvmx_boot *boot, char *err,
			 size_t errlen);
void multiboot_sregs(struct nvmx_sregs *s);

#endif /* NVMX_TOOLS_MULTIBOOT_H */
