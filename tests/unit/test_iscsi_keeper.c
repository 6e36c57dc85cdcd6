// SPDX-License-Identifier: GPL-2.0-only
/* The keeper's decisions: backoff, what is told, the order of portals; its copy of the secrets. */
#include <errno.h>
#include <string.h>

#include "iscsi/kernel/iscsi_keeper.h"
#include "t.h"

static void backoff(void)
{
	int64_t b = ISCSI_KEEPER_BACKOFF_MIN_MS;

	/* A target that is down: doubled up to a second, for a root that waits. */
	b = iscsi_keeper_backoff(b, -ECONNREFUSED);
	CHECK_INT(b, 500);
	b = iscsi_keeper_backoff(b, -ECONNREFUSED);
	CHECK_INT(b, 1000);
	b = iscsi_keeper_backoff(b, -ETIMEDOUT);
	CHECK_INT(b, ISCSI_KEEPER_BACKOFF_MAX_MS);
	/* One that refuses us: up to 30 s. */
	for (int i = 0; i < 10; i++)
		b = iscsi_keeper_backoff(b, -EACCES);
	CHECK_INT(b, ISCSI_KEEPER_BACKOFF_AUTH_MS);
	/* Down again: back under the short cap at once. */
	CHECK_INT(iscsi_keeper_backoff(b, -ECONNREFUSED), ISCSI_KEEPER_BACKOFF_MAX_MS);
	CHECK_INT(iscsi_keeper_backoff(0, -ECONNREFUSED), 2 * ISCSI_KEEPER_BACKOFF_MIN_MS);
}

static void tell(void)
{
	CHECK(iscsi_keeper_tell("", "connection refused", 1));
	CHECK(!iscsi_keeper_tell("connection refused", "connection refused", 2));
	CHECK(iscsi_keeper_tell("connection refused", "connection refused", 20));
	CHECK(iscsi_keeper_tell("connection refused", "target rejected our CHAP response", 3));
}

static void portals(void)
{
	struct hostport all[3] = { { "10.0.0.1", 3260 }, { "10.0.0.2", 3260 }, { "10.0.0.1", 3261 } };
	struct hostport out[4];
	unsigned n;

	n = iscsi_keeper_portal_order(&all[1], all, 3, out, 4);
	CHECK_INT(n, 3);
	CHECK_STR(out[0].host, "10.0.0.2");
	CHECK_STR(out[1].host, "10.0.0.1");
	CHECK_INT(out[1].port, 3260);
	CHECK_INT(out[2].port, 3261);
	n = iscsi_keeper_portal_order(&all[0], all, 3, out, 2);
	CHECK_INT(n, 2);
	CHECK_STR(out[1].host, "10.0.0.2");
	n = iscsi_keeper_portal_order(&all[0], all, 0, out, 4);	/* the one in use, always */
	CHECK_INT(n, 1);
}

static void own_copies(void)
{
	static struct iscsi_keeper K;
	struct iscsi_handoff h = { 0 };
	struct iscsi_handoff_session s = { .sid = 4 };
	struct iscsi_state st = { .sid = 4 };
	struct iscsi_login_params p = { 0 };
	char secret[] = "sixteen-byte-secret", name[] = "user";
	char big[ISCSI_KEEPER_CRED_MAX + 1];

	iscsi_keeper_init(&K, &h, -1, -1, -1, NULL);
	p.initiator_name = "iqn.2024-01.org.example:init";
	p.target_name = "iqn.2024-01.org.example:disk";
	p.chap.name = name;
	p.chap.secret = secret;
	CHECK_INT(iscsi_keeper_add(&K, &p, &s, NULL, 0, &st), 0);
	explicit_bzero(secret, sizeof(secret));
	CHECK_STR(K.k[0].p.chap.secret, "sixteen-byte-secret");
	CHECK(K.k[0].p.chap.secret == K.k[0].c.chap_secret);
	CHECK(K.k[0].p.chap.target_secret == NULL);
	CHECK_INT(K.k[0].s.sid, 4);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	p.chap.secret = big;
	CHECK_INT(iscsi_keeper_add(&K, &p, &s, NULL, 0, &st), -ENAMETOOLONG);
	CHECK_INT(K.n, 1);
	iscsi_keeper_wipe(&K);
	CHECK_INT(K.n, 0);
	CHECK_INT(K.k[0].c.chap_secret[0], 0);
}

int main(void)
{
	RUN(backoff);
	RUN(tell);
	RUN(portals);
	RUN(own_copies);
	T_EXIT();
}
