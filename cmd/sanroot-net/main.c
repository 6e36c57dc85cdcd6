// SPDX-License-Identifier: GPL-2.0-only
/*
 * sanroot-net: bring up the boot NIC (link, carrier, VLAN, DHCPv4 or a static
 * address, routes, DNS; or IPv6: SLAAC, DHCPv6) and write /run/net-IFACE.conf
 * as klibc ipconfig does (/run/net6-IFACE.conf as initramfs-tools does).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "net/dhcp.h"
#include "net/dhcp_client.h"
#include "net/dhcp_sock.h"
#include "net/netconf.h"
#include "net/netdev.h"
#include "plan/plan.h"
#include "plan/plan_load.h"
#include "../plan_opts.h"
#include "core/quote.h"
#include "../tool.h"
#include "ipv6.h"
#include "keep.h"

#define MAX_JOBS (PLAN_MAX_NETS + 8)

/* One interface to configure: how to find it, and how to configure it. */
struct job {
	struct plan_net net;		/* method, static fields, dev, MAC, iBFT VLAN */
	const char *why;		/* where the job came from, for messages */
};

static struct {
	struct plan plan;
	struct job job[MAX_JOBS];
	unsigned njobs;
	struct netdev_ctx nx;
	int64_t start, deadline;
	unsigned timeout;
	bool no_config;
	bool rapid_commit;
	const char *vendor_class;
	const char *run_dir;
	const char *resolv_conf;
	bool keep_lease;
	struct keep_lease keep[KEEP_MAX_LEASES];
	unsigned nkeep;
	struct keep_lease6 keep6[KEEP_MAX_LEASES];
	unsigned nkeep6;
} g;	/* all zero: in .bss, not in the binary */


static double elapsed(void)
{
	return (double)(monotonic_ms() - g.start) / 1000.0;
}

static char *mac_str(const uint8_t m[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static void usage(void)
{
	printf("Usage: %s [OPTION]... [DEVICE]...\n"
	       "Bring up the boot network interface: link, carrier, VLAN, DHCPv4 or a static\n"
	       "address, routes and DNS, then write /run/net-DEVICE.conf as klibc ipconfig does;\n"
	       "with ip=auto6 (SLAAC) or ip=dhcp6 (DHCPv6), /run/net6-DEVICE.conf.\n"
	       "Without DEVICE or -d, the boot plan decides (ip=, BOOTIF=, ifname=, vlan=, iBFT).\n"
	       "\n"
	       "klibc ipconfig's options:\n"
	       "  -t, --timeout S        give up after S seconds (default: sanroot.timeout, 180)\n"
	       "  -c, --method M         dhcp (also bootp, on, any, both) or none (also off, static)\n"
	       "  -d, --device ARG       an interface name (\"\" or \"all\": choose), or an ip= value\n"
	       "  -i, --vendor-class S   DHCP vendor class identifier (default: sanroot)\n"
	       "  -n, --no-configure     bring the link up and lease, but only write the files\n"
	       "  -o                     stop after the first interface (always the case)\n"
	       "\n"
	       "sanroot's own:\n"
	       "      --no-rapid-commit  do not offer DHCP Rapid Commit (RFC 4039)\n"
	       "      --run-dir DIR      write net-DEVICE.conf into DIR (default: /run)\n"
	       "      --resolv-conf F    write DNS servers to F (default: /etc/resolv.conf)\n"
	       "      --no-resolv-conf   leave resolv.conf alone\n"
	       "      --keep-lease       leave a process that renews the leases for as long as\n"
	       "                         no other DHCP client serves their interface\n"
	       "  -v, --verbose          say more (twice: every packet)\n"
	       "\n"
	       "  -h, --help             this text\n"
	       "      --version          the version\n"
	       "\n"
	       PLAN_OPTIONS_HELP
	       "\n"
	       "Exit status: 0 when configured, 100 on bad usage, 111 when no interface, no\n"
	       "carrier or no lease came before the deadline, or the kernel refused a setting.\n",
	       tool_name);
}

/* Jobs ---------------------------------------------------------------------- */

static void add_job(const struct plan_net *n, const char *why)
{
	if (g.njobs == MAX_JOBS)
		tool_usage_error("more than %d interfaces to configure", MAX_JOBS);
	g.job[g.njobs].net = *n;
	g.job[g.njobs].why = why;
	g.njobs++;
}

static enum plan_ip_method method_arg(const char *m)
{
	if (!*m || !strcmp(m, "dhcp") || !strcmp(m, "bootp") || !strcmp(m, "on") ||
	    !strcmp(m, "any") || !strcmp(m, "both"))
		return IP_DHCP;
	if (!strcmp(m, "none") || !strcmp(m, "off") || !strcmp(m, "static"))
		return IP_OFF;
	if (!strcmp(m, "rarp"))
		tool_usage_error("RARP is not supported; use dhcp");
	tool_usage_error("unknown method '%s' (dhcp, bootp, on, any, both, none, off, static)", m);
}

/* A device argument as klibc takes it: a name, or an ip= value (with or without "ip="). */
static void device_arg(const char *arg, enum plan_ip_method method)
{
	struct sr_error err = { 0 };
	struct plan_net n;
	const char *v = arg;

	if (!strncmp(v, "ip=", 3))
		v += 3;
	else if (!strncmp(v, "nfsaddrs=", 9))
		v += 9;
	if (v != arg || strchr(v, ':')) {
		if (plan_parse_ip(v, &n, &err) < 0)
			tool_usage_error("bad ip= value '%s': %s", arg, err.msg);
	} else {
		memset(&n, 0, sizeof(n));
		if (strlen(v) >= sizeof(n.dev))
			tool_usage_error("interface name '%s' is too long", v);
		if (strcmp(v, "all"))
			snprintf(n.dev, sizeof(n.dev), "%s", v);
		n.method = method;
	}
	if (!strcmp(n.dev, "all"))
		n.dev[0] = '\0';
	if (n.method == IP_IBFT) {
		unsigned before = g.njobs;

		for (unsigned i = 0; i < g.plan.nnets; i++)
			if (g.plan.net[i].origin == ORIGIN_IBFT)
				add_job(&g.plan.net[i], "the iBFT");
		if (g.njobs == before)
			tool_fail("unable to configure ip=ibft: the boot plan has no iBFT NIC");
		return;
	}
	add_job(&n, "the command line");
}

static void jobs_from_plan(void)
{
	struct plan_net n;

	for (unsigned i = 0; i < g.plan.nnets; i++)
		add_job(&g.plan.net[i], plan_origin_name(g.plan.net[i].origin));
	if (g.njobs)
		return;
	memset(&n, 0, sizeof(n));
	n.method = IP_DHCP;
	add_job(&n, "the default (DHCP)");
}

/* Finding the interface ---------------------------------------------------- */

static const struct plan_vlan *plan_vlan_named(const char *name)
{
	for (unsigned i = 0; i < g.plan.nvlans; i++)
		if (!strcmp(g.plan.vlan[i].name, name))
			return &g.plan.vlan[i];
	return NULL;
}

static const struct plan_ifname *plan_ifname_named(const char *name)
{
	for (unsigned i = 0; i < g.plan.nifnames; i++)
		if (!strcmp(g.plan.ifname[i].name, name))
			return &g.plan.ifname[i];
	return NULL;
}

/* Wait for a link event, or until the deadline; false once it has passed. */
static bool wait_event(int max_ms)
{
	int64_t left = g.deadline - monotonic_ms();
	struct sr_error err = { 0 };

	if (left <= 0)
		return false;
	if (netdev_wait(&g.nx, (int)(left > max_ms ? max_ms : left), &err) < 0)
		tool_fail_why(err.reason, "unable to follow link changes: %s", err.msg);
	return monotonic_ms() < g.deadline;
}

static void list_links(struct netdev *l, unsigned *n)
{
	struct sr_error err = { 0 };

	if (netdev_list(&g.nx, l, NETDEV_MAX, n, &err) < 0)
		tool_fail_why(err.reason, "unable to list interfaces: %s", err.msg);
}

/* Even with -n: ipconfig -n brings the link up too, or there would be no lease to write. */
static void link_up(const struct netdev *d)
{
	struct sr_error err = { 0 };

	if (netdev_up(&g.nx, d, &err) < 0)
		tool_fail_why(err.reason, "unable to bring %s up: %s", d->name, err.msg);
}

/*
 * The physical interface for a job: by name (ifname= may map the name to a
 * MAC, and the interface is renamed), by MAC (dracut's ip=, the iBFT), by
 * BOOTIF, or the first that gets carrier. Waits for it to appear.
 */
static void find_physical(const struct job *j, const char *name, struct netdev *out)
{
	static struct netdev l[NETDEV_MAX];
	const struct plan_ifname *map = name[0] ? plan_ifname_named(name) : NULL;
	const uint8_t *mac = NULL;
	const char *mac_from = NULL;
	bool brought_up = false;
	char m[18];
	unsigned n;
	int i;

	if (map) {
		mac = map->mac;
		mac_from = "ifname=";
	} else if (!name[0] && j->net.has_mac) {
		mac = j->net.mac;
		mac_from = j->net.origin == ORIGIN_IBFT ? "the iBFT" : "ip=";
	} else if (!name[0] && g.plan.has_bootif) {
		mac = g.plan.bootif;
		mac_from = "BOOTIF=";
	}

	/* A plain name needs no listing: one lookup, repeated as links come and go. */
	while (name[0] && !mac) {
		struct sr_error err = { 0 };
		int rc = netdev_get(&g.nx, name, out, &err);

		if (rc == 0)
			return;
		if (rc != -ENODEV)
			tool_fail_why(err.reason, "unable to read %s: %s", name, err.msg);
		if (!wait_event(1000))
			tool_fail_why(SR_R_NO_IFACE, "unable to find interface %s within %u s", name,
				      g.timeout);
	}

	for (;;) {
		list_links(l, &n);
		if (map && (i = netdev_find_name(l, n, name)) >= 0 && !memcmp(l[i].mac, mac, 6)) {
			*out = l[i];
			return;
		}
		if (mac) {
			i = netdev_find_mac(l, n, mac);
		} else {
			/*
			 * No name, no MAC: every candidate comes up and the first with
			 * carrier wins. A link brought up lists as up next time round.
			 */
			for (unsigned k = 0; k < n; k++)
				if (netdev_candidate(&l[k]) && !(l[k].flags & IFF_UP)) {
					link_up(&l[k]);
					brought_up = true;
				}
			if (brought_up) {
				brought_up = false;
				continue;
			}
			i = netdev_first_carrier(l, n);
		}
		if (i >= 0)
			break;
		if (!wait_event(1000)) {
			if (mac)
				tool_fail_why(SR_R_NO_IFACE_MAC,
					      "unable to find the interface with MAC %s (from %s) within %u s",
					      mac_str(mac, m), mac_from, g.timeout);
			tool_fail_why(SR_R_NO_LINK, "unable to find an interface with carrier within %u s",
				      g.timeout);
		}
	}
	*out = l[i];
	if (map && strcmp(out->name, name)) {
		struct sr_error err = { 0 };

		log_info("renaming %s (%s) to %s, as ifname= asks", out->name, mac_str(mac, m),
			 name);
		if (!g.no_config && netdev_rename(&g.nx, out, name, &err) < 0)
			tool_fail_why(err.reason, "unable to rename %s to %s: %s", out->name, name, err.msg);
		snprintf(out->name, sizeof(out->name), "%s", name);
	} else if (mac) {
		log_info("%s has MAC %s (from %s)", out->name, mac_str(mac, m), mac_from);
	}
}

static void refresh(struct netdev *d)
{
	struct sr_error err = { 0 };

	if (netdev_get(&g.nx, d->name, d, &err) < 0)
		tool_fail_why(err.reason, "unable to read %s: %s", d->name, err.msg);
}

static void wait_carrier(struct netdev *d)
{
	int64_t t0 = monotonic_ms();

	/* d is fresh from the lookup that found it: ask again only while it has none. */
	for (; !d->carrier; refresh(d))
		if (!wait_event(500))
			tool_fail_why(SR_R_NO_CARRIER,
				      "unable to use %s: no carrier within %u s (is the cable in?)", d->name,
				      g.timeout);
	if (monotonic_ms() - t0 >= 100)
		log_info("%s: carrier after %.2f s", d->name, (double)(monotonic_ms() - t0) / 1000);
}

/* The interface a job configures: the physical one, or a VLAN on it, up and with carrier. */
static void bring_up(const struct job *j, struct netdev *dev)
{
	const struct plan_vlan *pv = j->net.dev[0] ? plan_vlan_named(j->net.dev) : NULL;
	const char *phys_name = pv ? pv->parent : j->net.dev;
	uint16_t vid = pv ? pv->id : j->net.vlan;
	struct sr_error err = { 0 };
	struct netdev phys;
	char vname[NETDEV_NAME_MAX];

	/* dracut's vlan= with a plain ip=dhcp: the VLAN is the boot network. */
	if (!j->net.dev[0] && !j->net.has_mac && g.plan.nvlans && !pv) {
		pv = &g.plan.vlan[0];
		phys_name = pv->parent;
		vid = pv->id;
	}
	find_physical(j, phys_name, &phys);
	if (!(phys.flags & IFF_UP)) {
		link_up(&phys);
		refresh(&phys);
	}
	if (!vid) {
		*dev = phys;
		wait_carrier(dev);
		return;
	}

	if (pv)
		snprintf(vname, sizeof(vname), "%s", pv->name);
	else if (snprintf(vname, sizeof(vname), "%s.%u", phys.name, vid) >= (int)sizeof(vname))
		tool_fail("unable to name VLAN %u on %s: the name is too long", vid, phys.name);
	if (g.no_config)
		tool_fail("unable to use VLAN %s with -n: it would have to be created", vname);
	if (netdev_add_vlan(&g.nx, &phys, vid, vname, &err) < 0)
		tool_fail_why(err.reason, "unable to create VLAN %u on %s: %s", vid, phys.name, err.msg);
	log_info("%s: VLAN %u on %s", vname, vid, phys.name);
	snprintf(dev->name, sizeof(dev->name), "%s", vname);
	refresh(dev);
	link_up(dev);
	wait_carrier(dev);
}

/* DHCP ------------------------------------------------------------------------ */

static uint32_t random32(const uint8_t mac[6])
{
	uint32_t r;

	/* Transaction ids need to differ between clients, not to be secret: never block. */
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == sizeof(r))
		return r;
	r = (uint32_t)monotonic_ms() ^ (uint32_t)getpid() << 16;
	for (int i = 0; i < 6; i++)
		r = r * 31 + mac[i];
	return r;
}

static void dhcp_timeout(const struct dhcp_client *c, const char *dev)
{
	char a[16], b[16], naks[48] = "";

	if (c->naks)
		snprintf(naks, sizeof(naks), "; refused (NAK) %u time%s", c->naks,
			 c->naks == 1 ? "" : "s");
	switch (c->state) {
	case DHCP_REQUESTING:
		tool_fail_why(SR_R_DHCP_NO_ACK,
			      "unable to configure %s: %s offered %s but did not acknowledge it within %u s%s",
			      dev, dhcp_ntoa(c->server, a), dhcp_ntoa(c->offered, b), g.timeout, naks);
	case DHCP_REBOOTING:
		tool_fail_why(SR_R_DHCP_SILENT,
			      "unable to configure %s: no answer to a request for %s within %u s%s", dev,
			      dhcp_ntoa(c->cfg.requested_ip, a), g.timeout, naks);
	default:
		tool_fail_why(SR_R_DHCP_NO_OFFER,
			      "unable to configure %s: no DHCP server answered within %u s (%u request%s sent)%s",
			      dev, g.timeout, c->sent, c->sent == 1 ? "" : "s", naks);
	}
}

static void handle_frame(struct dhcp_client *c, const uint8_t *buf, size_t len, bool check_sum,
			 const char *dev)
{
	struct sr_error err = { 0 };
	static struct dhcp_msg m;
	const char *why;
	char a[16], b[16], q[200];
	uint32_t src;

	if (dhcp_parse_frame(buf, len, check_sum, &m, &src, &err) < 0) {
		log_debug("%s: ignored a packet: %s", dev, err.msg);
		return;
	}
	switch (dhcp_client_input(c, monotonic_ms(), &m, &why)) {
	case DHCP_EV_IGNORED:
		log_debug("%s: ignored a %s from %s: %s", dev, dhcp_type_name(m.type),
			  dhcp_ntoa(src, a), why);
		break;
	case DHCP_EV_OFFER:
		log_debug("%s: %s offers %s", dev, dhcp_ntoa(m.server_id, a),
			  dhcp_ntoa(m.yiaddr, b));
		break;
	case DHCP_EV_NAK:
		quote_printable(q, sizeof(q), m.message, strlen(m.message));
		log_warn("%s: %s refused our request (NAK)%s%s%s", dev,
			 dhcp_ntoa(m.server_id ? m.server_id : src, a), q[0] ? ": \"" : "", q,
			 q[0] ? "\"" : "");
		break;
	case DHCP_EV_BOUND:
		break;
	}
}

/* The DHCP exchange in progress, on x.d; x.fd is -1 when there is none. */
static struct {
	int fd;
	struct netdev d;
	struct dhcp_client c;
	uint8_t buf[DHCP_PACKET_MAX + 512];
} x = { .fd = -1 };

/* Send whatever the client has due now; returns when it waits. */
static void dhcp_send_due(int64_t *wake)
{
	struct sr_error err = { 0 };
	int n;

	while ((n = dhcp_client_output(&x.c, monotonic_ms(), x.buf, sizeof(x.buf), wake)) != 0) {
		if (n < 0)
			tool_fail("unable to build a DHCP request: %s", strerror(-n));
		log_debug("%s: %s %s", x.d.name, dhcp_state_name(x.c.state),
			  x.c.state == DHCP_SELECTING ? "DHCPDISCOVER" : "DHCPREQUEST");
		if (dhcp_sock_send(x.fd, x.d.ifindex, x.buf, (size_t)n, &err) < 0)
			log_warn("%s: unable to send: %s", x.d.name, err.msg);
	}
}

static void dhcp_start(const struct job *j, const struct netdev *d)
{
	struct dhcp_client_cfg cfg = {
		.rapid_commit = g.rapid_commit,
		.broadcast = true,
		.max_size = d->mtu >= 576 && d->mtu < DHCP_PACKET_MAX ? (uint16_t)d->mtu :
							       DHCP_PACKET_MAX,
	};
	struct sr_error err = { 0 };
	struct in_addr want;
	int64_t wake;

	memcpy(cfg.mac, d->mac, 6);
	cfg.xid = random32(d->mac);
	cfg.seed = random32(d->mac) | 1;
	snprintf(cfg.hostname, sizeof(cfg.hostname), "%s", j->net.hostname);
	snprintf(cfg.vendor_class, sizeof(cfg.vendor_class), "%s", g.vendor_class);
	/* klibc: ip=<addr>:...:dhcp asks for that address first (INIT-REBOOT). */
	if (j->net.addr[0] && inet_pton(AF_INET, j->net.addr, &want) == 1)
		cfg.requested_ip = ntohl(want.s_addr);

	if ((x.fd = dhcp_sock_open(d->ifindex, &err)) < 0)
		tool_fail_why(err.reason, "unable to run DHCP on %s: %s", d->name, err.msg);
	x.d = *d;
	dhcp_client_init(&x.c, &cfg, monotonic_ms());
	dhcp_send_due(&wake);
}

static void dhcp_drop(void)
{
	if (x.fd >= 0)
		close(x.fd);
	x.fd = -1;
}

/* Run the exchange dhcp_start() began until the lease, or fail at the deadline. */
static void dhcp_finish(struct netconf *nc)
{
	const struct netdev *d = &x.d;
	struct dhcp_client *c = &x.c;
	struct sr_error err = { 0 };

	while (c->state != DHCP_BOUND) {
		struct pollfd p = { .fd = x.fd, .events = POLLIN };
		int64_t wake, now;
		bool check_sum;
		ssize_t len;

		dhcp_send_due(&wake);
		if ((now = monotonic_ms()) >= g.deadline)
			dhcp_timeout(c, d->name);
		if (wake > g.deadline)
			wake = g.deadline;
		if (poll(&p, 1, (int)(wake - now)) <= 0)
			continue;
		while (c->state != DHCP_BOUND &&
		       (len = dhcp_sock_recv(x.fd, x.buf, sizeof(x.buf), &check_sum, &err)) != 0) {
			if (len < 0) {
				log_debug("%s: %s", d->name, err.msg);
				if (err.code != -EAGAIN && err.code != -EMSGSIZE)
					break;
				continue;
			}
			handle_frame(c, x.buf, (size_t)len, check_sum, d->name);
		}
	}
	dhcp_drop();

	if (c->lease.ignored) {
		static const char *const what[] = {
			"T1/T2 out of order (defaults used)", "an MTU below 68",
			"malformed classless routes (option 121; option 3 used)",
			"a malformed domain search list", "a broadcast address outside the subnet",
		};

		for (unsigned i = 0; i < sizeof(what) / sizeof(what[0]); i++)
			if (c->lease.ignored & (1u << i))
				log_warn("%s: ignored %s from the server", d->name, what[i]);
	}
	netconf_from_lease(nc, d->name, &c->lease);
	{
		char a[16], s[16];

		log_notice("%s: lease %s/%u from %s%s (%.2f s)", d->name, dhcp_ntoa(nc->addr, a),
			   nc->prefix, dhcp_ntoa(c->server, s), c->rapid ? " (rapid commit)" : "",
			   elapsed());
	}
}

/* Applying and writing --------------------------------------------------------- */

static void apply(const struct netconf *nc, struct netdev *d)
{
	struct sr_error err = { 0 };
	char a[16];

	if (nc->mtu && netdev_set_mtu(&g.nx, d, nc->mtu, &err) < 0)
		log_warn("%s: unable to set the MTU to %u: %s", d->name, nc->mtu, err.msg);
	if (netdev_add_addr(&g.nx, d->ifindex, nc->addr, nc->prefix, nc->broadcast, &err) < 0)
		tool_fail_why(err.reason, "unable to add %s/%u to %s: %s", dhcp_ntoa(nc->addr, a), nc->prefix,
			  d->name, err.msg);
	if (keep_routes(&g.nx, d->ifindex, nc, &err) < 0)
		tool_fail_why(err.reason, "%s", err.msg);
	if (nc->hostname[0] && sethostname(nc->hostname, strlen(nc->hostname)) < 0) {
		char q[300];

		log_warn("unable to set the hostname to \"%s\": %s",
			 quote_printable(q, sizeof(q), nc->hostname, strlen(nc->hostname)),
			 strerror(errno));
	}
}

/* Write a file whole or not at all: a reader (initramfs-tools) may be waiting for it. */
static void write_file(const char *path, const struct netconf *nc,
		       void (*writer)(const struct netconf *, FILE *), bool atomic)
{
	char tmp[PLAN_PATH_MAX + 16];
	const char *slash = strrchr(path, '/');
	FILE *f;

	if (atomic)
		snprintf(tmp, sizeof(tmp), "%.*s.%s.tmp", slash ? (int)(slash - path + 1) : 0, path,
			 slash ? slash + 1 : path);
	else
		snprintf(tmp, sizeof(tmp), "%s", path);
	if (!(f = fopen(tmp, "w")))
		tool_fail("unable to write %s: %s", tmp, strerror(errno));
	writer(nc, f);
	if (fflush(f) || ferror(f) || fsync(fileno(f)) < 0 || fclose(f))
		tool_fail("unable to write %s: %s", tmp, strerror(errno));
	if (atomic && rename(tmp, path) < 0)
		tool_fail("unable to rename %s to %s: %s", tmp, path, strerror(errno));
}

static void configure(const struct job *j)
{
	struct sr_error err = { 0 };
	struct netconf nc;
	struct netdev d;
	struct sysinfo si;
	char path[PLAN_PATH_MAX], a[16], b[16];

	/* An exchange begun early counts only for the plain DHCP job it guessed. */
	if (x.fd >= 0 && (strcmp(j->net.dev, x.d.name) || j->net.method == IP_STATIC ||
			  j->net.mtu || j->net.addr[0] || j->net.hostname[0] ||
			  plan_vlan_named(x.d.name) || plan_ifname_named(x.d.name))) {
		log_debug("%s: dropping the exchange begun before the boot plan was read",
			  x.d.name);
		dhcp_drop();
	}
	if (x.fd >= 0)
		d = x.d;
	else
		bring_up(j, &d);
	if (!d.ether)
		tool_fail("unable to configure %s: not an Ethernet interface", d.name);
	if (j->net.mtu && !g.no_config) {
		if (netdev_set_mtu(&g.nx, &d, j->net.mtu, &err) < 0)
			tool_fail_why(err.reason, "unable to set the MTU of %s to %u: %s", d.name, j->net.mtu, err.msg);
		d.mtu = j->net.mtu;
	}

	if (j->net.method == IP_STATIC) {
		struct netconf_static st;

		plan_net_static(&j->net, &st);
		if (netconf_from_static(&nc, d.name, &st, &err) < 0)
			tool_usage_error("bad static configuration for %s: %s", d.name, err.msg);
		log_notice("%s: static %s/%u%s%s (%.2f s)", d.name, dhcp_ntoa(nc.addr, a), nc.prefix,
			   nc.gateway ? " via " : "", nc.gateway ? dhcp_ntoa(nc.gateway, b) : "",
			   elapsed());
	} else {
		if (x.fd < 0)
			dhcp_start(j, &d);
		dhcp_finish(&nc);
	}
	if (sysinfo(&si) == 0)
		nc.uptime = si.uptime;
	if (!g.no_config)
		apply(&nc, &d);
	if (g.keep_lease && !g.no_config && j->net.method != IP_STATIC &&
	    g.nkeep < KEEP_MAX_LEASES) {
		struct keep_lease *k = &g.keep[g.nkeep++];

		k->c = x.c;
		k->ifindex = d.ifindex;
		snprintf(k->ifname, sizeof(k->ifname), "%s", d.name);
		k->nc = nc;
	}

	if (nc.rootpath[0]) {
		char q[DHCP_LONG_STR_MAX * 4];

		log_info("%s: root path \"%s\"", d.name,
			 quote_printable(q, sizeof(q), nc.rootpath, strlen(nc.rootpath)));
	}
	if (snprintf(path, sizeof(path), "%s/net-%s.conf", g.run_dir, d.name) >= (int)sizeof(path))
		tool_fail("unable to write the configuration: %s is too long", g.run_dir);
	write_file(path, &nc, netconf_write, true);
	if (g.resolv_conf && (nc.ndns || nc.search[0]))
		write_file(g.resolv_conf, &nc, netconf_write_resolv, false);
}

static void write_net6(const struct netconf6 *nc)
{
	char path[PLAN_PATH_MAX], tmp[PLAN_PATH_MAX + 16];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/net6-%s.conf", g.run_dir, nc->device) >= (int)sizeof(path))
		tool_fail("unable to write the configuration: %s is too long", g.run_dir);
	snprintf(tmp, sizeof(tmp), "%s/.net6-%s.conf.tmp", g.run_dir, nc->device);
	if (!(f = fopen(tmp, "w")))
		tool_fail("unable to write %s: %s", tmp, strerror(errno));
	netconf6_write(nc, f);
	if (fflush(f) || ferror(f) || fsync(fileno(f)) < 0 || fclose(f))
		tool_fail("unable to write %s: %s", tmp, strerror(errno));
	if (rename(tmp, path) < 0)
		tool_fail("unable to rename %s to %s: %s", tmp, path, strerror(errno));
	/* Appended: an IPv4 configuration of the same boot keeps its servers. */
	if (g.resolv_conf && nc->ndns) {
		if (!(f = fopen(g.resolv_conf, "a")))
			tool_fail("unable to write %s: %s", g.resolv_conf, strerror(errno));
		netconf6_write_resolv(nc, f);
		if (fflush(f) || ferror(f) || fclose(f))
			tool_fail("unable to write %s: %s", g.resolv_conf, strerror(errno));
	}
}

/* The static IPv6 ip= fields, as addresses; bad ones are a usage error. */
static void static6_from_plan(const struct plan_net *n, struct net6_static *st)
{
	memset(st, 0, sizeof(*st));
	if (inet_pton(AF_INET6, n->addr, st->addr) != 1)
		tool_usage_error("bad ip=: '%s' is not an IPv6 address", n->addr);
	st->prefix = n->prefix ? n->prefix : 64;
	if (n->gateway[0]) {
		if (inet_pton(AF_INET6, n->gateway, st->gateway) != 1)
			tool_usage_error("bad ip=: the gateway '%s' of an IPv6 address is not an IPv6 address",
					 n->gateway);
		st->has_gateway = true;
	}
	for (unsigned i = 0; i < 2; i++)
		if (n->dns[i][0]) {
			if (inet_pton(AF_INET6, n->dns[i], st->dns[st->ndns]) != 1)
				tool_usage_error("bad ip=: the DNS server '%s' is not an IPv6 address",
						 n->dns[i]);
			st->ndns++;
		}
}

/* ip=dhcp6, ip=auto6, and a static IPv6 address. */
static void configure6(const struct job *j)
{
	struct net6_opts o = {
		.dhcp6 = j->net.method == IP_DHCP6,
		.rapid_commit = g.rapid_commit,
		.no_config = g.no_config,
		.start = g.start,
		.deadline = g.deadline,
		.timeout = g.timeout,
	};
	struct netconf6 nc;
	struct netdev d;
	struct sysinfo si;

	dhcp_drop();	/* a DHCPv4 exchange begun before the plan said IPv6 */
	bring_up(j, &d);
	if (!d.ether)
		tool_fail("unable to configure %s: not an Ethernet interface", d.name);
	if (j->net.method == IP_STATIC) {
		struct net6_static st;

		static6_from_plan(&j->net, &st);
		net6_configure_static(&g.nx, &d, &o, &st, &nc);
		snprintf(nc.hostname, sizeof(nc.hostname), "%s", j->net.hostname);
		if (!g.no_config && nc.hostname[0] && sethostname(nc.hostname, strlen(nc.hostname)) < 0)
			log_warn("unable to set the hostname to \"%s\": %s", nc.hostname, strerror(errno));
	} else {
		bool keep = g.keep_lease && !g.no_config && g.nkeep6 < KEEP_MAX_LEASES;

		if (net6_configure(&g.nx, &d, &o, &nc, keep ? &g.keep6[g.nkeep6] : NULL))
			g.nkeep6++;
	}
	if (sysinfo(&si) == 0)
		nc.uptime = si.uptime;
	if (nc.rootpath[0]) {
		char q[DHCP_LONG_STR_MAX * 4];

		log_info("%s: root path \"%s\"", d.name,
			 quote_printable(q, sizeof(q), nc.rootpath, strlen(nc.rootpath)));
	}
	write_net6(&nc);
}

/*
 * ipconfig's invocation with one device by name (initramfs-tools' own): when
 * that interface is already up with carrier, the DISCOVER goes out before the
 * boot plan is read, and the plan loads while the server answers. configure()
 * drops the exchange if the plan makes the name a VLAN or an ifname= alias.
 */
static void early_dhcp(const char *name, long timeout)
{
	struct sr_error err = { 0 };
	struct job j = { .net = { .method = IP_DHCP } };
	struct netdev d;

	if (!*name || !strcmp(name, "all") || strchr(name, ':') || !strncmp(name, "ip=", 3) ||
	    strlen(name) >= sizeof(j.net.dev))
		return;
	if (netdev_get(&g.nx, name, &d, &err) < 0 || !(d.flags & IFF_UP) || !d.carrier ||
	    !d.ether)
		return;
	snprintf(j.net.dev, sizeof(j.net.dev), "%s", name);
	g.deadline = g.start + (int64_t)timeout * 1000;
	dhcp_start(&j, &d);
}

enum {
	OPT_NO_RAPID = 256, OPT_RUN_DIR, OPT_RESOLV, OPT_NO_RESOLV, OPT_KEEP, OPT_VERSION,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "method", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "vendor-class", required_argument, NULL, 'i' },
		{ "no-configure", no_argument, NULL, 'n' },
		{ "no-rapid-commit", no_argument, NULL, OPT_NO_RAPID },
		{ "run-dir", required_argument, NULL, OPT_RUN_DIR },
		{ "resolv-conf", required_argument, NULL, OPT_RESOLV },
		{ "no-resolv-conf", no_argument, NULL, OPT_NO_RESOLV },
		{ "keep-lease", no_argument, NULL, OPT_KEEP },
		PLAN_OPTIONS,
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 }
	};
	const char *devs[MAX_JOBS];
	struct plan_load_opts po = { 0 };
	struct sr_error err = { 0 };
	enum plan_ip_method method = IP_DHCP;
	unsigned ndevs = 0;
	long timeout = -1;
	int c;

	g.start = monotonic_ms();
	g.rapid_commit = true;
	g.vendor_class = "sanroot";
	g.run_dir = "/run";
	g.resolv_conf = "/etc/resolv.conf";
	tool_init("sanroot-net");
	while ((c = getopt_long(argc, argv, "t:c:d:i:nohv", longopts, NULL)) != -1) {
		switch (c) {
		case 't': {
			char *end;

			errno = 0;
			timeout = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || timeout < 0 || timeout > 86400)
				tool_usage_error("bad timeout '%s' (seconds, 0 to 86400)", optarg);
			break;
		}
		case 'c': method = method_arg(optarg); break;
		case 'd':
			if (ndevs == MAX_JOBS)
				tool_usage_error("too many devices");
			devs[ndevs++] = optarg;
			break;
		case 'i':
			if (strlen(optarg) > 255)
				tool_usage_error("the vendor class is longer than 255 bytes");
			g.vendor_class = optarg;
			break;
		case 'n': g.no_config = true; break;
		case 'o': break;
		case OPT_NO_RAPID: g.rapid_commit = false; break;
		case OPT_RUN_DIR: g.run_dir = optarg; break;
		case OPT_RESOLV: g.resolv_conf = optarg; break;
		case OPT_NO_RESOLV: g.resolv_conf = NULL; break;
		case OPT_KEEP: g.keep_lease = true; break;
		case 'v': tool_verbosity++; break;
		case 'h': usage(); return 0;
		case OPT_VERSION: printf("sanroot-net %s\n", SANROOT_VERSION); return 0;
		default:
			if (!plan_opt(&po, c, optarg))
				tool_usage_error("unknown option");
		}
	}
	for (; optind < argc; optind++) {
		if (ndevs == MAX_JOBS)
			tool_usage_error("too many devices");
		devs[ndevs++] = argv[optind];
	}
	/*
	 * Devices named as ipconfig takes them say what to configure; the iBFT
	 * matters then only for ip=ibft. Not looking spares a scan of low memory.
	 */
	if (ndevs && !po.ibft_file) {
		bool ibft = false;

		for (unsigned i = 0; i < ndevs; i++)
			ibft |= !strcmp(devs[i], "ip=ibft");
		po.no_ibft |= !ibft;
	}

	if (netdev_open(&g.nx, &err) < 0)
		tool_fail_why(err.reason, "unable to talk to the kernel: %s", err.msg);
	if (ndevs == 1 && timeout >= 0 && method == IP_DHCP)
		early_dhcp(devs[0], timeout);
	if (tool_plan_load(&po, &g.plan, false, &err) < 0)
		tool_fail_why(err.reason, "unable to read the boot plan: %s", err.msg);
	if (g.plan.sanroot.debug && tool_verbosity < 2)
		tool_verbosity = 2;
	g.timeout = timeout >= 0 ? (unsigned)timeout : g.plan.sanroot.timeout;
	g.deadline = g.start + (int64_t)g.timeout * 1000;

	for (unsigned i = 0; i < ndevs; i++)
		device_arg(devs[i], method);
	if (!ndevs)
		jobs_from_plan();

	for (unsigned i = 0; i < g.njobs; i++) {
		const struct job *j = &g.job[i];

		switch (j->net.method) {
		case IP_OFF:
			log_info("%s: nothing to configure (ip=off or none, from %s)",
				 j->net.dev[0] ? j->net.dev : "any interface", j->why);
			continue;
		case IP_DHCP6:
		case IP_AUTO6:
			configure6(j);
			continue;
		case IP_STATIC:
			if (strchr(j->net.addr, ':')) {
				configure6(j);
				continue;
			}
			configure(j);
			continue;
		default:
			configure(j);
		}
	}
	netdev_close(&g.nx);
	if ((g.nkeep || g.nkeep6) && keep_start(g.keep, g.nkeep, g.keep6, g.nkeep6, argc, argv) < 0)
		log_warn("nothing renews the lease unless the real root runs a DHCP client");
	return 0;
}
