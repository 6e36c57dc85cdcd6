/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The NETLINK_ISCSI ABI between userspace and the kernel's iSCSI transport
 * class (scsi_transport_iscsi), as the kernel lays it out. The kernel does
 * not export its header, so sanroot states the layout here and pins it with
 * static assertions. Values are in host byte order; a message is a netlink
 * header, one struct iscsi_uevent, then the request's payload.
 */
#ifndef SANROOT_ISCSI_IF_H
#define SANROOT_ISCSI_IF_H

#include <stddef.h>
#include <stdint.h>

#ifndef NETLINK_ISCSI
#define NETLINK_ISCSI 8
#endif

/* Multicast group the kernel sends session and connection events to. */
#define ISCSI_NL_GRP_ISCSID 1

/*
 * Message types. Requests (userspace to kernel) count from 10; the kernel's
 * events count from 100. A reply to a request carries the request's netlink
 * type; its uevent type is the request's, or ISCSI_KEVENT_IF_ERROR.
 */
enum iscsi_uevent_type {
	ISCSI_UEVENT_CREATE_SESSION		= 11,
	ISCSI_UEVENT_DESTROY_SESSION		= 12,
	ISCSI_UEVENT_CREATE_CONN		= 13,
	ISCSI_UEVENT_DESTROY_CONN		= 14,
	ISCSI_UEVENT_BIND_CONN			= 15,
	ISCSI_UEVENT_SET_PARAM			= 16,
	ISCSI_UEVENT_START_CONN			= 17,
	ISCSI_UEVENT_STOP_CONN			= 18,
	ISCSI_UEVENT_SEND_PDU			= 19,
	ISCSI_UEVENT_GET_STATS			= 20,
	ISCSI_UEVENT_GET_PARAM			= 21,
	ISCSI_UEVENT_UNBIND_SESSION		= 27,

	ISCSI_KEVENT_RECV_PDU			= 101,
	ISCSI_KEVENT_CONN_ERROR			= 102,
	ISCSI_KEVENT_IF_ERROR			= 103,
	ISCSI_KEVENT_DESTROY_SESSION		= 104,
	ISCSI_KEVENT_UNBIND_SESSION		= 105,
	ISCSI_KEVENT_CREATE_SESSION		= 106,
	ISCSI_KEVENT_PATH_REQ			= 107,
	ISCSI_KEVENT_IF_DOWN			= 108,
	ISCSI_KEVENT_CONN_LOGIN_STATE		= 109,
	ISCSI_KEVENT_HOST_EVENT			= 110,
	ISCSI_KEVENT_PING_COMP			= 111,
};

/* Why the kernel stops a connection (STOP_CONN's flag). */
#define ISCSI_STOP_CONN_TERM	1	/* for good: the session is being torn down */
#define ISCSI_STOP_CONN_SUSPEND	2
#define ISCSI_STOP_CONN_RECOVER	3	/* for a re-login: commands wait for the new connection */

/* Connection errors reported by ISCSI_KEVENT_CONN_ERROR (r.connerror.error). */
enum iscsi_err_code {
	ISCSI_ERR_OK			= 0,
	ISCSI_ERR_DATASN		= 1001,
	ISCSI_ERR_DATA_OFFSET		= 1002,
	ISCSI_ERR_MAX_CMDSN		= 1003,
	ISCSI_ERR_EXP_CMDSN		= 1004,
	ISCSI_ERR_BAD_OPCODE		= 1005,
	ISCSI_ERR_DATALEN		= 1006,
	ISCSI_ERR_AHSLEN		= 1007,
	ISCSI_ERR_PROTO			= 1008,
	ISCSI_ERR_LUN			= 1009,
	ISCSI_ERR_BAD_ITT		= 1010,
	ISCSI_ERR_CONN_FAILED		= 1011,
	ISCSI_ERR_R2TSN			= 1012,
	ISCSI_ERR_SESSION_FAILED	= 1013,
	ISCSI_ERR_HDR_DGST		= 1014,
	ISCSI_ERR_DATA_DGST		= 1015,
	ISCSI_ERR_PARAM_NOT_FOUND	= 1016,
	ISCSI_ERR_NO_SCSI_CMD		= 1017,
	ISCSI_ERR_INVALID_HOST		= 1018,
	ISCSI_ERR_XMIT_FAILED		= 1019,
	ISCSI_ERR_TCP_CONN_CLOSE	= 1020,
	ISCSI_ERR_SCSI_EH_SESSION_RST	= 1021,
};

/* Connection states in ISCSI_KEVENT_CONN_LOGIN_STATE (r.conn_login.state). */
enum iscsi_conn_login_state {
	ISCSI_CONN_STATE_FREE		= 0,
	ISCSI_CONN_STATE_XPT_WAIT	= 1,
	ISCSI_CONN_STATE_IN_LOGIN	= 2,
	ISCSI_CONN_STATE_LOGGED_IN	= 3,
	ISCSI_CONN_STATE_IN_LOGOUT	= 4,
	ISCSI_CONN_STATE_LOGOUT_REQUESTED = 5,
	ISCSI_CONN_STATE_CLEANUP_WAIT	= 6,
};

/*
 * SET_PARAM numbers. The value travels as an ASCII string after the uevent;
 * u.set_param.len counts its terminating NUL. iscsi_tcp answers -ENOSYS to
 * the ones it does not keep (IFMARKER_EN, OFMARKER_EN, ISID).
 */
enum iscsi_param {
	ISCSI_PARAM_MAX_RECV_DLENGTH		= 0,
	ISCSI_PARAM_MAX_XMIT_DLENGTH		= 1,
	ISCSI_PARAM_HDRDGST_EN			= 2,
	ISCSI_PARAM_DATADGST_EN			= 3,
	ISCSI_PARAM_INITIAL_R2T_EN		= 4,
	ISCSI_PARAM_MAX_R2T			= 5,
	ISCSI_PARAM_IMM_DATA_EN			= 6,
	ISCSI_PARAM_FIRST_BURST			= 7,
	ISCSI_PARAM_MAX_BURST			= 8,
	ISCSI_PARAM_PDU_INORDER_EN		= 9,
	ISCSI_PARAM_DATASEQ_INORDER_EN		= 10,
	ISCSI_PARAM_ERL				= 11,
	ISCSI_PARAM_IFMARKER_EN			= 12,
	ISCSI_PARAM_OFMARKER_EN			= 13,
	ISCSI_PARAM_EXP_STATSN			= 14,
	ISCSI_PARAM_TARGET_NAME			= 15,
	ISCSI_PARAM_TPGT			= 16,
	ISCSI_PARAM_PERSISTENT_ADDRESS		= 17,
	ISCSI_PARAM_PERSISTENT_PORT		= 18,
	ISCSI_PARAM_SESS_RECOVERY_TMO		= 19,
	ISCSI_PARAM_CONN_PORT			= 20,	/* read-only: from the bound socket */
	ISCSI_PARAM_CONN_ADDRESS		= 21,	/* read-only: from the bound socket */
	ISCSI_PARAM_USERNAME			= 22,
	ISCSI_PARAM_USERNAME_IN			= 23,
	ISCSI_PARAM_PASSWORD			= 24,
	ISCSI_PARAM_PASSWORD_IN			= 25,
	ISCSI_PARAM_FAST_ABORT			= 26,
	ISCSI_PARAM_ABORT_TMO			= 27,
	ISCSI_PARAM_LU_RESET_TMO		= 28,
	ISCSI_PARAM_HOST_RESET_TMO		= 29,
	ISCSI_PARAM_PING_TMO			= 30,
	ISCSI_PARAM_RECV_TMO			= 31,
	ISCSI_PARAM_IFACE_NAME			= 32,
	ISCSI_PARAM_ISID			= 33,
	ISCSI_PARAM_INITIATOR_NAME		= 34,
	ISCSI_PARAM_TGT_RESET_TMO		= 35,
	ISCSI_PARAM_TARGET_ALIAS		= 36,
	ISCSI_PARAM_CHAP_IN_IDX			= 37,
	ISCSI_PARAM_CHAP_OUT_IDX		= 38,
	ISCSI_PARAM_BOOT_ROOT			= 39,
	ISCSI_PARAM_BOOT_NIC			= 40,
	ISCSI_PARAM_BOOT_TARGET			= 41,
	ISCSI_PARAM_AUTO_SND_TGT_DISABLE	= 42,
	ISCSI_PARAM_DISCOVERY_SESS		= 43,
	ISCSI_PARAM_PORTAL_TYPE			= 44,
	ISCSI_PARAM_CHAP_AUTH_EN		= 45,
	ISCSI_PARAM_DISCOVERY_LOGOUT_EN		= 46,
	ISCSI_PARAM_BIDI_CHAP_EN		= 47,
	ISCSI_PARAM_DISCOVERY_AUTH_OPTIONAL	= 48,
	ISCSI_PARAM_DEF_TIME2WAIT		= 49,
	ISCSI_PARAM_DEF_TIME2RETAIN		= 50,
	ISCSI_PARAM_MAX_SEGMENT_SIZE		= 51,
	ISCSI_PARAM_STATSN			= 52,
	ISCSI_PARAM_KEEPALIVE_TMO		= 53,
	ISCSI_PARAM_LOCAL_PORT			= 54,
	ISCSI_PARAM_TSID			= 55,
	ISCSI_PARAM_DEF_TASKMGMT_TMO		= 56,
};

/*
 * The message body. The whole struct is 8-byte aligned, so the request union
 * (largest member 20 bytes) takes 24 and the reply union starts at 40.
 */
struct iscsi_uevent {
	uint32_t type;			/* enum iscsi_uevent_type */
	uint32_t iferror;		/* replies: a negative errno when type is IF_ERROR */
	uint64_t transport_handle;	/* /sys/class/iscsi_transport/NAME/handle */

	union {				/* requests */
		struct {
			uint32_t initial_cmdsn;
			uint16_t cmds_max;
			uint16_t queue_depth;
		} c_session;
		struct {
			uint64_t ep_handle;
			uint32_t initial_cmdsn;
			uint16_t cmds_max;
			uint16_t queue_depth;
		} c_bound_session;
		struct {
			uint32_t sid;
		} d_session;
		struct {
			uint32_t sid;
			uint32_t cid;
		} c_conn, d_conn, start_conn, get_stats;
		struct {
			uint32_t sid;
			uint32_t cid;
			uint64_t transport_eph;	/* iscsi_tcp: the socket's file descriptor */
			uint32_t is_leading;
		} b_conn;
		struct {
			uint32_t sid;
			uint32_t cid;
			uint32_t param;		/* enum iscsi_param */
			uint32_t len;		/* of the value after the uevent, NUL included */
		} set_param;
		struct {
			uint32_t sid;
			uint32_t cid;
			uint64_t conn_handle;
			uint32_t flag;		/* ISCSI_STOP_CONN_* */
		} stop_conn;
		struct {
			uint32_t sid;
			uint32_t cid;
			uint32_t hdr_size;	/* the BHS (48) after the uevent ... */
			uint32_t data_size;	/* ... then this much data, unpadded */
		} send_pdu;
		uint8_t u_bytes[20];	/* the kernel's largest request (a ping) */
	} u;

	union {				/* replies and events */
		int32_t retcode;	/* shares its bytes with c_session_ret.sid */
		struct {
			uint32_t sid;
			uint32_t host_no;
		} c_session_ret;
		struct {
			uint32_t sid;
			uint32_t cid;
		} c_conn_ret;
		struct {
			uint32_t sid;
			uint32_t host_no;
		} unbind_session;
		struct {
			uint32_t host_no;	/* note the order: host first */
			uint32_t sid;
		} d_session;
		struct {
			uint32_t sid;
			uint32_t cid;
			uint64_t recv_handle;
		} recv_req;		/* RECV_PDU: the PDU follows the uevent */
		struct {
			uint32_t sid;
			uint32_t cid;
			uint32_t error;		/* enum iscsi_err_code */
		} connerror;
		struct {
			uint32_t sid;
			uint32_t cid;
			uint32_t state;		/* enum iscsi_conn_login_state */
		} conn_login;
		uint8_t r_bytes[16];	/* the kernel's largest reply (ping completion) */
	} r;
} __attribute__((aligned(8)));

#define ISCSI_BHS_LEN 48	/* RFC 7143 §11.2: basic header segment */

_Static_assert(offsetof(struct iscsi_uevent, transport_handle) == 8, "uevent: handle at 8");
_Static_assert(offsetof(struct iscsi_uevent, u) == 16, "uevent: requests at 16");
_Static_assert(sizeof(((struct iscsi_uevent *)0)->u) == 24, "uevent: request union is 24 bytes");
_Static_assert(offsetof(struct iscsi_uevent, r) == 40, "uevent: replies at 40");
_Static_assert(sizeof(((struct iscsi_uevent *)0)->r) == 16, "uevent: reply union is 16 bytes");
_Static_assert(sizeof(struct iscsi_uevent) == 56, "uevent: 56 bytes");
_Static_assert(offsetof(struct iscsi_uevent, u.c_session.cmds_max) == 20, "c_session.cmds_max");
_Static_assert(offsetof(struct iscsi_uevent, u.c_session.queue_depth) == 22, "c_session.queue_depth");
_Static_assert(offsetof(struct iscsi_uevent, u.b_conn.transport_eph) == 24, "b_conn.transport_eph");
_Static_assert(offsetof(struct iscsi_uevent, u.b_conn.is_leading) == 32, "b_conn.is_leading");
_Static_assert(offsetof(struct iscsi_uevent, u.set_param.param) == 24, "set_param.param");
_Static_assert(offsetof(struct iscsi_uevent, u.set_param.len) == 28, "set_param.len");
_Static_assert(offsetof(struct iscsi_uevent, u.stop_conn.conn_handle) == 24, "stop_conn.conn_handle");
_Static_assert(offsetof(struct iscsi_uevent, u.stop_conn.flag) == 32, "stop_conn.flag");
_Static_assert(offsetof(struct iscsi_uevent, u.send_pdu.data_size) == 28, "send_pdu.data_size");
_Static_assert(offsetof(struct iscsi_uevent, r.c_session_ret.host_no) == 44, "c_session_ret.host_no");
_Static_assert(offsetof(struct iscsi_uevent, r.d_session.sid) == 44, "d_session.sid");
_Static_assert(offsetof(struct iscsi_uevent, r.recv_req.recv_handle) == 48, "recv_req.recv_handle");
_Static_assert(offsetof(struct iscsi_uevent, r.connerror.error) == 48, "connerror.error");

#endif
