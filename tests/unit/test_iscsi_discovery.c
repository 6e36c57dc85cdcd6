// SPDX-License-Identifier: GPL-2.0-only
/* Which discovered portals are unusable, the fallback to the portal asked, and which errors are worth a retry. */
#include <errno.h>

#include "t.h"

#include "iscsi/iscsi_discovery.h"

static void unusable(void)
{
	static const struct { const char *host; bool bad; } rows[] = {
		{ "127.0.0.1", true }, { "127.1.2.3", true }, { "0.0.0.0", true },
		{ "255.255.255.255", true }, { "224.0.0.1", true }, { "::1", true }, { "::", true },
		{ "ff02::1", true }, { "::ffff:127.0.0.1", true }, { "localhost", true },
		{ "10.0.2.2", false }, { "192.168.1.10", false }, { "fd00::2", false },
		{ "fe80::1", false }, { "target.example", false }, { "::ffff:10.0.0.1", false },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		t_row("unusable hosts", rows[i].host, iscsi_host_unusable(rows[i].host) != rows[i].bad,
		      "wrong answer");
}

static struct iscsi_discovery d;

static void answer(const char *asked, unsigned n)
{
	memset(&d, 0, sizeof(d));
	strcpy(d.asked.host, asked);
	d.asked.port = 3260;
	d.n = n;
}

static void portal(unsigned i, const char *host, uint16_t port, int tpgt)
{
	struct iscsi_st_target *t = &d.target[i];

	snprintf(t->name, sizeof(t->name), "iqn.%u", i);
	strcpy(t->portal[t->nportals].host, host);
	t->portal[t->nportals].port = port;
	t->tpgt[t->nportals++] = tpgt;
}

static void fixup(void)
{
	/* Names are kept as they are (routes are checked for addresses only: see tests/net). */
	answer("10.0.2.2", 2);
	portal(0, "127.0.0.1", 3260, 1);
	portal(0, "target.example", 3260, 2);
	portal(1, "0.0.0.0", 3261, 1);
	iscsi_discovery_fixup(&d);
	CHECK_INT(d.replaced, 2);
	CHECK_INT(d.target[0].nportals, 2);
	CHECK_STR(d.target[0].portal[0].host, "10.0.2.2");
	CHECK_STR(d.target[1].portal[0].host, "10.0.2.2");
	CHECK_INT(d.target[1].portal[0].port, 3260);

	/* Asking a loopback portal: the answer is as good as ours. */
	answer("127.0.0.1", 1);
	portal(0, "127.0.0.1", 3261, 1);
	iscsi_discovery_fixup(&d);
	CHECK_INT(d.replaced, 0);
	CHECK_INT(d.target[0].portal[0].port, 3261);
}

/* A link-local portal without a zone: the asked portal's zone, or left out. */
static void link_local(void)
{
	const char *zone;
	struct hostport hp = { "fe80::1%eth0", 3260 };

	CHECK(hostport_link_local(&hp, &zone));
	CHECK_STR(zone, "eth0");
	strcpy(hp.host, "fe80::1");
	CHECK(hostport_link_local(&hp, &zone));
	CHECK_STR(zone, "");
	strcpy(hp.host, "febf::1");
	CHECK(hostport_link_local(&hp, &zone));
	strcpy(hp.host, "fec0::2");
	CHECK(!hostport_link_local(&hp, &zone));
	strcpy(hp.host, "10.0.2.2");
	CHECK(!hostport_link_local(&hp, &zone));
	strcpy(hp.host, "fe80.example");
	CHECK(!hostport_link_local(&hp, &zone));

	answer("fe80::5%eth1", 1);
	portal(0, "fe80::5", 3260, 1);
	portal(0, "fe80::6%eth2", 3261, 1);
	iscsi_discovery_fixup(&d);
	CHECK_INT(d.zoned, 1);
	CHECK_INT(d.skipped, 0);
	CHECK_INT(d.target[0].nportals, 2);
	CHECK_STR(d.target[0].portal[0].host, "fe80::5%eth1");
	CHECK_STR(d.target[0].portal[1].host, "fe80::6%eth2");

	/* Asked by a name: a zoneless link-local portal means no interface here. */
	answer("target.example", 2);
	portal(0, "fe80::5", 3260, 1);
	portal(0, "target.example", 3261, 2);
	portal(1, "fe80::7", 3260, 1);
	iscsi_discovery_fixup(&d);
	CHECK_INT(d.skipped, 2);
	CHECK(d.first_skipped_link_local);
	CHECK_STR(d.first_skipped.host, "fe80::5");
	CHECK_INT(d.target[0].nportals, 1);
	CHECK_STR(d.target[0].portal[0].host, "target.example");
	CHECK_INT(d.target[0].tpgt[0], 2);
	CHECK_INT(d.target[0].skipped, 1);
	CHECK_INT(d.target[1].nportals, 0);
	CHECK_INT(d.target[1].skipped, 1);

	/* The zone is taken only from a link-local portal that has one. */
	struct hostport from = { "fe80::9", 3260 };

	strcpy(hp.host, "fe80::1");
	CHECK(!hostport_take_zone(&hp, &from));
	strcpy(from.host, "fd00::9%eth0");
	CHECK(!hostport_take_zone(&hp, &from));
	strcpy(from.host, "fe80::9%eth0");
	CHECK(hostport_take_zone(&hp, &from));
	CHECK_STR(hp.host, "fe80::1%eth0");
	CHECK(!hostport_take_zone(&hp, &from));
}

static void transient(void)
{
	CHECK(iscsi_error_transient(-ECONNREFUSED));
	CHECK(iscsi_error_transient(-ETIMEDOUT));
	CHECK(iscsi_error_transient(-ECONNRESET));
	CHECK(iscsi_error_transient(-EAGAIN));
	CHECK(!iscsi_error_transient(-EACCES));
	CHECK(!iscsi_error_transient(-ENOENT));
	CHECK(!iscsi_error_transient(-EPROTO));
	CHECK(!iscsi_error_transient(-EPERM));
}

int main(void)
{
	unusable();
	RUN(fixup);
	RUN(link_local);
	RUN(transient);
	T_EXIT();
}
