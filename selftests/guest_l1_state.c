// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 program of nvmx_nested_state_test (see guest_l1.h): an L2 that
 * counts in registers and memory while the host moves the vCPU, with its
 * nested state, to another VM. Guest code, as guest_l1.c.
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1.h"
#include "guest_l1_lib.h"
#include "guests/vmx_l1.h"
#include "loader.h"

static __u64 l2_n;
static __u64 l2_squares[L1_MIGRATE_MAX];

/* Squares into memory, each index reported to the host (L0's OUT). */
static void l2_count(void)
{
	__u64 i, sum = 0;

	for (i = 0; i < l2_n; i++) {
		l2_squares[i] = i * i;
		sum += i * i;
		guest_report(i);
	}
	for (;;)
		l2_vmcall(sum);
}

/**
 * l1_test_migrate() - an L2 whose state lives in registers and memory
 * @n: how many squares L2 computes (at most L1_MIGRATE_MAX)
 *
 * L2 reports 0 .. @n - 1 itself; then L1 reports L2's exit (18), the sum
 * of the squares L2 computed in a register, and how many squares in
 * memory are wrong (0).
 */
void l1_test_migrate(__u64 n)
{
	__u64 i, bad = 0;

	l2_n = n < L1_MIGRATE_MAX ? n : L1_MIGRATE_MAX;
	l1_setup(l2_count, 0);
	guest_report(l1_enter(1));
	guest_report(l2_regs.rax);
	for (i = 0; i < l2_n; i++)
		bad += l2_squares[i] != i * i;
	guest_report(bad);
	l1_vmx_off();
}
