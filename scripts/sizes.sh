#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Print each static tool's size and its change since the last build that printed it;
# the total is that of the separate tools, the multi-call binary 'sanroot' aside.
#   scripts/sizes.sh DIR TOOL...
set -eu
dir=$1; shift
last=$dir/.sizes
total=0
printf '%-16s %9s %9s\n' tool bytes change
for t in "$@"; do
	size=$(stat -c %s "$dir/$t")
	[ "$t" = sanroot ] || total=$((total + size))
	old=$(awk -v t="$t" '$1 == t { print $2 }' "$last" 2>/dev/null || true)
	if [ -n "$old" ] && [ "$old" != "$size" ]; then
		change=$(printf '%+d' $((size - old)))
	else
		change=
	fi
	printf '%-16s %9d %9s\n' "$t" "$size" "$change"
done
printf '%-16s %9d   (the separate tools; sanroot is all of them in one binary)\n' total "$total"
for t in "$@"; do echo "$t $(stat -c %s "$dir/$t")"; done >"$last"
