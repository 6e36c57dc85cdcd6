# SPDX-License-Identifier: GPL-2.0-only
# The matrix's iBFT source, proven on real firmware: QEMU's iPXE ROM runs a
# script served over QEMU's TFTP that sets the initiator name and mutual CHAP
# credentials, `sanhook`s a LUN of a private tgtd (so iPXE writes a real
# iBFT), then loads the kernel and this test's initramfs and boots. In the
# guest, before iscsi_ibft is loaded, `sanroot-config --ibft` must find the
# table in low memory through /dev/mem; after it is loaded, the kernel's
# /sys/firmware/ibft view must say the same, and `sanroot-config --explain`
# with iscsi_auto must take the target from the iBFT. The secrets live only in
# the iPXE script (in this test's temporary folder) and in the table: never on
# the kernel command line or the console. The guest copies the raw table and
# its views to a small virtio disk; they are kept in build/tests/log/vm-ibft/
# (tests/fixtures/ibft/ipxe-sanhook-mutual.* came from there).
#
# tgtd and QEMU run in a private network namespace (reflun_netns, tests/reflun.sh)
# where the target really is 10.0.2.2 and QEMU's user-mode subnet is 10.0.3.0/24.
#
# IPv6: 2. the same iPXE `sanhook`s iscsi:[fec0::2]:::1:IQN (tgtd's second
# portal, [::1]:3260; QEMU maps fec0::2 to the namespace's ::1) and logs in
# over IPv6, but writes no IPv6 into its table: the NIC's fields are its
# DHCPv4 lease's and the target's address is fec0::2's first four bytes,
# 254.192.0.0 (tests/fixtures/ibft/README.md); sanroot-config must warn.
# 3. and 4. the built IPv6 tables of tests/fixtures/ibft (static; DHCPv6 and
# router advertisement) reach the kernel as QEMU ACPI tables: sanroot-config
# reads the ACPI table, the kernel's /sys/firmware/ibft view must be the
# fixture's and agree with it, and --explain must plan static, dhcp6 and auto6
# with bracketed portals.
# 5. and 6. end to end: sanroot-boot with nothing but root= on the command
# line and, as an ACPI table (mkibft6.py), the reference LUN's target at
# [fec0::2]:3260 with its CHAP account and a NIC with a static fec0::15/64
# (origin 1), or one configured by router advertisement (origin 4), on QEMU's
# network with IPv4 off: the address as the table says, the login over IPv6,
# the root's init.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
reflun_netns "$@"

rig_kernel || { not_ok "ibft: no kernel to boot"; exit 0; }
# QEMU's virtio-net-pci loads romfile efi-virtio.rom from its -L folders; Debian's
# ipxe-qemu puts it in /usr/lib/ipxe/qemu (its BIOS image is what runs here).
[ -r /usr/lib/ipxe/qemu/efi-virtio.rom ] ||
	{ not_ok "ibft: no iPXE ROM for virtio-net (package ipxe-qemu)"; exit 0; }
command -v tgtd >/dev/null || { not_ok "ibft: tgtd is missing (package tgt)"; exit 0; }

IQN=iqn.2003-01.org.sanroot:ibft
INITIATOR=iqn.2003-01.org.sanroot:ibft-client
USER=ibft-user
PASS=ibft-chap-secret
RUSER=ibft-target
RPASS=ibft-target-secret

truncate -s 1M "$T_TMP/lun.img" && truncate -s 1M "$T_TMP/capture.img" || exit 1
if ! tgt_start "$REFLUN_PORTAL" 3260 || ! tgt_target 1 "$IQN" ||
	! tgt_lun 1 1 "$T_TMP/lun.img" || ! tgt_chap 1 "$USER" "$PASS" ||
	! tgt_chap_out 1 "$RUSER" "$RPASS" ||
	! tgt_adm --op new --mode portal --param 'portal=[::1]:3260'; then
	not_ok "ibft: tgtd with mutual CHAP on 10.0.2.2 and [::1] did not start"
	exit 0
fi
# the reference LUN, for boot 5
if ! "$TOP/scripts/mkreflun.sh" "$T_TMP/reflun.img" --secret "$REFLUN_PASS" >/dev/null ||
	! tgt_target 2 "$REFLUN_IQN" || ! tgt_lun 2 1 "$T_TMP/reflun.img" ||
	! tgt_chap 2 "$REFLUN_USER" "$REFLUN_PASS"; then
	not_ok "ibft: the reference LUN is not served"
	exit 0
fi

# The guests' shared part: where the scan finds the raw table (16-byte steps
# from 0x80000, as the kernel looks; its length from the header), and the
# kernel's view as path=value lines.
cat >"$T_TMP/guest-lib.sh" <<'EOF'
cap=/tmp/cap
mkdir -p $cap
field() { sed -n "s/^  $1  *//p" "$2" | head -n 1 | tr ' ' _; }
capture_table() {
	dd if=/dev/mem bs=4096 skip=128 count=128 of=/tmp/low.bin 2>/dev/null
	line=$(hexdump -v -e '16/1 "%02x" "\n"' /tmp/low.bin |
		grep -n -m 1 -E '^(69424654|49424654|42494654)' | cut -d: -f1)
	[ -n "$line" ] || return 0
	off=$(( (line - 1) * 16 ))
	len=$(dd if=/tmp/low.bin bs=1 skip=$((off + 4)) count=4 2>/dev/null | od -An -tu4 | tr -d ' ')
	dd if=/tmp/low.bin of=$cap/table.bin bs=1 skip=$off count=$len 2>/dev/null
	rig_mark "table_at=$(printf '0x%x' $((0x80000 + off))) table_len=$len"
}
dump_sysfs() {
	find /sys/firmware/ibft -type f | sort | while read -r f; do
		printf '%s=%s\n' "${f#/sys/firmware/ibft/}" "$(cat "$f")"
	done
}
EOF

cp "$T_TMP/guest-lib.sh" "$T_TMP/test.sh"
cat >>"$T_TMP/test.sh" <<'EOF'
nic=$(rig_nic) && rig_mark "nic_mac=$(cat /sys/class/net/$nic/address)"
rig_mark "cmdline=$(tr -d '\n' </proc/cmdline | tr ' ' ,)"
dmesg | grep -i ibft >$cap/dmesg.txt

# 1. Before iscsi_ibft: the table is found by scanning low memory.
[ -e /sys/firmware/ibft ] && rig_mark sysfs_before=yes || rig_mark sysfs_before=no
sanroot-config --ibft >$cap/mem.txt 2>$cap/mem.err
rig_mark "mem_rc=$?"
rig_mark "mem_from=$(sed -n 's/^# from //p' $cap/mem.txt | tr ' ' _)"
rig_mark "mem_target=$(sed -n '/^target0:/,$p' $cap/mem.txt | sed -n 's/^  name  *//p')"
rig_mark "mem_portal=$(field portal $cap/mem.txt) mem_lun=$(field lun $cap/mem.txt)"
rig_mark "mem_initiator=$(sed -n '/^initiator:/,/^[a-z]/p' $cap/mem.txt | sed -n 's/^  name  *//p')"
rig_mark "mem_auth=$(field auth $cap/mem.txt) mem_chap_name=$(field 'chap name' $cap/mem.txt)"
rig_mark "mem_rchap_name=$(field 'reverse chap name' $cap/mem.txt)"
rig_mark "mem_secrets_masked=$(grep -c 'secret  *\*\*\*\*\*\*\*\*$' $cap/mem.txt)"
rig_mark "mem_mac=$(field mac $cap/mem.txt)"

# The raw table, for the host.
capture_table

# 2. With iscsi_ibft: the kernel's view, then the plan.
modprobe iscsi_ibft
[ -d /sys/firmware/ibft ] && rig_mark sysfs_after=yes || rig_mark sysfs_after=no
dump_sysfs >$cap/sysfs.txt
rig_mark "sysfs_target=$(cat /sys/firmware/ibft/target0/target-name)"
rig_mark "sysfs_chap_type=$(cat /sys/firmware/ibft/target0/chap-type)"
# sanroot-config reading sysfs alone: a root with /sys and /proc but no /dev/mem
mkdir -p /tmp/r && ln -s /sys /tmp/r/sys && ln -s /proc /tmp/r/proc
sanroot-config --ibft --sysroot /tmp/r >$cap/sysfs-view.txt 2>&1
rig_mark "sysfs_rc=$? sysfs_from=$(sed -n 's/^# from //p' $cap/sysfs-view.txt | tr ' ' _)"
# sysfs has no table length and no PCI address (the kernel gives that as a link)
sed -n '/^initiator:/,$p' $cap/mem.txt | grep -v '^  pci ' >/tmp/a
sed -n '/^initiator:/,$p' $cap/sysfs-view.txt | grep -v '^  pci ' >/tmp/b
cmp -s /tmp/a /tmp/b && rig_mark views_agree=yes || rig_mark views_agree=no

origin() { sed -n 's/^  1\. \([^ ]*\) (from \([^,)]*\).*/\1 \2/p' "$1" | tr ' ' ,; }
sanroot-config --explain >$cap/explain.txt 2>&1
rig_mark "explain_rc=$? explain=$(origin $cap/explain.txt)"
sanroot-config --explain --sysroot /tmp/r >$cap/explain-sysfs.txt 2>&1
rig_mark "explain_sysfs_rc=$? explain_sysfs=$(origin $cap/explain-sysfs.txt)"
rig_mark "explain_initiator=$(sed -n 's/^Initiator: \([^ ]*\) (from \(.*\))$/\1,\2/p' $cap/explain.txt | tr ' ' _)"

# the tools' output (sysfs.txt is the kernel's own view: it shows the secrets to root)
cat $cap/mem.* $cap/sysfs-view.txt $cap/explain*.txt 2>/dev/null |
	grep -q -e ibft-chap-secret -e ibft-target-secret &&
	rig_mark text_has_secret=yes || rig_mark text_has_secret=no
tar -cf /dev/vda -C $cap . && rig_mark capture=ok
EOF

rig_initramfs "$T_TMP/initrd.img" init="$T_TMP/test.sh" \
	mods="virtio_pci virtio_net virtio_blk virtio_rng" defer=iscsi_ibft ||
	{ not_ok "ibft: building the initramfs failed"; exit 0; }

rig_ipxe_start initrd="$T_TMP/initrd.img" append=iscsi_auto net=10.0.3.0/24 \
	disk="$T_TMP/capture.img" timeout=180 initiator="$INITIATOR" \
	sanhook="iscsi:$REFLUN_PORTAL:::1:$IQN" username="$USER" password="$PASS" \
	reverse_username="$RUSER" reverse_password="$RPASS" ||
	{ not_ok "ibft: QEMU did not start"; exit 0; }
kernel_at=
rig_wait_marker ipxe_boot 150 && kernel_at=$(rig_elapsed)
if rig_wait; then
	ok "ibft: guest powered off by itself"
else
	not_ok "ibft: guest did not power off within 180 s"
	rig_tail
fi
echo "# boot: iPXE handed the kernel over at ${kernel_at:-?} s (QEMU start to kernel);" \
	"/init at $(rig_value init) s guest uptime; powered off at $(rig_value uptime) s; wall $RIG_WALL s"

expect_eq "ibft: iPXE ran the script from QEMU's TFTP" "$(rig_value ipxe_script)" "52:54:00:12:34:56"
expect_eq "ibft: iPXE's sanhook logged in with mutual CHAP" "$(rig_value ipxe_sanhook)" ok
expect_eq "ibft: iPXE booted the kernel" "$(rig_value ipxe_boot)" 1
expect_eq "ibft: no /sys/firmware/ibft before iscsi_ibft" "$(rig_value sysfs_before)" no
expect_eq "ibft: --ibft exits 0" "$(rig_value mem_rc)" 0
expect_eq "ibft: --ibft found the table in low memory" "$(rig_value mem_from)" "low_memory_(/dev/mem)"
expect_eq "ibft: table's target" "$(rig_value mem_target)" "$IQN"
expect_eq "ibft: table's portal" "$(rig_value mem_portal)" "$REFLUN_PORTAL:3260"
expect_eq "ibft: table's LUN" "$(rig_value mem_lun)" 1
expect_eq "ibft: table's initiator" "$(rig_value mem_initiator)" "$INITIATOR"
expect_eq "ibft: table's auth" "$(rig_value mem_auth)" "mutual_chap"
expect_eq "ibft: table's CHAP name" "$(rig_value mem_chap_name)" "$USER"
expect_eq "ibft: table's reverse CHAP name" "$(rig_value mem_rchap_name)" "$RUSER"
expect_eq "ibft: both secrets shown masked" "$(rig_value mem_secrets_masked)" 2
expect_eq "ibft: table's NIC is the guest's NIC" "$(rig_value mem_mac)" "$(rig_value nic_mac)"
expect_eq "ibft: /sys/firmware/ibft after iscsi_ibft" "$(rig_value sysfs_after)" yes
expect_eq "ibft: the kernel's view names the target" "$(rig_value sysfs_target)" "$IQN"
expect_eq "ibft: the kernel's view says mutual CHAP" "$(rig_value sysfs_chap_type)" 2
expect_eq "ibft: --ibft reads /sys/firmware/ibft alone" \
	"$(rig_value sysfs_rc) $(rig_value sysfs_from)" "0 /tmp/r/sys/firmware/ibft"
expect_eq "ibft: the /dev/mem and sysfs views agree" "$(rig_value views_agree)" yes
expect_eq "ibft: --explain with iscsi_auto takes the target from the iBFT" \
	"$(rig_value explain_rc) $(rig_value explain)" "0 $IQN,iBFT"
expect_eq "ibft: the same through sysfs" \
	"$(rig_value explain_sysfs_rc) $(rig_value explain_sysfs)" "0 $IQN,iBFT"
expect_eq "ibft: --explain's initiator is the table's" "$(rig_value explain_initiator)" \
	"$INITIATOR,iBFT"
case ,$(rig_value cmdline), in
*,iscsi_auto,*) ok "ibft: iPXE passed the command line (iscsi_auto)" ;;
*) not_ok "ibft: command line '$(rig_value cmdline)' lacks iscsi_auto" ;;
esac
case $(rig_value cmdline) in
*"$PASS"*|*"$RPASS"*|*"$USER"*) not_ok "ibft: CHAP credentials on the kernel command line" ;;
*) ok "ibft: no CHAP credentials on the kernel command line" ;;
esac
if grep -q -e "$PASS" -e "$RPASS" "$RIG_LOG"; then
	not_ok "ibft: a CHAP secret reached the console"
else
	ok "ibft: no CHAP secret on the console"
fi
expect_eq "ibft: no CHAP secret in the tools' output" "$(rig_value text_has_secret)" no
expect_eq "ibft: guest script ended cleanly" "$(rig_value end)" 0

# The capture: the raw table and its views, kept with the console.
keep=$TOP/${B:-build}/tests/log/vm-ibft
rm -rf "$keep" && mkdir -p "$keep" && tar -xf "$T_TMP/capture.img" -C "$keep" 2>/dev/null
if [ -s "$keep/table.bin" ]; then
	ok "ibft: raw table captured ($(rig_value table_len) bytes at $(rig_value table_at))"
	"$SANROOT_BIN/sanroot-config" --ibft --ibft-file "$keep/table.bin" \
		>"$T_TMP/host.txt" 2>&1
	sed -n '/^initiator:/,$p' "$T_TMP/host.txt" >"$T_TMP/host.body"
	sed -n '/^initiator:/,$p' "$keep/mem.txt" >"$T_TMP/guest.body"
	check "ibft: the host parses the captured table as the guest did" \
		cmp -s "$T_TMP/host.body" "$T_TMP/guest.body"
	for f in "$TOP"/tests/fixtures/ibft/*.bin; do
		cmp -s "$f" "$keep/table.bin" && echo "# the captured table equals $f"
	done
else
	not_ok "ibft: no raw table captured"
fi

# 2. iPXE's sanhook over IPv6 -------------------------------------------------
# rig_ipxe_start takes no brackets in a root path: this boot's script is its own.
cp "$T_TMP/guest-lib.sh" "$T_TMP/test6.sh"
cat >>"$T_TMP/test6.sh" <<'EOF'
sanroot-config --ibft >$cap/mem.txt 2>$cap/mem.err
rig_mark "mem_rc=$?"
rig_mark "mem_portal=$(field portal $cap/mem.txt) mem_ip=$(field ip $cap/mem.txt)"
rig_mark "mem_origin=$(field origin $cap/mem.txt) mem_auth=$(field auth $cap/mem.txt)"
capture_table
modprobe iscsi_ibft
dump_sysfs >$cap/sysfs.txt
rig_mark "sysfs_target_ip=$(cat /sys/firmware/ibft/target0/ip-addr)"
sanroot-config --explain >$cap/explain.txt 2>&1
rig_mark "explain_rc=$?"
grep -q "^  warning: iBFT target0's address 254.192.0.0 is in 240.0.0.0/4" $cap/explain.txt &&
	rig_mark explain_warns=yes || rig_mark explain_warns=no
tar -cf /dev/vda -C $cap . && rig_mark capture=ok
EOF
tftp6=$T_TMP/tftp6
truncate -s 1M "$T_TMP/capture6.img" &&
rig_initramfs "$T_TMP/initrd6.img" init="$T_TMP/test6.sh" \
	mods="virtio_pci virtio_net virtio_blk virtio_rng" defer=iscsi_ibft &&
mkdir -m 700 "$tftp6" && cp "$RIG_KERNEL" "$tftp6/vmlinuz" &&
	cp "$T_TMP/initrd6.img" "$tftp6/initrd.img" ||
	{ not_ok "ibft: building the IPv6 boot failed"; exit 0; }
(
	umask 077
	cat <<EOF
#!ipxe
echo SANROOT-TEST ipxe_script=\${net0/mac}
echo SANROOT-TEST ipxe_ip6=\${net0.ndp/ip6} ipxe_ip=\${net0/ip}
set initiator-iqn $INITIATOR
set username $USER
set password $PASS
set reverse-username $RUSER
set reverse-password $RPASS
sanhook iscsi:[fec0::2]:::1:$IQN && echo SANROOT-TEST ipxe_sanhook=ok || echo SANROOT-TEST ipxe_sanhook=failed
kernel vmlinuz console=ttyS0 panic=-1 quiet iscsi_auto || goto failed
initrd initrd.img || goto failed
echo SANROOT-TEST ipxe_boot=1
echo
echo
boot ||
:failed
echo SANROOT-TEST ipxe_failed=\${errno}
exit 1
EOF
) >"$tftp6/boot.ipxe" || exit 1
if rig_start tftp="$tftp6" net=10.0.3.0/24 disk="$T_TMP/capture6.img" timeout=180 &&
	rig_wait; then
	ok "ibft: IPv6 sanhook: guest powered off by itself"
else
	not_ok "ibft: IPv6 sanhook: guest did not power off within 180 s"
	rig_tail
fi
expect_eq "ibft: IPv6 sanhook: iPXE has its SLAAC address and its DHCPv4 lease" \
	"$(rig_value ipxe_ip6) $(rig_value ipxe_ip)" "fec0::5054:ff:fe12:3456 10.0.3.15"
expect_eq "ibft: IPv6 sanhook: iPXE logged in to [fec0::2]:3260 with mutual CHAP" \
	"$(rig_value ipxe_sanhook) $(rig_value ipxe_boot)" "ok 1"
expect_eq "ibft: IPv6 sanhook: --ibft exits 0" "$(rig_value mem_rc)" 0
expect_eq "ibft: IPv6 sanhook: the table's NIC is IPv4 only (its DHCPv4 lease)" \
	"$(rig_value mem_ip) $(rig_value mem_origin)" "10.0.3.15/24 3_(dhcp)"
expect_eq "ibft: IPv6 sanhook: the table's target is fec0::2's first four bytes" \
	"$(rig_value mem_portal) $(rig_value sysfs_target_ip)" "254.192.0.0:3260 254.192.0.0"
expect_eq "ibft: IPv6 sanhook: the table's auth" "$(rig_value mem_auth)" "mutual_chap"
expect_eq "ibft: IPv6 sanhook: --explain warns of the target's address" \
	"$(rig_value explain_rc) $(rig_value explain_warns)" "0 yes"
keep6=$TOP/${B:-build}/tests/log/vm-ibft-ipv6
rm -rf "$keep6" && mkdir -p "$keep6" && tar -xf "$T_TMP/capture6.img" -C "$keep6" 2>/dev/null
for f in "$TOP"/tests/fixtures/ibft/*.bin; do
	cmp -s "$f" "$keep6/table.bin" 2>/dev/null && echo "# the IPv6 boot's table equals $f"
done

# 3. and 4. IPv6 NIC fields, as an ACPI table -----------------------------------
cp "$T_TMP/guest-lib.sh" "$T_TMP/testacpi.sh"
cat >>"$T_TMP/testacpi.sh" <<'EOF'
sanroot-config --ibft >$cap/mem.txt 2>$cap/mem.err
rig_mark "acpi_rc=$? acpi_from=$(sed -n 's/^# from //p' $cap/mem.txt | tr ' ' _)"
modprobe iscsi_ibft
dump_sysfs >$cap/sysfs.txt
mkdir -p /tmp/r && ln -s /sys /tmp/r/sys && ln -s /proc /tmp/r/proc
sanroot-config --ibft --sysroot /tmp/r >$cap/sysfs-view.txt 2>&1
rig_mark "sysfs_rc=$?"
# the kernel gives the PCI address as a link, not a field
sed -n '/^initiator:/,$p' $cap/mem.txt | grep -v '^  pci ' >/tmp/a
sed -n '/^initiator:/,$p' $cap/sysfs-view.txt | grep -v '^  pci ' >/tmp/b
cmp -s /tmp/a /tmp/b && rig_mark views_agree=yes || rig_mark views_agree=no
sanroot-config --explain >$cap/explain.txt 2>&1
rig_mark "explain_rc=$?"
x=$cap/explain.txt
rig_mark "nets=$(sed -n 's/^  - \([a-z0-9]*\) on the interface with MAC \([0-9a-f:]*\) (from iBFT)$/\1@\2/p' $x | tr '\n' ,)"
rig_mark "addrs=$(sed -n 's/^      address //p' $x | tr '\n' ,) gws=$(sed -n 's/^      gateway //p' $x | tr '\n' ,)"
rig_mark "dns=$(sed -n 's/^      DNS //p' $x | tr ' \n' '+,') portals=$(sed -n 's/^     portal //p' $x | tr '\n' ,)"
grep -q '^  warning' $x && rig_mark explain_warns=yes || rig_mark explain_warns=no
tar -cf /dev/vda -C $cap . && rig_mark capture=ok
EOF
rig_initramfs "$T_TMP/initrd-acpi.img" init="$T_TMP/testacpi.sh" \
	mods="virtio_pci virtio_net virtio_blk virtio_rng" defer=iscsi_ibft ||
	{ not_ok "ibft: building the ACPI boots' initramfs failed"; exit 0; }

# acpi_boot NAME: boot with tests/fixtures/ibft/NAME.bin as an ACPI table.
acpi_boot() {
	truncate -s 1M "$T_TMP/capture-$1.img" &&
	rig_start initrd="$T_TMP/initrd-acpi.img" disk="$T_TMP/capture-$1.img" timeout=60 \
		qemu="-acpitable file=$TOP/tests/fixtures/ibft/$1.bin" && rig_wait ||
		{ not_ok "ibft: $1: guest did not power off within 60 s"; rig_tail; }
	expect_eq "ibft: $1: --ibft reads the ACPI table" \
		"$(rig_value acpi_rc) $(rig_value acpi_from)" "0 ACPI_table_/sys/firmware/acpi/tables/iBFT"
	expect_eq "ibft: $1: --ibft reads /sys/firmware/ibft, and the views agree" \
		"$(rig_value sysfs_rc) $(rig_value views_agree)" "0 yes"
	_keep=$TOP/${B:-build}/tests/log/vm-ibft-$1
	rm -rf "$_keep" && mkdir -p "$_keep" && tar -xf "$T_TMP/capture-$1.img" -C "$_keep" 2>/dev/null
	check "ibft: $1: the kernel's view is tests/fixtures/ibft/$1.sysfs.txt" \
		cmp -s "$_keep/sysfs.txt" "$TOP/tests/fixtures/ibft/$1.sysfs.txt"
}

acpi_boot ipv6-static
expect_eq "ibft: ipv6-static: planned static on the table's NIC" "$(rig_value nets)" \
	"static@52:54:00:12:34:56,"
expect_eq "ibft: ipv6-static: address and gateway" "$(rig_value addrs) $(rig_value gws)" \
	"fd00:5a::15/64, fd00:5a::1,"
expect_eq "ibft: ipv6-static: DNS servers and portal" "$(rig_value dns) $(rig_value portals)" \
	"fd00:5a::53+fd00:5a::54, [fd00:5a::2]:3260,"
expect_eq "ibft: ipv6-static: no warning" "$(rig_value explain_rc) $(rig_value explain_warns)" "0 no"

acpi_boot ipv6-dhcp6-ra
expect_eq "ibft: ipv6-dhcp6-ra: planned dhcp6 (origin 3) and auto6 (origin 4)" "$(rig_value nets)" \
	"dhcp6@52:54:00:12:34:56,auto6@52:54:00:12:34:57,"
expect_eq "ibft: ipv6-dhcp6-ra: portals" "$(rig_value portals)" \
	"[fd00:5a::2]:3260,[2001:db8:5a::2]:3261,"
expect_eq "ibft: ipv6-dhcp6-ra: no warning" "$(rig_value explain_rc) $(rig_value explain_warns)" "0 no"

# 5. and 6. Boots from an IPv6 iBFT alone -----------------------------------------
cat >"$T_TMP/testboot.sh" <<'EOF'
exec sanroot-boot --reboot-delay 1
EOF
rig_initramfs "$T_TMP/initrd-boot.img" init="$T_TMP/testboot.sh" ||
	{ not_ok "ibft: building the IPv6 iBFT boots' initramfs failed"; exit 0; }

# ibft_boot NAME ORIGIN ADDR/PREFIX GATEWAY: sanroot-boot with root= alone and,
# as an ACPI table, a NIC of that origin and the reference LUN at [fec0::2].
ibft_boot() {
	python3 "$TOP/tests/fixtures/ibft/mkibft6.py" --origin "$2" "$T_TMP/$1.bin" \
		"$REFLUN_INITIATOR" "$3" "$4" '[fec0::2]:3260' 1 "$REFLUN_IQN" \
		"$REFLUN_USER" "$REFLUN_PASS" ||
		{ not_ok "ibft: $1: mkibft6.py failed"; return 1; }
	rig_boot initrd="$T_TMP/initrd-boot.img" append="root=/dev/mapper/client-rootfs" \
		timeout=150 mem="$REFLUN_MEM" qemu="-acpitable file=$T_TMP/$1.bin" \
		netdev="user,id=n0,ipv4=off,ipv6=on,ipv6-net=fec0::/64"
	root_ok "ibft: $1"
	check "ibft: $1: logged in to the table's [fec0::2]:3260" \
		grep -q "sanroot: iscsi: logged in to $REFLUN_IQN at \[fec0::2\]:3260 as /dev/sd[a-z]" "$RIG_LOG"
	expect_eq "ibft: $1: the CHAP secret is not on the command line" \
		"$(root_value cmdline_has_secret)" no
	check "ibft: $1: no I/O error or connection error on the console" \
		sh -c "! grep -q -e 'I/O error' -e 'conn error' -e 'detected conn' '$RIG_LOG'"
	echo "# $1 boot: root's marker at $(root_value uptime) s guest uptime, wall $RIG_WALL s"
	sed -n 's/^.*\(sanroot[a-z-]*: [a-z0-9]*: .*([0-9.]* s)\).*$/# \1/p' "$RIG_LOG"
}

# 5. origin 1 (manual): the table's address and gateway
ibft_boot boot6-static 1 fec0::15/64 fec0::2 &&
check "ibft: boot6-static: the address and gateway from the table" \
	grep -q 'sanroot-net: eth0: static fec0::15/64 via fec0::2' "$RIG_LOG"
# 6. origin 4 (router advertisement): SLAAC from QEMU's advertisements
ibft_boot boot6-ra 4 fec0::5054:ff:fe12:3456/64 fe80::2 &&
check "ibft: boot6-ra: the address is SLAAC's" \
	grep -q 'sanroot-net: eth0: SLAAC fec0::5054:ff:fe12:3456/64' "$RIG_LOG"
tgt_stop
