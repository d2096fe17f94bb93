// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host-state area of a VMCS (Intel SDM, "Host-State Area"): what a VM
 * exit loads, taken from this CPU and this thread, and what a VM exit
 * leaves wrong in the host and must be put back.
 */
#include <linux/smp.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "arch.h"
#include "host_state.h"
#include "insn.h"
#include "vmcs_fields.h"
#include "vmenter.h"

struct host_field {
	u32 field;
	unsigned long val;
};

/* The MSR-backed host fields. */
static const struct {
	u32 field;
	u32 msr;
} host_msr_fields[] = {
	{ VMCS_HOST_FS_BASE, MSR_FS_BASE },
	{ VMCS_HOST_GS_BASE, MSR_GS_BASE },
	{ VMCS_HOST_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_CS },
	{ VMCS_HOST_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_ESP },
	{ VMCS_HOST_IA32_SYSENTER_EIP, MSR_IA32_SYSENTER_EIP },
	{ VMCS_HOST_IA32_EFER, MSR_EFER },
	{ VMCS_HOST_IA32_PAT, MSR_IA32_CR_PAT },
};

/**
 * nvmx_vmx_write_host_state() - the host-state area for this CPU and thread
 *
 * FS base and CR3 are the calling thread's; GS base, TR, the GDT and the
 * SYSENTER MSRs are this CPU's. A VMCS that moves to another CPU, or is
 * entered by another thread, needs this again.
 * Context: preemption disabled; the VMCS to fill is current.
 * Return: 0, or the error of the first VMWRITE that failed.
 */
int nvmx_vmx_write_host_state(void)
{
	struct desc_ptr gdt, idt;
	struct host_field f[] = {
		{ VMCS_HOST_CR0, read_cr0() },
		{ VMCS_HOST_CR3, __read_cr3() },
		{ VMCS_HOST_CR4, cr4_read_shadow() },
		{ VMCS_HOST_CS_SELECTOR, __KERNEL_CS },
		{ VMCS_HOST_SS_SELECTOR, __KERNEL_DS },
		{ VMCS_HOST_DS_SELECTOR, 0 },
		{ VMCS_HOST_ES_SELECTOR, 0 },
		{ VMCS_HOST_FS_SELECTOR, 0 },
		{ VMCS_HOST_GS_SELECTOR, 0 },
		{ VMCS_HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8 },
		{ VMCS_HOST_TR_BASE, (unsigned long)
		  &get_cpu_entry_area(smp_processor_id())->tss.x86_tss },
		{ VMCS_HOST_RIP, (unsigned long)nvmx_vmx_exit_landing },
	};
	unsigned int i;
	u64 v;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(f); i++)
		err = err ?: vmx_vmwrite(f[i].field, f[i].val);
	for (i = 0; i < ARRAY_SIZE(host_msr_fields); i++) {
		rdmsrl(host_msr_fields[i].msr, v);
		err = err ?: vmx_vmwrite(host_msr_fields[i].field, v);
	}
	native_store_gdt(&gdt);
	store_idt(&idt);
	err = err ?: vmx_vmwrite(VMCS_HOST_GDTR_BASE, gdt.address);
	return err ?: vmx_vmwrite(VMCS_HOST_IDTR_BASE, idt.address);
}

/**
 * nvmx_host_save() - remember what a VM exit will clobber
 * @h: filled in
 *
 * Context: interrupts disabled, up to the matching nvmx_host_restore().
 */
void nvmx_host_save(struct nvmx_host_saved *h)
{
	store_idt(&h->idt);
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	asm volatile("sldt %0" : "=r" (h->ldt));
	get_debugreg(h->dr7, 7);
	h->debugctl = 0;
	if (rdmsrl_safe(MSR_IA32_DEBUGCTLMSR, &h->debugctl))
		h->debugctl = 0;
}

/*
 * After a VM exit: the GDT and IDT limits (set to 0xffff by the exit), the
 * TSS limit (0x67, which hides the I/O bitmap), the LDT, DS and ES
 * (loaded with null selectors), DR7 and IA32_DEBUGCTL (cleared).
 * Context: interrupts disabled since nvmx_host_save().
 */
void nvmx_host_restore(const struct nvmx_host_saved *h)
{
	load_fixmap_gdt(smp_processor_id());
	native_load_idt(&h->idt);
	invalidate_tss_limit();
	if (h->ldt)
		asm volatile("lldt %0" : : "r" (h->ldt));
	if (h->ds)
		loadsegment(ds, h->ds);
	if (h->es)
		loadsegment(es, h->es);
	if (h->dr7 != NV_DR7_FIXED1)
		set_debugreg(h->dr7, 7);
	if (h->debugctl)
		wrmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
}
