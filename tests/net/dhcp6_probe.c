// SPDX-License-Identifier: GPL-2.0-only
/*
 * A throwaway DHCPv6 client for tests/net/dhcp6-codec.sh: lib/net/dhcp6's
 * messages over a UDP socket from [link-local]:546 to [ff02::1:2]:547 on one
 * interface. It prints what the answers hold, one "key value" line each, and
 * writes each answer it accepts to PREFIX-advertise / PREFIX-reply (the
 * corpus seeds). Nothing is configured on the interface.
 *
 *   dhcp6_probe [-r] [-i] [-w PREFIX] IFACE
 *     -r  Rapid Commit in the Solicit     -i  stateless: Information-request only
 *
 * Exit 0 when the exchange ended with a usable Reply, 111 otherwise.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/dhcp6.h"

static int sock = -1;
static unsigned ifindex;
static const char *prefix;

static void die(const char *what, const char *why)
{
	fprintf(stderr, "dhcp6_probe: unable to %s: %s\n", what, why);
	exit(111);
}

static void save(const char *kind, const uint8_t *buf, size_t len)
{
	char path[4096];
	FILE *f;

	if (!prefix)
		return;
	snprintf(path, sizeof(path), "%s-%s", prefix, kind);
	if (!(f = fopen(path, "wb")) || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		die("write a capture", strerror(errno));
}

/* Send r and wait for an answer dhcp6_reply_check() accepts: three tries, 1 s apart. */
static void exchange(const struct dhcp6_request *r, struct dhcp6_msg *m)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_SERVER_PORT),
				   .sin6_scope_id = ifindex };
	uint8_t out[DHCP6_PACKET_MAX], in[DHCP6_PACKET_MAX];
	struct sr_error err;
	int n = dhcp6_build(r, out, sizeof(out));

	if (n < 0)
		die("build a message", strerror(-n));
	memcpy(&to.sin6_addr, dhcp6_all_servers, 16);
	for (int tries = 0; tries < 3; tries++) {
		struct timespec end, now;

		if (sendto(sock, out, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) != n)
			die("send", strerror(errno));
		printf("sent %s\n", dhcp6_type_name(r->type));
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += 1;
		for (;;) {
			struct pollfd p = { .fd = sock, .events = POLLIN };
			long ms;
			ssize_t got;

			clock_gettime(CLOCK_MONOTONIC, &now);
			ms = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
			if (ms <= 0 || poll(&p, 1, (int)ms) <= 0)
				break;
			if ((got = recv(sock, in, sizeof(in), 0)) < 0)
				die("receive", strerror(errno));
			if (dhcp6_parse(in, (size_t)got, m, &err) < 0 ||
			    dhcp6_reply_check(m, r, &err) < 0) {
				fprintf(stderr, "dhcp6_probe: ignored an answer: %s\n", err.msg);
				continue;
			}
			save(m->type == DHCP6_ADVERTISE ? "advertise" : "reply", in, (size_t)got);
			return;
		}
	}
	die("hear a server", "no answer");
}

static void show(const struct dhcp6_msg *m, uint32_t iaid, bool stateful)
{
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;
	struct sr_error err;
	char buf[DHCP6_URL_MAX], addr[46];
	int rc;

	printf("got %s\n", dhcp6_type_name(m->type));
	if (m->has_preference)
		printf("preference %u\n", m->preference);
	if (m->rapid_commit)
		printf("rapid_commit 1\n");
	if (stateful) {
		if (dhcp6_lease_pick(m, iaid, &ia, &a, &err) < 0)
			die("lease an address", err.msg);
		printf("address %s preferred %u valid %u\n", dhcp6_ntop(a->addr, addr), a->preferred,
		       a->valid);
		printf("t1 %u t2 %u\n", ia->t1, ia->t2);
	}
	for (unsigned i = 0; i < m->ndns; i++)
		printf("dns %s\n", dhcp6_ntop(m->dns[i], addr));
	if (m->bootfile_url[0]) {
		printf("bootfile %s\n", m->bootfile_url);
		rc = dhcp6_bootfile_rootpath(m->bootfile_url, buf, sizeof(buf), &err);
		if (rc < 0)
			die("read the root path", err.msg);
		if (rc > 0)
			printf("rootpath %s\n", buf);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in6 me = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_CLIENT_PORT) };
	struct dhcp6_request r = { .oro = dhcp6_default_oro, .noro = 2 };
	static struct dhcp6_msg adv, reply;
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;
	struct sr_error err;
	uint8_t duid[DHCP6_DUID_LL_LEN];
	struct ifreq ifr = { 0 };
	bool rapid = false, stateless = false;
	const char *ifname;
	int opt, one = 1;

	while ((opt = getopt(argc, argv, "riw:")) != -1) {
		switch (opt) {
		case 'r': rapid = true; break;
		case 'i': stateless = true; break;
		case 'w': prefix = optarg; break;
		default:
			fprintf(stderr, "usage: dhcp6_probe [-r] [-i] [-w PREFIX] IFACE\n");
			return 100;
		}
	}
	if (optind != argc - 1 || strlen(argv[optind]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: dhcp6_probe [-r] [-i] [-w PREFIX] IFACE\n");
		return 100;
	}
	ifname = argv[optind];
	if (!(ifindex = if_nametoindex(ifname)))
		die("find the interface", strerror(errno));
	if ((sock = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		die("open a socket", strerror(errno));
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(sock, SIOCGIFHWADDR, &ifr) < 0)
		die("read the MAC", strerror(errno));
	if (setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(sock, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
	    bind(sock, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("bind [::]:546", strerror(errno));

	r.duid = duid;
	r.duid_len = dhcp6_duid_ll((const uint8_t *)ifr.ifr_hwaddr.sa_data, duid);
	r.iaid = dhcp6_iaid_from_mac((const uint8_t *)ifr.ifr_hwaddr.sa_data);
	r.xid = 0x5a6b7c;

	if (stateless) {
		r.type = DHCP6_INFORMATION_REQUEST;
		exchange(&r, &reply);
		show(&reply, 0, false);
		return 0;
	}
	r.type = DHCP6_SOLICIT;
	r.rapid_commit = rapid;
	exchange(&r, &adv);
	if (adv.type == DHCP6_REPLY) {
		show(&adv, r.iaid, true);
		return 0;
	}
	show(&adv, r.iaid, true);
	if (dhcp6_lease_pick(&adv, r.iaid, &ia, &a, &err) < 0)
		die("lease an address", err.msg);
	r.type = DHCP6_REQUEST;
	r.rapid_commit = false;
	r.xid++;
	r.elapsed = 10;
	r.server_id = adv.server_id;
	r.server_id_len = adv.server_id_len;
	r.ia = ia;
	exchange(&r, &reply);
	show(&reply, r.iaid, true);
	return 0;
}
