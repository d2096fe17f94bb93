/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's FPU, SSE and AVX state and its XCR0, around a VM entry.
 *
 * Between nvmx_fpu_enter() and nvmx_fpu_leave() the registers hold the
 * guest's state inside a kernel_fpu_begin() section: the host's user
 * state is saved by the kernel and restored before the thread returns
 * to user mode, and no other kernel code uses the registers meanwhile.
 * The components the guest may use are those of nvmx_guest_xcr0_mask();
 * PKRU and the AMX tiles are never among them, so XSAVE and XRSTOR with
 * that mask move every register the guest can reach, and nothing else.
 */
#ifndef NVMX_VMX_FPU_H
#define NVMX_VMX_FPU_H

#include <linux/types.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>

/* x87, SSE, AVX, AVX-512 (opmask, ZMM_Hi256, Hi16_ZMM) */
#define NVMX_XCR0_GUEST_BITS	0xe7ULL

static inline u64 nvmx_guest_xcr0_mask(void)
{
	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return 3;
	return xgetbv(0) & NVMX_XCR0_GUEST_BITS;
}

static inline void nvmx_xrstor(const void *area, u64 mask)
{
	asm volatile("xrstor64 (%0)" : : "r" (area), "a" ((u32)mask),
		     "d" ((u32)(mask >> 32)) : "memory");
}

static inline void nvmx_xsave(void *area, u64 mask)
{
	asm volatile("xsave64 (%0)" : : "r" (area), "a" ((u32)mask),
		     "d" ((u32)(mask >> 32)) : "memory");
}

/*
 * Load the guest's registers and XCR0. Context: preemption enabled;
 * disabled until nvmx_fpu_leave(). Return: the host's XCR0.
 */
static inline u64 nvmx_fpu_enter(void *area, u64 guest_xcr0)
{
	u64 host_xcr0 = 0;

	kernel_fpu_begin();
	if (!boot_cpu_has(X86_FEATURE_XSAVE)) {
		asm volatile("fxrstor64 (%0)" : : "r" (area) : "memory");
		return 0;
	}
	host_xcr0 = xgetbv(0);
	nvmx_xrstor(area, host_xcr0 & NVMX_XCR0_GUEST_BITS);
	if (guest_xcr0 != host_xcr0)
		xsetbv(0, guest_xcr0);
	return host_xcr0;
}

/* Save the guest's registers, give the host its XCR0 back. */
static inline void nvmx_fpu_leave(void *area, u64 guest_xcr0, u64 host_xcr0)
{
	if (!boot_cpu_has(X86_FEATURE_XSAVE)) {
		asm volatile("fxsave64 (%0)" : : "r" (area) : "memory");
	} else {
		if (guest_xcr0 != host_xcr0)
			xsetbv(0, host_xcr0);
		nvmx_xsave(area, host_xcr0 & NVMX_XCR0_GUEST_BITS);
	}
	kernel_fpu_end();
}

#endif /* NVMX_VMX_FPU_H */
