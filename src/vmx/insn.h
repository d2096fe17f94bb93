/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX instructions nvmx executes, as small inline functions. This is
 * the only header with VMX instructions in it, and only files under
 * src/vmx/ include it.
 */
#ifndef NVMX_VMX_INSN_H
#define NVMX_VMX_INSN_H

#include <linux/types.h>
#include <linux/errno.h>
#include <asm/asm.h>

/*
 * Each wrapper reports a fault (an exception on the instruction, caught by
 * the exception table entry, which resumes at label 2) separately from a
 * VMX failure (CF or ZF set by the instruction).
 */

/*
 * Enter VMX operation with the VMXON region at @pa.
 * Return: 0; -EIO when VMXON reports failure (e.g. already in VMX
 * operation); -EFAULT when it faults (#UD or #GP: CR4.VMXE clear, fixed
 * CR0/CR4 bits violated, or IA32_FEATURE_CONTROL forbidding VMX).
 */
static __always_inline int vmx_vmxon(u64 pa)
{
	u8 fault = 1, fail = 0;

	asm volatile("1: vmxon %[pa]\n\t"
		     "setna %[fail]\n\t"
		     "movb $0, %[fault]\n"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : [pa] "m" (pa)
		     : "cc", "memory");
	if (fault)
		return -EFAULT;
	return fail ? -EIO : 0;
}

/* Leave VMX operation. Return: 0, or -EFAULT if not in VMX operation. */
static __always_inline int vmx_vmxoff(void)
{
	u8 fault = 1;

	asm volatile("1: vmxoff\n\t"
		     "movb $0, %[fault]\n"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [fault] "+qm" (fault)
		     :
		     : "cc", "memory");
	return fault ? -EFAULT : 0;
}

#endif /* NVMX_VMX_INSN_H */
