#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What make deps, make demo and make check leave on the host as they found
# it, one line each, sorted: the files of /boot and of the initramfs
# generators' configuration (/etc/initramfs-tools, /etc/dracut.conf and
# /etc/dracut.conf.d) with their checksums, and the services enabled to start
# at boot (systemd's .wants/.requires/.upholds links under /etc/systemd, and
# the S links of runlevels 2-5, which systemd turns into units).
#
#   scripts/hoststate.sh            print the state
#   scripts/hoststate.sh enabled    only the "enabled" lines
#
# scripts/deps.sh compares it around what it installs; tests/leftovers.sh
# around a test run.
set -u

enabled() {
	find /etc/systemd/system /etc/systemd/user \
		\( -path '*.wants/*' -o -path '*.requires/*' -o -path '*.upholds/*' \) \
		-printf 'enabled %p\n' 2>/dev/null
	find /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d -name 'S*' -printf 'enabled %p\n' 2>/dev/null
}

files() {
	for d in /boot /etc/initramfs-tools /etc/dracut.conf /etc/dracut.conf.d; do
		[ -e "$d" ] || continue
		find "$d" \( -type f -o -type l \) -printf '%p %y %m %l\n' | while read -r p rest; do
			case $rest in
			f*) echo "file $p $rest $(md5sum <"$p" | cut -c 1-32)" ;;
			*) echo "file $p $rest" ;;
			esac
		done
	done
}

case ${1:-} in
enabled) enabled | LC_ALL=C sort ;;
'') { files; enabled; } | LC_ALL=C sort ;;
*) echo "usage: scripts/hoststate.sh [enabled]" >&2; exit 100 ;;
esac
