// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VMX, saved state (guest_l1_state.c; guest_l1_events.c and
 * guest_l1_fuzz.c for the queued events): a vCPU stopped while L2 runs
 * is saved (nested state, registers, memory) and restored into a new VM,
 * where L2 finishes its work with the right results, with the interrupt
 * and NMI queued for the vCPU; bad nested states are refused.
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

/* NVMX_SET_NESTED_STATE of @st: 0 or -errno. */
static int set_nested(struct vcpu *v, const struct nvmx_nested_state *st)
{
	return nvmx_set_nested_state(v->fd, st);
}

/*
 * Nested state save and restore: a vCPU stopped while L2 runs is saved
 * (nested state, registers, memory) and restored into a new VM, where L2
 * goes on from where it was and finishes its work with the right
 * results; the original goes on too. Bad states are refused.
 */
TEST_F(nested, l2_moves_to_another_vm_and_finishes)
{
	struct nvmx_nested_state *st = calloc(1, sizeof(*st));
	struct nvmx_nested_state *bad = calloc(1, sizeof(*bad));
	struct vcpu *v = &self->vcpu, v2;
	const __u64 n = 16, sum = (n - 1) * n * (2 * n - 1) / 6;
	struct nvmx_sregs sregs;
	struct nvmx_regs regs;
	struct vm vm2;
	__u64 i;

	ASSERT_TRUE(st && bad);
	ASSERT_EQ(0, nvmx_get_nested_state(v->fd, st));
	EXPECT_EQ(NVMX_NESTED_STATE_VERSION, st->version);
	EXPECT_EQ(sizeof(*st), st->size);
	EXPECT_EQ(0, st->flags);		/* not in VMX operation */
	VCPU_START(v, l1_test_migrate, n, 0);
	for (i = 0; i < n / 2; i++)
		VCPU_REPORT(v, i);
	ASSERT_EQ(0, nvmx_get_nested_state(v->fd, st));
	EXPECT_EQ(NVMX_NESTED_VMXON | NVMX_NESTED_GUEST_MODE, st->flags);
	ASSERT_EQ(0, nvmx_get_regs(v->fd, &regs));
	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &sregs));

	VM_OK(&vm2, vm_open(&vm2, VM_MEM_SIZE));
	VCPU_OK(&v2, vcpu_open(&vm2, &v2, 0));
	memcpy(vm_gpa(&vm2, 0), vm_gpa(&self->vm, 0), VM_MEM_SIZE);
	/* VMX must be exposed to take a state in VMX operation. */
	EXPECT_EQ(-EINVAL, set_nested(&v2, st));
	ASSERT_EQ(0, ioctl(vm2.fd, NVMX_SET_EXPOSE_VMX, 1UL));

	memcpy(bad, st, sizeof(*bad));
	bad->version = 2;
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->version = st->version;
	bad->flags = NVMX_NESTED_GUEST_MODE;
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->flags = st->flags | 0x80;		/* unknown */
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->flags = st->flags;
	bad->vmxon_ptr = st->vmcs12_ptr;
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->vmxon_ptr = st->vmxon_ptr;
	bad->vmcs12[0] ^= 1;			/* the layout revision */
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));
	bad->vmcs12[0] ^= 1;
	bad->reserved[3] = 1;
	EXPECT_EQ(-EINVAL, set_nested(&v2, bad));

	ASSERT_EQ(0, set_nested(&v2, st));
	ASSERT_EQ(0, nvmx_set_sregs(v2.fd, &sregs));
	ASSERT_EQ(0, nvmx_set_regs(v2.fd, &regs));
	for (i = n / 2; i < n; i++)
		VCPU_REPORT(&v2, i);
	VCPU_REPORT(&v2, EXIT_VMCALL);
	VCPU_REPORT(&v2, sum);
	VCPU_REPORT(&v2, 0);
	VCPU_RUN(&v2, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_get_nested_state(v2.fd, bad));
	EXPECT_EQ(0, bad->flags);		/* L1 left VMX operation */

	/* The original, which saving did not disturb, finishes too. */
	for (i = n / 2; i < n; i++)
		VCPU_REPORT(v, i);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, sum);
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	vcpu_close(&v2);
	vm_close(&vm2);
	free(st);
	free(bad);
}

/*
 * An interrupt and an NMI queued for the vCPU while L2 runs, not taken
 * yet, go with the nested state: restored into another VM, the
 * interrupt is the exit L1 asked for; taken out of the state, the NMI is
 * gone, put back, it arrives.
 */
TEST_F(nested, queued_events_move_with_the_nested_state)
{
	struct nvmx_nested_state *st = calloc(1, sizeof(*st));
	struct vcpu *v = &self->vcpu, v2;
	struct nvmx_sregs sregs;
	struct nvmx_regs regs;
	struct vm vm2;
	int ret;

	ASSERT_NE(NULL, st);
	VCPU_START(v, l1_test_events, 0, 0);
	VCPU_REPORT(v, 0x5b1);			/* L2 runs */
	ASSERT_EQ(0, nvmx_interrupt(v->fd, 0x41));
	ASSERT_EQ(0, nvmx_get_nested_state(v->fd, st));
	EXPECT_EQ(NVMX_NESTED_VMXON | NVMX_NESTED_GUEST_MODE |
		  NVMX_NESTED_IRQ, st->flags);
	EXPECT_EQ(0x41, st->irq_vector);
	ASSERT_EQ(0, nvmx_get_regs(v->fd, &regs));
	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &sregs));

	VM_OK(&vm2, vm_open(&vm2, VM_MEM_SIZE));
	VCPU_OK(&v2, vcpu_open(&vm2, &v2, 0));
	memcpy(vm_gpa(&vm2, 0), vm_gpa(&self->vm, 0), VM_MEM_SIZE);
	ASSERT_EQ(0, ioctl(vm2.fd, NVMX_SET_EXPOSE_VMX, 1UL));
	st->irq_vector = 5;			/* an exception's vector */
	EXPECT_EQ(-EINVAL, set_nested(&v2, st));
	st->irq_vector = 0x41;
	ASSERT_EQ(0, set_nested(&v2, st));
	ASSERT_EQ(0, nvmx_set_sregs(v2.fd, &sregs));
	ASSERT_EQ(0, nvmx_set_regs(v2.fd, &regs));
	VCPU_REPORT(&v2, 1);			/* external interrupt */
	VCPU_REPORT(&v2, 0x80000041);
	VCPU_REPORT(&v2, 0x5b1);		/* L2 resumed */

	ret = nvmx_nmi(v2.fd);
	if (ret == -EOPNOTSUPP)
		SKIP(goto out, "the CPU has no virtual NMIs");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, nvmx_get_nested_state(v2.fd, st));
	EXPECT_EQ(NVMX_NESTED_VMXON | NVMX_NESTED_GUEST_MODE |
		  NVMX_NESTED_NMI, st->flags);
	st->flags &= ~NVMX_NESTED_NMI;
	ASSERT_EQ(0, set_nested(&v2, st));
	VCPU_REPORT(&v2, 0x5b1);		/* no NMI: L2 goes on */
	ASSERT_EQ(0, nvmx_get_nested_state(v2.fd, st));
	st->flags |= NVMX_NESTED_NMI;
	ASSERT_EQ(0, set_nested(&v2, st));
	VCPU_REPORT(&v2, 0);			/* exception or NMI */
	VCPU_REPORT(&v2, 0x80000202);
	VCPU_RUN(&v2, NVMX_EXIT_HLT);
out:
	vcpu_close(&v2);
	vm_close(&vm2);
	free(st);
}

TEST_HARNESS_MAIN
