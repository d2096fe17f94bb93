// SPDX-License-Identifier: GPL-2.0-only
/*
 * The i8042 controller with no devices (see i8042.h). Commands are those
 * of the IBM PC/AT controller and its PS/2 successors: 0x20 read and 0x60
 * write the configuration byte, 0xaa/0xab/0xa9 the self and port tests,
 * 0xd0/0xd1 the output port (bit 0 is the CPU's reset line), 0xd3 loops a
 * byte through the auxiliary port, 0xf0-0xff pulse output lines.
 */
#include <string.h>

#include "i8042.h"

#define STR_OBF		0x01	/* output buffer full */
#define STR_SYS		0x04	/* system flag: self test passed */
#define STR_CMD		0x08	/* last write was a command */
#define STR_UNLOCKED	0x10
#define CTR_SYS		0x04

enum {
	CMD_READ_CTR = 0x20,
	CMD_WRITE_CTR = 0x60,
	CMD_AUX_DISABLE = 0xa7,
	CMD_AUX_ENABLE = 0xa8,
	CMD_AUX_TEST = 0xa9,
	CMD_SELF_TEST = 0xaa,
	CMD_KBD_TEST = 0xab,
	CMD_KBD_DISABLE = 0xad,
	CMD_KBD_ENABLE = 0xae,
	CMD_READ_OUTPORT = 0xd0,
	CMD_WRITE_OUTPORT = 0xd1,
	CMD_AUX_LOOP = 0xd3,
	CMD_PULSE_RESET = 0xfe,
};

void i8042_init(struct i8042 *k)
{
	memset(k, 0, sizeof(*k));
	k->ctr = CTR_SYS | 0x30;	/* both ports disabled */
}

static void reply(struct i8042 *k, uint8_t val)
{
	k->out = val;
	k->out_full = true;
}

/**
 * i8042_read() - IN from port 0x60 or 0x64
 * @k: the controller
 * @port: 0x60 (the output buffer) or 0x64 (status); others read 0xff
 *
 * Return: the byte read.
 */
uint8_t i8042_read(struct i8042 *k, uint16_t port)
{
	if (port == I8042_DATA_PORT) {
		k->out_full = false;
		return k->out;
	}
	if (port == I8042_CMD_PORT)
		return (k->out_full ? STR_OBF : 0) | STR_SYS | STR_UNLOCKED |
		       (k->last_cmd ? STR_CMD : 0);
	return 0xff;
}

static bool command(struct i8042 *k, uint8_t cmd)
{
	switch (cmd) {
	case CMD_READ_CTR:
		reply(k, k->ctr);
		break;
	case CMD_WRITE_CTR:
	case CMD_WRITE_OUTPORT:
	case CMD_AUX_LOOP:
		k->pending = cmd;
		break;
	case CMD_AUX_DISABLE:
		k->ctr |= 0x20;
		break;
	case CMD_AUX_ENABLE:
		k->ctr &= ~0x20;
		break;
	case CMD_AUX_TEST:
		reply(k, 0x01);		/* clock line stuck low: no mouse */
		break;
	case CMD_SELF_TEST:
		reply(k, 0x55);
		break;
	case CMD_KBD_TEST:
		reply(k, 0x00);
		break;
	case CMD_KBD_DISABLE:
		k->ctr |= 0x10;
		break;
	case CMD_KBD_ENABLE:
		k->ctr &= ~0x10;
		break;
	case CMD_READ_OUTPORT:
		reply(k, 0x03);		/* A20 on, reset line high */
		break;
	default:
		/* 0xf0-0xff pulse output lines for 6 us; bit 0 is reset. */
		return cmd >= 0xf0 && !(cmd & 1);
	}
	return false;
}

/**
 * i8042_write() - OUT to port 0x60 or 0x64
 * @k: the controller
 * @port: 0x60 (data) or 0x64 (command); others are ignored
 * @val: the byte written
 *
 * Return: true if the guest pulled the CPU's reset line.
 */
bool i8042_write(struct i8042 *k, uint16_t port, uint8_t val)
{
	uint8_t cmd = k->pending;

	if (port == I8042_CMD_PORT) {
		k->last_cmd = true;
		k->pending = 0;
		return command(k, val);
	}
	if (port != I8042_DATA_PORT)
		return false;
	k->last_cmd = false;
	k->pending = 0;
	switch (cmd) {
	case CMD_WRITE_CTR:
		k->ctr = val;
		break;
	case CMD_WRITE_OUTPORT:
		return !(val & 1);
	case CMD_AUX_LOOP:
		reply(k, 0xff);		/* nothing answers on the aux port */
		break;
	default:
		break;		/* a byte for the keyboard: there is none */
	}
	return false;
}
