// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the VM-entry checks on the guest-state area
 * (src/nested/guest_checks.c): a valid 64-bit guest, a 32-bit protected-
 * mode guest and an unrestricted real-mode guest pass; then one broken
 * field per check.
 */
#include "kselftest_harness.h"
#include "skylake.h"
#include "vmcs12_seg.h"
#include "../../src/nested/guest_checks.h"
#include "../../src/vmx/controls.h"

#define MAXPHYADDR	39
#define FAIL_REASON	(33u | (1u << 31))

FIXTURE(gst) {
	u64 msrs[NV_MSR_CAP_MSR_COUNT];
	struct nested_guest_env env;
	struct vmcs12 v;
	struct nested_guest_result r;
};

#define F(name)	(self->v.field[V12_##name])

/* A 64-bit Linux kernel on EPT, with virtual NMIs. */
static void valid_guest(const u64 *msrs, u64 *f)
{
	f[V12_PIN_BASED_VM_EXEC_CONTROL] = fit(msrs, VMX_CTL_PIN,
		NV_PIN_CTL_NMI_EXITING | NV_PIN_CTL_VIRTUAL_NMIS);
	f[V12_CPU_BASED_VM_EXEC_CONTROL] = fit(msrs, VMX_CTL_PROC,
		NV_PROC_CTL_ACTIVATE_SECONDARY);
	f[V12_SECONDARY_VM_EXEC_CONTROL] = fit(msrs, VMX_CTL_PROC2,
		NV_PROC2_CTL_EPT);
	f[V12_VM_EXIT_CONTROLS] = fit(msrs, VMX_CTL_EXIT,
		NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE);
	f[V12_VM_ENTRY_CONTROLS] = fit(msrs, VMX_CTL_ENTRY,
		NV_ENTRY_CTL_IA32E_MODE_GUEST | NV_ENTRY_CTL_LOAD_PAT |
		NV_ENTRY_CTL_LOAD_EFER | NV_ENTRY_CTL_LOAD_DEBUG);
	f[V12_GUEST_CR0] = 0x80050033;
	f[V12_GUEST_CR3] = 0x100000;
	f[V12_GUEST_CR4] = 0x2000 | NV_CR4_PCIDE | 0x6b0;
	f[V12_GUEST_DR7] = 0x400;
	f[V12_GUEST_IA32_DEBUGCTL] = 0;
	f[V12_GUEST_SYSENTER_ESP] = 0xfffffe0000002000ULL;
	f[V12_GUEST_SYSENTER_EIP] = 0xffffffff81000000ULL;
	f[V12_GUEST_IA32_PAT] = 0x0007040600070406ULL;
	f[V12_GUEST_IA32_EFER] = NV_EFER_SCE | NV_EFER_LME | NV_EFER_LMA |
				 NV_EFER_NXE;
	set_seg(f, SEG_ES, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_CS, 0x10, 0, 0xffffffff, 0xa09b);
	set_seg(f, SEG_SS, 0x18, 0, 0xffffffff, 0xc093);
	set_seg(f, SEG_DS, 0x18, 0, 0xffffffff, 0xc093);
	set_seg(f, SEG_FS, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_GS, 0, 0xffff888000000000ULL, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_LDTR, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_TR, 0x40, 0xfffffe0000003000ULL, 0x67, 0x8b);
	f[V12_GUEST_GDTR_BASE] = 0xfffffe0000001000ULL;
	f[V12_GUEST_GDTR_LIMIT] = 0x7f;
	f[V12_GUEST_IDTR_BASE] = 0xfffffe0000000000ULL;
	f[V12_GUEST_IDTR_LIMIT] = 0xfff;
	f[V12_GUEST_RIP] = 0xffffffff81234567ULL;
	f[V12_GUEST_RSP] = 0xffffc90000004000ULL;
	f[V12_GUEST_RFLAGS] = 0x202;
	f[V12_VMCS_LINK_POINTER] = ~0ULL;
}

/* A 32-bit protected-mode guest with PAE paging. */
static void protected_mode_32(u64 *f)
{
	f[V12_VM_ENTRY_CONTROLS] &= ~NV_ENTRY_CTL_IA32E_MODE_GUEST;
	f[V12_GUEST_CR4] = 0x2000 | NV_CR4_PAE | 0x690;
	f[V12_GUEST_IA32_EFER] = 0;
	f[V12_GUEST_SYSENTER_EIP] = 0xc1000000;
	set_seg(f, SEG_CS, 0x60, 0, 0xffffffff, 0xc09b);
	set_seg(f, SEG_SS, 0x68, 0, 0xffffffff, 0xc093);
	set_seg(f, SEG_DS, 0x7b, 0, 0xffffffff, 0xc0f3);
	set_seg(f, SEG_ES, 0x7b, 0, 0xffffffff, 0xc0f3);
	set_seg(f, SEG_FS, 0xd8, 0x1234000, 0xffffffff, 0xc093);
	set_seg(f, SEG_TR, 0x80, 0xc1234000, 0x206b, 0x8b);
	f[V12_GUEST_GDTR_BASE] = 0xc1235000;
	f[V12_GUEST_IDTR_BASE] = 0xc1236000;
	f[V12_GUEST_RIP] = 0xc1001234;
	f[V12_GUEST_PDPTE0] = 0x2001;
	f[V12_GUEST_PDPTE1] = 0x3001;
}

/* A real-mode guest (reset state) under "unrestricted guest". */
static void real_mode(const u64 *msrs, u64 *f)
{
	f[V12_SECONDARY_VM_EXEC_CONTROL] = fit(msrs, VMX_CTL_PROC2,
		NV_PROC2_CTL_EPT | NV_PROC2_CTL_UNRESTRICTED_GUEST);
	f[V12_VM_ENTRY_CONTROLS] &= ~NV_ENTRY_CTL_IA32E_MODE_GUEST;
	f[V12_GUEST_CR0] = 0x60000030;
	f[V12_GUEST_CR3] = 0;
	f[V12_GUEST_CR4] = 0x2000;
	f[V12_GUEST_IA32_EFER] = 0;
	f[V12_GUEST_SYSENTER_ESP] = 0;
	f[V12_GUEST_SYSENTER_EIP] = 0;
	set_seg(f, SEG_CS, 0xf000, 0xffff0000, 0xffff, 0x93);
	set_seg(f, SEG_SS, 0, 0, 0xffff, 0x93);
	set_seg(f, SEG_DS, 0, 0, 0xffff, 0x93);
	set_seg(f, SEG_ES, 0, 0, 0xffff, 0x93);
	set_seg(f, SEG_FS, 0, 0, 0xffff, 0x93);
	set_seg(f, SEG_GS, 0, 0, 0xffff, 0x93);
	set_seg(f, SEG_LDTR, 0, 0, 0xffff, 0x82);
	set_seg(f, SEG_TR, 0, 0, 0xffff, 0x8b);
	f[V12_GUEST_GDTR_BASE] = 0;
	f[V12_GUEST_GDTR_LIMIT] = 0xffff;
	f[V12_GUEST_IDTR_BASE] = 0;
	f[V12_GUEST_IDTR_LIMIT] = 0xffff;
	f[V12_GUEST_RIP] = 0xfff0;
	f[V12_GUEST_RSP] = 0;
	f[V12_GUEST_RFLAGS] = 0x2;
}

/* CS, SS, DS, ES, FS, GS in virtual-8086 form. */
static void v86_segs(u64 *f)
{
	int i;

	for (i = SEG_ES; i <= SEG_GS; i++)
		set_seg(f, i, 0x1000 + i, (0x1000 + i) << 4, 0xffff, 0xf3);
	f[V12_GUEST_RFLAGS] |= NV_RFLAGS_VM;
	f[V12_GUEST_RIP] = 0x100;
}

FIXTURE_SETUP(gst)
{
	skylake_vmx_msrs(self->msrs);
	self->env.msrs = self->msrs;
	self->env.maxphyaddr = MAXPHYADDR;
	memset(&self->v, 0, sizeof(self->v));
	valid_guest(self->msrs, self->v.field);
	memset(&self->r, 0xaa, sizeof(self->r));
}

FIXTURE_TEARDOWN(gst)
{
}

static const char *name(const struct nested_guest_result *r)
{
	return r->check ? r->check : "(none)";
}

#define GUEST()	nested_check_guest_state(&self->env, &self->v, &self->r)

#define EXPECT_PASS() do {						\
	EXPECT_EQ(0, GUEST()) TH_LOG("%s", name(&self->r));		\
	EXPECT_EQ(0, self->r.exit_reason);				\
	EXPECT_EQ(0, self->r.qualification);				\
	EXPECT_EQ(NULL, self->r.check);					\
} while (0)

#define EXPECT_FAIL_QUAL(qual, check) do {				\
	EXPECT_EQ(-EINVAL, GUEST());					\
	EXPECT_EQ(FAIL_REASON, self->r.exit_reason);			\
	EXPECT_EQ(qual, self->r.qualification);				\
	EXPECT_STREQ(check, name(&self->r));				\
} while (0)

#define EXPECT_FAIL(check)	EXPECT_FAIL_QUAL(0, check)

TEST_F(gst, valid_64bit_guest_passes)
{
	EXPECT_PASS();
	F(GUEST_CR4) &= ~0x2000ULL;
	EXPECT_FAIL("guest CR4 fixed bits");
	/* The result is reset by a passing call. */
	F(GUEST_CR4) |= 0x2000;
	EXPECT_PASS();
}

TEST_F(gst, user_mode_64bit_passes)
{
	set_seg(self->v.field, SEG_CS, 0x33, 0, 0xffffffff, 0xa0fb);
	set_seg(self->v.field, SEG_SS, 0x2b, 0, 0xffffffff, 0xc0f3);
	set_seg(self->v.field, SEG_DS, 0x2b, 0, 0xffffffff, 0xc0f3);
	F(GUEST_RIP) = 0x00007f0000001000ULL;
	EXPECT_PASS();
}

TEST_F(gst, protected_mode_32bit_passes)
{
	protected_mode_32(self->v.field);
	EXPECT_PASS();
	/* 32-bit paging, no PAE: PDPTEs are not looked at. */
	F(GUEST_CR4) &= ~NV_CR4_PAE;
	F(GUEST_PDPTE2) = 0x7;
	EXPECT_PASS();
	/* 16-bit busy TSS outside IA-32e mode. */
	F(GUEST_TR_AR_BYTES) = 0x83;
	EXPECT_PASS();
}

TEST_F(gst, virtual_8086_passes)
{
	protected_mode_32(self->v.field);
	v86_segs(self->v.field);
	EXPECT_PASS();
}

TEST_F(gst, unrestricted_real_mode_passes)
{
	real_mode(self->msrs, self->v.field);
	EXPECT_PASS();
	/* Protected mode without paging, also only with unrestricted guest. */
	F(GUEST_CR0) |= NV_CR0_PE;
	set_seg(self->v.field, SEG_CS, 0x8, 0, 0xffffffff, 0xc09b);
	set_seg(self->v.field, SEG_SS, 0x10, 0, 0xffffffff, 0xc093);
	EXPECT_PASS();
}

TEST_F(gst, real_mode_needs_unrestricted_guest)
{
	real_mode(self->msrs, self->v.field);
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_UNRESTRICTED_GUEST;
	EXPECT_FAIL("guest CR0 fixed bits");
	F(CPU_BASED_VM_EXEC_CONTROL) &= ~NV_PROC_CTL_ACTIVATE_SECONDARY;
	F(SECONDARY_VM_EXEC_CONTROL) |= NV_PROC2_CTL_UNRESTRICTED_GUEST;
	EXPECT_FAIL("guest CR0 fixed bits");
}

/* "Checks on the Guest Control Registers, Debug Registers, and MSRs" */

TEST_F(gst, cr0_fixed_bits)
{
	F(GUEST_CR0) &= ~0x20ULL;	/* NE */
	EXPECT_FAIL("guest CR0 fixed bits");
	F(GUEST_CR0) |= 0x20 | BIT_ULL(32);
	EXPECT_FAIL("guest CR0 fixed bits");
}

TEST_F(gst, cr0_pg_without_pe)
{
	real_mode(self->msrs, self->v.field);
	F(GUEST_CR0) |= NV_CR0_PG;
	EXPECT_FAIL("guest CR0.PG set without CR0.PE");
}

TEST_F(gst, cr4_fixed_bits)
{
	F(GUEST_CR4) |= BIT_ULL(22);
	EXPECT_FAIL("guest CR4 fixed bits");
}

TEST_F(gst, debugctl_reserved_bits)
{
	F(GUEST_IA32_DEBUGCTL) = 0x3 | BIT_ULL(6) | BIT_ULL(15);
	EXPECT_PASS();
	F(GUEST_IA32_DEBUGCTL) = BIT_ULL(2);
	EXPECT_FAIL("guest DEBUGCTL reserved bits set");
	F(GUEST_IA32_DEBUGCTL) = BIT_ULL(16);
	EXPECT_FAIL("guest DEBUGCTL reserved bits set");
	F(VM_ENTRY_CONTROLS) &= ~NV_ENTRY_CTL_LOAD_DEBUG;
	EXPECT_PASS();
}

TEST_F(gst, ia32e_needs_pg_and_pae)
{
	F(GUEST_CR4) &= ~NV_CR4_PAE;
	EXPECT_FAIL("IA-32e mode guest without CR0.PG and CR4.PAE");
}

TEST_F(gst, pcide_outside_ia32e)
{
	F(VM_ENTRY_CONTROLS) &= ~NV_ENTRY_CTL_IA32E_MODE_GUEST;
	EXPECT_FAIL("guest CR4.PCIDE set outside IA-32e mode");
}

TEST_F(gst, cr3_beyond_maxphyaddr)
{
	F(GUEST_CR3) = 1ULL << MAXPHYADDR;
	EXPECT_FAIL("guest CR3 beyond physical-address width");
}

TEST_F(gst, dr7_high_bits)
{
	F(GUEST_DR7) = 0x400 | BIT_ULL(32);
	EXPECT_FAIL("guest DR7 bits 63:32 set");
	F(VM_ENTRY_CONTROLS) &= ~NV_ENTRY_CTL_LOAD_DEBUG;
	EXPECT_PASS();
}

TEST_F(gst, sysenter_canonical)
{
	F(GUEST_SYSENTER_EIP) = 0x0000800000000000ULL;
	EXPECT_FAIL("guest SYSENTER ESP/EIP not canonical");
	F(GUEST_SYSENTER_EIP) = 0;
	F(GUEST_SYSENTER_ESP) = 0xfff0800000000000ULL;
	EXPECT_FAIL("guest SYSENTER ESP/EIP not canonical");
}

TEST_F(gst, pat_memory_types)
{
	F(GUEST_IA32_PAT) = 0x0007040600070402ULL;
	EXPECT_FAIL("guest PAT invalid memory type");
	F(GUEST_IA32_PAT) = 0x0807040600070406ULL;
	EXPECT_FAIL("guest PAT invalid memory type");
	F(VM_ENTRY_CONTROLS) &= ~NV_ENTRY_CTL_LOAD_PAT;
	EXPECT_PASS();
}

TEST_F(gst, efer)
{
	F(GUEST_IA32_EFER) |= BIT_ULL(1);
	EXPECT_FAIL("guest EFER reserved bits set");
	F(GUEST_IA32_EFER) &= ~(BIT_ULL(1) | NV_EFER_LMA);
	EXPECT_FAIL("guest EFER.LMA differs from IA-32e mode guest");
	F(GUEST_IA32_EFER) |= NV_EFER_LMA;
	F(GUEST_IA32_EFER) &= ~NV_EFER_LME;
	EXPECT_FAIL("guest EFER.LME differs from EFER.LMA with CR0.PG");
	F(VM_ENTRY_CONTROLS) &= ~NV_ENTRY_CTL_LOAD_EFER;
	EXPECT_PASS();
}

TEST_F(gst, efer_lme_without_paging)
{
	/* LME without LMA is fine while paging is off. */
	real_mode(self->msrs, self->v.field);
	F(GUEST_IA32_EFER) = NV_EFER_LME;
	EXPECT_PASS();
}

/* "Checks on Guest Segment Registers" */

TEST_F(gst, selectors)
{
	F(GUEST_TR_SELECTOR) |= 4;
	EXPECT_FAIL("guest TR selector TI set");
	F(GUEST_TR_SELECTOR) &= ~4ULL;
	F(GUEST_LDTR_SELECTOR) = 4;
	EXPECT_PASS();		/* unusable */
	set_seg(self->v.field, SEG_LDTR, 0x54, 0, 0xffff, 0x82);
	EXPECT_FAIL("guest LDTR selector TI set");
	set_seg(self->v.field, SEG_LDTR, 0x50, 0, 0xffff, 0x82);
	EXPECT_PASS();
	F(GUEST_SS_SELECTOR) = 0x1b;
	EXPECT_FAIL("guest SS RPL differs from CS RPL");
}

TEST_F(gst, bases)
{
	F(GUEST_TR_BASE) = 0x0000800000000000ULL;
	EXPECT_FAIL("guest TR/FS/GS/LDTR base not canonical");
	F(GUEST_TR_BASE) = 0;
	F(GUEST_GS_BASE) = 0x0000800000000000ULL;
	EXPECT_FAIL("guest TR/FS/GS/LDTR base not canonical");
	F(GUEST_GS_BASE) = 0;
	F(GUEST_LDTR_BASE) = 0x0000800000000000ULL;
	EXPECT_PASS();		/* unusable */
	F(GUEST_LDTR_AR_BYTES) = 0x82;
	EXPECT_FAIL("guest TR/FS/GS/LDTR base not canonical");
	F(GUEST_LDTR_AR_BYTES) = NV_AR_UNUSABLE;
	F(GUEST_ES_BASE) = BIT_ULL(32);
	EXPECT_PASS();		/* unusable */
	F(GUEST_DS_BASE) = BIT_ULL(32);
	EXPECT_FAIL("guest CS/SS/DS/ES base bits 63:32 set");
	F(GUEST_DS_BASE) = 0;
	F(GUEST_CS_BASE) = BIT_ULL(32);
	EXPECT_FAIL("guest CS/SS/DS/ES base bits 63:32 set");
}

TEST_F(gst, virtual_8086_segments)
{
	protected_mode_32(self->v.field);
	v86_segs(self->v.field);
	F(GUEST_DS_BASE) += 1;
	EXPECT_FAIL("guest virtual-8086 base not selector << 4");
	F(GUEST_DS_BASE) -= 1;
	F(GUEST_GS_LIMIT) = 0xfffff;
	EXPECT_FAIL("guest virtual-8086 limit not 0xffff");
	F(GUEST_GS_LIMIT) = 0xffff;
	F(GUEST_SS_AR_BYTES) = 0xf2;
	EXPECT_FAIL("guest virtual-8086 access rights not 0xf3");
}

TEST_F(gst, segment_types)
{
	F(GUEST_CS_AR_BYTES) = 0xa09a;		/* not accessed */
	EXPECT_FAIL("guest CS type invalid");
	F(GUEST_CS_AR_BYTES) = 0xa093;		/* data: unrestricted guest only */
	EXPECT_FAIL("guest CS type invalid");
	F(GUEST_CS_AR_BYTES) = 0xa09b;
	F(GUEST_SS_AR_BYTES) = 0xc09b;
	EXPECT_FAIL("guest SS type invalid");
	F(GUEST_SS_AR_BYTES) = 0xc097;		/* expand-down */
	EXPECT_PASS();
	F(GUEST_SS_AR_BYTES) = 0xc091;
	EXPECT_FAIL("guest SS type invalid");
	F(GUEST_SS_AR_BYTES) |= NV_AR_UNUSABLE;
	EXPECT_PASS();
	F(GUEST_DS_AR_BYTES) = 0xc092;
	EXPECT_FAIL("guest data segment not accessed");
	F(GUEST_DS_AR_BYTES) = 0xc099;
	EXPECT_FAIL("guest data segment is unreadable code");
	F(GUEST_DS_AR_BYTES) = 0xc09b;
	EXPECT_PASS();
}

TEST_F(gst, segment_dpl)
{
	F(GUEST_CS_AR_BYTES) = 0xa0bb;		/* nonconforming, DPL 1 */
	EXPECT_FAIL("guest nonconforming CS DPL differs from SS DPL");
	F(GUEST_CS_AR_BYTES) = 0xa09f;		/* conforming, DPL 0 */
	EXPECT_PASS();
	F(GUEST_SS_SELECTOR) = 0x1b;
	F(GUEST_CS_SELECTOR) = 0x13;
	F(GUEST_SS_AR_BYTES) = 0xc0f3;
	F(GUEST_CS_AR_BYTES) = 0xa0ff;		/* conforming, DPL 3 */
	F(GUEST_DS_AR_BYTES) = 0xc0f3;
	EXPECT_PASS();
	F(GUEST_SS_AR_BYTES) = 0xc0d3;		/* DPL 2 */
	EXPECT_FAIL("guest conforming CS DPL above SS DPL");
	F(GUEST_CS_AR_BYTES) = 0xa0df;
	EXPECT_FAIL("guest SS DPL differs from SS RPL");
	F(GUEST_SS_AR_BYTES) = 0xc0f3;
	F(GUEST_CS_AR_BYTES) = 0xa0ff;
	F(GUEST_DS_SELECTOR) = 0x1b;
	F(GUEST_DS_AR_BYTES) = 0xc0b3;		/* DPL 1 < RPL 3 */
	EXPECT_FAIL("guest data segment DPL below RPL");
	F(GUEST_DS_AR_BYTES) = 0xc0bf;		/* conforming code */
	EXPECT_PASS();
}

TEST_F(gst, segment_dpl_unrestricted)
{
	real_mode(self->msrs, self->v.field);
	F(GUEST_CS_AR_BYTES) = 0xb3;
	EXPECT_FAIL("guest CS DPL not 0 with CS type 3");
	F(GUEST_CS_AR_BYTES) = 0x9b;
	F(GUEST_SS_AR_BYTES) = 0xf3;
	F(GUEST_CS_AR_BYTES) = 0xff;
	EXPECT_FAIL("guest SS DPL not 0 with CS type 3 or CR0.PE clear");
	/* No RPL rules with unrestricted guest. */
	F(GUEST_SS_AR_BYTES) = 0x93;
	F(GUEST_CS_AR_BYTES) = 0x9b;
	F(GUEST_SS_SELECTOR) = 3;
	F(GUEST_DS_SELECTOR) = 3;
	EXPECT_PASS();
}

TEST_F(gst, segment_common_rights)
{
	F(GUEST_DS_AR_BYTES) = 0xc083;
	EXPECT_FAIL("guest segment S bit wrong");
	F(GUEST_DS_AR_BYTES) = 0xc013;
	EXPECT_FAIL("guest segment not present");
	F(GUEST_DS_AR_BYTES) = 0xc193;
	EXPECT_FAIL("guest segment access rights bits 11:8 set");
	F(GUEST_DS_AR_BYTES) = 0x4093;		/* limit 0xffffffff, G clear */
	EXPECT_FAIL("guest segment limit inconsistent with G");
	F(GUEST_DS_LIMIT) = 0xffffe;
	EXPECT_PASS();
	F(GUEST_DS_AR_BYTES) = 0xc093;		/* limit 0xffffe, G set */
	EXPECT_FAIL("guest segment limit inconsistent with G");
	F(GUEST_DS_LIMIT) = 0xffffffff;
	F(GUEST_DS_AR_BYTES) = 0x2c093;
	EXPECT_FAIL("guest segment access rights bits 31:17 set");
	F(GUEST_DS_AR_BYTES) = 0x2c093 | NV_AR_UNUSABLE;
	EXPECT_PASS();
	F(GUEST_CS_AR_BYTES) = 0xa09b | NV_AR_UNUSABLE | BIT(20);
	EXPECT_FAIL("guest segment access rights bits 31:17 set");
}

TEST_F(gst, cs_l_and_d)
{
	F(GUEST_CS_AR_BYTES) = 0xe09b;
	EXPECT_FAIL("guest CS.L and CS.D both set in IA-32e mode");
}

TEST_F(gst, tr_and_ldtr)
{
	F(GUEST_TR_AR_BYTES) = 0x83;		/* 16-bit busy TSS */
	EXPECT_FAIL("guest TR type not a busy TSS");
	F(GUEST_TR_AR_BYTES) = 0x89;		/* available TSS */
	EXPECT_FAIL("guest TR type not a busy TSS");
	F(GUEST_TR_AR_BYTES) = 0x8b | NV_AR_UNUSABLE;
	EXPECT_FAIL("guest TR unusable");
	F(GUEST_TR_AR_BYTES) = 0x9b;		/* S set */
	EXPECT_FAIL("guest segment S bit wrong");
	F(GUEST_TR_AR_BYTES) = 0x0b;
	EXPECT_FAIL("guest segment not present");
	F(GUEST_TR_AR_BYTES) = 0x808b;		/* limit 0x67 with G */
	EXPECT_FAIL("guest segment limit inconsistent with G");
	F(GUEST_TR_AR_BYTES) = 0x8b;
	F(GUEST_LDTR_AR_BYTES) = 0x83;
	EXPECT_FAIL("guest LDTR type not LDT");
	F(GUEST_LDTR_AR_BYTES) = 0x92;
	EXPECT_FAIL("guest segment S bit wrong");
	F(GUEST_LDTR_AR_BYTES) = 0x82;
	EXPECT_PASS();
}

/* "Checks on Guest Descriptor-Table Registers" */

TEST_F(gst, descriptor_tables)
{
	F(GUEST_IDTR_BASE) = 0x0000800000000000ULL;
	EXPECT_FAIL("guest GDTR/IDTR base not canonical");
	F(GUEST_IDTR_BASE) = 0;
	F(GUEST_GDTR_LIMIT) = 0x10000;
	EXPECT_FAIL("guest GDTR/IDTR limit bits 31:16 set");
}

/* "Checks on Guest RIP, RFLAGS, and SSP" */

TEST_F(gst, rip)
{
	F(GUEST_RIP) = 0x0000800000000000ULL;
	EXPECT_FAIL("guest RIP not canonical");
	/* Compatibility mode: 32-bit RIP. */
	F(GUEST_CS_AR_BYTES) = 0xc09b;
	EXPECT_FAIL("guest RIP bits 63:32 set");
	F(GUEST_RIP) = 0xffffffff;
	EXPECT_PASS();
}

TEST_F(gst, rflags)
{
	F(GUEST_RFLAGS) = 0x200;
	EXPECT_FAIL("guest RFLAGS reserved bits wrong");
	F(GUEST_RFLAGS) = 0x202 | BIT_ULL(15);
	EXPECT_FAIL("guest RFLAGS reserved bits wrong");
	F(GUEST_RFLAGS) = 0x202 | BIT_ULL(22);
	EXPECT_FAIL("guest RFLAGS reserved bits wrong");
	F(GUEST_RFLAGS) = 0x202 | BIT_ULL(21) | BIT_ULL(14);
	EXPECT_PASS();
}

TEST_F(gst, rflags_vm)
{
	/* Virtual-8086 segments in IA-32e mode. */
	v86_segs(self->v.field);
	F(GUEST_CS_AR_BYTES) = 0xf3;
	EXPECT_FAIL("guest RFLAGS.VM set in IA-32e mode or with CR0.PE clear");
	/* ... and with CR0.PE clear. */
	real_mode(self->msrs, self->v.field);
	v86_segs(self->v.field);
	EXPECT_FAIL("guest RFLAGS.VM set in IA-32e mode or with CR0.PE clear");
}

TEST_F(gst, rflags_if_with_external_interrupt)
{
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x20;
	EXPECT_PASS();
	F(GUEST_RFLAGS) = 0x2;
	EXPECT_FAIL("guest RFLAGS.IF clear with an injected external interrupt");
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x30e |
				      NV_INTR_INFO_DELIVER_CODE;
	EXPECT_PASS();
}

/* "Checks on Guest Non-Register State" */

TEST_F(gst, activity_state)
{
	F(GUEST_ACTIVITY_STATE) = 4;
	EXPECT_FAIL("guest activity state invalid");
	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_HLT;
	EXPECT_PASS();
	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_SHUTDOWN;
	EXPECT_PASS();
	self->msrs[NV_MSR_MISC] &= ~BIT_ULL(7);
	EXPECT_FAIL("guest activity state not supported");
	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_WAIT_SIPI;
	EXPECT_PASS();
	self->msrs[NV_MSR_MISC] &= ~BIT_ULL(8);
	EXPECT_FAIL("guest activity state not supported");
}

TEST_F(gst, hlt_needs_ss_dpl_0)
{
	set_seg(self->v.field, SEG_CS, 0x33, 0, 0xffffffff, 0xa0fb);
	set_seg(self->v.field, SEG_SS, 0x2b, 0, 0xffffffff, 0xc0f3);
	F(GUEST_RIP) = 0x1000;
	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_HLT;
	EXPECT_FAIL("guest HLT with SS DPL not 0");
}

TEST_F(gst, inactive_with_sti_blocking)
{
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_STI;
	EXPECT_PASS();
	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_HLT;
	EXPECT_FAIL("guest inactive with STI or MOV-SS blocking");
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_MOV_SS;
	EXPECT_FAIL("guest inactive with STI or MOV-SS blocking");
}

TEST_F(gst, event_vs_activity_state)
{
	const char *blocked = "injected event blocked in the guest activity state";

	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_HLT;
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x20;
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x301;	/* #DB */
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x700;	/* MTF */
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x603;	/* INT3 */
	EXPECT_FAIL(blocked);
	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_SHUTDOWN;
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x312;	/* #MC */
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x20;
	EXPECT_FAIL(blocked);
	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_WAIT_SIPI;
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x202;	/* NMI */
	EXPECT_FAIL(blocked);
	F(VM_ENTRY_INTR_INFO_FIELD) = 0x202;				/* not valid */
	EXPECT_PASS();
}

TEST_F(gst, interruptibility)
{
	F(GUEST_INTERRUPTIBILITY_INFO) = BIT(4);
	EXPECT_FAIL("guest interruptibility reserved bits set");
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_STI | NV_INTR_BLOCK_MOV_SS;
	EXPECT_FAIL("guest STI and MOV-SS blocking both set");
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_STI;
	F(GUEST_RFLAGS) = 0x2;
	EXPECT_FAIL("guest STI blocking with RFLAGS.IF clear");
	F(GUEST_RFLAGS) = 0x202;
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x20;
	EXPECT_FAIL("guest STI or MOV-SS blocking with external interrupt");
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_MOV_SS;
	EXPECT_FAIL("guest STI or MOV-SS blocking with external interrupt");
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x202;
	EXPECT_FAIL("guest MOV-SS blocking with an injected NMI");
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_STI;
	EXPECT_PASS();
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_SMI;
	EXPECT_FAIL("guest SMI blocking outside SMM");
}

TEST_F(gst, nmi_blocking_with_injected_nmi)
{
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_NMI;
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = NV_INTR_INFO_VALID | 0x202;
	EXPECT_FAIL("guest virtual-NMI blocking with an injected NMI");
	/* Without virtual NMIs, the SDM has no such requirement. */
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~NV_PIN_CTL_VIRTUAL_NMIS;
	EXPECT_PASS();
}

TEST_F(gst, pending_debug_exceptions)
{
	F(GUEST_PENDING_DBG_EXCEPTIONS) = 0xf | NV_PENDING_DBG_ENABLED_BP;
	EXPECT_PASS();
	F(GUEST_PENDING_DBG_EXCEPTIONS) = BIT_ULL(4);
	EXPECT_FAIL("guest pending debug exceptions reserved bits set");
	F(GUEST_PENDING_DBG_EXCEPTIONS) = BIT_ULL(13);
	EXPECT_FAIL("guest pending debug exceptions reserved bits set");
	F(GUEST_PENDING_DBG_EXCEPTIONS) = BIT_ULL(17);
	EXPECT_FAIL("guest pending debug exceptions reserved bits set");
}

TEST_F(gst, pending_bs)
{
	const char *bs = "guest pending BS inconsistent with TF and BTF";

	F(GUEST_RFLAGS) |= NV_RFLAGS_TF;
	EXPECT_PASS();		/* no blocking, not HLT: no rule */
	F(GUEST_INTERRUPTIBILITY_INFO) = NV_INTR_BLOCK_MOV_SS;
	EXPECT_FAIL(bs);
	F(GUEST_PENDING_DBG_EXCEPTIONS) = NV_PENDING_DBG_BS;
	EXPECT_PASS();
	F(GUEST_IA32_DEBUGCTL) = NV_DEBUGCTL_BTF;
	EXPECT_FAIL(bs);
	F(GUEST_IA32_DEBUGCTL) = 0;
	F(GUEST_INTERRUPTIBILITY_INFO) = 0;
	F(GUEST_ACTIVITY_STATE) = NV_ACTIVITY_HLT;
	F(GUEST_RFLAGS) &= ~NV_RFLAGS_TF;
	EXPECT_FAIL(bs);
}

TEST_F(gst, pending_rtm)
{
	F(GUEST_PENDING_DBG_EXCEPTIONS) = NV_PENDING_DBG_RTM |
					  NV_PENDING_DBG_ENABLED_BP;
	EXPECT_PASS();
	F(GUEST_PENDING_DBG_EXCEPTIONS) |= 1;
	EXPECT_FAIL("guest pending RTM inconsistent");
	F(GUEST_PENDING_DBG_EXCEPTIONS) = NV_PENDING_DBG_RTM;
	EXPECT_FAIL("guest pending RTM inconsistent");
}

TEST_F(gst, vmcs_link_pointer)
{
	F(VMCS_LINK_POINTER) = 0x5000;
	EXPECT_PASS();
	F(VMCS_LINK_POINTER) = 0x5008;
	EXPECT_FAIL_QUAL(4, "guest VMCS link pointer not 4 KiB aligned");
	F(VMCS_LINK_POINTER) = 1ULL << MAXPHYADDR;
	EXPECT_FAIL_QUAL(4, "guest VMCS link pointer beyond physical-address width");
}

/* The part of the link-pointer checks that reads the VMCS it points to. */
TEST_F(gst, vmcs_link_pointer_leads_to_a_vmcs)
{
	u32 rev = NV_VMX_BASIC_REVISION(self->msrs[NV_MSR_BASIC]);
	struct nested_guest_result *r = &self->r;

	EXPECT_EQ(0, nested_check_link_vmcs(&self->env, &self->v, 0x6000,
					    false, 0, r));
	F(VMCS_LINK_POINTER) = 0x5000;
	EXPECT_EQ(0, nested_check_link_vmcs(&self->env, &self->v, 0x6000,
					    true, rev, r));
	EXPECT_EQ(-EINVAL, nested_check_link_vmcs(&self->env, &self->v,
						  0x6000, true, rev + 1, r));
	EXPECT_EQ(4, r->qualification);
	EXPECT_EQ(NV_EXIT_REASON_INVALID_GUEST, r->exit_reason);
	EXPECT_EQ(-EINVAL, nested_check_link_vmcs(&self->env, &self->v,
						  0x6000, false, rev, r));
	EXPECT_EQ(-EINVAL, nested_check_link_vmcs(&self->env, &self->v,
						  0x5000, true, rev, r));
	EXPECT_STREQ("guest VMCS link pointer is the current VMCS", r->check);
	/* A shadow VMCS exactly when VMCS shadowing is on. */
	EXPECT_EQ(-EINVAL, nested_check_link_vmcs(&self->env, &self->v,
						  0x6000, true,
						  rev | BIT(31), r));
	F(CPU_BASED_VM_EXEC_CONTROL) |= NV_PROC_CTL_ACTIVATE_SECONDARY;
	F(SECONDARY_VM_EXEC_CONTROL) |= NV_PROC2_CTL_VMCS_SHADOWING;
	EXPECT_EQ(0, nested_check_link_vmcs(&self->env, &self->v, 0x6000,
					    true, rev | BIT(31), r));
}

/* "Checks on Guest Page-Directory-Pointer-Table Entries" */

TEST_F(gst, pdptes)
{
	protected_mode_32(self->v.field);
	F(GUEST_PDPTE2) = 0x4001 | BIT_ULL(1);
	EXPECT_FAIL_QUAL(2, "guest PDPTE reserved bits set");
	F(GUEST_PDPTE2) = 0x4001 | BIT_ULL(8);
	EXPECT_FAIL_QUAL(2, "guest PDPTE reserved bits set");
	F(GUEST_PDPTE2) = 0x4001 | (1ULL << MAXPHYADDR);
	EXPECT_FAIL_QUAL(2, "guest PDPTE reserved bits set");
	F(GUEST_PDPTE2) = 0x4000 | BIT_ULL(1);		/* not present */
	EXPECT_PASS();
	F(GUEST_PDPTE3) = 0x4001 | BIT_ULL(1);
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_EPT;
	EXPECT_PASS();				/* loaded by the caller */
}

TEST_F(gst, pdptes_ignored_in_ia32e_mode)
{
	F(GUEST_PDPTE0) = 0x7;
	EXPECT_PASS();
}

TEST_HARNESS_MAIN
