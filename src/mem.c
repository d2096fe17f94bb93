// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory: the region table of a VM (NVMX_SET_MEMORY_REGION), the
 * fault-in of guest pages on EPT violations, and reading and writing
 * guest-physical memory for the exit handlers.
 *
 * A guest page is pinned (FOLL_LONGTERM) when the guest first touches it
 * and mapped in EPT01; it is unpinned when its region is deleted or
 * changed, or when the VM goes. Nothing is pinned up front.
 *
 * The table and the EPT change under vm->mem_lock. Guest pages are
 * pinned through the VM's address space, which is the caller's: every
 * entry point checks that current->mm is vm->mm.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <asm/processor.h>

#include "lapic_vcpu.h"
#include "vm.h"

static_assert(NVMX_MAX_SLOTS == NVMX_MAX_MEMORY_SLOTS);
static_assert(NVMX_SLOT_READONLY == NVMX_MEM_READONLY);

/* Guest-physical addresses EPT01 can map: MAXPHYADDR, at most 48 bits. */
static u64 nvmx_gpa_limit(void)
{
	return 1ULL << min_t(unsigned int, boot_cpu_data.x86_phys_bits, 48);
}

/* Undo one pin of the page at @hpa, dirtying it if the guest could write. */
static void nvmx_mem_release(u64 hpa, bool writable)
{
	struct page *page = pfn_to_page(hpa >> PAGE_SHIFT);

	unpin_user_pages_dirty_lock(&page, 1, writable);
}

/* Context: process context. Return: 0 or -ENOMEM. */
int nvmx_mem_init(struct nvmx_vm *vm)
{
	mutex_init(&vm->mem_lock);
	return nvmx_ept_init(&vm->ept);
}

/* Unpin every guest page. Context: no vCPU of @vm exists any more. */
void nvmx_mem_destroy(struct nvmx_vm *vm)
{
	nvmx_ept_destroy(&vm->ept, nvmx_mem_release);
}

/*
 * Before pages that EPT02s may map are unpinned: every vCPU's EPT02 is
 * stale from here on (a vCPU checks vm->l1_mem_seq with interrupts off
 * before it enters L2, and rebuilds its EPT02 when it changed), and the
 * IPI of the INVEPT on every CPU waits for each CPU that runs L2 to
 * leave it and forgets what EPT02s cached. Context: vm->mem_lock held.
 */
static void nvmx_mem_revoke_l2(struct nvmx_vm *vm)
{
	WRITE_ONCE(vm->l1_mem_seq, vm->l1_mem_seq + 1);
	smp_mb();	/* the new sequence before the IPIs */
	nvmx_ept_invalidate_all();
}

/**
 * nvmx_mem_set_region() - the NVMX_SET_MEMORY_REGION ioctl
 * @vm: the VM
 * @r: the request, copied from userspace
 *
 * A deleted or changed region is unmapped from EPT01 on every CPU before
 * its pages are unpinned, so running vCPUs fault on it afterwards.
 * Context: process context. Return: 0, or -EINVAL, -EFAULT, -EEXIST,
 * -ENOENT as nvmx_slot_check() says, -EINVAL for reserved fields, -EIO
 * when called from another process than the VM's creator, -EBUSY to
 * delete or change a region while a vCPU is in VMX operation (unless
 * the VM has NVMX_VM_NESTED_RESIZE).
 */
long nvmx_mem_set_region(struct nvmx_vm *vm,
			 const struct nvmx_memory_region *r)
{
	struct nvmx_slot_limits lim = {
		.gpa_limit = nvmx_gpa_limit(),
		.uaddr_limit = TASK_SIZE_MAX,
	};
	struct nvmx_slot req = {
		.id = r->slot, .flags = r->flags, .gpa = r->guest_phys_addr,
		.size = r->memory_size, .uaddr = r->userspace_addr,
	};
	enum nvmx_slot_op op;
	struct nvmx_slot *cur;
	int err;

	if (r->reserved[0] || r->reserved[1])
		return -EINVAL;
	if (current->mm != vm->mm)
		return -EIO;
	mutex_lock(&vm->mem_lock);
	err = nvmx_slot_check(vm->slots, &req, &lim, &op);
	if (err)
		goto out;
	cur = &vm->slots[req.id];
	/*
	 * As on Hyper-V: a hypervisor inside the VM (L1 in VMX operation)
	 * may hold guest-physical addresses of its memory in the structures
	 * it gave its guests, so memory can be added but not taken away,
	 * unless the VM opted in to have L2 lose what it mapped.
	 */
	if (op != NVMX_SLOT_CREATE && vm->vmx_users) {
		if (!(vm->flags & NVMX_VM_NESTED_RESIZE)) {
			pr_info_ratelimited("nvmx: memory region %u cannot be removed or changed while a hypervisor runs inside the VM (a vCPU is in VMX operation); adding memory is allowed, and NVMX_VM_NESTED_RESIZE allows this\n",
					    req.id);
			err = -EBUSY;
			goto out;
		}
		nvmx_mem_revoke_l2(vm);
	}
	if (op != NVMX_SLOT_CREATE)
		nvmx_ept_zap(&vm->ept, cur->gpa, cur->size, nvmx_mem_release);
	if (op == NVMX_SLOT_DELETE)
		memset(cur, 0, sizeof(*cur));
	else
		*cur = req;
out:
	mutex_unlock(&vm->mem_lock);
	return err;
}

/* Pin the page of @hva and map it at @gpa. Context: vm->mem_lock held. */
static int nvmx_mem_map_page(struct nvmx_vm *vm, const struct nvmx_slot *slot,
			     u64 gpa)
{
	bool ro = slot->flags & NVMX_SLOT_READONLY;
	unsigned long hva = slot->uaddr + (gpa - slot->gpa);
	struct page *page;
	int err;

	err = pin_user_pages_fast(hva, 1, FOLL_LONGTERM | (ro ? 0 : FOLL_WRITE),
				  &page);
	if (err != 1)
		return err < 0 ? err : -EFAULT;
	err = nvmx_ept_map(&vm->ept, gpa, page_to_phys(page),
			   ro ? NVMX_EPT_R | NVMX_EPT_X : NVMX_EPT_RWX);
	if (err)
		unpin_user_page(page);
	return err == -EEXIST ? 0 : err;
}

/**
 * nvmx_mem_fault() - handle a guest access to @gpa that EPT01 refused
 * @vm: the VM
 * @gpa: the guest-physical address
 * @write: the access was a write
 *
 * Context: process context of the VM's address space (a vCPU's
 * NVMX_RUN). Return: NVMX_FAULT_MAPPED or NVMX_FAULT_MMIO, or -errno
 * when the region's user memory cannot be pinned (-EFAULT: not mapped in
 * the process, -ENOMEM).
 */
int nvmx_mem_fault(struct nvmx_vm *vm, u64 gpa, bool write)
{
	return nvmx_mem_translate(vm, gpa, write, NULL, NULL);
}

/**
 * nvmx_mem_vmx_user() - a vCPU enters (@on) or leaves VMX operation
 * @vm: the VM
 * @on: L1's VMXON, or its VMXOFF (or the vCPU's end) after one
 *
 * Context: process context.
 */
void nvmx_mem_vmx_user(struct nvmx_vm *vm, bool on)
{
	mutex_lock(&vm->mem_lock);
	if (on)
		vm->vmx_users++;
	else if (vm->vmx_users)
		vm->vmx_users--;
	mutex_unlock(&vm->mem_lock);
}

/**
 * nvmx_mem_translate() - the host page behind guest-physical @gpa
 * @vm: the VM
 * @gpa: the guest-physical address
 * @write: the access is a write
 * @hpa: the host page, pinned for as long as EPT01 maps it; or NULL
 * @perms: NVMX_EPT_* rights the region gives (with @hpa)
 *
 * Maps the page in EPT01 first if it is not yet. For EPT02: a region
 * that EPT02 may point into cannot go while a vCPU is in VMX operation.
 * Context: as nvmx_mem_fault(). Return: NVMX_FAULT_MAPPED,
 * NVMX_FAULT_MMIO, or -errno.
 */
int nvmx_mem_translate(struct nvmx_vm *vm, u64 gpa, bool write, u64 *hpa,
		       u64 *perms)
{
	const struct nvmx_slot *slot;
	int ret = NVMX_FAULT_MMIO;

	gpa &= PAGE_MASK;
	mutex_lock(&vm->mem_lock);
	slot = nvmx_slot_find(vm->slots, gpa);
	/* With in-kernel APICs their page is never memory (lapic_vcpu.c). */
	if ((vm->flags & NVMX_VM_LAPIC) && nvmx_lapic_page(gpa))
		slot = NULL;
	if (slot && !(write && (slot->flags & NVMX_SLOT_READONLY))) {
		ret = nvmx_mem_map_page(vm, slot, gpa);
		if (!ret && hpa)
			ret = nvmx_ept_lookup(&vm->ept, gpa, hpa, perms);
		if (!ret)
			ret = NVMX_FAULT_MAPPED;
	}
	mutex_unlock(&vm->mem_lock);
	return ret;
}

/*
 * The user address of [@gpa, @gpa + @len), which must not cross a page.
 * Return: 0, -ENOENT (no region: MMIO) or -EROFS (a write to a read-only
 * region). Context: vm->mem_lock held.
 */
static int nvmx_guest_hva(struct nvmx_vm *vm, u64 gpa, bool write,
			  unsigned long *hva)
{
	const struct nvmx_slot *slot = nvmx_slot_find(vm->slots, gpa);

	if (!slot || ((vm->flags & NVMX_VM_LAPIC) && nvmx_lapic_page(gpa)))
		return -ENOENT;
	if (write && (slot->flags & NVMX_SLOT_READONLY))
		return -EROFS;
	*hva = slot->uaddr + (gpa - slot->gpa);
	return 0;
}

/* Copy between guest memory and @buf, a page at a time. */
static int nvmx_guest_copy(struct nvmx_vm *vm, u64 gpa, void *buf, size_t len,
			   bool write)
{
	unsigned long hva, left;
	size_t n;
	int err = 0;

	mutex_lock(&vm->mem_lock);
	while (len && !err) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(gpa));
		err = nvmx_guest_hva(vm, gpa, write, &hva);
		if (err)
			break;
		if (write)
			left = copy_to_user((void __user *)hva, buf, n);
		else
			left = copy_from_user(buf, (const void __user *)hva, n);
		if (left)
			err = -EFAULT;
		gpa += n;
		buf += n;
		len -= n;
	}
	mutex_unlock(&vm->mem_lock);
	return err;
}

/**
 * nvmx_guest_read() - read guest-physical memory
 * @vm: the VM
 * @gpa: the address
 * @buf: where to put the bytes
 * @len: how many
 *
 * Context: process context of the VM's address space.
 * Return: 0, -ENOENT (part of the range has no region), -EFAULT.
 */
int nvmx_guest_read(struct nvmx_vm *vm, u64 gpa, void *buf, size_t len)
{
	return nvmx_guest_copy(vm, gpa, buf, len, false);
}

/* As nvmx_guest_read(), the other way; -EROFS for a read-only region. */
int nvmx_guest_write(struct nvmx_vm *vm, u64 gpa, const void *buf,
		     size_t len)
{
	return nvmx_guest_copy(vm, gpa, (void *)buf, len, true);
}
