// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VM-exit reflection: who handles a VM exit from L2, L1 or L0.
 * Pure. See reflect.h.
 *
 * One table row per basic exit reason: a fixed owner, one or more VMCS12
 * control bits that L1 must have set, or a decision function. The rules
 * follow Intel SDM Vol. 3C, "Instructions That Cause VM Exits
 * Unconditionally", "Instructions That Cause VM Exits Conditionally" and
 * "Other Causes of VM Exits". An exit L1 did not ask for is L0's: L0 set
 * the control in VMCS02 for itself.
 */
#include "reflect.h"
#include "../vmx/arch.h"

typedef enum nested_owner (*nested_rule_fn)(const struct nested_reflect_env *env,
					    const struct nested_exit *e,
					    const char **why);

enum nested_rule_kind {
	RULE_UNKNOWN = 0,	/* a hole in the table: not an exit reason */
	RULE_L0,		/* always L0 */
	RULE_L1,		/* always L1 */
	RULE_PIN,		/* L1 iff all @bits set in its pin-based controls */
	RULE_PROC,		/* ... in its primary processor-based controls */
	RULE_PROC2,		/* ... in its secondary processor-based controls */
	RULE_FN,		/* @fn decides */
};

struct nested_rule {
	u8 kind;
	u32 bits;
	nested_rule_fn fn;
	const char *why;
};

static u64 v12(const struct nested_reflect_env *env, enum vmcs12_index i)
{
	return env->v->field[i];
}

static u32 proc_ctls(const struct nested_reflect_env *env)
{
	return (u32)v12(env, V12_CPU_BASED_VM_EXEC_CONTROL);
}

/*
 * "Secondary Processor-Based VM-Execution Controls": with "activate
 * secondary controls" clear, the processor acts as if they were all 0.
 */
static u32 proc2_ctls(const struct nested_reflect_env *env)
{
	if (!(proc_ctls(env) & NV_PROC_CTL_ACTIVATE_SECONDARY))
		return 0;
	return (u32)v12(env, V12_SECONDARY_VM_EXEC_CONTROL);
}

static enum nested_owner owner_if(bool l1)
{
	return l1 ? NESTED_L1 : NESTED_L0;
}

/*
 * Exit reason 0 ("Exceptions", "NMIs" in "Other Causes of VM Exits").
 * #PF: with (error code & mask) == match, exception-bitmap bit 14 decides;
 * otherwise its opposite does.
 * Decided here: a machine check (#MC) is a host hardware event and stays
 * with L0 whatever L1's bitmap says; L0 may pass it on to L1 later. nvmx
 * requires EPT, so L0 intercepts no #PF of L2 for shadow paging.
 */
static enum nested_owner rule_exception_nmi(const struct nested_reflect_env *env,
					    const struct nested_exit *e,
					    const char **why)
{
	u32 info = e->intr_info, vector = NV_INTR_INFO_VECTOR(info);
	u32 bitmap = (u32)v12(env, V12_EXCEPTION_BITMAP);
	u32 mask, match;
	bool bit;

	if (!(info & NV_INTR_INFO_VALID)) {
		*why = "L0: exception/NMI exit without valid interruption info";
		return NESTED_L0;
	}
	switch (NV_INTR_INFO_TYPE(info)) {
	case NV_INTR_TYPE_NMI:
		*why = "NMI exiting";
		return owner_if(v12(env, V12_PIN_BASED_VM_EXEC_CONTROL) &
				NV_PIN_CTL_NMI_EXITING);
	case NV_INTR_TYPE_HW_EXCEPTION:
	case NV_INTR_TYPE_PRIV_SW_EXCEPTION:
	case NV_INTR_TYPE_SW_EXCEPTION:
		break;
	default:
		*why = "L0: unexpected interruption type";
		return NESTED_L0;
	}
	if (vector == NV_VECTOR_MC) {
		*why = "L0: machine check";
		return NESTED_L0;
	}
	bit = vector < 32 && (bitmap & BIT(vector));
	if (vector != NV_VECTOR_PF) {
		*why = "exception bitmap";
		return owner_if(bit);
	}
	mask = (u32)v12(env, V12_PAGE_FAULT_ERROR_CODE_MASK);
	match = (u32)v12(env, V12_PAGE_FAULT_ERROR_CODE_MATCH);
	*why = "exception bitmap bit 14 with #PF mask/match";
	if ((e->intr_error_code & mask) == match)
		return owner_if(bit);
	return owner_if(!bit);
}

/*
 * MOV to CR3 ("Instructions That Cause VM Exits Conditionally"): with
 * CR3-load exiting, no exit if the value equals one of the first n
 * CR3-target values, n the CR3-target count. Decided here: a count above
 * 4 (which VM entry would have refused) counts as 4.
 */
static enum nested_owner rule_mov_to_cr3(const struct nested_reflect_env *env,
					 const struct nested_exit *e,
					 const char **why)
{
	u32 n = (u32)v12(env, V12_CR3_TARGET_COUNT);
	u32 i;

	*why = "CR3-load exiting";
	if (!(proc_ctls(env) & NV_PROC_CTL_CR3_LOAD_EXITING))
		return NESTED_L0;
	if (n > NV_CR3_TARGET_MAX)
		n = NV_CR3_TARGET_MAX;
	for (i = 0; i < n; i++) {
		/* The four target slots are consecutive in the layout. */
		if (v12(env, V12_CR3_TARGET_VALUE0 + i) == e->cr_value) {
			*why = "CR3-target value";
			return NESTED_L0;
		}
	}
	return NESTED_L1;
}

/*
 * LMSW: exits if, for a bit of 3:0 set in the CR0 guest/host mask, it
 * would write a value different from the read shadow. LMSW never clears
 * CR0.PE, so for bit 0 only "source 1, shadow 0" exits.
 */
static enum nested_owner rule_lmsw(const struct nested_reflect_env *env,
				   const struct nested_exit *e,
				   const char **why)
{
	u64 mask = v12(env, V12_CR0_GUEST_HOST_MASK);
	u64 shadow = v12(env, V12_CR0_READ_SHADOW);
	u64 src = NV_CR_QUAL_LMSW_DATA(e->qualification);

	*why = "LMSW with CR0 guest/host mask";
	if ((mask & NV_CR0_PE) && (src & NV_CR0_PE) && !(shadow & NV_CR0_PE))
		return NESTED_L1;
	return owner_if(mask & 0xe & (src ^ shadow));
}

/*
 * MOV to CR0/CR4 exits iff a bit set in the guest/host mask differs
 * between the source operand and the read shadow.
 */
static enum nested_owner rule_mov_to_cr(const struct nested_reflect_env *env,
					const struct nested_exit *e,
					const char **why)
{
	switch (NV_CR_QUAL_CR(e->qualification)) {
	case 0:
		*why = "CR0 guest/host mask and read shadow";
		return owner_if(v12(env, V12_CR0_GUEST_HOST_MASK) &
				(e->cr_value ^ v12(env, V12_CR0_READ_SHADOW)));
	case 3:
		return rule_mov_to_cr3(env, e, why);
	case 4:
		*why = "CR4 guest/host mask and read shadow";
		return owner_if(v12(env, V12_CR4_GUEST_HOST_MASK) &
				(e->cr_value ^ v12(env, V12_CR4_READ_SHADOW)));
	case 8:
		/*
		 * Only CR8-load exiting reflects; under a TPR shadow L0
		 * completes the MOV on VTPR (vmx/nested_tpr.c), which may
		 * end in a TPR-below-threshold exit it makes for L1.
		 */
		*why = "CR8-load exiting";
		return owner_if(proc_ctls(env) & NV_PROC_CTL_CR8_LOAD_EXITING);
	}
	*why = "L0: MOV to unexpected control register";
	return NESTED_L0;
}

/* Exit reason 28, "Control-Register Accesses". */
static enum nested_owner rule_cr_access(const struct nested_reflect_env *env,
					const struct nested_exit *e,
					const char **why)
{
	u64 q = e->qualification;

	switch (NV_CR_QUAL_TYPE(q)) {
	case NV_CR_TYPE_MOV_TO:
		return rule_mov_to_cr(env, e, why);
	case NV_CR_TYPE_MOV_FROM:
		if (NV_CR_QUAL_CR(q) == 3) {
			*why = "CR3-store exiting";
			return owner_if(proc_ctls(env) &
					NV_PROC_CTL_CR3_STORE_EXITING);
		}
		if (NV_CR_QUAL_CR(q) == 8) {
			*why = "CR8-store exiting";
			return owner_if(proc_ctls(env) &
					NV_PROC_CTL_CR8_STORE_EXITING);
		}
		*why = "L0: MOV from unexpected control register";
		return NESTED_L0;
	case NV_CR_TYPE_CLTS:
		/* CLTS exits iff CR0.TS is in the mask and set in the shadow. */
		*why = "CLTS with CR0.TS owned by L1";
		return owner_if(v12(env, V12_CR0_GUEST_HOST_MASK) &
				v12(env, V12_CR0_READ_SHADOW) & NV_CR0_TS);
	default:
		return rule_lmsw(env, e, why);
	}
}

/*
 * One I/O-bitmap bit. Decided here: a bitmap L1 placed where nothing can
 * be read counts as all ones, as reads of nonexistent memory return on
 * real hardware, so the exit goes to L1.
 */
static bool io_bitmap_bit(const struct nested_reflect_env *env, u32 port)
{
	u64 base = v12(env, port < 0x8000 ? V12_IO_BITMAP_A : V12_IO_BITMAP_B);
	u8 byte;

	if (!env->read ||
	    env->read(env->ctx, base + (port & 0x7fff) / 8, &byte, 1))
		return true;
	return byte & BIT(port & 7);
}

/*
 * Exit reason 30, "I/O Instructions". With "use I/O bitmaps", the bitmaps
 * decide ("unconditional I/O exiting" is then ignored): an access to ports
 * [port, port + size - 1] exits if any of their bits is 1, or if it wraps
 * past port 0xffff. A string or REP instruction accesses the same ports in
 * every iteration, so the same check applies.
 */
static enum nested_owner rule_io(const struct nested_reflect_env *env,
				 const struct nested_exit *e,
				 const char **why)
{
	u32 port = NV_IO_QUAL_PORT(e->qualification);
	u32 size = NV_IO_QUAL_SIZE(e->qualification);
	u32 p;

	if (!(proc_ctls(env) & NV_PROC_CTL_USE_IO_BITMAPS)) {
		*why = "unconditional I/O exiting";
		return owner_if(proc_ctls(env) & NV_PROC_CTL_UNCOND_IO_EXITING);
	}
	if (port + size - 1 > 0xffff) {
		*why = "I/O bitmaps: access wraps past port 0xffff";
		return NESTED_L1;
	}
	for (p = port; p < port + size; p++) {
		if (io_bitmap_bit(env, p)) {
			*why = p < 0x8000 ? "I/O bitmap A" : "I/O bitmap B";
			return NESTED_L1;
		}
	}
	*why = port + size - 1 < 0x8000 ? "I/O bitmap A" :
	       port >= 0x8000 ? "I/O bitmap B" : "I/O bitmaps A and B";
	return NESTED_L0;
}

/*
 * Exit reasons 31 and 32, RDMSR and WRMSR. Without MSR bitmaps every
 * access exits; with them, an MSR outside 0..0x1fff and
 * 0xc0000000..0xc0001fff always exits, others by their bit in one of
 * the four 1 KiB areas. Decided here: an unreadable bitmap counts as all
 * ones (see io_bitmap_bit()).
 */
static enum nested_owner rule_msr(const struct nested_reflect_env *env,
				  const struct nested_exit *e,
				  const char **why)
{
	bool wr = e->reason == NV_EXIT_WRMSR;
	u32 msr = (u32)e->gpr_rcx;
	u32 area;
	u8 byte;

	if (!(proc_ctls(env) & NV_PROC_CTL_USE_MSR_BITMAPS)) {
		*why = "always L1: no MSR bitmaps";
		return NESTED_L1;
	}
	if (msr <= NV_MSR_LOW_LAST) {
		area = wr ? NV_MSR_BITMAP_WRITE_LOW : NV_MSR_BITMAP_READ_LOW;
		*why = wr ? "MSR bitmap (write, low range)" :
			    "MSR bitmap (read, low range)";
	} else if (msr >= NV_MSR_HIGH_FIRST && msr <= NV_MSR_HIGH_LAST) {
		area = wr ? NV_MSR_BITMAP_WRITE_HIGH : NV_MSR_BITMAP_READ_HIGH;
		*why = wr ? "MSR bitmap (write, high range)" :
			    "MSR bitmap (read, high range)";
	} else {
		*why = "always L1: MSR outside the MSR bitmap ranges";
		return NESTED_L1;
	}
	if (!env->read ||
	    env->read(env->ctx, v12(env, V12_MSR_BITMAP) + area +
		      (msr & 0x1fff) / 8, &byte, 1)) {
		*why = "MSR bitmap unreadable";
		return NESTED_L1;
	}
	return owner_if(byte & BIT(msr & 7));
}

/*
 * VMREAD and VMWRITE in VMX non-root operation ("VMCS Shadowing" in
 * "VM-Execution Control Fields", and the instructions' pseudocode):
 * without VMCS shadowing they exit. With it, an encoding with a bit of
 * 63:15 set exits, any other by its bit (encoding bits 14:0) in the
 * VMREAD or VMWRITE bitmap; a 0 bit is an access to L1's shadow VMCS,
 * which L0 emulates. Decided here: an unreadable bitmap counts as all
 * ones (see io_bitmap_bit()).
 */
static enum nested_owner rule_vmread_vmwrite(const struct nested_reflect_env *env,
					     const struct nested_exit *e,
					     const char **why)
{
	bool wr = e->reason == NV_EXIT_VMWRITE;
	u64 field = e->vmcs_field;
	u8 byte;

	if (!(proc2_ctls(env) & NV_PROC2_CTL_VMCS_SHADOWING)) {
		*why = "always L1: VMX instruction";
		return NESTED_L1;
	}
	if (field >> 15) {
		*why = "VMCS shadowing: encoding beyond bit 14";
		return NESTED_L1;
	}
	if (!env->read ||
	    env->read(env->ctx, v12(env, wr ? V12_VMWRITE_BITMAP :
					       V12_VMREAD_BITMAP) + field / 8,
		      &byte, 1)) {
		*why = wr ? "VMWRITE bitmap unreadable" :
			    "VMREAD bitmap unreadable";
		return NESTED_L1;
	}
	*why = wr ? "VMWRITE bitmap" : "VMREAD bitmap";
	return owner_if(byte & BIT(field & 7));
}

/* RDTSCP exits iff "RDTSC exiting" and "enable RDTSCP" are both 1. */
static enum nested_owner rule_rdtscp(const struct nested_reflect_env *env,
				     const struct nested_exit *e,
				     const char **why)
{
	*why = "RDTSC exiting with enable RDTSCP";
	return owner_if((proc_ctls(env) & NV_PROC_CTL_RDTSC_EXITING) &&
			(proc2_ctls(env) & NV_PROC2_CTL_RDTSCP));
}

/* INVPCID exits iff "INVLPG exiting" and "enable INVPCID" are both 1. */
static enum nested_owner rule_invpcid(const struct nested_reflect_env *env,
				      const struct nested_exit *e,
				      const char **why)
{
	*why = "INVLPG exiting with enable INVPCID";
	return owner_if((proc_ctls(env) & NV_PROC_CTL_INVLPG_EXITING) &&
			(proc2_ctls(env) & NV_PROC2_CTL_INVPCID));
}

/* UMWAIT and TPAUSE: "RDTSC exiting" and "enable user wait and pause". */
static enum nested_owner rule_user_wait(const struct nested_reflect_env *env,
					const struct nested_exit *e,
					const char **why)
{
	*why = "RDTSC exiting with enable user wait and pause";
	return owner_if((proc_ctls(env) & NV_PROC_CTL_RDTSC_EXITING) &&
			(proc2_ctls(env) & NV_PROC2_CTL_USER_WAIT_PAUSE));
}

/*
 * APIC-write VM exits ("APIC Virtualization and Virtual Interrupts")
 * follow a virtualized APIC write: L1's iff it enabled APIC-register
 * virtualization or virtual-interrupt delivery.
 */
static enum nested_owner rule_apic_write(const struct nested_reflect_env *env,
					 const struct nested_exit *e,
					 const char **why)
{
	*why = "APIC-register virtualization or virtual-interrupt delivery";
	return owner_if(proc2_ctls(env) & (NV_PROC2_CTL_APIC_REG_VIRT |
					   NV_PROC2_CTL_VIRT_INTR_DELIVERY));
}

/*
 * EPT violations and misconfigurations: L0's when EPT02 is at fault and
 * EPT12 allows the access; otherwise EPT12 is at fault and L1 gets it.
 * Without EPT in L1 there is no EPT12, so the fault is L0's either way.
 */
static enum nested_owner rule_ept(const struct nested_reflect_env *env,
				  const struct nested_exit *e,
				  const char **why)
{
	if (!(proc2_ctls(env) & NV_PROC2_CTL_EPT)) {
		*why = "L0: L1 does not use EPT";
		return NESTED_L0;
	}
	if (e->l0_ept_fault) {
		*why = "L0: EPT02 fault that EPT12 allows";
		return NESTED_L0;
	}
	*why = "EPT12 fault";
	return NESTED_L1;
}

/*
 * XSAVES/XRSTORS exit iff "enable XSAVES/XRSTORS" is 1 and EDX:EAX,
 * IA32_XSS and the XSS-exiting bitmap have a bit in common. Simplified
 * here: L1 iff it enabled them with a nonzero XSS-exiting bitmap.
 */
static enum nested_owner rule_xsaves(const struct nested_reflect_env *env,
				     const struct nested_exit *e,
				     const char **why)
{
	*why = "XSS-exiting bitmap";
	return owner_if((proc2_ctls(env) & NV_PROC2_CTL_XSAVES) &&
			v12(env, V12_XSS_EXIT_BITMAP));
}

/* The VM-execution control field that a RULE_PIN/PROC/PROC2 row tests. */
static u32 rule_ctls(const struct nested_reflect_env *env, u8 kind)
{
	if (kind == RULE_PIN)
		return (u32)v12(env, V12_PIN_BASED_VM_EXEC_CONTROL);
	if (kind == RULE_PROC)
		return proc_ctls(env);
	return proc2_ctls(env);
}

static const struct nested_rule nested_rules[NV_EXIT_REASON_COUNT] = {
	[NV_EXIT_EXCEPTION_NMI] = { RULE_FN, 0, rule_exception_nmi, NULL },
	/* A host interrupt; making it L1's interrupt is another module's job. */
	[NV_EXIT_EXTERNAL_INTR] = { RULE_L0, 0, NULL, "L0: external interrupt" },
	[NV_EXIT_TRIPLE_FAULT] = { RULE_L1, 0, NULL, "always L1: triple fault" },
	[NV_EXIT_INIT] = { RULE_L1, 0, NULL, "always L1: INIT signal" },
	[NV_EXIT_SIPI] = { RULE_L1, 0, NULL, "always L1: SIPI" },
	[NV_EXIT_IO_SMI] = { RULE_L0, 0, NULL, "L0: SMI" },
	[NV_EXIT_OTHER_SMI] = { RULE_L0, 0, NULL, "L0: SMI" },
	[NV_EXIT_INTR_WINDOW] = { RULE_PROC, NV_PROC_CTL_INTR_WINDOW_EXITING,
				  NULL, "interrupt-window exiting" },
	[NV_EXIT_NMI_WINDOW] = { RULE_PROC, NV_PROC_CTL_NMI_WINDOW_EXITING,
				 NULL, "NMI-window exiting" },
	[NV_EXIT_TASK_SWITCH] = { RULE_L1, 0, NULL, "always L1: task switch" },
	[NV_EXIT_CPUID] = { RULE_L1, 0, NULL, "always L1: CPUID" },
	[NV_EXIT_GETSEC] = { RULE_L1, 0, NULL, "always L1: GETSEC" },
	[NV_EXIT_HLT] = { RULE_PROC, NV_PROC_CTL_HLT_EXITING, NULL,
			  "HLT exiting" },
	[NV_EXIT_INVD] = { RULE_L1, 0, NULL, "always L1: INVD" },
	[NV_EXIT_INVLPG] = { RULE_PROC, NV_PROC_CTL_INVLPG_EXITING, NULL,
			     "INVLPG exiting" },
	[NV_EXIT_RDPMC] = { RULE_PROC, NV_PROC_CTL_RDPMC_EXITING, NULL,
			    "RDPMC exiting" },
	[NV_EXIT_RDTSC] = { RULE_PROC, NV_PROC_CTL_RDTSC_EXITING, NULL,
			    "RDTSC exiting" },
	/* Only with the dual-monitor treatment of SMM, which is L0's. */
	[NV_EXIT_RSM] = { RULE_L0, 0, NULL, "L0: RSM" },
	[NV_EXIT_VMCALL] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_VMCLEAR] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_VMLAUNCH] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_VMPTRLD] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_VMPTRST] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_VMREAD] = { RULE_FN, 0, rule_vmread_vmwrite, NULL },
	[NV_EXIT_VMRESUME] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_VMWRITE] = { RULE_FN, 0, rule_vmread_vmwrite, NULL },
	[NV_EXIT_VMXOFF] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_VMXON] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_CR_ACCESS] = { RULE_FN, 0, rule_cr_access, NULL },
	[NV_EXIT_DR_ACCESS] = { RULE_PROC, NV_PROC_CTL_MOV_DR_EXITING, NULL,
				"MOV-DR exiting" },
	[NV_EXIT_IO] = { RULE_FN, 0, rule_io, NULL },
	[NV_EXIT_RDMSR] = { RULE_FN, 0, rule_msr, NULL },
	[NV_EXIT_WRMSR] = { RULE_FN, 0, rule_msr, NULL },
	/* Entry failures are not exits from L2: nested VM entry handles them. */
	[NV_EXIT_ENTRY_GUEST_STATE] = { RULE_L0, 0, NULL,
					"L0: VM-entry failure, not an exit from L2" },
	[NV_EXIT_ENTRY_MSR_LOAD] = { RULE_L0, 0, NULL,
				     "L0: VM-entry failure, not an exit from L2" },
	[NV_EXIT_MWAIT] = { RULE_PROC, NV_PROC_CTL_MWAIT_EXITING, NULL,
			    "MWAIT exiting" },
	[NV_EXIT_MTF] = { RULE_PROC, NV_PROC_CTL_MONITOR_TRAP_FLAG, NULL,
			  "monitor trap flag" },
	[NV_EXIT_MONITOR] = { RULE_PROC, NV_PROC_CTL_MONITOR_EXITING, NULL,
			      "MONITOR exiting" },
	/* Simplified: PAUSE-loop exiting stays L0's even if L1 enabled it. */
	[NV_EXIT_PAUSE] = { RULE_PROC, NV_PROC_CTL_PAUSE_EXITING, NULL,
			    "PAUSE exiting" },
	[NV_EXIT_ENTRY_MCE] = { RULE_L0, 0, NULL,
				"L0: VM-entry failure, not an exit from L2" },
	/* The exit exists only with a TPR shadow; the threshold is L1's. */
	[NV_EXIT_TPR_BELOW_THRESHOLD] = { RULE_PROC, NV_PROC_CTL_USE_TPR_SHADOW,
					  NULL, "use TPR shadow" },
	[NV_EXIT_APIC_ACCESS] = { RULE_PROC2, NV_PROC2_CTL_VIRT_APIC_ACCESSES,
				  NULL, "virtualize APIC accesses" },
	[NV_EXIT_VIRTUALIZED_EOI] = { RULE_PROC2,
				      NV_PROC2_CTL_VIRT_INTR_DELIVERY, NULL,
				      "virtual-interrupt delivery" },
	[NV_EXIT_GDTR_IDTR] = { RULE_PROC2, NV_PROC2_CTL_DESC_TABLE_EXITING,
				NULL, "descriptor-table exiting" },
	[NV_EXIT_LDTR_TR] = { RULE_PROC2, NV_PROC2_CTL_DESC_TABLE_EXITING,
			      NULL, "descriptor-table exiting" },
	[NV_EXIT_EPT_VIOLATION] = { RULE_FN, 0, rule_ept, NULL },
	[NV_EXIT_EPT_MISCONFIG] = { RULE_FN, 0, rule_ept, NULL },
	[NV_EXIT_INVEPT] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_RDTSCP] = { RULE_FN, 0, rule_rdtscp, NULL },
	[NV_EXIT_PREEMPTION_TIMER] = { RULE_PIN, NV_PIN_CTL_PREEMPTION_TIMER,
				       NULL, "VMX-preemption timer" },
	[NV_EXIT_INVVPID] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	[NV_EXIT_WBINVD] = { RULE_PROC2, NV_PROC2_CTL_WBINVD_EXITING, NULL,
			     "WBINVD exiting" },
	[NV_EXIT_XSETBV] = { RULE_L1, 0, NULL, "always L1: XSETBV" },
	[NV_EXIT_APIC_WRITE] = { RULE_FN, 0, rule_apic_write, NULL },
	[NV_EXIT_RDRAND] = { RULE_PROC2, NV_PROC2_CTL_RDRAND_EXITING, NULL,
			     "RDRAND exiting" },
	[NV_EXIT_INVPCID] = { RULE_FN, 0, rule_invpcid, NULL },
	[NV_EXIT_VMFUNC] = { RULE_L1, 0, NULL, "always L1: VMX instruction" },
	/* Simplified: the ENCLS-exiting bitmap (leaf in EAX) is not checked. */
	[NV_EXIT_ENCLS] = { RULE_PROC2, NV_PROC2_CTL_ENCLS_EXITING, NULL,
			    "enable ENCLS exiting" },
	[NV_EXIT_RDSEED] = { RULE_PROC2, NV_PROC2_CTL_RDSEED_EXITING, NULL,
			     "RDSEED exiting" },
	[NV_EXIT_PML_FULL] = { RULE_L0, 0, NULL, "L0: page-modification log full" },
	[NV_EXIT_XSAVES] = { RULE_FN, 0, rule_xsaves, NULL },
	[NV_EXIT_XRSTORS] = { RULE_FN, 0, rule_xsaves, NULL },
	[NV_EXIT_PCONFIG] = { RULE_PROC2, NV_PROC2_CTL_PCONFIG, NULL,
			      "enable PCONFIG" },
	[NV_EXIT_SPP] = { RULE_PROC2, NV_PROC2_CTL_SPP, NULL,
			  "sub-page write permissions for EPT" },
	[NV_EXIT_UMWAIT] = { RULE_FN, 0, rule_user_wait, NULL },
	[NV_EXIT_TPAUSE] = { RULE_FN, 0, rule_user_wait, NULL },
	/* VMCS12 has no tertiary controls (LOADIWKEY exiting) yet. */
	[NV_EXIT_LOADIWKEY] = { RULE_L1, 0, NULL, "not decided: reflected" },
	/* Simplified: the ENCLV-exiting bitmap is not checked. */
	[NV_EXIT_ENCLV] = { RULE_PROC2, NV_PROC2_CTL_ENCLV_EXITING, NULL,
			    "enable ENCLV exiting" },
};

/**
 * nested_exit_owner() - who handles a VM exit from L2
 * @env: L1's VMCS12 and a reader of L1's memory
 * @e: the exit
 * @why: if not NULL, set to the name of the rule that decided, for traces
 *
 * Return: NESTED_L1 if the exit is reflected to L1, NESTED_L0 if L0
 * handles it. An unknown reason is L0's, which reports an internal error.
 */
enum nested_owner nested_exit_owner(const struct nested_reflect_env *env,
				    const struct nested_exit *e,
				    const char **why)
{
	const struct nested_rule *r = NULL;
	enum nested_owner owner;
	const char *w = NULL;
	u32 ctl;

	if (e->reason < NV_EXIT_REASON_COUNT)
		r = &nested_rules[e->reason];
	switch (r ? r->kind : RULE_UNKNOWN) {
	case RULE_L0:
		owner = NESTED_L0;
		break;
	case RULE_L1:
		owner = NESTED_L1;
		break;
	case RULE_PIN:
	case RULE_PROC:
	case RULE_PROC2:
		ctl = rule_ctls(env, r->kind);
		owner = owner_if((ctl & r->bits) == r->bits);
		break;
	case RULE_FN:
		owner = r->fn(env, e, &w);
		break;
	default:
		owner = NESTED_L0;
		w = "L0: unknown exit reason";
		break;
	}
	if (why)
		*why = w ? w : r->why;
	return owner;
}
