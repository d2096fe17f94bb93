/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Translation of a guest linear address to a guest-physical address by a
 * software walk of the guest's own paging structures, for the instruction
 * fetch and operands of instructions that the VMM emulates (Intel SDM
 * Vol. 3A, "Paging": "Hierarchical Paging Structures: an Overview",
 * "32-Bit Paging", "PAE Paging", "4-Level Paging and 5-Level Paging",
 * "Access Rights", "Page-Fault Exceptions"). Pure: guest memory is read
 * through a callback and never written.
 */
#ifndef NVMX_EMUL_GVA_H
#define NVMX_EMUL_GVA_H

#include "../pure.h"

/* The control-register and EFER bits that select and tune paging. */
#define NVMX_CR0_WP	BIT_ULL(16)
#define NVMX_CR0_PG	BIT_ULL(31)
#define NVMX_CR4_PSE	BIT_ULL(4)
#define NVMX_CR4_PAE	BIT_ULL(5)
#define NVMX_CR4_LA57	BIT_ULL(12)
#define NVMX_CR4_SMEP	BIT_ULL(20)
#define NVMX_CR4_SMAP	BIT_ULL(21)
#define NVMX_EFER_LMA	BIT_ULL(10)
#define NVMX_EFER_NXE	BIT_ULL(11)

/* Bits of a paging-structure entry that the walk looks at. */
#define NVMX_PTE_P	BIT_ULL(0)
#define NVMX_PTE_RW	BIT_ULL(1)
#define NVMX_PTE_US	BIT_ULL(2)
#define NVMX_PTE_PS	BIT_ULL(7)
#define NVMX_PTE_XD	BIT_ULL(63)

/**
 * struct nvmx_paging - the guest's paging state
 * @cr0: CR0 as the guest sees it (PG and WP are used)
 * @cr3: CR3 (the address of the top-level table or of the PAE PDPT)
 * @cr4: CR4 (PSE, PAE, LA57, SMEP and SMAP are used)
 * @efer: IA32_EFER (LMA and NXE are used)
 * @maxphyaddr: the guest's physical-address width (CPUID.80000008H:EAX[7:0]);
 *		values outside 32..52 count as the nearest of the two
 */
struct nvmx_paging {
	u64 cr0;
	u64 cr3;
	u64 cr4;
	u64 efer;
	u8 maxphyaddr;
};

/**
 * typedef nvmx_read_gpa_fn - read 8 bytes of guest-physical memory
 * @ctx: the caller's context, passed through
 * @gpa: the guest-physical address, 8-byte aligned
 * @val: where to store the bytes (little-endian, as the guest sees them)
 *
 * Return: 0 or a negative errno. It is passed through unchanged by
 * nvmx_gva_to_gpa(), so it should not be -EFAULT, -EINVAL or -EOPNOTSUPP,
 * which have a meaning of their own there; -ENOENT (no memory at @gpa) is a
 * good choice.
 */
typedef int (*nvmx_read_gpa_fn)(void *ctx, u64 gpa, u64 *val);

/* Access flags: the kind of access being translated. */
#define NVMX_GVA_WRITE	BIT(0)	/* a data write (else a read or a fetch) */
#define NVMX_GVA_USER	BIT(1)	/* a user-mode access: CPL 3, not implicit */
#define NVMX_GVA_FETCH	BIT(2)	/* an instruction fetch */
/*
 * An explicit supervisor-mode data access with EFLAGS.AC = 1: with
 * CR4.SMAP = 1 it may reach user-mode pages. Without it, SMAP faults such
 * an access, as it does for AC = 0 and for implicit accesses.
 */
#define NVMX_GVA_AC	BIT(3)

/* The page-fault error code ("Page-Fault Exceptions"). */
#define NVMX_PF_PRESENT	BIT(0)	/* 0: not present; 1: rights or reserved bit */
#define NVMX_PF_WRITE	BIT(1)
#define NVMX_PF_USER	BIT(2)
#define NVMX_PF_RSVD	BIT(3)
#define NVMX_PF_FETCH	BIT(4)

int nvmx_gva_to_gpa(const struct nvmx_paging *pg, u64 gva, u32 access,
		    nvmx_read_gpa_fn read, void *ctx, u64 *gpa,
		    u32 *pf_error_code);

#endif /* NVMX_EMUL_GVA_H */
