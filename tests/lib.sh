# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for the shell test suites (sourced). Tests print "ok NAME"
# or "not ok NAME: why"; tests/run counts the lines.

: "${SANROOT_BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/asan/bin}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sanroot-test.XXXXXX")
T_PIDS=""
T_NETNS=""
t_cleanup() {
	for pid in $T_PIDS; do kill -9 "$pid" 2>/dev/null; done
	# what runs in our namespaces is ours: daemons a tool left there (the lease keeper)
	for ns in $T_NETNS; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT INT TERM

ok() { echo "ok $*"; }
not_ok() { echo "not ok $*"; }

# check NAME COMMAND...: ok if the command succeeds.
check() {
	name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name: $* failed"; fi
}

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi
}

# t_spawn COMMAND...: start a server in the background; its PID is killed at exit.
t_spawn() {
	"$@" &
	T_PIDS="$T_PIDS $!"
	T_LAST_PID=$!
}

# free_port: a TCP port nobody listens on, picked by the kernel.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# t_netns VAR NAME: create a namespace, removed at exit, and set VAR to its
# name (T_NS_PREFIX, PID, NAME: tests/run's prefix, default "sr"). It sets a
# variable rather than printing the name: in $(...) it would run in a subshell,
# and the exit trap would never learn of the namespace.
t_netns() {
	case $1 in ''|*[!A-Za-z0-9_]*) echo "t_netns: VAR NAME" >&2; return 100 ;; esac
	_ns="${T_NS_PREFIX:-sr}$$-$2"
	ip netns add "$_ns" || return 1
	T_NETNS="$T_NETNS $_ns"
	ip -n "$_ns" link set lo up
	eval "$1=\$_ns"
}

# wait_for SECONDS COMMAND...: poll until the command succeeds.
wait_for() {
	limit=$1; shift
	i=0
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -ge $((limit * 10)) ] && return 1
		sleep 0.1
	done
}
