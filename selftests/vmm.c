// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host side of the VMM selftests (see vmm.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "lib.h"
#include "vmm.h"

static int fail(char *err, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, VM_ERR_LEN, fmt, ap);
	va_end(ap);
	return ret < 0 ? ret : -1;
}

/* This program's file, read once per process. */
static int self_image(const void **image, size_t *len, char *err)
{
	static void *buf;
	static size_t size;
	struct stat st;
	ssize_t n;
	size_t got;
	int fd;

	if (buf)
		goto out;
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, -errno, "/proc/self/exe: %s", strerror(errno));
	if (fstat(fd, &st)) {
		close(fd);
		return fail(err, -errno, "/proc/self/exe: %s", strerror(errno));
	}
	buf = malloc(st.st_size);
	if (!buf) {
		close(fd);
		return fail(err, -ENOMEM, "no memory for /proc/self/exe");
	}
	for (got = 0; got < (size_t)st.st_size; got += n) {
		n = read(fd, (char *)buf + got, st.st_size - got);
		if (n <= 0) {
			close(fd);
			free(buf);
			buf = NULL;
			return fail(err, n ? -errno : -EIO,
				    "reading /proc/self/exe failed");
		}
	}
	close(fd);
	size = got;
out:
	*image = buf;
	*len = size;
	return 0;
}

static int vm_alloc(struct vm *vm, __u64 mem_size)
{
	vm->mem_size = mem_size;
	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		return fail(vm->err, -errno, "mmap of %llu bytes: %s",
			    mem_size, strerror(errno));
	}
	return 0;
}

int vm_create(struct vm *vm, __u64 mem_size)
{
	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->dev = nvmx_open();
	if (vm->dev < 0)
		return fail(vm->err, vm->dev, "open /dev/nvmx: %s",
			    strerror(-vm->dev));
	vm->fd = nvmx_create_vm(vm->dev);
	if (vm->fd < 0)
		return fail(vm->err, vm->fd, "NVMX_CREATE_VM: %s",
			    strerror(-vm->fd));
	return vm_alloc(vm, mem_size);
}

int vm_template(struct vm *tmpl, __u64 mem_size)
{
	int ret;

	memset(tmpl, 0, sizeof(*tmpl));
	tmpl->dev = -1;
	tmpl->fd = -1;
	ret = vm_alloc(tmpl, mem_size);
	return ret ? ret : vm_load(tmpl);
}

int vm_load(struct vm *vm)
{
	char why[256] = "";
	const void *image = NULL;
	size_t len = 0;
	int ret;

	ret = self_image(&image, &len, vm->err);
	if (ret)
		return ret;
	ret = nvmx_load_elf(image, len, vm->mem, vm->mem_size, &vm->boot, why,
			    sizeof(why));
	if (ret)
		return fail(vm->err, ret, "loading /proc/self/exe: %s", why);
	return 0;
}

int vm_add_ram(struct vm *vm)
{
	int ret = nvmx_set_memory_region(vm->fd, 0, 0, 0, vm->mem_size,
					 vm->mem);

	if (ret)
		return fail(vm->err, ret, "NVMX_SET_MEMORY_REGION slot 0: %s",
			    strerror(-ret));
	return 0;
}

int vm_open(struct vm *vm, __u64 mem_size)
{
	int ret = vm_create(vm, mem_size);

	if (!ret)
		ret = vm_load(vm);
	if (!ret)
		ret = vm_add_ram(vm);
	return ret;
}

/*
 * Copying the whole program costs a lot of emulated instructions in Bochs;
 * guest_exit needs only the loader's tables and its own page.
 */
int vm_open_small(struct vm *vm, const struct vm *tmpl)
{
	__u64 page = (uintptr_t)guest_exit & ~0xfffULL;
	int ret = vm_create(vm, tmpl->mem_size);

	if (ret)
		return ret;
	memcpy(vm->mem, tmpl->mem, NVMX_LOADER_LOW_END);
	memcpy(vm->mem + page, tmpl->mem + page, 0x2000);	/* it may straddle */
	vm->boot = tmpl->boot;
	return vm_add_ram(vm);
}

void vm_close(struct vm *vm)
{
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->dev >= 0)
		close(vm->dev);
	vm->mem = NULL;
	vm->fd = -1;
	vm->dev = -1;
}

void *vm_gpa(struct vm *vm, __u64 gpa)
{
	return vm->mem + gpa;
}

static int vcpu_set_cpuid(struct vcpu *vcpu)
{
	struct nvmx_cpuid_entry table[NVMX_MAX_CPUID_ENTRIES];
	int n, ret;

	n = nvmx_get_supported_cpuid(vcpu->vm->dev, table, NVMX_MAX_CPUID_ENTRIES);
	if (n < 0)
		return fail(vcpu->err, n, "NVMX_GET_SUPPORTED_CPUID: %s",
			    strerror(-n));
	ret = nvmx_set_cpuid(vcpu->fd, table, n);
	if (ret)
		return fail(vcpu->err, ret, "NVMX_SET_CPUID of %d entries: %s",
			    n, strerror(-ret));
	return 0;
}

int vcpu_open(struct vm *vm, struct vcpu *vcpu, unsigned int id)
{
	int ret;

	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->fd = -1;
	vcpu->vm = vm;
	vcpu->id = id;
	if (id >= VM_MAX_VCPUS)
		return fail(vcpu->err, -EINVAL, "vCPU %u: no stack for it", id);
	vcpu->fd = nvmx_create_vcpu(vm->fd, id);
	if (vcpu->fd < 0)
		return fail(vcpu->err, vcpu->fd, "NVMX_CREATE_VCPU %u: %s", id,
			    strerror(-vcpu->fd));
	ret = nvmx_vcpu_mmap_size(vm->dev);
	if (ret < (int)sizeof(struct nvmx_run))
		return fail(vcpu->err, ret, "NVMX_GET_VCPU_MMAP_SIZE: %d", ret);
	vcpu->run_size = ret;
	ret = nvmx_map_run(vm->dev, vcpu->fd, &vcpu->run);
	if (ret) {
		vcpu->run = NULL;
		return fail(vcpu->err, ret, "mmap of the run page: %s",
			    strerror(-ret));
	}
	ret = vcpu_set_cpuid(vcpu);
	if (ret)
		return ret;
	ret = nvmx_setup_long_mode(vcpu->fd, &vm->boot);
	if (ret)
		return fail(vcpu->err, ret, "long mode setup: %s",
			    strerror(-ret));
	return 0;
}

void vcpu_close(struct vcpu *vcpu)
{
	if (vcpu->run)
		munmap(vcpu->run, vcpu->run_size);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}

int vcpu_start(struct vcpu *vcpu, const void *fn, __u64 arg0, __u64 arg1)
{
	struct nvmx_regs regs = { .rflags = 2 };
	__u64 rsp = vcpu->vm->boot.rsp - vcpu->id * VCPU_STACK_SIZE - 8;
	__u64 ret_addr = (uintptr_t)guest_exit;
	int ret;

	/* As if called: RSP + 8 is 16-byte aligned, the return address at RSP. */
	memcpy(vm_gpa(vcpu->vm, rsp), &ret_addr, sizeof(ret_addr));
	regs.rip = (uintptr_t)fn;
	regs.rsp = rsp;
	regs.rdi = arg0;
	regs.rsi = arg1;
	ret = nvmx_set_regs(vcpu->fd, &regs);
	if (ret)
		return fail(vcpu->err, ret, "NVMX_SET_REGS: %s", strerror(-ret));
	return 0;
}

/* Append to @buf (of @len bytes, @off used) without ever overflowing. */
static int append(char *buf, size_t len, int off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (off < 0 || (size_t)off >= len)
		return off;
	va_start(ap, fmt);
	n = vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
	return n < 0 ? off : off + n;
}

static int hexdump(char *buf, size_t len, int off, const void *data,
		   size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++)
		off = append(buf, len, off, "%02x", p[i]);
	return off;
}

static int describe_io(const struct nvmx_run *run, char *buf, size_t len,
		       int off)
{
	size_t n = (size_t)run->io.size * run->io.count;

	off = append(buf, len, off, " %s port %#x size %u count %u offset %llu data ",
		     run->io.direction == NVMX_EXIT_IO_OUT ? "out" : "in",
		     run->io.port, run->io.size, run->io.count,
		     run->io.data_offset);
	if (run->io.data_offset != NVMX_RUN_IO_DATA_OFFSET ||
	    n > NVMX_RUN_IO_DATA_SIZE)
		return append(buf, len, off, "(not in the data area)");
	return hexdump(buf, len, off, (const char *)run + run->io.data_offset,
		       n < 32 ? n : 32);
}

/* The union part of an exit, all of it that matters for its reason. */
static int describe_union(const struct nvmx_run *run, char *buf, size_t len,
			  int off)
{
	unsigned int i;

	switch (run->exit_reason) {
	case NVMX_EXIT_IO:
		return describe_io(run, buf, len, off);
	case NVMX_EXIT_MMIO:
		off = append(buf, len, off, " %s gpa %#llx len %u data ",
			     run->mmio.is_write ? "write" : "read",
			     run->mmio.phys_addr, run->mmio.len);
		return hexdump(buf, len, off, run->mmio.data, 8);
	case NVMX_EXIT_VMCALL:
		return append(buf, len, off,
			      " nr %#llx args %#llx %#llx %#llx %#llx",
			      run->vmcall.nr, run->vmcall.args[0],
			      run->vmcall.args[1], run->vmcall.args[2],
			      run->vmcall.args[3]);
	case NVMX_EXIT_FAIL_ENTRY:
		return append(buf, len, off,
			      " reason %#llx qualification %#llx cpu %u",
			      run->fail_entry.hardware_entry_failure_reason,
			      run->fail_entry.qualification,
			      run->fail_entry.cpu);
	case NVMX_EXIT_INTERNAL_ERROR:
		off = append(buf, len, off, " suberror %u ndata %u data",
			     run->internal.suberror, run->internal.ndata);
		for (i = 0; i < run->internal.ndata && i < 16; i++)
			off = append(buf, len, off, " %#llx",
				     run->internal.data[i]);
		return off;
	}
	return off;
}

void vcpu_describe(struct vcpu *vcpu, const char *what)
{
	const struct nvmx_run *run = vcpu->run;
	struct nvmx_regs regs;
	char *buf = vcpu->err;
	int off;

	off = append(buf, VM_ERR_LEN, 0, "%s: exit %u (%s)", what,
		     run->exit_reason, nvmx_exit_name(run->exit_reason));
	off = describe_union(run, buf, VM_ERR_LEN, off);
	if (!nvmx_get_regs(vcpu->fd, &regs))
		append(buf, VM_ERR_LEN, off,
		       "; rip %#llx rsp %#llx rax %#llx rflags %#llx",
		       regs.rip, regs.rsp, regs.rax, regs.rflags);
}

int vcpu_run_expect(struct vcpu *vcpu, __u32 reason)
{
	char what[96];
	int ret = nvmx_run(vcpu->fd);

	if (ret < 0) {
		snprintf(what, sizeof(what), "NVMX_RUN failed: %s (expected %s)",
			 strerror(-ret), nvmx_exit_name(reason));
		vcpu_describe(vcpu, what);
		return ret;
	}
	if (vcpu->run->exit_reason != reason) {
		snprintf(what, sizeof(what), "expected %s",
			 nvmx_exit_name(reason));
		vcpu_describe(vcpu, what);
		return -1;
	}
	return 0;
}

int vcpu_check_io(struct vcpu *vcpu, __u8 direction, __u16 port, __u8 size,
		  __u32 count)
{
	const struct nvmx_run *run = vcpu->run;
	char what[96];

	if (run->exit_reason == NVMX_EXIT_IO && run->io.direction == direction &&
	    run->io.port == port && run->io.size == size &&
	    run->io.count == count &&
	    run->io.data_offset == NVMX_RUN_IO_DATA_OFFSET &&
	    (__u64)size * count <= NVMX_RUN_IO_DATA_SIZE)
		return 0;
	snprintf(what, sizeof(what),
		 "expected io %s port %#x size %u count %u offset %u",
		 direction == NVMX_EXIT_IO_OUT ? "out" : "in", port, size, count,
		 NVMX_RUN_IO_DATA_OFFSET);
	vcpu_describe(vcpu, what);
	return -1;
}

int vcpu_run_io(struct vcpu *vcpu, __u8 direction, __u16 port, __u8 size,
		__u32 count)
{
	int ret = vcpu_run_expect(vcpu, NVMX_EXIT_IO);

	return ret ? ret : vcpu_check_io(vcpu, direction, port, size, count);
}

int vcpu_check_mmio(struct vcpu *vcpu, __u64 gpa, __u32 len, bool is_write)
{
	const struct nvmx_run *run = vcpu->run;
	char what[96];

	if (run->exit_reason == NVMX_EXIT_MMIO && run->mmio.phys_addr == gpa &&
	    run->mmio.len == len && run->mmio.is_write == is_write)
		return 0;
	snprintf(what, sizeof(what), "expected mmio %s gpa %#llx len %u",
		 is_write ? "write" : "read", gpa, len);
	vcpu_describe(vcpu, what);
	return -1;
}

int vcpu_run_mmio(struct vcpu *vcpu, __u64 gpa, __u32 len, bool is_write)
{
	int ret = vcpu_run_expect(vcpu, NVMX_EXIT_MMIO);

	return ret ? ret : vcpu_check_mmio(vcpu, gpa, len, is_write);
}

void *vcpu_io_data(struct vcpu *vcpu)
{
	return (char *)vcpu->run + vcpu->run->io.data_offset;
}

int vcpu_finish_report(struct vcpu *vcpu, __u64 *val)
{
	__u32 lo, hi;
	int ret;

	ret = vcpu_check_io(vcpu, NVMX_EXIT_IO_OUT, GUEST_PORT_REPORT_LO, 4, 1);
	if (ret)
		return ret;
	memcpy(&lo, vcpu_io_data(vcpu), 4);
	ret = vcpu_run_io(vcpu, NVMX_EXIT_IO_OUT, GUEST_PORT_REPORT_HI, 4, 1);
	if (ret)
		return ret;
	memcpy(&hi, vcpu_io_data(vcpu), 4);
	*val = (__u64)hi << 32 | lo;
	return 0;
}

int vcpu_report(struct vcpu *vcpu, __u64 *val)
{
	int ret = vcpu_run_expect(vcpu, NVMX_EXIT_IO);

	return ret ? ret : vcpu_finish_report(vcpu, val);
}

int vcpu_expect_report(struct vcpu *vcpu, __u64 expected)
{
	__u64 val;
	int ret = vcpu_report(vcpu, &val);

	if (ret)
		return ret;
	if (val != expected)
		return fail(vcpu->err, -1, "the guest reported %#llx, expected %#llx",
			    val, expected);
	return 0;
}

/* One step of guest_migrate: the OUT of iteration @i, and its state. */
static int lcg_check(struct vcpu *v, __u64 i, __u64 a, __u64 b)
{
	__u64 *mix = GUEST(v->vm, guest_buf_out);
	struct nvmx_regs regs;
	__u32 data;
	int ret;

	ret = vcpu_run_io(v, NVMX_EXIT_IO_OUT, GUEST_PORT_MIGRATE, 4, 1);
	if (ret)
		return ret;
	memcpy(&data, vcpu_io_data(v), 4);
	ret = nvmx_get_regs(v->fd, &regs);
	if (ret)
		return fail(v->err, ret, "NVMX_GET_REGS: %s", strerror(-ret));
	if (data != (__u32)i || regs.rbx != a || regs.rsi != b)
		return fail(v->err, -1,
			    "step %llu: OUT %#x, RBX %#llx, RSI %#llx; expected %#llx, %#llx, %#llx",
			    i, data, regs.rbx, regs.rsi, i, a, b);
	if (mix[i % GUEST_BUF_WORDS] != (a ^ b))
		return fail(v->err, -1, "step %llu: memory %#llx, expected %#llx",
			    i, mix[i % GUEST_BUF_WORDS], a ^ b);
	return 0;
}

int vcpu_run_lcg(struct vcpu *v, __u64 n, __u64 seed,
		 int (*between)(struct vcpu *v, __u64 i, void *arg), void *arg)
{
	__u64 a = seed, b = ~seed, i;
	int ret;

	ret = vcpu_start(v, guest_migrate, n, seed);
	for (i = 0; !ret && i < n; i++) {
		guest_migrate_step(&a, &b);
		ret = lcg_check(v, i, a, b);
		if (!ret && between)
			ret = between(v, i, arg);
	}
	return ret ? ret : vcpu_run_expect(v, NVMX_EXIT_HLT);
}

__u64 test_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (__u64)getpid() << 32 ^
	       (__u64)ts.tv_sec;
}

/* xorshift64*: good enough to make values unpredictable, never 0. */
__u64 test_rand(__u64 *state)
{
	__u64 x = *state ? *state : 0x2545f4914f6cdd1dULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static bool changer_may_go(struct changer *c)
{
	return c->count ? READ_ONCE(*c->count) != 0 :
			  __atomic_load_n(&c->go, __ATOMIC_ACQUIRE);
}

/*
 * Change the slot when told (or after 60 s), then kick the vCPU (every
 * second) only if its run has not ended 20 s later, so that a lost change
 * fails the test instead of hanging it.
 */
void *changer_thread(void *arg)
{
	struct changer *c = arg;
	double t0 = monotonic_seconds();

	while (!changer_may_go(c) && monotonic_seconds() - t0 < 60)
		sched_yield();
	c->ret = nvmx_set_memory_region(c->vcpu->vm->fd, c->slot, 0, c->gpa,
					c->mem ? c->size : 0, c->mem);
	t0 = monotonic_seconds();
	while (!__atomic_load_n(&c->done, __ATOMIC_ACQUIRE)) {
		if (monotonic_seconds() - t0 > 20) {
			nvmx_kick(c->vcpu->fd);
			c->kicks++;
			t0 += 1;
		}
		sched_yield();
	}
	return NULL;
}

int vcpu_run_mmio_after_change(struct changer *c, __u64 gpa)
{
	struct vcpu *v = c->vcpu;
	size_t len;
	pthread_t t;
	int ret;

	ret = pthread_create(&t, NULL, changer_thread, c);
	if (ret) {
		snprintf(v->err, sizeof(v->err), "pthread_create: %s",
			 strerror(ret));
		return -1;
	}
	ret = vcpu_run_mmio(v, gpa, 8, false);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	if (!ret && c->ret)
		snprintf(v->err, sizeof(v->err),
			 "NVMX_SET_MEMORY_REGION: %s", strerror(-c->ret));
	if (ret || c->ret) {
		len = strlen(v->err);
		snprintf(v->err + len, sizeof(v->err) - len, " (kicks: %d)",
			 c->kicks);
		return -1;
	}
	return 0;
}
