/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `nvmx stat [--once] [PID]`: the counters of VMs that other processes
 * run, from nvmx's debugfs files (/sys/kernel/debug/nvmx/vm-PID-ID/
 * vcpuN/stats, Documentation/api.rst), like kvm_stat for KVM.
 */
#ifndef NVMX_TOOLS_STAT_H
#define NVMX_TOOLS_STAT_H

#include <linux/nvmx.h>

/*
 * Parse the text of a vCPU's debugfs "stats" file into @s and @ns (zeroed
 * first); unknown lines are skipped. Return: 0, or -EINVAL for a line
 * that is not "NAME VALUE" or "NAME REASON VALUE".
 */
int stat_parse(const char *text, struct nvmx_stats *s,
	       struct nvmx_nested_stats *ns);

int cmd_stat(int argc, char **argv);

#endif /* NVMX_TOOLS_STAT_H */
