// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a Multiboot (v1) kernel (multiboot.h): find and check its
 * header, load the kernel image (ELF32/ELF64 program headers, or the
 * header's a.out kludge addresses), then hand over to multiboot_info.c
 * for the modules and the information structure. The kernel comes from
 * the user: every offset and size is bounded before use, with
 * overflow-safe arithmetic.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"
#include "multiboot.h"

static uint32_t get32(const unsigned char *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));		/* x86: little-endian */
	return v;
}

/* [start, start + size) lies inside [lo, hi), without overflow. */
static bool inside(uint64_t start, uint64_t size, uint64_t lo, uint64_t hi)
{
	return start >= lo && start <= hi && size <= hi - start;
}

/**
 * multiboot_find_header() - find the Multiboot header of a kernel file
 * @kernel: the file's contents
 * @len: its length
 * @h: the header, when there is one
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * The header is the first 4-byte aligned magic in the first 8 KiB whose
 * checksum (magic + flags + checksum == 0 mod 2^32) holds.
 *
 * Return: 1 with @h filled, 0 if there is no magic at all (not a
 * Multiboot kernel), -ENOEXEC for a magic without a good header (bad
 * checksum, header cut short by the end of the file).
 */
int multiboot_find_header(const void *kernel, size_t len,
			  struct multiboot_header *h, char *err, size_t errlen)
{
	const unsigned char *k = kernel;
	size_t end = len < MB_SEARCH ? len : MB_SEARCH, off;
	int bad = 0;

	for (off = 0; off + 12 <= end; off += 4) {
		uint32_t flags;

		if (get32(k, off) != MB_HEADER_MAGIC)
			continue;
		flags = get32(k, off + 4);
		if (MB_HEADER_MAGIC + flags + get32(k, off + 8) != 0) {
			bad = nvmx_load_fail(err, errlen, -ENOEXEC,
				    "Multiboot header at offset %zu: bad checksum",
				    off);
			continue;
		}
		if ((flags & MB_FLAG_AOUT_KLUDGE) && off + 32 > len)
			return nvmx_load_fail(err, errlen, -ENOEXEC,
				    "Multiboot header at offset %zu: the file ends inside its address fields",
				    off);
		memset(h, 0, sizeof(*h));
		h->offset = off;
		h->flags = flags;
		if (flags & MB_FLAG_AOUT_KLUDGE) {
			h->header_addr = get32(k, off + 12);
			h->load_addr = get32(k, off + 16);
			h->load_end_addr = get32(k, off + 20);
			h->bss_end_addr = get32(k, off + 24);
			h->entry_addr = get32(k, off + 28);
		}
		return 1;
	}
	return bad;
}

/* Copy @filesz bytes from the file and zero up to @memsz, at @paddr. */
static int load_piece(const unsigned char *k, size_t len, uint64_t offset,
		      uint64_t filesz, uint64_t paddr, uint64_t memsz,
		      unsigned char *mem, uint64_t mem_size, uint64_t *end,
		      char *err, size_t errlen)
{
	if (filesz > memsz)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "segment at %#llx: file size above memory size",
			    (unsigned long long)paddr);
	if (!inside(offset, filesz, 0, len))
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "segment at %#llx: data outside the file",
			    (unsigned long long)paddr);
	if (!inside(paddr, memsz, MB_KERNEL_MIN, mem_size))
		return nvmx_load_fail(err, errlen, -E2BIG,
			    "segment [%#llx, +%#llx) is outside guest memory from 1 MiB [%#llx, %#llx)",
			    (unsigned long long)paddr,
			    (unsigned long long)memsz, MB_KERNEL_MIN,
			    (unsigned long long)mem_size);
	memcpy(mem + paddr, k + offset, filesz);
	memset(mem + paddr + filesz, 0, memsz - filesz);
	if (paddr + memsz > *end)
		*end = paddr + memsz;
	return 0;
}

/* The a.out kludge: the header says where the image goes and starts. */
static int load_aout(const unsigned char *k, size_t len,
		     const struct multiboot_header *h, unsigned char *mem,
		     uint64_t mem_size, struct nvmx_boot *boot, char *err,
		     size_t errlen)
{
	uint64_t start, filesz, memsz;

	/* The file from start on is loaded at load_addr. */
	if (h->load_addr > h->header_addr ||
	    h->header_addr - h->load_addr > h->offset)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "Multiboot header: load_addr %#x does not fit header_addr %#x at offset %u",
			    h->load_addr, h->header_addr, h->offset);
	start = h->offset - (h->header_addr - h->load_addr);
	if (!h->load_end_addr)
		filesz = len - start;
	else if (h->load_end_addr <= h->load_addr)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "Multiboot header: load_end_addr %#x is not above load_addr %#x",
			    h->load_end_addr, h->load_addr);
	else
		filesz = h->load_end_addr - h->load_addr;
	memsz = filesz;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < h->load_addr + filesz)
			return nvmx_load_fail(err, errlen, -ENOEXEC,
				    "Multiboot header: bss_end_addr %#x is below the end of the image %#llx",
				    h->bss_end_addr,
				    (unsigned long long)(h->load_addr + filesz));
		memsz = h->bss_end_addr - h->load_addr;
	}
	if (h->entry_addr < h->load_addr ||
	    h->entry_addr - h->load_addr >= memsz)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "entry point %#x is not in the loaded image",
			    h->entry_addr);
	boot->entry = h->entry_addr;
	return load_piece(k, len, start, filesz, h->load_addr, memsz, mem,
			  mem_size, &boot->load_end, err, errlen);
}

/* A program header of either class, widened. */
struct mb_phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

static void read_phdr(const unsigned char *k, uint64_t off, bool is64,
		      struct mb_phdr *p)
{
	if (is64) {
		Elf64_Phdr ph;

		memcpy(&ph, k + off, sizeof(ph));
		*p = (struct mb_phdr){ ph.p_type, ph.p_offset, ph.p_vaddr,
				       ph.p_paddr, ph.p_filesz, ph.p_memsz };
	} else {
		Elf32_Phdr ph;

		memcpy(&ph, k + off, sizeof(ph));
		*p = (struct mb_phdr){ ph.p_type, ph.p_offset, ph.p_vaddr,
				       ph.p_paddr, ph.p_filesz, ph.p_memsz };
	}
}

/* The ELF header's fields we use, from either class. */
static int elf_header(const unsigned char *k, size_t len, bool *is64,
		      uint64_t *entry, uint64_t *phoff, unsigned int *phnum,
		      char *err, size_t errlen)
{
	Elf64_Ehdr e64;
	Elf32_Ehdr e32;
	unsigned int phentsize, machine, type;

	if (len < sizeof(e32) || memcmp(k, ELFMAG, SELFMAG))
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "a Multiboot kernel without the a.out kludge (flag 16) must be an ELF file");
	*is64 = k[EI_CLASS] == ELFCLASS64;
	if (*is64 && len >= sizeof(e64)) {
		memcpy(&e64, k, sizeof(e64));
		machine = e64.e_machine;
		type = e64.e_type;
		*entry = e64.e_entry;
		*phoff = e64.e_phoff;
		*phnum = e64.e_phnum;
		phentsize = e64.e_phentsize;
	} else {
		memcpy(&e32, k, sizeof(e32));
		machine = e32.e_machine;
		type = e32.e_type;
		*entry = e32.e_entry;
		*phoff = e32.e_phoff;
		*phnum = e32.e_phnum;
		phentsize = e32.e_phentsize;
	}
	if ((k[EI_CLASS] != ELFCLASS32 && !*is64) ||
	    (*is64 && len < sizeof(e64)) || k[EI_DATA] != ELFDATA2LSB ||
	    machine != (*is64 ? EM_X86_64 : EM_386))
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "not a little-endian i386 (ELF32) or x86-64 (ELF64) ELF file");
	if (type != ET_EXEC)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "not a static executable (ELF type %u)", type);
	if (phentsize != (*is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
	    *phnum == 0 || *phoff > len ||
	    (uint64_t)*phnum * phentsize > len - *phoff)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "program headers outside the file");
	return 0;
}

/*
 * The PT_LOAD segments at their physical addresses. The entry point is a
 * virtual address: inside a segment whose p_vaddr differs from p_paddr
 * it is moved by the same offset, as GRUB does; paging is off at entry.
 */
static int load_elf(const unsigned char *k, size_t len, unsigned char *mem,
		    uint64_t mem_size, struct nvmx_boot *boot, char *err,
		    size_t errlen)
{
	uint64_t entry = 0, phoff = 0, phys_entry = 0;
	unsigned int phnum = 0, i, loaded = 0;
	bool is64, entry_ok = false;
	int ret;

	ret = elf_header(k, len, &is64, &entry, &phoff, &phnum, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < phnum; i++) {
		struct mb_phdr p;

		read_phdr(k, phoff + (uint64_t)i *
			  (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)),
			  is64, &p);
		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		ret = load_piece(k, len, p.offset, p.filesz, p.paddr, p.memsz,
				 mem, mem_size, &boot->load_end, err, errlen);
		if (ret)
			return ret;
		loaded++;
		if (!entry_ok && entry - p.vaddr < p.memsz) {
			phys_entry = entry - p.vaddr + p.paddr;
			entry_ok = true;
		}
	}
	if (!loaded)
		return nvmx_load_fail(err, errlen, -ENOEXEC, "no loadable segment");
	if (!entry_ok)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "entry point %#llx is not in a loaded segment",
			    (unsigned long long)entry);
	boot->entry = phys_entry;
	return 0;
}

/**
 * nvmx_load_multiboot() - load a Multiboot kernel, its modules and info
 * @a: the kernel, its command line and its modules
 * @mem: guest memory, guest-physical 0 onwards
 * @mem_size: its size, 2 MiB to 4 GiB in 64 KiB steps
 * @boot: gets @entry (EIP), @rsp (ESP), @multiboot_info (EBX) and
 *	  @load_end (the end of the last module, or of the kernel); the
 *	  segment state is multiboot_sregs()'s
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * Return: 0, -ENOEXEC for a file that is not a Multiboot kernel we can
 * boot (no header, bad checksum, unknown required flags, bad ELF),
 * -E2BIG for a kernel, module or string that does not fit, -EINVAL for a
 * bad @mem_size.
 */
int nvmx_load_multiboot(const struct multiboot_args *a, void *mem,
			uint64_t mem_size, struct nvmx_boot *boot, char *err,
			size_t errlen)
{
	struct multiboot_header h;
	uint32_t unknown;
	int ret;

	if (mem_size > NVMX_LOADER_MAX_MEM || mem_size % 0x10000 ||
	    mem_size < MB_KERNEL_MIN * 2)
		return nvmx_load_fail(err, errlen, -EINVAL,
			    "guest memory must be 2 MiB to 4 GiB, in 64 KiB steps");
	ret = multiboot_find_header(a->kernel, a->kernel_len, &h, err, errlen);
	if (ret <= 0)
		return ret ?: nvmx_load_fail(err, errlen, -ENOEXEC,
				   "no Multiboot header in the first 8 KiB");
	unknown = h.flags & 0xffff & ~MB_FLAGS_KNOWN_REQUIRED;
	if (unknown)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "the Multiboot header requires features nvmx does not know (flags %#x)",
			    unknown);
	if (a->nr_mods > MB_MAX_MODULES)
		return nvmx_load_fail(err, errlen, -E2BIG,
			    "%u modules: %d at most", a->nr_mods,
			    MB_MAX_MODULES);
	memset(boot, 0, sizeof(*boot));
	if (h.flags & MB_FLAG_AOUT_KLUDGE)
		ret = load_aout(a->kernel, a->kernel_len, &h, mem, mem_size,
				boot, err, errlen);
	else
		ret = load_elf(a->kernel, a->kernel_len, mem, mem_size, boot,
			       err, errlen);
	if (ret)
		return ret;
	ret = multiboot_build_info(a, mem, mem_size, boot, err, errlen);
	if (ret)
		return ret;
	boot->rsp = MB_STACK;
	boot->multiboot_info = MB_INFO_ADDR;
	return 0;
}
