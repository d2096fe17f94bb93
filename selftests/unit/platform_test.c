// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the PC platform of `nvmx run --kernel` as the exits see
 * it (tools/platform.c through tools/exits.c): port dispatch, the UART's
 * IRQ 4 at the PIC, what HLT and the interrupt window do, the reset. The
 * platform is platform_init()'s, without its threads.
 */
#include "kselftest_harness.h"
#include "vmm_unit.h"
#include "../../tools/platform.h"

static struct platform pf;

FIXTURE(pf) {
	int unused;
};

FIXTURE_SETUP(pf)
{
	ASSERT_EQ(0, unit_vmm_setup(1));
	platform_init(&pf);
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

TEST_HARNESS_MAIN
