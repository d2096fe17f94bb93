/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the parts of the fuzzing L1 share (guest code, private to
 * guest_l1_fuzz*.c): the generator, the VMCS fields they use beyond
 * those of vmx_l1.h, the L2 sandbox (guest_l1_fuzz_l2.c: the pages L2
 * owns, its page tables, IDT and GDT, the EPT12 that confines it to
 * them) and the record of the first anomaly.
 */
#ifndef NVMX_SELFTEST_GUEST_L1_FUZZ_H
#define NVMX_SELFTEST_GUEST_L1_FUZZ_H

#include <stdbool.h>
#include <linux/types.h>

#include "guest_l1.h"

#define VMCS_IO_BITMAP_A	0x2000
#define VMCS_IO_BITMAP_B	0x2002
#define VMCS_PFEC_MASK		0x4006
#define VMCS_PFEC_MATCH		0x4008
#define VMCS_EXIT_INTR_INFO	0x4404
#define VMCS_EXIT_INTR_ERROR	0x4406
#define VMCS_IDT_VEC_INFO	0x4408
#define VMCS_IDT_VEC_ERROR	0x440a
#define VMCS_GUEST_TR_LIMIT	0x480e
#define VMCS_PREEMPTION_TIMER	0x482e
#define VMCS_GUEST_TR_BASE	0x6814
#define VMCS_GUEST_LINEAR_ADDR	0x640a

/* Pin-based, primary and secondary processor-based controls. */
#define FZ_PIN_TIMER		(1u << 6)
#define FZ_PROC_HLT		(1u << 7)
#define FZ_PROC_INVLPG		(1u << 9)
#define FZ_PROC_MWAIT		(1u << 10)
#define FZ_PROC_RDPMC		(1u << 11)
#define FZ_PROC_RDTSC		(1u << 12)
#define FZ_PROC_CR3_LOAD	(1u << 15)
#define FZ_PROC_CR3_STORE	(1u << 16)
#define FZ_PROC_CR8_LOAD	(1u << 19)
#define FZ_PROC_CR8_STORE	(1u << 20)
#define FZ_PROC_MOV_DR		(1u << 23)
#define FZ_PROC_UNCOND_IO	(1u << 24)
#define FZ_PROC_IO_BITMAPS	(1u << 25)
#define FZ_PROC_MSR_BITMAPS	(1u << 28)
#define FZ_PROC_MONITOR		(1u << 29)
#define FZ_PROC_PAUSE		(1u << 30)
#define FZ_PROC_SECONDARY	(1u << 31)
#define FZ_PROC2_EPT		(1u << 1)
#define FZ_PROC2_DESC		(1u << 2)
#define FZ_PROC2_RDTSCP		(1u << 3)
#define FZ_PROC2_WBINVD		(1u << 6)
#define FZ_PROC2_INVPCID	(1u << 12)

/* EPT entries. */
#define FZ_EPT_R		1ULL
#define FZ_EPT_W		2ULL
#define FZ_EPT_X		4ULL
#define FZ_EPT_RWX		7ULL
#define FZ_EPT_WB		(6ULL << 3)
#define FZ_EPT_PS		(1ULL << 7)
#define FZ_EPT_A		(1ULL << 8)
#define FZ_EPT_D		(1ULL << 9)
#define FZ_EPTP_AD		(1ULL << 6)

/* IA32_VMX_EPT_VPID_CAP bits the fuzzing L1 looks at. */
#define FZ_CAP_EXEC_ONLY	(1ULL << 0)
#define FZ_CAP_2M		(1ULL << 16)
#define FZ_CAP_1G		(1ULL << 17)
#define FZ_CAP_AD		(1ULL << 21)
#define FZ_CAP_INVEPT_SINGLE	(1ULL << 25)

#define FZ_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

__u64 fz_next(__u64 *s);

/*
 * The pages L2 owns, at the same guest-physical address for L1 and L2
 * (EPT12 maps them 1:1 and maps nothing else): all L2 can ever write.
 */
struct fz_l2_mem {
	__u8 code[4096];	/* RWX: the stream, or nothing */
	__u8 stubs[4096];	/* R-X: per vector, mov $vector, %eax; vmcall */
	__u8 idt[4096];		/* R: 256 gates, to the stubs */
	__u8 gdt[4096];		/* R: L1's GDT copied, L2's TSS at 0x800 */
	__u8 stack[2][4096];	/* RW */
	__u64 pt[6][512];	/* RW: PML4, PDPT, 4 PDs: 2 MiB pages, 4 GiB */
	__u8 scratch[4096];	/* RW: the page every probe reaches */
};

extern struct fz_l2_mem fz_l2;
#define FZ_STUB_SIZE		8
#define FZ_L2_STACK_TOP		((__u64)fz_l2.stack + sizeof(fz_l2.stack))

/*
 * L1's EPT12 for L2: PML4 -> PDPT; PDPT[0] -> the PD of the sandbox
 * (PDPT[1..3] are the EPT probes'), whose PDEs point to PTs of a pool.
 */
#define FZ_L2_NR_PT		4
extern __u64 fz_ept12[3 + FZ_L2_NR_PT + 2][512];
#define FZ_EPT12_PML4		0
#define FZ_EPT12_PDPT		1
#define FZ_EPT12_PROBE_PD	(3 + FZ_L2_NR_PT)
#define FZ_EPT12_PROBE_PT	(4 + FZ_L2_NR_PT)

/* The sandbox (once), and a VMCS12 that runs L2 in it at @rip. */
void fz_l2_setup(void);
void fz_l2_vmcs(__u64 rip, __u64 eptp, __u32 timer);
/* The EPT12 pointer, with A/D if @ad. */
__u64 fz_eptp(bool ad);
/* INVEPT of every EPT12 translation L1 may have cached. */
void fz_invept(__u64 eptp);
/* IA32_VMX_EPT_VPID_CAP as L1 reads it. */
__u64 fz_ept_caps(void);

/*
 * L1's own walk of its EPT12 (guest_l1_fuzz_ept.c), written from the SDM
 * ("EPT Translation Mechanism", "EPT Misconfigurations", "EPT
 * Violations"), never from nvmx's: @access is FZ_EPT_R, _W or _X.
 */
enum { FZ_WALK_OK, FZ_WALK_VIOLATION, FZ_WALK_MISCONFIG };
struct fz_walk {
	int result;
	unsigned int level;	/* where the walk stopped */
	__u64 perms;		/* AND of bits 2:0 of the entries walked */
	__u64 pa;		/* FZ_WALK_OK: the L1 physical address */
	__u64 *entry[5];	/* [level]: the entries walked */
};

void fz_ept_walk(__u64 eptp, __u64 gpa, __u64 access, struct fz_walk *w);

/*
 * An anomaly, an outcome the SDM does not allow: the first of each phase
 * (1 streams, 2 EPT probes) goes to l1_fuzz_bad (guest_l1.h).
 */
void fz_anomaly(__u64 phase, __u64 index, __u64 subseed, __u64 check,
		const __u64 *data);
extern __u64 fz_anomalies;

/* The phases after the VMCS12 one; each reports its counters. */
void fz_streams(__u64 seed, __u64 first, __u64 n, __u64 max_exits,
		bool l0_io);
void fz_ept_probes(__u64 seed, __u64 first, __u64 n);

#endif /* NVMX_SELFTEST_GUEST_L1_FUZZ_H */
