// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lease keeper (sanroot-net --keep-lease). A root on the network must
 * keep its address for as long as the machine runs, and the real root does
 * not always run a DHCP client for the boot interface (ifupdown's "manual",
 * a static configuration, none at all). So sanroot-net leaves a process that
 * renews the lease at T1 and rebinds at T2 (lib/net/dhcp_client.c), for as
 * long as no other client serves the interface. When one does (dhclient
 * started by ifup, systemd-networkd: lib/net/dhcp_peer.c), the keeper stands
 * by, looking again now and then, and takes the lease back if that client
 * goes away. Two clients never ask for one interface: the keeper looks
 * before every request it sends.
 *
 * It runs on after the switch to the real root, from the deleted initramfs:
 * /proc, /run, /dev/kmsg and the netlink socket are opened before it forks.
 * The address is never taken away: not when the lease runs out, not on a
 * NAK. After each renewal the keeper puts it back as it was configured
 * (permanent), in case another client, gone now, left it with a lifetime.
 * And when someone else takes it away (ifdown releasing the lease and
 * flushing the address, a link set down, a network manager's reload), the
 * keeper hears it from rtnetlink and puts the link, the address and the
 * routes back at once: the root's connection runs over them, and TCP
 * carries it over a second's gap where it would not survive a minute's.
 *
 * What it does shows in /run/sanroot/lease/IFACE (key=value lines: state,
 * address, server, lease, renewals, naks, by, pid), rewritten whole on every
 * change, and its notices go to the kernel log.
 *
 * A DHCPv6 lease (ip=dhcp6) is kept the same way, by RFC 8415 §18.2.4 and
 * §18.2.5: Renew to the server that gave it at T1, Rebind to any at T2,
 * Request again when the server has lost the binding (NoBinding), and the
 * address made permanent, so that the kernel never expires it under the
 * root. Another DHCPv6 client is one holding UDP port 546. Its state is in
 * /run/sanroot/lease6/IFACE.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "net/dhcp.h"
#include "net/dhcp_peer.h"
#include "net/netdev.h"
#include "../tool.h"
#include "keep.h"

/* While another client serves the interface: how often to look whether it still does. */
#define LOOK_AGAIN_MS 15000

/* RFC 8415 §7.6, ms */
#define REN_TIMEOUT 10000
#define REN_MAX_RT  600000
#define REB_TIMEOUT 10000
#define REB_MAX_RT  600000
#define REQ_TIMEOUT 1000
#define REQ_MAX_RT  30000

enum state6 { S6_BOUND, S6_RENEWING, S6_REBINDING, S6_REQUESTING };

static const char *const state6_name[] = { "bound", "renewing", "rebinding", "requesting" };

struct kept6 {
	struct keep_lease6 l;
	enum state6 state;
	int sock;			/* UDP port 546 on the interface while asking, else -1 */
	struct dhcp6_request r;		/* the message in flight */
	struct dhcp6_ia ia;		/* our address, named in it */
	int64_t began, next;		/* the exchange's start, its next transmission */
	unsigned rt, mrt;
	bool standby, expired;
	int64_t look_at;
	char who[64];
	unsigned renewals, refusals;
};

struct kept {
	struct keep_lease l;
	int sock;			/* UDP port 68 on the interface while asking, else -1 */
	bool standby;			/* another client serves the interface */
	int64_t look_at;		/* standby: when to look again */
	bool expired;			/* told that the lease ran out */
	char who[64];			/* the other client */
	unsigned renewals, naks;
	enum dhcp_state saved;		/* the client's state in the file */
};

static struct {
	struct kept k[KEEP_MAX_LEASES];
	unsigned n;
	struct kept6 k6[KEEP_MAX_LEASES];
	unsigned n6;
	struct netdev_ctx nx;
	int events;			/* link and address notifications, or -1 */
	int argc;			/* sanroot-net's arguments, renamed over */
	char **argv;
	int proc_fd, run_fd;
	pid_t self;
	uint8_t buf[DHCP_PACKET_MAX + 512];
} K;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * A UDP socket bound to sa on interface ifname, for one exchange. The kernel
 * does IP and UDP once the address is there; SO_REUSEADDR as every DHCP
 * client sets it, so that one starting meanwhile can bind too. IPv4 may
 * broadcast; IPv6 sends its multicast out of ifindex.
 */
static int udp_on(const struct sockaddr *sa, socklen_t len, const char *ifname, int ifindex)
{
	int fd, on = 1;

	fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname)) < 0 ||
	    (sa->sa_family == AF_INET ?
	     setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) :
	     setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex))) < 0 ||
	    bind(fd, sa, len) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int open_sock(const struct kept *k)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(68) };

	return udp_on((struct sockaddr *)&sa, sizeof(sa), k->l.ifname, k->l.ifindex);
}

static void close_sock(struct kept *k)
{
	if (k->sock >= 0)
		close(k->sock);
	k->sock = -1;
}

/* /run/sanroot/DIR/IFACE, whole: written beside it, then renamed over it. */
static void write_state(const char *dir, const char *ifname, const char *text, int n)
{
	char path[64], tmp[64];
	int fd;

	if (K.run_fd < 0 || n < 0)
		return;
	mkdirat(K.run_fd, "sanroot", 0755);
	snprintf(path, sizeof(path), "sanroot/%s", dir);
	mkdirat(K.run_fd, path, 0755);
	snprintf(path, sizeof(path), "sanroot/%s/%s", dir, ifname);
	snprintf(tmp, sizeof(tmp), "sanroot/%s/.%s.tmp", dir, ifname);
	fd = openat(K.run_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, text, (size_t)n) != n || close(fd) < 0 || renameat(K.run_fd, tmp, K.run_fd, path) < 0)
		unlinkat(K.run_fd, tmp, 0);
}

static void save(struct kept *k, const char *state)
{
	char text[512], a[16], s[16];
	int n;

	n = snprintf(text, sizeof(text),
		     "state=%s\naddress=%s/%u\nserver=%s\nlease=%u\nrenewals=%u\nnaks=%u\nby=%s\npid=%ld\n",
		     state ? state : k->standby ? "standby" : k->expired ? "expired" :
		     dhcp_state_name(k->l.c.state), dhcp_ntoa(k->l.c.lease.yiaddr, a), k->l.nc.prefix,
		     dhcp_ntoa(k->l.c.server, s), k->l.c.lease.lease, k->renewals, k->naks,
		     k->standby ? k->who : "sanroot", (long)K.self);
	k->saved = k->l.c.state;
	if ((size_t)n < sizeof(text))
		write_state("lease", k->l.ifname, text, n);
}

/* Whether another client serves k's interface; says so when that changes. */
static bool other_client(struct kept *k, int64_t now)
{
	char who[64];
	bool found = dhcp_peer_find(K.proc_fd, K.run_fd, k->l.ifindex, K.self, who, sizeof(who));

	if (found && !k->standby) {
		log_notice("%s: %s renews the lease now; sanroot's keeper stands by", k->l.ifname,
			   who);
		snprintf(k->who, sizeof(k->who), "%s", who);
		close_sock(k);
	} else if (!found && k->standby) {
		log_notice("%s: %s no longer renews the lease; sanroot's keeper does", k->l.ifname,
			   k->who);
		/* The other client kept it until now: the lease counts from here. */
		k->l.c.bound_at = now;
		k->expired = false;
		dhcp_client_rebind(&k->l.c, now);
	}
	if (found != k->standby) {
		k->standby = found;
		save(k, NULL);
	}
	k->look_at = now + LOOK_AGAIN_MS;
	return found;
}

/* Send what the client has due for k; returns the time it wants to be called again. */
static int64_t send_due(struct kept *k, int64_t now)
{
	int64_t wake = INT64_MAX;
	int n;

	while ((n = dhcp_client_output(&k->l.c, now, K.buf, sizeof(K.buf), &wake)) != 0) {
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(67) };
		uint32_t dest = dhcp_client_dest(&k->l.c);

		if (n < 0) {
			log_warn("%s: unable to build a DHCP request: %s", k->l.ifname, strerror(-n));
			return now + LOOK_AGAIN_MS;
		}
		if (other_client(k, now))
			return k->look_at;
		if (k->sock < 0 && (k->sock = open_sock(k)) < 0) {
			log_warn("%s: unable to open the DHCP client's port: %s", k->l.ifname,
				 strerror(errno));
			continue;	/* the client retransmits later */
		}
		to.sin_addr.s_addr = htonl(dest ? dest : INADDR_BROADCAST);
		log_debug("%s: %s DHCPREQUEST", k->l.ifname, dhcp_state_name(k->l.c.state));
		if (sendto(k->sock, K.buf + DHCP_FRAME_HDR, (size_t)n - DHCP_FRAME_HDR, 0,
			   (struct sockaddr *)&to, sizeof(to)) < 0)
			log_warn("%s: unable to send a DHCP request: %s", k->l.ifname,
				 strerror(errno));
	}
	if (k->l.c.state == DHCP_BOUND)
		close_sock(k);	/* nothing to wait for until T1 */
	if (k->l.c.state != k->saved && !k->standby)
		save(k, NULL);
	return wake;
}

/* The address as sanroot-net configured it: permanent, whatever a client gone since left. */
static void refresh_address(struct kept *k)
{
	struct sr_error err = { 0 };
	char a[16];

	if (netdev_add_addr(&K.nx, k->l.ifindex, k->l.c.lease.yiaddr, k->l.nc.prefix,
			    k->l.nc.broadcast, &err) < 0)
		log_warn("%s: unable to refresh %s: %s", k->l.ifname,
			 dhcp_ntoa(k->l.c.lease.yiaddr, a), err.msg);
}

static bool same_subnet(const struct netconf *nc, uint32_t a)
{
	return (a & nc->netmask) == (nc->addr & nc->netmask);
}

int keep_routes(struct netdev_ctx *nx, int ifindex, const struct netconf *nc,
		struct sr_error *err)
{
	struct sr_error e = { 0 };
	char a[16], b[16];

	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < nc->nroutes; i++) {
			const struct dhcp_route *r = &nc->route[i];

			if ((r->gateway != 0) != pass)
				continue;
			if (netdev_add_route(nx, ifindex, r->dst, r->prefix, r->gateway,
					     r->gateway && !same_subnet(nc, r->gateway),
					     nc->proto == NETCONF_DHCP, &e) < 0)
				return sr_fail_why(err, e.code, e.reason,
						   "unable to add the route to %s/%u via %s: %s",
						   dhcp_ntoa(r->dst, a), r->prefix,
						   dhcp_ntoa(r->gateway, b), e.msg);
		}
	if (!nc->nroutes && nc->gateway &&
	    netdev_add_route(nx, ifindex, 0, 0, nc->gateway, !same_subnet(nc, nc->gateway),
			     nc->proto == NETCONF_DHCP, &e) < 0)
		return sr_fail_why(err, e.code, e.reason, "unable to add the default route via %s: %s",
				   dhcp_ntoa(nc->gateway, a), e.msg);
	return 0;
}

/*
 * After a change to some link or address: whatever of k's configuration is
 * gone (the link down, the address removed) goes back, and the routes with
 * it (the kernel drops them with the address or the link). Another client
 * that released the lease is looked for at once, so that the lease is asked
 * for again without waiting for the next look.
 */
/* The link set up again if someone set it down: 1 when it was, 0 when up, -1 when renamed or gone. */
static int relink(const char *ifname, int ifindex)
{
	struct sr_error err = { 0 };
	struct netdev d;

	if (netdev_get(&K.nx, ifname, &d, &err) < 0 || d.ifindex != ifindex)
		return -1;
	if (d.flags & IFF_UP)
		return 0;
	log_warn("%s: the link was set down; setting it up again, the root's connection runs over it",
		 ifname);
	if (netdev_up(&K.nx, &d, &err) < 0)
		log_warn("%s: unable to set the link up: %s", ifname, err.msg);
	return 1;
}

static void repair(struct kept *k, int64_t now)
{
	struct sr_error err = { 0 };
	bool fixed;
	char a[16];
	int has, up = relink(k->l.ifname, k->l.ifindex);

	if (up < 0)
		return;		/* nothing to put back */
	fixed = up > 0;
	has = netdev_has_addr(&K.nx, k->l.ifindex, k->l.c.lease.yiaddr, &err);
	if (has < 0)
		log_debug("%s: %s", k->l.ifname, err.msg);
	if (has == 0) {
		log_warn("%s: %s/%u was removed; putting it back, the root's connection runs over it",
			 k->l.ifname, dhcp_ntoa(k->l.c.lease.yiaddr, a), k->l.nc.prefix);
		refresh_address(k);
		fixed = true;
	}
	if (!fixed)
		return;
	if (keep_routes(&K.nx, k->l.ifindex, &k->l.nc, &err) < 0)
		log_warn("%s: %s", k->l.ifname, err.msg);
	if (k->standby)
		other_client(k, now);
}

static void receive(struct kept *k, int64_t now)
{
	struct dhcp_msg *m = malloc(sizeof(*m));
	struct sr_error err = { 0 };
	const char *why;
	char a[16], s[16];
	ssize_t len;

	if (!m)
		return;
	while (k->sock >= 0 && (len = recv(k->sock, K.buf, sizeof(K.buf), 0)) > 0) {
		if (dhcp_parse(K.buf, (size_t)len, m, &err) < 0) {
			log_debug("%s: %s", k->l.ifname, err.msg);
			continue;
		}
		switch (dhcp_client_input(&k->l.c, now, m, &why)) {
		case DHCP_EV_BOUND:
			if (k->expired)
				log_notice("%s: %s leases %s again", k->l.ifname,
					   dhcp_ntoa(k->l.c.server, s), dhcp_ntoa(m->yiaddr, a));
			else
				log_info("%s: renewed %s for %u s from %s", k->l.ifname,
					 dhcp_ntoa(m->yiaddr, a), m->lease, dhcp_ntoa(k->l.c.server, s));
			k->expired = false;
			k->renewals++;
			refresh_address(k);
			close_sock(k);
			save(k, NULL);
			break;
		case DHCP_EV_NAK:
			log_warn("%s: %s refuses to renew %s (NAK); keeping the address, which the root's connection needs, and asking again",
				 k->l.ifname, dhcp_ntoa(m->server_id, s),
				 dhcp_ntoa(k->l.c.lease.yiaddr, a));
			k->naks++;
			close_sock(k);
			save(k, NULL);
			break;
		case DHCP_EV_IGNORED:
			log_debug("%s: ignored a %s: %s", k->l.ifname, dhcp_type_name(m->type), why);
			break;
		case DHCP_EV_OFFER:
			break;
		}
	}
	free(m);
}

/* DHCPv6 ----------------------------------------------------------------------- */

static uint32_t random32(void)
{
	uint32_t r;

	/* Transaction ids and jitter need to differ between clients, not to be secret. */
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == sizeof(r))
		return r;
	return (uint32_t)monotonic_ms() ^ (uint32_t)K.self << 16;
}

/* RAND of §15: t, give or take a tenth. */
static unsigned jitter6(unsigned t)
{
	unsigned span = t / 10;

	return t - span + random32() % (2 * span + 1);
}

/* When s seconds after the last Reply end; INT64_MAX for infinity. */
static int64_t after6(const struct kept6 *k, uint32_t s)
{
	return s == 0xffffffffu ? INT64_MAX : k->l.bound_at + (int64_t)s * 1000;
}

/* T1 and T2, or ours when the server leaves them to us: 0.5 and 0.8 of the preferred lifetime (§21.4). */
static int64_t t1_at(const struct kept6 *k)
{
	return k->l.t1 ? after6(k, k->l.t1) :
	       k->l.preferred == 0xffffffffu ? INT64_MAX : after6(k, k->l.preferred / 2);
}

static int64_t t2_at(const struct kept6 *k)
{
	return k->l.t2 ? after6(k, k->l.t2) :
	       k->l.preferred == 0xffffffffu ? INT64_MAX :
					       after6(k, (uint32_t)((uint64_t)k->l.preferred * 4 / 5));
}

static void save6(struct kept6 *k, const char *state)
{
	char text[512], a[64], s[64];
	int n;

	n = snprintf(text, sizeof(text),
		     "state=%s\naddress=%s/128\nserver=%s\npreferred=%u\nvalid=%u\nrenewals=%u\nrefusals=%u\nby=%s\npid=%ld\n",
		     state ? state : k->standby ? "standby" : k->expired ? "expired" :
		     state6_name[k->state], dhcp6_ntop(k->l.addr, a), dhcp6_ntop(k->l.server, s),
		     k->l.preferred, k->l.valid, k->renewals, k->refusals,
		     k->standby ? k->who : "sanroot", (long)K.self);
	if (n > 0 && (size_t)n < sizeof(text))
		write_state("lease6", k->l.ifname, text, n);
}

static void close_sock6(struct kept6 *k)
{
	if (k->sock >= 0)
		close(k->sock);
	k->sock = -1;
}

static int open_sock6(const struct kept6 *k)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_CLIENT_PORT) };

	return udp_on((struct sockaddr *)&sa, sizeof(sa), k->l.ifname, k->l.ifindex);
}

/* The address as sanroot-net configured it, but permanent: the server may go quiet, the root may not. */
static void refresh6(struct kept6 *k)
{
	struct sr_error err = { 0 };
	char a[64];

	if (netdev_add_addr6(&K.nx, k->l.ifindex, k->l.addr, 128, 0xffffffffu, 0xffffffffu, &err) < 0)
		log_warn("%s: unable to refresh %s: %s", k->l.ifname, dhcp6_ntop(k->l.addr, a), err.msg);
}

/* Begin an exchange (§18.2.4 Renew, §18.2.5 Rebind, §18.2.10.1 Request after NoBinding). */
static void start6(struct kept6 *k, enum state6 st, int64_t now)
{
	bool to_server = st != S6_REBINDING;

	k->state = st;
	k->ia = (struct dhcp6_ia){ .iaid = k->l.iaid, .naddrs = 1 };
	memcpy(k->ia.addr[0].addr, k->l.addr, 16);
	k->r = (struct dhcp6_request){
		.type = st == S6_RENEWING ? DHCP6_RENEW : st == S6_REBINDING ? DHCP6_REBIND : DHCP6_REQUEST,
		.xid = random32() & 0xffffff,
		.duid = k->l.duid,
		.duid_len = k->l.duid_len,
		.server_id = to_server ? k->l.server_id : NULL,
		.server_id_len = to_server ? k->l.server_id_len : 0,
		.iaid = k->l.iaid,
		.ia = &k->ia,
		.oro = dhcp6_default_oro,
		.noro = sizeof(dhcp6_default_oro) / sizeof(dhcp6_default_oro[0]),
	};
	k->began = k->next = now;
	k->rt = 0;
	k->mrt = st == S6_REQUESTING ? REQ_MAX_RT : st == S6_RENEWING ? REN_MAX_RT : REB_MAX_RT;
	log_debug("%s: DHCPv6 %s", k->l.ifname, state6_name[st]);
	save6(k, NULL);
}

/* Send the exchange's message, and time the next (§15: doubled, at most mrt). */
static void send6(struct kept6 *k, int64_t now)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_SERVER_PORT),
				   .sin6_scope_id = (uint32_t)k->l.ifindex };
	int64_t cs = (now - k->began) / 10;
	int n;

	k->rt = !k->rt ? jitter6(k->state == S6_REQUESTING ? REQ_TIMEOUT : REN_TIMEOUT) :
		2 * k->rt > k->mrt ? jitter6(k->mrt) : jitter6(2 * k->rt);
	k->next = now + k->rt;
	if (k->sock < 0 && (k->sock = open_sock6(k)) < 0) {
		log_warn("%s: unable to open the DHCPv6 client's port: %s", k->l.ifname, strerror(errno));
		return;
	}
	k->r.elapsed = cs > 0xffff ? 0xffff : (uint16_t)cs;
	if ((n = dhcp6_build(&k->r, K.buf, sizeof(K.buf))) < 0) {
		log_warn("%s: unable to build a DHCPv6 message: %s", k->l.ifname, strerror(-n));
		return;
	}
	memcpy(&to.sin6_addr, dhcp6_all_servers, 16);
	if (sendto(k->sock, K.buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) != n)
		log_warn("%s: unable to send a DHCPv6 %s: %s", k->l.ifname, dhcp6_type_name(k->r.type),
			 strerror(errno));
	else
		log_debug("%s: DHCPv6 %s sent", k->l.ifname, dhcp6_type_name(k->r.type));
}

/* Whether another DHCPv6 client runs; says so when that changes. */
static bool other_client6(struct kept6 *k, int64_t now)
{
	char who[64];
	bool found = dhcp6_peer_find(K.proc_fd, K.self, who, sizeof(who));

	if (found && !k->standby) {
		log_notice("%s: %s is a DHCPv6 client now; sanroot's keeper stands by", k->l.ifname, who);
		snprintf(k->who, sizeof(k->who), "%s", who);
		close_sock6(k);
	} else if (!found && k->standby) {
		log_notice("%s: %s is gone; sanroot's keeper renews the DHCPv6 lease", k->l.ifname, k->who);
	}
	k->look_at = now + LOOK_AGAIN_MS;
	if (found != k->standby) {
		k->standby = found;
		if (!found) {
			/* The other client kept the address until now: the lease counts from here. */
			k->l.bound_at = now;
			k->expired = false;
			start6(k, S6_REBINDING, now);	/* any server may answer */
		} else {
			save6(k, NULL);
		}
	}
	return found;
}

/* Send what is due for k; returns when it wants to be called again. */
static int64_t due6(struct kept6 *k, int64_t now)
{
	int64_t t1, t2, end, wake;

	if (k->standby) {
		if (now >= k->look_at)
			other_client6(k, now);
		if (k->standby)
			return k->look_at;
	}
	t1 = t1_at(k);
	t2 = t2_at(k);
	end = after6(k, k->l.valid);
	if (k->state == S6_BOUND && now >= t1)
		start6(k, now >= t2 ? S6_REBINDING : S6_RENEWING, now);
	else if (k->state == S6_RENEWING && now >= t2)
		start6(k, S6_REBINDING, now);	/* a Renew is tried until T2 (§18.2.4) */
	if (!k->expired && now >= end) {
		char a[64];

		log_warn("%s: the DHCPv6 lease on %s ran out unanswered; keeping the address, which the root's connection needs, and asking for it",
			 k->l.ifname, dhcp6_ntop(k->l.addr, a));
		k->expired = true;
		save6(k, NULL);
	}
	if (k->state == S6_BOUND) {
		wake = t1;
	} else {
		if (now >= k->next) {
			if (other_client6(k, now))
				return k->look_at;
			send6(k, now);
		}
		wake = k->next;
		if (k->state == S6_RENEWING && t2 < wake)
			wake = t2;
	}
	if (!k->expired && end < wake)
		wake = end;
	return wake;
}

/* The status the server gave IA iaid in m, or Success. */
static unsigned ia_status(const struct dhcp6_msg *m, uint32_t iaid)
{
	for (unsigned i = 0; i < m->nia; i++)
		if (m->ia[i].iaid == iaid)
			return m->ia[i].status;
	return DHCP6_SUCCESS;
}

static void receive6(struct kept6 *k, int64_t now)
{
	static struct dhcp6_msg m;
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;
	struct sockaddr_in6 from;
	socklen_t fl = sizeof(from);
	ssize_t len;

	while (k->sock >= 0 &&
	       (len = recvfrom(k->sock, K.buf, sizeof(K.buf), 0, (struct sockaddr *)&from, &fl)) > 0) {
		struct sr_error err = { 0 };
		char t[64], s[64];

		fl = sizeof(from);
		dhcp6_ntop(from.sin6_addr.s6_addr, s);
		if (dhcp6_parse(K.buf, (size_t)len, &m, &err) < 0 || dhcp6_reply_check(&m, &k->r, &err) < 0) {
			log_debug("%s: ignored a DHCPv6 message from %s: %s", k->l.ifname, s, err.msg);
			continue;
		}
		if (dhcp6_lease_pick(&m, k->l.iaid, &ia, &a, &err) == 0 && !memcmp(a->addr, k->l.addr, 16)) {
			if (k->expired)
				log_notice("%s: %s leases %s again", k->l.ifname, s, dhcp6_ntop(a->addr, t));
			else
				log_info("%s: renewed %s for %u s from %s", k->l.ifname,
					 dhcp6_ntop(a->addr, t), a->valid, s);
			k->l.t1 = ia->t1;
			k->l.t2 = ia->t2;
			k->l.preferred = a->preferred;
			k->l.valid = a->valid;
			k->l.bound_at = now;
			memcpy(k->l.server_id, m.server_id, m.server_id_len);
			k->l.server_id_len = m.server_id_len;
			memcpy(k->l.server, from.sin6_addr.s6_addr, 16);
			k->state = S6_BOUND;
			k->expired = false;
			k->renewals++;
			refresh6(k);
			close_sock6(k);
			save6(k, NULL);
			continue;
		}
		/* The server has lost our binding: ask it for the same address (§18.2.10.1). */
		if (ia_status(&m, k->l.iaid) == DHCP6_NO_BINDING && k->state != S6_REQUESTING) {
			log_notice("%s: %s has no binding for %s (NoBinding); asking for it again", k->l.ifname,
				   s, dhcp6_ntop(k->l.addr, t));
			memcpy(k->l.server_id, m.server_id, m.server_id_len);
			k->l.server_id_len = m.server_id_len;
			start6(k, S6_REQUESTING, now);
			continue;
		}
		k->refusals++;
		log_warn("%s: DHCPv6 %s from %s: %s; keeping %s, which the root's connection needs, and asking again",
			 k->l.ifname, dhcp6_type_name(m.type), s,
			 err.msg[0] ? err.msg : "it leases another address", dhcp6_ntop(k->l.addr, t));
		save6(k, NULL);
	}
}

/* As repair(): the link and the address back when someone took them away. */
static void repair6(struct kept6 *k, int64_t now)
{
	struct netdev_addr6 have[16];
	struct sr_error err = { 0 };
	unsigned n = 0;
	bool found = false;
	char a[64];
	int up = relink(k->l.ifname, k->l.ifindex);

	if (up < 0)
		return;
	if (netdev_list_addr6(&K.nx, k->l.ifindex, have, 16, &n, &err) < 0) {
		log_debug("%s: %s", k->l.ifname, err.msg);
		return;
	}
	for (unsigned i = 0; i < n && i < 16 && !found; i++)
		found = !memcmp(have[i].addr, k->l.addr, 16);
	if (!found) {
		log_warn("%s: %s/128 was removed; putting it back, the root's connection runs over it",
			 k->l.ifname, dhcp6_ntop(k->l.addr, a));
		refresh6(k);
	}
	if ((up > 0 || !found) && k->standby)
		other_client6(k, now);
}

static void run(void)
{
	while (!stop) {
		/* idx: a DHCPv4 lease i, KEEP_MAX_LEASES + a DHCPv6 one, or EVENTS */
		enum { EVENTS = 2 * KEEP_MAX_LEASES };
		struct pollfd p[2 * KEEP_MAX_LEASES + 1];
		unsigned np = 0, idx[2 * KEEP_MAX_LEASES + 1];
		int64_t now = monotonic_ms(), wake = INT64_MAX;

		for (unsigned i = 0; i < K.n; i++) {
			struct kept *k = &K.k[i];
			int64_t w, end;

			if (k->standby) {
				if (now >= k->look_at)
					other_client(k, now);
				if (k->standby) {
					w = k->look_at;
					goto next;
				}
			}
			w = send_due(k, now);
			end = dhcp_client_lease_end(&k->l.c);
			if (!k->standby && !k->expired && now >= end) {
				char a[16];

				log_warn("%s: the lease on %s ran out unanswered; keeping the address, which the root's connection needs, and asking for it",
					 k->l.ifname, dhcp_ntoa(k->l.c.lease.yiaddr, a));
				k->expired = true;
				save(k, NULL);
			}
			if (!k->expired && end > now && end < w)
				w = end;
next:
			if (w < wake)
				wake = w;
			if (k->sock >= 0) {
				p[np] = (struct pollfd){ .fd = k->sock, .events = POLLIN };
				idx[np++] = i;
			}
		}
		for (unsigned i = 0; i < K.n6; i++) {
			int64_t w = due6(&K.k6[i], now);

			if (w < wake)
				wake = w;
			if (K.k6[i].sock >= 0) {
				p[np] = (struct pollfd){ .fd = K.k6[i].sock, .events = POLLIN };
				idx[np++] = KEEP_MAX_LEASES + i;
			}
		}
		if (K.events >= 0) {
			p[np] = (struct pollfd){ .fd = K.events, .events = POLLIN };
			idx[np++] = EVENTS;
		}
		{
			int64_t ms = wake == INT64_MAX ? -1 : wake > now ? wake - now : 0;

			if (ms > 3600000)
				ms = 3600000;
			if (poll(p, np, (int)ms) <= 0)
				continue;
		}
		now = monotonic_ms();
		for (unsigned j = 0; j < np; j++) {
			if (!p[j].revents)
				continue;
			if (idx[j] < KEEP_MAX_LEASES) {
				receive(&K.k[idx[j]], now);
				continue;
			}
			if (idx[j] < EVENTS) {
				receive6(&K.k6[idx[j] - KEEP_MAX_LEASES], now);
				continue;
			}
			netdev_events_drain(&K.nx);
			for (unsigned i = 0; i < K.n; i++)
				repair(&K.k[i], now);
			for (unsigned i = 0; i < K.n6; i++)
				repair6(&K.k6[i], now);
		}
	}
}

/*
 * A daemon keeps none of its caller's descriptors (a pipe kept open would
 * keep sanroot-boot's reader waiting): all but stdio, ours and the kernel log.
 */
static void close_inherited(void)
{
	int fds[64], n = 0, dfd = openat(K.proc_fd, "self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *d;
	DIR *dh;

	if (dfd < 0 || !(dh = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((d = readdir(dh)) && n < 64) {
		char link[32];
		int fd = atoi(d->d_name);
		ssize_t len;

		if (fd <= 2 || fd == dfd || fd == K.proc_fd || fd == K.run_fd)
			continue;
		len = readlinkat(dfd, d->d_name, link, sizeof(link) - 1);
		if (len > 0 && (link[len] = '\0', !strcmp(link, "/dev/kmsg")))
			continue;
		fds[n++] = fd;
	}
	closedir(dh);
	while (n > 0)
		close(fds[--n]);
}

static void child(int null_fd)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sr_error err = { 0 };
	int fd;

	setsid();
	dup2(null_fd, 0);
	dup2(null_fd, 1);
	dup2(null_fd, 2);
	tool_log_detached();
	close_inherited();
	if (netdev_open(&K.nx, &err) < 0) {
		log_err("lease keeper: unable to talk to the kernel: %s", err.msg);
		exit(1);
	}
	K.events = netdev_events_fd(&K.nx, &err);
	if (K.events < 0)
		log_warn("lease keeper: unable to follow the links and addresses (%s): what others take away stays away",
			 err.msg);
	/* a root-storage daemon: systemd's switch-root and shutdown spare it */
	tool_set_cmdline("@sanroot-lease", "@sanroot-lease", sizeof("@sanroot-lease"), K.argc,
			 K.argv);
	/* It may be what brings the network, and so the swap on that disk, back. */
#ifndef SANROOT_TEST
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		log_warn("lease keeper: cannot lock its memory: %s", strerror(errno));
#endif
	fd = openat(K.proc_fd, "self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "-1000", 5) != 5)
			log_debug("lease keeper: cannot set oom_score_adj");
		close(fd);
	}
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	K.self = getpid();
	for (unsigned i = 0; i < K.n; i++) {
		struct kept *k = &K.k[i];
		char a[16];

		log_notice("%s: keeping the lease on %s (renewal in %u s)", k->l.ifname,
			   dhcp_ntoa(k->l.c.lease.yiaddr, a), k->l.c.lease.t1);
		save(k, NULL);
	}
	for (unsigned i = 0; i < K.n6; i++) {
		struct kept6 *k = &K.k6[i];
		int64_t t1 = t1_at(k);
		char a[64];

		log_notice("%s: keeping the DHCPv6 lease on %s (renewal in %lld s)", k->l.ifname,
			   dhcp6_ntop(k->l.addr, a),
			   (long long)(t1 > monotonic_ms() ? (t1 - monotonic_ms()) / 1000 : 0));
		refresh6(k);
		save6(k, NULL);
	}
	run();
	for (unsigned i = 0; i < K.n; i++)
		save(&K.k[i], "stopped");
	for (unsigned i = 0; i < K.n6; i++)
		save6(&K.k6[i], "stopped");
	log_notice("lease keeper: stopped by a signal; the addresses stay");
	exit(0);
}

pid_t keep_start(const struct keep_lease *leases, unsigned n, const struct keep_lease6 *leases6,
		 unsigned n6, int argc, char **argv)
{
	int null_fd;
	pid_t pid;

	if (n > KEEP_MAX_LEASES)
		n = KEEP_MAX_LEASES;
	if (n6 > KEEP_MAX_LEASES)
		n6 = KEEP_MAX_LEASES;
	K.n = 0;
	for (unsigned i = 0; i < n; i++) {
		if (dhcp_client_lease_end(&leases[i].c) == INT64_MAX)
			continue;	/* an infinite lease needs no keeping */
		K.k[K.n] = (struct kept){ .l = leases[i], .sock = -1 };
		K.k[K.n].l.c.cfg.keep = true;
		K.n++;
	}
	K.n6 = 0;
	for (unsigned i = 0; i < n6; i++) {
		if (leases6[i].valid == 0xffffffffu)
			continue;	/* an infinite lease needs no keeping */
		K.k6[K.n6++] = (struct kept6){ .l = leases6[i], .sock = -1 };
	}
	if (!K.n && !K.n6)
		return 0;
	K.argc = argc;
	K.argv = argv;
	K.proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	K.run_fd = open("/run", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (K.proc_fd < 0 || null_fd < 0) {
		log_err("unable to start the lease keeper: %s", strerror(errno));
		goto fail;
	}
	tool_log_kmsg();
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		log_err("unable to start the lease keeper: fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child(null_fd);
	close(K.proc_fd);
	if (K.run_fd >= 0)
		close(K.run_fd);
	close(null_fd);
	return pid;

fail:
	if (K.proc_fd >= 0)
		close(K.proc_fd);
	if (K.run_fd >= 0)
		close(K.run_fd);
	if (null_fd >= 0)
		close(null_fd);
	return -1;
}
