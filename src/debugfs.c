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
 *   vm-<pid>-<id>/vcpu<n>/stats
 *                   a VM's directory (<pid>: the process that created it,
 *                   <id>: its number since nvmx was loaded) holds one for
 *                   each vCPU; "stats" gives its counters as lines of
 *                   text (nvmx_vcpu_stats_show()), with an in-kernel APIC
 *                   the IPIs it could not take (INIT, SIPI, SMI). They go
 *                   away with the vCPU and the VM.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "nvmx.h"
#include "stats_file.h"
#include "vcpu.h"
#include "vm.h"
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

static void nvmx_show_reasons(struct seq_file *m, const char *name,
			      const u64 *count)
{
	unsigned int i;
	u64 c;

	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++) {
		c = READ_ONCE(count[i]);
		if (c)
			seq_printf(m, "%s %u %llu\n", name, i, c);
	}
}

/*
 * A vCPU's counters, in the format of stats_file.h: the totals of struct
 * nvmx_stats, then the counters by exit reason that are not zero. The
 * vCPU may be running: each value is one the counter had, but they are
 * not read at one instant.
 */
static int nvmx_vcpu_stats_show(struct seq_file *m, void *unused)
{
	const struct nvmx_vcpu *vcpu = m->private;
	const char *s = (const char *)&vcpu->stats;
	const char *ns = (const char *)&vcpu->nested_stats;
	const struct nvmx_stats_total *t;
	const struct nvmx_stats_reasons *r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nvmx_stats_totals); i++) {
		t = &nvmx_stats_totals[i];
		seq_printf(m, "%s %llu\n", t->name,
			   READ_ONCE(*(const u64 *)(s + t->offset)));
	}
	for (i = 0; i < ARRAY_SIZE(nvmx_stats_reasons); i++) {
		r = &nvmx_stats_reasons[i];
		nvmx_show_reasons(m, r->name, (const u64 *)
				  ((r->nested ? ns : s) + r->offset));
	}
	if (vcpu->lapic.on)
		seq_printf(m, NVMX_STATS_APIC_DROPPED " %llu\n",
			   READ_ONCE(vcpu->lapic.dropped));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmx_vcpu_stats);

static atomic_t nvmx_vm_ids = ATOMIC_INIT(0);

/**
 * nvmx_debugfs_vm_add() - the directory of a new VM
 * @vm: the VM, created by the current process
 *
 * Context: process context, before the VM's fd exists.
 */
void nvmx_debugfs_vm_add(struct nvmx_vm *vm)
{
	char name[40];

	snprintf(name, sizeof(name), "vm-%d-%d", task_tgid_nr(current),
		 atomic_inc_return(&nvmx_vm_ids));
	vm->debugfs = debugfs_create_dir(name, nvmx_debugfs_dir);
}

/* The VM's directory goes; its vCPUs' went before. */
void nvmx_debugfs_vm_remove(struct nvmx_vm *vm)
{
	debugfs_remove_recursive(vm->debugfs);
	vm->debugfs = NULL;
}

/* The directory of a new vCPU, in its VM's. Context: process context. */
void nvmx_debugfs_vcpu_add(struct nvmx_vcpu *vcpu)
{
	char name[16];

	snprintf(name, sizeof(name), "vcpu%u", vcpu->id);
	vcpu->debugfs = debugfs_create_dir(name, vcpu->vm->debugfs);
	debugfs_create_file("stats", 0400, vcpu->debugfs, vcpu,
			    &nvmx_vcpu_stats_fops);
}

/*
 * The vCPU's directory goes; this waits for the reads in progress, and
 * later ones fail, so the vCPU may be freed afterwards.
 */
void nvmx_debugfs_vcpu_remove(struct nvmx_vcpu *vcpu)
{
	debugfs_remove_recursive(vcpu->debugfs);
	vcpu->debugfs = NULL;
}

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
