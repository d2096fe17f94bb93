/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KVM mode of the Linux guest test's /init (linux_kvm.c): what
 * linux_init.c calls when the kernel command line holds nvmx.kvm=1.
 */
#ifndef NVMX_SELFTESTS_LINUX_KVM_H
#define NVMX_SELFTESTS_LINUX_KVM_H

#include <stdio.h>

int linux_kvm_main(FILE *console);

/* L2's code (linux_kvm_l2.S), copied into L2's memory. */
extern const char l2_start[], l2_end[];

#endif
