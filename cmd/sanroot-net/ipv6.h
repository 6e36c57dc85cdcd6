/* SPDX-License-Identifier: GPL-2.0-only */
/* sanroot-net's IPv6: SLAAC through the kernel (ip=auto6) and DHCPv6 (ip=dhcp6). */
#ifndef SANROOT_NET_IPV6_H
#define SANROOT_NET_IPV6_H

#include <stdbool.h>
#include <stdint.h>

#include "net/netconf.h"
#include "net/netdev.h"
#include "keep.h"

struct net6_opts {
	bool dhcp6;			/* ip=dhcp6; otherwise ip=auto6 */
	bool rapid_commit;		/* offer Rapid Commit in the Solicit */
	bool no_config;			/* -n: learn and write, change nothing */
	int64_t start, deadline;	/* monotonic ms */
	unsigned timeout;		/* seconds, for messages */
};

/*
 * Configure IPv6 on d (up, with carrier) before the deadline, or fail with
 * the cause named (no router advertisement, duplicate address, no DHCPv6
 * reply); nc gets what was configured. With keep, a DHCPv6 lease is
 * described there for the keeper; returns whether there was one.
 */
bool net6_configure(struct netdev_ctx *nx, const struct netdev *d, const struct net6_opts *o,
		    struct netconf6 *nc, struct keep_lease6 *keep);

/* ip=[ADDR]::[GW]:PREFIX:HOST:DEV:none, the static IPv6 form of klibc's and dracut's ip=. */
struct net6_static {
	uint8_t addr[16];
	uint8_t prefix;
	bool has_gateway;
	uint8_t gateway[16];
	uint8_t dns[2][16];
	unsigned ndns;
};

/* Add st's address (DAD waited for) and default route to d; nc gets what was configured. */
void net6_configure_static(struct netdev_ctx *nx, const struct netdev *d, const struct net6_opts *o,
			   const struct net6_static *st, struct netconf6 *nc);

#endif
