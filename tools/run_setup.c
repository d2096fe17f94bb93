// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nvmx run`: creating the VM, its memory and its vCPUs (everything but
 * running them), and taking them down again.
 *
 * Every vCPU starts in 64-bit mode at the ELF entry point, all at once
 * (there is no INIT/SIPI start-up). vCPU N gets RDI = N and the stack
 * below vCPU N-1's: RSP = top of memory - N * 64 KiB. A Linux kernel
 * (--kernel) gets RSI = boot_params and the TSC leaves of run_linux.c; a
 * Multiboot kernel starts in 32-bit protected mode (run_multiboot.c).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "linux_boot.h"
#include "loader.h"
#include "run.h"
#include "vmm.h"

/* One line on stderr for a step that failed; return its -errno. */
static int vm_failed(const char *what, int err)
{
	fprintf(stderr, "nvmx: %s: %s\n", what, strerror(-err));
	return err;
}

static int vcpu_failed(unsigned int id, const char *what, int err)
{
	fprintf(stderr, "nvmx: vCPU %u: %s: %s\n", id, what, strerror(-err));
	return err;
}

static int setup_vcpu(struct vmm *vmm, int dev, unsigned int id,
		      const struct nvmx_boot *boot, bool linux_abi,
		      const struct nvmx_cpuid_entry *cpuid, unsigned int ncpuid)
{
	struct vmm_vcpu *v = &vmm->vcpus[id];
	struct nvmx_boot b = *boot;
	struct nvmx_regs regs;
	int ret;

	ret = nvmx_create_vcpu(vmm->vm_fd, id);
	if (ret < 0)
		return vcpu_failed(id, "cannot create the vCPU", ret);
	v->fd = ret;
	vmm->nr_vcpus = id + 1;		/* from now on, teardown closes it */
	ret = nvmx_map_run(dev, v->fd, &v->run);
	if (ret)
		return vcpu_failed(id, "cannot map the run page", ret);
	ret = nvmx_set_cpuid(v->fd, cpuid, ncpuid);
	if (ret)
		return vcpu_failed(id, "NVMX_SET_CPUID", ret);
	/* An application processor of a PC waits for its start-up IPI. */
	if (linux_abi && id) {
		ret = nvmx_set_mp_state(v->fd, NVMX_MP_WAIT_SIPI);
		return ret ? vcpu_failed(id, "NVMX_SET_MP_STATE (wait for SIPI)",
					 ret) : 0;
	}
	if (boot->multiboot_info)
		return run_multiboot_vcpu(v->fd, boot);
	b.rsp -= id * NVMX_LOADER_STACK_SIZE;
	ret = nvmx_setup_long_mode(v->fd, &b);
	if (ret)
		return vcpu_failed(id, "cannot set up 64-bit mode", ret);
	ret = nvmx_get_regs(v->fd, &regs);
	if (ret)
		return vcpu_failed(id, "NVMX_GET_REGS", ret);
	if (linux_abi)
		regs.rsi = LINUX_BOOT_PARAMS;
	else
		regs.rdi = id;
	ret = nvmx_set_regs(v->fd, &regs);
	return ret ? vcpu_failed(id, "NVMX_SET_REGS", ret) : 0;
}

/**
 * run_setup_vm() - create the VM of `nvmx run`
 * @vmm: initialized with vmm_init(); gets the VM and its vCPUs
 * @dev: /dev/nvmx
 * @o: the options
 * @mem: guest memory, @o->memory bytes, loaded by nvmx_load_elf()
 * @boot: what nvmx_load_elf() said about it
 *
 * On failure, one line on stderr; run_teardown() frees what was created.
 *
 * Return: 0 or -errno.
 */
int run_setup_vm(struct vmm *vmm, int dev, const struct run_options *o,
		 void *mem, const struct nvmx_boot *boot)
{
	struct nvmx_cpuid_entry cpuid[NVMX_MAX_CPUID_ENTRIES];
	int ret, ncpuid;
	unsigned int id;

	ret = nvmx_create_vm(dev);
	if (ret < 0)
		return vm_failed("cannot create a VM", ret);
	vmm->vm_fd = ret;
	ret = nvmx_vcpu_mmap_size(dev);
	if (ret < 0)
		return vm_failed("NVMX_GET_VCPU_MMAP_SIZE", ret);
	vmm->run_size = ret;
	ret = nvmx_set_expose_vmx(vmm->vm_fd, o->expose_vmx);
	if (ret)
		return vm_failed("cannot set the nested virtualization switch",
				 ret);
	ret = nvmx_get_expose_vmx(vmm->vm_fd);
	if (ret < 0)
		return vm_failed("NVMX_GET_EXPOSE_VMX", ret);
	fprintf(stderr, "nvmx: virtualization extensions %s to the guest\n",
		ret ? "exposed" : "not exposed");
	if (o->kernel) {
		ret = nvmx_set_vm_flags(vmm->vm_fd, NVMX_VM_LAPIC);
		if (ret)
			return vm_failed("cannot give the VM local APICs", ret);
	}
	ret = nvmx_set_memory_region(vmm->vm_fd, 0, 0, 0, o->memory, mem);
	if (ret)
		return vm_failed("cannot give the VM its memory", ret);
	ncpuid = nvmx_get_supported_cpuid(dev, cpuid, NVMX_MAX_CPUID_ENTRIES);
	if (ncpuid < 0)
		return vm_failed("NVMX_GET_SUPPORTED_CPUID", ncpuid);
	if (o->kernel) {
		ncpuid = run_linux_cpuid(cpuid, ncpuid, ARRAY_SIZE(cpuid),
					 o->tsc_khz);
		if (ncpuid < 0)
			return vm_failed("the CPUID leaves of the TSC", ncpuid);
	}
	for (id = 0; id < o->cpus; id++) {
		ret = setup_vcpu(vmm, dev, id, boot, o->kernel, cpuid, ncpuid);
		if (ret)
			return ret;
	}
	return 0;
}

/* Unmap and close what run_setup_vm() created, even half-way. */
void run_teardown(struct vmm *vmm, int dev)
{
	unsigned int i;

	for (i = 0; i < vmm->nr_vcpus; i++) {
		struct vmm_vcpu *v = &vmm->vcpus[i];

		if (v->run)
			nvmx_unmap_run(dev, v->run);
		if (v->fd >= 0)
			close(v->fd);
		v->run = NULL;
		v->fd = -1;
	}
	vmm->nr_vcpus = 0;
	if (vmm->vm_fd >= 0)
		close(vmm->vm_fd);
	vmm->vm_fd = -1;
}
