// SPDX-License-Identifier: GPL-2.0-only
/*
 * DHCPv4 client states (RFC 2131 §4.4.1 acquisition, §3.2 INIT-REBOOT,
 * §4.4.5 renewal, §4.1 retransmission; RFC 4039 Rapid Commit). A reply counts
 * only in the state where it makes sense, for our transaction and our
 * hardware address.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "net/dhcp_client.h"

const char *dhcp_state_name(enum dhcp_state s)
{
	switch (s) {
	case DHCP_INIT: return "init";
	case DHCP_SELECTING: return "selecting";
	case DHCP_REQUESTING: return "requesting";
	case DHCP_REBOOTING: return "init-reboot";
	case DHCP_BOUND: return "bound";
	case DHCP_RENEWING: return "renewing";
	case DHCP_REBINDING: return "rebinding";
	}
	return "?";
}

/* xorshift32: jitter and transaction ids need variety, not secrecy. */
static uint32_t next_rand(struct dhcp_client *c)
{
	uint32_t x = c->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return c->rng = x;
}

static void enter(struct dhcp_client *c, enum dhcp_state s, int64_t at)
{
	c->state = s;
	c->tries = 0;
	c->rto = DHCP_RTO_MIN_MS;
	c->next = at;
}

void dhcp_client_init(struct dhcp_client *c, const struct dhcp_client_cfg *cfg, int64_t now_ms)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	if (!c->cfg.max_size)
		c->cfg.max_size = DHCP_PACKET_MAX;
	c->rng = cfg->seed ? cfg->seed : 0x9e3779b9u;
	c->xid = cfg->xid;
	c->start = now_ms;
	enter(c, cfg->requested_ip ? DHCP_REBOOTING : DHCP_SELECTING, now_ms);
}

/* After a transmission: the next one in rto ± rto/8, and back off. */
static void schedule(struct dhcp_client *c, int64_t now)
{
	uint32_t spread = c->rto / 4 + 1;
	int64_t jitter = (int64_t)(next_rand(c) % spread) - (int64_t)(c->rto / 8);

	c->next = now + c->rto + jitter;
	c->rto = c->rto * 2 > DHCP_RTO_MAX_MS ? DHCP_RTO_MAX_MS : c->rto * 2;
	c->tries++;
	c->sent++;
}

/* Seconds of the lease after it was bound, as a time on the caller's clock. */
static int64_t lease_at(const struct dhcp_client *c, uint32_t secs)
{
	return c->bound_at + (int64_t)secs * 1000;
}

int64_t dhcp_client_lease_end(const struct dhcp_client *c)
{
	if (c->state < DHCP_BOUND)
		return 0;
	if (!c->lease.has_lease || c->lease.lease == 0xffffffffu)
		return INT64_MAX;
	return lease_at(c, c->lease.lease);
}

void dhcp_client_rebind(struct dhcp_client *c, int64_t now)
{
	if (c->state < DHCP_BOUND)
		return;
	c->xid = next_rand(c);
	c->start = now;
	enter(c, DHCP_REBINDING, now);
}

uint32_t dhcp_client_dest(const struct dhcp_client *c)
{
	return c->state == DHCP_RENEWING ? c->server : 0;
}

/*
 * §4.4.5: retransmit after half the time left until limit, at least
 * DHCP_KEEP_RTO_MIN_MS, but not past limit while it is ahead: that is
 * where the next state begins.
 */
static void schedule_keep(struct dhcp_client *c, int64_t now, int64_t limit)
{
	int64_t wait = limit > now ? (limit - now) / 2 : 0;

	if (wait < DHCP_KEEP_RTO_MIN_MS)
		wait = DHCP_KEEP_RTO_MIN_MS;
	c->next = limit > now && now + wait > limit ? limit : now + wait;
	c->tries++;
	c->sent++;
}

static int build(struct dhcp_client *c, int64_t now, uint8_t type, uint32_t requested,
		 uint32_t server, uint32_t ciaddr, uint8_t *buf, size_t size)
{
	int64_t secs = (now - c->start) / 1000;
	struct dhcp_request r = {
		.type = type,
		.xid = c->xid,
		.secs = (uint16_t)(secs < 0 ? 0 : secs > 0xffff ? 0xffff : secs),
		/* with an address, the reply comes to it (§4.1) */
		.broadcast = c->cfg.broadcast && !ciaddr,
		.ciaddr = ciaddr,
		.requested_ip = requested,
		.server_id = server,
		.client_id = c->cfg.client_id,
		.client_id_len = c->cfg.client_id_len,
		.hostname = c->cfg.hostname,
		.vendor_class = c->cfg.vendor_class,
		.rapid_commit = type == DHCPDISCOVER && c->cfg.rapid_commit,
		.max_size = c->cfg.max_size,
		.params = dhcp_default_params,
		.nparams = sizeof(dhcp_default_params),
	};

	memcpy(r.mac, c->cfg.mac, 6);
	return dhcp_build_frame(&r, buf, size);
}

int dhcp_client_output(struct dhcp_client *c, int64_t now, uint8_t *buf, size_t size,
		       int64_t *wake)
{
	int n;

	if (c->state == DHCP_REQUESTING && c->tries >= DHCP_REQUEST_TRIES && now >= c->next) {
		c->xid = next_rand(c);
		enter(c, DHCP_INIT, now);
	}
	if (c->state == DHCP_REBOOTING && c->tries >= DHCP_REBOOT_TRIES && now >= c->next)
		enter(c, DHCP_INIT, now);

	if (c->state == DHCP_BOUND) {
		int64_t t1 = lease_at(c, c->lease.t1);

		if (!c->cfg.keep || dhcp_client_lease_end(c) == INT64_MAX) {
			*wake = INT64_MAX;
			return 0;
		}
		if (now < t1) {
			*wake = t1;
			return 0;
		}
		c->xid = next_rand(c);
		c->start = now;
		enter(c, DHCP_RENEWING, now);
	}
	if (c->state == DHCP_RENEWING && now >= lease_at(c, c->lease.t2))
		enter(c, DHCP_REBINDING, now);
	if (now < c->next) {
		*wake = c->next;
		return 0;
	}
	switch (c->state) {
	case DHCP_INIT:
		enter(c, DHCP_SELECTING, now);
		/* fall through */
	case DHCP_SELECTING:
		n = build(c, now, DHCPDISCOVER, 0, 0, 0, buf, size);
		break;
	case DHCP_REQUESTING:
		/* §4.3.2 SELECTING: ciaddr 0, the server's id and the offered address. */
		n = build(c, now, DHCPREQUEST, c->offered, c->server, 0, buf, size);
		break;
	case DHCP_REBOOTING:
		/* §4.3.2 INIT-REBOOT: no server id, the address we had. */
		n = build(c, now, DHCPREQUEST, c->cfg.requested_ip, 0, 0, buf, size);
		break;
	case DHCP_RENEWING:
	case DHCP_REBINDING:
		/* §4.3.2 RENEWING, REBINDING: the address in ciaddr, no server id. */
		n = build(c, now, DHCPREQUEST, 0, 0, c->lease.yiaddr, buf, size);
		if (n < 0)
			return n;
		schedule_keep(c, now, c->state == DHCP_RENEWING ? lease_at(c, c->lease.t2) :
				      dhcp_client_lease_end(c));
		*wake = c->next;
		return n;
	default:
		return -EINVAL;
	}
	if (n < 0)
		return n;
	schedule(c, now);
	*wake = c->next;
	return n;
}

static bool lease_usable(const struct dhcp_msg *m, const char **why)
{
	if (!dhcp_addr_usable(m->yiaddr)) {
		*why = "the address offered is not a usable unicast address";
		return false;
	}
	if (m->has_netmask && m->prefix > 0 && m->prefix < 31 &&
	    ((m->yiaddr & ~m->netmask) == 0 || (m->yiaddr | m->netmask) == 0xffffffffu)) {
		*why = "the address offered is the subnet's network or broadcast address";
		return false;
	}
	return true;
}

static enum dhcp_event bind_lease(struct dhcp_client *c, const struct dhcp_msg *m, int64_t now)
{
	c->lease = *m;
	c->bound_at = now;
	if (m->server_id)
		c->server = m->server_id;
	enter(c, DHCP_BOUND, INT64_MAX);
	return DHCP_EV_BOUND;
}

static enum dhcp_event nak(struct dhcp_client *c, int64_t now)
{
	/* Start over at once the first time; then wait a little longer each time. */
	int64_t delay = c->naks ? 1000 * (int64_t)(c->naks > 4 ? 4 : c->naks) : 0;

	c->naks++;
	c->xid = next_rand(c);
	enter(c, DHCP_INIT, now + delay);
	return DHCP_EV_NAK;
}

enum dhcp_event dhcp_client_input(struct dhcp_client *c, int64_t now, const struct dhcp_msg *m,
				  const char **why)
{
	bool from_server = !m->server_id || m->server_id == c->server;

	*why = NULL;
	if (m->op != 2)
		*why = "not a reply";
	else if (m->xid != c->xid)
		*why = "for another transaction";
	else if (m->htype != 1 || m->hlen != 6 || memcmp(m->chaddr, c->cfg.mac, 6))
		*why = "for another hardware address";
	else if (m->type == 0)
		*why = "a BOOTP reply without a DHCP message type";
	if (*why)
		return DHCP_EV_IGNORED;

	switch (c->state) {
	case DHCP_SELECTING:
		if (m->type == DHCPOFFER) {
			if (!m->server_id) {
				*why = "an offer without a server identifier";
				return DHCP_EV_IGNORED;
			}
			if (!lease_usable(m, why))
				return DHCP_EV_IGNORED;
			c->server = m->server_id;
			c->offered = m->yiaddr;
			enter(c, DHCP_REQUESTING, now);
			return DHCP_EV_OFFER;
		}
		if (m->type == DHCPACK && c->cfg.rapid_commit && m->rapid_commit) {
			if (!lease_usable(m, why))
				return DHCP_EV_IGNORED;
			c->rapid = true;
			return bind_lease(c, m, now);
		}
		*why = m->type == DHCPACK ? "an ACK without Rapid Commit while selecting" :
					    "unexpected while selecting";
		return DHCP_EV_IGNORED;
	case DHCP_REQUESTING:
		if (m->type == DHCPACK && from_server) {
			if (!lease_usable(m, why))
				return DHCP_EV_IGNORED;
			return bind_lease(c, m, now);
		}
		if (m->type == DHCPNAK && from_server)
			return nak(c, now);
		*why = m->type == DHCPOFFER ? "a late offer" :
		       !from_server ? "from a server we did not ask" :
		       "unexpected while requesting";
		return DHCP_EV_IGNORED;
	case DHCP_REBOOTING:
		if (m->type == DHCPACK) {
			if (m->yiaddr != c->cfg.requested_ip) {
				*why = "an ACK for another address than the one requested";
				return DHCP_EV_IGNORED;
			}
			if (!lease_usable(m, why))
				return DHCP_EV_IGNORED;
			return bind_lease(c, m, now);
		}
		if (m->type == DHCPNAK)
			return nak(c, now);
		*why = "unexpected while rebooting";
		return DHCP_EV_IGNORED;
	case DHCP_RENEWING:
	case DHCP_REBINDING:
		/* RENEWING asked one server; REBINDING broadcast, so any may answer. */
		if (c->state == DHCP_RENEWING && !from_server) {
			*why = "from a server we did not ask";
			return DHCP_EV_IGNORED;
		}
		if (m->type == DHCPACK) {
			if (m->yiaddr != c->lease.yiaddr) {
				*why = "an ACK for another address than ours";
				return DHCP_EV_IGNORED;
			}
			return bind_lease(c, m, now);
		}
		if (m->type == DHCPNAK) {
			/* §4.4.5 says give the address up; the root needs it: ask anyone, later. */
			c->naks++;
			c->xid = next_rand(c);
			enter(c, DHCP_REBINDING, now + DHCP_KEEP_RTO_MIN_MS);
			return DHCP_EV_NAK;
		}
		*why = "unexpected while renewing";
		return DHCP_EV_IGNORED;
	case DHCP_INIT:
		*why = "no request outstanding";
		return DHCP_EV_IGNORED;
	case DHCP_BOUND:
		*why = "already bound";
		return DHCP_EV_IGNORED;
	}
	*why = "unexpected";
	return DHCP_EV_IGNORED;
}
