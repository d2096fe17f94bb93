/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small L1 hypervisor for the nested tests: guest code (like guest.c)
 * that enters VMX operation, prepares a VMCS in three parts (controls,
 * host state, guest state) and runs an L2 function on it, in the same
 * address space and on its own stack. L2's general-purpose registers are
 * kept in a struct l1_regs across VM exits.
 *
 * The l1_*() functions report what they see with guest_report(); the
 * tests (nvmx_nested_test.c) check the sequence.
 */
#ifndef NVMX_SELFTEST_GUEST_L1_H
#define NVMX_SELFTEST_GUEST_L1_H

#include <linux/types.h>

/* VMCS field encodings the L1 library uses (Intel SDM, appendix B). */
#define VMCS_VM_INSTRUCTION_ERROR	0x4400
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_QUALIFICATION		0x6400
#define VMCS_EXIT_INSN_LEN		0x440c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_HOST_CR3			0x6c02
#define VMCS_PIN_CTLS			0x4000
#define VMCS_PROC_CTLS			0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_MSR_LOAD_ADDR	0x200a
#define VMCS_CR0_MASK			0x6000
#define VMCS_CR0_SHADOW			0x6004
#define VMCS_CR4_MASK			0x6002
#define VMCS_CR4_SHADOW			0x6006
#define VMCS_MSR_BITMAP			0x2004

/* Basic exit reasons the tests see. */
#define EXIT_CPUID			10
#define EXIT_HLT			12
#define EXIT_VMCALL			18
#define EXIT_CR				28
#define EXIT_IO				30
#define EXIT_RDMSR			31
#define EXIT_WRMSR			32
#define EXIT_INVALID_GUEST		0x80000021u
#define EXIT_MSR_LOAD_FAIL		0x80000022u

/* Primary processor-based controls the tests use. */
#define L1_PROC_HLT			(1U << 7)
#define L1_PROC_UNCOND_IO		(1U << 24)
#define L1_PROC_MSR_BITMAPS		(1U << 28)

/* L2's registers, in encoding order (RSP unused: it lives in the VMCS). */
struct l1_regs {
	__u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

/* The L1 test programs (guest entry points). */
void l1_test_round_trips(__u64 n);
void l1_test_vmfail(void);
void l1_test_entry_failures(void);
void l1_test_l0_exits(void);
void l1_test_cr_and_msr(void);
void l1_test_vmx_span(void);

#endif /* NVMX_SELFTEST_GUEST_L1_H */
