#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A LUN's identity as multipath-tools groups paths by it: probe's wwid= (udev's
# ID_SERIAL) and sysfs_wwid= (the kernel's wwid) for LUNs tgtd is told a
# scsi_id and scsi_sn for. One LUN through two portals, and a second target on
# the same file with the same scsi_id and scsi_sn, give one WWID; another
# scsi_id gives another. Cross-checked against sg3_utils' decoding of the same
# page (sg_inq --export, what sg3-utils-udev makes ID_SERIAL of) and libiscsi's
# iscsi-inq.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/iscsi.sh"

IQN_A=iqn.2024-01.org.sanroot.test:wwid-a
IQN_B=iqn.2024-01.org.sanroot.test:wwid-b
DISK=$(lun_file disk.img 8)
ID1=sanroot-0a1b2c3d SN1=SR0001
ID2=sanroot-0a1b2c3e SN2=SR0002

tgt_start || { not_ok "tgtd: did not start"; exit 1; }
PORT2=$(free_port)
setup() {
	tgt_target 1 $IQN_A && tgt_target 2 $IQN_B &&
	tgt_lun 1 1 "$DISK" && tgt_lun 2 1 "$DISK" && tgt_lun 1 2 "$DISK" &&
	tgt_adm --op update --mode logicalunit --tid 1 --lun 1 --params scsi_id=$ID1,scsi_sn=$SN1 &&
	tgt_adm --op update --mode logicalunit --tid 2 --lun 1 --params scsi_id=$ID1,scsi_sn=$SN1 &&
	tgt_adm --op update --mode logicalunit --tid 1 --lun 2 --params scsi_id=$ID2,scsi_sn=$SN2 &&
	tgt_adm --op new --mode portal --param portal=127.0.0.1:$PORT2
}
setup || { not_ok "tgtd: setup failed"; exit 1; }
wait_for 10 sh -c "ss -ltn | grep -q '127.0.0.1:$PORT2 '" || not_ok "tgtd: no second portal"
P1=127.0.0.1:$TGT_PORT
P2=127.0.0.1:$PORT2

# value KEY LUN FILE: a key's value on a "lun N" line of a probe, unquoted
value() {
	awk -v k="$1" -v l="$2" '$1 == "lun" && $2 == l {
		for (i = 3; i <= NF; i++) if (index($i, k "=") == 1) { v = substr($i, length(k) + 2); gsub(/\047/, "", v); print v } }' "$3"
}

# probe_to NAME TARGET@PORTAL: probe with the raw pages logged; keeps stdout and stderr as NAME.out/.err
probe_to() {
	si probe --no-content --verbose --verbose "$2"
	expect_out "probe $1" "lun 1 type=disk"
	cp "$SI_OUT" "$T_TMP/$1.out"
	cp "$SI_ERR" "$T_TMP/$1.err"
}
probe_to a1 $IQN_A@$P1
probe_to a2 $IQN_A@$P2
probe_to b1 $IQN_B@$P1

W=$(value wwid 1 "$T_TMP/a1.out")
case $W in
3*) ok "LUN 1's wwid is an NAA one ($W)" ;;
*) not_ok "LUN 1's wwid is an NAA one: got '$W'" ;;
esac
expect_eq "the same LUN through a second portal: the same wwid" "$(value wwid 1 "$T_TMP/a2.out")" "$W"
expect_eq "the same LUN through a second portal: the same sysfs_wwid" \
	"$(value sysfs_wwid 1 "$T_TMP/a2.out")" "$(value sysfs_wwid 1 "$T_TMP/a1.out")"
expect_eq "another target, same file, scsi_id and scsi_sn: the same wwid" "$(value wwid 1 "$T_TMP/b1.out")" "$W"
W2=$(value wwid 2 "$T_TMP/a1.out")
[ -n "$W2" ] && [ "$W2" != "$W" ] && ok "another scsi_id: another wwid ($W2)" ||
	not_ok "another scsi_id: another wwid: got '$W2' and '$W'"
[ "$(value sysfs_wwid 2 "$T_TMP/a1.out")" != "$(value sysfs_wwid 1 "$T_TMP/a1.out")" ] &&
	ok "another scsi_id: another sysfs_wwid" || not_ok "another scsi_id: another sysfs_wwid"
[ "$(value wwid 0 "$T_TMP/a1.out")" != "$W" ] && ok "the controller at LUN 0 is not the disk" ||
	not_ok "the controller at LUN 0 is not the disk"

# ---- sg3_utils decodes the same page: ID_SERIAL is 3 and the NAA registered extended one
for lun in 1 2; do
	sed -n "s/.*lun $lun: VPD page 0x83: \([0-9a-f]*\)$/\1/p" "$T_TMP/a1.err" | sed 's/../& /g' >"$T_TMP/p$lun.hex"
	if [ ! -s "$T_TMP/p$lun.hex" ]; then
		not_ok "lun $lun: the raw page 0x83 is logged at --verbose --verbose"
		continue
	fi
	naa=$(sg_inq --export --page=0x83 --inhex="$T_TMP/p$lun.hex" 2>/dev/null | sed -n 's/^SCSI_IDENT_LUN_NAA_REGEXT=//p')
	if [ -z "$naa" ]; then
		not_ok "lun $lun: sg_inq finds an NAA registered extended designator"
		continue
	fi
	expect_eq "lun $lun: wwid agrees with sg_inq (ID_SERIAL=3\$SCSI_IDENT_LUN_NAA_REGEXT)" \
		"$(value wwid $lun "$T_TMP/a1.out")" "3$naa"
	expect_eq "lun $lun: sysfs_wwid agrees with sg_inq (naa.)" "$(value sysfs_wwid $lun "$T_TMP/a1.out")" "naa.$naa"
done

# ---- libiscsi sees the scsi_id we set as the LUN's T10 designator
for lun in 1 2; do
	want=$ID1
	[ $lun = 2 ] && want=$ID2
	t10=$(iscsi-inq -e 1 -c 131 iscsi://$P1/$IQN_A/$lun 2>&1 |
		awk '/Designator Type:.*T10/ { t = 1; next } t && /^Designator:/ { sub(/^Designator:\[/, ""); sub(/\]$/, ""); print; exit }')
	expect_eq "lun $lun: iscsi-inq's T10 designator is the scsi_id set" "$t10" "$want"
done

tgt_stop
