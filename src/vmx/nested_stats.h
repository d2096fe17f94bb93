/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-reason nested counters of a vCPU (struct nvmx_nested_stats,
 * NVMX_GET_NESTED_STATS): L2's exits, the nested VM exits L1 gets
 * (reflected from L2, or made up by nvmx) and the exits L1 then takes
 * until it enters L2 again, charged to the nested exit it handles.
 *
 * Only the vCPU's thread, in NVMX_RUN, writes them.
 */
#ifndef NVMX_VMX_NESTED_STATS_H
#define NVMX_VMX_NESTED_STATS_H

#include "../vcpu.h"
#include "arch.h"

/**
 * nvmx_stats_exit() - count a hardware VM exit before its handler runs
 * @vcpu: the vCPU
 * @reason: the exit reason
 * @l2: L2 ran (VMCS02 was current)
 *
 * Call nvmx_stats_exit_done() after the handler.
 */
static inline void nvmx_stats_exit(struct nvmx_vcpu *vcpu, u32 reason, bool l2)
{
	struct nvmx_nested_stats *ns = &vcpu->nested_stats;
	u32 basic = NV_EXIT_REASON_BASIC(reason);
	u32 *window = &vcpu->nested_stats_window;

	if (l2) {
		/* An entry failure of VMCS02 is L0's alone, not L2's exit. */
		if (reason & NV_EXIT_REASON_FAILED_ENTRY)
			return;
		vcpu->nested_stats_l2_exit = true;
		if (basic < NVMX_STATS_EXIT_REASONS)
			ns->l2_exits[basic]++;
		*window = 0;
		return;
	}
	if (!*window)
		return;
	ns->l1_exits_after[*window - 1]++;
	/* L1 is done with the nested exit when it enters L2 again or leaves VMX. */
	if (basic == NV_EXIT_VMLAUNCH || basic == NV_EXIT_VMRESUME ||
	    basic == NV_EXIT_VMXOFF)
		*window = 0;
}

/* The handler of the exit nvmx_stats_exit() counted has returned. */
static inline void nvmx_stats_exit_done(struct nvmx_vcpu *vcpu)
{
	vcpu->nested_stats_l2_exit = false;
}

/**
 * nvmx_stats_nested_exit() - count a nested VM exit that L1 now handles
 * @vcpu: the vCPU
 * @reason: the exit reason L1 sees
 *
 * While an exit of L2's is handled, the nested exit is that exit
 * reflected (counted by the hardware reason); otherwise nvmx made it up.
 */
static inline void nvmx_stats_nested_exit(struct nvmx_vcpu *vcpu, u32 reason)
{
	struct nvmx_nested_stats *ns = &vcpu->nested_stats;
	u32 i;

	if (vcpu->nested_stats_l2_exit) {
		i = NV_EXIT_REASON_BASIC(vcpu->vmx.exit.reason);
		if (i < NVMX_STATS_EXIT_REASONS)
			ns->reflected[i]++;
	} else {
		i = NV_EXIT_REASON_BASIC(reason);
		if (i < NVMX_STATS_EXIT_REASONS)
			ns->synthesized[i]++;
	}
	vcpu->nested_stats_window = i < NVMX_STATS_EXIT_REASONS ? i + 1 : 0;
	/* One exit of L2's is reflected at most once. */
	vcpu->nested_stats_l2_exit = false;
}

#endif /* NVMX_VMX_NESTED_STATS_H */
