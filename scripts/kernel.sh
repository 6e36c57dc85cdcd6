#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest kernel: Debian's linux-image-amd64, unpacked under build/kernel
# rather than installed, so that the host's /boot, its boot loader and its
# initramfs are never touched.
#
#   scripts/kernel.sh fetch        download the package linux-image-amd64
#                                  depends on today (apt-get download),
#                                  unpack it (dpkg-deb -x) and run depmod
#                                  there; nothing if it is there already
#   scripts/kernel.sh version      print the unpacked kernel's version
#   scripts/kernel.sh dir          print the unpacked tree (boot/, lib/modules/)
#   scripts/kernel.sh run CMD...   run CMD in a private mount namespace where
#                                  /boot and /lib/modules are the unpacked
#                                  package's: Debian's mkinitramfs and dracut
#                                  find their kernel where they look for it,
#                                  and the host sees none of it
#
# KERNEL_DIR overrides build/kernel (relative to the tree's top).
set -u
prog=scripts/kernel.sh
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${KERNEL_DIR:-$top/build/kernel}

die() { echo "$prog: $*" >&2; exit 1; }

# version: the newest kernel of the tree that has its modules.dep
version() {
	for _m in "$dir"/lib/modules/*/modules.dep; do
		[ -f "$_m" ] || continue
		_v=${_m%/modules.dep}
		_v=${_v##*/}
		[ -f "$dir/boot/vmlinuz-$_v" ] && echo "$_v"
	done | sort -V | tail -n 1
}

fetch() {
	[ -n "$(version)" ] && return 0
	command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
		die "unable to fetch the guest kernel: apt-get and dpkg-deb are needed (Debian)"
	command -v depmod >/dev/null || die "unable to run depmod (package kmod)"
	# The metapackage names today's kernel package; that one holds the files.
	pkg=$(apt-cache depends --important linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
		pkg=$(apt-cache depends --important linux-image-amd64 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || die "unable to find the package linux-image-amd64 depends on (apt-cache depends)"
	mkdir -p "$dir.tmp" || exit 111
	rm -rf "$dir.tmp"/* "$dir.tmp"/.[!.]* 2>/dev/null
	echo "kernel: downloading $pkg (unpacked under ${dir#"$top"/}, not installed)"
	# apt-get download drops privileges to _apt, which must be able to write.
	chmod 777 "$dir.tmp"
	(cd "$dir.tmp" && apt-get download -q "$pkg" >download.log 2>&1) ||
		die "apt-get download $pkg failed, see $dir.tmp/download.log"
	deb=$(ls "$dir.tmp"/"$pkg"_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "apt-get download $pkg left no .deb"
	mkdir -p "$dir.tmp/root" && dpkg-deb -x "$deb" "$dir.tmp/root" ||
		die "dpkg-deb -x $deb failed"
	kver=${pkg#linux-image-}
	[ -d "$dir.tmp/root/lib/modules/$kver" ] && [ -f "$dir.tmp/root/boot/vmlinuz-$kver" ] ||
		die "$deb has no /boot/vmlinuz-$kver and /lib/modules/$kver"
	# What the package's postinst would do: the module index.
	depmod -b "$dir.tmp/root" "$kver" || die "depmod for $kver failed"
	rm -rf "$dir" && mv "$dir.tmp/root" "$dir" && rm -rf "$dir.tmp" ||
		die "unable to move the kernel into $dir"
	chmod 755 "$dir"
	echo "kernel: $kver in ${dir#"$top"/}"
}

run() {
	v=$(version)
	[ -n "$v" ] || die "no kernel under $dir (scripts/kernel.sh fetch, or make deps)"
	[ -d /boot ] || die "no /boot on this host to stand the kernel's in for"
	lib=$(readlink -f /lib)
	# The unpacked lib/ (only modules/) over the host's, read-only: the
	# host's libraries stay visible, its modules (if any) under the guest's.
	# shellcheck disable=SC2016 # the inner shell expands them
	exec unshare -m --propagation private sh -c '
		mount -t overlay sanroot-kernel -o "lowerdir=$1/lib:$2" "$2" &&
		mount --bind "$1/boot" /boot || { echo "scripts/kernel.sh: unable to mount the kernel over /boot and $2" >&2; exit 1; }
		shift 2
		exec "$@"' _ "$dir" "$lib" "$@"
}

case ${1:-} in
fetch) fetch ;;
version) v=$(version); [ -n "$v" ] || die "no kernel under $dir (scripts/kernel.sh fetch)"; echo "$v" ;;
dir) [ -n "$(version)" ] || die "no kernel under $dir (scripts/kernel.sh fetch)"; echo "$dir" ;;
run) shift; [ $# -gt 0 ] || die "run: no command"; run "$@" ;;
-h|--help) sed -n '3,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
*) echo "usage: $prog fetch | version | dir | run CMD..." >&2; exit 100 ;;
esac
