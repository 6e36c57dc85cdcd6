# SPDX-License-Identifier: GPL-2.0-only
# A private tgtd for a test (sourced after tests/lib.sh). Each tgtd gets its
# own control socket (-C) so tests never touch another tgtd, and only the PID
# started here is ever signalled.
#
#   tgt_start [ADDR [PORT]]    start tgtd on ADDR:PORT (default 127.0.0.1, a free port;
#                              IPv6 in brackets: '[::1]'), inside network namespace
#                              $TGT_NETNS when it is set
#   tgt_target TID IQN         new target, open to every initiator
#   tgt_lun TID LUN FILE       a LUN backed by FILE
#   tgt_chap TID USER PASS     CHAP account the initiator must use
#   tgt_chap_out TID USER PASS the account the target answers with (mutual CHAP)
#   tgt_param TID NAME VALUE   e.g. tgt_param 1 HeaderDigest CRC32C
#   tgt_stop                   delete the targets and stop this tgtd
#   tgt_kill / tgt_restart     abrupt stop, and start again on the same port
#   tgt_save NAME / tgt_use NAME  keep this tgtd's state under NAME, and make a kept
#                              one current again: a test with two tgtd (two portals)
#                              starts the second after tgt_save, and switches with tgt_use

tgt_adm() { tgtadm -C "$TGT_C" --lld iscsi "$@"; }

tgt_start() {
	TGT_ADDR=${1:-127.0.0.1}
	TGT_PORT=${2:-$(free_port)}
	while :; do
		TGT_C=$(( ($$ * 7 + $(od -An -N2 -tu2 /dev/urandom)) % 31000 + 1000 ))	# tgtadm -C takes at most 32767
		[ -e "/var/run/tgtd/socket.$TGT_C" ] || break
	done
	TGT_TIDS=""
	_tgt_run
}

_tgt_run() {
	${TGT_NETNS:+ip netns exec "$TGT_NETNS"} tgtd -f -C "$TGT_C" --iscsi "portal=$TGT_ADDR:$TGT_PORT" \
		>>"$T_TMP/tgtd.$TGT_C.log" 2>&1 &
	TGT_PID=$!
	T_PIDS="$T_PIDS $TGT_PID"
	wait_for 10 tgtadm -C "$TGT_C" --op show --mode system >/dev/null ||
		{ echo "tgt_start: tgtd did not come up" >&2; return 1; }
	wait_for 10 sh -c "${TGT_NETNS:+ip netns exec $TGT_NETNS} ss -Hltn 'sport = :$TGT_PORT' | grep -q ."
}

tgt_target() {
	tgt_adm --op new --mode target --tid "$1" -T "$2" &&
	tgt_adm --op bind --mode target --tid "$1" -I ALL &&
	TGT_TIDS="$TGT_TIDS $1"
}

tgt_lun() { tgt_adm --op new --mode logicalunit --tid "$1" --lun "$2" -b "$3"; }

tgt_chap() {
	tgt_adm --op new --mode account --user "$2" --password "$3" 2>/dev/null
	tgt_adm --op bind --mode account --tid "$1" --user "$2"
}

tgt_chap_out() {
	tgt_adm --op new --mode account --user "$2" --password "$3" 2>/dev/null
	tgt_adm --op bind --mode account --tid "$1" --user "$2" --outgoing
}

tgt_param() { tgt_adm --op update --mode target --tid "$1" --name "$2" --value "$3"; }

tgt_stop() {
	[ -n "${TGT_PID:-}" ] || return 0
	for tid in $TGT_TIDS; do
		tgt_adm --op delete --mode target --tid "$tid" --force >/dev/null 2>&1
	done
	tgtadm -C "$TGT_C" --op delete --mode system >/dev/null 2>&1
	i=0
	while kill -0 "$TGT_PID" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$TGT_PID" 2>/dev/null
	wait "$TGT_PID" 2>/dev/null
	rm -f "/var/run/tgtd/socket.$TGT_C" "/var/run/tgtd/socket.$TGT_C.lock"	# tgtd leaves them
	TGT_PID=
}

# Abrupt stop (connections die, no logout), keeping the configuration in
# TGT_* so that tgt_restart can recreate it with the given setup function.
tgt_kill() {
	kill -9 "$TGT_PID" 2>/dev/null
	wait "$TGT_PID" 2>/dev/null
	rm -f "/var/run/tgtd/socket.$TGT_C" "/var/run/tgtd/socket.$TGT_C.lock"
	TGT_PID=
}

tgt_save() {
	eval "_tgt_$1=\"\$TGT_C \$TGT_PID \$TGT_ADDR \$TGT_PORT \${TGT_NETNS:--} \$TGT_TIDS\""
	TGT_PID=
}

tgt_use() {
	# shellcheck disable=SC2046 # the words saved
	set -- $(eval "echo \$_tgt_$1")
	TGT_C=$1 TGT_PID=$2 TGT_ADDR=$3 TGT_PORT=$4 TGT_NETNS=$5
	[ "$TGT_NETNS" = - ] && TGT_NETNS=
	shift 5
	TGT_TIDS="$*"
}

# tgt_restart SETUP_FUNCTION: start again on the same address and port.
# The targets are set up behind a portal of its own, and the real one opens
# after: a client retrying meanwhile meets a refused connection, never a
# tgtd without its target ("not found", which no initiator retries).
tgt_restart() {
	TGT_TIDS=""
	_tgt_port=$TGT_PORT
	TGT_PORT=$(free_port)
	if ! _tgt_run || ! "$1"; then
		TGT_PORT=$_tgt_port
		return 1
	fi
	tgt_adm --op new --mode portal --param "portal=$TGT_ADDR:$_tgt_port" &&
		tgt_adm --op delete --mode portal --param "portal=$TGT_ADDR:$TGT_PORT"
	_tgt_rc=$?
	TGT_PORT=$_tgt_port
	[ $_tgt_rc = 0 ] &&
		wait_for 10 sh -c "${TGT_NETNS:+ip netns exec $TGT_NETNS} ss -Hltn 'sport = :$TGT_PORT' | grep -q ."
}
