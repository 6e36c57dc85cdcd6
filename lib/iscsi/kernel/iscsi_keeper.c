// SPDX-License-Identifier: GPL-2.0-only
/* The keeper's loop: kernel events and sysfs in, re-logins with backoff out (RFC 7143 §6.3.5). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/backoff.h"
#include "core/clock.h"
#include "iscsi/iscsi_connect.h"
#include "iscsi/kernel/iscsi_keeper.h"

/* ---- decisions ---- */

int64_t iscsi_keeper_backoff(int64_t backoff, int rc)
{
	int64_t cap = iscsi_error_transient(rc) ? ISCSI_KEEPER_BACKOFF_MAX_MS :
			ISCSI_KEEPER_BACKOFF_AUTH_MS;

	if (backoff < ISCSI_KEEPER_BACKOFF_MIN_MS)
		backoff = ISCSI_KEEPER_BACKOFF_MIN_MS;
	return backoff * 2 > cap ? cap : backoff * 2;
}

bool iscsi_keeper_tell(const char *last_told, const char *msg, unsigned attempts)
{
	return strcmp(last_told, msg) || attempts % 20 == 0;
}

static bool same(const struct hostport *a, const struct hostport *b)
{
	return !strcmp(a->host, b->host) && a->port == b->port;
}

unsigned iscsi_keeper_portal_order(const struct hostport *in_use, const struct hostport *all,
				   unsigned n, struct hostport *out, unsigned cap)
{
	unsigned o = 0;

	if (!cap)
		return 0;
	out[o++] = *in_use;
	for (unsigned i = 0; i < n && o < cap; i++) {
		bool dup = false;

		for (unsigned j = 0; j < o && !dup; j++)
			dup = same(&all[i], &out[j]);
		if (!dup)
			out[o++] = all[i];
	}
	return o;
}

/* ---- sessions ---- */

void iscsi_keeper_init(struct iscsi_keeper *K, const struct iscsi_handoff *h, int proc_fd,
		       int sys_fd, int run_fd, const volatile sig_atomic_t *stop)
{
	memset(K, 0, sizeof(*K));
	K->h = *h;
	K->proc_fd = proc_fd;
	K->sys_fd = sys_fd;
	K->run_fd = run_fd;
	K->stop = stop;
	K->rng = backoff_seed();
}

static int copy(char *dst, size_t cap, const char **p)
{
	if (!*p)
		return 0;
	if (strlen(*p) >= cap)
		return -ENAMETOOLONG;
	snprintf(dst, cap, "%s", *p);
	*p = dst;
	return 0;
}

int iscsi_keeper_add(struct iscsi_keeper *K, const struct iscsi_login_params *p,
		     const struct iscsi_handoff_session *s, const struct hostport *portals,
		     unsigned nportals, const struct iscsi_state *st)
{
	struct iscsi_kept *k;
	int rc = 0;

	if (K->n == ISCSI_KEEPER_MAX)
		return -ENOSPC;
	k = &K->k[K->n];
	memset(k, 0, sizeof(*k));
	k->p = *p;
	rc |= copy(k->c.initiator, sizeof(k->c.initiator), &k->p.initiator_name);
	rc |= copy(k->c.initiator_alias, sizeof(k->c.initiator_alias), &k->p.initiator_alias);
	rc |= copy(k->c.target, sizeof(k->c.target), &k->p.target_name);
	rc |= copy(k->c.chap_name, sizeof(k->c.chap_name), &k->p.chap.name);
	rc |= copy(k->c.chap_secret, sizeof(k->c.chap_secret), &k->p.chap.secret);
	rc |= copy(k->c.rchap_name, sizeof(k->c.rchap_name), &k->p.chap.target_name);
	rc |= copy(k->c.rchap_secret, sizeof(k->c.rchap_secret), &k->p.chap.target_secret);
	if (rc) {
		explicit_bzero(k, sizeof(*k));
		return -ENAMETOOLONG;
	}
	k->p.log = K->h.log;
	k->s = *s;
	for (unsigned i = 0; i < nportals && i < ISCSI_STATE_PORTALS; i++)
		k->portal[k->nportals++] = portals[i];
	k->st = *st;
	K->n++;
	return 0;
}

int iscsi_keeper_add_pending(struct iscsi_keeper *K, const struct iscsi_login_params *p,
			     const struct hostport *portals, unsigned nportals)
{
	static const struct iscsi_handoff_session none;
	struct iscsi_state st = { 0 };
	struct iscsi_kept *k;
	int rc;

	snprintf(st.target, sizeof(st.target), "%s", p->target_name ? p->target_name : "");
	if ((rc = iscsi_keeper_add(K, p, &none, portals, nportals, &st)) < 0)
		return rc;
	k = &K->k[K->n - 1];
	k->fresh = k->failed = true;
	k->t_error = k->next_try = monotonic_ms();
	k->backoff = ISCSI_KEEPER_BACKOFF_MIN_MS;
	hostport_format(&portals[0], k->st.portal, sizeof(k->st.portal));
	return 0;
}

static void save(struct iscsi_keeper *K, struct iscsi_kept *k, const char *state)
{
	if (k->fresh)
		return;		/* no session, no state file yet */
	snprintf(k->st.state, sizeof(k->st.state), "%s", state);
	k->st.keeper = (long)getpid();
	if (iscsi_state_write(K->run_fd, &k->st) < 0)
		iscsi_logf(K->h.log, ISCSI_LOG_DEBUG, "keeper: cannot write the state of session %"
			   PRIu32, k->s.sid);
}

void iscsi_keeper_save_all(struct iscsi_keeper *K, const char *state)
{
	for (unsigned i = 0; i < K->n; i++)
		save(K, &K->k[i], state);
}

static struct iscsi_kept *find(struct iscsi_keeper *K, uint32_t sid)
{
	for (unsigned i = 0; i < K->n; i++)
		if (K->k[i].s.sid == sid && !K->k[i].gone && !K->k[i].fresh)
			return &K->k[i];
	return NULL;
}

/* sanroot-iscsi logout marks a session before the target closes its connection. */
static bool logging_out(struct iscsi_keeper *K, struct iscsi_kept *k)
{
	struct iscsi_state disk;

	if (iscsi_state_read(K->run_fd, k->s.sid, &disk) < 0 || strcmp(disk.state, "logging-out"))
		return false;
	k->gone = true;
	return true;
}

static void conn_failed(struct iscsi_keeper *K, struct iscsi_kept *k, const char *why)
{
	char where[HOSTPORT_TEXT_MAX];

	if (k->failed || logging_out(K, k))
		return;
	k->failed = true;
	k->t_error = k->next_try = monotonic_ms();
	k->backoff = ISCSI_KEEPER_BACKOFF_MIN_MS;
	k->attempts = 0;
	k->logged[0] = '\0';
	hostport_format(&k->s.portal, where, sizeof(where));
	snprintf(k->st.last_error, sizeof(k->st.last_error), "%s", why);
	iscsi_logf(K->h.log, ISCSI_LOG_WARN, "keeper: session %" PRIu32 " (%s at %s): %s; "
		   "logging in again", k->s.sid, k->c.target, where, why);
	save(K, k, "recovering");
}

static void gone(struct iscsi_keeper *K, struct iscsi_kept *k, const char *how)
{
	iscsi_logf(K->h.log, ISCSI_LOG_NOTICE, "keeper: session %" PRIu32 " %s; no longer "
		   "keeping it", k->s.sid, how);
	k->gone = true;
	iscsi_state_remove(K->run_fd, k->s.sid);
}

static void on_event(void *ctx, const struct iscsi_nl_event *ev)
{
	struct iscsi_keeper *K = ctx;
	struct iscsi_kept *k;

	if (!ev) {	/* events were lost: sysfs tells what happened */
		K->check_all = true;
		return;
	}
	k = find(K, ev->sid);
	if (!k)
		return;
	switch (ev->type) {
	case ISCSI_KEVENT_CONN_ERROR:
		conn_failed(K, k, iscsi_nl_err_name(ev->code));
		break;
	case ISCSI_KEVENT_DESTROY_SESSION:
	case ISCSI_KEVENT_UNBIND_SESSION:
		gone(K, k, "was closed");
		break;
	default:
		break;	/* an Async Message passed up, another process's login */
	}
}

/* The first line of sessionN/ATTR under /sys/class/iscsi_session, through the descriptor. */
static int sys_attr(struct iscsi_keeper *K, uint32_t sid, const char *attr, char *buf, size_t cap)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "session%" PRIu32 "/%s", sid, attr);
	fd = openat(K->sys_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* What the kernel says of each session, in case an event went missing. */
static void check_sysfs(struct iscsi_keeper *K)
{
	for (unsigned i = 0; i < K->n; i++) {
		struct iscsi_kept *k = &K->k[i];
		char state[32];
		int rc;

		if (k->gone || k->fresh)
			continue;
		rc = sys_attr(K, k->s.sid, "state", state, sizeof(state));
		if (rc == -ENOENT)
			gone(K, k, "is gone");
		else if (rc == 0 && !strcmp(state, "FAILED") && !k->failed)
			conn_failed(K, k, "the kernel reports the session failed");
	}
	K->check_all = false;
}

/* The pid of a process named iscsid, through our /proc descriptor; 0 if none. */
static pid_t iscsid_pid(struct iscsi_keeper *K)
{
	struct dirent *d;
	pid_t found = 0;
	DIR *dh;
	int fd;

	fd = openat(K->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	dh = fdopendir(fd);
	if (!dh) {
		close(fd);
		return 0;
	}
	while (!found && (d = readdir(dh))) {
		char path[300], comm[32];
		ssize_t n;
		int cfd;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/comm", d->d_name);
		cfd = openat(K->proc_fd, path, O_RDONLY | O_CLOEXEC);
		if (cfd < 0)
			continue;
		n = read(cfd, comm, sizeof(comm) - 1);
		close(cfd);
		if (n <= 0)
			continue;
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		if (!strcmp(comm, "iscsid"))
			found = (pid_t)strtol(d->d_name, NULL, 10);
	}
	closedir(dh);
	return found;
}

static void hand_over(struct iscsi_keeper *K, pid_t pid)
{
	K->iscsid = pid;
	for (unsigned i = 0; i < K->n; i++) {
		struct iscsi_kept *k = &K->k[i];

		if (k->gone || k->fresh)
			continue;
		iscsi_logf(K->h.log, ISCSI_LOG_NOTICE, "keeper: iscsid (pid %ld) runs; session %"
			   PRIu32 " is its now", (long)pid, k->s.sid);
		snprintf(k->st.state, sizeof(k->st.state), "handed-over");
		k->st.keeper = 0;
		iscsi_state_write(K->run_fd, &k->st);
	}
}

static void attempt(struct iscsi_keeper *K, struct iscsi_kept *k)
{
	struct hostport portals[ISCSI_STATE_PORTALS];
	struct sr_error err = { 0 };
	unsigned n = iscsi_keeper_portal_order(&k->s.portal, k->portal, k->nportals, portals,
					       ISCSI_STATE_PORTALS);
	int64_t t0 = monotonic_ms();
	char where[HOSTPORT_TEXT_MAX];
	int rc;

	if (!k->fresh && logging_out(K, k))
		return;
	k->attempts++;
	if (k->fresh) {
		struct hostport used;

		/*
		 * The loop waits while we try: a short try, seldom, so that a
		 * path that stays down never holds up the recovery of the others.
		 */
		rc = iscsi_handoff_login(&K->h, &k->p, portals, n, t0 + ISCSI_KEEPER_FRESH_TRY_MS, 1,
					 &k->s, &used, &err);
		if (rc == 0) {
			const uint8_t *i = k->s.login.isid;

			k->fresh = k->failed = false;
			k->st.sid = k->s.sid;
			k->st.cid = k->s.cid;
			hostport_format(&k->s.portal, where, sizeof(where));
			snprintf(k->st.portal, sizeof(k->st.portal), "%s", where);
			snprintf(k->st.portals, sizeof(k->st.portals), "%s", where);
			snprintf(k->st.isid, sizeof(k->st.isid), "%02x%02x%02x%02x%02x%02x", i[0], i[1],
				 i[2], i[3], i[4], i[5]);
			iscsi_logf(K->h.log, ISCSI_LOG_NOTICE, "keeper: logged in to %s at %s, down "
				   "at boot, as session %" PRIu32 " (attempt %u)", k->c.target, where,
				   k->s.sid, k->attempts);
			save(K, k, "up");
			if (K->on_relogin)
				K->on_relogin(K, k);
			return;
		}
		k->next_try = monotonic_ms() + backoff_jitter(&K->rng, ISCSI_KEEPER_FRESH_EVERY_MS);
		if (iscsi_keeper_tell(k->logged, err.msg, k->attempts)) {
			snprintf(k->logged, sizeof(k->logged), "%s", err.msg);
			iscsi_logf(K->h.log, ISCSI_LOG_INFO, "keeper: %s at %s, down at boot: %s; "
				   "trying again", k->c.target, k->st.portal, err.msg);
		}
		return;
	}
	rc = iscsi_handoff_relogin(&K->h, &k->p, portals, n,
				   t0 + (int64_t)n * K->h.conf->login_timeout * 1000, &k->s, &err);
	if (rc == 0) {
		int64_t now = monotonic_ms();

		k->failed = false;
		k->st.recoveries++;
		k->st.last_outage_ms = (long)(now - k->t_error);
		k->st.last_relogin_ms = (long)(now - t0);
		hostport_format(&k->s.portal, where, sizeof(where));
		snprintf(k->st.portal, sizeof(k->st.portal), "%s", where);
		iscsi_logf(K->h.log, ISCSI_LOG_NOTICE, "keeper: session %" PRIu32 " logged in again "
			   "to %s at %s, %.2f s after the connection failed (%s); attempt %u took "
			   "%.2f s", k->s.sid, k->c.target, where,
			   (double)k->st.last_outage_ms / 1000, k->st.last_error, k->attempts,
			   (double)k->st.last_relogin_ms / 1000);
		save(K, k, "up");
		if (K->on_relogin)
			K->on_relogin(K, k);
		return;
	}
	if (sys_attr(K, k->s.sid, "state", where, sizeof(where)) == -ENOENT) {
		k->gone = true;
		return;
	}
	k->next_try = monotonic_ms() + backoff_jitter(&K->rng, k->backoff);
	k->backoff = iscsi_keeper_backoff(k->backoff, rc);
	if (iscsi_keeper_tell(k->logged, err.msg, k->attempts)) {
		snprintf(k->logged, sizeof(k->logged), "%s", err.msg);
		iscsi_logf(K->h.log, ISCSI_LOG_WARN, "keeper: session %" PRIu32 ": attempt %u: %s; "
			   "trying again", k->s.sid, k->attempts, err.msg);
	}
	snprintf(k->st.last_error, sizeof(k->st.last_error), "%s", err.msg);
	save(K, k, "recovering");
}

static void drain_events(struct iscsi_keeper *K)
{
	for (;;) {
		struct iscsi_nl_event ev;
		struct sr_error err;
		int rc = iscsi_nl_recv_event(K->h.nl, &ev, K->event_buf, sizeof(K->event_buf), 0,
					     &err);

		if (rc == -ETIMEDOUT)
			return;
		if (rc == -ENOBUFS)
			on_event(K, NULL);
		else if (rc == 0)
			on_event(K, &ev);
		else if (rc != -EMSGSIZE && rc != -EPROTO)
			return;
	}
}

enum iscsi_keeper_end iscsi_keeper_run(struct iscsi_keeper *K)
{
	int64_t last_check = 0;

	K->h.on_event = on_event;
	K->h.ctx = K;
	for (;;) {
		int64_t now = monotonic_ms(), wake;
		struct pollfd pfd = { .fd = iscsi_nl_fd(K->h.nl), .events = POLLIN };
		unsigned live = 0;
		pid_t other;

		if (K->stop && *K->stop)
			return ISCSI_KEEPER_STOPPED;
		if (now - last_check >= ISCSI_KEEPER_CHECK_MS || K->check_all) {
			other = iscsid_pid(K);
			if (other > 0) {
				hand_over(K, other);
				return ISCSI_KEEPER_HANDED_OVER;
			}
			check_sysfs(K);
			last_check = now;
		}
		for (unsigned i = 0; i < K->n; i++) {
			struct iscsi_kept *k = &K->k[i];

			if (k->gone || !k->failed || k->next_try > monotonic_ms())
				continue;
			/*
			 * iscsid drops a session's connection when it adopts the
			 * session: a failure while iscsid runs is iscsid's to
			 * recover. Logging in as well would make two initiators
			 * recover one session at once.
			 */
			other = iscsid_pid(K);
			if (other > 0) {
				hand_over(K, other);
				return ISCSI_KEEPER_HANDED_OVER;
			}
			attempt(K, k);
		}
		wake = last_check + ISCSI_KEEPER_CHECK_MS;
		for (unsigned i = 0; i < K->n; i++) {
			if (K->k[i].gone)
				continue;
			live++;
			if (K->k[i].failed && K->k[i].next_try < wake)
				wake = K->k[i].next_try;
		}
		if (!live)
			return ISCSI_KEEPER_IDLE;
		now = monotonic_ms();
		if (!iscsi_nl_pending(K->h.nl))
			poll(&pfd, 1, wake > now ? (int)(wake - now) : 0);
		drain_events(K);
	}
}

void iscsi_keeper_wipe(struct iscsi_keeper *K)
{
	explicit_bzero(K, sizeof(*K));
}
