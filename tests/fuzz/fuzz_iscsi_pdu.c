// SPDX-License-Identifier: GPL-2.0-only
/*
 * A byte stream from a target, cut at split points the input chooses, through
 * the PDU decoder; the PDUs drive the login state machine, then a session
 * running what the rescue commands run (READ, INQUIRY, WRITE with R2T, TEST
 * UNIT READY in flight together, SendTargets, logout); every data segment
 * also goes through the SendTargets and SCSI parsers.
 *
 * Input: [flags][seed][stream...]; flags bit 0 digests from the first byte
 * (otherwise, as in a session, from the end of the login as negotiated), bit
 * 2 CHAP credentials, bit 3 mutual, bits 4-5 the data limit.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi/iscsi_login.h"
#include "iscsi/iscsi_pdu.h"
#include "iscsi/iscsi_session.h"
#include "iscsi/iscsi_text.h"
#include "iscsi/scsi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse_payload(const struct iscsi_pdu *pdu)
{
	static struct iscsi_st_target st[4];
	struct sr_error err;
	struct scsi_inquiry inq;
	struct scsi_capacity cap;
	struct scsi_sense sense;
	uint64_t luns[8];
	unsigned n;
	uint32_t total;
	bool more;
	char serial[64];

	if (!pdu->data_len)
		return;
	iscsi_sendtargets_parse(pdu->data, pdu->data_len, st, 4, &n, &more, &err);
	scsi_parse_inquiry(pdu->data, pdu->data_len, &inq, &err);
	scsi_parse_unit_serial(pdu->data, pdu->data_len, serial, sizeof(serial), &err);
	scsi_parse_report_luns(pdu->data, pdu->data_len, luns, 8, &n, &total, &err);
	scsi_parse_read_capacity16(pdu->data, pdu->data_len, &cap, &err);
	if (pdu->data_len > 2)
		scsi_parse_sense(pdu->data + 2, pdu->data_len - 2, &sense);
}

/* A transport whose target is the input: PDUs come out of the stream decoder, sends vanish. */
struct fuzz_transport {
	struct iscsi_transport t;
	struct iscsi_rx rx;
	const uint8_t *p;
	size_t n;
	uint8_t seed;
	uint32_t limit;
};

static int fz_send(struct iscsi_transport *t, const struct iscsi_pdu *pdu, int64_t deadline,
		   struct sr_error *err)
{
	struct iscsi_frame f;

	(void)t;
	(void)deadline;
	return iscsi_frame(pdu, false, false, &f, err);
}

static int fz_recv(struct iscsi_transport *t, struct iscsi_pdu *pdu, int64_t deadline,
		   struct sr_error *err)
{
	struct fuzz_transport *z = (struct fuzz_transport *)t;
	char desc[160];

	(void)deadline;
	/* As a socket reader does: pieces of the stream, and steering between header and data. */
	while (z->n) {
		size_t chunk = 1 + (size_t)(z->seed % 97), want;
		uint8_t *space = iscsi_rx_space(&z->rx, &want);
		const uint8_t *bhs;
		size_t dsl;
		int rc;

		z->seed = (uint8_t)(z->seed * 37 + 11);
		if (chunk > z->n)
			chunk = z->n;
		if (chunk > want)
			chunk = want;
		memcpy(space, z->p, chunk);
		z->p += chunk;
		z->n -= chunk;
		rc = iscsi_rx_advance(&z->rx, chunk, pdu, err);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			iscsi_pdu_describe(pdu, desc, sizeof(desc));
			parse_payload(pdu);
			return 0;
		}
		if (t->steer && iscsi_rx_head_ready(&z->rx, &bhs, &dsl))
			iscsi_rx_steer(&z->rx, t->steer(t->steer_ctx, bhs, dsl));
	}
	return sr_fail(err, ECONNRESET, "end of input");
}

static int fz_set_digests(struct iscsi_transport *t, bool header, bool data, uint32_t max_recv,
			  struct sr_error *err)
{
	struct fuzz_transport *z = (struct fuzz_transport *)t;

	return iscsi_rx_configure(&z->rx, max_recv < z->limit ? max_recv : z->limit, header, data, err);
}

/* What the rescue commands do with a session, against whatever the input answers. */
static void run_session(struct fuzz_transport *z, const struct iscsi_login_result *r)
{
	static struct iscsi_session s;
	static struct iscsi_task t[4];
	static uint8_t rbuf[65536], wbuf[16384], ibuf[96];
	int64_t deadline = monotonic_ms() + 10000;
	struct sr_error err;
	uint8_t cdb[16];
	uint8_t *answer = NULL;
	size_t len;
	int ok = 1;

	if (iscsi_session_start(&s, &z->t, r, NULL, &err) < 0)
		return;
	scsi_cdb_read16(cdb, 0, 128);
	ok = ok && iscsi_submit(&s, &t[0], 1, cdb, 16, SCSI_DIR_READ, rbuf, sizeof(rbuf), deadline, &err) == 0;
	scsi_cdb_inquiry(cdb, false, 0, sizeof(ibuf));
	ok = ok && iscsi_submit(&s, &t[1], 0, cdb, 6, SCSI_DIR_READ, ibuf, sizeof(ibuf), deadline, &err) == 0;
	scsi_cdb_write16(cdb, 0, 32);
	ok = ok && iscsi_submit(&s, &t[2], 1, cdb, 16, SCSI_DIR_WRITE, wbuf, sizeof(wbuf), deadline, &err) == 0;
	scsi_cdb_test_unit_ready(cdb);
	ok = ok && iscsi_submit(&s, &t[3], 1, cdb, 6, SCSI_DIR_NONE, NULL, 0, deadline, &err) == 0;
	for (int i = 3; ok && i >= 0; i--)
		ok = iscsi_wait(&s, &t[i], deadline, &err) == 0 || t[i].done;
	if (!ok || s.ntasks)
		return;
	if (iscsi_text_request(&s, "SendTargets", "All", &answer, &len, deadline, &err) == 0)
		free(answer);
	iscsi_logout(&s, deadline, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iscsi_login l;
	static struct fuzz_transport z;
	static const uint32_t limits[4] = { 512, 8192, 65536, 262144 };
	struct iscsi_login_params p;
	struct iscsi_login_result r;
	struct iscsi_pdu pdu, req;
	struct sr_error err;
	uint8_t flags;
	int rc;

	if (size < 2)
		return 0;
	flags = data[0];
	memset(&z, 0, sizeof(z));
	z.t.send = fz_send;
	z.t.recv = fz_recv;
	z.t.set_digests = fz_set_digests;
	z.seed = data[1];
	z.p = data + 2;
	z.n = size - 2;
	z.limit = limits[(flags >> 4) & 3];
	if (iscsi_rx_init(&z.rx, z.limit, &err) < 0)
		return 0;
	iscsi_rx_configure(&z.rx, z.limit, flags & 1, flags & 1, &err);

	memset(&p, 0, sizeof(p));
	p.initiator_name = "iqn.2024-01.org.sanroot:fuzz";
	p.target_name = "iqn.2024-01.org.sanroot:target";
	if (flags & 4) {
		p.chap.name = "user";
		p.chap.secret = "a-long-secret-1";
		if (flags & 8) {
			p.chap.target_name = "target";
			p.chap.target_secret = "another-secret-2";
		}
	}
	p.md5_allowed = true;
	p.expect_tpgt = -1;
	iscsi_op_offer_defaults(&p.offer);
	p.offer.max_recv_dsl = z.limit;
	p.header_digest = p.data_digest = ISCSI_DIGEST_PREFER_NONE;

	/* The login, playing the initiator this target was talking to: its ISID. */
	if (fz_recv(&z.t, &pdu, 0, &err) < 0)
		goto out;
	memcpy(p.isid, pdu.bhs + 8, 6);
	if (iscsi_login_begin(&l, &p, &r, &err) < 0)
		goto out;
	iscsi_login_request(&l, &req);
	for (;;) {
		rc = iscsi_login_response(&l, &pdu, &err);
		if (rc != ISCSI_LOGIN_CONTINUE)
			break;
		iscsi_login_request(&l, &req);
		if (fz_recv(&z.t, &pdu, 0, &err) < 0)
			break;
	}
	iscsi_login_end(&l);
	/* Full feature phase, whatever the login said: what follows tests the session. */
	if (rc != ISCSI_LOGIN_DONE) {
		iscsi_op_rfc_defaults(&r.neg);
		r.neg.max_recv_dsl = z.limit;
	}
	run_session(&z, &r);
out:
	iscsi_rx_free(&z.rx);
	return 0;
}
