#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian packages listed in scripts/debian-packages.txt that are
# not installed yet. Needs root (or sudo). Does nothing when all are there.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/debian-packages.txt")

missing=()
for p in "${wanted[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	echo "deps: all ${#wanted[@]} packages are installed"
	exit 0
fi

sudo=()
((EUID == 0)) || sudo=(sudo)
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
