#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Logins that meet a target not ready yet, against a private tgtd, with CHAP:
# a portal that refuses connections and starts listening later, and sixteen
# initiators at once against a target that answers every login with status
# 0x0300 ("target error": tgt's answer while a target is offline) until it
# is set ready. Each must log in and read the right bytes, say why it waits,
# and the sixteen must not wait in step (their pauses are drawn per process).
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/iscsi.sh"

IQN=iqn.2024-01.org.sanroot.test:busy
LUN=$(lun_file disk.img 4 random)
SECRET=$(secret_file chap.secret busy-secret-1)
head -c 1048576 "$LUN" >"$T_TMP/first.mib"
N=16

setup() { tgt_target 1 $IQN && tgt_lun 1 1 "$LUN" && tgt_chap 1 storm busy-secret-1; }

# read_first NAME PORT: sanroot-iscsi reads the LUN's first MiB in the background ($!)
read_first() {
	"$SI_BIN" --no-plan -i "iqn.2024-01.org.sanroot.test:$1" -u storm --password-file "$SECRET" \
		--timeout 30 read "$IQN@127.0.0.1:$2" 1 0 1M >"$T_TMP/$1.out" 2>"$T_TMP/$1.err" &
}

# retries NAME: how many pauses it has told
retries() { grep -c "trying again in" "$T_TMP/$1.err"; }

# ---- a portal that refuses connections, then listens
PORT=$(free_port)
read_first early "$PORT"
EARLY=$!
T_PIDS="$T_PIDS $EARLY"
if wait_for 15 sh -c "[ \$(grep -c 'Connection refused; trying again in' '$T_TMP/early.err') -ge 2 ]"; then
	ok "a refused connection is retried, and told"
else
	not_ok "a refused connection is retried, and told: $(tail -n 2 "$T_TMP/early.err" | tr '\n' ' ')"
fi
tgt_start 127.0.0.1 "$PORT" && setup || not_ok "tgtd: did not start on $PORT"
wait "$EARLY"
rc=$?
if [ "$rc" = 0 ] && cmp -s "$T_TMP/early.out" "$T_TMP/first.mib"; then
	ok "the portal that listened late: logged in, the first MiB read exactly"
else
	not_ok "the portal that listened late: exit $rc: $(tail -n 2 "$T_TMP/early.err" | tr '\n' ' ')"
fi

# ---- sixteen at once against a target that answers "target error" until ready
tgt_adm --op update --mode target --tid 1 --name state --value offline ||
	not_ok "tgtadm could not set the target offline"
pids=""
i=0
while [ $i -lt $N ]; do
	read_first "node$i" "$PORT"
	pids="$pids $!"
	i=$((i + 1))
done
T_PIDS="$T_PIDS $pids"
all_waited() {
	for n in $(seq 0 $((N - 1))); do
		[ "$(retries "node$n")" -ge 2 ] || return 1
	done
}
wait_for 20 all_waited || not_ok "not every initiator retried twice while the target was offline"
grep -q "attempt 1: target reported an internal error; trying again in" "$T_TMP/node0.err" &&
	ok "a login refused with status 0x0300 is retried, and told" ||
	not_ok "a login refused with status 0x0300 is retried, and told: $(head -n 1 "$T_TMP/node0.err")"
# Each initiator's first two pauses: with one shared schedule they would all be equal.
for k in 1 2; do
	distinct=$(for n in $(seq 0 $((N - 1))); do
		sed -n "s/.*attempt $k: .*trying again in \([0-9]*\) ms/\1/p" "$T_TMP/node$n.err"
	done | sort -u | wc -l)
	if [ "$distinct" -ge $((N / 2)) ]; then
		ok "$N initiators started together: pause $k differs between them ($distinct values)"
	else
		not_ok "$N initiators started together: pause $k differs between them: $distinct values"
	fi
done
tgt_adm --op update --mode target --tid 1 --name state --value ready ||
	not_ok "tgtadm could not set the target ready"
failed=0
i=0
for pid in $pids; do
	wait "$pid" && cmp -s "$T_TMP/node$i.out" "$T_TMP/first.mib" || {
		failed=$((failed + 1))
		echo "node$i: $(tail -n 1 "$T_TMP/node$i.err")"
	}
	i=$((i + 1))
done
expect_eq "$N initiators: all logged in once the target was ready, and read the first MiB exactly" \
	"$failed failed" "0 failed"
tgt_stop
