#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make demo`: the main job. Boots the emulated VMX machine (Bochs,
# corei7_skylake_x) with the Debian 6.1 kernel, loads nvmx.ko there, shows
# what it found (`nvmx info`), runs the nested demo (a hypervisor guest
# that runs a guest of its own, with per-level exit counts) and the other
# demo guests of tools/guests/ with `nvmx run` (selftests/demo.sh says
# what is checked), and unloads it. Sets up what it needs.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
scripts/linux-source.sh >/dev/null
kver=$(scripts/kernels.sh | sed -n 1p)
scripts/build-kernels.sh "$kver"
make -s -C tools all
guests=()
for g in hello exitcode crash spin nested; do
	guests+=(--file "tools/guests/$g")
done
exec selftests/vm-run --emulator bochs --cpu corei7_skylake_x --kver "$kver" \
	--module "build/$kver/nvmx.ko" --workdir build/vm --name demo \
	--file tools/nvmx "${guests[@]}" --show-console selftests/demo.sh
