#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lib/net/dhcp6 against real servers: dnsmasq (RA and stateful DHCPv6, Rapid
# Commit, Information-request) and isc-dhcp-server (dhcpd -6) answer the
# messages tests/net/dhcp6_probe builds, over a veth pair in private network
# namespaces; the answers parse, the address is in the configured range,
# options 23 and 59 hold what the server was told, and option 59's iscsi:
# URL gives the root path back. Each accepted answer is kept in $T_TMP/cap;
# with DHCP6_CORPUS=DIR it is copied there too (tests/fuzz/corpus/dhcp6).
. "$(dirname "$0")/../lib.sh"
probe_bin=$SANROOT_BIN/../net/dhcp6_probe
url="iscsi:[2001:db8:9::1]::3260:1:iqn.2024-01.test:root6"
cap=$T_TMP/cap
mkdir -p "$cap"

[ -x "$probe_bin" ] || { not_ok "dhcp6_probe: not built ($probe_bin)"; exit 1; }

# srv0 (2001:db8:9::1/64) in $S <-> eth0 in $C, no duplicate address
# detection, so both link-local addresses are usable at once.
t_netns S d6s && t_netns C d6c || exit 1
for ns in "$S" "$C"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip link add srv0 netns "$S" type veth peer name eth0 netns "$C"
ip -n "$C" link set dev eth0 address 52:54:00:12:34:60
ip -n "$S" addr add 2001:db8:9::1/64 dev srv0 nodad
ip -n "$S" link set dev srv0 up
ip -n "$C" link set dev eth0 up

_linklocal() {
	ip -n "$1" -6 -o addr show dev "$2" scope link | grep -v tentative | grep -q 'inet6 fe80'
}
if ! wait_for 10 _linklocal "$C" eth0 || ! wait_for 10 _linklocal "$S" srv0; then
	not_ok "veth: no link-local address: $(ip -n "$C" -6 -o addr)"
fi

_listening547() {
	ip netns exec "$S" ss -Hlun 'sport = :547' | grep -q .
}

server_stop() {
	kill "$T_LAST_PID" 2>/dev/null
	wait "$T_LAST_PID" 2>/dev/null
}

# probe NAME ARGS...: run the probe in $C, its lines in $T_TMP/NAME.out; returns its status.
probe() {
	name=$1; shift
	ip netns exec "$C" "$probe_bin" -w "$cap/$name" "$@" eth0 >"$T_TMP/$name.out" 2>"$T_TMP/$name.err"
}

# value NAME KEY: the rest of the probe's first line that starts with KEY
value() {
	sed -n "s/^$2 //p" "$T_TMP/$1.out" | head -n 1
}

# in_range NAME LOW HIGH: the leased address is 2001:db8:9::X with LOW <= X <= HIGH (hex)
in_range() {
	a=$(value "$1" address | cut -d' ' -f1)
	case $a in 2001:db8:9::*) ;; *) return 1 ;; esac
	x=$(printf '%d' "0x${a#2001:db8:9::}" 2>/dev/null) || return 1
	[ "$x" -ge "$(printf '%d' "0x$2")" ] && [ "$x" -le "$(printf '%d' "0x$3")" ]
}

# expect_lease NAME LOW HIGH [PROBE ARGS]: the exchange ends with an address
# in range, and with the options the server was told
expect_lease() {
	n=$1 low=$2 high=$3
	shift 3
	if probe "$n" "$@"; then ok "$n: exit 0"; else not_ok "$n: exit $?: $(tail -n 2 "$T_TMP/$n.err")"; fi
	check "$n: address in $low..$high" in_range "$n" "$low" "$high"
	expect_eq "$n: DNS servers (23)" "$(sed -n 's/^dns //p' "$T_TMP/$n.out" | sort -u | tr '\n' ' ')" \
		"2001:db8:9::53 2001:db8:9::54 "
	expect_eq "$n: boot file URL (59)" "$(value "$n" bootfile)" "$url"
	expect_eq "$n: root path" "$(value "$n" rootpath)" "$url"
}

# dnsmasq ---------------------------------------------------------------------
t_spawn ip netns exec "$S" dnsmasq --no-daemon --port=0 --bind-interfaces --interface=srv0 \
	--leasefile-ro --log-dhcp --log-facility="$T_TMP/dnsmasq.log" --pid-file= \
	--enable-ra --dhcp-range=2001:db8:9::100,2001:db8:9::1ff,64,1h \
	--dhcp-option="option6:dns-server,[2001:db8:9::53],[2001:db8:9::54]" \
	--dhcp-option="option6:bootfile-url,$url" 2>>"$T_TMP/dnsmasq.stderr"
wait_for 10 _listening547 || not_ok "dnsmasq: not listening on 547: $(cat "$T_TMP/dnsmasq.stderr")"

expect_lease dnsmasq 100 1ff
expect_eq "dnsmasq: SOLICIT, ADVERTISE, REQUEST, REPLY" \
	"$(sed -n 's/^\(sent\|got\) //p' "$T_TMP/dnsmasq.out" | tr '\n' ' ')" \
	"SOLICIT ADVERTISE REQUEST REPLY "
check "dnsmasq: the server logged the reply" grep -q "DHCPREPLY(srv0) 2001:db8:9::" "$T_TMP/dnsmasq.log"

expect_lease dnsmasq-rapid 100 1ff -r
expect_eq "dnsmasq-rapid: SOLICIT, REPLY" \
	"$(sed -n 's/^\(sent\|got\) //p' "$T_TMP/dnsmasq-rapid.out" | tr '\n' ' ')" "SOLICIT REPLY "
expect_eq "dnsmasq-rapid: rapid commit (14) in the reply" "$(value dnsmasq-rapid rapid_commit)" 1
check "dnsmasq-rapid: the address of the long exchange" sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' _ \
	"$(value dnsmasq-rapid address | cut -d' ' -f1)" "$(value dnsmasq address | cut -d' ' -f1)"

if probe dnsmasq-info -i; then ok "dnsmasq-info: exit 0"; else not_ok "dnsmasq-info: exit $?: $(tail -n 2 "$T_TMP/dnsmasq-info.err")"; fi
expect_eq "dnsmasq-info: INFORMATION-REQUEST, REPLY" \
	"$(sed -n 's/^\(sent\|got\) //p' "$T_TMP/dnsmasq-info.out" | tr '\n' ' ')" \
	"INFORMATION-REQUEST REPLY "
expect_eq "dnsmasq-info: boot file URL (59)" "$(value dnsmasq-info bootfile)" "$url"
check "dnsmasq-info: no address" sh -c "! grep -q '^address' '$T_TMP/dnsmasq-info.out'"
server_stop

# Stateless (RA with the O flag, no addresses from DHCPv6): Information-request only.
t_spawn ip netns exec "$S" dnsmasq --no-daemon --port=0 --bind-interfaces --interface=srv0 \
	--leasefile-ro --log-dhcp --log-facility="$T_TMP/dnsmasq.log" --pid-file= \
	--enable-ra --dhcp-range=::,constructor:srv0,ra-stateless \
	--dhcp-option="option6:dns-server,[2001:db8:9::53],[2001:db8:9::54]" \
	--dhcp-option="option6:bootfile-url,$url" 2>>"$T_TMP/dnsmasq.stderr"
wait_for 10 _listening547 || not_ok "dnsmasq stateless: not listening on 547: $(cat "$T_TMP/dnsmasq.stderr")"
if probe dnsmasq-stateless -i; then ok "dnsmasq-stateless: exit 0"; else not_ok "dnsmasq-stateless: exit $?: $(tail -n 2 "$T_TMP/dnsmasq-stateless.err")"; fi
expect_eq "dnsmasq-stateless: DNS servers (23)" \
	"$(sed -n 's/^dns //p' "$T_TMP/dnsmasq-stateless.out" | sort -u | tr '\n' ' ')" \
	"2001:db8:9::53 2001:db8:9::54 "
expect_eq "dnsmasq-stateless: root path (59)" "$(value dnsmasq-stateless rootpath)" "$url"
if probe dnsmasq-stateless-solicit; then
	not_ok "dnsmasq-stateless: a SOLICIT got an address: $(value dnsmasq-stateless-solicit address)"
else
	check "dnsmasq-stateless: a SOLICIT gets NoAddrsAvail" \
		grep -q "the server says NoAddrsAvail" "$T_TMP/dnsmasq-stateless-solicit.err"
fi
server_stop

# isc-dhcp-server -------------------------------------------------------------
cat >"$T_TMP/dhcpd6.conf" <<EOF
default-lease-time 3600;
preferred-lifetime 1800;
option dhcp6.name-servers 2001:db8:9::53, 2001:db8:9::54;
option dhcp6.bootfile-url "$url";
option dhcp6.preference 255;
option dhcp6.rapid-commit;
subnet6 2001:db8:9::/64 { range6 2001:db8:9::200 2001:db8:9::2ff; }
EOF
: >"$T_TMP/dhcpd6.leases"
t_spawn ip netns exec "$S" dhcpd -6 -f -cf "$T_TMP/dhcpd6.conf" -lf "$T_TMP/dhcpd6.leases" \
	-pf "$T_TMP/dhcpd6.pid" srv0 2>>"$T_TMP/dhcpd6.log"
wait_for 10 _listening547 || not_ok "dhcpd -6: not listening on 547: $(tail -n 5 "$T_TMP/dhcpd6.log")"

expect_lease dhcpd 200 2ff
expect_eq "dhcpd: SOLICIT, ADVERTISE, REQUEST, REPLY" \
	"$(sed -n 's/^\(sent\|got\) //p' "$T_TMP/dhcpd.out" | tr '\n' ' ')" \
	"SOLICIT ADVERTISE REQUEST REPLY "
expect_eq "dhcpd: preference (7)" "$(value dhcpd preference)" 255
expect_eq "dhcpd: lifetimes" "$(value dhcpd address | cut -d' ' -f2-)" "preferred 1800 valid 3600"

expect_lease dhcpd-rapid 200 2ff -r
expect_eq "dhcpd-rapid: SOLICIT, REPLY" \
	"$(sed -n 's/^\(sent\|got\) //p' "$T_TMP/dhcpd-rapid.out" | tr '\n' ' ')" "SOLICIT REPLY "
server_stop

if [ -n "${DHCP6_CORPUS:-}" ]; then
	mkdir -p "$DHCP6_CORPUS" && cp "$cap"/* "$DHCP6_CORPUS"/
fi
