// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sandbox of the fuzzing L1's random L2s (guest code): the pages L2
 * owns (struct fz_l2_mem), its own page tables (4 GiB identity-mapped
 * with 2 MiB pages), GDT, TSS and an IDT whose every gate leads to a stub
 * "mov $vector, %eax; vmcall", and the EPT12 that maps exactly those
 * pages 1:1 (code RWX, stubs RX, IDT and GDT R, stack, page tables and
 * scratch page RW). Whatever L2 executes, it can write nothing of L1's:
 * any other address is L1's EPT violation. Also the VMCS12 that runs L2
 * there, and the record of the first anomaly.
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1_fuzz.h"
#include "loader.h"

#define FZ_PTE_P_RW		3ULL
#define FZ_PTE_PS		0x80ULL
#define FZ_TSS_OFF		0x800
#define FZ_GDT_LIMIT		0x27		/* null, code, data, TSS (16) */
#define FZ_TSS_LIMIT		0x67
#define FZ_AR_TSS64_BUSY	0x8bULL

alignas(4096) struct fz_l2_mem fz_l2;
/* PML4, PDPT, the sandbox's PD, its PTs, the probes' PD and PT */
alignas(4096) __u64 fz_ept12[3 + FZ_L2_NR_PT + 2][512];
static alignas(4096) __u8 fz_vmcs_page[4096];
static alignas(4096) __u8 fz_msr_bitmap[4096];
static unsigned int fz_pts;
static __u64 fz_ept_cap;

__u64 l1_fuzz_bad[2][L1_FUZZ_BAD_WORDS];
__u64 fz_anomalies;

/* @data: L1_FUZZ_BAD_WORDS - 4 words */
void fz_anomaly(__u64 phase, __u64 index, __u64 subseed, __u64 check,
		const __u64 *data)
{
	__u64 *b = l1_fuzz_bad[phase - 1];
	unsigned int i;

	fz_anomalies++;
	if (b[3])
		return;
	b[0] = phase;
	b[1] = index;
	b[2] = subseed;
	b[3] = check;
	for (i = 4; i < L1_FUZZ_BAD_WORDS; i++)
		b[i] = data[i - 4];
}

static void fz_ept12_map(__u64 gpa, __u64 perms)
{
	__u64 *pde = &fz_ept12[2][(gpa >> 21) & 511], *pt;

	if (!*pde) {
		if (fz_pts == FZ_L2_NR_PT)
			return;		/* unmapped: L2 gets EPT violations */
		*pde = (__u64)fz_ept12[3 + fz_pts++] | FZ_EPT_RWX;
	}
	pt = (__u64 *)(*pde & ~0xfffULL);
	pt[(gpa >> 12) & 511] = (gpa & ~0xfffULL) | perms | FZ_EPT_WB;
}

static void fz_ept12_map_range(const void *p, __u64 len, __u64 perms)
{
	__u64 a;

	for (a = (__u64)p; a < (__u64)p + len; a += 4096)
		fz_ept12_map(a, perms);
}

/* A busy 64-bit TSS descriptor for L2's own TSS, at @d (16 bytes). */
static void fz_tss_desc(__u64 *d, __u64 base)
{
	d[0] = FZ_TSS_LIMIT | (base & 0xffffff) << 16 | FZ_AR_TSS64_BUSY << 40 |
	       ((base >> 24) & 0xff) << 56;
	d[1] = base >> 32;
}

static void fz_l2_tables(void)
{
	struct {
		__u16 limit;
		__u64 base;
	} __attribute__((packed)) gdt;
	unsigned int i, j;

	/* What an earlier L2 left must not change what this one does. */
	for (i = 0; i < sizeof(fz_l2.stack); i++)
		fz_l2.stack[i / 4096][i % 4096] = 0;
	for (i = 0; i < sizeof(fz_l2.scratch); i++)
		fz_l2.scratch[i] = 0;
	fz_l2.pt[0][0] = (__u64)fz_l2.pt[1] | FZ_PTE_P_RW;
	for (i = 0; i < 4; i++) {
		fz_l2.pt[1][i] = (__u64)fz_l2.pt[2 + i] | FZ_PTE_P_RW;
		for (j = 0; j < 512; j++)
			fz_l2.pt[2 + i][j] = ((__u64)i << 30 | (__u64)j << 21) |
					     FZ_PTE_P_RW | FZ_PTE_PS;
	}
	for (i = 0; i < 256; i++) {
		__u8 *s = &fz_l2.stubs[i * FZ_STUB_SIZE];

		s[0] = 0xb8;			/* mov $i, %eax */
		s[1] = i;
		s[2] = 0;
		s[3] = 0;
		s[4] = 0;
		s[5] = 0x0f;			/* vmcall */
		s[6] = 0x01;
		s[7] = 0xc1;
		l1_set_gate((struct l1_gate *)fz_l2.idt, i, (void (*)(void))s);
	}
	asm volatile("sgdt %0" : "=m"(gdt));
	for (i = 0; i <= FZ_GDT_LIMIT; i++)
		fz_l2.gdt[i] = ((const __u8 *)gdt.base)[i];
	fz_tss_desc((__u64 *)&fz_l2.gdt[NVMX_LOADER_TR],
		    (__u64)fz_l2.gdt + FZ_TSS_OFF);
	/* RSP0: a privilege change lands on the stack; no I/O bitmap. */
	*(__u64 *)&fz_l2.gdt[FZ_TSS_OFF + 4] = FZ_L2_STACK_TOP;
	*(__u16 *)&fz_l2.gdt[FZ_TSS_OFF + 0x66] = FZ_TSS_LIMIT + 1;
}

/* The sandbox, its EPT12, the MSR bitmap (reads pass, writes exit). */
void fz_l2_setup(void)
{
	unsigned int i;

	fz_ept_cap = l1_rdmsr(0x48c);
	fz_ept12[FZ_EPT12_PML4][0] = (__u64)fz_ept12[FZ_EPT12_PDPT] |
				     FZ_EPT_RWX;
	fz_ept12[FZ_EPT12_PDPT][0] = (__u64)fz_ept12[2] | FZ_EPT_RWX;
	fz_ept12_map_range(fz_l2.code, sizeof(fz_l2.code), FZ_EPT_RWX);
	fz_ept12_map_range(fz_l2.stubs, sizeof(fz_l2.stubs),
			   FZ_EPT_R | FZ_EPT_X);
	fz_ept12_map_range(fz_l2.idt, sizeof(fz_l2.idt) + sizeof(fz_l2.gdt),
			   FZ_EPT_R);
	fz_ept12_map_range(fz_l2.stack, sizeof(fz_l2.stack) +
			   sizeof(fz_l2.pt) + sizeof(fz_l2.scratch),
			   FZ_EPT_R | FZ_EPT_W);
	for (i = 2048; i < 4096; i++)
		fz_msr_bitmap[i] = 0xff;
	*(__u32 *)fz_vmcs_page = l1_rdmsr(0x480) & 0x7fffffff;
}

__u64 fz_eptp(bool ad)
{
	return (__u64)fz_ept12[FZ_EPT12_PML4] | 6 | 3 << 3 |
	       (ad ? FZ_EPTP_AD : 0);
}

void fz_invept(__u64 eptp)
{
	struct {
		__u64 eptp, zero;
	} desc = { eptp, 0 };
	__u64 type = fz_ept_cap & FZ_CAP_INVEPT_SINGLE ? 1 : 2;

	asm volatile("invept %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

/*
 * A clear, current VMCS12 for L2 at @rip in the sandbox (its own page
 * tables, GDT, TSS, IDT rebuilt, stack and scratch page cleared), on
 * EPT12 @eptp, under L1's VMX-preemption timer @timer, with the default
 * controls otherwise.
 */
void fz_l2_vmcs(__u64 rip, __u64 eptp, __u32 timer)
{
	fz_l2_tables();			/* as new: the last L2 wrote them */
	l1_vmclear((__u64)fz_vmcs_page);
	l1_vmptrld((__u64)fz_vmcs_page);
	l1_vmcs_controls(0, fz_msr_bitmap);
	l1_vmcs_host();
	l1_vmcs_guest((void (*)(void))rip, (void *)FZ_L2_STACK_TOP);
	l1_vmwrite(VMCS_GUEST_CR3, (__u64)fz_l2.pt[0]);
	l1_vmwrite(VMCS_GUEST_GDTR_BASE, (__u64)fz_l2.gdt);
	l1_vmwrite(VMCS_GUEST_GDTR_LIMIT, FZ_GDT_LIMIT);
	l1_vmwrite(VMCS_GUEST_IDTR_BASE, (__u64)fz_l2.idt);
	l1_vmwrite(VMCS_GUEST_IDTR_LIMIT, sizeof(fz_l2.idt) - 1);
	l1_vmwrite(VMCS_GUEST_TR_BASE, (__u64)fz_l2.gdt + FZ_TSS_OFF);
	l1_vmwrite(VMCS_GUEST_TR_LIMIT, FZ_TSS_LIMIT);
	l1_vmwrite(VMCS_PIN_CTLS, l1_ctl(0x481, 0x48d, FZ_PIN_TIMER));
	l1_vmwrite(VMCS_PREEMPTION_TIMER, timer);
	l1_vmwrite(VMCS_PROC_CTLS, l1_vmread(VMCS_PROC_CTLS) |
		   FZ_PROC_SECONDARY);
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, FZ_PROC2_EPT));
	l1_vmwrite(VMCS_EPT_POINTER, eptp);
}

__u64 fz_ept_caps(void)
{
	return fz_ept_cap;
}
