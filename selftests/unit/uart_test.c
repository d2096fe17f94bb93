// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the 16550A model of `nvmx run` (tools/uart.c). */
#include <stdbool.h>

#include "kselftest_harness.h"
#include "../../tools/uart.h"

struct sink {
	char buf[64];
	unsigned int len;
};

static void collect(void *ctx, uint8_t byte)
{
	struct sink *s = ctx;

	if (s->len < sizeof(s->buf))
		s->buf[s->len++] = byte;
}

FIXTURE(uart) {
	struct uart16550 u;
	struct sink out;
};

FIXTURE_SETUP(uart)
{
	memset(&self->out, 0, sizeof(self->out));
	uart_init(&self->u, collect, &self->out);
}

FIXTURE_TEARDOWN(uart)
{
}

TEST_F(uart, transmitted_bytes_reach_the_output)
{
	const char *msg = "hi\n";

	/* What a polled driver does: wait for THRE, write THR. */
	while (*msg) {
		ASSERT_TRUE(uart_read(&self->u, 5) & 0x20);
		uart_write(&self->u, 0, *msg++);
	}
	ASSERT_EQ(3, self->out.len);
	EXPECT_EQ(0, memcmp(self->out.buf, "hi\n", 3));
	EXPECT_EQ(0x60, uart_read(&self->u, 5));
}

TEST_F(uart, the_divisor_latch_hides_thr_and_ier)
{
	uart_write(&self->u, 3, 0x80);		/* DLAB */
	uart_write(&self->u, 0, 0x01);		/* 115200 baud */
	uart_write(&self->u, 1, 0x00);
	EXPECT_EQ(0x01, uart_read(&self->u, 0));
	EXPECT_EQ(0x00, uart_read(&self->u, 1));
	EXPECT_EQ(0, self->out.len);		/* not transmitted */
	uart_write(&self->u, 3, 0x03);		/* 8N1, DLAB off */
	uart_write(&self->u, 1, 0xff);
	EXPECT_EQ(0x0f, uart_read(&self->u, 1));	/* IER bits 7:4 are 0 */
	EXPECT_EQ(0x03, uart_read(&self->u, 3));
	uart_write(&self->u, 0, 'x');
	EXPECT_EQ(1, self->out.len);
}

TEST_F(uart, fifo_state_shows_in_iir)
{
	EXPECT_EQ(0x01, uart_read(&self->u, 2));
	uart_write(&self->u, 2, 0x07);
	EXPECT_EQ(0xc1, uart_read(&self->u, 2));
}

TEST_F(uart, loopback_does_not_transmit_and_echoes_modem_lines)
{
	uart_write(&self->u, 4, 0x10 | 0x0b);	/* loop, OUT2, RTS, DTR */
	uart_write(&self->u, 0, 'x');
	EXPECT_EQ(0, self->out.len);
	EXPECT_EQ(0xb0, uart_read(&self->u, 6));
	uart_write(&self->u, 4, 0x10 | 0x02);	/* loop, RTS only: CTS */
	EXPECT_EQ(0x10, uart_read(&self->u, 6));
	uart_write(&self->u, 4, 0x10 | 0x01);	/* DTR only: DSR */
	EXPECT_EQ(0x20, uart_read(&self->u, 6));
	uart_write(&self->u, 4, 0x10 | 0x04);	/* OUT1 only: RI */
	EXPECT_EQ(0x40, uart_read(&self->u, 6));
	uart_write(&self->u, 4, 0x0b);		/* no loopback */
	EXPECT_EQ(0xb0, uart_read(&self->u, 6));
}

TEST_F(uart, scratch_register_and_out_of_range_offsets)
{
	uart_write(&self->u, 7, 0x5a);
	EXPECT_EQ(0x5a, uart_read(&self->u, 7));
	EXPECT_EQ(0xff, uart_read(&self->u, 8));
	uart_write(&self->u, 8, 0x12);		/* ignored, no crash */
	uart_write(&self->u, 5, 0x00);		/* LSR is read-only */
	EXPECT_EQ(0x60, uart_read(&self->u, 5));
	EXPECT_EQ(0, uart_read(&self->u, 0));	/* nothing received */
}

TEST_F(uart, thr_empty_and_received_data_interrupt_through_out2)
{
	struct uart16550 *u = &self->u;

	EXPECT_FALSE(uart_irq_line(u));
	uart_write(u, 1, 0x02);			/* IER: THR empty */
	EXPECT_FALSE(uart_irq_line(u));		/* OUT2 clear: no line */
	uart_write(u, 4, 0x08);			/* OUT2 */
	ASSERT_TRUE(uart_irq_line(u));		/* enabling with THR empty */
	EXPECT_EQ(0x02, uart_read(u, 2));	/* reading IIR acknowledges */
	EXPECT_FALSE(uart_irq_line(u));
	EXPECT_EQ(0x01, uart_read(u, 2));
	uart_write(u, 0, 'x');			/* sent at once: THR empty */
	EXPECT_TRUE(uart_irq_line(u));
	uart_write(u, 1, 0x00);
	EXPECT_FALSE(uart_irq_line(u));
	/* Received data: DR, RBR, and an interrupt while unread. */
	ASSERT_TRUE(uart_receive(u, 'a'));
	ASSERT_TRUE(uart_receive(u, 'b'));
	EXPECT_EQ(0x61, uart_read(u, 5));
	EXPECT_FALSE(uart_irq_line(u));
	uart_write(u, 1, 0x03);
	EXPECT_EQ(0x04, uart_read(u, 2));	/* data before THR empty */
	EXPECT_EQ('a', uart_read(u, 0));
	EXPECT_EQ('b', uart_read(u, 0));
	EXPECT_EQ(0x60, uart_read(u, 5));
	EXPECT_EQ(0x02, uart_read(u, 2));
	EXPECT_FALSE(uart_irq_line(u));
}

TEST_F(uart, the_receive_fifo_holds_16_bytes)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		ASSERT_TRUE(uart_receive(&self->u, i));
	EXPECT_FALSE(uart_receive(&self->u, 16));
	EXPECT_EQ(0, uart_read(&self->u, 0));
	uart_write(&self->u, 2, 0x03);		/* FIFO on, clear receive */
	EXPECT_EQ(0x60, uart_read(&self->u, 5));
}

TEST_HARNESS_MAIN
