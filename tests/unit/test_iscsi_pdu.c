// SPDX-License-Identifier: GPL-2.0-only
/* PDU framing and the stream decoder: lengths, padding, digests, limits, split points. */
#include <errno.h>

#include "t.h"

#include "crypto/crc32c.h"
#include "iscsi/iscsi_pdu.h"

static size_t frame_into(const struct iscsi_pdu *pdu, bool hd, bool dd, uint8_t *out)
{
	struct iscsi_frame f;
	struct sr_error err;
	size_t n = 0;

	if (iscsi_frame(pdu, hd, dd, &f, &err) < 0)
		return 0;
	memcpy(out, f.head, f.head_len);
	n += f.head_len;
	if (pdu->data_len)
		memcpy(out + n, pdu->data, pdu->data_len);
	n += pdu->data_len;
	memcpy(out + n, f.tail, f.tail_len);
	return n + f.tail_len;
}

static void sample(struct iscsi_pdu *pdu, const uint8_t *data, size_t len)
{
	memset(pdu, 0, sizeof(*pdu));
	pdu->bhs[0] = ISCSI_OP_DATA_IN;
	pdu->bhs[1] = 0x81;
	iscsi_put32(pdu->bhs, 16, 0x1234);
	pdu->data = data;
	pdu->data_len = len;
}

static void framing(void)
{
	static const uint8_t data[5] = "hello";
	struct iscsi_pdu pdu;
	uint8_t wire[128];
	size_t n;

	sample(&pdu, data, 5);
	pdu.bhs[5] = 0xee;	/* the caller's length fields are not trusted */
	n = frame_into(&pdu, false, false, wire);
	CHECK_INT(n, 48 + 8);
	CHECK_INT(iscsi_get24(wire, 5), 5);
	CHECK_INT(wire[4], 0);
	CHECK(!memcmp(wire + 48, "hello\0\0\0", 8));

	n = frame_into(&pdu, true, true, wire);
	CHECK_INT(n, 48 + 4 + 8 + 4);
	uint32_t hd = crc32c(0, wire, 48);
	CHECK_INT(wire[48] | wire[49] << 8 | wire[50] << 16 | (uint32_t)wire[51] << 24, hd);
	uint32_t dd = crc32c(0, wire + 52, 8);
	CHECK_INT(wire[60] | wire[61] << 8 | wire[62] << 16 | (uint32_t)wire[63] << 24, dd);

	sample(&pdu, NULL, 0);
	CHECK_INT(frame_into(&pdu, true, true, wire), 52);	/* no data: no data digest */
}

static void frame_limits(void)
{
	struct iscsi_pdu pdu;
	struct iscsi_frame f;
	struct sr_error err;
	uint8_t ahs[8] = { 0 };

	sample(&pdu, NULL, 0);
	pdu.ahs = ahs;
	pdu.ahs_len = 6;
	CHECK(iscsi_frame(&pdu, false, false, &f, &err) < 0);
	pdu.ahs_len = 8;
	CHECK_INT(iscsi_frame(&pdu, false, false, &f, &err), 0);
	CHECK_INT(f.head[4], 2);
	CHECK_INT(f.head_len, 56);
}

/* Every split point, and one byte at a time, yield the same PDU. */
static void decode_splits(void)
{
	static const uint8_t data[11] = "abcdefghijk";
	struct iscsi_pdu in, out;
	struct iscsi_rx rx;
	struct sr_error err;
	uint8_t wire[256];
	size_t n;

	for (int digests = 0; digests < 2; digests++) {
		sample(&in, data, sizeof(data));
		n = frame_into(&in, digests, digests, wire);
		CHECK_INT(iscsi_rx_init(&rx, 8192, &err), 0);
		CHECK_INT(iscsi_rx_configure(&rx, 8192, digests, digests, &err), 0);
		for (size_t cut = 0; cut <= n; cut++) {
			const uint8_t *p = wire;
			size_t left = cut;
			int rc = iscsi_rx_push(&rx, &p, &left, &out, &err);

			if (cut < n) {
				CHECK_INT(rc, 0);
				left = n - cut;
				rc = iscsi_rx_push(&rx, &p, &left, &out, &err);
			}
			CHECK_INT(rc, 1);
			CHECK_INT(left, 0);
			CHECK_INT(out.data_len, sizeof(data));
			CHECK_MEM(out.data, data, sizeof(data));
			CHECK_INT(iscsi_itt(out.bhs), 0x1234);
		}
		iscsi_rx_free(&rx);
	}
}

static void decode_back_to_back(void)
{
	struct iscsi_pdu in, out;
	struct iscsi_rx rx;
	struct sr_error err;
	uint8_t wire[512];
	const uint8_t *p = wire;
	size_t n = 0, left;

	sample(&in, (const uint8_t *)"x", 1);
	n += frame_into(&in, false, false, wire);
	sample(&in, NULL, 0);
	iscsi_put32(in.bhs, 16, 7);
	n += frame_into(&in, false, false, wire + n);
	left = n;
	CHECK_INT(iscsi_rx_init(&rx, 8192, &err), 0);
	CHECK_INT(iscsi_rx_push(&rx, &p, &left, &out, &err), 1);
	CHECK_INT(out.data_len, 1);
	CHECK_INT(iscsi_rx_push(&rx, &p, &left, &out, &err), 1);
	CHECK_INT(out.data_len, 0);
	CHECK(out.data == NULL);
	CHECK_INT(iscsi_itt(out.bhs), 7);
	CHECK_INT(left, 0);
	iscsi_rx_free(&rx);
}

static void decode_errors(void)
{
	static uint8_t big[9000];
	struct iscsi_pdu in, out;
	struct iscsi_rx rx;
	struct sr_error err;
	static uint8_t wire[10000];
	const uint8_t *p;
	size_t n, left;

	/* A data segment above what we declared is refused as soon as the BHS is in. */
	sample(&in, big, sizeof(big));
	n = frame_into(&in, false, false, wire);
	CHECK_INT(iscsi_rx_init(&rx, 8192, &err), 0);
	p = wire;
	left = 48;
	CHECK_INT(iscsi_rx_push(&rx, &p, &left, &out, &err), -EMSGSIZE);
	iscsi_rx_free(&rx);

	/* Header and data digests. */
	sample(&in, (const uint8_t *)"abc", 3);
	n = frame_into(&in, true, true, wire);
	wire[3] ^= 1;
	CHECK_INT(iscsi_rx_init(&rx, 8192, &err), 0);
	CHECK_INT(iscsi_rx_configure(&rx, 8192, true, true, &err), 0);
	p = wire;
	left = n;
	CHECK_INT(iscsi_rx_push(&rx, &p, &left, &out, &err), -EBADMSG);
	CHECK(strstr(err.msg, "header digest") != NULL);
	iscsi_rx_free(&rx);

	n = frame_into(&in, true, true, wire);
	wire[53] ^= 0x40;
	CHECK_INT(iscsi_rx_init(&rx, 8192, &err), 0);
	CHECK_INT(iscsi_rx_configure(&rx, 8192, true, true, &err), 0);
	p = wire;
	left = n;
	CHECK_INT(iscsi_rx_push(&rx, &p, &left, &out, &err), -EBADMSG);
	CHECK(strstr(err.msg, "data digest") != NULL);
	iscsi_rx_free(&rx);
}

static void ahs(void)
{
	uint8_t a[12] = { 0, 9, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct iscsi_pdu in, out;
	struct iscsi_rx rx;
	struct sr_error err;
	uint8_t wire[256];
	const uint8_t *p = wire;
	size_t left;

	sample(&in, (const uint8_t *)"zz", 2);
	in.ahs = a;
	in.ahs_len = sizeof(a);
	left = frame_into(&in, true, false, wire);
	CHECK_INT(iscsi_rx_init(&rx, 8192, &err), 0);
	CHECK_INT(iscsi_rx_configure(&rx, 8192, true, false, &err), 0);
	CHECK_INT(iscsi_rx_push(&rx, &p, &left, &out, &err), 1);
	CHECK_INT(out.ahs_len, 12);
	CHECK_MEM(out.ahs, a, 12);
	CHECK_MEM(out.data, "zz", 2);
	iscsi_rx_free(&rx);
}

/* Steered: the data segment lands in the caller's buffer, digests still checked. */
static void decode_steered(void)
{
	static const uint8_t data[13] = "steered-bytes";
	struct iscsi_pdu in, out;
	struct iscsi_rx rx;
	struct sr_error err;
	uint8_t wire[256], dst[32];
	size_t n;

	for (int digests = 0; digests < 2; digests++) {
		sample(&in, data, sizeof(data));
		n = frame_into(&in, digests, digests, wire);
		for (size_t cut = 1; cut < n; cut++) {
			size_t off = 0;
			int rc = 0;

			memset(dst, 0, sizeof(dst));
			CHECK_INT(iscsi_rx_init(&rx, 8192, &err), 0);
			CHECK_INT(iscsi_rx_configure(&rx, 8192, digests, digests, &err), 0);
			/* Feed as a socket reader would: at most cut bytes, and steer when the header is in. */
			while (rc == 0 && off < n) {
				size_t want, take;
				uint8_t *space = iscsi_rx_space(&rx, &want);
				const uint8_t *bhs;
				size_t dsl;

				take = want < cut ? want : cut;
				if (take > n - off)
					take = n - off;
				memcpy(space, wire + off, take);
				off += take;
				rc = iscsi_rx_advance(&rx, take, &out, &err);
				if (rc == 0 && iscsi_rx_head_ready(&rx, &bhs, &dsl)) {
					CHECK_INT(dsl, sizeof(data));
					CHECK_INT(iscsi_itt(bhs), 0x1234);
					iscsi_rx_steer(&rx, dst + 3);
				}
			}
			CHECK_INT(rc, 1);
			CHECK(out.data == dst + 3);
			CHECK_MEM(dst + 3, data, sizeof(data));
			CHECK_INT(dst[3 + sizeof(data)], 0);	/* no padding spilled */
			iscsi_rx_free(&rx);
		}
	}

	/* A corrupt data digest is caught in the steered bytes too. */
	sample(&in, data, sizeof(data));
	n = frame_into(&in, true, true, wire);
	wire[52 + 2] ^= 1;
	CHECK_INT(iscsi_rx_init(&rx, 8192, &err), 0);
	CHECK_INT(iscsi_rx_configure(&rx, 8192, true, true, &err), 0);
	{
		size_t off = 0, want;
		int rc = 0;
		const uint8_t *bhs;
		size_t dsl;

		while (rc == 0 && off < n) {
			uint8_t *space = iscsi_rx_space(&rx, &want);

			memcpy(space, wire + off, want);
			off += want;
			rc = iscsi_rx_advance(&rx, want, &out, &err);
			if (rc == 0 && iscsi_rx_head_ready(&rx, &bhs, &dsl))
				iscsi_rx_steer(&rx, dst);
		}
		CHECK_INT(rc, -EBADMSG);
	}
	iscsi_rx_free(&rx);
}

static void luns(void)
{
	static const struct { uint64_t lun; uint8_t b0, b1; } rows[] = {
		{ 0, 0x00, 0x00 }, { 1, 0x00, 0x01 }, { 255, 0x00, 0xff },
		{ 256, 0x41, 0x00 }, { 16383, 0x7f, 0xff },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t l[8];

		iscsi_lun_encode(rows[i].lun, l);
		CHECK_INT(l[0], rows[i].b0);
		CHECK_INT(l[1], rows[i].b1);
		CHECK_INT(iscsi_lun_decode(l), rows[i].lun);
	}
}

static void serial_numbers(void)
{
	CHECK(iscsi_sn_lt(1, 2));
	CHECK(!iscsi_sn_lt(2, 1));
	CHECK(!iscsi_sn_lt(5, 5));
	CHECK(iscsi_sn_lt(0xfffffffe, 1));	/* wraps */
	CHECK(!iscsi_sn_lt(1, 0xfffffffe));
}

static void describe(void)
{
	struct iscsi_pdu pdu;
	char buf[160];

	for (int op = 0; op < 64; op++) {
		sample(&pdu, NULL, 0);
		pdu.bhs[0] = (uint8_t)op;
		CHECK(strlen(iscsi_pdu_describe(&pdu, buf, sizeof(buf))) > 0);
	}
	pdu.bhs[0] = ISCSI_OP_LOGIN_RSP;
	pdu.bhs[1] = 0x87;
	CHECK(strstr(iscsi_pdu_describe(&pdu, buf, sizeof(buf)), "T=1 C=0 CSG=1 NSG=3") != NULL);
	CHECK(strlen(iscsi_pdu_describe(&pdu, buf, 8)) == 7);
}

int main(void)
{
	RUN(framing);
	RUN(frame_limits);
	RUN(decode_splits);
	RUN(decode_back_to_back);
	RUN(decode_errors);
	RUN(ahs);
	RUN(decode_steered);
	RUN(luns);
	RUN(serial_numbers);
	RUN(describe);
	T_EXIT();
}
