// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the PC platform of `nvmx run --kernel` as the exits see
 * it (tools/platform.c through tools/exits.c): port dispatch, the UART's
 * IRQ 4 at the PIC and at the I/O APIC (MMIO, MSIs), what HLT and the
 * interrupt window do, the reset, the ACPI PM1 registers and power-off.
 * The platform is platform_init()'s, without its threads.
 */
#include "kselftest_harness.h"
#include "vmm_unit.h"
#include "../../tools/acpi.h"
#include "../../tools/platform.h"

static struct platform pf;

/* NVMX_SIGNAL_MSI's stand-in: the messages the I/O APIC sent. */
static struct { __u64 address; __u32 data; } msis[8];
static unsigned int nr_msis;

static int fake_msi(int vm, __u64 address, __u32 data)
{
	if (nr_msis < 8) {
		msis[nr_msis].address = address;
		msis[nr_msis].data = data;
	}
	nr_msis++;
	return vm == 3 ? 1 : -ENOTTY;
}

FIXTURE(pf) {
	int unused;
};

FIXTURE_SETUP(pf)
{
	ASSERT_EQ(0, unit_vmm_setup(1));
	platform_init(&pf);
	pf.ioapic.ctx = &vmm;
	vmm.signal_msi = fake_msi;
	nr_msis = 0;
}

FIXTURE_TEARDOWN(pf)
{
	unit_vmm_teardown();
}

static enum vmm_action out8(__u16 port, __u8 val)
{
	*(__u8 *)unit_io_exit(run, NVMX_EXIT_IO_OUT, port, 1, 1) = val;
	return unit_vmm_handle();
}

static __u8 in8(__u16 port)
{
	__u8 *data = unit_io_exit(run, NVMX_EXIT_IO_IN, port, 1, 1);

	if (unit_vmm_handle() != VMM_CONTINUE)
		return 0;
	return *data;
}

TEST_F(pf, without_the_platform_its_ports_are_empty)
{
	EXPECT_EQ(0xff, in8(0x21));
	EXPECT_EQ(0xff, in8(0x64));
	EXPECT_EQ(VMM_CONTINUE, out8(0x64, 0xfe));	/* no reset */
	run->exit_reason = NVMX_EXIT_HLT;
	run->if_flag = 1;
	EXPECT_EQ(VMM_VCPU_DONE, unit_vmm_handle());
}

TEST_F(pf, the_uart_interrupts_through_the_pic)
{
	static const __u8 init[] = { 0x11, 0x30, 0x04, 0x01 };
	unsigned int i;

	vmm.platform = &pf;
	for (i = 0; i < sizeof(init); i++)
		ASSERT_EQ(VMM_CONTINUE, out8(i ? 0x21 : 0x20, init[i]));
	EXPECT_EQ(0x00, in8(0x21));
	out8(0x3f9, 0x02);			/* IER: THR empty */
	EXPECT_FALSE(pic_output(&pf.pic));	/* OUT2 still clear */
	out8(0x3fc, 0x08);			/* MCR: OUT2 */
	ASSERT_TRUE(pic_output(&pf.pic));
	EXPECT_EQ(0x34, pic_peek_vector(&pf.pic));
	/* Not injectable now: the vCPU asks for an interrupt window. */
	run->ready_for_interrupt_injection = 0;
	platform_before_run(&vmm, &vmm.vcpus[0]);
	EXPECT_EQ(1, run->request_interrupt_window);
	EXPECT_TRUE(pic_output(&pf.pic));	/* not acknowledged */
	run->exit_reason = NVMX_EXIT_IRQ_WINDOW_OPEN;
	EXPECT_EQ(VMM_CONTINUE, unit_vmm_handle());
	/* HLT with an interrupt waiting at the PIC goes on at once. */
	run->exit_reason = NVMX_EXIT_HLT;
	run->if_flag = 1;
	run->ready_for_interrupt_injection = 1;
	EXPECT_EQ(VMM_CONTINUE, unit_vmm_handle());
	/* HLT with interrupts disabled ends the vCPU. */
	run->if_flag = 0;
	EXPECT_EQ(VMM_VCPU_DONE, unit_vmm_handle());
	/* Masked at the PIC: nothing to deliver, no window asked for. */
	out8(0x21, 0x10);
	platform_before_run(&vmm, &vmm.vcpus[0]);
	EXPECT_EQ(0, run->request_interrupt_window);
}

TEST_F(pf, hlt_waits_only_when_nothing_is_pending)
{
	vmm.platform = &pf;
	run->exit_reason = NVMX_EXIT_HLT;
	run->if_flag = 1;
	/* nvmx still holds an interrupt it queued: no waiting for the PIC. */
	run->ready_for_interrupt_injection = 0;
	EXPECT_EQ(VMM_CONTINUE, unit_vmm_handle());
	/* Nothing anywhere: the wait ends only with the VM. */
	run->ready_for_interrupt_injection = 1;
	vmm.stopping = 1;
	EXPECT_EQ(VMM_VCPU_DONE, unit_vmm_handle());
}

TEST_F(pf, devices_answer_at_their_ports)
{
	vmm.platform = &pf;
	out8(0x70, 0x0d);
	EXPECT_EQ(0x80, in8(0x71));		/* RTC: time valid */
	EXPECT_EQ(0x02, in8(0x92) & 0x02);	/* A20 */
	out8(0x43, 0x34);			/* PIT channel 0, mode 2 */
	out8(0x40, 0x00);
	out8(0x40, 0x10);
	EXPECT_NE(PIT_NO_DEADLINE, pit_irq0_deadline(&pf.pit, 0));
	out8(0x61, 0x03);
	EXPECT_EQ(0x03, in8(0x61) & 0x0f);
	out8(0x64, 0xaa);
	EXPECT_EQ(0x55, in8(0x60));
	EXPECT_EQ(0xff, in8(0xcfc));		/* no PCI */
}

TEST_F(pf, a_reset_ends_the_vm_with_status_0)
{
	vmm.platform = &pf;
	EXPECT_EQ(VMM_VM_DONE, out8(0x64, 0xfe));
	EXPECT_EQ(RUN_OK, vmm_exit_status(&vmm));
	EXPECT_NE(NULL, strstr(unit_vmm_err(), "vCPU 0 reset the machine"));
}

TEST_F(pf, port_92_bit_0_resets)
{
	vmm.platform = &pf;
	EXPECT_EQ(VMM_CONTINUE, out8(0x92, 0x02));
	EXPECT_EQ(VMM_VM_DONE, out8(0x92, 0x03));
	EXPECT_EQ(RUN_OK, vmm_exit_status(&vmm));
}

static enum vmm_action mmio(__u64 addr, __u32 len, bool write, __u32 *val)
{
	enum vmm_action a;

	run->exit_reason = NVMX_EXIT_MMIO;
	run->mmio.phys_addr = addr;
	run->mmio.len = len;
	run->mmio.is_write = write;
	memset(run->mmio.data, 0x5a, sizeof(run->mmio.data));
	if (write)
		memcpy(run->mmio.data, val, 4);
	a = unit_vmm_handle();
	if (!write)
		memcpy(val, run->mmio.data, 4);
	return a;
}

static void ioapic_wr(__u8 reg, __u32 val)
{
	__u32 sel = reg;

	mmio(0xfec00000, 4, true, &sel);
	mmio(0xfec00010, 4, true, &val);
}

static __u32 ioapic_rd(__u8 reg)
{
	__u32 sel = reg, val = 0;

	mmio(0xfec00000, 4, true, &sel);
	mmio(0xfec00010, 4, false, &val);
	return val;
}

TEST_F(pf, the_io_apic_answers_mmio_and_sends_msis)
{
	__u32 val = 0;

	/* Without the platform, the page is empty. */
	EXPECT_EQ(VMM_CONTINUE, mmio(0xfec00010, 4, false, &val));
	EXPECT_EQ(0xffffffffU, val);
	vmm.platform = &pf;
	vmm.vm_fd = 3;
	EXPECT_EQ(0x00170011U, ioapic_rd(0x01));
	EXPECT_EQ((__u32)ACPI_MAX_CPUS << 24, ioapic_rd(0x00));
	/* Not 32-bit, or not aligned: reads 0. */
	EXPECT_EQ(VMM_CONTINUE, mmio(0xfec00010, 2, false, &val));
	EXPECT_EQ(0x5a5a0000U, val);
	/* Outside the page: nothing. */
	EXPECT_EQ(VMM_CONTINUE, mmio(0xfec01000, 4, false, &val));
	EXPECT_EQ(0xffffffffU, val);
	/* A malformed length from the module is no device access. */
	EXPECT_EQ(VMM_CONTINUE, mmio(0xfec00010, 64, false, &val));
	EXPECT_EQ(0xffffffffU, val);
	/* The UART's IRQ 4 on pin 4, to APIC 1, vector 0x24. */
	ioapic_wr(0x19, 0x01000000);
	ioapic_wr(0x18, 0x24);
	EXPECT_EQ(0x24U, ioapic_rd(0x18));
	out8(0x3f9, 0x02);			/* IER: THR empty */
	EXPECT_EQ(0, nr_msis);
	out8(0x3fc, 0x08);			/* MCR: OUT2, the line rises */
	ASSERT_EQ(1, nr_msis);
	EXPECT_EQ(0xfee01000ULL, msis[0].address);
	EXPECT_EQ(0x24U, msis[0].data);
	platform_uart_changed(&vmm);		/* no change: no edge */
	EXPECT_EQ(1, nr_msis);
	EXPECT_EQ(false, vmm.msi_failed);
}

TEST_F(pf, a_failed_msi_is_said_once)
{
	char *first;

	vmm.platform = &pf;
	vmm.vm_fd = 4;
	ioapic_wr(0x18, 0x24);
	out8(0x3f9, 0x02);
	out8(0x3fc, 0x08);
	out8(0x3fc, 0x00);
	out8(0x3fc, 0x08);
	EXPECT_EQ(2, nr_msis);
	EXPECT_TRUE(vmm.msi_failed);
	first = strstr(unit_vmm_err(), "NVMX_SIGNAL_MSI");
	ASSERT_NE(NULL, first);
	EXPECT_EQ(NULL, strstr(first + 1, "NVMX_SIGNAL_MSI"));
}

static enum vmm_action out16(__u16 port, __u16 val)
{
	memcpy(unit_io_exit(run, NVMX_EXIT_IO_OUT, port, 2, 1), &val, 2);
	return unit_vmm_handle();
}

static __u16 in16(__u16 port)
{
	void *data = unit_io_exit(run, NVMX_EXIT_IO_IN, port, 2, 1);
	__u16 val = 0;

	if (unit_vmm_handle() == VMM_CONTINUE)
		memcpy(&val, data, 2);
	return val;
}

TEST_F(pf, pm1_registers_and_the_acpi_power_off)
{
	vmm.platform = &pf;
	/* SCI_EN reads 1 whatever is written: always in ACPI mode. */
	EXPECT_EQ(0x0001, in16(0x604));
	EXPECT_EQ(VMM_CONTINUE, out16(0x604, 0x0000));
	EXPECT_EQ(0x0001, in16(0x604));
	/* Enable bits that exist stick (GBL_EN too: ACPICA wants it), the
	 * PM timer's does not. */
	EXPECT_EQ(VMM_CONTINUE, out16(0x602, 0x0721));
	EXPECT_EQ(0x0720, in16(0x602));
	/* Status: nothing set, writes of 1 clear. */
	pf.pm1_sts = 0x8100;
	EXPECT_EQ(0x8100, in16(0x600));
	EXPECT_EQ(VMM_CONTINUE, out16(0x600, 0x0100));
	EXPECT_EQ(0x8000, in16(0x600));
	/* ACPICA's two writes: SLP_TYP, then with SLP_EN. Other S states
	 * (SLP_TYP 1) do nothing. */
	EXPECT_EQ(VMM_CONTINUE, out16(0x604, 0x0401));
	EXPECT_EQ(0x0401, in16(0x604));
	EXPECT_EQ(VMM_CONTINUE, out16(0x604, 0x2401));
	EXPECT_EQ(VMM_CONTINUE, out16(0x604, 0x1401));
	EXPECT_EQ(0x1401, in16(0x604));		/* SLP_EN reads 0 */
	EXPECT_EQ(VMM_STATUS_NONE, vmm.status);
	EXPECT_EQ(VMM_VM_DONE, out16(0x604, 0x3401));
	EXPECT_EQ(RUN_OK, vmm_exit_status(&vmm));
	EXPECT_NE(NULL, strstr(unit_vmm_err(), "the guest powered off"));
}

TEST_HARNESS_MAIN
