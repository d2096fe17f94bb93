// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM-entry checks of L1's VMCS12 that end in VMfailValid, written from
 * the Intel SDM Vol. 3C, "Checks on VMX Controls" (error 7) and "Checks on
 * Host Control Registers, MSRs and Fields", "Checks on Host Segment and
 * Descriptor-Table Registers", "Checks Related to Address-Space Size"
 * (error 8). Pure.
 *
 * Each check has a short name, recorded in the result when it fails; the
 * checks run in SDM order and the first failure is reported.
 *
 * VTPR, which a check compares with the TPR threshold, is in L1's
 * virtual-APIC page: the caller reads it (nested_check_env.vtpr).
 *
 * Left out:
 * - Controls that nvmx does not offer L1 (sub-page write permissions,
 *   ENCLS/ENCLV exiting, Intel PT, CET, PKRS, tertiary controls, load
 *   IA32_PERF_GLOBAL_CTRL) have no checks beyond the allowed-1 settings.
 */
#include "checks.h"
#include "../vmx/controls.h"
#include "ept_walk.h"

struct check_ctx {
	const struct nested_check_env *env;
	const u64 *f;				/* the VMCS12 fields */
	struct nested_check_result *r;
	u32 pin, proc, proc2, exit, entry;	/* proc2: 0 unless activated */
};

static int check_failed(struct check_ctx *x, int error, const char *check)
{
	x->r->error = error;
	x->r->check = check;
	return error;
}

static int ctl_fail(struct check_ctx *x, const char *check)
{
	return check_failed(x, VMXERR_ENTRY_INVALID_CONTROL, check);
}

static int host_fail(struct check_ctx *x, const char *check)
{
	return check_failed(x, VMXERR_ENTRY_INVALID_HOST_STATE, check);
}

static void check_ctx_init(struct check_ctx *x,
			   const struct nested_check_env *env,
			   const struct vmcs12 *v,
			   struct nested_check_result *r)
{
	x->env = env;
	x->f = v->field;
	x->r = r;
	x->pin = v->field[V12_PIN_BASED_VM_EXEC_CONTROL];
	x->proc = v->field[V12_CPU_BASED_VM_EXEC_CONTROL];
	x->proc2 = 0;
	if (x->proc & NV_PROC_CTL_ACTIVATE_SECONDARY)
		x->proc2 = v->field[V12_SECONDARY_VM_EXEC_CONTROL];
	x->exit = v->field[V12_VM_EXIT_CONTROLS];
	x->entry = v->field[V12_VM_ENTRY_CONTROLS];
	r->error = 0;
	r->check = NULL;
}

/* A control value within the allowed-0 and allowed-1 settings of @cap. */
static bool ctl_allowed(const struct check_ctx *x, enum vmx_ctl_kind kind,
			u32 val)
{
	u64 cap = vmx_ctl_cap(x->env->msrs, kind);

	return (val & (u32)cap) == (u32)cap && !(val & ~NV_VMX_ALLOWED1(cap));
}

/* No bit of @addr at or above L1's physical-address width. */
static bool within_maxphyaddr(const struct check_ctx *x, u64 addr)
{
	return nested_pa_ok(x->env->maxphyaddr, addr);
}

static bool addr_ok(const struct check_ctx *x, u64 addr, u64 align)
{
	return !(addr & (align - 1)) && within_maxphyaddr(x, addr);
}

static bool page_ok(const struct check_ctx *x, u64 addr)
{
	return addr_ok(x, addr, 4096);
}

/*
 * A VM-exit MSR-store, VM-exit MSR-load or VM-entry MSR-load area: with a
 * nonzero count, a 16-byte aligned address, and its last byte within the
 * physical-address width.
 */
static bool msr_area_ok(const struct check_ctx *x, u64 addr, u64 count)
{
	if (!count)
		return true;
	return addr_ok(x, addr, 16) &&
	       within_maxphyaddr(x, addr + count * 16 - 1);
}

/* "VM-Execution Control Fields": allowed settings, CR3 targets, bitmaps. */
static int check_exec_basic(struct check_ctx *x)
{
	const u64 *f = x->f;

	if (!ctl_allowed(x, VMX_CTL_PIN, x->pin))
		return ctl_fail(x, "pin-based controls outside the allowed settings");
	if (!ctl_allowed(x, VMX_CTL_PROC, x->proc))
		return ctl_fail(x, "primary controls outside the allowed settings");
	if (!ctl_allowed(x, VMX_CTL_PROC2, x->proc2) &&
	    (x->proc & NV_PROC_CTL_ACTIVATE_SECONDARY))
		return ctl_fail(x, "secondary controls outside the allowed settings");
	if (f[V12_CR3_TARGET_COUNT] > x->env->cr3_target_max)
		return ctl_fail(x, "CR3-target count > maximum");
	if ((x->proc & NV_PROC_CTL_USE_IO_BITMAPS) &&
	    (!page_ok(x, f[V12_IO_BITMAP_A]) || !page_ok(x, f[V12_IO_BITMAP_B])))
		return ctl_fail(x, "I/O bitmap address invalid");
	if ((x->proc & NV_PROC_CTL_USE_MSR_BITMAPS) &&
	    !page_ok(x, f[V12_MSR_BITMAP]))
		return ctl_fail(x, "MSR bitmap address invalid");
	return 0;
}

/* "VM-Execution Control Fields": TPR shadow, NMIs, APIC virtualization. */
static int check_exec_apic(struct check_ctx *x)
{
	const u64 *f = x->f;
	bool vid = x->proc2 & NV_PROC2_CTL_VIRT_INTR_DELIVERY;

	if (x->proc & NV_PROC_CTL_USE_TPR_SHADOW) {
		if (!page_ok(x, f[V12_VIRTUAL_APIC_PAGE_ADDR]))
			return ctl_fail(x, "virtual-APIC address invalid");
		if (!vid && (f[V12_TPR_THRESHOLD] & ~0xfULL))
			return ctl_fail(x, "TPR threshold bits 31:4 set");
		if (!vid && !(x->proc2 & NV_PROC2_CTL_VIRT_APIC_ACCESSES) &&
		    (f[V12_TPR_THRESHOLD] & 0xf) > ((x->env->vtpr >> 4) & 0xf))
			return ctl_fail(x, "TPR threshold above VTPR");
	} else if (x->proc2 & (NV_PROC2_CTL_VIRT_X2APIC_MODE |
			       NV_PROC2_CTL_APIC_REG_VIRT |
			       NV_PROC2_CTL_VIRT_INTR_DELIVERY)) {
		return ctl_fail(x, "APIC virtualization without TPR shadow");
	}
	if (!(x->pin & NV_PIN_CTL_NMI_EXITING) &&
	    (x->pin & NV_PIN_CTL_VIRTUAL_NMIS))
		return ctl_fail(x, "virtual NMIs without NMI exiting");
	if (!(x->pin & NV_PIN_CTL_VIRTUAL_NMIS) &&
	    (x->proc & NV_PROC_CTL_NMI_WINDOW_EXITING))
		return ctl_fail(x, "NMI-window exiting without virtual NMIs");
	if ((x->proc2 & NV_PROC2_CTL_VIRT_APIC_ACCESSES) &&
	    !page_ok(x, f[V12_APIC_ACCESS_ADDR]))
		return ctl_fail(x, "APIC-access address invalid");
	if ((x->proc2 & NV_PROC2_CTL_VIRT_X2APIC_MODE) &&
	    (x->proc2 & NV_PROC2_CTL_VIRT_APIC_ACCESSES))
		return ctl_fail(x, "virtualize x2APIC mode and APIC accesses");
	if (vid && !(x->pin & NV_PIN_CTL_EXT_INTR_EXITING))
		return ctl_fail(x, "virtual-interrupt delivery without external-interrupt exiting");
	if (!(x->pin & NV_PIN_CTL_POSTED_INTR))
		return 0;
	if (!vid)
		return ctl_fail(x, "posted interrupts without virtual-interrupt delivery");
	if (!(x->exit & NV_EXIT_CTL_ACK_INTR_ON_EXIT))
		return ctl_fail(x, "posted interrupts without acknowledge interrupt on exit");
	if (f[V12_POSTED_INTR_NV] & 0xff00)
		return ctl_fail(x, "posted-interrupt notification vector bits 15:8 set");
	if (!addr_ok(x, f[V12_POSTED_INTR_DESC_ADDR], 64))
		return ctl_fail(x, "posted-interrupt descriptor address invalid");
	return 0;
}

/* The EPT capabilities offered to L1, for ept_eptp_valid(). */
static void check_ept_caps(const struct check_ctx *x, struct ept_walk_caps *c)
{
	nested_ept_caps(x->env->msrs, x->env->maxphyaddr, c);
}

/**
 * nested_ept_caps() - the EPT capabilities offered to L1
 * @msrs: L1's VMX capability MSRs
 * @maxphyaddr: L1's physical-address width
 * @c: the result, for ept_eptp_valid() and ept_walk()
 */
void nested_ept_caps(const u64 *msrs, unsigned int maxphyaddr,
		     struct ept_walk_caps *c)
{
	u64 cap = msrs[NV_MSR_EPT_VPID_CAP];

	c->exec_only = cap & NV_EPT_CAP_EXEC_ONLY;
	c->memtype_uc = cap & NV_EPT_CAP_UC;
	c->memtype_wb = cap & NV_EPT_CAP_WB;
	c->pages_2m = cap & NV_EPT_CAP_2M;
	c->pages_1g = cap & NV_EPT_CAP_1G;
	c->ad_supported = cap & NV_EPT_CAP_AD;
	c->maxphyaddr = maxphyaddr;
}

/* "VM-Execution Control Fields": VM functions. */
static int check_exec_vmfunc(struct check_ctx *x)
{
	u64 vmfunc = x->f[V12_VM_FUNCTION_CONTROL];

	if (!(x->proc2 & NV_PROC2_CTL_VMFUNC))
		return 0;
	if (vmfunc & ~x->env->msrs[NV_MSR_VMFUNC])
		return ctl_fail(x, "VM-function controls outside the allowed settings");
	if (!(vmfunc & NV_VMFUNC_EPTP_SWITCHING))
		return 0;
	if (!(x->proc2 & NV_PROC2_CTL_EPT))
		return ctl_fail(x, "EPTP switching without EPT");
	if (!page_ok(x, x->f[V12_EPTP_LIST_ADDR]))
		return ctl_fail(x, "EPTP-list address invalid");
	return 0;
}

/* "VM-Execution Control Fields": VPID, EPT and what depends on them. */
static int check_exec_mem(struct check_ctx *x)
{
	const u64 *f = x->f;
	bool ept = x->proc2 & NV_PROC2_CTL_EPT;
	struct ept_walk_caps caps;

	if ((x->proc2 & NV_PROC2_CTL_VPID) && !f[V12_VIRTUAL_PROCESSOR_ID])
		return ctl_fail(x, "VPID is 0");
	check_ept_caps(x, &caps);
	if (ept && !ept_eptp_valid(&caps, f[V12_EPT_POINTER]))
		return ctl_fail(x, "EPTP invalid");
	if (x->proc2 & NV_PROC2_CTL_PML) {
		if (!ept)
			return ctl_fail(x, "PML without EPT");
		if (!page_ok(x, f[V12_PML_ADDRESS]))
			return ctl_fail(x, "PML address invalid");
	}
	if ((x->proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST) && !ept)
		return ctl_fail(x, "unrestricted guest without EPT");
	if (check_exec_vmfunc(x))
		return x->r->error;
	if ((x->proc2 & NV_PROC2_CTL_VMCS_SHADOWING) &&
	    (!page_ok(x, f[V12_VMREAD_BITMAP]) ||
	     !page_ok(x, f[V12_VMWRITE_BITMAP])))
		return ctl_fail(x, "VMREAD/VMWRITE bitmap address invalid");
	if ((x->proc2 & NV_PROC2_CTL_EPT_VIOLATION_VE) &&
	    !page_ok(x, f[V12_VE_INFO_ADDR]))
		return ctl_fail(x, "virtualization-exception information address invalid");
	return 0;
}

/* "VM-Exit Control Fields" */
static int check_exit(struct check_ctx *x)
{
	const u64 *f = x->f;

	if (!ctl_allowed(x, VMX_CTL_EXIT, x->exit))
		return ctl_fail(x, "VM-exit controls outside the allowed settings");
	if (!(x->pin & NV_PIN_CTL_PREEMPTION_TIMER) &&
	    (x->exit & NV_EXIT_CTL_SAVE_PREEMPTION_TIMER))
		return ctl_fail(x, "save preemption timer without activate preemption timer");
	if (!msr_area_ok(x, f[V12_VM_EXIT_MSR_STORE_ADDR],
			 f[V12_VM_EXIT_MSR_STORE_COUNT]))
		return ctl_fail(x, "VM-exit MSR-store area invalid");
	if (!msr_area_ok(x, f[V12_VM_EXIT_MSR_LOAD_ADDR],
			 f[V12_VM_EXIT_MSR_LOAD_COUNT]))
		return ctl_fail(x, "VM-exit MSR-load area invalid");
	return 0;
}

/* Exceptions that push an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
static bool vector_has_error_code(u32 vector)
{
	return vector < 32 && (BIT(vector) & (BIT(8) | BIT(10) | BIT(11) |
					      BIT(12) | BIT(13) | BIT(14) |
					      BIT(17) | BIT(21)));
}

/*
 * "VM-Entry Control Fields", event injection: the deliver-error-code bit.
 * It must be 1 for a hardware exception with an error code injected in
 * protected mode, and 0 for any other event or in real mode. Guest CR0.PE
 * can only be 0 with "unrestricted guest". IA32_VMX_BASIC bit 56 drops the
 * vector from the rule.
 */
static int check_event_error_code(struct check_ctx *x, u32 info)
{
	u32 type = NV_INTR_INFO_TYPE(info);
	bool pe = !(x->proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST) ||
		  (x->f[V12_GUEST_CR0] & NV_CR0_PE);
	bool deliver = info & NV_INTR_INFO_DELIVER_CODE;
	bool may = type == NV_INTR_TYPE_HW_EXCEPTION && pe;
	bool must = may && vector_has_error_code(NV_INTR_INFO_VECTOR(info));

	if (x->env->msrs[NV_MSR_BASIC] & NV_VMX_BASIC_ANY_ERRCODE)
		must = false;
	else
		may = must;
	if (deliver != must && !(deliver && may))
		return ctl_fail(x, "injected event deliver-error-code inconsistent");
	if (deliver && (x->f[V12_VM_ENTRY_EXCEPTION_ERROR_CODE] & 0xffff0000))
		return ctl_fail(x, "injected event error code bits 31:16 set");
	return 0;
}

/* "VM-Entry Control Fields", event injection. */
static int check_event(struct check_ctx *x)
{
	u32 info = x->f[V12_VM_ENTRY_INTR_INFO_FIELD];
	u32 type = NV_INTR_INFO_TYPE(info);
	u32 vector = NV_INTR_INFO_VECTOR(info);
	u64 len = x->f[V12_VM_ENTRY_INSTRUCTION_LEN];
	u32 mtf = NV_VMX_ALLOWED1(vmx_ctl_cap(x->env->msrs, VMX_CTL_PROC)) &
		  NV_PROC_CTL_MONITOR_TRAP_FLAG;

	if (!(info & NV_INTR_INFO_VALID))
		return 0;
	if (type == NV_INTR_TYPE_RESERVED || (type == NV_INTR_TYPE_OTHER && !mtf))
		return ctl_fail(x, "injected event type reserved");
	if (type == NV_INTR_TYPE_NMI && vector != 2)
		return ctl_fail(x, "injected NMI vector not 2");
	if (type == NV_INTR_TYPE_HW_EXCEPTION && vector > 31)
		return ctl_fail(x, "injected hardware exception vector > 31");
	if (type == NV_INTR_TYPE_OTHER && vector != 0)
		return ctl_fail(x, "injected other event vector not 0");
	if (check_event_error_code(x, info))
		return x->r->error;
	if (info & NV_INTR_INFO_RESERVED)
		return ctl_fail(x, "injected event reserved bits set");
	if (type != NV_INTR_TYPE_SW_INTR && type != NV_INTR_TYPE_SW_EXCEPTION &&
	    type != NV_INTR_TYPE_PRIV_SW_EXCEPTION)
		return 0;
	if (len > 15 || (!len && !(x->env->msrs[NV_MSR_MISC] &
				   NV_VMX_MISC_ZERO_INSN_LEN)))
		return ctl_fail(x, "injected event instruction length invalid");
	return 0;
}

/* "VM-Entry Control Fields" */
static int check_entry(struct check_ctx *x)
{
	if (!ctl_allowed(x, VMX_CTL_ENTRY, x->entry))
		return ctl_fail(x, "VM-entry controls outside the allowed settings");
	if (check_event(x))
		return x->r->error;
	if (!msr_area_ok(x, x->f[V12_VM_ENTRY_MSR_LOAD_ADDR],
			 x->f[V12_VM_ENTRY_MSR_LOAD_COUNT]))
		return ctl_fail(x, "VM-entry MSR-load area invalid");
	/* L1 never runs in SMM. */
	if (x->entry & NV_ENTRY_CTL_SMM)
		return ctl_fail(x, "entry to SMM outside SMM");
	if (x->entry & NV_ENTRY_CTL_DEACT_DUAL_MONITOR)
		return ctl_fail(x, "deactivate dual-monitor treatment outside SMM");
	return 0;
}

/**
 * nested_check_controls() - "Checks on VMX Controls"
 * @env: L1's capabilities and mode
 * @v: the VMCS12 of the VM entry
 * @r: the result: the error and the name of the first failed check
 *
 * Return: 0 when every check passes, else VMXERR_ENTRY_INVALID_CONTROL.
 */
int nested_check_controls(const struct nested_check_env *env,
			  const struct vmcs12 *v,
			  struct nested_check_result *r)
{
	struct check_ctx x;

	check_ctx_init(&x, env, v, r);
	if (check_exec_basic(&x) || check_exec_apic(&x) ||
	    check_exec_mem(&x) || check_exit(&x) || check_entry(&x))
		return r->error;
	return 0;
}

static bool host_canonical(const struct check_ctx *x, u64 addr)
{
	return nested_canonical(x->env->msrs, addr);
}

/* A value that has the FIXED0 bits set and only the FIXED1 bits. */
static bool fixed_ok(u64 val, u64 fixed0, u64 fixed1)
{
	return (val & fixed0) == fixed0 && !(val & ~fixed1);
}

/* "Checks on Host Control Registers, MSRs and Fields" */
static int check_host_regs(struct check_ctx *x, bool host64)
{
	const u64 *f = x->f, *msrs = x->env->msrs;
	u64 efer = f[V12_HOST_IA32_EFER];
	u64 lm = host64 ? NV_EFER_LMA | NV_EFER_LME : 0;

	if (!fixed_ok(f[V12_HOST_CR0], msrs[NV_MSR_CR0_FIXED0],
		      msrs[NV_MSR_CR0_FIXED1]))
		return host_fail(x, "host CR0 fixed bits");
	if (!fixed_ok(f[V12_HOST_CR4], msrs[NV_MSR_CR4_FIXED0],
		      msrs[NV_MSR_CR4_FIXED1]))
		return host_fail(x, "host CR4 fixed bits");
	if (!within_maxphyaddr(x, f[V12_HOST_CR3]))
		return host_fail(x, "host CR3 beyond physical-address width");
	if (!host_canonical(x, f[V12_HOST_IA32_SYSENTER_ESP]) ||
	    !host_canonical(x, f[V12_HOST_IA32_SYSENTER_EIP]))
		return host_fail(x, "host SYSENTER ESP/EIP not canonical");
	if ((x->exit & NV_EXIT_CTL_LOAD_PAT) && !nested_pat_ok(f[V12_HOST_IA32_PAT]))
		return host_fail(x, "host PAT invalid memory type");
	if (!(x->exit & NV_EXIT_CTL_LOAD_EFER))
		return 0;
	if (efer & ~(NV_EFER_SCE | NV_EFER_LME | NV_EFER_LMA | NV_EFER_NXE))
		return host_fail(x, "host EFER reserved bits set");
	if ((efer & (NV_EFER_LMA | NV_EFER_LME)) != lm)
		return host_fail(x, "host EFER.LMA/LME differ from host address-space size");
	return 0;
}

/* "Checks on Host Segment and Descriptor-Table Registers" */
static int check_host_segs(struct check_ctx *x, bool host64)
{
	static const enum vmcs12_index sels[] = {
		V12_HOST_CS_SELECTOR, V12_HOST_SS_SELECTOR,
		V12_HOST_DS_SELECTOR, V12_HOST_ES_SELECTOR,
		V12_HOST_FS_SELECTOR, V12_HOST_GS_SELECTOR,
		V12_HOST_TR_SELECTOR,
	};
	static const enum vmcs12_index bases[] = {
		V12_HOST_FS_BASE, V12_HOST_GS_BASE, V12_HOST_GDTR_BASE,
		V12_HOST_IDTR_BASE, V12_HOST_TR_BASE,
	};
	const u64 *f = x->f;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sels); i++)
		if (f[sels[i]] & 7)
			return host_fail(x, "host selector RPL or TI set");
	if (!f[V12_HOST_CS_SELECTOR])
		return host_fail(x, "host CS selector 0");
	if (!f[V12_HOST_TR_SELECTOR])
		return host_fail(x, "host TR selector 0");
	if (!host64 && !f[V12_HOST_SS_SELECTOR])
		return host_fail(x, "host SS selector 0 without host address-space size");
	for (i = 0; i < ARRAY_SIZE(bases); i++)
		if (!host_canonical(x, f[bases[i]]))
			return host_fail(x, "host segment or descriptor-table base not canonical");
	return 0;
}

/* "Checks Related to Address-Space Size" (host part and mode) */
static int check_host_addr_size(struct check_ctx *x, bool host64)
{
	const u64 *f = x->f;

	if (!x->env->host_long_mode) {
		if (x->entry & NV_ENTRY_CTL_IA32E_MODE_GUEST)
			return host_fail(x, "IA-32e mode guest outside IA-32e mode");
		if (host64)
			return host_fail(x, "host address-space size outside IA-32e mode");
	} else if (!host64) {
		return host_fail(x, "host address-space size clear in IA-32e mode");
	}
	if (host64) {
		if (!(f[V12_HOST_CR4] & NV_CR4_PAE))
			return host_fail(x, "host CR4.PAE clear with host address-space size");
		if (!host_canonical(x, f[V12_HOST_RIP]))
			return host_fail(x, "host RIP not canonical");
	} else {
		if (f[V12_HOST_CR4] & NV_CR4_PCIDE)
			return host_fail(x, "host CR4.PCIDE set without host address-space size");
		if (f[V12_HOST_RIP] >> 32)
			return host_fail(x, "host RIP bits 63:32 set for a 32-bit host");
	}
	return 0;
}

/**
 * nested_check_host_state() - the host-state checks of VM entry
 * @env: L1's capabilities and mode
 * @v: the VMCS12 of the VM entry
 * @r: the result: the error and the name of the first failed check
 *
 * Run after nested_check_controls() passed.
 *
 * Return: 0 when every check passes, else VMXERR_ENTRY_INVALID_HOST_STATE.
 */
int nested_check_host_state(const struct nested_check_env *env,
			    const struct vmcs12 *v,
			    struct nested_check_result *r)
{
	struct check_ctx x;
	bool host64;

	check_ctx_init(&x, env, v, r);
	host64 = x.exit & NV_EXIT_CTL_HOST_ADDR_SPACE_SIZE;
	if (check_host_regs(&x, host64) || check_host_segs(&x, host64) ||
	    check_host_addr_size(&x, host64))
		return r->error;
	return 0;
}
