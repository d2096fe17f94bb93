// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the MMIO instruction decoder (src/emul/mmio_insn.c), on
 * real encodings: MOV to and from memory with every operand size, byte
 * registers with and without REX, immediates, moffs, MOVZX, MOVSX,
 * MOVSXD, the lengths of all ModR/M, SIB and displacement forms in 16-,
 * 32- and 64-bit modes, prefixes, what is refused, truncated input, and
 * the register write-back of loads.
 */
#include <stdlib.h>
#include "kselftest_harness.h"
#include "../../src/emul/mmio_insn.h"

#define RAX 0
#define RCX 1
#define RDX 2
#define RBX 3
#define RSP 4
#define RSI 6
#define RDI 7
#define R8 8
#define R15 15

/*
 * Register i holds bytes 0x10+i, 0x20+i, ... 0x80+i from the lowest up:
 * RAX = 0x8070605040302010, AH = 0x20, SIL = 0x16, R8D = 0x48382818.
 */
static const u64 gprs[16] = {
#define G(i) (0x8070605040302010ULL + (i) * 0x0101010101010101ULL)
	G(0), G(1), G(2), G(3), G(4), G(5), G(6), G(7),
	G(8), G(9), G(10), G(11), G(12), G(13), G(14), G(15),
#undef G
};

/*
 * Decode @n bytes copied to a buffer of exactly that size, so that ASan
 * catches any read past them.
 */
static int decode_n(unsigned int mode, const u8 *b, unsigned int n,
		    struct nvmx_mmio_insn *out)
{
	u8 *copy = malloc(n ? n : 1);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, b, n);
	ret = nvmx_mmio_decode(copy, n, mode, gprs, out);
	free(copy);
	return ret;
}

/* Decode the bytes, and check that every shorter prefix is -EINVAL. */
static int decode(unsigned int mode, const u8 *b, unsigned int n,
		  struct nvmx_mmio_insn *out)
{
	struct nvmx_mmio_insn tmp;
	int ret = decode_n(mode, b, n, out);
	unsigned int k;

	if (ret)
		return ret;
	for (k = 0; k < out->len; k++)
		if (decode_n(mode, b, k, &tmp) != -EINVAL)
			return -1000 - k;
	return 0;
}

#define BYTES(...)	((const u8[]){ __VA_ARGS__ })
#define NBYTES(...)	sizeof((const u8[]){ __VA_ARGS__ })
#define DECODE(mode, out, ...) \
	decode(mode, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__), out)

/* The decoded @i is a store of @v, @s bytes, by an instruction of @l bytes. */
#define EXPECT_STORE(l, s, v) do {					\
		EXPECT_EQ(l, (i).len);					\
		EXPECT_EQ(s, (i).size);					\
		EXPECT_TRUE((i).write);					\
		EXPECT_EQ(v, (i).value);				\
		EXPECT_EQ(0, (i).dst_size);				\
	} while (0)

/* @i is a load of @s bytes into @dst bytes of register @r, extended by @x. */
#define EXPECT_LOAD(l, s, r, dst, x) do {				\
		EXPECT_EQ(l, (i).len);					\
		EXPECT_EQ(s, (i).size);					\
		EXPECT_FALSE((i).write);				\
		EXPECT_EQ(0, (i).value);				\
		EXPECT_EQ(r, (i).reg);					\
		EXPECT_EQ(dst, (i).dst_size);				\
		EXPECT_EQ(NVMX_MMIO_EXT_##x, (i).ext);			\
	} while (0)

TEST(register_stores_64)
{
	struct nvmx_mmio_insn i;

	/* mov %eax,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0x89, 0x07));
	EXPECT_STORE(2, 4, 0x40302010ULL);
	EXPECT_EQ(RAX, i.reg);
	EXPECT_FALSE(i.high_byte);
	/* mov %rax,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0x89, 0x07));
	EXPECT_STORE(3, 8, gprs[RAX]);
	/* mov %ax,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0x66, 0x89, 0x07));
	EXPECT_STORE(3, 2, 0x2010ULL);
	/* mov %r8d,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0x44, 0x89, 0x07));
	EXPECT_STORE(3, 4, 0x48382818ULL);
	EXPECT_EQ(R8, i.reg);
	/* mov %r15,(%rdi): REX.W and REX.R */
	ASSERT_EQ(0, DECODE(64, &i, 0x4c, 0x89, 0x3f));
	EXPECT_STORE(3, 8, gprs[R15]);
	/* REX.W wins over 66. */
	ASSERT_EQ(0, DECODE(64, &i, 0x66, 0x48, 0x89, 0x07));
	EXPECT_STORE(4, 8, gprs[RAX]);
}

TEST(byte_register_stores)
{
	struct nvmx_mmio_insn i;

	/* mov %ah,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0x88, 0x27));
	EXPECT_STORE(2, 1, 0x20ULL);
	EXPECT_EQ(RAX, i.reg);
	EXPECT_TRUE(i.high_byte);
	/* mov %dh,(%rdi), mov %bh,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0x88, 0x37));
	EXPECT_STORE(2, 1, 0x22ULL);
	EXPECT_EQ(RDX, i.reg);
	EXPECT_TRUE(i.high_byte);
	ASSERT_EQ(0, DECODE(32, &i, 0x88, 0x3f));
	EXPECT_STORE(2, 1, 0x23ULL);
	EXPECT_EQ(RBX, i.reg);
	/* mov %sil,(%rdi): with any REX, 4-7 are SPL..DIL. */
	ASSERT_EQ(0, DECODE(64, &i, 0x40, 0x88, 0x37));
	EXPECT_STORE(3, 1, 0x16ULL);
	EXPECT_EQ(RSI, i.reg);
	EXPECT_FALSE(i.high_byte);
	/* mov %spl,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0x40, 0x88, 0x27));
	EXPECT_STORE(3, 1, 0x14ULL);
	EXPECT_EQ(RSP, i.reg);
	/* mov %cl,(%rdi) and mov %r15b,(%rdi); 66 and REX.W do not apply. */
	ASSERT_EQ(0, DECODE(64, &i, 0x66, 0x88, 0x0f));
	EXPECT_STORE(3, 1, 0x11ULL);
	ASSERT_EQ(0, DECODE(64, &i, 0x4c, 0x88, 0x3f));
	EXPECT_STORE(3, 1, 0x1fULL);
	EXPECT_EQ(R15, i.reg);
}

TEST(immediate_stores)
{
	struct nvmx_mmio_insn i;

	/* movl $0x12345678,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12));
	EXPECT_STORE(6, 4, 0x12345678ULL);
	EXPECT_EQ(0, i.reg);
	/* movq $-1,(%rdi): imm32 sign-extended */
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff));
	EXPECT_STORE(7, 8, ~0ULL);
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x80));
	EXPECT_STORE(7, 8, 0xffffffff80000000ULL);
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0x7f));
	EXPECT_STORE(7, 8, 0x7fffffffULL);
	/* movl $0x80000000,(%rdi): no sign extension into 64 bits */
	ASSERT_EQ(0, DECODE(64, &i, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x80));
	EXPECT_STORE(6, 4, 0x80000000ULL);
	/* movw $0x1234,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0x66, 0xc7, 0x07, 0x34, 0x12));
	EXPECT_STORE(5, 2, 0x1234ULL);
	/* movb $0xab,(%rdi) */
	ASSERT_EQ(0, DECODE(64, &i, 0xc6, 0x07, 0xab));
	EXPECT_STORE(3, 1, 0xabULL);
	/* movl $1,0x10(%rbx,%rcx,4): the immediate after SIB and disp8 */
	ASSERT_EQ(0, DECODE(64, &i, 0xc7, 0x44, 0x8b, 0x10, 1, 0, 0, 0));
	EXPECT_STORE(8, 4, 1ULL);
	/* movl $0xfee00000,0x100(%rip) */
	ASSERT_EQ(0, DECODE(64, &i, 0xc7, 0x05, 0x00, 0x01, 0x00, 0x00,
			    0x00, 0x00, 0xe0, 0xfe));
	EXPECT_STORE(10, 4, 0xfee00000ULL);
	/* 16-bit mode: movw $0x1234,(%bx); 66: movl */
	ASSERT_EQ(0, DECODE(16, &i, 0xc7, 0x07, 0x34, 0x12));
	EXPECT_STORE(4, 2, 0x1234ULL);
	ASSERT_EQ(0, DECODE(16, &i, 0x66, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12));
	EXPECT_STORE(7, 4, 0x12345678ULL);
}

TEST(register_loads)
{
	struct nvmx_mmio_insn i;

	/* mov 0xfee000b0,%eax: SIB with no base and no index, disp32 */
	ASSERT_EQ(0, DECODE(64, &i, 0x8b, 0x04, 0x25, 0x00, 0x00, 0xe0, 0xfe));
	EXPECT_LOAD(7, 4, RAX, 4, NONE);
	/* mov 0x10(%rip),%eax */
	ASSERT_EQ(0, DECODE(64, &i, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00));
	EXPECT_LOAD(6, 4, RAX, 4, NONE);
	/* mov (%rdi),%rax; mov (%rdi),%r15; mov (%rdi),%cx */
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0x8b, 0x07));
	EXPECT_LOAD(3, 8, RAX, 8, NONE);
	ASSERT_EQ(0, DECODE(64, &i, 0x4c, 0x8b, 0x3f));
	EXPECT_LOAD(3, 8, R15, 8, NONE);
	ASSERT_EQ(0, DECODE(64, &i, 0x66, 0x8b, 0x0f));
	EXPECT_LOAD(3, 2, RCX, 2, NONE);
	/* mov (%rdi),%al; mov (%rdi),%ah; mov (%rdi),%spl */
	ASSERT_EQ(0, DECODE(64, &i, 0x8a, 0x07));
	EXPECT_LOAD(2, 1, RAX, 1, NONE);
	EXPECT_FALSE(i.high_byte);
	ASSERT_EQ(0, DECODE(64, &i, 0x8a, 0x27));
	EXPECT_LOAD(2, 1, RAX, 1, NONE);
	EXPECT_TRUE(i.high_byte);
	ASSERT_EQ(0, DECODE(64, &i, 0x40, 0x8a, 0x27));
	EXPECT_LOAD(3, 1, RSP, 1, NONE);
	EXPECT_FALSE(i.high_byte);
}

TEST(movzx_movsx_movsxd)
{
	struct nvmx_mmio_insn i;

	/* movzbl (%rdi),%eax; movzbq; movzbw; movzwl; movzbl into %r8d */
	ASSERT_EQ(0, DECODE(64, &i, 0x0f, 0xb6, 0x07));
	EXPECT_LOAD(3, 1, RAX, 4, ZERO);
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0x0f, 0xb6, 0x07));
	EXPECT_LOAD(4, 1, RAX, 8, ZERO);
	ASSERT_EQ(0, DECODE(64, &i, 0x66, 0x0f, 0xb6, 0x07));
	EXPECT_LOAD(4, 1, RAX, 2, ZERO);
	ASSERT_EQ(0, DECODE(64, &i, 0x0f, 0xb7, 0x07));
	EXPECT_LOAD(3, 2, RAX, 4, ZERO);
	ASSERT_EQ(0, DECODE(64, &i, 0x44, 0x0f, 0xb6, 0x07));
	EXPECT_LOAD(4, 1, R8, 4, ZERO);
	/* No REX: reg 4 is %esp, not a high byte, for a wide destination. */
	ASSERT_EQ(0, DECODE(64, &i, 0x0f, 0xb6, 0x27));
	EXPECT_LOAD(3, 1, RSP, 4, ZERO);
	EXPECT_FALSE(i.high_byte);
	/* movsbl, movswq, movsbw */
	ASSERT_EQ(0, DECODE(64, &i, 0x0f, 0xbe, 0x07));
	EXPECT_LOAD(3, 1, RAX, 4, SIGN);
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0x0f, 0xbf, 0x07));
	EXPECT_LOAD(4, 2, RAX, 8, SIGN);
	ASSERT_EQ(0, DECODE(32, &i, 0x66, 0x0f, 0xbe, 0x0f));
	EXPECT_LOAD(4, 1, RCX, 2, SIGN);
	/* movslq (%rdi),%rax; movslq (%rdi),%r8; 63 without REX.W */
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0x63, 0x07));
	EXPECT_LOAD(3, 4, RAX, 8, SIGN);
	ASSERT_EQ(0, DECODE(64, &i, 0x4c, 0x63, 0x07));
	EXPECT_LOAD(3, 4, R8, 8, SIGN);
	ASSERT_EQ(0, DECODE(64, &i, 0x63, 0x07));
	EXPECT_LOAD(2, 4, RAX, 4, NONE);
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x66, 0x63, 0x07));
	/* 63 is ARPL outside 64-bit mode. */
	EXPECT_EQ(-EOPNOTSUPP, DECODE(32, &i, 0x63, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(16, &i, 0x63, 0x07));
}

TEST(moffs_forms)
{
	struct nvmx_mmio_insn i;

	/* movabs 0xfee00030,%eax: 8-byte offset in 64-bit mode */
	ASSERT_EQ(0, DECODE(64, &i, 0xa1, 0x30, 0x00, 0xe0, 0xfe, 0, 0, 0, 0));
	EXPECT_LOAD(9, 4, RAX, 4, NONE);
	/* movabs %rax,0xfee00030 */
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0xa3, 0x30, 0x00, 0xe0, 0xfe,
			    0, 0, 0, 0));
	EXPECT_STORE(10, 8, gprs[RAX]);
	/* movabs 0x...,%al and %al,0x...; REX.B does not pick another reg */
	ASSERT_EQ(0, DECODE(64, &i, 0xa0, 1, 2, 3, 4, 5, 6, 7, 8));
	EXPECT_LOAD(9, 1, RAX, 1, NONE);
	ASSERT_EQ(0, DECODE(64, &i, 0x41, 0xa2, 1, 2, 3, 4, 5, 6, 7, 8));
	EXPECT_STORE(10, 1, 0x10ULL);
	EXPECT_EQ(RAX, i.reg);
	/* 67 in 64-bit mode: a 4-byte offset */
	ASSERT_EQ(0, DECODE(64, &i, 0x67, 0xa1, 0x30, 0x00, 0xe0, 0xfe));
	EXPECT_LOAD(6, 4, RAX, 4, NONE);
	/* 32-bit mode: 4 bytes; with 67, 2; 66: a word store */
	ASSERT_EQ(0, DECODE(32, &i, 0xa1, 0x30, 0x00, 0xe0, 0xfe));
	EXPECT_LOAD(5, 4, RAX, 4, NONE);
	ASSERT_EQ(0, DECODE(32, &i, 0x67, 0xa1, 0x30, 0x00));
	EXPECT_LOAD(4, 4, RAX, 4, NONE);
	ASSERT_EQ(0, DECODE(32, &i, 0x66, 0xa3, 0x30, 0x00, 0xe0, 0xfe));
	EXPECT_STORE(6, 2, 0x2010ULL);
	/* 16-bit mode: 2 bytes, word operand; with 67, 4 bytes */
	ASSERT_EQ(0, DECODE(16, &i, 0xa1, 0x30, 0x00));
	EXPECT_LOAD(3, 2, RAX, 2, NONE);
	ASSERT_EQ(0, DECODE(16, &i, 0x67, 0xa0, 0x30, 0x00, 0x0b, 0x00));
	EXPECT_LOAD(6, 1, RAX, 1, NONE);
}

/* The length of "89 <modrm> ..." (mov %reg,mem) in @mode. */
struct len_case {
	unsigned int mode;
	u8 bytes[12];
	unsigned int n;
	unsigned int len;
};

static const struct len_case len_cases[] = {
	/* 32/64-bit addressing */
	{ 64, { 0x89, 0x07 }, 2, 2 },			/* (%rdi) */
	{ 64, { 0x89, 0x47, 0x08 }, 3, 3 },		/* 8(%rdi) */
	{ 64, { 0x89, 0x87, 0, 1, 0, 0 }, 6, 6 },	/* 0x100(%rdi) */
	{ 64, { 0x89, 0x04, 0x24 }, 3, 3 },		/* (%rsp) */
	{ 64, { 0x89, 0x44, 0x24, 0x08 }, 4, 4 },	/* 8(%rsp) */
	{ 64, { 0x89, 0x84, 0x24, 0, 1, 0, 0 }, 7, 7 },	/* 0x100(%rsp) */
	{ 64, { 0x89, 0x04, 0x8b }, 3, 3 },		/* (%rbx,%rcx,4) */
	{ 64, { 0x89, 0x04, 0xcd, 0, 0, 0, 0 }, 7, 7 },	/* 0(,%rcx,8) */
	{ 64, { 0x89, 0x44, 0x25, 0x08 }, 4, 4 },	/* 8(%rbp,%riz) */
	{ 64, { 0x89, 0x45, 0x00 }, 3, 3 },		/* 0(%rbp) */
	{ 64, { 0x41, 0x89, 0x45, 0x00 }, 4, 4 },	/* 0(%r13) */
	{ 64, { 0x41, 0x89, 0x04, 0x24 }, 4, 4 },	/* (%r12) */
	{ 64, { 0x41, 0x89, 0x04, 0x25, 0, 0, 0, 0 }, 8, 8 }, /* no base */
	{ 64, { 0x41, 0x89, 0x07 }, 3, 3 },		/* (%r15) */
	{ 64, { 0x67, 0x89, 0x07 }, 3, 3 },		/* (%edi) */
	{ 64, { 0x67, 0x89, 0x05, 0, 0, 0, 0 }, 7, 7 },	/* (%eip) */
	{ 32, { 0x89, 0x05, 0, 0x10, 0, 0 }, 6, 6 },	/* absolute disp32 */
	{ 32, { 0x89, 0x44, 0x24, 0x08 }, 4, 4 },
	/* 16-bit addressing, in 16-bit mode or with 67 in 32-bit mode */
	{ 16, { 0x89, 0x07 }, 2, 2 },			/* (%bx) */
	{ 16, { 0x89, 0x00 }, 2, 2 },			/* (%bx,%si) */
	{ 16, { 0x89, 0x04 }, 2, 2 },			/* (%si): no SIB */
	{ 16, { 0x89, 0x05 }, 2, 2 },			/* (%di) */
	{ 16, { 0x89, 0x06, 0x34, 0x12 }, 4, 4 },	/* 0x1234 */
	{ 16, { 0x89, 0x46, 0x00 }, 3, 3 },		/* 0(%bp) */
	{ 16, { 0x89, 0x47, 0x10 }, 3, 3 },		/* 0x10(%bx) */
	{ 16, { 0x89, 0x87, 0x34, 0x12 }, 4, 4 },	/* 0x1234(%bx) */
	{ 32, { 0x67, 0x89, 0x06, 0x34, 0x12 }, 5, 5 },
	{ 32, { 0x67, 0x89, 0x04 }, 3, 3 },
	/* 32-bit addressing with 67 in 16-bit mode: SIB and disp32 */
	{ 16, { 0x67, 0x89, 0x04, 0x25, 0, 0, 0, 0 }, 8, 8 },
	{ 16, { 0x67, 0x89, 0x05, 0, 0, 0, 0 }, 7, 7 },
	/* segment overrides are skipped */
	{ 64, { 0x2e, 0x89, 0x07 }, 3, 3 },
	{ 64, { 0x64, 0x48, 0x89, 0x07 }, 4, 4 },
	{ 64, { 0x65, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0 }, 8, 8 },
	{ 32, { 0x26, 0x36, 0x3e, 0x89, 0x07 }, 5, 5 },
	/* extra bytes after the instruction are not part of it */
	{ 64, { 0x89, 0x07, 0x90, 0x90, 0x90 }, 5, 2 },
};

TEST(lengths_of_all_addressing_forms)
{
	struct nvmx_mmio_insn i;
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(len_cases); c++) {
		const struct len_case *lc = &len_cases[c];

		EXPECT_EQ(0, decode(lc->mode, lc->bytes, lc->n, &i))
			TH_LOG("case %u", c);
		EXPECT_EQ(lc->len, i.len) TH_LOG("case %u", c);
	}
}

TEST(operand_size_in_16_and_32_bit_modes)
{
	struct nvmx_mmio_insn i;

	/* 16-bit mode: mov %ax,(%bx); 66: mov %eax,(%bx) */
	ASSERT_EQ(0, DECODE(16, &i, 0x89, 0x07));
	EXPECT_STORE(2, 2, 0x2010ULL);
	ASSERT_EQ(0, DECODE(16, &i, 0x66, 0x89, 0x07));
	EXPECT_STORE(3, 4, 0x40302010ULL);
	ASSERT_EQ(0, DECODE(16, &i, 0x8b, 0x1f));
	EXPECT_LOAD(2, 2, RBX, 2, NONE);
	ASSERT_EQ(0, DECODE(16, &i, 0x88, 0x27));
	EXPECT_STORE(2, 1, 0x20ULL);
	EXPECT_TRUE(i.high_byte);
	/* 32-bit mode: 32 bits; 66: 16 */
	ASSERT_EQ(0, DECODE(32, &i, 0x89, 0x07));
	EXPECT_STORE(2, 4, 0x40302010ULL);
	ASSERT_EQ(0, DECODE(32, &i, 0x66, 0x89, 0x07));
	EXPECT_STORE(3, 2, 0x2010ULL);
	/* 40-4F are INC/DEC outside 64-bit mode. */
	EXPECT_EQ(-EOPNOTSUPP, DECODE(32, &i, 0x48, 0x89, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(16, &i, 0x40, 0x88, 0x37));
}

TEST(rex_counts_only_right_before_the_opcode)
{
	struct nvmx_mmio_insn i;

	/* 48 then 66: the REX is ignored, a 16-bit store */
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0x66, 0x89, 0x07));
	EXPECT_STORE(4, 2, 0x2010ULL);
	/* 40 then 2e: no REX, so reg 4 is AH */
	ASSERT_EQ(0, DECODE(64, &i, 0x40, 0x2e, 0x88, 0x27));
	EXPECT_STORE(4, 1, 0x20ULL);
	EXPECT_TRUE(i.high_byte);
	/* 44 then 48: only the 48 counts, no REX.R */
	ASSERT_EQ(0, DECODE(64, &i, 0x44, 0x48, 0x89, 0x07));
	EXPECT_STORE(4, 8, gprs[RAX]);
	EXPECT_EQ(RAX, i.reg);
}

TEST(unsupported_instructions)
{
	struct nvmx_mmio_insn i;

	/* lock, rep, repne */
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xf0, 0x89, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xf3, 0x89, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xf2, 0x89, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xf3, 0xa5));	/* rep movsl */
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x66, 0xf3, 0xab));
	/* register operands: no memory access */
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x89, 0xc0));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x8b, 0xc8));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xc6, 0xc0, 0x12));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x0f, 0xb6, 0xc0));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x48, 0x63, 0xc0));
	/* C6/C7 with a reg field other than 0 */
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xc6, 0x0f, 0x12));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xc7, 0x3f, 0, 0, 0, 0));
	/* other opcodes: add, inc, lea, xchg, movs, movnti, movups, VEX */
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x01, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xff, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x8d, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x87, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xa5));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x0f, 0xc3, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0x0f, 0x10, 0x07));
	EXPECT_EQ(-EOPNOTSUPP, DECODE(64, &i, 0xc5, 0xf8, 0x10, 0x07));
	/* the failed decode leaves nothing behind */
	EXPECT_EQ(0, i.len);
	EXPECT_EQ(0, i.size);
}

TEST(short_long_and_bad_input)
{
	u8 b[20];
	struct nvmx_mmio_insn i;

	/* Nothing, or a lone prefix: more bytes needed. */
	EXPECT_EQ(-EINVAL, nvmx_mmio_decode(b, 0, 64, gprs, &i));
	EXPECT_EQ(-EINVAL, DECODE(64, &i, 0x66, 0x48));
	EXPECT_EQ(-EINVAL, DECODE(64, &i, 0xc7, 0x07, 0x78, 0x56, 0x34));
	/* 13 prefixes + 89 07: 15 bytes, fine; 14: too long to exist. */
	memset(b, 0x2e, sizeof(b));
	b[13] = 0x89;
	b[14] = 0x07;
	ASSERT_EQ(0, decode(64, b, 15, &i));
	EXPECT_EQ(15, i.len);
	EXPECT_EQ(0, nvmx_mmio_decode(b, sizeof(b), 64, gprs, &i));
	EXPECT_EQ(15, i.len);
	memset(b, 0x2e, sizeof(b));
	b[14] = 0x89;
	b[15] = 0x07;
	EXPECT_EQ(-EOPNOTSUPP, nvmx_mmio_decode(b, sizeof(b), 64, gprs, &i));
	EXPECT_EQ(-EINVAL, nvmx_mmio_decode(b, 14, 64, gprs, &i));
	/* A 16-byte movabs store with one prefix too many. */
	memset(b, 0, sizeof(b));
	memcpy(b, BYTES(0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x48, 0xa3), 8);
	EXPECT_EQ(-EOPNOTSUPP, nvmx_mmio_decode(b, sizeof(b), 64, gprs, &i));
	/* Bad modes. */
	EXPECT_EQ(-EINVAL, DECODE(8, &i, 0x89, 0x07));
	EXPECT_EQ(-EINVAL, DECODE(0, &i, 0x89, 0x07));
}

/* Decode @b as a load into a register of @regs, then complete it with @data. */
static u64 load(unsigned int mode, const u8 *b, unsigned int n, u64 *regs,
		u64 data)
{
	struct nvmx_mmio_insn i;

	if (decode(mode, b, n, &i) || i.write)
		abort();
	nvmx_mmio_complete_load(regs, &i, data);
	return regs[i.reg];
}

#define LOAD(mode, regs, data, ...) \
	load(mode, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__), regs, data)

TEST(completing_loads)
{
	u64 r[16];

	memcpy(r, gprs, sizeof(r));
	/* 32-bit destinations zero-extend; higher data bits are dropped. */
	EXPECT_EQ(0x87654321ULL, LOAD(64, r, 0xdead87654321ULL, 0x8b, 0x07));
	EXPECT_EQ(0xfedcba9876543210ULL,
		  LOAD(64, r, 0xfedcba9876543210ULL, 0x48, 0x8b, 0x07));
	/* 16- and 8-bit ones merge. */
	EXPECT_EQ(0x8171615141311234ULL,
		  LOAD(64, r, 0xab1234, 0x66, 0x8b, 0x0f));
	EXPECT_EQ(0x8171615141311299ULL, LOAD(64, r, 0x99, 0x8a, 0x0f));
	/* mov (%rdi),%ch: bits 15:8 */
	EXPECT_EQ(0x8171615141319999ULL, LOAD(64, r, 0x99, 0x8a, 0x2f));
	/* mov (%rdi),%sil */
	EXPECT_EQ(0x86766656463626aaULL, LOAD(64, r, 0xaa, 0x40, 0x8a, 0x37));
	EXPECT_EQ(0x8070605040302010ULL + 3 * 0x0101010101010101ULL,
		  r[RBX]);
	/* movzbl, movzbw, movzbq */
	EXPECT_EQ(0x80ULL, LOAD(64, r, 0xff80, 0x0f, 0xb6, 0x1f));
	r[RDX] = ~0ULL;
	EXPECT_EQ(0xffffffffffff0080ULL, LOAD(64, r, 0x80, 0x66, 0x0f, 0xb6, 0x17));
	r[RDX] = ~0ULL;
	EXPECT_EQ(0x80ULL, LOAD(64, r, 0x80, 0x48, 0x0f, 0xb6, 0x17));
	EXPECT_EQ(0xffffULL, LOAD(64, r, 0xffff, 0x0f, 0xb7, 0x17));
	/* movsbl, movsbq, movswl, movsbw */
	EXPECT_EQ(0xffffff80ULL, LOAD(64, r, 0x80, 0x0f, 0xbe, 0x17));
	EXPECT_EQ(0x7fULL, LOAD(64, r, 0x7f, 0x0f, 0xbe, 0x17));
	EXPECT_EQ(~0x7fULL, LOAD(64, r, 0x80, 0x48, 0x0f, 0xbe, 0x17));
	EXPECT_EQ(0xffff8000ULL, LOAD(64, r, 0x8000, 0x0f, 0xbf, 0x17));
	r[RDX] = 0x1111111111111111ULL;
	EXPECT_EQ(0x111111111111ff80ULL,
		  LOAD(64, r, 0x80, 0x66, 0x0f, 0xbe, 0x17));
	/* movslq and 63 without REX.W */
	EXPECT_EQ(0xffffffff80000000ULL,
		  LOAD(64, r, 0x80000000, 0x48, 0x63, 0x17));
	EXPECT_EQ(0x7fffffffULL, LOAD(64, r, 0x7fffffff, 0x48, 0x63, 0x17));
	r[RDX] = ~0ULL;
	EXPECT_EQ(0x80000000ULL, LOAD(64, r, 0x80000000, 0x63, 0x17));
	/* moffs into %al, 16-bit mode mov (%bx),%ax */
	r[RAX] = 0x1111111111111111ULL;
	EXPECT_EQ(0x11111111111111c3ULL,
		  LOAD(64, r, 0xc3, 0xa0, 0, 0, 0, 0, 0, 0, 0, 0));
	EXPECT_EQ(0x111111111111beefULL, LOAD(16, r, 0xbeef, 0x8b, 0x07));
	/* mov (%rdi),%r15 */
	EXPECT_EQ(5ULL, LOAD(64, r, 5, 0x4c, 0x8b, 0x3f));
	EXPECT_EQ(5ULL, r[R15]);
}

TEST(completing_a_store_changes_nothing)
{
	struct nvmx_mmio_insn i;
	u64 r[16];

	memcpy(r, gprs, sizeof(r));
	ASSERT_EQ(0, DECODE(64, &i, 0x48, 0x89, 0x07));
	nvmx_mmio_complete_load(r, &i, 0x1234);
	EXPECT_EQ(0, memcmp(r, gprs, sizeof(r)));
	/* Loads do not read the registers: NULL is fine for them. */
	EXPECT_EQ(0, nvmx_mmio_decode(BYTES(0x8b, 0x07), 2, 64, NULL, &i));
	EXPECT_EQ(RAX, i.reg);
}

TEST_HARNESS_MAIN
