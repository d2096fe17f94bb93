// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMs: creation, the VM fd, destruction when its last reference goes.
 *
 * A VM holds VMX (nvmx_vmx_get()) for its whole life, so the module is in
 * VMX operation exactly while at least one VM exists.
 */
#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/nvmx.h>

#include "nvmx.h"
#include "vmx/vmx.h"

struct nvmx_vm {
	struct mutex lock;	/* serializes the ioctls that change the VM */
	DECLARE_BITMAP(vcpu_ids, NVMX_MAX_VCPUS);	/* ids in use */
};

static atomic_t nvmx_live_vms = ATOMIC_INIT(0);

/* Reserve vCPU id @id. Return: 0, or -EEXIST when it is taken. */
int nvmx_vm_claim_vcpu(struct nvmx_vm *vm, u32 id)
{
	int err = 0;

	mutex_lock(&vm->lock);
	if (test_and_set_bit(id, vm->vcpu_ids))
		err = -EEXIST;
	mutex_unlock(&vm->lock);
	return err;
}

/* Give vCPU id @id back (its vCPU is gone). */
void nvmx_vm_forget_vcpu(struct nvmx_vm *vm, u32 id)
{
	mutex_lock(&vm->lock);
	clear_bit(id, vm->vcpu_ids);
	mutex_unlock(&vm->lock);
}

static long nvmx_vm_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	/* NVMX_CREATE_VCPU needs the VM's file: not a table entry. */
	if (cmd == NVMX_CREATE_VCPU) {
		if (arg > U32_MAX)
			return -EINVAL;
		return nvmx_vcpu_create(file->private_data, file, arg);
	}
	return nvmx_ioctl_dispatch(NULL, 0, file->private_data, cmd, arg);
}

static void nvmx_vm_destroy(struct nvmx_vm *vm)
{
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
	atomic_inc(&nvmx_live_vms);
	fd = anon_inode_getfd("nvmx-vm", &nvmx_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto err_put;
	}
	return fd;

err_put:
	atomic_dec(&nvmx_live_vms);
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
