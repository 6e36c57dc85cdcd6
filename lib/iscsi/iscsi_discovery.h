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
};

/*
 * A loopback, unspecified, broadcast or multicast address: what a target
 * behind NAT (or tgt reached through QEMU's 10.0.2.2) reports about itself.
 */
bool iscsi_host_unusable(const char *host);

/*
 * Replace every unusable portal of the answer with the one we asked, unless
 * that one is unusable too (then the answer is as good as ours). Returns how
 * many were replaced.
 */
unsigned iscsi_discovery_fixup(struct iscsi_st_target *t, unsigned n, const struct hostport *asked);

/* Log in for discovery through the first portal that works, ask SendTargets=All, log out. */
int iscsi_discover(const struct iscsi_connector *c, const struct hostport *portals, unsigned n,
		   const struct iscsi_login_params *p, const struct iscsi_connect_policy *pol,
		   struct iscsi_discovery *out, struct sr_error *err);

#endif
