// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bad arguments of the VMM's ioctls, each with its errno: memory regions,
 * MSR lists, CPUID tables, registers, interrupts, pointers that cannot be
 * read or written, ioctls on the wrong kind of fd and on a closed one.
 * After each refusal, what a valid call then does shows that the refused
 * one changed nothing.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/nvmx.h>

#include "lib.h"
#include "vmm_harness.h"

/* Addresses that are not user memory. */
#define KERNEL_ADDR		0xffff888000000000ULL
#define KERNEL_ADDR_TOP		0xffff800000000000ULL

FIXTURE(err) {
	struct vm vm;
	struct vcpu vcpu;
	void *buf;		/* 64 KiB of valid user memory */
};

FIXTURE_SETUP(err)
{
	if (!nvmx_loaded())
		ASSERT_EQ(0, nvmx_load());
	VM_OK(&self->vm, vm_open(&self->vm, VM_MEM_SIZE));
	VCPU_OK(&self->vcpu, vcpu_open(&self->vm, &self->vcpu, 0));
	self->buf = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->buf);
}

FIXTURE_TEARDOWN(err)
{
	munmap(self->buf, 0x10000);
	vcpu_close(&self->vcpu);
	vm_close(&self->vm);
	EXPECT_EQ(0, nvmx_debugfs("vcpus"));
	EXPECT_EQ(0, nvmx_debugfs("vms"));
}

/* ioctl() as 0 or -errno. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int region(int vm, __u32 slot, __u32 flags, __u64 gpa, __u64 size,
		  __u64 uaddr, __u64 reserved)
{
	struct nvmx_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = uaddr,
		.reserved = { reserved },
	};

	return xioctl(vm, NVMX_SET_MEMORY_REGION, &r);
}

TEST_F(err, set_memory_region)
{
	__u64 mem = self->vm.mem_size, buf = (uintptr_t)self->buf;
	__u64 gpa = 0x10000000, size = 0x10000;
	int vm = self->vm.fd;

	EXPECT_EQ(-EINVAL, region(vm, 1, 0, gpa + 0x800, size, buf, 0));
	EXPECT_EQ(-EINVAL, region(vm, 1, 0, gpa, 0x1800, buf, 0));
	EXPECT_EQ(-EINVAL, region(vm, 1, 0, gpa, size, buf + 0x10, 0));
	/* Slot 0 holds [0, mem): any overlap with it, or a move of it. */
	EXPECT_EQ(-EEXIST, region(vm, 1, 0, 0x1000, 0x1000, buf, 0));
	EXPECT_EQ(-EEXIST, region(vm, 1, 0, mem - 0x1000, 0x2000, buf, 0));
	EXPECT_EQ(-EEXIST, region(vm, 0, 0, gpa, size, buf, 0));
	/* Guest-physical range wrapping around, or beyond any MAXPHYADDR. */
	EXPECT_EQ(-EINVAL, region(vm, 1, 0, 0xfffffffffffff000ULL, 0x2000,
				  buf, 0));
	EXPECT_EQ(-EINVAL, region(vm, 1, 0, 1ULL << 52, size, buf, 0));
	/* User memory outside user space. */
	EXPECT_EQ(-EFAULT, region(vm, 1, 0, gpa, size, KERNEL_ADDR_TOP, 0));
	EXPECT_EQ(-EINVAL, region(vm, NVMX_MAX_MEMORY_SLOTS, 0, gpa, size,
				  buf, 0));
	EXPECT_EQ(-EINVAL, region(vm, 1, 1U << 1, gpa, size, buf, 0));
	EXPECT_EQ(-EINVAL, region(vm, 1, 1U << 31, gpa, size, buf, 0));
	EXPECT_EQ(-EINVAL, region(vm, 1, 0, gpa, size, buf, 1));
	EXPECT_EQ(-ENOENT, region(vm, 5, 0, 0, 0, 0, 0));
	EXPECT_EQ(-EFAULT, xioctl(vm, NVMX_SET_MEMORY_REGION, NULL));
	/* Slot 1 is still free, and slot 0 where it was. */
	EXPECT_EQ(0, region(vm, 1, 0, gpa, size, buf, 0));
	EXPECT_EQ(0, region(vm, 1, 0, gpa, 0, 0, 0));
	EXPECT_EQ(-EEXIST, region(vm, 1, 0, 0, 0x1000, buf, 0));
}

static int msrs(int vcpu, unsigned long req, __u32 n, __u64 entries,
		__u32 reserved)
{
	struct nvmx_msrs m = {
		.nmsrs = n,
		.reserved = reserved,
		.entries = entries,
	};
	int ret = ioctl(vcpu, req, &m);

	return ret < 0 ? -errno : ret;
}

TEST_F(err, msr_lists)
{
	static struct nvmx_msr_entry e[NVMX_MAX_MSR_ENTRIES + 1];
	const unsigned long req[2] = { NVMX_GET_MSRS, NVMX_SET_MSRS };
	int fd = self->vcpu.fd, i;
	__u64 p = (uintptr_t)e;

	for (i = 0; i < NVMX_MAX_MSR_ENTRIES + 1; i++)
		e[i] = (struct nvmx_msr_entry){ .index = 0xc0000081 };
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(-E2BIG, msrs(fd, req[i], NVMX_MAX_MSR_ENTRIES + 1, p, 0));
		EXPECT_EQ(-EFAULT, msrs(fd, req[i], 1, 0, 0));
		EXPECT_EQ(-EFAULT, msrs(fd, req[i], 1, KERNEL_ADDR, 0));
		EXPECT_EQ(-EINVAL, msrs(fd, req[i], 1, p, 1));
		e[1].reserved = 1;	/* in an entry: nothing is done */
		EXPECT_EQ(-EINVAL, msrs(fd, req[i], 2, p, 0));
		e[1].reserved = 0;
		EXPECT_EQ(-EFAULT, xioctl(fd, req[i], NULL));
		/* The largest list is fine. */
		EXPECT_EQ(NVMX_MAX_MSR_ENTRIES,
			  msrs(fd, req[i], NVMX_MAX_MSR_ENTRIES, p, 0));
	}
}

static int cpuid(int fd, unsigned long req, __u32 n, __u64 entries,
		 __u32 reserved)
{
	struct nvmx_cpuid c = {
		.nent = n,
		.reserved = reserved,
		.entries = entries,
	};

	return xioctl(fd, req, &c);
}

TEST_F(err, cpuid_tables)
{
	static struct nvmx_cpuid_entry e[NVMX_MAX_CPUID_ENTRIES + 1];
	int fd = self->vcpu.fd, dev = self->vm.dev, i;
	__u64 p = (uintptr_t)e;

	for (i = 0; i < NVMX_MAX_CPUID_ENTRIES + 1; i++)
		e[i] = (struct nvmx_cpuid_entry){ .function = 0x40000100 + i };
	EXPECT_EQ(-E2BIG, cpuid(fd, NVMX_SET_CPUID, NVMX_MAX_CPUID_ENTRIES + 1,
				p, 0));
	EXPECT_EQ(-EFAULT, cpuid(fd, NVMX_SET_CPUID, 1, 0, 0));
	EXPECT_EQ(-EFAULT, cpuid(fd, NVMX_SET_CPUID, 1, KERNEL_ADDR, 0));
	EXPECT_EQ(-EINVAL, cpuid(fd, NVMX_SET_CPUID, 1, p, 1));
	e[1].reserved = 1;
	EXPECT_EQ(-EINVAL, cpuid(fd, NVMX_SET_CPUID, 2, p, 0));
	e[1].reserved = 0;
	e[1].flags = 1U << 1;	/* only SIGNIFICANT_INDEX exists */
	EXPECT_EQ(-EINVAL, cpuid(fd, NVMX_SET_CPUID, 2, p, 0));
	e[1].flags = 0;
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_SET_CPUID, NULL));
	EXPECT_EQ(0, cpuid(fd, NVMX_SET_CPUID, NVMX_MAX_CPUID_ENTRIES, p, 0));
	/* The host has more than one leaf: a table of one is too small. */
	EXPECT_EQ(-E2BIG, cpuid(dev, NVMX_GET_SUPPORTED_CPUID, 1, p, 0));
	EXPECT_EQ(-EFAULT, cpuid(dev, NVMX_GET_SUPPORTED_CPUID,
				 NVMX_MAX_CPUID_ENTRIES, KERNEL_ADDR, 0));
	EXPECT_EQ(-EFAULT, xioctl(dev, NVMX_GET_SUPPORTED_CPUID, NULL));
	EXPECT_LT(1, nvmx_get_supported_cpuid(dev, e, NVMX_MAX_CPUID_ENTRIES));
}

/* RFLAGS must have bit 1 set and bits 3, 5, 15, 63:22 clear. */
TEST_F(err, set_regs_rflags)
{
	const __u64 bad[] = {
		0, 0x2 | 1ULL << 3, 0x2 | 1ULL << 5, 0x2 | 1ULL << 15,
		0x2 | 1ULL << 22, 0x2 | 1ULL << 63,
	};
	struct nvmx_regs regs, now;
	int fd = self->vcpu.fd;
	unsigned int i;

	ASSERT_EQ(0, nvmx_get_regs(fd, &regs));
	regs.rax = 0x1234;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		regs.rflags = bad[i];
		EXPECT_EQ_MSG(-EINVAL, nvmx_set_regs(fd, &regs), "RFLAGS %#llx",
			      bad[i]);
	}
	ASSERT_EQ(0, nvmx_get_regs(fd, &now));
	EXPECT_EQ(2, now.rflags);
	EXPECT_NE(0x1234, now.rax);
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_SET_REGS, NULL));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_REGS, NULL));
}

/*
 * Reserved bits of CR0, CR4 and EFER, the reserved words, a TPR above 15,
 * and CR4.VMXE (nested VMX is not exposed).
 */
TEST_F(err, set_sregs_reserved_bits)
{
	struct nvmx_sregs s, t;
	int fd = self->vcpu.fd, i;

	ASSERT_EQ(0, nvmx_get_sregs(fd, &s));
	for (i = 0; i < 8; i++) {
		t = s;
		switch (i) {
		case 0:
			t.cr0 |= 1ULL << 32;
			break;
		case 1:
			t.cr4 |= 1ULL << 63;
			break;
		case 2:
			t.efer |= 1ULL << 1;
			break;
		case 3:
			t.efer |= 1ULL << 63;
			break;
		case 4:
			t.reserved[0] = 1;
			break;
		case 5:
			t.reserved[3] = 1;
			break;
		case 6:
			t.cr8 = 16;
			break;
		case 7:
			t.cr4 |= 1ULL << 13;
			break;
		}
		EXPECT_EQ_MSG(-EINVAL, nvmx_set_sregs(fd, &t), "case %d", i);
	}
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_SET_SREGS, NULL));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_SREGS, NULL));
	ASSERT_EQ(0, nvmx_get_sregs(fd, &t));
	EXPECT_EQ(s.cr0, t.cr0);
	EXPECT_EQ(s.cr4, t.cr4);
	EXPECT_EQ(s.efer, t.efer);
	EXPECT_EQ(s.cr8, t.cr8);
}

/*
 * With CR4.PCIDE set, CR3 bits 11:0 are the PCID: a state the guest
 * reaches with MOV to CR3 (and L1's host CR3 at a VM exit, as Linux's
 * KVM writes it), so it is taken. PCIDE outside IA-32e mode is refused.
 */
TEST_F(err, set_sregs_cr3_with_pcid)
{
	const __u64 pcide = 1ULL << 17, pg = 1ULL << 31, lma = 1ULL << 10;
	unsigned int a, b, c = 0, d;
	struct nvmx_sregs s, t;
	int fd = self->vcpu.fd;

	__get_cpuid(1, &a, &b, &c, &d);
	if (!(c & (1U << 17)))
		SKIP(return, "the CPU has no PCID");
	ASSERT_EQ(0, nvmx_get_sregs(fd, &s));
	ASSERT_NE(0, s.efer & lma);	/* the loader's 64-bit guest */
	t = s;
	t.cr4 |= pcide;
	t.cr3 = (s.cr3 & ~0xfffULL) | 5;
	ASSERT_EQ(0, nvmx_set_sregs(fd, &t));
	ASSERT_EQ(0, nvmx_get_sregs(fd, &t));
	EXPECT_EQ((s.cr3 & ~0xfffULL) | 5, t.cr3);
	EXPECT_EQ(pcide, t.cr4 & pcide);
	/* Paging off: no IA-32e mode, where PCIDE is refused. */
	t = s;
	t.cr0 &= ~pg;
	t.efer &= ~lma;
	t.cr3 &= ~0xfffULL;
	ASSERT_EQ(0, nvmx_set_sregs(fd, &t));
	t.cr4 |= pcide;
	EXPECT_EQ(-EINVAL, nvmx_set_sregs(fd, &t));
	ASSERT_EQ(0, nvmx_get_sregs(fd, &t));
	EXPECT_EQ(0, t.cr4 & pcide);
	ASSERT_EQ(0, nvmx_set_sregs(fd, &s));
}

static int interrupt(int fd, __u32 vector, __u32 reserved)
{
	struct nvmx_interrupt irq = { .vector = vector, .reserved = reserved };

	return xioctl(fd, NVMX_INTERRUPT, &irq);
}

TEST_F(err, interrupt_vectors)
{
	int fd = self->vcpu.fd;

	EXPECT_EQ(-EINVAL, interrupt(fd, 0, 0));
	EXPECT_EQ(-EINVAL, interrupt(fd, 2, 0));
	EXPECT_EQ(-EINVAL, interrupt(fd, 31, 0));
	EXPECT_EQ(-EINVAL, interrupt(fd, 256, 0));
	EXPECT_EQ(-EINVAL, interrupt(fd, 32, 1));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_INTERRUPT, NULL));
	/* None of those was queued: this one is, and then it is busy. */
	EXPECT_EQ(0, interrupt(fd, 32, 0));
	EXPECT_EQ(-EBUSY, interrupt(fd, 255, 0));
}

TEST_F(err, pointers_that_cannot_be_written)
{
	int fd = self->vcpu.fd, dev = self->vm.dev;

	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_STATS, NULL));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_STATS, (void *)KERNEL_ADDR));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_NESTED_STATS, NULL));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_NESTED_STATS,
				  (void *)KERNEL_ADDR));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_REGS, (void *)KERNEL_ADDR));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_SREGS, (void *)KERNEL_ADDR));
	EXPECT_EQ(-EFAULT, xioctl(dev, NVMX_GET_VMX_CAPS, NULL));
	/* Read-only memory cannot take the answer either. */
	ASSERT_EQ(0, mprotect(self->buf, 0x10000, PROT_READ));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_STATS, self->buf));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_NESTED_STATS, self->buf));
	EXPECT_EQ(-EFAULT, xioctl(fd, NVMX_GET_REGS, self->buf));
}

/* Each request on the kinds of fd it does not belong to. */
TEST_F(err, ioctls_on_the_wrong_fd)
{
	const struct {
		unsigned long req;
		int on;			/* 0: the system, 1: a VM, 2: a vCPU */
	} reqs[] = {
		{ NVMX_GET_VCPU_MMAP_SIZE, 0 }, { NVMX_GET_SUPPORTED_CPUID, 0 },
		{ NVMX_SET_MEMORY_REGION, 1 }, { NVMX_GET_VM_STATE, 1 },
		{ NVMX_STOP_VM, 1 }, { NVMX_RUN, 2 }, { NVMX_GET_SREGS, 2 },
		{ NVMX_SET_SREGS, 2 }, { NVMX_GET_MSRS, 2 }, { NVMX_SET_MSRS, 2 },
		{ NVMX_SET_CPUID, 2 }, { NVMX_GET_STATS, 2 },
		{ NVMX_INTERRUPT, 2 }, { NVMX_NMI, 2 }, { NVMX_KICK, 2 },
		{ NVMX_GET_NESTED_STATS, 2 },
	};
	int fds[3] = { self->vm.dev, self->vm.fd, self->vcpu.fd };
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		for (k = 0; k < 3; k++) {
			if ((int)k == reqs[i].on)
				continue;
			EXPECT_EQ_MSG(-ENOTTY, xioctl(fds[k], reqs[i].req,
						      self->buf),
				      "request %#lx on fd kind %u", reqs[i].req, k);
		}
	}
}

/* The run page is one page at offset 0 of the vCPU fd. */
TEST_F(err, run_page_mapping)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = self->vcpu.fd;
	void *p;

	EXPECT_EQ(page, nvmx_vcpu_mmap_size(self->vm.dev));
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
}

/* The argument of the vCPU's _IO ioctls is reserved. */
TEST_F(err, argument_must_be_zero)
{
	int fd = self->vcpu.fd;

	EXPECT_EQ(-EINVAL, xioctl(fd, NVMX_RUN, (void *)1));
	EXPECT_EQ(-EINVAL, xioctl(fd, NVMX_KICK, (void *)1));
	EXPECT_EQ(-EINVAL, xioctl(fd, NVMX_NMI, (void *)1));
}

/*
 * Guest memory is in the address space of the process that created the
 * VM: another process (a fork) gets EIO from the vCPU and the VM.
 */
TEST_F(err, another_process_gets_eio)
{
	struct nvmx_regs regs;
	int status, bad = 0;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		bad |= (xioctl(self->vcpu.fd, NVMX_GET_REGS, &regs) != -EIO);
		bad |= (xioctl(self->vcpu.fd, NVMX_RUN, NULL) != -EIO) << 1;
		bad |= (region(self->vm.fd, 1, 0, 0x10000000, 0x10000,
			       (uintptr_t)self->buf, 0) != -EIO) << 2;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("not EIO (bits): 1 GET_REGS, 2 RUN, 4 SET_MEMORY_REGION");
	/* And the creator still can. */
	EXPECT_EQ(0, nvmx_get_regs(self->vcpu.fd, &regs));
}

/* A closed vCPU fd is no vCPU any more, whatever its number was. */
TEST_F(err, ioctls_on_a_closed_fd)
{
	int fd = self->vcpu.fd;

	close(fd);
	self->vcpu.fd = -1;
	EXPECT_EQ(-EBADF, xioctl(fd, NVMX_RUN, NULL));
	EXPECT_EQ(-EBADF, xioctl(fd, NVMX_KICK, NULL));
	EXPECT_EQ(-EBADF, xioctl(-1, NVMX_CREATE_VM, NULL));
}

TEST_HARNESS_MAIN
