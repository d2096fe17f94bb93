/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The controller of an i8042 keyboard controller (ports 0x60 data, 0x64
 * status/command) with nothing plugged in, for `nvmx run --kernel`: enough
 * for Linux to find the controller, see neither a keyboard nor a mouse,
 * and reset the machine with command 0xfe (pulse the reset line) or by
 * writing the output port with bit 0 clear. Pure; i8042_write() says when
 * the guest asked for a reset. Bytes sent to the devices get no answer.
 */
#ifndef NVMX_TOOLS_I8042_H
#define NVMX_TOOLS_I8042_H

#include <stdbool.h>
#include <stdint.h>

#define I8042_DATA_PORT		0x60
#define I8042_CMD_PORT		0x64

struct i8042 {
	uint8_t ctr;		/* controller configuration byte */
	uint8_t out;		/* the output buffer */
	bool out_full;
	bool last_cmd;		/* the last write was to 0x64 */
	uint8_t pending;	/* a command waiting for its data byte */
};

void i8042_init(struct i8042 *k);
uint8_t i8042_read(struct i8042 *k, uint16_t port);
bool i8042_write(struct i8042 *k, uint16_t port, uint8_t val);

#endif /* NVMX_TOOLS_I8042_H */
