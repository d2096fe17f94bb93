// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a Multiboot (v1) kernel finds besides itself (multiboot.h has the
 * layout): its modules after it, page aligned; the information structure
 * with the memory sizes, the memory map, the command line, the module
 * list and the boot loader's name; a GDT whose selectors match the
 * segment registers at entry; and those registers (multiboot_sregs()).
 */
#include <errno.h>
#include <string.h>

#include "libnvmx.h"
#include "loader.h"
#include "multiboot.h"

#define MB_4G		0x100000000ULL
#define MMAP_RAM	1
#define MMAP_RESERVED	2

/* Flat 4 GiB 32-bit code (execute/read) and data (read/write). */
#define GDT_CODE32	0x00cf9b000000ffffULL
#define GDT_DATA32	0x00cf93000000ffffULL
#define TSS_LIMIT	0x67
#define SEG_CODE_XR	0xb	/* execute/read, accessed */
#define SEG_DATA_RW	0x3	/* read/write, accessed */
#define SEG_TSS32_BUSY	0xb
#define SEG_LDT		0x2
#define CR0_PE		0x1ULL
#define CR0_ET		0x10ULL

static void put32(unsigned char *m, uint64_t gpa, uint32_t v)
{
	memcpy(m + gpa, &v, sizeof(v));		/* x86: little-endian */
}

static void put64(unsigned char *m, uint64_t gpa, uint64_t v)
{
	memcpy(m + gpa, &v, sizeof(v));
}

static void put_mmap(unsigned char *m, unsigned int i, uint64_t base,
		     uint64_t len, uint32_t type)
{
	uint64_t at = MB_MMAP_ADDR + i * MB_MMAP_ENTRY;

	put32(m, at, MB_MMAP_ENTRY - 4);	/* the size field excludes itself */
	put64(m, at + 4, base);
	put64(m, at + 12, len);
	put32(m, at + 20, type);
}

/* Append @s to the string area at *@at; *@addr: where it went. */
static int put_string(unsigned char *m, uint64_t *at, const char *s,
		      uint32_t *addr, char *err, size_t errlen)
{
	size_t n = strlen(s);

	if (n >= MB_STRINGS_END - *at)
		return nvmx_load_fail(err, errlen, -E2BIG,
			    "the command line and module strings take more than %llu bytes",
			    MB_STRINGS_END - MB_STRINGS_ADDR);
	memcpy(m + *at, s, n + 1);
	*addr = *at;
	*at += n + 1;
	return 0;
}

/* Each module page aligned after the kernel (or the module before it). */
static int place_modules(const struct multiboot_args *a, unsigned char *m,
			 uint64_t mem_size, struct nvmx_boot *boot,
			 uint64_t *strings, char *err, size_t errlen)
{
	/* mod_end is 32 bits: a module may not end at 4 GiB. */
	uint64_t top = mem_size < MB_4G ? mem_size : MB_4G - 1;
	uint64_t at = boot->load_end;
	unsigned int i;
	uint32_t str = 0;
	int ret;

	for (i = 0; i < a->nr_mods; i++) {
		const struct multiboot_module *mod = &a->mods[i];
		uint64_t e = MB_MODS_ADDR + i * MB_MOD_ENTRY;

		at = (at + MB_PAGE - 1) & ~(MB_PAGE - 1);
		if (at > top || mod->len > top - at)
			return nvmx_load_fail(err, errlen, -E2BIG,
				    "module %u (%zu bytes) does not fit between %#llx and the end of guest memory (%#llx): use a larger --memory",
				    i + 1, mod->len, (unsigned long long)at,
				    (unsigned long long)top);
		ret = put_string(m, strings, mod->string ?: "", &str, err,
				 errlen);
		if (ret)
			return ret;
		if (mod->len)
			memcpy(m + at, mod->data, mod->len);
		put32(m, e, at);
		put32(m, e + 4, at + mod->len);	/* mod_end: exclusive */
		put32(m, e + 8, str);
		put32(m, e + 12, 0);
		at += mod->len;
	}
	boot->load_end = at;
	return 0;
}

static void build_gdt(unsigned char *m)
{
	uint64_t tss = MB_TSS_ADDR;

	memset(m + MB_GDT_ADDR, 0, MB_STRINGS_ADDR - MB_GDT_ADDR);
	put64(m, MB_GDT_ADDR + MB_CS, GDT_CODE32);
	put64(m, MB_GDT_ADDR + MB_DS, GDT_DATA32);
	put64(m, MB_GDT_ADDR + MB_TR, TSS_LIMIT | (tss & 0xffffff) << 16 |
	      (uint64_t)SEG_TSS32_BUSY << 40 | 1ULL << 47 |
	      ((tss >> 24) & 0xff) << 56);
}

/**
 * multiboot_build_info() - modules, information structure and GDT
 * @a: the modules and command line
 * @mem: guest memory, the kernel already loaded
 * @mem_size: its size, at least 2 MiB
 * @boot: @load_end is the kernel's end on entry, the last module's after
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * Return: 0, or -E2BIG for modules or strings that do not fit.
 */
int multiboot_build_info(const struct multiboot_args *a, void *mem,
			 uint64_t mem_size, struct nvmx_boot *boot, char *err,
			 size_t errlen)
{
	unsigned char *m = mem;
	uint64_t strings = MB_STRINGS_ADDR;
	uint32_t flags = MB_INFO_MEMORY | MB_INFO_MODS | MB_INFO_MMAP |
			 MB_INFO_LOADER_NAME, cmdline = 0;
	int ret;

	memset(m + MB_INFO_ADDR, 0, MB_GDT_ADDR - MB_INFO_ADDR);
	if (a->cmdline) {
		ret = put_string(m, &strings, a->cmdline, &cmdline, err,
				 errlen);
		if (ret)
			return ret;
		flags |= MB_INFO_CMDLINE;
	}
	ret = place_modules(a, m, mem_size, boot, &strings, err, errlen);
	if (ret)
		return ret;
	put_mmap(m, 0, 0, MB_LOW_RAM_END, MMAP_RAM);
	put_mmap(m, 1, MB_LOW_RAM_END, MB_KERNEL_MIN - MB_LOW_RAM_END,
		 MMAP_RESERVED);
	put_mmap(m, 2, MB_KERNEL_MIN, mem_size - MB_KERNEL_MIN, MMAP_RAM);
	memcpy(m + MB_LOADER_NAME_ADDR, "nvmx", 5);
	put32(m, MB_INFO_ADDR + MBI_FLAGS, flags);
	put32(m, MB_INFO_ADDR + MBI_MEM_LOWER, MB_LOW_RAM_END >> 10);
	put32(m, MB_INFO_ADDR + MBI_MEM_UPPER,
	      (mem_size - MB_KERNEL_MIN) >> 10);
	put32(m, MB_INFO_ADDR + MBI_CMDLINE, cmdline);
	put32(m, MB_INFO_ADDR + MBI_MODS_COUNT, a->nr_mods);
	put32(m, MB_INFO_ADDR + MBI_MODS_ADDR, MB_MODS_ADDR);
	put32(m, MB_INFO_ADDR + MBI_MMAP_LENGTH, 3 * MB_MMAP_ENTRY);
	put32(m, MB_INFO_ADDR + MBI_MMAP_ADDR, MB_MMAP_ADDR);
	put32(m, MB_INFO_ADDR + MBI_LOADER_NAME, MB_LOADER_NAME_ADDR);
	build_gdt(m);
	return 0;
}

static struct nvmx_segment flat(uint16_t selector, uint8_t type)
{
	return (struct nvmx_segment){
		.limit = 0xffffffff, .selector = selector, .type = type,
		.present = 1, .db = 1, .s = 1, .g = 1,
	};
}

/**
 * multiboot_sregs() - the machine state of a Multiboot kernel at entry
 * @s: from NVMX_GET_SREGS; the segment, descriptor-table and control
 *     registers are set, the rest (CR2, CR8, APIC base) kept
 *
 * 32-bit protected mode without paging: flat 4 GiB code (CS 0x08,
 * execute/read) and data (DS, ES, FS, GS, SS 0x10, read/write) segments
 * whose descriptors are in the GDT of multiboot_build_info(), a busy
 * 32-bit TSS (VM entry needs a usable TR), no LDT, no IDT (the kernel
 * sets its own), CR0 = PE | ET, CR3 = CR4 = EFER = 0. EFLAGS (0x2: IF
 * and VM clear), EAX and EBX are general registers: the caller's.
 */
void multiboot_sregs(struct nvmx_sregs *s)
{
	struct nvmx_segment data = flat(MB_DS, SEG_DATA_RW);

	s->cs = flat(MB_CS, SEG_CODE_XR);
	s->ds = data;
	s->es = data;
	s->fs = data;
	s->gs = data;
	s->ss = data;
	s->tr = (struct nvmx_segment){
		.base = MB_TSS_ADDR, .limit = TSS_LIMIT, .selector = MB_TR,
		.type = SEG_TSS32_BUSY, .present = 1,
	};
	s->ldt = (struct nvmx_segment){ .type = SEG_LDT, .unusable = 1 };
	s->gdt = (struct nvmx_dtable){ .base = MB_GDT_ADDR,
				       .limit = MB_TR + 7 };
	s->idt = (struct nvmx_dtable){ 0 };
	s->cr0 = CR0_PE | CR0_ET;
	s->cr3 = 0;
	s->cr4 = 0;
	s->efer = 0;
}
