#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# checkpatch.pl --strict (from Debian's linux-source) on every file of
# src/ and include/. Fails on any error, warning or check.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cp=$top/.cache/linux-source/scripts/checkpatch.pl
[[ -x $cp ]] || "$top/scripts/linux-source.sh"
cd "$top"
mapfile -t files < <(git ls-files -co --exclude-standard 'src/*.[ch]' 'include/*.h')
# No kernel tree around us: --no-tree; spelling.txt and const_structs
# come from the same extraction.
"$cp" --strict --no-tree --terse --show-types --quiet --file \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
	"${files[@]}" && echo "checkpatch: ${#files[@]} files clean"
