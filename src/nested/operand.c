// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding the operand of a VMX instruction from the VM-exit information
 * (Intel SDM Vol. 3C, "VM-Exit Instruction Information Field"), and the
 * checks the instruction makes on its memory operand before touching it:
 * canonical addresses in 64-bit mode, segment usability, type and limit
 * otherwise (Vol. 3A, "Segment and Access Rights Checking"; the
 * "Protected Mode Exceptions" and "64-Bit Mode Exceptions" of each VMX
 * instruction in Vol. 3C). CPL and the VMX-operation checks are the
 * caller's; so are paging and the access itself.
 */
#include "operand.h"

/* The basic exit reasons of VMREAD and VMWRITE (SDM Appendix C). */
#define NV_EXIT_VMREAD		23
#define NV_EXIT_VMWRITE		25

/**
 * vmx_insn_allows_reg_operand() - may this instruction have a register operand?
 * @exit_reason: the VM-exit reason (only the basic reason, bits 15:0, counts)
 *
 * Only VMREAD and VMWRITE have a register form; for the others the CPU
 * raises #UD before any VM exit and leaves bit 10 of the instruction
 * information clear. A caller that finds &vmx_operand.is_reg set for any
 * other instruction gives the guest #UD.
 *
 * Return: true for VMREAD and VMWRITE.
 */
bool vmx_insn_allows_reg_operand(u32 exit_reason)
{
	switch (exit_reason & 0xffff) {
	case NV_EXIT_VMREAD:
	case NV_EXIT_VMWRITE:
		return true;
	default:
		return false;
	}
}

/*
 * The address sizes the CPU can report in this mode: 64-bit mode has
 * 64-bit and (with 67h) 32-bit addressing; protected and compatibility
 * mode have 32-bit and 16-bit. Real and virtual-8086 mode raise #UD for
 * every VMX instruction, so they never get here.
 */
static bool vmx_addr_size_ok(unsigned int asz, bool mode64)
{
	if (mode64)
		return asz == VMX_ADDR_32 || asz == VMX_ADDR_64;
	return asz == VMX_ADDR_16 || asz == VMX_ADDR_32;
}

/*
 * base + (index << scaling) + displacement, truncated to the address size.
 * The exit qualification holds the displacement sign-extended to 64 bits;
 * as all the arithmetic is modulo 2^64, truncating once at the end gives
 * the same result as the CPU's address-size arithmetic.
 */
static u64 vmx_effective_address(const struct vmx_operand_ctx *ctx,
				 unsigned int asz)
{
	static const u64 mask[] = {
		[VMX_ADDR_16] = 0xffff,
		[VMX_ADDR_32] = 0xffffffff,
		[VMX_ADDR_64] = ~0ULL,
	};
	u32 ii = ctx->insn_info;
	u64 ea = ctx->qualification;

	if (vmx_ii_base_valid(ii))
		ea += ctx->gprs[vmx_ii_base(ii)];
	if (vmx_ii_index_valid(ii))
		ea += ctx->gprs[vmx_ii_index(ii)] << vmx_ii_scaling(ii);
	return ea & mask[asz];
}

/* A fault on a segment: #SS(0) for the stack segment, else #GP(0). */
static enum vmx_operand_fault vmx_seg_fault(unsigned int seg)
{
	return seg == VMX_SEG_SS ? VMX_OPERAND_SS : VMX_OPERAND_GP;
}

/* Bits 63:47 all equal: canonical with 48-bit linear addresses. */
static bool vmx_canonical(u64 la)
{
	u64 top = la >> 47;

	return top == 0 || top == 0x1ffff;
}

/*
 * 64-bit mode: no limit or type checks, and only FS and GS have a base.
 * Every byte of the operand must be canonical. Checking the first and the
 * last byte suffices: an operand of at most 16 bytes cannot cross the
 * non-canonical hole without one of its ends inside it; one that wraps
 * at 2^64 stays canonical and is allowed.
 */
static enum vmx_operand_fault vmx_linear_64(const struct vmx_operand_ctx *ctx,
					    unsigned int seg, u64 ea,
					    unsigned int size, u64 *gla)
{
	u64 la = ea;

	if (seg == VMX_SEG_FS || seg == VMX_SEG_GS)
		la += ctx->segs[seg].base;
	if (!vmx_canonical(la) || !vmx_canonical(la + size - 1))
		return vmx_seg_fault(seg);
	*gla = la;
	return VMX_OPERAND_OK;
}

/*
 * Type checks: code segments are never writable and are readable only
 * with the R bit; data segments are always readable and writable only
 * with the W bit. The VMX instructions list these as #GP(0) whatever the
 * segment, even SS (which a valid guest cannot have read-only anyway).
 */
static bool vmx_seg_type_denies(u32 ar, bool write)
{
	if (ar & NV_SEG_AR_TYPE_CODE)
		return write || !(ar & NV_SEG_AR_TYPE_RW);
	return write && !(ar & NV_SEG_AR_TYPE_RW);
}

/*
 * Every byte from offset @ea to @ea + @size - 1 must be within the limit.
 * Expand-up segments hold offsets 0 to limit; expand-down data segments
 * hold limit + 1 to 0xffffffff (D/B set) or 0xffff (D/B clear). The VMCS
 * limit is byte-granular already, whatever G says. @ea is at most 32 bits
 * wide, so the sums cannot overflow.
 */
static bool vmx_seg_limit_ok(const struct vmx_seg *s, u64 ea,
			     unsigned int size)
{
	u64 last = ea + size - 1;
	u64 upper;

	if ((s->ar & (NV_SEG_AR_TYPE_CODE | NV_SEG_AR_TYPE_DOWN)) !=
	    NV_SEG_AR_TYPE_DOWN)
		return last <= s->limit;
	upper = (s->ar & NV_SEG_AR_DB) ? 0xffffffff : 0xffff;
	return ea > s->limit && last <= upper;
}

/*
 * Protected and compatibility mode: the segment must be usable, allow the
 * access, and hold the whole operand; the linear address is 32 bits. A
 * usable segment register never holds a system descriptor (S clear);
 * should the VMCS say so, it is treated as unusable.
 */
static enum vmx_operand_fault vmx_linear_32(const struct vmx_operand_ctx *ctx,
					    unsigned int seg, u64 ea,
					    unsigned int size, bool write,
					    u64 *gla)
{
	const struct vmx_seg *s = &ctx->segs[seg];

	if ((s->ar & NV_SEG_AR_UNUSABLE) || !(s->ar & NV_SEG_AR_S))
		return vmx_seg_fault(seg);
	if (vmx_seg_type_denies(s->ar, write))
		return VMX_OPERAND_GP;
	if (!vmx_seg_limit_ok(s, ea, size))
		return vmx_seg_fault(seg);
	*gla = (s->base + ea) & 0xffffffff;
	return VMX_OPERAND_OK;
}

/**
 * vmx_decode_operand() - decode a VMX instruction's operand and check it
 * @ctx: the exit information and guest state
 * @size: operand size in bytes, 1 to %VMX_OPERAND_MAX_SIZE: 8 for VMCLEAR,
 *	VMPTRLD, VMPTRST and VMXON; 16 for INVEPT and INVVPID; see
 *	vmx_vmrw_operand_size() for VMREAD and VMWRITE
 * @write: the instruction writes the operand (VMPTRST, VMREAD)
 * @op: the result; fully written on every return
 *
 * A register operand (bit 10) sets @op->is_reg and @op->reg; the caller
 * checks it is allowed with vmx_insn_allows_reg_operand(). A memory
 * operand gets @op->gla, or @op->fault when the instruction would fault
 * on it instead.
 *
 * Encodings the CPU does not use (address sizes 3 to 7, segments 6 and
 * 7, 16-bit addressing in 64-bit mode, 64-bit addressing outside it)
 * cannot come from a real VM exit. They are rejected with -EINVAL and
 * @op->fault set to %VMX_OPERAND_UD, for callers that would rather give
 * the guest #UD than fail. An out-of-range @size is rejected the same way.
 *
 * Return: 0 when decoded (@op->fault tells whether the guest faults), or
 * -EINVAL.
 */
int vmx_decode_operand(const struct vmx_operand_ctx *ctx, unsigned int size,
		       bool write, struct vmx_operand *op)
{
	u32 ii = ctx->insn_info;
	bool mode64 = vmx_ctx_64bit(ctx);
	unsigned int asz = vmx_ii_addr_size(ii);
	unsigned int seg = vmx_ii_seg(ii);
	u64 ea;

	memset(op, 0, sizeof(*op));
	op->fault = VMX_OPERAND_UD;
	if (size == 0 || size > VMX_OPERAND_MAX_SIZE)
		return -EINVAL;
	if (vmx_ii_is_reg(ii)) {
		/* Scaling, address size and segment are undefined here. */
		op->is_reg = true;
		op->reg = vmx_ii_reg1(ii);
		op->fault = VMX_OPERAND_OK;
		return 0;
	}
	if (!vmx_addr_size_ok(asz, mode64) || seg >= VMX_SEG_COUNT)
		return -EINVAL;

	ea = vmx_effective_address(ctx, asz);
	if (mode64)
		op->fault = vmx_linear_64(ctx, seg, ea, size, &op->gla);
	else
		op->fault = vmx_linear_32(ctx, seg, ea, size, write, &op->gla);
	return 0;
}
