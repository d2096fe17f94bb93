// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of L1's VMX capability MSRs (src/nested/vmx_msrs.c). */
#include "kselftest_harness.h"
#include "skylake.h"
#include "../../src/nested/vmx_msrs.h"
#include "../../src/nested/checks.h"
#include "../../src/nested/vmcs12.h"

#define MSR(idx)	(NVMX_MSR_VMX_FIRST + (idx))

/* Default1 controls, from the SDM ("Algorithms for Determining VMX Capabilities"). */
static const u32 default1[NV_MSR_CAP_MSR_COUNT] = {
	[NV_MSR_PINBASED_CTLS] = 0x16,
	[NV_MSR_PROCBASED_CTLS] = 0x0401e172,
	[NV_MSR_EXIT_CTLS] = 0x00036dff,
	[NV_MSR_ENTRY_CTLS] = 0x000011ff,
};

static const struct {
	enum vmx_cap_msr msr, true_msr;
} pairs[] = {
	{ NV_MSR_PINBASED_CTLS, NV_MSR_TRUE_PINBASED_CTLS },
	{ NV_MSR_PROCBASED_CTLS, NV_MSR_TRUE_PROCBASED_CTLS },
	{ NV_MSR_EXIT_CTLS, NV_MSR_TRUE_EXIT_CTLS },
	{ NV_MSR_ENTRY_CTLS, NV_MSR_TRUE_ENTRY_CTLS },
};

static const enum vmx_cap_msr ctl_msrs[] = {
	NV_MSR_PINBASED_CTLS, NV_MSR_PROCBASED_CTLS, NV_MSR_EXIT_CTLS,
	NV_MSR_ENTRY_CTLS, NV_MSR_PROCBASED_CTLS2, NV_MSR_TRUE_PINBASED_CTLS,
	NV_MSR_TRUE_PROCBASED_CTLS, NV_MSR_TRUE_EXIT_CTLS,
	NV_MSR_TRUE_ENTRY_CTLS,
};

FIXTURE(sky) {
	u64 host[NV_MSR_CAP_MSR_COUNT];
	u64 l1[NV_MSR_CAP_MSR_COUNT];
};

FIXTURE_SETUP(sky)
{
	skylake_vmx_msrs(self->host);
	memset(self->l1, 0xa5, sizeof(self->l1));
	nvmx_l1_vmx_msrs(self->host, self->l1);
}

FIXTURE_TEARDOWN(sky)
{
}

TEST_F(sky, allowed0_within_allowed1)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctl_msrs); i++) {
		u64 v = self->l1[ctl_msrs[i]];

		EXPECT_EQ(0, (u32)v & ~NV_VMX_ALLOWED1(v));
	}
}

TEST_F(sky, every_offered_control_is_allowed_by_the_host)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctl_msrs); i++) {
		enum vmx_cap_msr m = ctl_msrs[i];

		EXPECT_EQ(0, NV_VMX_ALLOWED1(self->l1[m]) &
			     ~NV_VMX_ALLOWED1(self->host[m]));
	}
	EXPECT_EQ(0, self->l1[NV_MSR_EPT_VPID_CAP] &
		     ~self->host[NV_MSR_EPT_VPID_CAP]);
	/* The offered set itself, on a host that has all of it. */
	EXPECT_EQ(0x69ULL << 32 | 0x16,
		  self->l1[NV_MSR_PINBASED_CTLS] & ~(0x16ULL << 32));
	EXPECT_EQ(0x000050eeU, NV_VMX_ALLOWED1(self->l1[NV_MSR_PROCBASED_CTLS2]));
	EXPECT_EQ(0x007fefffULL << 32 | 0x36dff, self->l1[NV_MSR_EXIT_CTLS]);
	EXPECT_EQ(0x0000d3ffULL << 32 | 0x11ff, self->l1[NV_MSR_ENTRY_CTLS]);
	/* Skylake has every primary control nvmx offers (TPR shadow too). */
	EXPECT_EQ(0xfff9fffeU, NV_VMX_ALLOWED1(self->l1[NV_MSR_PROCBASED_CTLS]));
	EXPECT_TRUE(NV_VMX_ALLOWED1(self->l1[NV_MSR_PROCBASED_CTLS]) &
		    NV_PROC_CTL_USE_TPR_SHADOW);
}

TEST_F(sky, nothing_from_the_not_offered_list)
{
	u32 pin = NV_VMX_ALLOWED1(self->l1[NV_MSR_PINBASED_CTLS]);
	u32 proc2 = NV_VMX_ALLOWED1(self->l1[NV_MSR_PROCBASED_CTLS2]);
	u64 misc = self->l1[NV_MSR_MISC];

	EXPECT_FALSE(pin & NV_PIN_CTL_POSTED_INTR);
	EXPECT_FALSE(proc2 & (NV_PROC2_CTL_VIRT_APIC_ACCESSES |
			      NV_PROC2_CTL_VIRT_X2APIC_MODE |
			      NV_PROC2_CTL_APIC_REG_VIRT |
			      NV_PROC2_CTL_VIRT_INTR_DELIVERY));
	EXPECT_FALSE(proc2 & NV_PROC2_CTL_PML);
	EXPECT_FALSE(proc2 & NV_PROC2_CTL_VMFUNC);
	EXPECT_FALSE(proc2 & NV_PROC2_CTL_SPP);
	EXPECT_FALSE(proc2 & (NV_PROC2_CTL_PT_CONCEAL_VMX |
			      NV_PROC2_CTL_PT_USE_GPA));
	EXPECT_FALSE(proc2 & NV_PROC2_CTL_TSC_SCALING);
	/* nvmx does not switch IA32_XSS. */
	EXPECT_FALSE(proc2 & NV_PROC2_CTL_XSAVES);
	EXPECT_FALSE(proc2 & NV_PROC2_CTL_EPT_VIOLATION_VE);
	EXPECT_EQ(0, self->l1[NV_MSR_VMFUNC]);
	EXPECT_FALSE(misc & (NV_VMX_MISC_ACT_SHUTDOWN |
			     NV_VMX_MISC_ACT_WAIT_SIPI |
			     NV_VMX_MISC_PT_IN_VMX | NV_VMX_MISC_RDMSR_SMBASE |
			     NV_VMX_MISC_SMM_BLOCK_SMI |
			     NV_VMX_MISC_ZERO_INSN_LEN));
	EXPECT_FALSE(self->l1[NV_MSR_BASIC] &
		     (NV_VMX_BASIC_32BIT_PA | NV_VMX_BASIC_DUAL_MONITOR));
}

TEST_F(sky, true_msrs_differ_exactly_in_default1_controls)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		u64 v = self->l1[pairs[i].msr];
		u64 t = self->l1[pairs[i].true_msr];

		EXPECT_EQ(v >> 32, t >> 32);
		EXPECT_EQ(default1[pairs[i].msr], (u32)v);
		EXPECT_EQ(0, (u32)t & ~(u32)v);
		/* Cleared exactly where the host's true MSR allows it. */
		EXPECT_EQ((u32)v & (u32)self->host[pairs[i].true_msr], (u32)t);
	}
	/* CR3 load/store exiting, save/load debug controls clearable. */
	EXPECT_EQ(0x04006172, (u32)self->l1[NV_MSR_TRUE_PROCBASED_CTLS]);
	EXPECT_EQ(0x36dfb, (u32)self->l1[NV_MSR_TRUE_EXIT_CTLS]);
	EXPECT_EQ(0x11fb, (u32)self->l1[NV_MSR_TRUE_ENTRY_CTLS]);
}

TEST_F(sky, basic)
{
	u64 b = self->l1[NV_MSR_BASIC];

	EXPECT_EQ(NVMX_VMCS12_REVISION, NV_VMX_BASIC_REVISION(b));
	EXPECT_EQ(4096, NV_VMX_BASIC_VMCS_SIZE(b));
	EXPECT_EQ(NV_VMX_MEMTYPE_WB, NV_VMX_BASIC_MEMTYPE(b));
	EXPECT_TRUE(b & NV_VMX_BASIC_TRUE_CTLS);
	EXPECT_TRUE(b & NV_VMX_BASIC_INOUT);	/* as the host */
	EXPECT_FALSE(b & NV_VMX_BASIC_ANY_ERRCODE);
	EXPECT_EQ(0x00d8100000000000ULL | NVMX_VMCS12_REVISION, b);
}

TEST_F(sky, misc_fixed_enum_ept_feature_control)
{
	/* rate 7, LMA, HLT, 4 CR3 targets, MSR list 0, VMWRITE any, MSEG 0 */
	EXPECT_EQ(0x20040067ULL, self->l1[NV_MSR_MISC]);
	EXPECT_EQ(0x80000021ULL, self->l1[NV_MSR_CR0_FIXED0]);
	EXPECT_EQ(0xffffffffULL, self->l1[NV_MSR_CR0_FIXED1]);
	EXPECT_EQ(0x2000ULL, self->l1[NV_MSR_CR4_FIXED0]);
	EXPECT_EQ(0x3767ffULL, self->l1[NV_MSR_CR4_FIXED1]);
	/* Highest index: TSC multiplier, 0x2032 -> 25. */
	EXPECT_EQ(25, (VMCS_TSC_MULTIPLIER >> 1) & 0x1ff);
	EXPECT_EQ(25 << 1, self->l1[NV_MSR_VMCS_ENUM]);
	/* All but "advanced VM-exit information for EPT violations" (22). */
	EXPECT_EQ(0x00000f0106334141ULL, self->l1[NV_MSR_EPT_VPID_CAP]);
	EXPECT_EQ(0x5, nvmx_l1_feature_control(true));
	EXPECT_EQ(0x1, nvmx_l1_feature_control(false));
}

TEST(host_without_shadowing_timer_or_vpid)
{
	u64 host[NV_MSR_CAP_MSR_COUNT], l1[NV_MSR_CAP_MSR_COUNT];
	u64 pt = (u64)NV_PIN_CTL_PREEMPTION_TIMER << 32;
	u64 st = (u64)NV_EXIT_CTL_SAVE_PREEMPTION_TIMER << 32;

	skylake_vmx_msrs(host);
	host[NV_MSR_PROCBASED_CTLS2] &= ~((u64)NV_PROC2_CTL_VMCS_SHADOWING << 32);
	host[NV_MSR_PINBASED_CTLS] &= ~pt;
	host[NV_MSR_TRUE_PINBASED_CTLS] &= ~pt;
	host[NV_MSR_EPT_VPID_CAP] &= ~NV_VPID_CAP_INVVPID;
	nvmx_l1_vmx_msrs(host, l1);
	/* nvmx emulates VMCS shadowing for L2 without the CPU's. */
	EXPECT_TRUE(l1[NV_MSR_PROCBASED_CTLS2] &
		    ((u64)NV_PROC2_CTL_VMCS_SHADOWING << 32));
	EXPECT_FALSE(l1[NV_MSR_PINBASED_CTLS] & pt);
	EXPECT_FALSE(l1[NV_MSR_TRUE_PINBASED_CTLS] & pt);
	/* Saving the timer goes with it, though the host has it. */
	EXPECT_TRUE(host[NV_MSR_EXIT_CTLS] & st);
	EXPECT_FALSE(l1[NV_MSR_EXIT_CTLS] & st);
	EXPECT_FALSE(l1[NV_MSR_TRUE_EXIT_CTLS] & st);
	/* VPID needs INVVPID; the VPID half of the MSR goes too. */
	EXPECT_FALSE(l1[NV_MSR_PROCBASED_CTLS2] &
		     ((u64)NV_PROC2_CTL_VPID << 32));
	EXPECT_EQ(0, l1[NV_MSR_EPT_VPID_CAP] >> 32);
	EXPECT_TRUE(l1[NV_MSR_PROCBASED_CTLS2] & ((u64)NV_PROC2_CTL_EPT << 32));
}

TEST(host_without_true_or_secondary_controls)
{
	u64 host[NV_MSR_CAP_MSR_COUNT], l1[NV_MSR_CAP_MSR_COUNT];

	skylake_vmx_msrs(host);
	host[NV_MSR_BASIC] &= ~NV_VMX_BASIC_TRUE_CTLS;
	host[NV_MSR_PROCBASED_CTLS] &= ~((u64)NV_PROC_CTL_ACTIVATE_SECONDARY << 32);
	nvmx_l1_vmx_msrs(host, l1);
	/* L1 still gets true MSRs, equal to the non-true ones. */
	EXPECT_TRUE(l1[NV_MSR_BASIC] & NV_VMX_BASIC_TRUE_CTLS);
	EXPECT_EQ(l1[NV_MSR_PROCBASED_CTLS], l1[NV_MSR_TRUE_PROCBASED_CTLS]);
	EXPECT_EQ(l1[NV_MSR_EXIT_CTLS], l1[NV_MSR_TRUE_EXIT_CTLS]);
	EXPECT_EQ(0, l1[NV_MSR_PROCBASED_CTLS2]);
	EXPECT_EQ(0, l1[NV_MSR_EPT_VPID_CAP]);
}

/* Narrowing: control MSRs, each rule both ways. */
TEST_F(sky, narrow_controls)
{
	enum vmx_cap_msr m = NV_MSR_TRUE_PROCBASED_CTLS;
	u64 p = self->l1[m];
	u64 hlt = (u64)NV_PROC_CTL_HLT_EXITING, ctl;

	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, MSR(m), p));
	/* allowed-0 gains a 1 (HLT exiting now required) */
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, MSR(m), p | hlt));
	/* allowed-0 loses a 1 */
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, MSR(m),
						  p & ~(u64)BIT(1)));
	/* allowed-1 loses a 1 */
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, MSR(m),
					    p & ~(hlt << 32)));
	/* allowed-1 gains a 1 (bit 17, which the profile lacks) */
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, MSR(m),
						  p | BIT_ULL(17 + 32)));
	/* allowed-0 outside allowed-1 */
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, MSR(m),
						  (p | hlt) & ~(hlt << 32)));
	/* secondary: drop VMCS shadowing yes, add PML no */
	m = NV_MSR_PROCBASED_CTLS2;
	p = self->l1[m];
	ctl = (u64)NV_PROC2_CTL_VMCS_SHADOWING << 32;
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, MSR(m), p & ~ctl));
	ctl = (u64)NV_PROC2_CTL_PML << 32;
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, MSR(m), p | ctl));
}

TEST_F(sky, narrow_basic)
{
	u32 msr = MSR(NV_MSR_BASIC);
	u64 p = self->l1[NV_MSR_BASIC];

	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, msr, p));
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, msr,
					    p & ~NV_VMX_BASIC_INOUT));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  p | NV_VMX_BASIC_ANY_ERRCODE));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  p | NV_VMX_BASIC_32BIT_PA));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr, p + 1));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  p & ~BIT_ULL(44)));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  p & ~BIT_ULL(51)));
}

TEST_F(sky, narrow_misc)
{
	u32 msr = MSR(NV_MSR_MISC);
	u64 p = self->l1[NV_MSR_MISC];

	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, msr,
					    p & ~NV_VMX_MISC_VMWRITE_ANY));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  p | NV_VMX_MISC_ACT_SHUTDOWN));
	/* timer rate 7 -> 5 yes; CR3 targets 4 -> 2 yes, -> 5 no */
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, msr, p & ~2ULL));
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, msr,
					    (p & ~(0x1ffULL << 16)) | 2 << 16));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  (p & ~(0x1ffULL << 16)) | 5 << 16));
	/* MSR-list maximum 0 -> 1 no; MSEG revision must stay */
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  p | 1 << 25));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  p | 1ULL << 32));
}

TEST_F(sky, narrow_misc_rate_not_larger)
{
	u64 prof[NV_MSR_CAP_MSR_COUNT];
	u32 msr = MSR(NV_MSR_MISC);

	memcpy(prof, self->l1, sizeof(prof));
	prof[NV_MSR_MISC] = (prof[NV_MSR_MISC] & ~0x1fULL) | 5;
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(prof, msr, prof[NV_MSR_MISC] - 1));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(prof, msr,
						  prof[NV_MSR_MISC] + 1));
}

TEST_F(sky, narrow_ept_vpid_cap_and_vmfunc)
{
	u32 msr = MSR(NV_MSR_EPT_VPID_CAP);
	u64 p = self->l1[NV_MSR_EPT_VPID_CAP];

	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, msr,
					    p & ~(NV_EPT_CAP_1G | NV_EPT_CAP_AD)));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr,
						  p | BIT_ULL(22)));
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, MSR(NV_MSR_VMFUNC), 0));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1,
						  MSR(NV_MSR_VMFUNC), 1));
}

TEST_F(sky, narrow_fixed_bits)
{
	u32 f0 = MSR(NV_MSR_CR4_FIXED0), f1 = MSR(NV_MSR_CR4_FIXED1);
	u64 p0 = self->l1[NV_MSR_CR4_FIXED0], p1 = self->l1[NV_MSR_CR4_FIXED1];

	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, f0, p0 | BIT_ULL(5)));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, f0,
						  p0 & ~BIT_ULL(13)));
	/* FIXED0 may not exceed FIXED1 (bit 12, LA57, is not in it) */
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, f0,
						  p0 | BIT_ULL(12)));
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, f1, p1 & ~BIT_ULL(17)));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, f1,
						  p1 | BIT_ULL(12)));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, f1,
						  p1 & ~BIT_ULL(13)));
	/* CR0: PE stays fixed to 1 and allowed */
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1,
						  MSR(NV_MSR_CR0_FIXED1),
						  0xfffffffeULL));
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, MSR(NV_MSR_CR0_FIXED0),
					    0x80000031ULL));
}

TEST_F(sky, narrow_vmcs_enum_and_unknown_msrs)
{
	u32 msr = MSR(NV_MSR_VMCS_ENUM);

	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, msr, 0x2e));
	EXPECT_EQ(0, nvmx_l1_vmx_msr_narrow(self->l1, msr, 0x32));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr, 0x34));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, msr, 0x33));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, 0x47f, 0));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, 0x492, 0));
	EXPECT_EQ(-EINVAL, nvmx_l1_vmx_msr_narrow(self->l1, 0x3a, 5));
}

TEST_HARNESS_MAIN
