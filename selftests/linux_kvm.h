/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KVM mode of the Linux guest test's /init (linux_kvm.c): what
 * linux_init.c calls when the kernel command line holds nvmx.kvm=1.
 */
#ifndef NVMX_SELFTESTS_LINUX_KVM_H
#define NVMX_SELFTESTS_LINUX_KVM_H

#include <stdio.h>

struct kvm_run;

int linux_kvm_main(FILE *console);
void linux_kvm_print_exit(FILE *out, const char *who,
			  const struct kvm_run *run);

/* The 64-bit L2 with KVM's irqchip (linux_kvm64.c). */
int linux_kvm_l2_64(FILE *out, unsigned int n);

/* L2s' code (linux_kvm_l2.S, linux_kvm_l2_64.S), copied into L2 memory. */
extern const char l2_start[], l2_end[];
extern const char l2_64_start[], l2_64_end[], l2_64_tick[];

#endif
