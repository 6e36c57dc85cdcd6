#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Regenerate the iSCSI fuzz corpora from real traffic: run sanroot-iscsi
# against a private tgtd while tshark captures lo, then cut the target's side
# of each TCP stream into corpus/iscsi_pdu/ and the text of its login
# responses into corpus/iscsi_text/. Run by hand (root); not part of make check.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
SI=${SI:-$TOP/build/host/bin/sanroot-iscsi}
OUT=$TOP/tests/fuzz/corpus

LUN=$T_TMP/disk.img
head -c 4194304 /dev/urandom >"$LUN"
mke2fs -q -F -t ext4 -L fuzz "$T_TMP/ext4.img" 8M
setup() {
	tgt_target 1 iqn.2024-01.org.sanroot.fuzz:open && tgt_lun 1 1 "$LUN" && tgt_lun 1 2 "$T_TMP/ext4.img" &&
	tgt_target 2 iqn.2024-01.org.sanroot.fuzz:chap && tgt_lun 2 1 "$LUN" &&
	tgt_chap 2 user user-secret-123 && tgt_chap_out 2 target target-secret-456 &&
	tgt_target 3 iqn.2024-01.org.sanroot.fuzz:digest && tgt_lun 3 1 "$LUN" &&
	tgt_param 3 HeaderDigest CRC32C && tgt_param 3 DataDigest CRC32C
}
tgt_start && setup || exit 1
P=127.0.0.1:$TGT_PORT
tshark -q -i lo -f "tcp port $TGT_PORT" -w "$T_TMP/cap.pcap" >/dev/null 2>&1 &
T_PIDS="$T_PIDS $!"
TS=$!
sleep 2
printf 'user-secret-123\n' >"$T_TMP/pw"
printf 'target-secret-456\n' >"$T_TMP/tpw"
chmod 600 "$T_TMP/pw" "$T_TMP/tpw"
$SI --no-plan discover $P >/dev/null
$SI --no-plan probe iqn.2024-01.org.sanroot.fuzz:open@$P >/dev/null
$SI --no-plan read iqn.2024-01.org.sanroot.fuzz:open@$P 1 1000 600000 >/dev/null
$SI --no-plan -u user --password-file "$T_TMP/pw" --chap-alg md5 probe iqn.2024-01.org.sanroot.fuzz:chap@$P >/dev/null
$SI --no-plan -u user --password-file "$T_TMP/pw" -U target --password-in-file "$T_TMP/tpw" \
	probe iqn.2024-01.org.sanroot.fuzz:chap@$P >/dev/null
$SI --no-plan probe iqn.2024-01.org.sanroot.fuzz:digest@$P >/dev/null
$SI --no-plan probe iqn.2024-01.org.sanroot.fuzz:none@$P >/dev/null 2>&1
sleep 2
kill -INT "$TS"
wait "$TS" 2>/dev/null
tgt_stop

mkdir -p "$OUT/iscsi_pdu" "$OUT/iscsi_text"
tshark -r "$T_TMP/cap.pcap" -T fields -e tcp.stream -e tcp.srcport -e tcp.payload |
python3 -c '
import sys, os, struct
port, out = int(sys.argv[1]), sys.argv[2]
streams = {}
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if len(f) < 3 or not f[2] or int(f[1]) != port:
        continue
    streams.setdefault(int(f[0]), bytearray()).extend(bytes.fromhex(f[2].replace(":", "")))
for sid, data in sorted(streams.items()):
    # A 256 KiB limit; digests follow the login; CHAP credentials when it used CHAP.
    data = data[:65536]
    flags = 0x30
    if b"CHAP_C" in data:
        flags |= 0x0c
    name = "tgtd-stream-%02d" % sid
    open(os.path.join(out, "iscsi_pdu", name), "wb").write(bytes([flags, 7]) + data)
    # Login responses: their text, one corpus file each.
    off, n = 0, 0
    while off + 48 <= len(data):
        dlen = int.from_bytes(data[off + 5:off + 8], "big")
        if data[off] & 0x3f != 0x23:
            break
        text = data[off + 48:off + 48 + dlen]
        if text:
            open(os.path.join(out, "iscsi_text", "%s-login-%d" % (name, n)), "wb").write(bytes([1]) + text)
            n += 1
        off += 48 + dlen + (-dlen) % 4
' "$TGT_PORT" "$OUT"
ls "$OUT/iscsi_pdu" "$OUT/iscsi_text" | wc -l
