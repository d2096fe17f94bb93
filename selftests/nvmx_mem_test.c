// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory and object lifetimes: a read-only region, regions added
 * and removed between runs and while the guest runs, two VMs at once,
 * the VM, vCPU, run page and guest memory released in every order, and
 * 1000 VM create/run/destroy cycles without a leak.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed; the last test
 * unloads it to have its leak check run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "lib.h"
#include "vmm_harness.h"

#define REGION_SIZE	0x10000ULL
#define MEM_TIMEOUT	300

FIXTURE(mem) {
	struct vm vm;
	struct vcpu vcpu;
	__u64 rand;
	__u64 *buf[2];		/* memory for extra regions */
};

FIXTURE_SETUP(mem)
{
	int i;

	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	VCPU_OK(&self->vcpu, vcpu_open(&self->vm, &self->vcpu, 0));
	self->rand = test_seed();
	for (i = 0; i < 2; i++) {
		self->buf[i] = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, self->buf[i]);
		self->buf[i][0] = i;	/* populated before the VM uses it */
	}
}

FIXTURE_TEARDOWN(mem)
{
	vcpu_close(&self->vcpu);
	vm_close(&self->vm);
	munmap(self->buf[0], REGION_SIZE);
	munmap(self->buf[1], REGION_SIZE);
	EXPECT_EQ(0, nvmx_debugfs("vcpus"));
	EXPECT_EQ(0, nvmx_debugfs("vms"));
}

/* Reads are memory; a write exits as MMIO and leaves the memory alone. */
TEST_F(mem, read_only_region)
{
	struct vcpu *v = &self->vcpu;
	__u64 off = 0x808, old = test_rand(&self->rand), val = ~old;

	self->buf[0][off / 8] = old;
	ASSERT_EQ(0, nvmx_set_memory_region(self->vm.fd, 1, NVMX_MEM_READONLY,
					    GUEST_RO_GPA, REGION_SIZE,
					    self->buf[0]));
	VCPU_START(v, guest_read_write, GUEST_RO_GPA + off, val);
	VCPU_REPORT(v, old);
	VCPU_OK(v, vcpu_run_mmio(v, GUEST_RO_GPA + off, 8, true));
	EXPECT_EQ(0, memcmp(v->run->mmio.data, &val, 8));
	VCPU_REPORT(v, old);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(old, self->buf[0][off / 8]);
}

/* A guest_poll read that is MMIO: answer @val, which the guest reports. */
static int mmio_answer(struct vcpu *v, __u64 gpa, __u64 val)
{
	int ret = vcpu_run_mmio(v, gpa, 8, false);

	if (ret)
		return ret;
	memcpy(v->run->mmio.data, &val, 8);
	return vcpu_expect_report(v, val);
}

/*
 * Between runs: no region, MMIO; a region, its memory (and what the host
 * writes there meanwhile); removed, MMIO again; re-added with other
 * memory, that memory and not the old one.
 */
TEST_F(mem, regions_come_and_go_between_runs)
{
	struct vcpu *v = &self->vcpu;
	__u64 gpa = GUEST_HOTPLUG_GPA + 0x100, p = test_rand(&self->rand);
	int fd = self->vm.fd;

	VCPU_START(v, guest_poll, gpa, 0);
	VCPU_OK(v, mmio_answer(v, gpa, test_rand(&self->rand)));
	self->buf[0][0x100 / 8] = p;
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, self->buf[0]));
	VCPU_REPORT(v, p);
	self->buf[0][0x100 / 8] = ~p;
	VCPU_REPORT(v, ~p);
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA, 0,
					    NULL));
	VCPU_OK(v, mmio_answer(v, gpa, test_rand(&self->rand)));
	self->buf[1][0x100 / 8] = p + 1;
	ASSERT_EQ(0, nvmx_set_memory_region(fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, self->buf[1]));
	VCPU_REPORT(v, p + 1);
}

/*
 * The guest reads the region in a loop that makes no exits; another thread
 * removes the region: the guest's next read must become an MMIO exit.
 */
TEST_F_TIMEOUT(mem, region_removed_while_the_guest_reads_it, MEM_TIMEOUT)
{
	__u64 *count = GUEST(&self->vm, &guest_spin_count);
	__u64 *seen = GUEST(&self->vm, guest_buf_out);
	struct changer c = { .vcpu = &self->vcpu, .count = count, .slot = 2,
			     .gpa = GUEST_HOTPLUG_GPA, .size = REGION_SIZE };
	struct vcpu *v = &self->vcpu;
	__u64 gpa = GUEST_HOTPLUG_GPA + 0x200, p = test_rand(&self->rand);

	self->buf[0][0x200 / 8] = p;
	ASSERT_EQ(0, nvmx_set_memory_region(self->vm.fd, 2, 0, GUEST_HOTPLUG_GPA,
					    REGION_SIZE, self->buf[0]));
	VCPU_START(v, guest_spin_read, gpa, 0);
	VCPU_OK(v, vcpu_run_mmio_after_change(&c, gpa));
	EXPECT_EQ(p, seen[0]);
	EXPECT_NE(0, *count);
	/* And it stays MMIO. */
	memset(v->run->mmio.data, 0, 8);
	VCPU_OK(v, vcpu_run_mmio(v, gpa, 8, false));
}

/*
 * The guest polls an address with no memory, each poll an MMIO exit; after
 * ten, another thread adds a region there, racing with the runs: the guest
 * gets to read the region's memory.
 */
TEST_F_TIMEOUT(mem, region_added_while_the_guest_polls, MEM_TIMEOUT)
{
	struct changer c = { .vcpu = &self->vcpu, .mem = self->buf[1],
			     .slot = 2, .gpa = GUEST_HOTPLUG_GPA,
			     .size = REGION_SIZE };
	struct vcpu *v = &self->vcpu;
	__u64 gpa = GUEST_HOTPLUG_GPA + 0x300, p = test_rand(&self->rand) | 1;
	unsigned int polls;
	__u64 got = 0;
	pthread_t t;
	int ret = 0;

	self->buf[1][0x300 / 8] = p;
	VCPU_START(v, guest_poll, gpa, 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, changer_thread, &c));
	for (polls = 0; polls < 100000; polls++) {
		if (polls == 10)
			__atomic_store_n(&c.go, 1, __ATOMIC_RELEASE);
		ret = nvmx_run(v->fd);
		if (ret || v->run->exit_reason != NVMX_EXIT_MMIO)
			break;
		VCPU_OK(v, vcpu_check_mmio(v, gpa, 8, false));
		memset(v->run->mmio.data, 0, 8);
		VCPU_REPORT(v, 0);
	}
	__atomic_store_n(&c.done, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	EXPECT_EQ(0, c.ret);
	ASSERT_EQ(0, ret) TH_LOG("NVMX_RUN: %s", strerror(-ret));
	VCPU_OK(v, vcpu_finish_report(v, &got));
	EXPECT_LE(10, polls);
	EXPECT_EQ(p, got) TH_LOG("after %u polls", polls);
}

FIXTURE(life) {
	struct vm tmpl;		/* the program loaded, no VM */
};

FIXTURE_SETUP(life)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->tmpl, vm_template(&self->tmpl, VM_MEM_SIZE));
}

FIXTURE_TEARDOWN(life)
{
	vm_close(&self->tmpl);
}

enum { OBJ_DEV, OBJ_VM, OBJ_VCPU, OBJ_RUN, OBJ_MEM, NR_OBJS };

static const char *const obj_names[NR_OBJS] = {
	"dev", "vm", "vcpu", "run page", "guest memory",
};

/* The next permutation in lexicographic order; false after the last. */
static bool next_permutation(int *p, int n)
{
	int i = n - 2, j = n - 1, t;

	while (i >= 0 && p[i] >= p[i + 1])
		i--;
	if (i < 0)
		return false;
	while (p[j] <= p[i])
		j--;
	t = p[i];
	p[i] = p[j];
	p[j] = t;
	for (i++, j = n - 1; i < j; i++, j--) {
		t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	return true;
}

static void release(struct vm *vm, struct vcpu *v, int obj)
{
	switch (obj) {
	case OBJ_DEV:
		close(vm->dev);
		vm->dev = -1;
		break;
	case OBJ_VM:
		close(vm->fd);
		vm->fd = -1;
		break;
	case OBJ_VCPU:
		close(v->fd);
		v->fd = -1;
		break;
	case OBJ_RUN:
		munmap(v->run, v->run_size);
		v->run = NULL;
		break;
	case OBJ_MEM:
		munmap(vm->mem, vm->mem_size);
		vm->mem = NULL;
		break;
	}
}

/*
 * The vCPU lives while its fd or its run page does (the mapping holds the
 * file), the VM while its fd or a vCPU does, VMX while a VM does; the
 * device fd and the guest memory keep nothing alive. What is left of the
 * vCPU still runs.
 */
static void check_alive(struct __test_metadata *_metadata, struct vm *vm,
			struct vcpu *v, const char *order)
{
	long vcpu_alive = v->fd >= 0 || v->run;
	long vm_alive = vm->fd >= 0 || vcpu_alive;

	EXPECT_EQ_MSG(vcpu_alive, nvmx_debugfs("vcpus"), "%s", order);
	EXPECT_EQ_MSG(vm_alive, nvmx_debugfs("vms"), "%s", order);
	EXPECT_EQ_MSG(vm_alive ? online_cpus() : 0, nvmx_debugfs("vmx_cpus"),
		      "%s", order);
	if (v->fd >= 0 && v->run && vm->mem)
		VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* All 120 orders of releasing the five objects of a VM that has run. */
TEST_F_TIMEOUT(life, released_in_every_order, 900)
{
	int p[NR_OBJS] = { 0, 1, 2, 3, 4 }, orders = 0, i, off;
	char order[128];
	struct vcpu v;
	struct vm vm;

	do {
		for (i = 0, off = 0; i < NR_OBJS; i++)
			off += snprintf(order + off, sizeof(order) - off, "%s%s",
					i ? ", " : "release ", obj_names[p[i]]);
		VM_OK(&vm, vm_open_small(&vm, &self->tmpl));
		VCPU_OK(&v, vcpu_open(&vm, &v, 0));
		VCPU_START(&v, guest_exit, 0, 0);
		VCPU_RUN(&v, NVMX_EXIT_HLT);
		for (i = 0; i < NR_OBJS; i++) {
			release(&vm, &v, p[i]);
			check_alive(_metadata, &vm, &v, order);
		}
		orders++;
	} while (next_permutation(p, NR_OBJS));
	EXPECT_EQ(120, orders);
}

#define LCG_STEPS	200

struct lcg_job {
	struct vm vm;
	struct vcpu vcpu;
	__u64 seed;
	int ret;
};

static void *lcg_thread(void *arg)
{
	struct lcg_job *j = arg;

	j->ret = vcpu_run_lcg(&j->vcpu, LCG_STEPS, j->seed, NULL, NULL);
	return NULL;
}

/* Two VMs run at once, each its own guest on its own data. */
TEST_F_TIMEOUT(life, two_vms_at_once, MEM_TIMEOUT)
{
	struct lcg_job j[2];
	pthread_t t[2];
	__u64 seed = test_seed();
	int i;

	for (i = 0; i < 2; i++) {
		VM_OK(&j[i].vm, vm_open(&j[i].vm, VM_MEM_SIZE));
		VCPU_OK(&j[i].vcpu, vcpu_open(&j[i].vm, &j[i].vcpu, 0));
		j[i].seed = test_rand(&seed);
	}
	EXPECT_EQ(2, nvmx_debugfs("vms"));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, lcg_thread, &j[i]));
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ_MSG(0, j[i].ret, "VM %d: %s", i, j[i].vcpu.err);
		vcpu_close(&j[i].vcpu);
		vm_close(&j[i].vm);
	}
}

static void one_cycle(struct __test_metadata *_metadata, const struct vm *tmpl)
{
	struct nvmx_regs regs;
	struct vcpu v;
	struct vm vm;

	VM_OK(&vm, vm_open_small(&vm, tmpl));
	VCPU_OK(&v, vcpu_open(&vm, &v, 0));
	VCPU_START(&v, guest_exit, 0, 0);
	VCPU_RUN(&v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_get_regs(v.fd, &regs));
	ASSERT_EQ((uintptr_t)guest_exit + 1, regs.rip);	/* after the HLT */
	vcpu_close(&v);
	vm_close(&vm);
}

/*
 * Each cycle pins or maps a few pages of fresh guest memory and allocates
 * a VM, a vCPU, its run page, a VMCS and EPT tables: a leaked VM or vCPU
 * costs several pages, and even one page per cycle would be 4000 KiB over
 * 1000 cycles. The bound leaves room for what MemAvailable does not count
 * and a live kernel keeps: the per-CPU lists of free pages (up to the low
 * watermark, about 2.5 MiB on the 256 MiB test machine) and slab growth.
 * The debugfs counters catch leaked objects exactly.
 */
#define CYCLES		1000
#define LEAK_BOUND_KB	3072

TEST_F_TIMEOUT(life, create_run_destroy_cycles_leak_nothing, 1800)
{
	long before, after;
	char *log;
	int i;

	kernel_log_mark("nvmx-selftest: vm cycles\n");
	one_cycle(_metadata, &self->tmpl);	/* warm up the caches */
	before = mem_available_kb();
	for (i = 0; i < CYCLES; i++)
		one_cycle(_metadata, &self->tmpl);
	after = mem_available_kb();
	TH_LOG("%d cycles: MemAvailable %ld kB -> %ld kB", CYCLES, before,
	       after);
	EXPECT_GT(LEAK_BOUND_KB, before - after);
	EXPECT_EQ(0, nvmx_debugfs("vcpus"));
	EXPECT_EQ(0, nvmx_debugfs("vms"));
	EXPECT_EQ(0, nvmx_debugfs("vmx_cpus"));
	/* Unloading runs the module's own check for VMs and VMXON regions. */
	ASSERT_EQ(0, nvmx_unload());
	log = kernel_log_since("nvmx-selftest: vm cycles");
	ASSERT_NE(NULL, log);
	EXPECT_EQ(NULL, nvmx_log_problem(log)) TH_LOG("%s", log);
	free(log);
}

TEST_HARNESS_MAIN
