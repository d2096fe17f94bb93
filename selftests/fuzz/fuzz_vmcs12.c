// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes VMCS12 field access (src/nested/vmcs12.c): vmcs12_field_index(),
 * vmcs12_field_name(), vmcs12_read() and vmcs12_write(), with write_ro
 * true and false, on a VMCS12 whose slots start zeroed or filled with
 * junk (as a VMPTRLD of a region L1 wrote by hand leaves them), with a
 * sequence of encodings and values from the input.
 *
 * A model of the VMCS12 follows every call; the invariants:
 * - an encoding with a reserved bit (31:15, 12) or that names no field of
 *   vmcs_field_list.h (bit 0 set only for the high half of a 64-bit
 *   field) is refused with VMXERR_UNSUPPORTED_VMCS_COMPONENT by both read
 *   and write, and vmcs12_field_name() gives NULL for exactly those;
 * - a write to a read-only field fails with VMXERR_VMWRITE_READ_ONLY
 *   unless write_ro, and changes nothing;
 * - an accepted write changes its own slot only: a 16-bit or 32-bit field
 *   keeps the low 16 or 32 bits of the value, a 64-bit or natural-width
 *   field all of it, a high-half access (bit 0) bits 63:32 from the low
 *   32 bits of the value and leaves bits 31:0 alone;
 * - a read gives the slot truncated to the field's width (a slot L1
 *   filled by hand may hold more), or its bits 63:32 for a high-half
 *   access, and changes nothing; so a value written reads back truncated to the
 *   field's width, through the full and the high-half encodings;
 * - vmcs12_field_index() finds the slot of a full-width encoding, -1
 *   for anything else; vmcs12_field_name() names the field.
 * The header words (revision, abort indicator, launch state) never change.
 */
#include <string.h>

#include "fuzz.h"
#include "../../src/nested/vmcs12.h"

static const struct {
	u32 enc;
	const char *name;
} fields[] = {
#define VMCS_FIELD(name, enc) { (enc), #name },
#include "../../src/vmx/vmcs_field_list.h"
#undef VMCS_FIELD
};

#define NR_FIELDS	((int)ARRAY_SIZE(fields))
/* Accesses per input: more only slow the fuzzer down. */
#define MAX_OPS		16

/* The slot of a full-width encoding in the list, or -1. */
static int model_index(u32 enc)
{
	int i;

	for (i = 0; i < NR_FIELDS; i++)
		if (fields[i].enc == enc)
			return i;
	return -1;
}

static bool model_is_high(u32 enc)
{
	return vmcs_field_width(enc) == VMCS_WIDTH_64 && (enc & 1);
}

/* The slot that @enc accesses, or -1 when it is not supported. */
static int model_slot(u32 enc)
{
	if (enc & 0xffff9000u)		/* reserved: 31:15 and 12 */
		return -1;
	return model_index(enc & ~(u32)model_is_high(enc));
}

static u64 model_truncate(u32 enc, u64 val)
{
	switch (vmcs_field_width(enc)) {
	case VMCS_WIDTH_16:
		return val & 0xffff;
	case VMCS_WIDTH_32:
		return val & 0xffffffff;
	default:
		return val;
	}
}

/* A deterministic junk generator for the initial slots. */
static u64 splitmix(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* An encoding: mostly listed fields, some altered, some raw. */
static u32 pick_encoding(struct fuzz_in *in)
{
	u8 sel = fuzz_u8(in);
	u32 enc;

	if (sel & 0x80)
		return fuzz_u32(in);
	enc = fields[fuzz_u8(in) % NR_FIELDS].enc;
	if (sel & 1)
		enc |= 1;		/* high half, or junk in bit 0 */
	if (sel & 2) {
		u8 b = fuzz_u8(in) % 18;	/* a reserved bit */

		enc |= b == 17 ? BIT(12) : BIT(15 + b);
	}
	if (sel & 4)
		enc ^= BIT(fuzz_u8(in) % 15);	/* another width, type, index */
	return enc;
}

static void check_name_and_index(u32 enc, int slot)
{
	const char *name = vmcs12_field_name(enc);
	int idx = vmcs12_field_index(enc);

	FUZZ_CHECK(idx >= -1 && idx < NR_FIELDS);
	FUZZ_CHECK(idx == model_index(enc));
	FUZZ_CHECK(!name == (slot < 0));
	if (name)
		FUZZ_CHECK(!strcmp(name, fields[slot].name));
}

/* Read @enc from @v, which the model @m must equal, and check the value. */
static void check_read(const struct vmcs12 *v, const struct vmcs12 *m,
		       u32 enc)
{
	int slot = model_slot(enc);
	u64 val = 0x5a5a5a5a5a5a5a5aULL;
	int err = vmcs12_read(v, enc, &val);

	if (slot < 0) {
		FUZZ_CHECK(err == VMXERR_UNSUPPORTED_VMCS_COMPONENT);
		return;
	}
	FUZZ_CHECK(err == 0);
	if (model_is_high(enc))
		FUZZ_CHECK(val == m->field[slot] >> 32);
	else
		FUZZ_CHECK(val == model_truncate(enc, m->field[slot]));
}

/* Write through vmcs12_write() and the model; both must agree. */
static int do_write(struct vmcs12 *v, struct vmcs12 *m, u32 enc, u64 val,
		    bool write_ro)
{
	int slot = model_slot(enc);
	int err = vmcs12_write(v, enc, val, write_ro);

	if (slot < 0) {
		FUZZ_CHECK(err == VMXERR_UNSUPPORTED_VMCS_COMPONENT);
	} else if (vmcs_field_type(enc) == VMCS_TYPE_RO_DATA && !write_ro) {
		FUZZ_CHECK(err == VMXERR_VMWRITE_READ_ONLY);
	} else {
		FUZZ_CHECK(err == 0);
		if (model_is_high(enc))
			m->field[slot] = (m->field[slot] & 0xffffffffULL) |
					 (val << 32);
		else
			m->field[slot] = model_truncate(enc, val);
	}
	FUZZ_CHECK(!memcmp(v, m, sizeof(*v)));
	return err;
}

/* After an accepted write of @val: it reads back as the rule says. */
static void check_read_back(const struct vmcs12 *v, u32 enc, u64 val)
{
	u64 got = ~val, full = 0, high = 0;

	FUZZ_CHECK(!vmcs12_read(v, enc, &got));
	if (model_is_high(enc)) {
		FUZZ_CHECK(got == (u32)val);
		FUZZ_CHECK(!vmcs12_read(v, enc & ~1u, &full));
		FUZZ_CHECK(full >> 32 == (u32)val);
		return;
	}
	FUZZ_CHECK(got == model_truncate(enc, val));
	if (vmcs_field_width(enc) == VMCS_WIDTH_64) {
		FUZZ_CHECK(!vmcs12_read(v, enc | 1, &high));
		FUZZ_CHECK(high == val >> 32);
	}
	if (vmcs_field_width(enc) == VMCS_WIDTH_16)
		FUZZ_CHECK(got <= 0xffff);
	if (vmcs_field_width(enc) == VMCS_WIDTH_32)
		FUZZ_CHECK(got <= 0xffffffff);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vmcs12 *v = malloc(sizeof(*v)), *m = malloc(sizeof(*m));
	struct fuzz_in in;
	u8 flags;
	int i, n;

	if (!v || !m)
		abort();
	fuzz_in_init(&in, data, size);
	flags = fuzz_u8(&in);
	memset(v, 0, sizeof(*v));
	if (flags & 1) {
		u64 seed = fuzz_u64(&in);

		v->revision_id = splitmix(&seed);
		v->abort = splitmix(&seed);
		v->launch_state = splitmix(&seed);
		v->reserved = splitmix(&seed);
		for (i = 0; i < VMCS12_NR_FIELDS; i++)
			v->field[i] = splitmix(&seed);
	}
	memcpy(m, v, sizeof(*v));

	for (n = 0; n < MAX_OPS && fuzz_more(&in); n++) {
		u8 op = fuzz_u8(&in);
		u32 enc = pick_encoding(&in);
		u64 val;
		int err;

		/* Every encoding: its name, index and a read. */
		check_name_and_index(enc, model_slot(enc));
		check_name_and_index(enc & ~1u, model_slot(enc & ~1u));
		check_read(v, m, enc);
		if (op & 1) {		/* and a write */
			val = fuzz_u64(&in);
			err = do_write(v, m, enc, val, op & 2);
			if (!err && (op & 4))
				check_read_back(v, enc, val);
		}
		FUZZ_CHECK(!memcmp(v, m, sizeof(*v)));
	}
	free(v);
	free(m);
	return 0;
}
