// SPDX-License-Identifier: GPL-2.0-only
/*
 * sanroot-net's IPv6: a static address from ip=; the kernel autoconfigures from router advertisements
 * (RFC 4862 SLAAC; we solicit them, RFC 4861 §6.3.7, and wait for DAD), and
 * the DHCPv6 client exchange of RFC 8415 §18 (Solicit with Rapid Commit,
 * Advertise, Request, Reply; Information-request when stateless) with
 * retransmission per §15, over lib/net/dhcp6's messages.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/quote.h"
#include "net/dhcp6.h"
#include "../tool.h"
#include "ipv6.h"

#define RS_MAX      3		/* MAX_RTR_SOLICITATIONS */
#define RS_INTERVAL 4000	/* RTR_SOLICITATION_INTERVAL, ms */
#define IRT         1000	/* SOL_TIMEOUT, REQ_TIMEOUT, INF_TIMEOUT (§7.6), ms */
#define SOL_MAX_RT  3600000
#define REQ_MAX_RT  30000
#define INF_MAX_RT  3600000
#define INFO_OPTIONAL_MS 4000	/* ip=auto6 asks for DNS when told to (O=1), this long at most */

static struct {
	struct netdev_ctx *nx;
	const struct netdev *d;
	const struct net6_opts *o;
	int evfd;
	uint8_t ll[16];		/* our usable link-local address */
	unsigned rs_sent;
	int64_t rs_next;	/* the next solicitation; INT64_MAX: no more (enough sent, or a router spoke) */
} s;

static double elapsed(void)
{
	return (double)(monotonic_ms() - s.o->start) / 1000.0;
}

static uint32_t random32(void)
{
	uint32_t r;

	/* Transaction ids and jitter need to differ between clients, not to be secret. */
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == sizeof(r))
		return r;
	r = (uint32_t)monotonic_ms() ^ (uint32_t)getpid() << 16;
	for (int i = 0; i < 6; i++)
		r = r * 31 + s.d->mac[i];
	return r;
}

/* Wait until `until` for an address or link event, or for fd (-1: none); true when fd is readable. */
static bool wait_io(int fd, int64_t until)
{
	struct pollfd p[2] = { { .fd = s.evfd, .events = POLLIN }, { .fd = fd, .events = POLLIN } };
	int64_t now = monotonic_ms();

	if (until > s.o->deadline)
		until = s.o->deadline;
	if (until <= now)
		return false;
	if (poll(p, fd >= 0 ? 2 : 1, (int)(until - now)) <= 0)
		return false;
	if (p[0].revents)
		netdev_events_drain(s.nx);
	return fd >= 0 && p[1].revents;
}

static struct netdev_addr6 addrs[16];

static unsigned list_addrs(void)
{
	struct sr_error err = { 0 };
	unsigned n;

	if (netdev_list_addr6(s.nx, s.d->ifindex, addrs, 16, &n, &err) < 0)
		tool_fail_why(err.reason, "unable to read the addresses of %s: %s", s.d->name, err.msg);
	return n;
}

static void dad_failed(const struct netdev_addr6 *a)
{
	char t[64];

	tool_fail_why(SR_R_DAD_FAILED,
		      "unable to configure %s: duplicate address detection failed for %s (another host on the link has it)",
		      s.d->name, dhcp6_ntop(a->addr, t));
}

/*
 * The global address want (NULL: any global one) once usable, DAD done:
 * true with it in *out; fails when DAD found a duplicate.
 */
static bool global_addr(const uint8_t *want, struct netdev_addr6 *out)
{
	unsigned n = list_addrs();

	for (unsigned i = 0; i < n; i++) {
		if (addrs[i].link_local || (want && memcmp(addrs[i].addr, want, 16)))
			continue;
		if (addrs[i].dad_failed)
			dad_failed(&addrs[i]);
		if (!addrs[i].tentative) {
			*out = addrs[i];
			return true;
		}
	}
	return false;
}

static unsigned ra_flags(void)
{
	struct sr_error err = { 0 };
	unsigned f;

	if (netdev_ra_flags(s.nx, s.d->ifindex, &f, &err) < 0)
		tool_fail_why(err.reason, "unable to read %s: %s", s.d->name, err.msg);
	return f;
}

/* The link-local address, usable (DAD done): every IPv6 exchange starts from it. */
static void wait_link_local(void)
{
	for (;;) {
		unsigned n = list_addrs();

		for (unsigned i = 0; i < n; i++) {
			if (!addrs[i].link_local)
				continue;
			if (addrs[i].dad_failed)
				dad_failed(&addrs[i]);
			if (!addrs[i].tentative) {
				memcpy(s.ll, addrs[i].addr, 16);
				return;
			}
		}
		if (monotonic_ms() >= s.o->deadline)
			tool_fail_why(SR_R_IPV6,
				      "unable to configure %s: no usable IPv6 link-local address within %u s (is IPv6 off?)",
				      s.d->name, s.o->timeout);
		wait_io(-1, monotonic_ms() + 1000);
	}
}

/* Solicit routers (RFC 4861 §6.3.7) when none has advertised yet; the kernel's own may have gone unheard. */
static void rs_tick(void)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)s.d->ifindex };
	struct {
		struct nd_router_solicit rs;
		uint8_t opt[8];
	} m = { .rs.nd_rs_type = ND_ROUTER_SOLICIT, .opt = { ND_OPT_SOURCE_LINKADDR, 1 } };
	int hops = 255, fd;

	if (monotonic_ms() < s.rs_next)
		return;
	if (s.rs_sent >= RS_MAX || (ra_flags() & NETDEV_RA_RCVD)) {
		s.rs_next = INT64_MAX;
		return;
	}
	s.rs_next = monotonic_ms() + RS_INTERVAL;
	s.rs_sent++;
	memcpy(m.opt + 2, s.d->mac, 6);
	inet_pton(AF_INET6, "ff02::2", &to.sin6_addr);
	if ((fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &s.d->ifindex, sizeof(s.d->ifindex)) < 0 ||
	    sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		log_debug("%s: unable to send a router solicitation: %s", s.d->name, strerror(errno));
	else
		log_debug("%s: router solicitation %u sent", s.d->name, s.rs_sent);
	if (fd >= 0)
		close(fd);
}

/* Wait for the address SLAAC makes from a router's prefix, or fail naming why there is none. */
static void wait_slaac(struct netdev_addr6 *out, const char *why)
{
	const char *sep = why ? "; " : "";

	why = why ? why : "";
	while (!global_addr(NULL, out)) {
		if (monotonic_ms() >= s.o->deadline) {
			unsigned f = ra_flags();

			if (!(f & NETDEV_RA_RCVD))
				tool_fail_why(SR_R_NO_RA,
					      "unable to configure %s: no router advertisement within %u s (%u solicitation%s sent)%s%s",
					      s.d->name, s.o->timeout, s.rs_sent, s.rs_sent == 1 ? "" : "s",
					      sep, why);
			tool_fail_why(SR_R_NO_RA,
				      "unable to configure %s: the router advertises no prefix to autoconfigure from within %u s%s%s",
				      s.d->name, s.o->timeout, sep, why);
		}
		rs_tick();
		wait_io(-1, s.rs_next < monotonic_ms() + 1000 ? s.rs_next : monotonic_ms() + 1000);
	}
}

/* DHCPv6 ---------------------------------------------------------------------- */

enum phase { P_SOLICIT, P_REQUEST, P_INFO, P_DONE };

static const char *const phase_msg[] = { "Solicit", "Request", "Information-request", "" };

static struct {
	int fd;
	enum phase phase;
	struct dhcp6_request r;
	uint8_t duid[DHCP6_DUID_LL_LEN];
	int64_t began, next;
	unsigned rt, mrt, sent;
	bool have_best;
	struct dhcp6_msg best, m, done;	/* the Advertise to take, the last parsed, the Reply taken */
	struct in6_addr done_from;	/* who sent done */
	struct dhcp6_ia ia;		/* the Advertise's IA, named in the Request */
	bool stateless;			/* addresses from SLAAC: the answer gave other configuration */
	const char *why_stateless;
	unsigned no_addrs;		/* NoAddrsAvail answers */
	uint8_t buf[DHCP6_PACKET_MAX];
} x = { .fd = -1 };

/* RAND of §15: -0.1..+0.1 of t (only above 0 for the first Solicit). */
static unsigned jitter(unsigned t, bool positive)
{
	unsigned span = t / 10 ? t / 10 : 1;
	int r = (int)(random32() % (2 * span + 1)) - (int)span;

	if (positive && r <= 0)
		r = -r + 1;
	return (unsigned)((int)t + r);
}

static void x_send(void)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_SERVER_PORT),
				   .sin6_scope_id = (uint32_t)s.d->ifindex };
	int64_t cs = (monotonic_ms() - x.began) / 10;
	int n;

	x.r.elapsed = cs > 0xffff ? 0xffff : (uint16_t)cs;
	if ((n = dhcp6_build(&x.r, x.buf, sizeof(x.buf))) < 0)
		tool_fail("unable to build a DHCPv6 %s: %s", phase_msg[x.phase], strerror(-n));
	memcpy(&to.sin6_addr, dhcp6_all_servers, 16);
	x.sent++;
	if (sendto(x.fd, x.buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) != n)
		log_warn("%s: unable to send a DHCPv6 %s: %s", s.d->name, phase_msg[x.phase],
			 strerror(errno));
	else
		log_debug("%s: DHCPv6 %s sent (xid %06x)", s.d->name, phase_msg[x.phase],
			  x.r.xid & 0xffffff);
}

/* Begin an exchange (§15): a new transaction id, the first timeout, the first message. */
static void x_start(enum phase p)
{
	static const unsigned mrt[] = { SOL_MAX_RT, REQ_MAX_RT, INF_MAX_RT };

	x.phase = p;
	x.r.type = p == P_SOLICIT ? DHCP6_SOLICIT :
		   p == P_REQUEST ? DHCP6_REQUEST : DHCP6_INFORMATION_REQUEST;
	x.r.xid = random32() & 0xffffff;
	x.r.rapid_commit = p == P_SOLICIT && s.o->rapid_commit;
	x.r.server_id = p == P_REQUEST ? x.best.server_id : NULL;
	x.r.server_id_len = p == P_REQUEST ? x.best.server_id_len : 0;
	x.r.ia = p == P_REQUEST ? &x.ia : NULL;
	x.have_best = x.have_best && p == P_REQUEST;
	x.began = monotonic_ms();
	x.rt = jitter(IRT, p == P_SOLICIT);
	x.mrt = mrt[p];
	x.next = x.began + x.rt;
	x_send();
}

/* The timer ran out: take the best Advertise collected, or send again with a doubled timeout. */
static void x_tick(void)
{
	if (monotonic_ms() < x.next)
		return;
	if (x.phase == P_SOLICIT && x.have_best) {
		x_start(P_REQUEST);
		return;
	}
	x.rt = x.rt * 2 > x.mrt ? jitter(x.mrt, false) : jitter(x.rt * 2, false);
	x.next = monotonic_ms() + x.rt;
	x_send();
}

static bool no_addrs_avail(const struct dhcp6_msg *m)
{
	if (m->has_status && m->status == DHCP6_NO_ADDRS_AVAIL)
		return true;
	for (unsigned i = 0; i < m->nia; i++)
		if (m->ia[i].iaid == x.r.iaid && m->ia[i].status == DHCP6_NO_ADDRS_AVAIL)
			return true;
	return false;
}

static void go_stateless(const char *why)
{
	x.stateless = true;
	x.why_stateless = why;
	log_info("%s: %s: addresses from SLAAC, other configuration from an Information-request",
		 s.d->name, why);
	x_start(P_INFO);
}

static void x_input(const uint8_t *buf, size_t len, const struct sockaddr_in6 *from)
{
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;
	struct sr_error err = { 0 };
	char t[64];

	if (dhcp6_parse(buf, len, &x.m, &err) < 0 || dhcp6_reply_check(&x.m, &x.r, &err) < 0) {
		log_debug("%s: ignored a DHCPv6 message from %s: %s", s.d->name,
			  dhcp6_ntop(from->sin6_addr.s6_addr, t), err.msg);
		return;
	}
	log_debug("%s: DHCPv6 %s from %s", s.d->name, dhcp6_type_name(x.m.type),
		  dhcp6_ntop(from->sin6_addr.s6_addr, t));
	if (x.phase == P_INFO) {
		x.done = x.m;
		x.phase = P_DONE;
		return;
	}
	if (dhcp6_lease_pick(&x.m, x.r.iaid, &ia, &a, &err) < 0) {
		if (no_addrs_avail(&x.m)) {
			x.no_addrs++;
			go_stateless("the DHCPv6 server has no address for us (NoAddrsAvail)");
			return;
		}
		log_warn("%s: DHCPv6 %s from %s: %s", s.d->name, dhcp6_type_name(x.m.type),
			 dhcp6_ntop(from->sin6_addr.s6_addr, t), err.msg);
		if (x.phase == P_REQUEST)
			x_start(P_SOLICIT);
		return;
	}
	if (x.m.type == DHCP6_REPLY) {
		x.done = x.m;
		x.done_from = from->sin6_addr;
		x.phase = P_DONE;
		return;
	}
	/* An Advertise: keep the most preferred (§18.2.1); 255, or one after the first timeout, ends the wait. */
	if (!x.have_best || (x.m.has_preference ? x.m.preference : 0) >
				    (x.best.has_preference ? x.best.preference : 0)) {
		x.best = x.m;
		x.have_best = true;
		dhcp6_lease_pick(&x.best, x.r.iaid, &ia, &a, &err);
		x.ia = *ia;
	}
	if ((x.best.has_preference && x.best.preference == 255) || x.sent > 1)
		x_start(P_REQUEST);
}

static void x_open(void)
{
	struct sockaddr_in6 me = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_CLIENT_PORT),
				   .sin6_scope_id = (uint32_t)s.d->ifindex };
	int one = 1;

	x.stateless = x.have_best = false;
	x.why_stateless = NULL;
	x.sent = x.no_addrs = 0;
	memcpy(&me.sin6_addr, s.ll, 16);
	if ((x.fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0 ||
	    setsockopt(x.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(x.fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &s.d->ifindex,
		       sizeof(s.d->ifindex)) < 0 ||
	    bind(x.fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		char t[64];

		tool_fail_why(SR_R_IPV6, "unable to run DHCPv6 on %s: binding [%s%%%s]:546: %s",
			      s.d->name, dhcp6_ntop(s.ll, t), s.d->name, strerror(errno));
	}
	x.r.duid = x.duid;
	x.r.duid_len = dhcp6_duid_ll(s.d->mac, x.duid);
	x.r.iaid = dhcp6_iaid_from_mac(s.d->mac);
	x.r.oro = dhcp6_default_oro;
	x.r.noro = sizeof(dhcp6_default_oro) / sizeof(dhcp6_default_oro[0]);
}

static void x_timeout(void)
{
	const char *what = x.phase == P_REQUEST ? "no DHCPv6 reply to our Request" :
			   x.phase == P_INFO ? "no DHCPv6 reply to our Information-request" :
					       "no DHCPv6 server answered";

	tool_fail_why(SR_R_DHCP6_NO_REPLY, "unable to configure %s: %s within %u s (%u message%s sent)%s%s",
		      s.d->name, what, s.o->timeout, x.sent, x.sent == 1 ? "" : "s",
		      x.why_stateless ? "; " : "", x.why_stateless ? x.why_stateless : "");
}

/* Run the exchanges until an answer is taken (x.done), or fail at the deadline. */
static void x_run(int64_t until)
{
	while (x.phase != P_DONE) {
		int64_t wake;

		if (monotonic_ms() >= until)
			return;
		if (x.phase == P_SOLICIT && !x.have_best) {
			unsigned f = ra_flags();

			if ((f & NETDEV_RA_RCVD) && !(f & NETDEV_RA_MANAGED) && (f & NETDEV_RA_OTHER))
				go_stateless("the router says stateless (M=0, O=1)");
		}
		rs_tick();
		x_tick();
		wake = x.next < s.rs_next ? x.next : s.rs_next;
		if (wake > until)
			wake = until;
		if (!wait_io(x.fd, wake))
			continue;
		for (;;) {
			struct sockaddr_in6 from;
			socklen_t fl = sizeof(from);
			ssize_t n = recvfrom(x.fd, x.buf, sizeof(x.buf), 0, (struct sockaddr *)&from, &fl);

			if (n < 0)
				break;
			x_input(x.buf, (size_t)n, &from);
			if (x.phase == P_DONE)
				break;
		}
	}
}

/* What the answer taken says beyond the address: DNS servers (23), the root path (59). */
static void take_options(const struct dhcp6_msg *m, struct netconf6 *nc)
{
	struct sr_error err = { 0 };
	char q[DHCP6_URL_MAX * 4];
	int rc;

	nc->ndns = m->ndns < NETCONF6_MAX_DNS ? m->ndns : NETCONF6_MAX_DNS;
	memcpy(nc->dns, m->dns, nc->ndns * 16);
	if (!m->bootfile_url[0])
		return;
	quote_printable(q, sizeof(q), m->bootfile_url, strlen(m->bootfile_url));
	rc = dhcp6_bootfile_rootpath(m->bootfile_url, nc->rootpath, sizeof(nc->rootpath), &err);
	if (rc < 0)
		log_warn("%s: ignored the boot file URL \"%s\": %s", s.d->name, q, err.msg);
	else if (rc == 0)
		log_info("%s: boot file URL \"%s\" (not an iscsi: root path)", s.d->name, q);
	if (rc <= 0)
		nc->rootpath[0] = '\0';
}

/* What the keeper needs of the lease taken (x.done). */
static void describe_lease(const struct dhcp6_ia *ia, const struct dhcp6_iaaddr *a,
			   struct keep_lease6 *k)
{
	memset(k, 0, sizeof(*k));
	k->ifindex = s.d->ifindex;
	snprintf(k->ifname, sizeof(k->ifname), "%s", s.d->name);
	memcpy(k->duid, x.duid, sizeof(k->duid));
	k->duid_len = x.r.duid_len;
	k->iaid = x.r.iaid;
	memcpy(k->server_id, x.done.server_id, x.done.server_id_len);
	k->server_id_len = x.done.server_id_len;
	memcpy(k->server, &x.done_from, 16);
	memcpy(k->addr, a->addr, 16);
	k->t1 = ia->t1;
	k->t2 = ia->t2;
	k->preferred = a->preferred;
	k->valid = a->valid;
	k->bound_at = monotonic_ms();
}

static bool dhcp6(struct netconf6 *nc, struct keep_lease6 *keep)
{
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;
	struct netdev_addr6 got;
	struct sr_error err = { 0 };
	char t[64];

	x_open();
	x_start(P_SOLICIT);
	x_run(s.o->deadline);
	if (x.phase != P_DONE)
		x_timeout();
	close(x.fd);
	x.fd = -1;
	take_options(&x.done, nc);

	if (x.stateless) {
		wait_slaac(&got, x.why_stateless);
		nc->has_addr = true;
		memcpy(nc->addr, got.addr, 16);
		nc->prefix = got.prefix;
		nc->lease = got.valid;
		log_notice("%s: SLAAC %s/%u, DHCPv6 information (%u DNS server%s)%s (%.2f s)", s.d->name,
			   dhcp6_ntop(got.addr, t), got.prefix, nc->ndns, nc->ndns == 1 ? "" : "s",
			   nc->rootpath[0] ? ", root path" : "", elapsed());
		return false;
	}
	dhcp6_lease_pick(&x.done, x.r.iaid, &ia, &a, &err);
	if (keep)
		describe_lease(ia, a, keep);
	nc->has_addr = true;
	memcpy(nc->addr, a->addr, 16);
	nc->prefix = 128;	/* DHCPv6 gives no prefix length: the on-link prefix is the RA's */
	dhcp6_ntop(a->addr, t);
	nc->lease = a->valid;
	if (!s.o->no_config) {
		if (netdev_add_addr6(s.nx, s.d->ifindex, a->addr, 128, a->preferred, a->valid, &err) < 0)
			tool_fail_why(err.reason, "unable to add %s/128 to %s: %s", t,
				      s.d->name, err.msg);
		while (!global_addr(a->addr, &got)) {
			if (monotonic_ms() >= s.o->deadline)
				tool_fail_why(SR_R_DAD_FAILED,
					      "unable to configure %s: duplicate address detection for %s did not end within %u s",
					      s.d->name, t, s.o->timeout);
			wait_io(-1, monotonic_ms() + 500);
		}
	}
	log_notice("%s: DHCPv6 lease %s/128%s (%.2f s)", s.d->name, t,
		   x.done.rapid_commit ? " (rapid commit)" : "", elapsed());
	return keep != NULL;
}

/* ip=auto6: SLAAC, and DNS from an Information-request when the router says so (O=1). */
static void auto6(struct netconf6 *nc)
{
	struct netdev_addr6 got;
	char t[64];

	wait_slaac(&got, NULL);
	nc->has_addr = true;
	memcpy(nc->addr, got.addr, 16);
	nc->prefix = got.prefix;
	nc->lease = got.valid;
	log_notice("%s: SLAAC %s/%u (%.2f s)", s.d->name, dhcp6_ntop(got.addr, t), got.prefix,
		   elapsed());
	if (ra_flags() & NETDEV_RA_OTHER) {
		int64_t until = monotonic_ms() + INFO_OPTIONAL_MS;

		x_open();
		x_start(P_INFO);
		x_run(until < s.o->deadline ? until : s.o->deadline);
		close(x.fd);
		x.fd = -1;
		if (x.phase == P_DONE)
			take_options(&x.done, nc);
		else
			log_warn("%s: no DHCPv6 reply to an Information-request (the router says O=1): no DNS servers",
				 s.d->name);
	}
}

static void begin(struct netdev_ctx *nx, const struct netdev *d, const struct net6_opts *o,
		  struct netconf6 *nc, const char *proto)
{
	struct sr_error err = { 0 };

	s.nx = nx;
	s.d = d;
	s.o = o;
	s.rs_sent = 0;
	s.rs_next = 0;
	memset(nc, 0, sizeof(*nc));
	snprintf(nc->device, sizeof(nc->device), "%s", d->name);
	nc->proto = proto;
	if ((s.evfd = netdev_events_fd(nx, &err)) < 0)
		tool_fail_why(err.reason, "unable to follow address changes: %s", err.msg);
}

void net6_configure_static(struct netdev_ctx *nx, const struct netdev *d, const struct net6_opts *o,
			   const struct net6_static *st, struct netconf6 *nc)
{
	static const uint8_t any[16];
	struct netdev_addr6 got;
	struct sr_error err = { 0 };
	char a[64], g[64];

	begin(nx, d, o, nc, "static");
	dhcp6_ntop(st->addr, a);
	dhcp6_ntop(st->gateway, g);
	if (!o->no_config) {
		if (netdev_add_addr6(nx, d->ifindex, st->addr, st->prefix, 0xffffffffu, 0xffffffffu,
				     &err) < 0)
			tool_fail_why(err.reason, "unable to add %s/%u to %s: %s", a, st->prefix, d->name,
				      err.msg);
		while (!global_addr(st->addr, &got)) {
			if (monotonic_ms() >= o->deadline)
				tool_fail_why(SR_R_DAD_FAILED,
					      "unable to configure %s: duplicate address detection for %s did not end within %u s",
					      d->name, a, o->timeout);
			wait_io(-1, monotonic_ms() + 500);
		}
		if (st->has_gateway && netdev_add_route6(nx, d->ifindex, any, 0, st->gateway, &err) < 0)
			tool_fail_why(err.reason, "unable to add the default route via %s on %s: %s", g,
				      d->name, err.msg);
	}
	nc->has_addr = true;
	memcpy(nc->addr, st->addr, 16);
	nc->prefix = st->prefix;
	nc->has_gateway = st->has_gateway;
	memcpy(nc->gateway, st->gateway, 16);
	nc->ndns = st->ndns;
	memcpy(nc->dns, st->dns, st->ndns * 16);
	nc->lease = 0xffffffffu;
	log_notice("%s: static %s/%u%s%s (%.2f s)", d->name, a, st->prefix,
		   st->has_gateway ? " via " : "", st->has_gateway ? g : "", elapsed());
}

bool net6_configure(struct netdev_ctx *nx, const struct netdev *d, const struct net6_opts *o,
		    struct netconf6 *nc, struct keep_lease6 *keep)
{
	struct sr_error err = { 0 };
	bool kept = false;

	begin(nx, d, o, nc, o->dhcp6 ? "dhcp6" : "auto6");
	if (!o->no_config && netdev_ipv6_autoconf(d->name, &err) < 0)
		tool_fail_why(SR_R_IPV6, "unable to configure %s: %s", d->name, err.msg);
	wait_link_local();
	if (o->dhcp6)
		kept = dhcp6(nc, keep);
	else
		auto6(nc);
	if (netdev_default_gw6(nx, d->ifindex, nc->gateway, &err) > 0)
		nc->has_gateway = true;
	return kept;
}
