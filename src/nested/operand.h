/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The operand of a VMX instruction that L1 executed (VMCLEAR, VMPTRLD,
 * VMPTRST, VMXON, VMREAD, VMWRITE, INVEPT, INVVPID), decoded from the
 * VM-exit information: a register number, or the guest-linear address of
 * a memory operand after the segmentation and canonical-address checks the
 * instruction would have made. Pure.
 *
 * Intel SDM Vol. 3C, "VM-Exit Instruction Information Field" and the
 * "Protected Mode Exceptions" / "64-Bit Mode Exceptions" of each VMX
 * instruction; Vol. 3A, "Segment and Access Rights Checking" and
 * "Canonical Addressing".
 */
#ifndef NVMX_NESTED_OPERAND_H
#define NVMX_NESTED_OPERAND_H

#include "../pure.h"

/* Segment access rights, in the layout of the VMCS guest AR fields. */
#define NV_SEG_AR_TYPE_RW	BIT(1)	/* data: writable; code: readable */
#define NV_SEG_AR_TYPE_DOWN	BIT(2)	/* data: expand-down */
#define NV_SEG_AR_TYPE_CODE	BIT(3)
#define NV_SEG_AR_S		BIT(4)	/* code or data, not system */
#define NV_SEG_AR_P		BIT(7)
#define NV_SEG_AR_DB		BIT(14)	/* expand-down data: upper bound 4G */
#define NV_SEG_AR_UNUSABLE	BIT(16)

/* The SDM's segment register encoding (instruction information 17:15). */
enum vmx_seg_reg {
	VMX_SEG_ES,
	VMX_SEG_CS,
	VMX_SEG_SS,
	VMX_SEG_DS,
	VMX_SEG_FS,
	VMX_SEG_GS,
	VMX_SEG_COUNT
};

/* Address size encoding (instruction information 9:7); 3-7 are not used. */
enum vmx_addr_size {
	VMX_ADDR_16,
	VMX_ADDR_32,
	VMX_ADDR_64,
};

/**
 * struct vmx_seg - a segment register as the VMCS guest-state area holds it
 * @base: base address
 * @limit: the byte-granular limit (the VMCS field already applies G)
 * @ar: access rights: type 3:0, S 4, DPL 6:5, P 7, AVL 12, L 13, D/B 14,
 *	G 15, unusable 16
 */
struct vmx_seg {
	u64 base;
	u32 limit;
	u32 ar;
};

/**
 * struct vmx_operand_ctx - what decoding needs; the caller reads the VMCS
 * @insn_info: VM-exit instruction information (VMX_INSTRUCTION_INFO)
 * @qualification: exit qualification: the displacement, sign-extended to
 *	64 bits (for RIP-relative addressing, displacement plus next RIP)
 * @gprs: RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8-R15: the SDM's
 *	register encoding
 * @segs: ES, CS, SS, DS, FS, GS, indexed by &enum vmx_seg_reg
 * @long_mode: IA32_EFER.LMA
 * @cs_l: CS.L; with @long_mode, the guest is in 64-bit mode
 */
struct vmx_operand_ctx {
	u32 insn_info;
	u64 qualification;
	u64 gprs[16];
	struct vmx_seg segs[VMX_SEG_COUNT];
	bool long_mode;
	bool cs_l;
};

/* The exception the guest gets instead of the instruction's execution. */
enum vmx_operand_fault {
	VMX_OPERAND_OK,
	VMX_OPERAND_GP,		/* #GP(0) */
	VMX_OPERAND_SS,		/* #SS(0) */
	VMX_OPERAND_UD,		/* #UD */
};

/**
 * struct vmx_operand - a decoded operand
 * @is_reg: the operand is the register @reg (VMREAD and VMWRITE only)
 * @reg: register number, in the order of &vmx_operand_ctx.gprs
 * @gla: guest-linear address of a memory operand (valid when @fault is OK)
 * @fault: the exception to inject instead of executing the instruction
 * @fault_error_code: its error code; always 0 for these faults
 */
struct vmx_operand {
	bool is_reg;
	unsigned int reg;
	u64 gla;
	enum vmx_operand_fault fault;
	u32 fault_error_code;
};

/*
 * Fields of the VM-exit instruction information. The same bits serve
 * VMCLEAR, VMPTRLD, VMPTRST, VMXON, INVEPT, INVVPID, VMREAD and VMWRITE;
 * fields an instruction does not define read as whatever the CPU left.
 */

/* Bits 1:0: the index is scaled by 1 << vmx_ii_scaling(). */
static inline unsigned int vmx_ii_scaling(u32 ii)
{
	return ii & 3;
}

/* Bits 6:3: VMREAD destination / VMWRITE source register (register form). */
static inline unsigned int vmx_ii_reg1(u32 ii)
{
	return (ii >> 3) & 0xf;
}

/* Bits 9:7: &enum vmx_addr_size, or 3-7 (not used by the CPU). */
static inline unsigned int vmx_ii_addr_size(u32 ii)
{
	return (ii >> 7) & 7;
}

/* Bit 10: the operand is a register (defined for VMREAD/VMWRITE only). */
static inline bool vmx_ii_is_reg(u32 ii)
{
	return ii & BIT(10);
}

/* Bits 17:15: &enum vmx_seg_reg, or 6-7 (not used by the CPU). */
static inline unsigned int vmx_ii_seg(u32 ii)
{
	return (ii >> 15) & 7;
}

/* Bits 21:18 and 22: the index register, and "index invalid". */
static inline unsigned int vmx_ii_index(u32 ii)
{
	return (ii >> 18) & 0xf;
}

static inline bool vmx_ii_index_valid(u32 ii)
{
	return !(ii & BIT(22));
}

/* Bits 26:23 and 27: the base register, and "base invalid". */
static inline unsigned int vmx_ii_base(u32 ii)
{
	return (ii >> 23) & 0xf;
}

static inline bool vmx_ii_base_valid(u32 ii)
{
	return !(ii & BIT(27));
}

/*
 * Bits 31:28: VMREAD/VMWRITE field-encoding register, or the INVEPT/INVVPID
 * register that holds the invalidation type.
 */
static inline unsigned int vmx_ii_reg2(u32 ii)
{
	return (ii >> 28) & 0xf;
}

/* 64-bit mode: IA-32e mode with a 64-bit code segment. */
static inline bool vmx_ctx_64bit(const struct vmx_operand_ctx *ctx)
{
	return ctx->long_mode && ctx->cs_l;
}

/*
 * VMREAD and VMWRITE ignore operand-size prefixes: their r/m operand is
 * 64 bits in 64-bit mode and 32 bits otherwise. The instruction
 * information has no operand-size field for VMX instructions.
 */
static inline unsigned int vmx_vmrw_operand_size(const struct vmx_operand_ctx *ctx)
{
	return vmx_ctx_64bit(ctx) ? 8 : 4;
}

#define VMX_OPERAND_MAX_SIZE	16	/* the INVEPT/INVVPID descriptor */

bool vmx_insn_allows_reg_operand(u32 exit_reason);
int vmx_decode_operand(const struct vmx_operand_ctx *ctx, unsigned int size,
		       bool write, struct vmx_operand *op);

#endif /* NVMX_NESTED_OPERAND_H */
