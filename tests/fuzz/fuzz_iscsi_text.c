// SPDX-License-Identifier: GPL-2.0-only
/*
 * Login text from a target: the key=value iterator and every value parser on
 * each pair, SendTargets on the whole, and the login state machine with the
 * input as its CHAP challenge and as the target's mutual CHAP answer (hex and
 * base64 binaries, CHAP_A, CHAP_I, names).
 *
 * Input: [flags][text...]; flags bit 0 mutual CHAP, bit 1 MD5 refused.
 */
#include <stdint.h>
#include <string.h>

#include "iscsi/iscsi_login.h"
#include "iscsi/iscsi_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int feed(struct iscsi_login *l, const struct iscsi_pdu *req, uint8_t flags,
		const uint8_t *text, size_t len)
{
	struct iscsi_pdu rsp = { 0 };
	struct sr_error err;

	rsp.bhs[0] = ISCSI_OP_LOGIN_RSP;
	rsp.bhs[1] = flags;
	memcpy(rsp.bhs + 8, req->bhs + 8, 8);
	memcpy(rsp.bhs + 16, req->bhs + 16, 4);
	iscsi_put16(rsp.bhs, 14, 1);
	rsp.data = text;
	rsp.data_len = len;
	return iscsi_login_response(l, &rsp, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iscsi_login l;
	static struct iscsi_st_target st[8];
	static const uint8_t authmethod[] = "AuthMethod=CHAP";
	struct iscsi_login_params p;
	struct iscsi_login_result r;
	struct iscsi_pdu req;
	struct cursor c;
	struct iscsi_kv kv;
	struct sr_error err;
	unsigned n;
	bool more;
	uint8_t flags;
	int rc;

	if (size < 1)
		return 0;
	flags = data[0];
	data++;
	size--;

	c = cursor_make(data, size);
	while (iscsi_text_next(&c, &kv, &err) > 0) {
		uint8_t bin[ISCSI_BINARY_MAX];
		struct hostport portal;
		uint64_t v;
		size_t blen;
		bool b;
		int tpgt;

		iscsi_parse_number(kv.value, kv.value_len, UINT64_MAX, &v);
		iscsi_parse_number(kv.value, kv.value_len, 255, &v);
		iscsi_parse_bool(kv.value, kv.value_len, &b);
		iscsi_decode_binary(kv.value, kv.value_len, bin, sizeof(bin), &blen);
		iscsi_decode_binary(kv.value, kv.value_len, bin, 16, &blen);
		iscsi_parse_target_address(kv.value, kv.value_len, &portal, &tpgt, &err);
	}
	iscsi_sendtargets_parse(data, size, st, 8, &n, &more, &err);

	/* CHAP: the input is the target's challenge, then its answer to ours. */
	memset(&p, 0, sizeof(p));
	p.initiator_name = "iqn.2024-01.org.sanroot:fuzz";
	p.target_name = "iqn.2024-01.org.sanroot:target";
	p.chap.name = "user";
	p.chap.secret = "a-long-secret-1";
	if (flags & 1) {
		p.chap.target_name = "target";
		p.chap.target_secret = "another-secret-2";
	}
	p.md5_allowed = !(flags & 2);
	p.expect_tpgt = -1;
	iscsi_op_offer_defaults(&p.offer);
	if (iscsi_login_begin(&l, &p, &r, &err) < 0)
		return 0;
	iscsi_login_request(&l, &req);
	rc = feed(&l, &req, 0, authmethod, sizeof(authmethod));
	if (rc == ISCSI_LOGIN_CONTINUE) {
		iscsi_login_request(&l, &req);
		rc = feed(&l, &req, 0, data, size);
	}
	if (rc == ISCSI_LOGIN_CONTINUE) {
		iscsi_login_request(&l, &req);
		rc = feed(&l, &req, 0x81, data, size);
	}
	if (rc == ISCSI_LOGIN_CONTINUE) {
		iscsi_login_request(&l, &req);
		feed(&l, &req, 0x87, data, size);
	}
	iscsi_login_end(&l);
	return 0;
}
