// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID: the table a guest sees (NVMX_SET_CPUID), what nvmx can offer
 * (NVMX_GET_SUPPORTED_CPUID), and the values that depend on the vCPU.
 *
 * A feature bit reaches a guest only if the host has it and nvmx has it
 * in its allow-list below: nvmx must virtualize, switch or safely pass
 * through whatever the bit announces. Leaves outside the list (for
 * example a hypervisor leaf 0x40000000) are the caller's and pass as
 * given.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/processor.h>

#include "vcpu.h"
#include "vm.h"
#include "vmx/arch.h"
#include "vmx/fpu.h"

/* The feature bits nvmx lets through, per leaf/subleaf and register. */
static const struct nvmx_cpuid_mask {
	u32 function, index;
	u32 eax, ebx, ecx, edx;
} nvmx_cpuid_masks[] = {
	/*
	 * 1: not MONITOR, VMX, SMX, EIST, TM2, SDBG, xTPR, PDCM, DCA, x2APIC,
	 * TSC deadline (ECX); not APIC, MTRR, MCA, ACPI, HTT, PBE (EDX).
	 */
	{ 1, 0, ~0u, ~0u,
	  0xfeda3203, 0x078ba9ff },
	/* 7.0: FSGSBASE, BMI, AVX2, SMEP, ERMS, INVPCID, AVX-512, SMAP... */
	{ 7, 0, 0, 0xf1bf07a9, 0x00405f46, 0x00000410 },
	/* 0xd.1: XSAVEOPT, XSAVEC, XGETBV1; not XSAVES */
	{ 0xd, 1, 0x7, 0, 0, 0 },
	/* LAHF, LZCNT, PREFETCHW; SYSCALL, NX, 1G pages, RDTSCP, LM */
	{ 0x80000001, 0, ~0u, ~0u, 0x00000121, 0x2c100800 },
};

#define CPUID_1_ECX_HYPERVISOR		BIT(31)
#define CPUID_1_ECX_TSC_DEADLINE	BIT(24)
#define CPUID_1_ECX_X2APIC		BIT(21)
#define CPUID_1_EDX_APIC		BIT(9)
#define CPUID_1_APIC_ECX		(CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE)
#define CPUID_1_ECX_OSXSAVE		BIT(27)
#define CPUID_1_ECX_VMX			BIT(5)
#define CPUID_80000001_EDX_RDTSCP	BIT(27)
#define CPUID_7_EBX_INVPCID		BIT(10)
#define CPUID_MAX_BASIC			0xd
#define CPUID_MAX_EXT			0x80000008

static const struct nvmx_cpuid_mask *nvmx_cpuid_mask(u32 fn, u32 index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nvmx_cpuid_masks); i++)
		if (nvmx_cpuid_masks[i].function == fn &&
		    nvmx_cpuid_masks[i].index == index)
			return &nvmx_cpuid_masks[i];
	return NULL;
}

/* Clear in @e what nvmx cannot give a guest. */
static void nvmx_cpuid_apply_mask(struct nvmx_cpuid_entry *e)
{
	const struct nvmx_cpuid_mask *m = nvmx_cpuid_mask(e->function,
							  e->index);

	if (e->function == 0xd && e->index == 0) {
		e->eax &= (u32)nvmx_guest_xcr0_mask();
		e->edx = 0;
	}
	if (!m)
		return;
	e->eax &= m->eax;
	e->ebx &= m->ebx;
	e->ecx &= m->ecx;
	e->edx &= m->edx;
}

static void nvmx_host_cpuid(u32 fn, u32 index, struct nvmx_cpuid_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = index;
	cpuid_count(fn, index, &e->eax, &e->ebx, &e->ecx, &e->edx);
}

/* The leaves NVMX_GET_SUPPORTED_CPUID reports, filled into @out. */
static unsigned int nvmx_supported_leaves(struct nvmx_cpuid_entry *out)
{
	static const u32 basic[] = { 0, 1, 7, 0xd };
	static const u32 ext[] = { 0x80000000, 0x80000001, 0x80000002,
				   0x80000003, 0x80000004, 0x80000008 };
	u32 max_basic = cpuid_eax(0), max_ext = cpuid_eax(0x80000000), i;
	unsigned int n = 0;

	for (i = 0; i < ARRAY_SIZE(basic); i++)
		if (basic[i] <= max_basic)
			nvmx_host_cpuid(basic[i], 0, &out[n++]);
	if (max_basic >= 0xd) {
		nvmx_host_cpuid(0xd, 1, &out[n++]);
		for (i = 2; i < 8; i++)
			if (nvmx_guest_xcr0_mask() & BIT(i))
				nvmx_host_cpuid(0xd, i, &out[n++]);
	}
	for (i = 0; i < ARRAY_SIZE(ext); i++)
		if (ext[i] <= max_ext)
			nvmx_host_cpuid(ext[i], 0, &out[n++]);
	for (i = 0; i < n; i++) {
		struct nvmx_cpuid_entry *e = &out[i];

		if (e->function == 7 || e->function == 0xd)
			e->flags = NVMX_CPUID_FLAG_SIGNIFICANT_INDEX;
		if (e->function == 0)
			e->eax = min(e->eax, (u32)CPUID_MAX_BASIC);
		if (e->function == 0x80000000)
			e->eax = min(e->eax, (u32)CPUID_MAX_EXT);
		if (e->function == 7)
			e->eax = 0;	/* no subleaf beyond 0 */
		if (e->function == 1)
			e->ecx |= CPUID_1_ECX_HYPERVISOR;
		if (e->function == 0x80000008)
			e->ebx = 0, e->ecx = 0, e->edx = 0;
		nvmx_cpuid_apply_mask(e);
		/* The in-kernel APIC's, for VMs with NVMX_VM_LAPIC only. */
		if (e->function == 1) {
			e->ecx |= CPUID_1_APIC_ECX;
			e->edx |= CPUID_1_EDX_APIC;
		}
	}
	return n;
}

/**
 * nvmx_get_supported_cpuid() - NVMX_GET_SUPPORTED_CPUID
 * @obj: unused
 * @arg: struct nvmx_cpuid: @nent in is the room at @entries
 *
 * Return: 0 with @nent the number of entries written, -E2BIG when they do
 * not fit, -EINVAL for reserved fields, -EFAULT.
 */
long nvmx_get_supported_cpuid(void *obj, void *arg)
{
	struct nvmx_cpuid *c = arg;
	struct nvmx_cpuid_entry *e;
	unsigned int n;
	long ret = 0;

	if (c->reserved)
		return -EINVAL;
	e = kcalloc(32, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	n = nvmx_supported_leaves(e);
	if (c->nent < n)
		ret = -E2BIG;
	else if (copy_to_user(u64_to_user_ptr(c->entries), e, n * sizeof(*e)))
		ret = -EFAULT;
	else
		c->nent = n;
	kfree(e);
	return ret;
}

/**
 * nvmx_set_cpuid() - NVMX_SET_CPUID: the guest's table, masked
 * @vcpu: the vCPU, its lock held
 * @c: the table's header
 *
 * Return: 0, -E2BIG (more than NVMX_MAX_CPUID_ENTRIES), -EINVAL
 * (reserved fields or unknown flags), -EFAULT, -ENOMEM.
 */
long nvmx_set_cpuid(struct nvmx_vcpu *vcpu, const struct nvmx_cpuid *c)
{
	struct nvmx_cpuid_entry *e;
	u32 i;

	if (c->reserved)
		return -EINVAL;
	if (c->nent > NVMX_MAX_CPUID_ENTRIES)
		return -E2BIG;
	if (!c->nent) {
		e = NULL;
	} else {
		e = vmemdup_user(u64_to_user_ptr(c->entries),
				 c->nent * sizeof(*e));
		if (IS_ERR(e))
			return PTR_ERR(e);
	}
	for (i = 0; i < c->nent; i++) {
		if (e[i].reserved ||
		    (e[i].flags & ~NVMX_CPUID_FLAG_SIGNIFICANT_INDEX)) {
			kvfree(e);
			return -EINVAL;
		}
		nvmx_cpuid_apply_mask(&e[i]);
	}
	kvfree(vcpu->cpuid);
	vcpu->cpuid = e;
	vcpu->cpuid_nent = c->nent;
	return 0;
}

/* The table's entry for @function/@index, or NULL (the guest reads 0s). */
const struct nvmx_cpuid_entry *nvmx_cpuid_find(const struct nvmx_vcpu *vcpu,
					       u32 function, u32 index)
{
	u32 i;

	for (i = 0; i < vcpu->cpuid_nent; i++) {
		const struct nvmx_cpuid_entry *e = &vcpu->cpuid[i];

		if (e->function == function &&
		    (!(e->flags & NVMX_CPUID_FLAG_SIGNIFICANT_INDEX) ||
		     e->index == index))
			return e;
	}
	return NULL;
}

/* Bytes of the XSAVE area for the components in @xcr0 (leaf 0xd.0 EBX). */
static u32 nvmx_xsave_size(u64 xcr0)
{
	u32 size = 576, eax, ebx, ecx, edx, i;

	for (i = 2; i < 8; i++) {
		if (!(xcr0 & BIT(i)))
			continue;
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		size = max(size, eax + ebx);
	}
	return size;
}

/**
 * nvmx_cpuid_dynamic() - the parts of CPUID that depend on the vCPU
 * @vcpu: the vCPU
 * @function: the leaf
 * @out: EAX, EBX, ECX, EDX from the table, updated
 *
 * The initial APIC ID is the vCPU id; OSXSAVE mirrors CR4.OSXSAVE; VMX is
 * set exactly when the VM exposes it; the XSAVE area size follows the
 * guest's XCR0. APIC, x2APIC and TSC-deadline are set exactly when the
 * vCPU has an in-kernel APIC (NVMX_VM_LAPIC), APIC while it is enabled
 * in IA32_APIC_BASE, as on hardware.
 */
void nvmx_cpuid_dynamic(struct nvmx_vcpu *vcpu, u32 function, u32 *out)
{
	if (function == 1) {
		out[1] = (out[1] & 0x00ffffff) | vcpu->id << 24;
		out[2] &= ~(CPUID_1_ECX_OSXSAVE | CPUID_1_ECX_VMX |
			    CPUID_1_APIC_ECX);
		out[3] &= ~CPUID_1_EDX_APIC;
		if (vcpu->lapic.on) {
			out[2] |= CPUID_1_APIC_ECX;
			if (READ_ONCE(vcpu->lapic.apic.base) & LAPIC_BASE_EN)
				out[3] |= CPUID_1_EDX_APIC;
		}
		if (vcpu->vmx.cr4 & NV_CR4_OSXSAVE)
			out[2] |= CPUID_1_ECX_OSXSAVE;
		if (READ_ONCE(vcpu->vm->expose_vmx))
			out[2] |= CPUID_1_ECX_VMX;
	} else if (function == 0xd && out[0]) {
		out[1] = nvmx_xsave_size(vcpu->vmx.xcr0);
	}
}
