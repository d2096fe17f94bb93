// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMs: creation, the VM fd, destruction when its last reference goes.
 *
 * A VM holds VMX (nvmx_vmx_get()) for its whole life, so the module is in
 * VMX operation exactly while at least one VM exists. Its memory and
 * power state are described in vm.h.
 */
#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/nvmx.h>

#include "nvmx.h"
#include "vcpu.h"
#include "vm.h"
#include "vmx/vmx.h"

static atomic_t nvmx_live_vms = ATOMIC_INIT(0);

/*
 * Enter vCPU @vcpu under id @id in the VM's table.
 * Return: 0, or -EEXIST when the id is taken.
 */
int nvmx_vm_add_vcpu(struct nvmx_vm *vm, struct nvmx_vcpu *vcpu, u32 id)
{
	int err = 0;

	mutex_lock(&vm->lock);
	if (test_and_set_bit(id, vm->vcpu_ids)) {
		err = -EEXIST;
	} else {
		if (vm->flags & NVMX_VM_LAPIC)
			nvmx_lapic_enable(vcpu);
		vm->vcpus[id] = vcpu;
	}
	mutex_unlock(&vm->lock);
	return err;
}

/* Give vCPU id @id back (its vCPU is gone). */
void nvmx_vm_remove_vcpu(struct nvmx_vm *vm, u32 id)
{
	mutex_lock(&vm->lock);
	vm->vcpus[id] = NULL;
	clear_bit(id, vm->vcpu_ids);
	mutex_unlock(&vm->lock);
}

/*
 * An NVMX_RUN starts: the VM is RUNNING from now on. Return: the stop
 * count that nvmx_vm_stopped() compares with.
 */
u64 nvmx_vm_power_on(struct nvmx_vm *vm)
{
	u64 seq;

	mutex_lock(&vm->lock);
	vm->state = NVMX_VM_RUNNING;
	vm->in_run++;
	seq = vm->stop_seq;
	mutex_unlock(&vm->lock);
	return seq;
}

/* An NVMX_RUN that nvmx_vm_power_on() started has returned. */
void nvmx_vm_run_done(struct nvmx_vm *vm)
{
	mutex_lock(&vm->lock);
	vm->in_run--;
	mutex_unlock(&vm->lock);
}

/* Has NVMX_STOP_VM been called since nvmx_vm_power_on() returned @seq? */
bool nvmx_vm_stopped(struct nvmx_vm *vm, u64 seq)
{
	return READ_ONCE(vm->stop_seq) != seq;
}

static long nvmx_vm_get_state(void *obj, void *arg)
{
	struct nvmx_vm *vm = obj;

	if (arg)
		return -EINVAL;
	return READ_ONCE(vm->state);
}

static long nvmx_vm_stop(void *obj, void *arg)
{
	struct nvmx_vm *vm = obj;
	unsigned int i;

	if (arg)
		return -EINVAL;
	mutex_lock(&vm->lock);
	vm->state = NVMX_VM_OFF;
	WRITE_ONCE(vm->stop_seq, vm->stop_seq + 1);
	for_each_set_bit(i, vm->vcpu_ids, NVMX_MAX_VCPUS)
		nvmx_vcpu_notify_stop(vm->vcpus[i]);
	mutex_unlock(&vm->lock);
	return 0;
}

/*
 * The per-VM switch of Hyper-V's ExposeVirtualizationExtensions: only
 * while the VM is off and no vCPU is still inside NVMX_RUN.
 */
static long nvmx_vm_set_expose_vmx(void *obj, void *arg)
{
	struct nvmx_vm *vm = obj;
	long ret = 0;

	if ((unsigned long)arg > 1)
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (vm->state != NVMX_VM_OFF || vm->in_run)
		ret = -EBUSY;
	else
		WRITE_ONCE(vm->expose_vmx, arg);
	mutex_unlock(&vm->lock);
	return ret;
}

static long nvmx_vm_get_expose_vmx(void *obj, void *arg)
{
	struct nvmx_vm *vm = obj;

	if (arg)
		return -EINVAL;
	return READ_ONCE(vm->expose_vmx);
}

/*
 * VM flags; mem.c reads them under vm->mem_lock, vCPU creation under
 * vm->lock. NVMX_VM_NESTED_RESIZE changes at any time, NVMX_VM_LAPIC
 * only while the VM has no vCPU (each vCPU has an APIC or not for life).
 */
static long nvmx_vm_set_flags(void *obj, void *arg)
{
	unsigned long flags = (unsigned long)arg;
	struct nvmx_vm *vm = obj;
	long ret = 0;

	if (flags & ~NVMX_VM_FLAGS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	mutex_lock(&vm->mem_lock);
	if (((flags ^ vm->flags) & NVMX_VM_LAPIC) &&
	    !bitmap_empty(vm->vcpu_ids, NVMX_MAX_VCPUS))
		ret = -EBUSY;
	else
		vm->flags = flags;
	mutex_unlock(&vm->mem_lock);
	mutex_unlock(&vm->lock);
	return ret;
}

static long nvmx_vm_get_flags(void *obj, void *arg)
{
	struct nvmx_vm *vm = obj;
	long ret;

	if (arg)
		return -EINVAL;
	mutex_lock(&vm->mem_lock);
	ret = vm->flags;
	mutex_unlock(&vm->mem_lock);
	return ret;
}

static long nvmx_vm_set_memory_region(void *obj, void *arg)
{
	return nvmx_mem_set_region(obj, arg);
}

static const struct nvmx_ioctl nvmx_vm_ioctls[] = {
	{ NVMX_SET_MEMORY_REGION, nvmx_vm_set_memory_region },
	{ NVMX_GET_VM_STATE, nvmx_vm_get_state },
	{ NVMX_STOP_VM, nvmx_vm_stop },
	{ NVMX_SET_EXPOSE_VMX, nvmx_vm_set_expose_vmx },
	{ NVMX_GET_EXPOSE_VMX, nvmx_vm_get_expose_vmx },
	{ NVMX_SET_VM_FLAGS, nvmx_vm_set_flags },
	{ NVMX_GET_VM_FLAGS, nvmx_vm_get_flags },
	{ NVMX_SIGNAL_MSI, nvmx_vm_signal_msi },
};

static long nvmx_vm_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	/* NVMX_CREATE_VCPU needs the VM's file: not a table entry. */
	if (cmd == NVMX_CREATE_VCPU) {
		if (arg > U32_MAX)
			return -EINVAL;
		return nvmx_vcpu_create(file->private_data, file, arg);
	}
	return nvmx_ioctl_dispatch(nvmx_vm_ioctls, ARRAY_SIZE(nvmx_vm_ioctls),
				   file->private_data, cmd, arg);
}

/* The last reference is gone: no vCPU exists any more. */
static void nvmx_vm_destroy(struct nvmx_vm *vm)
{
	nvmx_debugfs_vm_remove(vm);
	nvmx_mem_destroy(vm);
	mmdrop(vm->mm);
	kfree(vm);
	nvmx_vmx_put();
	atomic_dec(&nvmx_live_vms);
}

static int nvmx_vm_release(struct inode *inode, struct file *file)
{
	nvmx_vm_destroy(file->private_data);
	return 0;
}

static const struct file_operations nvmx_vm_fops = {
	.owner = THIS_MODULE,
	.release = nvmx_vm_release,
	.unlocked_ioctl = nvmx_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/**
 * nvmx_vm_create() - create an empty VM and return its fd
 *
 * Context: process context (the NVMX_CREATE_VM ioctl).
 * Return: the new fd, or -errno: -ENOMEM, -EBUSY when another hypervisor
 * holds VMX, -EMFILE and friends from fd allocation.
 */
int nvmx_vm_create(void)
{
	struct nvmx_vm *vm;
	int err, fd;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	mutex_init(&vm->lock);

	err = nvmx_vmx_get();
	if (err)
		goto err_free;
	/* INVEPT in nvmx_mem_init() needs VMX on. */
	err = nvmx_mem_init(vm);
	if (err)
		goto err_vmx;
	vm->mm = current->mm;
	mmgrab(vm->mm);
	atomic_inc(&nvmx_live_vms);
	/* Before the fd exists: closing the fd removes the directory. */
	nvmx_debugfs_vm_add(vm);
	fd = anon_inode_getfd("nvmx-vm", &nvmx_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto err_put;
	}
	return fd;

err_put:
	nvmx_debugfs_vm_remove(vm);
	atomic_dec(&nvmx_live_vms);
	mmdrop(vm->mm);
	nvmx_mem_destroy(vm);
err_vmx:
	nvmx_vmx_put();
err_free:
	kfree(vm);
	return err;
}

/* VMs that exist now; 0 at module unload unless something leaked. */
int nvmx_vm_live_count(void)
{
	return atomic_read(&nvmx_live_vms);
}
