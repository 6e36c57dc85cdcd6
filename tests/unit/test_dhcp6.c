// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/net/dhcp6: answers captured from dnsmasq and isc-dhcp-server (dhcpd -6),
 * the messages the client builds read back, hand-made malformed messages for
 * every length the parser checks, the answer checks (§16), and option 59's
 * iscsi: URL as the plan's iscsi: parser reads it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/dhcp6.h"
#include "plan/plan.h"
#include "dhcp6_captures.h"
#include "t.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x60 };
static const char url[] = "iscsi:[2001:db8:9::1]::3260:1:iqn.2024-01.test:root6";

static struct dhcp6_msg m;
static struct sr_error err;
static uint8_t duid[DHCP6_DUID_LL_LEN];

#define IAID 0x00123460u	/* dhcp6_iaid_from_mac(mac) */

/* What the probe sent: a Solicit with xid 0x5a6b7c, then a Request with the next xid. */
static struct dhcp6_request solicit(bool rapid)
{
	dhcp6_duid_ll(mac, duid);
	return (struct dhcp6_request){
		.type = DHCP6_SOLICIT, .xid = 0x5a6b7c, .duid = duid, .duid_len = sizeof(duid),
		.iaid = IAID, .rapid_commit = rapid, .oro = dhcp6_default_oro, .noro = 2,
	};
}

static int parse(const uint8_t *buf, size_t len)
{
	memset(&err, 0, sizeof(err));
	return dhcp6_parse(buf, len, &m, &err);
}

static bool err_has(const char *part)
{
	return strstr(err.msg, part) != NULL;
}

static const char *addr_text(const uint8_t a[16])
{
	static char buf[46];

	return dhcp6_ntop(a, buf);
}

/* Captured answers ----------------------------------------------------------- */

static void dnsmasq_advertise(void)
{
	struct dhcp6_request s = solicit(false);
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;

	CHECK_INT(parse(cap6_dnsmasq_advertise, sizeof(cap6_dnsmasq_advertise)), 0);
	CHECK_INT(m.type, DHCP6_ADVERTISE);
	CHECK_INT(m.xid, 0x5a6b7c);
	CHECK_INT(m.client_id_len, sizeof(duid));
	CHECK_MEM(m.client_id, duid, sizeof(duid));
	CHECK_INT(m.server_id_len, 10);
	CHECK_INT(m.server_id[1], 3);		/* dnsmasq's own DUID-LL */
	CHECK(!m.rapid_commit);
	CHECK_INT(m.status, DHCP6_SUCCESS);
	CHECK_STR(m.status_msg, "success");
	CHECK_INT(m.nia, 1);
	CHECK_INT(m.ia[0].iaid, IAID);
	CHECK_INT(m.ia[0].t1, 1800);
	CHECK_INT(m.ia[0].t2, 3150);
	CHECK_INT(m.ia[0].naddrs, 1);
	CHECK_STR(addr_text(m.ia[0].addr[0].addr), "2001:db8:9::1a4");
	CHECK_INT(m.ia[0].addr[0].valid, 3600);
	CHECK_INT(m.ndns, 2);
	CHECK_STR(addr_text(m.dns[0]), "2001:db8:9::53");
	CHECK_STR(addr_text(m.dns[1]), "2001:db8:9::54");
	CHECK_STR(m.bootfile_url, url);
	CHECK_INT(m.ignored, 0);
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), 0);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), 0);
	CHECK(ia == &m.ia[0] && a == &m.ia[0].addr[0]);
	CHECK_INT(dhcp6_lease_pick(&m, IAID + 1, &ia, &a, &err), -EADDRNOTAVAIL);
	CHECK(err_has("no IA_NA"));
}

/* The Request echoes the Advertise's server and address; the Reply answers it. */
static void dnsmasq_request_reply(void)
{
	static struct dhcp6_msg adv;
	struct dhcp6_request r = solicit(false);
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;
	uint8_t buf[DHCP6_PACKET_MAX];
	int n;

	CHECK_INT(dhcp6_parse(cap6_dnsmasq_advertise, sizeof(cap6_dnsmasq_advertise), &adv, &err), 0);
	r.type = DHCP6_REQUEST;
	r.xid++;
	r.server_id = adv.server_id;
	r.server_id_len = adv.server_id_len;
	r.ia = &adv.ia[0];
	CHECK((n = dhcp6_build(&r, buf, sizeof(buf))) > 0);
	CHECK_INT(parse(buf, (size_t)n), 0);
	CHECK_INT(m.type, DHCP6_REQUEST);
	CHECK_INT(m.xid, 0x5a6b7d);
	CHECK_INT(m.server_id_len, adv.server_id_len);
	CHECK_MEM(m.server_id, adv.server_id, adv.server_id_len);
	CHECK_INT(m.nia, 1);
	CHECK_INT(m.ia[0].iaid, IAID);
	CHECK_INT(m.ia[0].t1, 0);
	CHECK_INT(m.ia[0].naddrs, 1);
	CHECK_MEM(m.ia[0].addr[0].addr, adv.ia[0].addr[0].addr, 16);
	CHECK_INT(m.ia[0].addr[0].valid, 0);

	CHECK_INT(parse(cap6_dnsmasq_reply, sizeof(cap6_dnsmasq_reply)), 0);
	CHECK_INT(m.type, DHCP6_REPLY);
	CHECK_INT(dhcp6_reply_check(&m, &r, &err), 0);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), 0);
	CHECK_MEM(a->addr, adv.ia[0].addr[0].addr, 16);
	CHECK_STR(m.bootfile_url, url);
	/* The same Reply does not answer the Solicit, nor a Request with another xid. */
	{
		struct dhcp6_request s = solicit(false);

		CHECK_INT(dhcp6_reply_check(&m, &s, &err), -EPROTO);
		CHECK(err_has("transaction id"));
		r.xid++;
		CHECK_INT(dhcp6_reply_check(&m, &r, &err), -EPROTO);
		CHECK(err_has("transaction id 5a6b7d, not ours (5a6b7e)"));
	}
}

static void dnsmasq_rapid(void)
{
	struct dhcp6_request s = solicit(true), slow = solicit(false);
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;

	CHECK_INT(parse(cap6_dnsmasq_rapid_reply, sizeof(cap6_dnsmasq_rapid_reply)), 0);
	CHECK_INT(m.type, DHCP6_REPLY);
	CHECK(m.rapid_commit);
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), 0);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), 0);
	CHECK_STR(addr_text(a->addr), "2001:db8:9::1a4");
	CHECK_INT(dhcp6_reply_check(&m, &slow, &err), -EPROTO);
	CHECK(err_has("without rapid commit"));
}

static void dnsmasq_information(void)
{
	CHECK_INT(parse(cap6_dnsmasq_info_reply, sizeof(cap6_dnsmasq_info_reply)), 0);
	CHECK_INT(m.type, DHCP6_REPLY);
	CHECK_INT(m.nia, 0);
	CHECK_INT(m.ndns, 2);
	CHECK_STR(m.bootfile_url, url);
}

/* A stateless server asked for an address: NoAddrsAvail at the top level. */
static void dnsmasq_no_addrs(void)
{
	struct dhcp6_request s = solicit(false);
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;

	CHECK_INT(parse(cap6_dnsmasq_stateless_solicit_advertise,
			sizeof(cap6_dnsmasq_stateless_solicit_advertise)), 0);
	CHECK_INT(m.type, DHCP6_ADVERTISE);
	CHECK(m.has_status);
	CHECK_INT(m.status, DHCP6_NO_ADDRS_AVAIL);
	CHECK_STR(m.status_msg, "no addresses available");
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), 0);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), -EADDRNOTAVAIL);
	CHECK_STR(err.msg, "the server says NoAddrsAvail: no addresses available");
}

static void dhcpd_exchange(void)
{
	struct dhcp6_request s = solicit(false), rapid = solicit(true);
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;
	char first[46];

	CHECK_INT(parse(cap6_dhcpd_advertise, sizeof(cap6_dhcpd_advertise)), 0);
	CHECK_INT(m.type, DHCP6_ADVERTISE);
	CHECK(m.has_preference);
	CHECK_INT(m.preference, 255);
	CHECK_INT(m.server_id[1], 1);		/* dhcpd's DUID-LLT */
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), 0);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), 0);
	CHECK_INT(a->preferred, 1800);
	CHECK_INT(a->valid, 3600);
	CHECK(a->addr[14] == 0x02);		/* range6 2001:db8:9::200 2001:db8:9::2ff */
	CHECK_INT(m.ndns, 2);
	CHECK_STR(m.bootfile_url, url);
	snprintf(first, sizeof(first), "%s", addr_text(a->addr));

	CHECK_INT(parse(cap6_dhcpd_reply, sizeof(cap6_dhcpd_reply)), 0);
	CHECK_INT(m.type, DHCP6_REPLY);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), 0);
	CHECK_STR(addr_text(a->addr), first);

	CHECK_INT(parse(cap6_dhcpd_rapid_reply, sizeof(cap6_dhcpd_rapid_reply)), 0);
	CHECK(m.rapid_commit);
	CHECK_INT(dhcp6_reply_check(&m, &rapid, &err), 0);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), 0);
}

/* Every cut of a capture parses or fails cleanly; a cut inside an option fails. */
static void captures_cut(void)
{
	static const struct { const uint8_t *p; size_t n; } caps[] = {
		{ cap6_dnsmasq_advertise, sizeof(cap6_dnsmasq_advertise) },
		{ cap6_dnsmasq_reply, sizeof(cap6_dnsmasq_reply) },
		{ cap6_dhcpd_advertise, sizeof(cap6_dhcpd_advertise) },
		{ cap6_dhcpd_rapid_reply, sizeof(cap6_dhcpd_rapid_reply) },
	};

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		for (size_t n = 0; n < caps[i].n; n++) {
			uint8_t *copy = malloc(n ? n : 1);	/* exact size: ASan sees any overread */
			int rc;

			memcpy(copy, caps[i].p, n);
			rc = parse(copy, n);
			free(copy);
			/* The first option is the 14-byte Client Identifier at offset 4. */
			if ((n < 4 || (n > 4 && n < 18)) && rc != -EBADMSG)
				T_FAIL("capture %zu cut at %zu: %d", i, n, rc);
		}
	}
}

/* What the client builds, read back ----------------------------------------- */

static void solicit_round_trip(void)
{
	struct dhcp6_request s = solicit(true);
	uint8_t buf[DHCP6_PACKET_MAX];
	int n;

	s.elapsed = 250;
	CHECK((n = dhcp6_build(&s, buf, sizeof(buf))) > 0);
	/* header 4, client id 14, elapsed 6, rapid commit 4, IA_NA 16, ORO 8 */
	CHECK_INT(n, 4 + 14 + 6 + 4 + 16 + 8);
	CHECK_INT(parse(buf, (size_t)n), 0);
	CHECK_INT(m.type, DHCP6_SOLICIT);
	CHECK_INT(m.xid, 0x5a6b7c);
	CHECK_MEM(m.client_id, "\x00\x03\x00\x01\x52\x54\x00\x12\x34\x60", 10);
	CHECK_INT(m.server_id_len, 0);
	CHECK(m.has_elapsed);
	CHECK_INT(m.elapsed, 250);
	CHECK(m.rapid_commit);
	CHECK_INT(m.nia, 1);
	CHECK_INT(m.ia[0].iaid, IAID);
	CHECK_INT(m.ia[0].naddrs, 0);
	CHECK_INT(m.noro, 2);
	CHECK_INT(m.oro[0], 23);
	CHECK_INT(m.oro[1], 59);
	CHECK_INT(dhcp6_iaid_from_mac(mac), IAID);
	/* Too small a buffer, at every size. */
	for (int k = 0; k < n; k++)
		if (dhcp6_build(&s, buf, (size_t)k) != -ENOSPC)
			T_FAIL("a %d-byte buffer took a %d-byte message", k, n);
}

static void build_rules(void)
{
	static const uint8_t sid[] = { 0, 3, 0, 1, 1, 2, 3, 4, 5, 6 };
	struct dhcp6_request r = solicit(false);
	uint8_t buf[DHCP6_PACKET_MAX];
	int n;

	r.server_id = sid;
	r.server_id_len = sizeof(sid);
	CHECK_INT(dhcp6_build(&r, buf, sizeof(buf)), -EINVAL);	/* Solicit names no server */
	r.type = DHCP6_REBIND;
	CHECK_INT(dhcp6_build(&r, buf, sizeof(buf)), -EINVAL);	/* nor does Rebind */
	r.type = DHCP6_RENEW;
	CHECK((n = dhcp6_build(&r, buf, sizeof(buf))) > 0);
	CHECK_INT(parse(buf, (size_t)n), 0);
	CHECK_INT(m.type, DHCP6_RENEW);
	CHECK_INT(m.server_id_len, sizeof(sid));
	r.server_id_len = 0;
	CHECK_INT(dhcp6_build(&r, buf, sizeof(buf)), -EINVAL);	/* Renew needs one */
	r.type = DHCP6_REQUEST;
	CHECK_INT(dhcp6_build(&r, buf, sizeof(buf)), -EINVAL);	/* so does Request */
	r.type = DHCP6_REBIND;
	CHECK((n = dhcp6_build(&r, buf, sizeof(buf))) > 0);
	CHECK_INT(parse(buf, (size_t)n), 0);
	CHECK_INT(m.type, DHCP6_REBIND);
	CHECK_INT(m.nia, 1);
	r.rapid_commit = true;
	CHECK_INT(dhcp6_build(&r, buf, sizeof(buf)), -EINVAL);	/* Solicit only */
	r.rapid_commit = false;
	r.type = DHCP6_INFORMATION_REQUEST;
	CHECK((n = dhcp6_build(&r, buf, sizeof(buf))) > 0);
	CHECK_INT(parse(buf, (size_t)n), 0);
	CHECK_INT(m.nia, 0);
	r.duid_len = 2;
	CHECK_INT(dhcp6_build(&r, buf, sizeof(buf)), -EINVAL);
	r.duid_len = sizeof(duid);
	r.type = DHCP6_REPLY;
	CHECK_INT(dhcp6_build(&r, buf, sizeof(buf)), -EINVAL);
}

/* Hand-made messages -------------------------------------------------------- */

/* An Advertise for xid 0x5a6b7c: our client id, a server id, then opts. */
static size_t handmade(uint8_t *buf, uint8_t type, const uint8_t *opts, size_t optlen)
{
	static const uint8_t head[] = {
		0, 1, 0, 10, 0, 3, 0, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x60,	/* client id */
		0, 2, 0, 10, 0, 3, 0, 1, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01,	/* server id */
	};

	buf[0] = type;
	buf[1] = 0x5a, buf[2] = 0x6b, buf[3] = 0x7c;
	memcpy(buf + 4, head, sizeof(head));
	if (optlen)
		memcpy(buf + 4 + sizeof(head), opts, optlen);
	return 4 + sizeof(head) + optlen;
}

/* Parse a hand-made Advertise from a buffer of its exact size, so ASan sees overreads. */
static int parse_opts(const uint8_t *opts, size_t optlen)
{
	static uint8_t tmp[2048];
	size_t n = handmade(tmp, DHCP6_ADVERTISE, opts, optlen);
	uint8_t *exact = malloc(n);
	int rc;

	memcpy(exact, tmp, n);
	rc = parse(exact, n);
	free(exact);
	return rc;
}

#define OPTS(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

/* IA_NA 0x00123460, T1 T2, then what follows: the length is written by the caller. */
#define IA_HEAD(len) 0, 3, 0, (len), 0x00, 0x12, 0x34, 0x60, 0, 0, 0, 100, 0, 0, 0, 200
#define IAADDR(pref, valid) 0, 5, 0, 24, 0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0, 0, 0, 0, 0, \
	0, 0, 0x01, 0x23, 0, 0, 0, (pref), 0, 0, 0, (valid)

struct bad_row {
	const char *what;
	const uint8_t *opts;
	size_t len;
	const char *errpart;
};

static void malformed_table(void)
{
	static uint8_t long_url[4 + 512];
	const struct bad_row rows[] = {
		{ "option header cut", OPTS(0), "runs past the end" },
		{ "option length cut", OPTS(0, 23, 0), "option 23 runs past the end" },
		{ "length past the end", OPTS(0, 23, 0, 32, 0x20, 0x01), "option 23 runs past the end" },
		{ "IA_NA shorter than 12", OPTS(0, 3, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0),
		  "IA_NA option is 3 bytes" },
		{ "IA_NA inner option past the IA", OPTS(IA_HEAD(12 + 28), 0, 5, 0, 25, 0x20, 0x01, 0x0d,
			0xb8, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x23, 0, 0, 0, 1, 0, 0, 0, 2, 0),
		  "inside IA_NA 1193056 runs past" },
		{ "IA_NA inner option header cut", OPTS(IA_HEAD(14), 0, 5),
		  "inside IA_NA 1193056 runs past" },
		{ "IAADDR shorter than 24", OPTS(IA_HEAD(12 + 24), 0, 5, 0, 20, 0x20, 0x01, 0x0d, 0xb8,
			0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x23, 0, 0, 0, 1),
		  "shorter than 24" },
		{ "IAADDR inner option past the IAADDR", OPTS(IA_HEAD(12 + 28 + 4), 0, 5, 0, 28,
			0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x23, 0, 0, 0, 1,
			0, 0, 0, 2, 0, 13, 0, 8, 0, 0, 0, 0),
		  "inside an IA address runs past" },
		{ "status code of 1 byte", OPTS(0, 13, 0, 1, 0), "fewer than 2" },
		{ "status code in IA of 1 byte", OPTS(IA_HEAD(12 + 5), 0, 13, 0, 1, 2),
		  "status code in an IA_NA is 1 bytes" },
		{ "two status codes in an IA", OPTS(IA_HEAD(12 + 12), 0, 13, 0, 2, 0, 0, 0, 13, 0, 2, 0, 2),
		  "IA_NA carries two status codes" },
		{ "preference of 2 bytes", OPTS(0, 7, 0, 2, 1, 1), "preference is 2 bytes" },
		{ "elapsed time of 3 bytes", OPTS(0, 8, 0, 3, 0, 0, 1), "elapsed time is not 2" },
		{ "rapid commit of 1 byte", OPTS(0, 14, 0, 1, 0), "rapid commit is 1 bytes" },
		{ "DNS of 17 bytes", OPTS(0, 23, 0, 17, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0x53, 0), "option 23 (DNS servers) is 17 bytes" },
		{ "DNS of 0 bytes", OPTS(0, 23, 0, 0), "option 23 (DNS servers) is 0 bytes" },
		{ "two server ids", OPTS(0, 2, 0, 3, 0, 4, 1), "two server identifiers" },
		{ "ORO of odd length", OPTS(0, 6, 0, 3, 0, 23, 0), "odd number" },
		{ "URL of 512 bytes", long_url, sizeof(long_url), "more than the 511 we keep" },
	};

	long_url[1] = 59;
	long_url[2] = 2;
	memset(long_url + 4, 'a', 512);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct bad_row *r = &rows[i];
		int rc = parse_opts(r->opts, r->len);
		char why[300] = "";

		if (rc != -EBADMSG)
			snprintf(why, sizeof(why), "returned %d (%s)", rc, err.msg);
		else if (!err_has(r->errpart))
			snprintf(why, sizeof(why), "'%s' does not say '%s'", err.msg, r->errpart);
		t_row("malformed", r->what, why[0] != '\0', why);
	}
}

static void malformed_header(void)
{
	static const uint8_t relay[] = { 12, 0, 0, 0 }, zero[] = { 0, 1, 2, 3 };
	static uint8_t big_duid[4 + 4 + 131];

	CHECK_INT(parse(zero, 3), -EBADMSG);
	CHECK(err_has("shorter than a DHCPv6 header"));
	CHECK_INT(parse(relay, sizeof(relay)), -EBADMSG);
	CHECK(err_has("message type 12"));
	CHECK_INT(parse(zero, sizeof(zero)), -EBADMSG);
	CHECK_INT(parse((const uint8_t[]){ 2, 0, 0, 1, 0, 2, 0, 2, 0, 3 }, 10), -EBADMSG);
	CHECK(err_has("server identifier is 2 bytes"));
	big_duid[0] = DHCP6_ADVERTISE;
	big_duid[5] = 1;
	big_duid[7] = 131;
	CHECK_INT(parse(big_duid, sizeof(big_duid)), -EBADMSG);
	CHECK(err_has("client identifier is 131 bytes"));
	big_duid[7] = 130;
	CHECK_INT(parse(big_duid, sizeof(big_duid) - 1), 0);
	CHECK_INT(m.client_id_len, 130);
	/* A bare header with no options parses; the checks then find what is missing. */
	CHECK_INT(parse((const uint8_t[]){ 7, 1, 2, 3 }, 4), 0);
	CHECK_INT(m.type, DHCP6_REPLY);
	CHECK_INT(m.xid, 0x010203);
}

/* Values that parse but contradict each other: left out, and said so. */
static void meaning(void)
{
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;

	/* T1 (100) > T2 (50): §21.4, the IA_NA is dropped. */
	CHECK_INT(parse_opts(OPTS(0, 3, 0, 12, 0x00, 0x12, 0x34, 0x60, 0, 0, 0, 100, 0, 0, 0, 50)), 0);
	CHECK_INT(m.nia, 0);
	CHECK(m.ignored & DHCP6_IGN_IA_TIMERS);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), -EADDRNOTAVAIL);
	CHECK(err_has("T1 > T2"));
	/* T2 0 leaves T1 to the client: kept. */
	CHECK_INT(parse_opts(OPTS(0, 3, 0, 12, 0x00, 0x12, 0x34, 0x60, 0, 0, 0, 100, 0, 0, 0, 0)), 0);
	CHECK_INT(m.nia, 1);
	/* Preferred (9) > valid (8): §21.6, the address is dropped. */
	CHECK_INT(parse_opts(OPTS(IA_HEAD(12 + 28), IAADDR(9, 8))), 0);
	CHECK_INT(m.nia, 1);
	CHECK_INT(m.ia[0].naddrs, 0);
	CHECK(m.ignored & DHCP6_IGN_LIFETIMES);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), -EADDRNOTAVAIL);
	CHECK(err_has("preferred > valid"));
	/* A valid lifetime of 0 is no lease. */
	CHECK_INT(parse_opts(OPTS(IA_HEAD(12 + 28), IAADDR(0, 0))), 0);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), -EADDRNOTAVAIL);
	CHECK(err_has("no address with a lifetime"));
	/* A good one, then a status inside the IA that refuses it. */
	CHECK_INT(parse_opts(OPTS(IA_HEAD(12 + 28), IAADDR(5, 10))), 0);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), 0);
	CHECK_STR(addr_text(a->addr), "2001:db8:9::123");
	CHECK_INT(parse_opts(OPTS(IA_HEAD(12 + 28 + 10), IAADDR(5, 10), 0, 13, 0, 6, 0, 2, 'n', 'o',
				  'n', 'e')), 0);
	CHECK_INT(m.ia[0].status, DHCP6_NO_ADDRS_AVAIL);
	CHECK_INT(dhcp6_lease_pick(&m, IAID, &ia, &a, &err), -EADDRNOTAVAIL);
	CHECK_STR(err.msg, "the server says NoAddrsAvail for IA_NA 1193056: none");
	/* Unknown options are skipped, IA_NAs beyond DHCP6_MAX_IA are counted out. */
	CHECK_INT(parse_opts(OPTS(0, 99, 0, 2, 1, 2, IA_HEAD(12), IA_HEAD(12), IA_HEAD(12), IA_HEAD(12),
				  IA_HEAD(12))), 0);
	CHECK_INT(m.nia, DHCP6_MAX_IA);
	CHECK(m.ignored & DHCP6_IGN_TOO_MANY);
	CHECK_STR(dhcp6_status_name(DHCP6_NOT_ON_LINK), "NotOnLink");
	CHECK_STR(dhcp6_status_name(77), "an unknown status");
}

/* §16.3, §16.10: the answers a client must throw away. */
static void answer_checks(void)
{
	struct dhcp6_request s = solicit(false), req = solicit(false);
	static const uint8_t sid[] = { 0, 3, 0, 1, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };
	uint8_t buf[256];

	CHECK_INT(parse(buf, handmade(buf, DHCP6_ADVERTISE, NULL, 0)), 0);
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), 0);
	s.xid = 0x5a6b7b;
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), -EPROTO);
	CHECK(err_has("transaction id 5a6b7c, not ours (5a6b7b)"));
	s.xid = 0x015a6b7c;	/* only 24 bits travel */
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), 0);
	/* Without a server id. */
	m.server_id_len = 0;
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), -EPROTO);
	CHECK_STR(err.msg, "ADVERTISE without a server identifier");
	/* Without a client id, or another's. */
	CHECK_INT(parse(buf, handmade(buf, DHCP6_ADVERTISE, NULL, 0)), 0);
	m.client_id_len = 0;
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), -EPROTO);
	CHECK(err_has("without a client identifier"));
	CHECK_INT(parse(buf, handmade(buf, DHCP6_ADVERTISE, NULL, 0)), 0);
	m.client_id[9] ^= 1;
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), -EPROTO);
	CHECK(err_has("another client identifier"));
	/* An Advertise answers no Request; a Reply to a Request comes from the server asked. */
	req.type = DHCP6_REQUEST;
	req.server_id = sid;
	req.server_id_len = sizeof(sid);
	CHECK_INT(parse(buf, handmade(buf, DHCP6_ADVERTISE, NULL, 0)), 0);
	CHECK_INT(dhcp6_reply_check(&m, &req, &err), -EPROTO);
	CHECK_STR(err.msg, "ADVERTISE, not REPLY");
	CHECK_INT(parse(buf, handmade(buf, DHCP6_REPLY, NULL, 0)), 0);
	CHECK_INT(dhcp6_reply_check(&m, &req, &err), 0);
	m.server_id[9] = 2;
	CHECK_INT(dhcp6_reply_check(&m, &req, &err), -EPROTO);
	CHECK(err_has("another server"));
	/* A client's own message is no answer. */
	CHECK_INT(parse(buf, handmade(buf, DHCP6_SOLICIT, NULL, 0)), 0);
	CHECK_INT(dhcp6_reply_check(&m, &s, &err), -EPROTO);
	CHECK(err_has("SOLICIT, not ADVERTISE or REPLY"));
}

/* Option 59 and the plan's iscsi: parser ------------------------------------- */

struct url_row {
	const char *url;
	int rc;
	const char *rootpath;	/* rc 1 */
	const char *host;	/* what plan_parse_iscsi_uri() makes of it; NULL: it refuses */
	const char *errpart;	/* rc < 0 */
};

static void bootfile_table(void)
{
	static const struct url_row rows[] = {
		{ "iscsi:[2001:db8:9::1]::3260:1:iqn.2024-01.test:root6", 1,
		  "iscsi:[2001:db8:9::1]::3260:1:iqn.2024-01.test:root6", "2001:db8:9::1" },
		{ "ISCSI:[2001:db8::1]::::iqn.a:b", 1, "iscsi:[2001:db8::1]::::iqn.a:b", "2001:db8::1" },
		{ "iscsi:[fe80::1%25eth0]::3260:1:iqn.a:b", 1, "iscsi:[fe80::1%eth0]::3260:1:iqn.a:b",
		  "fe80::1%eth0" },
		{ "iscsi:u:p@[2001:db8::1]::::iqn.a:b", 1, "iscsi:u:p@[2001:db8::1]::::iqn.a:b",
		  "2001:db8::1" },
		{ "iscsi:10.9.0.1::3260:1:iqn.a:b", 1, "iscsi:10.9.0.1::3260:1:iqn.a:b", "10.9.0.1" },
		{ "iscsi:srv::::iqn.a:100%", 1, "iscsi:srv::::iqn.a:100%", "srv" },
		{ "tftp://[2001:db8::1]/pxelinux.0", 0 },
		{ "http://boot.example/ipxe.efi", 0 },
		{ "", 0 },
		{ "iscsi:[fe80::1%eth0]::::iqn.a:b", -EINVAL, .errpart = "not followed by 25" },
		{ "iscsi:[fe80::1%2", -EINVAL, .errpart = "not followed by 25" },
		{ "iscsi:[2001:db8::1::3260::iqn.a:b", -EINVAL, .errpart = "no closing ']'" },
		{ "iscsi:[2001:db8::1]::::iqn.a:b\n", -EINVAL, .errpart = "control character 0x0a" },
	};
	char out[DHCP6_URL_MAX], small[16];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct url_row *r = &rows[i];
		struct plan_target t;
		char why[300] = "";
		int rc;

		memset(&err, 0, sizeof(err));
		rc = dhcp6_bootfile_rootpath(r->url, out, sizeof(out), &err);
		if (rc != r->rc)
			snprintf(why, sizeof(why), "returned %d (%s), expected %d", rc, err.msg, r->rc);
		else if (rc < 0 && !err_has(r->errpart))
			snprintf(why, sizeof(why), "'%s' does not say '%s'", err.msg, r->errpart);
		else if (rc > 0 && strcmp(out, r->rootpath))
			snprintf(why, sizeof(why), "gave '%s'", out);
		else if (rc > 0 && plan_parse_iscsi_uri(out, &t, &err) < 0)
			snprintf(why, sizeof(why), "the plan refuses '%s': %s", out, err.msg);
		else if (rc > 0 && strcmp(t.portal[0].host, r->host))
			snprintf(why, sizeof(why), "the plan's host is '%s'", t.portal[0].host);
		t_row("bootfile_rootpath", r->url, why[0] != '\0', why);
	}
	CHECK_INT(dhcp6_bootfile_rootpath(url, small, sizeof(small), &err), -ENAMETOOLONG);
	CHECK_INT(dhcp6_bootfile_rootpath(url, out, sizeof(url), &err), 1);
	CHECK_INT(dhcp6_bootfile_rootpath(url, out, sizeof(url) - 1, &err), -ENAMETOOLONG);
}

int main(void)
{
	RUN(dnsmasq_advertise);
	RUN(dnsmasq_request_reply);
	RUN(dnsmasq_rapid);
	RUN(dnsmasq_information);
	RUN(dnsmasq_no_addrs);
	RUN(dhcpd_exchange);
	RUN(captures_cut);
	RUN(solicit_round_trip);
	RUN(build_rules);
	malformed_table();
	RUN(malformed_header);
	RUN(meaning);
	RUN(answer_checks);
	bootfile_table();
	T_EXIT();
}
