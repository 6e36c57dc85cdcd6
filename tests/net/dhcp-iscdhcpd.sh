#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-net against isc-dhcp-server: the lease, its routes (option 121
# declared by hand, as dhcpd needs), DNS and an iSCSI root path.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
net=$SANROOT_BIN/sanroot-net

net_pair 0
dhcpd_start '
option rfc3442-classless-static-routes code 121 = array of integer 8;
authoritative;
default-lease-time 600;
max-lease-time 7200;
subnet 10.9.0.0 netmask 255.255.255.0 {
	range 10.9.0.100 10.9.0.150;
	option routers 10.9.0.1;
	option domain-name-servers 10.9.0.1, 10.9.0.3;
	option domain-name "example.test";
	option root-path "iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root";
}
host client1 {
	hardware ethernet 52:54:00:12:34:50;
	fixed-address 10.9.0.120;
	option host-name "client1";
}'

if net_run "$net" --cmdline quiet --no-ibft -t 20; then ok "lease: exit 0"; else not_ok "lease: exit $?: $(tail -n 3 "$T_TMP/out")"; fi
expect_eq "lease: address on eth0" "$(addr_of eth0)" "10.9.0.120/24"
expect_eq "lease: default route" "$(routes | grep ^default)" "default via 10.9.0.1 dev eth0 proto dhcp"
expect_eq "lease: resolv.conf" "$(grep -v '^#' "$T_TMP/resolv.conf")" "search example.test
nameserver 10.9.0.1
nameserver 10.9.0.3"
expect_eq "lease: ROOTPATH" "$(conf_value eth0 ROOTPATH)" "iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root"
# dhcpd leaves siaddr empty without next-server: ROOTSERVER is the server identifier, as klibc has it.
expect_eq "lease: ROOTSERVER" "$(conf_value eth0 ROOTSERVER)" 10.9.0.1
expect_eq "lease: DHCPLEASETIME" "$(conf_value eth0 DHCPLEASETIME)" 600
expect_eq "lease: hostname" "$(cat "$T_TMP/hostname")" client1
server_stop

ip -n "$C" addr flush dev eth0
dhcpd_start '
option rfc3442-classless-static-routes code 121 = array of integer 8;
authoritative;
subnet 10.9.0.0 netmask 255.255.255.0 {
	range 10.9.0.100 10.9.0.150;
	option routers 10.9.0.253;
	option rfc3442-classless-static-routes 16, 10, 20, 10, 9, 0, 254, 0, 10, 9, 0, 1;
}'
net_run "$net" --cmdline quiet --no-ibft -t 20
expect_eq "option 121: routes" "$(routes | grep -v 'proto kernel')" \
"default via 10.9.0.1 dev eth0 proto dhcp
10.20.0.0/16 via 10.9.0.254 dev eth0 proto dhcp"
check "option 121: address in the range" sh -c "ip -n '$C' -4 -o addr show dev eth0 | grep -q 'inet 10.9.0.1[0-5][0-9]/24'"

# The real root's DHCP client continues the initramfs' lease: dhcpd keys a
# lease on the client identifier when the client sent one, so sanroot sends
# none, as klibc's ipconfig does. The root's dhclient (none either) and a
# client that sends type 1 and the MAC (systemd-networkd's ClientIdentifier=mac)
# are both given the address the initramfs has. Their script changes nothing.
a=$(addr_of eth0)
for cid in '' 'send dhcp-client-identifier 1:52:54:00:12:34:50;'; do
	printf '%s\n' "$cid" >"$T_TMP/dhclient.conf"
	rm -f "$T_TMP/dhclient.leases"
	ip netns exec "$C" dhclient -4 -1 -d -v -cf "$T_TMP/dhclient.conf" -sf /bin/true \
		-lf "$T_TMP/dhclient.leases" -pf "$T_TMP/dhclient.pid" eth0 >"$T_TMP/dhclient.out" 2>&1 &
	dh=$!
	wait_for 20 grep -q '^bound to' "$T_TMP/dhclient.out"
	kill "$dh" 2>/dev/null; wait "$dh" 2>/dev/null
	expect_eq "the root's dhclient${cid:+ with the MAC as identifier}: the same address" \
		"$(sed -n 's/^bound to \([0-9.]*\) .*/\1/p' "$T_TMP/dhclient.out")/24" "$a"
done
server_stop
