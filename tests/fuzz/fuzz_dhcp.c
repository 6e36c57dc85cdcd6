// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for lib/dhcp, lib/dhcp_client and lib/netconf: the input
 * is read as an IPv4 packet from the packet socket, as a bare DHCP message,
 * and as a net-IFACE.conf. Whatever a reply holds must survive the trip
 * through net-IFACE.conf unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dhcp.h"
#include "net/dhcp_client.h"
#include "net/netconf.h"

static void same(const char *a, const char *b)
{
	if (strcmp(a, b))
		abort();
}

/* The lease written as klibc's file and read back gives the same values. */
static void round_trip(const struct dhcp_msg *m)
{
	static struct netconf nc, back;
	static char buf[16384];
	struct sr_error err;
	FILE *f;
	size_t len;

	netconf_from_lease(&nc, "eth0", m);
	if (!(f = fmemopen(buf, sizeof(buf), "w")))
		return;
	netconf_write_resolv(&nc, f);
	fclose(f);
	if (!(f = fmemopen(buf, sizeof(buf), "w")))
		return;
	netconf_write(&nc, f);
	len = (size_t)ftell(f);
	fclose(f);
	if (netconf_parse(buf, len, &back, &err) < 0)
		abort();
	same(back.hostname, nc.hostname);
	same(back.rootpath, nc.rootpath);
	same(back.filename, nc.filename);
	same(back.search, nc.search);
	same(back.dnsdomain, nc.dnsdomain);
	if (back.addr != nc.addr || back.nroutes != nc.nroutes || back.lease != nc.lease)
		abort();
}

/* Offer the message to a client waiting in each state. */
static void client_states(const struct dhcp_msg *m)
{
	static struct dhcp_client c;
	static uint8_t out[2048];
	struct dhcp_client_cfg cfg = { .xid = m->xid, .seed = 1, .rapid_commit = true };
	const char *why;
	int64_t wake;

	memcpy(cfg.mac, m->chaddr, 6);
	for (int s = 0; s < 3; s++) {
		cfg.requested_ip = s == 2 ? m->yiaddr : 0;
		dhcp_client_init(&c, &cfg, 0);
		dhcp_client_output(&c, 0, out, sizeof(out), &wake);
		if (s == 1) {
			c.state = DHCP_REQUESTING;
			c.server = m->server_id;
			c.offered = m->yiaddr;
		}
		dhcp_client_input(&c, 1, m, &why);
		dhcp_client_output(&c, 2, out, sizeof(out), &wake);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_msg m;
	static struct netconf nc;
	struct sr_error err;

	dhcp_parse_frame(data, size, true, &m, NULL, &err);
	if (dhcp_parse_frame(data, size, false, &m, NULL, &err) == 0) {
		round_trip(&m);
		client_states(&m);
	}
	if (dhcp_parse(data, size, &m, &err) == 0) {
		round_trip(&m);
		client_states(&m);
	}
	netconf_parse((const char *)data, size, &nc, &err);
	return 0;
}
