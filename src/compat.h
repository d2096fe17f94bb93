/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every difference between the kernels nvmx builds for (Debian's 6.1 and
 * 6.12 LTS), and nowhere else. Where a distribution backported an API, the
 * Kbuild file detects it in the headers and defines an NVMX_HAVE_* macro,
 * because the version number would lie.
 */
#ifndef NVMX_COMPAT_H
#define NVMX_COMPAT_H

/*
 * Tracepoints: since 6.10, __assign_str() takes the source from the
 * __string() declaration.
 */
#ifdef NVMX_HAVE_ASSIGN_STR_1ARG
#define nvmx_assign_str(dst, src)	__assign_str(dst)
#else
#define nvmx_assign_str(dst, src)	__assign_str(dst, src)
#endif

#include <linux/syscore_ops.h>

/*
 * NVMX_SYSCORE(name, suspend_fn, resume_fn) defines the suspend/resume hooks
 * object @name around int suspend_fn(void) and void resume_fn(void);
 * nvmx_syscore_register(name) and nvmx_syscore_unregister(name) install it.
 * Newer kernels (and Debian's 6.12 since 6.12.117) pass a data pointer and
 * register a struct syscore; older ones register the syscore_ops directly.
 */
#ifdef NVMX_HAVE_SYSCORE_DATA
#define NVMX_SYSCORE(name, suspend_fn, resume_fn)				\
	static int name##_suspend(void *data) { return suspend_fn(); }	\
	static void name##_resume(void *data) { resume_fn(); }		\
	static const struct syscore_ops name##_ops = {			\
		.suspend = name##_suspend,				\
		.resume = name##_resume,				\
	};								\
	static struct syscore name = { .ops = &name##_ops }
#define nvmx_syscore_register(name)	register_syscore(&(name))
#define nvmx_syscore_unregister(name)	unregister_syscore(&(name))
#else
#define NVMX_SYSCORE(name, suspend_fn, resume_fn)				\
	static struct syscore_ops name = {				\
		.suspend = suspend_fn,					\
		.resume = resume_fn,					\
	}
#define nvmx_syscore_register(name)	register_syscore_ops(&(name))
#define nvmx_syscore_unregister(name)	unregister_syscore_ops(&(name))
#endif

#endif /* NVMX_COMPAT_H */
