/* SPDX-License-Identifier: GPL-2.0-only */
/* sanroot-net --keep-lease: the lease keeper, a process that outlives the initramfs. */
#ifndef SANROOT_NET_KEEP_H
#define SANROOT_NET_KEEP_H

#include <stdint.h>
#include <sys/types.h>

#include "net/dhcp_client.h"
#include "net/netdev.h"

#define KEEP_MAX_LEASES 4

/* A lease to keep: the bound client, and the address it put on the interface. */
struct keep_lease {
	struct dhcp_client c;
	int ifindex;
	char ifname[NETDEV_NAME_MAX];
	uint8_t prefix;
	uint32_t broadcast;
};

/*
 * Start the keeper for leases[0..n): a process that renews each lease for as
 * long as no other DHCP client serves its interface (lib/net/dhcp_peer.h),
 * stands by while one does, and never takes the address away. Returns its
 * pid, or -1 after saying why.
 */
pid_t keep_start(const struct keep_lease *leases, unsigned n);

#endif
