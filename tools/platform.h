/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PC platform of `nvmx run --kernel` (Documentation/guests.rst): the
 * legacy devices an unmodified Linux needs, in userspace (the local APICs
 * are the module's, NVMX_VM_LAPIC), and how their interrupts reach the
 * vCPUs.
 *
 *   0x20-0x21, 0xa0-0xa1, 0x4d0-0x4d1   8259A pair and ELCR (pic.h)
 *   0x40-0x43, 0x61                     8254 PIT, IRQ 0 (pit.h)
 *   0x60, 0x64                          i8042, no devices; reset (i8042.h)
 *   0x70-0x71                           CMOS RTC (rtc.h)
 *   0x92                                system control port A: bit 0 resets
 *   0x3f8-0x3ff                         COM1 16550A, IRQ 4 (uart.h)
 *   0x600-0x603                         ACPI PM1a_STS, PM1a_EN (16 bits each)
 *   0x604-0x605                         ACPI PM1a_CNT: SLP_EN with SLP_TYP 5
 *                                       (\_S5) powers off
 *   0xfec00000 (MMIO)                   I/O APIC (ioapic.h)
 *   0xe0000-0xfffff (memory)            ACPI tables (acpi.h)
 *
 * A timer thread raises IRQ 0 when the PIT's channel 0 says so; a console
 * thread feeds nvmx's stdin to the UART's receiver (a terminal is put in
 * non-canonical mode without echo, its signals kept, until the VM ends).
 *
 * Each ISA IRQ goes to the PIC and to the I/O APIC (IRQ 0 to pin 2, as
 * the MADT's override says; IRQ N to pin N otherwise). The I/O APIC's
 * messages go to the in-kernel APICs with NVMX_SIGNAL_MSI, which wakes
 * their vCPUs. The PIC's INT output goes to vCPU 0 only: whoever raises
 * an interrupt there (the timer thread, a vCPU's I/O exit) kicks vCPU 0
 * out of the guest and out of HLT; before each NVMX_RUN, vCPU 0's thread
 * (no other) injects the PIC's vector when the guest can take it, or asks
 * for an interrupt-window exit. Linux masks the PIC once it uses the I/O
 * APIC. Everything is under vmm->lock.
 */
#ifndef NVMX_TOOLS_PLATFORM_H
#define NVMX_TOOLS_PLATFORM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

#include "i8042.h"
#include "ioapic.h"
#include "pic.h"
#include "pit.h"
#include "rtc.h"

#define PLATFORM_PORT_92	0x92
#define PLATFORM_PM1A_EVT	0x600	/* PM1a_STS, then PM1a_EN */
#define PLATFORM_PM1A_CNT	0x604

/* What an OUT did to the machine. */
#define PLATFORM_RESET		(1U << 0)	/* i8042 or port 0x92 */
#define PLATFORM_POWER_OFF	(1U << 1)	/* PM1a_CNT: SLP_EN, \_S5 */

struct vmm;
struct vmm_vcpu;

struct platform {
	struct pic_pair pic;
	struct pit8254 pit;
	struct cmos_rtc rtc;
	struct i8042 kbc;
	struct ioapic ioapic;
	uint8_t port92;
	uint16_t pm1_sts;	/* write 1 to clear; nothing sets a bit */
	uint16_t pm1_en;
	uint16_t pm1_cnt;
	uint64_t last_irq0;	/* when the timer thread last raised IRQ 0 */
	pthread_cond_t irq_cond;	/* signalled when an IRQ may wait */
	pthread_cond_t timer_cond;	/* signalled when the PIT changed */
	pthread_t timer;
	bool timer_started;
	pthread_t input;
	bool input_started;
	bool tty_saved;		/* @tty holds stdin's settings to restore */
	struct termios tty;
};

void platform_init(struct platform *pf);
int platform_start(struct vmm *vmm);
void platform_stop(struct vmm *vmm);
bool platform_in(struct vmm *vmm, uint16_t port, uint8_t *val);
bool platform_out(struct vmm *vmm, uint16_t port, uint8_t val,
		  unsigned int *ends);
bool platform_mmio(struct vmm *vmm, uint64_t addr, uint8_t *data,
		   unsigned int len, bool is_write);
void platform_uart_changed(struct vmm *vmm);
void platform_before_run(struct vmm *vmm, struct vmm_vcpu *v);
bool platform_wait_irq(struct vmm *vmm);

#endif /* NVMX_TOOLS_PLATFORM_H */
