/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Assertions on the vmm.h helpers for the test programs: on failure they
 * log the helper's reason (the exit as the guest left it).
 */
#ifndef NVMX_SELFTEST_VMM_HARNESS_H
#define NVMX_SELFTEST_VMM_HARNESS_H

#include "kselftest_harness.h"
#include "vmm.h"

/* @expr is a vmm.h call about vCPU @vc that must return 0. */
#define VCPU_OK(vc, expr) \
	do { \
		const struct vcpu *__v = (vc); \
		int __ret = (expr); \
		ASSERT_EQ(0, __ret) TH_LOG("%s: vCPU %u: %s", #expr, __v->id, \
					   __v->err); \
	} while (0)

/* @expr is a vmm.h call about VM @m that must return 0. */
#define VM_OK(m, expr) \
	do { \
		const struct vm *__vm = (m); \
		int __ret = (expr); \
		ASSERT_EQ(0, __ret) TH_LOG("%s: %s", #expr, __vm->err); \
	} while (0)

/*
 * ASSERT_EQ/EXPECT_EQ with a message as one statement: the harness's
 * "EXPECT_EQ(a, b) TH_LOG(...)" is two (its handler is a for loop after
 * a do-while), which as the body of a loop would run after the loop.
 */
#define ASSERT_EQ_MSG(expected, seen, fmt, ...) \
	do { \
		__typeof__(seen) __got = (seen); \
		ASSERT_EQ(expected, __got) TH_LOG(fmt, ##__VA_ARGS__); \
	} while (0)

#define EXPECT_EQ_MSG(expected, seen, fmt, ...) \
	do { \
		__typeof__(seen) __got = (seen); \
		EXPECT_EQ(expected, __got) TH_LOG(fmt, ##__VA_ARGS__); \
	} while (0)

#define VCPU_START(vc, fn, a0, a1) \
	do { \
		struct vcpu *__vs = (vc); \
		VCPU_OK(__vs, vcpu_start(__vs, fn, a0, a1)); \
	} while (0)

#define VCPU_RUN(vc, reason) \
	do { \
		struct vcpu *__vr = (vc); \
		VCPU_OK(__vr, vcpu_run_expect(__vr, reason)); \
	} while (0)

#define VCPU_REPORT(vc, val) \
	do { \
		struct vcpu *__vp = (vc); \
		VCPU_OK(__vp, vcpu_expect_report(__vp, val)); \
	} while (0)

#endif /* NVMX_SELFTEST_VMM_HARNESS_H */
