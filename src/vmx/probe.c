// SPDX-License-Identifier: GPL-2.0-only
/*
 * The load-time decision: does this CPU provide what nvmx needs?
 *
 * nvmx requires, in this order of checking: an Intel CPU with VMX; VMX not
 * locked off by the firmware; a usable IA32_VMX_BASIC (VMCS of at most one
 * page, write-back, 64-bit physical addresses); EPT (4-level, write-back,
 * INVEPT), the one requirement that older VT-x processors miss and so the
 * first named; the VM-exit and VM-entry controls of a 64-bit host and
 * guest; MSR bitmaps. Everything else is an optional feature
 * recorded in res->features.
 */
#include "probe.h"
#include <linux/nvmx.h>

/* A capability nvmx cannot work without, and where to find it. */
struct nvmx_requirement {
	const char *name;
	enum vmx_cap_msr msr;
	u64 mask;		/* bits that must be set in the MSR's value */
	bool allowed1;		/* mask applies to the allowed-1 half */
};

static const struct nvmx_requirement nvmx_required[] = {
	{ "EPT (extended page tables; no secondary processor-based VM-execution controls)",
	  NV_MSR_PROCBASED_CTLS, NV_PROC_CTL_ACTIVATE_SECONDARY, true },
	{ "EPT (extended page tables)", NV_MSR_PROCBASED_CTLS2,
	  NV_PROC2_CTL_EPT, true },
	{ "EPT with a 4-level page walk", NV_MSR_EPT_VPID_CAP,
	  NV_EPT_CAP_PWL4, false },
	{ "EPT with write-back paging structures", NV_MSR_EPT_VPID_CAP,
	  NV_EPT_CAP_WB, false },
	{ "the INVEPT instruction", NV_MSR_EPT_VPID_CAP, NV_EPT_CAP_INVEPT,
	  false },
	{ "VM-exit control \"host address-space size\"", NV_MSR_EXIT_CTLS,
	  NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE, true },
	{ "VM-exit control \"load IA32_EFER\"", NV_MSR_EXIT_CTLS,
	  NV_EXIT_CTL_LOAD_EFER, true },
	{ "VM-entry control \"IA-32e mode guest\"", NV_MSR_ENTRY_CTLS,
	  NV_ENTRY_CTL_IA32E_MODE_GUEST, true },
	{ "VM-entry control \"load IA32_EFER\"", NV_MSR_ENTRY_CTLS,
	  NV_ENTRY_CTL_LOAD_EFER, true },
	{ "VM-execution control \"use MSR bitmaps\"", NV_MSR_PROCBASED_CTLS,
	  NV_PROC_CTL_USE_MSR_BITMAPS, true },
};

/* An optional feature: set in res->features when all of its bits are. */
struct nvmx_optional {
	u64 feature;
	enum vmx_cap_msr msr;
	u64 mask;
	bool allowed1;
};

static const struct nvmx_optional nvmx_optional[] = {
	{ NVMX_FEAT_EPT, NV_MSR_PROCBASED_CTLS2, NV_PROC2_CTL_EPT, true },
	{ NVMX_FEAT_VPID, NV_MSR_PROCBASED_CTLS2, NV_PROC2_CTL_VPID, true },
	{ NVMX_FEAT_UNRESTRICTED_GUEST, NV_MSR_PROCBASED_CTLS2,
	  NV_PROC2_CTL_UNRESTRICTED_GUEST, true },
	{ NVMX_FEAT_VMCS_SHADOWING, NV_MSR_PROCBASED_CTLS2,
	  NV_PROC2_CTL_VMCS_SHADOWING, true },
	{ NVMX_FEAT_PML, NV_MSR_PROCBASED_CTLS2, NV_PROC2_CTL_PML, true },
	{ NVMX_FEAT_TSC_SCALING, NV_MSR_PROCBASED_CTLS2,
	  NV_PROC2_CTL_TSC_SCALING, true },
	{ NVMX_FEAT_PREEMPTION_TIMER, NV_MSR_PINBASED_CTLS,
	  NV_PIN_CTL_PREEMPTION_TIMER, true },
	{ NVMX_FEAT_POSTED_INTR, NV_MSR_PINBASED_CTLS, NV_PIN_CTL_POSTED_INTR, true },
	{ NVMX_FEAT_EPT_AD, NV_MSR_EPT_VPID_CAP, NV_EPT_CAP_AD, false },
	{ NVMX_FEAT_EPT_2M, NV_MSR_EPT_VPID_CAP, NV_EPT_CAP_2M, false },
	{ NVMX_FEAT_EPT_1G, NV_MSR_EPT_VPID_CAP, NV_EPT_CAP_1G, false },
	{ NVMX_FEAT_INVVPID, NV_MSR_EPT_VPID_CAP, NV_VPID_CAP_INVVPID, false },
	{ NVMX_FEAT_TRUE_CTLS, NV_MSR_BASIC, NV_VMX_BASIC_TRUE_CTLS, false },
};

static bool nvmx_has(const struct nvmx_cpu_facts *f, enum vmx_cap_msr msr,
		     u64 mask, bool allowed1)
{
	u64 v;

	if (!(f->msr_valid & BIT(msr)))
		return false;
	v = allowed1 ? NV_VMX_ALLOWED1(f->msrs[msr]) : f->msrs[msr];
	return (v & mask) == mask;
}

/* IA32_VMX_BASIC: what nvmx needs of the VMCS region itself. */
static const char *nvmx_basic_problem(const struct nvmx_cpu_facts *f)
{
	u64 basic = f->msrs[NV_MSR_BASIC];

	if (!(f->msr_valid & BIT(NV_MSR_BASIC)))
		return "a readable IA32_VMX_BASIC MSR";
	if (NV_VMX_BASIC_VMCS_SIZE(basic) == 0 || NV_VMX_BASIC_VMCS_SIZE(basic) > 4096)
		return "a VMCS region of at most 4096 bytes";
	if (basic & NV_VMX_BASIC_32BIT_PA)
		return "64-bit VMCS physical addresses";
	if (NV_VMX_BASIC_MEMTYPE(basic) != NV_VMX_MEMTYPE_WB)
		return "write-back VMCS memory";
	return NULL;
}

/* The first requirement @f does not meet, in the order listed above. */
static enum nvmx_probe_verdict nvmx_check(const struct nvmx_cpu_facts *f,
					  const char **missing)
{
	size_t i;

	if (strcmp(f->vendor, "GenuineIntel") != 0 || !f->vmx)
		return NVMX_PROBE_NO_VTX;
	*missing = "a readable IA32_FEATURE_CONTROL MSR";
	if (!f->feat_ctl_valid)
		return NVMX_PROBE_MISSING;
	/* Unlocked is fine: nvmx enables VMX and locks it before VMXON. */
	if ((f->feat_ctl & NV_FEATCTL_LOCKED) &&
	    !(f->feat_ctl & NV_FEATCTL_VMX_OUTSIDE_SMX))
		return NVMX_PROBE_FW_DISABLED;
	*missing = nvmx_basic_problem(f);
	if (*missing)
		return NVMX_PROBE_MISSING;
	for (i = 0; i < ARRAY_SIZE(nvmx_required); i++) {
		const struct nvmx_requirement *r = &nvmx_required[i];

		*missing = r->name;
		if (!nvmx_has(f, r->msr, r->mask, r->allowed1))
			return NVMX_PROBE_MISSING;
	}
	*missing = "single- or all-context INVEPT";
	if (!(f->msrs[NV_MSR_EPT_VPID_CAP] &
	      (NV_EPT_CAP_INVEPT_SINGLE | NV_EPT_CAP_INVEPT_ALL)))
		return NVMX_PROBE_MISSING;
	*missing = NULL;
	return NVMX_PROBE_OK;
}

/**
 * nvmx_probe_decide() - decide whether nvmx can use this CPU
 * @f: what the CPU reported
 * @res: the verdict, the errno for module init and the features found
 *
 * Pure. The first failing requirement is the one reported, so that the
 * message names what to fix first.
 */
void nvmx_probe_decide(const struct nvmx_cpu_facts *f,
		       struct nvmx_probe_result *res)
{
	static const int errs[] = {
		[NVMX_PROBE_OK] = 0,
		[NVMX_PROBE_NO_VTX] = -ENODEV,
		[NVMX_PROBE_FW_DISABLED] = -EPERM,
		[NVMX_PROBE_MISSING] = -EOPNOTSUPP,
	};
	size_t i;

	memset(res, 0, sizeof(*res));
	res->verdict = nvmx_check(f, &res->missing);
	res->err = errs[res->verdict];
	if (res->verdict != NVMX_PROBE_OK)
		return;

	res->vmcs_revision = NV_VMX_BASIC_REVISION(f->msrs[NV_MSR_BASIC]);
	res->vmcs_size = NV_VMX_BASIC_VMCS_SIZE(f->msrs[NV_MSR_BASIC]);
	for (i = 0; i < ARRAY_SIZE(nvmx_optional); i++) {
		const struct nvmx_optional *o = &nvmx_optional[i];

		if (nvmx_has(f, o->msr, o->mask, o->allowed1))
			res->features |= o->feature;
	}
	/* VPID is only usable with INVVPID to flush its mappings. */
	if (!(res->features & NVMX_FEAT_INVVPID))
		res->features &= ~NVMX_FEAT_VPID;
}

/**
 * nvmx_probe_message() - the one line that tells an admin what is wrong
 * @f: what the CPU reported
 * @res: the result of nvmx_probe_decide()
 * @buf: where to write the line (without a trailing newline)
 * @len: size of @buf
 *
 * Return: the length snprintf() reports; an empty line for NVMX_PROBE_OK.
 */
int nvmx_probe_message(const struct nvmx_cpu_facts *f,
		       const struct nvmx_probe_result *res,
		       char *buf, size_t len)
{
	switch (res->verdict) {
	case NVMX_PROBE_NO_VTX:
		if (strcmp(f->vendor, "GenuineIntel") != 0)
			return snprintf(buf, len,
					"nested virtualization works only on Intel processors with VT-x; this CPU's vendor is \"%s\": run nvmx on an Intel VT-x host",
					f->vendor);
		return snprintf(buf, len,
				"nested virtualization works only on Intel processors with VT-x; this Intel CPU does not report VMX (CPUID.1:ECX.VMX=0): inside a VM, ask its hypervisor to expose virtualization extensions");
	case NVMX_PROBE_FW_DISABLED:
		return snprintf(buf, len,
				"VT-x is disabled by the firmware (IA32_FEATURE_CONTROL is locked without VMX outside SMX): enable Intel Virtualization Technology in the BIOS/UEFI setup and power-cycle");
	case NVMX_PROBE_MISSING:
		return snprintf(buf, len,
				"this CPU's VT-x lacks %s, which nvmx requires: use a processor (or a virtual CPU) that provides it",
				res->missing);
	case NVMX_PROBE_OK:
	default:
		break;
	}
	if (len)
		buf[0] = '\0';
	return 0;
}
