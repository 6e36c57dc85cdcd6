#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-boot end to end in the rig's initramfs, against a private tgtd on the
# host serving the reference LUN (LVM: client/rootfs) and a plain ext4 LUN:
#   1. the reference boot: network, CHAP login handed to the kernel with the
#      keeper, LVM, mount, switch; the root's own init prints its marker;
#   2. each failure class gives its diagnosis (no DHCP offer, TCP refused,
#      CHAP rejected, no LVM PV, no root device), then a real failure
#      reboots without a shell;
#   3. with sanroot.shell=1 a shell appears on the console and takes commands;
#   4. root=UUID= and root=LABEL= boots.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"

rig_kernel || { not_ok "boot: no kernel to boot"; exit 0; }

iqn=iqn.2024-01.org.sanroot:boot.ref
iqn_plain=iqn.2024-01.org.sanroot:boot.plain
init=iqn.2024-01.org.sanroot:guest
user=guest-user pass=guest-secret-12

"$TOP/scripts/mkreflun.sh" "$T_TMP/ref.img" >/dev/null ||
	{ not_ok "boot: mkreflun (LVM) failed"; exit 0; }
eval "$("$TOP/scripts/mkreflun.sh" "$T_TMP/plain.img" --plain --label sanroot-plain --swap 0)" ||
	{ not_ok "boot: mkreflun (plain) failed"; exit 0; }
plain_uuid=$REFLUN_UUID

{ tgt_start 127.0.0.1 &&
  tgt_target 1 "$iqn" && tgt_lun 1 1 "$T_TMP/ref.img" && tgt_chap 1 "$user" "$pass" &&
  tgt_target 2 "$iqn_plain" && tgt_lun 2 1 "$T_TMP/plain.img" && tgt_chap 2 "$user" "$pass"; } ||
	{ not_ok "boot: tgtd did not start"; exit 0; }
port=$TGT_PORT

# The reference command line, open-iscsi style (the issue's seed, on this rig).
ref="ip=dhcp root=/dev/mapper/client-rootfs iscsi_initiator=$init iscsi_target_name=$iqn"
ref="$ref iscsi_target_ip=10.0.2.2 iscsi_target_port=$port iscsi_username=$user iscsi_password=$pass"

# One image for every boot: the test part runs sanroot-boot as the guest's
# boot would, with the plan on the kernel command line.
cat >"$T_TMP/test.sh" <<'EOF'
case " $(cat /proc/cmdline) " in
*" rigtest=failures "*) . /rig/failures.sh ;;
*) exec sanroot-boot --reboot-delay 1 ;;
esac
EOF

# 2. Failure classes, one boot: each attempt with --no-reboot and its own plan,
# then a real failure that must reboot without a shell.
cat >"$T_TMP/failures.sh" <<EOF
attempt() {
	name=\$1; shift
	sanroot-boot --no-reboot --cmdline "\$*" >/tmp/\$name.out 2>&1
	echo "rc=\$?" >>/tmp/\$name.out
	sed "s/^/[\$name] /" /tmp/\$name.out
	sanroot-iscsi logout all >/dev/null 2>&1
}
diag() { grep -q "\$2" /tmp/\$1.out; }
base="iscsi_initiator=$init iscsi_username=$user sanroot.keep=0 sanroot.timeout=25"

attempt dhcp ip=:::::eth1:dhcp "netroot=iscsi:10.0.2.2::$port:1:$iqn" \$base iscsi_password=$pass sanroot.timeout=6
rig_check "no DHCP offer: fails at net" diag dhcp 'FAILED at net after'
rig_check "no DHCP offer: the cause" diag dhcp 'no DHCP offer: is the cable in and the VLAN right?'
rig_check "no DHCP offer: exit 111" diag dhcp '^rc=111'

attempt refused ip=:::::eth0:dhcp "netroot=iscsi:10.0.2.2::1:1:$iqn" \$base iscsi_password=$pass
rig_check "TCP refused: fails at iscsi" diag refused 'FAILED at iscsi after'
rig_check "TCP refused: the cause" diag refused 'TCP to the portal was refused: is the target running'

attempt chap ip=:::::eth0:dhcp "netroot=iscsi:10.0.2.2::$port:1:$iqn" \$base iscsi_password=not-the-secret
rig_check "CHAP rejected: fails at iscsi" diag chap 'FAILED at iscsi after .*CHAP'
rig_check "CHAP rejected: the cause" diag chap 'CHAP rejected: check iscsi_username/iscsi_password'
rig_check "CHAP rejected: what was tried names the user, not the secret" diag chap "CHAP as '$user', secret \*\*\*\*\*\*\*\* (14 bytes)"
rig_check "CHAP rejected: the secret tried never appears" sh -c '! grep -q not-the-secret /tmp/chap.out'

attempt nopv ip=:::::eth0:dhcp "netroot=iscsi:10.0.2.2::$port:1:$iqn_plain" \$base iscsi_password=$pass root=/dev/mapper/client-rootfs
rig_check "no LVM PV: fails at lvm" diag nopv 'FAILED at lvm after'
rig_check "no LVM PV: the cause" diag nopv 'root= names an LV that does not exist\|no VG of that name\|the VG or LV named is not there'

attempt noroot ip=:::::eth0:dhcp "netroot=iscsi:10.0.2.2::$port:1:$iqn_plain" \$base iscsi_password=$pass root=LABEL=no-such-label rd.lvm=0 sanroot.timeout=12
rig_check "no root device: fails at root" diag noroot 'FAILED at root after'
rig_check "no root device: the cause" diag noroot 'root= never appeared'

rig_check "no secret reached the state files" sh -c '! grep -rq "$pass" /run/sanroot /run/net-*.conf 2>/dev/null'
rig_mark "failures=done"
# A real failure: the diagnosis, no shell, and a reboot (QEMU ends with -no-reboot).
exec sanroot-boot --reboot-delay 1 --cmdline "ip=:::::eth0:dhcp netroot=iscsi:10.0.2.2::$port:1:$iqn \$base iscsi_password=not-the-secret"
EOF

rig_initramfs "$T_TMP/boot.img" init="$T_TMP/test.sh" file="$T_TMP/failures.sh:/rig/failures.sh" ||
	{ not_ok "boot: initramfs"; exit 0; }

# 1. The reference boot ----------------------------------------------------------------
rig_boot initrd="$T_TMP/boot.img" append="$ref" timeout=150 log="$T_TMP/ref.log"
check "reference boot: the root's init ran" grep -q 'SANROOT-ROOT-OK root=/dev/mapper/client-rootfs fstype=ext4 sessions=1' "$T_TMP/ref.log"
check "reference boot: a progress line per step, with durations" \
	grep -q "sanroot: iscsi: logged in to $iqn at 10.0.2.2:$port as /dev/sd[a-z] ([0-9.]* s)" "$T_TMP/ref.log"
check "reference boot: the network step's line" grep -q 'sanroot: net: eth0 10.0.2.15/255.255.255.0 (dhcp) (' "$T_TMP/ref.log"
check "reference boot: the LVM step's line" grep -q 'sanroot: lvm: .*client/rootfs' "$T_TMP/ref.log"
check "reference boot: the switch" grep -q 'sanroot: switch: exec /sbin/init in /root' "$T_TMP/ref.log"
uptime=$(sed -n 's/.*SANROOT-ROOT-OK .*uptime=\([0-9.]*\).*/\1/p' "$T_TMP/ref.log" | head -n 1)
echo "# reference boot: kernel start to the root's marker ${uptime:-?} s (guest uptime), wall ${RIG_WALL} s"
sed -n 's/^.*\(sanroot: [a-z]*: .*([0-9.]* s)\).*$/# \1/p' "$T_TMP/ref.log"

# 2. Failures ------------------------------------------------------------------------------
rig_boot initrd="$T_TMP/boot.img" append="rigtest=failures" timeout=240 log="$T_TMP/fail.log" \
	qemu="-netdev socket,id=n1,udp=127.0.0.1:9,localaddr=127.0.0.1:0 -device virtio-net-pci,netdev=n1"
# The guest ends by rebooting, so there is no end marker: relay its results as they are.
sed -n 's/^.*SANROOT-RESULT \(not ok\|ok\) /\1 /p' "$T_TMP/fail.log" | sed 's/^\(not ok\|ok\) /\1 failure classes: /'
check "the failure classes all ran" grep -q 'SANROOT-TEST failures=done' "$T_TMP/fail.log"
check "a real failure prints the diagnosis" grep -q 'sanroot: FAILED at iscsi after' "$T_TMP/fail.log"
check "a real failure says it reboots" grep -q 'sanroot: rebooting in 1 s (boot with sanroot.shell=1' "$T_TMP/fail.log"
check "a real failure gives no shell" sh -c "! grep -q 'starting a shell' '$T_TMP/fail.log'"
check "a real failure ends the boot (no end marker, QEMU gone)" sh -c "! grep -q 'SANROOT-TEST end=' '$T_TMP/fail.log'"

# 3. sanroot.shell=1: a shell on the console, driven through it ------------------------------
rig_start initrd="$T_TMP/boot.img" console=pipe timeout=150 log="$T_TMP/shell.log" \
	append="ip=dhcp netroot=iscsi:10.0.2.2::$port:1:$iqn iscsi_initiator=$init iscsi_username=$user iscsi_password=wrong-secret sanroot.shell=1"
if wait_for 120 grep -q 'starting a shell' "$T_TMP/shell.log"; then
	sleep 1
	rig_type 'echo SHELL-$((6 * 7))'
	rig_type 'sanroot-boot --status | sed "s/^/STATUS /"'
	rig_type 'poweroff -f'
fi
rig_wait
check "shell=1: the shell appears" grep -q 'sanroot.shell=1: starting a shell' "$T_TMP/shell.log"
check "shell=1: it takes commands from the console" grep -q 'SHELL-42' "$T_TMP/shell.log"
check "shell=1: sanroot-boot --status works there" grep -q 'STATUS iSCSI sessions:' "$T_TMP/shell.log"
if grep -q wrong-secret "$T_TMP/shell.log"; then not_ok "shell=1: the secret never appears on the console"; else ok "shell=1: the secret never appears on the console"; fi

# 4. root=UUID= and root=LABEL= ------------------------------------------------------------
plain="ip=dhcp netroot=iscsi:10.0.2.2::$port:1:$iqn_plain iscsi_initiator=$init iscsi_username=$user iscsi_password=$pass"
rig_boot initrd="$T_TMP/boot.img" append="$plain root=UUID=$plain_uuid" timeout=150 log="$T_TMP/uuid.log"
check "root=UUID= boots" grep -q 'SANROOT-ROOT-OK root=/dev/sd[a-z] fstype=ext4 sessions=1' "$T_TMP/uuid.log"
rig_boot initrd="$T_TMP/boot.img" append="$plain root=LABEL=sanroot-plain" timeout=150 log="$T_TMP/label.log"
check "root=LABEL= boots" grep -q 'SANROOT-ROOT-OK root=/dev/sd[a-z] fstype=ext4 sessions=1' "$T_TMP/label.log"
