// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs: creation on a VM fd, the vCPU fd (its ioctls and the mmap of its
 * run page), and kicking a vCPU out of NVMX_RUN.
 *
 * A vCPU holds a reference on its VM's file, so the VM lives as long as
 * any of its vCPUs, whatever order userspace closes the fds in. A
 * mapping of the run page holds the vCPU's file in turn.
 */
#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/nvmx.h>
/* smp_send_reschedule() calls its tracepoint in newer kernels. */
#include <trace/events/ipi.h>

#include "nvmx.h"
#include "vcpu.h"
#include "vm.h"
#include "vmx/vcpu.h"

/* RFLAGS: bit 1 is always 1; bits 3, 5, 15 and 63:22 are reserved. */
#define RFLAGS_FIXED1		0x2ULL
#define RFLAGS_RESERVED		(0x8028ULL | ~0x3fffffULL)

static atomic_t nvmx_live_vcpus = ATOMIC_INIT(0);

static void nvmx_kick_ipi(void *unused)
{
	/* The interrupt itself made the guest exit. */
}

/*
 * Make the vCPU leave the guest if it is in it, so that it sees whatever
 * the caller changed before (a kick, a stop). Context: any process context.
 */
static void nvmx_vcpu_interrupt(struct nvmx_vcpu *vcpu)
{
	int cpu;

	wake_up(&vcpu->lapic.halt);	/* a vCPU in HLT (lapic_vcpu.c) */
	smp_mb();	/* the change before mode; pairs with nvmx_enter() */
	if (READ_ONCE(vcpu->mode) != NVMX_MODE_ENTERING)
		return;
	cpu = READ_ONCE(vcpu->cpu);
	if (cpu != raw_smp_processor_id())
		smp_call_function_single(cpu, nvmx_kick_ipi, NULL, 0);
}

/**
 * nvmx_vcpu_wake() - its APIC has something new for @vcpu
 * @vcpu: the vCPU
 *
 * Wakes it in HLT, and makes it leave the guest if it is in it, so that
 * the run loop looks at its APIC (lapic.events, set before) again; NVMX_RUN
 * goes on. Context: any, hard irq included; takes no lock.
 */
void nvmx_vcpu_wake(struct nvmx_vcpu *vcpu)
{
	int cpu;

	wake_up(&vcpu->lapic.halt);
	smp_mb();	/* events before mode; pairs with nvmx_enter() */
	if (READ_ONCE(vcpu->mode) != NVMX_MODE_ENTERING)
		return;
	cpu = READ_ONCE(vcpu->cpu);
	/* A reschedule IPI: the only one an interrupt handler may send. */
	if (cpu != raw_smp_processor_id())
		smp_send_reschedule(cpu);
}

/**
 * nvmx_vcpu_kick() - make NVMX_RUN of @vcpu return -EINTR
 * @vcpu: the vCPU
 *
 * If it is not in NVMX_RUN, its next NVMX_RUN returns -EINTR at once, so
 * a kick is never lost. Context: process context; takes no vCPU lock.
 */
void nvmx_vcpu_kick(struct nvmx_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->kick, true);
	nvmx_vcpu_interrupt(vcpu);
}

/* Make a vCPU in NVMX_RUN notice that its VM was stopped. */
void nvmx_vcpu_notify_stop(struct nvmx_vcpu *vcpu)
{
	nvmx_vcpu_interrupt(vcpu);
}

static long nvmx_get_regs(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;

	mutex_lock(&vcpu->lock);
	nvmx_vmx_get_regs(vcpu, arg);
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
	nvmx_vmx_set_regs(vcpu, regs);
	mutex_unlock(&vcpu->lock);
	return 0;
}

/* Run @fn with the vCPU's lock held and VMCS01 current. */
static long nvmx_with_vmcs(struct nvmx_vcpu *vcpu,
			   int (*fn)(struct nvmx_vcpu *vcpu, void *arg),
			   void *arg)
{
	long ret;

	mutex_lock(&vcpu->lock);
	ret = nvmx_vmx_vcpu_load(vcpu);
	if (!ret) {
		ret = fn(vcpu, arg);
		nvmx_vmx_vcpu_put(vcpu);
	}
	mutex_unlock(&vcpu->lock);
	return ret;
}

static int nvmx_do_get_sregs(struct nvmx_vcpu *vcpu, void *arg)
{
	return nvmx_vmx_get_sregs(vcpu, arg);
}

static int nvmx_do_set_sregs(struct nvmx_vcpu *vcpu, void *arg)
{
	return nvmx_vmx_set_sregs(vcpu, arg);
}

static long nvmx_get_sregs(void *obj, void *arg)
{
	return nvmx_with_vmcs(obj, nvmx_do_get_sregs, arg);
}

static long nvmx_set_sregs(void *obj, void *arg)
{
	return nvmx_with_vmcs(obj, nvmx_do_set_sregs, arg);
}

/* A list of MSRs, read or written in order up to the first refusal. */
struct nvmx_msr_list {
	struct nvmx_msr_entry *e;
	u32 n;
	bool write;
};

static int nvmx_do_msrs(struct nvmx_vcpu *vcpu, void *arg)
{
	struct nvmx_msr_list *l = arg;
	int err = 0;
	u32 i;

	for (i = 0; i < l->n && !err; i++)
		err = l->write ?
		      nvmx_vmx_set_msr(vcpu, l->e[i].index, l->e[i].data, true) :
		      nvmx_vmx_get_msr(vcpu, l->e[i].index, &l->e[i].data, true);
	if (err)
		i--;
	/* A list refused at once because L1 is in VMX operation: EBUSY. */
	return !i && err == -EBUSY ? -EBUSY : i;
}

static long nvmx_msrs(struct nvmx_vcpu *vcpu, const struct nvmx_msrs *m,
		      bool write)
{
	void __user *uentries = u64_to_user_ptr(m->entries);
	struct nvmx_msr_list l = { .n = m->nmsrs, .write = write };
	size_t size = (size_t)m->nmsrs * sizeof(*l.e);
	long ret;
	u32 i;

	if (m->reserved)
		return -EINVAL;
	if (m->nmsrs > NVMX_MAX_MSR_ENTRIES)
		return -E2BIG;
	if (!m->nmsrs)
		return 0;
	l.e = memdup_user(uentries, size);
	if (IS_ERR(l.e))
		return PTR_ERR(l.e);
	for (i = 0; i < l.n; i++)
		if (l.e[i].reserved) {
			kfree(l.e);
			return -EINVAL;
		}
	ret = nvmx_with_vmcs(vcpu, nvmx_do_msrs, &l);
	if (ret > 0 && !write && copy_to_user(uentries, l.e, size))
		ret = -EFAULT;
	kfree(l.e);
	return ret;
}

static int nvmx_do_get_nested_state(struct nvmx_vcpu *vcpu, void *arg)
{
	return nvmx_vmx_get_nested_state(vcpu, arg);
}

static int nvmx_do_set_nested_state(struct nvmx_vcpu *vcpu, void *arg)
{
	return nvmx_vmx_set_nested_state(vcpu, arg);
}

static long nvmx_get_nested_state(void *obj, void *arg)
{
	return nvmx_with_vmcs(obj, nvmx_do_get_nested_state, arg);
}

static long nvmx_set_nested_state(void *obj, void *arg)
{
	return nvmx_with_vmcs(obj, nvmx_do_set_nested_state, arg);
}

static long nvmx_get_msrs(void *obj, void *arg)
{
	return nvmx_msrs(obj, arg, false);
}

static long nvmx_set_msrs(void *obj, void *arg)
{
	return nvmx_msrs(obj, arg, true);
}

static long nvmx_set_cpuid_ioctl(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	long ret;

	mutex_lock(&vcpu->lock);
	ret = nvmx_set_cpuid(vcpu, arg);
	mutex_unlock(&vcpu->lock);
	return ret;
}

static long nvmx_get_stats(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;

	mutex_lock(&vcpu->lock);
	memcpy(arg, &vcpu->stats, sizeof(vcpu->stats));
	mutex_unlock(&vcpu->lock);
	return 0;
}

static long nvmx_get_nested_stats(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;

	mutex_lock(&vcpu->lock);
	memcpy(arg, &vcpu->nested_stats, sizeof(vcpu->nested_stats));
	mutex_unlock(&vcpu->lock);
	return 0;
}

static long nvmx_interrupt(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	struct nvmx_interrupt *irq = arg;
	long ret = 0;

	if (irq->reserved || irq->vector < 32 || irq->vector > 255)
		return -EINVAL;
	mutex_lock(&vcpu->lock);
	if (vcpu->irq_vector >= 0)
		ret = -EBUSY;
	else
		vcpu->irq_vector = irq->vector;
	mutex_unlock(&vcpu->lock);
	return ret;
}

static long nvmx_nmi(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	long ret = 0;

	if (arg)
		return -EINVAL;
	/* NMI windows need the CPU's virtual NMIs, which VMCS01 has or not. */
	if (!(vcpu->vmx.ctls01.pin & NV_PIN_CTL_VIRTUAL_NMIS))
		return -EOPNOTSUPP;
	mutex_lock(&vcpu->lock);
	if (vcpu->nmi_pending)
		ret = -EBUSY;
	else
		vcpu->nmi_pending = true;
	mutex_unlock(&vcpu->lock);
	return ret;
}

static long nvmx_run(void *obj, void *arg)
{
	struct nvmx_vcpu *vcpu = obj;
	long ret;

	if (arg)
		return -EINVAL;
	if (mutex_lock_interruptible(&vcpu->lock))
		return -EINTR;
	vcpu->stop_seq = nvmx_vm_power_on(vcpu->vm);
	vcpu->stats.runs++;
	ret = nvmx_vmx_run(vcpu);
	nvmx_vm_run_done(vcpu->vm);
	if (!ret)
		vcpu->stats.user_exits++;
	mutex_unlock(&vcpu->lock);
	return ret;
}

static const struct nvmx_ioctl nvmx_vcpu_ioctls[] = {
	{ NVMX_GET_REGS, nvmx_get_regs },
	{ NVMX_SET_REGS, nvmx_set_regs },
	{ NVMX_RUN, nvmx_run },
	{ NVMX_GET_SREGS, nvmx_get_sregs },
	{ NVMX_SET_SREGS, nvmx_set_sregs },
	{ NVMX_GET_MSRS, nvmx_get_msrs },
	{ NVMX_SET_MSRS, nvmx_set_msrs },
	{ NVMX_SET_CPUID, nvmx_set_cpuid_ioctl },
	{ NVMX_GET_STATS, nvmx_get_stats },
	{ NVMX_INTERRUPT, nvmx_interrupt },
	{ NVMX_NMI, nvmx_nmi },
	{ NVMX_GET_NESTED_STATE, nvmx_get_nested_state },
	{ NVMX_SET_NESTED_STATE, nvmx_set_nested_state },
	{ NVMX_GET_NESTED_STATS, nvmx_get_nested_stats },
	{ NVMX_GET_MP_STATE, nvmx_get_mp_state },
	{ NVMX_SET_MP_STATE, nvmx_set_mp_state },
	{ NVMX_GET_LAPIC, nvmx_get_lapic },
	{ NVMX_SET_LAPIC, nvmx_set_lapic },
};

static long nvmx_vcpu_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct nvmx_vcpu *vcpu = file->private_data;

	/* From any thread, without the vCPU's lock. */
	if (cmd == NVMX_KICK) {
		if (arg)
			return -EINVAL;
		nvmx_vcpu_kick(vcpu);
		return 0;
	}
	/* Guest memory is the creator's address space. */
	if (current->mm != vcpu->vm->mm)
		return -EIO;
	return nvmx_ioctl_dispatch(nvmx_vcpu_ioctls,
				   ARRAY_SIZE(nvmx_vcpu_ioctls), vcpu, cmd, arg);
}

static vm_fault_t nvmx_run_fault(struct vm_fault *vmf)
{
	struct nvmx_vcpu *vcpu = vmf->vma->vm_file->private_data;
	struct page *page = virt_to_page(vcpu->run);

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct nvmx_run_vm_ops = {
	.fault = nvmx_run_fault,
};

/* The run page: one page at offset 0 (NVMX_GET_VCPU_MMAP_SIZE). */
static int nvmx_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start > PAGE_SIZE)
		return -EINVAL;
	vma->vm_ops = &nvmx_run_vm_ops;
	return 0;
}

static void nvmx_vcpu_free(struct nvmx_vcpu *vcpu)
{
	kvfree(vcpu->cpuid);
	free_page((unsigned long)vcpu->run);
	kfree(vcpu);
}

static int nvmx_vcpu_release(struct inode *inode, struct file *file)
{
	struct nvmx_vcpu *vcpu = file->private_data;
	struct file *vm_file = vcpu->vm_file;

	/* Waits for readers of its files: none may see the vCPU freed. */
	nvmx_debugfs_vcpu_remove(vcpu);
	nvmx_vm_remove_vcpu(vcpu->vm, vcpu->id);
	nvmx_lapic_free(vcpu);
	nvmx_vmx_vcpu_free(vcpu);
	nvmx_vcpu_free(vcpu);
	atomic_dec(&nvmx_live_vcpus);
	fput(vm_file);		/* may destroy the VM */
	return 0;
}

static const struct file_operations nvmx_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = nvmx_vcpu_release,
	.unlocked_ioctl = nvmx_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = nvmx_vcpu_mmap,
	.llseek = noop_llseek,
};

static struct nvmx_vcpu *nvmx_vcpu_alloc(struct nvmx_vm *vm, u32 id)
{
	struct nvmx_vcpu *vcpu;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return NULL;
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run) {
		kfree(vcpu);
		return NULL;
	}
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->irq_vector = -1;
	vcpu->sipi_vector = -1;
	mutex_init(&vcpu->lock);
	nvmx_lapic_init(vcpu);
	return vcpu;
}

/**
 * nvmx_vcpu_create() - create vCPU @id of the VM behind @vm_file
 * @vm: the VM
 * @vm_file: its file, on which the vCPU takes a reference
 * @id: the vCPU id, below NVMX_MAX_VCPUS
 *
 * The vCPU starts in the x86 reset state.
 * Context: process context (the NVMX_CREATE_VCPU ioctl).
 * Return: the vCPU fd, or -EINVAL (bad id), -EEXIST (id in use),
 * -ENOMEM, -EIO (VMCS setup failed), -EMFILE and friends.
 */
int nvmx_vcpu_create(struct nvmx_vm *vm, struct file *vm_file, u32 id)
{
	struct nvmx_vcpu *vcpu;
	struct file *file;
	int fd, err;

	if (id >= NVMX_MAX_VCPUS)
		return -EINVAL;
	vcpu = nvmx_vcpu_alloc(vm, id);
	if (!vcpu)
		return -ENOMEM;
	err = nvmx_vmx_vcpu_init(vcpu);
	if (err)
		goto err_free;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto err_vmx;
	}
	err = nvmx_vm_add_vcpu(vm, vcpu, id);
	if (err)
		goto err_fd;
	file = anon_inode_getfile("nvmx-vcpu", &nvmx_vcpu_fops, vcpu, O_RDWR);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_claim;
	}
	vcpu->vm_file = get_file(vm_file);
	nvmx_debugfs_vcpu_add(vcpu);
	atomic_inc(&nvmx_live_vcpus);
	fd_install(fd, file);
	return fd;

err_claim:
	nvmx_vm_remove_vcpu(vm, id);
	nvmx_lapic_free(vcpu);
err_fd:
	put_unused_fd(fd);
err_vmx:
	nvmx_vmx_vcpu_free(vcpu);
err_free:
	nvmx_vcpu_free(vcpu);
	return err;
}

/* vCPUs that exist now; 0 at module unload unless something leaked. */
int nvmx_vcpu_live_count(void)
{
	return atomic_read(&nvmx_live_vcpus);
}
