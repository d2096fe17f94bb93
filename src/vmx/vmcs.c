// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardware VMCS regions: allocation, VMPTRLD on the running CPU and VMCLEAR
 * on the CPU where a VMCS is active (see vmcs.h).
 *
 * Each CPU keeps the list of VMCSs active on it. The list is only touched
 * on its own CPU with interrupts disabled: by nvmx_vmcs_load(), and by the
 * VMCLEAR that nvmx_vmcs_clear() runs there through an IPI.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/smp.h>

#include "insn.h"
#include "vmcs.h"
#include "vmcs_fields.h"
#include "vmx.h"

static DEFINE_PER_CPU(struct list_head, nvmx_active_vmcs);

/*
 * This CPU's list, initialized on first use (per-CPU data starts zeroed).
 * Only called on @cpu itself, with interrupts disabled.
 */
static struct list_head *nvmx_active_list(unsigned int cpu)
{
	struct list_head *head = per_cpu_ptr(&nvmx_active_vmcs, cpu);

	if (!head->next)
		INIT_LIST_HEAD(head);
	return head;
}

/**
 * nvmx_vmcs_alloc() - a VMCS region, cleared, with the host's revision
 * @vmcs: filled in
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int nvmx_vmcs_alloc(struct nvmx_vmcs *vmcs)
{
	vmcs->page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vmcs->page)
		return -ENOMEM;
	/* SDM "Format of the VMCS Region": bits 30:0 of the first word. */
	*(u32 *)page_address(vmcs->page) = nvmx_host_caps.vmcs_revision;
	vmcs->cpu = -1;
	vmcs->host_cpu = -1;
	vmcs->launched = false;
	INIT_LIST_HEAD(&vmcs->active);
	return 0;
}

/* Context: process context; @vmcs must not be active (nvmx_vmcs_clear()). */
void nvmx_vmcs_free(struct nvmx_vmcs *vmcs)
{
	__free_page(vmcs->page);
	vmcs->page = NULL;
}

/* VMCLEAR @vmcs on this CPU, where it is active. Interrupts disabled. */
static void nvmx_vmcs_clear_here(void *arg)
{
	struct nvmx_vmcs *vmcs = arg;

	vmx_vmclear(page_to_phys(vmcs->page));
	list_del_init(&vmcs->active);
	vmcs->cpu = -1;
	vmcs->launched = false;
}

/**
 * nvmx_vmcs_clear() - VMCLEAR @vmcs wherever it is active
 * @vmcs: the VMCS
 *
 * Context: process context with preemption enabled, or on the CPU where
 * @vmcs is active. Afterwards @vmcs is active nowhere and its launch
 * state is clear.
 */
void nvmx_vmcs_clear(struct nvmx_vmcs *vmcs)
{
	int cpu = READ_ONCE(vmcs->cpu);

	if (cpu >= 0)
		smp_call_function_single(cpu, nvmx_vmcs_clear_here, vmcs, 1);
}

/**
 * nvmx_vmcs_load() - make @vmcs the current VMCS of this CPU
 * @vmcs: the VMCS
 *
 * Context: preemption disabled, this CPU in VMX operation. A VMCS active
 * on another CPU is VMCLEARed there first, which drops its launch state.
 * Return: 0, or the error of VMPTRLD.
 */
int nvmx_vmcs_load(struct nvmx_vmcs *vmcs)
{
	unsigned int cpu = smp_processor_id();
	unsigned long flags;
	int err;

	if (vmcs->cpu >= 0 && vmcs->cpu != cpu)
		smp_call_function_single(vmcs->cpu, nvmx_vmcs_clear_here,
					 vmcs, 1);
	local_irq_save(flags);
	err = vmx_vmptrld(page_to_phys(vmcs->page));
	if (!err && vmcs->cpu != cpu) {
		list_add(&vmcs->active, nvmx_active_list(cpu));
		vmcs->cpu = cpu;
	}
	local_irq_restore(flags);
	return err;
}

/*
 * VMCLEAR every VMCS active on @cpu, which is the running CPU, before it
 * leaves VMX operation. Context: interrupts disabled.
 */
void nvmx_vmcs_clear_cpu(unsigned int cpu)
{
	struct nvmx_vmcs *vmcs, *tmp;

	list_for_each_entry_safe(vmcs, tmp, nvmx_active_list(cpu), active)
		nvmx_vmcs_clear_here(vmcs);
}

/*
 * A round trip through a VMCS on this CPU: VMCLEAR, VMPTRLD, VMWRITE and
 * VMREAD of a field, VMREAD of an unsupported field (VMfailValid, error
 * 12), VMCLEAR. Context: preemption disabled, VMX operation.
 */
static const char *nvmx_vmcs_roundtrip(struct nvmx_vmcs *vmcs)
{
	unsigned long val = 0;

	if (nvmx_vmcs_load(vmcs))
		return "VMPTRLD failed";
	if (vmx_vmwrite(VMCS_GUEST_RIP, 0x123456789aUL))
		return "VMWRITE of GUEST_RIP failed";
	if (vmx_vmread(VMCS_GUEST_RIP, &val) || val != 0x123456789aUL)
		return "VMREAD of GUEST_RIP gave another value";
	if (vmx_vmread(0x7ffe, &val) != -EIO)
		return "VMREAD of an unsupported field did not fail";
	if (vmx_vmread(VMCS_VM_INSTRUCTION_ERROR, &val) || val != 12)
		return "VM-instruction error is not 12";
	nvmx_vmcs_clear(vmcs);
	if (vmx_vmread(VMCS_GUEST_RIP, &val) != -EIO)
		return "VMREAD without a current VMCS did not fail";
	return NULL;
}

/**
 * nvmx_vmcs_selftest() - exercise the VMCS instructions on this CPU
 * @buf: "ok", or the step that went wrong
 * @len: size of @buf
 *
 * For developers and the selftests (debugfs vmcs_selftest): proves the
 * VMX instruction layer on the machine at hand.
 *
 * Context: process context; a VM must exist, so that VMX is on.
 * Return: 0 (the verdict is in @buf), -EBUSY without VMX, -ENOMEM.
 */
int nvmx_vmcs_selftest(char *buf, size_t len)
{
	struct nvmx_vmcs vmcs;
	const char *why;
	int err;

	err = nvmx_vmcs_alloc(&vmcs);
	if (err)
		return err;
	preempt_disable();
	if (!nvmx_vmx_cpu_on()) {
		preempt_enable();
		nvmx_vmcs_free(&vmcs);
		return -EBUSY;
	}
	why = nvmx_vmcs_roundtrip(&vmcs);
	nvmx_vmcs_clear(&vmcs);
	preempt_enable();
	nvmx_vmcs_free(&vmcs);
	snprintf(buf, len, "%s\n", why ?: "ok");
	return 0;
}
