// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a 64-bit Linux bzImage by the x86 boot protocol (linux_boot.h):
 * check the setup header, copy the protected-mode kernel, the initrd and
 * the command line into guest memory, and build boot_params with the e820
 * map. The bzImage and initrd come from the user: every offset and size
 * is bounded before use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "linux_boot.h"
#include "loader.h"

#define PAGE_SIZE	0x1000ULL
#define SECTOR		512
#define ENTRY_64	0x200	/* startup_64: the 64-bit entry's offset */

static uint16_t get16(const unsigned char *p, size_t off)
{
	return p[off] | p[off + 1] << 8;
}

static uint32_t get32(const unsigned char *p, size_t off)
{
	return get16(p, off) | (uint32_t)get16(p, off + 2) << 16;
}

static uint64_t get64(const unsigned char *p, size_t off)
{
	return get32(p, off) | (uint64_t)get32(p, off + 4) << 32;
}

static void put32(unsigned char *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, sizeof(v));		/* x86: little-endian */
}

static void put_e820(unsigned char *bp, unsigned int i, uint64_t addr,
		     uint64_t size, uint32_t type)
{
	unsigned char *e = bp + BP_E820_TABLE + i * 20;

	memcpy(e, &addr, 8);
	memcpy(e + 8, &size, 8);
	memcpy(e + 16, &type, 4);
	bp[BP_E820_ENTRIES] = i + 1;
}

/* The header of a bzImage we can boot; *@hdr_end: where it ends. */
static int check_header(const unsigned char *k, size_t len, size_t *hdr_end,
			char *err, size_t errlen)
{
	unsigned int ver;

	if (len < BP_SIZE || get16(k, BP_BOOT_FLAG) != 0xaa55 ||
	    memcmp(k + BP_HEADER, "HdrS", 4))
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "not a Linux bzImage (no \"HdrS\" setup header)");
	ver = get16(k, BP_VERSION);
	if (ver < LINUX_MIN_VERSION)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "boot protocol %u.%02u: 2.12 or later is needed",
			    ver >> 8, ver & 0xff);
	if (!(get16(k, BP_XLOADFLAGS) & LINUX_XLF_KERNEL_64))
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "the kernel has no 64-bit entry point (XLF_KERNEL_64)");
	/* The jump at 0x200 skips the header: its end is 0x202 + its byte. */
	*hdr_end = BP_HEADER + k[BP_JUMP + 1];
	if (*hdr_end > BP_SIZE || *hdr_end < BP_INIT_SIZE + 4)
		return nvmx_load_fail(err, errlen, -ENOEXEC, "bad setup header size");
	return 0;
}

/* Where the initrd goes: page aligned, as high as the kernel allows. */
static int place_initrd(const unsigned char *k, size_t ilen,
			uint64_t kernel_end, uint64_t mem_size, uint64_t *at,
			char *err, size_t errlen)
{
	uint64_t top = mem_size, max = (uint64_t)get32(k, BP_INITRD_ADDR_MAX) + 1;

	if (top > max)
		top = max;
	if (ilen > top || ((top - ilen) & ~(PAGE_SIZE - 1)) < kernel_end)
		return nvmx_load_fail(err, errlen, -E2BIG,
			    "the initrd (%zu bytes) does not fit between the kernel's end (%#llx) and %#llx: use a larger --memory",
			    ilen, (unsigned long long)kernel_end,
			    (unsigned long long)top);
	*at = (top - ilen) & ~(PAGE_SIZE - 1);
	return 0;
}

static void build_e820(unsigned char *bp, uint64_t mem_size)
{
	put_e820(bp, 0, 0, LINUX_BOOT_LOW_RAM_END, LINUX_E820_RAM);
	put_e820(bp, 1, LINUX_BOOT_LOW_RAM_END,
		 LINUX_BOOT_KERNEL - LINUX_BOOT_LOW_RAM_END,
		 LINUX_E820_RESERVED);
	put_e820(bp, 2, LINUX_BOOT_KERNEL, mem_size - LINUX_BOOT_KERNEL,
		 LINUX_E820_RAM);
}

/* The kernel's command line at LINUX_BOOT_CMDLINE, NUL-terminated. */
static int put_cmdline(const unsigned char *k, const char *cmdline,
		       unsigned char *mem, unsigned char *bp, char *err,
		       size_t errlen)
{
	size_t n = strlen(cmdline ?: "");
	uint32_t max = get32(k, BP_CMDLINE_SIZE);

	if (n > max || n >= LINUX_BOOT_CMDLINE_MAX)
		return nvmx_load_fail(err, errlen, -E2BIG,
			    "the command line has %zu bytes, the kernel takes %u",
			    n, max);
	memcpy(mem + LINUX_BOOT_CMDLINE, cmdline ?: "", n);
	mem[LINUX_BOOT_CMDLINE + n] = '\0';
	put32(bp, BP_CMD_LINE_PTR, LINUX_BOOT_CMDLINE);
	put32(bp, BP_EXT_CMD_LINE_PTR, 0);
	return 0;
}

/**
 * nvmx_load_linux() - load a bzImage, its initrd and command line
 * @a: the kernel, the initrd (optional) and the command line
 * @mem: guest memory, guest-physical 0 onwards
 * @mem_size: its size, a multiple of 64 KiB up to 4 GiB
 * @boot: where the vCPU starts: RIP the 64-bit entry, RSP, and the tables
 *	  of loader.h with the boot protocol's selectors; RSI must be set to
 *	  LINUX_BOOT_PARAMS by the caller
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * Return: 0, -ENOEXEC for a file that is not a 64-bit bzImage, -E2BIG for
 * a kernel, initrd or command line that does not fit, -EINVAL for a bad
 * @mem_size.
 */
int nvmx_load_linux(const struct linux_boot_args *a, void *mem,
		    uint64_t mem_size, struct nvmx_boot *boot, char *err,
		    size_t errlen)
{
	const unsigned char *k = a->kernel;
	unsigned char *m = mem, *bp = m + LINUX_BOOT_PARAMS;
	uint64_t setup_size, pm_len, kernel_end, at = 0, base;
	size_t hdr_end = 0;
	int ret;

	if (mem_size > NVMX_LOADER_MAX_MEM || mem_size % 0x10000 ||
	    mem_size < LINUX_BOOT_KERNEL * 2)
		return nvmx_load_fail(err, errlen, -EINVAL,
			    "guest memory must be 2 MiB to 4 GiB, in 64 KiB steps");
	ret = check_header(k, a->kernel_len, &hdr_end, err, errlen);
	if (ret)
		return ret;
	setup_size = ((uint64_t)(k[BP_SETUP_SECTS] ?: 4) + 1) * SECTOR;
	if (setup_size >= a->kernel_len)
		return nvmx_load_fail(err, errlen, -ENOEXEC,
			    "the bzImage ends inside its setup code");
	pm_len = a->kernel_len - setup_size;
	/* A relocatable kernel moves itself up to its preferred address. */
	base = get64(k, BP_PREF_ADDRESS);
	if (base < LINUX_BOOT_KERNEL || base > mem_size)
		base = LINUX_BOOT_KERNEL;
	kernel_end = base + get32(k, BP_INIT_SIZE);
	if (kernel_end < LINUX_BOOT_KERNEL + pm_len)
		kernel_end = LINUX_BOOT_KERNEL + pm_len;
	if (kernel_end > mem_size)
		return nvmx_load_fail(err, errlen, -E2BIG,
			    "the kernel needs memory up to %#llx: use a larger --memory",
			    (unsigned long long)kernel_end);
	if (a->initrd) {
		ret = place_initrd(k, a->initrd_len, kernel_end, mem_size, &at,
				   err, errlen);
		if (ret)
			return ret;
	}
	memset(bp, 0, BP_SIZE);
	memcpy(bp + BP_HDR, k + BP_HDR, hdr_end - BP_HDR);
	ret = put_cmdline(k, a->cmdline, m, bp, err, errlen);
	if (ret)
		return ret;
	bp[BP_TYPE_OF_LOADER] = 0xff;		/* an unregistered loader */
	put32(bp, BP_CODE32_START, LINUX_BOOT_KERNEL);
	if (a->initrd) {
		memcpy(m + at, a->initrd, a->initrd_len);
		put32(bp, BP_RAMDISK_IMAGE, at);
		put32(bp, BP_RAMDISK_SIZE, a->initrd_len);
	}
	build_e820(bp, mem_size);
	/* An older kernel scans 0xe0000-0xfffff for the RSDP instead. */
	if (a->acpi_rsdp && get16(k, BP_VERSION) >= LINUX_RSDP_VERSION) {
		put32(bp, BP_ACPI_RSDP_ADDR, a->acpi_rsdp);
		put32(bp, BP_ACPI_RSDP_ADDR + 4, a->acpi_rsdp >> 32);
	}
	memcpy(m + LINUX_BOOT_KERNEL, k + setup_size, pm_len);

	memset(boot, 0, sizeof(*boot));
	boot->cs = LINUX_BOOT_CS;
	boot->ds = LINUX_BOOT_DS;
	boot->tr = LINUX_BOOT_TR;
	nvmx_loader_build_tables(mem, boot);
	boot->entry = LINUX_BOOT_KERNEL + ENTRY_64;
	boot->rsp = LINUX_BOOT_STACK;
	boot->load_end = kernel_end;
	return 0;
}
