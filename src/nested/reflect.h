/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nested VM-exit reflection: for a VM exit that happened while L2 ran,
 * whether L1 gets it (L1's VMCS12 controls asked for it, or the exit is
 * unconditional in VMX non-root operation) or L0 keeps it (its own
 * controls, host events). Intel SDM Vol. 3C, "Instructions That Cause VM
 * Exits Unconditionally", "Instructions That Cause VM Exits
 * Conditionally", "Other Causes of VM Exits" and appendix "VMX Basic Exit
 * Reasons". Pure: L1's I/O and MSR bitmaps are read through a callback.
 */
#ifndef NVMX_NESTED_REFLECT_H
#define NVMX_NESTED_REFLECT_H

#include "../pure.h"
#include "../vmx/arch.h"
#include "vmcs12.h"

/* Basic exit reasons (appendix "VMX Basic Exit Reasons"). */
#define NV_EXIT_EXCEPTION_NMI		0
#define NV_EXIT_EXTERNAL_INTR		1
#define NV_EXIT_TRIPLE_FAULT		2
#define NV_EXIT_INIT			3
#define NV_EXIT_SIPI			4
#define NV_EXIT_IO_SMI			5
#define NV_EXIT_OTHER_SMI		6
#define NV_EXIT_INTR_WINDOW		7
#define NV_EXIT_NMI_WINDOW		8
#define NV_EXIT_TASK_SWITCH		9
#define NV_EXIT_CPUID			10
#define NV_EXIT_GETSEC			11
#define NV_EXIT_HLT			12
#define NV_EXIT_INVD			13
#define NV_EXIT_INVLPG			14
#define NV_EXIT_RDPMC			15
#define NV_EXIT_RDTSC			16
#define NV_EXIT_RSM			17
#define NV_EXIT_VMCALL			18
#define NV_EXIT_VMCLEAR			19
#define NV_EXIT_VMLAUNCH		20
#define NV_EXIT_VMPTRLD			21
#define NV_EXIT_VMPTRST			22
#define NV_EXIT_VMREAD			23
#define NV_EXIT_VMRESUME		24
#define NV_EXIT_VMWRITE			25
#define NV_EXIT_VMXOFF			26
#define NV_EXIT_VMXON			27
#define NV_EXIT_CR_ACCESS		28
#define NV_EXIT_DR_ACCESS		29
#define NV_EXIT_IO			30
#define NV_EXIT_RDMSR			31
#define NV_EXIT_WRMSR			32
#define NV_EXIT_ENTRY_GUEST_STATE	33
#define NV_EXIT_ENTRY_MSR_LOAD		34
#define NV_EXIT_MWAIT			36
#define NV_EXIT_MTF			37
#define NV_EXIT_MONITOR			39
#define NV_EXIT_PAUSE			40
#define NV_EXIT_ENTRY_MCE		41
#define NV_EXIT_TPR_BELOW_THRESHOLD	43
#define NV_EXIT_APIC_ACCESS		44
#define NV_EXIT_VIRTUALIZED_EOI		45
#define NV_EXIT_GDTR_IDTR		46
#define NV_EXIT_LDTR_TR			47
#define NV_EXIT_EPT_VIOLATION		48
#define NV_EXIT_EPT_MISCONFIG		49
#define NV_EXIT_INVEPT			50
#define NV_EXIT_RDTSCP			51
#define NV_EXIT_PREEMPTION_TIMER	52
#define NV_EXIT_INVVPID			53
#define NV_EXIT_WBINVD			54
#define NV_EXIT_XSETBV			55
#define NV_EXIT_APIC_WRITE		56
#define NV_EXIT_RDRAND			57
#define NV_EXIT_INVPCID			58
#define NV_EXIT_VMFUNC			59
#define NV_EXIT_ENCLS			60
#define NV_EXIT_RDSEED			61
#define NV_EXIT_PML_FULL		62
#define NV_EXIT_XSAVES			63
#define NV_EXIT_XRSTORS			64
#define NV_EXIT_PCONFIG			65
#define NV_EXIT_SPP			66
#define NV_EXIT_UMWAIT			67
#define NV_EXIT_TPAUSE			68
#define NV_EXIT_LOADIWKEY		69
#define NV_EXIT_ENCLV			70
#define NV_EXIT_REASON_COUNT		71	/* reasons >= this are unknown */

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

/* Exit qualification for control-register accesses. */
#define NV_CR_QUAL_CR(q)		((q) & 0xf)
#define NV_CR_QUAL_TYPE(q)		(((q) >> 4) & 3)
#define NV_CR_QUAL_LMSW_DATA(q)		(((q) >> 16) & 0xffff)
#define NV_CR_TYPE_MOV_TO		0
#define NV_CR_TYPE_MOV_FROM		1
#define NV_CR_TYPE_CLTS			2
#define NV_CR_TYPE_LMSW			3
#define NV_CR0_TS			BIT(3)
#define NV_CR3_TARGET_MAX		4

/* Exit qualification for I/O instructions. */
#define NV_IO_QUAL_SIZE(q)		((unsigned int)((q) & 7) + 1)
#define NV_IO_QUAL_PORT(q)		((u32)((q) >> 16) & 0xffff)

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
	bool l0_ept_fault;
};

/**
 * struct nested_reflect_env - what the decision reads
 * @v: L1's VMCS12 for L2
 * @read: reads L1 memory (I/O and MSR bitmaps)
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
