// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmx: the command-line tool of the nvmx hypervisor.
 *
 *   nvmx info       API version and the host's VT-x capabilities
 *   nvmx run ...    run a 64-bit ELF guest (run.h, vmm.h), or boot a
 *                   Linux or Multiboot kernel (--kernel)
 *   nvmx stat ...   the counters of running VMs (stat.h)
 *   nvmx help       usage
 *
 * Errors are one line on stderr and a non-zero exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libnvmx.h"
#include "run.h"
#include "stat.h"

static const char *const msr_names[NVMX_VMX_MSR_COUNT] = {
	"IA32_VMX_BASIC", "IA32_VMX_PINBASED_CTLS", "IA32_VMX_PROCBASED_CTLS",
	"IA32_VMX_EXIT_CTLS", "IA32_VMX_ENTRY_CTLS", "IA32_VMX_MISC",
	"IA32_VMX_CR0_FIXED0", "IA32_VMX_CR0_FIXED1", "IA32_VMX_CR4_FIXED0",
	"IA32_VMX_CR4_FIXED1", "IA32_VMX_VMCS_ENUM",
	"IA32_VMX_PROCBASED_CTLS2", "IA32_VMX_EPT_VPID_CAP",
	"IA32_VMX_TRUE_PINBASED_CTLS", "IA32_VMX_TRUE_PROCBASED_CTLS",
	"IA32_VMX_TRUE_EXIT_CTLS", "IA32_VMX_TRUE_ENTRY_CTLS",
	"IA32_VMX_VMFUNC",
};

int open_dev(void)
{
	int dev = nvmx_open();

	if (dev == -ENOENT)
		fprintf(stderr,
			"nvmx: /dev/nvmx does not exist: load the module (modprobe nvmx)\n");
	else if (dev < 0)
		fprintf(stderr, "nvmx: cannot open /dev/nvmx: %s\n",
			strerror(-dev));
	return dev;
}

static int cmd_info(void)
{
	struct nvmx_vmx_caps caps;
	unsigned int i;
	int dev, ver, err;

	dev = open_dev();
	if (dev < 0)
		return 1;
	ver = nvmx_api_version(dev);
	err = ver < 0 ? ver : nvmx_vmx_caps(dev, &caps);
	close(dev);
	if (err < 0) {
		fprintf(stderr, "nvmx: cannot query the module: %s\n",
			strerror(-err));
		return 1;
	}
	printf("api version: %d (this tool: %d)\n", ver, NVMX_API_VERSION);
	printf("cpus: %u\n", caps.nr_cpus);
	printf("vmcs revision: %#x\nvmcs size: %u\n", caps.vmcs_revision,
	       caps.vmcs_size);
	printf("features:");
	for (i = 0; i < 64; i++)
		if (caps.features & (1ULL << i))
			printf(" %s", nvmx_feature_name(i) ?: "?");
	printf("\n");
	for (i = 0; i < NVMX_VMX_MSR_COUNT; i++)
		printf("msr %#x %-28s %#018llx\n", NVMX_VMX_MSR_FIRST + i,
		       msr_names[i], (unsigned long long)caps.msrs[i]);
	return ver == NVMX_API_VERSION ? 0 : 1;
}

static const char usage_text[] =
	"usage: nvmx info    API version and the host's VT-x capabilities\n"
	"       nvmx run [--memory SIZE] [--cpus N] [--stats]\n"
	"                [--expose-virtualization-extensions] IMAGE\n"
	"                    run IMAGE, a static 64-bit ELF executable, in a VM\n"
	"                    with SIZE bytes of memory (suffix K, M or G; default\n"
	"                    16M) and N vCPUs (default 1); --stats: each vCPU's\n"
	"                    counters on stderr at the end;\n"
	"                    --expose-virtualization-extensions: the guest sees\n"
	"                    VMX and may run its own hypervisor (default: not)\n"
	"       nvmx run [--memory SIZE] [--cpus N] [--stats] [--expose-...]\n"
	"                --kernel BZIMAGE [--initrd FILE] [--append CMDLINE]\n"
	"                    boot a 64-bit Linux kernel on N vCPUs (1 to 15),\n"
	"                    on a PC with local APICs, an I/O APIC, ACPI tables,\n"
	"                    PIC, PIT, RTC, i8042 and COM1 on stdin/stdout\n"
	"                    (default memory 128M; see Documentation/guests.rst);\n"
	"                    its reboot or ACPI power-off ends the VM with\n"
	"                    status 0\n"
	"       nvmx run [--memory SIZE] [--stats] [--expose-...] --kernel MBKERNEL\n"
	"                [--initrd FILE] [--module FILE[,ARGS]]... [--append ARGS]\n"
	"                    boot a Multiboot (v1) ELF or a.out-kludge kernel on\n"
	"                    the same PC, in 32-bit protected mode; --initrd is\n"
	"                    the first module, then each --module in order (its\n"
	"                    string: \"FILE ARGS\"); its command line is\n"
	"                    \"MBKERNEL ARGS\"\n"
	"       nvmx stat [--once] [PID]\n"
	"                    each vCPU's counters, with its nested exits by\n"
	"                    reason, for the VMs of process PID (default: all\n"
	"                    VMs), read from /sys/kernel/debug/nvmx (needs root\n"
	"                    and debugfs); again every second until interrupted,\n"
	"                    or once with --once\n"
	"       nvmx help    this text\n"
	"\n"
	"Every vCPU of nvmx run starts at IMAGE's entry point in 64-bit mode,\n"
	"vCPU n with RDI = n and RSP = SIZE - n * 64K. The guest has a 16550 UART\n"
	"at port 0x3f8 (its output goes to stdout) and a debug-exit port at 0xf4:\n"
	"writing V there ends the VM with exit status V & 0xff. Other ports and\n"
	"addresses outside memory read as all ones; HLT ends a vCPU. Other exit\n"
	"statuses: 0 every vCPU halted, 1 nvmx failed, 2 bad command line (or a\n"
	"--kernel, --initrd or --module file that cannot be booted), 121 a vCPU\n"
	"triple-faulted, 122 VM entry failed, 123 internal error of the module,\n"
	"130 interrupted (SIGINT).\n";

static void usage(FILE *out)
{
	fputs(usage_text, out);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "info"))
		return cmd_info();
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "stat"))
		return cmd_stat(argc - 2, argv + 2);
	if (argc == 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
