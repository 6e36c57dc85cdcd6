// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iSCSI login state machine: RFC 7143 §6.2 (text mode negotiation), §6.3
 * (login phase), §11.12-13 (Login Request/Response), §12.1.3 (CHAP) and §13
 * (the operational keys, each negotiated by its own rule).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "iscsi/iscsi_login.h"
#include "core/quote.h"

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004
#endif

#define LOGIN_ITT 0x0a000000u	/* any value works; this one is easy to spot in captures */

/* ---- operational keys (§13) ------------------------------------------------ */

enum key_rule {
	RULE_DIGEST,	/* list: the responder picks the first value of ours it supports */
	RULE_AND,	/* boolean, result = offer AND answer */
	RULE_OR,	/* boolean, result = offer OR answer */
	RULE_MIN,	/* numerical, result = the smaller */
	RULE_MAX,	/* numerical, result = the larger */
	RULE_DECLARE,	/* declarative: each side states its own */
};

enum op_key {
	K_HEADER_DIGEST, K_DATA_DIGEST, K_MAX_CONNECTIONS, K_INITIAL_R2T, K_IMMEDIATE_DATA,
	K_MAX_RECV_DSL, K_MAX_BURST, K_FIRST_BURST, K_TIME2WAIT, K_TIME2RETAIN,
	K_MAX_OUTSTANDING_R2T, K_DATA_PDU_IN_ORDER, K_DATA_SEQ_IN_ORDER, K_ERL, K_COUNT
};

static const struct key_def {
	const char *name;
	enum key_rule rule;
	uint32_t min, max;
	bool normal_only;	/* "Irrelevant" in a discovery session */
} keys[K_COUNT] = {
	[K_HEADER_DIGEST]	= { "HeaderDigest", RULE_DIGEST, 0, 0, false },
	[K_DATA_DIGEST]		= { "DataDigest", RULE_DIGEST, 0, 0, false },
	[K_MAX_CONNECTIONS]	= { "MaxConnections", RULE_MIN, 1, 65535, true },
	[K_INITIAL_R2T]		= { "InitialR2T", RULE_OR, 0, 1, true },
	[K_IMMEDIATE_DATA]	= { "ImmediateData", RULE_AND, 0, 1, true },
	[K_MAX_RECV_DSL]	= { "MaxRecvDataSegmentLength", RULE_DECLARE, 512, 16777215, false },
	[K_MAX_BURST]		= { "MaxBurstLength", RULE_MIN, 512, 16777215, true },
	[K_FIRST_BURST]		= { "FirstBurstLength", RULE_MIN, 512, 16777215, true },
	[K_TIME2WAIT]		= { "DefaultTime2Wait", RULE_MAX, 0, 3600, false },
	[K_TIME2RETAIN]		= { "DefaultTime2Retain", RULE_MIN, 0, 3600, false },
	[K_MAX_OUTSTANDING_R2T]	= { "MaxOutstandingR2T", RULE_MIN, 1, 65535, true },
	[K_DATA_PDU_IN_ORDER]	= { "DataPDUInOrder", RULE_OR, 0, 1, true },
	[K_DATA_SEQ_IN_ORDER]	= { "DataSequenceInOrder", RULE_OR, 0, 1, true },
	[K_ERL]			= { "ErrorRecoveryLevel", RULE_MIN, 0, 2, false },
};

void iscsi_op_rfc_defaults(struct iscsi_op_params *o)
{
	*o = (struct iscsi_op_params){
		.max_recv_dsl = 8192, .max_xmit_dsl = 8192,
		.first_burst = 65536, .max_burst = 262144,
		.immediate_data = true, .initial_r2t = true,
		.erl = 0, .time2wait = 2, .time2retain = 20,
		.max_outstanding_r2t = 1,
		.data_pdu_in_order = true, .data_seq_in_order = true,
		.max_connections = 1,
	};
}

void iscsi_op_offer_defaults(struct iscsi_op_params *o)
{
	iscsi_op_rfc_defaults(o);
	o->max_recv_dsl = 262144;
	o->first_burst = 262144;
	o->max_burst = 16776192;
	o->initial_r2t = false;
	o->time2wait = 2;
	o->time2retain = 0;
}

static uint32_t op_get(const struct iscsi_op_params *o, enum op_key k)
{
	switch (k) {
	case K_HEADER_DIGEST: return o->header_digest;
	case K_DATA_DIGEST: return o->data_digest;
	case K_MAX_CONNECTIONS: return o->max_connections;
	case K_INITIAL_R2T: return o->initial_r2t;
	case K_IMMEDIATE_DATA: return o->immediate_data;
	case K_MAX_RECV_DSL: return o->max_xmit_dsl;
	case K_MAX_BURST: return o->max_burst;
	case K_FIRST_BURST: return o->first_burst;
	case K_TIME2WAIT: return o->time2wait;
	case K_TIME2RETAIN: return o->time2retain;
	case K_MAX_OUTSTANDING_R2T: return o->max_outstanding_r2t;
	case K_DATA_PDU_IN_ORDER: return o->data_pdu_in_order;
	case K_DATA_SEQ_IN_ORDER: return o->data_seq_in_order;
	case K_ERL: return o->erl;
	default: return 0;
	}
}

/* Values are range-checked against keys[] before they get here. */
static void op_set(struct iscsi_op_params *o, enum op_key k, uint32_t v)
{
	switch (k) {
	case K_HEADER_DIGEST: o->header_digest = v; break;
	case K_DATA_DIGEST: o->data_digest = v; break;
	case K_MAX_CONNECTIONS: o->max_connections = (uint16_t)v; break;
	case K_INITIAL_R2T: o->initial_r2t = v; break;
	case K_IMMEDIATE_DATA: o->immediate_data = v; break;
	case K_MAX_RECV_DSL: o->max_xmit_dsl = v; break;
	case K_MAX_BURST: o->max_burst = v; break;
	case K_FIRST_BURST: o->first_burst = v; break;
	case K_TIME2WAIT: o->time2wait = (uint16_t)v; break;
	case K_TIME2RETAIN: o->time2retain = (uint16_t)v; break;
	case K_MAX_OUTSTANDING_R2T: o->max_outstanding_r2t = (uint16_t)v; break;
	case K_DATA_PDU_IN_ORDER: o->data_pdu_in_order = v; break;
	case K_DATA_SEQ_IN_ORDER: o->data_seq_in_order = v; break;
	case K_ERL: o->erl = (uint8_t)v; break;
	default: break;
	}
}

static const char *digest_offer_text(enum iscsi_digest_offer d)
{
	switch (d) {
	case ISCSI_DIGEST_CRC32C: return "CRC32C";
	case ISCSI_DIGEST_PREFER_CRC32C: return "CRC32C,None";
	case ISCSI_DIGEST_PREFER_NONE: return "None,CRC32C";
	default: return "None";
	}
}

static bool digest_offer_allows(enum iscsi_digest_offer d, bool crc)
{
	return crc ? d != ISCSI_DIGEST_NONE : d != ISCSI_DIGEST_CRC32C;
}

static enum iscsi_digest_offer digest_offer(const struct iscsi_login *l, enum op_key k)
{
	return k == K_HEADER_DIGEST ? l->p->header_digest : l->p->data_digest;
}

/* ---- ISID ------------------------------------------------------------------- */

void iscsi_isid_make(uint8_t isid[6])
{
	uint8_t r[5];

	/*
	 * Uniqueness matters here, secrecy does not, and early in boot the
	 * kernel's pool may not be ready: never wait for it.
	 */
	if (getrandom(r, sizeof(r), GRND_INSECURE) != (ssize_t)sizeof(r) &&
	    getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec a, b;
		uint64_t x;

		clock_gettime(CLOCK_REALTIME, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		x = (uint64_t)a.tv_nsec ^ (uint64_t)a.tv_sec << 32 ^ (uint64_t)b.tv_nsec << 13 ^
		    (uint64_t)getpid() << 40;
		/* splitmix64's finaliser, to spread the bits */
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
		x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
		x ^= x >> 31;
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (uint8_t)(x >> (8 * i));
	}
	/* RFC 7143 §11.12.5: T = 10b (random; 00b is OUI, 01b IANA EN), A reserved (0) */
	isid[0] = 0x80;
	memcpy(isid + 1, r, 5);	/* B, C random; D, the qualifier, random too */
}

/* ---- status ------------------------------------------------------------------ */

const char *iscsi_login_status_text(uint16_t status)
{
	switch (status) {
	case 0x0000: return "success";
	case 0x0101: return "target moved temporarily";
	case 0x0102: return "target moved permanently";
	case 0x0200: return "initiator error";
	case 0x0201: return "authentication failed";
	case 0x0202: return "initiator not authorized to access the target";
	case 0x0203: return "target not found";
	case 0x0204: return "target removed";
	case 0x0205: return "unsupported iSCSI version";
	case 0x0206: return "too many connections";
	case 0x0207: return "missing parameter";
	case 0x0208: return "cannot include the connection in the session";
	case 0x0209: return "session type not supported";
	case 0x020a: return "session does not exist";
	case 0x020b: return "invalid request during login";
	case 0x0300: return "target error";
	case 0x0301: return "service unavailable";
	case 0x0302: return "out of resources";
	default: return NULL;
	}
}

static int status_error(struct iscsi_login *l, uint16_t status, struct sr_error *err)
{
	const char *tn = l->discovery ? "(discovery)" : l->p->target_name;
	bool creds = l->p->chap.name != NULL;

	switch (status) {
	case 0x0200:
		if (l->step == STEP_SEC_CHAP_A)
			return sr_fail(err, EACCES, "target refused our CHAP_A offer: it supports none of those algorithms");
		if (l->step != STEP_SEC_CHAP_R)
			break;
		/* tgt says this when a response does not fit its idea of the algorithm. */
		l->r->chap_rejected = true;
		return sr_fail_why(err, EACCES, SR_R_CHAP_REJECTED, "target rejected our CHAP response as malformed (initiator error)");
	case 0x0201:
		if (l->step == STEP_SEC_CHAP_R) {
			l->r->chap_rejected = true;
			return sr_fail_why(err, EACCES, SR_R_CHAP_REJECTED,
					   "target rejected our CHAP response (wrong user name or secret for %s?)",
				       l->p->chap.name);
		}
		if (!creds)
			return sr_fail_why(err, EACCES, SR_R_CHAP_REQUIRED,
					   "target requires authentication, and no CHAP credentials are set");
		return sr_fail(err, EACCES, "target refused authentication before CHAP completed");
	case 0x0202:
		return sr_fail_why(err, EACCES, SR_R_TARGET_ACL, "target does not allow initiator %s to access %s",
			       l->p->initiator_name, tn);
	case 0x0203:
		return sr_fail_why(err, ENOENT, SR_R_TARGET_UNKNOWN, "target %s not found on this portal", tn);
	case 0x0204:
		return sr_fail_why(err, ENOENT, SR_R_TARGET_REMOVED, "target %s has been removed from this portal", tn);
	case 0x0205:
		return sr_fail(err, EPROTONOSUPPORT, "target does not support iSCSI version 0");
	case 0x0206:
		return sr_fail(err, EBUSY, "target refuses more connections to this session");
	case 0x0207:
		return sr_fail(err, EPROTO, "target says a login parameter is missing");
	case 0x0208:
		return sr_fail(err, EPROTO, "target cannot include this connection in the session");
	case 0x0209:
		return sr_fail(err, EPROTO, "target does not support %s sessions",
			       l->discovery ? "discovery" : "normal");
	case 0x020a:
		return sr_fail(err, ESTALE, "target no longer knows session TSIH %u", l->p->tsih);
	case 0x020b:
		return sr_fail(err, EPROTO, "target says a login request was invalid during login");
	case 0x0300:
		return sr_fail(err, EIO, "target reported an internal error");
	case 0x0301:
		return sr_fail(err, EAGAIN, "target service is unavailable for now");
	case 0x0302:
		return sr_fail_why(err, EBUSY, SR_R_TARGET_BUSY, "target is out of resources");
	default:
		break;
	}
	if (status >> 8 == 2)
		return sr_fail(err, EPROTO, "target refused the login: initiator error 0x%04x", status);
	if (status >> 8 == 3)
		return sr_fail(err, EIO, "target refused the login: target error 0x%04x", status);
	return sr_fail(err, EPROTO, "target answered with unknown login status 0x%04x", status);
}

/* ---- building requests ----------------------------------------------------- */

static void text_begin(struct iscsi_login *l)
{
	explicit_bzero(l->out, l->out_len);
	l->out_len = 0;
	l->out_off = 0;
	l->chunk = 0;
}

static struct iscsi_textbuf out_buf(struct iscsi_login *l)
{
	return (struct iscsi_textbuf){ .buf = l->out, .len = l->out_len, .cap = sizeof(l->out) };
}

static int text_commit(struct iscsi_login *l, struct iscsi_textbuf *t, struct sr_error *err)
{
	if (t->overflow)
		return sr_fail(err, E2BIG, "login text longer than %zu bytes", sizeof(l->out));
	l->out_len = t->len;
	return 0;
}

/* The keys only the first request of a login carries (§6.3, §13.4-13.6). */
static void add_leading(struct iscsi_login *l, struct iscsi_textbuf *t)
{
	if (l->first_sent)
		return;
	iscsi_text_add(t, "InitiatorName", l->p->initiator_name);
	if (l->p->initiator_alias && l->p->initiator_alias[0])
		iscsi_text_add(t, "InitiatorAlias", l->p->initiator_alias);
	if (l->discovery) {
		iscsi_text_add(t, "SessionType", "Discovery");
	} else {
		iscsi_text_add(t, "SessionType", "Normal");
		iscsi_text_add(t, "TargetName", l->p->target_name);
	}
}

static void add_owed(struct iscsi_login *l, struct iscsi_textbuf *t)
{
	if (l->owe_len && !t->overflow && t->cap - t->len >= l->owe_len) {
		memcpy(t->buf + t->len, l->owe, l->owe_len);
		t->len += l->owe_len;
	} else if (l->owe_len) {
		t->overflow = true;
	}
	l->owe_len = 0;
}

static int build_op_offer(struct iscsi_login *l, struct sr_error *err)
{
	struct iscsi_textbuf t;
	const struct iscsi_op_params *o = &l->p->offer;

	text_begin(l);
	t = out_buf(l);
	add_leading(l, &t);
	add_owed(l, &t);
	for (int k = 0; k < K_COUNT; k++) {
		const struct key_def *d = &keys[k];

		if (d->normal_only && l->discovery)
			continue;
		if (l->answered & (1u << k))
			continue;	/* the target already offered it; we answered */
		switch (d->rule) {
		case RULE_DIGEST:
			iscsi_text_add(&t, d->name, digest_offer_text(digest_offer(l, (enum op_key)k)));
			break;
		case RULE_AND:
		case RULE_OR:
			iscsi_text_add(&t, d->name, op_get(o, (enum op_key)k) ? "Yes" : "No");
			break;
		case RULE_DECLARE:	/* ours: MaxRecvDataSegmentLength */
			iscsi_text_addf(&t, d->name, "%u", o->max_recv_dsl);
			break;
		default:
			iscsi_text_addf(&t, d->name, "%u", op_get(o, (enum op_key)k));
			break;
		}
		if (d->rule != RULE_DECLARE)
			l->offered |= 1u << k;
	}
	l->csg = ISCSI_OPERATIONAL;
	l->nsg = ISCSI_FULL_FEATURE;
	l->step = STEP_OP;
	return text_commit(l, &t, err);
}

static const uint8_t *offered_algs(const struct iscsi_login *l, unsigned *n)
{
	static const uint8_t with_md5[] = { CHAP_SHA3_256, CHAP_SHA256, CHAP_SHA1, CHAP_MD5 };

	if (l->p->nchap_algs) {
		*n = l->p->nchap_algs;
		return l->p->chap_algs;
	}
	*n = l->p->md5_allowed ? 4 : 3;
	return with_md5;
}

static bool alg_offered(const struct iscsi_login *l, uint64_t alg)
{
	unsigned n;
	const uint8_t *a = offered_algs(l, &n);

	for (unsigned i = 0; i < n; i++)
		if (a[i] == alg && (alg != CHAP_MD5 || l->p->md5_allowed))
			return true;
	return false;
}

static int build_chap_a(struct iscsi_login *l, struct sr_error *err)
{
	struct iscsi_textbuf t;
	unsigned n, used = 0;
	const uint8_t *a = offered_algs(l, &n);
	char list[32];
	size_t o = 0;

	for (unsigned i = 0; i < n; i++) {
		if (a[i] == CHAP_MD5 && !l->p->md5_allowed)
			continue;
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%u", used++ ? "," : "", a[i]);
	}
	if (!used)
		return sr_fail_why(err, EINVAL, SR_R_MD5_REFUSED, "no CHAP algorithm is allowed (MD5 is refused and no other was offered)");
	text_begin(l);
	t = out_buf(l);
	add_owed(l, &t);
	iscsi_text_add(&t, "CHAP_A", list);
	l->step = STEP_SEC_CHAP_A;
	return text_commit(l, &t, err);
}

static int build_empty_transit(struct iscsi_login *l, enum iscsi_login_step step, struct sr_error *err)
{
	struct iscsi_textbuf t;

	text_begin(l);
	t = out_buf(l);
	add_owed(l, &t);
	l->step = step;
	return text_commit(l, &t, err);
}

/* ---- CHAP (§12.1.3) ------------------------------------------------------------ */

static int chap_answer(struct iscsi_login *l, uint64_t alg, uint64_t id, struct sr_error *err)
{
	const struct iscsi_chap_creds *c = &l->p->chap;
	bool tgt7 = l->p->chap7_sha1;
	size_t dlen = chap_digest_len((int)alg, tgt7);
	uint8_t resp[CHAP_DIGEST_MAX];
	char hex[2 * CHAP_DIGEST_MAX + 3];
	struct iscsi_textbuf t;
	int rc;

	rc = chap_response((int)alg, tgt7, (uint8_t)id, c->secret, strlen(c->secret),
			   l->their_challenge, l->their_challenge_len, resp, err);
	if (rc < 0)
		return rc;
	text_begin(l);
	t = out_buf(l);
	add_owed(l, &t);
	iscsi_text_add(&t, "CHAP_N", c->name);
	iscsi_encode_hex(resp, dlen, hex);
	iscsi_text_add(&t, "CHAP_R", hex);
	explicit_bzero(resp, sizeof(resp));

	if (c->target_name) {
		/* Mutual: our own challenge, as long as the digest, never the target's one. */
		l->challenge_len = dlen;
		do {
			rc = chap_random(l->challenge, dlen, false, err);
			if (rc == -EAGAIN) {
				iscsi_logf(l->p->log, ISCSI_LOG_WARN,
					   "waiting for the kernel's random number generator to make a CHAP challenge");
				l->random_waited = true;
				rc = chap_random(l->challenge, dlen, true, err);
			}
			if (rc < 0)
				return rc;
		} while (l->their_challenge_len == dlen && chap_equal(l->challenge, l->their_challenge, dlen));
		rc = chap_random(&l->chap_id, 1, true, err);
		if (rc < 0)
			return rc;
		iscsi_text_addf(&t, "CHAP_I", "%u", l->chap_id);
		iscsi_encode_hex(l->challenge, dlen, hex);
		iscsi_text_add(&t, "CHAP_C", hex);
	}
	l->step = STEP_SEC_CHAP_R;
	l->csg = ISCSI_SECURITY;
	l->nsg = ISCSI_OPERATIONAL;
	return text_commit(l, &t, err);
}

/* The target's answer to our challenge: it must know its own secret. */
static int chap_check_target(struct iscsi_login *l, const struct iscsi_kv *n, const struct iscsi_kv *r,
			     struct sr_error *err)
{
	const struct iscsi_chap_creds *c = &l->p->chap;
	uint8_t want[CHAP_DIGEST_MAX], got[CHAP_DIGEST_MAX];
	size_t dlen = chap_digest_len(l->r->chap_alg, l->p->chap7_sha1), glen = 0;
	char shown[64];
	int rc;

	if (!n || !r)
		return sr_fail_why(err, EACCES, SR_R_MUTUAL_NO_ANSWER,
				   "target did not answer our challenge (mutual CHAP): no %s",
			       !n ? "CHAP_N" : "CHAP_R");
	if (!iscsi_value_is(n, c->target_name))
		return sr_fail_why(err, EACCES, SR_R_MUTUAL_WRONG_NAME,
				   "target answered our challenge as '%s', expected '%s'",
			       quote_printable(shown, sizeof(shown), n->value, n->value_len > 40 ? 40 : n->value_len),
			       c->target_name);
	if (iscsi_decode_binary(r->value, r->value_len, got, sizeof(got), &glen) < 0 || glen != dlen)
		return sr_fail(err, EPROTO, "target's CHAP_R is not a %zu-byte binary value", dlen);
	rc = chap_response(l->r->chap_alg, l->p->chap7_sha1, l->chap_id, c->target_secret,
			   strlen(c->target_secret), l->challenge, l->challenge_len, want, err);
	if (rc < 0)
		return rc;
	rc = chap_equal(want, got, dlen);
	explicit_bzero(want, sizeof(want));
	if (!rc)
		return sr_fail_why(err, EACCES, SR_R_MUTUAL_FAILED,
				   "target failed mutual CHAP: its response does not match the target secret");
	l->r->mutual = true;
	return 0;
}

/* ---- reading responses -------------------------------------------------------- */

static bool special_value(const struct iscsi_kv *kv)
{
	return iscsi_value_is(kv, "Reject") || iscsi_value_is(kv, "NotUnderstood") ||
	       iscsi_value_is(kv, "Irrelevant");
}

static void owe(struct iscsi_login *l, const struct iscsi_kv *kv, const char *value)
{
	struct iscsi_textbuf t = { .buf = l->owe, .len = l->owe_len, .cap = sizeof(l->owe) };
	char key[ISCSI_KEY_MAX + 1];

	iscsi_text_copy(key, sizeof(key), kv->key, kv->key_len);
	iscsi_text_add(&t, key, value);
	if (t.overflow)
		l->owe_overflow = true;	/* refused once the response is read */
	else
		l->owe_len = t.len;
}

static int bad_answer(const struct iscsi_kv *kv, const char *why, struct sr_error *err)
{
	char v[48];

	quote_printable(v, sizeof(v), kv->value, kv->value_len > 32 ? 32 : kv->value_len);
	return sr_fail(err, EPROTO, "target answered %.*s=%s: %s", (int)kv->key_len, kv->key, v, why);
}

/* A value for key k from the target, in range; digests give 0 (None) or 1 (CRC32C). */
static int parse_op_value(enum op_key k, const struct iscsi_kv *kv, uint32_t *v)
{
	const struct key_def *d = &keys[k];
	uint64_t n;
	bool b;

	switch (d->rule) {
	case RULE_DIGEST:
		if (iscsi_value_is(kv, "None"))
			*v = 0;
		else if (iscsi_value_is(kv, "CRC32C"))
			*v = 1;
		else
			return -EINVAL;
		return 0;
	case RULE_AND:
	case RULE_OR:
		if (iscsi_parse_bool(kv->value, kv->value_len, &b) < 0)
			return -EINVAL;
		*v = b;
		return 0;
	default:
		if (iscsi_parse_number(kv->value, kv->value_len, d->max, &n) < 0 || n < d->min)
			return -EINVAL;
		*v = (uint32_t)n;
		return 0;
	}
}

/* The target offered a key we did not: answer it by its rule (§6.2). */
static int answer_target_offer(struct iscsi_login *l, enum op_key k, const struct iscsi_kv *kv,
			       struct sr_error *err)
{
	const struct key_def *d = &keys[k];
	struct iscsi_op_params *neg = &l->r->neg;
	uint32_t ours = op_get(&l->p->offer, k), theirs, res;
	char buf[16];

	if (d->normal_only && l->discovery) {
		owe(l, kv, "Irrelevant");
		return 0;
	}
	if (d->rule == RULE_DIGEST) {
		/* Their list, in their order: the first value we accept. */
		const char *p = kv->value, *end = kv->value + kv->value_len;

		while (p < end) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
			bool crc = n == 6 && !memcmp(p, "CRC32C", 6);
			bool none = n == 4 && !memcmp(p, "None", 4);

			if ((crc || none) && digest_offer_allows(digest_offer(l, k), crc)) {
				op_set(neg, k, crc);
				owe(l, kv, crc ? "CRC32C" : "None");
				l->answered |= 1u << k;
				return 0;
			}
			p += n + (comma ? 1 : 0);
		}
		owe(l, kv, "Reject");
		return sr_fail(err, EPROTO, "target offers %s=%.*s, and none of it is acceptable",
			       d->name, (int)(kv->value_len > 32 ? 32 : kv->value_len), kv->value);
	}
	if (parse_op_value(k, kv, &theirs) < 0)
		return bad_answer(kv, "not a valid value for the key", err);
	switch (d->rule) {
	case RULE_AND: res = ours && theirs; break;
	case RULE_OR: res = ours || theirs; break;
	case RULE_MIN: res = ours < theirs ? ours : theirs; break;
	case RULE_MAX: res = ours > theirs ? ours : theirs; break;
	default: res = theirs; break;
	}
	op_set(neg, k, res);
	if (d->rule == RULE_AND || d->rule == RULE_OR)
		owe(l, kv, res ? "Yes" : "No");
	else {
		snprintf(buf, sizeof(buf), "%u", res);
		owe(l, kv, buf);
	}
	l->answered |= 1u << k;
	return 0;
}

static int op_key_answer(struct iscsi_login *l, enum op_key k, const struct iscsi_kv *kv,
			 struct sr_error *err)
{
	const struct key_def *d = &keys[k];
	struct iscsi_op_params *neg = &l->r->neg;
	struct iscsi_op_params def;
	uint32_t ours = op_get(&l->p->offer, k), v;

	if (d->rule == RULE_DECLARE) {
		/* The target's MaxRecvDataSegmentLength: how much we may send it per PDU. */
		if (parse_op_value(k, kv, &v) < 0)
			return bad_answer(kv, "not a length in 512..16777215", err);
		op_set(neg, k, v);
		return 0;
	}
	if (!(l->offered & (1u << k)))
		return answer_target_offer(l, k, kv, err);
	if (l->answered & (1u << k))
		return bad_answer(kv, "answered a second time", err);
	l->answered |= 1u << k;
	if (special_value(kv)) {
		/* The key keeps its RFC default; the final checks refuse what we cannot live with. */
		iscsi_op_rfc_defaults(&def);
		op_set(neg, k, op_get(&def, k));
		iscsi_logf(l->p->log, ISCSI_LOG_INFO, "target answered %s=%.*s; using the default",
			   d->name, (int)kv->value_len, kv->value);
		return 0;
	}
	if (parse_op_value(k, kv, &v) < 0)
		return bad_answer(kv, "not a valid value for the key", err);
	switch (d->rule) {
	case RULE_DIGEST:
		if (!digest_offer_allows(digest_offer(l, k), v))
			return sr_fail(err, EPROTO, "target does not accept %s=%s (it answered %s)", d->name,
				       digest_offer_text(digest_offer(l, k)), v ? "CRC32C" : "None");
		break;
	case RULE_AND:
		if (v && !ours)
			return bad_answer(kv, "our No makes the result No", err);
		break;
	case RULE_OR:
		if (!v && ours)
			return bad_answer(kv, "our Yes makes the result Yes", err);
		break;
	case RULE_MIN:
		if (v > ours)
			return bad_answer(kv, "above what we offered", err);
		break;
	case RULE_MAX:
		if (v < ours)
			return bad_answer(kv, "below what we offered", err);
		break;
	default:
		break;
	}
	op_set(neg, k, v);
	return 0;
}

static int take_tpgt(struct iscsi_login *l, const struct iscsi_kv *kv, struct sr_error *err)
{
	uint64_t v;

	if (iscsi_parse_number(kv->value, kv->value_len, 65535, &v) < 0)
		return bad_answer(kv, "not a portal group tag (0..65535)", err);
	if (l->saw_tpgt && (uint64_t)l->r->tpgt != v)
		return sr_fail(err, EPROTO, "target changed its portal group tag from %d to %u during login",
			       l->r->tpgt, (unsigned)v);
	if (l->p->expect_tpgt >= 0 && (uint64_t)l->p->expect_tpgt != v)
		return sr_fail(err, EPROTO, "portal belongs to portal group %u, not the %d asked for",
			       (unsigned)v, l->p->expect_tpgt);
	l->saw_tpgt = true;
	l->r->tpgt = (int)v;
	return 0;
}

/* Keys any response may carry; 1 if kv was one of them. */
static int common_key(struct iscsi_login *l, const struct iscsi_kv *kv, struct sr_error *err)
{
	if (iscsi_key_is(kv, "TargetPortalGroupTag")) {
		int rc = take_tpgt(l, kv, err);

		return rc < 0 ? rc : 1;
	}
	if (iscsi_key_is(kv, "TargetAlias")) {
		if (!iscsi_text_copy(l->r->target_alias, sizeof(l->r->target_alias), kv->value, kv->value_len))
			return bad_answer(kv, "longer than 255 bytes", err);
		return 1;
	}
	if (iscsi_key_is(kv, "TargetAddress"))
		return 1;	/* meaningful with a redirection status only */
	for (int k = 0; k < K_COUNT; k++) {
		if (iscsi_key_is(kv, keys[k].name)) {
			int rc = op_key_answer(l, (enum op_key)k, kv, err);

			return rc < 0 ? rc : 1;
		}
	}
	return 0;
}

/* A key nobody handled: answer NotUnderstood, unless it is itself an answer. */
static void unknown_key(struct iscsi_login *l, const struct iscsi_kv *kv)
{
	iscsi_logf(l->p->log, ISCSI_LOG_DEBUG, "target sent unknown key %.*s", (int)kv->key_len, kv->key);
	if (!special_value(kv))
		owe(l, kv, "NotUnderstood");
}

struct sec_keys {
	const struct iscsi_kv *auth, *alg, *id, *challenge, *name, *response;
	struct iscsi_kv store[6];
};

static int collect(struct iscsi_login *l, struct sec_keys *s, struct sr_error *err)
{
	static const char *const names[] = { "AuthMethod", "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R" };
	const struct iscsi_kv **slot[] = { &s->auth, &s->alg, &s->id, &s->challenge, &s->name, &s->response };
	struct cursor c = cursor_make(l->in, l->in_len);
	struct iscsi_kv kv;
	int rc;

	memset(s, 0, sizeof(*s));
	while ((rc = iscsi_text_next(&c, &kv, err)) > 0) {
		bool done = false;

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (!iscsi_key_is(&kv, names[i]))
				continue;
			if (*slot[i])
				return sr_fail(err, EPROTO, "target sent %s twice", names[i]);
			s->store[i] = kv;
			*slot[i] = &s->store[i];
			done = true;
		}
		if (done)
			continue;
		rc = common_key(l, &kv, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			unknown_key(l, &kv);
	}
	return rc;
}

static int security_response(struct iscsi_login *l, bool transit, struct sr_error *err)
{
	const struct iscsi_chap_creds *c = &l->p->chap;
	struct sec_keys s;
	uint64_t alg, id;
	int rc;

	rc = collect(l, &s, err);
	if (rc < 0)
		return rc;
	switch (l->step) {
	case STEP_SEC_AUTHMETHOD:
		if (!s.auth) {
			if (!transit)
				return sr_fail(err, EPROTO, "target did not answer AuthMethod");
		} else if (iscsi_value_is(s.auth, "CHAP")) {
			if (!c->name)
				return sr_fail(err, EPROTO, "target chose AuthMethod=CHAP, which we did not offer");
			if (transit)
				return sr_fail(err, EPROTO, "target left the security stage before CHAP ran");
			return build_chap_a(l, err);
		} else if (!iscsi_value_is(s.auth, "None")) {
			if (special_value(s.auth))
				return sr_fail(err, EACCES, "target refused our AuthMethod offer (%s)",
					       c->name ? "CHAP,None" : "None");
			return bad_answer(s.auth, "we did not offer it", err);
		}
		/* No authentication. */
		if (c->name && !l->p->noauth_allowed)
			return sr_fail(err, EPERM,
				       "target let us in without authentication although CHAP credentials are set; refused (sanroot.noauth=1 allows it)");
		break;
	case STEP_SEC_CHAP_A:
		if (!s.alg || !s.id || !s.challenge)
			return sr_fail(err, EPROTO, "target did not send its CHAP challenge (CHAP_A, CHAP_I, CHAP_C)");
		if (special_value(s.alg))
			return sr_fail(err, EACCES, "target supports none of the CHAP algorithms we offered%s",
				       l->p->md5_allowed ? "" : " (MD5 is refused: sanroot.md5=0)");
		if (iscsi_parse_number(s.alg->value, s.alg->value_len, 255, &alg) < 0 || !alg_offered(l, alg)) {
			if (iscsi_value_is(s.alg, "5") && !l->p->md5_allowed)
				return sr_fail_why(err, EACCES, SR_R_MD5_REFUSED,
						   "target insists on CHAP with MD5, which sanroot.md5=0 refuses");
			return bad_answer(s.alg, "we did not offer that CHAP algorithm", err);
		}
		if (iscsi_parse_number(s.id->value, s.id->value_len, 255, &id) < 0)
			return bad_answer(s.id, "not an identifier in 0..255", err);
		if (iscsi_decode_binary(s.challenge->value, s.challenge->value_len, l->their_challenge,
					sizeof(l->their_challenge), &l->their_challenge_len) < 0)
			return sr_fail(err, EPROTO, "target's CHAP_C is not a binary value of 1..%d bytes",
				       CHAP_CHALLENGE_MAX);
		if (transit)
			return sr_fail(err, EPROTO, "target left the security stage before CHAP ran");
		l->r->chap_alg = (uint8_t)alg;
		l->r->chap7_sha1 = l->p->chap7_sha1;
		iscsi_logf(l->p->log, ISCSI_LOG_DEBUG, "target chose CHAP_A=%u (%s%s)", (unsigned)alg,
			   chap_alg_name((int)alg, l->p->chap7_sha1),
			   alg == CHAP_SHA256 && l->p->chap7_sha1 ? ", tgt's numbering" : "");
		return chap_answer(l, alg, id, err);
	case STEP_SEC_CHAP_R:
		if (c->target_name) {
			rc = chap_check_target(l, s.name, s.response, err);
			if (rc < 0)
				return rc;
		}
		break;
	default:
		break;
	}
	if (transit) {
		/* Moving on to the operational stage: offer everything there. */
		return build_op_offer(l, err);
	}
	return build_empty_transit(l, STEP_SEC_TRANSIT, err);
}

static int operational_response(struct iscsi_login *l, struct sr_error *err)
{
	struct cursor c = cursor_make(l->in, l->in_len);
	struct iscsi_kv kv;
	int rc;

	while ((rc = iscsi_text_next(&c, &kv, err)) > 0) {
		rc = common_key(l, &kv, err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			/* Security keys after the security stage are noise; anything else gets an answer. */
			if (!iscsi_key_is(&kv, "AuthMethod") && (kv.key_len < 5 || memcmp(kv.key, "CHAP_", 5)))
				unknown_key(l, &kv);
		}
	}
	return rc;
}

static int final_checks(struct iscsi_login *l, struct sr_error *err)
{
	struct iscsi_op_params *n = &l->r->neg;

	if (!digest_offer_allows(l->p->header_digest, n->header_digest))
		return sr_fail(err, EPROTO, "target did not accept HeaderDigest=CRC32C");
	if (!digest_offer_allows(l->p->data_digest, n->data_digest))
		return sr_fail(err, EPROTO, "target did not accept DataDigest=CRC32C");
	if (!l->discovery && n->first_burst > n->max_burst)
		return sr_fail(err, EPROTO, "negotiated FirstBurstLength %u exceeds MaxBurstLength %u",
			       n->first_burst, n->max_burst);
	if (n->max_connections < 1)
		return sr_fail(err, EPROTO, "negotiated MaxConnections is 0");
	return 0;
}

/* ---- the machine --------------------------------------------------------------- */

static int check_name(const char *what, const char *v, struct sr_error *err)
{
	size_t n = v ? strlen(v) : 0;

	if (n == 0 || n >= ISCSI_NAME_MAX)
		return sr_fail(err, EINVAL, "%s must be 1..%d bytes", what, ISCSI_NAME_MAX - 1);
	return 0;
}

int iscsi_login_begin(struct iscsi_login *l, const struct iscsi_login_params *p,
		      struct iscsi_login_result *r, struct sr_error *err)
{
	const struct iscsi_chap_creds *c = &p->chap;
	int rc;

	memset(l, 0, sizeof(*l));
	memset(r, 0, sizeof(*r));
	l->p = p;
	l->r = r;
	l->itt = LOGIN_ITT;
	l->exp_statsn = p->exp_statsn;
	l->discovery = !p->target_name || !p->target_name[0];
	memcpy(r->isid, p->isid, 6);
	r->tsih = p->tsih;
	r->cid = p->cid;
	r->cmdsn = p->cmdsn;
	r->tpgt = -1;
	iscsi_op_rfc_defaults(&r->neg);
	r->neg.max_recv_dsl = p->offer.max_recv_dsl;

	if ((rc = check_name("the initiator name", p->initiator_name, err)) < 0)
		return rc;
	if (!l->discovery && (rc = check_name("the target name", p->target_name, err)) < 0)
		return rc;
	if (p->offer.max_recv_dsl < 512 || p->offer.max_recv_dsl > 16777215)
		return sr_fail(err, EINVAL, "MaxRecvDataSegmentLength %u is outside 512..16777215",
			       p->offer.max_recv_dsl);
	if (!c->name != !c->secret || !c->target_name != !c->target_secret)
		return sr_fail(err, EINVAL, "a CHAP name needs a secret and a secret a name");
	if (c->target_name && !c->name)
		return sr_fail(err, EINVAL, "mutual CHAP needs the initiator's CHAP credentials too");
	if (c->name) {
		if (!c->name[0] || !c->secret[0])
			return sr_fail(err, EINVAL, "empty CHAP name or secret");
		if (strlen(c->name) > ISCSI_VALUE_MAX)
			return sr_fail(err, EINVAL, "CHAP name longer than %d bytes", ISCSI_VALUE_MAX);
		if (strlen(c->secret) < CHAP_SECRET_MIN)
			iscsi_logf(p->log, ISCSI_LOG_WARN,
				   "the CHAP secret is shorter than %d bytes: RFC 7143 calls such secrets weak",
				   CHAP_SECRET_MIN);
	}
	if (c->target_name) {
		if (!c->target_name[0] || !c->target_secret[0])
			return sr_fail(err, EINVAL, "empty target CHAP name or secret");
		if (strlen(c->target_secret) < CHAP_SECRET_MIN)
			iscsi_logf(p->log, ISCSI_LOG_WARN,
				   "the target's CHAP secret is shorter than %d bytes: RFC 7143 calls such secrets weak",
				   CHAP_SECRET_MIN);
		/* RFC 7143 §9.2.1: one secret for both directions invites reflection. */
		if (!strcmp(c->secret, c->target_secret))
			return sr_fail(err, EINVAL,
				       "the target's CHAP secret equals ours; mutual CHAP needs two different secrets (RFC 7143 §9.2.1)");
	}
	for (unsigned i = 0; i < p->nchap_algs; i++)
		if (!chap_digest_len(p->chap_algs[i], p->chap7_sha1))
			return sr_fail(err, EINVAL, "CHAP algorithm %u is not supported", p->chap_algs[i]);

	if (c->name) {
		struct iscsi_textbuf t = out_buf(l);

		add_leading(l, &t);
		iscsi_text_add(&t, "AuthMethod", "CHAP,None");
		l->csg = ISCSI_SECURITY;
		l->nsg = ISCSI_OPERATIONAL;
		l->step = STEP_SEC_AUTHMETHOD;
		return text_commit(l, &t, err);
	}
	/* Nothing to authenticate: straight to the operational stage, one round trip. */
	return build_op_offer(l, err);
}

void iscsi_login_request(struct iscsi_login *l, struct iscsi_pdu *req)
{
	uint8_t *h = req->bhs;
	size_t left = l->out_len - l->out_off;
	bool more = left > ISCSI_LOGIN_PDU_DATA;

	if (l->in_partial) {
		/* Asking for the rest of the target's text: an empty request, T as before (§6.2). */
		more = false;
		left = 0;
	}
	l->chunk = more ? ISCSI_LOGIN_PDU_DATA : left;
	memset(h, 0, ISCSI_BHS_LEN);
	h[0] = ISCSI_IMMEDIATE | ISCSI_OP_LOGIN_REQ;
	h[1] = (uint8_t)(l->csg << 2);
	if (more)
		h[1] |= ISCSI_LOGIN_C;
	else if (l->step != STEP_SEC_CHAP_A)
		h[1] |= ISCSI_LOGIN_T | l->nsg;	/* CHAP needs another exchange before we can move */
	h[2] = 0;	/* Version-max */
	h[3] = 0;	/* Version-min */
	memcpy(h + 8, l->p->isid, 6);
	iscsi_put16(h, 14, l->p->tsih);
	iscsi_put32(h, 16, l->itt);
	iscsi_put16(h, 20, l->p->cid);
	iscsi_put32(h, 24, l->p->cmdsn);
	iscsi_put32(h, 28, l->exp_statsn);
	req->ahs = NULL;
	req->ahs_len = 0;
	req->data = l->chunk ? l->out + l->out_off : NULL;
	req->data_len = l->chunk;
	l->first_sent = true;
}

int iscsi_login_response(struct iscsi_login *l, const struct iscsi_pdu *rsp, struct sr_error *err)
{
	const uint8_t *h = rsp->bhs;
	struct iscsi_login_result *r = l->r;
	uint8_t op = iscsi_opcode(h), flags = h[1];
	bool transit = flags & ISCSI_LOGIN_T, cont = flags & ISCSI_LOGIN_C;
	bool asked_transit;
	uint16_t status;
	uint8_t stage;
	int rc;

	if (++l->exchanges > ISCSI_LOGIN_EXCHANGES)
		return sr_fail(err, EPROTO, "login did not finish after %d exchanges", ISCSI_LOGIN_EXCHANGES);
	if (op == ISCSI_OP_REJECT)
		return sr_fail(err, EPROTO, "target rejected our login request (reason 0x%02x)", h[2]);
	if (op != ISCSI_OP_LOGIN_RSP) {
		char tmp[16];

		return sr_fail(err, EPROTO, "target answered the login with a %s PDU",
			       iscsi_opcode_name(op, tmp, sizeof(tmp)));
	}
	if (rsp->ahs_len)
		return sr_fail(err, EPROTO, "login response carries an AHS");
	status = (uint16_t)(h[36] << 8 | h[37]);
	r->status = status;
	r->statsn = iscsi_get32(h, 24);
	r->exp_cmdsn = iscsi_get32(h, 28);
	r->max_cmdsn = iscsi_get32(h, 32);
	l->exp_statsn = r->statsn + 1;

	if (status != 0) {
		if (status == 0x0101 || status == 0x0102) {
			struct cursor c = cursor_make(rsp->data, rsp->data_len);
			struct iscsi_kv kv;
			int tpgt;

			while ((rc = iscsi_text_next(&c, &kv, err)) > 0) {
				if (!iscsi_key_is(&kv, "TargetAddress"))
					continue;
				rc = iscsi_parse_target_address(kv.value, kv.value_len, &r->redirect, &tpgt, err);
				if (rc < 0)
					return rc;
				r->redirect_permanent = status == 0x0102;
				return ISCSI_LOGIN_REDIRECT;
			}
			if (rc < 0)
				return rc;
			return sr_fail(err, EPROTO, "target redirected us without a TargetAddress");
		}
		return status_error(l, status, err);
	}
	/* Checked after the status: tgt zeroes the ISID of its failure responses. */
	if (memcmp(h + 8, l->p->isid, 6))
		return sr_fail(err, EPROTO, "login response carries another ISID");
	if (h[3] != 0)
		return sr_fail(err, EPROTONOSUPPORT, "target chose iSCSI version %u; we speak version 0", h[3]);
	if (transit && cont)
		return sr_fail(err, EPROTO, "login response has both the T and the C bit");
	if (ISCSI_LOGIN_CSG(flags) != l->csg)
		return sr_fail(err, EPROTO, "login response is for stage %u, we are in stage %u",
			       ISCSI_LOGIN_CSG(flags), l->csg);
	asked_transit = (l->in_partial || l->out_off + l->chunk >= l->out_len) && l->step != STEP_SEC_CHAP_A;
	if (transit && (!asked_transit || ISCSI_LOGIN_NSG(flags) != l->nsg))
		return sr_fail(err, EPROTO, "target moved to stage %u, which we did not ask for",
			       ISCSI_LOGIN_NSG(flags));

	/* Our text went in pieces: the target acknowledges each with an empty response. */
	if (l->out_off + l->chunk < l->out_len) {
		if (rsp->data_len || transit)
			return sr_fail(err, EPROTO, "target answered before our login text was complete");
		l->out_off += l->chunk;
		return ISCSI_LOGIN_CONTINUE;
	}
	l->out_off = l->out_len;

	if (rsp->data_len > sizeof(l->in) - l->in_len)
		return sr_fail(err, EMSGSIZE, "target's login text is longer than %zu bytes", sizeof(l->in));
	if (rsp->data_len)
		memcpy(l->in + l->in_len, rsp->data, rsp->data_len);
	l->in_len += rsp->data_len;
	if (cont) {
		l->in_partial = true;
		return ISCSI_LOGIN_CONTINUE;
	}
	l->in_partial = false;

	stage = l->csg;
	if (stage == ISCSI_SECURITY)
		rc = security_response(l, transit, err);
	else
		rc = operational_response(l, err);
	l->in_len = 0;
	if (rc < 0)
		return rc;
	if (l->owe_overflow)
		return sr_fail(err, EPROTO, "target offered more keys than one answer can hold (%zu bytes)",
			       sizeof(l->owe));

	if (stage == ISCSI_OPERATIONAL && transit) {
		if (ISCSI_LOGIN_NSG(flags) != ISCSI_FULL_FEATURE)
			return sr_fail(err, EPROTO, "target moved to stage %u", ISCSI_LOGIN_NSG(flags));
		if (l->owe_len)
			return sr_fail(err, EPROTO, "target ended the login while we still owed it answers");
		rc = final_checks(l, err);
		if (rc < 0)
			return rc;
		r->tsih = iscsi_get16(h, 14);
		if (r->tsih == 0)
			return sr_fail(err, EPROTO, "target completed the login without a TSIH");
		if (l->p->tsih && r->tsih != l->p->tsih)
			return sr_fail(err, EPROTO, "target answered TSIH %u for session %u", r->tsih, l->p->tsih);
		l->step = STEP_DONE;
		return ISCSI_LOGIN_DONE;
	}
	if (stage == ISCSI_OPERATIONAL) {
		/* Not there yet: answer what the target offered and ask again. */
		rc = build_empty_transit(l, STEP_OP_TRANSIT, err);
		if (rc < 0)
			return rc;
	}
	return ISCSI_LOGIN_CONTINUE;
}

void iscsi_login_end(struct iscsi_login *l)
{
	explicit_bzero(l->out, sizeof(l->out));
	explicit_bzero(l->in, sizeof(l->in));
	explicit_bzero(l->challenge, sizeof(l->challenge));
	explicit_bzero(l->their_challenge, sizeof(l->their_challenge));
}

/* The keys of a login PDU, one message each, for tracing; values are never secrets. */
static void trace_keys(const struct iscsi_log *log, const char *dir, const struct iscsi_pdu *pdu)
{
	struct cursor c = cursor_make(pdu->data, pdu->data_len);
	struct iscsi_kv kv;
	char v[96];

	if (!log || log->max_level < ISCSI_LOG_TRACE)
		return;
	while (iscsi_text_next(&c, &kv, NULL) > 0)
		iscsi_logf(log, ISCSI_LOG_TRACE, "  %s %.*s=%s", dir, (int)kv.key_len, kv.key,
			   quote_printable(v, sizeof(v), kv.value, kv.value_len));
}

int iscsi_login(struct iscsi_transport *t, const struct iscsi_login_params *p,
		struct iscsi_login_result *r, int64_t deadline, struct sr_error *err)
{
	static struct iscsi_login l;	/* 33 KiB: off the stack of a small initramfs tool */
	struct iscsi_pdu req, rsp;
	char desc[160];
	int rc;

	rc = iscsi_login_begin(&l, p, r, err);
	while (rc >= 0) {
		iscsi_login_request(&l, &req);
		iscsi_logf(p->log, ISCSI_LOG_DEBUG, "send %s", iscsi_pdu_describe(&req, desc, sizeof(desc)));
		trace_keys(p->log, ">", &req);
		rc = t->send(t, &req, deadline, err);
		if (rc < 0)
			break;
		rc = t->recv(t, &rsp, deadline, err);
		if (rc < 0)
			break;
		iscsi_logf(p->log, ISCSI_LOG_DEBUG, "recv %s", iscsi_pdu_describe(&rsp, desc, sizeof(desc)));
		trace_keys(p->log, "<", &rsp);
		if (!t->itt_rewritten && iscsi_opcode(rsp.bhs) == ISCSI_OP_LOGIN_RSP &&
		    iscsi_itt(rsp.bhs) != l.itt) {
			rc = sr_fail(err, EPROTO, "login response carries ITT 0x%08x, not ours", iscsi_itt(rsp.bhs));
			break;
		}
		rc = iscsi_login_response(&l, &rsp, err);
		if (rc != ISCSI_LOGIN_CONTINUE)
			break;
		rc = 0;
	}
	iscsi_login_end(&l);
	return rc;
}
