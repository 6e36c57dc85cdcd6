# SPDX-License-Identifier: GPL-2.0-only
# lib/iscsi_nl against the real kernel: one boot runs tests/vm/nl_smoke.c,
# first without crc32c (CREATE_CONN must fail with ENOMEM), then with it:
# session, connection, parameters, BIND_CONN to a TCP connection to the
# host, a login PDU out through SEND_PDU (checked byte by byte here) and a
# response back as RECV_PDU, the CONN_ERROR when the host closes, teardown.
# Last, a real handoff to tgtd (a one-PDU login without authentication in
# the helper, standing in for the login engine): the LUN's block device is
# found through sysfs and its bytes hash like the backing file's.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"

rig_kernel || { not_ok "netlink: no kernel to boot"; exit 0; }
helper=$TOP/build/static/tests/nl_smoke
[ -x "$helper" ] || { not_ok "netlink: $helper missing (make tests)"; exit 0; }
crc=$RIG_MODDIR/$(rig_modules crc32c_generic) ||
	{ not_ok "netlink: no crc32c_generic module"; exit 0; }

# A peer that plays target for one PDU: it reads the login request the kernel
# sends, records what it saw, answers with a login response, and closes.
port=$(free_port)
t_spawn python3 -c '
import socket, sys
port, out = int(sys.argv[1]), sys.argv[2]
keys = b"InitiatorName=iqn.2024-01.org.sanroot:guest\0"
answer = b"TargetPortalGroupTag=1\0"
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(1)
s.settimeout(180)
c, _ = s.accept()
c.settimeout(60)
def take(n):
    b = b""
    while len(b) < n:
        chunk = c.recv(n - len(b))
        if not chunk:
            raise SystemExit("peer closed after %d bytes" % len(b))
        b += chunk
    return b
bhs = take(48)
dlen = int.from_bytes(bhs[5:8], "big")
data = take((dlen + 3) & ~3)
# What the guest put in its BHS (tests/vm/nl_smoke.c login_bhs)
sent = bytearray(48)
sent[0], sent[1] = 0x43, 0x87
sent[5:8] = len(keys).to_bytes(3, "big")
sent[8:14] = bytes([0x80, 0x00, 0x5a, 0x4e, 0x00, 0x01])
sent[16:20] = bytes([0x12, 0x34, 0x56, 0x78])
sent[27] = 1
diff = ",".join(str(i) for i in range(48) if bhs[i] != sent[i]) or "none"
with open(out, "w") as f:
    f.write("opcode=%02x\n" % bhs[0])
    f.write("cmdsn=%d\n" % int.from_bytes(bhs[24:28], "big"))
    f.write("diff=%s\n" % diff)
    f.write("data=%s\n" % ("same" if data[:dlen] == keys and dlen == len(keys) else "differs"))
    f.write("padding=%s\n" % ("zero" if data[dlen:] == bytes(len(data) - dlen) else "garbage"))
rsp = bytearray(48)
rsp[0], rsp[1] = 0x23, 0x87
rsp[5:8] = len(answer).to_bytes(3, "big")
rsp[8:14] = bhs[8:14]
rsp[14:16] = (1).to_bytes(2, "big")
rsp[16:20] = bhs[16:20]
rsp[28:32] = bhs[24:28]
rsp[32:36] = bhs[24:28]
c.sendall(bytes(rsp) + answer + bytes((4 - len(answer) % 4) % 4))
c.close()
' "$port" "$T_TMP/peer"
wait_for 10 sh -c "ss -ltn | grep -q '127.0.0.1:$port '" ||
	{ not_ok "netlink: host peer did not start"; exit 0; }

iqn=iqn.2024-01.org.sanroot:netlink
head -c 4M /dev/urandom >"$T_TMP/lun.img"
want_md5=$(md5sum <"$T_TMP/lun.img" | cut -d' ' -f1)
{ tgt_start 127.0.0.1 && tgt_target 1 "$iqn" && tgt_lun 1 1 "$T_TMP/lun.img"; } ||
	{ not_ok "netlink: tgtd did not start"; exit 0; }

cat >"$T_TMP/test.sh" <<EOF
rig_net_up || rig_mark net=failed
nl_smoke nocrc
insmod /rig/crc32c_generic.ko && rig_mark crc32c=loaded
nl_smoke full 10.0.2.2 $port
out=\$(nl_smoke login 10.0.2.2 $TGT_PORT $iqn 1)
echo "\$out"
sid=\$(echo "\$out" | sed -n 's/.*login-sid=\([0-9]*\).*/\1/p')
disk=\$(echo "\$out" | sed -n 's/.* disk=\([a-z]*\).*/\1/p')
[ -n "\$disk" ] && rig_mark "lun-md5=\$(md5sum /dev/\$disk | cut -d' ' -f1)"
[ -n "\$disk" ] && nl_smoke logout \$sid \$disk
EOF
rig_initramfs "$T_TMP/initrd.img" init="$T_TMP/test.sh" tools= \
	mods="virtio_pci virtio_net virtio_rng iscsi_tcp sd_mod" \
	file="$helper:/usr/bin/nl_smoke" file="$crc:/rig/crc32c_generic.ko" ||
	{ not_ok "netlink: building the initramfs failed"; exit 0; }

rig_boot initrd="$T_TMP/initrd.img" timeout=120 ||
	not_ok "netlink: guest did not power off within 120 s"
echo "# boot: /init at $(rig_value init) s guest uptime, powered off at" \
	"$(rig_value uptime) s; wall ${RIG_WALL} s"
echo "# kernel: handle $(rig_value handle), sid $(rig_value sid), host $(rig_value host)," \
	"can_queue $(rig_value can_queue), conn error $(rig_value conn-error)"
expect_eq "netlink: modules loaded" "$(rig_value modules)" ok
expect_eq "netlink: crc32c loaded between the two runs" "$(rig_value crc32c)" loaded
rig_results netlink

# The PDU as it left the kernel: our BHS, with the kernel's ITT and CmdSN.
peer() { sed -n "s/^$1=//p" "$T_TMP/peer" 2>/dev/null; }
expect_eq "netlink: SEND_PDU reached the wire as a login request" "$(peer opcode)" 43
expect_eq "netlink: the kernel set CmdSN from CREATE_SESSION's initial_cmdsn" "$(peer cmdsn)" 7
case $(peer diff) in
16,17,18,19,27|16,17,18,19|27) ok "netlink: kernel changed only ITT and CmdSN ($(peer diff))" ;;
*) not_ok "netlink: kernel changed BHS bytes $(peer diff)" ;;
esac
expect_eq "netlink: SEND_PDU data reached the wire intact" "$(peer data)" same
expect_eq "netlink: the kernel padded the data with zeros" "$(peer padding)" zero
expect_eq "netlink: RECV_PDU data is the peer's answer" "$(rig_value reply-data)" \
	"TargetPortalGroupTag=1"
echo "# handoff: /dev/$(rig_value disk) at $(rig_value disk-uptime) s guest uptime"
expect_eq "netlink: the handed-off LUN reads like its backing file" "$(rig_value lun-md5)" \
	"$want_md5"
tgt_stop
[ "$(rig_value end)" = 0 ] || rig_tail 40
