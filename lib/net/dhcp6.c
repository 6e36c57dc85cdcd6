// SPDX-License-Identifier: GPL-2.0-only
/*
 * DHCPv6 messages for a client (RFC 8415 §8 message format, §21 options,
 * §16 validation; RFC 3646 DNS servers; RFC 5970 boot file URL). Options are
 * (code, length, value) with 16-bit fields; IA_NA and IAADDR carry options of
 * their own, walked with a sub-cursor bounded by their length. An option that
 * runs past its container or a fixed-size option of the wrong size refuses
 * the message; an IA or address whose values contradict each other is left
 * out and recorded in dhcp6_msg.ignored.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/cursor.h"
#include "net/dhcp6.h"

#define DUID_LL 3
#define HWTYPE_ETHERNET 1
#define IA_NA_FIXED 12		/* IAID, T1, T2 */
#define IAADDR_FIXED 24		/* address, preferred, valid */

const uint8_t dhcp6_all_servers[16] = { 0xff, 0x02, [13] = 0x01, [15] = 0x02 };

const uint16_t dhcp6_default_oro[2] = { DHCP6_OPT_DNS_SERVERS, DHCP6_OPT_BOOTFILE_URL };

const char *dhcp6_type_name(unsigned type)
{
	static const char *const names[] = {
		[DHCP6_SOLICIT] = "SOLICIT", [DHCP6_ADVERTISE] = "ADVERTISE",
		[DHCP6_REQUEST] = "REQUEST", [DHCP6_CONFIRM] = "CONFIRM",
		[DHCP6_RENEW] = "RENEW", [DHCP6_REBIND] = "REBIND", [DHCP6_REPLY] = "REPLY",
		[DHCP6_RELEASE] = "RELEASE", [DHCP6_DECLINE] = "DECLINE",
		[DHCP6_RECONFIGURE] = "RECONFIGURE",
		[DHCP6_INFORMATION_REQUEST] = "INFORMATION-REQUEST",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

const char *dhcp6_status_name(unsigned status)
{
	static const char *const names[] = {
		[DHCP6_SUCCESS] = "Success", [DHCP6_UNSPEC_FAIL] = "UnspecFail",
		[DHCP6_NO_ADDRS_AVAIL] = "NoAddrsAvail", [DHCP6_NO_BINDING] = "NoBinding",
		[DHCP6_NOT_ON_LINK] = "NotOnLink", [DHCP6_USE_MULTICAST] = "UseMulticast",
		[DHCP6_NO_PREFIX_AVAIL] = "NoPrefixAvail",
	};

	if (status < sizeof(names) / sizeof(names[0]))
		return names[status];
	return "an unknown status";
}

char *dhcp6_ntop(const uint8_t addr[16], char *buf)
{
	if (!inet_ntop(AF_INET6, addr, buf, 46))
		snprintf(buf, 46, "?");
	return buf;
}

size_t dhcp6_duid_ll(const uint8_t mac[6], uint8_t *out)
{
	out[0] = 0;
	out[1] = DUID_LL;
	out[2] = 0;
	out[3] = HWTYPE_ETHERNET;
	memcpy(out + 4, mac, 6);
	return DHCP6_DUID_LL_LEN;
}

uint32_t dhcp6_iaid_from_mac(const uint8_t mac[6])
{
	return (uint32_t)mac[2] << 24 | (uint32_t)mac[3] << 16 | (uint32_t)mac[4] << 8 | mac[5];
}

/* Parsing ------------------------------------------------------------------ */

/*
 * The next option of an area: 1 with its code and value, 0 at the end, -1
 * when the header or the value runs past the area (*code is then set if read).
 */
static int opt_next(struct cursor *c, uint16_t *code, struct cursor *val)
{
	uint16_t len;

	if (c->rem == 0)
		return 0;
	if (!cursor_be16(c, code) || !cursor_be16(c, &len) || !cursor_sub(c, len, val))
		return -1;
	return 1;
}

static void copy_text(char *out, size_t size, struct cursor v)
{
	const uint8_t *nul = memchr(v.p, 0, v.rem);
	size_t len = nul ? (size_t)(nul - v.p) : v.rem;

	if (len >= size)
		len = size - 1;
	memcpy(out, v.p, len);
	out[len] = '\0';
}

/* Option 13: a 16-bit code and a UTF-8 message, which is cut to fit. */
static int parse_status(struct cursor v, uint16_t *status, char *msg, const char *where,
			struct sr_error *err)
{
	if (!cursor_be16(&v, status))
		return sr_fail(err, EBADMSG, "the status code %s is %zu bytes, fewer than 2",
			       where, v.rem);
	copy_text(msg, DHCP6_STR_MAX, v);
	return 0;
}

static int parse_iaaddr(struct cursor v, struct dhcp6_iaaddr *a, struct sr_error *err)
{
	struct cursor o;
	uint16_t code;
	char msg[DHCP6_STR_MAX];
	bool has_status = false;
	int rc;

	memset(a, 0, sizeof(*a));
	if (!cursor_bytes(&v, a->addr, 16) || !cursor_be32(&v, &a->preferred) ||
	    !cursor_be32(&v, &a->valid))
		return sr_fail(err, EBADMSG, "an IA address option is shorter than %d bytes",
			       IAADDR_FIXED);
	while ((rc = opt_next(&v, &code, &o)) > 0) {
		if (code != DHCP6_OPT_STATUS_CODE)
			continue;
		if (has_status)
			return sr_fail(err, EBADMSG, "an IA address carries two status codes");
		has_status = true;
		if ((rc = parse_status(o, &a->status, msg, "in an IA address", err)) < 0)
			return rc;
	}
	if (rc < 0)
		return sr_fail(err, EBADMSG, "an option inside an IA address runs past its end");
	return 0;
}

/* Option 3 (§21.4): IAID, T1, T2, then IAADDR and status code options. */
static int parse_ia_na(struct cursor v, struct dhcp6_ia *ia, unsigned *ignored,
		       struct sr_error *err)
{
	struct cursor o;
	uint16_t code;
	int rc;

	memset(ia, 0, sizeof(*ia));
	if (!cursor_be32(&v, &ia->iaid) || !cursor_be32(&v, &ia->t1) || !cursor_be32(&v, &ia->t2))
		return sr_fail(err, EBADMSG, "an IA_NA option is %zu bytes, shorter than %d",
			       v.rem, IA_NA_FIXED);
	while ((rc = opt_next(&v, &code, &o)) > 0) {
		if (code == DHCP6_OPT_IAADDR) {
			struct dhcp6_iaaddr a;

			if ((rc = parse_iaaddr(o, &a, err)) < 0)
				return rc;
			if (a.preferred > a.valid)
				*ignored |= DHCP6_IGN_LIFETIMES;
			else if (ia->naddrs == DHCP6_MAX_ADDRS)
				*ignored |= DHCP6_IGN_TOO_MANY;
			else
				ia->addr[ia->naddrs++] = a;
		} else if (code == DHCP6_OPT_STATUS_CODE) {
			if (ia->has_status)
				return sr_fail(err, EBADMSG, "an IA_NA carries two status codes");
			ia->has_status = true;
			if ((rc = parse_status(o, &ia->status, ia->status_msg, "in an IA_NA",
					       err)) < 0)
				return rc;
		}
	}
	if (rc < 0)
		return sr_fail(err, EBADMSG, "an option inside IA_NA %u runs past its end",
			       ia->iaid);
	return 0;
}

static int parse_duid(struct cursor v, uint8_t *out, size_t *len, uint16_t code,
		      struct sr_error *err)
{
	const char *what = code == DHCP6_OPT_CLIENTID ? "client" : "server";

	if (*len)
		return sr_fail(err, EBADMSG, "two %s identifiers", what);
	/* A DUID is a 2-byte type and at least one byte (§11.1). */
	if (v.rem < 3 || v.rem > DHCP6_DUID_MAX)
		return sr_fail(err, EBADMSG, "the %s identifier is %zu bytes, not 3 to %d", what,
			       v.rem, DHCP6_DUID_MAX);
	memcpy(out, v.p, v.rem);
	*len = v.rem;
	return 0;
}

static int parse_option(uint16_t code, struct cursor v, struct dhcp6_msg *m,
			struct sr_error *err)
{
	int rc;

	switch (code) {
	case DHCP6_OPT_CLIENTID:
		return parse_duid(v, m->client_id, &m->client_id_len, code, err);
	case DHCP6_OPT_SERVERID:
		return parse_duid(v, m->server_id, &m->server_id_len, code, err);
	case DHCP6_OPT_IA_NA: {
		struct dhcp6_ia ia;

		if ((rc = parse_ia_na(v, &ia, &m->ignored, err)) < 0)
			return rc;
		if (ia.t1 > ia.t2 && ia.t2 > 0)
			m->ignored |= DHCP6_IGN_IA_TIMERS;
		else if (m->nia == DHCP6_MAX_IA)
			m->ignored |= DHCP6_IGN_TOO_MANY;
		else
			m->ia[m->nia++] = ia;
		return 0;
	}
	case DHCP6_OPT_ORO:
		if (v.rem % 2)
			return sr_fail(err, EBADMSG, "the option request is %zu bytes, an odd number",
				       v.rem);
		for (uint16_t o; cursor_be16(&v, &o);)
			if (m->noro < DHCP6_MAX_ORO)
				m->oro[m->noro++] = o;
		return 0;
	case DHCP6_OPT_PREFERENCE:
		if (v.rem != 1)
			return sr_fail(err, EBADMSG, "the preference is %zu bytes, not 1", v.rem);
		m->has_preference = true;
		m->preference = v.p[0];
		return 0;
	case DHCP6_OPT_ELAPSED_TIME:
		if (!cursor_be16(&v, &m->elapsed) || v.rem)
			return sr_fail(err, EBADMSG, "the elapsed time is not 2 bytes");
		m->has_elapsed = true;
		return 0;
	case DHCP6_OPT_STATUS_CODE:
		if (m->has_status)
			return sr_fail(err, EBADMSG, "two status codes");
		m->has_status = true;
		return parse_status(v, &m->status, m->status_msg, "of the message", err);
	case DHCP6_OPT_RAPID_COMMIT:
		if (v.rem)
			return sr_fail(err, EBADMSG, "rapid commit is %zu bytes, not 0", v.rem);
		m->rapid_commit = true;
		return 0;
	case DHCP6_OPT_DNS_SERVERS:
		if (v.rem == 0 || v.rem % 16)
			return sr_fail(err, EBADMSG,
				       "option 23 (DNS servers) is %zu bytes, not a list of addresses",
				       v.rem);
		while (m->ndns < DHCP6_MAX_DNS && cursor_bytes(&v, m->dns[m->ndns], 16))
			m->ndns++;
		return 0;
	case DHCP6_OPT_BOOTFILE_URL: {
		const uint8_t *nul = memchr(v.p, 0, v.rem);
		size_t len = nul ? (size_t)(nul - v.p) : v.rem;

		if (len >= sizeof(m->bootfile_url))
			return sr_fail(err, EBADMSG,
				       "option 59 (boot file URL) is %zu bytes, more than the %zu we keep",
				       len, sizeof(m->bootfile_url) - 1);
		memcpy(m->bootfile_url, v.p, len);
		m->bootfile_url[len] = '\0';
		return 0;
	}
	}
	return 0;
}

int dhcp6_parse(const void *data, size_t len, struct dhcp6_msg *m, struct sr_error *err)
{
	struct cursor c = cursor_make(data, len), v;
	uint16_t code;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!cursor_u8(&c, &m->type) || !cursor_be24(&c, &m->xid))
		return sr_fail(err, EBADMSG, "%zu bytes, shorter than a DHCPv6 header", len);
	if (m->type < DHCP6_SOLICIT || m->type > DHCP6_INFORMATION_REQUEST)
		return sr_fail(err, EBADMSG, "message type %u is not one a client takes part in",
			       m->type);
	while ((rc = opt_next(&c, &code, &v)) > 0)
		if ((rc = parse_option(code, v, m, err)) < 0)
			return rc;
	if (rc < 0)
		return sr_fail(err, EBADMSG, "option %u runs past the end of the message", code);
	return 0;
}

/* Checking ----------------------------------------------------------------- */

int dhcp6_reply_check(const struct dhcp6_msg *m, const struct dhcp6_request *sent,
		      struct sr_error *err)
{
	if (m->xid != (sent->xid & 0xffffff))
		return sr_fail(err, EPROTO, "transaction id %06x, not ours (%06x)", m->xid,
			       sent->xid & 0xffffff);
	if (sent->type == DHCP6_SOLICIT) {
		if (m->type == DHCP6_REPLY && !sent->rapid_commit)
			return sr_fail(err, EPROTO, "a REPLY to a SOLICIT without rapid commit");
		if (m->type == DHCP6_REPLY && !m->rapid_commit)
			return sr_fail(err, EPROTO, "a REPLY to a SOLICIT, without rapid commit in it");
		if (m->type != DHCP6_ADVERTISE && m->type != DHCP6_REPLY)
			return sr_fail(err, EPROTO, "%s, not ADVERTISE or REPLY",
				       dhcp6_type_name(m->type));
	} else if (m->type != DHCP6_REPLY) {
		return sr_fail(err, EPROTO, "%s, not REPLY", dhcp6_type_name(m->type));
	}
	if (m->server_id_len == 0)
		return sr_fail(err, EPROTO, "%s without a server identifier",
			       dhcp6_type_name(m->type));
	if (m->client_id_len == 0)
		return sr_fail(err, EPROTO, "%s without a client identifier",
			       dhcp6_type_name(m->type));
	if (m->client_id_len != sent->duid_len ||
	    memcmp(m->client_id, sent->duid, sent->duid_len) != 0)
		return sr_fail(err, EPROTO, "%s for another client identifier",
			       dhcp6_type_name(m->type));
	if (sent->server_id_len &&
	    (m->server_id_len != sent->server_id_len ||
	     memcmp(m->server_id, sent->server_id, sent->server_id_len) != 0))
		return sr_fail(err, EPROTO, "%s from another server than the one asked",
			       dhcp6_type_name(m->type));
	return 0;
}

int dhcp6_lease_pick(const struct dhcp6_msg *m, uint32_t iaid, const struct dhcp6_ia **ia,
		     const struct dhcp6_iaaddr **addr, struct sr_error *err)
{
	const struct dhcp6_ia *found = NULL;

	if (m->has_status && m->status != DHCP6_SUCCESS)
		return sr_fail(err, EADDRNOTAVAIL, "the server says %s: %.160s",
			       dhcp6_status_name(m->status), m->status_msg);
	for (unsigned i = 0; i < m->nia && !found; i++)
		if (m->ia[i].iaid == iaid)
			found = &m->ia[i];
	if (!found)
		return sr_fail(err, EADDRNOTAVAIL, "no IA_NA %u in the answer%s", iaid,
			       m->ignored & DHCP6_IGN_IA_TIMERS ? " (one had T1 > T2)" : "");
	if (found->status != DHCP6_SUCCESS)
		return sr_fail(err, EADDRNOTAVAIL, "the server says %s for IA_NA %u: %.160s",
			       dhcp6_status_name(found->status), iaid, found->status_msg);
	for (unsigned i = 0; i < found->naddrs; i++) {
		if (found->addr[i].valid == 0 || found->addr[i].status != DHCP6_SUCCESS)
			continue;
		*ia = found;
		*addr = &found->addr[i];
		return 0;
	}
	return sr_fail(err, EADDRNOTAVAIL, "IA_NA %u holds no address with a lifetime%s", iaid,
		       m->ignored & DHCP6_IGN_LIFETIMES ? " (one had preferred > valid)" : "");
}

/* Building ----------------------------------------------------------------- */

static void put_opt(struct writer *w, uint16_t code, const void *data, size_t len)
{
	wr_be16(w, code);
	wr_be16(w, (uint16_t)len);
	wr_bytes(w, data, len);
}

/* §18.2: a client sends T1, T2 and the lifetimes as 0; the server decides them. */
static void put_ia_na(struct writer *w, uint32_t iaid, const struct dhcp6_ia *ia)
{
	unsigned n = ia ? (ia->naddrs < DHCP6_MAX_ADDRS ? ia->naddrs : DHCP6_MAX_ADDRS) : 0;

	wr_be16(w, DHCP6_OPT_IA_NA);
	wr_be16(w, (uint16_t)(IA_NA_FIXED + n * (4 + IAADDR_FIXED)));
	wr_be32(w, iaid);
	wr_be32(w, 0);
	wr_be32(w, 0);
	for (unsigned i = 0; i < n; i++) {
		wr_be16(w, DHCP6_OPT_IAADDR);
		wr_be16(w, IAADDR_FIXED);
		wr_bytes(w, ia->addr[i].addr, 16);
		wr_be32(w, 0);
		wr_be32(w, 0);
	}
}

int dhcp6_build(const struct dhcp6_request *r, uint8_t *buf, size_t size)
{
	struct writer w = writer_make(buf, size);
	bool need_server = r->type == DHCP6_REQUEST || r->type == DHCP6_RENEW;
	bool stateful = r->type != DHCP6_INFORMATION_REQUEST;

	switch (r->type) {
	case DHCP6_SOLICIT: case DHCP6_REQUEST: case DHCP6_RENEW: case DHCP6_REBIND:
	case DHCP6_INFORMATION_REQUEST:
		break;
	default:
		return -EINVAL;
	}
	if (r->duid_len < 3 || r->duid_len > DHCP6_DUID_MAX ||
	    need_server != (r->server_id_len > 0) || r->server_id_len > DHCP6_DUID_MAX ||
	    (r->rapid_commit && r->type != DHCP6_SOLICIT) || r->noro > DHCP6_MAX_ORO)
		return -EINVAL;

	wr_bytes(&w, (uint8_t[]){ r->type, (uint8_t)(r->xid >> 16), (uint8_t)(r->xid >> 8),
			     (uint8_t)r->xid }, DHCP6_HDR_LEN);
	put_opt(&w, DHCP6_OPT_CLIENTID, r->duid, r->duid_len);
	if (r->server_id_len)
		put_opt(&w, DHCP6_OPT_SERVERID, r->server_id, r->server_id_len);
	wr_be16(&w, DHCP6_OPT_ELAPSED_TIME);
	wr_be16(&w, 2);
	wr_be16(&w, r->elapsed);
	if (r->rapid_commit)
		put_opt(&w, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
	if (stateful)
		put_ia_na(&w, r->iaid, r->ia);
	if (r->noro) {
		wr_be16(&w, DHCP6_OPT_ORO);
		wr_be16(&w, (uint16_t)(2 * r->noro));
		for (size_t i = 0; i < r->noro; i++)
			wr_be16(&w, r->oro[i]);
	}
	if (w.overflow)
		return -ENOSPC;
	return (int)(size - w.rem);
}

/* The root path in option 59 ----------------------------------------------- */

int dhcp6_bootfile_rootpath(const char *url, char *out, size_t size, struct sr_error *err)
{
	size_t o, i = 6;
	bool in_brackets = false;

	if (strncasecmp(url, "iscsi:", 6) != 0)
		return 0;
	if (size < 7)
		return sr_fail(err, ENOSPC, "no room for the root path");
	memcpy(out, "iscsi:", 6);
	o = 6;
	for (; url[i]; i++) {
		unsigned char ch = (unsigned char)url[i];

		if (ch < 0x20 || ch == 0x7f)
			return sr_fail(err, EINVAL, "the boot file URL holds control character 0x%02x",
				       ch);
		/* The server field starts the path or follows the credentials' '@'. */
		if (ch == '[' && (i == 6 || url[i - 1] == '@'))
			in_brackets = true;
		else if (in_brackets && ch == ']')
			in_brackets = false;
		/* RFC 6874 §2: the zone of a link-local address is written "%25zone". */
		if (in_brackets && ch == '%') {
			if (url[i + 1] != '2' || url[i + 2] != '5')
				return sr_fail(err, EINVAL,
					       "the address in the boot file URL has a '%%' not followed by 25");
			i += 2;
		}
		if (o + 1 >= size)
			return sr_fail(err, ENAMETOOLONG, "the root path in the boot file URL is longer than %zu bytes",
				       size - 1);
		out[o++] = (char)ch;
	}
	if (in_brackets)
		return sr_fail(err, EINVAL, "the address in the boot file URL has no closing ']'");
	out[o] = '\0';
	return 1;
}
