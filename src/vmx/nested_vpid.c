// SPDX-License-Identifier: GPL-2.0-only
/*
 * VPID02s: the VPIDs L2 runs with. Each VPID12 that L1 gives its guests
 * gets a VPID02 of its own, up to NVMX_VPID02_SLOTS per vCPU (the least
 * recently used one is taken over when L1 uses more), so that an L1
 * switching between guests keeps each guest's translations, as a CPU
 * does. A VPID02 is flushed when it is given to another VPID12, at every
 * entry without VPID12 (as for VPID 0), and when L1's INVVPID names its
 * VPID12 (or all of them). Translations left on another CPU go when
 * VMCS02 moves there (its flush on a CPU change invalidates by EPTP, which
 * covers every VPID).
 *
 * Context: NVMX_RUN and the vCPU ioctls, preemptible.
 */
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"

/* VPID02s for a new VMCS02: as many slots as VPIDs can be had. */
void nvmx_vpid02_alloc(struct nvmx_vmx_vcpu *vmx)
{
	struct nvmx_vpid02 *s = vmx->l2.vpids;
	unsigned int i;

	if (!vmx->vpid || s[0].vpid02)
		return;
	for (i = 0; i < NVMX_VPID02_SLOTS; i++)
		s[i].vpid02 = nvmx_vmx_alloc_vpid();
	vmx->l2.vpid02 = s[0].vpid02;
}

/* Give the VPID02s back. */
void nvmx_vpid02_free(struct nvmx_vmx_vcpu *vmx)
{
	unsigned int i;

	for (i = 0; i < NVMX_VPID02_SLOTS; i++) {
		nvmx_vmx_free_vpid(vmx->l2.vpids[i].vpid02);
		vmx->l2.vpids[i].vpid02 = 0;
	}
	vmx->l2.vpid02 = 0;
}

/* The slot that holds @vpid12's translations, or NULL. */
static struct nvmx_vpid02 *nvmx_vpid02_find(struct nvmx_vmx_vcpu *vmx,
					    u16 vpid12)
{
	unsigned int i;

	for (i = 0; vpid12 && i < NVMX_VPID02_SLOTS; i++)
		if (vmx->l2.vpids[i].vpid02 && vmx->l2.vpids[i].vpid12 == vpid12)
			return &vmx->l2.vpids[i];
	return NULL;
}

/**
 * nvmx_vpid02_enter() - the VPID02 of a nested entry with VPID12 @vpid12
 * @vmx: the vCPU; VMCS02 current, its VPID control set when
 *	vmx->l2.vpid02 is not 0
 * @vpid12: VMCS12's VPID, 0 when L1 gives L2 none
 */
void nvmx_vpid02_enter(struct nvmx_vmx_vcpu *vmx, u16 vpid12)
{
	struct nvmx_vpid02 *s = nvmx_vpid02_find(vmx, vpid12), *old;
	unsigned int i;

	if (!vmx->l2.vpid02)
		return;
	if (!s) {
		old = NULL;
		for (i = 0; i < NVMX_VPID02_SLOTS; i++) {
			s = &vmx->l2.vpids[i];
			if (s->vpid02 && (!old || s->used < old->used))
				old = s;
		}
		s = old;
		s->vpid12 = vpid12;
		nvmx_vmx_flush_vpid(s->vpid02);
	}
	s->used = ++vmx->l2.vpid_clock;
	if (s->vpid02 != vmx->l2.vpid02) {
		vmx->l2.vpid02 = s->vpid02;
		vmx_vmwrite(VMCS_VIRTUAL_PROCESSOR_ID, s->vpid02);
	}
}

/**
 * nvmx_vpid02_invvpid() - L1's INVVPID, which succeeded
 * @vmx: the vCPU; a VMCS of it current
 * @type: 0 (individual address), 1 (single context), 2 (all contexts),
 *	3 (single context except global translations)
 * @vpid12: the VPID of the descriptor (types 0, 1, 3)
 *
 * Every type but 2 flushes the whole VPID02 of @vpid12: more than an
 * individual address or than the non-global translations, which the
 * architecture allows.
 */
void nvmx_vpid02_invvpid(struct nvmx_vmx_vcpu *vmx, u64 type, u16 vpid12)
{
	struct nvmx_vpid02 *s;
	unsigned int i;

	if (type != 2) {
		s = nvmx_vpid02_find(vmx, vpid12);
		if (s)
			nvmx_vmx_flush_vpid(s->vpid02);
		return;
	}
	for (i = 0; i < NVMX_VPID02_SLOTS; i++)
		if (vmx->l2.vpids[i].vpid12)
			nvmx_vmx_flush_vpid(vmx->l2.vpids[i].vpid02);
}

/* L1 left VMX operation, or its state was replaced: no VPID12 is known. */
void nvmx_vpid02_forget(struct nvmx_vmx_vcpu *vmx)
{
	unsigned int i;

	for (i = 0; i < NVMX_VPID02_SLOTS; i++)
		vmx->l2.vpids[i].vpid12 = 0;
}
