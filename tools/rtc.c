// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CMOS RTC (see rtc.h). Registers: 0 seconds, 2 minutes, 4 hours, 6
 * day of week (1 = Sunday), 7 day of month, 8 month, 9 year, 0x32
 * century; A, B, C, D (0x0a-0x0d) control and status.
 */
#include <string.h>

#include "rtc.h"

enum {
	REG_SEC = 0x00, REG_MIN = 0x02, REG_HOUR = 0x04, REG_WDAY = 0x06,
	REG_MDAY = 0x07, REG_MON = 0x08, REG_YEAR = 0x09,
	REG_A = 0x0a, REG_B = 0x0b, REG_C = 0x0c, REG_D = 0x0d,
	REG_CENTURY = 0x32,
};

#define A_UIP		0x80
#define B_24H		0x02
#define B_BINARY	0x04
#define D_VRT		0x80

void rtc_init(struct cmos_rtc *r)
{
	memset(r, 0, sizeof(*r));
	r->ram[REG_A] = 0x26;		/* 32.768 kHz base, 1024 Hz rate */
	r->ram[REG_B] = B_24H;		/* BCD, 24-hour */
	r->ram[REG_D] = D_VRT;
}

static uint8_t encode(const struct cmos_rtc *r, unsigned int v)
{
	if (r->ram[REG_B] & B_BINARY)
		return v;
	return (v / 10) << 4 | v % 10;
}

static uint8_t hours(const struct cmos_rtc *r, unsigned int h)
{
	unsigned int h12 = h % 12 ?: 12;

	if (r->ram[REG_B] & B_24H)
		return encode(r, h);
	return encode(r, h12) | (h >= 12 ? 0x80 : 0);	/* bit 7: PM */
}

static uint8_t clock_reg(const struct cmos_rtc *r, unsigned int reg,
			 time_t now)
{
	struct tm tm;

	gmtime_r(&now, &tm);
	switch (reg) {
	case REG_SEC:
		return encode(r, tm.tm_sec > 59 ? 59 : tm.tm_sec);
	case REG_MIN:
		return encode(r, tm.tm_min);
	case REG_HOUR:
		return hours(r, tm.tm_hour);
	case REG_WDAY:
		return encode(r, tm.tm_wday + 1);
	case REG_MDAY:
		return encode(r, tm.tm_mday);
	case REG_MON:
		return encode(r, tm.tm_mon + 1);
	case REG_YEAR:
		return encode(r, tm.tm_year % 100);
	default:	/* REG_CENTURY */
		return encode(r, 19 + tm.tm_year / 100);
	}
}

/**
 * rtc_read() - IN from port 0x70 or 0x71
 * @r: the RTC
 * @port: 0x70 (reads 0xff, as the index is write-only) or 0x71
 * @now: the time, seconds since the epoch
 *
 * Return: the byte read.
 */
uint8_t rtc_read(struct cmos_rtc *r, uint16_t port, time_t now)
{
	unsigned int reg = r->index;

	if (port != RTC_PORT + 1)
		return 0xff;
	switch (reg) {
	case REG_SEC: case REG_MIN: case REG_HOUR: case REG_WDAY:
	case REG_MDAY: case REG_MON: case REG_YEAR: case REG_CENTURY:
		return clock_reg(r, reg, now);
	case REG_A:
		return r->ram[REG_A] & ~A_UIP;
	case REG_C:
		return 0;	/* no interrupt flags: no RTC interrupts */
	case REG_D:
		return D_VRT;
	default:
		return r->ram[reg];
	}
}

/**
 * rtc_write() - OUT to port 0x70 or 0x71
 * @r: the RTC
 * @port: 0x70 selects a register (bit 7, the NMI mask, is ignored), 0x71
 *	  writes it; others are ignored
 * @val: the byte written
 */
void rtc_write(struct cmos_rtc *r, uint16_t port, uint8_t val)
{
	if (port == RTC_PORT) {
		r->index = val & 0x7f;
		return;
	}
	if (port != RTC_PORT + 1)
		return;
	switch (r->index) {
	case REG_SEC: case REG_MIN: case REG_HOUR: case REG_WDAY:
	case REG_MDAY: case REG_MON: case REG_YEAR: case REG_CENTURY:
	case REG_C: case REG_D:
		break;		/* the host's clock, and read-only status */
	default:
		r->ram[r->index] = val;
		break;
	}
}
