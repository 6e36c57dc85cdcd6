// SPDX-License-Identifier: GPL-2.0-only
/* iSCSI text key=value parsing and building (RFC 7143 §6.1, §13.8, Appendix C). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <nettle/base16.h>
#include <nettle/base64.h>

#include "iscsi/iscsi_text.h"

static bool key_char(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '-' || ch == '+' || ch == '@' || ch == '_' || ch == '#';
}

int iscsi_text_next(struct cursor *c, struct iscsi_kv *kv, struct sr_error *err)
{
	const uint8_t *nul, *eq;
	size_t len, klen;

	/* Skip empty strings (some targets pad the text with extra NULs). */
	while (c->rem && c->p[0] == 0)
		cursor_skip(c, 1);
	if (c->rem == 0)
		return 0;
	nul = memchr(c->p, 0, c->rem);
	if (!nul)
		return sr_fail(err, EPROTO, "text data ends inside a key=value pair (no NUL)");
	len = (size_t)(nul - c->p);
	eq = memchr(c->p, '=', len);
	if (!eq)
		return sr_fail(err, EPROTO, "text data holds a string without '='");
	klen = (size_t)(eq - c->p);
	if (klen == 0 || klen > ISCSI_KEY_MAX)
		return sr_fail(err, EPROTO, "text data holds a key of %zu bytes (1..%d allowed)",
			       klen, ISCSI_KEY_MAX);
	for (size_t i = 0; i < klen; i++)
		if (!key_char(c->p[i]))
			return sr_fail(err, EPROTO, "text data holds a key with byte 0x%02x", c->p[i]);
	if (len - klen - 1 > ISCSI_TEXT_VALUE_CAP)
		return sr_fail(err, EPROTO, "text data holds a %zu-byte value (at most %d accepted)",
			       len - klen - 1, ISCSI_TEXT_VALUE_CAP);
	kv->key = (const char *)c->p;
	kv->key_len = klen;
	kv->value = (const char *)eq + 1;
	kv->value_len = len - klen - 1;
	cursor_skip(c, len + 1);
	return 1;
}

bool iscsi_text_copy(char *dst, size_t dstlen, const char *src, size_t len)
{
	if (dstlen == 0 || len > dstlen - 1)
		return false;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

int iscsi_parse_bool(const char *v, size_t len, bool *out)
{
	if (len == 3 && !memcmp(v, "Yes", 3))
		*out = true;
	else if (len == 2 && !memcmp(v, "No", 2))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int hexval(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int iscsi_parse_number(const char *v, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;

	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		for (size_t i = 2; i < len; i++) {
			int d = hexval((uint8_t)v[i]);

			if (d < 0 || n > (max >> 4))
				return -EINVAL;
			n = n << 4 | (uint64_t)d;
		}
	} else {
		if (len == 0)
			return -EINVAL;
		for (size_t i = 0; i < len; i++) {
			if (v[i] < '0' || v[i] > '9')
				return -EINVAL;
			if (n > (max - (uint64_t)(v[i] - '0')) / 10)
				return -EINVAL;
			n = n * 10 + (uint64_t)(v[i] - '0');
		}
	}
	if (n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

/* RFC 4648's base64 alphabet and its pad; nettle would also skip white space, RFC 7143 does not. */
static bool b64char(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '+' || ch == '/' || ch == '=';
}

static int decode_hex(const char *s, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	struct base16_decode_ctx ctx;
	size_t got;

	if (n == 0 || BASE16_DECODE_LENGTH(n) > cap)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (hexval((uint8_t)s[i]) < 0)
			return -EINVAL;
	base16_decode_init(&ctx);
	/* An odd count: the first digit stands alone, as if after a 0. */
	if ((n & 1) && (!base16_decode_update(&ctx, &got, out, 1, "0") || got))
		return -EINVAL;
	if (!base16_decode_update(&ctx, &got, out, n, s) || !base16_decode_final(&ctx))
		return -EINVAL;
	*outlen = got;
	return 0;
}

/*
 * Padding only at the end (nettle refuses '=' elsewhere, and unused bits
 * that are not zero). Whole quads go straight to out, the last through q:
 * nettle wants room for 3 bytes a quad, and a padded one yields fewer.
 */
static int decode_base64(const char *s, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	struct base64_decode_ctx ctx;
	size_t pad = 0, got, o;
	uint8_t q[3];

	if (n == 0 || n % 4)
		return -EINVAL;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	if (n / 4 * 3 - pad == 0 || n / 4 * 3 - pad > cap)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!b64char((uint8_t)s[i]))
			return -EINVAL;
	base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &o, out, n - 4, s) ||
	    !base64_decode_update(&ctx, &got, q, 4, s + n - 4) || !base64_decode_final(&ctx) ||
	    o + got != n / 4 * 3 - pad)
		return -EINVAL;
	memcpy(out + o, q, got);
	*outlen = o + got;
	return 0;
}

int iscsi_decode_binary(const char *v, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	if (len < 3 || v[0] != '0')
		return -EINVAL;
	if (v[1] == 'x' || v[1] == 'X')
		return decode_hex(v + 2, len - 2, out, cap, outlen);
	if (v[1] == 'b' || v[1] == 'B')
		return decode_base64(v + 2, len - 2, out, cap, outlen);
	return -EINVAL;
}

void iscsi_encode_hex(const uint8_t *in, size_t n, char *out)
{
	out[0] = '0';
	out[1] = 'x';
	base16_encode_update(out + 2, n, in);	/* lowercase */
	out[2 + BASE16_ENCODE_LENGTH(n)] = '\0';
}

void iscsi_text_add(struct iscsi_textbuf *t, const char *key, const char *value)
{
	size_t kl = strlen(key), vl = strlen(value);

	if (t->overflow || t->cap - t->len < kl + vl + 2) {
		t->overflow = true;
		return;
	}
	memcpy(t->buf + t->len, key, kl);
	t->buf[t->len + kl] = '=';
	memcpy(t->buf + t->len + kl + 1, value, vl);
	t->buf[t->len + kl + 1 + vl] = '\0';
	t->len += kl + vl + 2;
}

void iscsi_text_addf(struct iscsi_textbuf *t, const char *key, const char *fmt, ...)
{
	char v[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(v)) {
		t->overflow = true;
		return;
	}
	iscsi_text_add(t, key, v);
}

static int parse_u16(const char *s, size_t n, unsigned min, uint16_t *out)
{
	uint64_t v;

	if (n == 0 || n > 5 || iscsi_parse_number(s, n, 65535, &v) < 0 || v < min)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

int iscsi_parse_target_address(const char *v, size_t len, struct hostport *p, int *tpgt,
			       struct sr_error *err)
{
	const char *end = v + len, *host, *rest;
	size_t hl;
	char show[80];

	memset(p, 0, sizeof(*p));
	p->port = ISCSI_DEFAULT_PORT;
	*tpgt = -1;
	if (len == 0)
		return sr_fail(err, EPROTO, "empty TargetAddress");
	snprintf(show, sizeof(show), "%.*s", (int)(len > 64 ? 64 : len), v);
	if (v[0] == '[') {
		const char *close = memchr(v, ']', len);

		if (!close)
			return sr_fail(err, EPROTO, "TargetAddress '%s' opens '[' without ']'", show);
		host = v + 1;
		hl = (size_t)(close - host);
		rest = close + 1;
	} else {
		host = v;
		rest = v;
		while (rest < end && *rest != ':' && *rest != ',')
			rest++;
		hl = (size_t)(rest - host);
		/* RFC 7143 §13.8 wants an IPv6 address in brackets; bare, its port is ambiguous. */
		if (rest < end && *rest == ':' && memchr(rest + 1, ':', (size_t)(end - rest - 1)))
			return sr_fail(err, EPROTO, "TargetAddress '%s' is an IPv6 address without brackets "
				       "([address]:port)", show);
	}
	if (hl == 0)
		return sr_fail(err, EPROTO, "TargetAddress '%s' has no host", show);
	for (size_t i = 0; i < hl; i++) {
		uint8_t ch = (uint8_t)host[i];

		/* Names, IPv4 and IPv6 literals only: this ends up in logs and getaddrinfo(). */
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      ch == '.' || ch == '-' || ch == ':' || ch == '%' || ch == '_'))
			return sr_fail(err, EPROTO, "TargetAddress host holds byte 0x%02x", ch);
	}
	if (!iscsi_text_copy(p->host, sizeof(p->host), host, hl))
		return sr_fail(err, EPROTO, "TargetAddress host is too long");
	if (rest < end && *rest == ':') {
		const char *q = ++rest;

		while (rest < end && *rest != ',')
			rest++;
		if (parse_u16(q, (size_t)(rest - q), 1, &p->port) < 0)
			return sr_fail(err, EPROTO, "TargetAddress '%s' has a bad port", show);
	}
	if (rest < end && *rest == ',') {
		uint16_t t;

		rest++;
		if (parse_u16(rest, (size_t)(end - rest), 0, &t) < 0)
			return sr_fail(err, EPROTO, "TargetAddress '%s' has a bad portal group tag", show);
		*tpgt = t;
		rest = end;
	}
	if (rest != end)
		return sr_fail(err, EPROTO, "TargetAddress '%s' has trailing bytes", show);
	return 0;
}

int iscsi_sendtargets_parse(const uint8_t *text, size_t len, struct iscsi_st_target *out,
			    unsigned max, unsigned *n, bool *more, struct sr_error *err)
{
	struct cursor c = cursor_make(text, len);
	struct iscsi_st_target *cur = NULL;
	struct iscsi_kv kv;
	bool skipping = false;
	int rc;

	*n = 0;
	*more = false;
	while ((rc = iscsi_text_next(&c, &kv, err)) > 0) {
		if (iscsi_key_is(&kv, "TargetName")) {
			if (kv.value_len == 0)
				return sr_fail(err, EPROTO, "SendTargets answer holds an empty TargetName");
			if (*n == max) {
				*more = true;
				skipping = true;
				continue;
			}
			cur = &out[(*n)++];
			memset(cur, 0, sizeof(*cur));
			skipping = false;
			if (!iscsi_text_copy(cur->name, sizeof(cur->name), kv.value, kv.value_len))
				return sr_fail(err, EPROTO, "SendTargets answer holds a TargetName of %zu bytes (at most %d)",
					       kv.value_len, ISCSI_NAME_MAX - 1);
		} else if (iscsi_key_is(&kv, "TargetAddress")) {
			if (skipping)
				continue;
			if (!cur)
				return sr_fail(err, EPROTO, "SendTargets answer holds a TargetAddress before any TargetName");
			if (cur->nportals == ISCSI_ST_PORTALS) {
				cur->dropped++;
				continue;
			}
			rc = iscsi_parse_target_address(kv.value, kv.value_len, &cur->portal[cur->nportals],
							&cur->tpgt[cur->nportals], err);
			if (rc < 0)
				return rc;
			cur->nportals++;
		}
		/* Anything else is not part of a SendTargets answer; ignore it. */
	}
	return rc;
}
