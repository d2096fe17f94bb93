#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# What the tests of `nvmx run --kernel` (linux_guest.sh, linux_kvm.sh,
# multiboot_test.sh) share, sourced by them from their own directory
# (vm-run --file puts it in /tests/ next to them): TAP counting, loading
# nvmx.ko, and booting a Linux guest with
# `nvmx run --kernel` whose output is quoted for the log and kept for the
# checks.

# tap_plan N: the TAP header for N checks.
tap_plan() {
	echo "TAP version 13"
	echo "1..$1"
	n=0
}

# check STATUS DESCRIPTION: one TAP line, ok if STATUS is 0.
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# load_nvmx: insmod $NVMX_MODULE unless /dev/nvmx is there (one check).
load_nvmx() {
	loaded=0
	if [ ! -e /dev/nvmx ]; then
		insmod "$NVMX_MODULE" && loaded=1
	fi
	[ -e /dev/nvmx ]
	check $? "/dev/nvmx is there"
}

# unload_nvmx: rmmod what load_nvmx loaded.
unload_nvmx() {
	if [ "$loaded" = 1 ]; then rmmod nvmx; fi
}

limit=${NVMX_LINUX_TIMEOUT:-1500}

# boot NAME [nvmx run options]: runs `nvmx run --stats OPTIONS` with stdin
# from $boot_input (default /dev/null) under a timeout, its output (the
# guest's console and nvmx's messages, CR LF made LF) in /tmp/NAME.out;
# sets rc (the exit status) and up (the guest's uptime when its /init
# printed its marker), and prints the guest's log quoted, the time taken
# and each vCPU's exit counts.
boot() {
	name=$1
	shift
	echo "# nvmx run --stats $* (timeout ${limit}s)"
	start=$(cut -d' ' -f1 /proc/uptime)
	timeout -s INT "$limit" /tests/nvmx run --stats "$@" \
		<"${boot_input:-/dev/null}" >/tmp/$name.raw 2>&1
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	tr -d '\r' </tmp/$name.raw >/tmp/$name.out
	# Quoted, for vm-run to leave the guest's kernel log to the test.
	grep -Ev '^nvmx: vCPU [0-9]+: ' /tmp/$name.out | sed 's/^/# guest> /'
	echo "# exit status $rc"
	up=$(sed -n 's/^nvmx-linux-guest: up \([0-9.]*\).*/\1/p' /tmp/$name.out)
	echo "# $name: nvmx run took $(awk "BEGIN { print $end - $start }") s of the machine's clock; the guest's uptime when its /init ran: ${up:-?} s"
	grep -E '^nvmx: vCPU [0-9]+: ' /tmp/$name.out | sed 's/^/# stats: /' |
		head -n 80
}

# Kernel messages that mean trouble in a guest's log: as vm-run judges
# the host, "WARNING: CPU:" is a WARN(), a plain "WARNING:" a notice
# (RETBleed's); unchecked MSR accesses show a call trace.
guest_bad='Kernel panic|Oops|BUG:|WARNING: CPU:|WARNING: at |Call Trace|general protection'
