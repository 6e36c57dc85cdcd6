// SPDX-License-Identifier: GPL-2.0-only
/*
 * The login state machine against a scripted target: each case answers the
 * requests it gets, as tgt or a misbehaving target would, and checks what
 * the engine sends and concludes.
 */
#include <errno.h>

#include "t.h"

#include "iscsi/iscsi_login.h"

struct script {
	struct iscsi_login l;
	struct iscsi_login_params p;
	struct iscsi_login_result r;
	struct iscsi_pdu req;
	uint8_t rsp_data[8192];
	struct sr_error err;
	uint32_t statsn;
};

static struct script s;

static void start(const char *target, const char *user, const char *secret)
{
	memset(&s, 0, sizeof(s));
	s.p.initiator_name = "iqn.2024-01.org.sanroot:test";
	s.p.target_name = target;
	s.p.chap.name = user;
	s.p.chap.secret = secret;
	s.p.md5_allowed = true;
	memcpy(s.p.isid, "\x40\x01\x02\x03\x04\x05", 6);
	s.p.cmdsn = 1;
	s.p.expect_tpgt = -1;
	iscsi_op_offer_defaults(&s.p.offer);
	s.p.header_digest = s.p.data_digest = ISCSI_DIGEST_PREFER_NONE;
	s.statsn = 100;
}

static int begin(void)
{
	int rc = iscsi_login_begin(&s.l, &s.p, &s.r, &s.err);

	if (rc == 0)
		iscsi_login_request(&s.l, &s.req);
	return rc;
}

/* Does the current request carry this key=value? */
static bool sent(const char *kv)
{
	size_t n = strlen(kv) + 1;

	for (size_t i = 0; i + n <= s.req.data_len; i++)
		if ((i == 0 || s.req.data[i - 1] == 0) && !memcmp(s.req.data + i, kv, n))
			return true;
	return false;
}

static uint8_t req_flags(void)
{
	return s.req.bhs[1];
}

/* The value of a key in the current request, or "". */
static const char *sent_value(const char *key)
{
	static char v[512];
	size_t kl = strlen(key);

	v[0] = '\0';
	for (size_t i = 0; i + kl + 1 <= s.req.data_len; i++) {
		if ((i == 0 || s.req.data[i - 1] == 0) && !memcmp(s.req.data + i, key, kl) &&
		    s.req.data[i + kl] == '=') {
			snprintf(v, sizeof(v), "%s", (const char *)s.req.data + i + kl + 1);
			break;
		}
	}
	return v;
}

/*
 * Answer the current request: flags as byte 1 (T, C, CSG, NSG), a status, a
 * TSIH, and "|"-separated keys. The next request is built when the engine
 * wants one.
 */
static int answer(uint8_t flags, uint16_t status, uint16_t tsih, const char *keys)
{
	struct iscsi_pdu rsp = { 0 };
	uint8_t *h = rsp.bhs;
	size_t n = strlen(keys);
	int rc;

	h[0] = ISCSI_OP_LOGIN_RSP;
	h[1] = flags;
	memcpy(h + 8, s.req.bhs + 8, 6);
	iscsi_put16(h, 14, tsih);
	memcpy(h + 16, s.req.bhs + 16, 4);
	iscsi_put32(h, 24, s.statsn++);
	iscsi_put32(h, 28, 1);
	iscsi_put32(h, 32, 64);
	h[36] = (uint8_t)(status >> 8);
	h[37] = (uint8_t)status;
	for (size_t i = 0; i < n; i++)
		s.rsp_data[i] = keys[i] == '|' ? 0 : (uint8_t)keys[i];
	rsp.data = n ? s.rsp_data : NULL;
	rsp.data_len = n;
	rc = iscsi_login_response(&s.l, &rsp, &s.err);
	if (rc == ISCSI_LOGIN_CONTINUE)
		iscsi_login_request(&s.l, &s.req);
	return rc;
}

#define T 0x80
#define C 0x40
#define STAGES(csg, nsg) ((csg) << 2 | (nsg))

static const char *tgt_op_answer =
	"TargetPortalGroupTag=1|HeaderDigest=None|DataDigest=None|MaxConnections=1|"
	"InitialR2T=Yes|ImmediateData=Yes|MaxRecvDataSegmentLength=65536|MaxBurstLength=262144|"
	"FirstBurstLength=65536|DefaultTime2Wait=2|DefaultTime2Retain=0|MaxOutstandingR2T=1|"
	"DataPDUInOrder=Yes|DataSequenceInOrder=Yes|ErrorRecoveryLevel=0|TargetAlias=disk one|";

static void no_auth(void)
{
	start("iqn.2024-01.test:disk1", NULL, NULL);
	CHECK_INT(begin(), 0);
	/* Nothing to authenticate: straight to the operational stage, asking for full feature. */
	CHECK_INT(req_flags(), T | STAGES(1, 3));
	CHECK_INT(s.req.bhs[0], 0x43);
	CHECK_INT(iscsi_get32(s.req.bhs, 24), 1);
	CHECK(sent("InitiatorName=iqn.2024-01.org.sanroot:test"));
	CHECK(sent("SessionType=Normal"));
	CHECK(sent("TargetName=iqn.2024-01.test:disk1"));
	CHECK(sent("HeaderDigest=None,CRC32C"));
	CHECK(sent("MaxRecvDataSegmentLength=262144"));
	CHECK(sent("ErrorRecoveryLevel=0"));
	CHECK(!sent("AuthMethod=None"));
	CHECK_INT(answer(T | STAGES(1, 3), 0, 0x1234, tgt_op_answer), ISCSI_LOGIN_DONE);
	CHECK_INT(s.r.tsih, 0x1234);
	CHECK_INT(s.r.tpgt, 1);
	CHECK_STR(s.r.target_alias, "disk one");
	CHECK_INT(s.r.statsn, 100);
	CHECK_INT(s.r.cmdsn, 1);
	CHECK_INT(s.r.neg.max_recv_dsl, 262144);
	CHECK_INT(s.r.neg.max_xmit_dsl, 65536);
	CHECK_INT(s.r.neg.max_burst, 262144);
	CHECK_INT(s.r.neg.first_burst, 65536);
	CHECK(s.r.neg.initial_r2t);
	CHECK(s.r.neg.immediate_data);
	CHECK(!s.r.neg.header_digest);
	CHECK_INT(s.r.neg.time2retain, 0);
	CHECK_INT(s.r.chap_alg, 0);
}

static void discovery(void)
{
	start(NULL, NULL, NULL);
	CHECK_INT(begin(), 0);
	CHECK(sent("SessionType=Discovery"));
	CHECK(!sent("MaxBurstLength=16776192"));	/* Irrelevant in discovery */
	CHECK(strcmp(sent_value("TargetName"), "") == 0);
	/* The target offers a normal-session key: we answer Irrelevant, then log in. */
	CHECK_INT(answer(STAGES(1, 0), 0, 0, "HeaderDigest=None|DataDigest=None|MaxBurstLength=4096|"
			 "X-com.example.Thing=1|"), ISCSI_LOGIN_CONTINUE);
	CHECK_INT(req_flags(), T | STAGES(1, 3));
	CHECK(sent("MaxBurstLength=Irrelevant"));
	CHECK(sent("X-com.example.Thing=NotUnderstood"));
	CHECK_INT(answer(T | STAGES(1, 3), 0, 7, ""), ISCSI_LOGIN_DONE);
}

static void chap_compute(uint8_t alg, uint8_t id, const char *secret, const uint8_t *c, size_t n, char *hex)
{
	uint8_t d[CHAP_DIGEST_MAX];
	struct sr_error err;

	chap_response(alg, false, id, secret, strlen(secret), c, n, d, &err);
	iscsi_encode_hex(d, chap_digest_len(alg, false), hex);
}

static const uint8_t tchal[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };

/* Through the security stage to the point where our CHAP_R is out. */
static void chap_until_response(uint8_t alg)
{
	char keys[256], hex[80];

	CHECK_INT(begin(), 0);
	CHECK_INT(req_flags(), T | STAGES(0, 1));
	CHECK(sent("AuthMethod=CHAP,None"));
	CHECK_INT(answer(STAGES(0, 0), 0, 0, "TargetPortalGroupTag=1|AuthMethod=CHAP|"), ISCSI_LOGIN_CONTINUE);
	CHECK_INT(req_flags(), STAGES(0, 0));
	CHECK(s.req.data_len > 0);
	iscsi_encode_hex(tchal, sizeof(tchal), hex);
	snprintf(keys, sizeof(keys), "CHAP_A=%u|CHAP_I=17|CHAP_C=%s|", alg, hex);
	CHECK_INT(answer(STAGES(0, 0), 0, 0, keys), ISCSI_LOGIN_CONTINUE);
	CHECK_INT(req_flags(), T | STAGES(0, 1));
	CHECK(sent("CHAP_N=alice"));
	chap_compute(alg, 17, "alice-secret-123", tchal, sizeof(tchal), hex);
	CHECK_STR(sent_value("CHAP_R"), hex);
}

static void chap_one_way(void)
{
	static const uint8_t algs[] = { CHAP_MD5, CHAP_SHA1, CHAP_SHA256, CHAP_SHA3_256 };

	for (size_t i = 0; i < sizeof(algs); i++) {
		start("iqn.2024-01.test:disk1", "alice", "alice-secret-123");
		chap_until_response(algs[i]);
		if (t_case_failed)
			return;
		CHECK(!sent("CHAP_C=") && sent_value("CHAP_C")[0] == 0);	/* no mutual */
		CHECK_INT(answer(T | STAGES(0, 1), 0, 0, ""), ISCSI_LOGIN_CONTINUE);
		CHECK_INT(req_flags(), T | STAGES(1, 3));
		CHECK(sent("MaxBurstLength=16776192"));
		CHECK(!sent("InitiatorName=iqn.2024-01.org.sanroot:test"));	/* first request only */
		CHECK_INT(answer(T | STAGES(1, 3), 0, 9, tgt_op_answer), ISCSI_LOGIN_DONE);
		CHECK_INT(s.r.chap_alg, algs[i]);
		CHECK(!s.r.mutual);
	}
}

static void chap_offers(void)
{
	start("t", "alice", "alice-secret-123");
	CHECK_INT(begin(), 0);
	CHECK_INT(answer(STAGES(0, 0), 0, 0, "AuthMethod=CHAP|"), ISCSI_LOGIN_CONTINUE);
	CHECK(sent("CHAP_A=8,7,6,5"));
	start("t", "alice", "alice-secret-123");
	s.p.md5_allowed = false;
	CHECK_INT(begin(), 0);
	CHECK_INT(answer(STAGES(0, 0), 0, 0, "AuthMethod=CHAP|"), ISCSI_LOGIN_CONTINUE);
	CHECK(sent("CHAP_A=8,7,6"));
	/* A target that picks MD5 anyway. */
	CHECK(answer(STAGES(0, 0), 0, 0, "CHAP_A=5|CHAP_I=1|CHAP_C=0x0102030405060708|") == -EACCES);
	CHECK(strstr(s.err.msg, "MD5") != NULL);
	/* One that picks something we did not offer. */
	start("t", "alice", "alice-secret-123");
	s.p.chap_algs[0] = CHAP_SHA256;
	s.p.nchap_algs = 1;
	CHECK_INT(begin(), 0);
	CHECK_INT(answer(STAGES(0, 0), 0, 0, "AuthMethod=CHAP|"), ISCSI_LOGIN_CONTINUE);
	CHECK(sent("CHAP_A=7"));
	CHECK(answer(STAGES(0, 0), 0, 0, "CHAP_A=6|CHAP_I=1|CHAP_C=0x01|") == -EPROTO);
	/* One that supports none. */
	start("t", "alice", "alice-secret-123");
	CHECK_INT(begin(), 0);
	CHECK_INT(answer(STAGES(0, 0), 0, 0, "AuthMethod=CHAP|"), ISCSI_LOGIN_CONTINUE);
	CHECK(answer(STAGES(0, 0), 0, 0, "CHAP_A=Reject|CHAP_I=1|CHAP_C=0x01|") == -EACCES);
}

static void chap_mutual(void)
{
	for (int good = 0; good < 2; good++) {
		uint8_t ours[64];
		size_t olen = 0;
		char keys[256], hex[80];
		uint64_t id;
		const char *v;

		start("t", "alice", "alice-secret-123");
		s.p.chap.target_name = "target-user";
		s.p.chap.target_secret = "target-secret-456";
		chap_until_response(CHAP_SHA256);
		if (t_case_failed)
			return;
		v = sent_value("CHAP_C");
		CHECK_INT(iscsi_decode_binary(v, strlen(v), ours, sizeof(ours), &olen), 0);
		CHECK_INT(olen, 32);	/* as long as the digest */
		v = sent_value("CHAP_I");
		CHECK_INT(iscsi_parse_number(v, strlen(v), 255, &id), 0);
		chap_compute(CHAP_SHA256, (uint8_t)id, good ? "target-secret-456" : "wrong-secret-xyz", ours,
			     olen, hex);
		snprintf(keys, sizeof(keys), "CHAP_N=target-user|CHAP_R=%s|", hex);
		if (good) {
			CHECK_INT(answer(T | STAGES(0, 1), 0, 0, keys), ISCSI_LOGIN_CONTINUE);
			CHECK_INT(answer(T | STAGES(1, 3), 0, 9, tgt_op_answer), ISCSI_LOGIN_DONE);
			CHECK(s.r.mutual);
		} else {
			CHECK_INT(answer(T | STAGES(0, 1), 0, 0, keys), -EACCES);
			CHECK(strstr(s.err.msg, "failed mutual CHAP") != NULL);
		}
	}
}

static void chap_mutual_silent(void)
{
	start("t", "alice", "alice-secret-123");
	s.p.chap.target_name = "target-user";
	s.p.chap.target_secret = "target-secret-456";
	chap_until_response(CHAP_MD5);
	CHECK_INT(answer(T | STAGES(0, 1), 0, 0, ""), -EACCES);
	CHECK(strstr(s.err.msg, "did not answer our challenge") != NULL);

	start("t", "alice", "alice-secret-123");
	s.p.chap.target_name = "target-user";
	s.p.chap.target_secret = "target-secret-456";
	chap_until_response(CHAP_MD5);
	CHECK_INT(answer(T | STAGES(0, 1), 0, 0, "CHAP_N=someone-else|CHAP_R=0x00112233445566778899aabbccddeeff|"),
		  -EACCES);
	CHECK(strstr(s.err.msg, "someone-else") != NULL);
}

static void same_secret_refused(void)
{
	start("t", "alice", "same-secret-1234");
	s.p.chap.target_name = "bob";
	s.p.chap.target_secret = "same-secret-1234";
	CHECK_INT(iscsi_login_begin(&s.l, &s.p, &s.r, &s.err), -EINVAL);
	CHECK(strstr(s.err.msg, "9.2.1") != NULL);
}

static void none_with_credentials(void)
{
	start("t", "alice", "alice-secret-123");
	CHECK_INT(begin(), 0);
	CHECK_INT(answer(T | STAGES(0, 1), 0, 0, "AuthMethod=None|"), -EPERM);
	CHECK(strstr(s.err.msg, "sanroot.noauth") != NULL);

	start("t", "alice", "alice-secret-123");
	s.p.noauth_allowed = true;
	CHECK_INT(begin(), 0);
	CHECK_INT(answer(T | STAGES(0, 1), 0, 0, "AuthMethod=None|"), ISCSI_LOGIN_CONTINUE);
	CHECK_INT(req_flags(), T | STAGES(1, 3));
	CHECK_INT(answer(T | STAGES(1, 3), 0, 3, ""), ISCSI_LOGIN_DONE);
	CHECK_INT(s.r.chap_alg, 0);
}

static void statuses(void)
{
	static const struct {
		uint16_t status; int rc; const char *words; enum sr_reason why;
	} rows[] = {
		{ 0x0200, -EPROTO, "initiator error", SR_R_NONE },
		{ 0x0201, -EACCES, "requires authentication", SR_R_CHAP_REQUIRED },
		{ 0x0202, -EACCES, "does not allow", SR_R_TARGET_ACL },
		{ 0x0203, -ENOENT, "not found", SR_R_TARGET_UNKNOWN },
		{ 0x0204, -ENOENT, "removed", SR_R_TARGET_REMOVED },
		{ 0x0205, -EPROTONOSUPPORT, "version", SR_R_NONE },
		{ 0x0206, -EBUSY, "more connections", SR_R_NONE },
		{ 0x0207, -EPROTO, "missing", SR_R_NONE },
		{ 0x0209, -EPROTO, "does not support normal sessions", SR_R_NONE },
		{ 0x020a, -ESTALE, "TSIH", SR_R_NONE },
		{ 0x0300, -EIO, "internal error", SR_R_NONE },
		{ 0x0301, -EAGAIN, "unavailable", SR_R_NONE },
		{ 0x0302, -EBUSY, "out of resources", SR_R_TARGET_BUSY },
		{ 0x0250, -EPROTO, "0x0250", SR_R_NONE },
		{ 0x0399, -EIO, "0x0399", SR_R_NONE },
		{ 0x0400, -EPROTO, "unknown login status", SR_R_NONE },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char row[16];
		int rc;

		start("iqn.2024-01.test:disk1", NULL, NULL);
		begin();
		rc = answer(0, rows[i].status, 0, "");
		snprintf(row, sizeof(row), "0x%04x", rows[i].status);
		t_row("login status", row, rc != rows[i].rc || !strstr(s.err.msg, rows[i].words) ||
		      s.err.reason != rows[i].why, s.err.msg);
	}
}

static void chap_rejected(void)
{
	start("t", "alice", "alice-secret-123");
	chap_until_response(CHAP_SHA256);
	CHECK_INT(answer(0, 0x0201, 0, ""), -EACCES);
	CHECK(s.r.chap_rejected);
	CHECK(strstr(s.err.msg, "rejected our CHAP response") != NULL);
	/* tgt's way of saying the response has the wrong size */
	start("t", "alice", "alice-secret-123");
	chap_until_response(CHAP_SHA256);
	CHECK_INT(answer(0, 0x0200, 0, ""), -EACCES);
	CHECK(s.r.chap_rejected);
	CHECK_INT(s.r.chap_alg, CHAP_SHA256);
}

static void redirect(void)
{
	start("iqn.2024-01.test:disk1", NULL, NULL);
	begin();
	CHECK_INT(answer(0, 0x0101, 0, "TargetAddress=10.1.2.3:3261,7|"), ISCSI_LOGIN_REDIRECT);
	CHECK_STR(s.r.redirect.host, "10.1.2.3");
	CHECK_INT(s.r.redirect.port, 3261);
	CHECK(!s.r.redirect_permanent);
	start("iqn.2024-01.test:disk1", NULL, NULL);
	begin();
	CHECK_INT(answer(0, 0x0102, 0, "TargetAddress=[fd00::9]|"), ISCSI_LOGIN_REDIRECT);
	CHECK_STR(s.r.redirect.host, "fd00::9");
	CHECK_INT(s.r.redirect.port, 3260);
	CHECK(s.r.redirect_permanent);
	start("iqn.2024-01.test:disk1", NULL, NULL);
	begin();
	CHECK_INT(answer(0, 0x0101, 0, "TargetAlias=x|"), -EPROTO);
	start("iqn.2024-01.test:disk1", NULL, NULL);
	begin();
	CHECK_INT(answer(0, 0x0101, 0, "TargetAddress=no way|"), -EPROTO);
}

/* The target's text in two PDUs (C bit): we ask for the rest with an empty request. */
static void continued_text(void)
{
	char first[512];
	size_t half = strlen(tgt_op_answer) / 2;

	start("iqn.2024-01.test:disk1", NULL, NULL);
	begin();
	snprintf(first, sizeof(first), "%.*s", (int)half, tgt_op_answer);
	CHECK_INT(answer(C | STAGES(1, 0), 0, 0, first), ISCSI_LOGIN_CONTINUE);
	CHECK_INT(s.req.data_len, 0);
	CHECK_INT(req_flags(), T | STAGES(1, 3));	/* empty, still asking to move on */
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, tgt_op_answer + half), ISCSI_LOGIN_DONE);
	CHECK_INT(s.r.neg.max_xmit_dsl, 65536);
	CHECK_STR(s.r.target_alias, "disk one");
}

static void rule_violations(void)
{
	static const struct { const char *keys; const char *words; } rows[] = {
		{ "MaxBurstLength=16776193|", "above" },
		{ "FirstBurstLength=262145|", "above" },
		{ "MaxConnections=2|", "above" },
		{ "DefaultTime2Wait=1|", "below" },
		{ "InitialR2T=Maybe|", "valid" },
		{ "DataPDUInOrder=No|", "our Yes" },
		{ "ErrorRecoveryLevel=3|", "valid" },
		{ "MaxRecvDataSegmentLength=100|", "512" },
		{ "MaxRecvDataSegmentLength=16777216|", "512" },
		{ "HeaderDigest=MD5|", "valid" },
		{ "MaxBurstLength=4096|MaxBurstLength=4096|", "second time" },
		{ "TargetPortalGroupTag=65536|", "portal group" },
		{ "TargetPortalGroupTag=1|TargetPortalGroupTag=2|", "changed" },
		{ "MaxBurstLength=4096|FirstBurstLength=8192|", "exceeds" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc;

		start("iqn.2024-01.test:disk1", NULL, NULL);
		begin();
		rc = answer(T | STAGES(1, 3), 0, 5, rows[i].keys);
		t_row("negotiation rules", rows[i].keys, rc != -EPROTO || !strstr(s.err.msg, rows[i].words),
		      s.err.msg);
	}
	/* ImmediateData: we offer No, the target must not say Yes. */
	start("t", NULL, NULL);
	s.p.offer.immediate_data = false;
	begin();
	CHECK(sent("ImmediateData=No"));
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, "ImmediateData=Yes|"), -EPROTO);
	/* InitialR2T: our No, the target's Yes wins (OR). */
	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, "InitialR2T=Yes|"), ISCSI_LOGIN_DONE);
	CHECK(s.r.neg.initial_r2t);
}

static void digests(void)
{
	start("t", NULL, NULL);
	s.p.header_digest = ISCSI_DIGEST_CRC32C;
	begin();
	CHECK(sent("HeaderDigest=CRC32C"));
	CHECK(sent("DataDigest=None,CRC32C"));
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, "HeaderDigest=None|"), -EPROTO);
	CHECK(strstr(s.err.msg, "does not accept HeaderDigest=CRC32C") != NULL);

	start("t", NULL, NULL);
	s.p.header_digest = ISCSI_DIGEST_CRC32C;
	begin();
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, "HeaderDigest=Reject|"), -EPROTO);	/* default None */

	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, "HeaderDigest=CRC32C|DataDigest=CRC32C|"), ISCSI_LOGIN_DONE);
	CHECK(s.r.neg.header_digest);
	CHECK(s.r.neg.data_digest);

	start("t", NULL, NULL);
	s.p.data_digest = ISCSI_DIGEST_NONE;
	begin();
	CHECK(sent("DataDigest=None"));
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, "DataDigest=CRC32C|"), -EPROTO);
}

static void target_offers(void)
{
	/* The target starts a negotiation of its own: we answer by the key's rule. */
	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(STAGES(1, 0), 0, 0, "MaxBurstLength=65536|FirstBurstLength=65536|"),
		  ISCSI_LOGIN_CONTINUE);
	/* Both were offered by us already: these are answers, not offers. */
	CHECK_INT(s.req.data_len, 0);
	CHECK_INT(req_flags(), T | STAGES(1, 3));
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, ""), ISCSI_LOGIN_DONE);
	CHECK_INT(s.r.neg.max_burst, 65536);

	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(STAGES(1, 0), 0, 0, "IFMarker=No|OFMarker=No|"), ISCSI_LOGIN_CONTINUE);
	CHECK(sent("IFMarker=NotUnderstood"));
	CHECK(sent("OFMarker=NotUnderstood"));
	/* More offers than one answer can hold. */
	{
		static char many[4096];
		size_t o = 0;

		for (int i = 0; i < 60; i++)
			o += (size_t)snprintf(many + o, sizeof(many) - o, "X-vendor.Key%02d=1|", i);
		start("t", NULL, NULL);
		begin();
		CHECK_INT(answer(STAGES(1, 0), 0, 0, many), -EPROTO);
		CHECK(strstr(s.err.msg, "more keys") != NULL);
	}
	/* The target may not end the login while it is owed answers. */
	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, "X-vendor.Key=1|"), -EPROTO);
}

static void framing_checks(void)
{
	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(T | C | STAGES(1, 3), 0, 5, ""), -EPROTO);
	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(T | STAGES(0, 1), 0, 5, ""), -EPROTO);	/* wrong stage */
	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(T | STAGES(1, 1), 0, 5, ""), -EPROTO);	/* not where we asked to go */
	start("t", NULL, NULL);
	begin();
	CHECK_INT(answer(T | STAGES(1, 3), 0, 0, ""), -EPROTO);	/* no TSIH */
	CHECK(strstr(s.err.msg, "TSIH") != NULL);
	start("t", NULL, NULL);
	begin();
	s.req.bhs[8] ^= 1;	/* the target echoes another ISID */
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, ""), -EPROTO);
	start("t", NULL, NULL);
	s.p.expect_tpgt = 2;
	begin();
	CHECK_INT(answer(T | STAGES(1, 3), 0, 5, "TargetPortalGroupTag=1|"), -EPROTO);
	/* A target that never ends the login. */
	start("t", NULL, NULL);
	begin();
	for (int i = 0; i < ISCSI_LOGIN_EXCHANGES; i++)
		CHECK_INT(answer(STAGES(1, 0), 0, 0, ""), ISCSI_LOGIN_CONTINUE);
	CHECK_INT(answer(STAGES(1, 0), 0, 0, ""), -EPROTO);
}

static void params_checked(void)
{
	start("t", "alice", NULL);
	CHECK_INT(iscsi_login_begin(&s.l, &s.p, &s.r, &s.err), -EINVAL);
	start("", NULL, NULL);
	s.p.initiator_name = "";
	CHECK_INT(iscsi_login_begin(&s.l, &s.p, &s.r, &s.err), -EINVAL);
	start("t", NULL, NULL);
	s.p.offer.max_recv_dsl = 100;
	CHECK_INT(iscsi_login_begin(&s.l, &s.p, &s.r, &s.err), -EINVAL);
	start("t", NULL, NULL);
	s.p.chap.target_name = "x";
	s.p.chap.target_secret = "y-long-enough-secret";
	CHECK_INT(iscsi_login_begin(&s.l, &s.p, &s.r, &s.err), -EINVAL);
}

static void isid(void)
{
	uint8_t a[6], b[6];

	iscsi_isid_make(a);
	iscsi_isid_make(b);
	CHECK_INT(a[0] >> 6, 2);	/* T = 10b: random */
	CHECK_INT(a[0] & 0x3f, 0);	/* A is reserved for the random type */
	CHECK_INT(b[0], 0x80);
	CHECK(memcmp(a, b, 6) != 0);
}

int main(void)
{
	RUN(no_auth);
	RUN(discovery);
	RUN(chap_one_way);
	RUN(chap_offers);
	RUN(chap_mutual);
	RUN(chap_mutual_silent);
	RUN(same_secret_refused);
	RUN(none_with_credentials);
	statuses();
	RUN(chap_rejected);
	RUN(redirect);
	RUN(continued_text);
	rule_violations();
	RUN(digests);
	RUN(target_offers);
	RUN(framing_checks);
	RUN(params_checked);
	RUN(isid);
	T_EXIT();
}
