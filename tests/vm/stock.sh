# SPDX-License-Identifier: GPL-2.0-only
# The control row of the boot matrix: the stock stacks, each booted once from
# the reference LUN (scripts/mkreflun.sh) behind a private tgtd with CHAP,
# must reach the root's /sbin/init, which prints its marker. This proves that
# the reference LUN, the rig, tgtd, CHAP and the real generators work
# together. The images are made by Debian's mkinitramfs and dracut with
# private configurations and kept in build/bench/ until their inputs change
# (tests/reflun.sh, tests/rows.sh: the rows stock_itools and stock_dracut).
#
#   STOCK_DRACUT=0   skip the dracut row
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
. "$TOP/tests/rows.sh"
reflun_netns "$@"

rig_kernel || { not_ok "stock: no kernel to boot"; exit 0; }
for c in mkinitramfs lsinitramfs tgtd iscsistart lvm; do
	command -v "$c" >/dev/null || { not_ok "stock: $c is missing"; exit 0; }
done
rows=stock_itools
if [ "${STOCK_DRACUT:-1}" = 1 ]; then
	if command -v dracut >/dev/null; then
		rows="$rows stock_dracut"
	else
		not_ok "stock: dracut is missing (dracut-core, dracut-network)"
	fi
fi

# The generators run with private configurations: the host's stay as they are.
host_state() {
	find /etc/initramfs-tools /etc/dracut.conf /etc/dracut.conf.d /etc/iscsi /etc/lvm \
		-type f -exec md5sum {} + 2>/dev/null | LC_ALL=C sort
	find /boot -printf '%p %s %T@\n' | LC_ALL=C sort
}
host_state >"$T_TMP/host.before"

reflun_serve || { not_ok "stock: reference LUN or tgtd failed"; exit 0; }
for row in $rows; do
	if ! image_build "$row"; then
		not_ok "stock: $row: building the initramfs failed"
		continue
	fi
	echo "# $row: $IMAGE_BYTES bytes, $IMAGE_FILES entries, built: $IMAGE_BUILT"
	image_boot "$row"
	image_row "$row"
	if [ "$BOOT_OK" = 1 ]; then
		ok "stock: $ROW_TITLE reaches the root's init"
	else
		not_ok "stock: $ROW_TITLE did not reach the root's init (no $REFLUN_MARKER in $REFLUN_TIMEOUT s)"
		rig_tail 30
	fi
	expect_eq "stock: $row: root is the LV client/rootfs" "$(root_value root)" \
		/dev/mapper/client-rootfs
	expect_eq "stock: $row: one iSCSI session" "$(root_value sessions)" 1
	# the stock stacks take the CHAP secret from the command line, for all to read
	expect_eq "stock: $row: the secret is in /proc/cmdline" "$(root_value cmdline_has_secret)" yes
	echo "# $row: root's marker at $BOOT_UPTIME s guest uptime; wall $BOOT_WALL s"
done
reflun_stop
host_state >"$T_TMP/host.after"
check "stock: the host's generator, iSCSI and LVM configuration and /boot are untouched" \
	cmp -s "$T_TMP/host.before" "$T_TMP/host.after"
