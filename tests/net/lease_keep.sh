#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-net --keep-lease against dnsmasq and ISC dhclient: the keeper it
# leaves renews the lease at T1 (dnsmasq sees the requests and answers
# them); it stands by while dhclient serves the interface and sends nothing;
# it takes the lease back when dhclient is gone; a lifetime another client
# left on the address is made permanent again; an address flushed or a link
# set down by someone else comes back with its route; a NAK and a SIGTERM leave
# the address where it is. What the keeper does is read in its state file,
# /run/sanroot/lease/eth0 (net_run's /run is $T_TMP/run), and in dnsmasq's log.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net
for c in dnsmasq dhclient; do
	command -v "$c" >/dev/null || { not_ok "lease keeper: $c is missing"; exit 0; }
done

net_pair 0
# dnsmasq's shortest lease is two minutes; T1 and T2 make the renewals frequent.
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,2m \
	--dhcp-host=52:54:00:12:34:50,10.9.0.60 --dhcp-authoritative \
	--dhcp-option=option:T1,4 --dhcp-option=option:T2,7
log=$T_TMP/dnsmasq.log

# from_keeper: dnsmasq's log lines for requests that carry sanroot's vendor class
from_keeper() { grep -c "vendor class: sanroot" "$log"; }
# keeper_pid: the keeper, the one process left in the client's namespace
keeper_pid() {
	for p in $(ip netns pids "$C"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = @sanroot-lease ] && echo "$p"
	done
}
# lease KEY: a value from the keeper's state file; is KEY VALUE: it has that value
lease() { sed -n "s/^$1=//p" "$T_TMP/run/sanroot/lease/eth0" 2>/dev/null; }
is() { [ "$(lease "$1")" = "$2" ]; }
# renewed N: the keeper's requests reach N in dnsmasq's log
renewed() { [ "$(from_keeper)" -ge "$1" ]; }

if net_run "$net" --keep-lease --cmdline quiet --no-ibft -t 20 -c dhcp -d eth0; then
	ok "keep: exit 0"
else
	not_ok "keep: exit $?: $(tail -n 3 "$T_TMP/out")"
	exit 0
fi
expect_eq "keep: address" "$(addr_of eth0)" "10.9.0.60/24"
K=$(keeper_pid)
check "keep: the keeper runs" test -n "$K"
check "keep: the keeper's stdio is /dev/null" test "$(readlink "/proc/$K/fd/2")" = /dev/null
expect_eq "keep: named as a root-storage daemon, which systemd's switch-root spares" \
	"$(tr '\0' '\n' <"/proc/$K/cmdline" | head -n 1)" "@sanroot-lease"
expect_eq "keep: its state file" "$(lease address)/$(lease server)/$(lease pid)/$(lease by)" \
	"10.9.0.60/24/10.9.0.1/$K/sanroot"
n0=$(from_keeper)
check "keep: renewed at T1, twice in 12 s" wait_for 12 renewed $((n0 + 2))
check "keep: the state file counts the renewals" wait_for 5 sh -c "[ \"\$(sed -n 's/^renewals=//p' '$T_TMP/run/sanroot/lease/eth0')\" -ge 2 ]"
check "keep: dnsmasq acknowledged the renewals" \
	test "$(grep -c "DHCPACK(srv0) 10.9.0.60" "$log")" -ge 3
check "keep: renewals go unicast to the server" grep -q "DHCPREQUEST(srv0) 10.9.0.60 52:54:00:12:34:50" "$log"
expect_eq "keep: the address stays permanent" \
	"$(ip -n "$C" -4 -o addr show dev eth0 | grep -o 'valid_lft [a-z0-9]*')" "valid_lft forever"

# dhclient for eth0 (its script changes nothing): the keeper stands by.
t_spawn ip netns exec "$C" dhclient -4 -d -v -sf /bin/true -lf "$T_TMP/dhclient.leases" \
	-pf "$T_TMP/dhclient.pid" eth0 >"$T_TMP/dhclient.out" 2>&1
D=$T_LAST_PID
dpid() { cat "$T_TMP/dhclient.pid" 2>/dev/null; }
wait_for 10 test -s "$T_TMP/dhclient.pid"
check "dhclient: the keeper stands by" wait_for 15 is state standby
expect_eq "dhclient: the state file names it" "$(lease by)" "dhclient (pid $(dpid))"
n1=$(from_keeper)
sleep 9
expect_eq "dhclient: no request from the keeper while dhclient runs (9 s, T1 4 s)" \
	"$(from_keeper)" "$n1"
check "dhclient: dhclient has its lease" grep -q "^bound to\|DHCPACK" "$T_TMP/dhclient.out"

# dhclient killed (no release), having left a lifetime on the address: the
# keeper takes the lease back and makes the address permanent again.
ip -n "$C" addr change 10.9.0.60/24 dev eth0 valid_lft 100 preferred_lft 100
kill -9 "$D"
check "dhclient gone: the keeper takes the lease back" wait_for 25 is by sanroot
check "dhclient gone: the keeper asks again" wait_for 10 renewed $((n1 + 1))
check "dhclient gone: the address is permanent again" wait_for 10 sh -c \
	"ip -n '$C' -4 -o addr show dev eth0 | grep -q 'valid_lft forever'"

# Taken away by someone else (ifdown releasing the lease and flushing the
# address, a link set down): the keeper puts the link, the address and the
# default route (dnsmasq's option 3) back.
has_addr() { ip -n "$C" -4 -o addr show dev eth0 | grep -q ' 10\.9\.0\.60/24 '; }
has_route() { ip -n "$C" -4 route show default | grep -q 'via 10\.9\.0\.1 dev eth0'; }
is_up() { ip -n "$C" link show eth0 | grep -q '[<,]UP[,>]'; }
check "before: a default route via the server" has_route
ip -n "$C" addr flush dev eth0
check "flushed: the address is back" wait_for 10 has_addr
check "flushed: the default route is back" wait_for 10 has_route
ip -n "$C" link set eth0 down
check "link down: up again" wait_for 10 is_up
check "link down: the default route is back" wait_for 10 has_route
check "link down: the address stayed" has_addr

# A server that refuses the address: the keeper says so and keeps it.
server_stop
dnsmasq_start --dhcp-range=10.9.0.70,10.9.0.99,255.255.255.0,2m --dhcp-authoritative \
	--dhcp-option=option:T1,4 --dhcp-option=option:T2,7
check "NAK: the keeper counts the refusal" wait_for 20 is naks 1
expect_eq "NAK: the address stays" "$(addr_of eth0)" "10.9.0.60/24"
check "NAK: the keeper runs on" kill -0 "$K"

kill -TERM "$K"
check "SIGTERM: the keeper ends" wait_for 10 sh -c "! kill -0 $K 2>/dev/null"
expect_eq "SIGTERM: the address stays" "$(addr_of eth0)" "10.9.0.60/24"
expect_eq "SIGTERM: the state file says so" "$(lease state)" stopped
