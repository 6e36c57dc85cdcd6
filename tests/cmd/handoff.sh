#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-iscsi login, logout, sessions, keep and its iscsistart personality,
# as far as a host without the kernel's iSCSI initiator can take them: usage
# errors exit 100 with a line that names them; a missing kernel side exits
# 111 and says so. The real handoff runs in tests/vm/handoff.sh.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/iscsi.sh"

# run ARGS...: sanroot-iscsi with the given boot plan text only
run() {
	"$SI_BIN" "$@" >"$SI_OUT" 2>"$SI_ERR"
	SI_RC=$?
}
ln -s "$SI_BIN" "$T_TMP/iscsistart"
is() {
	"$T_TMP/iscsistart" "$@" >"$SI_OUT" 2>"$SI_ERR"
	SI_RC=$?
}
plan="netroot=iscsi:127.0.0.1::3260:1:iqn.2024-01.org.example:disk"

si --help
expect_out "--help names login" "login "
grep -qF "keep [SID...]" "$SI_OUT" && ok "--help names keep" || not_ok "--help names keep"
run --no-plan login
expect_rc "login without a plan" 111 "no boot plan"
run --cmdline "" login
expect_rc "login with a plan that names no target" 100 "no target to log in to"
run --cmdline "$plan" login extra
expect_rc "login takes no argument" 100 "login takes no argument"
run --cmdline "$plan" -P bogus login
expect_rc "-P without =" 100 "-P 'bogus' is not NAME=VALUE"
run --cmdline "$plan" -P replacement_timeout=soon login
expect_rc "-P with a bad value" 100 "node.session.timeo.replacement_timeout=soon: not a number"
run --cmdline "$plan rd.iscsi.param=node.session.cmds_max=1" login
expect_rc "rd.iscsi.param with a value out of range" 100 "rd.iscsi.param: node.session.cmds_max=1"
if [ -e /sys/class/iscsi_transport/tcp ]; then
	ok "# skip: this host has iscsi_tcp"
else
	run --cmdline "$plan rd.iscsi.param=node.startup=automatic" login
	expect_rc "login without iscsi_tcp in the kernel" 111 \
		"unable to reach the kernel's iSCSI initiator: no iSCSI transport 'tcp'"
	grep -qF "ignoring 'node.startup=automatic'" "$SI_ERR" &&
		ok "an rd.iscsi.param sanroot does not use is named" ||
		not_ok "an rd.iscsi.param sanroot does not use is named: $(cat "$SI_ERR")"
fi
run --no-plan sessions
[ "$SI_RC" = 0 ] && [ ! -s "$SI_OUT" ] && ok "sessions with none lists nothing" ||
	not_ok "sessions with none lists nothing: exit $SI_RC"
run --no-plan logout x
expect_rc "logout with a bad SID" 100 "'x' is not a session id"
run --no-plan logout 4242
expect_rc "logout of a session that does not exist" 111 "no such iSCSI session"
run --no-plan logout all
[ "$SI_RC" = 0 ] && ok "logout all with none" || not_ok "logout all with none: exit $SI_RC"
run --no-plan keep
expect_rc "keep with no session" 111 "no iSCSI session without a keeper"
run --no-plan keep 4242
expect_rc "keep of a session that does not exist" 111 "no such iSCSI session"

# iscsistart
is -h
expect_out "iscsistart -h" "Usage: iscsistart"
is --version
expect_out "iscsistart --version" "iscsistart (sanroot-iscsi "
is -x
expect_rc "iscsistart: unknown option" 100 "iscsistart: unknown option '-x'"
is -t iqn.x:y
expect_rc "iscsistart: a target without an address" 100 "needs -t NAME and -a ADDRESS"
is -t iqn.x:y -a 127.0.0.1 -p 0
expect_rc "iscsistart: port 0" 100 "-p '0' is not a port"
is -t iqn.x:y -a 127.0.0.1 -w not-shown-anywhere
expect_rc "iscsistart: -w without -u" 100 "-w needs its name (-u)"
grep -q not-shown-anywhere "$SI_ERR" && not_ok "iscsistart: the secret stays out of messages" ||
	ok "iscsistart: the secret stays out of messages"
is -t iqn.x:y -a 127.0.0.1 stray
expect_rc "iscsistart: an operand" 100 "unexpected argument 'stray'"
PATH=/nonexistent "$T_TMP/iscsistart" -N >"$SI_OUT" 2>"$SI_ERR"
SI_RC=$?
expect_rc "iscsistart -N without sanroot-net" 111 "sanroot-net is not installed"
if [ -e /sys/firmware/ibft ] || [ -e /sys/firmware/acpi/tables/iBFT ]; then
	ok "# skip: this host has an iBFT"
else
	is -f
	expect_rc "iscsistart -f without an iBFT fails as iscsistart does" 111 "unable to read the iBFT"
	is -b
	expect_rc "iscsistart -b without an iBFT" 111 "unable to read the iBFT"
fi
if [ ! -e /sys/class/iscsi_transport/tcp ]; then
	# iscsistart's options alone, under sanroot-iscsi's own name
	"$SI_BIN" -i iqn.x:i -t iqn.x:y -g 1 -a 127.0.0.1 -p 3260 -u u -w not-shown-anywhere \
		>"$SI_OUT" 2>"$SI_ERR"
	SI_RC=$?
	expect_rc "iscsistart's options under sanroot-iscsi's name" 111 \
		"iscsistart: unable to reach the kernel's iSCSI initiator"
	grep -q not-shown-anywhere "$SI_ERR" && not_ok "no secret in the messages" ||
		ok "no secret in the messages"
fi
