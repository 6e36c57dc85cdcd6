#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-iscsi as a user runs it without a target: help, version, and every
# usage error exits 100 with a line that says what is wrong.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/iscsi.sh"

si --help
expect_out "--help prints the usage" "Usage: sanroot-iscsi"
grep -qF "discover PORTAL" "$SI_OUT" && ok "--help names the commands" || not_ok "--help names the commands"
si --version
expect_out "--version" "sanroot-iscsi "
si -v
expect_out "-v is the version, as for iscsistart" "sanroot-iscsi "

si
expect_rc "no command" 100 "no command"
si frobnicate
expect_rc "unknown command" 100 "unknown command 'frobnicate'"
si --bogus probe x@y
expect_rc "unknown option" 100 "Try 'sanroot-iscsi --help'"
si probe
expect_rc "probe without a target or a plan" 100 "no target given"
si probe justaname
expect_rc "probe with a bare name the plan does not know" 100 "is not NAME@PORTAL"
si probe @127.0.0.1
expect_rc "probe with an empty target name" 100 "empty or too long"
si probe iqn.x@127.0.0.1:99999
expect_rc "probe with a bad port" 100 "is not a number from 1 to 65535"
si probe iqn.x@[fd00::1
expect_rc "probe with a broken IPv6 portal" 100 "IPv6"
si probe iscsi://
expect_rc "an empty URL" 100 "no host"
si probe "iscsi://127.0.0.1/iqn.x/abc"
expect_rc "a URL with a bad LUN" 100 "is not a number"
si probe a@b c@d
expect_rc "probe with two targets" 100 "one TARGET"
si -w secret-only probe iqn.x@127.0.0.1
expect_rc "a secret without a name" 100 "needs its name"
si -u alice probe iqn.x@127.0.0.1
expect_rc "a name without a secret" 100 "has no secret"
si -U bob --password-in-file /dev/null probe iqn.x@127.0.0.1
expect_rc "a target name without a secret" 100 "has no secret"
si --digest sometimes probe iqn.x@127.0.0.1
expect_rc "a bad digest mode" 100 "is not none, crc32c"
si --chap-alg md4 probe iqn.x@127.0.0.1
expect_rc "an unknown CHAP algorithm" 100 "unknown CHAP algorithm 'md4'"
si --timeout 0 probe iqn.x@127.0.0.1
expect_rc "a zero timeout" 100 "at least 1"
si --max-recv 100 probe iqn.x@127.0.0.1
expect_rc "a MaxRecvDataSegmentLength below 512" 100 "at least 512"
si read iqn.x@127.0.0.1 1 0
expect_rc "read with too few arguments" 100 "needs TARGET LUN OFFSET LENGTH"
si read iqn.x@127.0.0.1 1 0 5Q
expect_rc "read with a bad length" 100 "is not a number"
si write iqn.x@127.0.0.1 1 0 512 </dev/null
expect_rc "write without --allow-write" 100 "--allow-write"
si --password-file /nonexistent -u a probe iqn.x@127.0.0.1
expect_rc "an unreadable password file" 111 "unable to read /nonexistent"
"$SI_BIN" --conf /nonexistent --cmdline "" probe iqn.x@127.0.0.1 >"$SI_OUT" 2>"$SI_ERR"
SI_RC=$?
expect_rc "an unreadable --conf" 111 "unable to read the boot plan"
