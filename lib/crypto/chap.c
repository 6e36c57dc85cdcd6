// SPDX-License-Identifier: GPL-2.0-only
/* CHAP responses with nettle's hashes, and the randomness challenges need (RFC 1994 §4.1). */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <nettle/md5.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <nettle/sha3.h>

#include "crypto/chap.h"

static const struct chap_hash {
	int alg;
	const char *name;
	const char *opt;
	const struct nettle_hash *h;
} hashes[] = {
	{ CHAP_MD5, "MD5", "md5", &nettle_md5 },
	{ CHAP_SHA1, "SHA-1", "sha1", &nettle_sha1 },
	{ CHAP_SHA256, "SHA-256", "sha256", &nettle_sha256 },
	{ CHAP_SHA3_256, "SHA3-256", "sha3-256", &nettle_sha3_256 },
};

static const struct chap_hash *lookup(int alg, bool tgt7)
{
	if (tgt7 && alg == CHAP_SHA256)
		alg = CHAP_SHA1;	/* tgt's chap.c: CHAP_DIGEST_ALG_SHA1 is 7 */
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (hashes[i].alg == alg)
			return &hashes[i];
	return NULL;
}

size_t chap_digest_len(int alg, bool tgt7)
{
	const struct chap_hash *c = lookup(alg, tgt7);

	return c ? c->h->digest_size : 0;
}

const char *chap_alg_name(int alg, bool tgt7)
{
	const struct chap_hash *c = lookup(alg, tgt7);

	return c ? c->name : NULL;
}

int chap_alg_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (!strcasecmp(name, hashes[i].opt) || !strcasecmp(name, hashes[i].name))
			return hashes[i].alg;
	return -1;
}

int chap_response(int alg, bool tgt7, uint8_t id, const void *secret, size_t secret_len,
		  const uint8_t *challenge, size_t challenge_len, uint8_t *out,
		  struct sr_error *err)
{
	const struct chap_hash *c = lookup(alg, tgt7);
	union {
		struct md5_ctx md5;
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;
		struct sha3_256_ctx sha3;
	} ctx;

	if (!c)
		return sr_fail(err, EINVAL, "CHAP algorithm %d is not supported", alg);
	c->h->init(&ctx);
	c->h->update(&ctx, 1, &id);
	c->h->update(&ctx, secret_len, secret);
	c->h->update(&ctx, challenge_len, challenge);
	c->h->digest(&ctx, c->h->digest_size, out);
	explicit_bzero(&ctx, sizeof(ctx));
	return 0;
}

bool chap_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	volatile uint8_t diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

int chap_random(void *buf, size_t n, bool block, struct sr_error *err)
{
	uint8_t *p = buf;

	while (n) {
		ssize_t got = getrandom(p, n, block ? 0 : GRND_NONBLOCK);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && !block)
				return sr_fail(err, EAGAIN, "the kernel's random number generator is not ready");
			return sr_fail(err, errno, "getrandom failed: %s", strerror(errno));
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}
