// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of src/nested/vmcs02.c: the controls of VMCS02 from L0's
 * and L1's, and what L2 reads from CR0/CR4.
 */
#include "../../src/nested/vmcs02.h"
#include "../../src/nested/reflect.h"
#include "kselftest_harness.h"

/* What L0 runs an L1 guest with, roughly as vmx_vmcs01_controls() gives. */
static const struct vmx_controls l0 = {
	.pin = NV_PIN_CTL_EXT_INTR_EXITING | NV_PIN_CTL_NMI_EXITING |
	       NV_PIN_CTL_PREEMPTION_TIMER | 0x16,
	.proc = NV_PROC_CTL_HLT_EXITING | NV_PROC_CTL_UNCOND_IO_EXITING |
		NV_PROC_CTL_USE_MSR_BITMAPS | NV_PROC_CTL_MOV_DR_EXITING |
		NV_PROC_CTL_CR8_LOAD_EXITING | NV_PROC_CTL_CR8_STORE_EXITING |
		NV_PROC_CTL_ACTIVATE_SECONDARY | NV_PROC_CTL_USE_TSC_OFFSETTING |
		NV_PROC_CTL_INTR_WINDOW_EXITING,
	.proc2 = NV_PROC2_CTL_EPT | NV_PROC2_CTL_VPID | NV_PROC2_CTL_RDTSCP |
		 NV_PROC2_CTL_UNRESTRICTED_GUEST,
	.exit = NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE | NV_EXIT_CTL_LOAD_EFER,
	.entry = NV_ENTRY_CTL_LOAD_EFER | NV_ENTRY_CTL_IA32E_MODE_GUEST,
};

FIXTURE(m) {
	struct vmcs12 v;
	struct nested_vmcs02_ctls c;
	const char *why;
};

FIXTURE_SETUP(m)
{
	memset(&self->v, 0, sizeof(self->v));
	self->why = NULL;
}

FIXTURE_TEARDOWN(m)
{
}

static void set(struct vmcs12 *v, enum vmcs12_index i, u64 val)
{
	v->field[i] = val;
}

TEST_F(m, exits_of_both_levels_and_l0s_own_features)
{
	set(&self->v, V12_CPU_BASED_VM_EXEC_CONTROL,
	    NV_PROC_CTL_RDTSC_EXITING | NV_PROC_CTL_USE_IO_BITMAPS |
	    NV_PROC_CTL_PAUSE_EXITING);
	ASSERT_EQ(0, nested_vmcs02_controls(&l0, &self->v, &self->c,
					    &self->why));
	/* L1's exits added, its I/O bitmaps made unconditional I/O. */
	EXPECT_TRUE(self->c.ctls.proc & NV_PROC_CTL_RDTSC_EXITING);
	EXPECT_TRUE(self->c.ctls.proc & NV_PROC_CTL_PAUSE_EXITING);
	EXPECT_FALSE(self->c.ctls.proc & NV_PROC_CTL_USE_IO_BITMAPS);
	EXPECT_TRUE(self->c.ctls.proc & NV_PROC_CTL_UNCOND_IO_EXITING);
	/* L0's own exits kept; its interrupt window is not L2's. */
	EXPECT_TRUE(self->c.ctls.proc & NV_PROC_CTL_HLT_EXITING);
	EXPECT_TRUE(self->c.ctls.proc & NV_PROC_CTL_MOV_DR_EXITING);
	EXPECT_FALSE(self->c.ctls.proc & NV_PROC_CTL_INTR_WINDOW_EXITING);
	EXPECT_EQ(l0.pin, self->c.ctls.pin);
	/* EPT01 and VPID02 are L0's; RDTSCP is L1's choice for L2. */
	EXPECT_TRUE(self->c.ctls.proc2 & NV_PROC2_CTL_EPT);
	EXPECT_TRUE(self->c.ctls.proc2 & NV_PROC2_CTL_VPID);
	EXPECT_FALSE(self->c.ctls.proc2 & NV_PROC2_CTL_RDTSCP);
	EXPECT_FALSE(self->c.ctls.proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST);
	EXPECT_EQ(l0.exit, self->c.ctls.exit);
	/* IA-32e mode guest is L1's. */
	EXPECT_EQ(NV_ENTRY_CTL_LOAD_EFER, self->c.ctls.entry);
	EXPECT_FALSE(self->c.vpid12);
}

TEST_F(m, l1s_event_controls_exception_bitmap_and_vpid)
{
	set(&self->v, V12_PIN_BASED_VM_EXEC_CONTROL,
	    NV_PIN_CTL_NMI_EXITING | NV_PIN_CTL_VIRTUAL_NMIS);
	set(&self->v, V12_CPU_BASED_VM_EXEC_CONTROL,
	    NV_PROC_CTL_NMI_WINDOW_EXITING | NV_PROC_CTL_CR3_LOAD_EXITING |
	    NV_PROC_CTL_ACTIVATE_SECONDARY);
	set(&self->v, V12_SECONDARY_VM_EXEC_CONTROL,
	    NV_PROC2_CTL_VPID | NV_PROC2_CTL_RDTSCP);
	set(&self->v, V12_VIRTUAL_PROCESSOR_ID, 7);
	set(&self->v, V12_EXCEPTION_BITMAP, 1u << NV_VECTOR_PF);
	set(&self->v, V12_PAGE_FAULT_ERROR_CODE_MASK, 2);
	set(&self->v, V12_PAGE_FAULT_ERROR_CODE_MATCH, 2);
	set(&self->v, V12_CR3_TARGET_COUNT, 3);
	set(&self->v, V12_VM_ENTRY_CONTROLS, NV_ENTRY_CTL_IA32E_MODE_GUEST);
	ASSERT_EQ(0, nested_vmcs02_controls(&l0, &self->v, &self->c,
					    &self->why));
	EXPECT_TRUE(self->c.ctls.pin & NV_PIN_CTL_VIRTUAL_NMIS);
	EXPECT_TRUE(self->c.ctls.proc & NV_PROC_CTL_NMI_WINDOW_EXITING);
	EXPECT_TRUE(self->c.ctls.proc2 & NV_PROC2_CTL_RDTSCP);
	EXPECT_EQ(1u << NV_VECTOR_PF, self->c.exception_bitmap);
	EXPECT_EQ(2, self->c.pfec_mask);
	EXPECT_EQ(2, self->c.pfec_match);
	EXPECT_EQ(3, self->c.cr3_target_count);
	EXPECT_TRUE(self->c.vpid12);
	EXPECT_TRUE(self->c.ctls.entry & NV_ENTRY_CTL_IA32E_MODE_GUEST);
}

TEST_F(m, cr3_targets_only_with_cr3_load_exiting)
{
	set(&self->v, V12_CR3_TARGET_COUNT, 2);
	ASSERT_EQ(0, nested_vmcs02_controls(&l0, &self->v, &self->c,
					    &self->why));
	EXPECT_EQ(0, self->c.cr3_target_count);
}

/*
 * L1's TPR shadow is emulated: VMCS02 does not use the CPU's, and keeps
 * CR8-load and CR8-store exiting so that L0 sees L2's CR8 accesses.
 */
TEST_F(m, tpr_shadow_is_never_given_to_the_cpu)
{
	struct vmx_controls l0c = l0;

	l0c.proc |= NV_PROC_CTL_CR8_LOAD_EXITING |
		    NV_PROC_CTL_CR8_STORE_EXITING;
	set(&self->v, V12_CPU_BASED_VM_EXEC_CONTROL,
	    NV_PROC_CTL_USE_TPR_SHADOW);
	self->why = "unset";
	ASSERT_EQ(0, nested_vmcs02_controls(&l0c, &self->v, &self->c,
					    &self->why));
	EXPECT_EQ(NULL, self->why);
	EXPECT_FALSE(self->c.ctls.proc & NV_PROC_CTL_USE_TPR_SHADOW);
	EXPECT_TRUE(self->c.ctls.proc & NV_PROC_CTL_CR8_LOAD_EXITING);
	EXPECT_TRUE(self->c.ctls.proc & NV_PROC_CTL_CR8_STORE_EXITING);
}

/* L1's VMCS shadowing is emulated: VMCS02 never shadows, L2's accesses exit. */
TEST_F(m, vmcs_shadowing_is_never_given_to_the_cpu)
{
	struct vmx_controls l0s = l0;

	l0s.proc2 |= NV_PROC2_CTL_VMCS_SHADOWING;
	set(&self->v, V12_CPU_BASED_VM_EXEC_CONTROL,
	    NV_PROC_CTL_ACTIVATE_SECONDARY);
	set(&self->v, V12_SECONDARY_VM_EXEC_CONTROL,
	    NV_PROC2_CTL_VMCS_SHADOWING);
	ASSERT_EQ(0, nested_vmcs02_controls(&l0s, &self->v, &self->c,
					    &self->why));
	EXPECT_EQ(NULL, self->why);
	EXPECT_FALSE(self->c.ctls.proc2 & NV_PROC2_CTL_VMCS_SHADOWING);
}

TEST_F(m, nested_ept_and_unrestricted_guest_are_l1s_choice)
{
	set(&self->v, V12_CPU_BASED_VM_EXEC_CONTROL,
	    NV_PROC_CTL_ACTIVATE_SECONDARY);
	set(&self->v, V12_SECONDARY_VM_EXEC_CONTROL,
	    NV_PROC2_CTL_EPT | NV_PROC2_CTL_UNRESTRICTED_GUEST);
	ASSERT_EQ(0, nested_vmcs02_controls(&l0, &self->v, &self->c,
					    &self->why));
	EXPECT_TRUE(self->c.ept12);
	EXPECT_TRUE(self->c.ctls.proc2 & NV_PROC2_CTL_EPT);
	EXPECT_TRUE(self->c.ctls.proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST);
	/* Without EPT in L1, L2 still runs on EPT (EPT01). */
	set(&self->v, V12_SECONDARY_VM_EXEC_CONTROL, 0);
	ASSERT_EQ(0, nested_vmcs02_controls(&l0, &self->v, &self->c,
					    &self->why));
	EXPECT_FALSE(self->c.ept12);
	EXPECT_TRUE(self->c.ctls.proc2 & NV_PROC2_CTL_EPT);
}

TEST(cr_shadow_mixes_l1s_shadow_and_l2s_value)
{
	/* L1 owns bits 8 and 13; L2's value has 13 and 5, the shadow 8. */
	EXPECT_EQ(0x120ULL, nested_cr_shadow(0x2020, 0x2100, 0x100));
	EXPECT_EQ(0x2020ULL, nested_cr_shadow(0x2020, 0, 0xffff));
	EXPECT_EQ(0xffffULL, nested_cr_shadow(0, ~0ULL, 0xffff));
}

TEST_HARNESS_MAIN
