// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the 8259A pair of `nvmx run --kernel` (tools/pic.c). */
#include "kselftest_harness.h"
#include "../../tools/pic.h"

FIXTURE(pic) {
	struct pic_pair p;
};

/* What Linux's init_8259A() writes: vectors 0x30 and 0x38, cascade. */
FIXTURE_SETUP(pic)
{
	pic_init(&self->p);
	pic_write(&self->p, 0x20, 0x11);
	pic_write(&self->p, 0x21, 0x30);
	pic_write(&self->p, 0x21, 0x04);
	pic_write(&self->p, 0x21, 0x01);
	pic_write(&self->p, 0xa0, 0x11);
	pic_write(&self->p, 0xa1, 0x38);
	pic_write(&self->p, 0xa1, 0x02);
	pic_write(&self->p, 0xa1, 0x01);
	pic_write(&self->p, 0x21, 0x00);
	pic_write(&self->p, 0xa1, 0x00);
}

FIXTURE_TEARDOWN(pic)
{
}

/* OCW3: read ISR, or IRR, of the PIC at @port. */
static uint8_t isr(struct pic_pair *p, uint16_t port)
{
	pic_write(p, port, 0x0b);
	return pic_read(p, port);
}

static uint8_t irr(struct pic_pair *p, uint16_t port)
{
	pic_write(p, port, 0x0a);
	return pic_read(p, port);
}

TEST_F(pic, an_edge_is_delivered_once_and_blocks_until_eoi)
{
	struct pic_pair *p = &self->p;

	EXPECT_FALSE(pic_output(p));
	pic_set_irq(p, 0, true);
	pic_set_irq(p, 0, false);
	ASSERT_TRUE(pic_output(p));
	EXPECT_EQ(0x30, pic_peek_vector(p));
	EXPECT_EQ(0x01, irr(p, 0x20));
	EXPECT_EQ(0x30, pic_ack(p));
	EXPECT_FALSE(pic_output(p));
	EXPECT_EQ(0x01, isr(p, 0x20));
	EXPECT_EQ(0x00, irr(p, 0x20));
	/* A second tick waits in IRR while IRQ 0 is in service. */
	pic_set_irq(p, 0, true);
	pic_set_irq(p, 0, false);
	EXPECT_FALSE(pic_output(p));
	pic_write(p, 0x20, 0x60);		/* specific EOI, IRQ 0 */
	EXPECT_EQ(0x00, isr(p, 0x20));
	EXPECT_TRUE(pic_output(p));
	/* A line held high is one request: no new edge, no new IRQ. */
	EXPECT_EQ(0x30, pic_ack(p));
	pic_write(p, 0x20, 0x20);		/* non-specific EOI */
	pic_set_irq(p, 4, true);
	EXPECT_EQ(0x34, pic_ack(p));
	pic_write(p, 0x20, 0x20);
	EXPECT_FALSE(pic_output(p));
}

TEST_F(pic, masked_inputs_wait_and_priority_is_by_number)
{
	struct pic_pair *p = &self->p;

	pic_write(p, 0x21, 0x02);		/* mask IRQ 1 */
	EXPECT_EQ(0x02, pic_read(p, 0x21));
	pic_set_irq(p, 1, true);
	pic_set_irq(p, 3, true);
	EXPECT_EQ(0x33, pic_ack(p));		/* IRQ 1 masked */
	pic_write(p, 0x21, 0x00);
	/* IRQ 1 has priority over the IRQ 3 in service: it nests. */
	EXPECT_TRUE(pic_output(p));
	EXPECT_EQ(0x31, pic_ack(p));
	EXPECT_EQ(0x0a, isr(p, 0x20));
	pic_write(p, 0x20, 0x20);		/* ends IRQ 1, the highest */
	EXPECT_EQ(0x08, isr(p, 0x20));
}

TEST_F(pic, the_slave_cascades_through_irq2)
{
	struct pic_pair *p = &self->p;

	pic_set_irq(p, 12, true);
	ASSERT_TRUE(pic_output(p));
	EXPECT_EQ(0x3c, pic_ack(p));
	EXPECT_EQ(0x10, isr(p, 0xa0));
	EXPECT_EQ(0x04, isr(p, 0x20));
	/* Masked at the slave: the master sees nothing on IR2. */
	pic_write(p, 0xa0, 0x64);		/* EOI 4 */
	pic_write(p, 0x20, 0x62);		/* EOI 2 */
	pic_write(p, 0xa1, 0x10);
	pic_set_irq(p, 12, false);
	pic_set_irq(p, 12, true);
	EXPECT_FALSE(pic_output(p));
	pic_write(p, 0xa1, 0x00);
	EXPECT_TRUE(pic_output(p));
}

TEST_F(pic, a_request_gone_before_the_ack_is_spurious)
{
	struct pic_pair *p = &self->p;

	pic_write(p, 0x4d0, 0xff);		/* IRQs 3-7 level-triggered */
	EXPECT_EQ(0xf8, pic_read(p, 0x4d0));
	pic_set_irq(p, 5, true);
	EXPECT_TRUE(pic_output(p));
	pic_set_irq(p, 5, false);
	EXPECT_FALSE(pic_output(p));
	EXPECT_EQ(0x37, pic_ack(p));		/* spurious IRQ 7 */
	EXPECT_EQ(0x00, isr(p, 0x20));		/* nothing in service */
	/* A level input stays requested after its ack, until it drops. */
	pic_set_irq(p, 5, true);
	EXPECT_EQ(0x35, pic_ack(p));
	EXPECT_EQ(0x20, irr(p, 0x20));
}

TEST_F(pic, poll_and_auto_eoi)
{
	struct pic_pair *p = &self->p;

	pic_set_irq(p, 6, true);
	pic_write(p, 0x20, 0x0c);		/* poll */
	EXPECT_EQ(0x86, pic_read(p, 0x20));
	EXPECT_EQ(0x40, isr(p, 0x20));
	pic_write(p, 0x20, 0x0c);
	EXPECT_EQ(0x00, pic_read(p, 0x20));
	/* ICW4 with AEOI: nothing stays in service. */
	pic_write(p, 0x20, 0x11);
	pic_write(p, 0x21, 0x50);
	pic_write(p, 0x21, 0x04);
	pic_write(p, 0x21, 0x03);
	EXPECT_EQ(0x00, pic_read(p, 0x21));	/* ICW1 cleared IMR */
	pic_set_irq(p, 1, true);
	EXPECT_EQ(0x51, pic_ack(p));
	EXPECT_EQ(0x00, isr(p, 0x20));
}

TEST_HARNESS_MAIN
