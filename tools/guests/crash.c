// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest that triple-faults: #UD with an empty IDT becomes #GP, then #DF,
 * then a shutdown, which nvmx run reports with exit status 121.
 */
#include "guest.h"

void guest_main(uint64_t vcpu_id)
{
	if (vcpu_id)
		return;
	console_init();
	console_puts("crash: UD2 without an IDT\n");
	asm volatile("ud2");
	console_puts("crash: still alive after UD2\n");
	debug_exit(1);
}
