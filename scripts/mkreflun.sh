#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build the reference root disk (the LUN the VM tests and benchmarks boot
# from): LVM2 straight on the disk, no partition table, VG "client" with LVs
# "rootfs" (ext4, a busybox root whose /sbin/init prints one marker line and
# powers off) and "swap". Real lvm2 writes the metadata on a loop device with a
# private configuration, so the host's LVM state is never read or written; the
# host needs no device-mapper (nothing is activated).
#
#   scripts/mkreflun.sh OUT [--size MIB] [--swap MIB] [--plain] [--label LABEL]
#                           [--uuid UUID] [--marker TEXT] [--secret STRING]
#                           [--tree TAR [--add DIR]]
#
#   --size MIB      size of the disk (default 64)
#   --swap MIB      size of LV swap (default 8; 0: no swap LV)
#   --plain         ext4 on the whole disk instead of LVM (root=UUID=/LABEL= tests)
#   --label LABEL   filesystem label (default sanroot-root)
#   --uuid UUID     filesystem UUID (default: random)
#   --marker TEXT   the first word of the marker line (default SANROOT-ROOT-OK)
#   --secret STRING the init reports whether /proc/cmdline contains STRING
#   --tree TAR      the root is this tar archive's tree (scripts/mkrealroot.sh), not
#                   the busybox root: no marker init, --marker and --secret unused
#   --add DIR       with --tree: DIR's files copied over the tree (a test's units and
#                   configuration)
#
# The root's /sbin/init prints, on /dev/console:
#   MARKER root=<source of /> fstype=<type of /> sessions=<iSCSI sessions>
#          uptime=<seconds> [cmdline_has_secret=yes|no]
# "uptime" is read first thing, so it is the guest uptime at which the
# initramfs handed over. The script prints the filesystem's UUID and LABEL
# and where it lies in OUT (bytes) as REFLUN_UUID, REFLUN_LABEL,
# REFLUN_ROOT_OFFSET and REFLUN_ROOT_BYTES (shell-sourceable) on stdout. Exit codes: 0, 100 bad usage, 111 failure.
set -u
prog=mkreflun

usage() {
	echo "usage: $prog OUT [--size MIB] [--swap MIB] [--plain] [--label LABEL] [--uuid UUID]" >&2
	echo "       [--marker TEXT] [--secret STRING] [--tree TAR [--add DIR]]" >&2
	exit 100
}
die() { echo "$prog: $*" >&2; exit 111; }

out='' size=64 swap=8 plain=0 label=sanroot-root uuid='' marker=SANROOT-ROOT-OK secret='' tree='' add=''
while [ $# -gt 0 ]; do
	case $1 in
	--size|--swap|--label|--uuid|--marker|--secret|--tree|--add)
		[ $# -ge 2 ] || { echo "$prog: $1 needs a value" >&2; usage; }
		case $1 in
		--size) size=$2 ;;
		--swap) swap=$2 ;;
		--label) label=$2 ;;
		--uuid) uuid=$2 ;;
		--marker) marker=$2 ;;
		--secret) secret=$2 ;;
		--tree) tree=$2 ;;
		--add) add=$2 ;;
		esac
		shift 2 ;;
	--plain) plain=1; shift ;;
	-h|--help) usage ;;
	-*) echo "$prog: unknown option $1" >&2; usage ;;
	*) [ -z "$out" ] || { echo "$prog: one OUT only" >&2; usage; }; out=$1; shift ;;
	esac
done
[ -n "$out" ] || usage
case $size in ''|*[!0-9]*) echo "$prog: --size takes MiB" >&2; usage ;; esac
case $swap in ''|*[!0-9]*) echo "$prog: --swap takes MiB" >&2; usage ;; esac
case $marker in ''|*[!A-Za-z0-9_.-]*) echo "$prog: --marker: letters, digits, _ . - only" >&2; usage ;; esac
case $uuid in ''|????????-????-????-????-????????????) ;; *) echo "$prog: --uuid: not a UUID" >&2; usage ;; esac
[ ${#label} -le 16 ] || { echo "$prog: --label: 16 bytes at most (ext4)" >&2; usage; }
[ -z "$add" ] || [ -n "$tree" ] || { echo "$prog: --add needs --tree" >&2; usage; }
[ -z "$tree" ] || [ -r "$tree" ] || die "unable to read $tree"
# 4 MiB extents; one for the metadata area and alignment, at least 4 for the root
[ "$plain" = 1 ] && [ "$size" -lt 8 ] && { echo "$prog: --size: 8 MiB at least" >&2; usage; }
[ "$plain" = 0 ] && [ "$size" -lt $(( swap + 20 )) ] &&
	{ echo "$prog: --size: at least --swap + 20 MiB with LVM" >&2; usage; }

for c in busybox mke2fs mkswap; do
	command -v "$c" >/dev/null || die "unable to find $c (packages busybox-static, e2fsprogs, util-linux)"
done
[ "$plain" = 1 ] || command -v lvm >/dev/null || die "unable to find lvm (package lvm2)"
[ "$plain" = 1 ] || [ "$(id -u)" = 0 ] || die "unable to make a loop device: must run as root"
busybox=$(command -v busybox)
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is not static (package busybox-static)"

work=$(mktemp -d "${TMPDIR:-/tmp}/mkreflun.XXXXXX") || die "unable to make a temporary directory"
loop='' done=0
cleanup() {
	[ -n "$loop" ] && losetup -d "$loop" 2>/dev/null
	[ "$done" = 1 ] || rm -f "$out.tmp"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 111' INT TERM HUP

root=$work/root
if [ -n "$tree" ]; then
	mkdir -p "$root" && tar -C "$root" --numeric-owner -xf "$tree" ||
		die "unable to unpack $tree"
	[ -z "$add" ] || cp -a "$add/." "$root/" || die "unable to copy $add into the tree"
else
# The root: busybox with its applet links, the mount points, os-release (systemd's
# switch_root refuses a root without it) and the init that reports.
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" \
	"$root/proc" "$root/sys" "$root/dev" "$root/run" "$root/tmp" "$root/root" "$root/mnt" ||
	die "unable to make the root's directories"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox" || die "unable to copy $busybox"
"$busybox" --list-full | while read -r app; do
	[ -e "$root/$app" ] || ln -s /bin/busybox "$root/$app"
done
rm -f "$root/sbin/init" "$root/linuxrc"
cat >"$root/etc/os-release" <<'EOF'
PRETTY_NAME="sanroot reference root"
NAME="sanroot-reflun"
ID=sanroot-reflun
VERSION_ID=1
EOF
echo sanroot-reflun >"$root/etc/hostname"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
if [ -n "$secret" ]; then
	(umask 077 && printf '%s' "$secret" >"$root/etc/reflun-secret") ||
		die "unable to write the secret"
fi
cat >"$root/sbin/init" <<EOF
#!/bin/sh
# The sanroot reference root's init: report how the root was reached, power off.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
[ -r /proc/uptime ] || mount -t proc proc /proc
read -r up _ </proc/uptime
[ -d /sys/class/net ] || mount -t sysfs sysfs /sys
[ -c /dev/console ] || mount -t devtmpfs devtmpfs /dev
set -- \$(awk '\$2 == "/" { s = \$1; t = \$3 } END { print s, t }' /proc/mounts)
n=0
for s in /sys/class/iscsi_session/*; do [ -e "\$s" ] && n=\$((n + 1)); done
line="$marker root=\$1 fstype=\$2 sessions=\$n uptime=\$up"
if [ -r /etc/reflun-secret ]; then
	if grep -qF -- "\$(cat /etc/reflun-secret)" /proc/cmdline; then
		line="\$line cmdline_has_secret=yes"
	else
		line="\$line cmdline_has_secret=no"
	fi
fi
echo "\$line" >/dev/console 2>/dev/null || echo "\$line"
sync
poweroff -f
echo o >/proc/sysrq-trigger
sleep 10
EOF
chmod 755 "$root/sbin/init"
fi

# mkfs_root SIZE_MIB: the ext4 image, made as a file from the directory.
mkfs_root() {
	truncate -s "$1M" "$work/rootfs.img" &&
	mke2fs -q -F -t ext4 -L "$label" ${uuid:+-U "$uuid"} -E root_owner=0:0 -d "$root" \
		"$work/rootfs.img" </dev/null || die "unable to make the ext4 filesystem (mke2fs -d)"
}
# place FILE OFFSET_BYTES: write FILE into OUT at OFFSET.
place() {
	dd if="$1" of="$out.tmp" bs=1M oflag=seek_bytes seek="$2" conv=notrunc,fsync \
		status=none || die "unable to write $(basename "$1") into $out"
}

rm -f "$out.tmp"
truncate -s "${size}M" "$out.tmp" || die "unable to create $out.tmp"

if [ "$plain" = 1 ]; then
	mkfs_root "$size"
	place "$work/rootfs.img" 0
else
	# Private lvm2 configuration: only our loop device, no udev, no devices
	# file, no hints, no lvmpolld, no metadata backups, locks in $work.
	loop=$(losetup --find --show "$out.tmp") || die "unable to attach $out.tmp to a loop device"
	mkdir -p "$work/lvm/lock"
	"$(dirname "$0")/lvmconf.sh" "$work/lvm" "^$loop\$" >"$work/lvm/lvm.conf" ||
		die "unable to write the private lvm.conf"
	# lvm_do ARGS...: one lvm command, with the private configuration.
	lvm_do() {
		LVM_SYSTEM_DIR=$work/lvm LVM_SUPPRESS_FD_WARNINGS=1 DM_DISABLE_UDEV=1 \
			lvm "$@" --driverloaded n </dev/null 2>"$work/lvm.err"
	}
	lvm_ok() {
		lvm_do "$@" >/dev/null ||
			die "unable to run lvm $1: $(grep -v WARNING "$work/lvm.err" | head -n 1)"
	}
	lvm_ok pvcreate -y -ff "$loop"
	lvm_ok vgcreate -y -s 4m client "$loop"
	free=$(lvm_do vgs --noheadings -o vg_free_count client | tr -d ' ')
	swap_ext=$(( (swap + 3) / 4 ))
	case $free in ''|*[!0-9]*) die "unable to read the free extents of VG client" ;; esac
	[ "$free" -gt "$swap_ext" ] || die "unable to fit LV swap in $free extents"
	lvm_ok lvcreate -y -an -Zn -Wn -l $(( free - swap_ext )) -n rootfs client
	[ "$swap_ext" -gt 0 ] && lvm_ok lvcreate -y -an -Zn -Wn -l "$swap_ext" -n swap client
	pe_start=$(lvm_do pvs --noheadings --units b --nosuffix -o pe_start "$loop" | tr -d ' ')
	ext_size=$(lvm_do vgs --noheadings --units b --nosuffix -o vg_extent_size client | tr -d ' ')
	# seg_pe_ranges: /dev/loopN:FIRST-LAST (one segment: the VG was empty)
	lv_first() {
		lvm_do lvs --noheadings -o seg_pe_ranges "client/$1" |
			sed -n 's/^ *[^:]*:\([0-9]*\)-\([0-9]*\) *$/\1 \2/p'
	}
	set -- $(lv_first rootfs)
	[ $# = 2 ] || die "unable to read LV rootfs's extents"
	root_off=$(( pe_start + $1 * ext_size )) root_mib=$(( ($2 - $1 + 1) * ext_size / 1048576 ))
	if [ "$swap_ext" -gt 0 ]; then
		set -- $(lv_first swap)
		[ $# = 2 ] || die "unable to read LV swap's extents"
		swap_off=$(( pe_start + $1 * ext_size )) swap_mib=$(( ($2 - $1 + 1) * ext_size / 1048576 ))
	fi
	losetup -d "$loop" || die "unable to detach $loop"
	loop=''

	mkfs_root "$root_mib"
	place "$work/rootfs.img" "$root_off"
	if [ "$swap_ext" -gt 0 ]; then
		truncate -s "${swap_mib}M" "$work/swap.img" &&
		mkswap -L swap "$work/swap.img" >/dev/null 2>&1 || die "unable to make the swap area"
		place "$work/swap.img" "$swap_off"
	fi
fi
mv -f "$out.tmp" "$out" || die "unable to rename $out.tmp to $out"
done=1
# What the root= tests need, and where the filesystem is (e2fsck after a boot).
blkid -p -o export -s UUID -s LABEL "$work/rootfs.img" | sed -n 's/^\(UUID\|LABEL\)=/REFLUN_\1=/p'
echo "REFLUN_ROOT_OFFSET=${root_off:-0}"
echo "REFLUN_ROOT_BYTES=$(stat -c %s "$work/rootfs.img")"
