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

static void fixup(void)
{
	struct iscsi_st_target t[2];
	struct hostport asked = { "10.0.2.2", 3260 };

	memset(t, 0, sizeof(t));
	strcpy(t[0].name, "iqn.a");
	t[0].portal[0] = (struct hostport){ "127.0.0.1", 3260 };
	t[0].portal[1] = (struct hostport){ "192.168.7.7", 3260 };
	t[0].nportals = 2;
	strcpy(t[1].name, "iqn.b");
	t[1].portal[0] = (struct hostport){ "0.0.0.0", 3261 };
	t[1].nportals = 1;
	CHECK_INT(iscsi_discovery_fixup(t, 2, &asked), 2);
	CHECK_STR(t[0].portal[0].host, "10.0.2.2");
	CHECK_STR(t[0].portal[1].host, "192.168.7.7");
	CHECK_STR(t[1].portal[0].host, "10.0.2.2");
	CHECK_INT(t[1].portal[0].port, 3260);

	/* Asking a loopback portal: the answer is as good as ours. */
	struct hostport lo = { "127.0.0.1", 3260 };

	t[0].portal[0] = (struct hostport){ "127.0.0.1", 3261 };
	CHECK_INT(iscsi_discovery_fixup(t, 1, &lo), 0);
	CHECK_INT(t[0].portal[0].port, 3261);
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
	RUN(transient);
	T_EXIT();
}
