// SPDX-License-Identifier: GPL-2.0-only
/* host:port and [IPv6]:port, written and read (RFC 3986 §3.2.2). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/hostport.h"

void hostport_format(const struct hostport *hp, char *buf, size_t len)
{
	if (strchr(hp->host, ':'))
		snprintf(buf, len, "[%s]:%u", hp->host, hp->port);
	else
		snprintf(buf, len, "%s:%u", hp->host, hp->port);
}

static int parse_port(const char *s, uint16_t *port, struct sr_error *err)
{
	unsigned long v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 5)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		goto bad;
	*port = (uint16_t)v;
	return 0;
bad:
	return sr_fail(err, EINVAL, "port '%.16s' is not a number from 1 to 65535", s);
}

int hostport_parse(const char *v, uint16_t default_port, struct hostport *hp, struct sr_error *err)
{
	const char *port = NULL;
	size_t hl;

	memset(hp, 0, sizeof(*hp));
	if (*v == '[') {
		const char *close = strchr(v, ']');

		if (!close || (close[1] && close[1] != ':'))
			return sr_fail(err, EINVAL, "'%.64s': an IPv6 portal needs the form [address]:port", v);
		hl = (size_t)(close - v - 1);
		v++;
		if (close[1] == ':')
			port = close + 2;
	} else {
		const char *colon = strchr(v, ':');

		if (colon && strchr(colon + 1, ':')) {
			hl = strlen(v);	/* a bare IPv6 address */
		} else {
			hl = colon ? (size_t)(colon - v) : strlen(v);
			if (colon)
				port = colon + 1;
		}
	}
	if (hl == 0)
		return sr_fail(err, EINVAL, "portal has no address");
	if (hl >= sizeof(hp->host))
		return sr_fail(err, ENAMETOOLONG, "the portal address is %zu bytes long, at most %zu allowed",
			       hl, sizeof(hp->host) - 1);
	memcpy(hp->host, v, hl);
	hp->host[hl] = '\0';
	if (!port) {
		hp->port = default_port;
		return 0;
	}
	return parse_port(port, &hp->port, err);
}

bool hostport_link_local(const struct hostport *hp, const char **zone)
{
	const char *pct = strchr(hp->host, '%');
	size_t n = pct ? (size_t)(pct - hp->host) : strlen(hp->host);
	char addr[INET6_ADDRSTRLEN];
	struct in6_addr a;

	if (n >= sizeof(addr))
		return false;
	memcpy(addr, hp->host, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET6, addr, &a) != 1 || !IN6_IS_ADDR_LINKLOCAL(&a))
		return false;
	*zone = pct ? pct + 1 : "";
	return true;
}

bool hostport_take_zone(struct hostport *hp, const struct hostport *from)
{
	const char *zone, *from_zone;
	size_t n = strlen(hp->host);

	if (!hostport_link_local(hp, &zone) || *zone || !hostport_link_local(from, &from_zone) ||
	    !*from_zone || n + 1 + strlen(from_zone) >= sizeof(hp->host))
		return false;
	snprintf(hp->host + n, sizeof(hp->host) - n, "%%%s", from_zone);
	return true;
}
