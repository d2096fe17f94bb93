/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host side of the VMM selftests: a VM whose memory holds this very
 * test program (its PT_LOAD segments at their link addresses, loaded by
 * tools/loader.c with its identity page tables), so that every guest_*()
 * function of guest.c runs in the guest as it is; its vCPUs, started in
 * long mode at one of those functions; and running them until the exit
 * a test expects.
 *
 * The helpers do not use the kselftest harness (that lives in the test
 * programs): they return 0, or a negative value with a one-line reason in
 * ->err, for ASSERT_EQ(0, vcpu_run_expect(...)) TH_LOG("%s", vcpu->err).
 */
#ifndef NVMX_SELFTEST_VMM_H
#define NVMX_SELFTEST_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/nvmx.h>

#include "libnvmx.h"
#include "loader.h"

/* Enough for the test program (linked at 0x400000, about 1 MiB) + stack. */
#define VM_MEM_SIZE		(8ULL << 20)
/* Each vCPU's stack is a slice of the loader's 64 KiB stack area. */
#define VCPU_STACK_SIZE		0x4000ULL
#define VM_MAX_VCPUS		(NVMX_LOADER_STACK_SIZE / VCPU_STACK_SIZE)
#define VM_ERR_LEN		1024

struct vm {
	int dev;		/* /dev/nvmx, -1 when closed */
	int fd;			/* the VM, -1 when closed */
	unsigned char *mem;	/* guest-physical 0 onwards, slot 0 */
	__u64 mem_size;
	struct nvmx_boot boot;
	char err[VM_ERR_LEN];
};

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;			/* -1 when closed */
	struct nvmx_run *run;	/* the run page, NULL when unmapped */
	size_t run_size;
	char err[VM_ERR_LEN];
};

/*
 * vm_create(): /dev/nvmx, a VM and @mem_size bytes of zeroed memory (not
 * yet given to the VM). vm_load(): the test program and the loader's
 * tables into that memory. vm_add_ram(): the memory as slot 0 at
 * guest-physical 0. vm_open(): all three.
 */
int vm_create(struct vm *vm, __u64 mem_size);
int vm_load(struct vm *vm);
int vm_add_ram(struct vm *vm);
int vm_open(struct vm *vm, __u64 mem_size);
/* Memory with the program loaded, and no VM: for vm_open_small(). */
int vm_template(struct vm *tmpl, __u64 mem_size);
/* A VM that can run only guest_exit, with @tmpl's tables: cheap to make. */
int vm_open_small(struct vm *vm, const struct vm *tmpl);
void vm_close(struct vm *vm);

/* The host's view of guest-physical @gpa (slot 0). */
void *vm_gpa(struct vm *vm, __u64 gpa);
/*
 * The guest's copy of what @ptr points to in this program (&variable, or
 * an array): guest-physical == guest-virtual == our address.
 */
#define GUEST(vm, ptr)	vm_gpa((vm), (uintptr_t)(ptr))

/* vCPU @id with its run page, the supported CPUID, in long mode. */
int vcpu_open(struct vm *vm, struct vcpu *vcpu, unsigned int id);
void vcpu_close(struct vcpu *vcpu);
/*
 * Make the vCPU start at @fn(@arg0, @arg1) on its own stack, returning to
 * guest_exit; all other general-purpose registers 0, RFLAGS 2.
 */
int vcpu_start(struct vcpu *vcpu, const void *fn, __u64 arg0, __u64 arg1);

/* One NVMX_RUN, which must succeed with exit @reason. */
int vcpu_run_expect(struct vcpu *vcpu, __u32 reason);
/*
 * The current exit must be an I/O exit with these properties; the run_
 * variant does one NVMX_RUN first.
 */
int vcpu_check_io(struct vcpu *vcpu, __u8 direction, __u16 port, __u8 size,
		  __u32 count);
int vcpu_run_io(struct vcpu *vcpu, __u8 direction, __u16 port, __u8 size,
		__u32 count);
/* The same for an MMIO exit of @len bytes at @gpa. */
int vcpu_check_mmio(struct vcpu *vcpu, __u64 gpa, __u32 len, bool is_write);
int vcpu_run_mmio(struct vcpu *vcpu, __u64 gpa, __u32 len, bool is_write);
/* The data of the current I/O exit. */
void *vcpu_io_data(struct vcpu *vcpu);
/* Run until the guest's next guest_report(): its value into *@val. */
int vcpu_report(struct vcpu *vcpu, __u64 *val);
/* The same when the current exit is already the report's first OUT. */
int vcpu_finish_report(struct vcpu *vcpu, __u64 *val);
/* The same, and the value must be @expected. */
int vcpu_expect_report(struct vcpu *vcpu, __u64 expected);
/* Describe the current exit (and RIP) into ->err, after @what. */
void vcpu_describe(struct vcpu *vcpu, const char *what);

/*
 * Run guest_migrate(@n, @seed) to its end, checking at each of its exits
 * the registers and memory it must have (computed here the same way);
 * @between, if not NULL, is called after each checked step and may fail.
 */
int vcpu_run_lcg(struct vcpu *v, __u64 n, __u64 seed,
		 int (*between)(struct vcpu *v, __u64 i, void *arg), void *arg);

/* A thread that sets a memory region while the vCPU runs. */
struct changer {
	struct vcpu *vcpu;
	__u32 slot;
	__u64 gpa;
	__u64 size;
	void *mem;		/* NULL: delete the slot */
	__u64 *count;		/* if set: change once the guest moved it */
	int go;			/* else: change once the vCPU thread says */
	int done;		/* the vCPU thread's run returned */
	int ret;		/* of NVMX_SET_MEMORY_REGION */
	int kicks;		/* needed to end a run that did not end */
};

/* The changer's thread function (pthread_create() it with a changer). */
void *changer_thread(void *arg);
/*
 * Run @c->vcpu while changer_thread(@c) changes its region in another
 * thread; the run must end in an MMIO read exit of 8 bytes at @gpa (the
 * guest's next read after the region went). Return: 0, or -1 with the
 * reason (the run's, or NVMX_SET_MEMORY_REGION's, and the kicks the run
 * needed) in @c->vcpu->err.
 */
int vcpu_run_mmio_after_change(struct changer *c, __u64 gpa);

/* A seed that differs between runs, so results cannot be canned. */
__u64 test_seed(void);
__u64 test_rand(__u64 *state);

#endif /* NVMX_SELFTEST_VMM_H */
