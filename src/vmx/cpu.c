// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading what the CPU reports about VMX: CPUID and the capability MSRs.
 * The decision about what they mean is in probe.c.
 */
#include <linux/string.h>
#include <asm/processor.h>
#include <asm/msr.h>
#include <asm/msr-index.h>

#include "vmx.h"

#define CPUID1_ECX_VMX	BIT(5)

/**
 * nvmx_read_cpu_facts() - gather the VMX facts of the current CPU
 * @facts: filled in; MSRs that fault on read are left 0 and marked invalid
 *
 * nvmx assumes, like every hypervisor, that all CPUs report the same.
 */
void nvmx_read_cpu_facts(struct nvmx_cpu_facts *facts)
{
	unsigned int eax, ebx, ecx, edx;
	unsigned int i;

	memset(facts, 0, sizeof(*facts));
	cpuid(0, &eax, &ebx, &ecx, &edx);
	memcpy(facts->vendor, &ebx, 4);
	memcpy(facts->vendor + 4, &edx, 4);
	memcpy(facts->vendor + 8, &ecx, 4);
	facts->vmx = cpuid_ecx(1) & CPUID1_ECX_VMX;
	if (!facts->vmx)
		return;

	facts->feat_ctl_valid = !rdmsrl_safe(MSR_IA32_FEAT_CTL,
					     &facts->feat_ctl);
	for (i = 0; i < NV_MSR_CAP_MSR_COUNT; i++) {
		unsigned long long v;

		if (rdmsrl_safe(NVMX_VMX_MSR_FIRST + i, &v))
			continue;
		facts->msrs[i] = v;
		facts->msr_valid |= BIT(i);
	}
}
