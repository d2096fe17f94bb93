#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make check`: every test nvmx has, in order, stopping at the first failure.
# Installs the Debian packages it needs first (scripts/deps.sh).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
t_start=$SECONDS
declare -a done_steps=()

step() {
	local name=$1 t0=$SECONDS
	shift
	echo
	echo "=== check: $name"
	if ! "$@"; then
		echo "=== check: $name FAILED after $((SECONDS - t0)) s" >&2
		exit 1
	fi
	done_steps+=("$(printf '%-12s %4d s' "$name" $((SECONDS - t0)))")
}

step deps scripts/deps.sh
step harness scripts/linux-source.sh
step kernels scripts/build-kernels.sh
step checkpatch scripts/checkpatch.sh
step sparse scripts/build-kernels.sh --sparse
step unit make -C selftests/unit run
step fuzz make -C selftests/fuzz run
step tools make -C tools
step selftests make -C selftests
step dkms scripts/dkms-test.sh
step vm scripts/vm-tests.sh

echo
echo "=== check: passed in $((SECONDS - t_start)) s"
printf '  %s\n' "${done_steps[@]}"
