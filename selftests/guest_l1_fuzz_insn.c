// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fuzzing L1's random L2 instruction streams (guest code): L2 runs a
 * code page from guest_l1_fuzz_gen.c in the sandbox of
 * guest_l1_fuzz_l2.c, under one of two sets of controls:
 *   - all exits: every exception, HLT, INVLPG, MWAIT, MONITOR, PAUSE,
 *     RDPMC, RDTSC(P), CR3 and CR8 loads and stores, MOV DR, all I/O,
 *     WBINVD, descriptor tables, no MSR bitmap, CR0/CR4 masks all ones;
 *   - few exits: no exception, I/O bitmaps (letting ports 0x80-0x8f
 *     through if asked), an MSR bitmap that lets every read through
 *     (writes exit), so that L0 handles L2's HLT, RDMSR, CR and DR
 *     accesses (and I/O), and its exceptions go through L2's IDT to a
 *     stub that ends in VMCALL.
 * At each L2 exit L1 checks what the SDM allows: a basic reason that its
 * controls can produce, bits 31:16 clear, an instruction length of 1-15
 * where there is one, valid interruption and IDT-vectoring information,
 * the I/O, CR-access, MOV-DR and EPT-violation qualifications (the last
 * against L1's own walk of its EPT12). Then it skips the instruction, or
 * restarts L2 at the next 16-byte slot after a fault, or ends the stream
 * (triple fault, L1's VMX-preemption timer, the cap on exits).
 */
#include <stdalign.h>

#include "guest.h"
#include "guest_l1_fuzz.h"

#define FZ_STREAM_TIMER		50000
#define FZ_SLOT			16
#define FZ_CR0_TS		(1ULL << 3)

void fz_gen_stream(__u8 *code, __u64 seed);

static alignas(4096) __u8 fz_io_bitmap[2][4096];
static __u8 fz_pristine[4096];

/* One stream: its identity, controls, and the exit under examination. */
struct fz_stream {
	__u64 index, seed;
	bool few;
	__u32 pin, proc, proc2, excbm;
	__u64 cr0_mask, cr0_shadow, cr4_mask;
	__u32 exits;
	/* the exit */
	__u32 reason, intr, idtv, len;
	__u64 qual, rip;
	struct l1_regs regs;
};

enum {
	FZC_STREAMS, FZC_FEW, FZC_EXITS, FZC_SKIPPED, FZC_EXCEPTIONS,
	FZC_L2_IDT, FZC_EPT, FZC_TRIPLE, FZC_TIMER, FZC_CAP, FZC_OTHER,
	FZC_BOCHS, FZC_ANOMALIES,
};

static __u64 fz_count[L1_FUZZ_STREAM_COUNTERS];

static void fz_bad(struct fz_stream *st, __u64 check)
{
	__u64 off = st->rip - (__u64)fz_l2.code, d[L1_FUZZ_BAD_WORDS - 4] = {
		(__u64)st->exits << 32 | st->len << 8 | st->few, st->reason,
		st->qual, st->rip, (__u64)st->intr << 32 | st->idtv, 0,
		l1_vmread(VMCS_GUEST_PHYS_ADDR),
	};
	unsigned int i;

	/* The 8 bytes generated at RIP (L2 may have rewritten them). */
	if (off < 4096 - 8)
		for (i = 0; i < 8; i++)
			d[5] |= (__u64)fz_pristine[off + i] << (8 * i);
	fz_anomaly(1, st->index, st->seed, check, d);
	fz_count[FZC_ANOMALIES]++;
}

/* Exits that report the length of the instruction that caused them. */
static bool fz_has_length(__u32 basic)
{
	static const __u8 insn[] = {
		10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25,
		26, 27, 28, 29, 30, 31, 32, 36, 39, 40, 46, 47, 50, 51, 53,
		54, 55, 58,
	};
	unsigned int i;

	for (i = 0; i < sizeof(insn); i++)
		if (insn[i] == basic)
			return true;
	return false;
}

static bool fz_has_error_code(__u32 vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) ||
	       vector == 17 || vector == 21;
}

/*
 * Event information ("Information for VM Exits Due to Vectored Events",
 * "Information for VM Exits During Event Delivery"): type and vector
 * consistent, reserved bits clear, an error code exactly for the hardware
 * exceptions that have one. @exit: the exit's own information, where
 * type 4 (software interrupt) and bit 12's neighbours are not used.
 */
static bool fz_event_ok(__u32 info, bool exit)
{
	__u32 type = (info >> 8) & 7, vector = info & 0xff;
	bool err = info & (1u << 11);

	if (!(info & (1u << 31)))
		return !info;
	if (info & 0x7fffe000u)
		return false;
	switch (type) {
	case 0:
		return !exit;
	case 2:
		return vector == 2 && !err;
	case 3:
		return vector < 32 && vector != 2 &&
		       err == fz_has_error_code(vector);
	case 4:
		return !exit && !err;
	case 5:
		return vector == 1 && !err;
	case 6:
		return (vector == 3 || vector == 4) && !err;
	default:
		return false;
	}
}

/* Does L1's I/O bitmap intercept @size bytes from @port? */
static bool fz_io_intercepted(__u32 port, __u32 size)
{
	__u32 p;

	if (port + size > 0x10000)
		return true;			/* wraps: always exits */
	for (p = port; p < port + size; p++)
		if (fz_io_bitmap[p >> 15][(p & 0x7fff) >> 3] & (1 << (p & 7)))
			return true;
	return false;
}

static bool fz_io_qual_ok(const struct fz_stream *st)
{
	__u64 q = st->qual;
	__u32 size = (q & 7) + 1, port = (q >> 16) & 0xffff;

	if ((q & ~0xffff007fULL) || size == 3 || size > 4)
		return false;
	if ((q & (1 << 6)) && port > 0xff)
		return false;
	return (st->proc & FZ_PROC_UNCOND_IO) ||
	       ((st->proc & FZ_PROC_IO_BITMAPS) &&
		fz_io_intercepted(port, size));
}

/* "Exit Qualification for Control-Register Accesses", and the control. */
static bool fz_cr_qual_ok(const struct fz_stream *st)
{
	__u64 q = st->qual;
	__u32 cr = q & 15, type = (q >> 4) & 3;

	if ((q & ~0xffff0fffULL) || (q & (1 << 7)))
		return false;
	if (type != 3 && (q & 0xffff0040ULL))
		return false;			/* LMSW fields */
	switch (type) {
	case 0:
		return (cr == 0 && st->cr0_mask) ||
		       (cr == 3 && (st->proc & FZ_PROC_CR3_LOAD)) ||
		       (cr == 4 && st->cr4_mask) ||
		       (cr == 8 && (st->proc & FZ_PROC_CR8_LOAD));
	case 1:
		return (cr == 3 && (st->proc & FZ_PROC_CR3_STORE)) ||
		       (cr == 8 && (st->proc & FZ_PROC_CR8_STORE));
	case 2:
		return cr == 0 && (st->cr0_mask & st->cr0_shadow & FZ_CR0_TS);
	default:
		return cr == 0 && (st->cr0_mask & 0xf);
	}
}

/* An EPT violation: the qualification against L1's walk of EPT12. */
static bool fz_ept_qual_ok(__u64 q, __u64 gpa)
{
	__u64 access = q & 7, rights = (q >> 3) & 7;
	struct fz_walk w;

	if ((q & ~0x11bfULL) || !access)
		return false;
	/* The access kinds reported, one at a time, in L1's EPT12. */
	fz_ept_walk(fz_eptp(false), gpa, access & FZ_EPT_R ? FZ_EPT_R :
		    access & FZ_EPT_W ? FZ_EPT_W : FZ_EPT_X, &w);
	if (w.result == FZ_WALK_MISCONFIG || rights != w.perms)
		return false;
	return (access & ~w.perms) != 0;
}

/* Can L1's controls produce this exit, and is its information valid? */
static __u64 fz_check(struct fz_stream *st)
{
	__u32 basic = st->reason & 0xffff, ecx = st->regs.rcx;
	bool ok;

	if (st->reason >> 16)
		return FZ_BAD_REASON;
	if (fz_has_length(basic) && (st->len < 1 || st->len > 15))
		return FZ_BAD_LENGTH;
	if (!fz_event_ok(st->idtv, false))
		return FZ_BAD_IDT_VEC;
	if ((st->idtv >> 31) && ((st->idtv >> 8) & 7) >= 4 &&
	    (st->len < 1 || st->len > 15))
		return FZ_BAD_LENGTH;
	switch (basic) {
	case 0:
		if (!(st->intr >> 31) || !fz_event_ok(st->intr, true))
			return FZ_BAD_INTR_INFO;
		if (((st->intr >> 8) & 7) == 2 ||
		    !(st->excbm & (1u << (st->intr & 31))))
			return FZ_BAD_REASON;
		if (((st->intr >> 8) & 7) >= 5 && (st->len < 1 || st->len > 15))
			return FZ_BAD_LENGTH;
		return 0;
	case 2: case 9: case 10: case 11: case 13: case 18: case 19:
	case 20: case 21: case 22: case 23: case 24: case 25: case 26:
	case 27: case 32: case 50: case 53: case 55:
		return 0;
	case 12:
		ok = st->proc & FZ_PROC_HLT;
		break;
	case 14:
		ok = st->proc & FZ_PROC_INVLPG;
		break;
	case 15:
		ok = st->proc & FZ_PROC_RDPMC;
		break;
	case 16:
		ok = st->proc & FZ_PROC_RDTSC;
		break;
	case 28:
		return fz_cr_qual_ok(st) ? 0 : FZ_BAD_QUAL;
	case 29:
		/*
		 * Bochs 2.7 exits for MOV DR8-15 (REX.R) with the register
		 * number in bits 3:0, where the CPU raises #UD first.
		 */
		if (st->qual & 8)
			fz_count[FZC_BOCHS]++;
		if (st->qual & ~0xf1fULL)
			return FZ_BAD_QUAL;
		ok = st->proc & FZ_PROC_MOV_DR;
		break;
	case 30:
		return fz_io_qual_ok(st) ? 0 : FZ_BAD_QUAL;
	case 31:	/* the MSR bitmap lets every read through */
		ok = !(st->proc & FZ_PROC_MSR_BITMAPS) ||
		     (ecx > 0x1fff && (ecx < 0xc0000000 || ecx > 0xc0001fff));
		break;
	case 36:
		ok = st->proc & FZ_PROC_MWAIT;
		break;
	case 39:
		ok = st->proc & FZ_PROC_MONITOR;
		break;
	case 40:
		ok = st->proc & FZ_PROC_PAUSE;
		break;
	case 46:
	case 47:
		ok = st->proc2 & FZ_PROC2_DESC;
		break;
	case 48:
		return fz_ept_qual_ok(st->qual,
				      l1_vmread(VMCS_GUEST_PHYS_ADDR)) ?
		       0 : FZ_BAD_QUAL;
	case 51:
		ok = (st->proc & FZ_PROC_RDTSC) && (st->proc2 & FZ_PROC2_RDTSCP);
		break;
	case 52:
		ok = st->pin & FZ_PIN_TIMER;
		break;
	case 54:
		ok = st->proc2 & FZ_PROC2_WBINVD;
		break;
	case 58:
		ok = (st->proc & FZ_PROC_INVLPG) &&
		     (st->proc2 & FZ_PROC2_INVPCID);
		break;
	default:	/* 49 too: this EPT12 has no misconfiguration */
		ok = false;
		break;
	}
	return ok ? 0 : FZ_BAD_REASON;
}

/* Few exits: I/O and MSR bitmaps. All exits: every control offered. */
#define FZ_FEW_PROC	(FZ_PROC_IO_BITMAPS | FZ_PROC_MSR_BITMAPS | \
			 FZ_PROC_SECONDARY)
#define FZ_FEW_PROC2	(FZ_PROC2_EPT | FZ_PROC2_RDTSCP | FZ_PROC2_INVPCID)
#define FZ_ALL_PROC	(FZ_PROC_HLT | FZ_PROC_INVLPG | FZ_PROC_MWAIT | \
			 FZ_PROC_RDPMC | FZ_PROC_RDTSC | FZ_PROC_CR3_LOAD | \
			 FZ_PROC_CR3_STORE | FZ_PROC_CR8_LOAD | \
			 FZ_PROC_CR8_STORE | FZ_PROC_MOV_DR | \
			 FZ_PROC_UNCOND_IO | FZ_PROC_MONITOR | \
			 FZ_PROC_PAUSE | FZ_PROC_SECONDARY)
#define FZ_ALL_PROC2	(FZ_PROC2_EPT | FZ_PROC2_DESC | FZ_PROC2_RDTSCP | \
			 FZ_PROC2_WBINVD | FZ_PROC2_INVPCID)

/* The controls of one stream, and what the VMCS12 then really holds. */
static void fz_stream_vmcs(struct fz_stream *st)
{
	__u64 cr0, cr4, mask = st->few ? 0 : ~0ULL;

	fz_l2_vmcs((__u64)fz_l2.code, fz_eptp(false), FZ_STREAM_TIMER);
	asm volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	l1_vmwrite(VMCS_PROC_CTLS, l1_ctl(0x482, 0x48e, st->few ?
					  FZ_FEW_PROC : FZ_ALL_PROC));
	l1_vmwrite(VMCS_PROC2_CTLS, l1_ctl(0x48b, 0x48b, st->few ?
					   FZ_FEW_PROC2 : FZ_ALL_PROC2));
	l1_vmwrite(VMCS_IO_BITMAP_A, (__u64)fz_io_bitmap[0]);
	l1_vmwrite(VMCS_IO_BITMAP_B, (__u64)fz_io_bitmap[1]);
	l1_vmwrite(VMCS_EXCEPTION_BITMAP, mask);
	l1_vmwrite(VMCS_CR0_MASK, mask);
	l1_vmwrite(VMCS_CR4_MASK, mask);
	/* CLTS exits when L1 owns CR0.TS and its shadow has TS set. */
	l1_vmwrite(VMCS_CR0_SHADOW, cr0 | FZ_CR0_TS);
	l1_vmwrite(VMCS_CR4_SHADOW, cr4);
	l1_vmwrite(VMCS_PFEC_MASK, 0);
	l1_vmwrite(VMCS_PFEC_MATCH, 0);
	st->pin = l1_vmread(VMCS_PIN_CTLS);
	st->proc = l1_vmread(VMCS_PROC_CTLS);
	st->proc2 = l1_vmread(VMCS_PROC2_CTLS);
	st->excbm = l1_vmread(VMCS_EXCEPTION_BITMAP);
	st->cr0_mask = l1_vmread(VMCS_CR0_MASK);
	st->cr0_shadow = l1_vmread(VMCS_CR0_SHADOW);
	st->cr4_mask = l1_vmread(VMCS_CR4_MASK);
}

/*
 * Go on at the 16-byte slot after @from (an address in the code page),
 * on a fresh stack with interrupts off. Return: false past the page.
 */
static bool fz_restart(__u64 from)
{
	__u64 off = from - (__u64)fz_l2.code;

	off = (off / FZ_SLOT + 1) * FZ_SLOT;
	if (off >= 4096 - FZ_SLOT)
		return false;
	l1_vmwrite(VMCS_GUEST_RIP, (__u64)fz_l2.code + off);
	l1_vmwrite(VMCS_GUEST_RSP, FZ_L2_STACK_TOP);
	l1_vmwrite(VMCS_GUEST_RFLAGS, 2);
	l1_vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	l1_vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	l1_vmwrite(VMCS_GUEST_ACTIVITY, 0);
	return true;
}

/* L2 went through its IDT to a stub: restart after the RIP it pushed. */
static bool fz_from_stub(const struct fz_stream *st)
{
	__u64 rsp = l1_vmread(VMCS_GUEST_RSP), code = (__u64)fz_l2.code;
	__u32 vector = (st->rip - (__u64)fz_l2.stubs) / FZ_STUB_SIZE;
	__u64 rip0, rip1;

	if (rsp < (__u64)fz_l2.stack || rsp > FZ_L2_STACK_TOP - 16)
		return false;
	rip0 = *(__u64 *)rsp;
	rip1 = *(__u64 *)(rsp + 8);
	if (fz_has_error_code(vector) && rip1 - code < 4096)
		return fz_restart(rip1);
	if (rip0 - code < 4096)
		return fz_restart(rip0);
	return rip1 - code < 4096 && fz_restart(rip1);
}

/* What L1 does after a checked exit. Return: false to end the stream. */
static bool fz_next_step(struct fz_stream *st)
{
	__u32 basic = st->reason & 0xffff;
	__u64 code = (__u64)fz_l2.code;

	switch (basic) {
	case 52:
		fz_count[FZC_TIMER]++;
		return false;
	case 2:
		fz_count[FZC_TRIPLE]++;
		return false;
	case 0:
		fz_count[FZC_EXCEPTIONS]++;
		return st->rip - code < 4096 && fz_restart(st->rip);
	case 48:
		fz_count[FZC_EPT]++;
		return st->rip - code < 4096 && fz_restart(st->rip);
	case 18:
		if (st->rip - (__u64)fz_l2.stubs < 256 * FZ_STUB_SIZE) {
			fz_count[FZC_L2_IDT]++;
			return fz_from_stub(st);
		}
		break;
	default:
		break;
	}
	if (!fz_has_length(basic)) {
		fz_count[FZC_OTHER]++;
		return st->rip - code < 4096 && fz_restart(st->rip);
	}
	fz_count[FZC_SKIPPED]++;
	l1_vmwrite(VMCS_GUEST_RIP, st->rip + st->len);
	return true;
}

static void fz_stream(struct fz_stream *st, __u64 max_exits)
{
	unsigned int i;

	fz_gen_stream(fz_l2.code, st->seed);
	for (i = 0; i < 4096; i++)
		fz_pristine[i] = fz_l2.code[i];
	fz_stream_vmcs(st);
	for (st->exits = 0; st->exits < max_exits; st->exits++) {
		__u64 check;

		if (l1_run(&st->regs, !st->exits)) {
			st->reason = l1_fail_flags << 32 |
				     l1_vmread(VMCS_VM_INSTRUCTION_ERROR);
			fz_bad(st, FZ_BAD_VMFAIL);
			return;
		}
		fz_count[FZC_EXITS]++;
		st->reason = l1_vmread(VMCS_EXIT_REASON);
		st->qual = l1_vmread(VMCS_EXIT_QUALIFICATION);
		st->intr = l1_vmread(VMCS_EXIT_INTR_INFO);
		st->idtv = l1_vmread(VMCS_IDT_VEC_INFO);
		st->len = l1_vmread(VMCS_EXIT_INSN_LEN);
		st->rip = l1_vmread(VMCS_GUEST_RIP);
		check = fz_check(st);
		if (check) {
			fz_bad(st, check);
			return;
		}
		if (!fz_next_step(st))
			return;
	}
	fz_count[FZC_CAP]++;
}

/**
 * fz_streams() - @n random L2 instruction streams from @seed
 * @seed: the seed; stream i has its own seed, the i-th draw from it
 * @first: the first stream that runs (to replay one)
 * @n: how many streams (half of them, at random, with few exits)
 * @max_exits: L2 exits per stream at most
 * @l0_io: the few-exit streams' ports 0x80-0x8f go to L0 (their string
 *	   I/O from pages EPT12 does not map ends in an internal error:
 *	   not the default)
 *
 * Reports the L1_FUZZ_STREAM_COUNTERS counters (see the host).
 */
void fz_streams(__u64 seed, __u64 first, __u64 n, __u64 max_exits,
		bool l0_io)
{
	struct fz_stream st = { 0 };
	__u64 s = seed ^ 0x53545245414dULL;	/* "STREAM" */
	unsigned int i, p;

	for (i = 0; i < 2; i++)
		for (p = 0; p < 4096; p++)
			fz_io_bitmap[i][p] = 0xff;
	for (p = 0x80; p < 0x90 && l0_io; p += 8)
		fz_io_bitmap[0][p / 8] = 0;
	for (st.index = 0; st.index < n; st.index++) {
		st.seed = fz_next(&s);
		if (st.index < first)
			continue;		/* replaying a later one */
		st.few = st.seed >> 63;
		l1_fuzz_now[0] = st.index;
		l1_fuzz_now[1] = 1;
		l1_fuzz_now[2] = st.seed;
		fz_count[FZC_STREAMS]++;
		fz_count[FZC_FEW] += st.few;
		fz_stream(&st, max_exits);
	}
	for (i = 0; i < L1_FUZZ_STREAM_COUNTERS; i++)
		guest_report(fz_count[i]);
}
