// SPDX-License-Identifier: GPL-2.0-only
/*
 * The controls of VMCS02 from VMCS01's and VMCS12's (see vmcs02.h).
 *
 * Three kinds of control:
 * - exits: VMCS02 has L0's and L1's. An exit that only L0 asked for is
 *   handled by L0 as if L2 were its guest; reflect.c tells them apart.
 *   L1's I/O bitmaps become unconditional I/O exiting (L0 has it anyway)
 *   and its MSR bitmap is read by reflect.c, never given to the CPU.
 * - features that change what L2 may execute (RDTSCP, INVPCID, XSAVES)
 *   or how it runs (unrestricted guest): L1's setting alone, so that L2
 *   gets #UD where L1 wants it to and needs paging unless L1 lets it go
 *   without.
 * - VMCS shadowing: never in VMCS02; L2's VMREAD and VMWRITE exit and
 *   L0 emulates them on L1's shadow VMCS (vmx/nested_l2vmcs.c).
 * - what L0 needs to run anything (EPT, VPID02, the VM-exit controls,
 *   loading EFER and PAT, its VMX-preemption timer): L0's alone; L1's
 *   timer for L2 is folded into L0's (vmx/nested_timer.c). EPT is always on: EPT01 when L1
 *   does not use EPT for L2, EPT02 (nested_ept.c) when it does.
 * A control that nvmx offers to L1 but does not emulate yet makes the
 * merge fail with its name. Pure.
 */
#include "vmcs02.h"

/* Primary controls that only make the guest exit: L1's are added. */
#define PROC_EXITS	(NV_PROC_CTL_INTR_WINDOW_EXITING | \
			 NV_PROC_CTL_HLT_EXITING | NV_PROC_CTL_INVLPG_EXITING | \
			 NV_PROC_CTL_MWAIT_EXITING | \
			 NV_PROC_CTL_RDPMC_EXITING | \
			 NV_PROC_CTL_RDTSC_EXITING | \
			 NV_PROC_CTL_CR3_LOAD_EXITING | \
			 NV_PROC_CTL_CR3_STORE_EXITING | \
			 NV_PROC_CTL_CR8_LOAD_EXITING | \
			 NV_PROC_CTL_CR8_STORE_EXITING | \
			 NV_PROC_CTL_NMI_WINDOW_EXITING | \
			 NV_PROC_CTL_MOV_DR_EXITING | \
			 NV_PROC_CTL_UNCOND_IO_EXITING | \
			 NV_PROC_CTL_MONITOR_TRAP_FLAG | \
			 NV_PROC_CTL_MONITOR_EXITING | \
			 NV_PROC_CTL_PAUSE_EXITING)
/* Primary controls L0 sets or clears for its own use while L1 runs. */
#define PROC_L0_DYNAMIC	(NV_PROC_CTL_INTR_WINDOW_EXITING | \
			 NV_PROC_CTL_NMI_WINDOW_EXITING)
/* Secondary controls that only make the guest exit. */
#define PROC2_EXITS	(NV_PROC2_CTL_DESC_TABLE_EXITING | \
			 NV_PROC2_CTL_WBINVD_EXITING)
/* Secondary controls that enable instructions: L1's setting. */
#define PROC2_ENABLES	(NV_PROC2_CTL_RDTSCP | NV_PROC2_CTL_INVPCID | \
			 NV_PROC2_CTL_XSAVES)	/* XSAVES: never offered to L1 */
/* What L0 uses for L1 but L2 gets only if L1 asks. */
#define PROC2_L1_ONLY	(NV_PROC2_CTL_UNRESTRICTED_GUEST)
#define PIN_EXITS	(NV_PIN_CTL_EXT_INTR_EXITING | NV_PIN_CTL_NMI_EXITING)

static u32 f(const struct vmcs12 *v, enum vmcs12_index i)
{
	return (u32)v->field[i];
}

/*
 * The first L1 control nvmx cannot emulate yet, or NULL. Every control
 * offered to L1 is emulated today: "use TPR shadow", the last one, is
 * (vmx/nested_tpr.c); a control offered before its emulation exists
 * is to be named here.
 */
static const char *nested_not_emulated(const struct vmcs12 *v)
{
	return NULL;
}

/**
 * nested_vmcs02_controls() - the controls of VMCS02
 * @l0: VMCS01's controls as nvmx computed them (vmx_vmcs01_controls()),
 *	without the controls it toggles at run time
 * @v: L1's VMCS12, whose controls passed nested_check_controls()
 * @out: the result
 * @unsupported: on failure, what L1 asked for that nvmx does not emulate
 *
 * Every control L1 may set is one the host allows (L1's profile is an
 * intersection with the host's), so the result is valid for the CPU.
 * Return: 0, or -EOPNOTSUPP.
 */
int nested_vmcs02_controls(const struct vmx_controls *l0,
			   const struct vmcs12 *v,
			   struct nested_vmcs02_ctls *out,
			   const char **unsupported)
{
	u32 pin = f(v, V12_PIN_BASED_VM_EXEC_CONTROL);
	u32 proc = f(v, V12_CPU_BASED_VM_EXEC_CONTROL);
	u32 proc2 = (proc & NV_PROC_CTL_ACTIVATE_SECONDARY) ?
		    f(v, V12_SECONDARY_VM_EXEC_CONTROL) : 0;
	struct vmx_controls *c = &out->ctls;

	*unsupported = nested_not_emulated(v);
	if (*unsupported)
		return -EOPNOTSUPP;
	memset(out, 0, sizeof(*out));
	c->pin = (l0->pin & ~NV_PIN_CTL_VIRTUAL_NMIS) | (pin & PIN_EXITS) |
		 (pin & NV_PIN_CTL_VIRTUAL_NMIS);
	c->proc = (l0->proc & ~PROC_L0_DYNAMIC) | (proc & PROC_EXITS);
	if (proc & NV_PROC_CTL_USE_IO_BITMAPS)
		c->proc |= NV_PROC_CTL_UNCOND_IO_EXITING;
	/*
	 * VMCS shadowing of L1's is emulated: without it in VMCS02, every
	 * VMREAD and VMWRITE of L2 exits, and reflect.c reads L1's bitmaps.
	 */
	c->proc2 = (l0->proc2 & ~(PROC2_ENABLES | PROC2_L1_ONLY |
				  NV_PROC2_CTL_VMCS_SHADOWING)) |
		   (proc2 & (PROC2_EXITS | PROC2_ENABLES | PROC2_L1_ONLY));
	c->exit = l0->exit;
	c->entry = (l0->entry & ~NV_ENTRY_CTL_IA32E_MODE_GUEST) |
		   (f(v, V12_VM_ENTRY_CONTROLS) & NV_ENTRY_CTL_IA32E_MODE_GUEST);
	out->exception_bitmap = f(v, V12_EXCEPTION_BITMAP);
	out->pfec_mask = f(v, V12_PAGE_FAULT_ERROR_CODE_MASK);
	out->pfec_match = f(v, V12_PAGE_FAULT_ERROR_CODE_MATCH);
	out->cr3_target_count = (proc & NV_PROC_CTL_CR3_LOAD_EXITING) ?
				f(v, V12_CR3_TARGET_COUNT) : 0;
	out->vpid12 = (proc2 & NV_PROC2_CTL_VPID) &&
		      f(v, V12_VIRTUAL_PROCESSOR_ID);
	out->ept12 = proc2 & NV_PROC2_CTL_EPT;
	return 0;
}
