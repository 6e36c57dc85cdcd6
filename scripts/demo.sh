#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo: boot a VM from an iSCSI root, on this machine, in one command.
#
#   make demo [VARIANT=itools|ibft|dracut]
#
# 1. installs what is missing (make deps: Debian packages, static libraries)
#    and builds the static tools (make static);
# 2. makes the reference root disk (scripts/mkreflun.sh: 64 MiB, LVM straight
#    on the disk, VG client, LVs rootfs and swap; the root's init prints one
#    line saying how it was booted, then powers off);
# 3. serves it with tgtd (CHAP) as 10.0.2.2:3260 in a private network
#    namespace: nothing outside can reach the target and nothing on the host
#    is needed or touched; QEMU runs in that namespace too;
# 4. builds the initramfs with Debian's real mkinitramfs and the sanroot hook
#    (a private configuration, never the host's; cached in build/bench/);
# 5. boots Debian's kernel in QEMU with the serial console here: sanroot's
#    progress lines, then the root's SANROOT-ROOT-OK line;
# 6. stops what it started (tgtd, QEMU, the namespace), and says
#    "make demo: OK" (exit 0) or "make demo: FAILED" (exit 1).
#
# Variants:
#   itools  (default) the credentials on the command line, open-iscsi's syntax
#   ibft    QEMU's iPXE gets a script over QEMU's TFTP, sanhooks the target
#           (iPXE logs in and leaves an iBFT), then boots the kernel with
#           iscsi_auto: the credentials are never on the command line
#   dracut  the same boot with an image made by dracut and its sanroot module
#           (dracut/95sanroot)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
VARIANT=${VARIANT:-itools}

say() { printf '\n=== make demo: %s\n' "$*"; }
fail() { printf '\nmake demo: FAILED: %s\n' "$*"; exit 1; }

if [ -z "${REFLUN_NETNS:-}" ]; then
	# Outside the namespace: what needs the network and the build.
	case $VARIANT in
	itools|ibft|dracut) ;;
	*) echo "make demo: VARIANT=$VARIANT: expected itools, ibft or dracut"; exit 1 ;;
	esac
	[ "$(id -u)" = 0 ] || fail "run it as root (it installs packages, starts tgtd and makes a network namespace)"
	if [ "$VARIANT" = dracut ] && [ ! -f "$TOP/dracut/95sanroot/module-setup.sh" ]; then
		fail "VARIANT=dracut needs sanroot's dracut module, dracut/95sanroot, which is not in this tree yet"
	fi
	cd "$TOP" || exit 1
	t0=$(date +%s)
	say "1/6 packages and static libraries (make deps, only what is missing)"
	stamps=1
	for l in nettle libblkid libnl libdevmapper; do
		[ -f build/deps/.built-$l ] || stamps=0
	done
	if [ "$stamps" = 1 ]; then
		scripts/deps.sh --packages-only build/deps || fail "installing the packages failed"
		echo "static libraries: built already (build/deps)"
	else
		make deps || fail "make deps failed"
	fi
	say "2/6 the static tools (make static)"
	make -s static || fail "make static failed"
	DEMO_T0=$t0
	export DEMO_T0 VARIANT
fi

. "$TOP/tests/lib.sh"
TOP=$(cd "$(dirname "$0")/.." && pwd)	# tests/lib.sh guesses from $0, two levels up
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
. "$TOP/tests/rows.sh"
# From here on inside a private network namespace (tests/reflun.sh, "Network").
reflun_netns "$@"

rig_kernel || fail "no guest kernel under build/kernel (scripts/kernel.sh fetch, run by make deps)"
case $VARIANT in
itools|ibft) row=itools_sanroot ;;
dracut) row=dracut_sanroot
	command -v row_dracut_sanroot >/dev/null ||
		fail "the dracut module is here, but tests/rows.sh has no row dracut_sanroot to build its image" ;;
esac

say "3/6 the reference root disk and tgtd (CHAP) on 10.0.2.2:3260, in a private network namespace"
reflun_serve || fail "the reference LUN or tgtd failed"
echo "LUN 1 of $REFLUN_IQN: VG client, LVs rootfs (ext4) and swap; CHAP user $REFLUN_USER"

say "4/6 the initramfs ($row; build/bench/$row.img is reused while its inputs do not change)"
image_build "$row" || fail "building the initramfs failed (build/bench/$row.build.log)"
echo "$IMAGE: $IMAGE_BYTES bytes, $IMAGE_FILES entries, built: $IMAGE_BUILT"

image_row "$row"
# shellcheck disable=SC2086,SC2116 # ROW_APPEND spans lines; the kernel gets one
append=$(echo $ROW_APPEND)
log=$TOP/build/demo-console.log
case $VARIANT in
ibft)
	[ -r /usr/lib/ipxe/qemu/efi-virtio.rom ] || fail "no iPXE ROM for virtio-net (package ipxe-qemu)"
	say "5/6 booting: QEMU's iPXE sanhooks the target (the iBFT), then boots Linux with iscsi_auto"
	append="iscsi_auto root=/dev/mapper/client-rootfs"
	echo "kernel command line: $append (the credentials are in the iPXE script and the iBFT only)"
	rig_ipxe_start initrd="$IMAGE" append="$append" net=10.0.3.0/24 mem="$REFLUN_MEM" \
		timeout="$REFLUN_TIMEOUT" log="$log" initiator="$REFLUN_INITIATOR" \
		sanhook="iscsi:$REFLUN_PORTAL::3260:1:$REFLUN_IQN" \
		username="$REFLUN_USER" password="$REFLUN_PASS" || fail "QEMU did not start"
	;;
*)
	say "5/6 booting Debian's kernel $RIG_KVER in QEMU (TCG), serial console below"
	echo "kernel command line: console=ttyS0 panic=-1 quiet $append"
	rig_start initrd="$IMAGE" append="$append" net=10.0.3.0/24 mem="$REFLUN_MEM" \
		timeout="$REFLUN_TIMEOUT" log="$log" || fail "QEMU did not start"
	;;
esac
echo "---------------------------------------------------------------- console"
# The console as it comes, carriage returns and terminal controls removed.
tail -f -n +1 --pid="$RIG_PID" "$log" 2>/dev/null |
	sed -u 's/\r//g; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' &
follower=$!
rig_wait
booted=$?
sleep 0.3
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
echo "---------------------------------------------------------------- end of console"

say "6/6 stopping tgtd and the namespace"
reflun_stop
uptime=$(root_value uptime)
wall=$(( $(date +%s) - ${DEMO_T0:-$(date +%s)} ))
if [ -n "$uptime" ] && [ "$(root_value root)" = /dev/mapper/client-rootfs ]; then
	printf '\nmake demo: OK: Linux booted from iSCSI (%s, VARIANT=%s): root %s, %s session(s), at %s s of guest uptime (%s s in all)\n' \
		"$REFLUN_IQN" "$VARIANT" "$(root_value root)" "$(root_value sessions)" "$uptime" "$wall"
	exit 0
fi
[ "$booted" = 0 ] || echo "(QEMU was stopped after $REFLUN_TIMEOUT s)"
fail "the root's marker did not appear; the console is in $log"
