// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the VMCS field table (src/vmx/vmcs_fields.h). */
#include "kselftest_harness.h"
#include "../../src/vmx/vmcs_fields.h"

struct field {
	const char *name;
	u32 enc;
};

static const struct field fields[] = {
#define VMCS_FIELD(name, enc)	{ #name, enc },
#include "../../src/vmx/vmcs_field_list.h"
#undef VMCS_FIELD
};

/* The name's prefix agrees with the type the encoding says. */
TEST(type_bits_match_the_names)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		const struct field *f = &fields[i];
		enum vmcs_field_type t = vmcs_field_type(f->enc);

		if (!strncmp(f->name, "GUEST_", 6) && t != VMCS_TYPE_RO_DATA)
			EXPECT_EQ(VMCS_TYPE_GUEST, t) TH_LOG("%s", f->name);
		if (!strncmp(f->name, "HOST_", 5))
			EXPECT_EQ(VMCS_TYPE_HOST, t) TH_LOG("%s", f->name);
	}
}

TEST(encodings_are_unique_full_fields)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		/* Only full-width accesses; bit 0 is the high-half access. */
		EXPECT_EQ(0, fields[i].enc & 1) TH_LOG("%s", fields[i].name);
		/* Bits 31:15 and 12 are reserved. */
		EXPECT_EQ(0, fields[i].enc & ~0x6fffu) TH_LOG("%s", fields[i].name);
		for (j = i + 1; j < ARRAY_SIZE(fields); j++)
			EXPECT_NE(fields[i].enc, fields[j].enc)
				TH_LOG("%s %s", fields[i].name, fields[j].name);
	}
}

TEST(widths_and_high_halves)
{
	EXPECT_EQ(VMCS_WIDTH_16, vmcs_field_width(VMCS_GUEST_CS_SELECTOR));
	EXPECT_EQ(VMCS_WIDTH_64, vmcs_field_width(VMCS_EPT_POINTER));
	EXPECT_EQ(VMCS_WIDTH_32, vmcs_field_width(VMCS_VM_EXIT_REASON));
	EXPECT_EQ(VMCS_WIDTH_NATURAL, vmcs_field_width(VMCS_GUEST_RIP));
	EXPECT_TRUE(vmcs_field_is_high(VMCS_EPT_POINTER + 1));
	EXPECT_FALSE(vmcs_field_is_high(VMCS_EPT_POINTER));
	EXPECT_FALSE(vmcs_field_is_high(VMCS_GUEST_CS_SELECTOR + 1));
	EXPECT_EQ(VMCS_TYPE_RO_DATA, vmcs_field_type(VMCS_EXIT_QUALIFICATION));
	EXPECT_EQ(VMCS_TYPE_CONTROL, vmcs_field_type(VMCS_MSR_BITMAP));
}

TEST_HARNESS_MAIN
