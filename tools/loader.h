/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading a static 64-bit ELF guest into guest memory for `nvmx run`, with
 * what a 64-bit guest needs to start in long mode: identity-mapped page
 * tables, a GDT with a code, a data and a TSS descriptor, a TSS and a stack.
 *
 * Guest memory starts at guest-physical 0 and is @mem_size bytes:
 *
 *   0x0000-0x0fff   unused (mapped, but the loader puts nothing there)
 *   0x1000          GDT (null, code 0x08, data 0x10, TSS 0x18) and the TSS
 *   0x2000          PML4
 *   0x3000          PDPT (entries 0-3)
 *   0x4000-0x7fff   four page directories of 2 MiB pages, one per GiB
 *   0x8000-0xffff   reserved for the loader
 *   0x10000-...     where PT_LOAD segments may go
 *   last 64 KiB     the initial stack (RSP = @mem_size)
 *
 * The page tables identity-map the first 4 GiB of guest-physical addresses
 * whatever @mem_size is, so that the guest reaches addresses above its RAM
 * (the local APIC at 0xfee00000, MMIO at 0xd0000000, ...) with the same
 * page tables; what is not RAM there is the VMM's to emulate. Everything is
 * mapped writable and executable, with the default memory type.
 */
#ifndef NVMX_TOOLS_LOADER_H
#define NVMX_TOOLS_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define NVMX_LOADER_GDT		0x1000ULL
#define NVMX_LOADER_TSS		0x1800ULL
#define NVMX_LOADER_PML4	0x2000ULL
#define NVMX_LOADER_PDPT	0x3000ULL
#define NVMX_LOADER_PD		0x4000ULL
#define NVMX_LOADER_NR_PD	4	/* 4 x 1 GiB: the identity map */
#define NVMX_LOADER_LOW_END	0x10000ULL
#define NVMX_LOADER_STACK_SIZE	0x10000ULL
/* Guest memory the loader supports: 256 KiB to 4 GiB. */
#define NVMX_LOADER_MIN_MEM	0x40000ULL
#define NVMX_LOADER_MAX_MEM	0x100000000ULL

#define NVMX_LOADER_CS		0x08
#define NVMX_LOADER_DS		0x10
#define NVMX_LOADER_TR		0x18

/* Where the guest starts, and the registers that describe its setup. */
struct nvmx_boot {
	uint64_t entry;		/* RIP */
	uint64_t rsp;
	uint64_t cr3;
	uint64_t gdt_base;
	uint16_t gdt_limit;
	uint64_t tss_base;
	uint32_t tss_limit;
	uint64_t load_end;	/* end of the highest loaded segment */
	/* Selectors in the GDT; 0 means NVMX_LOADER_CS, _DS, _TR. */
	uint16_t cs, ds, tr;
	/* Not 0: a Multiboot kernel (multiboot.h), EBX = this at entry. */
	uint32_t multiboot_info;
};

void nvmx_loader_build_tables(void *mem, struct nvmx_boot *boot);
int nvmx_load_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int nvmx_load_elf(const void *image, size_t len, void *mem, uint64_t mem_size,
		  struct nvmx_boot *boot, char *err, size_t errlen);

#endif /* NVMX_TOOLS_LOADER_H */
