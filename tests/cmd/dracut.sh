#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# dracut's sanroot module on the host: make install puts it (and hooks/, the
# policy it shares with initramfs-tools) where dracut looks; the cmdline hook
# claims the boots it should, and only those; the job and the netroot handler
# call sanroot-boot as they should and hand failures to dracut's die.
# dracut's own functions are stubbed here; tests/cmd/images.sh builds images
# with the real dracut, and the real boots are tests/vm/matrix-dracut.sh.
. "$(dirname "$0")/../lib.sh"
MOD=$TOP/dracut/95sanroot

# make install ------------------------------------------------------------------
make -s -C "$TOP" install DESTDIR="$T_TMP/dest" PREFIX=/usr >"$T_TMP/make.out" 2>&1
expect_eq "make install exits 0" "$?" 0
for f in module-setup.sh parse-sanroot.sh sanroot-dracut.sh sanroot-lib.sh sanroot-emergency.sh; do
	check "make install: /usr/lib/dracut/modules.d/95sanroot/$f" \
		test -x "$T_TMP/dest/usr/lib/dracut/modules.d/95sanroot/$f"
done
check "make install: the multi-call binary the module puts in the image" test -x "$T_TMP/dest/usr/sbin/sanroot"
for f in sanroot-image.sh sanroot-initrd.sh; do
	check "make install: /usr/share/sanroot/hooks/$f" test -f "$T_TMP/dest/usr/share/sanroot/hooks/$f"
done
HOOKS=$TOP/hooks

# The stubs ------------------------------------------------------------------------
# dracut-lib.sh's functions on $TEST_CMDLINE; events go to $T_TMP/events.
mkdir -p "$T_TMP/bin" "$T_TMP/run"
cat >"$T_TMP/dracut-lib.sh" <<'EOF'
getarg() {
	_k=${1%%=*} _want='' _v='' _found=1
	case $1 in *=?*) _want=${1#*=} ;; esac
	for _w in $TEST_CMDLINE; do
		case $_w in
		"$_k"=*) _v=${_w#*=} _found=0 ;;
		"$_k") _v=1 _found=0 ;;
		esac
	done
	if [ -n "$_want" ]; then
		[ "$_found" = 0 ] && [ "$_v" = "$_want" ]
		return
	fi
	[ "$_found" = 0 ] && echo "$_v"
	return $_found
}
getargs() {
	_k=${1%%=*} _r=1
	for _w in $TEST_CMDLINE; do
		case $_w in "$_k"=*) echo "${_w#*=}"; _r=0 ;; esac
	done
	return $_r
}
getcmdline() { printf '%s' "$TEST_CMDLINE"; }
die() { echo "die $*" >>"$EVENTS"; exit 1; }
info() { :; }
warn() { echo "warn $*" >>"$EVENTS"; }
need_shutdown() { echo "need_shutdown" >>"$EVENTS"; }
EOF
cat >"$T_TMP/bin/initqueue" <<'EOF'
#!/bin/sh
echo "initqueue $*" >>"$EVENTS"
EOF
# sanroot-config as in the image, on $TEST_CMDLINE (and no /etc/sanroot.conf of the host's)
(umask 077 && : >"$T_TMP/sanroot.conf")
cat >"$T_TMP/bin/sanroot-config" <<EOF
#!/bin/sh
exec "$SANROOT_BIN/sanroot-config" "\$@" --cmdline "\$TEST_CMDLINE" --conf "$T_TMP/sanroot.conf"
EOF
# sanroot-boot: records its arguments, fails with TEST_BOOT_RC, else leaves boot.env
cat >"$T_TMP/bin/sanroot-boot" <<'EOF'
#!/bin/sh
echo "sanroot-boot $*" >>"$EVENTS"
[ "${TEST_BOOT_RC:-0}" = 0 ] || exit "$TEST_BOOT_RC"
mkdir -p "$SANROOT_RUN/sanroot"
printf "SANROOT_NETDEV='%s'\nSANROOT_DISKS='/dev/sda'\nSANROOT_ROOT='/dev/sda'\n" \
	"${TEST_NETDEV:-}" >"$SANROOT_RUN/sanroot/boot.env"
EOF
chmod 755 "$T_TMP/bin/"*
export EVENTS="$T_TMP/events" SANROOT_RUN="$T_TMP/run" PATH="$T_TMP/bin:$PATH"

# hook CMDLINE [handler]: run the cmdline hook as dracut does (sourced, root=
# already read); prints "rootok= root= netroot=" and leaves the events.
hook() {
	: >"$EVENTS"
	rm -rf "$T_TMP/hooks" && mkdir -p "$T_TMP/hooks/initqueue/finished"
	rm -f "$T_TMP/bin/iscsiroot"
	if [ "${2:-}" = handler ]; then
		printf '#!/bin/sh\n' >"$T_TMP/bin/iscsiroot" && chmod 755 "$T_TMP/bin/iscsiroot"
	fi
	TEST_CMDLINE=$1 hookdir=$T_TMP/hooks sh -c '
		. "$1"; . "$2"; . "$3"
		root=$(getarg root=)
		. "$4"
		echo "rootok=${rootok:-} root=${root:-} netroot=${netroot:-}"' \
		_ "$T_TMP/dracut-lib.sh" "$HOOKS/sanroot-initrd.sh" "$MOD/sanroot-lib.sh" "$MOD/parse-sanroot.sh" \
		2>"$T_TMP/hook.err"
}
finished() { test -e "$T_TMP/hooks/initqueue/finished/sanroot.sh"; }
queued() { grep -q '^initqueue --settled --onetime --unique --name sanroot sanroot-dracut$' "$EVENTS"; }

T=iqn.2003-01.org.sanroot:reflun
NR="netroot=iscsi:client:a-secret-12@10.0.2.2::3260:1:$T"

# The cmdline hook -------------------------------------------------------------------
out=$(hook "root=/dev/mapper/client-rootfs $NR ip=dhcp")
expect_eq "hook: netroot=iscsi: is claimed, root= is dracut's" "$out" \
	"rootok=1 root=/dev/mapper/client-rootfs netroot="
check "hook: without dracut's network, the login is an initqueue job" queued
check "hook: the initqueue waits for sanroot" finished

out=$(hook "root=/dev/mapper/client-rootfs $NR ip=dhcp" handler)
expect_eq "hook: with dracut's network, netroot names the target for /sbin/iscsiroot" "$out" \
	"rootok=1 root=/dev/mapper/client-rootfs $NR"
if queued; then not_ok "hook: the netroot handler mode queues no job"; else ok "hook: the netroot handler mode queues no job"; fi
check "hook: the initqueue waits for the netroot handler" finished

out=$(hook "root=iscsi:10.0.2.2::::$T" handler)
expect_eq "hook: root=iscsi: is claimed and is the netroot" "$out" "rootok=1 root=iscsi:10.0.2.2::::$T netroot=iscsi:10.0.2.2::::$T"

out=$(hook "iscsi_initiator=iqn.x:y iscsi_target_name=$T iscsi_target_ip=10.0.2.2" handler)
expect_eq "hook: iscsi_* are claimed; root= defaults to the iSCSI disk; netroot=iscsi:" "$out" \
	"rootok=1 root=iscsi netroot=iscsi:"

out=$(hook "rd.iscsi.initiator=iqn.x:y rd.iscsi.target.name=$T rd.iscsi.target.ip=10.0.2.2 root=LABEL=r")
expect_eq "hook: rd.iscsi.* are claimed" "$out" "rootok=1 root=LABEL=r netroot="
check "hook: rd.iscsi.*: the job is queued" queued

out=$(hook "root=dhcp")
expect_eq "hook: root=dhcp without dracut's network: claimed" "$out" "rootok=1 root=dhcp netroot="
check "hook: root=dhcp: sanroot-net leases, the job is queued" queued
out=$(hook "root=dhcp" handler)
expect_eq "hook: root=dhcp with dracut's network: claimed, netroot left to 40network" "$out" \
	"rootok=1 root=dhcp netroot="
if finished; then not_ok "hook: root=dhcp: 40network's own check waits"; else ok "hook: root=dhcp: 40network's own check waits"; fi

out=$(hook "root=/dev/sda1 ip=dhcp")
expect_eq "hook: a root with no iSCSI target is left alone" "$out" "rootok= root=/dev/sda1 netroot="
if queued || finished; then not_ok "hook: nothing queued for a local root"; else ok "hook: nothing queued for a local root"; fi

out=$(hook "rd.iscsi.firmware root=/dev/mapper/client-rootfs" handler)
expect_eq "hook: rd.iscsi.firmware is claimed (no iBFT yet), netroot=iscsi: as for a target" "$out" \
	"rootok=1 root=/dev/mapper/client-rootfs netroot=iscsi:"
check "hook: rd.iscsi.firmware: the initqueue waits for the netroot handler" finished
out=$(hook "iscsi_firmware root=/dev/mapper/client-rootfs")
expect_eq "hook: iscsi_firmware (initramfs-tools' name) is claimed too" "$out" \
	"rootok=1 root=/dev/mapper/client-rootfs netroot="
check "hook: iscsi_firmware: the job is queued" queued

hook "$NR sanroot.tiemout=3" >/dev/null
check "hook: a bad plan goes to dracut's die" grep -q '^die sanroot: the boot plan cannot be read' "$EVENTS"
check "hook: sanroot-config's message is on stderr" grep -q 'sanroot.tiemout' "$T_TMP/hook.err"
if grep -q a-secret-12 "$EVENTS" "$T_TMP/hook.err"; then
	not_ok "hook: no secret in dracut's messages"
else
	ok "hook: no secret in dracut's messages"
fi

# The job and the netroot handler ----------------------------------------------------
# job CMDLINE [ARGS]: run sanroot-dracut as the initqueue (or netroot.sh) does
job() {
	: >"$EVENTS"
	rm -rf "$T_TMP/run" && mkdir -p "$T_TMP/run"
	TEST_CMDLINE=$1 && shift
	TEST_CMDLINE=$TEST_CMDLINE sh -c '. "$1"; . "$2"; . "$3"; shift 3; . "$0"' "$MOD/sanroot-dracut.sh" \
		"$T_TMP/dracut-lib.sh" "$HOOKS/sanroot-initrd.sh" "$MOD/sanroot-lib.sh" "$@"
}
boot_args() { sed -n 's/^sanroot-boot //p' "$EVENTS"; }

job "root=/dev/mapper/client-rootfs $NR"
expect_eq "job: sanroot-boot up to LVM, failures left to dracut" "$(boot_args)" "--no-reboot --until lvm"
check "job: dracut's shutdown takes the root down" grep -qx need_shutdown "$EVENTS"

TEST_NETDEV=eth0 job "root=/dev/mapper/client-rootfs $NR"
expect_eq "job: the interface for the real root's open-iscsi" \
	"$(cat "$T_TMP/run/initramfs/open-iscsi.interface")" eth0

job "root=iscsi:10.0.2.2::::$T"
expect_eq "job: root=iscsi: sanroot mounts the first disk at dracut's NEWROOT" "$(boot_args)" \
	"--no-reboot --until root --newroot /sysroot"

job "root=/dev/mapper/client-rootfs $NR" eth0 "${NR#netroot=}" /sysroot
expect_eq "handler: the network is dracut's" "$(boot_args)" "--no-reboot --skip net --until lvm"
expect_eq "handler: the interface dracut brought up is the one the real root keeps" \
	"$(cat "$T_TMP/run/initramfs/open-iscsi.interface")" eth0
check "handler: its lease in klibc's form names the interface" grep -qx "DEVICE='eth0'" "$T_TMP/run/net-eth0.conf"
if grep -q ROOTPATH "$T_TMP/run/net-eth0.conf"; then
	not_ok "handler: the command line's netroot (and its secret) stays out of /run"
else
	ok "handler: the command line's netroot (and its secret) stays out of /run"
fi

job "root=dhcp" eth0 "iscsi:10.0.2.2::3260:1:$T" /sysroot
expect_eq "handler: root=dhcp: the mounted root is sanroot's" "$(boot_args)" \
	"--no-reboot --skip net --until root --newroot /sysroot"
check "handler: root=dhcp: the DHCP root path goes to sanroot-boot in the lease" \
	grep -qx "ROOTPATH='iscsi:10.0.2.2::3260:1:$T'" "$T_TMP/run/net-eth0.conf"
# dhclient-script's record of the lease, where dracut keeps it
opts=/tmp/dhclient.srt$$.dhcpopts
printf "new_ip_address=10.0.2.15\nnew_subnet_mask=255.255.255.0\nnew_routers='10.0.2.2'\n" >"$opts"
job "root=dhcp" "srt$$" "iscsi:10.0.2.2::3260:1:$T" /sysroot
rm -f "$opts"
check "handler: the lease's address goes into the klibc file" \
	grep -qx "IPV4ADDR='10.0.2.15'" "$T_TMP/run/net-srt$$.conf"
"$SANROOT_BIN/sanroot-config" --sysroot "$T_TMP" --no-ibft --cmdline root=dhcp >"$T_TMP/plan" 2>&1
check "handler: sanroot reads that file: the DHCP root path is the target" \
	grep -qx "SANROOT_TARGET0_NAME='$T'" "$T_TMP/plan"
job "root=dhcp" eth0 "iscsi:u:a-secret-12@10.0.2.2::3260:1:$T" /sysroot
check "handler: a DHCP root path with credentials is refused" grep -q '^die sanroot: ' "$EVENTS"
if grep -rq a-secret-12 "$T_TMP/run"; then not_ok "handler: no secret under /run"; else ok "handler: no secret under /run"; fi

mkdir -p "$T_TMP/run/sanroot" && : >"$T_TMP/run/sanroot/boot.env"
: >"$EVENTS"
TEST_CMDLINE="root=/dev/mapper/client-rootfs $NR" sh -c '. "$1"; . "$2"; . "$3"; shift 3; . "$0"' \
	"$MOD/sanroot-dracut.sh" "$T_TMP/dracut-lib.sh" "$HOOKS/sanroot-initrd.sh" "$MOD/sanroot-lib.sh" \
	eth1 "${NR#netroot=}" /sysroot
expect_eq "handler: a second interface finds the work done" "$(boot_args)" ""

TEST_BOOT_RC=111 job "root=/dev/mapper/client-rootfs $NR"
check "job: a failure goes to dracut's die" grep -q '^die sanroot: the iSCSI root could not be set up' "$EVENTS"

# module-setup.sh's install(), with dracut's inst_* stubbed -----------------------------
# setup MODULES...: run install() as dracut would with these modules in the image;
# the image is $T_TMP/initdir, the host's root $T_TMP/sysroot.
setup() {
	rm -rf "$T_TMP/initdir" && mkdir -p "$T_TMP/initdir/sbin" "$T_TMP/initdir/usr/sbin" \
		"$T_TMP/initdir/lib/dracut/hooks/cmdline" || return 1
	# dracut's iscsi module, installed before sanroot's (95iscsi < 95sanroot)
	: >"$T_TMP/initdir/lib/dracut/hooks/cmdline/90-parse-iscsiroot.sh"
	: >"$T_TMP/initdir/sbin/iscsiroot"
	MODULES=" $* " bash -c '
		inst_simple() { mkdir -p "$initdir$(dirname "${2:-$1}")" && cp "$1" "$initdir${2:-$1}"; }
		inst_script() { inst_simple "$@"; }
		inst_hook() { inst_simple "$3" "/lib/dracut/hooks/$1/$2-${3##*/}"; }
		inst_rules() { echo "inst_rules $*" >>"$EVENTS"; }
		derror() { echo "derror $*" >>"$EVENTS"; }
		dracut_module_included() { case $MODULES in *" $1 "*) return 0 ;; esac; return 1; }
		dracut_need_initqueue() { : >"$initdir/lib/dracut/need-initqueue"; }
		dinfo() { echo "dinfo $*" >>"$EVENTS"; }
		dwarn() { echo "dwarn $*" >>"$EVENTS"; }
		. "$1"
		install' _ "$MOD/module-setup.sh"
}
: >"$EVENTS"
mkdir -p "$T_TMP/sysroot/etc/iscsi"
printf 'iscsi_username=client\niscsi_password=a-secret-12\n' >"$T_TMP/sysroot/etc/sanroot.conf"
chmod 0644 "$T_TMP/sysroot/etc/sanroot.conf"
export initdir="$T_TMP/initdir" moddir="$MOD" dracutsysrootdir="$T_TMP/sysroot" hostonly=''
export outfile
SANROOT_BIN_IMAGE=$SANROOT_BIN/sanroot-boot
SANROOT_BIN=$SANROOT_BIN_IMAGE setup systemd iscsi lvm network network-legacy
expect_eq "module: install() succeeds" "$?" 0
check "module: the multi-call binary" test -x "$T_TMP/initdir/usr/sbin/sanroot"
expect_eq "module: the tools are links to it" "$(readlink "$T_TMP/initdir/usr/sbin/sanroot-boot")" sanroot
expect_eq "module: /etc/sanroot.conf is root's alone" \
	"$(stat -c '%a %u %g' "$T_TMP/initdir/etc/sanroot.conf")" "600 0 0"
check "module: the cmdline hook" test -e "$T_TMP/initdir/lib/dracut/hooks/cmdline/89-parse-sanroot.sh"
check "module: the initqueue runs" test -e "$T_TMP/initdir/lib/dracut/need-initqueue"
if [ -e "$T_TMP/initdir/lib/dracut/hooks/cmdline/90-parse-iscsiroot.sh" ]; then
	not_ok "module: dracut's iscsi cmdline hook is left out"
else
	ok "module: dracut's iscsi cmdline hook is left out"
fi
expect_eq "module: with network-legacy, /sbin/iscsiroot is sanroot's handler" \
	"$(readlink "$T_TMP/initdir/sbin/iscsiroot")" sanroot-dracut
check "module: with systemd, udev's device-mapper rules" grep -q '^inst_rules .*55-dm.rules' "$EVENTS"

: >"$EVENTS"
SANROOT_BIN=$SANROOT_BIN_IMAGE setup iscsi systemd-networkd
if [ -e "$T_TMP/initdir/sbin/iscsiroot" ]; then
	not_ok "module: without a network handler that calls it, no /sbin/iscsiroot"
else
	ok "module: without a network handler that calls it, no /sbin/iscsiroot"
fi
check "module: systemd-networkd: says sanroot-net configures the interface too" \
	grep -q '^dwarn sanroot: systemd-networkd' "$EVENTS"
rm -f "$T_TMP/sysroot/etc/sanroot.conf"
SANROOT_BIN=$SANROOT_BIN_IMAGE setup
if [ -e "$T_TMP/initdir/etc/sanroot.conf" ]; then
	not_ok "module: no /etc/sanroot.conf on the host, none in the image"
else
	ok "module: no /etc/sanroot.conf on the host, none in the image"
fi

# The shared policy (hooks/sanroot-image.sh) in install() ------------------------------
check "module: the shared boot-time shell" test -f "$T_TMP/initdir/lib/sanroot/sanroot-initrd.sh"
expect_eq "module: the tools linked are sanroot-boot --print-tools" \
	"$(cd "$T_TMP/initdir/usr/sbin" && find . -type l -lname sanroot | sed 's|^\./||' | LC_ALL=C sort)" \
	"$("$SANROOT_BIN/sanroot-boot" --print-tools | LC_ALL=C sort)"
printf 'iscsi_target_name=%s\n' "$T" >"$T_TMP/sysroot/etc/iscsi/iscsi.initramfs"
printf 'iscsi_password=a-secret-12\n' >"$T_TMP/other.conf"
chmod 0644 "$T_TMP/sysroot/etc/iscsi/iscsi.initramfs" "$T_TMP/other.conf"
: >"$EVENTS"
SANROOT_CONF=$T_TMP/other.conf SANROOT_BIN=$SANROOT_BIN_IMAGE setup
expect_eq "module: SANROOT_CONF names the file that goes in as /etc/sanroot.conf" \
	"$(cat "$T_TMP/initdir/etc/sanroot.conf" 2>/dev/null)" "iscsi_password=a-secret-12"
expect_eq "module: /etc/iscsi/iscsi.initramfs goes in, root's alone" \
	"$(stat -c '%a %u %g' "$T_TMP/initdir/etc/iscsi/iscsi.initramfs" 2>/dev/null)" "600 0 0"
if grep -q '^dwarn sanroot: the image holds' "$EVENTS"; then
	not_ok "module: a new image (dracut's umask 077) draws no warning"
else
	ok "module: a new image (dracut's umask 077) draws no warning"
fi
: >"$T_TMP/old.img" && chmod 0644 "$T_TMP/old.img"
: >"$EVENTS"
outfile=$T_TMP/old.img SANROOT_CONF=$T_TMP/other.conf SANROOT_BIN=$SANROOT_BIN_IMAGE setup
check "module: overwriting a world-readable image with secrets: a warning" \
	grep -q "^dwarn sanroot: the image holds $T_TMP/other.conf .* (mode 644)" "$EVENTS"
: >"$EVENTS"
outfile=$T_TMP/old.img SANROOT_CONF='' SANROOT_ISCSI_INITRAMFS='' SANROOT_BIN=$SANROOT_BIN_IMAGE setup
if [ -e "$T_TMP/initdir/etc/sanroot.conf" ] || [ -e "$T_TMP/initdir/etc/iscsi/iscsi.initramfs" ] ||
	grep -q '^dwarn' "$EVENTS"; then
	not_ok "module: SANROOT_CONF= and SANROOT_ISCSI_INITRAMFS= empty: no secrets, no warning"
else
	ok "module: SANROOT_CONF= and SANROOT_ISCSI_INITRAMFS= empty: no secrets, no warning"
fi

# hooks/sanroot-initrd.sh on its own (initramfs-tools' script uses the same) ------------
# shellcheck disable=SC2016 # the inner shell's text
out=$(sh -c '. "$1"; v=$(sanroot_quote "/dev/a b'"'"'c\$d"); eval "x=$v"; printf %s "$x"' _ "$HOOKS/sanroot-initrd.sh")
expect_eq "initrd: sanroot_quote survives a quote, a blank and a dollar" "$out" "/dev/a b'c\$d"
for r in "" iscsi "iscsi:10.0.2.2::::$T" dhcp dhcp6; do
	check "initrd: root=$r names no device: the first iSCSI disk" \
		sh -c '. "$1"; sanroot_root_is_ours "$2"' _ "$HOOKS/sanroot-initrd.sh" "$r"
done
if sh -c '. "$1"; sanroot_root_is_ours /dev/mapper/client-rootfs' _ "$HOOKS/sanroot-initrd.sh"; then
	not_ok "initrd: root=/dev/mapper/... is a device"
else
	ok "initrd: root=/dev/mapper/... is a device"
fi
rm -rf "$T_TMP/run" && mkdir -p "$T_TMP/run"
if SANROOT_RUN=$T_TMP/run sh -c '. "$1"; sanroot_handover eth0; echo survived' _ "$HOOKS/sanroot-initrd.sh" |
	grep -qx survived; then
	ok "initrd: no boot.env: sanroot_handover fails, the script goes on"
else
	not_ok "initrd: no boot.env: sanroot_handover fails, the script goes on"
fi
mkdir -p "$T_TMP/run/sanroot"
printf "SANROOT_NETDEV='eth1'\nSANROOT_DISKS='/dev/sda'\nSANROOT_ROOT='/dev/sda'\n" >"$T_TMP/run/sanroot/boot.env"
out=$(SANROOT_RUN=$T_TMP/run sh -c '. "$1"; sanroot_handover eth0 && echo "$SANROOT_ROOT"' _ "$HOOKS/sanroot-initrd.sh")
expect_eq "initrd: sanroot_handover reads boot.env" "$out" /dev/sda
expect_eq "initrd: the interface sanroot-boot names goes to open-iscsi.interface" \
	"$(cat "$T_TMP/run/initramfs/open-iscsi.interface")" eth1
expect_eq "initrd: ifupdown's networking service leaves that interface alone" \
	"$(grep -v '^#' "$T_TMP/run/systemd/system/networking.service.d/50-sanroot.conf" | tr '\n' ' ')" \
	"[Service] ExecStop= ExecStop=/sbin/ifdown -a --read-environment --exclude=lo --exclude=eth1 KillMode=process "
expect_eq "initrd: iscsid's drop-in runs the node records' script first" \
	"$(grep -v '^#' "$T_TMP/run/systemd/system/iscsid.service.d/50-sanroot.conf" | tr '\n' ' ')" \
	"[Service] ExecStartPre=-/bin/sh /run/sanroot/iscsid-nodes.sh "
expect_eq "initrd: networkd keeps the interface's configuration (a static boot: no DHCP)" \
	"$(grep -v '^#' "$T_TMP/run/systemd/network/10-sanroot-eth1.network" | tr '\n' ' ')" \
	"[Match] Name=eth1  [Network] KeepConfiguration=yes "
expect_eq "initrd: NetworkManager leaves the interface alone" \
	"$(grep -v '^#' "$T_TMP/run/NetworkManager/conf.d/90-sanroot.conf" | tr '\n' ' ')" \
	"[keyfile] unmanaged-devices+=interface-name:eth1 "
printf "DEVICE='eth1'\nPROTO='dhcp'\n" >"$T_TMP/run/net-eth1.conf"
SANROOT_RUN=$T_TMP/run sh -c '. "$1"; sanroot_handover' _ "$HOOKS/sanroot-initrd.sh"
expect_eq "initrd: after a DHCP boot, networkd renews the lease as the same client, and never releases it" \
	"$(grep -v '^#' "$T_TMP/run/systemd/network/10-sanroot-eth1.network" | tr '\n' ' ')" \
	"[Match] Name=eth1  [Network] KeepConfiguration=yes DHCP=ipv4  [DHCPv4] ClientIdentifier=mac SendRelease=no "
check "initrd: the node records' script is sh" sh -n "$T_TMP/run/sanroot/iscsid-nodes.sh"
check "initrd: ... and does nothing without sessions" sh "$T_TMP/run/sanroot/iscsid-nodes.sh"
