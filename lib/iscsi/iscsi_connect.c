// SPDX-License-Identifier: GPL-2.0-only
/*
 * Portal failover, login redirection (RFC 7143 §11.13.5 class 1) and retry
 * with jittered backoff (class 3, "target busy", and refused connections).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "core/backoff.h"
#include "iscsi/iscsi_connect.h"
#include "iscsi/iscsi_tcp.h"

bool iscsi_error_transient(int rc)
{
	switch (-rc) {
	case ECONNREFUSED:
	case ECONNRESET:
	case ECONNABORTED:
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case EHOSTDOWN:
	case ENETUNREACH:
	case ENETDOWN:
	case EPIPE:
	case EAGAIN:
	case EBUSY:
	case EIO:
	case EADDRNOTAVAIL:
		return true;
	default:
		return false;
	}
}

static void sleep_until(int64_t when)
{
	for (;;) {
		int64_t left = when - monotonic_ms();
		struct timespec ts;

		if (left <= 0)
			return;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		if (nanosleep(&ts, NULL) == 0)
			return;
	}
}

/* One portal, redirections included. */
static int attempt(const struct iscsi_connector *c, const struct hostport *portal,
		   const struct iscsi_login_params *p, const struct iscsi_connect_policy *pol,
		   struct iscsi_transport **t, struct hostport *used, struct iscsi_login_result *r,
		   struct sr_error *err)
{
	struct iscsi_login_params q = *p;
	struct hostport at = *portal;
	unsigned redirects = 0, max = pol->max_redirects ? pol->max_redirects : ISCSI_REDIRECTS_MAX;
	int64_t span = pol->attempt_ms ? pol->attempt_ms : 15000;
	bool retried_sha1 = false;
	char name[HOSTPORT_TEXT_MAX];

	for (;;) {
		int64_t deadline = monotonic_ms() + span;
		struct iscsi_transport *tr = NULL;
		int rc;

		if (deadline > pol->deadline)
			deadline = pol->deadline;
		hostport_format(&at, name, sizeof(name));
		iscsi_logf(pol->log, ISCSI_LOG_INFO, "logging in to %s at %s",
			   p->target_name && p->target_name[0] ? p->target_name : "(discovery)", name);
		rc = c->open(c->ctx, &at, deadline, &tr, err);
		if (rc < 0) {
			*used = at;
			return rc;
		}
		rc = iscsi_login(tr, &q, r, deadline, err);
		if (rc == ISCSI_LOGIN_DONE) {
			*t = tr;
			*used = at;
			return 0;
		}
		c->close(c->ctx, tr);
		if (rc == ISCSI_LOGIN_REDIRECT) {
			char to[HOSTPORT_TEXT_MAX];

			hostport_format(&r->redirect, to, sizeof(to));
			*used = at;
			if (++redirects > max)
				return sr_fail(err, ELOOP, "%s redirected us more than %u times (last to %s)",
					       name, max, to);
			iscsi_logf(pol->log, ISCSI_LOG_NOTICE, "%s redirects us %s to %s", name,
				   r->redirect_permanent ? "permanently" : "temporarily", to);
			/* A link-local address without a zone is on the link we came by, if any. */
			hostport_take_zone(&r->redirect, &at);
			at = r->redirect;
			continue;
		}
		if (rc == -EACCES && r->chap_rejected && r->chap_alg == CHAP_SHA256 && !q.chap7_sha1 &&
		    !retried_sha1) {
			iscsi_logf(pol->log, ISCSI_LOG_INFO,
				   "%s chose CHAP_A=7 and refused our SHA-256 response; trying SHA-1, which tgt numbers 7",
				   name);
			q.chap7_sha1 = true;
			retried_sha1 = true;
			continue;
		}
		if (rc == -EACCES && retried_sha1 && r->chap_rejected) {
			char msg[sizeof(err->msg)];

			memcpy(msg, err->msg, sizeof(msg));
			*used = at;
			return sr_fail_why(err, EACCES, SR_R_CHAP_REJECTED,
					   "%s (CHAP_A=7 tried as SHA-256 and as SHA-1)", msg);
		}
		*used = at;
		return rc;
	}
}

int iscsi_connect(const struct iscsi_connector *c, const struct hostport *portals, unsigned n,
		  const struct iscsi_login_params *p, const struct iscsi_connect_policy *pol,
		  struct iscsi_transport **t, struct hostport *used, struct iscsi_login_result *r,
		  struct sr_error *err)
{
	struct sr_error last = { 0 };
	struct hostport where = portals[0];
	int64_t ceiling = ISCSI_CONNECT_BACKOFF_MIN_MS;
	uint64_t rng = backoff_seed();
	unsigned round = 0;
	int last_rc = -EINVAL;

	if (n == 0)
		return sr_fail(err, EINVAL, "no portal to log in to");
	for (;;) {
		bool transient = false;
		char name[HOSTPORT_TEXT_MAX];
		int64_t pause;

		for (unsigned i = 0; i < n; i++) {
			int rc;

			rc = attempt(c, &portals[i], p, pol, t, used, r, err);
			if (rc == 0)
				return 0;
			hostport_format(&portals[i], name, sizeof(name));
			if (n > 1)
				iscsi_logf(pol->log, ISCSI_LOG_INFO, "%s: %s", name, err->msg);
			if (iscsi_error_transient(rc))
				transient = true;
			/* Keep the most telling failure: a permanent one beats a transient one. */
			if (!iscsi_error_transient(rc) || iscsi_error_transient(last_rc) || last_rc == -EINVAL) {
				last = *err;
				last_rc = rc;
				where = *used;
			}
			if (monotonic_ms() >= pol->deadline)
				break;
		}
		round++;
		if (!transient || (pol->max_rounds && round >= pol->max_rounds))
			break;
		pause = backoff_pause(&rng, ceiling, monotonic_ms(), pol->deadline);
		if (pause < 0)
			break;
		if (n == 1)
			iscsi_logf(pol->log, ISCSI_LOG_NOTICE, "%s: attempt %u: %s; trying again in %lld ms",
				   name, round, err->msg, (long long)pause);
		else
			iscsi_logf(pol->log, ISCSI_LOG_NOTICE,
				   "no portal answered (attempt %u); trying again in %lld ms", round,
				   (long long)pause);
		sleep_until(monotonic_ms() + pause);
		ceiling = ceiling * 2 > ISCSI_CONNECT_BACKOFF_MAX_MS ? ISCSI_CONNECT_BACKOFF_MAX_MS :
			  ceiling * 2;
	}
	*err = last;
	*used = where;
	return last_rc;
}
