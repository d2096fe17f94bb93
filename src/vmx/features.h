/* SPDX-License-Identifier: GPL-2.0-only */
/* Names of the NVMX_FEAT_* bits (pure). */
#ifndef NVMX_VMX_FEATURES_H
#define NVMX_VMX_FEATURES_H

#include "../pure.h"

const char *nvmx_feature_name(unsigned int bit);
size_t nvmx_format_features(u64 features, char *buf, size_t len);

#endif /* NVMX_VMX_FEATURES_H */
