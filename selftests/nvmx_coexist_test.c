// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmx and another hypervisor on the same CPUs: whoever holds VMX first
 * keeps it; the other fails cleanly, nothing is left half-enabled, and
 * the second one works once the first lets go.
 *
 * The other hypervisor is the kernel's own KVM: the test loads irqbypass.ko,
 * kvm.ko and kvm-intel.ko from $NVMX_KVM_MODULES (a directory), then holds
 * VMX through a KVM VM (KVM_CREATE_VM takes VMX on every CPU, from Linux
 * 6.1 on, until the VM goes). Nothing is ever run in a KVM VM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/nvmx.h>

#include "kselftest_harness.h"
#include "lib.h"

static int load_module(const char *dir, const char *name)
{
	char path[512];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret == -EEXIST ? 0 : ret;
}

FIXTURE(both) {
	int kvm;
	int nvmx;
};

FIXTURE_SETUP(both)
{
	static const char *const mods[] = {
		"irqbypass.ko", "kvm.ko", "kvm-intel.ko",
	};
	const char *dir = getenv("NVMX_KVM_MODULES");
	unsigned int i;
	int err;

	if (!dir)
		SKIP(return, "NVMX_KVM_MODULES (the kernel's kvm modules) not given");
	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		err = load_module(dir, mods[i]);
		ASSERT_EQ(0, err) TH_LOG("loading %s/%s: %s", dir, mods[i],
					 strerror(-err));
	}
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	self->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->kvm) TH_LOG("/dev/kvm: %s", strerror(errno));
	self->nvmx = open("/dev/nvmx", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->nvmx);
}

FIXTURE_TEARDOWN(both)
{
	close(self->kvm);
	close(self->nvmx);
}

TEST_F(both, a_kvm_vm_makes_nvmx_vm_creation_fail_cleanly)
{
	int kvm_vm, vm;
	char *log;

	kvm_vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm) TH_LOG("KVM_CREATE_VM: %s", strerror(errno));

	kernel_log_mark("nvmx-selftest: coexist 1\n");
	EXPECT_EQ(-1, ioctl(self->nvmx, NVMX_CREATE_VM, 0));
	EXPECT_EQ(EBUSY, errno);
	log = kernel_log_since("nvmx-selftest: coexist 1");
	ASSERT_NE(NULL, log);
	EXPECT_NE(NULL, strstr(log, "nvmx: cannot enter VMX operation on CPU"))
		TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "another hypervisor")) TH_LOG("%s", log);
	free(log);
	/* Nothing half-enabled: no CPU in VMX operation for nvmx. */
	EXPECT_EQ(0, nvmx_debugfs("vms"));
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
	EXPECT_EQ(0, nvmx_debugfs("vmxon_regions"));

	close(kvm_vm);
	vm = ioctl(self->nvmx, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm) TH_LOG("after KVM let go: %s", strerror(errno));
	EXPECT_EQ(online_cpus(), nvmx_debugfs("vmx_cpus"));
	close(vm);
}

TEST_F(both, an_nvmx_vm_makes_kvm_vm_creation_fail)
{
	int kvm_vm, vm;

	vm = ioctl(self->nvmx, NVMX_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	kvm_vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	EXPECT_EQ(-1, kvm_vm);
	EXPECT_EQ(EBUSY, errno);
	if (kvm_vm >= 0)
		close(kvm_vm);
	/* nvmx still holds VMX everywhere. */
	EXPECT_EQ(online_cpus(), nvmx_debugfs("vmx_cpus"));
	close(vm);
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));

	kvm_vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm) TH_LOG("after nvmx let go: %s", strerror(errno));
	close(kvm_vm);
}

TEST_HARNESS_MAIN
