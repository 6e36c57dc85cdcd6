// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPv4 interface configuration and klibc ipconfig's /run/net-IFACE.conf
 * (klibc 2.0 ipconfig: the keys, their order, and 0.0.0.0 for an unset address).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/file.h"
#include "core/quote.h"
#include "net/dhcp6.h"
#include "net/netconf.h"

#define NETCONF_FILE_MAX (64 * 1024)

/* The netmask of the address's class, as klibc (and the kernel's ipconfig) guesses it. */
static uint32_t class_netmask(uint32_t a)
{
	if (!(a & 0x80000000u))
		return 0xff000000u;
	if ((a & 0xc0000000u) == 0x80000000u)
		return 0xffff0000u;
	if ((a & 0xe0000000u) == 0xc0000000u)
		return 0xffffff00u;
	return 0;
}

static void finish(struct netconf *nc)
{
	int prefix;

	if (!nc->netmask)
		nc->netmask = class_netmask(nc->addr);
	prefix = dhcp_mask_prefix(nc->netmask);
	nc->prefix = (uint8_t)(prefix < 0 ? 0 : prefix);
	if (!nc->broadcast && nc->prefix < 31)
		nc->broadcast = (nc->addr & nc->netmask) | ~nc->netmask;
}

void netconf_from_lease(struct netconf *nc, const char *dev, const struct dhcp_msg *m)
{
	memset(nc, 0, sizeof(*nc));
	snprintf(nc->device, sizeof(nc->device), "%s", dev);
	nc->proto = NETCONF_DHCP;
	nc->addr = m->yiaddr;
	nc->netmask = m->has_netmask ? m->netmask : 0;
	nc->broadcast = m->broadcast;
	nc->gateway = m->nrouters ? m->router[0] : m->giaddr;
	if (m->has_routes) {
		/* RFC 3442 §2: with option 121 the client ignores option 3. */
		memcpy(nc->route, m->route, m->nroutes * sizeof(m->route[0]));
		nc->nroutes = m->nroutes;
		nc->gateway = 0;
	}
	memcpy(nc->dns, m->dns, m->ndns * sizeof(m->dns[0]));
	nc->ndns = m->ndns;
	nc->mtu = m->mtu;
	snprintf(nc->hostname, sizeof(nc->hostname), "%s", m->hostname);
	snprintf(nc->dnsdomain, sizeof(nc->dnsdomain), "%s", m->domain);
	snprintf(nc->nisdomain, sizeof(nc->nisdomain), "%s", m->nisdomain);
	snprintf(nc->rootpath, sizeof(nc->rootpath), "%s", m->rootpath);
	snprintf(nc->filename, sizeof(nc->filename), "%s", m->file);
	snprintf(nc->search, sizeof(nc->search), "%s", m->search);
	nc->rootserver = m->siaddr ? m->siaddr : m->server_id;
	nc->server = m->server_id;
	nc->lease = m->has_lease ? m->lease : 0;
	finish(nc);
}

static int parse_v4(const char *s, uint32_t *out, const char *what, struct sr_error *err)
{
	struct in_addr a;

	*out = 0;
	if (!s || !s[0])
		return 0;
	if (inet_pton(AF_INET, s, &a) != 1)
		return sr_fail(err, EINVAL, "%s '%.46s' is not an IPv4 address", what, s);
	*out = ntohl(a.s_addr);
	return 0;
}

int netconf_from_static(struct netconf *nc, const char *dev, const struct netconf_static *n,
			struct sr_error *err)
{
	int rc;

	memset(nc, 0, sizeof(*nc));
	snprintf(nc->device, sizeof(nc->device), "%s", dev);
	nc->proto = NETCONF_NONE;
	if ((rc = parse_v4(n->addr, &nc->addr, "the address", err)) < 0 ||
	    (rc = parse_v4(n->gateway, &nc->gateway, "the gateway", err)) < 0 ||
	    (rc = parse_v4(n->server, &nc->rootserver, "the server", err)) < 0 ||
	    (rc = parse_v4(n->dns[0], &nc->dns[0], "the DNS server", err)) < 0 ||
	    (rc = parse_v4(n->dns[1], &nc->dns[1], "the second DNS server", err)) < 0)
		return rc;
	if (!dhcp_addr_usable(nc->addr))
		return sr_fail(err, EINVAL, "'%.46s' is not a usable unicast address", n->addr ? n->addr : "");
	if (n->prefix > 32)
		return sr_fail(err, EINVAL, "prefix /%u is longer than 32", n->prefix);
	nc->netmask = n->prefix ? dhcp_prefix_mask(n->prefix) : 0;
	nc->ndns = nc->dns[1] ? 2 : nc->dns[0] ? 1 : 0;
	if (!nc->dns[0] && nc->dns[1]) {
		nc->dns[0] = nc->dns[1];
		nc->dns[1] = 0;
	}
	nc->mtu = n->mtu;
	snprintf(nc->hostname, sizeof(nc->hostname), "%s", n->hostname ? n->hostname : "");
	finish(nc);
	return 0;
}

static void kv(FILE *f, const char *key, const char *val)
{
	fprintf(f, "%s=", key);
	quote_shell(f, val);
	fputc('\n', f);
}

static void kv_addr(FILE *f, const char *key, uint32_t a)
{
	char buf[16];

	kv(f, key, dhcp_ntoa(a, buf));
}

void netconf_write(const struct netconf *nc, FILE *f)
{
	char buf[32], key[32];

	kv(f, "DEVICE", nc->device);
	kv(f, "PROTO", nc->proto == NETCONF_DHCP ? "dhcp" : "none");
	kv_addr(f, "IPV4ADDR", nc->addr);
	kv_addr(f, "IPV4BROADCAST", nc->broadcast);
	kv_addr(f, "IPV4NETMASK", nc->netmask);
	if (nc->nroutes) {
		for (unsigned i = 0; i < nc->nroutes; i++) {
			char a[16];

			snprintf(key, sizeof(key), "IPV4ROUTE%uSUBNET", i);
			snprintf(buf, sizeof(buf), "%s/%u", dhcp_ntoa(nc->route[i].dst, a),
				 nc->route[i].prefix);
			kv(f, key, buf);
			snprintf(key, sizeof(key), "IPV4ROUTE%uGATEWAY", i);
			kv_addr(f, key, nc->route[i].gateway);
		}
	} else {
		kv_addr(f, "IPV4GATEWAY", nc->gateway);
	}
	kv_addr(f, "IPV4DNS0", nc->ndns > 0 ? nc->dns[0] : 0);
	kv_addr(f, "IPV4DNS1", nc->ndns > 1 ? nc->dns[1] : 0);
	kv(f, "HOSTNAME", nc->hostname);
	kv(f, "DNSDOMAIN", nc->dnsdomain);
	kv(f, "NISDOMAIN", nc->nisdomain);
	kv_addr(f, "ROOTSERVER", nc->rootserver);
	kv(f, "ROOTPATH", nc->rootpath);
	kv(f, "filename", nc->filename);
	snprintf(buf, sizeof(buf), "%ld", nc->uptime);
	kv(f, "UPTIME", buf);
	snprintf(buf, sizeof(buf), "%u", nc->lease);
	kv(f, "DHCPLEASETIME", buf);
	kv(f, "DOMAINSEARCH", nc->search);
}

void netconf6_write(const struct netconf6 *nc, FILE *f)
{
	char a[64], key[16];

	kv(f, "DEVICE6", nc->device);
	kv(f, "IPV6PROTO", nc->proto);
	kv(f, "IPV6ADDR", nc->has_addr ? dhcp6_ntop(nc->addr, a) : "");
	snprintf(a, sizeof(a), "%u", nc->prefix);
	kv(f, "IPV6NETMASK", nc->has_addr ? a : "");
	kv(f, "IPV6GATEWAY", nc->has_gateway ? dhcp6_ntop(nc->gateway, a) : "");
	for (unsigned i = 0; i < nc->ndns; i++) {
		snprintf(key, sizeof(key), "IPV6DNS%u", i);
		kv(f, key, dhcp6_ntop(nc->dns[i], a));
	}
	kv(f, "IPV6DOMAINSEARCH", "");
	kv(f, "HOSTNAME", nc->hostname);
	kv(f, "DNSDOMAIN", "");
	kv(f, "ROOTPATH", nc->rootpath);
	snprintf(a, sizeof(a), "%ld", nc->uptime);
	kv(f, "UPTIME", a);
	snprintf(a, sizeof(a), "%u", nc->lease);
	kv(f, "DHCPLEASETIME", a);
}

void netconf6_write_resolv(const struct netconf6 *nc, FILE *f)
{
	char a[64];

	fprintf(f, "# %s, %s\n", nc->device, nc->proto);
	for (unsigned i = 0; i < nc->ndns; i++)
		fprintf(f, "nameserver %s\n", dhcp6_ntop(nc->dns[i], a));
}

bool netconf_domain_ok(const char *s)
{
	if (!*s || strlen(s) > 253)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

void netconf_write_resolv(const struct netconf *nc, FILE *f)
{
	char a[16];

	fprintf(f, "# %s, %s\n", nc->device, nc->proto == NETCONF_DHCP ? "DHCP" : "static");
	if (nc->search[0]) {
		/* Already checked label by label; written without the trailing dots. */
		fputs("search", f);
		for (const char *p = nc->search; *p;) {
			size_t n = strcspn(p, " ");
			size_t k = n;

			while (k > 1 && p[k - 1] == '.')
				k--;
			fprintf(f, " %.*s", (int)k, p);
			p += n;
			p += strspn(p, " ");
		}
		fputc('\n', f);
	} else if (netconf_domain_ok(nc->dnsdomain)) {
		fprintf(f, "search %s\n", nc->dnsdomain);
	}
	for (unsigned i = 0; i < nc->ndns; i++)
		fprintf(f, "nameserver %s\n", dhcp_ntoa(nc->dns[i], a));
}

/* Reading ------------------------------------------------------------------ */

static bool plain_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       strchr("._:/,+@%=-", ch);
}

/*
 * One shell word as klibc and quote_shell() write them: '...' runs,
 * backslash-escaped characters, plain characters. Stops at the end of line.
 */
static int unquote(const char **pp, const char *end, char *out, size_t size, unsigned line,
		   struct sr_error *err)
{
	const char *p = *pp;
	size_t o = 0;

	while (p < end && *p != '\n') {
		char ch = *p++;

		if (ch == '\'') {
			const char *q = memchr(p, '\'', (size_t)(end - p));

			if (!q)
				return sr_fail(err, EINVAL, "line %u: unterminated quote", line);
			if ((size_t)(q - p) >= size - o)
				return sr_fail(err, E2BIG, "line %u: value too long", line);
			memcpy(out + o, p, (size_t)(q - p));
			o += (size_t)(q - p);
			p = q + 1;
			continue;
		}
		if (ch == '\\') {
			if (p == end || *p == '\n')
				return sr_fail(err, EINVAL, "line %u: backslash at the end of a line",
					       line);
			ch = *p++;
		} else if (!plain_char(ch)) {
			return sr_fail(err, EINVAL, "line %u: '%c' outside quotes", line,
				       ch >= 0x20 && ch < 0x7f ? ch : '?');
		}
		if (size - o < 2)
			return sr_fail(err, E2BIG, "line %u: value too long", line);
		out[o++] = ch;
	}
	out[o] = '\0';
	*pp = p;
	return 0;
}

static int set_addr(const char *v, uint32_t *out, const char *key, unsigned line,
		    struct sr_error *err)
{
	struct in_addr a;

	if (!v[0]) {
		*out = 0;
		return 0;
	}
	if (inet_pton(AF_INET, v, &a) != 1)
		return sr_fail(err, EINVAL, "line %u: %s is not an IPv4 address", line, key);
	*out = ntohl(a.s_addr);
	return 0;
}

static int set_str(const char *v, char *out, size_t size, unsigned line, struct sr_error *err)
{
	if (strlen(v) >= size)
		return sr_fail(err, E2BIG, "line %u: value too long", line);
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

static int set_num(const char *v, unsigned long max, unsigned long *out, const char *key,
		   unsigned line, struct sr_error *err)
{
	char *end;

	errno = 0;
	*out = v[0] ? strtoul(v, &end, 10) : 0;
	if (v[0] && (errno || *end || *out > max || v[0] == '-'))
		return sr_fail(err, EINVAL, "line %u: %s is not a number", line, key);
	return 0;
}

/* IPV4ROUTE<n>SUBNET / IPV4ROUTE<n>GATEWAY */
static int set_route(struct netconf *nc, const char *key, const char *v, unsigned line,
		     struct sr_error *err)
{
	char *end, addr[16];
	unsigned long i = strtoul(key + 9, &end, 10), prefix;
	struct dhcp_route *r;
	const char *slash;
	int rc;

	if (end == key + 9 || i >= NETCONF_MAX_ROUTES)
		return sr_fail(err, EINVAL, "line %u: %s: route index out of range", line, key);
	r = &nc->route[i];
	if (i >= nc->nroutes)
		nc->nroutes = (unsigned)i + 1;
	if (!strcmp(end, "GATEWAY"))
		return set_addr(v, &r->gateway, key, line, err);
	if (strcmp(end, "SUBNET"))
		return 0;
	slash = strchr(v, '/');
	if (!slash || (size_t)(slash - v) >= sizeof(addr))
		return sr_fail(err, EINVAL, "line %u: %s is not ADDRESS/PREFIX", line, key);
	memcpy(addr, v, (size_t)(slash - v));
	addr[slash - v] = '\0';
	if (!slash[1])
		return sr_fail(err, EINVAL, "line %u: %s has no prefix length", line, key);
	if ((rc = set_num(slash + 1, 32, &prefix, key, line, err)) < 0 ||
	    (rc = set_addr(addr, &r->dst, key, line, err)) < 0)
		return rc;
	r->prefix = (uint8_t)prefix;
	return 0;
}

static int set_key(struct netconf *nc, const char *key, const char *v, unsigned line,
		   struct sr_error *err)
{
	unsigned long n;
	int rc;

	if (!strcmp(key, "DEVICE"))
		return set_str(v, nc->device, sizeof(nc->device), line, err);
	if (!strcmp(key, "DEVICE6")) {
		nc->ipv6 = true;
		return set_str(v, nc->device, sizeof(nc->device), line, err);
	}
	if (!strcmp(key, "PROTO")) {
		nc->proto = !strcmp(v, "dhcp") || !strcmp(v, "bootp") ? NETCONF_DHCP : NETCONF_NONE;
		return 0;
	}
	if (!strcmp(key, "IPV4ADDR"))
		return set_addr(v, &nc->addr, key, line, err);
	if (!strcmp(key, "IPV4BROADCAST"))
		return set_addr(v, &nc->broadcast, key, line, err);
	if (!strcmp(key, "IPV4NETMASK")) {
		if ((rc = set_addr(v, &nc->netmask, key, line, err)) < 0)
			return rc;
		if (dhcp_mask_prefix(nc->netmask) < 0)
			return sr_fail(err, EINVAL, "line %u: IPV4NETMASK is not contiguous", line);
		nc->prefix = (uint8_t)dhcp_mask_prefix(nc->netmask);
		return 0;
	}
	if (!strcmp(key, "IPV4GATEWAY"))
		return set_addr(v, &nc->gateway, key, line, err);
	if (!strcmp(key, "IPV4DNS0") || !strcmp(key, "IPV4DNS1")) {
		unsigned i = key[7] - '0';

		if ((rc = set_addr(v, &nc->dns[i], key, line, err)) < 0)
			return rc;
		nc->ndns = nc->dns[1] ? 2 : nc->dns[0] ? 1 : 0;
		return 0;
	}
	if (!strcmp(key, "HOSTNAME"))
		return set_str(v, nc->hostname, sizeof(nc->hostname), line, err);
	if (!strcmp(key, "DNSDOMAIN"))
		return set_str(v, nc->dnsdomain, sizeof(nc->dnsdomain), line, err);
	if (!strcmp(key, "NISDOMAIN"))
		return set_str(v, nc->nisdomain, sizeof(nc->nisdomain), line, err);
	if (!strcmp(key, "ROOTSERVER"))
		return set_addr(v, &nc->rootserver, key, line, err);
	if (!strcmp(key, "ROOTPATH"))
		return set_str(v, nc->rootpath, sizeof(nc->rootpath), line, err);
	if (!strcmp(key, "filename"))
		return set_str(v, nc->filename, sizeof(nc->filename), line, err);
	if (!strcmp(key, "DOMAINSEARCH"))
		return set_str(v, nc->search, sizeof(nc->search), line, err);
	if (!strcmp(key, "UPTIME")) {
		if ((rc = set_num(v, 0x7fffffffUL, &n, key, line, err)) < 0)
			return rc;
		nc->uptime = (long)n;
		return 0;
	}
	if (!strcmp(key, "DHCPLEASETIME")) {
		if ((rc = set_num(v, 0xffffffffUL, &n, key, line, err)) < 0)
			return rc;
		nc->lease = (uint32_t)n;
		return 0;
	}
	if (!strncmp(key, "IPV4ROUTE", 9))
		return set_route(nc, key, v, line, err);
	return 0;
}

int netconf_parse(const char *text, size_t len, struct netconf *nc, struct sr_error *err)
{
	const char *p = text, *end = text + len;
	char key[32], val[DHCP_LONG_STR_MAX];
	unsigned line = 0;
	int rc;

	memset(nc, 0, sizeof(*nc));
	while (p < end) {
		size_t k;

		line++;
		if (*p == '\n' || *p == '#') {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			p = nl ? nl + 1 : end;
			continue;
		}
		for (k = 0; p + k < end && k < sizeof(key) &&
			    ((p[k] >= 'A' && p[k] <= 'Z') || (p[k] >= 'a' && p[k] <= 'z') ||
			     (k && p[k] >= '0' && p[k] <= '9') || p[k] == '_'); k++)
			;
		if (k == 0 || k == sizeof(key) || p + k == end || p[k] != '=')
			return sr_fail(err, EINVAL, "line %u: not KEY=VALUE", line);
		memcpy(key, p, k);
		key[k] = '\0';
		p += k + 1;
		if ((rc = unquote(&p, end, val, sizeof(val), line, err)) < 0 ||
		    (rc = set_key(nc, key, val, line, err)) < 0)
			return rc;
		if (p < end)
			p++;	/* the newline */
	}
	for (unsigned i = 0; i < nc->nroutes; i++)
		nc->route[i].dst &= dhcp_prefix_mask(nc->route[i].prefix);
	return 0;
}

int netconf_scan(const char *dir,
		 int (*fn)(void *ctx, const char *path, const struct netconf *nc, long mtime),
		 void *ctx)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return 0;
	while (rc == 0 && (e = readdir(d))) {
		size_t n = strlen(e->d_name), len;
		char path[PATH_MAX], *buf;
		struct netconf nc;
		struct stat st;

		if (!(!strncmp(e->d_name, "net-", 4) && n >= 10) &&
		    !(!strncmp(e->d_name, "net6-", 5) && n >= 11))
			continue;
		if (strcmp(e->d_name + n - 5, ".conf"))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || file_read(path, NETCONF_FILE_MAX, &buf, &len) < 0)
			continue;
		if (netconf_parse(buf, len, &nc, NULL) == 0)
			rc = fn(ctx, path, &nc, (long)st.st_mtime);
		free(buf);
	}
	closedir(d);
	return rc;
}
