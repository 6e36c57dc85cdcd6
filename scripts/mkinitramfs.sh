#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# An initramfs made by Debian's real mkinitramfs with the sanroot hook and
# local-top script from this tree, from a private configuration directory
# (mkinitramfs -d): the host's /etc/initramfs-tools, /etc/sanroot.conf,
# /etc/iscsi/iscsi.initramfs (for sanroot's hook) and /boot are never read for
# the configuration nor written. The tests, the
# benchmark and `make demo` build their images with it.
#
#   scripts/mkinitramfs.sh OUT [--kver VERSION] [--conf FILE] [--iscsi-initramfs FILE]
#                              [--umask MASK] [--modules "NAME..."] [--most]
#                              [--no-open-iscsi] [--bin FILE]
#
#   --kver VERSION   kernel (default: the newest under build/kernel, Debian's
#                    package unpacked by scripts/kernel.sh; mkinitramfs runs
#                    where that kernel is its /boot and /lib/modules)
#   --conf FILE      put FILE in the image as /etc/sanroot.conf (mode 0600; the
#                    image itself is then written with UMASK=0077)
#   --iscsi-initramfs FILE
#                    the same for FILE as /etc/iscsi/iscsi.initramfs
#   --umask MASK     UMASK= in initramfs.conf (default 0077 with --conf or
#                    --iscsi-initramfs, else mkinitramfs' own)
#   --modules LIST   the client's own modules: its NIC driver and root
#                    filesystem (default: virtio_pci virtio_net virtio_rng
#                    ext4, a QEMU guest); the sanroot hook adds iSCSI, SCSI
#                    disk, device-mapper and crc32c. MODULES=list, and these
#                    are added by a private hook, as MODULES=dep adds the
#                    machine's own: in the image, loaded on demand (udev,
#                    mount), not forced at boot as CONFDIR/modules would be
#   --most           MODULES=most, as Debian's default configuration
#   --no-open-iscsi  open-iscsi's hook adds nothing (NO_ISCSI_IN_INITRAMFS=yes,
#                    its own switch): sanroot logs in, iscsistart is not needed
#   --bin FILE       the multi-call binary (default build/static/bin/sanroot)
#
# Exit codes: 0, 100 bad usage, 111 failure (mkinitramfs' output is shown).
set -u
prog=mkinitramfs.sh
top=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	echo "usage: $prog OUT [--kver VERSION] [--conf FILE] [--iscsi-initramfs FILE] [--umask MASK]" >&2
	echo "       [--modules \"NAME...\"] [--most] [--no-open-iscsi] [--bin FILE]" >&2
	exit 100
}
die() { echo "$prog: $*" >&2; exit 111; }

out='' kver='' conf='' iscsi_initramfs='' umask='' modules="virtio_pci virtio_net virtio_rng ext4" most=0 noiscsi=0
bin=$top/build/static/bin/sanroot
while [ $# -gt 0 ]; do
	case $1 in
	--kver|--conf|--iscsi-initramfs|--umask|--modules|--bin)
		[ $# -ge 2 ] || { echo "$prog: $1 needs a value" >&2; usage; }
		case $1 in
		--kver) kver=$2 ;;
		--conf) conf=$2 ;;
		--iscsi-initramfs) iscsi_initramfs=$2 ;;
		--umask) umask=$2 ;;
		--modules) modules=$2 ;;
		--bin) bin=$2 ;;
		esac
		shift 2 ;;
	--most) most=1; shift ;;
	--no-open-iscsi) noiscsi=1; shift ;;
	-h|--help) usage ;;
	-*) echo "$prog: unknown option $1" >&2; usage ;;
	*) [ -z "$out" ] || { echo "$prog: one OUT only" >&2; usage; }; out=$1; shift ;;
	esac
done
[ -n "$out" ] || usage
command -v mkinitramfs >/dev/null || die "unable to find mkinitramfs (package initramfs-tools)"
[ -x "$bin" ] || die "unable to find $bin (make static)"
[ -z "$conf" ] || [ -r "$conf" ] || die "unable to read $conf"
[ -z "$iscsi_initramfs" ] || [ -r "$iscsi_initramfs" ] || die "unable to read $iscsi_initramfs"
case $umask in "" | [0-7][0-7][0-7] | [0-7][0-7][0-7][0-7]) ;; *) echo "$prog: --umask $umask: expected octal" >&2; usage ;; esac
[ -n "$umask" ] || [ -z "$conf$iscsi_initramfs" ] || umask=0077
[ -n "$kver" ] || kver=$("$top/scripts/kernel.sh" version) || die "no guest kernel (scripts/kernel.sh fetch)"
# The unpacked kernel stands in for /boot and /lib/modules; a kernel that is
# not there is the host's own.
inkernel=
[ -f "$("$top/scripts/kernel.sh" dir 2>/dev/null)/lib/modules/$kver/modules.dep" ] &&
	inkernel="$top/scripts/kernel.sh run"

work=$(mktemp -d "${TMPDIR:-/tmp}/sanroot-mkinitramfs.XXXXXX") || die "unable to make a temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 143' INT TERM
confdir=$work/initramfs-tools
mkdir -p "$confdir/conf.d" "$confdir/hooks" "$confdir/scripts/local-top" "$work/tmp" || exit 111

# Debian's initramfs.conf, but with an explicit module list (the iSCSI root's
# NIC, its filesystem: what a netboot image needs) unless --most.
{
	echo "# scripts/mkinitramfs.sh: private configuration"
	if [ "$most" = 1 ]; then echo "MODULES=most"; else echo "MODULES=list"; fi
	echo "BUSYBOX=auto"
	echo "KEYMAP=n"
	echo "COMPRESS=zstd"
	echo "DEVICE="
	echo "NFSROOT=auto"
	echo "RUNSIZE=10%"
	echo "FSTYPE=auto"
	# an image holding secrets is for root's eyes only
	[ -n "$umask" ] && echo "UMASK=$umask"
} >"$confdir/initramfs.conf"
: >"$confdir/modules"
if [ "$most" = 0 ]; then
	# shellcheck disable=SC2016 # the hook's own text
	{
		echo '#!/bin/sh'
		echo '# scripts/mkinitramfs.sh: the client machine'"'"'s modules, in the image'
		echo 'case "$1" in prereqs) exit 0 ;; esac'
		echo '. /usr/share/initramfs-tools/hook-functions'
		echo "manual_add_modules $modules"
	} >"$confdir/hooks/client-modules" && chmod 755 "$confdir/hooks/client-modules" || exit 111
fi
# open-iscsi's hook reads its switch from /etc/initramfs-tools/conf.d/open-iscsi
# whatever CONFDIR is; the environment reaches it too.
if [ "$noiscsi" = 1 ]; then
	echo "NO_ISCSI_IN_INITRAMFS=yes" >"$confdir/conf.d/open-iscsi"
	NO_ISCSI_IN_INITRAMFS=yes
	export NO_ISCSI_IN_INITRAMFS
fi
# The files `make install` puts in /usr/share/initramfs-tools, here in CONFDIR:
# mkinitramfs runs CONFDIR's hooks after the packages' (open-iscsi, lvm2). The
# hook finds the shared policy (hooks/) through SANROOT_HOOKS.
cp "$top/initramfs-tools/hooks/sanroot" "$confdir/hooks/sanroot" &&
cp "$top/initramfs-tools/scripts/local-top/sanroot" "$confdir/scripts/local-top/sanroot" &&
chmod 755 "$confdir/hooks/sanroot" "$confdir/scripts/local-top/sanroot" || exit 111

rm -f "$out"
if ! SANROOT_BIN=$bin SANROOT_CONF=$conf SANROOT_ISCSI_INITRAMFS=$iscsi_initramfs SANROOT_HOOKS=$top/hooks TMPDIR=$work/tmp \
	$inkernel mkinitramfs -d "$confdir" -o "$out" "$kver" >"$work/log" 2>&1; then
	cat "$work/log" >&2
	rm -f "$out"
	die "mkinitramfs failed for $kver"
fi
cat "$work/log" >&2
exit 0
