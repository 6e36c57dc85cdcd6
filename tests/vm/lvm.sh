#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-lvm against the kernel and against lvm2, in one boot. Every disk of
# every fixture (tests/fixtures/lvm) is a virtio disk; the reference LUN also
# carries an ext4 root in client/rootfs. In the guest, for each fixture,
# Debian's lvm2 activates its VGs, then sanroot-lvm does, and `dmsetup table`
# and `dmsetup info` are taken after each. On the host:
#   - lvm2's tables equal NAME.table (the expected answers),
#   - sanroot-lvm's tables, names, UUIDs and read-only flags equal lvm2's,
#   - sanroot-lvm activates client/rootfs from the boot plan, and the guest
#     mounts it and reads a file the host put there.
# SANROOT_LVM_CAPTURE=1 writes lvm2's tables to tests/fixtures/lvm/NAME.table
# instead of comparing with them.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/rig.sh"

FIX=$TOP/tests/fixtures/lvm
rig_kernel || { not_ok "lvm: no kernel to boot"; exit 0; }
[ -x /sbin/lvm ] && [ -x /sbin/dmsetup ] || { not_ok "lvm: Debian's lvm2 is not installed"; exit 0; }
[ -x "$TOP/${B:-build}/static/bin/sanroot-lvm" ] || { not_ok "lvm: make static first"; exit 0; }

fixtures="reference whole partition span striped segments many renamed wrapped twocopies twins thin raid1"

# The disks, in the order QEMU gets them: the guest sees vda, vdb, ...
letters="a b c d e f g h i j k l m n o p q r s t u v w x y z"
nth_letter() { echo "$letters" | cut -d' ' -f"$1"; }
disks="" plan="" n=0
for f in $fixtures; do
	guest=""
	for d in $(awk -v f="$f" '$1 == f { print $2 }' "$FIX/MANIFEST"); do
		n=$((n + 1))
		size=$(awk -v f="$f" -v d="$d" '$1 == f && $2 == d { print $3 }' "$FIX/MANIFEST")
		img=$T_TMP/$f.$d.img
		gzip -dc "$FIX/$f.$d.img.gz" >"$img" && truncate -s "$size" "$img" || exit 1
		disks="$disks disk=$img"
		g=vd$(nth_letter "$n")
		guest="$guest $g"
		echo "$g $f $d" >>"$T_TMP/names"
	done
	plan="$plan$f$guest
"
done

# client/rootfs holds an ext4 root with a file only this run knows.
token=sanroot-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' ')
mkdir -p "$T_TMP/root/etc"
echo "$token" >"$T_TMP/root/etc/sanroot-test"
offset=$(awk '$1 == "client-rootfs:" { print $6 }' "$FIX/reference.table")
sectors=$(awk '$1 == "client-rootfs:" { print $3 }' "$FIX/reference.table")
mke2fs -q -F -t ext4 -d "$T_TMP/root" "$T_TMP/rootfs.ext4" "$((sectors / 2))k" >/dev/null &&
	dd if="$T_TMP/rootfs.ext4" of="$T_TMP/reference.vda.img" bs=512 seek="$offset" \
		conv=notrunc status=none || { not_ok "lvm: cannot build the root filesystem"; exit 0; }

cat >"$T_TMP/test.sh" <<EOF
plan="$plan"
token=$token
EOF
cat >>"$T_TMP/test.sh" <<'EOF'
mkdir -p /run/lvm/lock /etc/lvm /mnt
for b in /sys/class/block/vd*; do
	rig_mark "dev=$(cat "$b/dev")=$(basename "$b")"
done

# lvm2 sees only the fixture's disks, runs without udev, and writes nothing back.
lvm2() {
	_cmd=$1 _f=""; shift
	for _d in $devs; do _f="$_f ^/dev/$_d[0-9]*\$"; done
	# shellcheck disable=SC2086 # one pattern per disk
	lvm "$_cmd" --config "$(sh /rig/lvmconf.sh /run/lvm $_f)" "$@"
}

# show WHO FIXTURE: what device-mapper holds now, as marker lines.
show() {
	dmsetup table 2>/dev/null | grep -v '^No devices found' |
		sed "s/^/SANROOT-TABLE $1 $2 /" >/dev/console
	dmsetup info -c --noheadings --separator ' ' -o name,uuid,attr 2>/dev/null |
		grep -v '^No devices found' | sed "s/^/SANROOT-INFO $1 $2 /" >/dev/console
}

# What each fixture activates, with lvm2 and with sanroot-lvm alike: VGs,
# or one LV where the VG's other LVs are of types sanroot refuses.
target() {
	case $1 in
	reference) echo vg client ;; whole) echo vg san-vg ;; partition) echo vg part ;;
	span) echo vg span ;; striped) echo vg stripes ;; segments) echo vg segs ;;
	many) echo vg many ;; renamed) echo vg after ;; wrapped) echo vg wrap ;;
	twocopies) echo vg two ;; twins) echo vg twin ;;
	thin) echo lv thin/plain ;; raid1) echo lv mirror/plain ;;
	esac
}

echo "$plan" | while read -r f devs; do
	[ -n "$f" ] || continue
	set -- $(target "$f")
	kind=$1 what=$2
	if [ "$kind" = vg ]; then
		lvm2 vgchange -ay "$what" >/tmp/lvm2.out 2>&1
	else
		lvm2 lvchange -ay "$what" >/tmp/lvm2.out 2>&1
	fi
	rig_mark "lvm2rc.$f=$?"
	sed "s/^/SANROOT-LVM2 $f /" /tmp/lvm2.out >/dev/console
	show lvm2 "$f"
	dmsetup remove_all
	paths=""
	for d in $devs; do paths="$paths /dev/$d"; done
	# shellcheck disable=SC2086 # a list of paths
	sanroot-lvm --no-plan "--$kind" "$what" $paths >/tmp/sanroot.out 2>&1
	rig_mark "sanrootrc.$f=$?"
	sed "s/^/SANROOT-SR $f /" /tmp/sanroot.out >/dev/console
	show sanroot "$f"
	dmsetup remove_all
done

# The boot: the plan names the root LV; PVs are looked for on every disk
# (no iSCSI here), and the one the plan names comes up.
rm -rf /dev/client
if sanroot-lvm --any-device --cmdline "root=/dev/mapper/client-rootfs ro" >/tmp/boot.out 2>&1; then
	rig_ok "sanroot-lvm activates the plan's root LV"
else
	rig_not_ok "sanroot-lvm activates the plan's root LV" "$(tail -n 3 /tmp/boot.out | tr '\n' ' ')"
fi
rig_check "only the root LV is active" [ "$(dmsetup ls | cut -f1 | tr -d ' ')" = client-rootfs ]
rig_check "/dev/client/rootfs links to the node" \
	[ "$(readlink /dev/client/rootfs)" = /dev/mapper/client-rootfs ]
rig_check "/dev/mapper/client-rootfs is a block device" [ -b /dev/mapper/client-rootfs ]
if mount -t ext4 -o ro /dev/client/rootfs /mnt 2>/dev/console; then
	rig_mark "read=$(cat /mnt/etc/sanroot-test)"
	umount /mnt
fi
# Again: already active with the same table is fine, and changes nothing.
rig_check "a second run leaves it as it is" \
	sanroot-lvm --any-device --cmdline "root=/dev/mapper/client-rootfs ro"
sanroot-lvm --any-device -r --lv client/swap >/dev/null 2>&1
rig_mark "swapro=$(blockdev --getro /dev/mapper/client-swap)"
rig_mark "rootro=$(blockdev --getro /dev/mapper/client-rootfs)"
# A different table under the same name is never replaced.
dmsetup remove client-swap
echo "0 8 error" | dmsetup create client-swap
if sanroot-lvm --any-device --lv client/swap >/tmp/clash.out 2>&1; then
	rig_not_ok "a foreign device under the LV's name is refused" "it was accepted"
else
	rig_check "a foreign device under the LV's name is refused" \
		grep -q "client-swap already exists with UUID" /tmp/clash.out
fi
EOF

rig_initramfs "$T_TMP/initrd.img" init="$T_TMP/test.sh" bin=/sbin/lvm bin=/sbin/dmsetup \
	file="$TOP/scripts/lvmconf.sh:/rig/lvmconf.sh" ||
	{ not_ok "lvm: building the initramfs failed"; exit 0; }
# shellcheck disable=SC2086 # one disk= per image
if ! rig_boot initrd="$T_TMP/initrd.img" $disks timeout=300 mem=512; then
	not_ok "lvm: the guest did not power off within 300 s"
	rig_tail
fi
echo "# boot: $n disks, powered off at $(rig_value uptime) s guest uptime; wall ${RIG_WALL} s"
rig_results lvm

# Console lines "SANROOT-TABLE WHO FIXTURE line" -> fixture-local names, sorted.
tr -d '\r' <"$RIG_LOG" | sed -n 's/^.*SANROOT-TEST dev=\([0-9:]*\)=\(vd[a-z0-9]*\)$/\1 \2/p' >"$T_TMP/devs"
collect() {	# WHO FIXTURE KIND(TABLE|INFO)
	tr -d '\r' <"$RIG_LOG" | sed -n "s/^.*SANROOT-$3 $1 $2 //p" |
		awk -v devs="$T_TMP/devs" -v names="$T_TMP/names" -v f="$2" '
		BEGIN {
			while ((getline l < devs) > 0) { split(l, a, " "); guest[a[1]] = a[2] }
			while ((getline l < names) > 0) { split(l, a, " "); if (a[2] == f) local[a[1]] = a[3] }
		}
		{
			for (i = 1; i <= NF; i++) {
				if ($i !~ /^[0-9]+:[0-9]+$/ || !($i in guest)) continue
				g = guest[$i]; p = g; sub(/[0-9]+$/, "", p); part = substr(g, length(p) + 1)
				if (p in local) $i = local[p] part
			}
			print
		}' | LC_ALL=C sort -s -t: -k1,1 -k2n
}

for f in $fixtures; do
	collect lvm2 "$f" TABLE >"$T_TMP/$f.lvm2"
	collect sanroot "$f" TABLE >"$T_TMP/$f.sanroot"
	collect lvm2 "$f" INFO >"$T_TMP/$f.lvm2.info"
	collect sanroot "$f" INFO >"$T_TMP/$f.sanroot.info"
	if [ "${SANROOT_LVM_CAPTURE:-0}" = 1 ] && [ "$f" != twins ]; then
		if ! cmp -s "$T_TMP/$f.lvm2" "$FIX/$f.table"; then
			echo "# $f: lvm2 in the VM differs from the derived table:"
			diff "$FIX/$f.table" "$T_TMP/$f.lvm2" | sed 's/^/#   /'
			cp "$T_TMP/$f.lvm2" "$FIX/$f.table"
		fi
		ok "lvm2 tables of $f captured"
		continue
	fi
	if cmp -s "$T_TMP/$f.lvm2" "$FIX/$f.table"; then
		ok "lvm2 in the VM loads the expected tables for $f"
	else
		not_ok "lvm2 in the VM loads other tables for $f: $(diff "$FIX/$f.table" "$T_TMP/$f.lvm2" | tr '\n' ' ' | head -c 300)"
	fi
	if cmp -s "$T_TMP/$f.sanroot" "$T_TMP/$f.lvm2"; then
		ok "sanroot-lvm loads lvm2's tables for $f ($(wc -l <"$T_TMP/$f.lvm2") lines)"
	else
		not_ok "sanroot-lvm and lvm2 differ for $f: $(diff "$T_TMP/$f.lvm2" "$T_TMP/$f.sanroot" | tr '\n' ' ' | head -c 300)"
	fi
	if cmp -s "$T_TMP/$f.sanroot.info" "$T_TMP/$f.lvm2.info"; then
		ok "sanroot-lvm gives lvm2's names, UUIDs and read-only flags for $f"
	else
		not_ok "names, UUIDs or flags differ for $f: $(diff "$T_TMP/$f.lvm2.info" "$T_TMP/$f.sanroot.info" | tr '\n' ' ' | head -c 300)"
	fi
done
case $(rig_value lvm2rc.twins) in
0|"") not_ok "lvm2 refuses the twin VGs too: exit '$(rig_value lvm2rc.twins)'" ;;
*) ok "lvm2 refuses the twin VGs too (exit $(rig_value lvm2rc.twins))" ;;
esac
expect_eq "sanroot-lvm refuses the twin VGs" "$(rig_value sanrootrc.twins)" 111
expect_eq "the read-only LV is read-only" "$(awk '$1 == "san--vg-x" { print $3 }' "$T_TMP/whole.sanroot.info")" L--r
expect_eq "the guest read the file in client/rootfs" "$(rig_value read)" "$token"
expect_eq "-r activates read-only" "$(rig_value swapro)" 1
expect_eq "the root LV is read-write" "$(rig_value rootro)" 0
