/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 16550A UART model for the guest console of `nvmx run`: what a guest's
 * polled serial driver needs (transmit, line status, divisor latch, scratch
 * register). Transmitted bytes go to a callback; there is no receive path
 * and no interrupt yet.
 */
#ifndef NVMX_TOOLS_UART_H
#define NVMX_TOOLS_UART_H

#include <stdint.h>

#define UART_COM1_BASE	0x3f8
#define UART_NR_REGS	8

struct uart16550 {
	uint8_t ier;	/* interrupt enable */
	uint8_t fcr;	/* FIFO control (as written) */
	uint8_t lcr;	/* line control; bit 7 is DLAB */
	uint8_t mcr;	/* modem control */
	uint8_t scr;	/* scratch */
	uint8_t dll;	/* divisor latch, low */
	uint8_t dlm;	/* divisor latch, high */
	void (*out)(void *ctx, uint8_t byte);
	void *ctx;
};

void uart_init(struct uart16550 *u, void (*out)(void *ctx, uint8_t byte),
	       void *ctx);
uint8_t uart_read(struct uart16550 *u, unsigned int reg);
void uart_write(struct uart16550 *u, unsigned int reg, uint8_t val);

#endif /* NVMX_TOOLS_UART_H */
