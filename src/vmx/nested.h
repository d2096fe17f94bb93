/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX layer of nested VMX: L1's VMX instructions (nested.c), its
 * VM entries into L2 (nested_entry.c), L2's VM exits (nested_exit.c) and
 * L2's VMREAD/VMWRITE of L1's shadow VMCS (nested_l2vmcs.c), L2's TPR
 * shadow (nested_tpr.c).
 * The decisions are the pure modules' in src/nested/; these files apply
 * them to VMCS01, VMCS02 and the vCPU.
 */
#ifndef NVMX_VMX_NESTED_H
#define NVMX_VMX_NESTED_H

#include <linux/types.h>

#include "../nested/vmx_insn.h"

struct nvmx_vcpu;
struct nvmx_exit_info;

/* Guest-state fields copied as they are between VMCS12 and VMCS02. */
#define NVMX_L2_PLAIN_FIELDS	42
extern const u16 nvmx_l2_plain_fields[NVMX_L2_PLAIN_FIELDS];

/* nested.c */
#define NVMX_INSN_COMPLETED	(-1)	/* the instruction completed */
void nvmx_nested_l1(struct nvmx_vcpu *vcpu, struct nested_l1 *l1);
void nvmx_nested_vmx_operation(struct nvmx_vcpu *vcpu, bool on);
int nvmx_nested_mem_read(void *ctx, u64 gpa, void *buf, unsigned int len);
u64 nvmx_nested_vmcs_field(struct nvmx_vcpu *vcpu);
int nvmx_nested_precheck(struct nvmx_vcpu *vcpu, const struct nested_l1 *l1,
			 u32 reason);
int nvmx_nested_vmrw(struct nvmx_vcpu *vcpu, const struct nested_l1 *l1,
		     u64 *rflags);
void nvmx_nested_done(struct nvmx_vcpu *vcpu, u32 reason, u64 rflags);

/* nested_l2vmcs.c */
int nvmx_l2_vmx_insn(struct nvmx_vcpu *vcpu, const struct nested_l1 *l2,
		     u32 reason);
int nvmx_l2_exception(struct nvmx_vcpu *vcpu, u8 vector, bool has_error,
		      u32 error, u64 cr2);

/* nested_entry.c */
int nvmx_nested_launch(struct nvmx_vcpu *vcpu, const struct nested_l1 *l1,
		       bool launch);
int nvmx_nested_restore_l2(struct nvmx_vcpu *vcpu, u32 event_info,
			   u32 event_error, u32 event_insn_len);

/* nested_exit.c */
#define NVMX_L0_HANDLES		(-1)	/* nvmx_nested_exit(): not L1's */
int nvmx_nested_exit(struct nvmx_vcpu *vcpu);
void nvmx_l2_save(struct nvmx_vcpu *vcpu);
int nvmx_nested_events(struct nvmx_vcpu *vcpu);
int nvmx_nested_vmexit(struct nvmx_vcpu *vcpu, const struct nvmx_exit_info *e);
int nvmx_nested_entry_failed(struct nvmx_vcpu *vcpu, u32 reason, u64 qual);
unsigned int nvmx_nested_load_msrs(struct nvmx_vcpu *vcpu, u64 gpa,
				   u32 count);
bool nvmx_nested_wants(struct nvmx_vcpu *vcpu, u32 proc_bit);

/* nested_shadow.c */
struct nvmx_vmx_vcpu;
int nvmx_shadow_to_vmcs12(struct nvmx_vcpu *vcpu);
int nvmx_shadow_from_vmcs12(struct nvmx_vcpu *vcpu);
void nvmx_shadow_free(struct nvmx_vmx_vcpu *vmx);

/* nested_timer.c */
void nvmx_l2_timer_start(struct nvmx_vcpu *vcpu);
u32 nvmx_l2_timer_value(struct nvmx_vcpu *vcpu, u32 l0);
bool nvmx_l2_timer_expired(struct nvmx_vcpu *vcpu);
void nvmx_l2_timer_save(struct nvmx_vcpu *vcpu, bool always);

/* nested_ept.c */
void nvmx_ept02_drop(struct nvmx_vcpu *vcpu);
int nvmx_ept02_prepare(struct nvmx_vcpu *vcpu, u64 eptp12, u64 *eptp02);
int nvmx_ept02_violation(struct nvmx_vcpu *vcpu);

/* nested_tpr.c */
bool nvmx_l2_tpr_shadow(struct nvmx_vcpu *vcpu);
u32 nvmx_nested_vtpr(struct nvmx_vcpu *vcpu);
int nvmx_l2_write_vtpr(struct nvmx_vcpu *vcpu, u64 val);

/* nested_vpid.c */
void nvmx_vpid02_alloc(struct nvmx_vmx_vcpu *vmx);
void nvmx_vpid02_free(struct nvmx_vmx_vcpu *vmx);
void nvmx_vpid02_enter(struct nvmx_vmx_vcpu *vmx, u16 vpid12);
void nvmx_vpid02_invvpid(struct nvmx_vmx_vcpu *vmx, u64 type, u16 vpid12);
void nvmx_vpid02_forget(struct nvmx_vmx_vcpu *vmx);
bool nvmx_ept02_stale(struct nvmx_vcpu *vcpu);
int nvmx_ept12_emul_fault(struct nvmx_vcpu *vcpu);
int nvmx_nested_exception(struct nvmx_vcpu *vcpu, u8 vector,
			  bool has_error, u32 error, u64 cr2);
void nvmx_ept12_emul_start(struct nvmx_vcpu *vcpu);
int nvmx_ept02_rebuild(struct nvmx_vcpu *vcpu);
int nvmx_level_gpa(struct nvmx_vcpu *vcpu, u64 gpa, bool write, u64 *l1_gpa);
int nvmx_level_read(struct nvmx_vcpu *vcpu, u64 gpa, void *buf, size_t len);

#endif /* NVMX_VMX_NESTED_H */
