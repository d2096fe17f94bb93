// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel local APIC (NVMX_VM_LAPIC): the flag's rules and the
 * CPUID it gives; the timer in one-shot, periodic and TSC-deadline modes
 * waking a halted guest without an exit to userspace; x2APIC mode with a
 * self IPI, TPR and the #GP cases; an IPI from vCPU 0 waking vCPU 1 in
 * HLT; L1's timer making L2 exit to L1; INIT and SIPI starting a vCPU
 * that waits for SIPI; interrupt messages (NVMX_SIGNAL_MSI); saving and
 * restoring the registers (NVMX_GET/SET_LAPIC); the MP-state checks;
 * and, without the flag, the APIC page as MMIO for userspace.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "guest_apic.h"
#include "guest_l1.h"
#include "lib.h"
#include "vmm_harness.h"

#define LAPIC_TIMEOUT		300
#define EXIT_REASON_HLT		12
#define EXIT_REASON_EPT		48
#define CPUID_1_ECX_X2APIC	(1U << 21)
#define CPUID_1_ECX_DEADLINE	(1U << 24)
#define CPUID_1_EDX_APIC	(1U << 9)
#define APIC_BASE_BSP_EN	0x900ULL
#define APIC_BASE_EXTD		0x400ULL
#define TIMER_NS		10000000ULL	/* one-shot: 10 ms */
#define PERIOD_NS		2000000ULL	/* periodic: 2 ms */
#define DEADLINE_CYCLES		5000000ULL

FIXTURE(lapic) {
	struct vm vm;
	struct vcpu vcpu[2];
};

FIXTURE_SETUP(lapic)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	ASSERT_EQ(0, nvmx_set_vm_flags(self->vm.fd, NVMX_VM_LAPIC));
	VCPU_OK(&self->vcpu[0], vcpu_open(&self->vm, &self->vcpu[0], 0));
	self->vcpu[1].fd = -1;
}

FIXTURE_TEARDOWN(lapic)
{
	vcpu_close(&self->vcpu[0]);
	if (self->vcpu[1].fd >= 0)
		vcpu_close(&self->vcpu[1]);
	vm_close(&self->vm);
	EXPECT_EQ(0, nvmx_debugfs("vcpus"));
	EXPECT_EQ(0, nvmx_debugfs("vms"));
}

static struct nvmx_stats stats(struct vcpu *v)
{
	struct nvmx_stats s = { 0 };

	ioctl(v->fd, NVMX_GET_STATS, &s);
	return s;
}

/* The flag changes only without vCPUs; CPUID shows the APIC. */
TEST_F(lapic, flag_and_cpuid)
{
	struct vcpu *v = &self->vcpu[0];
	int fd = self->vm.fd;
	__u64 val;

	EXPECT_EQ(NVMX_VM_LAPIC, nvmx_get_vm_flags(fd));
	EXPECT_EQ(-EBUSY, nvmx_set_vm_flags(fd, 0));
	EXPECT_EQ(-EBUSY, nvmx_set_vm_flags(fd, NVMX_VM_NESTED_RESIZE));
	EXPECT_EQ(0, nvmx_set_vm_flags(fd, NVMX_VM_LAPIC |
				       NVMX_VM_NESTED_RESIZE));
	EXPECT_EQ(NVMX_VM_LAPIC | NVMX_VM_NESTED_RESIZE,
		  nvmx_get_vm_flags(fd));

	VCPU_START(v, guest_apic_cpuid, 0, 0);
	VCPU_REPORT(v, 0);		/* initial APIC ID = vCPU id */
	VCPU_OK(v, vcpu_report(v, &val));
	EXPECT_EQ(CPUID_1_ECX_X2APIC | CPUID_1_ECX_DEADLINE,
		  val & (CPUID_1_ECX_X2APIC | CPUID_1_ECX_DEADLINE));
	VCPU_OK(v, vcpu_report(v, &val));
	EXPECT_EQ(CPUID_1_EDX_APIC, val & CPUID_1_EDX_APIC);

	VCPU_OK(&self->vcpu[1], vcpu_open(&self->vm, &self->vcpu[1], 1));
	VCPU_START(&self->vcpu[1], guest_apic_cpuid, 0, 0);
	VCPU_REPORT(&self->vcpu[1], 1);
}

/* Without the flag the page is nobody's: an MMIO exit, as before. */
TEST(no_flag_is_mmio)
{
	struct vm vm;
	struct vcpu v;
	__u64 val;

	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&vm, vm_open(&vm, VM_MEM_SIZE));
	EXPECT_EQ(0, nvmx_get_vm_flags(vm.fd));
	VCPU_OK(&v, vcpu_open(&vm, &v, 0));
	VCPU_START(&v, guest_apic_cpuid, 0, 0);
	VCPU_REPORT(&v, 0);
	VCPU_OK(&v, vcpu_report(&v, &val));
	EXPECT_EQ(0, val & (CPUID_1_ECX_X2APIC | CPUID_1_ECX_DEADLINE));
	VCPU_OK(&v, vcpu_report(&v, &val));
	EXPECT_EQ(0, val & CPUID_1_EDX_APIC);
	VCPU_START(&v, guest_mmio_reads, GUEST_APIC_GPA + 0x30, 0);
	VCPU_OK(&v, vcpu_run_mmio(&v, GUEST_APIC_GPA + 0x30, 1, false));
	vcpu_close(&v);
	vm_close(&vm);
}

/*
 * A one-shot timer wakes the guest from HLT: between the start and the
 * reports userspace sees nothing (4 exits: two reports of two OUTs),
 * while the guest did exit on HLT and on its APIC accesses.
 */
TEST_F_TIMEOUT(lapic, oneshot_timer_wakes_hlt, LAPIC_TIMEOUT)
{
	struct vcpu *v = &self->vcpu[0];
	struct nvmx_stats before, after;

	VCPU_START(v, guest_apic_timer, GUEST_APIC_ONESHOT, TIMER_NS);
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &before));
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, 0);		/* current count at the end */
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &after));
	EXPECT_EQ(4, after.user_exits - before.user_exits);
	EXPECT_LE(1, after.exit_reason[EXIT_REASON_HLT]);
	EXPECT_LE(6, after.exit_reason[EXIT_REASON_EPT]);
	TH_LOG("exits %llu, HLT %llu, EPT %llu, injections %llu",
	       after.exits, after.exit_reason[EXIT_REASON_HLT],
	       after.exit_reason[EXIT_REASON_EPT], after.injections);
}

/* Periodic: GUEST_APIC_PERIODS interrupts, none once the LVT is masked. */
TEST_F_TIMEOUT(lapic, periodic_timer, LAPIC_TIMEOUT)
{
	struct vcpu *v = &self->vcpu[0];
	struct nvmx_stats st;
	__u64 n, later;

	VCPU_START(v, guest_apic_timer, GUEST_APIC_PERIODIC, PERIOD_NS);
	VCPU_OK(v, vcpu_report(v, &n));
	VCPU_OK(v, vcpu_report(v, &later));
	EXPECT_LE(GUEST_APIC_PERIODS, n);
	EXPECT_EQ(n, later);
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &st));
	EXPECT_EQ(4, st.user_exits);
	EXPECT_LE(GUEST_APIC_PERIODS, st.exit_reason[EXIT_REASON_HLT]);
	TH_LOG("%llu interrupts, %llu HLT exits", n,
	       st.exit_reason[EXIT_REASON_HLT]);
}

/* TSC deadline: not before the deadline, then disarmed (reads 0). */
TEST_F_TIMEOUT(lapic, tsc_deadline_timer, LAPIC_TIMEOUT)
{
	struct vcpu *v = &self->vcpu[0];
	struct nvmx_stats st;

	VCPU_START(v, guest_apic_timer, GUEST_APIC_DEADLINE, DEADLINE_CYCLES);
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, 1);		/* the interrupt came at or after it */
	VCPU_REPORT(v, 0);
	ASSERT_EQ(0, nvmx_get_stats(v->fd, &st));
	EXPECT_EQ(6, st.user_exits);
	EXPECT_LE(1, st.exit_reason[EXIT_REASON_HLT]);
}

/* x2APIC: see guest_apic_x2apic() for the sequence. */
TEST_F_TIMEOUT(lapic, x2apic_self_ipi_tpr_and_gp, LAPIC_TIMEOUT)
{
	struct vcpu *v = &self->vcpu[0];

	VCPU_START(v, guest_apic_x2apic, 0, 0);
	VCPU_REPORT(v, GUEST_APIC_GPA | APIC_BASE_BSP_EN);
	VCPU_REPORT(v, GUEST_APIC_GPA | APIC_BASE_BSP_EN | APIC_BASE_EXTD);
	VCPU_REPORT(v, 0);			/* x2APIC ID */
	VCPU_REPORT(v, GUEST_APIC_VERSION);
	VCPU_REPORT(v, 1);			/* the self IPI came */
	VCPU_REPORT(v, 4);			/* #GPs so far */
	VCPU_REPORT(v, 1);			/* TPR 0x60 holds 0x52 back */
	VCPU_REPORT(v, 2);			/* TPR 0 lets it in */
}

/*
 * L1's APIC timer fires while L2 runs: L1 intercepts external interrupts
 * and acknowledges them on exit, so L2 exits to L1 with vector 0x50,
 * which is then in service in L1's APIC (PPR 0x50) until L1's EOI.
 */
TEST_F_TIMEOUT(lapic, timer_exits_l2_to_l1, LAPIC_TIMEOUT)
{
	struct vcpu *v = &self->vcpu[0];
	struct nvmx_stats st;

	ASSERT_EQ(0, ioctl(self->vm.fd, NVMX_SET_EXPOSE_VMX, 1UL));
	VCPU_START(v, l1_test_apic_timer, TIMER_NS, 0);
	VCPU_REPORT(v, 1);			/* external interrupt */
	VCPU_REPORT(v, 0x80000000 | GUEST_APIC_VEC_TIMER);
	VCPU_REPORT(v, GUEST_APIC_VEC_TIMER);	/* PPR: in service */
	VCPU_REPORT(v, 0);			/* PPR after EOI */
	st = stats(v);
	EXPECT_EQ(1, st.nested_entries);
	EXPECT_EQ(1, st.nested_exits);
	TH_LOG("L2 exits %llu", st.l2_exits);
}

struct waiter {
	struct vcpu *vcpu;
	int ret;
};

static void *wait_ipi_thread(void *arg)
{
	struct waiter *w = arg;

	w->ret = vcpu_expect_report(w->vcpu,
				    GUEST_IRQ(GUEST_APIC_VEC_IPI));
	return NULL;
}

/*
 * vCPU 1 into HLT with interrupts on, its NVMX_RUN on thread @t waiting
 * (@w) for the interrupt of vector GUEST_APIC_VEC_IPI.
 */
static void halt_vcpu1(struct __test_metadata *_metadata,
		       FIXTURE_DATA(lapic) *self, struct waiter *w,
		       pthread_t *t)
{
	struct guest_apic_state *st = GUEST(&self->vm, &guest_apic);
	struct vcpu *v1 = &self->vcpu[1];
	int i;

	w->vcpu = v1;
	VCPU_OK(v1, vcpu_open(&self->vm, v1, 1));
	VCPU_START(v1, guest_apic_wait_ipi, 0, 0);
	VCPU_REPORT(v1, GUEST_READY);
	ASSERT_EQ(0, pthread_create(t, NULL, wait_ipi_thread, w));
	for (i = 0; i < 1000 && !READ_ONCE(st->halting); i++)
		usleep(10000);
	ASSERT_NE(0, READ_ONCE(st->halting));
	usleep(200000);		/* into HLT */
}

/* vCPU 1 halts with interrupts on; vCPU 0's fixed IPI wakes it. */
TEST_F_TIMEOUT(lapic, ipi_wakes_halted_vcpu, LAPIC_TIMEOUT)
{
	struct guest_apic_state *st = GUEST(&self->vm, &guest_apic);
	struct vcpu *v0 = &self->vcpu[0], *v1 = &self->vcpu[1];
	struct nvmx_stats s1;
	struct waiter w;
	pthread_t t;

	halt_vcpu1(_metadata, self, &w, &t);
	EXPECT_EQ(0, READ_ONCE(st->irqs[1]));
	VCPU_START(v0, guest_apic_send_ipi, 1, GUEST_APIC_VEC_IPI);
	VCPU_REPORT(v0, GUEST_APIC_VEC_IPI);	/* ICR: delivered, idle */
	pthread_join(t, NULL);
	ASSERT_EQ_MSG(0, w.ret, "vCPU 1: %s", v1->err);
	EXPECT_EQ(1, READ_ONCE(st->irqs[1]));
	ASSERT_EQ(0, nvmx_get_stats(v1->fd, &s1));
	EXPECT_EQ(4, s1.user_exits);
	EXPECT_LE(1, s1.exit_reason[EXIT_REASON_HLT]);
}

/*
 * "apic_ipis_dropped" of vCPU @id in this process's VM's debugfs
 * directory, or -1.
 */
static long long dropped_ipis(unsigned int id)
{
	char pattern[96], line[128];
	long long n = -1, v;
	glob_t g;
	FILE *f;

	nvmx_debugfs("vms");	/* mounts debugfs */
	snprintf(pattern, sizeof(pattern),
		 "/sys/kernel/debug/nvmx/vm-%d-*/vcpu%u/stats", (int)getpid(),
		 id);
	if (glob(pattern, 0, NULL, &g) || g.gl_pathc != 1)
		return -1;
	f = fopen(g.gl_pathv[0], "r");
	globfree(&g);
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "apic_ipis_dropped %lld", &v) == 1)
			n = v;
	fclose(f);
	return n;
}

#define SIPI_VECTOR	0x20		/* the AP starts at 0x20000 */
#define AP_PORT		0x80
#define AP_MARK		0x5a
#define ICR_INIT	(5U << 8 | 1U << 14)	/* INIT, assert */
#define ICR_SIPI	(6U << 8)

struct ap_run {
	struct vcpu *vcpu;
	int ret;
	int done;
};

/* The AP's first NVMX_RUN: an OUT of its real-mode code, after SIPI. */
static void *ap_thread(void *arg)
{
	struct ap_run *a = arg;

	a->ret = vcpu_run_io(a->vcpu, NVMX_EXIT_IO_OUT, AP_PORT, 1, 1);
	__atomic_store_n(&a->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * INIT and SIPI: vCPU 1, in wait-for-SIPI, sleeps in NVMX_RUN until
 * vCPU 0's INIT and SIPI start it in real mode at the SIPI's page, with
 * its registers in their INIT state (RDX: the processor signature).
 */
TEST_F_TIMEOUT(lapic, init_sipi_starts_ap, LAPIC_TIMEOUT)
{
	static const __u8 code[] = {
		0xb0, AP_MARK,		/* mov $AP_MARK, %al */
		0xe6, AP_PORT,		/* out %al, $AP_PORT */
		0xf4,			/* hlt */
	};
	struct vcpu *v0 = &self->vcpu[0], *v1 = &self->vcpu[1];
	struct ap_run a = { .vcpu = v1 };
	struct nvmx_sregs sregs;
	struct nvmx_regs regs;
	__u32 a1 = 1, b1, c1 = 0, d1;
	pthread_t t;

	memcpy(vm_gpa(&self->vm, SIPI_VECTOR << 12), code, sizeof(code));
	VCPU_OK(v1, vcpu_open(&self->vm, v1, 1));
	EXPECT_EQ(NVMX_MP_RUNNABLE, nvmx_get_mp_state(v1->fd));
	ASSERT_EQ(0, nvmx_set_mp_state(v1->fd, NVMX_MP_WAIT_SIPI));
	EXPECT_EQ(NVMX_MP_WAIT_SIPI, nvmx_get_mp_state(v1->fd));
	ASSERT_EQ(0, pthread_create(&t, NULL, ap_thread, &a));
	usleep(300000);
	/* Waiting, not running: vCPU 0's INIT alone does not start it. */
	EXPECT_EQ(0, __atomic_load_n(&a.done, __ATOMIC_SEQ_CST));
	VCPU_START(v0, guest_apic_send_ipi, 1, ICR_INIT);
	VCPU_REPORT(v0, ICR_INIT);
	usleep(300000);
	EXPECT_EQ(0, __atomic_load_n(&a.done, __ATOMIC_SEQ_CST));
	VCPU_START(v0, guest_apic_send_ipi, 1, ICR_SIPI | SIPI_VECTOR);
	VCPU_REPORT(v0, ICR_SIPI | SIPI_VECTOR);
	pthread_join(t, NULL);
	ASSERT_EQ_MSG(0, a.ret, "vCPU 1: %s", v1->err);
	EXPECT_EQ(AP_MARK, *(__u8 *)vcpu_io_data(v1));
	EXPECT_EQ(NVMX_MP_RUNNABLE, nvmx_get_mp_state(v1->fd));
	ASSERT_EQ(0, nvmx_get_sregs(v1->fd, &sregs));
	EXPECT_EQ(SIPI_VECTOR << 8, sregs.cs.selector);
	EXPECT_EQ(SIPI_VECTOR << 12, sregs.cs.base);
	EXPECT_EQ(0, sregs.cr0 & 1);			/* real mode */
	EXPECT_EQ(0, sregs.efer);
	ASSERT_EQ(0, nvmx_get_regs(v1->fd, &regs));
	asm volatile("cpuid" : "+a"(a1), "=b"(b1), "+c"(c1), "=d"(d1));
	EXPECT_EQ(a1, regs.rdx);		/* the signature */
	EXPECT_EQ(AP_MARK, regs.rax);
	EXPECT_EQ(0, regs.rbx | regs.rcx | regs.rsi | regs.rdi | regs.r8);
	EXPECT_EQ(0, dropped_ipis(1));
}

/* A SIPI to a vCPU that is not waiting for one is ignored. */
TEST_F_TIMEOUT(lapic, sipi_without_wait_is_ignored, LAPIC_TIMEOUT)
{
	struct vcpu *v0 = &self->vcpu[0], *v1 = &self->vcpu[1];

	VCPU_OK(v1, vcpu_open(&self->vm, v1, 1));
	VCPU_START(v1, guest_apic_cpuid, 0, 0);
	VCPU_START(v0, guest_apic_send_ipi, 1, ICR_SIPI | SIPI_VECTOR);
	VCPU_REPORT(v0, ICR_SIPI | SIPI_VECTOR);
	VCPU_REPORT(v1, 1);		/* its own code, not the SIPI page */
	EXPECT_EQ(NVMX_MP_RUNNABLE, nvmx_get_mp_state(v1->fd));
}

/* The MP-state ioctl's checks; without an APIC no wait for SIPI. */
TEST(mp_state_errors)
{
	struct nvmx_mp_state mp = { .state = 2 };
	struct nvmx_lapic_state st;
	struct vm vm;
	struct vcpu v;

	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&vm, vm_open(&vm, VM_MEM_SIZE));
	VCPU_OK(&v, vcpu_open(&vm, &v, 0));
	EXPECT_EQ(-EINVAL, nvmx_set_mp_state(v.fd, NVMX_MP_WAIT_SIPI));
	EXPECT_EQ(-1, ioctl(v.fd, NVMX_SET_MP_STATE, &mp));
	EXPECT_EQ(EINVAL, errno);
	mp.state = NVMX_MP_RUNNABLE;
	mp.reserved = 1;
	EXPECT_EQ(-1, ioctl(v.fd, NVMX_SET_MP_STATE, &mp));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, nvmx_set_mp_state(v.fd, NVMX_MP_RUNNABLE));
	EXPECT_EQ(-ENXIO, nvmx_get_lapic(v.fd, &st));
	EXPECT_EQ(-ENXIO, nvmx_signal_msi(vm.fd, 0xfee00000, 0x40));
	vcpu_close(&v);
	vm_close(&vm);
}

/*
 * NVMX_SIGNAL_MSI: a fixed interrupt to APIC 1 wakes vCPU 1 from HLT;
 * an APIC ID nobody has, physical or logical, reaches nobody; malformed
 * messages are refused.
 */
TEST_F_TIMEOUT(lapic, msi_wakes_halted_vcpu, LAPIC_TIMEOUT)
{
	struct guest_apic_state *st = GUEST(&self->vm, &guest_apic);
	struct vcpu *v1 = &self->vcpu[1];
	int fd = self->vm.fd;
	struct waiter w;
	struct nvmx_msi msi = { .address = 0xfee00000, .data = 0x40,
				.flags = 1 };
	pthread_t t;

	EXPECT_EQ(-EINVAL, nvmx_signal_msi(fd, 0xfed00000, 0x40));
	EXPECT_EQ(-EINVAL, nvmx_signal_msi(fd, 0xfee00000, 0x05));
	EXPECT_EQ(-EINVAL, nvmx_signal_msi(fd, 0xfee00000, 7 << 8 | 0x40));
	EXPECT_EQ(-EINVAL, nvmx_signal_msi(fd, 0xfee00008, 0x40));
	EXPECT_EQ(-EINVAL, nvmx_signal_msi(fd, 0x1fee00000ULL, 0x40));
	EXPECT_EQ(-1, ioctl(fd, NVMX_SIGNAL_MSI, &msi));
	EXPECT_EQ(EINVAL, errno);

	halt_vcpu1(_metadata, self, &w, &t);
	EXPECT_EQ(0, nvmx_signal_msi(fd, 0xfee00000 | 7 << 12,
				     GUEST_APIC_VEC_IPI));
	/* Logical, to a logical ID nobody has: accepted, for nobody. */
	EXPECT_EQ(0, nvmx_signal_msi(fd, 0xfee00004 | 0x80 << 12,
				     GUEST_APIC_VEC_IPI));
	EXPECT_EQ(1, nvmx_signal_msi(fd, 0xfee00000 | 1 << 12,
				     GUEST_APIC_VEC_IPI));
	pthread_join(t, NULL);
	ASSERT_EQ_MSG(0, w.ret, "vCPU 1: %s", v1->err);
	EXPECT_EQ(1, READ_ONCE(st->irqs[1]));
}

/* NVMX_GET/SET_LAPIC: the registers come back as they were set. */
TEST_F(lapic, save_and_restore_registers)
{
	struct vcpu *v0 = &self->vcpu[0];
	struct nvmx_lapic_state st;
	__u32 *r = (__u32 *)st.regs;

	ASSERT_EQ(0, nvmx_get_lapic(v0->fd, &st));
	EXPECT_EQ(0, r[0x20 / 4]);			/* ID 0 */
	EXPECT_EQ(GUEST_APIC_VERSION, r[0x30 / 4]);
	EXPECT_EQ(0xff, r[0xf0 / 4]);			/* SVR at reset */
	r[0x80 / 4] = 0x20;				/* TPR */
	r[0xf0 / 4] = 0x1ff;
	r[0x20 / 4] = 4U << 24;
	ASSERT_EQ(0, nvmx_set_lapic(v0->fd, &st));
	memset(&st, 0, sizeof(st));
	ASSERT_EQ(0, nvmx_get_lapic(v0->fd, &st));
	EXPECT_EQ(0x20, r[0x80 / 4]);
	EXPECT_EQ(0x20, r[0xa0 / 4]);			/* PPR */
	EXPECT_EQ(0x1ff, r[0xf0 / 4]);
	EXPECT_EQ(4U << 24, r[0x20 / 4]);
}

/* Later, from another thread: an INIT message to APIC 1, or a kick. */
struct later {
	int fd;
	bool kick;
	int ret;
};

static void *later_thread(void *arg)
{
	struct later *l = arg;

	usleep(500000);
	l->ret = l->kick ? nvmx_kick(l->fd) :
		 nvmx_signal_msi(l->fd, 0xfee00000 | 1 << 12, 5 << 8);
	return NULL;
}

/*
 * INIT in VMX operation (vCPU 1, an AP): held in VMX root, an exit
 * (reason 3) to L1 at VMLAUNCH; one while L2 spins makes it exit to L1;
 * one in VMX root waits for VMXOFF, after which the vCPU waits for SIPI.
 */
TEST_F_TIMEOUT(lapic, init_in_vmx_operation, LAPIC_TIMEOUT)
{
	struct vcpu *v1 = &self->vcpu[1];
	struct later l = { .fd = self->vm.fd };
	int fd = self->vm.fd;
	pthread_t t;
	__u64 val;

	ASSERT_EQ(0, ioctl(fd, NVMX_SET_EXPOSE_VMX, 1UL));
	VCPU_OK(v1, vcpu_open(&self->vm, v1, 1));
	VCPU_START(v1, l1_test_init, 0, 0);
	VCPU_REPORT(v1, 1);
	EXPECT_EQ(1, nvmx_signal_msi(fd, 0xfee00000 | 1 << 12, 5 << 8));
	VCPU_REPORT(v1, 3);
	ASSERT_EQ(0, pthread_create(&t, NULL, later_thread, &l));
	VCPU_REPORT(v1, 3);
	pthread_join(t, NULL);
	EXPECT_EQ(1, l.ret);
	VCPU_REPORT(v1, 0);
	EXPECT_EQ(1, nvmx_signal_msi(fd, 0xfee00000 | 1 << 12, 5 << 8));
	VCPU_REPORT(v1, GUEST_READY);
	l.fd = v1->fd;
	l.kick = true;
	ASSERT_EQ(0, pthread_create(&t, NULL, later_thread, &l));
	EXPECT_NE(0, vcpu_report(v1, &val));	/* kicked out of the wait */
	pthread_join(t, NULL);
	EXPECT_EQ(NVMX_MP_WAIT_SIPI, nvmx_get_mp_state(v1->fd));
}

/* With an APIC, CR8 is its TPR (bits 7:4), for the guest and SREGS. */
TEST_F(lapic, cr8_is_the_tpr)
{
	struct vcpu *v = &self->vcpu[0];
	struct nvmx_sregs sregs;

	VCPU_START(v, guest_apic_cr8, 0, 0);
	VCPU_REPORT(v, 0x50);
	VCPU_REPORT(v, 3);
	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &sregs));
	EXPECT_EQ(3, sregs.cr8);
	sregs.cr8 = 9;
	ASSERT_EQ(0, nvmx_set_sregs(v->fd, &sregs));
	ASSERT_EQ(0, nvmx_get_sregs(v->fd, &sregs));
	EXPECT_EQ(9, sregs.cr8);
}

/*
 * L1's TPR shadow for L2 (emulated): VMLAUNCH refuses a TPR threshold
 * above VTPR (VMfailValid 7); L2's MOVs to and from CR8 read and write
 * VTPR in L1's virtual-APIC page without exits to L1, and one that drops
 * VTPR below the threshold is a trap-like exit 43 that nvmx made up;
 * VMRESUME checks the threshold again.
 */
TEST_F_TIMEOUT(lapic, tpr_shadow_for_l2, LAPIC_TIMEOUT)
{
	struct vcpu *v = &self->vcpu[0];
	struct nvmx_nested_stats ns;
	__u64 val, flags;

	ASSERT_EQ(0, ioctl(self->vm.fd, NVMX_SET_EXPOSE_VMX, 1UL));
	VCPU_START(v, l1_test_tpr_shadow, 0, 0);
	VCPU_REPORT(v, 0xfa11);
	VCPU_REPORT(v, L1_RFLAGS_ZF);		/* VMfailValid */
	VCPU_REPORT(v, 7);			/* invalid control field */
	VCPU_REPORT(v, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	if (val == 0xfa11) {			/* the second VMLAUNCH failed */
		VCPU_OK(v, vcpu_report(v, &flags));
		VCPU_OK(v, vcpu_report(v, &val));
		ASSERT_EQ_MSG(0, 1, "VMLAUNCH with VTPR 0x50: flags %#llx, error %llu",
			      (unsigned long long)flags,
			      (unsigned long long)val);
	}
	EXPECT_EQ(18, val);			/* VMCALL */
	VCPU_REPORT(v, 6);			/* CR8 read back */
	VCPU_REPORT(v, 0x60);			/* VTPR */
	VCPU_REPORT(v, 43);			/* TPR below threshold */
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0x20);
	VCPU_REPORT(v, 0xfa11);			/* VMRESUME checks it too */
	VCPU_REPORT(v, L1_RFLAGS_ZF);
	VCPU_REPORT(v, 7);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 18);
	VCPU_REPORT(v, 2);
	ASSERT_EQ(0, nvmx_get_nested_stats(v->fd, &ns));
	EXPECT_EQ(1, ns.synthesized[43]);
	EXPECT_EQ(0, ns.reflected[28]);		/* no CR access reached L1 */
	EXPECT_LE(4, ns.l2_exits[28]);		/* but L0 saw them */
}

TEST_HARNESS_MAIN
