#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The dracut rows of the boot matrix: images made by Debian's real dracut
# (private configurations; cached in build/bench/ until their inputs change,
# tests/rows.sh), each booted once from the reference LUN behind a private
# tgtd with CHAP (netroot=iscsi:user:secret@... rd.iscsi.initiator= ip=dhcp),
# in reflun_netns's namespace where the target really is 10.0.2.2. Each must
# reach the root's /sbin/init, whose marker names the root and the sessions.
#
#   dracut_sanroot            dracut + sanroot: sanroot-net, sanroot's login, LVM; the
#                             plan (ip=, rd.iscsi.initiator=, netroot= with the CHAP
#                             secret) only in /etc/cmdline.d/90-sanroot.conf inside the
#                             image (root's, 0600): the cached image plus one more
#                             cpio archive, which the kernel unpacks over it; the
#                             kernel's command line has only root= and the rd.* policy
#   dracut_sanroot_net        dracut's network-legacy calls sanroot as the netroot
#                             handler; dracut's iscsi module in the image stays inert
#   stock_dracut_iscsistart   stock dracut 95iscsi + lvm with sanroot as iscsistart
#   (and dracut_sanroot's image again with a wrong CHAP secret: dracut's die)
#
#   MATRIX_DRACUT="ROW..."    run only these rows
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
. "$TOP/tests/rows.sh"
reflun_netns "$@"

rows=${MATRIX_DRACUT:-dracut_sanroot dracut_sanroot_net stock_dracut_iscsistart}
rig_kernel || { not_ok "matrix-dracut: no kernel to boot"; exit 0; }
for c in dracut lsinitramfs tgtd; do
	command -v "$c" >/dev/null || { not_ok "matrix-dracut: $c is missing"; exit 0; }
done
[ -x "$TOP/build/static/bin/sanroot" ] ||
	{ not_ok "matrix-dracut: build/static/bin/sanroot is missing (make static)"; exit 0; }

# The generators run with private configurations: the host's stay as they are.
host_state() {
	find /etc/dracut.conf /etc/dracut.conf.d /etc/iscsi /etc/lvm -type f -exec md5sum {} + \
		2>/dev/null | LC_ALL=C sort
	find /boot /usr/lib/dracut -printf '%p %s %T@\n' | LC_ALL=C sort
}
host_state >"$T_TMP/host.before"

# in_image IMAGE PATH: the image holds PATH (lsinitramfs lists it)
in_image() { lsinitramfs "$1" | grep -qx "$2"; }

# image_file IMAGE PATH: a file's text from the image
image_file() {
	rm -rf "$T_TMP/x" && mkdir -p "$T_TMP/x" &&
	(cd "$T_TMP/x" && unmkinitramfs "$1" . >/dev/null 2>&1) && cat "$T_TMP/x/$2"
}

# The console lines of sanroot's tools, or dracut's about them.
console_has() { tr -d '\r' <"$RIG_LOG" | grep -q -- "$1"; }

# cmdline_d IMAGE OUT: IMAGE with the plan of ROW_APPEND (but root= and the
# rd.* policy) in /etc/cmdline.d/90-sanroot.conf (root's, 0600): the image,
# then a gzip'd cpio archive holding that file, which the kernel unpacks after
# it, as dracut --include would have put it in.
cmdline_d() {
	rm -rf "$T_TMP/cmdline.d" && mkdir -p "$T_TMP/cmdline.d/etc/cmdline.d" || return 1
	(
		umask 077
		# shellcheck disable=SC2086,SC2116 # ROW_APPEND spans lines
		echo $ROW_APPEND | tr ' ' '\n' | grep -v '^root=\|^rd\.shell=\|^rd\.emergency=' |
			tr '\n' ' ' >"$T_TMP/cmdline.d/etc/cmdline.d/90-sanroot.conf"
	) || return 1
	(cd "$T_TMP/cmdline.d" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -6) >"$T_TMP/cmdline.d.cpio.gz" &&
	cat "$1" "$T_TMP/cmdline.d.cpio.gz" >"$2"
}

reflun_serve || { not_ok "matrix-dracut: reference LUN or tgtd failed"; exit 0; }
for row in $rows; do
	image_row "$row" || { not_ok "matrix-dracut: no row $row"; continue; }
	if ! image_build "$row"; then
		not_ok "matrix-dracut: $row: building the initramfs failed"
		continue
	fi
	img=$IMAGE
	echo "# $row: $IMAGE_BYTES bytes, $IMAGE_FILES entries, built: $IMAGE_BUILT"

	# What is in the image, before the boot.
	case $row in
	dracut_sanroot)
		check "$row: sanroot's multi-call binary is in the image" in_image "$img" usr/sbin/sanroot
		for absent in usr/sbin/iscsiadm usr/sbin/iscsid usr/sbin/lvm usr/sbin/dhclient; do
			if in_image "$img" "$absent"; then
				not_ok "$row: no $absent in the image"
			else
				ok "$row: no $absent in the image"
			fi
		done
		check "$row: the job runs in the initqueue (no netroot handler)" \
			sh -c "! lsinitramfs '$img' | grep -qx 'usr/sbin/iscsiroot\|sbin/iscsiroot'"
		check "$row: udev's default .link is in the image (the NIC's name)" \
			sh -c "lsinitramfs '$img' | grep -q 'lib/systemd/network/99-default.link\$'" ;;
	dracut_sanroot_net)
		check "$row: dracut's network calls sanroot as /sbin/iscsiroot" \
			sh -c "lsinitramfs -l '$img' | grep -q 'sbin/iscsiroot -> sanroot-dracut\$'"
		if lsinitramfs "$img" | grep -q 'hooks/cmdline/90-parse-iscsiroot.sh'; then
			not_ok "$row: dracut's iscsi command-line hook is left out"
		else
			ok "$row: dracut's iscsi command-line hook is left out"
		fi ;;
	stock_dracut_iscsistart)
		check "$row: sanroot is the image's iscsistart" in_image "$img" usr/sbin/iscsistart
		# dracut 059's iscsiroot logs in with iscsiadm (discovery, node update,
		# --login) and iscsid; it has no iscsistart call to hand to sanroot.
		image_file "$img" usr/sbin/iscsiroot >"$T_TMP/iscsiroot" ||
			image_file "$img" sbin/iscsiroot >"$T_TMP/iscsiroot"
		if sed 's/#.*//' "$T_TMP/iscsiroot" | grep -qw iscsistart; then
			echo "# $row: this dracut's iscsiroot calls iscsistart"
		else
			echo "# $row: this dracut's iscsiroot never calls iscsistart; it runs:" \
				"$(grep -o 'iscsiadm -m [a-z]*\|iscsid\b\|iscsi-iname' "$T_TMP/iscsiroot" |
					LC_ALL=C sort -u | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
		fi ;;
	esac

	case $row in
	dracut_sanroot)
		# The plan in the image, not on the kernel's command line: dracut reads
		# /etc/cmdline.d/*.conf, and 95sanroot hands what dracut reads
		# (getcmdline) to sanroot in a root-only file (--cmdline-file).
		cmdline_d "$img" "$T_TMP/cmdline.d.img" ||
			not_ok "$row: adding /etc/cmdline.d to the image failed"
		expect_eq "$row: /etc/cmdline.d/90-sanroot.conf is root's only" \
			"$(stat -c '%a' "$T_TMP/cmdline.d/etc/cmdline.d/90-sanroot.conf")" 600
		# loglevel=7 (after the rig's quiet): the kernel prints every
		# message on the console, and each of sanroot's lines is there once
		# all the same (the journal shows the initqueue's stderr there; the
		# kmsg copies are dmesg's only)
		image_boot "$row" "root=/dev/mapper/client-rootfs rd.shell=0 rd.emergency=poweroff loglevel=7" \
			"$T_TMP/cmdline.d.img"
		expect_eq "$row: the plan is not on the kernel's command line" \
			"$(root_value cmdline_has_secret)" no
		check "$row: sanroot took the plan from /etc/cmdline.d" \
			console_has "sanroot: iscsi: logged in to $REFLUN_IQN at $REFLUN_PORTAL:3260"
		if console_has "$REFLUN_PASS"; then
			not_ok "$row: the secret is not on the console"
		else
			ok "$row: the secret is not on the console"
		fi
		expect_eq "$row: loglevel=7: sanroot-boot's line once on the console" \
			"$(tr -d '\r' <"$RIG_LOG" | grep -c 'sanroot: lvm: activating')" 1
		expect_eq "$row: loglevel=7: its tool's line once on the console" \
			"$(tr -d '\r' <"$RIG_LOG" | grep -c 'sanroot-net: [a-z0-9]*: lease ')" 1 ;;
	*) image_boot "$row" ;;
	esac
	if [ "$BOOT_OK" = 1 ]; then
		ok "$row: $ROW_TITLE reaches the root's init"
	else
		not_ok "$row: $ROW_TITLE did not reach the root's init (no $REFLUN_MARKER in $REFLUN_TIMEOUT s)"
		rig_tail 40
	fi
	expect_eq "$row: root is the LV client/rootfs" "$(root_value root)" /dev/mapper/client-rootfs
	expect_eq "$row: one iSCSI session" "$(root_value sessions)" 1
	case $row in
	dracut_sanroot*)
		check "$row: sanroot-boot logged in" console_has 'sanroot: iscsi: logged in to'
		check "$row: sanroot-lvm activated the LV" console_has 'sanroot: lvm: ' ;;
	esac
	case $row in
	dracut_sanroot) check "$row: sanroot-net brought the network up" \
		console_has 'sanroot: net: .* (dhcp)'
		# the name initramfs-tools' image and the real root give it
		check "$row: the NIC has udev's name, not the kernel's" \
			console_has 'sanroot: net: ens[0-9]* .* (dhcp)' ;;
	dracut_sanroot_net) check "$row: the network was dracut's (--skip net)" \
		console_has 'sanroot: net: left to the caller' ;;
	esac
	echo "# $row: root's marker at $BOOT_UPTIME s guest uptime; wall $BOOT_WALL s"
done
# A wrong CHAP secret (dracut_sanroot's image): sanroot's diagnosis on the
# console, then dracut's die; with rd.shell=0 no shell, and systemd halts the
# machine, which QEMU does not end: the test stops it once it is halted.
case " $rows " in *" dracut_sanroot "*)
	image_row dracut_sanroot
	# shellcheck disable=SC2086,SC2116 # one line for the kernel
	append=$(echo $ROW_APPEND | sed "s/:$REFLUN_PASS@/:wrong-secret-99@/")
	rig_start initrd="$IMAGE_CACHE/dracut_sanroot.img" append="$append" mem="$REFLUN_MEM" \
		timeout="$REFLUN_TIMEOUT" net=10.0.3.0/24
	while kill -0 "$RIG_PID" 2>/dev/null && [ "$(date +%s)" -lt "$RIG_DEADLINE" ] &&
		! console_has 'reboot: System halted\|reboot: Power down'; do
		sleep 0.5
	done
	kill -9 "$RIG_PID" 2>/dev/null
	rig_wait
	check "wrong secret: sanroot says the target rejected CHAP" console_has 'FAILED at iscsi .*CHAP'
	check "wrong secret: dracut's die" console_has 'FATAL: sanroot: the iSCSI root could not be set up'
	check "wrong secret: the machine halts" console_has 'reboot: System halted'
	if console_has 'emergency shell\|Dropping to debug shell\|Entering emergency mode'; then
		not_ok "wrong secret: no shell with rd.shell=0"
	else
		ok "wrong secret: no shell with rd.shell=0"
	fi
	if console_has "$REFLUN_MARKER"; then not_ok "wrong secret: no root"; else ok "wrong secret: no root"; fi
	if console_has wrong-secret-99; then
		not_ok "wrong secret: the secret is not on the console"
	else
		ok "wrong secret: the secret is not on the console"
	fi ;;
esac

reflun_stop
host_state >"$T_TMP/host.after"
check "matrix-dracut: the host's dracut, iSCSI and LVM configuration, /boot and dracut's modules are untouched" \
	cmp -s "$T_TMP/host.before" "$T_TMP/host.after"
