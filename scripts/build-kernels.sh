#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build nvmx.ko for each kernel release given (default: scripts/kernels.sh)
# with W=1 and -Werror, each in its own tree under build/<release>/.
# With --sparse, also run sparse (C=1) and fail on any sparse warning.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
sparse=0
if [[ ${1:-} == --sparse ]]; then
	sparse=1
	shift
fi
kvers=("$@")
((${#kvers[@]})) || mapfile -t kvers < <("$top/scripts/kernels.sh")
if ((${#kvers[@]} == 0)); then
	echo "build-kernels: no kernel headers found: run 'make deps'" >&2
	exit 1
fi

for kver in "${kvers[@]}"; do
	kdir=/lib/modules/$kver/build
	out=$top/build/$kver
	if [[ ! -d $kdir ]]; then
		echo "build-kernels: no headers for $kver: apt install linux-headers-$kver" >&2
		exit 1
	fi
	rm -rf "$out"
	mkdir -p "$out"
	(cd "$top" && git ls-files -co --exclude-standard Kbuild src include) |
		(cd "$top" && xargs cp --parents -t "$out")
	log=$out/build.log
	args=(W=1)
	((sparse)) && args+=(C=2 CHECK="sparse -Wsparse-error")
	echo "build-kernels: $kver$( ((sparse)) && echo " (sparse)")"
	if ! make -C "$kdir" M="$out" "${args[@]}" modules >"$log" 2>&1; then
		cat "$log" >&2
		echo "build-kernels: $kver: build failed" >&2
		exit 1
	fi
	# -Werror covers the compiler; sparse and modpost only warn.
	if grep -E 'warning:|error:' "$log" | grep -v 'Skipping BTF' >&2; then
		echo "build-kernels: $kver: warnings (see $log)" >&2
		exit 1
	fi
	echo "build-kernels: $kver: $out/nvmx.ko"
done
