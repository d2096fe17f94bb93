/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A VM: its vCPUs, its power state and its guest memory (the region table
 * and the EPT that follows it).
 *
 * Power state machine (NVMX_GET_VM_STATE):
 *
 *   OFF --NVMX_RUN on any vCPU--> RUNNING --NVMX_STOP_VM--> OFF
 *
 * NVMX_STOP_VM makes every vCPU that is in NVMX_RUN return with
 * NVMX_EXIT_STOPPED; an NVMX_RUN after it powers the VM on again.
 */
#ifndef NVMX_VM_H
#define NVMX_VM_H

#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/nvmx.h>

#include "memslots.h"
#include "vmx/ept.h"

struct nvmx_vcpu;

struct nvmx_vm {
	struct mutex lock;	/* the vCPU table and the power state */
	DECLARE_BITMAP(vcpu_ids, NVMX_MAX_VCPUS);	/* ids in use */
	struct nvmx_vcpu *vcpus[NVMX_MAX_VCPUS];	/* for kicks */
	int state;		/* NVMX_VM_OFF or NVMX_VM_RUNNING */
	unsigned int in_run;	/* vCPUs inside NVMX_RUN */
	bool expose_vmx;	/* VMX visible to the guest; changes while OFF */
	unsigned long flags;	/* NVMX_VM_* */
	u64 stop_seq;		/* NVMX_STOP_VM calls so far */
	struct mm_struct *mm;	/* the address space of the regions */
	struct dentry *debugfs;	/* vm-<pid>-<id>/ in nvmx's debugfs */

	struct mutex mem_lock;	/* @slots, @ept, @vmx_users */
	struct nvmx_slot slots[NVMX_MAX_SLOTS];
	struct nvmx_ept ept;
	unsigned int vmx_users;	/* vCPUs in VMX operation (after L1's VMXON) */
	u64 l1_mem_seq;		/* regions removed or changed under L1's VMX */
};

/* vm.c */
u64 nvmx_vm_power_on(struct nvmx_vm *vm);
void nvmx_vm_run_done(struct nvmx_vm *vm);
bool nvmx_vm_stopped(struct nvmx_vm *vm, u64 seq);
int nvmx_vm_add_vcpu(struct nvmx_vm *vm, struct nvmx_vcpu *vcpu, u32 id);
void nvmx_vm_remove_vcpu(struct nvmx_vm *vm, u32 id);

/* mem.c: guest memory */
int nvmx_mem_init(struct nvmx_vm *vm);
void nvmx_mem_destroy(struct nvmx_vm *vm);
long nvmx_mem_set_region(struct nvmx_vm *vm,
			 const struct nvmx_memory_region *r);

/* What an access to a guest-physical address that exited found there. */
enum nvmx_fault {
	NVMX_FAULT_MAPPED,	/* mapped now (or by another vCPU): retry */
	NVMX_FAULT_MMIO,	/* no region, or a write to a read-only one */
};

int nvmx_mem_fault(struct nvmx_vm *vm, u64 gpa, bool write);
void nvmx_mem_vmx_user(struct nvmx_vm *vm, bool on);
int nvmx_mem_translate(struct nvmx_vm *vm, u64 gpa, bool write, u64 *hpa,
		       u64 *perms);
int nvmx_guest_read(struct nvmx_vm *vm, u64 gpa, void *buf, size_t len);
int nvmx_guest_write(struct nvmx_vm *vm, u64 gpa, const void *buf,
		     size_t len);

#endif /* NVMX_VM_H */
