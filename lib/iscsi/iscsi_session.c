// SPDX-License-Identifier: GPL-2.0-only
/*
 * The full feature phase, one command at a time: SCSI Command/Response (RFC
 * 7143 §11.3-4), Data-In/Out (§11.7), R2T (§11.8), Async Message (§11.9),
 * Text (§11.10-11), Logout (§11.14-15), NOP (§11.18-19), Reject (§11.17).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi/iscsi_session.h"

static uint32_t new_itt(struct iscsi_session *s)
{
	uint32_t itt = s->next_itt++;

	if (itt == ISCSI_RSVD_TAG)
		itt = s->next_itt++;
	return itt;
}

static struct iscsi_task *find_task(struct iscsi_session *s, uint32_t itt);

/*
 * Data-In for a task in flight lands straight in its buffer when it is the
 * next piece in order and fits; data_in() checks it all again.
 */
static uint8_t *steer_data_in(void *ctx, const uint8_t *bhs, size_t dsl)
{
	struct iscsi_session *s = ctx;
	struct iscsi_task *t;
	uint32_t off;

	if (iscsi_opcode(bhs) != ISCSI_OP_DATA_IN || !(t = find_task(s, iscsi_itt(bhs))) ||
	    t->dir != SCSI_DIR_READ)
		return NULL;
	off = iscsi_get32(bhs, 40);
	if (off != t->next || iscsi_get32(bhs, 36) != t->datasn || dsl > t->len - off)
		return NULL;
	return t->buf + off;
}

int iscsi_session_start(struct iscsi_session *s, struct iscsi_transport *t,
			const struct iscsi_login_result *r, const struct iscsi_log *log,
			struct sr_error *err)
{
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->login = *r;
	s->log = log;
	s->cmdsn = r->cmdsn;
	s->exp_statsn = r->statsn + 1;
	s->exp_cmdsn = r->exp_cmdsn;
	s->max_cmdsn = r->max_cmdsn;
	s->next_itt = 1;
	t->steer = steer_data_in;
	t->steer_ctx = s;
	if (!t->set_digests)
		return 0;
	return t->set_digests(t, r->neg.header_digest, r->neg.data_digest, r->neg.max_recv_dsl, err);
}

/* §4.2.2.1: a window whose MaxCmdSN is below ExpCmdSN - 1 is ignored. */
static void update_window(struct iscsi_session *s, const uint8_t *h)
{
	uint32_t exp = iscsi_get32(h, 28), max = iscsi_get32(h, 32);

	if (iscsi_sn_lt(max, exp - 1))
		return;
	if (iscsi_sn_lt(s->exp_cmdsn, exp))
		s->exp_cmdsn = exp;
	if (iscsi_sn_lt(s->max_cmdsn, max))
		s->max_cmdsn = max;
}

static bool carries_status(const uint8_t *h)
{
	switch (iscsi_opcode(h)) {
	case ISCSI_OP_SCSI_RSP:
	case ISCSI_OP_TEXT_RSP:
	case ISCSI_OP_LOGOUT_RSP:
	case ISCSI_OP_TMF_RSP:
	case ISCSI_OP_ASYNC:
	case ISCSI_OP_REJECT:
		return true;
	case ISCSI_OP_NOP_IN:
		return iscsi_itt(h) != ISCSI_RSVD_TAG;	/* a target's own ping does not advance it */
	case ISCSI_OP_DATA_IN:
		return h[1] & ISCSI_DATAIN_S;
	default:
		return false;
	}
}

static int send_pdu(struct iscsi_session *s, struct iscsi_pdu *pdu, int64_t deadline,
		    struct sr_error *err)
{
	char desc[160];

	iscsi_logf(s->log, ISCSI_LOG_DEBUG, "send %s", iscsi_pdu_describe(pdu, desc, sizeof(desc)));
	return s->t->send(s->t, pdu, deadline, err);
}

/* Answer a target's NOP-In ping (§11.18): same TTT and LUN, its data echoed. */
static int nop_reply(struct iscsi_session *s, const struct iscsi_pdu *in, int64_t deadline,
		     struct sr_error *err)
{
	struct iscsi_pdu out = { .data = in->data };
	uint8_t *h = out.bhs;

	h[0] = ISCSI_IMMEDIATE | ISCSI_OP_NOP_OUT;
	h[1] = ISCSI_FLAG_F;
	memcpy(h + 8, in->bhs + 8, 8);
	iscsi_put32(h, 16, ISCSI_RSVD_TAG);
	iscsi_put32(h, 20, iscsi_get32(in->bhs, 20));
	iscsi_put32(h, 24, s->cmdsn);
	iscsi_put32(h, 28, s->exp_statsn);
	out.data_len = in->data_len < s->login.neg.max_xmit_dsl ? in->data_len : s->login.neg.max_xmit_dsl;
	return send_pdu(s, &out, deadline, err);
}

static int async_event(struct iscsi_session *s, const struct iscsi_pdu *pdu, struct sr_error *err)
{
	const uint8_t *h = pdu->bhs;

	switch (h[36]) {
	case 0:
		iscsi_logf(s->log, ISCSI_LOG_INFO, "target reported a SCSI asynchronous event");
		return 0;
	case 1:
		s->logout_requested = true;
		iscsi_logf(s->log, ISCSI_LOG_NOTICE, "target asks us to log out within %u s",
			   iscsi_get16(h, 42));
		return 0;
	case 2:
		return sr_fail(err, ECONNRESET, "target announced it is dropping this connection");
	case 3:
		return sr_fail(err, ECONNRESET, "target announced it is dropping every connection of the session");
	case 4:
		iscsi_logf(s->log, ISCSI_LOG_WARN, "target asks to renegotiate parameters; ignored");
		return 0;
	default:
		iscsi_logf(s->log, ISCSI_LOG_DEBUG, "target sent asynchronous event %u", h[36]);
		return 0;
	}
}

static const char *reject_reason(uint8_t r)
{
	switch (r) {
	case 0x02: return "data digest error";
	case 0x03: return "SNACK reject";
	case 0x04: return "protocol error";
	case 0x05: return "command not supported";
	case 0x06: return "immediate command rejected";
	case 0x07: return "task in progress";
	case 0x08: return "invalid data ack";
	case 0x09: return "invalid PDU field";
	case 0x0a: return "long operation reject";
	case 0x0c: return "waiting for logout";
	default: return "unknown reason";
	}
}

/*
 * The next PDU for the caller. Pings and asynchronous messages are handled
 * here; sequence numbers are updated from every PDU.
 */
static int session_recv(struct iscsi_session *s, struct iscsi_pdu *pdu, int64_t deadline,
			struct sr_error *err)
{
	char desc[160];
	int rc;

	for (;;) {
		rc = s->t->recv(s->t, pdu, deadline, err);
		if (rc < 0)
			return rc;
		iscsi_logf(s->log, ISCSI_LOG_DEBUG, "recv %s", iscsi_pdu_describe(pdu, desc, sizeof(desc)));
		if (!(iscsi_opcode(pdu->bhs) & 0x20))
			return sr_fail(err, EPROTO, "target sent an initiator opcode 0x%02x",
				       iscsi_opcode(pdu->bhs));
		update_window(s, pdu->bhs);
		if (carries_status(pdu->bhs)) {
			uint32_t sn = iscsi_get32(pdu->bhs, 24);

			if (!iscsi_sn_lt(sn + 1, s->exp_statsn))
				s->exp_statsn = sn + 1;
		}
		switch (iscsi_opcode(pdu->bhs)) {
		case ISCSI_OP_NOP_IN:
			if (iscsi_itt(pdu->bhs) != ISCSI_RSVD_TAG)
				return 0;
			if (iscsi_get32(pdu->bhs, 20) != ISCSI_RSVD_TAG) {
				rc = nop_reply(s, pdu, deadline, err);
				if (rc < 0)
					return rc;
			}
			continue;
		case ISCSI_OP_ASYNC:
			rc = async_event(s, pdu, err);
			if (rc < 0)
				return rc;
			continue;
		default:
			return 0;
		}
	}
}

/* A Reject or a PDU for another task where ours was due: say which. */
static int unexpected(const struct iscsi_pdu *pdu, const char *while_, struct sr_error *err)
{
	char tmp[16];

	if (iscsi_opcode(pdu->bhs) == ISCSI_OP_REJECT)
		return sr_fail(err, EPROTO, "target rejected our PDU while %s: %s", while_,
			       reject_reason(pdu->bhs[2]));
	return sr_fail(err, EPROTO, "target sent a %s (ITT 0x%08x) while %s",
		       iscsi_opcode_name(iscsi_opcode(pdu->bhs), tmp, sizeof(tmp)),
		       iscsi_itt(pdu->bhs), while_);
}

/* One Data-Out sequence (§11.7): PDUs of at most the target's MaxRecvDataSegmentLength. */
static int send_data_out(struct iscsi_session *s, const struct iscsi_task *t, uint32_t ttt,
			 uint32_t offset, uint32_t len, int64_t deadline, struct sr_error *err)
{
	uint32_t datasn = 0, max = s->login.neg.max_xmit_dsl;

	while (len) {
		struct iscsi_pdu pdu = { 0 };
		uint32_t n = len < max ? len : max;
		uint8_t *h = pdu.bhs;
		int rc;

		h[0] = ISCSI_OP_DATA_OUT;
		h[1] = n == len ? ISCSI_FLAG_F : 0;
		memcpy(h + 8, t->lun, 8);
		iscsi_put32(h, 16, t->itt);
		iscsi_put32(h, 20, ttt);
		iscsi_put32(h, 28, s->exp_statsn);
		iscsi_put32(h, 36, datasn++);
		iscsi_put32(h, 40, offset);
		pdu.data = t->buf + offset;
		pdu.data_len = n;
		rc = send_pdu(s, &pdu, deadline, err);
		if (rc < 0)
			return rc;
		offset += n;
		len -= n;
	}
	return 0;
}

static void take_residual(const uint8_t *h, struct scsi_result *res)
{
	res->underflow = h[1] & ISCSI_RSP_U;
	res->overflow = h[1] & ISCSI_RSP_O;
	if (res->underflow || res->overflow)
		res->residual = iscsi_get32(h, 44);
}

static struct iscsi_task *find_task(struct iscsi_session *s, uint32_t itt)
{
	for (unsigned i = 0; i < s->ntasks; i++)
		if (s->task[i]->itt == itt)
			return s->task[i];
	return NULL;
}

static void finish(struct iscsi_session *s, struct iscsi_task *t)
{
	t->done = true;
	for (unsigned i = 0; i < s->ntasks; i++) {
		if (s->task[i] == t) {
			s->task[i] = s->task[--s->ntasks];
			break;
		}
	}
}

/* A failure of one task that leaves the connection usable. */
__attribute__((format(printf, 4, 5)))
static void task_fail(struct iscsi_session *s, struct iscsi_task *t, int code, const char *fmt, ...)
{
	va_list ap;

	t->rc = code > 0 ? -code : code;
	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
	finish(s, t);
}

static int data_in(struct iscsi_session *s, struct iscsi_task *t, const struct iscsi_pdu *pdu,
		   struct sr_error *err)
{
	const uint8_t *r = pdu->bhs;
	uint32_t off = iscsi_get32(r, 40);

	if (t->dir != SCSI_DIR_READ)
		return sr_fail(err, EPROTO, "target sent Data-In for a command that reads nothing");
	if (iscsi_get32(r, 36) != t->datasn)
		return sr_fail(err, EPROTO, "Data-In DataSN %u, expected %u", iscsi_get32(r, 36), t->datasn);
	/* We negotiated DataPDUInOrder and DataSequenceInOrder: offsets only grow. */
	if (off != t->next)
		return sr_fail(err, EPROTO, "Data-In at offset %u, expected %u", off, t->next);
	if (pdu->data_len > t->len - off)
		return sr_fail(err, EPROTO, "Data-In of %zu bytes at %u overruns the %zu-byte buffer",
			       pdu->data_len, off, t->len);
	if (pdu->data_len && pdu->data != t->buf + off)
		memcpy(t->buf + off, pdu->data, pdu->data_len);	/* not steered there */
	t->next += (uint32_t)pdu->data_len;
	t->datasn++;
	if (r[1] & ISCSI_DATAIN_S) {
		if (!(r[1] & ISCSI_FLAG_F))
			return sr_fail(err, EPROTO, "Data-In with status but without the F bit");
		t->res.status = r[3];
		take_residual(r, &t->res);
		t->res.transferred = t->next;
		finish(s, t);
	}
	return 0;
}

static int r2t(struct iscsi_session *s, struct iscsi_task *t, const struct iscsi_pdu *pdu,
	       int64_t deadline, struct sr_error *err)
{
	const uint8_t *r = pdu->bhs;
	uint32_t off = iscsi_get32(r, 40), want = iscsi_get32(r, 44);
	int rc;

	if (t->dir != SCSI_DIR_WRITE)
		return sr_fail(err, EPROTO, "target sent R2T for a command that writes nothing");
	if (iscsi_get32(r, 36) != t->r2tsn)
		return sr_fail(err, EPROTO, "R2TSN %u, expected %u", iscsi_get32(r, 36), t->r2tsn);
	/* The target asks for at most what was negotiated, inside the buffer. */
	if (want == 0 || want > s->login.neg.max_burst || off > t->len || want > t->len - off)
		return sr_fail(err, EPROTO, "R2T asks for %u bytes at %u of %zu (MaxBurstLength %u)",
			       want, off, t->len, s->login.neg.max_burst);
	t->r2tsn++;
	rc = send_data_out(s, t, iscsi_get32(r, 20), off, want, deadline, err);
	if (rc < 0)
		return rc;
	if (off + want > t->next)
		t->next = off + want;
	return 0;
}

static int scsi_response(struct iscsi_session *s, struct iscsi_task *t, const struct iscsi_pdu *pdu,
			 struct sr_error *err)
{
	const uint8_t *r = pdu->bhs;

	if (r[2] != 0) {
		task_fail(s, t, EIO, "target could not complete the command (iSCSI response 0x%02x)", r[2]);
		return 0;
	}
	t->res.status = r[3];
	take_residual(r, &t->res);
	t->res.transferred = t->dir == SCSI_DIR_WRITE && t->next == 0 ? t->unsolicited : t->next;
	if (pdu->data_len >= 2) {
		size_t slen = iscsi_get16(pdu->data, 0);

		if (slen > pdu->data_len - 2)
			return sr_fail(err, EPROTO, "sense data claims %zu bytes, has %zu", slen, pdu->data_len - 2);
		t->res.sense_len = slen < sizeof(t->res.sense) ? slen : sizeof(t->res.sense);
		memcpy(t->res.sense, pdu->data + 2, t->res.sense_len);
	}
	finish(s, t);
	return 0;
}

/*
 * Receive one PDU and hand it to the task it belongs to. A failure here
 * breaks the connection (every task with it); a task's own failure does not.
 */
static int pump(struct iscsi_session *s, int64_t deadline, struct sr_error *err)
{
	struct iscsi_pdu pdu;
	struct iscsi_task *t;
	int rc;

	rc = session_recv(s, &pdu, deadline, err);
	if (rc < 0)
		return rc;
	switch (iscsi_opcode(pdu.bhs)) {
	case ISCSI_OP_NOP_IN:
		return 0;	/* an answer to a NOP-Out of ours: we send none with a tag */
	case ISCSI_OP_REJECT:
		/* §11.17: the data segment is the rejected header; at ERL 0 no answer follows. */
		if (pdu.data_len >= ISCSI_BHS_LEN && (t = find_task(s, iscsi_itt(pdu.data)))) {
			task_fail(s, t, EPROTO, "target rejected the command: %s", reject_reason(pdu.bhs[2]));
			return 0;
		}
		return unexpected(&pdu, "running commands", err);
	case ISCSI_OP_DATA_IN:
	case ISCSI_OP_R2T:
	case ISCSI_OP_SCSI_RSP:
		t = find_task(s, iscsi_itt(pdu.bhs));
		if (!t)
			return unexpected(&pdu, "running commands", err);
		if (iscsi_opcode(pdu.bhs) == ISCSI_OP_DATA_IN)
			return data_in(s, t, &pdu, err);
		if (iscsi_opcode(pdu.bhs) == ISCSI_OP_R2T)
			return r2t(s, t, &pdu, deadline, err);
		return scsi_response(s, t, &pdu, err);
	default:
		return unexpected(&pdu, "running commands", err);
	}
}

static int wait_window(struct iscsi_session *s, int64_t deadline, struct sr_error *err)
{
	while (iscsi_sn_lt(s->max_cmdsn, s->cmdsn)) {
		int rc;

		iscsi_logf(s->log, ISCSI_LOG_DEBUG, "command window shut (CmdSN %u, MaxCmdSN %u): waiting",
			   s->cmdsn, s->max_cmdsn);
		rc = pump(s, deadline, err);
		if (rc == -ETIMEDOUT)
			return sr_fail(err, ETIMEDOUT, "target kept its command window shut");
		if (rc < 0)
			return rc;
	}
	return 0;
}

int iscsi_submit(struct iscsi_session *s, struct iscsi_task *t, uint64_t lun, const uint8_t *cdb,
		 size_t cdb_len, enum scsi_dir dir, void *buf, size_t len, int64_t deadline,
		 struct sr_error *err)
{
	const struct iscsi_op_params *neg = &s->login.neg;
	struct iscsi_pdu cmd = { 0 };
	uint8_t *h = cmd.bhs;
	uint32_t imm = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if (cdb_len > 16)
		return sr_fail(err, EINVAL, "CDBs longer than 16 bytes need an AHS");
	if (len > UINT32_MAX || (dir == SCSI_DIR_NONE && len))
		return sr_fail(err, EINVAL, "bad data length %zu for the command", len);
	if (s->ntasks == ISCSI_TASKS_MAX)
		return sr_fail(err, EBUSY, "more than %d commands in flight", ISCSI_TASKS_MAX);
	rc = wait_window(s, deadline, err);
	if (rc < 0)
		return rc;

	t->itt = new_itt(s);
	iscsi_lun_encode(lun, t->lun);
	t->dir = dir;
	t->buf = buf;
	t->len = len;
	if (dir == SCSI_DIR_WRITE) {
		uint32_t first = len < neg->first_burst ? (uint32_t)len : neg->first_burst;

		if (neg->immediate_data)
			imm = first < neg->max_xmit_dsl ? first : neg->max_xmit_dsl;
		t->unsolicited = neg->initial_r2t ? imm : first;
	}
	h[0] = ISCSI_OP_SCSI_CMD;
	h[1] = ISCSI_ATTR_SIMPLE | (t->unsolicited > imm ? 0 : ISCSI_FLAG_F) |
	       (dir == SCSI_DIR_READ ? ISCSI_CMD_R : 0) | (dir == SCSI_DIR_WRITE ? ISCSI_CMD_W : 0);
	memcpy(h + 8, t->lun, 8);
	iscsi_put32(h, 16, t->itt);
	iscsi_put32(h, 20, (uint32_t)len);
	iscsi_put32(h, 24, s->cmdsn);
	iscsi_put32(h, 28, s->exp_statsn);
	memcpy(h + 32, cdb, cdb_len);
	cmd.data = imm ? buf : NULL;
	cmd.data_len = imm;
	rc = send_pdu(s, &cmd, deadline, err);
	if (rc < 0)
		return rc;
	s->cmdsn++;
	s->task[s->ntasks++] = t;
	/* Unsolicited Data-Out (InitialR2T=No) up to FirstBurstLength. */
	if (t->unsolicited > imm)
		return send_data_out(s, t, ISCSI_RSVD_TAG, imm, t->unsolicited - imm, deadline, err);
	return 0;
}

int iscsi_wait(struct iscsi_session *s, struct iscsi_task *t, int64_t deadline, struct sr_error *err)
{
	while (!t->done) {
		int rc = pump(s, deadline, err);

		if (rc < 0)
			return rc;
	}
	if (t->rc < 0)
		return sr_fail(err, -t->rc, "%s", t->why);
	return 0;
}

int iscsi_scsi(struct iscsi_session *s, uint64_t lun, const uint8_t *cdb, size_t cdb_len,
	       enum scsi_dir dir, void *buf, size_t len, struct scsi_result *res,
	       int64_t deadline, struct sr_error *err)
{
	struct iscsi_task t;
	int rc;

	rc = iscsi_submit(s, &t, lun, cdb, cdb_len, dir, buf, len, deadline, err);
	if (rc == 0)
		rc = iscsi_wait(s, &t, deadline, err);
	*res = t.res;
	return rc;
}

int iscsi_text_request(struct iscsi_session *s, const char *key, const char *value,
		       uint8_t **answer, size_t *len, int64_t deadline, struct sr_error *err)
{
	uint8_t text[512];
	struct iscsi_textbuf tb = { .buf = text, .cap = sizeof(text) };
	uint32_t itt = new_itt(s), ttt = ISCSI_RSVD_TAG;
	uint8_t *all = NULL;
	size_t have = 0;
	bool first = true;
	int rc;

	*answer = NULL;
	*len = 0;
	if (s->ntasks)
		return sr_fail(err, EBUSY, "commands still in flight");
	iscsi_text_add(&tb, key, value);
	if (tb.overflow)
		return sr_fail(err, E2BIG, "text request too long");
	for (;;) {
		struct iscsi_pdu pdu = { 0 };
		uint8_t *h = pdu.bhs;

		rc = wait_window(s, deadline, err);
		if (rc < 0)
			goto err;
		h[0] = ISCSI_OP_TEXT_REQ;
		h[1] = ISCSI_FLAG_F;
		iscsi_put32(h, 16, itt);
		iscsi_put32(h, 20, ttt);
		iscsi_put32(h, 24, s->cmdsn);
		iscsi_put32(h, 28, s->exp_statsn);
		if (first) {
			pdu.data = text;
			pdu.data_len = tb.len;
		}
		rc = send_pdu(s, &pdu, deadline, err);
		if (rc < 0)
			goto err;
		s->cmdsn++;
		first = false;

		rc = session_recv(s, &pdu, deadline, err);
		if (rc < 0)
			goto err;
		h = pdu.bhs;
		if (iscsi_opcode(h) != ISCSI_OP_TEXT_RSP || iscsi_itt(h) != itt) {
			rc = unexpected(&pdu, "waiting for a text response", err);
			goto err;
		}
		if (pdu.data_len > ISCSI_TEXT_ANSWER_MAX - have) {
			rc = sr_fail(err, EMSGSIZE, "text answer longer than %u bytes", ISCSI_TEXT_ANSWER_MAX);
			goto err;
		}
		if (pdu.data_len) {
			uint8_t *n = realloc(all, have + pdu.data_len + 1);

			if (!n) {
				rc = sr_fail(err, ENOMEM, "no memory for the text answer");
				goto err;
			}
			all = n;
			memcpy(all + have, pdu.data, pdu.data_len);
			have += pdu.data_len;
		}
		if (h[1] & ISCSI_FLAG_F) {
			if (h[1] & ISCSI_TEXT_C) {
				rc = sr_fail(err, EPROTO, "text response with both the F and the C bit");
				goto err;
			}
			break;
		}
		/* More to come (§11.11): ask for it with the target's transfer tag. */
		ttt = iscsi_get32(h, 20);
		if (ttt == ISCSI_RSVD_TAG) {
			rc = sr_fail(err, EPROTO, "unfinished text response without a target transfer tag");
			goto err;
		}
	}
	*answer = all;
	*len = have;
	return 0;
err:
	free(all);
	return rc;
}

int iscsi_logout(struct iscsi_session *s, int64_t deadline, struct sr_error *err)
{
	struct iscsi_pdu pdu = { 0 };
	uint8_t *h = pdu.bhs;
	uint32_t itt = new_itt(s);
	int rc;

	if (s->ntasks)
		return sr_fail(err, EBUSY, "commands still in flight");
	h[0] = ISCSI_IMMEDIATE | ISCSI_OP_LOGOUT_REQ;
	h[1] = ISCSI_FLAG_F | 0;	/* reason 0: close the session */
	iscsi_put32(h, 16, itt);
	iscsi_put16(h, 20, s->login.cid);
	iscsi_put32(h, 24, s->cmdsn);
	iscsi_put32(h, 28, s->exp_statsn);
	rc = send_pdu(s, &pdu, deadline, err);
	if (rc < 0)
		return rc;
	for (;;) {
		rc = session_recv(s, &pdu, deadline, err);
		if (rc < 0)
			return rc;
		if (iscsi_opcode(pdu.bhs) == ISCSI_OP_LOGOUT_RSP && iscsi_itt(pdu.bhs) == itt)
			break;
		if (iscsi_opcode(pdu.bhs) == ISCSI_OP_NOP_IN)
			continue;
		return unexpected(&pdu, "logging out", err);
	}
	if (pdu.bhs[2] != 0)
		return sr_fail(err, EIO, "target refused the logout (response %u)", pdu.bhs[2]);
	return 0;
}
