/* SPDX-License-Identifier: GPL-2.0-only */
/* A host and a port, and their one text form: host:port, [IPv6]:port (RFC 3986 §3.2.2). */
#ifndef SANROOT_CORE_HOSTPORT_H
#define SANROOT_CORE_HOSTPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define HOSTPORT_HOST_MAX 256			/* a DNS name (253) or an address */
#define HOSTPORT_TEXT_MAX (HOSTPORT_HOST_MAX + 8)	/* brackets, ':', five digits, NUL */

struct hostport {
	char host[HOSTPORT_HOST_MAX];	/* IPv4, IPv6 without brackets (zone kept), or a name */
	uint16_t port;
};

/* "host:port", or "[host]:port" when the host is an IPv6 address. */
void hostport_format(const struct hostport *hp, char *buf, size_t len);

/*
 * Parse HOST, HOST:PORT, [IPv6], [IPv6]:PORT or a bare IPv6 address (more
 * than one ':', no port). Without a port of its own, hp->port is default_port.
 */
int hostport_parse(const char *v, uint16_t default_port, struct hostport *hp, struct sr_error *err);

#endif
