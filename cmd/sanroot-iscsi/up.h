/* SPDX-License-Identifier: GPL-2.0-only */
/* Sessions handed to the kernel: the plan's target made an iSCSI-level one, the keeper's process. */
#ifndef SANROOT_ISCSI_UP_H
#define SANROOT_ISCSI_UP_H

#include <stdbool.h>
#include <sys/types.h>

#include "iscsi/iscsi_login.h"
#include "iscsi/kernel/iscsi_handoff.h"
#include "iscsi/kernel/iscsi_state.h"
#include "iscsi/kernel/iscsi_sysfs.h"
#include "plan/plan.h"

/* A session handed to the kernel: what its keeper and its state file know. */
#define UP_DISKS_MAX ISCSI_STATE_DISKS

/* s: the recovery timeout of a session that is one path of several (multipathd's fast_io_fail_tmo) */
#define MPATH_RECOVERY_TMO 5

struct up {
	struct plan_target t;		/* the target: name, portals, credentials */
	struct iscsi_login_params p;	/* its names and secrets point into t and cli */
	struct iscsi_handoff_session s;
	struct iscsi_sysfs_lun disk[UP_DISKS_MAX];
	unsigned ndisks;
	bool adopted;			/* it was there before us */
};

/*
 * Whether the plan makes several paths to one target (several portals, or
 * one name given twice) with multipath on: each a path of a map sanroot-lvm makes.
 */
bool mpath_paths_planned(void);

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

/* Its state file's content. */
void state_from_up(const struct up *u, const char *state, long keeper, struct iscsi_state *st);

/*
 * Fork the keeper for the n sessions (copied), after opening all it needs;
 * it takes over nl (events already queued included). Returns its pid once
 * it is running, or -1 (a message was printed).
 */
pid_t keeper_start(const struct up *ups, unsigned n, const struct plan_target *pending,
		   unsigned npending, struct iscsi_nl *nl);

#endif
