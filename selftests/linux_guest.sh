#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The Linux guest test, run by /init in the emulated VMX machine (vm-run
# --file puts vmlinuz, initrd.cpio, nvmx and linux_lib.sh in /tests/):
# `nvmx run --kernel --cpus 2` boots the same Debian kernel as a guest of
# nvmx on the default command line (APICs, ACPI), with the initramfs of
# linux-initrd.sh, whose /init (linux_init.c) prints a marker line and
# facts, and powers off. Checks the marker, the facts (two CPUs up, the
# timer and the UART through the I/O APIC, TSC clock, RTC time, console
# input), the exit status (0: the guest powered off through ACPI), and
# that no ACPI complaint, panic or oops shows; prints the boot time and
# the exit counts. TAP.
. "$(dirname "$0")/linux_lib.sh"
tap_plan 14
load_nvmx

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
boot_input=/tmp/linux.in
boot linux --memory 128M --cpus 2 --kernel /tests/vmlinuz \
	--initrd /tests/initrd.cpio
kill $feeder 2>/dev/null
wait $feeder 2>/dev/null
out=/tmp/linux.out

[ "$rc" = 0 ]
check $? "nvmx run --kernel ends with status 0 ($rc)"
grep -q '^nvmx-linux-guest: up [0-9]' $out
check $? "the guest's /init ran and printed its marker"
grep -Eq '^nvmx-linux-guest: cpu ".+", vmx flag no, clocksource tsc$' $out
check $? "the guest sees a CPU without VMX and keeps time with the TSC"
# The RTC: the guest's clock, set from it, is the machine's (within 2 min).
now=$(date +%s)
set -- $(sed -n 's/^nvmx-linux-guest: epoch \([0-9]*\), sleep of 100 ms took \([0-9]*\) ms, irq0 \([0-9]*\), irq4 \([0-9]*\)$/\1 \2 \3 \4/p' $out)
[ $# = 4 ] && [ $(($1 - now)) -le 120 ] && [ $((now - $1)) -le 120 ]
check $? "the guest's time comes from the RTC (guest ${1:-?}, machine $now)"
# The PIT's IRQ 0 ended a 100 ms sleep (not much later), the UART's IRQ 4
# carried the console output.
[ $# = 4 ] && [ "$2" -ge 100 ] && [ "$2" -lt 1000 ] && [ "$3" -gt 0 ] &&
	[ "$4" -gt 0 ]
check $? "timer and serial interrupts: sleep ${2:-?} ms, irq0 ${3:-?}, irq4 ${4:-?}"
grep -q '^nvmx-linux-guest: read "hello through the 16550"$' $out
check $? "a line on nvmx run's stdin reached the guest's console"
# SMP: the AP started by INIT and SIPI through the in-kernel APICs.
grep -q 'smp: Brought up 1 node, 2 CPUs' $out &&
	grep -q '^nvmx-linux-guest: cpus online 2$' $out
check $? "Linux brought up 2 CPUs: $(sed -n 's/^nvmx-linux-guest: cpus online //p' $out) online"
# IRQ 0 on pin 2 (the MADT's override), IRQ 4 on pin 4.
grep -Eq '^nvmx-linux-guest: irq 0 [0-9]+ IO-APIC 2-edge timer$' $out
check $? "the timer interrupts through the I/O APIC: $(sed -n 's/^nvmx-linux-guest: irq 0 //p' $out)"
grep -Eq '^nvmx-linux-guest: irq 4 [0-9]+ IO-APIC 4-edge ttyS0$' $out
check $? "the UART interrupts through the I/O APIC: $(sed -n 's/^nvmx-linux-guest: irq 4 //p' $out)"
grep -q 'ACPI: Using IOAPIC for interrupt routing' $out
check $? "Linux uses our ACPI tables and the I/O APIC"
! grep -Eq 'ACPI Error|ACPI BIOS Error|ACPI Warning|Firmware Bug|ACPI: .*[Ff]ailed' $out
check $? "no ACPI error, warning or firmware bug in the guest's log"
grep -q 'nvmx: the guest powered off' $out
check $? "the guest's power-off ended the VM through ACPI (S5)"
! grep -Eq "$guest_bad" $out
check $? "no panic, oops, BUG, WARN or call trace in the guest's output"

unload_nvmx
exit 0
