/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EPT01: the extended page tables that map a VM's guest-physical
 * addresses to the host pages backing its memory regions (Intel SDM,
 * "EPT Translation Mechanism"). Four levels, 4 KiB leaves, write-back.
 * The same tables serve as EPT02 (nested_ept.c), whose leaves point at
 * pages EPT01 holds.
 *
 * The tables follow the VM's regions: a leaf is created when the guest
 * first touches a page (an EPT violation) and zapped when its region goes
 * or changes. Callers serialize all changes of one EPT (the VM's memory
 * lock); the CPU walks the tables concurrently, which is why an entry is
 * only ever replaced by a single 64-bit store.
 */
#ifndef NVMX_VMX_EPT_H
#define NVMX_VMX_EPT_H

#include <linux/types.h>

#define NVMX_EPT_R		BIT_ULL(0)
#define NVMX_EPT_W		BIT_ULL(1)
#define NVMX_EPT_X		BIT_ULL(2)
#define NVMX_EPT_RWX		(NVMX_EPT_R | NVMX_EPT_W | NVMX_EPT_X)

struct nvmx_ept {
	u64 *root;		/* the PML4 table */
	unsigned int tables;	/* table pages, the root included */
};

/* Called for every host page a leaf mapped, once it is unmapped. */
typedef void (*nvmx_ept_release_fn)(u64 hpa, bool writable);

int nvmx_ept_init(struct nvmx_ept *ept);
void nvmx_ept_destroy(struct nvmx_ept *ept, nvmx_ept_release_fn release);
u64 nvmx_ept_pointer(const struct nvmx_ept *ept);
int nvmx_ept_map(struct nvmx_ept *ept, u64 gpa, u64 hpa, u64 perms);
int nvmx_ept_set(struct nvmx_ept *ept, u64 gpa, u64 hpa, u64 perms);
int nvmx_ept_lookup(const struct nvmx_ept *ept, u64 gpa, u64 *hpa, u64 *perms);
bool nvmx_ept_zap(struct nvmx_ept *ept, u64 gpa, u64 size,
		  nvmx_ept_release_fn release);
void nvmx_ept_invalidate(const struct nvmx_ept *ept);
void nvmx_ept_invalidate_all(void);

#endif /* NVMX_VMX_EPT_H */
