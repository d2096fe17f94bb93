// SPDX-License-Identifier: GPL-2.0-only
/*
 * L1's state after a nested VM exit, from VMCS12's host-state area
 * (Intel SDM, "Loading Host State": "Loading Host Control Registers, Debug
 * Registers, MSRs" and "Loading Host Segment and Descriptor-Table
 * Registers"). The VM-exit MSR-load list is applied by the caller
 * afterwards. Pure; not wired to a VM exit yet.
 */
#include "host_load.h"

/* CR0 bits a VM exit loads; the others keep their value. */
#define CR0_LOADED	(BIT_ULL(0) | BIT_ULL(1) | BIT_ULL(2) | BIT_ULL(3) | \
			 BIT_ULL(5) | BIT_ULL(16) | BIT_ULL(18) | BIT_ULL(31))
#define CR4_PAE		BIT_ULL(5)
#define CR4_PCIDE	BIT_ULL(17)
#define EFER_LME	BIT_ULL(8)
#define EFER_LMA	BIT_ULL(10)
#define EXIT_CTL_LOAD_PERF	BIT(12)
#define SEG_TYPE_CODE	11	/* execute/read, accessed */
#define SEG_TYPE_DATA	3	/* read/write, accessed */
#define SEG_TYPE_TSS	11	/* busy 32-bit TSS */

static u64 f(const struct vmcs12 *v, enum vmcs12_index i)
{
	return v->field[i];
}

/* CS, or a data segment: flat, DPL 0; unusable with a null selector. */
static void nested_host_seg(struct nvmx_segment *s, u16 selector, u64 base,
			    bool code, bool l)
{
	memset(s, 0, sizeof(*s));
	s->selector = selector;
	if (!code && !selector) {
		s->unusable = 1;
		s->base = base;	/* FS and GS keep their base */
		return;
	}
	s->base = base;
	s->limit = 0xffffffff;
	s->type = code ? SEG_TYPE_CODE : SEG_TYPE_DATA;
	s->s = 1;
	s->present = 1;
	s->l = code && l;
	s->db = !(code && l);
	s->g = 1;
}

static void nested_host_segments(const struct vmcs12 *v, bool l,
				 struct nvmx_sregs *r)
{
	nested_host_seg(&r->cs, f(v, V12_HOST_CS_SELECTOR), 0, true, l);
	nested_host_seg(&r->ss, f(v, V12_HOST_SS_SELECTOR), 0, false, l);
	nested_host_seg(&r->ds, f(v, V12_HOST_DS_SELECTOR), 0, false, l);
	nested_host_seg(&r->es, f(v, V12_HOST_ES_SELECTOR), 0, false, l);
	nested_host_seg(&r->fs, f(v, V12_HOST_FS_SELECTOR),
			f(v, V12_HOST_FS_BASE), false, l);
	nested_host_seg(&r->gs, f(v, V12_HOST_GS_SELECTOR),
			f(v, V12_HOST_GS_BASE), false, l);
	memset(&r->tr, 0, sizeof(r->tr));
	r->tr.selector = f(v, V12_HOST_TR_SELECTOR);
	r->tr.base = f(v, V12_HOST_TR_BASE);
	r->tr.limit = 0x67;
	r->tr.type = SEG_TYPE_TSS;
	r->tr.present = 1;
	memset(&r->ldt, 0, sizeof(r->ldt));
	r->ldt.unusable = 1;
	r->gdt.base = f(v, V12_HOST_GDTR_BASE);
	r->gdt.limit = 0xffff;
	r->idt.base = f(v, V12_HOST_IDTR_BASE);
	r->idt.limit = 0xffff;
}

/**
 * nested_load_host_state() - L1's state after a VM exit to it
 * @v: the current VMCS12, its host-state area checked at VM entry
 * @msrs: L1's VMX capability MSRs: the CR0 and CR4 bits fixed to 1 in
 *	VMX operation stay set
 * @before: L1's registers when it entered L2 (CR0 bits that a VM exit
 *	does not load, CR2, CR8, APIC base, EFER without "load IA32_EFER")
 * @s: the result
 */
void nested_load_host_state(const struct vmcs12 *v, const u64 *msrs,
			    const struct nvmx_sregs *before,
			    struct nested_l1_state *s)
{
	u32 exit = f(v, V12_VM_EXIT_CONTROLS);
	bool l = exit & NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE;
	struct nvmx_sregs *r = &s->sregs;

	memset(s, 0, sizeof(*s));
	*r = *before;
	r->cr0 = ((before->cr0 & ~CR0_LOADED) |
		  (f(v, V12_HOST_CR0) & CR0_LOADED)) | msrs[NV_MSR_CR0_FIXED0];
	r->cr3 = f(v, V12_HOST_CR3);
	r->cr4 = f(v, V12_HOST_CR4) | msrs[NV_MSR_CR4_FIXED0];
	if (l)
		r->cr4 |= CR4_PAE;
	else
		r->cr4 &= ~CR4_PCIDE;
	if (exit & NV_EXIT_CTL_LOAD_EFER)
		r->efer = f(v, V12_HOST_IA32_EFER);
	else if (l)
		r->efer |= EFER_LME | EFER_LMA;
	else
		r->efer &= ~(EFER_LME | EFER_LMA);
	nested_host_segments(v, l, r);
	s->rip = f(v, V12_HOST_RIP);
	s->rsp = f(v, V12_HOST_RSP);
	s->rflags = 2;
	s->dr7 = 0x400;
	s->sysenter_cs = f(v, V12_HOST_IA32_SYSENTER_CS);
	s->sysenter_esp = f(v, V12_HOST_IA32_SYSENTER_ESP);
	s->sysenter_eip = f(v, V12_HOST_IA32_SYSENTER_EIP);
	s->load_pat = exit & NV_EXIT_CTL_LOAD_PAT;
	s->pat = f(v, V12_HOST_IA32_PAT);
	s->load_perf_global_ctrl = exit & EXIT_CTL_LOAD_PERF;
	s->perf_global_ctrl = f(v, V12_HOST_IA32_PERF_GLOBAL_CTRL);
}
