// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest that never ends by itself, for testing that SIGINT stops nvmx
 * run (exit status 130) while a vCPU is in the guest.
 */
#include "guest.h"

void guest_main(uint64_t vcpu_id)
{
	if (vcpu_id)
		return;
	console_init();
	console_puts("spin: spinning until interrupted\n");
	for (;;)
		asm volatile("pause");
}
