/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU: what the generic VMM keeps of it (ioctls, the run page, CPUID,
 * pending events, statistics, its debugfs directory, its local APIC with
 * NVMX_VM_LAPIC) and, in @vmx, what the VMX layer keeps (vmx/vcpu.h).
 *
 * Locking: vcpu->lock serializes the vCPU's ioctls, NVMX_RUN included;
 * only NVMX_KICK (and NVMX_STOP_VM on the VM) reach a vCPU without it,
 * through nvmx_vcpu_kick(), and the APIC's timer and other vCPUs' IPIs
 * through @lapic (lapic_vcpu.h) and nvmx_vcpu_wake().
 */
#ifndef NVMX_VCPU_H
#define NVMX_VCPU_H

#include <linux/mutex.h>
#include <linux/nvmx.h>

#include "lapic_vcpu.h"
#include "nvmx.h"
#include "vmx/vcpu.h"

struct nvmx_vm;

/* Where a vCPU is, for nvmx_vcpu_kick(). */
enum nvmx_vcpu_mode {
	NVMX_MODE_OUTSIDE,	/* not about to enter the guest */
	NVMX_MODE_ENTERING,	/* interrupts off, past the last checks */
};

/* What the next NVMX_RUN completes before it enters the guest. */
enum nvmx_completion {
	NVMX_COMPLETE_NONE,
	NVMX_COMPLETE_IO_IN,	/* IN: data from the run page to RAX */
	NVMX_COMPLETE_MMIO_READ, /* MMIO load: run->mmio.data to a GPR */
	NVMX_COMPLETE_VMCALL,	/* run->vmcall.ret to RAX */
	NVMX_COMPLETE_STRING_IN, /* INS: the run page's data to memory */
};

struct nvmx_vcpu {
	struct nvmx_vm *vm;
	struct file *vm_file;	/* a reference on the VM */
	u32 id;
	struct mutex lock;	/* see the header comment */
	struct nvmx_run *run;	/* the shared page */

	struct nvmx_cpuid_entry *cpuid;	/* the guest's CPUID table */
	u32 cpuid_nent;
	struct nvmx_stats stats;
	/* vmx/nested_stats.h; the vCPU's thread writes them, debugfs reads */
	struct nvmx_nested_stats nested_stats;
	u32 nested_stats_window; /* 1 + where L1's exits count, or 0 */
	bool nested_stats_l2_exit; /* an exit of L2's is being handled */
	struct dentry *debugfs;	/* vcpu<id>/ in the VM's debugfs directory */

	int irq_vector;		/* a queued external interrupt, or -1 */
	bool nmi_pending;
	/* INIT and SIPI (in-kernel APIC): see nvmx_vmx_mp_events() */
	u32 mp_state;		/* NVMX_MP_* */
	bool init_pending;	/* an INIT, held while in VMX operation */
	int sipi_vector;	/* a SIPI's vector, or -1 */
	enum nvmx_completion completion;

	bool kick;		/* make NVMX_RUN return -EINTR */
	int mode;		/* enum nvmx_vcpu_mode */
	int cpu;		/* where it runs in NVMX_MODE_ENTERING */
	u64 stop_seq;		/* see nvmx_vm_stopped() */

	struct nvmx_lapic_vcpu lapic;
	struct nvmx_vmx_vcpu vmx;
};

/* cpuid.c */
const struct nvmx_cpuid_entry *nvmx_cpuid_find(const struct nvmx_vcpu *vcpu,
					       u32 function, u32 index);
long nvmx_get_supported_cpuid(void *obj, void *arg);
long nvmx_set_cpuid(struct nvmx_vcpu *vcpu, const struct nvmx_cpuid *c);
void nvmx_cpuid_dynamic(struct nvmx_vcpu *vcpu, u32 function, u32 *out);

#endif /* NVMX_VCPU_H */
