/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attaching targets for a boot: log in to each through the kernel
 * (iscsi_handoff_login), or find the session that is there already (as
 * iscsistart's "session exists"), scan its host and wait for the block
 * devices; passes over the targets with backoff until all are up, the
 * deadline, the conf's login_retry_max, or a grace once one is up.
 */
#ifndef SANROOT_ISCSI_ATTACH_H
#define SANROOT_ISCSI_ATTACH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/hostport.h"
#include "iscsi/iscsi_login.h"
#include "iscsi/kernel/iscsi_handoff.h"
#include "iscsi/kernel/iscsi_state.h"
#include "iscsi/kernel/iscsi_sysfs.h"

#define ISCSI_ATTACH_GRACE_PASSES	3	/* for the other targets once one is up */
#define ISCSI_ATTACH_BACKOFF_MIN_MS	250
#define ISCSI_ATTACH_BACKOFF_MAX_MS	4000
#define ISCSI_ATTACH_LOGOUT_WAIT_MS	3000

enum iscsi_attach_state { ISCSI_ATTACH_PENDING, ISCSI_ATTACH_UP, ISCSI_ATTACH_FAILED };

struct iscsi_attach {
	/* In: what to log in to (p's strings are the caller's). */
	struct iscsi_login_params p;
	const struct hostport *portal;
	unsigned nportals;
	bool lun_set;			/* wait for this LUN, else for every disk LUN */
	uint64_t lun;
	/* Out. */
	enum iscsi_attach_state st;	/* FAILED on the way in: skipped, err says why */
	struct sr_error err;
	struct hostport where;		/* the portal err is about */
	struct iscsi_handoff_session s;
	struct iscsi_sysfs_lun disk[ISCSI_STATE_DISKS];
	unsigned ndisks;
	bool adopted;			/* a session that was there before us */
	int64_t started;		/* monotonic ms of the first try */
};

struct iscsi_attach_opts {
	int64_t deadline;		/* monotonic ms */
	int retry_max;			/* passes; <= 0: until the deadline, with the grace */
	int state_dirfd;		/* the ISID of a session found there already; -1 */
};

/*
 * Login parameters for a session the kernel will hold (pure): the conf's
 * offer and digests, TSIH 0 (a new session or ERL 0 reinstatement), the
 * ISID kept when isid is not NULL, CHAP_A=7 read as what worked before.
 */
void iscsi_attach_params(const struct iscsi_handoff_conf *c, const uint8_t *isid, bool chap7_sha1,
			 struct iscsi_login_params *p);

/*
 * The ceiling of the wait after a pass (pure): doubled, from
 * ISCSI_ATTACH_BACKOFF_MIN_MS up to _MAX_MS; the wait itself is drawn
 * below it (backoff_pause), so that machines booted together spread out.
 */
int64_t iscsi_attach_backoff(int64_t backoff);

/*
 * Whether to make another pass after pass number pass (from 1), with pending
 * targets still to come up and nup up (pure). *grace counts the passes made
 * while one is up and the others are not.
 */
bool iscsi_attach_again(unsigned pass, unsigned pending, unsigned nup, unsigned *grace,
			int retry_max, int64_t now, int64_t backoff, int64_t deadline);

/* What a SCSI peripheral device type is, in words ("CD/DVD drive"). */
const char *iscsi_scsi_type_name(int type);

/* Attach the n targets; a[i].st and the rest tell each one's outcome. Progress goes to h->log. */
void iscsi_attach_all(const struct iscsi_handoff *h, struct iscsi_attach *a, unsigned n,
		      const struct iscsi_attach_opts *o);

#endif
