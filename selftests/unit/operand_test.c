// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of VMX instruction operand decoding (src/nested/operand.c):
 * every addressing form, 64-bit canonical checks, segment usability, type
 * and limit checks, register operands and the encodings the CPU never
 * produces.
 */
#include "kselftest_harness.h"
#include "../../src/nested/operand.h"

/* The SDM's register encoding, the index into vmx_operand_ctx.gprs. */
enum {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15
};

#define NOREG	(-1)	/* no base or no index register */

/* Access rights: present, S, accessed, and the type bits. */
#define DATA_RW		0x93
#define DATA_RO		0x91
#define DATA_DOWN_RW	0x97
#define CODE_XR		0x9b
#define CODE_XO		0x99

#define ASZ16	VMX_ADDR_16
#define ASZ32	VMX_ADDR_32
#define ASZ64	VMX_ADDR_64

/* Instruction information of a memory operand seg:[base + index << scale]. */
static u32 mem(unsigned int seg, int base, int index, unsigned int scale,
	       unsigned int asz)
{
	u32 ii = scale | asz << 7 | seg << 15;

	ii |= index == NOREG ? BIT(22) : (u32)index << 18;
	ii |= base == NOREG ? BIT(27) : (u32)base << 23;
	return ii;
}

/* Instruction information of VMREAD/VMWRITE with a register operand. */
static u32 reg_form(unsigned int reg1, unsigned int reg2)
{
	return BIT(10) | reg1 << 3 | (u32)reg2 << 28;
}

/* A 64-bit mode guest; segment bases that 64-bit mode must ignore. */
static void mode64(struct vmx_operand_ctx *c)
{
	unsigned int s;

	memset(c, 0, sizeof(*c));
	c->long_mode = true;
	c->cs_l = true;
	for (s = 0; s < VMX_SEG_COUNT; s++) {
		c->segs[s].base = 0x100000 * (s + 1);
		c->segs[s].limit = 0;
		c->segs[s].ar = DATA_RO;
	}
	c->segs[VMX_SEG_CS].ar = CODE_XO | NV_SEG_AR_UNUSABLE;
}

/* A 32-bit protected-mode guest with flat 4 GiB segments. */
static void prot32(struct vmx_operand_ctx *c)
{
	unsigned int s;

	memset(c, 0, sizeof(*c));
	for (s = 0; s < VMX_SEG_COUNT; s++) {
		c->segs[s].limit = 0xffffffff;
		c->segs[s].ar = DATA_RW | NV_SEG_AR_DB;
	}
	c->segs[VMX_SEG_CS].ar = CODE_XR | NV_SEG_AR_DB;
}

static int decode(struct vmx_operand_ctx *c, u32 ii, u64 disp,
		  unsigned int size, bool write, struct vmx_operand *op)
{
	c->insn_info = ii;
	c->qualification = disp;
	return vmx_decode_operand(c, size, write, op);
}

/* The fault of an 8-byte access that decodes (asserted by the caller). */
static enum vmx_operand_fault fault8(struct vmx_operand_ctx *c, u32 ii,
				     u64 disp, bool write, int *rc)
{
	struct vmx_operand op;

	*rc = decode(c, ii, disp, 8, write, &op);
	return op.fault;
}

TEST(fields_of_the_instruction_information)
{
	u32 ii = mem(VMX_SEG_GS, R13, R10, 3, ASZ64) | (u32)R9 << 28;

	EXPECT_EQ(3, vmx_ii_scaling(ii));
	EXPECT_EQ(ASZ64, vmx_ii_addr_size(ii));
	EXPECT_EQ(VMX_SEG_GS, vmx_ii_seg(ii));
	EXPECT_EQ(R10, vmx_ii_index(ii));
	EXPECT_TRUE(vmx_ii_index_valid(ii));
	EXPECT_EQ(R13, vmx_ii_base(ii));
	EXPECT_TRUE(vmx_ii_base_valid(ii));
	EXPECT_EQ(R9, vmx_ii_reg2(ii));	/* INVEPT/INVVPID type register */
	EXPECT_FALSE(vmx_ii_is_reg(ii));

	ii = mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32);
	EXPECT_FALSE(vmx_ii_index_valid(ii));
	EXPECT_FALSE(vmx_ii_base_valid(ii));

	ii = reg_form(R14, RDX);
	EXPECT_TRUE(vmx_ii_is_reg(ii));
	EXPECT_EQ(R14, vmx_ii_reg1(ii));
	EXPECT_EQ(RDX, vmx_ii_reg2(ii));
}

TEST(base_only)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	mode64(&c);
	c.gprs[RBX] = 0x7fff12345000ULL;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, RBX, NOREG, 0, ASZ64), 0, 8,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_FALSE(op.is_reg);
	EXPECT_EQ(0x7fff12345000ULL, op.gla);
}

TEST(index_only_with_each_scaling)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;
	unsigned int s;

	mode64(&c);
	c.gprs[RSI] = 0x1234;
	for (s = 0; s < 4; s++) {
		ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, NOREG, RSI, s, ASZ64),
				    0x10, 8, false, &op));
		EXPECT_EQ(VMX_OPERAND_OK, op.fault);
		EXPECT_EQ((0x1234ULL << s) + 0x10, op.gla);
	}
}

TEST(base_plus_scaled_index_plus_displacement)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	mode64(&c);
	c.gprs[R8] = 0x10000;
	c.gprs[R15] = 0x30;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, R8, R15, 2, ASZ64), 0x404, 16,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x10000ULL + 0x30 * 4 + 0x404, op.gla);
}

TEST(displacement_only_and_rip_relative)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	/*
	 * No base, no index: the qualification is the address (for
	 * RIP-relative addressing the CPU has already added RIP to it).
	 */
	mode64(&c);
	c.gprs[RAX] = 0xdead0000;	/* must not be used */
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ64),
			    0xffffffff81000000ULL, 8, false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0xffffffff81000000ULL, op.gla);
}

TEST(negative_displacement)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	mode64(&c);
	c.gprs[RBP] = 0x7ffffff000ULL;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_SS, RBP, NOREG, 0, ASZ64),
			    (u64)-0x28, 8, true, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x7ffffff000ULL - 0x28, op.gla);

	/* 32-bit protected mode: the same sign-extended qualification. */
	prot32(&c);
	c.gprs[RBP] = 0x8000;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_SS, RBP, NOREG, 0, ASZ32),
			    (u64)-0x28, 4, true, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x8000 - 0x28, op.gla);
}

TEST(address_size_32_wraps_in_64bit_mode_before_the_fs_base)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	mode64(&c);
	c.gprs[RDI] = 0xfffffff0;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, RDI, NOREG, 0, ASZ32), 0x20, 8,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x10, op.gla);

	/* Upper halves of registers do not count with 32-bit addressing. */
	c.gprs[RDI] = 0xabcd00000000fff0ULL;
	c.segs[VMX_SEG_FS].base = 0x7f0000000000ULL;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_FS, RDI, NOREG, 0, ASZ32), 0x20, 8,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x7f0000010010ULL, op.gla);
}

TEST(address_size_32_wraps_in_protected_mode)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	prot32(&c);
	c.gprs[RAX] = 0xfffffff0;
	c.segs[VMX_SEG_DS].base = 0x1000;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ32), 0x20, 8,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x1010, op.gla);

	/* base + offset wraps at 4 GiB too */
	c.segs[VMX_SEG_DS].base = 0xfffff000;
	c.gprs[RAX] = 0x2000;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ32), 0, 8,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x1000, op.gla);
}

TEST(address_size_16_in_protected_mode)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	/* [bx + si + disp] wraps at 64 KiB */
	prot32(&c);
	c.gprs[RBX] = 0x1234fff0;
	c.gprs[RSI] = 0x8;
	c.segs[VMX_SEG_ES].base = 0x20000;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_ES, RBX, RSI, 0, ASZ16), 0x18, 8,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x20010, op.gla);
}

TEST(only_fs_and_gs_bases_count_in_64bit_mode)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;
	unsigned int s;

	mode64(&c);
	c.gprs[RCX] = 0x5000;
	for (s = 0; s < VMX_SEG_COUNT; s++) {
		u64 base = (s == VMX_SEG_FS || s == VMX_SEG_GS) ?
			   c.segs[s].base : 0;

		ASSERT_EQ(0, decode(&c, mem(s, RCX, NOREG, 0, ASZ64), 8, 8,
				    false, &op));
		EXPECT_EQ(VMX_OPERAND_OK, op.fault);
		EXPECT_EQ(base + 0x5008, op.gla);
	}
	c.segs[VMX_SEG_GS].base = 0xffff888000000000ULL;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_GS, RCX, NOREG, 0, ASZ64), 0, 8,
			    true, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0xffff888000005000ULL, op.gla);
}

TEST(mode64_has_no_limit_type_or_usability_checks)
{
	struct vmx_operand_ctx c;
	int rc;

	/* mode64(): limit 0, read-only data, unusable execute-only CS */
	mode64(&c);
	c.gprs[RAX] = 0x100000;
	c.segs[VMX_SEG_DS].ar |= NV_SEG_AR_UNUSABLE;
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ64), 0, true, &rc));
	EXPECT_EQ(0, rc);
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_CS, RAX, NOREG, 0, ASZ64), 0, true, &rc));
	EXPECT_EQ(0, rc);
}

TEST(non_canonical_is_gp)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;
	int rc;

	mode64(&c);
	c.gprs[RBX] = 0x0000800000000000ULL;
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, RBX, NOREG, 0, ASZ64), 0, false, &rc));
	EXPECT_EQ(0, rc);
	c.gprs[RBX] = 0xffff7fffffffffffULL;
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_ES, RBX, NOREG, 0, ASZ64), 0, true, &rc));
	/* the lowest upper-half address is fine */
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_ES, RBX, NOREG, 0, ASZ64), 1, true, &rc));

	/* The last byte counts: 0x7ffffffffff8 + 7 is canonical, + 8 is not. */
	c.gprs[RBX] = 0x00007ffffffffff8ULL;
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_DS, RBX, NOREG, 0, ASZ64), 0, false, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, RBX, NOREG, 0, ASZ64), 1, false, &rc));

	/* A canonical offset made non-canonical by the FS base. */
	c.segs[VMX_SEG_FS].base = 0x00007fffffff0000ULL;
	c.gprs[RBX] = 0x10000;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_FS, RBX, NOREG, 0, ASZ64), 0, 8,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_GP, op.fault);
	EXPECT_EQ(0, op.fault_error_code);
}

TEST(non_canonical_through_ss_is_ss)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	mode64(&c);
	c.gprs[RSP] = 0x8000000000000000ULL;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_SS, RSP, NOREG, 0, ASZ64), 0, 8,
			    true, &op));
	EXPECT_EQ(VMX_OPERAND_SS, op.fault);
	EXPECT_EQ(0, op.fault_error_code);
	/* 16-byte INVEPT descriptor whose last byte crosses into the hole */
	c.gprs[RSP] = 0x00007ffffffffff8ULL;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_SS, RSP, NOREG, 0, ASZ64), 0, 16,
			    false, &op));
	EXPECT_EQ(VMX_OPERAND_SS, op.fault);
}

TEST(compatibility_mode_checks_segments)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	prot32(&c);
	c.long_mode = true;	/* IA-32e mode, CS.L clear */
	c.segs[VMX_SEG_DS].limit = 0xfff;
	c.segs[VMX_SEG_DS].base = 0x10000;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0xff8,
			    8, false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x10ff8, op.gla);
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0xff9,
			    8, false, &op));
	EXPECT_EQ(VMX_OPERAND_GP, op.fault);
	EXPECT_EQ(4, vmx_vmrw_operand_size(&c));
	c.cs_l = true;
	EXPECT_EQ(8, vmx_vmrw_operand_size(&c));
	c.long_mode = false;	/* CS.L means nothing outside IA-32e mode */
	EXPECT_EQ(4, vmx_vmrw_operand_size(&c));
}

TEST(unusable_segment)
{
	struct vmx_operand_ctx c;
	int rc;

	prot32(&c);
	c.segs[VMX_SEG_DS].ar |= NV_SEG_AR_UNUSABLE;
	c.segs[VMX_SEG_SS].ar |= NV_SEG_AR_UNUSABLE;
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0, false, &rc));
	EXPECT_EQ(0, rc);
	EXPECT_EQ(VMX_OPERAND_SS,
		  fault8(&c, mem(VMX_SEG_SS, NOREG, NOREG, 0, ASZ32), 0, false, &rc));
	EXPECT_EQ(0, rc);
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_ES, NOREG, NOREG, 0, ASZ32), 0, false, &rc));
	/* a system descriptor cannot serve as a data segment */
	c.segs[VMX_SEG_ES].ar &= ~NV_SEG_AR_S;
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_ES, NOREG, NOREG, 0, ASZ32), 0, false, &rc));
}

TEST(execute_only_code_segment_is_not_readable)
{
	struct vmx_operand_ctx c;
	int rc;

	prot32(&c);
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_CS, NOREG, NOREG, 0, ASZ32), 0x100, false, &rc));
	c.segs[VMX_SEG_CS].ar = CODE_XO | NV_SEG_AR_DB;
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_CS, NOREG, NOREG, 0, ASZ32), 0x100, false, &rc));
	EXPECT_EQ(0, rc);
}

TEST(read_only_data_segment_is_not_writable)
{
	struct vmx_operand_ctx c;
	int rc;

	prot32(&c);
	c.segs[VMX_SEG_FS].ar = DATA_RO | NV_SEG_AR_DB;
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_FS, NOREG, NOREG, 0, ASZ32), 0, false, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_FS, NOREG, NOREG, 0, ASZ32), 0, true, &rc));
	EXPECT_EQ(0, rc);
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_GS, NOREG, NOREG, 0, ASZ32), 0, true, &rc));
	/* an access-rights violation through SS is #GP, not #SS */
	c.segs[VMX_SEG_SS].ar = DATA_RO | NV_SEG_AR_DB;
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_SS, NOREG, NOREG, 0, ASZ32), 0, true, &rc));
}

TEST(code_segment_is_never_writable)
{
	struct vmx_operand_ctx c;
	int rc;

	prot32(&c);
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_CS, NOREG, NOREG, 0, ASZ32), 0, true, &rc));
	EXPECT_EQ(0, rc);
	c.segs[VMX_SEG_DS].ar = CODE_XR | NV_SEG_AR_DB;	/* DS may hold code */
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0, false, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0, true, &rc));
}

TEST(expand_up_limit_edge)
{
	struct vmx_operand_ctx c;
	int rc;

	prot32(&c);
	c.segs[VMX_SEG_DS].limit = 0x1fff;
	c.segs[VMX_SEG_SS].limit = 0x1fff;
	c.segs[VMX_SEG_CS].limit = 0x1fff;
	c.gprs[RSI] = 0x1000;
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_DS, RSI, NOREG, 0, ASZ32), 0xff8, true, &rc));
	EXPECT_EQ(0, rc);
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, RSI, NOREG, 0, ASZ32), 0xff9, true, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, RSI, NOREG, 0, ASZ32), 0x1000, true, &rc));
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_SS, RSI, NOREG, 0, ASZ32), 0xff8, false, &rc));
	EXPECT_EQ(VMX_OPERAND_SS,
		  fault8(&c, mem(VMX_SEG_SS, RSI, NOREG, 0, ASZ32), 0xff9, false, &rc));
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_CS, RSI, NOREG, 0, ASZ32), 0xff8, false, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_CS, RSI, NOREG, 0, ASZ32), 0xff9, false, &rc));
}

TEST(expand_up_4g_limit_does_not_wrap)
{
	struct vmx_operand_ctx c;
	int rc;

	/* offset 0xfffffffc + 8 bytes runs past the 4 GiB limit */
	prot32(&c);
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32),
			 0xfffffff8, false, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32),
			 0xfffffffc, false, &rc));
}

TEST(expand_down_16bit_upper_bound)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;
	int rc;

	/* D/B clear: offsets 0x1000 to 0xffff */
	prot32(&c);
	c.segs[VMX_SEG_DS].ar = DATA_DOWN_RW;
	c.segs[VMX_SEG_DS].limit = 0xfff;
	c.segs[VMX_SEG_DS].base = 0x40000;
	ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0x1000,
			    8, true, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
	EXPECT_EQ(0x41000, op.gla);
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0xfff, true, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0, true, &rc));
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0xfff8, true, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0xfff9, true, &rc));
	EXPECT_EQ(VMX_OPERAND_GP,
		  fault8(&c, mem(VMX_SEG_DS, NOREG, NOREG, 0, ASZ32), 0x10000, true, &rc));
	EXPECT_EQ(0, rc);
}

TEST(expand_down_32bit_upper_bound)
{
	struct vmx_operand_ctx c;
	int rc;

	/* D/B set: offsets 0x1000 to 0xffffffff */
	prot32(&c);
	c.segs[VMX_SEG_SS].ar = DATA_DOWN_RW | NV_SEG_AR_DB;
	c.segs[VMX_SEG_SS].limit = 0xfff;
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_SS, NOREG, NOREG, 0, ASZ32), 0x1000, true, &rc));
	EXPECT_EQ(VMX_OPERAND_SS,
		  fault8(&c, mem(VMX_SEG_SS, NOREG, NOREG, 0, ASZ32), 0xfff, true, &rc));
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_SS, NOREG, NOREG, 0, ASZ32), 0xfff8, true, &rc));
	EXPECT_EQ(VMX_OPERAND_OK,
		  fault8(&c, mem(VMX_SEG_SS, NOREG, NOREG, 0, ASZ32), 0xfffffff8,
			 true, &rc));
	EXPECT_EQ(VMX_OPERAND_SS,
		  fault8(&c, mem(VMX_SEG_SS, NOREG, NOREG, 0, ASZ32), 0xfffffff9,
			 true, &rc));
	EXPECT_EQ(0, rc);

	/* a limit of 0xffffffff leaves an expand-down segment empty */
	c.segs[VMX_SEG_SS].limit = 0xffffffff;
	EXPECT_EQ(VMX_OPERAND_SS,
		  fault8(&c, mem(VMX_SEG_SS, NOREG, NOREG, 0, ASZ32), 0xfffffff0,
			 false, &rc));
}

TEST(register_operands_of_vmread_and_vmwrite)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;
	unsigned int r;

	/*
	 * Scaling, address size and segment are undefined for the register
	 * form: garbage in them (here the unused encodings) must not matter.
	 */
	mode64(&c);
	for (r = 0; r < 16; r++) {
		u32 ii = reg_form(r, 15 - r) | 3 | 7 << 7 | 7 << 15;

		ASSERT_EQ(0, decode(&c, ii, 0, 8, false, &op));
		EXPECT_TRUE(op.is_reg);
		EXPECT_EQ(r, op.reg);
		EXPECT_EQ(VMX_OPERAND_OK, op.fault);
		EXPECT_EQ(15 - r, vmx_ii_reg2(ii));
	}
	prot32(&c);
	ASSERT_EQ(0, decode(&c, reg_form(RDI, RAX), 0, 4, true, &op));
	EXPECT_TRUE(op.is_reg);
	EXPECT_EQ(RDI, op.reg);

	EXPECT_TRUE(vmx_insn_allows_reg_operand(23));		/* VMREAD */
	EXPECT_TRUE(vmx_insn_allows_reg_operand(25));		/* VMWRITE */
	EXPECT_TRUE(vmx_insn_allows_reg_operand(BIT(27) | 25));	/* a flag */
	EXPECT_FALSE(vmx_insn_allows_reg_operand(19));	/* VMCLEAR */
	EXPECT_FALSE(vmx_insn_allows_reg_operand(21));	/* VMPTRLD */
	EXPECT_FALSE(vmx_insn_allows_reg_operand(22));	/* VMPTRST */
	EXPECT_FALSE(vmx_insn_allows_reg_operand(27));	/* VMXON */
	EXPECT_FALSE(vmx_insn_allows_reg_operand(50));	/* INVEPT */
	EXPECT_FALSE(vmx_insn_allows_reg_operand(53));	/* INVVPID */
	EXPECT_FALSE(vmx_insn_allows_reg_operand(0x100 | 23));
}

TEST(every_register_number_reads_its_register)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;
	unsigned int r;

	mode64(&c);
	for (r = 0; r < 16; r++)
		c.gprs[r] = 0x1000 * (r + 1);
	for (r = 0; r < 16; r++) {
		ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, r, NOREG, 0, ASZ64), 0,
				    8, false, &op));
		EXPECT_EQ(0x1000 * (r + 1), op.gla);
		ASSERT_EQ(0, decode(&c, mem(VMX_SEG_DS, NOREG, r, 1, ASZ64), 0,
				    8, false, &op));
		EXPECT_EQ(0x2000 * (r + 1), op.gla);
	}
}

TEST(unused_address_sizes_are_rejected)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;
	unsigned int asz;

	mode64(&c);
	for (asz = 3; asz < 8; asz++) {
		op.fault = VMX_OPERAND_OK;
		EXPECT_EQ(-EINVAL, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, asz),
					  0, 8, false, &op));
		EXPECT_EQ(VMX_OPERAND_UD, op.fault);
		EXPECT_FALSE(op.is_reg);
	}
	/* no 16-bit addressing in 64-bit mode */
	EXPECT_EQ(-EINVAL, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ16), 0,
				  8, false, &op));
	EXPECT_EQ(VMX_OPERAND_UD, op.fault);
	/* no 64-bit addressing outside it, compatibility mode included */
	prot32(&c);
	EXPECT_EQ(-EINVAL, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ64), 0,
				  8, false, &op));
	EXPECT_EQ(VMX_OPERAND_UD, op.fault);
	c.long_mode = true;
	EXPECT_EQ(-EINVAL, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ64), 0,
				  8, false, &op));
}

TEST(unused_segment_encodings_are_rejected)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	mode64(&c);
	EXPECT_EQ(-EINVAL, decode(&c, mem(6, RAX, NOREG, 0, ASZ64), 0, 8,
				  false, &op));
	EXPECT_EQ(VMX_OPERAND_UD, op.fault);
	prot32(&c);
	EXPECT_EQ(-EINVAL, decode(&c, mem(7, RAX, NOREG, 0, ASZ32), 0, 8,
				  false, &op));
	EXPECT_EQ(VMX_OPERAND_UD, op.fault);
	/* every bit set: address size 7, segment 7 */
	EXPECT_EQ(-EINVAL, decode(&c, (u32)~BIT(10), 0, 8, false, &op));
}

TEST(operand_sizes_out_of_range_are_rejected)
{
	struct vmx_operand_ctx c;
	struct vmx_operand op;

	mode64(&c);
	EXPECT_EQ(-EINVAL, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ64), 0,
				  0, false, &op));
	EXPECT_EQ(VMX_OPERAND_UD, op.fault);
	EXPECT_EQ(-EINVAL, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ64), 0,
				  VMX_OPERAND_MAX_SIZE + 1, false, &op));
	EXPECT_EQ(0, decode(&c, mem(VMX_SEG_DS, RAX, NOREG, 0, ASZ64), 0,
			    VMX_OPERAND_MAX_SIZE, false, &op));
	EXPECT_EQ(VMX_OPERAND_OK, op.fault);
}

TEST_HARNESS_MAIN
