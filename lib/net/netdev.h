/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Network interfaces through rtnetlink (libnl-3 route): listing, link up,
 * renaming, MTU, VLANs (802.1Q), IPv4 and IPv6 addresses and routes, link
 * events, and what the kernel learnt from router advertisements (RFC 4861).
 */
#ifndef SANROOT_NETDEV_H
#define SANROOT_NETDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define NETDEV_NAME_MAX 16	/* IFNAMSIZ */
#define NETDEV_MAX      64

struct nl_msg;
struct nl_sock;

struct netdev {
	int ifindex;
	char name[NETDEV_NAME_MAX];
	uint8_t mac[6];
	bool ether;			/* ARPHRD_ETHER with a 6-byte address */
	unsigned flags;			/* IFF_* */
	bool carrier;			/* the driver's carrier (not the operstate) */
	unsigned mtu;
	char kind[16];			/* rtnetlink's IFLA_INFO_KIND: "vlan", "veth", "" */
};

struct netdev_ctx {
	struct nl_sock *sk;		/* requests */
	struct nl_sock *ev;		/* link and address notifications, once asked for */
	struct nl_msg *keep;		/* see netdev_open() */
};

int netdev_open(struct netdev_ctx *nx, struct sr_error *err);
void netdev_close(struct netdev_ctx *nx);

/* Every interface, in ifindex order. */
int netdev_list(struct netdev_ctx *nx, struct netdev *out, unsigned max, unsigned *n,
		struct sr_error *err);
/* One interface by name; -ENODEV when there is none. */
int netdev_get(struct netdev_ctx *nx, const char *name, struct netdev *out, struct sr_error *err);

int netdev_up(struct netdev_ctx *nx, const struct netdev *d, struct sr_error *err);
/* Rename a down interface (udev's and dracut's ifname=). */
int netdev_rename(struct netdev_ctx *nx, const struct netdev *d, const char *name,
		  struct sr_error *err);
int netdev_set_mtu(struct netdev_ctx *nx, const struct netdev *d, unsigned mtu,
		   struct sr_error *err);
/* Create an 802.1Q interface called name on parent; an existing one with the same id is kept. */
int netdev_add_vlan(struct netdev_ctx *nx, const struct netdev *parent, uint16_t id,
		    const char *name, struct sr_error *err);

/* Add (or replace) addr/prefix with its broadcast address; host byte order. */
int netdev_add_addr(struct netdev_ctx *nx, int ifindex, uint32_t addr, uint8_t prefix,
		    uint32_t broadcast, struct sr_error *err);
/*
 * Add (or replace) a route in the main table: to dst/prefix via gateway (0:
 * on-link). onlink marks a gateway outside every subnet the interface has.
 * dhcp selects the protocol the route is marked with (dhcp or static).
 */
int netdev_add_route(struct netdev_ctx *nx, int ifindex, uint32_t dst, uint8_t prefix,
		     uint32_t gateway, bool onlink, bool dhcp, struct sr_error *err);

/*
 * Wait up to timeout_ms for a change to any link (or IPv4 address). The first call only
 * subscribes and returns 0 at once: the caller looks again, then waits, so
 * no change between its look and the subscription is missed. Returns 1
 * after a change, 0 on timeout, or a negative errno.
 */
int netdev_wait(struct netdev_ctx *nx, int timeout_ms, struct sr_error *err);

/*
 * A descriptor that becomes readable on a change to any link or IPv4
 * address, for the caller's own poll() (netdev_wait() shares it); the events
 * only say "look again". netdev_events_drain() empties it.
 */
int netdev_events_fd(struct netdev_ctx *nx, struct sr_error *err);
void netdev_events_drain(struct netdev_ctx *nx);

/* Whether ifindex has the IPv4 address addr (host byte order): 1, 0, or a negative errno. */
int netdev_has_addr(struct netdev_ctx *nx, int ifindex, uint32_t addr, struct sr_error *err);

/* IPv6 ---------------------------------------------------------------------- */

struct netdev_addr6 {
	uint8_t addr[16];
	uint8_t prefix;
	bool link_local;		/* scope link (fe80::/10) */
	bool tentative;			/* IFA_F_TENTATIVE: duplicate address detection runs */
	bool dad_failed;		/* IFA_F_DADFAILED: someone else has it */
	uint32_t preferred, valid;	/* seconds left; 0xffffffff: forever */
};

/* The IPv6 addresses of ifindex (at most max). */
int netdev_list_addr6(struct netdev_ctx *nx, int ifindex, struct netdev_addr6 *out, unsigned max,
		      unsigned *n, struct sr_error *err);

/*
 * Add (or replace) addr/prefix with its lifetimes (seconds, 0xffffffff:
 * forever); the kernel runs duplicate address detection on it.
 */
int netdev_add_addr6(struct netdev_ctx *nx, int ifindex, const uint8_t addr[16], uint8_t prefix,
		     uint32_t preferred, uint32_t valid, struct sr_error *err);

/* What the kernel holds from router advertisements (the inet6 link flags). */
enum netdev_ra {
	NETDEV_RS_SENT = 0x10,		/* a router solicitation went out */
	NETDEV_RA_RCVD = 0x20,		/* a router advertisement came */
	NETDEV_RA_MANAGED = 0x40,	/* its M flag: addresses from DHCPv6 */
	NETDEV_RA_OTHER = 0x80,		/* its O flag: other configuration from DHCPv6 */
};
int netdev_ra_flags(struct netdev_ctx *nx, int ifindex, unsigned *flags, struct sr_error *err);

/* Add (or replace) the IPv6 route to dst/prefix via gateway (NULL: on-link), marked static. */
int netdev_add_route6(struct netdev_ctx *nx, int ifindex, const uint8_t dst[16], uint8_t prefix,
		      const uint8_t *gateway, struct sr_error *err);

/* The gateway of ifindex's IPv6 default route (the router's link-local address): 1, 0, or -errno. */
int netdev_default_gw6(struct netdev_ctx *nx, int ifindex, uint8_t gw[16], struct sr_error *err);

/*
 * Let the kernel autoconfigure name from router advertisements
 * (net.ipv6.conf.NAME: disable_ipv6 0, accept_ra at least 1, autoconf 1).
 */
int netdev_ipv6_autoconf(const char *name, struct sr_error *err);

/* Choices over a list (pure) --------------------------------------------- */

/* An interface DHCP can run on: Ethernet, broadcast, not loopback, not a bridge, bond or VLAN. */
bool netdev_candidate(const struct netdev *d);
/* The candidate with this MAC (VLANs and bridges share their parent's: skipped), or -1. */
int netdev_find_mac(const struct netdev *l, unsigned n, const uint8_t mac[6]);
int netdev_find_name(const struct netdev *l, unsigned n, const char *name);
/* The candidate with carrier and the lowest ifindex, or -1. */
int netdev_first_carrier(const struct netdev *l, unsigned n);

#endif
