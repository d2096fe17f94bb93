// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 8254 PIT and port 0x61 (see pit.h). The control word at 0x43 is
 * SC1 SC0 RW1 RW0 M2 M1 M0 BCD; SC = 3 is the read-back command, RW = 0
 * the counter-latch command.
 */
#include <string.h>

#include "pit.h"

#define NS		1000000000ULL
#define P61_GATE2	0x01
#define P61_OUT2	0x20
#define STATUS_OUT	0x80
#define STATUS_NULL	0x40
#define READBACK_NOCOUNT 0x20
#define READBACK_NOSTATUS 0x10

void pit_init(struct pit8254 *p)
{
	memset(p, 0, sizeof(*p));
}

static bool periodic(const struct pit_channel *c)
{
	return c->mode == 2 || c->mode == 3;
}

/* Input clock ticks since the count was written. */
static uint64_t ticks(const struct pit_channel *c, uint64_t now)
{
	uint64_t ns = now > c->load_ns ? now - c->load_ns : 0;

	return ns / NS * PIT_HZ + ns % NS * PIT_HZ / NS;
}

/* When tick @n after the load happens, in ns (rounded up). */
static uint64_t tick_time(const struct pit_channel *c, uint64_t n)
{
	return c->load_ns + n / PIT_HZ * NS + (n % PIT_HZ * NS + PIT_HZ - 1) /
	       PIT_HZ;
}

static uint16_t counter(const struct pit_channel *c, uint64_t now)
{
	uint64_t t = ticks(c, now);

	if (!c->armed)
		return 0;
	if (c->mode == 3)	/* counts down by two, twice per period */
		return (c->count - (t * 2) % c->count) & 0xfffe;
	if (periodic(c))
		return c->count - t % c->count;
	return (c->count - t) & 0xffff;		/* wraps after zero */
}

static bool output(const struct pit_channel *c, uint64_t now)
{
	uint64_t t = ticks(c, now);

	if (!c->armed)
		return c->mode != 0;
	switch (c->mode) {
	case 2:
		return t % c->count != c->count - 1;
	case 3:
		return t % c->count < (c->count + 1) / 2;
	case 0:
	case 1:
		return t >= c->count;
	default:	/* 4, 5: a one-tick low pulse at zero */
		return t != c->count;
	}
}

static uint8_t read_channel(struct pit_channel *c, uint64_t now)
{
	uint16_t v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status | (output(c, now) ? STATUS_OUT : 0) |
		       (c->armed ? 0 : STATUS_NULL);
	}
	v = c->latched ? c->latch : counter(c, now);
	if (c->access == 1 || (c->access == 3 && !c->read_msb)) {
		c->read_msb = c->access == 3;
		if (c->access == 1)
			c->latched = false;
		return v & 0xff;
	}
	c->read_msb = false;
	c->latched = false;
	return v >> 8;
}

/**
 * pit_read() - IN from the PIT or port 0x61
 * @p: the PIT
 * @port: 0x40-0x42 or 0x61; 0x43 and others read 0xff
 * @now_ns: the time
 *
 * Return: the byte read.
 */
uint8_t pit_read(struct pit8254 *p, uint16_t port, uint64_t now_ns)
{
	if (port == PIT_PORT_61) {
		bool out2 = (p->port61 & P61_GATE2) &&
			    output(&p->ch[2], now_ns);

		/* Bit 4 toggles with the memory refresh, every 15 us. */
		return (p->port61 & 0x0f) | (out2 ? P61_OUT2 : 0) |
		       ((now_ns / 15000) & 1) << 4;
	}
	if (port >= PIT_PORT && port < PIT_PORT + 3)
		return read_channel(&p->ch[port - PIT_PORT], now_ns);
	return 0xff;
}

static void latch(struct pit_channel *c, uint64_t now)
{
	if (!c->latched) {
		c->latch = counter(c, now);
		c->latched = true;
		c->read_msb = false;
	}
}

static void readback(struct pit8254 *p, uint8_t val, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (!(val & (2U << i)))
			continue;
		if (!(val & READBACK_NOCOUNT))
			latch(&p->ch[i], now);
		if (!(val & READBACK_NOSTATUS))
			p->ch[i].status_latched = true;
	}
}

static void control(struct pit8254 *p, uint8_t val, uint64_t now)
{
	unsigned int sc = val >> 6, rw = (val >> 4) & 3;
	struct pit_channel *c;

	if (sc == 3) {
		readback(p, val, now);
		return;
	}
	c = &p->ch[sc];
	if (rw == 0) {
		latch(c, now);
		return;
	}
	c->mode = (val >> 1) & 7;
	if (c->mode > 5)
		c->mode &= 3;	/* 6 and 7 are 2 and 3 */
	c->access = rw;
	c->status = val & 0x3f;
	c->armed = false;
	c->write_msb = false;
	c->read_msb = false;
	c->latched = false;
}

static void write_count(struct pit_channel *c, uint8_t val, uint64_t now)
{
	uint32_t count;

	if (c->access == 3 && !c->write_msb) {
		c->pending_lsb = val;
		c->write_msb = true;
		return;
	}
	if (c->access == 1)
		count = val;
	else if (c->access == 2)
		count = (uint32_t)val << 8;
	else
		count = c->pending_lsb | (uint32_t)val << 8;
	c->write_msb = false;
	c->count = count ?: 0x10000;
	if (c->mode == 3 && c->count == 1)
		c->count = 2;
	c->load_ns = now;
	c->armed = true;
}

/**
 * pit_write() - OUT to the PIT or port 0x61
 * @p: the PIT
 * @port: 0x40-0x43 or 0x61; others are ignored
 * @val: the byte written
 * @now_ns: the time
 */
void pit_write(struct pit8254 *p, uint16_t port, uint8_t val, uint64_t now_ns)
{
	if (port == PIT_PORT_61) {
		/* A rising gate restarts channel 2's count (modes 1 and 5). */
		if (!(p->port61 & P61_GATE2) && (val & P61_GATE2))
			p->ch[2].load_ns = now_ns;
		p->port61 = val & 0x0f;
	} else if (port == PIT_PORT + 3) {
		control(p, val, now_ns);
	} else if (port >= PIT_PORT && port < PIT_PORT + 3) {
		write_count(&p->ch[port - PIT_PORT], val, now_ns);
	}
}

/**
 * pit_irq0_deadline() - when channel 0's output next rises
 * @p: the PIT
 * @after_ns: only a rise after this time counts
 *
 * Return: the time in ns, or PIT_NO_DEADLINE if it does not rise again
 * (no count, or a one-shot mode that has fired).
 */
uint64_t pit_irq0_deadline(const struct pit8254 *p, uint64_t after_ns)
{
	const struct pit_channel *c = &p->ch[0];
	uint64_t t, when;

	if (!c->armed)
		return PIT_NO_DEADLINE;
	if (!periodic(c)) {
		when = tick_time(c, c->count);
		return when > after_ns ? when : PIT_NO_DEADLINE;
	}
	/* Modes 2 and 3 rise at the end of each period. */
	t = ticks(c, after_ns) / c->count + 1;
	return tick_time(c, t * c->count);
}
