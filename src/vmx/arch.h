/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural VMX constants that nvmx uses, named after the Intel SDM
 * ("VMX Capability Reporting Facility", "VM-Execution Control Fields").
 * Pure: no kernel headers, so that unit tests can include it.
 */
#ifndef NVMX_VMX_ARCH_H
#define NVMX_VMX_ARCH_H

#include "../pure.h"

/* IA32_FEATURE_CONTROL (MSR 0x3a) */
#define NV_FEATCTL_LOCKED			BIT_ULL(0)
#define NV_FEATCTL_VMX_INSIDE_SMX		BIT_ULL(1)
#define NV_FEATCTL_VMX_OUTSIDE_SMX		BIT_ULL(2)

/* Index of a capability MSR in nvmx_vmx_caps.msrs: MSR number - 0x480. */
enum vmx_cap_msr {
	NV_MSR_BASIC = 0,
	NV_MSR_PINBASED_CTLS,
	NV_MSR_PROCBASED_CTLS,
	NV_MSR_EXIT_CTLS,
	NV_MSR_ENTRY_CTLS,
	NV_MSR_MISC,
	NV_MSR_CR0_FIXED0,
	NV_MSR_CR0_FIXED1,
	NV_MSR_CR4_FIXED0,
	NV_MSR_CR4_FIXED1,
	NV_MSR_VMCS_ENUM,
	NV_MSR_PROCBASED_CTLS2,
	NV_MSR_EPT_VPID_CAP,
	NV_MSR_TRUE_PINBASED_CTLS,
	NV_MSR_TRUE_PROCBASED_CTLS,
	NV_MSR_TRUE_EXIT_CTLS,
	NV_MSR_TRUE_ENTRY_CTLS,
	NV_MSR_VMFUNC,
	NV_MSR_CAP_MSR_COUNT
};

/* IA32_VMX_BASIC */
#define NV_VMX_BASIC_REVISION(v)		((u32)((v) & 0x7fffffffULL))
#define NV_VMX_BASIC_VMCS_SIZE(v)		((u32)(((v) >> 32) & 0x1fffULL))
#define NV_VMX_BASIC_32BIT_PA		BIT_ULL(48)
#define NV_VMX_BASIC_MEMTYPE(v)		((u32)(((v) >> 50) & 0xfULL))
#define NV_VMX_BASIC_TRUE_CTLS		BIT_ULL(55)
#define NV_VMX_MEMTYPE_WB			6

/* Allowed-1 settings are the high 32 bits of a control capability MSR. */
#define NV_VMX_ALLOWED1(v)			((u32)((v) >> 32))

/* Pin-based VM-execution controls */
#define NV_PIN_CTL_EXT_INTR_EXITING	BIT(0)
#define NV_PIN_CTL_NMI_EXITING		BIT(3)
#define NV_PIN_CTL_VIRTUAL_NMIS		BIT(5)
#define NV_PIN_CTL_PREEMPTION_TIMER	BIT(6)
#define NV_PIN_CTL_POSTED_INTR		BIT(7)

/* Primary processor-based VM-execution controls */
#define NV_PROC_CTL_INTR_WINDOW_EXITING	BIT(2)
#define NV_PROC_CTL_USE_TSC_OFFSETTING	BIT(3)
#define NV_PROC_CTL_HLT_EXITING		BIT(7)
#define NV_PROC_CTL_INVLPG_EXITING	BIT(9)
#define NV_PROC_CTL_MWAIT_EXITING	BIT(10)
#define NV_PROC_CTL_RDPMC_EXITING	BIT(11)
#define NV_PROC_CTL_RDTSC_EXITING	BIT(12)
#define NV_PROC_CTL_CR3_LOAD_EXITING	BIT(15)
#define NV_PROC_CTL_CR3_STORE_EXITING	BIT(16)
#define NV_PROC_CTL_CR8_LOAD_EXITING	BIT(19)
#define NV_PROC_CTL_CR8_STORE_EXITING	BIT(20)
#define NV_PROC_CTL_NMI_WINDOW_EXITING	BIT(22)
#define NV_PROC_CTL_USE_TPR_SHADOW	BIT(21)
#define NV_PROC_CTL_MOV_DR_EXITING	BIT(23)
#define NV_PROC_CTL_UNCOND_IO_EXITING	BIT(24)
#define NV_PROC_CTL_USE_IO_BITMAPS	BIT(25)
#define NV_PROC_CTL_MONITOR_TRAP_FLAG	BIT(27)
#define NV_PROC_CTL_USE_MSR_BITMAPS	BIT(28)
#define NV_PROC_CTL_MONITOR_EXITING	BIT(29)
#define NV_PROC_CTL_PAUSE_EXITING	BIT(30)
#define NV_PROC_CTL_ACTIVATE_SECONDARY	BIT(31)

/* Secondary processor-based VM-execution controls */
#define NV_PROC2_CTL_APIC_REG_VIRT	BIT(8)
#define NV_PROC2_CTL_DESC_TABLE_EXITING	BIT(2)
#define NV_PROC2_CTL_SPP		BIT(23)
#define NV_PROC2_CTL_VIRT_APIC_ACCESSES	BIT(0)
#define NV_PROC2_CTL_VIRT_INTR_DELIVERY	BIT(9)
#define NV_PROC2_CTL_WBINVD_EXITING	BIT(6)
#define NV_PROC2_CTL_EPT			BIT(1)
#define NV_PROC2_CTL_RDTSCP		BIT(3)
#define NV_PROC2_CTL_VPID			BIT(5)
#define NV_PROC2_CTL_UNRESTRICTED_GUEST	BIT(7)
#define NV_PROC2_CTL_INVPCID		BIT(12)
#define NV_PROC2_CTL_VMCS_SHADOWING	BIT(14)
#define NV_PROC2_CTL_PML			BIT(17)
#define NV_PROC2_CTL_XSAVES		BIT(20)
#define NV_PROC2_CTL_TSC_SCALING		BIT(25)

/* VM-exit controls */
#define NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE	BIT(9)
#define NV_EXIT_CTL_ACK_INTR_ON_EXIT	BIT(15)
#define NV_EXIT_CTL_SAVE_PAT		BIT(18)
#define NV_EXIT_CTL_LOAD_PAT		BIT(19)
#define NV_EXIT_CTL_SAVE_EFER		BIT(20)
#define NV_EXIT_CTL_LOAD_EFER		BIT(21)

/* VM-entry controls */
#define NV_ENTRY_CTL_IA32E_MODE_GUEST	BIT(9)
#define NV_ENTRY_CTL_LOAD_PAT		BIT(14)
#define NV_ENTRY_CTL_LOAD_EFER		BIT(15)

/* IA32_VMX_EPT_VPID_CAP */
#define NV_EPT_CAP_PWL4			BIT_ULL(6)
#define NV_EPT_CAP_WB			BIT_ULL(14)
#define NV_EPT_CAP_2M			BIT_ULL(16)
#define NV_EPT_CAP_1G			BIT_ULL(17)
#define NV_EPT_CAP_INVEPT			BIT_ULL(20)
#define NV_EPT_CAP_AD			BIT_ULL(21)
#define NV_EPT_CAP_INVEPT_SINGLE		BIT_ULL(25)
#define NV_EPT_CAP_INVEPT_ALL		BIT_ULL(26)
#define NV_VPID_CAP_INVVPID		BIT_ULL(32)

/* VM-entry and VM-exit interruption information */
#define NV_INTR_INFO_TYPE(v)		(((v) >> 8) & 7)
#define NV_INTR_INFO_VALID		BIT(31)
#define NV_INTR_INFO_VECTOR(v)		((v) & 0xff)
/* Bit 12 of the exit qualification (EPT) or interruption information */
#define NV_NMI_UNBLOCKED_BY_IRET	BIT(12)
#define NV_INTR_TYPE_EXT_INTR		0
#define NV_INTR_TYPE_HW_EXCEPTION	3
#define NV_INTR_TYPE_NMI		2
#define NV_INTR_TYPE_PRIV_SW_EXCEPTION	5
#define NV_INTR_TYPE_SW_EXCEPTION	6
#define NV_INTR_TYPE_SW_INTR		4

/* CR0 */
#define NV_CR0_PE			BIT_ULL(0)

/* CR0, CR4, EFER, RFLAGS bits the VMM acts on */
#define NV_CR0_MP			BIT_ULL(1)
#define NV_CR0_TS			BIT_ULL(3)
#define NV_CR0_ET			BIT_ULL(4)
#define NV_CR0_NE			BIT_ULL(5)
#define NV_CR0_WP			BIT_ULL(16)
#define NV_CR0_AM			BIT_ULL(18)
#define NV_CR0_NW			BIT_ULL(29)
#define NV_CR0_CD			BIT_ULL(30)
#define NV_CR0_PG			BIT_ULL(31)
#define NV_CR4_PAE			BIT_ULL(5)
#define NV_CR4_PCIDE			BIT_ULL(17)
#define NV_CR4_OSXSAVE			BIT_ULL(18)
#define NV_CR4_VMXE			BIT_ULL(13)
#define NV_EFER_SCE			BIT_ULL(0)
#define NV_EFER_LME			BIT_ULL(8)
#define NV_EFER_LMA			BIT_ULL(10)
#define NV_EFER_NXE			BIT_ULL(11)
#define NV_RFLAGS_IF			BIT_ULL(9)
#define NV_DR7_FIXED1			0x400
#define NV_DR6_FIXED1			0xffff0ff0ULL

/* Guest interruptibility state */
#define NV_INTERRUPTIBILITY_STI		BIT(0)
#define NV_INTERRUPTIBILITY_MOV_SS	BIT(1)
#define NV_INTERRUPTIBILITY_NMI		BIT(3)

/* More VM-entry interruption information */
#define NV_INTR_INFO_DELIVER_CODE	BIT(11)
#define NV_INTR_INFO_NMI_UNBLOCK	BIT(12)	/* in exit information */

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

/* Exit qualification for control-register accesses. */
#define NV_CR_QUAL_CR(q)		((q) & 0xf)
#define NV_CR_QUAL_TYPE(q)		(((q) >> 4) & 3)
#define NV_CR_QUAL_LMSW_DATA(q)		(((q) >> 16) & 0xffff)
#define NV_CR_TYPE_MOV_TO		0
#define NV_CR_TYPE_MOV_FROM		1
#define NV_CR_TYPE_CLTS			2
#define NV_CR_TYPE_LMSW			3
#define NV_CR3_TARGET_MAX		4

/* Exit qualification for I/O instructions. */
#define NV_IO_QUAL_SIZE(q)		((unsigned int)((q) & 7) + 1)
#define NV_IO_QUAL_PORT(q)		((u32)((q) >> 16) & 0xffff)

#define NV_EXIT_REASON_FAILED_ENTRY	BIT(31)
#define NV_EXIT_REASON_BASIC(v)		((v) & 0xffff)

/* Exception vectors the VMM injects */
#define NV_VEC_DB			1
#define NV_VEC_NMI			2
#define NV_VEC_UD			6
#define NV_VEC_DF			8
#define NV_VEC_GP			13
#define NV_VEC_PF			14

#endif /* NVMX_VMX_ARCH_H */
