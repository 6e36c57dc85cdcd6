// SPDX-License-Identifier: GPL-2.0-only
/*
 * The keeper's process (lib/iscsi/kernel/iscsi_keeper.c is its loop): it
 * lives on after the switch to the real root, where its / is the deleted
 * initramfs, so everything it touches is opened before it forks (the netlink
 * socket, /proc, /sys/class/iscsi_session, /run/sanroot/iscsi, /dev/kmsg);
 * portals are made numeric; credentials stay in its locked memory and are
 * wiped when it ends. argv[0] starts with '@', systemd's mark of a
 * root-storage daemon that its shutdown must not kill. `keep` adopts
 * sessions that run without a keeper.
 */
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

#include "iscsi/kernel/iscsi_keeper.h"
#include "iscsi/kernel/iscsi_state.h"
#include "mpath/mpath.h"
#include "../tool.h"
#include "cli.h"
#include "commands.h"
#include "up.h"

#define READY_WAIT_MS	10000

static volatile sig_atomic_t stop;

/* /proc/PID/cmdline "@sanroot-iscsi keep", as systemd looks for root-storage daemons. */
static void rename_self(void)
{
	static const char words[] = "@sanroot-iscsi\0keep";

	tool_set_cmdline("@sanroot-keep", words, sizeof(words), cli.argc, cli.argv);
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

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * A session is back (logged in again), or new (a path that was down at
 * boot): its disks go into their multipath maps, added to the table when the
 * map does not hold them yet, reinstated when it failed them.
 */
static void paths_back(struct iscsi_keeper *K, struct iscsi_kept *k)
{
	struct sr_error err = { 0 };
	char said[256];
	int n;

	if (mpath_session_disks(K->sys_fd, k->s.sid) <= 0) {
		if (mpath_scan_session(K->sys_fd, k->s.sid, &err) < 0)
			log_warn("keeper: session %" PRIu32 ": unable to scan for its LUNs: %s",
				 k->s.sid, err.msg);
		for (int i = 0; i < 100 && mpath_session_disks(K->sys_fd, k->s.sid) <= 0; i++)
			nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	}
	n = mpath_join_session(K->sys_fd, k->s.sid, said, sizeof(said), &err);
	if (n > 0)
		log_notice("keeper: session %" PRIu32 ": path added to %s", k->s.sid, said);
	else if (n < 0 || err.msg[0])
		log_warn("keeper: session %" PRIu32 ": unable to add its disks to their multipath maps: %s",
			 k->s.sid, err.msg);
	err = (struct sr_error){ 0 };
	n = mpath_reinstate_session(K->sys_fd, k->s.sid, said, sizeof(said), &err);
	if (n > 0)
		log_notice("keeper: session %" PRIu32 ": path reinstated in %s", k->s.sid, said);
	else if (n < 0 || err.msg[0])
		log_warn("keeper: session %" PRIu32 ": unable to reinstate its multipath paths: %s",
			 k->s.sid, err.msg);
}

static void child(struct iscsi_keeper *K, int ready, int null_fd)
{
	struct sigaction sa = { .sa_handler = on_signal };
	enum iscsi_keeper_end end;
	int fd;

	wipe_cli_secrets();	/* K holds its own copies */
	setsid();
	dup2(null_fd, 0);
	dup2(null_fd, 1);
	dup2(null_fd, 2);
	close(null_fd);
	tool_log_detached();
	rename_self();
	/* Nothing of ours may have to come back from a swap on the disk we keep. */
#ifndef SANROOT_TEST
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		log_warn("keeper: cannot lock its memory: %s", strerror(errno));
#endif
	fd = openat(K->proc_fd, "self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "-1000", 5) != 5)
			log_debug("keeper: cannot set oom_score_adj");
		close(fd);
	}
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	iscsi_keeper_save_all(K, "up");
	if (write(ready, "1", 1) != 1)
		log_debug("keeper: the parent went away");
	close(ready);
	log_notice("keeper: keeping %u session%s", K->n, K->n == 1 ? "" : "s");
	end = iscsi_keeper_run(K);
	iscsi_keeper_wipe(K);
	switch (end) {
	case ISCSI_KEEPER_STOPPED:
		log_notice("keeper: stopped by a signal; the sessions stay up, unkept");
		break;
	case ISCSI_KEEPER_IDLE:
		log_notice("keeper: no session left to keep");
		break;
	case ISCSI_KEEPER_HANDED_OVER:
		break;	/* the keeper told which sessions iscsid has */
	}
	exit(0);
}

static void close_fds(int proc_fd, int sys_fd, int run_fd, int null_fd)
{
	int fds[] = { proc_fd, sys_fd, run_fd, null_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

pid_t keeper_start(const struct up *ups, unsigned n, const struct plan_target *pending,
		   unsigned npending, struct iscsi_nl *nl)
{
	struct iscsi_handoff h = { .nl = nl, .conf = &cli.hconf, .log = &cli.log };
	struct iscsi_keeper *K;
	int pipefd[2], null_fd, proc_fd, sys_fd, run_fd;
	struct up *u;
	char byte;
	pid_t pid;

	proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	sys_fd = open("/sys/class/iscsi_session", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (proc_fd < 0 || sys_fd < 0 || null_fd < 0) {
		log_err("unable to start the keeper: cannot open /proc, /sys or /dev/null: %s",
			strerror(errno));
		close_fds(proc_fd, sys_fd, -1, null_fd);
		return -1;
	}
	run_fd = iscsi_state_dir_open(ISCSI_STATE_DIR);
	if (run_fd < 0)
		log_warn("keeper: cannot write %s: %s", ISCSI_STATE_DIR, strerror(-run_fd));
	K = calloc(1, sizeof(*K));
	u = calloc(1, sizeof(*u));
	if (!K || !u) {
		log_err("unable to start the keeper: out of memory");
		free(K);
		free(u);
		close_fds(proc_fd, sys_fd, run_fd, null_fd);
		return -1;
	}
	iscsi_keeper_init(K, &h, proc_fd, sys_fd, run_fd, &stop);
	/* Paths of a multipath map, reinstated after a re-login even after the switch to the root. */
	if (mpath_paths_planned()) {
		struct sr_error err = { 0 };

		if (mpath_dm_open(&err) == 0)
			K->on_relogin = paths_back;
		else
			log_warn("keeper: a path that comes back will wait for multipathd: %s", err.msg);
	}
	for (unsigned i = 0; i < n && i < ISCSI_KEEPER_MAX; i++) {
		struct iscsi_state st;

		*u = ups[i];
		numeric_portals(&u->t);
		handoff_login_params(u);	/* into the copy; the ISID stays */
		state_from_up(u, "up", 0, &st);
		if (iscsi_keeper_add(K, &u->p, &u->s, u->t.portal, u->t.nportals, &st) < 0)
			log_warn("keeper: session %" PRIu32 ": a name or secret is too long to keep",
				 u->s.sid);
	}
	/* Paths that were down: the keeper logs in when they answer, and adds them to the map. */
	for (unsigned i = 0; i < npending && K->on_relogin; i++) {
		memset(u, 0, sizeof(*u));
		u->t = pending[i];
		numeric_portals(&u->t);
		handoff_login_params(u);
		if (iscsi_keeper_add_pending(K, &u->p, u->t.portal, u->t.nportals) < 0)
			log_warn("keeper: %s: no room to keep trying it", u->t.name);
	}
	explicit_bzero(u, sizeof(*u));
	free(u);
	tool_log_kmsg();
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		log_err("unable to start the keeper: pipe: %s", strerror(errno));
		goto err_wipe;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		log_err("unable to start the keeper: fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		goto err_wipe;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child(K, pipefd[1], null_fd);
		_exit(0);
	}
	close(pipefd[1]);
	iscsi_keeper_wipe(K);
	free(K);
	close_fds(proc_fd, sys_fd, run_fd, null_fd);
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

err_wipe:
	iscsi_keeper_wipe(K);
	free(K);
	close_fds(proc_fd, sys_fd, run_fd, null_fd);
	return -1;
}

/* ---- sanroot-iscsi keep: adopt sessions that run without a keeper ---- */

static bool adopt(uint32_t sid, int dfd, struct up *u)
{
	struct iscsi_state st;
	char addr[HOSTPORT_HOST_MAX], port[16];
	bool have = dfd >= 0 && iscsi_state_read(dfd, sid, &st) == 0;

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
		iscsi_state_isid(&st, u->s.login.isid);
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
	struct up *ups = calloc(PLAN_MAX_TARGETS, sizeof(*ups));
	struct sr_error err = { 0 };
	struct iscsi_nl *nl;
	uint32_t sids[64];
	size_t n = 0;
	unsigned nup = 0;
	pid_t pid;
	int dfd;

	if (!ups)
		tool_fail("unable to keep sessions: out of memory");
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
	dfd = open(ISCSI_STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (size_t i = 0; i < n && nup < PLAN_MAX_TARGETS; i++) {
		if (!iscsi_sysfs_session_exists(NULL, sids[i])) {
			explicit_bzero(ups, PLAN_MAX_TARGETS * sizeof(*ups));
			tool_fail("unable to keep session %" PRIu32 ": no such iSCSI session", sids[i]);
		}
		if (adopt(sids[i], dfd, &ups[nup]))
			nup++;
	}
	if (dfd >= 0)
		close(dfd);
	if (!nup)
		tool_fail("unable to keep sessions: no iSCSI session without a keeper");
	if (iscsi_nl_open(&nl, "tcp", &err) < 0) {
		explicit_bzero(ups, PLAN_MAX_TARGETS * sizeof(*ups));
		tool_fail_why(err.reason, "unable to reach the kernel's iSCSI initiator: %s", err.msg);
	}
	pid = keeper_start(ups, nup, NULL, 0, nl);
	iscsi_nl_close(nl);
	explicit_bzero(ups, PLAN_MAX_TARGETS * sizeof(*ups));
	free(ups);
	if (pid < 0)
		return EXIT_FAIL;
	log_notice("keeper %ld keeps %u session%s", (long)pid, nup, nup == 1 ? "" : "s");
	return 0;
}
