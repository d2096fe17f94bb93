// SPDX-License-Identifier: GPL-2.0-only
/*
 * Taking and giving back VMX: VMXON on every online CPU while at least one
 * VM exists, VMXOFF when the last one goes, and the same across CPU hotplug,
 * suspend and reboot.
 *
 * Like KVM, nvmx holds VMX only while it has VMs, so that another hypervisor
 * can use the CPU at other times. A CPU whose CR4.VMXE is already set belongs
 * to someone else: nvmx then refuses, and cpuhp undoes the CPUs it had
 * already enabled, so nothing is left half-enabled.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/smp.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>

#include "../compat.h"
#include "insn.h"
#include "vmcs.h"
#include "vmx.h"

struct nvmx_cpu {
	struct page *vmxon_region;
	bool vmx_on;		/* in VMX operation, entered by nvmx */
	bool suspended;		/* VMXOFF done by the suspend hook */
};

static DEFINE_PER_CPU(struct nvmx_cpu, nvmx_cpu);

struct nvmx_vmx_caps nvmx_host_caps;

static DEFINE_MUTEX(nvmx_vmx_lock);	/* protects the two below */
static unsigned int nvmx_vmx_users;
static int nvmx_cpuhp_state;

static atomic_t nvmx_vmxon_regions = ATOMIC_INIT(0);

static const char nvmx_vmx_busy[] =
	"another hypervisor (kvm_intel, VirtualBox, ...) holds VMX: CR4.VMXE is already set";

/*
 * Enter VMX operation on this CPU. Called with interrupts disabled.
 * Return: 0 or -errno; *why says what went wrong.
 */
static int nvmx_vmxon_irqsoff(struct nvmx_cpu *c, const char **why)
{
	u64 featctl;
	int err;

	if (__read_cr4() & X86_CR4_VMXE) {
		*why = nvmx_vmx_busy;
		return -EBUSY;
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &featctl)) {
		*why = "IA32_FEATURE_CONTROL cannot be read";
		return -EIO;
	}
	if (!(featctl & NV_FEATCTL_LOCKED)) {
		featctl |= NV_FEATCTL_LOCKED | NV_FEATCTL_VMX_OUTSIDE_SMX;
		if (wrmsrl_safe(MSR_IA32_FEAT_CTL, featctl)) {
			*why = "IA32_FEATURE_CONTROL cannot be written";
			return -EIO;
		}
	}
	if (!(featctl & NV_FEATCTL_VMX_OUTSIDE_SMX)) {
		*why = "VT-x is disabled by the firmware on this CPU";
		return -EPERM;
	}

	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	err = vmx_vmxon(page_to_phys(c->vmxon_region));
	if (err) {
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
		*why = err == -EIO ? "VMXON failed: the CPU is already in VMX operation" :
				     "VMXON faulted: CR0/CR4 do not meet the VMX fixed bits";
		return -EBUSY;
	}
	c->vmx_on = true;
	return 0;
}

/*
 * Leave VMX operation on this CPU if nvmx entered it, after VMCLEAR of the
 * VMCSs still active here. Interrupts disabled.
 */
static void nvmx_vmxoff_irqsoff(struct nvmx_cpu *c)
{
	if (!c->vmx_on)
		return;
	nvmx_vmcs_clear_cpu(smp_processor_id());
	vmx_vmxoff();
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	c->vmx_on = false;
}

/* cpuhp startup callback: runs on @cpu, in process context. */
static int nvmx_cpu_online(unsigned int cpu)
{
	struct nvmx_cpu *c = per_cpu_ptr(&nvmx_cpu, cpu);
	const char *why = NULL;
	unsigned long flags;
	int err;

	c->vmxon_region = alloc_pages_node(cpu_to_node(cpu),
					   GFP_KERNEL | __GFP_ZERO, 0);
	if (!c->vmxon_region)
		return -ENOMEM;
	atomic_inc(&nvmx_vmxon_regions);
	/* SDM "VMXON Region": its first 31 bits hold the revision identifier. */
	*(u32 *)page_address(c->vmxon_region) = nvmx_host_caps.vmcs_revision;

	local_irq_save(flags);
	err = nvmx_vmxon_irqsoff(c, &why);
	local_irq_restore(flags);
	if (err) {
		pr_err("nvmx: cannot enter VMX operation on CPU %u: %s\n",
		       cpu, why);
		__free_page(c->vmxon_region);
		c->vmxon_region = NULL;
		atomic_dec(&nvmx_vmxon_regions);
	}
	return err;
}

/* cpuhp teardown callback: runs on @cpu, in process context. */
static int nvmx_cpu_offline(unsigned int cpu)
{
	struct nvmx_cpu *c = per_cpu_ptr(&nvmx_cpu, cpu);
	unsigned long flags;

	local_irq_save(flags);
	nvmx_vmxoff_irqsoff(c);
	local_irq_restore(flags);
	if (c->vmxon_region) {
		__free_page(c->vmxon_region);
		c->vmxon_region = NULL;
		atomic_dec(&nvmx_vmxon_regions);
	}
	return 0;
}

/**
 * nvmx_vmx_get() - hold VMX on every online CPU (and CPUs that come online)
 *
 * Context: process context; may sleep. Paired with nvmx_vmx_put().
 * Return: 0, or -EBUSY when another hypervisor holds VMX on some CPU,
 * -ENOMEM, -EPERM; on error no CPU is left in VMX operation by nvmx.
 */
int nvmx_vmx_get(void)
{
	int ret = 0;

	mutex_lock(&nvmx_vmx_lock);
	if (nvmx_vmx_users == 0) {
		ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "nvmx/vmx:online",
					nvmx_cpu_online, nvmx_cpu_offline);
		if (ret < 0)
			goto out;
		nvmx_cpuhp_state = ret;
		ret = 0;
	}
	nvmx_vmx_users++;
out:
	mutex_unlock(&nvmx_vmx_lock);
	return ret;
}

/**
 * nvmx_vmx_put() - drop a hold taken by nvmx_vmx_get()
 *
 * Context: process context; may sleep. The last put runs VMXOFF everywhere.
 */
void nvmx_vmx_put(void)
{
	mutex_lock(&nvmx_vmx_lock);
	if (--nvmx_vmx_users == 0)
		cpuhp_remove_state(nvmx_cpuhp_state);
	mutex_unlock(&nvmx_vmx_lock);
}

/* VMXON regions allocated now: one per CPU while VMs exist, else 0. */
int nvmx_vmx_leaked_regions(void)
{
	return atomic_read(&nvmx_vmxon_regions);
}

/* Whether this CPU is in VMX operation by nvmx. Preemption disabled. */
bool nvmx_vmx_cpu_on(void)
{
	return this_cpu_ptr(&nvmx_cpu)->vmx_on;
}

/* CPUs that nvmx holds in VMX operation now. Racy; for statistics only. */
unsigned int nvmx_vmx_cpus_on(void)
{
	unsigned int cpu, n = 0;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu_ptr(&nvmx_cpu, cpu)->vmx_on);
	return n;
}

/* IPI handler: a CPU in VMX operation ignores INIT, which a reboot sends. */
static void nvmx_reboot_vmxoff(void *unused)
{
	nvmx_vmxoff_irqsoff(this_cpu_ptr(&nvmx_cpu));
}

static int nvmx_reboot(struct notifier_block *nb, unsigned long code, void *p)
{
	on_each_cpu(nvmx_reboot_vmxoff, NULL, 1);
	return NOTIFY_OK;
}

static struct notifier_block nvmx_reboot_nb = {
	.notifier_call = nvmx_reboot,
};

/* Suspend runs on the last online CPU with interrupts disabled. */
static int nvmx_suspend(void)
{
	struct nvmx_cpu *c = this_cpu_ptr(&nvmx_cpu);

	c->suspended = c->vmx_on;
	nvmx_vmxoff_irqsoff(c);
	return 0;
}

static void nvmx_resume(void)
{
	struct nvmx_cpu *c = this_cpu_ptr(&nvmx_cpu);
	const char *why = NULL;

	if (!c->suspended)
		return;
	c->suspended = false;
	if (nvmx_vmxon_irqsoff(c, &why))
		pr_err("nvmx: cannot re-enter VMX operation after resume: %s\n",
		       why);
}

NVMX_SYSCORE(nvmx_syscore, nvmx_suspend, nvmx_resume);

/**
 * nvmx_vmx_init() - probe the CPU and prepare the VMX layer
 *
 * Context: module init.
 * Return: 0, or the errno of nvmx_probe_decide() after one pr_err() line
 * that says what is wrong and what to do.
 */
int nvmx_vmx_init(void)
{
	struct nvmx_cpu_facts facts;
	struct nvmx_probe_result res;
	char msg[256];

	nvmx_read_cpu_facts(&facts);
	nvmx_probe_decide(&facts, &res);
	if (res.verdict != NVMX_PROBE_OK) {
		nvmx_probe_message(&facts, &res, msg, sizeof(msg));
		pr_err("nvmx: %s\n", msg);
		return res.err;
	}

	nvmx_host_caps.features = res.features;
	nvmx_host_caps.vmcs_revision = res.vmcs_revision;
	nvmx_host_caps.vmcs_size = res.vmcs_size;
	nvmx_host_caps.nr_cpus = num_online_cpus();
	nvmx_host_caps.tsc_khz = tsc_khz;
	BUILD_BUG_ON(ARRAY_SIZE(nvmx_host_caps.msrs) != NV_MSR_CAP_MSR_COUNT);
	memcpy(nvmx_host_caps.msrs, facts.msrs, sizeof(facts.msrs));

	register_reboot_notifier(&nvmx_reboot_nb);
	nvmx_syscore_register(nvmx_syscore);
	return 0;
}

/* Context: module exit; no VM exists any more, so VMX is off everywhere. */
void nvmx_vmx_exit(void)
{
	nvmx_syscore_unregister(nvmx_syscore);
	unregister_reboot_notifier(&nvmx_reboot_nb);
}
