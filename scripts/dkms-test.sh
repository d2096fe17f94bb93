#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install nvmx through DKMS, exactly as an admin would, from a clean copy of
# the tracked files: dkms add, build and install for each kernel given
# (default: scripts/kernels.sh). Leaves the module installed in
# /lib/modules/<kernel>/updates/dkms/, where the VM tests take it from, so
# the packaged module is the tested one. Needs root.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kvers=("$@")
((${#kvers[@]})) || mapfile -t kvers < <("$top/scripts/kernels.sh")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Start from nothing: an earlier run may have left nvmx in DKMS.
# (No "| grep -q": with pipefail, grep's early exit fails the pipeline.)
if [[ -n $(dkms status -m nvmx -v "$version" 2>/dev/null) ]]; then
	dkms remove -m nvmx -v "$version" --all >/dev/null
fi
rm -rf "/usr/src/nvmx-$version"

src=$stage/nvmx-$version
mkdir -p "$src"
(cd "$top" && git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$src")
dkms add "$src"
for kver in "${kvers[@]}"; do
	dkms build -m nvmx -v "$version" -k "$kver"
	dkms install -m nvmx -v "$version" -k "$kver" --force
	ko=$(ls "/lib/modules/$kver/updates/dkms/"nvmx.ko* 2>/dev/null | head -n 1)
	if [[ -z $ko ]]; then
		echo "dkms-test: $kver: no nvmx.ko installed" >&2
		exit 1
	fi
	vermagic=$(modinfo -F vermagic "$ko")
	if [[ $vermagic != "$kver "* ]]; then
		echo "dkms-test: $kver: $ko has vermagic '$vermagic'" >&2
		exit 1
	fi
	echo "dkms-test: $kver: installed $ko"
done
dkms status -m nvmx
