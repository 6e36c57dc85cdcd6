#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package (debian/): make deb builds it, lintian finds no error and
# no warning that debian/sanroot.lintian-overrides does not explain, and the
# .deb holds what it promises (the multi-call binary and a link per tool, the
# man pages, the initramfs-tools hook and script, the dracut module and its
# dracut.conf.d file, /etc/sanroot.conf commented out, mode 0600, a conffile,
# the update-initramfs trigger) and nothing of open-iscsi's or klibc's
# (iscsistart, ipconfig, run-init).
#
# Cost: make deb takes about 20 s with build/deps there (about 3 min more
# without: the static libraries from Debian's sources), lintian about 15 s.
# All is cached: the .deb is rebuilt only when a file of the tree (tracked,
# or new and not ignored) is newer than it; lintian and the chroot install
# (below, ~55 s) run again only for a .deb of another content. Cached, the
# suite takes about 1 s.
. "$(dirname "$0")/../lib.sh"
# the reference LUN's plan (REFLUN_*), for the chroot's /etc/sanroot.conf
. "$TOP/tests/reflun.sh"
cd "$TOP" || exit 1

if ! command -v dpkg-buildpackage >/dev/null || [ ! -e /usr/share/perl5/Debian/Debhelper/Dh_Lib.pm ]; then
	not_ok "deb: dpkg-buildpackage or debhelper is missing (make deps installs dpkg-dev, debhelper, fakeroot, lintian)"
	exit 0
fi
src=$(dpkg-parsechangelog -S Source)
version=$(dpkg-parsechangelog -S Version)
DEB=build/deb/${src}_${version}_amd64.deb

# The build, unless the .deb is newer than every file of the tree ---------------
newer=
if [ -f "$DEB" ]; then
	newer=$(git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'find "$@" -maxdepth 0 -newer "$0" -print 2>/dev/null' "$DEB" | head -n 1)
fi
if [ -f "$DEB" ] && [ -z "$newer" ]; then
	ok "make deb: $DEB is newer than every file of the tree (not rebuilt)"
else
	debian_before=$(git status --porcelain --ignored -- debian)
	start=$(date +%s)
	if make -s deb >"$T_TMP/make.out" 2>&1; then
		ok "make deb builds $DEB (${newer:+$newer changed; }$(( $(date +%s) - start )) s)"
	else
		not_ok "make deb: failed (build/deb/build.log)"
		tail -n 20 "$T_TMP/make.out"
		exit 0
	fi
	# Nothing left outside the tree, nothing new in it: debian/rules clean ran.
	left=$(cd .. && ls -d "${src}_${version}_"* "${src}-dbgsym_"* 2>/dev/null)
	expect_eq "make deb: nothing left in the parent directory" "$left" ""
	expect_eq "make deb: debian/ as it was (debian/rules clean)" \
		"$(git status --porcelain --ignored -- debian)" "$debian_before"
fi
[ -f "$DEB" ] || { not_ok "deb: no $DEB"; exit 0; }
# lintian's and the chroot's results are kept for the .deb's content: a
# rebuild that changes nothing in it (README, tests) reuses them (dpkg-deb
# clamps the files' times to the changelog's date, SOURCE_DATE_EPOCH).
DEB_KEY="$(sha256sum <"$DEB" | cut -c 1-64)"

# lintian -------------------------------------------------------------------------------
LINT=build/deb/lintian.txt
if ! command -v lintian >/dev/null; then
	not_ok "lintian: missing (make deps installs it)"
else
	if [ "$(head -n 1 "$LINT" 2>/dev/null)" != "# $DEB_KEY" ]; then
		{
			echo "# $DEB_KEY"
			# lintian leaves its ELF cache (mldbm-elf-*) in TMPDIR: ours goes at exit
			TMPDIR=$T_TMP lintian "$DEB" 2>&1 | grep -v '^running with root privileges'
		} >"$LINT.tmp"
		mv "$LINT.tmp" "$LINT"
	fi
	errors=$(grep '^E: ' "$LINT")
	warnings=$(grep '^W: ' "$LINT")
	expect_eq "lintian: no error" "$errors" ""
	expect_eq "lintian: no warning left unexplained (debian/sanroot.lintian-overrides)" "$warnings" ""
fi

# What the .deb holds ------------------------------------------------------------------
dpkg -c "$DEB" >"$T_TMP/list"
# mode and name: "-rwxr-xr-x usr/sbin/sanroot", "lrwxrwxrwx usr/sbin/sanroot-net -> sanroot"
awk '{ p = $6; for (i = 7; i <= NF; i++) p = p " " $i; sub(/^\.\//, "", p); print $1, $2, p }' \
	"$T_TMP/list" >"$T_TMP/files"
has() { grep -qxF -- "$1" "$T_TMP/files"; }
check "dpkg -c: usr/sbin/sanroot, root's, 0755" has "-rwxr-xr-x root/root usr/sbin/sanroot"

dpkg-deb -x "$DEB" "$T_TMP/root"
SANROOT=$T_TMP/root/usr/sbin/sanroot
check "the packaged sanroot runs here (sanroot --help)" sh -c '"$0" --help >/dev/null' "$SANROOT"
tools=$("$SANROOT" sanroot-boot --print-tools 2>/dev/null)
[ -n "$tools" ] || not_ok "sanroot-boot --print-tools: no tool"
for t in $tools; do
	check "dpkg -c: usr/sbin/$t -> sanroot" has "lrwxrwxrwx root/root usr/sbin/$t -> sanroot"
done
for m in doc/*.8; do
	m=${m#doc/}
	check "dpkg -c: man page $m" has "-rw-r--r-- root/root usr/share/man/man8/$m.gz"
done
for t in sanroot $tools; do
	check "a man page for $t" test -f "$T_TMP/root/usr/share/man/man8/$t.8.gz"
done
check "dpkg -c: the initramfs-tools hook" has "-rwxr-xr-x root/root usr/share/initramfs-tools/hooks/sanroot"
check "dpkg -c: the initramfs-tools local-top script" \
	has "-rwxr-xr-x root/root usr/share/initramfs-tools/scripts/local-top/sanroot"
for f in hooks/*.sh; do
	check "dpkg -c: the generators' shared $f" has "-rw-r--r-- root/root usr/share/sanroot/$f"
done
for f in dracut/95sanroot/*.sh; do
	check "dpkg -c: the dracut module's ${f##*/}" \
		has "-rwxr-xr-x root/root usr/lib/dracut/modules.d/95sanroot/${f##*/}"
done
check "dpkg -c: the dracut configuration of images with sanroot (dracut/sanroot.conf)" \
	has "-rw-r--r-- root/root usr/lib/dracut/dracut.conf.d/99-sanroot.conf"
check "dpkg -c: /etc/sanroot.conf, root's, mode 0600" has "-rw------- root/root etc/sanroot.conf"
expect_eq "/etc/sanroot.conf: every line commented out" \
	"$(grep -v '^#' "$T_TMP/root/etc/sanroot.conf" | grep -v '^[[:space:]]*$')" ""
# As the hook puts it in an image (0600, root's): it adds nothing to the plan.
cp -p "$T_TMP/root/etc/sanroot.conf" "$T_TMP/sanroot.conf"
expect_eq "/etc/sanroot.conf: sanroot-config reads it, no target" \
	"$("$SANROOT" sanroot-config --conf "$T_TMP/sanroot.conf" --cmdline '' --no-ibft 2>&1 |
		grep -c '^SANROOT_TARGET0_')" 0

forbidden=$(awk '{ print $3 }' "$T_TMP/files" |
	grep -E '(^|/)(iscsistart|ipconfig|run-init|switch_root)$|^(boot|lib/modules|usr/lib/modules|usr/local)/')
expect_eq "dpkg -c: no iscsistart, ipconfig, run-init, switch_root (open-iscsi's, klibc's, util-linux's)" \
	"$forbidden" ""
expect_eq "dpkg -c: only root's files" "$(awk '$2 != "root/root"' "$T_TMP/files")" ""

# Control fields, conffiles, triggers ----------------------------------------------------
field() { dpkg-deb -f "$DEB" "$1"; }
expect_eq "dpkg-deb -f: Package" "$(field Package)" "$src"
expect_eq "dpkg-deb -f: Version (debian/changelog's)" "$(field Version)" "$version"
expect_eq "dpkg-deb -f: Architecture" "$(field Architecture)" amd64
# The binary is static: no shared library to depend on; whatever
# ${misc:Depends} computes, substituted.
depends=$(field Depends)
case $depends in
*'$'*|*libc6*|*libnl*|*nettle*|*libblkid*|*libdevmapper*)
	not_ok "dpkg-deb -f: Depends: '$depends' (static: no library, every substvar substituted)" ;;
*) ok "dpkg-deb -f: Depends computed, no library ('$depends')" ;;
esac
expect_eq "dpkg-deb -f: Recommends an image generator" "$(field Recommends)" "initramfs-tools | dracut"
bu=$(field Built-Using)
for s in musl nettle util-linux libnl3 lvm2; do
	case ", $bu" in
	*", $s (= "*) ok "dpkg-deb -f: Built-Using names $s" ;;
	*) not_ok "dpkg-deb -f: Built-Using: no $s in '$bu'" ;;
	esac
done
mkdir -p "$T_TMP/control"
dpkg-deb -e "$DEB" "$T_TMP/control"
expect_eq "conffiles: /etc/sanroot.conf" "$(cat "$T_TMP/control/conffiles" 2>/dev/null)" /etc/sanroot.conf
check "triggers: activate-noawait update-initramfs" \
	grep -qx 'activate-noawait update-initramfs' "$T_TMP/control/triggers"
for s in preinst postinst prerm postrm; do
	check "no $s: dpkg's trigger runs update-initramfs" test ! -e "$T_TMP/control/$s"
done

# Installed into the real root fixture, as an administrator would ------------------------
# A copy of build/realroot/bookworm.tar (scripts/mkrealroot.sh: Debian 12
# with systemd, open-iscsi, lvm2) gets initramfs-tools (its .debs from
# Debian's mirror by apt-get download, once, kept in build/deb/chroot-debs),
# the guest kernel for the fixture's modules (build/kernel), and an empty image where
# linux-image's postinst would have made one; then, in a chroot (its own
# mount namespace: /dev, /proc, /sys go with it): dpkg -i sanroot (dpkg's
# trigger makes the image), /etc/sanroot.conf with the reference LUN's plan
# (tests/reflun.sh: target, portal, CHAP) and UMASK=0077, update-initramfs -u,
# dpkg -r (the trigger makes an image without sanroot), dpkg -P. MODULES=list
# and gzip keep mkinitramfs short: ~55 s for the three images on this 2-core
# machine; /etc/initramfs-tools/modules names what MODULES=list leaves to the
# administrator, the QEMU guest's NIC driver and the root's filesystem. The
# results are kept in build/deb/chroot.txt, headed by the .deb's sha256 and
# the text of chroot_install, and shown again for the same .deb and steps
# while the fixture is older than them. The image that update-initramfs -u
# made with /etc/sanroot.conf is kept too, as build/deb/initrd.img-KVER (0600,
# it holds the CHAP secret): tests/vm/deb.sh boots it from the reference LUN.
FIXTURE=build/realroot/bookworm.tar
CHROOT_TXT=build/deb/chroot.txt
CHROOT_KEY="$DEB_KEY $(sed -n '/^chroot_install() {/,/^}/p' "$0" | md5sum | cut -c 1-32)"
R=$T_TMP/chroot
in_root() {
	unshare --mount --propagation private sh -c 'r=$1; shift
		mount --rbind /dev "$r/dev" && mount -t proc proc "$r/proc" &&
		mount -t sysfs sysfs "$r/sys" && exec chroot "$r" "$@"' _ "$R" \
		env -i T_RUN_ID="${T_RUN_ID:-}" PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
		DEBIAN_FRONTEND=noninteractive "$@"
}
# image_has NAME PATTERN: lsinitramfs -l of the image has a line matching PATTERN.
image_has() { lsinitramfs -l "$R/boot/initrd.img-$KVER" 2>/dev/null | grep -q -- "$1"; }

chroot_install() {
	debs=build/deb/chroot-debs
	if [ ! -f "$debs/.complete" ]; then
		rm -rf "$debs" && mkdir -p "$debs"
		if ! (cd "$debs" && apt-get download -q initramfs-tools initramfs-tools-core \
			klibc-utils libklibc linux-base cpio) >"$T_TMP/download.out" 2>&1; then
			not_ok "chroot: apt-get download of initramfs-tools failed: $(tail -n 1 "$T_TMP/download.out")"
			return
		fi
		touch "$debs/.complete"
	fi
	mkdir -p "$R"
	tar -xf "$FIXTURE" -C "$R" || { not_ok "chroot: unable to unpack $FIXTURE"; return; }
	KVER=$(ls "$R/usr/lib/modules" | head -n 1)
	kdir=$("$TOP/scripts/kernel.sh" dir 2>/dev/null)
	if [ ! -f "$kdir/boot/vmlinuz-$KVER" ] || [ ! -f "$kdir/boot/config-$KVER" ]; then
		not_ok "chroot: no vmlinuz-$KVER or config-$KVER under build/kernel for the fixture's modules"
		return
	fi
	cp "$kdir/boot/vmlinuz-$KVER" "$kdir/boot/config-$KVER" "$R/boot/"
	mkdir -p "$R/tmp/debs"
	cp "$debs"/*.deb "$DEB" "$R/tmp/debs/"
	in_root sh -c 'dpkg -i $(ls /tmp/debs/*.deb | grep -v /sanroot_)' >"$T_TMP/itools.out" 2>&1 ||
		{ not_ok "chroot: dpkg -i initramfs-tools failed: $(tail -n 1 "$T_TMP/itools.out")"; return; }
	conf=$R/etc/initramfs-tools/initramfs.conf
	sed -i 's/^MODULES=.*/MODULES=list/; s/^COMPRESS=.*/COMPRESS=gzip/' "$conf"
	printf '%s\n' virtio_pci virtio_net ext4 >>"$R/etc/initramfs-tools/modules"
	: >"$R/boot/initrd.img-$KVER"

	in_root dpkg -i "/tmp/debs/${DEB##*/}" >"$T_TMP/install.out" 2>&1
	expect_eq "chroot: dpkg -i sanroot exits 0" "$?" 0
	check "chroot: dpkg -i: the trigger runs update-initramfs" \
		grep -q "^update-initramfs: Generating /boot/initrd.img-$KVER" "$T_TMP/install.out"
	for f in 'usr/sbin/sanroot$' 'usr/sbin/sanroot-boot -> sanroot' 'scripts/local-top/sanroot$' \
		'usr/lib/sanroot/sanroot-initrd.sh$' 'kernel/drivers/scsi/iscsi_tcp.ko'; do
		check "chroot: the image has ${f%$}" image_has "[ /]$f"
	done
	if image_has ' etc/sanroot.conf$' || grep -q '^W: sanroot' "$T_TMP/install.out"; then
		not_ok "chroot: /etc/sanroot.conf as shipped (comments alone) stays out of the image, no warning"
	else
		ok "chroot: /etc/sanroot.conf as shipped (comments alone) stays out of the image, no warning"
	fi

	cat >"$R/etc/sanroot.conf" <<-CONF
	iscsi_initiator=$REFLUN_INITIATOR
	iscsi_target_name=$REFLUN_IQN iscsi_target_ip=$REFLUN_PORTAL
	iscsi_username=$REFLUN_USER iscsi_password=$REFLUN_PASS
	CONF
	sed -i 's/^#* *UMASK=.*/UMASK=0077/' "$conf"
	grep -q '^UMASK=0077' "$conf" || echo UMASK=0077 >>"$conf"
	in_root update-initramfs -u >"$T_TMP/update.out" 2>&1
	expect_eq "chroot: update-initramfs -u with /etc/sanroot.conf written exits 0" "$?" 0
	check "chroot: the image has /etc/sanroot.conf, root's, 0600" image_has '^-rw------- .* root *root .* etc/sanroot.conf$'
	expect_eq "chroot: the image is root's alone (UMASK=0077)" \
		"$(stat -c %a "$R/boot/initrd.img-$KVER")" 600
	expect_eq "chroot: update-initramfs -u: no warning from sanroot, no secret printed" \
		"$(grep -e '^W: sanroot' -e "$REFLUN_PASS" "$T_TMP/update.out")" ""
	# for tests/vm/deb.sh
	cp -p "$R/boot/initrd.img-$KVER" "build/deb/initrd.img-$KVER"

	in_root dpkg -r sanroot >"$T_TMP/remove.out" 2>&1
	expect_eq "chroot: dpkg -r sanroot exits 0" "$?" 0
	check "chroot: dpkg -r: the trigger runs update-initramfs" \
		grep -q "^update-initramfs: Generating /boot/initrd.img-$KVER" "$T_TMP/remove.out"
	if image_has 'sanroot'; then
		not_ok "chroot: after dpkg -r, no sanroot in the image: $(lsinitramfs "$R/boot/initrd.img-$KVER" | grep sanroot | head -n 3 | tr '\n' ' ')"
	else
		ok "chroot: after dpkg -r, no sanroot in the image"
	fi
	check "chroot: dpkg -r keeps the administrator's /etc/sanroot.conf (a conffile)" \
		grep -q "^iscsi_username=$REFLUN_USER" "$R/etc/sanroot.conf"
	in_root dpkg -P sanroot >"$T_TMP/purge.out" 2>&1
	expect_eq "chroot: dpkg -P sanroot exits 0" "$?" 0
	check "chroot: dpkg -P removes /etc/sanroot.conf" test ! -e "$R/etc/sanroot.conf"
	expect_eq "chroot: nothing of sanroot's left in the root" \
		"$(cd "$R" && find usr etc -name '*sanroot*' | head -n 3)" ""
}

# The fixture is cached; on a clean clone this suite is the first to want it.
mkdir -p build/realroot
if ! scripts/mkrealroot.sh "$FIXTURE" 2>"$T_TMP/mkrealroot.err"; then
	not_ok "chroot: the fixture: $(tail -n 1 "$T_TMP/mkrealroot.err")"
elif ! command -v unshare >/dev/null || ! command -v lsinitramfs >/dev/null; then
	not_ok "chroot: unshare (util-linux) or lsinitramfs (initramfs-tools) is missing"
elif [ "$(head -n 1 "$CHROOT_TXT" 2>/dev/null)" = "# $CHROOT_KEY" ] &&
	[ -z "$(find "$FIXTURE" -newer "$CHROOT_TXT")" ] &&
	ls build/deb/initrd.img-* >/dev/null 2>&1; then
	echo "# chroot: the results for this .deb and this fixture, from $CHROOT_TXT"
	tail -n +2 "$CHROOT_TXT"
else
	start=$(date +%s)
	rm -f "$CHROOT_TXT" build/deb/initrd.img-*
	chroot_install >"$T_TMP/chroot.txt"
	cat "$T_TMP/chroot.txt"
	if grep -q '^not ok' "$T_TMP/chroot.txt"; then
		rm -f build/deb/initrd.img-*
	else
		{ echo "# $CHROOT_KEY"; cat "$T_TMP/chroot.txt"; } >"$CHROOT_TXT"
	fi
	echo "# chroot: $(( $(date +%s) - start )) s"
fi
