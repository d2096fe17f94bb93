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
# Files that expand an X-macro table (VMCS_FIELD(name, encoding) lines)
# into enums and arrays: the macros they define for that are table rows,
# which checkpatch's complex-macro rule mistakes for code.
tables=(src/vmx/vmcs_fields.h)
# The tracepoint header: TRACE_EVENT(...) blocks in the layout of the
# kernel's own include/trace/events/, which --strict's open-ended-line and
# parenthesis-alignment checks do not know.
traces=(src/trace.h)
code=()
for f in "${files[@]}"; do
	[[ " ${tables[*]} ${traces[*]} " == *" $f "* ]] || code+=("$f")
done
# No kernel tree around us: --no-tree; spelling.txt and const_structs
# come from the same extraction.
checkpatch() {
	"$cp" --strict --no-tree --terse --show-types --quiet --file "$@"
}
rc=0
out=$(checkpatch --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG "${code[@]}") || rc=$?
out+=$'\n'$(checkpatch --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,COMPLEX_MACRO \
	"${tables[@]}") || rc=$?
out+=$'\n'$(checkpatch --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT \
	"${traces[@]}") || rc=$?
grep -v '^total: 0 errors, 0 warnings, 0 checks' <<<"$out" || true
# A CHECK alone may not change checkpatch's exit status: look at the lines.
if ((rc)) || grep -qE ': (ERROR|WARNING|CHECK):' <<<"$out"; then
	echo "checkpatch: problems found" >&2
	exit 1
fi
echo "checkpatch: ${#files[@]} files clean"
