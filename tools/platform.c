// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PC platform of `nvmx run --kernel` (see platform.h): port and MMIO
 * dispatch to the device models, the ACPI PM1 registers, the PIT's timer
 * thread, and interrupt delivery: to the I/O APIC and on to the in-kernel
 * APICs with NVMX_SIGNAL_MSI, and to vCPU 0 from the PIC through
 * NVMX_INTERRUPT, interrupt-window exits and NVMX_KICK.
 *
 * Condition variables run on CLOCK_MONOTONIC, the PIT's clock. Waits are
 * bounded (100 ms) so that a stop, which comes from a signal handler that
 * cannot signal a condition variable, is seen soon.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "acpi.h"
#include "platform.h"
#include "vmm.h"

#define NS		1000000000ULL
#define WAIT_MAX_NS	(100 * 1000000ULL)
#define P92_RESET	0x01
#define P92_A20		0x02
/* PM1 registers (ACPI, "PM1 Event Grouping", "PM1 Control Grouping"). */
#define PM1_EN_RW	0x0720	/* GBL_EN, power and sleep buttons, RTC */
#define PM1_CNT_SCI_EN	0x0001
#define PM1_CNT_RW	0x1c02	/* BM_RLD, SLP_TYP */
#define PM1_CNT_SLP_TYP(v)	(((v) >> 10) & 7)
#define PM1_CNT_SLP_EN	0x2000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static bool stopping(struct vmm *vmm)
{
	return __atomic_load_n(&vmm->stopping, __ATOMIC_SEQ_CST);
}

/* Wait on @cond (vmm->lock held) until @deadline, at most WAIT_MAX_NS. */
static void wait_until(struct vmm *vmm, pthread_cond_t *cond,
		       uint64_t deadline)
{
	uint64_t now = now_ns();
	struct timespec ts;

	if (deadline > now + WAIT_MAX_NS)
		deadline = now + WAIT_MAX_NS;
	ts.tv_sec = deadline / NS;
	ts.tv_nsec = deadline % NS;
	pthread_cond_timedwait(cond, &vmm->lock, &ts);
}

/*
 * An interrupt may wait at the PIC: wake vCPU 0 (vmm->lock held). Its own
 * thread, in an exit, looks at the PIC before it runs the guest again.
 */
static void irq_raised(struct vmm *vmm)
{
	struct platform *pf = vmm->platform;
	struct vmm_vcpu *v = &vmm->vcpus[0];

	if (!pic_output(&pf->pic))
		return;
	pthread_cond_broadcast(&pf->irq_cond);
	if (vmm->nr_vcpus && v->fd >= 0 && !vmm_on_vcpu_thread(v))
		nvmx_kick(v->fd);
}

/* ISA IRQ @irq's line: to the PIC, and to its I/O APIC pin (vmm->lock). */
static void isa_irq(struct vmm *vmm, unsigned int irq, bool level)
{
	struct platform *pf = vmm->platform;

	pic_set_irq(&pf->pic, irq, level);
	ioapic_set_irq(&pf->ioapic, irq ? irq : 2, level);
	irq_raised(vmm);
}

/* An I/O APIC message to the in-kernel APICs, which wakes their vCPUs. */
static void ioapic_deliver(void *ctx, uint64_t address, uint32_t data)
{
	struct vmm *vmm = ctx;
	int ret;

	if (!vmm || vmm->vm_fd < 0 || !vmm->signal_msi)
		return;
	ret = vmm->signal_msi(vmm->vm_fd, address, data);
	if (ret < 0 && !vmm->msi_failed) {
		vmm->msi_failed = true;
		fprintf(vmm->err, "nvmx: NVMX_SIGNAL_MSI %#llx %#x: %s\n",
			(unsigned long long)address, data, strerror(-ret));
	}
}

/* The PIT's channel 0 drives IRQ 0: a pulse at each rise of its output. */
static void *timer_thread(void *arg)
{
	struct vmm *vmm = arg;
	struct platform *pf = vmm->platform;
	uint64_t deadline, now;

	pthread_mutex_lock(&vmm->lock);
	while (!stopping(vmm)) {
		deadline = pit_irq0_deadline(&pf->pit, pf->last_irq0);
		now = now_ns();
		if (deadline > now) {
			wait_until(vmm, &pf->timer_cond, deadline);
			continue;
		}
		/* Ticks missed while late collapse into one, as in IRR. */
		pf->last_irq0 = now;
		isa_irq(vmm, 0, true);
		isa_irq(vmm, 0, false);
	}
	pthread_mutex_unlock(&vmm->lock);
	return NULL;
}

/* Give @byte to the UART, waiting while its receive FIFO is full. */
static void receive(struct vmm *vmm, uint8_t byte)
{
	struct timespec ms = { 0, 1000000 };

	pthread_mutex_lock(&vmm->lock);
	while (!uart_receive(&vmm->uart, byte) && !stopping(vmm)) {
		pthread_mutex_unlock(&vmm->lock);
		nanosleep(&ms, NULL);
		pthread_mutex_lock(&vmm->lock);
	}
	platform_uart_changed(vmm);
	pthread_mutex_unlock(&vmm->lock);
}

/* nvmx's stdin is the serial line's input, until its end. */
static void *input_thread(void *arg)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct vmm *vmm = arg;
	uint8_t buf[16];
	ssize_t n, i;

	while (!stopping(vmm)) {
		if (poll(&pfd, 1, WAIT_MAX_NS / 1000000) <= 0)
			continue;
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n <= 0 && !(n < 0 && errno == EINTR))
			break;		/* the end, or an error: no more input */
		for (i = 0; i < n; i++)
			receive(vmm, buf[i]);
	}
	return NULL;
}

/* A terminal on stdin sends each key at once, and the guest echoes it. */
static void raw_tty(struct platform *pf)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &pf->tty))
		return;
	t = pf->tty;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_iflag &= ~ICRNL;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	pf->tty_saved = !tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

/**
 * platform_init() - the devices at power-on, without the threads
 * @pf: the platform
 */
void platform_init(struct platform *pf)
{
	pthread_condattr_t attr;

	memset(pf, 0, sizeof(*pf));
	pic_init(&pf->pic);
	pit_init(&pf->pit);
	rtc_init(&pf->rtc);
	i8042_init(&pf->kbc);
	ioapic_init(&pf->ioapic, ACPI_MAX_CPUS, ioapic_deliver, NULL);
	pf->port92 = P92_A20;
	pf->pm1_cnt = PM1_CNT_SCI_EN;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&pf->irq_cond, &attr);
	pthread_cond_init(&pf->timer_cond, &attr);
	pthread_condattr_destroy(&attr);
}

/**
 * platform_start() - create the platform of a VM and start its threads
 * @vmm: the VM; vmm->platform must be NULL
 *
 * Return: 0 or -errno.
 */
int platform_start(struct vmm *vmm)
{
	struct platform *pf = malloc(sizeof(*pf));
	int ret;

	if (!pf)
		return -ENOMEM;
	platform_init(pf);
	/* The MADT gives the I/O APIC the ID after the last vCPU's. */
	ioapic_init(&pf->ioapic, vmm->nr_vcpus, ioapic_deliver, vmm);
	vmm->platform = pf;
	ret = pthread_create(&pf->timer, NULL, timer_thread, vmm);
	if (ret) {
		platform_stop(vmm);
		return -ret;
	}
	pf->timer_started = true;
	raw_tty(pf);
	/* Without console input the guest still runs. */
	pf->input_started = !pthread_create(&pf->input, NULL, input_thread,
					    vmm);
	return 0;
}

/* Stop the threads (the VM is over: vmm->stopping is set) and free it all. */
void platform_stop(struct vmm *vmm)
{
	struct platform *pf = vmm->platform;

	if (!pf)
		return;
	__atomic_store_n(&vmm->stopping, 1, __ATOMIC_SEQ_CST);
	if (pf->timer_started) {
		pthread_mutex_lock(&vmm->lock);
		pthread_cond_broadcast(&pf->timer_cond);
		pthread_mutex_unlock(&vmm->lock);
		pthread_join(pf->timer, NULL);
	}
	if (pf->input_started)
		pthread_join(pf->input, NULL);
	if (pf->tty_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &pf->tty);
	pthread_cond_destroy(&pf->irq_cond);
	pthread_cond_destroy(&pf->timer_cond);
	free(pf);
	vmm->platform = NULL;
}

static bool pic_port(uint16_t port)
{
	return port == PIC_MASTER_PORT || port == PIC_MASTER_PORT + 1 ||
	       port == PIC_SLAVE_PORT || port == PIC_SLAVE_PORT + 1 ||
	       port == PIC_ELCR_PORT || port == PIC_ELCR_PORT + 1;
}

static bool pit_port(uint16_t port)
{
	return (port >= PIT_PORT && port <= PIT_PORT + 3) ||
	       port == PIT_PORT_61;
}

static bool pm1_port(uint16_t port)
{
	return port >= PLATFORM_PM1A_EVT && port <= PLATFORM_PM1A_CNT + 1;
}

/* A PM1 register (a 16-bit one, @port its low or high byte). */
static uint16_t *pm1_reg(struct platform *pf, uint16_t port)
{
	switch ((port - PLATFORM_PM1A_EVT) & ~1) {
	case 0:
		return &pf->pm1_sts;
	case 2:
		return &pf->pm1_en;
	default:
		return &pf->pm1_cnt;
	}
}

static uint8_t pm1_read(struct platform *pf, uint16_t port)
{
	return *pm1_reg(pf, port) >> (port & 1) * 8;
}

/*
 * A byte of a PM1 register. Status bits clear when written with 1; in
 * the control register, SCI_EN stays set (there is no legacy mode) and
 * SLP_EN with \_S5's SLP_TYP, which come in its high byte, powers off.
 */
static unsigned int pm1_write(struct platform *pf, uint16_t port,
			      uint8_t val)
{
	uint16_t *reg = pm1_reg(pf, port), shift = (port & 1) * 8;
	uint16_t mask = 0xff << shift, v = val << shift;

	if (reg == &pf->pm1_sts) {
		pf->pm1_sts &= ~v;
		return 0;
	}
	if (reg == &pf->pm1_en) {
		pf->pm1_en = (pf->pm1_en & ~mask) | (v & PM1_EN_RW);
		return 0;
	}
	pf->pm1_cnt = (pf->pm1_cnt & ~mask) | (v & PM1_CNT_RW) |
		      PM1_CNT_SCI_EN;
	if ((v & PM1_CNT_SLP_EN) &&
	    PM1_CNT_SLP_TYP(pf->pm1_cnt) == ACPI_S5_SLP_TYP)
		return PLATFORM_POWER_OFF;
	return 0;
}

/**
 * platform_in() - a one-byte IN from a platform device
 * @vmm: the VM, vmm->lock held
 * @port: the port
 * @val: the byte read
 *
 * Return: false if no platform device is at @port.
 */
bool platform_in(struct vmm *vmm, uint16_t port, uint8_t *val)
{
	struct platform *pf = vmm->platform;

	if (pic_port(port))
		*val = pic_read(&pf->pic, port);
	else if (pit_port(port))
		*val = pit_read(&pf->pit, port, now_ns());
	else if (port == I8042_DATA_PORT || port == I8042_CMD_PORT)
		*val = i8042_read(&pf->kbc, port);
	else if (port == RTC_PORT || port == RTC_PORT + 1)
		*val = rtc_read(&pf->rtc, port, time(NULL));
	else if (port == PLATFORM_PORT_92)
		*val = pf->port92;
	else if (pm1_port(port))
		*val = pm1_read(pf, port);
	else
		return false;
	return true;
}

/**
 * platform_out() - a one-byte OUT to a platform device
 * @vmm: the VM, vmm->lock held
 * @port: the port
 * @val: the byte written
 * @ends: gets PLATFORM_RESET if the write reset the machine (i8042, port
 *	  0x92), PLATFORM_POWER_OFF if it powered it off (ACPI PM1a_CNT)
 *
 * Return: false if no platform device is at @port.
 */
bool platform_out(struct vmm *vmm, uint16_t port, uint8_t val,
		  unsigned int *ends)
{
	struct platform *pf = vmm->platform;

	if (pic_port(port)) {
		pic_write(&pf->pic, port, val);
		/* An EOI or unmask may let a waiting request through. */
		irq_raised(vmm);
	} else if (pit_port(port)) {
		pit_write(&pf->pit, port, val, now_ns());
		pthread_cond_broadcast(&pf->timer_cond);
	} else if (port == I8042_DATA_PORT || port == I8042_CMD_PORT) {
		if (i8042_write(&pf->kbc, port, val))
			*ends |= PLATFORM_RESET;
	} else if (port == RTC_PORT || port == RTC_PORT + 1) {
		rtc_write(&pf->rtc, port, val);
	} else if (port == PLATFORM_PORT_92) {
		if ((val & P92_RESET) && !(pf->port92 & P92_RESET))
			*ends |= PLATFORM_RESET;
		pf->port92 = val | P92_A20;
	} else if (pm1_port(port)) {
		*ends |= pm1_write(pf, port, val);
	} else {
		return false;
	}
	return true;
}

/* The UART's registers changed: its IRQ 4 line follows (vmm->lock held). */
void platform_uart_changed(struct vmm *vmm)
{
	struct platform *pf = vmm->platform;

	if (!pf)
		return;
	isa_irq(vmm, UART_COM1_IRQ, uart_irq_line(&vmm->uart));
}

/**
 * platform_mmio() - an MMIO access the platform may answer
 * @vmm: the VM
 * @addr: its guest-physical address
 * @data: the bytes written, or where the bytes read go
 * @len: 1, 2, 4 or 8
 * @is_write: a write
 *
 * The I/O APIC takes aligned 32-bit accesses; others in its page read 0
 * and write nothing (the 82093AA leaves them undefined).
 *
 * Return: false if no platform device is at @addr.
 */
bool platform_mmio(struct vmm *vmm, uint64_t addr, uint8_t *data,
		   unsigned int len, bool is_write)
{
	struct platform *pf = vmm->platform;
	uint64_t off = addr - IOAPIC_BASE;
	uint32_t val = 0;

	if (!pf || addr < IOAPIC_BASE || off >= IOAPIC_SIZE)
		return false;
	pthread_mutex_lock(&vmm->lock);
	if (len == 4 && !(off & 3)) {
		if (is_write) {
			memcpy(&val, data, 4);	/* x86: little-endian */
			ioapic_write(&pf->ioapic, off, val);
		} else {
			val = ioapic_read(&pf->ioapic, off);
		}
	}
	pthread_mutex_unlock(&vmm->lock);
	if (!is_write) {
		memset(data, 0, len);
		memcpy(data, &val, len < 4 ? len : 4);
	}
	return true;
}

/**
 * platform_before_run() - deliver the PIC's interrupt before NVMX_RUN
 * @vmm: the VM
 * @v: vCPU 0 (the PIC's INT output goes to the bootstrap processor)
 *
 * With the guest able to take it (ready_for_interrupt_injection from the
 * last NVMX_RUN), the PIC's vector is queued and acknowledged; otherwise
 * an interrupt-window exit is requested.
 */
void platform_before_run(struct vmm *vmm, struct vmm_vcpu *v)
{
	struct platform *pf = vmm->platform;
	struct nvmx_run *run = v->run;
	bool want_window = false;

	if (!pf || v->id)
		return;
	pthread_mutex_lock(&vmm->lock);
	if (pic_output(&pf->pic)) {
		if (run->ready_for_interrupt_injection &&
		    !nvmx_interrupt(v->fd, pic_peek_vector(&pf->pic)))
			pic_ack(&pf->pic);
		else
			want_window = true;
	}
	run->request_interrupt_window = want_window;
	pthread_mutex_unlock(&vmm->lock);
}

/**
 * platform_wait_irq() - vCPU 0 halted: wait for an interrupt
 * @vmm: the VM
 *
 * Return: true to run the vCPU again, false if the VM is stopping.
 */
bool platform_wait_irq(struct vmm *vmm)
{
	struct platform *pf = vmm->platform;

	pthread_mutex_lock(&vmm->lock);
	while (!pic_output(&pf->pic) && !stopping(vmm))
		wait_until(vmm, &pf->irq_cond, now_ns() + WAIT_MAX_NS);
	pthread_mutex_unlock(&vmm->lock);
	return !stopping(vmm);
}
