// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/nvmx/: read-only counters for developers and tests.
 *
 *   vms             VMs that exist
 *   vcpus           vCPUs that exist
 *   vmx_cpus        CPUs that nvmx holds in VMX operation
 *   vmxon_regions   VMXON regions allocated (equals vmx_cpus when idle)
 *   vmcs_selftest   reading it runs VMCLEAR/VMPTRLD/VMWRITE/VMREAD on a
 *                   scratch VMCS on the reading CPU: "ok" or what failed;
 *                   EBUSY while no VM exists (VMX is off)
 *   vmlaunch_selftest  reading it enters a one-page HLT guest on the
 *                   reading CPU: "ok: HLT exit" or what went wrong; EBUSY
 *                   while no VM exists
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>

#include "nvmx.h"
#include "vmx/vmcs.h"
#include "vmx/vmx.h"

static struct dentry *nvmx_debugfs_dir;

static int nvmx_vms_get(void *data, u64 *val)
{
	*val = nvmx_vm_live_count();
	return 0;
}

static int nvmx_vcpus_get(void *data, u64 *val)
{
	*val = nvmx_vcpu_live_count();
	return 0;
}

static int nvmx_vmx_cpus_get(void *data, u64 *val)
{
	*val = nvmx_vmx_cpus_on();
	return 0;
}

static int nvmx_vmxon_regions_get(void *data, u64 *val)
{
	*val = nvmx_vmx_leaked_regions();
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(nvmx_vms_fops, nvmx_vms_get, NULL, "%llu\n");
DEFINE_DEBUGFS_ATTRIBUTE(nvmx_vcpus_fops, nvmx_vcpus_get, NULL, "%llu\n");
DEFINE_DEBUGFS_ATTRIBUTE(nvmx_vmx_cpus_fops, nvmx_vmx_cpus_get, NULL, "%llu\n");
DEFINE_DEBUGFS_ATTRIBUTE(nvmx_vmxon_regions_fops, nvmx_vmxon_regions_get,
			 NULL, "%llu\n");

/* A self-test file: reading it runs the test in file->private_data. */
static ssize_t nvmx_selftest_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	int (*test)(char *buf, size_t len) = file->private_data;
	char buf[96];
	int err;

	if (*ppos)
		return 0;
	err = test(buf, sizeof(buf));
	if (err)
		return err;
	return simple_read_from_buffer(ubuf, count, ppos, buf, strlen(buf));
}

static const struct file_operations nvmx_selftest_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = nvmx_selftest_read,
	.llseek = noop_llseek,
};

/* Failures are ignored, as everywhere with debugfs: it is optional. */
void nvmx_debugfs_init(void)
{
	nvmx_debugfs_dir = debugfs_create_dir("nvmx", NULL);
	debugfs_create_file_unsafe("vms", 0400, nvmx_debugfs_dir, NULL,
				   &nvmx_vms_fops);
	debugfs_create_file_unsafe("vcpus", 0400, nvmx_debugfs_dir, NULL,
				   &nvmx_vcpus_fops);
	debugfs_create_file_unsafe("vmx_cpus", 0400, nvmx_debugfs_dir, NULL,
				   &nvmx_vmx_cpus_fops);
	debugfs_create_file_unsafe("vmxon_regions", 0400, nvmx_debugfs_dir,
				   NULL, &nvmx_vmxon_regions_fops);
	debugfs_create_file("vmcs_selftest", 0400, nvmx_debugfs_dir,
			    nvmx_vmcs_selftest, &nvmx_selftest_fops);
	debugfs_create_file("vmlaunch_selftest", 0400, nvmx_debugfs_dir,
			    nvmx_vmlaunch_selftest, &nvmx_selftest_fops);
}

void nvmx_debugfs_exit(void)
{
	debugfs_remove_recursive(nvmx_debugfs_dir);
}
