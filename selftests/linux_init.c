// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the initramfs that `nvmx run --kernel` boots in the Linux
 * guest test (linux_guest.sh): mounts /proc and /sys, prints a marker
 * line with the uptime and a few facts the test checks to /dev/console
 * (CPU model, VMX flag, clock source; the RTC's time, how long a 100 ms
 * sleep took, the interrupts of the PIT and the UART and which chip
 * delivers them, the CPUs online), asks for a line of console input and
 * prints what it read (waiting up to 10 s), and powers off, which ends
 * the VM through ACPI (S5) with status 0; with nvmx.reboot=1 on the
 * command line it reboots instead, which ends the VM through the i8042
 * reset (reboot=k). With nvmx.kvm=1 it runs the KVM test of linux_kvm.c
 * (linux_kvm.sh) instead of the facts and the console input.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux_kvm.h"

static FILE *console;

/* The first line of @path, without its newline, or "?". */
static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, len, f))
		snprintf(buf, len, "?");
	buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* The value of the first "@key<tab>: value" line of /proc/cpuinfo. */
static void cpu_fact(const char *key, char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	size_t n = strlen(key);

	snprintf(buf, len, "?");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, key, n) || !colon ||
		    strspn(line + n, " \t") != (size_t)(colon - line - n))
			continue;
		snprintf(buf, len, "%s", colon + 1 + (colon[1] == ' '));
		buf[strcspn(buf, "\n")] = '\0';
		break;
	}
	if (f)
		fclose(f);
}

/*
 * IRQ @irq in /proc/interrupts ("  0:   1234   56   IO-APIC   2-edge
 * timer"): its count on all CPUs, and in @chip what follows the counts,
 * its blanks squeezed. Return: the count, or -1 if there is no such line.
 */
static long irq_info(int irq, char *chip, size_t len)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[512], *p, *tok, *save;
	long n = -1;
	size_t at = 0;
	int num;

	snprintf(chip, len, "?");
	while (f && fgets(line, sizeof(line), f)) {
		p = strchr(line, ':');
		if (sscanf(line, " %d:", &num) != 1 || num != irq || !p)
			continue;
		n = 0;
		for (tok = strtok_r(p + 1, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			if (!at && strspn(tok, "0123456789") == strlen(tok)) {
				n += atol(tok);
				continue;
			}
			at += snprintf(chip + at, len - at, "%s%s",
				       at ? " " : "", tok);
			if (at >= len)
				break;
		}
		break;
	}
	if (f)
		fclose(f);
	return n;
}

static long irq_count(int irq)
{
	char chip[128];

	return irq_info(irq, chip, sizeof(chip));
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A line typed on the console (nvmx run's stdin), or "" after 10 s. */
static void read_line(char *buf, size_t len)
{
	struct pollfd pfd = { .events = POLLIN };
	ssize_t n;

	buf[0] = '\0';
	pfd.fd = open("/dev/console", O_RDONLY);
	if (pfd.fd < 0)
		return;
	if (poll(&pfd, 1, 10000) == 1) {
		n = read(pfd.fd, buf, len - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
	}
	close(pfd.fd);
}

/* Whether the kernel command line holds the word @word. */
static int cmdline_has(const char *word)
{
	char line[1024], *p;
	size_t n = strlen(word);

	first_line("/proc/cmdline", line, sizeof(line));
	for (p = strstr(line, word); p; p = strstr(p + 1, word))
		if ((p == line || p[-1] == ' ') && (!p[n] || p[n] == ' '))
			return 1;
	return 0;
}

static void end(void)
{
	int rb = cmdline_has("nvmx.reboot=1");

	fflush(console);
	sync();
	reboot(rb ? RB_AUTOBOOT : RB_POWER_OFF);
	fprintf(console, "nvmx-linux-guest: %s failed\n",
		rb ? "reboot" : "power-off");
}

int main(void)
{
	char line[128];
	struct timespec t0, nap = { 0, 100 * 1000 * 1000 };
	long slept;
	char uptime[64], model[128], flags[4096], clk[64], chip[128];
	int fd, irq;

	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	fd = open("/dev/console", O_WRONLY);
	if (fd < 0 && !mount("devtmpfs", "/dev", "devtmpfs", 0, NULL))
		fd = open("/dev/console", O_WRONLY);
	console = fd >= 0 ? fdopen(fd, "w") : stdout;

	first_line("/proc/uptime", uptime, sizeof(uptime));
	uptime[strcspn(uptime, " ")] = '\0';
	cpu_fact("model name", model, sizeof(model));
	cpu_fact("flags", flags, sizeof(flags));
	first_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		   clk, sizeof(clk));
	strcat(flags, " ");
	fprintf(console, "nvmx-linux-guest: up %s\n", uptime);
	fflush(console);
	if (cmdline_has("nvmx.kvm=1")) {
		fprintf(console, "nvmx-kvm: status %d\n",
			linux_kvm_main(console));
		end();
		return 1;
	}
	/*
	 * A sleep needs the timer interrupt to end (the CPU halts); the line
	 * above went out through the UART's THR-empty interrupts.
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nanosleep(&nap, NULL);
	slept = ms_since(&t0);
	fprintf(console, "nvmx-linux-guest: epoch %lld, sleep of 100 ms took %ld ms, irq0 %ld, irq4 %ld\n",
		(long long)time(NULL), slept, irq_count(0), irq_count(4));
	fprintf(console, "nvmx-linux-guest: cpu \"%s\", vmx flag %s, clocksource %s\n",
		model, strstr(flags, " vmx ") ? "yes" : "no", clk);
	fprintf(console, "nvmx-linux-guest: cpus online %ld\n",
		sysconf(_SC_NPROCESSORS_ONLN));
	for (irq = 0; irq <= 4; irq += 4) {
		long count = irq_info(irq, chip, sizeof(chip));

		fprintf(console, "nvmx-linux-guest: irq %d %ld %s\n", irq,
			count, chip);
	}
	fprintf(console, "nvmx-linux-guest: type a line\n");
	fflush(console);
	read_line(line, sizeof(line));
	fprintf(console, "nvmx-linux-guest: read \"%s\"\n", line);
	end();
	return 1;
}
