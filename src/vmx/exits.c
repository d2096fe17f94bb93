// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exit handlers: one per basic exit reason, in a table. An exit of
 * L2 goes to L1 when nested_exit.c says so; the others come here too and
 * are handled for L2 as for L1, on VMCS02.
 * A reason without a handler ends NVMX_RUN with an internal-error exit
 * that names it, so that no exit can take the host down.
 *
 * Instructions that nvmx completes move RIP past themselves
 * (nvmx_skip_insn()); one that faults gets its exception queued and RIP
 * unchanged. Exits that userspace completes (IN, an MMIO read, VMCALL)
 * move RIP at once and leave the rest to nvmx_complete_user_exit().
 */
#include <linux/nvmx.h>

#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "exits.h"
#include "fpu.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"

#define IO_QUAL_IN		BIT(3)
#define IO_QUAL_STRING		BIT(4)
#define DR_QUAL_FROM		BIT(4)
#define CR4_DE			BIT_ULL(3)
#define EPT_QUAL_WRITE		BIT(1)
#define EPT_QUAL_FETCH		BIT(2)

/* General-purpose register @i (encoding order); RSP lives in vmx->rsp. */
u64 nvmx_gpr(struct nvmx_vcpu *vcpu, unsigned int i)
{
	return i == 4 ? vcpu->vmx.rsp : vcpu->vmx.gprs.r[i & 15];
}

void nvmx_set_gpr(struct nvmx_vcpu *vcpu, unsigned int i, u64 val)
{
	if (i == 4)
		vcpu->vmx.rsp = val;
	else
		vcpu->vmx.gprs.r[i & 15] = val;
}

/*
 * The instruction that exited is done: RIP past it, and the blocking by
 * STI or MOV SS that it was under is over.
 */
void nvmx_skip_insn(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	vmx->rip += vmx->exit.insn_len;
	if (nvmx_vmx_cpu_mode(vcpu) != 64)
		vmx->rip &= 0xffffffff;
	if (vmx->interruptibility & (NV_INTERRUPTIBILITY_STI |
				     NV_INTERRUPTIBILITY_MOV_SS)) {
		vmx->interruptibility &= ~(NV_INTERRUPTIBILITY_STI |
					   NV_INTERRUPTIBILITY_MOV_SS);
		vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY_INFO,
			    vmx->interruptibility);
	}
}

/* End NVMX_RUN with NVMX_EXIT_INTERNAL_ERROR. Return: 1. */
int nvmx_internal_error(struct nvmx_vcpu *vcpu, u32 suberror,
			unsigned int ndata, const u64 *data)
{
	struct nvmx_run *run = vcpu->run;

	ndata = min_t(unsigned int, ndata, ARRAY_SIZE(run->internal.data));
	run->exit_reason = NVMX_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = ndata;
	memcpy(run->internal.data, data, ndata * sizeof(*data));
	return 1;
}

static int nvmx_exit_unhandled(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	u64 data[] = { vmx->exit.reason, vmx->exit.qual, vmx->rip };

	return nvmx_internal_error(vcpu, NVMX_INTERNAL_UNHANDLED_EXIT,
				   ARRAY_SIZE(data), data);
}

static int nvmx_user_exit(struct nvmx_vcpu *vcpu, u32 reason)
{
	vcpu->run->exit_reason = reason;
	return 1;
}

static int nvmx_exit_nothing(struct nvmx_vcpu *vcpu)
{
	return 0;
}

static int nvmx_exit_skip(struct nvmx_vcpu *vcpu)
{
	nvmx_skip_insn(vcpu);
	return 0;
}

/*
 * A fault of an instruction L0 emulates. L2's goes to L1 when L1's
 * exception bitmap selects it (an injected event would bypass it).
 */
static int nvmx_exit_fault(struct nvmx_vcpu *vcpu, u8 vector, bool has_error)
{
	if (vcpu->vmx.l2.active)
		return nvmx_l2_exception(vcpu, vector, has_error, 0, 0);
	nvmx_vmx_queue_exception(vcpu, vector, has_error, 0);
	return 0;
}

static int nvmx_exit_ud(struct nvmx_vcpu *vcpu)
{
	return nvmx_exit_fault(vcpu, NV_VEC_UD, false);
}

static int nvmx_exit_gp(struct nvmx_vcpu *vcpu)
{
	return nvmx_exit_fault(vcpu, NV_VEC_GP, true);
}

/* NMIs were forwarded to the host already; nvmx intercepts no exception. */
static int nvmx_exit_exception_nmi(struct nvmx_vcpu *vcpu)
{
	u32 info = vcpu->vmx.exit.intr_info;

	if ((info & NV_INTR_INFO_VALID) &&
	    NV_INTR_INFO_TYPE(info) == NV_INTR_TYPE_NMI)
		return 0;
	return nvmx_exit_unhandled(vcpu);
}

static int nvmx_exit_triple_fault(struct nvmx_vcpu *vcpu)
{
	return nvmx_user_exit(vcpu, NVMX_EXIT_SHUTDOWN);
}

/* The window is open: the next entry injects, or userspace asked. */
static int nvmx_exit_irq_window(struct nvmx_vcpu *vcpu)
{
	if (vcpu->run->request_interrupt_window && vcpu->irq_vector < 0)
		return nvmx_user_exit(vcpu, NVMX_EXIT_IRQ_WINDOW_OPEN);
	return 0;
}

/*
 * With an in-kernel APIC the vCPU sleeps here until it has something to
 * do (nvmx_lapic_halt()); the run loop then injects or exits as usual.
 */
static int nvmx_exit_hlt(struct nvmx_vcpu *vcpu)
{
	nvmx_skip_insn(vcpu);
	if (!vcpu->lapic.on)
		return nvmx_user_exit(vcpu, NVMX_EXIT_HLT);
	nvmx_lapic_halt(vcpu, vcpu->vmx.rflags & NV_RFLAGS_IF);
	return 0;
}

/* Hypercalls are userspace's, from CPL 0; elsewhere VMCALL is #UD. */
static int nvmx_exit_vmcall(struct nvmx_vcpu *vcpu)
{
	struct nvmx_run *run = vcpu->run;
	static const u8 args[] = { 3, 1, 2, 6 };	/* RBX, RCX, RDX, RSI */
	unsigned int i;

	if (nvmx_vmx_cpl())
		return nvmx_exit_ud(vcpu);
	run->vmcall.nr = nvmx_gpr(vcpu, 0);
	for (i = 0; i < ARRAY_SIZE(args); i++)
		run->vmcall.args[i] = nvmx_gpr(vcpu, args[i]);
	run->vmcall.ret = 0;
	vcpu->completion = NVMX_COMPLETE_VMCALL;
	nvmx_skip_insn(vcpu);
	return nvmx_user_exit(vcpu, NVMX_EXIT_VMCALL);
}

static int nvmx_exit_cpuid(struct nvmx_vcpu *vcpu)
{
	u32 fn = nvmx_gpr(vcpu, 0), index = nvmx_gpr(vcpu, 1);
	const struct nvmx_cpuid_entry *e = nvmx_cpuid_find(vcpu, fn, index);
	u32 out[4] = { };

	if (e) {
		out[0] = e->eax;
		out[1] = e->ebx;
		out[2] = e->ecx;
		out[3] = e->edx;
	}
	nvmx_cpuid_dynamic(vcpu, fn, out);
	nvmx_set_gpr(vcpu, 0, out[0]);
	nvmx_set_gpr(vcpu, 3, out[1]);
	nvmx_set_gpr(vcpu, 1, out[2]);
	nvmx_set_gpr(vcpu, 2, out[3]);
	nvmx_skip_insn(vcpu);
	return 0;
}

/*
 * Port I/O: the data goes through the run page (Intel SDM, "Exit
 * Qualification for I/O Instructions").
 */
static int nvmx_exit_io(struct nvmx_vcpu *vcpu)
{
	struct nvmx_run *run = vcpu->run;
	u64 qual = vcpu->vmx.exit.qual;
	u32 size = NV_IO_QUAL_SIZE(qual);
	u64 rax = nvmx_gpr(vcpu, 0);

	if (qual & IO_QUAL_STRING)
		return nvmx_emulate_string_io(vcpu);
	run->io.direction = (qual & IO_QUAL_IN) ? NVMX_EXIT_IO_IN :
						  NVMX_EXIT_IO_OUT;
	run->io.size = size;
	run->io.port = NV_IO_QUAL_PORT(qual);
	run->io.count = 1;
	run->io.data_offset = NVMX_RUN_IO_DATA_OFFSET;
	if (qual & IO_QUAL_IN) {
		vcpu->completion = NVMX_COMPLETE_IO_IN;
		vcpu->vmx.io_size = size;
		memset((u8 *)run + NVMX_RUN_IO_DATA_OFFSET, 0xff, size);
	} else {
		memcpy((u8 *)run + NVMX_RUN_IO_DATA_OFFSET, &rax, size);
	}
	nvmx_skip_insn(vcpu);
	return nvmx_user_exit(vcpu, NVMX_EXIT_IO);
}

/* MOV to CR0, CR3, CR4, CR8; MOV from CR3, CR8; CLTS; LMSW. */
static int nvmx_cr_write(struct nvmx_vcpu *vcpu, unsigned int cr, u64 val)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	switch (cr) {
	case 0:
		return nvmx_vmx_write_cr0(vcpu, val);
	case 3:
		/* Only where the CPU forces CR3-load exiting. */
		vmx_vmwrite(VMCS_GUEST_CR3, val & ~BIT_ULL(63));
		vmx->cur->flush = true;
		return 0;
	case 4:
		return nvmx_vmx_write_cr4(vcpu, val);
	case 8:
		if (val > 15)
			return -EINVAL;
		if (!nvmx_lapic_cr8(vcpu, true, &val))
			vmx->cr8 = val;
		return 0;
	}
	return -EINVAL;
}

static int nvmx_exit_cr(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	u64 qual = vmx->exit.qual, val, cr0 = vmx->cr0;
	unsigned int cr = NV_CR_QUAL_CR(qual), gpr = (qual >> 8) & 15;
	int err = 0;

	switch (NV_CR_QUAL_TYPE(qual)) {
	case NV_CR_TYPE_MOV_TO:
		val = nvmx_gpr(vcpu, gpr);
		if (nvmx_vmx_cpu_mode(vcpu) != 64)
			val &= 0xffffffff;
		if (cr == 8 && val <= 15 && nvmx_l2_tpr_shadow(vcpu)) {
			nvmx_skip_insn(vcpu);
			return nvmx_l2_write_vtpr(vcpu, val);
		}
		err = nvmx_cr_write(vcpu, cr, val);
		break;
	case NV_CR_TYPE_MOV_FROM:
		if (cr == 3)
			val = vmx_vmread_val(VMCS_GUEST_CR3);
		else if (nvmx_l2_tpr_shadow(vcpu))
			val = (nvmx_nested_vtpr(vcpu) >> 4) & 0xf;
		else if (!nvmx_lapic_cr8(vcpu, false, &val))
			val = vmx->cr8;
		nvmx_set_gpr(vcpu, gpr, val);
		break;
	case NV_CR_TYPE_CLTS:
		err = nvmx_vmx_write_cr0(vcpu, cr0 & ~NV_CR0_TS);
		break;
	default:	/* LMSW: bits 3:0, and it cannot clear PE */
		val = NV_CR_QUAL_LMSW_DATA(qual) & 0xf;
		err = nvmx_vmx_write_cr0(vcpu, (cr0 & ~0xfULL) | val |
					 (cr0 & NV_CR0_PE));
	}
	if (err)
		return nvmx_exit_gp(vcpu);
	nvmx_skip_insn(vcpu);
	return 0;
}

/* Debug registers live in software: the guest never reaches the host's. */
static int nvmx_exit_dr(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	u64 qual = vmx->exit.qual;
	unsigned int dr = qual & 7, gpr = (qual >> 8) & 15;
	u64 *reg, val;

	if ((dr == 4 || dr == 5) && (vmx->cr4 & CR4_DE))
		return nvmx_exit_ud(vcpu);
	if (dr >= 4)
		dr = (dr & 1) ? 7 : 6;
	reg = dr < 4 ? &vmx->dr[dr] : dr == 6 ? &vmx->dr6 : &vmx->dr7;
	if (qual & DR_QUAL_FROM) {
		nvmx_set_gpr(vcpu, gpr, *reg);
	} else {
		val = nvmx_gpr(vcpu, gpr);
		if (dr >= 6 && (val >> 32))
			return nvmx_exit_gp(vcpu);
		if (dr == 6)
			val |= NV_DR6_FIXED1;
		else if (dr == 7)
			val |= NV_DR7_FIXED1;
		*reg = val;
	}
	nvmx_skip_insn(vcpu);
	return 0;
}

static int nvmx_exit_rdmsr(struct nvmx_vcpu *vcpu)
{
	u64 val;

	if (nvmx_vmx_get_msr(vcpu, nvmx_gpr(vcpu, 1), &val, false))
		return nvmx_exit_gp(vcpu);
	nvmx_set_gpr(vcpu, 0, (u32)val);
	nvmx_set_gpr(vcpu, 2, val >> 32);
	nvmx_skip_insn(vcpu);
	return 0;
}

static int nvmx_exit_wrmsr(struct nvmx_vcpu *vcpu)
{
	u64 val = (u32)nvmx_gpr(vcpu, 0) | nvmx_gpr(vcpu, 2) << 32;

	if (nvmx_vmx_set_msr(vcpu, nvmx_gpr(vcpu, 1), val, false))
		return nvmx_exit_gp(vcpu);
	nvmx_skip_insn(vcpu);
	return 0;
}

/* XSETBV (Intel SDM, "XSETBV"): only XCR0, only what nvmx switches. */
static int nvmx_exit_xsetbv(struct nvmx_vcpu *vcpu)
{
	u64 val = (u32)nvmx_gpr(vcpu, 0) | nvmx_gpr(vcpu, 2) << 32;
	u64 avx512 = 0xe0;

	if (!(vcpu->vmx.cr4 & NV_CR4_OSXSAVE))
		return nvmx_exit_ud(vcpu);
	if (nvmx_vmx_cpl() || (u32)nvmx_gpr(vcpu, 1) ||
	    (val & ~nvmx_guest_xcr0_mask()) || !(val & 1) ||
	    ((val & 4) && !(val & 2)) ||
	    ((val & avx512) && ((val & avx512) != avx512 || !(val & 4))))
		return nvmx_exit_gp(vcpu);
	vcpu->vmx.xcr0 = val;
	nvmx_skip_insn(vcpu);
	return 0;
}

static int nvmx_exit_ept_violation(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	u64 gpa = vmx->exit.gpa;
	int ret;

	ret = nvmx_mem_fault(vcpu->vm, gpa, vmx->exit.qual & EPT_QUAL_WRITE);
	if (ret == NVMX_FAULT_MAPPED) {
		vcpu->stats.ept_faults++;
		return 0;
	}
	if (ret == NVMX_FAULT_MMIO && !(vmx->exit.qual & EPT_QUAL_FETCH))
		return nvmx_emulate_mmio(vcpu, gpa);
	if (ret == NVMX_FAULT_MMIO) {
		u64 data[] = { vmx->rip, gpa };

		return nvmx_internal_error(vcpu, NVMX_INTERNAL_EMULATION,
					   ARRAY_SIZE(data), data);
	} else {
		u64 data[] = { gpa, -ret };

		return nvmx_internal_error(vcpu, NVMX_INTERNAL_MEMORY,
					   ARRAY_SIZE(data), data);
	}
}

typedef int (*nvmx_exit_fn)(struct nvmx_vcpu *vcpu);

static const nvmx_exit_fn nvmx_exit_handlers[NV_EXIT_REASON_COUNT] = {
	[NV_EXIT_EXCEPTION_NMI] = nvmx_exit_exception_nmi,
	[NV_EXIT_EXTERNAL_INTR] = nvmx_exit_nothing,
	[NV_EXIT_TRIPLE_FAULT] = nvmx_exit_triple_fault,
	[NV_EXIT_INTR_WINDOW] = nvmx_exit_irq_window,
	[NV_EXIT_NMI_WINDOW] = nvmx_exit_nothing,
	[NV_EXIT_CPUID] = nvmx_exit_cpuid,
	[NV_EXIT_GETSEC] = nvmx_exit_ud,
	[NV_EXIT_HLT] = nvmx_exit_hlt,
	[NV_EXIT_INVD] = nvmx_exit_skip,
	[NV_EXIT_RDPMC] = nvmx_exit_gp,
	[NV_EXIT_VMCALL] = nvmx_exit_vmcall,
	[NV_EXIT_VMCLEAR] = nvmx_exit_vmx_insn,
	[NV_EXIT_VMLAUNCH] = nvmx_exit_vmx_insn,
	[NV_EXIT_VMPTRLD] = nvmx_exit_vmx_insn,
	[NV_EXIT_VMPTRST] = nvmx_exit_vmx_insn,
	[NV_EXIT_VMREAD] = nvmx_exit_vmx_insn,
	[NV_EXIT_VMRESUME] = nvmx_exit_vmx_insn,
	[NV_EXIT_VMWRITE] = nvmx_exit_vmx_insn,
	[NV_EXIT_VMXOFF] = nvmx_exit_vmx_insn,
	[NV_EXIT_VMXON] = nvmx_exit_vmx_insn,
	[NV_EXIT_CR_ACCESS] = nvmx_exit_cr,
	[NV_EXIT_DR_ACCESS] = nvmx_exit_dr,
	[NV_EXIT_IO] = nvmx_exit_io,
	[NV_EXIT_RDMSR] = nvmx_exit_rdmsr,
	[NV_EXIT_WRMSR] = nvmx_exit_wrmsr,
	[NV_EXIT_MWAIT] = nvmx_exit_ud,
	[NV_EXIT_MONITOR] = nvmx_exit_ud,
	[NV_EXIT_EPT_VIOLATION] = nvmx_exit_ept_violation,
	[NV_EXIT_INVEPT] = nvmx_exit_vmx_insn,
	[NV_EXIT_PREEMPTION_TIMER] = nvmx_exit_nothing,
	[NV_EXIT_INVVPID] = nvmx_exit_vmx_insn,
	[NV_EXIT_WBINVD] = nvmx_exit_skip,
	[NV_EXIT_XSETBV] = nvmx_exit_xsetbv,
	[NV_EXIT_VMFUNC] = nvmx_exit_vmx_insn,
};

/**
 * nvmx_nmi_blocking_after_iret() - NMI blocking back for an IRET to redo
 * @vcpu: the vCPU; the VMCS of the exit current
 *
 * An exit that L0 handles (an EPT violation, an exception or NMI) may
 * have interrupted an IRET that had already unblocked NMIs (virtual
 * NMIs, or NMIs when the guest's NMIs do not exit): bit 12 of the exit
 * qualification or interruption information says so (SDM, "Exit
 * Qualification for EPT Violations", "Information for VM Exits Due to
 * Vectored Events"). The IRET executes again after the entry, so the
 * blocking it undid must be in the guest state again. Not for an exit
 * during event delivery (bit 12 is then undefined) or a #DF.
 */
void nvmx_nmi_blocking_after_iret(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	const struct nvmx_exit_info *e = &vmx->exit;
	u32 basic = NV_EXIT_REASON_BASIC(e->reason), pin;
	bool unblocked;

	if (e->idt_info & NV_INTR_INFO_VALID)
		return;
	if (basic == NV_EXIT_EPT_VIOLATION)
		unblocked = e->qual & NV_NMI_UNBLOCKED_BY_IRET;
	else if (basic == NV_EXIT_EXCEPTION_NMI)
		unblocked = (e->intr_info & NV_INTR_INFO_VALID) &&
			    (e->intr_info & NV_NMI_UNBLOCKED_BY_IRET) &&
			    NV_INTR_INFO_VECTOR(e->intr_info) != NV_VEC_DF;
	else
		return;
	pin = vmx_vmread_val(VMCS_PIN_BASED_VM_EXEC_CONTROL);
	if (!unblocked || ((pin & NV_PIN_CTL_NMI_EXITING) &&
			   !(pin & NV_PIN_CTL_VIRTUAL_NMIS)))
		return;
	vmx->interruptibility |= NV_INTERRUPTIBILITY_NMI;
	vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY_INFO, vmx->interruptibility);
}

/**
 * nvmx_handle_exit() - act on the exit nvmx_read_exit() recorded
 * @vcpu: the vCPU
 *
 * Return: as an exit handler (exits.h).
 */
int nvmx_handle_exit(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	u32 basic = NV_EXIT_REASON_BASIC(vmx->exit.reason);
	struct nvmx_run *run = vcpu->run;
	int ret;

	if (vmx->l2.active && !(vmx->exit.reason & NV_EXIT_REASON_FAILED_ENTRY)) {
		ret = nvmx_nested_exit(vcpu);
		if (ret != NVMX_L0_HANDLES)
			return ret;
	}
	if (vmx->exit.reason & NV_EXIT_REASON_FAILED_ENTRY) {
		run->exit_reason = NVMX_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_entry_failure_reason = vmx->exit.reason;
		run->fail_entry.qualification = vmx->exit.qual;
		run->fail_entry.cpu = vcpu->cpu;
		return 1;
	}
	nvmx_nmi_blocking_after_iret(vcpu);
	if (basic < ARRAY_SIZE(nvmx_exit_handlers) &&
	    nvmx_exit_handlers[basic])
		return nvmx_exit_handlers[basic](vcpu);
	return nvmx_exit_unhandled(vcpu);
}

/**
 * nvmx_complete_user_exit() - finish the exit userspace has handled
 * @vcpu: the vCPU
 *
 * The data of an IN goes to AL/AX/EAX, that of an MMIO load to its
 * register, a hypercall's result to RAX.
 * Return: 0.
 */
int nvmx_complete_user_exit(struct nvmx_vcpu *vcpu)
{
	struct nvmx_run *run = vcpu->run;
	u64 rax = nvmx_gpr(vcpu, 0), data = 0;

	switch (vcpu->completion) {
	case NVMX_COMPLETE_IO_IN:
		memcpy(&data, (u8 *)run + NVMX_RUN_IO_DATA_OFFSET,
		       vcpu->vmx.io_size);
		if (vcpu->vmx.io_size == 4)
			rax = data;	/* a 32-bit result zero-extends */
		else
			memcpy(&rax, &data, vcpu->vmx.io_size);
		nvmx_set_gpr(vcpu, 0, rax);
		break;
	case NVMX_COMPLETE_MMIO_READ:
		nvmx_complete_mmio_read(vcpu);
		break;
	case NVMX_COMPLETE_STRING_IN:
		nvmx_complete_string_in(vcpu);
		break;
	case NVMX_COMPLETE_VMCALL:
		nvmx_set_gpr(vcpu, 0, run->vmcall.ret);
		break;
	case NVMX_COMPLETE_NONE:
		break;
	}
	vcpu->completion = NVMX_COMPLETE_NONE;
	return 0;
}
