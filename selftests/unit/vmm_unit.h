/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM of the unit tests of `nvmx run` (exits_test, platform_test,
 * vmm_test): a struct vmm whose vCPUs' run pages are ordinary memory and
 * whose console and error output are kept in memory, and an I/O exit
 * written into a run page as NVMX_RUN would. A global, which is safe
 * because the harness runs each test in a process of its own.
 */
#ifndef NVMX_UNIT_VMM_UNIT_H
#define NVMX_UNIT_VMM_UNIT_H

#include "../../tools/vmm.h"

#define UNIT_RUN_SIZE	4096

extern struct vmm vmm;
/* vCPU 0's run page */
extern struct nvmx_run *run;

/*
 * vmm_init() with @n vCPUs, each with a zeroed run page of UNIT_RUN_SIZE
 * bytes (no fd, no thread). Return: 0, or -1 when out of memory.
 */
int unit_vmm_setup(unsigned int n);
void unit_vmm_teardown(void);

/* What the VM wrote so far on vmm.out (the console) and on vmm.err. */
const char *unit_vmm_out(void);
const char *unit_vmm_err(void);

/* vmm_handle_exit() of vCPU 0's current exit. */
enum vmm_action unit_vmm_handle(void);

/*
 * Make @r's exit an I/O exit of @count items of @size bytes at @port,
 * direction @dir, its data at NVMX_RUN_IO_DATA_OFFSET. Return: the data.
 */
void *unit_io_exit(struct nvmx_run *r, __u8 dir, __u16 port, __u8 size,
		   __u32 count);

#endif /* NVMX_UNIT_VMM_UNIT_H */
