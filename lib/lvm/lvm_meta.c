// SPDX-License-Identifier: GPL-2.0-only
/*
 * LVM2 text metadata (format_text, "Text Format Volume Group" version 1):
 * the config grammar of libdm-config (sections `name { ... }`, values
 * `name = value`, arrays `[a, b]`, strings "..." with \" and \\ escapes or
 * '...', integers, # comments), then the VG as import_vsn1 reads it, with
 * the consistency checks of lvm2's check_lv_segments and more.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cursor.h"
#include "lvm/lvm_meta.h"
#include "core/quote.h"

#define MAX_DEPTH	16
#define ARENA_CHUNK	(64 * 1024)

/* Wire text for a message: printable, and short (the buffer's size). */
#define Q(s, buf) quote_printable((buf), sizeof(buf), (s), strlen(s))

/* The config tree ---------------------------------------------------------- */

enum ntype { N_SECTION, N_ARRAY, N_INT, N_FLOAT, N_STRING };

struct node {
	const char *key;		/* NULL for array elements */
	struct node *next;
	union {
		struct node *child;	/* N_SECTION, N_ARRAY */
		const char *s;		/* N_STRING */
		int64_t i;		/* N_INT */
	};
	uint32_t line;
	uint8_t type;
};

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
};

static void *arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->cap - c->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		if (!(c = malloc(sizeof(*c) + cap)))
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static void arena_free(struct arena *a)
{
	while (a->head) {
		struct chunk *c = a->head;

		a->head = c->next;
		free(c);
	}
}

enum tok {
	T_EOF, T_SECTION_B, T_SECTION_E, T_ARRAY_B, T_ARRAY_E, T_COMMA, T_EQ,
	T_INT, T_FLOAT, T_STR_DQ, T_STR_SQ, T_BARE, T_IDENT,
};

struct parser {
	struct cursor c;		/* what is left after the current token */
	enum tok t;
	const char *tb;			/* the current token */
	size_t tlen;
	uint32_t line;
	unsigned nodes;
	struct arena arena;
	struct sr_error *err;
};

static bool is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r';
}

static bool is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static void eat_space(struct parser *p)
{
	while (p->c.rem) {
		uint8_t ch = p->c.p[0];

		if (ch == '#') {
			while (p->c.rem && p->c.p[0] != '\n')
				cursor_skip(&p->c, 1);
		} else if (is_space(ch)) {
			if (ch == '\n')
				p->line++;
			cursor_skip(&p->c, 1);
		} else {
			break;
		}
	}
}

/* The tokeniser of libdm-config: after '=', '[' or ',' a token is a value. */
static int next_token(struct parser *p)
{
	bool value = p->t == T_EQ || p->t == T_ARRAY_B || p->t == T_COMMA;
	size_t n = 1;
	uint8_t ch;

	eat_space(p);
	p->tb = (const char *)p->c.p;
	if (!p->c.rem) {
		p->t = T_EOF;
		p->tlen = 0;
		return 0;
	}
	ch = p->c.p[0];
	switch (ch) {
	case '{': p->t = T_SECTION_B; break;
	case '}': p->t = T_SECTION_E; break;
	case '[': p->t = T_ARRAY_B; break;
	case ']': p->t = T_ARRAY_E; break;
	case ',': p->t = T_COMMA; break;
	case '=': p->t = T_EQ; break;
	case '"':
		p->t = T_STR_DQ;
		while (n < p->c.rem && p->c.p[n] != '"') {
			if (p->c.p[n] == '\\' && n + 1 < p->c.rem)
				n++;
			if (p->c.p[n] == '\n')
				p->line++;
			n++;
		}
		if (n == p->c.rem)
			return sr_fail(p->err, EBADMSG,
				       "metadata line %u: unterminated string", p->line);
		n++;
		break;
	case '\'':
		p->t = T_STR_SQ;
		while (n < p->c.rem && p->c.p[n] != '\'') {
			if (p->c.p[n] == '\n')
				p->line++;
			n++;
		}
		if (n == p->c.rem)
			return sr_fail(p->err, EBADMSG,
				       "metadata line %u: unterminated string", p->line);
		n++;
		break;
	default:
		if (value && (is_digit(ch) || ch == '.' || ch == '+' || ch == '-')) {
			p->t = ch == '.' ? T_FLOAT : T_INT;
			for (; n < p->c.rem; n++) {
				if (is_digit(p->c.p[n]))
					continue;
				if (p->c.p[n] == '.' && p->t != T_FLOAT) {
					p->t = T_FLOAT;
					continue;
				}
				break;
			}
			break;
		}
		p->t = value ? T_BARE : T_IDENT;
		while (n < p->c.rem && !is_space(p->c.p[n]) && p->c.p[n] != '#' &&
		       p->c.p[n] != '=' && p->c.p[n] != '{' && p->c.p[n] != '}')
			n++;
		break;
	}
	p->tlen = n;
	cursor_skip(&p->c, n);
	return 0;
}

static struct node *new_node(struct parser *p, enum ntype type, const char *key)
{
	struct node *n;

	if (p->nodes >= LVM_MAX_NODES) {
		sr_fail(p->err, E2BIG, "metadata has more than %u values", LVM_MAX_NODES);
		return NULL;
	}
	if (!(n = arena_alloc(&p->arena, sizeof(*n)))) {
		sr_fail(p->err, ENOMEM, "out of memory parsing metadata");
		return NULL;
	}
	p->nodes++;
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->key = key;
	n->line = p->line;
	return n;
}

/* The current token as a string: quotes stripped, \" and \\ unescaped. */
static const char *token_string(struct parser *p)
{
	const char *s = p->tb;
	size_t len = p->tlen;
	char *out, *o;

	if (p->t == T_STR_DQ || p->t == T_STR_SQ) {
		s++;
		len -= 2;
	}
	if (!(out = arena_alloc(&p->arena, len + 1))) {
		sr_fail(p->err, ENOMEM, "out of memory parsing metadata");
		return NULL;
	}
	o = out;
	for (size_t i = 0; i < len; i++) {
		if (p->t == T_STR_DQ && s[i] == '\\' && i + 1 < len &&
		    (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* [+-]digits, within int64; no leading zeros, which lvm2 (strtoll base 0) reads as octal. */
static int token_int(struct parser *p, int64_t *v)
{
	const char *s = p->tb;
	size_t n = p->tlen, i = 0;
	bool neg = false;
	uint64_t m = 0;

	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return sr_fail(p->err, EBADMSG, "metadata line %u: a sign without digits", p->line);
	if (s[i] == '0' && n - i > 1)
		return sr_fail(p->err, EBADMSG,
			       "metadata line %u: number with a leading zero", p->line);
	for (; i < n; i++) {
		if (m > (UINT64_C(1) << 63) / 10)
			goto range;
		m = m * 10 + (uint64_t)(s[i] - '0');
		if (m > (UINT64_C(1) << 63))
			goto range;
	}
	if (!neg && m > INT64_MAX)
		goto range;
	*v = neg ? (int64_t)(0 - m) : (int64_t)m;
	return 0;
range:
	return sr_fail(p->err, ERANGE, "metadata line %u: number out of range", p->line);
}

static int parse_scalar(struct parser *p, const char *key, struct node **out)
{
	struct node *n;
	int rc;

	switch (p->t) {
	case T_INT:
		if (!(n = new_node(p, N_INT, key)))
			return p->err ? p->err->code : -ENOMEM;
		if ((rc = token_int(p, &n->i)) < 0)
			return rc;
		break;
	case T_FLOAT:
		if (!(n = new_node(p, N_FLOAT, key)))
			return p->err ? p->err->code : -ENOMEM;
		break;
	case T_STR_DQ:
	case T_STR_SQ:
	case T_BARE:
		if (!(n = new_node(p, N_STRING, key)) || !(n->s = token_string(p)))
			return p->err ? p->err->code : -ENOMEM;
		break;
	default:
		return sr_fail(p->err, EBADMSG, "metadata line %u: expected a value", p->line);
	}
	*out = n;
	return next_token(p);
}

static int parse_value(struct parser *p, const char *key, struct node **out)
{
	struct node *arr, **tail;
	int rc;

	if (p->t != T_ARRAY_B)
		return parse_scalar(p, key, out);
	if (!(arr = new_node(p, N_ARRAY, key)))
		return p->err ? p->err->code : -ENOMEM;
	tail = &arr->child;
	if ((rc = next_token(p)) < 0)
		return rc;
	while (p->t != T_ARRAY_E) {
		if (p->t == T_EOF)
			return sr_fail(p->err, EBADMSG,
				       "metadata line %u: unterminated array", p->line);
		if ((rc = parse_scalar(p, NULL, tail)) < 0)
			return rc;
		tail = &(*tail)->next;
		if (p->t == T_COMMA && (rc = next_token(p)) < 0)
			return rc;
	}
	*out = arr;
	return next_token(p);
}

/* name { items } or name = value; appended at *tail. */
static int parse_item(struct parser *p, unsigned depth, struct node ***tail)
{
	char qb[68];
	const char *key;
	struct node *n;
	int rc;

	if (p->t != T_IDENT && p->t != T_STR_DQ && p->t != T_STR_SQ)
		return sr_fail(p->err, EBADMSG, "metadata line %u: expected a name", p->line);
	if (!(key = token_string(p)))
		return p->err ? p->err->code : -ENOMEM;
	if (!*key)
		return sr_fail(p->err, EBADMSG, "metadata line %u: empty name", p->line);
	if ((rc = next_token(p)) < 0)
		return rc;
	if (p->t == T_SECTION_B) {
		struct node **ctail;

		if (depth >= MAX_DEPTH)
			return sr_fail(p->err, EBADMSG,
				       "metadata line %u: sections nested deeper than %u",
				       p->line, MAX_DEPTH);
		if (!(n = new_node(p, N_SECTION, key)))
			return p->err ? p->err->code : -ENOMEM;
		ctail = &n->child;
		if ((rc = next_token(p)) < 0)
			return rc;
		while (p->t != T_SECTION_E) {
			if (p->t == T_EOF)
				return sr_fail(p->err, EBADMSG,
					       "metadata: section %s is not closed", Q(key, qb));
			if ((rc = parse_item(p, depth + 1, &ctail)) < 0)
				return rc;
		}
		if ((rc = next_token(p)) < 0)
			return rc;
	} else if (p->t == T_EQ) {
		if ((rc = next_token(p)) < 0 || (rc = parse_value(p, key, &n)) < 0)
			return rc;
	} else {
		return sr_fail(p->err, EBADMSG, "metadata line %u: expected '=' or '{' after %s",
			       p->line, Q(key, qb));
	}
	**tail = n;
	*tail = &n->next;
	return 0;
}

/* Reading the tree ----------------------------------------------------------- */

/* The one child named key (NULL if none); two are an error. */
static int find(const struct node *sec, const char *key, const struct node **out,
		const char *where, struct sr_error *err)
{
	*out = NULL;
	for (const struct node *n = sec->child; n; n = n->next) {
		if (strcmp(n->key, key))
			continue;
		if (*out)
			return sr_fail(err, EBADMSG, "%s: %s appears twice", where, key);
		*out = n;
	}
	return 0;
}

/*
 * The one child named key, of the given type: 1, or 0 when there is none and
 * it is not required.
 */
static int get_node(const struct node *sec, const char *key, bool required, enum ntype type,
		    const struct node **out, const char *where, struct sr_error *err)
{
	static const char *const what[] = {
		[N_SECTION] = "a section", [N_ARRAY] = "a list", [N_INT] = "an integer",
		[N_FLOAT] = "a number", [N_STRING] = "a string",
	};
	int rc;

	if ((rc = find(sec, key, out, where, err)) < 0)
		return rc;
	if (!*out)
		return required ? sr_fail(err, EBADMSG, "%s: %s is missing", where, key) : 0;
	if ((*out)->type != type)
		return sr_fail(err, EBADMSG, "%s: %s is not %s", where, key, what[type]);
	return 1;
}

static int get_uint(const struct node *sec, const char *key, bool required, uint64_t max,
		    uint64_t *v, const char *where, struct sr_error *err)
{
	const struct node *n;
	int rc;

	if ((rc = get_node(sec, key, required, N_INT, &n, where, err)) <= 0)
		return rc;
	if (n->i < 0 || (uint64_t)n->i > max)
		return sr_fail(err, ERANGE,
			       "%s: %s = %lld is out of range", where, key, (long long)n->i);
	*v = (uint64_t)n->i;
	return 1;
}

static int get_string(const struct node *sec, const char *key, bool required, const char **s,
		      const char *where, struct sr_error *err)
{
	const struct node *n;
	int rc;

	*s = NULL;
	if ((rc = get_node(sec, key, required, N_STRING, &n, where, err)) <= 0)
		return rc;
	*s = n->s;
	return 1;
}

struct flag {
	const char *name;
	unsigned bit;
};

/*
 * An array of flag names. In `status` an unknown flag is an error, as in
 * lvm2: new status flags are how newer lvm2 keeps older code away. In
 * `flags` (compatible flags) unknown ones are ignored.
 */
static int get_flags(const struct node *sec, const char *key, bool required, bool strict,
		     const struct flag *table, unsigned *bits, const char *where,
		     struct sr_error *err)
{
	const struct node *n;
	int rc;

	*bits = 0;
	if ((rc = get_node(sec, key, required, N_ARRAY, &n, where, err)) <= 0)
		return rc;
	for (const struct node *e = n->child; e; e = e->next) {
		const struct flag *f;

		if (e->type != N_STRING)
			return sr_fail(err, EBADMSG,
				       "%s: %s holds something other than names", where, key);
		for (f = table; f->name && strcmp(f->name, e->s); f++)
			;
		if (f->name)
			*bits |= f->bit;
		else if (strict) {
			char qb[36];

			return sr_fail(err, EPROTONOSUPPORT,
				       "%s: unknown %s flag \"%s\" (newer lvm2?)",
				       where, key, Q(e->s, qb));
		}
	}
	return 1;
}

bool lvm_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= LVM_NAME_MAX || s[0] == '-' || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-' || c == '+'))
			return false;
	}
	return true;
}

/* lvm2's id_read_format: dashes anywhere are dropped, 32 characters remain. */
static int read_id(const char *s, char out[LVM_ID_LEN + 1], const char *where,
		   struct sr_error *err)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == '-')
			continue;
		if (n == LVM_ID_LEN || !lvm_id_char((unsigned char)*s))
			return sr_fail(err, EBADMSG, "%s: malformed UUID", where);
		out[n++] = *s;
	}
	if (n != LVM_ID_LEN)
		return sr_fail(err, EBADMSG, "%s: malformed UUID", where);
	out[n] = '\0';
	return 0;
}

void lvm_id_format(const char id[LVM_ID_LEN + 1], char out[LVM_ID_LEN + 7])
{
	static const unsigned group[] = { 6, 4, 4, 4, 4, 4, 6 };
	size_t o = 0, i = 0;

	for (unsigned g = 0; g < 7; g++) {
		if (g)
			out[o++] = '-';
		for (unsigned k = 0; k < group[g]; k++)
			out[o++] = id[i++];
	}
	out[o] = '\0';
}

static int get_id(const struct node *sec, char out[LVM_ID_LEN + 1], const char *where,
		  struct sr_error *err)
{
	const char *s;
	int rc;

	if ((rc = get_string(sec, "id", true, &s, where, err)) < 0)
		return rc;
	return read_id(s, out, where, err);
}

/* The VG ------------------------------------------------------------------------- */

enum { F_READ = 1, F_WRITE = 2, F_VISIBLE = 4, F_EXPORTED = 8, F_CLUSTERED = 16,
       F_MISSING = 32, F_SKIP = 64, F_NOAUTO = 128, F_FIXED_MINOR = 256, F_OTHER = 512 };

static const struct flag vg_status[] = {
	{ "EXPORTED", F_EXPORTED }, { "RESIZEABLE", F_OTHER }, { "PVMOVE", F_OTHER },
	{ "READ", F_READ }, { "WRITE", F_WRITE }, { "CLUSTERED", F_CLUSTERED },
	{ "SHARED", F_CLUSTERED }, { NULL, 0 },
};
static const struct flag vg_compat[] = {
	{ "NOAUTOACTIVATE", F_NOAUTO }, { NULL, 0 },
};
static const struct flag pv_status[] = {
	{ "ALLOCATABLE", F_OTHER }, { "EXPORTED", F_EXPORTED }, { "MISSING", F_MISSING },
	{ NULL, 0 },
};
static const struct flag pv_compat[] = {
	{ "MISSING", F_MISSING }, { NULL, 0 },
};
static const struct flag lv_status[] = {
	{ "READ", F_READ }, { "WRITE", F_WRITE }, { "FIXED_MINOR", F_FIXED_MINOR },
	{ "VISIBLE", F_VISIBLE }, { "PVMOVE", F_OTHER }, { "LOCKED", F_OTHER },
	{ "NOTSYNCED", F_OTHER }, { "REBUILD", F_OTHER }, { "WRITEMOSTLY", F_OTHER },
	{ "CACHE_VOL", F_OTHER }, { NULL, 0 },
};
static const struct flag lv_compat[] = {
	{ "ACTIVATION_SKIP", F_SKIP }, { "NOAUTOACTIVATE", F_NOAUTO }, { NULL, 0 },
};

static unsigned count_children(const struct node *sec)
{
	unsigned n = 0;

	for (const struct node *c = sec->child; c; c = c->next)
		n++;
	return n;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Two entries of one section with the same name (found by sorting: sections can be large). */
static int check_unique(const char *const *names, unsigned n, const char *what, const char *vg,
			struct sr_error *err)
{
	const char **sorted;

	if (n < 2)
		return 0;
	if (!(sorted = malloc(n * sizeof(*sorted))))
		return sr_fail(err, ENOMEM, "out of memory");
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_name);
	for (unsigned i = 1; i < n; i++) {
		if (!strcmp(sorted[i - 1], sorted[i])) {
			int rc = sr_fail(err, EBADMSG,
					 "VG %s: two %s named %s", vg, what, sorted[i]);

			free(sorted);
			return rc;
		}
	}
	free(sorted);
	return 0;
}

static int parse_pv(const struct node *sec, struct lvm_vg *vg, struct lvm_pv_meta *pv,
		    struct sr_error *err)
{
	char where[LVM_NAME_MAX * 2 + 16];
	const char *dev;
	unsigned st, compat;
	uint64_t end;
	int rc;

	if (!lvm_name_valid(sec->key)) {
		char qb[68];

		return sr_fail(err, EBADMSG, "VG %s: invalid PV name \"%s\"", vg->name,
			       Q(sec->key, qb));
	}
	strcpy(pv->name, sec->key);
	snprintf(where, sizeof(where), "VG %s PV %s", vg->name, pv->name);
	if (sec->type != N_SECTION)
		return sr_fail(err, EBADMSG, "%s: not a section", where);
	if ((rc = get_id(sec, pv->id, where, err)) < 0 ||
	    (rc = get_string(sec, "device", false, &dev, where, err)) < 0 ||
	    (rc = get_flags(sec, "status", true, true, pv_status, &st, where, err)) < 0 ||
	    (rc = get_flags(sec, "flags", false, false, pv_compat, &compat, where, err)) < 0 ||
	    (rc = get_uint(sec, "dev_size", false, LVM_MAX_SECTORS, &pv->dev_size, where,
			   err)) < 0 ||
	    (rc = get_uint(sec, "pe_start", true, LVM_MAX_SECTORS, &pv->pe_start, where,
			   err)) < 0 ||
	    (rc = get_uint(sec, "pe_count", true, UINT32_MAX, &pv->pe_count, where, err)) < 0)
		return rc;
	if (dev)
		snprintf(pv->device, sizeof(pv->device), "%s", dev);
	pv->missing = (st | compat) & F_MISSING;
	if (__builtin_mul_overflow(pv->pe_count, vg->extent_size, &end) ||
	    __builtin_add_overflow(end, pv->pe_start, &end) || end > LVM_MAX_SECTORS)
		return sr_fail(err, ERANGE, "%s: %llu extents of %llu sectors is absurd", where,
			       (unsigned long long)pv->pe_count,
			       (unsigned long long)vg->extent_size);
	if (pv->dev_size && end > pv->dev_size)
		return sr_fail(err, ERANGE,
			       "%s: its extents end at sector %llu, past its size (%llu sectors)",
			       where, (unsigned long long)end, (unsigned long long)pv->dev_size);
	return 0;
}

/* A sorted index of names, so that lookups stay cheap however large the VG. */
struct name_ref {
	const char *name;
	unsigned idx;
};

struct names {
	struct name_ref *v;
	unsigned n;
};

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct name_ref *)a)->name, ((const struct name_ref *)b)->name);
}

/* Sort; two equal names are an error (what names them). */
static int names_sort(struct names *x, const char *what, const char *vg, struct sr_error *err)
{
	qsort(x->v, x->n, sizeof(*x->v), cmp_ref);
	for (unsigned i = 1; i < x->n; i++) {
		if (!strcmp(x->v[i - 1].name, x->v[i].name)) {
			char qb[68];

			return sr_fail(err, EBADMSG, "VG %s: two %s named %s", vg, what,
				       Q(x->v[i].name, qb));
		}
	}
	return 0;
}

static int names_find(const struct names *x, const char *name)
{
	struct name_ref key = { name, 0 }, *r;

	r = x->n ? bsearch(&key, x->v, x->n, sizeof(*x->v), cmp_ref) : NULL;
	return r ? (int)r->idx : -1;
}

/* What parsing an LV needs to know of the whole VG. */
struct vgctx {
	struct lvm_vg *vg;
	struct names pvs;		/* PV name -> index in vg->pv */
	struct names lvs;		/* LV names, as the logical_volumes section has them */
};

/* type = "striped" (or "linear"), stripe_count, stripe_size, stripes = [ "pv0", 0, ... ] */
static int parse_striped(const struct node *sec, const struct vgctx *x, struct lvm_lv *lv,
			 struct lvm_seg *seg, const char *where, struct sr_error *err)
{
	struct lvm_vg *vg = x->vg;
	const struct node *list, *e;
	uint64_t count, area_len;
	unsigned i;
	int rc;

	if ((rc = get_uint(sec, "stripe_count", true, UINT32_MAX, &count, where, err)) < 0)
		return rc;
	if (count == 0 || count > LVM_MAX_STRIPES)
		return sr_fail(err, ERANGE, "%s: stripe_count %llu (1 to %u)", where,
			       (unsigned long long)count, LVM_MAX_STRIPES);
	seg->stripe_count = (uint32_t)count;
	if (count > 1) {
		if ((rc = get_uint(sec, "stripe_size", true, UINT32_MAX, &seg->stripe_size, where,
				   err)) < 0)
			return rc;
		if (seg->stripe_size == 0)
			return sr_fail(err, ERANGE, "%s: stripe_size 0", where);
		if (seg->extent_count % count)
			return sr_fail(err, EBADMSG,
				       "%s: %llu extents do not divide into %llu stripes",
				       where, (unsigned long long)seg->extent_count,
				       (unsigned long long)count);
	}
	area_len = seg->extent_count / count;
	if ((rc = find(sec, "stripes", &list, where, err)) < 0)
		return rc;
	if (!list || list->type != N_ARRAY)
		return sr_fail(err, EBADMSG, "%s: stripes list missing", where);
	if (!(seg->stripe = calloc(count, sizeof(*seg->stripe))))
		return sr_fail(err, ENOMEM, "out of memory");
	for (i = 0, e = list->child; e; i++) {
		const struct node *pe = e->next;
		int pv;

		if (i == count)
			return sr_fail(err, EBADMSG,
				       "%s: more stripes listed than stripe_count", where);
		if (e->type != N_STRING || !pe || pe->type != N_INT || pe->i < 0)
			return sr_fail(err, EBADMSG,
				       "%s: stripe %u is not a PV name and an extent", where,
				       i + 1);
		if ((pv = names_find(&x->pvs, e->s)) < 0) {
			char qb[68];

			if (names_find(&x->lvs, e->s) < 0)
				return sr_fail(err, EBADMSG,
					       "%s: stripe %u is on %s, which is no PV of the VG",
					       where, i + 1, Q(e->s, qb));
			/* pvmove, or a stripe on another LV: lvm2 builds a stack of devices. */
			if (!lv->unsupported[0])
				snprintf(lv->unsupported, sizeof(lv->unsupported),
					 "segment at extent %llu is stacked on LV %s (pvmove or layered LV)",
					 (unsigned long long)seg->start_extent, Q(e->s, qb));
			seg->mapped = false;
		} else {
			if ((uint64_t)pe->i > vg->pv[pv].pe_count ||
			    area_len > vg->pv[pv].pe_count - (uint64_t)pe->i)
				return sr_fail(err, ERANGE,
					       "%s: stripe %u (extents %lld-%llu of PV %s) runs past the PV's %llu extents",
					       where, i + 1, (long long)pe->i,
					       (unsigned long long)((uint64_t)pe->i + area_len - 1),
					       vg->pv[pv].name,
					       (unsigned long long)vg->pv[pv].pe_count);
			seg->stripe[i] = (struct lvm_stripe){ (uint32_t)pv, (uint64_t)pe->i };
		}
		e = pe->next;
	}
	if (i != count)
		return sr_fail(err, EBADMSG,
			       "%s: %u stripes listed, stripe_count is %llu", where, i,
			       (unsigned long long)count);
	return 0;
}

static int parse_segment(const struct node *sec, const struct vgctx *x, struct lvm_lv *lv,
			 struct lvm_seg *seg, unsigned k, struct sr_error *err)
{
	struct lvm_vg *vg = x->vg;
	char where[LVM_NAME_MAX * 2 + 32];
	const char *type;
	int rc;

	snprintf(where, sizeof(where), "LV %s/%s segment %u", vg->name, lv->name, k);
	if (sec->type != N_SECTION)
		return sr_fail(err, EBADMSG, "%s: not a section", where);
	if ((rc = get_uint(sec, "start_extent", true, UINT32_MAX, &seg->start_extent, where,
			   err)) < 0 ||
	    (rc = get_uint(sec, "extent_count", true, UINT32_MAX, &seg->extent_count, where,
			   err)) < 0 ||
	    (rc = get_string(sec, "type", true, &type, where, err)) < 0)
		return rc;
	if (seg->extent_count == 0)
		return sr_fail(err, EBADMSG, "%s: no extents", where);
	if (seg->start_extent != lv->extents)
		return sr_fail(err, EBADMSG,
			       "%s: starts at extent %llu, the previous segments end at %llu",
			       where, (unsigned long long)seg->start_extent,
			       (unsigned long long)lv->extents);
	uint64_t sectors;

	lv->extents += seg->extent_count;
	if (__builtin_mul_overflow(lv->extents, vg->extent_size, &sectors) ||
	    sectors > LVM_MAX_SECTORS)
		return sr_fail(err, ERANGE, "%s: the LV grows past 8 EiB", where);
	/* lvm2's segment type names, with +FLAGS appended (raid5+RESHAPE). */
	if (!*type || strlen(type) >= sizeof(seg->type) ||
	    strspn(type, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.") !=
	    strlen(type))
		return sr_fail(err, EBADMSG, "%s: malformed segment type", where);
	snprintf(seg->type, sizeof(seg->type), "%s", type);
	if (!strcmp(type, "striped") || !strcmp(type, "linear")) {
		seg->mapped = true;
		return parse_striped(sec, x, lv, seg, where, err);
	}
	if (!lv->unsupported[0])
		snprintf(lv->unsupported, sizeof(lv->unsupported),
			 "segment type %.*s", LVM_TYPE_MAX - 1,
			 type);
	return 0;
}

/* "segment" followed by a number without leading zeros: the number, else 0. */
static uint64_t segment_number(const char *key)
{
	uint64_t k = 0;

	if (strncmp(key, "segment", 7) || key[7] < '1' || key[7] > '9')
		return 0;
	for (key += 7; *key; key++) {
		if (!is_digit(*key) || k > UINT32_MAX)
			return 0;
		k = k * 10 + (uint64_t)(*key - '0');
	}
	return k;
}

static int parse_lv(const struct node *sec, const struct vgctx *x, struct lvm_lv *lv,
		    struct sr_error *err)
{
	struct lvm_vg *vg = x->vg;
	char where[LVM_NAME_MAX * 2 + 16];
	const struct node **slot;
	unsigned st, compat;
	uint64_t nseg, v;
	int rc;

	if (!lvm_name_valid(sec->key)) {
		char qb[68];

		return sr_fail(err, EBADMSG, "VG %s: invalid LV name \"%s\"", vg->name,
			       Q(sec->key, qb));
	}
	strcpy(lv->name, sec->key);
	lv->major = lv->minor = -1;
	snprintf(where, sizeof(where), "LV %s/%s", vg->name, lv->name);
	if (sec->type != N_SECTION)
		return sr_fail(err, EBADMSG, "%s: not a section", where);
	if ((rc = get_id(sec, lv->id, where, err)) < 0 ||
	    (rc = get_flags(sec, "status", true, true, lv_status, &st, where, err)) < 0 ||
	    (rc = get_flags(sec, "flags", false, false, lv_compat, &compat, where, err)) < 0 ||
	    (rc = get_uint(sec, "segment_count", true, UINT32_MAX, &nseg, where, err)) < 0)
		return rc;
	if (!(st & F_READ))
		return sr_fail(err, EBADMSG, "%s: status lacks READ", where);
	lv->write = st & F_WRITE;
	lv->visible = st & F_VISIBLE;
	lv->activation_skip = compat & F_SKIP;
	lv->noautoactivate = compat & F_NOAUTO;
	if (st & F_FIXED_MINOR) {
		if ((rc = get_uint(sec, "minor", false, (1u << 20) - 1, &v, where, err)) < 0)
			return rc;
		if (rc)
			lv->minor = (int)v;
		if ((rc = get_uint(sec, "major", false, 4095, &v, where, err)) < 0)
			return rc;
		if (rc)
			lv->major = (int)v;
	}
	if (nseg == 0)
		return sr_fail(err, EBADMSG, "%s: no segments", where);
	if (nseg > count_children(sec))
		return sr_fail(err, EBADMSG,
			       "%s: segment_count %llu, fewer segments written", where,
			       (unsigned long long)nseg);
	if (!(lv->seg = calloc(nseg, sizeof(*lv->seg))))
		return sr_fail(err, ENOMEM, "out of memory");
	lv->nseg = (unsigned)nseg;
	/* One pass finds segment1..N wherever they are written. */
	if (!(slot = calloc(nseg, sizeof(*slot))))
		return sr_fail(err, ENOMEM, "out of memory");
	for (const struct node *n = sec->child; n; n = n->next) {
		uint64_t k = segment_number(n->key);

		if (!k)
			continue;
		if (k > nseg) {
			rc = sr_fail(err, EBADMSG, "%s: segment%llu, but segment_count is %llu",
				     where, (unsigned long long)k, (unsigned long long)nseg);
			goto out;
		}
		if (slot[k - 1]) {
			rc = sr_fail(err, EBADMSG, "%s: segment%llu appears twice", where,
				     (unsigned long long)k);
			goto out;
		}
		slot[k - 1] = n;
	}
	rc = 0;
	for (unsigned k = 1; k <= nseg && rc == 0; k++) {
		if (!slot[k - 1])
			rc = sr_fail(err, EBADMSG, "%s: segment%u is missing", where, k);
		else
			rc = parse_segment(slot[k - 1], x, lv, &lv->seg[k - 1], k, err);
	}
out:
	free(slot);
	return rc;
}

struct extent_use {
	uint32_t pv;
	uint64_t first, last;
	unsigned lv, seg;
};

static int cmp_use(const void *a, const void *b)
{
	const struct extent_use *x = a, *y = b;

	if (x->pv != y->pv)
		return x->pv < y->pv ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return 0;
}

/* No PV extent may belong to two segments (lvm2's PV segment map would refuse it). */
static int check_overlaps(const struct lvm_vg *vg, struct sr_error *err)
{
	struct extent_use *use;
	size_t n = 0, cap = 0;
	int rc = 0;

	for (unsigned l = 0; l < vg->nlv; l++)
		for (unsigned s = 0; s < vg->lv[l].nseg; s++)
			if (vg->lv[l].seg[s].mapped)
				cap += vg->lv[l].seg[s].stripe_count;
	if (cap < 2)
		return 0;
	if (!(use = calloc(cap, sizeof(*use))))
		return sr_fail(err, ENOMEM, "out of memory");
	for (unsigned l = 0; l < vg->nlv; l++) {
		for (unsigned s = 0; s < vg->lv[l].nseg; s++) {
			const struct lvm_seg *g = &vg->lv[l].seg[s];
			uint64_t len;

			if (!g->mapped)
				continue;
			len = g->extent_count / g->stripe_count;
			for (unsigned i = 0; i < g->stripe_count; i++)
				use[n++] = (struct extent_use){ g->stripe[i].pv, g->stripe[i].pe,
								g->stripe[i].pe + len - 1, l, s };
		}
	}
	qsort(use, n, sizeof(*use), cmp_use);
	for (size_t i = 1; i < n; i++) {
		const struct extent_use *a = &use[i - 1], *b = &use[i];

		if (a->pv == b->pv && b->first <= a->last) {
			rc = sr_fail(err, EBADMSG,
				     "VG %s: LV %s segment %u and LV %s segment %u both use extent %llu of PV %s",
				     vg->name, vg->lv[a->lv].name, a->seg + 1, vg->lv[b->lv].name,
				     b->seg + 1, (unsigned long long)b->first, vg->pv[a->pv].name);
			break;
		}
	}
	free(use);
	return rc;
}

static int parse_vg(const struct node *sec, struct lvm_vg *vg, struct sr_error *err)
{
	struct vgctx x = { .vg = vg };
	char where[LVM_NAME_MAX + 8];
	const struct node *pvs, *lvs;
	const char **names = NULL;
	const char *s;
	unsigned st, compat, i;
	const struct node *n;
	int rc;

	char qb[68];

	if (!lvm_name_valid(sec->key))
		return sr_fail(err, EBADMSG, "invalid VG name \"%s\"", Q(sec->key, qb));
	strcpy(vg->name, sec->key);
	snprintf(where, sizeof(where), "VG %s", vg->name);
	if ((rc = get_id(sec, vg->id, where, err)) < 0 ||
	    (rc = get_uint(sec, "seqno", true, UINT32_MAX, &vg->seqno, where, err)) < 0 ||
	    (rc = get_flags(sec, "status", true, true, vg_status, &st, where, err)) < 0 ||
	    (rc = get_flags(sec, "flags", false, false, vg_compat, &compat, where, err)) < 0 ||
	    (rc = get_uint(sec, "extent_size", true, UINT32_MAX, &vg->extent_size, where, err)) < 0)
		return rc;
	if ((rc = get_string(sec, "format", false, &s, where, err)) < 0)
		return rc;
	if (s && strcmp(s, "lvm2"))
		return sr_fail(err, EPROTONOSUPPORT, "%s: format \"%s\", not lvm2", where, Q(s, qb));
	if (vg->extent_size == 0)
		return sr_fail(err, ERANGE, "%s: extent_size 0", where);
	if (!(st & F_READ))
		return sr_fail(err, EBADMSG, "%s: status lacks READ", where);
	vg->write = st & F_WRITE;
	vg->exported = st & F_EXPORTED;
	vg->clustered = st & F_CLUSTERED;
	vg->noautoactivate = compat & F_NOAUTO;
	if ((rc = get_string(sec, "system_id", false, &s, where, err)) < 0)
		return rc;
	if (s)
		quote_printable(vg->system_id, sizeof(vg->system_id), s, strlen(s));
	if ((rc = get_string(sec, "lock_type", false, &s, where, err)) < 0)
		return rc;
	if (s)
		quote_printable(vg->lock_type, sizeof(vg->lock_type), s, strlen(s));

	if ((rc = find(sec, "physical_volumes", &pvs, where, err)) < 0 ||
	    (rc = find(sec, "logical_volumes", &lvs, where, err)) < 0)
		return rc;
	if (!pvs || pvs->type != N_SECTION || !pvs->child)
		return sr_fail(err, EBADMSG, "%s: no physical_volumes", where);
	if (lvs && lvs->type != N_SECTION)
		return sr_fail(err, EBADMSG, "%s: logical_volumes is not a section", where);

	vg->npv = count_children(pvs);
	if (vg->npv > LVM_MAX_PVS)
		return sr_fail(err, E2BIG, "%s: more than %u PVs", where, LVM_MAX_PVS);
	if (!(vg->pv = calloc(vg->npv, sizeof(*vg->pv))))
		return sr_fail(err, ENOMEM, "out of memory");
	for (i = 0, n = pvs->child; n; n = n->next, i++)
		if ((rc = parse_pv(n, vg, &vg->pv[i], err)) < 0)
			return rc;

	vg->nlv = lvs ? count_children(lvs) : 0;
	if (vg->nlv > LVM_MAX_LVS)
		return sr_fail(err, E2BIG, "%s: more than %u LVs", where, LVM_MAX_LVS);
	if (vg->nlv && !(vg->lv = calloc(vg->nlv, sizeof(*vg->lv))))
		return sr_fail(err, ENOMEM, "out of memory");
	if (!(x.pvs.v = calloc(vg->npv, sizeof(*x.pvs.v))) ||
	    !(x.lvs.v = calloc(vg->nlv + 1, sizeof(*x.lvs.v)))) {
		rc = sr_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < vg->npv; i++)
		x.pvs.v[x.pvs.n++] = (struct name_ref){ vg->pv[i].name, i };
	for (i = 0, n = lvs ? lvs->child : NULL; n; n = n->next, i++)
		x.lvs.v[x.lvs.n++] = (struct name_ref){ n->key, i };
	if ((rc = names_sort(&x.pvs, "PVs", vg->name, err)) < 0 ||
	    (rc = names_sort(&x.lvs, "LVs", vg->name, err)) < 0)
		goto out;
	for (i = 0, n = lvs ? lvs->child : NULL; n; n = n->next, i++)
		if ((rc = parse_lv(n, &x, &vg->lv[i], err)) < 0)
			goto out;

	/* UUIDs must be unique; one list serves each check in turn. */
	if (!(names = malloc((vg->npv > vg->nlv ? vg->npv : vg->nlv + 1) * sizeof(*names)))) {
		rc = sr_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < vg->npv; i++)
		names[i] = vg->pv[i].id;
	if ((rc = check_unique(names, vg->npv, "PVs with the UUID", vg->name, err)) < 0)
		goto out;
	for (i = 0; i < vg->nlv; i++)
		names[i] = vg->lv[i].id;
	if ((rc = check_unique(names, vg->nlv, "LVs with the UUID", vg->name, err)) < 0)
		goto out;
	rc = check_overlaps(vg, err);
out:
	free(names);
	free(x.pvs.v);
	free(x.lvs.v);
	return rc;
}

int lvm_meta_parse(const char *text, size_t len, struct lvm_vg *vg, struct sr_error *err)
{
	struct parser p = { .c = cursor_make(text, len), .line = 1, .err = err, .t = T_EOF };
	struct node top = { .type = N_SECTION }, **tail = &top.child;
	const struct node *v = NULL;
	const char *contents;
	uint64_t version;
	int rc;

	memset(vg, 0, sizeof(*vg));
	if (memchr(text, '\0', len))
		return sr_fail(err, EBADMSG, "metadata text has a NUL byte inside");
	if ((rc = next_token(&p)) < 0)
		goto out;
	while (p.t != T_EOF)
		if ((rc = parse_item(&p, 0, &tail)) < 0)
			goto out;
	if ((rc = get_string(&top, "contents", true, &contents, "metadata", err)) < 0 ||
	    (rc = get_uint(&top, "version", true, UINT32_MAX, &version, "metadata", err)) < 0)
		goto out;
	if (strcmp(contents, "Text Format Volume Group") || version != 1) {
		rc = sr_fail(err, EPROTONOSUPPORT,
			     "metadata is not \"Text Format Volume Group\" version 1");
		goto out;
	}
	for (const struct node *n = top.child; n; n = n->next) {
		if (n->type != N_SECTION)
			continue;
		if (v) {
			char q1[68], q2[68];

			rc = sr_fail(err, EBADMSG, "metadata holds two VGs, %s and %s",
				     Q(v->key, q1), Q(n->key, q2));
			goto out;
		}
		v = n;
	}
	if (!v) {
		rc = sr_fail(err, EBADMSG, "metadata holds no VG");
		goto out;
	}
	rc = parse_vg(v, vg, err);
out:
	arena_free(&p.arena);
	return rc;
}

void lvm_vg_free(struct lvm_vg *vg)
{
	for (unsigned i = 0; i < vg->nlv; i++) {
		for (unsigned s = 0; s < vg->lv[i].nseg; s++)
			free(vg->lv[i].seg[s].stripe);
		free(vg->lv[i].seg);
	}
	free(vg->lv);
	free(vg->pv);
	memset(vg, 0, sizeof(*vg));
}
