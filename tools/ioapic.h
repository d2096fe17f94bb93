/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The I/O APIC of `nvmx run --kernel` (Documentation/guests.rst): an
 * 82093AA-like one at 0xfec00000 with 24 pins, IOREGSEL at +0x00 and
 * IOWIN at +0x10; registers 0x00 ID (bits 27:24), 0x01 version
 * (0x00170011: 24 entries, version 0x11), 0x02 arbitration ID, and
 * 0x10 + 2 * pin the 64-bit redirection entries (low dword first).
 *
 * An interrupt becomes a message to the local APICs in the kernel (the
 * MSI format of struct nvmx_msi), through the @deliver callback: a rising
 * edge on an unmasked edge-triggered pin; for a level-triggered pin, an
 * asserted line while unmasked with Remote IRR clear, which then sets
 * Remote IRR. nvmx's local APICs do not tell userspace about EOIs, so
 * Remote IRR clears only as on a version 0x11 part without an EOI
 * register: when the guest rewrites the entry as edge-triggered (Linux
 * does this to clear it). The platform's devices are ISA ones, all
 * edge-triggered, so the guest sees that only if it makes a pin level.
 *
 * Delivery modes fixed, lowest priority, NMI and INIT go out as such;
 * SMI and ExtINT are not sent (the 8259A's output reaches vCPU 0 on its
 * own path, platform.h). Polarity is kept, not applied: the callers
 * report a pin's line as asserted or not. Pure; the caller serializes.
 */
#ifndef NVMX_TOOLS_IOAPIC_H
#define NVMX_TOOLS_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_BASE		0xfec00000ULL
#define IOAPIC_SIZE		0x1000
#define IOAPIC_PINS		24
#define IOAPIC_VERSION		0x00170011U
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10

/* Redirection entry bits. */
#define IOAPIC_VECTOR		0xffULL
#define IOAPIC_DELMODE_SHIFT	8
#define IOAPIC_DELMODE		(7ULL << IOAPIC_DELMODE_SHIFT)
#define IOAPIC_DESTMODE_LOGICAL	(1ULL << 11)
#define IOAPIC_DELIVS		(1ULL << 12)
#define IOAPIC_POLARITY_LOW	(1ULL << 13)
#define IOAPIC_REMOTE_IRR	(1ULL << 14)
#define IOAPIC_LEVEL		(1ULL << 15)
#define IOAPIC_MASKED		(1ULL << 16)
#define IOAPIC_DEST_SHIFT	56

#define IOAPIC_DM_FIXED		0
#define IOAPIC_DM_LOWEST	1
#define IOAPIC_DM_SMI		2
#define IOAPIC_DM_NMI		4
#define IOAPIC_DM_INIT		5
#define IOAPIC_DM_EXTINT	7

/* An MSI: the address of a message to the local APICs, and its data. */
#define IOAPIC_MSI_BASE		0xfee00000ULL
#define IOAPIC_MSI_LOGICAL	(1ULL << 2)
#define IOAPIC_MSI_LEVEL	(1U << 15)

typedef void (*ioapic_deliver_fn)(void *ctx, uint64_t address,
				  uint32_t data);

struct ioapic {
	uint8_t id;
	uint8_t regsel;
	uint32_t lines;			/* pins asserted, one bit each */
	uint64_t redir[IOAPIC_PINS];
	ioapic_deliver_fn deliver;
	void *ctx;
	uint64_t sent;			/* messages delivered */
};

void ioapic_init(struct ioapic *io, uint8_t id, ioapic_deliver_fn deliver,
		 void *ctx);
uint32_t ioapic_read(struct ioapic *io, uint64_t offset);
void ioapic_write(struct ioapic *io, uint64_t offset, uint32_t val);
void ioapic_set_irq(struct ioapic *io, unsigned int pin, bool asserted);
bool ioapic_msi(uint64_t entry, uint64_t *address, uint32_t *data);

#endif /* NVMX_TOOLS_IOAPIC_H */
