// SPDX-License-Identifier: GPL-2.0-only
/*
 * iBFT 1.03 parser: table header (§3.3), control (§3.4), initiator (§3.5),
 * NIC (§3.6) and target (§3.7) structures. Every structure and every string
 * the table points to is checked against the table's own length.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "core/cursor.h"
#include "firmware/ibft.h"

enum {
	ID_CONTROL = 1,
	ID_INITIATOR = 2,
	ID_NIC = 3,
	ID_TARGET = 4,
	ID_EXTENSIONS = 5,
};

/* Structure lengths, header included (§3.4-§3.7). */
enum {
	LEN_STRUCT_HDR = 6,
	LEN_CONTROL_MIN = 18,
	LEN_INITIATOR = 74,
	LEN_NIC = 102,
	LEN_TARGET = 54,
};

struct shdr {
	uint8_t id, version;
	uint16_t length;
	uint8_t index, flags;
};

static bool read_shdr(struct cursor *c, struct shdr *h)
{
	return cursor_u8(c, &h->id) && cursor_u8(c, &h->version) &&
	       cursor_le16(c, &h->length) && cursor_u8(c, &h->index) &&
	       cursor_u8(c, &h->flags);
}

/* A 16-byte address: IPv4-mapped becomes dotted quad; all zero becomes "". */
static bool read_addr(struct cursor *c, char out[IBFT_ADDR_MAX])
{
	static const uint8_t zero[16];
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	uint8_t a[16];

	if (!cursor_bytes(c, a, sizeof(a)))
		return false;
	out[0] = '\0';
	if (memcmp(a, zero, 16) == 0)
		return true;
	if (memcmp(a, mapped, 12) == 0) {
		if (memcmp(a + 12, zero, 4) != 0)
			inet_ntop(AF_INET, a + 12, out, IBFT_ADDR_MAX);
		return true;
	}
	inet_ntop(AF_INET6, a, out, IBFT_ADDR_MAX);
	return true;
}

/*
 * A (length, offset) string reference. The bytes must lie inside the table
 * and fit in out with a terminator; a NUL inside the declared length is an
 * error, since it would silently shorten a name or a secret.
 */
static int read_str(const uint8_t *tbl, size_t tlen, struct cursor *c,
		    char *out, size_t outlen, const char *what,
		    struct sr_error *err)
{
	uint16_t len, off;
	struct cursor s;

	if (!cursor_le16(c, &len) || !cursor_le16(c, &off))
		return sr_fail(err, EBADMSG, "%s: structure truncated", what);
	out[0] = '\0';
	if (len == 0)
		return 0;
	if (!cursor_at(tbl, tlen, off, len, &s))
		return sr_fail(err, EBADMSG,
			       "%s: string at offset %u, length %u, runs past the table end (%zu)",
			       what, off, len, tlen);
	if (len >= outlen)
		return sr_fail(err, EMSGSIZE,
			       "%s: string of %u bytes does not fit (at most %zu)",
			       what, len, outlen - 1);
	if (memchr(s.p, '\0', len))
		return sr_fail(err, EBADMSG, "%s: string contains a NUL byte", what);
	memcpy(out, s.p, len);
	out[len] = '\0';
	return 0;
}

int64_t ibft_lun_decode(const uint8_t raw[8])
{
	/* SAM-5 §4.7: the top two bits of byte 0 give the addressing method. */
	switch (raw[0] >> 6) {
	case 0: /* peripheral device: bus 0 only for a single-level LUN */
		if (raw[0] & 0x3f)
			return -1;
		return raw[1];
	case 1: /* flat space */
		return (int64_t)(raw[0] & 0x3f) << 8 | raw[1];
	default:
		return -1;
	}
}

static int parse_initiator(const uint8_t *tbl, size_t tlen, struct cursor *c,
			   const struct shdr *h, struct ibft_initiator *ini,
			   struct sr_error *err)
{
	ini->present = true;
	ini->flags = h->flags;
	if (!read_addr(c, ini->isns) || !read_addr(c, ini->slp) ||
	    !read_addr(c, ini->radius[0]) || !read_addr(c, ini->radius[1]))
		return sr_fail(err, EBADMSG, "initiator: structure truncated");
	return read_str(tbl, tlen, c, ini->name, sizeof(ini->name),
			"initiator name", err);
}

static int parse_nic(const uint8_t *tbl, size_t tlen, struct cursor *c,
		     const struct shdr *h, struct ibft_nic *n,
		     struct sr_error *err)
{
	n->index = h->index;
	n->flags = h->flags;
	if (!read_addr(c, n->ip) || !cursor_u8(c, &n->prefix) ||
	    !cursor_u8(c, &n->origin) || !read_addr(c, n->gateway) ||
	    !read_addr(c, n->dns[0]) || !read_addr(c, n->dns[1]) ||
	    !read_addr(c, n->dhcp) || !cursor_le16(c, &n->vlan) ||
	    !cursor_bytes(c, n->mac, 6) || !cursor_le16(c, &n->pci_bdf))
		return sr_fail(err, EBADMSG, "NIC %u: structure truncated", h->index);
	if (n->prefix > 128)
		return sr_fail(err, EBADMSG, "NIC %u: prefix length %u is impossible",
			       h->index, n->prefix);
	return read_str(tbl, tlen, c, n->hostname, sizeof(n->hostname),
			"NIC hostname", err);
}

static int parse_target(const uint8_t *tbl, size_t tlen, struct cursor *c,
			const struct shdr *h, struct ibft_target *t,
			struct sr_error *err)
{
	int rc;

	t->index = h->index;
	t->flags = h->flags;
	if (!read_addr(c, t->ip) || !cursor_le16(c, &t->port) ||
	    !cursor_bytes(c, t->lun_raw, 8) || !cursor_u8(c, &t->chap_type) ||
	    !cursor_u8(c, &t->nic))
		return sr_fail(err, EBADMSG, "target %u: structure truncated", h->index);
	int64_t lun = ibft_lun_decode(t->lun_raw);
	t->lun = lun < 0 ? 0 : (uint64_t)lun;
	if (t->chap_type > IBFT_CHAP_MUTUAL)
		return sr_fail(err, EBADMSG, "target %u: unknown CHAP type %u",
			       h->index, t->chap_type);
	if ((rc = read_str(tbl, tlen, c, t->name, sizeof(t->name), "target name", err)) ||
	    (rc = read_str(tbl, tlen, c, t->chap_name, sizeof(t->chap_name), "target CHAP name", err)) ||
	    (rc = read_str(tbl, tlen, c, t->chap_secret, sizeof(t->chap_secret), "target CHAP secret", err)) ||
	    (rc = read_str(tbl, tlen, c, t->rchap_name, sizeof(t->rchap_name), "target reverse CHAP name", err)) ||
	    (rc = read_str(tbl, tlen, c, t->rchap_secret, sizeof(t->rchap_secret), "target reverse CHAP secret", err)))
		return rc;
	return 0;
}

static int parse_struct(const uint8_t *tbl, size_t tlen, uint16_t off,
			struct ibft *out, struct sr_error *err)
{
	struct cursor c, body;
	struct shdr h;
	size_t need;

	if (off >= tlen || !cursor_at(tbl, tlen, off, tlen - off, &c) ||
	    !read_shdr(&c, &h))
		return sr_fail(err, EBADMSG,
			       "structure at offset %u runs past the table end (%zu)",
			       off, tlen);
	switch (h.id) {
	case ID_INITIATOR: need = LEN_INITIATOR; break;
	case ID_NIC: need = LEN_NIC; break;
	case ID_TARGET: need = LEN_TARGET; break;
	default:
		return 0;	/* reserved, extensions: not ours to read */
	}
	if (h.length < need)
		return sr_fail(err, EBADMSG,
			       "structure type %u at offset %u is %u bytes, expected %zu",
			       h.id, off, h.length, need);
	if (!cursor_at(tbl, tlen, off, h.length, &body))
		return sr_fail(err, EBADMSG,
			       "structure type %u at offset %u (%u bytes) runs past the table end (%zu)",
			       h.id, off, h.length, tlen);
	cursor_skip(&body, LEN_STRUCT_HDR);

	switch (h.id) {
	case ID_INITIATOR:
		if (out->initiator.present)
			return sr_fail(err, EBADMSG, "two initiator structures");
		return parse_initiator(tbl, tlen, &body, &h, &out->initiator, err);
	case ID_NIC:
		if (out->nnics == IBFT_MAX_NICS)
			return sr_fail(err, E2BIG, "more than %d NIC structures", IBFT_MAX_NICS);
		return parse_nic(tbl, tlen, &body, &h, &out->nic[out->nnics++], err);
	default:
		if (out->ntargets == IBFT_MAX_TARGETS)
			return sr_fail(err, E2BIG, "more than %d target structures", IBFT_MAX_TARGETS);
		return parse_target(tbl, tlen, &body, &h, &out->target[out->ntargets++], err);
	}
}

int ibft_parse(const void *buf, size_t len, struct ibft *out, struct sr_error *err)
{
	const uint8_t *tbl = buf;
	struct cursor c = cursor_make(buf, len), ctl;
	struct shdr h;
	uint8_t sum = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len < IBFT_HEADER_LEN)
		return sr_fail(err, EBADMSG, "%zu bytes is too short for a table header", len);
	if (!cursor_bytes(&c, out->signature, 4) || !cursor_le32(&c, &out->length) ||
	    !cursor_u8(&c, &out->revision) || !cursor_u8(&c, &out->checksum) ||
	    !cursor_bytes(&c, out->oem_id, 6) || !cursor_bytes(&c, out->oem_table_id, 8))
		return sr_fail(err, EBADMSG, "%zu bytes is too short for a table header", len);
	if (strcmp(out->signature, "iBFT") && strcmp(out->signature, "IBFT") &&
	    strcmp(out->signature, "BIFT"))
		return sr_fail(err, EBADMSG, "no iBFT signature");
	if (out->length < IBFT_HEADER_LEN + LEN_CONTROL_MIN)
		return sr_fail(err, EBADMSG, "table length %u is too short", out->length);
	if (out->length > len)
		return sr_fail(err, EBADMSG,
			       "table says it is %u bytes, but only %zu are there",
			       out->length, len);
	if (out->revision != 1)
		return sr_fail(err, EPROTONOSUPPORT, "table revision %u, only 1 is known",
			       out->revision);
	for (size_t i = 0; i < out->length; i++)
		sum = (uint8_t)(sum + tbl[i]);
	if (sum != 0)
		return sr_fail(err, EBADMSG, "bad checksum (bytes sum to 0x%02x, not 0)", sum);

	len = out->length;	/* nothing past the table's own end counts */
	if (!cursor_at(tbl, len, IBFT_HEADER_LEN, len - IBFT_HEADER_LEN, &ctl) ||
	    !read_shdr(&ctl, &h))
		return sr_fail(err, EBADMSG, "control structure truncated");
	if (h.id != ID_CONTROL || h.index != 0)
		return sr_fail(err, EBADMSG, "control structure has id %u index %u, expected 1 and 0",
			       h.id, h.index);
	if (h.length < LEN_CONTROL_MIN || (h.length & 1) ||
	    h.length > len - IBFT_HEADER_LEN)
		return sr_fail(err, EBADMSG, "control structure length %u is invalid", h.length);
	ctl.rem = h.length - LEN_STRUCT_HDR;
	cursor_skip(&ctl, 2);	/* extensions */

	/* Initiator, NIC0, target0, NIC1, target1, then any further pairs. */
	uint16_t off;
	while (cursor_le16(&ctl, &off)) {
		if (off == 0)
			continue;
		if ((rc = parse_struct(tbl, len, off, out, err)) < 0)
			return rc;
	}
	return 0;
}

long ibft_scan(const void *mem, size_t len)
{
	const uint8_t *m = mem;

	for (size_t off = 0; len >= IBFT_HEADER_LEN && off <= len - IBFT_HEADER_LEN; off += 16) {
		if (memcmp(m + off, "iBFT", 4) && memcmp(m + off, "IBFT", 4) &&
		    memcmp(m + off, "BIFT", 4))
			continue;
		uint32_t tlen = (uint32_t)m[off + 4] | (uint32_t)m[off + 5] << 8 |
				(uint32_t)m[off + 6] << 16 | (uint32_t)m[off + 7] << 24;
		if (tlen >= IBFT_HEADER_LEN && tlen <= len - off)
			return (long)off;
	}
	return -1;
}

static void dump_mac(FILE *f, const uint8_t m[6])
{
	fprintf(f, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void dump_str(FILE *f, const char *key, const char *v)
{
	if (v[0])
		fprintf(f, "  %-18s %s\n", key, v);
}

void ibft_write_dump(const struct ibft *t, FILE *f, bool show_secrets)
{
	static const char *origins[] = {
		[IBFT_ORIGIN_OTHER] = "", [IBFT_ORIGIN_MANUAL] = " (manual)",
		[IBFT_ORIGIN_WELL_KNOWN] = " (well known)", [IBFT_ORIGIN_DHCP] = " (dhcp)",
		[IBFT_ORIGIN_RA] = " (router advertisement)",
	};
	const char *mask = "********";

	fprintf(f, "iBFT: signature %s, revision %u, %u bytes, OEM '%s' table '%s'\n",
		t->signature, t->revision, t->length, t->oem_id, t->oem_table_id);
	if (t->initiator.present) {
		fprintf(f, "initiator: flags 0x%02x%s\n", t->initiator.flags,
			t->initiator.flags & IBFT_FL_BOOT ? " (boot)" : "");
		dump_str(f, "name", t->initiator.name);
		dump_str(f, "isns", t->initiator.isns);
		dump_str(f, "slp", t->initiator.slp);
		dump_str(f, "radius", t->initiator.radius[0]);
		dump_str(f, "radius2", t->initiator.radius[1]);
	}
	for (unsigned i = 0; i < t->nnics; i++) {
		const struct ibft_nic *n = &t->nic[i];

		fprintf(f, "nic%u: flags 0x%02x%s%s\n", n->index, n->flags,
			n->flags & IBFT_FL_VALID ? " (valid)" : " (invalid)",
			n->flags & IBFT_FL_BOOT ? " (boot)" : "");
		fprintf(f, "  %-18s ", "mac");
		dump_mac(f, n->mac);
		fputc('\n', f);
		if (n->ip[0])
			fprintf(f, "  %-18s %s/%u\n", "ip", n->ip, n->prefix);
		fprintf(f, "  %-18s %u%s\n", "origin", n->origin,
			n->origin < sizeof(origins) / sizeof(origins[0]) ? origins[n->origin] : "");
		dump_str(f, "gateway", n->gateway);
		dump_str(f, "dns", n->dns[0]);
		dump_str(f, "dns2", n->dns[1]);
		dump_str(f, "dhcp", n->dhcp);
		if (n->vlan)
			fprintf(f, "  %-18s %u\n", "vlan", n->vlan & 0x0fff);
		fprintf(f, "  %-18s %02x:%02x.%u\n", "pci", n->pci_bdf >> 8,
			(n->pci_bdf >> 3) & 0x1f, n->pci_bdf & 7);
		dump_str(f, "hostname", n->hostname);
	}
	for (unsigned i = 0; i < t->ntargets; i++) {
		const struct ibft_target *g = &t->target[i];
		static const char *chap[] = { "none", "chap", "mutual chap" };

		fprintf(f, "target%u: flags 0x%02x%s%s\n", g->index, g->flags,
			g->flags & IBFT_FL_VALID ? " (valid)" : " (invalid)",
			g->flags & IBFT_FL_BOOT ? " (boot)" : "");
		dump_str(f, "name", g->name);
		fprintf(f, strchr(g->ip, ':') ? "  %-18s [%s]:%u\n" : "  %-18s %s:%u\n", "portal",
			g->ip, g->port);
		fprintf(f, "  %-18s %llu\n", "lun", (unsigned long long)g->lun);
		fprintf(f, "  %-18s nic%u\n", "nic", g->nic);
		fprintf(f, "  %-18s %s\n", "auth", chap[g->chap_type]);
		dump_str(f, "chap name", g->chap_name);
		dump_str(f, "chap secret", g->chap_secret[0] && !show_secrets ? mask : g->chap_secret);
		dump_str(f, "reverse chap name", g->rchap_name);
		dump_str(f, "reverse chap secret",
			 g->rchap_secret[0] && !show_secrets ? mask : g->rchap_secret);
	}
}
