// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of control fitting (src/vmx/controls.c). */
#include "kselftest_harness.h"
#include "skylake.h"
#include "../../src/vmx/controls.h"

TEST(forced_ones_are_added_and_unavailable_optionals_dropped)
{
	/* allowed-0: bits 1, 2 forced; allowed-1: bits 0-7 may be set */
	u64 cap = (0xffULL << 32) | 0x06;
	u32 val = 0xdead;

	EXPECT_EQ(0, vmx_adjust_ctl(cap, 0x01, 0x300 | 0x80, &val));
	EXPECT_EQ(0x87, val);
}

TEST(missing_required_controls_are_reported)
{
	u64 cap = (0x0fULL << 32);
	u32 val = 0xdead;

	EXPECT_EQ(0x30, vmx_adjust_ctl(cap, 0x31, 0, &val));
	EXPECT_EQ(0xdead, val);
}

TEST(true_msrs_are_used_when_basic_says_so)
{
	u64 msrs[NV_MSR_CAP_MSR_COUNT] = { 0 };

	msrs[NV_MSR_PINBASED_CTLS] = 0x16;
	msrs[NV_MSR_TRUE_PINBASED_CTLS] = 0x10;
	msrs[NV_MSR_EXIT_CTLS] = 0x36dff;
	msrs[NV_MSR_TRUE_EXIT_CTLS] = 0x36dfb;
	EXPECT_EQ(0x16, vmx_ctl_cap(msrs, VMX_CTL_PIN));
	EXPECT_EQ(0x36dff, vmx_ctl_cap(msrs, VMX_CTL_EXIT));
	msrs[NV_MSR_BASIC] = NV_VMX_BASIC_TRUE_CTLS;
	EXPECT_EQ(0x10, vmx_ctl_cap(msrs, VMX_CTL_PIN));
	EXPECT_EQ(0x36dfb, vmx_ctl_cap(msrs, VMX_CTL_EXIT));
}

TEST(secondary_controls_need_the_primary_bit)
{
	u64 msrs[NV_MSR_CAP_MSR_COUNT] = { 0 };

	msrs[NV_MSR_PROCBASED_CTLS2] = 0xffULL << 32;
	EXPECT_EQ(0, vmx_ctl_cap(msrs, VMX_CTL_PROC2));
	msrs[NV_MSR_PROCBASED_CTLS] = (u64)NV_PROC_CTL_ACTIVATE_SECONDARY << 32;
	EXPECT_EQ(0xffULL << 32, vmx_ctl_cap(msrs, VMX_CTL_PROC2));
}

TEST(vmcs01_controls_on_skylake)
{
	u64 msrs[NV_MSR_CAP_MSR_COUNT];
	struct vmx_controls c;
	const char *missing = NULL;

	skylake_vmx_msrs(msrs);
	ASSERT_EQ(0, vmx_vmcs01_controls(msrs, &c, &missing));
	EXPECT_EQ(NULL, missing);
	/* Every exit L0 needs... */
	EXPECT_TRUE(c.pin & NV_PIN_CTL_EXT_INTR_EXITING);
	EXPECT_TRUE(c.pin & NV_PIN_CTL_NMI_EXITING);
	EXPECT_TRUE(c.proc & NV_PROC_CTL_HLT_EXITING);
	EXPECT_TRUE(c.proc & NV_PROC_CTL_UNCOND_IO_EXITING);
	EXPECT_TRUE(c.proc2 & NV_PROC2_CTL_EPT);
	EXPECT_TRUE(c.proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST);
	/* Host interrupts stay pending for the host's own IDT. */
	EXPECT_FALSE(c.exit & NV_EXIT_CTL_ACK_INTR_ON_EXIT);
	/* ...the CPU's forced ones... */
	EXPECT_EQ(0x16, c.pin & 0x16);
	/* ...and none of the dynamic ones, which the true MSRs let go. */
	EXPECT_FALSE(c.proc & NV_PROC_CTL_INTR_WINDOW_EXITING);
	EXPECT_FALSE(c.proc & NV_PROC_CTL_CR3_LOAD_EXITING);
	EXPECT_FALSE(c.proc & NV_PROC_CTL_CR3_STORE_EXITING);
	EXPECT_FALSE(c.entry & NV_ENTRY_CTL_IA32E_MODE_GUEST);
	/* Every value is one the CPU accepts. */
	EXPECT_EQ(0, ~c.pin & (u32)vmx_ctl_cap(msrs, VMX_CTL_PIN));
	EXPECT_EQ(0, c.proc & ~(u32)(vmx_ctl_cap(msrs, VMX_CTL_PROC) >> 32));
	EXPECT_EQ(0, ~c.exit & (u32)vmx_ctl_cap(msrs, VMX_CTL_EXIT));
}

TEST(vmcs01_controls_without_true_msrs_keep_forced_cr3_exiting)
{
	u64 msrs[NV_MSR_CAP_MSR_COUNT];
	struct vmx_controls c;
	const char *missing = NULL;

	skylake_vmx_msrs(msrs);
	msrs[NV_MSR_BASIC] &= ~NV_VMX_BASIC_TRUE_CTLS;
	ASSERT_EQ(0, vmx_vmcs01_controls(msrs, &c, &missing));
	/* The non-true MSR forces CR3 exiting (bits 15, 16 in 0x0401e172). */
	EXPECT_TRUE(c.proc & NV_PROC_CTL_CR3_LOAD_EXITING);
	EXPECT_TRUE(c.proc & NV_PROC_CTL_CR3_STORE_EXITING);
}

TEST(vmcs01_controls_name_the_field_that_lacks_a_control)
{
	u64 msrs[NV_MSR_CAP_MSR_COUNT];
	struct vmx_controls c;
	const char *missing = NULL;

	skylake_vmx_msrs(msrs);
	msrs[NV_MSR_TRUE_PINBASED_CTLS] &= ~((u64)NV_PIN_CTL_NMI_EXITING << 32);
	EXPECT_EQ(-EOPNOTSUPP, vmx_vmcs01_controls(msrs, &c, &missing));
	EXPECT_STREQ("pin-based", missing);
}

TEST_HARNESS_MAIN
