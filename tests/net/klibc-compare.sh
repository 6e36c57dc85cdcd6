#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Side by side with klibc's ipconfig: the same scenario, the same invocation
# (initramfs-tools' own), each with a private /run; /run/net-eth0.conf must
# be the same apart from UPTIME.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net
ipconfig=/usr/lib/klibc/bin/ipconfig

if [ ! -x "$ipconfig" ]; then
	not_ok "klibc ipconfig: $ipconfig is missing (apt-get install klibc-utils)"
	exit 0
fi

net_pair 0

reset() {
	ip -n "$C" addr flush dev eth0
	ip -n "$C" route flush dev eth0 2>/dev/null
	ip -n "$C" link set dev eth0 down
}

# compare NAME ARGS...: ipconfig ARGS, then sanroot-net ARGS, and the two files.
compare() {
	name=$1; shift
	reset
	# klibc binds its packet socket before the link is up and then spins on
	# ENETDOWN (seen with Linux 6.x), so its link goes up first.
	ip -n "$C" link set dev eth0 up
	net_run -o "$T_TMP/klibc.out" "$ipconfig" "$@"
	sed '/^UPTIME=/d' "$T_TMP/run/net-eth0.conf" >"$T_TMP/klibc.conf" 2>/dev/null
	reset
	net_run -o "$T_TMP/sanroot.out" "$net" --cmdline quiet --no-ibft "$@"
	sed '/^UPTIME=/d' "$T_TMP/run/net-eth0.conf" >"$T_TMP/sanroot.conf" 2>/dev/null
	if [ ! -s "$T_TMP/klibc.conf" ]; then
		not_ok "$name: ipconfig wrote nothing: $(tail -n 2 "$T_TMP/klibc.out")"
	elif diff -u "$T_TMP/klibc.conf" "$T_TMP/sanroot.conf" >"$T_TMP/diff"; then
		ok "$name: net-eth0.conf as ipconfig writes it"
	else
		not_ok "$name: net-eth0.conf differs: $(tail -n +3 "$T_TMP/diff" | grep '^[-+]' | tr '\n' ' ')"
	fi
}

dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h \
	--dhcp-host=52:54:00:12:34:50,10.9.0.60,client1 --domain=example.test \
	--dhcp-option=option:dns-server,10.9.0.1,10.9.0.2 \
	--dhcp-option=option:domain-search,example.test,lab.example.test \
	--dhcp-option=option:root-path,iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root \
	--dhcp-option=option:nis-domain,nis.test --dhcp-boot=pxelinux.0
compare "dnsmasq" -t 10 -c dhcp -d eth0
compare "dnsmasq, device only" -t 10 eth0
server_stop

dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h \
	--dhcp-host=52:54:00:12:34:50,10.9.0.61 \
	--dhcp-option=option:classless-static-route,10.20.0.0/16,10.9.0.254,0.0.0.0/0,10.9.0.1
compare "dnsmasq, option 121" -t 10 -c dhcp -d eth0
server_stop

dhcpd_start '
authoritative;
default-lease-time 900;
subnet 10.9.0.0 netmask 255.255.255.0 {
	range 10.9.0.100 10.9.0.150;
	option routers 10.9.0.1;
	option domain-name-servers 10.9.0.1;
	option domain-name "example.test";
	option root-path "iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root";
}
host client1 { hardware ethernet 52:54:00:12:34:50; fixed-address 10.9.0.120; }'
compare "dhcpd" -t 10 -c dhcp -d eth0
server_stop

compare "static, klibc ip=" -t 10 -d 10.9.0.77::10.9.0.1:255.255.255.0:static1:eth0:off:10.9.0.53
compare "static, no netmask (class guess)" -t 10 -d 10.9.0.78:10.9.0.5:10.9.0.1:::eth0:none
