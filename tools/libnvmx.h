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

#include <stdbool.h>
#include <linux/nvmx.h>

/* Open /dev/nvmx (or $NVMX_DEVICE). Return: an fd, or -errno. */
int nvmx_open(void);

/* Return: NVMX_API_VERSION of the loaded module, or -errno. */
int nvmx_api_version(int dev);

/* Fill @caps with what the module found on the host. Return: 0 or -errno. */
int nvmx_vmx_caps(int dev, struct nvmx_vmx_caps *caps);

/* Create a VM. Return: the VM's fd, or -errno (-EBUSY: VMX held elsewhere). */
int nvmx_create_vm(int dev);

/* The size of a vCPU's run page (mmap length). Return: bytes or -errno. */
int nvmx_vcpu_mmap_size(int dev);

/*
 * The host's CPUID as nvmx can virtualize it: up to @max entries into
 * @entries. Return: the number of entries, or -errno (-E2BIG: @max too
 * small).
 */
int nvmx_get_supported_cpuid(int dev, struct nvmx_cpuid_entry *entries,
			     unsigned int max);

/* Create vCPU @id of VM @vm. Return: the vCPU's fd, or -errno. */
int nvmx_create_vcpu(int vm, unsigned int id);

/*
 * Map @size bytes of the caller's memory at @uaddr to guest-physical @gpa
 * in slot @slot (@size 0 deletes the slot). Return: 0 or -errno.
 */
int nvmx_set_memory_region(int vm, unsigned int slot, unsigned int flags,
			   __u64 gpa, __u64 size, void *uaddr);

/* Return: NVMX_VM_OFF or NVMX_VM_RUNNING, or -errno. */
int nvmx_vm_state(int vm);

/*
 * Expose VMX to the VM's guest (nested virtualization) or not; only while
 * the VM is off (-EBUSY otherwise). Return: 0 or -errno.
 */
int nvmx_set_expose_vmx(int vm, bool on);

/* Return: 1 if VMX is exposed to the VM's guest, 0 if not, or -errno. */
int nvmx_get_expose_vmx(int vm);

/* Set the VM's NVMX_VM_* flags (any time). Return: 0 or -errno. */
int nvmx_set_vm_flags(int vm, unsigned long flags);

/* Return: the VM's NVMX_VM_* flags, or -errno. */
long nvmx_get_vm_flags(int vm);

/* Stop the VM: every vCPU in NVMX_RUN returns NVMX_EXIT_STOPPED. */
int nvmx_stop_vm(int vm);

/*
 * Map the run page of @vcpu into *@run (@dev gives its size).
 * Return: 0 or -errno. nvmx_unmap_run() undoes it.
 */
int nvmx_map_run(int dev, int vcpu, struct nvmx_run **run);
int nvmx_unmap_run(int dev, struct nvmx_run *run);

/* Register access. Return: 0 or -errno. */
int nvmx_get_regs(int vcpu, struct nvmx_regs *regs);
int nvmx_set_regs(int vcpu, const struct nvmx_regs *regs);
int nvmx_get_sregs(int vcpu, struct nvmx_sregs *sregs);
int nvmx_set_sregs(int vcpu, const struct nvmx_sregs *sregs);

/*
 * Read or write @n MSRs. Return: how many were processed (they are done
 * in order, and processing stops at the first one nvmx refuses), or
 * -errno.
 */
int nvmx_get_msrs(int vcpu, struct nvmx_msr_entry *entries, unsigned int n);
int nvmx_set_msrs(int vcpu, const struct nvmx_msr_entry *entries,
		  unsigned int n);

/* Set the CPUID table the guest sees. Return: 0 or -errno. */
int nvmx_set_cpuid(int vcpu, const struct nvmx_cpuid_entry *entries,
		   unsigned int n);

/* Return: 0 or -errno. */
int nvmx_get_stats(int vcpu, struct nvmx_stats *stats);

/* The nested exits by reason (NVMX_GET_NESTED_STATS). Return: 0 or -errno. */
int nvmx_get_nested_stats(int vcpu, struct nvmx_nested_stats *stats);

/*
 * Save or restore the nested VMX state (L1's VMX operation, its VMCS12,
 * L2 running); restore it before registers and MSRs. Return: 0 or -errno.
 */
int nvmx_get_nested_state(int vcpu, struct nvmx_nested_state *st);
int nvmx_set_nested_state(int vcpu, const struct nvmx_nested_state *st);

/* Queue an external interrupt or an NMI. Return: 0 or -errno. */
int nvmx_interrupt(int vcpu, unsigned int vector);
int nvmx_nmi(int vcpu);

/* Make NVMX_RUN of @vcpu (in another thread) return -EINTR soon. */
int nvmx_kick(int vcpu);

/*
 * An interrupt message (struct nvmx_msi's format) to the VM's in-kernel
 * APICs. Return: how many APICs it went to, or -errno.
 */
int nvmx_signal_msi(int vm, __u64 address, __u32 data);

/* A vCPU's NVMX_MP_* state. Return: the state or 0, or -errno. */
int nvmx_get_mp_state(int vcpu);
int nvmx_set_mp_state(int vcpu, unsigned int state);

/* Save or restore the in-kernel APIC's registers. Return: 0 or -errno. */
int nvmx_get_lapic(int vcpu, struct nvmx_lapic_state *st);
int nvmx_set_lapic(int vcpu, const struct nvmx_lapic_state *st);

/*
 * Run @vcpu until an exit for userspace (described in its run page).
 * Return: 0, or -errno (-EINTR: a signal, a kick or immediate_exit).
 */
int nvmx_run(int vcpu);

/* The name of an NVMX_EXIT_* reason ("io", "hlt", ...), or "?". */
const char *nvmx_exit_name(__u32 reason);

struct nvmx_boot;

/*
 * Put @vcpu in 64-bit mode as the ELF loader (loader.h) prepared its
 * memory: flat code and data segments, the loader's GDT, TSS and page
 * tables, paging with PAE and long mode, SSE enabled; RIP and RSP from
 * @boot, RFLAGS 0x2. Return: 0 or -errno.
 */
int nvmx_setup_long_mode(int vcpu, const struct nvmx_boot *boot);

/*
 * The register part of nvmx_setup_long_mode(), without the ioctls: set the
 * segment, descriptor-table and control registers of @sregs for @boot and
 * leave the other fields (CR2, CR8, APIC base, reserved) as they are.
 */
void nvmx_long_mode_sregs(struct nvmx_sregs *sregs,
			  const struct nvmx_boot *boot);

/* The name of NVMX_FEAT_* bit @bit, or NULL. */
const char *nvmx_feature_name(unsigned int bit);

#endif /* LIBNVMX_H */
