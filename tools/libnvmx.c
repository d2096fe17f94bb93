// SPDX-License-Identifier: GPL-2.0-only
/*
 * libnvmx: thin C wrappers around the /dev/nvmx ioctls (see libnvmx.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libnvmx.h"

static int ret_or_errno(int ret)
{
	return ret < 0 ? -errno : ret;
}

int nvmx_open(void)
{
	const char *path = getenv("NVMX_DEVICE");

	return ret_or_errno(open(path && *path ? path : "/dev/nvmx",
				 O_RDWR | O_CLOEXEC));
}

int nvmx_api_version(int dev)
{
	return ret_or_errno(ioctl(dev, NVMX_GET_API_VERSION, 0));
}

int nvmx_vmx_caps(int dev, struct nvmx_vmx_caps *caps)
{
	return ret_or_errno(ioctl(dev, NVMX_GET_VMX_CAPS, caps));
}

int nvmx_create_vm(int dev)
{
	return ret_or_errno(ioctl(dev, NVMX_CREATE_VM, 0));
}
