#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# CHAP secrets in memory: a tool that never needs them (sanroot-net) holds no
# copy of the ones its plan names while it runs, and a tool that needs them
# (sanroot-iscsi, logging in) does: the second proves the scan finds them.
# The shipped static tools are scanned (readable mappings of /proc/PID/mem).
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/netns.sh"
BIN=$TOP/${B:-build}/static/bin
IS=sEcReT-mEmOrY-InItIaToR-5b1e
TS=sEcReT-mEmOrY-TaRgEt-a07c93

(umask 077 && printf 'iscsi_username=initiator\niscsi_password=%s\niscsi_in_username=target\niscsi_in_password=%s\n' \
	"$IS" "$TS" >"$T_TMP/sanroot.conf")
PLAN='iscsi_initiator=iqn.2024-01.org.sanroot.test:mem iscsi_target_name=iqn.2024-01.org.sanroot.test:t'

cat >"$T_TMP/scan.py" <<'PY'
import re, sys
pid, needles = sys.argv[1], [n.encode() for n in sys.argv[2:]]
found = set()
with open('/proc/%s/maps' % pid) as maps, open('/proc/%s/mem' % pid, 'rb', 0) as mem:
    for line in maps:
        f = line.split()
        if f[1][0] != 'r' or (len(f) > 5 and f[5] in ('[vvar]', '[vsyscall]')):
            continue
        lo, hi = (int(x, 16) for x in f[0].split('-'))
        try:
            mem.seek(lo)
            data = mem.read(hi - lo)
        except OSError:
            continue
        found.update(n for n in needles if n in data)
print(len(found))
PY

# held NAME PID: how many of the two secrets the process's memory holds
held() {
	python3 "$T_TMP/scan.py" "$2" "$IS" "$TS" 2>/dev/null || echo unreadable
}

# sanroot-net: waits for a DHCP server that never answers.
net_pair 0
ip netns exec "$C" "$BIN/sanroot-net" --conf "$T_TMP/sanroot.conf" --no-ibft \
	--cmdline "$PLAN iscsi_target_ip=10.9.0.1 ip=dhcp" -t 30 >"$T_TMP/net.out" 2>&1 &
pid=$!
wait_for 10 sh -c "grep -q 'sanroot-net' /proc/$pid/cmdline 2>/dev/null && sleep 1"
expect_eq "sanroot-net: no secret of its plan in its memory" "$(held net "$pid")" 0
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null || true

# The same with the plan from an iBFT (iPXE's real table with mutual CHAP).
ip netns exec "$C" "$BIN/sanroot-net" --ibft-file "$TOP/tests/fixtures/ibft/ipxe-sanhook-mutual.bin" \
	--cmdline "ip=dhcp" -t 30 >"$T_TMP/net-ibft.out" 2>&1 &
pid=$!
wait_for 10 sh -c "grep -q 'sanroot-net' /proc/$pid/cmdline 2>/dev/null && sleep 1"
expect_eq "sanroot-net: no secret of the iBFT in its memory" \
	"$(python3 "$T_TMP/scan.py" "$pid" ibft-chap-secret ibft-target-secret 2>/dev/null || echo unreadable)" 0
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null || true

# The lease keeper sanroot-net leaves (--keep-lease): it lives for months in
# the real root, forked from a process that read the plan.
dnsmasq_start --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,2m
net_run "$BIN/sanroot-net" --keep-lease --conf "$T_TMP/sanroot.conf" --no-ibft \
	--cmdline "$PLAN iscsi_target_ip=10.9.0.1 ip=dhcp" -t 30
keeper=''
for p in $(ip netns pids "$C"); do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = @sanroot-lease ] && keeper=$p
done
if [ -n "$keeper" ]; then
	expect_eq "sanroot-net's lease keeper: no secret of its plan in its memory" \
		"$(held lease "$keeper")" 0
	kill "$keeper"
else
	not_ok "sanroot-net's lease keeper: it did not start: $(tail -n 2 "$T_TMP/out")"
fi
server_stop

# sanroot-lvm and sanroot-pivot: wait for a device that never comes.
"$BIN/sanroot-lvm" --conf "$T_TMP/sanroot.conf" --no-ibft --cmdline "$PLAN iscsi_target_ip=10.9.0.1" \
	--dry-run --wait 30 --lv client/rootfs "$T_TMP/never" >"$T_TMP/lvm.out" 2>&1 &
pid=$!
"$BIN/sanroot-pivot" --conf "$T_TMP/sanroot.conf" --no-ibft --timeout 30 --dry-run \
	--cmdline "$PLAN iscsi_target_ip=10.9.0.1 root=UUID=00000000-0000-4000-8000-000000000000" \
	>"$T_TMP/pivot.out" 2>&1 &
pid2=$!
sleep 2
expect_eq "sanroot-lvm: no secret of its plan in its memory" "$(held lvm "$pid")" 0
expect_eq "sanroot-pivot: no secret of its plan in its memory" "$(held pivot "$pid2")" 0
kill "$pid" "$pid2" 2>/dev/null
wait "$pid" "$pid2" 2>/dev/null || true

# sanroot-iscsi: logs in to a peer that accepts and never answers.
cat >"$T_TMP/silent.py" <<'PY'
import socket, sys
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(4)
open(sys.argv[1] + '.tmp', 'w').write('%d\n' % s.getsockname()[1])
__import__('os').rename(sys.argv[1] + '.tmp', sys.argv[1])
held = []
while True:
    held.append(s.accept()[0])
PY
t_spawn python3 "$T_TMP/silent.py" "$T_TMP/silent.port"
wait_for 10 test -s "$T_TMP/silent.port"
port=$(cat "$T_TMP/silent.port")
"$BIN/sanroot-iscsi" --conf "$T_TMP/sanroot.conf" --no-ibft --timeout 30 \
	--cmdline "$PLAN iscsi_target_ip=127.0.0.1 iscsi_target_port=$port" probe >"$T_TMP/iscsi.out" 2>&1 &
pid=$!
wait_for 10 sh -c "ss -tnp state established '( dport = :$port )' | grep -q pid=$pid,"
expect_eq "sanroot-iscsi: the scan finds the secrets it needs" "$(held iscsi "$pid")" 2
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null || true
