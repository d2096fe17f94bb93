// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the feature names (src/vmx/features.c). */
#include <linux/nvmx.h>

#include "kselftest_harness.h"
#include "../../src/vmx/features.h"

TEST(every_uapi_feature_bit_has_a_name)
{
	unsigned int bit;

	for (bit = 0; bit <= 12; bit++)
		EXPECT_NE(NULL, nvmx_feature_name(bit)) TH_LOG("bit %u", bit);
	EXPECT_EQ(NULL, nvmx_feature_name(13));
	EXPECT_EQ(NULL, nvmx_feature_name(~0u));
	EXPECT_STREQ("ept", nvmx_feature_name(__builtin_ctzll(NVMX_FEAT_EPT)));
	EXPECT_STREQ("tsc_scaling",
		     nvmx_feature_name(__builtin_ctzll(NVMX_FEAT_TSC_SCALING)));
}

TEST(format_lists_set_bits_in_order)
{
	char buf[128];

	EXPECT_EQ(9, nvmx_format_features(NVMX_FEAT_EPT | NVMX_FEAT_VPID |
					  (1ULL << 40), buf, sizeof(buf)));
	EXPECT_STREQ(" ept vpid", buf);
	EXPECT_EQ(0, nvmx_format_features(0, buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
}

TEST(format_cuts_at_a_name_boundary)
{
	char buf[10];

	/* " ept vpid" is 9 characters and its NUL: it just fits. */
	EXPECT_EQ(9, nvmx_format_features(NVMX_FEAT_EPT | NVMX_FEAT_VPID |
					  NVMX_FEAT_PML, buf, sizeof(buf)));
	EXPECT_STREQ(" ept vpid", buf);
	EXPECT_EQ(4, nvmx_format_features(NVMX_FEAT_EPT | NVMX_FEAT_VPID,
					  buf, 9));
	EXPECT_STREQ(" ept", buf);
	EXPECT_EQ(0, nvmx_format_features(NVMX_FEAT_EPT, buf, 0));
}

TEST_HARNESS_MAIN
