// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L1 of the VMCS-shadowing test (see guest_l1.h): L1 gives L2 a
 * shadow VMCS, and L2's VMREAD and VMWRITE work on it without L1 (L0
 * emulates them), except those L1's VMREAD bitmap selects. Guest code:
 * the same rules as guest.c.
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1.h"
#include "guests/vmx_l1.h"

#define MSR_VMX_BASIC		0x480
#define MSR_VMX_MISC		0x485
#define MSR_VMX_PROCBASED_CTLS2	0x48b
#define MISC_VMWRITE_ANY	(1ULL << 29)
#define SHADOW_VMCS		0x80000000u	/* revision bit 31 */
#define RFLAGS_VMFAIL		(L1_RFLAGS_CF | L1_RFLAGS_ZF)
#define VMCS_INSN_INFO		0x440e	/* VM-exit instruction information */

/* Values L1 puts in the shadow VMCS for L2 to read. */
#define SH_RIP			0x1234567890ULL
#define SH_PROC			0x12345678ULL
#define SH_VPID			0x77ULL
/* What L2 writes; the value it finds where VMREAD fails. */
#define L2_RSP			0xfeedfaceULL
#define L2_EXIT_REASON		0x99ULL
#define UNTOUCHED		0xdeadULL
#define NONCANONICAL		0x8000000000000000ULL
#define EXCEPTION_GP		13
#define VMCS_EXIT_INTR_INFO	0x4404
#define VMCS_EXIT_INTR_ERROR	0x4406

/* VMXON region, VMCS12, MSR bitmap, shadow VMCS, VMREAD, VMWRITE bitmap */
static alignas(4096) __u8 sh_pages[6][4096];
/* L2's page tables for CPL 3: PML4, PDPT, PD of 2 MiB user pages. */
static alignas(4096) __u64 user_pt[3][512];
static alignas(16) __u8 sh_stack[4096];
static struct l1_regs sh_regs;
/* What L2 saw, for L1 to report; L1 empties it after each VMCALL. */
static __u64 l2_out[8];
static unsigned int l2_n;
/* Where L1 points L2's faulting VMREAD after the #GP. */
static __u64 l2_buf[2];

/* L2 code. */

static void l2_put(__u64 v)
{
	if (l2_n < sizeof(l2_out) / sizeof(l2_out[0]))
		l2_out[l2_n++] = v;
}

static void l2_call(__u64 nr)
{
	asm volatile("vmcall" : "+a"(nr) : : "rcx", "rdx", "memory");
}

/* VMREAD into a register; RFLAGS' CF and ZF into *@flags. */
static __u64 l2_vmread(__u64 field, __u64 *flags)
{
	__u64 val = UNTOUCHED, f;

	asm volatile("vmread %2, %0\n\tpushfq\n\tpopq %1"
		     : "+r"(val), "=r"(f) : "r"(field) : "cc");
	*flags = f & RFLAGS_VMFAIL;
	return val;
}

/*
 * VMREAD into memory, 8(%rdx) with RDX = @p, the field in RCX (for the
 * exit's information). L1 may change RDX. Return: what is there after.
 */
static __u64 l2_vmread_at(__u64 field, __u64 *p, __u64 *flags)
{
	__u64 f;

	asm volatile("vmread %%rcx, 8(%%rdx)\n\tpushfq\n\tpopq %0"
		     : "=r"(f), "+d"(p) : "c"(field) : "cc", "memory");
	*flags = f & RFLAGS_VMFAIL;
	return p[1];
}

static __u64 l2_vmread_mem(__u64 field, __u64 *flags)
{
	__u64 buf[2] = { UNTOUCHED, UNTOUCHED };

	return l2_vmread_at(field, buf, flags);
}

/* VMWRITE from a register. Return: CF and ZF. */
static __u64 l2_vmwrite(__u64 field, __u64 val)
{
	__u64 f;

	asm volatile("vmwrite %1, %2\n\tpushfq\n\tpopq %0"
		     : "=r"(f) : "r"(val), "r"(field) : "cc", "memory");
	return f & RFLAGS_VMFAIL;
}

/* At CPL 3: a VMREAD is #GP(0), after the exit (L1 intercepts #GP). */
void l2_user_vmread(void);
asm(".pushsection .text, \"ax\", @progbits\n"
	"l2_user_vmread:\n"
	"	vmread %rcx, %rax\n"
	"	ud2\n"
	".popsection\n");

static void l2_shadow(void)
{
	__u64 f, v;

	v = l2_vmread(VMCS_GUEST_RIP, &f);		/* through to L0 */
	l2_put(v);
	l2_put(f);
	v = l2_vmread(VMCS_PROC_CTLS, &f);
	l2_put(v);
	l2_put(f);
	v = l2_vmread_mem(VMCS_VPID, &f);
	l2_put(v);
	l2_put(f);
	l2_put(l2_vmwrite(VMCS_GUEST_RSP, L2_RSP));
	l2_call(1);
	l2_vmread_mem(VMCS_EXIT_QUALIFICATION, &f);	/* L1's bitmap: exit */
	v = l2_vmread_at(VMCS_VPID, (__u64 *)NONCANONICAL, &f);	/* #GP */
	l2_put(v);
	l2_put(f);
	v = l2_vmread(0x7ffe, &f);			/* unsupported */
	l2_put(v);
	l2_put(f);
	l2_call(2);
	l2_put(l2_vmwrite(VMCS_EXIT_REASON, L2_EXIT_REASON));	/* read-only */
	l2_call(3);
	l2_vmread(1ULL << 32 | VMCS_GUEST_RIP, &f);	/* bits 63:15: exit */
	l2_call(4);
	v = l2_vmread(VMCS_GUEST_RIP, &f);		/* no shadow VMCS now */
	l2_put(v);
	l2_put(f);
	for (;;)
		l2_call(5);
}

/* L1 code. */

/* Run L2 to its next exit. Return: the exit reason, 0 after a VMfail. */
static __u32 sh_enter(__u64 launch)
{
	if (l1_run(&sh_regs, launch)) {
		guest_report(0xfa11);
		guest_report(l1_fail_flags & RFLAGS_VMFAIL);
		return 0;
	}
	return l1_vmread(VMCS_EXIT_REASON);
}

/* Report what L2 saw since the last VMCALL, then let it go on. */
static void sh_report_l2(void)
{
	unsigned int i;

	guest_report(l2_n);
	for (i = 0; i < l2_n; i++)
		guest_report(l2_out[i]);
	l2_n = 0;
	l1_skip();
}

/* The shadow VMCS, made and filled as an ordinary one would be. */
static void sh_make_shadow(__u8 *shadow, __u32 rev)
{
	volatile __u64 *q = (volatile __u64 *)shadow;
	__u64 pa = (__u64)shadow;
	unsigned int i;

	for (i = 0; i < 4096 / 8; i++)		/* nothing of an earlier run */
		q[i] = 0;
	*(__u32 *)shadow = rev | SHADOW_VMCS;
	guest_report(l1_vmclear(pa));
	guest_report(l1_vmptrld(pa));
	l1_vmwrite(VMCS_GUEST_RIP, SH_RIP);
	l1_vmwrite(VMCS_PROC_CTLS, SH_PROC);
	l1_vmwrite(VMCS_VPID, SH_VPID);
	/* A shadow VMCS cannot be launched: VMfailInvalid. */
	guest_report(sh_enter(1));
	guest_report(l1_vmclear(pa));
}

/*
 * The VMCS12 for L2 at CPL 3 in l2_user_vmread(): user segments (their
 * selectors need no descriptor to enter) and page tables that map the
 * first GiB with user 2 MiB pages, identity, as the loader's do.
 */
static void sh_user_l2(void)
{
	unsigned int i;

	user_pt[0][0] = (__u64)user_pt[1] | 7;		/* P, W, U */
	user_pt[1][0] = (__u64)user_pt[2] | 7;
	for (i = 0; i < 512; i++)
		user_pt[2][i] = (__u64)i << 21 | 0x87;	/* P, W, U, PS */
	for (i = 0; i < 6; i++) {	/* ES, CS, SS, DS, FS, GS */
		l1_vmwrite(VMCS_GUEST_ES_SEL + 2 * i, i == 1 ? 0x2b : 0x33);
		l1_vmwrite(VMCS_GUEST_ES_AR + 2 * i, i == 1 ? 0xa0fb : 0xc0f3);
	}
	l1_vmwrite(VMCS_GUEST_CR3, (__u64)user_pt[0]);
	l1_vmwrite(VMCS_GUEST_RIP, (__u64)l2_user_vmread);
	l1_vmwrite(VMCS_LINK_PTR, (__u64)sh_pages[3]);
	sh_regs.rcx = VMCS_GUEST_RIP;		/* a field L1's bitmap lets by */
}

/**
 * l1_test_vmcs_shadowing() - L2's VMREAD and VMWRITE of a shadow VMCS
 *
 * Reports: whether L1 is offered VMCS shadowing (1); VMCLEAR and VMPTRLD
 * of the shadow VMCS (0, 0); its VMLAUNCH (0xfa11, CF, then 0) and
 * VMCLEAR (0). Then L2 runs with VMCS shadowing and a VMREAD bitmap
 * that selects only the exit qualification, and after each of its
 * VMCALLs L1 reports what L2 saw (a count, then the values): (18, 7,
 * SH_RIP, 0, SH_PROC, 0, SH_VPID, 0, 0): the values L1 wrote, through a
 * register and a memory operand, and a VMWRITE that worked. L2's VMREAD
 * of the exit qualification is L1's: 23, the displacement 8, and
 * instruction information 0x11000000 under 0xff000400 (memory operand,
 * base RDX, field in RCX). A VMREAD to a non-canonical address is a #GP
 * that L1 intercepts: 0, interruption information 0x80000b0d and error
 * code 0; L1 points RDX at memory and the VMREAD goes again. An
 * unsupported field: 18, VM-instruction error 12 in L1's VMCS12, and (4,
 * SH_VPID, 0, UNTOUCHED, ZF). A VMWRITE of the exit
 * reason: whether L1 may VMWRITE any field, 18, the error (13 without
 * it, else still 12) and (1, RFLAGS: ZF without it, else 0). A field with bit 32 set is L1's (23). Without a
 * shadow VMCS (link pointer all ones): (18, 2, UNTOUCHED, CF). L2 at
 * CPL 3 (and a link pointer again): its VMREAD is a #GP that L1
 * intercepts, 0, 0x80000b0d, 0, at the VMREAD (RIP offset 0). Last, in
 * the shadow VMCS: the RSP that L2 wrote, and the exit reason (L2's
 * value if it could write it, else 0).
 */
void l1_test_vmcs_shadowing(void)
{
	__u32 rev = l1_rdmsr(MSR_VMX_BASIC) & 0x7fffffff;
	__u64 cap = l1_rdmsr(MSR_VMX_PROCBASED_CTLS2) >> 32;
	__u64 any = !!(l1_rdmsr(MSR_VMX_MISC) & MISC_VMWRITE_ANY);
	__u8 *shadow = sh_pages[3], *rbm = sh_pages[4];

	guest_report(!!(cap & L1_PROC2_VMCS_SHADOWING));
	l1_vmx_on(sh_pages[0], sh_pages[1]);
	sh_make_shadow(shadow, rev);
	l1_vmptrld((__u64)sh_pages[1]);
	l1_vmcs_controls(L1_PROC_SECONDARY, sh_pages[2]);
	l1_vmcs_host();
	l1_vmcs_guest(l2_shadow, sh_stack + sizeof(sh_stack));
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(MSR_VMX_PROCBASED_CTLS2,
					   MSR_VMX_PROCBASED_CTLS2,
					   L1_PROC2_VMCS_SHADOWING));
	rbm[VMCS_EXIT_QUALIFICATION / 8] |= 1u << (VMCS_EXIT_QUALIFICATION & 7);
	l1_vmwrite(VMCS_VMREAD_BITMAP, (__u64)rbm);
	l1_vmwrite(VMCS_VMWRITE_BITMAP, (__u64)sh_pages[5]);
	l1_vmwrite(VMCS_LINK_PTR, (__u64)shadow);

	guest_report(sh_enter(1));			/* VMCALL 1 */
	sh_report_l2();
	l1_vmwrite(VMCS_EXCEPTION_BITMAP, 1u << EXCEPTION_GP);
	guest_report(sh_enter(0));			/* VMREAD, L1's */
	guest_report(l1_vmread(VMCS_EXIT_QUALIFICATION));
	guest_report(l1_vmread(VMCS_INSN_INFO) & 0xff000400u);
	l1_skip();
	guest_report(sh_enter(0));			/* #GP of a VMREAD */
	guest_report(l1_vmread(VMCS_EXIT_INTR_INFO));
	guest_report(l1_vmread(VMCS_EXIT_INTR_ERROR));
	l2_buf[1] = UNTOUCHED;
	sh_regs.rdx = (__u64)l2_buf;			/* it goes again */
	guest_report(sh_enter(0));			/* VMCALL 2 */
	guest_report(l1_vmread(VMCS_VM_INSTRUCTION_ERROR));
	sh_report_l2();
	guest_report(any);
	guest_report(sh_enter(0));			/* VMCALL 3 */
	guest_report(l1_vmread(VMCS_VM_INSTRUCTION_ERROR));
	sh_report_l2();
	guest_report(sh_enter(0));			/* VMREAD, L1's */
	l1_skip();
	guest_report(sh_enter(0));			/* VMCALL 4 */
	l1_vmwrite(VMCS_LINK_PTR, ~0ULL);
	l1_skip();
	guest_report(sh_enter(0));			/* VMCALL 5 */
	sh_report_l2();
	sh_user_l2();
	guest_report(sh_enter(0));			/* #GP at CPL 3 */
	guest_report(l1_vmread(VMCS_EXIT_INTR_INFO));
	guest_report(l1_vmread(VMCS_EXIT_INTR_ERROR));
	guest_report(l1_vmread(VMCS_GUEST_RIP) - (__u64)l2_user_vmread);

	l1_vmptrld((__u64)shadow);
	guest_report(l1_vmread(VMCS_GUEST_RSP));
	guest_report(l1_vmread(VMCS_EXIT_REASON));
	l1_vmx_off();
}
