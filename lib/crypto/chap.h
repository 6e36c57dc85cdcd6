/* SPDX-License-Identifier: GPL-2.0-only */
/* CHAP as iSCSI uses it (RFC 1994, RFC 7143 §12.1.3): responses, challenges, algorithms. */
#ifndef SANROOT_CHAP_H
#define SANROOT_CHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/*
 * CHAP_A values as LIO, open-iscsi, SCST and EDK2 number them (the IANA PPP
 * authentication algorithm registry). tgt alone calls SHA-1 "7": see
 * chap_hash_lookup().
 */
enum chap_alg {
	CHAP_MD5	= 5,
	CHAP_SHA1	= 6,
	CHAP_SHA256	= 7,
	CHAP_SHA3_256	= 8,
};

#define CHAP_DIGEST_MAX     32
#define CHAP_CHALLENGE_MAX  1024	/* RFC 7143 §12.1.3: binary values up to 1024 bytes */
#define CHAP_SECRET_MIN     12		/* RFC 7143 §12.1.3: shorter secrets are weak */
#define CHAP_ALGS_MAX       4

/* The digest size of alg (0 if unknown); tgt7 reads 7 as tgt's SHA-1. */
size_t chap_digest_len(int alg, bool tgt7);
/* "MD5", "SHA-1", "SHA-256", "SHA3-256", or NULL. */
const char *chap_alg_name(int alg, bool tgt7);
/* "md5", "sha1", "sha256", "sha3-256" (any case) to a CHAP_A value, or -1. */
int chap_alg_from_name(const char *name);

/* R = H(id || secret || challenge), RFC 1994 §4.1. out holds chap_digest_len() bytes. */
int chap_response(int alg, bool tgt7, uint8_t id, const void *secret, size_t secret_len,
		  const uint8_t *challenge, size_t challenge_len, uint8_t *out,
		  struct sr_error *err);

/* Equality of two byte strings in time that depends only on n. */
bool chap_equal(const uint8_t *a, const uint8_t *b, size_t n);

/*
 * n bytes from getrandom(), never weak ones. Early in boot the kernel's pool
 * may not be ready: without block that returns -EAGAIN (so the caller can
 * say it is about to wait); with block it waits.
 */
int chap_random(void *buf, size_t n, bool block, struct sr_error *err);

#endif
