/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VM-exit handling for VMCS01 (exits.c, emulate.c). Context of all of
 * it: NVMX_RUN, VMCS01 current, preemption enabled.
 *
 * A handler returns 0 to enter the guest again, 1 when userspace must see
 * the exit (run->exit_reason and its union member filled in), or -errno
 * to end NVMX_RUN with that error.
 */
#ifndef NVMX_VMX_EXITS_H
#define NVMX_VMX_EXITS_H

#include <linux/types.h>

struct nvmx_vcpu;

/* exits.c */
int nvmx_handle_exit(struct nvmx_vcpu *vcpu);
void nvmx_nmi_blocking_after_iret(struct nvmx_vcpu *vcpu);
int nvmx_complete_user_exit(struct nvmx_vcpu *vcpu);
void nvmx_skip_insn(struct nvmx_vcpu *vcpu);
int nvmx_internal_error(struct nvmx_vcpu *vcpu, u32 suberror,
			unsigned int ndata, const u64 *data);
u64 nvmx_gpr(struct nvmx_vcpu *vcpu, unsigned int i);
void nvmx_set_gpr(struct nvmx_vcpu *vcpu, unsigned int i, u64 val);

/* emulate.c */
int nvmx_emulate_mmio(struct nvmx_vcpu *vcpu, u64 gpa);
int nvmx_emulate_string_io(struct nvmx_vcpu *vcpu);
void nvmx_complete_mmio_read(struct nvmx_vcpu *vcpu);
void nvmx_complete_string_in(struct nvmx_vcpu *vcpu);
int nvmx_access_linear(struct nvmx_vcpu *vcpu, u64 *la, void *buf,
		       unsigned int len, u32 access, u32 *pfec);

/* nested.c */
int nvmx_exit_vmx_insn(struct nvmx_vcpu *vcpu);

#endif /* NVMX_VMX_EXITS_H */
