#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: selftests/linux-initrd.sh INIT OUT [FILE...]
#
# Writes OUT, the initramfs (cpio, newc format, uncompressed) of the Linux
# guest test: INIT (selftests/linux_init, a static program) as /init, the
# empty directories it mounts on and each FILE in / under its own name
# (the KVM test passes irqbypass.ko, kvm.ko and kvm-intel.ko). /dev/console
# comes from the kernel's own built-in initramfs, which is unpacked first.
set -eu
init=$1
out=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/proc" "$dir/sys" "$dir/dev"
cp "$init" "$dir/init"
chmod 755 "$dir/init"
for f in "$@"; do
	cp "$f" "$dir/$(basename "$f")"
done
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$dir" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) >"$out"
