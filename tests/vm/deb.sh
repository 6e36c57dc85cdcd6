# SPDX-License-Identifier: GPL-2.0-only
# The Debian package's two boots, from the reference LUN (tests/reflun.sh:
# tgtd with CHAP on 10.0.2.2:3260 in a private network namespace; Debian's
# kernel under QEMU TCG):
#
#   1. the image that the package's own update-initramfs -u made in a chroot
#      of the real root fixture (tests/cmd/deb.sh keeps it, for the .deb it
#      tested, as build/deb/initrd.img-KVER), with the plan (target, portal,
#      CHAP) only in the chroot's /etc/sanroot.conf and nothing secret on the
#      command line: ip=dhcp root=/dev/mapper/client-rootfs. The root's marker
#      says it booted from client/rootfs with one session and that the secret
#      is not in /proc/cmdline. (That the image made after dpkg -r has no
#      sanroot is tests/cmd/deb.sh's check.)
#   2. a seed-style boot through pxelinux: Debian's pxelinux.0 and ldlinux.c32
#      (packages pxelinux, syslinux-common) over QEMU's user-mode TFTP, which
#      the virtio NIC's iPXE ROM fetches by DHCP and runs as a PXE NBP;
#      pxelinux.cfg/01-<mac> has `ipappend 2` and the classic guides' append
#      line (open-iscsi's iscsi_* parameters, CHAP on the command line), and
#      the image is itools_sanroot's (tests/rows.sh). The guest has two NICs:
#      one that goes nowhere (a QEMU hub with nothing else on it, no option
#      ROM) first in PCI order (ens2), and the one pxelinux booted from second
#      (ens3): sanroot must take the NIC that BOOTIF= names (sanroot.debug
#      makes sanroot-net say which MAC it followed). Without `ipappend 2`
#      sanroot takes ens2, the first with carrier, and fails there with "no
#      DHCP server answered" (tried by hand; not a boot of this suite).
#
# Cost: two TCG boots, about a minute each on a busy 2-core machine; the
# images come from caches (build/deb/, build/bench/), nothing is rebuilt here.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
. "$TOP/tests/rows.sh"
reflun_netns "$@"

suite_start=$(date +%s)
cd "$TOP" || exit 1
rig_kernel || { not_ok "deb (vm): no kernel to boot"; exit 0; }
for c in tgtd lsinitramfs dpkg-parsechangelog; do
	command -v "$c" >/dev/null || { not_ok "deb (vm): $c is missing"; exit 0; }
done

# The image tests/cmd/deb.sh kept: for the .deb that is there now (its sha256
# heads build/deb/chroot.txt, which is written only when every check passed).
DEB=build/deb/$(dpkg-parsechangelog -S Source)_$(dpkg-parsechangelog -S Version)_amd64.deb
deb_img=
if [ ! -f "$DEB" ]; then
	not_ok "deb (vm) 1: no $DEB (sh tests/cmd/deb.sh builds it and keeps the image)"
elif [ "$(head -n 1 build/deb/chroot.txt 2>/dev/null | cut -d' ' -f2)" != \
	"$(sha256sum <"$DEB" | cut -c 1-64)" ]; then
	not_ok "deb (vm) 1: build/deb/chroot.txt is not for $DEB (sh tests/cmd/deb.sh installs it in the chroot)"
else
	deb_img=$(ls build/deb/initrd.img-* 2>/dev/null | head -n 1)
	[ -n "$deb_img" ] ||
		not_ok "deb (vm) 1: tests/cmd/deb.sh kept no image in build/deb (sh tests/cmd/deb.sh)"
fi
deb_kver=${deb_img#build/deb/initrd.img-}
kdir=$(scripts/kernel.sh dir 2>/dev/null)
if [ -n "$deb_img" ] && { [ ! -r "$kdir/boot/vmlinuz-$deb_kver" ] || [ ! -d "$kdir/lib/modules/$deb_kver" ]; }; then
	not_ok "deb (vm) 1: no guest kernel $deb_kver under build/kernel for the image's modules"
	deb_img=
fi

# pxelinux's files, and the image of the second boot
pxelinux=/usr/lib/PXELINUX/pxelinux.0
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
pxe_img=
if [ ! -r "$pxelinux" ] || [ ! -r "$ldlinux" ]; then
	not_ok "deb (vm) 2: no $pxelinux or $ldlinux (make deps installs pxelinux and syslinux-common)"
elif [ ! -r /usr/lib/ipxe/qemu/efi-virtio.rom ]; then
	not_ok "deb (vm) 2: no iPXE ROM for virtio-net (package ipxe-qemu)"
elif ! [ -x build/static/bin/sanroot ]; then
	not_ok "deb (vm) 2: build/static/bin/sanroot is missing (make static)"
elif image_build itools_sanroot; then
	echo "# itools_sanroot: $IMAGE_BYTES bytes, built: $IMAGE_BUILT"
	pxe_img=$IMAGE
else
	not_ok "deb (vm) 2: the itools_sanroot image: mkinitramfs failed"
fi

[ -n "$deb_img$pxe_img" ] || exit 0
reflun_serve || { not_ok "deb (vm): the reference LUN or tgtd failed"; exit 0; }

# 1. The package's own image, the plan in /etc/sanroot.conf ---------------------------
if [ -n "$deb_img" ]; then
	n="deb (vm) 1 (update-initramfs -u in the chroot, /etc/sanroot.conf)"
	RIG_KVER=$deb_kver
	rig_kernel &&
	rig_start initrd="$deb_img" append="ip=dhcp root=/dev/mapper/client-rootfs" \
		mem="$REFLUN_MEM" timeout="$REFLUN_TIMEOUT" net=10.0.3.0/24 && rig_wait
	echo "# boot 1: marker at $(root_value uptime) s guest uptime; wall $RIG_WALL s"
	root_ok "$n"
	check "$n: sanroot logged in, to the target of /etc/sanroot.conf" \
		grep -q "sanroot: iscsi: logged in to $REFLUN_IQN at $REFLUN_PORTAL:3260" "$RIG_LOG"
	expect_eq "$n: the secret is not in /proc/cmdline" "$(root_value cmdline_has_secret)" no
	if tr -d '\r' <"$RIG_LOG" | grep -qF -e "$REFLUN_PASS"; then
		not_ok "$n: the secret reached the console"
	else
		ok "$n: the secret is not on the console"
	fi
	unset RIG_KVER
	rig_kernel
fi

# 2. pxelinux, ipappend 2, two NICs ---------------------------------------------------
if [ -n "$pxe_img" ]; then
	n="deb (vm) 2 (pxelinux, ipappend 2, the classic append line, two NICs)"
	tftp=$T_TMP/pxe
	mkdir -p "$tftp/pxelinux.cfg" &&
	cp "$pxelinux" "$ldlinux" "$tftp/" &&
	cp "$RIG_KERNEL" "$tftp/vmlinuz" && cp "$pxe_img" "$tftp/initrd.img" || exit 1
	image_row itools_sanroot
	# shellcheck disable=SC2086,SC2116 # ROW_APPEND spans lines: one line here
	append=$(echo $ROW_APPEND)
	# the client's own file, by its MAC (pxelinux asks for it first)
	cat >"$tftp/pxelinux.cfg/01-$(echo "$RIG_MAC" | tr : -)" <<-EOF
	default sanroot
	label sanroot
	  kernel vmlinuz
	  append initrd=initrd.img console=ttyS0 panic=-1 quiet $append sanroot.debug
	  ipappend 2
	EOF
	rig_start tftp="$tftp" bootfile=pxelinux.0 nic2=hubport,hubid=1 mem="$REFLUN_MEM" \
		timeout="$REFLUN_TIMEOUT" net=10.0.3.0/24 && rig_wait
	echo "# boot 2: marker at $(root_value uptime) s guest uptime; wall $RIG_WALL s"
	check "$n: iPXE ran pxelinux.0" grep -q 'PXELINUX [0-9]' "$RIG_LOG"
	root_ok "$n"
	check "$n: sanroot-net took the NIC of BOOTIF= ($RIG_MAC, ens3)" \
		grep -q "ens3 has MAC $RIG_MAC (from BOOTIF=)" "$RIG_LOG"
	check "$n: sanroot brought up ens3, not the first NIC (ens2)" \
		grep -q "sanroot: net: ens3 " "$RIG_LOG"
	check "$n: sanroot logged in, to the target of the command line" \
		grep -q "sanroot: iscsi: logged in to $REFLUN_IQN at $REFLUN_PORTAL:3260" "$RIG_LOG"
fi

reflun_stop
echo "# deb (vm): $(( $(date +%s) - suite_start )) s"
