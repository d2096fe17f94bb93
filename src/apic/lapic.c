// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC of lapic.h: registers, priorities, EOI, IPIs as
 * requests, the timer. Return values of the accessors: 0; -EINVAL for a
 * register that does not exist in the mode or a value with reserved bits
 * (x2APIC: #GP; xAPIC MMIO: ignored, with ESR's illegal-register bit);
 * -EPERM for a write of a read-only register (x2APIC: #GP; xAPIC:
 * ignored).
 */
#include "lapic.h"

#define REG(l, off)		((l)->regs[(off) >> 2])
#define VEC_REG(base, v)	((base) + ((v) >> 5) * 0x10)
#define VEC_BIT(v)		(1U << ((v) & 31))

#define ICR_LOW_MASK		0x000ccfffU	/* vector..trigger, shorthand */
#define ICR_STATUS		BIT(12)
#define SVR_MASK		(0xffU | LAPIC_SVR_ENABLE | BIT(9))
#define LVT_TIMER_MASK		(0xffU | LAPIC_LVT_MASKED | (3U << 17))
#define LVT_DM_MASK		(0xffU | (7U << 8) | LAPIC_LVT_MASKED)
#define LVT_LINT_MASK		(LVT_DM_MASK | BIT(13) | LAPIC_LVT_LEVEL)
#define LVT_ERROR_MASK		(0xffU | LAPIC_LVT_MASKED)
#define DIVIDE_MASK		0xbU

static const u32 lapic_lvts[] = {
	LAPIC_LVT_TIMER, LAPIC_LVT_THERMAL, LAPIC_LVT_PERF,
	LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR,
};

static bool vec_test(const struct lapic *l, u32 base, u8 v)
{
	return REG(l, VEC_REG(base, v)) & VEC_BIT(v);
}

static void vec_set(struct lapic *l, u32 base, u8 v, bool on)
{
	if (on)
		REG(l, VEC_REG(base, v)) |= VEC_BIT(v);
	else
		REG(l, VEC_REG(base, v)) &= ~VEC_BIT(v);
}

/* The highest vector set in the ISR, TMR or IRR at @base, or -1. */
static int vec_highest(const struct lapic *l, u32 base)
{
	int i, b;

	for (i = 7; i >= 0; i--) {
		u32 r = REG(l, base + i * 0x10);

		for (b = 31; r && b >= 0; b--)
			if (r & (1U << b))
				return i * 32 + b;
	}
	return -1;
}

static bool lapic_sw_enabled(const struct lapic *l)
{
	return REG(l, LAPIC_SVR) & LAPIC_SVR_ENABLE;
}

/* The state at power-up and after INIT (the SDM's reset values). */
static void lapic_clear(struct lapic *l)
{
	unsigned int i;

	memset(l->regs, 0, sizeof(l->regs));
	l->timer_armed = false;
	l->tsc_deadline = 0;
	l->esr_pending = 0;
	REG(l, LAPIC_VERSION) = LAPIC_VERSION_VALUE;
	REG(l, LAPIC_DFR) = 0xffffffffU;
	REG(l, LAPIC_SVR) = 0xff;
	for (i = 0; i < ARRAY_SIZE(lapic_lvts); i++)
		REG(l, lapic_lvts[i]) = LAPIC_LVT_MASKED;
	REG(l, LAPIC_ID) = lapic_x2apic(l) ? l->id : l->id << 24;
	if (lapic_x2apic(l))
		REG(l, LAPIC_LDR) = ((l->id >> 4) << 16) | (1U << (l->id & 15));
}

/**
 * lapic_reset() - the APIC at power-up: xAPIC mode at the default base
 * @l: the APIC
 * @id: its APIC ID
 * @bsp: the vCPU is the bootstrap processor
 */
void lapic_reset(struct lapic *l, u32 id, bool bsp)
{
	memset(l, 0, sizeof(*l));
	l->id = id;
	l->base = LAPIC_DEFAULT_BASE | LAPIC_BASE_EN |
		  (bsp ? LAPIC_BASE_BSP : 0);
	lapic_clear(l);
}

bool lapic_hw_enabled(const struct lapic *l)
{
	return l->base & LAPIC_BASE_EN;
}

bool lapic_x2apic(const struct lapic *l)
{
	return (l->base & (LAPIC_BASE_EN | LAPIC_BASE_EXTD)) ==
	       (LAPIC_BASE_EN | LAPIC_BASE_EXTD);
}

/**
 * lapic_set_base() - a write of IA32_APIC_BASE
 * @l: the APIC
 * @val: the value (the BSP flag is read-only and kept)
 * @phys_limit: 1 << the guest's physical-address width
 *
 * Allowed: disabled <-> xAPIC, xAPIC -> x2APIC, x2APIC -> disabled
 * ("x2APIC State Transitions"). Enabling resets the APIC.
 * Return: 0, or -EINVAL (#GP): reserved bits, a base beyond @phys_limit,
 * EXTD without EN, x2APIC -> xAPIC, disabled -> x2APIC.
 */
int lapic_set_base(struct lapic *l, u64 val, u64 phys_limit)
{
	bool en = val & LAPIC_BASE_EN, extd = val & LAPIC_BASE_EXTD;
	bool was_en = lapic_hw_enabled(l), was_x2 = lapic_x2apic(l);

	if ((val & 0x2ffULL) || (val & ~0xfffULL) >= phys_limit ||
	    (extd && !en) || (was_x2 && en && !extd) ||
	    (!was_en && extd))
		return -EINVAL;
	l->base = (val & ~LAPIC_BASE_BSP) | (l->base & LAPIC_BASE_BSP);
	if (en && (!was_en || extd != was_x2))
		lapic_clear(l);
	return 0;
}

/* PPR ("Processor Priority Register"): the higher of TPR and the ISR's. */
u8 lapic_ppr(const struct lapic *l)
{
	u8 tpr = REG(l, LAPIC_TPR);
	int isrv = vec_highest(l, LAPIC_ISR);

	if (isrv < 0 || (tpr & 0xf0) >= (isrv & 0xf0))
		return tpr;
	return isrv & 0xf0;
}

/* The divide configuration: 1 to 128. */
static u64 lapic_divide(const struct lapic *l)
{
	u32 v = REG(l, LAPIC_TIMER_DIVIDE);
	u32 s = ((v & 8) >> 1) | (v & 3);

	return s == 7 ? 1 : 2ULL << s;
}

static u64 lapic_period(const struct lapic *l)
{
	return (u64)REG(l, LAPIC_TIMER_INITIAL) * lapic_divide(l) *
	       LAPIC_BUS_NS;
}

static u32 lapic_current_count(const struct lapic *l, u64 now)
{
	u64 period = lapic_period(l), elapsed;

	if (!l->timer_armed || !period || now < l->timer_start)
		return l->timer_armed ? REG(l, LAPIC_TIMER_INITIAL) : 0;
	elapsed = now - l->timer_start;
	if (LAPIC_TIMER_MODE(REG(l, LAPIC_LVT_TIMER)) == LAPIC_TIMER_PERIODIC)
		elapsed %= period;
	if (elapsed >= period)
		return 0;
	return REG(l, LAPIC_TIMER_INITIAL) -
	       elapsed / (lapic_divide(l) * LAPIC_BUS_NS);
}

/**
 * lapic_read() - read the register at @offset
 * @l: the APIC
 * @offset: its offset (16-byte aligned)
 * @val: the value
 * @now: the time, for the timer's current count
 *
 * Return: 0 or -EINVAL (no such register in this mode; see the top).
 */
int lapic_read(struct lapic *l, u32 offset, u32 *val, u64 now)
{
	bool x2 = lapic_x2apic(l);

	*val = 0;
	if ((offset & 0xf) || offset >= LAPIC_REGS_SIZE)
		return -EINVAL;
	switch (offset) {
	case LAPIC_PPR:
		*val = lapic_ppr(l);
		return 0;
	case LAPIC_TIMER_CURRENT:
		*val = lapic_current_count(l, now);
		return 0;
	case LAPIC_APR:
	case LAPIC_EOI:
		return x2 ? -EINVAL : 0;
	case LAPIC_DFR:
		if (x2)
			return -EINVAL;
		*val = REG(l, offset);
		return 0;
	case LAPIC_ICR_HIGH:
	case LAPIC_ID:
	case LAPIC_VERSION:
	case LAPIC_TPR:
	case LAPIC_LDR:
	case LAPIC_SVR:
	case LAPIC_ESR:
	case LAPIC_ICR_LOW:
	case LAPIC_TIMER_INITIAL:
	case LAPIC_TIMER_DIVIDE:
		*val = REG(l, offset);
		return 0;
	case LAPIC_SELF_IPI:
		return -EINVAL;
	}
	if ((offset >= LAPIC_ISR && offset < LAPIC_ESR) ||
	    (offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR)) {
		*val = REG(l, offset);
		return 0;
	}
	return -EINVAL;
}

/* EOI: the highest in-service interrupt is done. */
static void lapic_eoi(struct lapic *l, struct lapic_out *out)
{
	int v = vec_highest(l, LAPIC_ISR);

	if (v < 0)
		return;
	vec_set(l, LAPIC_ISR, v, false);
	if (vec_test(l, LAPIC_TMR, v))
		out->eoi_vector = v;
}

/* ICR low written: the IPI it describes, unless its vector is illegal. */
static void lapic_send(struct lapic *l, u32 low, struct lapic_out *out)
{
	struct lapic_ipi *ipi = &out->ipi_msg;

	ipi->vector = low & 0xff;
	ipi->mode = (low >> 8) & 7;
	ipi->logical = low & BIT(11);
	ipi->level = low & BIT(14);
	ipi->trigger_level = low & LAPIC_LVT_LEVEL;
	ipi->shorthand = (low >> 18) & 3;
	ipi->dest = lapic_x2apic(l) ? REG(l, LAPIC_ICR_HIGH) :
				      REG(l, LAPIC_ICR_HIGH) >> 24;
	if ((ipi->mode == LAPIC_DM_FIXED || ipi->mode == LAPIC_DM_LOWEST) &&
	    ipi->vector < 16) {
		l->esr_pending |= LAPIC_ESR_SEND_ILLEGAL;
		return;
	}
	out->ipi = true;
}

/* A write of an LVT: the bits that exist, masked while software-disabled. */
static void lapic_write_lvt(struct lapic *l, u32 offset, u32 val,
			    struct lapic_out *out)
{
	u32 keep = REG(l, offset) & (ICR_STATUS | LAPIC_LVT_REMOTE_IRR);
	u32 mask = offset == LAPIC_LVT_TIMER ? LVT_TIMER_MASK :
		   offset == LAPIC_LVT_ERROR ? LVT_ERROR_MASK :
		   (offset == LAPIC_LVT_LINT0 || offset == LAPIC_LVT_LINT1) ?
		   LVT_LINT_MASK : LVT_DM_MASK;
	u32 old = REG(l, offset);

	val &= mask;
	if (!lapic_sw_enabled(l))
		val |= LAPIC_LVT_MASKED;
	REG(l, offset) = val | keep;
	if (offset == LAPIC_LVT_TIMER &&
	    LAPIC_TIMER_MODE(old) != LAPIC_TIMER_MODE(val)) {
		/* A change of mode disarms the timer. */
		l->timer_armed = false;
		l->tsc_deadline = 0;
		REG(l, LAPIC_TIMER_INITIAL) = 0;
		out->timer_changed = true;
	}
}

/**
 * lapic_write() - write the register at @offset
 * @l: the APIC
 * @offset: its offset (16-byte aligned)
 * @val: the value
 * @now: the time, for the timer
 * @out: what the write asks of the VMM (cleared first)
 *
 * Return: 0, -EINVAL or -EPERM (see the top).
 */
int lapic_write(struct lapic *l, u32 offset, u32 val, u64 now,
		struct lapic_out *out)
{
	bool x2 = lapic_x2apic(l);
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->eoi_vector = -1;
	if ((offset & 0xf) || offset >= LAPIC_REGS_SIZE)
		return -EINVAL;
	switch (offset) {
	case LAPIC_ID:
		if (x2)
			return -EPERM;
		REG(l, offset) = val & 0xff000000U;
		l->id = val >> 24;
		return 0;
	case LAPIC_TPR:
		REG(l, offset) = val & 0xff;
		return 0;
	case LAPIC_EOI:
		lapic_eoi(l, out);
		return 0;
	case LAPIC_LDR:
		if (x2)
			return -EPERM;
		REG(l, offset) = val & 0xff000000U;
		return 0;
	case LAPIC_DFR:
		if (x2)
			return -EINVAL;
		REG(l, offset) = val | 0x0fffffffU;
		return 0;
	case LAPIC_SVR:
		REG(l, offset) = val & SVR_MASK;
		if (!(val & LAPIC_SVR_ENABLE))
			for (i = 0; i < ARRAY_SIZE(lapic_lvts); i++)
				REG(l, lapic_lvts[i]) |= LAPIC_LVT_MASKED;
		return 0;
	case LAPIC_ESR:
		REG(l, offset) = l->esr_pending;
		l->esr_pending = 0;
		return 0;
	case LAPIC_ICR_LOW:
		REG(l, offset) = val & ICR_LOW_MASK;
		lapic_send(l, val & ICR_LOW_MASK, out);
		return 0;
	case LAPIC_ICR_HIGH:
		if (x2)
			return -EINVAL;
		REG(l, offset) = val & 0xff000000U;
		return 0;
	case LAPIC_TIMER_INITIAL:
		if (LAPIC_TIMER_MODE(REG(l, LAPIC_LVT_TIMER)) ==
		    LAPIC_TIMER_DEADLINE)
			return 0;
		REG(l, offset) = val;
		l->timer_start = now;
		l->timer_armed = val != 0;
		out->timer_changed = true;
		return 0;
	case LAPIC_TIMER_DIVIDE:
		REG(l, offset) = val & DIVIDE_MASK;
		out->timer_changed = true;
		return 0;
	case LAPIC_SELF_IPI:
		if (!x2)
			return -EINVAL;
		lapic_accept(l, val & 0xff, false);
		return 0;
	case LAPIC_VERSION:
	case LAPIC_APR:
	case LAPIC_PPR:
	case LAPIC_TIMER_CURRENT:
		return -EPERM;
	}
	if (offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR) {
		lapic_write_lvt(l, offset, val, out);
		return 0;
	}
	if (offset >= LAPIC_ISR && offset < LAPIC_ESR)
		return -EPERM;
	return -EINVAL;
}

/**
 * lapic_msr_read() - RDMSR of IA32_TSC_DEADLINE or an x2APIC register
 * @l: the APIC
 * @msr: the MSR (IA32_APIC_BASE is the caller's: lapic_set_base())
 * @val: the value
 * @now: the time
 *
 * Return: 0, or -EINVAL (#GP: not in x2APIC mode, no such register, a
 * write-only one).
 */
int lapic_msr_read(struct lapic *l, u32 msr, u64 *val, u64 now)
{
	u32 offset = (msr - LAPIC_X2APIC_MSR_FIRST) << 4, v;
	int err;

	*val = 0;
	if (msr == LAPIC_MSR_TSC_DEADLINE) {
		if (LAPIC_TIMER_MODE(REG(l, LAPIC_LVT_TIMER)) ==
		    LAPIC_TIMER_DEADLINE)
			*val = l->tsc_deadline;
		return 0;
	}
	if (!lapic_x2apic(l) || msr < LAPIC_X2APIC_MSR_FIRST ||
	    msr > LAPIC_X2APIC_MSR_LAST || offset == LAPIC_ICR_HIGH)
		return -EINVAL;
	if (offset == LAPIC_ICR_LOW) {
		*val = (u64)REG(l, LAPIC_ICR_HIGH) << 32 | REG(l, LAPIC_ICR_LOW);
		return 0;
	}
	err = lapic_read(l, offset, &v, now);
	*val = v;
	return err;
}

/**
 * lapic_msr_write() - WRMSR of IA32_TSC_DEADLINE or an x2APIC register
 * @l: the APIC
 * @msr: the MSR (IA32_APIC_BASE is the caller's: lapic_set_base())
 * @val: the value
 * @now: the time
 * @out: what the write asks of the VMM
 *
 * Return: 0, or -EINVAL (#GP: not in x2APIC mode, no such register, a
 * read-only one, reserved bits set, a non-zero write to EOI).
 */
int lapic_msr_write(struct lapic *l, u32 msr, u64 val, u64 now,
		    struct lapic_out *out)
{
	u32 offset = (msr - LAPIC_X2APIC_MSR_FIRST) << 4;
	int err;

	memset(out, 0, sizeof(*out));
	out->eoi_vector = -1;
	if (msr == LAPIC_MSR_TSC_DEADLINE) {
		if (LAPIC_TIMER_MODE(REG(l, LAPIC_LVT_TIMER)) ==
		    LAPIC_TIMER_DEADLINE) {
			l->tsc_deadline = val;
			out->timer_changed = true;
		}
		return 0;
	}
	if (!lapic_x2apic(l) || msr < LAPIC_X2APIC_MSR_FIRST ||
	    msr > LAPIC_X2APIC_MSR_LAST || offset == LAPIC_ICR_HIGH)
		return -EINVAL;
	if (offset == LAPIC_ICR_LOW) {
		REG(l, LAPIC_ICR_HIGH) = val >> 32;
		return lapic_write(l, offset, (u32)val, now, out);
	}
	if ((val >> 32) || (offset == LAPIC_EOI && val) ||
	    (offset == LAPIC_SELF_IPI && (val >> 8)))
		return -EINVAL;
	err = lapic_write(l, offset, (u32)val, now, out);
	return err == -EPERM ? -EINVAL : err;
}

/**
 * lapic_accept() - an interrupt message for this APIC (fixed or lowest
 * priority delivery, or a local source through its LVT)
 * @l: the APIC
 * @vector: the vector
 * @level: level-triggered (its EOI goes to the I/O APIC)
 *
 * Return: whether it was accepted (not while disabled; vectors 0-15 are
 * illegal and set ESR's receive-illegal bit).
 */
bool lapic_accept(struct lapic *l, u8 vector, bool level)
{
	if (!lapic_hw_enabled(l) || !lapic_sw_enabled(l))
		return false;
	if (vector < 16) {
		l->esr_pending |= LAPIC_ESR_RECV_ILLEGAL;
		return false;
	}
	vec_set(l, LAPIC_IRR, vector, true);
	vec_set(l, LAPIC_TMR, vector, level);
	return true;
}

/* The vector the vCPU takes next when it can, or -1 (PPR blocks it). */
int lapic_pending(const struct lapic *l)
{
	int v = vec_highest(l, LAPIC_IRR);

	if (!lapic_hw_enabled(l) || !lapic_sw_enabled(l) || v < 0 ||
	    (v & 0xf0) <= (lapic_ppr(l) & 0xf0))
		return -1;
	return v;
}

/* The vCPU took @vector (lapic_pending()): it is in service now. */
void lapic_ack(struct lapic *l, u8 vector)
{
	vec_set(l, LAPIC_IRR, vector, false);
	vec_set(l, LAPIC_ISR, vector, true);
}

/**
 * lapic_match_dest() - is this APIC a destination of @ipi
 * @l: the APIC
 * @ipi: the IPI
 * @self: the APIC sent it
 *
 * Physical: the APIC ID or the broadcast ID. Logical: x2APIC clusters;
 * xAPIC flat (DFR 0xf) or cluster (DFR 0x0) model, with LDR.
 */
bool lapic_match_dest(const struct lapic *l, const struct lapic_ipi *ipi,
		      bool self)
{
	bool x2 = lapic_x2apic(l);
	u32 bcast = x2 ? 0xffffffffU : 0xff, ldr = REG(l, LAPIC_LDR);

	switch (ipi->shorthand) {
	case LAPIC_DEST_SELF:
		return self;
	case LAPIC_DEST_ALL:
		return true;
	case LAPIC_DEST_OTHERS:
		return !self;
	}
	if (ipi->dest == bcast)
		return true;
	if (!ipi->logical)
		return ipi->dest == (x2 ? l->id : (l->id & 0xff));
	if (x2)
		return (ipi->dest >> 16) == (ldr >> 16) &&
		       (ipi->dest & ldr & 0xffff);
	ldr >>= 24;
	if ((REG(l, LAPIC_DFR) >> 28) == 0xf)
		return ldr & ipi->dest;
	return (ldr >> 4) == (ipi->dest >> 4) && (ldr & ipi->dest & 0xf);
}

/* When the one-shot or periodic count next reaches 0 (ns), or 0: never. */
u64 lapic_timer_next(const struct lapic *l)
{
	if (!l->timer_armed || !lapic_period(l) ||
	    LAPIC_TIMER_MODE(REG(l, LAPIC_LVT_TIMER)) == LAPIC_TIMER_DEADLINE)
		return 0;
	return l->timer_start + lapic_period(l);
}

/* The timer interrupt, unless its LVT is masked. */
static void lapic_timer_interrupt(struct lapic *l)
{
	u32 lvt = REG(l, LAPIC_LVT_TIMER);

	if (!(lvt & LAPIC_LVT_MASKED))
		lapic_accept(l, lvt & 0xff, false);
}

/**
 * lapic_timer_fire() - the time of lapic_timer_next() has come
 * @l: the APIC
 * @now: the time
 *
 * One interrupt however late the call (periods missed coalesce); a
 * periodic timer starts its next period, a one-shot one stops.
 */
void lapic_timer_fire(struct lapic *l, u64 now)
{
	u64 next = lapic_timer_next(l), period = lapic_period(l);

	if (!next || now < next)
		return;
	lapic_timer_interrupt(l);
	if (LAPIC_TIMER_MODE(REG(l, LAPIC_LVT_TIMER)) != LAPIC_TIMER_PERIODIC) {
		l->timer_armed = false;
		return;
	}
	l->timer_start += ((now - l->timer_start) / period) * period;
}

/* The guest's TSC reached IA32_TSC_DEADLINE: the interrupt, disarmed. */
void lapic_deadline_fire(struct lapic *l)
{
	if (LAPIC_TIMER_MODE(REG(l, LAPIC_LVT_TIMER)) != LAPIC_TIMER_DEADLINE ||
	    !l->tsc_deadline)
		return;
	l->tsc_deadline = 0;
	lapic_timer_interrupt(l);
}

/**
 * lapic_init_signal() - INIT: the APIC returns to its power-up state but
 * for IA32_APIC_BASE and the APIC ID (Intel SDM, "Local APIC State After
 * an INIT Reset")
 * @l: the APIC
 */
void lapic_init_signal(struct lapic *l)
{
	lapic_clear(l);
}

/**
 * lapic_get_state() - the register file as software reads it, for saving
 * @l: the APIC
 * @regs: LAPIC_REGS_SIZE bytes laid out as the xAPIC page (struct
 *	nvmx_lapic_state): each register's 32 bits at its offset
 * @now: the time, for the timer's current count
 */
void lapic_get_state(const struct lapic *l, u32 *regs, u64 now)
{
	memcpy(regs, l->regs, sizeof(l->regs));
	regs[LAPIC_PPR / 4] = lapic_ppr(l);
	regs[LAPIC_TIMER_CURRENT / 4] = lapic_current_count(l, now);
}

/**
 * lapic_set_state() - load a register file lapic_get_state() saved
 * @l: the APIC; its IA32_APIC_BASE (mode) is already restored
 * @regs: as lapic_get_state() gives them
 * @now: the time: the timer goes on from the saved current count
 *
 * Reserved bits are dropped as a write would drop them; the version,
 * PPR and, in x2APIC mode, the ID and LDR are the APIC's own. A timer
 * in TSC-deadline mode is disarmed here: IA32_TSC_DEADLINE is restored
 * after, as an MSR.
 * Return: 0, or -EINVAL: an x2APIC ID other than the APIC's.
 */
int lapic_set_state(struct lapic *l, const u32 *regs, u64 now)
{
	u32 id = regs[LAPIC_ID / 4], cur = regs[LAPIC_TIMER_CURRENT / 4];
	bool x2 = lapic_x2apic(l);
	struct lapic_out out;
	unsigned int i;

	if (x2 && id != l->id)
		return -EINVAL;
	lapic_clear(l);
	if (!x2) {
		l->id = id >> 24;
		REG(l, LAPIC_ID) = id & 0xff000000U;
		REG(l, LAPIC_LDR) = regs[LAPIC_LDR / 4] & 0xff000000U;
		REG(l, LAPIC_DFR) = regs[LAPIC_DFR / 4] | 0x0fffffffU;
	}
	REG(l, LAPIC_TPR) = regs[LAPIC_TPR / 4] & 0xff;
	REG(l, LAPIC_SVR) = regs[LAPIC_SVR / 4] & SVR_MASK;
	REG(l, LAPIC_ESR) = regs[LAPIC_ESR / 4] & 0xef;
	REG(l, LAPIC_ICR_LOW) = regs[LAPIC_ICR_LOW / 4] & ICR_LOW_MASK;
	REG(l, LAPIC_ICR_HIGH) = regs[LAPIC_ICR_HIGH / 4] &
				 (x2 ? 0xffffffffU : 0xff000000U);
	for (i = LAPIC_ISR; i < LAPIC_ESR; i += 16)
		REG(l, i) = regs[i / 4];
	/* Vectors 0-15 are never accepted. */
	REG(l, LAPIC_ISR) &= ~0xffffU;
	REG(l, LAPIC_TMR) &= ~0xffffU;
	REG(l, LAPIC_IRR) &= ~0xffffU;
	REG(l, LAPIC_TIMER_DIVIDE) = regs[LAPIC_TIMER_DIVIDE / 4] &
				     DIVIDE_MASK;
	for (i = 0; i < ARRAY_SIZE(lapic_lvts); i++)
		lapic_write_lvt(l, lapic_lvts[i],
				regs[lapic_lvts[i] / 4] &
				~(LAPIC_LVT_REMOTE_IRR | ICR_STATUS), &out);
	if (LAPIC_TIMER_MODE(REG(l, LAPIC_LVT_TIMER)) == LAPIC_TIMER_DEADLINE)
		return 0;
	REG(l, LAPIC_TIMER_INITIAL) = regs[LAPIC_TIMER_INITIAL / 4];
	l->timer_armed = cur && REG(l, LAPIC_TIMER_INITIAL);
	if (l->timer_armed) {
		u64 elapsed;

		if (cur > REG(l, LAPIC_TIMER_INITIAL))
			cur = REG(l, LAPIC_TIMER_INITIAL);
		elapsed = (u64)(REG(l, LAPIC_TIMER_INITIAL) - cur) *
			  lapic_divide(l) * LAPIC_BUS_NS;
		/* Not before the clock's start: the count then runs from 0. */
		l->timer_start = elapsed <= now ? now - elapsed : 0;
	}
	return 0;
}
