// SPDX-License-Identifier: GPL-2.0-only
/*
 * L2's VMREAD and VMWRITE that L0 emulates, and the exceptions L0's
 * emulation raises for L2.
 *
 * VMCS shadowing for L2 (Intel SDM, "VMCS Shadowing"): when VMCS12
 * enables it, L2's VMREAD and VMWRITE access the shadow VMCS at VMCS12's
 * link pointer, an nvmx VMCS12 region (bit 31 of its revision set) in
 * L1's memory. VMCS02 never enables shadowing, so each of them exits;
 * nested/reflect.c gives L1 the ones its VMREAD/VMWRITE bitmaps select,
 * and L0 emulates the others here: the checks that follow the exit in
 * the instructions' pseudocode (CPL 0, a link pointer, a supported
 * field, a writable one) and the access of the field's slot in L1's
 * memory (nested/vmx_insn.c), with the operand decoding of nested.c.
 * VMfailValid puts its error number in the VMCS12 that L2 runs on, as
 * KVM does; nvmx's copy of it reaches L1 with the next nested VM exit.
 *
 * Context: an exit handler of L2's exit that is L0's, VMCS02 current.
 */
#include "../nested/reflect.h"
#include "../trace.h"
#include "../vcpu.h"
#include "arch.h"
#include "exits.h"
#include "nested.h"
#include "vcpu.h"

/**
 * nvmx_l2_vmx_insn() - L2's VMREAD or VMWRITE of L1's shadow VMCS
 * @vcpu: the vCPU, L2 running
 * @l2: L2's registers, with L1's capabilities (nvmx_nested_l1())
 * @reason: the exit reason
 *
 * Return: as an exit handler.
 */
int nvmx_l2_vmx_insn(struct nvmx_vcpu *vcpu, const struct nested_l1 *l2,
		     u32 reason)
{
	u64 rflags = vcpu->vmx.rflags;
	int ret;

	/* The only VMX instructions of L2's that are L0's (reflect.c). */
	if (reason != NV_EXIT_VMREAD && reason != NV_EXIT_VMWRITE)
		return nvmx_internal_error(vcpu, NVMX_INTERNAL_NESTED, 0, NULL);
	/* The CPU made the #UD checks; CPL > 0 is #GP after the exit. */
	ret = nvmx_nested_precheck(vcpu, l2, reason);
	if (ret != NVMX_INSN_COMPLETED)
		return ret;
	ret = nvmx_nested_vmrw(vcpu, l2, &rflags);
	if (ret != NVMX_INSN_COMPLETED)
		return ret;
	nvmx_nested_done(vcpu, reason, rflags);
	return 0;
}

/**
 * nvmx_l2_exception() - a fault of an instruction of L2's that L0 emulates
 * @vcpu: the vCPU, L2 running
 * @vector: the exception
 * @has_error: it has an error code
 * @error: the error code
 * @cr2: for #PF, the linear address
 *
 * An exception L1's exception bitmap (and #PF error-code mask and match)
 * selects is a VM exit to L1 ("Exceptions" in "Other Causes of VM
 * Exits"): the exit qualification of a #PF is its address, and CR2 is
 * left alone. The others are injected into L2. RIP stays at the
 * instruction either way.
 * Return: as an exit handler.
 */
int nvmx_l2_exception(struct nvmx_vcpu *vcpu, u8 vector, bool has_error,
		      u32 error, u64 cr2)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nested_reflect_env env = {
		.v = &vmx->nested.vmcs12,
		.read = nvmx_nested_mem_read,
		.ctx = vcpu->vm,
	};
	u32 info = NV_INTR_INFO_VALID | NV_INTR_TYPE_HW_EXCEPTION << 8 |
		   vector | (has_error ? NV_INTR_INFO_DELIVER_CODE : 0);
	struct nested_exit e = {
		.reason = NV_EXIT_EXCEPTION_NMI,
		.intr_info = info,
		.intr_error_code = error,
	};
	struct nvmx_exit_info x = {
		.reason = NV_EXIT_EXCEPTION_NMI,
		.qual = vector == NV_VEC_PF ? cr2 : 0,
		.intr_info = info,
		.intr_error = has_error ? error : 0,
	};
	const char *why = NULL;

	if (nested_exit_owner(&env, &e, &why) == NESTED_L1) {
		trace_nvmx_nested_exit(vcpu->id, x.reason, x.qual, true, why);
		vmx->inject.valid = false;
		return nvmx_nested_vmexit(vcpu, &x);
	}
	if (vector == NV_VEC_PF)
		vmx->cr2 = cr2;
	nvmx_vmx_queue_exception(vcpu, vector, has_error, error);
	return 0;
}
