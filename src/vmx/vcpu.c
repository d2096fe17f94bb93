// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU's VMCS01: creation (controls from the capability MSRs, the
 * x86 reset state), and keeping it current on whatever CPU the vCPU's
 * thread runs (preempt notifiers), with the host state of that CPU and
 * the guest's lazily switched MSRs.
 */
#include <linux/gfp.h>
#include <linux/idr.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/log2.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>

#include "../vcpu.h"
#include "../nested/vmx_msrs.h"
#include "../vm.h"
#include "arch.h"
#include "controls.h"
#include "host_state.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"
#include "vmx.h"

static DEFINE_IDA(nvmx_vpids);

/* The MSR of each enum nvmx_swap_msr slot. */
const u32 nvmx_swap_msr_index[NVMX_SWAP_COUNT] = {
	[NVMX_SWAP_STAR] = MSR_STAR,
	[NVMX_SWAP_LSTAR] = MSR_LSTAR,
	[NVMX_SWAP_CSTAR] = MSR_CSTAR,
	[NVMX_SWAP_SFMASK] = MSR_SYSCALL_MASK,
	[NVMX_SWAP_KERNEL_GS_BASE] = MSR_KERNEL_GS_BASE,
	[NVMX_SWAP_TSC_AUX] = MSR_TSC_AUX,
};

/* MSRs this CPU has; TSC_AUX only with RDTSCP or RDPID. */
static bool nvmx_swap_msr_exists(unsigned int i)
{
	return i != NVMX_SWAP_TSC_AUX || boot_cpu_has(X86_FEATURE_RDTSCP) ||
	       boot_cpu_has(X86_FEATURE_RDPID);
}

/*
 * Load the guest's values of the MSRs that have no VMCS field. The host
 * uses them only in user mode or on the way there (SYSCALL, SWAPGS,
 * RDTSCP/RDPID), so they stay loaded until the thread leaves NVMX_RUN or
 * is scheduled out. Context: preemption disabled.
 */
void nvmx_vmx_swap_msrs_in(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	unsigned int i;

	if (vmx->guest_msrs_loaded)
		return;
	for (i = 0; i < NVMX_SWAP_COUNT; i++) {
		if (!nvmx_swap_msr_exists(i))
			continue;
		rdmsrl(nvmx_swap_msr_index[i], vmx->host_msrs[i]);
		if (vmx->guest_msrs[i] != vmx->host_msrs[i])
			wrmsrl(nvmx_swap_msr_index[i], vmx->guest_msrs[i]);
	}
	vmx->guest_msrs_loaded = true;
}

/* Put the host's values back. Context: preemption disabled. */
static void nvmx_vmx_swap_msrs_out(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	unsigned int i;

	if (!vmx->guest_msrs_loaded)
		return;
	for (i = 0; i < NVMX_SWAP_COUNT; i++)
		if (nvmx_swap_msr_exists(i) &&
		    vmx->guest_msrs[i] != vmx->host_msrs[i])
			wrmsrl(nvmx_swap_msr_index[i], vmx->host_msrs[i]);
	vmx->guest_msrs_loaded = false;
}

/*
 * Make the vCPU's VMCS (vmx->cur) current on @cpu, which is this CPU; a
 * VMCS new to this CPU gets its host state, and the guest's translations
 * cached here from an earlier stay are dropped before the next entry.
 * Context: preemption disabled.
 */
static int nvmx_vmx_vcpu_on_cpu(struct nvmx_vcpu *vcpu, int cpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nvmx_vmcs *vmcs = vmx->cur;
	int err;

	err = nvmx_vmcs_load(vmcs);
	if (err)
		return err;
	if (vmcs->host_cpu != cpu) {
		err = nvmx_vmx_write_host_state();
		vmcs->host_cpu = cpu;
		vmcs->host_cr3 = __read_cr3();
		vmcs->host_cr4 = cr4_read_shadow();
		vmcs->flush = true;
	}
	return err;
}

/*
 * Load the vCPU's VMCS on @cpu, this CPU, again (after a failure in the
 * preempt notifier). Context: preemption disabled. Return: 0 or -errno.
 */
int nvmx_vmx_vcpu_reload(struct nvmx_vcpu *vcpu, int cpu)
{
	vcpu->vmx.cur->host_cpu = -1;
	return nvmx_vmx_vcpu_on_cpu(vcpu, cpu);
}

/* The calling thread's FS base in the current VMCS's host state. */
static int nvmx_vmx_host_fs_base(void)
{
	u64 fs_base;

	rdmsrl(MSR_FS_BASE, fs_base);
	return vmx_vmwrite(VMCS_HOST_FS_BASE, fs_base);
}

/**
 * nvmx_vmx_switch_vmcs() - VMCS01 to VMCS02 or back
 * @vcpu: the vCPU
 * @vmcs: &vcpu->vmx.vmcs or &vcpu->vmx.vmcs02
 *
 * Context: NVMX_RUN (between nvmx_vmx_vcpu_load() and _put()),
 * preemptible. Afterwards @vmcs is vmx->cur and current on this CPU.
 * Return: 0, or -EIO (VMPTRLD or a VMWRITE of the host state failed).
 */
int nvmx_vmx_switch_vmcs(struct nvmx_vcpu *vcpu, struct nvmx_vmcs *vmcs)
{
	int err;

	preempt_disable();
	vcpu->vmx.cur = vmcs;
	err = nvmx_vmx_vcpu_on_cpu(vcpu, smp_processor_id());
	err = err ?: nvmx_vmx_host_fs_base();
	preempt_enable();
	return err ? -EIO : 0;
}

/*
 * Drop the translations tagged with @vpid on this CPU (and on the others
 * when they next load the VMCS: host_cpu changes make them flush too).
 * Without single-context INVVPID, every translation goes.
 * Context: a VMCS of the vCPU current.
 */
void nvmx_vmx_flush_vpid(u16 vpid)
{
	u64 cap = nvmx_host_caps.msrs[NV_MSR_EPT_VPID_CAP];

	if (vpid && (cap & NV_VPID_CAP_INVVPID) &&
	    (cap & NV_VPID_CAP_INVVPID_SINGLE) &&
	    !vmx_invvpid(VMX_INVVPID_SINGLE, vpid))
		return;
	vmx_invept(VMX_INVEPT_ALL, 0);
}

static struct nvmx_vcpu *pn_to_vcpu(struct preempt_notifier *pn)
{
	return container_of(pn, struct nvmx_vcpu, vmx.pn);
}

static void nvmx_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct nvmx_vcpu *vcpu = pn_to_vcpu(pn);

	/* A failure shows as a VMfail at the next entry. */
	if (nvmx_vmx_vcpu_on_cpu(vcpu, cpu))
		vcpu->vmx.cur->host_cpu = -1;
}

static void nvmx_sched_out(struct preempt_notifier *pn,
			   struct task_struct *next)
{
	nvmx_vmx_swap_msrs_out(pn_to_vcpu(pn));
}

static struct preempt_ops nvmx_preempt_ops = {
	.sched_in = nvmx_sched_in,
	.sched_out = nvmx_sched_out,
};

/**
 * nvmx_vmx_vcpu_load() - make the vCPU's VMCS current for the thread
 * @vcpu: the vCPU
 *
 * Until nvmx_vmx_vcpu_put(), vmx->cur is current on whatever CPU the thread
 * runs on, and its host state is this thread's (FS base included).
 * Context: process context, vcpu->lock held.
 * Return: 0, -EBUSY when this CPU is not in VMX operation, -EIO when
 * VMPTRLD or a VMWRITE of the host state failed.
 */
int nvmx_vmx_vcpu_load(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	int err = -EBUSY;

	preempt_disable();
	if (nvmx_vmx_cpu_on()) {
		err = nvmx_vmx_vcpu_on_cpu(vcpu, smp_processor_id());
		/* Another thread may run the vCPU now: its FS base. */
		err = err ?: nvmx_vmx_host_fs_base();
	}
	if (!err) {
		preempt_notifier_register(&vmx->pn);
		vmx->loaded = true;
	}
	preempt_enable();
	return err ? (err == -EBUSY ? err : -EIO) : 0;
}

/* Undo nvmx_vmx_vcpu_load(). Context: as there. */
void nvmx_vmx_vcpu_put(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	preempt_disable();
	if (vmx->loaded) {
		preempt_notifier_unregister(&vmx->pn);
		vmx->loaded = false;
	}
	nvmx_vmx_swap_msrs_out(vcpu);
	preempt_enable();
}

/*
 * The VMX preemption timer counts down at the TSC rate divided by
 * 2^IA32_VMX_MISC[4:0]: a value worth NVMX_GUEST_SLICE_US of TSC.
 */
static u32 nvmx_preemption_timer_value(void)
{
	u64 ticks = (u64)tsc_khz * NVMX_GUEST_SLICE_US / 1000;
	unsigned int rate = nvmx_host_caps.msrs[NV_MSR_MISC] & 0x1f;

	return clamp_t(u64, ticks >> rate, 1, U32_MAX);
}

/**
 * nvmx_vmx_write_ctls() - the control fields VMCS01 and VMCS02 share
 * @vmx: the vCPU
 * @c: pin-based, processor-based, VM-exit and VM-entry controls
 * @eptp: the EPT pointer (EPT01, or EPT02 for L2)
 * @vpid: the VPID, 0 for none (then @c has no VPID control)
 * @tsc_offset: the TSC offset, written with TSC offsetting in @c
 *
 * Also what every VMCS of a vCPU has alike: L0's MSR bitmap, no link
 * pointer, no MSR lists, no event to inject, every CR0 and CR4 bit owned
 * by nvmx (the guest reads the read shadows). The exception bitmap, the
 * #PF error-code mask and match and the CR3-target values are the
 * caller's. Context: the VMCS to write current. Return: 0 or -EIO.
 */
int nvmx_vmx_write_ctls(struct nvmx_vmx_vcpu *vmx,
			const struct vmx_controls *c, u64 eptp, u16 vpid,
			u64 tsc_offset)
{
	int err;

	err = vmx_vmwrite(VMCS_PIN_BASED_VM_EXEC_CONTROL, c->pin);
	err = err ?: vmx_vmwrite(VMCS_CPU_BASED_VM_EXEC_CONTROL, c->proc);
	err = err ?: vmx_vmwrite(VMCS_SECONDARY_VM_EXEC_CONTROL, c->proc2);
	err = err ?: vmx_vmwrite(VMCS_VM_EXIT_CONTROLS, c->exit);
	err = err ?: vmx_vmwrite(VMCS_VM_ENTRY_CONTROLS, c->entry);
	err = err ?: vmx_vmwrite(VMCS_MSR_BITMAP,
				 page_to_phys(vmx->msr_bitmap));
	err = err ?: vmx_vmwrite(VMCS_EPT_POINTER, eptp);
	err = err ?: vmx_vmwrite(VMCS_VMCS_LINK_POINTER, ~0UL);
	err = err ?: vmx_vmwrite(VMCS_VM_EXIT_MSR_STORE_COUNT, 0);
	err = err ?: vmx_vmwrite(VMCS_VM_EXIT_MSR_LOAD_COUNT, 0);
	err = err ?: vmx_vmwrite(VMCS_VM_ENTRY_MSR_LOAD_COUNT, 0);
	err = err ?: vmx_vmwrite(VMCS_VM_ENTRY_INTR_INFO_FIELD, 0);
	err = err ?: vmx_vmwrite(VMCS_CR0_GUEST_HOST_MASK, ~0UL);
	err = err ?: vmx_vmwrite(VMCS_CR4_GUEST_HOST_MASK, ~0UL);
	if (c->proc & NV_PROC_CTL_USE_TSC_OFFSETTING)
		err = err ?: vmx_vmwrite(VMCS_TSC_OFFSET, tsc_offset);
	if (vpid)
		err = err ?: vmx_vmwrite(VMCS_VIRTUAL_PROCESSOR_ID, vpid);
	return err ? -EIO : 0;
}

/*
 * The controls of VMCS01 (controls.c decides them; VPID where nvmx got
 * one). Context: VMCS01 current.
 */
static int nvmx_vmx_write_controls(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct vmx_controls c;
	const char *missing;
	int err;

	if (vmx_vmcs01_controls(nvmx_host_caps.msrs, &c, &missing))
		return -EOPNOTSUPP;
	if (!vmx->vpid)
		c.proc2 &= ~NV_PROC2_CTL_VPID;
	vmx->ctls01 = c;
	vmx->proc_ctls = c.proc;
	vmx->unrestricted = c.proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST;
	vmx->virtual_nmis = c.pin & NV_PIN_CTL_VIRTUAL_NMIS;
	if (c.pin & NV_PIN_CTL_PREEMPTION_TIMER)
		vmx->preemption_timer = nvmx_preemption_timer_value();
	vmx->entry_ctls = c.entry;
	err = nvmx_vmx_write_ctls(vmx, &c, nvmx_ept_pointer(&vcpu->vm->ept),
				  vmx->vpid, 0);
	err = err ?: vmx_vmwrite(VMCS_EXCEPTION_BITMAP, 0);
	err = err ?: vmx_vmwrite(VMCS_PAGE_FAULT_ERROR_CODE_MASK, 0);
	err = err ?: vmx_vmwrite(VMCS_PAGE_FAULT_ERROR_CODE_MATCH, 0);
	err = err ?: vmx_vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	return err;
}

/* A VPID for a new VMCS, or 0 (none: the CPU lacks VPID, or all taken). */
u16 nvmx_vmx_alloc_vpid(void)
{
	int id;

	if (!(nvmx_host_caps.features & NVMX_FEAT_VPID))
		return 0;
	id = ida_alloc_range(&nvmx_vpids, 1, 0xffff, GFP_KERNEL);
	return id < 0 ? 0 : id;
}

/* Give back a VPID of nvmx_vmx_alloc_vpid() (0: none). */
void nvmx_vmx_free_vpid(u16 vpid)
{
	if (vpid)
		ida_free(&nvmx_vpids, vpid);
}

/* The guest's FPU state at reset: everything in its initial state. */
static int nvmx_vmx_alloc_fpu(struct nvmx_vmx_vcpu *vmx)
{
	unsigned int size = 512 + 64, eax, ebx, ecx, edx;

	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
		size = max(size, ebx);
	}
	/* Power-of-two kmalloc sizes are naturally aligned: 64 is enough. */
	vmx->fpu = kzalloc(roundup_pow_of_two(size), GFP_KERNEL_ACCOUNT);
	if (!vmx->fpu)
		return -ENOMEM;
	*(u32 *)(vmx->fpu + 24) = 0x1f80;	/* MXCSR */
	*(u16 *)vmx->fpu = 0x37f;		/* FCW, for FXRSTOR */
	return 0;
}

static void nvmx_vmx_vcpu_release(struct nvmx_vmx_vcpu *vmx)
{
	kfree(vmx->fpu);
	if (vmx->msr_bitmap)
		__free_page(vmx->msr_bitmap);
	if (vmx->vmcs.page) {
		nvmx_vmcs_clear(&vmx->vmcs);
		nvmx_vmcs_free(&vmx->vmcs);
	}
	if (vmx->vmcs02.page) {
		nvmx_vmcs_clear(&vmx->vmcs02);
		nvmx_vmcs_free(&vmx->vmcs02);
	}
	nvmx_vmx_free_vpid(vmx->vpid);
	nvmx_vpid02_free(vmx);
}

/**
 * nvmx_vmx_vcpu_init() - VMCS01 of a new vCPU, in the x86 reset state
 * @vcpu: the vCPU; vcpu->vm is set
 *
 * Context: process context. Return: 0, -ENOMEM, -EBUSY (VMX is off on
 * this CPU), -EIO (the VMCS could not be written).
 */
int nvmx_vmx_vcpu_init(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	int err = -ENOMEM;

	vmx->cur = &vmx->vmcs;
	preempt_notifier_init(&vmx->pn, &nvmx_preempt_ops);
	vmx->vpid = nvmx_vmx_alloc_vpid();
	vmx->msr_bitmap = alloc_page(GFP_KERNEL_ACCOUNT);
	if (!vmx->msr_bitmap || nvmx_vmx_alloc_fpu(vmx) ||
	    nvmx_vmcs_alloc(&vmx->vmcs)) {
		err = -ENOMEM;
		goto fail;
	}
	/* Every MSR access exits. */
	memset(page_address(vmx->msr_bitmap), 0xff, PAGE_SIZE);
	nvmx_l1_vmx_msrs(nvmx_host_caps.msrs, vmx->l1_vmx_msrs);
	/* L1's CR4 for itself and for L2: only what nvmx switches. */
	vmx->l1_vmx_msrs[NV_MSR_CR4_FIXED1] &= nvmx_vmx_cr4_supported();
	nested_vmx_init(&vmx->nested);
	preempt_notifier_inc();
	err = nvmx_vmx_vcpu_load(vcpu);
	if (!err) {
		err = nvmx_vmx_write_controls(vcpu) ?: nvmx_vmx_reset(vcpu);
		nvmx_vmx_vcpu_put(vcpu);
		if (err)
			err = -EIO;
	}
	if (!err)
		return 0;
	preempt_notifier_dec();
fail:
	nvmx_vmx_vcpu_release(vmx);
	return err;
}

/* Context: process context; the vCPU's fd is gone, nothing runs it. */
void nvmx_vmx_vcpu_free(struct nvmx_vcpu *vcpu)
{
	if (vcpu->vmx.nested.vmxon)
		nvmx_nested_vmx_operation(vcpu, false);
	nvmx_ept02_drop(vcpu);
	nvmx_shadow_free(&vcpu->vmx);
	nvmx_vmx_vcpu_release(&vcpu->vmx);
	preempt_notifier_dec();
}
