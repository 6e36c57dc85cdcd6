// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device-mapper tables for linear and striped LVs, in the kernel's own
 * syntax (Documentation/admin-guide/device-mapper: linear "dev offset",
 * striped "#stripes chunk_sectors dev offset..."), made as lvm2's
 * striped segtype and dev_manager make them, with lvm2's names and UUIDs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lvm/lvm_dm.h"

static size_t quote_dashes(const char *s, char *out, size_t o, size_t max)
{
	for (; *s; s++) {
		if (*s == '-' && o < max)
			out[o++] = '-';
		if (o < max)
			out[o++] = *s;
	}
	return o;
}

int lvm_dm_name(const char *vg, const char *lv, char out[LVM_DM_NAME_MAX], struct sr_error *err)
{
	char buf[2 * LVM_NAME_MAX * 2 + 2];
	size_t o;

	o = quote_dashes(vg, buf, 0, sizeof(buf) - 1);
	if (o < sizeof(buf) - 1)
		buf[o++] = '-';
	o = quote_dashes(lv, buf, o, sizeof(buf) - 1);
	buf[o] = '\0';
	if (o >= LVM_DM_NAME_MAX)
		return sr_fail(err, ENAMETOOLONG,
			       "device name %s-%s is longer than device-mapper allows",
			       vg, lv);
	memcpy(out, buf, o + 1);
	return 0;
}

void lvm_dm_uuid(const struct lvm_vg *vg, const struct lvm_lv *lv, char out[LVM_DM_UUID_MAX])
{
	snprintf(out, LVM_DM_UUID_MAX, "LVM-%s%s", vg->id, lv->id);
}

void lvm_dm_table_free(struct lvm_dm_table *t)
{
	for (unsigned i = 0; i < t->n; i++)
		free(t->t[i].params);
	free(t->t);
	t->t = NULL;
	t->n = 0;
}

/* A growing string for the parameters of one line. */
struct buf {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3)))
static bool buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return false;
		if (b->s && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return true;
		}
		size_t cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return false;
		b->s = s;
		b->cap = cap;
	}
}

int lvm_dm_table_build(const struct lvm_vg *vg, const struct lvm_lv *lv,
		       const char *const *pvdev, struct lvm_dm_table *out, struct sr_error *err)
{
	const uint64_t ext = vg->extent_size;

	out->n = 0;
	if (lv->unsupported[0])
		return sr_fail(err, EOPNOTSUPP, "LV %s/%s: %s is not supported", vg->name, lv->name,
			       lv->unsupported);
	if (!(out->t = calloc(lv->nseg, sizeof(*out->t))))
		return sr_fail(err, ENOMEM, "out of memory");
	for (unsigned i = 0; i < lv->nseg; i++) {
		const struct lvm_seg *g = &lv->seg[i];
		struct lvm_dm_target *t = &out->t[out->n];
		struct buf b = { 0 };
		bool missing = false, ok;

		/* lvm_meta_parse() keeps every LV under 2^54 sectors: no overflow here. */
		t->start = g->start_extent * ext;
		t->len = g->extent_count * ext;
		for (unsigned s = 0; s < g->stripe_count; s++)
			missing |= !pvdev[g->stripe[s].pv];
		if (missing) {
			/* lvm2 maps the missing part to a separate error device; same effect. */
			t->type = "error";
			ok = buf_add(&b, "%s", "");
		} else if (g->stripe_count == 1) {
			const struct lvm_pv_meta *pv = &vg->pv[g->stripe[0].pv];

			t->type = "linear";
			ok = buf_add(&b, "%s %" PRIu64, pvdev[g->stripe[0].pv],
				     pv->pe_start + g->stripe[0].pe * ext);
		} else {
			t->type = "striped";
			ok = buf_add(&b, "%" PRIu32 " %" PRIu64, g->stripe_count, g->stripe_size);
			for (unsigned s = 0; ok && s < g->stripe_count; s++) {
				const struct lvm_pv_meta *pv = &vg->pv[g->stripe[s].pv];

				ok = buf_add(&b, " %s %" PRIu64, pvdev[g->stripe[s].pv],
					     pv->pe_start + g->stripe[s].pe * ext);
			}
		}
		if (!ok) {
			free(b.s);
			lvm_dm_table_free(out);
			return sr_fail(err, ENOMEM, "out of memory");
		}
		t->params = b.s;
		out->n++;
	}
	return 0;
}

void lvm_dm_table_write(FILE *f, const char *name, const struct lvm_dm_table *t)
{
	for (unsigned i = 0; i < t->n; i++)
		fprintf(f, "%s: %" PRIu64 " %" PRIu64 " %s%s%s\n", name, t->t[i].start, t->t[i].len,
			t->t[i].type, t->t[i].params[0] ? " " : "", t->t[i].params);
}
