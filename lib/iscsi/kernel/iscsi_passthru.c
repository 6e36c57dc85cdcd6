// SPDX-License-Identifier: GPL-2.0-only
/* The login through the kernel's PDU passthrough: SEND_PDU out, RECV_PDU back (NETLINK_ISCSI). */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "iscsi/kernel/iscsi_passthru.h"

static int pt_send(struct iscsi_transport *t, const struct iscsi_pdu *pdu, int64_t deadline,
		   struct sr_error *err)
{
	struct iscsi_passthru *p = (struct iscsi_passthru *)t;
	uint8_t bhs[ISCSI_BHS_LEN];

	(void)deadline;	/* the kernel answers a request at once */
	if (pdu->ahs_len)
		return sr_fail(err, EINVAL, "the kernel's PDU passthrough carries no AHS");
	/* The kernel's login task holds at most this much data. */
	if (pdu->data_len > ISCSI_LOGIN_PDU_DATA)
		return sr_fail(err, EMSGSIZE, "a login PDU of %zu data bytes exceeds %d",
			       pdu->data_len, ISCSI_LOGIN_PDU_DATA);
	/* The kernel sends the header as it is given: the lengths are ours to fill in. */
	memcpy(bhs, pdu->bhs, sizeof(bhs));
	bhs[4] = 0;
	iscsi_put24(bhs, 5, (uint32_t)pdu->data_len);
	return iscsi_nl_send_pdu(p->nl, p->sid, p->cid, bhs, pdu->data, pdu->data_len, err);
}

static int pt_recv(struct iscsi_transport *t, struct iscsi_pdu *pdu, int64_t deadline,
		   struct sr_error *err)
{
	struct iscsi_passthru *p = (struct iscsi_passthru *)t;

	for (;;) {
		int64_t left = deadline - monotonic_ms();
		struct iscsi_nl_event ev;
		int rc;

		if (left <= 0)
			return sr_fail_why(err, ETIMEDOUT, SR_R_TARGET_SILENT,
					   "the target did not answer in time");
		rc = iscsi_nl_recv_event(p->nl, &ev, p->buf, sizeof(p->buf),
					 left > INT_MAX ? INT_MAX : (int)left, err);
		if (rc == -ETIMEDOUT)
			return sr_fail_why(err, ETIMEDOUT, SR_R_TARGET_SILENT,
					   "the target did not answer in time");
		if (rc == -ENOBUFS) {
			/* Ours may be among the lost; the deadline tells. Others must know. */
			if (p->on_event)
				p->on_event(p->ctx, NULL);
			continue;
		}
		if (rc < 0)
			return rc;
		if (ev.sid != p->sid || ev.cid != p->cid ||
		    (ev.type != ISCSI_KEVENT_RECV_PDU && ev.type != ISCSI_KEVENT_CONN_ERROR)) {
			if (p->on_event)
				p->on_event(p->ctx, &ev);
			continue;
		}
		if (ev.type == ISCSI_KEVENT_CONN_ERROR)
			return sr_fail(err, ECONNRESET, "the connection failed during the login: %s",
				       iscsi_nl_err_name(ev.code));
		memset(pdu, 0, sizeof(*pdu));
		memcpy(pdu->bhs, ev.pdu, ISCSI_BHS_LEN);
		pdu->data = ev.pdu_len > ISCSI_BHS_LEN ? ev.pdu + ISCSI_BHS_LEN : NULL;
		pdu->data_len = ev.pdu_len - ISCSI_BHS_LEN;
		return 0;
	}
}

/* Digests and lengths after the login are the kernel's business (SET_PARAM). */
static int pt_set_digests(struct iscsi_transport *t, bool header, bool data, uint32_t max_recv,
			  struct sr_error *err)
{
	(void)t, (void)header, (void)data, (void)max_recv, (void)err;
	return 0;
}

void iscsi_passthru_init(struct iscsi_passthru *p, struct iscsi_nl *nl, uint32_t sid,
			 uint32_t cid, iscsi_event_fn on_event, void *ctx)
{
	memset(&p->t, 0, sizeof(p->t));
	p->t.send = pt_send;
	p->t.recv = pt_recv;
	p->t.set_digests = pt_set_digests;
	p->t.itt_rewritten = true;
	p->nl = nl;
	p->sid = sid;
	p->cid = cid;
	p->on_event = on_event;
	p->ctx = ctx;
}
