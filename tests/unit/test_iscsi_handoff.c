// SPDX-License-Identifier: GPL-2.0-only
/* What the kernel is told about a session: the boot defaults, -P / rd.iscsi.param, and the SET_PARAM lists. */
#include <errno.h>

#include "iscsi/kernel/iscsi_handoff.h"
#include "t.h"

static void defaults(void)
{
	struct iscsi_handoff_conf c;

	iscsi_handoff_conf_defaults(&c);
	CHECK_INT(c.replacement_timeout, 86400);
	CHECK_INT(c.noop_interval, 10);
	CHECK_INT(c.noop_timeout, 15);
	CHECK_INT(c.login_timeout, 15);
	CHECK_INT(c.login_retry_max, -1);
	CHECK_INT(c.cmds_max, 128);
	CHECK_INT(c.queue_depth, 32);
	CHECK(c.chap_in_kernel);
	CHECK_INT(c.offer.max_recv_dsl, 262144);
	CHECK_INT(c.header_digest, ISCSI_DIGEST_PREFER_NONE);
}

static const struct {
	const char *pair;
	int rc;
} set_cases[] = {
	{ "node.session.timeo.replacement_timeout=30", 0 },
	{ "replacement_timeout=40", 0 },		/* the last part alone */
	{ "REPLACEMENT_TIMEOUT=50", 0 },		/* in any case */
	{ "node.conn[0].timeo.noop_out_interval=0", 0 },
	{ "node.conn[1].timeo.noop_out_timeout=7", 0 },	/* another index: by its last part */
	{ "node.session.initial_login_retry_max=4", 0 },
	{ "node.session.iscsi.FastAbort=No", 0 },
	{ "node.conn[0].iscsi.HeaderDigest=CRC32C,None", 0 },
	{ "DataDigest=CRC32C", 0 },
	{ "node.conn[0].iscsi.MaxRecvDataSegmentLength=65536", 0 },
	{ "sanroot.chap_in_kernel=0", 0 },
	{ "node.startup=automatic", 1 },		/* not ours: the caller warns */
	{ "node.session.auth.password=x", 1 },
	{ "replacement_timeout=abc", -EINVAL },
	{ "replacement_timeout=-1", -EINVAL },
	{ "replacement_timeout=", -EINVAL },
	{ "replacement_timeout=99999999999", -EINVAL },
	{ "node.session.cmds_max=1", -ERANGE },
	{ "node.session.err_timeo.abort_timeout=0", -ERANGE },
	{ "FastAbort=maybe", -EINVAL },
	{ "HeaderDigest=MD5", -EINVAL },
	{ "MaxRecvDataSegmentLength=511", -ERANGE },
	{ "no-equals-sign", -EINVAL },
	{ "=3", -EINVAL },
};

static void set_table(void)
{
	struct iscsi_handoff_conf c;

	iscsi_handoff_conf_defaults(&c);
	for (size_t i = 0; i < sizeof(set_cases) / sizeof(set_cases[0]); i++) {
		struct sr_error err = { 0 };
		int rc = iscsi_handoff_conf_set_pair(&c, set_cases[i].pair, &err);
		char why[300];

		snprintf(why, sizeof(why), "returned %d, want %d (%s)", rc, set_cases[i].rc, err.msg);
		t_row("conf_set", set_cases[i].pair, rc != set_cases[i].rc, why);
	}
}

static void set_values(void)
{
	struct iscsi_handoff_conf c;
	struct sr_error err;

	iscsi_handoff_conf_defaults(&c);
	CHECK_INT(iscsi_handoff_conf_set_pair(&c, "replacement_timeout=40", &err), 0);
	CHECK_INT(c.replacement_timeout, 40);
	CHECK_INT(iscsi_handoff_conf_set_pair(&c, "noop_out_interval=0", &err), 0);
	CHECK_INT(c.noop_interval, 0);
	CHECK_INT(iscsi_handoff_conf_set_pair(&c, "initial_login_retry_max=0", &err), 0);
	CHECK_INT(c.login_retry_max, -1);	/* 0: until the deadline */
	CHECK_INT(iscsi_handoff_conf_set_pair(&c, "initial_login_retry_max=4", &err), 0);
	CHECK_INT(c.login_retry_max, 4);
	CHECK_INT(iscsi_handoff_conf_set_pair(&c, "HeaderDigest=None,CRC32C", &err), 0);
	CHECK_INT(c.header_digest, ISCSI_DIGEST_PREFER_NONE);
	CHECK_INT(iscsi_handoff_conf_set_pair(&c, "DataDigest=CRC32C,None", &err), 0);
	CHECK_INT(c.data_digest, ISCSI_DIGEST_PREFER_CRC32C);
	CHECK_INT(iscsi_handoff_conf_set_pair(&c, "ImmediateData=No", &err), 0);
	CHECK(!c.offer.immediate_data);
	CHECK_INT(iscsi_handoff_conf_set_pair(&c, "cmds_max=x", &err), -EINVAL);
	CHECK_STR(err.msg, "node.session.cmds_max=x: not a number from 2 to 2048");
}

static void login_params(struct iscsi_login_params *p, struct iscsi_chap_creds *chap)
{
	memset(p, 0, sizeof(*p));
	p->initiator_name = "iqn.2024-01.org.example:guest";
	p->target_name = "iqn.2024-01.org.example:disk";
	p->chap = *chap;
}

static void bound(void)
{
	struct iscsi_chap_creds chap = { "user", "a-secret-of-16-b", "tuser", "another-secret-1" };
	struct hostport portal = { "10.0.2.2", 3260 };
	struct iscsi_handoff_conf c;
	struct iscsi_login_params p;
	struct iscsi_kparams k;
	unsigned secrets = 0;

	iscsi_handoff_conf_defaults(&c);
	login_params(&p, &chap);
	iscsi_handoff_bound_params(&c, &p, &portal, &k);
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_INITIATOR_NAME), "iqn.2024-01.org.example:guest");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_TARGET_NAME), "iqn.2024-01.org.example:disk");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_PERSISTENT_ADDRESS), "10.0.2.2");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_PERSISTENT_PORT), "3260");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_IFACE_NAME), "default");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_SESS_RECOVERY_TMO), "86400");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_RECV_TMO), "10");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_PING_TMO), "15");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_FAST_ABORT), "1");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_USERNAME), "user");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_PASSWORD), "a-secret-of-16-b");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_USERNAME_IN), "tuser");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_PASSWORD_IN), "another-secret-1");
	for (unsigned i = 0; i < k.n; i++) {
		bool secret = k.p[i].param == ISCSI_PARAM_PASSWORD ||
			      k.p[i].param == ISCSI_PARAM_PASSWORD_IN;

		CHECK(k.p[i].secret == secret);
		secrets += secret;
		/* Nothing the transport refuses before the login. */
		CHECK(k.p[i].param != ISCSI_PARAM_MAX_RECV_DLENGTH);
	}
	CHECK_INT(secrets, 2);

	/* Without NOPs, no ping timeout; without the option, no credentials. */
	c.noop_interval = 0;
	c.chap_in_kernel = false;
	iscsi_handoff_bound_params(&c, &p, &portal, &k);
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_RECV_TMO), "0");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_PING_TMO), "0");
	CHECK(!iscsi_kparams_get(&k, ISCSI_PARAM_USERNAME));
	CHECK(!iscsi_kparams_get(&k, ISCSI_PARAM_PASSWORD));
}

static void after_login(void)
{
	struct iscsi_login_result r;
	struct iscsi_kparams k;

	memset(&r, 0, sizeof(r));
	/* What the engine leaves for a target that declared no MaxRecvDataSegmentLength. */
	iscsi_op_rfc_defaults(&r.neg);
	r.neg.max_recv_dsl = 262144;
	r.neg.first_burst = 65536;
	r.neg.max_burst = 262144;
	r.neg.initial_r2t = false;
	r.neg.header_digest = true;
	r.statsn = 41;
	r.tpgt = 1;
	memcpy(r.isid, "\x80\x01\x02\x03\x04\x05", 6);
	snprintf(r.target_alias, sizeof(r.target_alias), "disk one");
	iscsi_handoff_login_params(&r, &k);
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_MAX_RECV_DLENGTH), "262144");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_MAX_XMIT_DLENGTH), "8192");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_EXP_STATSN), "42");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_TPGT), "1");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_HDRDGST_EN), "1");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_DATADGST_EN), "0");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_INITIAL_R2T_EN), "0");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_IMM_DATA_EN), "1");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_FIRST_BURST), "65536");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_MAX_BURST), "262144");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_MAX_R2T), "1");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_ERL), "0");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_IFMARKER_EN), "0");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_OFMARKER_EN), "0");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_DEF_TIME2WAIT), "2");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_DEF_TIME2RETAIN), "20");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_ISID), "800102030405");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_TARGET_ALIAS), "disk one");

	/* The target's declared length; StatSN wraps; no TPGT, no alias with control bytes. */
	r.neg.max_xmit_dsl = 65536;
	r.statsn = 0xffffffffu;
	r.tpgt = -1;
	snprintf(r.target_alias, sizeof(r.target_alias), "bad\x1b[0m");
	iscsi_handoff_login_params(&r, &k);
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_MAX_XMIT_DLENGTH), "65536");
	CHECK_STR(iscsi_kparams_get(&k, ISCSI_PARAM_EXP_STATSN), "0");
	CHECK(!iscsi_kparams_get(&k, ISCSI_PARAM_TPGT));
	CHECK(!iscsi_kparams_get(&k, ISCSI_PARAM_TARGET_ALIAS));
	CHECK(k.n < ISCSI_KPARAMS_MAX);
}

int main(void)
{
	RUN(defaults);
	set_table();
	RUN(set_values);
	RUN(bound);
	RUN(after_login);
	T_EXIT();
}
