/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's FPU, SSE and AVX state and its XCR0, around a VM entry.
 *
 * Between nvmx_fpu_enter() and nvmx_fpu_leave() the registers hold the
 * guest's state inside a kernel_fpu_begin() section: the host's user
 * state is saved by the kernel and restored before the thread returns
 * to user mode, and no other kernel code uses the registers meanwhile.
 * The guest's XCR0 is loaded only with interrupts disabled, around the
 * VM entry itself.
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
 * Load the guest's FPU registers. Context: preemption enabled; disabled
 * until nvmx_fpu_leave(). XCR0 stays the host's: nvmx_xcr0_enter() and
 * nvmx_xcr0_leave() switch it with interrupts disabled.
 */
static inline void nvmx_fpu_enter(void *area)
{
	kernel_fpu_begin();
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		nvmx_xrstor(area, xgetbv(0) & NVMX_XCR0_GUEST_BITS);
	else
		asm volatile("fxrstor64 (%0)" : : "r" (area) : "memory");
}

/* Save the guest's FPU registers (XCR0 is the host's again). */
static inline void nvmx_fpu_leave(void *area)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		nvmx_xsave(area, xgetbv(0) & NVMX_XCR0_GUEST_BITS);
	else
		asm volatile("fxsave64 (%0)" : : "r" (area) : "memory");
	kernel_fpu_end();
}

/*
 * The guest's XCR0, where it matters: only a guest with CR4.OSXSAVE can
 * use it. Interrupts stay disabled until nvmx_xcr0_leave(), so that no
 * host code ever runs with the guest's XCR0. Return: the host's XCR0,
 * or 0 when nothing was switched.
 */
static inline u64 nvmx_xcr0_enter(u64 guest_xcr0, bool osxsave)
{
	u64 host;

	if (!osxsave || !boot_cpu_has(X86_FEATURE_XSAVE))
		return 0;
	host = xgetbv(0);
	if (host == guest_xcr0)
		return 0;
	xsetbv(0, guest_xcr0);
	return host;
}

static inline void nvmx_xcr0_leave(u64 host)
{
	if (host)
		xsetbv(0, host);
}

#endif /* NVMX_VMX_FPU_H */
