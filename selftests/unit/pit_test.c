// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the 8254 PIT of `nvmx run --kernel` (tools/pit.c). */
#include "kselftest_harness.h"
#include "../../tools/pit.h"

#define MS	1000000ULL

static uint16_t read_count(struct pit8254 *p, unsigned int ch, uint64_t t)
{
	uint16_t lo = pit_read(p, 0x40 + ch, t);

	return lo | pit_read(p, 0x40 + ch, t) << 8;
}

/* Linux's periodic tick at HZ=250: mode 2, LATCH = 4773. */
TEST(mode2_is_periodic)
{
	struct pit8254 p;
	uint64_t t0 = 1000 * MS, d;

	pit_init(&p);
	EXPECT_EQ(PIT_NO_DEADLINE, pit_irq0_deadline(&p, 0));
	pit_write(&p, 0x43, 0x34, t0);
	pit_write(&p, 0x40, 4773 & 0xff, t0);
	EXPECT_EQ(PIT_NO_DEADLINE, pit_irq0_deadline(&p, t0));
	pit_write(&p, 0x40, 4773 >> 8, t0);
	d = pit_irq0_deadline(&p, t0);
	/* 4773 / 1.193182 MHz = 4.000227 ms */
	EXPECT_LE(t0 + 4000 * 1000, d);
	EXPECT_GE(t0 + 4001 * 1000, d);
	/* The next period ends one period later, however late we ask. */
	EXPECT_LE(2 * (d - t0) - 1, pit_irq0_deadline(&p, d) - t0);
	EXPECT_GE(2 * (d - t0) + 1, pit_irq0_deadline(&p, d) - t0);
	/* Half way through, the count is about half. */
	EXPECT_LE(2380, read_count(&p, 0, t0 + 2 * MS));
	EXPECT_GE(2393, read_count(&p, 0, t0 + 2 * MS));
}

TEST(mode0_fires_once_and_latches)
{
	struct pit8254 p;
	uint64_t t0 = 5 * MS;

	pit_init(&p);
	pit_write(&p, 0x43, 0x30, t0);		/* channel 0, lo/hi, mode 0 */
	pit_write(&p, 0x40, 0x00, t0);
	pit_write(&p, 0x40, 0x30, t0);		/* 0x3000 = 12288: 10.3 ms */
	EXPECT_LE(t0 + 10298 * 1000, pit_irq0_deadline(&p, t0));
	EXPECT_GE(t0 + 10299 * 1000, pit_irq0_deadline(&p, t0));
	EXPECT_EQ(PIT_NO_DEADLINE, pit_irq0_deadline(&p, t0 + 11 * MS));
	/* Latch: later reads see the latched count, not the live one. */
	pit_write(&p, 0x43, 0x00, t0 + MS);
	EXPECT_EQ(12288 - 1193, read_count(&p, 0, t0 + 5 * MS));
	EXPECT_EQ(12288 - 5965, read_count(&p, 0, t0 + 5 * MS));
	/* Read-back of the status: mode 0, lo/hi, output low. */
	pit_write(&p, 0x43, 0xe2, t0 + MS);
	EXPECT_EQ(0x30, pit_read(&p, 0x40, t0 + MS));
	pit_write(&p, 0x43, 0xe2, t0 + 11 * MS);
	EXPECT_EQ(0xb0, pit_read(&p, 0x40, t0 + 11 * MS));
}

TEST(channel2_output_shows_in_port_61_when_gated)
{
	struct pit8254 p;
	uint64_t t0 = MS;

	pit_init(&p);
	pit_write(&p, 0x61, 0x01, t0);		/* gate 2 on, speaker off */
	pit_write(&p, 0x43, 0xb0, t0);		/* channel 2, lo/hi, mode 0 */
	pit_write(&p, 0x42, 0xff, t0);
	pit_write(&p, 0x42, 0xff, t0);		/* 65535: 54.9 ms */
	EXPECT_EQ(0x00, pit_read(&p, 0x61, t0 + 10 * MS) & 0x20);
	EXPECT_EQ(0x20, pit_read(&p, 0x61, t0 + 60 * MS) & 0x20);
	EXPECT_EQ(0x01, pit_read(&p, 0x61, t0) & 0x0f);
	/* Channel 2 never drives IRQ 0. */
	EXPECT_EQ(PIT_NO_DEADLINE, pit_irq0_deadline(&p, t0));
}

TEST_HARNESS_MAIN
