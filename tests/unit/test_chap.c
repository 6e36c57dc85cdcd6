// SPDX-License-Identifier: GPL-2.0-only
/* CHAP responses for each algorithm, checked against Python's hashlib; names, sizes, compare. */
#include "t.h"

#include "crypto/chap.h"
#include "iscsi/iscsi_text.h"

static const uint8_t challenge[20] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0xff, 0x00, 0x80, 0x7f,
};

static const struct {
	int alg;
	bool tgt7;
	const char *name;
	const char *hex;	/* H(0x2a || "a-long-secret-12" || challenge) by hashlib */
} vectors[] = {
	{ CHAP_MD5, false, "MD5", "0x99daa2f98531288362b2dc2616825287" },
	{ CHAP_SHA1, false, "SHA-1", "0x813c9813d7cbe1b307a2a192b5a09016e2384350" },
	{ CHAP_SHA256, false, "SHA-256", "0xf7f236d8cdeb6a5f5c229da7b635d883503d01f9c2182641de61c68ab5828ee9" },
	{ CHAP_SHA3_256, false, "SHA3-256", "0x0b0ec8cc2a484664afe9da9c3038d738729456fe845d61fee4df549c16cfdb44" },
	{ CHAP_SHA256, true, "SHA-1", "0x813c9813d7cbe1b307a2a192b5a09016e2384350" },	/* tgt's 7 */
};

static void responses(void)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		uint8_t out[CHAP_DIGEST_MAX];
		char hex[2 * CHAP_DIGEST_MAX + 3];
		size_t n = chap_digest_len(vectors[i].alg, vectors[i].tgt7);
		struct sr_error err;
		char row[32];
		int rc;

		snprintf(row, sizeof(row), "alg %d%s", vectors[i].alg, vectors[i].tgt7 ? " (tgt)" : "");
		rc = chap_response(vectors[i].alg, vectors[i].tgt7, 0x2a, "a-long-secret-12", 16,
				   challenge, sizeof(challenge), out, &err);
		iscsi_encode_hex(out, n, hex);
		t_row("chap_response", row, rc != 0 || strcmp(hex, vectors[i].hex) ||
		      strcmp(chap_alg_name(vectors[i].alg, vectors[i].tgt7), vectors[i].name), hex);
	}
}

static void names(void)
{
	CHECK_INT(chap_alg_from_name("md5"), CHAP_MD5);
	CHECK_INT(chap_alg_from_name("SHA1"), CHAP_SHA1);
	CHECK_INT(chap_alg_from_name("sha256"), CHAP_SHA256);
	CHECK_INT(chap_alg_from_name("sha3-256"), CHAP_SHA3_256);
	CHECK_INT(chap_alg_from_name("SHA3-256"), CHAP_SHA3_256);
	CHECK_INT(chap_alg_from_name("sha512"), -1);
	CHECK_INT(chap_digest_len(9, false), 0);
	CHECK(chap_alg_name(4, false) == NULL);
}

static void unknown_alg(void)
{
	uint8_t out[CHAP_DIGEST_MAX];
	struct sr_error err;

	CHECK(chap_response(9, false, 1, "x", 1, challenge, 1, out, &err) < 0);
}

static void equal(void)
{
	uint8_t a[32], b[32];

	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	CHECK(chap_equal(a, b, 32));
	b[31] ^= 1;
	CHECK(!chap_equal(a, b, 32));
	b[31] ^= 1;
	b[0] ^= 0x80;
	CHECK(!chap_equal(a, b, 32));
	CHECK(chap_equal(a, b, 0));
}

static void randomness(void)
{
	uint8_t a[32], b[32];
	struct sr_error err;

	CHECK_INT(chap_random(a, sizeof(a), true, &err), 0);
	CHECK_INT(chap_random(b, sizeof(b), true, &err), 0);
	CHECK(memcmp(a, b, sizeof(a)) != 0);
}

int main(void)
{
	responses();
	RUN(names);
	RUN(unknown_alg);
	RUN(equal);
	RUN(randomness);
	T_EXIT();
}
