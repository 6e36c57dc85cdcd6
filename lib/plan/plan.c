// SPDX-License-Identifier: GPL-2.0-only
/*
 * Resolving the boot plan. Every source is reduced to (key, value, origin,
 * position) parameters; parameters are applied in precedence order into
 * slots, several spellings sharing one slot (iscsi_username and
 * rd.iscsi.username); a value that replaces another from a different source
 * is recorded as a conflict for --explain. The slots then become targets,
 * network configurations, the root and LVM requests.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cmdline.h"
#include "plan/conf.h"
#include "firmware/ibft.h"
#include "plan/plan.h"

#define DEFAULT_TIMEOUT 180
#define LIST_MAX 16

enum slot {
	S_INITIATOR, S_TGT_NAME, S_TGT_IP, S_TGT_PORT, S_TGT_GROUP,
	S_USER, S_PASS, S_IN_USER, S_IN_PASS, S_FIRMWARE,
	S_ROOT, S_NETROOT, S_IP, S_BOOTIF, S_IFNAME, S_VLAN,
	S_ROOTFSTYPE, S_ROOTFLAGS, S_RO, S_INIT, S_ROOTDELAY,
	S_LVM, S_LVM_VG, S_LVM_LV,
	S_ISCSI_PARAM, S_LOGIN_RETRY, S_WAITNET,
	S_SR_TIMEOUT, S_SR_SHELL, S_SR_DEBUG, S_SR_KEEP, S_SR_MD5, S_SR_NOAUTH,
	S_MPATH, S_SR_MPATH,
	S_MAX
};

enum {
	K_LIST = 1 << 0,	/* repeatable: every value counts */
	K_SECRET = 1 << 1,	/* never shown */
	K_FLAG = 1 << 2,	/* meaningful without a value */
	K_BOOL = 1 << 3,	/* flag, or =0/1/yes/no/on/off/true/false */
};

struct key_def {
	const char *name;
	enum slot slot;
	unsigned flags;
};

static const struct key_def keys[] = {
	{ "iscsi_initiator", S_INITIATOR, 0 },
	{ "rd.iscsi.initiator", S_INITIATOR, 0 },
	{ "iscsi_target_name", S_TGT_NAME, 0 },
	{ "rd.iscsi.target.name", S_TGT_NAME, 0 },
	{ "iscsi_target_ip", S_TGT_IP, 0 },
	{ "rd.iscsi.target.ip", S_TGT_IP, 0 },
	{ "iscsi_target_port", S_TGT_PORT, 0 },
	{ "rd.iscsi.target.port", S_TGT_PORT, 0 },
	{ "iscsi_target_group", S_TGT_GROUP, 0 },
	{ "rd.iscsi.target.group", S_TGT_GROUP, 0 },
	{ "iscsi_username", S_USER, 0 },
	{ "rd.iscsi.username", S_USER, 0 },
	{ "iscsi_password", S_PASS, K_SECRET },
	{ "rd.iscsi.password", S_PASS, K_SECRET },
	{ "iscsi_in_username", S_IN_USER, 0 },
	{ "rd.iscsi.in.username", S_IN_USER, 0 },
	{ "iscsi_in_password", S_IN_PASS, K_SECRET },
	{ "rd.iscsi.in.password", S_IN_PASS, K_SECRET },
	{ "iscsi_auto", S_FIRMWARE, K_FLAG },
	{ "iscsi_firmware", S_FIRMWARE, K_FLAG },
	{ "rd.iscsi.firmware", S_FIRMWARE, K_BOOL },
	{ "rd.iscsi.ibft", S_FIRMWARE, K_BOOL },
	{ "sanroot.ibft", S_FIRMWARE, K_BOOL },
	{ "root", S_ROOT, K_SECRET },	/* root=iscsi:user:pass@... */
	{ "netroot", S_NETROOT, K_LIST | K_SECRET },
	{ "ip", S_IP, K_LIST },
	{ "BOOTIF", S_BOOTIF, 0 },
	{ "ifname", S_IFNAME, K_LIST },
	{ "vlan", S_VLAN, K_LIST },
	{ "rootfstype", S_ROOTFSTYPE, 0 },
	{ "rootflags", S_ROOTFLAGS, 0 },
	{ "ro", S_RO, K_FLAG },
	{ "rw", S_RO, K_FLAG },
	{ "init", S_INIT, 0 },
	{ "rootdelay", S_ROOTDELAY, 0 },
	{ "rd.lvm", S_LVM, K_BOOL },
	{ "rd.lvm.vg", S_LVM_VG, K_LIST },
	{ "rd.lvm.lv", S_LVM_LV, K_LIST },
	{ "rd.iscsi.param", S_ISCSI_PARAM, K_LIST },
	{ "rd.iscsi.login_retry_max", S_LOGIN_RETRY, 0 },
	{ "rd.iscsi.waitnet", S_WAITNET, K_BOOL },
	{ "sanroot.timeout", S_SR_TIMEOUT, 0 },
	{ "sanroot.shell", S_SR_SHELL, K_BOOL },
	{ "sanroot.debug", S_SR_DEBUG, K_BOOL },
	{ "sanroot.keep", S_SR_KEEP, K_BOOL },
	{ "sanroot.md5", S_SR_MD5, K_BOOL },
	{ "sanroot.noauth", S_SR_NOAUTH, K_BOOL },
	{ "rd.multipath", S_MPATH, 0 },		/* dracut: "default", or 0 for none */
	{ "sanroot.multipath", S_SR_MPATH, K_BOOL },
};

/* open-iscsi's /etc/iscsi/iscsi.initramfs variables and the keys they stand for. */
static const struct { const char *var, *key; } iscsi_vars[] = {
	{ "ISCSI_INITIATOR", "iscsi_initiator" },
	{ "ISCSI_TARGET_NAME", "iscsi_target_name" },
	{ "ISCSI_TARGET_IP", "iscsi_target_ip" },
	{ "ISCSI_TARGET_PORT", "iscsi_target_port" },
	{ "ISCSI_TARGET_GROUP", "iscsi_target_group" },
	{ "ISCSI_USERNAME", "iscsi_username" },
	{ "ISCSI_PASSWORD", "iscsi_password" },
	{ "ISCSI_IN_USERNAME", "iscsi_in_username" },
	{ "ISCSI_IN_PASSWORD", "iscsi_in_password" },
	{ "ISCSI_AUTO", "iscsi_auto" },
};

struct param {
	char *key;
	char *val;		/* NULL: given without '=' */
	enum plan_origin origin;
	unsigned src;		/* index into plan_input.src */
	unsigned line, col;	/* line 0: the command line (col is the byte) */
	size_t seq;		/* order of arrival, for a stable sort */
	const struct key_def *def;
};

struct plan_input {
	struct param *p;
	size_t n, cap;
	struct plan_source_info src[8];
	unsigned nsrc;
	struct ibft ibft;
	bool has_ibft;
	char ibft_name[PLAN_PATH_MAX];
	struct { char path[PLAN_PATH_MAX]; char from[PLAN_PATH_MAX]; } rootpath[4];
	unsigned nrootpaths;
};

const char *plan_origin_name(enum plan_origin o)
{
	switch (o) {
	case ORIGIN_DEFAULT: return "default";
	case ORIGIN_ISCSI_INITRAMFS: return "iscsi.initramfs";
	case ORIGIN_SANROOT_CONF: return "sanroot.conf";
	case ORIGIN_CMDLINE: return "command line";
	case ORIGIN_IBFT: return "iBFT";
	case ORIGIN_DHCP: return "DHCP";
	default: return "none";
	}
}

const char *plan_ip_method_name(enum plan_ip_method m)
{
	static const char *names[] = { "unset", "off", "static", "dhcp", "dhcp6", "auto6", "ibft" };

	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

struct plan_input *plan_input_new(void)
{
	return calloc(1, sizeof(struct plan_input));
}

size_t plan_chap_secret_len(const struct plan_chap *c)
{
	return c->secret[0] ? strnlen(c->secret, sizeof(c->secret)) : c->wiped_len;
}

static void wipe_chap(struct plan_chap *c)
{
	if (c->secret[0])
		c->wiped_len = strnlen(c->secret, sizeof(c->secret));
	explicit_bzero(c->secret, sizeof(c->secret));
}

void plan_wipe_secrets(struct plan *p)
{
	for (unsigned i = 0; i < PLAN_MAX_TARGETS; i++) {
		wipe_chap(&p->target[i].chap);
		wipe_chap(&p->target[i].rchap);
	}
}

void plan_input_free(struct plan_input *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->n; i++) {
		free(in->p[i].key);
		if (in->p[i].val) {
			/* values may be secrets: leave nothing behind in the heap */
			explicit_bzero(in->p[i].val, strlen(in->p[i].val));
			free(in->p[i].val);
		}
	}
	free(in->p);
	explicit_bzero(&in->ibft, sizeof(in->ibft));
	free(in);
}

static const struct key_def *find_key(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == n && memcmp(keys[i].name, k, n) == 0)
			return &keys[i];
	return NULL;
}

struct add_ctx {
	struct plan_input *in;
	enum plan_origin origin;
	unsigned src;
	struct sr_error *err;
	bool map_vars;		/* iscsi.initramfs: translate ISCSI_* names */
};

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static const char *where(const struct plan_input *in, const struct param *p, char *buf, size_t len)
{
	const struct plan_source_info *s = &in->src[p->src];

	if (p->line == 0)
		snprintf(buf, len, "%s, column %u", s->name, p->col);
	else
		snprintf(buf, len, "%s, line %u column %u", s->name, p->line, p->col);
	return buf;
}

static int add_param(void *vctx, const char *key, size_t keylen, const char *val,
		     size_t vallen, bool has_val, unsigned line, unsigned col)
{
	struct add_ctx *c = vctx;
	struct plan_input *in = c->in;
	struct param *p;

	if (c->map_vars) {
		size_t i;

		for (i = 0; i < sizeof(iscsi_vars) / sizeof(iscsi_vars[0]); i++)
			if (strlen(iscsi_vars[i].var) == keylen &&
			    memcmp(iscsi_vars[i].var, key, keylen) == 0)
				break;
		if (i == sizeof(iscsi_vars) / sizeof(iscsi_vars[0]))
			return 0;	/* another variable of the shell file */
		key = iscsi_vars[i].key;
		keylen = strlen(key);
		if (keylen == strlen("iscsi_auto") && vallen == 0)
			return 0;	/* ISCSI_AUTO= (empty) means off */
		if (!strcmp(key, "iscsi_auto"))
			has_val = false;
	}
	if (memchr(key, '\0', keylen) || (has_val && memchr(val, '\0', vallen)))
		return sr_fail(c->err, EINVAL, "%s: a parameter contains a NUL byte",
			       in->src[c->src].name);
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 64;
		struct param *np = realloc(in->p, cap * sizeof(*np));

		if (!np)
			return sr_fail(c->err, ENOMEM, "out of memory");
		in->p = np;
		in->cap = cap;
	}
	p = &in->p[in->n];
	memset(p, 0, sizeof(*p));
	p->key = dupn(key, keylen);
	p->val = has_val ? dupn(val, vallen) : NULL;
	if (!p->key || (has_val && !p->val)) {
		free(p->key);
		free(p->val);
		return sr_fail(c->err, ENOMEM, "out of memory");
	}
	p->origin = c->origin;
	p->src = c->src;
	p->line = line;
	p->col = col;
	p->seq = in->n;
	p->def = find_key(key, keylen);
	in->n++;
	in->src[c->src].nparams++;
	return 0;
}

static int add_source(struct plan_input *in, enum plan_origin origin, const char *name,
		      struct add_ctx *c, struct sr_error *err)
{
	if (in->nsrc == sizeof(in->src) / sizeof(in->src[0]))
		return sr_fail(err, E2BIG, "too many sources");
	memset(&in->src[in->nsrc], 0, sizeof(in->src[0]));
	in->src[in->nsrc].origin = origin;
	snprintf(in->src[in->nsrc].name, sizeof(in->src[0].name), "%s", name);
	*c = (struct add_ctx){ .in = in, .origin = origin, .src = in->nsrc, .err = err };
	in->nsrc++;
	return 0;
}

int plan_add_cmdline(struct plan_input *in, const char *text, size_t len,
		     const char *name, struct sr_error *err)
{
	struct add_ctx c;
	struct cmdline_arg a;
	size_t off = 0;
	int rc;

	if ((rc = add_source(in, ORIGIN_CMDLINE, name, &c, err)) < 0)
		return rc;
	while (cmdline_next(text, len, &off, &a)) {
		if (a.keylen == 0)
			continue;	/* a lone "=": the kernel ignores it too */
		if ((rc = add_param(&c, a.key, a.keylen, a.val, a.vallen, a.val != NULL, 0,
				    (unsigned)a.pos + 1)) < 0)
			return rc;
	}
	return 0;
}

int plan_add_sanroot_conf(struct plan_input *in, const char *text, size_t len,
			  const char *name, struct sr_error *err)
{
	struct add_ctx c;
	int rc;

	if ((rc = add_source(in, ORIGIN_SANROOT_CONF, name, &c, err)) < 0)
		return rc;
	if ((rc = conf_parse_sanroot(text, len, add_param, &c, err)) < 0 &&
	    err && !strstr(err->msg, name)) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		return sr_fail(err, rc, "%s: %s", name, why);
	}
	return rc;
}

int plan_add_iscsi_initramfs(struct plan_input *in, const char *text, size_t len,
			     const char *name, struct sr_error *err)
{
	struct add_ctx c;
	int rc;

	if ((rc = add_source(in, ORIGIN_ISCSI_INITRAMFS, name, &c, err)) < 0)
		return rc;
	c.map_vars = true;
	if ((rc = conf_parse_assignments(text, len, add_param, &c, err)) < 0 && err) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		return sr_fail(err, rc, "%s: %s", name, why);
	}
	return rc;
}

int plan_add_ibft(struct plan_input *in, const struct ibft *t, const char *name)
{
	in->ibft = *t;
	in->has_ibft = true;
	snprintf(in->ibft_name, sizeof(in->ibft_name), "%s", name);
	return 0;
}

int plan_add_dhcp_rootpath(struct plan_input *in, const char *rootpath, const char *name)
{
	if (in->nrootpaths == sizeof(in->rootpath) / sizeof(in->rootpath[0]))
		return -E2BIG;
	snprintf(in->rootpath[in->nrootpaths].path, PLAN_PATH_MAX, "%s", rootpath);
	snprintf(in->rootpath[in->nrootpaths].from, PLAN_PATH_MAX, "%s", name);
	in->nrootpaths++;
	return 0;
}

/* Resolution ------------------------------------------------------------- */

struct slots {
	struct param *one[S_MAX];
	struct param *list[S_MAX][LIST_MAX];
	unsigned nlist[S_MAX];
};

__attribute__((format(printf, 3, 4)))
static void note(struct plan *p, enum plan_note_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (p->nnotes == PLAN_MAX_NOTES)
		return;
	p->note[p->nnotes].kind = kind;
	va_start(ap, fmt);
	vsnprintf(p->note[p->nnotes].text, PLAN_NOTE_MAX, fmt, ap);
	va_end(ap);
	p->nnotes++;
}

static const char *shown(const struct param *p)
{
	if (!p->val)
		return "(flag)";
	if (p->def && (p->def->flags & K_SECRET) &&
	    (p->def->slot != S_ROOT || strncmp(p->val, "iscsi:", 6) == 0))
		return "********";
	return p->val;
}

static int cmp_param(const void *a, const void *b)
{
	const struct param *x = *(struct param *const *)a, *y = *(struct param *const *)b;

	if (x->origin != y->origin)
		return x->origin < y->origin ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int fill_slots(struct plan_input *in, struct plan *p, struct slots *s,
		      struct sr_error *err)
{
	struct param **order = malloc((in->n ? in->n : 1) * sizeof(*order));
	char w1[PLAN_PATH_MAX + 32], w2[PLAN_PATH_MAX + 32];

	if (!order)
		return sr_fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < in->n; i++)
		order[i] = &in->p[i];
	qsort(order, in->n, sizeof(*order), cmp_param);

	for (size_t i = 0; i < in->n; i++) {
		struct param *q = order[i];
		const struct key_def *d = q->def;

		if (!d) {
			if (strncmp(q->key, "sanroot.", 8) == 0) {
				sr_fail_why(err, EINVAL, SR_R_PLAN_UNKNOWN_PARAM, "unknown parameter '%.40s' (%s)", q->key,
					where(in, q, w1, sizeof(w1)));
				free(order);
				return -EINVAL;
			}
			continue;	/* someone else's parameter */
		}
		if (!q->val && !(d->flags & (K_FLAG | K_BOOL))) {
			sr_fail(err, EINVAL, "%s needs a value (%s)", q->key,
				where(in, q, w1, sizeof(w1)));
			free(order);
			return -EINVAL;
		}
		in->src[q->src].nused++;

		if (d->flags & K_LIST) {
			unsigned *n = &s->nlist[d->slot];

			if (*n && s->list[d->slot][0]->origin != q->origin) {
				note(p, NOTE_CONFLICT, "%s from %s replaces %u value(s) from %s",
				     q->key, in->src[q->src].name, *n,
				     in->src[s->list[d->slot][0]->src].name);
				*n = 0;
			}
			if (*n == LIST_MAX) {
				note(p, NOTE_WARN, "%s given more than %d times; the rest is ignored",
				     q->key, LIST_MAX);
				continue;
			}
			s->list[d->slot][(*n)++] = q;
			continue;
		}

		struct param *old = s->one[d->slot];
		if (old && (old->val == NULL) == (q->val == NULL) &&
		    (!old->val || strcmp(old->val, q->val) == 0) && !strcmp(old->key, q->key)) {
			s->one[d->slot] = q;
			continue;	/* the same thing said twice */
		}
		if (old && old->origin != q->origin)
			note(p, NOTE_CONFLICT, "%s=%s (%s) overrides %s=%s (%s)",
			     q->key, shown(q), where(in, q, w1, sizeof(w1)),
			     old->key, shown(old), where(in, old, w2, sizeof(w2)));
		else if (old && d->slot != S_RO)
			note(p, NOTE_INFO, "%s given twice in %s; the last (%s=%s) wins",
			     d->name, in->src[q->src].name, q->key, shown(q));
		s->one[d->slot] = q;
	}
	free(order);
	return 0;
}

static bool is_true(const struct param *q, bool *ok)
{
	static const char *yes[] = { "1", "yes", "y", "on", "true" };
	static const char *no[] = { "0", "no", "n", "off", "false" };

	*ok = true;
	if (!q->val || !q->val[0])
		return true;
	for (size_t i = 0; i < 5; i++) {
		if (!strcasecmp(q->val, yes[i]))
			return true;
		if (!strcasecmp(q->val, no[i]))
			return false;
	}
	*ok = false;
	return false;
}

static int get_bool(const struct plan_input *in, const struct slots *s, enum slot sl,
		    bool dflt, bool *out, struct sr_error *err)
{
	const struct param *q = s->one[sl];
	char w[PLAN_PATH_MAX + 32];
	bool ok;

	*out = dflt;
	if (!q)
		return 0;
	*out = is_true(q, &ok);
	if (!ok)
		return sr_fail(err, EINVAL, "%s=%.20s is not a boolean (0/1, yes/no, on/off) (%s)",
			       q->key, q->val, where(in, q, w, sizeof(w)));
	return 0;
}

static int get_uint(const struct plan_input *in, const struct param *q, unsigned max,
		    unsigned *out, struct sr_error *err)
{
	char w[PLAN_PATH_MAX + 32], *end;
	unsigned long v;

	if (!q)
		return 0;
	errno = 0;
	v = strtoul(q->val, &end, 10);
	if (!isdigit((unsigned char)q->val[0]) || *end || errno || v > max)
		return sr_fail(err, EINVAL, "%s=%.20s is not a number from 0 to %u (%s)",
			       q->key, q->val, max, where(in, q, w, sizeof(w)));
	*out = (unsigned)v;
	return 0;
}

/* Wrap a value parser's message with the parameter and where it was written. */
static int bad_value(const struct plan_input *in, const struct param *q, int rc,
		     struct sr_error *err)
{
	char w[PLAN_PATH_MAX + 32], why[sizeof(err->msg)];

	snprintf(why, sizeof(why), "%s", err->msg);
	return sr_fail(err, rc, "%s= (%s): %s", q->key, where(in, q, w, sizeof(w)), why);
}

/*
 * A string that may be a secret, cut to cap: not through snprintf, whose
 * musl implementation leaves what it formats in a buffer on its stack.
 */
static void copy_secret(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int copy_value(const struct plan_input *in, const struct param *q, char *dst,
		      size_t dstlen, struct sr_error *err)
{
	char w[PLAN_PATH_MAX + 32];

	if (!q)
		return 0;
	if (strlen(q->val) >= dstlen)
		return sr_fail(err, ENAMETOOLONG, "%s is longer than %zu bytes (%s)", q->key,
			       dstlen - 1, where(in, q, w, sizeof(w)));
	copy_secret(dst, dstlen, q->val);	/* values may be secrets */
	return 0;
}

static bool same_target(const struct plan_target *a, const struct plan_target *b)
{
	return !strcmp(a->name, b->name) && a->nportals && b->nportals &&
	       !strcmp(a->portal[0].host, b->portal[0].host) &&
	       a->portal[0].port == b->portal[0].port;
}

static int push_target(struct plan *p, const struct plan_target *t)
{
	for (unsigned i = 0; i < p->ntargets; i++) {
		if (same_target(&p->target[i], t)) {
			note(p, NOTE_INFO, "target %s at %s named twice; used once", t->name,
			     t->portal[0].host);
			return 0;
		}
	}
	if (p->ntargets == PLAN_MAX_TARGETS) {
		note(p, NOTE_WARN, "more than %d targets; %s is ignored", PLAN_MAX_TARGETS, t->name);
		return 0;
	}
	p->target[p->ntargets++] = *t;
	return 0;
}

/* Targets written as iscsi: root paths (root=, netroot=). */
static int targets_from_paths(const struct plan_input *in, const struct slots *s,
			      struct plan *p, struct sr_error *err)
{
	const struct param *root = s->one[S_ROOT];
	bool root_iscsi = root && !strncmp(root->val, "iscsi:", 6);
	int rc;

	if (root_iscsi) {
		struct plan_target t;

		rc = plan_parse_iscsi_uri(root->val, &t, err);
		if (rc == 0) {
			t.origin = root->origin;
			push_target(p, &t);
		}
		explicit_bzero(&t, sizeof(t));	/* a root path may carry CHAP secrets */
		if (rc < 0)
			return bad_value(in, root, rc, err);
		if (s->nlist[S_NETROOT])
			note(p, NOTE_INFO, "root=iscsi:... takes precedence over netroot= (as in dracut); netroot= is ignored");
		return 0;
	}
	for (unsigned i = 0; i < s->nlist[S_NETROOT]; i++) {
		const struct param *q = s->list[S_NETROOT][i];
		struct plan_target t;

		if (!strcmp(q->val, "dhcp") || !strcmp(q->val, "dhcp6")) {
			p->root.from_dhcp = true;
			continue;
		}
		if (!strcmp(q->val, "iscsi")) {
			p->iscsi.firmware = true;	/* dracut: netroot=iscsi with the firmware */
			continue;
		}
		if (strncmp(q->val, "iscsi:", 6)) {
			char w[PLAN_PATH_MAX + 32];

			note(p, NOTE_WARN, "netroot=%.40s (%s) is not iSCSI; sanroot ignores it",
			     q->val, where(in, q, w, sizeof(w)));
			continue;
		}
		rc = plan_parse_iscsi_uri(q->val, &t, err);
		if (rc == 0) {
			t.origin = q->origin;
			push_target(p, &t);
		}
		explicit_bzero(&t, sizeof(t));
		if (rc < 0)
			return bad_value(in, q, rc, err);
	}
	return 0;
}

/* The open-iscsi / dracut single-target keys (iscsi_target_*, rd.iscsi.target.*). */
static int target_from_keys(const struct plan_input *in, const struct slots *s,
			    struct plan *p, struct sr_error *err)
{
	const struct param *ip = s->one[S_TGT_IP], *name = s->one[S_TGT_NAME];
	struct plan_target t;
	uint16_t port = ISCSI_DEFAULT_PORT;
	char w[PLAN_PATH_MAX + 32];
	int rc;

	if (!ip && !name)
		return 0;
	if (!ip)
		return sr_fail(err, EINVAL, "%s is given but no target address (iscsi_target_ip=) (%s)",
			       name->key, where(in, name, w, sizeof(w)));
	memset(&t, 0, sizeof(t));
	t.tpgt = -1;
	t.ibft_nic = -1;
	t.origin = (name && name->origin > ip->origin) ? name->origin : ip->origin;
	if ((rc = copy_value(in, name, t.name, sizeof(t.name), err)) < 0)
		return rc;
	if (s->one[S_TGT_PORT]) {
		unsigned v = 0;

		if ((rc = get_uint(in, s->one[S_TGT_PORT], 65535, &v, err)) < 0)
			return rc;
		if (v == 0)
			return sr_fail(err, EINVAL, "%s=0 is not a port (%s)", s->one[S_TGT_PORT]->key,
				       where(in, s->one[S_TGT_PORT], w, sizeof(w)));
		port = (uint16_t)v;
	}
	if (s->one[S_TGT_GROUP]) {
		unsigned v = 0;

		if ((rc = get_uint(in, s->one[S_TGT_GROUP], 65535, &v, err)) < 0)
			return rc;
		t.tpgt = (int)v;
	}
	/* open-iscsi's script loops over a space-separated list: one portal each. */
	const char *v = ip->val;
	while (*v) {
		size_t n;

		while (*v == ' ' || *v == ',')
			v++;
		n = strcspn(v, " ,");
		if (n == 0)
			break;
		if (t.nportals == PLAN_MAX_PORTALS) {
			note(p, NOTE_WARN, "%s lists more than %d portals; the rest is ignored",
			     ip->key, PLAN_MAX_PORTALS);
			break;
		}
		char one[HOSTPORT_HOST_MAX];
		struct hostport *pt = &t.portal[t.nportals];

		if (n >= sizeof(one))
			return sr_fail(err, EINVAL, "%s: an address is too long (%s)", ip->key,
				       where(in, ip, w, sizeof(w)));
		memcpy(one, v, n);
		one[n] = '\0';
		if ((rc = hostport_parse(one, port, pt, err)) < 0)
			return bad_value(in, ip, rc, err);
		t.nportals++;
		v += n;
	}
	if (t.nportals == 0)
		return sr_fail(err, EINVAL, "%s is empty (%s)", ip->key, where(in, ip, w, sizeof(w)));
	return push_target(p, &t);
}

/*
 * An IPv4 address in 240.0.0.0/4 (RFC 1112 §4's class E, reserved; the
 * broadcast address aside): no target has one. iPXE fills the iBFT's target
 * field from its socket address as if it were IPv4, so an IPv6 target's first
 * four bytes land there as an IPv4-mapped address: fd00::/8, fe80::/10 and
 * fec0::/10 all read as 240.0.0.0/4 (2000::/3 would read as a public address).
 */
static bool ibft_addr_class_e(const char *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, ip, &a) != 1)
		return false;
	uint32_t h = ntohl(a.s_addr);
	return (h & 0xf0000000u) == 0xf0000000u && h != 0xffffffffu;
}

static void targets_from_ibft(const struct plan_input *in, struct plan *p)
{
	const struct ibft *b = &in->ibft;

	/* Boot-selected targets first, then the other valid ones. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < b->ntargets; i++) {
			const struct ibft_target *g = &b->target[i];
			struct plan_target t;
			bool boot = g->flags & IBFT_FL_BOOT;

			if (!(g->flags & IBFT_FL_VALID) || boot != (pass == 0))
				continue;
			if (!g->ip[0] || !g->name[0]) {
				note(p, NOTE_WARN, "iBFT target%u has no address or name; skipped", g->index);
				continue;
			}
			if (ibft_addr_class_e(g->ip))
				note(p, NOTE_WARN,
				     "iBFT target%u's address %s is in 240.0.0.0/4, where no host is: iPXE writes an IPv6 target's first 4 bytes so ([fec0::2] reads 254.192.0.0); name it in netroot=iscsi:[ADDR]::PORT:LUN:TARGET",
				     g->index, g->ip);
			memset(&t, 0, sizeof(t));
			t.tpgt = -1;
			snprintf(t.name, sizeof(t.name), "%s", g->name);
			snprintf(t.portal[0].host, sizeof(t.portal[0].host), "%s", g->ip);
			t.portal[0].port = g->port ? g->port : ISCSI_DEFAULT_PORT;
			t.nportals = 1;
			t.lun = g->lun;
			t.lun_set = true;
			if (g->chap_type >= IBFT_CHAP_ONEWAY) {
				copy_secret(t.chap.name, sizeof(t.chap.name), g->chap_name);
				copy_secret(t.chap.secret, sizeof(t.chap.secret), g->chap_secret);
			}
			if (g->chap_type == IBFT_CHAP_MUTUAL) {
				copy_secret(t.rchap.name, sizeof(t.rchap.name), g->rchap_name);
				copy_secret(t.rchap.secret, sizeof(t.rchap.secret), g->rchap_secret);
			}
			t.origin = ORIGIN_IBFT;
			t.ibft_nic = g->nic;
			t.boot = boot;
			push_target(p, &t);
			explicit_bzero(&t, sizeof(t));
		}
	}
}

/* DHCP root paths: with root=dhcp, or when nothing else named a target. */
static void targets_from_dhcp(const struct plan_input *in, struct plan *p)
{
	bool use = p->root.from_dhcp || p->ntargets == 0;

	for (unsigned i = 0; i < in->nrootpaths; i++) {
		const char *rp = in->rootpath[i].path, *from = in->rootpath[i].from;
		struct plan_target t;
		struct sr_error e = { 0 };

		if (!use) {
			note(p, NOTE_INFO, "the DHCP root path in %s is unused: the plan names its own target", from);
			continue;
		}
		if (strncmp(rp, "iscsi:", 6) != 0) {
			note(p, NOTE_WARN, "the DHCP root path in %s is not iSCSI; ignored", from);
			continue;
		}
		if (plan_parse_iscsi_uri(rp, &t, &e) < 0) {
			note(p, NOTE_WARN, "the DHCP root path in %s is not a valid iSCSI root path: %s", from, e.msg);
			continue;
		}
		t.origin = ORIGIN_DHCP;
		push_target(p, &t);
	}
	if (p->root.from_dhcp && in->nrootpaths == 0)
		note(p, NOTE_INFO, "root=dhcp: the target comes from the DHCP root path (option 17) once the network is up");
}

static bool is_ipv6_text(const char *a)
{
	return strchr(a, ':') != NULL;
}

/* Copy an address from the table when it has the NIC's family; say so when it has not. */
static void ibft_copy_addr(struct plan *p, const struct ibft_nic *n, bool v6, const char *what,
			   char *dst, size_t len, const char *a)
{
	if (a[0] && is_ipv6_text(a) != v6) {
		note(p, NOTE_WARN, "iBFT NIC %u's %s %s is not %s like its address; left out",
		     n->index, what, a, v6 ? "IPv6" : "IPv4");
		return;
	}
	snprintf(dst, len, "%s", a);
}

/*
 * One iBFT NIC as a configuration. Its origin byte is Windows'
 * IP_PREFIX_ORIGIN (iBFT 1.03 §3.6): 1 manual, 3 DHCP, 4 router
 * advertisement. The family comes from the address (or, without one, from the
 * DHCP server's or the gateway's): DHCP on an IPv6 NIC is DHCPv6, a router
 * advertisement is SLAAC, and anything else is the static address with its
 * prefix length, as ip=[ADDR]::[GW]:PREFIX::DEV:none gives it.
 */
static void net_from_ibft_nic(struct plan *p, const struct ibft_nic *n, struct plan_net *net)
{
	const char *fam = n->ip[0] ? n->ip : n->dhcp[0] ? n->dhcp : n->gateway;
	bool v6 = is_ipv6_text(fam);

	memset(net, 0, sizeof(*net));
	net->origin = ORIGIN_IBFT;
	memcpy(net->mac, n->mac, 6);
	net->has_mac = true;
	net->vlan = n->vlan & 0x0fff;
	snprintf(net->hostname, sizeof(net->hostname), "%s", n->hostname);
	if (n->origin == IBFT_ORIGIN_RA) {
		net->method = IP_AUTO6;
	} else if (n->origin == IBFT_ORIGIN_DHCP || (!n->ip[0] && n->dhcp[0])) {
		/* iPXE records origin 3 (DHCP) and the address it leased. */
		net->method = v6 ? IP_DHCP6 : IP_DHCP;
	} else {
		net->method = IP_STATIC;
		snprintf(net->addr, sizeof(net->addr), "%s", n->ip);
		net->prefix = n->prefix;
		if (v6 && n->ip[0] && !n->prefix) {
			net->prefix = 64;
			note(p, NOTE_INFO, "iBFT NIC %u gives %s no prefix length; /64 assumed",
			     n->index, n->ip);
		}
		/* sanroot-net refuses a gateway or a DNS server of the other family */
		ibft_copy_addr(p, n, v6, "gateway", net->gateway, sizeof(net->gateway), n->gateway);
		ibft_copy_addr(p, n, v6, "DNS server", net->dns[0], sizeof(net->dns[0]), n->dns[0]);
		ibft_copy_addr(p, n, v6, "second DNS server", net->dns[1], sizeof(net->dns[1]),
			       n->dns[1]);
		return;
	}
	snprintf(net->gateway, sizeof(net->gateway), "%s", n->gateway);
	snprintf(net->dns[0], sizeof(net->dns[0]), "%s", n->dns[0]);
	snprintf(net->dns[1], sizeof(net->dns[1]), "%s", n->dns[1]);
}

/* ip=ibft, or the firmware asked for: one configuration per NIC the targets use. */
static void nets_from_ibft(const struct plan_input *in, struct plan *p)
{
	const struct ibft *b = &in->ibft;

	for (unsigned i = 0; i < b->nnics && p->nnets < PLAN_MAX_NETS; i++) {
		const struct ibft_nic *n = &b->nic[i];
		bool used = false;

		if (!(n->flags & IBFT_FL_VALID))
			continue;
		for (unsigned k = 0; k < p->ntargets; k++)
			used |= p->target[k].origin == ORIGIN_IBFT && p->target[k].ibft_nic == n->index;
		if (!used && !(n->flags & IBFT_FL_BOOT))
			continue;
		net_from_ibft_nic(p, n, &p->net[p->nnets++]);
	}
}

static int resolve_net(const struct plan_input *in, const struct slots *s, struct plan *p,
		       bool *want_ibft_net, struct sr_error *err)
{
	char w[PLAN_PATH_MAX + 32];
	int rc;

	for (unsigned i = 0; i < s->nlist[S_IP]; i++) {
		const struct param *q = s->list[S_IP][i];
		struct plan_net n;

		if ((rc = plan_parse_ip(q->val, &n, err)) < 0)
			return bad_value(in, q, rc, err);
		n.origin = q->origin;
		if (n.method == IP_IBFT) {
			*want_ibft_net = true;
			continue;
		}
		if (p->nnets == PLAN_MAX_NETS) {
			note(p, NOTE_WARN, "more than %d ip= configurations; the rest is ignored",
			     PLAN_MAX_NETS);
			break;
		}
		p->net[p->nnets++] = n;
	}

	if (s->one[S_BOOTIF]) {
		const struct param *q = s->one[S_BOOTIF];
		const char *v = q->val;

		/* pxelinux ipappend 2: the ARP hardware type, then the MAC, '-'-separated. */
		if (strlen(v) == 20 && v[2] == '-')
			v += 3;
		if (plan_parse_mac(v, p->bootif) < 0)
			return sr_fail(err, EINVAL, "BOOTIF=%.24s is not 01-aa-bb-cc-dd-ee-ff (%s)",
				       q->val, where(in, q, w, sizeof(w)));
		p->has_bootif = true;
	}

	for (unsigned i = 0; i < s->nlist[S_IFNAME]; i++) {
		const struct param *q = s->list[S_IFNAME][i];
		const char *colon = strchr(q->val, ':');
		struct plan_ifname *f;

		if (p->nifnames == PLAN_MAX_IFNAMES)
			break;
		f = &p->ifname[p->nifnames];
		if (!colon || colon == q->val || (size_t)(colon - q->val) >= sizeof(f->name) ||
		    plan_parse_mac(colon + 1, f->mac) < 0)
			return sr_fail(err, EINVAL, "ifname=%.40s is not <name>:<MAC> (%s)", q->val,
				       where(in, q, w, sizeof(w)));
		memcpy(f->name, q->val, (size_t)(colon - q->val));
		f->name[colon - q->val] = '\0';
		p->nifnames++;
	}

	for (unsigned i = 0; i < s->nlist[S_VLAN]; i++) {
		const struct param *q = s->list[S_VLAN][i];
		const char *colon = strchr(q->val, ':'), *id;
		struct plan_vlan *v;
		unsigned long n;

		if (p->nvlans == PLAN_MAX_VLANS)
			break;
		v = &p->vlan[p->nvlans];
		if (!colon || colon == q->val || (size_t)(colon - q->val) >= sizeof(v->name) ||
		    !colon[1] || strlen(colon + 1) >= sizeof(v->parent))
			return sr_fail(err, EINVAL, "vlan=%.40s is not <vlanname>:<phys> (%s)", q->val,
				       where(in, q, w, sizeof(w)));
		memcpy(v->name, q->val, (size_t)(colon - q->val));
		v->name[colon - q->val] = '\0';
		snprintf(v->parent, sizeof(v->parent), "%s", colon + 1);
		/* dracut's names: vlan0005, vlan5, eth0.0005, eth0.5 */
		id = !strncmp(v->name, "vlan", 4) && isdigit((unsigned char)v->name[4]) ?
			v->name + 4 : strrchr(v->name, '.');
		if (id && *id == '.')
			id++;
		if (!id || !*id || strspn(id, "0123456789") != strlen(id) ||
		    (n = strtoul(id, NULL, 10)) == 0 || n > 4094)
			return sr_fail(err, EINVAL,
				       "vlan=%.40s: the VLAN id (1-4094) must end the name, as in vlan5 or eth0.5 (%s)",
				       q->val, where(in, q, w, sizeof(w)));
		v->id = (uint16_t)n;
		p->nvlans++;
	}
	return 0;
}

/* /dev/mapper/VG-LV (with '-' doubled inside names) or /dev/VG/LV. */
static void root_lv(struct plan_root *r)
{
	const char *d = r->dev;

	if (!strncmp(d, "/dev/mapper/", 12)) {
		const char *s = d + 12;
		size_t vo = 0, lo = 0;
		bool in_lv = false;

		for (; *s; s++) {
			if (*s == '-' && s[1] == '-') {
				s++;
			} else if (*s == '-' && !in_lv) {
				in_lv = true;
				continue;
			}
			if (in_lv ? lo + 1 < sizeof(r->lv) : vo + 1 < sizeof(r->vg)) {
				if (in_lv)
					r->lv[lo++] = *s;
				else
					r->vg[vo++] = *s;
			}
		}
		r->vg[vo] = r->lv[lo] = '\0';
		if (!in_lv || !vo || !lo)
			r->vg[0] = r->lv[0] = '\0';
		return;
	}
	if (!strncmp(d, "/dev/", 5)) {
		const char *vg = d + 5, *slash = strchr(vg, '/');

		if (!slash || strchr(slash + 1, '/') || slash == vg || !slash[1])
			return;
		/* /dev/disk/..., /dev/md/...: not LVM */
		if (!strncmp(vg, "disk/", 5) || !strncmp(vg, "md/", 3) || !strncmp(vg, "mapper/", 7))
			return;
		snprintf(r->vg, sizeof(r->vg), "%.*s", (int)(slash - vg), vg);
		snprintf(r->lv, sizeof(r->lv), "%s", slash + 1);
	}
}

static int resolve_root(const struct plan_input *in, const struct slots *s, struct plan *p,
			struct sr_error *err)
{
	const struct param *root = s->one[S_ROOT];
	int rc;

	p->root.ro = -1;
	if (root && strncmp(root->val, "iscsi:", 6) != 0) {
		if (!strcmp(root->val, "dhcp") || !strcmp(root->val, "dhcp6"))
			p->root.from_dhcp = true;
		else if ((rc = copy_value(in, root, p->root.dev, sizeof(p->root.dev), err)) < 0)
			return rc;
	}
	if ((rc = copy_value(in, s->one[S_ROOTFSTYPE], p->root.fstype, sizeof(p->root.fstype), err)) < 0 ||
	    (rc = copy_value(in, s->one[S_ROOTFLAGS], p->root.flags, sizeof(p->root.flags), err)) < 0 ||
	    (rc = copy_value(in, s->one[S_INIT], p->root.init, sizeof(p->root.init), err)) < 0 ||
	    (rc = get_uint(in, s->one[S_ROOTDELAY], 3600, &p->root.delay, err)) < 0)
		return rc;
	if (s->one[S_RO])
		p->root.ro = !strcmp(s->one[S_RO]->key, "ro");
	root_lv(&p->root);

	bool lvm_on;
	if ((rc = get_bool(in, s, S_LVM, true, &lvm_on, err)) < 0)
		return rc;
	p->lvm.disabled = !lvm_on;
	for (unsigned i = 0; i < s->nlist[S_LVM_VG] && p->lvm.nvg < PLAN_MAX_LVM; i++)
		if ((rc = copy_value(in, s->list[S_LVM_VG][i], p->lvm.vg[p->lvm.nvg++],
				     sizeof(p->lvm.vg[0]), err)) < 0)
			return rc;
	for (unsigned i = 0; i < s->nlist[S_LVM_LV] && p->lvm.nlv < PLAN_MAX_LVM; i++)
		if ((rc = copy_value(in, s->list[S_LVM_LV][i], p->lvm.lv[p->lvm.nlv++],
				     sizeof(p->lvm.lv[0]), err)) < 0)
			return rc;
	return 0;
}

static int resolve_options(const struct plan_input *in, const struct slots *s, struct plan *p,
			   struct sr_error *err)
{
	char w[PLAN_PATH_MAX + 32];
	bool fw;
	int rc;

	if ((rc = get_bool(in, s, S_FIRMWARE, false, &fw, err)) < 0)
		return rc;
	p->iscsi.firmware |= fw;
	if ((rc = get_bool(in, s, S_WAITNET, true, &p->iscsi.waitnet, err)) < 0)
		return rc;
	p->iscsi.login_retry_max = -1;
	if (s->one[S_LOGIN_RETRY]) {
		unsigned v;

		if ((rc = get_uint(in, s->one[S_LOGIN_RETRY], 1000, &v, err)) < 0)
			return rc;
		p->iscsi.login_retry_max = (int)v;
	}
	for (unsigned i = 0; i < s->nlist[S_ISCSI_PARAM]; i++) {
		const struct param *q = s->list[S_ISCSI_PARAM][i];
		const char *eq = strchr(q->val, '=');
		struct plan_param *pp;

		if (p->iscsi.nparam == PLAN_MAX_PARAMS)
			break;
		pp = &p->iscsi.param[p->iscsi.nparam];
		if (!eq || eq == q->val || (size_t)(eq - q->val) >= sizeof(pp->name) ||
		    strlen(eq + 1) >= sizeof(pp->value))
			return sr_fail(err, EINVAL, "rd.iscsi.param=%.40s is not NAME=VALUE (%s)",
				       q->val, where(in, q, w, sizeof(w)));
		memcpy(pp->name, q->val, (size_t)(eq - q->val));
		pp->name[eq - q->val] = '\0';
		snprintf(pp->value, sizeof(pp->value), "%s", eq + 1);
		p->iscsi.nparam++;
	}

	p->sanroot.timeout = DEFAULT_TIMEOUT;
	if ((rc = get_uint(in, s->one[S_SR_TIMEOUT], 86400, &p->sanroot.timeout, err)) < 0 ||
	    (rc = get_bool(in, s, S_SR_SHELL, false, &p->sanroot.shell, err)) < 0 ||
	    (rc = get_bool(in, s, S_SR_DEBUG, false, &p->sanroot.debug, err)) < 0 ||
	    (rc = get_bool(in, s, S_SR_KEEP, true, &p->sanroot.keep, err)) < 0 ||
	    (rc = get_bool(in, s, S_SR_MD5, true, &p->sanroot.md5, err)) < 0 ||
	    (rc = get_bool(in, s, S_SR_NOAUTH, false, &p->sanroot.noauth, err)) < 0)
		return rc;
	/* dracut's rd.multipath=0 turns multipath off; its other values ("default") leave it on. */
	if (s->one[S_MPATH]) {
		bool ok;

		p->sanroot.multipath = is_true(s->one[S_MPATH], &ok) || !ok;
	} else {
		p->sanroot.multipath = true;
	}
	if (s->one[S_SR_MPATH] &&
	    (rc = get_bool(in, s, S_SR_MPATH, true, &p->sanroot.multipath, err)) < 0)
		return rc;
	if (p->sanroot.timeout == 0)
		return sr_fail(err, EINVAL, "sanroot.timeout=0: the boot needs some time");
	return 0;
}

/* Global credentials fill the targets that carry none of their own. */
static int apply_credentials(const struct plan_input *in, const struct slots *s,
			     struct plan *p, struct sr_error *err)
{
	struct plan_chap chap = { 0 }, rchap = { 0 };
	int rc;

	if ((rc = copy_value(in, s->one[S_USER], chap.name, sizeof(chap.name), err)) < 0 ||
	    (rc = copy_value(in, s->one[S_PASS], chap.secret, sizeof(chap.secret), err)) < 0 ||
	    (rc = copy_value(in, s->one[S_IN_USER], rchap.name, sizeof(rchap.name), err)) < 0 ||
	    (rc = copy_value(in, s->one[S_IN_PASS], rchap.secret, sizeof(rchap.secret), err)) < 0) {
		explicit_bzero(&chap, sizeof(chap));
		explicit_bzero(&rchap, sizeof(rchap));
		return rc;
	}
	if (!!chap.name[0] != !!chap.secret[0])
		note(p, NOTE_WARN, "a CHAP %s is given without a %s", chap.name[0] ? "username" : "password",
		     chap.name[0] ? "password" : "username");
	if (rchap.name[0] && !chap.name[0])
		note(p, NOTE_WARN, "mutual CHAP (iscsi_in_username) needs one-way CHAP credentials too");
	for (unsigned i = 0; i < p->ntargets; i++) {
		struct plan_target *t = &p->target[i];

		/* the firmware's table says how its targets authenticate */
		if (t->origin == ORIGIN_IBFT)
			continue;
		if (!t->chap.name[0] && !t->chap.secret[0])
			t->chap = chap;
		if (!t->rchap.name[0] && !t->rchap.secret[0])
			t->rchap = rchap;
	}
	explicit_bzero(&chap, sizeof(chap));
	explicit_bzero(&rchap, sizeof(rchap));
	return 0;
}

int plan_resolve(const struct plan_input *cin, struct plan *p, struct sr_error *err)
{
	struct plan_input *in = (struct plan_input *)cin;	/* marks params used */
	struct slots *s = calloc(1, sizeof(*s));
	bool want_ibft_net = false;
	unsigned named;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!s)
		return sr_fail(err, ENOMEM, "out of memory");
	for (unsigned i = 0; i < in->nsrc; i++)
		in->src[i].nused = 0;
	if ((rc = fill_slots(in, p, s, err)) < 0)
		goto out;

	if ((rc = resolve_options(in, s, p, err)) < 0 ||
	    (rc = targets_from_paths(in, s, p, err)) < 0 ||
	    (rc = resolve_root(in, s, p, err)) < 0 ||
	    (rc = resolve_net(in, s, p, &want_ibft_net, err)) < 0)
		goto out;
	if (p->ntargets == 0) {
		if ((rc = target_from_keys(in, s, p, err)) < 0)
			goto out;
	} else if (s->one[S_TGT_IP] || s->one[S_TGT_NAME]) {
		note(p, NOTE_CONFLICT, "%s names a target, but a root path (root=/netroot=iscsi:) does too; the root path wins",
		     s->one[S_TGT_NAME] ? s->one[S_TGT_NAME]->key : s->one[S_TGT_IP]->key);
	}
	if ((rc = copy_value(in, s->one[S_INITIATOR], p->initiator, sizeof(p->initiator), err)) < 0)
		goto out;
	if (p->initiator[0])
		p->initiator_origin = s->one[S_INITIATOR]->origin;

	/* The firmware's table: when asked for, or when nothing else names a target. */
	named = p->ntargets;
	if (want_ibft_net)
		p->iscsi.firmware = true;
	if (in->has_ibft) {
		const struct ibft *b = &in->ibft;
		bool use = p->iscsi.firmware || (named == 0 && !p->root.from_dhcp);

		if (use) {
			targets_from_ibft(in, p);
			if (p->nnets == 0 || want_ibft_net)
				nets_from_ibft(in, p);
			if (b->initiator.present && b->initiator.name[0]) {
				if (!p->initiator[0]) {
					snprintf(p->initiator, sizeof(p->initiator), "%s", b->initiator.name);
					p->initiator_origin = ORIGIN_IBFT;
				} else if (strcmp(p->initiator, b->initiator.name)) {
					note(p, NOTE_CONFLICT, "initiator %s (%s) overrides the iBFT's %s",
					     p->initiator, plan_origin_name(p->initiator_origin),
					     b->initiator.name);
				}
			}
			if (!p->iscsi.firmware)
				note(p, NOTE_INFO, "nothing else names a target, so the iBFT's are used");
		} else {
			note(p, NOTE_INFO, "the iBFT (%s) lists %u target(s), unused: the plan names its own; add rd.iscsi.firmware to use it",
			     in->ibft_name, b->ntargets);
		}
	} else if (p->iscsi.firmware) {
		note(p, NOTE_WARN, "the firmware's iBFT was asked for, but none was found (is iscsi_ibft loaded? does the firmware write one?)");
	}
	if (want_ibft_net && !in->has_ibft)
		note(p, NOTE_WARN, "ip=ibft, but there is no iBFT");
	targets_from_dhcp(in, p);
	/* After every source of targets: a DHCP root path's target needs them too. */
	if ((rc = apply_credentials(in, s, p, err)) < 0)
		goto out;

	for (unsigned i = 0; i < p->ntargets; i++) {
		struct plan_target *t = &p->target[i];

		if (t->chap.secret[0] && strlen(t->chap.secret) < 12)
			note(p, NOTE_WARN, "target %s: the CHAP secret is shorter than 12 bytes (RFC 7143 §12.1.3 asks for at least 12; many targets refuse it)",
			     t->name);
		if (t->rchap.secret[0] && strlen(t->rchap.secret) < 12)
			note(p, NOTE_WARN, "target %s: the mutual CHAP secret is shorter than 12 bytes",
			     t->name);
	}
	if (!p->ntargets && !p->root.from_dhcp)
		note(p, NOTE_INFO, "no iSCSI target is named: nothing for sanroot to log in to");

	p->nsources = in->nsrc;
	memcpy(p->source, in->src, sizeof(p->source));
	if (in->has_ibft && p->nsources < sizeof(p->source) / sizeof(p->source[0])) {
		struct plan_source_info *si = &p->source[p->nsources++];

		memset(si, 0, sizeof(*si));
		si->origin = ORIGIN_IBFT;
		snprintf(si->name, sizeof(si->name), "%s", in->ibft_name);
		si->nparams = in->ibft.ntargets + in->ibft.nnics;
		for (unsigned i = 0; i < p->ntargets; i++)
			si->nused += p->target[i].origin == ORIGIN_IBFT;
	}
	rc = 0;
out:
	explicit_bzero(s, sizeof(*s));
	free(s);
	return rc;
}

bool plan_multipath_paths(const struct plan *p)
{
	if (!p->sanroot.multipath)
		return false;
	for (unsigned i = 0; i < p->ntargets; i++) {
		if (p->target[i].nportals > 1)
			return true;
		for (unsigned k = 0; k < i; k++)
			if (!strcmp(p->target[k].name, p->target[i].name))
				return true;
	}
	return false;
}
