#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# scripts/mkreflun.sh: the reference root disk, read back by real lvm2 (on a
# read-only loop device, with a private configuration) and by e2fsprogs on the
# extracted LVs; the plain variant; bad usage; no loop device or host LVM
# state left behind.
. "$(dirname "$0")/../lib.sh"
MK=$TOP/scripts/mkreflun.sh
img=$T_TMP/lun.img
LOOP=''
trap 'test -n "$LOOP" && losetup -d "$LOOP"; t_cleanup' EXIT INT TERM

for c in lvm losetup e2fsck debugfs blkid busybox; do
	command -v "$c" >/dev/null || { not_ok "reflun: $c is missing"; exit 0; }
done

etc_lvm_before=$(find /etc/lvm | sort | md5sum)
# loop devices backed by our files (other users' loop devices are theirs)
our_loops() { losetup -a | grep -c "$T_TMP/"; }

"$MK" "$img" --secret "s3cret-$$" >"$T_TMP/out" 2>"$T_TMP/err"
expect_eq "reflun: builds a disk (exit 0)" "$?" 0
expect_eq "reflun: 64 MiB by default" "$(stat -c %s "$img" 2>/dev/null)" $((64 * 1048576))
. "$T_TMP/out" 2>/dev/null
check "reflun: prints the filesystem UUID" test -n "${REFLUN_UUID:-}"
expect_eq "reflun: prints the default label" "${REFLUN_LABEL:-}" sanroot-root
check "reflun: no loop device left attached to the disk" test -z "$(losetup -j "$img")"

# Real lvm2 reads it back: only this loop device, nothing of the host's.
LOOP=$(losetup --find --show -r "$img") || { not_ok "reflun: losetup -r"; exit 0; }
mkdir -p "$T_TMP/lvm/lock"
"$TOP/scripts/lvmconf.sh" "$T_TMP/lvm" "^$LOOP\$" >"$T_TMP/lvm/lvm.conf"
lvq() {
	LVM_SYSTEM_DIR=$T_TMP/lvm LVM_SUPPRESS_FD_WARNINGS=1 DM_DISABLE_UDEV=1 \
		lvm "$@" --driverloaded n --readonly --noheadings 2>>"$T_TMP/lvm.err" </dev/null |
		sed 's/^ *//; s/ *$//'
}
expect_eq "reflun: lvm2 sees a PV on the whole disk, in VG client" \
	"$(lvq pvs -o pv_name,vg_name --separator ' ')" "$LOOP client"
expect_eq "reflun: VG client has LVs rootfs and swap" \
	"$(lvq lvs -o lv_name --separator ' ' client | tr '\n' ' ')" "rootfs swap "
expect_eq "reflun: 4 MiB extents" "$(lvq vgs -o vg_extent_size --units b --nosuffix client)" 4194304
expect_eq "reflun: swap is 8 MiB" "$(lvq lvs -o lv_size --units b --nosuffix client/swap)" 8388608
pe_start=$(lvq pvs -o pe_start --units b --nosuffix "$LOOP")
ext=$(lvq vgs -o vg_extent_size --units b --nosuffix client)
# extract LV: copy its one segment out of the disk (by bytes: pe_start is 1 MiB)
range_rootfs=$(lvq lvs -o seg_pe_ranges client/rootfs)
range_swap=$(lvq lvs -o seg_pe_ranges client/swap)
extract() {
	eval "r=\$range_$1"
	first=${r##*:}; first=${first%-*}; last=${r##*-}
	dd if="$img" of="$T_TMP/$1.img" bs=1M iflag=skip_bytes,count_bytes \
		skip=$(( pe_start + first * ext )) count=$(( (last - first + 1) * ext )) status=none
}
expect_eq "reflun: rootfs starts at the first extent" "${range_rootfs#"$LOOP":}" 0-12
losetup -d "$LOOP"; LOOP=''
check "reflun: lvm2 wrote no warnings or errors" test ! -s "$T_TMP/lvm.err"
[ -s "$T_TMP/lvm.err" ] && sed 's/^/    | /' "$T_TMP/lvm.err"

extract rootfs
expect_eq "reflun: LV rootfs holds ext4" "$(blkid -p -o value -s TYPE "$T_TMP/rootfs.img")" ext4
expect_eq "reflun: its UUID is the one printed" \
	"$(blkid -p -o value -s UUID "$T_TMP/rootfs.img")" "${REFLUN_UUID:-}"
check "reflun: e2fsck finds the filesystem clean" e2fsck -fn "$T_TMP/rootfs.img" >/dev/null 2>&1
dbg() { debugfs -R "$1" "$T_TMP/rootfs.img" 2>/dev/null; }
expect_eq "reflun: /bin/busybox is the host's busybox-static" \
	"$(dbg 'cat /bin/busybox' | md5sum)" "$(md5sum <"$(command -v busybox)")"
expect_eq "reflun: /bin/sh is a link to busybox" "$(dbg 'stat /bin/sh' | sed -n 's/^Fast link dest: "\(.*\)"$/\1/p')" /bin/busybox
check "reflun: /sbin/poweroff is there" sh -c "debugfs -R 'stat /sbin/poweroff' '$T_TMP/rootfs.img' 2>/dev/null | grep -q 'Type: symlink'"
check "reflun: /etc/os-release is there" sh -c "debugfs -R 'cat /etc/os-release' '$T_TMP/rootfs.img' 2>/dev/null | grep -q '^ID='"
for d in proc sys dev run tmp; do
	check "reflun: mount point /$d" sh -c "debugfs -R 'stat /$d' '$T_TMP/rootfs.img' 2>/dev/null | grep -q 'Type: directory'"
done
dbg 'cat /sbin/init' >"$T_TMP/init"
check "reflun: /sbin/init is executable" sh -c "debugfs -R 'stat /sbin/init' '$T_TMP/rootfs.img' 2>/dev/null | grep -q 'Mode:  0755'"
check "reflun: /sbin/init prints the default marker" grep -q '^line="SANROOT-ROOT-OK root=' "$T_TMP/init"
check "reflun: /sbin/init powers off" grep -q '^poweroff -f' "$T_TMP/init"
check "reflun: init parses as sh" sh -n "$T_TMP/init"
expect_eq "reflun: the secret to look for is in a 0600 file" \
	"$(dbg 'cat /etc/reflun-secret')/$(dbg 'stat /etc/reflun-secret' | sed -n 's/.*Mode:  \(0[0-7]*\).*/\1/p')" "s3cret-$$/0600"
expect_eq "reflun: where the root lies, as printed" "${REFLUN_ROOT_OFFSET:-}:${REFLUN_ROOT_BYTES:-}" \
	"$pe_start:$(( 13 * ext ))"
extract swap
expect_eq "reflun: LV swap holds a swap area" "$(blkid -p -o value -s TYPE "$T_TMP/swap.img")" swap

# The plain variant: ext4 on the whole disk, with the given label and UUID.
"$MK" "$T_TMP/plain.img" --plain --size 24 --label reflun-plain \
	--uuid 0e5f8a42-7d1c-4b8e-9a3f-2c6d1b0e9f7a --marker PLAIN-ROOT-OK >"$T_TMP/out" 2>"$T_TMP/err"
expect_eq "reflun: --plain builds (exit 0)" "$?" 0
expect_eq "reflun: --plain: 24 MiB" "$(stat -c %s "$T_TMP/plain.img" 2>/dev/null)" $((24 * 1048576))
expect_eq "reflun: --plain: ext4 with the label and UUID asked for" \
	"$(blkid -p -o value -s TYPE -s LABEL -s UUID "$T_TMP/plain.img" | tr '\n' ' ')" \
	"reflun-plain 0e5f8a42-7d1c-4b8e-9a3f-2c6d1b0e9f7a ext4 "
check "reflun: --plain: e2fsck finds it clean" e2fsck -fn "$T_TMP/plain.img" >/dev/null 2>&1
check "reflun: --marker changes the marker" sh -c \
	"debugfs -R 'cat /sbin/init' '$T_TMP/plain.img' 2>/dev/null | grep -q '^line=\"PLAIN-ROOT-OK '"
check "reflun: without --secret, no secret file" sh -c \
	"! debugfs -R 'stat /etc/reflun-secret' '$T_TMP/plain.img' 2>&1 | grep -q 'Inode:'"

# --tree and --add: a given tree (the real root fixture's way) instead of busybox.
mkdir -p "$T_TMP/tree/etc" "$T_TMP/add/etc/network"
echo from-the-tree >"$T_TMP/tree/etc/motd"
echo from-add >"$T_TMP/add/etc/network/interfaces"
tar -C "$T_TMP/tree" -cf "$T_TMP/tree.tar" .
"$MK" "$T_TMP/tree.img" --plain --size 16 --tree "$T_TMP/tree.tar" --add "$T_TMP/add" >"$T_TMP/out" 2>&1
expect_eq "reflun: --tree builds (exit 0)" "$?" 0
expect_eq "reflun: --tree: the tree's files, and --add's over them" \
	"$(debugfs -R 'cat /etc/motd' "$T_TMP/tree.img" 2>/dev/null)/$(debugfs -R 'cat /etc/network/interfaces' "$T_TMP/tree.img" 2>/dev/null)" \
	"from-the-tree/from-add"
check "reflun: --tree: no busybox init" sh -c \
	"! debugfs -R 'stat /sbin/init' '$T_TMP/tree.img' 2>&1 | grep -q 'Inode:'"
"$MK" "$T_TMP/x.img" --add "$T_TMP/add" >/dev/null 2>&1
expect_eq "reflun: --add without --tree is bad usage" "$?" 100

# Bad usage and failures: 100 and 111, no output file, no loop device.
"$MK" >/dev/null 2>&1
expect_eq "reflun: no OUT is bad usage" "$?" 100
"$MK" "$T_TMP/x.img" --size 12 >/dev/null 2>&1
expect_eq "reflun: too small for LVM is bad usage" "$?" 100
"$MK" "$T_TMP/x.img" --uuid nope >/dev/null 2>&1
expect_eq "reflun: a bad UUID is bad usage" "$?" 100
"$MK" "$T_TMP/x.img" --marker 'a b' >/dev/null 2>&1
expect_eq "reflun: a marker with a space is bad usage" "$?" 100
"$MK" "$T_TMP/no/such/dir/x.img" >/dev/null 2>&1
expect_eq "reflun: an unwritable OUT fails with 111" "$?" 111
# lvm2 failing while the loop device is attached: 111, the loop device detached.
mkdir -p "$T_TMP/shim"
printf '#!/bin/sh\n[ "$1" = lvcreate ] && { echo "shim: lvcreate refused" >&2; exit 5; }\nexec %s "$@"\n' \
	"$(command -v lvm)" >"$T_TMP/shim/lvm"
chmod 755 "$T_TMP/shim/lvm"
PATH=$T_TMP/shim:$PATH "$MK" "$T_TMP/x.img" >/dev/null 2>"$T_TMP/err"
expect_eq "reflun: lvm2 failing gives 111" "$?" 111
check "reflun: ... and says which command failed" grep -q 'unable to run lvm lvcreate' "$T_TMP/err"
expect_eq "reflun: ... and detaches its loop device" "$(our_loops)" 0
check "reflun: ... and leaves no output" test ! -e "$T_TMP/x.img"
check "reflun: a failed or finished run leaves no temporary file" \
	sh -c "! ls '$T_TMP'/*.tmp 2>/dev/null | grep -q ."

expect_eq "reflun: no loop device left behind" "$(our_loops)" 0
# /etc/lvm (backup/, archive/) would show a stray metadata backup. /run/lvm is
# shared with whoever else runs lvm2 here, so its hints file proves nothing.
expect_eq "reflun: host's /etc/lvm untouched" "$(find /etc/lvm | sort | md5sum)" "$etc_lvm_before"
