/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DHCPv4 client state machine (RFC 2131 §4.4: INIT, SELECTING, REQUESTING,
 * INIT-REBOOT, BOUND, RENEWING, REBINDING; Rapid Commit, RFC 4039). Pure: the
 * caller passes the time and the parsed replies in, and sends the frames it
 * gets out, to the address dhcp_client_dest() names.
 */
#ifndef SANROOT_DHCP_CLIENT_H
#define SANROOT_DHCP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dhcp.h"

/* Retransmission (§4.1): the first after 1 s, doubling up to 16 s, each ±1/8 at random. */
#define DHCP_RTO_MIN_MS     1000
#define DHCP_RTO_MAX_MS     16000
#define DHCP_REQUEST_TRIES  4	/* REQUESTs before starting over with DISCOVER */
#define DHCP_REBOOT_TRIES   2	/* INIT-REBOOT REQUESTs before DISCOVER */
/* §4.4.5: in RENEWING and REBINDING, wait half the time left, but at least this. */
#define DHCP_KEEP_RTO_MIN_MS 60000

enum dhcp_state {
	DHCP_INIT,
	DHCP_SELECTING,
	DHCP_REQUESTING,
	DHCP_REBOOTING,
	DHCP_BOUND,
	DHCP_RENEWING,			/* past T1: asking the server that leased it */
	DHCP_REBINDING,			/* past T2 (or refused): asking any server */
};

const char *dhcp_state_name(enum dhcp_state s);

struct dhcp_client_cfg {
	uint8_t mac[6];
	uint32_t xid;			/* the first transaction id */
	uint32_t seed;			/* jitter and later transaction ids */
	uint32_t requested_ip;		/* INIT-REBOOT for this address first; 0: DISCOVER */
	bool rapid_commit;		/* offer Rapid Commit in DISCOVER */
	bool broadcast;			/* ask servers to broadcast replies */
	char hostname[64];
	char vendor_class[256];
	/*
	 * Option 61, empty by default: klibc's ipconfig and ISC dhclient send none,
	 * and a server that keys its leases on the identifier (ISC dhcpd) gives
	 * the real root's dhclient another address if the initramfs sent one.
	 */
	uint8_t client_id[64];
	size_t client_id_len;
	uint16_t max_size;		/* option 57; 0: DHCP_PACKET_MAX */
	/*
	 * Once bound, keep the lease: renew at T1, rebind at T2. The address is
	 * never given up, not when the lease runs out and not on a NAK: a root on
	 * the network dies without it. The client keeps asking for it instead.
	 */
	bool keep;
};

struct dhcp_client {
	struct dhcp_client_cfg cfg;
	enum dhcp_state state;
	uint32_t xid;
	int64_t start;			/* ms, for the secs field */
	int64_t next;			/* ms: the next transmission */
	uint32_t rto;			/* ms: the next retransmission timeout */
	uint32_t rng;
	unsigned tries;			/* transmissions in this state */
	unsigned sent;			/* all transmissions */
	unsigned naks;
	uint32_t server;		/* the server we answered (option 54) */
	uint32_t offered;		/* the address it offered */
	bool rapid;			/* bound by a Rapid Commit ACK */
	struct dhcp_msg lease;		/* the ACK, once BOUND */
	int64_t bound_at;		/* ms: when that ACK came */
};

void dhcp_client_init(struct dhcp_client *c, const struct dhcp_client_cfg *cfg, int64_t now_ms);

/*
 * Returns the length of a frame (IPv4/UDP/DHCP) to send now, or 0 with *wake
 * set to the time to call again (INT64_MAX once bound and not keeping the
 * lease, or when the lease never ends), or a negative errno.
 */
int dhcp_client_output(struct dhcp_client *c, int64_t now_ms, uint8_t *buf, size_t size,
		       int64_t *wake);

enum dhcp_event {
	DHCP_EV_IGNORED,		/* *why says why */
	DHCP_EV_OFFER,			/* an offer taken: a REQUEST is due */
	DHCP_EV_NAK,			/* refused: starting over */
	DHCP_EV_BOUND,			/* c->lease holds the ACK */
};

/*
 * Ask any server for the lease at once (REBINDING), as when taking the lease
 * back from another client that may have moved it to another server. Only
 * once bound; the address stays the lease's.
 */
void dhcp_client_rebind(struct dhcp_client *c, int64_t now_ms);

/* Where the frame goes: the server's address while RENEWING, else 0 (broadcast). */
uint32_t dhcp_client_dest(const struct dhcp_client *c);

/* When the current lease ends (ms), INT64_MAX when it never does; 0 before BOUND. */
int64_t dhcp_client_lease_end(const struct dhcp_client *c);

/*
 * Feed a parsed reply; *why is a static string when the reply is ignored.
 * While keeping a lease, DHCP_EV_BOUND is a renewal and DHCP_EV_NAK a refusal
 * the client does not act on (the caller says so): it keeps the address.
 */
enum dhcp_event dhcp_client_input(struct dhcp_client *c, int64_t now_ms, const struct dhcp_msg *m,
				  const char **why);

#endif
