#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The Multiboot test, run by /init in the emulated VMX machine (vm-run
# --file puts nvmx and the multiboot_* kernels in /tests/): `nvmx run
# --kernel` boots the project's Multiboot test kernel
# (selftests/multiboot/) with three modules of random contents and
# sizes (the first through --initrd, one with arguments that carry its
# CRC-32, one empty) and a command line with a random token. The kernel
# checks its entry state and the Multiboot information and ends with
# status 100 if all is well; this script checks that status and what the
# kernel printed (command line, module strings, lengths and CRC-32s)
# against what it passed; then the same kernel as a flat binary loaded by
# the a.out kludge; then that bad kernels and modules are refused with
# status 2 and a reason. TAP, with linux_lib.sh's helpers (vm-run --file
# puts it in /tests/ too).
. "$(dirname "$0")/linux_lib.sh"
tap_plan 11
load_nvmx

K=/tests/multiboot_kernel
rand() {
	od -An -N2 -tu2 /dev/urandom | tr -d ' '
}
len1=$(($(rand) + 1))
len2=$(($(rand) % 20000 + 1))
head -c $len1 /dev/urandom >/tmp/mb.initrd
head -c $len2 /dev/urandom >/tmp/mb.mod2
: >/tmp/mb.empty
crc1=$(crc32 /tmp/mb.initrd | cut -d' ' -f1)
crc2=$(crc32 /tmp/mb.mod2 | cut -d' ' -f1)
crc0=$(crc32 /tmp/mb.empty | cut -d' ' -f1)
token=$(rand)-$(rand)
append="token=$token mods=3"
echo "# nvmx run --memory 32M --kernel $K --initrd /tmp/mb.initrd --module '/tmp/mb.mod2,crc=$crc2 x=1' --module /tmp/mb.empty --append '$append'"
timeout -s INT 600 /tests/nvmx run --memory 32M --stats --kernel $K \
	--initrd /tmp/mb.initrd --module "/tmp/mb.mod2,crc=$crc2 x=1" \
	--module /tmp/mb.empty --append "$append" >/tmp/mb.out 2>&1
rc=$?
sed 's/^/# /' /tmp/mb.out
[ "$rc" = 100 ]
check $? "the test kernel's checks all passed (status $rc, 100 expected)"
grep -q '^mbtest: magic 2badb002 info 00010000 flags 0000024d eflags 00000002 cr0 00000011$' /tmp/mb.out
check $? "entry: EAX magic, EBX info, info flags, EFLAGS 0x2, CR0 PE|ET"
grep -qxF "mbtest: cmdline \"$K $append\"" /tmp/mb.out
check $? "the command line is the kernel's path and --append"
grep -qx 'mbtest: mem_lower 639 mem_upper 31744' /tmp/mb.out &&
	grep -qx 'mbtest: mmap 0000000000100000 +0000000001f00000 type 1' /tmp/mb.out
check $? "mem_lower/mem_upper and the memory map of 32M"
grep -qxF 'mbtest: loader "nvmx"' /tmp/mb.out && grep -qx 'mbtest: mods 3' /tmp/mb.out
check $? "the boot loader's name and three modules"
grep -Eq "^mbtest: mod 0 start [0-9a-f]{5}000 len $len1 crc $crc1 string \"/tmp/mb.initrd\"\$" /tmp/mb.out &&
	grep -Eq "^mbtest: mod 1 start [0-9a-f]{5}000 len $len2 crc $crc2 string \"/tmp/mb.mod2 crc=$crc2 x=1\"\$" /tmp/mb.out &&
	grep -Eq "^mbtest: mod 2 start [0-9a-f]{5}000 len 0 crc $crc0 string \"/tmp/mb.empty\"\$" /tmp/mb.out
check $? "modules: lengths $len1, $len2, 0 and CRC-32s $crc1, $crc2 as passed, strings"

# The same kernel as a flat binary, loaded by its header's a.out-kludge
# addresses (Multiboot flag 16), with one module.
echo "# nvmx run --memory 16M --kernel /tests/multiboot_aout --module '/tmp/mb.mod2,crc=$crc2' --append aout"
timeout -s INT 600 /tests/nvmx run --memory 16M --kernel /tests/multiboot_aout \
	--module "/tmp/mb.mod2,crc=$crc2" --append aout >/tmp/mb.out 2>&1
rc=$?
sed 's/^/# /' /tmp/mb.out
[ "$rc" = 100 ] && grep -qxF 'mbtest: cmdline "/tests/multiboot_aout aout"' /tmp/mb.out &&
	grep -Eq "^mbtest: mod 0 start [0-9a-f]{5}000 len $len2 crc $crc2 " /tmp/mb.out
check $? "the a.out-kludge build boots too (status $rc)"

# Refusals: status 2 and a reason, before any VM is created.
/tests/nvmx run --kernel /tests/multiboot_badsum >/tmp/mb.bad 2>&1
rc=$?
sed 's/^/# /' /tmp/mb.bad
[ "$rc" = 2 ] && grep -q 'bad checksum' /tmp/mb.bad
check $? "a bad header checksum is refused (status $rc)"
/tests/nvmx run --kernel /tests/nvmx >/tmp/mb.bad 2>&1
rc=$?
sed 's/^/# /' /tmp/mb.bad
[ "$rc" = 2 ] && grep -q 'neither a Linux bzImage' /tmp/mb.bad
check $? "a file that is no kernel is refused (status $rc)"
head -c 3000000 /dev/urandom >/tmp/mb.big
/tests/nvmx run --memory 2M --kernel $K --module /tmp/mb.big >/tmp/mb.bad 2>&1
rc=$?
sed 's/^/# /' /tmp/mb.bad
[ "$rc" = 2 ] && grep -q 'does not fit' /tmp/mb.bad
check $? "a module larger than guest memory is refused (status $rc)"
rm -f /tmp/mb.initrd /tmp/mb.mod2 /tmp/mb.empty /tmp/mb.big

unload_nvmx
exit 0
