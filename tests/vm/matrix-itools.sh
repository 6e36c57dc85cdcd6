# SPDX-License-Identifier: GPL-2.0-only
# The boot matrix's initramfs-tools rows: Debian's kernel booting images made
# by Debian's real mkinitramfs with the sanroot hook (scripts/mkinitramfs.sh,
# a private configuration; images cached in build/bench/ like the benchmark's,
# rows in tests/rows.sh), from the reference LUN (scripts/mkreflun.sh). Each
# row must reach the root's /sbin/init, whose marker line tells the root
# device, the iSCSI sessions and whether the CHAP secret is in /proc/cmdline.
#
#   1. the reference command line (open-iscsi's iscsi_* parameters, ip=dhcp,
#      root=/dev/mapper/client-rootfs), CHAP, with open-iscsi's hook on too:
#      one session (its local-top script is left out, no second login)
#   2. the plan in /etc/sanroot.conf with mutual CHAP, nothing on the command
#      line but ip= and root= (and sanroot.debug): the secrets are in neither
#      /proc/cmdline nor the console, verbose as it is; /dev/mapper/client-rootfs
#      is udev's link, as for lvm2's devices
#   3. the iBFT that iPXE's sanhook leaves (CHAP), iscsi_auto
#   4. the target from DHCP option 17 (dnsmasq on a private LAN, rig_lan), no
#      authentication, netroot=dhcp
#   5. a wrong password: "FAILED at iscsi" with the CHAP cause on the
#      console, initramfs-tools' panic with panic= set reboots (QEMU exits),
#      and no shell
#   6. Debian's own image (initramfs-tools + open-iscsi + lvm2, MODULES=most)
#      with sanroot as /sbin/iscsistart: open-iscsi's local-top script logs in
#      through the drop-in (twice per portal, as it does: one session)
#
# tgtd and QEMU run in a private network namespace (reflun_netns) where the
# target really is 10.0.2.2:3260; row 4 makes its own LAN inside it.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
. "$TOP/tests/rows.sh"
reflun_netns "$@"

rig_kernel || { not_ok "matrix-itools: no kernel to boot"; exit 0; }
for c in mkinitramfs lsinitramfs tgtd dnsmasq; do
	command -v "$c" >/dev/null || { not_ok "matrix-itools: $c is missing"; exit 0; }
done
[ -x "$TOP/build/static/bin/sanroot" ] ||
	{ not_ok "matrix-itools: build/static/bin/sanroot is missing (make static)"; exit 0; }

# The generator runs with a private configuration: the host's stays as it is.
host_state() {
	find /etc/initramfs-tools /etc/iscsi /etc/lvm /etc/sanroot.conf -type f \
		-exec md5sum {} + 2>/dev/null | LC_ALL=C sort
	find /boot -printf '%p %s %T@\n' | LC_ALL=C sort
}
host_state >"$T_TMP/host.before"

# image ROW: build it or take it from the cache; "" when it failed
image() {
	if image_build "$1"; then
		echo "# $1: $IMAGE_BYTES bytes, $IMAGE_FILES entries, built: $IMAGE_BUILT" >&2
		echo "$IMAGE"
	else
		not_ok "matrix-itools: $1: mkinitramfs failed" >&2
	fi
}
img=$(image itools_sanroot_openiscsi)
img_conf=$(image itools_sanroot_conf)
img_stock=$(image stock_itools_iscsistart)

# The images as initramfs-tools and the hook made them.
if [ -n "$img" ]; then
	lsinitramfs "$img" >"$T_TMP/list"
	check "matrix-itools: the image has the multi-call binary and its links" \
		grep -qx 'usr/sbin/sanroot-boot' "$T_TMP/list"
	check "matrix-itools: the image has sanroot's local-top script" \
		grep -qx 'scripts/local-top/sanroot' "$T_TMP/list"
	check "matrix-itools: open-iscsi's hook ran (iscsistart is in the image)" \
		grep -q 'sbin/iscsistart$' "$T_TMP/list"
	if grep -qx 'scripts/local-top/iscsi' "$T_TMP/list"; then
		not_ok "matrix-itools: open-iscsi's local-top script is still in the image"
	else
		ok "matrix-itools: open-iscsi's local-top script is left out"
	fi
	for m in iscsi_tcp libiscsi scsi_transport_iscsi sd_mod dm-mod crc32c_generic virtio_net; do
		grep -q "/$m\.ko" "$T_TMP/list" || not_ok "matrix-itools: $m.ko is not in the image"
	done
fi
if [ -n "$img_conf" ]; then
	expect_eq "matrix-itools: an image holding secrets is root's only" \
		"$(stat -c %a "$img_conf")" 600
	mkdir -p "$T_TMP/x" && (cd "$T_TMP/x" && unmkinitramfs "$img_conf" . 2>/dev/null)
	conf=$(find "$T_TMP/x" -path '*/etc/sanroot.conf' | head -n 1)
	expect_eq "matrix-itools: /etc/sanroot.conf in the image: root's, 0600" \
		"$(stat -c '%U %a' "$conf" 2>/dev/null)" "root 600"
	rm -rf "$T_TMP/x"
fi

reflun_serve || { not_ok "matrix-itools: the reference LUN or tgtd failed"; exit 0; }
# for row 2: the account the target answers with (mutual CHAP)
tgt_chap_out 1 "$REFLUN_IN_USER" "$REFLUN_IN_PASS"

# boot NAME IMAGE APPEND...: one boot until QEMU exits; BOOT_RC=1 when it was
# killed at the timeout
boot() {
	_n=$1 _i=$2; shift 2
	BOOT_RC=1
	rig_start initrd="$_i" append="$*" mem="$REFLUN_MEM" timeout="$REFLUN_TIMEOUT" \
		net=10.0.3.0/24 && rig_wait && BOOT_RC=0
	echo "# $_n: marker at $(root_value uptime) s guest uptime; wall $RIG_WALL s"
}

# no_secret NAME SECRET...: none on the console, the console log as a whole
no_secret() {
	_n=$1; shift
	for _s; do
		_k=$((${_k:-0} + 1))
		if tr -d '\r' <"$RIG_LOG" | grep -qF -e "$_s"; then
			not_ok "$_n: secret $_k reached the console"
		else
			ok "$_n: secret $_k is not on the console"
		fi
	done
}

# 1. The reference command line, open-iscsi's hook on; the kernel prints
# every message on the console (loglevel=7 after the rig's quiet), and each
# of sanroot's lines is there once all the same: sanroot-boot's own, and its
# tools' lines, which it shows (their kmsg copies are dmesg's only).
if [ -n "$img" ]; then
	image_row itools_sanroot_openiscsi
	# shellcheck disable=SC2086 # ROW_APPEND spans lines
	boot "row 1" "$img" $ROW_APPEND loglevel=7
	root_ok "matrix-itools 1 (iscsi_* command line, open-iscsi installed)"
	check "matrix-itools 1: sanroot-boot's progress lines" \
		grep -q "sanroot: iscsi: logged in to $REFLUN_IQN at $REFLUN_PORTAL:3260 as /dev/sd" "$RIG_LOG"
	expect_eq "matrix-itools 1: loglevel=7: sanroot-boot's line once on the console" \
		"$(grep -c 'sanroot: lvm: activating' "$RIG_LOG")" 1
	expect_eq "matrix-itools 1: loglevel=7: its tool's line once on the console" \
		"$(grep -c 'sanroot-net: [a-z0-9]*: lease ' "$RIG_LOG")" 1
fi

# 2. /etc/sanroot.conf with mutual CHAP.
if [ -n "$img_conf" ]; then
	image_row itools_sanroot_conf
	boot "row 2" "$img_conf" "$ROW_APPEND sanroot.debug"
	root_ok "matrix-itools 2 (/etc/sanroot.conf, mutual CHAP)"
	check "matrix-itools 2: udev made /dev/mapper/client-rootfs (its link to dm-N)" \
		grep -q "sanroot-lvm: /dev/mapper/client-rootfs is udev's link" "$RIG_LOG"
	expect_eq "matrix-itools 2: the secret is not in /proc/cmdline" \
		"$(root_value cmdline_has_secret)" no
	no_secret "matrix-itools 2" "$REFLUN_PASS" "$REFLUN_IN_PASS"
fi

# 3. The iBFT from iPXE's sanhook.
if [ -n "$img" ]; then
	if [ -r /usr/lib/ipxe/qemu/efi-virtio.rom ]; then
		rig_ipxe_start initrd="$img" append="iscsi_auto root=/dev/mapper/client-rootfs" \
			net=10.0.3.0/24 mem="$REFLUN_MEM" timeout="$REFLUN_TIMEOUT" \
			initiator="$REFLUN_INITIATOR" sanhook="iscsi:$REFLUN_PORTAL::3260:1:$REFLUN_IQN" \
			username="$REFLUN_USER" password="$REFLUN_PASS" && rig_wait
		echo "# row 3: marker at $(root_value uptime) s guest uptime; wall $RIG_WALL s"
		expect_eq "matrix-itools 3: iPXE's sanhook logged in" "$(rig_value ipxe_sanhook)" ok
		root_ok "matrix-itools 3 (iBFT from iPXE sanhook, CHAP)"
		expect_eq "matrix-itools 3: the secret is not in /proc/cmdline" \
			"$(root_value cmdline_has_secret)" no
		check "matrix-itools 3: logged in to the iBFT's target" \
			grep -q "sanroot: iscsi: logged in to $REFLUN_IQN at $REFLUN_PORTAL:3260" "$RIG_LOG"
	else
		not_ok "matrix-itools 3: no iPXE ROM for virtio-net (package ipxe-qemu)"
	fi
fi

# 4. The target from DHCP option 17, no authentication.
if [ -n "$img" ]; then
	cp --sparse=always "$T_TMP/lun.img" "$T_TMP/lun17.img"
	_reflun_tgt_c=$TGT_C _reflun_tgt_pid=$TGT_PID _reflun_tgt_tids=$TGT_TIDS
	if rig_lan root_path="iscsi:$RIG_LAN_SERVER::3260:1:$REFLUN_IQN" tgt &&
		tgt_target 1 "$REFLUN_IQN" && tgt_lun 1 1 "$T_TMP/lun17.img"; then
		# shellcheck disable=SC2086 # RIG_LAN_ARGS is a list of rig_start arguments
		rig_start initrd="$img" append="ip=dhcp netroot=dhcp root=/dev/mapper/client-rootfs" \
			mem="$REFLUN_MEM" timeout="$REFLUN_TIMEOUT" $RIG_LAN_ARGS && rig_wait
		echo "# row 4: marker at $(root_value uptime) s guest uptime; wall $RIG_WALL s"
		root_ok "matrix-itools 4 (DHCP option 17 root path from dnsmasq, no auth)"
		check "matrix-itools 4: the target came from the DHCP root path" \
			grep -q "sanroot-iscsi: logged in to $REFLUN_IQN at $RIG_LAN_SERVER:3260" "$RIG_LOG"
		tgt_stop
	else
		not_ok "matrix-itools 4: the private LAN (dnsmasq, tgtd) did not come up"
	fi
	# shellcheck disable=SC2034 # tests/tgt.sh reads them
	TGT_NETNS='' TGT_C=$_reflun_tgt_c TGT_PID=$_reflun_tgt_pid TGT_TIDS=$_reflun_tgt_tids
fi

# 5. A wrong password: a diagnosis, initramfs-tools' panic, no shell.
if [ -n "$img" ]; then
	image_row itools_sanroot_openiscsi
	# shellcheck disable=SC2046,SC2086 # ROW_APPEND spans lines: one word each
	boot "row 5" "$img" $(echo $ROW_APPEND | sed "s/iscsi_password=[^ ]*/iscsi_password=not-the-password/")
	n="matrix-itools 5 (wrong password)"
	expect_eq "$n: QEMU ended by itself (the guest rebooted; -no-reboot)" "$BOOT_RC" 0
	expect_eq "$n: the root was not reached" "$(root_value uptime)" ""
	check "$n: the failed step on the console" grep -q 'sanroot: FAILED at iscsi after' "$RIG_LOG"
	check "$n: the cause: CHAP rejected" grep -q 'CHAP rejected: check iscsi_username/iscsi_password' "$RIG_LOG"
	check "$n: initramfs-tools' panic, with panic= set, reboots" \
		grep -q 'Rebooting automatically due to panic= boot argument' "$RIG_LOG"
	if grep -q '(initramfs)' "$RIG_LOG"; then
		not_ok "$n: a shell prompt appeared"
	else
		ok "$n: no shell prompt"
	fi
fi

# 6. open-iscsi's own script with sanroot as iscsistart.
if [ -n "$img_stock" ]; then
	n="matrix-itools 6 (Debian's image, sanroot as iscsistart)"
	lsinitramfs -l "$img_stock" >"$T_TMP/list6"
	mkdir -p "$T_TMP/x6" && unmkinitramfs "$img_stock" "$T_TMP/x6" >/dev/null 2>&1
	check "$n: the image's iscsistart is sanroot" \
		cmp -s "$(find "$T_TMP/x6" -name iscsistart -type f | head -n 1)" "$TOP/build/static/bin/sanroot"
	rm -rf "$T_TMP/x6"
	check "$n: open-iscsi's local-top script is in the image" grep -q ' scripts/local-top/iscsi$' "$T_TMP/list6"
	image_row stock_itools_iscsistart
	# shellcheck disable=SC2086 # ROW_APPEND spans lines
	boot "row 6" "$img_stock" $ROW_APPEND
	root_ok "$n"
	check "$n: sanroot's iscsistart logged in (its sid= line)" \
		grep -q "^sid=[0-9]* target=$REFLUN_IQN portal=$REFLUN_PORTAL:3260 lun=1 dev=/dev/sd" "$RIG_LOG"
	if grep -q 'is operational now' "$RIG_LOG"; then
		not_ok "$n: open-iscsi's iscsistart did not run"
	else
		ok "$n: open-iscsi's iscsistart did not run"
	fi
fi

reflun_stop
host_state >"$T_TMP/host.after"
check "matrix-itools: the host's initramfs-tools, iSCSI and LVM configuration and /boot are untouched" \
	cmp -s "$T_TMP/host.before" "$T_TMP/host.after"
