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
 * Enter VMX operation with the VMXON region at @pa.
 * Return: 0; -EIO when VMXON reports failure (CF or ZF set, e.g. already in
 * VMX operation); -EFAULT when it faults (#UD or #GP: CR4.VMXE clear, fixed
 * CR0/CR4 bits violated, or IA32_FEATURE_CONTROL forbidding VMX).
 */
static __always_inline int vmx_vmxon(u64 pa)
{
	asm goto("1: vmxon %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m" (pa) : "cc", "memory" : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

/* Leave VMX operation. Return: 0, or -EFAULT if not in VMX operation. */
static __always_inline int vmx_vmxoff(void)
{
	asm goto("1: vmxoff\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : : "cc", "memory" : fault);
	return 0;
fault:
	return -EFAULT;
}

#endif /* NVMX_VMX_INSN_H */
