// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of `nvmx stat`'s parser of the debugfs stats file
 * (tools/stat.c) against text in the format src/stats_file.h gives,
 * written here line by line from that header's tables as debugfs.c
 * writes it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../../src/stats_file.h"
#include "../../tools/stat.h"

/* Append "NAME VALUE" / "NAME REASON VALUE" to @buf. */
static void add(char *buf, size_t len, const char *name, int reason,
		unsigned long long val)
{
	size_t used = strlen(buf);

	if (reason < 0)
		snprintf(buf + used, len - used, "%s %llu\n", name, val);
	else
		snprintf(buf + used, len - used, "%s %d %llu\n", name, reason,
			 val);
}

TEST(every_line_of_the_format_lands_in_its_counter)
{
	struct nvmx_nested_stats ns, want_ns = { 0 };
	struct nvmx_stats s, want = { 0 };
	static char text[8192];
	unsigned int i;
	__u64 *arr;

	text[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(nvmx_stats_totals); i++) {
		*(__u64 *)((char *)&want + nvmx_stats_totals[i].offset) =
			1000 + i;
		add(text, sizeof(text), nvmx_stats_totals[i].name, -1,
		    1000 + i);
	}
	for (i = 0; i < ARRAY_SIZE(nvmx_stats_reasons); i++) {
		arr = nvmx_stats_find_reasons(nvmx_stats_reasons[i].name,
					      &want, &want_ns);
		ASSERT_NE(NULL, arr);
		arr[i * 7 + 1] = 50 + i;
		add(text, sizeof(text), nvmx_stats_reasons[i].name, i * 7 + 1,
		    50 + i);
	}
	add(text, sizeof(text), NVMX_STATS_APIC_DROPPED, -1, 3);
	ASSERT_EQ(0, stat_parse(text, &s, &ns));
	EXPECT_EQ(0, memcmp(&want, &s, sizeof(s)));
	EXPECT_EQ(0, memcmp(&want_ns, &ns, sizeof(ns)));
	EXPECT_EQ(1000, s.runs);
	EXPECT_EQ(1007, s.l2_exits);
	EXPECT_EQ(50, s.exit_reason[1]);
	EXPECT_EQ(54, ns.l1_exits_after[29]);
}

TEST(the_names_are_distinct)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(nvmx_stats_totals); i++)
		for (j = 0; j < i; j++)
			EXPECT_STRNE(nvmx_stats_totals[i].name,
				     nvmx_stats_totals[j].name);
	for (i = 0; i < ARRAY_SIZE(nvmx_stats_reasons); i++)
		for (j = 0; j < i; j++)
			EXPECT_STRNE(nvmx_stats_reasons[i].name,
				     nvmx_stats_reasons[j].name);
}

TEST(malformed_lines_are_refused_and_out_of_range_reasons_ignored)
{
	struct nvmx_nested_stats ns;
	struct nvmx_stats s;

	EXPECT_EQ(-EINVAL, stat_parse("runs\n", &s, &ns));
	EXPECT_EQ(-EINVAL, stat_parse("exit 1 2 3\n", &s, &ns));
	EXPECT_EQ(0, stat_parse("exit 80 5\nl2 79 6\nnew_total 7\n", &s, &ns));
	EXPECT_EQ(6, ns.l2_exits[79]);
	EXPECT_EQ(0, s.exits);
}

TEST_HARNESS_MAIN
