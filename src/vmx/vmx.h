/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX hardware layer as the generic VMM sees it.
 */
#ifndef NVMX_VMX_VMX_H
#define NVMX_VMX_VMX_H

#include <linux/nvmx.h>
#include "probe.h"

/* What the load-time probe found; read-only after nvmx_vmx_init(). */
extern struct nvmx_vmx_caps nvmx_host_caps;

/* cpu.c */
void nvmx_read_cpu_facts(struct nvmx_cpu_facts *facts);

/* enable.c */
int nvmx_vmx_init(void);
void nvmx_vmx_exit(void);
int nvmx_vmx_get(void);
void nvmx_vmx_put(void);
int nvmx_vmx_leaked_regions(void);
unsigned int nvmx_vmx_cpus_on(void);
bool nvmx_vmx_cpu_on(void);

#endif /* NVMX_VMX_VMX_H */
