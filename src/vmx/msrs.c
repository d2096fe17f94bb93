// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's MSRs: an explicit allow-list. Every RDMSR and WRMSR exits
 * (the MSR bitmap is all ones); an MSR in the list is read or written
 * here, any other raises #GP in the guest (-EINVAL to NVMX_GET/SET_MSRS).
 *
 * Where each lives: in VMCS01 (EFER, PAT, SYSENTER, FS/GS base; the CPU
 * switches them), in the lazily switched set (STAR, LSTAR, CSTAR, SFMASK,
 * KERNEL_GS_BASE, TSC_AUX), or only in software (APIC base, MISC_ENABLE,
 * the microcode revision of IA32_BIOS_SIGN_ID, the TSC offset).
 * IA32_DEBUGCTL, which every CPU with VMX has and Linux's KVM reads on
 * each KVM_RUN, reads 0 and takes only 0: no debug feature is offered. With an
 * in-kernel APIC (NVMX_VM_LAPIC), IA32_APIC_BASE, IA32_TSC_DEADLINE and
 * the x2APIC MSRs are its (lapic_vcpu.c). With VMX exposed, the VMX
 * capability MSRs read as the profile nested/vmx_msrs.c computes, which
 * userspace may narrow; IA32_FEATURE_CONTROL reads locked, with VMX
 * enabled only when exposed.
 * Context: VMCS01 current.
 */
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#include "../nested/vmx_msrs.h"
#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "insn.h"
#include "vcpu.h"
#include "vmcs_fields.h"

#define APIC_BASE_FLAGS		(BIT_ULL(8) | BIT_ULL(11))	/* BSP, enable */

static const struct {
	u32 msr;
	u32 field;
} nvmx_vmcs_msrs[] = {
	{ MSR_FS_BASE, VMCS_GUEST_FS_BASE },
	{ MSR_GS_BASE, VMCS_GUEST_GS_BASE },
	{ MSR_IA32_SYSENTER_CS, VMCS_GUEST_SYSENTER_CS },
	{ MSR_IA32_SYSENTER_ESP, VMCS_GUEST_SYSENTER_ESP },
	{ MSR_IA32_SYSENTER_EIP, VMCS_GUEST_SYSENTER_EIP },
	{ MSR_IA32_CR_PAT, VMCS_GUEST_IA32_PAT },
};

static int nvmx_find(const u32 *list, unsigned int n, u32 msr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] == msr)
			return i;
	return -1;
}

static int nvmx_vmcs_msr_field(u32 msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nvmx_vmcs_msrs); i++)
		if (nvmx_vmcs_msrs[i].msr == msr)
			return nvmx_vmcs_msrs[i].field;
	return -1;
}

static bool nvmx_canonical(u64 v)
{
	unsigned int shift = 64 - boot_cpu_data.x86_virt_bits;

	return (u64)((s64)(v << shift) >> shift) == v;
}

/* Each PAT entry must be a valid memory type: 0, 1, 4, 5, 6 or 7. */
static bool nvmx_pat_valid(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (8 * i);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/* What a WRMSR of @val to @msr, held in the VMCS or swap set, may write. */
static bool nvmx_msr_value_ok(u32 msr, u64 val)
{
	switch (msr) {
	case MSR_IA32_CR_PAT:
		return nvmx_pat_valid(val);
	case MSR_TSC_AUX:
	case MSR_SYSCALL_MASK:
		return !(val >> 32);
	case MSR_STAR:
	case MSR_IA32_SYSENTER_CS:
		return true;
	default:	/* addresses */
		return nvmx_canonical(val);
	}
}

static bool nvmx_has_tsc_offset(struct nvmx_vmx_vcpu *vmx)
{
	return vmx->proc_ctls & NV_PROC_CTL_USE_TSC_OFFSETTING;
}

/**
 * nvmx_vmx_get_msr() - RDMSR by the guest, or NVMX_GET_MSRS
 * @vcpu: the vCPU
 * @msr: the index
 * @val: the value
 * @host: userspace asks
 *
 * Return: 0, or -EINVAL for an MSR not in the list.
 */
int nvmx_vmx_get_msr(struct nvmx_vcpu *vcpu, u32 msr, u64 *val, bool host)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	int i = nvmx_find(nvmx_swap_msr_index, NVMX_SWAP_COUNT, msr);
	int field = nvmx_vmcs_msr_field(msr), err;

	err = nvmx_lapic_get_msr(vcpu, msr, val);
	if (err != -ENOENT)
		return err;
	if (i >= 0) {
		*val = vmx->guest_msrs[i];
		return 0;
	}
	if (msr >= NVMX_MSR_VMX_FIRST && msr <= NVMX_MSR_VMX_LAST) {
		/* Without VMX exposed, the guest's CPU has no such MSRs. */
		if (!host && !READ_ONCE(vcpu->vm->expose_vmx))
			return -EINVAL;
		*val = vmx->l1_vmx_msrs[msr - NVMX_MSR_VMX_FIRST];
		return 0;
	}
	if (field >= 0) {
		*val = vmx_vmread_val(field);
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		*val = vmx->efer;
		return 0;
	case MSR_IA32_TSC:
		*val = rdtsc() + vmx->tsc_offset;
		return 0;
	case MSR_IA32_APICBASE:
		*val = vmx->apic_base;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*val = vmx->misc_enable;
		return 0;
	case MSR_IA32_UCODE_REV:
		*val = vmx->ucode_rev;
		return 0;
	case MSR_IA32_FEAT_CTL:
		*val = nvmx_l1_feature_control(READ_ONCE(vcpu->vm->expose_vmx));
		return 0;
	case MSR_IA32_DEBUGCTLMSR:
		*val = 0;
		return 0;
	}
	return -EINVAL;
}

static void nvmx_set_swap_msr(struct nvmx_vmx_vcpu *vmx, int i, u64 val)
{
	preempt_disable();
	vmx->guest_msrs[i] = val;
	if (vmx->guest_msrs_loaded)
		wrmsrl(nvmx_swap_msr_index[i], val);
	preempt_enable();
}

/* The MSRs without a VMCS field or swap slot. */
static int nvmx_set_soft_msr(struct nvmx_vmx_vcpu *vmx, u32 msr, u64 val)
{
	u64 phys = GENMASK_ULL(boot_cpu_data.x86_phys_bits - 1, 12);

	switch (msr) {
	case MSR_IA32_TSC:
		if (!nvmx_has_tsc_offset(vmx))
			return -EINVAL;
		vmx->tsc_offset = val - rdtsc();
		vmx_vmwrite(VMCS_TSC_OFFSET, vmx->tsc_offset);
		return 0;
	case MSR_IA32_APICBASE:
		if (val & ~(phys | APIC_BASE_FLAGS))
			return -EINVAL;
		vmx->apic_base = val;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		vmx->misc_enable = val;
		return 0;
	case MSR_IA32_DEBUGCTLMSR:
		/* No LBR, BTF or other debug feature is offered. */
		return val ? -EINVAL : 0;
	}
	return -EINVAL;
}

/*
 * Userspace narrows the VMX capabilities the guest is offered; locked
 * IA32_FEATURE_CONTROL may be "written" with the value it has.
 */
static int nvmx_set_vmx_msr(struct nvmx_vcpu *vcpu, u32 msr, u64 val,
			    bool host)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	bool exposed = READ_ONCE(vcpu->vm->expose_vmx);

	if (!host)
		return -EINVAL;
	/* L1's view of VMX cannot change under its VMX operation. */
	if (vmx->nested.vmxon && msr != MSR_IA32_FEAT_CTL)
		return -EBUSY;
	if (msr == MSR_IA32_FEAT_CTL)
		return val == nvmx_l1_feature_control(exposed) ? 0 : -EINVAL;
	if (nvmx_l1_vmx_msr_narrow(vmx->l1_vmx_msrs, msr, val))
		return -EINVAL;
	vmx->l1_vmx_msrs[msr - NVMX_MSR_VMX_FIRST] = val;
	return 0;
}

/**
 * nvmx_vmx_set_msr() - WRMSR by the guest, or NVMX_SET_MSRS
 * @vcpu: the vCPU
 * @msr: the index
 * @val: the value
 * @host: userspace writes it
 *
 * Return: 0, or -EINVAL: an MSR not in the list, or a value the
 * architecture refuses (#GP for the guest).
 */
int nvmx_vmx_set_msr(struct nvmx_vcpu *vcpu, u32 msr, u64 val, bool host)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	int i = nvmx_find(nvmx_swap_msr_index, NVMX_SWAP_COUNT, msr);
	int field = nvmx_vmcs_msr_field(msr), err;

	err = nvmx_lapic_set_msr(vcpu, msr, val, host);
	if (err != -ENOENT)
		return err;
	if (msr == MSR_EFER)
		return nvmx_vmx_write_efer(vcpu, val, host);
	/*
	 * Software writes 0 to IA32_BIOS_SIGN_ID before a CPUID that loads
	 * the microcode revision into it: the guest's writes change nothing.
	 * Userspace sets the revision the guest reads (saved state).
	 */
	if (msr == MSR_IA32_UCODE_REV) {
		if (host)
			vmx->ucode_rev = val;
		return 0;
	}
	if (msr == MSR_IA32_FEAT_CTL ||
	    (msr >= NVMX_MSR_VMX_FIRST && msr <= NVMX_MSR_VMX_LAST))
		return nvmx_set_vmx_msr(vcpu, msr, val, host);
	if (i < 0 && field < 0)
		return nvmx_set_soft_msr(vmx, msr, val);
	if (!nvmx_msr_value_ok(msr, val))
		return -EINVAL;
	if (i >= 0)
		nvmx_set_swap_msr(vmx, i, val);
	else
		vmx_vmwrite(field, val);
	return 0;
}
