// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for lib/net/dhcp6: the input is read as a DHCPv6 message.
 * What parses is checked as an answer, its lease picked, its server and IA
 * echoed in a Request that must read back the same, and its option 59 turned
 * into a root path that the plan's iscsi: parser then reads.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/dhcp6.h"
#include "plan/plan.h"

/* A Request built from m names m's server and IA, and reads back as such. */
static void echo_request(const struct dhcp6_msg *m)
{
	static struct dhcp6_msg back;
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x60 };
	uint8_t duid[DHCP6_DUID_LL_LEN], out[DHCP6_PACKET_MAX];
	struct dhcp6_request r = { .type = DHCP6_REQUEST, .xid = m->xid, .duid = duid,
				   .server_id = m->server_id, .server_id_len = m->server_id_len,
				   .oro = m->oro, .noro = m->noro };
	struct sr_error err;
	int n;

	r.duid_len = dhcp6_duid_ll(mac, duid);
	if (m->nia) {
		r.iaid = m->ia[0].iaid;
		r.ia = &m->ia[0];
	}
	n = dhcp6_build(&r, out, sizeof(out));
	if (m->server_id_len == 0) {
		if (n != -EINVAL)
			abort();
		return;
	}
	if (n < 0 || dhcp6_parse(out, (size_t)n, &back, &err) < 0)
		abort();
	if (back.type != DHCP6_REQUEST || back.xid != m->xid ||
	    back.server_id_len != m->server_id_len ||
	    memcmp(back.server_id, m->server_id, m->server_id_len) != 0 ||
	    back.client_id_len != r.duid_len || back.nia != 1 || back.noro != m->noro ||
	    memcmp(back.oro, m->oro, m->noro * sizeof(m->oro[0])) != 0)
		abort();
	if (m->nia && (back.ia[0].iaid != m->ia[0].iaid || back.ia[0].naddrs != m->ia[0].naddrs))
		abort();
	for (unsigned i = 0; m->nia && i < m->ia[0].naddrs; i++)
		if (memcmp(back.ia[0].addr[i].addr, m->ia[0].addr[i].addr, 16) != 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp6_msg m;
	static struct plan_target t;
	struct dhcp6_request sent = { .type = DHCP6_SOLICIT, .rapid_commit = true };
	const struct dhcp6_ia *ia;
	const struct dhcp6_iaaddr *a;
	struct sr_error err;
	char rootpath[DHCP6_URL_MAX], text[46];
	int rc;

	if (dhcp6_parse(data, size, &m, &err) < 0)
		return 0;
	if (m.nia > DHCP6_MAX_IA || m.ndns > DHCP6_MAX_DNS || m.noro > DHCP6_MAX_ORO ||
	    strlen(m.bootfile_url) >= sizeof(m.bootfile_url))
		abort();
	sent.xid = m.xid;
	sent.duid = m.client_id;
	sent.duid_len = m.client_id_len;
	dhcp6_reply_check(&m, &sent, &err);
	if (m.nia && dhcp6_lease_pick(&m, m.ia[0].iaid, &ia, &a, &err) == 0) {
		if (a->valid == 0 || a->preferred > a->valid || (ia->t1 > ia->t2 && ia->t2))
			abort();
		dhcp6_ntop(a->addr, text);
	}
	echo_request(&m);
	rc = dhcp6_bootfile_rootpath(m.bootfile_url, rootpath, sizeof(rootpath), &err);
	if (rc > 0) {
		if (strncmp(rootpath, "iscsi:", 6) != 0 || strlen(rootpath) > strlen(m.bootfile_url))
			abort();
		plan_parse_iscsi_uri(rootpath, &t, &err);
	}
	return 0;
}
