// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs: creation on a VM fd, the vCPU fd and its register ioctls.
 *
 * A vCPU holds a reference on its VM's file, so the VM lives as long as
 * any of its vCPUs, whatever order userspace closes the fds in.
 */
#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/nvmx.h>

#include "nvmx.h"

/* RFLAGS: bit 1 is always 1; bits 3, 5, 15 and 63:22 are reserved. */
#define RFLAGS_FIXED1		0x2ULL
#define RFLAGS_RESERVED		(0x8028ULL | ~0x3fffffULL)

struct nvmx_vcpu {
	struct nvmx_vm *vm;
	struct file *vm_file;	/* a reference on the VM */
	u32 id;
	struct mutex lock;	/* serializes the vCPU's ioctls */
	struct nvmx_regs regs;
};

static atomic_t nvmx_live_vcpus = ATOMIC_INIT(0);

static long nvmx_get_regs(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;

	mutex_lock(&vcpu->lock);
	memcpy(arg, &vcpu->regs, sizeof(vcpu->regs));
	mutex_unlock(&vcpu->lock);
	return 0;
}

static long nvmx_set_regs(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	struct nvmx_regs *regs = arg;

	if ((regs->rflags & RFLAGS_RESERVED) || !(regs->rflags & RFLAGS_FIXED1))
		return -EINVAL;
	mutex_lock(&vcpu->lock);
	vcpu->regs = *regs;
	mutex_unlock(&vcpu->lock);
	return 0;
}

static const struct nvmx_ioctl nvmx_vcpu_ioctls[] = {
	{ NVMX_GET_REGS, nvmx_get_regs },
	{ NVMX_SET_REGS, nvmx_set_regs },
};

static long nvmx_vcpu_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	return nvmx_ioctl_dispatch(nvmx_vcpu_ioctls,
				   ARRAY_SIZE(nvmx_vcpu_ioctls),
				   file->private_data, cmd, arg);
}

static int nvmx_vcpu_release(struct inode *inode, struct file *file)
{
	struct nvmx_vcpu *vcpu = file->private_data;
	struct file *vm_file = vcpu->vm_file;

	nvmx_vm_forget_vcpu(vcpu->vm, vcpu->id);
	kfree(vcpu);
	atomic_dec(&nvmx_live_vcpus);
	fput(vm_file);		/* may destroy the VM */
	return 0;
}

static const struct file_operations nvmx_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = nvmx_vcpu_release,
	.unlocked_ioctl = nvmx_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/**
 * nvmx_vcpu_create() - create vCPU @id of the VM behind @vm_file
 * @vm: the VM
 * @vm_file: its file, on which the vCPU takes a reference
 * @id: the vCPU id, below NVMX_MAX_VCPUS
 *
 * Context: process context (the NVMX_CREATE_VCPU ioctl).
 * Return: the vCPU fd, or -EINVAL (bad id), -EEXIST (id in use),
 * -ENOMEM, -EMFILE and friends.
 */
int nvmx_vcpu_create(struct nvmx_vm *vm, struct file *vm_file, u32 id)
{
	struct nvmx_vcpu *vcpu;
	struct file *file;
	int fd, err;

	if (id >= NVMX_MAX_VCPUS)
		return -EINVAL;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->vm = vm;
	vcpu->id = id;
	mutex_init(&vcpu->lock);
	vcpu->regs.rflags = RFLAGS_FIXED1;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto err_free;
	}
	err = nvmx_vm_claim_vcpu(vm, id);
	if (err)
		goto err_fd;
	file = anon_inode_getfile("nvmx-vcpu", &nvmx_vcpu_fops, vcpu, O_RDWR);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_claim;
	}
	vcpu->vm_file = get_file(vm_file);
	atomic_inc(&nvmx_live_vcpus);
	fd_install(fd, file);
	return fd;

err_claim:
	nvmx_vm_forget_vcpu(vm, id);
err_fd:
	put_unused_fd(fd);
err_free:
	kfree(vcpu);
	return err;
}

/* vCPUs that exist now; 0 at module unload unless something leaked. */
int nvmx_vcpu_live_count(void)
{
	return atomic_read(&nvmx_live_vcpus);
}
