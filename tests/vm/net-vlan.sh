#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# VLANs need the kernel's 8021q, which the host may lack: a QEMU guest (the
# Debian kernel, a busybox initramfs, the static sanroot-net) with two e1000
# NICs on one QEMU hub. One NIC serves DHCP (busybox udhcpd) on VLAN 5; on
# the other sanroot-net creates the VLAN interface and leases over it, asked
# by dracut's vlan=, and by an iBFT NIC entry that carries VLAN 5.
. "$(dirname "$0")/../lib.sh"

# the guest kernel, unpacked under build/kernel (scripts/kernel.sh)
kdir=$("$TOP/scripts/kernel.sh" dir) && kver=$("$TOP/scripts/kernel.sh" version) ||
	{ not_ok "vlan: no guest kernel under build/kernel (scripts/kernel.sh fetch)"; exit 0; }
kernel=$kdir/boot/vmlinuz-$kver
mods=$kdir/lib/modules/$kver/kernel
static=$TOP/build/static/bin/sanroot-net

for need in "$kernel" /bin/busybox "$mods/net/8021q/8021q.ko"; do
	if [ ! -r "$need" ]; then
		not_ok "vlan: $need is missing (the guest kernel and busybox-static)"
		exit 0
	fi
done
if ! command -v qemu-system-x86_64 >/dev/null; then
	not_ok "vlan: qemu-system-x86_64 is missing"
	exit 0
fi
[ -x "$static" ] || make -s -C "$TOP" "build/static/bin/sanroot-net" >/dev/null
if [ ! -x "$static" ]; then
	not_ok "vlan: $static is missing and 'make static' did not build it"
	exit 0
fi

root=$T_TMP/root
mkdir -p "$root/bin" "$root/lib" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
cp /bin/busybox "$static" "$root/bin/"
for m in drivers/net/ethernet/intel/e1000/e1000 net/llc/llc net/802/stp net/802/garp net/802/mrp \
	 net/8021q/8021q; do
	cp "$mods/$m.ko" "$root/lib/"
done

# The table iPXE wrote (tests/fixtures/ibft), with VLAN 5 on its NIC and the checksum redone.
python3 - "$TOP/tests/fixtures/ibft/ipxe-sanhook-chap.bin" "$root/ibft-vlan5.bin" <<'EOF'
import sys
t = bytearray(open(sys.argv[1], 'rb').read())
mac = t.find(bytes.fromhex('525400123456'))    # NIC structure: VLAN (le16) just before the MAC
t[mac - 2:mac] = (5).to_bytes(2, 'little')
t[9] = 0
t[9] = -sum(t[:int.from_bytes(t[4:8], 'little')]) & 255
open(sys.argv[2], 'wb').write(t)
EOF

cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /run /tmp
for m in e1000 llc stp garp mrp 8021q; do insmod /lib/$m.ko; done
i=0
while [ $i -lt 100 ]; do
	for d in /sys/class/net/*; do
		case $(cat "$d/address") in
		52:54:00:12:34:56) CLI=${d##*/} ;;
		52:54:00:00:00:01) SRV=${d##*/} ;;
		esac
	done
	[ -n "$CLI" ] && [ -n "$SRV" ] && break
	sleep 0.1
	i=$((i + 1))
done
echo "@@ nics $CLI $SRV"

ip link set dev "$SRV" up
ip link add link "$SRV" name "$SRV.5" type vlan id 5 || vconfig add "$SRV" 5
ip addr add 10.9.5.1/24 dev "$SRV.5"
ip link set dev "$SRV.5" up
printf 'start 10.9.5.50\nend 10.9.5.99\ninterface %s.5\nlease_file /tmp/leases\noption subnet 255.255.255.0\noption router 10.9.5.1\noption lease 600\n' "$SRV" >/etc/udhcpd.conf
: >/tmp/leases
udhcpd -f /etc/udhcpd.conf >/dev/null 2>&1 &

report() {
	echo "@@ $1 rc=$2"
	echo "@@ $1 vlan=$(grep "^$3 " /proc/net/vlan/config | tr -s ' ')"
	echo "@@ $1 addr=$(ip -4 -o addr show dev "$3" 2>/dev/null | awk '{ print $4 }')"
	echo "@@ $1 conf=$(grep ^DEVICE= "/run/net-$3.conf" 2>/dev/null)"
	ip link del "$3" 2>/dev/null
	rm -f /run/net-*.conf
}

net() {
	sanroot-net -t 60 "$@" >/tmp/out 2>&1
	rc=$?
	sed 's/^/@@ log /' /tmp/out
	return $rc
}
net --no-ibft --cmdline "vlan=$CLI.5:$CLI ip=$CLI.5:dhcp"
report dracut $? "$CLI.5"
net --no-ibft --cmdline "vlan=vlan5:$CLI ip=dhcp"
report dracut-plain $? vlan5
net --ibft-file /ibft-vlan5.bin --cmdline ip=ibft
report ibft $? "$CLI.5"
echo "@@ done"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$T_TMP/initrd.gz"

timeout 300 qemu-system-x86_64 -accel tcg -m 256 -nodefaults -no-user-config -display none \
	-serial stdio -no-reboot -kernel "$kernel" -initrd "$T_TMP/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1" \
	-netdev hubport,id=h0,hubid=0 -device e1000,netdev=h0,mac=52:54:00:12:34:56 \
	-netdev hubport,id=h1,hubid=0 -device e1000,netdev=h1,mac=52:54:00:00:00:01 \
	</dev/null 2>/dev/null | tr -d '\r' >"$T_TMP/console"

val() { sed -n "s/^@@ $1 $2=//p" "$T_TMP/console" | head -n 1; }
if ! grep -q "^@@ done" "$T_TMP/console"; then
	not_ok "vlan: the guest did not finish: $(tail -n 5 "$T_TMP/console" | tr '\n' ' ')"
	exit 0
fi
cli=$(sed -n 's/^@@ nics \([^ ]*\) .*/\1/p' "$T_TMP/console")
grep "^@@ log " "$T_TMP/console" | sed 's/^@@ log /# /'

expect_eq "vlan=: exit 0" "$(val dracut rc)" 0
expect_eq "vlan=: 802.1Q id 5 on $cli" "$(val dracut vlan)" "$cli.5 | 5 | $cli"
check "vlan=: lease over the VLAN" sh -c "echo '$(val dracut addr)' | grep -q '^10.9.5.[0-9]*/24$'"
expect_eq "vlan=: net-$cli.5.conf" "$(val dracut conf)" "DEVICE='$cli.5'"

expect_eq "vlan= with ip=dhcp: exit 0" "$(val dracut-plain rc)" 0
expect_eq "vlan= with ip=dhcp: the VLAN named vlan5" "$(val dracut-plain vlan)" "vlan5 | 5 | $cli"
check "vlan= with ip=dhcp: lease over it" sh -c "echo '$(val dracut-plain addr)' | grep -q '^10.9.5.[0-9]*/24$'"

expect_eq "iBFT VLAN: exit 0" "$(val ibft rc)" 0
expect_eq "iBFT VLAN: 802.1Q id 5 on the iBFT NIC" "$(val ibft vlan)" "$cli.5 | 5 | $cli"
check "iBFT VLAN: lease over it" sh -c "echo '$(val ibft addr)' | grep -q '^10.9.5.[0-9]*/24$'"
