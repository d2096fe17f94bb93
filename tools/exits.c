// SPDX-License-Identifier: GPL-2.0-only
/*
 * What `nvmx run` does with each exit NVMX_RUN hands to userspace (see
 * vmm.h for the devices). Pure but for the UART lock: the unit tests drive
 * it with a run page in ordinary memory.
 *
 * The run page is written by the module, so the I/O exit's offset and
 * sizes are checked before the data is touched: a module bug must not
 * become a wild access in nvmx run.
 */
#include <string.h>

#include "platform.h"
#include "vmm.h"

#define UART_FIRST	UART_COM1_BASE
#define UART_LAST	(UART_COM1_BASE + UART_NR_REGS - 1)

/* A one-byte IN from @port: a device's register, or nothing (all ones). */
static uint8_t port_in8(struct vmm *vmm, uint16_t port)
{
	uint8_t val = 0xff;

	pthread_mutex_lock(&vmm->lock);
	if (port >= UART_FIRST && port <= UART_LAST) {
		val = uart_read(&vmm->uart, port - UART_FIRST);
		platform_uart_changed(vmm);
	} else if (vmm->platform) {
		platform_in(vmm, port, &val);
	}
	pthread_mutex_unlock(&vmm->lock);
	return val;
}

/* A one-byte OUT; *@ends gets what it did to the machine (platform.h). */
static void port_out8(struct vmm *vmm, uint16_t port, uint8_t val,
		      unsigned int *ends)
{
	pthread_mutex_lock(&vmm->lock);
	if (port >= UART_FIRST && port <= UART_LAST) {
		uart_write(&vmm->uart, port - UART_FIRST, val);
		platform_uart_changed(vmm);
	} else if (vmm->platform) {
		platform_out(vmm, port, val, ends);
	}
	pthread_mutex_unlock(&vmm->lock);
}

/*
 * One item of an I/O exit. A wider access is split into bytes at
 * consecutive ports, as the bus does for 8-bit devices: an OUTW to 0x3f8
 * writes THR and IER.
 */
static void io_item(struct vmm *vmm, uint8_t dir, uint16_t port,
		    uint8_t *data, unsigned int size, unsigned int *ends)
{
	unsigned int i;

	for (i = 0; i < size; i++) {
		if (dir == NVMX_EXIT_IO_OUT)
			port_out8(vmm, port + i, data[i], ends);
		else
			data[i] = port_in8(vmm, port + i);
	}
}

static enum vmm_action vm_fails(struct vmm *vmm, int status)
{
	vmm_set_status(vmm, status);
	return VMM_VM_DONE;
}

static enum vmm_action handle_io(struct vmm *vmm, struct vmm_vcpu *v)
{
	struct nvmx_run *run = v->run;
	unsigned int size = run->io.size, i;
	uint64_t off = run->io.data_offset;
	unsigned int ends = 0;
	uint8_t *data;

	if ((size != 1 && size != 2 && size != 4) || off > vmm->run_size ||
	    run->io.count > (vmm->run_size - off) / size) {
		fprintf(vmm->err,
			"nvmx: vCPU %u: malformed I/O exit: port %#x, %u x %u bytes at offset %#llx\n",
			v->id, run->io.port, run->io.count, size,
			(unsigned long long)off);
		return vm_fails(vmm, RUN_INTERNAL_ERROR);
	}
	data = (uint8_t *)run + off;
	for (i = 0; i < run->io.count; i++, data += size) {
		if (run->io.port == VMM_DEBUG_EXIT_PORT &&
		    run->io.direction == NVMX_EXIT_IO_OUT) {
			uint32_t val = 0;

			memcpy(&val, data, size);	/* x86: little-endian */
			return vm_fails(vmm, val & 0xff);
		}
		io_item(vmm, run->io.direction, run->io.port, data, size,
			&ends);
		if (ends & PLATFORM_RESET) {
			fprintf(vmm->err, "nvmx: vCPU %u reset the machine\n",
				v->id);
			return vm_fails(vmm, RUN_OK);
		}
		if (ends & PLATFORM_POWER_OFF) {
			fprintf(vmm->err, "nvmx: the guest powered off (vCPU %u, ACPI S5)\n",
				v->id);
			return vm_fails(vmm, RUN_OK);
		}
	}
	return VMM_CONTINUE;
}

static void handle_mmio(struct vmm *vmm, struct nvmx_run *run)
{
	unsigned int len = run->mmio.len;

	if (len > sizeof(run->mmio.data))	/* the module's bug: no device */
		len = 0;
	if (len && platform_mmio(vmm, run->mmio.phys_addr, run->mmio.data,
				 len, run->mmio.is_write))
		return;
	/* Nothing is there: reads float to all ones, writes go nowhere. */
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
}

static enum vmm_action fail_entry(struct vmm *vmm, struct vmm_vcpu *v)
{
	unsigned long long reason =
		v->run->fail_entry.hardware_entry_failure_reason;

	fprintf(vmm->err,
		"nvmx: vCPU %u: VM entry failed: exit reason %#llx (%s), qualification %#llx, CPU %u\n",
		v->id, reason, vmx_exit_reason_name(reason & 0xffff),
		(unsigned long long)v->run->fail_entry.qualification,
		v->run->fail_entry.cpu);
	return vm_fails(vmm, RUN_ENTRY_FAILED);
}

static const char *const suberror_names[] = {
	[NVMX_INTERNAL_UNHANDLED_EXIT] = "unhandled exit",
	[NVMX_INTERNAL_EMULATION] = "emulation failed",
	[NVMX_INTERNAL_VMFAIL] = "VMX instruction failed",
	[NVMX_INTERNAL_MEMORY] = "guest memory",
};

static enum vmm_action internal_error(struct vmm *vmm, struct vmm_vcpu *v)
{
	struct nvmx_run *run = v->run;
	uint32_t sub = run->internal.suberror, i, n = run->internal.ndata;
	const char *name = NULL;

	if (sub < ARRAY_SIZE(suberror_names))
		name = suberror_names[sub];
	if (n > ARRAY_SIZE(run->internal.data))
		n = ARRAY_SIZE(run->internal.data);
	fprintf(vmm->err, "nvmx: vCPU %u: internal error %u (%s), data:", v->id,
		sub, name ?: "?");
	for (i = 0; i < n; i++)
		fprintf(vmm->err, " %#llx",
			(unsigned long long)run->internal.data[i]);
	fprintf(vmm->err, "\n");
	return vm_fails(vmm, RUN_INTERNAL_ERROR);
}

/**
 * vmm_handle_exit() - act on the exit described in @v's run page
 * @vmm: the VM
 * @v: the vCPU whose NVMX_RUN returned 0
 *
 * Fills in the run page for the next NVMX_RUN where the exit asks for data
 * (IN, MMIO read, VMCALL).
 *
 * Return: what the vCPU thread does next; with VMM_VM_DONE, vmm->status
 * holds the exit status (unless another thread set one first).
 */
enum vmm_action vmm_handle_exit(struct vmm *vmm, struct vmm_vcpu *v)
{
	struct nvmx_run *run = v->run;

	switch (run->exit_reason) {
	case NVMX_EXIT_IO:
		return handle_io(vmm, v);
	case NVMX_EXIT_MMIO:
		handle_mmio(vmm, run);
		return VMM_CONTINUE;
	case NVMX_EXIT_VMCALL:
		run->vmcall.ret = ~0ULL;	/* -1: no such hypercall */
		return VMM_CONTINUE;
	case NVMX_EXIT_INTR:		/* the thread checks vmm->stopping */
		return VMM_CONTINUE;
	case NVMX_EXIT_IRQ_WINDOW_OPEN:	/* asked for by platform.c only */
		if (vmm->platform)
			return VMM_CONTINUE;
		break;
	case NVMX_EXIT_HLT:
		if (!vmm->platform || !run->if_flag)
			return VMM_VCPU_DONE;	/* nothing can wake it */
		/* Not ready with IF set: nvmx holds an event for the guest. */
		if (!run->ready_for_interrupt_injection)
			return VMM_CONTINUE;
		return platform_wait_irq(vmm) ? VMM_CONTINUE : VMM_VCPU_DONE;
	case NVMX_EXIT_STOPPED:
		return VMM_VCPU_DONE;
	case NVMX_EXIT_SHUTDOWN:
		fprintf(vmm->err, "nvmx: guest vCPU %u shut down (triple fault)\n",
			v->id);
		return vm_fails(vmm, RUN_GUEST_SHUTDOWN);
	case NVMX_EXIT_FAIL_ENTRY:
		return fail_entry(vmm, v);
	case NVMX_EXIT_INTERNAL_ERROR:
		return internal_error(vmm, v);
	default:	/* UNKNOWN */
		break;
	}
	fprintf(vmm->err, "nvmx: vCPU %u: unexpected exit %u (%s)\n", v->id,
		run->exit_reason, nvmx_exit_name(run->exit_reason));
	return vm_fails(vmm, RUN_INTERNAL_ERROR);
}
