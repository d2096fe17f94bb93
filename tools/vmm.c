// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU threads of `nvmx run` and how a VM ends (see vmm.h).
 *
 * Stopping races with vCPUs entering the guest: a thread may have checked
 * vmm->stopping just before another sets it. vmm_stop() therefore also
 * sets immediate_exit in every run page (an NVMX_RUN that starts later
 * returns at once) and both stops the VM and kicks every vCPU (an NVMX_RUN
 * already under way returns).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "platform.h"
#include "vmm.h"

/* The UART's output: the guest's console, flushed line by line. */
static void console_out(void *ctx, uint8_t byte)
{
	FILE *out = ctx;

	fputc(byte, out);
	if (byte == '\n')
		fflush(out);
}

void vmm_init(struct vmm *vmm, FILE *out, FILE *err)
{
	unsigned int i;

	memset(vmm, 0, sizeof(*vmm));
	vmm->vm_fd = -1;
	for (i = 0; i < NVMX_MAX_VCPUS; i++) {
		vmm->vcpus[i].vmm = vmm;
		vmm->vcpus[i].id = i;
		vmm->vcpus[i].fd = -1;
	}
	vmm->out = out;
	vmm->err = err;
	vmm->run_vcpu = nvmx_run;
	vmm->signal_msi = nvmx_signal_msi;
	vmm->status = VMM_STATUS_NONE;
	pthread_mutex_init(&vmm->lock, NULL);
	uart_init(&vmm->uart, console_out, out);
}

void vmm_destroy(struct vmm *vmm)
{
	fflush(vmm->out);
	pthread_mutex_destroy(&vmm->lock);
}

/* Record @status as the VM's exit status unless one was recorded first. */
void vmm_set_status(struct vmm *vmm, int status)
{
	int none = VMM_STATUS_NONE;

	__atomic_compare_exchange_n(&vmm->status, &none, status, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* The exit status once every vCPU thread has ended. */
int vmm_exit_status(struct vmm *vmm)
{
	int status = __atomic_load_n(&vmm->status, __ATOMIC_SEQ_CST);

	return status == VMM_STATUS_NONE ? RUN_OK : status;
}

/**
 * vmm_stop() - make every vCPU thread end soon
 * @vmm: the VM
 *
 * Async-signal-safe (atomics and ioctls only), for the SIGINT handler.
 * Errors are ignored: a vCPU that cannot be kicked is one that is not
 * running, and immediate_exit keeps it from starting.
 */
void vmm_stop(struct vmm *vmm)
{
	int saved_errno = errno;
	unsigned int i;

	__atomic_store_n(&vmm->stopping, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < vmm->nr_vcpus; i++)
		if (vmm->vcpus[i].run)
			__atomic_store_n(&vmm->vcpus[i].run->immediate_exit, 1,
					 __ATOMIC_SEQ_CST);
	if (vmm->vm_fd >= 0)
		nvmx_stop_vm(vmm->vm_fd);
	for (i = 0; i < vmm->nr_vcpus; i++)
		if (vmm->vcpus[i].fd >= 0)
			nvmx_kick(vmm->vcpus[i].fd);
	errno = saved_errno;
}

/* The vCPU whose thread this is, if it is one. */
static __thread const struct vmm_vcpu *current_vcpu;

/* Whether the calling thread is @v's: no need to kick it, then. */
bool vmm_on_vcpu_thread(const struct vmm_vcpu *v)
{
	return current_vcpu == v;
}

static bool stopping(struct vmm *vmm)
{
	return __atomic_load_n(&vmm->stopping, __ATOMIC_SEQ_CST);
}

/**
 * vmm_vcpu_thread() - run one vCPU until it is done or the VM stops
 * @arg: the struct vmm_vcpu
 *
 * -EINTR (a signal, a kick, immediate_exit) only means "look at
 * vmm->stopping"; any other error of NVMX_RUN ends the VM.
 *
 * Return: NULL.
 */
void *vmm_vcpu_thread(void *arg)
{
	struct vmm_vcpu *v = arg;
	struct vmm *vmm = v->vmm;
	enum vmm_action action = VMM_CONTINUE;
	int ret;

	current_vcpu = v;
	while (action == VMM_CONTINUE && !stopping(vmm)) {
		platform_before_run(vmm, v);
		ret = vmm->run_vcpu(v->fd);
		if (ret == -EINTR)
			continue;
		if (ret < 0) {
			fprintf(vmm->err, "nvmx: vCPU %u: NVMX_RUN failed: %s\n",
				v->id, strerror(-ret));
			vmm_set_status(vmm, RUN_ERROR);
			action = VMM_VM_DONE;
			break;
		}
		action = vmm_handle_exit(vmm, v);
	}
	if (action == VMM_VM_DONE)
		vmm_stop(vmm);
	return NULL;
}
