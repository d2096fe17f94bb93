/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCS field encodings (Intel SDM, "Field Encoding in VMCS").
 *
 * An encoding says the field's width (bits 14:13: 16-bit, 64-bit, 32-bit,
 * natural width), its type (bits 11:10: control, read-only data, guest
 * state, host state) and, for 64-bit fields, whether the access is to the
 * high half (bit 0). The fields themselves are listed in vmcs_field_list.h.
 * Pure.
 */
#ifndef NVMX_VMX_VMCS_FIELDS_H
#define NVMX_VMX_VMCS_FIELDS_H

#include "../pure.h"

/* VMCS_<name>: the encoding of each field. */
enum vmcs_field {
#define VMCS_FIELD(name, enc) VMCS_##name = (enc),
#include "vmcs_field_list.h"
#undef VMCS_FIELD
};

/* The parts of an encoding. */
enum vmcs_field_width {
	VMCS_WIDTH_16 = 0,
	VMCS_WIDTH_64 = 1,
	VMCS_WIDTH_32 = 2,
	VMCS_WIDTH_NATURAL = 3,
};

enum vmcs_field_type {
	VMCS_TYPE_CONTROL = 0,
	VMCS_TYPE_RO_DATA = 1,
	VMCS_TYPE_GUEST = 2,
	VMCS_TYPE_HOST = 3,
};

static inline enum vmcs_field_width vmcs_field_width(u32 enc)
{
	return (enc >> 13) & 3;
}

static inline enum vmcs_field_type vmcs_field_type(u32 enc)
{
	return (enc >> 10) & 3;
}

/* Bit 0 of a 64-bit field's encoding selects its high 32 bits. */
static inline bool vmcs_field_is_high(u32 enc)
{
	return vmcs_field_width(enc) == VMCS_WIDTH_64 && (enc & 1);
}

#endif /* NVMX_VMX_VMCS_FIELDS_H */
