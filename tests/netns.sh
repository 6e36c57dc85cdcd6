# SPDX-License-Identifier: GPL-2.0-only
# DHCP servers and clients in private network namespaces (sourced after
# tests/lib.sh). A server namespace $S and a client namespace $C are joined
# by veth pairs; servers are started here and only their PIDs are killed.
# Clients run with a private /run, /etc/resolv.conf and hostname, so nothing
# the host uses is ever touched.
#
#   net_pair [N [ADDR]]    srvN (ADDR, default 10.9.N.1/24) in $S <-> ethN in $C,
#                          ethN's MAC 52:54:00:12:34:5N; creates $S and $C on first use
#   dnsmasq_start ARGS...  dnsmasq on the pairs made so far (no ping check, leases in memory)
#   dhcpd_start CONF       isc-dhcp-server with the config text CONF
#   server_stop            stop the servers started so far
#   net_run [-o FILE] CMD...  CMD in $C: stdout+stderr to FILE (default $T_TMP/out),
#                          /run is $T_TMP/run, /etc/resolv.conf is $T_TMP/resolv.conf,
#                          the hostname it sets lands in $T_TMP/hostname; returns CMD's status
#   net_loss PERCENT       drop PERCENT of DHCP packets each way (tc netem, else nftables)
#   addr_of DEV, mtu_of DEV, routes: what the client namespace has

net_pair() {
	n=${1:-0}
	if [ -z "${S:-}" ]; then
		t_netns S srv && t_netns C cli || return 1
	fi
	ip link add "srv$n" netns "$S" type veth peer name "eth$n" netns "$C" || return 1
	ip -n "$C" link set dev "eth$n" address "52:54:00:12:34:5$n"
	ip -n "$S" addr add "${2:-10.9.$n.1/24}" dev "srv$n"
	ip -n "$S" link set dev "srv$n" up
	NET_IFS="${NET_IFS:-} srv$n"
}

_listening67() {
	ip netns exec "$S" ss -Hlun 'sport = :67' | grep -q .
}

dnsmasq_start() {
	_ifs=""
	for i in $NET_IFS; do _ifs="$_ifs --interface=$i"; done
	# shellcheck disable=SC2086
	t_spawn ip netns exec "$S" dnsmasq --no-daemon --port=0 --bind-interfaces $_ifs \
		--no-ping --leasefile-ro --log-dhcp --log-facility="$T_TMP/dnsmasq.log" \
		--pid-file= "$@" 2>>"$T_TMP/dnsmasq.stderr"
	SERVER_PIDS="${SERVER_PIDS:-} $T_LAST_PID"
	wait_for 10 _listening67
}

dhcpd_start() {
	printf '%s\n' "$1" >"$T_TMP/dhcpd.conf"
	: >"$T_TMP/dhcpd.leases"
	# shellcheck disable=SC2086
	t_spawn ip netns exec "$S" dhcpd -4 -f -cf "$T_TMP/dhcpd.conf" -lf "$T_TMP/dhcpd.leases" \
		-pf "$T_TMP/dhcpd.pid" $NET_IFS 2>>"$T_TMP/dhcpd.log"
	SERVER_PIDS="${SERVER_PIDS:-} $T_LAST_PID"
	wait_for 10 _listening67
}

server_stop() {
	for p in ${SERVER_PIDS:-}; do kill "$p" 2>/dev/null; done
	for p in ${SERVER_PIDS:-}; do wait "$p" 2>/dev/null; done
	SERVER_PIDS=""
}

net_run() {
	out=$T_TMP/out
	if [ "$1" = -o ]; then out=$2; shift 2; fi
	rm -rf "$T_TMP/run"
	mkdir -p "$T_TMP/run"
	: >"$T_TMP/resolv.conf"
	: >"$T_TMP/hostname"
	ip netns exec "$C" unshare -mu sh -c '
		t=$1; shift
		mount --bind "$t/run" /run && mount --bind "$t/resolv.conf" /etc/resolv.conf || exit 99
		hostname none
		"$@"
		rc=$?
		hostname >"$t/hostname"
		exit $rc' _ "$T_TMP" "$@" >"$out" 2>&1
}

net_loss() {
	if ip netns exec "$S" tc qdisc add dev srv0 root netem loss "$1%" 2>/dev/null &&
	   ip netns exec "$C" tc qdisc add dev eth0 root netem loss "$1%" 2>/dev/null; then
		return 0
	fi
	# No sch_netem in this kernel: nftables drops the same share of DHCP each way.
	ip netns exec "$S" nft -f - <<EOF
table inet loss {
	chain in { type filter hook input priority 0; udp dport 67 numgen random mod 100 < $1 drop; }
	chain out { type filter hook output priority 0; udp sport 67 numgen random mod 100 < $1 drop; }
}
EOF
}

addr_of() {
	ip -n "$C" -4 -o addr show dev "$1" | awk '{ print $4 }'
}

mtu_of() {
	ip -n "$C" -o link show dev "$1" | sed 's/.* mtu \([0-9]*\) .*/\1/'
}

routes() {
	ip -n "$C" -4 route show | sed 's/ *$//'
}

# conf_value DEV KEY: a value from $T_TMP/run/net-DEV.conf, read the way initramfs-tools does.
conf_value() {
	(. "$T_TMP/run/net-$1.conf" && eval "printf '%s' \"\$$2\"")
}
