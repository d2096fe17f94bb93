/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal L1 hypervisor library for guest code of nvmx (the nested demo
 * guest and the nested selftests): VMX on, a VMCS prepared in three parts
 * (controls, host state, guest state) for an L2 function that runs in the
 * same address space on its own stack, and the entry that comes back
 * after each VM exit with L2's registers saved. Freestanding; assumes the
 * loader's flat 64-bit environment (tools/loader.h).
 */
#ifndef NVMX_GUESTS_VMX_L1_H
#define NVMX_GUESTS_VMX_L1_H

#include <stdint.h>

/* VMCS field encodings (Intel SDM, appendix "Field Encoding in VMCS"). */
#define VMCS_VPID			0x0000
#define VMCS_GUEST_ES_SEL		0x0800
#define VMCS_HOST_ES_SEL		0x0c00
#define VMCS_HOST_CS_SEL		0x0c02
#define VMCS_HOST_SS_SEL		0x0c04
#define VMCS_HOST_DS_SEL		0x0c06
#define VMCS_HOST_FS_SEL		0x0c08
#define VMCS_HOST_GS_SEL		0x0c0a
#define VMCS_HOST_TR_SEL		0x0c0c
#define VMCS_MSR_BITMAP			0x2004
#define VMCS_ENTRY_MSR_LOAD_ADDR	0x200a
#define VMCS_EPT_POINTER		0x201a
#define VMCS_GUEST_PHYS_ADDR		0x2400
#define VMCS_GUEST_LINEAR_ADDR		0x640a
#define VMCS_LINK_PTR			0x2800
#define VMCS_GUEST_EFER			0x2806
#define VMCS_HOST_EFER			0x2c02
#define VMCS_PIN_CTLS			0x4000
#define VMCS_PROC_CTLS			0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CTLS			0x400c
#define VMCS_ENTRY_CTLS			0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_INTR_INFO		0x4016
#define VMCS_PROC2_CTLS			0x401e
#define VMCS_VM_INSTRUCTION_ERROR	0x4400
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_INSN_LEN		0x440c
#define VMCS_GUEST_ES_LIMIT		0x4800
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR		0x4814
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY		0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_HOST_SYSENTER_CS		0x4c00
#define VMCS_CR0_MASK			0x6000
#define VMCS_CR4_MASK			0x6002
#define VMCS_CR0_SHADOW			0x6004
#define VMCS_CR4_SHADOW			0x6006
#define VMCS_EXIT_QUALIFICATION		0x6400
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DBG		0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12

/* Basic exit reasons. */
#define EXIT_CPUID			10
#define EXIT_HLT			12
#define EXIT_VMCALL			18
#define EXIT_CR				28
#define EXIT_IO				30
#define EXIT_RDMSR			31
#define EXIT_WRMSR			32
#define EXIT_EPT_VIOLATION		48
#define EXIT_EPT_MISCONFIG		49
#define EXIT_INVALID_GUEST		0x80000021u
#define EXIT_MSR_LOAD_FAIL		0x80000022u

/* Processor-based controls. */
#define L1_PROC_HLT			(1U << 7)
#define L1_PROC_UNCOND_IO		(1U << 24)
#define L1_PROC_MSR_BITMAPS		(1U << 28)
#define L1_PROC_SECONDARY		(1U << 31)
#define L1_PROC2_EPT			(1U << 1)

/* RFLAGS of VMfailInvalid (CF) and VMfailValid (ZF). */
#define L1_RFLAGS_CF			1ULL
#define L1_RFLAGS_ZF			0x40ULL

/* L2's registers, in encoding order (RSP unused: it lives in the VMCS). */
struct l1_regs {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/*
 * Enter L2 with its registers from @r (VMLAUNCH if @launch, VMRESUME
 * otherwise); after its VM exit, store them back. Return: 0 after a VM
 * exit, 1 when the instruction failed (its RFLAGS in l1_fail_flags).
 */
uint64_t l1_run(struct l1_regs *r, uint64_t launch);
extern uint64_t l1_fail_flags;

/* A 64-bit IDT entry. */
struct l1_gate {
	uint64_t lo, hi;
};

/* @idt[@vec]: an interrupt gate to @fn in the loader's code segment. */
void l1_set_gate(struct l1_gate *idt, unsigned int vec, void (*fn)(void));

uint64_t l1_rdmsr(uint32_t msr);
uint64_t l1_flags(void);
void l1_vmwrite(uint64_t field, uint64_t val);
uint64_t l1_vmread(uint64_t field);
uint64_t l1_vmclear(uint64_t pa);
uint64_t l1_vmptrld(uint64_t pa);
uint32_t l1_ctl(uint32_t msr, uint32_t true_msr, uint32_t want);
int l1_has_vmx(void);
void l1_vmx_on(void *vmxon_region, void *vmcs);
void l1_vmx_off(void);
void l1_vmcs_controls(uint32_t proc, void *msr_bitmap);
void l1_vmcs_host(void);
void l1_vmcs_guest(void (*fn)(void), void *stack_top);
void l1_skip(void);

#endif /* NVMX_GUESTS_VMX_L1_H */
