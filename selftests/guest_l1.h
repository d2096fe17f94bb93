/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The L1 hypervisors of the nested tests: guest code (like guest.c) that
 * runs L2 functions with the library of tools/guests/vmx_l1.h.
 *
 * The l1_*() functions report what they see with guest_report(); the
 * tests (nvmx_nested_test.c) check the sequence.
 */
#ifndef NVMX_SELFTEST_GUEST_L1_H
#define NVMX_SELFTEST_GUEST_L1_H

#include <linux/types.h>

#include "guests/vmx_l1.h"

/* The L1 test programs (guest entry points). */
void l1_test_round_trips(__u64 n);
void l1_test_vmfail(void);
void l1_test_entry_failures(void);
void l1_test_l0_exits(void);
void l1_test_cr_and_msr(void);
void l1_test_vmx_span(void);
void l1_test_ept(void);

#endif /* NVMX_SELFTEST_GUEST_L1_H */
