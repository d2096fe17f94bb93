// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of VMCS12 field access (src/nested/vmcs12.c). */
#include "kselftest_harness.h"
#include "../../src/nested/vmcs12.h"

static const u32 all_fields[] = {
#define VMCS_FIELD(name, enc) enc,
#include "../../src/vmx/vmcs_field_list.h"
#undef VMCS_FIELD
};

TEST(every_listed_field_has_its_own_slot_and_name)
{
	unsigned int i;

	ASSERT_EQ(ARRAY_SIZE(all_fields), VMCS12_NR_FIELDS);
	for (i = 0; i < ARRAY_SIZE(all_fields); i++) {
		EXPECT_EQ((int)i, vmcs12_field_index(all_fields[i]));
		EXPECT_NE(NULL, vmcs12_field_name(all_fields[i]));
	}
	EXPECT_STREQ("GUEST_RIP", vmcs12_field_name(VMCS_GUEST_RIP));
	EXPECT_STREQ("EPT_POINTER", vmcs12_field_name(VMCS_EPT_POINTER + 1));
	EXPECT_LE(sizeof(struct vmcs12), 4096);
}

TEST(unsupported_encodings_fail_with_error_12)
{
	static const u32 bad[] = {
		0x0001,		/* high half of a 16-bit field */
		0x6001,		/* ... of a natural-width field */
		0x0006,		/* not a field */
		0x1000,		/* reserved bit 12 */
		0x8000,		/* reserved bit 15 */
		0xffffffff,
		0x00010000 | VMCS_GUEST_RIP,	/* reserved bits 31:16 */
	};
	struct vmcs12 v = { 0 };
	unsigned int i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(VMXERR_UNSUPPORTED_VMCS_COMPONENT,
			  vmcs12_read(&v, bad[i], &val)) TH_LOG("%#x", bad[i]);
		EXPECT_EQ(VMXERR_UNSUPPORTED_VMCS_COMPONENT,
			  vmcs12_write(&v, bad[i], 0, true)) TH_LOG("%#x", bad[i]);
		EXPECT_EQ(NULL, vmcs12_field_name(bad[i]));
	}
}

TEST(writes_are_truncated_to_the_field_width)
{
	struct vmcs12 v = { 0 };
	u64 val;

	ASSERT_EQ(0, vmcs12_write(&v, VMCS_GUEST_CS_SELECTOR, 0x12345678, false));
	ASSERT_EQ(0, vmcs12_read(&v, VMCS_GUEST_CS_SELECTOR, &val));
	EXPECT_EQ(0x5678, val);
	ASSERT_EQ(0, vmcs12_write(&v, VMCS_GUEST_CS_LIMIT, 0x1ffffffffULL, false));
	ASSERT_EQ(0, vmcs12_read(&v, VMCS_GUEST_CS_LIMIT, &val));
	EXPECT_EQ(0xffffffff, val);
	ASSERT_EQ(0, vmcs12_write(&v, VMCS_GUEST_RIP, ~0ULL, false));
	ASSERT_EQ(0, vmcs12_read(&v, VMCS_GUEST_RIP, &val));
	EXPECT_EQ(~0ULL, val);
}

TEST(high_half_of_64_bit_fields)
{
	struct vmcs12 v = { 0 };
	u64 val;

	ASSERT_EQ(0, vmcs12_write(&v, VMCS_TSC_OFFSET, 0x1111222233334444ULL,
				  false));
	ASSERT_EQ(0, vmcs12_read(&v, VMCS_TSC_OFFSET + 1, &val));
	EXPECT_EQ(0x11112222, val);
	/* Writing the high half keeps the low half. */
	ASSERT_EQ(0, vmcs12_write(&v, VMCS_TSC_OFFSET + 1, 0xaaaabbbbccccULL,
				  false));
	ASSERT_EQ(0, vmcs12_read(&v, VMCS_TSC_OFFSET, &val));
	EXPECT_EQ(0xbbbbcccc33334444ULL, val);
}

TEST(read_only_fields_need_the_capability)
{
	struct vmcs12 v = { 0 };
	u64 val;

	EXPECT_EQ(VMXERR_VMWRITE_READ_ONLY,
		  vmcs12_write(&v, VMCS_VM_EXIT_REASON, 1, false));
	EXPECT_EQ(VMXERR_VMWRITE_READ_ONLY,
		  vmcs12_write(&v, VMCS_GUEST_PHYSICAL_ADDRESS + 1, 1, false));
	ASSERT_EQ(0, vmcs12_read(&v, VMCS_VM_EXIT_REASON, &val));
	EXPECT_EQ(0, val);
	EXPECT_EQ(0, vmcs12_write(&v, VMCS_VM_EXIT_REASON, 48, true));
	ASSERT_EQ(0, vmcs12_read(&v, VMCS_VM_EXIT_REASON, &val));
	EXPECT_EQ(48, val);
}

TEST_HARNESS_MAIN
