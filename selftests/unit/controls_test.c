// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of control fitting (src/vmx/controls.c). */
#include "kselftest_harness.h"
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

TEST_HARNESS_MAIN
