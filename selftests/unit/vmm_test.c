// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the vCPU threads of `nvmx run` (tools/vmm.c): how a VM
 * ends, with NVMX_RUN replaced by a script of exits per vCPU.
 *
 * A scripted vCPU past the end of its script behaves like a guest that
 * never exits by itself: its fake NVMX_RUN waits until immediate_exit is
 * set (what vmm_stop() does) and returns -EINTR. The vCPU fds are numbers
 * that are no open file (FAKE_FD + id), so that the kicks vmm_stop() sends
 * fail harmlessly.
 */
#include <pthread.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm_unit.h"

#define FAKE_FD		100000
#define MAX_STEPS	8

/* One step of a vCPU's script: NVMX_RUN returns @ret with @exit_reason. */
struct step {
	int ret;
	__u32 exit_reason;
	__u16 port;		/* for NVMX_EXIT_IO: one OUT of @val */
	__u8 val;
};

static struct step script[4][MAX_STEPS];
static unsigned int pos[4];

static int fake_run(int fd)
{
	unsigned int id = fd - FAKE_FD;
	struct nvmx_run *r = vmm.vcpus[id].run;
	struct step *s = &script[id][pos[id]];

	if (__atomic_load_n(&r->immediate_exit, __ATOMIC_SEQ_CST))
		return -EINTR;
	if (pos[id] == MAX_STEPS || (!s->ret && !s->exit_reason)) {
		while (!__atomic_load_n(&r->immediate_exit, __ATOMIC_SEQ_CST))
			usleep(1000);
		return -EINTR;
	}
	pos[id]++;
	r->exit_reason = s->exit_reason;
	if (s->exit_reason == NVMX_EXIT_IO)
		*(__u8 *)unit_io_exit(r, NVMX_EXIT_IO_OUT, s->port, 1, 1) =
			s->val;
	return s->ret;
}

/* A VM of @n scripted vCPUs. */
static int setup(unsigned int n)
{
	unsigned int i;

	memset(script, 0, sizeof(script));
	memset(pos, 0, sizeof(pos));
	if (unit_vmm_setup(n))
		return -1;
	vmm.run_vcpu = fake_run;
	for (i = 0; i < n; i++)
		vmm.vcpus[i].fd = FAKE_FD + i;
	return 0;
}

/* Run every vCPU in a thread, as cmd_run() does; return the status. */
static int run_all(void)
{
	unsigned int i;

	for (i = 0; i < vmm.nr_vcpus; i++)
		pthread_create(&vmm.vcpus[i].thread, NULL, vmm_vcpu_thread,
			       &vmm.vcpus[i]);
	for (i = 0; i < vmm.nr_vcpus; i++)
		pthread_join(vmm.vcpus[i].thread, NULL);
	fflush(vmm.out);
	fflush(vmm.err);
	return vmm_exit_status(&vmm);
}

#define OUT(p, v)	{ .exit_reason = NVMX_EXIT_IO, .port = p, .val = v }
#define EXIT(r)		{ .exit_reason = r }

TEST(the_vm_ends_with_status_0_when_every_vcpu_halted)
{
	ASSERT_EQ(0, setup(2));
	script[0][0] = (struct step)OUT(0x3f8, 'a');
	script[0][1] = (struct step)EXIT(NVMX_EXIT_HLT);
	script[1][0] = (struct step){ .ret = -EINTR };		/* a stray signal */
	script[1][1] = (struct step)EXIT(NVMX_EXIT_HLT);
	EXPECT_EQ(0, run_all());
	EXPECT_STREQ("a", unit_vmm_out());
	EXPECT_EQ(2, pos[0]);
	EXPECT_EQ(2, pos[1]);
	unit_vmm_teardown();
}

TEST(a_debug_exit_stops_the_other_vcpus)
{
	ASSERT_EQ(0, setup(3));
	script[0][0] = (struct step)OUT(0x3f8, 'o');
	script[0][1] = (struct step)OUT(0x3f8, 'k');
	script[0][2] = (struct step)OUT(0xf4, 7);
	/* vCPUs 1 and 2 run forever unless stopped. */
	EXPECT_EQ(7, run_all());
	EXPECT_STREQ("ok", unit_vmm_out());
	EXPECT_TRUE(vmm.vcpus[1].run->immediate_exit);
	EXPECT_TRUE(vmm.stopping);
	unit_vmm_teardown();
}

TEST(a_triple_fault_on_one_vcpu_ends_the_vm)
{
	ASSERT_EQ(0, setup(2));
	script[1][0] = (struct step)EXIT(NVMX_EXIT_SHUTDOWN);
	EXPECT_EQ(RUN_GUEST_SHUTDOWN, run_all());
	EXPECT_STREQ("nvmx: guest vCPU 1 shut down (triple fault)\n", unit_vmm_err());
	unit_vmm_teardown();
}

TEST(an_nvmx_run_error_ends_the_vm_with_status_1)
{
	ASSERT_EQ(0, setup(2));
	script[0][0] = (struct step){ .ret = -EFAULT };
	EXPECT_EQ(RUN_ERROR, run_all());
	EXPECT_STREQ("nvmx: vCPU 0: NVMX_RUN failed: Bad address\n", unit_vmm_err());
	unit_vmm_teardown();
}

TEST(a_halted_vcpu_does_not_end_the_vm_while_another_runs)
{
	ASSERT_EQ(0, setup(2));
	script[0][0] = (struct step)EXIT(NVMX_EXIT_HLT);
	script[1][0] = (struct step)OUT(0x3f8, 'x');
	script[1][1] = (struct step)EXIT(NVMX_EXIT_VMCALL);
	script[1][2] = (struct step)OUT(0xf4, 3);
	EXPECT_EQ(3, run_all());
	EXPECT_STREQ("x", unit_vmm_out());
	EXPECT_EQ(~0ULL, vmm.vcpus[1].run->vmcall.ret);
	unit_vmm_teardown();
}

static void *interrupt_later(void *arg)
{
	(void)arg;
	usleep(20000);
	/* What the SIGINT handler of run.c does. */
	vmm_set_status(&vmm, RUN_INTERRUPTED);
	vmm_stop(&vmm);
	return NULL;
}

TEST(an_interrupt_stops_every_vcpu_with_status_130)
{
	pthread_t t;

	ASSERT_EQ(0, setup(4));
	script[2][0] = (struct step)EXIT(NVMX_EXIT_HLT);
	pthread_create(&t, NULL, interrupt_later, NULL);
	EXPECT_EQ(RUN_INTERRUPTED, run_all());
	pthread_join(t, NULL);
	EXPECT_STREQ("", unit_vmm_err());
	unit_vmm_teardown();
}

TEST(a_vm_stopped_before_its_vcpus_start_does_not_run_them)
{
	ASSERT_EQ(0, setup(2));
	script[0][0] = (struct step)OUT(0x3f8, 'x');
	vmm_stop(&vmm);
	EXPECT_EQ(0, run_all());
	EXPECT_EQ(0, pos[0]);
	EXPECT_STREQ("", unit_vmm_out());
	unit_vmm_teardown();
}

TEST_HARNESS_MAIN
