/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hardware VMCS regions (VMCS01, VMCS02): allocation, and which CPU each is
 * active on. A VMCS is active on at most one CPU (Intel SDM, "VMCS
 * Region", "Software Use of Virtual-Machine Control Structures"): before
 * it is loaded on another CPU, or that CPU leaves VMX operation, it is
 * VMCLEARed where it is active.
 */
#ifndef NVMX_VMX_VMCS_H
#define NVMX_VMX_VMCS_H

#include <linux/list.h>
#include <linux/mm_types.h>

struct nvmx_vmcs {
	struct page *page;
	int cpu;			/* where it is active, or -1 */
	bool launched;			/* launch state: VMRESUME, not VMLAUNCH */
	struct list_head active;	/* on the per-CPU list of @cpu */
	/* Its host-state area: written for @host_cpu, or -1 */
	int host_cpu;
	unsigned long host_cr3, host_cr4;
	/* INVEPT of its EPT pointer before its next entry on this CPU */
	bool flush;
};

int nvmx_vmcs_alloc(struct nvmx_vmcs *vmcs);
void nvmx_vmcs_free(struct nvmx_vmcs *vmcs);
int nvmx_vmcs_load(struct nvmx_vmcs *vmcs);
void nvmx_vmcs_clear(struct nvmx_vmcs *vmcs);
void nvmx_vmcs_clear_cpu(unsigned int cpu);
int nvmx_vmcs_selftest(char *buf, size_t len);

/* firstlight.c */
int nvmx_vmlaunch_selftest(char *buf, size_t len);

#endif /* NVMX_VMX_VMCS_H */
