// SPDX-License-Identifier: GPL-2.0-only
/* sanroot-iscsi login, logout and sessions: iSCSI sessions handed to the kernel's iscsi_tcp. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iscsi/kernel/iscsi_attach.h"
#include "iscsi/kernel/iscsi_state.h"
#include "../tool.h"
#include "cli.h"
#include "commands.h"
#include "up.h"

#define LOGIN_TIMEOUT_DEFAULT 120	/* s: iscsistart's 8 passes of 15 s, roughly */

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

bool mpath_paths_planned(void)
{
	return cli.have_plan && plan_multipath_paths(&cli.plan);
}

void handoff_conf(void)
{
	char pair[sizeof(cli.plan.iscsi.param[0].name) + sizeof(cli.plan.iscsi.param[0].value) + 1];

	iscsi_handoff_conf_defaults(&cli.hconf);
	/*
	 * A path that fails must fail fast, so that dm-multipath carries the I/O
	 * on the others: multipathd sets an iSCSI session's recovery timeout to
	 * fast_io_fail_tmo (5 s by default). The map queues when all are down.
	 */
	if (mpath_paths_planned())
		cli.hconf.replacement_timeout = MPATH_RECOVERY_TMO;
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
	iscsi_attach_params(&cli.hconf, keep_isid ? isid : NULL, u->s.login.chap7_sha1, &u->p);
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

/* ---- login ------------------------------------------------------------------------------ */

/* A target of the plan, as lib/ attaches it (a.p's strings point into u). */
struct attempt {
	struct up u;
	struct iscsi_attach a;
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
	struct iscsi_attach *at;
	struct plan_target *pending;
	unsigned npending = 0;
	struct iscsi_handoff h = { .conf = &cli.hconf, .log = &cli.log, .on_event = ignore_event };
	struct iscsi_attach_opts o = { .deadline = cli.deadline,
				       .retry_max = cli.hconf.login_retry_max };
	struct sr_error err = { 0 };
	unsigned nup = 0;
	pid_t keeper = 0;
	int rc, dfd;

	if (n == 0)
		tool_usage_error("no target to log in to (the boot plan names none)");
	if (n > PLAN_MAX_TARGETS)
		n = PLAN_MAX_TARGETS;
	/* They hold the secrets: on the heap, wiped before every return and exit. */
	a = calloc(n, sizeof(*a));
	ups = calloc(n, sizeof(*ups));
	at = calloc(n, sizeof(*at));
	rc = iscsi_nl_open(&h.nl, "tcp", &err);
	if (rc < 0 || !a || !ups || !at) {
		explicit_bzero(targets, n * sizeof(*targets));
		tool_fail_why(err.reason, "unable to reach the kernel's iSCSI initiator: %s",
			  rc < 0 ? err.msg : "out of memory");
	}
	for (unsigned i = 0; i < n; i++) {
		struct iscsi_attach *t = &at[i];
		struct up *u = &a[i].u;

		u->t = targets[i];
		check_credentials(&u->t);
		handoff_login_params(u);
		t->p = u->p;
		t->portal = u->t.portal;
		t->nportals = u->t.nportals;
		t->lun_set = u->t.lun_set;
		t->lun = u->t.lun;
		if (!u->t.name[0]) {
			t->st = ISCSI_ATTACH_FAILED;
			sr_fail(&t->err, EINVAL, "no target name (login does not discover; "
				"'sanroot-iscsi discover' lists what a portal offers)");
		} else if (!u->t.nportals) {
			t->st = ISCSI_ATTACH_FAILED;
			sr_fail(&t->err, EINVAL, "no portal");
		}
	}
	o.state_dirfd = open(ISCSI_STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	iscsi_attach_all(&h, at, n, &o);
	if (o.state_dirfd >= 0)
		close(o.state_dirfd);
	for (unsigned i = 0; i < n; i++) {
		struct up *u = &a[i].u;

		a[i].a = at[i];
		u->s = at[i].s;
		memcpy(u->disk, at[i].disk, sizeof(u->disk));
		u->ndisks = at[i].ndisks;
		u->adopted = at[i].adopted;
	}
	explicit_bzero(at, n * sizeof(*at));
	free(at);

	/* The sessions this run is responsible for: not those another keeper keeps. */
	nup = 0;
	for (unsigned i = 0; i < n; i++) {
		if (a[i].a.st != ISCSI_ATTACH_UP || (a[i].u.adopted && live_keeper(a[i].u.s.sid)))
			continue;
		ups[nup++] = a[i].u;
		handoff_login_params(&ups[nup - 1]);	/* pointers into the copy */
	}
	/* With multipath, the paths that did not come up are the keeper's to try again. */
	pending = calloc(n, sizeof(*pending));
	for (unsigned i = 0; pending && mpath_paths_planned() && i < n; i++)
		if (a[i].a.st != ISCSI_ATTACH_UP && a[i].u.t.name[0] && a[i].u.t.nportals)
			pending[npending++] = a[i].u.t;
	if (nup && keep) {
		fflush(NULL);
		keeper = keeper_start(ups, nup, pending, npending, h.nl);
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
	if (pending) {
		explicit_bzero(pending, n * sizeof(*pending));
		free(pending);
	}

	for (unsigned i = 0; i < n; i++) {
		struct up *u = &a[i].u;
		char where[HOSTPORT_TEXT_MAX], devs[UP_DISKS_MAX * 16];

		if (a[i].a.st != ISCSI_ATTACH_UP)
			continue;
		up_portal(u, where, sizeof(where));
		devices(u, devs, sizeof(devs));
		for (unsigned k = 0; k < u->ndisks; k++)
			printf("sid=%" PRIu32 " target=%s portal=%s lun=%" PRIu64 " dev=/dev/%s\n",
			       u->s.sid, u->t.name, where, u->disk[k].lun, u->disk[k].block);
		log_notice("%s %s at %s as %s, session %" PRIu32 " (%.2f s)",
			   u->adopted ? "already logged in to" : "logged in to", u->t.name, where,
			   devs, u->s.sid, (double)(monotonic_ms() - a[i].a.started) / 1000);
	}
	fflush(stdout);
	if (keeper > 0)
		log_info("keeper %ld keeps %u session%s", (long)keeper, nup, nup == 1 ? "" : "s");

	nup = 0;
	for (unsigned i = 0; i < n; i++)
		nup += a[i].a.st == ISCSI_ATTACH_UP;
	for (unsigned i = 0, left = n - nup; i < n; i++) {
		char where[HOSTPORT_TEXT_MAX];

		if (a[i].a.st == ISCSI_ATTACH_UP)
			continue;
		left--;
		if (a[i].u.t.nportals)
			hostport_format(&a[i].a.where, where, sizeof(where));
		else
			snprintf(where, sizeof(where), "(no portal)");
		if (!nup && !left) {
			struct sr_error last = a[i].a.err;
			char name[PLAN_NAME_MAX];

			snprintf(name, sizeof(name), "%s", a[i].u.t.name[0] ? a[i].u.t.name :
				 "(unnamed target)");
			iscsi_nl_close(h.nl);
			explicit_bzero(a, n * sizeof(*a));
			free(a);
			explicit_bzero(targets, n * sizeof(*targets));
			tool_fail_why(last.reason, "unable to log in to %s at %s: %s", name, where, last.msg);
		}
		log_err("unable to log in to %s at %s: %s", a[i].u.t.name[0] ? a[i].u.t.name :
			"(unnamed target)", where, a[i].a.err.msg);
	}
	iscsi_nl_close(h.nl);
	explicit_bzero(a, n * sizeof(*a));
	free(a);
	return 0;
}

int cmd_login(int argc, char **argv)
{
	struct plan_target *targets;
	unsigned n = 0;
	bool keep;
	int rc;

	(void)argv;
	if (argc > 1)
		tool_usage_error("login takes no argument: it logs in to the boot plan's targets");
	if (!cli.have_plan)
		tool_fail("unable to log in: no boot plan (see sanroot-config --explain)");
	if (!cli.timeout_set)
		cli.deadline = monotonic_ms() + LOGIN_TIMEOUT_DEFAULT * 1000;
	handoff_conf();
	targets = calloc(PLAN_MAX_TARGETS, sizeof(*targets));
	if (!targets)
		tool_fail("unable to log in: out of memory");
	/* With multipath, a session per portal: each a path of the map sanroot-lvm makes. */
	for (unsigned i = 0; i < cli.plan.ntargets; i++) {
		const struct plan_target *t = &cli.plan.target[i];
		unsigned k = 0;

		do {
			if (n == PLAN_MAX_TARGETS) {
				log_warn("more than %d paths: the rest is left out", PLAN_MAX_TARGETS);
				i = cli.plan.ntargets;
				break;
			}
			targets[n] = *t;
			if (cli.plan.sanroot.multipath && t->nportals > 1) {
				targets[n].portal[0] = t->portal[k];
				targets[n].nportals = 1;
			}
			n++;
		} while (cli.plan.sanroot.multipath && ++k < t->nportals);
	}
	keep = cli.keep >= 0 ? cli.keep : cli.plan.sanroot.keep;
	rc = handoff_targets(targets, n, keep);
	explicit_bzero(targets, PLAN_MAX_TARGETS * sizeof(*targets));
	free(targets);
	return rc;
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
		tool_fail_why(err.reason, "unable to reach the kernel's iSCSI initiator: %s", err.msg);
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
		if (iscsi_handoff_logout(&h, sids[i], known ? st.cid : 0, ISCSI_ATTACH_LOGOUT_WAIT_MS,
					 &err) < 0) {
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
