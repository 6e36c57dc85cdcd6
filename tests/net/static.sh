#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Static configuration from ip= (klibc and dracut forms, on the kernel command
# line and as ipconfig's -d): address, route, MTU, DNS, hostname, the file.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net

net_pair 0

if net_run "$net" --no-ibft -t 10 \
	--cmdline "ip=10.9.0.77::10.9.0.1:255.255.255.0:static1:eth0:off:10.9.0.53"; then
	ok "klibc ip=: exit 0"
else
	not_ok "klibc ip=: exit $?: $(tail -n 3 "$T_TMP/out")"
fi
expect_eq "klibc ip=: address" "$(addr_of eth0)" 10.9.0.77/24
expect_eq "klibc ip=: default route" "$(routes | grep ^default)" "default via 10.9.0.1 dev eth0 proto static"
expect_eq "klibc ip=: resolv.conf" "$(grep -v '^#' "$T_TMP/resolv.conf")" "nameserver 10.9.0.53"
expect_eq "klibc ip=: hostname" "$(cat "$T_TMP/hostname")" static1
expect_eq "klibc ip=: PROTO" "$(conf_value eth0 PROTO)" none
expect_eq "klibc ip=: IPV4NETMASK" "$(conf_value eth0 IPV4NETMASK)" 255.255.255.0
expect_eq "klibc ip=: DHCPLEASETIME" "$(conf_value eth0 DHCPLEASETIME)" 0
check "klibc ip=: progress line" grep -q "^sanroot-net: eth0: static 10.9.0.77/24 via 10.9.0.1 (" "$T_TMP/out"

ip -n "$C" addr flush dev eth0
net_run "$net" --cmdline quiet --no-ibft -t 10 -d 10.9.0.78::10.9.0.1:255.255.255.0::eth0:none
expect_eq "ipconfig -d ADDR...: address" "$(addr_of eth0)" 10.9.0.78/24

# dracut: <client>:<peer>:<gw>:<mask>:<host>:<dev>:<method>:<mtu>
ip -n "$C" addr flush dev eth0
net_run "$net" --no-ibft -t 10 --cmdline "ip=10.9.0.79::10.9.0.1:255.255.255.0:h:eth0:none:1400"
expect_eq "dracut ip= with MTU: address" "$(addr_of eth0)" 10.9.0.79/24
expect_eq "dracut ip= with MTU: MTU" "$(mtu_of eth0)" 1400

# A gateway outside the subnet is still reachable: the route is marked on-link.
ip -n "$C" addr flush dev eth0
net_run "$net" --no-ibft -t 10 --cmdline "ip=10.9.0.80::10.8.0.1:255.255.255.0::eth0:off"
expect_eq "gateway off the subnet: route" "$(routes | grep ^default)" \
	"default via 10.8.0.1 dev eth0 proto static onlink"

# -n: the file is written, the interface left alone.
ip -n "$C" addr flush dev eth0
net_run "$net" --no-ibft -t 10 -n --cmdline "ip=10.9.0.81:::255.255.255.0::eth0:off"
expect_eq "-n: no address" "$(addr_of eth0)" ""
expect_eq "-n: the file" "$(conf_value eth0 IPV4ADDR)" 10.9.0.81

# ip=off: nothing to do, and nothing done.
net_run "$net" --no-ibft -t 10 --cmdline "ip=off"
expect_eq "ip=off: exit" "$?" 0
check "ip=off: no file" test ! -e "$T_TMP/run/net-eth0.conf"
