/* SPDX-License-Identifier: GPL-2.0-only */
/* Getting logged in: portals in order, redirections, and retries with backoff where they can help. */
#ifndef SANROOT_ISCSI_CONNECT_H
#define SANROOT_ISCSI_CONNECT_H

#include <stdbool.h>

#include "iscsi/iscsi_login.h"
#include "core/hostport.h"

/*
 * How to reach a portal. The TCP transport is one; the kernel handoff opens
 * its own (socket, session, connection, bind) and closes it on failure.
 */
struct iscsi_connector {
	int (*open)(void *ctx, const struct hostport *portal, int64_t deadline,
		    struct iscsi_transport **t, struct sr_error *err);
	void (*close)(void *ctx, struct iscsi_transport *t);
	void *ctx;
};

struct iscsi_connect_policy {
	int64_t deadline;		/* give up at this CLOCK_MONOTONIC millisecond */
	int64_t attempt_ms;		/* one connect + login at most this long (0: 15 s) */
	unsigned max_rounds;		/* passes over the portals; 0: until the deadline */
	unsigned max_redirects;		/* 0: ISCSI_REDIRECTS_MAX */
	const struct iscsi_log *log;
};

#define ISCSI_REDIRECTS_MAX 4
#define ISCSI_CONNECT_BACKOFF_MIN_MS	250	/* the first pause's ceiling; it doubles */
#define ISCSI_CONNECT_BACKOFF_MAX_MS	4000

/* Whether a failure may go away by itself: the peer is down, busy or slow. */
bool iscsi_error_transient(int rc);

/*
 * Log in through the first of the portals that works. A redirection is
 * followed at once (at most max_redirects in a row); a transient failure
 * (a refused or reset connection, a login status of class 3: "target
 * error", "service unavailable", "out of resources") moves on to the next
 * portal and, after the last one, pauses before the next pass: a draw from
 * the upper half of a ceiling of 0.25 s doubling up to 4 s, from a
 * generator seeded per process (backoff_pause), within the deadline; each
 * pause is told at NOTICE. A permanent failure on every portal ends it.
 * tgt's CHAP_A=7 (SHA-1 there, SHA-256 elsewhere) is retried once as
 * SHA-1 when the target refuses our SHA-256 response.
 * On success *t is the logged-in transport and *used the portal; on
 * failure *used is the portal whose error err reports.
 */
int iscsi_connect(const struct iscsi_connector *c, const struct hostport *portals, unsigned n,
		  const struct iscsi_login_params *p, const struct iscsi_connect_policy *pol,
		  struct iscsi_transport **t, struct hostport *used, struct iscsi_login_result *r,
		  struct sr_error *err);

#endif
