// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the Linux loader of `nvmx run --kernel` (tools/linux_boot.c)
 * and of what run_linux.c adds (TSC CPUID leaves, default command line),
 * with a synthetic bzImage: a setup header and a recognisable payload.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../../tools/libnvmx.h"
#include "../../tools/linux_boot.h"
#include "../../tools/loader.h"
#include "../../tools/run.h"

#define MEM		(64ULL << 20)
#define SETUP_SECTS	4
#define PM_LEN		0x3000

static void put16(unsigned char *p, size_t off, uint16_t v)
{
	memcpy(p + off, &v, 2);
}

static void put32(unsigned char *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

static uint32_t get32(const unsigned char *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

FIXTURE(lb) {
	unsigned char kernel[(SETUP_SECTS + 1) * 512 + PM_LEN];
	unsigned char *mem;
	struct linux_boot_args a;
	struct nvmx_boot boot;
	char err[256];
};

FIXTURE_SETUP(lb)
{
	unsigned char *k = self->kernel;

	memset(k, 0, sizeof(self->kernel));
	k[0x1f1] = SETUP_SECTS;
	put16(k, 0x1fe, 0xaa55);
	k[0x200] = 0xeb;
	k[0x201] = 0x6a;			/* header ends at 0x26c */
	memcpy(k + 0x202, "HdrS", 4);
	put16(k, 0x206, 0x020f);
	k[0x211] = 0x01;			/* LOADED_HIGH */
	put32(k, 0x214, 0x100000);
	put32(k, 0x22c, 0x7fffffff);
	put16(k, 0x236, 0x7f);
	put32(k, 0x238, 0x7ff);
	put32(k, 0x258, 0x1000000);		/* pref_address 16 MiB */
	put32(k, 0x260, 0x800000);		/* init_size 8 MiB */
	memset(k + (SETUP_SECTS + 1) * 512, 0xc3, PM_LEN);
	self->mem = calloc(1, MEM);
	ASSERT_NE(NULL, self->mem);
	self->a = (struct linux_boot_args){
		.kernel = k, .kernel_len = sizeof(self->kernel),
		.cmdline = "console=ttyS0",
	};
}

FIXTURE_TEARDOWN(lb)
{
	free(self->mem);
}

static int load(struct _test_data_lb *self)
{
	self->err[0] = '\0';
	return nvmx_load_linux(&self->a, self->mem, MEM, &self->boot,
			       self->err, sizeof(self->err));
}

TEST_F(lb, boot_params_follow_the_boot_protocol)
{
	static const char initrd[5000] = "initrd!";
	unsigned char *bp = self->mem + LINUX_BOOT_PARAMS, *e;
	uint32_t rd;

	self->a.initrd = initrd;
	self->a.initrd_len = sizeof(initrd);
	ASSERT_EQ(0, load(self)) TH_LOG("%s", self->err);
	EXPECT_EQ(0x100200, self->boot.entry);
	EXPECT_EQ(LINUX_BOOT_CS, self->boot.cs);
	EXPECT_EQ(LINUX_BOOT_DS, self->boot.ds);
	/* The payload at 1 MiB; the setup header copied; our fields. */
	EXPECT_EQ(0xc3, self->mem[0x100000]);
	EXPECT_EQ(0xc3, self->mem[0x100000 + PM_LEN - 1]);
	EXPECT_EQ(0, self->mem[0x100000 + PM_LEN]);
	EXPECT_EQ(0, memcmp(bp + 0x202, "HdrS", 4));
	EXPECT_EQ(0x7f, bp[0x236]);
	EXPECT_EQ(0xff, bp[0x210]);
	EXPECT_EQ(LINUX_BOOT_CMDLINE, get32(bp, 0x228));
	EXPECT_STREQ("console=ttyS0", (char *)self->mem + LINUX_BOOT_CMDLINE);
	/* The initrd: page aligned, at the top of memory. */
	rd = get32(bp, 0x218);
	EXPECT_EQ(0, rd % 4096);
	EXPECT_EQ(sizeof(initrd), get32(bp, 0x21c));
	EXPECT_GE(MEM, rd + sizeof(initrd));
	EXPECT_LE(MEM - 8192, rd);
	EXPECT_STREQ("initrd!", (char *)self->mem + rd);
	/* e820: low RAM, the BIOS hole, RAM from 1 MiB. */
	ASSERT_EQ(3, bp[0x1e8]);
	e = bp + 0x2d0;
	EXPECT_EQ(0, get32(e, 0));
	EXPECT_EQ(0x9fc00, get32(e, 8));
	EXPECT_EQ(1, get32(e, 16));
	EXPECT_EQ(0x9fc00, get32(e, 20));
	EXPECT_EQ(2, get32(e, 36));
	EXPECT_EQ(0x100000, get32(e, 40));
	EXPECT_EQ(MEM - 0x100000, get32(e, 48));
	EXPECT_EQ(1, get32(e, 56));
	/* The GDT has __BOOT_CS (64-bit code) and __BOOT_DS. */
	EXPECT_EQ(0x00af9b000000ffffULL,
		  *(uint64_t *)(self->mem + self->boot.gdt_base + 0x10));
	EXPECT_EQ(0x00cf93000000ffffULL,
		  *(uint64_t *)(self->mem + self->boot.gdt_base + 0x18));
	EXPECT_EQ(0x2f, self->boot.gdt_limit);
}

TEST_F(lb, what_cannot_boot_is_refused)
{
	unsigned char *k = self->kernel;

	put16(k, 0x206, 0x020b);
	EXPECT_EQ(-ENOEXEC, load(self));
	EXPECT_NE(NULL, strstr(self->err, "2.12 or later"));
	put16(k, 0x206, 0x020f);
	put16(k, 0x236, 0x7e);
	EXPECT_EQ(-ENOEXEC, load(self));
	EXPECT_NE(NULL, strstr(self->err, "64-bit entry"));
	put16(k, 0x236, 0x7f);
	memcpy(k + 0x202, "HdrX", 4);
	EXPECT_EQ(-ENOEXEC, load(self));
	memcpy(k + 0x202, "HdrS", 4);
	self->a.kernel_len = 4096;		/* ends inside its setup */
	k[0x1f1] = 7;
	EXPECT_EQ(-ENOEXEC, load(self));
	k[0x1f1] = SETUP_SECTS;
	self->a.kernel_len = sizeof(self->kernel);
	put32(k, 0x260, MEM);			/* init_size too large */
	EXPECT_EQ(-E2BIG, load(self));
	put32(k, 0x260, 0x800000);
	put32(k, 0x238, 4);			/* cmdline_size */
	EXPECT_EQ(-E2BIG, load(self));
	put32(k, 0x238, 0x7ff);
	/* An initrd that would overlap the kernel's 16 MiB + 8 MiB. */
	self->a.initrd = self->mem;
	self->a.initrd_len = MEM - (24 << 20) + 1;
	EXPECT_EQ(-E2BIG, load(self));
	EXPECT_NE(NULL, strstr(self->err, "larger --memory"));
	self->a.initrd = NULL;
	ASSERT_EQ(0, load(self));
	EXPECT_EQ(0, get32(self->mem + LINUX_BOOT_PARAMS, 0x218));
}

TEST_F(lb, acpi_rsdp_addr_from_boot_protocol_2_14)
{
	unsigned char *k = self->kernel;

	ASSERT_EQ(0, load(self));
	EXPECT_EQ(0, get32(self->mem + LINUX_BOOT_PARAMS, 0x070));
	self->a.acpi_rsdp = 0x1e0000ULL | 0x300000000ULL;
	ASSERT_EQ(0, load(self));
	EXPECT_EQ(0x1e0000, get32(self->mem + LINUX_BOOT_PARAMS, 0x070));
	EXPECT_EQ(3, get32(self->mem + LINUX_BOOT_PARAMS, 0x074));
	/* 2.13: no such field, the kernel scans for the RSDP. */
	put16(k, 0x206, 0x020d);
	ASSERT_EQ(0, load(self));
	EXPECT_EQ(0, get32(self->mem + LINUX_BOOT_PARAMS, 0x070));
	EXPECT_EQ(0, get32(self->mem + LINUX_BOOT_PARAMS, 0x074));
}

TEST(tsc_leaves_and_default_cmdline)
{
	struct nvmx_cpuid_entry c[4] = { { .function = 0, .eax = 0xd } };
	char buf[512];

	ASSERT_EQ(3, run_linux_cpuid(c, 1, 4, 2400000));
	EXPECT_EQ(0x16, c[0].eax);
	EXPECT_EQ(0x15, c[1].function);
	EXPECT_EQ(1, c[1].eax);
	EXPECT_EQ(1, c[1].ebx);
	EXPECT_EQ(2400000000U, c[1].ecx);
	EXPECT_EQ(0x16, c[2].function);
	EXPECT_EQ(2400, c[2].eax);
	/* Above 4.29 GHz the crystal is halved and the ratio doubled. */
	ASSERT_EQ(3, run_linux_cpuid(c, 1, 4, 5000000));
	EXPECT_EQ(2, c[1].ebx);
	EXPECT_EQ(2500000000U, c[1].ecx);
	EXPECT_EQ(-E2BIG, run_linux_cpuid(c, 3, 4, 5000000));
	EXPECT_EQ(1, run_linux_cpuid(c, 1, 4, 0));
	ASSERT_EQ(0, run_linux_cmdline(buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "console=ttyS0"));
	EXPECT_NE(NULL, strstr(buf, "reboot=k"));
	/* The platform has APICs and ACPI tables now. */
	EXPECT_EQ(NULL, strstr(buf, "nolapic"));
	EXPECT_EQ(NULL, strstr(buf, "noapic"));
	EXPECT_EQ(NULL, strstr(buf, "acpi=off"));
	EXPECT_NE(NULL, strstr(buf, "pci=off"));
	EXPECT_EQ(NULL, strstr(buf, "tsc_early_khz"));
	EXPECT_EQ(-E2BIG, run_linux_cmdline(buf, 20));
}

TEST_HARNESS_MAIN
