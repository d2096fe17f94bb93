// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVMX_GET/SET_REGS, NVMX_GET/SET_SREGS and the x86 reset state: moving
 * guest registers between the uapi structures, the software copies and
 * VMCS01. Context of what touches the VMCS: VMCS01 current.
 */
#include "../vcpu.h"
#include "arch.h"
#include "insn.h"
#include "vcpu.h"
#include "vmcs_fields.h"
#include "vmx.h"

#define AR_UNUSABLE		BIT(16)
#define CR0_RESET		0x60000010ULL	/* CD, NW, ET */
#define PAT_RESET		0x0007040600070406ULL
#define APIC_BASE_RESET		0xfee00900ULL	/* enabled, BSP */
/* IA32_BIOS_SIGN_ID: microcode revision 1 (bits 63:32); no real update. */
#define NVMX_UCODE_REV		BIT_ULL(32)

/* Segment registers in the order of their VMCS fields (ES..TR). */
enum {
	SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR,
	SEG_COUNT
};

static struct nvmx_segment *sregs_seg(struct nvmx_sregs *s, unsigned int i)
{
	struct nvmx_segment *segs[SEG_COUNT] = {
		&s->es, &s->cs, &s->ss, &s->ds, &s->fs, &s->gs, &s->ldt, &s->tr,
	};

	return segs[i];
}

/* VMX access-rights format (Intel SDM, "Guest Register State"). */
static u32 seg_to_ar(const struct nvmx_segment *s)
{
	if (s->unusable)
		return AR_UNUSABLE;
	return (s->type & 15) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
	       (s->present & 1) << 7 | (s->avl & 1) << 12 | (s->l & 1) << 13 |
	       (s->db & 1) << 14 | (s->g & 1) << 15;
}

static void ar_to_seg(u32 ar, struct nvmx_segment *s)
{
	s->type = ar & 15;
	s->s = (ar >> 4) & 1;
	s->dpl = (ar >> 5) & 3;
	s->present = (ar >> 7) & 1;
	s->avl = (ar >> 12) & 1;
	s->l = (ar >> 13) & 1;
	s->db = (ar >> 14) & 1;
	s->g = (ar >> 15) & 1;
	s->unusable = (ar >> 16) & 1;
}

/* The registers in nvmx_regs order, as indexes of struct nvmx_gprs. */
static const u8 regs_gpr[] = { 0, 3, 1, 2, 6, 7, 4, 5,
			       8, 9, 10, 11, 12, 13, 14, 15 };

void nvmx_vmx_get_regs(struct nvmx_vcpu *vcpu, struct nvmx_regs *regs)
{
	u64 *r = &regs->rax;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs_gpr); i++)
		r[i] = vcpu->vmx.gprs.r[regs_gpr[i]];
	regs->rsp = vcpu->vmx.rsp;
	regs->rip = vcpu->vmx.rip;
	regs->rflags = vcpu->vmx.rflags;
}

/* @regs is checked (RFLAGS) by the caller. */
void nvmx_vmx_set_regs(struct nvmx_vcpu *vcpu, const struct nvmx_regs *regs)
{
	const u64 *r = &regs->rax;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs_gpr); i++)
		vcpu->vmx.gprs.r[regs_gpr[i]] = r[i];
	vcpu->vmx.rsp = regs->rsp;
	vcpu->vmx.rip = regs->rip;
	vcpu->vmx.rflags = regs->rflags;
}

/* Context: VMCS01 current. */
int nvmx_vmx_get_sregs(struct nvmx_vcpu *vcpu, struct nvmx_sregs *s)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	unsigned int i;

	for (i = 0; i < SEG_COUNT; i++) {
		struct nvmx_segment *seg = sregs_seg(s, i);

		seg->selector = vmx_vmread_val(VMCS_GUEST_ES_SELECTOR + 2 * i);
		seg->base = vmx_vmread_val(VMCS_GUEST_ES_BASE + 2 * i);
		seg->limit = vmx_vmread_val(VMCS_GUEST_ES_LIMIT + 2 * i);
		ar_to_seg(vmx_vmread_val(VMCS_GUEST_ES_AR_BYTES + 2 * i), seg);
	}
	s->gdt.base = vmx_vmread_val(VMCS_GUEST_GDTR_BASE);
	s->gdt.limit = vmx_vmread_val(VMCS_GUEST_GDTR_LIMIT);
	s->idt.base = vmx_vmread_val(VMCS_GUEST_IDTR_BASE);
	s->idt.limit = vmx_vmread_val(VMCS_GUEST_IDTR_LIMIT);
	s->cr0 = vmx->cr0;
	s->cr2 = vmx->cr2;
	s->cr3 = vmx_vmread_val(VMCS_GUEST_CR3);
	s->cr4 = vmx->cr4;
	s->cr8 = vmx->cr8;
	nvmx_lapic_cr8(vcpu, false, &s->cr8);	/* the APIC's TPR, if any */
	s->efer = vmx->efer;
	s->apic_base = vmx->apic_base;
	return 0;
}

static int nvmx_write_segments(const struct nvmx_sregs *s)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < SEG_COUNT; i++) {
		const struct nvmx_segment *seg =
			sregs_seg((struct nvmx_sregs *)s, i);

		err = err ?: vmx_vmwrite(VMCS_GUEST_ES_SELECTOR + 2 * i,
					 seg->selector);
		err = err ?: vmx_vmwrite(VMCS_GUEST_ES_BASE + 2 * i, seg->base);
		err = err ?: vmx_vmwrite(VMCS_GUEST_ES_LIMIT + 2 * i,
					 seg->limit);
		err = err ?: vmx_vmwrite(VMCS_GUEST_ES_AR_BYTES + 2 * i,
					 seg_to_ar(seg));
	}
	err = err ?: vmx_vmwrite(VMCS_GUEST_GDTR_BASE, s->gdt.base);
	err = err ?: vmx_vmwrite(VMCS_GUEST_GDTR_LIMIT, s->gdt.limit);
	err = err ?: vmx_vmwrite(VMCS_GUEST_IDTR_BASE, s->idt.base);
	return err ?: vmx_vmwrite(VMCS_GUEST_IDTR_LIMIT, s->idt.limit);
}

/**
 * nvmx_vmx_set_sregs() - NVMX_SET_SREGS
 * @vcpu: the vCPU
 * @s: the new registers
 *
 * CR0, CR3, CR4 and EFER as nvmx_vmx_load_crs() takes them. Anything
 * else a VM entry checks (segment consistency, canonical bases) shows as
 * an entry failure exit (NVMX_EXIT_FAIL_ENTRY) at the next NVMX_RUN.
 * Context: VMCS01 current. Return: 0, -EINVAL, or -EIO (a VMWRITE
 * failed).
 */
int nvmx_vmx_set_sregs(struct nvmx_vcpu *vcpu, const struct nvmx_sregs *s)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	if (s->reserved[0] || s->reserved[1] || s->reserved[2] ||
	    s->reserved[3] || s->cr8 > 15)
		return -EINVAL;
	if (nvmx_vmx_load_crs(vcpu, s->cr0, s->cr3, s->cr4, s->efer))
		return -EINVAL;
	vmx->cr2 = s->cr2;
	vmx->cr8 = s->cr8;
	nvmx_lapic_cr8(vcpu, true, &vmx->cr8);
	vmx->apic_base = s->apic_base;
	return nvmx_write_segments(s) ? -EIO : 0;
}

/**
 * nvmx_vmx_reset() - the state of an x86 processor after RESET
 * @vcpu: the vCPU
 *
 * Real mode at F000:FFF0 with CS base FFFF0000 (Intel SDM, "Processor
 * State After Reset"); RDX holds the processor signature once userspace
 * has set CPUID, 0 before.
 * Context: VMCS01 current. Return: 0 or -EIO.
 */
int nvmx_vmx_reset(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nvmx_sregs s = { };
	unsigned int i;
	int err;

	for (i = 0; i < SEG_COUNT; i++) {
		struct nvmx_segment *seg = sregs_seg(&s, i);

		seg->limit = 0xffff;
		seg->type = 3;		/* read/write, accessed */
		seg->s = 1;
		seg->present = 1;
	}
	s.cs.selector = 0xf000;
	s.cs.base = 0xffff0000;
	s.cs.type = 11;			/* execute/read, accessed */
	s.ldt.type = 2;
	s.ldt.s = 0;
	s.tr.type = 11;			/* busy 32-bit TSS */
	s.tr.s = 0;
	s.gdt.limit = 0xffff;
	s.idt.limit = 0xffff;
	s.apic_base = APIC_BASE_RESET;
	vmx->rip = 0xfff0;
	vmx->rflags = 2;
	vmx->dr6 = NV_DR6_FIXED1;
	vmx->dr7 = NV_DR7_FIXED1;
	vmx->xcr0 = 1;
	vmx->misc_enable = 1;	/* fast strings */
	vmx->ucode_rev = NVMX_UCODE_REV;
	s.cr0 = CR0_RESET;
	if (!vmx->unrestricted)
		s.cr0 |= NV_CR0_PE | NV_CR0_PG;
	err = nvmx_vmx_set_sregs(vcpu, &s);
	err = err ?: vmx_vmwrite(VMCS_GUEST_DR7, NV_DR7_FIXED1);
	err = err ?: vmx_vmwrite(VMCS_GUEST_IA32_DEBUGCTL, 0);
	err = err ?: vmx_vmwrite(VMCS_GUEST_IA32_PAT, PAT_RESET);
	err = err ?: vmx_vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	err = err ?: vmx_vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	err = err ?: vmx_vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	err = err ?: vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY_INFO, 0);
	err = err ?: vmx_vmwrite(VMCS_GUEST_ACTIVITY_STATE, 0);
	err = err ?: vmx_vmwrite(VMCS_GUEST_PENDING_DBG_EXCEPTIONS, 0);
	return err ? -EIO : 0;
}

/**
 * nvmx_vmx_init_signal() - the state of an x86 processor after INIT
 * @vcpu: the vCPU, not in VMX operation (INIT is blocked there)
 *
 * As after RESET (nvmx_vmx_reset()), with the general-purpose registers
 * cleared but RDX, which holds the processor signature (CPUID.1:EAX of
 * the vCPU's table), and no event left to inject. The x87/SSE state is
 * kept, as INIT keeps it.
 * Context: VMCS01 current. Return: 0 or -EIO.
 */
int nvmx_vmx_init_signal(struct nvmx_vcpu *vcpu)
{
	const struct nvmx_cpuid_entry *leaf1 = nvmx_cpuid_find(vcpu, 1, 0);
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	memset(&vmx->gprs, 0, sizeof(vmx->gprs));
	vmx->rsp = 0;
	vmx->gprs.r[2] = leaf1 ? leaf1->eax : 0;	/* RDX */
	vmx->inject.valid = false;
	vmx->interruptibility = 0;
	return nvmx_vmx_reset(vcpu);
}

/**
 * nvmx_vmx_sipi() - a startup IPI ends the wait for SIPI: real mode at
 * @vector:0000 (CS selector @vector << 8, base @vector << 12)
 * @vcpu: the vCPU
 * @vector: the SIPI's vector
 *
 * Context: VMCS01 current. Return: 0 or -EIO.
 */
int nvmx_vmx_sipi(struct nvmx_vcpu *vcpu, u8 vector)
{
	struct nvmx_sregs s;
	int err = nvmx_vmx_get_sregs(vcpu, &s);

	if (err)
		return err;
	s.cs.selector = vector << 8;
	s.cs.base = (u64)vector << 12;
	vcpu->vmx.rip = 0;
	return nvmx_vmx_set_sregs(vcpu, &s);
}
