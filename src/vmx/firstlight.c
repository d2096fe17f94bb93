// SPDX-License-Identifier: GPL-2.0-only
/*
 * "First light": a VM entry into a one-page guest and back, as a self-test
 * of the VMX layer on the machine at hand (debugfs vmlaunch_selftest).
 *
 * The guest is in real mode under "unrestricted guest", at guest-physical
 * 0, mapped by a four-level EPT; it executes HLT, which exits. The VMCS
 * uses VMCS01's controls (controls.c) and the host state a VMM needs, so
 * this is the VMM's run path in miniature: VMCS setup, entry and exit,
 * and the restoration of the host state that a VM exit does not restore.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "controls.h"
#include "host_state.h"
#include "insn.h"
#include "vmcs.h"
#include "vmcs_fields.h"
#include "vmenter.h"
#include "vmx.h"

#define EXIT_REASON_HLT		12
#define EPT_RWX			7ULL
#define EPT_MT_WB		(6ULL << 3)
#define EPTP_WB_4LEVEL		(6ULL | (3ULL << 3))
#define AR_CODE			0x9b	/* execute/read, accessed, S, P */
#define AR_DATA			0x93	/* read/write, accessed, S, P */
#define AR_TSS_BUSY		0x8b	/* 32-bit busy TSS, P */
#define AR_UNUSABLE		0x10000
#define GUEST_CR0		0x30	/* ET, NE; PE and PG clear: real mode */

enum { FL_GUEST, FL_PML4, FL_PDPT, FL_PD, FL_PT, FL_MSR_BITMAP, FL_PAGES };

struct firstlight {
	struct nvmx_vmcs vmcs;
	struct page *pages[FL_PAGES];
	int err;		/* first VMWRITE error */
};

static void fl_write(struct firstlight *fl, unsigned long field,
		     unsigned long val)
{
	int err = vmx_vmwrite(field, val);

	if (err && !fl->err)
		fl->err = err;
}

static u64 fl_pa(struct firstlight *fl, int i)
{
	return page_to_phys(fl->pages[i]);
}

/* Guest page: HLT at 0. EPT: GPA 0 -> the guest page, write-back. */
static void fl_build_memory(struct firstlight *fl)
{
	u64 *pml4 = page_address(fl->pages[FL_PML4]);
	u64 *pdpt = page_address(fl->pages[FL_PDPT]);
	u64 *pd = page_address(fl->pages[FL_PD]);
	u64 *pt = page_address(fl->pages[FL_PT]);

	*(u8 *)page_address(fl->pages[FL_GUEST]) = 0xf4;	/* hlt */
	pml4[0] = fl_pa(fl, FL_PDPT) | EPT_RWX;
	pdpt[0] = fl_pa(fl, FL_PD) | EPT_RWX;
	pd[0] = fl_pa(fl, FL_PT) | EPT_RWX;
	pt[0] = fl_pa(fl, FL_GUEST) | EPT_RWX | EPT_MT_WB;
	/* Every MSR access exits. */
	memset(page_address(fl->pages[FL_MSR_BITMAP]), 0xff, PAGE_SIZE);
}

static int fl_write_controls(struct firstlight *fl)
{
	struct vmx_controls c;
	const char *missing;
	u64 proc2_cap = vmx_ctl_cap(nvmx_host_caps.msrs, VMX_CTL_PROC2);

	if (vmx_vmcs01_controls(nvmx_host_caps.msrs, &c, &missing))
		return -EOPNOTSUPP;
	if (!(NV_VMX_ALLOWED1(proc2_cap) & NV_PROC2_CTL_UNRESTRICTED_GUEST))
		return -EOPNOTSUPP;
	/*
	 * No VPID here (it would need a VPID), no preemption timer (the HLT
	 * must be the exit), unrestricted guest on.
	 */
	c.proc2 &= ~NV_PROC2_CTL_VPID;
	c.pin &= ~NV_PIN_CTL_PREEMPTION_TIMER;
	c.proc2 |= NV_PROC2_CTL_UNRESTRICTED_GUEST;
	fl_write(fl, VMCS_PIN_BASED_VM_EXEC_CONTROL, c.pin);
	fl_write(fl, VMCS_CPU_BASED_VM_EXEC_CONTROL, c.proc);
	fl_write(fl, VMCS_SECONDARY_VM_EXEC_CONTROL, c.proc2);
	fl_write(fl, VMCS_VM_EXIT_CONTROLS, c.exit);
	fl_write(fl, VMCS_VM_ENTRY_CONTROLS, c.entry);
	fl_write(fl, VMCS_EXCEPTION_BITMAP, 0);
	fl_write(fl, VMCS_CR3_TARGET_COUNT, 0);
	fl_write(fl, VMCS_MSR_BITMAP, fl_pa(fl, FL_MSR_BITMAP));
	fl_write(fl, VMCS_EPT_POINTER, fl_pa(fl, FL_PML4) | EPTP_WB_4LEVEL);
	fl_write(fl, VMCS_VMCS_LINK_POINTER, ~0UL);
	fl_write(fl, VMCS_VM_EXIT_MSR_STORE_COUNT, 0);
	fl_write(fl, VMCS_VM_EXIT_MSR_LOAD_COUNT, 0);
	fl_write(fl, VMCS_VM_ENTRY_MSR_LOAD_COUNT, 0);
	fl_write(fl, VMCS_VM_ENTRY_INTR_INFO_FIELD, 0);
	fl_write(fl, VMCS_CR0_GUEST_HOST_MASK, 0);
	fl_write(fl, VMCS_CR4_GUEST_HOST_MASK, 0);
	return 0;
}

static void fl_write_seg(struct firstlight *fl, unsigned int i, u32 ar)
{
	/* ES..TR are consecutive in each group of fields. */
	fl_write(fl, VMCS_GUEST_ES_SELECTOR + 2 * i, 0);
	fl_write(fl, VMCS_GUEST_ES_BASE + 2 * i, 0);
	fl_write(fl, VMCS_GUEST_ES_LIMIT + 2 * i, 0xffff);
	fl_write(fl, VMCS_GUEST_ES_AR_BYTES + 2 * i, ar);
}

/* Real mode at 0:0, interrupts off. */
static void fl_write_guest_state(struct firstlight *fl)
{
	static const u32 ar[] = { AR_DATA, AR_CODE, AR_DATA, AR_DATA,
				  AR_DATA, AR_DATA, AR_UNUSABLE, AR_TSS_BUSY };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ar); i++)
		fl_write_seg(fl, i, ar[i]);
	fl_write(fl, VMCS_GUEST_CR0, GUEST_CR0);
	fl_write(fl, VMCS_CR0_READ_SHADOW, GUEST_CR0);
	fl_write(fl, VMCS_GUEST_CR3, 0);
	fl_write(fl, VMCS_GUEST_CR4, X86_CR4_VMXE);
	fl_write(fl, VMCS_CR4_READ_SHADOW, 0);
	fl_write(fl, VMCS_GUEST_GDTR_BASE, 0);
	fl_write(fl, VMCS_GUEST_GDTR_LIMIT, 0xffff);
	fl_write(fl, VMCS_GUEST_IDTR_BASE, 0);
	fl_write(fl, VMCS_GUEST_IDTR_LIMIT, 0xffff);
	fl_write(fl, VMCS_GUEST_DR7, 0x400);
	fl_write(fl, VMCS_GUEST_IA32_DEBUGCTL, 0);
	fl_write(fl, VMCS_GUEST_IA32_EFER, 0);
	fl_write(fl, VMCS_GUEST_IA32_PAT, 0x0007040600070406ULL);
	fl_write(fl, VMCS_GUEST_RSP, 0);
	fl_write(fl, VMCS_GUEST_RIP, 0);
	fl_write(fl, VMCS_GUEST_RFLAGS, 2);
	fl_write(fl, VMCS_GUEST_SYSENTER_CS, 0);
	fl_write(fl, VMCS_GUEST_SYSENTER_ESP, 0);
	fl_write(fl, VMCS_GUEST_SYSENTER_EIP, 0);
	fl_write(fl, VMCS_GUEST_INTERRUPTIBILITY_INFO, 0);
	fl_write(fl, VMCS_GUEST_ACTIVITY_STATE, 0);
	fl_write(fl, VMCS_GUEST_PENDING_DBG_EXCEPTIONS, 0);
}

/*
 * A host NMI that arrived while the guest ran is an NMI exit (NMI exiting
 * is on), and NMIs stay blocked: hand it to the host's NMI handler, whose
 * IRET unblocks them. Interrupts disabled.
 */
static void fl_forward_nmi(void)
{
	unsigned long reason = 0, info = 0;

	if (vmx_vmread(VMCS_VM_EXIT_REASON, &reason) || reason != 0 ||
	    vmx_vmread(VMCS_VM_EXIT_INTR_INFO, &info) ||
	    !(info & NV_INTR_INFO_VALID) ||
	    NV_INTR_INFO_TYPE(info) != NV_INTR_TYPE_NMI)
		return;
	asm volatile("int $2");
}

/* Enter the guest once. Context: preemption disabled. */
static int fl_enter(struct firstlight *fl, struct nvmx_gprs *regs)
{
	struct nvmx_host_saved host;
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	nvmx_host_save(&host);
	ret = __nvmx_vmx_enter(regs, false);
	nvmx_host_restore(&host);
	if (!ret)
		fl_forward_nmi();
	local_irq_restore(flags);
	return ret;
}

static const char *fl_run(struct firstlight *fl, char *buf, size_t len)
{
	struct nvmx_gprs regs = { };
	unsigned long reason = 0, rip = ~0UL, err = 0;

	if (nvmx_vmcs_load(&fl->vmcs))
		return "VMPTRLD failed";
	if (fl_write_controls(fl))
		return "no unrestricted guest or VMCS01 controls";
	if (nvmx_vmx_write_host_state())
		return "a VMWRITE of the host state failed";
	fl_write_guest_state(fl);
	if (fl->err)
		return "a VMWRITE failed";
	regs.r[0] = 0x1234;	/* RAX, checked after the exit */
	if (fl_enter(fl, &regs)) {
		vmx_vmread(VMCS_VM_INSTRUCTION_ERROR, &err);
		snprintf(buf, len, "VMLAUNCH failed: VM-instruction error %lu\n",
			 err);
		return buf;
	}
	vmx_vmread(VMCS_VM_EXIT_REASON, &reason);
	vmx_vmread(VMCS_GUEST_RIP, &rip);
	if (reason != EXIT_REASON_HLT || rip != 0 || regs.r[0] != 0x1234) {
		snprintf(buf, len, "exit reason %#lx at RIP %#lx, RAX %#lx\n",
			 reason, rip, regs.r[0]);
		return buf;
	}
	return NULL;
}

/**
 * nvmx_vmlaunch_selftest() - enter a HLT guest and check its VM exit
 * @buf: "ok: HLT exit", or what went wrong
 * @len: size of @buf
 *
 * Context: process context; a VM must exist, so that VMX is on.
 * Return: 0 (the verdict is in @buf), -EBUSY without VMX, -ENOMEM.
 */
int nvmx_vmlaunch_selftest(char *buf, size_t len)
{
	struct firstlight fl = { };
	const char *why = "VMX is off";
	int i, err = -ENOMEM;

	for (i = 0; i < FL_PAGES; i++) {
		fl.pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!fl.pages[i])
			goto out;
	}
	if (nvmx_vmcs_alloc(&fl.vmcs))
		goto out;
	fl_build_memory(&fl);
	err = 0;
	preempt_disable();
	if (nvmx_vmx_cpu_on())
		why = fl_run(&fl, buf, len);
	else
		err = -EBUSY;
	preempt_enable();
	nvmx_vmcs_clear(&fl.vmcs);
	nvmx_vmcs_free(&fl.vmcs);
	if (!why)
		snprintf(buf, len, "ok: HLT exit\n");
	else if (why != buf)
		snprintf(buf, len, "%s\n", why);
out:
	while (--i >= 0)
		__free_page(fl.pages[i]);
	return err;
}
