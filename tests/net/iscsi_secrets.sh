#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Secrets never leave sanroot-iscsi: every command runs with CHAP secrets at
# the highest verbosity, on success and on failure, with the secrets in files,
# the plan, argv and a URL; its output, and its /proc/PID/cmdline and environ
# while it runs, must not hold them.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/iscsi.sh"

IQN=iqn.2024-01.org.sanroot.test:secrets
ONEWAY=iqn.2024-01.org.sanroot.test:oneway
IS=sEcReT-InItIaToR-7f3a91c2
TS=sEcReT-TaRgEt-22be05d4
WRONG=sEcReT-WrOnG-9182736455
LUN=$(lun_file disk.img 4 random)

setup() {
	tgt_target 1 $IQN && tgt_lun 1 1 "$LUN" && tgt_chap 1 initiator "$IS" &&
	tgt_chap_out 1 outgoing "$TS" &&
	tgt_target 2 $ONEWAY && tgt_lun 2 1 "$LUN" && tgt_chap 2 initiator "$IS"
}
tgt_start || { not_ok "tgtd: did not start"; exit 1; }
setup || { not_ok "tgtd: setup failed"; exit 1; }
P=127.0.0.1:$TGT_PORT

IPW=$(secret_file ipw "$IS")
OPW=$(secret_file opw "$TS")
BAD=$(secret_file bad "$WRONG")
(umask 077 && printf 'iscsi_username=initiator iscsi_password=%s\niscsi_in_username=outgoing iscsi_in_password=%s\n' \
	"$IS" "$TS" >"$T_TMP/sanroot.conf")
CREDS="-u initiator --password-file $IPW -U outgoing --password-in-file $OPW"
n=0

# leaks NAME FILE...: ok if no file holds any of the secrets
leaks() {
	name=$1; shift
	if grep -qaF -e "$IS" -e "$TS" -e "$WRONG" "$@"; then
		not_ok "$name: a secret is in the output"
	else
		ok "$name: no secret in the output"
	fi
}

# run NAME WANT_RC ARGS...: run with -d 3, keep all output, check the status
run() {
	name=$1 want=$2; shift 2
	n=$((n + 1))
	"$SI_BIN" -d 3 "$@" >"$T_TMP/out.$n" 2>"$T_TMP/err.$n" <"$T_TMP/input"
	rc=$?
	[ "$rc" = "$want" ] || not_ok "$name: exit $rc, want $want: $(tail -n1 "$T_TMP/err.$n")"
	[ -s "$T_TMP/err.$n" ] || not_ok "$name: nothing logged at -d 3"
	leaks "$name" "$T_TMP/out.$n" "$T_TMP/err.$n"
}

head -c 65536 /dev/urandom >"$T_TMP/input"
run "discover" 0 --no-plan --noauth $CREDS discover $P
run "probe" 0 --no-plan $CREDS probe $IQN@$P
run "read" 0 --no-plan $CREDS read $IQN@$P 1 0 65536
run "write" 0 --no-plan $CREDS --allow-write write $IQN@$P 1 0 65536
run "probe, wrong initiator secret" 111 --no-plan -u initiator --password-file "$BAD" \
	-U outgoing --password-in-file "$OPW" probe $IQN@$P
run "probe, wrong target secret" 111 --no-plan -u initiator --password-file "$IPW" \
	-U outgoing --password-in-file "$BAD" probe $IQN@$P
run "probe, MD5" 0 --no-plan --chap-alg md5 $CREDS probe $IQN@$P
run "probe, plan" 0 --conf "$T_TMP/sanroot.conf" --cmdline "iscsi_target_name=$IQN iscsi_target_ip=$P" probe
run "probe, argv" 0 --no-plan -u initiator -w "$IS" -U outgoing -W "$TS" probe $IQN@$P
grep -qF "visible to other users" "$T_TMP/err.$n" && ok "a secret in argv is warned about" ||
	not_ok "a secret in argv is warned about"
run "probe, URL" 0 --no-plan probe "iscsi://initiator%$IS@$P/$ONEWAY/1"
run "usage error" 100 --no-plan -w "$IS" probe $IQN@$P

# /proc/PID/cmdline and environ while the tool waits on a peer that never answers.
cat >"$T_TMP/silent.py" <<'PY'
import os, socket, sys
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(16)
open(sys.argv[1] + '.tmp', 'w').write('%d\n' % s.getsockname()[1])
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
held = []
while True:
    held.append(s.accept()[0])
PY
t_spawn python3 "$T_TMP/silent.py" "$T_TMP/silent.port"
wait_for 10 test -s "$T_TMP/silent.port"
S=127.0.0.1:$(cat "$T_TMP/silent.port")

# inflight NAME ARGS...: start the tool against the silent peer and read its /proc files
inflight() {
	name=$1; shift
	"$SI_BIN" --no-plan --timeout 30 "$@" >/dev/null 2>&1 &
	pid=$!
	wait_for 10 sh -c "ss -tnp state established '( dport = :${S##*:} )' | grep -q pid=$pid," ||
		not_ok "$name: never connected"
	tr '\0' ' ' <"/proc/$pid/cmdline" >"$T_TMP/cmdline.$pid" 2>/dev/null
	tr '\0' '\n' <"/proc/$pid/environ" >"$T_TMP/environ.$pid" 2>/dev/null
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ ! -s "$T_TMP/cmdline.$pid" ]; then
		not_ok "$name: could not read /proc/$pid/cmdline"
	elif grep -qaF -e "$IS" -e "$TS" "$T_TMP/cmdline.$pid" "$T_TMP/environ.$pid"; then
		not_ok "$name: a secret is in /proc/PID/cmdline or environ"
	else
		ok "$name: no secret in /proc/PID/cmdline or environ"
	fi
}
inflight "files" $CREDS probe $IQN@$S
inflight "argv, hidden once read" -u initiator -w "$IS" -U outgoing -W "$TS" probe $IQN@$S
inflight "URL, hidden once read" probe "iscsi://initiator%$IS@$S/$IQN/1"
inflight "plan" --conf "$T_TMP/sanroot.conf" probe "$IQN@$S"

tgt_stop
