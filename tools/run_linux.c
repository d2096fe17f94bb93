// SPDX-License-Identifier: GPL-2.0-only
/*
 * What `nvmx run --kernel` tells a Linux guest besides boot_params: its
 * TSC frequency in CPUID leaves 0x15 and 0x16, and the default kernel
 * command line (Documentation/guests.rst says why each parameter is
 * there). Pure, for the unit tests.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libnvmx.h"
#include "run.h"

#define LEAF_TSC	0x15	/* TSC/crystal ratio, crystal Hz */
#define LEAF_FREQ	0x16	/* base, max and bus MHz */

/* The platform has APICs and ACPI but no PCI; the UART is the console. */
#define LINUX_DEFAULT_CMDLINE \
	"console=ttyS0 earlyprintk=serial,ttyS0,115200 pci=off reboot=k " \
	"tsc=reliable io_delay=none nokaslr panic=-1"

static struct nvmx_cpuid_entry *find(struct nvmx_cpuid_entry *c, int n,
				     __u32 fn)
{
	int i;

	for (i = 0; i < n; i++)
		if (c[i].function == fn)
			return &c[i];
	return NULL;
}

/**
 * run_linux_cpuid() - add the TSC frequency leaves to a CPUID table
 * @cpuid: the table from NVMX_GET_SUPPORTED_CPUID
 * @n: its entries
 * @room: the entries @cpuid has room for
 * @tsc_khz: the TSC frequency (nvmx_vmx_caps.tsc_khz); 0 adds nothing
 *
 * Leaf 0x15 says TSC = crystal (ratio 1/1, or 2^k/1 for a TSC above
 * 4.29 GHz) with the crystal's frequency in ECX, which Linux takes as a
 * known frequency (no calibration); leaf 0x16 has it in MHz. Leaf 0's
 * maximum is raised to 0x16.
 *
 * Return: the new number of entries, or -E2BIG, or -EINVAL if the table
 * has no leaf 0.
 */
int run_linux_cpuid(struct nvmx_cpuid_entry *cpuid, int n, int room,
		    __u32 tsc_khz)
{
	struct nvmx_cpuid_entry *leaf0 = find(cpuid, n, 0);
	__u64 hz = (__u64)tsc_khz * 1000;
	__u32 ratio = 1;

	if (!leaf0)
		return -EINVAL;
	if (!tsc_khz)
		return n;
	if (find(cpuid, n, LEAF_TSC) || find(cpuid, n, LEAF_FREQ) ||
	    n + 2 > room)
		return -E2BIG;
	while (hz > 0xffffffffULL) {
		hz >>= 1;
		ratio <<= 1;
	}
	if (leaf0->eax < LEAF_FREQ)
		leaf0->eax = LEAF_FREQ;
	cpuid[n++] = (struct nvmx_cpuid_entry){
		.function = LEAF_TSC, .eax = 1, .ebx = ratio, .ecx = hz,
	};
	cpuid[n++] = (struct nvmx_cpuid_entry){
		.function = LEAF_FREQ, .eax = tsc_khz / 1000,
		.ebx = tsc_khz / 1000, .ecx = 100,
	};
	return n;
}

/**
 * run_linux_cmdline() - the default command line of `nvmx run --kernel`
 * @buf: where it goes
 * @len: size of @buf
 *
 * There is no tsc_early_khz=: it would make Linux skip leaf 0x15, and
 * with it the "known frequency" that makes the TSC its clock source at
 * once instead of after a second of refinement against the PIT.
 *
 * Return: 0, or -E2BIG if @buf is too small.
 */
int run_linux_cmdline(char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", LINUX_DEFAULT_CMDLINE);

	return n < 0 || (size_t)n >= len ? -E2BIG : 0;
}
