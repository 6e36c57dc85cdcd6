#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Choosing the interface among three that all reach a DHCP server: BOOTIF's
# MAC, ifname= (with the rename it implies), the iBFT NIC's MAC (the table
# iPXE wrote for 52:54:00:12:34:56), the first with carrier, and a MAC that
# never shows up.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net

net_pair 0
net_pair 1
net_pair 6
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h \
	--dhcp-range=10.9.1.50,10.9.1.99,255.255.255.0,1h \
	--dhcp-range=10.9.6.50,10.9.6.99,255.255.255.0,1h

reset() {
	for i in "$@"; do
		ip -n "$C" addr flush dev "$i"
		ip -n "$C" link set dev "$i" down
	done
}

# ifname= first, while the links are still down (a rename needs that).
if net_run "$net" --no-ibft -t 10 --cmdline "ifname=boot0:52:54:00:12:34:51 ip=boot0:dhcp"; then
	ok "ifname=: exit 0"
else
	not_ok "ifname=: exit $?: $(tail -n 3 "$T_TMP/out")"
fi
check "ifname=: eth1 renamed boot0" sh -c "ip -n '$C' link show dev boot0 >/dev/null"
check "ifname=: lease on boot0" sh -c "ip -n '$C' -4 -o addr show dev boot0 | grep -q 'inet 10.9.1.'"
check "ifname=: net-boot0.conf" test -s "$T_TMP/run/net-boot0.conf"
expect_eq "ifname=: eth0 untouched" "$(addr_of eth0)" ""
reset boot0

net_run "$net" --no-ibft -t 10 --cmdline "BOOTIF=01-52-54-00-12-34-51"
check "BOOTIF=: lease on the interface with that MAC" \
	sh -c "ip -n '$C' -4 -o addr show dev boot0 | grep -q 'inet 10.9.1.'"
expect_eq "BOOTIF=: the other one untouched" "$(addr_of eth0)" ""
reset boot0

net_run "$net" --no-ibft -t 10 --cmdline "BOOTIF=01-52-54-00-12-34-50"
check "BOOTIF= (the other): lease on eth0" sh -c "ip -n '$C' -4 -o addr show dev eth0 | grep -q 'inet 10.9.0.'"
expect_eq "BOOTIF= (the other): boot0 untouched" "$(addr_of boot0)" ""
reset eth0

net_run "$net" -t 10 --ibft-file "$TOP/tests/fixtures/ibft/ipxe-sanhook-chap.bin" --cmdline ip=ibft
check "iBFT NIC: lease on the interface with its MAC" \
	sh -c "ip -n '$C' -4 -o addr show dev eth6 | grep -q 'inet 10.9.6.'"
expect_eq "iBFT NIC: the others untouched" "$(addr_of eth0)$(addr_of boot0)" ""
reset eth6

# No name, no MAC: the interface that has carrier. Only boot0's peer is up.
ip -n "$S" link set dev srv0 down
ip -n "$S" link set dev srv6 down
net_run "$net" --no-ibft -t 10 --cmdline quiet
check "first with carrier: lease on boot0" sh -c "ip -n '$C' -4 -o addr show dev boot0 | grep -q 'inet 10.9.1.'"
expect_eq "first with carrier: eth0 has none" "$(addr_of eth0)" ""
ip -n "$S" link set dev srv0 up
ip -n "$S" link set dev srv6 up
reset eth0 boot0

# ipconfig's "all": the same rule.
ip -n "$S" link set dev srv1 down
ip -n "$S" link set dev srv6 down
net_run "$net" --cmdline quiet --no-ibft -t 10 all
check "ipconfig all: lease on eth0" sh -c "ip -n '$C' -4 -o addr show dev eth0 | grep -q 'inet 10.9.0.'"
ip -n "$S" link set dev srv1 up
ip -n "$S" link set dev srv6 up
reset eth0 boot0

net_run "$net" --no-ibft -t 2 --cmdline "BOOTIF=01-52-54-00-99-99-99"
expect_eq "BOOTIF= for a missing NIC: exit 111" "$?" 111
check "BOOTIF= for a missing NIC: says why" grep -q \
	"unable to find the interface with MAC 52:54:00:99:99:99 (from BOOTIF=) within 2 s" "$T_TMP/out"
