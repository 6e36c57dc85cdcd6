// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel handoff of an iSCSI session (open-iscsi's order, see
 * iscsi_handoff.h): the parameters the kernel must be given, and the
 * NETLINK_ISCSI sequences that log in, re-login and log out.
 *
 * Why the login travels through the kernel (BIND_CONN first) rather than on
 * the plain socket before BIND_CONN: the kernel owns the session's CmdSN.
 * It writes its own into every login request and opens its command window
 * from the login response. After a connection failure, commands already
 * consumed CmdSNs that userspace cannot read back, so a login on the plain
 * socket could not tell a reinstated session where to start; through the
 * passthrough the first login and every re-login are the same code.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "iscsi/iscsi_connect.h"
#include "iscsi/kernel/iscsi_handoff.h"
#include "iscsi/iscsi_tcp.h"

/* ---- Configuration ---------------------------------------------------------------- */

void iscsi_handoff_conf_defaults(struct iscsi_handoff_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->replacement_timeout = 86400;
	c->noop_interval = 10;
	c->noop_timeout = 15;
	c->abort_timeout = 15;
	c->lu_reset_timeout = 30;
	c->tgt_reset_timeout = 30;
	c->fast_abort = true;
	c->cmds_max = 128;
	c->queue_depth = 32;
	c->login_timeout = 15;
	c->login_retry_max = -1;
	iscsi_op_offer_defaults(&c->offer);
	c->header_digest = ISCSI_DIGEST_PREFER_NONE;
	c->data_digest = ISCSI_DIGEST_PREFER_NONE;
	c->chap_in_kernel = true;
}

enum conf_key {
	CF_REPLACEMENT, CF_NOOP_INTERVAL, CF_NOOP_TIMEOUT, CF_ABORT, CF_LU_RESET, CF_TGT_RESET,
	CF_FAST_ABORT, CF_CMDS_MAX, CF_QUEUE_DEPTH, CF_LOGIN_TIMEOUT, CF_LOGIN_RETRY,
	CF_MAX_RECV, CF_FIRST_BURST, CF_MAX_BURST, CF_IMMEDIATE, CF_INITIAL_R2T,
	CF_HEADER_DIGEST, CF_DATA_DIGEST, CF_MAX_R2T, CF_TIME2WAIT, CF_TIME2RETAIN,
	CF_CHAP_IN_KERNEL,
};

static const struct conf_name {
	const char *name;	/* open-iscsi's node record name, or sanroot's */
	enum conf_key key;
	uint32_t min, max;
} conf_names[] = {
	{ "node.session.timeo.replacement_timeout", CF_REPLACEMENT, 0, 31536000 },
	{ "node.conn[0].timeo.noop_out_interval", CF_NOOP_INTERVAL, 0, 3600 },
	{ "node.conn[0].timeo.noop_out_timeout", CF_NOOP_TIMEOUT, 0, 3600 },
	{ "node.session.err_timeo.abort_timeout", CF_ABORT, 1, 3600 },
	{ "node.session.err_timeo.lu_reset_timeout", CF_LU_RESET, 1, 3600 },
	{ "node.session.err_timeo.tgt_reset_timeout", CF_TGT_RESET, 1, 3600 },
	{ "node.session.iscsi.FastAbort", CF_FAST_ABORT, 0, 1 },
	{ "node.session.cmds_max", CF_CMDS_MAX, 2, 2048 },
	{ "node.session.queue_depth", CF_QUEUE_DEPTH, 1, 1024 },
	{ "node.conn[0].timeo.login_timeout", CF_LOGIN_TIMEOUT, 1, 3600 },
	{ "node.session.initial_login_retry_max", CF_LOGIN_RETRY, 0, 1000 },
	{ "node.conn[0].iscsi.MaxRecvDataSegmentLength", CF_MAX_RECV, 512, 16777215 },
	{ "node.session.iscsi.FirstBurstLength", CF_FIRST_BURST, 512, 16777215 },
	{ "node.session.iscsi.MaxBurstLength", CF_MAX_BURST, 512, 16777215 },
	{ "node.session.iscsi.ImmediateData", CF_IMMEDIATE, 0, 1 },
	{ "node.session.iscsi.InitialR2T", CF_INITIAL_R2T, 0, 1 },
	{ "node.conn[0].iscsi.HeaderDigest", CF_HEADER_DIGEST, 0, 0 },
	{ "node.conn[0].iscsi.DataDigest", CF_DATA_DIGEST, 0, 0 },
	{ "node.session.iscsi.MaxOutstandingR2T", CF_MAX_R2T, 1, 65535 },
	{ "node.session.iscsi.DefaultTime2Wait", CF_TIME2WAIT, 0, 3600 },
	{ "node.session.iscsi.DefaultTime2Retain", CF_TIME2RETAIN, 0, 3600 },
	{ "sanroot.chap_in_kernel", CF_CHAP_IN_KERNEL, 0, 1 },
};

static const char *last_component(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot ? dot + 1 : name;
}

/* The full name exactly, or its last component in any case ("replacement_timeout"). */
static const struct conf_name *conf_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(conf_names) / sizeof(conf_names[0]); i++)
		if (!strcmp(name, conf_names[i].name))
			return &conf_names[i];
	for (size_t i = 0; i < sizeof(conf_names) / sizeof(conf_names[0]); i++)
		if (!strcasecmp(last_component(name), last_component(conf_names[i].name)))
			return &conf_names[i];
	return NULL;
}

static int parse_bool(const char *name, const char *v, bool *out, struct sr_error *err)
{
	if (!strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "true")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(v, "no") || !strcmp(v, "0") || !strcasecmp(v, "false")) {
		*out = false;
		return 0;
	}
	return sr_fail(err, EINVAL, "%s=%.40s: not Yes or No", name, v);
}

static int parse_digest(const char *name, const char *v, enum iscsi_digest_offer *out,
			struct sr_error *err)
{
	if (!strcasecmp(v, "None"))
		*out = ISCSI_DIGEST_NONE;
	else if (!strcasecmp(v, "CRC32C"))
		*out = ISCSI_DIGEST_CRC32C;
	else if (!strcasecmp(v, "None,CRC32C"))
		*out = ISCSI_DIGEST_PREFER_NONE;
	else if (!strcasecmp(v, "CRC32C,None"))
		*out = ISCSI_DIGEST_PREFER_CRC32C;
	else
		return sr_fail(err, EINVAL, "%s=%.40s: not None, CRC32C, None,CRC32C or CRC32C,None",
			       name, v);
	return 0;
}

static int parse_uint(const struct conf_name *n, const char *v, uint32_t *out,
		      struct sr_error *err)
{
	unsigned long long x = 0;
	const char *p = v;

	if (!*p)
		return sr_fail(err, EINVAL, "%s has no value", n->name);
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || x > 0xffffffffull)
			return sr_fail(err, EINVAL, "%s=%.40s: not a number from %u to %u", n->name,
				       v, n->min, n->max);
		x = x * 10 + (unsigned)(*p - '0');
	}
	if (x < n->min || x > n->max)
		return sr_fail(err, ERANGE, "%s=%.40s: not a number from %u to %u", n->name, v,
			       n->min, n->max);
	*out = (uint32_t)x;
	return 0;
}

int iscsi_handoff_conf_set(struct iscsi_handoff_conf *c, const char *name, const char *value,
			   struct sr_error *err)
{
	const struct conf_name *n = conf_lookup(name);
	uint32_t u = 0;
	bool b = false;
	int rc;

	if (!n)
		return 1;
	switch (n->key) {
	case CF_FAST_ABORT:
	case CF_IMMEDIATE:
	case CF_INITIAL_R2T:
	case CF_CHAP_IN_KERNEL:
		rc = parse_bool(n->name, value, &b, err);
		break;
	case CF_HEADER_DIGEST:
		return parse_digest(n->name, value, &c->header_digest, err);
	case CF_DATA_DIGEST:
		return parse_digest(n->name, value, &c->data_digest, err);
	default:
		rc = parse_uint(n, value, &u, err);
		break;
	}
	if (rc < 0)
		return rc;
	switch (n->key) {
	case CF_REPLACEMENT: c->replacement_timeout = u; break;
	case CF_NOOP_INTERVAL: c->noop_interval = u; break;
	case CF_NOOP_TIMEOUT: c->noop_timeout = u; break;
	case CF_ABORT: c->abort_timeout = u; break;
	case CF_LU_RESET: c->lu_reset_timeout = u; break;
	case CF_TGT_RESET: c->tgt_reset_timeout = u; break;
	case CF_FAST_ABORT: c->fast_abort = b; break;
	case CF_CMDS_MAX: c->cmds_max = (uint16_t)u; break;
	case CF_QUEUE_DEPTH: c->queue_depth = (uint16_t)u; break;
	case CF_LOGIN_TIMEOUT: c->login_timeout = u; break;
	case CF_LOGIN_RETRY: c->login_retry_max = u ? (int)u : -1; break;
	case CF_MAX_RECV: c->offer.max_recv_dsl = u; break;
	case CF_FIRST_BURST: c->offer.first_burst = u; break;
	case CF_MAX_BURST: c->offer.max_burst = u; break;
	case CF_IMMEDIATE: c->offer.immediate_data = b; break;
	case CF_INITIAL_R2T: c->offer.initial_r2t = b; break;
	case CF_MAX_R2T: c->offer.max_outstanding_r2t = (uint16_t)u; break;
	case CF_TIME2WAIT: c->offer.time2wait = (uint16_t)u; break;
	case CF_TIME2RETAIN: c->offer.time2retain = (uint16_t)u; break;
	case CF_CHAP_IN_KERNEL: c->chap_in_kernel = b; break;
	case CF_HEADER_DIGEST:
	case CF_DATA_DIGEST:
		break;
	}
	return 0;
}

int iscsi_handoff_conf_set_pair(struct iscsi_handoff_conf *c, const char *pair,
				struct sr_error *err)
{
	const char *eq = strchr(pair, '=');
	char name[96];

	if (!eq || eq == pair)
		return sr_fail(err, EINVAL, "'%.60s' is not NAME=VALUE", pair);
	if ((size_t)(eq - pair) >= sizeof(name))
		return sr_fail(err, EINVAL, "parameter name '%.40s...' is too long", pair);
	memcpy(name, pair, (size_t)(eq - pair));
	name[eq - pair] = '\0';
	return iscsi_handoff_conf_set(c, name, eq + 1, err);
}

/* ---- Parameter lists ---------------------------------------------------------------- */

__attribute__((format(printf, 3, 4)))
static void kp_add(struct iscsi_kparams *k, enum iscsi_param param, const char *fmt, ...)
{
	struct iscsi_kparam *e;
	va_list ap;

	if (k->n == ISCSI_KPARAMS_MAX)
		return;	/* never: the lists below have 17 and 20 entries at most */
	e = &k->p[k->n++];
	e->param = param;
	e->secret = false;
	va_start(ap, fmt);
	vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
}

static void kp_secret(struct iscsi_kparams *k, enum iscsi_param param, const char *value)
{
	kp_add(k, param, "%s", value);
	k->p[k->n - 1].secret = true;
}

void iscsi_handoff_bound_params(const struct iscsi_handoff_conf *c,
				const struct iscsi_login_params *p,
				const struct hostport *portal, struct iscsi_kparams *k)
{
	k->n = 0;
	kp_add(k, ISCSI_PARAM_INITIATOR_NAME, "%s", p->initiator_name);
	kp_add(k, ISCSI_PARAM_TARGET_NAME, "%s", p->target_name ? p->target_name : "");
	kp_add(k, ISCSI_PARAM_PERSISTENT_ADDRESS, "%s", portal->host);
	kp_add(k, ISCSI_PARAM_PERSISTENT_PORT, "%u", portal->port);
	/* open-iscsi's iscsid finds the session's node record by this name. */
	kp_add(k, ISCSI_PARAM_IFACE_NAME, "default");
	kp_add(k, ISCSI_PARAM_DISCOVERY_SESS, "0");
	kp_add(k, ISCSI_PARAM_SESS_RECOVERY_TMO, "%u", c->replacement_timeout);
	kp_add(k, ISCSI_PARAM_ABORT_TMO, "%u", c->abort_timeout);
	kp_add(k, ISCSI_PARAM_LU_RESET_TMO, "%u", c->lu_reset_timeout);
	kp_add(k, ISCSI_PARAM_TGT_RESET_TMO, "%u", c->tgt_reset_timeout);
	kp_add(k, ISCSI_PARAM_FAST_ABORT, "%d", c->fast_abort);
	/* The kernel pings after RECV_TMO of silence and fails the connection after PING_TMO. */
	kp_add(k, ISCSI_PARAM_RECV_TMO, "%u", c->noop_interval);
	kp_add(k, ISCSI_PARAM_PING_TMO, "%u", c->noop_interval ? c->noop_timeout : 0);
	if (c->chap_in_kernel && p->chap.name) {
		kp_add(k, ISCSI_PARAM_USERNAME, "%s", p->chap.name);
		kp_secret(k, ISCSI_PARAM_PASSWORD, p->chap.secret);
		if (p->chap.target_name) {
			kp_add(k, ISCSI_PARAM_USERNAME_IN, "%s", p->chap.target_name);
			kp_secret(k, ISCSI_PARAM_PASSWORD_IN, p->chap.target_secret);
		}
	}
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

void iscsi_handoff_login_params(const struct iscsi_login_result *r, struct iscsi_kparams *k)
{
	const struct iscsi_op_params *n = &r->neg;

	k->n = 0;
	kp_add(k, ISCSI_PARAM_MAX_RECV_DLENGTH, "%u", n->max_recv_dsl);
	kp_add(k, ISCSI_PARAM_MAX_XMIT_DLENGTH, "%u", n->max_xmit_dsl);
	kp_add(k, ISCSI_PARAM_HDRDGST_EN, "%d", n->header_digest);
	kp_add(k, ISCSI_PARAM_DATADGST_EN, "%d", n->data_digest);
	kp_add(k, ISCSI_PARAM_INITIAL_R2T_EN, "%d", n->initial_r2t);
	kp_add(k, ISCSI_PARAM_MAX_R2T, "%u", n->max_outstanding_r2t);
	kp_add(k, ISCSI_PARAM_IMM_DATA_EN, "%d", n->immediate_data);
	kp_add(k, ISCSI_PARAM_FIRST_BURST, "%u", n->first_burst);
	kp_add(k, ISCSI_PARAM_MAX_BURST, "%u", n->max_burst);
	kp_add(k, ISCSI_PARAM_PDU_INORDER_EN, "%d", n->data_pdu_in_order);
	kp_add(k, ISCSI_PARAM_DATASEQ_INORDER_EN, "%d", n->data_seq_in_order);
	kp_add(k, ISCSI_PARAM_ERL, "%u", n->erl);
	kp_add(k, ISCSI_PARAM_IFMARKER_EN, "0");
	kp_add(k, ISCSI_PARAM_OFMARKER_EN, "0");
	kp_add(k, ISCSI_PARAM_DEF_TIME2WAIT, "%u", n->time2wait);
	kp_add(k, ISCSI_PARAM_DEF_TIME2RETAIN, "%u", n->time2retain);
	kp_add(k, ISCSI_PARAM_EXP_STATSN, "%u", r->statsn + 1);
	if (r->tpgt >= 0)
		kp_add(k, ISCSI_PARAM_TPGT, "%d", r->tpgt);
	if (r->target_alias[0] && printable(r->target_alias))
		kp_add(k, ISCSI_PARAM_TARGET_ALIAS, "%s", r->target_alias);
	kp_add(k, ISCSI_PARAM_ISID, "%02x%02x%02x%02x%02x%02x", r->isid[0], r->isid[1],
	       r->isid[2], r->isid[3], r->isid[4], r->isid[5]);
}

const char *iscsi_kparams_get(const struct iscsi_kparams *k, enum iscsi_param param)
{
	for (unsigned i = 0; i < k->n; i++)
		if (k->p[i].param == param)
			return k->p[i].value;
	return NULL;
}

static int kparams_apply(struct iscsi_nl *nl, uint32_t sid, uint32_t cid,
			 struct iscsi_kparams *k, unsigned *enosys, struct sr_error *err)
{
	int rc = 0;

	for (unsigned i = 0; i < k->n && rc == 0; i++) {
		rc = iscsi_nl_set_param(nl, sid, cid, k->p[i].param, k->p[i].value, err);
		if (rc == -ENOSYS) {	/* iscsi_tcp keeps no markers and no ISID */
			(*enosys)++;
			rc = 0;
		}
	}
	for (unsigned i = 0; i < k->n; i++)
		if (k->p[i].secret)
			explicit_bzero(k->p[i].value, sizeof(k->p[i].value));
	return rc;
}

/* ---- Sequences ---------------------------------------------------------------------- */

/* Connects for iscsi_connect(): a TCP socket bound into the kernel, and its passthrough. */
struct conn_ctx {
	const struct iscsi_handoff *h;
	const struct iscsi_login_params *p;
	struct iscsi_handoff_session *s;
	bool relogin;
	bool created;		/* session and connection exist (first login) */
	bool bound;
	struct iscsi_tcp tcp;
	struct iscsi_passthru pt;
};

static void undo(struct conn_ctx *c)
{
	struct sr_error ignored;

	if (c->relogin) {
		/* Unbind the socket; the session waits for the next attempt. */
		if (c->bound)
			iscsi_nl_stop_conn(c->h->nl, c->s->sid, c->s->cid, ISCSI_STOP_CONN_RECOVER,
					   &ignored);
	} else if (c->created) {
		iscsi_handoff_destroy(c->h->nl, c->s->sid, c->s->cid, &ignored);
	}
	c->created = c->bound = false;
}

static int conn_open(void *ctx, const struct hostport *portal, int64_t deadline,
		     struct iscsi_transport **t, struct sr_error *err)
{
	struct conn_ctx *c = ctx;
	const struct iscsi_handoff *h = c->h;
	struct iscsi_handoff_session *s = c->s;
	struct iscsi_kparams k;
	int fd, rc;

	/* The socket reads nothing ahead: the kernel sees every byte of the target's. */
	rc = iscsi_tcp_connect(&c->tcp, portal, ISCSI_LOGIN_PDU_DATA, deadline, err);
	if (rc < 0)
		return rc;
	fd = iscsi_tcp_release(&c->tcp, err);
	if (fd < 0) {
		iscsi_tcp_close(&c->tcp);
		return fd;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);	/* the kernel's now */
	if (!c->relogin) {
		rc = iscsi_nl_create_session(h->nl, c->p->cmdsn, h->conf->cmds_max,
					     h->conf->queue_depth, &s->sid, &s->host, err);
		if (rc < 0)
			goto err_fd;
		c->created = true;
		rc = iscsi_nl_create_conn(h->nl, s->sid, c->p->cid, &s->cid, err);
		if (rc < 0)
			goto err_undo;
	}
	rc = iscsi_nl_bind_conn(h->nl, s->sid, s->cid, fd, true, err);
	if (rc < 0)
		goto err_undo;
	c->bound = true;
	/* An error of the connection this one replaces must not fail its login. */
	iscsi_nl_drop_events(h->nl, s->sid, ISCSI_KEVENT_CONN_ERROR);
	close(fd);
	fd = -1;
	iscsi_handoff_bound_params(h->conf, c->p, portal, &k);
	rc = kparams_apply(h->nl, s->sid, s->cid, &k, &s->enosys, err);
	if (rc < 0)
		goto err_undo;
	iscsi_passthru_init(&c->pt, h->nl, s->sid, s->cid, h->on_event, h->ctx);
	*t = &c->pt.t;
	return 0;

err_undo:
	undo(c);
err_fd:
	if (fd >= 0)
		close(fd);
	return rc;
}

static void conn_close(void *ctx, struct iscsi_transport *t)
{
	(void)t;
	undo(ctx);
}

/* The negotiated values, then the connection starts carrying SCSI commands. */
static int start(struct conn_ctx *c, struct sr_error *err)
{
	struct iscsi_handoff_session *s = c->s;
	struct iscsi_kparams k;
	int rc;

	iscsi_handoff_login_params(&s->login, &k);
	rc = kparams_apply(c->h->nl, s->sid, s->cid, &k, &s->enosys, err);
	if (rc < 0)
		return rc;
	return iscsi_nl_start_conn(c->h->nl, s->sid, s->cid, err);
}

static int run(const struct iscsi_handoff *h, const struct iscsi_login_params *p,
	       const struct hostport *portals, unsigned n, const struct iscsi_connect_policy *pol,
	       bool relogin, struct iscsi_handoff_session *s, struct hostport *used,
	       struct sr_error *err)
{
	struct iscsi_connector conn = { conn_open, conn_close, NULL };
	struct iscsi_transport *t = NULL;
	struct hostport where;
	struct conn_ctx *c;
	int rc;

	c = calloc(1, sizeof(*c));
	if (!c)
		return sr_fail(err, ENOMEM, "out of memory");
	c->h = h;
	c->p = p;
	c->s = s;
	c->relogin = relogin;
	conn.ctx = c;
	rc = iscsi_connect(&conn, portals, n, p, pol, &t, &where, &s->login, err);
	if (used)
		*used = where;
	if (rc == 0) {
		s->portal = where;
		rc = start(c, err);
		if (rc < 0)
			undo(c);
	}
	free(c);
	return rc;
}

int iscsi_handoff_login(const struct iscsi_handoff *h, const struct iscsi_login_params *p,
			const struct hostport *portals, unsigned n, int64_t deadline,
			unsigned rounds, struct iscsi_handoff_session *s, struct hostport *used,
			struct sr_error *err)
{
	struct iscsi_connect_policy pol = {
		.deadline = deadline,
		.attempt_ms = (int64_t)h->conf->login_timeout * 1000,
		.max_rounds = rounds ? rounds : h->conf->login_retry_max > 0 ?
			      (unsigned)h->conf->login_retry_max : 0,
		.log = h->log,
	};

	memset(s, 0, sizeof(*s));
	return run(h, p, portals, n, &pol, false, s, used, err);
}

int iscsi_handoff_relogin(const struct iscsi_handoff *h, const struct iscsi_login_params *p,
			  const struct hostport *portals, unsigned n, int64_t deadline,
			  struct iscsi_handoff_session *s, struct sr_error *err)
{
	struct iscsi_connect_policy pol = {
		.deadline = deadline,
		.attempt_ms = (int64_t)h->conf->login_timeout * 1000,
		.max_rounds = 1,
		.log = h->log,
	};
	int rc;

	/*
	 * The kernel fails the connection's commands back to the SCSI layer,
	 * which requeues them, and drops the socket. Also needed to clear the
	 * kernel's own cleanup of a failed connection before a new BIND_CONN.
	 */
	rc = iscsi_nl_stop_conn(h->nl, s->sid, s->cid, ISCSI_STOP_CONN_RECOVER, err);
	if (rc < 0)
		return rc;
	return run(h, p, portals, n, &pol, true, s, NULL, err);
}

int iscsi_handoff_destroy(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, struct sr_error *err)
{
	struct sr_error first = { 0 };
	int rc, ret = 0;

	rc = iscsi_nl_stop_conn(nl, sid, cid, ISCSI_STOP_CONN_TERM, err);
	if (rc < 0 && !ret) {
		ret = rc;
		first = *err;
	}
	rc = iscsi_nl_destroy_conn(nl, sid, cid, err);
	if (rc < 0 && !ret) {
		ret = rc;
		first = *err;
	}
	/* The session goes even if its connection would not: nothing half-made stays. */
	rc = iscsi_nl_destroy_session(nl, sid, err);
	if (rc < 0)
		return rc;
	if (ret && err)
		*err = first;
	return ret;
}

int iscsi_handoff_logout(const struct iscsi_handoff *h, uint32_t sid, uint32_t cid,
			 int timeout_ms, struct sr_error *err)
{
	uint8_t bhs[ISCSI_BHS_LEN] = { 0 };
	struct iscsi_passthru *pt;
	struct iscsi_pdu rsp;
	struct sr_error ignored;
	int rc;

	/* RFC 7143 §11.14: immediate Logout Request, reason 0 (close the session). */
	bhs[0] = ISCSI_IMMEDIATE | ISCSI_OP_LOGOUT_REQ;
	bhs[1] = ISCSI_FLAG_F;	/* ITT, CmdSN and ExpStatSN: the kernel sets them */
	pt = malloc(sizeof(*pt));
	if (!pt)
		return sr_fail(err, ENOMEM, "out of memory");
	iscsi_passthru_init(pt, h->nl, sid, cid, h->on_event, h->ctx);
	if (iscsi_nl_send_pdu(h->nl, sid, cid, bhs, NULL, 0, &ignored) == 0) {
		/* A target that is gone or slow only costs the timeout. */
		rc = pt->t.recv(&pt->t, &rsp, monotonic_ms() + timeout_ms, &ignored);
		if (rc == 0 && iscsi_opcode(rsp.bhs) == ISCSI_OP_LOGOUT_RSP && rsp.bhs[2] != 0)
			iscsi_logf(h->log, ISCSI_LOG_INFO, "session %u: the target answered the "
				   "logout with response %u", sid, rsp.bhs[2]);
	}
	free(pt);
	return iscsi_handoff_destroy(h->nl, sid, cid, err);
}
