// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the local APIC model (src/apic/lapic.c). */
#include "kselftest_harness.h"
#include "../../src/apic/lapic.h"

#define PHYS_LIMIT	(1ULL << 39)
#define X2APIC_MSR(off)	(LAPIC_X2APIC_MSR_FIRST + ((off) >> 4))

FIXTURE(apic) {
	struct lapic l;
	struct lapic_out out;
};

FIXTURE_SETUP(apic)
{
	lapic_reset(&self->l, 3, true);
}

FIXTURE_TEARDOWN(apic)
{
}

static u32 rd(struct lapic *l, u32 off)
{
	u32 v = 0xdeadbeef;

	if (lapic_read(l, off, &v, 0))
		return 0xdeadbeef;
	return v;
}

static int wr(FIXTURE_DATA(apic) *self, u32 off, u32 val)
{
	return lapic_write(&self->l, off, val, 0, &self->out);
}

TEST_F(apic, reset_state)
{
	struct lapic *l = &self->l;

	EXPECT_EQ(LAPIC_DEFAULT_BASE | LAPIC_BASE_EN | LAPIC_BASE_BSP, l->base);
	EXPECT_EQ(3U << 24, rd(l, LAPIC_ID));
	EXPECT_EQ(LAPIC_VERSION_VALUE, rd(l, LAPIC_VERSION));
	EXPECT_EQ(0xffffffffU, rd(l, LAPIC_DFR));
	EXPECT_EQ(0xffU, rd(l, LAPIC_SVR));
	EXPECT_EQ(LAPIC_LVT_MASKED, rd(l, LAPIC_LVT_TIMER));
	EXPECT_EQ(LAPIC_LVT_MASKED, rd(l, LAPIC_LVT_ERROR));
	EXPECT_EQ(0, rd(l, LAPIC_PPR));
	EXPECT_EQ(-1, lapic_pending(l));
	EXPECT_EQ(-EINVAL, lapic_read(l, 0x0c0, &(u32){ 0 }, 0));
	EXPECT_EQ(-EINVAL, lapic_read(l, 0x024, &(u32){ 0 }, 0));
}

/* Software-disabled (SVR bit 8 clear): nothing accepted, LVTs stay masked. */
TEST_F(apic, software_disabled)
{
	EXPECT_FALSE(lapic_accept(&self->l, 0x40, false));
	EXPECT_EQ(0, wr(self, LAPIC_LVT_LINT0, 0x700));
	EXPECT_EQ(0x700 | LAPIC_LVT_MASKED, rd(&self->l, LAPIC_LVT_LINT0));
	EXPECT_EQ(0, wr(self, LAPIC_SVR, 0x1ff));
	EXPECT_EQ(0, wr(self, LAPIC_LVT_LINT0, 0x700));
	EXPECT_EQ(0x700, rd(&self->l, LAPIC_LVT_LINT0));
	EXPECT_EQ(0, wr(self, LAPIC_SVR, 0xff));
	EXPECT_EQ(0x700 | LAPIC_LVT_MASKED, rd(&self->l, LAPIC_LVT_LINT0));
}

/* TPR and the in-service vector decide; EOI ends the highest one. */
TEST_F(apic, priorities_and_eoi)
{
	struct lapic *l = &self->l;

	wr(self, LAPIC_SVR, 0x1ff);
	EXPECT_TRUE(lapic_accept(l, 0x31, false));
	EXPECT_TRUE(lapic_accept(l, 0x51, true));
	EXPECT_EQ(0x51, lapic_pending(l));
	wr(self, LAPIC_TPR, 0x60);
	EXPECT_EQ(-1, lapic_pending(l));
	EXPECT_EQ(0x60, rd(l, LAPIC_PPR));
	wr(self, LAPIC_TPR, 0x40);
	EXPECT_EQ(0x51, lapic_pending(l));
	lapic_ack(l, 0x51);
	EXPECT_EQ(0x50, rd(l, LAPIC_PPR));
	EXPECT_EQ(1U << 17, rd(l, LAPIC_ISR + 0x20));	/* 0x51 in service */
	EXPECT_EQ(1U << 17, rd(l, LAPIC_TMR + 0x20));	/* level */
	EXPECT_EQ(-1, lapic_pending(l));		/* 0x31 < PPR */
	EXPECT_EQ(0, wr(self, LAPIC_EOI, 0));
	EXPECT_EQ(0x51, self->out.eoi_vector);		/* level: I/O APIC */
	EXPECT_EQ(0, rd(l, LAPIC_ISR + 0x20));
	wr(self, LAPIC_TPR, 0);
	EXPECT_EQ(0x31, lapic_pending(l));
	lapic_ack(l, 0x31);
	wr(self, LAPIC_EOI, 0);
	EXPECT_EQ(-1, self->out.eoi_vector);		/* edge */
	EXPECT_EQ(-1, lapic_pending(l));
	/* Vectors 0-15 are illegal: refused, reported in ESR. */
	EXPECT_FALSE(lapic_accept(l, 7, false));
	wr(self, LAPIC_ESR, 0);
	EXPECT_EQ(LAPIC_ESR_RECV_ILLEGAL, rd(l, LAPIC_ESR));
	EXPECT_EQ(-EPERM, wr(self, LAPIC_PPR, 0));
	EXPECT_EQ(-EPERM, wr(self, LAPIC_IRR, 0));
}

TEST_F(apic, ipis_from_the_icr)
{
	struct lapic_ipi *ipi = &self->out.ipi_msg;

	wr(self, LAPIC_ICR_HIGH, 0x02000000);
	EXPECT_EQ(0, wr(self, LAPIC_ICR_LOW, 0x4041));
	ASSERT_TRUE(self->out.ipi);
	EXPECT_EQ(LAPIC_DM_FIXED, ipi->mode);
	EXPECT_EQ(0x41, ipi->vector);
	EXPECT_EQ(2, ipi->dest);
	EXPECT_FALSE(ipi->logical);
	EXPECT_EQ(LAPIC_DEST_FIELD, ipi->shorthand);
	wr(self, LAPIC_ICR_LOW, 0xc4500);		/* INIT to all but self */
	EXPECT_EQ(LAPIC_DM_INIT, ipi->mode);
	EXPECT_EQ(LAPIC_DEST_OTHERS, ipi->shorthand);
	EXPECT_TRUE(ipi->level);
	wr(self, LAPIC_ICR_LOW, 0x4608);		/* SIPI, page 8 */
	EXPECT_EQ(LAPIC_DM_SIPI, ipi->mode);
	EXPECT_EQ(8, ipi->vector);
	EXPECT_EQ(0, rd(&self->l, LAPIC_ICR_LOW) & (1U << 12));	/* idle */
	wr(self, LAPIC_ICR_LOW, 0x4005);		/* fixed, vector 5 */
	EXPECT_FALSE(self->out.ipi);
	wr(self, LAPIC_ESR, 0);
	EXPECT_EQ(LAPIC_ESR_SEND_ILLEGAL, rd(&self->l, LAPIC_ESR));
}

TEST_F(apic, destinations)
{
	struct lapic *l = &self->l;
	struct lapic_ipi ipi = { .dest = 3 };

	EXPECT_TRUE(lapic_match_dest(l, &ipi, false));
	ipi.dest = 4;
	EXPECT_FALSE(lapic_match_dest(l, &ipi, false));
	ipi.dest = 0xff;
	EXPECT_TRUE(lapic_match_dest(l, &ipi, false));
	ipi.shorthand = LAPIC_DEST_OTHERS;
	EXPECT_FALSE(lapic_match_dest(l, &ipi, true));
	ipi.shorthand = LAPIC_DEST_FIELD;
	/* Logical, flat model: LDR bit 2. */
	ipi.logical = true;
	wr(self, LAPIC_LDR, 0x04000000);
	ipi.dest = 0x06;
	EXPECT_TRUE(lapic_match_dest(l, &ipi, false));
	ipi.dest = 0x09;
	EXPECT_FALSE(lapic_match_dest(l, &ipi, false));
	/* Cluster model: cluster 2, member bit 1. */
	wr(self, LAPIC_DFR, 0x0fffffff);
	wr(self, LAPIC_LDR, 0x21000000);
	ipi.dest = 0x23;
	EXPECT_TRUE(lapic_match_dest(l, &ipi, false));
	ipi.dest = 0x13;
	EXPECT_FALSE(lapic_match_dest(l, &ipi, false));
}

/* IA32_APIC_BASE: the allowed transitions, the x2APIC registers. */
TEST_F(apic, x2apic_mode)
{
	struct lapic *l = &self->l;
	const u64 en = LAPIC_DEFAULT_BASE | LAPIC_BASE_EN;
	struct lapic_ipi *ipi = &self->out.ipi_msg;
	u64 v;

	EXPECT_EQ(-EINVAL, lapic_msr_read(l, X2APIC_MSR(LAPIC_ID), &v, 0));
	EXPECT_EQ(-EINVAL, lapic_set_base(l, en | 1, PHYS_LIMIT));
	EXPECT_EQ(-EINVAL, lapic_set_base(l, PHYS_LIMIT | LAPIC_BASE_EN,
					  PHYS_LIMIT));
	EXPECT_EQ(-EINVAL, lapic_set_base(l, LAPIC_DEFAULT_BASE |
					  LAPIC_BASE_EXTD, PHYS_LIMIT));
	l->id = 0x123;
	ASSERT_EQ(0, lapic_set_base(l, en | LAPIC_BASE_EXTD, PHYS_LIMIT));
	EXPECT_TRUE(lapic_x2apic(l));
	EXPECT_TRUE(l->base & LAPIC_BASE_BSP);
	ASSERT_EQ(0, lapic_msr_read(l, X2APIC_MSR(LAPIC_ID), &v, 0));
	EXPECT_EQ(0x123, v);
	ASSERT_EQ(0, lapic_msr_read(l, X2APIC_MSR(LAPIC_LDR), &v, 0));
	EXPECT_EQ((0x12U << 16) | (1U << 3), v);
	EXPECT_EQ(-EINVAL, lapic_msr_write(l, X2APIC_MSR(LAPIC_ID), 5, 0,
					   &self->out));
	EXPECT_EQ(-EINVAL, lapic_msr_read(l, X2APIC_MSR(LAPIC_DFR), &v, 0));
	EXPECT_EQ(-EINVAL, lapic_msr_read(l, X2APIC_MSR(LAPIC_EOI), &v, 0));
	EXPECT_EQ(-EINVAL, lapic_msr_write(l, X2APIC_MSR(LAPIC_EOI), 1, 0,
					   &self->out));
	EXPECT_EQ(-EINVAL, lapic_msr_write(l, X2APIC_MSR(LAPIC_TPR),
					   1ULL << 32, 0, &self->out));
	EXPECT_EQ(-EINVAL, lapic_msr_read(l, X2APIC_MSR(LAPIC_ICR_HIGH), &v,
					  0));
	/* A 64-bit ICR: 32-bit destination. */
	ASSERT_EQ(0, lapic_msr_write(l, X2APIC_MSR(LAPIC_ICR_LOW),
				     (0x10005ULL << 32) | 0x4060, 0,
				     &self->out));
	ASSERT_TRUE(self->out.ipi);
	EXPECT_EQ(0x10005U, ipi->dest);
	ASSERT_EQ(0, lapic_msr_read(l, X2APIC_MSR(LAPIC_ICR_LOW), &v, 0));
	EXPECT_EQ((0x10005ULL << 32) | 0x4060, v);
	/* Self IPI. */
	lapic_msr_write(l, X2APIC_MSR(LAPIC_SVR), 0x1ff, 0, &self->out);
	ASSERT_EQ(0, lapic_msr_write(l, X2APIC_MSR(LAPIC_SELF_IPI), 0x77, 0,
				     &self->out));
	EXPECT_EQ(0x77, lapic_pending(l));
	/* No way back to xAPIC; off, then on, is the reset state. */
	EXPECT_EQ(-EINVAL, lapic_set_base(l, en, PHYS_LIMIT));
	ASSERT_EQ(0, lapic_set_base(l, LAPIC_DEFAULT_BASE, PHYS_LIMIT));
	ASSERT_EQ(0, lapic_set_base(l, en, PHYS_LIMIT));
	EXPECT_EQ(-1, lapic_pending(l));
	EXPECT_EQ(0x123U << 24, rd(l, LAPIC_ID));
}

TEST_F(apic, one_shot_and_periodic_timer)
{
	struct lapic *l = &self->l;
	u32 cur;

	wr(self, LAPIC_SVR, 0x1ff);
	wr(self, LAPIC_LVT_TIMER, 0xec);			/* one-shot */
	wr(self, LAPIC_TIMER_DIVIDE, 0xb);			/* by 1 */
	ASSERT_EQ(0, lapic_write(l, LAPIC_TIMER_INITIAL, 1000, 100,
				 &self->out));
	EXPECT_TRUE(self->out.timer_changed);
	EXPECT_EQ(1100, lapic_timer_next(l));
	ASSERT_EQ(0, lapic_read(l, LAPIC_TIMER_CURRENT, &cur, 600));
	EXPECT_EQ(500, cur);
	lapic_timer_fire(l, 1000);				/* early */
	EXPECT_EQ(-1, lapic_pending(l));
	lapic_timer_fire(l, 1100);
	EXPECT_EQ(0xec, lapic_pending(l));
	EXPECT_EQ(0, lapic_timer_next(l));
	lapic_ack(l, 0xec);
	wr(self, LAPIC_EOI, 0);

	/* Periodic, divide by 2: a period of 100 ns. */
	wr(self, LAPIC_LVT_TIMER, 0xec | (1U << 17));
	wr(self, LAPIC_TIMER_DIVIDE, 0);
	lapic_write(l, LAPIC_TIMER_INITIAL, 50, 0, &self->out);
	EXPECT_EQ(100, lapic_timer_next(l));
	lapic_timer_fire(l, 350);				/* late */
	EXPECT_EQ(0xec, lapic_pending(l));
	EXPECT_EQ(400, lapic_timer_next(l));
	ASSERT_EQ(0, lapic_read(l, LAPIC_TIMER_CURRENT, &cur, 360));
	EXPECT_EQ(20, cur);		/* 60 ns of 2 ns ticks */
	/* Masked: the count goes on, no interrupt. */
	lapic_ack(l, 0xec);
	wr(self, LAPIC_EOI, 0);
	wr(self, LAPIC_LVT_TIMER, 0xec | (1U << 17) | LAPIC_LVT_MASKED);
	lapic_timer_fire(l, 400);
	EXPECT_EQ(-1, lapic_pending(l));
	EXPECT_EQ(500, lapic_timer_next(l));
}

TEST_F(apic, tsc_deadline_timer)
{
	struct lapic *l = &self->l;
	u64 v;

	wr(self, LAPIC_SVR, 0x1ff);
	/* Not in deadline mode: IA32_TSC_DEADLINE reads 0, writes vanish. */
	lapic_msr_write(l, LAPIC_MSR_TSC_DEADLINE, 5000, 0, &self->out);
	lapic_msr_read(l, LAPIC_MSR_TSC_DEADLINE, &v, 0);
	EXPECT_EQ(0, v);
	wr(self, LAPIC_LVT_TIMER, 0xd0 | (2U << 17));
	EXPECT_TRUE(self->out.timer_changed);
	lapic_write(l, LAPIC_TIMER_INITIAL, 100, 0, &self->out);
	EXPECT_EQ(0, rd(l, LAPIC_TIMER_INITIAL));		/* ignored */
	lapic_msr_write(l, LAPIC_MSR_TSC_DEADLINE, 5000, 0, &self->out);
	EXPECT_TRUE(self->out.timer_changed);
	lapic_msr_read(l, LAPIC_MSR_TSC_DEADLINE, &v, 0);
	EXPECT_EQ(5000, v);
	lapic_deadline_fire(l);
	EXPECT_EQ(0xd0, lapic_pending(l));
	lapic_msr_read(l, LAPIC_MSR_TSC_DEADLINE, &v, 0);
	EXPECT_EQ(0, v);
	/* Back to one-shot: disarmed. */
	lapic_msr_write(l, LAPIC_MSR_TSC_DEADLINE, 9000, 0, &self->out);
	wr(self, LAPIC_LVT_TIMER, 0xd0);
	EXPECT_EQ(0, l->tsc_deadline);
}

/* INIT: registers back to power-up, but the base and the ID stay. */
TEST_F(apic, init_signal)
{
	struct lapic *l = &self->l;

	wr(self, LAPIC_SVR, 0x1ff);
	wr(self, LAPIC_ID, 7U << 24);
	wr(self, LAPIC_TPR, 0x20);
	wr(self, LAPIC_LVT_TIMER, 0xec);
	lapic_write(l, LAPIC_TIMER_INITIAL, 1000, 0, &self->out);
	ASSERT_TRUE(lapic_accept(l, 0x40, false));
	l->base &= ~LAPIC_BASE_BSP;
	lapic_init_signal(l);
	EXPECT_EQ(LAPIC_DEFAULT_BASE | LAPIC_BASE_EN, l->base);
	EXPECT_EQ(7U << 24, rd(l, LAPIC_ID));
	EXPECT_EQ(0xffU, rd(l, LAPIC_SVR));
	EXPECT_EQ(0, rd(l, LAPIC_TPR));
	EXPECT_EQ(LAPIC_LVT_MASKED, rd(l, LAPIC_LVT_TIMER));
	EXPECT_EQ(0, lapic_timer_next(l));
	EXPECT_EQ(-1, lapic_pending(l));
}

/* What lapic_get_state() saves, lapic_set_state() gives back, timer too. */
TEST_F(apic, save_and_restore)
{
	struct lapic *l = &self->l, copy;
	u32 regs[LAPIC_REGS_SIZE / 4], cur;

	wr(self, LAPIC_SVR, 0x1ff);
	wr(self, LAPIC_TPR, 0x10);
	wr(self, LAPIC_LDR, 0x04000000);
	wr(self, LAPIC_LVT_LINT0, 0x700);
	wr(self, LAPIC_LVT_TIMER, 0xec | (1U << 17));		/* periodic */
	wr(self, LAPIC_TIMER_DIVIDE, 0xb);
	lapic_write(l, LAPIC_TIMER_INITIAL, 1000, 0, &self->out);
	ASSERT_TRUE(lapic_accept(l, 0x40, false));
	ASSERT_TRUE(lapic_accept(l, 0x51, true));
	lapic_ack(l, 0x51);
	lapic_get_state(l, regs, 300);
	EXPECT_EQ(700, regs[LAPIC_TIMER_CURRENT / 4]);
	EXPECT_EQ(0x50, regs[LAPIC_PPR / 4]);

	lapic_reset(&copy, 9, false);
	ASSERT_EQ(0, lapic_set_state(&copy, regs, 5000));
	EXPECT_EQ(3U << 24, rd(&copy, LAPIC_ID));
	EXPECT_EQ(3U, copy.id);
	EXPECT_EQ(0x04000000U, rd(&copy, LAPIC_LDR));
	EXPECT_EQ(0x1ffU, rd(&copy, LAPIC_SVR));
	EXPECT_EQ(0x700U, rd(&copy, LAPIC_LVT_LINT0));
	EXPECT_EQ(0x50, lapic_ppr(&copy));
	EXPECT_TRUE(rd(&copy, LAPIC_TMR + 0x20) & (1U << (0x51 - 64)));
	ASSERT_EQ(0, lapic_read(&copy, LAPIC_TIMER_CURRENT, &cur, 5000));
	EXPECT_EQ(700, cur);
	EXPECT_EQ(5700, lapic_timer_next(&copy));
	/* 0x40 waits behind the in-service 0x51, whose EOI is level. */
	EXPECT_EQ(-1, lapic_pending(&copy));
	EXPECT_EQ(0, lapic_write(&copy, LAPIC_EOI, 0, 0, &self->out));
	EXPECT_EQ(0x51, self->out.eoi_vector);
	EXPECT_EQ(0x40, lapic_pending(&copy));

	/* A count further in the past than the clock's start begins at 0. */
	regs[LAPIC_TIMER_CURRENT / 4] = 100;
	ASSERT_EQ(0, lapic_set_state(&copy, regs, 50));
	EXPECT_EQ(1000, lapic_timer_next(&copy));

	/* Reserved bits dropped; x2APIC: the ID is the APIC's own. */
	regs[LAPIC_TPR / 4] = 0xffffff33;
	ASSERT_EQ(0, lapic_set_state(&copy, regs, 0));
	EXPECT_EQ(0x33U, rd(&copy, LAPIC_TPR));
	ASSERT_EQ(0, lapic_set_base(&copy, LAPIC_DEFAULT_BASE | LAPIC_BASE_EN |
				    LAPIC_BASE_EXTD, PHYS_LIMIT));
	EXPECT_EQ(-EINVAL, lapic_set_state(&copy, regs, 0));
	regs[LAPIC_ID / 4] = 3;
	EXPECT_EQ(0, lapic_set_state(&copy, regs, 0));
}

TEST_HARNESS_MAIN
