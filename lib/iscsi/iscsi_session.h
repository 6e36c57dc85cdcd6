/* SPDX-License-Identifier: GPL-2.0-only */
/* The full feature phase in userspace: SCSI commands, Data-In/Out, R2T, NOP, text and logout (RFC 7143 §11). */
#ifndef SANROOT_ISCSI_SESSION_H
#define SANROOT_ISCSI_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iscsi/iscsi_login.h"
#include "iscsi/iscsi_pdu.h"

#define ISCSI_TEXT_ANSWER_MAX (1u << 20)	/* the longest SendTargets answer we gather */

/*
 * One logged-in connection, one command at a time. Sequence numbers follow
 * §4.2.2: CmdSN starts where the login left it, ExpStatSN after the last
 * status, and commands wait while the target's window (MaxCmdSN) is shut.
 */
#define ISCSI_TASKS_MAX 64		/* commands in flight at once */

struct iscsi_task;

struct iscsi_session {
	struct iscsi_transport *t;
	struct iscsi_login_result login;
	uint32_t cmdsn, exp_statsn, exp_cmdsn, max_cmdsn;
	uint32_t next_itt;
	const struct iscsi_log *log;
	bool logout_requested;		/* the target asked us to log out (Async Message 1) */
	struct iscsi_task *task[ISCSI_TASKS_MAX];
	unsigned ntasks;
};

/* Takes over a transport that just completed iscsi_login(); turns its digests on. */
int iscsi_session_start(struct iscsi_session *s, struct iscsi_transport *t,
			const struct iscsi_login_result *r, const struct iscsi_log *log,
			struct sr_error *err);

enum scsi_dir { SCSI_DIR_NONE, SCSI_DIR_READ, SCSI_DIR_WRITE };

struct scsi_result {
	uint8_t status;			/* SAM status */
	uint8_t sense[96];
	size_t sense_len;
	size_t transferred;		/* data bytes that moved */
	uint32_t residual;
	bool underflow, overflow;
};

/* One command in flight; the caller owns it (and its buffer) until it is done. */
struct iscsi_task {
	uint32_t itt;
	uint8_t lun[8];
	enum scsi_dir dir;
	uint8_t *buf;
	size_t len;
	uint32_t next, datasn, r2tsn, unsolicited;
	bool done;
	int rc;				/* < 0: this command failed, the connection did not */
	char why[128];
	struct scsi_result res;
};

/*
 * Send a command without waiting for its answer, so that several travel
 * together (each waits for the target's command window, MaxCmdSN). A read
 * fills at most len bytes of buf; a write sends len bytes from it.
 */
int iscsi_submit(struct iscsi_session *s, struct iscsi_task *t, uint64_t lun, const uint8_t *cdb,
		 size_t cdb_len, enum scsi_dir dir, void *buf, size_t len, int64_t deadline,
		 struct sr_error *err);
/*
 * Receive until t is done, serving every other task in flight meanwhile.
 * 0: the target answered (t->res.status says how); < 0: t failed, or the
 * connection did (then every task with it).
 */
int iscsi_wait(struct iscsi_session *s, struct iscsi_task *t, int64_t deadline, struct sr_error *err);

/* One command, submitted and waited for. */
int iscsi_scsi(struct iscsi_session *s, uint64_t lun, const uint8_t *cdb, size_t cdb_len,
	       enum scsi_dir dir, void *buf, size_t len, struct scsi_result *res,
	       int64_t deadline, struct sr_error *err);

/* A Text Request of one key=value; *answer (malloc'd, caller frees) holds the whole answer. */
int iscsi_text_request(struct iscsi_session *s, const char *key, const char *value,
		       uint8_t **answer, size_t *len, int64_t deadline, struct sr_error *err);

/* Close the session (Logout, reason 0) and wait for the target's answer. */
int iscsi_logout(struct iscsi_session *s, int64_t deadline, struct sr_error *err);

#endif
