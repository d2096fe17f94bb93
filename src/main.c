// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmx: module load and unload.
 *
 * Load probes the CPU (and refuses, saying why, where nvmx cannot work),
 * reports the VT-x capabilities it found and creates /dev/nvmx. Unload is
 * only possible when no fd is open, so no VM exists and VMX is off.
 */
#include <linux/kernel.h>
#include <linux/module.h>

#include "nvmx.h"
#include "vmx/features.h"
#include "vmx/vmx.h"

static void nvmx_report_caps(void)
{
	char list[256];

	nvmx_format_features(nvmx_host_caps.features, list, sizeof(list));
	pr_info("nvmx: VT-x found: VMCS revision %#x, %u-byte VMCS, %u CPUs; features:%s\n",
		nvmx_host_caps.vmcs_revision, nvmx_host_caps.vmcs_size,
		nvmx_host_caps.nr_cpus, list);
}

static int __init nvmx_init(void)
{
	int err;

	err = nvmx_vmx_init();
	if (err)
		return err;
	err = nvmx_dev_register();
	if (err) {
		pr_err("nvmx: cannot register /dev/nvmx: %d\n", err);
		nvmx_vmx_exit();
		return err;
	}
	nvmx_debugfs_init();
	nvmx_report_caps();
	return 0;
}

static void __exit nvmx_exit(void)
{
	nvmx_dev_unregister();
	nvmx_debugfs_exit();
	nvmx_vmx_exit();
	if (nvmx_vm_live_count() || nvmx_vcpu_live_count() ||
	    nvmx_vmx_leaked_regions())
		pr_err("nvmx: leak at unload: %d VMs, %d vCPUs, %d VMXON regions\n",
		       nvmx_vm_live_count(), nvmx_vcpu_live_count(),
		       nvmx_vmx_leaked_regions());
}

module_init(nvmx_init);
module_exit(nvmx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nvmx: a small hypervisor for nested Intel VMX");
MODULE_AUTHOR("The nvmx developers");
