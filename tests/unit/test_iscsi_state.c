// SPDX-License-Identifier: GPL-2.0-only
/* The session state files: text out and back in, whatever the values hold. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "iscsi/kernel/iscsi_state.h"
#include "t.h"

static void sample(struct iscsi_state *st)
{
	memset(st, 0, sizeof(*st));
	st->sid = 7;
	st->cid = 1;
	snprintf(st->target, sizeof(st->target), "iqn.2024-01.org.example:disk");
	snprintf(st->portal, sizeof(st->portal), "[fe80::1%%eth0]:3260");
	snprintf(st->portals, sizeof(st->portals), "[fe80::1%%eth0]:3260 10.0.0.2:3261");
	snprintf(st->isid, sizeof(st->isid), "80a1b2c3d4e5");
	snprintf(st->devs, sizeof(st->devs), "sda sdb");
	snprintf(st->luns, sizeof(st->luns), "0 1");
	snprintf(st->state, sizeof(st->state), "recovering");
	st->keeper = 1234;
	st->recoveries = 3;
	st->last_outage_ms = 2500;
	st->last_relogin_ms = -1;
}

static void round_trip(const struct iscsi_state *in)
{
	char text[ISCSI_STATE_TEXT_MAX];
	struct iscsi_state out;
	int n = iscsi_state_format(in, text, sizeof(text));

	CHECK(n > 0);
	if (n <= 0)
		return;
	CHECK_INT((size_t)n, strlen(text));
	CHECK_INT(iscsi_state_parse(text, (size_t)n, &out), 0);
	CHECK_INT(out.sid, in->sid);
	CHECK_INT(out.cid, in->cid);
	CHECK_STR(out.target, in->target);
	CHECK_STR(out.portal, in->portal);
	CHECK_STR(out.portals, in->portals);
	CHECK_STR(out.isid, in->isid);
	CHECK_STR(out.devs, in->devs);
	CHECK_STR(out.luns, in->luns);
	CHECK_STR(out.state, in->state);
	CHECK_INT(out.keeper, in->keeper);
	CHECK_INT(out.recoveries, in->recoveries);
	CHECK_STR(out.last_error, in->last_error);
	CHECK_INT(out.last_outage_ms, in->last_outage_ms);
	CHECK_INT(out.last_relogin_ms, in->last_relogin_ms);
}

static void plain(void)
{
	struct iscsi_state st;

	sample(&st);
	snprintf(st.last_error, sizeof(st.last_error), "connection refused");
	round_trip(&st);
}

/* Target names and messages come from the wire: quotes, newlines, shell syntax. */
static void hostile(void)
{
	static const char *const v[] = {
		"it's", "'", "''", "'\\''", "a\nb", "\n", "x'\nSID='99'\n#", "$(reboot)", "`id`",
		"\\", "\\'", "\"q\"", "a=b", "\t \r", "KEEPER='1'",
	};
	struct iscsi_state st;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sample(&st);
		snprintf(st.last_error, sizeof(st.last_error), "%s", v[i]);
		snprintf(st.target, sizeof(st.target), "%s%s", v[i], v[i]);
		snprintf(st.state, sizeof(st.state), "%s", v[i]);
		round_trip(&st);
	}
}

static void full_fields(void)
{
	struct iscsi_state st;

	sample(&st);
	memset(st.target, '\'', sizeof(st.target) - 1);
	memset(st.portals, 'p', sizeof(st.portals) - 1);
	memset(st.last_error, '\n', sizeof(st.last_error) - 1);
	round_trip(&st);
}

static void too_small(void)
{
	struct iscsi_state st;
	char text[64];

	sample(&st);
	CHECK_INT(iscsi_state_format(&st, text, sizeof(text)), -ENOSPC);
}

static void refused(void)
{
	static const char *const bad[] = {
		"SID=7\n",			/* unquoted */
		"SID='7\n",			/* unterminated */
		"SID='7'x\n",
		"SID='x'\n",			/* not a number */
		"sid='7'\n",			/* not one of our keys' shapes */
		"='7'\n",
		"SID\n",
		"SID='7' # c\n",
	};
	struct iscsi_state st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		t_row("refused", bad[i], iscsi_state_parse(bad[i], strlen(bad[i]), &st) != -EINVAL,
		      "accepted");
}

static void lenient(void)
{
	static const char text[] = "# c\n\nFUTURE_KEY='x'\nSID='3'\nTARGET='t'\\''s'";
	struct iscsi_state st;

	CHECK_INT(iscsi_state_parse(text, sizeof(text) - 1, &st), 0);
	CHECK_INT(st.sid, 3);
	CHECK_STR(st.target, "t's");
}

static void isid(void)
{
	struct iscsi_state st = { .isid = "80A1b2c3d4e5" };
	uint8_t b[6] = { 0 };

	CHECK_INT(iscsi_state_isid(&st, b), 0);
	CHECK_MEM(b, "\x80\xa1\xb2\xc3\xd4\xe5", 6);
	snprintf(st.isid, sizeof(st.isid), "80a1b2c3d4e");
	CHECK_INT(iscsi_state_isid(&st, b), -EINVAL);
	snprintf(st.isid, sizeof(st.isid), "80a1b2c3d4 5");
	CHECK_INT(iscsi_state_isid(&st, b), -EINVAL);
	snprintf(st.isid, sizeof(st.isid), "0x80a1b2c3d4");
	CHECK_INT(iscsi_state_isid(&st, b), -EINVAL);
}

int main(void)
{
	RUN(plain);
	RUN(hostile);
	RUN(full_fields);
	RUN(too_small);
	RUN(refused);
	RUN(lenient);
	RUN(isid);
	T_EXIT();
}
