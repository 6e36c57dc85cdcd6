#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The real root's life after sanroot's initramfs: Debian 12 with systemd,
# udev, open-iscsi, lvm2 and ifupdown (scripts/mkrealroot.sh, cached in
# build/realroot/) on the reference layout behind a private tgtd, booted
# through the sanroot initramfs-tools image, with nothing of sanroot's in the
# root: what the real root needs, the initramfs leaves in /run. One boot per
# variant of the root's network configuration:
#   manual   iface ens2 inet manual (the classic diskless guide), ends with reboot
#   dhcp     auto ens2 / iface ens2 inet dhcp (most installs), ends with poweroff:
#            ifdown at shutdown must not release the root's address
# Each boot: multi-user with no failed unit and one session (the root's
# reporter, tests/vm/realroot/, prints it); the end the boot asked for within
# the deadline, with no I/O error, no session recovery timeout, no hung task;
# and the root filesystem clean afterwards (e2fsck -n on the LV's extent).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
. "$TOP/tests/rows.sh"

# The fixture first, outside the private namespace: debootstrap needs Debian's
# mirror, which the namespace cannot reach. Inside, the archive is only read.
rig_kernel || { not_ok "realroot: no kernel to boot"; exit 0; }
FIXTURE=$TOP/build/realroot/bookworm.tar
if [ -z "${REFLUN_NETNS:-}" ]; then
	command -v debootstrap >/dev/null || { not_ok "realroot: debootstrap is missing"; exit 0; }
	mkdir -p "$TOP/build/realroot"
	if ! "$TOP/scripts/mkrealroot.sh" "$FIXTURE" --kver "$RIG_KVER" 2>"$T_TMP/mkrealroot.err"; then
		not_ok "realroot: the fixture: $(tail -n 1 "$T_TMP/mkrealroot.err")"
		exit 0
	fi
fi
reflun_netns "$@"
[ -s "$FIXTURE" ] || { not_ok "realroot: no fixture $FIXTURE"; exit 0; }

image_build itools_sanroot || { not_ok "realroot: the initramfs-tools image"; exit 0; }

# What every variant's root gets on top of the fixture: the reporter.
add=$T_TMP/add
mkdir -p "$add/usr/local/sbin" "$add/etc/systemd/system/multi-user.target.wants" "$add/etc/network"
install -m 0755 "$TOP/tests/vm/realroot/sanroot-report" "$add/usr/local/sbin/sanroot-report"
install -m 0644 "$TOP/tests/vm/realroot/sanroot-report.service" "$add/etc/systemd/system/"
ln -sf ../sanroot-report.service "$add/etc/systemd/system/multi-user.target.wants/"

# variant NAME END INTERFACES: one boot of the root with that network configuration
variant() {
	vname=$1 end=$2
	printf 'auto lo\niface lo inet loopback\n\n%s\n' "$3" >"$add/etc/network/interfaces"
	rm -f "$T_TMP/lun.img"
	"$TOP/scripts/mkreflun.sh" "$T_TMP/lun.img" --tree "$FIXTURE" --add "$add" --size 1536 \
		--swap 0 >"$T_TMP/lun.env" 2>"$T_TMP/mkreflun.err" ||
		{ not_ok "$vname: the LUN: $(tail -n 1 "$T_TMP/mkreflun.err")"; return; }
	. "$T_TMP/lun.env"
	reflun_serve || { not_ok "$vname: tgtd did not start"; return; }
	image_row itools_sanroot
	# shellcheck disable=SC2086,SC2116 # ROW_APPEND's lines become one
	rig_start initrd="$IMAGE_CACHE/itools_sanroot.img" mem=768 timeout=420 net=10.0.3.0/24 \
		append="$(echo $ROW_APPEND) sanroot_test.end=$end" || { not_ok "$vname: QEMU"; reflun_stop; return; }
	rig_wait
	ended=$?
	reflun_stop

	expect_eq "$vname: multi-user reached" "$(root_value state)" active
	expect_eq "$vname: no failed unit" "$(root_value failed)" none
	expect_eq "$vname: one iSCSI session" "$(root_value sessions)" 1
	expect_eq "$vname: the root is the LV" "$(root_value root)" /dev/mapper/client-rootfs
	expect_eq "$vname: iscsid has the session, with sanroot's replacement timeout" \
		"$(root_value iscsid)/$(root_value keeper)/$(root_value recovery_tmo)" yes/no/86400
	echo "# $vname: iscsid=$(root_value iscsid) keeper=$(root_value keeper)" \
		"dhclient=$(root_value dhclient) recovery_tmo=$(root_value recovery_tmo)" \
		"addr=$(root_value addr) uptime=$(root_value uptime) wall=${RIG_WALL}s"
	case $3 in
	*dhcp*) expect_eq "$vname: the real root's dhclient runs (it renews the lease)" \
		"$(root_value dhclient)" yes ;;
	esac
	expect_eq "$vname: the $end ended the boot before the deadline" "$ended" 0
	case $end in
	poweroff) check "$vname: powered off" console_has "reboot: Power down" ;;
	reboot) check "$vname: restarted" console_has "reboot: Restarting system" ;;
	esac
	for bad in "I/O error" "recovery timed out" "blocked for more than" \
		"Failed to execute shutdown binary" "remounting filesystem read-only"; do
		if console_has "$bad"; then
			not_ok "$vname: the console says '$bad'"
			_rig_log | grep -m 3 -F "$bad" | sed 's/^/    | /'
		else
			ok "$vname: no '$bad'"
		fi
	done
	check "$vname: the root filesystem is clean" fsck_root
}

# console_has TEXT: the last boot's console holds TEXT
console_has() { _rig_log | grep -qF -- "$1"; }

# fsck_root: e2fsck -n on the root LV's extent of the LUN, after the boot.
fsck_root() {
	loop=$(losetup -f --show -r -o "$REFLUN_ROOT_OFFSET" --sizelimit "$REFLUN_ROOT_BYTES" \
		"$T_TMP/lun.img") || return 1
	e2fsck -fn "$loop" >"$T_TMP/e2fsck.out" 2>&1
	rc=$?
	losetup -d "$loop"
	[ "$rc" = 0 ] || sed 's/^/    | /' "$T_TMP/e2fsck.out" | tail -n 5
	return "$rc"
}

variant manual reboot 'iface ens2 inet manual'
variant dhcp poweroff 'auto ens2
iface ens2 inet dhcp'
