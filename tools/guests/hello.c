// SPDX-License-Identifier: GPL-2.0-only
/*
 * The demo guest: shows that it runs in 64-bit mode and checks what nvmx
 * run promises its guests (tools/vmm.h). Its exit status, through the
 * debug-exit port, is the number of failed checks.
 *
 * Needs the default memory layout: 0xd0000000 must not be RAM, so
 * --memory below 3.25 GiB.
 */
#include "guest.h"

#define UNBACKED_GPA	0xd0000000UL	/* above RAM, identity-mapped */
#define ABSENT_PORT	0x2f8		/* COM2: nvmx run has none */
#define UART_SCR	7
#define N		1000

/* In .bss: the sum below goes through memory (see the barrier). */
static uint64_t cubes[N];
static unsigned int failed;

static void check(bool ok, const char *what, uint64_t val)
{
	console_puts(ok ? "ok: " : "FAILED: ");
	console_puts(what);
	console_hex(val);
	console_putc('\n');
	failed += !ok;
}

/*
 * A 4-byte load the module has to emulate, in the simplest form there is:
 * MOV EAX, [RSI] (8B 06), no prefix, no displacement.
 */
static uint32_t mmio_read32(uintptr_t gpa)
{
	uint32_t val;

	asm volatile("movl (%1), %0" : "=a"(val) : "S"(gpa) : "memory");
	return val;
}

static uint64_t vmcall(uint64_t nr)
{
	uint64_t ret;

	asm volatile("vmcall" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

/* What shows 64-bit mode: the registers, and arithmetic above 2^32. */
static void show_mode(void)
{
	uint64_t cr0, cr4, rsp, sum = 0;
	unsigned int i;

	asm volatile("mov %%cr0, %0; mov %%cr4, %1; mov %%rsp, %2"
		     : "=r"(cr0), "=r"(cr4), "=r"(rsp));
	console_puts("cr0 ");
	console_hex(cr0);
	console_puts(", cr4 ");
	console_hex(cr4);
	console_puts(", rsp ");
	console_hex(rsp);
	console_putc('\n');
	for (i = 0; i < N; i++)
		cubes[i] = (uint64_t)i * i * i;
	/* The compiler may not keep the cubes in registers across this. */
	asm volatile("" : : : "memory");
	for (i = 0; i < N; i++)
		sum += cubes[i];
	console_puts("sum of i^3 for i < 1000, from memory: ");
	console_dec(sum);
	console_putc('\n');
	/* (999 * 1000 / 2)^2: 38 bits, wrong in 32-bit arithmetic. */
	check(sum == 249500250000ULL, "64-bit sum, in hex ", sum);
}

static void show_vendor(void)
{
	uint32_t r[4];
	char vendor[13];
	unsigned int i;

	cpuid(0, r);
	for (i = 0; i < 4; i++) {	/* EBX, EDX, ECX */
		vendor[i] = r[1] >> (8 * i);
		vendor[4 + i] = r[3] >> (8 * i);
		vendor[8 + i] = r[2] >> (8 * i);
	}
	vendor[12] = '\0';
	console_puts("cpu vendor: ");
	console_puts(vendor);
	console_puts(", max leaf ");
	console_hex(r[0]);
	console_putc('\n');
	check(vendor[0] >= 'A' && vendor[0] <= 'z', "CPUID 0 has a vendor, EBX ",
	      r[1]);
	/* CPUID.1:ECX.VMX: what `nvmx run --expose-virtualization-extensions` changes. */
	cpuid(1, r);
	console_puts((r[2] & (1U << 5)) ? "vmx: visible\n" : "vmx: hidden\n");
}

/* The devices of nvmx run, and what it does where there is none. */
static void check_devices(void)
{
	uint64_t val;

	val = mmio_read32(UNBACKED_GPA);
	check(val == 0xffffffff, "MMIO read of unbacked 0xd0000000 gives ",
	      val);
	val = in8(ABSENT_PORT);
	check(val == 0xff, "IN from absent port 0x2f8 gives ", val);
	out8(COM1_PORT + UART_SCR, 0x5a);
	val = in8(COM1_PORT + UART_SCR);
	check(val == 0x5a, "the UART's scratch register keeps ", val);
	val = vmcall(0);
	check(val == ~0ULL, "VMCALL 0 (undefined) returns ", val);
}

void guest_main(uint64_t vcpu_id)
{
	if (vcpu_id)
		return;
	console_init();
	console_puts("hello from a 64-bit nvmx guest\n");
	show_mode();
	show_vendor();
	check_devices();
	if (failed) {
		console_dec(failed);
		console_puts(" checks FAILED\n");
	} else {
		console_puts("hello: all checks passed\n");
	}
	debug_exit(failed);
}
