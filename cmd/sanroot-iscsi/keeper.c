// SPDX-License-Identifier: GPL-2.0-only
/*
 * The keeper: stays with the sessions after the boot's login, and when the
 * kernel reports a connection error (ISCSI_KEVENT_CONN_ERROR) stops the
 * connection for recovery, connects again with backoff, logs in with the
 * same engine (ERL 0 reinstatement: same ISID, TSIH 0), rebinds and
 * restarts, so commands the kernel holds resume on the new connection.
 *
 * It lives on after the switch to the real root, where its / is the deleted
 * initramfs: everything it touches is opened before it forks (the netlink
 * socket, /proc, /sys/class/iscsi_session, /run/sanroot/iscsi, /dev/kmsg)
 * and used through those descriptors; portals are numeric; credentials
 * stay in its (locked) memory. argv[0] starts with '@', systemd's mark of a
 * root-storage daemon that its shutdown must not kill. When open-iscsi's
 * iscsid runs, it adopts the sessions (its sync stops each connection and
 * logs in again itself), and the keeper steps aside and exits.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iscsi/iscsi_tcp.h"
#include "../tool.h"
#include "sanroot-iscsi.h"

#define CHECK_MS	2000	/* how often sysfs and /proc are looked at */
#define BACKOFF_MIN_MS	250
#define BACKOFF_MAX_MS	1000	/* a root filesystem waits: try often (a refused connect is cheap) */
#define BACKOFF_AUTH_MS	30000	/* but do not hammer a target that refuses us */
#define READY_WAIT_MS	10000

struct kept {
	struct up u;
	bool gone;			/* logged out, destroyed, or not ours any more */
	bool failed;			/* the connection is down; we are logging in again */
	int64_t t_error, next_try, backoff;
	unsigned attempts;
	char logged[128];		/* the last failure told, not to repeat it */
	struct session_state st;
};

static struct {
	struct kept k[PLAN_MAX_TARGETS];
	unsigned n;
	struct iscsi_nl *nl;
	struct iscsi_handoff h;
	int proc_fd, run_fd, sys_fd;
	bool check_all;
	volatile sig_atomic_t stop;
} K = { .proc_fd = -1, .run_fd = -1, .sys_fd = -1 };

static uint8_t event_buf[ISCSI_BHS_LEN + 4 * ISCSI_LOGIN_PDU_DATA];

static void save(struct kept *k, const char *state)
{
	snprintf(k->st.state, sizeof(k->st.state), "%s", state);
	k->st.keeper = (long)getpid();
	if (state_write(K.run_fd, &k->st) < 0)
		log_debug("keeper: cannot write the state of session %" PRIu32, k->u.s.sid);
}

static struct kept *find(uint32_t sid)
{
	for (unsigned i = 0; i < K.n; i++)
		if (K.k[i].u.s.sid == sid && !K.k[i].gone)
			return &K.k[i];
	return NULL;
}

/* sanroot-iscsi logout marks a session before the target closes its connection. */
static bool logging_out(struct kept *k)
{
	struct session_state disk;

	if (state_read(K.run_fd, k->u.s.sid, &disk) < 0 || strcmp(disk.state, "logging-out"))
		return false;
	k->gone = true;
	return true;
}

static void conn_failed(struct kept *k, const char *why)
{
	char where[HOSTPORT_TEXT_MAX];

	if (k->failed || logging_out(k))
		return;
	k->failed = true;
	k->t_error = k->next_try = monotonic_ms();
	k->backoff = BACKOFF_MIN_MS;
	k->attempts = 0;
	k->logged[0] = '\0';
	up_portal(&k->u, where, sizeof(where));
	snprintf(k->st.last_error, sizeof(k->st.last_error), "%s", why);
	log_warn("keeper: session %" PRIu32 " (%s at %s): %s; logging in again", k->u.s.sid,
		 k->u.t.name, where, why);
	save(k, "recovering");
}

static void on_event(void *ctx, const struct iscsi_nl_event *ev)
{
	struct kept *k;

	(void)ctx;
	if (!ev) {	/* events were lost: sysfs tells what happened */
		K.check_all = true;
		return;
	}
	k = find(ev->sid);
	if (!k)
		return;
	switch (ev->type) {
	case ISCSI_KEVENT_CONN_ERROR:
		conn_failed(k, iscsi_nl_err_name(ev->code));
		break;
	case ISCSI_KEVENT_DESTROY_SESSION:
	case ISCSI_KEVENT_UNBIND_SESSION:
		log_notice("keeper: session %" PRIu32 " was closed; no longer keeping it", ev->sid);
		k->gone = true;
		state_remove(K.run_fd, ev->sid);
		break;
	default:
		break;	/* an Async Message passed up, another process's login */
	}
}

/* The first line of sessionN/ATTR under /sys/class/iscsi_session, through the descriptor. */
static int sys_attr(uint32_t sid, const char *attr, char *buf, size_t cap)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "session%" PRIu32 "/%s", sid, attr);
	fd = openat(K.sys_fd, path, O_RDONLY | O_CLOEXEC);
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
static void check_sysfs(void)
{
	for (unsigned i = 0; i < K.n; i++) {
		struct kept *k = &K.k[i];
		char state[32];
		int rc;

		if (k->gone)
			continue;
		rc = sys_attr(k->u.s.sid, "state", state, sizeof(state));
		if (rc == -ENOENT) {
			log_notice("keeper: session %" PRIu32 " is gone; no longer keeping it",
				   k->u.s.sid);
			k->gone = true;
			state_remove(K.run_fd, k->u.s.sid);
		} else if (rc == 0 && !strcmp(state, "FAILED") && !k->failed) {
			conn_failed(k, "the kernel reports the session failed");
		}
	}
	K.check_all = false;
}

/* The pid of a process named iscsid, through our /proc descriptor; 0 if none. */
static pid_t iscsid_pid(void)
{
	struct dirent *d;
	pid_t found = 0;
	DIR *dh;
	int fd;

	fd = openat(K.proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
		cfd = openat(K.proc_fd, path, O_RDONLY | O_CLOEXEC);
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

static void hand_over(pid_t pid)
{
	for (unsigned i = 0; i < K.n; i++) {
		struct kept *k = &K.k[i];

		if (k->gone)
			continue;
		log_notice("keeper: iscsid (pid %ld) runs; session %" PRIu32 " is its now",
			   (long)pid, k->u.s.sid);
		save(k, "handed-over");
		k->st.keeper = 0;
		state_write(K.run_fd, &k->st);
	}
	exit(0);
}

/* The portals to try: the one in use first, then the target's others. */
static unsigned portal_order(const struct kept *k, struct hostport *out)
{
	unsigned n = 0;

	out[n++] = k->u.s.portal;
	for (unsigned i = 0; i < k->u.t.nportals && n < PLAN_MAX_PORTALS; i++)
		if (strcmp(k->u.t.portal[i].host, k->u.s.portal.host) ||
		    k->u.t.portal[i].port != k->u.s.portal.port)
			out[n++] = k->u.t.portal[i];
	return n;
}

static void attempt(struct kept *k)
{
	struct hostport portals[PLAN_MAX_PORTALS];
	struct sr_error err = { 0 };
	unsigned n = portal_order(k, portals);
	int64_t t0 = monotonic_ms(), cap;
	char where[HOSTPORT_TEXT_MAX];
	int rc;

	if (logging_out(k))
		return;
	k->attempts++;
	rc = iscsi_handoff_relogin(&K.h, &k->u.p, portals, n,
				   t0 + (int64_t)n * K.h.conf->login_timeout * 1000, &k->u.s, &err);
	if (rc == 0) {
		int64_t now = monotonic_ms();

		k->failed = false;
		k->st.recoveries++;
		k->st.last_outage_ms = (long)(now - k->t_error);
		k->st.last_relogin_ms = (long)(now - t0);
		up_portal(&k->u, where, sizeof(where));
		snprintf(k->st.portal, sizeof(k->st.portal), "%s", where);
		log_notice("keeper: session %" PRIu32 " logged in again to %s at %s, %.2f s after "
			   "the connection failed (%s); attempt %u took %.2f s", k->u.s.sid,
			   k->u.t.name, where, (double)k->st.last_outage_ms / 1000,
			   k->st.last_error, k->attempts, (double)k->st.last_relogin_ms / 1000);
		save(k, "up");
		return;
	}
	if (sys_attr(k->u.s.sid, "state", where, sizeof(where)) == -ENOENT) {
		k->gone = true;
		return;
	}
	cap = iscsi_error_transient(rc) ? BACKOFF_MAX_MS : BACKOFF_AUTH_MS;
	k->next_try = monotonic_ms() + k->backoff;
	k->backoff = k->backoff * 2 > cap ? cap : k->backoff * 2;
	if (strcmp(k->logged, err.msg) || k->attempts % 20 == 0) {
		snprintf(k->logged, sizeof(k->logged), "%s", err.msg);
		log_warn("keeper: session %" PRIu32 ": attempt %u: %s; trying again", k->u.s.sid,
			 k->attempts, err.msg);
	}
	snprintf(k->st.last_error, sizeof(k->st.last_error), "%s", err.msg);
	save(k, "recovering");
}

static void drain_events(void)
{
	for (;;) {
		struct iscsi_nl_event ev;
		struct sr_error err;
		int rc = iscsi_nl_recv_event(K.nl, &ev, event_buf, sizeof(event_buf), 0, &err);

		if (rc == -ETIMEDOUT)
			return;
		if (rc == -ENOBUFS)
			on_event(NULL, NULL);
		else if (rc == 0)
			on_event(NULL, &ev);
		else if (rc != -EMSGSIZE && rc != -EPROTO)
			return;
	}
}

static void on_signal(int sig)
{
	(void)sig;
	K.stop = 1;
}

static void keeper_loop(void)
{
	int64_t last_check = 0;

	for (;;) {
		int64_t now = monotonic_ms(), wake;
		struct pollfd pfd = { .fd = iscsi_nl_fd(K.nl), .events = POLLIN };
		unsigned live = 0;
		pid_t other;

		if (K.stop) {
			log_notice("keeper: stopped by a signal; the sessions stay up, unkept");
			exit(0);
		}
		if (now - last_check >= CHECK_MS || K.check_all) {
			other = iscsid_pid();
			if (other > 0)
				hand_over(other);
			check_sysfs();
			last_check = now;
		}
		for (unsigned i = 0; i < K.n; i++)
			if (!K.k[i].gone && K.k[i].failed && K.k[i].next_try <= monotonic_ms())
				attempt(&K.k[i]);
		wake = last_check + CHECK_MS;
		for (unsigned i = 0; i < K.n; i++) {
			if (K.k[i].gone)
				continue;
			live++;
			if (K.k[i].failed && K.k[i].next_try < wake)
				wake = K.k[i].next_try;
		}
		if (!live) {
			log_notice("keeper: no session left to keep");
			exit(0);
		}
		now = monotonic_ms();
		if (!iscsi_nl_pending(K.nl))
			poll(&pfd, 1, wake > now ? (int)(wake - now) : 0);
		drain_events();
	}
}

/* /proc/PID/cmdline "@sanroot-iscsi keep", as systemd looks for root-storage daemons. */
static void rename_self(void)
{
	static const char words[] = "@sanroot-iscsi\0keep";
	char *start, *end, *page;

	prctl(PR_SET_NAME, "@sanroot-keep", 0, 0, 0);
	/*
	 * The kernel may point the command line at our own words (CAP_SYS_RESOURCE);
	 * it reads them only from anonymous memory.
	 */
	page = mmap(NULL, sizeof(words), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page != MAP_FAILED) {
		memcpy(page, words, sizeof(words));
		if (prctl(PR_SET_MM, PR_SET_MM_ARG_START, (unsigned long)page, 0, 0) == 0 &&
		    prctl(PR_SET_MM, PR_SET_MM_ARG_END, (unsigned long)(page + sizeof(words)), 0,
			  0) == 0)
			return;
		munmap(page, sizeof(words));
	}
	/* ... else they go over the arguments we were given, where they lie. */
	if (!cli.argv || cli.argc < 1)
		return;
	start = cli.argv[0];
	end = cli.argv[cli.argc - 1] + strlen(cli.argv[cli.argc - 1]) + 1;
	memset(start, 0, (size_t)(end - start));
	memcpy(start, words, (size_t)(end - start) < sizeof(words) ? (size_t)(end - start) - 1 :
	       sizeof(words));
}

static void numeric_portals(struct plan_target *t)
{
	for (unsigned i = 0; i < t->nportals; i++) {
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
		char host[HOSTPORT_HOST_MAX];

		if (getaddrinfo(t->portal[i].host, NULL, &hints, &res) != 0)
			continue;
		if (getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), NULL, 0,
				NI_NUMERICHOST) == 0)
			snprintf(t->portal[i].host, sizeof(t->portal[i].host), "%s", host);
		freeaddrinfo(res);
	}
}

static void child(int ready, int null_fd)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int fd;

	setsid();
	dup2(null_fd, 0);
	dup2(null_fd, 1);
	dup2(null_fd, 2);
	close(null_fd);
	rename_self();
	/* Nothing of ours may have to come back from a swap on the disk we keep. */
#ifndef SANROOT_TEST
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		log_warn("keeper: cannot lock its memory: %s", strerror(errno));
#endif
	fd = openat(K.proc_fd, "self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "-1000", 5) != 5)
			log_debug("keeper: cannot set oom_score_adj");
		close(fd);
	}
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (unsigned i = 0; i < K.n; i++)
		save(&K.k[i], "up");
	if (write(ready, "1", 1) != 1)
		log_debug("keeper: the parent went away");
	close(ready);
	log_notice("keeper: keeping %u session%s", K.n, K.n == 1 ? "" : "s");
	keeper_loop();
}

pid_t keeper_start(const struct up *ups, unsigned n, struct iscsi_nl *nl)
{
	int pipefd[2], null_fd;
	char byte;
	pid_t pid;

	if (n > PLAN_MAX_TARGETS)
		n = PLAN_MAX_TARGETS;
	K.n = n;
	K.nl = nl;
	K.h = (struct iscsi_handoff){ .nl = nl, .conf = &cli.hconf, .log = &cli.log,
				      .on_event = on_event };
	for (unsigned i = 0; i < n; i++) {
		struct kept *k = &K.k[i];

		memset(k, 0, sizeof(*k));
		k->u = ups[i];
		numeric_portals(&k->u.t);
		handoff_login_params(&k->u);	/* into the copy; the ISID stays */
		state_from_up(&k->u, "up", 0, &k->st);
	}
	K.proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	K.sys_fd = open("/sys/class/iscsi_session", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	K.run_fd = state_dir_open();
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (K.proc_fd < 0 || K.sys_fd < 0 || null_fd < 0) {
		log_err("unable to start the keeper: cannot open /proc, /sys or /dev/null: %s",
			strerror(errno));
		return -1;
	}
	if (K.run_fd < 0)
		log_warn("keeper: cannot write %s: %s", STATE_DIR, strerror(errno));
	tool_log_kmsg();
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		log_err("unable to start the keeper: pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		log_err("unable to start the keeper: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child(pipefd[1], null_fd);
		_exit(0);
	}
	close(pipefd[1]);
	close(null_fd);
	{
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };

		if (poll(&p, 1, READY_WAIT_MS) != 1 || read(pipefd[0], &byte, 1) != 1) {
			close(pipefd[0]);
			log_err("unable to start the keeper: it did not report in");
			return -1;
		}
	}
	close(pipefd[0]);
	return pid;
}

/* ---- sanroot-iscsi keep: adopt sessions that run without a keeper ---- */

static void parse_isid(const char *hex, uint8_t isid[6])
{
	if (strlen(hex) != 12)
		return;
	for (unsigned b = 0; b < 6; b++)
		if (sscanf(hex + 2 * b, "%2hhx", &isid[b]) != 1)
			memset(isid, 0, 6);
}

static bool adopt(uint32_t sid, int dfd, struct up *u)
{
	struct session_state st;
	char addr[HOSTPORT_HOST_MAX], port[16];
	bool have = dfd >= 0 && state_read(dfd, sid, &st) == 0;

	memset(u, 0, sizeof(*u));
	u->t.tpgt = -1;
	u->t.ibft_nic = -1;
	if (have && st.keeper > 0 && kill((pid_t)st.keeper, 0) == 0) {
		log_notice("session %" PRIu32 " has a keeper already (pid %ld)", sid, st.keeper);
		return false;
	}
	if (iscsi_sysfs_session_attr(NULL, sid, "targetname", u->t.name, sizeof(u->t.name)) < 0 ||
	    iscsi_sysfs_conn_attr(NULL, sid, 0, "persistent_address", addr, sizeof(addr)) < 0 ||
	    iscsi_sysfs_conn_attr(NULL, sid, 0, "persistent_port", port, sizeof(port)) < 0) {
		log_warn("session %" PRIu32 ": sysfs does not say where it logged in", sid);
		return false;
	}
	/* The initiator name the session has, unless -i says otherwise. */
	if (!cli.initiator && iscsi_sysfs_session_attr(NULL, sid, "initiatorname", cli.initiator_buf,
						       sizeof(cli.initiator_buf)) == 0 &&
	    cli.initiator_buf[0])
		cli.initiator = cli.initiator_buf;
	snprintf(u->s.portal.host, sizeof(u->s.portal.host), "%s", addr);
	u->s.portal.port = (uint16_t)strtoul(port, NULL, 10);
	u->s.sid = sid;
	u->s.cid = have ? st.cid : 0;
	iscsi_sysfs_session_host(NULL, sid, &u->s.host, NULL);
	if (have)
		parse_isid(st.isid, u->s.login.isid);
	u->t.portal[0] = u->s.portal;
	u->t.nportals = 1;
	if (have) {	/* the other portals it may fail over to */
		char list[sizeof(st.portals)], *tok, *save = NULL;

		snprintf(list, sizeof(list), "%s", st.portals);
		for (tok = strtok_r(list, " ", &save); tok && u->t.nportals < PLAN_MAX_PORTALS;
		     tok = strtok_r(NULL, " ", &save))
			if (hostport_parse(tok, ISCSI_DEFAULT_PORT, &u->t.portal[u->t.nportals], NULL) == 0)
				u->t.nportals++;
	}
	for (unsigned i = 0; cli.have_plan && i < cli.plan.ntargets; i++)
		if (!strcmp(cli.plan.target[i].name, u->t.name)) {
			u->t.chap = cli.plan.target[i].chap;
			u->t.rchap = cli.plan.target[i].rchap;
		}
	if (cli.chap_given)
		u->t.chap = cli.chap;
	if (cli.rchap_given)
		u->t.rchap = cli.rchap;
	handoff_login_params(u);
	u->adopted = true;
	return true;
}

int cmd_keep(int argc, char **argv)
{
	static struct up ups[PLAN_MAX_TARGETS];
	struct sr_error err = { 0 };
	struct iscsi_nl *nl;
	uint32_t sids[64];
	size_t n = 0;
	unsigned nup = 0;
	pid_t pid;
	int dfd;

	handoff_conf();
	for (int i = 1; i < argc && n < 64; i++) {
		char *end;
		unsigned long v = strtoul(argv[i], &end, 10);

		if (end == argv[i] || *end || v > UINT32_MAX)
			tool_usage_error("'%s' is not a session id", argv[i]);
		sids[n++] = (uint32_t)v;
	}
	if (argc < 2) {
		n = iscsi_sysfs_sessions(NULL, sids, 64);
		if (n > 64)
			n = 64;
	}
	dfd = open(STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (size_t i = 0; i < n && nup < PLAN_MAX_TARGETS; i++) {
		if (!iscsi_sysfs_session_exists(NULL, sids[i]))
			tool_fail("unable to keep session %" PRIu32 ": no such iSCSI session", sids[i]);
		if (adopt(sids[i], dfd, &ups[nup]))
			nup++;
	}
	if (dfd >= 0)
		close(dfd);
	if (!nup)
		tool_fail("unable to keep sessions: no iSCSI session without a keeper");
	if (iscsi_nl_open(&nl, "tcp", &err) < 0)
		tool_fail("unable to reach the kernel's iSCSI initiator: %s", err.msg);
	pid = keeper_start(ups, nup, nl);
	iscsi_nl_close(nl);
	explicit_bzero(ups, sizeof(ups));
	if (pid < 0)
		return EXIT_FAIL;
	log_notice("keeper %ld keeps %u session%s", (long)pid, nup, nup == 1 ? "" : "s");
	return 0;
}
