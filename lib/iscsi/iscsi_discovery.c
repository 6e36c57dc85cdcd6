// SPDX-License-Identifier: GPL-2.0-only
/* SendTargets discovery and the portals it answers with (RFC 7143 Appendix C; DESIGN.md on NAT). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iscsi/iscsi_discovery.h"
#include "iscsi/iscsi_session.h"

bool iscsi_host_unusable(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, host, &a4) == 1) {
		uint32_t a = ntohl(a4.s_addr);

		return (a >> 24) == 127 || a == 0 || a == 0xffffffffu || (a >> 28) == 0xe;
	}
	if (inet_pton(AF_INET6, host, &a6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			uint8_t first = a6.s6_addr[12];

			return first == 127 || first == 0 || first >= 224;
		}
		return IN6_IS_ADDR_LOOPBACK(&a6) || IN6_IS_ADDR_UNSPECIFIED(&a6) ||
		       IN6_IS_ADDR_MULTICAST(&a6);
	}
	return !strcmp(host, "localhost");
}

bool iscsi_host_routable(const struct hostport *hp)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *res;
	bool ok = true;
	int fd;

	if (getaddrinfo(hp->host, "3260", &hints, &res) != 0)
		return true;
	/* Connecting a datagram socket sends nothing: the kernel only looks up the route. */
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (connect(fd, res->ai_addr, res->ai_addrlen) < 0)
			ok = errno != ENETUNREACH && errno != EHOSTUNREACH && errno != EADDRNOTAVAIL &&
			     errno != EAFNOSUPPORT;
		close(fd);
	} else {
		ok = errno != EAFNOSUPPORT;	/* no IPv6 in this kernel */
	}
	freeaddrinfo(res);
	return ok;
}

/* Keep a portal (false) or leave it out (true), after giving it a zone if it can have one. */
static bool leave_out(struct iscsi_discovery *d, struct hostport *p, bool *link_local)
{
	const char *zone;

	*link_local = hostport_link_local(p, &zone);
	if (*link_local && !*zone) {
		if (!hostport_take_zone(p, &d->asked))
			return true;
		d->zoned++;
		return false;
	}
	return !iscsi_host_routable(p);
}

void iscsi_discovery_fixup(struct iscsi_discovery *d)
{
	bool asked_usable = !iscsi_host_unusable(d->asked.host);

	for (unsigned i = 0; i < d->n; i++) {
		struct iscsi_st_target *t = &d->target[i];
		unsigned kept = 0;

		for (unsigned j = 0; j < t->nportals; j++) {
			struct hostport p = t->portal[j];
			bool link_local;

			if (iscsi_host_unusable(p.host)) {
				if (asked_usable) {
					p = d->asked;
					d->replaced++;
				}
			} else if (leave_out(d, &p, &link_local)) {
				if (d->skipped++ == 0) {
					d->first_skipped = p;
					d->first_skipped_link_local = link_local;
				}
				t->skipped++;
				continue;
			}
			t->portal[kept] = p;
			t->tpgt[kept++] = t->tpgt[j];
		}
		t->nportals = kept;
	}
}

int iscsi_discover(const struct iscsi_connector *c, const struct hostport *portals, unsigned n,
		   const struct iscsi_login_params *p, const struct iscsi_connect_policy *pol,
		   struct iscsi_discovery *out, struct sr_error *err)
{
	static struct iscsi_session s;
	struct iscsi_login_params q = *p;
	struct iscsi_login_result r;
	struct iscsi_transport *t;
	uint8_t *answer = NULL;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	q.target_name = NULL;
	rc = iscsi_connect(c, portals, n, &q, pol, &t, &out->asked, &r, err);
	if (rc < 0)
		return rc;
	rc = iscsi_session_start(&s, t, &r, pol->log, err);
	if (rc < 0)
		goto out;
	rc = iscsi_text_request(&s, "SendTargets", "All", &answer, &len, pol->deadline, err);
	if (rc < 0)
		goto out;
	rc = iscsi_sendtargets_parse(answer, len, out->target, ISCSI_DISCOVERY_MAX, &out->n, &out->more, err);
	if (rc < 0)
		goto out;
	iscsi_discovery_fixup(out);
	/* The answer is in; a target that fumbles the logout does not spoil it. */
	if (iscsi_logout(&s, pol->deadline, err) < 0)
		iscsi_logf(pol->log, ISCSI_LOG_INFO, "discovery logout failed: %s", err->msg);
	rc = 0;
out:
	free(answer);
	c->close(c->ctx, t);
	return rc;
}
