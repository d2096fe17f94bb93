// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMCS shadowing for L1 (Intel SDM, "VMCS Shadowing"): where the CPU has
 * it, L1's VMREAD and VMWRITE of the fields it uses on every exit of L2
 * do not exit. VMCS01 points at a shadow VMCS (the link pointer) while
 * L1 has a current VMCS12, with VMREAD/VMWRITE bitmaps that let those
 * fields through; every other field, and every other VMX instruction,
 * still exits and works on the cached VMCS12.
 *
 * The cached VMCS12 stays the reference. The shadow's read-write fields
 * are copied back into it before nvmx emulates any VMX instruction (and
 * before the nested state is saved); the cache is copied into the
 * shadow after every emulated instruction and nested VM exit, whenever
 * L1 goes on in VMX root operation with a current VMCS. Read-only fields
 * (the exit information) are shadowed only where the CPU lets VMWRITE
 * write them (IA32_VMX_MISC bit 29); nvmx writes them, L1 only reads.
 *
 * The shadow VMCS is made current only for the copies, with preemption
 * disabled, and VMCLEARed right after, so that it is active on no CPU
 * the rest of the time; VMCS01 is made current again.
 * Context: NVMX_RUN or a vCPU ioctl, the vCPU loaded, VMCS01 current.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>

#include "../nested/vmx_msrs.h"
#include "../vcpu.h"
#include "arch.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"
#include "vmx.h"

/* Read and written by L1 without exits. */
static const u16 nvmx_shadow_rw[] = {
	VMCS_GUEST_RIP, VMCS_GUEST_RSP, VMCS_GUEST_RFLAGS,
	VMCS_GUEST_INTERRUPTIBILITY_INFO, VMCS_GUEST_CR0, VMCS_GUEST_CR3,
	VMCS_GUEST_CR4, VMCS_CR0_READ_SHADOW, VMCS_CR4_READ_SHADOW,
	VMCS_VM_ENTRY_INTR_INFO_FIELD, VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE,
	VMCS_VM_ENTRY_INSTRUCTION_LEN, VMCS_HOST_RSP, VMCS_HOST_RIP,
};

/* Read by L1 without exits, written by nvmx only. */
static const u16 nvmx_shadow_ro[] = {
	VMCS_VM_INSTRUCTION_ERROR, VMCS_VM_EXIT_REASON,
	VMCS_EXIT_QUALIFICATION, VMCS_GUEST_LINEAR_ADDRESS,
	VMCS_GUEST_PHYSICAL_ADDRESS, VMCS_VM_EXIT_INTR_INFO,
	VMCS_VM_EXIT_INTR_ERROR_CODE, VMCS_IDT_VECTORING_INFO_FIELD,
	VMCS_IDT_VECTORING_ERROR_CODE, VMCS_VM_EXIT_INSTRUCTION_LEN,
	VMCS_VMX_INSTRUCTION_INFO,
};

static bool nvmx_shadow_ro_ok(void)
{
	return nvmx_host_caps.msrs[NV_MSR_MISC] & NV_VMX_MISC_VMWRITE_ANY;
}

/* A bit of a VMREAD/VMWRITE bitmap: bits 14:0 of the encoding. */
static void nvmx_bitmap_clear(struct page *p, u32 enc)
{
	u8 *b = page_address(p);

	b[(enc & 0x7fff) / 8] &= ~(1u << (enc & 7));
}

/* The shadow VMCS and bitmaps, at L1's first VMPTRLD. */
static int nvmx_shadow_alloc(struct nvmx_vmx_vcpu *vmx)
{
	struct nvmx_shadow *s = &vmx->shadow;
	unsigned int i;

	if (s->vmcs)
		return 0;
	s->vmcs = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	s->read = alloc_page(GFP_KERNEL_ACCOUNT);
	s->write = alloc_page(GFP_KERNEL_ACCOUNT);
	if (!s->vmcs || !s->read || !s->write) {
		nvmx_shadow_free(vmx);
		return -ENOMEM;
	}
	/* "Format of the VMCS Region": bit 31 marks a shadow VMCS. */
	*(u32 *)page_address(s->vmcs) = nvmx_host_caps.vmcs_revision |
					BIT(31);
	memset(page_address(s->read), 0xff, PAGE_SIZE);
	memset(page_address(s->write), 0xff, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(nvmx_shadow_rw); i++) {
		nvmx_bitmap_clear(s->read, nvmx_shadow_rw[i]);
		nvmx_bitmap_clear(s->write, nvmx_shadow_rw[i]);
	}
	for (i = 0; nvmx_shadow_ro_ok() && i < ARRAY_SIZE(nvmx_shadow_ro); i++)
		nvmx_bitmap_clear(s->read, nvmx_shadow_ro[i]);
	return 0;
}

/* Context: process context; the shadow VMCS is active nowhere. */
void nvmx_shadow_free(struct nvmx_vmx_vcpu *vmx)
{
	struct nvmx_shadow *s = &vmx->shadow;

	if (s->vmcs)
		__free_page(s->vmcs);
	if (s->read)
		__free_page(s->read);
	if (s->write)
		__free_page(s->write);
	s->vmcs = NULL;
	s->read = NULL;
	s->write = NULL;
}

/*
 * Copy between the cached VMCS12 and the shadow VMCS: @to_shadow, all
 * shadowed fields; else the read-write ones back into the cache. Return:
 * 0, or -EIO (VMCS01 could not be made current again: the caller reports
 * it).
 */
static int nvmx_shadow_copy(struct nvmx_vcpu *vcpu, bool to_shadow)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct vmcs12 *v = &vmx->nested.vmcs12;
	unsigned int i, n_ro = nvmx_shadow_ro_ok() ?
			       ARRAY_SIZE(nvmx_shadow_ro) : 0;
	int err;

	preempt_disable();
	err = vmx_vmptrld(page_to_phys(vmx->shadow.vmcs));
	for (i = 0; !err && i < ARRAY_SIZE(nvmx_shadow_rw); i++) {
		u32 enc = nvmx_shadow_rw[i];
		int idx = vmcs12_field_index(enc);

		if (idx < 0)
			continue;
		if (to_shadow)
			vmx_vmwrite(enc, v->field[idx]);
		else
			v->field[idx] = vmx_vmread_val(enc);
	}
	for (i = 0; !err && to_shadow && i < n_ro; i++) {
		u32 enc = nvmx_shadow_ro[i];
		int idx = vmcs12_field_index(enc);

		if (idx >= 0)
			vmx_vmwrite(enc, v->field[idx]);
	}
	if (!err)
		vmx_vmclear(page_to_phys(vmx->shadow.vmcs));
	err = vmx_vmptrld(page_to_phys(vmx->vmcs.page)) ?: err;
	preempt_enable();
	return err ? -EIO : 0;
}

/* VMCS01's shadowing controls: on with a current VMCS12, off without. */
static void nvmx_shadow_controls(struct nvmx_vmx_vcpu *vmx, bool on)
{
	u32 proc2 = vmx->ctls01.proc2 | (on ? NV_PROC2_CTL_VMCS_SHADOWING : 0);

	if (on == vmx->shadow.on)
		return;
	vmx->shadow.on = on;
	if (on) {
		vmx_vmwrite(VMCS_VMREAD_BITMAP, page_to_phys(vmx->shadow.read));
		vmx_vmwrite(VMCS_VMWRITE_BITMAP,
			    page_to_phys(vmx->shadow.write));
	}
	vmx_vmwrite(VMCS_VMCS_LINK_POINTER,
		    on ? page_to_phys(vmx->shadow.vmcs) : ~0ULL);
	vmx_vmwrite(VMCS_SECONDARY_VM_EXEC_CONTROL, proc2);
}

/* Does this CPU let nvmx shadow L1's VMCS12? */
static bool nvmx_shadow_usable(void)
{
	return nvmx_host_caps.features & NVMX_FEAT_VMCS_SHADOWING;
}

/**
 * nvmx_shadow_to_vmcs12() - L1's writes to the shadow into the cache
 * @vcpu: the vCPU, L1 in VMX root operation; VMCS01 current
 *
 * Before nvmx reads the cached VMCS12 (an emulated VMX instruction, the
 * nested state). Return: 0 or -EIO.
 */
int nvmx_shadow_to_vmcs12(struct nvmx_vcpu *vcpu)
{
	if (!vcpu->vmx.shadow.on)
		return 0;
	return nvmx_shadow_copy(vcpu, false);
}

/**
 * nvmx_shadow_from_vmcs12() - the cache into the shadow, shadowing on/off
 * @vcpu: the vCPU, L1 in VMX root operation (or out of VMX operation);
 *	VMCS01 current
 *
 * After nvmx changed the cached VMCS12 or which VMCS12 is current.
 * Without a current VMCS12 (or VMX operation), shadowing is off and L1's
 * VMREAD/VMWRITE exit again. Return: 0 or -EIO.
 */
int nvmx_shadow_from_vmcs12(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	bool on = nvmx_shadow_usable() && vmx->nested.vmxon &&
		  vmx->nested.current_ptr != NESTED_NO_VMCS;

	if (on && nvmx_shadow_alloc(vmx))
		on = false;
	nvmx_shadow_controls(vmx, on);
	return on ? nvmx_shadow_copy(vcpu, true) : 0;
}
