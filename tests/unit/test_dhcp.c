// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/dhcp, lib/dhcp_client, lib/netconf: replies captured from dnsmasq and
 * isc-dhcp-server, hand-made packets for every rule of the parser, the client's
 * states and timers, and klibc ipconfig's net-IFACE.conf.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/dhcp.h"
#include "net/dhcp_client.h"
#include "net/netconf.h"
#include "net/netdev.h"
#include "plan/plan.h"
#include "dhcp_captures.h"
#include "t.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct dhcp_msg m;
static struct sr_error err;

static uint32_t frame_xid(const uint8_t *f)
{
	size_t o = (size_t)(f[0] & 15) * 4 + 8 + 4;

	return (uint32_t)f[o] << 24 | (uint32_t)f[o + 1] << 16 | (uint32_t)f[o + 2] << 8 | f[o + 3];
}

/* A reply built by hand: BOOTP header for our MAC and xid 0x1234, the cookie, then opts. */
static size_t handmade(uint8_t *buf, const uint8_t *opts, size_t optlen)
{
	memset(buf, 0, 240);
	buf[0] = 2;
	buf[1] = 1;
	buf[2] = 6;
	buf[6] = 0x12;
	buf[7] = 0x34;
	buf[16] = 10, buf[17] = 9, buf[18] = 0, buf[19] = 60;	/* yiaddr */
	memcpy(buf + 28, mac, 6);
	buf[236] = 99, buf[237] = 130, buf[238] = 83, buf[239] = 99;
	if (optlen)
		memcpy(buf + 240, opts, optlen);
	return 240 + optlen;
}

static int parse_opts(const uint8_t *opts, size_t len)
{
	static uint8_t buf[2048];

	memset(&err, 0, sizeof(err));
	return dhcp_parse(buf, handmade(buf, opts, len), &m, &err);
}

/* Captured replies --------------------------------------------------------- */

static void dnsmasq_ack(void)
{
	char a[16];

	CHECK_INT(dhcp_parse_frame(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), true, &m, NULL, &err), 0);
	CHECK_INT(m.op, 2);
	CHECK_INT(m.type, DHCPACK);
	CHECK_MEM(m.chaddr, mac, 6);
	CHECK_STR(dhcp_ntoa(m.yiaddr, a), "10.9.0.60");
	CHECK_STR(dhcp_ntoa(m.siaddr, a), "10.9.0.1");
	CHECK_STR(dhcp_ntoa(m.server_id, a), "10.9.0.1");
	CHECK(m.has_netmask);
	CHECK_INT(m.prefix, 24);
	CHECK_STR(dhcp_ntoa(m.broadcast, a), "10.9.0.255");
	CHECK_INT(m.nrouters, 1);
	CHECK_STR(dhcp_ntoa(m.router[0], a), "10.9.0.1");
	CHECK_INT(m.ndns, 2);
	CHECK_STR(dhcp_ntoa(m.dns[1], a), "10.9.0.2");
	CHECK(m.has_lease);
	CHECK_INT(m.lease, 3600);
	CHECK_INT(m.t1, 1800);
	CHECK_INT(m.t2, 3150);
	CHECK_INT(m.mtu, 1400);
	CHECK_STR(m.hostname, "client1");
	CHECK_STR(m.domain, "example.test");
	CHECK_STR(m.rootpath, "iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root");
	CHECK_STR(m.search, "example.test. lab.example.test.");
	CHECK_STR(m.file, "pxelinux.0");
	CHECK(m.has_routes);
	CHECK_INT(m.nroutes, 2);
	CHECK_INT(m.route[0].dst, A(10, 20, 0, 0));
	CHECK_INT(m.route[0].prefix, 16);
	CHECK_INT(m.route[0].gateway, A(10, 9, 0, 254));
	CHECK_INT(m.route[1].dst, 0);
	CHECK_INT(m.route[1].prefix, 0);
	CHECK_INT(m.route[1].gateway, A(10, 9, 0, 1));
	CHECK(!m.rapid_commit);
	CHECK_INT(m.ignored, 0);
}

static void dhcpd_ack(void)
{
	char a[16];

	CHECK_INT(dhcp_parse_frame(cap_dhcpd_2_ack, sizeof(cap_dhcpd_2_ack), true, &m, NULL, &err), 0);
	CHECK_INT(m.type, DHCPACK);
	CHECK_STR(dhcp_ntoa(m.yiaddr, a), "10.9.0.100");
	CHECK_INT(m.siaddr, 0);
	CHECK_INT(m.lease, 600);
	CHECK_INT(m.t1, 300);
	CHECK_INT(m.t2, 525);
	CHECK_INT(m.nroutes, 2);
	CHECK_INT(m.ndns, 1);
	CHECK_STR(m.rootpath, "iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root");
	CHECK_STR(m.search, "");
	CHECK_STR(m.file, "");
}

static void rapid_and_nak(void)
{
	CHECK_INT(dhcp_parse_frame(cap_dnsmasq_rapid_1_ack, sizeof(cap_dnsmasq_rapid_1_ack), true,
				   &m, NULL, &err), 0);
	CHECK_INT(m.type, DHCPACK);
	CHECK(m.rapid_commit);
	CHECK_INT(dhcp_parse_frame(cap_dnsmasq_nak_1_nak, sizeof(cap_dnsmasq_nak_1_nak), true, &m,
				   NULL, &err), 0);
	CHECK_INT(m.type, DHCPNAK);
	CHECK_STR(m.message, "wrong address");
	CHECK_INT(m.yiaddr, 0);
	CHECK_INT(dhcp_parse_frame(cap_dhcpd_nak_1_nak, sizeof(cap_dhcpd_nak_1_nak), true, &m,
				   NULL, &err), 0);
	CHECK_INT(m.type, DHCPNAK);
	CHECK_STR(m.message, "requested address not available");
}

static const struct {
	const char *name;
	const uint8_t *p;
	size_t len;
	uint8_t type;
} captures[] = {
#define C(x, t) { #x, x, sizeof(x), t }
	C(cap_dhcpd_1_offer, DHCPOFFER), C(cap_dhcpd_2_ack, DHCPACK),
	C(cap_dhcpd_nak_1_nak, DHCPNAK), C(cap_dhcpd_nak_2_offer, DHCPOFFER),
	C(cap_dhcpd_nak_3_ack, DHCPACK), C(cap_dnsmasq_1_offer, DHCPOFFER),
	C(cap_dnsmasq_2_ack, DHCPACK), C(cap_dnsmasq_nak_1_nak, DHCPNAK),
	C(cap_dnsmasq_nak_2_offer, DHCPOFFER), C(cap_dnsmasq_nak_3_ack, DHCPACK),
	C(cap_dnsmasq_rapid_1_ack, DHCPACK),
#undef C
};

/*
 * Every capture parses as what it is. Its payload cut anywhere parses or is
 * refused (the sanitizers watch), and a flipped payload byte fails the checksum.
 */
static void every_capture(void)
{
	static uint8_t buf[512];

	for (size_t i = 0; i < sizeof(captures) / sizeof(captures[0]); i++) {
		const uint8_t *p = captures[i].p;
		size_t len = captures[i].len, short_ok = 0;

		if (dhcp_parse_frame(p, len, true, &m, NULL, &err) < 0 || m.type != captures[i].type) {
			t_row("every_capture", captures[i].name, 1, err.msg);
			continue;
		}
		for (size_t n = 0; n < len - DHCP_FRAME_HDR; n++)
			if (dhcp_parse(p + DHCP_FRAME_HDR, n, &m, &err) == 0 && n < 240)
				short_ok++;
		if (short_ok) {
			t_row("every_capture", captures[i].name, 1, "a header cut short was accepted");
			continue;
		}
		memcpy(buf, p, len);
		buf[40] ^= 0x01;	/* inside the UDP payload: the checksum must catch it */
		t_row("every_capture", captures[i].name,
		      dhcp_parse_frame(buf, len, true, &m, NULL, &err) != -EBADMSG ||
		      strcmp(err.msg, "UDP checksum mismatch") != 0, err.msg);
	}
}

static void frame_checks(void)
{
	static uint8_t buf[512];
	size_t len = sizeof(cap_dnsmasq_2_ack);

	memcpy(buf, cap_dnsmasq_2_ack, len);
	buf[8] ^= 1;		/* TTL: the header checksum */
	CHECK(dhcp_parse_frame(buf, len, true, &m, NULL, &err) < 0);
	CHECK_STR(err.msg, "IPv4 header checksum mismatch");

	/* A veth peer leaves the UDP checksum to hardware that never runs: nothing to check. */
	memcpy(buf, cap_dnsmasq_2_ack, len);
	buf[26] ^= 0xff;
	CHECK(dhcp_parse_frame(buf, len, true, &m, NULL, &err) < 0);
	CHECK_INT(dhcp_parse_frame(buf, len, false, &m, NULL, &err), 0);

	/* Ethernet padding after the IPv4 packet is fine; a short read is not. */
	memcpy(buf, cap_dnsmasq_2_ack, len);
	CHECK_INT(dhcp_parse_frame(buf, len + 20, true, &m, NULL, &err), 0);
	CHECK(dhcp_parse_frame(buf, len - 1, true, &m, NULL, &err) < 0);
	CHECK(strstr(err.msg, "total length") != NULL);

	memcpy(buf, cap_dnsmasq_2_ack, len);
	buf[6] = 0x20;		/* more fragments */
	buf[10] = buf[11] = 0;
	{
		uint16_t s = (uint16_t)~dhcp_csum_fold(dhcp_csum_add(0, buf, 20));

		buf[10] = (uint8_t)(s >> 8);
		buf[11] = (uint8_t)s;
	}
	CHECK(dhcp_parse_frame(buf, len, true, &m, NULL, &err) < 0);
	CHECK_STR(err.msg, "an IPv4 fragment");
}

/* Hand-made options ---------------------------------------------------------- */

static void fixed_lengths(void)
{
	static const uint8_t lease3[] = { 53, 1, 5, 51, 3, 0, 0, 1, 255 };
	static const uint8_t type2[] = { 53, 2, 5, 5, 255 };
	static const uint8_t mask5[] = { 53, 1, 5, 1, 5, 255, 255, 255, 0, 0, 255 };
	static const uint8_t rc1[] = { 53, 1, 5, 80, 1, 0, 255 };
	static const uint8_t router6[] = { 53, 1, 5, 3, 6, 10, 9, 0, 1, 10, 9, 255 };
	static const uint8_t type9[] = { 53, 1, 9, 255 };

	CHECK(parse_opts(lease3, sizeof(lease3)) < 0);
	CHECK_STR(err.msg, "option 51 is 3 bytes, not 4");
	CHECK(parse_opts(type2, sizeof(type2)) < 0);
	CHECK(parse_opts(mask5, sizeof(mask5)) < 0);
	CHECK(parse_opts(rc1, sizeof(rc1)) < 0);
	CHECK(parse_opts(router6, sizeof(router6)) < 0);
	CHECK(parse_opts(type9, sizeof(type9)) < 0);
	CHECK_STR(err.msg, "unknown message type 9");
}

static void overruns(void)
{
	static const uint8_t overrun[] = { 53, 1, 5, 17, 10, 'i', 's', 'c' };
	static const uint8_t nolen[] = { 53, 1, 5, 17 };
	static const uint8_t noend[] = { 53, 1, 5 };
	static const uint8_t pads[] = { 0, 0, 53, 1, 5, 0, 255, 51, 200 };

	CHECK(parse_opts(overrun, sizeof(overrun)) < 0);
	CHECK_STR(err.msg, "option 17 runs past the end of the options");
	CHECK(parse_opts(nolen, sizeof(nolen)) < 0);
	CHECK_INT(parse_opts(noend, sizeof(noend)), 0);
	CHECK_INT(m.type, DHCPACK);
	/* Nothing after END counts, even garbage. */
	CHECK_INT(parse_opts(pads, sizeof(pads)), 0);
	CHECK(!m.has_lease);
}

static void meaning(void)
{
	static const uint8_t holes[] = { 53, 1, 5, 1, 4, 255, 0, 255, 0, 255 };
	static const uint8_t timers[] = { 53, 1, 5, 51, 4, 0, 0, 0, 100, 58, 4, 0, 0, 0, 90,
					  59, 4, 0, 0, 0, 80, 255 };
	static const uint8_t mtu[] = { 53, 1, 5, 26, 2, 0, 40, 255 };
	static const uint8_t bcast[] = { 53, 1, 5, 1, 4, 255, 255, 255, 0, 28, 4, 10, 9, 1, 255, 255 };
	static const uint8_t nul[] = { 53, 1, 5, 12, 6, 'h', 'o', 's', 't', 0, 0, 255 };

	CHECK(parse_opts(holes, sizeof(holes)) < 0);
	CHECK_STR(err.msg, "option 1 (netmask) is not contiguous");
	CHECK_INT(parse_opts(timers, sizeof(timers)), 0);
	CHECK_INT(m.t1, 50);
	CHECK_INT(m.t2, 87);
	CHECK(m.ignored & DHCP_IGN_TIMERS);
	CHECK_INT(parse_opts(mtu, sizeof(mtu)), 0);
	CHECK_INT(m.mtu, 0);
	CHECK(m.ignored & DHCP_IGN_MTU);
	CHECK_INT(parse_opts(bcast, sizeof(bcast)), 0);
	CHECK_INT(m.broadcast, 0);
	CHECK(m.ignored & DHCP_IGN_BROADCAST);
	CHECK_INT(parse_opts(nul, sizeof(nul)), 0);
	CHECK_STR(m.hostname, "host");
}

/* RFC 3396: a long option split in two instances is joined before it is decoded. */
static void long_options(void)
{
	static const uint8_t split[] = { 53, 1, 5, 121, 5, 16, 10, 20, 10, 9, 51, 4, 0, 0, 14, 16,
					 121, 7, 0, 254, 0, 10, 9, 0, 1, 255 };
	static const uint8_t wide[] = { 53, 1, 5, 121, 5, 33, 10, 9, 0, 1, 255 };
	static const uint8_t short_gw[] = { 53, 1, 5, 121, 4, 8, 10, 10, 9, 3, 4, 10, 9, 0, 1, 255 };

	CHECK_INT(parse_opts(split, sizeof(split)), 0);
	CHECK(m.has_routes);
	CHECK_INT(m.nroutes, 2);
	CHECK_INT(m.route[0].gateway, A(10, 9, 0, 254));
	CHECK_INT(m.route[1].dst, 0);
	CHECK_INT(m.route[1].gateway, A(10, 9, 0, 1));
	CHECK_STR(m.rootpath, "");

	CHECK_INT(parse_opts(wide, sizeof(wide)), 0);
	CHECK(!m.has_routes);
	CHECK(m.ignored & DHCP_IGN_ROUTES);
	/* A broken option 121 leaves option 3 in charge. */
	CHECK_INT(parse_opts(short_gw, sizeof(short_gw)), 0);
	CHECK(!m.has_routes);
	CHECK_INT(m.nrouters, 1);
}

static void classless_masks_bits(void)
{
	/* 10.20.30.40/8: bits beyond the prefix are cleared (RFC 3442 §3). */
	static const uint8_t r[] = { 53, 1, 5, 121, 6, 8, 10, 10, 9, 0, 1, 255 };
	static const uint8_t r24[] = { 53, 1, 5, 121, 8, 24, 10, 20, 30, 10, 9, 0, 1, 255 };

	CHECK_INT(parse_opts(r, sizeof(r)), 0);
	CHECK_INT(m.route[0].dst, A(10, 0, 0, 0));
	CHECK_INT(parse_opts(r24, sizeof(r24)), 0);
	CHECK_INT(m.route[0].dst, A(10, 20, 30, 0));
	CHECK_INT(m.route[0].prefix, 24);
}

static void search_list(void)
{
	static const uint8_t plain[] = { 53, 1, 5, 119, 9, 3, 'f', 'o', 'o', 2, 'b', 'a', 0, 0, 255 };
	static const uint8_t forward[] = { 53, 1, 5, 119, 6, 1, 'a', 0xc0, 4, 1, 'b', 255 };
	static const uint8_t self[] = { 53, 1, 5, 119, 4, 1, 'a', 0xc0, 0, 255 };
	static const uint8_t bad_char[] = { 53, 1, 5, 119, 4, 2, 'a', '\n', 0, 255 };
	static const uint8_t root[] = { 53, 1, 5, 119, 1, 0, 255 };

	CHECK_INT(parse_opts(plain, sizeof(plain)), 0);
	CHECK_STR(m.search, "foo.ba. .");
	CHECK_INT(parse_opts(forward, sizeof(forward)), 0);
	CHECK_STR(m.search, "");
	CHECK(m.ignored & DHCP_IGN_SEARCH);
	CHECK_INT(parse_opts(self, sizeof(self)), 0);
	CHECK(m.ignored & DHCP_IGN_SEARCH);
	CHECK_INT(parse_opts(bad_char, sizeof(bad_char)), 0);
	CHECK(m.ignored & DHCP_IGN_SEARCH);
	CHECK_INT(parse_opts(root, sizeof(root)), 0);
	CHECK_STR(m.search, ".");
}

/* Option overload (52): options continue in file, then sname. */
static void overload(void)
{
	static uint8_t buf[600];
	static const uint8_t opts[] = { 53, 1, 5, 52, 1, 3, 255 };
	size_t len = handmade(buf, opts, sizeof(opts));

	buf[108] = 17, buf[109] = 3, buf[110] = 'a', buf[111] = 'b', buf[112] = 'c', buf[113] = 255;
	buf[44] = 12, buf[45] = 2, buf[46] = 'h', buf[47] = 'n', buf[48] = 255;
	if (dhcp_parse(buf, len, &m, &err) < 0)
		T_FAIL("%s", err.msg);
	CHECK_STR(m.rootpath, "abc");
	CHECK_STR(m.hostname, "hn");
	CHECK_STR(m.file, "");
	CHECK_INT(m.lease, 0);
	buf[109] = 200;		/* now it runs past the file field */
	CHECK(dhcp_parse(buf, len, &m, &err) < 0);
	CHECK_STR(err.msg, "option 17 runs past the end of the file field");
}

static void too_long_text(void)
{
	static uint8_t opts[600];
	size_t n = 0;

	opts[n++] = 53, opts[n++] = 1, opts[n++] = 5;
	for (int k = 0; k < 2; k++) {
		opts[n++] = 12;
		opts[n++] = 200;
		memset(opts + n, 'x', 200);
		n += 200;
	}
	opts[n++] = 255;
	CHECK(parse_opts(opts, n) < 0);
	CHECK_STR(err.msg, "option 12 is 400 bytes, more than the 255 we keep");
}

static void bad_headers(void)
{
	static uint8_t buf[300];

	CHECK(dhcp_parse(buf, 100, &m, &err) < 0);
	handmade(buf, NULL, 0);
	buf[239] = 0;
	CHECK(dhcp_parse(buf, 240, &m, &err) < 0);
	CHECK_STR(err.msg, "no DHCP magic cookie");
}

/* Building -------------------------------------------------------------------- */

static const uint8_t *find_opt(const uint8_t *payload, size_t len, uint8_t code)
{
	for (size_t i = 240; i + 1 < len && payload[i] != 255;) {
		if (payload[i] == 0) {
			i++;
			continue;
		}
		if (payload[i] == code)
			return payload + i;
		i += 2u + payload[i + 1];
	}
	return NULL;
}

static void build_discover(void)
{
	static uint8_t buf[1024];
	static const uint8_t cid[] = { 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct dhcp_request r = {
		.type = DHCPDISCOVER, .xid = 0xdeadbeef, .secs = 3, .broadcast = true,
		.client_id = cid, .client_id_len = sizeof(cid), .vendor_class = "sanroot",
		.hostname = "client1", .rapid_commit = true, .max_size = 1500,
		.params = dhcp_default_params, .nparams = sizeof(dhcp_default_params),
	};
	const uint8_t *o, *p = buf + DHCP_FRAME_HDR;
	int n;

	memcpy(r.mac, mac, 6);
	n = dhcp_build_frame(&r, buf, sizeof(buf));
	CHECK(n >= DHCP_FRAME_HDR + DHCP_MIN_LEN);
	/* Both checksums verify. */
	CHECK_INT(dhcp_csum_fold(dhcp_csum_add(0, buf, 20)), 0xffff);
	{
		uint32_t s = dhcp_csum_add(0, buf + 12, 8) + 17 + (uint32_t)(n - 20);

		CHECK_INT(dhcp_csum_fold(dhcp_csum_add(s, buf + 20, (size_t)n - 20)), 0xffff);
	}
	CHECK_INT(buf[23], 67);
	CHECK_INT(dhcp_parse(p, (size_t)n - DHCP_FRAME_HDR, &m, &err), 0);
	CHECK_INT(m.op, 1);
	CHECK_INT(m.xid, 0xdeadbeef);
	CHECK_INT(m.secs, 3);
	CHECK_INT(m.flags, 0x8000);
	CHECK_INT(m.type, DHCPDISCOVER);
	CHECK_MEM(m.chaddr, mac, 6);
	CHECK(m.rapid_commit);
	CHECK_STR(m.hostname, "client1");
	CHECK((o = find_opt(p, (size_t)n - DHCP_FRAME_HDR, 55)) != NULL);
	CHECK_INT(o[1], 11);
	CHECK_MEM(o + 2, "\x01\x03\x06\x0c\x0f\x11\x1a\x1c\x28\x77\x79", 11);
	CHECK((o = find_opt(p, (size_t)n - DHCP_FRAME_HDR, 61)) != NULL);
	CHECK_MEM(o + 2, cid, sizeof(cid));
	CHECK((o = find_opt(p, (size_t)n - DHCP_FRAME_HDR, 60)) != NULL);
	CHECK_MEM(o + 1, "\x07sanroot", 8);
	CHECK((o = find_opt(p, (size_t)n - DHCP_FRAME_HDR, 57)) != NULL);
	CHECK_MEM(o + 1, "\x02\x05\xdc", 3);
	CHECK(find_opt(p, (size_t)n - DHCP_FRAME_HDR, 50) == NULL);
	CHECK_INT(dhcp_build_frame(&r, buf, 100), -ENOSPC);
}

/* The client ------------------------------------------------------------------ */

static struct dhcp_client c;
static uint8_t out[2048];

static void client_start(uint32_t xid, uint32_t requested, bool rapid)
{
	struct dhcp_client_cfg cfg = {
		.xid = xid, .seed = 42, .requested_ip = requested, .rapid_commit = rapid,
		.broadcast = true,
	};

	memcpy(cfg.mac, mac, 6);
	dhcp_client_init(&c, &cfg, 0);
}

static int sent_type(int n)
{
	if (n <= 0 || dhcp_parse(out + DHCP_FRAME_HDR, (size_t)n - DHCP_FRAME_HDR, &m, &err) < 0)
		return -1;
	return m.type;
}

static enum dhcp_event feed(const uint8_t *frame, size_t len, int64_t now, const char **why)
{
	static struct dhcp_msg r;

	if (dhcp_parse_frame(frame, len, true, &r, NULL, &err) < 0)
		return (enum dhcp_event)-1;
	return dhcp_client_input(&c, now, &r, why);
}

static void client_exchange(void)
{
	uint32_t xid = frame_xid(cap_dnsmasq_1_offer);
	const char *why;
	int64_t wake;
	int n;

	client_start(xid, 0, true);
	n = dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(sent_type(n), DHCPDISCOVER);
	CHECK(m.rapid_commit);
	CHECK(wake >= 875 && wake <= 1125);
	CHECK_INT(dhcp_client_output(&c, 10, out, sizeof(out), &wake), 0);
	CHECK_INT(feed(cap_dnsmasq_1_offer, sizeof(cap_dnsmasq_1_offer), 20, &why), DHCP_EV_OFFER);
	CHECK_INT(c.state, DHCP_REQUESTING);
	n = dhcp_client_output(&c, 20, out, sizeof(out), &wake);
	CHECK_INT(sent_type(n), DHCPREQUEST);
	CHECK(!m.rapid_commit);
	CHECK_INT(m.xid, xid);
	{
		const uint8_t *p = out + DHCP_FRAME_HDR, *o;
		size_t len = (size_t)n - DHCP_FRAME_HDR;

		CHECK((o = find_opt(p, len, 50)) != NULL);
		CHECK_MEM(o + 1, "\x04\x0a\x09\x00\x3c", 5);
		CHECK((o = find_opt(p, len, 54)) != NULL);
		CHECK_MEM(o + 1, "\x04\x0a\x09\x00\x01", 5);
	}
	/* A second offer is late now; the ACK binds. */
	CHECK_INT(feed(cap_dnsmasq_1_offer, sizeof(cap_dnsmasq_1_offer), 25, &why), DHCP_EV_IGNORED);
	CHECK_STR(why, "a late offer");
	CHECK_INT(feed(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), 30, &why), DHCP_EV_BOUND);
	CHECK_INT(c.state, DHCP_BOUND);
	CHECK(!c.rapid);
	CHECK_INT(c.lease.yiaddr, A(10, 9, 0, 60));
	CHECK_INT(dhcp_client_output(&c, 40, out, sizeof(out), &wake), 0);
	CHECK_INT(wake, INT64_MAX);
	CHECK_INT(feed(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), 50, &why), DHCP_EV_IGNORED);
}

static void client_rapid(void)
{
	uint32_t xid = frame_xid(cap_dnsmasq_rapid_1_ack);
	const char *why;
	int64_t wake;

	/* Without asking for Rapid Commit, a rapid ACK is not ours to take. */
	client_start(xid, 0, false);
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(feed(cap_dnsmasq_rapid_1_ack, sizeof(cap_dnsmasq_rapid_1_ack), 5, &why),
		  DHCP_EV_IGNORED);
	client_start(xid, 0, true);
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(feed(cap_dnsmasq_rapid_1_ack, sizeof(cap_dnsmasq_rapid_1_ack), 5, &why),
		  DHCP_EV_BOUND);
	CHECK(c.rapid);
	/* A plain ACK while selecting is ignored even when we asked. */
	client_start(frame_xid(cap_dnsmasq_2_ack), 0, true);
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(feed(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), 5, &why), DHCP_EV_IGNORED);
	CHECK_STR(why, "an ACK without Rapid Commit while selecting");
}

static void client_identity(void)
{
	const char *why;
	int64_t wake;

	client_start(frame_xid(cap_dnsmasq_1_offer) + 1, 0, false);
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(feed(cap_dnsmasq_1_offer, sizeof(cap_dnsmasq_1_offer), 5, &why), DHCP_EV_IGNORED);
	CHECK_STR(why, "for another transaction");

	client_start(frame_xid(cap_dnsmasq_1_offer), 0, false);
	c.cfg.mac[5] ^= 1;
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(feed(cap_dnsmasq_1_offer, sizeof(cap_dnsmasq_1_offer), 5, &why), DHCP_EV_IGNORED);
	CHECK_STR(why, "for another hardware address");

	/* Our own DISCOVER, looped back, is not a reply. */
	client_start(7, 0, false);
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	{
		static struct dhcp_msg r;
		int n = dhcp_parse(out + DHCP_FRAME_HDR, DHCP_MIN_LEN, &r, &err);

		CHECK_INT(n, 0);
		CHECK_INT(dhcp_client_input(&c, 5, &r, &why), DHCP_EV_IGNORED);
		CHECK_STR(why, "not a reply");
	}
}

static void client_backoff(void)
{
	int64_t now = 0, wake, prev = 0;
	unsigned sends = 0;

	client_start(1, 0, false);
	/* Forty seconds of silence: 1, 2, 4, 8, 16, 16... seconds apart, each within 1/8. */
	while (now < 40000) {
		int n = dhcp_client_output(&c, now, out, sizeof(out), &wake);

		if (n > 0) {
			int64_t gap = now - prev;
			int64_t want = sends == 0 ? 0 : 1000LL << (sends - 1 > 4 ? 4 : sends - 1);

			CHECK_INT(sent_type(n), DHCPDISCOVER);
			CHECK(sends == 0 || (gap >= want - want / 8 && gap <= want + want / 8 + 1));
			prev = now;
			sends++;
			continue;
		}
		now = wake;
	}
	CHECK_INT(sends, 6);
	CHECK_INT(c.sent, 6);
}

static void client_request_timeout(void)
{
	const char *why;
	int64_t now = 0, wake;
	uint32_t xid = frame_xid(cap_dnsmasq_1_offer);
	unsigned requests = 0;

	client_start(xid, 0, false);
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(feed(cap_dnsmasq_1_offer, sizeof(cap_dnsmasq_1_offer), 10, &why), DHCP_EV_OFFER);
	now = 10;
	for (;;) {
		int n = dhcp_client_output(&c, now, out, sizeof(out), &wake);

		if (n > 0 && sent_type(n) == DHCPDISCOVER)
			break;
		if (n > 0) {
			requests++;
			continue;
		}
		now = wake;
	}
	CHECK_INT(requests, DHCP_REQUEST_TRIES);
	CHECK(c.xid != xid);
	CHECK_INT(c.state, DHCP_SELECTING);
}

static void client_nak(void)
{
	uint32_t xid = frame_xid(cap_dnsmasq_nak_1_nak);
	const char *why;
	int64_t wake;
	int n;

	/* INIT-REBOOT: a REQUEST for the old address without a server id. */
	client_start(xid, A(10, 9, 0, 200), false);
	n = dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(sent_type(n), DHCPREQUEST);
	CHECK(find_opt(out + DHCP_FRAME_HDR, (size_t)n - DHCP_FRAME_HDR, 54) == NULL);
	CHECK(find_opt(out + DHCP_FRAME_HDR, (size_t)n - DHCP_FRAME_HDR, 50) != NULL);
	CHECK_INT(c.state, DHCP_REBOOTING);
	CHECK_INT(feed(cap_dnsmasq_nak_1_nak, sizeof(cap_dnsmasq_nak_1_nak), 5, &why), DHCP_EV_NAK);
	CHECK_INT(c.state, DHCP_INIT);
	CHECK_INT(c.naks, 1);
	CHECK(c.xid != xid);
	/* The first NAK starts over at once. */
	n = dhcp_client_output(&c, 5, out, sizeof(out), &wake);
	CHECK_INT(sent_type(n), DHCPDISCOVER);
	CHECK_INT(c.state, DHCP_SELECTING);
}

static void client_reboot_silence(void)
{
	int64_t now = 0, wake;
	int n, types[4], k = 0;

	client_start(3, A(10, 9, 0, 200), false);
	while (k < 4) {
		n = dhcp_client_output(&c, now, out, sizeof(out), &wake);
		if (n > 0) {
			types[k++] = sent_type(n);
			continue;
		}
		now = wake;
	}
	CHECK_INT(types[0], DHCPREQUEST);
	CHECK_INT(types[1], DHCPREQUEST);
	CHECK_INT(types[2], DHCPDISCOVER);
	CHECK_INT(types[3], DHCPDISCOVER);
}

static void client_bad_offer(void)
{
	static struct dhcp_msg r;
	const char *why;
	int64_t wake;

	client_start(frame_xid(cap_dnsmasq_1_offer), 0, false);
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(dhcp_parse_frame(cap_dnsmasq_1_offer, sizeof(cap_dnsmasq_1_offer), true, &r, NULL,
				   &err), 0);
	r.yiaddr = A(127, 0, 0, 1);
	CHECK_INT(dhcp_client_input(&c, 5, &r, &why), DHCP_EV_IGNORED);
	r.yiaddr = A(10, 9, 0, 255);
	CHECK_INT(dhcp_client_input(&c, 5, &r, &why), DHCP_EV_IGNORED);
	CHECK_STR(why, "the address offered is the subnet's network or broadcast address");
	r.yiaddr = A(10, 9, 0, 60);
	r.server_id = 0;
	CHECK_INT(dhcp_client_input(&c, 5, &r, &why), DHCP_EV_IGNORED);
	CHECK_STR(why, "an offer without a server identifier");
	CHECK_INT(c.state, DHCP_SELECTING);
}

/* A captured reply, as an answer to whatever the client sent last. */
static enum dhcp_event answer(const uint8_t *frame, size_t len, int64_t now, const char **why)
{
	static struct dhcp_msg r;

	if (dhcp_parse_frame(frame, len, true, &r, NULL, &err) < 0)
		return (enum dhcp_event)-1;
	r.xid = c.xid;
	return dhcp_client_input(&c, now, &r, why);
}

/* Keeping the lease: RENEWING at T1 to the server, REBINDING at T2 to all, never giving up. */
static void client_keep(void)
{
	const char *why;
	int64_t wake, t1, t2, end;
	uint32_t xid;
	int n;

	client_start(frame_xid(cap_dnsmasq_2_ack), A(10, 9, 0, 60), false);
	c.cfg.keep = true;
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(feed(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), 1000, &why), DHCP_EV_BOUND);
	CHECK(c.lease.has_lease && c.lease.lease > 120);
	t1 = 1000 + (int64_t)c.lease.t1 * 1000;
	t2 = 1000 + (int64_t)c.lease.t2 * 1000;
	end = 1000 + (int64_t)c.lease.lease * 1000;
	CHECK_INT(dhcp_client_lease_end(&c), end);
	CHECK_INT(dhcp_client_output(&c, 2000, out, sizeof(out), &wake), 0);
	CHECK_INT(wake, t1);

	/* At T1: to the server alone, our address in ciaddr, no server id, no option 50. */
	xid = c.xid;
	n = dhcp_client_output(&c, t1, out, sizeof(out), &wake);
	CHECK_INT(sent_type(n), DHCPREQUEST);
	CHECK_INT(c.state, DHCP_RENEWING);
	CHECK(c.xid != xid);
	CHECK_INT(m.ciaddr, A(10, 9, 0, 60));
	CHECK_INT(m.flags, 0);
	CHECK(find_opt(out + DHCP_FRAME_HDR, (size_t)n - DHCP_FRAME_HDR, 54) == NULL);
	CHECK(find_opt(out + DHCP_FRAME_HDR, (size_t)n - DHCP_FRAME_HDR, 50) == NULL);
	CHECK_INT(dhcp_client_dest(&c), A(10, 9, 0, 1));
	CHECK_INT(wake, t1 + (t2 - t1) / 2 > t1 + DHCP_KEEP_RTO_MIN_MS ? t1 + (t2 - t1) / 2 :
		  t1 + DHCP_KEEP_RTO_MIN_MS < t2 ? t1 + DHCP_KEEP_RTO_MIN_MS : t2);

	/* An ACK for another address is not a renewal; ours is, from then on. */
	{
		static struct dhcp_msg r;

		CHECK_INT(dhcp_parse_frame(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), true, &r,
					   NULL, &err), 0);
		r.xid = c.xid;
		r.yiaddr = A(10, 9, 0, 61);
		CHECK_INT(dhcp_client_input(&c, t1 + 5, &r, &why), DHCP_EV_IGNORED);
		CHECK_STR(why, "an ACK for another address than ours");
	}
	CHECK_INT(answer(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), t1 + 10, &why), DHCP_EV_BOUND);
	CHECK_INT(c.state, DHCP_BOUND);
	CHECK_INT(c.bound_at, t1 + 10);
	CHECK_INT(dhcp_client_lease_end(&c), t1 + 10 + (int64_t)c.lease.lease * 1000);

	/* Silence: REBINDING at T2, broadcast; past the lease's end it keeps asking. */
	t1 = c.bound_at + (int64_t)c.lease.t1 * 1000;
	t2 = c.bound_at + (int64_t)c.lease.t2 * 1000;
	end = dhcp_client_lease_end(&c);
	{
		int64_t now = t1;
		int renewing = 0, rebinding = 0, late = 0;

		while (now < end + 5 * DHCP_KEEP_RTO_MIN_MS) {
			n = dhcp_client_output(&c, now, out, sizeof(out), &wake);
			if (n == 0) {
				CHECK(wake > now);
				now = wake;
				continue;
			}
			CHECK_INT(sent_type(n), DHCPREQUEST);
			CHECK_INT(m.ciaddr, A(10, 9, 0, 60));
			if (c.state == DHCP_RENEWING) {
				renewing++;
				CHECK(now < t2);
			} else {
				CHECK_INT(c.state, DHCP_REBINDING);
				CHECK_INT(dhcp_client_dest(&c), 0);
				CHECK(now >= t2);
				rebinding++;
				late += now >= end;
			}
		}
		CHECK(renewing >= 1);
		CHECK(rebinding >= 2);
		CHECK(late >= 4);
	}

	/* A NAK is reported, the address kept, and the next request is a minute away. */
	CHECK_INT(answer(cap_dnsmasq_nak_1_nak, sizeof(cap_dnsmasq_nak_1_nak), end, &why), DHCP_EV_NAK);
	CHECK_INT(c.state, DHCP_REBINDING);
	CHECK_INT(c.lease.yiaddr, A(10, 9, 0, 60));
	CHECK_INT(dhcp_client_output(&c, end + 1, out, sizeof(out), &wake), 0);
	CHECK_INT(wake, end + DHCP_KEEP_RTO_MIN_MS);

	/* Without keep, bound is the end. */
	client_start(frame_xid(cap_dnsmasq_2_ack), A(10, 9, 0, 60), false);
	dhcp_client_output(&c, 0, out, sizeof(out), &wake);
	CHECK_INT(feed(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), 1000, &why), DHCP_EV_BOUND);
	CHECK_INT(dhcp_client_output(&c, 1000 + (int64_t)c.lease.t1 * 1000, out, sizeof(out), &wake), 0);
	CHECK_INT(wake, INT64_MAX);
}

/* netconf ----------------------------------------------------------------------- */

static const char dnsmasq_conf[] =
	"DEVICE='eth0'\n"
	"PROTO='dhcp'\n"
	"IPV4ADDR='10.9.0.60'\n"
	"IPV4BROADCAST='10.9.0.255'\n"
	"IPV4NETMASK='255.255.255.0'\n"
	"IPV4ROUTE0SUBNET='10.20.0.0/16'\n"
	"IPV4ROUTE0GATEWAY='10.9.0.254'\n"
	"IPV4ROUTE1SUBNET='0.0.0.0/0'\n"
	"IPV4ROUTE1GATEWAY='10.9.0.1'\n"
	"IPV4DNS0='10.9.0.1'\n"
	"IPV4DNS1='10.9.0.2'\n"
	"HOSTNAME='client1'\n"
	"DNSDOMAIN='example.test'\n"
	"NISDOMAIN=''\n"
	"ROOTSERVER='10.9.0.1'\n"
	"ROOTPATH='iscsi:10.9.0.1::3260:1:iqn.2024-01.test:root'\n"
	"filename='pxelinux.0'\n"
	"UPTIME='42'\n"
	"DHCPLEASETIME='3600'\n"
	"DOMAINSEARCH='example.test. lab.example.test.'\n";

static char *write_to_string(const struct netconf *nc, void (*w)(const struct netconf *, FILE *))
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	w(nc, f);
	fclose(f);
	return buf;
}

static void conf_from_lease(void)
{
	struct netconf nc, back;

	CHECK_INT(dhcp_parse_frame(cap_dnsmasq_2_ack, sizeof(cap_dnsmasq_2_ack), true, &m, NULL, &err), 0);
	netconf_from_lease(&nc, "eth0", &m);
	nc.uptime = 42;
	CHECK_STR(write_to_string(&nc, netconf_write), dnsmasq_conf);
	CHECK_STR(write_to_string(&nc, netconf_write_resolv),
		  "# eth0, DHCP\nsearch example.test lab.example.test\n"
		  "nameserver 10.9.0.1\nnameserver 10.9.0.2\n");
	CHECK_INT(netconf_parse(dnsmasq_conf, strlen(dnsmasq_conf), &back, &err), 0);
	CHECK_STR(back.rootpath, nc.rootpath);
	CHECK_INT(back.addr, nc.addr);
	CHECK_INT(back.prefix, 24);
	CHECK_INT(back.nroutes, 2);
	CHECK_INT(back.route[0].dst, A(10, 20, 0, 0));
	CHECK_INT(back.route[1].gateway, A(10, 9, 0, 1));
	CHECK_INT(back.lease, 3600);
	CHECK_INT(back.proto, NETCONF_DHCP);
}

static void conf_dhcpd(void)
{
	struct netconf nc;
	char *s;

	CHECK_INT(dhcp_parse_frame(cap_dhcpd_2_ack, sizeof(cap_dhcpd_2_ack), true, &m, NULL, &err), 0);
	netconf_from_lease(&nc, "eth0", &m);
	s = write_to_string(&nc, netconf_write);
	/* No siaddr: klibc names the server identifier as ROOTSERVER; no option 28: computed. */
	CHECK(strstr(s, "ROOTSERVER='10.9.0.1'\n") != NULL);
	CHECK(strstr(s, "IPV4BROADCAST='10.9.0.255'\n") != NULL);
	CHECK(strstr(s, "IPV4DNS1='0.0.0.0'\n") != NULL);
	CHECK(strstr(s, "IPV4GATEWAY") == NULL);
	CHECK(strstr(s, "filename=''\n") != NULL);
}

static void conf_static(void)
{
	struct plan_net n;
	struct netconf_static st;
	struct netconf nc;
	char *s;

	CHECK_INT(plan_parse_ip("10.1.2.3::10.1.0.1::host'1:eth0:off:10.1.0.53", &n, &err), 0);
	plan_net_static(&n, &st);
	CHECK_INT(netconf_from_static(&nc, "eth0", &st, &err), 0);
	s = write_to_string(&nc, netconf_write);
	/* No netmask given: the class's, as klibc guesses. */
	CHECK(strstr(s, "PROTO='none'\nIPV4ADDR='10.1.2.3'\nIPV4BROADCAST='10.255.255.255'\n"
		      "IPV4NETMASK='255.0.0.0'\nIPV4GATEWAY='10.1.0.1'\nIPV4DNS0='10.1.0.53'\n"
		      "IPV4DNS1='0.0.0.0'\nHOSTNAME='host'\\''1'\n") != NULL);
	CHECK(strstr(s, "DHCPLEASETIME='0'\n") != NULL);
	{
		struct netconf back;

		CHECK_INT(netconf_parse(s, strlen(s), &back, &err), 0);
		CHECK_STR(back.hostname, "host'1");
		CHECK_INT(back.gateway, A(10, 1, 0, 1));
	}
	CHECK_INT(plan_parse_ip("10.1.2.3:::255.255.255.252::eth0:off", &n, &err), 0);
	plan_net_static(&n, &st);
	CHECK_INT(netconf_from_static(&nc, "eth0", &st, &err), 0);
	CHECK_INT(nc.prefix, 30);
	CHECK_INT(nc.broadcast, A(10, 1, 2, 3));
}

static void conf_parse_refuses(void)
{
	static const char *const bad[] = {
		"ROOTPATH=$(reboot)", "ROOTPATH='x'`id`", "ROOTPATH='unterminated", "ROOTPATH=a b",
		"IPV4ADDR='10.0.0.256'", "IPV4NETMASK='255.0.255.0'", "export X=1",
		"IPV4ROUTE99SUBNET='10.0.0.0/8'", "DHCPLEASETIME='-1'",
	};
	static const char ok_bang[] = "HOSTNAME='a'\\!'b'\n";
	struct netconf nc;
	char line[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "%s\n", bad[i]);
		t_row("conf_parse_refuses", bad[i], netconf_parse(line, strlen(line), &nc, &err) == 0,
		      "accepted");
	}
	/* klibc's own escape for '!' is accepted. */
	t_row("conf_parse_refuses", "klibc's '\\!'",
	      netconf_parse(ok_bang, strlen(ok_bang), &nc, &err) != 0 || strcmp(nc.hostname, "a!b"),
	      nc.hostname);
}

static void resolv_safe(void)
{
	struct netconf nc = { .device = "eth0", .proto = NETCONF_DHCP, .ndns = 1, .dns = { 1 } };

	snprintf(nc.dnsdomain, sizeof(nc.dnsdomain), "evil\nnameserver 6.6.6.6");
	CHECK_STR(write_to_string(&nc, netconf_write_resolv), "# eth0, DHCP\nnameserver 0.0.0.1\n");
}

/* initramfs-tools' net6-IFACE.conf: written quoted, read back by the plan (the root path). */
static void conf6_write_parse(void)
{
	struct netconf6 nc = { .device = "eth0", .proto = "dhcp6", .has_addr = true, .prefix = 128,
			       .has_gateway = true, .ndns = 2, .lease = 3600, .uptime = 7 };
	struct netconf back;
	char *text;
	size_t len;
	FILE *f;

	inet_pton(AF_INET6, "2001:db8:9::184", nc.addr);
	inet_pton(AF_INET6, "fe80::1", nc.gateway);
	inet_pton(AF_INET6, "2001:db8:9::53", nc.dns[0]);
	inet_pton(AF_INET6, "2001:db8:9::54", nc.dns[1]);
	snprintf(nc.rootpath, sizeof(nc.rootpath), "iscsi:[2001:db8:9::1]::3260:1:iqn.2024-01.test:it's");
	f = open_memstream(&text, &len);
	netconf6_write(&nc, f);
	fclose(f);
	CHECK_STR(text, "DEVICE6='eth0'\nIPV6PROTO='dhcp6'\nIPV6ADDR='2001:db8:9::184'\n"
			"IPV6NETMASK='128'\nIPV6GATEWAY='fe80::1'\nIPV6DNS0='2001:db8:9::53'\n"
			"IPV6DNS1='2001:db8:9::54'\nIPV6DOMAINSEARCH=''\nHOSTNAME=''\nDNSDOMAIN=''\n"
			"ROOTPATH='iscsi:[2001:db8:9::1]::3260:1:iqn.2024-01.test:it'\\''s'\n"
			"UPTIME='7'\nDHCPLEASETIME='3600'\n");
	CHECK_INT(netconf_parse(text, len, &back, &err), 0);
	CHECK(back.ipv6);
	CHECK_STR(back.device, "eth0");
	CHECK_STR(back.rootpath, nc.rootpath);
	CHECK_INT((int)back.addr, 0);
	free(text);

	f = open_memstream(&text, &len);
	netconf6_write_resolv(&nc, f);
	fclose(f);
	CHECK_STR(text, "# eth0, dhcp6\nnameserver 2001:db8:9::53\nnameserver 2001:db8:9::54\n");
	free(text);
}

/* netdev choices ----------------------------------------------------------------- */

static void choose_interface(void)
{
	struct netdev l[4] = {
		{ .ifindex = 1, .name = "lo", .flags = 0x49, .carrier = true },
		{ .ifindex = 2, .name = "eth0", .ether = true, .flags = 0x1002, .mac = { 2, 0, 0, 0, 0, 1 } },
		{ .ifindex = 3, .name = "eth1", .ether = true, .flags = 0x1043, .carrier = true,
		  .mac = { 2, 0, 0, 0, 0, 2 } },
		{ .ifindex = 4, .name = "eth1.5", .ether = true, .flags = 0x1043, .carrier = true,
		  .mac = { 2, 0, 0, 0, 0, 2 }, .kind = "vlan" },
	};
	static const uint8_t m2[6] = { 2, 0, 0, 0, 0, 2 }, m9[6] = { 9 };

	CHECK(!netdev_candidate(&l[0]));
	CHECK(netdev_candidate(&l[1]));
	CHECK(!netdev_candidate(&l[3]));
	CHECK_INT(netdev_first_carrier(l, 4), 2);
	CHECK_INT(netdev_find_mac(l, 4, m2), 2);
	CHECK_INT(netdev_find_mac(l, 4, m9), -1);
	CHECK_INT(netdev_find_name(l, 4, "eth1.5"), 3);
	l[2].carrier = false;
	CHECK_INT(netdev_first_carrier(l, 4), -1);
}

int main(void)
{
	RUN(dnsmasq_ack);
	RUN(dhcpd_ack);
	RUN(rapid_and_nak);
	every_capture();
	RUN(frame_checks);
	RUN(fixed_lengths);
	RUN(overruns);
	RUN(meaning);
	RUN(long_options);
	RUN(classless_masks_bits);
	RUN(search_list);
	RUN(overload);
	RUN(too_long_text);
	RUN(bad_headers);
	RUN(build_discover);
	RUN(client_exchange);
	RUN(client_rapid);
	RUN(client_identity);
	RUN(client_backoff);
	RUN(client_request_timeout);
	RUN(client_nak);
	RUN(client_reboot_silence);
	RUN(client_bad_offer);
	RUN(client_keep);
	RUN(conf_from_lease);
	RUN(conf_dhcpd);
	RUN(conf_static);
	conf_parse_refuses();
	RUN(resolv_safe);
	RUN(conf6_write_parse);
	RUN(choose_interface);
	T_EXIT();
}
