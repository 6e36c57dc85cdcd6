# SPDX-License-Identifier: GPL-2.0-only
# The matrix's DHCP option 17 source, proven on a real DHCP server: the guest's
# NIC is a tap in a private network namespace (rig_lan, tests/rig.sh) where
# dnsmasq serves DHCP with an RFC 4173 root path and tgtd listens on the
# server's address. The guest (busybox udhcpc, asking for option 17) must get
# its lease from dnsmasq, receive the root path byte for byte, and read the
# LUN it names from tgtd through the lease's network.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"

rig_kernel || { not_ok "dhcp17: no kernel to boot"; exit 0; }
for c in dnsmasq tgtd; do
	command -v "$c" >/dev/null || { not_ok "dhcp17: $c is missing"; exit 0; }
done

IQN=iqn.2003-01.org.sanroot:dhcp17
ROOT_PATH="iscsi:$RIG_LAN_SERVER::3260:1:$IQN"
head -c 1M /dev/urandom >"$T_TMP/lun.img" || exit 1
want_md5=$(head -c 65536 "$T_TMP/lun.img" | md5sum | cut -d' ' -f1)

if ! rig_lan root_path="$ROOT_PATH" tgt; then
	not_ok "dhcp17: the private LAN (namespace, tap, dnsmasq, tgtd) did not come up"
	exit 0
fi
if ! tgt_target 1 "$IQN" || ! tgt_lun 1 1 "$T_TMP/lun.img"; then
	not_ok "dhcp17: tgtd refused the target"
	exit 0
fi
expect_eq "dhcp17: the LAN has no route out" "$(ip -n "$RIG_LAN_NS" route show default)" ""
expect_eq "dhcp17: the LAN's links are lo and the tap" \
	"$(ip -n "$RIG_LAN_NS" -o link show | awk -F': ' '{ print $2 }' | sort | tr '\n' ' ')" "lo rig0 "

# udhcpc's script: the address and route, and the lease's values in files
# (read, never sourced: they came from the network)
cat >"$T_TMP/udhcpc.sh" <<'EOF'
#!/bin/sh
case $1 in
bound|renew)
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
	printf 'ip=%s\nrouter=%s\nserverid=%s\n' "$ip" "$router" "$serverid" >/tmp/lease
	printf '%s' "$rootpath" >/tmp/rootpath ;;
esac
exit 0
EOF
chmod 755 "$T_TMP/udhcpc.sh"

cat >"$T_TMP/test.sh" <<'EOF'
nic=$(rig_nic) && ip link set "$nic" up
rig_mark "mac=$(cat /sys/class/net/$nic/address)"
udhcpc -i "$nic" -f -q -n -t 10 -T 1 -O rootpath -s /rig/udhcpc.sh >/tmp/udhcpc.log 2>&1
rig_mark "udhcpc_rc=$?"
v() { sed -n "s/^$1=//p" /tmp/lease | tr ' ' ,; }
rig_mark "lease_ip=$(v ip) lease_router=$(v router) lease_server=$(v serverid)"
rig_mark "addr=$(ip -4 -o addr show dev "$nic" | awk '{ print $4 }')"
if [ -f /tmp/rootpath ]; then
	rig_mark "rootpath=$(tr ' \t' __ </tmp/rootpath)"
	rig_mark "rootpath_hex=$(od -An -v -tx1 </tmp/rootpath | tr -d ' \n')"
	sanroot-iscsi --no-plan --timeout 20 read "$(cat /tmp/rootpath)" 1 0 64K >/tmp/lun.part \
		2>/tmp/iscsi.err
	rig_mark "read_rc=$? read_md5=$(md5sum </tmp/lun.part | cut -d' ' -f1)"
	sed 's/^/iscsi: /' /tmp/iscsi.err
fi
EOF

rig_initramfs "$T_TMP/initrd.img" init="$T_TMP/test.sh" file="$T_TMP/udhcpc.sh:/rig/udhcpc.sh" \
	mods="virtio_pci virtio_net virtio_rng" ||
	{ not_ok "dhcp17: building the initramfs failed"; exit 0; }

# shellcheck disable=SC2086 # RIG_LAN_ARGS is a list of rig_start arguments
if rig_boot initrd="$T_TMP/initrd.img" timeout=90 $RIG_LAN_ARGS; then
	ok "dhcp17: guest powered off by itself"
else
	not_ok "dhcp17: guest did not power off within 90 s"
	rig_tail
fi
tgt_stop
echo "# boot: /init at $(rig_value init) s guest uptime; powered off at $(rig_value uptime) s;" \
	"wall $RIG_WALL s"

mac=$(rig_value mac)
expect_eq "dhcp17: udhcpc got a lease" "$(rig_value udhcpc_rc)" 0
expect_eq "dhcp17: the lease came from dnsmasq on the LAN" \
	"$(rig_value lease_ip) $(rig_value lease_server) $(rig_value lease_router)" \
	"$RIG_LAN_GUEST $RIG_LAN_SERVER $RIG_LAN_SERVER"
expect_eq "dhcp17: the guest's address is the lease's" "$(rig_value addr)" "$RIG_LAN_GUEST/24"
if [ -n "$mac" ] && grep -q " $mac $RIG_LAN_GUEST " "$RIG_LAN_DIR/leases" 2>/dev/null; then
	ok "dhcp17: dnsmasq recorded the lease for $mac"
else
	not_ok "dhcp17: no lease for '$mac' in dnsmasq's lease file"
	sed 's/^/    | /' "$RIG_LAN_DIR/dnsmasq.log"
fi
expect_eq "dhcp17: option 17 arrived intact" "$(rig_value rootpath_hex)" \
	"$(printf '%s' "$ROOT_PATH" | od -An -v -tx1 | tr -d ' \n')"
expect_eq "dhcp17: the root path as the guest saw it" "$(rig_value rootpath)" "$ROOT_PATH"
expect_eq "dhcp17: the guest read the LUN the root path names from tgtd" \
	"$(rig_value read_rc) $(rig_value read_md5)" "0 $want_md5"
expect_eq "dhcp17: guest script ended cleanly" "$(rig_value end)" 0
