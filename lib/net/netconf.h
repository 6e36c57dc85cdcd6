/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An interface's IPv4 configuration (from a DHCP lease, ip= or the iBFT) and
 * the files that carry it: klibc ipconfig's /run/net-IFACE.conf, and resolv.conf;
 * its IPv6 configuration and initramfs-tools' /run/net6-IFACE.conf.
 */
#ifndef SANROOT_NETCONF_H
#define SANROOT_NETCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "net/dhcp.h"
#include "core/error.h"

#define NETCONF_IFNAME_MAX 16	/* IFNAMSIZ */
#define NETCONF_MAX_ROUTES DHCP_MAX_ROUTES
#define NETCONF_MAX_DNS    DHCP_MAX_DNS

enum netconf_proto { NETCONF_NONE, NETCONF_DHCP };	/* klibc's PROTO: "none", "dhcp" */

/* Addresses in host byte order, 0 when unset. */
struct netconf {
	char device[NETCONF_IFNAME_MAX];
	enum netconf_proto proto;
	uint32_t addr, netmask, broadcast;
	uint8_t prefix;
	uint32_t gateway;		/* the default route, unless routes are set */
	struct dhcp_route route[NETCONF_MAX_ROUTES];	/* option 121: replaces gateway */
	unsigned nroutes;
	uint32_t dns[NETCONF_MAX_DNS];
	unsigned ndns;
	unsigned mtu;			/* 0: leave it */
	char hostname[DHCP_STR_MAX];
	char dnsdomain[DHCP_STR_MAX];
	char nisdomain[DHCP_STR_MAX];
	uint32_t rootserver;		/* siaddr, else the server identifier (klibc) */
	char rootpath[DHCP_LONG_STR_MAX];
	char filename[129];
	char search[DHCP_LONG_STR_MAX];
	uint32_t server;		/* the DHCP server (option 54) */
	uint32_t lease;			/* seconds, 0xffffffff: infinite, 0: none */
	long uptime;			/* seconds since boot when configured */
	bool ipv6;			/* read from a net6-IFACE.conf (DEVICE6): no IPv4 here */
};

#define NETCONF6_MAX_DNS 3

/* An interface's IPv6 configuration: SLAAC, DHCPv6, or both. */
struct netconf6 {
	char device[NETCONF_IFNAME_MAX];
	const char *proto;		/* IPV6PROTO: "dhcp6" (an address leased), "auto6" (SLAAC) */
	bool has_addr;
	uint8_t addr[16];		/* the global address configured */
	uint8_t prefix;
	bool has_gateway;
	uint8_t gateway[16];		/* the default route's router (link-local) */
	uint8_t dns[NETCONF6_MAX_DNS][16];
	unsigned ndns;
	char rootpath[DHCP_LONG_STR_MAX];	/* from option 59's iscsi: URL */
	char hostname[DHCP_STR_MAX];
	uint32_t lease;			/* the address's valid lifetime; 0xffffffff: infinite */
	long uptime;
};

/*
 * /run/net6-IFACE.conf as initramfs-tools' IPv6 configuration writes it
 * (DEVICE6, IPV6PROTO, IPV6ADDR, IPV6NETMASK, IPV6GATEWAY, IPV6DNS0..,
 * IPV6DOMAINSEARCH, what cloud-init reads), values single-quoted, plus the
 * root path (ROOTPATH) sanroot's plan reads back as it does from net-IFACE.conf.
 */
void netconf6_write(const struct netconf6 *nc, FILE *f);

/* resolv.conf lines for nc's DNS servers. */
void netconf6_write_resolv(const struct netconf6 *nc, FILE *f);

/* The configuration an ACK describes (klibc's choices: gateway from option 3, or giaddr). */
void netconf_from_lease(struct netconf *nc, const char *dev, const struct dhcp_msg *ack);

/*
 * A static configuration from ip= or the iBFT. The netmask defaults to the
 * address's class, as klibc guesses it, and the broadcast to the subnet's.
 */
struct netconf_static {
	const char *addr, *gateway;	/* IPv4 text; "" or NULL: none */
	const char *server;		/* klibc's server-ip, recorded as the root server */
	const char *dns[2];
	const char *hostname;
	uint8_t prefix;			/* 0: from the address's class */
	unsigned mtu;			/* 0: leave it */
};

int netconf_from_static(struct netconf *nc, const char *dev, const struct netconf_static *n,
			struct sr_error *err);

/* Write /run/net-IFACE.conf exactly as klibc ipconfig does, values single-quoted. */
void netconf_write(const struct netconf *nc, FILE *f);

/* resolv.conf: nameserver lines, and search (option 119, else the domain). */
void netconf_write_resolv(const struct netconf *nc, FILE *f);

/*
 * Read a net-IFACE.conf (ours or klibc's) back. Only single-quoted values,
 * backslash escapes and plain words are accepted; anything a shell would
 * expand is refused. Unknown keys are skipped.
 */
int netconf_parse(const char *text, size_t len, struct netconf *nc, struct sr_error *err);

/*
 * Every net-IFACE.conf and net6-IFACE.conf (nc->ipv6 set) in dir (/run) that
 * reads back, in directory order: fn gets its path, what it says and when it was written; a nonzero return
 * stops the scan and is returned. Files that do not parse are skipped: they
 * are not in klibc's format, so not ours.
 */
int netconf_scan(const char *dir,
		 int (*fn)(void *ctx, const char *path, const struct netconf *nc, long mtime),
		 void *ctx);

/* A safe domain name for resolv.conf: letters, digits, '-', '_' and '.'. */
bool netconf_domain_ok(const char *s);

#endif
