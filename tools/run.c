// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nvmx run`: load the guest, set up the VM (run_setup.c), run one thread
 * per vCPU (vmm.c) and turn the way the VM ended into the exit status
 * (vmm.h lists them).
 *
 * SIGINT is caught, without SA_RESTART so that an NVMX_RUN in progress
 * returns -EINTR, once the VM exists: the handler stops every vCPU and the
 * exit status is 130. Before that, SIGINT has its default effect.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acpi.h"
#include "linux_boot.h"
#include "loader.h"
#include "platform.h"
#include "run.h"
#include "vmm.h"

/* The VM the SIGINT handler stops; NULL while there is none. */
static struct vmm *sigint_vmm;

static void on_sigint(int sig)
{
	struct vmm *vmm = __atomic_load_n(&sigint_vmm, __ATOMIC_SEQ_CST);

	(void)sig;
	if (vmm) {
		vmm_set_status(vmm, RUN_INTERRUPTED);
		vmm_stop(vmm);
	}
}

static void catch_sigint(struct vmm *vmm)
{
	struct sigaction sa = { .sa_handler = vmm ? on_sigint : SIG_DFL };

	sigemptyset(&sa.sa_mask);
	__atomic_store_n(&sigint_vmm, vmm, __ATOMIC_SEQ_CST);
	sigaction(SIGINT, &sa, NULL);
}

/* Map the file @path read-only: *@len bytes at *@image (NULL if empty). */
int run_map_file(const char *path, const void **image, size_t *len)
{
	struct stat st;
	int fd, ret = 0;

	*image = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		ret = -errno;
	else if (!S_ISREG(st.st_mode))
		ret = -EINVAL;
	else if (st.st_size > 0)
		*image = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (*image == MAP_FAILED) {
		ret = -errno;
		*image = NULL;
	}
	if (fd >= 0)
		close(fd);
	*len = ret ? 0 : st.st_size;
	return ret;
}

/* Load @o->image into @mem; one line on stderr if it cannot be run. */
static int load_image(const struct run_options *o, void *mem,
		      struct nvmx_boot *boot)
{
	const void *image;
	char err[256];
	size_t len;
	int ret;

	ret = run_map_file(o->image, &image, &len);
	if (ret) {
		fprintf(stderr, "nvmx: %s: %s\n", o->image,
			ret == -EINVAL ? "not a regular file" : strerror(-ret));
		return ret;
	}
	ret = nvmx_load_elf(image ?: "", len, mem, o->memory, boot, err,
			    sizeof(err));
	if (image)
		munmap((void *)image, len);
	if (ret) {
		fprintf(stderr, "nvmx: %s: %s\n", o->image, err);
		return ret;
	}
	/* The loader keeps vCPU 0's stack free; the others' go below it. */
	if (o->cpus * NVMX_LOADER_STACK_SIZE > o->memory - boot->load_end) {
		fprintf(stderr,
			"nvmx: %s: no room below the image's end (%#llx) for the stacks of %u vCPUs: use a larger --memory\n",
			o->image, (unsigned long long)boot->load_end, o->cpus);
		return -E2BIG;
	}
	return 0;
}

/*
 * The host's TSC rate from the module (0 if it cannot say). Quiet: if
 * /dev/nvmx cannot be opened, run_vm() says so.
 */
static __u32 host_tsc_khz(void)
{
	struct nvmx_vmx_caps caps;
	int dev = nvmx_open();

	if (dev < 0)
		return 0;
	if (nvmx_vmx_caps(dev, &caps))
		caps.tsc_khz = 0;
	close(dev);
	return caps.tsc_khz;
}

/*
 * Load --kernel, --initrd and the command line into @mem: a bzImage here,
 * a Multiboot kernel in run_multiboot.c.
 */
static int load_linux(const struct run_options *o, void *mem,
		      struct nvmx_boot *boot)
{
	struct linux_boot_args a = { .cmdline = o->append,
				     .acpi_rsdp = ACPI_RSDP };
	char err[256], cmdline[512];
	const char *bad = o->kernel;
	int ret;

	ret = run_map_file(o->kernel, &a.kernel, &a.kernel_len);
	if (!ret && !run_kernel_is_bzimage(a.kernel, a.kernel_len)) {
		ret = run_load_multiboot(o, a.kernel ?: "", a.kernel_len, mem,
					 boot);
		goto tables;
	}
	if (!ret && o->nr_modules) {
		fprintf(stderr, "nvmx: %s: a Linux bzImage takes --initrd, not --module\n",
			o->kernel);
		ret = -EINVAL;
		goto out;
	}
	if (!ret && o->initrd) {
		bad = o->initrd;
		ret = run_map_file(o->initrd, &a.initrd, &a.initrd_len);
		if (!ret && !a.initrd)
			a.initrd = "";		/* an empty initrd */
	}
	if (ret) {
		fprintf(stderr, "nvmx: %s: %s\n", bad,
			ret == -EINVAL ? "not a regular file" : strerror(-ret));
		goto out;
	}
	if (!a.cmdline) {
		run_linux_cmdline(cmdline, sizeof(cmdline));
		a.cmdline = cmdline;
	}
	if (!a.kernel)
		a.kernel = "";
	ret = nvmx_load_linux(&a, mem, o->memory, boot, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "nvmx: %s: %s\n", o->kernel, err);
		goto out;
	}
tables:
	/* Both kinds of kernel get the PC's ACPI tables. */
	if (!ret && acpi_build(mem, o->memory, o->cpus, PLATFORM_PM1A_EVT,
			       PLATFORM_PM1A_CNT)) {
		fprintf(stderr, "nvmx: cannot build the ACPI tables\n");
		ret = -EINVAL;
	}
out:
	if (a.kernel && a.kernel_len)
		munmap((void *)a.kernel, a.kernel_len);
	if (a.initrd && a.initrd_len)
		munmap((void *)a.initrd, a.initrd_len);
	return ret;
}

/* Run every vCPU in a thread of its own until all have ended. */
static void run_vcpus(struct vmm *vmm)
{
	unsigned int i, started;
	int ret;

	for (started = 0; started < vmm->nr_vcpus; started++) {
		ret = pthread_create(&vmm->vcpus[started].thread, NULL,
				     vmm_vcpu_thread, &vmm->vcpus[started]);
		if (ret) {
			fprintf(stderr, "nvmx: vCPU %u: cannot start a thread: %s\n",
				started, strerror(ret));
			vmm_set_status(vmm, RUN_ERROR);
			vmm_stop(vmm);
			break;
		}
	}
	for (i = 0; i < started; i++)
		pthread_join(vmm->vcpus[i].thread, NULL);
}

static void print_stats(struct vmm *vmm)
{
	struct nvmx_nested_stats ns;
	struct nvmx_stats s;
	unsigned int i;
	int ret;

	fflush(stdout);
	for (i = 0; i < vmm->nr_vcpus; i++) {
		ret = nvmx_get_stats(vmm->vcpus[i].fd, &s);
		if (ret) {
			fprintf(stderr, "nvmx: vCPU %u: NVMX_GET_STATS: %s\n",
				i, strerror(-ret));
			continue;
		}
		vmm_print_stats(stderr, i, &s);
		ret = nvmx_get_nested_stats(vmm->vcpus[i].fd, &ns);
		if (ret)
			fprintf(stderr,
				"nvmx: vCPU %u: NVMX_GET_NESTED_STATS: %s\n",
				i, strerror(-ret));
		else
			vmm_print_nested_stats(stderr, i, &ns);
	}
}

static int start_platform(struct vmm *vmm)
{
	int ret = platform_start(vmm);

	if (ret)
		fprintf(stderr, "nvmx: cannot start the platform's timer: %s\n",
			strerror(-ret));
	return ret;
}

/* Create the VM on /dev/nvmx, run it, take it down: the exit status. */
static int run_vm(const struct run_options *o, void *mem,
		  const struct nvmx_boot *boot)
{
	static struct vmm vmm;
	int dev, ver, status = RUN_ERROR;

	dev = open_dev();
	if (dev < 0)
		return RUN_ERROR;
	ver = nvmx_api_version(dev);
	if (ver != NVMX_API_VERSION) {
		if (ver < 0)
			fprintf(stderr, "nvmx: cannot query the module: %s\n",
				strerror(-ver));
		else
			fprintf(stderr, "nvmx: the module has API version %d, this tool %d\n",
				ver, NVMX_API_VERSION);
		close(dev);
		return RUN_ERROR;
	}
	vmm_init(&vmm, stdout, stderr);
	if (!run_setup_vm(&vmm, dev, o, mem, boot) &&
	    !(o->kernel && start_platform(&vmm))) {
		catch_sigint(&vmm);
		run_vcpus(&vmm);
		catch_sigint(NULL);
		status = vmm_exit_status(&vmm);
		if (o->stats)
			print_stats(&vmm);
	}
	platform_stop(&vmm);
	run_teardown(&vmm, dev);
	vmm_destroy(&vmm);
	close(dev);
	return status;
}

/**
 * cmd_run() - `nvmx run [--memory SIZE] [--cpus N] [--stats] IMAGE`, or
 * with --kernel BZIMAGE [--initrd FILE] [--append CMDLINE] instead of IMAGE
 * @argc: count of @argv
 * @argv: the arguments after "run"
 *
 * Return: the exit status (vmm.h).
 */
int cmd_run(int argc, char **argv)
{
	struct run_options o;
	struct nvmx_boot boot;
	char err[256];
	void *mem;
	int status, ret;

	if (run_parse_args(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "nvmx: run: %s (see nvmx help)\n", err);
		return RUN_USAGE;
	}
	/* Untouched pages cost nothing until the guest (or the loader) uses them. */
	mem = mmap(NULL, o.memory, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "nvmx: cannot allocate %llu bytes of guest memory: %s\n",
			(unsigned long long)o.memory, strerror(errno));
		return RUN_ERROR;
	}
	if (o.kernel)
		o.tsc_khz = host_tsc_khz();
	if (o.kernel) {
		/* A --kernel, --initrd or --module file we cannot boot: 2. */
		ret = load_linux(&o, mem, &boot);
		status = ret == -ENOMEM ? RUN_ERROR : RUN_USAGE;
	} else {
		ret = load_image(&o, mem, &boot);
		status = RUN_ERROR;
	}
	if (!ret)
		status = run_vm(&o, mem, &boot);
	munmap(mem, o.memory);
	return status;
}
