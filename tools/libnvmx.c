// SPDX-License-Identifier: GPL-2.0-only
/*
 * libnvmx: thin C wrappers around the /dev/nvmx ioctls (see libnvmx.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libnvmx.h"
#include "loader.h"

/* Descriptor types (access rights bits 3:0) of the long-mode setup. */
#define SEG_TYPE_DATA_RW	0x3	/* read/write, accessed */
#define SEG_TYPE_CODE_XR	0xb	/* execute/read, accessed */
#define SEG_TYPE_LDT		0x2
#define SEG_TYPE_TSS64_BUSY	0xb

/*
 * CR0: PE, MP, ET, NE, WP, AM, PG (what Linux runs with); CR4: PAE,
 * OSFXSR, OSXMMEXCPT, so that compiled code may use SSE.
 */
#define LONG_MODE_CR0		0x80050033ULL
#define LONG_MODE_CR4		0x620ULL
#define EFER_LME		0x100ULL	/* long mode enable */
#define EFER_LMA		0x400ULL	/* long mode active */
#define RFLAGS_FIXED		0x2ULL	/* bit 1 is always set */

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

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

int nvmx_vcpu_mmap_size(int dev)
{
	return ret_or_errno(ioctl(dev, NVMX_GET_VCPU_MMAP_SIZE, 0));
}

int nvmx_get_supported_cpuid(int dev, struct nvmx_cpuid_entry *entries,
			     unsigned int max)
{
	struct nvmx_cpuid cpuid = {
		.nent = max,
		.entries = (uintptr_t)entries,
	};

	if (ioctl(dev, NVMX_GET_SUPPORTED_CPUID, &cpuid) < 0)
		return -errno;
	/* nent is the module's answer: never more than we offered. */
	return cpuid.nent <= max ? (int)cpuid.nent : -EOVERFLOW;
}

int nvmx_create_vcpu(int vm, unsigned int id)
{
	return ret_or_errno(ioctl(vm, NVMX_CREATE_VCPU, (unsigned long)id));
}

int nvmx_set_memory_region(int vm, unsigned int slot, unsigned int flags,
			   __u64 gpa, __u64 size, void *uaddr)
{
	struct nvmx_memory_region region = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)uaddr,
	};

	return ret_or_errno(ioctl(vm, NVMX_SET_MEMORY_REGION, &region));
}

int nvmx_vm_state(int vm)
{
	return ret_or_errno(ioctl(vm, NVMX_GET_VM_STATE, 0));
}

int nvmx_stop_vm(int vm)
{
	return ret_or_errno(ioctl(vm, NVMX_STOP_VM, 0));
}

int nvmx_map_run(int dev, int vcpu, struct nvmx_run **run)
{
	int size = nvmx_vcpu_mmap_size(dev);
	void *p;

	if (size < 0)
		return size;
	if ((size_t)size < sizeof(struct nvmx_run))
		return -EPROTO;		/* a module that does not match us */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (p == MAP_FAILED)
		return -errno;
	*run = p;
	return 0;
}

int nvmx_unmap_run(int dev, struct nvmx_run *run)
{
	int size = nvmx_vcpu_mmap_size(dev);

	if (size < 0)
		return size;
	return ret_or_errno(munmap(run, size));
}

int nvmx_get_regs(int vcpu, struct nvmx_regs *regs)
{
	return ret_or_errno(ioctl(vcpu, NVMX_GET_REGS, regs));
}

int nvmx_set_regs(int vcpu, const struct nvmx_regs *regs)
{
	return ret_or_errno(ioctl(vcpu, NVMX_SET_REGS, regs));
}

int nvmx_get_sregs(int vcpu, struct nvmx_sregs *sregs)
{
	return ret_or_errno(ioctl(vcpu, NVMX_GET_SREGS, sregs));
}

int nvmx_set_sregs(int vcpu, const struct nvmx_sregs *sregs)
{
	return ret_or_errno(ioctl(vcpu, NVMX_SET_SREGS, sregs));
}

int nvmx_get_msrs(int vcpu, struct nvmx_msr_entry *entries, unsigned int n)
{
	struct nvmx_msrs msrs = { .nmsrs = n, .entries = (uintptr_t)entries };

	return ret_or_errno(ioctl(vcpu, NVMX_GET_MSRS, &msrs));
}

int nvmx_set_msrs(int vcpu, const struct nvmx_msr_entry *entries,
		  unsigned int n)
{
	struct nvmx_msrs msrs = { .nmsrs = n, .entries = (uintptr_t)entries };

	return ret_or_errno(ioctl(vcpu, NVMX_SET_MSRS, &msrs));
}

int nvmx_set_cpuid(int vcpu, const struct nvmx_cpuid_entry *entries,
		   unsigned int n)
{
	struct nvmx_cpuid cpuid = { .nent = n, .entries = (uintptr_t)entries };

	return ret_or_errno(ioctl(vcpu, NVMX_SET_CPUID, &cpuid));
}

int nvmx_get_stats(int vcpu, struct nvmx_stats *stats)
{
	return ret_or_errno(ioctl(vcpu, NVMX_GET_STATS, stats));
}

int nvmx_get_nested_stats(int vcpu, struct nvmx_nested_stats *stats)
{
	return ret_or_errno(ioctl(vcpu, NVMX_GET_NESTED_STATS, stats));
}

int nvmx_get_nested_state(int vcpu, struct nvmx_nested_state *st)
{
	return ret_or_errno(ioctl(vcpu, NVMX_GET_NESTED_STATE, st));
}

int nvmx_set_nested_state(int vcpu, const struct nvmx_nested_state *st)
{
	return ret_or_errno(ioctl(vcpu, NVMX_SET_NESTED_STATE, st));
}

int nvmx_interrupt(int vcpu, unsigned int vector)
{
	struct nvmx_interrupt irq = { .vector = vector };

	return ret_or_errno(ioctl(vcpu, NVMX_INTERRUPT, &irq));
}

int nvmx_nmi(int vcpu)
{
	return ret_or_errno(ioctl(vcpu, NVMX_NMI, 0));
}

int nvmx_kick(int vcpu)
{
	return ret_or_errno(ioctl(vcpu, NVMX_KICK, 0));
}

int nvmx_signal_msi(int vm, __u64 address, __u32 data)
{
	struct nvmx_msi msi = { .address = address, .data = data };

	return ret_or_errno(ioctl(vm, NVMX_SIGNAL_MSI, &msi));
}

int nvmx_get_mp_state(int vcpu)
{
	struct nvmx_mp_state mp = { };
	int ret = ret_or_errno(ioctl(vcpu, NVMX_GET_MP_STATE, &mp));

	return ret ?: (int)mp.state;
}

int nvmx_set_mp_state(int vcpu, unsigned int state)
{
	struct nvmx_mp_state mp = { .state = state };

	return ret_or_errno(ioctl(vcpu, NVMX_SET_MP_STATE, &mp));
}

int nvmx_get_lapic(int vcpu, struct nvmx_lapic_state *st)
{
	return ret_or_errno(ioctl(vcpu, NVMX_GET_LAPIC, st));
}

int nvmx_set_lapic(int vcpu, const struct nvmx_lapic_state *st)
{
	return ret_or_errno(ioctl(vcpu, NVMX_SET_LAPIC, st));
}

int nvmx_run(int vcpu)
{
	return ret_or_errno(ioctl(vcpu, NVMX_RUN, 0));
}

static const char *const exit_names[] = {
	[NVMX_EXIT_UNKNOWN] = "unknown",
	[NVMX_EXIT_IO] = "io",
	[NVMX_EXIT_MMIO] = "mmio",
	[NVMX_EXIT_HLT] = "hlt",
	[NVMX_EXIT_VMCALL] = "vmcall",
	[NVMX_EXIT_SHUTDOWN] = "shutdown",
	[NVMX_EXIT_FAIL_ENTRY] = "fail_entry",
	[NVMX_EXIT_INTERNAL_ERROR] = "internal_error",
	[NVMX_EXIT_INTR] = "intr",
	[NVMX_EXIT_IRQ_WINDOW_OPEN] = "irq_window_open",
	[NVMX_EXIT_STOPPED] = "stopped",
};

const char *nvmx_exit_name(__u32 reason)
{
	if (reason >= ARRAY_SIZE(exit_names))
		return "?";
	return exit_names[reason];
}

/* Flat 4 GiB segment of type @type; 64-bit code when @code64. */
static struct nvmx_segment flat_segment(__u16 selector, __u8 type,
					bool code64)
{
	return (struct nvmx_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = selector,
		.type = type,
		.present = 1,
		.db = !code64,		/* L=1 requires D=0 */
		.s = 1,
		.l = code64,
		.g = 1,
	};
}

void nvmx_long_mode_sregs(struct nvmx_sregs *sregs,
			  const struct nvmx_boot *boot)
{
	struct nvmx_segment data = flat_segment(boot->ds ?: NVMX_LOADER_DS,
						SEG_TYPE_DATA_RW, false);

	sregs->cs = flat_segment(boot->cs ?: NVMX_LOADER_CS, SEG_TYPE_CODE_XR,
				 true);
	sregs->ds = data;
	sregs->es = data;
	sregs->fs = data;
	sregs->gs = data;
	sregs->ss = data;
	sregs->tr = (struct nvmx_segment){
		.base = boot->tss_base,
		.limit = boot->tss_limit,
		.selector = boot->tr ?: NVMX_LOADER_TR,
		.type = SEG_TYPE_TSS64_BUSY,
		.present = 1,
	};
	/* No LDT: unusable, as after loading a null LDTR selector. */
	sregs->ldt = (struct nvmx_segment){
		.type = SEG_TYPE_LDT,
		.unusable = 1,
	};
	sregs->gdt = (struct nvmx_dtable){
		.base = boot->gdt_base,
		.limit = boot->gdt_limit,
	};
	/* No IDT: any exception ends in a triple fault, which is reported. */
	sregs->idt = (struct nvmx_dtable){ 0 };
	sregs->cr0 = LONG_MODE_CR0;
	sregs->cr3 = boot->cr3;
	sregs->cr4 = LONG_MODE_CR4;
	sregs->efer = EFER_LME | EFER_LMA;
}

int nvmx_setup_long_mode(int vcpu, const struct nvmx_boot *boot)
{
	struct nvmx_sregs sregs;
	struct nvmx_regs regs;
	int ret;

	/* Read first: the fields set here are not all there is. */
	ret = nvmx_get_sregs(vcpu, &sregs);
	if (ret)
		return ret;
	nvmx_long_mode_sregs(&sregs, boot);
	ret = nvmx_set_sregs(vcpu, &sregs);
	if (ret)
		return ret;
	ret = nvmx_get_regs(vcpu, &regs);
	if (ret)
		return ret;
	regs.rip = boot->entry;
	regs.rsp = boot->rsp;
	regs.rflags = RFLAGS_FIXED;
	return nvmx_set_regs(vcpu, &regs);
}

int nvmx_set_expose_vmx(int vm, bool on)
{
	return ret_or_errno(ioctl(vm, NVMX_SET_EXPOSE_VMX, on ? 1UL : 0UL));
}

int nvmx_get_expose_vmx(int vm)
{
	return ret_or_errno(ioctl(vm, NVMX_GET_EXPOSE_VMX, 0));
}

int nvmx_set_vm_flags(int vm, unsigned long flags)
{
	return ret_or_errno(ioctl(vm, NVMX_SET_VM_FLAGS, flags));
}

long nvmx_get_vm_flags(int vm)
{
	long ret = ioctl(vm, NVMX_GET_VM_FLAGS, 0UL);

	return ret < 0 ? -errno : ret;
}
