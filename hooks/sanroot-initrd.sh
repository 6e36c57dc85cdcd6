# SPDX-License-Identifier: GPL-2.0-only
# sanroot in an initramfs, at boot: the shell both image generators' scripts
# source (as /lib/sanroot/sanroot-initrd.sh in the image): whether the plan
# claims this boot, quoting, and the files the real root reads.
#
# Names: sanroot_* functions, _sr_* variables.

# where sanroot-boot leaves sanroot/boot.env, the leases and initramfs/ (tests move it)
SANROOT_RUN=${SANROOT_RUN:-/run}

# sanroot_quote VALUE: VALUE single-quoted, for a shell-sourced file.
sanroot_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# sanroot_claim [PLAN OPTION]...: whether sanroot owns this boot, by the plan
# (sanroot-config --shell, with these options): prints "target" when it
# names an iSCSI target (the command line, /etc/sanroot.conf,
# iscsi.initramfs, the iBFT), "dhcp" when the DHCP root path will
# (root=dhcp), "firmware" when the firmware's iBFT is asked for
# (iscsi_firmware, rd.iscsi.firmware, iscsi_auto) but none was read (yet);
# nothing otherwise. Fails when the plan cannot be read: sanroot-config's
# message went to stderr.
sanroot_claim() {
	_sr_plan=$(sanroot-config --shell "$@") || return 1
	(
		# the values are single-quoted by sanroot-config: safe to eval
		eval "$_sr_plan" || exit 1
		if [ "${SANROOT_TARGETS:-0}" != 0 ]; then
			echo target
		elif [ "${SANROOT_ROOT_FROM_DHCP:-0}" = 1 ]; then
			echo dhcp
		elif [ "${SANROOT_ISCSI_FIRMWARE:-0}" = 1 ]; then
			echo firmware
		fi
	)
	_sr_rc=$?
	_sr_plan=
	return $_sr_rc
}

# sanroot_root_is_ours ROOT: root= (ROOT) names no block device (root=iscsi:...,
# root=dhcp, none): the root is the first iSCSI disk.
sanroot_root_is_ours() {
	case ${1:-} in
	"" | iscsi | iscsi:* | dhcp | dhcp6) return 0 ;;
	esac
	return 1
}

# sanroot_handover [NETIF]: after sanroot-boot --until ...: reads what came up
# (SANROOT_NETDEV, SANROOT_DISKS, SANROOT_ROOT from SANROOT_RUN/sanroot/boot.env,
# single-quoted) and tells the real root's open-iscsi which interface carries
# the session (SANROOT_RUN/initramfs/open-iscsi.interface; its iscsid adopts
# the session). ifupdown's networking service gets a drop-in: its stop (at
# shutdown, or on a restart) leaves the interface out, and leaves its DHCP
# client running. Else ifdown releases the lease and takes the link down under
# the root (it goes on when an if-down.d script fails: no guard can stop it),
# and the stop kills the dhclient that renews the lease. Its start still
# brings the interface up, with the real root's DHCP client.
# iscsid gets a drop-in too: before it starts, a node record for each session
# (sanroot_iscsid_nodes), so that it adopts the session with the replacement
# timeout the session has (not iscsid.conf's 120 s) and with node.startup
# onboot, which open-iscsi's logout at shutdown spares.
# systemd-networkd and NetworkManager read configuration from /run too
# (sanroot_networkd, sanroot_networkmanager).
# NETIF, when sanroot-boot names none, is the caller's (dracut's network).
# shellcheck disable=SC2034 # SANROOT_DISKS and SANROOT_ROOT are the caller's
sanroot_handover() {
	SANROOT_NETDEV='' SANROOT_DISKS='' SANROOT_ROOT=''
	# a missing file for "." ends a non-interactive shell
	[ -r "$SANROOT_RUN/sanroot/boot.env" ] || return 1
	# shellcheck disable=SC1091 # written by sanroot-boot
	. "$SANROOT_RUN/sanroot/boot.env" || return 1
	SANROOT_NETDEV=${SANROOT_NETDEV:-${1:-}}
	if [ -n "$SANROOT_NETDEV" ]; then
		mkdir -p "$SANROOT_RUN/initramfs" &&
			echo "$SANROOT_NETDEV" >"$SANROOT_RUN/initramfs/open-iscsi.interface"
		_sr_d=$SANROOT_RUN/systemd/system/networking.service.d
		mkdir -p "$_sr_d" && {
			echo "# sanroot: the root's iSCSI session runs over $SANROOT_NETDEV"
			echo "[Service]"
			echo "ExecStop="
			echo "ExecStop=/sbin/ifdown -a --read-environment --exclude=lo --exclude=$SANROOT_NETDEV"
			echo "KillMode=process"
		} >"$_sr_d/50-sanroot.conf"
		sanroot_networkd "$SANROOT_NETDEV"
		sanroot_networkmanager "$SANROOT_NETDEV"
	fi
	_sr_d=$SANROOT_RUN/systemd/system/iscsid.service.d
	mkdir -p "$_sr_d" && sanroot_iscsid_nodes >"$SANROOT_RUN/sanroot/iscsid-nodes.sh" && {
		echo "# sanroot: node records for the sessions the initramfs made"
		echo "[Service]"
		echo "ExecStartPre=-/bin/sh /run/sanroot/iscsid-nodes.sh"
	} >"$_sr_d/50-sanroot.conf"
}

# sanroot_networkd IFACE: systemd-networkd's configuration of the boot
# interface, in /run, named to sort before the root's own files (the first
# .network that matches an interface is the one networkd uses). It keeps what
# the initramfs configured, on start and on stop or restart
# (KeepConfiguration=yes: a root on the network is the case it exists for).
# After a DHCP boot networkd runs the DHCP client, with type 1 and the MAC as
# client identifier (sanroot-net sent none: the server keyed the lease on the
# MAC and gives networkd the same address) and no release when it stops;
# sanroot's lease keeper stands by while networkd holds the lease. After a static boot there
# is nothing to renew, and nothing is added.
sanroot_networkd() {
	_sr_proto=''
	[ -r "$SANROOT_RUN/net-$1.conf" ] &&
		_sr_proto=$(sed -n "s/^PROTO='\{0,1\}\([a-z]*\).*/\1/p" "$SANROOT_RUN/net-$1.conf")
	mkdir -p "$SANROOT_RUN/systemd/network" && {
		echo "# sanroot: the root's iSCSI session runs over $1; what the initramfs"
		echo "# configured on it stays, whatever networkd is told to do with it."
		echo "[Match]"
		echo "Name=$1"
		echo ""
		echo "[Network]"
		echo "KeepConfiguration=yes"
		if [ "$_sr_proto" = dhcp ]; then
			echo "DHCP=ipv4"
			echo ""
			echo "[DHCPv4]"
			echo "ClientIdentifier=mac"
			echo "SendRelease=no"
		fi
	} >"$SANROOT_RUN/systemd/network/10-sanroot-$1.network"
}

# sanroot_networkmanager IFACE: NetworkManager leaves the boot interface
# alone (unmanaged: it neither takes it down nor runs a DHCP client on it;
# sanroot's lease keeper renews the lease).
sanroot_networkmanager() {
	mkdir -p "$SANROOT_RUN/NetworkManager/conf.d" && {
		echo "# sanroot: the root's iSCSI session runs over $1"
		echo "[keyfile]"
		echo "unmanaged-devices+=interface-name:$1"
	} >"$SANROOT_RUN/NetworkManager/conf.d/90-sanroot.conf"
}

# sanroot_iscsid_nodes: the script (on stdout) that the real root runs before
# iscsid: a node record for each iSCSI session, from sysfs, through the real
# root's own iscsiadm. No secret: iscsid takes the session's CHAP from the
# kernel when it adopts it.
sanroot_iscsid_nodes() {
	cat <<'NODES'
# sanroot (hooks/sanroot-initrd.sh): node records for the sessions the
# initramfs made, written before iscsid starts so that it adopts them with
# their replacement timeout and node.startup onboot.
command -v iscsiadm >/dev/null 2>&1 || exit 0
for s in /sys/class/iscsi_session/session*; do
	[ -e "$s" ] || continue
	sid=${s##*/session} a='' p=''
	t=$(cat "$s/targetname") g=$(cat "$s/tpgt") tmo=$(cat "$s/recovery_tmo")
	for c in /sys/class/iscsi_connection/connection"$sid":*; do
		[ -e "$c" ] || continue
		a=$(cat "$c/persistent_address") p=$(cat "$c/persistent_port")
		break
	done
	[ -n "$t" ] && [ -n "$a" ] || continue
	case $a in *:*) portal="[$a]:$p,$g" ;; *) portal="$a:$p,$g" ;; esac
	iscsiadm -m node -T "$t" -p "$portal" -o new >/dev/null 2>&1
	if ! iscsiadm -m node -T "$t" -p "$portal" -o update -n node.startup -v onboot ||
		! iscsiadm -m node -T "$t" -p "$portal" -o update \
			-n node.session.timeo.replacement_timeout -v "$tmo"; then
		echo "sanroot: no node record for $t at $portal: iscsid adopts it with its defaults" >&2
	fi
done
exit 0
NODES
}
