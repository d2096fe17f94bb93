/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Can nvmx run on this CPU? The decision, separated from the reading of
 * CPUID and MSRs so that it is pure and unit-tested in userspace.
 */
#ifndef NVMX_VMX_PROBE_H
#define NVMX_VMX_PROBE_H

#include "arch.h"

/* What the CPU told us; gathered by nvmx_read_cpu_facts() on the host. */
struct nvmx_cpu_facts {
	char vendor[13];		/* CPUID.0 vendor string, NUL-terminated */
	bool vmx;			/* CPUID.1:ECX.VMX */
	bool feat_ctl_valid;		/* IA32_FEATURE_CONTROL could be read */
	u64 feat_ctl;
	u32 msr_valid;			/* bit i: msrs[i] could be read */
	u64 msrs[NV_MSR_CAP_MSR_COUNT];	/* MSR 0x480 + i */
};

enum nvmx_probe_verdict {
	NVMX_PROBE_OK,
	NVMX_PROBE_NO_VTX,		/* not Intel, or no VMX */
	NVMX_PROBE_FW_DISABLED,		/* IA32_FEATURE_CONTROL locked without VMX */
	NVMX_PROBE_MISSING,		/* a required capability is absent */
};

struct nvmx_probe_result {
	enum nvmx_probe_verdict verdict;
	int err;			/* 0, or the -errno module init returns */
	const char *missing;		/* NVMX_PROBE_MISSING: what is absent */
	u64 features;			/* NVMX_FEAT_* found (verdict OK) */
	u32 vmcs_revision;
	u32 vmcs_size;
};

void nvmx_probe_decide(const struct nvmx_cpu_facts *facts,
		       struct nvmx_probe_result *res);
int nvmx_probe_message(const struct nvmx_cpu_facts *facts,
		       const struct nvmx_probe_result *res,
		       char *buf, size_t len);

#endif /* NVMX_VMX_PROBE_H */
