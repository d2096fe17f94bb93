/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The format of a vCPU's debugfs "stats" file (vm-PID-ID/vcpuN/stats),
 * in one place for the module that writes it (src/debugfs.c) and for
 * `nvmx stat`, which parses it (tools/stat.c):
 *
 *   NAME VALUE           a total of struct nvmx_stats (nvmx_stats_totals)
 *   NAME REASON VALUE    a counter by basic exit reason, not shown when 0
 *                        (nvmx_stats_reasons)
 *   apic_ipis_dropped VALUE   with an in-kernel APIC only
 *
 * It includes only src/pure.h and the uapi header, so that both sides
 * can include it.
 */
#ifndef NVMX_STATS_FILE_H
#define NVMX_STATS_FILE_H

#include <linux/nvmx.h>

#include "pure.h"

/* A total of struct nvmx_stats: the name of its line, where it lives. */
struct nvmx_stats_total {
	const char *name;
	size_t offset;
};

static const struct nvmx_stats_total nvmx_stats_totals[] = {
	{ "runs", offsetof(struct nvmx_stats, runs) },
	{ "exits", offsetof(struct nvmx_stats, exits) },
	{ "user_exits", offsetof(struct nvmx_stats, user_exits) },
	{ "ept_faults", offsetof(struct nvmx_stats, ept_faults) },
	{ "injections", offsetof(struct nvmx_stats, injections) },
	{ "nested_entries", offsetof(struct nvmx_stats, nested_entries) },
	{ "nested_exits", offsetof(struct nvmx_stats, nested_exits) },
	{ "l2_exits", offsetof(struct nvmx_stats, l2_exits) },
};

/*
 * An array of NVMX_STATS_EXIT_REASONS counters: the name of its lines,
 * and where it lives in struct nvmx_nested_stats (@nested) or else in
 * struct nvmx_stats.
 */
struct nvmx_stats_reasons {
	const char *name;
	bool nested;
	size_t offset;
};

static const struct nvmx_stats_reasons nvmx_stats_reasons[] = {
	{ "exit", false, offsetof(struct nvmx_stats, exit_reason) },
	{ "l2", true, offsetof(struct nvmx_nested_stats, l2_exits) },
	{ "reflected", true, offsetof(struct nvmx_nested_stats, reflected) },
	{ "synthesized", true,
	  offsetof(struct nvmx_nested_stats, synthesized) },
	{ "l1_after", true,
	  offsetof(struct nvmx_nested_stats, l1_exits_after) },
};

/* For parsers of the file: the total of @s whose line is @name, or NULL. */
static inline __u64 *nvmx_stats_find_total(const char *name,
					   struct nvmx_stats *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nvmx_stats_totals); i++)
		if (!strcmp(name, nvmx_stats_totals[i].name))
			return (__u64 *)((char *)s +
					 nvmx_stats_totals[i].offset);
	return NULL;
}

/* The same for the counters by exit reason, in @s or @ns. */
static inline __u64 *nvmx_stats_find_reasons(const char *name,
					     struct nvmx_stats *s,
					     struct nvmx_nested_stats *ns)
{
	const struct nvmx_stats_reasons *r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nvmx_stats_reasons); i++) {
		r = &nvmx_stats_reasons[i];
		if (!strcmp(name, r->name))
			return (__u64 *)((r->nested ? (char *)ns : (char *)s) +
					 r->offset);
	}
	return NULL;
}

/* The line of a vCPU with an in-kernel APIC: IPIs it could not take. */
#define NVMX_STATS_APIC_DROPPED	"apic_ipis_dropped"

#endif /* NVMX_STATS_FILE_H */
