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
 * @reserved0: zero
 * @msrs: raw values of MSRs 0x480 + i; 0 where the CPU lacks the MSR
 * @reserved: zero
 */
struct nvmx_vmx_caps {
	__u64 features;
	__u32 vmcs_revision;
	__u32 vmcs_size;
	__u32 nr_cpus;
	__u32 reserved0;
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

/* ioctls on /dev/nvmx */
#define NVMX_GET_API_VERSION	_IO(NVMXIO, 0x00)
#define NVMX_GET_VMX_CAPS	_IOR(NVMXIO, 0x01, struct nvmx_vmx_caps)
#define NVMX_CREATE_VM		_IO(NVMXIO, 0x02)

/* ioctls on a VM fd */
#define NVMX_CREATE_VCPU	_IO(NVMXIO, 0x11)

/* ioctls on a vCPU fd */
#define NVMX_GET_REGS		_IOR(NVMXIO, 0x21, struct nvmx_regs)
#define NVMX_SET_REGS		_IOW(NVMXIO, 0x22, struct nvmx_regs)

#endif /* _UAPI_LINUX_NVMX_H */
