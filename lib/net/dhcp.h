/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DHCPv4 messages: parsing replies and building requests (RFC 2131 §2, options
 * RFC 2132, long options RFC 3396, domain search RFC 3397, classless routes
 * RFC 3442, Rapid Commit RFC 4039), with the IPv4/UDP framing a packet socket needs.
 */
#ifndef SANROOT_DHCP_H
#define SANROOT_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define DHCP_SERVER_PORT  67
#define DHCP_CLIENT_PORT  68

#define DHCP_BOOTP_LEN    236	/* the fixed BOOTP header, up to the magic cookie */
#define DHCP_MIN_LEN      300	/* RFC 1542 §2.1: relays may drop shorter requests */
#define DHCP_FRAME_HDR    28	/* IPv4 header without options + UDP header */
#define DHCP_PACKET_MAX   1500	/* what we advertise (option 57) and read */

#define DHCP_MAX_ROUTERS  4
#define DHCP_MAX_DNS      3	/* resolv.conf's MAXNS */
#define DHCP_MAX_ROUTES   16
#define DHCP_STR_MAX      256	/* one option instance: 255 bytes and a NUL */
#define DHCP_LONG_STR_MAX 512	/* root path, search list: may span instances */

enum dhcp_type {
	DHCPDISCOVER = 1,
	DHCPOFFER = 2,
	DHCPREQUEST = 3,
	DHCPDECLINE = 4,
	DHCPACK = 5,
	DHCPNAK = 6,
	DHCPRELEASE = 7,
	DHCPINFORM = 8,
};

const char *dhcp_type_name(unsigned type);

/* Options a reply carried that made no sense and were left out of it. */
enum dhcp_ignored {
	DHCP_IGN_TIMERS = 1 << 0,	/* T1 < T2 < lease violated: defaults used */
	DHCP_IGN_MTU = 1 << 1,		/* option 26 below 68 */
	DHCP_IGN_ROUTES = 1 << 2,	/* option 121 malformed: option 3 used */
	DHCP_IGN_SEARCH = 1 << 3,	/* option 119 malformed or too long */
	DHCP_IGN_BROADCAST = 1 << 4,	/* option 28 outside the subnet */
};

struct dhcp_route {
	uint32_t dst;			/* host order, bits beyond prefix cleared */
	uint8_t prefix;
	uint32_t gateway;		/* 0: on-link */
};

/*
 * A parsed reply. Addresses are in host byte order; 0 means absent unless a
 * has_ flag says otherwise. Strings stop at the first NUL the server sent and
 * are otherwise raw bytes: quote them before they reach a log or a file.
 */
struct dhcp_msg {
	uint8_t op, htype, hlen;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16];

	uint8_t type;			/* option 53; 0 when absent (plain BOOTP) */
	uint32_t server_id;		/* option 54 */
	bool has_netmask;
	uint32_t netmask;		/* option 1, contiguous */
	uint8_t prefix;			/* from netmask */
	uint32_t broadcast;		/* option 28 */
	uint32_t router[DHCP_MAX_ROUTERS];	/* option 3 */
	unsigned nrouters;
	uint32_t dns[DHCP_MAX_DNS];	/* option 6 */
	unsigned ndns;
	bool has_lease;
	uint32_t lease, t1, t2;		/* options 51, 58, 59 (s); t1, t2 filled in if absent */
	uint16_t mtu;			/* option 26, 0: absent */
	bool rapid_commit;		/* option 80 */
	bool has_routes;
	struct dhcp_route route[DHCP_MAX_ROUTES];	/* option 121 */
	unsigned nroutes;
	char hostname[DHCP_STR_MAX];	/* option 12 */
	char domain[DHCP_STR_MAX];	/* option 15 */
	char nisdomain[DHCP_STR_MAX];	/* option 40 */
	char rootpath[DHCP_LONG_STR_MAX];	/* option 17 */
	char search[DHCP_LONG_STR_MAX];	/* option 119, as klibc writes it: "a.test. b.test." */
	char message[DHCP_STR_MAX];	/* option 56 */
	char sname[65];			/* unless overloaded */
	char file[129];			/* unless overloaded; else option 67 */
	unsigned ignored;		/* enum dhcp_ignored */
};

/* Parse a BOOTP/DHCP message (the UDP payload). */
int dhcp_parse(const void *buf, size_t len, struct dhcp_msg *m, struct sr_error *err);

/*
 * Parse an IPv4 packet as a packet socket hands it over: IPv4 header (checked,
 * no fragments), UDP to port 68, then the message. check_udp_sum is false when
 * the kernel says the checksum was never filled in (TP_STATUS_CSUMNOTREADY);
 * a zero UDP checksum means none (RFC 768). *src gets the sender's address.
 */
int dhcp_parse_frame(const void *buf, size_t len, bool check_udp_sum, struct dhcp_msg *m,
		     uint32_t *src, struct sr_error *err);

/* What a client puts in a request. */
struct dhcp_request {
	uint8_t type;			/* DHCPDISCOVER or DHCPREQUEST */
	uint32_t xid;
	uint16_t secs;
	bool broadcast;			/* ask for broadcast replies */
	uint32_t ciaddr;
	uint8_t mac[6];
	uint32_t requested_ip;		/* option 50, 0: none */
	uint32_t server_id;		/* option 54, 0: none */
	const uint8_t *client_id;	/* option 61 */
	size_t client_id_len;
	const char *hostname;		/* option 12, NULL or "": none */
	const char *vendor_class;	/* option 60 */
	bool rapid_commit;		/* option 80 */
	uint16_t max_size;		/* option 57, 0: none */
	const uint8_t *params;		/* option 55 */
	size_t nparams;
};

/* The parameter request list klibc ipconfig sends: 1 3 6 12 15 17 26 28 40 119 121. */
extern const uint8_t dhcp_default_params[11];

/*
 * Build the UDP payload into buf. Returns its length (at least DHCP_MIN_LEN),
 * or -ENOSPC / -EINVAL (an option longer than 255 bytes).
 */
int dhcp_build(const struct dhcp_request *r, uint8_t *buf, size_t size);

/*
 * Build a whole IPv4/UDP packet from 0.0.0.0:68 to 255.255.255.255:67 with
 * both checksums. Returns its length or a negative errno.
 */
int dhcp_build_frame(const struct dhcp_request *r, uint8_t *buf, size_t size);

/* The Internet checksum (RFC 1071) of len bytes, folded, not inverted, seeded with sum. */
uint32_t dhcp_csum_add(uint32_t sum, const void *buf, size_t len);
uint16_t dhcp_csum_fold(uint32_t sum);

/* A unicast address a client may hold: not 0/8, 127/8, multicast, 240/4 or broadcast. */
bool dhcp_addr_usable(uint32_t a);

/* Prefix length of a contiguous netmask, or -1. */
int dhcp_mask_prefix(uint32_t mask);
uint32_t dhcp_prefix_mask(unsigned prefix);

/* Dotted quad of a host-order address, into buf (at least 16 bytes). */
char *dhcp_ntoa(uint32_t a, char *buf);

#endif
