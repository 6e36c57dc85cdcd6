// SPDX-License-Identifier: GPL-2.0-only
/*
 * A byte stream from a target, cut at split points the input chooses, through
 * the PDU decoder; every PDU that comes out goes through the parsers that
 * would see it: the login state machine for Login Responses, SendTargets for
 * Text Responses, and the SCSI parsers for Data-In.
 *
 * Input: [flags][seed][stream...]; flags bit 0 digests from the first byte
 * (otherwise, as in a session, from the end of the login as negotiated), bit
 * 2 CHAP credentials, bit 3 mutual, bits 4-5 the data limit.
 */
#include <stdint.h>
#include <string.h>

#include "../../lib/iscsi_login.h"
#include "../../lib/iscsi_pdu.h"
#include "../../lib/iscsi_text.h"
#include "../../lib/scsi.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iscsi_login l;
	static const uint32_t limits[4] = { 512, 8192, 65536, 262144 };
	struct iscsi_login_params p;
	struct iscsi_login_result r;
	struct iscsi_pdu pdu, req;
	struct iscsi_rx rx;
	struct sr_error err;
	uint8_t flags, seed;
	bool login_live, begun;
	char desc[160];

	if (size < 2)
		return 0;
	flags = data[0];
	seed = data[1];
	data += 2;
	size -= 2;

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
	p.header_digest = p.data_digest = ISCSI_DIGEST_PREFER_NONE;
	login_live = true;
	begun = false;

	if (iscsi_rx_init(&rx, limits[(flags >> 4) & 3], &err) < 0)
		return 0;
	iscsi_rx_configure(&rx, limits[(flags >> 4) & 3], flags & 1, flags & 1, &err);
	while (size) {
		size_t chunk = 1 + (size_t)(seed % 97), left;
		const uint8_t *p0 = data;
		int rc;

		seed = (uint8_t)(seed * 37 + 11);
		if (chunk > size)
			chunk = size;
		left = chunk;
		rc = iscsi_rx_push(&rx, &p0, &left, &pdu, &err);
		data += chunk - left;
		size -= chunk - left;
		if (rc < 0)
			break;
		if (rc == 0)
			continue;
		iscsi_pdu_describe(&pdu, desc, sizeof(desc));
		parse_payload(&pdu);
		if (login_live && iscsi_opcode(pdu.bhs) == ISCSI_OP_LOGIN_RSP) {
			if (!begun) {
				/* Play the initiator this target was talking to: its ISID. */
				memcpy(p.isid, pdu.bhs + 8, 6);
				begun = true;
				if (iscsi_login_begin(&l, &p, &r, &err) < 0) {
					login_live = false;
					continue;
				}
				iscsi_login_request(&l, &req);
			}
			rc = iscsi_login_response(&l, &pdu, &err);
			if (rc == ISCSI_LOGIN_CONTINUE)
				iscsi_login_request(&l, &req);
			else
				login_live = false;
			if (rc == ISCSI_LOGIN_DONE)
				iscsi_rx_configure(&rx, r.neg.max_recv_dsl < limits[(flags >> 4) & 3] ?
						   r.neg.max_recv_dsl : limits[(flags >> 4) & 3],
						   r.neg.header_digest, r.neg.data_digest, &err);
		}
	}
	if (begun)
		iscsi_login_end(&l);
	iscsi_rx_free(&rx);
	return 0;
}
