/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The L1 hypervisors of the nested tests: guest code (like guest.c) that
 * runs L2 functions with the library of tools/guests/vmx_l1.h. What they
 * share is in guest_l1.c (guest_l1_lib.h); the programs, by theme, in
 * guest_l1.c (exits), guest_l1_events.c, guest_l1_mem.c,
 * guest_l1_hostile.c, guest_l1_state.c, guest_l1_shadow.c and
 * guest_l1_fuzz*.c.
 *
 * The l1_*() functions report what they see with guest_report(); the
 * tests (nvmx_nested_*_test.c, whose names say the same themes) check
 * the sequence.
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
void l1_test_init(void);
void l1_test_tpr_shadow(void);
void l1_test_inject(void);
void l1_test_hostile(void);
void l1_fuzz(__u64 seed, __u64 n);
/* l1_fuzz()'s launch under way: number, last field changed, its value */
extern __u64 l1_fuzz_now[3];
/*
 * Set by the host before l1_fuzz() starts: instruction streams, the cap
 * on L2 exits per stream, EPT12 probes (guest_l1_fuzz_insn.c, _ept.c),
 * whether streams with few exits let ports 0x80-0x8f through to L0, the
 * first stream and probe that run (the earlier ones are only drawn).
 */
extern __u64 l1_fuzz_cfg[5];
/*
 * The first outcome the SDM does not allow in each of those phases:
 * phase (1 streams, 2 probes), stream or probe number, its own seed, the
 * check (FZ_BAD_*), then seven words that the phase names (see the host).
 */
#define L1_FUZZ_BAD_WORDS	11
extern __u64 l1_fuzz_bad[2][L1_FUZZ_BAD_WORDS];
enum {
	FZ_BAD_NONE,
	FZ_BAD_VMFAIL,		/* VMRESUME/VMLAUNCH failed */
	FZ_BAD_REASON,		/* a reason L1's controls cannot produce */
	FZ_BAD_LENGTH,		/* instruction length not in 1..15 */
	FZ_BAD_INTR_INFO,	/* exit interruption information */
	FZ_BAD_IDT_VEC,		/* IDT-vectoring information */
	FZ_BAD_QUAL,		/* qualification (I/O, CR, DR, EPT) */
	FZ_BAD_EPT_OUTCOME,	/* not the outcome of L1's own walk */
	FZ_BAD_EPT_ADDR,	/* guest-physical or linear address */
	FZ_BAD_EPT_DATA,	/* a permitted access reached another page */
	FZ_BAD_EPT_AD,		/* accessed/dirty flags not set */
	FZ_BAD_COUNT
};

/* Counters each phase reports, in order. */
#define L1_FUZZ_STREAM_COUNTERS	13
#define L1_FUZZ_EPT_COUNTERS	6
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
