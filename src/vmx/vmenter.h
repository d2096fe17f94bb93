/* SPDX-License-Identifier: GPL-2.0-only */
/* VM entry and VM exit (vmenter.S). */
#ifndef NVMX_VMX_VMENTER_H
#define NVMX_VMX_VMENTER_H

#include <linux/types.h>

/* The guest's general-purpose registers, RAX..R15 in encoding order. */
struct nvmx_gprs {
	unsigned long r[16];
};

/*
 * Enter the guest of the current VMCS (VMRESUME if @launched, else
 * VMLAUNCH). Context: interrupts disabled; HOST_RIP is
 * nvmx_vmx_exit_landing. Return: 0 after a VM exit, 1 after a VMfail.
 */
int __nvmx_vmx_enter(struct nvmx_gprs *regs, bool launched);
extern const char nvmx_vmx_exit_landing[];

#endif /* NVMX_VMX_VMENTER_H */
