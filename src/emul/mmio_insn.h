/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding of the guest instruction that touched an emulated MMIO page.
 * An EPT violation reports the guest-physical address but neither the
 * size of the access nor the data, so the VMM decodes the instruction at
 * the guest's RIP (fetched through nvmx_gva_to_gpa()) to learn them, does
 * the access itself, and then advances RIP by the instruction's length.
 * Only the MOV forms that compilers emit for MMIO accessors are decoded
 * (Intel SDM Vol. 2, "Instruction Format", "MOV", "MOVZX", "MOVSX/MOVSXD").
 * Pure.
 */
#ifndef NVMX_EMUL_MMIO_INSN_H
#define NVMX_EMUL_MMIO_INSN_H

#include "../pure.h"

/* The architectural limit on the length of an instruction. */
#define NVMX_MMIO_INSN_MAX	15

/* How a load's data is extended to the destination register's width. */
#define NVMX_MMIO_EXT_NONE	0	/* same width: MOV */
#define NVMX_MMIO_EXT_ZERO	1	/* MOVZX */
#define NVMX_MMIO_EXT_SIGN	2	/* MOVSX, MOVSXD */

/**
 * struct nvmx_mmio_insn - a decoded MMIO instruction
 * @len: instruction length in bytes, prefixes included
 * @size: memory access size: 1, 2, 4 or 8
 * @write: the instruction stores to memory (else it loads)
 * @value: for a store: the @size bytes stored (zero-extended to 64 bits),
 *	   from the register or immediate, as the instruction truncates or
 *	   sign-extends it; 0 for a load
 * @reg: a load's destination GPR, or a register store's source GPR (0 for
 *	 an immediate): 0..15 in encoding order RAX, RCX, RDX, RBX, RSP, RBP,
 *	 RSI, RDI, R8..R15
 * @dst_size: for a load: bytes of the destination register written (1, 2,
 *	      4 or 8); 0 for a store
 * @ext: for a load: NVMX_MMIO_EXT_NONE, _ZERO or _SIGN
 * @high_byte: the destination or source is AH, CH, DH or BH (bits 15:8 of
 *	       @reg, which is then 0..3)
 */
struct nvmx_mmio_insn {
	u8 len;
	u8 size;
	bool write;
	u64 value;
	u8 reg;
	u8 dst_size;
	u8 ext;
	bool high_byte;
};

int nvmx_mmio_decode(const u8 *bytes, unsigned int n, unsigned int mode,
		     const u64 *gprs, struct nvmx_mmio_insn *out);
void nvmx_mmio_complete_load(u64 *gprs, const struct nvmx_mmio_insn *insn,
			     u64 data);

#endif /* NVMX_EMUL_MMIO_INSN_H */
