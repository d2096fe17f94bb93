/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the L1 programs of guest_l1*.c share (defined in guest_l1.c):
 * L1's VMXON region, VMCS and bitmaps, L2's stack and registers, setting
 * up and entering L2, and the VMCALLs of L2 code. Guest code only.
 */
#ifndef NVMX_SELFTEST_GUEST_L1_LIB_H
#define NVMX_SELFTEST_GUEST_L1_LIB_H

#include <linux/types.h>

#include "guests/vmx_l1.h"

#define MSR_GS_BASE			0xc0000101
#define MSR_KERNEL_GS_BASE		0xc0000102
#define MSR_FS_BASE			0xc0000100
#define MSR_SYSENTER_ESP		0x175
#define VMCS_EXIT_MSR_STORE_ADDR	0x2006
#define VMCS_EXIT_MSR_LOAD_ADDR		0x2008
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_PREEMPTION_TIMER		0x482e
#define CR4_PCE				(1ULL << 8)
#define CR4_OSXMMEXCPT			(1ULL << 10)

/* VMXON region, VMCS, MSR bitmap, an MSR-load list */
extern __u8 l1_pages[4][4096];
extern __u8 l2_stack[4096];
extern struct l1_regs l2_regs;
/* What L2 found wrong, and what it computed, for L1 to report. */
extern __u64 l2_errors, l2_value;

/* VMX on, a VMCS for L2 at @fn with primary controls @proc. */
void l1_setup(void (*fn)(void), __u32 proc);
/* Run L2 to its next exit; report a VMfail. Return: the exit reason. */
__u32 l1_enter(__u64 launch);

/* L2 code: VMCALL @nr; VMCALL 0 forever; VMCALL @nr, return L1's RAX. */
void l2_vmcall(__u64 nr);
void l2_vmcall_forever(void);
__u64 l2_vmcall_ret(__u64 nr);

/*
 * EPT12 of the EPT tests: the low 4 GiB identity-mapped with 2-MByte
 * pages, except the 2 MBytes around l2_window, mapped with 4-KByte pages,
 * l2_window itself to l1_data[0]. Tables: PML4, PDPT, 4 PDs, 1 PT.
 */
#define EPT_R			1ULL
#define EPT_W			2ULL
#define EPT_X			4ULL
#define EPT_RWX			7ULL
#define EPT_WB			(6ULL << 3)
#define EPT_PS			(1ULL << 7)
#define EPT_MISCONFIG_W_ONLY	EPT_W

extern __u64 l1_ept[7][512];
extern __u64 l1_data[2][512];
extern __u64 l2_window[512];
/* The EPT12 leaf of L2's 4 KiB page @gpa (in the 4-KByte region). */
__u64 *l1_ept_pte(__u64 gpa);
/* Build EPT12. Return: its EPTP. */
__u64 l1_ept_build(void);
/* INVEPT, all contexts. */
void l1_invept(void);

/* A linear page of L2 (PD 3, entry 0), mapped by L1 through l1_pt. */
#define L2_LA			0xc0000000ULL
#define PTE_PW			3ULL
extern __u64 l1_pt[512];
extern __u64 l1_page[2][512];

#endif /* NVMX_SELFTEST_GUEST_L1_LIB_H */
