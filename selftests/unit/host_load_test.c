// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of src/nested/host_load.c: L1's registers after a nested VM
 * exit, from VMCS12's host-state area, as the SDM's "Loading Host State"
 * gives them.
 */
#include "../../src/nested/host_load.h"
#include "../../src/nested/vmx_msrs.h"
#include "skylake.h"
#include "kselftest_harness.h"

#define EXIT_64BIT	(NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE | NV_EXIT_CTL_LOAD_PAT)

FIXTURE(hl) {
	u64 host[NV_MSR_CAP_MSR_COUNT], l1[NV_MSR_CAP_MSR_COUNT];
	struct vmcs12 v;
	struct nvmx_sregs before;
	struct nested_l1_state s;
};

FIXTURE_SETUP(hl)
{
	skylake_vmx_msrs(self->host);
	nvmx_l1_vmx_msrs(self->host, self->l1);
	memset(&self->v, 0, sizeof(self->v));
	self->v.field[V12_VM_EXIT_CONTROLS] = EXIT_64BIT;
	self->v.field[V12_HOST_CR0] = 0x80050033;
	self->v.field[V12_HOST_CR3] = 0x123000;
	self->v.field[V12_HOST_CR4] = 0x2620;
	self->v.field[V12_HOST_CS_SELECTOR] = 0x10;
	self->v.field[V12_HOST_SS_SELECTOR] = 0x18;
	self->v.field[V12_HOST_DS_SELECTOR] = 0;
	self->v.field[V12_HOST_FS_SELECTOR] = 0;
	self->v.field[V12_HOST_FS_BASE] = 0x7f0000001000ULL;
	self->v.field[V12_HOST_TR_SELECTOR] = 0x40;
	self->v.field[V12_HOST_TR_BASE] = 0xfffffe0000003000ULL;
	self->v.field[V12_HOST_GDTR_BASE] = 0xfffffe0000001000ULL;
	self->v.field[V12_HOST_IDTR_BASE] = 0xfffffe0000000000ULL;
	self->v.field[V12_HOST_RIP] = 0xffffffff81000000ULL;
	self->v.field[V12_HOST_RSP] = 0xffffc90000004000ULL;
	self->v.field[V12_HOST_IA32_PAT] = 0x0007040600070406ULL;
	self->v.field[V12_HOST_IA32_SYSENTER_EIP] = 0xffffffff81001000ULL;
	memset(&self->before, 0, sizeof(self->before));
	/* CD and NW: not loaded by a VM exit; CR2 and CR8 untouched. */
	self->before.cr0 = 0x60000031;
	self->before.cr2 = 0xdead000;
	self->before.cr8 = 5;
	self->before.efer = 0;
}

FIXTURE_TEARDOWN(hl)
{
}

TEST_F(hl, control_registers_and_efer)
{
	nested_load_host_state(&self->v, self->l1, &self->before, &self->s);
	/* PG, WP, NE, PE... from the field; CD, NW kept; ET kept. */
	EXPECT_EQ(0x80050033ULL | 0x60000000, self->s.sregs.cr0);
	EXPECT_EQ(0x123000, self->s.sregs.cr3);
	EXPECT_EQ(0x2620, self->s.sregs.cr4);
	/* No "load IA32_EFER": LMA and LME from "host address-space size". */
	EXPECT_EQ(0x500, self->s.sregs.efer);
	EXPECT_EQ(0xdead000, self->s.sregs.cr2);
	EXPECT_EQ(5, self->s.sregs.cr8);
	self->v.field[V12_VM_EXIT_CONTROLS] |= NV_EXIT_CTL_LOAD_EFER;
	self->v.field[V12_HOST_IA32_EFER] = 0xd01;
	nested_load_host_state(&self->v, self->l1, &self->before, &self->s);
	EXPECT_EQ(0xd01, self->s.sregs.efer);
}

TEST_F(hl, fixed_bits_stay_set)
{
	self->v.field[V12_HOST_CR4] = 0x620;		/* without VMXE */
	self->v.field[V12_HOST_CR0] = 0x80000011;	/* without NE */
	nested_load_host_state(&self->v, self->l1, &self->before, &self->s);
	EXPECT_TRUE(self->s.sregs.cr4 & NV_CR4_VMXE);
	EXPECT_TRUE(self->s.sregs.cr0 & BIT_ULL(5));
}

TEST_F(hl, segments_and_tables)
{
	struct nvmx_sregs *r = &self->s.sregs;

	nested_load_host_state(&self->v, self->l1, &self->before, &self->s);
	EXPECT_EQ(0x10, r->cs.selector);
	EXPECT_EQ(0, r->cs.base);
	EXPECT_EQ(0xffffffff, r->cs.limit);
	EXPECT_EQ(11, r->cs.type);
	EXPECT_EQ(1, r->cs.l);
	EXPECT_EQ(0, r->cs.db);
	EXPECT_EQ(1, r->cs.g);
	EXPECT_EQ(0, r->ss.unusable);
	EXPECT_EQ(3, r->ss.type);
	EXPECT_EQ(1, r->ds.unusable);		/* null selector */
	EXPECT_EQ(1, r->fs.unusable);
	EXPECT_EQ(0x7f0000001000ULL, r->fs.base);	/* still loaded */
	EXPECT_EQ(0x40, r->tr.selector);
	EXPECT_EQ(0x67, r->tr.limit);
	EXPECT_EQ(11, r->tr.type);
	EXPECT_EQ(0, r->tr.s);
	EXPECT_EQ(1, r->ldt.unusable);
	EXPECT_EQ(0xffff, r->gdt.limit);
	EXPECT_EQ(0xfffffe0000001000ULL, r->gdt.base);
	EXPECT_EQ(0xffff, r->idt.limit);
}

TEST_F(hl, registers_and_msrs)
{
	nested_load_host_state(&self->v, self->l1, &self->before, &self->s);
	EXPECT_EQ(0xffffffff81000000ULL, self->s.rip);
	EXPECT_EQ(0xffffc90000004000ULL, self->s.rsp);
	EXPECT_EQ(2, self->s.rflags);
	EXPECT_EQ(0x400, self->s.dr7);
	EXPECT_EQ(0, self->s.debugctl);
	EXPECT_EQ(0xffffffff81001000ULL, self->s.sysenter_eip);
	EXPECT_TRUE(self->s.load_pat);
	EXPECT_EQ(0x0007040600070406ULL, self->s.pat);
	EXPECT_FALSE(self->s.load_perf_global_ctrl);
}

TEST_F(hl, a_32bit_host)
{
	self->v.field[V12_VM_EXIT_CONTROLS] = 0;
	self->v.field[V12_HOST_CR4] = 0x2000 | BIT_ULL(17);
	self->before.efer = 0x500;
	nested_load_host_state(&self->v, self->l1, &self->before, &self->s);
	EXPECT_EQ(0, self->s.sregs.cs.l);
	EXPECT_EQ(1, self->s.sregs.cs.db);
	EXPECT_EQ(0, self->s.sregs.efer & 0x500);
	EXPECT_EQ(0, self->s.sregs.cr4 & BIT_ULL(17));	/* PCIDE cleared */
	EXPECT_FALSE(self->s.load_pat);
}

TEST_HARNESS_MAIN
