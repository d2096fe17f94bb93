// SPDX-License-Identifier: GPL-2.0-only
/* A guest that ends with exit status 42, through the debug-exit port. */
#include "guest.h"

void guest_main(uint64_t vcpu_id)
{
	if (vcpu_id)
		return;
	console_init();
	console_puts("exitcode: exiting with status 42\n");
	debug_exit(42);
}
