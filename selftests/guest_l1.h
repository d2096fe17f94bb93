/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The L1 hypervisors of the nested tests: guest code (like guest.c) that
 * runs L2 functions with the library of tools/guests/vmx_l1.h
 * (guest_l1.c, guest_l1_fuzz.c, guest_l1_shadow.c).
 *
 * The l1_*() functions report what they see with guest_report(); the
 * tests (nvmx_nested_test.c) check the sequence.
 */
#ifndef NVMX_SELFTEST_GUEST_L1_H
#define NVMX_SELFTEST_GUEST_L1_H

#include <linux/types.h>

#include "guests/vmx_l1.h"

/**
 * struct l1_bad_case - a VMCS12 setting that L1's VMLAUNCH must refuse
 * @what: what is wrong, for the test log
 * @field: the field written after the valid setup
 * @value: its value
 * @field2: a second field (0: none), e.g. to enable what @field configures
 * @value2: its value (for the primary controls: bits added to them; for
 *	the secondary controls: their value, activated)
 * @error: VMfailValid with this error number, or 0
 * @reason: else the VM-entry failure exit reason (bit 31 set)
 * @qual: and its exit qualification
 */
struct l1_bad_case {
	const char *what;
	__u32 field;
	__u64 value;
	__u32 field2;
	__u64 value2;
	__u32 error;
	__u32 reason;
	__u64 qual;
};

/* VMCS shadowing (guest_l1_shadow.c and the bad cases). */
#define VMCS_VMREAD_BITMAP		0x2026
#define VMCS_VMWRITE_BITMAP		0x2028
#define L1_PROC2_VMCS_SHADOWING		(1U << 14)

extern const struct l1_bad_case l1_bad_cases[];
extern const unsigned int l1_bad_case_count;

/* The L1 test programs (guest entry points). */
void l1_test_bad_case(__u64 i);
void l1_test_events(void);
void l1_test_apic_timer(__u64 count);
void l1_test_inject(void);
void l1_test_hostile(void);
void l1_fuzz(__u64 seed, __u64 n);
/* l1_fuzz()'s launch under way: number, last field changed, its value */
extern __u64 l1_fuzz_now[3];
void l1_test_exceptions(void);
void l1_test_l2_interrupts(void);
void l1_test_timer(__u64 value);
#define L1_MIGRATE_MAX		64
void l1_test_migrate(__u64 n);
void l1_test_round_trips(__u64 n);
void l1_test_vmfail(void);
void l1_test_entry_failures(void);
void l1_test_l0_exits(void);
void l1_test_cr_and_msr(void);
void l1_test_vmx_span(void);
void l1_test_ept(void);
void l1_test_resize(__u64 gpa, __u64 spin);
void l1_test_idt_vectoring(void);
void l1_test_exit_controls(void);
void l1_test_vpid(void);
void l1_test_pf_filter(void);
void l1_test_emul_ept(void);
void l1_test_real_mode(void);
void l1_test_hostile_lists(__u64 ram_end);
/* The region of the VMCS12 the L1 programs use */
extern __u8 *const l1_vmcs12;
void l1_test_windows(void);
/* l1_test_windows()'s L2 code: start, IRET under NMI blocking, after it */
void l2_sti(void);
void l2_nmi_iret(void);
void l2_nmi_after(void);
/* l1_test_resize()'s spinning L2: the last value read, the reads */
extern __u64 l1_resize_seen[2];
void l1_test_vmcs_shadowing(void);

#endif /* NVMX_SELFTEST_GUEST_L1_H */
