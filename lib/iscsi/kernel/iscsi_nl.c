// SPDX-License-Identifier: GPL-2.0-only
/*
 * NETLINK_ISCSI requests and events (lib/iscsi_if.h), over a libnl-3 socket.
 * The kernel answers each request synchronously with one unicast message of
 * the request's netlink type; events (RECV_PDU, CONN_ERROR, ...) arrive as
 * multicast to ISCSI_NL_GRP_ISCSID, possibly between a request and its reply.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "core/clock.h"
#include "core/cursor.h"
#include "iscsi/kernel/iscsi_nl.h"

#define SOCKET_BUFFER (256 * 1024)
#define PDU_DATA_MAX  ((1u << 24) - 1)	/* DataSegmentLength is 24 bits */

struct queued {
	uint8_t *buf;	/* the netlink payload: uevent and what follows */
	size_t len;
	uint16_t nl_type;
};

struct iscsi_nl {
	struct nl_sock *sk;
	uint64_t handle;
	struct queued q[ISCSI_NL_QUEUE_MAX];
	unsigned qhead, qcount;
	bool lost;
};

/* -------- Encoding -------- */

static void req_init(struct iscsi_nl_req *req, uint32_t type, uint64_t handle)
{
	memset(req, 0, sizeof(*req));
	req->ev.type = type;
	req->ev.transport_handle = handle;
}

void iscsi_nl_req_create_session(struct iscsi_nl_req *req, uint64_t handle,
				 uint32_t initial_cmdsn, uint16_t cmds_max, uint16_t queue_depth)
{
	req_init(req, ISCSI_UEVENT_CREATE_SESSION, handle);
	req->ev.u.c_session.initial_cmdsn = initial_cmdsn;
	req->ev.u.c_session.cmds_max = cmds_max;
	req->ev.u.c_session.queue_depth = queue_depth;
}

void iscsi_nl_req_destroy_session(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid)
{
	req_init(req, ISCSI_UEVENT_DESTROY_SESSION, handle);
	req->ev.u.d_session.sid = sid;
}

void iscsi_nl_req_create_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			      uint32_t cid)
{
	req_init(req, ISCSI_UEVENT_CREATE_CONN, handle);
	req->ev.u.c_conn.sid = sid;
	req->ev.u.c_conn.cid = cid;
}

void iscsi_nl_req_destroy_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			       uint32_t cid)
{
	req_init(req, ISCSI_UEVENT_DESTROY_CONN, handle);
	req->ev.u.d_conn.sid = sid;
	req->ev.u.d_conn.cid = cid;
}

void iscsi_nl_req_bind_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			    uint32_t cid, int fd, bool leading)
{
	req_init(req, ISCSI_UEVENT_BIND_CONN, handle);
	req->ev.u.b_conn.sid = sid;
	req->ev.u.b_conn.cid = cid;
	req->ev.u.b_conn.transport_eph = (uint64_t)fd;
	req->ev.u.b_conn.is_leading = leading;
}

int iscsi_nl_req_set_param(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			   uint32_t cid, enum iscsi_param param, const char *value,
			   struct sr_error *err)
{
	size_t n = strnlen(value, ISCSI_NL_VALUE_MAX);

	if (n == ISCSI_NL_VALUE_MAX)
		return sr_fail(err, EINVAL, "value for %s is longer than %d bytes",
			       iscsi_nl_param_name(param), ISCSI_NL_VALUE_MAX - 1);
	req_init(req, ISCSI_UEVENT_SET_PARAM, handle);
	req->ev.u.set_param.sid = sid;
	req->ev.u.set_param.cid = cid;
	req->ev.u.set_param.param = param;
	req->ev.u.set_param.len = (uint32_t)n + 1;
	req->data = value;
	req->len = n + 1;
	return 0;
}

void iscsi_nl_req_start_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			     uint32_t cid)
{
	req_init(req, ISCSI_UEVENT_START_CONN, handle);
	req->ev.u.start_conn.sid = sid;
	req->ev.u.start_conn.cid = cid;
}

void iscsi_nl_req_stop_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			    uint32_t cid, uint32_t flag)
{
	req_init(req, ISCSI_UEVENT_STOP_CONN, handle);
	req->ev.u.stop_conn.sid = sid;
	req->ev.u.stop_conn.cid = cid;
	req->ev.u.stop_conn.flag = flag;
}

int iscsi_nl_req_send_pdu(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			  uint32_t cid, const void *bhs, const void *data, size_t dlen,
			  struct sr_error *err)
{
	if (dlen > PDU_DATA_MAX)
		return sr_fail(err, EMSGSIZE, "PDU data of %zu bytes exceeds a 24-bit length", dlen);
	if (dlen && !data)
		return sr_fail(err, EINVAL, "PDU data length %zu without data", dlen);
	req_init(req, ISCSI_UEVENT_SEND_PDU, handle);
	req->ev.u.send_pdu.sid = sid;
	req->ev.u.send_pdu.cid = cid;
	req->ev.u.send_pdu.hdr_size = ISCSI_BHS_LEN;
	req->ev.u.send_pdu.data_size = (uint32_t)dlen;
	req->data = bhs;
	req->len = ISCSI_BHS_LEN;
	req->data2 = data;
	req->len2 = dlen;
	return 0;
}

static bool append(struct nl_msg *m, const void *data, size_t len)
{
	void *p;

	if (!len)
		return true;
	p = nlmsg_reserve(m, len, 0);
	if (!p)
		return false;
	memcpy(p, data, len);
	return true;
}

struct nl_msg *iscsi_nl_req_msg(const struct iscsi_nl_req *req)
{
	size_t total = NLMSG_HDRLEN + sizeof(req->ev) + req->len + req->len2;
	struct nl_msg *m;

	if (total > INT_MAX)
		return NULL;
	m = nlmsg_alloc_size(total);
	if (!m)
		return NULL;
	/* Payload pieces go back to back, unpadded: the kernel finds them by the sizes. */
	if (!nlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, (int)req->ev.type, 0, 0) ||
	    !append(m, &req->ev, sizeof(req->ev)) || !append(m, req->data, req->len) ||
	    !append(m, req->data2, req->len2)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* -------- Decoding -------- */

int iscsi_nl_parse(const void *buf, size_t len, uint16_t nl_type, struct iscsi_nl_event *ev,
		   struct sr_error *err)
{
	struct cursor c = cursor_make(buf, len);
	const struct iscsi_uevent *u = &ev->raw;

	memset(ev, 0, sizeof(*ev));
	if (!cursor_bytes(&c, &ev->raw, sizeof(ev->raw)))
		return sr_fail(err, EPROTO, "kernel message of %zu bytes is shorter than a uevent",
			       len);
	ev->nl_type = nl_type;
	ev->type = u->type;
	switch (u->type) {
	case ISCSI_KEVENT_IF_ERROR:
		ev->iferror = (int32_t)u->iferror;
		break;
	case ISCSI_KEVENT_RECV_PDU: {
		size_t dlen;

		ev->sid = u->r.recv_req.sid;
		ev->cid = u->r.recv_req.cid;
		if (c.rem < ISCSI_BHS_LEN)
			return sr_fail(err, EPROTO, "kernel passed up a PDU of %zu bytes, "
				       "shorter than its header", c.rem);
		/*
		 * The kernel copies the BHS (never an AHS) and the data segment,
		 * and rounds the netlink message up to 4 bytes: the length that
		 * counts is the header's DataSegmentLength.
		 */
		dlen = (size_t)c.p[5] << 16 | (size_t)c.p[6] << 8 | c.p[7];
		if (dlen > c.rem - ISCSI_BHS_LEN)
			return sr_fail(err, EPROTO, "kernel passed up %zu bytes of PDU data where "
				       "the header announces %zu", c.rem - ISCSI_BHS_LEN, dlen);
		ev->pdu = c.p;
		ev->pdu_len = ISCSI_BHS_LEN + dlen;
		break;
	}
	case ISCSI_KEVENT_CONN_ERROR:
		ev->sid = u->r.connerror.sid;
		ev->cid = u->r.connerror.cid;
		ev->code = u->r.connerror.error;
		break;
	case ISCSI_KEVENT_CONN_LOGIN_STATE:
		ev->sid = u->r.conn_login.sid;
		ev->cid = u->r.conn_login.cid;
		ev->code = u->r.conn_login.state;
		break;
	case ISCSI_UEVENT_CREATE_SESSION:
	case ISCSI_KEVENT_CREATE_SESSION:
		ev->sid = u->r.c_session_ret.sid;
		ev->host_no = u->r.c_session_ret.host_no;
		break;
	case ISCSI_KEVENT_DESTROY_SESSION:
		ev->sid = u->r.d_session.sid;
		ev->host_no = u->r.d_session.host_no;
		break;
	case ISCSI_KEVENT_UNBIND_SESSION:
		ev->sid = u->r.unbind_session.sid;
		ev->host_no = u->r.unbind_session.host_no;
		break;
	case ISCSI_UEVENT_CREATE_CONN:
		ev->sid = u->r.c_conn_ret.sid;
		ev->cid = u->r.c_conn_ret.cid;
		break;
	default:
		break;
	}
	return 0;
}

bool iscsi_nl_is_reply(const struct iscsi_nl_event *ev, uint32_t req_type)
{
	return ev->nl_type == req_type &&
	       (ev->type == req_type || ev->type == ISCSI_KEVENT_IF_ERROR);
}

const char *iscsi_nl_type_name(uint32_t type)
{
	switch (type) {
	case ISCSI_UEVENT_CREATE_SESSION:	return "CREATE_SESSION";
	case ISCSI_UEVENT_DESTROY_SESSION:	return "DESTROY_SESSION";
	case ISCSI_UEVENT_CREATE_CONN:		return "CREATE_CONN";
	case ISCSI_UEVENT_DESTROY_CONN:		return "DESTROY_CONN";
	case ISCSI_UEVENT_BIND_CONN:		return "BIND_CONN";
	case ISCSI_UEVENT_SET_PARAM:		return "SET_PARAM";
	case ISCSI_UEVENT_START_CONN:		return "START_CONN";
	case ISCSI_UEVENT_STOP_CONN:		return "STOP_CONN";
	case ISCSI_UEVENT_SEND_PDU:		return "SEND_PDU";
	case ISCSI_UEVENT_GET_STATS:		return "GET_STATS";
	case ISCSI_UEVENT_GET_PARAM:		return "GET_PARAM";
	case ISCSI_UEVENT_UNBIND_SESSION:	return "UNBIND_SESSION";
	case ISCSI_KEVENT_RECV_PDU:		return "RECV_PDU";
	case ISCSI_KEVENT_CONN_ERROR:		return "CONN_ERROR";
	case ISCSI_KEVENT_IF_ERROR:		return "IF_ERROR";
	case ISCSI_KEVENT_DESTROY_SESSION:	return "session destroyed";
	case ISCSI_KEVENT_UNBIND_SESSION:	return "session unbound";
	case ISCSI_KEVENT_CREATE_SESSION:	return "session created";
	case ISCSI_KEVENT_PATH_REQ:		return "PATH_REQ";
	case ISCSI_KEVENT_IF_DOWN:		return "IF_DOWN";
	case ISCSI_KEVENT_CONN_LOGIN_STATE:	return "CONN_LOGIN_STATE";
	case ISCSI_KEVENT_HOST_EVENT:		return "HOST_EVENT";
	case ISCSI_KEVENT_PING_COMP:		return "PING_COMP";
	default:				return "unknown message";
	}
}

const char *iscsi_nl_param_name(enum iscsi_param param)
{
	static const char *const names[] = {
		[ISCSI_PARAM_MAX_RECV_DLENGTH] = "MAX_RECV_DLENGTH",
		[ISCSI_PARAM_MAX_XMIT_DLENGTH] = "MAX_XMIT_DLENGTH",
		[ISCSI_PARAM_HDRDGST_EN] = "HDRDGST_EN",
		[ISCSI_PARAM_DATADGST_EN] = "DATADGST_EN",
		[ISCSI_PARAM_INITIAL_R2T_EN] = "INITIAL_R2T_EN",
		[ISCSI_PARAM_MAX_R2T] = "MAX_R2T",
		[ISCSI_PARAM_IMM_DATA_EN] = "IMM_DATA_EN",
		[ISCSI_PARAM_FIRST_BURST] = "FIRST_BURST",
		[ISCSI_PARAM_MAX_BURST] = "MAX_BURST",
		[ISCSI_PARAM_PDU_INORDER_EN] = "PDU_INORDER_EN",
		[ISCSI_PARAM_DATASEQ_INORDER_EN] = "DATASEQ_INORDER_EN",
		[ISCSI_PARAM_ERL] = "ERL",
		[ISCSI_PARAM_IFMARKER_EN] = "IFMARKER_EN",
		[ISCSI_PARAM_OFMARKER_EN] = "OFMARKER_EN",
		[ISCSI_PARAM_EXP_STATSN] = "EXP_STATSN",
		[ISCSI_PARAM_TARGET_NAME] = "TARGET_NAME",
		[ISCSI_PARAM_TPGT] = "TPGT",
		[ISCSI_PARAM_PERSISTENT_ADDRESS] = "PERSISTENT_ADDRESS",
		[ISCSI_PARAM_PERSISTENT_PORT] = "PERSISTENT_PORT",
		[ISCSI_PARAM_SESS_RECOVERY_TMO] = "SESS_RECOVERY_TMO",
		[ISCSI_PARAM_CONN_PORT] = "CONN_PORT",
		[ISCSI_PARAM_CONN_ADDRESS] = "CONN_ADDRESS",
		[ISCSI_PARAM_USERNAME] = "USERNAME",
		[ISCSI_PARAM_USERNAME_IN] = "USERNAME_IN",
		[ISCSI_PARAM_PASSWORD] = "PASSWORD",
		[ISCSI_PARAM_PASSWORD_IN] = "PASSWORD_IN",
		[ISCSI_PARAM_FAST_ABORT] = "FAST_ABORT",
		[ISCSI_PARAM_ABORT_TMO] = "ABORT_TMO",
		[ISCSI_PARAM_LU_RESET_TMO] = "LU_RESET_TMO",
		[ISCSI_PARAM_HOST_RESET_TMO] = "HOST_RESET_TMO",
		[ISCSI_PARAM_PING_TMO] = "PING_TMO",
		[ISCSI_PARAM_RECV_TMO] = "RECV_TMO",
		[ISCSI_PARAM_IFACE_NAME] = "IFACE_NAME",
		[ISCSI_PARAM_ISID] = "ISID",
		[ISCSI_PARAM_INITIATOR_NAME] = "INITIATOR_NAME",
		[ISCSI_PARAM_TGT_RESET_TMO] = "TGT_RESET_TMO",
		[ISCSI_PARAM_TARGET_ALIAS] = "TARGET_ALIAS",
		[ISCSI_PARAM_CHAP_IN_IDX] = "CHAP_IN_IDX",
		[ISCSI_PARAM_CHAP_OUT_IDX] = "CHAP_OUT_IDX",
		[ISCSI_PARAM_BOOT_ROOT] = "BOOT_ROOT",
		[ISCSI_PARAM_BOOT_NIC] = "BOOT_NIC",
		[ISCSI_PARAM_BOOT_TARGET] = "BOOT_TARGET",
		[ISCSI_PARAM_AUTO_SND_TGT_DISABLE] = "AUTO_SND_TGT_DISABLE",
		[ISCSI_PARAM_DISCOVERY_SESS] = "DISCOVERY_SESS",
		[ISCSI_PARAM_PORTAL_TYPE] = "PORTAL_TYPE",
		[ISCSI_PARAM_CHAP_AUTH_EN] = "CHAP_AUTH_EN",
		[ISCSI_PARAM_DISCOVERY_LOGOUT_EN] = "DISCOVERY_LOGOUT_EN",
		[ISCSI_PARAM_BIDI_CHAP_EN] = "BIDI_CHAP_EN",
		[ISCSI_PARAM_DISCOVERY_AUTH_OPTIONAL] = "DISCOVERY_AUTH_OPTIONAL",
		[ISCSI_PARAM_DEF_TIME2WAIT] = "DEF_TIME2WAIT",
		[ISCSI_PARAM_DEF_TIME2RETAIN] = "DEF_TIME2RETAIN",
		[ISCSI_PARAM_MAX_SEGMENT_SIZE] = "MAX_SEGMENT_SIZE",
		[ISCSI_PARAM_STATSN] = "STATSN",
		[ISCSI_PARAM_KEEPALIVE_TMO] = "KEEPALIVE_TMO",
		[ISCSI_PARAM_LOCAL_PORT] = "LOCAL_PORT",
		[ISCSI_PARAM_TSID] = "TSID",
		[ISCSI_PARAM_DEF_TASKMGMT_TMO] = "DEF_TASKMGMT_TMO",
	};

	if ((unsigned)param < sizeof(names) / sizeof(names[0]) && names[param])
		return names[param];
	return "unknown parameter";
}

const char *iscsi_nl_err_name(uint32_t code)
{
	switch (code) {
	case ISCSI_ERR_OK:			return "no error";
	case ISCSI_ERR_DATASN:			return "bad DataSN";
	case ISCSI_ERR_DATA_OFFSET:		return "bad data offset";
	case ISCSI_ERR_MAX_CMDSN:		return "bad MaxCmdSN";
	case ISCSI_ERR_EXP_CMDSN:		return "bad ExpCmdSN";
	case ISCSI_ERR_BAD_OPCODE:		return "unknown opcode from the target";
	case ISCSI_ERR_DATALEN:			return "PDU data longer than negotiated";
	case ISCSI_ERR_AHSLEN:			return "bad AHS length";
	case ISCSI_ERR_PROTO:			return "protocol error";
	case ISCSI_ERR_LUN:			return "bad LUN";
	case ISCSI_ERR_BAD_ITT:			return "unknown task tag from the target";
	case ISCSI_ERR_CONN_FAILED:		return "connection failed";
	case ISCSI_ERR_R2TSN:			return "bad R2TSN";
	case ISCSI_ERR_SESSION_FAILED:		return "session failed";
	case ISCSI_ERR_HDR_DGST:		return "header digest mismatch";
	case ISCSI_ERR_DATA_DGST:		return "data digest mismatch";
	case ISCSI_ERR_PARAM_NOT_FOUND:		return "parameter not found";
	case ISCSI_ERR_NO_SCSI_CMD:		return "no SCSI command for the task";
	case ISCSI_ERR_INVALID_HOST:		return "invalid host";
	case ISCSI_ERR_XMIT_FAILED:		return "send failed";
	case ISCSI_ERR_TCP_CONN_CLOSE:		return "target closed the TCP connection";
	case ISCSI_ERR_SCSI_EH_SESSION_RST:	return "session reset by SCSI error handling";
	default:				return "unknown connection error";
	}
}

/* -------- The socket -------- */


static int read_handle(const char *transport, uint64_t *handle, struct sr_error *err)
{
	char path[128], text[32];
	char *end;
	ssize_t n;
	int fd;

	if (!transport[0] || strlen(transport) > 32 || strchr(transport, '/'))
		return sr_fail(err, EINVAL, "bad iSCSI transport name");
	snprintf(path, sizeof(path), "/sys/class/iscsi_transport/%s/handle", transport);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return sr_fail_why(err, ENOENT, SR_R_KERNEL_NO_INITIATOR,
				   "no iSCSI transport '%s' in the kernel "
			       "(is iscsi_%s loaded?)", transport, transport);
	if (fd < 0)
		return sr_fail(err, errno, "%s: %s", path, strerror(errno));
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return sr_fail(err, n < 0 ? errno : EIO, "%s: unreadable", path);
	text[n] = '\0';
	errno = 0;
	*handle = strtoull(text, &end, 10);
	if (errno || end == text || (*end && *end != '\n') || *handle == 0)
		return sr_fail(err, EPROTO, "%s: not a transport handle", path);
	return 0;
}

int iscsi_nl_open(struct iscsi_nl **out, const char *transport, struct sr_error *err)
{
	struct iscsi_nl *nl;
	int rc;

	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return sr_fail(err, ENOMEM, "out of memory");
	rc = read_handle(transport, &nl->handle, err);
	if (rc < 0)
		goto err_free;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		rc = sr_fail(err, ENOMEM, "out of memory");
		goto err_free;
	}
	/* Replies carry sequence number 0 and no ACK follows them. */
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_disable_auto_ack(nl->sk);
	rc = nl_connect(nl->sk, NETLINK_ISCSI);
	if (rc < 0) {
		rc = sr_fail_why(err, EPROTONOSUPPORT, SR_R_KERNEL_NO_INITIATOR,
				 "cannot open NETLINK_ISCSI: %s "
			     "(is scsi_transport_iscsi loaded?)", nl_geterror(rc));
		goto err_sock;
	}
	rc = nl_socket_add_membership(nl->sk, ISCSI_NL_GRP_ISCSID);
	if (rc < 0) {
		rc = sr_fail(err, EPERM, "cannot join the iSCSI event group: %s", nl_geterror(rc));
		goto err_sock;
	}
	/*
	 * A full receive queue makes the kernel retry its reply in a loop, so
	 * leave room for bursts of events (best effort: rmem_max caps it).
	 */
	nl_socket_set_buffer_size(nl->sk, SOCKET_BUFFER, SOCKET_BUFFER);
	rc = nl_socket_set_nonblocking(nl->sk);
	if (rc < 0) {
		rc = sr_fail(err, EIO, "cannot make the netlink socket non-blocking: %s",
			     nl_geterror(rc));
		goto err_sock;
	}
	*out = nl;
	return 0;

err_sock:
	nl_socket_free(nl->sk);
err_free:
	free(nl);
	return rc;
}

void iscsi_nl_close(struct iscsi_nl *nl)
{
	if (!nl)
		return;
	while (nl->qcount) {
		free(nl->q[nl->qhead].buf);
		nl->qhead = (nl->qhead + 1) % ISCSI_NL_QUEUE_MAX;
		nl->qcount--;
	}
	nl_socket_free(nl->sk);
	free(nl);
}

uint64_t iscsi_nl_handle(const struct iscsi_nl *nl)
{
	return nl->handle;
}

int iscsi_nl_fd(const struct iscsi_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

/* Keep an event for iscsi_nl_recv_event(). */
static void enqueue(struct iscsi_nl *nl, const void *payload, size_t len, uint16_t nl_type)
{
	struct queued *e;
	uint32_t type;

	if (len < sizeof(struct iscsi_uevent))
		return;
	memcpy(&type, payload, sizeof(type));
	/*
	 * Only events: a stray reply (to a request that timed out) is stale, and
	 * the CREATE_SESSION event repeats what our own reply said.
	 */
	if (type < ISCSI_KEVENT_RECV_PDU || type == ISCSI_KEVENT_IF_ERROR ||
	    type == ISCSI_KEVENT_CREATE_SESSION)
		return;
	if (nl->qcount == ISCSI_NL_QUEUE_MAX) {
		nl->lost = true;
		return;
	}
	e = &nl->q[(nl->qhead + nl->qcount) % ISCSI_NL_QUEUE_MAX];
	e->buf = malloc(len);
	if (!e->buf) {
		nl->lost = true;
		return;
	}
	memcpy(e->buf, payload, len);
	e->len = len;
	e->nl_type = nl_type;
	nl->qcount++;
}

/*
 * Read what the socket holds, without blocking. With req_type set, the reply
 * to that request is parsed into reply (*found set); everything else is
 * queued. Returns 0, or -EAGAIN when nothing was there.
 */
static int drain(struct iscsi_nl *nl, uint32_t req_type, struct iscsi_nl_event *reply,
		 uint8_t **reply_buf, bool *found, struct sr_error *err)
{
	struct sockaddr_nl from;
	unsigned char *buf = NULL;
	struct nlmsghdr *h;
	bool keep = false;
	int n, rc = 0;

	n = nl_recv(nl->sk, &from, &buf, NULL);
	if (n == -NLE_AGAIN || n == 0) {
		free(buf);
		return -EAGAIN;
	}
	if (n == -NLE_NOMEM) {
		/* ENOBUFS: the kernel dropped multicast events for us. */
		nl->lost = true;
		free(buf);
		return 0;
	}
	if (n < 0)
		return sr_fail(err, EIO, "reading from NETLINK_ISCSI: %s", nl_geterror(n));
	if (from.nl_pid != 0)
		goto out;	/* only the kernel speaks here */
	for (h = (struct nlmsghdr *)buf; nlmsg_ok(h, n); h = nlmsg_next(h, &n)) {
		const void *payload = nlmsg_data(h);
		size_t plen = (size_t)nlmsg_datalen(h);
		struct iscsi_nl_event ev;

		/* Control messages; iSCSI uses netlink types 0 (events) and 11 and up (replies). */
		if (h->nlmsg_type >= NLMSG_NOOP && h->nlmsg_type <= NLMSG_OVERRUN) {
			const struct nlmsgerr *e = payload;

			if (h->nlmsg_type == NLMSG_ERROR && req_type && !*found &&
			    plen >= sizeof(*e) && e->error < 0) {
				rc = sr_fail(err, e->error, "netlink refused %s: %s",
					     iscsi_nl_type_name(req_type), strerror(-e->error));
				*found = true;
			}
			continue;
		}
		if (req_type && !*found &&
		    iscsi_nl_parse(payload, plen, h->nlmsg_type, &ev, NULL) == 0 &&
		    iscsi_nl_is_reply(&ev, req_type)) {
			*reply = ev;
			*reply_buf = buf;	/* ev may point into it */
			keep = true;
			*found = true;
			continue;
		}
		enqueue(nl, payload, plen, h->nlmsg_type);
	}
out:
	if (!keep)
		free(buf);
	return rc;
}

/* Wait until the socket is readable or the deadline passes (-1: none). */
static int wait_readable(struct iscsi_nl *nl, int64_t deadline)
{
	struct pollfd p = { .fd = iscsi_nl_fd(nl), .events = POLLIN };
	int rc, timeout;

	for (;;) {
		if (deadline < 0) {
			timeout = -1;
		} else {
			int64_t left = deadline - monotonic_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			timeout = left > INT_MAX ? INT_MAX : (int)left;
		}
		rc = poll(&p, 1, timeout);
		if (rc > 0)
			return 0;
		if (rc == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/* Send a request and wait for its reply; refusals become errors with the kernel's errno. */
static int call(struct iscsi_nl *nl, const struct iscsi_nl_req *req,
		struct iscsi_uevent *reply, struct sr_error *err)
{
	const char *name = iscsi_nl_type_name(req->ev.type);
	int64_t deadline = monotonic_ms() + ISCSI_NL_REPLY_TIMEOUT_MS;
	struct iscsi_nl_event ev;
	uint8_t *buf = NULL;
	bool found = false;
	struct nl_msg *m;
	int rc;

	m = iscsi_nl_req_msg(req);
	if (!m)
		return sr_fail(err, ENOMEM, "out of memory building %s", name);
	rc = nl_send_auto(nl->sk, m);
	nlmsg_free(m);
	if (rc < 0)
		return sr_fail(err, EIO, "sending %s to the kernel: %s", name, nl_geterror(rc));
	while (!found) {
		rc = drain(nl, req->ev.type, &ev, &buf, &found, err);
		if (rc == -EAGAIN) {
			rc = wait_readable(nl, deadline);
			if (rc == -ETIMEDOUT)
				return sr_fail(err, ETIMEDOUT, "the kernel did not answer %s", name);
			if (rc < 0)
				return sr_fail(err, rc, "waiting for the answer to %s: %s", name,
					       strerror(-rc));
			continue;
		}
		if (rc < 0)
			return rc;
	}
	*reply = ev.raw;
	free(buf);

	if (reply->type == ISCSI_KEVENT_IF_ERROR) {
		int code = (int32_t)reply->iferror;

		code = code < 0 ? code : code > 0 ? -code : -EIO;
		if (req->ev.type == ISCSI_UEVENT_CREATE_CONN && code == -ENOMEM)
			return sr_fail_why(err, code, SR_R_KERNEL_CONN_NOMEM,
					   "the kernel refused CREATE_CONN: %s "
				       "(is crc32c loaded?)", strerror(-code));
		if (req->ev.type == ISCSI_UEVENT_SET_PARAM)
			return sr_fail(err, code, "the kernel refused SET_PARAM %s: %s",
				       iscsi_nl_param_name(req->ev.u.set_param.param),
				       strerror(-code));
		return sr_fail(err, code, "the kernel refused %s: %s", name, strerror(-code));
	}
	/* The transport's own result; for the two creates these bytes hold the new ids. */
	if (req->ev.type != ISCSI_UEVENT_CREATE_SESSION &&
	    req->ev.type != ISCSI_UEVENT_CREATE_CONN && reply->r.retcode) {
		int code = reply->r.retcode < 0 ? reply->r.retcode : -reply->r.retcode;

		return sr_fail(err, code, "%s failed in the transport: %s", name, strerror(-code));
	}
	return 0;
}

int iscsi_nl_create_session(struct iscsi_nl *nl, uint32_t initial_cmdsn, uint16_t cmds_max,
			    uint16_t queue_depth, uint32_t *sid, uint32_t *host_no,
			    struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;
	int rc;

	iscsi_nl_req_create_session(&req, nl->handle, initial_cmdsn, cmds_max, queue_depth);
	rc = call(nl, &req, &rep, err);
	if (rc < 0)
		return rc;
	*sid = rep.r.c_session_ret.sid;
	if (host_no)
		*host_no = rep.r.c_session_ret.host_no;
	return 0;
}

int iscsi_nl_destroy_session(struct iscsi_nl *nl, uint32_t sid, struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;

	iscsi_nl_req_destroy_session(&req, nl->handle, sid);
	return call(nl, &req, &rep, err);
}

int iscsi_nl_create_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, uint32_t *cid_out,
			 struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;
	int rc;

	iscsi_nl_req_create_conn(&req, nl->handle, sid, cid);
	rc = call(nl, &req, &rep, err);
	if (rc < 0)
		return rc;
	if (rep.r.c_conn_ret.sid != sid)
		return sr_fail(err, EPROTO, "CREATE_CONN answered for session %u, not %u",
			       rep.r.c_conn_ret.sid, sid);
	if (cid_out)
		*cid_out = rep.r.c_conn_ret.cid;
	return 0;
}

int iscsi_nl_destroy_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;

	iscsi_nl_req_destroy_conn(&req, nl->handle, sid, cid);
	return call(nl, &req, &rep, err);
}

int iscsi_nl_bind_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, int fd, bool leading,
		       struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;

	if (fd < 0)
		return sr_fail(err, EBADF, "no socket to bind");
	iscsi_nl_req_bind_conn(&req, nl->handle, sid, cid, fd, leading);
	return call(nl, &req, &rep, err);
}

int iscsi_nl_set_param(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, enum iscsi_param param,
		       const char *value, struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;
	int rc;

	rc = iscsi_nl_req_set_param(&req, nl->handle, sid, cid, param, value, err);
	if (rc < 0)
		return rc;
	return call(nl, &req, &rep, err);
}

int iscsi_nl_set_param_uint(struct iscsi_nl *nl, uint32_t sid, uint32_t cid,
			    enum iscsi_param param, uint32_t value, struct sr_error *err)
{
	char text[12];

	snprintf(text, sizeof(text), "%u", value);
	return iscsi_nl_set_param(nl, sid, cid, param, text, err);
}

int iscsi_nl_start_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;

	iscsi_nl_req_start_conn(&req, nl->handle, sid, cid);
	return call(nl, &req, &rep, err);
}

int iscsi_nl_stop_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, uint32_t flag,
		       struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;

	iscsi_nl_req_stop_conn(&req, nl->handle, sid, cid, flag);
	return call(nl, &req, &rep, err);
}

int iscsi_nl_send_pdu(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, const void *bhs,
		      const void *data, size_t dlen, struct sr_error *err)
{
	struct iscsi_nl_req req;
	struct iscsi_uevent rep;
	int rc;

	rc = iscsi_nl_req_send_pdu(&req, nl->handle, sid, cid, bhs, data, dlen, err);
	if (rc < 0)
		return rc;
	return call(nl, &req, &rep, err);
}

unsigned iscsi_nl_drop_events(struct iscsi_nl *nl, uint32_t sid, uint32_t type)
{
	unsigned kept = 0, dropped = 0, n = nl->qcount;

	for (unsigned i = 0; i < n; i++) {
		struct queued e = nl->q[(nl->qhead + i) % ISCSI_NL_QUEUE_MAX];
		struct iscsi_nl_event ev;

		if (iscsi_nl_parse(e.buf, e.len, e.nl_type, &ev, NULL) == 0 && ev.type == type &&
		    ev.sid == sid) {
			free(e.buf);
			dropped++;
			continue;
		}
		nl->q[(nl->qhead + kept++) % ISCSI_NL_QUEUE_MAX] = e;
	}
	nl->qcount = kept;
	return dropped;
}

bool iscsi_nl_pending(const struct iscsi_nl *nl)
{
	return nl->qcount || nl->lost;
}

int iscsi_nl_recv_event(struct iscsi_nl *nl, struct iscsi_nl_event *ev, void *buf, size_t cap,
			int timeout_ms, struct sr_error *err)
{
	int64_t deadline = timeout_ms < 0 ? -1 : monotonic_ms() + timeout_ms;
	struct queued e;
	int rc;

	while (!nl->qcount) {
		if (nl->lost)
			break;
		rc = drain(nl, 0, NULL, NULL, NULL, err);
		if (rc == -EAGAIN) {
			rc = wait_readable(nl, deadline);
			if (rc == -ETIMEDOUT)
				return sr_fail(err, ETIMEDOUT, "no event from the kernel in %d ms",
					       timeout_ms);
			if (rc < 0)
				return sr_fail(err, rc, "waiting for kernel events: %s",
					       strerror(-rc));
			continue;
		}
		if (rc < 0)
			return rc;
	}
	if (nl->lost) {
		nl->lost = false;
		return sr_fail(err, ENOBUFS, "kernel events were lost (a queue overflowed)");
	}
	e = nl->q[nl->qhead];
	nl->qhead = (nl->qhead + 1) % ISCSI_NL_QUEUE_MAX;
	nl->qcount--;
	rc = iscsi_nl_parse(e.buf, e.len, e.nl_type, ev, err);
	if (rc == 0 && ev->pdu) {
		if (ev->pdu_len > cap) {
			rc = sr_fail(err, EMSGSIZE, "a PDU of %zu bytes from the kernel exceeds "
				     "the %zu-byte buffer", ev->pdu_len, cap);
		} else {
			memcpy(buf, ev->pdu, ev->pdu_len);
			ev->pdu = buf;
		}
	}
	if (rc < 0) {
		ev->pdu = NULL;
		ev->pdu_len = 0;
	}
	free(e.buf);
	return rc;
}
