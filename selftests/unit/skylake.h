/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test data shared by the unit tests: the VMX capability MSRs of a
 * Skylake-class CPU with true controls, and fitting a control value to
 * them.
 */
#ifndef NVMX_UNIT_SKYLAKE_H
#define NVMX_UNIT_SKYLAKE_H

#include <assert.h>
#include <string.h>

#include "../../src/vmx/controls.h"

static inline void skylake_vmx_msrs(u64 *msrs)
{
	memset(msrs, 0, sizeof(u64) * NV_MSR_CAP_MSR_COUNT);
	msrs[NV_MSR_BASIC] = 0x00da040000000004ULL;
	msrs[NV_MSR_PINBASED_CTLS] = 0x000000ff00000016ULL;
	msrs[NV_MSR_PROCBASED_CTLS] = 0xfff9fffe0401e172ULL;
	msrs[NV_MSR_EXIT_CTLS] = 0x01ffffff00036dffULL;
	msrs[NV_MSR_ENTRY_CTLS] = 0x0003ffff000011ffULL;
	msrs[NV_MSR_MISC] = 0x000000007004c1e7ULL;
	msrs[NV_MSR_CR0_FIXED0] = 0x80000021ULL;
	msrs[NV_MSR_CR0_FIXED1] = 0xffffffffULL;
	msrs[NV_MSR_CR4_FIXED0] = 0x2000ULL;
	msrs[NV_MSR_CR4_FIXED1] = 0x3767ffULL;
	msrs[NV_MSR_VMCS_ENUM] = 0x2eULL;
	msrs[NV_MSR_PROCBASED_CTLS2] = 0x02ffffff00000000ULL;
	msrs[NV_MSR_EPT_VPID_CAP] = 0x00000f0106734141ULL;
	msrs[NV_MSR_TRUE_PINBASED_CTLS] = 0x000000ff00000016ULL;
	msrs[NV_MSR_TRUE_PROCBASED_CTLS] = 0xfff9fffe04006172ULL;
	msrs[NV_MSR_TRUE_EXIT_CTLS] = 0x01ffffff00036dfbULL;
	msrs[NV_MSR_TRUE_ENTRY_CTLS] = 0x0003ffff000011fbULL;
	msrs[NV_MSR_VMFUNC] = 1;
}

/* @want and every control @msrs force to 1; @want must be allowed. */
static inline u32 fit(const u64 *msrs, enum vmx_ctl_kind kind, u32 want)
{
	u32 val = 0;

	assert(!vmx_adjust_ctl(vmx_ctl_cap(msrs, kind), want, 0, &val));
	return val;
}

#endif /* NVMX_UNIT_SKYLAKE_H */
