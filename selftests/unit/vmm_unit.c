// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM of the unit tests of `nvmx run` (vmm_unit.h): its setup and
 * teardown, its output and the I/O exits written into a run page.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmm_unit.h"

struct vmm vmm;
struct nvmx_run *run;

static char *out_buf, *err_buf;
static size_t out_len, err_len;

int unit_vmm_setup(unsigned int n)
{
	FILE *out = open_memstream(&out_buf, &out_len);
	FILE *err = open_memstream(&err_buf, &err_len);
	unsigned int i;

	if (!out || !err || n > NVMX_MAX_VCPUS)
		return -1;
	vmm_init(&vmm, out, err);
	vmm.run_size = UNIT_RUN_SIZE;
	vmm.nr_vcpus = n;
	for (i = 0; i < n; i++) {
		vmm.vcpus[i].run = calloc(1, UNIT_RUN_SIZE);
		if (!vmm.vcpus[i].run)
			return -1;
	}
	run = vmm.vcpus[0].run;
	return 0;
}

void unit_vmm_teardown(void)
{
	unsigned int i;

	for (i = 0; i < vmm.nr_vcpus; i++)
		free(vmm.vcpus[i].run);
	vmm_destroy(&vmm);
	fclose(vmm.out);
	fclose(vmm.err);
	free(out_buf);
	free(err_buf);
}

const char *unit_vmm_out(void)
{
	fflush(vmm.out);
	return out_buf ?: "";
}

const char *unit_vmm_err(void)
{
	fflush(vmm.err);
	return err_buf ?: "";
}

enum vmm_action unit_vmm_handle(void)
{
	return vmm_handle_exit(&vmm, &vmm.vcpus[0]);
}

void *unit_io_exit(struct nvmx_run *r, __u8 dir, __u16 port, __u8 size,
		   __u32 count)
{
	r->exit_reason = NVMX_EXIT_IO;
	r->io.direction = dir;
	r->io.port = port;
	r->io.size = size;
	r->io.count = count;
	r->io.data_offset = NVMX_RUN_IO_DATA_OFFSET;
	return (__u8 *)r + NVMX_RUN_IO_DATA_OFFSET;
}
