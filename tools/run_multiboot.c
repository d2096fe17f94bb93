// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nvmx run --kernel` with a Multiboot (v1) kernel (multiboot.h): telling
 * it from a bzImage, mapping its modules (--initrd first, then each
 * --module FILE[,ARGS] in order), the strings it gets, and its vCPU's
 * state at entry.
 *
 * As GRUB and QEMU do, the command line is the kernel's file name, then
 * a space and --append if given; a module's string is its file name, then
 * a space and ARGS if given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "libnvmx.h"
#include "linux_boot.h"
#include "loader.h"
#include "multiboot.h"
#include "run.h"

#define RFLAGS_FIXED	0x2ULL

/* Return: 1 if @kernel has a Linux setup header ("HdrS"), else 0. */
int run_kernel_is_bzimage(const void *kernel, size_t len)
{
	return kernel && len >= BP_HEADER + 4 &&
	       !memcmp((const char *)kernel + BP_HEADER, "HdrS", 4);
}

/* "@a" or "@a @b": a string to free(), or NULL. */
static char *join(const char *a, size_t alen, const char *b)
{
	size_t blen = b ? strlen(b) + 1 : 0;
	char *s = malloc(alen + blen + 1);

	if (!s)
		return NULL;
	memcpy(s, a, alen);
	if (b) {
		s[alen] = ' ';
		memcpy(s + alen + 1, b, blen - 1);
	}
	s[alen + blen] = '\0';
	return s;
}

/* Map the module of @spec ("FILE" or "FILE,ARGS") and make its string. */
static int add_module(const char *spec, struct multiboot_module *mod)
{
	const char *comma = strchr(spec, ',');
	size_t n = comma ? (size_t)(comma - spec) : strlen(spec);
	char *path = join(spec, n, NULL);
	int ret;

	*mod = (struct multiboot_module){ 0 };
	if (!path)
		return -ENOMEM;
	ret = run_map_file(path, &mod->data, &mod->len);
	if (ret)
		fprintf(stderr, "nvmx: %s: %s\n", path,
			ret == -EINVAL ? "not a regular file" : strerror(-ret));
	free(path);
	if (ret)
		return ret;
	mod->string = join(spec, n, comma ? comma + 1 : NULL);
	return mod->string ? 0 : -ENOMEM;
}

static void put_modules(struct multiboot_module *mods, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (mods[i].len)
			munmap((void *)mods[i].data, mods[i].len);
		free((char *)mods[i].string);
	}
}

/* Is @kernel a Multiboot kernel? One line on stderr if not. */
static int check_kernel(const struct run_options *o, const void *kernel,
			size_t len)
{
	struct multiboot_header h;
	char err[256];
	int ret;

	ret = multiboot_find_header(kernel, len, &h, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "nvmx: %s: %s\n", o->kernel, err);
		return ret;
	}
	if (!ret) {
		fprintf(stderr,
			"nvmx: %s: neither a Linux bzImage (no \"HdrS\" setup header) nor a Multiboot kernel (no Multiboot header in the first 8 KiB)\n",
			o->kernel);
		return -ENOEXEC;
	}
	if (h.flags & MB_FLAG_VIDEO)
		fprintf(stderr,
			"nvmx: %s: asks for a video mode (Multiboot flag 2): there is no display, it gets no video information\n",
			o->kernel);
	return 0;
}

/**
 * run_load_multiboot() - load a Multiboot kernel and its modules
 * @o: the options: --kernel, --append, --initrd, --module
 * @kernel: the kernel file's contents (mapped by the caller)
 * @kernel_len: its length
 * @mem: guest memory, @o->memory bytes
 * @boot: where the vCPU starts (nvmx_load_multiboot())
 *
 * On failure, one line on stderr.
 *
 * Return: 0 or -errno (-ENOMEM: out of host memory; anything else: a
 * file that cannot be booted).
 */
int run_load_multiboot(const struct run_options *o, const void *kernel,
		       size_t kernel_len, void *mem, struct nvmx_boot *boot)
{
	struct multiboot_module mods[RUN_MAX_MODULES + 1];
	struct multiboot_args a = {
		.kernel = kernel, .kernel_len = kernel_len, .mods = mods,
	};
	char err[256], *cmdline = NULL;
	unsigned int i;
	int ret;

	ret = check_kernel(o, kernel, kernel_len);
	if (ret)
		return ret;
	if (o->initrd) {
		ret = add_module(o->initrd, &mods[a.nr_mods++]);
		if (ret)
			goto out;
	}
	for (i = 0; i < o->nr_modules; i++) {
		ret = add_module(o->modules[i], &mods[a.nr_mods++]);
		if (ret)
			goto out;
	}
	cmdline = join(o->kernel, strlen(o->kernel), o->append);
	if (!cmdline) {
		ret = -ENOMEM;
		goto out;
	}
	a.cmdline = cmdline;
	ret = nvmx_load_multiboot(&a, mem, o->memory, boot, err, sizeof(err));
	if (ret)
		fprintf(stderr, "nvmx: %s: %s\n", o->kernel, err);
out:
	if (ret == -ENOMEM)
		fprintf(stderr, "nvmx: out of memory for the modules\n");
	put_modules(mods, a.nr_mods);
	free(cmdline);
	return ret;
}

/**
 * run_multiboot_vcpu() - the Multiboot entry state of a vCPU
 * @vcpu: the vCPU's fd
 * @boot: from nvmx_load_multiboot()
 *
 * The segment and control registers of multiboot_sregs(); EAX the boot
 * magic, EBX the information structure, EIP the entry point, ESP
 * @boot->rsp, EFLAGS 0x2 (IF and VM clear). One line on stderr on failure.
 *
 * Return: 0 or -errno.
 */
int run_multiboot_vcpu(int vcpu, const struct nvmx_boot *boot)
{
	struct nvmx_sregs s;
	struct nvmx_regs r;
	int ret;

	ret = nvmx_get_sregs(vcpu, &s);
	if (!ret) {
		multiboot_sregs(&s);
		ret = nvmx_set_sregs(vcpu, &s);
	}
	if (!ret)
		ret = nvmx_get_regs(vcpu, &r);
	if (!ret) {
		r.rax = MB_BOOT_MAGIC;
		r.rbx = boot->multiboot_info;
		r.rip = boot->entry;
		r.rsp = boot->rsp;
		r.rflags = RFLAGS_FIXED;
		ret = nvmx_set_regs(vcpu, &r);
	}
	if (ret)
		fprintf(stderr, "nvmx: cannot set up the Multiboot entry state: %s\n",
			strerror(-ret));
	return ret;
}
