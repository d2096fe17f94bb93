// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the VM-entry control and host-state checks
 * (src/nested/checks.c): a valid VMCS12, then one broken field per check.
 */
#include "kselftest_harness.h"
#include "skylake.h"
#include "../../src/nested/checks.h"
#include "../../src/nested/ept_walk.h"
#include "../../src/vmx/controls.h"

#define CTL_ERR		VMXERR_ENTRY_INVALID_CONTROL
#define HOST_ERR	VMXERR_ENTRY_INVALID_HOST_STATE
#define MAXPHYADDR	39

FIXTURE(chk) {
	u64 msrs[NV_MSR_CAP_MSR_COUNT];
	struct nested_check_env env;
	struct vmcs12 v;
	struct nested_check_result r;
};

#define F(name)	(self->v.field[V12_##name])

/* Every control with a check turned on, every address valid. */
static void valid_controls(const u64 *msrs, u64 *f)
{
	f[V12_PIN_BASED_VM_EXEC_CONTROL] = fit(msrs, VMX_CTL_PIN,
		NV_PIN_CTL_EXT_INTR_EXITING | NV_PIN_CTL_NMI_EXITING |
		NV_PIN_CTL_VIRTUAL_NMIS | NV_PIN_CTL_PREEMPTION_TIMER |
		NV_PIN_CTL_POSTED_INTR);
	f[V12_CPU_BASED_VM_EXEC_CONTROL] = fit(msrs, VMX_CTL_PROC,
		NV_PROC_CTL_HLT_EXITING | NV_PROC_CTL_USE_IO_BITMAPS |
		NV_PROC_CTL_USE_MSR_BITMAPS | NV_PROC_CTL_USE_TPR_SHADOW |
		NV_PROC_CTL_ACTIVATE_SECONDARY);
	f[V12_SECONDARY_VM_EXEC_CONTROL] = fit(msrs, VMX_CTL_PROC2,
		NV_PROC2_CTL_EPT | NV_PROC2_CTL_VPID |
		NV_PROC2_CTL_UNRESTRICTED_GUEST | NV_PROC2_CTL_VIRT_X2APIC_MODE |
		NV_PROC2_CTL_APIC_REG_VIRT | NV_PROC2_CTL_VIRT_INTR_DELIVERY |
		NV_PROC2_CTL_VMCS_SHADOWING | NV_PROC2_CTL_PML |
		NV_PROC2_CTL_VMFUNC | NV_PROC2_CTL_EPT_VIOLATION_VE);
	f[V12_VM_EXIT_CONTROLS] = fit(msrs, VMX_CTL_EXIT,
		NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE | NV_EXIT_CTL_ACK_INTR_ON_EXIT |
		NV_EXIT_CTL_LOAD_PAT | NV_EXIT_CTL_LOAD_EFER |
		NV_EXIT_CTL_SAVE_PREEMPTION_TIMER);
	f[V12_VM_ENTRY_CONTROLS] = fit(msrs, VMX_CTL_ENTRY,
		NV_ENTRY_CTL_LOAD_EFER | NV_ENTRY_CTL_IA32E_MODE_GUEST);
	f[V12_CR3_TARGET_COUNT] = 4;
	f[V12_IO_BITMAP_A] = 0x1000;
	f[V12_IO_BITMAP_B] = 0x2000;
	f[V12_MSR_BITMAP] = 0x3000;
	f[V12_VIRTUAL_APIC_PAGE_ADDR] = 0x4000;
	f[V12_POSTED_INTR_NV] = 0xf2;
	f[V12_POSTED_INTR_DESC_ADDR] = 0x5040;
	f[V12_VIRTUAL_PROCESSOR_ID] = 1;
	f[V12_EPT_POINTER] = 0x6000 | NV_EPTP_PWL4 | NV_EPTP_MT_WB | NV_EPTP_AD;
	f[V12_PML_ADDRESS] = 0x7000;
	f[V12_VM_FUNCTION_CONTROL] = NV_VMFUNC_EPTP_SWITCHING;
	f[V12_EPTP_LIST_ADDR] = 0x8000;
	f[V12_VMREAD_BITMAP] = 0x9000;
	f[V12_VMWRITE_BITMAP] = 0xa000;
	f[V12_VE_INFO_ADDR] = 0xb000;
	f[V12_VM_EXIT_MSR_STORE_ADDR] = 0xc000;
	f[V12_VM_EXIT_MSR_STORE_COUNT] = 1;
	f[V12_VM_EXIT_MSR_LOAD_ADDR] = 0xc010;
	f[V12_VM_EXIT_MSR_LOAD_COUNT] = 2;
	f[V12_VM_ENTRY_MSR_LOAD_ADDR] = 0xc030;
	f[V12_VM_ENTRY_MSR_LOAD_COUNT] = 1;
	f[V12_GUEST_CR0] = 0x80000031;
}

/* A 64-bit Linux-like host. */
static void valid_host(u64 *f)
{
	f[V12_HOST_CR0] = 0x80050033;
	f[V12_HOST_CR3] = 0x100000;
	f[V12_HOST_CR4] = NV_CR4_PAE | NV_CR4_PCIDE | 0x2000;
	f[V12_HOST_IA32_SYSENTER_ESP] = 0xfffffe0000002000ULL;
	f[V12_HOST_IA32_SYSENTER_EIP] = 0xffffffff81000000ULL;
	f[V12_HOST_IA32_PAT] = 0x0007040600070406ULL;
	f[V12_HOST_IA32_EFER] = NV_EFER_SCE | NV_EFER_LME | NV_EFER_LMA |
				NV_EFER_NXE;
	f[V12_HOST_CS_SELECTOR] = 0x10;
	f[V12_HOST_SS_SELECTOR] = 0x18;
	f[V12_HOST_TR_SELECTOR] = 0x40;
	f[V12_HOST_GS_BASE] = 0xffff888000000000ULL;
	f[V12_HOST_GDTR_BASE] = 0xfffffe0000001000ULL;
	f[V12_HOST_IDTR_BASE] = 0xfffffe0000000000ULL;
	f[V12_HOST_TR_BASE] = 0xfffffe0000003000ULL;
	f[V12_HOST_RIP] = 0xffffffff81234567ULL;
	f[V12_HOST_RSP] = 0xffffc90000004000ULL;
}

FIXTURE_SETUP(chk)
{
	skylake_vmx_msrs(self->msrs);
	self->env.msrs = self->msrs;
	self->env.maxphyaddr = MAXPHYADDR;
	self->env.cr3_target_max = NV_VMX_MISC_CR3_TARGETS(self->msrs[NV_MSR_MISC]);
	self->env.host_long_mode = true;
	memset(&self->v, 0, sizeof(self->v));
	valid_controls(self->msrs, self->v.field);
	valid_host(self->v.field);
}

FIXTURE_TEARDOWN(chk)
{
}

static const char *name(const struct nested_check_result *r)
{
	return r->check ? r->check : "(none)";
}

#define CONTROLS()	nested_check_controls(&self->env, &self->v, &self->r)
#define HOST()		nested_check_host_state(&self->env, &self->v, &self->r)

#define EXPECT_PASS() do {						\
	EXPECT_EQ(0, CONTROLS()) TH_LOG("%s", name(&self->r));		\
	EXPECT_EQ(0, HOST()) TH_LOG("%s", name(&self->r));		\
	EXPECT_EQ(NULL, self->r.check);					\
} while (0)

#define EXPECT_CTL_FAIL(check) do {					\
	EXPECT_EQ(CTL_ERR, CONTROLS());					\
	EXPECT_EQ(CTL_ERR, self->r.error);				\
	EXPECT_STREQ(check, name(&self->r));				\
} while (0)

#define EXPECT_HOST_FAIL(check) do {					\
	EXPECT_EQ(0, CONTROLS()) TH_LOG("%s", name(&self->r));		\
	EXPECT_EQ(HOST_ERR, HOST());					\
	EXPECT_EQ(HOST_ERR, self->r.error);				\
	EXPECT_STREQ(check, name(&self->r));				\
} while (0)

TEST_F(chk, valid_vmcs12_passes)
{
	EXPECT_PASS();
	/* The result is reset by a passing call. */
	F(CR3_TARGET_COUNT) = 5;
	EXPECT_EQ(CTL_ERR, CONTROLS());
	F(CR3_TARGET_COUNT) = 0;
	EXPECT_PASS();
	EXPECT_EQ(0, self->r.error);
}

/* "VM-Execution Control Fields" */

TEST_F(chk, pin_based_allowed_settings)
{
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~BIT(1);	/* forced to 1 */
	EXPECT_CTL_FAIL("pin-based controls outside the allowed settings");
	F(PIN_BASED_VM_EXEC_CONTROL) |= BIT(1) | BIT(8);	/* not allowed */
	EXPECT_CTL_FAIL("pin-based controls outside the allowed settings");
}

TEST_F(chk, primary_allowed_settings)
{
	F(CPU_BASED_VM_EXEC_CONTROL) |= BIT(0);
	EXPECT_CTL_FAIL("primary controls outside the allowed settings");
}

TEST_F(chk, true_msrs_decide_allowed_settings)
{
	/* The non-true MSR forces CR3-load exiting, the true one does not. */
	self->msrs[NV_MSR_BASIC] &= ~NV_VMX_BASIC_TRUE_CTLS;
	EXPECT_CTL_FAIL("primary controls outside the allowed settings");
}

TEST_F(chk, secondary_allowed_settings_only_when_activated)
{
	F(SECONDARY_VM_EXEC_CONTROL) |= BIT(26);
	EXPECT_CTL_FAIL("secondary controls outside the allowed settings");
	/* Not activated: ignored, and every secondary control counts as 0. */
	F(CPU_BASED_VM_EXEC_CONTROL) &= ~NV_PROC_CTL_ACTIVATE_SECONDARY;
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~NV_PIN_CTL_POSTED_INTR;
	F(SECONDARY_VM_EXEC_CONTROL) = ~0ULL;
	EXPECT_PASS();
}

TEST_F(chk, cr3_target_count)
{
	F(CR3_TARGET_COUNT) = 5;
	EXPECT_CTL_FAIL("CR3-target count > maximum");
	self->env.cr3_target_max = 5;
	EXPECT_PASS();
}

TEST_F(chk, io_bitmap_addresses)
{
	F(IO_BITMAP_B) = 0x2800;
	EXPECT_CTL_FAIL("I/O bitmap address invalid");
	F(IO_BITMAP_B) = 0x2000;
	F(IO_BITMAP_A) = BIT_ULL(MAXPHYADDR);
	EXPECT_CTL_FAIL("I/O bitmap address invalid");
	F(CPU_BASED_VM_EXEC_CONTROL) &= ~NV_PROC_CTL_USE_IO_BITMAPS;
	EXPECT_PASS();
}

TEST_F(chk, msr_bitmap_address)
{
	F(MSR_BITMAP) = 0x3008;
	EXPECT_CTL_FAIL("MSR bitmap address invalid");
	F(MSR_BITMAP) = BIT_ULL(MAXPHYADDR) - 4096;
	EXPECT_PASS();
}

TEST_F(chk, virtual_apic_address)
{
	F(VIRTUAL_APIC_PAGE_ADDR) = 0x4010;
	EXPECT_CTL_FAIL("virtual-APIC address invalid");
}

TEST_F(chk, tpr_threshold_without_virtual_interrupt_delivery)
{
	F(TPR_THRESHOLD) = 0x10;
	EXPECT_PASS();		/* bits 31:4 are free with it */
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_VIRT_INTR_DELIVERY;
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~NV_PIN_CTL_POSTED_INTR;
	EXPECT_CTL_FAIL("TPR threshold bits 31:4 set");
	F(TPR_THRESHOLD) = 0xf;
	self->env.vtpr = 0xf0;
	EXPECT_PASS();
}

/* Without APIC virtualization the threshold may not exceed VTPR[7:4]. */
TEST_F(chk, tpr_threshold_above_vtpr)
{
	F(SECONDARY_VM_EXEC_CONTROL) &= ~(NV_PROC2_CTL_VIRT_INTR_DELIVERY |
					  NV_PROC2_CTL_VIRT_APIC_ACCESSES);
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~NV_PIN_CTL_POSTED_INTR;
	F(TPR_THRESHOLD) = 5;
	self->env.vtpr = 0x5f;
	EXPECT_PASS();
	self->env.vtpr = 0x4f;
	EXPECT_CTL_FAIL("TPR threshold above VTPR");
	/* "Virtualize APIC accesses" lifts it (the exit comes at entry). */
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_VIRT_X2APIC_MODE;
	F(SECONDARY_VM_EXEC_CONTROL) |= NV_PROC2_CTL_VIRT_APIC_ACCESSES;
	F(APIC_ACCESS_ADDR) = 0xd000;
	EXPECT_PASS();
}

TEST_F(chk, apic_virtualization_needs_tpr_shadow)
{
	F(CPU_BASED_VM_EXEC_CONTROL) &= ~NV_PROC_CTL_USE_TPR_SHADOW;
	EXPECT_CTL_FAIL("APIC virtualization without TPR shadow");
}

TEST_F(chk, virtual_nmis_need_nmi_exiting)
{
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~NV_PIN_CTL_NMI_EXITING;
	EXPECT_CTL_FAIL("virtual NMIs without NMI exiting");
}

TEST_F(chk, nmi_window_exiting_needs_virtual_nmis)
{
	F(CPU_BASED_VM_EXEC_CONTROL) |= NV_PROC_CTL_NMI_WINDOW_EXITING;
	EXPECT_PASS();
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~NV_PIN_CTL_VIRTUAL_NMIS;
	EXPECT_CTL_FAIL("NMI-window exiting without virtual NMIs");
}

TEST_F(chk, apic_access_address)
{
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_VIRT_X2APIC_MODE;
	F(SECONDARY_VM_EXEC_CONTROL) |= NV_PROC2_CTL_VIRT_APIC_ACCESSES;
	F(APIC_ACCESS_ADDR) = 0xd000;
	EXPECT_PASS();
	F(APIC_ACCESS_ADDR) = 0xd001;
	EXPECT_CTL_FAIL("APIC-access address invalid");
}

TEST_F(chk, x2apic_mode_excludes_apic_accesses)
{
	F(SECONDARY_VM_EXEC_CONTROL) |= NV_PROC2_CTL_VIRT_APIC_ACCESSES;
	F(APIC_ACCESS_ADDR) = 0xd000;
	EXPECT_CTL_FAIL("virtualize x2APIC mode and APIC accesses");
}

TEST_F(chk, virtual_interrupt_delivery_needs_external_interrupt_exiting)
{
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~NV_PIN_CTL_EXT_INTR_EXITING;
	EXPECT_CTL_FAIL("virtual-interrupt delivery without external-interrupt exiting");
}

TEST_F(chk, posted_interrupts)
{
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_VIRT_INTR_DELIVERY;
	EXPECT_CTL_FAIL("posted interrupts without virtual-interrupt delivery");
	F(SECONDARY_VM_EXEC_CONTROL) |= NV_PROC2_CTL_VIRT_INTR_DELIVERY;
	F(VM_EXIT_CONTROLS) &= ~NV_EXIT_CTL_ACK_INTR_ON_EXIT;
	EXPECT_CTL_FAIL("posted interrupts without acknowledge interrupt on exit");
	F(VM_EXIT_CONTROLS) |= NV_EXIT_CTL_ACK_INTR_ON_EXIT;
	F(POSTED_INTR_NV) = 0x1f2;
	EXPECT_CTL_FAIL("posted-interrupt notification vector bits 15:8 set");
	F(POSTED_INTR_NV) = 0xf2;
	F(POSTED_INTR_DESC_ADDR) = 0x5020;
	EXPECT_CTL_FAIL("posted-interrupt descriptor address invalid");
	F(POSTED_INTR_DESC_ADDR) = BIT_ULL(MAXPHYADDR) | 0x5040;
	EXPECT_CTL_FAIL("posted-interrupt descriptor address invalid");
}

TEST_F(chk, vpid_not_zero)
{
	F(VIRTUAL_PROCESSOR_ID) = 0;
	EXPECT_CTL_FAIL("VPID is 0");
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_VPID;
	EXPECT_PASS();
}

TEST_F(chk, eptp_uses_the_offered_ept_caps)
{
	F(EPT_POINTER) = 0x6000 | NV_EPTP_PWL4 | 5;	/* reserved type */
	EXPECT_CTL_FAIL("EPTP invalid");
	F(EPT_POINTER) = 0x6000 | NV_EPTP_PWL4 | NV_EPTP_MT_UC;
	EXPECT_PASS();
	self->msrs[NV_MSR_EPT_VPID_CAP] &= ~NV_EPT_CAP_UC;
	EXPECT_CTL_FAIL("EPTP invalid");
	F(EPT_POINTER) = 0x6000 | NV_EPTP_PWL4 | NV_EPTP_MT_WB | NV_EPTP_AD;
	EXPECT_PASS();
	self->msrs[NV_MSR_EPT_VPID_CAP] &= ~NV_EPT_CAP_AD;
	EXPECT_CTL_FAIL("EPTP invalid");
}

TEST_F(chk, pml)
{
	F(PML_ADDRESS) = 0x7800;
	EXPECT_CTL_FAIL("PML address invalid");
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_EPT;
	EXPECT_CTL_FAIL("PML without EPT");
}

TEST_F(chk, unrestricted_guest_needs_ept)
{
	F(SECONDARY_VM_EXEC_CONTROL) &= ~(NV_PROC2_CTL_EPT | NV_PROC2_CTL_PML);
	EXPECT_CTL_FAIL("unrestricted guest without EPT");
}

TEST_F(chk, vm_functions)
{
	F(VM_FUNCTION_CONTROL) = 2;
	EXPECT_CTL_FAIL("VM-function controls outside the allowed settings");
	F(VM_FUNCTION_CONTROL) = 1;
	F(EPTP_LIST_ADDR) = 0x8004;
	EXPECT_CTL_FAIL("EPTP-list address invalid");
	F(SECONDARY_VM_EXEC_CONTROL) &= ~(NV_PROC2_CTL_EPT | NV_PROC2_CTL_PML |
					  NV_PROC2_CTL_UNRESTRICTED_GUEST);
	EXPECT_CTL_FAIL("EPTP switching without EPT");
	F(VM_FUNCTION_CONTROL) = 0;
	EXPECT_PASS();
}

TEST_F(chk, vmcs_shadowing_bitmaps)
{
	F(VMWRITE_BITMAP) = 0xa100;
	EXPECT_CTL_FAIL("VMREAD/VMWRITE bitmap address invalid");
	F(VMWRITE_BITMAP) = 0xa000;
	F(VMREAD_BITMAP) = BIT_ULL(51);
	EXPECT_CTL_FAIL("VMREAD/VMWRITE bitmap address invalid");
	F(VMREAD_BITMAP) = 0x9000;
	F(VMWRITE_BITMAP) = BIT_ULL(MAXPHYADDR);
	EXPECT_CTL_FAIL("VMREAD/VMWRITE bitmap address invalid");
	/* Without VMCS shadowing the addresses are not checked. */
	F(SECONDARY_VM_EXEC_CONTROL) &= ~NV_PROC2_CTL_VMCS_SHADOWING;
	EXPECT_PASS();
}

TEST_F(chk, ve_information_address)
{
	F(VE_INFO_ADDR) = 0xb002;
	EXPECT_CTL_FAIL("virtualization-exception information address invalid");
}

/* "VM-Exit Control Fields" */

TEST_F(chk, exit_allowed_settings)
{
	F(VM_EXIT_CONTROLS) &= ~BIT(0);		/* forced to 1 */
	EXPECT_CTL_FAIL("VM-exit controls outside the allowed settings");
}

TEST_F(chk, save_preemption_timer_needs_activate)
{
	F(PIN_BASED_VM_EXEC_CONTROL) &= ~NV_PIN_CTL_PREEMPTION_TIMER;
	EXPECT_CTL_FAIL("save preemption timer without activate preemption timer");
}

TEST_F(chk, exit_msr_store_area)
{
	F(VM_EXIT_MSR_STORE_ADDR) = 0xc008;
	EXPECT_CTL_FAIL("VM-exit MSR-store area invalid");
	/* The last byte counts, not only the first. */
	F(VM_EXIT_MSR_STORE_ADDR) = BIT_ULL(MAXPHYADDR) - 16;
	EXPECT_PASS();
	F(VM_EXIT_MSR_STORE_COUNT) = 2;
	EXPECT_CTL_FAIL("VM-exit MSR-store area invalid");
	F(VM_EXIT_MSR_STORE_COUNT) = 0;
	EXPECT_PASS();
}

TEST_F(chk, exit_msr_load_area)
{
	F(VM_EXIT_MSR_LOAD_ADDR) = BIT_ULL(MAXPHYADDR);
	EXPECT_CTL_FAIL("VM-exit MSR-load area invalid");
}

/* "VM-Entry Control Fields" */

TEST_F(chk, entry_allowed_settings)
{
	F(VM_ENTRY_CONTROLS) |= BIT(18);
	EXPECT_CTL_FAIL("VM-entry controls outside the allowed settings");
}

#define INFO(type, vector)	(NV_INTR_INFO_VALID | (type) << 8 | (vector))

TEST_F(chk, injected_event_type)
{
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_RESERVED, 0x20);
	EXPECT_CTL_FAIL("injected event type reserved");
	/* Other event (MTF) needs "monitor trap flag" to be offered. */
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_OTHER, 0);
	EXPECT_PASS();
	self->msrs[NV_MSR_TRUE_PROCBASED_CTLS] &=
		~((u64)NV_PROC_CTL_MONITOR_TRAP_FLAG << 32);
	EXPECT_CTL_FAIL("injected event type reserved");
	/* Bit 31 clear: nothing checked. */
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_RESERVED, 0x20) &
				      ~NV_INTR_INFO_VALID;
	EXPECT_PASS();
}

TEST_F(chk, injected_event_vectors)
{
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_NMI, 3);
	EXPECT_CTL_FAIL("injected NMI vector not 2");
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_NMI, 2);
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_HW_EXCEPTION, 32);
	EXPECT_CTL_FAIL("injected hardware exception vector > 31");
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_OTHER, 1);
	EXPECT_CTL_FAIL("injected other event vector not 0");
}

TEST_F(chk, injected_event_deliver_error_code)
{
	const char *check = "injected event deliver-error-code inconsistent";
	u32 gp = INFO(NV_INTR_TYPE_HW_EXCEPTION, 13);
	u32 ud = INFO(NV_INTR_TYPE_HW_EXCEPTION, 6);
	u32 code = NV_INTR_INFO_DELIVER_CODE;

	F(VM_ENTRY_INTR_INFO_FIELD) = gp;
	EXPECT_CTL_FAIL(check);
	F(VM_ENTRY_INTR_INFO_FIELD) = gp | code;
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_HW_EXCEPTION, 21) | code;
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = ud | code;
	EXPECT_CTL_FAIL(check);
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_EXT_INTR, 13) | code;
	EXPECT_CTL_FAIL(check);
	/* Real mode (CR0.PE clear, with unrestricted guest): no error code. */
	F(GUEST_CR0) &= ~NV_CR0_PE;
	F(VM_ENTRY_INTR_INFO_FIELD) = gp | code;
	EXPECT_CTL_FAIL(check);
	F(VM_ENTRY_INTR_INFO_FIELD) = gp;
	EXPECT_PASS();
	/* IA32_VMX_BASIC bit 56: any vector may have one, none must. */
	F(GUEST_CR0) |= NV_CR0_PE;
	self->msrs[NV_MSR_BASIC] |= NV_VMX_BASIC_ANY_ERRCODE;
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = ud | code;
	EXPECT_PASS();
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_NMI, 2) | code;
	EXPECT_CTL_FAIL(check);
}

TEST_F(chk, injected_event_error_code_bits_31_16)
{
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_HW_EXCEPTION, 14) |
				      NV_INTR_INFO_DELIVER_CODE;
	F(VM_ENTRY_EXCEPTION_ERROR_CODE) = 0xffff;
	EXPECT_PASS();
	F(VM_ENTRY_EXCEPTION_ERROR_CODE) = 0x10000;
	EXPECT_CTL_FAIL("injected event error code bits 31:16 set");
}

TEST_F(chk, injected_event_reserved_bits)
{
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_EXT_INTR, 0x20) | BIT(30);
	EXPECT_CTL_FAIL("injected event reserved bits set");
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_EXT_INTR, 0x20) | BIT(12);
	EXPECT_CTL_FAIL("injected event reserved bits set");
}

TEST_F(chk, injected_event_instruction_length)
{
	const char *check = "injected event instruction length invalid";
	static const u32 types[] = { NV_INTR_TYPE_SW_INTR,
				     NV_INTR_TYPE_PRIV_SW_EXCEPTION,
				     NV_INTR_TYPE_SW_EXCEPTION };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		self->msrs[NV_MSR_MISC] |= NV_VMX_MISC_ZERO_INSN_LEN;
		F(VM_ENTRY_INTR_INFO_FIELD) = INFO(types[i], 3);
		F(VM_ENTRY_INSTRUCTION_LEN) = 15;
		EXPECT_PASS();
		F(VM_ENTRY_INSTRUCTION_LEN) = 16;
		EXPECT_CTL_FAIL(check);
		F(VM_ENTRY_INSTRUCTION_LEN) = 0;
		EXPECT_PASS();
		self->msrs[NV_MSR_MISC] &= ~NV_VMX_MISC_ZERO_INSN_LEN;
		EXPECT_CTL_FAIL(check);
	}
	/* Not checked for other types. */
	F(VM_ENTRY_INTR_INFO_FIELD) = INFO(NV_INTR_TYPE_EXT_INTR, 0x20);
	EXPECT_PASS();
}

TEST_F(chk, entry_msr_load_area)
{
	F(VM_ENTRY_MSR_LOAD_ADDR) = 0xc031;
	EXPECT_CTL_FAIL("VM-entry MSR-load area invalid");
	F(VM_ENTRY_MSR_LOAD_COUNT) = 0;
	EXPECT_PASS();
}

TEST_F(chk, smm_controls)
{
	F(VM_ENTRY_CONTROLS) |= NV_ENTRY_CTL_SMM;
	EXPECT_CTL_FAIL("entry to SMM outside SMM");
	F(VM_ENTRY_CONTROLS) &= ~NV_ENTRY_CTL_SMM;
	F(VM_ENTRY_CONTROLS) |= NV_ENTRY_CTL_DEACT_DUAL_MONITOR;
	EXPECT_CTL_FAIL("deactivate dual-monitor treatment outside SMM");
}

/* "Checks on Host Control Registers, MSRs and Fields" */

TEST_F(chk, host_cr0_fixed_bits)
{
	F(HOST_CR0) &= ~BIT_ULL(31);
	EXPECT_HOST_FAIL("host CR0 fixed bits");
	F(HOST_CR0) |= BIT_ULL(31) | BIT_ULL(32);
	EXPECT_HOST_FAIL("host CR0 fixed bits");
}

TEST_F(chk, host_cr4_fixed_bits)
{
	F(HOST_CR4) &= ~0x2000ULL;		/* VMXE */
	EXPECT_HOST_FAIL("host CR4 fixed bits");
	F(HOST_CR4) |= 0x2000ULL | NV_CR4_LA57;
	EXPECT_HOST_FAIL("host CR4 fixed bits");
}

TEST_F(chk, host_cr3_width)
{
	F(HOST_CR3) = BIT_ULL(MAXPHYADDR) | 0x1000;
	EXPECT_HOST_FAIL("host CR3 beyond physical-address width");
}

TEST_F(chk, host_sysenter_canonical)
{
	F(HOST_IA32_SYSENTER_EIP) = 0x0000800000000000ULL;
	EXPECT_HOST_FAIL("host SYSENTER ESP/EIP not canonical");
	F(HOST_IA32_SYSENTER_EIP) = 0x00007fffffffffffULL;
	F(HOST_IA32_SYSENTER_ESP) = 0xffff7fffffffffffULL;
	EXPECT_HOST_FAIL("host SYSENTER ESP/EIP not canonical");
}

TEST_F(chk, host_canonical_width_follows_la57)
{
	F(HOST_GS_BASE) = 0xff11000000000000ULL;
	EXPECT_HOST_FAIL("host segment or descriptor-table base not canonical");
	self->msrs[NV_MSR_CR4_FIXED1] |= NV_CR4_LA57;
	EXPECT_PASS();
}

TEST_F(chk, host_pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		F(HOST_IA32_PAT) = (0x0007040600070406ULL &
				    ~(0xffULL << (8 * i))) | 2ULL << (8 * i);
		EXPECT_HOST_FAIL("host PAT invalid memory type");
	}
	F(HOST_IA32_PAT) = 0x0807040600070406ULL;
	EXPECT_HOST_FAIL("host PAT invalid memory type");
	F(VM_EXIT_CONTROLS) &= ~NV_EXIT_CTL_LOAD_PAT;
	EXPECT_PASS();
}

TEST_F(chk, host_efer)
{
	F(HOST_IA32_EFER) |= BIT_ULL(1);
	EXPECT_HOST_FAIL("host EFER reserved bits set");
	F(HOST_IA32_EFER) &= ~BIT_ULL(1);
	F(HOST_IA32_EFER) &= ~NV_EFER_LMA;
	EXPECT_HOST_FAIL("host EFER.LMA/LME differ from host address-space size");
	F(HOST_IA32_EFER) = NV_EFER_LMA;
	EXPECT_HOST_FAIL("host EFER.LMA/LME differ from host address-space size");
	F(VM_EXIT_CONTROLS) &= ~NV_EXIT_CTL_LOAD_EFER;
	EXPECT_PASS();
}

/* "Checks on Host Segment and Descriptor-Table Registers" */

TEST_F(chk, host_selector_rpl_and_ti)
{
	static const enum vmcs12_index sels[] = {
		V12_HOST_CS_SELECTOR, V12_HOST_SS_SELECTOR,
		V12_HOST_DS_SELECTOR, V12_HOST_ES_SELECTOR,
		V12_HOST_FS_SELECTOR, V12_HOST_GS_SELECTOR,
		V12_HOST_TR_SELECTOR,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sels); i++) {
		u64 old = self->v.field[sels[i]];

		self->v.field[sels[i]] = 0x28 | 3;
		EXPECT_HOST_FAIL("host selector RPL or TI set");
		self->v.field[sels[i]] = 0x28 | 4;
		EXPECT_HOST_FAIL("host selector RPL or TI set");
		self->v.field[sels[i]] = old;
	}
	EXPECT_PASS();
}

TEST_F(chk, host_cs_and_tr_not_null)
{
	F(HOST_CS_SELECTOR) = 0;
	EXPECT_HOST_FAIL("host CS selector 0");
	F(HOST_CS_SELECTOR) = 0x10;
	F(HOST_TR_SELECTOR) = 0;
	EXPECT_HOST_FAIL("host TR selector 0");
}

TEST_F(chk, host_bases_canonical)
{
	static const enum vmcs12_index bases[] = {
		V12_HOST_FS_BASE, V12_HOST_GS_BASE, V12_HOST_GDTR_BASE,
		V12_HOST_IDTR_BASE, V12_HOST_TR_BASE,
	};
	unsigned int i;

	F(HOST_SS_SELECTOR) = 0;	/* allowed for a 64-bit host */
	EXPECT_PASS();
	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		u64 old = self->v.field[bases[i]];

		self->v.field[bases[i]] = 0x0001000000000000ULL;
		EXPECT_HOST_FAIL("host segment or descriptor-table base not canonical");
		self->v.field[bases[i]] = old;
	}
}

/* "Checks Related to Address-Space Size" */

TEST_F(chk, host_address_space_size_in_ia32e_mode)
{
	F(VM_EXIT_CONTROLS) &= ~(NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE |
				 NV_EXIT_CTL_LOAD_EFER);
	EXPECT_HOST_FAIL("host address-space size clear in IA-32e mode");
}

TEST_F(chk, host_cr4_pae_and_rip_for_64_bit_host)
{
	F(HOST_RIP) = 0xfff0000000000000ULL;
	EXPECT_HOST_FAIL("host RIP not canonical");
	F(HOST_RIP) = 0xffffffff81234567ULL;
	F(HOST_CR4) &= ~NV_CR4_PAE;
	EXPECT_HOST_FAIL("host CR4.PAE clear with host address-space size");
}

/* A 32-bit L1 (outside IA-32e mode), for the other half of the checks. */
static void make_32_bit_host(struct nested_check_env *env, u64 *f)
{
	env->host_long_mode = false;
	f[V12_VM_EXIT_CONTROLS] &= ~NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE;
	f[V12_VM_ENTRY_CONTROLS] &= ~NV_ENTRY_CTL_IA32E_MODE_GUEST;
	f[V12_HOST_IA32_EFER] = NV_EFER_NXE;
	f[V12_HOST_CR4] = NV_CR4_PAE | 0x2000;
	f[V12_HOST_RIP] = 0xc1234567;
}

TEST_F(chk, outside_ia32e_mode)
{
	make_32_bit_host(&self->env, self->v.field);
	EXPECT_PASS();
	F(VM_ENTRY_CONTROLS) |= NV_ENTRY_CTL_IA32E_MODE_GUEST;
	EXPECT_HOST_FAIL("IA-32e mode guest outside IA-32e mode");
	F(VM_ENTRY_CONTROLS) &= ~NV_ENTRY_CTL_IA32E_MODE_GUEST;
	F(VM_EXIT_CONTROLS) |= NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE;
	F(VM_EXIT_CONTROLS) &= ~NV_EXIT_CTL_LOAD_EFER;
	EXPECT_HOST_FAIL("host address-space size outside IA-32e mode");
}

TEST_F(chk, host_32_bit_rules)
{
	make_32_bit_host(&self->env, self->v.field);
	F(HOST_SS_SELECTOR) = 0;
	EXPECT_HOST_FAIL("host SS selector 0 without host address-space size");
	F(HOST_SS_SELECTOR) = 0x18;
	F(HOST_CR4) |= NV_CR4_PCIDE;
	EXPECT_HOST_FAIL("host CR4.PCIDE set without host address-space size");
	F(HOST_CR4) &= ~NV_CR4_PCIDE;
	F(HOST_RIP) = BIT_ULL(32);
	EXPECT_HOST_FAIL("host RIP bits 63:32 set for a 32-bit host");
}

TEST_HARNESS_MAIN
