#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sanroot-iscsi against a private tgtd: discovery, no authentication, CHAP with
# each algorithm tgt speaks, libiscsi's eight CHAP cases, mutual CHAP, policy
# refusals, wrong names, the boot plan, header and data digests.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/iscsi.sh"

OPEN=iqn.2024-01.org.sanroot.test:open
CHAP=iqn.2024-01.org.sanroot.test:chap
MUTUAL=iqn.2024-01.org.sanroot.test:mutual
DIGEST=iqn.2024-01.org.sanroot.test:digest
LUN=$(lun_file disk.img 8 random)

setup() {
	tgt_target 1 $OPEN && tgt_lun 1 1 "$LUN" &&
	tgt_target 2 $CHAP && tgt_lun 2 1 "$LUN" && tgt_chap 2 libiscsi libiscsi-secret &&
	tgt_target 3 $MUTUAL && tgt_lun 3 1 "$LUN" && tgt_chap 3 initiator initiator-secret-1 &&
	tgt_chap_out 3 outgoing outgoing-secret-2 &&
	tgt_target 4 $DIGEST && tgt_lun 4 1 "$LUN" &&
	tgt_param 4 HeaderDigest CRC32C && tgt_param 4 DataDigest CRC32C
}
tgt_start || { not_ok "tgtd: did not start"; exit 1; }
setup || { not_ok "tgtd: setup failed"; exit 1; }
P=127.0.0.1:$TGT_PORT

PW=$(secret_file pw libiscsi-secret)
BADPW=$(secret_file badpw wrong-secret-0)
IPW=$(secret_file ipw initiator-secret-1)
OPW=$(secret_file opw outgoing-secret-2)

# ---- discovery
si discover $P
expect_out "discover lists every target" "$P,1 $OPEN"
for t in $CHAP $MUTUAL $DIGEST; do
	grep -qF "$P,1 $t" "$SI_OUT" || not_ok "discover lists $t"
done
si discover iscsi://$P
expect_out "discover takes an iscsi:// URL" "$P,1 $DIGEST"
si discover 127.0.0.1:1 --timeout 2 --retries 1
expect_rc "discover on a closed port fails" 111 "at 127.0.0.1:1: cannot connect"

# ---- no authentication
si probe $OPEN@$P
expect_out "login without authentication" "auth=none"
si probe iqn.2024-01.org.sanroot.test:nothere@$P
expect_rc "a target that does not exist is named" 111 "target iqn.2024-01.org.sanroot.test:nothere not found"
si -u someone --password-file "$PW" probe $OPEN@$P
expect_rc "AuthMethod=None refused while credentials are set" 111 "without authentication although CHAP credentials are set"
si --noauth -u someone --password-file "$PW" probe $OPEN@$P
expect_out "AuthMethod=None accepted with --noauth" "auth=none"
(umask 077 && : >"$T_TMP/none.conf")
"$SI_BIN" --cmdline "sanroot.noauth=1" --conf "$T_TMP/none.conf" -u someone --password-file "$PW" \
	probe $OPEN@$P >"$SI_OUT" 2>"$SI_ERR"
SI_RC=$?
expect_out "AuthMethod=None accepted with sanroot.noauth=1" "auth=none"

# ---- libiscsi's test_1000_chap.sh cases, against a target with one CHAP account
si probe $CHAP@$P
expect_rc "chap: no credentials" 111 "target requires authentication, and no CHAP credentials are set"
si -u wrong --password-file "$PW" probe $CHAP@$P
expect_rc "chap: wrong user" 111 "rejected our CHAP response"
si -u libiscsi --password-file "$BADPW" probe $CHAP@$P
expect_rc "chap: wrong password" 111 "rejected our CHAP response"
si -u libiscsi --password-file "$PW" probe $CHAP@$P
expect_out "chap: correct credentials" "auth=CHAP-SHA-1 "
si probe "iscsi://libiscsi%libiscsi-secret@$P/$CHAP/1"
expect_out "chap: correct credentials in the URL" "auth=CHAP-"
grep -qF "visible to other users" "$SI_ERR" && ok "chap: a secret in the URL is warned about" ||
	not_ok "chap: a secret in the URL is warned about"

# ---- each CHAP algorithm tgt speaks: MD5 (5) and SHA-1 (which tgt numbers 7)
si -u libiscsi --password-file "$PW" --chap-alg md5 probe $CHAP@$P
expect_out "chap: MD5" "auth=CHAP-MD5 "
si -d 1 -u libiscsi --password-file "$PW" --chap-alg sha256 probe $CHAP@$P
expect_out "chap: tgt's CHAP_A=7 is SHA-1" "auth=CHAP-SHA-1 "
grep -qF "trying SHA-1, which tgt numbers 7" "$SI_ERR" && ok "chap: the SHA-1 retry is explained" ||
	not_ok "chap: the SHA-1 retry is explained"
si -u libiscsi --password-file "$PW" --chap-alg sha3-256 probe $CHAP@$P
expect_rc "chap: tgt has no SHA3-256" 111 "supports none of those algorithms"
si -u libiscsi --password-file "$PW" --chap-alg sha1 probe $CHAP@$P
expect_rc "chap: tgt has no CHAP_A=6" 111 "supports none of those algorithms"
si -u libiscsi --password-file "$PW" --no-md5 probe $CHAP@$P
expect_out "chap: MD5 refused, SHA-1 used" "auth=CHAP-SHA-1 "
si -u libiscsi --password-file "$PW" --no-md5 --chap-alg md5 probe $CHAP@$P
expect_rc "chap: MD5 alone and refused" 111 "no CHAP algorithm is allowed"

# ---- mutual CHAP
si -u initiator --password-file "$IPW" -U outgoing --password-in-file "$OPW" probe $MUTUAL@$P
expect_out "mutual: correct credentials" "-mutual "
si -u initiator --password-file "$IPW" -U wrong --password-in-file "$OPW" probe $MUTUAL@$P
expect_rc "mutual: wrong target user" 111 "target answered our challenge as 'outgoing', expected 'wrong'"
si -u initiator --password-file "$IPW" -U outgoing --password-in-file "$BADPW" probe $MUTUAL@$P
expect_rc "mutual: wrong target secret" 111 "target failed mutual CHAP"
si -u initiator --password-file "$BADPW" -U outgoing --password-in-file "$OPW" probe $MUTUAL@$P
expect_rc "mutual: wrong initiator secret" 111 "rejected our CHAP response"
si -u initiator --password-file "$IPW" -U outgoing --password-in-file "$IPW" probe $MUTUAL@$P
expect_rc "mutual: one secret both ways is refused" 111 "two different secrets"
si -u initiator --password-file "$IPW" --chap-alg md5 -U outgoing --password-in-file "$OPW" probe $MUTUAL@$P
expect_out "mutual: MD5" "auth=CHAP-MD5-mutual "

# ---- credentials and target from the boot plan (a sanroot.conf, mode 0600)
(umask 077 && printf 'iscsi_username=initiator\niscsi_password=initiator-secret-1\niscsi_in_username=outgoing\niscsi_in_password=outgoing-secret-2\n' >"$T_TMP/sanroot.conf")
"$SI_BIN" --cmdline "iscsi_target_name=$MUTUAL iscsi_target_ip=127.0.0.1 iscsi_target_port=$TGT_PORT" \
	--conf "$T_TMP/sanroot.conf" probe >"$SI_OUT" 2>"$SI_ERR"
SI_RC=$?
expect_out "plan: target and mutual CHAP from the plan" "-mutual "
chmod 644 "$T_TMP/sanroot.conf"
"$SI_BIN" --cmdline "iscsi_target_name=$MUTUAL iscsi_target_ip=127.0.0.1" --conf "$T_TMP/sanroot.conf" \
	probe >"$SI_OUT" 2>"$SI_ERR"
SI_RC=$?
expect_rc "plan: a sanroot.conf others can read is refused" 111 "unable to read the boot plan"

# ---- digests
si probe $OPEN@$P
expect_out "digests off by default" "header_digest=None data_digest=None"
si --digest crc32c probe $OPEN@$P
expect_rc "CRC32C demanded, target without it" 111 "does not accept HeaderDigest=CRC32C"
si probe $DIGEST@$P
expect_out "a target requiring CRC32C gets it" "header_digest=CRC32C data_digest=CRC32C"
si read $DIGEST@$P 1 12345 3000000
if [ "$SI_RC" = 0 ] && cmp -s -n 3000000 "$SI_OUT" "$LUN" -i 0:12345 && [ "$(stat -c %s "$SI_OUT")" = 3000000 ]; then
	ok "read with CRC32C digests returns the file's bytes"
else
	not_ok "read with CRC32C digests returns the file's bytes: exit $SI_RC $(tail -n1 "$SI_ERR")"
fi
si --header-digest crc32c --data-digest none probe $DIGEST@$P
expect_out "header digest alone" "header_digest=CRC32C data_digest=None"

tgt_stop
