/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCS12: the VMCS that L1 believes it uses for L2.
 *
 * Its memory is the 4 KiB region L1 passed to VMPTRLD; the format of that
 * region is implementation-specific (Intel SDM, "Format of the VMCS
 * Region"), so nvmx defines its own, identified by NVMX_VMCS12_REVISION in
 * the first 31 bits. L1 must not look inside; nvmx keeps a validated copy
 * while the VMCS is current and writes it back on VMCLEAR, on VMPTRLD of
 * another VMCS and on VMXOFF.
 *
 * The layout is also saved state (nested state save/restore), so it only
 * grows: every field of vmcs_field_list.h has a fixed slot of 8 bytes, in
 * list order, and a new field is added at the end of the list with a new
 * revision. Pure.
 */
#ifndef NVMX_NESTED_VMCS12_H
#define NVMX_NESTED_VMCS12_H

#include "../pure.h"
#include "../vmx/vmcs_fields.h"

/* Changes whenever the layout below changes. */
#define NVMX_VMCS12_REVISION	0x4e560001u	/* "NV", layout 1 */

/* Index of each field's slot: V12_<name>. */
enum vmcs12_index {
#define VMCS_FIELD(name, enc) V12_##name,
#include "../vmx/vmcs_field_list.h"
#undef VMCS_FIELD
	VMCS12_NR_FIELDS
};

/* VMCS12 launch state (Intel SDM, "VMCS Data"): clear or launched. */
enum vmcs12_launch_state {
	VMCS12_CLEAR = 0,
	VMCS12_LAUNCHED = 1,
};

struct vmcs12 {
	u32 revision_id;	/* bits 30:0; bit 31: shadow-VMCS indicator */
	u32 abort;		/* VMX-abort indicator */
	u32 launch_state;	/* enum vmcs12_launch_state */
	u32 reserved;
	u64 field[VMCS12_NR_FIELDS];
};

/* VM-instruction error numbers (Intel SDM, "VM Instruction Error Numbers"). */
enum vmx_insn_error {
	VMXERR_VMCALL_IN_VMXROOT = 1,
	VMXERR_VMCLEAR_INVALID_ADDR = 2,
	VMXERR_VMCLEAR_VMXON_PTR = 3,
	VMXERR_VMLAUNCH_NONCLEAR = 4,
	VMXERR_VMRESUME_NONLAUNCHED = 5,
	VMXERR_VMRESUME_AFTER_VMXOFF = 6,
	VMXERR_ENTRY_INVALID_CONTROL = 7,
	VMXERR_ENTRY_INVALID_HOST_STATE = 8,
	VMXERR_VMPTRLD_INVALID_ADDR = 9,
	VMXERR_VMPTRLD_VMXON_PTR = 10,
	VMXERR_VMPTRLD_BAD_REVISION = 11,
	VMXERR_UNSUPPORTED_VMCS_COMPONENT = 12,
	VMXERR_VMWRITE_READ_ONLY = 13,
	VMXERR_VMXON_IN_VMXROOT = 15,
	VMXERR_ENTRY_INVALID_EXEC_VMCS = 16,
	VMXERR_ENTRY_NONLAUNCHED_EXEC_VMCS = 17,
	VMXERR_ENTRY_EXEC_VMCS_NOT_VMXON = 18,
	VMXERR_VMCALL_NONCLEAR_VMCS = 19,
	VMXERR_VMCALL_INVALID_EXIT_CTLS = 20,
	VMXERR_VMCALL_BAD_MSEG_REVISION = 22,
	VMXERR_VMXOFF_DUAL_MONITOR = 23,
	VMXERR_VMCALL_INVALID_SMM_FEATURES = 24,
	VMXERR_ENTRY_INVALID_EXEC_CTLS = 25,
	VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS = 26,
	VMXERR_INVALID_INVEPT_INVVPID_OPERAND = 28,
};

int vmcs12_field_index(u32 encoding);
const char *vmcs12_field_name(u32 encoding);
int vmcs12_slot_offset(u32 encoding);
u64 vmcs12_slot_get(u64 slot, u32 encoding);
int vmcs12_slot_put(u64 *slot, u32 encoding, u64 val, bool write_ro);
int vmcs12_read(const struct vmcs12 *v, u32 encoding, u64 *val);
int vmcs12_write(struct vmcs12 *v, u32 encoding, u64 val, bool write_ro);

#endif /* NVMX_NESTED_VMCS12_H */
