#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make demo`: the main job. Boots the emulated VMX machine (Bochs,
# corei7_skylake_x) with the Debian 6.1 kernel, loads nvmx.ko there and shows
# what it found (`nvmx info`), and unloads it. Sets up what it needs.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
scripts/linux-source.sh >/dev/null
kver=$(scripts/kernels.sh | sed -n 1p)
scripts/build-kernels.sh "$kver"
make -s -C tools
exec selftests/vm-run --emulator bochs --cpu corei7_skylake_x --kver "$kver" \
	--module "build/$kver/nvmx.ko" --workdir build/vm --name demo \
	--file tools/nvmx --show-console selftests/demo.sh
