// SPDX-License-Identifier: GPL-2.0-only
/*
 * The I/O APIC of `nvmx run --kernel` (see ioapic.h): its registers and
 * the translation of a redirection entry into an interrupt message, as
 * the 82093AA datasheet and the Intel SDM ("Message Signalled
 * Interrupts") describe them.
 */
#include <string.h>

#include "ioapic.h"

#define REG_ID		0x00
#define REG_VERSION	0x01
#define REG_ARB		0x02
#define REG_REDIR	0x10
#define ID_SHIFT	24

/* What the guest may write in an entry: not Delivery Status, Remote IRR. */
#define REDIR_RW	(~(IOAPIC_DELIVS | IOAPIC_REMOTE_IRR))

void ioapic_init(struct ioapic *io, uint8_t id, ioapic_deliver_fn deliver,
		 void *ctx)
{
	unsigned int i;

	memset(io, 0, sizeof(*io));
	io->id = id & 0xf;
	io->deliver = deliver;
	io->ctx = ctx;
	for (i = 0; i < IOAPIC_PINS; i++)
		io->redir[i] = IOAPIC_MASKED;
}

/**
 * ioapic_msi() - the interrupt message of a redirection entry
 * @entry: the entry
 * @address: its MSI address (0xfee00000, destination, logical bit)
 * @data: its MSI data (vector, delivery mode, level-triggered bit)
 *
 * Return: false for the delivery modes that are not sent (SMI, ExtINT,
 * the reserved ones).
 */
bool ioapic_msi(uint64_t entry, uint64_t *address, uint32_t *data)
{
	unsigned int mode = (entry & IOAPIC_DELMODE) >> IOAPIC_DELMODE_SHIFT;

	if (mode != IOAPIC_DM_FIXED && mode != IOAPIC_DM_LOWEST &&
	    mode != IOAPIC_DM_NMI && mode != IOAPIC_DM_INIT)
		return false;
	*address = IOAPIC_MSI_BASE |
		   (entry >> IOAPIC_DEST_SHIFT & 0xff) << 12 |
		   (entry & IOAPIC_DESTMODE_LOGICAL ? IOAPIC_MSI_LOGICAL : 0);
	*data = (entry & IOAPIC_VECTOR) | mode << IOAPIC_DELMODE_SHIFT |
		(entry & IOAPIC_LEVEL ? IOAPIC_MSI_LEVEL : 0);
	return true;
}

static void send(struct ioapic *io, unsigned int pin)
{
	uint64_t address;
	uint32_t data;

	if (!ioapic_msi(io->redir[pin], &address, &data))
		return;
	if (io->redir[pin] & IOAPIC_LEVEL)
		io->redir[pin] |= IOAPIC_REMOTE_IRR;
	io->sent++;
	io->deliver(io->ctx, address, data);
}

/* A level-triggered pin interrupts while asserted, once per Remote IRR. */
static void level_check(struct ioapic *io, unsigned int pin)
{
	uint64_t e = io->redir[pin];

	if ((e & IOAPIC_LEVEL) && !(e & (IOAPIC_MASKED | IOAPIC_REMOTE_IRR)) &&
	    (io->lines & 1U << pin))
		send(io, pin);
}

/**
 * ioapic_set_irq() - the line of a pin changed
 * @io: the I/O APIC
 * @pin: 0 to IOAPIC_PINS - 1 (others are ignored)
 * @asserted: its new state
 */
void ioapic_set_irq(struct ioapic *io, unsigned int pin, bool asserted)
{
	bool was;

	if (pin >= IOAPIC_PINS)
		return;
	was = io->lines & 1U << pin;
	if (asserted)
		io->lines |= 1U << pin;
	else
		io->lines &= ~(1U << pin);
	if (io->redir[pin] & IOAPIC_LEVEL)
		level_check(io, pin);
	else if (asserted && !was && !(io->redir[pin] & IOAPIC_MASKED))
		send(io, pin);
}

static uint32_t reg_read(struct ioapic *io, uint8_t reg)
{
	unsigned int pin = (reg - REG_REDIR) / 2;

	switch (reg) {
	case REG_ID:
	case REG_ARB:
		return (uint32_t)io->id << ID_SHIFT;
	case REG_VERSION:
		return IOAPIC_VERSION;
	}
	if (reg < REG_REDIR || pin >= IOAPIC_PINS)
		return 0;
	return reg & 1 ? io->redir[pin] >> 32 : (uint32_t)io->redir[pin];
}

static void redir_write(struct ioapic *io, unsigned int pin, bool high,
			uint32_t val)
{
	uint64_t e = io->redir[pin], n;

	if (high)
		n = (e & 0xffffffffULL) | (uint64_t)val << 32;
	else
		n = (e & ~0xffffffffULL) | val;
	n = (n & REDIR_RW) | (e & IOAPIC_REMOTE_IRR);
	/* Edge-triggered now: Remote IRR, a level-only bit, clears. */
	if (!(n & IOAPIC_LEVEL))
		n &= ~IOAPIC_REMOTE_IRR;
	io->redir[pin] = n;
	level_check(io, pin);
}

static void reg_write(struct ioapic *io, uint8_t reg, uint32_t val)
{
	unsigned int pin = (reg - REG_REDIR) / 2;

	if (reg == REG_ID)
		io->id = val >> ID_SHIFT & 0xf;
	else if (reg >= REG_REDIR && pin < IOAPIC_PINS)
		redir_write(io, pin, reg & 1, val);
	/* The version and arbitration ID are read-only. */
}

/**
 * ioapic_read() - a 32-bit read in the I/O APIC's page
 * @io: the I/O APIC
 * @offset: from IOAPIC_BASE
 *
 * Return: IOREGSEL or the selected register through IOWIN; 0 elsewhere.
 */
uint32_t ioapic_read(struct ioapic *io, uint64_t offset)
{
	if (offset == IOAPIC_REGSEL)
		return io->regsel;
	if (offset == IOAPIC_WIN)
		return reg_read(io, io->regsel);
	return 0;
}

/**
 * ioapic_write() - a 32-bit write in the I/O APIC's page
 * @io: the I/O APIC
 * @offset: from IOAPIC_BASE
 * @val: the value; IOREGSEL keeps its low 8 bits
 */
void ioapic_write(struct ioapic *io, uint64_t offset, uint32_t val)
{
	if (offset == IOAPIC_REGSEL)
		io->regsel = val;
	else if (offset == IOAPIC_WIN)
		reg_write(io, io->regsel, val);
}
