// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVMX_RUN on VMX: the loop that enters the guest, reads what its exit
 * left in VMCS01 and hands it to the exit handlers (exits.c), until an
 * exit that userspace must see, a signal, a kick or a stop.
 *
 * One iteration: events to inject and the window exits they need, the
 * host state that may have changed since the last entry, the guest's MSRs
 * and FPU, then, with interrupts disabled, the last checks and the entry.
 * The level that runs is L1 on VMCS01 or L2 on VMCS02 (vmx->cur); a nested
 * entry or exit switches between them inside an exit handler.
 * Context of everything here: NVMX_RUN, vcpu->lock held, the vCPU's VMCS
 * current (nvmx_vmx_vcpu_load()).
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "exits.h"
#include "fpu.h"
#include "host_state.h"
#include "insn.h"
#include "nested.h"
#include "nested_stats.h"
#include "vcpu.h"
#include "vmcs_fields.h"
#include "vmenter.h"
#include "vmx.h"

/* Enough not to rewrite the controls when nothing changes. */
static void nvmx_set_proc_ctl(struct nvmx_vmx_vcpu *vmx, u32 bit, bool on)
{
	u32 ctls = on ? vmx->proc_ctls | bit : vmx->proc_ctls & ~bit;

	if (ctls != vmx->proc_ctls) {
		vmx->proc_ctls = ctls;
		vmx_vmwrite(VMCS_CPU_BASED_VM_EXEC_CONTROL, ctls);
	}
}

/* The guest can take an external interrupt (SDM, "Interruptibility State"). */
static bool nvmx_irq_window_open(struct nvmx_vmx_vcpu *vmx)
{
	return (vmx->rflags & NV_RFLAGS_IF) &&
	       !(vmx->interruptibility & (NV_INTERRUPTIBILITY_STI |
					  NV_INTERRUPTIBILITY_MOV_SS));
}

static bool nvmx_nmi_window_open(struct nvmx_vmx_vcpu *vmx)
{
	return !(vmx->interruptibility & (NV_INTERRUPTIBILITY_STI |
					  NV_INTERRUPTIBILITY_MOV_SS |
					  NV_INTERRUPTIBILITY_NMI));
}

/* Would an interrupt queued now be injected at the next entry? */
bool nvmx_vmx_irq_allowed(struct nvmx_vcpu *vcpu)
{
	return nvmx_irq_window_open(&vcpu->vmx) && !vcpu->vmx.inject.valid &&
	       !vcpu->nmi_pending;
}

/**
 * nvmx_vmx_queue_exception() - raise an exception in the guest
 * @vcpu: the vCPU
 * @vector: the exception
 * @has_error: it pushes an error code
 * @error: the error code
 *
 * For the exit handlers: the instruction that exited faults, so its RIP
 * is not advanced. Injected at the next entry.
 */
void nvmx_vmx_queue_exception(struct nvmx_vcpu *vcpu, u8 vector,
			      bool has_error, u32 error)
{
	struct nvmx_event *ev = &vcpu->vmx.inject;

	ev->valid = true;
	ev->info = NV_INTR_INFO_VALID | NV_INTR_TYPE_HW_EXCEPTION << 8 |
		   vector | (has_error ? NV_INTR_INFO_DELIVER_CODE : 0);
	ev->error = error;
	ev->insn_len = 0;
}

static void nvmx_write_event(struct nvmx_vcpu *vcpu, u32 info, u32 error,
			     u32 insn_len)
{
	vmx_vmwrite(VMCS_VM_ENTRY_INTR_INFO_FIELD, info);
	vmx_vmwrite(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	vmx_vmwrite(VMCS_VM_ENTRY_INSTRUCTION_LEN, insn_len);
	vcpu->stats.injections++;
}

/*
 * The event of this entry, by priority: one whose delivery the last exit
 * interrupted (or an exception nvmx raised), an NMI, an external
 * interrupt. What must wait asks for an NMI- or interrupt-window exit.
 */
static void nvmx_inject_events(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	int apic_vector = nvmx_lapic_pending_irq(vcpu);
	bool busy = false;

	if (vmx->inject.valid) {
		nvmx_write_event(vcpu, vmx->inject.info, vmx->inject.error,
				 vmx->inject.insn_len);
		vmx->inject.valid = false;
		busy = true;
	}
	if (vcpu->nmi_pending && !busy && nvmx_nmi_window_open(vmx)) {
		nvmx_write_event(vcpu, NV_INTR_INFO_VALID | NV_VEC_NMI |
				 NV_INTR_TYPE_NMI << 8, 0, 0);
		vcpu->nmi_pending = false;
		busy = true;
	}
	if (vcpu->irq_vector >= 0 && !busy && nvmx_irq_window_open(vmx)) {
		nvmx_write_event(vcpu, NV_INTR_INFO_VALID | vcpu->irq_vector |
				 NV_INTR_TYPE_EXT_INTR << 8, 0, 0);
		vcpu->irq_vector = -1;
		busy = true;
	}
	/* The in-kernel APIC's interrupt, after userspace's. */
	if (apic_vector >= 0 && !busy && nvmx_irq_window_open(vmx)) {
		nvmx_write_event(vcpu, NV_INTR_INFO_VALID | apic_vector |
				 NV_INTR_TYPE_EXT_INTR << 8, 0, 0);
		nvmx_lapic_ack_irq(vcpu, apic_vector);
		apic_vector = -1;
	}
	/* NMI-window exiting exists only with virtual NMIs. */
	nvmx_set_proc_ctl(vmx, NV_PROC_CTL_NMI_WINDOW_EXITING,
			  (vcpu->nmi_pending && vmx->virtual_nmis) ||
			  nvmx_nested_wants(vcpu,
					    NV_PROC_CTL_NMI_WINDOW_EXITING));
	nvmx_set_proc_ctl(vmx, NV_PROC_CTL_INTR_WINDOW_EXITING,
			  vcpu->irq_vector >= 0 || apic_vector >= 0 ||
			  vcpu->run->request_interrupt_window ||
			  nvmx_nested_wants(vcpu,
					    NV_PROC_CTL_INTR_WINDOW_EXITING));
}

/* Host state that changes under a running thread; TLB flush if asked. */
static void nvmx_refresh_host(struct nvmx_vmx_vcpu *vmx)
{
	unsigned long cr3 = __read_cr3(), cr4 = cr4_read_shadow();
	struct nvmx_vmcs *vmcs = vmx->cur;

	/* CR3 changes with the PCID the mm gets on this CPU. */
	if (cr3 != vmcs->host_cr3) {
		vmx_vmwrite(VMCS_HOST_CR3, cr3);
		vmcs->host_cr3 = cr3;
	}
	if (cr4 != vmcs->host_cr4) {
		vmx_vmwrite(VMCS_HOST_CR4, cr4);
		vmcs->host_cr4 = cr4;
	}
	if (vmcs->flush) {
		vmcs->flush = false;
		if (nvmx_host_caps.msrs[NV_MSR_EPT_VPID_CAP] &
		    NV_EPT_CAP_INVEPT_SINGLE)
			vmx_invept(VMX_INVEPT_SINGLE,
				   vmx_vmread_val(VMCS_EPT_POINTER));
		else
			vmx_invept(VMX_INVEPT_ALL, 0);
	}
}

/* A host NMI made the guest exit; NMIs stay blocked until an IRET. */
static void nvmx_forward_nmi(struct nvmx_exit_info *exit)
{
	if (exit->reason == NV_EXIT_EXCEPTION_NMI &&
	    (exit->intr_info & NV_INTR_INFO_VALID) &&
	    NV_INTR_INFO_TYPE(exit->intr_info) == NV_INTR_TYPE_NMI)
		asm volatile("int $2");
}

/*
 * RIP, RSP, RFLAGS and the interruptibility state, which nvmx keeps in
 * software between entries, from the vCPU's VMCS (which must be current).
 */
void nvmx_vmx_read_guest_regs(struct nvmx_vmx_vcpu *vmx)
{
	vmx->rip = vmx_vmread_val(VMCS_GUEST_RIP);
	vmx->rsp = vmx_vmread_val(VMCS_GUEST_RSP);
	vmx->rflags = vmx_vmread_val(VMCS_GUEST_RFLAGS);
	vmx->interruptibility =
		vmx_vmread_val(VMCS_GUEST_INTERRUPTIBILITY_INFO);
}

static void nvmx_read_exit(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nvmx_exit_info *e = &vmx->exit;

	e->reason = vmx_vmread_val(VMCS_VM_EXIT_REASON);
	e->intr_info = vmx_vmread_val(VMCS_VM_EXIT_INTR_INFO);
	e->qual = vmx_vmread_val(VMCS_EXIT_QUALIFICATION);
	e->intr_error = vmx_vmread_val(VMCS_VM_EXIT_INTR_ERROR_CODE);
	e->idt_info = vmx_vmread_val(VMCS_IDT_VECTORING_INFO_FIELD);
	e->idt_error = vmx_vmread_val(VMCS_IDT_VECTORING_ERROR_CODE);
	e->insn_len = vmx_vmread_val(VMCS_VM_EXIT_INSTRUCTION_LEN);
	e->insn_info = vmx_vmread_val(VMCS_VMX_INSTRUCTION_INFO);
	e->gpa = vmx_vmread_val(VMCS_GUEST_PHYSICAL_ADDRESS);
	e->gla = vmx_vmread_val(VMCS_GUEST_LINEAR_ADDRESS);
	nvmx_vmx_read_guest_regs(vmx);
}

/*
 * The entry proper. Interrupts are off from the last check of the kick
 * flag to the exit, so that a kick either is seen here or finds the vCPU
 * in NVMX_MODE_ENTERING and interrupts it with an IPI (an external-
 * interrupt exit). Return: 0 after an exit, 1 after a VMfail, -EAGAIN
 * when the entry was abandoned (kick, signal, reschedule).
 */
static int nvmx_enter(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nvmx_host_saved host;
	u64 host_xcr0;
	int ret = -EAGAIN;

	nvmx_fpu_enter(vmx->fpu);
	local_irq_disable();
	vcpu->cpu = smp_processor_id();
	WRITE_ONCE(vcpu->mode, NVMX_MODE_ENTERING);
	smp_mb();	/* mode before kick; pairs with nvmx_vcpu_kick() */
	if (READ_ONCE(vcpu->kick) || signal_pending(current) ||
	    need_resched() || nvmx_vm_stopped(vcpu->vm, vcpu->stop_seq) ||
	    nvmx_ept02_stale(vcpu) || nvmx_lapic_events(vcpu))
		goto out;
	if (native_read_cr2() != vmx->cr2)
		native_write_cr2(vmx->cr2);
	nvmx_host_save(&host);
	host_xcr0 = nvmx_xcr0_enter(vmx->xcr0, vmx->cr4 & NV_CR4_OSXSAVE);
	ret = __nvmx_vmx_enter(&vmx->gprs, vmx->cur->launched);
	nvmx_xcr0_leave(host_xcr0);
	vmx->cr2 = native_read_cr2();
	nvmx_host_restore(&host);
	if (!ret) {
		nvmx_read_exit(vcpu);
		nvmx_forward_nmi(&vmx->exit);
	}
out:
	WRITE_ONCE(vcpu->mode, NVMX_MODE_OUTSIDE);
	local_irq_enable();
	nvmx_fpu_leave(vmx->fpu);
	return ret;
}

/* A VMLAUNCH/VMRESUME that failed outright is nvmx's bug: report it. */
static int nvmx_vmfail(struct nvmx_vcpu *vcpu)
{
	struct nvmx_run *run = vcpu->run;

	run->exit_reason = NVMX_EXIT_INTERNAL_ERROR;
	run->internal.suberror = NVMX_INTERNAL_VMFAIL;
	run->internal.ndata = 1;
	run->internal.data[0] = vmx_vmread_val(VMCS_VM_INSTRUCTION_ERROR);
	return 1;
}

/*
 * An event the exit interrupted is delivered again at the next entry
 * (Intel SDM, "Information for VM Exits During Event Delivery").
 */
static void nvmx_save_interrupted_event(struct nvmx_vmx_vcpu *vmx)
{
	u32 info = vmx->exit.idt_info;

	if (!(info & NV_INTR_INFO_VALID))
		return;
	vmx->inject.valid = true;
	vmx->inject.info = info & (NV_INTR_INFO_VALID |
				   NV_INTR_INFO_DELIVER_CODE | 0x7ff);
	vmx->inject.error = vmx->exit.idt_error;
	vmx->inject.insn_len = vmx->exit.insn_len;
}

/* An entry was abandoned: its event waits for the next one. */
static void nvmx_unwind_event(struct nvmx_vmx_vcpu *vmx)
{
	u32 info = vmx_vmread_val(VMCS_VM_ENTRY_INTR_INFO_FIELD);

	if (!(info & NV_INTR_INFO_VALID))
		return;
	vmx->inject.valid = true;
	vmx->inject.info = info;
	vmx->inject.error = vmx_vmread_val(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE);
	vmx->inject.insn_len = vmx_vmread_val(VMCS_VM_ENTRY_INSTRUCTION_LEN);
	vmx_vmwrite(VMCS_VM_ENTRY_INTR_INFO_FIELD, 0);
}

/* Checks before an entry. Return: 0 to go on, or as nvmx_run_once(). */
static int nvmx_before_entry(struct nvmx_vcpu *vcpu)
{
	struct nvmx_run *run = vcpu->run;

	if (run->immediate_exit || READ_ONCE(vcpu->kick) ||
	    signal_pending(current)) {
		WRITE_ONCE(vcpu->kick, false);
		run->exit_reason = NVMX_EXIT_INTR;
		return -EINTR;
	}
	if (nvmx_vm_stopped(vcpu->vm, vcpu->stop_seq)) {
		run->exit_reason = NVMX_EXIT_STOPPED;
		return 1;
	}
	/* What the APIC's timer and other vCPUs signalled (lapic_vcpu.c). */
	nvmx_lapic_take_events(vcpu);
	if (run->request_interrupt_window && vcpu->irq_vector < 0 &&
	    nvmx_vmx_irq_allowed(vcpu)) {
		run->exit_reason = NVMX_EXIT_IRQ_WINDOW_OPEN;
		return 1;
	}
	return 0;
}

/*
 * INIT and SIPI of the in-kernel APIC (Intel SDM, "MP Initialization
 * Protocol"): an INIT outside VMX operation puts the vCPU in its INIT
 * state, and an AP then waits for a SIPI; in VMX root operation INIT
 * is blocked (held until VMXOFF), while L2 runs it is an exit to L1
 * (nvmx_nested_events()). A SIPI ends the wait, and is ignored
 * otherwise. Context: before an entry, preemptible; VMCS01 current
 * unless L2 runs.
 * Return: 0 to enter, -EAGAIN when the vCPU waited (look again), -EIO.
 */
static int nvmx_mp_events(struct nvmx_vcpu *vcpu)
{
	int err = 0;

	if (vcpu->init_pending && !vcpu->vmx.nested.vmxon) {
		bool bsp = READ_ONCE(vcpu->lapic.apic.base) & LAPIC_BASE_BSP;

		vcpu->init_pending = false;
		vcpu->nmi_pending = false;
		err = nvmx_vmx_init_signal(vcpu);
		nvmx_lapic_init_signal(vcpu);
		vcpu->mp_state = bsp ? NVMX_MP_RUNNABLE : NVMX_MP_WAIT_SIPI;
	}
	if (vcpu->sipi_vector >= 0) {
		if (!err && vcpu->mp_state == NVMX_MP_WAIT_SIPI) {
			err = nvmx_vmx_sipi(vcpu, vcpu->sipi_vector);
			vcpu->mp_state = NVMX_MP_RUNNABLE;
		}
		vcpu->sipi_vector = -1;
	}
	if (err)
		return -EIO;
	if (vcpu->mp_state != NVMX_MP_WAIT_SIPI)
		return 0;
	nvmx_lapic_wait_sipi(vcpu);
	return -EAGAIN;
}

/*
 * One entry and the handling of its exit. Return: 0 to go on, 1 for an
 * exit to userspace (run->exit_reason set), -errno.
 */
static int nvmx_run_once(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	int ret = nvmx_before_entry(vcpu) ?: nvmx_mp_events(vcpu) ?:
		  nvmx_nested_events(vcpu);

	if (!ret && nvmx_ept02_stale(vcpu))
		ret = nvmx_ept02_rebuild(vcpu);
	if (ret == -EAGAIN)
		return 0;
	if (ret)
		return ret;
	preempt_disable();
	/*
	 * The vCPU's VMCS must be current here, on a CPU in VMX operation:
	 * the preempt notifier loads it, but cannot report a failure.
	 */
	if (READ_ONCE(vmx->cur->cpu) != smp_processor_id() ||
	    vmx->cur->host_cpu != smp_processor_id()) {
		if (!nvmx_vmx_cpu_on() ||
		    nvmx_vmx_vcpu_reload(vcpu, smp_processor_id())) {
			preempt_enable();
			return -EIO;
		}
	}
	nvmx_inject_events(vcpu);
	nvmx_refresh_host(vmx);
	nvmx_vmx_swap_msrs_in(vcpu);
	vmx_vmwrite(VMCS_GUEST_RIP, vmx->rip);
	vmx_vmwrite(VMCS_GUEST_RSP, vmx->rsp);
	vmx_vmwrite(VMCS_GUEST_RFLAGS, vmx->rflags);
	if (vmx->preemption_timer)
		vmx_vmwrite(VMCS_VMX_PREEMPTION_TIMER_VALUE,
			    vmx->l2.active ?
			    nvmx_l2_timer_value(vcpu, vmx->preemption_timer) :
			    vmx->preemption_timer);
	ret = nvmx_enter(vcpu);
	preempt_enable();
	if (ret == -EAGAIN) {
		nvmx_unwind_event(vmx);
		cond_resched();
		return 0;
	}
	if (ret)
		return nvmx_vmfail(vcpu);
	if (!(vmx->exit.reason & NV_EXIT_REASON_FAILED_ENTRY))
		vmx->cur->launched = true;
	vmx_vmwrite(VMCS_VM_ENTRY_INTR_INFO_FIELD, 0);
	nvmx_save_interrupted_event(vmx);
	vcpu->stats.exits++;
	if (NV_EXIT_REASON_BASIC(vmx->exit.reason) < NVMX_STATS_EXIT_REASONS)
		vcpu->stats.exit_reason[NV_EXIT_REASON_BASIC(vmx->exit.reason)]++;
	nvmx_stats_exit(vcpu, vmx->exit.reason, vmx->l2.active);
	ret = nvmx_handle_exit(vcpu);
	nvmx_stats_exit_done(vcpu);
	return ret;
}

/**
 * nvmx_vmx_run() - NVMX_RUN
 * @vcpu: the vCPU
 *
 * Context: process context of the VM's address space, vcpu->lock held.
 * Return: 0 with run->exit_reason set, -EINTR (NVMX_EXIT_INTR), or
 * -errno (-EBUSY: VMX is off; -EIO: VMCS01 could not be loaded).
 */
int nvmx_vmx_run(struct nvmx_vcpu *vcpu)
{
	struct nvmx_run *run = vcpu->run;
	int ret;

	ret = nvmx_vmx_vcpu_load(vcpu);
	if (ret)
		return ret;
	ret = nvmx_complete_user_exit(vcpu);
	while (!ret)
		ret = nvmx_run_once(vcpu);
	run->if_flag = !!(vcpu->vmx.rflags & NV_RFLAGS_IF);
	run->ready_for_interrupt_injection = vcpu->irq_vector < 0 &&
					     nvmx_vmx_irq_allowed(vcpu);
	nvmx_vmx_vcpu_put(vcpu);
	return ret > 0 ? 0 : ret;
}
