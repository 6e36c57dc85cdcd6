#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# DHCP when things go wrong: no server (a clear error at the deadline), a
# server that starts 5 s late, a NAK from dnsmasq and from dhcpd, and 30%
# packet loss each way.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net
has_lease() { ip -n "$C" -4 -o addr show dev eth0 | grep -q "inet $1"; }

net_pair 0

net_run "$net" --cmdline quiet --no-ibft -t 3
expect_eq "no server: exit 111" "$?" 111
check "no server: says why" grep -q \
	"^sanroot-net: unable to configure eth0: no DHCP server answered within 3 s ([0-9]* requests sent)$" \
	"$T_TMP/out"
expect_eq "no server: no address" "$(addr_of eth0)" ""
check "no server: no file" test ! -e "$T_TMP/run/net-eth0.conf"

# The server comes up 5 s after the client started.
net_run -o "$T_TMP/late.out" "$net" --cmdline quiet --no-ibft -t 40 &
client=$!
sleep 5
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h --dhcp-host=52:54:00:12:34:50,10.9.0.60
wait "$client"
expect_eq "late server: exit 0" "$?" 0
check "late server: lease on eth0" has_lease 10.9.0.60/24
server_stop
ip -n "$C" addr flush dev eth0

# INIT-REBOOT for an address the server will not give: NAK, then DISCOVER.
: >"$T_TMP/dnsmasq.log"
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h --dhcp-authoritative \
	--dhcp-host=52:54:00:12:34:50,10.9.0.60
net_run "$net" --cmdline quiet --no-ibft -t 20 -d 10.9.0.200:::::eth0:dhcp
expect_eq "dnsmasq NAK: exit 0" "$?" 0
check "dnsmasq NAK: the server refused" grep -q "DHCPNAK.*10.9.0.200" "$T_TMP/dnsmasq.log"
check "dnsmasq NAK: reported with its reason" grep -q "10.9.0.1 refused our request (NAK): \"address not available\"" "$T_TMP/out"
check "dnsmasq NAK: then the lease it gives" has_lease 10.9.0.60/24
check "dnsmasq NAK: not the refused one" sh -c "! ip -n '$C' -4 -o addr show dev eth0 | grep -q 10.9.0.200"
server_stop
ip -n "$C" addr flush dev eth0

dhcpd_start '
authoritative;
subnet 10.9.0.0 netmask 255.255.255.0 { range 10.9.0.100 10.9.0.150; }'
net_run "$net" --cmdline quiet --no-ibft -t 20 -d 192.168.77.5:::::eth0:dhcp
expect_eq "dhcpd NAK: exit 0" "$?" 0
check "dhcpd NAK: reported" grep -q "refused our request (NAK)" "$T_TMP/out"
check "dhcpd NAK: then a lease" has_lease "10.9.0.1[0-5][0-9]/24"
server_stop
ip -n "$C" addr flush dev eth0

# 30% of the DHCP packets lost each way: retransmissions still get the lease.
net_loss 30
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h --dhcp-host=52:54:00:12:34:50,10.9.0.60
net_run "$net" --cmdline quiet --no-ibft -t 120
expect_eq "30% loss: exit 0" "$?" 0
check "30% loss: lease on eth0" has_lease 10.9.0.60/24
server_stop
