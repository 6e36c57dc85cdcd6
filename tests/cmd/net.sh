#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-net as a user runs it, without touching any interface: help,
# version, exit codes for bad usage, and what it refuses before doing anything.
. "$(dirname "$0")/../lib.sh"
net=$SANROOT_BIN/sanroot-net

"$net" --help >"$T_TMP/out" 2>&1
expect_eq "--help: exit 0" "$?" 0
check "--help: klibc's options" grep -q -- "-d, --device ARG" "$T_TMP/out"
"$net" --version >"$T_TMP/out" 2>&1
expect_eq "--version: exit 0" "$?" 0
check "--version: names the tool" grep -q "^sanroot-net " "$T_TMP/out"

# usage NAME ARGS...: exit 100 with "sanroot-net: ..." and the --help hint.
usage() {
	name=$1; shift
	"$net" --cmdline quiet --no-ibft "$@" >"$T_TMP/out" 2>&1
	rc=$?
	if [ "$rc" = 100 ] && grep -q "^Try 'sanroot-net --help'" "$T_TMP/out"; then
		ok "$name: exit 100"
	else
		not_ok "$name: exit $rc: $(head -n 1 "$T_TMP/out")"
	fi
}
usage "unknown option" --frobnicate
usage "klibc's -p (not supported)" -p 6000 eth9
usage "timeout not a number" -t soon eth9
usage "negative timeout" -t -1 eth9
usage "RARP" -c rarp eth9
usage "unknown method" -c magic eth9
usage "bad ip= in -d" -d "10.0.0.300::::::off"
usage "long interface name" -d abcdefghijklmnopqrstuvwxyz
usage "vendor class too long" -i "$(printf '%0300d' 0)" eth9

"$net" --no-ibft -t 1 --cmdline "sanroot.bogus=1" >"$T_TMP/out" 2>&1
expect_eq "bad boot plan: exit 111" "$?" 111
check "bad boot plan: says so" grep -q "^sanroot-net: unable to read the boot plan: " "$T_TMP/out"

"$net" --no-ibft -t 1 --cmdline quiet -d ip=ibft >"$T_TMP/out" 2>&1
expect_eq "ip=ibft without a table: exit 111" "$?" 111
check "ip=ibft without a table: says so" grep -q "the boot plan has no iBFT NIC" "$T_TMP/out"

"$net" --no-ibft -t 1 --cmdline "ip=off" >"$T_TMP/out" 2>&1
expect_eq "ip=off: exit 0" "$?" 0
