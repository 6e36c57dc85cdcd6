/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel side of the iSCSI handoff: requests to the iSCSI transport class
 * over NETLINK_ISCSI (create and destroy sessions and connections, bind a
 * logged-in or fresh TCP socket, set parameters, start and stop, pass login
 * PDUs through) and the events the kernel sends back.
 */
#ifndef SANROOT_ISCSI_NL_H
#define SANROOT_ISCSI_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "iscsi/kernel/iscsi_if.h"

struct nl_msg;
struct iscsi_nl;

#define ISCSI_NL_VALUE_MAX 4096	/* the kernel refuses SET_PARAM values over a page */

/* -------- Pure encoding and decoding (no I/O), for the tests and the fuzzer -------- */

/* One request: the uevent, then up to two pieces of payload sent back to back. */
struct iscsi_nl_req {
	struct iscsi_uevent ev;
	const void *data;	/* SET_PARAM: the value and its NUL; SEND_PDU: the BHS */
	size_t len;
	const void *data2;	/* SEND_PDU: the data segment, unpadded */
	size_t len2;
};

void iscsi_nl_req_create_session(struct iscsi_nl_req *req, uint64_t handle,
				 uint32_t initial_cmdsn, uint16_t cmds_max, uint16_t queue_depth);
void iscsi_nl_req_destroy_session(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid);
void iscsi_nl_req_create_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			      uint32_t cid);
void iscsi_nl_req_destroy_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			       uint32_t cid);
void iscsi_nl_req_bind_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			    uint32_t cid, int fd, bool leading);
/* value is bounded: a NUL within ISCSI_NL_VALUE_MAX bytes, or -EINVAL. */
int iscsi_nl_req_set_param(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			   uint32_t cid, enum iscsi_param param, const char *value,
			   struct sr_error *err);
void iscsi_nl_req_start_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			     uint32_t cid);
void iscsi_nl_req_stop_conn(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			    uint32_t cid, uint32_t flag);
/* bhs: ISCSI_BHS_LEN bytes (no AHS); data: dlen bytes, unpadded, at most 16 MiB - 1. */
int iscsi_nl_req_send_pdu(struct iscsi_nl_req *req, uint64_t handle, uint32_t sid,
			  uint32_t cid, const void *bhs, const void *data, size_t dlen,
			  struct sr_error *err);

/* The netlink message for a request (type = the uevent type); NULL if out of memory. */
struct nl_msg *iscsi_nl_req_msg(const struct iscsi_nl_req *req);

/* What the kernel sent: a reply to a request, or an event. */
struct iscsi_nl_event {
	uint16_t nl_type;	/* netlink type: a reply carries its request's */
	uint32_t type;		/* uevent type: enum iscsi_uevent_type */
	int32_t iferror;	/* IF_ERROR: a negative errno */
	uint32_t sid, cid;
	uint32_t host_no;	/* CREATE/DESTROY/UNBIND_SESSION */
	uint32_t code;		/* CONN_ERROR: enum iscsi_err_code; CONN_LOGIN_STATE: the state */
	struct iscsi_uevent raw;
	const uint8_t *pdu;	/* RECV_PDU: the BHS, then its data segment (no AHS, no padding) */
	size_t pdu_len;		/* 48 + the BHS's DataSegmentLength */
};

/*
 * Decode one netlink payload (what follows the nlmsghdr) of netlink type
 * nl_type. Checks that a whole uevent is there and that a RECV_PDU carries a
 * BHS and the data its DataSegmentLength announces; ev->pdu points into buf.
 */
int iscsi_nl_parse(const void *buf, size_t len, uint16_t nl_type, struct iscsi_nl_event *ev,
		   struct sr_error *err);

/* Is ev the reply to a request of type req_type (and not an event)? */
bool iscsi_nl_is_reply(const struct iscsi_nl_event *ev, uint32_t req_type);

const char *iscsi_nl_type_name(uint32_t type);
const char *iscsi_nl_param_name(enum iscsi_param param);
const char *iscsi_nl_err_name(uint32_t code);	/* enum iscsi_err_code */

/* -------- The socket -------- */

/*
 * Open NETLINK_ISCSI, join the event group, and read the transport's handle
 * from /sys/class/iscsi_transport/TRANSPORT/handle ("tcp" for iscsi_tcp).
 * Needs CAP_SYS_ADMIN in the initial network namespace.
 */
int iscsi_nl_open(struct iscsi_nl **out, const char *transport, struct sr_error *err);
void iscsi_nl_close(struct iscsi_nl *nl);
uint64_t iscsi_nl_handle(const struct iscsi_nl *nl);
int iscsi_nl_fd(const struct iscsi_nl *nl);	/* readable when an event may be waiting */

/* How long a request waits for its reply (the kernel answers synchronously). */
#define ISCSI_NL_REPLY_TIMEOUT_MS 5000

/*
 * Requests. Each waits for its reply; events that arrive meanwhile are kept
 * (up to ISCSI_NL_QUEUE_MAX) for iscsi_nl_recv_event(), except the kernel's
 * echo of our own CREATE_SESSION. A refusal returns the kernel's errno.
 */
int iscsi_nl_create_session(struct iscsi_nl *nl, uint32_t initial_cmdsn, uint16_t cmds_max,
			    uint16_t queue_depth, uint32_t *sid, uint32_t *host_no,
			    struct sr_error *err);
int iscsi_nl_destroy_session(struct iscsi_nl *nl, uint32_t sid, struct sr_error *err);
int iscsi_nl_create_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, uint32_t *cid_out,
			 struct sr_error *err);
int iscsi_nl_destroy_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, struct sr_error *err);
/* fd: a connected TCP socket; the kernel takes a reference, the caller may close it after. */
int iscsi_nl_bind_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, int fd, bool leading,
		       struct sr_error *err);
/*
 * The kernel keeps parameters only for a bound connection: before BIND_CONN
 * everything but SESS_RECOVERY_TMO is refused with -ENOTCONN (Debian 6.1).
 */
int iscsi_nl_set_param(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, enum iscsi_param param,
		       const char *value, struct sr_error *err);
int iscsi_nl_set_param_uint(struct iscsi_nl *nl, uint32_t sid, uint32_t cid,
			    enum iscsi_param param, uint32_t value, struct sr_error *err);
int iscsi_nl_start_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, struct sr_error *err);
int iscsi_nl_stop_conn(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, uint32_t flag,
		       struct sr_error *err);
int iscsi_nl_send_pdu(struct iscsi_nl *nl, uint32_t sid, uint32_t cid, const void *bhs,
		      const void *data, size_t dlen, struct sr_error *err);

#define ISCSI_NL_QUEUE_MAX 32

/*
 * The next kernel event (RECV_PDU, CONN_ERROR, ...), waiting at most
 * timeout_ms (-1: no limit). A RECV_PDU's header and data are copied into
 * buf (cap bytes) and ev->pdu points there. -ETIMEDOUT when none came;
 * -ENOBUFS once if events were lost (the queue or the socket overflowed).
 */
int iscsi_nl_recv_event(struct iscsi_nl *nl, struct iscsi_nl_event *ev, void *buf, size_t cap,
			int timeout_ms, struct sr_error *err);

/*
 * Forget the kept events of this type for session sid (e.g. the CONN_ERROR
 * of a connection that has since been stopped and rebound: the kernel sent
 * it before the reply to that request, so it is already kept if it came).
 * Returns how many were dropped.
 */
unsigned iscsi_nl_drop_events(struct iscsi_nl *nl, uint32_t sid, uint32_t type);

/*
 * Are events already read from the socket and kept? A poll() loop on
 * iscsi_nl_fd() must ask this after every request: the fd does not show them.
 */
bool iscsi_nl_pending(const struct iscsi_nl *nl);

#endif
