// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the command line of `nvmx run` (tools/run_args.c). */
#include "kselftest_harness.h"
#include "../../tools/run.h"

TEST(sizes_take_binary_suffixes)
{
	__u64 n = 0;

	ASSERT_EQ(0, run_parse_size("16M", &n));
	EXPECT_EQ(16ULL << 20, n);
	ASSERT_EQ(0, run_parse_size("1g", &n));
	EXPECT_EQ(1ULL << 30, n);
	ASSERT_EQ(0, run_parse_size("256K", &n));
	EXPECT_EQ(256ULL << 10, n);
	ASSERT_EQ(0, run_parse_size("65536", &n));
	EXPECT_EQ(65536, n);
	ASSERT_EQ(0, run_parse_size("0", &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(0, run_parse_size("17179869183G", &n));	/* 2^64 - 1G */
	EXPECT_EQ(0xffffffffc0000000ULL, n);
}

TEST(sizes_that_are_not_numbers_or_overflow_are_refused)
{
	static const char *const bad[] = {
		"", "M", "-1", "+1", " 1", "1 ", "1MB", "1T", "1.5G", "0x10",
		"18446744073709551616",		/* 2^64 */
		"17179869184G",			/* 2^64 after the suffix */
		"99999999999999999999999",
	};
	__u64 n = 42;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, run_parse_size(bad[i], &n))
			TH_LOG("case %u", i);
	EXPECT_EQ(42, n);
	EXPECT_EQ(0, run_parse_size("18446744073709551615", &n));
	EXPECT_EQ(~0ULL, n);
}

/* Parse the NULL-terminated argument list @args. */
static int parse(struct run_options *o, char *err, const char **args)
{
	int argc = 0;

	while (args[argc])
		argc++;
	err[0] = '\0';
	return run_parse_args(argc, (char **)args, o, err, 200);
}

#define PARSE(o, err, ...) parse(o, err, (const char *[]){ __VA_ARGS__, NULL })

TEST(defaults_are_16m_one_cpu_no_stats)
{
	struct run_options o;
	char err[200];

	ASSERT_EQ(0, PARSE(&o, err, "guest"));
	EXPECT_EQ(16ULL << 20, o.memory);
	EXPECT_EQ(1, o.cpus);
	EXPECT_FALSE(o.stats);
	EXPECT_STREQ("guest", o.image);
}

TEST(options_take_their_value_after_a_space_or_an_equals_sign)
{
	struct run_options o;
	char err[200];

	ASSERT_EQ(0, PARSE(&o, err, "--memory", "1G", "--cpus=4", "--stats",
			   "img"));
	EXPECT_EQ(1ULL << 30, o.memory);
	EXPECT_EQ(4, o.cpus);
	EXPECT_TRUE(o.stats);
	EXPECT_STREQ("img", o.image);
	/* Options after the image, and "--" before one that starts with -. */
	ASSERT_EQ(0, PARSE(&o, err, "img", "--memory=256K", "--cpus", "64"));
	EXPECT_EQ(256 << 10, o.memory);
	EXPECT_EQ(64, o.cpus);
	ASSERT_EQ(0, PARSE(&o, err, "--", "-img"));
	EXPECT_STREQ("-img", o.image);
	ASSERT_EQ(0, PARSE(&o, err, "-"));
	EXPECT_STREQ("-", o.image);
	ASSERT_EQ(0, PARSE(&o, err, "--memory=4G", "x"));
	EXPECT_EQ(4ULL << 30, o.memory);
}

TEST(kernel_takes_the_place_of_the_image_with_128m_by_default)
{
	struct run_options o;
	char err[200];

	ASSERT_EQ(0, PARSE(&o, err, "--kernel", "bz", "--initrd=rd",
			   "--append", "console=ttyS0 quiet"));
	EXPECT_STREQ("bz", o.kernel);
	EXPECT_STREQ("rd", o.initrd);
	EXPECT_STREQ("console=ttyS0 quiet", o.append);
	EXPECT_EQ(NULL, o.image);
	EXPECT_EQ(128ULL << 20, o.memory);
	ASSERT_EQ(0, PARSE(&o, err, "--memory", "16M", "--kernel=bz"));
	EXPECT_EQ(16ULL << 20, o.memory);
	EXPECT_EQ(NULL, o.initrd);
	EXPECT_EQ(NULL, o.append);
	/* --append "" is an empty command line, not the default one. */
	ASSERT_EQ(0, PARSE(&o, err, "--kernel", "bz", "--append="));
	EXPECT_STREQ("", o.append);
	/* SMP: up to the vCPUs the MADT describes. */
	ASSERT_EQ(0, PARSE(&o, err, "--kernel", "bz", "--cpus", "2"));
	EXPECT_EQ(2, o.cpus);
	ASSERT_EQ(0, PARSE(&o, err, "--cpus=15", "--kernel", "bz"));
	EXPECT_EQ(15, o.cpus);
}

TEST(modules_are_kept_in_order_up_to_the_limit)
{
	const char *args[2 * RUN_MAX_MODULES + 5] = { "--kernel", "mb" };
	struct run_options o;
	char err[200];
	unsigned int i;

	ASSERT_EQ(0, PARSE(&o, err, "--kernel", "mb", "--module", "a,x y",
			   "--module=b", "--initrd", "c"));
	ASSERT_EQ(2, o.nr_modules);
	EXPECT_STREQ("a,x y", o.modules[0]);
	EXPECT_STREQ("b", o.modules[1]);
	EXPECT_STREQ("c", o.initrd);
	for (i = 0; i < RUN_MAX_MODULES; i++) {
		args[2 + 2 * i] = "--module";
		args[3 + 2 * i] = "m";
	}
	ASSERT_EQ(0, parse(&o, err, args));
	EXPECT_EQ(RUN_MAX_MODULES, o.nr_modules);
	args[2 + 2 * i] = "--module";
	args[3 + 2 * i] = "one too many";
	EXPECT_EQ(-EINVAL, parse(&o, err, args));
	EXPECT_NE(NULL, strstr(err, "at most")) TH_LOG("\"%s\"", err);
}

TEST(bad_command_lines_are_refused_with_a_reason)
{
	static const struct {
		const char *args[4];
		const char *reason;
	} bad[] = {
		{ { NULL }, "no IMAGE" },
		{ { "a", "b" }, "one IMAGE only" },
		{ { "--memory" }, "--memory needs a value" },
		{ { "--cpus" }, "--cpus needs a value" },
		{ { "--memory", "16X", "a" }, "not a size" },
		{ { "--memory", "192K", "a" }, "256K to 4G" },
		{ { "--memory", "4G+64K" }, "not a size" },
		{ { "--memory", "4194368K", "a" }, "256K to 4G" },	/* 4G + 64K */
		{ { "--memory", "1000000", "a" }, "64K steps" },
		{ { "--cpus", "0", "a" }, "1 to 64" },
		{ { "--cpus", "65", "a" }, "1 to 64" },
		{ { "--cpus", "1K", "a" }, "1 to 64" },
		{ { "--cpus", "two", "a" }, "1 to 64" },
		{ { "--memoryx", "a" }, "unknown option --memoryx" },
		{ { "-m", "16M", "a" }, "unknown option -m" },
		{ { "--stats=1", "a" }, "unknown option" },
		{ { "--kernel" }, "--kernel needs a value" },
		{ { "--kernel", "bz", "--initrd" }, "--initrd needs a value" },
		{ { "--kernel", "bz", "img" }, "--kernel and an IMAGE" },
		{ { "--kernel", "bz", "--cpus=16" }, "1 to 15 vCPUs" },
		{ { "--initrd", "rd", "img" }, "need --kernel" },
		{ { "--append", "quiet", "img" }, "need --kernel" },
		{ { "--module", "m", "img" }, "need --kernel" },
		{ { "--kernel", "mb", "--module" }, "--module needs a value" },
		{ { "--kernel", "mb", "--module=" }, "no FILE" },
		{ { "--kernel=mb", "--module", ",args" }, "no FILE" },
	};
	struct run_options o;
	char err[200];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, parse(&o, err, (const char **)bad[i].args))
			TH_LOG("case %u", i);
		EXPECT_NE(NULL, strstr(err, bad[i].reason))
			TH_LOG("case %u: \"%s\"", i, err);
	}
}

TEST_HARNESS_MAIN
