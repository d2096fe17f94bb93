// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding of the MOV instructions that guests use on MMIO, written from
 * the Intel SDM Vol. 2, "Instruction Format" (prefixes, REX, ModR/M, SIB,
 * displacement and immediate) and the instruction pages of MOV, MOVZX and
 * MOVSX/MOVSXD. Pure; see mmio_insn.h.
 *
 * The EPT violation already gives the guest-physical address, so the
 * decoder does not compute the effective address: it only needs the
 * length of the ModR/M, SIB and displacement bytes, and the register or
 * immediate on the other side. Segment overrides are skipped for the same
 * reason.
 *
 * Decoded: MOV 88, 89, 8A, 8B (memory operand), C6 /0, C7 /0, A0-A3
 * (moffs), MOVZX 0F B6/B7, MOVSX 0F BE/BF and, in 64-bit mode, MOVSXD 63
 * with a 32- or 64-bit operand size; prefixes 66, 67, 26, 2E, 36, 3E, 64,
 * 65 and REX. Everything else is -EOPNOTSUPP: other opcodes, register
 * operands (mod = 3, which cannot touch memory), LOCK and REP/REPNE (F0,
 * F2, F3: string instructions and locked read-modify-writes need more than
 * one access), VEX/EVEX, and anything longer than 15 bytes.
 */
#include "mmio_insn.h"

#define REX_W	BIT(3)
#define REX_R	BIT(2)

/**
 * struct mmio_dec - the decoder's state
 * @bytes: the instruction bytes
 * @n: how many there are, at most NVMX_MMIO_INSN_MAX
 * @pos: the next byte to decode
 * @mode: 16, 32 or 64
 * @opsize: a 66 prefix was seen
 * @adsize: a 67 prefix was seen
 * @rex: the REX prefix right before the opcode, or 0
 * @op_bytes: the operand size of non-byte forms: 2, 4 or 8
 * @ad_bytes: the address size: 2, 4 or 8
 */
struct mmio_dec {
	const u8 *bytes;
	unsigned int n;
	unsigned int pos;
	unsigned int mode;
	bool opsize;
	bool adsize;
	u8 rex;
	unsigned int op_bytes;
	unsigned int ad_bytes;
};

/* The low @size bytes of a 64-bit value. */
static u64 mmio_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : BIT_ULL(8 * size) - 1;
}

/* Sign-extend the low @bits bits of @v to 64, in unsigned arithmetic. */
static u64 mmio_sext(u64 v, unsigned int bits)
{
	u64 sign = BIT_ULL(bits - 1);

	v &= (sign << 1) - 1;
	return (v ^ sign) - sign;
}

/*
 * Are @k more bytes there? Past 15 bytes the instruction cannot exist (the
 * processor raises #GP), so more bytes would not help: -EOPNOTSUPP. Short
 * of that, the caller gave too few: -EINVAL.
 */
static int mmio_need(const struct mmio_dec *d, unsigned int k)
{
	if (d->pos + k > NVMX_MMIO_INSN_MAX)
		return -EOPNOTSUPP;
	return d->pos + k > d->n ? -EINVAL : 0;
}

/* Consume @k (at most 8) bytes, little-endian, into *@v. */
static int mmio_take(struct mmio_dec *d, unsigned int k, u64 *v)
{
	int err = mmio_need(d, k);
	unsigned int i;

	if (err)
		return err;
	*v = 0;
	for (i = 0; i < k; i++)
		*v |= (u64)d->bytes[d->pos + i] << (8 * i);
	d->pos += k;
	return 0;
}

/*
 * Legacy prefixes and REX. A REX prefix counts only right before the
 * opcode: one followed by another prefix is ignored, as the processor
 * ignores it. In 16- and 32-bit modes 40-4F are INC/DEC, not REX.
 */
static int mmio_prefixes(struct mmio_dec *d)
{
	for (;; d->pos++) {
		int err = mmio_need(d, 1);
		u8 b;

		if (err)
			return err;
		b = d->bytes[d->pos];
		switch (b) {
		case 0x66:
			d->opsize = true;
			break;
		case 0x67:
			d->adsize = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
			break;
		case 0xf0: case 0xf2: case 0xf3:
			return -EOPNOTSUPP;
		default:
			if (d->mode == 64 && (b & 0xf0) == 0x40) {
				d->rex = b;
				continue;
			}
			return 0;
		}
		d->rex = 0;
	}
}

/*
 * Operand size: 16 bits by default in 16-bit mode, else 32; 66 switches
 * between the two, and REX.W makes it 64 whatever 66 says. Address size:
 * 16 or 32 likewise with 67; in 64-bit mode 64, or 32 with 67.
 */
static void mmio_sizes(struct mmio_dec *d)
{
	bool wide = d->mode != 16;

	d->op_bytes = wide != d->opsize ? 4 : 2;
	if (d->rex & REX_W)
		d->op_bytes = 8;
	if (d->mode == 64)
		d->ad_bytes = d->adsize ? 4 : 8;
	else
		d->ad_bytes = wide != d->adsize ? 4 : 2;
}

/*
 * Consume a ModR/M byte that names memory, with its SIB byte and
 * displacement. 16-bit addressing: disp8 with mod 1, disp16 with mod 2 or
 * with mod 0 and r/m 6. 32/64-bit addressing: r/m 4 brings a SIB byte;
 * disp8 with mod 1, disp32 with mod 2, or with mod 0 and r/m 5 (RIP-
 * relative in 64-bit mode) or SIB base 5 (no base). REX.B does not change
 * these special cases, so the 3-bit fields are what matter.
 */
static int mmio_modrm(struct mmio_dec *d, u8 *modrm)
{
	unsigned int mod, rm, disp;
	u64 v;
	int err;

	err = mmio_take(d, 1, &v);
	if (err)
		return err;
	*modrm = v;
	mod = *modrm >> 6;
	rm = *modrm & 7;
	if (mod == 3)
		return -EOPNOTSUPP;
	if (d->ad_bytes == 2) {
		disp = mod == 1 ? 1 : (mod == 2 || rm == 6) ? 2 : 0;
	} else {
		if (rm == 4) {
			err = mmio_take(d, 1, &v);
			if (err)
				return err;
			rm = v & 7;	/* the SIB base */
		}
		disp = mod == 1 ? 1 : (mod == 2 || rm == 5) ? 4 : 0;
	}
	return mmio_take(d, disp, &v);
}

/*
 * The register of a ModR/M reg field, @size bytes wide. Without any REX
 * prefix, byte registers 4-7 are AH, CH, DH and BH; with one (even 40),
 * they are SPL, BPL, SIL and DIL.
 */
static void mmio_reg(const struct mmio_dec *d, u8 modrm, unsigned int size,
		     struct nvmx_mmio_insn *out)
{
	unsigned int reg = ((modrm >> 3) & 7) | ((d->rex & REX_R) ? 8 : 0);

	out->high_byte = size == 1 && !d->rex && reg >= 4;
	out->reg = out->high_byte ? reg - 4 : reg;
}

/* A store of register out->reg: what is written to memory. */
static void mmio_store_reg(const u64 *gprs, struct nvmx_mmio_insn *out)
{
	u64 v = gprs[out->reg];

	if (out->high_byte)
		v >>= 8;
	out->write = true;
	out->value = v & mmio_mask(out->size);
}

/* MOV 88 (r/m8, r8), 89 (r/m, r), 8A (r8, r/m8), 8B (r, r/m). */
static int mmio_mov(struct mmio_dec *d, u8 op, const u64 *gprs,
		    struct nvmx_mmio_insn *out)
{
	u8 modrm;
	int err;

	err = mmio_modrm(d, &modrm);
	if (err)
		return err;
	out->size = (op & 1) ? d->op_bytes : 1;
	mmio_reg(d, modrm, out->size, out);
	if (op & 2)
		out->dst_size = out->size;
	else
		mmio_store_reg(gprs, out);
	return 0;
}

/*
 * MOV C6 /0 ib and C7 /0 iw/id. The immediate follows the displacement;
 * with REX.W it is still 32 bits, sign-extended to 64. Other reg fields
 * are XABORT/XBEGIN (with mod = 3) or #UD.
 */
static int mmio_mov_imm(struct mmio_dec *d, u8 op, struct nvmx_mmio_insn *out)
{
	unsigned int size = (op & 1) ? d->op_bytes : 1;
	u8 modrm;
	u64 imm;
	int err;

	err = mmio_modrm(d, &modrm);
	if (err)
		return err;
	if ((modrm >> 3) & 7)
		return -EOPNOTSUPP;
	err = mmio_take(d, size == 8 ? 4 : size, &imm);
	if (err)
		return err;
	out->size = size;
	out->write = true;
	out->value = size == 8 ? mmio_sext(imm, 32) : imm;
	return 0;
}

/*
 * MOV A0 (AL, moffs8), A1 (rAX, moffs), A2 (moffs8, AL), A3 (moffs, rAX):
 * no ModR/M; the offset is as wide as the address size. Always rAX: REX.B
 * does not apply.
 */
static int mmio_moffs(struct mmio_dec *d, u8 op, const u64 *gprs,
		      struct nvmx_mmio_insn *out)
{
	u64 offset;
	int err;

	err = mmio_take(d, d->ad_bytes, &offset);
	if (err)
		return err;
	out->size = (op & 1) ? d->op_bytes : 1;
	out->reg = 0;
	if (op & 2)
		mmio_store_reg(gprs, out);
	else
		out->dst_size = out->size;
	return 0;
}

/*
 * MOVZX 0F B6/B7, MOVSX 0F BE/BF: a byte (B6, BE) or word (B7, BF) load
 * extended to the operand size. The destination is never a byte register.
 */
static int mmio_0f(struct mmio_dec *d, struct nvmx_mmio_insn *out)
{
	u8 op, modrm;
	u64 v;
	int err;

	err = mmio_take(d, 1, &v);
	if (err)
		return err;
	op = v;
	if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
		return -EOPNOTSUPP;
	err = mmio_modrm(d, &modrm);
	if (err)
		return err;
	out->size = (op & 1) ? 2 : 1;
	out->ext = (op & 8) ? NVMX_MMIO_EXT_SIGN : NVMX_MMIO_EXT_ZERO;
	out->dst_size = d->op_bytes;
	mmio_reg(d, modrm, out->dst_size, out);
	return 0;
}

/*
 * MOVSXD 63 (64-bit mode only; elsewhere it is ARPL): with REX.W a
 * doubleword sign-extended to 64 bits; without it a plain 32-bit load. The
 * 16-bit operand-size form is left out: vendors do not agree on it.
 */
static int mmio_movsxd(struct mmio_dec *d, struct nvmx_mmio_insn *out)
{
	u8 modrm;
	int err;

	if (d->mode != 64 || d->op_bytes == 2)
		return -EOPNOTSUPP;
	err = mmio_modrm(d, &modrm);
	if (err)
		return err;
	out->size = 4;
	out->dst_size = d->op_bytes;
	if (d->op_bytes == 8)
		out->ext = NVMX_MMIO_EXT_SIGN;
	mmio_reg(d, modrm, out->dst_size, out);
	return 0;
}

/* The opcode and what follows it. */
static int mmio_opcode(struct mmio_dec *d, const u64 *gprs,
		       struct nvmx_mmio_insn *out)
{
	u64 v;
	u8 op;
	int err;

	err = mmio_take(d, 1, &v);
	if (err)
		return err;
	op = v;
	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		return mmio_mov(d, op, gprs, out);
	case 0xc6: case 0xc7:
		return mmio_mov_imm(d, op, out);
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		return mmio_moffs(d, op, gprs, out);
	case 0x0f:
		return mmio_0f(d, out);
	case 0x63:
		return mmio_movsxd(d, out);
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * nvmx_mmio_decode() - decode the instruction that touched MMIO
 * @bytes: the instruction bytes at the guest's RIP
 * @n: how many of them were fetched; only the first 15 are looked at
 * @mode: 16, 32 or 64: the default operand and address size of the code
 *	  segment (CS.D), or 64 for a 64-bit code segment (CS.L in IA-32e
 *	  mode)
 * @gprs: the guest's 16 GPRs in encoding order; read only for stores
 * @out: the decoded instruction, all of it (re)written
 *
 * Return: 0; -EINVAL: @mode is not 16, 32 or 64, or the instruction is
 * longer than @n bytes (fetch more and retry); -EOPNOTSUPP: not an
 * instruction that this decoder handles (see the top of mmio_insn.c) or
 * more than 15 bytes long.
 */
int nvmx_mmio_decode(const u8 *bytes, unsigned int n, unsigned int mode,
		     const u64 *gprs, struct nvmx_mmio_insn *out)
{
	struct mmio_dec d = {
		.bytes = bytes,
		.n = n < NVMX_MMIO_INSN_MAX ? n : NVMX_MMIO_INSN_MAX,
		.mode = mode,
	};
	int err;

	memset(out, 0, sizeof(*out));
	if (mode != 16 && mode != 32 && mode != 64)
		return -EINVAL;
	err = mmio_prefixes(&d);
	if (err)
		return err;
	mmio_sizes(&d);
	err = mmio_opcode(&d, gprs, out);
	if (err) {
		memset(out, 0, sizeof(*out));
		return err;
	}
	out->len = d.pos;
	return 0;
}

/**
 * nvmx_mmio_complete_load() - write a load's data to its register
 * @gprs: the guest's 16 GPRs in encoding order
 * @insn: a load decoded by nvmx_mmio_decode(); a store changes nothing
 * @data: the @insn->size bytes read (higher bits are ignored)
 *
 * As the instruction does architecturally: the data is zero- or
 * sign-extended as @insn->ext says, a 4-byte destination is zero-extended
 * into the full 64-bit register, and 1- or 2-byte ones are merged into the
 * register's old value (bits 15:8 for AH, CH, DH and BH).
 */
void nvmx_mmio_complete_load(u64 *gprs, const struct nvmx_mmio_insn *insn,
			     u64 data)
{
	u64 v = data & mmio_mask(insn->size);
	unsigned int shift = insn->high_byte ? 8 : 0;
	u64 *r;

	if (insn->write || insn->reg > 15 || !insn->size)
		return;
	r = &gprs[insn->reg];
	if (insn->ext == NVMX_MMIO_EXT_SIGN && insn->size < 8)
		v = mmio_sext(v, 8 * insn->size);
	switch (insn->dst_size) {
	case 8:
		*r = v;
		break;
	case 4:
		*r = v & 0xffffffffULL;
		break;
	case 2:
		*r = (*r & ~0xffffULL) | (v & 0xffff);
		break;
	case 1:
		*r = (*r & ~(0xffULL << shift)) | (v & 0xff) << shift;
		break;
	}
}
