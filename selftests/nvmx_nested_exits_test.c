// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VMX, L2's exits: an L1 hypervisor (guest_l1.c) runs L2 with
 * VMLAUNCH and VMRESUME. L2's exits that L1 asked for reach L1 with the
 * right reason and qualification, and L1 resumes L2 where it was (round
 * trips, each execution control, the CR4 mask and MSR bitmap, L2 in real
 * mode, VMREAD and VMWRITE through L1's shadow VMCS); the ones it did not
 * ask for are L0's and L2 never notices. The per-reason counters, the
 * debugfs stats file and the tracepoints show that flow.
 *
 * Needs root and VT-x with EPT. Loads nvmx.ko if needed. The fixture and
 * helpers all nested tests share are in nvmx_nested.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <linux/nvmx.h>

#include "guest.h"
#include "guest_l1.h"
#include "lib.h"
#include "libnvmx.h"
#include "vmm_harness.h"
#include "nvmx_nested.h"
#include "../src/stats_file.h"

#define CR4_PCE			(1ULL << 8)
#define CR4_OSXMMEXCPT		(1ULL << 10)
#define MSR_KERNEL_GS_BASE	0xc0000102

/*
 * L2's CPUID, OUT and HLT reach L1, which emulates them; then 10,000
 * VMCALL round trips in which L1 checks L2's RAX and L2 checks L1's.
 */
TEST_F(nested, l1_handles_l2_exits_and_resumes_it)
{
	struct vcpu *v = &self->vcpu;
	const __u64 n = 10000;
	struct nvmx_vmx_caps caps;
	struct nvmx_stats s;

	VCPU_START(v, l1_test_round_trips, n, 0);
	VCPU_REPORT(v, EXIT_CPUID);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, IO_QUAL_OUT80);
	VCPU_REPORT(v, EXIT_HLT);
	VCPU_REPORT(v, 0x11ULL << 32 | 0x22);	/* what L2's CPUID returned */
	VCPU_REPORT(v, n);
	VCPU_REPORT(v, 0);			/* L1 saw no wrong RAX */
	VCPU_REPORT(v, 0);			/* nor did L2 */
	VCPU_RUN(v, NVMX_EXIT_HLT);
	s = stats(v);
	EXPECT_EQ(n + 3, s.nested_entries);
	EXPECT_EQ(n + 3, s.nested_exits);
	EXPECT_GE(s.l2_exits, s.nested_exits);
	TH_LOG("%llu round trips: %llu L0 exits, %llu of them L2's, %llu reflected",
	       (unsigned long long)n, (unsigned long long)s.exits,
	       (unsigned long long)s.l2_exits,
	       (unsigned long long)s.nested_exits);
	/*
	 * Each round trip: L2's VMCALL, then L1's VMREADs of the exit
	 * reason, instruction length and RIP, its VMWRITEs of RIP, HOST_RSP
	 * and HOST_RIP, and VMRESUME. With VMCS shadowing only the VMCALL and
	 * the VMRESUME exit (plus L0's 1 ms timer slices).
	 */
	ASSERT_EQ(0, nvmx_vmx_caps(self->vm.dev, &caps));
	if (caps.features & NVMX_FEAT_VMCS_SHADOWING) {
		EXPECT_GE(3 * n, s.exits);
	} else {
		EXPECT_GE(8 * n + n / 2, s.exits);
	}
}

/* What L1 does not intercept, L0 handles for L2: L1 sees none of it. */
TEST_F(nested, l0_handles_what_l1_does_not_intercept)
{
	struct vcpu *v = &self->vcpu;

	VCPU_START(v, l1_test_l0_exits, 0, 0);
	VCPU_REPORT(v, 0x12c0de);		/* L2's own OUT */
	VCPU_RUN(v, NVMX_EXIT_HLT);		/* L2's HLT */
	VCPU_REPORT(v, EXIT_VMCALL);		/* L1's first exit */
	VCPU_REPORT(v, 0x600d);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	EXPECT_EQ(1, stats(v).nested_exits);
}

/*
 * The CR4 guest/host mask: a MOV to CR4 changing a bit L1 owns exits to
 * L1; one changing only bits it does not own is L0's, and L2 reads the
 * new value. The MSR bitmap: a read whose bit is set is L1's, one whose
 * bit is clear is L0's.
 */
TEST_F(nested, cr4_mask_and_msr_bitmap_decide_who_handles)
{
	struct vcpu *v = &self->vcpu;
	__u64 before;

	VCPU_START(v, l1_test_cr_and_msr, 0, 0);
	VCPU_REPORT(v, EXIT_CR);
	VCPU_REPORT(v, 4);			/* CR4, MOV to CR */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_OK(v, vcpu_report(v, &before));
	EXPECT_EQ(CR4_PCE, before & CR4_PCE);	/* L2 reads the shadow */
	VCPU_REPORT(v, EXIT_VMCALL);		/* no CR exit to L1 */
	VCPU_REPORT(v, CR4_OSXMMEXCPT);		/* the bit L2 flipped */
	VCPU_REPORT(v, EXIT_RDMSR);
	VCPU_REPORT(v, MSR_KERNEL_GS_BASE);
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0x5151);			/* what L1 returned */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, 0);			/* L2's GS base, from L0 */
	VCPU_REPORT(v, EXIT_WRMSR);
	VCPU_REPORT(v, MSR_KERNEL_GS_BASE);
	VCPU_REPORT(v, 0x4242);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/*
 * Each execution control L1 sets makes its exit reach L1, with the
 * qualification the SDM gives where it defines one; a CR3 load of the
 * CR3-target value does not exit; L2's TSC is L1's plus L1's offset.
 */
TEST_F(nested, l1s_execution_controls_make_l2_exit)
{
	static const __u64 any = ~0ULL, want[][2] = {
		{ EXIT_HLT, any }, { 14, 0x123000 },	/* INVLPG: address */
		{ 15, any }, { 16, any },		/* RDPMC, RDTSC */
		{ 29, 0x17 },				/* MOV RAX, DR7 */
		{ 40, any },				/* PAUSE */
		{ 39, any }, { 36, 0 },			/* MONITOR, MWAIT: */
		{ 46, any }, { 47, any },		/* not armed; SGDT, SLDT */
		{ 54, any }, { 51, any },		/* WBINVD, RDTSCP */
		{ EXIT_CR, 0x13 },			/* MOV RAX, CR3 */
		{ EXIT_CR, 0x03 },			/* MOV CR3, RAX */
		{ EXIT_VMCALL, any },
	};
	struct vcpu *v = &self->vcpu;
	unsigned int i;
	__u64 val;

	VCPU_START(v, l1_test_exit_controls, 0, 0);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		VCPU_REPORT(v, want[i][0]);
		VCPU_OK(v, vcpu_report(v, &val));
		if (want[i][1] != any)
			EXPECT_EQ(want[i][1], val) TH_LOG("exit %u", i);
	}
	VCPU_REPORT(v, EXIT_VMCALL);		/* RDTSC with an offset */
	VCPU_REPORT(v, 1);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* An L2 in real mode, which unrestricted guest allows. */
TEST_F(nested, l2_runs_in_real_mode)
{
	struct vcpu *v = &self->vcpu;
	__u64 val;

	VCPU_START(v, l1_test_real_mode, 0, 0);
	VCPU_OK(v, vcpu_report(v, &val));
	if (val == 0xdead)
		SKIP(return, "the emulated CPU has no unrestricted guest");
	EXPECT_EQ(EXIT_IO, val);
	VCPU_REPORT(v, (0x80ULL << 16) | (1 << 6));	/* OUT imm8, byte */
	VCPU_REPORT(v, 0x1234);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, 0);				/* CR0.PE */
	VCPU_REPORT(v, EXIT_HLT);
	VCPU_REPORT(v, 10);				/* IP of the HLT */
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
}

/* tracefs, mounted if it is not: its directory, or NULL. */
static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];
	unsigned int i;

	mount("tracefs", dirs[0], "tracefs", 0, NULL);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/nvmx", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	return NULL;
}

static int trace_write(const char *dir, const char *file, const char *s)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -EIO;
}

/* The trace buffer as text (at most 1 MiB); free() it. */
static char *trace_read(const char *dir)
{
	size_t len = 0, max = 1 << 20;
	char path[128], *buf = calloc(1, max + 1);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		free(buf);
		return NULL;
	}
	while (len < max && (n = read(fd, buf + len, max - len)) > 0)
		len += n;
	close(fd);
	return buf;
}

/*
 * The tracepoints show the nested flow: L1's VMX instructions, its VM
 * entries into L2, L2's exits with who handled them, and the check that
 * failed an entry.
 */
TEST_F(nested, tracepoints_show_the_nested_flow)
{
	struct vcpu *v = &self->vcpu;
	const char *dir = tracefs();
	char *text;

	ASSERT_NE(NULL, dir);
	ASSERT_EQ(0, trace_write(dir, "trace", ""));
	ASSERT_EQ(0, trace_write(dir, "events/nvmx/enable", "1"));
	ASSERT_EQ(0, trace_write(dir, "tracing_on", "1"));
	VCPU_START(v, l1_test_round_trips, 2, 0);
	VCPU_REPORT(v, EXIT_CPUID);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, IO_QUAL_OUT80);
	VCPU_REPORT(v, EXIT_HLT);
	VCPU_REPORT(v, 0x11ULL << 32 | 0x22);
	VCPU_REPORT(v, 2);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	VCPU_START(v, l1_test_bad_case, 1, 0);	/* 5 CR3-target values */
	VCPU_REPORT(v, FAIL_MARK);
	VCPU_REPORT(v, GUEST_RFLAGS_ZF);
	VCPU_REPORT(v, 7);
	VCPU_REPORT(v, 0);
	VCPU_OK(v, vcpu_report(v, &self->junk));
	VCPU_RUN(v, NVMX_EXIT_HLT);
	ASSERT_EQ(0, trace_write(dir, "events/nvmx/enable", "0"));
	text = trace_read(dir);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "nvmx_vmx_insn: vcpu 0 exit reason 27 VMsucceed"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_entry: vcpu 0 vmlaunch to L2"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_entry: vcpu 0 vmresume to L2"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_exit: vcpu 0 reason 0xa qual 0x0 to L1"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_exit: vcpu 0 reason 0x12 qual 0x0 to L1"));
	EXPECT_NE(NULL, strstr(text, "nvmx_nested_check_failed: vcpu 0 VMfailValid 0x7:"));
	free(text);
}

/*
 * The debugfs directory of this process's VM (vm-PID-ID): its path in
 * @path. Return: 0, or -1 when there is none.
 */
static int vm_debugfs_dir(char *path, size_t len)
{
	char prefix[32];
	struct dirent *d;
	int found = -1;
	DIR *dir;

	nvmx_debugfs("vms");	/* mounts debugfs */
	dir = opendir("/sys/kernel/debug/nvmx");
	if (!dir)
		return -1;
	snprintf(prefix, sizeof(prefix), "vm-%d-", (int)getpid());
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, prefix, strlen(prefix))) {
			snprintf(path, len, "/sys/kernel/debug/nvmx/%s",
				 d->d_name);
			found++;
		}
	closedir(dir);
	return found;	/* 0: exactly one */
}

/*
 * The "stats" file of vCPU 0 of @vm_dir, parsed as src/stats_file.h
 * says: "NAME VALUE" totals, "NAME REASON COUNT" per reason. Return: the
 * lines read, or -1 if the file cannot be opened, or a line is malformed
 * or has a name the format does not have.
 */
static int read_debugfs_stats(const char *vm_dir, struct nvmx_stats *s,
			      struct nvmx_nested_stats *ns)
{
	char path[300], line[128], name[32];
	unsigned long long a, b;
	int n, lines = 0, known;
	__u64 *arr;
	FILE *f;

	memset(s, 0, sizeof(*s));
	memset(ns, 0, sizeof(*ns));
	snprintf(path, sizeof(path), "%s/vcpu0/stats", vm_dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		n = sscanf(line, "%31s %llu %llu", name, &a, &b);
		arr = n == 3 ? nvmx_stats_find_reasons(name, s, ns) : NULL;
		known = arr && a < NVMX_STATS_EXIT_REASONS && b;
		if (known)
			arr[a] = b;
		arr = n == 2 ? nvmx_stats_find_total(name, s) : NULL;
		if (arr)
			*arr = a;
		known |= arr || (n == 2 &&
				 !strcmp(name, NVMX_STATS_APIC_DROPPED));
		if (!known)
			lines = -1000;
		lines++;
	}
	fclose(f);
	return lines < 0 ? -1 : lines;
}

/*
 * NVMX_GET_NESTED_STATS after the round trips of the first test: L1 got
 * each of L2's CPUID, OUT, HLT and its n VMCALLs, all reflected, nothing
 * made up; every reason has at least as many L2 exits as reflected ones;
 * L1's exits per VMCALL it handles are bounded (the VMRESUME, with VMCS
 * shadowing, plus timer slices). The vCPU's debugfs file says the same,
 * and goes away with the VM.
 */
TEST_F(nested, nested_stats_count_reflected_exits_by_reason)
{
	struct vcpu *v = &self->vcpu;
	struct nvmx_nested_stats ns, fs;
	const __u64 n = 2000;
	struct nvmx_vmx_caps caps;
	struct nvmx_stats s, f;
	char dir[300];
	unsigned int i;

	ASSERT_EQ(0, vm_debugfs_dir(dir, sizeof(dir)));
	ns = nested_stats(v);
	EXPECT_EQ(0, sum(ns.l2_exits) + sum(ns.reflected) +
		     sum(ns.synthesized) + sum(ns.l1_exits_after));
	VCPU_START(v, l1_test_round_trips, n, 0);
	VCPU_REPORT(v, EXIT_CPUID);
	VCPU_REPORT(v, EXIT_IO);
	VCPU_REPORT(v, IO_QUAL_OUT80);
	VCPU_REPORT(v, EXIT_HLT);
	VCPU_REPORT(v, 0x11ULL << 32 | 0x22);
	VCPU_REPORT(v, n);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	s = stats(v);
	ASSERT_EQ(0, nvmx_get_nested_stats(v->fd, &ns));
	EXPECT_EQ(n, ns.reflected[EXIT_VMCALL]);
	EXPECT_EQ(1, ns.reflected[EXIT_CPUID]);
	EXPECT_EQ(1, ns.reflected[EXIT_IO]);
	EXPECT_EQ(1, ns.reflected[EXIT_HLT]);
	EXPECT_EQ(n + 3, sum(ns.reflected));
	EXPECT_EQ(0, sum(ns.synthesized));
	EXPECT_EQ(s.nested_exits, sum(ns.reflected));
	EXPECT_EQ(s.l2_exits, sum(ns.l2_exits));
	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++)
		EXPECT_GE(ns.l2_exits[i], ns.reflected[i]) TH_LOG("reason %u", i);
	/* L1's exits belong to the exit it handles, or to none before. */
	EXPECT_GE(s.exits - s.l2_exits, sum(ns.l1_exits_after));
	TH_LOG("%llu VMCALLs: %llu L2 exits, %llu exits of L1 after them",
	       (unsigned long long)n,
	       (unsigned long long)ns.l2_exits[EXIT_VMCALL],
	       (unsigned long long)ns.l1_exits_after[EXIT_VMCALL]);
	/*
	 * At least the VMRESUME after each VMCALL but the last, then after
	 * the last one L1's three reports (two OUTs each) and its VMXOFF:
	 * n + 6 (Bochs: exactly). With VMCS shadowing L1's VMREADs and
	 * VMWRITEs do not exit: only L0's timer slices may add some.
	 */
	EXPECT_LE(n + 6, ns.l1_exits_after[EXIT_VMCALL]);
	ASSERT_EQ(0, nvmx_vmx_caps(self->vm.dev, &caps));
	if (caps.features & NVMX_FEAT_VMCS_SHADOWING) {
		EXPECT_GE(n + n / 4, ns.l1_exits_after[EXIT_VMCALL]);
	} else {
		EXPECT_GE(7 * n + n / 2, ns.l1_exits_after[EXIT_VMCALL]);
	}

	ASSERT_LT(0, read_debugfs_stats(dir, &f, &fs));
	EXPECT_EQ(s.runs, f.runs);
	EXPECT_EQ(s.exits, f.exits);
	EXPECT_EQ(s.nested_exits, f.nested_exits);
	EXPECT_EQ(s.l2_exits, f.l2_exits);
	EXPECT_EQ(0, memcmp(&s, &f, sizeof(s)));
	EXPECT_EQ(0, memcmp(&ns, &fs, sizeof(ns)));
	vcpu_close(v);
	EXPECT_EQ(-1, read_debugfs_stats(dir, &f, &fs));
	EXPECT_EQ(0, access(dir, F_OK));	/* the VM is still open */
	vm_close(&self->vm);
	EXPECT_EQ(-1, access(dir, F_OK));
}

#define MSR_VMX_MISC		0x485
#define MISC_VMWRITE_ANY	(1ULL << 29)

/*
 * One run of l1_test_vmcs_shadowing() (guest_l1_shadow.c) and its
 * reports. Return: whether L1's profile let it VMWRITE read-only fields.
 */
static __u64 shadow_run(struct __test_metadata *_metadata, struct vcpu *v)
{
	const __u64 rip = 0x1234567890ULL, proc = 0x12345678ULL, vpid = 0x77;
	const __u64 untouched = 0xdead;
	struct nvmx_stats before, after;
	__u64 any = 2;

	before = stats(v);
	VCPU_START(v, l1_test_vmcs_shadowing, 0, 0);
	VCPU_REPORT(v, 1);			/* offered to L1 */
	VCPU_REPORT(v, 0);			/* VMCLEAR of the shadow VMCS */
	VCPU_REPORT(v, 0);			/* VMPTRLD of it */
	VCPU_REPORT(v, FAIL_MARK);		/* its VMLAUNCH: VMfailInvalid */
	VCPU_REPORT(v, GUEST_RFLAGS_CF);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);			/* VMCLEAR */

	VCPU_REPORT(v, EXIT_VMCALL);		/* what L2 read and wrote */
	VCPU_REPORT(v, 7);
	VCPU_REPORT(v, rip);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, proc);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, vpid);			/* into memory */
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);			/* VMWRITE of guest RSP */

	VCPU_REPORT(v, 23);			/* VMREAD the bitmap selects */
	VCPU_REPORT(v, 8);			/* displacement */
	VCPU_REPORT(v, 0x11000000);		/* memory, base RDX, field RCX */
	VCPU_REPORT(v, 0);			/* non-canonical: #GP for L1 */
	VCPU_REPORT(v, 0x80000b0d);
	VCPU_REPORT(v, 0);

	VCPU_REPORT(v, EXIT_VMCALL);		/* unsupported field */
	VCPU_REPORT(v, 12);
	VCPU_REPORT(v, 4);
	VCPU_REPORT(v, vpid);			/* the VMREAD after the #GP */
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, untouched);
	VCPU_REPORT(v, GUEST_RFLAGS_ZF);

	VCPU_OK(v, vcpu_report(v, &any));	/* read-only field */
	VCPU_REPORT(v, EXIT_VMCALL);
	VCPU_REPORT(v, any ? 12 : 13);
	VCPU_REPORT(v, 1);
	VCPU_REPORT(v, any ? 0 : GUEST_RFLAGS_ZF);

	VCPU_REPORT(v, 23);			/* field with bit 32 set */
	VCPU_REPORT(v, EXIT_VMCALL);		/* L1 drops the link pointer */
	VCPU_REPORT(v, EXIT_VMCALL);		/* VMfailInvalid */
	VCPU_REPORT(v, 2);
	VCPU_REPORT(v, untouched);
	VCPU_REPORT(v, GUEST_RFLAGS_CF);
	VCPU_REPORT(v, 0);			/* at CPL 3: #GP(0) for L1 */
	VCPU_REPORT(v, 0x80000b0d);
	VCPU_REPORT(v, 0);
	VCPU_REPORT(v, 0);			/* at the VMREAD */

	VCPU_REPORT(v, 0xfeedfaceULL);		/* in the shadow VMCS */
	VCPU_REPORT(v, any ? 0x99 : 0);
	VCPU_RUN(v, NVMX_EXIT_HLT);
	after = stats(v);
	/* Nine entries into L2, each ended by an exit to L1 ... */
	EXPECT_EQ(9, after.nested_entries - before.nested_entries);
	EXPECT_EQ(9, after.nested_exits - before.nested_exits);
	/* ... and the eight VMREADs and VMWRITEs L0 completed besides. */
	EXPECT_LE(8, (after.l2_exits - before.l2_exits) -
		     (after.nested_exits - before.nested_exits));
	TH_LOG("VMCS shadowing, L1 %s VMWRITE read-only fields: %llu exits of L2, %llu to L1",
	       any ? "may" : "may not",
	       (unsigned long long)(after.l2_exits - before.l2_exits),
	       (unsigned long long)(after.nested_exits - before.nested_exits));
	return any;
}

/*
 * VMCS shadowing for L2: L1 is offered it whatever the host has; L2's
 * VMREAD and VMWRITE that L1's bitmaps let through read and write the
 * shadow VMCS without L1 (VMsucceed, VMfailValid 12 and 13, VMfailInvalid
 * without a shadow VMCS, the error number in L1's VMCS12, a #GP that L1
 * intercepts, for a bad operand or CPL 3); those the bitmap selects, and
 * encodings beyond bit 14, are exits 23 for L1. Run again without
 * "VMWRITE to any supported field" in L1's profile, if it had it, for
 * VMfailValid(13).
 */
TEST_F(nested, l2_vmread_and_vmwrite_use_l1s_shadow_vmcs)
{
	struct nvmx_msr_entry e = { MSR_VMX_MISC, 0, 0 };
	struct vcpu *v = &self->vcpu;

	if (!shadow_run(_metadata, v))
		return;
	ASSERT_EQ(1, nvmx_get_msrs(v->fd, &e, 1));
	e.data &= ~MISC_VMWRITE_ANY;
	ASSERT_EQ(1, nvmx_set_msrs(v->fd, &e, 1));
	EXPECT_EQ(0, shadow_run(_metadata, v));
}

TEST_HARNESS_MAIN
