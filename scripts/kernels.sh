#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Print the kernel releases nvmx is built and tested for: the newest
# installed headers of each Debian LTS series (6.1 and 6.12), amd64 flavour.
set -euo pipefail

for series in 6.1 6.12; do
	ls -d /lib/modules/"$series".*-amd64/build 2>/dev/null |
		sed -n 's|^/lib/modules/\([^/]*\)/build$|\1|p' |
		grep -v -e '-rt-' -e '-cloud-' | sort -V | tail -n 1
done
