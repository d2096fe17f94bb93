/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvmx's tracepoints (events/nvmx/ in tracefs; trace-cmd record -e nvmx):
 * nested VM entries and exits, the consistency check that failed an L1
 * VM entry, and L1's VMX instructions. Defined once, in src/trace.c.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM nvmx

#if !defined(NVMX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define NVMX_TRACE_H

#include <linux/tracepoint.h>

#include "compat.h"

/* L1's VMLAUNCH or VMRESUME reached L2. */
TRACE_EVENT(nvmx_nested_entry,
	TP_PROTO(u32 vcpu, bool launch, u64 rip, bool ept),
	TP_ARGS(vcpu, launch, rip, ept),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(bool, launch)
		__field(u64, rip)
		__field(bool, ept)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->launch = launch;
		__entry->rip = rip;
		__entry->ept = ept;
	),
	TP_printk("vcpu %u %s to L2 rip 0x%llx%s", __entry->vcpu,
		  __entry->launch ? "vmlaunch" : "vmresume", __entry->rip,
		  __entry->ept ? " ept12" : "")
);

/* A VM exit while L2 ran: given to L1 or handled by L0, and why. */
TRACE_EVENT(nvmx_nested_exit,
	TP_PROTO(u32 vcpu, u32 reason, u64 qual, bool to_l1, const char *why),
	TP_ARGS(vcpu, reason, qual, to_l1, why),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u32, reason)
		__field(u64, qual)
		__field(bool, to_l1)
		__string(why, why)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->reason = reason;
		__entry->qual = qual;
		__entry->to_l1 = to_l1;
		nvmx_assign_str(why, why);
	),
	TP_printk("vcpu %u reason 0x%x qual 0x%llx to %s (%s)",
		  __entry->vcpu, __entry->reason, __entry->qual,
		  __entry->to_l1 ? "L1" : "L0", __get_str(why))
);

/* An L1 VM entry failed a consistency check: VMfailValid or an exit. */
TRACE_EVENT(nvmx_nested_check_failed,
	TP_PROTO(u32 vcpu, u32 outcome, const char *check),
	TP_ARGS(vcpu, outcome, check),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u32, outcome)
		__string(check, check)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->outcome = outcome;
		nvmx_assign_str(check, check);
	),
	TP_printk("vcpu %u %s 0x%x: %s", __entry->vcpu,
		  __entry->outcome & 0x80000000u ? "exit" : "VMfailValid",
		  __entry->outcome, __get_str(check))
);

/* L1 executed a VMX instruction (basic exit reason); RFLAGS after it. */
TRACE_EVENT(nvmx_vmx_insn,
	TP_PROTO(u32 vcpu, u32 reason, u64 rflags),
	TP_ARGS(vcpu, reason, rflags),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u32, reason)
		__field(u64, rflags)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->reason = reason;
		__entry->rflags = rflags;
	),
	TP_printk("vcpu %u exit reason %u %s", __entry->vcpu,
		  __entry->reason,
		  (__entry->rflags & 1) ? "VMfailInvalid" :
		  (__entry->rflags & 0x40) ? "VMfailValid" : "VMsucceed")
);

#endif /* NVMX_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
