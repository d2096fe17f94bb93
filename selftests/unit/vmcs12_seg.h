/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writing a guest segment into a VMCS12 image (an array of fields indexed
 * by V12_*), for the unit tests and the fuzz targets that build guests:
 * the segments in the order of their VMCS fields, and set_seg().
 */
#ifndef NVMX_UNIT_VMCS12_SEG_H
#define NVMX_UNIT_VMCS12_SEG_H

#include "../../src/nested/vmcs12.h"

/* The guest segments, in the order of their selector, base, ... fields. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

/* Guest segment @i (SEG_*) of VMCS12 fields @f. */
static inline void set_seg(u64 *f, unsigned int i, u64 sel, u64 base,
			   u32 limit, u32 ar)
{
	f[V12_GUEST_ES_SELECTOR + i] = sel;
	f[V12_GUEST_ES_BASE + i] = base;
	f[V12_GUEST_ES_LIMIT + i] = limit;
	f[V12_GUEST_ES_AR_BYTES + i] = ar;
}

#endif /* NVMX_UNIT_VMCS12_SEG_H */
