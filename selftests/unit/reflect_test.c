// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of nested VM-exit reflection (src/nested/reflect.c): every
 * rule group in both directions (L1 asked: L1; it did not: L0), with the
 * I/O, MSR, VMREAD and VMWRITE bitmaps in a fake L1 memory.
 */
#include "kselftest_harness.h"
#include "../../src/nested/reflect.h"
#include "../../src/vmx/arch.h"

#define IO_A_GPA	0x10000ULL
#define IO_B_GPA	0x11000ULL
#define MSR_GPA		0x12000ULL

/* L1 memory: three 4 KiB pages (I/O bitmap A, B, MSR bitmap). */
struct fake_mem {
	u8 page[3][4096];
	unsigned int reads;
	bool fail;
};

static int fake_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	struct fake_mem *m = ctx;
	u64 base = IO_A_GPA;

	m->reads++;
	if (m->fail || gpa < base || gpa + len > base + sizeof(m->page))
		return -EFAULT;
	memcpy(buf, &m->page[0][0] + (gpa - base), len);
	return 0;
}

static void set_bit_at(struct fake_mem *m, u64 gpa, unsigned int bit)
{
	(&m->page[0][0])[gpa - IO_A_GPA] |= 1u << bit;
}

struct fixture_data {
	struct vmcs12 v;
	struct fake_mem mem;
	struct nested_reflect_env env;
	struct nested_exit e;
	const char *why;
};

FIXTURE(reflect) {
	struct fixture_data d;
};

FIXTURE_SETUP(reflect)
{
	memset(&self->d, 0, sizeof(self->d));
	self->d.env.v = &self->d.v;
	self->d.env.read = fake_read;
	self->d.env.ctx = &self->d.mem;
	self->d.v.field[V12_IO_BITMAP_A] = IO_A_GPA;
	self->d.v.field[V12_IO_BITMAP_B] = IO_B_GPA;
	self->d.v.field[V12_MSR_BITMAP] = MSR_GPA;
}

FIXTURE_TEARDOWN(reflect)
{
}

static enum nested_owner owner(struct fixture_data *d)
{
	d->why = NULL;
	return nested_exit_owner(&d->env, &d->e, &d->why);
}

#define PROC(d)		((d)->v.field[V12_CPU_BASED_VM_EXEC_CONTROL])
#define PROC2(d)	((d)->v.field[V12_SECONDARY_VM_EXEC_CONTROL])
#define PIN(d)		((d)->v.field[V12_PIN_BASED_VM_EXEC_CONTROL])

TEST_F(reflect, unconditional_reasons_go_to_l1_even_with_no_controls)
{
	static const u32 always[] = {
		NV_EXIT_TRIPLE_FAULT, NV_EXIT_INIT, NV_EXIT_SIPI,
		NV_EXIT_TASK_SWITCH, NV_EXIT_CPUID, NV_EXIT_GETSEC,
		NV_EXIT_INVD, NV_EXIT_VMCALL, NV_EXIT_VMCLEAR,
		NV_EXIT_VMLAUNCH, NV_EXIT_VMPTRLD, NV_EXIT_VMPTRST,
		NV_EXIT_VMREAD, NV_EXIT_VMRESUME, NV_EXIT_VMWRITE,
		NV_EXIT_VMXOFF, NV_EXIT_VMXON, NV_EXIT_INVEPT,
		NV_EXIT_INVVPID, NV_EXIT_XSETBV, NV_EXIT_VMFUNC,
	};
	struct fixture_data *d = &self->d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(always); i++) {
		d->e.reason = always[i];
		EXPECT_EQ(NESTED_L1, owner(d)) TH_LOG("reason %u", always[i]);
		ASSERT_NE(NULL, d->why);
		EXPECT_EQ(0, strncmp(d->why, "always L1: ", 11))
			TH_LOG("reason %u: %s", always[i], d->why);
	}
	d->e.reason = NV_EXIT_VMREAD;
	owner(d);
	EXPECT_STREQ("always L1: VMX instruction", d->why);
	d->e.reason = NV_EXIT_CPUID;
	EXPECT_EQ(NESTED_L1, nested_exit_owner(&d->env, &d->e, NULL));
}

TEST_F(reflect, l0_reasons_stay_with_l0_even_with_every_control)
{
	static const u32 l0[] = {
		NV_EXIT_EXTERNAL_INTR, NV_EXIT_IO_SMI, NV_EXIT_OTHER_SMI,
		NV_EXIT_RSM, NV_EXIT_PML_FULL, NV_EXIT_ENTRY_GUEST_STATE,
		NV_EXIT_ENTRY_MSR_LOAD, NV_EXIT_ENTRY_MCE,
	};
	struct fixture_data *d = &self->d;
	unsigned int i;

	PIN(d) = ~0ULL;
	PROC(d) = ~0ULL;
	PROC2(d) = ~0ULL;
	for (i = 0; i < ARRAY_SIZE(l0); i++) {
		d->e.reason = l0[i];
		EXPECT_EQ(NESTED_L0, owner(d)) TH_LOG("reason %u", l0[i]);
		ASSERT_NE(NULL, d->why);
		EXPECT_EQ(0, strncmp(d->why, "L0: ", 4)) TH_LOG("%s", d->why);
	}
	d->e.reason = NV_EXIT_EXTERNAL_INTR;
	owner(d);
	EXPECT_STREQ("L0: external interrupt", d->why);
}

TEST_F(reflect, hlt_exiting)
{
	struct fixture_data *d = &self->d;

	d->e.reason = NV_EXIT_HLT;
	PROC(d) = NV_PROC_CTL_HLT_EXITING;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("HLT exiting", d->why);
	PROC(d) = ~0ULL & ~(u64)NV_PROC_CTL_HLT_EXITING;
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_STREQ("HLT exiting", d->why);
}

/* Each single-control row: only its own bit decides. */
TEST_F(reflect, control_bit_rows)
{
	static const struct {
		u32 reason;
		int field;
		u32 bit;
	} rows[] = {
		{ NV_EXIT_INTR_WINDOW, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_INTR_WINDOW_EXITING },
		{ NV_EXIT_NMI_WINDOW, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_NMI_WINDOW_EXITING },
		{ NV_EXIT_INVLPG, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_INVLPG_EXITING },
		{ NV_EXIT_RDPMC, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_RDPMC_EXITING },
		{ NV_EXIT_RDTSC, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_RDTSC_EXITING },
		{ NV_EXIT_DR_ACCESS, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_MOV_DR_EXITING },
		{ NV_EXIT_MWAIT, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_MWAIT_EXITING },
		{ NV_EXIT_MTF, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_MONITOR_TRAP_FLAG },
		{ NV_EXIT_MONITOR, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_MONITOR_EXITING },
		{ NV_EXIT_PAUSE, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_PAUSE_EXITING },
		{ NV_EXIT_TPR_BELOW_THRESHOLD, V12_CPU_BASED_VM_EXEC_CONTROL,
		  NV_PROC_CTL_USE_TPR_SHADOW },
		{ NV_EXIT_PREEMPTION_TIMER, V12_PIN_BASED_VM_EXEC_CONTROL,
		  NV_PIN_CTL_PREEMPTION_TIMER },
		{ NV_EXIT_APIC_ACCESS, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_VIRT_APIC_ACCESSES },
		{ NV_EXIT_VIRTUALIZED_EOI, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_VIRT_INTR_DELIVERY },
		{ NV_EXIT_GDTR_IDTR, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_DESC_TABLE_EXITING },
		{ NV_EXIT_LDTR_TR, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_DESC_TABLE_EXITING },
		{ NV_EXIT_WBINVD, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_WBINVD_EXITING },
		{ NV_EXIT_RDRAND, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_RDRAND_EXITING },
		{ NV_EXIT_RDSEED, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_RDSEED_EXITING },
		{ NV_EXIT_ENCLS, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_ENCLS_EXITING },
		{ NV_EXIT_PCONFIG, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_PCONFIG },
		{ NV_EXIT_SPP, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_SPP },
		{ NV_EXIT_ENCLV, V12_SECONDARY_VM_EXEC_CONTROL,
		  NV_PROC2_CTL_ENCLV_EXITING },
	};
	struct fixture_data *d = &self->d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		d->e.reason = rows[i].reason;
		PIN(d) = ~0ULL;
		PROC(d) = ~0ULL;
		PROC2(d) = ~0ULL;
		EXPECT_EQ(NESTED_L1, owner(d)) TH_LOG("reason %u", rows[i].reason);
		EXPECT_NE(NULL, d->why);
		d->v.field[rows[i].field] &= ~(u64)rows[i].bit;
		EXPECT_EQ(NESTED_L0, owner(d)) TH_LOG("reason %u", rows[i].reason);
		PIN(d) = 0;
		PROC(d) = 0;
		PROC2(d) = 0;
		d->v.field[rows[i].field] = rows[i].bit;
		if (rows[i].field == V12_SECONDARY_VM_EXEC_CONTROL) {
			/* Secondary controls count only when activated. */
			EXPECT_EQ(NESTED_L0, owner(d))
				TH_LOG("reason %u", rows[i].reason);
			PROC(d) = NV_PROC_CTL_ACTIVATE_SECONDARY;
		}
		EXPECT_EQ(NESTED_L1, owner(d)) TH_LOG("reason %u", rows[i].reason);
	}
}

/* Rows that need two controls, or a control and a VMCS12 field. */
TEST_F(reflect, two_control_rows)
{
	static const struct {
		u32 reason;
		u32 proc, proc2;
	} rows[] = {
		{ NV_EXIT_RDTSCP, NV_PROC_CTL_RDTSC_EXITING,
		  NV_PROC2_CTL_RDTSCP },
		{ NV_EXIT_INVPCID, NV_PROC_CTL_INVLPG_EXITING,
		  NV_PROC2_CTL_INVPCID },
		{ NV_EXIT_UMWAIT, NV_PROC_CTL_RDTSC_EXITING,
		  NV_PROC2_CTL_USER_WAIT_PAUSE },
		{ NV_EXIT_TPAUSE, NV_PROC_CTL_RDTSC_EXITING,
		  NV_PROC2_CTL_USER_WAIT_PAUSE },
		{ NV_EXIT_APIC_WRITE, 0, NV_PROC2_CTL_APIC_REG_VIRT },
		{ NV_EXIT_APIC_WRITE, 0, NV_PROC2_CTL_VIRT_INTR_DELIVERY },
	};
	struct fixture_data *d = &self->d;
	u32 act = NV_PROC_CTL_ACTIVATE_SECONDARY;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		d->e.reason = rows[i].reason;
		PROC(d) = rows[i].proc | act;
		PROC2(d) = rows[i].proc2;
		EXPECT_EQ(NESTED_L1, owner(d)) TH_LOG("row %u", i);
		PROC2(d) = 0;
		EXPECT_EQ(NESTED_L0, owner(d)) TH_LOG("row %u", i);
		if (!rows[i].proc)
			continue;
		PROC(d) = act;
		PROC2(d) = rows[i].proc2;
		EXPECT_EQ(NESTED_L0, owner(d)) TH_LOG("row %u", i);
	}

	d->e.reason = NV_EXIT_XSAVES;
	PROC(d) = act;
	PROC2(d) = NV_PROC2_CTL_XSAVES;
	EXPECT_EQ(NESTED_L0, owner(d));
	d->v.field[V12_XSS_EXIT_BITMAP] = 1;
	EXPECT_EQ(NESTED_L1, owner(d));
	d->e.reason = NV_EXIT_XRSTORS;
	EXPECT_EQ(NESTED_L1, owner(d));
	PROC2(d) = 0;
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_STREQ("XSS-exiting bitmap", d->why);
}

TEST_F(reflect, ept_faults)
{
	struct fixture_data *d = &self->d;
	u32 reasons[] = { NV_EXIT_EPT_VIOLATION, NV_EXIT_EPT_MISCONFIG };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		d->e.reason = reasons[i];
		PROC(d) = NV_PROC_CTL_ACTIVATE_SECONDARY;
		PROC2(d) = NV_PROC2_CTL_EPT;
		d->e.l0_ept_fault = false;
		EXPECT_EQ(NESTED_L1, owner(d));
		EXPECT_STREQ("EPT12 fault", d->why);
		d->e.l0_ept_fault = true;
		EXPECT_EQ(NESTED_L0, owner(d));
		EXPECT_STREQ("L0: EPT02 fault that EPT12 allows", d->why);
		d->e.l0_ept_fault = false;
		PROC2(d) = 0;
		EXPECT_EQ(NESTED_L0, owner(d));
	}
}

static void mov_to_cr(struct fixture_data *d, unsigned int cr, u64 val)
{
	d->e.reason = NV_EXIT_CR_ACCESS;
	d->e.qualification = cr | (NV_CR_TYPE_MOV_TO << 4);
	d->e.cr_value = val;
}

TEST_F(reflect, cr0_cr4_mask_and_shadow)
{
	struct fixture_data *d = &self->d;

	d->v.field[V12_CR0_GUEST_HOST_MASK] = 0x80000001;	/* PG, PE */
	d->v.field[V12_CR0_READ_SHADOW] = 0x80000011;
	mov_to_cr(d, 0, 0x80000011 ^ 0x20);		/* NE: not owned */
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_STREQ("CR0 guest/host mask and read shadow", d->why);
	mov_to_cr(d, 0, 0x00000011);			/* clears PG */
	EXPECT_EQ(NESTED_L1, owner(d));
	mov_to_cr(d, 0, 0x80000010);			/* clears PE */
	EXPECT_EQ(NESTED_L1, owner(d));

	d->v.field[V12_CR4_GUEST_HOST_MASK] = BIT(13);	/* VMXE */
	d->v.field[V12_CR4_READ_SHADOW] = 0;
	mov_to_cr(d, 4, BIT(5));
	EXPECT_EQ(NESTED_L0, owner(d));
	mov_to_cr(d, 4, BIT(13));
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("CR4 guest/host mask and read shadow", d->why);
}

TEST_F(reflect, clts_and_lmsw)
{
	struct fixture_data *d = &self->d;

	d->e.reason = NV_EXIT_CR_ACCESS;
	d->e.qualification = NV_CR_TYPE_CLTS << 4;
	d->v.field[V12_CR0_GUEST_HOST_MASK] = NV_CR0_TS;
	d->v.field[V12_CR0_READ_SHADOW] = NV_CR0_TS;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("CLTS with CR0.TS owned by L1", d->why);
	d->v.field[V12_CR0_READ_SHADOW] = 0;
	EXPECT_EQ(NESTED_L0, owner(d));
	d->v.field[V12_CR0_READ_SHADOW] = NV_CR0_TS;
	d->v.field[V12_CR0_GUEST_HOST_MASK] = 0;
	EXPECT_EQ(NESTED_L0, owner(d));

	/* LMSW: source 1 over shadow 0 for owned PE exits, not the reverse. */
	d->v.field[V12_CR0_GUEST_HOST_MASK] = NV_CR0_PE;
	d->v.field[V12_CR0_READ_SHADOW] = 0;
	d->e.qualification = (NV_CR_TYPE_LMSW << 4) | (1ULL << 16);
	EXPECT_EQ(NESTED_L1, owner(d));
	d->v.field[V12_CR0_READ_SHADOW] = NV_CR0_PE;
	d->e.qualification = NV_CR_TYPE_LMSW << 4;
	EXPECT_EQ(NESTED_L0, owner(d));
	/* Bits 3:1: an owned difference exits; others and bits above 3 not. */
	d->v.field[V12_CR0_GUEST_HOST_MASK] = 0x2 | 0x20;
	d->v.field[V12_CR0_READ_SHADOW] = 0;
	d->e.qualification = (NV_CR_TYPE_LMSW << 4) | (0x4ULL << 16);
	EXPECT_EQ(NESTED_L0, owner(d));
	d->e.qualification = (NV_CR_TYPE_LMSW << 4) | (0x2ULL << 16);
	EXPECT_EQ(NESTED_L1, owner(d));
	d->v.field[V12_CR0_READ_SHADOW] = 0x22;
	EXPECT_EQ(NESTED_L0, owner(d));
	d->e.qualification = NV_CR_TYPE_LMSW << 4;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("LMSW with CR0 guest/host mask", d->why);
}

TEST_F(reflect, cr3_target_list_and_cr3_cr8)
{
	struct fixture_data *d = &self->d;
	unsigned int i;

	d->v.field[V12_CR3_TARGET_VALUE0] = 0x1000;
	d->v.field[V12_CR3_TARGET_VALUE1] = 0x2000;
	d->v.field[V12_CR3_TARGET_VALUE2] = 0x3000;
	d->v.field[V12_CR3_TARGET_VALUE3] = 0x4000;
	mov_to_cr(d, 3, 0x2000);
	EXPECT_EQ(NESTED_L0, owner(d));			/* no CR3-load exiting */
	PROC(d) = NV_PROC_CTL_CR3_LOAD_EXITING;
	EXPECT_EQ(NESTED_L1, owner(d));			/* count 0: all exit */
	EXPECT_STREQ("CR3-load exiting", d->why);
	d->v.field[V12_CR3_TARGET_COUNT] = 2;
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_STREQ("CR3-target value", d->why);
	mov_to_cr(d, 3, 0x3000);			/* beyond the count */
	EXPECT_EQ(NESTED_L1, owner(d));
	d->v.field[V12_CR3_TARGET_COUNT] = 4;
	for (i = 1; i <= 4; i++) {
		mov_to_cr(d, 3, i * 0x1000);
		EXPECT_EQ(NESTED_L0, owner(d)) TH_LOG("target %u", i);
	}
	mov_to_cr(d, 3, 0x5000);
	EXPECT_EQ(NESTED_L1, owner(d));
	d->v.field[V12_CR3_TARGET_COUNT] = 200;		/* counts as 4 */
	EXPECT_EQ(NESTED_L1, owner(d));
	mov_to_cr(d, 3, 0x4000);
	EXPECT_EQ(NESTED_L0, owner(d));

	d->e.qualification = 3 | (NV_CR_TYPE_MOV_FROM << 4);
	EXPECT_EQ(NESTED_L0, owner(d));
	PROC(d) = NV_PROC_CTL_CR3_STORE_EXITING;
	EXPECT_EQ(NESTED_L1, owner(d));

	mov_to_cr(d, 8, 5);
	EXPECT_EQ(NESTED_L0, owner(d));
	PROC(d) = NV_PROC_CTL_CR8_LOAD_EXITING;
	EXPECT_EQ(NESTED_L1, owner(d));
	d->e.qualification = 8 | (NV_CR_TYPE_MOV_FROM << 4);
	EXPECT_EQ(NESTED_L0, owner(d));
	PROC(d) = NV_PROC_CTL_CR8_STORE_EXITING;
	EXPECT_EQ(NESTED_L1, owner(d));
	/* MOV from CR0 never exits: an internal error, L0's. */
	d->e.qualification = NV_CR_TYPE_MOV_FROM << 4;
	PROC(d) = ~0ULL;
	EXPECT_EQ(NESTED_L0, owner(d));
}

static void io(struct fixture_data *d, u32 port, unsigned int size, u32 flags)
{
	d->e.reason = NV_EXIT_IO;
	d->e.qualification = ((u64)port << 16) | (size - 1) | flags;
}

TEST_F(reflect, io_unconditional)
{
	struct fixture_data *d = &self->d;

	io(d, 0x3f8, 1, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	PROC(d) = NV_PROC_CTL_UNCOND_IO_EXITING;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("unconditional I/O exiting", d->why);
	/* With I/O bitmaps, unconditional I/O exiting is ignored. */
	PROC(d) |= NV_PROC_CTL_USE_IO_BITMAPS;
	EXPECT_EQ(NESTED_L0, owner(d));
}

TEST_F(reflect, io_bitmaps)
{
	struct fixture_data *d = &self->d;

	PROC(d) = NV_PROC_CTL_USE_IO_BITMAPS;
	io(d, 0x3f8, 1, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_STREQ("I/O bitmap A", d->why);
	set_bit_at(&d->mem, IO_A_GPA + 0x3f8 / 8, 0x3f8 % 8);
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("I/O bitmap A", d->why);
	/* String and REP forms: the same ports. */
	io(d, 0x3f8, 1, BIT(4) | BIT(5) | BIT(3));
	EXPECT_EQ(NESTED_L1, owner(d));
	/* A 4-byte access to 0x3f5..0x3f8 reaches the bit; 0x3f4.. doesn't. */
	io(d, 0x3f5, 4, 0);
	EXPECT_EQ(NESTED_L1, owner(d));
	io(d, 0x3f4, 4, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	io(d, 0x3f9, 2, 0);
	EXPECT_EQ(NESTED_L0, owner(d));

	/* Port 0x8000 is bit 0 of bitmap B. */
	io(d, 0x7fff, 2, 0);
	d->mem.reads = 0;
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_EQ(2, d->mem.reads);
	EXPECT_STREQ("I/O bitmaps A and B", d->why);
	set_bit_at(&d->mem, IO_B_GPA, 0);
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("I/O bitmap B", d->why);
	io(d, 0x7ffe, 2, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	io(d, 0xffff, 1, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	set_bit_at(&d->mem, IO_B_GPA + 0xfff, 7);
	EXPECT_EQ(NESTED_L1, owner(d));
	/* ... which port 0x7fff, the last bit of bitmap A, does not share. */
	io(d, 0x7fff, 1, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	set_bit_at(&d->mem, IO_A_GPA + 0xfff, 7);
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("I/O bitmap A", d->why);
}

TEST_F(reflect, io_wraparound_and_unreadable_bitmap)
{
	struct fixture_data *d = &self->d;

	PROC(d) = NV_PROC_CTL_USE_IO_BITMAPS;
	io(d, 0xfffe, 2, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	io(d, 0xffff, 2, 0);
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("I/O bitmaps: access wraps past port 0xffff", d->why);
	io(d, 0xfffd, 4, 0);
	EXPECT_EQ(NESTED_L1, owner(d));

	io(d, 0x60, 1, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	d->mem.fail = true;
	EXPECT_EQ(NESTED_L1, owner(d));
	d->mem.fail = false;
	d->env.read = NULL;
	EXPECT_EQ(NESTED_L1, owner(d));
}

static void msr(struct fixture_data *d, bool wr, u32 index)
{
	d->e.reason = wr ? NV_EXIT_WRMSR : NV_EXIT_RDMSR;
	d->e.gpr_rcx = index;
}

TEST_F(reflect, msr_bitmap_four_areas)
{
	static const struct {
		bool wr;
		u32 msr;
		unsigned int area;
		const char *why;
	} cases[] = {
		{ false, 0x10, 0, "MSR bitmap (read, low range)" },
		{ false, 0x1fff, 0, "MSR bitmap (read, low range)" },
		{ false, 0xc0000080, 1024, "MSR bitmap (read, high range)" },
		{ false, 0xc0001fff, 1024, "MSR bitmap (read, high range)" },
		{ true, 0x10, 2048, "MSR bitmap (write, low range)" },
		{ true, 0x0, 2048, "MSR bitmap (write, low range)" },
		{ true, 0xc0000100, 3072, "MSR bitmap (write, high range)" },
		{ true, 0xc0000000, 3072, "MSR bitmap (write, high range)" },
	};
	struct fixture_data *d = &self->d;
	unsigned int i;

	PROC(d) = NV_PROC_CTL_USE_MSR_BITMAPS;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 m = cases[i].msr;

		memset(d->mem.page[2], 0, sizeof(d->mem.page[2]));
		msr(d, cases[i].wr, m);
		EXPECT_EQ(NESTED_L0, owner(d)) TH_LOG("case %u", i);
		EXPECT_STREQ(cases[i].why, d->why);
		/* Only the bit in its own area counts. */
		memset(d->mem.page[2], 0xff, sizeof(d->mem.page[2]));
		d->mem.page[2][cases[i].area + (m & 0x1fff) / 8] &=
			~(1u << (m & 7));
		EXPECT_EQ(NESTED_L0, owner(d)) TH_LOG("case %u", i);
		memset(d->mem.page[2], 0, sizeof(d->mem.page[2]));
		set_bit_at(&d->mem, MSR_GPA + cases[i].area + (m & 0x1fff) / 8,
			   m & 7);
		EXPECT_EQ(NESTED_L1, owner(d)) TH_LOG("case %u", i);
		EXPECT_STREQ(cases[i].why, d->why);
	}
	/* The high-range TSC_AUX bit does not leak into the read-low area. */
	memset(d->mem.page[2], 0, sizeof(d->mem.page[2]));
	set_bit_at(&d->mem, MSR_GPA + 1024 + 0x103 / 8, 0x103 & 7);
	msr(d, false, 0x103);
	EXPECT_EQ(NESTED_L0, owner(d));
	msr(d, false, 0xc0000103);
	EXPECT_EQ(NESTED_L1, owner(d));
}

TEST_F(reflect, msr_out_of_range_no_bitmaps_unreadable)
{
	static const u32 outside[] = {
		0x2000, 0x40000000, 0xbfffffff, 0xc0002000, 0xffffffff,
	};
	struct fixture_data *d = &self->d;
	unsigned int i;

	PROC(d) = NV_PROC_CTL_USE_MSR_BITMAPS;
	for (i = 0; i < ARRAY_SIZE(outside); i++) {
		msr(d, i & 1, outside[i]);
		EXPECT_EQ(NESTED_L1, owner(d)) TH_LOG("msr %#x", outside[i]);
		EXPECT_STREQ("always L1: MSR outside the MSR bitmap ranges",
			     d->why);
	}
	/* Bits 63:32 of RCX are ignored. */
	msr(d, false, 0x10);
	d->e.gpr_rcx |= 0xffffffff00000000ULL;
	EXPECT_EQ(NESTED_L0, owner(d));

	PROC(d) = 0;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("always L1: no MSR bitmaps", d->why);
	msr(d, true, 0x10);
	EXPECT_EQ(NESTED_L1, owner(d));

	PROC(d) = NV_PROC_CTL_USE_MSR_BITMAPS;
	EXPECT_EQ(NESTED_L0, owner(d));
	d->mem.fail = true;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("MSR bitmap unreadable", d->why);
}

static void exception(struct fixture_data *d, u32 type, u32 vector, u32 ec)
{
	d->e.reason = NV_EXIT_EXCEPTION_NMI;
	d->e.intr_info = NV_INTR_INFO_VALID | (type << 8) | vector;
	d->e.intr_error_code = ec;
}

TEST_F(reflect, page_fault_mask_match_truth_table)
{
	static const struct {
		bool bit14;
		u32 mask, match, ec;
		enum nested_owner owner;
	} t[] = {
		/* error code & mask == match: bit 14 decides */
		{ true, 0, 0, 0x7, NESTED_L1 },
		{ false, 0, 0, 0x7, NESTED_L0 },
		{ true, 0x2, 0x2, 0x3, NESTED_L1 },
		{ false, 0x2, 0x2, 0x3, NESTED_L0 },
		/* otherwise its opposite decides */
		{ true, 0x2, 0x2, 0x1, NESTED_L0 },
		{ false, 0x2, 0x2, 0x1, NESTED_L1 },
		{ true, 0, 1, 0x1, NESTED_L0 },
		{ false, 0, 1, 0x1, NESTED_L1 },
	};
	struct fixture_data *d = &self->d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		d->v.field[V12_EXCEPTION_BITMAP] = t[i].bit14 ? BIT(14) : 0;
		d->v.field[V12_PAGE_FAULT_ERROR_CODE_MASK] = t[i].mask;
		d->v.field[V12_PAGE_FAULT_ERROR_CODE_MATCH] = t[i].match;
		exception(d, NV_INTR_TYPE_HW_EXCEPTION, NV_VECTOR_PF, t[i].ec);
		EXPECT_EQ(t[i].owner, owner(d)) TH_LOG("row %u", i);
		EXPECT_STREQ("exception bitmap bit 14 with #PF mask/match",
			     d->why);
	}
}

TEST_F(reflect, exceptions_and_nmis)
{
	struct fixture_data *d = &self->d;

	exception(d, NV_INTR_TYPE_HW_EXCEPTION, 6, 0);		/* #UD */
	EXPECT_EQ(NESTED_L0, owner(d));
	d->v.field[V12_EXCEPTION_BITMAP] = BIT(6);
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("exception bitmap", d->why);
	exception(d, NV_INTR_TYPE_SW_EXCEPTION, 3, 0);		/* INT3 */
	EXPECT_EQ(NESTED_L0, owner(d));
	d->v.field[V12_EXCEPTION_BITMAP] = ~0ULL;
	EXPECT_EQ(NESTED_L1, owner(d));
	exception(d, NV_INTR_TYPE_PRIV_SW_EXCEPTION, 1, 0);	/* INT1 */
	EXPECT_EQ(NESTED_L1, owner(d));
	/* A machine check stays with L0 whatever the bitmap says. */
	exception(d, NV_INTR_TYPE_HW_EXCEPTION, NV_VECTOR_MC, 0);
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_STREQ("L0: machine check", d->why);
	/* No valid interruption information, or an impossible type. */
	exception(d, NV_INTR_TYPE_HW_EXCEPTION, 6, 0);
	d->e.intr_info &= ~NV_INTR_INFO_VALID;
	EXPECT_EQ(NESTED_L0, owner(d));
	exception(d, NV_INTR_TYPE_SW_INTR, 0x80, 0);
	EXPECT_EQ(NESTED_L0, owner(d));

	exception(d, NV_INTR_TYPE_NMI, 2, 0);
	PIN(d) = ~0ULL & ~(u64)NV_PIN_CTL_NMI_EXITING;
	EXPECT_EQ(NESTED_L0, owner(d));
	PIN(d) = NV_PIN_CTL_NMI_EXITING;
	d->v.field[V12_EXCEPTION_BITMAP] = 0;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("NMI exiting", d->why);
}

TEST_F(reflect, bounds_and_unknown_reasons)
{
	static const u32 unknown[] = { 35, 38, 42, 71, 72, 100, 0x7fff, 0xffff,
				       0x80000000, 0xffffffff };
	struct fixture_data *d = &self->d;
	unsigned int i;

	PIN(d) = ~0ULL;
	PROC(d) = ~0ULL;
	PROC2(d) = ~0ULL;
	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		d->e.reason = unknown[i];
		EXPECT_EQ(NESTED_L0, owner(d)) TH_LOG("reason %#x", unknown[i]);
		EXPECT_STREQ("L0: unknown exit reason", d->why);
	}
	d->e.reason = NV_EXIT_ENCLV;
	EXPECT_EQ(NESTED_L1, owner(d));
	d->e.reason = NV_EXIT_LOADIWKEY;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("not decided: reflected", d->why);
}

/* L2's VMREAD/VMWRITE with L1's VMCS shadowing: the bitmaps decide. */
TEST_F(reflect, vmread_vmwrite_bitmaps_with_vmcs_shadowing)
{
	struct fixture_data *d = &self->d;

	d->v.field[V12_VMREAD_BITMAP] = IO_A_GPA;
	d->v.field[V12_VMWRITE_BITMAP] = IO_B_GPA;
	d->e.reason = NV_EXIT_VMREAD;
	d->e.vmcs_field = 0x681e;			/* guest RIP */
	/* Shadowing without the secondary controls activated: none. */
	PROC2(d) = NV_PROC2_CTL_VMCS_SHADOWING;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("always L1: VMX instruction", d->why);
	PROC(d) = NV_PROC_CTL_ACTIVATE_SECONDARY;
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_STREQ("VMREAD bitmap", d->why);
	set_bit_at(&d->mem, IO_A_GPA + 0x681e / 8, 0x681e & 7);
	EXPECT_EQ(NESTED_L1, owner(d));
	/* The VMWRITE bitmap is another page. */
	d->e.reason = NV_EXIT_VMWRITE;
	EXPECT_EQ(NESTED_L0, owner(d));
	EXPECT_STREQ("VMWRITE bitmap", d->why);
	d->e.vmcs_field = 0x7fff;			/* the last bit */
	EXPECT_EQ(NESTED_L0, owner(d));
	set_bit_at(&d->mem, IO_B_GPA + 4095, 7);
	EXPECT_EQ(NESTED_L1, owner(d));
	/* An encoding with a bit of 63:15 set always exits. */
	d->e.vmcs_field = 0x8000;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("VMCS shadowing: encoding beyond bit 14", d->why);
	d->e.vmcs_field = 1ULL << 32 | 0x4400;
	EXPECT_EQ(NESTED_L1, owner(d));
	d->e.vmcs_field = 0x4400;
	EXPECT_EQ(NESTED_L0, owner(d));
	/* A bitmap that cannot be read counts as all ones. */
	d->mem.fail = true;
	EXPECT_EQ(NESTED_L1, owner(d));
	EXPECT_STREQ("VMWRITE bitmap unreadable", d->why);
	/* Without shadowing, always L1's. */
	d->mem.fail = false;
	PROC2(d) = 0;
	EXPECT_EQ(NESTED_L1, owner(d));
}

/* Every reason in the table names its rule. */
TEST_F(reflect, every_reason_has_a_why)
{
	struct fixture_data *d = &self->d;
	u32 r;

	for (r = 0; r < NV_EXIT_REASON_COUNT + 2; r++) {
		d->e.reason = r;
		d->e.intr_info = NV_INTR_INFO_VALID;
		owner(d);
		EXPECT_NE(NULL, d->why) TH_LOG("reason %u", r);
	}
}

TEST_HARNESS_MAIN
