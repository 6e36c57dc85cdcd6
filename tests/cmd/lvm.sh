#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-lvm as a user runs it: scan and --dry-run on the images real lvm2
# wrote (tests/fixtures/lvm), the plan's choice of LVs, refusals, exit codes.
. "$(dirname "$0")/../lib.sh"
LVM=$SANROOT_BIN/sanroot-lvm
FIX=$TOP/tests/fixtures/lvm

# unpack NAME: the fixture's disks at their real size in $T_TMP/NAME/DISK.
unpack() {
	mkdir -p "$T_TMP/$1"
	grep "^$1 " "$FIX/MANIFEST" | while read -r f d size kept; do
		gzip -dc "$FIX/$f.$d.img.gz" >"$T_TMP/$f/$d"
		truncate -s "$size" "$T_TMP/$f/$d"
	done
}
for f in reference whole partition span striped segments many renamed wrapped twocopies twins thin raid1; do
	unpack "$f"
done
# An empty root, so that no /etc file of this host enters the plan.
mkdir -p "$T_TMP/root"
plan() { "$LVM" --sysroot "$T_TMP/root" --dry-run "$@"; }

# run NAME WANT_RC COMMAND...: ok if it exits WANT_RC; output in $T_TMP/out, $T_TMP/err.
run() {
	name=$1 want=$2; shift 2
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$name"; else not_ok "$name: exit $rc, want $want: $(head -c 300 "$T_TMP/err")"; fi
}

# has NAME FILE TEXT: ok if FILE holds TEXT.
has() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1: no \"$3\" in $(head -c 300 "$2")"; fi
}

run "help" 0 "$LVM" --help
has "help names scan" "$T_TMP/out" "sanroot-lvm scan"
run "version" 0 "$LVM" --version
run "unknown option" 100 "$LVM" --frobnicate
run "--lv without a VG" 100 "$LVM" --lv rootfs
run "--wait not a number" 100 "$LVM" --wait soon
run "scan takes no activation option" 100 "$LVM" scan --all

# scan
run "scan the reference LUN" 0 "$LVM" scan "$T_TMP/reference/vda"
has "scan shows the VG" "$T_TMP/out" "VG client  UUID "
has "scan shows rootfs" "$T_TMP/out" "  LV rootfs  48.00 MiB  linear"
has "scan shows the extents" "$T_TMP/out" "     extents 0-1: linear pv0 12-13"
run "scan a partitioned image" 0 "$LVM" scan "$T_TMP/partition/vda"
has "scan finds the PV in partition 1" "$T_TMP/out" "PV pv0  $T_TMP/partition/vda1"
run "scan thin" 0 "$LVM" scan "$T_TMP/thin/vda"
has "scan says thin-pool is not supported" "$T_TMP/out" "LV pool  8.00 MiB  thin-pool  [not supported: segment type thin-pool]"
has "scan marks hidden LVs" "$T_TMP/out" "LV pool_tdata  8.00 MiB  linear  [hidden]"
run "scan two copies, one damaged" 0 "$LVM" scan "$T_TMP/twocopies/vda"
has "the damaged copy is reported" "$T_TMP/err" "metadata copy 1 (byte 4096) is damaged"
has "the good copy is used" "$T_TMP/err" "copy 2 is good and used"
run "scan twins" 0 "$LVM" scan "$T_TMP/twins/vda" "$T_TMP/twins/vdb"
has "twins are refused" "$T_TMP/out" "refused: two VGs are named twin"
run "scan a missing file" 111 "$LVM" scan "$T_TMP/nothing-here"
has "a missing file is named" "$T_TMP/err" "unable to read $T_TMP/nothing-here"
: >"$T_TMP/empty"
run "scan a file with no PV" 0 "$LVM" scan "$T_TMP/empty"

# --dry-run --all: the tables lvm2 would load, for every fixture.
for f in reference whole partition span striped segments many renamed wrapped twocopies twins thin raid1; do
	"$LVM" --dry-run --all "$T_TMP/$f"/* 2>/dev/null | sed "s|$T_TMP/$f/||g" |
		LC_ALL=C sort -s -t: -k1,1 -k2n >"$T_TMP/$f.got"
	if cmp -s "$T_TMP/$f.got" "$FIX/$f.table"; then
		ok "dry-run tables of $f equal lvm2's"
	else
		not_ok "dry-run tables of $f: $(diff "$T_TMP/$f.got" "$FIX/$f.table" | head -c 300)"
	fi
done

# What the plan asks for.
ref=$T_TMP/reference/vda
run "root=/dev/mapper/VG-LV" 0 plan --cmdline "root=/dev/mapper/client-rootfs ro" "$ref"
expect_eq "only the root LV" "$(cut -d: -f1 "$T_TMP/out" | sort -u)" "client-rootfs"
run "root=/dev/VG/LV and rd.lvm.lv" 0 plan --cmdline "root=/dev/client/swap rd.lvm.lv=client/rootfs" "$ref"
expect_eq "root and rd.lvm.lv" "$(cut -d: -f1 "$T_TMP/out" | sort -u | tr '\n' ' ')" "client-rootfs client-swap "
run "rd.lvm.vg" 0 plan --cmdline "rd.lvm.vg=client" "$ref"
expect_eq "every LV of the VG" "$(wc -l <"$T_TMP/out")" 2
run "rd.lvm=0" 0 plan --cmdline "rd.lvm=0 root=/dev/client/rootfs" "$ref"
expect_eq "rd.lvm=0 activates nothing" "$(wc -c <"$T_TMP/out")" 0
has "rd.lvm=0 says so" "$T_TMP/err" "rd.lvm=0"
run "root=UUID=" 0 plan --cmdline "root=UUID=0b5f5e84-6c4a-4f25-9d9b-8d2a7a0e4f11" "$ref"
has "root=UUID= names no LV" "$T_TMP/err" "nothing to activate"
run "options replace the plan" 0 plan --cmdline "rd.lvm=0" --lv client/swap "$ref"
expect_eq "--lv wins over rd.lvm=0" "$(cut -d: -f1 "$T_TMP/out")" "client-swap"
run "a VG that is not there" 111 plan --cmdline "root=/dev/mapper/other-root" "$ref"
has "the missing VG is named" "$T_TMP/err" "VG other not found"

# Refusals.
run "thin pool refused" 111 "$LVM" --dry-run --lv thin/pool "$T_TMP/thin/vda"
has "the refusal names LV, type and lvm2" "$T_TMP/err" "LV thin/pool: segment type thin-pool is not supported by sanroot-lvm; activate it with lvm2"
run "raid1 refused" 111 "$LVM" --dry-run --vg mirror "$T_TMP/raid1/vda" "$T_TMP/raid1/vdb"
has "raid1 named" "$T_TMP/err" "LV mirror/r1: segment type raid1"
run "--all skips what it cannot do" 0 "$LVM" --dry-run --all "$T_TMP/thin/vda"
has "--all says what it skipped" "$T_TMP/err" "skipped: LV thin/data: segment type thin"
run "twins refused" 111 "$LVM" --dry-run --vg twin "$T_TMP/twins/vda" "$T_TMP/twins/vdb"
cp "$ref" "$T_TMP/clone"
run "a cloned LUN refused" 111 "$LVM" --dry-run --lv client/rootfs "$ref" "$T_TMP/clone"
has "the clone is named" "$T_TMP/err" "is on both $ref and $T_TMP/clone"
run "a missing PV refused" 111 "$LVM" --dry-run --vg span "$T_TMP/span/vda"
has "the missing PV is named" "$T_TMP/err" "VG span is missing PV pv1"
run "partial activation" 0 "$LVM" --dry-run --partial --vg span "$T_TMP/span/vda"
has "the missing part fails I/O" "$T_TMP/out" "span-big: 30720 10240 error"
# --wait: a named device that shows up late.
"$LVM" --dry-run --wait 20 --lv client/rootfs "$T_TMP/late" >"$T_TMP/late.out" 2>&1 &
waiter=$!
sleep 1
cp "$ref" "$T_TMP/late.tmp" && mv "$T_TMP/late.tmp" "$T_TMP/late"
wait "$waiter"
expect_eq "--wait waits for a device named" "$?:$(cut -d: -f1 "$T_TMP/late.out")" "0:client-rootfs"
run "--wait gives up" 111 "$LVM" --dry-run --wait 1 --lv client/rootfs "$T_TMP/never"
has "--wait says what it waited for" "$T_TMP/err" "unable to read $T_TMP/never"
run "images are never activated" 111 "$LVM" --lv client/rootfs --dev-dir "$T_TMP/dev" "$ref"
has "images: the reason" "$T_TMP/err" "is an image file"
