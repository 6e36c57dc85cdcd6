/* SPDX-License-Identifier: GPL-2.0-only */
/* The iSCSI login: security, then operational negotiation, then full feature (RFC 7143 §6, §12, §13). */
#ifndef SANROOT_ISCSI_LOGIN_H
#define SANROOT_ISCSI_LOGIN_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/chap.h"
#include "iscsi/iscsi_pdu.h"
#include "iscsi/iscsi_text.h"

#define ISCSI_LOGIN_TEXT_MAX 16384	/* the most text one login exchange may carry either way */
#define ISCSI_LOGIN_PDU_DATA 8192	/* login PDUs carry at most this (§13.12's default) */
#define ISCSI_LOGIN_EXCHANGES 24	/* request/response pairs before we call it a loop */

enum iscsi_digest_offer {
	ISCSI_DIGEST_NONE,		/* "None" */
	ISCSI_DIGEST_PREFER_NONE,	/* "None,CRC32C": what the target requires, else none */
	ISCSI_DIGEST_PREFER_CRC32C,	/* "CRC32C,None" */
	ISCSI_DIGEST_CRC32C,		/* "CRC32C": refuse a target without it */
};

/*
 * The operational values of a connection and its session (§13). As an
 * offer, what we propose; as a result, what was negotiated. The kernel
 * handoff programs exactly these.
 */
struct iscsi_op_params {
	uint32_t max_recv_dsl;		/* MaxRecvDataSegmentLength we declare: the target's limit */
	uint32_t max_xmit_dsl;		/* MaxRecvDataSegmentLength the target declared: ours */
	uint32_t first_burst;		/* FirstBurstLength */
	uint32_t max_burst;		/* MaxBurstLength */
	bool immediate_data;		/* ImmediateData */
	bool initial_r2t;		/* InitialR2T */
	bool header_digest;		/* HeaderDigest=CRC32C (results only; offers use the enum) */
	bool data_digest;		/* DataDigest=CRC32C */
	uint8_t erl;			/* ErrorRecoveryLevel */
	uint16_t time2wait;		/* DefaultTime2Wait */
	uint16_t time2retain;		/* DefaultTime2Retain */
	uint16_t max_outstanding_r2t;	/* MaxOutstandingR2T */
	bool data_pdu_in_order;		/* DataPDUInOrder */
	bool data_seq_in_order;		/* DataSequenceInOrder */
	uint16_t max_connections;	/* MaxConnections */
};

/* RFC 7143's defaults: what a key means when nobody negotiated it. */
void iscsi_op_rfc_defaults(struct iscsi_op_params *o);
/* What sanroot offers: open-iscsi's values, which the kernel's iscsi_tcp handles well. */
void iscsi_op_offer_defaults(struct iscsi_op_params *o);

/* CHAP credentials: name and secret NULL for none; target_* set for mutual CHAP. */
struct iscsi_chap_creds {
	const char *name;
	const char *secret;
	const char *target_name;	/* the CHAP_N the target must answer with */
	const char *target_secret;
};

struct iscsi_login_params {
	const char *initiator_name;
	const char *initiator_alias;	/* optional */
	const char *target_name;	/* NULL or "": a discovery session */
	struct iscsi_chap_creds chap;
	uint8_t chap_algs[CHAP_ALGS_MAX];	/* CHAP_A offered, preferred first; none: the default */
	unsigned nchap_algs;
	bool md5_allowed;		/* CHAP_A=5 may be used (sanroot.md5) */
	bool noauth_allowed;		/* the target may skip CHAP (sanroot.noauth) */
	bool chap7_sha1;		/* read CHAP_A=7 as tgt's SHA-1 rather than SHA-256 */
	uint8_t isid[6];
	uint16_t tsih;			/* 0: a new session */
	uint16_t cid;
	uint32_t cmdsn;			/* carried by every login request; the session's first CmdSN */
	uint32_t exp_statsn;		/* for a connection that continues a session; else 0 */
	int expect_tpgt;		/* -1: any portal group */
	struct iscsi_op_params offer;
	enum iscsi_digest_offer header_digest, data_digest;
	const struct iscsi_log *log;
};

/* What the login established: everything the kernel handoff needs. */
struct iscsi_login_result {
	uint8_t isid[6];
	uint16_t tsih;
	uint16_t cid;
	uint32_t cmdsn;			/* the CmdSN the login requests carried: the first command's */
	uint32_t statsn;		/* the last login response's StatSN; ExpStatSN is one more */
	uint32_t exp_cmdsn, max_cmdsn;
	int tpgt;			/* TargetPortalGroupTag, -1 if the target declared none */
	char target_alias[ISCSI_VALUE_MAX + 1];
	struct iscsi_op_params neg;
	uint8_t chap_alg;		/* the CHAP_A used, 0 without CHAP */
	bool chap7_sha1;		/* ... read as tgt's SHA-1 */
	bool mutual;			/* the target proved it knows its secret */
	bool chap_rejected;		/* failed: the target refused our CHAP response */
	uint16_t status;		/* the last Status-Class << 8 | Status-Detail */
	struct hostport redirect;	/* on ISCSI_LOGIN_REDIRECT: where to go */
	bool redirect_permanent;
};

enum {
	ISCSI_LOGIN_DONE = 0,		/* in full feature phase */
	ISCSI_LOGIN_REDIRECT = 1,	/* result.redirect names the portal to try */
	ISCSI_LOGIN_CONTINUE = 2,	/* (state machine) send the next request */
};

/* A random-type ISID (RFC 7143 §11.12.5, T = 10b). Never blocks on the kernel's entropy. */
void iscsi_isid_make(uint8_t isid[6]);

/*
 * The whole login over a transport, each response awaited until deadline.
 * Returns ISCSI_LOGIN_DONE, ISCSI_LOGIN_REDIRECT, or < 0 with err saying why
 * (-EACCES authentication, -ENOENT no such target, -EPROTO a broken target,
 * -EAGAIN/-EBUSY/-EIO the target asks to come back later, -ETIMEDOUT ...).
 */
int iscsi_login(struct iscsi_transport *t, const struct iscsi_login_params *p,
		struct iscsi_login_result *r, int64_t deadline, struct sr_error *err);

/* The state machine under iscsi_login(): no I/O, so tests and fuzzers drive it with bytes. */
enum iscsi_login_step {
	STEP_SEC_AUTHMETHOD,	/* AuthMethod offered */
	STEP_SEC_CHAP_A,	/* CHAP_A offered */
	STEP_SEC_CHAP_R,	/* CHAP_N/CHAP_R (and our challenge) sent */
	STEP_SEC_TRANSIT,	/* security done, asking to move on */
	STEP_OP,		/* operational keys offered */
	STEP_OP_TRANSIT,	/* answered the target's offers, asking to move on */
	STEP_DONE,
};

struct iscsi_login {
	const struct iscsi_login_params *p;
	struct iscsi_login_result *r;
	enum iscsi_login_step step;
	uint8_t csg, nsg;
	uint32_t itt;
	uint32_t exp_statsn;
	unsigned exchanges;
	bool first_sent;
	bool discovery;
	/* The text of the current request, sent in chunks of ISCSI_LOGIN_PDU_DATA. */
	uint8_t out[ISCSI_LOGIN_TEXT_MAX];
	size_t out_len, out_off, chunk;
	/* The target's text, gathered across C-bit continuations. */
	uint8_t in[ISCSI_LOGIN_TEXT_MAX];
	size_t in_len;
	bool in_partial;
	/* Answers we owe for keys the target offered. */
	uint8_t owe[1024];
	size_t owe_len;
	bool owe_overflow;
	uint32_t offered, answered;	/* bits per operational key */
	bool saw_tpgt;
	/* CHAP */
	uint8_t chap_id;
	uint8_t challenge[CHAP_DIGEST_MAX];
	size_t challenge_len;
	uint8_t their_challenge[CHAP_CHALLENGE_MAX];
	size_t their_challenge_len;
	bool random_waited;
};

int iscsi_login_begin(struct iscsi_login *l, const struct iscsi_login_params *p,
		      struct iscsi_login_result *r, struct sr_error *err);
/* The next request; its data points into l. */
void iscsi_login_request(struct iscsi_login *l, struct iscsi_pdu *req);
/* ISCSI_LOGIN_DONE, ISCSI_LOGIN_REDIRECT, ISCSI_LOGIN_CONTINUE or < 0. */
int iscsi_login_response(struct iscsi_login *l, const struct iscsi_pdu *rsp, struct sr_error *err);
/* Wipe what the exchange held. */
void iscsi_login_end(struct iscsi_login *l);

/* The meaning of a login Status-Class/Detail (§11.13.5), for messages. */
const char *iscsi_login_status_text(uint16_t status);

#endif
