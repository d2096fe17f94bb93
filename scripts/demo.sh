#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make demo`: the main job. Boots the emulated VMX machine (Bochs,
# corei7_skylake_x) with the Debian 6.1 kernel, loads nvmx.ko there, shows
# what it found (`nvmx info`), runs the nested demo (a hypervisor guest
# that runs a guest of its own, with per-level exit counts) and the other
# demo guests of tools/guests/ with `nvmx run` (selftests/demo.sh says
# what is checked). Second act: the same Debian kernel boots as L1 under
# nvmx with VMX exposed, on two vCPUs with APICs and ACPI, loads its own
# kvm_intel and runs two L2s through /dev/kvm (selftests/linux_kvm.sh).
# Sets up what it needs.
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
# Act 2: the kernel, and an initramfs with our init and the kvm modules.
vmlinuz=$(selftests/vm-run --kver "$kver" --fetch-only)
kmods=$(scripts/kvm-modules.sh "$kver") ||
	{ echo "demo: no kvm modules for $kver" >&2; exit 1; }
mkdir -p build/vm
make -s -C selftests linux_init
selftests/linux-initrd.sh selftests/linux_init build/vm/initrd-kvm.cpio \
	"$kmods/kernel/virt/lib/irqbypass.ko" \
	"$kmods/kernel/arch/x86/kvm/kvm.ko" \
	"$kmods/kernel/arch/x86/kvm/kvm-intel.ko"
cp "$vmlinuz" build/vm/vmlinuz
# linux_kvm.sh quotes the L1 kernel's log and judges it itself.
NVMX_VM_IGNORE='^# guest> ' exec selftests/vm-run --emulator bochs \
	--cpu corei7_skylake_x --kver "$kver" --mem 512 --timeout 3600 \
	--module "build/$kver/nvmx.ko" --workdir build/vm --name demo \
	--file tools/nvmx "${guests[@]}" --file build/vm/vmlinuz \
	--file build/vm/initrd-kvm.cpio --file selftests/linux_lib.sh --show-console \
	selftests/demo.sh selftests/linux_kvm.sh
