#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What a test run must not leave behind (tests/run calls it around the run).
# Everything the suites start carries the run's marks: processes inherit
# T_RUN_ID in their environment, network namespaces are named
# $T_NS_PREFIX<pid>-NAME (tests/lib.sh, t_netns), and temporary files live
# under $TMPDIR, the run's own folder.
#
#   tests/leftovers.sh snapshot FILE   the host's taps, loop devices and mounts now,
#                                      and (FILE.host) its /boot, generators'
#                                      configuration and services enabled at boot
#                                      (scripts/hoststate.sh; run from the tree's top)
#   tests/leftovers.sh check FILE      "ok"/"not ok" lines: no process, namespace,
#                                      tap, loop device, mount or temporary file of
#                                      the run remains (taps, loops and mounts:
#                                      compared with the snapshot), and the host's
#                                      boot files, configuration and enabled
#                                      services are as they were
set -u
[ $# = 2 ] || { echo "usage: tests/leftovers.sh snapshot|check FILE" >&2; exit 100; }

# state: one line per tap of the host, and per loop device and mount that
# names the run's folder or this tree (other runs on the host come and go)
state() {
	ip -o link show type tun 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print "tap " $2 }'
	{
		losetup -n -l -O NAME,BACK-FILE 2>/dev/null | awk '{ $1 = $1; print "loop " $0 }'
		awk '{ print "mount " $2 " " $1 " " $3 }' /proc/self/mounts
	} | grep -F -e "${TMPDIR:-/nonexistent}" -e "$(pwd)/"
}

case $1 in
snapshot)
	state | LC_ALL=C sort >"$2"
	scripts/hoststate.sh >"$2.host" ;;
check)
	[ -n "${T_RUN_ID:-}" ] && [ -n "${T_NS_PREFIX:-}" ] ||
		{ echo "tests/leftovers.sh: T_RUN_ID and T_NS_PREFIX unset (tests/run sets them)" >&2; exit 100; }
	# This process and what it starts carry T_RUN_ID too: look from outside it.
	me=$$
	# shellcheck disable=SC2016 # the inner shell expands them
	left=$(env -u T_RUN_ID sh -c '
		for e in /proc/[0-9]*/environ; do
			p=${e#/proc/}; p=${p%/environ}
			[ "$p" = "$2" ] && continue
			grep -qxzF "T_RUN_ID=$1" "$e" 2>/dev/null || continue
			echo "$p $(tr "\0" " " <"/proc/$p/cmdline" 2>/dev/null | cut -c1-80)"
		done' _ "$T_RUN_ID" "$me")
	if [ -z "$left" ]; then
		echo "ok leftovers: no process of the run is left"
	else
		echo "not ok leftovers: processes of the run are left: $(echo "$left" | tr '\n' ';')"
	fi
	ns=$(ip netns list 2>/dev/null | awk '{ print $1 }' | grep "^$T_NS_PREFIX")
	if [ -z "$ns" ]; then
		echo "ok leftovers: no network namespace of the run is left"
	else
		echo "not ok leftovers: network namespaces left: $(echo "$ns" | tr '\n' ' ')"
	fi
	state | LC_ALL=C sort >"$2.end"
	for kind in tap loop mount; do
		new=$(LC_ALL=C comm -13 "$2" "$2.end" | grep "^$kind ")
		if [ -z "$new" ]; then
			echo "ok leftovers: no new $kind"
		else
			echo "not ok leftovers: new $kind since the start: $(echo "$new" | cut -d' ' -f2- | tr '\n' ';')"
		fi
	done
	rm -f "$2.end"
	host=$(scripts/hoststate.sh | LC_ALL=C diff "$2.host" - | grep '^[<>]' | head -n 5)
	if [ -z "$host" ]; then
		echo "ok leftovers: /boot, the generators' configuration and the services enabled at boot are as they were"
	else
		echo "not ok leftovers: the host changed (scripts/hoststate.sh): $(echo "$host" | tr '\n' ';')"
	fi
	tmp=$(find "${TMPDIR:-/nonexistent}" -mindepth 1 -maxdepth 1 2>/dev/null | head -n 5)
	if [ -z "$tmp" ]; then
		echo "ok leftovers: no temporary file of the run is left"
	else
		echo "not ok leftovers: temporary files left in $TMPDIR: $(echo "$tmp" | tr '\n' ' ')"
	fi ;;
*) echo "usage: tests/leftovers.sh snapshot|check FILE" >&2; exit 100 ;;
esac
