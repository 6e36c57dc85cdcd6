#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-net's IPv6 against real servers over a veth pair: dnsmasq with RA
# and stateful DHCPv6 (ip=dhcp6: the leased /128 lands, DAD done, the
# default route is the router's, net6-eth0.conf and resolv.conf are written,
# option 59's iscsi: URL becomes the plan's target), dnsmasq ra-stateless
# (ip=dhcp6 and ip=auto6: the SLAAC address, DNS from an Information-request),
# dhcpd -6 without any RA (the address alone), a static address from ip=,
# and no server at all (one line naming the cause at the deadline).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net
cfg=$SANROOT_BIN/sanroot-config
url="iscsi:[2001:db8:9::1]::3260:1:iqn.2024-01.test:root6"
slaac=2001:db8:9:0:5054:ff:fe12:3450

# srv0 (2001:db8:9::1/64, forwarding: a router) in $S <-> eth0 in $C; the client keeps duplicate address detection.
t_netns S d6s && t_netns C d6c || exit 1
ip netns exec "$S" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
	net.ipv6.conf.all.forwarding=1
ip link add srv0 netns "$S" type veth peer name eth0 netns "$C"
ip -n "$C" link set dev eth0 address 52:54:00:12:34:50
ip -n "$S" addr add 2001:db8:9::1/64 dev srv0 nodad
ip -n "$S" link set dev srv0 up

_listening547() {
	ip netns exec "$S" ss -Hlun 'sport = :547' | grep -q .
}

# reset: the client's link down (its IPv6 addresses and routes go), as at boot.
reset() {
	ip -n "$C" link set dev eth0 down
	ip -n "$C" -6 addr flush dev eth0 2>/dev/null
}

# run NAME ARGS...: sanroot-net in $C with a private /run; its lines in $T_TMP/NAME.out.
run() {
	n=$1; shift
	reset
	net_run -o "$T_TMP/$n.out" "$net" --no-ibft "$@"
	rc=$?
	rm -rf "$T_TMP/$n.run" && cp -r "$T_TMP/run" "$T_TMP/$n.run"
	cp "$T_TMP/resolv.conf" "$T_TMP/$n.resolv"
	return $rc
}

addr6() {
	ip -n "$C" -6 -o addr show dev eth0 scope global | awk '{ print $4 }'
}

tentative6() {
	ip -n "$C" -6 -o addr show dev eth0 | grep -E 'tentative|dadfailed'
}

gw6() {
	ip -n "$C" -6 route show default | awk '{ print $3 }'
}

# v6 NAME KEY: a value of NAME's net6-eth0.conf, read the way a shell does.
v6() {
	(. "$T_TMP/$1.run/net6-eth0.conf" && eval "printf '%s' \"\$$2\"")
}

# plan_target NAME: the target sanroot-config takes from NAME's files with root=dhcp.
plan_target() {
	r=$T_TMP/$1.sysroot
	mkdir -p "$r/proc" "$r/etc"
	rm -rf "$r/run" && cp -r "$T_TMP/$1.run" "$r/run"
	printf 'root=dhcp\n' >"$r/proc/cmdline"
	"$cfg" --sysroot "$r" --no-ibft --shell >"$T_TMP/$1.plan" 2>&1 &&
		(. "$T_TMP/$1.plan" && printf '%s %s %s' "$SANROOT_TARGET0_PORTALS" "$SANROOT_TARGET0_NAME" \
			"$SANROOT_TARGET0_ORIGIN")
}

# dnsmasq: RA (M=1) and stateful DHCPv6 ----------------------------------------
t_spawn ip netns exec "$S" dnsmasq --no-daemon --port=0 --bind-interfaces --interface=srv0 \
	--leasefile-ro --log-dhcp --log-facility="$T_TMP/dnsmasq.log" --pid-file= \
	--enable-ra --dhcp-range=2001:db8:9::100,2001:db8:9::1ff,64,1h \
	--dhcp-option="option6:dns-server,[2001:db8:9::53],[2001:db8:9::54]" \
	--dhcp-option="option6:bootfile-url,$url" 2>>"$T_TMP/dnsmasq.stderr"
SERVER_PIDS=$T_LAST_PID
wait_for 10 _listening547 || not_ok "dnsmasq: not listening on 547: $(cat "$T_TMP/dnsmasq.stderr")"

if run stateful -t 20 --cmdline "ip=dhcp6"; then ok "stateful: exit 0"
else not_ok "stateful: exit $?: $(tail -n 3 "$T_TMP/stateful.out")"; fi
a=$(addr6)
case $a in 2001:db8:9::1[0-9a-f][0-9a-f]/128) ok "stateful: leased /128 on eth0 ($a)" ;;
	*) not_ok "stateful: address on eth0: '$a'" ;; esac
expect_eq "stateful: DAD done (nothing tentative)" "$(tentative6)" ""
case $(gw6) in fe80::*) ok "stateful: default route via the router's link-local" ;;
	*) not_ok "stateful: default route: '$(ip -n "$C" -6 route show default)'" ;; esac
check "stateful: the RA's on-link prefix" sh -c "ip -n '$C' -6 route show 2001:db8:9::/64 | grep -q 'dev eth0'"
check "stateful: progress line" grep -q "^sanroot-net: eth0: DHCPv6 lease ${a%/128}/128" "$T_TMP/stateful.out"
expect_eq "stateful: DEVICE6" "$(v6 stateful DEVICE6)" eth0
expect_eq "stateful: IPV6PROTO" "$(v6 stateful IPV6PROTO)" dhcp6
expect_eq "stateful: IPV6ADDR" "$(v6 stateful IPV6ADDR)/$(v6 stateful IPV6NETMASK)" "$a"
expect_eq "stateful: IPV6GATEWAY" "$(v6 stateful IPV6GATEWAY)" "$(gw6)"
expect_eq "stateful: IPV6DNS0, IPV6DNS1" "$(v6 stateful IPV6DNS0) $(v6 stateful IPV6DNS1)" \
	"2001:db8:9::53 2001:db8:9::54"
expect_eq "stateful: ROOTPATH (option 59)" "$(v6 stateful ROOTPATH)" "$url"
expect_eq "stateful: resolv.conf" "$(grep -v '^#' "$T_TMP/stateful.resolv")" "nameserver 2001:db8:9::53
nameserver 2001:db8:9::54"
expect_eq "stateful: root=dhcp takes the target from option 59" "$(plan_target stateful)" \
	"[2001:db8:9::1]:3260 iqn.2024-01.test:root6 DHCP"

if run rapid -t 20 -d ip=dhcp6; then ok "ipconfig -d ip=dhcp6: exit 0"
else not_ok "ipconfig -d ip=dhcp6: exit $?: $(tail -n 3 "$T_TMP/rapid.out")"; fi
check "ipconfig -d ip=dhcp6: rapid commit" grep -q "DHCPv6 lease .* (rapid commit)" "$T_TMP/rapid.out"
run norapid -t 20 --no-rapid-commit --cmdline "ip=dhcp6"
check "--no-rapid-commit: Advertise, Request, Reply" sh -c \
	"grep -q '^sanroot-net: eth0: DHCPv6 lease' '$T_TMP/norapid.out' && ! grep -q 'rapid commit' '$T_TMP/norapid.out'"
server_stop

# dnsmasq ra-stateless: SLAAC (M=0, O=1), DNS and option 59 from an Information-request
t_spawn ip netns exec "$S" dnsmasq --no-daemon --port=0 --bind-interfaces --interface=srv0 \
	--leasefile-ro --log-dhcp --log-facility="$T_TMP/dnsmasq.log" --pid-file= \
	--enable-ra --dhcp-range=::,constructor:srv0,ra-stateless \
	--dhcp-option="option6:dns-server,[2001:db8:9::53],[2001:db8:9::54]" \
	--dhcp-option="option6:bootfile-url,$url" 2>>"$T_TMP/dnsmasq.stderr"
SERVER_PIDS=$T_LAST_PID
wait_for 10 _listening547 || not_ok "dnsmasq stateless: not listening on 547"

if run stateless -t 20 --cmdline "ip=dhcp6"; then ok "stateless dhcp6: exit 0"
else not_ok "stateless dhcp6: exit $?: $(tail -n 3 "$T_TMP/stateless.out")"; fi
expect_eq "stateless dhcp6: SLAAC address" "$(addr6)" "$slaac/64"
expect_eq "stateless dhcp6: DAD done" "$(tentative6)" ""
check "stateless dhcp6: progress line" grep -q "^sanroot-net: eth0: SLAAC $slaac/64, DHCPv6 information (2 DNS servers), root path" \
	"$T_TMP/stateless.out"
expect_eq "stateless dhcp6: IPV6ADDR" "$(v6 stateless IPV6ADDR)/$(v6 stateless IPV6NETMASK)" "$slaac/64"
expect_eq "stateless dhcp6: resolv.conf" "$(grep -v '^#' "$T_TMP/stateless.resolv")" "nameserver 2001:db8:9::53
nameserver 2001:db8:9::54"
expect_eq "stateless dhcp6: ROOTPATH" "$(v6 stateless ROOTPATH)" "$url"

if run auto6 -t 20 --cmdline "ip=auto6"; then ok "auto6: exit 0"
else not_ok "auto6: exit $?: $(tail -n 3 "$T_TMP/auto6.out")"; fi
expect_eq "auto6: SLAAC address" "$(addr6)" "$slaac/64"
check "auto6: progress line" grep -q "^sanroot-net: eth0: SLAAC $slaac/64 (" "$T_TMP/auto6.out"
expect_eq "auto6: IPV6PROTO" "$(v6 auto6 IPV6PROTO)" auto6
case $(v6 auto6 IPV6GATEWAY) in fe80::*) ok "auto6: IPV6GATEWAY the router's link-local" ;;
	*) not_ok "auto6: IPV6GATEWAY '$(v6 auto6 IPV6GATEWAY)'" ;; esac
expect_eq "auto6: DNS from the Information-request (O=1)" "$(v6 auto6 IPV6DNS0)" 2001:db8:9::53
server_stop

# dhcpd -6, and no router at all: the address alone -----------------------------
cat >"$T_TMP/dhcpd6.conf" <<EOF
default-lease-time 3600;
preferred-lifetime 1800;
option dhcp6.name-servers 2001:db8:9::53;
option dhcp6.bootfile-url "$url";
subnet6 2001:db8:9::/64 { range6 2001:db8:9::200 2001:db8:9::2ff; }
EOF
: >"$T_TMP/dhcpd6.leases"
t_spawn ip netns exec "$S" dhcpd -6 -f -cf "$T_TMP/dhcpd6.conf" -lf "$T_TMP/dhcpd6.leases" \
	-pf "$T_TMP/dhcpd6.pid" srv0 2>>"$T_TMP/dhcpd6.log"
SERVER_PIDS=$T_LAST_PID
wait_for 10 _listening547 || not_ok "dhcpd -6: not listening on 547: $(tail -n 5 "$T_TMP/dhcpd6.log")"
if run dhcpd -t 20 --cmdline "ip=dhcp6"; then ok "dhcpd -6: exit 0"
else not_ok "dhcpd -6: exit $?: $(tail -n 3 "$T_TMP/dhcpd.out")"; fi
a=$(addr6)
case $a in 2001:db8:9::2[0-9a-f][0-9a-f]/128) ok "dhcpd -6: leased /128 on eth0 ($a)" ;;
	*) not_ok "dhcpd -6: address on eth0: '$a'" ;; esac
check "dhcpd -6: the lifetimes given" sh -c \
	"ip -n '$C' -6 addr show dev eth0 scope global | grep -Eq 'valid_lft (3[0-5][0-9][0-9]|3600)sec preferred_lft 1[0-8][0-9][0-9]sec'"
expect_eq "dhcpd -6: no IPV6GATEWAY without an RA" "$(v6 dhcpd IPV6GATEWAY)" ""
expect_eq "dhcpd -6: ROOTPATH" "$(v6 dhcpd ROOTPATH)" "$url"
server_stop

# Static IPv6 (klibc's and dracut's ip= with a bracketed address) ---------------
if run static -t 10 --cmdline "ip=[2001:db8:9::77]::[2001:db8:9::1]:64:h6:eth0:none:[2001:db8:9::53]"; then
	ok "static: exit 0"
else
	not_ok "static: exit $?: $(tail -n 3 "$T_TMP/static.out")"
fi
expect_eq "static: address" "$(addr6)" 2001:db8:9::77/64
expect_eq "static: DAD done" "$(ip -n "$C" -6 -o addr show dev eth0 scope global | grep -E 'tentative|dadfailed')" ""
expect_eq "static: default route" "$(ip -n "$C" -6 route show default | awk '{ print $3, $5, $7 }')" \
	"2001:db8:9::1 eth0 static"
check "static: progress line" grep -q "^sanroot-net: eth0: static 2001:db8:9::77/64 via 2001:db8:9::1 (" \
	"$T_TMP/static.out"
expect_eq "static: IPV6PROTO" "$(v6 static IPV6PROTO)" static
expect_eq "static: IPV6DNS0" "$(v6 static IPV6DNS0)" 2001:db8:9::53
expect_eq "static: hostname" "$(cat "$T_TMP/hostname")" h6
net_run -o "$T_TMP/static-bad.out" "$net" --no-ibft -t 5 --cmdline "ip=[2001:db8:9::78]::10.0.0.1:64::eth0:none"
expect_eq "static, an IPv4 gateway: bad usage" "$?" 100

# No server: one line naming the cause, at the deadline --------------------------
run none-auto6 -t 3 --cmdline "ip=auto6"
rc=$?
expect_eq "no router: exit 111" "$rc" 111
check "no router: the cause" grep -q "^sanroot-net: unable to configure eth0: no router advertisement within 3 s" \
	"$T_TMP/none-auto6.out"
run none-dhcp6 -t 3 --cmdline "ip=dhcp6"
rc=$?
expect_eq "no DHCPv6 server: exit 111" "$rc" 111
check "no DHCPv6 server: the cause" grep -q "^sanroot-net: unable to configure eth0: no DHCPv6 server answered within 3 s" \
	"$T_TMP/none-dhcp6.out"
check "no server: no net6 file" test ! -e "$T_TMP/none-dhcp6.run/net6-eth0.conf"
