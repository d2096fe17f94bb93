// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generator of the fuzzing L1's random L2 instruction streams (guest
 * code): a code page of random bytes mixed with instructions chosen to
 * reach L1 or L0 (CPUID, RDMSR/WRMSR of chosen MSRs, port I/O and string
 * I/O, MOV to and from CR0/2/3/4/8 and the DRs, HLT, PAUSE, INVLPG,
 * RDTSC(P), RDPMC, the VMX instructions, the descriptor-table
 * instructions, INT n, INT1, INT3, UD2, ...), each with random legacy and
 * REX prefixes now and then and its operands loaded by a MOV just before
 * it. The stream depends only on the seed it is given.
 */
#include "guest.h"
#include "guest_l1_fuzz.h"

#define FZ_GEN_MARGIN		40	/* the longest item fits */

struct fz_gen {
	__u8 *c;
	unsigned int at;
	__u64 *s;
};

static void emit(struct fz_gen *g, unsigned int n, const __u8 *b)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		g->c[g->at++] = b[i];
}

#define EMIT(g, ...) \
	do { \
		static const __u8 __b[] = { __VA_ARGS__ }; \
		emit(g, sizeof(__b), __b); \
	} while (0)

/* mov $@v, %r@reg (REX.W B8+r, imm64) */
static void emit_mov(struct fz_gen *g, unsigned int reg, __u64 v)
{
	unsigned int i;

	g->c[g->at++] = 0x48 | (reg >> 3);
	g->c[g->at++] = 0xb8 + (reg & 7);
	for (i = 0; i < 8; i++)
		g->c[g->at++] = v >> (8 * i);
}

static __u64 pick(struct fz_gen *g, const __u64 *v, unsigned int n)
{
	return v[fz_next(g->s) % n];
}

static __u64 fz_msr(struct fz_gen *g)
{
	static const __u64 msrs[] = {
		0x10, 0x1b, 0x3a, 0x48, 0x49, 0xce, 0x174, 0x175, 0x176,
		0x1d9, 0x277, 0x480, 0x481, 0x48b, 0x48c, 0x491, 0x6e0, 0x802,
		0x808, 0x830, 0xc0000080, 0xc0000081, 0xc0000082, 0xc0000100,
		0xc0000101, 0xc0000102, 0xc0000103, 0xc0010000,
	};
	__u64 r = fz_next(g->s);

	switch (r % 4) {
	case 0:
		return (__u32)fz_next(g->s);
	case 1:
		return (r >> 8) % 0x2000 + (r & 0x100 ? 0xc0000000 : 0);
	default:
		return pick(g, msrs, FZ_ARRAY_SIZE(msrs));
	}
}

static __u64 fz_port(struct fz_gen *g)
{
	static const __u64 ports[] = {
		0x80, 0x84, 0x8f, 0x8e, 0xe0, 0xe4, 0xe7, 0x3f8, 0x70, 0x71,
		0xcf8, 0xcfc, 0x61, 0xffff,
	};

	return fz_next(g->s) & 1 ? (__u16)fz_next(g->s) :
	       pick(g, ports, FZ_ARRAY_SIZE(ports));
}

/* A memory operand: L2's own pages, L1's, MMIO, nowhere, non-canonical. */
static __u64 fz_addr(struct fz_gen *g)
{
	__u64 r = fz_next(g->s), off = (r >> 8) & 0xff8;

	switch (r % 8) {
	case 0:
		return (__u64)fz_l2.stack + off;
	case 1:
		return (__u64)fz_l2.code + off;
	case 2:
		return (__u64)fz_l2.scratch + off;
	case 3:
		return (__u64)fz_ept12 + off;		/* L1's: no EPT12 */
	case 4:
		return GUEST_MMIO_GPA + off;
	case 5:
		return 0x8000000000000000ULL | fz_next(g->s);
	case 6:
		return (__u64)fz_l2.idt + off;
	default:
		return (__u32)fz_next(g->s);
	}
}

static __u64 fz_cr_value(struct fz_gen *g, unsigned int cr)
{
	__u64 v, r = fz_next(g->s);

	switch (cr) {
	case 0:
		asm volatile("mov %%cr0, %0" : "=r"(v));
		break;
	case 3:
		v = r & 1 ? (__u64)fz_l2.pt[0] : fz_addr(g) & ~0xfffULL;
		return v;
	case 4:
		asm volatile("mov %%cr4, %0" : "=r"(v));
		break;
	case 8:
		return r >> 60;
	default:
		return fz_next(g->s);
	}
	return r & 1 ? v ^ (1ULL << ((r >> 8) % 32)) : v;
}

static void emit_prefixes(struct fz_gen *g)
{
	static const __u64 pfx[] = {
		0x66, 0x67, 0xf2, 0xf3, 0x2e, 0x3e, 0x26, 0x64, 0x65, 0x36,
		0xf0, 0x40, 0x41, 0x44, 0x48, 0x4c,
	};
	__u64 r = fz_next(g->s);
	unsigned int n = r % 8 < 6 ? 0 : 1 + (r >> 8) % 3;

	while (n--)
		g->c[g->at++] = pick(g, pfx, FZ_ARRAY_SIZE(pfx));
}

/* MOV to or from CR0/2/3/4/8 (CR8 with REX.R), or a DR. */
static void emit_mov_cr_dr(struct fz_gen *g, __u64 r)
{
	static const __u64 crs[] = { 0, 2, 3, 4, 8 };
	unsigned int cr = pick(g, crs, FZ_ARRAY_SIZE(crs)), reg = (r >> 16) % 8;
	bool to = r & 0x100, dr = r & 0x200;

	if (reg == 4)
		reg = 0;			/* keep RSP */
	if (dr)
		cr = (r >> 20) % 8;
	if (to)
		emit_mov(g, reg, dr ? fz_next(g->s) : fz_cr_value(g, cr));
	if (cr == 8)
		g->c[g->at++] = 0x44;
	g->c[g->at++] = 0x0f;
	g->c[g->at++] = (dr ? 0x21 : 0x20) | (to ? 2 : 0);
	g->c[g->at++] = 0xc0 | (cr & 7) << 3 | reg;
}

/* Port I/O: IN/OUT imm8 or DX, INS/OUTS (maybe REP) on L2's stack. */
static void emit_io(struct fz_gen *g, __u64 r)
{
	__u64 port = fz_port(g);

	switch ((r >> 8) % 3) {
	case 0:
		g->c[g->at++] = 0xe4 | ((r >> 12) & 3);	/* IN/OUT imm8 */
		g->c[g->at++] = port;
		return;
	case 1:
		emit_mov(g, 2, port);
		g->c[g->at++] = 0xec | ((r >> 12) & 3);	/* IN/OUT DX */
		return;
	default:
		emit_mov(g, 2, port);
		emit_mov(g, 6, (__u64)fz_l2.stack + 64);
		emit_mov(g, 7, (__u64)fz_l2.stack + 2048);
		emit_mov(g, 1, (r >> 16) % 5);
		if (r & 0x4000)
			g->c[g->at++] = 0xf3;		/* REP */
		g->c[g->at++] = 0x6c | ((r >> 12) & 3);	/* INS/OUTS */
		return;
	}
}

/* An instruction as bytes. */
struct fz_op {
	__u8 len;
	__u8 b[5];
};

/* The VMX instructions; memory operands [rax], registers rax and rcx. */
static const struct fz_op fz_vmx_ops[] = {
	{ 3, { 0x0f, 0x01, 0xc1 } },			/* VMCALL */
	{ 3, { 0x0f, 0x01, 0xc2 } },			/* VMLAUNCH */
	{ 3, { 0x0f, 0x01, 0xc3 } },			/* VMRESUME */
	{ 3, { 0x0f, 0x01, 0xc4 } },			/* VMXOFF */
	{ 3, { 0x0f, 0x78, 0xc8 } },			/* VMREAD */
	{ 3, { 0x0f, 0x79, 0xc8 } },			/* VMWRITE */
	{ 3, { 0x0f, 0xc7, 0x30 } },			/* VMPTRLD */
	{ 3, { 0x0f, 0xc7, 0x38 } },			/* VMPTRST */
	{ 4, { 0x66, 0x0f, 0xc7, 0x30 } },		/* VMCLEAR */
	{ 4, { 0xf3, 0x0f, 0xc7, 0x30 } },		/* VMXON */
	{ 5, { 0x66, 0x0f, 0x38, 0x80, 0x08 } },	/* INVEPT */
	{ 5, { 0x66, 0x0f, 0x38, 0x81, 0x08 } },	/* INVVPID */
	{ 3, { 0x0f, 0x01, 0xd4 } },			/* VMFUNC */
};

/* Other privileged or exiting instructions, operands as above. */
static const struct fz_op fz_misc_ops[] = {
	{ 1, { 0xf4 } },				/* HLT */
	{ 2, { 0xf3, 0x90 } },				/* PAUSE */
	{ 3, { 0x0f, 0x01, 0x38 } },			/* INVLPG */
	{ 2, { 0x0f, 0x31 } },				/* RDTSC */
	{ 3, { 0x0f, 0x01, 0xf9 } },			/* RDTSCP */
	{ 2, { 0x0f, 0x33 } },				/* RDPMC */
	{ 3, { 0x0f, 0x01, 0x10 } },			/* LGDT */
	{ 3, { 0x0f, 0x01, 0x00 } },			/* SGDT */
	{ 3, { 0x0f, 0x01, 0x18 } },			/* LIDT */
	{ 3, { 0x0f, 0x01, 0x08 } },			/* SIDT */
	{ 3, { 0x0f, 0x00, 0xd1 } },			/* LLDT cx */
	{ 3, { 0x0f, 0x00, 0xc1 } },			/* SLDT cx */
	{ 3, { 0x0f, 0x00, 0xd9 } },			/* LTR cx */
	{ 3, { 0x0f, 0x00, 0xc9 } },			/* STR cx */
	{ 3, { 0x0f, 0x01, 0xc8 } },			/* MONITOR */
	{ 3, { 0x0f, 0x01, 0xc9 } },			/* MWAIT */
	{ 3, { 0x0f, 0x01, 0xd1 } },			/* XSETBV */
	{ 3, { 0x0f, 0x01, 0xd0 } },			/* XGETBV */
	{ 2, { 0x0f, 0x08 } },				/* INVD */
	{ 2, { 0x0f, 0x09 } },				/* WBINVD */
	{ 2, { 0x0f, 0x37 } },				/* GETSEC */
	{ 2, { 0x0f, 0x06 } },				/* CLTS */
	{ 3, { 0x0f, 0x01, 0xf0 } },			/* LMSW ax */
	{ 3, { 0x0f, 0x01, 0xe0 } },			/* SMSW ax */
	{ 5, { 0x66, 0x0f, 0x38, 0x82, 0x08 } },	/* INVPCID */
	{ 2, { 0x0f, 0xaa } },				/* RSM */
};

/* Events and control flow: INT1, INT3, INTO, UD2, IRETQ, SYSCALL... */
static const struct fz_op fz_event_ops[] = {
	{ 1, { 0xf1 } },				/* INT1 */
	{ 1, { 0xcc } },				/* INT3 */
	{ 1, { 0xce } },				/* INTO */
	{ 2, { 0x0f, 0x0b } },				/* UD2 */
	{ 2, { 0x48, 0xcf } },				/* IRETQ */
	{ 2, { 0x0f, 0x05 } },				/* SYSCALL */
	{ 2, { 0x0f, 0x34 } },				/* SYSENTER */
	{ 1, { 0xfb } },				/* STI */
	{ 2, { 0x9c, 0x9d } },				/* PUSHF; POPF */
};

static void emit_op(struct fz_gen *g, const struct fz_op *ops, unsigned int n)
{
	const struct fz_op *o = &ops[fz_next(g->s) % n];

	emit(g, o->len, o->b);
}

static void emit_item(struct fz_gen *g)
{
	__u64 r = fz_next(g->s);
	unsigned int i, n;

	if (r % 4 == 0) {				/* random bytes */
		n = 1 + (r >> 8) % 6;
		for (i = 0; i < n; i++)
			g->c[g->at++] = fz_next(g->s);
		return;
	}
	emit_prefixes(g);
	switch ((r >> 4) % 10) {
	case 0:
		emit_mov(g, 0, fz_next(g->s) % 0x20 |
			 (r & 0x100 ? 0x80000000 : 0));
		emit_mov(g, 1, fz_next(g->s) % 4);
		EMIT(g, 0x0f, 0xa2);			/* CPUID */
		break;
	case 1:
	case 2:
		emit_mov(g, 1, fz_msr(g));
		emit_mov(g, 0, fz_next(g->s));
		emit_mov(g, 2, fz_next(g->s) & 0xffffffff);
		if (r & 0x100)
			EMIT(g, 0x0f, 0x30);		/* WRMSR */
		else
			EMIT(g, 0x0f, 0x32);		/* RDMSR */
		break;
	case 3:
		emit_io(g, r);
		break;
	case 4:
		emit_mov_cr_dr(g, r);
		break;
	case 5:
		emit_mov(g, 0, fz_addr(g));
		emit_mov(g, 1, fz_next(g->s) & 0x6c1e);	/* a field, maybe */
		emit_op(g, fz_vmx_ops, FZ_ARRAY_SIZE(fz_vmx_ops));
		break;
	case 6:
	case 7:
		emit_mov(g, 0, fz_addr(g));
		emit_mov(g, 1, fz_next(g->s) % 0x40);
		emit_op(g, fz_misc_ops, FZ_ARRAY_SIZE(fz_misc_ops));
		break;
	case 8:
		g->c[g->at++] = 0xcd;			/* INT n */
		g->c[g->at++] = r >> 16;
		break;
	default:
		emit_op(g, fz_event_ops, FZ_ARRAY_SIZE(fz_event_ops));
		break;
	}
}

/**
 * fz_gen_stream() - fill @code (4 KiB) with a stream from @seed
 * @code: L2's code page
 * @seed: the stream's own seed
 */
void fz_gen_stream(__u8 *code, __u64 seed)
{
	struct fz_gen g = { code, 0, &seed };

	while (g.at < 4096 - FZ_GEN_MARGIN)
		emit_item(&g);
	while (g.at < 4096)
		code[g.at++] = fz_next(&seed);
}
