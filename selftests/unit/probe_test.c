// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the load-time CPU probe (src/vmx/probe.c): every refusal,
 * the errno and message of each, and the features reported.
 */
#include <linux/nvmx.h>

#include "kselftest_harness.h"
#include "../../src/vmx/probe.h"

/* A CPU with everything: the capability MSRs of a Skylake-class part. */
static void skylake(struct nvmx_cpu_facts *f)
{
	memset(f, 0, sizeof(*f));
	strcpy(f->vendor, "GenuineIntel");
	f->vmx = true;
	f->feat_ctl_valid = true;
	f->feat_ctl = NV_FEATCTL_LOCKED | NV_FEATCTL_VMX_OUTSIDE_SMX;
	f->msrs[NV_MSR_BASIC] = 0x00da040000000004ULL;	/* WB, 1 KB, true ctls */
	f->msrs[NV_MSR_PINBASED_CTLS] = 0x000000ff00000016ULL;
	f->msrs[NV_MSR_PROCBASED_CTLS] = 0xfff9fffe0401e172ULL;
	f->msrs[NV_MSR_EXIT_CTLS] = 0x01ffffff00036dffULL;
	f->msrs[NV_MSR_ENTRY_CTLS] = 0x0003ffff000011ffULL;
	f->msrs[NV_MSR_PROCBASED_CTLS2] = 0x02ffffff00000000ULL;
	f->msrs[NV_MSR_EPT_VPID_CAP] = 0x00000f0106734141ULL;
	f->msr_valid = (1u << NV_MSR_CAP_MSR_COUNT) - 1;
}

static void clear_allowed1(struct nvmx_cpu_facts *f, enum vmx_cap_msr msr,
			   u32 bits)
{
	f->msrs[msr] &= ~((u64)bits << 32);
}

static const char *message(const struct nvmx_cpu_facts *f,
			   const struct nvmx_probe_result *r)
{
	static char buf[512];

	nvmx_probe_message(f, r, buf, sizeof(buf));
	return buf;
}

TEST(skylake_is_accepted_with_its_features)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;

	skylake(&f);
	nvmx_probe_decide(&f, &r);
	ASSERT_EQ(NVMX_PROBE_OK, r.verdict);
	EXPECT_EQ(0, r.err);
	EXPECT_EQ(4, r.vmcs_revision);
	EXPECT_EQ(1024, r.vmcs_size);
	EXPECT_EQ(NVMX_FEAT_EPT | NVMX_FEAT_VPID | NVMX_FEAT_UNRESTRICTED_GUEST |
		  NVMX_FEAT_VMCS_SHADOWING | NVMX_FEAT_PREEMPTION_TIMER |
		  NVMX_FEAT_EPT_AD | NVMX_FEAT_EPT_2M | NVMX_FEAT_EPT_1G |
		  NVMX_FEAT_INVVPID | NVMX_FEAT_TRUE_CTLS |
		  NVMX_FEAT_POSTED_INTR | NVMX_FEAT_PML |
		  NVMX_FEAT_TSC_SCALING, r.features);
	EXPECT_STREQ("", message(&f, &r));
}

TEST(amd_is_refused_naming_the_vendor)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;

	skylake(&f);
	strcpy(f.vendor, "AuthenticAMD");
	nvmx_probe_decide(&f, &r);
	EXPECT_EQ(NVMX_PROBE_NO_VTX, r.verdict);
	EXPECT_EQ(-ENODEV, r.err);
	EXPECT_STREQ("nested virtualization works only on Intel processors with VT-x; this CPU's vendor is \"AuthenticAMD\": run nvmx on an Intel VT-x host",
		     message(&f, &r));
}

TEST(intel_without_vmx_is_refused)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;

	skylake(&f);
	f.vmx = false;
	nvmx_probe_decide(&f, &r);
	EXPECT_EQ(NVMX_PROBE_NO_VTX, r.verdict);
	EXPECT_EQ(-ENODEV, r.err);
	EXPECT_NE(NULL, strstr(message(&f, &r),
			       "this Intel CPU does not report VMX (CPUID.1:ECX.VMX=0)"));
}

TEST(firmware_lock_without_vmx_is_refused)
{
	static const u64 locked_off[] = {
		NV_FEATCTL_LOCKED,
		NV_FEATCTL_LOCKED | NV_FEATCTL_VMX_INSIDE_SMX,
	};
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(locked_off); i++) {
		skylake(&f);
		f.feat_ctl = locked_off[i];
		nvmx_probe_decide(&f, &r);
		EXPECT_EQ(NVMX_PROBE_FW_DISABLED, r.verdict);
		EXPECT_EQ(-EPERM, r.err);
		EXPECT_NE(NULL, strstr(message(&f, &r),
				       "VT-x is disabled by the firmware"));
	}
}

TEST(unlocked_feature_control_is_accepted)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;

	skylake(&f);
	f.feat_ctl = 0;	/* nvmx enables and locks it before VMXON */
	nvmx_probe_decide(&f, &r);
	EXPECT_EQ(NVMX_PROBE_OK, r.verdict);
}

TEST(unreadable_feature_control_is_refused)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;

	skylake(&f);
	f.feat_ctl_valid = false;
	nvmx_probe_decide(&f, &r);
	EXPECT_EQ(NVMX_PROBE_MISSING, r.verdict);
	EXPECT_EQ(-EOPNOTSUPP, r.err);
	EXPECT_STREQ("a readable IA32_FEATURE_CONTROL MSR", r.missing);
}

/* VMX without EPT, as on Core 2 (Bochs' core2_penryn_t9600). */
TEST(vmx_without_ept_is_refused_naming_ept)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;

	skylake(&f);
	clear_allowed1(&f, NV_MSR_PROCBASED_CTLS2, NV_PROC2_CTL_EPT);
	nvmx_probe_decide(&f, &r);
	EXPECT_EQ(NVMX_PROBE_MISSING, r.verdict);
	EXPECT_EQ(-EOPNOTSUPP, r.err);
	EXPECT_STREQ("this CPU's VT-x lacks EPT (extended page tables), which nvmx requires: use a processor (or a virtual CPU) that provides it",
		     message(&f, &r));

	/* Without secondary controls (and their MSR) EPT is named too. */
	skylake(&f);
	clear_allowed1(&f, NV_MSR_PROCBASED_CTLS, NV_PROC_CTL_ACTIVATE_SECONDARY);
	f.msr_valid &= ~(1u << NV_MSR_PROCBASED_CTLS2);
	f.msr_valid &= ~(1u << NV_MSR_EPT_VPID_CAP);
	nvmx_probe_decide(&f, &r);
	EXPECT_EQ(NVMX_PROBE_MISSING, r.verdict);
	EXPECT_EQ(0, strncmp(r.missing, "EPT (", 5));
}

/* Each capability nvmx requires, removed on its own, is named. */
TEST(each_required_capability_is_named)
{
	static const struct {
		enum vmx_cap_msr msr;
		u64 bits;
		bool allowed1;
		const char *missing;
	} cases[] = {
		{ NV_MSR_EPT_VPID_CAP, NV_EPT_CAP_PWL4, false,
		  "EPT with a 4-level page walk" },
		{ NV_MSR_EPT_VPID_CAP, NV_EPT_CAP_WB, false,
		  "EPT with write-back paging structures" },
		{ NV_MSR_EPT_VPID_CAP, NV_EPT_CAP_INVEPT, false,
		  "the INVEPT instruction" },
		{ NV_MSR_EPT_VPID_CAP,
		  NV_EPT_CAP_INVEPT_SINGLE | NV_EPT_CAP_INVEPT_ALL, false,
		  "single- or all-context INVEPT" },
		{ NV_MSR_EXIT_CTLS, NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE, true,
		  "VM-exit control \"host address-space size\"" },
		{ NV_MSR_EXIT_CTLS, NV_EXIT_CTL_LOAD_EFER, true,
		  "VM-exit control \"load IA32_EFER\"" },
		{ NV_MSR_ENTRY_CTLS, NV_ENTRY_CTL_IA32E_MODE_GUEST, true,
		  "VM-entry control \"IA-32e mode guest\"" },
		{ NV_MSR_ENTRY_CTLS, NV_ENTRY_CTL_LOAD_EFER, true,
		  "VM-entry control \"load IA32_EFER\"" },
		{ NV_MSR_PROCBASED_CTLS, NV_PROC_CTL_USE_MSR_BITMAPS, true,
		  "VM-execution control \"use MSR bitmaps\"" },
	};
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		skylake(&f);
		f.msrs[cases[i].msr] &= ~(cases[i].allowed1 ?
					  cases[i].bits << 32 : cases[i].bits);
		nvmx_probe_decide(&f, &r);
		EXPECT_EQ(NVMX_PROBE_MISSING, r.verdict);
		EXPECT_EQ(-EOPNOTSUPP, r.err);
		ASSERT_NE(NULL, r.missing);
		EXPECT_STREQ(cases[i].missing, r.missing);
	}
}

TEST(vmx_basic_problems_are_named)
{
	static const struct {
		u64 basic;
		const char *missing;
	} cases[] = {
		{ 0x00d8000000000004ULL, "a VMCS region of at most 4096 bytes" },
		{ 0x00d8100100000004ULL, "a VMCS region of at most 4096 bytes" },
		{ 0x00d9040000000004ULL, "64-bit VMCS physical addresses" },
		{ 0x0080040000000004ULL, "write-back VMCS memory" },
	};
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		skylake(&f);
		f.msrs[NV_MSR_BASIC] = cases[i].basic;
		nvmx_probe_decide(&f, &r);
		EXPECT_EQ(NVMX_PROBE_MISSING, r.verdict);
		EXPECT_STREQ(cases[i].missing, r.missing);
	}
	skylake(&f);
	f.msr_valid &= ~(1u << NV_MSR_BASIC);
	nvmx_probe_decide(&f, &r);
	EXPECT_STREQ("a readable IA32_VMX_BASIC MSR", r.missing);

	/* A full page is still one page. */
	skylake(&f);
	f.msrs[NV_MSR_BASIC] = 0x00d8100000000004ULL;
	nvmx_probe_decide(&f, &r);
	EXPECT_EQ(NVMX_PROBE_OK, r.verdict);
	EXPECT_EQ(4096, r.vmcs_size);
}

TEST(optional_features_follow_the_msrs)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;

	skylake(&f);
	clear_allowed1(&f, NV_MSR_PROCBASED_CTLS2,
		       NV_PROC2_CTL_UNRESTRICTED_GUEST |
		       NV_PROC2_CTL_VMCS_SHADOWING);
	f.msrs[NV_MSR_EPT_VPID_CAP] &= ~(NV_EPT_CAP_1G | NV_EPT_CAP_AD);
	nvmx_probe_decide(&f, &r);
	ASSERT_EQ(NVMX_PROBE_OK, r.verdict);
	EXPECT_FALSE(r.features & NVMX_FEAT_UNRESTRICTED_GUEST);
	EXPECT_FALSE(r.features & NVMX_FEAT_VMCS_SHADOWING);
	EXPECT_FALSE(r.features & NVMX_FEAT_EPT_1G);
	EXPECT_FALSE(r.features & NVMX_FEAT_EPT_AD);
	EXPECT_TRUE(r.features & NVMX_FEAT_EPT_2M);
	EXPECT_TRUE(r.features & NVMX_FEAT_VPID);
}

TEST(vpid_without_invvpid_is_not_offered)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;

	skylake(&f);
	f.msrs[NV_MSR_EPT_VPID_CAP] &= ~NV_VPID_CAP_INVVPID;
	nvmx_probe_decide(&f, &r);
	ASSERT_EQ(NVMX_PROBE_OK, r.verdict);
	EXPECT_FALSE(r.features & NVMX_FEAT_VPID);
	EXPECT_FALSE(r.features & NVMX_FEAT_INVVPID);
}

TEST(message_is_truncated_safely)
{
	struct nvmx_cpu_facts f;
	struct nvmx_probe_result r;
	char buf[16];
	int len;

	skylake(&f);
	strcpy(f.vendor, "AuthenticAMD");
	nvmx_probe_decide(&f, &r);
	memset(buf, 'x', sizeof(buf));
	len = nvmx_probe_message(&f, &r, buf, sizeof(buf));
	EXPECT_LT((int)sizeof(buf), len);
	EXPECT_EQ('\0', buf[sizeof(buf) - 1]);
	EXPECT_EQ(sizeof(buf) - 1, strlen(buf));
}

TEST_HARNESS_MAIN
