// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the guest ELF loader of `nvmx run` (tools/loader.c), with
 * well-formed and malformed images built in memory.
 */
#include <elf.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../../tools/loader.h"

#define MEM	(1024 * 1024)

struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	unsigned char code[64];
};

/* One PT_LOAD at @paddr: 64 bytes of HLTs in a 4 KiB segment. */
static void good_image(struct image *im, uint64_t paddr)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = paddr;
	im->eh.e_phoff = offsetof(struct image, ph);
	im->eh.e_ehsize = sizeof(Elf64_Ehdr);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->eh.e_phnum = 1;
	im->ph[0].p_type = PT_LOAD;
	im->ph[0].p_offset = offsetof(struct image, code);
	im->ph[0].p_paddr = paddr;
	im->ph[0].p_vaddr = paddr;
	im->ph[0].p_filesz = sizeof(im->code);
	im->ph[0].p_memsz = 4096;
	memset(im->code, 0xf4, sizeof(im->code));	/* hlt */
}

static uint64_t get64(const unsigned char *mem, uint64_t gpa)
{
	__u64 v;

	memcpy(&v, mem + gpa, sizeof(v));
	return v;
}

FIXTURE(mem) {
	unsigned char *mem;
	struct image im;
	struct nvmx_boot boot;
	char err[256];
};

FIXTURE_SETUP(mem)
{
	self->mem = malloc(MEM);
	ASSERT_NE(NULL, self->mem);
	memset(self->mem, 0xcc, MEM);
	good_image(&self->im, 0x20000);
}

FIXTURE_TEARDOWN(mem)
{
	free(self->mem);
}

static int load(struct __test_metadata *_metadata, FIXTURE_DATA(mem) *self,
		uint64_t mem_size)
{
	self->err[0] = '\0';
	return nvmx_load_elf(&self->im, sizeof(self->im), self->mem, mem_size,
			     &self->boot, self->err, sizeof(self->err));
}

TEST_F(mem, a_static_image_is_loaded_with_long_mode_tables)
{
	ASSERT_EQ(0, load(_metadata, self, MEM)) TH_LOG("%s", self->err);
	EXPECT_EQ(0x20000, self->boot.entry);
	EXPECT_EQ(MEM, self->boot.rsp);
	EXPECT_EQ(NVMX_LOADER_PML4, self->boot.cr3);
	/* Code copied, the rest of p_memsz zeroed, beyond left alone. */
	EXPECT_EQ(0xf4, self->mem[0x20000]);
	EXPECT_EQ(0xf4, self->mem[0x2003f]);
	EXPECT_EQ(0, self->mem[0x20040]);
	EXPECT_EQ(0, self->mem[0x20fff]);
	EXPECT_EQ(0xcc, self->mem[0x21000]);
	/* PML4[0] -> PDPT, PDPT[0] -> PD, PD[0] maps 0-2 MiB, large. */
	EXPECT_EQ(NVMX_LOADER_PDPT | 3, get64(self->mem, NVMX_LOADER_PML4));
	EXPECT_EQ(0, get64(self->mem, NVMX_LOADER_PML4 + 8));
	EXPECT_EQ(NVMX_LOADER_PD | 3, get64(self->mem, NVMX_LOADER_PDPT));
	EXPECT_EQ(0x83, get64(self->mem, NVMX_LOADER_PD));
	/* Beyond the 1 MiB of memory: mapped all the same. */
	EXPECT_EQ(0x200083, get64(self->mem, NVMX_LOADER_PD + 8));
	EXPECT_EQ(0x21000, self->boot.load_end);
}

TEST_F(mem, the_gdt_has_code_data_and_a_busy_tss)
{
	__u64 tss_lo, tss_hi;

	ASSERT_EQ(0, load(_metadata, self, MEM));
	EXPECT_EQ(0, get64(self->mem, NVMX_LOADER_GDT));
	/* Code: present, DPL 0, type 0xb, L=1, D=0. */
	EXPECT_EQ(0x00af9b000000ffffULL,
		  get64(self->mem, NVMX_LOADER_GDT + NVMX_LOADER_CS));
	EXPECT_EQ(0x00cf93000000ffffULL,
		  get64(self->mem, NVMX_LOADER_GDT + NVMX_LOADER_DS));
	tss_lo = get64(self->mem, NVMX_LOADER_GDT + NVMX_LOADER_TR);
	tss_hi = get64(self->mem, NVMX_LOADER_GDT + NVMX_LOADER_TR + 8);
	EXPECT_EQ(0x67, tss_lo & 0xffff);
	EXPECT_EQ(NVMX_LOADER_TSS, (tss_lo >> 16) & 0xffffff);
	EXPECT_EQ(0x8b, (tss_lo >> 40) & 0xff);	/* present, busy TSS */
	EXPECT_EQ(0, tss_hi);
	EXPECT_EQ(NVMX_LOADER_TR + 15, self->boot.gdt_limit);
	EXPECT_EQ(NVMX_LOADER_TSS, self->boot.tss_base);
	EXPECT_EQ(0x67, self->boot.tss_limit);
}

/* The PD entry that maps guest-physical @gpa (the PDs are contiguous). */
static __u64 pde(const unsigned char *mem, __u64 gpa)
{
	return get64(mem, NVMX_LOADER_PD + gpa / 0x200000 * 8);
}

TEST_F(mem, the_first_4_gib_are_mapped_whatever_the_memory_size)
{
	static const __u64 sizes[] = { NVMX_LOADER_MIN_MEM, MEM };
	unsigned int i, gib;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		memset(self->mem, 0xcc, MEM);
		ASSERT_EQ(0, load(_metadata, self, sizes[i]));
		for (gib = 0; gib < 4; gib++)
			EXPECT_EQ((NVMX_LOADER_PD + gib * 0x1000) | 3,
				  get64(self->mem, NVMX_LOADER_PDPT + gib * 8));
		EXPECT_EQ(0, get64(self->mem, NVMX_LOADER_PDPT + 4 * 8));
		EXPECT_EQ(0x40000000ULL | 0x83, pde(self->mem, 0x40000000));
		EXPECT_EQ(0x3fe00000ULL | 0x83, pde(self->mem, 0x3fe00000));
		/* MMIO above RAM, the local APIC, the last 2 MiB below 4 GiB. */
		EXPECT_EQ(0xd0000000ULL | 0x83, pde(self->mem, 0xd0000000));
		EXPECT_EQ(0xfee00000ULL | 0x83, pde(self->mem, 0xfee00000));
		EXPECT_EQ(0xffe00000ULL | 0x83, pde(self->mem, 0xffe00000));
		/* The tables end where the loader's reserved area begins. */
		EXPECT_EQ(0, get64(self->mem, 0x8000));
	}
}

TEST_F(mem, load_end_is_the_end_of_the_highest_segment)
{
	/* Two segments, the second one higher but first in the table. */
	self->im.eh.e_phnum = 2;
	self->im.ph[1] = self->im.ph[0];
	self->im.ph[0].p_paddr = 0x40000;
	self->im.ph[0].p_memsz = 0x3000;
	ASSERT_EQ(0, load(_metadata, self, MEM)) TH_LOG("%s", self->err);
	EXPECT_EQ(0x43000, self->boot.load_end);
}

TEST_F(mem, bad_memory_sizes_are_refused)
{
	EXPECT_EQ(-EINVAL, load(_metadata, self, 0));
	EXPECT_EQ(-EINVAL, load(_metadata, self, NVMX_LOADER_MIN_MEM - 0x10000));
	EXPECT_EQ(-EINVAL, load(_metadata, self, MEM + 4096));
	EXPECT_EQ(-EINVAL, load(_metadata, self, NVMX_LOADER_MAX_MEM + 0x10000));
	EXPECT_NE(0, self->err[0]);
}

TEST_F(mem, files_that_are_not_static_x86_64_elf_are_refused)
{
	struct image good = self->im;

	self->im.eh.e_ident[0] = 0;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));
	EXPECT_STREQ("not an ELF file", self->err);

	self->im = good;
	self->im.eh.e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));

	self->im = good;
	self->im.eh.e_machine = EM_386;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));

	self->im = good;
	self->im.eh.e_type = ET_DYN;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));
	EXPECT_NE(NULL, strstr(self->err, "not a static executable"));
}

TEST_F(mem, program_headers_and_data_must_be_inside_the_file)
{
	struct image good = self->im;

	self->im.eh.e_phoff = sizeof(self->im);
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));
	EXPECT_STREQ("program headers outside the file", self->err);

	self->im = good;
	self->im.eh.e_phoff = ~0ULL;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));

	self->im = good;
	self->im.eh.e_phnum = 0xffff;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));

	self->im = good;
	self->im.ph[0].p_offset = ~0ULL - 8;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));
	EXPECT_NE(NULL, strstr(self->err, "data outside the file"));

	self->im = good;
	self->im.ph[0].p_filesz = sizeof(self->im);
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));

	self->im = good;
	self->im.ph[0].p_memsz = 8;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));
	EXPECT_NE(NULL, strstr(self->err, "file size above memory size"));
}

TEST_F(mem, segments_must_fit_between_the_low_area_and_the_stack)
{
	struct image good = self->im;
	static const __u64 bad[] = {
		0, 0x1000, NVMX_LOADER_LOW_END - 4096,	/* low area */
		MEM - NVMX_LOADER_STACK_SIZE,		/* stack */
		MEM - NVMX_LOADER_STACK_SIZE - 4095,	/* ends in the stack */
		MEM, ~0ULL - 100,			/* beyond, wrapping */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		self->im = good;
		self->im.ph[0].p_paddr = bad[i];
		self->im.eh.e_entry = bad[i];
		EXPECT_EQ(-E2BIG, load(_metadata, self, MEM))
			TH_LOG("paddr %#llx", (unsigned long long)bad[i]);
	}
	/* Just fits: right below the stack. */
	self->im = good;
	self->im.ph[0].p_paddr = MEM - NVMX_LOADER_STACK_SIZE - 4096;
	self->im.eh.e_entry = self->im.ph[0].p_paddr;
	EXPECT_EQ(0, load(_metadata, self, MEM)) TH_LOG("%s", self->err);
	self->im.ph[0].p_paddr = NVMX_LOADER_LOW_END;
	self->im.eh.e_entry = NVMX_LOADER_LOW_END;
	EXPECT_EQ(0, load(_metadata, self, MEM)) TH_LOG("%s", self->err);
}

TEST_F(mem, the_entry_point_must_be_in_a_loaded_segment)
{
	self->im.eh.e_entry = 0x20000 + 4096;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));
	EXPECT_NE(NULL, strstr(self->err, "entry point"));
	self->im.eh.e_entry = 0x20000 - 1;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));
	self->im.eh.e_entry = 0x20000 + 4095;
	EXPECT_EQ(0, load(_metadata, self, MEM));
}

TEST_F(mem, an_image_without_loadable_segments_is_refused)
{
	self->im.ph[0].p_type = PT_NOTE;
	EXPECT_EQ(-ENOEXEC, load(_metadata, self, MEM));
	EXPECT_STREQ("no loadable segment", self->err);
}

TEST_HARNESS_MAIN
