/* SPDX-License-Identifier: GPL-2.0-only */
/* sanroot-net --keep-lease: the lease keeper, a process that outlives the initramfs. */
#ifndef SANROOT_NET_KEEP_H
#define SANROOT_NET_KEEP_H

#include <stdint.h>
#include <sys/types.h>

#include "net/dhcp6.h"
#include "net/dhcp_client.h"
#include "net/netconf.h"
#include "net/netdev.h"

#define KEEP_MAX_LEASES 4

/* A lease to keep: the bound client, and what sanroot-net configured from it. */
struct keep_lease {
	struct dhcp_client c;
	int ifindex;
	char ifname[NETDEV_NAME_MAX];
	struct netconf nc;
};

/*
 * A DHCPv6 lease to keep (RFC 8415 §18.2.4, §18.2.5): the IA_NA's one
 * address, its timers and the server that gave it, as the Reply said.
 */
struct keep_lease6 {
	int ifindex;
	char ifname[NETDEV_NAME_MAX];
	uint8_t duid[DHCP6_DUID_LL_LEN];
	size_t duid_len;
	uint32_t iaid;
	uint8_t server_id[DHCP6_DUID_MAX];
	size_t server_id_len;
	uint8_t server[16];		/* the address it answered from */
	uint8_t addr[16];
	uint32_t t1, t2;		/* seconds; 0: ours to choose (§21.4) */
	uint32_t preferred, valid;	/* seconds; 0xffffffff: infinity */
	int64_t bound_at;		/* monotonic ms of the Reply */
};

/*
 * Add nc's routes through ifindex: option 121's, on-link ones first so that
 * the gateways behind them are reachable, else the default route via nc's
 * gateway. Returns 0, or a negative errno with the route that failed in err.
 * sanroot-net's configuration and the keeper's repair share it.
 */
int keep_routes(struct netdev_ctx *nx, int ifindex, const struct netconf *nc,
		struct sr_error *err);

/*
 * Start the keeper for leases[0..n) and leases6[0..n6): a process that
 * renews each lease for as long as no other DHCP client serves its
 * interface (lib/net/dhcp_peer.h), stands by while one does, and never takes
 * the address away: when anyone else takes it (or the link) away, the
 * keeper puts it back. Its name is "@sanroot-lease" (over argc/argv), which
 * systemd spares. Returns its pid, 0 when no lease needs it, or -1 after
 * saying why.
 */
pid_t keep_start(const struct keep_lease *leases, unsigned n, const struct keep_lease6 *leases6,
		 unsigned n6, int argc, char **argv);

#endif
