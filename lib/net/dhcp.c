// SPDX-License-Identifier: GPL-2.0-only
/*
 * DHCPv4 messages (RFC 2131 §2 and §4.1; options RFC 2132, 3396, 3397, 3442,
 * 4039). The parser walks the options with a cursor; an option whose length
 * runs past its area, or a fixed-size option of the wrong size, rejects the
 * packet. Options that parse but make no sense are left out and recorded in
 * dhcp_msg.ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/cursor.h"
#include "net/dhcp.h"

#define MAGIC_COOKIE 0x63825363u

enum {
	OPT_PAD = 0,
	OPT_NETMASK = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15,
	OPT_ROOTPATH = 17,
	OPT_MTU = 26,
	OPT_BROADCAST = 28,
	OPT_NISDOMAIN = 40,
	OPT_REQUESTED_IP = 50,
	OPT_LEASE = 51,
	OPT_OVERLOAD = 52,
	OPT_TYPE = 53,
	OPT_SERVER_ID = 54,
	OPT_PARAMS = 55,
	OPT_MESSAGE = 56,
	OPT_MAX_SIZE = 57,
	OPT_T1 = 58,
	OPT_T2 = 59,
	OPT_VENDOR_CLASS = 60,
	OPT_CLIENT_ID = 61,
	OPT_BOOTFILE = 67,
	OPT_RAPID_COMMIT = 80,
	OPT_SEARCH = 119,
	OPT_CLASSLESS = 121,
	OPT_END = 255,
};

/* Longest value an option can have once its instances are joined (RFC 3396). */
#define OPT_JOINED_MAX 4096

const uint8_t dhcp_default_params[11] = {
	OPT_NETMASK, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN, OPT_ROOTPATH,
	OPT_MTU, OPT_BROADCAST, OPT_NISDOMAIN, OPT_SEARCH, OPT_CLASSLESS,
};

const char *dhcp_type_name(unsigned type)
{
	static const char *const names[] = {
		[DHCPDISCOVER] = "DHCPDISCOVER", [DHCPOFFER] = "DHCPOFFER",
		[DHCPREQUEST] = "DHCPREQUEST", [DHCPDECLINE] = "DHCPDECLINE",
		[DHCPACK] = "DHCPACK", [DHCPNAK] = "DHCPNAK",
		[DHCPRELEASE] = "DHCPRELEASE", [DHCPINFORM] = "DHCPINFORM",
	};

	if (type == 0)
		return "BOOTP";
	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	return "unknown";
}

bool dhcp_addr_usable(uint32_t a)
{
	uint8_t top = (uint8_t)(a >> 24);

	return top != 0 && top != 127 && top < 224;
}

int dhcp_mask_prefix(uint32_t mask)
{
	uint32_t inv = ~mask;

	/* Contiguous: the inverted mask is 2^k - 1. */
	if (inv & (inv + 1))
		return -1;
	return 32 - __builtin_popcount(inv);
}

uint32_t dhcp_prefix_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
}

char *dhcp_ntoa(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

uint32_t dhcp_csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (; len >= 2; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint16_t dhcp_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Parsing ------------------------------------------------------------------ */

/* Where options may live: the options field, then file, then sname (§4.1). */
struct areas {
	struct cursor area[3];
	unsigned n;
};

/*
 * The next option of an area: 1 with its code and value, 0 at END or at the
 * end of the area, -1 when a length runs past the area (code is then set).
 */
static int opt_next(struct cursor *c, uint8_t *code, struct cursor *val)
{
	uint8_t len;

	for (;;) {
		if (!cursor_u8(c, code))
			return 0;
		if (*code == OPT_PAD)
			continue;
		if (*code == OPT_END) {
			c->rem = 0;
			return 0;
		}
		if (!cursor_u8(c, &len) || !cursor_sub(c, len, val))
			return -1;
		return 1;
	}
}

static int area_check(struct cursor c, const char *where, struct sr_error *err)
{
	struct cursor v;
	uint8_t code;
	int rc;

	while ((rc = opt_next(&c, &code, &v)) > 0)
		;
	if (rc < 0)
		return sr_fail(err, EBADMSG, "option %u runs past the end of the %s", code, where);
	return 0;
}

/*
 * Join every instance of code into buf (RFC 3396). Returns the number of
 * instances, with the joined length in *len. dhcp_parse() caps the packet so
 * that every option fits OPT_JOINED_MAX; the check below keeps that local.
 */
static int opt_join(const struct areas *a, uint8_t code, uint8_t *buf, size_t *len,
		    struct sr_error *err)
{
	int found = 0;

	*len = 0;
	for (unsigned i = 0; i < a->n; i++) {
		struct cursor c = a->area[i], v;
		uint8_t k;

		while (opt_next(&c, &k, &v) > 0) {
			if (k != code)
				continue;
			/* Areas are at most the packet, which OPT_JOINED_MAX bounds. */
			if (v.rem > OPT_JOINED_MAX - *len)
				return sr_fail(err, EMSGSIZE, "option %u is longer than %d bytes",
					       code, OPT_JOINED_MAX);
			memcpy(buf + *len, v.p, v.rem);
			*len += v.rem;
			found++;
		}
	}
	return found;
}

/* A fixed-size option: 0 absent, 1 present (value in buf), or an error. */
static int opt_fixed(const struct areas *a, uint8_t code, size_t want, uint8_t *buf,
		     struct sr_error *err)
{
	size_t len;
	int n = opt_join(a, code, buf, &len, err);

	if (n <= 0)
		return n;
	if (len != want)
		return sr_fail(err, EBADMSG, "option %u is %zu bytes, not %zu", code, len, want);
	return 1;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int opt_u32(const struct areas *a, uint8_t code, uint32_t *v, bool *has, uint8_t *buf,
		   struct sr_error *err)
{
	int rc = opt_fixed(a, code, 4, buf, err);

	if (rc > 0)
		*v = get_be32(buf);
	if (has)
		*has = rc > 0;
	return rc < 0 ? rc : 0;
}

/* A list of addresses (options 3, 6): at least one, whole addresses only. */
static int opt_addrs(const struct areas *a, uint8_t code, uint32_t *out, unsigned max,
		     unsigned *n, uint8_t *buf, struct sr_error *err)
{
	size_t len;

	int rc;

	*n = 0;
	if ((rc = opt_join(a, code, buf, &len, err)) <= 0)
		return rc;
	if (len == 0 || len % 4)
		return sr_fail(err, EBADMSG, "option %u is %zu bytes, not a list of addresses",
			       code, len);
	for (size_t off = 0; off < len && *n < max; off += 4)
		out[(*n)++] = get_be32(buf + off);
	return 0;
}

/* A text option, up to the first NUL. Longer than out holds: the packet is refused. */
static int opt_text(const struct areas *a, uint8_t code, char *out, size_t size, uint8_t *buf,
		    struct sr_error *err)
{
	size_t len;
	const uint8_t *nul;
	int rc;

	out[0] = '\0';
	if ((rc = opt_join(a, code, buf, &len, err)) <= 0)
		return rc;
	if ((nul = memchr(buf, 0, len)))
		len = (size_t)(nul - buf);
	if (len >= size)
		return sr_fail(err, EBADMSG, "option %u is %zu bytes, more than the %zu we keep",
			       code, len, size - 1);
	memcpy(out, buf, len);
	out[len] = '\0';
	return 0;
}

/* RFC 3442 §3: width, the significant octets of the destination, the router. */
static bool decode_classless(const uint8_t *buf, size_t len, struct dhcp_msg *m)
{
	struct cursor c = cursor_make(buf, len);
	unsigned n = 0;

	while (c.rem) {
		uint8_t width, d[4] = { 0 };
		uint32_t gw;

		if (!cursor_u8(&c, &width) || width > 32 ||
		    !cursor_bytes(&c, d, (size_t)(width + 7) / 8) || !cursor_be32(&c, &gw))
			return false;
		if (n == DHCP_MAX_ROUTES)
			return false;	/* a partial table could lose the default route */
		m->route[n].dst = get_be32(d) & dhcp_prefix_mask(width);
		m->route[n].prefix = width;
		m->route[n].gateway = gw;
		n++;
	}
	m->nroutes = n;
	return n > 0;
}

static bool label_char(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-';
}

/*
 * RFC 3397: names in RFC 1035 wire form, compression pointers into the joined
 * option. Every pointer must land before the previous jump's target, so the
 * walk always ends. Output as klibc writes it: "a.example. b.example.".
 */
static bool decode_search(const uint8_t *buf, size_t len, char *out, size_t size)
{
	size_t pos = 0, o = 0;

	out[0] = '\0';
	while (pos < len) {
		size_t p = pos, limit = pos, next = 0, namelen = 0;
		bool jumped = false;

		if (o) {
			if (size - o < 2)
				return false;
			out[o++] = ' ';
		}
		for (;;) {
			uint8_t l;

			if (p >= len)
				return false;
			l = buf[p];
			if (l == 0) {
				p++;
				break;
			}
			if ((l & 0xc0) == 0xc0) {
				size_t target;

				if (len - p < 2)
					return false;
				target = (size_t)(l & 0x3f) << 8 | buf[p + 1];
				if (target >= limit)
					return false;
				if (!jumped)
					next = p + 2;
				jumped = true;
				limit = p = target;
				continue;
			}
			if (l > 63 || len - p - 1 < l)
				return false;
			namelen += l + 1u;
			if (namelen > 254 || size - o < l + 2u)
				return false;
			for (size_t i = 0; i < l; i++) {
				if (!label_char(buf[p + 1 + i]))
					return false;
				out[o++] = (char)buf[p + 1 + i];
			}
			out[o++] = '.';
			p += 1u + l;
		}
		if (namelen == 0) {
			if (size - o < 2)
				return false;
			out[o++] = '.';
		}
		out[o] = '\0';
		pos = jumped ? next : p;
	}
	return true;
}

static void copy_field(char *out, const uint8_t *field, size_t len)
{
	const uint8_t *nul = memchr(field, 0, len);

	if (nul)
		len = (size_t)(nul - field);
	memcpy(out, field, len);
	out[len] = '\0';
}

static int parse_options(const struct areas *a, struct dhcp_msg *m, struct sr_error *err)
{
	uint8_t buf[OPT_JOINED_MAX];
	bool has_t1 = false, has_t2 = false, has_bcast = false;
	size_t len;
	int rc;

	if ((rc = opt_fixed(a, OPT_TYPE, 1, buf, err)) < 0)
		return rc;
	if (rc > 0) {
		m->type = buf[0];
		if (m->type < DHCPDISCOVER || m->type > DHCPINFORM)
			return sr_fail(err, EBADMSG, "unknown message type %u", m->type);
	}
	if ((rc = opt_u32(a, OPT_SERVER_ID, &m->server_id, NULL, buf, err)) < 0 ||
	    (rc = opt_u32(a, OPT_NETMASK, &m->netmask, &m->has_netmask, buf, err)) < 0 ||
	    (rc = opt_u32(a, OPT_BROADCAST, &m->broadcast, &has_bcast, buf, err)) < 0 ||
	    (rc = opt_u32(a, OPT_LEASE, &m->lease, &m->has_lease, buf, err)) < 0 ||
	    (rc = opt_u32(a, OPT_T1, &m->t1, &has_t1, buf, err)) < 0 ||
	    (rc = opt_u32(a, OPT_T2, &m->t2, &has_t2, buf, err)) < 0 ||
	    (rc = opt_addrs(a, OPT_ROUTER, m->router, DHCP_MAX_ROUTERS, &m->nrouters, buf,
			    err)) < 0 ||
	    (rc = opt_addrs(a, OPT_DNS, m->dns, DHCP_MAX_DNS, &m->ndns, buf, err)) < 0 ||
	    (rc = opt_text(a, OPT_HOSTNAME, m->hostname, sizeof(m->hostname), buf, err)) < 0 ||
	    (rc = opt_text(a, OPT_DOMAIN, m->domain, sizeof(m->domain), buf, err)) < 0 ||
	    (rc = opt_text(a, OPT_NISDOMAIN, m->nisdomain, sizeof(m->nisdomain), buf, err)) < 0 ||
	    (rc = opt_text(a, OPT_ROOTPATH, m->rootpath, sizeof(m->rootpath), buf, err)) < 0 ||
	    (rc = opt_text(a, OPT_MESSAGE, m->message, sizeof(m->message), buf, err)) < 0)
		return rc;

	if (m->has_netmask) {
		int prefix = dhcp_mask_prefix(m->netmask);

		if (prefix < 0)
			return sr_fail(err, EBADMSG, "option 1 (netmask) is not contiguous");
		m->prefix = (uint8_t)prefix;
	}
	if (has_bcast && m->has_netmask &&
	    (m->broadcast & m->netmask) != (m->yiaddr & m->netmask)) {
		has_bcast = false;
		m->ignored |= DHCP_IGN_BROADCAST;
	}
	if (!has_bcast)
		m->broadcast = 0;

	/* §4.4.5: T1 < T2 < lease; defaults 0.5 and 0.875 of the lease. */
	if (m->has_lease) {
		uint32_t d1 = m->lease / 2, d2 = (uint32_t)((uint64_t)m->lease * 7 / 8);

		if (!has_t1)
			m->t1 = d1;
		if (!has_t2)
			m->t2 = d2;
		if (m->lease != 0xffffffffu && (m->t1 >= m->t2 || m->t2 >= m->lease) &&
		    (has_t1 || has_t2)) {
			m->t1 = d1;
			m->t2 = d2;
			m->ignored |= DHCP_IGN_TIMERS;
		}
	} else {
		m->t1 = m->t2 = 0;
	}

	if ((rc = opt_fixed(a, OPT_MTU, 2, buf, err)) < 0)
		return rc;
	if (rc > 0) {
		m->mtu = (uint16_t)(buf[0] << 8 | buf[1]);
		if (m->mtu < 68) {
			m->mtu = 0;
			m->ignored |= DHCP_IGN_MTU;
		}
	}

	if ((rc = opt_join(a, OPT_RAPID_COMMIT, buf, &len, err)) < 0)
		return rc;
	if (rc > 0) {
		if (len != 0)
			return sr_fail(err, EBADMSG, "option 80 (rapid commit) is %zu bytes, not 0",
				       len);
		m->rapid_commit = true;
	}

	if ((rc = opt_join(a, OPT_CLASSLESS, buf, &len, err)) < 0)
		return rc;
	if (rc > 0) {
		m->has_routes = decode_classless(buf, len, m);
		if (!m->has_routes) {
			m->nroutes = 0;
			m->ignored |= DHCP_IGN_ROUTES;
		}
	}

	if ((rc = opt_join(a, OPT_SEARCH, buf, &len, err)) < 0)
		return rc;
	if (rc > 0 && !decode_search(buf, len, m->search, sizeof(m->search))) {
		m->search[0] = '\0';
		m->ignored |= DHCP_IGN_SEARCH;
	}

	if (!m->file[0] &&
	    (rc = opt_text(a, OPT_BOOTFILE, m->file, sizeof(m->file), buf, err)) < 0)
		return rc;
	return 0;
}

int dhcp_parse(const void *data, size_t len, struct dhcp_msg *m, struct sr_error *err)
{
	struct cursor c = cursor_make(data, len), opts, v;
	uint8_t sname[64], file[128], code;
	struct areas a = { .n = 0 };
	uint8_t overload = 0;
	uint32_t cookie;
	int rc;

	memset(m, 0, sizeof(*m));
	if (len < DHCP_BOOTP_LEN + 4)
		return sr_fail(err, EBADMSG, "%zu bytes, shorter than a DHCP message", len);
	if (len > OPT_JOINED_MAX)
		return sr_fail(err, EMSGSIZE, "%zu bytes, longer than we accept", len);
	if (!cursor_u8(&c, &m->op) || !cursor_u8(&c, &m->htype) || !cursor_u8(&c, &m->hlen) ||
	    !cursor_skip(&c, 1) || !cursor_be32(&c, &m->xid) || !cursor_be16(&c, &m->secs) ||
	    !cursor_be16(&c, &m->flags) || !cursor_be32(&c, &m->ciaddr) ||
	    !cursor_be32(&c, &m->yiaddr) || !cursor_be32(&c, &m->siaddr) ||
	    !cursor_be32(&c, &m->giaddr) || !cursor_bytes(&c, m->chaddr, sizeof(m->chaddr)) ||
	    !cursor_bytes(&c, sname, sizeof(sname)) || !cursor_bytes(&c, file, sizeof(file)) ||
	    !cursor_be32(&c, &cookie))
		return sr_fail(err, EBADMSG, "truncated BOOTP header");
	if (cookie != MAGIC_COOKIE)
		return sr_fail(err, EBADMSG, "no DHCP magic cookie");

	opts = c;
	if ((rc = area_check(opts, "options", err)) < 0)
		return rc;
	/* Overload (option 52) may only appear in the options field itself. */
	while (opt_next(&c, &code, &v) > 0) {
		if (code != OPT_OVERLOAD)
			continue;
		if (v.rem != 1 || v.p[0] < 1 || v.p[0] > 3)
			return sr_fail(err, EBADMSG, "option 52 (overload) is malformed");
		overload = v.p[0];
	}
	a.area[a.n++] = opts;
	if (overload & 1) {
		a.area[a.n++] = cursor_make(file, sizeof(file));
		if ((rc = area_check(a.area[a.n - 1], "file field", err)) < 0)
			return rc;
	} else {
		copy_field(m->file, file, sizeof(file));
	}
	if (overload & 2) {
		a.area[a.n++] = cursor_make(sname, sizeof(sname));
		if ((rc = area_check(a.area[a.n - 1], "sname field", err)) < 0)
			return rc;
	} else {
		copy_field(m->sname, sname, sizeof(sname));
	}
	return parse_options(&a, m, err);
}

int dhcp_parse_frame(const void *data, size_t len, bool check_udp_sum, struct dhcp_msg *m,
		     uint32_t *src, struct sr_error *err)
{
	struct cursor c = cursor_make(data, len), udp;
	uint8_t vihl, tos, ttl, proto;
	uint16_t total, id, frag, hsum, sport, dport, ulen, usum;
	uint32_t saddr, daddr;
	size_t hlen;

	if (!cursor_u8(&c, &vihl) || !cursor_u8(&c, &tos) || !cursor_be16(&c, &total) ||
	    !cursor_be16(&c, &id) || !cursor_be16(&c, &frag) || !cursor_u8(&c, &ttl) ||
	    !cursor_u8(&c, &proto) || !cursor_be16(&c, &hsum) || !cursor_be32(&c, &saddr) ||
	    !cursor_be32(&c, &daddr))
		return sr_fail(err, EBADMSG, "%zu bytes, shorter than an IPv4 header", len);
	hlen = (size_t)(vihl & 15) * 4;
	if (vihl >> 4 != 4 || hlen < 20)
		return sr_fail(err, EBADMSG, "not an IPv4 header");
	if (total > len || total < hlen + 8)
		return sr_fail(err, EBADMSG, "IPv4 total length %u does not fit the %zu bytes read",
			       total, len);
	if (dhcp_csum_fold(dhcp_csum_add(0, data, hlen)) != 0xffff)
		return sr_fail(err, EBADMSG, "IPv4 header checksum mismatch");
	if (frag & 0x3fff)
		return sr_fail(err, EBADMSG, "an IPv4 fragment");
	if (proto != 17)
		return sr_fail(err, EBADMSG, "IP protocol %u, not UDP", proto);
	if (!cursor_at(data, total, hlen, total - hlen, &udp) ||
	    !cursor_be16(&udp, &sport) || !cursor_be16(&udp, &dport) ||
	    !cursor_be16(&udp, &ulen) || !cursor_be16(&udp, &usum))
		return sr_fail(err, EBADMSG, "truncated UDP header");
	if (dport != DHCP_CLIENT_PORT)
		return sr_fail(err, EBADMSG, "UDP to port %u, not %u", dport, DHCP_CLIENT_PORT);
	if (ulen < 8 || ulen - 8u > udp.rem)
		return sr_fail(err, EBADMSG, "UDP length %u does not fit the IPv4 packet", ulen);
	if (check_udp_sum && usum != 0) {
		uint32_t sum = dhcp_csum_add(0, (const uint8_t *)data + 12, 8);

		sum += 17 + ulen;
		sum = dhcp_csum_add(sum, (const uint8_t *)data + hlen, ulen);
		if (dhcp_csum_fold(sum) != 0xffff)
			return sr_fail(err, EBADMSG, "UDP checksum mismatch");
	}
	if (src)
		*src = saddr;
	return dhcp_parse(udp.p, ulen - 8u, m, err);
}

/* Building ----------------------------------------------------------------- */

static void put_opt(struct writer *w, uint8_t code, const void *data, size_t len)
{
	wr_u8(w, code);
	wr_u8(w, (uint8_t)len);
	wr_bytes(w, data, len);
}

static void put_opt_be32(struct writer *w, uint8_t code, uint32_t v)
{
	wr_u8(w, code);
	wr_u8(w, 4);
	wr_be32(w, v);
}

int dhcp_build(const struct dhcp_request *r, uint8_t *buf, size_t size)
{
	struct writer w = writer_make(buf, size);
	static const uint8_t zero[DHCP_MIN_LEN];
	uint8_t chaddr[16] = { 0 };
	size_t hlen = r->hostname ? strlen(r->hostname) : 0;
	size_t vlen = r->vendor_class ? strlen(r->vendor_class) : 0;
	size_t used;

	if (hlen > 255 || vlen > 255 || r->client_id_len > 255 || r->nparams > 255)
		return -EINVAL;
	memcpy(chaddr, r->mac, 6);
	wr_u8(&w, 1);			/* BOOTREQUEST */
	wr_u8(&w, 1);			/* Ethernet */
	wr_u8(&w, 6);
	wr_u8(&w, 0);			/* hops */
	wr_be32(&w, r->xid);
	wr_be16(&w, r->secs);
	wr_be16(&w, r->broadcast ? 0x8000 : 0);
	wr_be32(&w, r->ciaddr);
	wr_be32(&w, 0);		/* yiaddr */
	wr_be32(&w, 0);		/* siaddr */
	wr_be32(&w, 0);		/* giaddr */
	wr_bytes(&w, chaddr, sizeof(chaddr));
	wr_bytes(&w, zero, 64 + 128);	/* sname, file */
	wr_be32(&w, MAGIC_COOKIE);

	put_opt(&w, OPT_TYPE, &r->type, 1);
	if (r->client_id_len)
		put_opt(&w, OPT_CLIENT_ID, r->client_id, r->client_id_len);
	if (r->requested_ip)
		put_opt_be32(&w, OPT_REQUESTED_IP, r->requested_ip);
	if (r->server_id)
		put_opt_be32(&w, OPT_SERVER_ID, r->server_id);
	if (r->max_size) {
		wr_u8(&w, OPT_MAX_SIZE);
		wr_u8(&w, 2);
		wr_be16(&w, r->max_size);
	}
	if (r->nparams)
		put_opt(&w, OPT_PARAMS, r->params, r->nparams);
	if (vlen)
		put_opt(&w, OPT_VENDOR_CLASS, r->vendor_class, vlen);
	if (hlen)
		put_opt(&w, OPT_HOSTNAME, r->hostname, hlen);
	if (r->rapid_commit)
		put_opt(&w, OPT_RAPID_COMMIT, NULL, 0);
	wr_u8(&w, OPT_END);

	used = size - w.rem;
	if (used < DHCP_MIN_LEN)
		wr_bytes(&w, zero, DHCP_MIN_LEN - used);
	if (w.overflow)
		return -ENOSPC;
	return (int)(size - w.rem);
}

int dhcp_build_frame(const struct dhcp_request *r, uint8_t *buf, size_t size)
{
	struct writer w = writer_make(buf, DHCP_FRAME_HDR);
	uint32_t sum;
	uint16_t total, ulen, usum;
	int n;

	if (size < DHCP_FRAME_HDR)
		return -ENOSPC;
	n = dhcp_build(r, buf + DHCP_FRAME_HDR, size - DHCP_FRAME_HDR);
	if (n < 0)
		return n;
	ulen = (uint16_t)(n + 8);
	total = (uint16_t)(n + DHCP_FRAME_HDR);

	wr_u8(&w, 0x45);		/* IPv4, 20-byte header */
	wr_u8(&w, 0);			/* TOS */
	wr_be16(&w, total);
	wr_be16(&w, 0);		/* id */
	wr_be16(&w, 0);		/* fragment */
	wr_u8(&w, 64);			/* TTL */
	wr_u8(&w, 17);			/* UDP */
	wr_be16(&w, 0);		/* checksum, below */
	wr_be32(&w, 0);		/* 0.0.0.0 */
	wr_be32(&w, 0xffffffffu);	/* 255.255.255.255 */
	wr_be16(&w, DHCP_CLIENT_PORT);
	wr_be16(&w, DHCP_SERVER_PORT);
	wr_be16(&w, ulen);
	wr_be16(&w, 0);		/* checksum, below */

	sum = ~dhcp_csum_fold(dhcp_csum_add(0, buf, 20)) & 0xffff;
	buf[10] = (uint8_t)(sum >> 8);
	buf[11] = (uint8_t)sum;

	sum = dhcp_csum_add(0, buf + 12, 8) + 17 + ulen;
	usum = (uint16_t)~dhcp_csum_fold(dhcp_csum_add(sum, buf + 20, ulen));
	if (usum == 0)
		usum = 0xffff;		/* RFC 768: 0 would mean "no checksum" */
	buf[26] = (uint8_t)(usum >> 8);
	buf[27] = (uint8_t)usum;
	return total;
}
