/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A resolved plan as bytes, for handing it from sanroot-boot to the tools it
 * runs over an inherited descriptor: read once per boot, not once per tool.
 * The bytes are the structure itself behind a header (a magic, a version
 * and the structure's size): only the same build reads them, and a
 * reader checks every count, string and enumeration before it trusts them.
 */
#ifndef SANROOT_PLAN_BLOB_H
#define SANROOT_PLAN_BLOB_H

#include <stddef.h>

#include "core/error.h"
#include "plan/plan.h"

/* The header's size plus the structure's: what plan_blob_encode writes. */
size_t plan_blob_size(void);

/* Write p, secrets included, into out (plan_blob_size() bytes). */
void plan_blob_encode(const struct plan *p, void *out);

/*
 * Read a plan written by plan_blob_encode. Anything else (another size,
 * version or magic, a count past its array, a string without its NUL, an
 * unknown enumeration value) is refused with the reason in err, and *out is
 * then zeroed.
 */
int plan_blob_decode(const void *buf, size_t len, struct plan *out, struct sr_error *err);

#endif
