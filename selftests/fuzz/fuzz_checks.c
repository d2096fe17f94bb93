// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes the VM-entry checks of a VMCS12 and the VMCS02 built from it:
 * nested_check_controls() and nested_check_host_state()
 * (src/nested/checks.c), nested_check_guest_state() and
 * nested_check_link_vmcs() (src/nested/guest_checks.c), and
 * nested_vmcs02_controls() (src/nested/vmcs02.c).
 *
 * The host is the Skylake of selftests/unit/skylake.h, or (if the input
 * asks) that host with fewer capabilities, kept only if the load-time
 * probe accepts it and VMCS01's controls can be made for it. L1's profile
 * is nvmx_l1_vmx_msrs() of the host, maybe narrowed as userspace may
 * narrow it. The VMCS12 starts empty, as raw input, or as one of a few
 * valid L2 guests (64-bit kernel, real mode under "unrestricted guest",
 * 32-bit user mode, virtual-8086 mode), and the input then changes its
 * fields one at a time.
 *
 * Invariants:
 * - the control checks give 0 or VMXERR_ENTRY_INVALID_CONTROL (7), the
 *   host-state checks 0 or VMXERR_ENTRY_INVALID_HOST_STATE (8), the same
 *   in the result's error; the result names a check exactly when one
 *   failed;
 * - the guest-state and link checks give 0 with an empty result, or
 *   -EINVAL with exit reason NV_EXIT_REASON_INVALID_GUEST, a named check
 *   and qualification 0, 2 (PDPTE) or 4 (link pointer; the only one of
 *   nested_check_link_vmcs());
 * - every check is deterministic and leaves the VMCS12 alone;
 * - controls that pass are within L1's allowed-0 and allowed-1 settings;
 * - for a VMCS12 whose controls pass, nested_vmcs02_controls() succeeds
 *   (L1 is offered no control it does not emulate) and VMCS02's controls,
 *   merged with VMCS01's from vmx_vmcs01_controls() as nvmx runs L1, are
 *   ones the host accepts: every bit allowed-1 and every must-be-1 bit
 *   set in the host's capability MSRs, plus the checks on VMX controls
 *   that need no memory (virtual NMIs, NMI-window exiting, unrestricted
 *   guest, IA-32e mode guest, CR3-target count).
 */
#include <string.h>

#include "fuzz.h"
#include "../unit/skylake.h"
#include "../unit/vmcs12_seg.h"
#include "../../src/nested/checks.h"
#include "../../src/nested/guest_checks.h"
#include "../../src/nested/vmcs02.h"
#include "../../src/nested/vmx_msrs.h"
#include "../../src/nested/ept_walk.h"
#include "../../src/vmx/controls.h"
#include "../../src/vmx/probe.h"

/* The first input byte. */
#define IN_TEMPLATE		7	/* bits 2:0: enum template */
#define IN_HOST_LONG_MODE	BIT(3)	/* L1 is in IA-32e mode */
#define IN_NO_VPID01		BIT(4)	/* nvmx got no VPID for L1 */
#define IN_NO_VPID02		BIT(5)	/* ... nor for L2 */
#define IN_NARROW_HOST		BIT(6)
#define IN_NARROW_L1		BIT(7)

/* What the VMCS12 starts as; values beyond TPL_RAW mean TPL_LONG_MODE. */
enum template {
	TPL_EMPTY,
	TPL_LONG_MODE,		/* a 64-bit kernel */
	TPL_REAL_MODE,		/* real mode under unrestricted guest */
	TPL_USER_32,		/* 32-bit user mode, PAE paging */
	TPL_V86,		/* virtual-8086 mode, PAE paging */
	TPL_RAW,		/* every field from the input */
};

static const struct {
	enum vmx_ctl_kind kind;
	enum vmx_cap_msr msr, true_msr;
} ctl_msrs[] = {
	{ VMX_CTL_PIN, NV_MSR_PINBASED_CTLS, NV_MSR_TRUE_PINBASED_CTLS },
	{ VMX_CTL_PROC, NV_MSR_PROCBASED_CTLS, NV_MSR_TRUE_PROCBASED_CTLS },
	{ VMX_CTL_PROC2, NV_MSR_PROCBASED_CTLS2, NV_MSR_PROCBASED_CTLS2 },
	{ VMX_CTL_EXIT, NV_MSR_EXIT_CTLS, NV_MSR_TRUE_EXIT_CTLS },
	{ VMX_CTL_ENTRY, NV_MSR_ENTRY_CTLS, NV_MSR_TRUE_ENTRY_CTLS },
};

/*
 * A host with fewer capabilities than the Skylake: controls no longer
 * allowed to be 1 (never those the older MSRs fix to 1, which every CPU
 * allows), fewer EPT/VPID and miscellaneous capabilities, maybe no true
 * control MSRs; or with the newer IA32_VMX_BASIC bit 56. Return: whether
 * nvmx would load on it.
 */
static bool narrow_host(struct fuzz_in *in, u64 *host)
{
	struct nvmx_cpu_facts facts = {
		.vendor = "GenuineIntel",
		.vmx = true,
		.feat_ctl_valid = true,
		.feat_ctl = NV_FEATCTL_LOCKED | NV_FEATCTL_VMX_OUTSIDE_SMX,
	};
	struct nvmx_probe_result res;
	unsigned int i;
	u8 b;

	for (i = 0; i < ARRAY_SIZE(ctl_msrs); i++) {
		u64 drop = (u64)(fuzz_u32(in) & ~(u32)host[ctl_msrs[i].msr]);

		host[ctl_msrs[i].msr] &= ~(drop << 32);
		if (ctl_msrs[i].true_msr != ctl_msrs[i].msr)
			host[ctl_msrs[i].true_msr] &= ~(drop << 32);
	}
	host[NV_MSR_EPT_VPID_CAP] &= ~fuzz_u64(in);
	host[NV_MSR_MISC] &= ~(fuzz_u32(in) & 0x3fffffffULL);
	b = fuzz_u8(in);
	if (b & 1) {
		host[NV_MSR_BASIC] &= ~NV_VMX_BASIC_TRUE_CTLS;
		for (i = 0; i < ARRAY_SIZE(ctl_msrs); i++)
			if (ctl_msrs[i].true_msr != ctl_msrs[i].msr)
				host[ctl_msrs[i].true_msr] = 0;
	}
	/* Newer CPUs inject any event with or without an error code. */
	if (b & 2)
		host[NV_MSR_BASIC] |= NV_VMX_BASIC_ANY_ERRCODE;
	memcpy(facts.msrs, host, sizeof(facts.msrs));
	facts.msr_valid = BIT(NV_MSR_CAP_MSR_COUNT) - 1;
	nvmx_probe_decide(&facts, &res);
	return res.verdict == NVMX_PROBE_OK;
}

/*
 * L1's profile narrowed as userspace may (fewer allowed-1 controls, fewer
 * CR4 bits); a value nvmx_l1_vmx_msr_narrow() refuses is not applied.
 */
static void narrow_l1_msr(u64 *l1, enum vmx_cap_msr msr, u64 keep)
{
	u64 val = l1[msr] & keep;

	if (!nvmx_l1_vmx_msr_narrow(l1, NVMX_MSR_VMX_FIRST + msr, val))
		l1[msr] = val;
}

static void narrow_l1(struct fuzz_in *in, u64 *l1)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctl_msrs); i++) {
		u64 drop = fuzz_u32(in);

		narrow_l1_msr(l1, ctl_msrs[i].msr, ~(drop << 32));
		narrow_l1_msr(l1, ctl_msrs[i].true_msr, ~(drop << 32));
	}
	narrow_l1_msr(l1, NV_MSR_CR4_FIXED1, ~(u64)fuzz_u32(in));
}

/* @want where L1's profile allows it, with what it forces to 1. */
static u32 l1_ctl(const u64 *l1, enum vmx_ctl_kind kind, u32 want)
{
	u32 val = 0;

	vmx_adjust_ctl(vmx_ctl_cap(l1, kind), 0, want, &val);
	return val;
}

/*
 * Controls and host state of a 64-bit L1 running L2 on EPT, with L2's
 * VM-entry controls @entry and unrestricted guest if @ug.
 */
static void template_common(const u64 *l1, u64 *f, bool ug, u32 entry)
{
	bool ad = l1[NV_MSR_EPT_VPID_CAP] & NV_EPT_CAP_AD;
	u32 pin = NV_PIN_CTL_EXT_INTR_EXITING | NV_PIN_CTL_NMI_EXITING |
		  NV_PIN_CTL_VIRTUAL_NMIS | NV_PIN_CTL_PREEMPTION_TIMER;
	u32 proc = NV_PROC_CTL_HLT_EXITING | NV_PROC_CTL_USE_IO_BITMAPS |
		   NV_PROC_CTL_USE_MSR_BITMAPS |
		   NV_PROC_CTL_USE_TSC_OFFSETTING |
		   NV_PROC_CTL_NMI_WINDOW_EXITING |
		   NV_PROC_CTL_ACTIVATE_SECONDARY;
	u32 proc2 = NV_PROC2_CTL_EPT | NV_PROC2_CTL_VPID | NV_PROC2_CTL_RDTSCP |
		    (ug ? NV_PROC2_CTL_UNRESTRICTED_GUEST : 0);
	u32 exit = NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE |
		   NV_EXIT_CTL_ACK_INTR_ON_EXIT | NV_EXIT_CTL_SAVE_PAT |
		   NV_EXIT_CTL_LOAD_PAT | NV_EXIT_CTL_SAVE_EFER |
		   NV_EXIT_CTL_LOAD_EFER | NV_EXIT_CTL_SAVE_PREEMPTION_TIMER;

	f[V12_PIN_BASED_VM_EXEC_CONTROL] = l1_ctl(l1, VMX_CTL_PIN, pin);
	f[V12_CPU_BASED_VM_EXEC_CONTROL] = l1_ctl(l1, VMX_CTL_PROC, proc);
	f[V12_SECONDARY_VM_EXEC_CONTROL] = l1_ctl(l1, VMX_CTL_PROC2, proc2);
	f[V12_VM_EXIT_CONTROLS] = l1_ctl(l1, VMX_CTL_EXIT, exit);
	f[V12_VM_ENTRY_CONTROLS] = l1_ctl(l1, VMX_CTL_ENTRY, entry);
	f[V12_IO_BITMAP_A] = 0x10000;
	f[V12_IO_BITMAP_B] = 0x11000;
	f[V12_MSR_BITMAP] = 0x12000;
	f[V12_EPT_POINTER] = 0x13000 | NV_EPTP_PWL4 | NV_EPTP_MT_WB |
			     (ad ? NV_EPTP_AD : 0);
	f[V12_VIRTUAL_PROCESSOR_ID] = 1;
	f[V12_VM_EXIT_MSR_STORE_ADDR] = 0x14000;
	f[V12_VM_EXIT_MSR_LOAD_ADDR] = 0x14100;
	f[V12_VM_ENTRY_MSR_LOAD_ADDR] = 0x14200;

	f[V12_HOST_CR0] = 0x80050033;
	f[V12_HOST_CR3] = 0x200000;
	f[V12_HOST_CR4] = 0x2000 | NV_CR4_PAE | 0x6a0;
	f[V12_HOST_IA32_SYSENTER_ESP] = 0xfffffe0000002000ULL;
	f[V12_HOST_IA32_SYSENTER_EIP] = 0xffffffff81a00000ULL;
	f[V12_HOST_IA32_PAT] = 0x0007040600070406ULL;
	f[V12_HOST_IA32_EFER] = NV_EFER_SCE | NV_EFER_LME | NV_EFER_LMA |
				NV_EFER_NXE;
	f[V12_HOST_CS_SELECTOR] = 0x10;
	f[V12_HOST_SS_SELECTOR] = 0x18;
	f[V12_HOST_TR_SELECTOR] = 0x40;
	f[V12_HOST_FS_BASE] = 0x7f0000001000ULL;
	f[V12_HOST_GS_BASE] = 0xffff888100000000ULL;
	f[V12_HOST_GDTR_BASE] = 0xfffffe0000001000ULL;
	f[V12_HOST_IDTR_BASE] = 0xfffffe0000000000ULL;
	f[V12_HOST_TR_BASE] = 0xfffffe0000003000ULL;
	f[V12_HOST_RIP] = 0xffffffff81000000ULL;
	f[V12_HOST_RSP] = 0xffffc90000010000ULL;
	f[V12_VMCS_LINK_POINTER] = ~0ULL;
	f[V12_GUEST_GDTR_LIMIT] = 0x7f;
	f[V12_GUEST_IDTR_LIMIT] = 0xfff;
}

/* L2: a 64-bit kernel. */
static void template_long_mode(const u64 *l1, u64 *f)
{
	template_common(l1, f, false, NV_ENTRY_CTL_IA32E_MODE_GUEST |
			NV_ENTRY_CTL_LOAD_PAT | NV_ENTRY_CTL_LOAD_EFER);
	f[V12_GUEST_CR0] = 0x80050033;
	f[V12_GUEST_CR3] = 0x300000;
	f[V12_GUEST_CR4] = 0x2000 | NV_CR4_PAE | 0x6a0;
	f[V12_GUEST_IA32_PAT] = 0x0007040600070406ULL;
	f[V12_GUEST_IA32_EFER] = NV_EFER_SCE | NV_EFER_LME | NV_EFER_LMA;
	f[V12_GUEST_SYSENTER_ESP] = 0xfffffe0000012000ULL;
	f[V12_GUEST_SYSENTER_EIP] = 0xffffffff82000000ULL;
	set_seg(f, SEG_ES, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_CS, 0x10, 0, 0xffffffff, 0xa09b);
	set_seg(f, SEG_SS, 0x18, 0, 0xffffffff, 0xc093);
	set_seg(f, SEG_DS, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_FS, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_GS, 0, 0xffff888200000000ULL, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_LDTR, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_TR, 0x40, 0xfffffe0000013000ULL, 0x67, 0x8b);
	f[V12_GUEST_GDTR_BASE] = 0xfffffe0000011000ULL;
	f[V12_GUEST_IDTR_BASE] = 0xfffffe0000010000ULL;
	f[V12_GUEST_RIP] = 0xffffffff82001000ULL;
	f[V12_GUEST_RSP] = 0xffffc90000020000ULL;
	f[V12_GUEST_RFLAGS] = 0x246;
}

/* L2: a real-mode guest at the reset vector, under unrestricted guest. */
static void template_real_mode(const u64 *l1, u64 *f)
{
	unsigned int i;

	template_common(l1, f, true, NV_ENTRY_CTL_LOAD_PAT |
			NV_ENTRY_CTL_LOAD_EFER);
	f[V12_GUEST_CR0] = 0x60000030;
	f[V12_GUEST_CR4] = 0x2000;
	set_seg(f, SEG_CS, 0xf000, 0xffff0000, 0xffff, 0x9b);
	for (i = SEG_ES; i <= SEG_GS; i++)
		if (i != SEG_CS)
			set_seg(f, i, 0, 0, 0xffff, 0x93);
	set_seg(f, SEG_LDTR, 0, 0, 0xffff, 0x82);
	set_seg(f, SEG_TR, 0, 0, 0xffff, 0x8b);
	f[V12_GUEST_GDTR_LIMIT] = 0xffff;
	f[V12_GUEST_IDTR_LIMIT] = 0xffff;
	f[V12_GUEST_RIP] = 0xfff0;
	f[V12_GUEST_RFLAGS] = 0x2;
}

/* Paging and system registers of a 32-bit PAE kernel. */
static void template_pae(u64 *f)
{
	f[V12_GUEST_CR0] = 0x80050033;
	f[V12_GUEST_CR3] = 0x5000;
	f[V12_GUEST_CR4] = 0x2000 | NV_CR4_PAE | 0x680;
	f[V12_GUEST_IA32_PAT] = 0x0007040600070406ULL;
	f[V12_GUEST_IA32_EFER] = NV_EFER_NXE;
	f[V12_GUEST_SYSENTER_ESP] = 0xc1240000;
	f[V12_GUEST_SYSENTER_EIP] = 0xc1001000;
	f[V12_GUEST_PDPTE0] = 0x6001;
	f[V12_GUEST_PDPTE1] = 0x7001;
	f[V12_GUEST_PDPTE3] = 0x8001;
	set_seg(f, SEG_LDTR, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_TR, 0x80, 0xc1234000, 0x206b, 0x8b);
	f[V12_GUEST_GDTR_BASE] = 0xc1235000;
	f[V12_GUEST_IDTR_BASE] = 0xc1236000;
}

/* L2: a 32-bit program at CPL 3 under a PAE kernel. */
static void template_user_32(const u64 *l1, u64 *f)
{
	template_common(l1, f, false, NV_ENTRY_CTL_LOAD_PAT |
			NV_ENTRY_CTL_LOAD_EFER);
	template_pae(f);
	set_seg(f, SEG_CS, 0x73, 0, 0xffffffff, 0xc0fb);
	set_seg(f, SEG_SS, 0x7b, 0, 0xffffffff, 0xc0f3);
	set_seg(f, SEG_DS, 0x7b, 0, 0xffffffff, 0xc0f3);
	set_seg(f, SEG_ES, 0x7b, 0, 0xffffffff, 0xc0f3);
	set_seg(f, SEG_FS, 0, 0, 0, NV_AR_UNUSABLE);
	set_seg(f, SEG_GS, 0x33, 0x9000, 0xfffff, 0x40f3);
	f[V12_GUEST_RIP] = 0x08048000;
	f[V12_GUEST_RSP] = 0xbffff000;
	f[V12_GUEST_RFLAGS] = 0x202;
}

/* L2: a virtual-8086 task under a PAE kernel, without loading EFER. */
static void template_v86(const u64 *l1, u64 *f)
{
	unsigned int i;

	template_common(l1, f, false, NV_ENTRY_CTL_LOAD_PAT);
	template_pae(f);
	for (i = SEG_ES; i <= SEG_GS; i++)
		set_seg(f, i, 0x1000 + 0x10 * i, (0x1000 + 0x10 * i) << 4,
			0xffff, 0xf3);
	f[V12_GUEST_RIP] = 0x100;
	f[V12_GUEST_RSP] = 0xfffe;
	f[V12_GUEST_RFLAGS] = NV_RFLAGS_VM | 0x202;
}

/* Values near the edges that the checks test. */
static const u64 interesting[] = {
	0, 1, 2, 3, 4, 7, 8, 0xf, 0x10, 0xff, 0xfff, 0x1000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	0x00007fffffffffffULL, 0x0000800000000000ULL, 0xffff800000000000ULL,
	0x00ffffffffffffffULL, 0xff00000000000000ULL, 0x000fffffffffffffULL,
	0x0010000000000000ULL, ~0ULL, 1ULL << 63,
};

/* Fields that most checks read, picked more often than the others. */
static const enum vmcs12_index hot[] = {
	V12_PIN_BASED_VM_EXEC_CONTROL, V12_CPU_BASED_VM_EXEC_CONTROL,
	V12_SECONDARY_VM_EXEC_CONTROL, V12_VM_EXIT_CONTROLS,
	V12_VM_ENTRY_CONTROLS, V12_VM_ENTRY_INTR_INFO_FIELD,
	V12_GUEST_ACTIVITY_STATE, V12_GUEST_INTERRUPTIBILITY_INFO,
	V12_GUEST_PENDING_DBG_EXCEPTIONS, V12_GUEST_RFLAGS, V12_GUEST_CR0,
	V12_GUEST_CR4, V12_GUEST_IA32_EFER, V12_GUEST_CS_AR_BYTES,
	V12_GUEST_SS_AR_BYTES, V12_GUEST_TR_AR_BYTES, V12_HOST_CR4,
	V12_HOST_IA32_EFER, V12_VMCS_LINK_POINTER,
};

/* One change to one field. */
static void mutate(struct fuzz_in *in, u64 *f)
{
	u8 b = fuzz_u8(in), kind = fuzz_u8(in);
	unsigned int idx = b < VMCS12_NR_FIELDS ? b :
			   hot[(b - VMCS12_NR_FIELDS) % ARRAY_SIZE(hot)];

	switch (kind & 7) {
	case 0:
		f[idx] = fuzz_u64(in);
		break;
	case 1:
		f[idx] = fuzz_u32(in);
		break;
	case 2:
		f[idx] = fuzz_u8(in);
		break;
	case 3:
		f[idx] ^= BIT_ULL(fuzz_u8(in) & 63);
		break;
	case 4:
		f[idx] ^= fuzz_u64(in);
		break;
	case 5:
		f[idx] = interesting[fuzz_u8(in) % ARRAY_SIZE(interesting)];
		break;
	case 6:
		f[idx] = f[fuzz_u8(in) % VMCS12_NR_FIELDS];
		break;
	case 7:
		f[idx] = (f[idx] & ~0xffffULL) | fuzz_u16(in);
		break;
	}
}

static bool ctl_within(const u64 *msrs, enum vmx_ctl_kind kind, u32 val)
{
	u64 cap = vmx_ctl_cap(msrs, kind);

	return (val & (u32)cap) == (u32)cap && !(val & ~NV_VMX_ALLOWED1(cap));
}

static void check_ctl_result(int ret, const struct nested_check_result *r,
			     int error)
{
	FUZZ_CHECK(ret == 0 || ret == error);
	FUZZ_CHECK(r->error == ret);
	FUZZ_CHECK(!r->check == !ret);
}

static void check_guest_result(int ret, const struct nested_guest_result *r)
{
	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	FUZZ_CHECK(!r->check == !ret);
	if (!ret) {
		FUZZ_CHECK(r->exit_reason == 0);
		FUZZ_CHECK(r->qualification == 0);
		return;
	}
	FUZZ_CHECK(r->exit_reason == NV_EXIT_REASON_INVALID_GUEST);
	FUZZ_CHECK(r->qualification == NV_ENTRY_FAIL_DEFAULT ||
		   r->qualification == NV_ENTRY_FAIL_PDPTE ||
		   r->qualification == NV_ENTRY_FAIL_VMCS_LINK_PTR);
}

/* Controls and host state: valid results, and the same the second time. */
static int run_ctl_checks(const struct nested_check_env *env,
			  const struct vmcs12 *v, bool host)
{
	struct nested_check_result r1, r2;
	int ret1, ret2, error;

	memset(&r1, 0xa5, sizeof(r1));
	memset(&r2, 0x5a, sizeof(r2));
	if (host) {
		error = VMXERR_ENTRY_INVALID_HOST_STATE;
		ret1 = nested_check_host_state(env, v, &r1);
		ret2 = nested_check_host_state(env, v, &r2);
	} else {
		error = VMXERR_ENTRY_INVALID_CONTROL;
		ret1 = nested_check_controls(env, v, &r1);
		ret2 = nested_check_controls(env, v, &r2);
	}
	check_ctl_result(ret1, &r1, error);
	FUZZ_CHECK(ret1 == ret2 && r1.error == r2.error);
	FUZZ_CHECK(r1.check == r2.check);
	return ret1;
}

static int run_guest_checks(const struct nested_guest_env *env,
			    const struct vmcs12 *v, u64 current_ptr,
			    bool readable, u32 rev)
{
	struct nested_guest_result g1, g2, l1, l2;
	u64 link = v->field[V12_VMCS_LINK_POINTER];
	int ret1, ret2, lret1, lret2;

	memset(&g1, 0xa5, sizeof(g1));
	memset(&g2, 0x5a, sizeof(g2));
	ret1 = nested_check_guest_state(env, v, &g1);
	ret2 = nested_check_guest_state(env, v, &g2);
	check_guest_result(ret1, &g1);
	FUZZ_CHECK(ret1 == ret2 && g1.exit_reason == g2.exit_reason);
	FUZZ_CHECK(g1.qualification == g2.qualification);
	FUZZ_CHECK(g1.check == g2.check);

	memset(&l1, 0xa5, sizeof(l1));
	memset(&l2, 0x5a, sizeof(l2));
	lret1 = nested_check_link_vmcs(env, v, current_ptr, readable, rev, &l1);
	lret2 = nested_check_link_vmcs(env, v, current_ptr, readable, rev, &l2);
	check_guest_result(lret1, &l1);
	FUZZ_CHECK(lret1 == lret2 && l1.exit_reason == l2.exit_reason);
	FUZZ_CHECK(l1.qualification == l2.qualification);
	FUZZ_CHECK(l1.check == l2.check);
	if (lret1)
		FUZZ_CHECK(l1.qualification == NV_ENTRY_FAIL_VMCS_LINK_PTR);
	if (link == ~0ULL)
		FUZZ_CHECK(!lret1);
	else if (link == current_ptr)
		FUZZ_CHECK(lret1);
	return ret1;
}

/* VMCS02's controls for a VMCS12 whose controls passed the checks. */
static void check_vmcs02(const u64 *host, const struct vmcs12 *v, u8 flags)
{
	struct nested_vmcs02_ctls c;
	struct vmx_controls l0;
	const char *why = NULL;
	u32 proc, l1_proc2, *val[] = {
		[VMX_CTL_PIN] = &c.ctls.pin,
		[VMX_CTL_PROC] = &c.ctls.proc,
		[VMX_CTL_PROC2] = &c.ctls.proc2,
		[VMX_CTL_EXIT] = &c.ctls.exit,
		[VMX_CTL_ENTRY] = &c.ctls.entry,
	};
	unsigned int i;
	int err;

	if (vmx_vmcs01_controls(host, &l0, &why))
		return;			/* nvmx would create no vCPU here */
	if (flags & IN_NO_VPID01)
		l0.proc2 &= ~NV_PROC2_CTL_VPID;
	memset(&c, 0xa5, sizeof(c));
	err = nested_vmcs02_controls(&l0, v, &c, &why);
	if (err)
		fprintf(stderr, "VMCS02 refused: %s\n", why ? why : "(null)");
	FUZZ_CHECK(!err && !why);
	if (flags & IN_NO_VPID02)
		c.ctls.proc2 &= ~NV_PROC2_CTL_VPID;

	for (i = 0; i < ARRAY_SIZE(val); i++) {
		u64 cap = vmx_ctl_cap(host, i);

		if (!ctl_within(host, i, *val[i]))
			fprintf(stderr, "VMCS02 control %u: %#x, host: %#llx\n",
				i, *val[i], (unsigned long long)cap);
		FUZZ_CHECK(!(*val[i] & ~NV_VMX_ALLOWED1(cap)));
		FUZZ_CHECK((*val[i] & (u32)cap) == (u32)cap);
	}
	FUZZ_CHECK(c.ctls.proc & NV_PROC_CTL_ACTIVATE_SECONDARY ||
		   !c.ctls.proc2);
	if (c.ctls.pin & NV_PIN_CTL_VIRTUAL_NMIS)
		FUZZ_CHECK(c.ctls.pin & NV_PIN_CTL_NMI_EXITING);
	if (c.ctls.proc & NV_PROC_CTL_NMI_WINDOW_EXITING)
		FUZZ_CHECK(c.ctls.pin & NV_PIN_CTL_VIRTUAL_NMIS);
	if (c.ctls.proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST)
		FUZZ_CHECK(c.ctls.proc2 & NV_PROC2_CTL_EPT);
	if (c.ctls.entry & NV_ENTRY_CTL_IA32E_MODE_GUEST)
		FUZZ_CHECK(c.ctls.exit & NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE);
	if (c.ctls.exit & NV_EXIT_CTL_SAVE_PREEMPTION_TIMER)
		FUZZ_CHECK(c.ctls.pin & NV_PIN_CTL_PREEMPTION_TIMER);
	FUZZ_CHECK(c.cr3_target_count <=
		   NV_VMX_MISC_CR3_TARGETS(host[NV_MSR_MISC]));

	/* What L2 gets of L1's choices. */
	proc = v->field[V12_CPU_BASED_VM_EXEC_CONTROL];
	l1_proc2 = (proc & NV_PROC_CTL_ACTIVATE_SECONDARY) ?
		   v->field[V12_SECONDARY_VM_EXEC_CONTROL] : 0;
	FUZZ_CHECK(c.ept12 == !!(l1_proc2 & NV_PROC2_CTL_EPT));
	if (c.vpid12)
		FUZZ_CHECK(l1_proc2 & NV_PROC2_CTL_VPID);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u64 host[NV_MSR_CAP_MSR_COUNT], l1[NV_MSR_CAP_MSR_COUNT];
	struct nested_check_env env;
	struct nested_guest_env genv;
	struct vmcs12 *v, *copy;
	struct fuzz_in in;
	u8 flags, link_sel, b;
	u64 current_ptr;
	u32 rev;
	bool readable;
	unsigned int i;
	int ctl_ret;

	fuzz_in_init(&in, data, size);
	flags = fuzz_u8(&in);
	b = fuzz_u8(&in);
	link_sel = fuzz_u8(&in);
	rev = fuzz_u32(&in);
	current_ptr = fuzz_u64(&in);

	skylake_vmx_msrs(host);
	if ((flags & IN_NARROW_HOST) && !narrow_host(&in, host))
		return 0;		/* nvmx would not load */
	nvmx_l1_vmx_msrs(host, l1);
	if (flags & IN_NARROW_L1)
		narrow_l1(&in, l1);

	env.msrs = l1;
	env.maxphyaddr = (b & 0x80) ? b & 63 : 32 + (b % 21);
	env.cr3_target_max = NV_VMX_MISC_CR3_TARGETS(l1[NV_MSR_MISC]);
	env.host_long_mode = flags & IN_HOST_LONG_MODE;
	genv.msrs = l1;
	genv.maxphyaddr = env.maxphyaddr;

	v = calloc(1, sizeof(*v));
	copy = malloc(sizeof(*v));
	if (!v || !copy)
		abort();
	v->revision_id = NVMX_VMCS12_REVISION;
	switch (flags & IN_TEMPLATE) {
	case TPL_EMPTY:
		break;
	case TPL_REAL_MODE:
		template_real_mode(l1, v->field);
		break;
	case TPL_USER_32:
		template_user_32(l1, v->field);
		break;
	case TPL_V86:
		template_v86(l1, v->field);
		break;
	case TPL_RAW:
		for (i = 0; i < VMCS12_NR_FIELDS && fuzz_more(&in); i++)
			v->field[i] = fuzz_u64(&in);
		break;
	default:
		template_long_mode(l1, v->field);
		break;
	}
	while (fuzz_more(&in))
		mutate(&in, v->field);

	/* The link pointer's target: the current VMCS, or input. */
	if (link_sel & 1)
		current_ptr = v->field[V12_VMCS_LINK_POINTER];
	readable = link_sel & 2;
	if (link_sel & 4)
		rev = NV_VMX_BASIC_REVISION(l1[NV_MSR_BASIC]) |
		      ((link_sel & 8) ? BIT(31) : 0);

	memcpy(copy, v, sizeof(*v));
	ctl_ret = run_ctl_checks(&env, v, false);
	run_ctl_checks(&env, v, true);
	run_guest_checks(&genv, v, current_ptr, readable, rev);

	if (!ctl_ret) {
		const u64 *f = v->field;
		u32 proc = f[V12_CPU_BASED_VM_EXEC_CONTROL];

		FUZZ_CHECK(ctl_within(l1, VMX_CTL_PIN,
				      f[V12_PIN_BASED_VM_EXEC_CONTROL]));
		FUZZ_CHECK(ctl_within(l1, VMX_CTL_PROC, proc));
		if (proc & NV_PROC_CTL_ACTIVATE_SECONDARY) {
			u32 proc2 = f[V12_SECONDARY_VM_EXEC_CONTROL];

			FUZZ_CHECK(ctl_within(l1, VMX_CTL_PROC2, proc2));
		}
		FUZZ_CHECK(ctl_within(l1, VMX_CTL_EXIT,
				      f[V12_VM_EXIT_CONTROLS]));
		FUZZ_CHECK(ctl_within(l1, VMX_CTL_ENTRY,
				      f[V12_VM_ENTRY_CONTROLS]));
		check_vmcs02(host, v, flags);
	}
	FUZZ_CHECK(!memcmp(copy, v, sizeof(*v)));
	free(v);
	free(copy);
	return 0;
}
