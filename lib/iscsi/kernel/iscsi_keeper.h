/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The keeper: stays with sessions handed to the kernel, and when the kernel
 * reports a connection error (ISCSI_KEVENT_CONN_ERROR) or sysfs shows the
 * session FAILED, logs in again with backoff through iscsi_handoff_relogin()
 * (ERL 0 reinstatement, RFC 7143 §6.3.5: same ISID, TSIH 0), so commands the
 * kernel holds resume on the new connection. When open-iscsi's iscsid runs
 * it adopts the sessions, and the keeper steps aside.
 *
 * Everything it touches is reached through descriptors opened beforehand
 * (netlink, /proc, /sys/class/iscsi_session, the state directory), so it
 * works on after the switch to the real root. The process around it (fork,
 * signals, memory locking, its name) is the program's.
 */
#ifndef SANROOT_ISCSI_KEEPER_H
#define SANROOT_ISCSI_KEEPER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "iscsi/iscsi_login.h"
#include "iscsi/kernel/iscsi_handoff.h"
#include "iscsi/kernel/iscsi_state.h"

#define ISCSI_KEEPER_MAX		8	/* sessions */
#define ISCSI_KEEPER_CHECK_MS		2000	/* how often sysfs and /proc are looked at */
#define ISCSI_KEEPER_BACKOFF_MIN_MS	250
#define ISCSI_KEEPER_BACKOFF_MAX_MS	1000	/* a root filesystem waits: try often */
#define ISCSI_KEEPER_BACKOFF_AUTH_MS	30000	/* but do not hammer a target that refuses us */
#define ISCSI_KEEPER_CRED_MAX		256
#define ISCSI_KEEPER_FRESH_TRY_MS	2000	/* a path down at boot: one try's bound */
#define ISCSI_KEEPER_FRESH_EVERY_MS	5000	/* and the ceiling of the pause between tries */

/* A kept session's own copy of what it logs in with: p's strings point into it. */
struct iscsi_kept_creds {
	char initiator[ISCSI_NAME_MAX], initiator_alias[ISCSI_NAME_MAX], target[ISCSI_NAME_MAX];
	char chap_name[ISCSI_KEEPER_CRED_MAX], chap_secret[ISCSI_KEEPER_CRED_MAX];
	char rchap_name[ISCSI_KEEPER_CRED_MAX], rchap_secret[ISCSI_KEEPER_CRED_MAX];
};

struct iscsi_kept {
	struct iscsi_kept_creds c;
	struct iscsi_login_params p;
	struct iscsi_handoff_session s;
	struct hostport portal[ISCSI_STATE_PORTALS];	/* all of the target's */
	unsigned nportals;
	bool gone;			/* logged out, destroyed, or not ours any more */
	bool fresh;			/* never up (a path that was down at boot): a new session */
	bool failed;			/* the connection is down; we are logging in again */
	int64_t t_error, next_try, backoff;
	unsigned attempts;
	char logged[128];		/* the last failure told, not to repeat it */
	struct iscsi_state st;
};

struct iscsi_keeper {
	struct iscsi_kept k[ISCSI_KEEPER_MAX];
	unsigned n;
	struct iscsi_handoff h;		/* nl, conf and log are the caller's; on_event is ours */
	int proc_fd, sys_fd, run_fd;	/* /proc, /sys/class/iscsi_session, the state dir (-1) */
	const volatile sig_atomic_t *stop;	/* set by a signal: return */
	uint64_t rng;			/* the jitter's: keepers of a rack spread their re-logins */
	bool check_all;
	pid_t iscsid;			/* who took the sessions over */
	/*
	 * Told after a session is logged in again, or logged in for the first
	 * time (fresh): the program puts its disks back in their multipath maps.
	 */
	void (*on_relogin)(struct iscsi_keeper *K, struct iscsi_kept *k);
	uint8_t event_buf[ISCSI_BHS_LEN + 4 * ISCSI_LOGIN_PDU_DATA];
};

/* Empty, with the caller's handoff (nl, conf, log) and descriptors. */
void iscsi_keeper_init(struct iscsi_keeper *K, const struct iscsi_handoff *h, int proc_fd,
		       int sys_fd, int run_fd, const volatile sig_atomic_t *stop);

/*
 * Keep session s, logged in with p (strings and secrets copied), that may
 * fail over to portals; st is its state file's content. -ENOSPC when full,
 * -ENAMETOOLONG when a string does not fit.
 */
int iscsi_keeper_add(struct iscsi_keeper *K, const struct iscsi_login_params *p,
		     const struct iscsi_handoff_session *s, const struct hostport *portals,
		     unsigned nportals, const struct iscsi_state *st);

/*
 * Keep trying to log in to a target that was not up at boot (a path of a
 * multipath map): a new session when it answers, kept from then on, and
 * on_relogin told. p and portals as for iscsi_keeper_add.
 */
int iscsi_keeper_add_pending(struct iscsi_keeper *K, const struct iscsi_login_params *p,
			     const struct hostport *portals, unsigned nportals);

/* Write every session's state file with this state and our pid. */
void iscsi_keeper_save_all(struct iscsi_keeper *K, const char *state);

enum iscsi_keeper_end {
	ISCSI_KEEPER_STOPPED,		/* *stop was set; the sessions stay up, unkept */
	ISCSI_KEEPER_IDLE,		/* no session left to keep */
	ISCSI_KEEPER_HANDED_OVER,	/* iscsid (pid K->iscsid) runs and has them */
};

/* Keep the sessions until one of the ends; progress goes to h->log. */
enum iscsi_keeper_end iscsi_keeper_run(struct iscsi_keeper *K);

/* Forget everything, the secrets first. */
void iscsi_keeper_wipe(struct iscsi_keeper *K);

/* ---- Decisions (pure) ---- */

/*
 * The ceiling of the wait before the next attempt after one that failed
 * with rc, given the last ceiling; the wait is drawn below it (backoff_jitter).
 */
int64_t iscsi_keeper_backoff(int64_t backoff, int rc);
/* Whether a failure is worth a line: a new message, or every 20th attempt. */
bool iscsi_keeper_tell(const char *last_told, const char *msg, unsigned attempts);
/* The portals to try: the one in use first, then the others, each once; at most cap. */
unsigned iscsi_keeper_portal_order(const struct hostport *in_use, const struct hostport *all,
				   unsigned n, struct hostport *out, unsigned cap);

#endif
