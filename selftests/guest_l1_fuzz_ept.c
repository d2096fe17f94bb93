// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fuzzing L1's random EPT12s (guest code). For each probe L1 builds,
 * for one L2 address between 1 and 4 GiB, a random translation in its
 * EPT12: a 4 KiB, 2 MiB or 1 GiB leaf (a large page the capabilities do
 * not offer is a misconfiguration), random permissions at each level
 * (write-only and, without the capability, execute-only ones are
 * misconfigurations), random memory types (2, 3, 7: misconfigurations),
 * ignore-PAT, ignored bits, now and then a reserved bit, random accessed
 * and dirty flags when the EPT pointer enables them. Every translation
 * that its own walk (fz_ept_walk(), written from the SDM) finds permitted
 * reaches the scratch page of the sandbox, so L2 never reaches L1's
 * memory. Then L2 reads, writes or fetches there, and L1 checks the
 * outcome against its walk: an EPT violation (48) with the access, the
 * rights of the translation, the guest-physical and the linear address;
 * a misconfiguration (49) with the guest-physical address; or no exit,
 * the data of the scratch page, and the accessed and dirty flags.
 */
#include "guest.h"
#include "guest_l1_fuzz.h"

#define FZ_PROBE_TIMER		200000
#define FZ_GIB			(1ULL << 30)
#define FZ_MIB2			(1ULL << 21)
/* L2's probe program, copied into its code page. */
#define FZ_AT_READ		0	/* mov (%rsi), %al; vmcall */
#define FZ_AT_WRITE		16	/* mov %al, (%rsi); vmcall */
#define FZ_AT_FETCH		32	/* jmp *%rsi */

static unsigned int fz_maxphy;

enum {
	FZE_PROBES, FZE_PERMITTED, FZE_VIOLATIONS, FZE_MISCONFIGS, FZE_AD,
	FZE_ANOMALIES,
};

static __u64 fz_ecount[L1_FUZZ_EPT_COUNTERS];

static __u64 fz_above_maxphy(void)
{
	return ((1ULL << 52) - 1) & ~((1ULL << fz_maxphy) - 1);
}

static __u64 fz_addr_mask(void)
{
	return ((1ULL << fz_maxphy) - 1) & ~0xfffULL;
}

static bool fz_is_leaf(__u64 e, unsigned int level)
{
	return level == 1 || (level < 4 && (e & FZ_EPT_PS));
}

/* "EPT Misconfigurations", for a present entry. */
static bool fz_misconfigured(__u64 e, unsigned int level)
{
	__u64 caps = fz_ept_caps(), mt = (e >> 3) & 7;

	if ((e & 3) == 2)
		return true;			/* write, no read */
	if ((e & 7) == 4 && !(caps & FZ_CAP_EXEC_ONLY))
		return true;
	if (e & fz_above_maxphy())
		return true;
	if (level == 4)
		return e & 0xf8;		/* 7:3 */
	if (level > 1 && !(e & FZ_EPT_PS))
		return e & 0x78;		/* 6:3 */
	if (level == 3 && (!(caps & FZ_CAP_1G) || (e & 0x3ffff000ULL)))
		return true;
	if (level == 2 && (!(caps & FZ_CAP_2M) || (e & 0x1ff000ULL)))
		return true;
	return mt == 2 || mt == 3 || mt == 7;
}

/* L1's physical-address width, CPUID.80000008H:EAX[7:0]. */
static void fz_walk_init(void)
{
	__u32 a = 0x80000008, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	fz_maxphy = a & 0xff;
	if (fz_maxphy < 36 || fz_maxphy > 52)
		fz_maxphy = 36;
}

void fz_ept_walk(__u64 eptp, __u64 gpa, __u64 access, struct fz_walk *w)
{
	__u64 table, e = 0, size;
	unsigned int level;

	if (!fz_maxphy)
		fz_walk_init();
	table = eptp & fz_addr_mask();

	w->perms = FZ_EPT_RWX;
	w->pa = 0;
	for (level = 4; level >= 1; level--) {
		__u64 *p = (__u64 *)table + ((gpa >> (3 + 9 * level)) & 511);

		w->entry[level] = p;
		w->level = level;
		e = *p;
		w->perms &= e & FZ_EPT_RWX;
		if (!(e & FZ_EPT_RWX)) {
			w->result = FZ_WALK_VIOLATION;
			return;
		}
		if (fz_misconfigured(e, level)) {
			w->result = FZ_WALK_MISCONFIG;
			return;
		}
		if (fz_is_leaf(e, level))
			break;
		table = e & fz_addr_mask();
	}
	if ((access & w->perms) != access) {
		w->result = FZ_WALK_VIOLATION;
		return;
	}
	size = 1ULL << (3 + 9 * w->level);
	w->result = FZ_WALK_OK;
	w->pa = (e & fz_addr_mask() & ~(size - 1)) | (gpa & (size - 1));
}

/* One probe, as generated. */
struct fz_probe {
	__u64 index, seed;
	__u64 access, gva, e[4];	/* e[level]: the probe's entries */
	unsigned int leaf, pdpt, pd, pt;
	bool ad;
	__u8 tag, val;
};

/* Random entry bits: rights, memory type, ignored, A/D, reserved. */
static __u64 fz_entry(struct fz_probe *p, __u64 *s, unsigned int level,
		      __u64 target)
{
	__u64 r = fz_next(s), e = target;
	bool leaf = level == p->leaf;

	e |= r % 2 ? FZ_EPT_RWX : (r >> 1) & FZ_EPT_RWX;
	if (leaf) {
		e |= (r >> 4) % 4 ? FZ_EPT_WB : ((r >> 6) & 7) << 3;
		e |= r & (1ULL << 9) ? 1ULL << 6 : 0;		/* ignore PAT */
		if (level > 1)
			e |= FZ_EPT_PS;
	} else if ((r >> 10) % 32 == 0) {
		e |= FZ_EPT_PS;			/* a table taken for a page */
	}
	if (p->ad)
		e |= (r >> 11) & (leaf ? FZ_EPT_A | FZ_EPT_D : FZ_EPT_A);
	else
		e |= (r >> 8) & 0xf00;			/* ignored */
	if ((r >> 20) % 8 == 0)
		e |= fz_next(s) & 0xfff0000000000000ULL;	/* ignored */
	if ((r >> 23) % 8 == 0) {			/* reserved */
		__u64 b = fz_next(s);

		if (b % 3 == 0)
			e |= 1ULL << (fz_maxphy + (b >> 8) % (52 - fz_maxphy));
		else if (!leaf || b % 3 == 1)
			e |= 1ULL << (3 + (b >> 8) % 4);
		else if (level > 1)
			e |= 1ULL << (12 + (b >> 8) % (level == 3 ? 18 : 9));
	}
	return e;
}

/*
 * The probe's translation in EPT12, from the PDPT down to its leaf, for
 * the scratch page (offset @off): a permitted translation leads there.
 */
static void fz_probe_build(struct fz_probe *p, __u64 *s, __u64 off)
{
	__u64 r = fz_next(s), sc = (__u64)fz_l2.scratch, caps = fz_ept_caps();
	__u64 pd = (__u64)fz_ept12[FZ_EPT12_PROBE_PD];
	__u64 pt = (__u64)fz_ept12[FZ_EPT12_PROBE_PT];

	p->pdpt = 1 + r % 3;
	p->leaf = (r >> 2) % 8 < 4 ? 1 : (r >> 2) % 8 < 7 ? 2 : 3;
	p->pd = (r >> 8) & 511;
	p->pt = (r >> 17) & 511;
	p->ad = (caps & FZ_CAP_AD) && (r >> 26) % 2;
	p->access = 1ULL << ((r >> 27) % 3);
	p->gva = (__u64)p->pdpt * FZ_GIB + off;
	if (p->leaf == 3) {
		p->gva += sc;
	} else {
		p->gva += p->pd * FZ_MIB2;
		p->gva += p->leaf == 2 ? sc & (FZ_MIB2 - 1) : (__u64)p->pt << 12;
	}
	p->e[3] = fz_entry(p, s, 3, p->leaf == 3 ? 0 : pd);
	fz_ept12[FZ_EPT12_PDPT][p->pdpt] = p->e[3];
	p->e[2] = 0;
	p->e[1] = 0;
	if (p->leaf < 3) {
		p->e[2] = fz_entry(p, s, 2, p->leaf == 2 ? sc & ~(FZ_MIB2 - 1) :
				   pt);
		fz_ept12[FZ_EPT12_PROBE_PD][p->pd] = p->e[2];
	}
	if (p->leaf == 1) {
		p->e[1] = fz_entry(p, s, 1, sc);
		fz_ept12[FZ_EPT12_PROBE_PT][p->pt] = p->e[1];
	}
}

static void fz_probe_clear(const struct fz_probe *p)
{
	fz_ept12[FZ_EPT12_PDPT][p->pdpt] = 0;
	fz_ept12[FZ_EPT12_PROBE_PD][p->pd] = 0;
	fz_ept12[FZ_EPT12_PROBE_PT][p->pt] = 0;
}

static void fz_probe_bad(struct fz_probe *p, __u64 check, __u64 expect,
			 __u64 reason, __u64 qual)
{
	__u64 d[L1_FUZZ_BAD_WORDS - 4] = {
		p->access | p->leaf << 4 | p->ad << 8 | expect << 12 |
		p->pdpt << 16,
		reason, qual, p->gva, p->e[3], p->e[2], p->e[1],
	};

	fz_anomaly(2, p->index, p->seed, check, d);
	fz_ecount[FZE_ANOMALIES]++;
}

/* The exit of L2's access against L1's walk @w. */
static void fz_probe_check(struct fz_probe *p, const struct fz_walk *w,
			   const struct l1_regs *regs, __u64 byte)
{
	__u32 reason = l1_vmread(VMCS_EXIT_REASON);
	__u64 qual = l1_vmread(VMCS_EXIT_QUALIFICATION);
	__u64 gpa = l1_vmread(VMCS_GUEST_PHYS_ADDR), want, l;
	__u64 rip = l1_vmread(VMCS_GUEST_RIP), code = (__u64)fz_l2.code;

	if (w->result == FZ_WALK_OK) {
		want = p->access == FZ_EPT_R ? code + FZ_AT_READ + 2 :
		       p->access == FZ_EPT_W ? code + FZ_AT_WRITE + 2 : p->gva;
		if (reason != EXIT_VMCALL || rip != want)
			return fz_probe_bad(p, FZ_BAD_EPT_OUTCOME, 0,
					    regs->rax << 32 | reason, rip);
		if ((p->access == FZ_EPT_R && (__u8)regs->rax != p->tag) ||
		    (p->access == FZ_EPT_W && fz_l2.scratch[byte] != p->val))
			return fz_probe_bad(p, FZ_BAD_EPT_DATA, 0, reason,
					    regs->rax);
		for (l = w->level; l < 4 && p->ad; l++)
			if (!(*w->entry[l] & FZ_EPT_A) ||
			    (l == w->level && p->access == FZ_EPT_W &&
			     !(*w->entry[l] & FZ_EPT_D)))
				return fz_probe_bad(p, FZ_BAD_EPT_AD, 0, l,
						    *w->entry[l]);
		fz_ecount[FZE_PERMITTED]++;
		fz_ecount[FZE_AD] += p->ad;
		return;
	}
	want = p->access == FZ_EPT_X ? p->gva : p->gva + 3;
	if (w->result == FZ_WALK_MISCONFIG) {
		if (reason != EXIT_EPT_MISCONFIG)
			return fz_probe_bad(p, FZ_BAD_EPT_OUTCOME, 2, reason,
					    qual);
		if (gpa != want)
			return fz_probe_bad(p, FZ_BAD_EPT_ADDR, 2, reason, gpa);
		fz_ecount[FZE_MISCONFIGS]++;
		return;
	}
	if (reason != EXIT_EPT_VIOLATION)
		return fz_probe_bad(p, FZ_BAD_EPT_OUTCOME, 1, reason, qual);
	/* access, rights, linear address valid, for the page itself */
	if ((qual & ~(1ULL << 12)) != (p->access | w->perms << 3 | 0x180))
		return fz_probe_bad(p, FZ_BAD_QUAL, 1, reason, qual);
	if (gpa != want || l1_vmread(VMCS_GUEST_LINEAR_ADDR) != want)
		return fz_probe_bad(p, FZ_BAD_EPT_ADDR, 1, reason, gpa);
	fz_ecount[FZE_VIOLATIONS]++;
}

static void fz_probe_program(void)
{
	static const __u8 prog[] = {
		[FZ_AT_READ] = 0x8a, 0x06, 0x0f, 0x01, 0xc1,
		[FZ_AT_WRITE] = 0x88, 0x06, 0x0f, 0x01, 0xc1,
		[FZ_AT_FETCH] = 0xff, 0xe6,
	};
	unsigned int i;

	for (i = 0; i < sizeof(prog); i++)
		fz_l2.code[i] = prog[i];
}

/*
 * One probe: the translation, L2's access, the check. A translation
 * that L1's walk permits but that leads elsewhere than the scratch page
 * (a table turned into a page) loses its leaf's rights. Return: whether
 * L2 ran (VMLAUNCH or VMRESUME worked).
 */
static bool fz_probe(struct fz_probe *p, struct l1_regs *regs, bool launch)
{
	__u64 s = p->seed, k = fz_next(&s) % 1024, off = 4 * k, eptp;
	__u64 code = (__u64)fz_l2.code, sc = (__u64)fz_l2.scratch;
	struct fz_walk w;
	__u64 at;

	fz_probe_build(p, &s, off);
	at = p->access == FZ_EPT_X ? 0 : 3;	/* the opcode, or the tag */
	eptp = fz_eptp(p->ad);
	fz_ept_walk(eptp, p->gva + at, p->access, &w);
	if (w.result == FZ_WALK_OK && w.pa != sc + off + at) {
		*w.entry[w.level] &= ~FZ_EPT_RWX;
		p->e[w.level] = *w.entry[w.level];
		fz_ept_walk(eptp, p->gva + at, p->access, &w);
	}
	p->tag = fz_next(&s);
	p->val = fz_next(&s);
	fz_l2.scratch[off] = 0x0f;		/* vmcall */
	fz_l2.scratch[off + 1] = 0x01;
	fz_l2.scratch[off + 2] = 0xc1;
	fz_l2.scratch[off + 3] = p->tag;
	l1_vmwrite(VMCS_EPT_POINTER, eptp);
	fz_invept(eptp);
	l1_vmwrite(VMCS_GUEST_RIP, code + (p->access == FZ_EPT_R ? FZ_AT_READ :
		   p->access == FZ_EPT_W ? FZ_AT_WRITE : FZ_AT_FETCH));
	l1_vmwrite(VMCS_GUEST_RSP, FZ_L2_STACK_TOP);
	l1_vmwrite(VMCS_GUEST_RFLAGS, 2);
	regs->rsi = p->gva + at;
	regs->rax = p->val;
	if (l1_run(regs, launch)) {
		fz_probe_bad(p, FZ_BAD_VMFAIL, w.result,
			     l1_vmread(VMCS_VM_INSTRUCTION_ERROR),
			     l1_fail_flags);
		fz_probe_clear(p);
		return false;
	}
	fz_probe_check(p, &w, regs, off + 3);
	fz_probe_clear(p);
	return true;
}

/**
 * fz_ept_probes() - @n random EPT12 translations probed by L2
 * @seed: the seed; probe i has its own seed, the i-th draw from it
 * @first: the first probe that runs (to replay one)
 * @n: how many
 *
 * Reports the L1_FUZZ_EPT_COUNTERS counters (see the host).
 */
void fz_ept_probes(__u64 seed, __u64 first, __u64 n)
{
	struct l1_regs regs = { 0 };
	struct fz_probe p = { 0 };
	__u64 s = seed ^ 0x45505431324bULL;	/* "EPT12K" */
	bool launched = false;
	unsigned int i;

	fz_probe_program();
	fz_l2_vmcs((__u64)fz_l2.code, fz_eptp(false), FZ_PROBE_TIMER);
	for (p.index = 0; p.index < n; p.index++) {
		p.seed = fz_next(&s);
		if (p.index < first)
			continue;		/* replaying a later one */
		l1_fuzz_now[0] = p.index;
		l1_fuzz_now[1] = 2;
		l1_fuzz_now[2] = p.seed;
		fz_ecount[FZE_PROBES]++;
		if (fz_probe(&p, &regs, !launched))
			launched = true;
	}
	for (i = 0; i < L1_FUZZ_EPT_COUNTERS; i++)
		guest_report(fz_ecount[i]);
}
