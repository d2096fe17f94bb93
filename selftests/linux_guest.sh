#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The Linux guest test, run by /init in the emulated VMX machine (vm-run
# --file puts vmlinuz, initrd.cpio and nvmx in /tests/): `nvmx run
# --kernel` boots the same Debian kernel as a guest of nvmx, with the
# initramfs of linux-initrd.sh, whose /init (linux_init.c) prints a marker
# line and reboots. Checks the marker, the facts it prints, the exit
# status (0: the guest reset the machine through the i8042) and that no
# panic or oops shows; prints the boot time and the exit counts. TAP.
echo "TAP version 13"
echo "1..9"
n=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

loaded=0
if [ ! -e /dev/nvmx ]; then
	insmod "$NVMX_MODULE" && loaded=1
fi
[ -e /dev/nvmx ]
check $? "/dev/nvmx is there"

limit=${NVMX_LINUX_TIMEOUT:-1500}
echo "# nvmx run --memory 128M --stats --kernel /tests/vmlinuz --initrd /tests/initrd.cpio (timeout ${limit}s)"
# Console input: a line on nvmx run's stdin once the guest asks for it.
rm -f /tmp/linux.in /tmp/linux.raw
mkfifo /tmp/linux.in
(
	i=0
	while [ $i -lt 6000 ] && ! grep -q 'type a line' /tmp/linux.raw 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "hello through the 16550"
) >/tmp/linux.in &
feeder=$!
start=$(cut -d' ' -f1 /proc/uptime)
timeout -s INT "$limit" /tests/nvmx run --memory 128M --stats \
	--kernel /tests/vmlinuz --initrd /tests/initrd.cpio \
	</tmp/linux.in >/tmp/linux.raw 2>&1
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
kill $feeder 2>/dev/null
wait $feeder 2>/dev/null
# The guest's tty ends its lines with CR LF.
tr -d '\r' </tmp/linux.raw >/tmp/linux.out
# The guest's kernel log is quoted, for vm-run to leave to this test.
sed 's/^/# guest> /' /tmp/linux.out
echo "# exit status $rc"
[ "$rc" = 0 ]
check $? "nvmx run --kernel ends with status 0 ($rc)"

grep -q '^nvmx-linux-guest: up [0-9]' /tmp/linux.out
check $? "the guest's /init ran and printed its marker"
grep -Eq '^nvmx-linux-guest: cpu ".+", vmx flag no, clocksource tsc$' /tmp/linux.out
check $? "the guest sees a CPU without VMX and keeps time with the TSC"
# The RTC: the guest's clock, set from it, is the machine's (within 2 min).
now=$(date +%s)
set -- $(sed -n 's/^nvmx-linux-guest: epoch \([0-9]*\), sleep of 100 ms took \([0-9]*\) ms, irq0 \([0-9]*\), irq4 \([0-9]*\)$/\1 \2 \3 \4/p' /tmp/linux.out)
[ $# = 4 ] && [ $(($1 - now)) -le 120 ] && [ $((now - $1)) -le 120 ]
check $? "the guest's time comes from the RTC (guest ${1:-?}, machine $now)"
# The PIT's IRQ 0 ended a 100 ms sleep (not much later), the UART's IRQ 4
# carried the console output.
[ $# = 4 ] && [ "$2" -ge 100 ] && [ "$2" -lt 1000 ] && [ "$3" -gt 0 ] &&
	[ "$4" -gt 0 ]
check $? "timer and serial interrupts: sleep ${2:-?} ms, irq0 ${3:-?}, irq4 ${4:-?}"
grep -q '^nvmx-linux-guest: read "hello through the 16550"$' /tmp/linux.out
check $? "a line on nvmx run's stdin reached the guest's console"
grep -q 'reset the machine' /tmp/linux.out
check $? "the guest's reboot reset the machine through the i8042"
# As vm-run judges the host: "WARNING: CPU:" is a WARN(), a plain
# "WARNING:" a notice (RETBleed's); unchecked MSR accesses show a trace.
! grep -Eq 'Kernel panic|Oops|BUG:|WARNING: CPU:|WARNING: at |Call Trace|general protection' /tmp/linux.out
check $? "no panic, oops, BUG, WARN or call trace in the guest's output"

# Seconds of the emulated machine's clock (its TSC) that nvmx run took,
# and the guest's own uptime at its marker (the guest's TSC).
up=$(sed -n 's/^nvmx-linux-guest: up \([0-9.]*\).*/\1/p' /tmp/linux.out)
echo "# Linux guest: nvmx run took $(awk "BEGIN { print $end - $start }") s (host uptime $start -> $end); guest uptime at the marker $up s"
grep -E '^nvmx: vCPU 0: ' /tmp/linux.out | sed 's/^/# stats: /' | head -n 40
[ "$loaded" = 1 ] && rmmod nvmx
exit 0
