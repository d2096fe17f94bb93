#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract from Debian's linux-source-6.1 the few files nvmx's tests use (the
# kselftest harness and checkpatch.pl) into .cache/linux-source/.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dest=$top/.cache/linux-source
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
if [[ -z $tarball ]]; then
	echo "linux-source: /usr/src/linux-source-6.1.tar.xz is missing: run 'make deps' (package linux-source-6.1)" >&2
	exit 1
fi
files=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" "${files[@]/#/linux-source-6.1/}"
mkdir -p "$dest"
cp -a "$tmp"/linux-source-6.1/. "$dest"/
echo "linux-source: extracted ${#files[@]} files into $dest"
