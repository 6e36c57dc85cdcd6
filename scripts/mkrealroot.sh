#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build the real root fixture: Debian 12 as a diskless iSCSI client has it
# (systemd, udev, open-iscsi, lvm2, ifupdown with isc-dhcp-client, the guest
# kernel's modules), as a tar archive of the tree, cached: debootstrap runs
# once, later runs only check the archive. NetworkManager is installed but
# not enabled: a test that wants it enables it in its copy.
#
#   scripts/mkrealroot.sh OUT.tar [--kver KVER] [--mirror URL]
#
#   --kver KVER   the kernel whose modules go in (default: the newest under
#                 build/kernel, Debian's package unpacked by scripts/kernel.sh)
#   --mirror URL  Debian mirror (default: the first deb.debian.org-style URI of
#                 the host's apt sources, else http://deb.debian.org/debian)
#
# The tree is not configured for a network or a test: the tests write
# /etc/network/interfaces (or systemd-networkd's files) and the unit that
# reports, into a copy, when they make a LUN of it. Exit codes: 0, 100 bad
# usage, 111 failure.
set -u
prog=mkrealroot
usage() { echo "usage: $prog OUT.tar [--kver KVER] [--mirror URL]" >&2; exit 100; }
die() { echo "$prog: $*" >&2; exit 111; }

out='' kver='' mirror=''
while [ $# -gt 0 ]; do
	case $1 in
	--kver|--mirror)
		[ $# -ge 2 ] || { echo "$prog: $1 needs a value" >&2; usage; }
		case $1 in --kver) kver=$2 ;; --mirror) mirror=$2 ;; esac
		shift 2 ;;
	-h|--help) usage ;;
	-*) echo "$prog: unknown option $1" >&2; usage ;;
	*) [ -z "$out" ] || usage; out=$1; shift ;;
	esac
done
[ -n "$out" ] || usage
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap)"
command -v debootstrap >/dev/null || die "unable to find debootstrap (package debootstrap)"

kdir=$("$(dirname "$0")/kernel.sh" dir) || die "no guest kernel (scripts/kernel.sh fetch)"
[ -n "$kver" ] || kver=$("$(dirname "$0")/kernel.sh" version) || exit 111
[ -f "$kdir/lib/modules/$kver/modules.dep" ] || die "no modules of $kver under $kdir"
if [ -z "$mirror" ]; then
	mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\) *$/\1/p; s/^deb *\(http[^ ]*\/debian\) .*/\1/p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | head -n 1)
	mirror=${mirror:-http://deb.debian.org/debian}
fi

# The archive is up to date when it was made from this kernel's modules.
stamp="kver=$kver packages=3"
if [ -s "$out" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "$prog: $out is up to date ($kver)" >&2
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mkrealroot.XXXXXX") || die "unable to make a temporary directory"
cleanup() {
	for m in proc sys dev/pts dev; do umount "$work/root/$m" 2>/dev/null; done
	rm -rf "$work" "$out.tmp"
}
trap cleanup EXIT
trap 'exit 111' INT TERM HUP

root=$work/root
pkgs=systemd-sysv,udev,dbus,open-iscsi,lvm2,ifupdown,isc-dhcp-client,iproute2,kmod,e2fsprogs,procps,iputils-ping
pkgs=$pkgs,network-manager,libpam-systemd
echo "$prog: debootstrap bookworm from $mirror (a few minutes the first time)" >&2
debootstrap --variant=minbase --include="$pkgs" bookworm "$root" "$mirror" \
	>"$work/debootstrap.log" 2>&1 ||
	die "debootstrap failed: $(tail -n 3 "$work/debootstrap.log" | tr '\n' ' ')"

mkdir -p "$root/lib/modules" && cp -a "$kdir/lib/modules/$kver" "$root/lib/modules/" ||
	die "unable to copy the modules of $kver"
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"* 2>/dev/null

# What every test root shares: no password for root on the console, the disk
# by its LVM name, no units that wait for hardware the VM does not have.
sed -i 's/^root:[^:]*:/root::/' "$root/etc/shadow"
echo sanroot-realroot >"$root/etc/hostname"
printf '/dev/mapper/client-rootfs / ext4 defaults 0 1\n' >"$root/etc/fstab"
ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
ln -sf /dev/null "$root/etc/systemd/system/getty@tty1.service"
ln -sf /dev/null "$root/etc/systemd/system/systemd-timesyncd.service"
ln -sf /dev/null "$root/etc/systemd/system/apt-daily.timer"
ln -sf /dev/null "$root/etc/systemd/system/apt-daily-upgrade.timer"
ln -sf /dev/null "$root/etc/systemd/system/e2scrub_reap.service"
# NetworkManager off unless a test enables it (tests/vm/realroot.sh's nm row)
rm -f "$root/etc/systemd/system/multi-user.target.wants/NetworkManager.service" \
	"$root/etc/systemd/system/network-online.target.wants/NetworkManager-wait-online.service" \
	"$root/etc/systemd/system/dbus-org.freedesktop.nm-dispatcher.service"

tar -C "$root" --numeric-owner -cf "$out.tmp" . || die "unable to write $out.tmp"
mv -f "$out.tmp" "$out" || die "unable to rename $out.tmp"
echo "$stamp" >"$out.stamp"
echo "$prog: $out ($(du -m "$out" | cut -f1) MiB, modules of $kver)" >&2
