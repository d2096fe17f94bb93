// SPDX-License-Identifier: GPL-2.0-only
/*
 * The demo guests' console: COM1, a 16550, polled. Each byte waits for
 * the transmit holding register to be empty (LSR bit 5), as a driver for
 * real hardware must.
 */
#include "guest.h"

#define UART_THR	0	/* with LCR.DLAB clear */
#define UART_DLL	0	/* with LCR.DLAB set */
#define UART_DLM	1
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_THRE	0x20

/* 115200 baud 8N1, FIFOs on, no interrupts. */
void console_init(void)
{
	out8(COM1_PORT + UART_IER, 0);
	out8(COM1_PORT + UART_LCR, 0x80);	/* DLAB: the divisor */
	out8(COM1_PORT + UART_DLL, 1);
	out8(COM1_PORT + UART_DLM, 0);
	out8(COM1_PORT + UART_LCR, 0x03);	/* 8 bits, no parity, 1 stop */
	out8(COM1_PORT + UART_FCR, 0x07);	/* enable and clear FIFOs */
	out8(COM1_PORT + UART_MCR, 0x03);	/* DTR, RTS */
}

void console_putc(char c)
{
	while (!(in8(COM1_PORT + UART_LSR) & LSR_THRE))
		;
	out8(COM1_PORT + UART_THR, c);
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void console_hex(uint64_t v)
{
	char buf[16];
	int n = 0;

	console_puts("0x");
	do {
		buf[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (n)
		console_putc(buf[--n]);
}

void console_dec(uint64_t v)
{
	char buf[20];
	int n = 0;

	do {
		buf[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		console_putc(buf[--n]);
}
