// SPDX-License-Identifier: GPL-2.0-only
/*
 * A 16550A UART model (see uart.h). Register offsets and bits follow the
 * 16550A data sheet: with LCR.DLAB set, offsets 0 and 1 are the divisor
 * latch; reads of offset 2 give the interrupt identification, writes the
 * FIFO control.
 */
#include <stdbool.h>
#include <string.h>

#include "uart.h"

enum {
	UART_RBR_THR = 0,
	UART_IER = 1,
	UART_IIR_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define LCR_DLAB	0x80
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */
#define LSR_TEMT	0x40	/* transmitter empty */
#define IIR_NO_INT	0x01
#define IIR_THRI	0x02	/* THR empty */
#define IIR_RDI		0x04	/* received data available */
#define IER_RDI		0x01
#define IER_THRI	0x02
#define MCR_OUT2	0x08	/* a PC's gate from INTR to the PIC */
#define IIR_FIFOS	0xc0	/* FIFOs enabled */
#define FCR_ENABLE	0x01
#define MCR_LOOP	0x10
/* In loopback mode, MSR's CTS/DSR/RI/DCD follow MCR's RTS/DTR/OUT1/OUT2. */
#define MSR_CTS_DSR_DCD	0xb0

/* Loopback: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2. */
static uint8_t uart_loopback_msr(uint8_t mcr)
{
	return (mcr & 0x02) << 3 | (mcr & 0x01) << 5 | (mcr & 0x0c) << 4;
}

void uart_init(struct uart16550 *u, void (*out)(void *ctx, uint8_t byte),
	       void *ctx)
{
	memset(u, 0, sizeof(*u));
	u->out = out;
	u->ctx = ctx;
}

/* The pending interrupt of highest priority, as IIR shows it. */
static uint8_t uart_iir(const struct uart16550 *u)
{
	if ((u->ier & IER_RDI) && u->rx_count)
		return IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre_irq)
		return IIR_THRI;
	return IIR_NO_INT;
}

/**
 * uart_irq_line() - the level of the UART's interrupt line at the PIC
 * @u: the UART
 *
 * Return: true while an enabled interrupt is pending and OUT2 is set.
 */
bool uart_irq_line(const struct uart16550 *u)
{
	return (u->mcr & MCR_OUT2) && uart_iir(u) != IIR_NO_INT;
}

/**
 * uart_receive() - a byte arrives on the serial line
 * @u: the UART
 * @byte: the byte
 *
 * Return: false if the receive FIFO was full and @byte was dropped.
 */
bool uart_receive(struct uart16550 *u, uint8_t byte)
{
	if (u->rx_count == UART_RX_FIFO)
		return false;
	u->rx[(u->rx_head + u->rx_count++) % UART_RX_FIFO] = byte;
	return true;
}

static uint8_t uart_pop(struct uart16550 *u)
{
	uint8_t byte;

	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_RX_FIFO;
	u->rx_count--;
	return byte;
}

/**
 * uart_read() - a guest's IN from the UART
 * @u: the UART
 * @reg: the register offset, 0 to 7; others read as 0xff (no device)
 *
 * Return: the register's value.
 */
uint8_t uart_read(struct uart16550 *u, unsigned int reg)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		return dlab ? u->dll : uart_pop(u);
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR: {
		uint8_t iir = uart_iir(u);

		/* Reading IIR acknowledges a THR-empty interrupt. */
		if (iir == IIR_THRI)
			u->thre_irq = false;
		return iir | ((u->fcr & FCR_ENABLE) ? IIR_FIFOS : 0);
	}
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		/* Transmits at once. */
		return LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
	case UART_MSR:
		if (u->mcr & MCR_LOOP)
			return uart_loopback_msr(u->mcr);
		return MSR_CTS_DSR_DCD;
	case UART_SCR:
		return u->scr;
	default:
		return 0xff;
	}
}

/**
 * uart_write() - a guest's OUT to the UART
 * @u: the UART
 * @reg: the register offset, 0 to 7; others are ignored
 * @val: the byte written
 *
 * A byte written to THR (DLAB clear) goes to the output callback, except
 * in loopback mode, where a real 16550 receives it instead.
 */
void uart_write(struct uart16550 *u, unsigned int reg, uint8_t val)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab)
			u->dll = val;
		else if (u->mcr & MCR_LOOP)
			uart_receive(u, val);
		else if (u->out)
			u->out(u->ctx, val);
		if (!dlab)
			u->thre_irq = true;	/* THR is empty again */
		break;
	case UART_IER:
		if (dlab) {
			u->dlm = val;
			break;
		}
		/* Enabling it with THR empty raises the interrupt. */
		if ((val & IER_THRI) && !(u->ier & IER_THRI))
			u->thre_irq = true;
		u->ier = val & 0x0f;
		break;
	case UART_IIR_FCR:
		u->fcr = val;
		if (val & 0x02) {	/* clear the receive FIFO */
			u->rx_head = 0;
			u->rx_count = 0;
		}
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		u->mcr = val & 0x1f;
		break;
	case UART_SCR:
		u->scr = val;
		break;
	default:	/* LSR and MSR are read-only */
		break;
	}
}
