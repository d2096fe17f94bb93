// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events around NVMX_RUN: a signal, immediate_exit, NVMX_KICK and
 * NVMX_STOP_VM end a run of a guest that never exits by itself; external
 * interrupts wait for the guest's RFLAGS.IF, the interrupt window is
 * reported, NMIs are taken; MSRs set by userspace are what the guest
 * reads, an unknown MSR stops an MSR list and is a #GP in the guest.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <asm/prctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "lib.h"
#include "vmm_harness.h"

#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_PAT			0x277
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103
#define MSR_UNKNOWN		0x12345678
#define MSR_IA32_DEBUGCTL	0x1d9

/* Bochs runs about 90 million instructions a second: be generous. */
#define EVENT_TIMEOUT		300

FIXTURE(ev) {
	struct vm vm;
	struct vcpu vcpu;
	__u64 rand;
};

FIXTURE_SETUP(ev)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	VCPU_OK(&self->vcpu, vcpu_open(&self->vm, &self->vcpu, 0));
	self->rand = test_seed();
}

FIXTURE_TEARDOWN(ev)
{
	vcpu_close(&self->vcpu);
	vm_close(&self->vm);
	EXPECT_EQ(0, nvmx_debugfs("vcpus"));
	EXPECT_EQ(0, nvmx_debugfs("vms"));
}

static void on_alarm(int sig)
{
}

static void set_timer(long usec)
{
	struct itimerval it = {
		.it_interval = { .tv_usec = usec },
		.it_value = { .tv_usec = usec },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * SIGALRM every 10 ms, handled without SA_RESTART: NVMX_RUN returns EINTR
 * with exit INTR, and the guest resumes where it was. A signal that comes
 * before the guest was entered is no failure, so retry until it ran.
 */
TEST_F_TIMEOUT(ev, a_signal_ends_a_run, EVENT_TIMEOUT)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct vcpu *v = &self->vcpu;
	__u64 *count = GUEST(&self->vm, &guest_spin_count);
	struct nvmx_stats before, after;
	__u64 seen;
	int i, ret;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	VCPU_START(v, guest_spin, 0, 0);
	set_timer(10000);
	for (i = 0; i < 1000 && !*count; i++) {
		ret = nvmx_run(v->fd);
		ASSERT_EQ(-EINTR, ret) TH_LOG("NVMX_RUN: %d, exit %s", ret,
					      nvmx_exit_name(v->run->exit_reason));
		ASSERT_EQ(NVMX_EXIT_INTR, v->run->exit_reason);
	}
	ASSERT_NE(0, *count) TH_LOG("the guest never ran in %d runs", i);
	seen = *count;
	EXPECT_EQ(-EINTR, nvmx_run(v->fd));
	EXPECT_EQ(NVMX_EXIT_INTR, v->run->exit_reason);
	EXPECT_LT(seen, *count);
	set_timer(0);

	/* immediate_exit: EINTR without entering; the guest does not move. */
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &before));
	seen = *count;
	v->run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, nvmx_run(v->fd));
	EXPECT_EQ(NVMX_EXIT_INTR, v->run->exit_reason);
	EXPECT_EQ(seen, *count);
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &after));
	EXPECT_EQ(before.exits, after.exits);
	v->run->immediate_exit = 0;
}

/* Another thread that acts on a running guest: kick it or stop its VM. */
struct actor {
	struct vcpu *vcpu;
	__u64 *count;		/* the guest's progress */
	bool stop_vm;		/* NVMX_STOP_VM instead of NVMX_KICK */
	int done;		/* the run returned */
	int first_ret;		/* of the first kick or stop */
	int state_before;	/* NVMX_GET_VM_STATE before it */
	int tries;		/* kicks or stops needed */
};

static int act(struct actor *a)
{
	return a->stop_vm ? nvmx_stop_vm(a->vcpu->vm->fd) :
			    nvmx_kick(a->vcpu->fd);
}

/*
 * Wait until the guest runs (its counter moves), act once, and act again
 * (every second) only if the run has not ended 20 s later, so that a lost
 * kick is a test failure rather than a hang.
 */
static void *actor_thread(void *arg)
{
	struct actor *a = arg;
	double t0 = monotonic_seconds();

	while (!READ_ONCE(*a->count) && monotonic_seconds() - t0 < 60)
		sched_yield();
	a->state_before = nvmx_vm_state(a->vcpu->vm->fd);
	a->first_ret = act(a);
	a->tries = 1;
	t0 = monotonic_seconds();
	while (!__atomic_load_n(&a->done, __ATOMIC_ACQUIRE)) {
		if (monotonic_seconds() - t0 > 20) {
			act(a);
			a->tries++;
			t0 += 1;
		}
		sched_yield();
	}
	return NULL;
}

static int run_with_actor(struct vcpu *v, struct actor *a)
{
	pthread_t t;
	int ret;

	a->vcpu = v;
	a->count = GUEST(v->vm, &guest_spin_count);
	if (pthread_create(&t, NULL, actor_thread, a))
		return -EAGAIN;
	ret = nvmx_run(v->fd);
	__atomic_store_n(&a->done, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	return ret;
}

TEST_F_TIMEOUT(ev, kick_ends_a_run, EVENT_TIMEOUT)
{
	struct actor a = { .stop_vm = false };
	struct vcpu *v = &self->vcpu;
	int ret;

	VCPU_START(v, guest_spin, 0, 0);
	ret = run_with_actor(v, &a);
	ASSERT_EQ(-EINTR, ret) TH_LOG("NVMX_RUN: %s", strerror(-ret));
	EXPECT_EQ(NVMX_EXIT_INTR, v->run->exit_reason);
	EXPECT_EQ(0, a.first_ret);
	EXPECT_EQ(1, a.tries) TH_LOG("the first kick did not end the run");
	EXPECT_NE(0, *a.count);
}

/* A kick while no run is in progress ends the next run before entry. */
TEST_F(ev, a_kick_is_never_lost)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_stats st;

	VCPU_START(v, guest_exit, 0, 0);
	ASSERT_EQ(0, nvmx_kick(v->fd));
	EXPECT_EQ(-EINTR, nvmx_run(v->fd));
	EXPECT_EQ(NVMX_EXIT_INTR, v->run->exit_reason);
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &st));
	EXPECT_EQ(0, st.exits);
	/* Once taken, it is gone. */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* NVMX_STOP_VM: the run returns 0 with exit STOPPED; the VM is off. */
TEST_F_TIMEOUT(ev, stop_vm_ends_a_run, EVENT_TIMEOUT)
{
	struct actor a = { .stop_vm = true };
	struct vcpu *v = &self->vcpu;
	int ret;

	EXPECT_EQ(NVMX_VM_OFF, nvmx_vm_state(self->vm.fd));
	VCPU_START(v, guest_spin, 0, 0);
	ret = run_with_actor(v, &a);
	ASSERT_EQ(0, ret) TH_LOG("NVMX_RUN: %s", strerror(-ret));
	EXPECT_EQ(NVMX_EXIT_STOPPED, v->run->exit_reason);
	EXPECT_EQ(NVMX_VM_RUNNING, a.state_before);
	EXPECT_EQ(0, a.first_ret);
	EXPECT_EQ(1, a.tries) TH_LOG("the first stop did not end the run");
	EXPECT_EQ(NVMX_VM_OFF, nvmx_vm_state(self->vm.fd));
}

/*
 * guest_irq_cli_then_sti reports READY, 1 and 2 with RFLAGS.IF clear, then
 * executes STI and HLTs forever. Its handlers report GUEST_IRQ(vector).
 */
TEST_F(ev, an_interrupt_waits_for_sti)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_stats st;

	VCPU_START(v, guest_irq_cli_then_sti, 0, 0);
	VCPU_REPORT(v, GUEST_READY);
	EXPECT_EQ(0, v->run->if_flag);
	EXPECT_EQ(0, v->run->ready_for_interrupt_injection);
	ASSERT_EQ(0, nvmx_interrupt(v->fd, 0x40));
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, 2);
	VCPU_REPORT(v, GUEST_IRQ(0x40));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(1, v->run->if_flag);
	/* At least 1: a delivery cut short by an EPT fault is injected again. */
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &st));
	EXPECT_LE(1, st.injections);
}

TEST_F(ev, interrupts_wake_a_halted_guest_one_at_a_time)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, guest_irq_cli_then_sti, 0, 0);
	VCPU_REPORT(v, GUEST_READY);
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, 2);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(1, v->run->if_flag);
	EXPECT_EQ(1, v->run->ready_for_interrupt_injection);
	ASSERT_EQ(0, nvmx_interrupt(v->fd, 0x40));
	/* One queued interrupt at a time. */
	EXPECT_EQ(-EBUSY, nvmx_interrupt(v->fd, 0x41));
	VCPU_REPORT(v, GUEST_IRQ(0x40));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_interrupt(v->fd, 0x41));
	VCPU_REPORT(v, GUEST_IRQ(0x41));
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* request_interrupt_window: the exit comes once IF is set, not before. */
TEST_F(ev, interrupt_window_exit)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, guest_irq_cli_then_sti, 0, 0);
	VCPU_REPORT(v, GUEST_READY);
	v->run->request_interrupt_window = 1;
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, 2);
	VCPU_RUN(v, NVMX_EXIT_IRQ_WINDOW_OPEN);
	EXPECT_EQ(1, v->run->if_flag);
	EXPECT_EQ(1, v->run->ready_for_interrupt_injection);
	v->run->request_interrupt_window = 0;
	ASSERT_EQ(0, nvmx_interrupt(v->fd, 0x40));
	VCPU_REPORT(v, GUEST_IRQ(0x40));
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * An NMI does not wait for IF; one at a time; after its IRET the next one
 * is taken. Injecting NMIs needs the CPU's "virtual NMIs" control.
 */
TEST_F(ev, nmi)
{
	struct vcpu *v = &self->vcpu;
	int ret;

	VCPU_START(v, guest_irq_cli_then_sti, 0, 0);
	VCPU_REPORT(v, GUEST_READY);
	ret = nvmx_nmi(v->fd);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "the CPU has no virtual NMIs");
	ASSERT_EQ(0, ret);
	EXPECT_EQ(-EBUSY, nvmx_nmi(v->fd));
	VCPU_REPORT(v, GUEST_IRQ(2));
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, 2);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, nvmx_nmi(v->fd));
	VCPU_REPORT(v, GUEST_IRQ(2));
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* Canonical, in the lower half: what an address MSR accepts. */
static __u64 canonical(__u64 r)
{
	return r & 0x00007ffffffffff0ULL;
}

/* A PAT whose eight entries are valid memory types (0, 1, 4, 5, 6, 7). */
static __u64 random_pat(__u64 r)
{
	static const __u8 types[] = { 0, 1, 4, 5, 6, 7 };
	__u64 pat = 0;
	int i;

	for (i = 0; i < 8; i++)
		pat |= (__u64)types[(r >> (8 * i)) % sizeof(types)] << (8 * i);
	return pat;
}

TEST_F(ev, msrs_round_trip)
{
	struct nvmx_msr_entry set[] = {
		{ MSR_STAR, 0, test_rand(&self->rand) },
		{ MSR_LSTAR, 0, canonical(test_rand(&self->rand)) },
		{ MSR_KERNEL_GS_BASE, 0, canonical(test_rand(&self->rand)) },
		{ MSR_SYSENTER_CS, 0, test_rand(&self->rand) & 0xfff8 },
		{ MSR_SYSENTER_ESP, 0, canonical(test_rand(&self->rand)) },
		{ MSR_SYSENTER_EIP, 0, canonical(test_rand(&self->rand)) },
		{ MSR_PAT, 0, random_pat(test_rand(&self->rand)) },
	};
	struct nvmx_msr_entry get[ARRAY_SIZE(set)];
	unsigned int i;

	ASSERT_EQ(ARRAY_SIZE(set), nvmx_set_msrs(self->vcpu.fd, set, ARRAY_SIZE(set)));
	for (i = 0; i < ARRAY_SIZE(set); i++)
		get[i] = (struct nvmx_msr_entry){ .index = set[i].index,
						  .data = ~set[i].data };
	ASSERT_EQ(ARRAY_SIZE(get), nvmx_get_msrs(self->vcpu.fd, get, ARRAY_SIZE(get)));
	for (i = 0; i < ARRAY_SIZE(set); i++)
		EXPECT_EQ_MSG(set[i].data, get[i].data, "MSR %#x", set[i].index);
}

/* Processing stops at the unknown MSR: the return value is the count done. */
TEST_F(ev, an_unknown_msr_stops_the_list)
{
	__u64 star = test_rand(&self->rand);
	__u64 lstar = canonical(test_rand(&self->rand));
	struct nvmx_msr_entry e[3] = { { MSR_STAR, 0, star } };

	ASSERT_EQ(1, nvmx_set_msrs(self->vcpu.fd, e, 1));
	e[0] = (struct nvmx_msr_entry){ MSR_LSTAR, 0, lstar };
	e[1] = (struct nvmx_msr_entry){ MSR_UNKNOWN, 0, 1 };
	e[2] = (struct nvmx_msr_entry){ MSR_STAR, 0, ~star };
	EXPECT_EQ(1, nvmx_set_msrs(self->vcpu.fd, e, 3));
	e[0] = (struct nvmx_msr_entry){ .index = MSR_STAR };
	e[1] = (struct nvmx_msr_entry){ .index = MSR_UNKNOWN };
	e[2] = (struct nvmx_msr_entry){ .index = MSR_LSTAR };
	EXPECT_EQ(1, nvmx_get_msrs(self->vcpu.fd, e, 3));
	EXPECT_EQ(star, e[0].data);
	e[0] = (struct nvmx_msr_entry){ .index = MSR_LSTAR };
	ASSERT_EQ(1, nvmx_get_msrs(self->vcpu.fd, e, 1));
	EXPECT_EQ(lstar, e[0].data);
}

/*
 * The guest's RDMSR gets what userspace set, its WRMSR is what userspace
 * reads back, and an unknown MSR is a #GP(0) in the guest.
 */
TEST_F(ev, guest_msr_access)
{
	struct vcpu *v = &self->vcpu;
	__u64 a = canonical(test_rand(&self->rand));
	__u64 b = canonical(test_rand(&self->rand));
	struct nvmx_msr_entry e = { MSR_LSTAR, 0, a };
	__u64 junk;

	ASSERT_EQ(1, nvmx_set_msrs(v->fd, &e, 1));
	VCPU_START(v, guest_rdmsr, MSR_LSTAR, 0);
	VCPU_REPORT(v, a);
	VCPU_RUN(v, NVMX_EXIT_HLT);

	VCPU_START(v, guest_wrmsr, MSR_LSTAR, b);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	e.data = 0;
	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &e, 1));
	EXPECT_EQ(b, e.data);

	VCPU_START(v, guest_rdmsr, MSR_UNKNOWN, 0);
	VCPU_REPORT(v, GUEST_GP(0));
	VCPU_OK(v, vcpu_report(v, &junk));	/* what RDMSR left: anything */
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * IA32_DEBUGCTL (0x1d9), which Linux's KVM reads on every KVM_RUN: it reads
 * 0, takes 0, and refuses any debug feature (BTF here) with #GP(0).
 */
TEST_F(ev, guest_debugctl_is_zero)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_msr_entry e = { MSR_IA32_DEBUGCTL, 0, 2 };

	VCPU_START(v, guest_rdmsr, MSR_IA32_DEBUGCTL, 0);
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	VCPU_START(v, guest_wrmsr, MSR_IA32_DEBUGCTL, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	VCPU_START(v, guest_wrmsr, MSR_IA32_DEBUGCTL, 2);
	VCPU_REPORT(v, GUEST_GP(0));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(0, nvmx_set_msrs(v->fd, &e, 1));
	e.data = 0;
	EXPECT_EQ(1, nvmx_set_msrs(v->fd, &e, 1));
	e.data = ~0ULL;
	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &e, 1));
	EXPECT_EQ(0, e.data);
}

/* RDTSCP's TSC_AUX, which the kernel sets to the CPU number (and node). */
static __u32 host_tsc_aux(void)
{
	__u32 lo, hi, aux;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return aux;
}

/*
 * The MSRs a guest changes that the host uses in user mode (the GS base
 * behind SWAPGS, TSC_AUX behind RDTSCP) are the host's again when
 * NVMX_RUN returns.
 */
TEST_F(ev, host_msrs_come_back)
{
	struct vcpu *v = &self->vcpu;
	__u64 host_gs = 0x00007f0000001000ULL, gs = 0;
	__u32 aux_before;

	ASSERT_EQ(0, syscall(SYS_arch_prctl, ARCH_SET_GS, host_gs));
	aux_before = host_tsc_aux();
	VCPU_START(v, guest_wrmsr, MSR_KERNEL_GS_BASE,
		   canonical(test_rand(&self->rand)));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	VCPU_START(v, guest_wrmsr, MSR_TSC_AUX, 0x5a5a5a5a);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
	EXPECT_EQ(host_gs, gs);
	EXPECT_NE(0x5a5a5a5a, host_tsc_aux());
	/* One CPU in the test machine: the same number as before. */
	if (online_cpus() == 1)
		EXPECT_EQ(aux_before, host_tsc_aux());
	ASSERT_EQ(0, syscall(SYS_arch_prctl, ARCH_SET_GS, 0));
}

TEST_HARNESS_MAIN
