/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libnvmx: thin C wrappers around the /dev/nvmx ioctls.
 *
 * Every function returns a non-negative value on success and -errno on
 * failure; none prints or exits. The structures are those of
 * <linux/nvmx.h>.
 */
#ifndef LIBNVMX_H
#define LIBNVMX_H

#include <linux/nvmx.h>

/* Open /dev/nvmx (or $NVMX_DEVICE). Return: an fd, or -errno. */
int nvmx_open(void);

/* Return: NVMX_API_VERSION of the loaded module, or -errno. */
int nvmx_api_version(int dev);

/* Fill @caps with what the module found on the host. Return: 0 or -errno. */
int nvmx_vmx_caps(int dev, struct nvmx_vmx_caps *caps);

/* Create a VM. Return: the VM's fd, or -errno (-EBUSY: VMX held elsewhere). */
int nvmx_create_vm(int dev);

/* The name of NVMX_FEAT_* bit @bit, or NULL. */
const char *nvmx_feature_name(unsigned int bit);

#endif /* LIBNVMX_H */
