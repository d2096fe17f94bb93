// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes the decoding of a VMX instruction's operand
 * (src/nested/operand.c): vmx_decode_operand() with the VM-exit
 * instruction information, displacement, registers, segments, mode,
 * operand size and access type all taken from the input, and
 * vmx_insn_allows_reg_operand() with an exit reason from it.
 *
 * Invariants:
 * - the return value is 0 or -EINVAL; -EINVAL comes with fault #UD and
 *   nothing else set; the result is the same when decoding twice;
 * - a register operand has a register number below 16, no fault and no
 *   address;
 * - a memory operand faults with #GP(0), or #SS(0) only through SS, and
 *   error code 0;
 * - a memory operand without fault respects the address size: outside
 *   64-bit mode the linear address has 32 bits and the effective address
 *   (linear address minus segment base, modulo 2^32) 16 bits with 16-bit
 *   addressing; in 64-bit mode with 32-bit addressing the linear address
 *   is a 32-bit effective address plus the FS or GS base (0 for the other
 *   segments), and every byte of the operand is canonical;
 * - the outcome equals a model that follows the SDM byte by byte: the
 *   effective address computed at the address size, each byte's
 *   canonicality in 64-bit mode, and otherwise segment usability, type
 *   and each byte's offset against the limit (expand-up and down);
 * - only VMREAD and VMWRITE (basic exit reasons 23 and 25, whatever bits
 *   31:16 hold) may have a register operand.
 */
#include <string.h>

#include "fuzz.h"
#include "../../src/nested/operand.h"

static u64 trunc_asz(u64 v, unsigned int asz)
{
	if (asz == VMX_ADDR_16)
		return v & 0xffff;
	if (asz == VMX_ADDR_32)
		return v & 0xffffffff;
	return v;
}

/* 48-bit linear addresses: bits 63:47 all equal. */
static bool canonical48(u64 la)
{
	return (u64)((int64_t)(la << 16) >> 16) == la;
}

static enum vmx_operand_fault seg_fault(unsigned int seg)
{
	return seg == VMX_SEG_SS ? VMX_OPERAND_SS : VMX_OPERAND_GP;
}

/* Is offset @off within segment @s ("Limit Checking")? */
static bool offset_ok(const struct vmx_seg *s, u64 off)
{
	bool code = s->ar & NV_SEG_AR_TYPE_CODE;

	if (!code && (s->ar & NV_SEG_AR_TYPE_DOWN))
		return off > s->limit &&
		       off <= ((s->ar & NV_SEG_AR_DB) ? 0xffffffffULL : 0xffff);
	return off <= s->limit;
}

/* What the SDM says the instruction does with its operand. */
static int model(const struct vmx_operand_ctx *ctx, unsigned int size,
		 bool write, struct vmx_operand *op)
{
	u32 ii = ctx->insn_info;
	bool mode64 = ctx->long_mode && ctx->cs_l;
	unsigned int asz = (ii >> 7) & 7, seg = (ii >> 15) & 7, i;
	const struct vmx_seg *s;
	u64 ea;

	memset(op, 0, sizeof(*op));
	op->fault = VMX_OPERAND_UD;
	if (size < 1 || size > 16)
		return -EINVAL;
	if (ii & BIT(10)) {
		op->is_reg = true;
		op->reg = (ii >> 3) & 0xf;
		op->fault = VMX_OPERAND_OK;
		return 0;
	}
	if (seg > VMX_SEG_GS)
		return -EINVAL;
	if (mode64 ? asz != VMX_ADDR_32 && asz != VMX_ADDR_64 :
		     asz != VMX_ADDR_16 && asz != VMX_ADDR_32)
		return -EINVAL;

	ea = trunc_asz(ctx->qualification, asz);
	if (!(ii & BIT(27)))
		ea = trunc_asz(ea + trunc_asz(ctx->gprs[(ii >> 23) & 0xf], asz),
			       asz);
	if (!(ii & BIT(22)))
		ea = trunc_asz(ea + trunc_asz(ctx->gprs[(ii >> 18) & 0xf] *
					      (1ULL << (ii & 3)), asz), asz);

	s = &ctx->segs[seg];
	op->fault = VMX_OPERAND_OK;
	if (mode64) {
		u64 la = ea;

		if (seg == VMX_SEG_FS || seg == VMX_SEG_GS)
			la += s->base;
		for (i = 0; i < size; i++)
			if (!canonical48(la + i))
				op->fault = seg_fault(seg);
		if (op->fault == VMX_OPERAND_OK)
			op->gla = la;
		return 0;
	}
	if ((s->ar & NV_SEG_AR_UNUSABLE) || !(s->ar & NV_SEG_AR_S)) {
		op->fault = seg_fault(seg);
		return 0;
	}
	if (s->ar & NV_SEG_AR_TYPE_CODE) {
		if (write || !(s->ar & NV_SEG_AR_TYPE_RW))
			op->fault = VMX_OPERAND_GP;
	} else if (write && !(s->ar & NV_SEG_AR_TYPE_RW)) {
		op->fault = VMX_OPERAND_GP;
	}
	if (op->fault)
		return 0;
	for (i = 0; i < size; i++)
		if (!offset_ok(s, ea + i))
			op->fault = seg_fault(seg);
	if (op->fault == VMX_OPERAND_OK)
		op->gla = (s->base + ea) & 0xffffffff;
	return 0;
}

static bool same(const struct vmx_operand *a, const struct vmx_operand *b)
{
	return a->is_reg == b->is_reg && a->reg == b->reg &&
	       a->gla == b->gla && a->fault == b->fault &&
	       a->fault_error_code == b->fault_error_code;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vmx_operand op, op2, want;
	struct vmx_operand_ctx ctx;
	unsigned int opsize, asz, seg, i;
	struct fuzz_in in;
	bool write;
	int ret, want_ret;
	u32 reason;
	u8 flags;

	fuzz_in_init(&in, data, size);
	memset(&ctx, 0, sizeof(ctx));
	flags = fuzz_u8(&in);
	reason = fuzz_u32(&in);
	FUZZ_CHECK(vmx_insn_allows_reg_operand(reason) ==
		   ((reason & 0xffff) == 23 || (reason & 0xffff) == 25));
	opsize = fuzz_u8(&in) % 18;	/* 0 and 17 are out of range */
	write = flags & 1;
	ctx.long_mode = flags & 2;
	ctx.cs_l = flags & 4;
	ctx.insn_info = fuzz_u32(&in);
	if (flags & 8)		/* a displacement as the CPU reports it */
		ctx.qualification = (u64)(int64_t)(int32_t)fuzz_u32(&in);
	else
		ctx.qualification = fuzz_u64(&in);
	for (i = 0; i < VMX_SEG_COUNT; i++) {
		ctx.segs[i].base = (flags & 16) ? fuzz_u32(&in) : fuzz_u64(&in);
		ctx.segs[i].limit = fuzz_u32(&in);
		ctx.segs[i].ar = fuzz_u32(&in);
	}
	for (i = 0; i < 16; i++)
		ctx.gprs[i] = fuzz_u64(&in);

	memset(&op, 0xa5, sizeof(op));
	memset(&op2, 0x5a, sizeof(op2));
	ret = vmx_decode_operand(&ctx, opsize, write, &op);
	FUZZ_CHECK(vmx_decode_operand(&ctx, opsize, write, &op2) == ret);
	FUZZ_CHECK(same(&op, &op2));

	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	FUZZ_CHECK(op.fault_error_code == 0);
	if (ret) {
		FUZZ_CHECK(op.fault == VMX_OPERAND_UD);
		FUZZ_CHECK(!op.is_reg && !op.reg && !op.gla);
	} else if (op.is_reg) {
		FUZZ_CHECK(op.reg < 16);
		FUZZ_CHECK(op.fault == VMX_OPERAND_OK && !op.gla);
	} else {
		seg = vmx_ii_seg(ctx.insn_info);
		asz = vmx_ii_addr_size(ctx.insn_info);
		FUZZ_CHECK(seg < VMX_SEG_COUNT);
		FUZZ_CHECK(op.fault == VMX_OPERAND_OK ||
			   op.fault == VMX_OPERAND_GP ||
			   (op.fault == VMX_OPERAND_SS && seg == VMX_SEG_SS));
		if (op.fault != VMX_OPERAND_OK) {
			FUZZ_CHECK(!op.gla);
		} else if (!vmx_ctx_64bit(&ctx)) {
			FUZZ_CHECK(asz == VMX_ADDR_16 || asz == VMX_ADDR_32);
			FUZZ_CHECK(op.gla <= 0xffffffff);
			if (asz == VMX_ADDR_16)
				FUZZ_CHECK(((op.gla - ctx.segs[seg].base) &
					    0xffffffff) <= 0xffff);
		} else {
			u64 base = (seg == VMX_SEG_FS || seg == VMX_SEG_GS) ?
				   ctx.segs[seg].base : 0;

			FUZZ_CHECK(asz == VMX_ADDR_32 || asz == VMX_ADDR_64);
			if (asz == VMX_ADDR_32)
				FUZZ_CHECK(op.gla - base <= 0xffffffff);
			FUZZ_CHECK(canonical48(op.gla));
			FUZZ_CHECK(canonical48(op.gla + opsize - 1));
		}
	}

	want_ret = model(&ctx, opsize, write, &want);
	if (want_ret != ret || !same(&op, &want))
		fprintf(stderr,
			"decoded %d is_reg %d reg %u gla %#llx fault %d;"
			" model %d is_reg %d reg %u gla %#llx fault %d\n",
			ret, op.is_reg, op.reg, (unsigned long long)op.gla,
			op.fault, want_ret, want.is_reg, want.reg,
			(unsigned long long)want.gla, want.fault);
	FUZZ_CHECK(want_ret == ret);
	FUZZ_CHECK(same(&op, &want));
	return 0;
}
