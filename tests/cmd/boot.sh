#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-boot on the host: what it does before the network, and how it fails.
. "$(dirname "$0")/../lib.sh"
BOOT=$SANROOT_BIN/sanroot-boot

"$BOOT" --help >"$T_TMP/help"
expect_eq "help exits 0" "$?" 0
expect_eq "help names the command" "$(head -n 1 "$T_TMP/help")" "Usage: sanroot-boot [OPTION]..."
"$BOOT" --until switch >/dev/null 2>"$T_TMP/err"
expect_eq "--until switch is bad usage" "$?" 100
expect_eq "bad usage points to sanroot-boot --help" "$(tail -n 1 "$T_TMP/err")" "Try 'sanroot-boot --help'."
"$BOOT" --reboot-delay soon >/dev/null 2>&1
expect_eq "a bad --reboot-delay is bad usage" "$?" 100

# --until config: the plan's summary line, nothing else touched.
"$BOOT" --no-reboot --until config --cmdline 'root=/dev/mapper/client-rootfs netroot=iscsi:10.0.2.2::::iqn.a:b sanroot.timeout=40' \
	>"$T_TMP/out" 2>&1
expect_eq "--until config exits 0" "$?" 0
check "config: one summary line" grep -q '^sanroot: config: 1 target(s), root /dev/mapper/client-rootfs, deadline 40 s$' "$T_TMP/out"

# A bad plan: a diagnosis, then exit 111 under --no-reboot.
"$BOOT" --no-reboot --cmdline 'sanroot.tiemout=3' >"$T_TMP/out" 2>&1
expect_eq "a bad parameter fails with 111" "$?" 111
check "names the failed step" grep -q 'FAILED at config after' "$T_TMP/out"
check "gives the likely cause" grep -q 'sanroot.\* parameter is misspelled' "$T_TMP/out"

"$BOOT" --no-reboot --cmdline 'root=/dev/sda1 iscsi_password=not-a-leak-1234' >"$T_TMP/out" 2>&1
expect_eq "no target fails with 111" "$?" 111
check "no target: says so" grep -q 'FAILED at config after .*: no iSCSI target is named' "$T_TMP/out"
check "no target: the cause" grep -q 'nothing names an iSCSI target' "$T_TMP/out"

# What was tried is shown with the secret masked, never the secret itself.
mkdir -p "$T_TMP/bin"
cat >"$T_TMP/bin/sanroot-net" <<'STUB'
#!/bin/sh
echo "sanroot-net: unable to configure ens9: no DHCP server answered within 3 s (4 requests sent)" >&2
# what tool_fail_why() does: the reason's name on the descriptor sanroot-boot gave
[ -n "${SANROOT_REASON_FD:-}" ] && echo dhcp-no-offer >"/proc/self/fd/$SANROOT_REASON_FD"
exit 111
STUB
chmod 755 "$T_TMP/bin/sanroot-net"
"$BOOT" --no-reboot --bin "$T_TMP/bin" \
	--cmdline 'netroot=iscsi:client:not-a-leak-1234@10.0.2.2::::iqn.a:b iscsi_initiator=iqn.x:me sanroot.timeout=5' \
	>"$T_TMP/out" 2>&1
expect_eq "a failed step exits 111" "$?" 111
check "the tool's own line is passed through" grep -q '^sanroot-net: unable to configure ens9' "$T_TMP/out"
check "the failed step and its message" grep -q 'FAILED at net after .*: unable to configure ens9: no DHCP server answered' "$T_TMP/out"
check "what was tried: the target and portal" grep -q 'target iqn.a:b at 10.0.2.2:3260 (from command line)' "$T_TMP/out"
check "what was tried: CHAP user, secret masked" grep -q "CHAP as 'client', secret \*\*\*\*\*\*\*\* (15 bytes)" "$T_TMP/out"
check "likely cause for a DHCP timeout" grep -q 'no DHCP offer: is the cable in and the VLAN right?' "$T_TMP/out"
if grep -q not-a-leak-1234 "$T_TMP/out"; then not_ok "the secret never appears"; else ok "the secret never appears"; fi

# --skip net: the caller's scripts brought the network up; sanroot-net must not run.
cat >"$T_TMP/bin/sanroot-net" <<'STUB'
#!/bin/sh
echo "sanroot-net: ran although --skip net" >&2
exit 111
STUB
cat >"$T_TMP/bin/sanroot-iscsi" <<'STUB'
#!/bin/sh
echo "sanroot-iscsi: unable to log in to 10.0.2.2:3260: cannot connect: Connection refused" >&2
exit 111
STUB
chmod 755 "$T_TMP/bin/sanroot-iscsi"
"$BOOT" --no-reboot --skip net --bin "$T_TMP/bin" \
	--cmdline 'netroot=iscsi:10.0.2.2::::iqn.a:b ip=dhcp sanroot.timeout=5' >"$T_TMP/out" 2>&1
expect_eq "--skip net: the next step's failure exits 111" "$?" 111
check "--skip net: says the network is the caller's" grep -q '^sanroot: net: left to the caller (--skip net)' "$T_TMP/out"
if grep -q 'ran although --skip net' "$T_TMP/out"; then
	not_ok "--skip net: sanroot-net is not run"
else
	ok "--skip net: sanroot-net is not run"
fi
check "--skip net: the iSCSI step runs next" grep -q 'FAILED at iscsi after .*: unable to log in to 10.0.2.2:3260' "$T_TMP/out"
"$BOOT" --skip lvm --until config --cmdline 'netroot=iscsi:10.0.2.2::::iqn.a:b' >/dev/null 2>&1
expect_eq "--skip takes net only" "$?" 100
rm -f "$T_TMP/bin/sanroot-iscsi"

# The plan is read once: sanroot-boot hands its tools the resolved plan on a
# descriptor (a sealed memfd), secrets included. The stub sanroot-net
# removes the command-line file before a real tool reads the plan, so only
# the descriptor can still hold it; it records what it sees.
printf 'netroot=iscsi:client:handed-secret-4321@10.0.2.2::::iqn.a:handed ip=dhcp sanroot.timeout=5\n' \
	>"$T_TMP/handed.cmdline"
cat >"$T_TMP/bin/sanroot-net" <<STUB
#!/bin/sh
rm -f "$T_TMP/handed.cmdline"
"$SANROOT_BIN/sanroot-config" --cmdline-file "$T_TMP/handed.cmdline" --shell --show-secrets \
	>"$T_TMP/handed.plan" 2>"$T_TMP/handed.err"
echo "rc=\$?" >>"$T_TMP/handed.plan"
tr '\\0' '\\n' </proc/self/environ >"$T_TMP/handed.env"
cat /proc/self/cmdline >"$T_TMP/handed.argv"
ls -l /proc/self/fd >"$T_TMP/handed.fds"
exit 111
STUB
chmod 755 "$T_TMP/bin/sanroot-net"
"$BOOT" --no-reboot --bin "$T_TMP/bin" --cmdline-file "$T_TMP/handed.cmdline" >"$T_TMP/out" 2>&1
check "plan handed over: a tool reads it although its source is gone" \
	grep -q '^rc=0$' "$T_TMP/handed.plan"
check "plan handed over: the target" grep -q "iqn.a:handed" "$T_TMP/handed.plan"
check "plan handed over: the CHAP secret, for the tool that needs it" \
	grep -q "handed-secret-4321" "$T_TMP/handed.plan"
check "plan handed over: the descriptor is a memfd" grep -q 'memfd:sanroot-plan' "$T_TMP/handed.fds"
for f in handed.env handed.argv out; do
	if grep -q handed-secret-4321 "$T_TMP/$f"; then
		not_ok "plan handed over: no secret in the tool's $f"
	else
		ok "plan handed over: no secret in the tool's $f"
	fi
done
# without sanroot-boot there is no descriptor: the file is read, and is gone
"$SANROOT_BIN/sanroot-config" --cmdline-file "$T_TMP/handed.cmdline" >/dev/null 2>&1
expect_eq "without sanroot-boot, a tool reads the sources (the file is gone: it fails)" "$?" 111
# a descriptor that holds no plan: said, and the sources are read
printf 'root=/dev/sdz9\n' >"$T_TMP/handed.cmdline"
SANROOT_PLAN_FD=7 "$SANROOT_BIN/sanroot-config" --cmdline-file "$T_TMP/handed.cmdline" \
	7<"$T_TMP/handed.cmdline" >"$T_TMP/handed.plan" 2>"$T_TMP/handed.err"
expect_eq "a descriptor without a plan: the tool goes on" "$?" 0
check "a descriptor without a plan: it says so" \
	grep -q "the plan sanroot-boot handed over is unusable (the plan is cut short (15 bytes)); reading its sources" \
	"$T_TMP/handed.err"
check "a descriptor without a plan: the sources' plan" grep -q "/dev/sdz9" "$T_TMP/handed.plan"

# A tool that hangs is stopped at the deadline.
cat >"$T_TMP/bin/sanroot-net" <<'STUB'
#!/bin/sh
exec sleep 600
STUB
"$BOOT" --no-reboot --bin "$T_TMP/bin" --cmdline 'netroot=iscsi:10.0.2.2::::iqn.a:b sanroot.timeout=2' >"$T_TMP/out" 2>&1
expect_eq "a hung step fails" "$?" 111
check "a hung step is stopped at the deadline" grep -q 'FAILED at net after .*: sanroot-net did not finish before the deadline' "$T_TMP/out"

# sanroot.debug makes every tool verbose (--verbose: sanroot-iscsi's -v, as
# iscsistart's, is --version, which printed the version and "logged in").
"$BOOT" --no-reboot --bin "$SANROOT_BIN" \
	--cmdline 'ip=off sanroot.debug sanroot.timeout=5 netroot=iscsi:127.0.0.1::1::iqn.a:b' >"$T_TMP/out" 2>&1
expect_eq "sanroot.debug: a failed login still fails" "$?" 111
check "sanroot.debug: the login tool's own reason" grep -q 'FAILED at iscsi after .*: unable to' "$T_TMP/out"
if grep -q 'no disk appeared\|^sanroot-iscsi [0-9]' "$T_TMP/out"; then
	not_ok "sanroot.debug: sanroot-iscsi ran as asked, not as --version"
else
	ok "sanroot.debug: sanroot-iscsi ran as asked, not as --version"
fi

# --status reads the running system and changes nothing.
"$BOOT" --status >"$T_TMP/out" 2>&1
expect_eq "--status exits 0" "$?" 0
for section in Links: 'Leases (/run/net-\*.conf, /run/net6-\*.conf):' 'iSCSI sessions:' 'Block devices:' Root:; do
	check "--status: $section" grep -q "^$section" "$T_TMP/out"
done
check "--status: lo is listed" grep -q '^  lo ' "$T_TMP/out"
