#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's multipath-tools, unpacked under build/multipath-tools rather than
# installed, for the VM test that compares its map with sanroot's
# (tests/vm/multipath-tools.sh). The host never runs it.
#
#   scripts/multipath-tools.sh fetch   download multipath-tools and the library
#                                      packages it depends on that the host lacks
#                                      (apt-get download), unpack them (dpkg-deb -x)
#                                      and check that sbin/multipath and every
#                                      plugin in lib/multipath resolve their
#                                      libraries (ldd); nothing if it is there
#   scripts/multipath-tools.sh dir     print the unpacked tree
#   scripts/multipath-tools.sh version print the unpacked package's version
#   scripts/multipath-tools.sh libpath print the LD_LIBRARY_PATH that finds the
#                                      unpacked libraries on the host (for ldd)
#
# MPT_DIR (a path) overrides build/multipath-tools.
set -u
prog=scripts/multipath-tools.sh
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${MPT_DIR:-$top/build/multipath-tools}
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

die() { echo "$prog: $*" >&2; exit 1; }

libpath() { echo "$1/lib:$1/usr/lib/$multiarch:$1/lib/$multiarch"; }

# unresolved ROOT: the libraries sbin/multipath or a plugin cannot find, one a line
unresolved() {
	for _f in "$1/sbin/multipath" "$1"/lib/multipath/*.so; do
		LD_LIBRARY_PATH=$(libpath "$1") ldd "$_f" 2>/dev/null | awk '$3 == "not" { print $1 }'
	done | sort -u
}

fetch() {
	[ -x "$dir/sbin/multipath" ] && [ -s "$dir/version" ] && return 0
	command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
		die "unable to fetch multipath-tools: apt-get and dpkg-deb are needed (Debian)"
	mkdir -p "$dir.tmp" || exit 111
	rm -rf "$dir.tmp"/* 2>/dev/null
	# apt-get download drops privileges to _apt, which must be able to write.
	chmod 777 "$dir.tmp"
	echo "multipath-tools: downloading (unpacked under ${dir#"$top"/}, not installed)"
	(cd "$dir.tmp" && apt-get download -q multipath-tools >download.log 2>&1) ||
		die "apt-get download multipath-tools failed, see $dir.tmp/download.log"
	deb=$(ls "$dir.tmp"/multipath-tools_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "apt-get download multipath-tools left no .deb"
	# The library packages among its Depends that the host does not have (on
	# Debian 12: liburcu8); the others (libaio1, libdevmapper1.02.1, libudev1...)
	# are the host's, and ldd finds them there.
	libs=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/([^)]*)//; s/|.*//; s/[[:space:]]//g' |
		grep '^lib' | while read -r p; do
			dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || echo "$p"
		done)
	if [ -n "$libs" ]; then
		# shellcheck disable=SC2086 # a list of names
		(cd "$dir.tmp" && apt-get download -q $libs >>download.log 2>&1) ||
			die "apt-get download $(echo "$libs" | tr '\n' ' ')failed, see $dir.tmp/download.log"
	fi
	mkdir -p "$dir.tmp/root" || exit 111
	for d in "$dir.tmp"/*.deb; do
		dpkg-deb -x "$d" "$dir.tmp/root" || die "dpkg-deb -x $d failed"
	done
	dpkg-deb -f "$deb" Version >"$dir.tmp/root/version"
	missing=$(unresolved "$dir.tmp/root")
	[ -z "$missing" ] || die "the unpacked multipath cannot find: $(echo "$missing" | tr '\n' ' ')"
	rm -rf "$dir" && mv "$dir.tmp/root" "$dir" && rm -rf "$dir.tmp" ||
		die "unable to move multipath-tools into $dir"
	chmod 755 "$dir"
	echo "multipath-tools: $(cat "$dir/version") in ${dir#"$top"/}"
}

have() { [ -x "$dir/sbin/multipath" ] && [ -s "$dir/version" ] ||
	die "no multipath-tools under $dir (scripts/multipath-tools.sh fetch)"; }

case ${1:-} in
fetch) fetch ;;
dir) have; echo "$dir" ;;
version) have; cat "$dir/version" ;;
libpath) have; libpath "$dir" ;;
-h|--help) sed -n '3,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
*) echo "usage: $prog fetch | dir | version | libpath" >&2; exit 100 ;;
esac
