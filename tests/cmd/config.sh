#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-config as a user (and the boot scripts) run it.
. "$(dirname "$0")/../lib.sh"
CFG=$SANROOT_BIN/sanroot-config
ROOT=$T_TMP/root
mkdir -p "$ROOT/proc" "$ROOT/etc/iscsi" "$ROOT/run" "$ROOT/dev"
FIX=$TOP/tests/fixtures/ibft/ipxe-sanhook-chap.bin
SEED='ip=dhcp root=/dev/mapper/client-rootfs iscsi_initiator=iqn.2013-02.org.example.client:default iscsi_target_name=iqn.2013-02.org.example.target:client iscsi_target_ip=10.0.0.2 iscsi_target_port=3260 iscsi_username=client iscsi_password=secret BOOT_IMAGE=vmlinuz-3.2.0-37-generic BOOTIF=01-52-54-00-f9-94-84'

# Usage and exit codes ---------------------------------------------------------
"$CFG" --help >"$T_TMP/help" 2>&1
expect_eq "help exits 0" "$?" 0
check "help lists --explain" grep -q -- '--explain' "$T_TMP/help"
"$CFG" --bogus >/dev/null 2>"$T_TMP/err"
expect_eq "unknown option exits 100" "$?" 100
"$CFG" extra >/dev/null 2>&1
expect_eq "stray argument exits 100" "$?" 100
"$CFG" --sysroot "$ROOT" --cmdline 'iscsi_target_ip=10.0.0.1 iscsi_target_port=abc' >/dev/null 2>"$T_TMP/err"
expect_eq "malformed value exits 111" "$?" 111
expect_eq "malformed value: one line" "$(wc -l <"$T_TMP/err")" 1
check "malformed value: names the parameter and the column" \
	grep -q 'iscsi_target_port=abc is not a number from 0 to 65535 (--cmdline, column 26)' "$T_TMP/err"
"$CFG" --sysroot "$ROOT" --cmdline 'sanroot.tiemout=3' >/dev/null 2>"$T_TMP/err"
expect_eq "unknown sanroot key exits 111" "$?" 111
check "unknown sanroot key is named" grep -q "unknown parameter 'sanroot.tiemout'" "$T_TMP/err"
# The reason, for sanroot-boot's diagnosis: its name on SANROOT_REASON_FD, nothing in the environment after
SANROOT_REASON_FD=7 "$CFG" --sysroot "$ROOT" --cmdline 'sanroot.tiemout=3' 7>"$T_TMP/why" >/dev/null 2>&1
expect_eq "the reason goes to SANROOT_REASON_FD" "$(cat "$T_TMP/why")" plan-unknown-param
SANROOT_REASON_FD=7 "$CFG" --sysroot "$ROOT" --cmdline 'iscsi_target_port=abc' 7>"$T_TMP/why" >/dev/null 2>&1
expect_eq "no reason for a failure without a known cause" "$(wc -c <"$T_TMP/why")" 0
SANROOT_REASON_FD=1 "$CFG" --sysroot "$ROOT" --cmdline 'sanroot.tiemout=3' >"$T_TMP/why" 2>/dev/null
expect_eq "a standard descriptor is never taken for it" "$(wc -c <"$T_TMP/why")" 0
"$CFG" --sysroot "$ROOT" --cmdline 'quiet splash foo.bar=1' >/dev/null 2>&1
expect_eq "foreign keys are ignored" "$?" 0

# The seed's command line ---------------------------------------------------------
printf '%s\n' "$SEED" >"$ROOT/proc/cmdline"
"$CFG" --sysroot "$ROOT" --explain >"$T_TMP/explain"
expect_eq "explain on the seed exits 0" "$?" 0
check "explain: target and portal" grep -q 'portal 10.0.0.2:3260' "$T_TMP/explain"
check "explain: BOOTIF" grep -q 'MAC 52:54:00:f9:94:84 (BOOTIF)' "$T_TMP/explain"
check "explain: LVM from root=" grep -q 'activate client/rootfs (from root=)' "$T_TMP/explain"
check "explain: secret masked" grep -q 'CHAP: name client, secret \*\*\*\*\*\*\*\*' "$T_TMP/explain"
"$CFG" --sysroot "$ROOT" --shell >"$T_TMP/shell"
( . "$T_TMP/shell"; [ "$SANROOT_TARGET0_NAME" = iqn.2013-02.org.example.target:client ] &&
	[ "$SANROOT_TARGET0_PORTALS" = 10.0.0.2:3260 ] && [ "$SANROOT_BOOTIF" = 52:54:00:f9:94:84 ] &&
	[ "$SANROOT_ROOT_VG" = client ] && [ "$SANROOT_TARGET0_CHAP_SECRET" = '********' ] )
expect_eq "shell output sources and carries the plan" "$?" 0
"$CFG" --sysroot "$ROOT" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["targets"][0]["portals"][0]["port"] == 3260; assert d["targets"][0]["chap_secret"] == "********"'
expect_eq "json output parses and masks" "$?" 0
"$CFG" --sysroot "$ROOT" --json --show-secrets | grep -q '"chap_secret": "secret"'
expect_eq "--show-secrets shows them" "$?" 0

# Hostile values survive --shell byte for byte -----------------------------------------
# A newline can travel inside kernel quotes; quotes, $() and backquotes come through
# iscsi.initramfs' single quotes, which hold anything but '.
printf 'rootflags="a\nb c$(touch %s/pwned1)" init=/sbin/x`touch-%s`y\n' "$T_TMP" "$T_TMP" >"$ROOT/proc/cmdline"
cat >"$ROOT/etc/iscsi/iscsi.initramfs" <<EOF
ISCSI_INITIATOR='iqn.x:"dq" \$(touch $T_TMP/pwned2) \`id\` \\ back'
ISCSI_TARGET_NAME="it's \"quoted\" \\\$HOME"
ISCSI_TARGET_IP=10.0.0.9
EOF
"$CFG" --sysroot "$ROOT" --shell >"$T_TMP/hostile.sh"
expect_eq "hostile plan resolves" "$?" 0
(
	. "$T_TMP/hostile.sh"
	printf '%s' "$SANROOT_ROOTFLAGS" >"$T_TMP/got.flags"
	printf '%s' "$SANROOT_INIT" >"$T_TMP/got.init"
	printf '%s' "$SANROOT_INITIATOR" >"$T_TMP/got.ini"
	printf '%s' "$SANROOT_TARGET0_NAME" >"$T_TMP/got.name"
)
printf 'a\nb c$(touch %s/pwned1)' "$T_TMP" >"$T_TMP/want.flags"
printf '/sbin/x`touch-%s`y' "$T_TMP" >"$T_TMP/want.init"
printf 'iqn.x:"dq" $(touch %s/pwned2) `id` \\ back' "$T_TMP" >"$T_TMP/want.ini"
printf '%s' "it's \"quoted\" \$HOME" >"$T_TMP/want.name"
for v in flags init ini name; do
	check "hostile $v comes back unchanged" cmp -s "$T_TMP/got.$v" "$T_TMP/want.$v"
done
check "nothing was executed" test ! -e "$T_TMP/pwned1" -a ! -e "$T_TMP/pwned2"
rm -f "$ROOT/etc/iscsi/iscsi.initramfs"

# /etc/sanroot.conf: private, or refused --------------------------------------------------
printf 'root=/dev/mapper/client-rootfs iscsi_target_name=iqn.a:t iscsi_target_ip=10.0.2.2\n' >"$ROOT/proc/cmdline"
printf '# credentials\niscsi_username=client\niscsi_password=conf-secret-123\n' >"$ROOT/etc/sanroot.conf"
chmod 644 "$ROOT/etc/sanroot.conf"
"$CFG" --sysroot "$ROOT" >/dev/null 2>"$T_TMP/err"
expect_eq "sanroot.conf readable by others is refused" "$?" 111
check "refusal says why" grep -q 'has mode 0644; it holds secrets' "$T_TMP/err"
chmod 600 "$ROOT/etc/sanroot.conf"
"$CFG" --sysroot "$ROOT" --explain >"$T_TMP/out" 2>&1
expect_eq "sanroot.conf mode 0600 is read" "$?" 0
check "credentials come from sanroot.conf" grep -q 'CHAP: name client' "$T_TMP/out"
for mode in --shell --json --explain; do
	"$CFG" --sysroot "$ROOT" $mode >"$T_TMP/out" 2>&1
	if grep -q conf-secret-123 "$T_TMP/out"; then not_ok "$mode never prints the secret"; else ok "$mode never prints the secret"; fi
done
"$CFG" --sysroot "$ROOT" --conf "$T_TMP/nonexistent" >/dev/null 2>"$T_TMP/err"
expect_eq "a named --conf must exist" "$?" 111
rm -f "$ROOT/etc/sanroot.conf"

# The iBFT: from a file, from low memory, absent ------------------------------------------
"$CFG" --ibft --ibft-file "$FIX" >"$T_TMP/out"
expect_eq "--ibft --ibft-file exits 0" "$?" 0
check "--ibft shows the target" grep -q 'iqn.2013-02.org.example.target:client' "$T_TMP/out"
check "--ibft masks the secret" grep -q 'chap secret        \*\*\*\*\*\*\*\*' "$T_TMP/out"
"$CFG" --ibft --sysroot "$ROOT" >/dev/null 2>"$T_TMP/err"
expect_eq "--ibft without a table exits 111" "$?" 111
check "--ibft without a table says so" grep -q 'unable to find an iBFT' "$T_TMP/err"
truncate -s 1M "$ROOT/dev/mem"
dd if="$FIX" of="$ROOT/dev/mem" bs=1 seek=$((0x9e620)) conv=notrunc status=none
"$CFG" --ibft --sysroot "$ROOT" >"$T_TMP/out"
check "--ibft finds iPXE's table in low memory" grep -q "from low memory ($ROOT/dev/mem)" "$T_TMP/out"
printf 'iscsi_auto root=/dev/mapper/client-rootfs\n' >"$ROOT/proc/cmdline"
"$CFG" --sysroot "$ROOT" --shell >"$T_TMP/out"
( . "$T_TMP/out"; [ "$SANROOT_TARGET0_ORIGIN" = iBFT ] && [ "$SANROOT_TARGET0_LUN" = 1 ] &&
	[ "$SANROOT_INITIATOR" = iqn.2013-02.org.example.client:default ] &&
	[ "$SANROOT_NET0_MAC" = 52:54:00:12:34:56 ] )
expect_eq "iscsi_auto takes target, initiator and NIC from the iBFT" "$?" 0
"$CFG" --sysroot "$ROOT" --no-ibft --explain >"$T_TMP/out"
check "--no-ibft ignores the table" grep -q 'Targets: 0' "$T_TMP/out"
rm -f "$ROOT/dev/mem"

# A DHCP root path left by sanroot-net or klibc ipconfig -------------------------------------
printf 'root=dhcp\n' >"$ROOT/proc/cmdline"
cat >"$ROOT/run/net-ens2.conf" <<'EOF'
DEVICE='ens2'
PROTO='dhcp'
ROOTPATH='iscsi:10.0.3.2::3260:1:iqn.2013-02.org.example.target:dhcp'
EOF
"$CFG" --sysroot "$ROOT" --shell >"$T_TMP/out"
( . "$T_TMP/out"; [ "$SANROOT_TARGET0_NAME" = iqn.2013-02.org.example.target:dhcp ] &&
	[ "$SANROOT_TARGET0_ORIGIN" = DHCP ] )
expect_eq "root=dhcp takes the target from the recorded root path" "$?" 0
