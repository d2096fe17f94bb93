// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exits whose data is not in the VMCS: a load or store to a
 * guest-physical address without memory (MMIO), and string port I/O
 * (INS, OUTS). The instruction is fetched through the guest's page
 * tables and decoded by the pure modules of src/emul/; userspace sees an
 * NVMX_EXIT_MMIO or NVMX_EXIT_IO with the data.
 *
 * Limits: segment limits are not checked; REP string I/O with
 * RFLAGS.DF set moves one item per exit.
 */
#include <linux/nvmx.h>
#include <asm/processor.h>

#include "../emul/gva.h"
#include "../vcpu.h"
#include "../vm.h"
#include "arch.h"
#include "exits.h"
#include "insn.h"
#include "nested.h"
#include "vcpu.h"
#include "vmcs_fields.h"

#define IO_QUAL_IN		BIT(3)
#define IO_QUAL_REP		BIT(5)
#define RFLAGS_DF		BIT_ULL(10)
#define SEG_ES			0
#define SEG_DS			3

/* Paging-structure reads: guest-physical of the level that runs. */
static int nvmx_read_gpa(void *ctx, u64 gpa, u64 *val)
{
	return nvmx_level_read(ctx, gpa, val, sizeof(*val)) ? -ENOENT : 0;
}

/*
 * Linear to guest-physical through the guest's paging, and for L2 on
 * EPT12 on to L1's guest-physical. Return: 0, or -EFAULT for a page
 * fault (*@pfec its error code), or another -errno.
 */
static int nvmx_translate_pf(struct nvmx_vcpu *vcpu, u64 la, u32 access,
			     u64 *gpa, u32 *pfec)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nvmx_paging pg = {
		.cr0 = vmx->cr0, .cr3 = vmx_vmread_val(VMCS_GUEST_CR3),
		.cr4 = vmx->cr4, .efer = vmx->efer,
		.maxphyaddr = boot_cpu_data.x86_phys_bits,
	};
	bool final = false;
	int err;

	if (nvmx_vmx_cpl() == 3)
		access |= NVMX_GVA_USER;
	err = nvmx_gva_to_gpa(&pg, la, access, nvmx_read_gpa, vcpu, gpa, pfec);
	if (!err) {
		err = nvmx_level_gpa(vcpu, *gpa, access & NVMX_GVA_WRITE, gpa);
		final = true;
	}
	/* EPT12 refused a paging-structure read, or the page, for @la. */
	if (err == -ENOENT && vmx->l2.fault.valid) {
		vmx->l2.fault.gla = la;
		vmx->l2.fault.final = final;
	}
	return err;
}

/**
 * nvmx_access_linear() - read or write guest memory at a linear address
 * @vcpu: the vCPU
 * @la: the linear address
 * @buf: the data
 * @len: its length; the range may cross pages
 * @access: NVMX_GVA_WRITE for a write, NVMX_GVA_FETCH, or 0
 * @pfec: on a page fault, its error code
 *
 * Return: 0; -EFAULT for a page fault at *@la (updated to the faulting
 * address); -ENOENT, -EROFS where there is no (writable) memory.
 */
int nvmx_access_linear(struct nvmx_vcpu *vcpu, u64 *la, void *buf,
		       unsigned int len, u32 access, u32 *pfec)
{
	u64 addr = *la, gpa;
	unsigned int n;
	int err;

	while (len) {
		n = min_t(unsigned int, len, PAGE_SIZE - (addr & ~PAGE_MASK));
		err = nvmx_translate_pf(vcpu, addr, access, &gpa, pfec);
		if (err == -EFAULT)
			*la = addr;
		if (!err && (access & NVMX_GVA_WRITE))
			err = nvmx_guest_write(vcpu->vm, gpa, buf, n);
		else if (!err)
			err = nvmx_guest_read(vcpu->vm, gpa, buf, n);
		if (err)
			return err;
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Read guest memory at linear address @la, page by page. */
static int nvmx_read_linear(struct nvmx_vcpu *vcpu, u64 la, void *buf,
			    unsigned int len, u32 access)
{
	u32 pfec;

	return nvmx_access_linear(vcpu, &la, buf, len, access, &pfec);
}

/* The base of segment @seg as the CPU uses it in the current mode. */
static u64 nvmx_seg_base(struct nvmx_vcpu *vcpu, unsigned int seg)
{
	if (nvmx_vmx_cpu_mode(vcpu) == 64 && seg != 4 && seg != 5)
		return 0;
	return vmx_vmread_val(VMCS_GUEST_ES_BASE + 2 * seg);
}

/* The instruction at CS:RIP, as many of its 15 bytes as are readable. */
static unsigned int nvmx_fetch_insn(struct nvmx_vcpu *vcpu, u8 *buf)
{
	u64 la = nvmx_seg_base(vcpu, 1) + vcpu->vmx.rip;
	unsigned int first;

	if (nvmx_vmx_cpu_mode(vcpu) != 64)
		la &= 0xffffffff;
	first = min_t(unsigned int, NVMX_MMIO_INSN_MAX,
		      PAGE_SIZE - (la & ~PAGE_MASK));
	if (nvmx_read_linear(vcpu, la, buf, first, NVMX_GVA_FETCH))
		return 0;
	if (first < NVMX_MMIO_INSN_MAX &&
	    !nvmx_read_linear(vcpu, la + first, buf + first,
			      NVMX_MMIO_INSN_MAX - first, NVMX_GVA_FETCH))
		return NVMX_MMIO_INSN_MAX;
	return first;
}

static void nvmx_gprs_out(struct nvmx_vcpu *vcpu, u64 *gprs)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		gprs[i] = nvmx_gpr(vcpu, i);
}

static void nvmx_gprs_in(struct nvmx_vcpu *vcpu, const u64 *gprs)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		nvmx_set_gpr(vcpu, i, gprs[i]);
}

/*
 * The emulation cannot go on. For L2, because EPT12 refused one of its
 * accesses: L1's EPT violation, as on a CPU; else an internal error.
 */
static int nvmx_emulation_error(struct nvmx_vcpu *vcpu, u64 gpa,
				const u8 *bytes)
{
	u64 data[4] = { vcpu->vmx.rip, gpa };
	int ret = nvmx_ept12_emul_fault(vcpu);

	if (ret != -ENOENT)
		return ret;

	memcpy(&data[2], bytes, 15);
	return nvmx_internal_error(vcpu, NVMX_INTERNAL_EMULATION,
				   ARRAY_SIZE(data), data);
}

/* L1's access to its in-kernel APIC (NVMX_VM_LAPIC). Return: done here. */
static bool nvmx_mmio_lapic(struct nvmx_vcpu *vcpu, u64 gpa, u64 *gprs)
{
	struct nvmx_mmio_insn *insn = &vcpu->vmx.mmio;
	u64 val = insn->value;

	/* L2's accesses go to userspace: its addresses are not L1's. */
	if (vcpu->vmx.l2.active ||
	    nvmx_lapic_mmio(vcpu, gpa, insn->write, insn->size, &val))
		return false;
	if (!insn->write) {
		nvmx_mmio_complete_load(gprs, insn, val);
		nvmx_gprs_in(vcpu, gprs);
	}
	nvmx_skip_insn(vcpu);
	return true;
}

/**
 * nvmx_emulate_mmio() - an access to @gpa, which has no memory
 * @vcpu: the vCPU
 * @gpa: the guest-physical address of the access
 *
 * A store exits with its data; a load exits, and the next NVMX_RUN puts
 * run->mmio.data in the destination register. RIP moves past the
 * instruction either way. L1's accesses to its in-kernel APIC
 * (NVMX_VM_LAPIC) complete here without an exit.
 * Return: 1 (an exit to userspace), or 0 (the APIC's).
 */
int nvmx_emulate_mmio(struct nvmx_vcpu *vcpu, u64 gpa)
{
	struct nvmx_mmio_insn *insn = &vcpu->vmx.mmio;
	struct nvmx_run *run = vcpu->run;
	u8 bytes[16] = { };
	unsigned int n;
	u64 gprs[16];

	nvmx_ept12_emul_start(vcpu);
	n = nvmx_fetch_insn(vcpu, bytes);
	nvmx_gprs_out(vcpu, gprs);
	if (!n || nvmx_mmio_decode(bytes, n, nvmx_vmx_cpu_mode(vcpu), gprs,
				   insn))
		return nvmx_emulation_error(vcpu, gpa, bytes);
	vcpu->vmx.exit.insn_len = insn->len;
	if (nvmx_mmio_lapic(vcpu, gpa, gprs))
		return 0;
	run->exit_reason = NVMX_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = insn->size;
	run->mmio.is_write = insn->write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (insn->write)
		memcpy(run->mmio.data, &insn->value, insn->size);
	else
		vcpu->completion = NVMX_COMPLETE_MMIO_READ;
	nvmx_skip_insn(vcpu);
	return 1;
}

/* The MMIO load's data has come: write its destination register. */
void nvmx_complete_mmio_read(struct nvmx_vcpu *vcpu)
{
	u64 gprs[16], data = 0;

	memcpy(&data, vcpu->run->mmio.data, vcpu->vmx.mmio.size);
	nvmx_gprs_out(vcpu, gprs);
	nvmx_mmio_complete_load(gprs, &vcpu->vmx.mmio, data);
	nvmx_gprs_in(vcpu, gprs);
}

/* Registers masked to the instruction's address size (16, 32, 64 bits). */
static u64 nvmx_addr_mask(u32 insn_info)
{
	switch ((insn_info >> 7) & 7) {
	case 0:
		return 0xffff;
	case 1:
		return 0xffffffff;
	default:
		return ~0ULL;
	}
}

/*
 * Move RSI or RDI and RCX over @count items of @size bytes; RIP moves on
 * when the REP count is exhausted (or there is no REP).
 */
static void nvmx_string_advance(struct nvmx_vcpu *vcpu, unsigned int reg,
				u32 count, u32 size, bool rep, u64 mask)
{
	u64 step = (u64)count * size, val = nvmx_gpr(vcpu, reg);
	u64 rcx = nvmx_gpr(vcpu, 1);

	val = (vcpu->vmx.rflags & RFLAGS_DF) ? val - step : val + step;
	nvmx_set_gpr(vcpu, reg, (nvmx_gpr(vcpu, reg) & ~mask) | (val & mask));
	if (rep) {
		rcx = (rcx & ~mask) | ((rcx - count) & mask);
		nvmx_set_gpr(vcpu, 1, rcx);
		if (rcx & mask)
			return;	/* the instruction runs again */
	}
	nvmx_skip_insn(vcpu);
}

/*
 * String I/O could not reach its buffer (@err from the access at @la): a
 * page fault is the guest's (L2's may exit to L1), EPT12's refusal L1's
 * EPT violation, anything else an internal error (@data: RIP, qual).
 */
static int nvmx_string_io_error(struct nvmx_vcpu *vcpu, int err, u64 la,
				u32 pfec, u64 *data)
{
	int ret;

	if (err == -EFAULT)
		return nvmx_nested_exception(vcpu, NV_VEC_PF, true, pfec, la);
	ret = nvmx_ept12_emul_fault(vcpu);
	if (ret != -ENOENT)
		return ret;
	return nvmx_internal_error(vcpu, NVMX_INTERNAL_EMULATION, 2, data);
}

/**
 * nvmx_emulate_string_io() - INS or OUTS, with or without REP
 * @vcpu: the vCPU
 *
 * One exit moves as many items as fit in the run page and do not cross a
 * page of the guest's buffer; a longer REP re-executes the instruction.
 * Return: 0 (nothing to do: REP with a zero count) or 1 (an exit to
 * userspace), or as nvmx_internal_error().
 */
int nvmx_emulate_string_io(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;
	struct nvmx_run *run = vcpu->run;
	u64 qual = vmx->exit.qual, mask = nvmx_addr_mask(vmx->exit.insn_info);
	bool in = qual & IO_QUAL_IN, rep = qual & IO_QUAL_REP;
	u32 size = NV_IO_QUAL_SIZE(qual), count = 1;
	unsigned int reg = in ? 7 : 6;	/* RDI or RSI */
	unsigned int seg = in ? SEG_ES : (vmx->exit.insn_info >> 15) & 7;
	u64 la = nvmx_seg_base(vcpu, seg) + (nvmx_gpr(vcpu, reg) & mask), fla;
	u64 data[] = { vmx->rip, qual };
	u32 pfec = 0;
	int err;

	nvmx_ept12_emul_start(vcpu);
	if (rep)
		count = min_t(u64, nvmx_gpr(vcpu, 1) & mask,
			      NVMX_RUN_IO_DATA_SIZE / size);
	if (!count) {
		nvmx_skip_insn(vcpu);
		return 0;
	}
	if ((vmx->rflags & RFLAGS_DF) || (la & (size - 1)))
		count = 1;
	else
		count = min_t(u64, count, (PAGE_SIZE - (la & ~PAGE_MASK)) / size);
	if (in) {
		err = nvmx_translate_pf(vcpu, la, NVMX_GVA_WRITE,
					&vmx->str_gpa, &pfec);
		if (err)
			return nvmx_string_io_error(vcpu, err, la, pfec, data);
		memset((u8 *)run + NVMX_RUN_IO_DATA_OFFSET, 0xff, count * size);
		vmx->str_count = count;
		vmx->str_size = size;
		vcpu->completion = NVMX_COMPLETE_STRING_IN;
	} else {
		fla = la;
		err = nvmx_access_linear(vcpu, &fla,
					 (u8 *)run + NVMX_RUN_IO_DATA_OFFSET,
					 count * size, 0, &pfec);
		if (err)
			return nvmx_string_io_error(vcpu, err, fla, pfec, data);
	}
	run->exit_reason = NVMX_EXIT_IO;
	run->io.direction = in ? NVMX_EXIT_IO_IN : NVMX_EXIT_IO_OUT;
	run->io.size = size;
	run->io.port = NV_IO_QUAL_PORT(qual);
	run->io.count = count;
	run->io.data_offset = NVMX_RUN_IO_DATA_OFFSET;
	nvmx_string_advance(vcpu, reg, count, size, rep, mask);
	return 1;
}

/* INS: the data userspace read goes to the guest's buffer. */
void nvmx_complete_string_in(struct nvmx_vcpu *vcpu)
{
	struct nvmx_vmx_vcpu *vmx = &vcpu->vmx;

	/* A buffer that is not memory any more loses the data, as MMIO. */
	nvmx_guest_write(vcpu->vm, vmx->str_gpa,
			 (u8 *)vcpu->run + NVMX_RUN_IO_DATA_OFFSET,
			 vmx->str_count * vmx->str_size);
}
