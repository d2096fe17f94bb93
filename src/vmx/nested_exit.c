// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM exits from L2: who handles each (nested/reflect.c decides), and the
 * nested VM exit that gives one to L1: L2's state and the exit
 * information into VMCS12, the VM-exit controls of VMCS12 (save EFER,
 * PAT, debug controls; MSR-store and MSR-load lists), then L1's host
 * state from VMCS12 (nested/host_load.c) into VMCS01, which becomes the
 * vCPU's VMCS again. Also the exits nvmx makes up for L1: an interrupt
 * or NMI that L1 intercepts arrives while L2 runs, a VM entry fails
 * after the checks of VMLAUNCH/VMRESUME.
 *
 * Context: NVMX_RUN, preemptible; VMCS02 current while L2 runs.
 */
#include <asm/msr-index.h>

#include "../nested/guest_checks.h"
#include "../nested/host_load.h"
#include "../nested/reflect.h"
#include "../nested/vmx_msrs.h"
#include "../trace.h"
#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "exits.h"
#include "insn.h"
#include "nested.h"
#include "nested_stats.h"
#include "vcpu.h"
#include "vmcs_fields.h"

#define V12(v, name)		((v)->field[V12_##name])
#define MSR_ENTRY_SIZE		16
#define X2APIC_MSR_FIRST	0x800
#define X2APIC_MSR_LAST		0x8ff
#define MSR_SMBASE		0x9e

/* VMX-abort indicators (Intel SDM, "VMX Aborts"). */
#define VMX_ABORT_SAVE_MSR	1
#define VMX_ABORT_LOAD_MSR	4

/* L2 runs and L1 set @proc_bit in VMCS12's primary controls. */
bool nvmx_nested_wants(struct nvmx_vcpu *vcpu, u32 proc_bit)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	return vmx->l2.active &&
	       (V12(&vmx->nested.vmcs12, CPU_BASED_VM_EXEC_CONTROL) & proc_bit);
}

/*
 * MSRs a VM-entry or VM-exit MSR-load list may not hold (Intel SDM,
 * "VM-Entry Failure Due to MSR Loading"): FS/GS base, the x2APIC range,
 * IA32_SMM_MONITOR_CTL and IA32_SMBASE.
 */
static bool nvmx_msr_unloadable(u32 msr)
{
	return msr == MSR_FS_BASE || msr == MSR_GS_BASE ||
	       (msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST) ||
	       msr == MSR_IA32_SMM_MONITOR_CTL || msr == MSR_SMBASE;
}

/* How many entries an MSR list may have (IA32_VMX_MISC bits 27:25). */
static u32 nvmx_msr_list_max(struct nvmx_vcpu *vcpu)
{
	u64 misc = vcpu->vmx.l1_vmx_msrs[NV_MSR_MISC];

	return 512 * ((((u32)misc >> 25) & 7) + 1);
}

/**
 * nvmx_nested_load_msrs() - an MSR-load list of VMCS12, in order
 * @vcpu: the vCPU; the MSRs are those of the level whose VMCS is current
 * @gpa: the list, in L1's memory (16-byte entries)
 * @count: its length
 *
 * Return: 0, or the number (from 1) of the entry that could not be read
 * or loaded; the entries before it are loaded.
 */
unsigned int nvmx_nested_load_msrs(struct nvmx_vcpu *vcpu, u64 gpa, u32 count)
{
	u32 i, ent[4];
	u64 val;

	for (i = 0; i < count; i++) {
		if (i >= nvmx_msr_list_max(vcpu) ||
		    nvmx_guest_read(vcpu->vm, gpa + i * MSR_ENTRY_SIZE, ent,
				    sizeof(ent)))
			return i + 1;
		val = ent[2] | (u64)ent[3] << 32;
		if (ent[1] || nvmx_msr_unloadable(ent[0]) ||
		    nvmx_vmx_set_msr(vcpu, ent[0], val, false))
			return i + 1;
	}
	return 0;
}

/* The VM-exit MSR-store list: L2's MSRs. Return: false on a failure. */
static bool nvmx_nested_store_msrs(struct nvmx_vcpu *vcpu, u64 gpa, u32 count)
{
	u32 i, ent[2];
	u64 val;

	for (i = 0; i < count; i++) {
		u64 at = gpa + i * MSR_ENTRY_SIZE;

		if (i >= nvmx_msr_list_max(vcpu) ||
		    nvmx_guest_read(vcpu->vm, at, ent, sizeof(ent)) || ent[1] ||
		    (ent[0] >= X2APIC_MSR_FIRST && ent[0] <= X2APIC_MSR_LAST) ||
		    nvmx_vmx_get_msr(vcpu, ent[0], &val, false) ||
		    nvmx_guest_write(vcpu->vm, at + 8, &val, sizeof(val)))
			return false;
	}
	return true;
}

/*
 * L2's state into VMCS12 ("Saving Guest State"), with the VM-exit
 * controls that save EFER, PAT and the debug controls. Context: VMCS02
 * current.
 */
void nvmx_l2_save(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct vmcs12 *v = &vmx->nested.vmcs12;
	u32 exit = V12(v, VM_EXIT_CONTROLS);
	unsigned int i;

	for (i = 0; i < NVMX_L2_PLAIN_FIELDS; i++) {
		u32 enc = nvmx_l2_plain_fields[i];
		int idx = vmcs12_field_index(enc);

		if (idx >= 0)
			v->field[idx] = vmx_vmread_val(enc);
	}
	V12(v, GUEST_CR0) = vmx->cr0;
	V12(v, GUEST_CR4) = vmx->cr4;
	V12(v, GUEST_RIP) = vmx->rip;
	V12(v, GUEST_RSP) = vmx->rsp;
	V12(v, GUEST_RFLAGS) = vmx->rflags;
	V12(v, GUEST_INTERRUPTIBILITY_INFO) = vmx->interruptibility;
	/* The "IA-32e mode guest" control follows EFER.LMA. */
	V12(v, VM_ENTRY_CONTROLS) &= ~NV_ENTRY_CTL_IA32E_MODE_GUEST;
	if (vmx->efer & NV_EFER_LMA)
		V12(v, VM_ENTRY_CONTROLS) |= NV_ENTRY_CTL_IA32E_MODE_GUEST;
	if (exit & NV_EXIT_CTL_SAVE_EFER)
		V12(v, GUEST_IA32_EFER) = vmx->efer;
	if (exit & NV_EXIT_CTL_SAVE_PAT)
		V12(v, GUEST_IA32_PAT) = vmx_vmread_val(VMCS_GUEST_IA32_PAT);
	/* With EPT, PAE paging keeps its PDPTEs in the VMCS. */
	for (i = 0; vmx->l2.ept && i < 4; i++)
		v->field[V12_GUEST_PDPTE0 + i] =
			vmx_vmread_val(VMCS_GUEST_PDPTE0 + 2 * i);
	nvmx_l2_timer_save(vcpu, false);
	if (exit & NV_EXIT_CTL_SAVE_DEBUG_CTLS) {
		V12(v, GUEST_DR7) = vmx->dr7;
		V12(v, GUEST_IA32_DEBUGCTL) = 0;
	}
}

/* The exit-information fields of VMCS12 ("Saving Information About the VM Exit"). */
static void nvmx_l2_exit_info(struct vmcs12 *v, const struct nvmx_exit_info *e)
{
	V12(v, VM_EXIT_REASON) = e->reason;
	V12(v, EXIT_QUALIFICATION) = e->qual;
	V12(v, GUEST_LINEAR_ADDRESS) = e->gla;
	V12(v, GUEST_PHYSICAL_ADDRESS) = e->gpa;
	V12(v, VM_EXIT_INTR_INFO) = e->intr_info;
	V12(v, VM_EXIT_INTR_ERROR_CODE) = e->intr_error;
	V12(v, IDT_VECTORING_INFO_FIELD) = e->idt_info;
	V12(v, IDT_VECTORING_ERROR_CODE) = e->idt_error;
	V12(v, VM_EXIT_INSTRUCTION_LEN) = e->insn_len;
	V12(v, VMX_INSTRUCTION_INFO) = e->insn_info;
	/* Every VM exit clears the valid bit of the entry's event. */
	V12(v, VM_ENTRY_INTR_INFO_FIELD) &= ~(u64)NV_INTR_INFO_VALID;
}

/*
 * A VMX abort: L1 cannot go on, the vCPU shuts down (SDM, "VMX Aborts").
 * The indicator goes into the current VMCS12 and, as on a real CPU, its
 * region in L1's memory (bytes 4-7), where a debugger of the VM finds it.
 */
static int nvmx_vmx_abort(struct nvmx_vcpu *vcpu, u32 indicator)
{
	struct nested_vmx *n = &vcpu->vmx.nested;

	n->vmcs12.abort = indicator;
	nvmx_guest_write(vcpu->vm,
			 n->current_ptr + offsetof(struct vmcs12, abort),
			 &indicator, sizeof(indicator));
	vcpu->run->exit_reason = NVMX_EXIT_SHUTDOWN;
	return 1;
}

/*
 * L1's state from VMCS12's host-state area into VMCS01, which is current.
 * @before: the registers at the exit (L2's, or L1's for an entry that
 * failed before L2's state was loaded); @pat: IA32_PAT then.
 */
static int nvmx_l1_load(struct nvmx_vcpu *vcpu, const struct nvmx_sregs *before,
			u64 pat)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	const struct vmcs12 *v = &vmx->nested.vmcs12;
	struct nested_l1_state s;
	int err;

	nested_load_host_state(v, vmx->l1_vmx_msrs, before, &s);
	err = nvmx_vmx_set_sregs(vcpu, &s.sregs);
	vmx->rip = s.rip;
	vmx->rsp = s.rsp;
	vmx->rflags = s.rflags;
	vmx->dr7 = s.dr7;
	vmx->interruptibility = 0;
	err = err ?: vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY_INFO, 0);
	err = err ?: vmx_vmwrite(VMCS_GUEST_SYSENTER_CS, s.sysenter_cs);
	err = err ?: vmx_vmwrite(VMCS_GUEST_SYSENTER_ESP, s.sysenter_esp);
	err = err ?: vmx_vmwrite(VMCS_GUEST_SYSENTER_EIP, s.sysenter_eip);
	err = err ?: vmx_vmwrite(VMCS_GUEST_IA32_PAT, s.load_pat ? s.pat : pat);
	return err;
}

/**
 * nvmx_nested_vmexit() - a VM exit from L2 to L1
 * @vcpu: the vCPU; L2 runs (VMCS02 current), or L1's VM entry failed
 *	before or while L2's state was loaded (@e->reason has bit 31 set)
 * @e: the exit as L1 is to see it
 *
 * Return: 0 (L1 runs next), or 1 with an exit for userspace (a VMX abort
 * shuts the vCPU down; an error of L0's is an internal error).
 */
int nvmx_nested_vmexit(struct nvmx_vcpu *vcpu, const struct nvmx_exit_info *e)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct vmcs12 *v = &vmx->nested.vmcs12;
	bool failed = e->reason & NV_EXIT_REASON_ENTRY_FAILURE;
	struct nvmx_sregs before;
	u64 pat;
	int err;

	if (vmx->l2.active && !failed) {
		nvmx_l2_save(vcpu);
		if (!nvmx_nested_store_msrs(vcpu,
					    V12(v, VM_EXIT_MSR_STORE_ADDR),
					    V12(v, VM_EXIT_MSR_STORE_COUNT)))
			return nvmx_vmx_abort(vcpu, VMX_ABORT_SAVE_MSR);
	}
	nvmx_l2_exit_info(v, e);
	nvmx_vmx_get_sregs(vcpu, &before);
	pat = vmx_vmread_val(VMCS_GUEST_IA32_PAT);
	if (vmx->l2.active) {
		vmx->l2.active = false;
		vmx->inject.valid = false;
		err = nvmx_vmx_switch_vmcs(vcpu, &vmx->vmcs);
		if (err)
			return nvmx_internal_error(vcpu, NVMX_INTERNAL_NESTED, 0,
						   NULL);
		nvmx_vmx_sync_ctls(vmx);
	}
	if (nvmx_l1_load(vcpu, &before, pat)) {
		u64 data[] = { e->reason, EIO };

		return nvmx_internal_error(vcpu, NVMX_INTERNAL_NESTED,
					   ARRAY_SIZE(data), data);
	}
	if (nvmx_nested_load_msrs(vcpu, V12(v, VM_EXIT_MSR_LOAD_ADDR),
				  V12(v, VM_EXIT_MSR_LOAD_COUNT)))
		return nvmx_vmx_abort(vcpu, VMX_ABORT_LOAD_MSR);
	vcpu->stats.nested_exits++;
	nvmx_stats_nested_exit(vcpu, e->reason);
	/* L1 reads the exit information through the shadow VMCS. */
	if (nvmx_shadow_from_vmcs12(vcpu))
		return nvmx_internal_error(vcpu, NVMX_INTERNAL_NESTED, 0, NULL);
	return 0;
}

/* A VM entry of L1's that failed: an exit with @reason (bit 31 set). */
int nvmx_nested_entry_failed(struct nvmx_vcpu *vcpu, u32 reason, u64 qual)
{
	struct nvmx_exit_info e = { .reason = reason, .qual = qual };

	return nvmx_nested_vmexit(vcpu, &e);
}

/**
 * nvmx_nested_exit() - an exit from L2: L1's, or L0's to handle
 * @vcpu: the vCPU; L2 ran (VMCS02 current), vmx->exit holds the exit
 *
 * Return: NVMX_L0_HANDLES, or as an exit handler after the nested VM
 * exit to L1.
 */
int nvmx_nested_exit(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	const struct nvmx_exit_info *x = &vmx->exit;
	struct nested_reflect_env env = {
		.v = &vmx->nested.vmcs12,
		.read = nvmx_nested_mem_read,
		.ctx = vcpu->vm,
	};
	struct nested_exit e = {
		.reason = NV_EXIT_REASON_BASIC(x->reason),
		.qualification = x->qual,
		.intr_info = x->intr_info,
		.intr_error_code = x->intr_error,
		.insn_info = x->insn_info,
		.gpr_rcx = nvmx_gpr(vcpu, 1),
	};
	const char *why = "?";
	bool to_l1 = false;

	vcpu->stats.l2_exits++;
	if (e.reason == NV_EXIT_EPT_VIOLATION && vmx->l2.ept) {
		trace_nvmx_nested_exit(vcpu->id, x->reason, x->qual, false,
				       "EPT02: L0 walks EPT12");
		return nvmx_ept02_violation(vcpu);
	}
	if (e.reason == NV_EXIT_CR_ACCESS)
		e.cr_value = nvmx_gpr(vcpu, (x->qual >> 8) & 15);
	if (e.reason == NV_EXIT_VMREAD || e.reason == NV_EXIT_VMWRITE)
		e.vmcs_field = nvmx_nested_vmcs_field(vcpu);
	if (e.reason == NV_EXIT_PREEMPTION_TIMER &&
	    !nvmx_l2_timer_expired(vcpu))
		why = "L0: its own timer slice";
	else if (nested_exit_owner(&env, &e, &why) == NESTED_L1)
		to_l1 = true;
	trace_nvmx_nested_exit(vcpu->id, x->reason, x->qual, to_l1, why);
	if (!to_l1)
		return NVMX_L0_HANDLES;
	/* An event the exit interrupted is L1's to deliver again. */
	vmx->inject.valid = false;
	return nvmx_nested_vmexit(vcpu, x);
}

/**
 * nvmx_nested_events() - an INIT, interrupt or NMI for L1 while L2 runs
 * @vcpu: the vCPU
 *
 * An INIT (in-kernel APIC) is an INIT-signal exit to L1.
 * With external-interrupt exiting (NMI exiting) in VMCS12 the event
 * makes L2 exit to L1 (with "acknowledge interrupt on exit", the vector
 * goes with the exit and the interrupt is consumed); otherwise it is
 * injected into L2 by the run loop, like any event for the running
 * level. An event being injected into L2 goes first. The in-kernel
 * APIC's interrupts (NVMX_VM_LAPIC) are L1's and go the same way, after
 * userspace's.
 * Context: before an entry, preemptible.
 * Return: 0 to go on, or as nvmx_nested_vmexit().
 */
int nvmx_nested_events(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	const struct vmcs12 *v = &vmx->nested.vmcs12;
	u32 pin = V12(v, PIN_BASED_VM_EXEC_CONTROL);
	struct nvmx_exit_info e = { };
	int apic_vector;
	bool ack;

	if (!vmx->l2.active || vmx->inject.valid)
		return 0;
	/* INIT always exits (SDM, "Other Causes of VM Exits"). */
	if (vcpu->init_pending) {
		vcpu->init_pending = false;
		e.reason = NV_EXIT_INIT;
		return nvmx_nested_vmexit(vcpu, &e);
	}
	if (vcpu->nmi_pending && (pin & NV_PIN_CTL_NMI_EXITING)) {
		vcpu->nmi_pending = false;
		e.reason = NV_EXIT_EXCEPTION_NMI;
		e.intr_info = NV_INTR_INFO_VALID | NV_INTR_TYPE_NMI << 8 |
			      NV_VEC_NMI;
		return nvmx_nested_vmexit(vcpu, &e);
	}
	if (!(pin & NV_PIN_CTL_EXT_INTR_EXITING))
		return 0;
	ack = V12(v, VM_EXIT_CONTROLS) & NV_EXIT_CTL_ACK_INTR_ON_EXIT;
	e.reason = NV_EXIT_EXTERNAL_INTR;
	if (vcpu->irq_vector >= 0) {
		if (ack) {
			e.intr_info = NV_INTR_INFO_VALID | vcpu->irq_vector;
			vcpu->irq_vector = -1;
		}
		return nvmx_nested_vmexit(vcpu, &e);
	}
	/* L1's in-kernel APIC: acknowledged where the CPU would. */
	apic_vector = nvmx_lapic_pending_irq(vcpu);
	if (apic_vector >= 0) {
		if (ack) {
			e.intr_info = NV_INTR_INFO_VALID | apic_vector;
			nvmx_lapic_ack_irq(vcpu, apic_vector);
		}
		return nvmx_nested_vmexit(vcpu, &e);
	}
	return 0;
}
