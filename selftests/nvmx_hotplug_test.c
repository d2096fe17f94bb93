// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hotplug while nvmx holds VMX: a CPU that goes offline leaves VMX
 * operation and frees its VMXON region, one that comes back enters it
 * again, and without a VM hotplug takes no VMX at all.
 *
 * Needs root, VT-x and at least two CPUs (the CI VM runs it in Bochs with
 * --smp 2). CPU 1 must be hot-pluggable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/nvmx.h>

#include "kselftest_harness.h"
#include "lib.h"

static int set_online(int cpu, int online)
{
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, online ? "1" : "0", 1) == 1 ? 0 : -errno;
	close(fd);
	return ret;
}

/* A CPU that goes offline leaves VMX operation; one that comes back enters it. */
TEST(cpu_hotplug_while_a_vm_exists)
{
	int dev, vm, n = online_cpus();

	if (n < 2)
		SKIP(return, "needs two CPUs; the machine has %d", n);
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	dev = open("/dev/nvmx", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dev);
	vm = ioctl(dev, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	EXPECT_EQ(n, nvmx_debugfs("vmx_cpus"));
	ASSERT_EQ(0, set_online(1, 0)) TH_LOG("offlining CPU 1");
	EXPECT_EQ(n - 1, nvmx_debugfs("vmx_cpus"));
	EXPECT_EQ(n - 1, nvmx_debugfs("vmxon_regions"));
	ASSERT_EQ(0, set_online(1, 1)) TH_LOG("onlining CPU 1");
	EXPECT_EQ(n, nvmx_debugfs("vmx_cpus"));
	EXPECT_EQ(n, nvmx_debugfs("vmxon_regions"));
	close(vm);
	close(dev);
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
	/* Without a VM, hotplug takes no VMX. */
	ASSERT_EQ(0, set_online(1, 0));
	ASSERT_EQ(0, set_online(1, 1));
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
	EXPECT_EQ(0, nvmx_debugfs("vmxon_regions"));
}

TEST_HARNESS_MAIN
