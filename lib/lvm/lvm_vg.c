// SPDX-License-Identifier: GPL-2.0-only
/*
 * VG assembly as lvm2's vg_read does it (newest seqno wins, PVs matched by
 * UUID), but stricter where lvm2 guesses: clashes are refused, not resolved.
 * Then the choice of LVs for a request (vgchange -ay / lvchange -ay), all
 * checked before any device is created.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvm/lvm_vg.h"

void lvm_note(struct lvm_scan *s, bool warning, const char *fmt, ...)
{
	va_list ap;

	if (s->nnote == LVM_MAX_NOTES)
		return;
	s->note[s->nnote].warning = warning;
	va_start(ap, fmt);
	vsnprintf(s->note[s->nnote].text, LVM_NOTE_MAX, fmt, ap);
	va_end(ap);
	/* One problem can concern several VGs or devices: say it once. */
	for (unsigned i = 0; i < s->nnote; i++)
		if (!strcmp(s->note[i].text, s->note[s->nnote].text))
			return;
	s->nnote++;
}

/* One distinct good metadata text, parsed. */
struct text {
	const char *text;
	size_t len;
	uint32_t sum;
	int rc;
	struct sr_error err;
	struct lvm_vg vg;
	bool taken;			/* its lvm_vg moved into an lvm_vgi */
	bool grouped;			/* its VG has been assembled */
};

static int text_index(struct text *t, unsigned n, const struct lvm_mda_copy *m)
{
	for (unsigned i = 0; i < n; i++)
		if (t[i].sum == m->checksum && t[i].len == m->len &&
		    !memcmp(t[i].text, m->text, m->len))
			return (int)i;
	return -1;
}

static const char *pretty_id(const char *id, char buf[LVM_ID_LEN + 7])
{
	lvm_id_format(id, buf);
	return buf;
}

/* The device carrying a PV UUID; *twice is set when two devices do. */
static int dev_with_id(const struct lvm_dev *dev, unsigned ndev, const char *id, int *twice)
{
	int found = -1;

	*twice = -1;
	for (unsigned i = 0; i < ndev; i++) {
		if (strcmp(dev[i].disk.label.pv_id, id))
			continue;
		if (found >= 0) {
			*twice = (int)i;
			break;
		}
		found = (int)i;
	}
	return found;
}

static int map_pvs(struct lvm_scan *s, struct lvm_vgi *v)
{
	char u[LVM_ID_LEN + 7];

	if (!(v->dev = calloc(v->meta.npv, sizeof(*v->dev))))
		return sr_fail(&v->err, ENOMEM, "out of memory");
	for (unsigned p = 0; p < v->meta.npv; p++) {
		const struct lvm_pv_meta *pv = &v->meta.pv[p];
		int twice;

		v->dev[p] = dev_with_id(s->dev, s->ndev, pv->id, &twice);
		if (twice >= 0)
			return sr_fail_why(&v->err, EEXIST, SR_R_PV_DUPLICATE,
					   "VG %s: PV %s (UUID %s) is on both %s and %s: a cloned LUN, or one LUN seen twice without multipath",
				       v->meta.name, pv->name, pretty_id(pv->id, u),
				       s->dev[v->dev[p]].path, s->dev[twice].path);
		/* lvm2 keeps a PV marked MISSING out until vgextend --restoremissing. */
		if (pv->missing)
			v->dev[p] = -1;
		if (v->dev[p] < 0)
			v->nmissing++;
	}
	return 0;
}

static bool vg_uses_dev(const struct lvm_vgi *v, unsigned d)
{
	for (unsigned p = 0; v->dev && p < v->meta.npv; p++)
		if (v->dev[p] == (int)d)
			return true;
	return false;
}

/* Why a copy cannot be used (NULL if it can): its own read, or its text's parse. */
static const char *copy_problem(const struct lvm_mda_copy *m, struct text *t, unsigned nt)
{
	int i;

	if (m->rc < 0)
		return m->err.msg;
	if (m->text && (i = text_index(t, nt, m)) >= 0 && t[i].rc < 0)
		return t[i].err.msg;
	return NULL;
}

static void note_copies(struct lvm_scan *s, struct text *t, unsigned nt)
{
	for (unsigned d = 0; d < s->ndev; d++) {
		const struct lvm_dev *dev = &s->dev[d];
		int good = -1;

		for (unsigned c = 0; c < dev->disk.nmda && good < 0; c++)
			if (!copy_problem(&dev->disk.mda[c], t, nt) && dev->disk.mda[c].text)
				good = (int)c;
		for (unsigned c = 0; c < dev->disk.nmda; c++) {
			const struct lvm_mda_copy *m = &dev->disk.mda[c];
			const char *why = copy_problem(m, t, nt);
			char also[48] = "";

			if (!why)
				continue;
			if (good >= 0)
				snprintf(also, sizeof(also),
					 "; copy %d is good and used", good + 1);
			lvm_note(s, true,
				 "%s: metadata copy %u (byte %llu) is damaged: %s%s", dev->path,
				 c + 1, (unsigned long long)m->area.offset, why, also);
		}
	}
}

/* Which VG, if any, each good copy belongs to and whether it is the newest. */
static void note_stale(struct lvm_scan *s, struct text *t, unsigned nt)
{
	for (unsigned d = 0; d < s->ndev; d++) {
		const struct lvm_dev *dev = &s->dev[d];

		for (unsigned c = 0; c < dev->disk.nmda; c++) {
			const struct lvm_mda_copy *m = &dev->disk.mda[c];
			int i;

			if (!m->text || (i = text_index(t, nt, m)) < 0 || t[i].rc < 0 || t[i].taken)
				continue;
			for (unsigned v = 0; v < s->nvg; v++)
				if (!strcmp(s->vg[v].meta.id, t[i].vg.id) &&
				    t[i].vg.seqno < s->vg[v].meta.seqno)
					lvm_note(s, true,
						 "%s: metadata copy %u holds VG %s at seqno %llu, older than seqno %llu: ignored",
						 dev->path, c + 1, t[i].vg.name,
						 (unsigned long long)t[i].vg.seqno,
						 (unsigned long long)s->vg[v].meta.seqno);
		}
	}
}

struct claim {
	const char *id;
	unsigned vg;
};

static int cmp_claim(const void *a, const void *b)
{
	return strcmp(((const struct claim *)a)->id, ((const struct claim *)b)->id);
}

/* A PV claimed by two VGs (stale metadata of a PV moved between VGs, or a clone). */
static int check_claims(struct lvm_scan *s, struct sr_error *err)
{
	char u[LVM_ID_LEN + 7];
	struct claim *c;
	size_t n = 0;

	for (unsigned v = 0; v < s->nvg; v++)
		n += s->vg[v].meta.npv;
	if (n < 2)
		return 0;
	if (!(c = calloc(n, sizeof(*c))))
		return sr_fail(err, ENOMEM, "out of memory");
	n = 0;
	for (unsigned v = 0; v < s->nvg; v++)
		for (unsigned p = 0; p < s->vg[v].meta.npv; p++)
			c[n++] = (struct claim){ s->vg[v].meta.pv[p].id, v };
	qsort(c, n, sizeof(*c), cmp_claim);
	for (size_t i = 1; i < n; i++) {
		struct lvm_vgi *x = &s->vg[c[i - 1].vg], *y = &s->vg[c[i].vg];

		/* Within one VG, lvm_meta_parse() already refused a repeated UUID. */
		if (strcmp(c[i - 1].id, c[i].id) || x == y)
			continue;
		x->rc = y->rc = sr_fail(&x->err, EEXIST, "PV UUID %s is claimed by VG %s and VG %s",
					pretty_id(c[i].id, u), x->meta.name, y->meta.name);
		y->err = x->err;
	}
	free(c);
	return 0;
}

int lvm_assemble(struct lvm_dev *dev, unsigned ndev, struct lvm_scan *s, struct sr_error *err)
{
	struct text *t = NULL;
	unsigned nt = 0, cap = 0;
	char u[LVM_ID_LEN + 7], u2[LVM_ID_LEN + 7];
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->dev = dev;
	s->ndev = ndev;

	/* Parse each distinct good text once. */
	for (unsigned d = 0; d < ndev; d++)
		cap += dev[d].disk.nmda;
	if (cap && !(t = calloc(cap, sizeof(*t))))
		return sr_fail(err, ENOMEM, "out of memory");
	for (unsigned d = 0; d < ndev; d++) {
		for (unsigned c = 0; c < dev[d].disk.nmda; c++) {
			const struct lvm_mda_copy *m = &dev[d].disk.mda[c];

			if (m->rc < 0 || !m->text || text_index(t, nt, m) >= 0)
				continue;
			t[nt].text = m->text;
			t[nt].len = m->len;
			t[nt].sum = m->checksum;
			t[nt].rc = lvm_meta_parse(m->text, m->len, &t[nt].vg, &t[nt].err);
			nt++;
		}
	}
	note_copies(s, t, nt);

	/* One VG per VG UUID, from its newest text. */
	if (nt && !(s->vg = calloc(nt, sizeof(*s->vg)))) {
		rc = sr_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	for (unsigned i = 0; i < nt; i++) {
		struct text *best = NULL;
		struct lvm_vgi *v;

		if (t[i].rc < 0 || t[i].grouped)
			continue;
		for (unsigned j = 0; j < nt; j++) {
			if (t[j].rc < 0 || strcmp(t[j].vg.id, t[i].vg.id))
				continue;
			t[j].grouped = true;
			if (!best || t[j].vg.seqno > best->vg.seqno)
				best = &t[j];
		}
		v = &s->vg[s->nvg++];
		for (unsigned j = 0; j < nt; j++) {
			if (&t[j] == best || t[j].rc < 0 || strcmp(t[j].vg.id, best->vg.id) ||
			    t[j].vg.seqno != best->vg.seqno)
				continue;
			/* Same VG, same seqno, different text: lvm2 would pick; we refuse. */
			v->rc = sr_fail(&v->err, EBADMSG,
					"VG %s: two different metadata texts carry seqno %llu",
					best->vg.name, (unsigned long long)best->vg.seqno);
		}
		v->meta = best->vg;
		best->taken = true;
	}
	note_stale(s, t, nt);

	for (unsigned v = 0; v < s->nvg; v++)
		if (s->vg[v].rc == 0)
			s->vg[v].rc = map_pvs(s, &s->vg[v]);

	/* Names must be unique: lvm2 would act on one of them by guess. */
	for (unsigned a = 0; a < s->nvg; a++) {
		for (unsigned b = a + 1; b < s->nvg; b++) {
			struct lvm_vgi *x = &s->vg[a], *y = &s->vg[b];

			if (strcmp(x->meta.name, y->meta.name))
				continue;
			x->rc = y->rc = sr_fail_why(&x->err, EEXIST, SR_R_VG_NAME_CLASH,
						    "two VGs are named %s (UUIDs %s and %s); rename one with vgrename UUID NEWNAME",
						x->meta.name, pretty_id(x->meta.id, u),
						pretty_id(y->meta.id, u2));
			y->err = x->err;
		}
	}
	if ((rc = check_claims(s, err)) < 0)
		goto out;

	for (unsigned d = 0; d < ndev; d++) {
		bool in_vg = false, good = false, any = dev[d].disk.nmda == 0;

		for (unsigned v = 0; v < s->nvg && !in_vg; v++)
			in_vg = vg_uses_dev(&s->vg[v], d);
		for (unsigned c = 0; c < dev[d].disk.nmda; c++)
			good |= dev[d].disk.mda[c].rc == 0 && !dev[d].disk.mda[c].ignored;
		for (unsigned c = 0; c < dev[d].disk.nmda; c++)
			any |= dev[d].disk.mda[c].rc == 0 && dev[d].disk.mda[c].empty;
		if (in_vg)
			continue;
		if (!good && dev[d].disk.nmda)
			lvm_note(s, true,
				 "%s: PV %s has no readable metadata and no VG found lists it",
				 dev[d].path, pretty_id(dev[d].disk.label.pv_id, u));
		else if (any)
			lvm_note(s, false, "%s: PV %s belongs to no VG found", dev[d].path,
				 pretty_id(dev[d].disk.label.pv_id, u));
	}
out:
	for (unsigned i = 0; i < nt; i++)
		if (!t[i].taken)
			lvm_vg_free(&t[i].vg);
	free(t);
	return rc;
}

void lvm_scan_free(struct lvm_scan *s)
{
	for (unsigned v = 0; v < s->nvg; v++) {
		lvm_vg_free(&s->vg[v].meta);
		free(s->vg[v].dev);
	}
	free(s->vg);
	memset(s, 0, sizeof(*s));
}

const struct lvm_vgi *lvm_scan_find_vg(const struct lvm_scan *s, const char *name)
{
	for (unsigned v = 0; v < s->nvg; v++)
		if (!strcmp(s->vg[v].meta.name, name))
			return &s->vg[v];
	return NULL;
}

/* Selection ----------------------------------------------------------------- */

struct picks {
	struct lvm_target *t;
	unsigned n, cap;
};

static int pick(struct picks *p, unsigned vg, unsigned lv, bool ro, struct sr_error *err)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->t[i].vg == vg && p->t[i].lv == lv)
			return 0;
	if (p->n == p->cap) {
		unsigned cap = p->cap ? p->cap * 2 : 16;
		struct lvm_target *t = realloc(p->t, cap * sizeof(*t));

		if (!t)
			return sr_fail(err, ENOMEM, "out of memory");
		p->t = t;
		p->cap = cap;
	}
	p->t[p->n++] = (struct lvm_target){ vg, lv, ro };
	return 0;
}

static int vg_usable(const struct lvm_scan *s, const struct lvm_vgi *v, bool partial,
		     struct sr_error *err)
{
	char u[LVM_ID_LEN + 7];

	if (v->rc < 0) {
		if (err)
			*err = v->err;
		return v->rc;
	}
	if (v->meta.exported)
		return sr_fail(err, EPERM, "VG %s is exported (vgimport it first)", v->meta.name);
	if (v->meta.clustered || (v->meta.lock_type[0] && strcmp(v->meta.lock_type, "none")))
		return sr_fail_why(err, EPERM, SR_R_LV_UNSUPPORTED,
				   "VG %s is shared (lock type %s): activate it with lvm2 and its lock manager",
			       v->meta.name, v->meta.lock_type[0] ? v->meta.lock_type : "clvm");
	if (v->nmissing && !partial) {
		for (unsigned p = 0; p < v->meta.npv; p++) {
			const struct lvm_pv_meta *pv = &v->meta.pv[p];

			if (v->dev[p] >= 0)
				continue;
			if (pv->missing)
				return sr_fail_why(err, ENXIO, SR_R_PV_MISSING,
						   "VG %s: PV %s (UUID %s) is marked missing in the metadata (vgextend --restoremissing)",
					       v->meta.name, pv->name, pretty_id(pv->id, u));
			return sr_fail_why(err, ENXIO, SR_R_PV_MISSING, "VG %s is missing PV %s (UUID %s%s%s)%s",
				       v->meta.name, pv->name, pretty_id(pv->id, u),
				       pv->device[0] ? ", last seen as " : "", pv->device,
				       v->nmissing > 1 ? " and more" : "");
		}
	}
	(void)s;
	return 0;
}

static int lv_usable(const struct lvm_vgi *v, const struct lvm_lv *lv, struct sr_error *err)
{
	if (!lv->visible)
		return sr_fail(err, EPERM, "LV %s/%s is hidden: it is a part of another LV",
			       v->meta.name, lv->name);
	if (lv->unsupported[0])
		return sr_fail_why(err, EOPNOTSUPP, SR_R_LV_UNSUPPORTED,
				   "LV %s/%s: %s is not supported by sanroot-lvm; activate it with lvm2",
			       v->meta.name, lv->name, lv->unsupported);
	return 0;
}

/* A block device must hold every sector its LV maps: the kernel would refuse the table. */
static int lv_fits(const struct lvm_scan *s, const struct lvm_vgi *v, const struct lvm_lv *lv,
		   struct sr_error *err)
{
	for (unsigned i = 0; i < lv->nseg; i++) {
		const struct lvm_seg *g = &lv->seg[i];
		uint64_t len = g->extent_count / g->stripe_count * v->meta.extent_size;

		for (unsigned k = 0; k < g->stripe_count; k++) {
			const struct lvm_pv_meta *pv = &v->meta.pv[g->stripe[k].pv];
			const struct lvm_dev *d;
			uint64_t end;

			if (v->dev[g->stripe[k].pv] < 0)
				continue;
			d = &s->dev[v->dev[g->stripe[k].pv]];
			end = pv->pe_start + g->stripe[k].pe * v->meta.extent_size + len;
			if (d->block && end > d->size / LVM_SECTOR)
				return sr_fail(err, ENOSPC,
					       "LV %s/%s needs %llu sectors of PV %s (%s), which has %llu",
					       v->meta.name, lv->name, (unsigned long long)end,
					       pv->name, d->path,
					       (unsigned long long)(d->size / LVM_SECTOR));
		}
	}
	return 0;
}

static bool read_only(const struct lvm_request *rq, const struct lvm_vgi *v,
		      const struct lvm_lv *lv)
{
	return rq->read_only || v->nmissing || !v->meta.write || !lv->write;
}

/* Every visible LV of a VG; strict: a problem fails, otherwise it is skipped and noted. */
static int pick_vg(struct lvm_scan *s, const struct lvm_request *rq, unsigned vi, bool strict,
		   struct picks *p, struct sr_error *err)
{
	const struct lvm_vgi *v = &s->vg[vi];
	struct sr_error why;
	int rc;

	if ((rc = vg_usable(s, v, rq->partial, strict ? err : &why)) < 0) {
		if (strict)
			return rc;
		lvm_note(s, true, "skipped: %s", why.msg);
		return 0;
	}
	for (unsigned l = 0; l < v->meta.nlv; l++) {
		const struct lvm_lv *lv = &v->meta.lv[l];

		if (!lv->visible)
			continue;
		if (lv->activation_skip) {
			lvm_note(s, false,
				 "LV %s/%s is flagged to be skipped at activation: skipped",
				 v->meta.name, lv->name);
			continue;
		}
		if ((rc = lv_usable(v, lv, strict ? err : &why)) < 0 ||
		    (rc = lv_fits(s, v, lv, strict ? err : &why)) < 0) {
			if (strict)
				return rc;
			lvm_note(s, true, "skipped: %s", why.msg);
			continue;
		}
		if ((rc = pick(p, vi, l, read_only(rq, v, lv), err)) < 0)
			return rc;
	}
	return 0;
}

static int vg_index(const struct lvm_scan *s, const char *name, size_t len)
{
	for (unsigned v = 0; v < s->nvg; v++)
		if (strlen(s->vg[v].meta.name) == len && !memcmp(s->vg[v].meta.name, name, len))
			return (int)v;
	return -1;
}

int lvm_select(struct lvm_scan *s, const struct lvm_request *rq, struct lvm_target **out,
	       unsigned *n, struct sr_error *err)
{
	struct picks p = { 0 };
	int rc = 0, vi;

	*out = NULL;
	*n = 0;
	if (rq->all)
		for (unsigned v = 0; v < s->nvg && rc == 0; v++)
			rc = pick_vg(s, rq, v, false, &p, err);
	for (unsigned i = 0; i < rq->nvg && rc == 0; i++) {
		if ((vi = vg_index(s, rq->vg[i], strlen(rq->vg[i]))) < 0)
			rc = sr_fail_why(err, ENOENT, SR_R_VG_NOT_FOUND, "VG %.127s not found", rq->vg[i]);
		else
			rc = pick_vg(s, rq, (unsigned)vi, true, &p, err);
	}
	for (unsigned i = 0; i < rq->nlv && rc == 0; i++) {
		const char *slash = strchr(rq->lv[i], '/');
		const struct lvm_vgi *v;
		unsigned l;

		if (!slash || slash == rq->lv[i] || !slash[1] || strchr(slash + 1, '/')) {
			rc = sr_fail(err, EINVAL, "\"%.200s\" is not VG/LV", rq->lv[i]);
			break;
		}
		if ((vi = vg_index(s, rq->lv[i], (size_t)(slash - rq->lv[i]))) < 0) {
			rc = sr_fail_why(err, ENOENT, SR_R_VG_NOT_FOUND,
					 "VG %.*s not found", (int)(slash - rq->lv[i]), rq->lv[i]);
			break;
		}
		v = &s->vg[vi];
		if ((rc = vg_usable(s, v, rq->partial, err)) < 0)
			break;
		for (l = 0; l < v->meta.nlv && strcmp(v->meta.lv[l].name, slash + 1); l++)
			;
		if (l == v->meta.nlv) {
			rc = sr_fail_why(err, ENOENT, SR_R_LV_NOT_FOUND,
					 "VG %s has no LV %.127s", v->meta.name, slash + 1);
			break;
		}
		if ((rc = lv_usable(v, &v->meta.lv[l], err)) < 0 ||
		    (rc = lv_fits(s, v, &v->meta.lv[l], err)) < 0)
			break;
		rc = pick(&p, (unsigned)vi, l, read_only(rq, v, &v->meta.lv[l]), err);
	}
	if (rc < 0) {
		free(p.t);
		return rc;
	}
	*out = p.t;
	*n = p.n;
	return 0;
}
