/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nested VM-exit reflection: for a VM exit that happened while L2 ran,
 * whether L1 gets it (L1's VMCS12 controls asked for it, or the exit is
 * unconditional in VMX non-root operation) or L0 keeps it (its own
 * controls, host events). Intel SDM Vol. 3C, "Instructions That Cause VM
 * Exits Unconditionally", "Instructions That Cause VM Exits
 * Conditionally", "Other Causes of VM Exits" and appendix "VMX Basic Exit
 * Reasons". Pure: L1's bitmaps are read through a callback.
 */
#ifndef NVMX_NESTED_REFLECT_H
#define NVMX_NESTED_REFLECT_H

#include "../pure.h"
#include "../vmx/arch.h"
#include "vmcs12.h"

/* Controls that arch.h does not (yet) name. */
#define NV_PROC_CTL_ACTIVATE_TERTIARY	BIT(17)
#define NV_PROC2_CTL_RDRAND_EXITING	BIT(11)
#define NV_PROC2_CTL_ENCLS_EXITING	BIT(15)
#define NV_PROC2_CTL_RDSEED_EXITING	BIT(16)
#define NV_PROC2_CTL_USER_WAIT_PAUSE	BIT(26)
#define NV_PROC2_CTL_PCONFIG		BIT(27)
#define NV_PROC2_CTL_ENCLV_EXITING	BIT(28)

/* VM-exit interruption information ("Information for VM Exits Due to Vectored Events"). */
#define NV_VECTOR_PF			14
#define NV_VECTOR_MC			18

/* MSR bitmap ("MSR-Bitmap Address"): four 1 KiB areas. */
#define NV_MSR_LOW_LAST			0x00001fffu
#define NV_MSR_HIGH_FIRST		0xc0000000u
#define NV_MSR_HIGH_LAST		0xc0001fffu
#define NV_MSR_BITMAP_READ_LOW		0
#define NV_MSR_BITMAP_READ_HIGH		1024
#define NV_MSR_BITMAP_WRITE_LOW		2048
#define NV_MSR_BITMAP_WRITE_HIGH	3072

enum nested_owner { NESTED_L0, NESTED_L1 };

/* Reads L1 memory for the bitmaps; returns 0 or -EFAULT. */
typedef int (*nested_read_fn)(void *ctx, u64 gpa, void *buf, unsigned int len);

/**
 * struct nested_exit - the VM exit from L2, as the hardware reported it
 * @reason: basic exit reason, bits 15:0 of the exit-reason field
 * @qualification: exit qualification
 * @intr_info: VM-exit interruption information (exceptions, NMIs,
 *	external interrupts)
 * @intr_error_code: VM-exit interruption error code (#PF error code)
 * @insn_info: VM-exit instruction information
 * @gpr_rcx: for RDMSR/WRMSR: the MSR number
 * @cr_value: for MOV to CR: the value of the source register
 * @vmcs_field: for VMREAD/VMWRITE: the field encoding, the register
 *	operand (64 bits in 64-bit mode, else zero-extended from 32)
 * @l0_ept_fault: an EPT violation/misconfiguration that EPT02 caused but
 *	EPT12 allows: L0's to fix
 */
struct nested_exit {
	u32 reason;
	u64 qualification;
	u32 intr_info;
	u32 intr_error_code;
	u32 insn_info;
	u64 gpr_rcx;
	u64 cr_value;
	u64 vmcs_field;
	bool l0_ept_fault;
};

/**
 * struct nested_reflect_env - what the decision reads
 * @v: L1's VMCS12 for L2
 * @read: reads L1 memory (I/O, MSR, VMREAD and VMWRITE bitmaps)
 * @ctx: passed to @read
 */
struct nested_reflect_env {
	const struct vmcs12 *v;
	nested_read_fn read;
	void *ctx;
};

enum nested_owner nested_exit_owner(const struct nested_reflect_env *env,
				    const struct nested_exit *e,
				    const char **why);

#endif /* NVMX_NESTED_REFLECT_H */
