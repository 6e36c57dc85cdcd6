// SPDX-License-Identifier: GPL-2.0-only
/* iscsistart -f's records, from the table iPXE really wrote (tests/fixtures/ibft). */
#include <stdio.h>
#include <stdlib.h>

#include "firmware/ibft.h"
#include "t.h"

#define FIXTURE "tests/fixtures/ibft/ipxe-sanhook-chap.bin"

static struct ibft table;

/* What open-iscsi prints for this table, its version aside; the secret masked. */
static const char want[] =
	"# BEGIN RECORD 0.1.0\n"
	"iface.initiatorname = iqn.2013-02.org.example.client:default\n"
	"iface.transport_name = tcp\n"
	"iface.hwaddress = 52:54:00:12:34:56\n"
	"iface.bootproto = DHCP\n"
	"iface.ipaddress = 10.0.3.15\n"
	"iface.prefix_len = 24\n"
	"iface.subnet_mask = 255.255.255.0\n"
	"iface.gateway = 10.0.3.2\n"
	"iface.primary_dns = 10.0.3.3\n"
	"iface.vlan_id = 0\n"
	"iface.net_ifacename = ens2\n"
	"node.name = iqn.2013-02.org.example.target:client\n"
	"node.conn[0].address = 10.0.2.2\n"
	"node.conn[0].port = 3260\n"
	"node.session.auth.username = client\n"
	"node.session.auth.password = ********\n"
	"node.boot_lun = 01000000\n"
	"# END RECORD\n";

static char *render(const char *const *netdev, bool secrets, unsigned *records)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	*records = ibft_write_fwparam(&table, netdev, "0.1.0", f, secrets);
	fclose(f);
	return buf;
}

static void real_table(void)
{
	const char *netdev[IBFT_MAX_NICS] = { "ens2" };
	unsigned records;
	char *out = render(netdev, false, &records);

	CHECK(out);
	CHECK_INT(records, 1);
	CHECK_STR(out, want);
	free(out);
}

static void secrets_only_when_asked(void)
{
	unsigned records;
	char *out = render(NULL, true, &records);

	CHECK(out);
	CHECK(strstr(out, "node.session.auth.password = secret\n"));
	CHECK(!strstr(out, "iface.net_ifacename"));	/* no interface known */
	free(out);
}

/* A value a `read k eq v` loop would split, or a quoted assignment would break, is left out. */
static void untame_values_left_out(void)
{
	struct ibft saved = table;
	unsigned records;
	char *out;

	snprintf(table.target[0].name, sizeof(table.target[0].name), "iqn.x:a'b");
	snprintf(table.nic[0].gateway, sizeof(table.nic[0].gateway), "10.0.3.2 evil");
	snprintf(table.target[0].chap_name, sizeof(table.target[0].chap_name), "$(reboot)");
	out = render(NULL, false, &records);
	table = saved;
	CHECK(out);
	CHECK(!strstr(out, "node.name"));
	CHECK(!strstr(out, "iface.gateway"));
	CHECK(!strstr(out, "node.session.auth.username"));
	CHECK(strstr(out, "node.conn[0].address = 10.0.2.2\n"));
	free(out);
}

static void invalid_targets_skipped(void)
{
	struct ibft saved = table;
	unsigned records;
	char *out;

	table.target[0].flags &= (uint8_t)~IBFT_FL_VALID;
	out = render(NULL, false, &records);
	table = saved;
	CHECK_INT(records, 0);
	CHECK_STR(out ? out : "(null)", "");
	free(out);
}

/*
 * A static IPv6 NIC (tests/fixtures/ibft/ipv6-static.bin): the address and
 * gateway as IPv6 text and the prefix length, but no subnet_mask line (open-iscsi
 * would copy the kernel's 255.255.255.255 there); the target's address
 * unbracketed, as open-iscsi prints it.
 */
static void ipv6_static_nic(void)
{
	static const char want6[] =
		"# BEGIN RECORD 0.1.0\n"
		"iface.initiatorname = iqn.2003-01.org.sanroot:ibft6-client\n"
		"iface.transport_name = tcp\n"
		"iface.hwaddress = 52:54:00:12:34:56\n"
		"iface.bootproto = STATIC\n"
		"iface.ipaddress = fd00:5a::15\n"
		"iface.prefix_len = 64\n"
		"iface.gateway = fd00:5a::1\n"
		"iface.primary_dns = fd00:5a::53\n"
		"iface.secondary_dns = fd00:5a::54\n"
		"iface.vlan_id = 0\n"
		"node.name = iqn.2003-01.org.sanroot:ibft6\n"
		"node.conn[0].address = fd00:5a::2\n"
		"node.conn[0].port = 3260\n"
		"node.session.auth.username = ibft6-user\n"
		"node.session.auth.password = ********\n"
		"node.boot_lun = 01000000\n"
		"# END RECORD\n";
	struct ibft saved = table;
	uint8_t raw[4096];
	struct sr_error err;
	unsigned records;
	size_t n = 0;
	char *out = NULL;
	FILE *f = fopen("tests/fixtures/ibft/ipv6-static.bin", "rb");

	if (f) {
		n = fread(raw, 1, sizeof(raw), f);
		fclose(f);
	}
	CHECK_INT(ibft_parse(raw, n, &table, &err), 0);
	out = render(NULL, false, &records);
	table = saved;
	CHECK(out);
	CHECK_INT(records, 1);
	CHECK_STR(out ? out : "", want6);
	free(out);
}

/*
 * DHCPv6 (origin 3) says DHCP, as open-iscsi's dump_network does; a router
 * advertisement (origin 4) is not DHCP to open-iscsi either: STATIC.
 */
static void ipv6_dhcp6_and_ra_nics(void)
{
	struct ibft saved = table;
	uint8_t raw[4096];
	struct sr_error err;
	unsigned records;
	size_t n = 0;
	char *out = NULL;
	FILE *f = fopen("tests/fixtures/ibft/ipv6-dhcp6-ra.bin", "rb");

	if (f) {
		n = fread(raw, 1, sizeof(raw), f);
		fclose(f);
	}
	CHECK_INT(ibft_parse(raw, n, &table, &err), 0);
	out = render(NULL, false, &records);
	table = saved;
	CHECK(out);
	CHECK_INT(records, 2);
	if (!out)
		return;
	CHECK(strstr(out, "iface.hwaddress = 52:54:00:12:34:56\n"
			  "iface.bootproto = DHCP\n"
			  "iface.ipaddress = fd00:5a::1:15\n"
			  "iface.prefix_len = 128\n"
			  "iface.gateway = fe80::1\n") != NULL);
	CHECK(strstr(out, "iface.hwaddress = 52:54:00:12:34:57\n"
			  "iface.bootproto = STATIC\n"
			  "iface.ipaddress = 2001:db8:5a:0:5054:ff:fe12:3457\n"
			  "iface.prefix_len = 64\n") != NULL);
	CHECK(strstr(out, "node.conn[0].address = 2001:db8:5a::2\nnode.conn[0].port = 3261\n") != NULL);
	CHECK(!strstr(out, "subnet_mask"));
	free(out);
}

int main(void)
{
	uint8_t raw[4096];
	struct sr_error err;
	size_t n = 0;
	FILE *f = fopen(FIXTURE, "rb");

	if (f) {
		n = fread(raw, 1, sizeof(raw), f);
		fclose(f);
	}
	if (ibft_parse(raw, n, &table, &err) < 0) {
		printf("not ok load %s: %s\n", FIXTURE, n ? err.msg : "unreadable");
		return 1;
	}
	RUN(real_table);
	RUN(secrets_only_when_asked);
	RUN(untame_values_left_out);
	RUN(invalid_targets_skipped);
	RUN(ipv6_static_nic);
	RUN(ipv6_dhcp6_and_ra_nics);
	T_EXIT();
}
