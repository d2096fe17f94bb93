// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs: NVMX_CREATE_VCPU on a VM fd, and the register ioctls of a vCPU fd,
 * with their errors; fds closed in any order leave nothing behind.
 *
 * Needs root and VT-x (a VM must exist). Loads nvmx.ko if needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/nvmx.h>

#include "kselftest_harness.h"
#include "lib.h"

FIXTURE(vm) {
	int dev, vm;
};

FIXTURE_SETUP(vm)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	self->dev = open("/dev/nvmx", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev);
	self->vm = ioctl(self->dev, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, self->vm) TH_LOG("NVMX_CREATE_VM: %s", strerror(errno));
}

FIXTURE_TEARDOWN(vm)
{
	close(self->vm);
	close(self->dev);
	EXPECT_EQ(0, nvmx_debugfs("vcpus"));
	EXPECT_EQ(0, nvmx_debugfs("vms"));
}

TEST_F(vm, vcpu_ids_are_checked)
{
	int a, b;

	a = ioctl(self->vm, NVMX_CREATE_VCPU, 0);
	ASSERT_LE(0, a);
	EXPECT_TRUE(fcntl(a, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(-1, ioctl(self->vm, NVMX_CREATE_VCPU, 0));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, ioctl(self->vm, NVMX_CREATE_VCPU, NVMX_MAX_VCPUS));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->vm, NVMX_CREATE_VCPU, -1L));
	EXPECT_EQ(EINVAL, errno);
	b = ioctl(self->vm, NVMX_CREATE_VCPU, NVMX_MAX_VCPUS - 1);
	ASSERT_LE(0, b);
	EXPECT_EQ(2, nvmx_debugfs("vcpus"));
	close(a);
	/* The id is free again once its vCPU is gone. */
	a = ioctl(self->vm, NVMX_CREATE_VCPU, 0);
	EXPECT_LE(0, a);
	close(a);
	close(b);
}

TEST_F(vm, registers_round_trip)
{
	struct nvmx_regs regs, back;
	struct nvmx_sregs sregs;
	int vcpu = ioctl(self->vm, NVMX_CREATE_VCPU, 1);

	ASSERT_LE(0, vcpu);
	memset(&regs, 0xa5, sizeof(regs));
	ASSERT_EQ(0, ioctl(vcpu, NVMX_GET_REGS, &regs));
	/* A new vCPU is in the RESET state: F000:FFF0, RFLAGS 2. */
	EXPECT_EQ(2, regs.rflags);
	EXPECT_EQ(0xfff0, regs.rip);
	EXPECT_EQ(0, regs.rax);
	memset(&sregs, 0xa5, sizeof(sregs));
	ASSERT_EQ(0, ioctl(vcpu, NVMX_GET_SREGS, &sregs));
	EXPECT_EQ(0xf000, sregs.cs.selector);
	EXPECT_EQ(0xffff0000, sregs.cs.base);
	EXPECT_EQ(0x60000010, sregs.cr0);
	EXPECT_EQ(0, sregs.efer);

	regs.rax = 0x1111111111111111ULL;
	regs.r15 = 0xfedcba9876543210ULL;
	regs.rip = 0x100000;
	regs.rflags = 0x202;
	ASSERT_EQ(0, ioctl(vcpu, NVMX_SET_REGS, &regs));
	memset(&back, 0, sizeof(back));
	ASSERT_EQ(0, ioctl(vcpu, NVMX_GET_REGS, &back));
	EXPECT_EQ(0, memcmp(&regs, &back, sizeof(regs)));
	close(vcpu);
}

TEST_F(vm, bad_rflags_and_pointers_are_refused)
{
	struct nvmx_regs regs = { .rflags = 2 };
	int vcpu = ioctl(self->vm, NVMX_CREATE_VCPU, 2);

	ASSERT_LE(0, vcpu);
	regs.rflags = 0;		/* bit 1 clear */
	EXPECT_EQ(-1, ioctl(vcpu, NVMX_SET_REGS, &regs));
	EXPECT_EQ(EINVAL, errno);
	regs.rflags = 2 | (1ULL << 22);	/* reserved */
	EXPECT_EQ(-1, ioctl(vcpu, NVMX_SET_REGS, &regs));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vcpu, NVMX_SET_REGS, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(vcpu, NVMX_GET_REGS, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* Nothing changed. */
	ASSERT_EQ(0, ioctl(vcpu, NVMX_GET_REGS, &regs));
	EXPECT_EQ(2, regs.rflags);
	close(vcpu);
}

TEST_F(vm, ioctls_of_other_fds_are_enotty)
{
	int vcpu = ioctl(self->vm, NVMX_CREATE_VCPU, 3);
	struct nvmx_regs regs;

	ASSERT_LE(0, vcpu);
	EXPECT_EQ(-1, ioctl(vcpu, NVMX_CREATE_VCPU, 4));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vcpu, NVMX_CREATE_VM, 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vm, NVMX_GET_REGS, &regs));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->dev, NVMX_GET_REGS, &regs));
	EXPECT_EQ(ENOTTY, errno);
	close(vcpu);
}

/* The VM lives while a vCPU does, whatever is closed first. */
TEST_F(vm, a_vcpu_keeps_its_vm)
{
	struct nvmx_regs regs;
	int vcpu = ioctl(self->vm, NVMX_CREATE_VCPU, 5);

	ASSERT_LE(0, vcpu);
	close(self->vm);
	close(self->dev);
	self->vm = self->dev = -1;
	EXPECT_EQ(1, nvmx_debugfs("vms"));
	EXPECT_EQ(0, ioctl(vcpu, NVMX_GET_REGS, &regs));
	EXPECT_EQ(-EWOULDBLOCK, nvmx_unload());
	close(vcpu);
	EXPECT_EQ(0, nvmx_debugfs("vms"));
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
}

TEST_HARNESS_MAIN
