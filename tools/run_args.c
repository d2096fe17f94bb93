// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line of `nvmx run` (run.h), parsed without getopt so that
 * the parser is pure and the unit tests can call it again and again.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "acpi.h"
#include "libnvmx.h"
#include "loader.h"
#include "run.h"

/**
 * run_parse_size() - parse a memory size such as "16M"
 * @s: decimal digits and an optional suffix K, M or G (binary units,
 *     either case); no suffix means bytes
 * @bytes: the size
 *
 * Return: 0, or -EINVAL for anything else, including an overflow.
 */
int run_parse_size(const char *s, __u64 *bytes)
{
	__u64 val = 0, mult = 1;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned int digit = *s - '0';

		if (val > (UINT64_MAX - digit) / 10)
			return -EINVAL;
		val = val * 10 + digit;
	}
	switch (*s) {
	case 'k': case 'K':
		mult = 1ULL << 10;
		break;
	case 'm': case 'M':
		mult = 1ULL << 20;
		break;
	case 'g': case 'G':
		mult = 1ULL << 30;
		break;
	case '\0':
		break;
	default:
		return -EINVAL;
	}
	if (*s && s[1])
		return -EINVAL;
	if (val > UINT64_MAX / mult)
		return -EINVAL;
	*bytes = val * mult;
	return 0;
}

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The value of option @name: "--name=VALUE" or "--name VALUE". */
static const char *opt_value(const char *name, int argc, char **argv, int *i)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int parse_memory(const char *v, struct run_options *o, char *err,
			size_t errlen)
{
	if (run_parse_size(v, &o->memory))
		return bad(err, errlen, "--memory %s: not a size like 16M or 1G",
			   v);
	if (o->memory < NVMX_LOADER_MIN_MEM || o->memory > NVMX_LOADER_MAX_MEM ||
	    o->memory % NVMX_LOADER_STACK_SIZE)
		return bad(err, errlen,
			   "--memory %s: must be 256K to 4G, in 64K steps", v);
	return 0;
}

static int parse_cpus(const char *v, struct run_options *o, char *err,
		      size_t errlen)
{
	__u64 n;

	if (strpbrk(v, "kKmMgG") || run_parse_size(v, &n) || n < 1 ||
	    n > NVMX_MAX_VCPUS)
		return bad(err, errlen, "--cpus %s: must be 1 to %d", v,
			   NVMX_MAX_VCPUS);
	o->cpus = n;
	return 0;
}

/* One option at argv[*i]; *i moves past its value. */
static int parse_option(int argc, char **argv, int *i,
			struct run_options *o, char *err, size_t errlen)
{
	const char *v;

	if (!strcmp(argv[*i], "--stats")) {
		o->stats = true;
		return 0;
	}
	if (!strcmp(argv[*i], "--expose-virtualization-extensions")) {
		o->expose_vmx = true;
		return 0;
	}
	v = opt_value("--memory", argc, argv, i);
	if (v)
		return parse_memory(v, o, err, errlen);
	v = opt_value("--cpus", argc, argv, i);
	if (v)
		return parse_cpus(v, o, err, errlen);
	v = opt_value("--kernel", argc, argv, i);
	if (v) {
		o->kernel = v;
		return 0;
	}
	v = opt_value("--initrd", argc, argv, i);
	if (v) {
		o->initrd = v;
		return 0;
	}
	v = opt_value("--append", argc, argv, i);
	if (v) {
		o->append = v;
		return 0;
	}
	v = opt_value("--module", argc, argv, i);
	if (v) {
		if (o->nr_modules == RUN_MAX_MODULES)
			return bad(err, errlen, "--module: %d at most",
				   RUN_MAX_MODULES);
		if (*v == ',' || !*v)
			return bad(err, errlen, "--module %s: no FILE", v);
		o->modules[o->nr_modules++] = v;
		return 0;
	}
	if (!strcmp(argv[*i], "--memory") || !strcmp(argv[*i], "--cpus") ||
	    !strcmp(argv[*i], "--kernel") || !strcmp(argv[*i], "--initrd") ||
	    !strcmp(argv[*i], "--append") || !strcmp(argv[*i], "--module"))
		return bad(err, errlen, "%s needs a value", argv[*i]);
	return bad(err, errlen, "unknown option %s", argv[*i]);
}

/**
 * run_parse_args() - parse the arguments of `nvmx run`
 * @argc: count of @argv
 * @argv: the arguments after "run"
 * @opts: the result
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * Return: 0, or -EINVAL for a bad command line.
 */
int run_parse_args(int argc, char **argv, struct run_options *opts,
		   char *err, size_t errlen)
{
	bool options_end = false;
	int i, ret;

	/* memory 0: not given (a size of 0 is refused by parse_memory()). */
	*opts = (struct run_options){ .cpus = 1 };
	for (i = 0; i < argc; i++) {
		if (!options_end && !strcmp(argv[i], "--")) {
			options_end = true;
		} else if (!options_end && argv[i][0] == '-' && argv[i][1]) {
			ret = parse_option(argc, argv, &i, opts, err, errlen);
			if (ret)
				return ret;
		} else if (opts->image) {
			return bad(err, errlen, "one IMAGE only (%s and %s)",
				   opts->image, argv[i]);
		} else {
			opts->image = argv[i];
		}
	}
	if (opts->kernel) {
		if (opts->image)
			return bad(err, errlen, "--kernel and an IMAGE (%s)",
				   opts->image);
		if (opts->cpus > ACPI_MAX_CPUS)
			return bad(err, errlen,
				   "--kernel boots 1 to %d vCPUs (the MADT's)",
				   ACPI_MAX_CPUS);
		if (!opts->memory)
			opts->memory = RUN_DEFAULT_LINUX_MEMORY;
		return 0;
	}
	if (opts->initrd || opts->append || opts->nr_modules)
		return bad(err, errlen,
			   "--initrd, --append and --module need --kernel");
	if (!opts->image)
		return bad(err, errlen, "no IMAGE to run");
	if (!opts->memory)
		opts->memory = RUN_DEFAULT_MEMORY;
	return 0;
}
