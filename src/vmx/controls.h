/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fitting VM-execution, VM-exit and VM-entry control values to what the
 * CPU allows (Intel SDM, "VMX Capability Reporting Facility"). Pure.
 */
#ifndef NVMX_VMX_CONTROLS_H
#define NVMX_VMX_CONTROLS_H

#include "arch.h"

enum vmx_ctl_kind {
	VMX_CTL_PIN,
	VMX_CTL_PROC,
	VMX_CTL_PROC2,
	VMX_CTL_EXIT,
	VMX_CTL_ENTRY,
};

/* The control fields of a VMCS, as nvmx computes them before writing them. */
struct vmx_controls {
	u32 pin;
	u32 proc;
	u32 proc2;
	u32 exit;
	u32 entry;
};

u64 vmx_ctl_cap(const u64 *msrs, enum vmx_ctl_kind kind);
u32 vmx_adjust_ctl(u64 cap, u32 required, u32 optional, u32 *val);
int vmx_vmcs01_controls(const u64 *msrs, struct vmx_controls *ctls,
			const char **missing);

#endif /* NVMX_VMX_CONTROLS_H */
