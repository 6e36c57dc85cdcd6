// SPDX-License-Identifier: GPL-2.0-only
/* NETLINK_ISCSI: the uevent layout, requests encoded byte by byte, replies and events decoded. */
#include <errno.h>
#include <stddef.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "t.h"
#include "iscsi/kernel/iscsi_if.h"
#include "iscsi/kernel/iscsi_nl.h"

#define HANDLE 0xffff8880c1234560ull	/* a kernel pointer, as sysfs shows it */

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64_at(const uint8_t *p)
{
	return (uint64_t)le32_at(p) | (uint64_t)le32_at(p + 4) << 32;
}

static uint16_t le16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The encoded netlink message of req, as bytes: header, then body at +16. */
struct frame {
	struct nl_msg *m;
	const struct nlmsghdr *h;
	const uint8_t *body;
	size_t body_len;
};

static int frame_of(const struct iscsi_nl_req *req, struct frame *f)
{
	f->m = iscsi_nl_req_msg(req);
	if (!f->m)
		return -1;
	f->h = nlmsg_hdr(f->m);
	f->body = nlmsg_data(f->h);
	f->body_len = (size_t)nlmsg_datalen(f->h);
	return 0;
}

static void layout(void)
{
	/* DESIGN.md, checked against the Debian 6.1 kernel: 56 bytes, u at 16, r at 40. */
	CHECK_INT(sizeof(struct iscsi_uevent), 56);
	CHECK_INT(offsetof(struct iscsi_uevent, iferror), 4);
	CHECK_INT(offsetof(struct iscsi_uevent, transport_handle), 8);
	CHECK_INT(offsetof(struct iscsi_uevent, u), 16);
	CHECK_INT(offsetof(struct iscsi_uevent, r), 40);
	CHECK_INT(offsetof(struct iscsi_uevent, r.retcode), offsetof(struct iscsi_uevent,
								       r.c_session_ret.sid));
	CHECK_INT(offsetof(struct iscsi_uevent, r.c_conn_ret.cid), 44);
	CHECK_INT(offsetof(struct iscsi_uevent, r.d_session.host_no), 40);
	CHECK_INT(offsetof(struct iscsi_uevent, r.conn_login.state), 48);
	CHECK_INT(_Alignof(struct iscsi_uevent), 8);
}

static void numbers(void)
{
	CHECK_INT(ISCSI_UEVENT_CREATE_SESSION, 11);
	CHECK_INT(ISCSI_UEVENT_SEND_PDU, 19);
	CHECK_INT(ISCSI_KEVENT_RECV_PDU, 101);
	CHECK_INT(ISCSI_KEVENT_IF_ERROR, 103);
	CHECK_INT(ISCSI_KEVENT_CREATE_SESSION, 106);
	CHECK_INT(ISCSI_KEVENT_CONN_LOGIN_STATE, 109);
	CHECK_INT(ISCSI_PARAM_EXP_STATSN, 14);
	CHECK_INT(ISCSI_PARAM_SESS_RECOVERY_TMO, 19);
	CHECK_INT(ISCSI_PARAM_PING_TMO, 30);
	CHECK_INT(ISCSI_PARAM_INITIATOR_NAME, 34);
	CHECK_STR(iscsi_nl_param_name(ISCSI_PARAM_TARGET_NAME), "TARGET_NAME");
	CHECK_STR(iscsi_nl_param_name((enum iscsi_param)999), "unknown parameter");
	CHECK_STR(iscsi_nl_type_name(ISCSI_UEVENT_BIND_CONN), "BIND_CONN");
	CHECK_STR(iscsi_nl_err_name(ISCSI_ERR_TCP_CONN_CLOSE), "target closed the TCP connection");
}

static void encode_create_session(void)
{
	struct iscsi_nl_req req;
	struct frame f;

	iscsi_nl_req_create_session(&req, HANDLE, 0x01020304, 128, 32);
	CHECK(frame_of(&req, &f) == 0);
	CHECK_INT(f.h->nlmsg_type, 11);
	CHECK_INT(f.h->nlmsg_len, 16 + 56);
	CHECK_INT(f.body_len, 56);
	CHECK_INT(le32_at(f.body), 11);
	CHECK_INT(le32_at(f.body + 4), 0);
	CHECK(le64_at(f.body + 8) == HANDLE);
	CHECK_INT(le32_at(f.body + 16), 0x01020304);
	CHECK_INT(le16_at(f.body + 20), 128);
	CHECK_INT(le16_at(f.body + 22), 32);
	for (size_t i = 24; i < 56; i++)
		CHECK_INT(f.body[i], 0);
	nlmsg_free(f.m);
}

static void encode_bind_conn(void)
{
	struct iscsi_nl_req req;
	struct frame f;

	iscsi_nl_req_bind_conn(&req, HANDLE, 7, 0, 5, true);
	CHECK(frame_of(&req, &f) == 0);
	CHECK_INT(f.h->nlmsg_type, 15);
	CHECK_INT(f.body_len, 56);
	CHECK_INT(le32_at(f.body + 16), 7);	/* sid */
	CHECK_INT(le32_at(f.body + 20), 0);	/* cid */
	CHECK(le64_at(f.body + 24) == 5);	/* the socket's fd */
	CHECK_INT(le32_at(f.body + 32), 1);	/* leading connection */
	nlmsg_free(f.m);
}

static void encode_set_param(void)
{
	static const char iqn[] = "iqn.2003-01.org.linux-iscsi.target:disk1";
	struct iscsi_nl_req req;
	struct sr_error err;
	struct frame f;

	CHECK(iscsi_nl_req_set_param(&req, HANDLE, 3, 0, ISCSI_PARAM_TARGET_NAME, iqn, &err) == 0);
	CHECK(frame_of(&req, &f) == 0);
	CHECK_INT(f.h->nlmsg_type, 16);
	/* The value follows the uevent with its NUL, and len counts that NUL. */
	CHECK_INT(f.h->nlmsg_len, 16 + 56 + sizeof(iqn));
	CHECK_INT(le32_at(f.body + 16), 3);
	CHECK_INT(le32_at(f.body + 20), 0);
	CHECK_INT(le32_at(f.body + 24), 15);
	CHECK_INT(le32_at(f.body + 28), sizeof(iqn));
	CHECK_MEM(f.body + 56, iqn, sizeof(iqn));
	nlmsg_free(f.m);
}

static void set_param_bounded(void)
{
	static char big[ISCSI_NL_VALUE_MAX + 8];
	struct iscsi_nl_req req;
	struct sr_error err;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(iscsi_nl_req_set_param(&req, HANDLE, 1, 0, ISCSI_PARAM_TARGET_NAME, big, &err),
		  -EINVAL);
	CHECK(strstr(err.msg, "TARGET_NAME") != NULL);
	big[ISCSI_NL_VALUE_MAX - 1] = '\0';	/* the longest value allowed */
	CHECK_INT(iscsi_nl_req_set_param(&req, HANDLE, 1, 0, ISCSI_PARAM_TARGET_NAME, big, &err),
		  0);
	CHECK_INT(req.ev.u.set_param.len, ISCSI_NL_VALUE_MAX);
}

static void encode_send_pdu(void)
{
	uint8_t bhs[48], data[13];
	struct iscsi_nl_req req;
	struct sr_error err;
	struct frame f;

	for (size_t i = 0; i < sizeof(bhs); i++)
		bhs[i] = (uint8_t)(0x40 + i);
	memcpy(data, "InitiatorName", sizeof(data));	/* 13 bytes: not a multiple of 4 */
	CHECK(iscsi_nl_req_send_pdu(&req, HANDLE, 2, 0, bhs, data, sizeof(data), &err) == 0);
	CHECK(frame_of(&req, &f) == 0);
	CHECK_INT(f.h->nlmsg_type, 19);
	/* header, then unpadded data, nothing after */
	CHECK_INT(f.h->nlmsg_len, 16 + 56 + 48 + 13);
	CHECK_INT(le32_at(f.body + 24), 48);
	CHECK_INT(le32_at(f.body + 28), 13);
	CHECK_MEM(f.body + 56, bhs, 48);
	CHECK_MEM(f.body + 104, data, 13);
	nlmsg_free(f.m);

	CHECK(iscsi_nl_req_send_pdu(&req, HANDLE, 2, 0, bhs, NULL, 0, &err) == 0);
	CHECK(frame_of(&req, &f) == 0);
	CHECK_INT(f.h->nlmsg_len, 16 + 56 + 48);
	nlmsg_free(f.m);
	CHECK_INT(iscsi_nl_req_send_pdu(&req, HANDLE, 2, 0, bhs, data, 1u << 24, &err), -EMSGSIZE);
}

static void encode_stop_conn(void)
{
	struct iscsi_nl_req req;
	struct frame f;

	iscsi_nl_req_stop_conn(&req, HANDLE, 4, 0, ISCSI_STOP_CONN_RECOVER);
	CHECK(frame_of(&req, &f) == 0);
	CHECK_INT(f.h->nlmsg_type, 18);
	CHECK_INT(le32_at(f.body + 16), 4);
	CHECK(le64_at(f.body + 24) == 0);
	CHECK_INT(le32_at(f.body + 32), 3);
	nlmsg_free(f.m);
}

/* Build what the kernel sends: a uevent and an optional tail. */
static size_t kmsg(uint8_t *buf, uint32_t type, int32_t iferror, const void *r, size_t rlen,
		   const void *tail, size_t tlen)
{
	struct iscsi_uevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.iferror = (uint32_t)iferror;
	ev.transport_handle = HANDLE;
	memcpy(&ev.r, r, rlen);
	memcpy(buf, &ev, sizeof(ev));
	if (tlen)
		memcpy(buf + sizeof(ev), tail, tlen);
	return sizeof(ev) + tlen;
}

static void parse_replies(void)
{
	uint8_t buf[256];
	uint32_t r[4] = { 5, 3 };	/* sid 5 on host 3 */
	struct iscsi_nl_event ev;
	struct sr_error err;
	size_t n;

	n = kmsg(buf, ISCSI_UEVENT_CREATE_SESSION, 0, r, 8, NULL, 0);
	CHECK(iscsi_nl_parse(buf, n, ISCSI_UEVENT_CREATE_SESSION, &ev, &err) == 0);
	CHECK(iscsi_nl_is_reply(&ev, ISCSI_UEVENT_CREATE_SESSION));
	CHECK_INT(ev.sid, 5);
	CHECK_INT(ev.host_no, 3);

	/* The kernel's multicast echo of the same creation is not the reply. */
	n = kmsg(buf, ISCSI_KEVENT_CREATE_SESSION, 0, r, 8, NULL, 0);
	CHECK(iscsi_nl_parse(buf, n, 0, &ev, &err) == 0);
	CHECK(!iscsi_nl_is_reply(&ev, ISCSI_UEVENT_CREATE_SESSION));
	CHECK_INT(ev.sid, 5);

	/* A refusal: type IF_ERROR under the request's netlink type. */
	n = kmsg(buf, ISCSI_KEVENT_IF_ERROR, -ENOMEM, r, 0, NULL, 0);
	CHECK(iscsi_nl_parse(buf, n, ISCSI_UEVENT_CREATE_CONN, &ev, &err) == 0);
	CHECK(iscsi_nl_is_reply(&ev, ISCSI_UEVENT_CREATE_CONN));
	CHECK(!iscsi_nl_is_reply(&ev, ISCSI_UEVENT_CREATE_SESSION));
	CHECK_INT(ev.iferror, -ENOMEM);

	/* KEVENT_DESTROY_SESSION puts the host first. */
	n = kmsg(buf, ISCSI_KEVENT_DESTROY_SESSION, 0, r, 8, NULL, 0);
	CHECK(iscsi_nl_parse(buf, n, 0, &ev, &err) == 0);
	CHECK_INT(ev.host_no, 5);
	CHECK_INT(ev.sid, 3);
}

static void parse_events(void)
{
	uint8_t buf[256], pdu[48 + 6];
	uint32_t r[4] = { 9, 0, ISCSI_ERR_TCP_CONN_CLOSE };
	struct iscsi_nl_event ev;
	struct sr_error err;
	size_t n;

	n = kmsg(buf, ISCSI_KEVENT_CONN_ERROR, 0, r, 12, NULL, 0);
	CHECK(iscsi_nl_parse(buf, n, 0, &ev, &err) == 0);
	CHECK_INT(ev.type, ISCSI_KEVENT_CONN_ERROR);
	CHECK_INT(ev.sid, 9);
	CHECK_INT(ev.code, ISCSI_ERR_TCP_CONN_CLOSE);
	CHECK(ev.pdu == NULL);

	memset(pdu, 0, 48);
	pdu[0] = 0x23;
	pdu[7] = 5;			/* DataSegmentLength 5 */
	memcpy(pdu + 48, "abcde\0", 6);	/* and one byte of netlink padding */
	n = kmsg(buf, ISCSI_KEVENT_RECV_PDU, 0, r, 8, pdu, sizeof(pdu));
	CHECK(iscsi_nl_parse(buf, n, 0, &ev, &err) == 0);
	CHECK_INT(ev.pdu_len, 53);
	CHECK(ev.pdu == buf + 56);
	CHECK_MEM(ev.pdu + 48, "abcde", 5);

	/* Data shorter than the header announces is refused. */
	pdu[7] = 7;
	n = kmsg(buf, ISCSI_KEVENT_RECV_PDU, 0, r, 8, pdu, sizeof(pdu));
	CHECK_INT(iscsi_nl_parse(buf, n, 0, &ev, &err), -EPROTO);
	CHECK(strstr(err.msg, "announces 7") != NULL);

	/* A PDU shorter than its header, and a message shorter than a uevent, are refused. */
	CHECK_INT(iscsi_nl_parse(buf, 56 + 47, 0, &ev, &err), -EPROTO);
	CHECK_INT(iscsi_nl_parse(buf, 55, 0, &ev, &err), -EPROTO);
	CHECK(strstr(err.msg, "shorter than a uevent") != NULL);
}

int main(void)
{
	RUN(layout);
	RUN(numbers);
	RUN(encode_create_session);
	RUN(encode_bind_conn);
	RUN(encode_set_param);
	RUN(set_param_bounded);
	RUN(encode_send_pdu);
	RUN(encode_stop_conn);
	RUN(parse_replies);
	RUN(parse_events);
	T_EXIT();
}
