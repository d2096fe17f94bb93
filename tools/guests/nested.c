// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nested demo guest: a tiny hypervisor (L1) that runs a guest of its
 * own (L2) on the VMX nvmx exposes. L2 prints through a serial port that
 * L1 emulates: each of its OUTs to COM1 is an I/O exit that L1 turns
 * into a character on its own console (nvmx run's 16550). L2 also asks
 * L1, with CPUID, who its hypervisor is. L1 counts what it handled.
 *
 * Exit status: 0 when L2 ran to its end, 3 without VMX (run with
 * --expose-virtualization-extensions), 4 when L2 could not be entered,
 * 5 when L2 exited for a reason L1 does not handle.
 */
#include "guest.h"
#include "vmx_l1.h"

#define HV_LEAF		0x40000000u	/* CPUID: hypervisor vendor leaf */
#define L2_DONE		0x600d		/* L2's last VMCALL */
#define LSR		5		/* UART line status register */
#define LSR_THRE	0x20		/* transmitter holding register empty */

static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs[4096] __attribute__((aligned(4096)));
static uint8_t msr_bitmap[4096] __attribute__((aligned(4096)));
static uint8_t l2_stack[8192] __attribute__((aligned(16)));
static struct l1_regs regs;

/* L2 code: a guest that does not know it is nested. */

static void l2_putc(char c)
{
	while (!(in8(COM1_PORT + LSR) & LSR_THRE))
		;
	out8(COM1_PORT, c);
}

static void l2_puts(const char *s)
{
	while (*s)
		l2_putc(*s++);
}

static void l2_main(void)
{
	uint32_t r[4];
	char vendor[13];
	unsigned int i;

	l2_puts("hello from L2, a guest of a guest\n");
	cpuid(HV_LEAF, r);
	for (i = 0; i < 4; i++) {
		vendor[i] = r[1] >> (8 * i);
		vendor[4 + i] = r[2] >> (8 * i);
		vendor[8 + i] = r[3] >> (8 * i);
	}
	vendor[12] = 0;
	l2_puts("my hypervisor says it is \"");
	l2_puts(vendor);
	l2_puts("\"\n");
	for (;;)
		asm volatile("vmcall" : : "a"(L2_DONE) : "memory");
}

/* L1: the hypervisor. */

struct l1_counts {
	uint64_t io, cpuid;
};

/* L2's OUT or IN, which L1 intercepts unconditionally: a 16550 for L2. */
static void l1_io(void)
{
	uint64_t q = l1_vmread(VMCS_EXIT_QUALIFICATION);
	uint16_t port = q >> 16;
	int in = q & 8;

	if (!in && port == COM1_PORT)
		console_putc((char)regs.rax);
	else if (in)
		regs.rax = (regs.rax & ~0xffULL) |
			   (port == COM1_PORT + LSR ? LSR_THRE : 0xff);
}

/* CPUID for L2: the hypervisor leaf names L1. */
static void l1_cpuid(void)
{
	uint32_t r[4];

	if ((uint32_t)regs.rax == HV_LEAF) {
		regs.rax = HV_LEAF;
		regs.rbx = 0x786d766e;	/* "nvmx" */
		regs.rcx = 0x20314c20;	/* " L1 " */
		regs.rdx = 0x6f6d6564;	/* "demo" */
		return;
	}
	cpuid((uint32_t)regs.rax, r);
	regs.rax = r[0];
	regs.rbx = r[1];
	regs.rcx = r[2];
	regs.rdx = r[3];
}

static void l1_report(const struct l1_counts *c)
{
	console_puts("L1: L2 is done; exits L1 handled: ");
	console_dec(c->io);
	console_puts(" I/O, ");
	console_dec(c->cpuid);
	console_puts(" CPUID\n");
}

void guest_main(uint64_t vcpu_id)
{
	struct l1_counts counts = { 0 };
	uint64_t launch = 1;
	uint32_t reason;

	if (vcpu_id)
		return;
	console_puts("L1: a hypervisor in an nvmx guest\n");
	if (!l1_has_vmx()) {
		console_puts("L1: no VMX here: run nvmx with --expose-virtualization-extensions\n");
		debug_exit(3);
	}
	l1_vmx_on(vmxon_region, vmcs);
	l1_vmcs_controls(L1_PROC_UNCOND_IO | L1_PROC_MSR_BITMAPS, msr_bitmap);
	l1_vmcs_host();
	l1_vmcs_guest(l2_main, l2_stack + sizeof(l2_stack));
	console_puts("L1: launching L2\n");
	for (;; launch = 0) {
		if (l1_run(&regs, launch)) {
			console_puts("L1: VM entry failed, error ");
			console_dec(l1_vmread(VMCS_VM_INSTRUCTION_ERROR));
			console_putc('\n');
			debug_exit(4);
		}
		reason = l1_vmread(VMCS_EXIT_REASON);
		if (reason == EXIT_VMCALL && regs.rax == L2_DONE)
			break;
		if (reason == EXIT_IO) {
			counts.io++;
			l1_io();
		} else if (reason == EXIT_CPUID) {
			counts.cpuid++;
			l1_cpuid();
		} else {
			console_puts("L1: unexpected exit from L2, reason ");
			console_dec(reason);
			console_putc('\n');
			debug_exit(5);
		}
		l1_skip();
	}
	l1_vmx_off();
	l1_report(&counts);
	debug_exit(0);
}
