// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmx.ko on a machine where it cannot work refuses to load, with a
 * distinct errno and one kernel-log line that tells the admin why.
 *
 * NVMX_EXPECT says which machine this is:
 *   vendor  not an Intel CPU (QEMU's default CPU model)
 *   novmx   an Intel CPU without VMX (an Intel model under QEMU TCG)
 *   noept   VMX without EPT (Bochs' core2_penryn_t9600)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib.h"

struct expectation {
	const char *machine;
	int err;
	const char *message;
};

static const struct expectation expectations[] = {
	{ "vendor", ENODEV,
	  "nvmx: nested virtualization works only on Intel processors with VT-x; this CPU's vendor is \"" },
	{ "novmx", ENODEV,
	  "nvmx: nested virtualization works only on Intel processors with VT-x; this Intel CPU does not report VMX" },
	{ "noept", EOPNOTSUPP,
	  "nvmx: this CPU's VT-x lacks EPT" },
};

static const struct expectation *expected(void)
{
	const char *machine = env_or("NVMX_EXPECT", "");
	unsigned int i;

	for (i = 0; i < sizeof(expectations) / sizeof(expectations[0]); i++)
		if (!strcmp(machine, expectations[i].machine))
			return &expectations[i];
	return NULL;
}

/* Lines of @log at KERN_ERR ("<3>" in the syslog format) that hold @text. */
static int count_errors(const char *log, const char *text)
{
	const char *line, *end;
	int n = 0;

	for (line = log; *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		if (strncmp(line, "<3>", 3))
			continue;
		line = strstr(line, text);
		n += line && line < end;
	}
	return n;
}

TEST(load_is_refused_with_the_reason)
{
	const struct expectation *e = expected();
	char *log;
	int err;

	ASSERT_NE(NULL, e) TH_LOG("set NVMX_EXPECT to vendor, novmx or noept");
	kernel_log_mark("nvmx-selftest: refusal\n");
	err = nvmx_load();
	ASSERT_EQ(-e->err, err) TH_LOG("expected %s, got %s",
				       strerror(e->err), strerror(-err));
	log = kernel_log_since("nvmx-selftest: refusal");
	ASSERT_NE(NULL, log);
	EXPECT_NE(NULL, strstr(log, e->message)) TH_LOG("kernel log: %s", log);
	/* One error line, not a cascade. */
	EXPECT_EQ(1, count_errors(log, "nvmx: ")) TH_LOG("kernel log: %s", log);
	free(log);
}

TEST(nothing_is_left_behind)
{
	EXPECT_FALSE(nvmx_loaded());
	EXPECT_NE(0, access("/dev/nvmx", F_OK));
	EXPECT_EQ(ENOENT, errno);
}

TEST_HARNESS_MAIN
