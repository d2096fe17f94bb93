// SPDX-License-Identifier: GPL-2.0-only
/*
 * More than one CPU: two vCPUs of one VM running at once on shared guest
 * memory, and a vCPU whose thread moves between CPUs between runs (its
 * VMCS is cleared on the old CPU and loaded on the new one) while the
 * guest keeps its state in registers and memory.
 *
 * Needs root, VT-x with EPT and two online CPUs (the CI runs it in Bochs
 * with --smp 2); SKIPs with one. Loads nvmx.ko if needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "lib.h"
#include "vmm_harness.h"

/* Bochs with two CPUs runs each at about half of its 90 MIPS. */
#define SMP_TIMEOUT	600
#define COUNT		100000
#define MIGRATIONS	500

FIXTURE(smp) {
	/*
	 * Online CPUs; below 2 the setup does nothing and the tests SKIP
	 * (this harness runs a test even after a SKIP in its setup).
	 */
	int cpus;
	struct vm vm;
	struct vcpu vcpu[2];
};

FIXTURE_SETUP(smp)
{
	self->cpus = online_cpus();
	if (self->cpus < 2)
		return;
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	VCPU_OK(&self->vcpu[0], vcpu_open(&self->vm, &self->vcpu[0], 0));
	VCPU_OK(&self->vcpu[1], vcpu_open(&self->vm, &self->vcpu[1], 1));
}

FIXTURE_TEARDOWN(smp)
{
	if (self->cpus < 2)
		return;
	vcpu_close(&self->vcpu[0]);
	vcpu_close(&self->vcpu[1]);
	vm_close(&self->vm);
	EXPECT_EQ(0, nvmx_debugfs("vcpus"));
	EXPECT_EQ(0, nvmx_debugfs("vms"));
}

struct counter {
	struct vcpu *vcpu;
	__u64 reported;
	int ret;
};

/* Count in guest_smp_count_up; its only exits are its report and HLT. */
static void *counter_thread(void *arg)
{
	struct counter *c = arg;
	struct vcpu *v = c->vcpu;

	c->ret = vcpu_start(v, guest_smp_count_up, v->id, COUNT);
	if (!c->ret)
		c->ret = vcpu_report(v, &c->reported);
	if (!c->ret)
		c->ret = vcpu_run_expect(v, NVMX_EXIT_HLT);
	return NULL;
}

/*
 * Each vCPU waits, spinning in the guest, for the other's flag before it
 * counts: neither can finish unless both are in the guest at once. The
 * shared counter is incremented with LOCK ADD by both.
 */
TEST_F_TIMEOUT(smp, two_vcpus_count_at_once, SMP_TIMEOUT)
{
	__u64 *own = GUEST(&self->vm, guest_smp_count);
	__u64 *total = GUEST(&self->vm, &guest_smp_total);
	struct counter c[2];
	pthread_t t[2];
	int i;

	if (self->cpus < 2)
		SKIP(return, "needs two online CPUs, the machine has %d",
		     self->cpus);
	for (i = 0; i < 2; i++) {
		c[i] = (struct counter){ .vcpu = &self->vcpu[i] };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, counter_thread, &c[i]));
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ_MSG(0, c[i].ret, "vCPU %d: %s", i, self->vcpu[i].err);
		EXPECT_EQ_MSG(COUNT, c[i].reported, "vCPU %d", i);
		EXPECT_EQ_MSG(COUNT, own[i], "vCPU %d", i);
	}
	EXPECT_EQ(2 * COUNT, *total);
}

static int move_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -errno;
	/* The affinity change moves the thread before the call returns. */
	return sched_getcpu() == cpu ? 0 : -EAGAIN;
}

/* The two CPUs the thread moves between, and which one it is on. */
struct hop {
	int cpu[2];
	int on;
};

/* Between two steps of guest_migrate: onto the other CPU. */
static int migrate(struct vcpu *v, __u64 i, void *arg)
{
	struct hop *h = arg;
	int ret;

	h->on = !h->on;
	ret = move_to(h->cpu[h->on]);
	if (ret)
		snprintf(v->err, VM_ERR_LEN, "step %llu: moving to CPU %d: %s",
			 i, h->cpu[h->on], strerror(-ret));
	return ret;
}

/* The first two CPUs this thread may run on. */
static int two_cpus(struct hop *h)
{
	cpu_set_t set;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++)
		if (CPU_ISSET(cpu, &set))
			h->cpu[n++] = cpu;
	return n;
}

/*
 * MIGRATIONS runs, each on the other CPU than the last: at every exit the
 * guest's registers and memory hold what its computation must have left.
 */
TEST_F_TIMEOUT(smp, a_vcpu_moves_between_cpus, SMP_TIMEOUT)
{
	struct vcpu *v = &self->vcpu[0];
	struct hop h = { .on = 0 };
	struct nvmx_stats st;

	if (self->cpus < 2 || two_cpus(&h) < 2)
		SKIP(return, "needs two CPUs to run on, the machine has %d",
		     self->cpus);
	ASSERT_EQ(0, move_to(h.cpu[0]));
	VCPU_OK(v, vcpu_run_lcg(v, MIGRATIONS, test_seed(), migrate, &h));
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &st));
	EXPECT_EQ(MIGRATIONS + 1, st.runs);
}

TEST_HARNESS_MAIN
