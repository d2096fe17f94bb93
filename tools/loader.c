// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a static 64-bit ELF guest for `nvmx run` (see loader.h).
 *
 * The image comes from the user and is checked like any untrusted input:
 * every offset and size is bounded before use, with overflow-safe
 * arithmetic, and every segment must land inside guest memory, outside
 * the loader's low area and the stack.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"

#define PTE_P		0x1ULL		/* present */
#define PTE_W		0x2ULL		/* writable */
#define PTE_PS		0x80ULL		/* in a PD: a 2 MiB page */
#define TWO_MIB		0x200000ULL
#define PD_ENTRIES	512

/* GDT descriptors: 64-bit code (L=1), flat data, a busy 64-bit TSS. */
#define GDT_CODE64	0x00af9b000000ffffULL
#define GDT_DATA	0x00cf93000000ffffULL
#define TSS_LIMIT	0x67
#define TSS_TYPE_BUSY	0xbULL

/* Write the reason to @err (if @errlen) and return @ret: the loaders' errors. */
int nvmx_load_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* [start, start + size) lies inside [lo, hi), without overflow. */
static int inside(uint64_t start, uint64_t size, uint64_t lo, uint64_t hi)
{
	return start >= lo && start <= hi && size <= hi - start;
}

static int check_header(const Elf64_Ehdr *eh, size_t len, char *err,
			size_t errlen)
{
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return nvmx_load_fail(err, errlen, -ENOEXEC, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "not a 64-bit little-endian x86-64 ELF file");
	if (eh->e_type != ET_EXEC)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "not a static executable (ELF type %u)", eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "program headers outside the file");
	return 0;
}

static int load_segment(const Elf64_Phdr *ph, const unsigned char *image,
			size_t len, unsigned char *mem, uint64_t mem_size,
			char *err, size_t errlen)
{
	uint64_t top = mem_size - NVMX_LOADER_STACK_SIZE;

	if (ph->p_filesz > ph->p_memsz)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "segment at %#llx: file size above memory size",
			    (unsigned long long)ph->p_paddr);
	if (!inside(ph->p_offset, ph->p_filesz, 0, len))
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "segment at %#llx: data outside the file",
			    (unsigned long long)ph->p_paddr);
	if (!inside(ph->p_paddr, ph->p_memsz, NVMX_LOADER_LOW_END, top))
		return nvmx_load_fail(err, errlen, -E2BIG,
			    "segment [%#llx, +%#llx) is outside guest memory [%#llx, %#llx)",
			    (unsigned long long)ph->p_paddr,
			    (unsigned long long)ph->p_memsz,
			    NVMX_LOADER_LOW_END, (unsigned long long)top);
	memcpy(mem + ph->p_paddr, image + ph->p_offset, ph->p_filesz);
	memset(mem + ph->p_paddr + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	return 0;
}

static void put64(unsigned char *mem, uint64_t gpa, uint64_t val)
{
	memcpy(mem + gpa, &val, sizeof(val));
}

/*
 * Identity map of guest-physical 0-4 GiB with 2 MiB pages, not only of
 * guest memory: the addresses above it are where devices live. The four
 * page directories are contiguous, so PD entry i maps i * 2 MiB.
 */
static void build_page_tables(unsigned char *mem, struct nvmx_boot *boot)
{
	uint64_t i;

	memset(mem + NVMX_LOADER_PML4, 0, NVMX_LOADER_LOW_END - NVMX_LOADER_PML4);
	put64(mem, NVMX_LOADER_PML4, NVMX_LOADER_PDPT | PTE_P | PTE_W);
	for (i = 0; i < NVMX_LOADER_NR_PD; i++)
		put64(mem, NVMX_LOADER_PDPT + i * 8,
		      (NVMX_LOADER_PD + i * 0x1000) | PTE_P | PTE_W);
	for (i = 0; i < NVMX_LOADER_NR_PD * PD_ENTRIES; i++)
		put64(mem, NVMX_LOADER_PD + i * 8,
		      i * TWO_MIB | PTE_P | PTE_W | PTE_PS);
	boot->cr3 = NVMX_LOADER_PML4;
}

/*
 * GDT: null, code, data and a 16-byte TSS descriptor at the selectors of
 * @boot (the ELF loader's, or the Linux boot protocol's); a zeroed TSS.
 */
static void build_gdt(unsigned char *mem, struct nvmx_boot *boot)
{
	uint64_t tss = NVMX_LOADER_TSS;
	uint64_t lo = TSS_LIMIT | (tss & 0xffffff) << 16 | TSS_TYPE_BUSY << 40 |
		      1ULL << 47 | ((tss >> 24) & 0xff) << 56;
	uint16_t cs = boot->cs ?: NVMX_LOADER_CS;
	uint16_t ds = boot->ds ?: NVMX_LOADER_DS;
	uint16_t tr = boot->tr ?: NVMX_LOADER_TR;
	uint16_t top = tr + 8;		/* the TSS descriptor's second half */

	if (cs > top)
		top = cs;
	if (ds > top)
		top = ds;

	memset(mem + NVMX_LOADER_GDT, 0, 0x1000);
	put64(mem, NVMX_LOADER_GDT + cs, GDT_CODE64);
	put64(mem, NVMX_LOADER_GDT + ds, GDT_DATA);
	put64(mem, NVMX_LOADER_GDT + tr, lo);
	put64(mem, NVMX_LOADER_GDT + tr + 8, tss >> 32);
	boot->gdt_base = NVMX_LOADER_GDT;
	boot->gdt_limit = top + 7;
	boot->tss_base = tss;
	boot->tss_limit = TSS_LIMIT;
}

/**
 * nvmx_loader_build_tables() - the long-mode tables of the low area
 * @mem: guest memory, at least NVMX_LOADER_LOW_END bytes
 * @boot: its @cs, @ds and @tr say where the descriptors go (0: the ELF
 *	  loader's selectors; distinct, 8-byte aligned, below 0x7f0); gets
 *	  @cr3 and the GDT and TSS
 *
 * Writes the identity-mapping page tables, the GDT and the TSS at their
 * places in loader.h's layout.
 */
void nvmx_loader_build_tables(void *mem, struct nvmx_boot *boot)
{
	build_page_tables(mem, boot);
	build_gdt(mem, boot);
}

/**
 * nvmx_load_elf() - load a static x86-64 ELF executable as a guest
 * @image: the file's contents
 * @len: its length
 * @mem: guest memory, guest-physical 0 onwards
 * @mem_size: its size: NVMX_LOADER_MIN_MEM to NVMX_LOADER_MAX_MEM, a
 *	      multiple of 64 KiB
 * @boot: where the guest starts and its CR3/GDT/TSS
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * Segments are placed at their physical addresses (p_paddr); the entry
 * point must be inside a loaded segment. @boot->load_end tells how much
 * room is left below the stack (for more vCPUs' stacks, say).
 *
 * Return: 0, -ENOEXEC for a file that is not a loadable guest, -E2BIG for
 * one that does not fit, -EINVAL for a bad @mem_size.
 */
int nvmx_load_elf(const void *image, size_t len, void *mem, uint64_t mem_size,
		  struct nvmx_boot *boot, char *err, size_t errlen)
{
	const unsigned char *img = image;
	const Elf64_Ehdr *eh = image;
	int loaded = 0, entry_ok = 0, ret;
	unsigned int i;

	if (mem_size < NVMX_LOADER_MIN_MEM || mem_size > NVMX_LOADER_MAX_MEM ||
	    mem_size % NVMX_LOADER_STACK_SIZE)
		return nvmx_load_fail(err, errlen, -EINVAL,
			    "guest memory must be 256 KiB to 4 GiB, in 64 KiB steps");
	ret = check_header(eh, len, err, errlen);
	if (ret)
		return ret;
	memset(boot, 0, sizeof(*boot));
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		ret = load_segment(&ph, img, len, mem, mem_size, err, errlen);
		if (ret)
			return ret;
		loaded++;
		entry_ok |= eh->e_entry - ph.p_paddr < ph.p_memsz;
		if (ph.p_paddr + ph.p_memsz > boot->load_end)
			boot->load_end = ph.p_paddr + ph.p_memsz;
	}
	if (!loaded)
		return nvmx_load_fail(err, errlen, -ENOEXEC, "no loadable segment");
	if (!entry_ok)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "entry point %#llx is not in a loaded segment",
			    (unsigned long long)eh->e_entry);
	nvmx_loader_build_tables(mem, boot);
	boot->entry = eh->e_entry;
	boot->rsp = mem_size;
	return 0;
}
