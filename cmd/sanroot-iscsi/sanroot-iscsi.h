/* SPDX-License-Identifier: GPL-2.0-only */
/* What the files of sanroot-iscsi share: the options, the credentials and the plan. */
#ifndef SANROOT_ISCSI_CMD_H
#define SANROOT_ISCSI_CMD_H

#include <stdbool.h>

#include <sys/types.h>

#include "iscsi/iscsi_connect.h"
#include "iscsi/kernel/iscsi_handoff.h"
#include "iscsi/iscsi_login.h"
#include "iscsi/kernel/iscsi_sysfs.h"
#include "plan/plan.h"

#define DEFAULT_INITIATOR "iqn.2024-01.org.sanroot:rescue"

struct cli {
	const char *initiator;		/* -i, else the plan's, else initiatorname.iscsi */
	char initiator_buf[PLAN_NAME_MAX];
	struct plan_chap chap, rchap;	/* from options; empty name: not given */
	bool chap_given, rchap_given;
	enum iscsi_digest_offer header_digest, data_digest;
	uint8_t chap_algs[CHAP_ALGS_MAX];
	unsigned nchap_algs;
	unsigned timeout;		/* seconds for the whole command */
	unsigned retries;		/* passes over the portals; 0: until the timeout */
	uint32_t max_recv;
	bool allow_write;
	bool no_content;		/* probe: do not read the LUNs */
	bool one_lun;			/* probe: only this LUN, no REPORT LUNS */
	uint64_t lun;
	int noauth, md5;		/* -1: the plan decides */
	struct plan plan;
	bool have_plan;
	struct iscsi_log log;
	int64_t deadline;
	bool timeout_set;		/* --timeout given: login's default is longer */
	int keep;			/* --keep / --no-keep; -1: the plan decides */
	const char *param[2 * PLAN_MAX_PARAMS];	/* -P NAME=VALUE, after the plan's */
	unsigned nparam;
	struct iscsi_handoff_conf hconf;	/* the plan's and -P's, over the defaults */
	int argc;			/* main's, for the keeper's new name */
	char **argv;
};

extern struct cli cli;

/*
 * A target named on the command line: TARGET@PORTAL, iscsi://..., or
 * iscsi:... (RFC 4173). Credentials come from the argument, the plan (same
 * target name) and the options, the later winning. need_name: a portal
 * alone is an error.
 */
int cli_target(const char *arg, bool need_name, struct plan_target *t);

/* Login parameters for t: names, credentials, policy, a fresh ISID. */
void cli_login_params(const struct plan_target *t, struct iscsi_login_params *p);

/* The TCP connector and the policy for this command. */
extern const struct iscsi_connector cli_tcp;
void cli_policy(struct iscsi_connect_policy *pol);
void cli_close(struct iscsi_transport *t);

/* A session handed to the kernel: what its keeper and its state file know. */
#define UP_DISKS_MAX 8

struct up {
	struct plan_target t;		/* the target: name, portals, credentials */
	struct iscsi_login_params p;	/* its names and secrets point into t and cli */
	struct iscsi_handoff_session s;
	struct iscsi_sysfs_lun disk[UP_DISKS_MAX];
	unsigned ndisks;
	bool adopted;			/* it was there before us */
};

/* Login parameters for a handoff: cli_login_params() plus the -P offer and digests. */
void handoff_login_params(struct up *u);
/* cli.hconf from the defaults, the plan's rd.iscsi.param and -P; unknown names warned about. */
void handoff_conf(void);
/* "host:port" of the portal a session uses. */
void up_portal(const struct up *u, char *buf, size_t len);

/*
 * Log in to every target through the kernel and report as `login` does;
 * with keep, fork the keeper for the sessions that came up. Returns the
 * exit status.
 */
int handoff_targets(struct plan_target *targets, unsigned n, bool keep);

/* State under /run/sanroot/iscsi/sessionN (shell-sourceable, no secrets). */
#define STATE_DIR "/run/sanroot/iscsi"

struct session_state {
	uint32_t sid, cid;
	char target[PLAN_NAME_MAX];
	char portal[HOSTPORT_TEXT_MAX];			/* the one in use */
	char portals[PLAN_MAX_PORTALS * (HOSTPORT_TEXT_MAX)];	/* all, space-separated */
	char isid[16];
	char devs[UP_DISKS_MAX * 16];			/* "sda sdb" */
	char luns[UP_DISKS_MAX * 8];			/* "1 2" */
	char state[16];		/* up, recovering, handed-over, logging-out */
	long keeper;		/* its pid, 0: none */
	unsigned recoveries;
	char last_error[128];
	long last_outage_ms, last_relogin_ms;
};

int state_dir_open(void);	/* creates it; -1 with errno on failure */
void state_from_up(const struct up *u, const char *state, long keeper, struct session_state *st);
int state_write(int dirfd, const struct session_state *st);
int state_read(int dirfd, uint32_t sid, struct session_state *st);
void state_remove(int dirfd, uint32_t sid);
/* The pid of the keeper that keeps session sid and still runs, or 0. */
long state_live_keeper(uint32_t sid);

/*
 * Fork the keeper for the n sessions (copied), after opening all it needs;
 * it takes over nl (events already queued included). Returns its pid once
 * it is running, or -1 (a message was printed).
 */
pid_t keeper_start(const struct up *ups, unsigned n, struct iscsi_nl *nl);

/* The other commands; argv[0] is the command's name. */
int cmd_login(int argc, char **argv);
int cmd_logout(int argc, char **argv);
int cmd_sessions(int argc, char **argv);
int cmd_keep(int argc, char **argv);
/* Everything, when run as iscsistart or with its options. */
int iscsistart_main(int argc, char **argv);

/* The rescue commands; argv[0] is the command's name. */
int cmd_discover(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_write(int argc, char **argv);

#endif
