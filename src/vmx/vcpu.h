/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX side of a vCPU: its VMCS01 and the guest state that lives
 * outside it, and the VMX layer's entry points for the generic vCPU
 * (src/vcpu.c).
 *
 * Which VMCS is current: vmx->cur, VMCS01 while the guest runs its own
 * code (L1), VMCS02 while it runs a nested guest (L2, vmx->l2.active).
 * Functions that say "VMCS01 current" or "VMCS02 current" need that one;
 * "the vCPU's VMCS current" means vmx->cur, whose guest state is the
 * level that runs. Inside NVMX_RUN vmx->cur is loaded throughout
 * (preempt notifiers reload it when the thread moves); outside it,
 * nvmx_vmx_vcpu_load()/nvmx_vmx_vcpu_put() bracket the access.
 *
 * The software copies below (registers, CR0/CR4/EFER, cached controls)
 * belong to the level that runs, as its VMCS does.
 */
#ifndef NVMX_VMX_VCPU_H
#define NVMX_VMX_VCPU_H

#include <linux/preempt.h>
#include <linux/types.h>
#include <linux/nvmx.h>

#include "../emul/mmio_insn.h"
#include "../nested/vmx_insn.h"
#include "arch.h"
#include "controls.h"
#include "ept.h"
#include "vmcs.h"
#include "vmenter.h"

/*
 * Longest stretch a guest runs without a VM exit, in microseconds, where
 * the CPU has the VMX preemption timer. A host interrupt makes the guest
 * exit anyway; the timer is the backstop for when one does not (Bochs
 * 2.7 drops external-interrupt exits of a guest entered with RFLAGS.IF
 * clear), so that the host always gets its CPU back.
 */
#define NVMX_GUEST_SLICE_US	1000

/* MSRs without a VMCS field, switched lazily around the guest. */
enum nvmx_swap_msr {
	NVMX_SWAP_STAR,
	NVMX_SWAP_LSTAR,
	NVMX_SWAP_CSTAR,
	NVMX_SWAP_SFMASK,
	NVMX_SWAP_KERNEL_GS_BASE,
	NVMX_SWAP_TSC_AUX,
	NVMX_SWAP_COUNT
};

/* What a VM exit left in the VMCS, read once after each exit. */
struct nvmx_exit_info {
	u32 reason;		/* full exit reason, bit 31 included */
	u64 qual;
	u64 gpa;		/* EPT violations and misconfigurations */
	u64 gla;
	u32 intr_info;
	u32 intr_error;
	u32 idt_info;
	u32 idt_error;
	u32 insn_len;
	u32 insn_info;
};

/* An event for the next VM entry (VM-entry interruption information). */
struct nvmx_event {
	bool valid;
	u32 info;
	u32 error;
	u32 insn_len;
};

/* A VPID02 and the VPID12 it stands for (0: none yet); @used: LRU age. */
struct nvmx_vpid02 {
	u16 vpid02;
	u16 vpid12;
	u32 used;
};

#define NVMX_VPID02_SLOTS	4

/**
 * struct nvmx_l2 - a nested guest (L2) that L1 runs with VMLAUNCH/VMRESUME
 * @active: L2 runs: VMCS02 is current and the software state is L2's
 * @vpid02: the VPID L2 runs with (0: none)
 * @vpids: the VPID02s and the VPID12 whose translations each may hold
 *	(nested_vpid.c)
 * @vpid_clock: counts entries, for the least recently used of @vpids
 * @mask: L1's CR0 and CR4 guest/host masks for L2
 * @shadow: L1's CR0 and CR4 read shadows for L2
 * @ept: L1 gave L2 an EPT (EPT12): L2 runs on @ept02
 * @ept02: the shadow of EPT12 composed with EPT01 (nested_ept.c)
 * @eptp12: the EPT pointer @ept02 shadows
 * @mem_seq: vm->l1_mem_seq when @ept02 was made (nested_ept.c)
 * @timer: L1 runs L2 with the VMX-preemption timer (nested_timer.c)
 * @timer_deadline: the TSC at which it expires
 * @fault: where nvmx's own emulation for L2 met EPT12's refusal
 *	(nvmx_level_gpa()): the walk's outcome, L2's guest-physical and
 *	linear address, and whether the access was to the translated page
 *	(not to one of L2's paging structures)
 */
struct nvmx_l2_fault {
	bool valid;
	bool misconfig;
	bool final;
	u64 qual;
	u64 gpa;
	u64 gla;
};

struct nvmx_l2 {
	bool active;
	bool ept;
	struct nvmx_ept ept02;
	u64 eptp12;
	u64 mem_seq;
	bool timer;
	u64 timer_deadline;
	u16 vpid02;
	struct nvmx_vpid02 vpids[NVMX_VPID02_SLOTS];
	u32 vpid_clock;
	u64 mask[2];
	u64 shadow[2];
	struct nvmx_l2_fault fault;
};

/**
 * struct nvmx_shadow - VMCS shadowing for L1 (nested_shadow.c)
 * @vmcs: the shadow VMCS VMCS01 links to while L1 has a current VMCS12
 * @read: the VMREAD bitmap (a set bit: VMREAD of that field exits)
 * @write: the VMWRITE bitmap
 * @on: VMCS01's shadowing control is set
 */
struct nvmx_shadow {
	struct page *vmcs, *read, *write;
	bool on;
};

struct nvmx_vmx_vcpu {
	struct nvmx_vmcs vmcs;	/* VMCS01 */
	struct nvmx_vmcs vmcs02;	/* allocated at L1's first VMLAUNCH */
	struct nvmx_vmcs *cur;	/* the one in use: &vmcs or &vmcs02 */
	struct nvmx_l2 l2;
	struct nvmx_shadow shadow;
	struct nvmx_gprs gprs;	/* slot 4 (RSP) unused: rsp below */
	u64 rip, rsp, rflags;	/* written before, read after each entry */
	u32 interruptibility;	/* read after each exit */
	u64 cr0, cr4;		/* as the guest sees them (read shadows) */
	u64 cr2, cr8;
	u64 efer;
	u64 xcr0;
	u64 dr[4], dr6, dr7;	/* kept in software (MOV-DR exiting) */
	u64 apic_base;
	u64 tsc_offset;
	u64 misc_enable;
	u64 ucode_rev;		/* IA32_BIOS_SIGN_ID: revision in bits 63:32 */
	void *fpu;		/* the guest's XSAVE (or FXSAVE) area */
	struct page *msr_bitmap;
	u64 l1_vmx_msrs[NV_MSR_CAP_MSR_COUNT];	/* what the guest reads at 0x480 */
	struct nested_vmx nested;	/* the guest's own VMX operation */
	bool unrestricted;	/* unrestricted guest is on */
	bool virtual_nmis;	/* NMI-window exiting can be used */
	u32 preemption_timer;	/* value for each entry, 0: no timer */
	u16 vpid;		/* 0: none */
	u8 io_size;		/* of an IN that userspace completes */
	struct nvmx_mmio_insn mmio;	/* an MMIO load userspace completes */
	u64 str_gpa;		/* an INS userspace completes: where, */
	u32 str_count, str_size;	/* how many items of which size */

	struct vmx_controls ctls01;	/* VMCS01's, without the dynamic ones */
	u32 proc_ctls;		/* primary controls as last written */
	u32 entry_ctls;		/* entry controls as last written */
	struct nvmx_exit_info exit;
	struct nvmx_event inject;	/* reinjection or an exception */

	u64 guest_msrs[NVMX_SWAP_COUNT];
	u64 host_msrs[NVMX_SWAP_COUNT];
	bool guest_msrs_loaded;

	struct preempt_notifier pn;
	bool loaded;		/* pn registered */
};

struct nvmx_vcpu;

/* vcpu.c */
extern const u32 nvmx_swap_msr_index[NVMX_SWAP_COUNT];
int nvmx_vmx_vcpu_init(struct nvmx_vcpu *vcpu);
void nvmx_vmx_vcpu_free(struct nvmx_vcpu *vcpu);
int nvmx_vmx_vcpu_load(struct nvmx_vcpu *vcpu);
void nvmx_vmx_vcpu_put(struct nvmx_vcpu *vcpu);
void nvmx_vmx_swap_msrs_in(struct nvmx_vcpu *vcpu);
int nvmx_vmx_vcpu_reload(struct nvmx_vcpu *vcpu, int cpu);
int nvmx_vmx_switch_vmcs(struct nvmx_vcpu *vcpu, struct nvmx_vmcs *vmcs);
void nvmx_vmx_flush_vpid(u16 vpid);
u16 nvmx_vmx_alloc_vpid(void);
void nvmx_vmx_free_vpid(u16 vpid);
int nvmx_vmx_write_ctls(struct nvmx_vmx_vcpu *vmx,
			const struct vmx_controls *c, u64 eptp, u16 vpid,
			u64 tsc_offset);

/* state.c */
int nvmx_vmx_reset(struct nvmx_vcpu *vcpu);
void nvmx_vmx_get_regs(struct nvmx_vcpu *vcpu, struct nvmx_regs *regs);
void nvmx_vmx_set_regs(struct nvmx_vcpu *vcpu, const struct nvmx_regs *regs);
int nvmx_vmx_get_sregs(struct nvmx_vcpu *vcpu, struct nvmx_sregs *sregs);
int nvmx_vmx_set_sregs(struct nvmx_vcpu *vcpu, const struct nvmx_sregs *sregs);
int nvmx_vmx_init_signal(struct nvmx_vcpu *vcpu);
int nvmx_vmx_sipi(struct nvmx_vcpu *vcpu, u8 vector);
int nvmx_vmx_load_crs(struct nvmx_vcpu *vcpu, u64 cr0, u64 cr3, u64 cr4,
		      u64 efer);
int nvmx_vmx_write_cr0(struct nvmx_vcpu *vcpu, u64 val);
int nvmx_vmx_write_cr4(struct nvmx_vcpu *vcpu, u64 val);
int nvmx_vmx_write_efer(struct nvmx_vcpu *vcpu, u64 val, bool host);
unsigned int nvmx_vmx_cpl(void);
unsigned int nvmx_vmx_cpu_mode(struct nvmx_vcpu *vcpu);
int nvmx_vmx_load_pdptes(struct nvmx_vcpu *vcpu, bool check);
u64 nvmx_vmx_cr0_hw(struct nvmx_vmx_vcpu *vmx, u64 val);
u64 nvmx_vmx_cr4_hw(u64 val);
void nvmx_vmx_sync_ctls(struct nvmx_vmx_vcpu *vmx);
u64 nvmx_vmx_cr4_supported(void);

/* msrs.c */
int nvmx_vmx_get_msr(struct nvmx_vcpu *vcpu, u32 index, u64 *val, bool host);
int nvmx_vmx_set_msr(struct nvmx_vcpu *vcpu, u32 index, u64 val, bool host);

/* nested_state.c */
int nvmx_vmx_get_nested_state(struct nvmx_vcpu *vcpu,
			      struct nvmx_nested_state *st);
int nvmx_vmx_set_nested_state(struct nvmx_vcpu *vcpu,
			      const struct nvmx_nested_state *st);

/* run.c */
int nvmx_vmx_run(struct nvmx_vcpu *vcpu);
bool nvmx_vmx_irq_allowed(struct nvmx_vcpu *vcpu);
void nvmx_vmx_read_guest_regs(struct nvmx_vmx_vcpu *vmx);
void nvmx_vmx_queue_exception(struct nvmx_vcpu *vcpu, u8 vector,
			      bool has_error, u32 error);

#endif /* NVMX_VMX_VCPU_H */
