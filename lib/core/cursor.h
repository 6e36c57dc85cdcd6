/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bounds-checked read cursor over untrusted bytes, shared by every parser,
 * and its counterpart for building messages: a writer that never writes past
 * its buffer and remembers that it ran out.
 */
#ifndef SANROOT_CURSOR_H
#define SANROOT_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Invariant: p points at rem readable bytes. Every read checks rem first and
 * never forms a pointer past p + rem; a failed read leaves the cursor as it
 * was, so callers can report where parsing stopped.
 */
struct cursor {
	const uint8_t *p;
	size_t rem;
};

static inline struct cursor cursor_make(const void *p, size_t len)
{
	return (struct cursor){ .p = p, .rem = len };
}

static inline bool cursor_skip(struct cursor *c, size_t n)
{
	if (n > c->rem)
		return false;
	c->p += n;
	c->rem -= n;
	return true;
}

static inline bool cursor_bytes(struct cursor *c, void *out, size_t n)
{
	if (n > c->rem)
		return false;
	memcpy(out, c->p, n);
	c->p += n;
	c->rem -= n;
	return true;
}

static inline bool cursor_u8(struct cursor *c, uint8_t *v)
{
	if (c->rem < 1)
		return false;
	*v = c->p[0];
	c->p++;
	c->rem--;
	return true;
}

static inline bool cursor_be16(struct cursor *c, uint16_t *v)
{
	if (c->rem < 2)
		return false;
	*v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	c->rem -= 2;
	return true;
}

static inline bool cursor_be24(struct cursor *c, uint32_t *v)
{
	if (c->rem < 3)
		return false;
	*v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
	c->p += 3;
	c->rem -= 3;
	return true;
}

static inline bool cursor_be32(struct cursor *c, uint32_t *v)
{
	if (c->rem < 4)
		return false;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	     (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	c->rem -= 4;
	return true;
}

static inline bool cursor_be64(struct cursor *c, uint64_t *v)
{
	uint32_t hi, lo;
	struct cursor save = *c;

	if (!cursor_be32(c, &hi) || !cursor_be32(c, &lo)) {
		*c = save;
		return false;
	}
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

static inline bool cursor_le16(struct cursor *c, uint16_t *v)
{
	if (c->rem < 2)
		return false;
	*v = (uint16_t)(c->p[1] << 8 | c->p[0]);
	c->p += 2;
	c->rem -= 2;
	return true;
}

static inline bool cursor_le32(struct cursor *c, uint32_t *v)
{
	if (c->rem < 4)
		return false;
	*v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	     (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	c->rem -= 4;
	return true;
}

static inline bool cursor_le64(struct cursor *c, uint64_t *v)
{
	uint32_t lo, hi;
	struct cursor save = *c;

	if (!cursor_le32(c, &lo) || !cursor_le32(c, &hi)) {
		*c = save;
		return false;
	}
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/* A sub-cursor over the next n bytes; the parent moves past them. */
static inline bool cursor_sub(struct cursor *c, size_t n, struct cursor *sub)
{
	if (n > c->rem)
		return false;
	*sub = cursor_make(c->p, n);
	c->p += n;
	c->rem -= n;
	return true;
}

/* A cursor at offset off of length len inside [base, base + size). */
static inline bool cursor_at(const void *base, size_t size, size_t off,
			     size_t len, struct cursor *out)
{
	if (off > size || len > size - off)
		return false;
	*out = cursor_make((const uint8_t *)base + off, len);
	return true;
}

/*
 * The writer: each write past the end is dropped and sets overflow, so that
 * a builder writes everything, then checks once.
 */
struct writer {
	uint8_t *p;
	size_t rem;
	bool overflow;
};

static inline struct writer writer_make(void *p, size_t len)
{
	return (struct writer){ .p = p, .rem = len };
}

static inline void wr_bytes(struct writer *w, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (w->overflow || len > w->rem) {
		w->overflow = true;
		return;
	}
	memcpy(w->p, data, len);
	w->p += len;
	w->rem -= len;
}

static inline void wr_u8(struct writer *w, uint8_t v)
{
	wr_bytes(w, &v, 1);
}

static inline void wr_be16(struct writer *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wr_bytes(w, b, 2);
}

static inline void wr_be32(struct writer *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	wr_bytes(w, b, 4);
}

#endif
