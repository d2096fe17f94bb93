// SPDX-License-Identifier: GPL-2.0-only
/*
 * The demo guests of `nvmx run` (tools/guests/), run without the module:
 * the image is loaded by the real loader and mapped at its link address
 * in this process, then entered on a stack of its own as 64-bit user code.
 * The instructions that need the VMM (IN, OUT, HLT, CLI, VMCALL, MOV from
 * CR0/CR4, the MMIO load, UD2) fault at CPL 3; the signal handler turns
 * each into the exit NVMX_RUN would return and hands it to the real
 * vmm_handle_exit(), then skips the instruction.
 *
 * What this checks: the guests' code (entry, stack, console driver, their
 * own checks) and exits.c together. What it cannot: the module, paging,
 * the segment setup. CPUID runs natively and shows the host's vendor.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../tools/loader.h"
#include "../../tools/vmm.h"

#define GUEST_DIR	"../../tools/guests/"
#define MEM_SIZE	(16 << 20)
#define GUEST_BASE	0x100000UL	/* tools/guests/guest.ld */
#define STACK_SIZE	0x10000
#define ALT_STACK_SIZE	0x40000

static struct vmm vmm;
static struct nvmx_run *run;
static sigjmp_buf guest_done;
static char sim_error[160];	/* why the simulation gave up, if it did */

/* ucontext register of x86 register number 0-15 (ModRM order). */
static const int gpr[16] = {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

static enum vmm_action exit_to_vmm(__u32 reason)
{
	run->exit_reason = reason;
	return vmm_handle_exit(&vmm, &vmm.vcpus[0]);
}

/* A one-byte IN or OUT through AL. */
static enum vmm_action port_io(greg_t *r, __u8 dir, __u16 port)
{
	__u8 *data = (__u8 *)run + NVMX_RUN_IO_DATA_OFFSET;
	enum vmm_action a;

	run->io.direction = dir;
	run->io.size = 1;
	run->io.port = port;
	run->io.count = 1;
	run->io.data_offset = NVMX_RUN_IO_DATA_OFFSET;
	*data = r[REG_RAX];
	a = exit_to_vmm(NVMX_EXIT_IO);
	if (dir == NVMX_EXIT_IO_IN)
		r[REG_RAX] = (r[REG_RAX] & ~0xffULL) | *data;
	return a;
}

/*
 * MOV r32, [r64 + disp] (8B; no SIB, no RIP-relative) that faulted on
 * @addr: an MMIO read. Return: the length after the prefix, or -1.
 */
static int mmio_load(greg_t *r, const __u8 *ip, unsigned int rex,
		     void *addr, enum vmm_action *a)
{
	unsigned int modrm = ip[1], mod = modrm >> 6;
	unsigned int rm = (modrm & 7) | (rex & 1) << 3;
	unsigned int reg = (modrm >> 3 & 7) | (rex & 4) << 1;
	int len = 2 + (mod == 1) + 4 * (mod == 2);
	__s32 disp = 0;
	__u32 val;

	if (mod == 1)
		disp = (__s8)ip[2];
	else if (mod == 2)
		memcpy(&disp, ip + 2, 4);
	if (mod == 3 || (modrm & 7) == 4 || (mod == 0 && (modrm & 7) == 5) ||
	    (__u64)r[gpr[rm]] + disp != (uintptr_t)addr || (rex & 8))
		return -1;
	run->mmio.phys_addr = (uintptr_t)addr;
	run->mmio.len = 4;
	run->mmio.is_write = 0;
	*a = exit_to_vmm(NVMX_EXIT_MMIO);
	memcpy(&val, run->mmio.data, 4);
	r[gpr[reg]] = val;		/* a 32-bit load zero-extends */
	return len;
}

/* 0F xx: VMCALL, MOV from a control register, UD2. */
static int two_byte(greg_t *r, const __u8 *ip, unsigned int rex,
		    enum vmm_action *a)
{
	unsigned int cr = (ip[2] >> 3 & 7) | (rex & 4) << 1;
	unsigned int rm = (ip[2] & 7) | (rex & 1) << 3;

	if (ip[1] == 0x01 && ip[2] == 0xc1) {
		run->vmcall.nr = r[REG_RAX];
		*a = exit_to_vmm(NVMX_EXIT_VMCALL);
		r[REG_RAX] = run->vmcall.ret;
		return 3;
	}
	if (ip[1] == 0x20 && ip[2] >> 6 == 3 && (cr == 0 || cr == 4)) {
		/* What nvmx_setup_long_mode() sets. */
		r[gpr[rm]] = cr ? 0x620 : 0x80050033;
		return 3;
	}
	if (ip[1] == 0x0b) {		/* #UD, no IDT: a triple fault */
		*a = exit_to_vmm(NVMX_EXIT_SHUTDOWN);
		return 2;
	}
	return -1;
}

/* Emulate the instruction at RIP. Return: its length, or -1. */
static int emulate(greg_t *r, void *addr, enum vmm_action *a)
{
	const __u8 *ip = (const __u8 *)r[REG_RIP];
	unsigned int rex = 0, n = 0;
	int len;

	*a = VMM_CONTINUE;
	if ((ip[0] & 0xf0) == 0x40)
		rex = ip[n++];
	switch (ip[n]) {
	case 0xfa:			/* CLI */
		return n + 1;
	case 0xf4:			/* HLT */
		*a = exit_to_vmm(NVMX_EXIT_HLT);
		return n + 1;
	case 0xee:			/* OUT DX, AL */
	case 0xec:			/* IN AL, DX */
		*a = port_io(r, ip[n] == 0xee, r[REG_RDX]);
		return n + 1;
	case 0xe6:			/* OUT imm8, AL */
	case 0xe4:			/* IN AL, imm8 */
		*a = port_io(r, ip[n] == 0xe6, ip[n + 1]);
		return n + 2;
	case 0x8b:
		len = mmio_load(r, ip + n, rex, addr, a);
		return len < 0 ? len : (int)n + len;
	case 0x0f:
		len = two_byte(r, ip + n, rex, a);
		return len < 0 ? len : (int)n + len;
	}
	return -1;
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	greg_t *r = ((ucontext_t *)ctx)->uc_mcontext.gregs;
	const __u8 *ip = (const __u8 *)r[REG_RIP];
	enum vmm_action a;
	int len = emulate(r, si->si_addr, &a);

	if (len < 0) {
		snprintf(sim_error, sizeof(sim_error),
			 "signal %d at %p (%02x %02x %02x %02x), address %p",
			 sig, ip, ip[0], ip[1], ip[2], ip[3], si->si_addr);
		siglongjmp(guest_done, 1);
	}
	if (a != VMM_CONTINUE)
		siglongjmp(guest_done, 1);
	r[REG_RIP] += len;
}

/* What the SIGINT handler of run.c does, for the guest that never ends. */
static void on_alarm(int sig)
{
	vmm_set_status(&vmm, RUN_INTERRUPTED);
	siglongjmp(guest_done, 1);
}

static void catch_signals(void)
{
	static stack_t alt;
	struct sigaction sa = { .sa_sigaction = on_fault,
				.sa_flags = SA_SIGINFO | SA_ONSTACK };

	alt.ss_sp = malloc(ALT_STACK_SIZE);
	alt.ss_size = ALT_STACK_SIZE;
	sigaltstack(&alt, NULL);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGALRM, &sa, NULL);
}

/* Jump to @entry on the stack @rsp with RDI = @id; never returns. */
static void enter(__u64 entry, __u64 rsp, __u64 id)
{
	asm volatile("mov %0, %%rsp\n\tjmp *%1"
		     : : "r"(rsp), "r"(entry), "D"(id) : "memory");
	__builtin_unreachable();
}

/* Load tools/guests/@name as nvmx run would. Return: the image's size. */
static size_t load(struct __test_metadata *_metadata, const char *name,
		   void *mem, struct nvmx_boot *boot)
{
	char path[256], err[256] = "";
	static char image[1 << 20];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), GUEST_DIR "%s", name);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("%s: build tools/guests first", path);
	len = read(fd, image, sizeof(image));
	close(fd);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, nvmx_load_elf(image, len, mem, MEM_SIZE, boot, err,
				   sizeof(err))) TH_LOG("%s", err);
	ASSERT_LE(GUEST_BASE, boot->entry);
	return boot->load_end - GUEST_BASE;
}

/* Run guest @name as vCPU @id; its console into *@out. Return: status. */
static int run_guest(struct __test_metadata *_metadata, const char *name,
		     __u64 id, char **out, unsigned int alarm_ms)
{
	static char *mem, *stack;
	struct itimerval t = { .it_value.tv_usec = alarm_ms * 1000 };
	struct nvmx_boot boot;
	size_t out_len, size;
	void *base;

	mem = calloc(1, MEM_SIZE);
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, stack);
	size = load(_metadata, name, mem, &boot);
	base = mmap((void *)GUEST_BASE, size,
		    PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_EQ((void *)GUEST_BASE, base);
	memcpy(base, mem + GUEST_BASE, size);

	vmm_init(&vmm, open_memstream(out, &out_len), stderr);
	run = calloc(1, 4096);
	vmm.run_size = 4096;
	vmm.nr_vcpus = 1;
	vmm.vcpus[0].run = run;
	catch_signals();
	if (alarm_ms)
		setitimer(ITIMER_REAL, &t, NULL);
	if (!sigsetjmp(guest_done, 1))
		enter(boot.entry, (uintptr_t)stack + STACK_SIZE, id);
	vmm_destroy(&vmm);
	fclose(vmm.out);
	EXPECT_STREQ("", sim_error);
	return vmm_exit_status(&vmm);
}

TEST(hello_passes_its_checks_and_exits_0)
{
	char *out = NULL;

	EXPECT_EQ(0, run_guest(_metadata, "hello", 0, &out, 0));
	TH_LOG("console:\n%s", out);
	EXPECT_EQ(0, strncmp(out, "hello from a 64-bit nvmx guest\n", 31));
	EXPECT_NE(NULL, strstr(out, "ok: 64-bit sum, in hex 0x3a175faf90\n"));
	EXPECT_NE(NULL, strstr(out, "ok: MMIO read of unbacked 0xd0000000 gives 0xffffffff\n"));
	EXPECT_NE(NULL, strstr(out, "cr0 0x80050033, cr4 0x620"));
	EXPECT_NE(NULL, strstr(out, "hello: all checks passed\n"));
	EXPECT_EQ(NULL, strstr(out, "FAILED"));
}

TEST(other_vcpus_of_hello_halt_silently)
{
	char *out = NULL;

	EXPECT_EQ(0, run_guest(_metadata, "hello", 1, &out, 0));
	EXPECT_STREQ("", out);
}

TEST(exitcode_exits_42)
{
	char *out = NULL;

	EXPECT_EQ(42, run_guest(_metadata, "exitcode", 0, &out, 0));
	EXPECT_STREQ("exitcode: exiting with status 42\n", out);
}

TEST(crash_triple_faults)
{
	char *out = NULL;

	EXPECT_EQ(RUN_GUEST_SHUTDOWN, run_guest(_metadata, "crash", 0, &out, 0));
	EXPECT_STREQ("crash: UD2 without an IDT\n", out);
}

TEST(spin_runs_until_interrupted)
{
	char *out = NULL;

	EXPECT_EQ(RUN_INTERRUPTED, run_guest(_metadata, "spin", 0, &out, 100));
	EXPECT_STREQ("spin: spinning until interrupted\n", out);
}

TEST_HARNESS_MAIN
