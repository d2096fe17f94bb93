// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest register state: the x86 reset state, NVMX_GET/SET_REGS and
 * NVMX_GET/SET_SREGS, and the emulated writes of CR0, CR4 and EFER.
 *
 * nvmx owns every bit of CR0 and CR4 (guest/host masks all ones): the
 * guest reads its own values from the read shadows, the CPU runs it with
 * the bits VMX operation requires forced on, and every MOV that changes
 * a bit exits to nvmx_vmx_write_cr0()/nvmx_vmx_write_cr4().
 *
 * For L2 (vmx->l2.active) the values are L2's and what it reads mixes in
 * L1's read shadows for the bits L1 owns (nested/vmcs02.h).
 *
 * Context of everything here that touches the VMCS: the vCPU's VMCS
 * current (VMCS01, or VMCS02 while L2 runs).
 */
#include <asm/cpufeature.h>

#include "../vcpu.h"
#include "../vm.h"
#include "../nested/vmcs02.h"
#include "../nested/vmcs12.h"
#include "arch.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"
#include "vmx.h"

#define CR0_RESERVED		GENMASK_ULL(63, 32)
/* CR4 bits a guest may set, where the CPU has them (see nvmx_cr4_allowed) */
#define CR4_GUEST_BITS		(GENMASK_ULL(11, 0) | BIT_ULL(16) | \
				 BIT_ULL(17) | BIT_ULL(18) | BIT_ULL(20) | \
				 BIT_ULL(21))
#define EFER_GUEST_BITS		(NV_EFER_SCE | NV_EFER_LME | NV_EFER_LMA | \
				 NV_EFER_NXE)

/*
 * CR4 bits a guest may set: the safe ones this CPU supports in VMX
 * operation (IA32_VMX_CR4_FIXED1), never LA57, PKE or CET, whose state
 * nvmx does not switch; VMXE only when the VM exposes VMX.
 */
u64 nvmx_vmx_cr4_supported(void)
{
	u64 allowed = (CR4_GUEST_BITS | NV_CR4_VMXE) &
		      nvmx_host_caps.msrs[NV_MSR_CR4_FIXED1];

	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		allowed &= ~NV_CR4_OSXSAVE;
	return allowed;
}

static u64 nvmx_cr4_allowed(struct nvmx_vcpu *vcpu)
{
	u64 allowed = nvmx_vmx_cr4_supported();

	if (!READ_ONCE(vcpu->vm->expose_vmx))
		allowed &= ~NV_CR4_VMXE;
	return allowed;
}

/* The CR0 the CPU runs the guest with, for the guest's view @val. */
u64 nvmx_vmx_cr0_hw(struct nvmx_vmx_vcpu *vmx, u64 val)
{
	u64 fixed0 = nvmx_host_caps.msrs[NV_MSR_CR0_FIXED0];

	if (vmx->unrestricted)
		fixed0 &= ~(NV_CR0_PE | NV_CR0_PG);
	return (val | fixed0) & nvmx_host_caps.msrs[NV_MSR_CR0_FIXED1];
}

u64 nvmx_vmx_cr4_hw(u64 val)
{
	return (val | nvmx_host_caps.msrs[NV_MSR_CR4_FIXED0]) &
	       nvmx_host_caps.msrs[NV_MSR_CR4_FIXED1];
}

/* EFER bits the guest may set. */
static bool nvmx_efer_valid(u64 val)
{
	if (val & ~EFER_GUEST_BITS)
		return false;
	return !(val & NV_EFER_NXE) || boot_cpu_has(X86_FEATURE_NX);
}

/* Architectural checks of a new CR0 (MOV to CR0 raises #GP). */
static int nvmx_cr0_valid(struct nvmx_vmx_vcpu *vmx, u64 val)
{
	if (val & CR0_RESERVED)
		return -EINVAL;
	if ((val & NV_CR0_NW) && !(val & NV_CR0_CD))
		return -EINVAL;
	if ((val & NV_CR0_PG) && !(val & NV_CR0_PE))
		return -EINVAL;
	/* Without unrestricted guest the CPU cannot run unpaged code. */
	if (!vmx->unrestricted && (~val & (NV_CR0_PE | NV_CR0_PG)))
		return -EINVAL;
	return 0;
}

static void nvmx_set_entry_ctls(struct nvmx_vmx_vcpu *vmx)
{
	u32 ctls = vmx->entry_ctls & ~NV_ENTRY_CTL_IA32E_MODE_GUEST;

	if (vmx->efer & NV_EFER_LMA)
		ctls |= NV_ENTRY_CTL_IA32E_MODE_GUEST;
	if (ctls != vmx->entry_ctls) {
		vmx->entry_ctls = ctls;
		vmx_vmwrite(VMCS_VM_ENTRY_CONTROLS, ctls);
	}
}

/* Reserved bits of a present PAE PDPTE: 2:1, 8:5, above MAXPHYADDR. */
static bool nvmx_pdpte_bad(u64 pdpte)
{
	return (pdpte & 1) &&
	       ((pdpte & 0x1e6ULL) || (pdpte >> boot_cpu_data.x86_phys_bits));
}

/**
 * nvmx_vmx_load_pdptes() - the PDPTEs of PAE paging into the VMCS
 * @vcpu: the vCPU; its VMCS current
 * @check: also fail on a present PDPTE with reserved bits set
 *
 * In PAE paging (not IA-32e), VM entry with EPT loads the four PDPTEs
 * from the VMCS: read them from the guest's CR3 as MOV to CR0/CR3/CR4
 * or a VM entry without EPT would.
 * Return: 0, or -EINVAL (CR3 not in guest memory; with @check, a
 * reserved bit).
 */
int nvmx_vmx_load_pdptes(struct nvmx_vcpu *vcpu, bool check)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	u64 pdpte[4] = { };
	unsigned int i;
	int err;

	if (!(vmx->cr0 & NV_CR0_PG) || !(vmx->cr4 & NV_CR4_PAE) ||
	    (vmx->efer & NV_EFER_LMA))
		return 0;
	err = nvmx_level_read(vcpu, vmx_vmread_val(VMCS_GUEST_CR3) & ~0x1fULL,
			      pdpte, sizeof(pdpte));
	for (i = 0; i < 4; i++) {
		vmx_vmwrite(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
		if (check && nvmx_pdpte_bad(pdpte[i]))
			err = -EINVAL;
	}
	return err ? -EINVAL : 0;
}

/*
 * What the guest reads from CR0 (@cr 0) or CR4 (@cr 1): its value, or for
 * L2 the bits L1 owns from L1's read shadow.
 */
static u64 nvmx_cr_shadow(struct nvmx_vmx_vcpu *vmx, unsigned int cr, u64 val)
{
	if (!vmx->l2.active)
		return val;
	return nested_cr_shadow(val, vmx->l2.mask[cr], vmx->l2.shadow[cr]);
}

static void nvmx_commit_cr0(struct nvmx_vmx_vcpu *vmx, u64 val)
{
	vmx->cr0 = val;
	vmx_vmwrite(VMCS_CR0_READ_SHADOW, nvmx_cr_shadow(vmx, 0, val));
	vmx_vmwrite(VMCS_GUEST_CR0, nvmx_vmx_cr0_hw(vmx, val));
	/* MOV to CR0 flushes what the guest expects it to. */
	vmx->cur->flush = true;
}

static void nvmx_commit_cr4(struct nvmx_vmx_vcpu *vmx, u64 val)
{
	vmx->cr4 = val;
	vmx_vmwrite(VMCS_CR4_READ_SHADOW, nvmx_cr_shadow(vmx, 1, val));
	vmx_vmwrite(VMCS_GUEST_CR4, nvmx_vmx_cr4_hw(val));
	vmx->cur->flush = true;
}

/* The cached controls of the vCPU's VMCS, read from it. */
void nvmx_vmx_sync_ctls(struct nvmx_vmx_vcpu *vmx)
{
	u32 proc2 = vmx_vmread_val(VMCS_SECONDARY_VM_EXEC_CONTROL);

	vmx->proc_ctls = vmx_vmread_val(VMCS_CPU_BASED_VM_EXEC_CONTROL);
	vmx->entry_ctls = vmx_vmread_val(VMCS_VM_ENTRY_CONTROLS);
	vmx->unrestricted = proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST;
	vmx->virtual_nmis = vmx_vmread_val(VMCS_PIN_BASED_VM_EXEC_CONTROL) &
			    NV_PIN_CTL_VIRTUAL_NMIS;
}

/*
 * The CR0 bits VMX fixes to 1 while the guest is in VMX operation (SDM,
 * "VMX-Fixed Bits in CR0 and CR4"), as L1's capability MSRs say: for L1
 * after VMXON, and for L2 too (it runs in VMX non-root operation), but
 * without PE and PG when L1 runs L2 as an unrestricted guest.
 */
static u64 nvmx_cr0_vmx_fixed(const struct nvmx_vmx_vcpu *vmx)
{
	const u64 *f = vmx->nested.vmcs12.field;
	u64 fixed = vmx->l1_vmx_msrs[NV_MSR_CR0_FIXED0];

	if (vmx->l2.active &&
	    (f[V12_CPU_BASED_VM_EXEC_CONTROL] & NV_PROC_CTL_ACTIVATE_SECONDARY) &&
	    (f[V12_SECONDARY_VM_EXEC_CONTROL] & NV_PROC2_CTL_UNRESTRICTED_GUEST))
		fixed &= ~(NV_CR0_PE | NV_CR0_PG);
	return fixed;
}

/**
 * nvmx_vmx_write_cr0() - the guest's MOV to CR0 (or CLTS, LMSW)
 * @vcpu: the vCPU
 * @val: the new value
 *
 * Enabling paging with EFER.LME set enters IA-32e mode, disabling it
 * leaves (Intel SDM, "IA-32e Mode Initialization").
 * Return: 0, or -EINVAL where the instruction raises #GP(0).
 */
int nvmx_vmx_write_cr0(struct nvmx_vcpu *vcpu, u64 val)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	bool pg_on, pg_off;

	/* L2's MOV to CR0 leaves the bits L1 owns alone (L1 saw no exit). */
	if (vmx->l2.active)
		val = (val & ~vmx->l2.mask[0]) | (vmx->cr0 & vmx->l2.mask[0]);
	pg_on = (val & NV_CR0_PG) && !(vmx->cr0 & NV_CR0_PG);
	pg_off = !(val & NV_CR0_PG) && (vmx->cr0 & NV_CR0_PG);

	if (nvmx_cr0_valid(vmx, val))
		return -EINVAL;
	/* In VMX operation CR0 keeps the bits VMX fixes, in L2 too. */
	if (vmx->nested.vmxon &&
	    (((val & nvmx_cr0_vmx_fixed(vmx)) != nvmx_cr0_vmx_fixed(vmx)) ||
	     (val & ~vmx->l1_vmx_msrs[NV_MSR_CR0_FIXED1])))
		return -EINVAL;
	if (pg_on && (vmx->efer & NV_EFER_LME)) {
		if (!(vmx->cr4 & NV_CR4_PAE))
			return -EINVAL;
		vmx->efer |= NV_EFER_LMA;
	} else if (pg_off && (vmx->efer & NV_EFER_LMA)) {
		vmx->efer &= ~NV_EFER_LMA;
	}
	vmx_vmwrite(VMCS_GUEST_IA32_EFER, vmx->efer);
	nvmx_set_entry_ctls(vmx);
	nvmx_commit_cr0(vmx, val);
	return nvmx_vmx_load_pdptes(vcpu, false);
}

/* The guest's MOV to CR4. Return: 0, or -EINVAL for #GP(0). */
int nvmx_vmx_write_cr4(struct nvmx_vcpu *vcpu, u64 val)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	if (vmx->l2.active)
		val = (val & ~vmx->l2.mask[1]) | (vmx->cr4 & vmx->l2.mask[1]);
	if (val & ~nvmx_cr4_allowed(vcpu))
		return -EINVAL;
	/* In VMX operation CR4 keeps the bits VMX fixes, in L2 too. */
	if (vmx->nested.vmxon &&
	    (((val & vmx->l1_vmx_msrs[NV_MSR_CR4_FIXED0]) !=
	      vmx->l1_vmx_msrs[NV_MSR_CR4_FIXED0]) ||
	     (val & ~vmx->l1_vmx_msrs[NV_MSR_CR4_FIXED1])))
		return -EINVAL;
	if ((vmx->efer & NV_EFER_LMA) && !(val & NV_CR4_PAE))
		return -EINVAL;
	if ((val & NV_CR4_PCIDE) && !(vmx->cr4 & NV_CR4_PCIDE) &&
	    (!(vmx->efer & NV_EFER_LMA) || (vmx_vmread_val(VMCS_GUEST_CR3) & 0xfff)))
		return -EINVAL;
	nvmx_commit_cr4(vmx, val);
	return nvmx_vmx_load_pdptes(vcpu, false);
}

/**
 * nvmx_vmx_write_efer() - WRMSR to IA32_EFER, by the guest or userspace
 * @vcpu: the vCPU
 * @val: the new value
 * @host: userspace sets it (NVMX_SET_MSRS): LMA is taken as given, but
 *	must match LME && CR0.PG
 *
 * Return: 0, or -EINVAL (#GP for the guest): reserved bits, NXE without
 * NX, LME changed while paging is on.
 */
int nvmx_vmx_write_efer(struct nvmx_vcpu *vcpu, u64 val, bool host)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	if (!nvmx_efer_valid(val))
		return -EINVAL;
	if ((vmx->cr0 & NV_CR0_PG) && ((val ^ vmx->efer) & NV_EFER_LME))
		return -EINVAL;
	if (!host)
		val = (val & ~NV_EFER_LMA) | (vmx->efer & NV_EFER_LMA);
	else if (!!(val & NV_EFER_LMA) != !!(vmx->efer & NV_EFER_LMA))
		return -EINVAL;
	vmx->efer = val;
	vmx_vmwrite(VMCS_GUEST_IA32_EFER, val);
	nvmx_set_entry_ctls(vmx);
	return 0;
}

/**
 * nvmx_vmx_load_crs() - CR0, CR3, CR4 and EFER from userspace
 * @vcpu: the vCPU
 * @cr0: CR0
 * @cr3: CR3
 * @cr4: CR4
 * @efer: IA32_EFER; LMA must be LME && CR0.PG
 *
 * The values must be a state the guest could have reached with its own
 * writes. With CR4.PCIDE set, CR3 bits 11:0 are the current PCID (only a
 * MOV to CR4 that sets PCIDE needs them 0): a VM exit loads L1's host CR3
 * with its PCID this way. In PAE paging the PDPTEs are read from guest
 * memory, 0 where there is none.
 * Return: 0 or -EINVAL (nothing changed).
 */
int nvmx_vmx_load_crs(struct nvmx_vcpu *vcpu, u64 cr0, u64 cr3, u64 cr4,
		      u64 efer)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	bool lma = (efer & NV_EFER_LME) && (cr0 & NV_CR0_PG);

	if (nvmx_cr0_valid(vmx, cr0) || (cr4 & ~nvmx_cr4_allowed(vcpu)) ||
	    !nvmx_efer_valid(efer) || !!(efer & NV_EFER_LMA) != lma ||
	    (lma && !(cr4 & NV_CR4_PAE)) ||
	    ((cr4 & NV_CR4_PCIDE) && !lma))
		return -EINVAL;
	vmx->efer = efer;
	vmx_vmwrite(VMCS_GUEST_IA32_EFER, efer);
	nvmx_set_entry_ctls(vmx);
	vmx_vmwrite(VMCS_GUEST_CR3, cr3);
	nvmx_commit_cr4(vmx, cr4);
	nvmx_commit_cr0(vmx, cr0);
	nvmx_vmx_load_pdptes(vcpu, false);
	return 0;
}

/* The guest's CPL: SS.DPL (Intel SDM, "Segment Registers"). */
unsigned int nvmx_vmx_cpl(void)
{
	return (vmx_vmread_val(VMCS_GUEST_SS_AR_BYTES) >> 5) & 3;
}

/* 64, 32 or 16: the default operand and address size of the guest's code. */
unsigned int nvmx_vmx_cpu_mode(struct nvmx_vcpu *vcpu)
{
	u64 ar = vmx_vmread_val(VMCS_GUEST_CS_AR_BYTES);

	if (!(vcpu->vmx.cr0 & NV_CR0_PE) || (vcpu->vmx.rflags & BIT(17)))
		return 16;
	if ((vcpu->vmx.efer & NV_EFER_LMA) && (ar & BIT(13)))
		return 64;
	return (ar & BIT(14)) ? 32 : 16;
}
