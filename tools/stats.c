// SPDX-License-Identifier: GPL-2.0-only
/*
 * The printers of `nvmx run --stats` and `nvmx stat`: a vCPU's counters
 * (struct nvmx_stats) with the VM exits by basic exit reason, and its
 * nested exits by reason (struct nvmx_nested_stats), reasons named as in
 * the Intel SDM, Vol. 3, Appendix C "VMX Basic Exit Reasons".
 */
#include "vmm.h"

/* Unassigned numbers (35, 38, 42, 71) have no name. */
static const char *const vmx_exit_names[NVMX_STATS_EXIT_REASONS] = {
	"EXCEPTION_NMI", "EXTERNAL_INTERRUPT", "TRIPLE_FAULT", "INIT", "SIPI",
	"IO_SMI", "OTHER_SMI", "INTERRUPT_WINDOW", "NMI_WINDOW",
	"TASK_SWITCH",
	/* 10 */
	"CPUID", "GETSEC", "HLT", "INVD", "INVLPG", "RDPMC", "RDTSC", "RSM",
	"VMCALL", "VMCLEAR",
	/* 20 */
	"VMLAUNCH", "VMPTRLD", "VMPTRST", "VMREAD", "VMRESUME", "VMWRITE",
	"VMXOFF", "VMXON", "CR_ACCESS", "DR_ACCESS",
	/* 30 */
	"IO_INSTRUCTION", "RDMSR", "WRMSR", "ENTRY_INVALID_GUEST_STATE",
	"ENTRY_MSR_LOADING", NULL, "MWAIT", "MONITOR_TRAP_FLAG", NULL,
	"MONITOR",
	/* 40 */
	"PAUSE", "ENTRY_MACHINE_CHECK", NULL, "TPR_BELOW_THRESHOLD",
	"APIC_ACCESS", "VIRTUALIZED_EOI", "GDTR_IDTR", "LDTR_TR",
	"EPT_VIOLATION", "EPT_MISCONFIG",
	/* 50 */
	"INVEPT", "RDTSCP", "PREEMPTION_TIMER", "INVVPID", "WBINVD",
	"XSETBV", "APIC_WRITE", "RDRAND", "INVPCID", "VMFUNC",
	/* 60 */
	"ENCLS", "RDSEED", "PML_FULL", "XSAVES", "XRSTORS", "PCONFIG", "SPP",
	"UMWAIT", "TPAUSE", "LOADIWKEY",
	/* 70 */
	"ENCLV", NULL, "ENQCMD_PASID", "ENQCMDS_PASID", "BUS_LOCK",
	"NOTIFY", "SEAMCALL", "TDCALL", "RDMSRLIST", "WRMSRLIST",
};

/* The SDM's name of basic exit reason @reason, or "?". */
const char *vmx_exit_reason_name(unsigned int reason)
{
	if (reason >= ARRAY_SIZE(vmx_exit_names) || !vmx_exit_names[reason])
		return "?";
	return vmx_exit_names[reason];
}

/*
 * Print vCPU @id's counters to @f: a summary line, the nested one (L0's
 * view of L2) if L1 ran a guest, then a line per reason.
 */
void vmm_print_stats(FILE *f, unsigned int id, const struct nvmx_stats *s)
{
	unsigned int i;

	fprintf(f,
		"nvmx: vCPU %u: %llu runs, %llu exits, %llu user exits, %llu EPT faults, %llu injections\n",
		id, (unsigned long long)s->runs, (unsigned long long)s->exits,
		(unsigned long long)s->user_exits,
		(unsigned long long)s->ept_faults,
		(unsigned long long)s->injections);
	if (s->nested_entries || s->nested_exits)
		fprintf(f,
			"nvmx: vCPU %u: nested: %llu entries into L2, %llu exits while L2 ran, %llu of them given to L1\n",
			id, (unsigned long long)s->nested_entries,
			(unsigned long long)s->l2_exits,
			(unsigned long long)s->nested_exits);
	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++)
		if (s->exit_reason[i])
			fprintf(f, "nvmx: vCPU %u:   exit %2u %-26s %llu\n",
				id, i, vmx_exit_reason_name(i),
				(unsigned long long)s->exit_reason[i]);
}

static bool nested_reason_used(const struct nvmx_nested_stats *ns,
			       unsigned int i)
{
	return ns->l2_exits[i] || ns->reflected[i] || ns->synthesized[i] ||
	       ns->l1_exits_after[i];
}

/*
 * Print vCPU @id's nested exits by reason to @f, if L2 ran or L1 got an
 * exit: L2's exits, those reflected to L1 and those L0 handled, the exits
 * nvmx made up for L1, and how many exits L1 took per exit it handled
 * (reflected or made up), from that exit to its next VM entry.
 */
void vmm_print_nested_stats(FILE *f, unsigned int id,
			    const struct nvmx_nested_stats *ns)
{
	unsigned long long l2, refl, synth, after;
	unsigned int i, used = 0;
	char per[24];

	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++)
		used += nested_reason_used(ns, i);
	if (!used)
		return;
	fprintf(f, "nvmx: vCPU %u: nested %-25s %10s %10s %10s %11s %9s\n",
		id, "exit reason", "L2 exits", "reflected", "L0-handled",
		"synthesized", "L1/nested");
	for (i = 0; i < NVMX_STATS_EXIT_REASONS; i++) {
		if (!nested_reason_used(ns, i))
			continue;
		l2 = ns->l2_exits[i];
		refl = ns->reflected[i];
		synth = ns->synthesized[i];
		after = ns->l1_exits_after[i];
		if (refl + synth)
			snprintf(per, sizeof(per), "%.2f",
				 (double)after / (double)(refl + synth));
		else
			snprintf(per, sizeof(per), "-");
		fprintf(f,
			"nvmx: vCPU %u:   %2u %-27s %10llu %10llu %10llu %11llu %9s\n",
			id, i, vmx_exit_reason_name(i), l2, refl,
			l2 >= refl ? l2 - refl : 0, synth, per);
	}
}
