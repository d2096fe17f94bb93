// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 programs of nvmx_nested_hostile_test (see guest_l1.h): VM
 * entries that fail (VMfail, VM-entry failure exits, the table of
 * invalid VMCS12 settings, MSR-load lists) and L1s that point nvmx at
 * memory it must not trust (bitmaps in MMIO, MSR lists past the end of
 * memory). Guest code, as guest_l1.c.
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1.h"
#include "guest_l1_lib.h"
#include "guests/vmx_l1.h"
#include "loader.h"

/* A field written, a VM entry tried, its outcome reported, the field back. */
static void l1_try(__u64 field, __u64 bad, __u64 good, __u64 launch)
{
	l1_vmwrite(field, bad);
	guest_report(l1_enter(launch));
	l1_vmwrite(field, good);
}

/**
 * l1_test_vmfail() - VMLAUNCH and VMRESUME that fail outright
 *
 * Reports, for each, 0xfa11, the RFLAGS (CF/ZF) and the VM-instruction
 * error, then l1_enter()'s 0: VMRESUME of a clear VMCS (5), 5 CR3-target
 * values (7), HOST_CR3 beyond the physical width (8); then a VMLAUNCH
 * that works (18) and one of a launched VMCS (4); VMRESUME without a
 * current VMCS (CF).
 */
void l1_test_vmfail(void)
{
	__u64 cr3, vmcs = (__u64)l1_pages[1];

	l1_setup(l2_vmcall_forever, 0);
	cr3 = l1_vmread(VMCS_HOST_CR3);
	guest_report(l1_enter(0));
	l1_try(VMCS_CR3_TARGET_COUNT, 5, 0, 1);
	l1_try(VMCS_HOST_CR3, 1ULL << 52, cr3, 1);
	guest_report(l1_enter(1));
	l1_skip();
	guest_report(l1_enter(1));
	l1_vmclear(vmcs);
	guest_report(l1_enter(0));
	l1_vmx_off();
}

/* The MSR-load list of the entry: one entry in l1_pages[3]. */
static void l1_msr_list(__u32 msr, __u64 val)
{
	__u64 *e = (__u64 *)l1_pages[3];

	e[0] = msr;
	e[1] = val;
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_ADDR, (__u64)e);
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 1);
}

/* RDMSR of KERNEL_GS_BASE passed through (MSR bitmap all zeros). */
static void l2_read_kgs(void)
{
	for (;;)
		l2_vmcall(l1_rdmsr(MSR_KERNEL_GS_BASE));
}

/**
 * l1_test_entry_failures() - VM entries that fail on L2's state
 *
 * Reports (reason, qualification) pairs: RFLAGS bit 15 set (33|bit 31,
 * 0), then the same VMCS launched (18) with L2's RDMSR result; an
 * MSR-load list with FS_BASE (34|bit 31, entry 1); one that loads
 * KERNEL_GS_BASE, which L2 reads back (18, the value); then with the
 * VM-exit MSR-store list (L2's KERNEL_GS_BASE) and MSR-load list
 * (SYSENTER_ESP for L1): 18, the value, what the store list got, and
 * L1's SYSENTER_ESP after the exit.
 */
void l1_test_entry_failures(void)
{
	__u64 *store = (__u64 *)(l1_pages[3] + 64);
	__u64 *load = (__u64 *)(l1_pages[3] + 128);

	l1_setup(l2_read_kgs, L1_PROC_MSR_BITMAPS);
	l1_try(VMCS_GUEST_RFLAGS, 0x8002, 2, 1);
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_msr_list(MSR_FS_BASE, 0);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_msr_list(MSR_KERNEL_GS_BASE, 0x1234567000ULL);
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	l1_skip();
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	store[0] = MSR_KERNEL_GS_BASE;
	store[1] = 0;
	load[0] = MSR_SYSENTER_ESP;
	load[1] = 0x5a5a000;
	l1_vmwrite(VMCS_EXIT_MSR_STORE_ADDR, (__u64)store);
	l1_vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 1);
	l1_vmwrite(VMCS_EXIT_MSR_LOAD_ADDR, (__u64)load);
	l1_vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 1);
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	guest_report(store[1]);
	guest_report(l1_rdmsr(MSR_SYSENTER_ESP));
	l1_vmx_off();
}

/**
 * l1_test_hostile_lists() - VMCS12 addresses at the edge of L1's memory
 * @ram_end: the first guest-physical address past L1's memory (MMIO)
 *
 * Reports (reason, qualification) pairs: the VMCS link pointer at the
 * current VMCS12 itself (33|bit 31, 4); a VM-entry MSR-load list of two
 * entries whose second lies past @ram_end (34|bit 31, entry 2). Then L2
 * runs with a VM-exit MSR-store list of two entries whose second lies
 * past @ram_end: its first exit is a VMX abort (the host sees the vCPU
 * shut down; the indicator, 1, is in the VMCS12's region).
 */
void l1_test_hostile_lists(__u64 ram_end)
{
	__u64 *edge = (__u64 *)(ram_end - 16);

	edge[0] = MSR_KERNEL_GS_BASE;
	edge[1] = 0xabc000;
	l1_setup(l2_vmcall_forever, 0);
	l1_vmwrite(VMCS_LINK_PTR, (__u64)l1_pages[1]);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_vmwrite(VMCS_LINK_PTR, ~0ULL);
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_ADDR, (__u64)edge);
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 2);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	l1_vmwrite(VMCS_EXIT_MSR_STORE_ADDR, (__u64)edge);
	l1_vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 2);
	guest_report(0xab0);
	l1_enter(1);
	guest_report(0xbad);		/* not reached: the abort */
}

/* Controls and fields for the table below. */
#define PIN_DEFAULT1		0x16ULL
#define PROC_IO_BITMAPS		(1ULL << 25)
#define VMCS_IO_BITMAP_A	0x2000
#define VMCS_GUEST_CS_AR	(VMCS_GUEST_ES_AR + 2)
#define VMCS_GUEST_TR_AR	(VMCS_GUEST_ES_AR + 14)
#define INVALID_GUEST		EXIT_INVALID_GUEST
#define LINK_PTR_QUAL		4

/*
 * VMCS12 settings that make VM entry fail, each with the outcome the SDM
 * gives ("Checks on VMX Controls and Host-State Area": VMfailValid 7 or
 * 8; "Checks on the Guest State Area": exit 33 with bit 31).
 */
const struct l1_bad_case l1_bad_cases[] = {
	{ "pin-based control 31, never allowed",
	  VMCS_PIN_CTLS, PIN_DEFAULT1 | (1ULL << 31), 0, 0, 7, 0, 0 },
	{ "5 CR3-target values, 4 supported",
	  VMCS_CR3_TARGET_COUNT, 5, 0, 0, 7, 0, 0 },
	{ "I/O bitmap A not 4-KByte aligned",
	  VMCS_IO_BITMAP_A, 0x1001, VMCS_PROC_CTLS, PROC_IO_BITMAPS, 7, 0, 0 },
	{ "MSR bitmap not 4-KByte aligned",
	  VMCS_MSR_BITMAP, 0x1008, VMCS_PROC_CTLS, L1_PROC_MSR_BITMAPS,
	  7, 0, 0 },
	{ "event injection of reserved type 1",
	  VMCS_ENTRY_INTR_INFO, 0x80000100ULL | 32, 0, 0, 7, 0, 0 },
	{ "VM-entry MSR-load list not 16-byte aligned",
	  VMCS_ENTRY_MSR_LOAD_ADDR, 0x1008, VMCS_ENTRY_MSR_LOAD_COUNT, 1,
	  7, 0, 0 },
	{ "host CR4 without VMXE",
	  VMCS_HOST_CR4, 0x20, 0, 0, 8, 0, 0 },
	{ "host CS selector 0",
	  VMCS_HOST_CS_SEL, 0, 0, 0, 8, 0, 0 },
	{ "host TR selector 0",
	  VMCS_HOST_TR_SEL, 0, 0, 0, 8, 0, 0 },
	{ "host FS base not canonical",
	  VMCS_HOST_FS_BASE, 0x8000000000000000ULL, 0, 0, 8, 0, 0 },
	{ "host SYSENTER_EIP not canonical",
	  VMCS_HOST_SYSENTER_EIP, 0x0000800000000000ULL, 0, 0, 8, 0, 0 },
	{ "guest RFLAGS bit 1 clear",
	  VMCS_GUEST_RFLAGS, 0, 0, 0, 0, INVALID_GUEST, 0 },
	{ "guest activity state 5, reserved",
	  VMCS_GUEST_ACTIVITY, 5, 0, 0, 0, INVALID_GUEST, 0 },
	{ "guest interruptibility bit 4, reserved",
	  VMCS_GUEST_INTERRUPTIBILITY, 0x10, 0, 0, 0, INVALID_GUEST, 0 },
	{ "guest CS unusable",
	  VMCS_GUEST_CS_AR, 0x10000, 0, 0, 0, INVALID_GUEST, 0 },
	{ "guest TR a 16-bit TSS in IA-32e mode",
	  VMCS_GUEST_TR_AR, 0x83, 0, 0, 0, INVALID_GUEST, 0 },
	{ "VMCS link pointer not FFFFFFFF_FFFFFFFFH",
	  VMCS_LINK_PTR, 0x1000, 0, 0, 0, INVALID_GUEST, LINK_PTR_QUAL },
	/* Hostile addresses: where L1 has no memory (MMIO) */
	{ "VMCS link pointer to MMIO",
	  VMCS_LINK_PTR, GUEST_MMIO_GPA, 0, 0, 0, INVALID_GUEST,
	  LINK_PTR_QUAL },
	{ "VM-entry MSR-load list in MMIO",
	  VMCS_ENTRY_MSR_LOAD_ADDR, GUEST_MMIO_GPA, VMCS_ENTRY_MSR_LOAD_COUNT,
	  1, 0, EXIT_MSR_LOAD_FAIL, 1 },
	{ "MSR bitmap beyond the physical-address width",
	  VMCS_MSR_BITMAP, 1ULL << 63, VMCS_PROC_CTLS, L1_PROC_MSR_BITMAPS,
	  7, 0, 0 },
	{ "VM-entry MSR-load list beyond the physical-address width",
	  VMCS_ENTRY_MSR_LOAD_ADDR, (1ULL << 63) - 16,
	  VMCS_ENTRY_MSR_LOAD_COUNT, 1, 7, 0, 0 },
	{ "EPT paging structures in MMIO: a misconfiguration for L1",
	  VMCS_EPT_POINTER, GUEST_MMIO_GPA | 0x1e, VMCS_PROC2_CTLS,
	  L1_PROC2_EPT, 0, EXIT_EPT_MISCONFIG, 0 },
	{ "EPTP with page-walk length 5, not offered",
	  VMCS_EPT_POINTER, 0x1000 | 0x26, VMCS_PROC2_CTLS, L1_PROC2_EPT,
	  7, 0, 0 },
	{ "VMCS shadowing, VMREAD-bitmap address not 4-KByte aligned",
	  VMCS_VMREAD_BITMAP, 0x1008, VMCS_PROC2_CTLS,
	  L1_PROC2_VMCS_SHADOWING, 7, 0, 0 },
	{ "VMCS shadowing, VMWRITE bitmap beyond the physical-address width",
	  VMCS_VMWRITE_BITMAP, 1ULL << 52, VMCS_PROC2_CTLS,
	  L1_PROC2_VMCS_SHADOWING, 7, 0, 0 },
};

const unsigned int l1_bad_case_count =
	sizeof(l1_bad_cases) / sizeof(l1_bad_cases[0]);

/**
 * l1_test_bad_case() - VMLAUNCH with l1_bad_cases[@i] applied
 * @i: the case
 *
 * Reports what l1_enter() does (for a VMfail: 0xfa11, RFLAGS, the error),
 * then the exit reason it returned (0 after a VMfail) and the exit
 * qualification.
 */
void l1_test_bad_case(__u64 i)
{
	const struct l1_bad_case *c = &l1_bad_cases[i];

	l1_setup(l2_vmcall_forever, 0);
	if (c->field2 == VMCS_PROC_CTLS) {
		l1_vmwrite(VMCS_PROC_CTLS,
			   l1_vmread(VMCS_PROC_CTLS) | c->value2);
	} else if (c->field2 == VMCS_PROC2_CTLS) {
		l1_vmwrite(VMCS_PROC_CTLS,
			   l1_vmread(VMCS_PROC_CTLS) | L1_PROC_SECONDARY);
		l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, c->value2));
	} else if (c->field2) {
		l1_vmwrite(c->field2, c->value2);
	}
	l1_vmwrite(c->field, c->value);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	l1_vmx_off();
}

/* An OUT and a RDMSR, each of which L1's bitmaps (in MMIO) select. */
static void l2_out_rdmsr(void)
{
	guest_outb(0x80, 1);
	l2_vmcall(l1_rdmsr(MSR_GS_BASE));
	for (;;)
		l2_vmcall(0);
}

/**
 * l1_test_hostile() - bitmaps in MMIO, a VMCS12 overwritten in memory
 *
 * L1 puts its I/O and MSR bitmaps where it has no memory: nvmx reads them
 * as all ones, so L2's OUT (30) and RDMSR (31) exit to L1. Then L1
 * overwrites its current VMCS12's memory with junk (the SDM leaves that
 * undefined; nvmx keeps using its copy): VMRESUME works (18) and VMREAD
 * gives what L1 wrote with VMWRITE before (GUEST_RSP as set up, which
 * reads back nonzero).
 */
void l1_test_hostile(void)
{
	unsigned int i;

	l1_setup(l2_out_rdmsr, L1_PROC_MSR_BITMAPS | PROC_IO_BITMAPS);
	l1_vmwrite(VMCS_IO_BITMAP_A, GUEST_MMIO_GPA);
	l1_vmwrite(VMCS_IO_BITMAP_A + 2, GUEST_MMIO_GPA + 0x1000);
	l1_vmwrite(VMCS_MSR_BITMAP, GUEST_MMIO_GPA + 0x2000);
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION) >> 16);
	l1_skip();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rcx);
	l1_skip();
	for (i = 8; i < 4096; i++)
		l1_pages[1][i] = 0xa5;
	guest_report(l1_enter(0));
	guest_report(l1_vmread(VMCS_GUEST_RSP) != 0xa5a5a5a5a5a5a5a5ULL);
	l1_vmx_off();
}
