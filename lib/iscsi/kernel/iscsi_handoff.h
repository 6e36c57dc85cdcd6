/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Handing iSCSI sessions to the kernel's iscsi_tcp, in open-iscsi's order:
 * connect; CREATE_SESSION (initial CmdSN = the login's); CREATE_CONN;
 * BIND_CONN; names, addresses and timeouts; the login through the kernel's
 * PDU passthrough; the negotiated values and EXP_STATSN; START_CONN.
 * A re-login after a connection failure runs the same steps without the
 * creates, as ERL 0 session reinstatement (RFC 7143 §6.3.5: same ISID,
 * TSIH 0), so the kernel's queued commands continue on the new connection.
 */
#ifndef SANROOT_ISCSI_HANDOFF_H
#define SANROOT_ISCSI_HANDOFF_H

#include <stdbool.h>
#include <stdint.h>

#include "iscsi/kernel/iscsi_if.h"
#include "iscsi/iscsi_login.h"
#include "iscsi/kernel/iscsi_nl.h"
#include "iscsi/kernel/iscsi_passthru.h"
#include "core/hostport.h"

/*
 * How a boot session behaves. Every field has a -P / rd.iscsi.param name,
 * open-iscsi's node record name or its last component.
 */
struct iscsi_handoff_conf {
	uint32_t replacement_timeout;	/* s I/O waits for a new connection, then fails */
	uint32_t noop_interval;		/* s between NOP-Outs on a quiet connection; 0 none */
	uint32_t noop_timeout;		/* s a NOP-In may take before the connection is failed */
	uint32_t abort_timeout, lu_reset_timeout, tgt_reset_timeout;	/* s, SCSI error handling */
	bool fast_abort;
	uint16_t cmds_max, queue_depth;	/* CREATE_SESSION */
	uint32_t login_timeout;		/* s for one connect and login */
	int login_retry_max;		/* passes over a target's portals; -1: until the deadline */
	struct iscsi_op_params offer;
	enum iscsi_digest_offer header_digest, data_digest;
	bool chap_in_kernel;		/* the kernel keeps the CHAP credentials (iscsid reads them) */
};

/*
 * Root-on-iSCSI defaults: I/O waits a day for the keeper rather than fail
 * up to the filesystem; a NOP-Out every 10 s unanswered for 15 s fails a
 * silently dead path, so the keeper can log in again.
 */
void iscsi_handoff_conf_defaults(struct iscsi_handoff_conf *c);

/* 0: set; 1: a name we do not know (the caller warns and goes on); < 0: a bad value. */
int iscsi_handoff_conf_set(struct iscsi_handoff_conf *c, const char *name, const char *value,
			   struct sr_error *err);
/* "NAME=VALUE", as -P and rd.iscsi.param give it. */
int iscsi_handoff_conf_set_pair(struct iscsi_handoff_conf *c, const char *pair,
				struct sr_error *err);

/* ---- What the kernel is told (pure) ---- */

#define ISCSI_KPARAMS_MAX 48
#define ISCSI_KPARAM_VALUE_MAX 264

struct iscsi_kparam {
	enum iscsi_param param;
	char value[ISCSI_KPARAM_VALUE_MAX];
	bool secret;			/* never name the value in a message */
};

struct iscsi_kparams {
	struct iscsi_kparam p[ISCSI_KPARAMS_MAX];
	unsigned n;
};

/* After BIND_CONN, before the login: names, the portal, timeouts, credentials. */
void iscsi_handoff_bound_params(const struct iscsi_handoff_conf *c,
				const struct iscsi_login_params *p,
				const struct hostport *portal, struct iscsi_kparams *out);
/*
 * After the login: MAX_RECV_DLENGTH is what we declared, MAX_XMIT_DLENGTH the
 * target's (8192 when it declared none), EXP_STATSN the last StatSN + 1, and
 * every other negotiated value.
 */
void iscsi_handoff_login_params(const struct iscsi_login_result *r, struct iscsi_kparams *out);

/* The value of param in the list, or NULL. */
const char *iscsi_kparams_get(const struct iscsi_kparams *k, enum iscsi_param param);

/* ---- The kernel ---- */

struct iscsi_handoff {
	struct iscsi_nl *nl;
	const struct iscsi_handoff_conf *conf;
	const struct iscsi_log *log;
	iscsi_event_fn on_event;	/* events for other sessions, seen meanwhile */
	void *ctx;
};

struct iscsi_handoff_session {
	uint32_t sid, cid, host;
	struct hostport portal;	/* where it logged in */
	struct iscsi_login_result login;
	unsigned enosys;		/* parameters the transport does not keep */
};

/*
 * Log in through the first portal that works and hand the session to the
 * kernel, in at most rounds passes over the portals (0: until deadline, or
 * the conf's login_retry_max). On failure nothing of it is left in the
 * kernel, and *used names the portal whose error err reports.
 */
int iscsi_handoff_login(const struct iscsi_handoff *h, const struct iscsi_login_params *p,
			const struct hostport *portals, unsigned n, int64_t deadline,
			unsigned rounds, struct iscsi_handoff_session *s, struct hostport *used,
			struct sr_error *err);

/*
 * Replace the failed connection of session s: STOP_CONN for recovery, then
 * one pass over the portals (connect, BIND_CONN, login, START_CONN) until
 * deadline. p carries the session's ISID and TSIH 0. A failed attempt leaves
 * the connection stopped for recovery, ready for the next.
 */
int iscsi_handoff_relogin(const struct iscsi_handoff *h, const struct iscsi_login_params *p,
			  const struct hostport *portals, unsigned n, int64_t deadline,
			  struct iscsi_handoff_session *s, struct sr_error *err);

/* Stop the connection for good, destroy it and the session. */
int iscsi_handoff_destroy(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, struct sr_error *err);

/*
 * Close a session cleanly: a Logout Request through the kernel, its answer
 * awaited up to timeout_ms (a target that is gone does not stop us), then
 * iscsi_handoff_destroy().
 */
int iscsi_handoff_logout(const struct iscsi_handoff *h, uint32_t sid, uint32_t cid,
			 int timeout_ms, struct sr_error *err);

#endif
