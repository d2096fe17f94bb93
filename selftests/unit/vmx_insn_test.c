// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of src/nested/vmx_insn.c: L1's VMXON, VMXOFF, VMCLEAR,
 * VMPTRLD, VMREAD and VMWRITE against a small fake of L1's memory, with
 * the outcome and error number of each case the SDM describes.
 */
#include "../../src/nested/checks.h"
#include "../../src/nested/vmx_insn.h"
#include "../../src/nested/vmx_msrs.h"
#include "skylake.h"
#include "kselftest_harness.h"

#define MEM_SIZE	0x10000ULL
#define VMXON_PTR	0x1000ULL
#define VMCS_A		0x2000ULL
#define VMCS_B		0x3000ULL
#define CF		NESTED_RFLAGS_CF
#define ZF		NESTED_RFLAGS_ZF

static u8 mem_bytes[MEM_SIZE];

static int mem_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
		return -ENOENT;
	memcpy(buf, mem_bytes + gpa, len);
	return 0;
}

static int mem_write(void *ctx, u64 gpa, const void *buf, unsigned int len)
{
	if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
		return -ENOENT;
	memcpy(mem_bytes + gpa, buf, len);
	return 0;
}

FIXTURE(vi) {
	u64 host[NV_MSR_CAP_MSR_COUNT], l1msrs[NV_MSR_CAP_MSR_COUNT];
	struct nested_vmx n;
	struct nested_l1 l1;
	struct nested_mem mem;
	u64 rflags;
};

static void put_rev(u64 ptr, u32 rev)
{
	memcpy(mem_bytes + ptr, &rev, sizeof(rev));
}

FIXTURE_SETUP(vi)
{
	u32 rev;

	skylake_vmx_msrs(self->host);
	nvmx_l1_vmx_msrs(self->host, self->l1msrs);
	rev = NV_VMX_BASIC_REVISION(self->l1msrs[NV_MSR_BASIC]);
	memset(mem_bytes, 0, sizeof(mem_bytes));
	put_rev(VMXON_PTR, rev);
	put_rev(VMCS_A, rev);
	put_rev(VMCS_B, rev);
	nested_vmx_init(&self->n);
	self->l1 = (struct nested_l1){
		.cr0 = 0x80050033, .cr4 = 0x2620, .efer = 0x500,
		.rflags = 2, .cs_l = true, .cpl = 0,
		.feature_control = nvmx_l1_feature_control(true),
		.msrs = self->l1msrs, .maxphyaddr = 39,
	};
	self->mem = (struct nested_mem){ NULL, mem_read, mem_write };
	self->rflags = 2 | CF | ZF | NESTED_RFLAGS_SF;
}

FIXTURE_TEARDOWN(vi)
{
}

static u64 outcome(u64 rflags)
{
	return rflags & NESTED_RFLAGS_ARITH;
}

TEST_F(vi, prechecks_in_the_sdm_order)
{
	struct nested_l1 l1 = self->l1;

	EXPECT_EQ(NESTED_UD, nested_vmx_precheck(&self->n, &l1, NV_EXIT_VMPTRLD));
	l1.cr4 &= ~NV_CR4_VMXE;
	EXPECT_EQ(NESTED_UD, nested_vmx_precheck(&self->n, &l1, NV_EXIT_VMXON));
	l1 = self->l1;
	l1.cs_l = false;	/* compatibility mode */
	EXPECT_EQ(NESTED_UD, nested_vmx_precheck(&self->n, &l1, NV_EXIT_VMXON));
	l1 = self->l1;
	l1.cpl = 3;
	EXPECT_EQ(NESTED_GP, nested_vmx_precheck(&self->n, &l1, NV_EXIT_VMXON));
	l1 = self->l1;
	l1.cr0 &= ~BIT_ULL(5);	/* NE is fixed to 1 in VMX operation */
	EXPECT_EQ(NESTED_GP, nested_vmx_precheck(&self->n, &l1, NV_EXIT_VMXON));
	l1 = self->l1;
	l1.feature_control = nvmx_l1_feature_control(false);
	EXPECT_EQ(NESTED_GP, nested_vmx_precheck(&self->n, &l1, NV_EXIT_VMXON));
	EXPECT_EQ(NESTED_DONE,
		  nested_vmx_precheck(&self->n, &self->l1, NV_EXIT_VMXON));
}

TEST_F(vi, vmxon_checks_its_region)
{
	EXPECT_EQ(NESTED_DONE, nested_vmxon(&self->n, &self->l1, &self->mem,
					    VMXON_PTR + 8, &self->rflags));
	EXPECT_EQ(CF, outcome(self->rflags));
	EXPECT_FALSE(self->n.vmxon);
	nested_vmxon(&self->n, &self->l1, &self->mem, 1ULL << 39, &self->rflags);
	EXPECT_EQ(CF, outcome(self->rflags));
	put_rev(VMXON_PTR, 0x1234);
	nested_vmxon(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	EXPECT_EQ(CF, outcome(self->rflags));
	EXPECT_FALSE(self->n.vmxon);
}

/* Enter VMX operation and make VMCS_A current. */
static void enter(struct _test_data_vi *self)
{
	nested_vmxon(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_A, &self->rflags);
}

TEST_F(vi, vmxon_and_vmptrld_succeed)
{
	nested_vmxon(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_TRUE(self->n.vmxon);
	EXPECT_EQ(NESTED_NO_VMCS, self->n.current_ptr);
	/* VMXON in VMX root operation without a VMCS: VMfailInvalid. */
	nested_vmxon(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	EXPECT_EQ(CF, outcome(self->rflags));
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_A, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_EQ(VMCS_A, self->n.current_ptr);
	/* ... and with one: VMfailValid(15). */
	nested_vmxon(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_VMXON_IN_VMXROOT,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
}

TEST_F(vi, vmptrld_errors)
{
	enter(self);
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_B + 4, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_VMPTRLD_INVALID_ADDR,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	EXPECT_EQ(VMXERR_VMPTRLD_VMXON_PTR,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	put_rev(VMCS_B, 0x80000000 | 0x1234);
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_B, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_VMPTRLD_BAD_REVISION,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	/* Outside L1's memory: an invalid address. */
	nested_vmptrld(&self->n, &self->l1, &self->mem, 0x100000, &self->rflags);
	EXPECT_EQ(VMXERR_VMPTRLD_INVALID_ADDR,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	EXPECT_EQ(VMCS_A, self->n.current_ptr);
}

TEST_F(vi, vmread_and_vmwrite)
{
	u64 val = 0;

	nested_vmxon(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	EXPECT_FALSE(nested_vmread(&self->n, VMCS_GUEST_RIP, &val,
				   &self->rflags));
	EXPECT_EQ(CF, outcome(self->rflags));
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_A, &self->rflags);
	nested_vmwrite(&self->n, &self->l1, VMCS_GUEST_RIP, 0xabcdef,
		       &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_TRUE(nested_vmread(&self->n, VMCS_GUEST_RIP, &val,
				  &self->rflags));
	EXPECT_EQ(0xabcdef, val);
	EXPECT_FALSE(nested_vmread(&self->n, 1ULL << 32 | VMCS_GUEST_RIP,
				   &val, &self->rflags));
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_UNSUPPORTED_VMCS_COMPONENT,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	nested_vmwrite(&self->n, &self->l1, 0x7ffe, 1, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
}

TEST_F(vi, vmwrite_of_a_read_only_field_depends_on_vmwrite_any)
{
	enter(self);
	self->l1msrs[NV_MSR_MISC] &= ~NV_VMX_MISC_VMWRITE_ANY;
	nested_vmwrite(&self->n, &self->l1, VMCS_VM_EXIT_REASON, 1,
		       &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_VMWRITE_READ_ONLY,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	self->l1msrs[NV_MSR_MISC] |= NV_VMX_MISC_VMWRITE_ANY;
	nested_vmwrite(&self->n, &self->l1, VMCS_VM_EXIT_REASON, 1,
		       &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
}

TEST_F(vi, vmclear_writes_back_and_clears)
{
	struct vmcs12 saved;
	u64 val = 0;

	enter(self);
	nested_vmwrite(&self->n, &self->l1, VMCS_GUEST_RSP, 0x5555,
		       &self->rflags);
	self->n.vmcs12.launch_state = VMCS12_LAUNCHED;
	nested_vmclear(&self->n, &self->l1, &self->mem, VMCS_A, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_EQ(NESTED_NO_VMCS, self->n.current_ptr);
	memcpy(&saved, mem_bytes + VMCS_A, sizeof(saved));
	EXPECT_EQ(VMCS12_CLEAR, saved.launch_state);
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_A, &self->rflags);
	EXPECT_TRUE(nested_vmread(&self->n, VMCS_GUEST_RSP, &val,
				  &self->rflags));
	EXPECT_EQ(0x5555, val);
	/* VMCLEAR of the VMXON region, and of a misaligned address. */
	nested_vmclear(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	EXPECT_EQ(VMXERR_VMCLEAR_VMXON_PTR,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	nested_vmclear(&self->n, &self->l1, &self->mem, 0x10, &self->rflags);
	EXPECT_EQ(VMXERR_VMCLEAR_INVALID_ADDR,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
}

TEST_F(vi, vmptrld_of_another_vmcs_and_vmxoff_write_back)
{
	struct vmcs12 saved;

	enter(self);
	nested_vmwrite(&self->n, &self->l1, VMCS_GUEST_RIP, 0x77, &self->rflags);
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_B, &self->rflags);
	memcpy(&saved, mem_bytes + VMCS_A, sizeof(saved));
	EXPECT_EQ(0x77, saved.field[V12_GUEST_RIP]);
	nested_vmwrite(&self->n, &self->l1, VMCS_GUEST_RIP, 0x88, &self->rflags);
	nested_vmxoff(&self->n, &self->mem, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_FALSE(self->n.vmxon);
	memcpy(&saved, mem_bytes + VMCS_B, sizeof(saved));
	EXPECT_EQ(0x88, saved.field[V12_GUEST_RIP]);
}

TEST_F(vi, invept_and_invvpid_check_type_and_descriptor)
{
	/* A valid EPTP: write-back, 4-level walk. */
	u64 good[2] = { 0x5000 | 6 | (3 << 3), 0 }, bad[2] = { 0x5000, 0 };
	u64 vpid[2] = { 1, 0x1000 };

	enter(self);
	self->l1msrs[NV_MSR_EPT_VPID_CAP] |= NV_EPT_CAP_INVEPT_SINGLE |
		NV_EPT_CAP_INVEPT_ALL | NV_VPID_CAP_INVVPID_ADDR |
		NV_VPID_CAP_INVVPID_SINGLE | NV_VPID_CAP_INVVPID_ALL;
	nested_invept(&self->n, &self->l1, 1, good, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	nested_invept(&self->n, &self->l1, 2, bad, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	nested_invept(&self->n, &self->l1, 1, bad, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_INVALID_INVEPT_INVVPID_OPERAND,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	nested_invept(&self->n, &self->l1, 3, good, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	nested_invvpid(&self->n, &self->l1, 0, vpid, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	vpid[1] = 0x0000800000000000ULL;	/* not canonical */
	nested_invvpid(&self->n, &self->l1, 0, vpid, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	vpid[0] = 0;				/* VPID 0, single context */
	nested_invvpid(&self->n, &self->l1, 1, vpid, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	nested_invvpid(&self->n, &self->l1, 2, vpid, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	vpid[0] = 1ULL << 16;			/* reserved bits */
	nested_invvpid(&self->n, &self->l1, 2, vpid, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	/* A type L1 was not offered. */
	self->l1msrs[NV_MSR_EPT_VPID_CAP] &= ~NV_VPID_CAP_INVVPID_SINGLE_NONGLOBAL;
	vpid[0] = 1;
	nested_invvpid(&self->n, &self->l1, 3, vpid, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
}

TEST_F(vi, invept_without_the_capability_is_ud)
{
	enter(self);
	self->l1msrs[NV_MSR_EPT_VPID_CAP] &= ~NV_EPT_CAP_INVEPT;
	EXPECT_EQ(NESTED_UD,
		  nested_vmx_precheck(&self->n, &self->l1, NV_EXIT_INVEPT));
	self->l1msrs[NV_MSR_EPT_VPID_CAP] |= NV_EPT_CAP_INVEPT;
	EXPECT_EQ(NESTED_DONE,
		  nested_vmx_precheck(&self->n, &self->l1, NV_EXIT_INVEPT));
}

/*
 * VMLAUNCH/VMRESUME up to the VM entry proper, in the SDM's order: no
 * current VMCS, blocking by MOV SS (26), launch state (4, 5), controls
 * (7), host state (8). nested_launch_check() does not touch the launch
 * state: the caller sets it once the entry succeeds.
 */
TEST_F(vi, vmlaunch_and_vmresume_checks)
{
	struct nested_check_result r;
	struct nested_vmx *n = &self->n;

	ASSERT_EQ(NESTED_DONE, nested_vmxon(n, &self->l1, &self->mem,
					    VMXON_PTR, &self->rflags));
	EXPECT_EQ(NESTED_DONE, nested_launch_check(n, &self->l1, true, 0,
						   &self->rflags, &r));
	EXPECT_EQ(CF, outcome(self->rflags));
	ASSERT_EQ(NESTED_DONE, nested_vmptrld(n, &self->l1, &self->mem,
					      VMCS_A, &self->rflags));
	EXPECT_EQ(NESTED_DONE, nested_launch_check(n, &self->l1, true, 2,
						   &self->rflags, &r));
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(26, n->vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	EXPECT_EQ(NESTED_DONE, nested_launch_check(n, &self->l1, false, 0,
						   &self->rflags, &r));
	EXPECT_EQ(5, n->vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	/* An all-zero VMCS12 has invalid controls (default1 bits clear). */
	EXPECT_EQ(NESTED_DONE, nested_launch_check(n, &self->l1, true, 0,
						   &self->rflags, &r));
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(7, n->vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	EXPECT_NE(NULL, r.check);
	EXPECT_EQ(VMCS12_CLEAR, n->vmcs12.launch_state);
	n->vmcs12.launch_state = VMCS12_LAUNCHED;
	EXPECT_EQ(NESTED_DONE, nested_launch_check(n, &self->l1, true, 0,
						   &self->rflags, &r));
	EXPECT_EQ(4, n->vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
}

/* A shadow VMCS (bit 31) can be made current only with VMCS shadowing. */
TEST_F(vi, vmptrld_of_a_shadow_vmcs_and_no_entry_with_it)
{
	struct nested_check_result r;
	u32 rev = NV_VMX_BASIC_REVISION(self->l1msrs[NV_MSR_BASIC]);

	enter(self);
	put_rev(VMCS_B, rev | BIT(31));
	self->l1msrs[NV_MSR_PROCBASED_CTLS2] &=
		~((u64)NV_PROC2_CTL_VMCS_SHADOWING << 32);
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_B, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_VMPTRLD_BAD_REVISION,
		  self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	self->l1msrs[NV_MSR_PROCBASED_CTLS2] |=
		(u64)NV_PROC2_CTL_VMCS_SHADOWING << 32;
	nested_vmptrld(&self->n, &self->l1, &self->mem, VMCS_B, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_EQ(VMCS_B, self->n.current_ptr);
	/* VMLAUNCH of a shadow VMCS: VMfailInvalid, no error number. */
	self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR] = 0;
	EXPECT_EQ(NESTED_DONE, nested_launch_check(&self->n, &self->l1, true, 0,
						   &self->rflags, &r));
	EXPECT_EQ(CF, outcome(self->rflags));
	EXPECT_EQ(0, self->n.vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	/* The VMXON region may not be a shadow VMCS. */
	nested_vmx_init(&self->n);
	put_rev(VMXON_PTR, rev | BIT(31));
	nested_vmxon(&self->n, &self->l1, &self->mem, VMXON_PTR, &self->rflags);
	EXPECT_EQ(CF, outcome(self->rflags));
}

/* The 8 bytes of @field's slot in the region at @ptr. */
static u64 *slot_at(u64 ptr, u32 field)
{
	int off = vmcs12_slot_offset(field);

	return off < 0 ? NULL : (u64 *)(mem_bytes + ptr + off);
}

/* L2's VMREAD and VMWRITE that L0 emulates on the shadow VMCS (VMCS_B). */
TEST_F(vi, l2_vmread_and_vmwrite_use_the_shadow_vmcs)
{
	struct nested_vmx *n = &self->n;
	u64 val = 0, rip;

	enter(self);
	n->vmcs12.field[V12_VMCS_LINK_POINTER] = VMCS_B;
	rip = n->vmcs12.field[V12_GUEST_RIP];
	*slot_at(VMCS_B, VMCS_GUEST_RIP) = 0x1122334455667788ULL;
	*slot_at(VMCS_B, VMCS_GUEST_ES_SELECTOR) = 0xabcd1234ULL;
	EXPECT_TRUE(nested_shadow_vmread(n, &self->mem, VMCS_GUEST_RIP, &val,
					 &self->rflags));
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_EQ(0x1122334455667788ULL, val);
	/* A 16-bit field gives 16 bits; a high half bits 63:32. */
	EXPECT_TRUE(nested_shadow_vmread(n, &self->mem, VMCS_GUEST_ES_SELECTOR,
					 &val, &self->rflags));
	EXPECT_EQ(0x1234, val);
	*slot_at(VMCS_B, VMCS_TSC_OFFSET) = 0x8765432112345678ULL;
	EXPECT_TRUE(nested_shadow_vmread(n, &self->mem, VMCS_TSC_OFFSET + 1,
					 &val, &self->rflags));
	EXPECT_EQ(0x87654321, val);
	/* VMWRITE changes the slot in memory, not the VMCS12 L2 runs on. */
	nested_shadow_vmwrite(n, &self->l1, &self->mem, VMCS_GUEST_RSP,
			      0x5000, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_EQ(0x5000, *slot_at(VMCS_B, VMCS_GUEST_RSP));
	EXPECT_EQ(0, n->vmcs12.field[V12_GUEST_RSP]);
	EXPECT_EQ(rip, n->vmcs12.field[V12_GUEST_RIP]);
	nested_shadow_vmwrite(n, &self->l1, &self->mem, VMCS_TSC_OFFSET + 1,
			      0xaaaa, &self->rflags);
	EXPECT_EQ(0x0000aaaa12345678ULL, *slot_at(VMCS_B, VMCS_TSC_OFFSET));
	/* Unsupported: VMfailValid(12), the error in the VMCS12 L2 runs on. */
	EXPECT_FALSE(nested_shadow_vmread(n, &self->mem, 0x7ffe, &val,
					  &self->rflags));
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_UNSUPPORTED_VMCS_COMPONENT,
		  n->vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	EXPECT_FALSE(nested_shadow_vmread(n, &self->mem,
					  1ULL << 32 | VMCS_GUEST_RIP, &val,
					  &self->rflags));
	EXPECT_EQ(ZF, outcome(self->rflags));
	/* Read-only: 13 without "VMWRITE to any supported field". */
	*slot_at(VMCS_B, VMCS_VM_EXIT_REASON) = 7;
	self->l1msrs[NV_MSR_MISC] &= ~NV_VMX_MISC_VMWRITE_ANY;
	nested_shadow_vmwrite(n, &self->l1, &self->mem, VMCS_VM_EXIT_REASON,
			      1, &self->rflags);
	EXPECT_EQ(ZF, outcome(self->rflags));
	EXPECT_EQ(VMXERR_VMWRITE_READ_ONLY,
		  n->vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	EXPECT_EQ(7, *slot_at(VMCS_B, VMCS_VM_EXIT_REASON));
	self->l1msrs[NV_MSR_MISC] |= NV_VMX_MISC_VMWRITE_ANY;
	nested_shadow_vmwrite(n, &self->l1, &self->mem, VMCS_VM_EXIT_REASON,
			      1, &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_EQ(1, *slot_at(VMCS_B, VMCS_VM_EXIT_REASON));
}

TEST_F(vi, l2_vmread_without_a_shadow_vmcs_or_its_memory)
{
	struct nested_vmx *n = &self->n;
	u64 val = 0;

	enter(self);
	n->vmcs12.field[V12_VMCS_LINK_POINTER] = ~0ULL;
	n->vmcs12.field[V12_VM_INSTRUCTION_ERROR] = 0;
	EXPECT_FALSE(nested_shadow_vmread(n, &self->mem, VMCS_GUEST_RIP, &val,
					  &self->rflags));
	EXPECT_EQ(CF, outcome(self->rflags));
	nested_shadow_vmwrite(n, &self->l1, &self->mem, VMCS_GUEST_RIP, 1,
			      &self->rflags);
	EXPECT_EQ(CF, outcome(self->rflags));
	EXPECT_EQ(0, n->vmcs12.field[V12_VM_INSTRUCTION_ERROR]);
	/* Where nothing can be read: all ones, writes dropped. */
	n->vmcs12.field[V12_VMCS_LINK_POINTER] = MEM_SIZE;
	EXPECT_TRUE(nested_shadow_vmread(n, &self->mem, VMCS_GUEST_CS_LIMIT,
					 &val, &self->rflags));
	EXPECT_EQ(0, outcome(self->rflags));
	EXPECT_EQ(0xffffffffULL, val);
	nested_shadow_vmwrite(n, &self->l1, &self->mem, VMCS_GUEST_RIP, 1,
			      &self->rflags);
	EXPECT_EQ(0, outcome(self->rflags));
}

TEST_HARNESS_MAIN
