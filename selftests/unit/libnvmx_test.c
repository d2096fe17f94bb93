// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of libnvmx (tools/libnvmx.c) without the module: the 64-bit
 * register setup, the exit names, and the -errno convention of the
 * wrappers, seen on an fd that knows no nvmx ioctl (/dev/null).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../tools/libnvmx.h"
#include "../../tools/loader.h"

static const struct nvmx_boot boot = {
	.entry = 0x100000,
	.rsp = 0x1000000,
	.cr3 = NVMX_LOADER_PML4,
	.gdt_base = NVMX_LOADER_GDT,
	.gdt_limit = 0x27,
	.tss_base = NVMX_LOADER_TSS,
	.tss_limit = 0x67,
};

TEST(long_mode_sregs_are_flat_64_bit_with_paging)
{
	struct nvmx_sregs s;

	memset(&s, 0x5a, sizeof(s));
	nvmx_long_mode_sregs(&s, &boot);
	EXPECT_EQ(NVMX_LOADER_CS, s.cs.selector);
	EXPECT_EQ(0, s.cs.base);
	EXPECT_EQ(0xffffffff, s.cs.limit);
	EXPECT_EQ(0xb, s.cs.type);
	EXPECT_EQ(1, s.cs.s);
	EXPECT_EQ(1, s.cs.present);
	EXPECT_EQ(0, s.cs.dpl);
	EXPECT_EQ(1, s.cs.l);
	EXPECT_EQ(0, s.cs.db);
	EXPECT_EQ(1, s.cs.g);
	EXPECT_EQ(0, s.cs.unusable);
	EXPECT_EQ(0, s.cs.padding);
	EXPECT_EQ(NVMX_LOADER_DS, s.ss.selector);
	EXPECT_EQ(3, s.ss.type);
	EXPECT_EQ(1, s.ss.db);
	EXPECT_EQ(0, s.ss.l);
	EXPECT_EQ(1, s.ss.g);
	EXPECT_EQ(0xffffffff, s.ss.limit);
	EXPECT_EQ(0, memcmp(&s.ss, &s.ds, sizeof(s.ds)));
	EXPECT_EQ(0, memcmp(&s.ss, &s.es, sizeof(s.ds)));
	EXPECT_EQ(0, memcmp(&s.ss, &s.fs, sizeof(s.ds)));
	EXPECT_EQ(0, memcmp(&s.ss, &s.gs, sizeof(s.ds)));
}

TEST(long_mode_sregs_take_tr_gdt_and_cr3_from_the_loader)
{
	struct nvmx_sregs s;

	memset(&s, 0x5a, sizeof(s));
	nvmx_long_mode_sregs(&s, &boot);
	EXPECT_EQ(NVMX_LOADER_TR, s.tr.selector);
	EXPECT_EQ(NVMX_LOADER_TSS, s.tr.base);
	EXPECT_EQ(0x67, s.tr.limit);
	EXPECT_EQ(0xb, s.tr.type);		/* busy 64-bit TSS */
	EXPECT_EQ(0, s.tr.s);
	EXPECT_EQ(1, s.tr.present);
	EXPECT_EQ(0, s.tr.g);
	EXPECT_EQ(1, s.ldt.unusable);
	EXPECT_EQ(0, s.ldt.present);
	EXPECT_EQ(2, s.ldt.type);
	EXPECT_EQ(NVMX_LOADER_GDT, s.gdt.base);
	EXPECT_EQ(0x27, s.gdt.limit);
	EXPECT_EQ(0, s.idt.base);
	EXPECT_EQ(0, s.idt.limit);
	EXPECT_EQ(0, s.gdt.padding[0] | s.gdt.padding[1] | s.gdt.padding[2]);
	EXPECT_EQ(0x80050033, s.cr0);
	EXPECT_EQ(NVMX_LOADER_PML4, s.cr3);
	EXPECT_EQ(0x620, s.cr4);
	EXPECT_EQ(0x500, s.efer);
	/* What the module had stays. */
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, s.cr2);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, s.cr8);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, s.apic_base);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, s.reserved[3]);
}

TEST(exit_names)
{
	EXPECT_STREQ("io", nvmx_exit_name(NVMX_EXIT_IO));
	EXPECT_STREQ("hlt", nvmx_exit_name(NVMX_EXIT_HLT));
	EXPECT_STREQ("shutdown", nvmx_exit_name(NVMX_EXIT_SHUTDOWN));
	EXPECT_STREQ("stopped", nvmx_exit_name(NVMX_EXIT_STOPPED));
	EXPECT_STREQ("?", nvmx_exit_name(NVMX_EXIT_STOPPED + 1));
	EXPECT_STREQ("?", nvmx_exit_name(~0U));
}

TEST(wrappers_return_minus_errno)
{
	struct nvmx_cpuid_entry cpuid[2];
	struct nvmx_sregs sregs;
	struct nvmx_stats stats;
	static struct nvmx_nested_state nested;
	struct nvmx_run *run = NULL;
	int fd;

	ASSERT_EQ(0, setenv("NVMX_DEVICE", "/nonexistent/nvmx", 1));
	EXPECT_EQ(-ENOENT, nvmx_open());
	ASSERT_EQ(0, setenv("NVMX_DEVICE", "/dev/null", 1));
	fd = nvmx_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(-ENOTTY, nvmx_api_version(fd));
	EXPECT_EQ(-ENOTTY, nvmx_create_vm(fd));
	EXPECT_EQ(-ENOTTY, nvmx_get_supported_cpuid(fd, cpuid, 2));
	EXPECT_EQ(-ENOTTY, nvmx_set_memory_region(fd, 0, 0, 0, 4096, cpuid));
	EXPECT_EQ(-ENOTTY, nvmx_map_run(fd, fd, &run));
	EXPECT_EQ(NULL, run);
	EXPECT_EQ(-ENOTTY, nvmx_get_sregs(fd, &sregs));
	EXPECT_EQ(-ENOTTY, nvmx_setup_long_mode(fd, &boot));
	EXPECT_EQ(-ENOTTY, nvmx_get_stats(fd, &stats));
	EXPECT_EQ(-ENOTTY, nvmx_get_nested_state(fd, &nested));
	EXPECT_EQ(-ENOTTY, nvmx_set_nested_state(fd, &nested));
	EXPECT_EQ(-ENOTTY, nvmx_run(fd));
	EXPECT_EQ(-ENOTTY, nvmx_kick(fd));
	EXPECT_EQ(-ENOTTY, nvmx_stop_vm(fd));
	close(fd);
	EXPECT_EQ(-EBADF, nvmx_run(fd));
	unsetenv("NVMX_DEVICE");
}

TEST_HARNESS_MAIN
