#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The directory that holds the kvm modules of kernel KVER (the installed
# ones, or those of the package selftests/vm-run fetched into the cache):
# for the tests and the demo that load KVM inside an emulated machine.
#
# usage: scripts/kvm-modules.sh KVER    (prints the directory; status 1
#                                       when there is none)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kver=${1:?usage: kvm-modules.sh KVER}
for d in "/lib/modules/$kver" "${NVMX_CACHE:-$top/.cache/kernels}/$kver/lib/modules/$kver"; do
	if [[ -f $d/kernel/arch/x86/kvm/kvm-intel.ko ]]; then
		echo "$d"
		exit 0
	fi
done
exit 1
