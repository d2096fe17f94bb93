// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMCS12 field access: what L1's VMREAD and VMWRITE do to nvmx's VMCS12.
 * Pure. See vmcs12.h for the layout.
 */
#include "vmcs12.h"

/* The region is one page: the layout must fit. */
static_assert(sizeof(struct vmcs12) <= 4096, "VMCS12 is larger than a page");

/* Every field nvmx supports, in slot order (enum vmcs12_index). */
static const struct {
	u32 encoding;
	const char *name;
} vmcs12_fields[] = {
#define VMCS_FIELD(name, enc) { (enc), #name },
#include "../vmx/vmcs_field_list.h"
#undef VMCS_FIELD
};

static_assert(ARRAY_SIZE(vmcs12_fields) == VMCS12_NR_FIELDS,
	      "the field table and the slots disagree");

/**
 * vmcs12_field_index() - the slot of a field in struct vmcs12
 * @encoding: a full-width field encoding (bit 0 clear for 64-bit fields)
 *
 * A linear search: VMCS shadowing, not this lookup, keeps L1's frequent
 * VMREADs and VMWRITEs fast.
 *
 * Return: the slot, or -1 for an encoding nvmx does not support.
 */
int vmcs12_field_index(u32 encoding)
{
	int i;

	for (i = 0; i < VMCS12_NR_FIELDS; i++)
		if (vmcs12_fields[i].encoding == encoding)
			return i;
	return -1;
}

/* The field's name for traces and messages, or NULL. */
const char *vmcs12_field_name(u32 encoding)
{
	int i = vmcs12_field_index(encoding & ~(u32)vmcs_field_is_high(encoding));

	return i < 0 ? NULL : vmcs12_fields[i].name;
}

/*
 * The slot that @encoding accesses, and whether it is the high half of a
 * 64-bit field. Encodings with reserved bits set (31:15, 12) are not
 * supported (Intel SDM, "Field Encoding in VMCS").
 */
static int vmcs12_slot(u32 encoding, bool *high)
{
	if (encoding & ~0x6fffu)
		return -1;
	*high = vmcs_field_is_high(encoding);
	return vmcs12_field_index(encoding & ~(u32)*high);
}

/* Keep only the bits a field of this width holds. */
static u64 vmcs12_truncate(u32 encoding, u64 val)
{
	switch (vmcs_field_width(encoding)) {
	case VMCS_WIDTH_16:
		return (u16)val;
	case VMCS_WIDTH_32:
		return (u32)val;
	default:
		return val;
	}
}

/**
 * vmcs12_slot_offset() - where the slot of a field is in a VMCS12 region
 * @encoding: the field encoding L1 gave (a high-half access too)
 *
 * For the shadow VMCS of L1's that L0 accesses in L1's memory, one slot
 * at a time. Return: the byte offset from the start of the region (below
 * 4096), or -1 for an encoding nvmx does not support.
 */
int vmcs12_slot_offset(u32 encoding)
{
	bool high;
	int i = vmcs12_slot(encoding, &high);

	return i < 0 ? -1 : (int)(offsetof(struct vmcs12, field) + 8 * i);
}

/**
 * vmcs12_slot_get() - VMREAD of a field from the value of its slot
 * @slot: the 8 bytes of the field's slot
 * @encoding: a supported encoding (vmcs12_slot_offset() >= 0)
 *
 * Return: the value, zero-extended (a high-half access gives bits 63:32).
 */
u64 vmcs12_slot_get(u64 slot, u32 encoding)
{
	/* A slot L1 filled by hand holds more: only the field's width. */
	if (vmcs_field_is_high(encoding))
		return slot >> 32;
	return vmcs12_truncate(encoding, slot);
}

/**
 * vmcs12_slot_put() - VMWRITE of a field into the value of its slot
 * @slot: the 8 bytes of the field's slot, updated
 * @encoding: a supported encoding (vmcs12_slot_offset() >= 0)
 * @val: the value; bits beyond the field's width are dropped
 * @write_ro: the VMX capability "VMWRITE to any supported field" is
 *	      exposed to L1 (IA32_VMX_MISC bit 29)
 *
 * Return: 0, or VMXERR_VMWRITE_READ_ONLY (@slot unchanged).
 */
int vmcs12_slot_put(u64 *slot, u32 encoding, u64 val, bool write_ro)
{
	if (vmcs_field_type(encoding) == VMCS_TYPE_RO_DATA && !write_ro)
		return VMXERR_VMWRITE_READ_ONLY;
	if (vmcs_field_is_high(encoding))
		*slot = (*slot & 0xffffffffULL) | ((u64)(u32)val << 32);
	else
		*slot = vmcs12_truncate(encoding, val);
	return 0;
}

/**
 * vmcs12_read() - VMREAD of a VMCS12 field
 * @v: the VMCS12
 * @encoding: the field encoding L1 gave
 * @val: the value, zero-extended (a high-half access gives bits 63:32)
 *
 * Return: 0, or VMXERR_UNSUPPORTED_VMCS_COMPONENT.
 */
int vmcs12_read(const struct vmcs12 *v, u32 encoding, u64 *val)
{
	bool high;
	int i = vmcs12_slot(encoding, &high);

	if (i < 0)
		return VMXERR_UNSUPPORTED_VMCS_COMPONENT;
	*val = vmcs12_slot_get(v->field[i], encoding);
	return 0;
}

/**
 * vmcs12_write() - VMWRITE of a VMCS12 field
 * @v: the VMCS12
 * @encoding: the field encoding L1 gave
 * @val: the value; bits beyond the field's width are dropped
 * @write_ro: the VMX capability "VMWRITE to any supported field" is
 *	      exposed to L1 (IA32_VMX_MISC bit 29)
 *
 * Return: 0, VMXERR_UNSUPPORTED_VMCS_COMPONENT or VMXERR_VMWRITE_READ_ONLY.
 */
int vmcs12_write(struct vmcs12 *v, u32 encoding, u64 val, bool write_ro)
{
	bool high;
	int i = vmcs12_slot(encoding, &high);

	if (i < 0)
		return VMXERR_UNSUPPORTED_VMCS_COMPONENT;
	return vmcs12_slot_put(&v->field[i], encoding, val, write_ro);
}
