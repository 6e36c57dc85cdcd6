#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-iscsi when things go wrong: tgtd stopped in the middle of a login and
# then back, a peer that never answers, a closed port, redirections (from a
# small proxy written here), portal failover, and a discovery answer that
# names a loopback portal because the target sits behind NAT.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/iscsi.sh"

IQN=iqn.2024-01.org.sanroot.test:faults
LUN=$(lun_file disk.img 4 random)

setup() { tgt_target 1 $IQN && tgt_lun 1 1 "$LUN"; }

# A login "proxy" that answers every login with a redirection (RFC 7143 §11.13.5).
cat >"$T_TMP/redirect.py" <<'PY'
import socket, sys
port_file, address, status = sys.argv[1], sys.argv[2], int(sys.argv[3], 16)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 0))
s.listen(16)
if address == 'self':
    address = '127.0.0.1:%d' % s.getsockname()[1]
open(port_file + '.tmp', 'w').write('%d\n' % s.getsockname()[1])
import os; os.rename(port_file + '.tmp', port_file)
def recvall(c, n):
    b = b''
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d:
            raise EOFError
        b += d
    return b
while True:
    c, _ = s.accept()
    try:
        h = recvall(c, 48)
        n = int.from_bytes(h[5:8], 'big')
        recvall(c, n + (-n) % 4)
        data = b'TargetAddress=' + address.encode() + b',1\0'
        r = bytearray(48)
        r[0] = 0x23
        r[1] = h[1] & 0x0c
        r[5:8] = len(data).to_bytes(3, 'big')
        r[8:14] = h[8:14]
        r[16:20] = h[16:20]
        r[36], r[37] = status >> 8, status & 0xff
        c.sendall(bytes(r) + data + bytes((-len(data)) % 4))
    except (EOFError, OSError):
        pass
    c.close()
PY

# A peer that accepts connections and never says a word.
cat >"$T_TMP/silent.py" <<'PY'
import socket, sys, time
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(16)
open(sys.argv[1] + '.tmp', 'w').write('%d\n' % s.getsockname()[1])
import os; os.rename(sys.argv[1] + '.tmp', sys.argv[1])
held = []
while True:
    c, _ = s.accept()
    held.append(c)
PY

# A TCP relay: what a NAT between initiator and target looks like to the target.
cat >"$T_TMP/relay.py" <<'PY'
import socket, sys, threading
la, lp, ta, tp = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((la, lp))
s.listen(16)
def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for x in (a, b):
        try:
            x.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
while True:
    c, _ = s.accept()
    u = socket.create_connection((ta, tp))
    threading.Thread(target=pump, args=(c, u), daemon=True).start()
    threading.Thread(target=pump, args=(u, c), daemon=True).start()
PY

# start_py NAME SCRIPT ARGS...: run a helper; its port file is $T_TMP/NAME.port
start_py() {
	name=$1; shift
	t_spawn python3 "$@"
	wait_for 10 test -s "$T_TMP/$name.port" || { not_ok "$name: helper did not start"; return 1; }
}

tgt_start || { not_ok "tgtd: did not start"; exit 1; }
setup || { not_ok "tgtd: setup failed"; exit 1; }
P=127.0.0.1:$TGT_PORT

# ---- tgtd stopped in the middle of a login, then back: the retry logs in
kill -STOP "$TGT_PID"
"$SI_BIN" --no-plan -d 1 --timeout 60 probe $IQN@$P >"$T_TMP/mid.out" 2>"$T_TMP/mid.err" &
SIPID=$!
# The login request is out once the connection stands; tgtd, stopped, cannot answer.
wait_for 10 sh -c "ss -tn state established '( dport = :$TGT_PORT )' | grep -q $TGT_PORT"
tgt_kill
wait_for 10 grep -q "trying again" "$T_TMP/mid.err"
tgt_restart setup || not_ok "tgtd: restart failed"
wait "$SIPID"
rc=$?
if [ "$rc" = 0 ] && grep -q "^lun 1 type=disk" "$T_TMP/mid.out"; then
	ok "tgtd stopped mid-login, then back: the retry logs in"
else
	not_ok "tgtd stopped mid-login, then back: exit $rc $(tail -n 2 "$T_TMP/mid.err" | tr '\n' ' ')"
fi
grep -q "closed the connection\|connection lost\|cannot connect" "$T_TMP/mid.err" &&
	ok "the failed attempts are reported" || not_ok "the failed attempts are reported"

# ---- a peer that never answers
start_py silent "$T_TMP/silent.py" "$T_TMP/silent.port"
SILENT=127.0.0.1:$(cat "$T_TMP/silent.port")
si --timeout 3 probe $IQN@$SILENT
expect_rc "a silent peer hits the timeout" 111 "did not answer in time"

# ---- a closed port
DEAD=$(free_port)
si --timeout 2 --retries 2 probe $IQN@127.0.0.1:$DEAD
expect_rc "a closed port is named" 111 "at 127.0.0.1:$DEAD: cannot connect: Connection refused"

# ---- failover: the plan lists a dead portal, then the live one
: >"$T_TMP/empty.conf" && chmod 600 "$T_TMP/empty.conf"
"$SI_BIN" -d 1 --conf "$T_TMP/empty.conf" --cmdline \
	"iscsi_target_name=$IQN iscsi_target_ip=\"127.0.0.1:$DEAD 127.0.0.1:$TGT_PORT\"" probe \
	>"$SI_OUT" 2>"$SI_ERR"
SI_RC=$?
expect_out "failover: the second portal of the plan logs in" "portal=$P"
grep -qF "127.0.0.1:$DEAD: cannot connect: Connection refused" "$SI_ERR" && ok "failover: the dead portal is reported" ||
	not_ok "failover: the dead portal is reported"

# ---- redirection, temporary and permanent, and a loop
start_py redirect "$T_TMP/redirect.py" "$T_TMP/redirect.port" "$P" 0101
R=127.0.0.1:$(cat "$T_TMP/redirect.port")
si -d 1 probe $IQN@$R
expect_out "a temporary redirection is followed" "portal=$P"
grep -qF "$R redirects us temporarily to $P" "$SI_ERR" && ok "the redirection is reported" ||
	not_ok "the redirection is reported: $(cat "$SI_ERR")"
start_py redirect2 "$T_TMP/redirect.py" "$T_TMP/redirect2.port" "$P" 0102
si probe $IQN@127.0.0.1:$(cat "$T_TMP/redirect2.port")
expect_out "a permanent redirection is followed" "portal=$P"
start_py loop "$T_TMP/redirect.py" "$T_TMP/loop.port" self 0101
si --timeout 10 probe $IQN@127.0.0.1:$(cat "$T_TMP/loop.port")
expect_rc "a redirection loop ends" 111 "redirected us more than 4 times"

tgt_stop

# ---- discovery through NAT: tgtd answers with the loopback address it was
# reached on, and we keep the portal we asked. Everything runs in a private
# network namespace where lo also holds 10.0.2.2, as DESIGN.md describes.
if t_netns NS nat && ip -n "$NS" addr add 10.0.2.2/32 dev lo; then
	TGT_NETNS=$NS
	if tgt_start 127.0.0.1 3260 && setup; then
		t_spawn ip netns exec "$NS" python3 "$T_TMP/relay.py" 10.0.2.2 13260 127.0.0.1 3260
		wait_for 10 sh -c "ip netns exec $NS ss -ltn | grep -q '10.0.2.2:13260 '"
		ip netns exec "$NS" "$SI_BIN" --no-plan discover 10.0.2.2:13260 >"$SI_OUT" 2>"$SI_ERR"
		SI_RC=$?
		expect_out "discovery through NAT keeps the portal we asked" "10.0.2.2:13260,1 $IQN"
		grep -qF "loopback or unusable portal" "$SI_ERR" && ok "the replaced portal is warned about" ||
			not_ok "the replaced portal is warned about"
		ip netns exec "$NS" "$SI_BIN" --no-plan discover 127.0.0.1:3260 >"$SI_OUT" 2>"$SI_ERR"
		SI_RC=$?
		expect_out "discovery on loopback keeps the target's answer" "127.0.0.1:3260,1 $IQN"
		ip netns exec "$NS" "$SI_BIN" --no-plan probe $IQN@10.0.2.2:13260 >"$SI_OUT" 2>"$SI_ERR"
		SI_RC=$?
		expect_out "probe through NAT" "lun 1 type=disk"
	else
		not_ok "tgtd in a namespace did not start"
	fi
	tgt_stop
	TGT_NETNS=
else
	not_ok "no network namespace for the NAT case"
fi
