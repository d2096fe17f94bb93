/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The userspace half of `nvmx run`: the VM's devices, the vCPU threads'
 * run loop and what ends a VM.
 *
 * Devices (port I/O; nothing else is emulated):
 *
 *   0x3f8-0x3ff   COM1, a 16550A (uart.h) whose output goes to vmm->out
 *   0xf4          debug exit: an OUT of value V (1, 2 or 4 bytes) ends the
 *                 VM, and `nvmx run` exits with status V & 0xff (like
 *                 QEMU's isa-debug-exit, but the status is V itself)
 *   other ports   IN reads all ones, OUT is ignored
 *
 * With `nvmx run --kernel`, the PC platform of platform.h answers its
 * ports too, the UART interrupts on IRQ 4, the vCPUs have the module's
 * local APICs (HLT waits in the module for an interrupt); a reset through
 * the i8042 or port 0x92, or an ACPI power-off (S5), ends the VM with
 * status 0; MMIO to the I/O APIC's page goes to it.
 *
 * MMIO (guest-physical addresses outside guest memory): reads return all
 * ones, writes are ignored. VMCALL: no hypercall is defined; every one
 * returns -1 in RAX. HLT: nothing can wake a vCPU (there are no interrupt
 * sources), so the vCPU is done; the VM is done when all are.
 *
 * A vCPU thread may stop the whole VM (debug exit, errors), and so may the
 * SIGINT handler: vmm_stop() is async-signal-safe for that reason.
 */
#ifndef NVMX_TOOLS_VMM_H
#define NVMX_TOOLS_VMM_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "libnvmx.h"
#include "uart.h"

/* Exit statuses of `nvmx run`, besides the guest's own (debug exit). */
#define RUN_OK			0	/* every vCPU halted */
#define RUN_ERROR		1	/* nvmx run or the module failed */
#define RUN_USAGE		2	/* bad command line */
#define RUN_GUEST_SHUTDOWN	121	/* a vCPU triple-faulted */
#define RUN_ENTRY_FAILED	122	/* VM entry refused the guest state */
#define RUN_INTERNAL_ERROR	123	/* the module could not handle an exit */
#define RUN_INTERRUPTED		130	/* SIGINT (128 + 2) */

#define VMM_DEBUG_EXIT_PORT	0xf4

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/* No status yet: the VM runs, or ended with every vCPU halted. */
#define VMM_STATUS_NONE		(-1)

/* What a vCPU thread does after an exit. */
enum vmm_action {
	VMM_CONTINUE,		/* run the vCPU again */
	VMM_VCPU_DONE,		/* this vCPU is finished, the others go on */
	VMM_VM_DONE,		/* stop every vCPU; vmm->status is set */
};

struct vmm;
struct platform;

struct vmm_vcpu {
	struct vmm *vmm;
	unsigned int id;
	int fd;
	struct nvmx_run *run;	/* the run page, vmm->run_size bytes */
	pthread_t thread;
};

struct vmm {
	int vm_fd;
	size_t run_size;
	unsigned int nr_vcpus;
	struct vmm_vcpu vcpus[NVMX_MAX_VCPUS];
	/* Serializes the device models: vCPU threads share them. */
	pthread_mutex_t lock;
	struct uart16550 uart;
	struct platform *platform;	/* NULL but with --kernel */
	FILE *out;		/* the guest's console */
	FILE *err;		/* nvmx's messages */
	/* NVMX_RUN and NVMX_SIGNAL_MSI, or fakes in the unit tests. */
	int (*run_vcpu)(int fd);
	int (*signal_msi)(int vm, __u64 address, __u32 data);
	bool msi_failed;	/* said once on vmm->err */
	/* Atomics, also written by the SIGINT handler. */
	int status;		/* the first final status, or VMM_STATUS_NONE */
	int stopping;
};

void vmm_init(struct vmm *vmm, FILE *out, FILE *err);
void vmm_destroy(struct vmm *vmm);

enum vmm_action vmm_handle_exit(struct vmm *vmm, struct vmm_vcpu *v);

void vmm_set_status(struct vmm *vmm, int status);
int vmm_exit_status(struct vmm *vmm);
void vmm_stop(struct vmm *vmm);
void *vmm_vcpu_thread(void *arg);
bool vmm_on_vcpu_thread(const struct vmm_vcpu *v);

const char *vmx_exit_reason_name(unsigned int reason);
void vmm_print_stats(FILE *f, unsigned int id, const struct nvmx_stats *s);
void vmm_print_nested_stats(FILE *f, unsigned int id,
			    const struct nvmx_nested_stats *ns);

#endif /* NVMX_TOOLS_VMM_H */
