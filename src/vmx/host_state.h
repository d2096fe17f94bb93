/* SPDX-License-Identifier: GPL-2.0-only */
/* The host-state area of a VMCS and the host state a VM exit clobbers. */
#ifndef NVMX_VMX_HOST_STATE_H
#define NVMX_VMX_HOST_STATE_H

#include <linux/types.h>
#include <asm/desc_defs.h>

struct nvmx_host_saved {
	struct desc_ptr idt;
	unsigned short ds, es, ldt;
	unsigned long dr7;
	u64 debugctl;
};

int nvmx_vmx_write_host_state(void);
void nvmx_host_save(struct nvmx_host_saved *h);
void nvmx_host_restore(const struct nvmx_host_saved *h);

#endif /* NVMX_VMX_HOST_STATE_H */
