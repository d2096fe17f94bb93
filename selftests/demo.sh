#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo, run by /init in the emulated VMX machine (see scripts/demo.sh):
# load nvmx.ko, show what it found, run the demo guests of tools/guests/
# with `nvmx run` (vm-run --file puts them in /tests/), first the nested
# one (a hypervisor guest that runs a guest of its own), look at a running
# guest with `nvmx stat`, unload it. Prints TAP.
echo "TAP version 13"
echo "1..20"
n=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

echo "# insmod $NVMX_MODULE"
insmod "$NVMX_MODULE"
check $? "nvmx.ko loads"
dmesg | grep 'nvmx:' | sed 's/^/# /'

echo "# nvmx info"
/tests/nvmx info | sed 's/^/# /'
/tests/nvmx info >/dev/null
check $? "nvmx info talks to /dev/nvmx"

# nvmx run GUEST [OPTIONS]: its output (stdout and stderr) as comments,
# its exit status in $rc and its output in $out.
run() {
	guest=$1
	shift
	set -- "$@" "/tests/$guest"
	echo "# nvmx run $*"
	out=$(/tests/nvmx run "$@" 2>&1)
	rc=$?
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
	echo "# exit status $rc"
}

# Act 1: nested virtualization. L1 runs L2, which prints through L1.
run nested --expose-virtualization-extensions --stats
check $rc "nvmx run nested: L1 ran L2 to its end (status $rc)"
echo "$out" | grep -q '^hello from L2, a guest of a guest$'
check $? "L2 printed through the serial port L1 emulates for it"
echo "$out" | grep -q '^my hypervisor says it is "nvmx L1 demo"$'
check $? "L2's CPUID was answered by L1"
echo "$out" | grep -Eq 'nested: [1-9][0-9]* entries into L2'
check $? "nvmx counted L1's entries into L2 and the exits L1 got"
echo "$out" | grep -Eq 'nested exit reason +L2 exits +reflected +L0-handled +synthesized +L1/nested' &&
	echo "$out" | grep -Eq '^nvmx: vCPU 0: +10 CPUID +[1-9][0-9]* +[1-9][0-9]* +[0-9]+ +0 +[0-9]+\.[0-9][0-9]$'
check $? "--stats: L2's CPUID exits, reflected to L1, in the table by reason"
run nested
[ "$rc" = 3 ] && echo "$out" | grep -q 'no VMX here'
check $? "without --expose-virtualization-extensions L1 finds no VMX ($rc)"

# Act 2: the VMM's own devices, with plain guests.
run hello --stats
check $rc "nvmx run hello: the guest passed its checks (status $rc)"
echo "$out" | grep -q '^hello from a 64-bit nvmx guest$'
check $? "hello printed its greeting through the 16550"
echo "$out" | grep -q '^hello: all checks passed$'
check $? "hello: MMIO, ports, CPUID and VMCALL as nvmx run promises"

echo "$out" | grep -q '^vmx: hidden$'
check $? "hello does not see VMX by default"
run hello --expose-virtualization-extensions
echo "$out" | grep -q '^vmx: visible$'
check $? "hello sees VMX with --expose-virtualization-extensions (status $rc)"

run hello --cpus 2 --memory 32M
check $rc "nvmx run --cpus 2 hello (status $rc)"

run exitcode
[ "$rc" = 42 ]
check $? "the debug-exit port gives the exit status (42: $rc)"

run crash
[ "$rc" = 121 ] && echo "$out" | grep -q 'shut down (triple fault)'
check $? "a triple fault is reported with status 121 ($rc)"

# A guest that never ends: SIGINT must stop it (status 130). A background
# command of a script ignores SIGINT until nvmx run installs its handler,
# so wait for the guest's first line before sending it.
echo "# nvmx run /tests/spin, then SIGINT"
/tests/nvmx run /tests/spin >/tmp/spin.out 2>&1 &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q spinning /tmp/spin.out; do
	sleep 0.1
	i=$((i + 1))
done
# nvmx stat reads the running VM's counters from debugfs.
mount -t debugfs none /sys/kernel/debug 2>/dev/null
echo "# nvmx stat --once $pid"
out=$(/tests/nvmx stat --once $pid 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ "$rc" = 0 ] && echo "$out" | grep -Eq "^VM [0-9]+ of process $pid " &&
	echo "$out" | grep -Eq '^nvmx: vCPU 0: [1-9][0-9]* runs, [1-9][0-9]* exits'
check $? "nvmx stat --once PID shows the running VM's vCPU ($rc)"
kill -INT $pid
i=0
while [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $pid 2>/dev/null; then
	echo "# nvmx run did not stop on SIGINT: killing it"
	kill -KILL $pid
fi
wait $pid
rc=$?
sed 's/^/# /' /tmp/spin.out
[ "$rc" = 130 ]
check $? "SIGINT stops a running guest with status 130 ($rc)"
out=$(/tests/nvmx stat --once $pid 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ "$rc" = 1 ] && echo "$out" | grep -q "process $pid has no VM"
check $? "the VM's debugfs files went with it: nvmx stat finds none ($rc)"

rmmod nvmx
check $? "nvmx.ko unloads"
