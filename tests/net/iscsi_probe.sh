#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# probe, read and write against a private tgtd: probe agrees with libiscsi's
# iscsi-inq, iscsi-readcapacity16 and iscsi-ls; libblkid names what each LUN
# holds; read returns exactly the backing file's bytes; write needs its flag.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/iscsi.sh"

IQN=iqn.2024-01.org.sanroot.test:disks
RAND=$(lun_file random.img 64 random)
EXT4=$(lun_file ext4.img 16)
MBR=$(lun_file mbr.img 16)
LVM=$(lun_file lvm.img 16)
SCRATCH=$(lun_file scratch.img 8 random)

mke2fs -q -F -t ext4 -L sanroot-root "$EXT4" >/dev/null 2>&1 ||
	not_ok "mke2fs could not make the ext4 image"
# A DOS partition table with two 4 MiB partitions (sfdisk is not always installed).
python3 - "$MBR" <<'PY' || not_ok "could not write the partition table"
import struct, sys
def entry(start, count):
    return struct.pack('<B3sB3sII', 0, b'\0\0\0', 0x83, b'\0\0\0', start, count)
with open(sys.argv[1], 'r+b') as f:
    f.seek(446)
    f.write(entry(2048, 8192) + entry(10240, 8192) + bytes(32) + b'\x55\xaa')
PY
# A PV label written by lvm2 itself, on a loop device, with a private lvm.conf.
mkdir -p "$T_TMP/lvm/lock"
"$TOP/scripts/lvmconf.sh" "$T_TMP/lvm" '^/dev/loop' >"$T_TMP/lvm/lvm.conf"
LOOP=$(losetup -f --show "$LVM" 2>/dev/null)
if [ -n "$LOOP" ]; then
	LVM_SYSTEM_DIR=$T_TMP/lvm pvcreate -q --driverloaded n "$LOOP" >/dev/null 2>&1 ||
		not_ok "pvcreate failed on $LOOP"
	losetup -d "$LOOP"
else
	not_ok "no loop device for the LVM image"
fi

setup() {
	tgt_target 1 $IQN &&
	tgt_lun 1 1 "$RAND" && tgt_lun 1 2 "$EXT4" && tgt_lun 1 3 "$MBR" && tgt_lun 1 4 "$LVM" &&
	tgt_lun 1 5 "$SCRATCH"
}
tgt_start || { not_ok "tgtd: did not start"; exit 1; }
setup || { not_ok "tgtd: setup failed"; exit 1; }
P=127.0.0.1:$TGT_PORT
URL=iscsi://$P/$IQN

# ---- probe, and what libiscsi says about the same LUNs
si probe $IQN@$P
expect_out "probe logs in and lists LUNs" "lun 1 type=disk"
cp "$SI_OUT" "$T_TMP/probe.out"

# value KEY LUN: a key's value on a "lun N" line of the probe, unquoted
value() {
	awk -v k="$1" -v l="$2" '$1 == "lun" && $2 == l {
		for (i = 3; i <= NF; i++) if (index($i, k "=") == 1) { v = substr($i, length(k) + 2); gsub(/\047/, "", v); print v } }' \
		"$T_TMP/probe.out"
}

for lun in 0 1 2 3 4 5; do
	iscsi-inq $URL/$lun >"$T_TMP/inq" 2>&1
	want_v=$(sed -n 's/^Vendor:\(.*\)/\1/p' "$T_TMP/inq" | sed 's/ *$//')
	want_p=$(sed -n 's/^Product:\(.*\)/\1/p' "$T_TMP/inq" | sed 's/ *$//')
	want_r=$(sed -n 's/^Revision:\(.*\)/\1/p' "$T_TMP/inq" | sed 's/ *$//')
	expect_eq "probe agrees with iscsi-inq: lun $lun vendor" "$(value vendor $lun)" "$want_v"
	expect_eq "probe agrees with iscsi-inq: lun $lun product" "$(value product $lun)" "$want_p"
	expect_eq "probe agrees with iscsi-inq: lun $lun revision" "$(value revision $lun)" "$want_r"
	want_s=$(iscsi-inq -e 1 -c 128 $URL/$lun 2>&1 | sed -n 's/^Unit Serial Number:\[ *\(.*\)\]$/\1/p')
	expect_eq "probe agrees with iscsi-inq: lun $lun serial" "$(value serial $lun)" "$want_s"
done
for lun in 1 2 5; do
	iscsi-readcapacity16 $URL/$lun >"$T_TMP/rc16" 2>&1
	last=$(sed -n 's/^RETURNED LOGICAL BLOCK ADDRESS:\(.*\)/\1/p' "$T_TMP/rc16")
	bs=$(sed -n 's/^LOGICAL BLOCK LENGTH IN BYTES:\(.*\)/\1/p' "$T_TMP/rc16")
	size=$(sed -n 's/^Total size:\(.*\)/\1/p' "$T_TMP/rc16")
	expect_eq "probe agrees with iscsi-readcapacity16: lun $lun blocks" "$(value blocks $lun)" "$((last + 1))"
	expect_eq "probe agrees with iscsi-readcapacity16: lun $lun block size" "$(value block_size $lun)" "$bs"
	expect_eq "probe agrees with iscsi-readcapacity16: lun $lun size" "$(value size $lun)" "$size"
done
iscsi-ls -s iscsi://$P >"$T_TMP/ls" 2>&1
want=$(sed -n 's/^Lun:\([0-9]*\) *Type:\([A-Z_]*\).*/\1 \2/p' "$T_TMP/ls" |
	sed 's/STORAGE_ARRAY_CONTROLLER/controller/; s/DIRECT_ACCESS/disk/' | tr '\n' ' ')
got=$(awk '$1 == "lun" { t = $3; sub(/^type=/, "", t); printf "%s %s ", $2, t }' "$T_TMP/probe.out")
expect_eq "probe agrees with iscsi-ls on LUNs and types" "$got" "$want"

# ---- what the LUNs hold, as libblkid sees their first bytes
expect_eq "probe sees ext4" "$(value content 2)" "ext4"
expect_eq "probe sees the ext4 label" "$(value label 2)" "sanroot-root"
expect_eq "probe sees a partition table" "$(value pttype 3)" "dos"
expect_eq "probe counts its partitions" "$(value partitions 3)" "2"
expect_eq "probe sees an LVM2 PV" "$(value content 4)" "LVM2_member"
expect_eq "probe finds nothing on random bytes" "$(value content 1)" "none"

si probe --lun 2 $IQN@$P
expect_out "probe --lun: the one LUN" "lun 2 type=disk"
[ "$(grep -c '^lun ' "$SI_OUT")" = 1 ] && ok "probe --lun: nothing else" || not_ok "probe --lun: nothing else"
si probe --no-content $IQN@$P
expect_out "probe --no-content still sizes the LUNs" "lun 2 type=disk"
grep -q "content=" "$SI_OUT" && not_ok "probe --no-content reads nothing" || ok "probe --no-content reads nothing"
si probe --lun 9 $IQN@$P
expect_out "probe --lun of a missing LUN says so" "lun 9 type=none"

# ---- read: exactly the file's bytes, aligned or not, across MaxBurstLength (262144)
# and across our 1 MiB commands
check_read() {
	lun=$1 off=$2 len=$3 file=$4
	si read $IQN@$P "$lun" "$off" "$len"
	if [ "$SI_RC" != 0 ]; then
		not_ok "read lun $lun at $off for $len: exit $SI_RC $(tail -n1 "$SI_ERR")"
	elif [ "$(stat -c %s "$SI_OUT")" != "$len" ]; then
		not_ok "read lun $lun at $off for $len: got $(stat -c %s "$SI_OUT") bytes"
	elif ! cmp -s -n "$len" "$SI_OUT" "$file" -i "0:$off"; then
		not_ok "read lun $lun at $off for $len: bytes differ"
	else
		ok "read lun $lun at $off for $len"
	fi
}
check_read 1 0 512 "$RAND"
check_read 1 0 1 "$RAND"
check_read 1 1 1 "$RAND"
check_read 1 511 2 "$RAND"
check_read 1 262143 2 "$RAND"
check_read 1 100000 300000 "$RAND"
check_read 1 262144 524288 "$RAND"
check_read 1 1048575 1048578 "$RAND"
check_read 1 3145721 2097166 "$RAND"
check_read 1 67108863 1 "$RAND"
check_read 1 67107864 1000 "$RAND"
check_read 2 0 65536 "$EXT4"
si read $IQN@$P 1 0 64M
if [ "$SI_RC" = 0 ] && [ "$(md5sum <"$SI_OUT")" = "$(md5sum <"$RAND")" ]; then
	ok "read the whole 64 MiB LUN: same md5 as the file"
else
	not_ok "read the whole 64 MiB LUN: exit $SI_RC"
fi
si read $URL/1 4096 4096
if [ "$SI_RC" = 0 ] && cmp -s -n 4096 "$SI_OUT" "$RAND" -i 0:4096; then
	ok "read takes the LUN from an iscsi:// URL"
else
	not_ok "read takes the LUN from an iscsi:// URL: exit $SI_RC"
fi
si read $IQN@$P 1 64M 1
expect_rc "read beyond the end is refused" 111 "beyond the end of LUN 1"
si read $IQN@$P 9 0 1
expect_rc "read of a missing LUN names the failure" 111 "illegal request"
si read $IQN@$P 1 0 1X
expect_rc "read with a bad LENGTH is a usage error" 100 "is not a number"

# ---- write
head -c 1048576 /dev/urandom >"$T_TMP/patch"
si write $IQN@$P 5 1048576 1M <"$T_TMP/patch"
expect_rc "write without --allow-write is refused" 100 "--allow-write"
cmp -s -n 1048576 "$T_TMP/patch" "$SCRATCH" -i 0:1048576 &&
	not_ok "write without --allow-write changed nothing" || ok "write without --allow-write changed nothing"
si --allow-write write $IQN@$P 5 1048576 1M <"$T_TMP/patch"
expect_rc "write with --allow-write" 0
cmp -s -n 1048576 "$T_TMP/patch" "$SCRATCH" -i 0:1048576 &&
	ok "write put the bytes into the backing file" || not_ok "write put the bytes into the backing file"
si read $IQN@$P 5 1048576 1M
cmp -s "$SI_OUT" "$T_TMP/patch" && ok "read returns what write wrote" || not_ok "read returns what write wrote"
head -c 300000 /dev/urandom >"$T_TMP/patch2"
si --allow-write write $IQN@$P 5 3000064 300000 <"$T_TMP/patch2"
expect_rc "write of a partial block is refused" 100 "multiples of the block size"
si --allow-write write $IQN@$P 5 0 1M <"$T_TMP/patch2"
expect_rc "write with too little input fails" 111 "standard input ended after"

tgt_stop
