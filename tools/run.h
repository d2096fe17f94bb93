/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `nvmx run [--memory SIZE] [--cpus N] [--stats] IMAGE`: run a static
 * 64-bit ELF guest (loader.h) on nvmx, with the devices of vmm.h; or
 * `nvmx run [OPTIONS] --kernel BZIMAGE [--initrd FILE] [--append CMDLINE]`:
 * boot Linux (linux_boot.h) on the PC platform of platform.h; or the same
 * with a Multiboot kernel and [--module FILE[,ARGS]]... (multiboot.h,
 * run_multiboot.c).
 */
#ifndef NVMX_TOOLS_RUN_H
#define NVMX_TOOLS_RUN_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#define RUN_DEFAULT_MEMORY	(16ULL << 20)
#define RUN_DEFAULT_LINUX_MEMORY	(128ULL << 20)
#define RUN_MAX_MODULES		64	/* --module, as MB_MAX_MODULES */

struct run_options {
	__u64 memory;		/* bytes of guest memory */
	unsigned int cpus;	/* vCPUs, 1 to NVMX_MAX_VCPUS */
	bool stats;		/* print each vCPU's nvmx_stats at the end */
	bool expose_vmx;	/* --expose-virtualization-extensions */
	const char *image;	/* the ELF guest, or NULL with @kernel */
	const char *kernel;	/* --kernel: a bzImage or Multiboot kernel */
	const char *initrd;	/* --initrd */
	const char *append;	/* --append: NULL for the default */
	const char *modules[RUN_MAX_MODULES];	/* --module FILE[,ARGS] */
	unsigned int nr_modules;
	__u32 tsc_khz;		/* with @kernel: the host's, for CPUID */
};

struct vmm;
struct nvmx_boot;
struct nvmx_cpuid_entry;

int run_parse_size(const char *s, __u64 *bytes);
int run_parse_args(int argc, char **argv, struct run_options *opts,
		   char *err, size_t errlen);
int run_setup_vm(struct vmm *vmm, int dev, const struct run_options *o,
		 void *mem, const struct nvmx_boot *boot);
int run_linux_cpuid(struct nvmx_cpuid_entry *cpuid, int n, int room,
		    __u32 tsc_khz);
int run_linux_cmdline(char *buf, size_t len);
void run_teardown(struct vmm *vmm, int dev);
int run_map_file(const char *path, const void **data, size_t *len);

/* run_multiboot.c: --kernel with a Multiboot kernel. */
int run_kernel_is_bzimage(const void *kernel, size_t len);
int run_load_multiboot(const struct run_options *o, const void *kernel,
		       size_t kernel_len, void *mem, struct nvmx_boot *boot);
int run_multiboot_vcpu(int vcpu, const struct nvmx_boot *boot);
int cmd_run(int argc, char **argv);

/* nvmx.c: open /dev/nvmx, saying on stderr what to do if that fails. */
int open_dev(void);

#endif /* NVMX_TOOLS_RUN_H */
