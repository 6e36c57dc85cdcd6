/* SPDX-License-Identifier: GPL-2.0-only */
/* A host and a port, and their one text form: host:port, [IPv6]:port (RFC 3986 §3.2.2). */
#ifndef SANROOT_CORE_HOSTPORT_H
#define SANROOT_CORE_HOSTPORT_H

#include <stdbool.h>
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

/*
 * An IPv6 link-local address (fe80::/10), which means something on one link
 * only: *zone points to its zone ("eth0" of fe80::1%eth0), or to "" when it
 * names none. false for anything else, names included.
 */
bool hostport_link_local(const struct hostport *hp, const char **zone);

/*
 * A link-local hp without a zone takes from's zone when from is link-local
 * with one (an answer about the link we came by). true when it did.
 */
bool hostport_take_zone(struct hostport *hp, const struct hostport *from);

#endif
