// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 programs of nvmx_nested_mem_test (see guest_l1.h): L2 on L1's
 * EPT12 (remaps, violations, misconfigurations), INVVPID, L0's emulation
 * for L2 meeting EPT12, and L1s that let the host change memory while
 * they are in VMX operation. Guest code, as guest_l1.c.
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1.h"
#include "guest_l1_lib.h"
#include "guests/vmx_l1.h"
#include "loader.h"

/**
 * l1_test_vmx_span() - VMXON, report 1, VMXOFF, report 2
 *
 * Lets the host act while L1 is in VMX operation and after.
 */
void l1_test_vmx_span(void)
{
	l1_vmx_on(l1_pages[0], l1_pages[1]);
	guest_report(1);
	l1_vmx_off();
	guest_report(2);
}

/* L2 reads its window, writes it, and reads its second qword. */
static void l2_ept(void)
{
	volatile __u64 *w = l2_window;

	l2_vmcall(w[0]);		/* l1_data[0] */
	l2_vmcall(w[0]);		/* remapped: l1_data[1] */
	w[1] = 0x77;			/* read-only: L1 gets the violation */
	l2_vmcall(w[1]);
	l2_vmcall(w[2]);		/* not present, then misconfigured */
	for (;;)
		l2_vmcall(0);
}

/* Report an EPT exit: reason, low qualification bits, GPA's page offset. */
static void l1_report_ept_exit(__u32 reason)
{
	guest_report(reason);
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION) & 0x3f);
	guest_report(l1_vmread(VMCS_GUEST_PHYS_ADDR) - (__u64)l2_window);
}

/**
 * l1_test_ept() - L2 on an EPT12 that is not the identity
 *
 * Reports: L2's read of its window (l1_data[0]'s 0xa0a0), after a remap
 * to l1_data[1] and INVEPT (0xb1b1); a write to the window made
 * read-only (48, qualification write with R: 0xa, offset 8) and, made
 * writable again, L2's value (0x77, in l1_data[1]); a read of a page not
 * present (48, read: 1, offset 16), tried again through a write-only
 * entry (49, offset 16); L1's own view of l2_window (0x1111).
 */
void l1_test_ept(void)
{
	__u64 win = (__u64)l2_window;
	__u32 proc2;

	l2_window[0] = 0x1111;
	l1_data[0][0] = 0xa0a0;
	l1_data[1][0] = 0xb1b1;
	l1_setup(l2_ept, L1_PROC_SECONDARY);
	proc2 = l1_ctl(0x48b, 0x48b, L1_PROC2_EPT);
	l1_vmwrite(VMCS_PROC2_CTLS, proc2);
	l1_vmwrite(VMCS_EPT_POINTER, l1_ept_build());
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	l1_skip();
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_RWX | EPT_WB;
	l1_invept();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_skip();
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_R | EPT_X | EPT_WB;
	l1_invept();
	l1_report_ept_exit(l1_enter(0));
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_RWX | EPT_WB;
	l1_invept();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	guest_report(l1_data[1][1]);
	l1_skip();
	*l1_ept_pte(win) = 0;
	l1_invept();
	l1_report_ept_exit(l1_enter(0));
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_MISCONFIG_W_ONLY | EPT_WB;
	l1_report_ept_exit(l1_enter(0));
	guest_report(l2_window[0]);
	l1_vmx_off();
}

/* VPIDs for L2: L2 reads a linear page whose PTE L1 changes. */
#define PROC2_VPID		(1U << 5)
#define VMCS_VPID		0x0000

static void l2_read_la(void)
{
	for (;;)
		l2_vmcall(*(volatile __u64 *)L2_LA);
}

static void l1_invvpid(__u64 type, __u64 vpid, __u64 la)
{
	__u64 desc[2] = { vpid, la };

	asm volatile("invvpid %0, %1" : : "m"(desc), "r"(type)
		     : "cc", "memory");
}

/*
 * L2_LA to l1_page[@i], INVVPID of type @inv (-1: none) for VPID 1, then
 * L2 with VPID12 @vpid; report what it read.
 */
static void l1_vpid_step(unsigned int i, __u64 vpid, int inv)
{
	l1_pt[0] = (__u64)l1_page[i] | PTE_PW;
	l1_vmwrite(VMCS_VPID, vpid);
	if (inv >= 0)
		l1_invvpid(inv, 1, L2_LA);
	l1_enter(0);
	guest_report(l2_regs.rax);
	l1_skip();
}

/**
 * l1_test_vpid() - L1's INVVPID reaches the translations of its VPIDs
 *
 * L2 reads L2_LA, which L1 maps with a 4 KByte PTE of its own to
 * l1_page[0] (0xa) or l1_page[1] (0xb), and VMCALLs the value. L1
 * reports what L2 read: with VPID 1 (0xa); the PTE to page 1 without
 * INVVPID (0xa or 0xb: the SDM leaves it open); INVVPID individual
 * address (0xb); to page 0 and single context (0xa); to page 1 under VPID
 * 2, never used (0xb, whatever VPID 1 still holds); to page 1 back under
 * VPID 1 and all contexts (0xb). 0xdead alone if VPID is not offered.
 */
void l1_test_vpid(void)
{
	__u64 *pd3 = (__u64 *)(NVMX_LOADER_PD + 3 * 4096);
	__u32 proc2;

	l1_page[0][0] = 0xa;
	l1_page[1][0] = 0xb;
	l1_pt[0] = (__u64)l1_page[0] | PTE_PW;
	pd3[0] = (__u64)l1_pt | PTE_PW;
	l1_setup(l2_read_la, L1_PROC_SECONDARY);
	proc2 = l1_ctl(0x48b, 0x48b, PROC2_VPID);
	if (!(proc2 & PROC2_VPID)) {
		guest_report(0xdead);
		l1_vmx_off();
		return;
	}
	l1_vmwrite(VMCS_PROC2_CTLS, proc2);
	l1_vmwrite(VMCS_VPID, 1);
	l1_enter(1);
	guest_report(l2_regs.rax);
	l1_skip();
	l1_vpid_step(1, 1, -1);
	l1_vpid_step(1, 1, 0);
	l1_vpid_step(0, 1, 1);
	l1_vpid_step(1, 2, -1);
	l1_vpid_step(1, 1, 2);
	l1_vmx_off();
}

static __u64 l2_resize_gpa;
__u64 l1_resize_seen[2];

static void l2_poll(void)
{
	for (;;)
		guest_report(guest_readq(l2_resize_gpa));
}

/* Read the address in a loop without exits of its own while it is memory. */
static void l2_spin_read(void)
{
	for (;;) {
		WRITE_ONCE(l1_resize_seen[0], guest_readq(l2_resize_gpa));
		WRITE_ONCE(l1_resize_seen[1], l1_resize_seen[1] + 1);
	}
}

/**
 * l1_test_resize() - L2, on an identity EPT12, reads guest-physical @gpa
 * @gpa: the address
 * @spin: 0: L2 reports each read itself (its port I/O is L0's); 1: L2
 *	reads without exits, into l1_resize_seen[0], counting the reads in
 *	l1_resize_seen[1]
 *
 * L1 never gets an exit; the host watches L2 lose a region.
 */
void l1_test_resize(__u64 gpa, __u64 spin)
{
	l2_resize_gpa = gpa;
	l1_setup(spin ? l2_spin_read : l2_poll, L1_PROC_SECONDARY);
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, L1_PROC2_EPT));
	l1_vmwrite(VMCS_EPT_POINTER, l1_ept_build());
	guest_report(l1_enter(1));
}

/* L2: REP OUTSB of 2 bytes from its window to port 0x81, then VMCALL. */
static void l2_outs(void)
{
	for (;;) {
		const void *src = l2_window;
		__u64 cnt = 2;

		asm volatile("rep outsb" : "+S"(src), "+c"(cnt) : "d"(0x81)
			     : "memory");
		l2_vmcall(cnt);
	}
}

/**
 * l1_test_emul_ept() - an access of L0's emulation that EPT12 refuses
 *
 * L1 does not intercept I/O, so L0 emulates L2's REP OUTSB; its buffer,
 * the window, is not present in EPT12. Reports: the EPT violation L1
 * gets as if the CPU had run the instruction (48; qualification: read,
 * linear address valid, access to the page: 0x181; the window's
 * guest-physical and linear address, offsets 0 and 0); L2's RCX still 2.
 * Then L1 maps the window to l1_data[1] and L2's OUTSB reaches the host
 * (its two bytes), and L2's VMCALL (18, RCX 0).
 */
void l1_test_emul_ept(void)
{
	__u64 win = (__u64)l2_window;

	l1_data[1][0] = 0x4241;
	l1_setup(l2_outs, L1_PROC_SECONDARY);
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, L1_PROC2_EPT));
	l1_vmwrite(VMCS_EPT_POINTER, l1_ept_build());
	*l1_ept_pte(win) = 0;
	guest_report(l1_enter(1));
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION) & 0x1bf);
	guest_report(l1_vmread(VMCS_GUEST_PHYS_ADDR) - win);
	guest_report(l1_vmread(VMCS_GUEST_LINEAR_ADDR) - win);
	guest_report(l2_regs.rcx);
	*l1_ept_pte(win) = (__u64)l1_data[1] | EPT_RWX | EPT_WB;
	l1_invept();
	guest_report(l1_enter(0));
	guest_report(l2_regs.rax);
	l1_vmx_off();
}
