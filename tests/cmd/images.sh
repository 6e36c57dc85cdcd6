#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The image generators for real, with the policy they share (hooks/
# sanroot-image.sh): Debian's mkinitramfs (scripts/mkinitramfs.sh) and dracut
# (a private modules.d with dracut/95sanroot linked, as bench/rows.sh does)
# each put in the modules of sanroot-boot --print-modules, the tool names of
# --print-tools, the boot-time shell, /etc/sanroot.conf (SANROOT_CONF) and
# /etc/iscsi/iscsi.initramfs root's with mode 0600, and warn when the image
# holding them is readable by others. The images are read with lsinitramfs
# and lsinitrd, not booted (tests/vm/matrix-itools.sh, matrix-dracut.sh boot
# them). The host's configuration is neither read nor written.
. "$(dirname "$0")/../lib.sh"

BIN=$TOP/build/static/bin/sanroot
[ -x "$BIN" ] || { not_ok "images: build/static/bin/sanroot is missing (make static)"; exit 0; }
# the guest kernel, unpacked under build/kernel (scripts/kernel.sh)
KDIR=$("$TOP/scripts/kernel.sh" dir) && KVER=$("$TOP/scripts/kernel.sh" version) ||
	{ not_ok "images: no guest kernel under build/kernel (scripts/kernel.sh fetch)"; exit 0; }

(
	umask 022
	printf 'iscsi_initiator=iqn.2003-01.org.sanroot:client\niscsi_password=a-secret-12\n' >"$T_TMP/sanroot.conf"
	printf 'iscsi_target_name=iqn.2003-01.org.sanroot:reflun\n' >"$T_TMP/iscsi.initramfs"
)

# image_has_modules NAME LIST: every module of sanroot-boot --print-modules is
# in the image's LIST (lsinitramfs), or built into the kernel; an alias
# (crc32c) by every module it names.
image_has_modules() {
	_missing=
	for _m in $("$BIN" sanroot-boot --print-modules); do
		_files=$(modinfo -b "$KDIR" -k "$KVER" -F filename "$_m" 2>/dev/null) || { _missing="$_missing $_m"; continue; }
		for _f in $_files; do
			[ "$_f" = "(builtin)" ] && continue
			_ko=${_f##*/}
			grep -q "/${_ko%%.ko*}\.ko" "$2" || _missing="$_missing $_m(${_ko})"
		done
	done
	expect_eq "$1: the modules of sanroot-boot --print-modules are in the image" "${_missing# }" ""
}

# image_has_tools NAME LIST: the links of --print-tools, to the multi-call binary
image_has_tools() {
	_missing=
	for _t in $("$BIN" sanroot-boot --print-tools); do
		grep -q " usr/sbin/$_t -> sanroot$" "$2" || _missing="$_missing $_t"
	done
	expect_eq "$1: the tools of sanroot-boot --print-tools link to sanroot" "${_missing# }" ""
	check "$1: the boot-time shell (hooks/sanroot-initrd.sh)" \
		grep -q ' usr/lib/sanroot/sanroot-initrd.sh$\| lib/sanroot/sanroot-initrd.sh$' "$2"
}

# image_secret NAME LIST PATH: PATH is in the image, root's, 0600
image_secret() {
	expect_eq "$1: $3 is root's, mode 0600" \
		"$(awk -v p="$3" '$NF == p { print $1, $3, $4 }' "$2")" "-rw------- root root"
}

# mkinitramfs -------------------------------------------------------------------------
if command -v mkinitramfs >/dev/null && command -v lsinitramfs >/dev/null; then
	# UMASK=0022: the image is world-readable, and says so
	"$TOP/scripts/mkinitramfs.sh" "$T_TMP/itools.img" --kver "$KVER" --no-open-iscsi \
		--conf "$T_TMP/sanroot.conf" --iscsi-initramfs "$T_TMP/iscsi.initramfs" --umask 0022 \
		>"$T_TMP/itools.log" 2>&1
	expect_eq "mkinitramfs: the image is built" "$?" 0
	lsinitramfs -l "$T_TMP/itools.img" >"$T_TMP/itools.list"
	image_has_modules mkinitramfs "$T_TMP/itools.list"
	image_has_tools mkinitramfs "$T_TMP/itools.list"
	image_secret mkinitramfs "$T_TMP/itools.list" etc/sanroot.conf
	image_secret mkinitramfs "$T_TMP/itools.list" etc/iscsi/iscsi.initramfs
	check "mkinitramfs: UMASK=0022 with secrets: the hook warns" \
		grep -q "^W: sanroot: the image holds $T_TMP/sanroot.conf $T_TMP/iscsi.initramfs (secrets) .*(mode 644): set UMASK=0077" \
		"$T_TMP/itools.log"
	expect_eq "mkinitramfs: the image is as readable as UMASK made it" "$(stat -c %a "$T_TMP/itools.img")" 644
else
	not_ok "mkinitramfs: mkinitramfs or lsinitramfs is missing (initramfs-tools)"
fi

# dracut --------------------------------------------------------------------------------
if command -v dracut >/dev/null && command -v lsinitrd >/dev/null; then
	base=$T_TMP/dracut-base
	mkdir -p "$base/modules.d" "$T_TMP/dracut.conf.d" "$T_TMP/dracut-tmp"
	for f in /usr/lib/dracut/*; do
		[ "${f##*/}" = modules.d ] || cp -a "$f" "$base/"
	done
	for m in /usr/lib/dracut/modules.d/*; do
		ln -s "$m" "$base/modules.d/"
	done
	ln -s "$TOP/dracut/95sanroot" "$base/modules.d/95sanroot"
	: >"$T_TMP/dracut.conf"
	# dracut --force keeps an existing image's mode: this one is world-readable
	: >"$T_TMP/dracut.img" && chmod 0644 "$T_TMP/dracut.img"
	dracutbasedir=$base SANROOT_BIN=$BIN SANROOT_CONF=$T_TMP/sanroot.conf \
		SANROOT_ISCSI_INITRAMFS=$T_TMP/iscsi.initramfs \
		"$TOP/scripts/kernel.sh" run dracut --force --no-hostonly --conf "$T_TMP/dracut.conf" \
		--confdir "$T_TMP/dracut.conf.d" --tmpdir "$T_TMP/dracut-tmp" -m sanroot --omit "ifcfg network" --kver "$KVER" \
		"$T_TMP/dracut.img" >"$T_TMP/dracut.log" 2>&1
	expect_eq "dracut: the image is built" "$?" 0
	lsinitrd "$T_TMP/dracut.img" >"$T_TMP/dracut.list" 2>/dev/null
	image_has_modules dracut "$T_TMP/dracut.list"
	image_has_tools dracut "$T_TMP/dracut.list"
	image_secret dracut "$T_TMP/dracut.list" etc/sanroot.conf
	image_secret dracut "$T_TMP/dracut.list" etc/iscsi/iscsi.initramfs
	check "dracut: SANROOT_CONF is the file in the image" \
		sh -c 'lsinitrd -f etc/sanroot.conf "$1" | grep -q a-secret-12' _ "$T_TMP/dracut.img"
	check "dracut: overwriting a world-readable image with secrets: the module warns" \
		grep -q "sanroot: the image holds $T_TMP/sanroot.conf $T_TMP/iscsi.initramfs (secrets) .*(mode 644)" \
		"$T_TMP/dracut.log"
else
	not_ok "dracut: dracut or lsinitrd is missing (dracut-core)"
fi
if grep -q a-secret-12 "$T_TMP/itools.log" "$T_TMP/dracut.log" 2>/dev/null; then
	not_ok "images: no secret in the generators' output"
else
	ok "images: no secret in the generators' output"
fi
