/* SPDX-License-Identifier: GPL-2.0-only */
/* iSCSI text key=value data: parsing, building and value types (RFC 7143 §6.1, §13). */
#ifndef SANROOT_ISCSI_TEXT_H
#define SANROOT_ISCSI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cursor.h"
#include "core/error.h"
#include "core/hostport.h"

#define ISCSI_DEFAULT_PORT 3260		/* §13.8, IANA */
#define ISCSI_NAME_MAX     224		/* §4.2.7.1: an iSCSI name is at most 223 bytes */
#define ISCSI_KEY_MAX      63		/* §6.1: a key name is at most 63 bytes */
#define ISCSI_VALUE_MAX    255		/* §6.1: a value is at most 255 bytes ... */
#define ISCSI_BINARY_MAX   1024		/* ... except binary values such as CHAP_C and CHAP_R */
#define ISCSI_TEXT_VALUE_CAP (2 + 2 * ISCSI_BINARY_MAX)	/* the longest encoding we accept */

/* One key=value pair, pointing into the text; neither part is NUL-terminated. */
struct iscsi_kv {
	const char *key;
	size_t key_len;
	const char *value;
	size_t value_len;
};

/*
 * The next pair of a logical text data segment. Every pair must end in a NUL;
 * a key is 1..63 characters of [A-Za-z0-9.+@_#-] followed by '='; a value
 * longer than ISCSI_TEXT_VALUE_CAP is refused. Empty strings between NULs are
 * skipped. Returns 1 with *kv set, 0 at the end, < 0 on malformed text.
 */
int iscsi_text_next(struct cursor *c, struct iscsi_kv *kv, struct sr_error *err);

static inline bool iscsi_key_is(const struct iscsi_kv *kv, const char *key)
{
	return strlen(key) == kv->key_len && !memcmp(kv->key, key, kv->key_len);
}

static inline bool iscsi_value_is(const struct iscsi_kv *kv, const char *v)
{
	return strlen(v) == kv->value_len && !memcmp(kv->value, v, kv->value_len);
}

/* Copy a key or value into a C string; false if it does not fit. */
bool iscsi_text_copy(char *dst, size_t dstlen, const char *src, size_t len);

/* Values (§6.1). Each returns 0, or < 0 when the text is not of the type. */
int iscsi_parse_bool(const char *v, size_t len, bool *out);
/* A decimal or 0x hex constant no larger than max. */
int iscsi_parse_number(const char *v, size_t len, uint64_t max, uint64_t *out);
/* A binary value: 0x/0X hex (odd digit counts get a leading zero) or 0b/0B base64. */
int iscsi_decode_binary(const char *v, size_t len, uint8_t *out, size_t cap, size_t *outlen);
/* "0x" and lowercase hex of n bytes; out needs 2n + 3 bytes. */
void iscsi_encode_hex(const uint8_t *in, size_t n, char *out);

/* Building the text of one request. Overflow is sticky and checked once at the end. */
struct iscsi_textbuf {
	uint8_t *buf;
	size_t len;
	size_t cap;
	bool overflow;
};

void iscsi_text_add(struct iscsi_textbuf *t, const char *key, const char *value);
__attribute__((format(printf, 3, 4)))
void iscsi_text_addf(struct iscsi_textbuf *t, const char *key, const char *fmt, ...);

/*
 * TargetAddress (§13.8): host[:port][,tpgt], host an IPv4 address, a name or
 * an [IPv6] address. *tpgt is -1 when absent.
 */
int iscsi_parse_target_address(const char *v, size_t len, struct hostport *p, int *tpgt,
			       struct sr_error *err);

/* A SendTargets answer (§13.2, Appendix C): each TargetName with its TargetAddresses. */
#define ISCSI_ST_PORTALS 8
struct iscsi_st_target {
	char name[ISCSI_NAME_MAX];
	struct hostport portal[ISCSI_ST_PORTALS];
	int tpgt[ISCSI_ST_PORTALS];
	unsigned nportals;
	unsigned dropped;	/* portals beyond ISCSI_ST_PORTALS */
	unsigned skipped;	/* portals left out as unreachable from here (iscsi_discovery_fixup) */
};

/* Fills up to max targets; *n counts them, *more is set when some were left out. */
int iscsi_sendtargets_parse(const uint8_t *text, size_t len, struct iscsi_st_target *out,
			    unsigned max, unsigned *n, bool *more, struct sr_error *err);

#endif
