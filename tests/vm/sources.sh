#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-boot with each plan source that is not /proc/cmdline, in one boot of
# the rig's initramfs (the real static tools, nothing stubbed), against the
# reference LUN behind a private tgtd: the guest's /proc/cmdline holds only
# the rig's console=ttyS0 panic=-1 quiet. Each scenario runs
# `sanroot-boot --no-reboot --until root --newroot /newroot SOURCE` (network,
# login with the keeper, LVM, mount, no switch), reads back a file of the LUN
# that holds this run's token, then takes it all down (umount, dmsetup remove,
# logout, the interface down) for the next:
#   cmdline   --cmdline-file FILE: open-iscsi's iscsi_* parameters, CHAP
#   conf      --conf FILE: a sanroot.conf (root's, 0600) with mutual CHAP
#   ibft      --ibft-file FILE: the real iPXE table tests/fixtures/ibft/
#             ipxe-sanhook-mutual.bin (mutual CHAP, its NIC 10.0.3.15/24 on
#             QEMU's NIC, LUN 1 of iqn.2003-01.org.sanroot:ibft); no root=
#             anywhere: sanroot mounts the first iSCSI disk, a plain ext4 LUN
# The secrets must reach neither the console nor /run.
#
# tgtd and QEMU run in a private network namespace (reflun_netns,
# tests/reflun.sh) where the target really is 10.0.2.2:3260, as the iBFT says.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
reflun_netns "$@"

rig_kernel || { not_ok "sources: no kernel to boot"; exit 0; }
command -v tgtd >/dev/null || { not_ok "sources: tgtd is missing (package tgt)"; exit 0; }
[ -x /sbin/dmsetup ] || { not_ok "sources: dmsetup is missing (package dmsetup)"; exit 0; }
[ -x "$TOP/${B:-build}/static/bin/sanroot-boot" ] || { not_ok "sources: make static first"; exit 0; }

IBFT=$TOP/tests/fixtures/ibft/ipxe-sanhook-mutual.bin
# what the table holds (tests/fixtures/ibft/README.md)
IBFT_IQN=iqn.2003-01.org.sanroot:ibft
IBFT_USER=ibft-user IBFT_PASS=ibft-chap-secret
IBFT_RUSER=ibft-target IBFT_RPASS=ibft-target-secret

# This run's token, in the roots' /sbin/init (mkreflun's marker word).
token=SOURCES-$$-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
"$TOP/scripts/mkreflun.sh" "$T_TMP/lun.img" --secret "$REFLUN_PASS" --marker "$token" >/dev/null ||
	{ not_ok "sources: mkreflun (LVM) failed"; exit 0; }
"$TOP/scripts/mkreflun.sh" "$T_TMP/plain.img" --plain --swap 0 --marker "$token" >/dev/null ||
	{ not_ok "sources: mkreflun (plain) failed"; exit 0; }
if ! reflun_serve || ! tgt_chap_out 1 "$REFLUN_IN_USER" "$REFLUN_IN_PASS" ||
	! tgt_target 2 "$IBFT_IQN" || ! tgt_lun 2 1 "$T_TMP/plain.img" ||
	! tgt_chap 2 "$IBFT_USER" "$IBFT_PASS" || ! tgt_chap_out 2 "$IBFT_RUSER" "$IBFT_RPASS"; then
	not_ok "sources: tgtd with the reference LUN did not start"
	exit 0
fi

# The plans, each in the file its option reads; secrets in files of mode 0600.
(
	umask 077
	echo "ip=dhcp root=/dev/mapper/client-rootfs iscsi_initiator=$REFLUN_INITIATOR" \
		"iscsi_target_name=$REFLUN_IQN iscsi_target_ip=$REFLUN_PORTAL iscsi_target_port=3260" \
		"iscsi_username=$REFLUN_USER iscsi_password=$REFLUN_PASS" >"$T_TMP/plan.cmdline"
	{
		echo "# the boot plan, with the credentials: root only"
		echo "ip=dhcp root=/dev/mapper/client-rootfs"
		echo "iscsi_initiator=$REFLUN_INITIATOR"
		echo "iscsi_target_name=$REFLUN_IQN iscsi_target_ip=$REFLUN_PORTAL"
		echo "iscsi_username=$REFLUN_USER iscsi_password=$REFLUN_PASS"
		echo "iscsi_in_username=$REFLUN_IN_USER iscsi_in_password=$REFLUN_IN_PASS"
	} >"$T_TMP/sanroot.conf"
	printf '%s\n' "$REFLUN_PASS" "$REFLUN_IN_PASS" "$IBFT_PASS" "$IBFT_RPASS" >"$T_TMP/secrets"
) || exit 1

echo "token=$token" >"$T_TMP/test.sh"
cat >>"$T_TMP/test.sh" <<'GUEST'
# shellcheck disable=SC2046 # the words, joined by commas
rig_mark "cmdline=$(echo $(cat /proc/cmdline) | tr ' ' ,)"
rig_mark "conf_mode=$(stat -c %a /rig/sanroot.conf)"
mkdir -p /newroot

# scenario NAME SOURCE-OPTION FILE: one sanroot-boot up to the mounted root,
# its outcome as markers, then everything taken down again.
scenario() {
	_n=$1; shift
	sanroot-boot --no-reboot --until root --newroot /newroot "$@" >/tmp/$_n.out 2>&1
	rig_mark "$_n.rc=$?"
	sed "s/^/[$_n] /" /tmp/$_n.out >/dev/console
	rig_mark "$_n.root=$(awk '$2 == "/newroot" { print $1 }' /proc/mounts)"
	grep -q "$token" /newroot/sbin/init 2>/dev/null && rig_mark "$_n.token=yes" ||
		rig_mark "$_n.token=no"
	rig_mark "$_n.sessions=$(ls /sys/class/iscsi_session 2>/dev/null | wc -l)"
	rig_mark "$_n.target=$(cat /sys/class/iscsi_session/*/targetname 2>/dev/null | head -n 1)"
	_nic=$(rig_nic)
	rig_mark "$_n.addr=$(ip -4 -o addr show dev $_nic | awk '{ print $4 }' | head -n 1)"
	# the run's files: no secret in them
	if grep -rqsF -f /rig/secrets /run; then rig_mark "$_n.run_secret=yes"
	else rig_mark "$_n.run_secret=no"; fi
	sanroot-iscsi sessions >/tmp/$_n.sessions 2>&1
	keeper=$(sed -n 's/.*keeper=\([0-9][0-9]*\).*/\1/p' /tmp/$_n.sessions | head -n 1)
	rig_mark "$_n.keeper=${keeper:-none}"
	# down again: the root, the LVs, the sessions (the keeper lets go), the NIC
	umount /newroot 2>/dev/null
	dmsetup remove_all 2>/dev/null
	sanroot-iscsi logout all >/dev/null 2>&1
	rig_mark "$_n.after_logout=$(ls /sys/class/iscsi_session 2>/dev/null | wc -l)"
	if [ -n "$keeper" ]; then
		_i=0
		while [ -d /proc/$keeper ] && [ $_i -lt 50 ]; do usleep 100000; _i=$((_i + 1)); done
		if [ -d /proc/$keeper ]; then
			rig_mark "$_n.keeper_gone=no"
			kill -9 $keeper
		else
			rig_mark "$_n.keeper_gone=yes"
		fi
	fi
	ip addr flush dev $_nic; ip route flush dev $_nic; ip link set $_nic down
	rm -rf /run/sanroot /run/net-*.conf
}

scenario cmdline --cmdline-file /rig/plan.cmdline
scenario conf --conf /rig/sanroot.conf
scenario ibft --ibft-file /rig/ibft.bin
GUEST
rig_initramfs "$T_TMP/initrd.img" init="$T_TMP/test.sh" bin=/sbin/dmsetup \
	file="$T_TMP/plan.cmdline:/rig/plan.cmdline" file="$T_TMP/sanroot.conf:/rig/sanroot.conf" \
	file="$IBFT:/rig/ibft.bin" file="$T_TMP/secrets:/rig/secrets" ||
	{ not_ok "sources: building the initramfs failed"; exit 0; }

rig_boot initrd="$T_TMP/initrd.img" net=10.0.3.0/24 mem="$REFLUN_MEM" timeout=300 ||
	{ not_ok "sources: the guest did not power off in 300 s"; rig_tail 30; }
reflun_stop
echo "# one boot, three scenarios: wall $RIG_WALL s; the guest powered off at $(rig_value uptime) s"
for s in cmdline conf ibft; do
	echo "# $s: sanroot-boot's lines:"
	tr -d '\r' <"$RIG_LOG" | sed -n "s/^.*\[$s\] \(sanroot: [a-z]*: .*\)$/#   \1/p"
done

expect_eq "sources: nothing but the rig's parameters on /proc/cmdline" \
	"$(rig_value cmdline)" "console=ttyS0,panic=-1,quiet"
expect_eq "sources: the sanroot.conf in the guest is root's only" "$(rig_value conf_mode)" 600
for s in cmdline conf ibft; do
	case $s in
	cmdline) what="--cmdline-file, CHAP" iqn=$REFLUN_IQN root=/dev/mapper/client-rootfs ;;
	conf) what="--conf, mutual CHAP" iqn=$REFLUN_IQN root=/dev/mapper/client-rootfs ;;
	ibft) what="--ibft-file (iPXE's table), mutual CHAP" iqn=$IBFT_IQN root=/dev/sd ;;
	esac
	expect_eq "sources: $what: sanroot-boot --until root exits 0" "$(rig_value "$s.rc")" 0
	case $(rig_value "$s.root") in
	"$root"*) ok "sources: $what: the root is mounted ($(rig_value "$s.root"))" ;;
	*) not_ok "sources: $what: the root mounted is '$(rig_value "$s.root")', want $root..." ;;
	esac
	expect_eq "sources: $what: the LUN's file with this run's token is read back" \
		"$(rig_value "$s.token")" yes
	expect_eq "sources: $what: one session" "$(rig_value "$s.sessions")" 1
	expect_eq "sources: $what: the target the source names" "$(rig_value "$s.target")" "$iqn"
	expect_eq "sources: $what: the guest's address" "$(rig_value "$s.addr")" 10.0.3.15/24
	expect_eq "sources: $what: no secret in /run" "$(rig_value "$s.run_secret")" no
	case $(rig_value "$s.keeper") in
	[0-9]*) ok "sources: $what: a keeper held the session" ;;
	*) not_ok "sources: $what: no keeper: '$(rig_value "$s.keeper")'" ;;
	esac
	expect_eq "sources: $what: all down again" "$(rig_value "$s.after_logout")" 0
	expect_eq "sources: $what: the keeper let go at the logout" "$(rig_value "$s.keeper_gone")" yes
done
for p in "$REFLUN_PASS" "$REFLUN_IN_PASS" "$IBFT_PASS" "$IBFT_RPASS"; do
	k=$((${k:-0} + 1))
	if tr -d '\r' <"$RIG_LOG" | grep -qF -e "$p"; then
		not_ok "sources: secret $k reached the console"
	else
		ok "sources: secret $k is not on the console"
	fi
done
expect_eq "sources: the guest's script ended" "$(rig_value end)" 0
