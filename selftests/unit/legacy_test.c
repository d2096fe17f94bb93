// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the small legacy devices of `nvmx run --kernel`: the CMOS
 * RTC (tools/rtc.c) and the i8042 controller (tools/i8042.c).
 */
#include "kselftest_harness.h"
#include "../../tools/i8042.h"
#include "../../tools/rtc.h"

static uint8_t cmos(struct cmos_rtc *r, uint8_t reg, time_t now)
{
	rtc_write(r, 0x70, reg);
	return rtc_read(r, 0x71, now);
}

/* 2026-11-26 06:41:09 UTC, a Thursday. */
#define WHEN	((time_t)1795675269)

TEST(rtc_shows_the_host_time_in_bcd_then_binary)
{
	struct cmos_rtc r;

	rtc_init(&r);
	EXPECT_EQ(0x09, cmos(&r, 0x00, WHEN));
	EXPECT_EQ(0x41, cmos(&r, 0x02, WHEN));
	EXPECT_EQ(0x06, cmos(&r, 0x04, WHEN));
	EXPECT_EQ(0x05, cmos(&r, 0x06, WHEN));	/* Thursday: 5 */
	EXPECT_EQ(0x26, cmos(&r, 0x07, WHEN));
	EXPECT_EQ(0x11, cmos(&r, 0x08, WHEN));
	EXPECT_EQ(0x26, cmos(&r, 0x09, WHEN));
	EXPECT_EQ(0x20, cmos(&r, 0x32, WHEN));
	/* The NMI-mask bit of the index does not change the register. */
	EXPECT_EQ(0x41, cmos(&r, 0x82, WHEN));
	/* Never updating, time valid. */
	EXPECT_EQ(0x00, cmos(&r, 0x0a, WHEN) & 0x80);
	EXPECT_EQ(0x80, cmos(&r, 0x0d, WHEN));
	/* Binary, 12-hour: 6 AM. */
	rtc_write(&r, 0x70, 0x0b);
	rtc_write(&r, 0x71, 0x04);
	EXPECT_EQ(41, cmos(&r, 0x02, WHEN));
	EXPECT_EQ(6, cmos(&r, 0x04, WHEN));
	EXPECT_EQ(0x86, cmos(&r, 0x04, WHEN + 12 * 3600));	/* 6 PM */
	/* Clock writes are ignored; CMOS RAM keeps what it is given. */
	rtc_write(&r, 0x70, 0x00);
	rtc_write(&r, 0x71, 0x30);
	EXPECT_EQ(9, cmos(&r, 0x00, WHEN));
	rtc_write(&r, 0x70, 0x40);
	rtc_write(&r, 0x71, 0xa5);
	EXPECT_EQ(0xa5, cmos(&r, 0x40, WHEN));
	EXPECT_EQ(0xff, rtc_read(&r, 0x70, WHEN));
}

TEST(i8042_answers_linux_probe_and_resets)
{
	struct i8042 k;

	i8042_init(&k);
	/* Nothing to read: Linux's flush ends at once. */
	EXPECT_EQ(0x00, i8042_read(&k, 0x64) & 0x03);
	EXPECT_FALSE(i8042_write(&k, 0x64, 0x20));	/* read CTR */
	EXPECT_EQ(0x01, i8042_read(&k, 0x64) & 0x03);
	EXPECT_EQ(0x34, i8042_read(&k, 0x60));
	EXPECT_EQ(0x00, i8042_read(&k, 0x64) & 0x01);
	EXPECT_FALSE(i8042_write(&k, 0x64, 0x60));	/* write CTR */
	EXPECT_FALSE(i8042_write(&k, 0x60, 0x47));
	i8042_write(&k, 0x64, 0x20);
	EXPECT_EQ(0x47, i8042_read(&k, 0x60));
	i8042_write(&k, 0x64, 0xaa);
	EXPECT_EQ(0x55, i8042_read(&k, 0x60));
	/* The AUX loop does not echo and the AUX test fails: no mouse. */
	i8042_write(&k, 0x64, 0xd3);
	i8042_write(&k, 0x60, 0x5a);
	EXPECT_EQ(0xff, i8042_read(&k, 0x60));
	i8042_write(&k, 0x64, 0xa9);
	EXPECT_EQ(0x01, i8042_read(&k, 0x60));
	/* A byte for the keyboard gets no answer. */
	EXPECT_FALSE(i8042_write(&k, 0x60, 0xf2));
	EXPECT_EQ(0x00, i8042_read(&k, 0x64) & 0x01);
	/* Resets: pulse line 0, or the output port with bit 0 clear. */
	EXPECT_FALSE(i8042_write(&k, 0x64, 0xff));	/* pulse nothing */
	EXPECT_TRUE(i8042_write(&k, 0x64, 0xfe));
	EXPECT_FALSE(i8042_write(&k, 0x64, 0xd1));
	EXPECT_FALSE(i8042_write(&k, 0x60, 0x03));
	EXPECT_FALSE(i8042_write(&k, 0x64, 0xd1));
	EXPECT_TRUE(i8042_write(&k, 0x60, 0x02));
}

TEST_HARNESS_MAIN
