/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A pair of 8259A programmable interrupt controllers as wired in a PC:
 * the master at ports 0x20-0x21 (IRQs 0-7), the slave at 0xa0-0xa1 (IRQs
 * 8-15) cascaded on the master's IR2, and the edge/level control registers
 * (ELCR) at 0x4d0-0x4d1. Pure: `nvmx run` asks it for the vector to inject
 * (NVMX_INTERRUPT) whenever its INT output is up.
 *
 * What is modelled: ICW1-ICW4 (single or cascade, vector base, auto EOI),
 * OCW1 (IMR), OCW2 (non-specific, specific and rotating EOI), OCW3 (read
 * IRR or ISR, poll, special mask mode), fully nested priority with
 * rotation, and the spurious IRQ 7/15 of an acknowledge that finds no
 * request. Not modelled: 8080/8085 mode, buffered mode, special fully
 * nested mode (a slave is handled the same way).
 */
#ifndef NVMX_TOOLS_PIC_H
#define NVMX_TOOLS_PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_MASTER_PORT		0x20
#define PIC_SLAVE_PORT		0xa0
#define PIC_ELCR_PORT		0x4d0
#define PIC_CASCADE_IRQ		2

struct pic8259 {
	uint8_t irr;		/* interrupt requests */
	uint8_t isr;		/* in service */
	uint8_t imr;		/* masked */
	uint8_t lines;		/* input levels, for edge detection */
	uint8_t elcr;		/* level-triggered inputs */
	uint8_t elcr_mask;	/* the ELCR bits that exist */
	uint8_t base;		/* vector of IR0 (ICW2) */
	uint8_t prio;		/* the input with the highest priority */
	uint8_t init_step;	/* 0: ready; 2, 3, 4: next ICW expected */
	bool icw4;		/* ICW1 said an ICW4 follows */
	bool single;		/* ICW1: no cascade, so no ICW3 */
	bool auto_eoi;
	bool read_isr;		/* OCW3: port A reads ISR (else IRR) */
	bool poll;		/* OCW3: the next read of port A polls */
	bool special_mask;
	bool rotate_aeoi;
};

struct pic_pair {
	struct pic8259 pic[2];	/* master, slave */
};

void pic_init(struct pic_pair *p);
void pic_set_irq(struct pic_pair *p, unsigned int irq, bool level);
bool pic_output(const struct pic_pair *p);
int pic_peek_vector(const struct pic_pair *p);
int pic_ack(struct pic_pair *p);
uint8_t pic_read(struct pic_pair *p, uint16_t port);
void pic_write(struct pic_pair *p, uint16_t port, uint8_t val);

#endif /* NVMX_TOOLS_PIC_H */
