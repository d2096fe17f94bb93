/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The state L1 resumes in after a VM exit from L2 (or a VM-entry failure
 * while loading L2's state): what the Intel SDM's "Loading Host State"
 * takes from the host-state area of VMCS12. Pure.
 */
#ifndef NVMX_NESTED_HOST_LOAD_H
#define NVMX_NESTED_HOST_LOAD_H

#include <linux/nvmx.h>

#include "../pure.h"
#include "../vmx/arch.h"
#include "vmcs12.h"

/**
 * struct nested_l1_state - L1's registers after the VM exit
 * @sregs: segments, descriptor tables, CR0, CR3, CR4, EFER (and, from the
 *	caller, CR2, CR8, APIC base, which the exit does not change)
 * @rip: HOST_RIP
 * @rsp: HOST_RSP
 * @rflags: 0x2: everything clear but the fixed bit
 * @dr7: 0x400
 * @debugctl: 0
 * @sysenter_cs: IA32_SYSENTER_CS
 * @sysenter_esp: IA32_SYSENTER_ESP
 * @sysenter_eip: IA32_SYSENTER_EIP
 * @pat: IA32_PAT, when @load_pat
 * @load_pat: the "load IA32_PAT" VM-exit control is 1
 * @perf_global_ctrl: IA32_PERF_GLOBAL_CTRL, when @load_perf_global_ctrl
 * @load_perf_global_ctrl: the "load IA32_PERF_GLOBAL_CTRL" control is 1
 */
struct nested_l1_state {
	struct nvmx_sregs sregs;
	u64 rip, rsp, rflags;
	u64 dr7, debugctl;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 pat;
	bool load_pat;
	u64 perf_global_ctrl;
	bool load_perf_global_ctrl;
};

void nested_load_host_state(const struct vmcs12 *v, const u64 *msrs,
			    const struct nvmx_sregs *before,
			    struct nested_l1_state *s);

#endif /* NVMX_NESTED_HOST_LOAD_H */
