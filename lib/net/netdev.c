// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interfaces, addresses and routes through libnl-3's route library
 * (rtnetlink, rtnetlink(7)); nothing here builds a netlink message by hand.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "net/netdev.h"

#ifndef RTPROT_DHCP
#define RTPROT_DHCP 16
#endif

/* libnl's codes are its own; keep the few a caller can act on. */
static int nl_errno(int rc)
{
	switch (-rc) {
	case NLE_EXIST: return EEXIST;
	case NLE_OBJ_NOTFOUND: case NLE_NODEV: return ENODEV;
	case NLE_PERM: return EPERM;
	case NLE_OPNOTSUPP: return EOPNOTSUPP;
	case NLE_NOMEM: return ENOMEM;
	case NLE_INVAL: return EINVAL;
	case NLE_BUSY: return EBUSY;
	default: return EIO;
	}
}

static int nl_fail(struct sr_error *err, int rc, const char *what)
{
	return sr_fail(err, nl_errno(rc), "%s: %s", what, nl_geterror(rc));
}

int netdev_open(struct netdev_ctx *nx, struct sr_error *err)
{
	int rc;

	nx->ev = NULL;
	nx->keep = NULL;
	if (!(nx->sk = nl_socket_alloc()))
		return sr_fail(err, ENOMEM, "allocating a netlink socket");
	if ((rc = nl_connect(nx->sk, NETLINK_ROUTE)) < 0) {
		nl_socket_free(nx->sk);
		nx->sk = NULL;
		return nl_fail(err, rc, "connecting to rtnetlink");
	}
	/*
	 * Replies start in a page, the size of the requests libnl builds, so
	 * both come from one size class; longer ones are peeked at and read
	 * whole. musl's allocator unmaps a size class's memory once its last
	 * block is freed, and every request frees both: one message kept for
	 * the context's life saves an mmap and a munmap per request.
	 */
	nl_socket_set_msg_buf_size(nx->sk, 4096);
	nx->keep = nlmsg_alloc();
	return 0;
}

void netdev_close(struct netdev_ctx *nx)
{
	nlmsg_free(nx->keep);
	nx->keep = NULL;
	nl_socket_free(nx->ev);
	nl_socket_free(nx->sk);
	nx->ev = nx->sk = NULL;
}

static void from_link(struct rtnl_link *l, struct netdev *d)
{
	struct nl_addr *a = rtnl_link_get_addr(l);
	const char *kind = rtnl_link_get_type(l), *name = rtnl_link_get_name(l);

	memset(d, 0, sizeof(*d));
	d->ifindex = rtnl_link_get_ifindex(l);
	snprintf(d->name, sizeof(d->name), "%s", name ? name : "");
	snprintf(d->kind, sizeof(d->kind), "%s", kind ? kind : "");
	d->flags = rtnl_link_get_flags(l);
	/*
	 * Carrier alone, not IFF_RUNNING: that flag follows the operstate, which
	 * linkwatch may set up to a second after the carrier event (the 0.85 s a
	 * boot used to wait here). The transmit queue is active before: at link-up
	 * when carrier is there already, at linkwatch's first run otherwise; and the
	 * DHCP socket does not go through it (dhcp_sock.c).
	 */
	d->carrier = rtnl_link_get_carrier(l) != 0;
	d->mtu = rtnl_link_get_mtu(l);
	if (rtnl_link_get_arptype(l) == ARPHRD_ETHER && a && nl_addr_get_len(a) == 6) {
		memcpy(d->mac, nl_addr_get_binary_addr(a), 6);
		d->ether = true;
	}
}

int netdev_list(struct netdev_ctx *nx, struct netdev *out, unsigned max, unsigned *n,
		struct sr_error *err)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int rc;

	*n = 0;
	if ((rc = rtnl_link_alloc_cache(nx->sk, AF_UNSPEC, &cache)) < 0)
		return nl_fail(err, rc, "listing interfaces");
	for (o = nl_cache_get_first(cache); o && *n < max; o = nl_cache_get_next(o))
		from_link((struct rtnl_link *)o, &out[(*n)++]);
	nl_cache_free(cache);

	/* The cache is a hash; callers want a stable order. */
	for (unsigned i = 1; i < *n; i++)
		for (unsigned j = i; j > 0 && out[j - 1].ifindex > out[j].ifindex; j--) {
			struct netdev t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return 0;
}

int netdev_get(struct netdev_ctx *nx, const char *name, struct netdev *out, struct sr_error *err)
{
	struct rtnl_link *l;
	int rc;

	if ((rc = rtnl_link_get_kernel(nx->sk, 0, name, &l)) < 0) {
		if (nl_errno(rc) == ENODEV)
			return sr_fail(err, ENODEV, "no interface %s", name);
		return nl_fail(err, rc, name);
	}
	from_link(l, out);
	rtnl_link_put(l);
	return 0;
}

/* Apply the fields set in change to d's link. */
static int change(struct netdev_ctx *nx, const struct netdev *d, struct rtnl_link *chg,
		  const char *what, struct sr_error *err)
{
	struct rtnl_link *orig;
	int rc;

	if ((rc = rtnl_link_get_kernel(nx->sk, d->ifindex, NULL, &orig)) < 0) {
		rtnl_link_put(chg);
		return nl_fail(err, rc, d->name);
	}
	rc = rtnl_link_change(nx->sk, orig, chg, 0);
	rtnl_link_put(orig);
	rtnl_link_put(chg);
	return rc < 0 ? nl_fail(err, rc, what) : 0;
}

int netdev_up(struct netdev_ctx *nx, const struct netdev *d, struct sr_error *err)
{
	struct rtnl_link *chg;

	if (d->flags & IFF_UP)
		return 0;
	if (!(chg = rtnl_link_alloc()))
		return sr_fail(err, ENOMEM, "allocating a link");
	rtnl_link_set_flags(chg, IFF_UP);
	return change(nx, d, chg, "bringing the link up", err);
}

int netdev_rename(struct netdev_ctx *nx, const struct netdev *d, const char *name,
		  struct sr_error *err)
{
	struct rtnl_link *chg;

	if (!(chg = rtnl_link_alloc()))
		return sr_fail(err, ENOMEM, "allocating a link");
	rtnl_link_set_name(chg, name);
	return change(nx, d, chg, "renaming", err);
}

int netdev_set_mtu(struct netdev_ctx *nx, const struct netdev *d, unsigned mtu,
		   struct sr_error *err)
{
	struct rtnl_link *chg;

	if (d->mtu == mtu)
		return 0;
	if (!(chg = rtnl_link_alloc()))
		return sr_fail(err, ENOMEM, "allocating a link");
	rtnl_link_set_mtu(chg, mtu);
	return change(nx, d, chg, "setting the MTU", err);
}

int netdev_add_vlan(struct netdev_ctx *nx, const struct netdev *parent, uint16_t id,
		    const char *name, struct sr_error *err)
{
	struct rtnl_link *l, *old;
	int rc;

	if (!(l = rtnl_link_vlan_alloc()))
		return sr_fail(err, ENOMEM, "allocating a VLAN link");
	rtnl_link_set_name(l, name);
	rtnl_link_set_link(l, parent->ifindex);
	if ((rc = rtnl_link_vlan_set_id(l, id)) < 0) {
		rtnl_link_put(l);
		return nl_fail(err, rc, "setting the VLAN id");
	}
	rc = rtnl_link_add(nx->sk, l, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(l);
	if (rc == 0)
		return 0;
	if (nl_errno(rc) == EOPNOTSUPP)
		return sr_fail_why(err, EOPNOTSUPP, SR_R_NO_VLAN,
				   "the kernel cannot make VLAN interfaces (is the 8021q module loaded?)");
	if (nl_errno(rc) != EEXIST)
		return nl_fail(err, rc, "creating the VLAN interface");

	/* Already there (a second run): fine if it is the same VLAN on the same parent. */
	if ((rc = rtnl_link_get_kernel(nx->sk, 0, name, &old)) < 0)
		return nl_fail(err, rc, name);
	rc = rtnl_link_is_vlan(old) && rtnl_link_vlan_get_id(old) == id &&
	     rtnl_link_get_link(old) == parent->ifindex;
	rtnl_link_put(old);
	if (!rc)
		return sr_fail(err, EEXIST, "%s exists and is not VLAN %u on %s", name, id,
			       parent->name);
	return 0;
}

static struct nl_addr *v4(uint32_t a, uint8_t prefix)
{
	uint32_t be = htonl(a);
	struct nl_addr *n = nl_addr_build(AF_INET, &be, 4);

	if (n)
		nl_addr_set_prefixlen(n, prefix);
	return n;
}

int netdev_add_addr(struct netdev_ctx *nx, int ifindex, uint32_t addr, uint8_t prefix,
		    uint32_t broadcast, struct sr_error *err)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = v4(addr, prefix), *bcast = broadcast ? v4(broadcast, 32) : NULL;
	int rc;

	if (!ra || !local || (broadcast && !bcast)) {
		rc = sr_fail(err, ENOMEM, "allocating an address");
		goto out;
	}
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	if ((rc = rtnl_addr_set_local(ra, local)) < 0 ||
	    (bcast && (rc = rtnl_addr_set_broadcast(ra, bcast)) < 0) ||
	    (rc = rtnl_addr_add(nx->sk, ra, NLM_F_REPLACE)) < 0)
		rc = nl_fail(err, rc, "adding the address");
out:
	nl_addr_put(bcast);
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return rc;
}

/*
 * A unicast route in the main table to d (its prefix length set) through the
 * interface, via gw if not NULL; d and gw are the caller's, and put here.
 * scope < 0: the kernel's default (IPv6 has no scopes for routes).
 */
static int add_route(struct netdev_ctx *nx, int ifindex, int family, struct nl_addr *d,
		     struct nl_addr *gw, bool gw_wanted, int proto, int scope, bool onlink,
		     struct sr_error *err)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	int rc;

	if (!r || !nh || !d || (gw_wanted && !gw)) {
		rc = sr_fail(err, ENOMEM, "allocating a route");
		rtnl_route_nh_free(nh);
		goto out;
	}
	rtnl_route_set_family(r, (uint8_t)family);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, (uint8_t)proto);
	if (scope >= 0)
		rtnl_route_set_scope(r, (uint8_t)scope);
	rtnl_route_set_type(r, RTN_UNICAST);
	if ((rc = rtnl_route_set_dst(r, d)) < 0) {
		rtnl_route_nh_free(nh);
		rc = nl_fail(err, rc, "setting the route's destination");
		goto out;
	}
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gw)
		rtnl_route_nh_set_gateway(nh, gw);
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	rtnl_route_add_nexthop(r, nh);
	if ((rc = rtnl_route_add(nx->sk, r, NLM_F_REPLACE)) < 0)
		rc = nl_fail(err, rc, "adding the route");
out:
	nl_addr_put(gw);
	nl_addr_put(d);
	rtnl_route_put(r);
	return rc;
}

int netdev_add_route(struct netdev_ctx *nx, int ifindex, uint32_t dst, uint8_t prefix,
		     uint32_t gateway, bool onlink, bool dhcp, struct sr_error *err)
{
	return add_route(nx, ifindex, AF_INET, v4(dst, prefix), gateway ? v4(gateway, 32) : NULL,
			 gateway != 0, dhcp ? RTPROT_DHCP : RTPROT_STATIC,
			 gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK, onlink, err);
}

static int subscribe(struct netdev_ctx *nx, struct sr_error *err)
{
	int rc;

	if (!(nx->ev = nl_socket_alloc()))
		return sr_fail(err, ENOMEM, "allocating a netlink socket");
	nl_socket_disable_seq_check(nx->ev);
	if ((rc = nl_connect(nx->ev, NETLINK_ROUTE)) < 0 ||
	    (rc = nl_socket_add_memberships(nx->ev, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
					    RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_IFINFO, 0)) < 0 ||
	    (rc = nl_socket_set_nonblocking(nx->ev)) < 0) {
		nl_socket_free(nx->ev);
		nx->ev = NULL;
		return nl_fail(err, rc, "subscribing to link and address events");
	}
	return 0;
}

int netdev_wait(struct netdev_ctx *nx, int timeout_ms, struct sr_error *err)
{
	struct pollfd p = { .events = POLLIN };
	int n;

	if (!nx->ev)
		return subscribe(nx, err);
	p.fd = nl_socket_get_fd(nx->ev);
	n = poll(&p, 1, timeout_ms);
	if (n < 0 && errno != EINTR)
		return sr_fail(err, errno, "waiting for link events: %s", strerror(errno));
	if (n <= 0)
		return 0;
	netdev_events_drain(nx);
	return 1;
}

int netdev_events_fd(struct netdev_ctx *nx, struct sr_error *err)
{
	int rc;

	if (!nx->ev && (rc = subscribe(nx, err)) < 0)
		return rc;
	return nl_socket_get_fd(nx->ev);
}

void netdev_events_drain(struct netdev_ctx *nx)
{
	char buf[8192];

	/* The events only say "look again"; netdev_get() reads the truth. ENOBUFS too. */
	if (nx->ev)
		while (recv(nl_socket_get_fd(nx->ev), buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
}

int netdev_has_addr(struct netdev_ctx *nx, int ifindex, uint32_t addr, struct sr_error *err)
{
	uint32_t be = htonl(addr);
	struct nl_cache *cache;
	struct nl_object *o;
	int rc, found = 0;

	if ((rc = rtnl_addr_alloc_cache(nx->sk, &cache)) < 0)
		return nl_fail(err, rc, "listing the addresses");
	for (o = nl_cache_get_first(cache); o && !found; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *l = rtnl_addr_get_local(ra);

		found = rtnl_addr_get_ifindex(ra) == ifindex && rtnl_addr_get_family(ra) == AF_INET &&
			l && nl_addr_get_len(l) == 4 && !memcmp(nl_addr_get_binary_addr(l), &be, 4);
	}
	nl_cache_free(cache);
	return found;
}

/* IPv6 ---------------------------------------------------------------------- */

int netdev_list_addr6(struct netdev_ctx *nx, int ifindex, struct netdev_addr6 *out, unsigned max,
		      unsigned *n, struct sr_error *err)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int rc;

	*n = 0;
	if ((rc = rtnl_addr_alloc_cache(nx->sk, &cache)) < 0)
		return nl_fail(err, rc, "listing the addresses");
	for (o = nl_cache_get_first(cache); o && *n < max; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *l = rtnl_addr_get_local(ra);
		struct netdev_addr6 *a = &out[*n];
		unsigned flags = rtnl_addr_get_flags(ra);

		if (rtnl_addr_get_ifindex(ra) != ifindex || rtnl_addr_get_family(ra) != AF_INET6 ||
		    !l || nl_addr_get_len(l) != 16)
			continue;
		memset(a, 0, sizeof(*a));
		memcpy(a->addr, nl_addr_get_binary_addr(l), 16);
		a->prefix = (uint8_t)rtnl_addr_get_prefixlen(ra);
		a->link_local = rtnl_addr_get_scope(ra) == RT_SCOPE_LINK;
		a->tentative = flags & IFA_F_TENTATIVE;
		a->dad_failed = flags & IFA_F_DADFAILED;
		a->preferred = rtnl_addr_get_preferred_lifetime(ra);
		a->valid = rtnl_addr_get_valid_lifetime(ra);
		(*n)++;
	}
	nl_cache_free(cache);
	return 0;
}

int netdev_add_addr6(struct netdev_ctx *nx, int ifindex, const uint8_t addr[16], uint8_t prefix,
		     uint32_t preferred, uint32_t valid, struct sr_error *err)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(AF_INET6, addr, 16);
	int rc;

	if (!ra || !local) {
		rc = sr_fail(err, ENOMEM, "allocating an address");
		goto out;
	}
	nl_addr_set_prefixlen(local, prefix);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET6);
	rtnl_addr_set_valid_lifetime(ra, valid);
	rtnl_addr_set_preferred_lifetime(ra, preferred);
	if ((rc = rtnl_addr_set_local(ra, local)) < 0 ||
	    (rc = rtnl_addr_add(nx->sk, ra, NLM_F_REPLACE)) < 0)
		rc = nl_fail(err, rc, "adding the address");
out:
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return rc;
}

int netdev_ra_flags(struct netdev_ctx *nx, int ifindex, unsigned *flags, struct sr_error *err)
{
	struct rtnl_link *l;
	uint32_t f = 0;
	int rc;

	*flags = 0;
	if ((rc = rtnl_link_get_kernel(nx->sk, ifindex, NULL, &l)) < 0)
		return nl_fail(err, rc, "reading the link");
	/* No inet6 data: IPv6 is off on the link, nothing came. */
	if (rtnl_link_inet6_get_flags(l, &f) == 0)
		*flags = f;
	rtnl_link_put(l);
	return 0;
}

int netdev_add_route6(struct netdev_ctx *nx, int ifindex, const uint8_t dst[16], uint8_t prefix,
		      const uint8_t *gateway, struct sr_error *err)
{
	struct nl_addr *d = nl_addr_build(AF_INET6, dst, 16);

	if (d)
		nl_addr_set_prefixlen(d, prefix);
	return add_route(nx, ifindex, AF_INET6, d, gateway ? nl_addr_build(AF_INET6, gateway, 16) : NULL,
			 gateway != NULL, RTPROT_STATIC, -1, false, err);
}

int netdev_default_gw6(struct netdev_ctx *nx, int ifindex, uint8_t gw[16], struct sr_error *err)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int rc, found = 0;

	if ((rc = rtnl_route_alloc_cache(nx->sk, AF_INET6, 0, &cache)) < 0)
		return nl_fail(err, rc, "listing the routes");
	for (o = nl_cache_get_first(cache); o && !found; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(r);
		struct rtnl_nexthop *nh;
		struct nl_addr *g;

		if (rtnl_route_get_table(r) != RT_TABLE_MAIN || !dst || nl_addr_get_prefixlen(dst) ||
		    rtnl_route_get_nnexthops(r) < 1)
			continue;
		nh = rtnl_route_nexthop_n(r, 0);
		g = rtnl_route_nh_get_gateway(nh);
		if (rtnl_route_nh_get_ifindex(nh) == ifindex && g && nl_addr_get_len(g) == 16) {
			memcpy(gw, nl_addr_get_binary_addr(g), 16);
			found = 1;
		}
	}
	nl_cache_free(cache);
	return found;
}

static int write_sysctl(const char *name, const char *key, const char *value, bool at_least)
{
	char path[96], cur[16] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", name, key);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return -errno;
	if (at_least && (n = read(fd, cur, sizeof(cur) - 1)) > 0 && cur[0] >= value[0] &&
	    cur[0] <= '9') {
		close(fd);
		return 0;
	}
	n = pwrite(fd, value, strlen(value), 0);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return 0;
}

int netdev_ipv6_autoconf(const char *name, struct sr_error *err)
{
	static const struct { const char *key, *value; bool at_least; } set[] = {
		{ "disable_ipv6", "0", false },
		{ "accept_ra", "1", true },	/* 2 (even when forwarding) stays */
		{ "autoconf", "1", false },
	};
	int rc;

	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if ((rc = write_sysctl(name, set[i].key, set[i].value, set[i].at_least)) < 0)
			return sr_fail(err, -rc, "setting net.ipv6.conf.%s.%s to %s: %s", name,
				       set[i].key, set[i].value, strerror(-rc));
	return 0;
}

/* Choices ------------------------------------------------------------------- */

static bool virtual_kind(const char *kind)
{
	static const char *const skip[] = {
		"vlan", "macvlan", "macvtap", "ipvlan", "bridge", "bond", "team", "vrf", "dummy",
		"ifb",
	};

	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(kind, skip[i]))
			return true;
	return false;
}

bool netdev_candidate(const struct netdev *d)
{
	return d->ether && !(d->flags & IFF_LOOPBACK) && (d->flags & IFF_BROADCAST) &&
	       !virtual_kind(d->kind);
}

int netdev_find_mac(const struct netdev *l, unsigned n, const uint8_t mac[6])
{
	for (unsigned i = 0; i < n; i++)
		if (netdev_candidate(&l[i]) && !memcmp(l[i].mac, mac, 6))
			return (int)i;
	return -1;
}

int netdev_find_name(const struct netdev *l, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(l[i].name, name))
			return (int)i;
	return -1;
}

int netdev_first_carrier(const struct netdev *l, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (netdev_candidate(&l[i]) && (l[i].flags & IFF_UP) && l[i].carrier)
			return (int)i;
	return -1;
}
