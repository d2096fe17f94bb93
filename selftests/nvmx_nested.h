/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the nested VMX tests (nvmx_nested_*_test.c) share: the fixture,
 * a VM with VMX exposed to its one vCPU, where an L1 hypervisor of
 * guest_l1*.c runs L2; the vCPU's counters; constants of the reports.
 * Include it after vmm_harness.h, in one test program.
 */
#ifndef NVMX_SELFTEST_NESTED_H
#define NVMX_SELFTEST_NESTED_H

#include <sys/ioctl.h>
#include <linux/nvmx.h>

#include "guest_l1.h"
#include "lib.h"
#include "libnvmx.h"
#include "vmm_harness.h"

/* What guest_l1.c's l1_enter() reports first for a VMfail. */
#define FAIL_MARK		0xfa11
#define REGION_SIZE		0x10000ULL
/* OUT of a byte to port 0x80, immediate operand (SDM, I/O qualification) */
#define IO_QUAL_OUT80		((0x80ULL << 16) | (1 << 6))

FIXTURE(nested) {
	struct vm vm;
	struct vcpu vcpu;
	__u64 junk;
};

FIXTURE_SETUP(nested)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	VCPU_OK(&self->vcpu, vcpu_open(&self->vm, &self->vcpu, 0));
	ASSERT_EQ(0, ioctl(self->vm.fd, NVMX_SET_EXPOSE_VMX, 1UL));
}

FIXTURE_TEARDOWN(nested)
{
	vcpu_close(&self->vcpu);
	vm_close(&self->vm);
}

/* NVMX_GET_STATS and NVMX_GET_NESTED_STATS of @v (zeroes on failure). */
static inline struct nvmx_stats stats(struct vcpu *v)
{
	struct nvmx_stats s = { 0 };

	ioctl(v->fd, NVMX_GET_STATS, &s);
	return s;
}

static inline struct nvmx_nested_stats nested_stats(struct vcpu *v)
{
	struct nvmx_nested_stats ns = { 0 };

	nvmx_get_nested_stats(v->fd, &ns);
	return ns;
}

/* The sum of a counter array by exit reason. */
static inline __u64 sum(const __u64 *count)
{
	__u64 n = 0;
	unsigned int i;

	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++)
		n += count[i];
	return n;
}

#endif /* NVMX_SELFTEST_NESTED_H */
