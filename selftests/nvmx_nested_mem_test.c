// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VMX, memory (guest_l1_mem.c): L2 on L1's EPT12 (remaps after
 * INVEPT, violations and misconfigurations), INVVPID of each type, L0's
 * emulation for L2 meeting EPT12 as the CPU would; memory regions that
 * cannot go while L1 is in VMX operation, and with NVMX_VM_NESTED_RESIZE
 * can, under a running L2.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed. The fixture and
 * helpers all nested tests share are in nvmx_nested.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "guest_l1.h"
#include "lib.h"
#include "libnvmx.h"
#include "vmm_harness.h"
#include "nvmx_nested.h"

/*
 * Nested EPT: L2 sees the L1 pages EPT12 maps, a remap takes effect after
 * INVEPT, and accesses EPT12 refuses are L1's EPT violations (with the
 * access and the rights in the qualification, and L2's guest-physical
 * address) or misconfigurations.
 */
TEST_F(nested, l2_runs_on_l1s_ept)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_ept, 0, 0);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0xa0a0);			/* l1_data[0], not l2_window */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0xb1b1);			/* remapped */
	VCPU_REPORT(v, 48);			/* write to a read-only page */
	VCPU_REPORT(v, 0x2 | 0x8 | 0x20);	/* write; readable, executable */
	VCPU_REPORT(v, 8);
	VCPU_REPORT(v, EXIT_VMCALL);		/* writable again */
	VCPU_REPORT(v, 0x77);
	VCPU_REPORT(v, 0x77);			/* in l1_data[1] */
	VCPU_REPORT(v, 48);			/* read of a page not present */
	VCPU_REPORT(v, 0x1);
	VCPU_REPORT(v, 16);
	VCPU_REPORT(v, 49);			/* now a write-only entry */
	VCPU_OK(v, vcpu_report(v, &self->junk));	/* no qualification */
	VCPU_REPORT(v, 16);
	VCPU_REPORT(v, 0x1111);			/* L1's own page untouched */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * Each VPID12 has translations of its own, and L1's INVVPID (individual
 * address, single context, all contexts) drops the ones it names.
 */
TEST_F(nested, invvpid_reaches_the_translations_of_each_vpid)
{
	struct vcpu *v = &self->vcpu;
	__u64 val;

	VCPU_START(v, l1_test_vpid, 0, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	if (val == 0xdead)
		SKIP(return, "the emulated CPU has no VPID");
	EXPECT_EQ(0xa, val);
	VCPU_OK(v, vcpu_report(v, &val));	/* without INVVPID: either */
	EXPECT_TRUE(val == 0xa || val == 0xb) TH_LOG("read %#llx", val);
	VCPU_REPORT(v, 0xb);			/* individual address */
	VCPU_REPORT(v, 0xa);			/* single context */
	VCPU_REPORT(v, 0xb);			/* another VPID */
	VCPU_REPORT(v, 0xb);			/* all contexts */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * L0 emulates L2's string I/O (L1 does not intercept it); when EPT12
 * refuses the buffer, L1 gets the EPT violation the CPU would have given
 * it, and once L1 maps the page the instruction completes.
 */
TEST_F(nested, emulation_for_l2_meets_ept12_as_the_cpu_would)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_emul_ept, 0, 0);
	VCPU_REPORT(v, EXIT_EPT_VIOLATION);
	VCPU_REPORT(v, 0x181);			/* read, linear, the page */
	VCPU_REPORT(v, 0);			/* guest-physical: the window */
	VCPU_REPORT(v, 0);			/* linear: the window */
	VCPU_REPORT(v, 2);			/* RCX: nothing moved */
	VCPU_OK(v, vcpu_run_io(v, NVMX_EXIT_IO_OUT, 0x81, 1, 2));
	EXPECT_EQ(0, memcmp(vcpu_io_data(v), "AB", 2));
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0);			/* RCX after the REP */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * As on Hyper-V: while L1 is in VMX operation its memory can grow but
 * not shrink or change; exposing VMX alone blocks nothing.
 */
TEST_F(nested, memory_cannot_shrink_while_a_hypervisor_runs_inside)
{
	struct vcpu *v = &self->vcpu;
	int fd = self->vm.fd;
	void *mem[2];

	mem[0] = mmap(NULL, 2 * REGION_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem[0]);
	mem[1] = (char *)mem[0] + REGION_SIZE;
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[0]));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[0]));
	VCPU_START(v, l1_test_vmx_span, 0, 0);
	VCPU_REPORT(v, 1);			/* L1 is in VMX operation */
	EXPECT_EQ(-EBUSY, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
						 0, NULL));
	EXPECT_EQ(-EBUSY, nvmx_set_memory_region(fd, 2, NVMX_MEM_READONLY,
						 GUEST_HOTPLUG_GPA,
						 REGION_SIZE, mem[0]));
	EXPECT_EQ(0, nvmx_set_memory_region(fd, 3, 0,
					    GUEST_HOTPLUG_GPA + REGION_SIZE,
					    REGION_SIZE, mem[1]));
	VCPU_REPORT(v, 2);			/* VMXOFF */
	EXPECT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	EXPECT_EQ(0, nvmx_set_memory_region(fd, 3, 0,
					    GUEST_HOTPLUG_GPA + REGION_SIZE, 0,
					    NULL));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	munmap(mem[0], 2 * REGION_SIZE);
}

/*
 * With NVMX_VM_NESTED_RESIZE, regions can go while L2 runs on EPT02:
 * L2 stops seeing the old pages at once. First with L2 stopped in
 * userspace (its reports are L0's): a region replaced under it reads the
 * new memory, a region removed is MMIO; then with L2 reading in a loop
 * without exits while another thread removes the region: L2's next read
 * must be an MMIO exit.
 */
TEST_F(nested, memory_can_go_under_l2_with_nested_resize)
{
	__u64 *seen = GUEST(&self->vm, l1_resize_seen);
	__u64 gpa = GUEST_HOTPLUG_GPA + 0x100, seed = test_seed(), p[2];
	struct changer c = { .vcpu = &self->vcpu, .count = &seen[1],
			     .slot = 2, .gpa = GUEST_HOTPLUG_GPA,
			     .size = REGION_SIZE };
	struct vcpu *v = &self->vcpu;
	int fd = self->vm.fd;
	__u64 *mem[2];

	mem[0] = mmap(NULL, 2 * REGION_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem[0]);
	mem[1] = mem[0] + REGION_SIZE / 8;
	p[0] = test_rand(&seed) | 1;
	p[1] = ~p[0];
	mem[0][0x100 / 8] = p[0];
	mem[1][0x100 / 8] = p[1];
	EXPECT_EQ(0, nvmx_get_vm_flags(fd));
	EXPECT_EQ(-EINVAL, nvmx_set_vm_flags(fd, NVMX_VM_FLAGS + 1));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[0]));
	VCPU_START(v, l1_test_resize, gpa, 0);
	VCPU_REPORT(v, p[0]);
	EXPECT_EQ(-EBUSY, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
						 0, NULL));
	ASSERT_EQ(0, nvmx_set_vm_flags(fd, NVMX_VM_NESTED_RESIZE));
	EXPECT_EQ(NVMX_VM_NESTED_RESIZE, nvmx_get_vm_flags(fd));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[1]));
	VCPU_REPORT(v, p[1]);
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	VCPU_OK(v, vcpu_run_mmio(v, gpa, 8, false));
	memcpy(v->run->mmio.data, &p[0], 8);
	VCPU_REPORT(v, p[0]);
	EXPECT_EQ(1, stats(v).nested_entries);

	/* A fresh L1, L2 spinning; region 2 is mem[0] again. */
	vcpu_close(v);
	VCPU_OK(v, vcpu_open(&self->vm, v, 0));
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, mem[0]));
	seen[1] = 0;
	VCPU_START(v, l1_test_resize, gpa, 1);
	VCPU_OK(v, vcpu_run_mmio_after_change(&c, gpa));
	EXPECT_NE(0, seen[1]);
	EXPECT_EQ(p[0], seen[0]);
	EXPECT_EQ(1, stats(v).nested_entries);
	munmap(mem[0], 2 * REGION_SIZE);
}

TEST_HARNESS_MAIN
