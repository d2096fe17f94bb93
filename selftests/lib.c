// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the nvmx kselftests (see lib.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

const char *nvmx_module_path(void)
{
	return env_or("NVMX_MODULE", "../nvmx.ko");
}

int nvmx_load(void)
{
	int fd = open(nvmx_module_path(), O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int nvmx_unload(void)
{
	return syscall(SYS_delete_module, "nvmx", O_NONBLOCK) ? -errno : 0;
}

bool nvmx_loaded(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "nvmx ", 5);
	fclose(f);
	return found;
}

char *kernel_log_since(const char *mark)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *buf, *from, *p;
	int n;

	if (size <= 0)
		return NULL;
	buf = calloc(1, size + 1);
	if (!buf)
		return NULL;
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	from = buf;
	/* The last occurrence: marks may repeat across test runs. */
	for (p = buf; mark && (p = strstr(p, mark)); p++)
		from = p;
	memmove(buf, from, strlen(from) + 1);
	return buf;
}

void kernel_log_mark(const char *text)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		perror("write /dev/kmsg");
	close(fd);
}

long nvmx_debugfs(const char *name)
{
	char path[128];
	long val = -1;
	FILE *f;

	/* Mounting twice fails harmlessly with EBUSY. */
	mkdir("/sys/kernel/debug", 0755);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	snprintf(path, sizeof(path), "/sys/kernel/debug/nvmx/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &val) != 1)
		val = -1;
	fclose(f);
	return val;
}

int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

long mem_available_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *nvmx_log_problem(const char *log)
{
	static const char *const signs[] = { "nvmx: leak", "nvmx: cannot" };
	unsigned int i;

	for (i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (strstr(log, signs[i]))
			return signs[i];
	return NULL;
}
