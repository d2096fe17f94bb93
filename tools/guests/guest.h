/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The demo guests of `nvmx run`, freestanding 64-bit programs:
 *
 *   hello      prints what shows that it runs in 64-bit mode and checks
 *              the devices of nvmx run; exit status 0, or the number of
 *              failed checks
 *   exitcode   exit status 42, through the debug-exit port
 *   crash      UD2 without an IDT: a triple fault (exit status 121)
 *   spin       loops until nvmx run is interrupted (exit status 130)
 *   nested     a hypervisor (L1) that runs a guest of its own (L2), which
 *              prints through L1; needs --expose-virtualization-extensions
 *              (exit status 3 without)
 *
 * start.S enters guest_main() with the vCPU id; when it returns, the vCPU
 * halts. Only vCPU 0 does anything: the others return at once.
 */
#ifndef NVMX_GUEST_H
#define NVMX_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define COM1_PORT		0x3f8
#define DEBUG_EXIT_PORT		0xf4

static inline void out8(uint16_t port, uint8_t val)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline uint8_t in8(uint16_t port)
{
	uint8_t val;

	asm volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

/* CPUID leaf @leaf, subleaf 0: out[] = EAX, EBX, ECX, EDX. */
static inline void cpuid(uint32_t leaf, uint32_t out[4])
{
	asm volatile("cpuid"
		     : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
		     : "a"(leaf), "c"(0));
}

/* End the VM: nvmx run exits with @status. Does not return. */
static inline void debug_exit(uint8_t status)
{
	out8(DEBUG_EXIT_PORT, status);
	for (;;)
		asm volatile("cli; hlt");
}

void guest_main(uint64_t vcpu_id);

void console_init(void);
void console_putc(char c);
void console_puts(const char *s);
void console_hex(uint64_t v);
void console_dec(uint64_t v);

#endif /* NVMX_GUEST_H */
