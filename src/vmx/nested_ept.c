// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested EPT: when L1 gives L2 its own EPT (EPT12), L2 runs on EPT02, a
 * shadow of EPT12 composed with EPT01, built one 4 KiB page at a time on
 * L2's EPT violations: the walk of EPT12 (nested/ept_walk.c) gives the L1
 * address and rights, EPT01 the host page (mapped there first if need
 * be), and EPT02 gets the page with the rights of both. An access EPT12
 * does not allow is L1's EPT violation (or misconfiguration), with the
 * qualification the walk computed.
 *
 * EPT02 shadows one EPTP12 per vCPU. It is dropped whole when L1 enters
 * L2 with another EPTP, executes INVEPT (any type), leaves VMX operation,
 * when it reaches EPT02_MAX_TABLES, and when the vCPU goes. Its leaves
 * own no page: they point at pages EPT01 has pinned. No region can go
 * while a vCPU is in VMX operation (mem.c), unless the VM has
 * NVMX_VM_NESTED_RESIZE: then mem.c bumps vm->l1_mem_seq before it
 * unpins, a vCPU does not enter L2 on an EPT02 older than that (the
 * check is in run.c, with interrupts off), and rebuilds it first.
 *
 * Context: NVMX_RUN (exit handlers, nested entry), preemptible.
 */
#include <asm/processor.h>

#include "../nested/checks.h"
#include "../nested/ept_walk.h"
#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "exits.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"

/*
 * EPT02 is rebuilt from scratch once it has this many table pages (16
 * MiB), so that an L2 touching ever more addresses (an L1 may map its
 * whole address space onto one page) cannot make it grow without bound.
 */
#define EPT02_MAX_TABLES	4096

#define EPT_QUAL_ACCESS		0x7ULL		/* read, write, fetch */
#define EPT_QUAL_RIGHTS		0x38ULL		/* rights of the translation */
#define EPT_QUAL_GLA_VALID	BIT_ULL(7)
#define EPT_QUAL_GLA_XLATE	BIT_ULL(8)	/* the access was to the page */

static void nvmx_ept02_no_release(u64 hpa, bool writable)
{
}

/**
 * nvmx_ept02_drop() - forget everything EPT02 holds
 * @vcpu: the vCPU
 *
 * Context: process context, L2 not running on EPT02 on any CPU (it is
 * this vCPU's, and this thread is not in guest mode).
 */
void nvmx_ept02_drop(struct nvmx_vcpu *vcpu)
{
	struct nvmx_l2 *l2 = &vcpu->vmx.l2;

	nvmx_ept_destroy(&l2->ept02, nvmx_ept02_no_release);
	l2->eptp12 = 0;
}

/**
 * nvmx_ept02_prepare() - EPT02 for a nested entry with EPTP12 @eptp12
 * @vcpu: the vCPU
 * @eptp12: the EPT pointer of VMCS12, checked
 * @eptp02: the EPT pointer for VMCS02
 *
 * Return: 0 or -ENOMEM.
 */
int nvmx_ept02_prepare(struct nvmx_vcpu *vcpu, u64 eptp12, u64 *eptp02)
{
	struct nvmx_l2 *l2 = &vcpu->vmx.l2;
	int err;

	if (l2->ept02.root && l2->eptp12 != eptp12)
		nvmx_ept02_drop(vcpu);
	if (!l2->ept02.root) {
		err = nvmx_ept_init(&l2->ept02);
		if (err)
			return err;
		l2->mem_seq = READ_ONCE(vcpu->vm->l1_mem_seq);
		/* Its root may be a page a freed EPT02 had: a new tag. */
		vcpu->vmx.vmcs02.flush = true;
	}
	l2->eptp12 = eptp12;
	*eptp02 = nvmx_ept_pointer(&l2->ept02);
	return 0;
}

/*
 * L2 runs on an EPT02 that may point at pages unpinned since it was
 * built (see the top of the file). Context: any, interrupts off too.
 */
bool nvmx_ept02_stale(struct nvmx_vcpu *vcpu)
{
	const struct nvmx_l2 *l2 = &vcpu->vmx.l2;

	return l2->active && l2->ept && l2->ept02.root &&
	       l2->mem_seq != READ_ONCE(vcpu->vm->l1_mem_seq);
}

/**
 * nvmx_ept02_rebuild() - start EPT02 afresh while L2 runs on it
 * @vcpu: the vCPU; VMCS02 current
 *
 * Return: 0, or an exit handler's value (an internal error: no memory).
 */
int nvmx_ept02_rebuild(struct nvmx_vcpu *vcpu)
{
	u64 eptp12 = vcpu->vmx.l2.eptp12, eptp02;

	nvmx_ept02_drop(vcpu);
	if (nvmx_ept02_prepare(vcpu, eptp12, &eptp02))
		return nvmx_internal_error(vcpu, NVMX_INTERNAL_MEMORY, 0, NULL);
	vmx_vmwrite(VMCS_EPT_POINTER, eptp02);
	return 0;
}

static int nvmx_ept12_read(void *ctx, u64 gpa, u64 *entry)
{
	return nvmx_guest_read(ctx, gpa, entry, sizeof(*entry));
}

/* The accessed and dirty flags the walk set, written to L1's EPT12. */
static void nvmx_ept12_set_ad(struct nvmx_vcpu *vcpu, const struct ept_walk *w)
{
	unsigned int l;

	for (l = 1; l <= NV_EPT_LEVELS; l++) {
		u64 e = w->entries[l - 1], n = e;

		if (w->set_accessed & BIT(l - 1))
			n |= NV_EPT_ACCESSED;
		if (l == w->level && w->set_dirty)
			n |= NV_EPT_DIRTY;
		if (n != e)
			nvmx_guest_write(vcpu->vm, w->entry_gpa[l - 1], &n,
					 sizeof(n));
	}
}

/* Walk EPT12 for L2's @gpa and @access (NV_EPT_* bits). */
static enum ept_walk_result nvmx_ept12_walk(struct nvmx_vcpu *vcpu, u64 gpa,
					    u8 access, struct ept_walk *w)
{
	struct ept_walk_caps caps;
	enum ept_walk_result r;

	nested_ept_caps(vcpu->vmx.l1_vmx_msrs, boot_cpu_data.x86_phys_bits,
			&caps);
	r = ept_walk(&caps, vcpu->vmx.l2.eptp12, gpa, access, nvmx_ept12_read,
		     vcpu->vm, w);
	if (r == EPT_WALK_OK)
		nvmx_ept12_set_ad(vcpu, w);
	return r;
}

/**
 * nvmx_level_gpa() - a guest-physical address of the level that runs, in L1
 * @vcpu: the vCPU
 * @gpa: the address, L2's when L2 runs on EPT12
 * @write: for a write
 * @l1_gpa: the L1 guest-physical address
 *
 * For nvmx's own accesses on behalf of L2 (emulation, PDPTEs).
 * Return: 0, or -ENOENT when EPT12 does not allow the access; the walk's
 * outcome is then in vcpu->vmx.l2.fault for nvmx_ept12_emul_fault().
 */
int nvmx_level_gpa(struct nvmx_vcpu *vcpu, u64 gpa, bool write, u64 *l1_gpa)
{
	struct nvmx_l2_fault *f = &vcpu->vmx.l2.fault;
	struct ept_walk w;

	if (!vcpu->vmx.l2.active || !vcpu->vmx.l2.ept) {
		*l1_gpa = gpa;
		return 0;
	}
	if (nvmx_ept12_walk(vcpu, gpa, write ? NV_EPT_WRITE : NV_EPT_READ,
			    &w) != EPT_WALK_OK) {
		f->valid = true;
		f->misconfig = w.result != EPT_WALK_VIOLATION;
		f->qual = w.qualification;
		f->gpa = gpa;
		f->final = false;
		f->gla = 0;
		return -ENOENT;
	}
	*l1_gpa = w.l1_gpa;
	return 0;
}

/**
 * nvmx_ept12_emul_fault() - an access of nvmx's emulation for L2 that
 * EPT12 refused becomes L1's EPT violation or misconfiguration
 * @vcpu: the vCPU; VMCS02 current
 *
 * As the CPU would have exited had it executed L2's instruction itself:
 * the qualification of the walk, with the linear address when the access
 * had one (bit 7) and whether it was to the translated page (bit 8); RIP
 * at the instruction, which L2 executes again once L1 has fixed EPT12.
 * Return: as an exit handler, or -ENOENT when no such access is recorded
 * since nvmx_ept12_emul_start().
 */
int nvmx_ept12_emul_fault(struct nvmx_vcpu *vcpu)
{
	struct nvmx_l2_fault *f = &vcpu->vmx.l2.fault;
	struct nvmx_exit_info e = vcpu->vmx.exit;

	if (!vcpu->vmx.l2.active || !f->valid)
		return -ENOENT;
	f->valid = false;
	e.reason = f->misconfig ? NV_EXIT_EPT_MISCONFIG : NV_EXIT_EPT_VIOLATION;
	e.qual = 0;
	if (!f->misconfig) {
		e.qual = f->qual & (EPT_QUAL_ACCESS | EPT_QUAL_RIGHTS);
		if (f->gla)
			e.qual |= EPT_QUAL_GLA_VALID |
				  (f->final ? EPT_QUAL_GLA_XLATE : 0);
	}
	e.gpa = f->gpa;
	e.gla = f->gla;
	e.insn_len = 0;
	vcpu->vmx.inject.valid = false;
	return nvmx_nested_vmexit(vcpu, &e);
}

/* An emulation for L2 starts: no refused access recorded yet. */
void nvmx_ept12_emul_start(struct nvmx_vcpu *vcpu)
{
	vcpu->vmx.l2.fault.valid = false;
}

/* Read guest-physical memory of the level that runs, within one page. */
int nvmx_level_read(struct nvmx_vcpu *vcpu, u64 gpa, void *buf, size_t len)
{
	u64 l1_gpa;

	return nvmx_level_gpa(vcpu, gpa, false, &l1_gpa) ?:
	       nvmx_guest_read(vcpu->vm, l1_gpa, buf, len);
}

/* The EPT violation or misconfiguration L1 gets from its EPT12. */
static int nvmx_ept12_reflect(struct nvmx_vcpu *vcpu, const struct ept_walk *w)
{
	struct nvmx_exit_info e = vcpu->vmx.exit;

	if (w->result == EPT_WALK_VIOLATION) {
		e.qual = w->qualification |
			 (e.qual & ~(EPT_QUAL_ACCESS | EPT_QUAL_RIGHTS));
	} else {
		/* Unreadable EPT12 entries read as all ones: misconfigured. */
		e.reason = NV_EXIT_EPT_MISCONFIG;
		e.qual = 0;
	}
	vcpu->vmx.inject.valid = false;
	return nvmx_nested_vmexit(vcpu, &e);
}

/* The page of the walk into EPT02. Return: 0 or an exit handler's value. */
static int nvmx_ept02_map(struct nvmx_vcpu *vcpu, const struct ept_walk *w,
			  bool write, bool fetch)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	u64 gpa = vmx->exit.gpa, hpa, perms, leaf = w->entries[w->level - 1];
	u64 data[2];
	int ret;

	ret = nvmx_mem_translate(vcpu->vm, w->l1_gpa, write, &hpa, &perms);
	if (ret == NVMX_FAULT_MMIO && !fetch)
		return nvmx_emulate_mmio(vcpu, w->l1_gpa);
	if (ret != NVMX_FAULT_MAPPED) {
		data[0] = gpa;
		data[1] = ret == NVMX_FAULT_MMIO ? ENOENT : -ret;
		return nvmx_internal_error(vcpu, NVMX_INTERNAL_MEMORY,
					   ARRAY_SIZE(data), data);
	}
	perms &= w->perms;
	if (vmx->l2.ept02.tables >= EPT02_MAX_TABLES) {
		ret = nvmx_ept02_rebuild(vcpu);
		if (ret)
			return ret;
	}
	/* With A/D, a clean page stays read-only until L2 writes it. */
	if ((vmx->l2.eptp12 & NV_EPTP_AD) && !(leaf & NV_EPT_DIRTY) &&
	    !w->set_dirty)
		perms &= ~NVMX_EPT_W;
	if (nvmx_ept_set(&vmx->l2.ept02, gpa & PAGE_MASK, hpa, perms)) {
		data[0] = gpa;
		data[1] = ENOMEM;
		return nvmx_internal_error(vcpu, NVMX_INTERNAL_MEMORY,
					   ARRAY_SIZE(data), data);
	}
	vcpu->stats.ept_faults++;
	return 0;
}

/**
 * nvmx_ept02_violation() - an EPT violation of L2 that runs on EPT02
 * @vcpu: the vCPU; VMCS02 current, vmx->exit holds the exit
 *
 * Return: as an exit handler: 0 when EPT02 now maps the page (L2 tries
 * again), or after the exit to L1, an MMIO exit to userspace or an
 * internal error.
 */
int nvmx_ept02_violation(struct nvmx_vcpu *vcpu)
{
	const struct nvmx_exit_info *x = &vcpu->vmx.exit;
	u8 access = x->qual & EPT_QUAL_ACCESS;
	struct ept_walk w;

	/* The CPU's own access to L2's paging structures (SDM "EPT A/D"). */
	if ((x->qual & EPT_QUAL_GLA_VALID) && !(x->qual & EPT_QUAL_GLA_XLATE))
		access |= NV_EPT_GUEST_PAGING;
	if (nvmx_ept12_walk(vcpu, x->gpa, access, &w) != EPT_WALK_OK)
		return nvmx_ept12_reflect(vcpu, &w);
	/* L0's exit: an IRET it interrupted runs again. */
	nvmx_nmi_blocking_after_iret(vcpu);
	return nvmx_ept02_map(vcpu, &w, access & NV_EPT_WRITE,
			      access & NV_EPT_EXEC);
}
