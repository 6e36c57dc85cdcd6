// SPDX-License-Identifier: GPL-2.0-only
/* Parsers for /etc/sanroot.conf and /etc/iscsi/iscsi.initramfs. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "plan/cmdline.h"
#include "plan/conf.h"

int conf_parse_sanroot(const char *text, size_t len, conf_emit_fn emit, void *ctx,
		       struct sr_error *err)
{
	unsigned line = 1;
	size_t ls = 0;

	while (ls < len) {
		size_t le = ls;
		size_t off = 0;
		struct cmdline_arg a;

		while (le < len && text[le] != '\n')
			le++;
		if (memchr(text + ls, '\0', le - ls))
			return sr_fail(err, EINVAL, "line %u: contains a NUL byte", line);
		while (cmdline_next(text + ls, le - ls, &off, &a)) {
			int rc;

			if (a.key[0] == '#' && a.pos == (size_t)(a.key - (text + ls)))
				break;
			if (a.keylen == 0)
				return sr_fail(err, EINVAL, "line %u, column %zu: empty parameter name",
					       line, a.pos + 1);
			rc = emit(ctx, a.key, a.keylen, a.val, a.vallen, a.val != NULL, line,
				  (unsigned)a.pos + 1);
			if (rc < 0)
				return rc;
		}
		ls = le + 1;
		line++;
	}
	return 0;
}

static bool name_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

#define VAL_MAX 1024

static int parse(const char *text, size_t len, conf_emit_fn emit, void *ctx, char val[VAL_MAX],
		 struct sr_error *err)
{
	unsigned line = 1;
	size_t ls = 0;

	while (ls < len) {
		size_t le = ls, i;

		while (le < len && text[le] != '\n')
			le++;
		i = ls;
		while (i < le && (text[i] == ' ' || text[i] == '\t'))
			i++;
		if (i == le || text[i] == '#')
			goto next;
		if (le - i > 7 && strncmp(text + i, "export", 6) == 0 &&
		    (text[i + 6] == ' ' || text[i + 6] == '\t')) {
			i += 7;
			while (i < le && (text[i] == ' ' || text[i] == '\t'))
				i++;
		}

		size_t ks = i;
		while (i < le && name_char(text[i], i == ks))
			i++;
		if (i == ks || i == le || text[i] != '=')
			return sr_fail(err, EINVAL, "line %u, column %zu: expected NAME=value",
				       line, i - ls + 1);
		size_t klen = i - ks;
		unsigned col = (unsigned)(ks - ls + 1);
		size_t vl = 0;

		i++;
		while (i < le && text[i] != ' ' && text[i] != '\t') {
			char c = text[i];

			if (c == '\'') {
				size_t close = i + 1;

				while (close < le && text[close] != '\'')
					close++;
				if (close == le)
					return sr_fail(err, EINVAL, "line %u, column %zu: unterminated '",
						       line, i - ls + 1);
				if (vl + (close - i - 1) >= VAL_MAX)
					goto too_long;
				memcpy(val + vl, text + i + 1, close - i - 1);
				vl += close - i - 1;
				i = close + 1;
			} else if (c == '"') {
				for (i++; i < le && text[i] != '"'; i++) {
					c = text[i];
					if (c == '\\' && i + 1 < le && strchr("\"\\$`", text[i + 1]))
						c = text[++i];
					else if (c == '$' || c == '`')
						goto expansion;
					if (vl + 1 >= VAL_MAX)
						goto too_long;
					val[vl++] = c;
				}
				if (i == le)
					return sr_fail(err, EINVAL, "line %u: unterminated \"", line);
				i++;
			} else if (c == '$' || c == '`') {
				goto expansion;
			} else if (strchr(";&|<>(){}\\", c)) {
				return sr_fail(err, EINVAL,
					       "line %u, column %zu: '%c' is shell syntax, not a value",
					       line, i - ls + 1, c);
			} else {
				if (vl + 1 >= VAL_MAX)
					goto too_long;
				val[vl++] = c;
				i++;
			}
		}
		while (i < le && (text[i] == ' ' || text[i] == '\t'))
			i++;
		if (i < le && text[i] != '#')
			return sr_fail(err, EINVAL,
				       "line %u, column %zu: more than one word after '='; quote the value",
				       line, i - ls + 1);
		val[vl] = '\0';
		if (memchr(val, '\0', vl))
			return sr_fail(err, EINVAL, "line %u: contains a NUL byte", line);
		int rc = emit(ctx, text + ks, klen, val, vl, true, line, col);
		if (rc < 0)
			return rc;
next:
		ls = le + 1;
		line++;
		continue;
expansion:
		return sr_fail(err, EINVAL,
			       "line %u, column %zu: $ and ` are not expanded here; quote the value with '...'",
			       line, i - ls + 1);
too_long:
		return sr_fail(err, E2BIG, "line %u: value longer than %u bytes", line, VAL_MAX - 1);
	}
	return 0;
}

int conf_parse_assignments(const char *text, size_t len, conf_emit_fn emit,
			       void *ctx, struct sr_error *err)
{
	char val[VAL_MAX];
	int rc = parse(text, len, emit, ctx, val, err);

	/* The values may be secrets: none stays behind on the stack. */
	explicit_bzero(val, sizeof(val));
	return rc;
}
