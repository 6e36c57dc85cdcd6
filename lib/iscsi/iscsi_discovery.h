/* SPDX-License-Identifier: GPL-2.0-only */
/* SendTargets discovery (RFC 7143 §13.2, Appendix C), with the answer checked for usable portals. */
#ifndef SANROOT_ISCSI_DISCOVERY_H
#define SANROOT_ISCSI_DISCOVERY_H

#include "iscsi/iscsi_connect.h"
#include "iscsi/iscsi_text.h"

#define ISCSI_DISCOVERY_MAX 64

struct iscsi_discovery {
	struct iscsi_st_target target[ISCSI_DISCOVERY_MAX];
	unsigned n;
	bool more;			/* the target listed more than ISCSI_DISCOVERY_MAX */
	struct hostport asked;	/* the portal that answered */
	unsigned replaced;		/* unusable portals in the answer, replaced by asked */
	unsigned zoned;			/* link-local portals given the zone asked was reached by */
	unsigned skipped;		/* portals left out: link-local without a zone, or no route */
	struct hostport first_skipped;
	bool first_skipped_link_local;
};

/*
 * A loopback, unspecified, broadcast or multicast address: what a target
 * behind NAT (or tgt reached through QEMU's 10.0.2.2) reports about itself.
 */
bool iscsi_host_unusable(const char *host);

/* Whether this host has a route to a numeric address (a name: true, it is not looked up). */
bool iscsi_host_routable(const struct hostport *hp);

/*
 * Make d's answer usable from here: an unusable portal becomes the one we
 * asked (unless that one is unusable too: then the answer is as good as
 * ours); a link-local portal without a zone gets the zone of the portal we
 * asked when that is link-local too (the same link), else it is left out, as
 * is a portal this host has no route to. Counts go to d->replaced, d->zoned,
 * d->skipped and each target's skipped.
 */
void iscsi_discovery_fixup(struct iscsi_discovery *d);

/* Log in for discovery through the first portal that works, ask SendTargets=All, log out. */
int iscsi_discover(const struct iscsi_connector *c, const struct hostport *portals, unsigned n,
		   const struct iscsi_login_params *p, const struct iscsi_connect_policy *pol,
		   struct iscsi_discovery *out, struct sr_error *err);

#endif
