#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-net against dnsmasq: the lease lands on the interface with its
# route, DNS, hostname, root path and MTU; classless routes (121) win over the
# router option; Rapid Commit finishes in one exchange.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net
args="--cmdline quiet --no-ibft -t 20"

net_pair 0
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h \
	--dhcp-host=52:54:00:12:34:50,10.9.0.60,client1 --domain=example.test \
	--dhcp-option=option:dns-server,10.9.0.1,10.9.0.2 \
	--dhcp-option=option:domain-search,example.test,lab.example.test \
	--dhcp-option=option:mtu,1400 \
	--dhcp-option=option:root-path,iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root

# shellcheck disable=SC2086
if net_run "$net" $args; then ok "lease: exit 0"; else not_ok "lease: exit $?: $(tail -n 3 "$T_TMP/out")"; fi
expect_eq "lease: address on eth0" "$(addr_of eth0)" "10.9.0.60/24"
expect_eq "lease: default route" "$(routes | grep ^default)" "default via 10.9.0.1 dev eth0 proto dhcp"
expect_eq "lease: MTU (option 26)" "$(mtu_of eth0)" 1400
expect_eq "lease: resolv.conf" "$(grep -v '^#' "$T_TMP/resolv.conf")" "search example.test lab.example.test
nameserver 10.9.0.1
nameserver 10.9.0.2"
expect_eq "lease: hostname (option 12)" "$(cat "$T_TMP/hostname")" client1
expect_eq "lease: net-eth0.conf PROTO" "$(conf_value eth0 PROTO)" dhcp
expect_eq "lease: net-eth0.conf IPV4ADDR" "$(conf_value eth0 IPV4ADDR)" 10.9.0.60
expect_eq "lease: net-eth0.conf ROOTPATH (option 17)" "$(conf_value eth0 ROOTPATH)" \
	"iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root"
expect_eq "lease: net-eth0.conf DOMAINSEARCH" "$(conf_value eth0 DOMAINSEARCH)" \
	"example.test. lab.example.test."
check "lease: progress line" grep -q "^sanroot-net: eth0: lease 10.9.0.60/24 from 10.9.0.1 (" "$T_TMP/out"
check "lease: no temporary file left" test ! -e "$T_TMP/run/.net-eth0.conf.tmp"

# ipconfig's invocation on a link that is already up: the DISCOVER goes out
# before the boot plan is read. When the plan then makes the name an ifname=
# alias, that exchange is dropped and the interface is looked up again.
ip -n "$C" addr flush dev eth0
net_run "$net" -t 20 -c dhcp -d eth0 --cmdline quiet --no-ibft
expect_eq "ipconfig -d on an up link: address" "$(addr_of eth0)" "10.9.0.60/24"
expect_eq "ipconfig -d on an up link: ROOTPATH" "$(conf_value eth0 ROOTPATH)" \
	"iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root"
ip -n "$C" addr flush dev eth0
net_run "$net" -v -v -t 20 -c dhcp -d eth0 --no-ibft --cmdline "ifname=eth0:52:54:00:12:34:50"
check "ipconfig -d, name in ifname=: early exchange dropped" \
	grep -q "dropping the exchange begun before the boot plan was read" "$T_TMP/out"
expect_eq "ipconfig -d, name in ifname=: address" "$(addr_of eth0)" "10.9.0.60/24"
server_stop

# Option 121: the routes it lists, and no default route from option 3.
ip -n "$C" addr flush dev eth0
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h \
	--dhcp-host=52:54:00:12:34:50,10.9.0.61 --dhcp-option=option:router,10.9.0.253 \
	--dhcp-option=option:classless-static-route,10.20.0.0/16,10.9.0.254,192.168.50.0/24,0.0.0.0,0.0.0.0/0,10.9.0.1
# shellcheck disable=SC2086
net_run "$net" $args
expect_eq "option 121: routes" "$(routes | grep -v 'proto kernel')" \
"default via 10.9.0.1 dev eth0 proto dhcp
10.20.0.0/16 via 10.9.0.254 dev eth0 proto dhcp
192.168.50.0/24 dev eth0 proto dhcp scope link"
expect_eq "option 121: IPV4ROUTE0SUBNET" "$(conf_value eth0 IPV4ROUTE0SUBNET)" 10.20.0.0/16
expect_eq "option 121: IPV4ROUTE2GATEWAY" "$(conf_value eth0 IPV4ROUTE2GATEWAY)" 10.9.0.1
check "option 121: no IPV4GATEWAY" sh -c "! grep -q IPV4GATEWAY '$T_TMP/run/net-eth0.conf'"
server_stop

# Rapid Commit (RFC 4039): DISCOVER, ACK, and no REQUEST at all.
ip -n "$C" addr flush dev eth0
: >"$T_TMP/dnsmasq.log"
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h --dhcp-rapid-commit
# shellcheck disable=SC2086
net_run "$net" $args
check "rapid commit: lease on eth0" sh -c "ip -n '$C' -4 -o addr show dev eth0 | grep -q 'inet 10.9.0.'"
check "rapid commit: said so" grep -q "(rapid commit)" "$T_TMP/out"
check "rapid commit: the server saw no DHCPREQUEST" sh -c "! grep -q DHCPREQUEST '$T_TMP/dnsmasq.log'"
check "rapid commit: the server acknowledged" grep -q "DHCPACK" "$T_TMP/dnsmasq.log"
server_stop

# Without Rapid Commit on our side, the same server goes the long way.
ip -n "$C" addr flush dev eth0
: >"$T_TMP/dnsmasq.log"
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h --dhcp-rapid-commit
# shellcheck disable=SC2086
net_run "$net" $args --no-rapid-commit
check "--no-rapid-commit: REQUEST sent" grep -q DHCPREQUEST "$T_TMP/dnsmasq.log"
check "--no-rapid-commit: lease on eth0" sh -c "ip -n '$C' -4 -o addr show dev eth0 | grep -q 'inet 10.9.0.'"
server_stop

# Carrier that comes after the link is up (a cable, a switch port, the veth's
# peer here): the tool waits for carrier, not for the operstate, and its first
# DISCOVER gets through, so one is enough. (A veth's transmit queue is active
# at carrier; on a NIC it may not be for a moment, which the DHCP socket's
# qdisc bypass covers: that part is not shown here.)
ip -n "$C" addr flush dev eth0
: >"$T_TMP/dnsmasq.log"
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h
ip -n "$S" link set srv0 down
ip -n "$C" link set eth0 down
ip -n "$C" link set eth0 up
(sleep 1; ip -n "$S" link set srv0 up) &
late=$!
# shellcheck disable=SC2086
net_run "$net" -v -v $args
wait "$late"
expect_eq "late carrier: one DISCOVER was enough" \
	"$(grep -c ': selecting DHCPDISCOVER' "$T_TMP/out")" 1
check "late carrier: the server saw it" grep -q "DHCPDISCOVER(srv0)" "$T_TMP/dnsmasq.log"
check "late carrier: lease on eth0" sh -c "ip -n '$C' -4 -o addr show dev eth0 | grep -q 'inet 10.9.0.'"
server_stop
