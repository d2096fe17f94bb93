// SPDX-License-Identifier: GPL-2.0-only
/*
 * The second L2 of the KVM-in-L1 test: a 64-bit guest of L1's KVM with
 * KVM's in-kernel irqchip (KVM_CREATE_IRQCHIP), running the code of
 * linux_kvm_l2_64.S. The client builds L2's long-mode state (identity
 * page tables over 2 MiB, a GDT, an IDT whose vector 0x40 is L2's timer
 * handler), gives it the CPUID KVM supports (x2APIC included), and checks
 * what L2 reports: its greeting, the timer ticks it waited for in HLT
 * (each one L1's APIC timer, a KVM hrtimer in L1, an interrupt KVM
 * injects into L2), and the sum of the squares of 1..N, by port and in
 * memory. Prints "nvmx-kvm-l2-64: ok ...".
 */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "linux_kvm.h"

#define MEM		0x200000	/* 2 MiB at 0, one large page */
#define PML4		0x1000
#define PDPT		0x2000
#define PD		0x3000
#define GDT		0x4000
#define IDT		0x5000
#define RESULT		0x7000
#define CODE		0x8000
#define VEC_TIMER	0x40
#define TICKS		5
#define PORT_RESULT	0x10
#define PORT_TICKS	0x11
#define PORT_DONE	0x12
#define MAX_EXITS	2000
#define WATCHDOG_S	60

#define PTE_P		0x1ULL
#define PTE_W		0x2ULL
#define PTE_PS		0x80ULL

static void on_alarm(int sig)
{
	(void)sig;	/* KVM_RUN returns EINTR */
}

/* Page tables, GDT and IDT in L2's memory @mem. */
static void build_tables(uint8_t *mem)
{
	uint64_t *pml4 = (uint64_t *)(mem + PML4);
	uint64_t *pdpt = (uint64_t *)(mem + PDPT);
	uint64_t *pd = (uint64_t *)(mem + PD);
	uint64_t *gdt = (uint64_t *)(mem + GDT);
	uint64_t handler = CODE + (l2_64_tick - l2_64_start);
	uint64_t *gate = (uint64_t *)(mem + IDT + VEC_TIMER * 16);

	pml4[0] = PDPT | PTE_P | PTE_W;
	pdpt[0] = PD | PTE_P | PTE_W;
	pd[0] = 0 | PTE_P | PTE_W | PTE_PS;
	gdt[1] = 0x00af9b000000ffffULL;		/* 0x08: 64-bit code */
	gdt[2] = 0x00cf93000000ffffULL;		/* 0x10: data */
	/* An interrupt gate, selector 0x08, DPL 0, present. */
	gate[0] = (handler & 0xffff) | 0x08ULL << 16 | 0x8e00ULL << 32 |
		  (handler & 0xffff0000ULL) << 32;
	gate[1] = handler >> 32;
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type,
		    int l)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->l = l;
	s->db = !l;
	s->g = 1;
}

/* Long mode at CODE, RBX = @n, the CPUID KVM supports. */
static int setup_vcpu(int kvm, int vcpu, unsigned int n)
{
	struct kvm_cpuid2 *cpuid;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret;

	cpuid = calloc(1, sizeof(*cpuid) + 100 * sizeof(cpuid->entries[0]));
	if (!cpuid)
		return -1;
	cpuid->nent = 100;
	ret = ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid);
	if (ret == 0)
		ret = ioctl(vcpu, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	if (ret < 0 || ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	set_seg(&sregs.cs, 0x08, 11, 1);
	set_seg(&sregs.ds, 0x10, 3, 0);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.gdt.base = GDT;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.idt.base = IDT;
	sregs.idt.limit = 256 * 16 - 1;
	sregs.cr3 = PML4;
	sregs.cr4 = 0x20;			/* PAE */
	sregs.cr0 = 0x80000011;			/* PG, ET, PE */
	sregs.efer = 0x500;			/* LMA, LME */
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE;
	regs.rsp = MEM;
	regs.rflags = 2;
	regs.rbx = n;
	return ioctl(vcpu, KVM_SET_REGS, &regs);
}

struct l2_report {
	long ticks;
	long sum;
};

/* Run L2 until it says it is done; -1 on anything else. */
static int run_l2(FILE *out, struct l2_vm *g, struct l2_report *r)
{
	const struct kvm_run *run = g->run;
	int i;

	for (i = 0; i < MAX_EXITS; i++) {
		uint32_t v;

		if (l2_vm_run(out, g))
			return -1;
		if (l2_vm_print(out, g))
			continue;
		if (run->exit_reason != KVM_EXIT_IO ||
		    run->io.direction != KVM_EXIT_IO_OUT) {
			linux_kvm_print_exit(out, g->who, run);
			return -1;
		}
		memcpy(&v, (const uint8_t *)run + run->io.data_offset,
		       sizeof(v));
		if (run->io.port == PORT_TICKS && run->io.size == 4) {
			r->ticks = v;
		} else if (run->io.port == PORT_RESULT && run->io.size == 4) {
			r->sum = v;
		} else if (run->io.port == PORT_DONE) {
			return 0;
		} else {
			linux_kvm_print_exit(out, g->who, run);
			return -1;
		}
	}
	fprintf(out, "%s: not done after %d exits\n", g->who, MAX_EXITS);
	return -1;
}

/**
 * linux_kvm_l2_64() - run the 64-bit L2 in a fresh VM with an irqchip
 * @out: the console
 * @n: L2 sums the squares of 1..@n
 *
 * Return: 0 if L2 took its timer ticks and computed what it should have.
 */
int linux_kvm_l2_64(FILE *out, unsigned int n)
{
	uint64_t want = 0, stored;
	struct l2_report r = { -1, -1 };
	struct timespec t0, t1;
	struct l2_vm g;
	unsigned int i;
	int ret = -1;

	for (i = 1; i <= n; i++)
		want += (uint64_t)i * i;
	signal(SIGALRM, on_alarm);
	if (l2_vm_open(out, &g, "nvmx-kvm-l2-64", MEM, true))
		goto out;
	build_tables(g.mem);
	memcpy(g.mem + CODE, l2_64_start, l2_64_end - l2_64_start);
	if (setup_vcpu(g.kvm, g.vcpu, n) < 0) {
		fprintf(out, "nvmx-kvm-l2-64: vCPU setup: %s\n",
			strerror(errno));
		goto out;
	}
	fflush(out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(WATCHDOG_S);
	if (run_l2(out, &g, &r))
		goto out;
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	memcpy(&stored, g.mem + RESULT, sizeof(stored));
	if (r.ticks == TICKS && r.sum == (long)(uint32_t)want &&
	    stored == want) {
		fprintf(out, "nvmx-kvm-l2-64: ok %llu (sum of squares of 1..%u), %ld timer ticks in %ld ms\n",
			(unsigned long long)stored, n, r.ticks,
			(t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000);
		ret = 0;
	} else {
		fprintf(out, "nvmx-kvm-l2-64: wrong result: ticks %ld, port %ld, memory %llu, expected %llu\n",
			r.ticks, r.sum, (unsigned long long)stored,
			(unsigned long long)want);
	}
out:
	alarm(0);
	fflush(out);
	l2_vm_close(&g);
	return ret;
}
