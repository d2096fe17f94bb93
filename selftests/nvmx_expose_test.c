// SPDX-License-Identifier: GPL-2.0-only
/*
 * "Expose virtualization extensions", the per-VM switch of nested VMX:
 * off by default, changed only while the VM is off; what a guest sees of
 * VMX either way (CPUID, IA32_FEATURE_CONTROL, the VMX capability MSRs,
 * CR4.VMXE); userspace narrowing the capability MSRs.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "lib.h"
#include "vmm_harness.h"

#define CPUID_1_ECX_VMX		(1U << 5)
#define CR4_VMXE		(1ULL << 13)
#define MSR_FEATURE_CONTROL	0x3a
#define FEATCTL_LOCKED		1ULL
#define FEATCTL_VMX_OUTSIDE_SMX	4ULL
#define MSR_VMX_BASIC		0x480
#define MSR_VMX_PROCBASED_CTLS2	0x48b
#define MSR_VMX_EPT_VPID_CAP	0x48c
/* INVEPT, all-context INVEPT; INVVPID, all-context INVVPID */
#define INVEPT_ALL		((1ULL << 20) | (1ULL << 26))
#define INVVPID_ALL		((1ULL << 32) | (1ULL << 42))

FIXTURE(ex) {
	struct vm vm;
	struct vcpu vcpu;
};

FIXTURE_SETUP(ex)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	VCPU_OK(&self->vcpu, vcpu_open(&self->vm, &self->vcpu, 0));
}

FIXTURE_TEARDOWN(ex)
{
	vcpu_close(&self->vcpu);
	vm_close(&self->vm);
}

static int expose(struct vm *vm, unsigned long on)
{
	return ioctl(vm->fd, NVMX_SET_EXPOSE_VMX, on) ? -errno : 0;
}

/* What the guest reads in an MSR, or GUEST_GP(0). */
static __u64 guest_msr(struct __test_metadata *_metadata, struct vcpu *v,
		       __u32 msr)
{
	__u64 val = 0, junk;

	VCPU_START(v, guest_rdmsr, msr, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	if (val == GUEST_GP(0))
		VCPU_OK(v, vcpu_report(v, &junk));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	return val;
}

TEST_F(ex, off_by_default_and_changed_only_while_off)
{
	struct vcpu *v = &self->vcpu;

	EXPECT_EQ(0, ioctl(self->vm.fd, NVMX_GET_EXPOSE_VMX, 0));
	EXPECT_EQ(-EINVAL, expose(&self->vm, 2));
	ASSERT_EQ(0, expose(&self->vm, 1));
	EXPECT_EQ(1, ioctl(self->vm.fd, NVMX_GET_EXPOSE_VMX, 0));
	VCPU_START(v, guest_exit, 0, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(NVMX_VM_RUNNING, ioctl(self->vm.fd, NVMX_GET_VM_STATE, 0));
	EXPECT_EQ(-EBUSY, expose(&self->vm, 0));
	EXPECT_EQ(1, ioctl(self->vm.fd, NVMX_GET_EXPOSE_VMX, 0));
	ASSERT_EQ(0, ioctl(self->vm.fd, NVMX_STOP_VM, 0));
	EXPECT_EQ(0, expose(&self->vm, 0));
	EXPECT_EQ(0, ioctl(self->vm.fd, NVMX_GET_EXPOSE_VMX, 0));
}

TEST_F(ex, off_looks_like_a_cpu_without_vmx)
{
	struct vcpu *v = &self->vcpu;
	__u64 val;

	VCPU_START(v, guest_cpuid1_ecx, 0, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	EXPECT_EQ(0, val & CPUID_1_ECX_VMX);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(GUEST_GP(0), guest_msr(_metadata, v, MSR_VMX_BASIC));
	EXPECT_EQ(FEATCTL_LOCKED, guest_msr(_metadata, v, MSR_FEATURE_CONTROL));
	VCPU_START(v, guest_set_cr4, CR4_VMXE, 0);
	VCPU_REPORT(v, GUEST_GP(0));
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

TEST_F(ex, on_shows_vmx_and_a_profile)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_msr_entry e = { MSR_VMX_BASIC, 0, 0 };
	__u64 val;

	ASSERT_EQ(0, expose(&self->vm, 1));
	VCPU_START(v, guest_cpuid1_ecx, 0, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	EXPECT_EQ(CPUID_1_ECX_VMX, val & CPUID_1_ECX_VMX);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(FEATCTL_LOCKED | FEATCTL_VMX_OUTSIDE_SMX,
		  guest_msr(_metadata, v, MSR_FEATURE_CONTROL));
	/* The guest reads the profile userspace reads; nvmx's revision. */
	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &e, 1));
	val = guest_msr(_metadata, v, MSR_VMX_BASIC);
	EXPECT_EQ(e.data, val);
	EXPECT_NE(0, val & 0x7fffffff);
	EXPECT_NE(GUEST_GP(0), val);
	VCPU_START(v, guest_set_cr4, CR4_VMXE, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	EXPECT_EQ(CR4_VMXE, val & CR4_VMXE);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

TEST_F(ex, userspace_narrows_but_never_widens)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_msr_entry e = { MSR_VMX_PROCBASED_CTLS2, 0, 0 };
	__u64 offered;

	ASSERT_EQ(0, expose(&self->vm, 1));
	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &e, 1));
	offered = e.data;
	/* Allowed-1 settings are the high half: offer none of them. */
	e.data = offered & 0xffffffffULL;
	EXPECT_EQ(1, nvmx_set_msrs(v->fd, &e, 1));
	EXPECT_EQ(offered & 0xffffffffULL,
		  guest_msr(_metadata, v, MSR_VMX_PROCBASED_CTLS2));
	/* Back to what was offered is a widening now: refused. */
	e.data = offered;
	if (offered >> 32)
		EXPECT_EQ(0, nvmx_set_msrs(v->fd, &e, 1));
	/* The guest itself cannot write them. */
	VCPU_START(v, guest_wrmsr, MSR_VMX_PROCBASED_CTLS2, 0);
	VCPU_REPORT(v, GUEST_GP(0));
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * With VMX exposed, L1 enters VMX operation and uses a VMCS12: each
 * instruction's outcome is VMsucceed, VMfailInvalid (CF) or VMfailValid
 * (ZF) with the error number the SDM gives.
 */
TEST_F(ex, vmx_operation_and_vmcs12_access)
{
	struct vcpu *v = &self->vcpu;
	__u64 vmcs = (__u64)guest_vmx_pages[1];
	struct nvmx_msr_entry e = { MSR_VMX_BASIC, 0, 0 };

	ASSERT_EQ(0, expose(&self->vm, 1));
	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &e, 1));
	VCPU_START(v, guest_vmx_basics, 0, 0);
	VCPU_REPORT(v, 0);			/* VMXON */
	VCPU_REPORT(v, GUEST_RFLAGS_CF);	/* VMXON again: no VMCS */
	VCPU_REPORT(v, GUEST_RFLAGS_CF);	/* VMPTRLD of the VMXON region */
	VCPU_REPORT(v, 0);			/* VMPTRLD */
	/* L1 is in VMX operation: its capabilities cannot change now. */
	EXPECT_EQ(-EBUSY, nvmx_set_msrs(v->fd, &e, 1));
	VCPU_REPORT(v, vmcs);			/* VMPTRST */
	VCPU_REPORT(v, 0);			/* VMWRITE GUEST_RIP */
	VCPU_REPORT(v, 0);			/* VMREAD GUEST_RIP */
	VCPU_REPORT(v, 0x1234);
	VCPU_REPORT(v, GUEST_RFLAGS_ZF);	/* VMREAD of no field */
	VCPU_REPORT(v, 0);			/* VMREAD VM-instruction error */
	VCPU_REPORT(v, 12);
	VCPU_REPORT(v, 0);			/* VMCLEAR */
	VCPU_REPORT(v, ~0ULL);			/* VMPTRST: none */
	VCPU_REPORT(v, GUEST_RFLAGS_CF);	/* VMREAD without a VMCS */
	VCPU_REPORT(v, 0);			/* VMPTRLD again */
	VCPU_REPORT(v, 0x1234);			/* written back and read again */
	VCPU_REPORT(v, 0);			/* VMXOFF */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * INVEPT and INVVPID of the types offered succeed; a type that does not
 * exist is VMfailValid.
 */
TEST_F(ex, invept_and_invvpid)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_msr_entry e = { MSR_VMX_EPT_VPID_CAP, 0, 0 };

	ASSERT_EQ(0, expose(&self->vm, 1));
	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &e, 1));
	if ((e.data & INVEPT_ALL) != INVEPT_ALL ||
	    (e.data & INVVPID_ALL) != INVVPID_ALL)
		SKIP(return, "the profile offers no all-context INVEPT/INVVPID");
	VCPU_START(v, guest_vmx_inv, 0, 0);
	VCPU_REPORT(v, 0);			/* VMXON */
	VCPU_REPORT(v, 0);			/* VMPTRLD */
	VCPU_REPORT(v, 0);			/* INVEPT all-context */
	VCPU_REPORT(v, GUEST_RFLAGS_ZF);	/* INVEPT type 7 */
	VCPU_REPORT(v, 0);			/* INVVPID all-context */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* Without VMX exposed, L1 cannot even get to VMXON. */
TEST_F(ex, vmx_cannot_be_entered_when_not_exposed)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, guest_vmx_basics, 0, 0);
	VCPU_REPORT(v, GUEST_GP(0));		/* RDMSR IA32_VMX_BASIC */
	VCPU_REPORT(v, GUEST_GP(0));		/* MOV to CR4.VMXE */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

TEST_HARNESS_MAIN
