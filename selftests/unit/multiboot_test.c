// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the Multiboot loader of `nvmx run --kernel`
 * (tools/multiboot.c, tools/multiboot_info.c), with synthetic kernels:
 * an ELF32 kernel with two segments (one with a BSS), an ELF64 kernel
 * linked high, and an a.out-kludge image; then every refusal.
 */
#include <elf.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../../tools/libnvmx.h"
#include "../../tools/loader.h"
#include "../../tools/multiboot.h"

#define MEM		(8ULL << 20)
#define KLEN		0x3000
#define HDR_OFF		0x1000		/* the Multiboot header, in segment 0 */
#define SEG0		0x200000U
#define SEG1		0x300000U

static uint32_t get32(const unsigned char *p, uint64_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

static uint64_t get64(const unsigned char *p, uint64_t off)
{
	uint64_t v;

	memcpy(&v, p + off, 8);
	return v;
}

static void put32(unsigned char *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

/* A Multiboot header at @off with @flags and a checksum off by @bias. */
static void put_header(unsigned char *k, size_t off, uint32_t flags,
		       uint32_t bias)
{
	put32(k, off, MB_HEADER_MAGIC);
	put32(k, off + 4, flags);
	put32(k, off + 8, -(MB_HEADER_MAGIC + flags) + bias);
}

FIXTURE(mb) {
	unsigned char kernel[KLEN];
	unsigned char *mem;
	struct multiboot_module mods[3];
	unsigned char mod_data[2][5000];
	struct multiboot_args a;
	struct nvmx_boot boot;
	char err[256];
};

/*
 * ELF32: segment 0 = file 0x1000-0x1fff at 0x200000 with 0x2000 of BSS,
 * segment 1 = file 0x2000-0x27ff at 0x300000; entry 0x200010.
 */
FIXTURE_SETUP(mb)
{
	unsigned char *k = self->kernel;
	Elf32_Ehdr eh = {
		.e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
		.e_entry = SEG0 + 0x10, .e_phoff = sizeof(Elf32_Ehdr),
		.e_ehsize = sizeof(Elf32_Ehdr),
		.e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 2,
	};
	Elf32_Phdr ph[2] = {
		{ .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = SEG0,
		  .p_paddr = SEG0, .p_filesz = 0x1000, .p_memsz = 0x3000 },
		{ .p_type = PT_LOAD, .p_offset = 0x2000, .p_vaddr = SEG1,
		  .p_paddr = SEG1, .p_filesz = 0x800, .p_memsz = 0x800 },
	};
	unsigned int i;

	for (i = 0; i < KLEN; i++)
		k[i] = i * 7 + 1;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(k, &eh, sizeof(eh));
	memcpy(k + eh.e_phoff, ph, sizeof(ph));
	put_header(k, HDR_OFF, MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMORY, 0);

	self->mem = malloc(MEM);
	ASSERT_NE(NULL, self->mem);
	memset(self->mem, 0xaa, MEM);	/* what the loader must overwrite */
	for (i = 0; i < sizeof(self->mod_data[0]); i++) {
		self->mod_data[0][i] = i ^ 0x5a;
		self->mod_data[1][i] = i * 3;
	}
	self->mods[0] = (struct multiboot_module){
		self->mod_data[0], 5000, "/tmp/one arg=1",
	};
	self->mods[1] = (struct multiboot_module){ "", 0, "/tmp/empty" };
	self->mods[2] = (struct multiboot_module){
		self->mod_data[1], 4096, NULL,
	};
	self->a = (struct multiboot_args){
		.kernel = k, .kernel_len = KLEN, .cmdline = "/k console=x",
		.mods = self->mods, .nr_mods = 3,
	};
}

FIXTURE_TEARDOWN(mb)
{
	free(self->mem);
}

static int load(struct __test_metadata *_metadata, FIXTURE_DATA(mb) *self)
{
	self->err[0] = '\0';
	return nvmx_load_multiboot(&self->a, self->mem, MEM, &self->boot,
				   self->err, sizeof(self->err));
}

TEST_F(mb, elf32_segments_load_at_their_addresses_with_bss_zeroed)
{
	unsigned int i;

	ASSERT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	EXPECT_EQ(0, memcmp(self->mem + SEG0, self->kernel + 0x1000, 0x1000));
	for (i = 0x1000; i < 0x3000; i++)
		ASSERT_EQ(0, self->mem[SEG0 + i]) TH_LOG("BSS byte %#x", i);
	EXPECT_EQ(0, memcmp(self->mem + SEG1, self->kernel + 0x2000, 0x800));
	EXPECT_EQ(0xaa, self->mem[SEG1 + 0x800]);
	EXPECT_EQ(SEG0 + 0x10, self->boot.entry);
	EXPECT_EQ(MB_INFO_ADDR, self->boot.multiboot_info);
	EXPECT_EQ(MB_STACK, self->boot.rsp);
}

TEST_F(mb, info_has_memory_map_cmdline_and_loader_name)
{
	const unsigned char *m, *info;
	uint32_t flags, mmap;

	ASSERT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	m = self->mem;
	info = m + MB_INFO_ADDR;
	flags = get32(info, MBI_FLAGS);
	EXPECT_EQ(MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MODS |
		  MB_INFO_MMAP | MB_INFO_LOADER_NAME, flags);
	EXPECT_EQ(639, get32(info, MBI_MEM_LOWER));
	EXPECT_EQ((MEM >> 10) - 1024, get32(info, MBI_MEM_UPPER));
	EXPECT_STREQ("/k console=x", (const char *)m + get32(info, MBI_CMDLINE));
	EXPECT_STREQ("nvmx", (const char *)m + get32(info, MBI_LOADER_NAME));
	/* Bytes after the fields we fill are zero, not left over. */
	EXPECT_EQ(0, get32(info, 12));		/* boot_device */
	EXPECT_EQ(0, get32(info, 28));		/* syms */
	EXPECT_EQ(0, get32(info, 88));		/* framebuffer */
	/* The e820-like map: RAM, the BIOS hole, RAM from 1 MiB. */
	ASSERT_EQ(3 * 24, get32(info, MBI_MMAP_LENGTH));
	mmap = get32(info, MBI_MMAP_ADDR);
	EXPECT_EQ(20, get32(m, mmap));
	EXPECT_EQ(0, get64(m, mmap + 4));
	EXPECT_EQ(0x9fc00, get64(m, mmap + 12));
	EXPECT_EQ(1, get32(m, mmap + 20));
	EXPECT_EQ(0x9fc00, get64(m, mmap + 24 + 4));
	EXPECT_EQ(0x100000 - 0x9fc00, get64(m, mmap + 24 + 12));
	EXPECT_EQ(2, get32(m, mmap + 24 + 20));
	EXPECT_EQ(0x100000, get64(m, mmap + 48 + 4));
	EXPECT_EQ(MEM - 0x100000, get64(m, mmap + 48 + 12));
	EXPECT_EQ(1, get32(m, mmap + 48 + 20));
	/* mem_lower/upper agree with the map. */
	EXPECT_EQ(get32(info, MBI_MEM_LOWER) * 1024ULL, get64(m, mmap + 12));
	EXPECT_EQ(get32(info, MBI_MEM_UPPER) * 1024ULL,
		  get64(m, mmap + 48 + 12));
}

TEST_F(mb, modules_are_page_aligned_after_the_kernel_in_order)
{
	const unsigned char *m, *e;
	uint32_t start;

	ASSERT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	m = self->mem;
	ASSERT_EQ(3, get32(m + MB_INFO_ADDR, MBI_MODS_COUNT));
	e = m + get32(m + MB_INFO_ADDR, MBI_MODS_ADDR);
	/* The kernel ends at 0x300800: the first module at 0x301000. */
	start = get32(e, 0);
	EXPECT_EQ(SEG1 + 0x1000, start);
	EXPECT_EQ(start + 5000, get32(e, 4));
	EXPECT_EQ(0, memcmp(m + start, self->mod_data[0], 5000));
	EXPECT_STREQ("/tmp/one arg=1", (const char *)m + get32(e, 8));
	EXPECT_EQ(0, get32(e, 12));
	/* An empty module: start == end, page aligned. */
	EXPECT_EQ(start + 0x2000, get32(e + 16, 0));
	EXPECT_EQ(get32(e + 16, 0), get32(e + 16, 4));
	EXPECT_STREQ("/tmp/empty", (const char *)m + get32(e + 16, 8));
	EXPECT_EQ(start + 0x2000, get32(e + 32, 0));
	EXPECT_EQ(0, memcmp(m + start + 0x2000, self->mod_data[1], 4096));
	EXPECT_STREQ("", (const char *)m + get32(e + 32, 8));
	EXPECT_EQ(start + 0x3000, self->boot.load_end);
}

TEST_F(mb, no_cmdline_clears_its_flag)
{
	self->a.cmdline = NULL;
	self->a.nr_mods = 0;
	ASSERT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	EXPECT_EQ(0, get32(self->mem + MB_INFO_ADDR, MBI_FLAGS) &
		  MB_INFO_CMDLINE);
	EXPECT_EQ(0, get32(self->mem + MB_INFO_ADDR, MBI_MODS_COUNT));
	EXPECT_EQ(SEG1 + 0x800, self->boot.load_end);
}

/* ELF64 linked high (vaddr != paddr): loaded by paddr, entry moved. */
TEST_F(mb, elf64_kernel_loads_by_paddr_with_entry_translated)
{
	unsigned char k[KLEN] = { 0 };
	Elf64_Ehdr eh = {
		.e_type = ET_EXEC, .e_machine = EM_X86_64,
		.e_version = EV_CURRENT, .e_entry = 0xffffffff80000020ULL,
		.e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 1,
	};
	Elf64_Phdr ph = {
		.p_type = PT_LOAD, .p_offset = 0x1000,
		.p_vaddr = 0xffffffff80000000ULL, .p_paddr = 0x400000,
		.p_filesz = 0x1000, .p_memsz = 0x1000,
	};

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	memcpy(k, &eh, sizeof(eh));
	memcpy(k + eh.e_phoff, &ph, sizeof(ph));
	put_header(k, 0x1000, 0, 0);
	k[0x1020] = 0xf4;
	self->a.kernel = k;
	ASSERT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	EXPECT_EQ(0x400020, self->boot.entry);
	EXPECT_EQ(0xf4, self->mem[0x400020]);
	EXPECT_EQ(0x401000, get32(self->mem + MB_MODS_ADDR, 0));
}

/* The a.out kludge: the header's addresses, not the program headers. */
TEST_F(mb, aout_kludge_loads_by_the_header_addresses)
{
	unsigned char k[KLEN];
	unsigned int i;

	for (i = 0; i < KLEN; i++)
		k[i] = i + 3;
	/* Header at file 0x100 = 0x500100: the file from 0 at 0x500000. */
	put_header(k, 0x100, MB_FLAG_AOUT_KLUDGE | MB_FLAG_PAGE_ALIGN, 0);
	put32(k, 0x10c, 0x500100);
	put32(k, 0x110, 0x500000);
	put32(k, 0x114, 0x502000);	/* 0x2000 bytes of the file */
	put32(k, 0x118, 0x504000);	/* then 0x2000 of BSS */
	put32(k, 0x11c, 0x500200);
	self->a.kernel = k;
	ASSERT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	EXPECT_EQ(0x500200, self->boot.entry);
	EXPECT_EQ(0, memcmp(self->mem + 0x500000, k, 0x2000));
	for (i = 0x2000; i < 0x4000; i++)
		ASSERT_EQ(0, self->mem[0x500000 + i]) TH_LOG("BSS byte %#x", i);
	EXPECT_EQ(0x504000, get32(self->mem + MB_MODS_ADDR, 0));

	/* load_end_addr 0: the rest of the file. */
	put32(k, 0x114, 0);
	put32(k, 0x118, 0);
	memset(self->mem, 0xaa, MEM);
	ASSERT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	EXPECT_EQ(0, memcmp(self->mem + 0x500000, k, KLEN));
	EXPECT_EQ(0x500000 + KLEN, get32(self->mem + MB_MODS_ADDR, 0));
}

TEST_F(mb, header_search_needs_alignment_checksum_and_first_8k)
{
	unsigned char *k = calloc(1, 3 * MB_SEARCH);
	struct multiboot_header h;

	ASSERT_NE(NULL, k);
	/* Nothing: not a Multiboot kernel at all. */
	EXPECT_EQ(0, multiboot_find_header(k, 3 * MB_SEARCH, &h, NULL, 0));
	/* Misaligned: not found. */
	put_header(k, 0x102, 0, 0);
	EXPECT_EQ(0, multiboot_find_header(k, 3 * MB_SEARCH, &h, NULL, 0));
	/* Past 8 KiB: not found. */
	memset(k, 0, 0x200);
	put_header(k, MB_SEARCH, 0, 0);
	EXPECT_EQ(0, multiboot_find_header(k, 3 * MB_SEARCH, &h, NULL, 0));
	/* The last place it may be: found. */
	put_header(k, MB_SEARCH - 12, MB_FLAG_VIDEO, 0);
	EXPECT_EQ(1, multiboot_find_header(k, 3 * MB_SEARCH, &h, NULL, 0));
	EXPECT_EQ(MB_SEARCH - 12, h.offset);
	EXPECT_EQ(MB_FLAG_VIDEO, h.flags);
	/* A bad checksum before a good header: the good one wins. */
	put_header(k, 0x40, 0, 1);
	EXPECT_EQ(1, multiboot_find_header(k, 3 * MB_SEARCH, &h, NULL, 0));
	/* A file shorter than the header: not found. */
	EXPECT_EQ(0, multiboot_find_header(k, 0x40 + 8, &h, NULL, 0));
	free(k);
}

TEST_F(mb, bad_checksum_is_refused_with_a_reason)
{
	struct multiboot_header h;

	put_header(self->kernel, HDR_OFF, MB_FLAG_MEMORY, 1);
	EXPECT_EQ(-ENOEXEC, multiboot_find_header(self->kernel, KLEN, &h,
						  self->err, sizeof(self->err)));
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	EXPECT_NE(NULL, strstr(self->err, "bad checksum")) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "4096")) TH_LOG("%s", self->err);
}

TEST_F(mb, unknown_required_flags_are_refused_and_named)
{
	put_header(self->kernel, HDR_OFF, MB_FLAG_MEMORY | 0x8 | 0x400, 0);
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	EXPECT_NE(NULL, strstr(self->err, "0x408")) TH_LOG("%s", self->err);
	/* Unknown optional flags (31:17) and video (2) are fine. */
	put_header(self->kernel, HDR_OFF, MB_FLAG_VIDEO | (1U << 20), 0);
	EXPECT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
}

TEST_F(mb, files_without_a_header_are_refused)
{
	memset(self->kernel + HDR_OFF, 0, 12);
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	EXPECT_NE(NULL, strstr(self->err, "no Multiboot header"));
	self->a.kernel_len = 0;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
}

/* Patch segment @i's program header field at @off. */
static void patch_phdr(unsigned char *k, int i, size_t off, uint32_t v)
{
	put32(k, sizeof(Elf32_Ehdr) + i * sizeof(Elf32_Phdr) + off, v);
}

TEST_F(mb, segments_outside_memory_or_file_are_refused)
{
	unsigned char saved[KLEN];
	static const struct {
		int seg;
		size_t off;
		uint32_t val;
		int ret;
		const char *why;
	} cases[] = {
		{ 0, offsetof(Elf32_Phdr, p_paddr), 0x80000, -E2BIG,
		  "outside guest memory" },		/* below 1 MiB */
		{ 0, offsetof(Elf32_Phdr, p_paddr), MEM - 0x1000, -E2BIG,
		  "outside guest memory" },		/* past the end */
		{ 0, offsetof(Elf32_Phdr, p_paddr), 0xffffe000, -E2BIG,
		  "outside guest memory" },		/* wraps */
		{ 1, offsetof(Elf32_Phdr, p_offset), KLEN - 0x7ff, -ENOEXEC,
		  "outside the file" },
		{ 1, offsetof(Elf32_Phdr, p_filesz), 0x801, -ENOEXEC,
		  "file size above" },
		{ 0, offsetof(Elf32_Phdr, p_memsz), 0, -ENOEXEC,
		  "entry point" },			/* entry not loaded */
	};
	unsigned int i;

	memcpy(saved, self->kernel, KLEN);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(self->kernel, saved, KLEN);
		patch_phdr(self->kernel, cases[i].seg, cases[i].off,
			   cases[i].val);
		EXPECT_EQ(cases[i].ret, load(_metadata, self))
			TH_LOG("case %u: %s", i, self->err);
		EXPECT_NE(NULL, strstr(self->err, cases[i].why))
			TH_LOG("case %u: %s", i, self->err);
	}
	/* Program headers past the end of the file. */
	memcpy(self->kernel, saved, KLEN);
	put32(self->kernel, offsetof(Elf32_Ehdr, e_phoff), KLEN - 8);
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	EXPECT_NE(NULL, strstr(self->err, "program headers"));
	/* Not x86. */
	memcpy(self->kernel, saved, KLEN);
	self->kernel[offsetof(Elf32_Ehdr, e_machine)] = EM_ARM;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
}

TEST_F(mb, aout_addresses_that_do_not_fit_are_refused)
{
	unsigned char *k = self->kernel;

	put_header(k, 0x100, MB_FLAG_AOUT_KLUDGE, 0);
	put32(k, 0x10c, 0x500100);
	put32(k, 0x110, 0x500200);	/* load_addr above header_addr */
	put32(k, 0x114, 0);
	put32(k, 0x118, 0);
	put32(k, 0x11c, 0x500200);
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	put32(k, 0x110, 0x400000);	/* the header before the file */
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	put32(k, 0x110, 0x500000);
	put32(k, 0x114, 0x500000 + KLEN + 1);	/* past the file */
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	put32(k, 0x114, 0x501000);
	put32(k, 0x118, 0x500800);	/* bss_end below load_end */
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	put32(k, 0x118, 0);
	put32(k, 0x11c, 0x501000);	/* entry past the image */
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
	EXPECT_NE(NULL, strstr(self->err, "entry point"));
	put32(k, 0x11c, 0x500200);
	EXPECT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	/* A header cut short by the end of the file. */
	self->a.kernel_len = 0x100 + 20;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self));
}

TEST_F(mb, modules_and_strings_that_do_not_fit_are_refused)
{
	char *big;

	self->mods[0].len = MEM;	/* more than guest memory */
	EXPECT_EQ(-E2BIG, load(_metadata, self));
	EXPECT_NE(NULL, strstr(self->err, "module 1")) TH_LOG("%s", self->err);
	self->mods[0].len = 5000;
	self->a.nr_mods = MB_MAX_MODULES + 1;
	EXPECT_EQ(-E2BIG, load(_metadata, self));
	self->a.nr_mods = 3;
	big = malloc(MB_STRINGS_END - MB_STRINGS_ADDR + 1);
	ASSERT_NE(NULL, big);
	memset(big, 'x', MB_STRINGS_END - MB_STRINGS_ADDR);
	big[MB_STRINGS_END - MB_STRINGS_ADDR] = '\0';
	self->a.cmdline = big;
	EXPECT_EQ(-E2BIG, load(_metadata, self));
	/* One byte less fits with its NUL, but then module strings do not. */
	big[MB_STRINGS_END - MB_STRINGS_ADDR - 1] = '\0';
	EXPECT_EQ(-E2BIG, load(_metadata, self));
	self->a.nr_mods = 0;
	EXPECT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	free(big);
}

TEST_F(mb, memory_size_is_checked)
{
	struct nvmx_boot b;

	EXPECT_EQ(-EINVAL, nvmx_load_multiboot(&self->a, self->mem, 1 << 20,
					       &b, self->err, sizeof(self->err)));
	EXPECT_EQ(-EINVAL, nvmx_load_multiboot(&self->a, self->mem,
					       MEM + 0x1000, &b, self->err,
					       sizeof(self->err)));
}

TEST(sregs_are_flat_32bit_protected_mode_without_paging)
{
	struct nvmx_sregs s;
	const struct nvmx_segment *segs[5];
	unsigned int i;

	memset(&s, 0x55, sizeof(s));
	multiboot_sregs(&s);
	EXPECT_EQ(MB_CS, s.cs.selector);
	EXPECT_EQ(0, s.cs.base);
	EXPECT_EQ(0xffffffff, s.cs.limit);
	EXPECT_EQ(0xb, s.cs.type);
	EXPECT_EQ(1, s.cs.db);
	EXPECT_EQ(0, s.cs.l);
	EXPECT_EQ(1, s.cs.g);
	EXPECT_EQ(1, s.cs.present);
	EXPECT_EQ(1, s.cs.s);
	EXPECT_EQ(0, s.cs.unusable);
	segs[0] = &s.ds;
	segs[1] = &s.es;
	segs[2] = &s.fs;
	segs[3] = &s.gs;
	segs[4] = &s.ss;
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(MB_DS, segs[i]->selector);
		EXPECT_EQ(0, segs[i]->base);
		EXPECT_EQ(0xffffffff, segs[i]->limit);
		EXPECT_EQ(3, segs[i]->type);
		EXPECT_EQ(1, segs[i]->db);
		EXPECT_EQ(1, segs[i]->present);
		EXPECT_EQ(0, segs[i]->dpl);
	}
	EXPECT_EQ(0xb, s.tr.type);
	EXPECT_EQ(0, s.tr.s);
	EXPECT_EQ(1, s.ldt.unusable);
	EXPECT_EQ(MB_GDT_ADDR, s.gdt.base);
	EXPECT_EQ(0, s.idt.limit);
	EXPECT_EQ(0x11, s.cr0);		/* PE, ET; no PG */
	EXPECT_EQ(0, s.cr4);
	EXPECT_EQ(0, s.efer);
}

TEST_F(mb, gdt_holds_the_descriptors_of_the_entry_selectors)
{
	ASSERT_EQ(0, load(_metadata, self)) TH_LOG("%s", self->err);
	EXPECT_EQ(0, get64(self->mem, MB_GDT_ADDR));
	EXPECT_EQ(0x00cf9b000000ffffULL, get64(self->mem, MB_GDT_ADDR + MB_CS));
	EXPECT_EQ(0x00cf93000000ffffULL, get64(self->mem, MB_GDT_ADDR + MB_DS));
	/* A busy 32-bit TSS at MB_TSS_ADDR, limit 0x67. */
	EXPECT_EQ(0x67 | (MB_TSS_ADDR << 16) | 0x8bULL << 40,
		  get64(self->mem, MB_GDT_ADDR + MB_TR));
}

TEST_HARNESS_MAIN
