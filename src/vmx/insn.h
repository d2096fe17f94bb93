/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX instructions nvmx executes, as small inline functions. This is
 * the only header with VMX instructions in it, and only files under
 * src/vmx/ include it. Those that use the current VMCS (VMREAD, VMWRITE)
 * act on whatever VMCS this CPU has loaded: callers say which must be
 * current.
 */
#ifndef NVMX_VMX_INSN_H
#define NVMX_VMX_INSN_H

#include <linux/types.h>
#include <linux/errno.h>
#include <asm/asm.h>

/*
 * Each wrapper reports a fault (an exception on the instruction, caught by
 * the exception table entry, which resumes at label 2) separately from a
 * VMX failure (CF or ZF set: VMfailInvalid or VMfailValid). The asm of a
 * wrapper is "1: <instruction>" followed by VMX_INSN_OUTCOME, with the
 * operands [fail] and [fault] initialized to 0 and 1.
 */
#define VMX_INSN_OUTCOME	\
	"setna %[fail]\n\t"	\
	"movb $0, %[fault]\n"	\
	"2:\n\t"		\
	_ASM_EXTABLE(1b, 2b)

static __always_inline int vmx_outcome(u8 fault, u8 fail)
{
	if (fault)
		return -EFAULT;
	return fail ? -EIO : 0;
}

/*
 * Enter VMX operation with the VMXON region at @pa.
 * Return: 0; -EIO when VMXON reports failure (e.g. already in VMX
 * operation); -EFAULT when it faults (#UD or #GP: CR4.VMXE clear, fixed
 * CR0/CR4 bits violated, or IA32_FEATURE_CONTROL forbidding VMX).
 */
static __always_inline int vmx_vmxon(u64 pa)
{
	u8 fault = 1, fail = 0;

	asm volatile("1: vmxon %[pa]\n\t" VMX_INSN_OUTCOME
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : [pa] "m" (pa) : "cc", "memory");
	return vmx_outcome(fault, fail);
}

/* Leave VMX operation. Return: 0, or -EFAULT if not in VMX operation. */
static __always_inline int vmx_vmxoff(void)
{
	u8 fault = 1, fail = 0;

	asm volatile("1: vmxoff\n\t" VMX_INSN_OUTCOME
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : : "cc", "memory");
	return vmx_outcome(fault, fail);
}

/*
 * VMCLEAR of the VMCS region at @pa: written back to memory, launch state
 * clear, and not current on this CPU any more.
 * Return: 0; -EIO on VMfail (a bad address, or the VMXON region);
 * -EFAULT on a fault.
 */
static __always_inline int vmx_vmclear(u64 pa)
{
	u8 fault = 1, fail = 0;

	asm volatile("1: vmclear %[pa]\n\t" VMX_INSN_OUTCOME
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : [pa] "m" (pa) : "cc", "memory");
	return vmx_outcome(fault, fail);
}

/* VMPTRLD: make the VMCS at @pa current on this CPU. Returns as VMCLEAR. */
static __always_inline int vmx_vmptrld(u64 pa)
{
	u8 fault = 1, fail = 0;

	asm volatile("1: vmptrld %[pa]\n\t" VMX_INSN_OUTCOME
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : [pa] "m" (pa) : "cc", "memory");
	return vmx_outcome(fault, fail);
}

/*
 * VMREAD of @field from the VMCS current on this CPU into *@val.
 * Return: 0; -EIO on VMfail (no current VMCS, or an unsupported field:
 * VM-instruction error 12); -EFAULT on a fault (not in VMX operation).
 */
static __always_inline int vmx_vmread(unsigned long field, unsigned long *val)
{
	u8 fault = 1, fail = 0;
	unsigned long v = 0;

	asm volatile("1: vmread %[field], %[val]\n\t" VMX_INSN_OUTCOME
		     : [fail] "+qm" (fail), [fault] "+qm" (fault),
		       [val] "+rm" (v)
		     : [field] "r" (field) : "cc");
	*val = v;
	return vmx_outcome(fault, fail);
}

/* VMREAD of @field, 0 if it fails. Context: as vmx_vmread(). */
static __always_inline u64 vmx_vmread_val(unsigned long field)
{
	unsigned long v = 0;

	vmx_vmread(field, &v);
	return v;
}

/* VMWRITE of @val to @field of the current VMCS. Returns as vmx_vmread(). */
static __always_inline int vmx_vmwrite(unsigned long field, unsigned long val)
{
	u8 fault = 1, fail = 0;

	asm volatile("1: vmwrite %[val], %[field]\n\t" VMX_INSN_OUTCOME
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : [field] "r" (field), [val] "rm" (val) : "cc", "memory");
	return vmx_outcome(fault, fail);
}

/* INVEPT and INVVPID types (Intel SDM, "INVEPT", "INVVPID"). */
#define VMX_INVEPT_SINGLE	1
#define VMX_INVEPT_ALL		2
#define VMX_INVVPID_SINGLE	1

/*
 * INVEPT of @type for the EPT pointer @eptp: drops the guest-physical and
 * combined mappings derived from it. Returns as vmx_vmclear().
 */
static __always_inline int vmx_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, zero; } desc = { eptp, 0 };
	u8 fault = 1, fail = 0;

	asm volatile("1: invept %[desc], %[type]\n\t" VMX_INSN_OUTCOME
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : [desc] "m" (desc), [type] "r" (type) : "cc", "memory");
	return vmx_outcome(fault, fail);
}

/*
 * INVVPID of @type for @vpid: drops the linear and combined mappings
 * tagged with it. Returns as vmx_vmclear().
 */
static __always_inline int vmx_invvpid(unsigned long type, u16 vpid)
{
	struct { u64 vpid, gla; } desc = { vpid, 0 };
	u8 fault = 1, fail = 0;

	asm volatile("1: invvpid %[desc], %[type]\n\t" VMX_INSN_OUTCOME
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : [desc] "m" (desc), [type] "r" (type) : "cc", "memory");
	return vmx_outcome(fault, fail);
}

#endif /* NVMX_VMX_INSN_H */
