// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel command line: tokenizing, and the value syntaxes the boot plan
 * takes from it: RFC 4173 / dracut iSCSI root paths, klibc and dracut ip=,
 * portals and MAC addresses.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cmdline.h"
#include "plan/plan.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool cmdline_next(const char *text, size_t len, size_t *off, struct cmdline_arg *a)
{
	size_t i = *off, start, end, eq = 0;
	bool quoted = false, in_quote = false, has_eq = false;

	while (i < len && is_space(text[i]))
		i++;
	if (i >= len || text[i] == '\0')
		return false;
	a->pos = i;
	if (text[i] == '"') {
		quoted = in_quote = true;
		i++;
	}
	start = i;
	for (; i < len && text[i]; i++) {
		if (is_space(text[i]) && !in_quote)
			break;
		if (!has_eq && text[i] == '=') {
			has_eq = true;
			eq = i;
		}
		if (text[i] == '"')
			in_quote = !in_quote;
	}
	end = i;
	*off = i;

	if (!quoted && !has_eq && end - start == 2 && text[start] == '-' && text[start + 1] == '-')
		return false;

	a->key = text + start;
	if (!has_eq) {
		a->keylen = end - start;
		if (quoted && a->keylen && text[end - 1] == '"')
			a->keylen--;
		a->val = NULL;
		a->vallen = 0;
		return true;
	}
	a->keylen = eq - start;
	a->val = text + eq + 1;
	a->vallen = end - eq - 1;
	if (a->vallen && a->val[0] == '"') {
		a->val++;
		a->vallen--;
		if (a->vallen && a->val[a->vallen - 1] == '"')
			a->vallen--;
	} else if (quoted && a->vallen && a->val[a->vallen - 1] == '"') {
		a->vallen--;
	}
	return true;
}

/* Value syntaxes --------------------------------------------------------- */

static int copy_field(char *dst, size_t dstlen, const char *src, size_t n,
		      const char *what, struct sr_error *err)
{
	if (n >= dstlen)
		return sr_fail(err, ENAMETOOLONG, "%s is %zu bytes long, at most %zu allowed",
			       what, n, dstlen - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int parse_port(const char *s, size_t n, uint16_t *port, struct sr_error *err)
{
	unsigned long v;

	if (n == 0) {
		*port = ISCSI_DEFAULT_PORT;
		return 0;
	}
	if (!all_digits(s, n) || n > 5 || (v = strtoul(s, NULL, 10)) == 0 || v > 65535)
		return sr_fail(err, EINVAL, "port '%.*s' is not a number from 1 to 65535",
			       (int)(n > 16 ? 16 : n), s);
	*port = (uint16_t)v;
	return 0;
}

/*
 * RFC 4173 §5: the LUN is hexadecimal, up to four '-'-separated groups of up
 * to four digits, the first group being the first level of the SAM LUN.
 * Peripheral (bus 0) and flat addressing decode to a number.
 */
static int parse_lun(const char *s, size_t n, struct plan_target *t, struct sr_error *err)
{
	unsigned long first = 0;
	size_t i = 0, groups = 0;

	t->lun = 0;
	t->lun_set = n > 0;
	if (n == 0)
		return 0;
	while (i < n) {
		size_t d = 0;
		unsigned long g = 0;

		while (i < n && isxdigit((unsigned char)s[i]) && d < 5) {
			g = g * 16 + (unsigned long)(isdigit((unsigned char)s[i]) ?
				s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10));
			i++;
			d++;
		}
		if (d == 0 || d > 4)
			goto bad;
		if (groups++ == 0)
			first = g;
		else if (g != 0)
			goto bad;	/* multi-level LUNs: not for a boot disk */
		if (i < n && s[i] != '-')
			goto bad;
		if (i < n && ++i == n)
			goto bad;
	}
	if (groups > 4)
		goto bad;
	if (first < 0x100)
		t->lun = first;
	else if ((first >> 14) == 1)
		t->lun = first & 0x3fff;
	else
		goto bad;
	return 0;
bad:
	return sr_fail(err, EINVAL, "LUN '%.*s' is not an RFC 4173 LUN (hexadecimal, e.g. 0 or 1)",
		       (int)(n > 24 ? 24 : n), s);
}

/* Split s[0..n) at ':' into at most max fields; returns the count, or -1 if more. */
static int split_colon(const char *s, size_t n, const char **f, size_t *fl, int max)
{
	int k = 0;
	size_t start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == ':') {
			if (k == max)
				return -1;
			f[k] = s + start;
			fl[k] = i - start;
			k++;
			start = i + 1;
		}
	}
	return k;
}

static const char *find_name_start(const char *s, size_t n)
{
	static const char *prefixes[] = { ":iqn.", ":eui.", ":naa." };
	const char *best = NULL;

	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j + 5 <= n; j++) {
			if (strncasecmp(s + j, prefixes[i], 5) == 0) {
				if (!best || s + j < best)
					best = s + j;
				break;
			}
		}
	}
	return best;
}

int plan_parse_iscsi_uri(const char *v, struct plan_target *t, struct sr_error *err)
{
	const char *s, *at, *rest, *name;
	const char *f[8];
	size_t fl[8], n;
	int nf, rc;

	memset(t, 0, sizeof(*t));
	t->tpgt = -1;
	t->ibft_nic = -1;
	if (strncmp(v, "iscsi:", 6) != 0)
		return sr_fail(err, EINVAL, "does not start with 'iscsi:'");
	s = v + 6;

	/* [user:pass[:ruser:rpass]@]: only when an '@' precedes the four field colons. */
	at = strchr(s, '@');
	if (at) {
		int colons = 0;

		for (const char *p = at; *p; p++)
			colons += *p == ':';
		if (colons < 4)
			at = NULL;
	}
	if (at) {
		nf = split_colon(s, (size_t)(at - s), f, fl, 4);
		if (nf < 0)
			return sr_fail(err, EINVAL,
				       "the credentials before '@' have more than four ':'-separated fields");
		if (at > s) {
			if (nf == 1 || nf == 3)
				return sr_fail(err, EINVAL,
					       "the credentials before '@' need user:password or user:password:in_user:in_password");
			if ((rc = copy_field(t->chap.name, sizeof(t->chap.name), f[0], fl[0], "the CHAP name", err)) ||
			    (rc = copy_field(t->chap.secret, sizeof(t->chap.secret), f[1], fl[1], "the CHAP secret", err)))
				return rc;
			if (nf == 4 &&
			    ((rc = copy_field(t->rchap.name, sizeof(t->rchap.name), f[2], fl[2], "the reverse CHAP name", err)) ||
			     (rc = copy_field(t->rchap.secret, sizeof(t->rchap.secret), f[3], fl[3], "the reverse CHAP secret", err))))
				return rc;
		}
		s = at + 1;
	}

	/* Server: [IPv6] or up to the first ':'. */
	t->nportals = 1;
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return sr_fail(err, EINVAL, "an IPv6 server needs the form [address]:");
		if ((rc = copy_field(t->portal[0].host, sizeof(t->portal[0].host), s + 1,
				     (size_t)(close - s - 1), "the server", err)))
			return rc;
		rest = close + 2;
	} else {
		const char *colon = strchr(s, ':');

		if (!colon)
			return sr_fail(err, EINVAL, "too few fields: expected server:protocol:port:lun:target");
		if ((rc = copy_field(t->portal[0].host, sizeof(t->portal[0].host), s,
				     (size_t)(colon - s), "the server", err)))
			return rc;
		rest = colon + 1;
	}

	/* The target name is the one field that may contain ':'. */
	n = strlen(rest);
	name = find_name_start(rest, n);
	if (name) {
		nf = split_colon(rest, (size_t)(name - rest), f, fl, 8);
		if (nf != 3 && nf != 4 && nf != 5)
			return sr_fail(err, EINVAL,
				       "expected protocol:port:[iface:netdev:]lun before the target name, found %d fields",
				       nf < 0 ? 9 : nf);
		if ((rc = copy_field(t->name, sizeof(t->name), name + 1, n - (size_t)(name + 1 - rest),
				     "the target name", err)))
			return rc;
	} else {
		nf = split_colon(rest, n, f, fl, 8);
		if (nf < 4)
			return sr_fail(err, EINVAL, "too few fields: expected server:protocol:port:lun:target");
		/* RFC 4173 order; a name without iqn./eui./naa. may still hold ':'. */
		const char *tn = f[3];

		if ((rc = copy_field(t->name, sizeof(t->name), tn, n - (size_t)(tn - rest),
				     "the target name", err)))
			return rc;
		nf = 3;
	}

	if (fl[0] && !(fl[0] == 1 && f[0][0] == '6'))
		return sr_fail(err, EPROTONOSUPPORT, "protocol '%.*s' is not TCP (6)",
			       (int)(fl[0] > 8 ? 8 : fl[0]), f[0]);
	if ((rc = parse_port(f[1], fl[1], &t->portal[0].port, err)))
		return rc;
	if (nf == 5 && (rc = copy_field(t->iface, sizeof(t->iface), f[2], fl[2], "the iface name", err)))
		return rc;
	if (nf >= 4 && (rc = copy_field(t->netdev, sizeof(t->netdev), f[nf - 2], fl[nf - 2],
					 "the network device name", err)))
		return rc;
	if ((rc = parse_lun(f[nf - 1], fl[nf - 1], t, err)))
		return rc;
	if (!t->name[0])
		return sr_fail(err, EINVAL, "no target name");
	return 0;
}

void plan_net_static(const struct plan_net *n, struct netconf_static *s)
{
	*s = (struct netconf_static){
		.addr = n->addr, .gateway = n->gateway, .server = n->peer,
		.dns = { n->dns[0], n->dns[1] }, .hostname = n->hostname,
		.prefix = n->prefix, .mtu = n->mtu,
	};
}

int plan_parse_mac(const char *v, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)v[0]) || !isxdigit((unsigned char)v[1]))
			return -EINVAL;
		mac[i] = (uint8_t)strtoul((char[]){ v[0], v[1], 0 }, NULL, 16);
		v += 2;
		if (i < 5) {
			if (*v != ':' && *v != '-')
				return -EINVAL;
			v++;
		}
	}
	return *v ? -EINVAL : 0;
}

/* ip= -------------------------------------------------------------------- */

static enum plan_ip_method method_from(const char *s, size_t n, bool *ok)
{
	static const struct { const char *name; enum plan_ip_method m; } tab[] = {
		{ "off", IP_OFF }, { "none", IP_OFF },
		{ "on", IP_DHCP }, { "any", IP_DHCP }, { "dhcp", IP_DHCP },
		{ "bootp", IP_DHCP }, { "rarp", IP_DHCP }, { "both", IP_DHCP },
		{ "single-dhcp", IP_DHCP },
		{ "dhcp6", IP_DHCP6 }, { "auto6", IP_AUTO6 }, { "either6", IP_AUTO6 },
		{ "link6", IP_AUTO6 }, { "ibft", IP_IBFT },
	};

	*ok = true;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].name) == n && strncmp(tab[i].name, s, n) == 0)
			return tab[i].m;
	*ok = false;
	return IP_UNSET;
}

/* ip= fields: ':'-separated, with [IPv6] kept whole (dracut). */
static int split_ip_fields(const char *s, const char **f, size_t *fl, int max)
{
	int k = 0;
	const char *start = s;
	bool br = false;

	for (const char *p = s;; p++) {
		if (*p == '[')
			br = true;
		else if (*p == ']')
			br = false;
		if (*p == '\0' || (*p == ':' && !br)) {
			if (k == max)
				return -1;
			f[k] = start;
			fl[k] = (size_t)(p - start);
			k++;
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	return k;
}

static int ip_addr_field(char *dst, const char *s, size_t n, const char *what,
			 uint8_t *prefix, struct sr_error *err)
{
	char buf[PLAN_ADDR_MAX + 8];
	uint8_t a[16];

	dst[0] = '\0';
	if (n == 0)
		return 0;
	if (n >= sizeof(buf))
		return sr_fail(err, EINVAL, "the %s is too long", what);
	if (s[0] == '[') {
		if (n < 2 || s[n - 1] != ']')
			return sr_fail(err, EINVAL, "the %s: unbalanced '['", what);
		s++;
		n -= 2;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *slash = strchr(buf, '/');
	if (slash) {
		if (!prefix || !all_digits(slash + 1, strlen(slash + 1)) || atoi(slash + 1) > 128)
			return sr_fail(err, EINVAL, "the %s '%s' has a bad prefix length", what, buf);
		*prefix = (uint8_t)atoi(slash + 1);
		*slash = '\0';
	}
	if (inet_pton(AF_INET, buf, a) != 1 && inet_pton(AF_INET6, buf, a) != 1)
		return sr_fail(err, EINVAL, "the %s '%s' is not an IP address", what, buf);
	memcpy(dst, buf, strlen(buf) + 1);	/* inet_pton accepted it: it fits */
	return 0;
}

/* A dotted quad or a prefix length; with an IPv6 client address, a prefix length up to 128. */
static int netmask_field(const char *s, size_t n, bool v6, uint8_t *prefix, struct sr_error *err)
{
	char buf[20];
	struct in_addr a;

	if (n == 0)
		return 0;
	if (all_digits(s, n) && n <= 3) {
		unsigned long v = strtoul(s, NULL, 10);

		if (v > (v6 ? 128u : 32u))
			return sr_fail(err, EINVAL, "netmask /%lu is more than %u bits", v, v6 ? 128 : 32);
		*prefix = (uint8_t)v;
		return 0;
	}
	if (n >= sizeof(buf))
		return sr_fail(err, EINVAL, "the netmask is not a dotted quad");
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return sr_fail(err, EINVAL, "the netmask '%s' is not a dotted quad", buf);
	uint32_t m = ntohl(a.s_addr), host = ~m;
	if (host & (host + 1))	/* the host part must be 0...01...1 */
		return sr_fail(err, EINVAL, "the netmask '%s' is not contiguous", buf);
	*prefix = (uint8_t)__builtin_popcount(m);
	return 0;
}

static int mtu_field(const char *s, size_t n, struct plan_net *net, struct sr_error *err)
{
	unsigned long v;

	if (n == 0)
		return 0;
	if (!all_digits(s, n) || n > 5 || (v = strtoul(s, NULL, 10)) < 68 || v > 65535)
		return sr_fail(err, EINVAL, "MTU '%.*s' is not a number from 68 to 65535",
			       (int)(n > 8 ? 8 : n), s);
	net->mtu = (unsigned)v;
	return 0;
}

static int mac_field(const char *s, struct plan_net *net, struct sr_error *err)
{
	if (!*s)
		return 0;
	if (plan_parse_mac(s, net->mac) < 0)
		return sr_fail(err, EINVAL, "'%.20s' is not a MAC address", s);
	net->has_mac = true;
	return 0;
}

int plan_parse_ip(const char *v, struct plan_net *n, struct sr_error *err)
{
	const char *f[16];
	size_t fl[16];
	bool ok;
	int nf, rc;

	memset(n, 0, sizeof(*n));
	nf = split_ip_fields(v, f, fl, 16);
	if (nf < 0)
		return sr_fail(err, EINVAL, "too many ':'-separated fields");

	if (nf == 1) {
		n->method = method_from(f[0], fl[0], &ok);
		if (!ok)
			return sr_fail(err, EINVAL,
				       "'%.20s' is not a method (dhcp, on, any, off, none, dhcp6, auto6, ibft) nor an address form",
				       v);
		return 0;
	}

	/* dracut: <interface>:<method>[:<mtu>[:<macaddr>]] */
	enum plan_ip_method m = method_from(f[1], fl[1], &ok);
	uint8_t dummy[16];
	char first[PLAN_ADDR_MAX] = "";
	if (fl[0] < sizeof(first)) {
		memcpy(first, f[0], fl[0]);
		first[fl[0]] = '\0';
	}
	if (ok && fl[0] && inet_pton(AF_INET, first, dummy) != 1 && f[0][0] != '[' && nf <= 9) {
		if ((rc = copy_field(n->dev, sizeof(n->dev), f[0], fl[0], "the interface name", err)))
			return rc;
		n->method = m;
		if (nf >= 3 && (rc = mtu_field(f[2], fl[2], n, err)))
			return rc;
		if (nf >= 4)
			return mac_field(f[3], n, err);
		return 0;
	}

	/* klibc: <client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>:<ntp0> */
	if ((rc = ip_addr_field(n->addr, f[0], fl[0], "client address", &n->prefix, err)))
		return rc;
	if (nf > 1 && (rc = ip_addr_field(n->peer, f[1], fl[1], "server address", NULL, err)))
		return rc;
	if (nf > 2 && (rc = ip_addr_field(n->gateway, f[2], fl[2], "gateway", NULL, err)))
		return rc;
	if (nf > 3 && (rc = netmask_field(f[3], fl[3], strchr(n->addr, ':') != NULL, &n->prefix, err)))
		return rc;
	if (nf > 4 && (rc = copy_field(n->hostname, sizeof(n->hostname), f[4], fl[4], "the hostname", err)))
		return rc;
	if (nf > 5 && (rc = copy_field(n->dev, sizeof(n->dev), f[5], fl[5], "the interface name", err)))
		return rc;
	n->method = IP_UNSET;
	if (nf > 6 && fl[6]) {
		n->method = method_from(f[6], fl[6], &ok);
		if (!ok)
			return sr_fail(err, EINVAL, "autoconf '%.*s' is not a method",
				       (int)(fl[6] > 12 ? 12 : fl[6]), f[6]);
	}
	if (n->method == IP_UNSET || n->method == IP_OFF)
		n->method = n->addr[0] ? IP_STATIC : (n->method == IP_OFF ? IP_OFF : IP_DHCP);
	if (n->method == IP_STATIC && !n->addr[0])
		return sr_fail(err, EINVAL, "static configuration without a client address");

	if (nf > 7) {
		/* dracut: :<mtu>[:<mac>]; klibc and dracut: :<dns0>[:<dns1>[:<ntp0>]] */
		if (fl[7] == 0 || all_digits(f[7], fl[7])) {
			if ((rc = mtu_field(f[7], fl[7], n, err)))
				return rc;
			if (nf > 8)
				return mac_field(f[8], n, err);
			return 0;
		}
		if ((rc = ip_addr_field(n->dns[0], f[7], fl[7], "DNS server", NULL, err)))
			return rc;
		if (nf > 8 && (rc = ip_addr_field(n->dns[1], f[8], fl[8], "second DNS server", NULL, err)))
			return rc;
		if (nf > 9 && (rc = ip_addr_field(n->ntp, f[9], fl[9], "NTP server", NULL, err)))
			return rc;
		if (nf > 10)
			return sr_fail(err, EINVAL, "more than 10 ':'-separated fields");
	}
	return 0;
}
