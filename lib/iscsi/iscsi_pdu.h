/* SPDX-License-Identifier: GPL-2.0-only */
/* iSCSI PDU framing: the BHS, AHS, data segment, padding and digests (RFC 7143 §11). */
#ifndef SANROOT_ISCSI_PDU_H
#define SANROOT_ISCSI_PDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/error.h"

#define ISCSI_BHS_LEN     48
#define ISCSI_AHS_MAX     1020		/* TotalAHSLength counts 4-byte words in one byte */
#define ISCSI_DIGEST_LEN  4
#define ISCSI_DSL_LIMIT   0xffffffu	/* DataSegmentLength is 24 bits */
#define ISCSI_RSVD_TAG    0xffffffffu	/* the reserved ITT / TTT value */

/* Opcodes (RFC 7143 §11.1.1), without the immediate bit. */
enum iscsi_opcode {
	ISCSI_OP_NOP_OUT	= 0x00,
	ISCSI_OP_SCSI_CMD	= 0x01,
	ISCSI_OP_TMF_REQ	= 0x02,
	ISCSI_OP_LOGIN_REQ	= 0x03,
	ISCSI_OP_TEXT_REQ	= 0x04,
	ISCSI_OP_DATA_OUT	= 0x05,
	ISCSI_OP_LOGOUT_REQ	= 0x06,
	ISCSI_OP_SNACK		= 0x10,
	ISCSI_OP_NOP_IN		= 0x20,
	ISCSI_OP_SCSI_RSP	= 0x21,
	ISCSI_OP_TMF_RSP	= 0x22,
	ISCSI_OP_LOGIN_RSP	= 0x23,
	ISCSI_OP_TEXT_RSP	= 0x24,
	ISCSI_OP_DATA_IN	= 0x25,
	ISCSI_OP_LOGOUT_RSP	= 0x26,
	ISCSI_OP_R2T		= 0x31,
	ISCSI_OP_ASYNC		= 0x32,
	ISCSI_OP_REJECT		= 0x3f,
};

#define ISCSI_OPCODE_MASK 0x3f
#define ISCSI_IMMEDIATE   0x40	/* byte 0 of initiator PDUs */
#define ISCSI_FLAG_F      0x80	/* byte 1: final */

/* Login (§11.12, §11.13): byte 1 */
#define ISCSI_LOGIN_T     0x80
#define ISCSI_LOGIN_C     0x40
#define ISCSI_LOGIN_CSG(b) (((b) >> 2) & 3)
#define ISCSI_LOGIN_NSG(b) ((b) & 3)
enum iscsi_stage { ISCSI_SECURITY = 0, ISCSI_OPERATIONAL = 1, ISCSI_FULL_FEATURE = 3 };

/* Text (§11.10, §11.11): byte 1 */
#define ISCSI_TEXT_C      0x40

/* SCSI Command (§11.3): byte 1 */
#define ISCSI_CMD_R       0x40
#define ISCSI_CMD_W       0x20
#define ISCSI_ATTR_SIMPLE 1

/* SCSI Response (§11.4) and Data-In (§11.7): byte 1 */
#define ISCSI_RSP_o       0x10	/* bidirectional read residual overflow */
#define ISCSI_RSP_u       0x08
#define ISCSI_RSP_O       0x04	/* residual overflow */
#define ISCSI_RSP_U       0x02	/* residual underflow */
#define ISCSI_DATAIN_A    0x40
#define ISCSI_DATAIN_S    0x01	/* status present */

/*
 * One PDU. For one being sent, ahs and data point at the caller's bytes;
 * for one received, into the receiver's buffer until its next PDU. data_len
 * counts the data segment without padding; the BHS length fields are set
 * by the framing code, never trusted from the caller.
 */
struct iscsi_pdu {
	uint8_t bhs[ISCSI_BHS_LEN];
	const uint8_t *ahs;
	size_t ahs_len;
	const uint8_t *data;
	size_t data_len;
};

static inline uint16_t iscsi_get16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] << 8 | p[off + 1]);
}

static inline uint32_t iscsi_get24(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] << 16 | (uint32_t)p[off + 1] << 8 | p[off + 2];
}

static inline uint32_t iscsi_get32(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
	       (uint32_t)p[off + 2] << 8 | p[off + 3];
}

static inline uint64_t iscsi_get64(const uint8_t *p, size_t off)
{
	return (uint64_t)iscsi_get32(p, off) << 32 | iscsi_get32(p, off + 4);
}

static inline void iscsi_put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)(v >> 8);
	p[off + 1] = (uint8_t)v;
}

static inline void iscsi_put24(uint8_t *p, size_t off, uint32_t v)
{
	p[off] = (uint8_t)(v >> 16);
	p[off + 1] = (uint8_t)(v >> 8);
	p[off + 2] = (uint8_t)v;
}

static inline void iscsi_put32(uint8_t *p, size_t off, uint32_t v)
{
	p[off] = (uint8_t)(v >> 24);
	p[off + 1] = (uint8_t)(v >> 16);
	p[off + 2] = (uint8_t)(v >> 8);
	p[off + 3] = (uint8_t)v;
}

static inline void iscsi_put64(uint8_t *p, size_t off, uint64_t v)
{
	iscsi_put32(p, off, (uint32_t)(v >> 32));
	iscsi_put32(p, off + 4, (uint32_t)v);
}

static inline uint8_t iscsi_opcode(const uint8_t *bhs)
{
	return bhs[0] & ISCSI_OPCODE_MASK;
}

static inline uint32_t iscsi_itt(const uint8_t *bhs)
{
	return iscsi_get32(bhs, 16);
}

/* Serial number arithmetic on 32-bit sequence numbers (RFC 1982, RFC 7143 §4.2.2.1). */
static inline bool iscsi_sn_lt(uint32_t a, uint32_t b)
{
	return a != b && (int32_t)(a - b) < 0;
}

static inline uint32_t iscsi_pad4(size_t n)
{
	return (uint32_t)((4 - (n & 3)) & 3);
}

/* The name of an opcode, for logs ("Login Response"); "opcode 0xNN" if unknown. */
const char *iscsi_opcode_name(uint8_t opcode, char *buf, size_t len);

/* One line describing a PDU's header for debug logs; no data segment contents. */
char *iscsi_pdu_describe(const struct iscsi_pdu *pdu, char *buf, size_t len);

/* LUN field encoding (SAM-5 §4.7): peripheral (< 256) or flat space (< 16384). */
void iscsi_lun_encode(uint64_t lun, uint8_t out[8]);
uint64_t iscsi_lun_decode(const uint8_t in[8]);

/*
 * Sending: frame a PDU into a header block (BHS, AHS, header digest) and a
 * trailer (padding, data digest); the data segment itself goes between them
 * unchanged, so a writev() of the three is the PDU on the wire.
 */
struct iscsi_frame {
	uint8_t head[ISCSI_BHS_LEN + ISCSI_AHS_MAX + ISCSI_DIGEST_LEN];
	size_t head_len;
	uint8_t tail[3 + ISCSI_DIGEST_LEN];
	size_t tail_len;
};

int iscsi_frame(const struct iscsi_pdu *pdu, bool hdigest, bool ddigest,
		struct iscsi_frame *f, struct sr_error *err);

/*
 * Receiving: a decoder that takes a byte stream in pieces of any size and
 * yields whole PDUs, checking lengths against what we accept and digests
 * when they are on. Bytes go straight into its buffer: ask iscsi_rx_space()
 * where and how many, write them there, then call iscsi_rx_advance().
 */
struct iscsi_rx {
	uint8_t *buf;
	size_t cap;
	uint32_t max_data;	/* the largest data segment accepted: what we declared */
	bool hdigest, ddigest;
	size_t have;		/* bytes of the current PDU received */
	size_t need;		/* its whole length, once the BHS is in; else ISCSI_BHS_LEN */
	size_t ahs, dsl, hlen;	/* of the current PDU, once its BHS is in */
	bool header_done;	/* the BHS is in */
	bool head_ready;	/* BHS, AHS and header digest are in, and checked */
	bool delivered;		/* buf holds a PDU already handed out */
	uint8_t *dst;		/* where the data segment goes, when steered */
};

int iscsi_rx_init(struct iscsi_rx *rx, uint32_t max_data, struct sr_error *err);
void iscsi_rx_free(struct iscsi_rx *rx);
/* Change the limits between PDUs (after login: digests, our declared length). */
int iscsi_rx_configure(struct iscsi_rx *rx, uint32_t max_data, bool hdigest, bool ddigest,
		       struct sr_error *err);
uint8_t *iscsi_rx_space(struct iscsi_rx *rx, size_t *want);
/* 1: a PDU is complete in *pdu; 0: more bytes needed; < 0: the stream is broken. */
int iscsi_rx_advance(struct iscsi_rx *rx, size_t n, struct iscsi_pdu *pdu, struct sr_error *err);
/*
 * Between the header and the data segment of a PDU (once advance() returned
 * 0 with the header complete), a reader may send the data segment straight
 * to where it belongs, without a copy: head_ready() says when and shows the
 * checked BHS, steer() names the place (dsl bytes). The PDU's data then
 * points there; digests are checked all the same.
 */
bool iscsi_rx_head_ready(const struct iscsi_rx *rx, const uint8_t **bhs, size_t *dsl);
void iscsi_rx_steer(struct iscsi_rx *rx, uint8_t *dst);
/* The same, copying from a buffer; *p and *n move past what was consumed. */
int iscsi_rx_push(struct iscsi_rx *rx, const uint8_t **p, size_t *n, struct iscsi_pdu *pdu,
		  struct sr_error *err);

/*
 * How PDUs travel. The login engine and the full-feature layer only ever
 * send one PDU or wait for one; a plain TCP socket (lib/iscsi/iscsi_tcp.c) is one
 * implementation, the kernel's NETLINK_ISCSI PDU passthrough another.
 * Deadlines are CLOCK_MONOTONIC milliseconds (monotonic_ms(), core/clock.h).
 */
struct iscsi_transport {
	int (*send)(struct iscsi_transport *t, const struct iscsi_pdu *pdu, int64_t deadline,
		    struct sr_error *err);
	/* The PDU's ahs and data stay valid until the next recv. */
	int (*recv)(struct iscsi_transport *t, struct iscsi_pdu *pdu, int64_t deadline,
		    struct sr_error *err);
	/* Start header and data digests with the next PDU (after the login). */
	int (*set_digests)(struct iscsi_transport *t, bool header, bool data, uint32_t max_recv,
			   struct sr_error *err);
	bool itt_rewritten;	/* the transport replaces ITTs (kernel passthrough) */
	/*
	 * Optional, set by the full-feature layer: where the data segment of
	 * the PDU whose (checked) BHS this is should land, or NULL for the
	 * transport's own buffer. A transport may ignore it.
	 */
	uint8_t *(*steer)(void *ctx, const uint8_t *bhs, size_t dsl);
	void *steer_ctx;
};

/*
 * Progress and diagnostics from lib/: the program decides what to print.
 * Levels are syslog's (4 warning, 6 info, 7 debug). Messages never hold
 * secrets. fn may be NULL.
 */
enum { ISCSI_LOG_WARN = 4, ISCSI_LOG_NOTICE = 5, ISCSI_LOG_INFO = 6, ISCSI_LOG_DEBUG = 7,
       ISCSI_LOG_TRACE = 8 /* debug, and the login's key=value pairs */ };

struct iscsi_log {
	void (*fn)(void *ctx, int level, const char *msg);
	void *ctx;
	int max_level;		/* messages above it are not even formatted */
};

__attribute__((format(printf, 3, 4)))
void iscsi_logf(const struct iscsi_log *log, int level, const char *fmt, ...);

#endif
