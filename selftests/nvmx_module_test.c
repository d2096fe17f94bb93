// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmx.ko on a machine with VT-x: load, the /dev/nvmx ABI, VM create and
 * destroy (and VMX held exactly while a VM exists), unload rules, and
 * load/create/destroy/unload cycles without leaks.
 *
 * Needs root and a CPU with VMX and EPT (the Bochs machine of the CI VM).
 * Tests run in order; the first one loads the module.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/nvmx.h>

#include "kselftest_harness.h"
#include "lib.h"

static void ensure_loaded(struct __test_metadata *_metadata)
{
	int err;

	if (nvmx_loaded())
		return;
	err = nvmx_load();
	ASSERT_EQ(0, err) TH_LOG("loading %s: %s", nvmx_module_path(),
				 strerror(-err));
}

TEST(load_reports_caps)
{
	char *log;

	if (nvmx_loaded())
		ASSERT_EQ(0, nvmx_unload());
	kernel_log_mark("nvmx-selftest: load_reports_caps\n");
	ASSERT_EQ(0, nvmx_load());
	ASSERT_TRUE(nvmx_loaded());
	log = kernel_log_since("nvmx-selftest: load_reports_caps");
	ASSERT_NE(NULL, log);
	ASSERT_NE(NULL, strstr(log, "nvmx: VT-x found: VMCS revision"))
		TH_LOG("kernel log: %s", log);
	EXPECT_NE(NULL, strstr(log, " ept"));
	EXPECT_EQ(NULL, strstr(log, "nvmx: cannot"));
	free(log);
	/* Loading takes no VMX: only VMs do. */
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
	EXPECT_EQ(0, nvmx_debugfs("vmxon_regions"));
	EXPECT_EQ(0, access("/dev/nvmx", R_OK | W_OK));
}

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	ensure_loaded(_metadata);
	self->fd = open("/dev/nvmx", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/nvmx: %s", strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, api_version)
{
	EXPECT_EQ(NVMX_API_VERSION, ioctl(self->fd, NVMX_GET_API_VERSION, 0));
	/* The argument is reserved. */
	EXPECT_EQ(-1, ioctl(self->fd, NVMX_GET_API_VERSION, 1));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, caps_match_the_msrs)
{
	struct nvmx_vmx_caps caps;
	__u64 basic;
	unsigned int i;

	memset(&caps, 0xa5, sizeof(caps));
	ASSERT_EQ(0, ioctl(self->fd, NVMX_GET_VMX_CAPS, &caps));
	basic = caps.msrs[0];
	EXPECT_EQ(basic & 0x7fffffff, caps.vmcs_revision);
	EXPECT_EQ((basic >> 32) & 0x1fff, caps.vmcs_size);
	EXPECT_LT(0, caps.vmcs_size);
	EXPECT_GE(4096, caps.vmcs_size);
	EXPECT_TRUE(caps.features & NVMX_FEAT_EPT);
	/* EPT is reported only with the control allowed (MSR 0x48b bit 33). */
	EXPECT_TRUE(caps.msrs[0x48b - NVMX_VMX_MSR_FIRST] & (1ULL << 33));
	EXPECT_EQ(online_cpus(), (int)caps.nr_cpus);
	/* The host kernel's TSC rate: set whenever the TSC was calibrated. */
	EXPECT_LT(0, caps.tsc_khz);
	for (i = 0; i < sizeof(caps.reserved) / sizeof(caps.reserved[0]); i++)
		EXPECT_EQ(0, caps.reserved[i]);
	TH_LOG("features %#llx, VMCS revision %#x", caps.features,
	       caps.vmcs_revision);
}

TEST_F(dev, unknown_ioctls_are_enotty)
{
	unsigned int bad[] = {
		_IO(NVMXIO, 0x7f),
		_IO(0xAE, 0x00),		/* KVM_GET_API_VERSION */
		_IOR(NVMXIO, 0x01, __u32),	/* NVMX_GET_VMX_CAPS, wrong size */
		_IOW(NVMXIO, 0x02, __u64),	/* NVMX_CREATE_VM, wrong dir */
	};
	unsigned int i;
	int vm;

	vm = ioctl(self->fd, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, ioctl(self->fd, bad[i], 0));
		EXPECT_EQ(ENOTTY, errno);
		EXPECT_EQ(-1, ioctl(vm, bad[i], 0));
		EXPECT_EQ(ENOTTY, errno);
	}
	/* The system ioctls are not VM ioctls. */
	EXPECT_EQ(-1, ioctl(vm, NVMX_CREATE_VM, 0));
	EXPECT_EQ(ENOTTY, errno);
	close(vm);
}

TEST_F(dev, caps_bad_pointer_is_efault)
{
	EXPECT_EQ(-1, ioctl(self->fd, NVMX_GET_VMX_CAPS, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, create_vm_argument_must_be_zero)
{
	EXPECT_EQ(-1, ioctl(self->fd, NVMX_CREATE_VM, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, nvmx_debugfs("vms"));
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
}

TEST_F(dev, vmx_is_held_exactly_while_a_vm_exists)
{
	int vm;

	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
	vm = ioctl(self->fd, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm) TH_LOG("NVMX_CREATE_VM: %s", strerror(errno));
	EXPECT_TRUE(fcntl(vm, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(1, nvmx_debugfs("vms"));
	EXPECT_EQ(online_cpus(), nvmx_debugfs("vmx_cpus"));
	EXPECT_EQ(online_cpus(), nvmx_debugfs("vmxon_regions"));
	close(vm);
	EXPECT_EQ(0, nvmx_debugfs("vms"));
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
	EXPECT_EQ(0, nvmx_debugfs("vmxon_regions"));
}

/* Run a debugfs self-test of the VMX layer: its verdict into @buf. */
static int selftest(const char *name, char *buf, size_t len)
{
	char path[96];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/kernel/debug/nvmx/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

TEST_F(dev, vmcs_instructions_work_while_a_vm_exists)
{
	char buf[128];
	int vm;

	nvmx_debugfs("vms");	/* mounts debugfs */
	EXPECT_EQ(-EBUSY, selftest("vmcs_selftest", buf, sizeof(buf)));
	vm = ioctl(self->fd, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, selftest("vmcs_selftest", buf, sizeof(buf)));
	EXPECT_STREQ("ok\n", buf);
	close(vm);
	EXPECT_EQ(-EBUSY, selftest("vmcs_selftest", buf, sizeof(buf)));
}

/* First light: a VM entry into a HLT guest and its VM exit, 100 times. */
TEST_F(dev, a_hlt_guest_enters_and_exits)
{
	char buf[128];
	int vm, i;

	nvmx_debugfs("vms");
	EXPECT_EQ(-EBUSY, selftest("vmlaunch_selftest", buf, sizeof(buf)));
	vm = ioctl(self->fd, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, selftest("vmlaunch_selftest", buf, sizeof(buf)));
		ASSERT_STREQ("ok: HLT exit\n", buf) TH_LOG("run %d", i);
	}
	close(vm);
}

TEST_F(dev, many_vms_closed_in_any_order)
{
	enum { N = 16 };
	int vm[N], i;

	for (i = 0; i < N; i++) {
		vm[i] = ioctl(self->fd, NVMX_CREATE_VM, 0);
		ASSERT_LE(0, vm[i]);
	}
	EXPECT_EQ(N, nvmx_debugfs("vms"));
	/* Odd ones first, then even ones from the end. */
	for (i = 1; i < N; i += 2)
		close(vm[i]);
	EXPECT_EQ(N / 2, nvmx_debugfs("vms"));
	EXPECT_EQ(online_cpus(), nvmx_debugfs("vmx_cpus"));
	for (i = N - 2; i >= 0; i -= 2)
		close(vm[i]);
	EXPECT_EQ(0, nvmx_debugfs("vms"));
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
}

TEST_F(dev, vm_outlives_the_device_fd)
{
	int vm = ioctl(self->fd, NVMX_CREATE_VM, 0);

	ASSERT_LE(0, vm);
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(1, nvmx_debugfs("vms"));
	EXPECT_EQ(online_cpus(), nvmx_debugfs("vmx_cpus"));
	close(vm);
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
}

TEST(unload_refused_while_an_fd_is_open)
{
	int dev, vm;

	ensure_loaded(_metadata);
	dev = open("/dev/nvmx", O_RDWR);
	ASSERT_LE(0, dev);
	EXPECT_EQ(-EWOULDBLOCK, nvmx_unload());
	vm = ioctl(dev, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	close(dev);
	/* The VM fd alone pins the module too. */
	EXPECT_EQ(-EWOULDBLOCK, nvmx_unload());
	EXPECT_TRUE(nvmx_loaded());
	close(vm);
	EXPECT_EQ(0, nvmx_unload());
	EXPECT_FALSE(nvmx_loaded());
	EXPECT_NE(0, access("/dev/nvmx", F_OK));
}

static void cycle(struct __test_metadata *_metadata)
{
	int dev, vm;

	ASSERT_EQ(0, nvmx_load());
	dev = open("/dev/nvmx", O_RDWR);
	ASSERT_LE(0, dev);
	vm = ioctl(dev, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	close(vm);
	close(dev);
	ASSERT_EQ(0, nvmx_unload());
}

/*
 * A leak of one page per cycle would cost 400 KiB over 100 cycles; the
 * bound leaves room for the page cache and per-CPU caches of a live kernel.
 */
#define CYCLES		100
#define LEAK_BOUND_KB	256

/* Bochs runs at about 90 MIPS: give the cycles minutes, not seconds. */
FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

TEST_F_TIMEOUT(slow, load_create_destroy_unload_cycles, 1200)
{
	long before, after;
	char *log;
	int i;

	if (nvmx_loaded())
		ASSERT_EQ(0, nvmx_unload());
	kernel_log_mark("nvmx-selftest: cycles\n");
	cycle(_metadata);	/* warm up the kernel's caches */
	before = mem_available_kb();
	for (i = 0; i < CYCLES; i++)
		cycle(_metadata);
	after = mem_available_kb();
	TH_LOG("%d cycles: MemAvailable %ld kB -> %ld kB", CYCLES, before,
	       after);
	EXPECT_GT(LEAK_BOUND_KB, before - after);
	log = kernel_log_since("nvmx-selftest: cycles");
	ASSERT_NE(NULL, log);
	EXPECT_EQ(NULL, nvmx_log_problem(log)) TH_LOG("%s", log);
	free(log);
}

TEST_HARNESS_MAIN
