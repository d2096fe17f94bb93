// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of the NVMX_FEAT_* bits, shared by the module's load message and
 * the nvmx CLI (pure: also built into tools/).
 */
#include "features.h"
#include <linux/nvmx.h>

static const char *const nvmx_feature_names[] = {
	[0] = "ept",
	[1] = "vpid",
	[2] = "unrestricted_guest",
	[3] = "vmcs_shadowing",
	[4] = "preemption_timer",
	[5] = "ept_ad",
	[6] = "ept_2m",
	[7] = "ept_1g",
	[8] = "invvpid",
	[9] = "true_controls",
	[10] = "posted_interrupts",
	[11] = "pml",
	[12] = "tsc_scaling",
};

/* The name of NVMX_FEAT_* bit number @bit, or NULL for an unknown bit. */
const char *nvmx_feature_name(unsigned int bit)
{
	if (bit >= ARRAY_SIZE(nvmx_feature_names))
		return NULL;
	return nvmx_feature_names[bit];
}

/**
 * nvmx_format_features() - the names of the bits set in @features
 * @features: NVMX_FEAT_* bits
 * @buf: output, always NUL-terminated when @len > 0
 * @len: size of @buf
 *
 * Each name is preceded by a space.
 *
 * Return: characters written, not counting the NUL; output that does not
 * fit is cut at a name boundary.
 */
size_t nvmx_format_features(u64 features, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int bit;

	if (!len)
		return 0;
	buf[0] = '\0';
	for (bit = 0; bit < 64; bit++) {
		const char *name = nvmx_feature_name(bit);
		size_t n;

		if (!(features & BIT_ULL(bit)) || !name)
			continue;
		n = strlen(name) + 1;
		if (used + n >= len)
			break;
		buf[used] = ' ';
		memcpy(buf + used + 1, name, n);
		used += n;
	}
	return used;
}
