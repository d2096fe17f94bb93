// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the I/O APIC of `nvmx run --kernel` (tools/ioapic.c): its
 * registers through IOREGSEL/IOWIN, the MSI a redirection entry becomes,
 * edge and level pins, masking and Remote IRR.
 */
#include "kselftest_harness.h"
#include "../../tools/ioapic.h"

struct msg {
	uint64_t address;
	uint32_t data;
};

FIXTURE(io) {
	struct ioapic io;
	struct msg msgs[8];
	unsigned int n;
};

static void deliver(void *ctx, uint64_t address, uint32_t data)
{
	FIXTURE_DATA(io) *self = ctx;

	if (self->n < 8)
		self->msgs[self->n] = (struct msg){ address, data };
	self->n++;
}

FIXTURE_SETUP(io)
{
	self->n = 0;
	ioapic_init(&self->io, 2, deliver, self);
}

FIXTURE_TEARDOWN(io)
{
}

static uint32_t rd(struct ioapic *io, uint8_t reg)
{
	ioapic_write(io, IOAPIC_REGSEL, reg);
	return ioapic_read(io, IOAPIC_WIN);
}

static void wr(struct ioapic *io, uint8_t reg, uint32_t val)
{
	ioapic_write(io, IOAPIC_REGSEL, reg);
	ioapic_write(io, IOAPIC_WIN, val);
}

/* Program pin @pin: high dword first, as Linux does. */
static void route(struct ioapic *io, unsigned int pin, uint64_t e)
{
	wr(io, 0x11 + 2 * pin, e >> 32);
	wr(io, 0x10 + 2 * pin, (uint32_t)e);
}

TEST_F(io, id_version_and_masked_entries_at_reset)
{
	unsigned int pin;

	EXPECT_EQ(2U << 24, rd(&self->io, 0x00));
	EXPECT_EQ(0x00170011U, rd(&self->io, 0x01));
	EXPECT_EQ(2U << 24, rd(&self->io, 0x02));
	for (pin = 0; pin < 24; pin++) {
		EXPECT_EQ(0x10000U, rd(&self->io, 0x10 + 2 * pin));
		EXPECT_EQ(0, rd(&self->io, 0x11 + 2 * pin));
	}
	EXPECT_EQ(0, rd(&self->io, 0x10 + 48));	/* past pin 23 */
	wr(&self->io, 0x00, 0x0f000000);
	EXPECT_EQ(0x0f000000U, rd(&self->io, 0x00));
	wr(&self->io, 0x01, 0);			/* read-only */
	EXPECT_EQ(0x00170011U, rd(&self->io, 0x01));
	EXPECT_EQ(0x01, ioapic_read(&self->io, IOAPIC_REGSEL));
	EXPECT_EQ(0, ioapic_read(&self->io, 0x20));
}

TEST_F(io, entries_read_back_but_delivery_status_and_remote_irr)
{
	route(&self->io, 5, 0x0300000000015f41ULL | IOAPIC_DELIVS |
		       IOAPIC_REMOTE_IRR);
	EXPECT_EQ(0x00015f41U & ~(uint32_t)(IOAPIC_DELIVS | IOAPIC_REMOTE_IRR),
		  rd(&self->io, 0x10 + 10));
	EXPECT_EQ(0x03000000U, rd(&self->io, 0x11 + 10));
	EXPECT_EQ(0, self->n);
}

TEST_F(io, masked_pin_sends_nothing_and_edges_while_masked_are_lost)
{
	ioapic_set_irq(&self->io, 4, true);
	ioapic_set_irq(&self->io, 4, false);
	route(&self->io, 4, 0x31);
	EXPECT_EQ(0, self->n);
	ioapic_set_irq(&self->io, 99, true);	/* no such pin */
	EXPECT_EQ(0, self->n);
}

TEST_F(io, edge_pin_physical_fixed_becomes_msi_once_per_rise)
{
	route(&self->io, 2, 0x0100000000000030ULL);
	ioapic_set_irq(&self->io, 2, true);
	ioapic_set_irq(&self->io, 2, true);	/* still high: no edge */
	ASSERT_EQ(1, self->n);
	EXPECT_EQ(0xfee01000ULL, self->msgs[0].address);
	EXPECT_EQ(0x30, self->msgs[0].data);
	ioapic_set_irq(&self->io, 2, false);
	ioapic_set_irq(&self->io, 2, true);
	EXPECT_EQ(2, self->n);
	EXPECT_EQ(2, self->io.sent);
}

TEST_F(io, logical_lowest_priority_nmi_and_init)
{
	uint64_t a;
	uint32_t d;

	route(&self->io, 1, 0x0300000000000941ULL);	/* logical, lowest */
	ioapic_set_irq(&self->io, 1, true);
	ASSERT_EQ(1, self->n);
	EXPECT_EQ(0xfee03004ULL, self->msgs[0].address);
	EXPECT_EQ(0x141, self->msgs[0].data);
	ASSERT_TRUE(ioapic_msi(0x0000000000000400ULL, &a, &d));	/* NMI */
	EXPECT_EQ(0xfee00000ULL, a);
	EXPECT_EQ(0x400, d);
	ASSERT_TRUE(ioapic_msi(0xff00000000000500ULL, &a, &d));	/* INIT */
	EXPECT_EQ(0xfeeff000ULL, a);
	EXPECT_EQ(0x500, d);
	EXPECT_FALSE(ioapic_msi(0x200, &a, &d));		/* SMI */
	EXPECT_FALSE(ioapic_msi(0x700, &a, &d));		/* ExtINT */
	EXPECT_FALSE(ioapic_msi(0x300, &a, &d));		/* reserved */
	/* ExtINT on a pin: nothing goes out. */
	route(&self->io, 0, 0x700);
	ioapic_set_irq(&self->io, 0, true);
	EXPECT_EQ(1, self->n);
}

TEST_F(io, level_pin_sets_remote_irr_and_waits_for_it_to_clear)
{
	route(&self->io, 9, 0x0000000000008039ULL);	/* level, vector 0x39 */
	ioapic_set_irq(&self->io, 9, true);
	ASSERT_EQ(1, self->n);
	EXPECT_EQ(0x8039U, self->msgs[0].data);
	EXPECT_TRUE(rd(&self->io, 0x10 + 18) & IOAPIC_REMOTE_IRR);
	/* Still asserted, a new assertion: nothing while Remote IRR is set. */
	ioapic_set_irq(&self->io, 9, false);
	ioapic_set_irq(&self->io, 9, true);
	EXPECT_EQ(1, self->n);
	/* Rewritten as level: Remote IRR stays. */
	route(&self->io, 9, 0x8039);
	EXPECT_EQ(1, self->n);
	EXPECT_TRUE(rd(&self->io, 0x10 + 18) & IOAPIC_REMOTE_IRR);
	/* Linux's way for a part without EOI register: edge, then level. */
	wr(&self->io, 0x10 + 18, 0x0039 | IOAPIC_MASKED);
	EXPECT_FALSE(rd(&self->io, 0x10 + 18) & IOAPIC_REMOTE_IRR);
	wr(&self->io, 0x10 + 18, 0x8039);
	/* The line is still asserted: it interrupts again. */
	EXPECT_EQ(2, self->n);
}

TEST_F(io, unmasking_an_asserted_level_pin_interrupts)
{
	route(&self->io, 10, 0x8000 | IOAPIC_MASKED | 0x50);
	ioapic_set_irq(&self->io, 10, true);
	EXPECT_EQ(0, self->n);
	wr(&self->io, 0x10 + 20, 0x8050);
	ASSERT_EQ(1, self->n);
	EXPECT_EQ(0xfee00000ULL, self->msgs[0].address);
	EXPECT_EQ(0x8050U, self->msgs[0].data);
}

TEST_HARNESS_MAIN
