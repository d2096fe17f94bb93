// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMX capability MSRs an L1 guest reads, and the narrowing of them by
 * userspace. Intel SDM Vol. 3D, appendix "VMX Capability Reporting
 * Facility". Pure.
 *
 * L1's profile is what nvmx emulates intersected with what the host has:
 * a feature that nvmx implements by running L2 on the host's VMX needs the
 * host's support too. Values are indexed by enum vmx_cap_msr (MSR number
 * minus 0x480), like the host's.
 */
#include "vmx_msrs.h"
#include "../vmx/controls.h"
#include "checks.h"
#include "vmcs12.h"

/*
 * Highest index (bits 9:1 of an encoding) of the fields in
 * vmcs_field_list.h: 25, TSC multiplier (0x2032). Update it together with
 * NVMX_VMCS12_REVISION when a field is added.
 */
#define NVMX_VMCS12_MAX_INDEX		25ULL

/* CR4.VMXE, which VMX operation requires ("VMX-Fixed Bits in CR4") */
#define NV_CR4_VMXE			BIT_ULL(13)

/*
 * The "default1" controls ("Algorithms for Determining VMX Capabilities"):
 * reserved, or controls that processors without true MSRs fix to 1.
 */
#define NV_PIN_DEFAULT1			0x00000016u	/* 1, 2, 4 */
#define NV_PROC_DEFAULT1		0x0401e172u	/* 1, 4-6, 8, 13-16, 26 */
#define NV_EXIT_DEFAULT1		0x00036dffu	/* 0-8, 10, 11, 13, 14, 16, 17 */
#define NV_ENTRY_DEFAULT1		0x000011ffu	/* 0-8, 12 */

enum l1_cap_kind {
	L1_CAP_CTLS,		/* allowed-0 in bits 31:0, allowed-1 in 63:32 */
	L1_CAP_TRUE_CTLS,	/* computed with the CTLS row in .pair */
	L1_CAP_BITS,		/* feature bits and numeric fields */
	L1_CAP_VALUE,		/* a value set by nvmx alone */
	L1_CAP_FIXED0,		/* as the host; the FIXED1 MSR follows */
	L1_CAP_FIXED1,		/* as the host; the FIXED0 MSR precedes */
};

#define L1_CAP_MAX_FIELDS	3

/**
 * struct l1_cap - how nvmx derives one capability MSR for L1
 * @kind: see enum l1_cap_kind
 * @offer: CTLS: the controls offered where the host allows them to be 1;
 *	   BITS: the feature bits taken from the host
 * @set: CTLS: the "default1" controls; BITS, VALUE: bits and field values
 *	 reported whatever the host has (FIXED0: bits added to the host's)
 * @emulated: CTLS: controls offered whatever the host has, because nvmx
 *	      emulates them alone and never gives them to the CPU
 * @exact: BITS: fields that a narrowed value must keep unchanged
 * @fields: BITS, VALUE: numeric fields (masks); BITS reports the smaller of
 *	    @set's and the host's value; narrowing may only lower them
 * @ctl: CTLS: the control field, for vmx_ctl_cap()
 * @pair: CTLS: the matching IA32_VMX_TRUE_* MSR (itself if none);
 *	  TRUE_CTLS: the matching CTLS row
 */
struct l1_cap {
	enum l1_cap_kind kind;
	u64 offer;
	u64 set;
	u64 emulated;
	u64 exact;
	u64 fields[L1_CAP_MAX_FIELDS];
	enum vmx_ctl_kind ctl;
	enum vmx_cap_msr pair;
};

/*
 * What nvmx offers L1 (first cut). Not offered: APIC virtualization
 * (virtualize APIC accesses, virtualize x2APIC mode, APIC-register
 * virtualization, virtual-interrupt delivery), posted interrupts, PML, VM
 * functions (IA32_VMX_VMFUNC is 0), sub-page write permissions (SPP),
 * Intel PT in VMX (conceal VMX from PT, PT uses guest-physical addresses),
 * TSC scaling, XSAVES/XRSTORS (nvmx does not switch IA32_XSS, so a guest
 * must not reach supervisor state components); the TPR shadow, which
 * nvmx does not emulate for L2 yet; in IA32_VMX_MISC the
 * shutdown and wait-for-SIPI activity states (nvmx does not emulate them
 * for L2), SMM and zero-length instruction injection; dual-monitor SMM
 * treatment (BASIC bit 49).
 *
 * VMCS shadowing is offered even where the host lacks it: VMCS02 never
 * enables it, L2's VMREAD and VMWRITE exit to L0, which reads L1's
 * bitmaps and emulates the access to L1's shadow VMCS.
 *
 * "default1" controls ("Algorithms for Determining VMX Capabilities"): the
 * non-true MSRs report them as allowed-0 (must be 1); the true MSRs clear
 * those that the host lets VMCS02 clear.
 */
static const struct l1_cap l1_caps[NV_MSR_CAP_MSR_COUNT] = {
	/* "Basic VMX Information"; bit 48 (32-bit addresses) never set. */
	[NV_MSR_BASIC] = {
		.kind = L1_CAP_BITS,
		.set = NVMX_VMCS12_REVISION |
		       (4096ULL << NV_VMX_BASIC_SIZE_SHIFT) |
		       ((u64)NV_VMX_MEMTYPE_WB << NV_VMX_BASIC_MEMTYPE_SHIFT) |
		       NV_VMX_BASIC_TRUE_CTLS,
		.offer = NV_VMX_BASIC_INOUT | NV_VMX_BASIC_ANY_ERRCODE,
		.exact = NV_VMX_BASIC_REVISION_MASK | NV_VMX_BASIC_SIZE_MASK |
			 NV_VMX_BASIC_MEMTYPE_MASK,
	},
	/* "Pin-Based VM-Execution Controls" */
	[NV_MSR_PINBASED_CTLS] = {
		.kind = L1_CAP_CTLS, .ctl = VMX_CTL_PIN,
		.pair = NV_MSR_TRUE_PINBASED_CTLS,
		.offer = NV_PIN_CTL_EXT_INTR_EXITING | NV_PIN_CTL_NMI_EXITING |
			 NV_PIN_CTL_VIRTUAL_NMIS | NV_PIN_CTL_PREEMPTION_TIMER,
		.set = NV_PIN_DEFAULT1,
	},
	/* "Primary Processor-Based VM-Execution Controls" */
	[NV_MSR_PROCBASED_CTLS] = {
		.kind = L1_CAP_CTLS, .ctl = VMX_CTL_PROC,
		.pair = NV_MSR_TRUE_PROCBASED_CTLS,
		.offer = NV_PROC_CTL_INTR_WINDOW_EXITING |
			 NV_PROC_CTL_USE_TSC_OFFSETTING |
			 NV_PROC_CTL_HLT_EXITING | NV_PROC_CTL_INVLPG_EXITING |
			 NV_PROC_CTL_MWAIT_EXITING | NV_PROC_CTL_RDPMC_EXITING |
			 NV_PROC_CTL_RDTSC_EXITING |
			 NV_PROC_CTL_CR3_LOAD_EXITING |
			 NV_PROC_CTL_CR3_STORE_EXITING |
			 NV_PROC_CTL_CR8_LOAD_EXITING |
			 NV_PROC_CTL_CR8_STORE_EXITING |
			 NV_PROC_CTL_USE_TPR_SHADOW |
			 NV_PROC_CTL_NMI_WINDOW_EXITING |
			 NV_PROC_CTL_MOV_DR_EXITING |
			 NV_PROC_CTL_UNCOND_IO_EXITING |
			 NV_PROC_CTL_USE_IO_BITMAPS |
			 NV_PROC_CTL_MONITOR_TRAP_FLAG |
			 NV_PROC_CTL_USE_MSR_BITMAPS |
			 NV_PROC_CTL_MONITOR_EXITING |
			 NV_PROC_CTL_PAUSE_EXITING |
			 NV_PROC_CTL_ACTIVATE_SECONDARY,
		.set = NV_PROC_DEFAULT1,
	},
	/* "Secondary Processor-Based VM-Execution Controls": no default1 */
	[NV_MSR_PROCBASED_CTLS2] = {
		.kind = L1_CAP_CTLS, .ctl = VMX_CTL_PROC2,
		.pair = NV_MSR_PROCBASED_CTLS2,
		.offer = NV_PROC2_CTL_EPT | NV_PROC2_CTL_DESC_TABLE_EXITING |
			 NV_PROC2_CTL_RDTSCP | NV_PROC2_CTL_VPID |
			 NV_PROC2_CTL_WBINVD_EXITING |
			 NV_PROC2_CTL_UNRESTRICTED_GUEST |
			 NV_PROC2_CTL_INVPCID,
		.emulated = NV_PROC2_CTL_VMCS_SHADOWING,
	},
	/* "VM-Exit Controls" */
	[NV_MSR_EXIT_CTLS] = {
		.kind = L1_CAP_CTLS, .ctl = VMX_CTL_EXIT,
		.pair = NV_MSR_TRUE_EXIT_CTLS,
		.offer = NV_EXIT_CTL_SAVE_DEBUG_CTLS |
			 NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE |
			 NV_EXIT_CTL_ACK_INTR_ON_EXIT |
			 NV_EXIT_CTL_SAVE_PAT | NV_EXIT_CTL_LOAD_PAT |
			 NV_EXIT_CTL_SAVE_EFER | NV_EXIT_CTL_LOAD_EFER |
			 NV_EXIT_CTL_SAVE_PREEMPTION_TIMER,
		.set = NV_EXIT_DEFAULT1,
	},
	/* "VM-Entry Controls" */
	[NV_MSR_ENTRY_CTLS] = {
		.kind = L1_CAP_CTLS, .ctl = VMX_CTL_ENTRY,
		.pair = NV_MSR_TRUE_ENTRY_CTLS,
		.offer = NV_ENTRY_CTL_LOAD_DEBUG_CTLS |
			 NV_ENTRY_CTL_IA32E_MODE_GUEST |
			 NV_ENTRY_CTL_LOAD_PAT | NV_ENTRY_CTL_LOAD_EFER,
		.set = NV_ENTRY_DEFAULT1,
	},
	[NV_MSR_TRUE_PINBASED_CTLS] = {
		.kind = L1_CAP_TRUE_CTLS, .pair = NV_MSR_PINBASED_CTLS,
	},
	[NV_MSR_TRUE_PROCBASED_CTLS] = {
		.kind = L1_CAP_TRUE_CTLS, .pair = NV_MSR_PROCBASED_CTLS,
	},
	[NV_MSR_TRUE_EXIT_CTLS] = {
		.kind = L1_CAP_TRUE_CTLS, .pair = NV_MSR_EXIT_CTLS,
	},
	[NV_MSR_TRUE_ENTRY_CTLS] = {
		.kind = L1_CAP_TRUE_CTLS, .pair = NV_MSR_ENTRY_CTLS,
	},
	/*
	 * "Miscellaneous Data": timer rate and MSR-list maximum as the host,
	 * 4 CR3-target values, HLT activity state, store of EFER.LMA, VMWRITE
	 * to read-only fields (vmcs12_write() emulates it; with the host's
	 * support so that a shadow VMCS can allow it too), MSEG revision 0.
	 */
	[NV_MSR_MISC] = {
		.kind = L1_CAP_BITS,
		.set = NV_VMX_MISC_TIMER_RATE_MASK |
		       (4ULL << NV_VMX_MISC_CR3_TARGETS_SHIFT) |
		       NV_VMX_MISC_MSR_LIST_MASK,
		.offer = NV_VMX_MISC_STORE_LMA | NV_VMX_MISC_ACT_HLT |
			 NV_VMX_MISC_VMWRITE_ANY,
		.exact = NV_VMX_MISC_MSEG_REV_MASK,
		.fields = { NV_VMX_MISC_TIMER_RATE_MASK,
			    NV_VMX_MISC_CR3_TARGETS_MASK,
			    NV_VMX_MISC_MSR_LIST_MASK },
	},
	/* "VMX-Fixed Bits in CR0", "VMX-Fixed Bits in CR4": as the host */
	[NV_MSR_CR0_FIXED0] = { .kind = L1_CAP_FIXED0 },
	[NV_MSR_CR0_FIXED1] = { .kind = L1_CAP_FIXED1 },
	[NV_MSR_CR4_FIXED0] = { .kind = L1_CAP_FIXED0, .set = NV_CR4_VMXE },
	[NV_MSR_CR4_FIXED1] = { .kind = L1_CAP_FIXED1 },
	/* "VMCS Enumeration": VMCS12's highest field index */
	[NV_MSR_VMCS_ENUM] = {
		.kind = L1_CAP_VALUE,
		.set = NVMX_VMCS12_MAX_INDEX << 1,
		.fields = { NV_VMX_VMCS_ENUM_INDEX_MASK },
	},
	/* "VPID and EPT Capabilities" */
	[NV_MSR_EPT_VPID_CAP] = {
		.kind = L1_CAP_BITS,
		.offer = NV_EPT_CAP_EXEC_ONLY | NV_EPT_CAP_PWL4 |
			 NV_EPT_CAP_UC | NV_EPT_CAP_WB | NV_EPT_CAP_2M |
			 NV_EPT_CAP_1G | NV_EPT_CAP_INVEPT | NV_EPT_CAP_AD |
			 NV_EPT_CAP_INVEPT_SINGLE | NV_EPT_CAP_INVEPT_ALL |
			 NV_VPID_CAP_INVVPID | NV_VPID_CAP_INVVPID_ADDR |
			 NV_VPID_CAP_INVVPID_SINGLE | NV_VPID_CAP_INVVPID_ALL |
			 NV_VPID_CAP_INVVPID_SINGLE_NONGLOBAL,
	},
	/* "VM Functions": none */
	[NV_MSR_VMFUNC] = { .kind = L1_CAP_BITS },
};

/* The host's MSR @msr, or 0 where the SDM says the host has no such MSR. */
static u64 l1_host_value(const u64 *host, enum vmx_cap_msr msr)
{
	u32 proc2 = NV_VMX_ALLOWED1(vmx_ctl_cap(host, VMX_CTL_PROC2));

	switch (msr) {
	case NV_MSR_EPT_VPID_CAP:
		if (!(proc2 & (NV_PROC2_CTL_EPT | NV_PROC2_CTL_VPID)))
			return 0;
		break;
	case NV_MSR_VMFUNC:
		if (!(proc2 & NV_PROC2_CTL_VMFUNC))
			return 0;
		break;
	default:
		break;
	}
	return host[msr];
}

/* A BITS row: set and offered bits, numeric fields at most the host's. */
static u64 l1_bits_value(const struct l1_cap *c, u64 host)
{
	u64 numeric = 0, val;
	int i;

	for (i = 0; i < L1_CAP_MAX_FIELDS; i++)
		numeric |= c->fields[i];
	val = (c->set & ~numeric) | (host & c->offer & ~numeric);
	for (i = 0; i < L1_CAP_MAX_FIELDS; i++) {
		u64 ours = c->set & c->fields[i], hosts = host & c->fields[i];

		val |= ours < hosts ? ours : hosts;
	}
	return val;
}

/*
 * A CTLS row and its true MSR ("Algorithms for Determining VMX
 * Capabilities"): allowed-1 is the offered controls the host allows plus
 * the emulated and default1 ones; the non-true allowed-0 is every
 * default1 control, the
 * true allowed-0 those the host's true MSR does not let VMCS02 clear.
 */
static void l1_ctls_value(const struct l1_cap *c, const u64 *host, u64 *l1,
			  enum vmx_cap_msr msr)
{
	u64 cap = vmx_ctl_cap(host, c->ctl);
	u32 default1 = (u32)c->set;
	u64 allowed1 = (u64)((c->offer & NV_VMX_ALLOWED1(cap)) |
			     (u32)c->emulated | default1);

	l1[msr] = allowed1 << 32 | default1;
	if (c->pair != msr)
		l1[c->pair] = allowed1 << 32 | (default1 & (u32)cap);
}

/* Clear allowed-1 controls in a control MSR and in its true MSR. */
static void l1_drop_ctls(u64 *l1, enum vmx_cap_msr msr, u32 ctls)
{
	l1[msr] &= ~((u64)ctls << 32);
	l1[l1_caps[msr].pair] &= ~((u64)ctls << 32);
}

static bool l1_allows(const u64 *l1, enum vmx_cap_msr msr, u32 ctls)
{
	return NV_VMX_ALLOWED1(l1[msr]) & ctls;
}

/*
 * Capabilities that only make sense together: secondary controls (the
 * emulated ones too) with "activate secondary controls"; VPID with
 * INVVPID; the EPT and VPID halves of IA32_VMX_EPT_VPID_CAP with EPT and
 * VPID ("VPID and EPT Capabilities"); saving the preemption timer with
 * the timer.
 */
static void l1_fix_dependencies(u64 *l1)
{
	if (!l1_allows(l1, NV_MSR_PROCBASED_CTLS,
		       NV_PROC_CTL_ACTIVATE_SECONDARY))
		l1[NV_MSR_PROCBASED_CTLS2] = 0;
	if (!(l1[NV_MSR_EPT_VPID_CAP] & NV_VPID_CAP_INVVPID))
		l1_drop_ctls(l1, NV_MSR_PROCBASED_CTLS2, NV_PROC2_CTL_VPID);
	if (!l1_allows(l1, NV_MSR_PROCBASED_CTLS2, NV_PROC2_CTL_VPID))
		l1[NV_MSR_EPT_VPID_CAP] &= ~NV_VPID_CAP_VPID_BITS;
	if (!l1_allows(l1, NV_MSR_PROCBASED_CTLS2, NV_PROC2_CTL_EPT))
		l1[NV_MSR_EPT_VPID_CAP] &= ~NV_EPT_CAP_EPT_BITS;
	if (!l1_allows(l1, NV_MSR_PINBASED_CTLS, NV_PIN_CTL_PREEMPTION_TIMER))
		l1_drop_ctls(l1, NV_MSR_EXIT_CTLS,
			     NV_EXIT_CTL_SAVE_PREEMPTION_TIMER);
}

/**
 * nvmx_l1_vmx_msrs() - the VMX capability MSRs nvmx reports to L1
 * @host: the host's VMX capability MSRs, indexed by enum vmx_cap_msr
 * @l1: the result, indexed the same way (NV_MSR_CAP_MSR_COUNT entries)
 *
 * The profile is what l1_caps offers intersected with the host.
 */
void nvmx_l1_vmx_msrs(const u64 *host, u64 *l1)
{
	int i;

	for (i = 0; i < NV_MSR_CAP_MSR_COUNT; i++) {
		const struct l1_cap *c = &l1_caps[i];

		switch (c->kind) {
		case L1_CAP_CTLS:
			l1_ctls_value(c, host, l1, i);
			break;
		case L1_CAP_TRUE_CTLS:
			break;		/* with its CTLS row */
		case L1_CAP_BITS:
			l1[i] = l1_bits_value(c, l1_host_value(host, i));
			break;
		case L1_CAP_VALUE:
			l1[i] = c->set;
			break;
		case L1_CAP_FIXED0:
		case L1_CAP_FIXED1:
			l1[i] = host[i] | c->set;
			break;
		}
	}
	l1_fix_dependencies(l1);
}

/*
 * A control MSR ("VM-Execution Controls" and following): the must-be-1
 * settings may only grow, the may-be-1 ones only shrink, and every
 * must-be-1 control must still be allowed to be 1.
 */
static int l1_narrow_ctls(u64 profile, u64 value)
{
	u32 allowed0 = (u32)value, allowed1 = NV_VMX_ALLOWED1(value);

	if ((allowed0 & (u32)profile) != (u32)profile)
		return -EINVAL;
	if (allowed1 & ~NV_VMX_ALLOWED1(profile))
		return -EINVAL;
	if (allowed0 & ~allowed1)
		return -EINVAL;
	return 0;
}

/* Feature bits only cleared, numeric fields not larger, exact ones kept. */
static int l1_narrow_bits(const struct l1_cap *c, u64 profile, u64 value)
{
	u64 numeric = 0;
	int i;

	for (i = 0; i < L1_CAP_MAX_FIELDS; i++) {
		if ((value & c->fields[i]) > (profile & c->fields[i]))
			return -EINVAL;
		numeric |= c->fields[i];
	}
	if ((value ^ profile) & c->exact)
		return -EINVAL;
	if (value & ~profile & ~(numeric | c->exact))
		return -EINVAL;
	return 0;
}

/*
 * "VMX-Fixed Bits in CR0/CR4": bits fixed to 1 may only be added, bits
 * allowed to be 1 only removed, and a bit fixed to 1 must stay allowed.
 */
static int l1_narrow_fixed(u64 fixed0, u64 fixed1, u64 prof0, u64 prof1)
{
	if ((fixed0 & prof0) != prof0 || (fixed1 & ~prof1) ||
	    (fixed0 & ~fixed1))
		return -EINVAL;
	return 0;
}

/**
 * nvmx_l1_vmx_msr_narrow() - may userspace set one of L1's VMX MSRs?
 * @profile: L1's capability MSRs (nvmx_l1_vmx_msrs(), or as narrowed so
 *	     far), indexed by enum vmx_cap_msr
 * @msr: the MSR number, 0x480 (IA32_VMX_BASIC) to 0x491 (IA32_VMX_VMFUNC)
 * @value: the value userspace wants L1 to read
 *
 * Only a value offering a subset of @profile is accepted. A FIXED0 value
 * is checked against @profile's FIXED1 and conversely, so a caller that
 * narrows both should pass the profile as already narrowed.
 *
 * Return: 0, or -EINVAL if @value offers more than @profile or @msr is
 * not a VMX capability MSR.
 */
int nvmx_l1_vmx_msr_narrow(const u64 *profile, u32 msr, u64 value)
{
	const struct l1_cap *c;
	u32 i;

	if (msr < NVMX_MSR_VMX_FIRST || msr > NVMX_MSR_VMX_LAST)
		return -EINVAL;
	i = msr - NVMX_MSR_VMX_FIRST;
	c = &l1_caps[i];
	switch (c->kind) {
	case L1_CAP_CTLS:
	case L1_CAP_TRUE_CTLS:
		return l1_narrow_ctls(profile[i], value);
	case L1_CAP_BITS:
	case L1_CAP_VALUE:
		return l1_narrow_bits(c, profile[i], value);
	case L1_CAP_FIXED0:
		return l1_narrow_fixed(value, profile[i + 1],
				       profile[i], profile[i + 1]);
	case L1_CAP_FIXED1:
		return l1_narrow_fixed(profile[i - 1], value,
				       profile[i - 1], profile[i]);
	}
	return -EINVAL;
}

/**
 * nvmx_l1_feature_control() - IA32_FEATURE_CONTROL as L1 reads it
 * @exposed: whether VMX is exposed to L1
 *
 * Always locked, as firmware leaves it, so that L1's writes fault and
 * the value cannot change under nvmx. With VMX exposed, VMX is enabled
 * outside SMX only: nvmx exposes no SMX (GETSEC) to L1. Without it, VMX is
 * disabled, which agrees with CPUID.1:ECX.VMX = 0.
 */
u64 nvmx_l1_feature_control(bool exposed)
{
	if (exposed)
		return NV_FEATCTL_LOCKED | NV_FEATCTL_VMX_OUTSIDE_SMX;
	return NV_FEATCTL_LOCKED;
}
