/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the nvmx kselftests: loading and unloading the module,
 * reading the kernel log and nvmx's debugfs counters.
 */
#ifndef NVMX_SELFTEST_LIB_H
#define NVMX_SELFTEST_LIB_H

#include <stdbool.h>
#include <stddef.h>

/* Path of nvmx.ko: $NVMX_MODULE, or ../nvmx.ko next to the selftests. */
const char *nvmx_module_path(void);

/* finit_module() of nvmx.ko. Return: 0 or -errno. */
int nvmx_load(void);
/* delete_module("nvmx", O_NONBLOCK). Return: 0 or -errno. */
int nvmx_unload(void);
/* Whether /proc/modules lists nvmx. */
bool nvmx_loaded(void);

/*
 * The kernel log from the first line that contains @mark (or from the start
 * when @mark is NULL), in a malloc()ed buffer. NULL on error.
 */
char *kernel_log_since(const char *mark);
/* Write @text into the kernel log (through /dev/kmsg), to mark a point. */
void kernel_log_mark(const char *text);

/* The value of /sys/kernel/debug/nvmx/@name, or -1 (debugfs is mounted). */
long nvmx_debugfs(const char *name);

/* An environment variable, or @def. */
const char *env_or(const char *name, const char *def);

/* CPUs online now. */
int online_cpus(void);

/* MemAvailable from /proc/meminfo, in KiB; -1 on error. */
long mem_available_kb(void);

/* Seconds on CLOCK_MONOTONIC. */
double monotonic_seconds(void);

/* The first sign of a leak or failure of nvmx in @log, or NULL. */
const char *nvmx_log_problem(const char *log);

#endif /* NVMX_SELFTEST_LIB_H */
