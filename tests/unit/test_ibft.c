// SPDX-License-Identifier: GPL-2.0-only
/* Tests for the iBFT parser: a real table written by iPXE, its sysfs view, and built edge cases. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "firmware/ibft.h"
#include "plan/plan_load.h"
#include "t.h"

#define FIXTURE "tests/fixtures/ibft/ipxe-sanhook-chap.bin"
#define FIXTURE_SYSFS "tests/fixtures/ibft/ipxe-sanhook-chap.sysfs.txt"
#define MUTUAL "tests/fixtures/ibft/ipxe-sanhook-mutual.bin"
#define MUTUAL_SYSFS "tests/fixtures/ibft/ipxe-sanhook-mutual.sysfs.txt"
#define IPXE_V6 "tests/fixtures/ibft/ipxe-sanhook-ipv6.bin"
#define IPXE_V6_SYSFS "tests/fixtures/ibft/ipxe-sanhook-ipv6.sysfs.txt"
#define V6_STATIC "tests/fixtures/ibft/ipv6-static.bin"
#define V6_STATIC_SYSFS "tests/fixtures/ibft/ipv6-static.sysfs.txt"
#define V6_DHCP_RA "tests/fixtures/ibft/ipv6-dhcp6-ra.bin"
#define V6_DHCP_RA_SYSFS "tests/fixtures/ibft/ipv6-dhcp6-ra.sysfs.txt"

static uint8_t real[4096];
static size_t real_len;
static uint8_t mutual[4096];
static size_t mutual_len;

static size_t load_file(const char *path, uint8_t *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, size, f);
		fclose(f);
	}
	return n;
}

static void load_real(void)
{
	real_len = load_file(FIXTURE, real, sizeof(real));
	mutual_len = load_file(MUTUAL, mutual, sizeof(mutual));
}

/* A table builder for the edge cases ------------------------------------------ */

struct tb {
	uint8_t b[4096];
	size_t len;	/* bytes in use: header + structures + strings */
	size_t str;	/* where the next string goes */
};

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }

static void addr(uint8_t out[16], const char *s)
{
	memset(out, 0, 16);
	if (strchr(s, ':')) {
		inet_pton(AF_INET6, s, out);
	} else if (*s) {
		out[10] = out[11] = 0xff;
		inet_pton(AF_INET, s, out + 12);
	}
}

static void shdr(uint8_t *p, unsigned id, unsigned len, unsigned index, unsigned flags)
{
	p[0] = (uint8_t)id;
	p[1] = 1;
	put16(p + 2, len);
	p[4] = (uint8_t)index;
	p[5] = (uint8_t)flags;
}

/* Header, control at 48 with room for four NIC/target pairs, strings from 0x400. */
static void tb_init(struct tb *t, unsigned npairs)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "iBFT", 4);
	t->b[8] = 1;
	memcpy(t->b + 10, "SANRT ", 6);
	memcpy(t->b + 16, "unittest", 8);
	shdr(t->b + 48, 1, 10 + 4 * (npairs < 2 ? 2 : npairs), 0, 0);
	t->str = 0x400;
	t->len = 0x400;
}

static void tb_off(struct tb *t, unsigned slot, unsigned off)
{
	put16(t->b + 48 + 8 + 2 * slot, off);	/* slot 0: initiator, 1: nic0, 2: tgt0, ... */
}

static void tb_str(struct tb *t, uint8_t *lenoff, const char *s)
{
	size_t n = strlen(s);

	if (!n)
		return;
	put16(lenoff, (unsigned)n);
	put16(lenoff + 2, (unsigned)t->str);
	memcpy(t->b + t->str, s, n + 1);
	t->str += n + 1;
	if (t->str > t->len)
		t->len = t->str;
}

static void tb_initiator(struct tb *t, unsigned off, const char *name)
{
	uint8_t *p = t->b + off;

	shdr(p, 2, 74, 0, 3);
	tb_off(t, 0, off);
	tb_str(t, p + 70, name);
}

static void tb_nic(struct tb *t, unsigned slot, unsigned off, unsigned index, unsigned flags,
		   const char *ip, unsigned prefix, unsigned origin, const char *gw, unsigned vlan,
		   const char *mac6)
{
	uint8_t *p = t->b + off;

	shdr(p, 3, 102, index, flags);
	tb_off(t, slot, off);
	addr(p + 6, ip);
	p[22] = (uint8_t)prefix;
	p[23] = (uint8_t)origin;
	addr(p + 24, gw);
	put16(p + 88, vlan);
	memcpy(p + 90, mac6, 6);
}

static void tb_target(struct tb *t, unsigned slot, unsigned off, unsigned index, unsigned flags,
		      const char *ip, unsigned port, unsigned lun, unsigned chap, unsigned nic,
		      const char *name, const char *cn, const char *cs, const char *rn, const char *rs)
{
	uint8_t *p = t->b + off;

	shdr(p, 4, 54, index, flags);
	tb_off(t, slot, off);
	addr(p + 6, ip);
	put16(p + 22, port);
	p[25] = (uint8_t)lun;	/* peripheral addressing, bus 0 */
	p[32] = (uint8_t)chap;
	p[33] = (uint8_t)nic;
	tb_str(t, p + 34, name);
	tb_str(t, p + 38, cn);
	tb_str(t, p + 42, cs);
	tb_str(t, p + 46, rn);
	tb_str(t, p + 50, rs);
}

static void tb_finish(struct tb *t)
{
	uint8_t sum = 0;

	put32(t->b + 4, (uint32_t)t->len);
	t->b[9] = 0;
	for (size_t i = 0; i < t->len; i++)
		sum = (uint8_t)(sum + t->b[i]);
	t->b[9] = (uint8_t)(0x100 - sum);
}

static void tb_two_and_two(struct tb *t)
{
	tb_init(t, 2);
	tb_initiator(t, 0x60, "iqn.2026-11.org.example:host");
	tb_nic(t, 1, 0xb0, 0, 3, "192.168.10.5", 24, 1, "192.168.10.1", 0, "\x00\x11\x22\x33\x44\x55");
	tb_target(t, 2, 0x120, 0, 3, "192.168.10.2", 3260, 1, 2, 0, "iqn.2026-11.org.example:disk0",
		  "host", "host-secret-1", "array", "array-secret-1");
	tb_nic(t, 3, 0x160, 1, 1, "fd00:10::5", 64, 1, "fd00:10::1", 123, "\x00\x11\x22\x33\x44\x66");
	tb_target(t, 4, 0x1d0, 1, 1, "fd00:10::2", 3261, 2, 0, 1, "iqn.2026-11.org.example:disk1",
		  "", "", "", "");
	tb_finish(t);
}

/* Cases ------------------------------------------------------------------------- */

static void real_ipxe_table(void)
{
	struct ibft b;
	struct sr_error e = { 0 };

	CHECK_INT(real_len, 603);
	CHECK_INT(ibft_parse(real, real_len, &b, &e), 0);
	CHECK_STR(b.signature, "iBFT");
	CHECK_STR(b.oem_id, "FENSYS");
	CHECK_STR(b.oem_table_id, "iPXE");
	CHECK(b.initiator.present);
	CHECK_STR(b.initiator.name, "iqn.2013-02.org.example.client:default");
	CHECK_INT(b.nnics, 1);
	CHECK_STR(b.nic[0].ip, "10.0.3.15");
	CHECK_INT(b.nic[0].prefix, 24);
	CHECK_INT(b.nic[0].origin, 3);
	CHECK_STR(b.nic[0].gateway, "10.0.3.2");
	CHECK_STR(b.nic[0].dns[0], "10.0.3.3");
	CHECK_STR(b.nic[0].dns[1], "");
	CHECK_STR(b.nic[0].dhcp, "10.0.3.2");
	CHECK_INT(b.nic[0].vlan, 0);
	CHECK_MEM(b.nic[0].mac, "\x52\x54\x00\x12\x34\x56", 6);
	CHECK_INT(b.nic[0].flags, 3);
	CHECK_INT(b.ntargets, 1);
	CHECK_STR(b.target[0].name, "iqn.2013-02.org.example.target:client");
	CHECK_STR(b.target[0].ip, "10.0.2.2");
	CHECK_INT(b.target[0].port, 3260);
	CHECK_INT(b.target[0].lun, 1);
	CHECK_INT(b.target[0].chap_type, IBFT_CHAP_ONEWAY);
	CHECK_STR(b.target[0].chap_name, "client");
	CHECK_STR(b.target[0].chap_secret, "secret");
	CHECK_STR(b.target[0].rchap_name, "");
}

/*
 * The kernel's view of a table, as iscsi_ibft wrote it under /sys/firmware/ibft,
 * rebuilt as a folder from the fixture's path=value lines; parsed into *sys.
 */
static void load_sysfs_fixture(const char *fixture, struct ibft *sys)
{
	char dir[] = "/tmp/sanroot-ibft.XXXXXX", line[512], path[700];
	struct sr_error e = { 0 };
	FILE *f = fopen(fixture, "r");

	CHECK(f != NULL);
	CHECK(mkdtemp(dir) != NULL);
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '='), *slash = strchr(line, '/');
		size_t n;

		if (!eq || !slash || slash > eq)
			continue;
		*eq = '\0';
		n = strlen(eq + 1);
		while (n && (eq[1 + n - 1] == '\n' || eq[1 + n - 1] == ' '))
			eq[1 + --n] = '\0';
		*slash = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/%s/%s", dir, line, slash + 1);
		FILE *o = fopen(path, "w");
		if (o) {
			fprintf(o, "%s\n", eq + 1);
			fclose(o);
		}
	}
	fclose(f);
	CHECK_INT(ibft_load_sysfs(dir, sys, &e), 0);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK_INT(system(path), 0);
}

static void sysfs_view_agrees(void)
{
	struct ibft bin, sys;
	struct sr_error e = { 0 };

	CHECK_INT(ibft_parse(real, real_len, &bin, &e), 0);
	load_sysfs_fixture(FIXTURE_SYSFS, &sys);
	CHECK_STR(sys.initiator.name, bin.initiator.name);
	CHECK_INT(sys.nnics, 1);
	CHECK_STR(sys.nic[0].ip, bin.nic[0].ip);
	CHECK_INT(sys.nic[0].prefix, bin.nic[0].prefix);
	CHECK_INT(sys.nic[0].origin, bin.nic[0].origin);
	CHECK_STR(sys.nic[0].gateway, bin.nic[0].gateway);
	CHECK_STR(sys.nic[0].dns[0], bin.nic[0].dns[0]);
	CHECK_MEM(sys.nic[0].mac, bin.nic[0].mac, 6);
	CHECK_INT(sys.ntargets, 1);
	CHECK_STR(sys.target[0].name, bin.target[0].name);
	CHECK_STR(sys.target[0].ip, bin.target[0].ip);
	CHECK_INT(sys.target[0].port, bin.target[0].port);
	CHECK_INT(sys.target[0].lun, bin.target[0].lun);	/* "01000000": the kernel's unpadded %x */
	CHECK_INT(sys.target[0].chap_type, bin.target[0].chap_type);
	CHECK_STR(sys.target[0].chap_secret, bin.target[0].chap_secret);
	CHECK_STR(sys.oem_table_id, "iPXE");
}

/*
 * Mutual CHAP, captured by tests/vm/ibft.sh. The kernel names the reverse secret
 * rev-chap-name-secret; reading it as rev-chap-secret lost it.
 */
static void real_mutual_table(void)
{
	struct ibft bin, sys;
	struct sr_error e = { 0 };

	CHECK_INT(mutual_len, 635);
	CHECK_INT(ibft_parse(mutual, mutual_len, &bin, &e), 0);
	CHECK_STR(bin.initiator.name, "iqn.2003-01.org.sanroot:ibft-client");
	CHECK_INT(bin.ntargets, 1);
	CHECK_STR(bin.target[0].name, "iqn.2003-01.org.sanroot:ibft");
	CHECK_INT(bin.target[0].lun, 1);
	CHECK_INT(bin.target[0].chap_type, IBFT_CHAP_MUTUAL);
	CHECK_STR(bin.target[0].chap_name, "ibft-user");
	CHECK_STR(bin.target[0].chap_secret, "ibft-chap-secret");
	CHECK_STR(bin.target[0].rchap_name, "ibft-target");
	CHECK_STR(bin.target[0].rchap_secret, "ibft-target-secret");
	CHECK_INT(bin.nic[0].pci_bdf, 0x10);	/* 00:02.0 */

	load_sysfs_fixture(MUTUAL_SYSFS, &sys);
	CHECK_INT(sys.target[0].chap_type, IBFT_CHAP_MUTUAL);
	CHECK_STR(sys.target[0].chap_name, bin.target[0].chap_name);
	CHECK_STR(sys.target[0].chap_secret, bin.target[0].chap_secret);
	CHECK_STR(sys.target[0].rchap_name, bin.target[0].rchap_name);
	CHECK_STR(sys.target[0].rchap_secret, bin.target[0].rchap_secret);
	CHECK_INT(sys.target[0].lun, 1);
	CHECK_MEM(sys.nic[0].mac, bin.nic[0].mac, 6);
}

/*
 * sysfs shows the table's bytes as they are: a CHAP type beyond mutual is refused,
 * and the messages name the entry (read from the directory stream, before closedir).
 */
static void sysfs_bad_values(void)
{
	char dir[] = "/tmp/sanroot-ibft.XXXXXX", path[300];
	struct ibft sys;
	struct sr_error e = { 0 };
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/target0", dir);
	CHECK_INT(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/target0/chap-type", dir);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f) {
		fputs("9\n", f);
		fclose(f);
	}
	CHECK_INT(ibft_load_sysfs(dir, &sys, &e), -EINVAL);
	CHECK(strstr(e.msg, "target0/chap-type: unknown CHAP type 9") != NULL);

	/* and a LUN the kernel would never print (the message names the entry) */
	snprintf(path, sizeof(path), "%s/target0/chap-type", dir);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/target0/lun", dir);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f) {
		fputs("0x1\n", f);
		fclose(f);
	}
	CHECK_INT(ibft_load_sysfs(dir, &sys, &e), -EINVAL);
	CHECK(strstr(e.msg, "target0/lun: cannot decode '0x1'") != NULL);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK_INT(system(path), 0);
}

/* Parse a fixture file whole. */
static void parse_fixture(const char *path, struct ibft *b, size_t want_len)
{
	static uint8_t buf[4096];
	struct sr_error e = { 0 };
	size_t n = load_file(path, buf, sizeof(buf));

	CHECK_INT(n, want_len);
	CHECK_INT(ibft_parse(buf, n, b, &e), 0);
}

static const struct ibft_nic *nic_by_index(const struct ibft *b, unsigned index)
{
	for (unsigned i = 0; i < b->nnics; i++)
		if (b->nic[i].index == index)
			return &b->nic[i];
	return NULL;
}

static const struct ibft_target *target_by_index(const struct ibft *b, unsigned index)
{
	for (unsigned i = 0; i < b->ntargets; i++)
		if (b->target[i].index == index)
			return &b->target[i];
	return NULL;
}

/*
 * The kernel's view says what the bytes say, address for address (the kernel
 * prints IPv6 with every group in four digits; both read back compressed).
 */
static void views_agree(const struct ibft *bin, const struct ibft *sys)
{
	CHECK_INT(sys->nnics, bin->nnics);
	CHECK_INT(sys->ntargets, bin->ntargets);
	for (unsigned i = 0; i < bin->nnics; i++) {
		const struct ibft_nic *a = &bin->nic[i], *b = nic_by_index(sys, a->index);

		CHECK(b != NULL);
		if (!b)
			continue;
		CHECK_STR(b->ip, a->ip);
		CHECK_INT(b->prefix, a->prefix);
		CHECK_INT(b->origin, a->origin);
		CHECK_STR(b->gateway, a->gateway);
		CHECK_STR(b->dns[0], a->dns[0]);
		CHECK_STR(b->dns[1], a->dns[1]);
		CHECK_STR(b->dhcp, a->dhcp);
		CHECK_STR(b->hostname, a->hostname);
		CHECK_MEM(b->mac, a->mac, 6);
	}
	for (unsigned i = 0; i < bin->ntargets; i++) {
		const struct ibft_target *a = &bin->target[i], *b = target_by_index(sys, a->index);

		CHECK(b != NULL);
		if (!b)
			continue;
		CHECK_STR(b->ip, a->ip);
		CHECK_INT(b->port, a->port);
		CHECK_INT(b->lun, a->lun);
		CHECK_INT(b->nic, a->nic);
		CHECK_STR(b->name, a->name);
		CHECK_STR(b->chap_secret, a->chap_secret);
	}
}

/*
 * A static IPv6 NIC (tests/fixtures/ibft/mkibft6.py), and the view Debian's
 * 6.1 kernel gave of it: every field, and the IPv6 target.
 */
static void ipv6_static_table(void)
{
	struct ibft b, sys;

	parse_fixture(V6_STATIC, &b, 621);
	CHECK_INT(b.nnics, 1);
	CHECK_STR(b.nic[0].ip, "fd00:5a::15");
	CHECK_INT(b.nic[0].prefix, 64);
	CHECK_INT(b.nic[0].origin, IBFT_ORIGIN_MANUAL);
	CHECK_STR(b.nic[0].gateway, "fd00:5a::1");
	CHECK_STR(b.nic[0].dns[0], "fd00:5a::53");
	CHECK_STR(b.nic[0].dns[1], "fd00:5a::54");
	CHECK_STR(b.nic[0].dhcp, "");
	CHECK_STR(b.nic[0].hostname, "ibft6-static");
	CHECK_INT(b.ntargets, 1);
	CHECK_STR(b.target[0].ip, "fd00:5a::2");
	CHECK_INT(b.target[0].port, 3260);
	CHECK_INT(b.target[0].lun, 1);
	CHECK_STR(b.target[0].chap_name, "ibft6-user");

	load_sysfs_fixture(V6_STATIC_SYSFS, &sys);
	views_agree(&b, &sys);
}

/* DHCPv6 (origin 3, a link-local server) on NIC 0, a router advertisement (4) on NIC 1. */
static void ipv6_dhcp6_ra_table(void)
{
	struct ibft b, sys;

	parse_fixture(V6_DHCP_RA, &b, 612);
	CHECK_INT(b.nnics, 2);
	CHECK_STR(b.nic[0].ip, "fd00:5a::1:15");
	CHECK_INT(b.nic[0].prefix, 128);
	CHECK_INT(b.nic[0].origin, IBFT_ORIGIN_DHCP);
	CHECK_STR(b.nic[0].dhcp, "fe80::2");
	CHECK_STR(b.nic[0].gateway, "fe80::1");
	CHECK_STR(b.nic[1].ip, "2001:db8:5a:0:5054:ff:fe12:3457");
	CHECK_INT(b.nic[1].origin, IBFT_ORIGIN_RA);
	CHECK_INT(b.nic[1].pci_bdf, 0x18);	/* 00:03.0 */
	CHECK_INT(b.ntargets, 2);
	CHECK_STR(b.target[1].ip, "2001:db8:5a::2");
	CHECK_INT(b.target[1].port, 3261);
	CHECK_INT(b.target[1].nic, 1);

	load_sysfs_fixture(V6_DHCP_RA_SYSFS, &sys);
	views_agree(&b, &sys);

	/* the dump names the origin, and brackets an IPv6 portal */
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	CHECK(f != NULL);
	if (!f)
		return;
	ibft_write_dump(&b, f, false);
	fclose(f);
	CHECK(strstr(out, "  origin             4 (router advertisement)\n") != NULL);
	CHECK(strstr(out, "  portal             [2001:db8:5a::2]:3261\n") != NULL);
	free(out);
}

/*
 * What iPXE really writes after `sanhook iscsi:[fec0::2]:::1:...` (it logged
 * in over IPv6): the NIC's IPv4 fields only, and the target as the IPv4-mapped
 * address of the IPv6 address's first four bytes, fe c0 00 00. Otherwise it is
 * the very table the same boot over IPv4 gives (ipxe-sanhook-mutual.bin): only
 * those four bytes and the checksum differ.
 */
static void ipxe_ipv6_target_table(void)
{
	struct ibft b, sys;
	static uint8_t v6[4096];
	size_t n = load_file(IPXE_V6, v6, sizeof(v6));

	parse_fixture(IPXE_V6, &b, 635);
	CHECK_STR(b.oem_table_id, "iPXE");
	CHECK_STR(b.nic[0].ip, "10.0.3.15");
	CHECK_INT(b.nic[0].origin, IBFT_ORIGIN_DHCP);
	CHECK_STR(b.target[0].ip, "254.192.0.0");
	CHECK_INT(b.target[0].port, 3260);
	CHECK_STR(b.target[0].name, "iqn.2003-01.org.sanroot:ibft");
	CHECK_INT(b.target[0].chap_type, IBFT_CHAP_MUTUAL);
	CHECK_INT(n, mutual_len);
	for (size_t i = 0; i < n && i < mutual_len; i++)
		if (v6[i] != mutual[i] && i != 9 && (i < 0x192 || i > 0x195))
			t_row("ipv6_vs_ipv4_table", "byte", true, "a byte other than the address or checksum differs");
	CHECK_MEM(v6 + 0x18a, "\x00\x00\x00\x00\x00\x00\xff\xff\xfe\xc0\x00\x00", 12);
	CHECK_MEM(mutual + 0x18a, "\x00\x00\x00\x00\x00\x00\xff\xff\x0a\x00\x02\x02", 12);

	load_sysfs_fixture(IPXE_V6_SYSFS, &sys);
	views_agree(&b, &sys);
}

/* An unset address in sysfs (a target's is always shown: all zeros) reads as none. */
static void sysfs_unset_addresses(void)
{
	char dir[] = "/tmp/sanroot-ibft.XXXXXX", path[300];
	static const struct { const char *file, *text; } rows[] = {
		{ "target0/ip-addr", "0000:0000:0000:0000:0000:0000:0000:0000" },
		{ "target0/target-name", "iqn.x:y" },
		{ "ethernet0/ip-addr", "0.0.0.0" },
		{ "ethernet0/gateway", "::ffff:10.1.2.3" },
		{ "ethernet0/primary-dns", "FD00:005A:0000:0000:0000:0000:0000:0053" },
	};
	struct ibft sys;
	struct sr_error e = { 0 };

	CHECK(mkdtemp(dir) != NULL);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%.*s", dir,
			 (int)(strchr(rows[i].file, '/') - rows[i].file), rows[i].file);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/%s", dir, rows[i].file);
		CHECK((f = fopen(path, "w")) != NULL);
		if (f) {
			fprintf(f, "%s\n", rows[i].text);
			fclose(f);
		}
	}
	CHECK_INT(ibft_load_sysfs(dir, &sys, &e), 0);
	CHECK_STR(sys.target[0].ip, "");
	CHECK_STR(sys.nic[0].ip, "");
	CHECK_STR(sys.nic[0].gateway, "10.1.2.3");
	CHECK_STR(sys.nic[0].dns[0], "fd00:5a::53");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK_INT(system(path), 0);
}

static void scan_low_memory(void)
{
	static uint8_t mem[0x80000];
	const size_t at = 0x9e620 - 0x80000;	/* where the kernel found iPXE's table */

	memset(mem, 0, sizeof(mem));
	memcpy(mem + 0x100, "iBFT\xff\xff\xff\x7f", 8);	/* a decoy with an impossible length */
	memcpy(mem + at, real, real_len);
	CHECK_INT(ibft_scan(mem, sizeof(mem)), (long)at);
	CHECK_INT(ibft_scan(mem, 0x100 + 40), -1);	/* too short to hold a header */
	memset(mem + at, 0, real_len);
	CHECK_INT(ibft_scan(mem, sizeof(mem)), -1);
}

/* ibft_load_system on a tree: ACPI first, then /dev/mem low memory, then sysfs. */
static void load_from_a_fake_system(void)
{
	char root[] = "/tmp/sanroot-root.XXXXXX", path[300];
	struct ibft b;
	struct sr_error e = { 0 };
	const char *from = NULL;
	int fd;

	CHECK(mkdtemp(root) != NULL);
	snprintf(path, sizeof(path), "%s/dev", root);
	mkdir(path, 0755);
	CHECK_INT(ibft_load_system(root, &b, &from, &e), -ENOENT);

	snprintf(path, sizeof(path), "%s/dev/mem", root);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	CHECK(fd >= 0);
	CHECK_INT(ftruncate(fd, 0x100000), 0);
	CHECK_INT(pwrite(fd, real, real_len, 0x9e620), (long)real_len);
	close(fd);
	CHECK_INT(ibft_load_system(root, &b, &from, &e), 0);
	CHECK(strstr(from, "low memory") != NULL);
	CHECK_STR(b.target[0].name, "iqn.2013-02.org.example.target:client");

	struct tb t;
	tb_two_and_two(&t);
	snprintf(path, sizeof(path), "%s/sys/firmware/acpi/tables", root);
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
		CHECK_INT(system(cmd), 0);
	}
	snprintf(path, sizeof(path), "%s/sys/firmware/acpi/tables/iBFT", root);
	fd = open(path, O_WRONLY | O_CREAT, 0400);
	CHECK(fd >= 0);
	CHECK_INT(write(fd, t.b, t.len), (long)t.len);
	close(fd);
	CHECK_INT(ibft_load_system(root, &b, &from, &e), 0);
	CHECK(strstr(from, "ACPI") != NULL);
	CHECK_INT(b.ntargets, 2);

	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	CHECK_INT(system(path), 0);
}

static void two_nics_two_targets_ipv6_vlan_mutual(void)
{
	struct tb t;
	struct ibft b;
	struct sr_error e = { 0 };

	tb_two_and_two(&t);
	CHECK_INT(ibft_parse(t.b, t.len, &b, &e), 0);
	CHECK_STR(b.initiator.name, "iqn.2026-11.org.example:host");
	CHECK_INT(b.nnics, 2);
	CHECK_INT(b.ntargets, 2);
	CHECK_STR(b.nic[1].ip, "fd00:10::5");
	CHECK_INT(b.nic[1].prefix, 64);
	CHECK_INT(b.nic[1].vlan, 123);
	CHECK_INT(b.nic[1].flags, 1);
	CHECK_STR(b.target[0].rchap_name, "array");
	CHECK_STR(b.target[0].rchap_secret, "array-secret-1");
	CHECK_INT(b.target[0].chap_type, IBFT_CHAP_MUTUAL);
	CHECK_STR(b.target[1].ip, "fd00:10::2");
	CHECK_INT(b.target[1].port, 3261);
	CHECK_INT(b.target[1].lun, 2);
	CHECK_INT(b.target[1].nic, 1);
	CHECK_STR(b.target[1].chap_name, "");
}

typedef void (*mutate_fn)(struct tb *t);

static void m_checksum(struct tb *t) { t->b[t->len - 1] ^= 1; }
static void m_revision(struct tb *t) { t->b[8] = 2; tb_finish(t); }
static void m_signature(struct tb *t) { memcpy(t->b, "XBFT", 4); tb_finish(t); }
static void m_ctl_index(struct tb *t) { t->b[48 + 4] = 1; tb_finish(t); }
static void m_ctl_id(struct tb *t) { t->b[48] = 3; tb_finish(t); }
static void m_ctl_len(struct tb *t) { put16(t->b + 50, 0x7fff); tb_finish(t); }
static void m_struct_past_end(struct tb *t)
{
	/* a real target header whose 54 bytes would run past the end */
	shdr(t->b + t->len - 10, 4, 54, 0, 3);
	tb_off(t, 2, (unsigned)t->len - 10);
	tb_finish(t);
}
static void m_offset_past_end(struct tb *t) { tb_off(t, 1, 0xfff0); tb_finish(t); }
static void m_struct_short(struct tb *t) { put16(t->b + 0x120 + 2, 40); tb_finish(t); }
static void m_string_past_end(struct tb *t) { put16(t->b + 0x120 + 36, (unsigned)t->len - 3); tb_finish(t); }
static void m_string_too_long(struct tb *t)
{
	/* a 300-byte target name: inside the table, but no room for it in a name */
	t->len = 0x400 + 300;
	memset(t->b + 0x400, 'a', 300);
	put16(t->b + 0x120 + 34, 300);
	put16(t->b + 0x120 + 36, 0x400);
	tb_finish(t);
}
static void m_string_nul(struct tb *t) { t->b[0x400 + 3] = 0; tb_finish(t); }
static void m_chap_type(struct tb *t) { t->b[0x120 + 32] = 3; tb_finish(t); }
static void m_prefix(struct tb *t) { t->b[0xb0 + 22] = 200; tb_finish(t); }
static void m_truncated(struct tb *t) { t->len = 30; }
static void m_length_beyond(struct tb *t) { put32(t->b + 4, (uint32_t)t->len + 100); }

static void bad_tables(void)
{
	static const struct { const char *name; mutate_fn fn; const char *why; } rows[] = {
		{ "bad checksum", m_checksum, "bad checksum" },
		{ "revision 2", m_revision, "revision 2" },
		{ "no signature", m_signature, "no iBFT signature" },
		{ "control index 1", m_ctl_index, "control structure has id 1 index 1" },
		{ "control id 3", m_ctl_id, "control structure has id 3" },
		{ "control length past the end", m_ctl_len, "control structure length" },
		{ "structure runs past the end", m_struct_past_end, "runs past the table end" },
		{ "offset past the end", m_offset_past_end, "runs past the table end" },
		{ "structure too short", m_struct_short, "expected 54" },
		{ "string past the end", m_string_past_end, "runs past the table end" },
		{ "string without room", m_string_too_long, "does not fit" },
		{ "NUL inside a string", m_string_nul, "NUL" },
		{ "unknown CHAP type", m_chap_type, "unknown CHAP type 3" },
		{ "impossible prefix", m_prefix, "prefix length 200" },
		{ "truncated header", m_truncated, "too short for a table header" },
		{ "length beyond the bytes", m_length_beyond, "only" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tb t;
		struct ibft b;
		struct sr_error e = { 0 };
		char why[400] = "";
		int rc;

		tb_two_and_two(&t);
		rows[i].fn(&t);
		rc = ibft_parse(t.b, t.len, &b, &e);
		if (rc >= 0)
			snprintf(why, sizeof(why), "accepted");
		else if (!strstr(e.msg, rows[i].why))
			snprintf(why, sizeof(why), "message '%s' lacks '%s'", e.msg, rows[i].why);
		t_row("bad_table", rows[i].name, why[0] != 0, why);
	}
}

static void lun_decoding(void)
{
	CHECK_INT(ibft_lun_decode((const uint8_t[8]){ 0, 1 }), 1);
	CHECK_INT(ibft_lun_decode((const uint8_t[8]){ 0x40, 0x12 }), 0x12);
	CHECK_INT(ibft_lun_decode((const uint8_t[8]){ 0x41, 0x00 }), 0x100);
	CHECK_INT(ibft_lun_decode((const uint8_t[8]){ 0x01, 0x00 }), -1);	/* bus 1 */
	CHECK_INT(ibft_lun_decode((const uint8_t[8]){ 0xc0, 0x00 }), -1);
}

static void dump_masks_secrets(void)
{
	struct ibft b;
	struct sr_error e = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct tb t;

	tb_two_and_two(&t);
	CHECK_INT(ibft_parse(t.b, t.len, &b, &e), 0);
	ibft_write_dump(&b, f, false);
	fclose(f);
	CHECK(strstr(out, "host-secret-1") == NULL);
	CHECK(strstr(out, "array-secret-1") == NULL);
	CHECK(strstr(out, "vlan               123") != NULL);
	free(out);
}

int main(void)
{
	load_real();
	RUN(real_ipxe_table);
	RUN(sysfs_view_agrees);
	RUN(real_mutual_table);
	RUN(sysfs_bad_values);
	RUN(scan_low_memory);
	RUN(load_from_a_fake_system);
	RUN(two_nics_two_targets_ipv6_vlan_mutual);
	RUN(ipv6_static_table);
	RUN(ipv6_dhcp6_ra_table);
	RUN(ipxe_ipv6_target_table);
	RUN(sysfs_unset_addresses);
	bad_tables();
	RUN(lun_decoding);
	RUN(dump_masks_secrets);
	T_EXIT();
}
