/* SPDX-License-Identifier: GPL-2.0-only */
/* sanroot-iscsi's options and what is made of them: targets, login parameters, the connector. */
#ifndef SANROOT_ISCSI_CLI_H
#define SANROOT_ISCSI_CLI_H

#include <stdbool.h>

#include "iscsi/iscsi_connect.h"
#include "iscsi/iscsi_login.h"
#include "iscsi/kernel/iscsi_handoff.h"
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

/* Zero every secret cli holds (the options', the plan's). */
void wipe_cli_secrets(void);

#endif
