#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lib/ is layered: a folder includes only its own headers and those of lower
# folders, never a higher or a sibling one (doc/HACKING.md, "Layout").
# Every #include "..." under lib/ is checked against the ranks below.
. "$(dirname "$0")/../lib.sh"

# folder rank: lower numbers sit lower
rank() {
	case $1 in
	core) echo 0 ;;
	crypto|firmware|net|lvm|root) echo 1 ;;
	iscsi) echo 2 ;;
	iscsi/kernel|mpath) echo 3 ;;
	plan) echo 4 ;;
	*) echo "" ;;
	esac
}

bad=0
files=0
for f in $(cd "$TOP" && find lib -name '*.[ch]' | sort); do
	files=$((files + 1))
	dir=${f#lib/}
	dir=${dir%/*}
	r=$(rank "$dir")
	if [ -z "$r" ]; then
		not_ok "layers: $f is in lib/$dir, which has no rank (tests/cmd/layers.sh)"
		bad=$((bad + 1))
		continue
	fi
	# shellcheck disable=SC2013
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$TOP/$f"); do
		case $inc in
		*..*|/*) not_ok "layers: $f includes \"$inc\": name headers from lib/ (folder/file.h)"
			bad=$((bad + 1)); continue ;;
		esac
		idir=${inc%/*}
		[ "$idir" = "$inc" ] && idir=""
		if [ ! -f "$TOP/lib/$inc" ]; then
			not_ok "layers: $f includes \"$inc\", which is not under lib/"
			bad=$((bad + 1)); continue
		fi
		[ "$idir" = "$dir" ] && continue
		ir=$(rank "$idir")
		if [ -z "$ir" ] || [ "$ir" -ge "$r" ]; then
			not_ok "layers: $f (lib/$dir) includes \"$inc\" (lib/$idir), which is not below it"
			bad=$((bad + 1))
		fi
	done
done
[ "$files" -gt 0 ] || not_ok "layers: no files under lib/"
[ "$bad" = 0 ] && ok "layers: $files files under lib/ include only their own folder and lower ones"
