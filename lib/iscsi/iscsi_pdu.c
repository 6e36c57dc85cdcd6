// SPDX-License-Identifier: GPL-2.0-only
/* iSCSI PDU framing and stream decoding (RFC 7143 §11.2, digests §13.1). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/crc32c.h"
#include "iscsi/iscsi_pdu.h"

static const struct {
	uint8_t op;
	const char *name;
} opnames[] = {
	{ ISCSI_OP_NOP_OUT, "NOP-Out" },
	{ ISCSI_OP_SCSI_CMD, "SCSI Command" },
	{ ISCSI_OP_TMF_REQ, "Task Management Request" },
	{ ISCSI_OP_LOGIN_REQ, "Login Request" },
	{ ISCSI_OP_TEXT_REQ, "Text Request" },
	{ ISCSI_OP_DATA_OUT, "Data-Out" },
	{ ISCSI_OP_LOGOUT_REQ, "Logout Request" },
	{ ISCSI_OP_SNACK, "SNACK" },
	{ ISCSI_OP_NOP_IN, "NOP-In" },
	{ ISCSI_OP_SCSI_RSP, "SCSI Response" },
	{ ISCSI_OP_TMF_RSP, "Task Management Response" },
	{ ISCSI_OP_LOGIN_RSP, "Login Response" },
	{ ISCSI_OP_TEXT_RSP, "Text Response" },
	{ ISCSI_OP_DATA_IN, "Data-In" },
	{ ISCSI_OP_LOGOUT_RSP, "Logout Response" },
	{ ISCSI_OP_R2T, "R2T" },
	{ ISCSI_OP_ASYNC, "Async Message" },
	{ ISCSI_OP_REJECT, "Reject" },
};

const char *iscsi_opcode_name(uint8_t opcode, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(opnames) / sizeof(opnames[0]); i++)
		if (opnames[i].op == opcode)
			return opnames[i].name;
	snprintf(buf, len, "opcode 0x%02x", opcode);
	return buf;
}

char *iscsi_pdu_describe(const struct iscsi_pdu *pdu, char *buf, size_t len)
{
	const uint8_t *h = pdu->bhs;
	uint8_t op = iscsi_opcode(h);
	char tmp[16];
	int n;

	n = snprintf(buf, len, "%s%s flags=0x%02x itt=0x%08x dlen=%zu",
		     iscsi_opcode_name(op, tmp, sizeof(tmp)),
		     (h[0] & ISCSI_IMMEDIATE) && !(op & 0x20) ? " (I)" : "",
		     h[1], iscsi_itt(h), pdu->data_len);
	if (n < 0 || (size_t)n >= len)
		return buf;
	switch (op) {
	case ISCSI_OP_LOGIN_REQ:
	case ISCSI_OP_LOGIN_RSP:
		n += snprintf(buf + n, len - (size_t)n, " T=%d C=%d CSG=%d NSG=%d",
			      !!(h[1] & ISCSI_LOGIN_T), !!(h[1] & ISCSI_LOGIN_C),
			      ISCSI_LOGIN_CSG(h[1]), ISCSI_LOGIN_NSG(h[1]));
		if (op == ISCSI_OP_LOGIN_RSP && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, " tsih=%u statsn=%u status=0x%02x%02x",
				 iscsi_get16(h, 14), iscsi_get32(h, 24), h[36], h[37]);
		else if ((size_t)n < len)
			snprintf(buf + n, len - (size_t)n, " cmdsn=%u", iscsi_get32(h, 24));
		break;
	case ISCSI_OP_SCSI_CMD:
		snprintf(buf + n, len - (size_t)n, " edtl=%u cmdsn=%u cdb=%02x",
			 iscsi_get32(h, 20), iscsi_get32(h, 24), h[32]);
		break;
	case ISCSI_OP_SCSI_RSP:
		snprintf(buf + n, len - (size_t)n, " response=%u status=0x%02x statsn=%u residual=%u",
			 h[2], h[3], iscsi_get32(h, 24), iscsi_get32(h, 44));
		break;
	case ISCSI_OP_DATA_IN:
	case ISCSI_OP_DATA_OUT:
		snprintf(buf + n, len - (size_t)n, " datasn=%u offset=%u",
			 iscsi_get32(h, 36), iscsi_get32(h, 40));
		break;
	case ISCSI_OP_R2T:
		snprintf(buf + n, len - (size_t)n, " ttt=0x%08x r2tsn=%u offset=%u length=%u",
			 iscsi_get32(h, 20), iscsi_get32(h, 36), iscsi_get32(h, 40), iscsi_get32(h, 44));
		break;
	default:
		if (op & 0x20)
			snprintf(buf + n, len - (size_t)n, " statsn=%u expcmdsn=%u maxcmdsn=%u",
				 iscsi_get32(h, 24), iscsi_get32(h, 28), iscsi_get32(h, 32));
		break;
	}
	return buf;
}

void iscsi_lun_encode(uint64_t lun, uint8_t out[8])
{
	memset(out, 0, 8);
	if (lun < 256) {
		out[1] = (uint8_t)lun;		/* peripheral device addressing, bus 0 */
	} else {
		out[0] = (uint8_t)(0x40 | ((lun >> 8) & 0x3f));	/* flat space */
		out[1] = (uint8_t)lun;
	}
}

uint64_t iscsi_lun_decode(const uint8_t in[8])
{
	switch (in[0] >> 6) {
	case 0:		/* peripheral: bus in the low bits of byte 0 */
	case 1:		/* flat space */
		return (uint64_t)(in[0] & 0x3f) << 8 | in[1];
	default:	/* logical unit / extended addressing: keep the whole field */
		return iscsi_get64(in, 0);
	}
}

int iscsi_frame(const struct iscsi_pdu *pdu, bool hdigest, bool ddigest,
		struct iscsi_frame *f, struct sr_error *err)
{
	uint32_t crc;
	size_t pad;

	if (pdu->ahs_len > ISCSI_AHS_MAX || pdu->ahs_len % 4)
		return sr_fail(err, EINVAL, "AHS of %zu bytes cannot be sent", pdu->ahs_len);
	if (pdu->data_len > ISCSI_DSL_LIMIT)
		return sr_fail(err, EINVAL, "data segment of %zu bytes cannot be sent", pdu->data_len);
	memcpy(f->head, pdu->bhs, ISCSI_BHS_LEN);
	f->head[4] = (uint8_t)(pdu->ahs_len / 4);
	iscsi_put24(f->head, 5, (uint32_t)pdu->data_len);
	if (pdu->ahs_len)
		memcpy(f->head + ISCSI_BHS_LEN, pdu->ahs, pdu->ahs_len);
	f->head_len = ISCSI_BHS_LEN + pdu->ahs_len;
	if (hdigest) {
		crc = crc32c(0, f->head, f->head_len);
		for (int i = 0; i < 4; i++)
			f->head[f->head_len++] = (uint8_t)(crc >> (8 * i));
	}
	f->tail_len = 0;
	if (pdu->data_len == 0)
		return 0;
	pad = iscsi_pad4(pdu->data_len);
	memset(f->tail, 0, pad);
	f->tail_len = pad;
	if (ddigest) {
		crc = crc32c(0, pdu->data, pdu->data_len);
		crc = crc32c(crc, f->tail, pad);
		for (int i = 0; i < 4; i++)
			f->tail[f->tail_len++] = (uint8_t)(crc >> (8 * i));
	}
	return 0;
}

static size_t rx_capacity(uint32_t max_data)
{
	return ISCSI_BHS_LEN + ISCSI_AHS_MAX + ISCSI_DIGEST_LEN + (size_t)max_data + 3 + ISCSI_DIGEST_LEN;
}

int iscsi_rx_init(struct iscsi_rx *rx, uint32_t max_data, struct sr_error *err)
{
	memset(rx, 0, sizeof(*rx));
	rx->need = ISCSI_BHS_LEN;
	return iscsi_rx_configure(rx, max_data, false, false, err);
}

void iscsi_rx_free(struct iscsi_rx *rx)
{
	free(rx->buf);
	rx->buf = NULL;
	rx->cap = 0;
}

int iscsi_rx_configure(struct iscsi_rx *rx, uint32_t max_data, bool hdigest, bool ddigest,
		       struct sr_error *err)
{
	size_t cap;

	if (max_data > ISCSI_DSL_LIMIT)
		return sr_fail(err, EINVAL, "a data segment limit of %u bytes is above the 24-bit maximum", max_data);
	if (rx->have && !rx->delivered)
		return sr_fail(err, EBUSY, "cannot change PDU limits in the middle of a PDU");
	cap = rx_capacity(max_data);
	if (cap > rx->cap) {
		uint8_t *b = realloc(rx->buf, cap);

		if (!b)
			return sr_fail(err, ENOMEM, "no memory for a %zu-byte receive buffer", cap);
		rx->buf = b;
		rx->cap = cap;
	}
	rx->max_data = max_data;
	rx->hdigest = hdigest;
	rx->ddigest = ddigest;
	return 0;
}

static void rx_reset(struct iscsi_rx *rx)
{
	rx->have = 0;
	rx->need = ISCSI_BHS_LEN;
	rx->header_done = false;
	rx->head_ready = false;
	rx->delivered = false;
	rx->dst = NULL;
}

uint8_t *iscsi_rx_space(struct iscsi_rx *rx, size_t *want)
{
	size_t end;

	if (rx->delivered)
		rx_reset(rx);
	if (!rx->dst) {
		/* Stop after the header, so that the data segment can still be steered. */
		*want = (rx->header_done && !rx->head_ready ? rx->hlen : rx->need) - rx->have;
		return rx->buf + rx->have;
	}
	/* Steered: the data segment goes to dst, the padding and digest after the header. */
	end = rx->hlen + rx->dsl;
	if (rx->have < end) {
		*want = end - rx->have;
		return rx->dst + (rx->have - rx->hlen);
	}
	*want = rx->need - rx->have;
	return rx->buf + rx->hlen + (rx->have - end);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool iscsi_rx_head_ready(const struct iscsi_rx *rx, const uint8_t **bhs, size_t *dsl)
{
	if (!rx->head_ready || rx->dst || rx->have != rx->hlen)
		return false;
	*bhs = rx->buf;
	*dsl = rx->dsl;
	return true;
}

void iscsi_rx_steer(struct iscsi_rx *rx, uint8_t *dst)
{
	if (rx->head_ready && rx->have == rx->hlen && rx->dsl)
		rx->dst = dst;
}

int iscsi_rx_advance(struct iscsi_rx *rx, size_t n, struct iscsi_pdu *pdu, struct sr_error *err)
{
	const uint8_t *data;

	if (rx->delivered)
		rx_reset(rx);
	if (n > rx->need - rx->have)
		return sr_fail(err, EINVAL, "receive buffer overrun");
	rx->have += n;

	if (!rx->header_done) {
		if (rx->have < ISCSI_BHS_LEN)
			return 0;
		/* The BHS is in: now the whole length is known, and checked. */
		rx->ahs = (size_t)rx->buf[4] * 4;
		rx->dsl = iscsi_get24(rx->buf, 5);
		rx->hlen = ISCSI_BHS_LEN + rx->ahs + (rx->hdigest ? ISCSI_DIGEST_LEN : 0);
		if (rx->dsl > rx->max_data)
			return sr_fail(err, EMSGSIZE,
				       "the target sent a %zu-byte data segment; we accept at most %u",
				       rx->dsl, rx->max_data);
		rx->header_done = true;
		rx->need = rx->hlen + (rx->dsl ? rx->dsl + iscsi_pad4(rx->dsl) +
				       (rx->ddigest ? ISCSI_DIGEST_LEN : 0) : 0);
	}
	if (!rx->head_ready) {
		if (rx->have < rx->hlen)
			return 0;
		if (rx->hdigest &&
		    get_le32(rx->buf + ISCSI_BHS_LEN + rx->ahs) != crc32c(0, rx->buf, ISCSI_BHS_LEN + rx->ahs))
			return sr_fail(err, EBADMSG, "header digest mismatch");
		/* Header checked: the caller may now steer the data segment (iscsi_rx_steer). */
		rx->head_ready = true;
	}
	if (rx->have < rx->need)
		return 0;

	data = rx->dst ? rx->dst : rx->buf + rx->hlen;
	if (rx->dsl && rx->ddigest) {
		const uint8_t *trailer = rx->buf + rx->hlen + (rx->dst ? 0 : rx->dsl);
		size_t pad = iscsi_pad4(rx->dsl);
		uint32_t crc = crc32c(crc32c(0, data, rx->dsl), trailer, pad);

		if (get_le32(trailer + pad) != crc)
			return sr_fail(err, EBADMSG, "data digest mismatch");
	}
	memcpy(pdu->bhs, rx->buf, ISCSI_BHS_LEN);
	pdu->ahs = rx->ahs ? rx->buf + ISCSI_BHS_LEN : NULL;
	pdu->ahs_len = rx->ahs;
	pdu->data = rx->dsl ? data : NULL;
	pdu->data_len = rx->dsl;
	rx->delivered = true;
	return 1;
}

int iscsi_rx_push(struct iscsi_rx *rx, const uint8_t **p, size_t *n, struct iscsi_pdu *pdu,
		  struct sr_error *err)
{
	while (*n) {
		size_t want, take;
		uint8_t *dst = iscsi_rx_space(rx, &want);
		int rc;

		take = *n < want ? *n : want;
		memcpy(dst, *p, take);
		*p += take;
		*n -= take;
		rc = iscsi_rx_advance(rx, take, pdu, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void iscsi_logf(const struct iscsi_log *log, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!log || !log->fn || level > log->max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log->fn(log->ctx, level, msg);
}
