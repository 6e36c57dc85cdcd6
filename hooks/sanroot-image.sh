# SPDX-License-Identifier: GPL-2.0-only
# sanroot in an initramfs, at build time: the policy both image generators
# follow, sourced by initramfs-tools' hook (initramfs-tools/hooks/sanroot) and
# dracut's module-setup.sh (dracut/95sanroot). Which binary, which kernel
# modules and tool names (the binary prints them: sanroot-boot
# --print-modules, --print-tools), which credentials files, with which mode,
# and when to warn. Each generator keeps its own way of copying a file into
# the image (copy_file, inst_simple) and passes it as a function.
#
#   SANROOT_BIN              the multi-call binary (default: SYSROOT/usr/sbin/sanroot,
#                            then SYSROOT/usr/local/sbin/sanroot)
#   SANROOT_CONF             the credentials file that goes in as /etc/sanroot.conf
#                            (default SYSROOT/etc/sanroot.conf; empty: none)
#   SANROOT_ISCSI_INITRAMFS  open-iscsi's file that goes in as /etc/iscsi/iscsi.initramfs
#                            (default SYSROOT/etc/iscsi/iscsi.initramfs; empty: none)
#
# Names: sanroot_image_* functions, _sr_* variables (the generators' own stay alone).

# sanroot_image_bin [SYSROOT]: the multi-call binary's path on the build host.
sanroot_image_bin() {
	if [ -n "${SANROOT_BIN:-}" ]; then
		echo "$SANROOT_BIN"
		return 0
	fi
	for _sr_p in /usr/sbin/sanroot /usr/local/sbin/sanroot; do
		[ -x "${1:-}$_sr_p" ] && break
	done
	echo "${1:-}$_sr_p"
}

# _sanroot_image_boot BIN OPTION: sanroot-boot's answer, from the multi-call
# binary (or a sanroot-boot of its own).
_sanroot_image_boot() {
	case ${1##*/} in
	sanroot-boot) "$1" "$2" ;;
	*) "$1" sanroot-boot "$2" ;;
	esac
}

# sanroot_image_modules BIN: the kernel modules an iSCSI root needs, one a
# line (the NIC drivers are the generator's). Fails when BIN does not run here.
sanroot_image_modules() {
	_sanroot_image_boot "$1" --print-modules
}

# sanroot_image_tools BIN: the names the image links to the multi-call binary.
sanroot_image_tools() {
	_sanroot_image_boot "$1" --print-tools
}

# sanroot_image_secrets INSTALL IMAGE [SYSROOT]: put the credentials files in
# the image. INSTALL SRC DST is the generator's copy of host file SRC to DST
# in the image, whose root is the directory IMAGE; the copy then becomes
# root's, mode 0600 (sanroot refuses it otherwise). open-iscsi's
# initramfs-tools hook copies iscsi.initramfs to /etc/iscsi.initramfs with the
# umask's mode: that copy becomes root's too, and stands for ours. A file
# of comments and blank lines alone is left out. Sets
# SANROOT_IMAGE_SECRETS to the host files copied (for sanroot_image_warning).
# Fails when a copy fails.
sanroot_image_secrets() {
	SANROOT_IMAGE_SECRETS=
	_sr_install=$1 _sr_image=$2 _sr_sysroot=${3:-}
	_sr_conf=${SANROOT_CONF-$_sr_sysroot/etc/sanroot.conf}
	_sr_iscsi=${SANROOT_ISCSI_INITRAMFS-$_sr_sysroot/etc/iscsi/iscsi.initramfs}
	if [ -e "$_sr_image/etc/iscsi.initramfs" ]; then
		_sanroot_image_own "$_sr_image/etc/iscsi.initramfs" || return 1
		SANROOT_IMAGE_SECRETS=${_sr_iscsi:-iscsi.initramfs}
		_sr_iscsi=
	fi
	for _sr_pair in "$_sr_conf:/etc/sanroot.conf" "$_sr_iscsi:/etc/iscsi/iscsi.initramfs"; do
		_sr_src=${_sr_pair%:*} _sr_dst=${_sr_pair##*:}
		if [ -z "$_sr_src" ] || [ ! -f "$_sr_src" ]; then
			continue
		fi
		# Comments alone (the Debian package's /etc/sanroot.conf as it is
		# shipped) are no secret and add nothing to the plan: left out,
		# and no warning.
		grep -q '^[[:space:]]*[^#[:space:]]' "$_sr_src" || continue
		"$_sr_install" "$_sr_src" "$_sr_dst" || return 1
		_sanroot_image_own "$_sr_image$_sr_dst" || return 1
		SANROOT_IMAGE_SECRETS="${SANROOT_IMAGE_SECRETS:+$SANROOT_IMAGE_SECRETS }$_sr_src"
	done
}

# _sanroot_image_own FILE: root's alone (as root; otherwise the image's
# cpio keeps the builder as the owner and sanroot refuses the file).
_sanroot_image_own() {
	chmod 0600 "$1" || return 1
	chown 0:0 "$1" 2>/dev/null ||
		echo "sanroot: $1 is not root's in the image (build the image as root)" >&2
	return 0
}

# sanroot_image_mode OUT UMASK: the mode the image file will have: OUT's
# own when it exists (both generators keep it), else 0666 less UMASK.
sanroot_image_mode() {
	if [ -e "$1" ]; then
		stat -L -c %a "$1"
	else
		printf '%o\n' $((0666 & ~0$2))
	fi
}

# sanroot_image_warning MODE HINT: the warning, one line, when the image
# holds SANROOT_IMAGE_SECRETS and its MODE lets group or others read it;
# nothing otherwise.
sanroot_image_warning() {
	[ -n "${SANROOT_IMAGE_SECRETS:-}" ] || return 0
	[ $((0$1 & 044)) != 0 ] || return 0
	echo "sanroot: the image holds $SANROOT_IMAGE_SECRETS (secrets) and is readable by others (mode $1): $2"
}
