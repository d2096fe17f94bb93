// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nvmx stat [--once] [PID]` (stat.h): finds the VMs in nvmx's debugfs
 * directory, by creator PID and VM number, and prints each vCPU's
 * counters with the printers of `nvmx run --stats` (stats.c); without
 * --once, again every second until interrupted.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../src/stats_file.h"
#include "stat.h"
#include "vmm.h"

#define DEBUGFS_ROOT	"/sys/kernel/debug"
#define NVMX_DEBUGFS	DEBUGFS_ROOT "/nvmx"
#define DEBUGFS_MAGIC	0x64626720
#define STATS_TEXT_MAX	(64 * 1024)

/* A VM's directory vm-PID-ID, or a vCPU's vcpuID (@pid 0). */
struct stat_entry {
	int pid;
	int id;
};

static int stat_line(const char *line, struct nvmx_stats *s,
		     struct nvmx_nested_stats *ns)
{
	unsigned long long a, b;
	char name[32], extra;
	__u64 *arr;
	int n;

	n = sscanf(line, "%31s %llu %llu %c", name, &a, &b, &extra);
	if (n == 2) {
		arr = nvmx_stats_find_total(name, s);
		if (arr)
			*arr = a;
		return 0;
	}
	if (n != 3)
		return -EINVAL;
	arr = nvmx_stats_find_reasons(name, s, ns);
	if (arr && a < NVMX_STATS_EXIT_REASONS)
		arr[a] = b;
	return 0;
}

int stat_parse(const char *text, struct nvmx_stats *s,
	       struct nvmx_nested_stats *ns)
{
	char line[128];
	const char *end;
	size_t len;

	memset(s, 0, sizeof(*s));
	memset(ns, 0, sizeof(*ns));
	for (; *text; text = *end ? end + 1 : end) {
		end = strchrnul(text, '\n');
		len = end - text;
		if (!len)
			continue;
		if (len >= sizeof(line))
			return -EINVAL;
		memcpy(line, text, len);
		line[len] = '\0';
		if (stat_line(line, s, ns))
			return -EINVAL;
	}
	return 0;
}

/* Read a whole small file. Return: its text (free it), or NULL. */
static char *read_text(const char *path)
{
	char *buf = malloc(STATS_TEXT_MAX);
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while (len < STATS_TEXT_MAX - 1 &&
	       (n = read(fd, buf + len, STATS_TEXT_MAX - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct stat_entry *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * The entries of directory @path named "vm-PID-ID" (@vms) or "vcpuN",
 * sorted. Return: how many (at most @max), or -errno.
 */
static int list_dir(const char *path, bool vms, struct stat_entry *e,
		    int max)
{
	struct dirent *d;
	int n = 0, pid, id;
	char c;
	DIR *dir;

	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir)) && n < max) {
		if (vms ? sscanf(d->d_name, "vm-%d-%d%c", &pid, &id, &c) != 2 :
			  sscanf(d->d_name, "vcpu%d%c", &id, &c) != 1)
			continue;
		e[n].pid = vms ? pid : 0;
		e[n].id = id;
		n++;
	}
	closedir(dir);
	qsort(e, n, sizeof(*e), entry_cmp);
	return n;
}

/* Print the vCPUs of VM directory @vm. */
static void print_vm(const struct stat_entry *vm)
{
	static struct stat_entry vcpus[NVMX_MAX_VCPUS];
	struct nvmx_nested_stats ns;
	struct nvmx_stats s;
	char path[256];
	int i, n;
	char *text;

	snprintf(path, sizeof(path), "%s/vm-%d-%d", NVMX_DEBUGFS, vm->pid,
		 vm->id);
	printf("VM %d of process %d (%s)\n", vm->id, vm->pid, path);
	n = list_dir(path, false, vcpus, NVMX_MAX_VCPUS);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/vm-%d-%d/vcpu%d/stats",
			 NVMX_DEBUGFS, vm->pid, vm->id, vcpus[i].id);
		text = read_text(path);
		if (!text)	/* the vCPU went away meanwhile */
			continue;
		if (stat_parse(text, &s, &ns)) {
			fprintf(stderr, "nvmx: %s: unexpected contents\n",
				path);
		} else {
			vmm_print_stats(stdout, vcpus[i].id, &s);
			vmm_print_nested_stats(stdout, vcpus[i].id, &ns);
		}
		free(text);
	}
}

/* Say why nvmx's debugfs directory cannot be read. */
static void explain_missing(int err)
{
	struct statfs fs;

	if (statfs(DEBUGFS_ROOT, &fs) || fs.f_type != DEBUGFS_MAGIC)
		fprintf(stderr,
			"nvmx: debugfs is not mounted: mount -t debugfs none %s\n",
			DEBUGFS_ROOT);
	else if (err == -ENOENT)
		fprintf(stderr,
			"nvmx: %s does not exist: load the module (modprobe nvmx)\n",
			NVMX_DEBUGFS);
	else
		fprintf(stderr, "nvmx: cannot read %s: %s%s\n", NVMX_DEBUGFS,
			strerror(-err), err == -EACCES ? " (run as root)" : "");
}

/* One round: the VMs of process @pid (all if 0). Return: VMs shown. */
static int print_vms(int pid)
{
	static struct stat_entry vms[256];
	int i, n, shown = 0;

	n = list_dir(NVMX_DEBUGFS, true, vms, 256);
	if (n < 0) {
		explain_missing(n);
		return n;
	}
	for (i = 0; i < n; i++) {
		if (pid && vms[i].pid != pid)
			continue;
		print_vm(&vms[i]);
		shown++;
	}
	return shown;
}

static const char stat_usage[] =
	"usage: nvmx stat [--once] [PID]\n";

/**
 * cmd_stat() - `nvmx stat [--once] [PID]`
 * @argc: arguments after "stat"
 * @argv: them
 *
 * Return: the exit status: 0, 1 (no VM, or debugfs unreadable), 2 (bad
 * command line).
 */
int cmd_stat(int argc, char **argv)
{
	bool once = false;
	int i, pid = 0, n;
	char *end;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--once")) {
			once = true;
			continue;
		}
		pid = strtol(argv[i], &end, 10);
		if (pid <= 0 || *end || i != argc - 1) {
			fputs(stat_usage, stderr);
			return 2;
		}
	}
	for (;;) {
		if (!once && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);	/* clear the screen */
		n = print_vms(pid);
		if (n < 0)
			return 1;
		if (!n && pid)
			fprintf(stderr, "nvmx: process %d has no VM\n", pid);
		else if (!n)
			fprintf(stderr, "nvmx: no VM exists\n");
		if (once)
			return n ? 0 : 1;
		fflush(stdout);
		sleep(1);
	}
}
