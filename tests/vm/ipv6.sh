#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# IPv6-only boots of the reference LUN: tgtd listens on [::1]:3260 alone (no
# IPv4 portal) inside a private network namespace, where QEMU runs too; QEMU's
# user-mode network (IPv4 off) advertises fec0::/64 and maps its host address
# fec0::2 to that namespace's ::1. sanroot-boot in the rig's initramfs takes its
# address (1. by SLAAC, ip=auto6; 2. static, ip=[fec0::15]::[fec0::2]:64::eth0:none),
# logs in with CHAP to netroot=iscsi:[fec0::2]::3260:1:IQN, hands the connection
# to the kernel, activates LVM and switches to the root, whose init prints the
# reference marker. A watcher in the initramfs reports the kernel connection's
# addresses from sysfs before the switch.
# 3. DHCPv6 (ip=dhcp6, netroot=dhcp) on a tap with dnsmasq instead of QEMU's
# network (whose DHCPv6 answers only Information-requests, and whose boot URL
# is a tftp:// one): the target comes from option 59, the CHAP account from
# the command line.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"

rig_kernel || { not_ok "ipv6: no kernel to boot"; exit 0; }
command -v tgtd >/dev/null || { not_ok "ipv6: tgtd is missing"; exit 0; }

"$TOP/scripts/mkreflun.sh" "$T_TMP/lun.img" >/dev/null ||
	{ not_ok "ipv6: mkreflun failed"; exit 0; }

# tgtd on [::1]:3260 in the namespace.
t_netns IPV6_NS ipv6 || { not_ok "ipv6: no network namespace"; exit 0; }
TGT_NETNS=$IPV6_NS
if ! tgt_start '[::1]' 3260 || ! tgt_target 1 "$REFLUN_IQN" || ! tgt_lun 1 1 "$T_TMP/lun.img" ||
	! tgt_chap 1 "$REFLUN_USER" "$REFLUN_PASS"; then
	not_ok "ipv6: tgtd on [::1]:3260 did not start"
	sed 's/^/    | /' "$T_TMP"/tgtd.*.log
	exit 0
fi
expect_eq "ipv6: tgtd listens on IPv6 only" \
	"$(ip netns exec "$IPV6_NS" ss -ltnH | awk '{ print $4 }' | tr '\n' ' ')" "[::1]:3260 "

# The watcher reads a sysfs of its own (pivot moves /sys into the root) and
# writes to a console it opened before the switch.
cat >"$T_TMP/test.sh" <<'EOF'
mkdir -p /rig/sys && mount -t sysfs sysfs /rig/sys
# every value is there once the kernel has the connection (address, port, the
# host's local address) and sanroot-iscsi has set its parameters (persistent_*)
(
	exec 3>/dev/console
	r() { cat "$1" 2>/dev/null; }
	i=0
	while [ "$i" -lt 6000 ]; do
		for c in /rig/sys/class/iscsi_connection/connection*; do
			a=$(r "$c/address") p=$(r "$c/port")
			pa=$(r "$c/persistent_address") pp=$(r "$c/persistent_port")
			h=$(r /rig/sys/class/iscsi_host/host*/ipaddress)
			[ -n "$a" ] && [ -n "$p" ] && [ -n "$pa" ] && [ -n "$pp" ] && [ -n "$h" ] || continue
			echo "SANROOT-TEST conn_address=$a conn_port=$p conn_persistent=$pa:$pp" \
				"host_address=$h" >&3
			exit 0
		done
		usleep 20000
		i=$((i + 1))
	done
	echo "SANROOT-TEST conn_address=none" >&3
) &
exec sanroot-boot --reboot-delay 1
EOF
rig_initramfs "$T_TMP/boot.img" init="$T_TMP/test.sh" || { not_ok "ipv6: initramfs"; exit 0; }

# boot6 NAME IP: one boot with ip=IP and the target at [fec0::2]:3260; the
# console in $T_TMP/NAME.log.
boot6() {
	_append="ip=$2 netroot=iscsi:[fec0::2]::3260:1:$REFLUN_IQN root=/dev/mapper/client-rootfs"
	_append="$_append iscsi_initiator=$REFLUN_INITIATOR iscsi_username=$REFLUN_USER"
	_append="$_append iscsi_password=$REFLUN_PASS"
	# ipv6=on and the prefix are QEMU's defaults, written out; ipv4=off:
	# nothing but IPv6 reaches the guest.
	rig_boot initrd="$T_TMP/boot.img" append="$_append" timeout=150 mem="$REFLUN_MEM" \
		log="$T_TMP/$1.log" netns="$IPV6_NS" \
		netdev="user,id=n0,ipv4=off,ipv6=on,ipv6-net=fec0::/64"
	root_ok "ipv6 $1"
	check "ipv6 $1: logged in at [fec0::2]:3260" \
		grep -q "sanroot: iscsi: logged in to $REFLUN_IQN at \[fec0::2\]:3260 as /dev/sd[a-z]" "$RIG_LOG"
	# the kernel writes the addresses it reads from the socket in full (%pI6)
	expect_eq "ipv6 $1: the kernel's connection is to fec0::2 (sysfs address, port)" \
		"$(rig_value conn_address) $(rig_value conn_port)" \
		"fec0:0000:0000:0000:0000:0000:0000:0002 3260"
	expect_eq "ipv6 $1: the connection's persistent portal (sysfs)" \
		"$(rig_value conn_persistent)" "fec0::2:3260"
	check "ipv6 $1: no I/O error or connection error on the console" \
		sh -c "! grep -q -e 'I/O error' -e 'conn error' -e 'detected conn' '$RIG_LOG'"
	echo "# ipv6 $1 boot: root's marker at $(root_value uptime) s guest uptime, wall $RIG_WALL s"
	sed -n 's/^.*\(sanroot[a-z-]*: [a-z0-9]*: .*([0-9.]* s)\).*$/# \1/p' "$RIG_LOG"
}

# 1. SLAAC from QEMU's router advertisements (the MAC is QEMU's first: EUI-64)
boot6 auto6 auto6
check "ipv6 auto6: the address is SLAAC's" \
	grep -q 'sanroot-net: eth0: SLAAC fec0::5054:ff:fe12:3456/64' "$RIG_LOG"
check "ipv6 auto6: the network step names the IPv6 interface" grep -q 'sanroot: net: eth0 (IPv6)' "$RIG_LOG"
expect_eq "ipv6 auto6: the iSCSI host's local address (sysfs)" "$(rig_value host_address)" \
	"fec0:0000:0000:0000:5054:00ff:fe12:3456"

# 2. A static address, klibc's bracketed form, the gateway QEMU's router
boot6 static '[fec0::15]::[fec0::2]:64::eth0:none'
check "ipv6 static: the address and gateway from ip=" \
	grep -q 'sanroot-net: eth0: static fec0::15/64 via fec0::2' "$RIG_LOG"
expect_eq "ipv6 static: the iSCSI host's local address (sysfs)" "$(rig_value host_address)" \
	"fec0:0000:0000:0000:0000:0000:0000:0015"

# 3. DHCPv6 on a LAN of its own: in the same namespace a tap, rig6, holds the
# server's fd00:5a::2/64 (no route out); dnsmasq sends router advertisements
# (M=1) and leases fd00:5a::15 with option 59, the iscsi: root path naming
# tgtd's second portal, [fd00:5a::2]:3260. The plan has no target of its own:
# netroot=dhcp takes it from option 59, and iscsi_username/iscsi_password
# apply to it as to any target the plan names.
lan6_start() {
	ip netns exec "$IPV6_NS" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	ip -n "$IPV6_NS" tuntap add dev rig6 mode tap &&
	ip -n "$IPV6_NS" addr add fd00:5a::2/64 dev rig6 nodad &&
	ip -n "$IPV6_NS" link set rig6 up || return 1
	tgt_adm --op new --mode portal --param "portal=[fd00:5a::2]:3260" || return 1
	t_spawn ip netns exec "$IPV6_NS" dnsmasq --keep-in-foreground --conf-file=/dev/null \
		--port=0 --interface=rig6 --bind-interfaces --no-resolv --no-hosts \
		--enable-ra --dhcp-range=fd00:5a::15,fd00:5a::15,64,1h \
		--dhcp-option="option6:bootfile-url,$root6" \
		--dhcp-leasefile="$T_TMP/dhcp6.leases" --pid-file= \
		--log-dhcp --log-facility=- >>"$T_TMP/dnsmasq6.log" 2>&1
	LAN6_DNSMASQ=$T_LAST_PID
	wait_for 10 sh -c "ip netns exec '$IPV6_NS' ss -Hlun 'sport = :547' | grep -q ." &&
	wait_for 10 sh -c "ip netns exec '$IPV6_NS' ss -ltnH | grep -qF '[fd00:5a::2]:3260 '"
}
root6="iscsi:[fd00:5a::2]::3260:1:$REFLUN_IQN"
if lan6_start; then
	append="ip=dhcp6 netroot=dhcp root=/dev/mapper/client-rootfs iscsi_initiator=$REFLUN_INITIATOR"
	append="$append iscsi_username=$REFLUN_USER iscsi_password=$REFLUN_PASS"
	rig_boot initrd="$T_TMP/boot.img" append="$append" timeout=150 mem="$REFLUN_MEM" \
		log="$T_TMP/dhcp6.log" netns="$IPV6_NS" netdev="tap,id=n0,ifname=rig6,script=no,downscript=no"
	root_ok "ipv6 dhcp6"
	check "ipv6 dhcp6: the lease from dnsmasq" \
		grep -q 'sanroot-net: eth0: DHCPv6 lease fd00:5a::15/128' "$RIG_LOG"
	check "ipv6 dhcp6: logged in to option 59's portal" \
		grep -q "sanroot: iscsi: logged in to $REFLUN_IQN at \[fd00:5a::2\]:3260 as /dev/sd[a-z]" "$RIG_LOG"
	expect_eq "ipv6 dhcp6: the kernel's connection (sysfs address, port, local address)" \
		"$(rig_value conn_address) $(rig_value conn_port) $(rig_value host_address)" \
		"fd00:005a:0000:0000:0000:0000:0000:0002 3260 fd00:005a:0000:0000:0000:0000:0000:0015"
	expect_eq "ipv6 dhcp6: the connection's persistent portal (sysfs)" \
		"$(rig_value conn_persistent)" "fd00:5a::2:3260"
	check "ipv6 dhcp6: no I/O error or connection error on the console" \
		sh -c "! grep -q -e 'I/O error' -e 'conn error' -e 'detected conn' '$RIG_LOG'"
	check "ipv6 dhcp6: dnsmasq leased fd00:5a::15" grep -q 'fd00:5a::15' "$T_TMP/dhcp6.leases"
	echo "# ipv6 dhcp6 boot: root's marker at $(root_value uptime) s guest uptime, wall $RIG_WALL s"
	sed -n 's/^.*\(sanroot[a-z-]*: [a-z0-9]*: .*([0-9.]* s)\).*$/# \1/p' "$RIG_LOG"
else
	not_ok "ipv6 dhcp6: the LAN (tap, dnsmasq, tgtd's portal) did not come up"
	sed 's/^/    | /' "$T_TMP/dnsmasq6.log" "$T_TMP/tgtd.log"
fi
kill "$LAN6_DNSMASQ" 2>/dev/null
tgt_stop
