// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checks on the guest-state area of L1's VMCS12, written from the
 * Intel SDM Vol. 3C, "Checking and Loading Guest State": "Checks on the
 * Guest Control Registers, Debug Registers, and MSRs", "Checks on Guest
 * Segment Registers", "Checks on Guest Descriptor-Table Registers",
 * "Checks on Guest RIP, RFLAGS, and SSP", "Checks on Guest Non-Register
 * State" and "Checks on Guest Page-Directory-Pointer-Table Entries". Pure.
 *
 * A failure is a VM exit with basic exit reason 33 and bit 31 set; each
 * check has a short name, recorded in the result. The checks run in SDM
 * order and the first failure is reported.
 *
 * Left out, for the caller or because nvmx does not offer the feature:
 * - VMCS link pointer: the revision identifier and shadow-VMCS indicator
 *   at the pointer, in L1 memory (failure qualification 4).
 * - PDPTEs without EPT: loading them from L1 memory through CR3.
 * - The optional "no blocking by STI when injecting an NMI" (qualification
 *   3): nvmx's VM entries do not require it.
 * - CET (SSP, S_CET, interrupt SSP table), PKRS, IA32_PERF_GLOBAL_CTRL,
 *   IA32_BNDCFGS, IA32_RTIT_CTL, LBR_CTL, SMM (SMBASE, "entry to SMM"):
 *   not offered to L1. Interruptibility bit 4 (enclave interruption) is
 *   reserved because L1 is offered no SGX.
 * - Linear-address width: 57 bits when L1 may set CR4.LA57, else 48.
 */
#include "guest_checks.h"

struct guest_seg {
	u64 sel, base;
	u32 limit, ar;
};

/* Index of a segment register: the VMCS field order. */
enum guest_seg_reg {
	GSEG_ES, GSEG_CS, GSEG_SS, GSEG_DS, GSEG_FS, GSEG_GS, GSEG_LDTR,
	GSEG_TR, GSEG_NR
};

struct guest_ctx {
	const struct nested_guest_env *env;
	const u64 *f;				/* the VMCS12 fields */
	struct nested_guest_result *r;
	u32 pin, proc2, entry;			/* proc2: 0 unless activated */
	u64 cr0, rflags;
	bool ug, ia32e, v86;
	struct guest_seg seg[GSEG_NR];
};

static int guest_fail_qual(struct guest_ctx *x, u64 qual, const char *check)
{
	x->r->exit_reason = NV_EXIT_REASON_INVALID_GUEST;
	x->r->qualification = qual;
	x->r->check = check;
	return -EINVAL;
}

static int guest_fail(struct guest_ctx *x, const char *check)
{
	return guest_fail_qual(x, NV_ENTRY_FAIL_DEFAULT, check);
}

static void guest_ctx_init(struct guest_ctx *x,
			   const struct nested_guest_env *env,
			   const struct vmcs12 *v,
			   struct nested_guest_result *r)
{
	const u64 *f = v->field;
	unsigned int i;

	x->env = env;
	x->f = f;
	x->r = r;
	x->pin = f[V12_PIN_BASED_VM_EXEC_CONTROL];
	x->proc2 = 0;
	if (f[V12_CPU_BASED_VM_EXEC_CONTROL] & NV_PROC_CTL_ACTIVATE_SECONDARY)
		x->proc2 = f[V12_SECONDARY_VM_EXEC_CONTROL];
	x->entry = f[V12_VM_ENTRY_CONTROLS];
	x->cr0 = f[V12_GUEST_CR0];
	x->rflags = f[V12_GUEST_RFLAGS];
	x->ug = x->proc2 & NV_PROC2_CTL_UNRESTRICTED_GUEST;
	x->ia32e = x->entry & NV_ENTRY_CTL_IA32E_MODE_GUEST;
	x->v86 = x->rflags & NV_RFLAGS_VM;
	for (i = 0; i < GSEG_NR; i++) {
		x->seg[i].sel = f[V12_GUEST_ES_SELECTOR + i];
		x->seg[i].base = f[V12_GUEST_ES_BASE + i];
		x->seg[i].limit = f[V12_GUEST_ES_LIMIT + i];
		x->seg[i].ar = f[V12_GUEST_ES_AR_BYTES + i];
	}
	r->exit_reason = 0;
	r->qualification = 0;
	r->check = NULL;
}

static bool guest_within_maxphyaddr(const struct guest_ctx *x, u64 addr)
{
	return nested_pa_ok(x->env->maxphyaddr, addr);
}

static bool guest_canonical(const struct guest_ctx *x, u64 addr)
{
	return nested_canonical(x->env->msrs, addr);
}

/* "Checks on the Guest Control Registers, Debug Registers, and MSRs" */
static int check_guest_cr(struct guest_ctx *x)
{
	const u64 *f = x->f, *msrs = x->env->msrs;
	u64 fixed0 = msrs[NV_MSR_CR0_FIXED0];
	u64 cr4 = f[V12_GUEST_CR4];
	bool debug = x->entry & NV_ENTRY_CTL_LOAD_DEBUG;

	if (x->ug)
		fixed0 &= ~(NV_CR0_PE | NV_CR0_PG);
	if ((x->cr0 & fixed0) != fixed0 || (x->cr0 & ~msrs[NV_MSR_CR0_FIXED1]))
		return guest_fail(x, "guest CR0 fixed bits");
	if ((x->cr0 & NV_CR0_PG) && !(x->cr0 & NV_CR0_PE))
		return guest_fail(x, "guest CR0.PG set without CR0.PE");
	if ((cr4 & msrs[NV_MSR_CR4_FIXED0]) != msrs[NV_MSR_CR4_FIXED0] ||
	    (cr4 & ~msrs[NV_MSR_CR4_FIXED1]))
		return guest_fail(x, "guest CR4 fixed bits");
	if (debug && (f[V12_GUEST_IA32_DEBUGCTL] & NV_DEBUGCTL_RESERVED))
		return guest_fail(x, "guest DEBUGCTL reserved bits set");
	if (x->ia32e && (!(x->cr0 & NV_CR0_PG) || !(cr4 & NV_CR4_PAE)))
		return guest_fail(x, "IA-32e mode guest without CR0.PG and CR4.PAE");
	if (!x->ia32e && (cr4 & NV_CR4_PCIDE))
		return guest_fail(x, "guest CR4.PCIDE set outside IA-32e mode");
	if (!guest_within_maxphyaddr(x, f[V12_GUEST_CR3]))
		return guest_fail(x, "guest CR3 beyond physical-address width");
	if (debug && (f[V12_GUEST_DR7] >> 32))
		return guest_fail(x, "guest DR7 bits 63:32 set");
	if (!guest_canonical(x, f[V12_GUEST_SYSENTER_ESP]) ||
	    !guest_canonical(x, f[V12_GUEST_SYSENTER_EIP]))
		return guest_fail(x, "guest SYSENTER ESP/EIP not canonical");
	return 0;
}

/* "Checks on the Guest Control Registers, ...": loaded MSRs. */
static int check_guest_msrs(struct guest_ctx *x)
{
	u64 efer = x->f[V12_GUEST_IA32_EFER];
	bool lma = efer & NV_EFER_LMA, lme = efer & NV_EFER_LME;

	if ((x->entry & NV_ENTRY_CTL_LOAD_PAT) &&
	    !nested_pat_ok(x->f[V12_GUEST_IA32_PAT]))
		return guest_fail(x, "guest PAT invalid memory type");
	if (!(x->entry & NV_ENTRY_CTL_LOAD_EFER))
		return 0;
	if (efer & ~(NV_EFER_SCE | NV_EFER_LME | NV_EFER_LMA | NV_EFER_NXE))
		return guest_fail(x, "guest EFER reserved bits set");
	if (lma != x->ia32e)
		return guest_fail(x, "guest EFER.LMA differs from IA-32e mode guest");
	if ((x->cr0 & NV_CR0_PG) && lme != lma)
		return guest_fail(x, "guest EFER.LME differs from EFER.LMA with CR0.PG");
	return 0;
}

static bool seg_usable(const struct guest_seg *s)
{
	return !(s->ar & NV_AR_UNUSABLE);
}

/* Limit bits 11:0 all 1 if G is set; limit bits 31:20 all 0 if it is clear. */
static bool seg_limit_g_ok(const struct guest_seg *s)
{
	if ((s->limit & 0xfff) != 0xfff && (s->ar & NV_AR_G))
		return false;
	return (s->limit & 0xfff00000) == 0 || (s->ar & NV_AR_G);
}

/* "Checks on Guest Segment Registers": selectors and bases. */
static int check_guest_sel_base(struct guest_ctx *x)
{
	const struct guest_seg *s = x->seg;
	unsigned int i;

	if (s[GSEG_TR].sel & 4)
		return guest_fail(x, "guest TR selector TI set");
	if (seg_usable(&s[GSEG_LDTR]) && (s[GSEG_LDTR].sel & 4))
		return guest_fail(x, "guest LDTR selector TI set");
	if (!x->v86 && !x->ug && (s[GSEG_SS].sel & 3) != (s[GSEG_CS].sel & 3))
		return guest_fail(x, "guest SS RPL differs from CS RPL");
	for (i = GSEG_ES; x->v86 && i <= GSEG_GS; i++)
		if (s[i].base != s[i].sel << 4)
			return guest_fail(x, "guest virtual-8086 base not selector << 4");
	if (!guest_canonical(x, s[GSEG_TR].base) ||
	    !guest_canonical(x, s[GSEG_FS].base) ||
	    !guest_canonical(x, s[GSEG_GS].base) ||
	    (seg_usable(&s[GSEG_LDTR]) && !guest_canonical(x, s[GSEG_LDTR].base)))
		return guest_fail(x, "guest TR/FS/GS/LDTR base not canonical");
	for (i = GSEG_ES; i <= GSEG_DS; i++)
		if ((i == GSEG_CS || seg_usable(&s[i])) && (s[i].base >> 32))
			return guest_fail(x, "guest CS/SS/DS/ES base bits 63:32 set");
	return 0;
}

/* Virtual-8086 mode: CS, SS, DS, ES, FS, GS limit 0xffff, rights 0xf3. */
static int check_guest_v86_segs(struct guest_ctx *x)
{
	unsigned int i;

	for (i = GSEG_ES; i <= GSEG_GS; i++) {
		if (x->seg[i].limit != 0xffff)
			return guest_fail(x, "guest virtual-8086 limit not 0xffff");
		if (x->seg[i].ar != 0xf3)
			return guest_fail(x, "guest virtual-8086 access rights not 0xf3");
	}
	return 0;
}

/* The segment types of CS, SS, DS, ES, FS and GS. */
static int check_guest_seg_types(struct guest_ctx *x)
{
	const struct guest_seg *s = x->seg;
	u32 cs = NV_AR_TYPE(s[GSEG_CS].ar), ss = NV_AR_TYPE(s[GSEG_SS].ar);
	unsigned int i;

	if (cs != 9 && cs != 11 && cs != 13 && cs != 15 && !(cs == 3 && x->ug))
		return guest_fail(x, "guest CS type invalid");
	if (seg_usable(&s[GSEG_SS]) && ss != 3 && ss != 7)
		return guest_fail(x, "guest SS type invalid");
	for (i = GSEG_ES; i <= GSEG_GS; i++) {
		if (i == GSEG_CS || i == GSEG_SS || !seg_usable(&s[i]))
			continue;
		if (!(s[i].ar & NV_AR_TYPE_ACCESSED))
			return guest_fail(x, "guest data segment not accessed");
		if ((s[i].ar & NV_AR_TYPE_CODE) && !(s[i].ar & NV_AR_TYPE_READABLE))
			return guest_fail(x, "guest data segment is unreadable code");
	}
	return 0;
}

/* The DPLs of CS, SS, DS, ES, FS and GS. */
static int check_guest_seg_dpl(struct guest_ctx *x)
{
	const struct guest_seg *s = x->seg;
	u32 cs = NV_AR_TYPE(s[GSEG_CS].ar);
	u32 cs_dpl = NV_AR_DPL(s[GSEG_CS].ar), ss_dpl = NV_AR_DPL(s[GSEG_SS].ar);
	unsigned int i;

	if (cs == 3 && cs_dpl)
		return guest_fail(x, "guest CS DPL not 0 with CS type 3");
	if ((cs == 9 || cs == 11) && cs_dpl != ss_dpl)
		return guest_fail(x, "guest nonconforming CS DPL differs from SS DPL");
	if ((cs == 13 || cs == 15) && cs_dpl > ss_dpl)
		return guest_fail(x, "guest conforming CS DPL above SS DPL");
	if (!x->ug && ss_dpl != (s[GSEG_SS].sel & 3))
		return guest_fail(x, "guest SS DPL differs from SS RPL");
	if ((cs == 3 || !(x->cr0 & NV_CR0_PE)) && ss_dpl)
		return guest_fail(x, "guest SS DPL not 0 with CS type 3 or CR0.PE clear");
	for (i = GSEG_ES; !x->ug && i <= GSEG_GS; i++) {
		if (i == GSEG_CS || i == GSEG_SS || !seg_usable(&s[i]))
			continue;
		if (NV_AR_TYPE(s[i].ar) <= 11 && NV_AR_DPL(s[i].ar) < (s[i].sel & 3))
			return guest_fail(x, "guest data segment DPL below RPL");
	}
	return 0;
}

/*
 * The rights common to every register: S (1 for CS..GS, 0 for TR and
 * LDTR), P, reserved bits 11:8, G against the limit, reserved bits 31:17.
 */
static int check_guest_seg_common(struct guest_ctx *x,
				  const struct guest_seg *s, bool system)
{
	if (!(s->ar & NV_AR_S) != system)
		return guest_fail(x, "guest segment S bit wrong");
	if (!(s->ar & NV_AR_P))
		return guest_fail(x, "guest segment not present");
	if (s->ar & NV_AR_RESERVED_11_8)
		return guest_fail(x, "guest segment access rights bits 11:8 set");
	if (!seg_limit_g_ok(s))
		return guest_fail(x, "guest segment limit inconsistent with G");
	if (s->ar & NV_AR_RESERVED_31_17)
		return guest_fail(x, "guest segment access rights bits 31:17 set");
	return 0;
}

/* "Checks on Guest Segment Registers": access rights outside v8086 mode. */
static int check_guest_seg_ar(struct guest_ctx *x)
{
	const struct guest_seg *cs = &x->seg[GSEG_CS];
	unsigned int i;

	if (check_guest_seg_types(x) || check_guest_seg_dpl(x))
		return -EINVAL;
	for (i = GSEG_ES; i <= GSEG_GS; i++)
		if ((i == GSEG_CS || seg_usable(&x->seg[i])) &&
		    check_guest_seg_common(x, &x->seg[i], false))
			return -EINVAL;
	if (x->ia32e && (cs->ar & NV_AR_L) && (cs->ar & NV_AR_DB))
		return guest_fail(x, "guest CS.L and CS.D both set in IA-32e mode");
	return 0;
}

/* "Checks on Guest Segment Registers": TR and LDTR access rights. */
static int check_guest_tr_ldtr(struct guest_ctx *x)
{
	const struct guest_seg *tr = &x->seg[GSEG_TR];
	const struct guest_seg *ldtr = &x->seg[GSEG_LDTR];
	u32 type = NV_AR_TYPE(tr->ar);

	if (type != 11 && (x->ia32e || type != 3))
		return guest_fail(x, "guest TR type not a busy TSS");
	if (!seg_usable(tr))
		return guest_fail(x, "guest TR unusable");
	if (check_guest_seg_common(x, tr, true))
		return -EINVAL;
	if (!seg_usable(ldtr))
		return 0;
	if (NV_AR_TYPE(ldtr->ar) != 2)
		return guest_fail(x, "guest LDTR type not LDT");
	return check_guest_seg_common(x, ldtr, true);
}

/* "Checks on Guest Segment Registers" */
static int check_guest_segs(struct guest_ctx *x)
{
	if (check_guest_sel_base(x))
		return -EINVAL;
	if (x->v86 ? check_guest_v86_segs(x) : check_guest_seg_ar(x))
		return -EINVAL;
	return check_guest_tr_ldtr(x);
}

/* "Checks on Guest Descriptor-Table Registers" */
static int check_guest_dtr(struct guest_ctx *x)
{
	const u64 *f = x->f;

	if (!guest_canonical(x, f[V12_GUEST_GDTR_BASE]) ||
	    !guest_canonical(x, f[V12_GUEST_IDTR_BASE]))
		return guest_fail(x, "guest GDTR/IDTR base not canonical");
	if ((f[V12_GUEST_GDTR_LIMIT] | f[V12_GUEST_IDTR_LIMIT]) & ~0xffffULL)
		return guest_fail(x, "guest GDTR/IDTR limit bits 31:16 set");
	return 0;
}

/* "Checks on Guest RIP, RFLAGS, and SSP" */
static int check_guest_rip_rflags(struct guest_ctx *x)
{
	u64 rip = x->f[V12_GUEST_RIP];
	u32 info = x->f[V12_VM_ENTRY_INTR_INFO_FIELD];
	bool cs_l = x->seg[GSEG_CS].ar & NV_AR_L;

	if (!(x->ia32e && cs_l) && (rip >> 32))
		return guest_fail(x, "guest RIP bits 63:32 set");
	if (x->ia32e && cs_l && !guest_canonical(x, rip))
		return guest_fail(x, "guest RIP not canonical");
	if ((x->rflags & NV_RFLAGS_RESERVED) || !(x->rflags & NV_RFLAGS_FIXED1))
		return guest_fail(x, "guest RFLAGS reserved bits wrong");
	if (x->v86 && (x->ia32e || !(x->cr0 & NV_CR0_PE)))
		return guest_fail(x, "guest RFLAGS.VM set in IA-32e mode or with CR0.PE clear");
	if ((info & NV_INTR_INFO_VALID) &&
	    NV_INTR_INFO_TYPE(info) == NV_INTR_TYPE_EXT_INTR &&
	    !(x->rflags & NV_RFLAGS_IF))
		return guest_fail(x, "guest RFLAGS.IF clear with an injected external interrupt");
	return 0;
}

/* Whether an injected event may be delivered in activity state @state. */
static bool guest_event_allowed(u32 state, u32 info)
{
	u32 type = NV_INTR_INFO_TYPE(info), vector = NV_INTR_INFO_VECTOR(info);
	bool mc = type == NV_INTR_TYPE_HW_EXCEPTION && vector == 18;

	if (!(info & NV_INTR_INFO_VALID) || state == NV_ACTIVITY_ACTIVE)
		return true;
	if (state == NV_ACTIVITY_SHUTDOWN)
		return type == NV_INTR_TYPE_NMI || mc;
	if (state != NV_ACTIVITY_HLT)
		return false;
	return type == NV_INTR_TYPE_EXT_INTR || type == NV_INTR_TYPE_NMI || mc ||
	       (type == NV_INTR_TYPE_HW_EXCEPTION && vector == 1) ||
	       (type == NV_INTR_TYPE_OTHER && vector == 0);
}

/* "Checks on Guest Non-Register State": activity state. */
static int check_guest_activity(struct guest_ctx *x)
{
	u64 state = x->f[V12_GUEST_ACTIVITY_STATE];
	u64 intr = x->f[V12_GUEST_INTERRUPTIBILITY_INFO];
	u64 misc = x->env->msrs[NV_MSR_MISC];

	if (state > NV_ACTIVITY_WAIT_SIPI)
		return guest_fail(x, "guest activity state invalid");
	if (state && !(misc & (NV_VMX_MISC_ACTIVITY_HLT << (state - 1))))
		return guest_fail(x, "guest activity state not supported");
	if (state == NV_ACTIVITY_HLT && NV_AR_DPL(x->seg[GSEG_SS].ar))
		return guest_fail(x, "guest HLT with SS DPL not 0");
	if (state && (intr & (NV_INTR_BLOCK_STI | NV_INTR_BLOCK_MOV_SS)))
		return guest_fail(x, "guest inactive with STI or MOV-SS blocking");
	if (!guest_event_allowed(state, x->f[V12_VM_ENTRY_INTR_INFO_FIELD]))
		return guest_fail(x, "injected event blocked in the guest activity state");
	return 0;
}

/* "Checks on Guest Non-Register State": interruptibility state. */
static int check_guest_intr_state(struct guest_ctx *x)
{
	u64 intr = x->f[V12_GUEST_INTERRUPTIBILITY_INFO];
	u32 info = x->f[V12_VM_ENTRY_INTR_INFO_FIELD];
	bool valid = info & NV_INTR_INFO_VALID;
	bool ext = valid && NV_INTR_INFO_TYPE(info) == NV_INTR_TYPE_EXT_INTR;
	bool nmi = valid && NV_INTR_INFO_TYPE(info) == NV_INTR_TYPE_NMI;
	u64 sti_movss = NV_INTR_BLOCK_STI | NV_INTR_BLOCK_MOV_SS;

	if (intr & NV_INTR_BLOCK_RESERVED)
		return guest_fail(x, "guest interruptibility reserved bits set");
	if ((intr & sti_movss) == sti_movss)
		return guest_fail(x, "guest STI and MOV-SS blocking both set");
	if ((intr & NV_INTR_BLOCK_STI) && !(x->rflags & NV_RFLAGS_IF))
		return guest_fail(x, "guest STI blocking with RFLAGS.IF clear");
	if (ext && (intr & sti_movss))
		return guest_fail(x, "guest STI or MOV-SS blocking with external interrupt");
	if (nmi && (intr & NV_INTR_BLOCK_MOV_SS))
		return guest_fail(x, "guest MOV-SS blocking with an injected NMI");
	if (intr & NV_INTR_BLOCK_SMI)
		return guest_fail(x, "guest SMI blocking outside SMM");
	if (nmi && (x->pin & NV_PIN_CTL_VIRTUAL_NMIS) &&
	    (intr & NV_INTR_BLOCK_NMI))
		return guest_fail(x, "guest virtual-NMI blocking with an injected NMI");
	return 0;
}

/* "Checks on Guest Non-Register State": pending debug exceptions. */
static int check_guest_pending_dbg(struct guest_ctx *x)
{
	u64 dbg = x->f[V12_GUEST_PENDING_DBG_EXCEPTIONS];
	u64 intr = x->f[V12_GUEST_INTERRUPTIBILITY_INFO];
	bool hlt = x->f[V12_GUEST_ACTIVITY_STATE] == NV_ACTIVITY_HLT;
	bool btf = x->f[V12_GUEST_IA32_DEBUGCTL] & NV_DEBUGCTL_BTF;
	bool bs_wanted = (x->rflags & NV_RFLAGS_TF) && !btf;
	u64 rtm_clear = NV_PENDING_DBG_BP | NV_PENDING_DBG_BS;

	if (dbg & NV_PENDING_DBG_RESERVED)
		return guest_fail(x, "guest pending debug exceptions reserved bits set");
	if ((hlt || (intr & (NV_INTR_BLOCK_STI | NV_INTR_BLOCK_MOV_SS))) &&
	    !!(dbg & NV_PENDING_DBG_BS) != bs_wanted)
		return guest_fail(x, "guest pending BS inconsistent with TF and BTF");
	if ((dbg & NV_PENDING_DBG_RTM) &&
	    ((dbg & rtm_clear) || !(dbg & NV_PENDING_DBG_ENABLED_BP) ||
	     (intr & NV_INTR_BLOCK_MOV_SS)))
		return guest_fail(x, "guest pending RTM inconsistent");
	return 0;
}

/* "Checks on Guest Non-Register State": VMCS link pointer. */
static int check_guest_link_ptr(struct guest_ctx *x)
{
	u64 link = x->f[V12_VMCS_LINK_POINTER];

	if (link == ~0ULL)
		return 0;
	if (link & 0xfff)
		return guest_fail_qual(x, NV_ENTRY_FAIL_VMCS_LINK_PTR,
				       "guest VMCS link pointer not 4 KiB aligned");
	if (!guest_within_maxphyaddr(x, link))
		return guest_fail_qual(x, NV_ENTRY_FAIL_VMCS_LINK_PTR,
				       "guest VMCS link pointer beyond physical-address width");
	return 0;
}

/* "Checks on Guest Page-Directory-Pointer-Table Entries", with EPT. */
static int check_guest_pdptes(struct guest_ctx *x)
{
	u64 cr4 = x->f[V12_GUEST_CR4];
	unsigned int i;

	if (!(x->proc2 & NV_PROC2_CTL_EPT) || !(x->cr0 & NV_CR0_PG) ||
	    !(cr4 & NV_CR4_PAE) || x->ia32e)
		return 0;
	for (i = 0; i < 4; i++) {
		u64 pdpte = x->f[V12_GUEST_PDPTE0 + i];

		if ((pdpte & NV_PDPTE_P) &&
		    ((pdpte & NV_PDPTE_RESERVED) ||
		     !guest_within_maxphyaddr(x, pdpte)))
			return guest_fail_qual(x, NV_ENTRY_FAIL_PDPTE,
					       "guest PDPTE reserved bits set");
	}
	return 0;
}

/**
 * nested_check_guest_state() - "Checks on the Guest State Area"
 * @env: L1's capabilities
 * @v: the VMCS12 of the VM entry
 * @r: the result: exit reason, exit qualification and the name of the
 *     first failed check
 *
 * Run after nested_check_controls() and nested_check_host_state() passed.
 *
 * Return: 0 when every check passes, else -EINVAL with @r holding the
 * VM-entry failure exit.
 */
int nested_check_guest_state(const struct nested_guest_env *env,
			     const struct vmcs12 *v,
			     struct nested_guest_result *r)
{
	struct guest_ctx x;

	guest_ctx_init(&x, env, v, r);
	if (check_guest_cr(&x) || check_guest_msrs(&x) ||
	    check_guest_segs(&x) || check_guest_dtr(&x) ||
	    check_guest_rip_rflags(&x) || check_guest_activity(&x) ||
	    check_guest_intr_state(&x) || check_guest_pending_dbg(&x) ||
	    check_guest_link_ptr(&x) || check_guest_pdptes(&x))
		return -EINVAL;
	return 0;
}

/**
 * nested_check_link_vmcs() - the VMCS link pointer checks that need memory
 * @env: what the checks depend on
 * @v: the VMCS12; nested_check_guest_state() passed
 * @current_ptr: the current-VMCS pointer (VMCS12's address)
 * @readable: the 4 bytes at the link pointer could be read from L1's memory
 * @rev: those 4 bytes
 * @r: the result
 *
 * "Checks on Guest Non-Register State": a link pointer other than
 * FFFFFFFF_FFFFFFFFH must lead to a VMCS of the offered revision, a
 * shadow VMCS (bit 31) exactly when VMCS shadowing is on, and not to the
 * current VMCS.
 * Return: 0, or -EINVAL with @r filled in (qualification 4).
 */
int nested_check_link_vmcs(const struct nested_guest_env *env,
			   const struct vmcs12 *v, u64 current_ptr,
			   bool readable, u32 rev, struct nested_guest_result *r)
{
	u64 link = v->field[V12_VMCS_LINK_POINTER];
	u32 proc = v->field[V12_CPU_BASED_VM_EXEC_CONTROL];
	bool shadow = (proc & NV_PROC_CTL_ACTIVATE_SECONDARY) &&
		      (v->field[V12_SECONDARY_VM_EXEC_CONTROL] &
		       NV_PROC2_CTL_VMCS_SHADOWING);
	u32 want = NV_VMX_BASIC_REVISION(env->msrs[NV_MSR_BASIC]) |
		   (shadow ? BIT(31) : 0);
	const char *check = NULL;

	memset(r, 0, sizeof(*r));
	if (link == ~0ULL)
		return 0;
	if (link == current_ptr)
		check = "guest VMCS link pointer is the current VMCS";
	else if (!readable || rev != want)
		check = "guest VMCS link pointer to a VMCS of another revision or kind";
	if (!check)
		return 0;
	r->exit_reason = NV_EXIT_REASON_INVALID_GUEST;
	r->qualification = NV_ENTRY_FAIL_VMCS_LINK_PTR;
	r->check = check;
	return -EINVAL;
}
