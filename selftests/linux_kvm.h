/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KVM mode of the Linux guest test's /init (linux_kvm.c): what
 * linux_init.c calls when the kernel command line holds nvmx.kvm=1.
 */
#ifndef NVMX_SELFTESTS_LINUX_KVM_H
#define NVMX_SELFTESTS_LINUX_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct kvm_run;

/**
 * struct l2_vm - a VM of L1's KVM for one L2: @mem as its one memory
 *	slot at guest-physical 0, one vCPU and its run page
 * @who: the prefix of the lines printed about it
 * @kvm: /dev/kvm
 * @vm: the VM
 * @vcpu: its vCPU
 * @run: the vCPU's run page, @run_size bytes
 * @run_size: see @run
 * @mem: L2's memory, @mem_size bytes
 * @mem_size: see @mem
 * @line: L2's text on port 0xe9 up to its newline, @len bytes so far
 * @len: see @line
 */
struct l2_vm {
	const char *who;
	int kvm, vm, vcpu;
	struct kvm_run *run;
	int run_size;
	uint8_t *mem;
	size_t mem_size;
	char line[128];
	size_t len;
};

int linux_kvm_main(FILE *console);
void linux_kvm_print_exit(FILE *out, const char *who,
			  const struct kvm_run *run);
int l2_vm_open(FILE *out, struct l2_vm *g, const char *who, size_t mem_size,
	       bool irqchip);
void l2_vm_close(struct l2_vm *g);
int l2_vm_run(FILE *out, struct l2_vm *g);
bool l2_vm_print(FILE *out, struct l2_vm *g);

/* The 64-bit L2 with KVM's irqchip (linux_kvm64.c). */
int linux_kvm_l2_64(FILE *out, unsigned int n);

/* L2s' code (linux_kvm_l2.S, linux_kvm_l2_64.S), copied into L2 memory. */
extern const char l2_start[], l2_end[];
extern const char l2_64_start[], l2_64_end[], l2_64_tick[];

#endif
