#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot's dm-multipath map against the one Debian's own multipath-tools
# (0.9.4, unpacked by scripts/multipath-tools.sh, not installed) makes for
# the same two paths in the same VM (issue 14). The reference LUN is served
# by two tgtd, 10.0.2.2:3260 and 10.0.2.3:3260, one backing file with the
# same scsi_id and scsi_sn, as in tests/vm/multipath.sh. One boot:
# sanroot-boot logs in to both (--until iscsi: two disks, no map); Debian's
# `multipath` makes its map, which the guest records and removes; then
# sanroot-lvm makes its own. The two kernel tables must be equal, and so
# must the names and UUIDs.
#
# multipath.conf holds what a Debian system with a root on this LUN would
# set, and nothing else:
#   find_multipaths no       the default ("strict") makes a map only of a
#                            WWID already in /etc/multipath/wwids, which a
#                            fresh guest does not have
#   no_path_retry queue      sanroot's choice for a root: queue while no
#                            path is up (queue_if_no_path) rather than fail
#   user_friendly_names no   the map named after the WWID, as sanroot names
#                            it (Debian's default, said for clarity)
# `multipath -q` keeps queue_if_no_path: without it, multipath takes the
# feature off again at once when multipathd is not running (it is not here,
# as it would be on a Debian system), and the kernel's table would say so.
#
# Without udevd: multipath 0.9.4 lists block devices through libudev with
# udev_enumerate_add_match_is_initialized(), which skips a device that has
# no entry in udev's database (/run/udev/data/bMAJ:MIN). The guest writes an
# empty entry for each path: no property, in particular no ID_SERIAL. Its
# WWID then comes from multipath's own fallback, which the multipath command
# allows at once (retrigger_tries 0): the kernel's copy of the Device
# Identification page, sysfs vpd_pg83 ("uid = ... (sysfs)" in its -v3 log).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
# Debian's multipath, unpacked once, before the namespace (it has no route out)
[ -n "${REFLUN_NETNS:-}" ] || "$TOP/scripts/multipath-tools.sh" fetch >&2
reflun_netns "$@"

rig_kernel || { not_ok "multipath-tools: no kernel to boot"; exit 0; }
command -v dmsetup >/dev/null || { not_ok "multipath-tools: dmsetup is missing (package dmsetup)"; exit 0; }
MPT=$("$TOP/scripts/multipath-tools.sh" dir 2>/dev/null) ||
	{ not_ok "multipath-tools: not unpacked (scripts/multipath-tools.sh fetch)"; exit 0; }
reflun_serve_paths || { not_ok "multipath-tools: the LUN behind two tgtd did not start"; exit 0; }
PORTAL2=$REFLUN_PORTAL2

cat >"$T_TMP/multipath.conf" <<'EOF'
defaults {
	find_multipaths no
	no_path_retry queue
	user_friendly_names no
}
EOF

cat >"$T_TMP/test.sh" <<'EOF'
maps() { dmsetup ls --target multipath | awk '$1 != "No" { print $1 }'; }
# map_marks PREFIX MAP: the kernel's table of MAP, and its name and UUID
map_marks() {
	rig_mark "$1-table=$(dmsetup table "$2" | tr ' ' ,)"
	rig_mark "$1-info=$(dmsetup info -c --noheadings -o name,uuid --separator , "$2")"
}
sanroot-boot --until iscsi --no-reboot
rig_check "sanroot-boot --until iscsi" [ $? = 0 ]
rig_mark "sessions=$(ls /sys/class/iscsi_session | wc -l) disks=$(ls /sys/block | grep '^sd' | tr '\n' ,)"
rig_mark "maps-before=$(maps | wc -l)"

mkdir -p /run/udev/data
for d in /sys/block/sd*; do : >"/run/udev/data/b$(cat "$d/dev")"; done
multipath -q -v3 >/tmp/mpt.log 2>&1
rig_mark "mpt-rc=$?"
M=$(maps | head -n 1)
rig_mark "mpt-maps=$(maps | wc -l)"
[ -n "$M" ] || cat /tmp/mpt.log
grep -e ': uid = ' -e ': hardware_handler = ' -e ': features = ' -e ': path_selector = ' \
	-e ': path_grouping_policy = ' -e ': prio = ' -e ': no_path_retry = ' -e addmap /tmp/mpt.log
rig_mark "mpt-uid-sysfs=$(grep -c ': uid = [0-9a-f]* (sysfs)' /tmp/mpt.log)"
rig_mark "mpt-addmap=$(sed -n 's/.*: addmap \[\(.*\)\]$/\1/p' /tmp/mpt.log | tr ' ' ,)"
if [ -n "$M" ]; then
	map_marks mpt "$M"
	dmsetup remove "$M"
fi
rm -rf /run/udev
rig_mark "maps-between=$(maps | wc -l)"

sanroot-lvm --all
rig_mark "lvm-rc=$?"
S=$(maps | head -n 1)
rig_mark "sr-maps=$(maps | wc -l)"
[ -n "$S" ] && map_marks sr "$S"
EOF

# multipath, its libraries and plugins at the paths Debian installs them in:
# the package's own from the unpacked tree, the host's where they are.
files="file=$T_TMP/multipath.conf:/etc/multipath.conf"
for f in $(LD_LIBRARY_PATH=$("$TOP/scripts/multipath-tools.sh" libpath) ldd "$MPT/sbin/multipath" |
	awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }') \
	"$MPT/sbin/multipath" "$MPT"/lib/multipath/*.so; do
	files="$files file=$f:${f#"$MPT"}"
done
# shellcheck disable=SC2086 # a list of options
rig_initramfs "$T_TMP/boot.img" init="$T_TMP/test.sh" bin="$(command -v dmsetup)" $files \
	mods="$RIG_MODULES dm_multipath dm_service_time" ||
	{ not_ok "multipath-tools: initramfs"; exit 0; }
creds="root=/dev/mapper/client-rootfs rw iscsi_initiator=$REFLUN_INITIATOR"
creds="$creds iscsi_username=$REFLUN_USER iscsi_password=$REFLUN_PASS"
rig_boot initrd="$T_TMP/boot.img" mem="$REFLUN_MEM" timeout=120 net=10.0.3.0/24 \
	append="iscsi_target_name=$REFLUN_IQN iscsi_target_ip=\"$REFLUN_PORTAL $PORTAL2\" $creds" ||
	not_ok "multipath-tools: the guest did not power off within 120 s"
rig_results multipath-tools
tgt_stop
tgt_use a
tgt_stop

expect_eq "multipath-tools: two sessions, two disks" \
	"$(rig_value sessions) $(rig_value disks)" "2 sda,sdb,"
expect_eq "multipath-tools: no map before multipath runs" "$(rig_value maps-before)" 0
expect_eq "multipath-tools: Debian's multipath $("$TOP/scripts/multipath-tools.sh" version) succeeds" \
	"$(rig_value mpt-rc)" 0
expect_eq "multipath-tools: multipath makes one map" "$(rig_value mpt-maps)" 1
expect_eq "multipath-tools: multipath reads each path's WWID from sysfs vpd_pg83" \
	"$(rig_value mpt-uid-sysfs)" 2
expect_eq "multipath-tools: its map removed before sanroot-lvm runs" "$(rig_value maps-between)" 0
expect_eq "multipath-tools: sanroot-lvm makes one map" "$(rig_value sr-maps)" 1

mpt=$(rig_value mpt-table | tr , ' ')
sr=$(rig_value sr-table | tr , ' ')
echo "# multipath loaded:  $(rig_value mpt-addmap | tr , ' ')"
echo "# multipath's table: $mpt"
echo "# sanroot's table:   $sr"
# paths_sorted TABLE: TABLE with its MAJ:MIN words, where they stand, sorted
paths_sorted() {
	echo "$1" | awk -v sorted="$(echo "$1" | tr ' ' '\n' | grep -E '^[0-9]+:[0-9]+$' |
		sort -t: -k1,1n -k2,2n | tr '\n' ' ')" '{
		split(sorted, s, " "); k = 0
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+:[0-9]+$/) $i = s[++k]
		print }'
}
if [ -z "$mpt" ] || [ -z "$sr" ]; then
	not_ok "multipath-tools: a table is missing (multipath '$mpt', sanroot '$sr')"
elif [ "$mpt" = "$sr" ]; then
	ok "multipath-tools: the kernel's tables are equal"
elif [ "$(paths_sorted "$mpt")" = "$(paths_sorted "$sr")" ]; then
	ok "multipath-tools: the kernel's tables are equal but for the order of the paths"
else
	not_ok "multipath-tools: the kernel's tables differ"
fi
expect_eq "multipath-tools: the same name and UUID (name,uuid)" \
	"$(rig_value sr-info)" "$(rig_value mpt-info)"
echo "# name,uuid: $(rig_value sr-info); one boot: $RIG_WALL s"
