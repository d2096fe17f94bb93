// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of what `nvmx run` does with the exits NVMX_RUN returns
 * (tools/exits.c), against a run page in ordinary memory, and of the names
 * --stats prints (tools/stats.c).
 */
#include "kselftest_harness.h"
#include "vmm_unit.h"

FIXTURE(exits) {
	int unused;
};

FIXTURE_SETUP(exits)
{
	ASSERT_EQ(0, unit_vmm_setup(1));
}

FIXTURE_TEARDOWN(exits)
{
	unit_vmm_teardown();
}

static __u8 *io_data(void)
{
	return (__u8 *)run + NVMX_RUN_IO_DATA_OFFSET;
}

/* Fill the run page with an I/O exit and hand it to the exit handler. */
static enum vmm_action io(__u8 dir, __u16 port, __u8 size, __u32 count,
			  const void *data)
{
	void *p = unit_io_exit(run, dir, port, size, count);

	if (data)
		memcpy(p, data, size * count);
	return unit_vmm_handle();
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

TEST_F(exits, out_to_com1_reaches_the_console)
{
	EXPECT_EQ(VMM_CONTINUE, io(NVMX_EXIT_IO_OUT, 0x3f8, 1, 3, "hi\n"));
	EXPECT_STREQ("hi\n", unit_vmm_out());
	EXPECT_EQ(VMM_STATUS_NONE, vmm.status);
}

TEST_F(exits, in_from_com1_reads_the_uart)
{
	EXPECT_EQ(VMM_CONTINUE, io(NVMX_EXIT_IO_IN, 0x3fd, 1, 1, NULL));
	EXPECT_EQ(0x60, io_data()[0]);		/* LSR: THRE, TEMT */
	/* A word access splits into bytes: SCR (0x3ff) then port 0x400. */
	io(NVMX_EXIT_IO_OUT, 0x3ff, 1, 1, "\x5a");
	EXPECT_EQ(VMM_CONTINUE, io(NVMX_EXIT_IO_IN, 0x3ff, 2, 1, NULL));
	EXPECT_EQ(0x5a, io_data()[0]);
	EXPECT_EQ(0xff, io_data()[1]);
	/* OUTW to THR and IER: one byte out, IER written. */
	io(NVMX_EXIT_IO_OUT, 0x3f8, 2, 1, "x\x05");
	io(NVMX_EXIT_IO_IN, 0x3f9, 1, 1, NULL);
	EXPECT_EQ(0x05, io_data()[0]);
	EXPECT_STREQ("x", unit_vmm_out());
}

TEST_F(exits, other_ports_read_all_ones_and_ignore_writes)
{
	__u32 v;

	memset(io_data(), 0, 16);
	EXPECT_EQ(VMM_CONTINUE, io(NVMX_EXIT_IO_IN, 0x2f8, 4, 2, NULL));
	memcpy(&v, io_data() + 4, 4);
	EXPECT_EQ(0xffffffff, v);
	EXPECT_EQ(VMM_CONTINUE, io(NVMX_EXIT_IO_OUT, 0x80, 1, 1, "\x12"));
	/* IN from the debug-exit port is nothing special. */
	EXPECT_EQ(VMM_CONTINUE, io(NVMX_EXIT_IO_IN, 0xf4, 1, 1, NULL));
	EXPECT_EQ(0xff, io_data()[0]);
	EXPECT_STREQ("", unit_vmm_out());
	EXPECT_EQ(VMM_STATUS_NONE, vmm.status);
}

TEST_F(exits, out_to_0xf4_ends_the_vm_with_the_value_as_status)
{
	EXPECT_EQ(VMM_VM_DONE, io(NVMX_EXIT_IO_OUT, 0xf4, 1, 1, "\x2a"));
	EXPECT_EQ(42, vmm_exit_status(&vmm));
}

TEST_F(exits, a_wide_debug_exit_keeps_the_low_byte)
{
	EXPECT_EQ(VMM_VM_DONE,
		  io(NVMX_EXIT_IO_OUT, 0xf4, 4, 1, "\x01\x02\x03\x04"));
	EXPECT_EQ(1, vmm_exit_status(&vmm));
}

TEST_F(exits, a_zero_debug_exit_is_status_0_and_the_first_status_wins)
{
	/* OUTSB of two bytes: the first one ends the VM. */
	EXPECT_EQ(VMM_VM_DONE, io(NVMX_EXIT_IO_OUT, 0xf4, 1, 2, "\0\7"));
	EXPECT_EQ(0, vmm.status);
	vmm_set_status(&vmm, RUN_INTERRUPTED);
	EXPECT_EQ(0, vmm_exit_status(&vmm));
}

TEST_F(exits, malformed_io_exits_are_internal_errors)
{
	run->exit_reason = NVMX_EXIT_IO;
	run->io.size = 3;
	run->io.count = 1;
	run->io.data_offset = NVMX_RUN_IO_DATA_OFFSET;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	EXPECT_EQ(RUN_INTERNAL_ERROR, vmm_exit_status(&vmm));
	EXPECT_NE(NULL, strstr(unit_vmm_err(), "malformed I/O exit"));

	/* Data that would run off the run page: nothing is touched. */
	vmm.status = VMM_STATUS_NONE;
	EXPECT_EQ(VMM_VM_DONE, io(NVMX_EXIT_IO_IN, 0x3f8, 4, 769, NULL));
	run->io.data_offset = UNIT_RUN_SIZE + 1;
	run->io.count = 0;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	run->io.data_offset = ~0ULL;
	run->io.count = 1;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	/* Right up to the end of the page is fine. */
	EXPECT_EQ(VMM_CONTINUE, io(NVMX_EXIT_IO_IN, 0x3f8, 4, 768, NULL));
}

TEST_F(exits, mmio_reads_float_high_and_writes_vanish)
{
	run->exit_reason = NVMX_EXIT_MMIO;
	run->mmio.phys_addr = 0xd0000000;
	run->mmio.len = 4;
	EXPECT_EQ(VMM_CONTINUE, unit_vmm_handle());
	EXPECT_EQ(0, memcmp(run->mmio.data, "\xff\xff\xff\xff\xff\xff\xff\xff", 8));
	memset(run->mmio.data, 0x12, 8);
	run->mmio.is_write = 1;
	EXPECT_EQ(VMM_CONTINUE, unit_vmm_handle());
	EXPECT_EQ(0x12, run->mmio.data[7]);
	EXPECT_EQ(VMM_STATUS_NONE, vmm.status);
}

TEST_F(exits, vmcalls_return_minus_one)
{
	run->exit_reason = NVMX_EXIT_VMCALL;
	run->vmcall.nr = 0;
	EXPECT_EQ(VMM_CONTINUE, unit_vmm_handle());
	EXPECT_EQ(~0ULL, run->vmcall.ret);
}

TEST_F(exits, hlt_and_stopped_end_the_vcpu_only)
{
	run->exit_reason = NVMX_EXIT_HLT;
	EXPECT_EQ(VMM_VCPU_DONE, unit_vmm_handle());
	run->exit_reason = NVMX_EXIT_STOPPED;
	EXPECT_EQ(VMM_VCPU_DONE, unit_vmm_handle());
	run->exit_reason = NVMX_EXIT_INTR;
	EXPECT_EQ(VMM_CONTINUE, unit_vmm_handle());
	EXPECT_EQ(RUN_OK, vmm_exit_status(&vmm));
	EXPECT_STREQ("", unit_vmm_err());
}

TEST_F(exits, a_triple_fault_is_status_121)
{
	vmm.vcpus[0].id = 3;
	run->exit_reason = NVMX_EXIT_SHUTDOWN;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	EXPECT_EQ(RUN_GUEST_SHUTDOWN, vmm_exit_status(&vmm));
	EXPECT_STREQ("nvmx: guest vCPU 3 shut down (triple fault)\n",
		     unit_vmm_err());
}

TEST_F(exits, a_failed_entry_names_its_reason)
{
	run->exit_reason = NVMX_EXIT_FAIL_ENTRY;
	run->fail_entry.hardware_entry_failure_reason = 0x80000021;
	run->fail_entry.qualification = 2;
	run->fail_entry.cpu = 1;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	EXPECT_EQ(RUN_ENTRY_FAILED, vmm_exit_status(&vmm));
	EXPECT_TRUE(starts_with(unit_vmm_err(), "nvmx: vCPU 0: VM entry failed: "));
	EXPECT_NE(NULL, strstr(unit_vmm_err(),
			       "exit reason 0x80000021 (ENTRY_INVALID_GUEST_STATE)"));
	EXPECT_NE(NULL, strstr(unit_vmm_err(), ", qualification 0x2, CPU 1\n"));
}

TEST_F(exits, internal_errors_show_their_data)
{
	run->exit_reason = NVMX_EXIT_INTERNAL_ERROR;
	run->internal.suberror = NVMX_INTERNAL_UNHANDLED_EXIT;
	run->internal.ndata = 2;
	run->internal.data[0] = 0x1e;
	run->internal.data[1] = 0x3f8;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	EXPECT_EQ(RUN_INTERNAL_ERROR, vmm_exit_status(&vmm));
	EXPECT_TRUE(starts_with(unit_vmm_err(),
				"nvmx: vCPU 0: internal error 1 (unhandled exit), "));
	EXPECT_NE(NULL, strstr(unit_vmm_err(), "), data: 0x1e 0x3f8\n"));
}

TEST_F(exits, internal_error_data_is_bounded)
{
	run->exit_reason = NVMX_EXIT_INTERNAL_ERROR;
	run->internal.suberror = 99;
	run->internal.ndata = 1000;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	EXPECT_NE(NULL, strstr(unit_vmm_err(), "internal error 99 (?), data: 0 0"));
	/* 16 words, each " 0". */
	EXPECT_EQ(strlen("nvmx: vCPU 0: internal error 99 (?), data:\n") + 16 * 2,
		  strlen(unit_vmm_err()));
}

TEST_F(exits, unexpected_exits_are_internal_errors)
{
	run->exit_reason = NVMX_EXIT_IRQ_WINDOW_OPEN;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	EXPECT_EQ(RUN_INTERNAL_ERROR, vmm_exit_status(&vmm));
	EXPECT_NE(NULL, strstr(unit_vmm_err(), "unexpected exit 9 (irq_window_open)"));
	run->exit_reason = 1234;
	EXPECT_EQ(VMM_VM_DONE, unit_vmm_handle());
	EXPECT_NE(NULL, strstr(unit_vmm_err(), "unexpected exit 1234 (?)"));
}

TEST(exit_reason_names_follow_the_sdm)
{
	EXPECT_STREQ("EXCEPTION_NMI", vmx_exit_reason_name(0));
	EXPECT_STREQ("CPUID", vmx_exit_reason_name(10));
	EXPECT_STREQ("HLT", vmx_exit_reason_name(12));
	EXPECT_STREQ("VMCALL", vmx_exit_reason_name(18));
	EXPECT_STREQ("IO_INSTRUCTION", vmx_exit_reason_name(30));
	EXPECT_STREQ("ENTRY_INVALID_GUEST_STATE", vmx_exit_reason_name(33));
	EXPECT_STREQ("?", vmx_exit_reason_name(35));
	EXPECT_STREQ("EPT_VIOLATION", vmx_exit_reason_name(48));
	EXPECT_STREQ("PREEMPTION_TIMER", vmx_exit_reason_name(52));
	EXPECT_STREQ("XRSTORS", vmx_exit_reason_name(64));
	EXPECT_STREQ("ENCLV", vmx_exit_reason_name(70));
	EXPECT_STREQ("?", vmx_exit_reason_name(71));
	EXPECT_STREQ("BUS_LOCK", vmx_exit_reason_name(74));
	EXPECT_STREQ("WRMSRLIST", vmx_exit_reason_name(79));
	EXPECT_STREQ("?", vmx_exit_reason_name(80));
	EXPECT_STREQ("?", vmx_exit_reason_name(~0U));
}

/* What vmm_print_stats() prints for vCPU @id (free it), or NULL. */
static char *stats_text(unsigned int id, const struct nvmx_stats *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	vmm_print_stats(f, id, s);
	fclose(f);
	return text;
}

TEST(stats_show_the_counters_and_nonzero_reasons)
{
	struct nvmx_stats s = {
		.runs = 5, .exits = 40, .user_exits = 4, .ept_faults = 3,
		.injections = 0,
	};
	char *text;

	s.exit_reason[12] = 1;
	s.exit_reason[30] = 36;
	s.exit_reason[48] = 3;
	text = stats_text(2, &s);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("nvmx: vCPU 2: 5 runs, 40 exits, 4 user exits, 3 EPT faults, 0 injections\n"
		     "nvmx: vCPU 2:   exit 12 HLT                        1\n"
		     "nvmx: vCPU 2:   exit 30 IO_INSTRUCTION             36\n"
		     "nvmx: vCPU 2:   exit 48 EPT_VIOLATION              3\n",
		     text);
	free(text);
}

TEST(stats_show_the_nested_line_once_l1_ran_a_guest)
{
	struct nvmx_stats s = {
		.runs = 1, .exits = 90, .nested_entries = 10, .l2_exits = 12,
		.nested_exits = 10,
	};
	char *text = stats_text(0, &s);

	ASSERT_NE(NULL, text);
	EXPECT_STREQ("nvmx: vCPU 0: 1 runs, 90 exits, 0 user exits, 0 EPT faults, 0 injections\n"
		     "nvmx: vCPU 0: nested: 10 entries into L2, 12 exits while L2 ran, 10 of them given to L1\n",
		     text);
	free(text);
}

TEST_HARNESS_MAIN
