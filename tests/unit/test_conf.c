// SPDX-License-Identifier: GPL-2.0-only
/* Tests for the config file parsers: sanroot.conf and shell assignment files. */
#include <errno.h>

#include "plan/conf.h"
#include "t.h"

struct seen {
	char text[1024];
};

static int collect(void *ctx, const char *key, size_t keylen, const char *val, size_t vallen,
		   bool has_val, unsigned line, unsigned col)
{
	struct seen *s = ctx;
	size_t o = strlen(s->text);

	snprintf(s->text + o, sizeof(s->text) - o, "%u:%u %.*s%s%.*s|", line, col, (int)keylen, key,
		 has_val ? "=" : "", (int)vallen, has_val ? val : "");
	return 0;
}

struct row {
	const char *in;
	int rc;
	const char *out;	/* the collected settings, or a part of the error */
};

static void run_rows(const char *suite, const struct row *rows, size_t n,
		     int (*parse)(const char *, size_t, conf_emit_fn, void *, struct sr_error *))
{
	for (size_t i = 0; i < n; i++) {
		struct seen s = { "" };
		struct sr_error e = { 0 };
		char why[1200] = "";
		int rc = parse(rows[i].in, strlen(rows[i].in), collect, &s, &e);

		if (rc != rows[i].rc)
			snprintf(why, sizeof(why), "rc %d, expected %d (%s)", rc, rows[i].rc, e.msg);
		else if (rc == 0 && strcmp(s.text, rows[i].out))
			snprintf(why, sizeof(why), "got '%s', expected '%s'", s.text, rows[i].out);
		else if (rc < 0 && !strstr(e.msg, rows[i].out))
			snprintf(why, sizeof(why), "message '%s' lacks '%s'", e.msg, rows[i].out);
		t_row(suite, rows[i].in, why[0] != 0, why);
	}
}

static void sanroot_conf(void)
{
	static const struct row rows[] = {
		{ "iscsi_username=u iscsi_password=p\n", 0, "1:1 iscsi_username=u|1:18 iscsi_password=p|" },
		{ "# comment=1\n  a=1 # trailing=2\nb", 0, "2:3 a=1|3:1 b|" },
		{ "a=\"x # y\"", 0, "1:1 a=x # y|" },
		{ "a=b#c", 0, "1:1 a=b#c|" },
		{ "\n\n\t\n", 0, "" },
		{ "=x", -EINVAL, "line 1, column 1: empty parameter name" },
	};

	run_rows("sanroot.conf", rows, sizeof(rows) / sizeof(rows[0]), conf_parse_sanroot);
}

static void shell_assignments(void)
{
	static const struct row rows[] = {
		{ "ISCSI_TARGET_NAME=iqn.a:b\n", 0, "1:1 ISCSI_TARGET_NAME=iqn.a:b|" },
		{ "export ISCSI_TARGET_IP='10.0.0.1 10.0.0.2'\n", 0, "1:8 ISCSI_TARGET_IP=10.0.0.1 10.0.0.2|" },
		{ "  X=\"a \\\"q\\\" \\$ \\` \\\\\"  # note", 0, "1:3 X=a \"q\" $ ` \\|" },
		{ "X='it'\\''s'", -EINVAL, "shell syntax" },
		{ "X='a'\"b\"c", 0, "1:1 X=abc|" },
		{ "X=", 0, "1:1 X=|" },
		{ "# all comment\n\nY=1", 0, "3:1 Y=1|" },
		{ "DEVICE='eth0'\nROOTPATH='iscsi:10.0.0.1::::iqn.a:b'\n", 0,
		  "1:1 DEVICE=eth0|2:1 ROOTPATH=iscsi:10.0.0.1::::iqn.a:b|" },
		{ "X=$(reboot)", -EINVAL, "line 1, column 3: $ and ` are not expanded" },
		{ "X=\"$HOME\"", -EINVAL, "not expanded" },
		{ "X=`id`", -EINVAL, "not expanded" },
		{ "X=a;reboot", -EINVAL, "';' is shell syntax" },
		{ "X=a b", -EINVAL, "more than one word" },
		{ "X='unterminated", -EINVAL, "unterminated '" },
		{ "X=\"unterminated", -EINVAL, "unterminated \"" },
		{ "reboot", -EINVAL, "expected NAME=value" },
		{ "1X=a", -EINVAL, "expected NAME=value" },
		{ "if true; then X=1; fi", -EINVAL, "expected NAME=value" },
	};

	run_rows("assignments", rows, sizeof(rows) / sizeof(rows[0]), conf_parse_assignments);
}

int main(void)
{
	sanroot_conf();
	shell_assignments();
	T_EXIT();
}
