/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nvmx: the userspace ABI of /dev/nvmx.
 *
 * Every structure has fixed-width members, explicit padding and reserved
 * words that must be zero, so that the layout is the same for 32- and 64-bit
 * callers and can grow without a new ioctl number.
 */
#ifndef _UAPI_LINUX_NVMX_H
#define _UAPI_LINUX_NVMX_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Bumped on any incompatible change of this header. */
#define NVMX_API_VERSION	1

/* Unassigned in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define NVMXIO			0xE7

/* Number of VMX capability MSRs reported: IA32_VMX_BASIC (0x480) onwards. */
#define NVMX_VMX_MSR_FIRST	0x480
#define NVMX_VMX_MSR_COUNT	18	/* 0x480 .. 0x491 */

/* Features of the host's VMX, as found by nvmx at load (nvmx_vmx_caps.features). */
#define NVMX_FEAT_EPT			(1ULL << 0)
#define NVMX_FEAT_VPID			(1ULL << 1)
#define NVMX_FEAT_UNRESTRICTED_GUEST	(1ULL << 2)
#define NVMX_FEAT_VMCS_SHADOWING	(1ULL << 3)
#define NVMX_FEAT_PREEMPTION_TIMER	(1ULL << 4)
#define NVMX_FEAT_EPT_AD		(1ULL << 5)
#define NVMX_FEAT_EPT_2M		(1ULL << 6)
#define NVMX_FEAT_EPT_1G		(1ULL << 7)
#define NVMX_FEAT_INVVPID		(1ULL << 8)
#define NVMX_FEAT_TRUE_CTLS		(1ULL << 9)
#define NVMX_FEAT_POSTED_INTR		(1ULL << 10)
#define NVMX_FEAT_PML			(1ULL << 11)
#define NVMX_FEAT_TSC_SCALING		(1ULL << 12)

/**
 * struct nvmx_vmx_caps - what nvmx found on the host CPU (NVMX_GET_VMX_CAPS)
 * @features: NVMX_FEAT_* bits
 * @vmcs_revision: VMCS revision identifier (IA32_VMX_BASIC bits 30:0)
 * @vmcs_size: bytes of a VMCS region (IA32_VMX_BASIC bits 44:32)
 * @nr_cpus: online CPUs when nvmx was loaded
 * @tsc_khz: the host's TSC frequency in kHz, as the kernel measured it
 *	(a guest's TSC runs at this rate); 0 if unknown
 * @msrs: raw values of MSRs 0x480 + i; 0 where the CPU lacks the MSR
 * @reserved: zero
 */
struct nvmx_vmx_caps {
	__u64 features;
	__u32 vmcs_revision;
	__u32 vmcs_size;
	__u32 nr_cpus;
	__u32 tsc_khz;
	__u64 msrs[NVMX_VMX_MSR_COUNT];
	__u64 reserved[8];
};

/* Highest vCPU id + 1. */
#define NVMX_MAX_VCPUS		64

/**
 * struct nvmx_regs - a vCPU's general-purpose registers, RIP and RFLAGS
 *
 * RFLAGS must have bit 1 set and its reserved bits (3, 5, 15, 63:22)
 * clear.
 */
struct nvmx_regs {
	__u64 rax, rbx, rcx, rdx;
	__u64 rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11;
	__u64 r12, r13, r14, r15;
	__u64 rip, rflags;
};

/**
 * struct nvmx_segment - a segment register as the guest's descriptor caches
 * @base: segment base
 * @limit: limit in bytes (already scaled by @g)
 * @selector: selector
 * @type: descriptor type, bits 3:0 of the access rights
 * @present: P
 * @dpl: DPL
 * @db: D/B
 * @s: S (1: code or data, 0: system)
 * @l: L (64-bit code)
 * @g: G
 * @avl: AVL
 * @unusable: the register is unusable (a null selector was loaded)
 * @padding: zero
 */
struct nvmx_segment {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u8 type, present, dpl, db, s, l, g, avl, unusable;
	__u8 padding;
};

/* A descriptor-table register (GDTR, IDTR). */
struct nvmx_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];
};

/**
 * struct nvmx_sregs - segment, control and descriptor-table registers
 *
 * @cr8 is the task-priority register as the guest sees it through MOV CR8
 * (there is no local APIC yet). @apic_base is kept, not acted upon.
 * @reserved must be zero.
 */
struct nvmx_sregs {
	struct nvmx_segment cs, ds, es, fs, gs, ss;
	struct nvmx_segment tr, ldt;
	struct nvmx_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
	__u64 reserved[4];
};

/* Flags of a memory region. */
#define NVMX_MEM_READONLY	(1U << 0)	/* guest writes exit as MMIO */

/* Highest memory region slot + 1. */
#define NVMX_MAX_MEMORY_SLOTS	32

/**
 * struct nvmx_memory_region - map user memory into the guest
 * @slot: the region's slot, below NVMX_MAX_MEMORY_SLOTS
 * @flags: NVMX_MEM_* flags
 * @guest_phys_addr: first guest-physical address, page aligned
 * @memory_size: bytes, page aligned; 0 deletes the slot
 * @userspace_addr: the memory, page aligned, in the caller's address space
 * @reserved: zero
 */
struct nvmx_memory_region {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 reserved[2];
};

/* One MSR of NVMX_GET_MSRS/NVMX_SET_MSRS. */
struct nvmx_msr_entry {
	__u32 index;
	__u32 reserved;
	__u64 data;
};

/* Most entries one NVMX_GET_MSRS/NVMX_SET_MSRS call takes. */
#define NVMX_MAX_MSR_ENTRIES	64

/**
 * struct nvmx_msrs - a list of MSRs to read or write
 * @nmsrs: entries in the list, at most NVMX_MAX_MSR_ENTRIES
 * @reserved: zero
 * @entries: user pointer to @nmsrs struct nvmx_msr_entry
 */
struct nvmx_msrs {
	__u32 nmsrs;
	__u32 reserved;
	__u64 entries;
};

/* nvmx_cpuid_entry.flags: @index selects among the entries of @function. */
#define NVMX_CPUID_FLAG_SIGNIFICANT_INDEX	(1U << 0)

/* One CPUID leaf (function) and subleaf (index) with its four outputs. */
struct nvmx_cpuid_entry {
	__u32 function;
	__u32 index;
	__u32 flags;
	__u32 eax, ebx, ecx, edx;
	__u32 reserved;
};

/* Most entries of a CPUID table. */
#define NVMX_MAX_CPUID_ENTRIES	256

/**
 * struct nvmx_cpuid - a CPUID table
 * @nent: entries (in: how many @entries holds; out for
 *	NVMX_GET_SUPPORTED_CPUID: how many were written)
 * @reserved: zero
 * @entries: user pointer to @nent struct nvmx_cpuid_entry
 */
struct nvmx_cpuid {
	__u32 nent;
	__u32 reserved;
	__u64 entries;
};

/* Basic VM-exit reasons counted by NVMX_GET_STATS (Intel SDM Appendix C). */
#define NVMX_STATS_EXIT_REASONS	80

/**
 * struct nvmx_stats - what a vCPU has done since it was created
 * @runs: NVMX_RUN calls
 * @exits: VM exits, all reasons
 * @user_exits: NVMX_RUN returns with an exit for userspace
 * @ept_faults: guest pages faulted in on EPT violations
 * @injections: events injected (interrupts, NMIs, exceptions)
 * @nested_entries: VM entries of L1 into L2 (VMLAUNCH/VMRESUME) that
 *	reached L2
 * @nested_exits: VM exits to L1: L2's exits reflected, exits nvmx made
 *	up for L1 (an interrupt it intercepts, a failed VM entry)
 * @l2_exits: VM exits while L2 ran, L1's and L0's
 * @exit_reason: VM exits by basic exit reason
 */
struct nvmx_stats {
	__u64 runs;
	__u64 exits;
	__u64 user_exits;
	__u64 ept_faults;
	__u64 injections;
	__u64 nested_entries;
	__u64 nested_exits;
	__u64 l2_exits;
	__u64 exit_reason[NVMX_STATS_EXIT_REASONS];
};

/*
 * Nested VMX state of a vCPU (NVMX_GET/SET_NESTED_STATE): L1's VMX
 * operation, its current VMCS12 and whether L2 runs, for saving a vCPU
 * and restoring it into another VM (live migration of a VM that hosts
 * VMs). @vmcs12 is nvmx's own VMCS12 image, whose first word holds the
 * layout revision; it is meaningful when @vmcs12_ptr is not
 * NVMX_NESTED_NO_VMCS. While L2 runs, the other vCPU ioctls (registers,
 * MSRs) act on L2: restore the nested state first, then those.
 */
#define NVMX_NESTED_STATE_VERSION	1
#define NVMX_NESTED_VMCS12_SIZE		4096
#define NVMX_NESTED_NO_VMCS		(~0ULL)
#define NVMX_NESTED_VMXON		(1U << 0)	/* L1 in VMX operation */
#define NVMX_NESTED_GUEST_MODE		(1U << 1)	/* L2 runs */
#define NVMX_NESTED_EVENT		(1U << 2)	/* an event for L2 */
#define NVMX_NESTED_IRQ			(1U << 3)	/* an interrupt queued */
#define NVMX_NESTED_NMI			(1U << 4)	/* an NMI queued */
#define NVMX_NESTED_FLAGS		(NVMX_NESTED_VMXON | \
					 NVMX_NESTED_GUEST_MODE | \
					 NVMX_NESTED_EVENT | \
					 NVMX_NESTED_IRQ | \
					 NVMX_NESTED_NMI)

/**
 * struct nvmx_nested_state - see above
 * @version: NVMX_NESTED_STATE_VERSION
 * @size: sizeof(struct nvmx_nested_state)
 * @flags: NVMX_NESTED_*
 * @irq_vector: with NVMX_NESTED_IRQ: the interrupt NVMX_INTERRUPT queued
 *	that the guest has not taken yet (32-255); else zero
 * @vmxon_ptr: L1's VMXON pointer (with NVMX_NESTED_VMXON)
 * @vmcs12_ptr: L1's current-VMCS pointer, or NVMX_NESTED_NO_VMCS
 * @event_info: with NVMX_NESTED_EVENT: an event being delivered to L2,
 *	in the format of the VM-entry interruption-information field
 * @event_error: its error code
 * @event_insn_len: its instruction length
 * @reserved1: zero
 * @reserved: zero
 * @vmcs12: the current VMCS12
 */
struct nvmx_nested_state {
	__u32 version;
	__u32 size;
	__u32 flags;
	__u32 irq_vector;
	__u64 vmxon_ptr;
	__u64 vmcs12_ptr;
	__u32 event_info;
	__u32 event_error;
	__u32 event_insn_len;
	__u32 reserved1;
	__u64 reserved[8];
	__u8 vmcs12[NVMX_NESTED_VMCS12_SIZE];
};

/* An external interrupt for NVMX_INTERRUPT: @vector 32..255. */
struct nvmx_interrupt {
	__u32 vector;
	__u32 reserved;
};

/*
 * An interrupt message (NVMX_SIGNAL_MSI), as an I/O APIC or a device
 * sends it to the local APICs (NVMX_VM_LAPIC), in the MSI format of the
 * Intel SDM ("Message Signalled Interrupts"): @address 0xfeeXXXXX with
 * the destination in bits 19:12 and bit 2 set for a logical one; @data
 * the vector in bits 7:0, the delivery mode in bits 10:8 (fixed, lowest
 * priority, NMI or INIT) and bit 15 set for a level-triggered one.
 */
struct nvmx_msi {
	__u64 address;
	__u32 data;
	__u32 flags;		/* 0 */
};

/* A vCPU's multiprocessor state (NVMX_GET_MP_STATE, NVMX_SET_MP_STATE). */
#define NVMX_MP_RUNNABLE	0	/* runs when NVMX_RUN is called */
#define NVMX_MP_WAIT_SIPI	1	/* after INIT: NVMX_RUN waits for a SIPI */

struct nvmx_mp_state {
	__u32 state;
	__u32 reserved;		/* 0 */
};

/*
 * The in-kernel local APIC's registers (NVMX_GET_LAPIC, NVMX_SET_LAPIC)
 * laid out as the first KiB of the xAPIC page: each register's 32 bits
 * at its offset, the other 12 bytes of its 16 zero. IA32_APIC_BASE and
 * IA32_TSC_DEADLINE go through NVMX_GET/SET_MSRS.
 */
#define NVMX_LAPIC_REGS_SIZE	1024

struct nvmx_lapic_state {
	__u8 regs[NVMX_LAPIC_REGS_SIZE];
};

/* VM power state (NVMX_GET_VM_STATE). */
#define NVMX_VM_OFF		0	/* created, or stopped: not running */
#define NVMX_VM_RUNNING		1	/* NVMX_RUN was called since */

/* nvmx_run.exit_reason: why NVMX_RUN returned. */
#define NVMX_EXIT_UNKNOWN		0
#define NVMX_EXIT_IO			1
#define NVMX_EXIT_MMIO			2
#define NVMX_EXIT_HLT			3
#define NVMX_EXIT_VMCALL		4
#define NVMX_EXIT_SHUTDOWN		5	/* triple fault */
#define NVMX_EXIT_FAIL_ENTRY		6
#define NVMX_EXIT_INTERNAL_ERROR	7
#define NVMX_EXIT_INTR			8	/* signal or NVMX_KICK: -EINTR */
#define NVMX_EXIT_IRQ_WINDOW_OPEN	9
#define NVMX_EXIT_STOPPED		10	/* NVMX_STOP_VM */

/* nvmx_run.io.direction */
#define NVMX_EXIT_IO_IN		0
#define NVMX_EXIT_IO_OUT	1

/* nvmx_run.internal.suberror */
#define NVMX_INTERNAL_UNHANDLED_EXIT	1	/* data: reason, qualification */
#define NVMX_INTERNAL_EMULATION		2	/* data: RIP, GPA, insn bytes */
#define NVMX_INTERNAL_VMFAIL		3	/* data: VM-instruction error */
#define NVMX_INTERNAL_MEMORY		4	/* data: GPA, -errno */
#define NVMX_INTERNAL_NESTED		5	/* data: exit reason, -errno */

/**
 * struct nvmx_run - the page shared by a vCPU and userspace (mmap of the
 *	vCPU fd, NVMX_GET_VCPU_MMAP_SIZE bytes)
 * @request_interrupt_window: in: exit with NVMX_EXIT_IRQ_WINDOW_OPEN as
 *	soon as the guest can take an external interrupt
 * @immediate_exit: in: return -EINTR (NVMX_EXIT_INTR) before entering
 * @padding1: zero
 * @exit_reason: out: NVMX_EXIT_*
 * @ready_for_interrupt_injection: out: NVMX_INTERRUPT would be taken at
 *	the next entry
 * @if_flag: out: the guest's RFLAGS.IF
 * @padding2: zero
 * @reserved: zero
 *
 * The union describes the exit. For NVMX_EXIT_IO, @io.count items of
 * @io.size bytes are at @io.data_offset from the start of this page: for
 * OUT the guest's data, for IN where userspace puts the data that the next
 * NVMX_RUN hands to the guest. For an MMIO read, userspace fills
 * @mmio.data before the next NVMX_RUN; for NVMX_EXIT_VMCALL, @vmcall.ret
 * becomes the guest's RAX.
 */
struct nvmx_run {
	__u8 request_interrupt_window;
	__u8 immediate_exit;
	__u8 padding1[6];
	__u32 exit_reason;
	__u8 ready_for_interrupt_injection;
	__u8 if_flag;
	__u16 padding2;
	__u64 reserved[4];
	union {
		/* NVMX_EXIT_IO */
		struct {
			__u8 direction;
			__u8 size;	/* 1, 2 or 4 */
			__u16 port;
			__u32 count;
			__u64 data_offset;
		} io;
		/* NVMX_EXIT_MMIO */
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;	/* 1, 2, 4 or 8 */
			__u8 is_write;
			__u8 padding[3];
		} mmio;
		/* NVMX_EXIT_VMCALL: RAX and RBX, RCX, RDX, RSI of the guest */
		struct {
			__u64 nr;
			__u64 args[4];
			__u64 ret;
		} vmcall;
		/* NVMX_EXIT_FAIL_ENTRY: exit reason 33, 34 or 41, with bit 31 */
		struct {
			__u64 hardware_entry_failure_reason;
			__u64 qualification;
			__u32 cpu;
			__u32 padding;
		} fail_entry;
		/* NVMX_EXIT_INTERNAL_ERROR */
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 data[16];
		} internal;
		__u8 padding[256];
	};
};

/*
 * NVMX_SET_VM_FLAGS: memory regions may be removed or changed while a
 * hypervisor runs inside the VM (a vCPU in VMX operation): nvmx then
 * takes from L2 what it mapped of them before the pages go.
 */
#define NVMX_VM_NESTED_RESIZE	(1UL << 0)
/*
 * NVMX_VM_LAPIC: each vCPU created has a local APIC in the kernel (xAPIC
 * at 0xfee00000 at power-up, APIC ID = vCPU id, vCPU 0 the BSP; x2APIC,
 * timer, IPIs). Changes only while the VM has no vCPU (EBUSY).
 */
#define NVMX_VM_LAPIC		(1UL << 1)
#define NVMX_VM_FLAGS		(NVMX_VM_NESTED_RESIZE | NVMX_VM_LAPIC)

/* Where NVMX_EXIT_IO data lives in the run page, and how much fits. */
#define NVMX_RUN_IO_DATA_OFFSET	1024
#define NVMX_RUN_IO_DATA_SIZE	3072

/**
 * struct nvmx_nested_stats - a vCPU's nested VM exits by basic exit reason
 *	(NVMX_GET_NESTED_STATS)
 * @l2_exits: VM exits while L2 ran (their sum is nvmx_stats.l2_exits)
 * @reflected: those of @l2_exits that went to L1, by the reason of the
 *	hardware exit (an EPT violation that L1's EPT12 makes a
 *	misconfiguration counts as an EPT violation)
 * @synthesized: VM exits to L1 that nvmx made up (an interrupt or NMI
 *	that L1 intercepts arriving while L2 runs, a VM entry of L1's that
 *	failed after the checks of VMLAUNCH/VMRESUME), by the reason L1 saw
 * @l1_exits_after: VM exits of L1 to L0 from a nested VM exit (reflected
 *	or synthesized) to L1's next VMLAUNCH, VMRESUME or VMXOFF included,
 *	under the index the nested exit was counted at
 */
struct nvmx_nested_stats {
	__u64 l2_exits[NVMX_STATS_EXIT_REASONS];
	__u64 reflected[NVMX_STATS_EXIT_REASONS];
	__u64 synthesized[NVMX_STATS_EXIT_REASONS];
	__u64 l1_exits_after[NVMX_STATS_EXIT_REASONS];
};

/* ioctls on /dev/nvmx */
#define NVMX_GET_API_VERSION	_IO(NVMXIO, 0x00)
#define NVMX_GET_VMX_CAPS	_IOR(NVMXIO, 0x01, struct nvmx_vmx_caps)
#define NVMX_CREATE_VM		_IO(NVMXIO, 0x02)
#define NVMX_GET_VCPU_MMAP_SIZE	_IO(NVMXIO, 0x03)
#define NVMX_GET_SUPPORTED_CPUID _IOWR(NVMXIO, 0x04, struct nvmx_cpuid)

/* ioctls on a VM fd */
#define NVMX_CREATE_VCPU	_IO(NVMXIO, 0x11)
#define NVMX_SET_MEMORY_REGION	_IOW(NVMXIO, 0x12, struct nvmx_memory_region)
#define NVMX_GET_VM_STATE	_IO(NVMXIO, 0x13)
#define NVMX_STOP_VM		_IO(NVMXIO, 0x14)
/* "Expose virtualization extensions" (nested VMX): 0 or 1, default 0. */
#define NVMX_SET_EXPOSE_VMX	_IO(NVMXIO, 0x15)
#define NVMX_GET_EXPOSE_VMX	_IO(NVMXIO, 0x16)
/* VM flags (NVMX_VM_*): when each may change is said at its definition. */
#define NVMX_SET_VM_FLAGS	_IO(NVMXIO, 0x17)
#define NVMX_GET_VM_FLAGS	_IO(NVMXIO, 0x18)
/* An interrupt message to the VM's local APICs (NVMX_VM_LAPIC). */
#define NVMX_SIGNAL_MSI		_IOW(NVMXIO, 0x19, struct nvmx_msi)

/* ioctls on a vCPU fd */
#define NVMX_GET_REGS		_IOR(NVMXIO, 0x21, struct nvmx_regs)
#define NVMX_SET_REGS		_IOW(NVMXIO, 0x22, struct nvmx_regs)
#define NVMX_RUN		_IO(NVMXIO, 0x23)
#define NVMX_GET_SREGS		_IOR(NVMXIO, 0x24, struct nvmx_sregs)
#define NVMX_SET_SREGS		_IOW(NVMXIO, 0x25, struct nvmx_sregs)
#define NVMX_GET_MSRS		_IOW(NVMXIO, 0x26, struct nvmx_msrs)
#define NVMX_SET_MSRS		_IOW(NVMXIO, 0x27, struct nvmx_msrs)
#define NVMX_SET_CPUID		_IOW(NVMXIO, 0x28, struct nvmx_cpuid)
#define NVMX_GET_STATS		_IOR(NVMXIO, 0x29, struct nvmx_stats)
#define NVMX_INTERRUPT		_IOW(NVMXIO, 0x2a, struct nvmx_interrupt)
#define NVMX_NMI		_IO(NVMXIO, 0x2b)
#define NVMX_KICK		_IO(NVMXIO, 0x2c)
#define NVMX_GET_NESTED_STATE	_IOR(NVMXIO, 0x2d, struct nvmx_nested_state)
#define NVMX_SET_NESTED_STATE	_IOW(NVMXIO, 0x2e, struct nvmx_nested_state)
#define NVMX_GET_NESTED_STATS	_IOR(NVMXIO, 0x2f, struct nvmx_nested_stats)
#define NVMX_GET_MP_STATE	_IOR(NVMXIO, 0x30, struct nvmx_mp_state)
#define NVMX_SET_MP_STATE	_IOW(NVMXIO, 0x31, struct nvmx_mp_state)
#define NVMX_GET_LAPIC		_IOR(NVMXIO, 0x32, struct nvmx_lapic_state)
#define NVMX_SET_LAPIC		_IOW(NVMXIO, 0x33, struct nvmx_lapic_state)

#endif /* _UAPI_LINUX_NVMX_H */
