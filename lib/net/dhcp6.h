/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DHCPv6 messages, the client's side (RFC 8415 §8 and §21: Solicit, Request,
 * Renew, Rebind, Information-request out; Advertise and Reply in; Rapid
 * Commit), DNS servers (RFC 3646, option 23) and the boot file URL (RFC 5970,
 * option 59) with the RFC 4173 iSCSI root path it may carry. Pure: bytes in,
 * struct out; no sockets, no clock.
 */
#ifndef SANROOT_DHCP6_H
#define SANROOT_DHCP6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547

/* All_DHCP_Relay_Agents_and_Servers, ff02::1:2 (§7.1). */
extern const uint8_t dhcp6_all_servers[16];

#define DHCP6_HDR_LEN     4	/* msg-type, transaction-id (24 bits) */
#define DHCP6_DUID_MAX    130	/* type (2) and at most 128 bytes (§11.1) */
#define DHCP6_DUID_LL_LEN 10	/* DUID-LL for Ethernet: type 3, hardware type 1, MAC */
#define DHCP6_MAX_IA      4	/* IA_NAs kept from one message */
#define DHCP6_MAX_ADDRS   4	/* IAADDRs kept from one IA_NA */
#define DHCP6_MAX_DNS     3	/* resolv.conf's MAXNS */
#define DHCP6_MAX_ORO     16
#define DHCP6_STR_MAX     256	/* status messages, cut to fit */
#define DHCP6_URL_MAX     512	/* option 59; longer refuses the message */
#define DHCP6_PACKET_MAX  1500	/* what we build into and read */

enum dhcp6_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_RECONFIGURE = 10,
	DHCP6_INFORMATION_REQUEST = 11,
};

enum dhcp6_option {
	DHCP6_OPT_CLIENTID = 1,
	DHCP6_OPT_SERVERID = 2,
	DHCP6_OPT_IA_NA = 3,
	DHCP6_OPT_IAADDR = 5,
	DHCP6_OPT_ORO = 6,
	DHCP6_OPT_PREFERENCE = 7,
	DHCP6_OPT_ELAPSED_TIME = 8,
	DHCP6_OPT_STATUS_CODE = 13,
	DHCP6_OPT_RAPID_COMMIT = 14,
	DHCP6_OPT_DNS_SERVERS = 23,	/* RFC 3646 */
	DHCP6_OPT_BOOTFILE_URL = 59,	/* RFC 5970 */
};

/* §21.13 status codes. */
enum dhcp6_status {
	DHCP6_SUCCESS = 0,
	DHCP6_UNSPEC_FAIL = 1,
	DHCP6_NO_ADDRS_AVAIL = 2,
	DHCP6_NO_BINDING = 3,
	DHCP6_NOT_ON_LINK = 4,
	DHCP6_USE_MULTICAST = 5,
	DHCP6_NO_PREFIX_AVAIL = 6,
};

const char *dhcp6_type_name(unsigned type);
const char *dhcp6_status_name(unsigned status);	/* "NoAddrsAvail", ..., "status N" */

/* What a message carried that made no sense and was left out of it. */
enum dhcp6_ignored {
	DHCP6_IGN_IA_TIMERS = 1 << 0,	/* an IA_NA with T1 > T2 > 0: dropped (§21.4) */
	DHCP6_IGN_LIFETIMES = 1 << 1,	/* an IAADDR with preferred > valid: dropped (§21.6) */
	DHCP6_IGN_TOO_MANY = 1 << 2,	/* IA_NAs or addresses beyond what we keep */
};

struct dhcp6_iaaddr {
	uint8_t addr[16];
	uint32_t preferred, valid;	/* seconds; 0xffffffff: infinity */
	uint16_t status;		/* its own status code option; DHCP6_SUCCESS if none */
};

struct dhcp6_ia {
	uint32_t iaid, t1, t2;
	bool has_status;
	uint16_t status;		/* inside the IA_NA; DHCP6_SUCCESS if none */
	char status_msg[DHCP6_STR_MAX];
	struct dhcp6_iaaddr addr[DHCP6_MAX_ADDRS];
	unsigned naddrs;
};

/*
 * A parsed message. Strings stop at the first NUL the sender put in them and
 * are otherwise raw bytes: quote them before they reach a log or a file.
 */
struct dhcp6_msg {
	uint8_t type;
	uint32_t xid;			/* 24 bits */
	uint8_t client_id[DHCP6_DUID_MAX];	/* option 1; client_id_len 0: absent */
	size_t client_id_len;
	uint8_t server_id[DHCP6_DUID_MAX];	/* option 2 */
	size_t server_id_len;
	bool has_status;
	uint16_t status;		/* option 13 at the top level */
	char status_msg[DHCP6_STR_MAX];
	bool has_preference;
	uint8_t preference;		/* option 7; 255: take this server at once */
	bool has_elapsed;
	uint16_t elapsed;		/* option 8, hundredths of a second */
	bool rapid_commit;		/* option 14 */
	struct dhcp6_ia ia[DHCP6_MAX_IA];	/* option 3, in the order sent */
	unsigned nia;
	uint8_t dns[DHCP6_MAX_DNS][16];	/* option 23 */
	unsigned ndns;
	char bootfile_url[DHCP6_URL_MAX];	/* option 59 */
	uint16_t oro[DHCP6_MAX_ORO];	/* option 6 (in a client's message) */
	unsigned noro;
	unsigned ignored;		/* enum dhcp6_ignored */
};

/*
 * Parse a message (the UDP payload). Any client or server message type but
 * the relay ones; an option whose length runs past its container, a
 * fixed-size option of another size or a repeated identifier refuses it.
 */
int dhcp6_parse(const void *buf, size_t len, struct dhcp6_msg *m, struct sr_error *err);

/* What a client puts in a message. */
struct dhcp6_request {
	uint8_t type;			/* SOLICIT, REQUEST, RENEW, REBIND or INFORMATION_REQUEST */
	uint32_t xid;			/* the low 24 bits are sent */
	uint16_t elapsed;		/* hundredths of a second since the exchange began */
	const uint8_t *duid;		/* the Client Identifier, e.g. from dhcp6_duid_ll() */
	size_t duid_len;
	const uint8_t *server_id;	/* REQUEST and RENEW only */
	size_t server_id_len;
	uint32_t iaid;			/* one IA_NA, except in INFORMATION_REQUEST */
	const struct dhcp6_ia *ia;	/* addresses to name in it (lifetimes sent as 0); NULL: none */
	bool rapid_commit;		/* SOLICIT only */
	const uint16_t *oro;		/* option 6 */
	size_t noro;
};

/* Option 6 as sanroot sends it: DNS servers (23), boot file URL (59). */
extern const uint16_t dhcp6_default_oro[2];

/*
 * Build the UDP payload into buf. Returns its length, -ENOSPC, or -EINVAL
 * when r breaks §16's rules (a Server Identifier in SOLICIT or REBIND, none in
 * REQUEST or RENEW, Rapid Commit outside SOLICIT, a DUID outside 3..130 bytes).
 */
int dhcp6_build(const struct dhcp6_request *r, uint8_t *buf, size_t size);

/* DUID-LL (§11.4) for an Ethernet MAC into out (DHCP6_DUID_LL_LEN bytes). */
size_t dhcp6_duid_ll(const uint8_t mac[6], uint8_t *out);

/* An IAID that stays the same across boots for one NIC: the MAC's last four bytes. */
uint32_t dhcp6_iaid_from_mac(const uint8_t mac[6]);

/*
 * Is m a server's answer to sent (§16.3, §16.10, §18.2.1, §18.2.10)? The
 * message type fits what was sent (Advertise or Reply to a Solicit, the
 * Reply with Rapid Commit; Reply to the rest), the transaction id matches,
 * the Client Identifier is ours and a Server Identifier is there.
 */
int dhcp6_reply_check(const struct dhcp6_msg *m, const struct dhcp6_request *sent,
		      struct sr_error *err);

/*
 * The address a stateful answer leases to IA iaid: the top-level and the
 * IA's status are Success, and one of its addresses has a valid lifetime.
 * *ia and *addr point into m. A refusal names the server's status and words.
 */
int dhcp6_lease_pick(const struct dhcp6_msg *m, uint32_t iaid, const struct dhcp6_ia **ia,
		     const struct dhcp6_iaaddr **addr, struct sr_error *err);

/*
 * The RFC 4173 root path an option 59 URL carries, as plan_parse_iscsi_uri()
 * reads it: the scheme matched without regard to case and written
 * "iscsi:", an RFC 6874 zone ("%25") in a bracketed address decoded to '%'.
 * Returns 1 with the root path in out, 0 for a URL of another scheme (a boot
 * file, not a root path), or a negative errno for an iscsi: URL that cannot
 * be one (control characters, an unclosed bracket, longer than size).
 */
int dhcp6_bootfile_rootpath(const char *url, char *out, size_t size, struct sr_error *err);

/* The text form of an IPv6 address (RFC 5952), into buf (at least 46 bytes). */
char *dhcp6_ntop(const uint8_t addr[16], char *buf);

#endif
