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
 * A UDP socket on port 68 bound to the interface, for one exchange. The
 * kernel does IP and UDP once the address is there; SO_REUSEADDR as every
 * DHCP client sets it, so that one starting meanwhile can bind too.
 */
static int open_sock(const struct kept *k)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(68) };
	int fd, on = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, k->l.ifname, strlen(k->l.ifname)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void close_sock(struct kept *k)
{
	if (k->sock >= 0)
		close(k->sock);
	k->sock = -1;
}

/* /run/sanroot/lease/IFACE, whole: written beside it, then renamed over it. */
static void save(struct kept *k, const char *state)
{
	char path[64], tmp[64], text[512], a[16], s[16];
	int fd, n;

	n = snprintf(text, sizeof(text),
		     "state=%s\naddress=%s/%u\nserver=%s\nlease=%u\nrenewals=%u\nnaks=%u\nby=%s\npid=%ld\n",
		     state ? state : k->standby ? "standby" : k->expired ? "expired" :
		     dhcp_state_name(k->l.c.state), dhcp_ntoa(k->l.c.lease.yiaddr, a), k->l.nc.prefix,
		     dhcp_ntoa(k->l.c.server, s), k->l.c.lease.lease, k->renewals, k->naks,
		     k->standby ? k->who : "sanroot", (long)K.self);
	k->saved = k->l.c.state;
	if (K.run_fd < 0 || n < 0 || (size_t)n >= sizeof(text))
		return;
	mkdirat(K.run_fd, "sanroot", 0755);
	mkdirat(K.run_fd, "sanroot/lease", 0755);
	snprintf(path, sizeof(path), "sanroot/lease/%s", k->l.ifname);
	snprintf(tmp, sizeof(tmp), "sanroot/lease/.%s.tmp", k->l.ifname);
	fd = openat(K.run_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, text, (size_t)n) != n || close(fd) < 0 || renameat(K.run_fd, tmp, K.run_fd, path) < 0)
		unlinkat(K.run_fd, tmp, 0);
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
static void repair(struct kept *k, int64_t now)
{
	struct sr_error err = { 0 };
	struct netdev d;
	bool fixed = false;
	char a[16];
	int has;

	if (netdev_get(&K.nx, k->l.ifname, &d, &err) < 0 || d.ifindex != k->l.ifindex)
		return;		/* renamed or gone: nothing to put back */
	if (!(d.flags & IFF_UP)) {
		log_warn("%s: the link was set down; setting it up again, the root's connection runs over it",
			 k->l.ifname);
		if (netdev_up(&K.nx, &d, &err) < 0)
			log_warn("%s: unable to set the link up: %s", k->l.ifname, err.msg);
		fixed = true;
	}
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

static void run(void)
{
	while (!stop) {
		struct pollfd p[KEEP_MAX_LEASES + 1];
		unsigned np = 0, idx[KEEP_MAX_LEASES + 1];
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
		if (K.events >= 0) {
			p[np] = (struct pollfd){ .fd = K.events, .events = POLLIN };
			idx[np++] = K.n;
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
			if (idx[j] < K.n) {
				receive(&K.k[idx[j]], now);
				continue;
			}
			netdev_events_drain(&K.nx);
			for (unsigned i = 0; i < K.n; i++)
				repair(&K.k[i], now);
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
	run();
	for (unsigned i = 0; i < K.n; i++)
		save(&K.k[i], "stopped");
	log_notice("lease keeper: stopped by a signal; the addresses stay");
	exit(0);
}

pid_t keep_start(const struct keep_lease *leases, unsigned n, int argc, char **argv)
{
	int null_fd;
	pid_t pid;

	if (!n)
		return 0;
	if (n > KEEP_MAX_LEASES)
		n = KEEP_MAX_LEASES;
	K.n = 0;
	for (unsigned i = 0; i < n; i++) {
		if (dhcp_client_lease_end(&leases[i].c) == INT64_MAX)
			continue;	/* an infinite lease needs no keeping */
		K.k[K.n] = (struct kept){ .l = leases[i], .sock = -1 };
		K.k[K.n].l.c.cfg.keep = true;
		K.n++;
	}
	if (!K.n)
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
