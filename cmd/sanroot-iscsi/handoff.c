// SPDX-License-Identifier: GPL-2.0-only
/* sanroot-iscsi login, logout and sessions: iSCSI sessions handed to the kernel's iscsi_tcp. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iscsi/kernel/iscsi_state.h"
#include "../tool.h"
#include "cli.h"
#include "commands.h"
#include "up.h"

#define LOGIN_TIMEOUT_DEFAULT 120	/* s: iscsistart's 8 passes of 15 s, roughly */
#define GRACE_PASSES 3			/* passes for the other targets once one is up */
#define LOGOUT_WAIT_MS 3000

/* ---- configuration ---------------------------------------------------------------- */

static void conf_apply(const char *pair, const char *where)
{
	struct sr_error err = { 0 };
	int rc = iscsi_handoff_conf_set_pair(&cli.hconf, pair, &err);

	if (rc < 0)
		tool_usage_error("%s: %s", where, err.msg);
	if (rc > 0)
		log_warn("%s: ignoring '%.60s': not a parameter sanroot-iscsi uses", where, pair);
}

void handoff_conf(void)
{
	char pair[sizeof(cli.plan.iscsi.param[0].name) + sizeof(cli.plan.iscsi.param[0].value) + 1];

	iscsi_handoff_conf_defaults(&cli.hconf);
	cli.hconf.offer.max_recv_dsl = cli.max_recv;
	cli.hconf.header_digest = cli.header_digest;
	cli.hconf.data_digest = cli.data_digest;
	if (cli.have_plan) {
		if (cli.plan.iscsi.login_retry_max > 0)
			cli.hconf.login_retry_max = cli.plan.iscsi.login_retry_max;
		for (unsigned i = 0; i < cli.plan.iscsi.nparam; i++) {
			snprintf(pair, sizeof(pair), "%s=%s", cli.plan.iscsi.param[i].name,
				 cli.plan.iscsi.param[i].value);
			conf_apply(pair, "rd.iscsi.param");
		}
	}
	for (unsigned i = 0; i < cli.nparam; i++)
		conf_apply(cli.param[i], "-P");
}

void handoff_login_params(struct up *u)
{
	uint8_t isid[6];
	bool keep_isid = u->s.login.isid[0] != 0;	/* iscsi_isid_make() sets the type bits */

	memcpy(isid, u->s.login.isid, sizeof(isid));
	cli_login_params(&u->t, &u->p);
	if (keep_isid)
		memcpy(u->p.isid, isid, sizeof(isid));
	u->p.offer = cli.hconf.offer;
	u->p.header_digest = cli.hconf.header_digest;
	u->p.data_digest = cli.hconf.data_digest;
	u->p.tsih = 0;		/* a new session, or ERL 0 reinstatement of ours */
	u->p.chap7_sha1 = u->s.login.chap7_sha1;	/* what worked, at once next time */
}

/* ---- state files ---------------------------------------------------------------------- */

void up_portal(const struct up *u, char *buf, size_t len)
{
	hostport_format(&u->s.portal, buf, len);
}

static void append(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(dst);

	snprintf(dst + n, cap - n, "%s%s", n ? " " : "", s);
}

void state_from_up(const struct up *u, const char *state, long keeper, struct iscsi_state *st)
{
	const uint8_t *i = u->s.login.isid;

	memset(st, 0, sizeof(*st));
	st->sid = u->s.sid;
	st->cid = u->s.cid;
	snprintf(st->target, sizeof(st->target), "%s", u->t.name);
	up_portal(u, st->portal, sizeof(st->portal));
	for (unsigned k = 0; k < u->t.nportals; k++) {
		char one[HOSTPORT_TEXT_MAX];

		hostport_format(&u->t.portal[k], one, sizeof(one));
		append(st->portals, sizeof(st->portals), one);
	}
	snprintf(st->isid, sizeof(st->isid), "%02x%02x%02x%02x%02x%02x", i[0], i[1], i[2], i[3],
		 i[4], i[5]);
	for (unsigned k = 0; k < u->ndisks; k++) {
		char lun[24];

		append(st->devs, sizeof(st->devs), u->disk[k].block);
		snprintf(lun, sizeof(lun), "%" PRIu64, u->disk[k].lun);
		append(st->luns, sizeof(st->luns), lun);
	}
	snprintf(st->state, sizeof(st->state), "%s", state);
	st->keeper = keeper;
}

/* ---- disks -------------------------------------------------------------------------- */

static const char *scsi_type_name(int type)
{
	switch (type) {
	case 0x05: return "CD/DVD drive";
	case 0x0c: return "storage array controller";
	case 0x0d: return "enclosure";
	case -1: return "device of unknown type";
	default: return "device that is not a disk";
	}
}

static void lun_list(const struct iscsi_sysfs_lun *l, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%" PRIu64 " (%s)", i ? ", " : "",
				      l[i].lun, iscsi_scsi_type_is_disk(l[i].type) ? "disk" :
				      scsi_type_name(l[i].type));
	if (!n)
		snprintf(buf, len, "none");
}

/*
 * Scan the session's host and wait for the block devices: of the plan's LUN,
 * or of every disk LUN the target offers.
 */
static int wait_disks(struct up *u, int64_t deadline, struct sr_error *err)
{
	struct iscsi_sysfs_lun l[ISCSI_SYSFS_LUNS_MAX];
	char seen[256];
	size_t n = 0;
	int rc;

	rc = iscsi_sysfs_session_host(NULL, u->s.sid, &u->s.host, err);
	if (rc < 0)
		return rc;
	rc = iscsi_sysfs_scan(NULL, u->s.host, err);
	if (rc < 0)
		return rc;
	for (;;) {
		struct timespec pause = { 0, 20 * 1000000L };
		unsigned disks = 0, ready = 0;

		rc = iscsi_sysfs_session_luns(NULL, u->s.sid, l, ISCSI_SYSFS_LUNS_MAX, &n, err);
		if (rc < 0)
			return rc;
		u->ndisks = 0;
		for (size_t i = 0; i < n; i++) {
			if (u->t.lun_set ? l[i].lun != u->t.lun : !iscsi_scsi_type_is_disk(l[i].type))
				continue;
			if (u->t.lun_set && !iscsi_scsi_type_is_disk(l[i].type) && l[i].type >= 0)
				return sr_fail(err, ENODEV, "LUN %" PRIu64 " is a %s", l[i].lun,
					       scsi_type_name(l[i].type));
			disks++;
			if (l[i].block[0] && u->ndisks < UP_DISKS_MAX) {
				u->disk[u->ndisks++] = l[i];
				ready++;
			}
		}
		if (disks && ready == disks)
			return 0;
		if (monotonic_ms() >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	lun_list(l, n, seen, sizeof(seen));
	if (u->t.lun_set)
		return sr_fail(err, ENODEV, "LUN %" PRIu64 " has no block device in time (the "
			       "target offers LUNs: %s)", u->t.lun, seen);
	return sr_fail(err, ENODEV, "no disk appeared in time (the target offers LUNs: %s)", seen);
}

/* ---- sessions that exist already ------------------------------------------------------ */

static bool same_portal(uint32_t sid, const struct hostport *p)
{
	char addr[HOSTPORT_HOST_MAX], port[16];

	if (iscsi_sysfs_conn_attr(NULL, sid, 0, "persistent_address", addr, sizeof(addr)) < 0 ||
	    iscsi_sysfs_conn_attr(NULL, sid, 0, "persistent_port", port, sizeof(port)) < 0)
		return false;
	return !strcmp(addr, p->host) && strtoul(port, NULL, 10) == p->port;
}

/* A session to this target through one of its portals: iscsistart's "session exists". */
static bool find_existing(struct up *u)
{
	uint32_t sids[64];
	size_t n = iscsi_sysfs_sessions(NULL, sids, 64);
	char name[PLAN_NAME_MAX];

	for (size_t i = 0; i < n && i < 64; i++) {
		if (iscsi_sysfs_session_attr(NULL, sids[i], "targetname", name, sizeof(name)) < 0 ||
		    strcmp(name, u->t.name))
			continue;
		for (unsigned k = 0; k < u->t.nportals; k++) {
			struct iscsi_state st;
			int dfd;

			if (!same_portal(sids[i], &u->t.portal[k]))
				continue;
			u->s.sid = sids[i];
			u->s.cid = 0;
			u->s.portal = u->t.portal[k];
			u->adopted = true;
			dfd = open(ISCSI_STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (dfd >= 0 && iscsi_state_read(dfd, sids[i], &st) == 0)
				iscsi_state_isid(&st, u->s.login.isid);
			if (dfd >= 0)
				close(dfd);
			return true;
		}
	}
	return false;
}

/* ---- login ------------------------------------------------------------------------------ */

enum attempt_state { PENDING, UP, FAILED };

struct attempt {
	struct up u;
	enum attempt_state st;
	struct sr_error err;
	struct hostport where;
	int64_t started;
};

static void check_credentials(struct plan_target *t)
{
	if (cli.chap_given)
		t->chap = cli.chap;
	if (cli.rchap_given)
		t->rchap = cli.rchap;
	if (t->chap.name[0] && !t->chap.secret[0])
		tool_usage_error("target %s: CHAP name '%s' has no secret", t->name, t->chap.name);
	if (t->rchap.name[0] && !t->rchap.secret[0])
		tool_usage_error("target %s: target CHAP name '%s' has no secret", t->name,
				 t->rchap.name);
	if (t->rchap.name[0] && !t->chap.name[0])
		tool_usage_error("target %s: mutual CHAP needs our own CHAP name and secret too",
				 t->name);
}

static void devices(const struct up *u, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < u->ndisks && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s/dev/%s", i ? ", " : "", u->disk[i].block);
}

static void try_one(const struct iscsi_handoff *h, struct attempt *a)
{
	struct up *u = &a->u;
	struct sr_error ignored;
	int rc;

	if (!a->started)
		a->started = monotonic_ms();
	if (find_existing(u)) {
		char where[HOSTPORT_TEXT_MAX];

		hostport_format(&u->s.portal, where, sizeof(where));
		log_info("%s: already logged in at %s as session %" PRIu32, u->t.name, where,
			 u->s.sid);
		a->where = u->s.portal;
	} else {
		rc = iscsi_handoff_login(h, &u->p, u->t.portal, u->t.nportals, cli.deadline, 1, &u->s,
					 &a->where, &a->err);
		if (rc < 0) {
			if (!iscsi_error_transient(rc))
				a->st = FAILED;
			return;
		}
	}
	rc = wait_disks(u, cli.deadline, &a->err);
	if (rc < 0) {
		/* Logged in but useless to the boot: leave nothing half-made behind. */
		if (!u->adopted)
			iscsi_handoff_logout(h, u->s.sid, u->s.cid, LOGOUT_WAIT_MS, &ignored);
		a->st = FAILED;
		return;
	}
	a->st = UP;
}

static long live_keeper(uint32_t sid)
{
	int dfd = open(ISCSI_STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long pid = iscsi_state_live_keeper(dfd, sid);

	if (dfd >= 0)
		close(dfd);
	return pid;
}

static void ignore_event(void *ctx, const struct iscsi_nl_event *ev)
{
	(void)ctx, (void)ev;
}

int handoff_targets(struct plan_target *targets, unsigned n, bool keep)
{
	struct attempt *a;
	struct up *ups;
	struct iscsi_handoff h = { .conf = &cli.hconf, .log = &cli.log, .on_event = ignore_event };
	struct sr_error err = { 0 };
	unsigned pending, nup = 0, grace = 0, pass;
	int64_t backoff = 250;
	pid_t keeper = 0;
	int rc, dfd;

	if (n == 0)
		tool_usage_error("no target to log in to (the boot plan names none)");
	if (n > PLAN_MAX_TARGETS)
		n = PLAN_MAX_TARGETS;
	rc = iscsi_nl_open(&h.nl, "tcp", &err);
	if (rc < 0)
		tool_fail("unable to reach the kernel's iSCSI initiator: %s", err.msg);
	/* They hold the secrets: on the heap, wiped before every return and exit. */
	a = calloc(n, sizeof(*a));
	ups = calloc(n, sizeof(*ups));
	if (!a || !ups)
		tool_fail("unable to log in: out of memory");
	for (unsigned i = 0; i < n; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].u.t = targets[i];
		check_credentials(&a[i].u.t);
		handoff_login_params(&a[i].u);
		if (!a[i].u.t.name[0]) {
			a[i].st = FAILED;
			sr_fail(&a[i].err, EINVAL, "no target name (login does not discover; "
				"'sanroot-iscsi discover' lists what a portal offers)");
		} else if (!a[i].u.t.nportals) {
			a[i].st = FAILED;
			sr_fail(&a[i].err, EINVAL, "no portal");
		}
	}

	for (pass = 1;; pass++) {
		pending = 0;
		for (unsigned i = 0; i < n; i++) {
			if (a[i].st == PENDING)
				try_one(&h, &a[i]);
			pending += a[i].st == PENDING;
		}
		nup = 0;
		for (unsigned i = 0; i < n; i++)
			nup += a[i].st == UP;
		if (!pending || monotonic_ms() + backoff >= cli.deadline)
			break;
		if (cli.hconf.login_retry_max > 0 && pass >= (unsigned)cli.hconf.login_retry_max)
			break;
		/* A path that is down holds the boot only while no other is up. */
		if (nup && cli.hconf.login_retry_max <= 0 && ++grace >= GRACE_PASSES)
			break;
		log_info("%u target%s not up yet; trying again in %lld ms", pending,
			 pending == 1 ? "" : "s", (long long)backoff);
		{
			struct timespec ts = { backoff / 1000, (backoff % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
		backoff = backoff * 2 > 4000 ? 4000 : backoff * 2;
	}

	/* The sessions this run is responsible for: not those another keeper keeps. */
	nup = 0;
	for (unsigned i = 0; i < n; i++) {
		if (a[i].st != UP || (a[i].u.adopted && live_keeper(a[i].u.s.sid)))
			continue;
		ups[nup++] = a[i].u;
		handoff_login_params(&ups[nup - 1]);	/* pointers into the copy */
	}
	if (nup && keep) {
		fflush(NULL);
		keeper = keeper_start(ups, nup, h.nl);
		if (keeper < 0)
			log_warn("the sessions are up, but nobody will log in again if a connection "
				 "drops");
	}
	if (nup && keeper <= 0) {
		dfd = iscsi_state_dir_open(ISCSI_STATE_DIR);
		for (unsigned i = 0; i < nup && dfd >= 0; i++) {
			struct iscsi_state st;

			state_from_up(&ups[i], "up", 0, &st);
			iscsi_state_write(dfd, &st);
		}
		if (dfd < 0)
			log_warn("cannot write %s: %s", ISCSI_STATE_DIR, strerror(-dfd));
		else
			close(dfd);
	}
	explicit_bzero(ups, n * sizeof(*ups));
	free(ups);

	for (unsigned i = 0; i < n; i++) {
		struct up *u = &a[i].u;
		char where[HOSTPORT_TEXT_MAX], devs[UP_DISKS_MAX * 16];

		if (a[i].st != UP)
			continue;
		up_portal(u, where, sizeof(where));
		devices(u, devs, sizeof(devs));
		for (unsigned k = 0; k < u->ndisks; k++)
			printf("sid=%" PRIu32 " target=%s portal=%s lun=%" PRIu64 " dev=/dev/%s\n",
			       u->s.sid, u->t.name, where, u->disk[k].lun, u->disk[k].block);
		log_notice("%s %s at %s as %s, session %" PRIu32 " (%.2f s)",
			   u->adopted ? "already logged in to" : "logged in to", u->t.name, where,
			   devs, u->s.sid, (double)(monotonic_ms() - a[i].started) / 1000);
	}
	fflush(stdout);
	if (keeper > 0)
		log_info("keeper %ld keeps %u session%s", (long)keeper, nup, nup == 1 ? "" : "s");

	nup = 0;
	for (unsigned i = 0; i < n; i++)
		nup += a[i].st == UP;
	for (unsigned i = 0, left = n - nup; i < n; i++) {
		char where[HOSTPORT_TEXT_MAX];

		if (a[i].st == UP)
			continue;
		left--;
		if (a[i].u.t.nportals)
			hostport_format(&a[i].where, where, sizeof(where));
		else
			snprintf(where, sizeof(where), "(no portal)");
		if (!nup && !left) {
			struct sr_error last = a[i].err;
			char name[PLAN_NAME_MAX];

			snprintf(name, sizeof(name), "%s", a[i].u.t.name[0] ? a[i].u.t.name :
				 "(unnamed target)");
			iscsi_nl_close(h.nl);
			explicit_bzero(a, n * sizeof(*a));
			free(a);
			tool_fail("unable to log in to %s at %s: %s", name, where, last.msg);
		}
		log_err("unable to log in to %s at %s: %s", a[i].u.t.name[0] ? a[i].u.t.name :
			"(unnamed target)", where, a[i].err.msg);
	}
	iscsi_nl_close(h.nl);
	explicit_bzero(a, n * sizeof(*a));
	free(a);
	return 0;
}

int cmd_login(int argc, char **argv)
{
	static struct plan_target targets[PLAN_MAX_TARGETS];
	bool keep;

	(void)argv;
	if (argc > 1)
		tool_usage_error("login takes no argument: it logs in to the boot plan's targets");
	if (!cli.have_plan)
		tool_fail("unable to log in: no boot plan (see sanroot-config --explain)");
	if (!cli.timeout_set)
		cli.deadline = monotonic_ms() + LOGIN_TIMEOUT_DEFAULT * 1000;
	handoff_conf();
	memcpy(targets, cli.plan.target, sizeof(targets));
	keep = cli.keep >= 0 ? cli.keep : cli.plan.sanroot.keep;
	return handoff_targets(targets, cli.plan.ntargets, keep);
}

/* ---- logout and sessions ------------------------------------------------------------------- */

static uint32_t parse_sid(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > UINT32_MAX || s[0] == '-')
		tool_usage_error("'%s' is not a session id (or 'all')", s);
	return (uint32_t)v;
}

int cmd_logout(int argc, char **argv)
{
	struct iscsi_handoff h = { .conf = &cli.hconf, .log = &cli.log, .on_event = ignore_event };
	struct sr_error err = { 0 };
	uint32_t sids[64];
	size_t n;
	int dfd, failed = 0;

	if (argc > 2)
		tool_usage_error("logout takes one SID or 'all'");
	if (argc == 2 && strcmp(argv[1], "all")) {
		sids[0] = parse_sid(argv[1]);
		n = 1;
		if (!iscsi_sysfs_session_exists(NULL, sids[0]))
			tool_fail("unable to log out of session %" PRIu32 ": no such iSCSI session",
				  sids[0]);
	} else {
		n = iscsi_sysfs_sessions(NULL, sids, 64);
		if (n > 64)
			n = 64;
	}
	if (!n)
		return 0;
	if (iscsi_nl_open(&h.nl, "tcp", &err) < 0)
		tool_fail("unable to reach the kernel's iSCSI initiator: %s", err.msg);
	dfd = iscsi_state_dir_open(ISCSI_STATE_DIR);
	for (size_t i = 0; i < n; i++) {
		struct iscsi_state st;
		char name[PLAN_NAME_MAX] = "";
		bool known = dfd >= 0 && iscsi_state_read(dfd, sids[i], &st) == 0;

		iscsi_sysfs_session_attr(NULL, sids[i], "targetname", name, sizeof(name));
		/* The keeper must not take the target's goodbye for a failure. */
		if (known) {
			snprintf(st.state, sizeof(st.state), "logging-out");
			iscsi_state_write(dfd, &st);
		}
		if (iscsi_handoff_logout(&h, sids[i], known ? st.cid : 0, LOGOUT_WAIT_MS, &err) < 0) {
			log_err("unable to log out of session %" PRIu32 ": %s", sids[i], err.msg);
			failed++;
			continue;
		}
		iscsi_state_remove(dfd, sids[i]);
		log_notice("logged out of session %" PRIu32 " (%s)", sids[i], name);
	}
	if (dfd >= 0)
		close(dfd);
	iscsi_nl_close(h.nl);
	return failed ? EXIT_FAIL : 0;
}

int cmd_sessions(int argc, char **argv)
{
	uint32_t sids[64];
	size_t n = iscsi_sysfs_sessions(NULL, sids, 64);
	int dfd = open(ISCSI_STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	(void)argv;
	if (argc > 1)
		tool_usage_error("sessions takes no argument");
	for (size_t i = 0; i < n && i < 64; i++) {
		struct iscsi_sysfs_lun l[ISCSI_SYSFS_LUNS_MAX];
		struct iscsi_state st;
		struct sr_error err;
		char name[PLAN_NAME_MAX] = "?", addr[HOSTPORT_HOST_MAX] = "?", port[16] = "?";
		char state[32] = "?", keeper[32] = "none";
		size_t nl = 0;

		iscsi_sysfs_session_attr(NULL, sids[i], "targetname", name, sizeof(name));
		iscsi_sysfs_session_attr(NULL, sids[i], "state", state, sizeof(state));
		iscsi_sysfs_conn_attr(NULL, sids[i], 0, "persistent_address", addr, sizeof(addr));
		iscsi_sysfs_conn_attr(NULL, sids[i], 0, "persistent_port", port, sizeof(port));
		if (dfd >= 0 && iscsi_state_read(dfd, sids[i], &st) == 0) {
			if (!strcmp(st.state, "handed-over"))
				snprintf(keeper, sizeof(keeper), "handed-over");
			else if (st.keeper > 0 && kill((pid_t)st.keeper, 0) == 0)
				snprintf(keeper, sizeof(keeper), "%ld", st.keeper);
		}
		printf("sid=%" PRIu32 " target=%s portal=%s%s%s:%s state=%s", sids[i], name,
		       strchr(addr, ':') ? "[" : "", addr, strchr(addr, ':') ? "]" : "", port, state);
		if (iscsi_sysfs_session_luns(NULL, sids[i], l, ISCSI_SYSFS_LUNS_MAX, &nl, &err) == 0)
			for (size_t k = 0; k < nl; k++)
				if (l[k].block[0])
					printf(" lun=%" PRIu64 " dev=/dev/%s", l[k].lun, l[k].block);
		printf(" keeper=%s\n", keeper);
	}
	if (dfd >= 0)
		close(dfd);
	return 0;
}
