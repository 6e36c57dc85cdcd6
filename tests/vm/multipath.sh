#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A root on two paths: the reference LUN (its own copy, 192 MiB) served by
# two tgtd, 10.0.2.2:3260 and 10.0.2.3:3260, one backing file with the same
# scsi_id and scsi_sn. Boot 1 names one target with both portals, as a user
# of open-iscsi's syntax does (iscsi_target_ip="10.0.2.2 10.0.2.3"):
# sanroot-boot logs in to both (a session each), sanroot-lvm makes one
# dm-multipath map of the two disks (named after the WWID, UUID mpath-WWID,
# the table multipath-tools' defaults give plus queue_if_no_path) and LVM
# runs on the map. Then the guest writes a file on the mounted root with
# O_DIRECT, over and over, while the host kills the first tgtd: the path
# fails (5 s recovery timeout), the map carries the I/O on the second, the
# writes complete, the file reads back right, and no error reaches the map
# or the filesystem. Boot 2 names the target twice, as dracut's repeated
# netroot= does, and gets the same map.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
reflun_netns "$@"

rig_kernel || { not_ok "multipath: no kernel to boot"; exit 0; }
command -v dmsetup >/dev/null || { not_ok "multipath: dmsetup is missing (package dmsetup)"; exit 0; }
reflun_serve_paths || { not_ok "multipath: the LUN behind two tgtd did not start"; exit 0; }
PORTAL2=$REFLUN_PORTAL2

cat >"$T_TMP/test.sh" <<'EOF'
sanroot-boot --until root --no-reboot
rig_check "boot: two sessions, the map, LVM, root mounted" [ $? = 0 ]
W=$(dmsetup ls --target multipath | cut -f1 | head -n 1)
dm() { echo "dm-$(dmsetup info -c --noheadings -o minor "$1")"; }
rig_mark "map=$W sessions=$(ls /sys/class/iscsi_session | wc -l)"
rig_mark "uuid=$(dmsetup info -c --noheadings -o uuid "$W")"
rig_mark "table=$(dmsetup table "$W" | tr ' ' ,)"
rig_mark "paths=$(ls /sys/block/$(dm "$W")/slaves | tr '\n' ,)"
rig_mark "pv-on=$(ls /sys/block/$(dm client-rootfs)/slaves)"
rig_mark "recovery-tmo=$(cat /sys/class/iscsi_session/session*/recovery_tmo | tr '\n' ,)"
grep -q mptest=nowrite /proc/cmdline && exit 0
if grep -q mptest=join /proc/cmdline; then
	# one path down at boot: the map has the other; the host starts the second
	# tgtd, and the keeper logs in and adds it
	rig_mark "join-wait=1"
	i=0
	while [ $i -lt 900 ] && [ "$(ls /sys/block/$(dm "$W")/slaves | wc -l)" -lt 2 ]; do
		usleep 100000
		i=$((i + 1))
	done
	rig_mark "joined-paths=$(ls /sys/block/$(dm "$W")/slaves | tr '\n' ,)"
	rig_mark "joined-table=$(dmsetup table "$W" | tr ' ' ,)"
	rig_mark "joined-status=$(dmsetup status "$W" | tr ' ' ,)"
	rig_mark "joined-sessions=$(ls /sys/class/iscsi_session | wc -l)"
	i=0
	while [ $i -lt 50 ] && ! dmesg | grep -q 'path added to'; do usleep 100000; i=$((i + 1)); done
	dmesg | grep -a 'sanroot-iscsi: keeper'
	rig_mark "joined-said=$(dmesg | grep -c "keeper: session [0-9]*: path added to $W: ")"
	exit 0
fi

# Write until a pass has run across the path's failure; each pass fsyncs.
dd if=/dev/urandom of=/tmp/data bs=1M count=16 2>/dev/null
rig_mark "data-md5=$(md5sum </tmp/data | cut -d' ' -f1)"
rcs= pass=0
rig_mark "writing=1"
while [ $pass -lt 60 ]; do
	pass=$((pass + 1))
	dd if=/tmp/data of=/root/mp.bin bs=64k oflag=direct conv=fsync 2>/tmp/dd
	rcs="$rcs$?"
	case $(dmsetup status "$W") in *" F "*) failed=1 ;; *) failed= ;; esac
	[ -n "$failed" ] && [ -n "${seen:-}" ] && break
	[ -n "$failed" ] && seen=$pass
done
rig_mark "passes=$pass failed-at=${seen:-none} rcs=$rcs"
rig_mark "status=$(dmsetup status "$W" | tr ' ' ,)"
sync
echo 3 >/proc/sys/vm/drop_caches
rig_mark "file-md5=$(md5sum </root/mp.bin | cut -d' ' -f1)"
rig_mark "dm-errors=$(dmesg | grep -c -e 'I/O error, dev dm-' -e 'Buffer I/O error on dev dm-' -e 'EXT4-fs error')"
rig_mark "path-errors=$(dmesg | grep -c 'I/O error, dev sd')"

# The host starts the first tgtd again: the keeper logs in and reinstates the path.
rig_mark "written=1"
i=0
while [ $i -lt 900 ]; do
	case $(dmsetup status "$W") in *" F "*) ;; *) break ;; esac
	usleep 100000
	i=$((i + 1))
done
rig_mark "back-status=$(dmsetup status "$W" | tr ' ' ,)"
rig_mark "back-reads=$(dd if=/root/mp.bin bs=64k iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
# The kernel's word for it: the keeper's own line may be lost to /dev/kmsg's
# rate limit (10 lines in 5 s per writer) after a noisy outage.
rig_mark "back-said=$(dmesg | grep -c 'device-mapper: multipath: [0-9:]*: Reinstating path ')"
dmesg | grep -a "reinstat"
dmesg | grep 'sanroot-iscsi: keeper'
dmesg | grep -i -e multipath -e 'device-mapper' | tail -n 8
EOF

rig_initramfs "$T_TMP/boot.img" init="$T_TMP/test.sh" bin="$(command -v dmsetup)" \
	mods="$RIG_MODULES dm_multipath dm_service_time" ||
	{ not_ok "multipath: initramfs"; exit 0; }
creds="root=/dev/mapper/client-rootfs rw iscsi_initiator=$REFLUN_INITIATOR"
creds="$creds iscsi_username=$REFLUN_USER iscsi_password=$REFLUN_PASS"

# map NAME: the checks of the map a boot made
map() {
	W=$(rig_value map)
	expect_eq "$1: two sessions" "$(rig_value sessions)" 2
	case $W in
	3*) ok "$1: one map, named after the WWID ($W)" ;;
	*) not_ok "$1: no map named after a WWID: '$W'"; rig_tail 30 ;;
	esac
	expect_eq "$1: its UUID is multipathd's" "$(rig_value uuid)" "mpath-$W"
	# The kernel prints service-time's two path arguments (repeat count, relative throughput).
	t=$(rig_value table | tr , ' ')
	echo "# table: $t"
	case $t in
	"0 "*" multipath 1 queue_if_no_path 0 2 1 service-time 0 1 2 "*" 1 1 service-time 0 1 2 "*" 1 1 ")
		ok "$1: failover groups, service-time 0, queue_if_no_path" ;;
	*) not_ok "$1: table '$t'" ;;
	esac
	case $(rig_value paths) in
	sd?,sd?,) ok "$1: two paths under the map ($(rig_value paths))" ;;
	*) not_ok "$1: paths under the map: '$(rig_value paths)'" ;;
	esac
	case $(rig_value pv-on) in
	dm-*) ok "$1: the LV's PV is the map ($(rig_value pv-on)), not a path" ;;
	*) not_ok "$1: the LV sits on '$(rig_value pv-on)'" ;;
	esac
	expect_eq "$1: each session's recovery timeout is 5 s" "$(rig_value recovery-tmo)" "5,5,"
}

# 2. dracut's repeated netroot= (first, while both tgtd run)
rig_boot initrd="$T_TMP/boot.img" mem="$REFLUN_MEM" timeout=200 net=10.0.3.0/24 \
	append="netroot=iscsi:$REFLUN_PORTAL::3260:1:$REFLUN_IQN netroot=iscsi:$PORTAL2::3260:1:$REFLUN_IQN $creds mptest=nowrite" ||
	not_ok "multipath netroot: the guest did not power off within 200 s"
rig_results "multipath netroot"
map "multipath netroot"

# 1. one target, two portals; the first tgtd killed during the writes
rig_start initrd="$T_TMP/boot.img" mem="$REFLUN_MEM" timeout=300 net=10.0.3.0/24 \
	append="iscsi_target_name=$REFLUN_IQN iscsi_target_ip=\"$REFLUN_PORTAL $PORTAL2\" $creds"
if rig_wait_marker writing 200; then
	tgt_use a
	tgt_kill
	if rig_wait_marker written 200; then
		tgt_restart reflun_paths_setup || not_ok "multipath: the first tgtd did not come back"
	fi
else
	not_ok "multipath: the guest never started writing"
fi
rig_wait || not_ok "multipath: the guest did not power off within 300 s"
rig_results multipath
map multipath
tgt_save a
echo "# writes: $(rig_value passes) passes, the path failed in pass $(rig_value failed-at);" \
	"status $(rig_value status | tr , ' ')"
case $(rig_value failed-at) in
'' | none) not_ok "multipath: the first path never failed while the guest wrote" ;;
*) ok "multipath: the first path failed during a write" ;;
esac
case $(rig_value rcs) in
*[!0]*) not_ok "multipath: a write failed (exit statuses $(rig_value rcs))" ;;
?*) ok "multipath: every write completed across the failure ($(rig_value passes) passes)" ;;
*) not_ok "multipath: no write ran" ;;
esac
expect_eq "multipath: the file reads back right" "$(rig_value file-md5)" "$(rig_value data-md5)"
expect_eq "multipath: no I/O error reached the map or the filesystem" "$(rig_value dm-errors)" 0
echo "# the failed path's own I/O errors (dm-multipath retried them on the other): $(rig_value path-errors)"
s=$(rig_value back-status | tr , ' ')
echo "# after the first tgtd came back: $s"
case $s in
*" F "* | '') not_ok "multipath: the path is not back in the map after its target came back" ;;
*) ok "multipath: the keeper logged in again and reinstated the path" ;;
esac
expect_eq "multipath: reinstated by a message to the map, once (the kernel's line)" \
	"$(rig_value back-said)" 1
expect_eq "multipath: the file reads back right through the map, both paths in" \
	"$(rig_value back-reads)" "$(rig_value data-md5)"
grep -a 'sanroot[a-z-]*: ' "$RIG_LOG" | grep -a -e multipath -e 'lvm:' | sed 's/^/# /' | head -n 6

# 3. the second portal down at boot: the map starts with one path; the second
# joins when its tgtd comes up (the keeper logs in, loads the table again)
tgt_use b
tgt_kill
rig_start initrd="$T_TMP/boot.img" mem="$REFLUN_MEM" timeout=300 net=10.0.3.0/24 \
	append="iscsi_target_name=$REFLUN_IQN iscsi_target_ip=\"$REFLUN_PORTAL $PORTAL2\" $creds mptest=join"
if rig_wait_marker join-wait 200; then
	tgt_restart reflun_paths_setup || not_ok "multipath join: the second tgtd did not start"
else
	not_ok "multipath join: the guest never booted"
fi
rig_wait || not_ok "multipath join: the guest did not power off within 300 s"
rig_results "multipath join"
W=$(rig_value map)
expect_eq "multipath join: one session at boot" "$(rig_value sessions)" 1
case $W in
3*) ok "multipath join: a map of the one path up ($(rig_value paths))" ;;
*) not_ok "multipath join: no map at boot: '$W'"; rig_tail 30 ;;
esac
case $(rig_value pv-on) in
dm-*) ok "multipath join: LVM runs on the map" ;;
*) not_ok "multipath join: the LV sits on '$(rig_value pv-on)'" ;;
esac
case $(rig_value joined-paths) in
sd?,sd?,) ok "multipath join: the second path joined the map ($(rig_value joined-paths))" ;;
*) not_ok "multipath join: paths after the tgtd came up: '$(rig_value joined-paths)'" ;;
esac
t=$(rig_value joined-table | tr , ' ')
echo "# table after the join: $t"
case $t in
"0 "*" multipath 1 queue_if_no_path 0 2 1 service-time 0 1 2 "*" 1 1 service-time 0 1 2 "*" 1 1 ")
	ok "multipath join: the table has both, as one made with both" ;;
*) not_ok "multipath join: table '$t'" ;;
esac
s=$(rig_value joined-status | tr , ' ')
case $s in
*" F "* | '') not_ok "multipath join: a path is not active: '$s'" ;;
*) ok "multipath join: both paths active" ;;
esac
expect_eq "multipath join: two sessions" "$(rig_value joined-sessions)" 2
expect_eq "multipath join: the keeper said so" "$(rig_value joined-said)" 1

# 4. no dm-multipath in the kernel (an image without its module): the first
# path alone carries the root, as without multipath, rather than LVM finding
# the PV on both
rig_initramfs "$T_TMP/nodm.img" init="$T_TMP/test.sh" bin="$(command -v dmsetup)" ||
	{ not_ok "multipath: initramfs without dm-multipath"; exit 0; }
rig_boot initrd="$T_TMP/nodm.img" mem="$REFLUN_MEM" timeout=200 net=10.0.3.0/24 \
	append="iscsi_target_name=$REFLUN_IQN iscsi_target_ip=\"$REFLUN_PORTAL $PORTAL2\" $creds mptest=nowrite" ||
	not_ok "multipath alone: the guest did not power off within 200 s"
rig_results "multipath alone"
expect_eq "multipath alone: two sessions" "$(rig_value sessions)" 2
case $(rig_value pv-on) in
sd?) ok "multipath alone: the LV sits on one path ($(rig_value pv-on))" ;;
*) not_ok "multipath alone: the LV sits on '$(rig_value pv-on)'" ;;
esac
check "multipath alone: said on the console" \
	grep -aq "sanroot-lvm: multipath: unable to make the map 3[0-9a-f]*: .*; using sd[a-z] alone" "$RIG_LOG"

tgt_stop
tgt_use a
tgt_stop
