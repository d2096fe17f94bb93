// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 8259A pair of a PC (see pic.h). Register semantics follow the
 * 8259A data sheet: a write to port A with bit 4 set is ICW1 (ICW2-ICW4
 * follow on port B), with bit 3 set OCW3, else OCW2; port B is the IMR
 * (OCW1) outside initialization.
 */
#include <string.h>

#include "pic.h"

#define ICW1_ICW4	0x01
#define ICW1_SINGLE	0x02
#define ICW1		0x10
#define ICW4_AEOI	0x02
#define OCW3		0x08
#define OCW3_POLL	0x04
#define OCW3_RR		0x02	/* the next bit says IRR or ISR */
#define OCW3_RIS	0x01
#define OCW3_ESMM	0x40	/* the next bit sets special mask mode */
#define OCW3_SMM	0x20

/* OCW2 commands, bits 7-5. */
enum {
	OCW2_ROTATE_AEOI_CLEAR = 0,
	OCW2_EOI = 1,
	OCW2_NOP = 2,
	OCW2_SPECIFIC_EOI = 3,
	OCW2_ROTATE_AEOI_SET = 4,
	OCW2_ROTATE_EOI = 5,
	OCW2_SET_PRIORITY = 6,
	OCW2_ROTATE_SPECIFIC_EOI = 7,
};

void pic_init(struct pic_pair *p)
{
	memset(p, 0, sizeof(*p));
	/* IRQ 0, 1, 2 (master) and 8, 13 (slave) are always edge-triggered. */
	p->pic[0].elcr_mask = 0xf8;
	p->pic[1].elcr_mask = 0xde;
}

/* The input of @mask with the highest priority, or 8 for none. */
static unsigned int highest(const struct pic8259 *c, uint8_t mask)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (mask & (1U << ((c->prio + i) & 7)))
			return (c->prio + i) & 7;
	return 8;
}

/* Rank of input @irq: 0 is the highest priority; 8 means none. */
static unsigned int rank(const struct pic8259 *c, unsigned int irq)
{
	return irq >= 8 ? 8 : ((irq - c->prio) & 7);
}

static int chip_pending(const struct pic8259 *c, uint8_t extra_irr)
{
	uint8_t req = (c->irr | extra_irr) & ~c->imr;
	uint8_t isr = c->special_mask ? c->isr & ~c->imr : c->isr;
	unsigned int irq = highest(c, req);

	if (irq == 8)
		return -1;
	return rank(c, irq) < rank(c, highest(c, isr)) ? (int)irq : -1;
}

/* The slave's INT output drives the master's IR2 (a level). */
static uint8_t cascade_irr(const struct pic_pair *p)
{
	if (p->pic[0].single)
		return 0;
	return chip_pending(&p->pic[1], 0) >= 0 ? 1U << PIC_CASCADE_IRQ : 0;
}

static int master_pending(const struct pic_pair *p)
{
	return chip_pending(&p->pic[0], cascade_irr(p));
}

/**
 * pic_set_irq() - drive input line @irq (0-15) to @level
 * @p: the PICs
 * @irq: the ISA IRQ; the cascade input (2) and others above 15 are ignored
 * @level: the line's level
 *
 * An edge-triggered input latches a request on a rising edge; a
 * level-triggered one (ELCR) requests while the line is high.
 */
void pic_set_irq(struct pic_pair *p, unsigned int irq, bool level)
{
	struct pic8259 *c;
	uint8_t mask;

	if (irq > 15 || irq == PIC_CASCADE_IRQ)
		return;
	c = &p->pic[irq >> 3];
	mask = 1U << (irq & 7);
	if (c->elcr & mask) {
		if (level)
			c->irr |= mask;
		else
			c->irr &= ~mask;
	} else if (level && !(c->lines & mask)) {
		c->irr |= mask;
	}
	if (level)
		c->lines |= mask;
	else
		c->lines &= ~mask;
}

/* The master's INT output: an interrupt waits for its acknowledge. */
bool pic_output(const struct pic_pair *p)
{
	return master_pending(p) >= 0;
}

/* Acknowledge input @irq of @c: in service, and no longer requested. */
static void chip_ack(struct pic8259 *c, unsigned int irq)
{
	uint8_t mask = 1U << irq;

	if (c->auto_eoi) {
		if (c->rotate_aeoi)
			c->prio = (irq + 1) & 7;
	} else {
		c->isr |= mask;
	}
	if (!(c->elcr & mask))
		c->irr &= ~mask;
}

/* The vector an acknowledge would return, and which inputs it takes. */
static int resolve(const struct pic_pair *p, int *m, int *s)
{
	*m = master_pending(p);
	*s = -1;
	if (*m < 0)
		return p->pic[0].base | 7;	/* spurious IRQ 7 */
	if (*m != PIC_CASCADE_IRQ || p->pic[0].single)
		return p->pic[0].base | *m;
	*s = chip_pending(&p->pic[1], 0);
	return p->pic[1].base | (*s < 0 ? 7 : *s);	/* or spurious IRQ 15 */
}

/* The vector pic_ack() would return now, without acknowledging. */
int pic_peek_vector(const struct pic_pair *p)
{
	int m, s;

	return resolve(p, &m, &s);
}

/**
 * pic_ack() - the CPU's interrupt acknowledge cycle
 * @p: the PICs
 *
 * Return: the vector of the highest-priority request, which goes in
 * service; a spurious IRQ 7 (or 15) vector if the request went away.
 */
int pic_ack(struct pic_pair *p)
{
	int m, s, vector = resolve(p, &m, &s);

	if (m >= 0)
		chip_ack(&p->pic[0], m);
	if (s >= 0)
		chip_ack(&p->pic[1], s);
	return vector;
}

static void eoi(struct pic8259 *c, unsigned int irq, bool rotate)
{
	if (irq >= 8)
		return;
	c->isr &= ~(1U << irq);
	if (rotate)
		c->prio = (irq + 1) & 7;
}

static void write_ocw2(struct pic8259 *c, uint8_t val)
{
	unsigned int level = val & 7;

	switch (val >> 5) {
	case OCW2_ROTATE_AEOI_CLEAR:
		c->rotate_aeoi = false;
		break;
	case OCW2_ROTATE_AEOI_SET:
		c->rotate_aeoi = true;
		break;
	case OCW2_EOI:
		eoi(c, highest(c, c->isr), false);
		break;
	case OCW2_ROTATE_EOI:
		eoi(c, highest(c, c->isr), true);
		break;
	case OCW2_SPECIFIC_EOI:
		eoi(c, level, false);
		break;
	case OCW2_ROTATE_SPECIFIC_EOI:
		eoi(c, level, true);
		break;
	case OCW2_SET_PRIORITY:
		c->prio = (level + 1) & 7;
		break;
	default:	/* OCW2_NOP */
		break;
	}
}

static void write_a(struct pic8259 *c, uint8_t val)
{
	if (val & ICW1) {
		uint8_t elcr = c->elcr, elcr_mask = c->elcr_mask;

		memset(c, 0, sizeof(*c));
		c->elcr = elcr;
		c->elcr_mask = elcr_mask;
		c->icw4 = val & ICW1_ICW4;
		c->single = val & ICW1_SINGLE;
		c->init_step = 2;
	} else if (val & OCW3) {
		if (val & OCW3_POLL)
			c->poll = true;
		if (val & OCW3_RR)
			c->read_isr = val & OCW3_RIS;
		if (val & OCW3_ESMM)
			c->special_mask = val & OCW3_SMM;
	} else {
		write_ocw2(c, val);
	}
}

static void write_b(struct pic8259 *c, uint8_t val)
{
	switch (c->init_step) {
	case 2:
		c->base = val & 0xf8;
		c->init_step = c->single ? (c->icw4 ? 4 : 0) : 3;
		break;
	case 3:		/* ICW3: the cascade wiring is fixed in a PC */
		c->init_step = c->icw4 ? 4 : 0;
		break;
	case 4:
		c->auto_eoi = val & ICW4_AEOI;
		c->init_step = 0;
		break;
	default:
		c->imr = val;
		break;
	}
}

/* Poll command: acknowledge as INTA would, return 0x80 | level. */
static uint8_t poll(struct pic_pair *p, unsigned int i)
{
	struct pic8259 *c = &p->pic[i];
	int irq = chip_pending(c, i ? 0 : cascade_irr(p));

	c->poll = false;
	if (irq < 0)
		return 0;
	chip_ack(c, irq);
	return 0x80 | irq;
}

/**
 * pic_read() - IN from one of the PICs' ports
 * @p: the PICs
 * @port: 0x20, 0x21, 0xa0, 0xa1, 0x4d0 or 0x4d1; others read 0xff
 *
 * Return: the register's value.
 */
uint8_t pic_read(struct pic_pair *p, uint16_t port)
{
	unsigned int i = port >> 7 & 1;
	struct pic8259 *c = &p->pic[i];

	switch (port) {
	case PIC_MASTER_PORT:
	case PIC_SLAVE_PORT:
		if (c->poll)
			return poll(p, i);
		return c->read_isr ? c->isr : c->irr;
	case PIC_MASTER_PORT + 1:
	case PIC_SLAVE_PORT + 1:
		return c->imr;
	case PIC_ELCR_PORT:
	case PIC_ELCR_PORT + 1:
		return p->pic[port - PIC_ELCR_PORT].elcr;
	default:
		return 0xff;
	}
}

/**
 * pic_write() - OUT to one of the PICs' ports
 * @p: the PICs
 * @port: as for pic_read(); others are ignored
 * @val: the byte written
 */
void pic_write(struct pic_pair *p, uint16_t port, uint8_t val)
{
	struct pic8259 *c = &p->pic[port >> 7 & 1];

	switch (port) {
	case PIC_MASTER_PORT:
	case PIC_SLAVE_PORT:
		write_a(c, val);
		break;
	case PIC_MASTER_PORT + 1:
	case PIC_SLAVE_PORT + 1:
		write_b(c, val);
		break;
	case PIC_ELCR_PORT:
	case PIC_ELCR_PORT + 1:
		c = &p->pic[port - PIC_ELCR_PORT];
		c->elcr = val & c->elcr_mask;
		break;
	default:
		break;
	}
}
