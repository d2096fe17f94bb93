// SPDX-License-Identifier: GPL-2.0-only
/*
 * L2's TPR shadow ("use TPR shadow" in VMCS12), emulated: VMCS02 never
 * uses the CPU's TPR shadow, and L2's MOV to and from CR8 always exit
 * to L0 (VMCS01 has CR8-load and CR8-store exiting, which VMCS02 keeps).
 * Those L1 does not intercept L0 completes here on VTPR, offset 0x80 of
 * L1's virtual-APIC page, as the Intel SDM describes the CPU doing
 * ("TPR Virtualization"): a MOV from CR8 reads VTPR bits 7:4; a MOV to
 * CR8 writes its source's bits 3:0 to VTPR bits 7:4 and clears the
 * rest, then makes the trap-like TPR-below-threshold exit (reason 43)
 * to L1 when VTPR bits 7:4 fall below the TPR threshold.
 *
 * "Virtualize APIC accesses" and virtual-interrupt delivery are not
 * offered to L1, so the threshold is always bits 3:0 of its field and
 * no exit is due at VM entry (the entry checks already refuse a
 * threshold above VTPR: checks.c). A virtual-APIC page outside L1's
 * memory reads as all ones and drops writes, as unbacked memory does.
 */
#include "../nested/vmcs12.h"
#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "nested.h"
#include "vcpu.h"

#define VTPR_OFFSET	0x80
#define V12(v, name)	((v)->field[V12_##name])

static u64 nvmx_vtpr_gpa(const struct vmcs12 *v)
{
	return (V12(v, VIRTUAL_APIC_PAGE_ADDR) & ~0xfffULL) + VTPR_OFFSET;
}

/* Does L2 run with a TPR shadow? */
bool nvmx_l2_tpr_shadow(struct nvmx_vcpu *vcpu)
{
	return vcpu->vmx.l2.active &&
	       (V12(&vcpu->vmx.nested.vmcs12, CPU_BASED_VM_EXEC_CONTROL) &
		NV_PROC_CTL_USE_TPR_SHADOW);
}

/**
 * nvmx_nested_vtpr() - VTPR of the current VMCS12
 * @vcpu: the vCPU, L1 in VMX operation
 *
 * Return: VTPR when VMCS12 uses a TPR shadow (all ones where the page is
 * not memory), 0 when it does not.
 */
u32 nvmx_nested_vtpr(struct nvmx_vcpu *vcpu)
{
	const struct vmcs12 *v = &vcpu->vmx.nested.vmcs12;
	u32 vtpr = ~0U;

	if (!(V12(v, CPU_BASED_VM_EXEC_CONTROL) & NV_PROC_CTL_USE_TPR_SHADOW))
		return 0;
	if (nvmx_guest_read(vcpu->vm, nvmx_vtpr_gpa(v), &vtpr, sizeof(vtpr)))
		return ~0U;
	return vtpr;
}

/**
 * nvmx_l2_write_vtpr() - L2's MOV to CR8 under a TPR shadow, completed
 * @vcpu: the vCPU, L2 running with a TPR shadow; the instruction skipped
 * @val: the source, at most 15
 *
 * Return: as an exit handler: 0, or that of the TPR-below-threshold exit
 * to L1.
 */
int nvmx_l2_write_vtpr(struct nvmx_vcpu *vcpu, u64 val)
{
	const struct vmcs12 *v = &vcpu->vmx.nested.vmcs12;
	struct nvmx_exit_info e = { .reason = NV_EXIT_TPR_BELOW_THRESHOLD };
	u32 vtpr = (val & 0xf) << 4;

	nvmx_guest_write(vcpu->vm, nvmx_vtpr_gpa(v), &vtpr, sizeof(vtpr));
	if ((vtpr >> 4) >= (V12(v, TPR_THRESHOLD) & 0xf))
		return 0;
	/* L1 sees an exit nvmx makes, not L2's CR8 exit reflected. */
	vcpu->nested_stats_l2_exit = false;
	return nvmx_nested_vmexit(vcpu, &e);
}
