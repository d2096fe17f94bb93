// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/nvmx: the system ioctls, and the table-driven ioctl dispatcher that
 * every nvmx fd uses.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/nvmx.h>

#include "nvmx.h"
#include "vcpu.h"
#include "vmx/vmx.h"

/* Arguments up to this size live on the stack during an ioctl. */
#define NVMX_IOCTL_STACK_ARG	256

static long nvmx_call(const struct nvmx_ioctl *io, void *obj,
		      unsigned int cmd, void __user *uarg)
{
	size_t size = _IOC_SIZE(cmd);
	u8 stack_buf[NVMX_IOCTL_STACK_ARG];
	void *buf = stack_buf;
	long ret;

	if (size > sizeof(stack_buf)) {
		buf = kmalloc(size, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOMEM;
	}
	if (_IOC_DIR(cmd) & _IOC_WRITE) {
		if (copy_from_user(buf, uarg, size)) {
			ret = -EFAULT;
			goto out;
		}
	} else {
		memset(buf, 0, size);
	}
	ret = io->fn(obj, buf);
	if (ret >= 0 && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(uarg, buf, size))
		ret = -EFAULT;
out:
	if (buf != stack_buf)
		kfree(buf);
	return ret;
}

/**
 * nvmx_ioctl_dispatch() - run the handler that @table has for @cmd
 * @table: the fd's ioctl table
 * @n: its number of rows
 * @obj: the fd's object (VM, vCPU), passed to the handler
 * @cmd: ioctl number
 * @arg: ioctl argument
 *
 * Context: process context.
 * Return: the handler's result; -ENOTTY for a command not in @table.
 */
long nvmx_ioctl_dispatch(const struct nvmx_ioctl *table, size_t n,
			 void *obj, unsigned int cmd, unsigned long arg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (table[i].cmd != cmd)
			continue;
		if (_IOC_SIZE(cmd) == 0)
			return table[i].fn(obj, (void *)arg);
		return nvmx_call(&table[i], obj, cmd, (void __user *)arg);
	}
	return -ENOTTY;
}

static long nvmx_get_api_version(void *obj, void *arg)
{
	return arg ? -EINVAL : NVMX_API_VERSION;
}

static long nvmx_get_vmx_caps(void *obj, void *arg)
{
	memcpy(arg, &nvmx_host_caps, sizeof(nvmx_host_caps));
	return 0;
}

static long nvmx_get_vcpu_mmap_size(void *obj, void *arg)
{
	return arg ? -EINVAL : PAGE_SIZE;
}

static long nvmx_create_vm(void *obj, void *arg)
{
	/* The argument is reserved for VM flags; none exist yet. */
	return arg ? -EINVAL : nvmx_vm_create();
}

static const struct nvmx_ioctl nvmx_dev_ioctls[] = {
	{ NVMX_GET_API_VERSION, nvmx_get_api_version },
	{ NVMX_GET_VMX_CAPS, nvmx_get_vmx_caps },
	{ NVMX_CREATE_VM, nvmx_create_vm },
	{ NVMX_GET_VCPU_MMAP_SIZE, nvmx_get_vcpu_mmap_size },
	{ NVMX_GET_SUPPORTED_CPUID, nvmx_get_supported_cpuid },
};

static long nvmx_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	return nvmx_ioctl_dispatch(nvmx_dev_ioctls,
				   ARRAY_SIZE(nvmx_dev_ioctls), NULL, cmd, arg);
}

static const struct file_operations nvmx_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = nvmx_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice nvmx_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "nvmx",
	.fops = &nvmx_dev_fops,
	.mode = 0600,
};

int nvmx_dev_register(void)
{
	return misc_register(&nvmx_miscdev);
}

void nvmx_dev_unregister(void)
{
	misc_deregister(&nvmx_miscdev);
}
