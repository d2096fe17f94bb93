/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 16550A UART model for the guest console of `nvmx run`: what a guest's
 * polled serial driver needs (transmit, line status, divisor latch, scratch
 * register), with the interrupts of an interrupt-driven driver: transmit
 * holding register empty and received data available (IER, IIR), on a
 * line that MCR's OUT2 connects to the interrupt controller, as in a PC.
 * Transmitted bytes go to a callback at once (THR is always empty again);
 * received bytes come from uart_receive() into a 16-byte FIFO.
 */
#ifndef NVMX_TOOLS_UART_H
#define NVMX_TOOLS_UART_H

#include <stdbool.h>
#include <stdint.h>

#define UART_COM1_BASE	0x3f8
#define UART_NR_REGS	8
#define UART_COM1_IRQ	4
#define UART_RX_FIFO	16

struct uart16550 {
	uint8_t ier;	/* interrupt enable */
	uint8_t fcr;	/* FIFO control (as written) */
	uint8_t lcr;	/* line control; bit 7 is DLAB */
	uint8_t mcr;	/* modem control */
	uint8_t scr;	/* scratch */
	uint8_t dll;	/* divisor latch, low */
	uint8_t dlm;	/* divisor latch, high */
	bool thre_irq;	/* a THR-empty interrupt is pending */
	uint8_t rx[UART_RX_FIFO];
	unsigned int rx_head, rx_count;
	void (*out)(void *ctx, uint8_t byte);
	void *ctx;
};

void uart_init(struct uart16550 *u, void (*out)(void *ctx, uint8_t byte),
	       void *ctx);
uint8_t uart_read(struct uart16550 *u, unsigned int reg);
void uart_write(struct uart16550 *u, unsigned int reg, uint8_t val);
bool uart_receive(struct uart16550 *u, uint8_t byte);
bool uart_irq_line(const struct uart16550 *u);

#endif /* NVMX_TOOLS_UART_H */
