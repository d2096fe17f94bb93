/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generic VMM: what main.c, dev.c and vm.c share.
 */
#ifndef NVMX_NVMX_H
#define NVMX_NVMX_H

#include <linux/fs.h>
#include <linux/types.h>

/**
 * struct nvmx_ioctl - one row of an fd's ioctl table
 * @cmd: the ioctl number; its _IOC_DIR and _IOC_SIZE say what is copied
 * @fn: the handler. For commands with a size, @arg points to a kernel copy
 *	of the argument (copied in for _IOW/_IOWR, zeroed for _IOR, copied
 *	out for _IOR/_IOWR when @fn returns >= 0); for _IO commands it is the
 *	raw ioctl argument cast to a pointer. Returns >= 0 or -errno.
 */
struct nvmx_ioctl {
	unsigned int cmd;
	long (*fn)(void *obj, void *arg);
};

long nvmx_ioctl_dispatch(const struct nvmx_ioctl *table, size_t n,
			 void *obj, unsigned int cmd, unsigned long arg);

struct nvmx_vm;
struct nvmx_vcpu;

/* vm.c */
int nvmx_vm_create(void);
int nvmx_vm_live_count(void);

/* vcpu.c */
int nvmx_vcpu_create(struct nvmx_vm *vm, struct file *vm_file, u32 id);
int nvmx_vcpu_live_count(void);
void nvmx_vcpu_kick(struct nvmx_vcpu *vcpu);
void nvmx_vcpu_notify_stop(struct nvmx_vcpu *vcpu);
void nvmx_vcpu_wake(struct nvmx_vcpu *vcpu);

/* debugfs.c */
void nvmx_debugfs_init(void);
void nvmx_debugfs_exit(void);
void nvmx_debugfs_vm_add(struct nvmx_vm *vm);
void nvmx_debugfs_vm_remove(struct nvmx_vm *vm);
void nvmx_debugfs_vcpu_add(struct nvmx_vcpu *vcpu);
void nvmx_debugfs_vcpu_remove(struct nvmx_vcpu *vcpu);

/* dev.c */
int nvmx_dev_register(void);
void nvmx_dev_unregister(void);

#endif /* NVMX_NVMX_H */
