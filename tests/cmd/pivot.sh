#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-pivot on the host: refusals, and real switches inside a private mount
# namespace where a tmpfs plays the initramfs and a loop-mounted ext4 the root.
. "$(dirname "$0")/../lib.sh"
PIVOT=$SANROOT_BIN/sanroot-pivot
STATIC=$TOP/build/static/bin/sanroot-pivot
BUSYBOX=/bin/busybox

"$PIVOT" --help >/dev/null
expect_eq "help exits 0" "$?" 0
"$PIVOT" /only-one >/dev/null 2>&1
expect_eq "NEWROOT without INIT is bad usage" "$?" 100

# / here is not ramfs or tmpfs: refuse, dry run or not, and touch nothing.
mkdir -p "$T_TMP/nr"
touch "$T_TMP/canary"
unshare -m sh -c "mount -t tmpfs none '$T_TMP/nr' && '$PIVOT' '$T_TMP/nr' /sbin/init" >/dev/null 2>"$T_TMP/err"
expect_eq "refuses when / is not ramfs or tmpfs" "$?" 111
check "refusal names the reason" grep -q 'is not ramfs or tmpfs' "$T_TMP/err"
check "nothing was deleted" test -e "$T_TMP/canary"
unshare -m sh -c "mount -t tmpfs none '$T_TMP/nr' && '$PIVOT' -n '$T_TMP/nr' /sbin/init" >/dev/null 2>&1
expect_eq "a dry run refuses too" "$?" 111

if ! [ -x "$STATIC" ] || ! [ -x "$BUSYBOX" ] || ! command -v mkfs.ext4 >/dev/null; then
	not_ok "switch tests: need build/static/bin/sanroot-pivot, busybox-static and mkfs.ext4"
	exit 0
fi

# The new root: a real ext4 image whose init reports what it sees.
mkdir -p "$T_TMP/rootfs/sbin" "$T_TMP/rootfs/bin" "$T_TMP/rootfs/proc" "$T_TMP/rootfs/dev"
cp "$BUSYBOX" "$T_TMP/rootfs/bin/busybox"
for a in sh echo cat ls test; do ln -s busybox "$T_TMP/rootfs/bin/$a"; done
cat >"$T_TMP/rootfs/sbin/init" <<'EOF'
#!/bin/sh
echo "PIVOT-OK init=$0 args=$* proc=$(test -e /proc/self/stat && echo yes) dev=$(test -c /dev/null && echo yes) pwd=$(pwd)"
EOF
chmod 755 "$T_TMP/rootfs/sbin/init"
truncate -s 16M "$T_TMP/root.img"
mkfs.ext4 -q -L sanroot-test -d "$T_TMP/rootfs" "$T_TMP/root.img"

# run_switch NAME PIVOT-ARGS...: build a tmpfs initramfs, chroot into it and run
# the pivot there. $T_TMP/peek shows the initramfs' tmpfs afterwards; keep/ is
# another mount inside it that must survive.
run_switch() {
	name=$1; shift
	rm -rf "$T_TMP/ram" "$T_TMP/peek" "$T_TMP/keep"
	mkdir -p "$T_TMP/ram" "$T_TMP/peek" "$T_TMP/keep"
	loop=$(losetup --find --show "$T_TMP/root.img") || { not_ok "$name: losetup"; return; }
	unshare -m sh -e -c '
		T=$1; loop=$2; shift 2
		mount --make-rprivate /
		mount -t tmpfs ram "$T/ram"
		mount --bind "$T/ram" "$T/peek"
		mkdir -p "$T/ram/bin" "$T/ram/proc" "$T/ram/sys" "$T/ram/dev" "$T/ram/root" "$T/ram/keep" "$T/ram/etc"
		cp "'"$STATIC"'" "$T/ram/bin/sanroot-pivot"
		echo old >"$T/ram/etc/old-file"
		mount -t tmpfs keep "$T/ram/keep"
		echo precious >"$T/ram/keep/precious"
		mount --bind "$T/ram/keep" "$T/keep"
		mount -t proc proc "$T/ram/proc"
		mount -t sysfs sysfs "$T/ram/sys"
		mount --rbind /dev "$T/ram/dev"
		[ "$1" = premount ] && { shift; mount "$loop" "$T/ram/root"; }
		set +e
		chroot "$T/ram" /bin/sanroot-pivot "$@"
		echo "rc=$?"
		# what the initramfs tmpfs and the other mount hold now
		echo "old-file=$(test -e "$T/peek/etc/old-file" && echo yes || echo no)"
		echo "pivot=$(test -e "$T/peek/bin/sanroot-pivot" && echo yes || echo no)"
		echo "precious=$(test -e "$T/keep/precious" && echo yes || echo no)"
	' _ "$T_TMP" "$loop" "$@" >"$T_TMP/$name.out" 2>&1
	losetup -d "$loop" 2>/dev/null
}

# kept NAME KEY VALUE: what run_switch saw inside the namespace.
kept() { grep -q "^$2=$3\$" "$T_TMP/$1.out"; }

# switch_root form: NEWROOT already mounted.
run_switch premounted premount /root /sbin/init one two
check "switch: the new root's init ran with its arguments" \
	grep -q 'PIVOT-OK init=/sbin/init args=one two proc=yes dev=yes pwd=/' "$T_TMP/premounted.out"
check "switch: init's exit status came back" grep -q '^rc=0' "$T_TMP/premounted.out"
check "switch: the initramfs files are deleted" kept premounted old-file no
check "switch: the pivot binary itself is deleted" kept premounted pivot no
check "switch: another mount inside it is not crossed" kept premounted precious yes

# Dry run: checks, says what it would do, deletes nothing.
run_switch dryrun premount -n /root /sbin/init
check "dry run says what it would do" grep -q 'would switch to /root and exec /sbin/init' "$T_TMP/dryrun.out"
check "dry run deletes nothing" kept dryrun old-file yes

# A missing init is refused before anything is deleted.
run_switch noinit premount /root /sbin/nonexistent
check "missing init is refused" grep -q 'init /sbin/nonexistent is not an executable file in /root' "$T_TMP/noinit.out"
check "missing init: nothing deleted" kept noinit old-file yes

# Mount mode: root=LABEL= resolved by libblkid, type detected, then the switch.
run_switch bylabel --cmdline "root=LABEL=sanroot-test ro init=/sbin/init" --timeout 5
check "LABEL= is resolved, mounted and switched to" grep -q 'PIVOT-OK init=/sbin/init' "$T_TMP/bylabel.out"
check "LABEL=: the initramfs files are deleted" kept bylabel old-file no
check "mount mode reports the device and type" grep -q 'mounted read-only at /root' "$T_TMP/bylabel.out"
uuid=$(blkid -o value -s UUID "$T_TMP/root.img")
run_switch byuuid --cmdline "root=UUID=$uuid" --timeout 5
check "UUID= is resolved and the default init found" grep -q 'PIVOT-OK init=/sbin/init' "$T_TMP/byuuid.out"
run_switch nodev --cmdline "root=UUID=00000000-0000-0000-0000-000000000000" --timeout 1
check "a missing root device fails at the deadline" grep -q 'unable to find the root device UUID=00000000-0000-0000-0000-000000000000 within 1 s' "$T_TMP/nodev.out"
check "a missing root device deletes nothing" kept nodev old-file yes
