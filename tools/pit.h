/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An 8254 programmable interval timer (ports 0x40-0x43) with the PC's
 * port 0x61 (channel 2's gate and output, the speaker bits), for `nvmx run
 * --kernel`. Pure: the caller passes the time (ns, CLOCK_MONOTONIC), and a
 * timer thread asks pit_irq0_deadline() when channel 0's output next
 * rises, to raise IRQ 0 then.
 *
 * Counters count down at 1.193182 MHz from when their count was written.
 * Modes 0 and 4 (and 1 and 5, as if their gate had just risen) count once
 * to zero; modes 2 and 3 reload and repeat. Reads return the live count,
 * or a value latched by the counter-latch or read-back command; status
 * read-back is supported. BCD counting is not (counts are binary).
 */
#ifndef NVMX_TOOLS_PIT_H
#define NVMX_TOOLS_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_PORT		0x40	/* 0x40-0x42 counters, 0x43 control */
#define PIT_PORT_61		0x61
#define PIT_HZ			1193182ULL
#define PIT_NO_DEADLINE		UINT64_MAX

struct pit_channel {
	uint64_t load_ns;	/* when the count was written */
	uint32_t count;		/* the initial count, 1 to 65536 */
	uint8_t mode;		/* 0-5 */
	uint8_t access;		/* 1: LSB, 2: MSB, 3: LSB then MSB */
	uint8_t status;		/* the status byte (mode, access, BCD) */
	bool armed;		/* a count was written */
	bool write_msb;		/* next byte written is the MSB */
	bool read_msb;		/* next byte read is the MSB */
	bool latched;		/* @latch holds a latched count */
	bool status_latched;
	uint8_t pending_lsb;
	uint16_t latch;
};

struct pit8254 {
	struct pit_channel ch[3];
	uint8_t port61;		/* bits 0-3 as written: gate 2, speaker, ... */
};

void pit_init(struct pit8254 *p);
uint8_t pit_read(struct pit8254 *p, uint16_t port, uint64_t now_ns);
void pit_write(struct pit8254 *p, uint16_t port, uint8_t val,
	       uint64_t now_ns);
uint64_t pit_irq0_deadline(const struct pit8254 *p, uint64_t after_ns);

#endif /* NVMX_TOOLS_PIT_H */
