// SPDX-License-Identifier: GPL-2.0-only
/*
 * L1's VMLAUNCH and VMRESUME: the checks of the instruction, of the
 * controls and host state (VMfail) and of the guest state (a VM-entry
 * failure exit to L1), then VMCS02, made from VMCS01's controls and
 * VMCS12's (nested/vmcs02.c) with L2's guest state from VMCS12, becomes
 * the vCPU's VMCS. The run loop's next entry runs L2.
 *
 * L2 runs on EPT01 when L1 does not use EPT for it (L2's physical
 * addresses are then L1's), on EPT02 when it does (nested_ept.c). L2's
 * TLB is tagged with VPID02, flushed at each entry unless L1 gave L2
 * the same VPID as last time.
 *
 * Context: an exit handler of VMCS01 (exits.h), preemptible.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/processor.h>

#include "../nested/guest_checks.h"
#include "../nested/vmcs02.h"
#include "../trace.h"
#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "exits.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"

#define V12(v, name)	((v)->field[V12_##name])

/*
 * Guest-state fields that go from VMCS12 to VMCS02 unchanged at entry and
 * back at exit; CR0, CR4, EFER, PAT, RIP, RSP, RFLAGS, DR7, the
 * interruptibility state and DEBUGCTL have their own rules.
 */
const u16 nvmx_l2_plain_fields[NVMX_L2_PLAIN_FIELDS] = {
	VMCS_GUEST_ES_SELECTOR, VMCS_GUEST_CS_SELECTOR, VMCS_GUEST_SS_SELECTOR,
	VMCS_GUEST_DS_SELECTOR, VMCS_GUEST_FS_SELECTOR, VMCS_GUEST_GS_SELECTOR,
	VMCS_GUEST_LDTR_SELECTOR, VMCS_GUEST_TR_SELECTOR,
	VMCS_GUEST_ES_LIMIT, VMCS_GUEST_CS_LIMIT, VMCS_GUEST_SS_LIMIT,
	VMCS_GUEST_DS_LIMIT, VMCS_GUEST_FS_LIMIT, VMCS_GUEST_GS_LIMIT,
	VMCS_GUEST_LDTR_LIMIT, VMCS_GUEST_TR_LIMIT,
	VMCS_GUEST_ES_AR_BYTES, VMCS_GUEST_CS_AR_BYTES, VMCS_GUEST_SS_AR_BYTES,
	VMCS_GUEST_DS_AR_BYTES, VMCS_GUEST_FS_AR_BYTES, VMCS_GUEST_GS_AR_BYTES,
	VMCS_GUEST_LDTR_AR_BYTES, VMCS_GUEST_TR_AR_BYTES,
	VMCS_GUEST_ES_BASE, VMCS_GUEST_CS_BASE, VMCS_GUEST_SS_BASE,
	VMCS_GUEST_DS_BASE, VMCS_GUEST_FS_BASE, VMCS_GUEST_GS_BASE,
	VMCS_GUEST_LDTR_BASE, VMCS_GUEST_TR_BASE,
	VMCS_GUEST_GDTR_BASE, VMCS_GUEST_GDTR_LIMIT,
	VMCS_GUEST_IDTR_BASE, VMCS_GUEST_IDTR_LIMIT,
	VMCS_GUEST_CR3,
	VMCS_GUEST_SYSENTER_CS, VMCS_GUEST_SYSENTER_ESP,
	VMCS_GUEST_SYSENTER_EIP,
	VMCS_GUEST_PENDING_DBG_EXCEPTIONS, VMCS_GUEST_ACTIVITY_STATE,
};

/* VMCS02 and VPID02 exist from L1's first VMLAUNCH on. */
static int nvmx_vmcs02_alloc(struct nvmx_vmx_vcpu *vmx)
{
	if (!vmx->vmcs02.page && nvmx_vmcs_alloc(&vmx->vmcs02))
		return -ENOMEM;
	nvmx_vpid02_alloc(vmx);
	return 0;
}

/*
 * The controls of VMCS02. Context: VMCS02 current. Return: 0 or -EIO.
 */
static int nvmx_vmcs02_write_controls(struct nvmx_vcpu *vcpu,
				      struct nested_vmcs02_ctls *c,
				      u64 tsc_offset01, u64 eptp02)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	const struct vmcs12 *v = &vmx->nested.vmcs12;
	u64 tsc_offset = tsc_offset01;
	unsigned int i;
	int err;

	if (!vmx->l2.vpid02)
		c->ctls.proc2 &= ~NV_PROC2_CTL_VPID;
	/* The TSC offsets of both levels add up. */
	if (V12(v, CPU_BASED_VM_EXEC_CONTROL) & NV_PROC_CTL_USE_TSC_OFFSETTING)
		tsc_offset += V12(v, TSC_OFFSET);
	err = nvmx_vmx_write_ctls(vmx, &c->ctls, eptp02, vmx->l2.vpid02,
				  tsc_offset);
	err = err ?: vmx_vmwrite(VMCS_EXCEPTION_BITMAP, c->exception_bitmap);
	err = err ?: vmx_vmwrite(VMCS_PAGE_FAULT_ERROR_CODE_MASK, c->pfec_mask);
	err = err ?: vmx_vmwrite(VMCS_PAGE_FAULT_ERROR_CODE_MATCH,
				 c->pfec_match);
	err = err ?: vmx_vmwrite(VMCS_CR3_TARGET_COUNT, c->cr3_target_count);
	for (i = 0; i < c->cr3_target_count; i++)
		err = err ?: vmx_vmwrite(VMCS_CR3_TARGET_VALUE0 + 2 * i,
					 v->field[V12_CR3_TARGET_VALUE0 + i]);
	return err ? -EIO : 0;
}

/*
 * IA32_EFER of L2 without "load IA32_EFER": L1's, with LMA from the
 * "IA-32e mode guest" control, and LME too when L2 has paging (Intel SDM,
 * "Loading Guest Control Registers, Debug Registers, and MSRs").
 */
static u64 nvmx_l2_efer(const struct vmcs12 *v, u64 efer1)
{
	bool ia32e = V12(v, VM_ENTRY_CONTROLS) & NV_ENTRY_CTL_IA32E_MODE_GUEST;
	u64 efer = efer1 & ~NV_EFER_LMA;

	if (V12(v, VM_ENTRY_CONTROLS) & NV_ENTRY_CTL_LOAD_EFER)
		return V12(v, GUEST_IA32_EFER);
	if (ia32e)
		efer |= NV_EFER_LMA;
	if (V12(v, GUEST_CR0) & NV_CR0_PG)
		efer = ia32e ? efer | NV_EFER_LME : efer & ~NV_EFER_LME;
	return efer;
}

/*
 * L2's guest state from VMCS12 into VMCS02 and the software copies.
 * Context: VMCS02 current. Return: 0 or -EIO.
 */
static int nvmx_vmcs02_write_guest(struct nvmx_vcpu *vcpu, u64 efer1,
				   u64 pat1)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	const struct vmcs12 *v = &vmx->nested.vmcs12;
	u32 entry = V12(v, VM_ENTRY_CONTROLS);
	unsigned int i;
	int err = 0;

	for (i = 0; i < NVMX_L2_PLAIN_FIELDS; i++) {
		u32 enc = nvmx_l2_plain_fields[i];
		int idx = vmcs12_field_index(enc);

		if (idx >= 0)
			err = err ?: vmx_vmwrite(enc, v->field[idx]);
	}
	vmx->l2.mask[0] = V12(v, CR0_GUEST_HOST_MASK);
	vmx->l2.mask[1] = V12(v, CR4_GUEST_HOST_MASK);
	vmx->l2.shadow[0] = V12(v, CR0_READ_SHADOW);
	vmx->l2.shadow[1] = V12(v, CR4_READ_SHADOW);
	vmx->cr0 = V12(v, GUEST_CR0);
	vmx->cr4 = V12(v, GUEST_CR4);
	vmx->efer = nvmx_l2_efer(v, efer1);
	err = err ?: vmx_vmwrite(VMCS_GUEST_CR0,
				 nvmx_vmx_cr0_hw(vmx, vmx->cr0));
	err = err ?: vmx_vmwrite(VMCS_CR0_READ_SHADOW,
				 nested_cr_shadow(vmx->cr0, vmx->l2.mask[0],
						  vmx->l2.shadow[0]));
	err = err ?: vmx_vmwrite(VMCS_GUEST_CR4, nvmx_vmx_cr4_hw(vmx->cr4));
	err = err ?: vmx_vmwrite(VMCS_CR4_READ_SHADOW,
				 nested_cr_shadow(vmx->cr4, vmx->l2.mask[1],
						  vmx->l2.shadow[1]));
	err = err ?: vmx_vmwrite(VMCS_GUEST_IA32_EFER, vmx->efer);
	err = err ?: vmx_vmwrite(VMCS_GUEST_IA32_PAT,
				 (entry & NV_ENTRY_CTL_LOAD_PAT) ?
				 V12(v, GUEST_IA32_PAT) : pat1);
	/* nvmx keeps the debug registers in software; DEBUGCTL stays 0. */
	err = err ?: vmx_vmwrite(VMCS_GUEST_DR7, NV_DR7_FIXED1);
	err = err ?: vmx_vmwrite(VMCS_GUEST_IA32_DEBUGCTL, 0);
	if (entry & NV_ENTRY_CTL_LOAD_DEBUG)
		vmx->dr7 = V12(v, GUEST_DR7);
	vmx->rip = V12(v, GUEST_RIP);
	vmx->rsp = V12(v, GUEST_RSP);
	vmx->rflags = V12(v, GUEST_RFLAGS);
	vmx->interruptibility = V12(v, GUEST_INTERRUPTIBILITY_INFO);
	err = err ?: vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY_INFO,
				 vmx->interruptibility);
	return err ? -EIO : 0;
}

/* The PDPTEs of VMCS12 into VMCS02. Context: VMCS02 current. */
static void nvmx_l2_pdptes(const struct vmcs12 *v)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		vmx_vmwrite(VMCS_GUEST_PDPTE0 + 2 * i,
			    v->field[V12_GUEST_PDPTE0 + i]);
}

/* The event L1 injects with the entry ("VM-Entry Controls for Event Injection"). */
static void nvmx_l2_inject(struct nvmx_vmx_vcpu *vmx)
{
	const struct vmcs12 *v = &vmx->nested.vmcs12;
	u32 info = V12(v, VM_ENTRY_INTR_INFO_FIELD);

	vmx->inject.valid = info & NV_INTR_INFO_VALID;
	vmx->inject.info = info;
	vmx->inject.error = V12(v, VM_ENTRY_EXCEPTION_ERROR_CODE);
	vmx->inject.insn_len = V12(v, VM_ENTRY_INSTRUCTION_LEN);
}

/* The VPID02 of VMCS12's VPID (nested_vpid.c). Context: VMCS02 current. */
static void nvmx_l2_tlb(struct nvmx_vmx_vcpu *vmx, bool vpid12_on)
{
	nvmx_vpid02_enter(vmx, vpid12_on ? V12(&vmx->nested.vmcs12,
					       VIRTUAL_PROCESSOR_ID) : 0);
}

/* Guest-state checks, the link pointer's included. Return: the result. */
static struct nested_guest_result
nvmx_l2_check_guest_only(struct nvmx_vcpu *vcpu, const struct nested_l1 *l1,
			 bool *failed)
{
	struct nested_guest_env env = {
		.msrs = l1->msrs, .maxphyaddr = l1->maxphyaddr,
	};
	const struct nested_vmx *n = &vcpu->vmx.nested;
	u64 link = n->vmcs12.field[V12_VMCS_LINK_POINTER];
	struct nested_guest_result g;
	u32 rev = 0;
	bool readable;

	*failed = nested_check_guest_state(&env, &n->vmcs12, &g);
	if (!*failed) {
		readable = link == ~0ULL ||
			   !nvmx_guest_read(vcpu->vm, link, &rev, sizeof(rev));
		*failed = nested_check_link_vmcs(&env, &n->vmcs12,
						 n->current_ptr, readable, rev,
						 &g);
	}
	if (*failed)
		trace_nvmx_nested_check_failed(vcpu->id, g.exit_reason,
					       g.check);
	return g;
}

/* Guest-state checks; a failure is a VM-entry failure exit to L1. */
static int nvmx_l2_check_guest(struct nvmx_vcpu *vcpu,
			       const struct nested_l1 *l1, bool *failed)
{
	struct nested_guest_result g;

	g = nvmx_l2_check_guest_only(vcpu, l1, failed);
	if (!*failed)
		return 0;
	return nvmx_nested_entry_failed(vcpu, g.exit_reason, g.qualification);
}

/* VMCS02 made current and filled. Return: 0, -ENOMEM or -EIO. */
static int nvmx_l2_load(struct nvmx_vcpu *vcpu, struct nested_vmcs02_ctls *c)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	u64 efer1 = vmx->efer, pat1, tsc01, eptp02;
	int err;

	err = nvmx_vmcs02_alloc(vmx);
	if (err)
		return err;
	eptp02 = nvmx_ept_pointer(&vcpu->vm->ept);
	if (c->ept12) {
		err = nvmx_ept02_prepare(vcpu, V12(&vmx->nested.vmcs12,
						   EPT_POINTER), &eptp02);
		if (err)
			return err;
	}
	pat1 = vmx_vmread_val(VMCS_GUEST_IA32_PAT);
	tsc01 = (vmx->proc_ctls & NV_PROC_CTL_USE_TSC_OFFSETTING) ?
		vmx_vmread_val(VMCS_TSC_OFFSET) : 0;
	err = nvmx_vmx_switch_vmcs(vcpu, &vmx->vmcs02);
	if (err)
		return err;
	vmx->l2.active = true;
	vmx->l2.ept = c->ept12;
	err = nvmx_vmcs02_write_controls(vcpu, c, tsc01, eptp02);
	err = err ?: nvmx_vmcs02_write_guest(vcpu, efer1, pat1);
	nvmx_vmx_sync_ctls(vmx);
	return err;
}

/*
 * An error of L0's (no memory for VMCS02, a VMWRITE the CPU refused) or
 * a control L1 set that nvmx does not emulate: NVMX_RUN ends with an
 * internal error, L1 stays where it was.
 */
static int nvmx_l2_cannot(struct nvmx_vcpu *vcpu, const char *what, int err)
{
	u64 data[] = { vcpu->vmx.exit.reason, -err };

	pr_info_ratelimited("nvmx: L1's VM entry to L2 not emulated: %s\n",
			    what);
	return nvmx_internal_error(vcpu, NVMX_INTERNAL_NESTED, ARRAY_SIZE(data),
				   data);
}

/**
 * nvmx_nested_restore_l2() - L2 running again, from a saved nested state
 * @vcpu: the vCPU: L1 in VMX operation with its launched VMCS12 current;
 *	VMCS01 current
 * @event_info: an event being delivered to L2 (VM-entry interruption
 *	information), or 0
 * @event_error: its error code
 * @event_insn_len: its instruction length
 *
 * NVMX_SET_NESTED_STATE: the checks of a VM entry (controls, host state,
 * guest state), then L2 loaded as a VMRESUME would, except that its
 * MSR-load list, applied at the original entry, is not applied again.
 * Context: process context, vcpu->lock held, the vCPU loaded.
 * Return: 0, -EINVAL (VMCS12 fails a check), -ENOMEM, -EIO.
 */
int nvmx_nested_restore_l2(struct nvmx_vcpu *vcpu, u32 event_info,
			   u32 event_error, u32 event_insn_len)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	const struct vmcs12 *v = &vmx->nested.vmcs12;
	struct nested_check_env env = {
		.msrs = vmx->l1_vmx_msrs,
		.maxphyaddr = boot_cpu_data.x86_phys_bits,
		.cr3_target_max = NV_VMX_MISC_CR3_TARGETS(vmx->l1_vmx_msrs[NV_MSR_MISC]),
		.host_long_mode = V12(v, VM_EXIT_CONTROLS) &
				  NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE,
		.vtpr = nvmx_nested_vtpr(vcpu),
	};
	struct nested_l1 l1 = {
		.msrs = vmx->l1_vmx_msrs,
		.maxphyaddr = boot_cpu_data.x86_phys_bits,
	};
	struct nested_check_result r;
	struct nested_vmcs02_ctls c;
	const char *missing;
	bool failed;
	int err;

	if (nested_check_controls(&env, v, &r) ||
	    nested_check_host_state(&env, v, &r) ||
	    nested_vmcs02_controls(&vmx->ctls01, v, &c, &missing))
		return -EINVAL;
	nvmx_l2_check_guest_only(vcpu, &l1, &failed);
	if (failed)
		return -EINVAL;
	err = nvmx_l2_load(vcpu, &c);
	if (err)
		return err;
	if (c.ept12)
		nvmx_l2_pdptes(v);
	else if (nvmx_vmx_load_pdptes(vcpu, true))
		return -EINVAL;
	nvmx_vpid02_forget(vmx);
	nvmx_l2_tlb(vmx, c.vpid12);
	vmx->inject.valid = event_info & NV_INTR_INFO_VALID;
	vmx->inject.info = event_info;
	vmx->inject.error = event_error;
	vmx->inject.insn_len = event_insn_len;
	nvmx_l2_timer_start(vcpu);
	return 0;
}

/**
 * nvmx_nested_launch() - L1's VMLAUNCH or VMRESUME
 * @vcpu: the vCPU, L1 in VMX root operation; VMCS01 current
 * @l1: L1's registers (nvmx_nested_l1()); nested_vmx_precheck() passed
 * @launch: VMLAUNCH, not VMRESUME
 *
 * Return: as an exit handler. Afterwards either L1 goes on (VMfail, or a
 * VM-entry failure exit loaded its host state) with VMCS01 current, or
 * L2 runs on VMCS02.
 */
int nvmx_nested_launch(struct nvmx_vcpu *vcpu, const struct nested_l1 *l1,
		       bool launch)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nested_vmx *n = &vmx->nested;
	struct nested_l1 l1v = *l1;
	struct nested_check_result r;
	struct nested_vmcs02_ctls c;
	const char *missing;
	u64 rflags = vmx->rflags;
	unsigned int bad;
	bool failed;
	int err;

	l1v.vtpr = nvmx_nested_vtpr(vcpu);
	if (nested_launch_check(n, &l1v, launch, vmx->interruptibility,
				&rflags, &r) != NESTED_ENTER) {
		if (r.check)
			trace_nvmx_nested_check_failed(vcpu->id, r.error,
						       r.check);
		vmx->rflags = rflags;
		nvmx_skip_insn(vcpu);
		/* L1 reads the VM-instruction error through the shadow. */
		if (nvmx_shadow_from_vmcs12(vcpu))
			return nvmx_l2_cannot(vcpu, "no shadow VMCS", -EIO);
		return 0;
	}
	if (nested_vmcs02_controls(&vmx->ctls01, &n->vmcs12, &c, &missing))
		return nvmx_l2_cannot(vcpu, missing, -EOPNOTSUPP);
	err = nvmx_l2_check_guest(vcpu, l1, &failed);
	if (failed)
		return err;
	err = nvmx_l2_load(vcpu, &c);
	if (err == -ENOMEM || (err && !vmx->l2.active))
		return nvmx_l2_cannot(vcpu, "no VMCS02", err);
	if (err)
		return nvmx_l2_cannot(vcpu, "VMCS02 refused a value", err);
	/*
	 * PAE paging: the PDPTEs come from VMCS12 with EPT (checked with
	 * the guest state), from L2's CR3 without.
	 */
	if (c.ept12)
		nvmx_l2_pdptes(&n->vmcs12);
	else if (nvmx_vmx_load_pdptes(vcpu, true))
		return nvmx_nested_entry_failed(vcpu,
						NV_EXIT_REASON_INVALID_GUEST,
						NV_ENTRY_FAIL_PDPTE);
	bad = nvmx_nested_load_msrs(vcpu, V12(&n->vmcs12, VM_ENTRY_MSR_LOAD_ADDR),
				    V12(&n->vmcs12, VM_ENTRY_MSR_LOAD_COUNT));
	if (bad)
		return nvmx_nested_entry_failed(vcpu,
						NV_EXIT_REASON_MSR_LOAD_FAIL,
						bad);
	if (launch)
		n->vmcs12.launch_state = VMCS12_LAUNCHED;
	nvmx_l2_tlb(vmx, c.vpid12);
	nvmx_l2_inject(vmx);
	nvmx_l2_timer_start(vcpu);
	vcpu->stats.nested_entries++;
	trace_nvmx_nested_entry(vcpu->id, launch, vmx->rip, c.ept12);
	return 0;
}
