#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-net --keep-lease with ip=dhcp6, against ISC dhcpd -6 over a veth
# pair: the keeper renews the DHCPv6 lease at T1 (dhcpd logs the Renews and
# its Replies), holds the address permanent so that the kernel never
# expires it, puts it back when someone deletes it, stands by while ISC
# dhclient -6 runs and takes over when it is gone; with dhcpd gone it
# rebinds, and when the lease runs out the address stays; SIGTERM leaves it
# too. What the keeper does is read in its state file,
# /run/sanroot/lease6/eth0 (net_run's /run is $T_TMP/run), and dhcpd's log.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net
for c in dhcpd dhclient; do
	command -v "$c" >/dev/null || { not_ok "lease6 keeper: $c is missing"; exit 0; }
done

t_netns S k6s && t_netns C k6c || exit 1
ip netns exec "$S" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip link add srv0 netns "$S" type veth peer name eth0 netns "$C"
ip -n "$C" link set dev eth0 address 52:54:00:12:34:50
ip -n "$S" addr add 2001:db8:9::1/64 dev srv0 nodad
ip -n "$S" link set dev srv0 up

# Short lifetimes, so that renewals come every few seconds: T1 3 s, T2 5 s, valid 16 s.
cat >"$T_TMP/dhcpd6.conf" <<EOF
default-lease-time 16;
preferred-lifetime 8;
option dhcp-renewal-time 3;
option dhcp-rebinding-time 5;
subnet6 2001:db8:9::/64 { range6 2001:db8:9::200 2001:db8:9::2ff; }
EOF
: >"$T_TMP/dhcpd6.leases"
log=$T_TMP/dhcpd6.log
dhcpd6_start() {
	t_spawn ip netns exec "$S" dhcpd -6 -f -d -cf "$T_TMP/dhcpd6.conf" -lf "$T_TMP/dhcpd6.leases" \
		-pf "$T_TMP/dhcpd6.pid" srv0 >>"$log" 2>&1
	DHCPD=$T_LAST_PID
	wait_for 10 sh -c "ip netns exec '$S' ss -Hlun 'sport = :547' | grep -q ."
}
dhcpd6_start || { not_ok "lease6 keeper: dhcpd -6 did not start: $(tail -n 3 "$log")"; exit 0; }

keeper_pid() {
	for p in $(ip netns pids "$C"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = @sanroot-lease ] && echo "$p"
	done
}
# lease KEY: a value from the keeper's state file; is KEY VALUE: it has that value
lease() { sed -n "s/^$1=//p" "$T_TMP/run/sanroot/lease6/eth0" 2>/dev/null; }
is() { [ "$(lease "$1")" = "$2" ]; }
renewed() { [ "$(grep -c "^Renew message from" "$log")" -ge "$1" ]; }
renewals_at_least() { [ "$(lease renewals)" -ge "$1" ] 2>/dev/null; }
has_addr() { ip -n "$C" -6 -o addr show dev eth0 | grep -q " $A/128 .*valid_lft forever"; }

if net_run "$net" --keep-lease --no-ibft --cmdline "ip=dhcp6" -t 20; then
	ok "keep6: exit 0"
else
	not_ok "keep6: exit $?: $(tail -n 3 "$T_TMP/out")"
	exit 0
fi
A=$(ip -n "$C" -6 -o addr show dev eth0 scope global | awk '{ sub("/.*", "", $4); print $4 }')
case $A in 2001:db8:9::2[0-9a-f][0-9a-f]) ok "keep6: leased $A" ;; *) not_ok "keep6: address '$A'" ;; esac
K=$(keeper_pid)
check "keep6: the keeper runs" test -n "$K"
expect_eq "keep6: its state file" "$(lease state) $(lease address) $(lease pid) $(lease by)" \
	"bound $A/128 $K sanroot"
check "keep6: the address is permanent (the kernel will not expire it under the root)" has_addr

check "keep6: Renew at T1, twice in 12 s (dhcpd's log)" wait_for 12 renewed 2
check "keep6: the state file counts the renewals" wait_for 5 renewals_at_least 2
check "keep6: dhcpd replied with the same address" grep -q "^Reply NA: address $A to client" "$log"
check "keep6: still permanent after the renewals" has_addr

# Someone deletes the address (a network manager's reload): it comes back.
ip -n "$C" -6 addr del "$A/128" dev eth0
check "keep6: a deleted address is put back" wait_for 5 has_addr

# dhclient -6 for eth0 (its script changes nothing): the keeper stands by.
t_spawn ip netns exec "$C" dhclient -6 -d -v -sf /bin/true -lf "$T_TMP/dhclient6.leases" \
	-pf "$T_TMP/dhclient6.pid" eth0 >"$T_TMP/dhclient6.out" 2>&1
D=$T_LAST_PID
check "dhclient -6: the keeper stands by" wait_for 20 is state standby
case $(lease by) in dhclient*) ok "dhclient -6: the state file names it ($(lease by))" ;;
	*) not_ok "dhclient -6: the state file names '$(lease by)'" ;; esac
kill -9 "$D"
check "dhclient -6 gone: the keeper takes the lease back" wait_for 25 is by sanroot
check "dhclient -6 gone: and renews it" wait_for 15 is state bound

# dhcpd gone: Renew unanswered, then Rebind, then the lease runs out; the address stays.
kill "$DHCPD"
check "no server: the keeper rebinds after T2" wait_for 15 is state rebinding
check "no server: the lease runs out, said in the state file" wait_for 25 is state expired
check "no server: the address stays, permanent" has_addr

kill -TERM "$K"
check "SIGTERM: the keeper stops" wait_for 5 sh -c "! kill -0 $K 2>/dev/null"
expect_eq "SIGTERM: its state file says so" "$(lease state)" stopped
check "SIGTERM: the address stays" has_addr
