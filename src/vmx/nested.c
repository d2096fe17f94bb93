// SPDX-License-Identifier: GPL-2.0-only
/*
 * L1's VMX instructions, as exits of VMCS01: decoding the operand from
 * the exit information, reading or writing it in L1's memory, and
 * applying what nested/vmx_insn.c decided (an exception, or RFLAGS and
 * RIP). With VMX not exposed to the VM, every VMX instruction is #UD.
 *
 * VMLAUNCH and VMRESUME go on in nested_entry.c. INVVPID drops what
 * VPID02 holds, INVEPT what EPT02 holds; VMFUNC in what L1 sees as VMX
 * root operation is #UD.
 *
 * L2's VMREAD and VMWRITE that L1's VMCS shadowing lets through are L0's
 * too (nested_l2vmcs.c): they share the operand decoding and access of
 * this file, on VMCS02 and for L2.
 * Context: an exit handler (exits.h), VMCS01 current (VMCS02 for L2's).
 */
#include <asm/processor.h>

#include "../emul/gva.h"
#include "../nested/operand.h"
#include "../nested/vmx_insn.h"
#include "../nested/vmx_msrs.h"
#include "../trace.h"
#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "exits.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"

#define NV_VEC_SS	12
#define CS_AR_L		BIT(13)

/* L1's memory, for nested/: @ctx is the VM. */
int nvmx_nested_mem_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	return nvmx_guest_read(ctx, gpa, buf, len);
}

static int nvmx_mem_write(void *ctx, u64 gpa, const void *buf,
			  unsigned int len)
{
	return nvmx_guest_write(ctx, gpa, buf, len);
}

/* What the checks of nested/ read of L1's state. Context: VMCS01 current. */
void nvmx_nested_l1(struct nvmx_vcpu *vcpu, struct nested_l1 *l1)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	l1->cr0 = vmx->cr0;
	l1->cr4 = vmx->cr4;
	l1->efer = vmx->efer;
	l1->rflags = vmx->rflags;
	l1->cs_l = vmx_vmread_val(VMCS_GUEST_CS_AR_BYTES) & CS_AR_L;
	l1->cpl = nvmx_vmx_cpl();
	l1->feature_control = nvmx_l1_feature_control(true);
	l1->msrs = vmx->l1_vmx_msrs;
	l1->maxphyaddr = boot_cpu_data.x86_phys_bits;
}

/*
 * An exception for the level that runs (@cr2: a #PF's address). One of
 * L2's may be a VM exit to L1. Return: as an exit handler.
 */
int nvmx_nested_exception(struct nvmx_vcpu *vcpu, u8 vector,
			  bool has_error, u32 error, u64 cr2)
{
	if (vcpu->vmx.l2.active)
		return nvmx_l2_exception(vcpu, vector, has_error, error, cr2);
	if (vector == NV_VEC_PF)
		vcpu->vmx.cr2 = cr2;
	nvmx_vmx_queue_exception(vcpu, vector, has_error, error);
	return 0;
}

/* The exception an operand check asks for. Return: as an exit handler. */
static int nvmx_nested_fault(struct nvmx_vcpu *vcpu, enum vmx_operand_fault f,
			     u32 error)
{
	switch (f) {
	case VMX_OPERAND_GP:
		return nvmx_nested_exception(vcpu, NV_VEC_GP, true, error, 0);
	case VMX_OPERAND_SS:
		return nvmx_nested_exception(vcpu, NV_VEC_SS, true, error, 0);
	default:
		return nvmx_nested_exception(vcpu, NV_VEC_UD, false, 0, 0);
	}
}

/*
 * Decode the exiting instruction's operand. Return: 0, or 1 when it
 * faulted (*@ret: the handler's return value).
 */
static int nvmx_nested_operand(struct nvmx_vcpu *vcpu, unsigned int size,
			       bool write, struct vmx_operand *op, int *ret)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct vmx_operand_ctx ctx = {
		.insn_info = vmx->exit.insn_info,
		.qualification = vmx->exit.qual,
		.long_mode = vmx->efer & NV_EFER_LMA,
		.cs_l = vmx_vmread_val(VMCS_GUEST_CS_AR_BYTES) & CS_AR_L,
	};
	unsigned int i;

	for (i = 0; i < 16; i++)
		ctx.gprs[i] = nvmx_gpr(vcpu, i);
	for (i = 0; i < VMX_SEG_COUNT; i++) {
		ctx.segs[i].base = vmx_vmread_val(VMCS_GUEST_ES_BASE + 2 * i);
		ctx.segs[i].limit = vmx_vmread_val(VMCS_GUEST_ES_LIMIT + 2 * i);
		ctx.segs[i].ar = vmx_vmread_val(VMCS_GUEST_ES_AR_BYTES + 2 * i);
	}
	if (vmx_decode_operand(&ctx, size, write, op) || op->fault) {
		*ret = nvmx_nested_fault(vcpu, op->fault, op->fault_error_code);
		return 1;
	}
	return 0;
}

/*
 * Read or write a memory operand. A page fault is injected (CR2, error
 * code); for L2 an operand EPT12 refuses is L1's EPT violation; one
 * outside L1's memory ends NVMX_RUN with an emulation error. Return: 0,
 * or a handler's return value to give back.
 */
static int nvmx_nested_access(struct nvmx_vcpu *vcpu, u64 gla, void *buf,
			      unsigned int len, bool write, bool *done)
{
	u64 la = gla, data[2];
	u32 pfec = 0;
	int err;

	*done = false;
	nvmx_ept12_emul_start(vcpu);
	err = nvmx_access_linear(vcpu, &la, buf, len,
				 write ? NVMX_GVA_WRITE : 0, &pfec);
	if (!err)
		return 0;
	*done = true;
	if (err == -EFAULT)
		return nvmx_nested_exception(vcpu, NV_VEC_PF, true, pfec, la);
	err = nvmx_ept12_emul_fault(vcpu);
	if (err != -ENOENT)
		return err;
	data[0] = vcpu->vmx.rip;
	data[1] = gla;
	return nvmx_internal_error(vcpu, NVMX_INTERNAL_EMULATION,
				   ARRAY_SIZE(data), data);
}

/*
 * The memory operand of an instruction that has no register form (VMXON,
 * VMCLEAR, VMPTRLD, VMPTRST, INVEPT, INVVPID), read into or written from
 * @buf. When *@done, the instruction ended with a fault (or an exit to
 * userspace) and the return value is the handler's.
 */
static int nvmx_nested_mem_operand(struct nvmx_vcpu *vcpu, void *buf,
				   unsigned int size, bool write, bool *done)
{
	struct vmx_operand op;
	int ret;

	*done = true;
	if (nvmx_nested_operand(vcpu, size, write, &op, &ret))
		return ret;
	if (op.is_reg)
		return nvmx_nested_fault(vcpu, VMX_OPERAND_UD, 0);
	return nvmx_nested_access(vcpu, op.gla, buf, size, write, done);
}

/*
 * Register operand 2 (a VMCS field, an INVEPT/INVVPID type), 32 bits wide
 * outside 64-bit mode.
 */
static u64 nvmx_nested_reg2(struct nvmx_vcpu *vcpu, bool l64)
{
	u64 v = nvmx_gpr(vcpu, vmx_ii_reg2(vcpu->vmx.exit.insn_info));

	return l64 ? v : (u32)v;
}

/* 64-bit mode: IA32_EFER.LMA and CS.L of the level that runs. */
static bool nvmx_nested_l64(struct nvmx_vcpu *vcpu)
{
	return (vcpu->vmx.efer & NV_EFER_LMA) &&
	       (vmx_vmread_val(VMCS_GUEST_CS_AR_BYTES) & CS_AR_L);
}

/**
 * nvmx_nested_vmcs_field() - the field encoding of a VMREAD or VMWRITE exit
 * @vcpu: the vCPU; the VMCS of the level that exited is current
 *
 * Return: register operand 2, 64 bits in 64-bit mode, else 32.
 */
u64 nvmx_nested_vmcs_field(struct nvmx_vcpu *vcpu)
{
	return nvmx_nested_reg2(vcpu, nvmx_nested_l64(vcpu));
}

/* VMXON, VMCLEAR, VMPTRLD: a 64-bit pointer in memory. */
static int nvmx_nested_ptr_insn(struct nvmx_vcpu *vcpu,
				const struct nested_l1 *l1,
				const struct nested_mem *mem, u64 *rflags)
{
	struct nested_vmx *n = &vcpu->vmx.nested;
	bool done;
	u64 ptr;
	int ret;

	ret = nvmx_nested_mem_operand(vcpu, &ptr, 8, false, &done);
	if (done)
		return ret;
	switch (NV_EXIT_REASON_BASIC(vcpu->vmx.exit.reason)) {
	case NV_EXIT_VMXON:
		nested_vmxon(n, l1, mem, ptr, rflags);
		break;
	case NV_EXIT_VMCLEAR:
		nested_vmclear(n, l1, mem, ptr, rflags);
		break;
	default:
		nested_vmptrld(n, l1, mem, ptr, rflags);
	}
	return NVMX_INSN_COMPLETED;
}

/* VMPTRST: the current-VMCS pointer to memory. */
static int nvmx_nested_vmptrst(struct nvmx_vcpu *vcpu, u64 *rflags)
{
	u64 ptr = vcpu->vmx.nested.current_ptr;
	bool done;
	int ret;

	ret = nvmx_nested_mem_operand(vcpu, &ptr, 8, true, &done);
	if (done)
		return ret;
	*rflags &= ~NESTED_RFLAGS_ARITH;
	return NVMX_INSN_COMPLETED;
}

/**
 * nvmx_nested_vmrw() - VMREAD and VMWRITE: the field in reg2, the value in
 *	reg1 or memory
 * @vcpu: the vCPU
 * @l1: the registers of the level that runs; nested_vmx_precheck() passed
 * @rflags: its RFLAGS, updated
 *
 * L1's access its current VMCS12; L2's (L0's to emulate, VMCS02 current)
 * L1's shadow VMCS. Return: NVMX_INSN_COMPLETED, or the handler's return
 * value after a fault.
 */
int nvmx_nested_vmrw(struct nvmx_vcpu *vcpu, const struct nested_l1 *l1,
		     u64 *rflags)
{
	struct nested_mem mem = {
		.ctx = vcpu->vm, .read = nvmx_nested_mem_read, .write = nvmx_mem_write,
	};
	bool vmread = NV_EXIT_REASON_BASIC(vcpu->vmx.exit.reason) ==
		      NV_EXIT_VMREAD;
	bool l64 = (vcpu->vmx.efer & NV_EFER_LMA) && l1->cs_l;
	bool l2 = vcpu->vmx.l2.active;
	struct nested_vmx *n = &vcpu->vmx.nested;
	unsigned int size = l64 ? 8 : 4;
	u64 field = nvmx_nested_reg2(vcpu, l64), val = 0, flags = *rflags;
	struct vmx_operand op;
	bool done, ok;
	int ret;

	if (nvmx_nested_operand(vcpu, size, vmread, &op, &ret))
		return ret;
	if (!vmread) {
		if (op.is_reg) {
			val = nvmx_gpr(vcpu, op.reg);
		} else {
			ret = nvmx_nested_access(vcpu, op.gla, &val, size,
						 false, &done);
			if (done)
				return ret;
		}
		if (!l64)
			val = (u32)val;
		if (l2)
			nested_shadow_vmwrite(n, l1, &mem, field, val, rflags);
		else
			nested_vmwrite(n, l1, field, val, rflags);
		return NVMX_INSN_COMPLETED;
	}
	ok = l2 ? nested_shadow_vmread(n, &mem, field, &val, &flags) :
		  nested_vmread(n, field, &val, &flags);
	if (!ok) {
		*rflags = flags;
		return NVMX_INSN_COMPLETED;
	}
	if (op.is_reg) {
		nvmx_set_gpr(vcpu, op.reg, l64 ? val : (u32)val);
	} else {
		ret = nvmx_nested_access(vcpu, op.gla, &val, size, true, &done);
		if (done)
			return ret;
	}
	*rflags = flags;
	return NVMX_INSN_COMPLETED;
}

/* INVEPT and INVVPID: the type in reg2, a 128-bit descriptor in memory. */
static int nvmx_nested_inv(struct nvmx_vcpu *vcpu, const struct nested_l1 *l1,
			   u64 *rflags)
{
	bool l64 = (vcpu->vmx.efer & NV_EFER_LMA) && l1->cs_l;
	u64 type = nvmx_nested_reg2(vcpu, l64);
	u64 desc[2];
	bool done;
	int ret;

	ret = nvmx_nested_mem_operand(vcpu, desc, sizeof(desc), false, &done);
	if (done)
		return ret;
	if (NV_EXIT_REASON_BASIC(vcpu->vmx.exit.reason) == NV_EXIT_INVEPT) {
		nested_invept(&vcpu->vmx.nested, l1, type, desc, rflags);
		/* Either type: EPT02 shadows one EPTP12, drop it all. */
		if (!(*rflags & (NESTED_RFLAGS_CF | NESTED_RFLAGS_ZF)))
			nvmx_ept02_drop(vcpu);
		return NVMX_INSN_COMPLETED;
	}
	nested_invvpid(&vcpu->vmx.nested, l1, type, desc, rflags);
	if (!(*rflags & (NESTED_RFLAGS_CF | NESTED_RFLAGS_ZF)))
		nvmx_vpid02_invvpid(&vcpu->vmx, type, desc[0] & 0xffff);
	return NVMX_INSN_COMPLETED;
}

/**
 * nvmx_nested_precheck() - a VMX instruction's checks before its operand
 * @vcpu: the vCPU
 * @l1: the registers of the level that runs
 * @reason: the instruction's exit reason
 *
 * Return: NVMX_INSN_COMPLETED to go on, else after a #UD or #GP as an
 * exit handler.
 */
int nvmx_nested_precheck(struct nvmx_vcpu *vcpu, const struct nested_l1 *l1,
			 u32 reason)
{
	switch (nested_vmx_precheck(&vcpu->vmx.nested, l1, reason)) {
	case NESTED_UD:
		return nvmx_nested_fault(vcpu, VMX_OPERAND_UD, 0);
	case NESTED_GP:
		return nvmx_nested_fault(vcpu, VMX_OPERAND_GP, 0);
	default:
		return NVMX_INSN_COMPLETED;
	}
}

/* A VMX instruction that completed: RFLAGS as decided, RIP past it. */
void nvmx_nested_done(struct nvmx_vcpu *vcpu, u32 reason, u64 rflags)
{
	trace_nvmx_vmx_insn(vcpu->id, reason, rflags);
	vcpu->vmx.rflags = rflags;
	nvmx_skip_insn(vcpu);
}

/*
 * L1 entered (@on) or left VMX operation: the VM's memory cannot shrink
 * meanwhile (mem.c), and what L0 cached of L2 goes at VMXOFF.
 */
void nvmx_nested_vmx_operation(struct nvmx_vcpu *vcpu, bool on)
{
	if (!on) {
		nvmx_ept02_drop(vcpu);
		nvmx_vpid02_forget(&vcpu->vmx);
	}
	nvmx_mem_vmx_user(vcpu->vm, on);
}

/**
 * nvmx_exit_vmx_insn() - the exit handler of every VMX instruction
 * @vcpu: the vCPU (L1)
 *
 * Return: as an exit handler.
 */
int nvmx_exit_vmx_insn(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nested_mem mem = {
		.ctx = vcpu->vm, .read = nvmx_nested_mem_read, .write = nvmx_mem_write,
	};
	u32 reason = NV_EXIT_REASON_BASIC(vmx->exit.reason);
	bool vmxon = vmx->nested.vmxon;
	struct nested_l1 l1;
	u64 rflags = vmx->rflags;
	int ret;

	if (!READ_ONCE(vcpu->vm->expose_vmx))
		return nvmx_nested_fault(vcpu, VMX_OPERAND_UD, 0);
	nvmx_nested_l1(vcpu, &l1);
	if (vmx->l2.active)
		return nvmx_l2_vmx_insn(vcpu, &l1, reason);
	ret = nvmx_nested_precheck(vcpu, &l1, reason);
	if (ret != NVMX_INSN_COMPLETED)
		return ret;
	/* What L1 wrote through the shadow VMCS, into the cache first. */
	if (nvmx_shadow_to_vmcs12(vcpu))
		return nvmx_internal_error(vcpu, NVMX_INTERNAL_NESTED, 0, NULL);
	switch (reason) {
	case NV_EXIT_VMXON:
	case NV_EXIT_VMCLEAR:
	case NV_EXIT_VMPTRLD:
		ret = nvmx_nested_ptr_insn(vcpu, &l1, &mem, &rflags);
		break;
	case NV_EXIT_VMXOFF:
		nested_vmxoff(&vmx->nested, &mem, &rflags);
		ret = NVMX_INSN_COMPLETED;
		break;
	case NV_EXIT_VMPTRST:
		ret = nvmx_nested_vmptrst(vcpu, &rflags);
		break;
	case NV_EXIT_VMREAD:
	case NV_EXIT_VMWRITE:
		ret = nvmx_nested_vmrw(vcpu, &l1, &rflags);
		break;
	case NV_EXIT_INVEPT:
	case NV_EXIT_INVVPID:
		ret = nvmx_nested_inv(vcpu, &l1, &rflags);
		break;
	case NV_EXIT_VMFUNC:
		/* L1 believes it is in VMX root operation: VMFUNC is #UD. */
		return nvmx_nested_fault(vcpu, VMX_OPERAND_UD, 0);
	default:	/* VMLAUNCH, VMRESUME */
		return nvmx_nested_launch(vcpu, &l1,
					  reason == NV_EXIT_VMLAUNCH);
	}
	if (ret != NVMX_INSN_COMPLETED)
		return ret;
	if (vmx->nested.vmxon != vmxon)
		nvmx_nested_vmx_operation(vcpu, vmx->nested.vmxon);
	nvmx_nested_done(vcpu, reason, rflags);
	if (nvmx_shadow_from_vmcs12(vcpu))
		return nvmx_internal_error(vcpu, NVMX_INTERNAL_NESTED, 0, NULL);
	return 0;
}
