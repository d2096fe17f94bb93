// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KVM mode of the Linux guest test's /init: with nvmx.kvm=1 on the
 * command line the guest Linux (L1 of nvmx) loads irqbypass.ko, kvm.ko
 * and kvm-intel.ko from the initramfs with finit_module(2), prints each
 * outcome and kvm_intel's parameters, and, when kvm_intel loaded, runs
 * L2 through /dev/kvm: the real-mode code of linux_kvm_l2.S, which
 * prints a line through an I/O port, sums 1..N for an N it finds in BX
 * and hands the sum back through another port and through memory. This
 * file is the KVM client that checks the sum and prints
 * "nvmx-kvm-l2: ok SUM"; then the 64-bit L2 of linux_kvm64.c runs. The
 * VM of either L2 is made, run and printed with the l2_vm_*() helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "linux_kvm.h"

#define L2_MEM		0x10000		/* guest memory: 64 KiB at 0 */
#define L2_CODE		0x1000		/* where the code goes, and IP */
#define L2_RESULT	0x2000		/* where it stores the sum */
#define PORT_PRINT	0xe9		/* a byte of text */
#define PORT_RESULT	0x10		/* the sum, a word */
#define MAX_EXITS	1000
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static FILE *out;

static int load_module(const char *name)
{
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(out, "nvmx-kvm: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = syscall(SYS_finit_module, fd, "", 0);
	fprintf(out, "nvmx-kvm: load %s: %s\n", name,
		ret ? strerror(errno) : "ok");
	close(fd);
	fflush(out);
	return ret;
}

static void print_params(void)
{
	static const char * const names[] = {
		"nested", "ept", "vpid", "unrestricted_guest",
		"enable_shadow_vmcs",
	};
	char path[96], val[32];
	unsigned int i;

	fprintf(out, "nvmx-kvm: kvm_intel parameters:");
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		FILE *f;

		snprintf(path, sizeof(path),
			 "/sys/module/kvm_intel/parameters/%s", names[i]);
		f = fopen(path, "r");
		if (!f || !fgets(val, sizeof(val), f))
			snprintf(val, sizeof(val), "-");
		val[strcspn(val, "\n")] = '\0';
		if (f)
			fclose(f);
		fprintf(out, " %s=%s", names[i], val);
	}
	fprintf(out, "\n");
	fflush(out);
}

/* The vCPU starts at 0:L2_CODE in real mode with BX = @n. */
static int setup_vcpu(int vcpu, unsigned int n)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = L2_CODE;
	regs.rflags = 2;
	regs.rbx = n;
	return ioctl(vcpu, KVM_SET_REGS, &regs);
}

/* An exit the L2 code does not make, described on @out. */
void linux_kvm_print_exit(FILE *out, const char *who,
			  const struct kvm_run *run)
{
	fprintf(out, "%s: unexpected exit %u", who, run->exit_reason);
	if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		fprintf(out, " (entry failure reason 0x%llx)",
			run->fail_entry.hardware_entry_failure_reason);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		fprintf(out, " (internal error %u)", run->internal.suberror);
	else if (run->exit_reason == KVM_EXIT_IO)
		fprintf(out, " (I/O port 0x%x size %u dir %u)", run->io.port,
			run->io.size, run->io.direction);
	fprintf(out, "\n");
}

/**
 * l2_vm_open() - a VM of L1's KVM with @mem_size bytes of memory at 0 and
 * one vCPU, whose registers the caller sets
 * @out: the console
 * @g: the VM
 * @who: the prefix of the lines printed about it
 * @mem_size: bytes of memory, zeroed
 * @irqchip: with KVM's in-kernel irqchip (KVM_CREATE_IRQCHIP)
 *
 * Return: 0, or -1 with the reason printed; l2_vm_close() either way.
 */
int l2_vm_open(FILE *out, struct l2_vm *g, const char *who, size_t mem_size,
	       bool irqchip)
{
	struct kvm_userspace_memory_region slot = { .memory_size = mem_size };

	*g = (struct l2_vm){ .who = who, .kvm = -1, .vm = -1, .vcpu = -1,
			     .run = MAP_FAILED, .mem_size = mem_size };
	mknod("/dev/kvm", S_IFCHR | 0600, makedev(10, 232));
	g->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	g->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->kvm < 0 || g->mem == MAP_FAILED) {
		fprintf(out, "%s: /dev/kvm: %s\n", who, strerror(errno));
		return -1;
	}
	slot.userspace_addr = (uintptr_t)g->mem;
	g->vm = ioctl(g->kvm, KVM_CREATE_VM, 0);
	if (g->vm < 0 || ioctl(g->vm, KVM_SET_TSS_ADDR, 0xfffbd000UL) < 0 ||
	    (irqchip && ioctl(g->vm, KVM_CREATE_IRQCHIP, 0) < 0) ||
	    ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
		fprintf(out, "%s: VM setup: %s\n", who, strerror(errno));
		return -1;
	}
	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	g->run_size = ioctl(g->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (g->vcpu >= 0 && g->run_size > 0)
		g->run = mmap(NULL, g->run_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, g->vcpu, 0);
	if (g->run == MAP_FAILED) {
		fprintf(out, "%s: vCPU setup: %s\n", who, strerror(errno));
		return -1;
	}
	return 0;
}

/* Everything l2_vm_open() made, however far it got. */
void l2_vm_close(struct l2_vm *g)
{
	if (g->run != MAP_FAILED)
		munmap(g->run, g->run_size);
	if (g->vcpu >= 0)
		close(g->vcpu);
	if (g->vm >= 0)
		close(g->vm);
	if (g->kvm >= 0)
		close(g->kvm);
	if (g->mem != MAP_FAILED)
		munmap(g->mem, g->mem_size);
}

/* KVM_RUN once. Return: 0, or -1 with the error printed. */
int l2_vm_run(FILE *out, struct l2_vm *g)
{
	if (ioctl(g->vcpu, KVM_RUN, 0) < 0) {
		fprintf(out, "%s: KVM_RUN: %s\n", g->who, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The exit is a byte L2 wrote to PORT_PRINT: gathered into a line,
 * printed as "WHO> LINE" at its newline. Return: it was.
 */
bool l2_vm_print(FILE *out, struct l2_vm *g)
{
	const struct kvm_run *run = g->run;
	char c;

	if (run->exit_reason != KVM_EXIT_IO ||
	    run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.port != PORT_PRINT || run->io.size != 1)
		return false;
	c = *((const char *)run + run->io.data_offset);
	if (c == '\n' || g->len == sizeof(g->line) - 1) {
		g->line[g->len] = '\0';
		fprintf(out, "%s> %s\n", g->who, g->line);
		g->len = 0;
	} else {
		g->line[g->len++] = c;
	}
	return true;
}

/*
 * Run L2 until it halts, printing its text; -1 on anything else.
 * @sum gets the value L2 wrote to PORT_RESULT.
 */
static int run_l2(struct l2_vm *g, long *sum)
{
	const struct kvm_run *run = g->run;
	int i;

	for (i = 0; i < MAX_EXITS; i++) {
		const uint8_t *data;

		if (l2_vm_run(out, g))
			return -1;
		if (run->exit_reason == KVM_EXIT_HLT)
			return 0;
		if (l2_vm_print(out, g))
			continue;
		data = (const uint8_t *)run + run->io.data_offset;
		if (run->exit_reason == KVM_EXIT_IO &&
		    run->io.direction == KVM_EXIT_IO_OUT &&
		    run->io.port == PORT_RESULT && run->io.size == 2) {
			*sum = data[0] | data[1] << 8;
			continue;
		}
		linux_kvm_print_exit(out, g->who, run);
		return -1;
	}
	fprintf(out, "%s: no HLT after %d exits\n", g->who, MAX_EXITS);
	return -1;
}

/* Runs L2 with a fresh VM; 0 if it computed what it should have. */
static int kvm_l2(unsigned int n)
{
	long want = (long)n * (n + 1) / 2 & 0xffff, sum = -1;
	struct l2_vm g;
	uint16_t stored;
	int ret = -1;

	if (l2_vm_open(out, &g, "nvmx-kvm-l2", L2_MEM, false))
		goto out;
	fprintf(out, "nvmx-kvm: KVM API version %d\n",
		ioctl(g.kvm, KVM_GET_API_VERSION, 0));
	memcpy(g.mem + L2_CODE, l2_start, l2_end - l2_start);
	if (setup_vcpu(g.vcpu, n) < 0) {
		fprintf(out, "nvmx-kvm-l2: vCPU setup: %s\n", strerror(errno));
		goto out;
	}
	fflush(out);
	if (run_l2(&g, &sum))
		goto out;
	memcpy(&stored, g.mem + L2_RESULT, sizeof(stored));
	if (sum == want && stored == want) {
		fprintf(out, "nvmx-kvm-l2: ok %ld (sum of 1..%u)\n", sum, n);
		ret = 0;
	} else {
		fprintf(out, "nvmx-kvm-l2: wrong result: port %ld, memory %u, expected %ld\n",
			sum, stored, want);
	}
out:
	fflush(out);
	l2_vm_close(&g);
	return ret;
}

/**
 * linux_kvm_main() - load KVM and run L2 through it
 * @console: where the lines the test checks go
 *
 * Return: 0 if kvm_intel loaded and L2 computed the right sum.
 */
int linux_kvm_main(FILE *console)
{
	struct timespec t;
	unsigned int n;

	out = console;
	if (load_module("irqbypass") || load_module("kvm") ||
	    load_module("kvm-intel"))
		return 1;
	print_params();
	/* N differs from boot to boot, so the sum cannot be canned. */
	clock_gettime(CLOCK_REALTIME, &t);
	n = 100 + t.tv_nsec % 200;
	if (kvm_l2(n))
		return 1;
	return linux_kvm_l2_64(out, n) ? 1 : 0;
}
