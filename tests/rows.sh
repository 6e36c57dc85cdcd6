# SPDX-License-Identifier: GPL-2.0-only
# The images that boot the reference LUN, for the VM suites and the boot
# benchmark (sourced after tests/reflun.sh). A row is one function, row_NAME,
# that sets:
#   ROW_TITLE   what the table calls it
#   ROW_BUILD   a function OUT, in this file, that makes the initramfs for $RIG_KVER
#   ROW_KEY     what the image depends on beyond the kernel and ROW_BUILD's text
#               in this file: packages (their installed versions count) and host paths
#               (their contents count), e.g. "pkg:lvm2 path:/etc/lvm", and the other
#               functions of this file that ROW_BUILD calls (their text counts), "fn:NAME"
#   ROW_APPEND  the kernel command line; it may use TGT_PORT and the REFLUN_*
#               names of the target (tests/reflun.sh), and span lines
# A new row is one such function (and its ROW_BUILD), and its name on
# bench/boot's command line or in its default list.

# The reference command line in open-iscsi's initramfs-tools syntax, CHAP.
_iscsi_append() {
	ROW_APPEND="ip=dhcp root=/dev/mapper/client-rootfs iscsi_initiator=$REFLUN_INITIATOR
		iscsi_target_name=$REFLUN_IQN iscsi_target_ip=$REFLUN_PORTAL
		iscsi_target_port=${TGT_PORT:-} iscsi_username=$REFLUN_USER iscsi_password=$REFLUN_PASS"
}

row_stock_itools() {
	ROW_TITLE="initramfs-tools + open-iscsi + lvm2"
	ROW_BUILD=stock_mkinitramfs
	ROW_KEY="pkg:initramfs-tools pkg:initramfs-tools-core pkg:open-iscsi pkg:lvm2 pkg:udev
		pkg:busybox-static pkg:klibc-utils pkg:kmod path:/etc/initramfs-tools path:/etc/lvm
		path:/etc/iscsi/initiatorname.iscsi"
	_iscsi_append
}

# Debian's initramfs-tools + open-iscsi + lvm2 as they come (stock_itools's
# configuration), with sanroot's multi-call binary in the image as
# /sbin/iscsistart: open-iscsi's own local-top script logs in through it
# (tests/vm/matrix-itools.sh, row 6).
row_stock_itools_iscsistart() {
	row_stock_itools
	ROW_TITLE="initramfs-tools + open-iscsi + lvm2, sanroot as iscsistart"
	ROW_BUILD=stock_mkinitramfs_iscsistart
	ROW_KEY="$ROW_KEY path:$TOP/build/static/bin/sanroot fn:stock_mkinitramfs"
}

# The same, with the module list of itools_sanroot's image (MODULES=list):
# the size and time of the userspace stacks alone, side by side.
row_stock_itools_list() {
	row_stock_itools
	ROW_TITLE="initramfs-tools + open-iscsi + lvm2, MODULES=list"
	ROW_BUILD=stock_mkinitramfs_list
	ROW_KEY="$ROW_KEY fn:stock_mkinitramfs"
}

row_itools_sanroot() {
	ROW_TITLE="initramfs-tools + sanroot"
	ROW_BUILD=sanroot_mkinitramfs
	_sanroot_key
	_iscsi_append
}

# The boot matrix's images (tests/vm/matrix-itools.sh), not benchmarked by default:
# open-iscsi's hook left on (both packages installed, one login), and the
# credentials in /etc/sanroot.conf (mutual CHAP; the command line names no target).
row_itools_sanroot_openiscsi() {
	row_itools_sanroot
	ROW_TITLE="initramfs-tools + sanroot, open-iscsi's hook on"
	ROW_BUILD=sanroot_mkinitramfs_openiscsi
}

row_itools_sanroot_conf() {
	ROW_TITLE="initramfs-tools + sanroot, /etc/sanroot.conf"
	ROW_BUILD=sanroot_mkinitramfs_conf
	_sanroot_key
	ROW_APPEND="ip=dhcp root=/dev/mapper/client-rootfs"
}

_sanroot_key() {
	ROW_KEY="pkg:initramfs-tools pkg:initramfs-tools-core pkg:open-iscsi pkg:lvm2 pkg:dmsetup
		pkg:udev pkg:busybox-static pkg:klibc-utils pkg:kmod path:$TOP/initramfs-tools
		path:$TOP/hooks path:$TOP/scripts/mkinitramfs.sh path:$TOP/build/static/bin/sanroot"
}

row_stock_dracut() {
	ROW_TITLE="dracut + iscsi + lvm"
	ROW_BUILD=stock_dracut
	ROW_KEY="pkg:dracut-core pkg:dracut-network pkg:open-iscsi pkg:lvm2 pkg:systemd pkg:udev
		pkg:kmod path:/etc/dracut.conf path:/etc/dracut.conf.d path:/etc/lvm path:/etc/iscsi"
	ROW_APPEND="ip=dhcp root=/dev/mapper/client-rootfs rd.iscsi.initiator=$REFLUN_INITIATOR
		netroot=iscsi:$REFLUN_USER:$REFLUN_PASS@$REFLUN_PORTAL::${TGT_PORT:-}:1:$REFLUN_IQN
		rd.shell=0 rd.emergency=poweroff"
	# rd.shell=0 rd.emergency=poweroff: a failed boot ends at once, as
	# initramfs-tools' panic() does with the rig's panic=-1, rather than
	# waiting in a shell for the timeout.
}

# dracut with sanroot alone: no dracut network, iscsi or lvm module; sanroot-net
# brings the interface up and sanroot logs in and activates the LV.
row_dracut_sanroot() {
	ROW_TITLE="dracut + sanroot"
	ROW_BUILD=dracut_sanroot
	ROW_KEY="pkg:dracut-core pkg:systemd pkg:udev pkg:kmod path:/etc/dracut.conf
		path:/etc/dracut.conf.d path:$TOP/dracut path:$TOP/hooks path:$TOP/build/static/bin/sanroot
		fn:_dracut_sanroot"
	ROW_APPEND="ip=dhcp root=/dev/mapper/client-rootfs rd.iscsi.initiator=$REFLUN_INITIATOR
		netroot=iscsi:$REFLUN_USER:$REFLUN_PASS@$REFLUN_PORTAL::${TGT_PORT:-}:1:$REFLUN_IQN
		rd.shell=0 rd.emergency=poweroff"
}

# The same, with dracut's smallest image that boots it: the modules sanroot
# needs (no systemd, dracut's shell init; no lvm, crypt, plymouth, ...), the
# filesystem and the virtio drivers named. Still every wired NIC driver.
row_dracut_sanroot_min() {
	row_dracut_sanroot
	ROW_TITLE="dracut -m sanroot (no systemd)"
	ROW_BUILD=dracut_sanroot_min
}

# dracut's network (network-legacy) brings the interface up and calls sanroot
# as the netroot handler; dracut's iscsi and lvm modules are in the image too,
# and the iscsi one stays inert.
row_dracut_sanroot_net() {
	row_dracut_sanroot
	ROW_TITLE="dracut + network-legacy + sanroot"
	ROW_BUILD=dracut_sanroot_net
	ROW_KEY="$ROW_KEY pkg:dracut-network pkg:open-iscsi pkg:lvm2 path:/etc/lvm path:/etc/iscsi"
}

# Stock dracut 95iscsi and lvm (stock_dracut's image) with sanroot's multi-call
# binary as /usr/sbin/iscsistart. dracut 059's iscsiroot logs in with iscsiadm
# and iscsid and never calls iscsistart (tests/vm/matrix-dracut.sh checks both).
row_stock_dracut_iscsistart() {
	row_stock_dracut
	ROW_TITLE="dracut + iscsi + lvm, sanroot as iscsistart"
	ROW_BUILD=stock_dracut_iscsistart
	ROW_KEY="$ROW_KEY path:$TOP/build/static/bin/sanroot fn:stock_dracut"
}

# Generators -------------------------------------------------------------------

# Debian's mkinitramfs with a private copy of /etc/initramfs-tools (default
# MODULES=most: MODULES=netboot lacks sd_mod). open-iscsi's hook adds
# iscsistart and the iSCSI modules unconditionally; the target comes from the
# iscsi_* command line. A second argument is the text of one more hook,
# which runs after the packages' hooks; a third, MODULES= for initramfs.conf.
stock_mkinitramfs() {
	_conf=$T_TMP/initramfs-tools
	rm -rf "$_conf" && cp -a /etc/initramfs-tools "$_conf" || return 1
	if [ -n "${3:-}" ]; then
		sed -i "s/^MODULES=.*/MODULES=$3/" "$_conf/initramfs.conf" || return 1
	fi
	if [ -n "${2:-}" ]; then
		mkdir -p "$_conf/hooks" &&
		printf '#!/bin/sh\n[ "$1" = prereqs ] && exit 0\nset -e\n%s\n' "$2" \
			>"$_conf/hooks/zz-bench-extra" && chmod 755 "$_conf/hooks/zz-bench-extra" || return 1
	fi
	mkdir -p "$T_TMP/mkinitramfs-tmp" &&
	TMPDIR=$T_TMP/mkinitramfs-tmp "$TOP/scripts/kernel.sh" run mkinitramfs -d "$_conf" -o "$1" "$RIG_KVER"
}

# stock_mkinitramfs, with a hook of the private configuration (run after the
# packages' hooks) putting sanroot where open-iscsi's hook put iscsistart.
stock_mkinitramfs_iscsistart() {
	stock_mkinitramfs "$1" \
		"cp -f --remove-destination '$TOP/build/static/bin/sanroot' \"\$DESTDIR/sbin/iscsistart\""
}

# stock_mkinitramfs with MODULES=list and the modules sanroot_mkinitramfs's
# image has beyond its hook's: the guest's NIC and ext4, and sd_mod (open-iscsi's
# and lvm2's hooks add the iSCSI and dm modules).
stock_mkinitramfs_list() {
	stock_mkinitramfs "$1" \
		". /usr/share/initramfs-tools/hook-functions; manual_add_modules virtio_pci virtio_net virtio_rng ext4 sd_mod" \
		list
}

# Debian's mkinitramfs with the sanroot hook from this tree and a private
# configuration (scripts/mkinitramfs.sh): MODULES=list with the QEMU guest's
# NIC driver and ext4, the sanroot hook's iSCSI, SCSI disk and dm modules;
# open-iscsi's hook adds nothing (NO_ISCSI_IN_INITRAMFS=yes): sanroot logs in.
sanroot_mkinitramfs() {
	"$TOP/scripts/mkinitramfs.sh" "$1" --kver "$RIG_KVER" --no-open-iscsi
}

sanroot_mkinitramfs_openiscsi() {
	"$TOP/scripts/mkinitramfs.sh" "$1" --kver "$RIG_KVER"
}

# The whole plan in /etc/sanroot.conf, mutual CHAP (mode 0600 in the image;
# the image itself 0600).
sanroot_mkinitramfs_conf() {
	_conf=$T_TMP/sanroot.conf
	(
		umask 077
		echo "# the boot plan, with the credentials: root only"
		echo "iscsi_initiator=$REFLUN_INITIATOR"
		echo "iscsi_target_name=$REFLUN_IQN iscsi_target_ip=$REFLUN_PORTAL"
		echo "iscsi_username=$REFLUN_USER iscsi_password=$REFLUN_PASS"
		echo "iscsi_in_username=$REFLUN_IN_USER iscsi_in_password=$REFLUN_IN_PASS"
	) >"$_conf" || return 1
	"$TOP/scripts/mkinitramfs.sh" "$1" --kver "$RIG_KVER" --no-open-iscsi --conf "$_conf"
}

# dracut 059 with a private configuration: network-legacy (with
# systemd-networkd, netroot never runs) and open-iscsi's startup-checks.sh
# (without it iscsid's unit fails its ExecStartPre and restarts forever).
stock_dracut() {
	_out=$1; shift
	[ -n "$_out" ] || { echo "stock_dracut: no output file (dracut would write /boot)" >&2; return 100; }
	_conf=$T_TMP/dracut
	rm -rf "$_conf" && mkdir -p "$_conf/dracut.conf.d" || return 1
	[ -f /etc/dracut.conf ] && cp /etc/dracut.conf "$_conf/"
	[ -d /etc/dracut.conf.d ] && cp -a /etc/dracut.conf.d/. "$_conf/dracut.conf.d/"
	touch "$_conf/dracut.conf"
	mkdir -p "$T_TMP/dracut-tmp"
	"$TOP/scripts/kernel.sh" run dracut --force --no-hostonly --conf "$_conf/dracut.conf" --confdir "$_conf/dracut.conf.d" \
		--tmpdir "$T_TMP/dracut-tmp" --add "iscsi lvm network network-legacy" \
		--install /lib/open-iscsi/startup-checks.sh --kver "$RIG_KVER" "$@" "$_out"
}

# dracut with sanroot's module from this tree: a private module directory
# (dracut's own modules, linked, plus dracut/95sanroot; dracut reads
# $dracutbasedir), sanroot's dracut.conf.d file where make install puts it
# (dracut/sanroot.conf) and the same private configuration as stock_dracut.
# SANROOT_BIN points the module at the multi-call binary just built.
# Arguments: the image, then dracut's options for the row.
_dracut_sanroot() {
	_out=$1; shift
	[ -n "$_out" ] || { echo "_dracut_sanroot: no output file (dracut would write /boot)" >&2; return 100; }
	_base=$T_TMP/dracut-base
	rm -rf "$_base" && mkdir -p "$_base/modules.d" || return 1
	for _f in /usr/lib/dracut/*; do
		[ "${_f##*/}" = modules.d ] || cp -a "$_f" "$_base/" || return 1
	done
	for _m in /usr/lib/dracut/modules.d/*; do
		ln -s "$_m" "$_base/modules.d/" || return 1
	done
	ln -s "$TOP/dracut/95sanroot" "$_base/modules.d/95sanroot" &&
	mkdir -p "$_base/dracut.conf.d" &&
	ln -s "$TOP/dracut/sanroot.conf" "$_base/dracut.conf.d/99-sanroot.conf" &&
	_conf=$T_TMP/dracut &&
	rm -rf "$_conf" && mkdir -p "$_conf/dracut.conf.d" || return 1
	[ -f /etc/dracut.conf ] && cp /etc/dracut.conf "$_conf/"
	[ -d /etc/dracut.conf.d ] && cp -a /etc/dracut.conf.d/. "$_conf/dracut.conf.d/"
	touch "$_conf/dracut.conf"
	mkdir -p "$T_TMP/dracut-tmp"
	dracutbasedir=$_base SANROOT_BIN=$TOP/build/static/bin/sanroot \
		"$TOP/scripts/kernel.sh" run dracut --force --no-hostonly --conf "$_conf/dracut.conf" --confdir "$_conf/dracut.conf.d" \
		--tmpdir "$T_TMP/dracut-tmp" "$@" --kver "$RIG_KVER" "$_out"
}

dracut_sanroot() {
	_dracut_sanroot "$1" --add sanroot --omit "iscsi lvm network ifcfg"
}

dracut_sanroot_min() {
	_dracut_sanroot "$1" -m sanroot --omit "ifcfg network" --filesystems ext4 \
		--add-drivers "virtio_pci virtio_blk virtio_rng"
}

dracut_sanroot_net() {
	_dracut_sanroot "$1" --add "sanroot iscsi lvm network network-legacy"
}

stock_dracut_iscsistart() {
	stock_dracut "$1" --include "$TOP/build/static/bin/sanroot" /usr/sbin/iscsistart
}
