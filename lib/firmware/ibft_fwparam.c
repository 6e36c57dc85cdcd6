// SPDX-License-Identifier: GPL-2.0-only
/* The iBFT as open-iscsi prints it (iscsistart -f): one record per target, "key = value" lines. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "firmware/ibft.h"

/* Safe for `read k eq v` and for a '...'-quoted shell assignment made from it. */
static bool tame(const char *v)
{
	if (!v[0])
		return false;
	for (; *v; v++)
		if (*v <= ' ' || *v > '~' || strchr("'\"\\`$;&|<>(){}", *v))
			return false;
	return true;
}

static void line(FILE *f, const char *key, const char *v)
{
	if (tame(v))
		fprintf(f, "%s = %s\n", key, v);
}

static void network(FILE *f, const struct ibft_nic *n, const char *netdev)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", n->mac[0], n->mac[1],
		 n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
	line(f, "iface.hwaddress", buf);
	/* Origin 3 is DHCP; a DHCP server address other than 0.0.0.0 says so too. */
	fprintf(f, "iface.bootproto = %s\n",
		n->origin == 3 || (n->dhcp[0] && strcmp(n->dhcp, "0.0.0.0")) ? "DHCP" : "STATIC");
	line(f, "iface.ipaddress", n->ip);
	if (n->prefix) {
		fprintf(f, "iface.prefix_len = %u\n", n->prefix);
		/*
		 * open-iscsi copies the kernel's subnet-mask file, which for an IPv6
		 * prefix (over 32) says 255.255.255.255; no mask describes one, so
		 * an IPv6 NIC gets its prefix length alone.
		 */
		if (n->prefix <= 32 && !strchr(n->ip, ':')) {
			uint32_t m = n->prefix ? 0xffffffffu << (32 - n->prefix) : 0;

			fprintf(f, "iface.subnet_mask = %u.%u.%u.%u\n", m >> 24, (m >> 16) & 255,
				(m >> 8) & 255, m & 255);
		}
	}
	line(f, "iface.gateway", n->gateway);
	line(f, "iface.primary_dns", n->dns[0]);
	line(f, "iface.secondary_dns", n->dns[1]);
	fprintf(f, "iface.vlan_id = %u\n", n->vlan & 0x0fff);
	if (netdev)
		line(f, "iface.net_ifacename", netdev);
}

unsigned ibft_write_fwparam(const struct ibft *t, const char *const netdev[IBFT_MAX_NICS],
			    const char *version, FILE *f, bool show_secrets)
{
	const char *mask = "********";
	unsigned records = 0;

	for (unsigned i = 0; i < t->ntargets; i++) {
		const struct ibft_target *g = &t->target[i];
		char lun[20];
		size_t o = 0;

		if (!(g->flags & IBFT_FL_VALID))
			continue;
		fprintf(f, "# BEGIN RECORD %s\n", version);
		line(f, "iface.initiatorname", t->initiator.name);
		fprintf(f, "iface.transport_name = tcp\n");
		for (unsigned j = 0; j < t->nnics; j++)
			if (t->nic[j].index == g->nic && (t->nic[j].flags & IBFT_FL_VALID)) {
				network(f, &t->nic[j], netdev ? netdev[j] : NULL);
				break;
			}
		line(f, "node.name", g->name);
		line(f, "node.conn[0].address", g->ip);
		fprintf(f, "node.conn[0].port = %u\n", g->port ? g->port : 3260);
		line(f, "node.session.auth.username", g->chap_name);
		line(f, "node.session.auth.password",
		     g->chap_secret[0] && !show_secrets ? mask : g->chap_secret);
		line(f, "node.session.auth.username_in", g->rchap_name);
		line(f, "node.session.auth.password_in",
		     g->rchap_secret[0] && !show_secrets ? mask : g->rchap_secret);
		/* As the kernel's iscsi_ibft shows it: each LUN byte in %x. */
		for (unsigned b = 0; b < 8; b++)
			o += (size_t)snprintf(lun + o, sizeof(lun) - o, "%x", g->lun_raw[b]);
		line(f, "node.boot_lun", lun);
		fprintf(f, "# END RECORD\n");
		records++;
	}
	return records;
}
