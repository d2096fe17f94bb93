#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo, run by /init in the emulated VMX machine (see scripts/demo.sh):
# load nvmx.ko, show what it found, unload it. Prints TAP.
echo "TAP version 13"
echo "1..3"
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

rmmod nvmx
check $? "nvmx.ko unloads"
