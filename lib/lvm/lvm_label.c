// SPDX-License-Identifier: GPL-2.0-only
/*
 * LVM2 PV format, as lvm2 writes it (lib/label, lib/format_text): the label
 * sector (LABELONE, CRC from byte 20 to the sector's end), the pv_header
 * that follows it (UUID, device size, zero-terminated lists of data and
 * metadata areas, optional extension), each metadata area's header
 * (checksum, magic, version, start, size, raw locations) and the newest
 * text in the circular buffer behind it. All integers are little-endian.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cursor.h"
#include "lvm/lvm_label.h"

#define LABEL_ID	"LABELONE"
#define LABEL_TYPE	"LVM2 001"
#define LABEL_CRC_FROM	20		/* offset_xl: the CRC covers it and what follows */
#define LABEL_HDR_SIZE	32
#define MDA_MAGIC	"\040\114\126\115\062\040\170\133\065\101\045\162\060\116\052\076"
#define MDA_VERSION	1
#define RAW_LOCN_IGNORED 0x1u

uint32_t lvm_crc(uint32_t crc, const void *buf, size_t len)
{
	static const uint32_t tab[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	const uint8_t *p = buf;

	while (len--) {
		crc ^= *p++;
		crc = crc >> 4 ^ tab[crc & 0xf];
		crc = crc >> 4 ^ tab[crc & 0xf];
	}
	return crc;
}

bool lvm_id_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '!' || c == '#';
}

/* A zero-terminated list of (offset, size) pairs; the terminator has offset 0. */
static int read_areas(struct cursor *c, struct lvm_area *out, unsigned max, unsigned *n,
		      const char *what, struct sr_error *err)
{
	for (*n = 0;; ) {
		uint64_t off, size;

		if (!cursor_le64(c, &off) || !cursor_le64(c, &size))
			return sr_fail(err, EBADMSG,
				       "PV header: the %s area list runs past the label sector",
				       what);
		if (off == 0)
			return 0;
		if (*n == max)
			return sr_fail(err, EBADMSG, "PV header: more than %u %s areas", max, what);
		out[(*n)++] = (struct lvm_area){ off, size };
	}
}

static int parse_label_sector(const uint8_t *sec, unsigned sector, struct lvm_label *l,
			      struct sr_error *err)
{
	struct cursor c = cursor_make(sec, LVM_SECTOR), h;
	uint64_t sector_xl;
	uint32_t crc, offset;
	uint8_t type[8];

	memset(l, 0, sizeof(*l));
	if (!cursor_skip(&c, 8) || !cursor_le64(&c, &sector_xl) || !cursor_le32(&c, &crc) ||
	    !cursor_le32(&c, &offset) || !cursor_bytes(&c, type, sizeof(type)))
		return sr_fail(err, EBADMSG, "label sector truncated");
	if (sector_xl != sector)
		return sr_fail(err, EBADMSG,
			       "label found in sector %u says it belongs in sector %llu",
			       sector, (unsigned long long)sector_xl);
	if (lvm_crc(LVM_CRC_INIT, sec + LABEL_CRC_FROM, LVM_SECTOR - LABEL_CRC_FROM) != crc)
		return sr_fail(err, EBADMSG, "label checksum mismatch in sector %u", sector);
	if (memcmp(type, LABEL_TYPE, sizeof(type)))
		return sr_fail(err, EPROTONOSUPPORT,
			       "label in sector %u is not of type \"LVM2 001\"",
			       sector);
	if (offset < LABEL_HDR_SIZE || offset >= LVM_SECTOR ||
	    !cursor_at(sec, LVM_SECTOR, offset, LVM_SECTOR - offset, &h))
		return sr_fail(err, EBADMSG,
			       "label: PV header offset %u outside the label sector", offset);

	l->sector = sector;
	if (!cursor_bytes(&h, l->pv_id, LVM_ID_LEN) || !cursor_le64(&h, &l->dev_size))
		return sr_fail(err, EBADMSG, "PV header truncated");
	for (unsigned i = 0; i < LVM_ID_LEN; i++)
		if (!lvm_id_char((unsigned char)l->pv_id[i]))
			return sr_fail(err, EBADMSG,
				       "PV header: the PV UUID has a byte outside [0-9a-zA-Z!#]");
	l->pv_id[LVM_ID_LEN] = '\0';

	int rc = read_areas(&h, l->data, LVM_MAX_DATA_AREAS, &l->ndata, "data", err);
	if (rc < 0)
		return rc;
	if ((rc = read_areas(&h, l->mda, LVM_MAX_MDAS, &l->nmda, "metadata", err)) < 0)
		return rc;
	/* The extension is optional: PVs written before lvm2 2.02.110 lack it. */
	if (!cursor_le32(&h, &l->ext_version) || !cursor_le32(&h, &l->ext_flags))
		l->ext_version = l->ext_flags = 0;

	for (unsigned i = 0; i < l->nmda; i++) {
		const struct lvm_area *a = &l->mda[i];

		if (a->offset < (uint64_t)(sector + 1) * LVM_SECTOR)
			return sr_fail(err, EBADMSG,
				       "PV header: metadata area %u at byte %llu overlaps the label",
				       i + 1, (unsigned long long)a->offset);
		if (a->size < LVM_MDA_HEADER_SIZE + LVM_SECTOR || a->size > UINT64_MAX - a->offset)
			return sr_fail(err, EBADMSG,
				       "PV header: metadata area %u has an impossible size (%llu bytes)",
				       i + 1, (unsigned long long)a->size);
	}
	return 0;
}

int lvm_label_parse(const void *buf, size_t len, struct lvm_label *out, struct sr_error *err)
{
	struct sr_error first = { 0 };
	int first_rc = 0;

	/* As lvm2 does: the first good label wins; a damaged one does not hide a later one. */
	for (unsigned s = 0; s < LVM_LABEL_SCAN_SIZE / LVM_SECTOR; s++) {
		struct cursor c;
		int rc;

		if (!cursor_at(buf, len, (size_t)s * LVM_SECTOR, LVM_SECTOR, &c))
			break;
		if (memcmp(c.p, LABEL_ID, 8))
			continue;
		rc = parse_label_sector(c.p, s, out, first_rc ? NULL : &first);
		if (rc == 0)
			return 0;
		if (!first_rc)
			first_rc = rc;
	}
	if (!first_rc)
		return sr_fail(err, ENOENT, "no LVM2 label in the first four sectors");
	if (err)
		*err = first;
	return first_rc;
}

int lvm_mda_header_parse(const void *buf, size_t len, const struct lvm_area *area,
			 struct lvm_mda_header *h, struct sr_error *err)
{
	struct cursor c;
	uint32_t sum, version, flags;
	uint8_t magic[16];
	unsigned long long at = (unsigned long long)area->offset;

	memset(h, 0, sizeof(*h));
	if (!cursor_at(buf, len, 0, LVM_MDA_HEADER_SIZE, &c))
		return sr_fail(err, EBADMSG, "metadata area header at byte %llu truncated", at);
	if (area->size < LVM_MDA_HEADER_SIZE + LVM_SECTOR || area->size > UINT64_MAX - area->offset)
		return sr_fail(err, EBADMSG,
			       "metadata area at byte %llu has an impossible size", at);
	if (!cursor_le32(&c, &sum) || lvm_crc(LVM_CRC_INIT, c.p, LVM_MDA_HEADER_SIZE - 4) != sum)
		return sr_fail(err, EBADMSG,
			       "metadata area header at byte %llu: checksum mismatch", at);
	if (!cursor_bytes(&c, magic, sizeof(magic)) || memcmp(magic, MDA_MAGIC, sizeof(magic)))
		return sr_fail(err, EBADMSG, "metadata area header at byte %llu: wrong magic", at);
	if (!cursor_le32(&c, &version) || version != MDA_VERSION)
		return sr_fail(err, EPROTONOSUPPORT,
			       "metadata area header at byte %llu: version %u, not 1",
			       at, version);
	if (!cursor_le64(&c, &h->start) || !cursor_le64(&c, &h->size))
		return sr_fail(err, EBADMSG, "metadata area header at byte %llu truncated", at);
	if (h->start != area->offset)
		return sr_fail(err, EBADMSG,
			       "metadata area header at byte %llu says it is at byte %llu",
			       at, (unsigned long long)h->start);
	if (h->size != area->size)
		return sr_fail(err, EBADMSG,
			       "metadata area header at byte %llu says the area has %llu bytes, the PV header %llu",
			       at, (unsigned long long)h->size, (unsigned long long)area->size);

	/* raw_locn[0] is the committed text; [1], if set, a precommitted one we never use. */
	if (!cursor_le64(&c, &h->text_offset) || !cursor_le64(&c, &h->text_size) ||
	    !cursor_le32(&c, &h->text_checksum) || !cursor_le32(&c, &flags))
		return sr_fail(err, EBADMSG, "metadata area header at byte %llu truncated", at);
	h->ignored = flags & RAW_LOCN_IGNORED;
	if (h->text_offset == 0) {
		/* lvm2 ends the list at offset 0: no metadata here. */
		h->text_size = 0;
		return 0;
	}
	if (h->text_offset < LVM_MDA_HEADER_SIZE || h->text_offset >= h->size)
		return sr_fail(err, EBADMSG,
			       "metadata area at byte %llu: text offset %llu outside the area",
			       at, (unsigned long long)h->text_offset);
	if (h->text_size == 0 || h->text_size > h->size - LVM_MDA_HEADER_SIZE)
		return sr_fail(err, EBADMSG,
			       "metadata area at byte %llu: text size %llu does not fit in the area",
			       at, (unsigned long long)h->text_size);
	if (h->text_size > LVM_TEXT_MAX)
		return sr_fail(err, EFBIG,
			       "metadata area at byte %llu: text of %llu bytes, more than the %u we accept",
			       at, (unsigned long long)h->text_size, LVM_TEXT_MAX);
	return 0;
}

unsigned lvm_mda_text_ranges(const struct lvm_mda_header *h, struct lvm_area r[2])
{
	uint64_t room;

	if (h->text_offset == 0 || h->text_size == 0)
		return 0;
	room = h->size - h->text_offset;
	if (h->text_size <= room) {
		r[0] = (struct lvm_area){ h->start + h->text_offset, h->text_size };
		return 1;
	}
	/* Wrapped: the rest continues right after the header. */
	r[0] = (struct lvm_area){ h->start + h->text_offset, room };
	r[1] = (struct lvm_area){ h->start + LVM_MDA_HEADER_SIZE, h->text_size - room };
	return 2;
}

int lvm_mda_text_check(const struct lvm_mda_header *h, const void *text, size_t len,
		       size_t *textlen, struct sr_error *err)
{
	const char *nul;

	if (len != h->text_size)
		return sr_fail(err, EINVAL, "metadata text of %zu bytes, the header says %llu",
			       len, (unsigned long long)h->text_size);
	if (lvm_crc(LVM_CRC_INIT, text, len) != h->text_checksum)
		return sr_fail(err, EBADMSG,
			       "metadata text at byte %llu of the area at %llu: checksum mismatch",
			       (unsigned long long)h->text_offset, (unsigned long long)h->start);
	/* lvm2 counts the text's terminating NUL; one anywhere else would cut it short. */
	nul = memchr(text, '\0', len);
	if (nul && nul != (const char *)text + len - 1)
		return sr_fail(err, EBADMSG,
			       "metadata text at byte %llu of the area at %llu has a NUL byte inside",
			       (unsigned long long)h->text_offset, (unsigned long long)h->start);
	*textlen = nul ? len - 1 : len;
	return 0;
}

static int read_mda(const struct lvm_reader *r, struct lvm_mda_copy *m)
{
	uint8_t hdr[LVM_MDA_HEADER_SIZE];
	struct lvm_mda_header h;
	struct lvm_area part[2];
	unsigned nparts;
	size_t got = 0;
	char *buf;
	int rc;

	if (m->area.offset > r->size || LVM_MDA_HEADER_SIZE > r->size - m->area.offset)
		return sr_fail(&m->err, ENXIO,
			       "metadata area at byte %llu lies past the end of the device (%llu bytes)",
			       (unsigned long long)m->area.offset, (unsigned long long)r->size);
	if ((rc = r->read(r->ctx, m->area.offset, hdr, sizeof(hdr))) < 0)
		return sr_fail(&m->err, rc,
			       "unable to read the metadata area header at byte %llu: %s",
			       (unsigned long long)m->area.offset, strerror(-rc));
	if ((rc = lvm_mda_header_parse(hdr, sizeof(hdr), &m->area, &h, &m->err)) < 0)
		return rc;
	m->ignored = h.ignored;
	if (h.ignored)
		return 0;
	nparts = lvm_mda_text_ranges(&h, part);
	if (nparts == 0) {
		m->empty = true;
		return 0;
	}
	for (unsigned i = 0; i < nparts; i++)
		if (part[i].offset > r->size || part[i].size > r->size - part[i].offset)
			return sr_fail(&m->err, ENXIO,
				       "metadata text at byte %llu lies past the end of the device (%llu bytes)",
				       (unsigned long long)part[i].offset,
				       (unsigned long long)r->size);
	/* text_size <= LVM_TEXT_MAX, checked by lvm_mda_header_parse() */
	if (!(buf = malloc((size_t)h.text_size + 1)))
		return sr_fail(&m->err, ENOMEM, "out of memory for %llu bytes of metadata",
			       (unsigned long long)h.text_size);
	for (unsigned i = 0; i < nparts; i++) {
		if ((rc = r->read(r->ctx, part[i].offset, buf + got, (size_t)part[i].size)) < 0) {
			free(buf);
			return sr_fail(&m->err, rc,
				       "unable to read the metadata text at byte %llu: %s",
				       (unsigned long long)part[i].offset, strerror(-rc));
		}
		got += (size_t)part[i].size;
	}
	if ((rc = lvm_mda_text_check(&h, buf, got, &m->len, &m->err)) < 0) {
		free(buf);
		return rc;
	}
	buf[m->len] = '\0';
	m->text = buf;
	m->checksum = h.text_checksum;
	return 0;
}

int lvm_pv_read(const struct lvm_reader *r, struct lvm_pv_disk *pv, struct sr_error *err)
{
	uint8_t head[LVM_LABEL_SCAN_SIZE];
	size_t n = r->size < sizeof(head) ? (size_t)r->size : sizeof(head);
	int rc;

	memset(pv, 0, sizeof(*pv));
	if (n < LVM_SECTOR * 2)
		return sr_fail(err, ENOENT,
			       "too small to be a PV (%llu bytes)", (unsigned long long)r->size);
	if ((rc = r->read(r->ctx, 0, head, n)) < 0)
		return sr_fail(err, rc, "unable to read the label sectors: %s", strerror(-rc));
	if ((rc = lvm_label_parse(head, n, &pv->label, err)) < 0)
		return rc;
	pv->nmda = pv->label.nmda;
	for (unsigned i = 0; i < pv->nmda; i++) {
		pv->mda[i].area = pv->label.mda[i];
		pv->mda[i].rc = read_mda(r, &pv->mda[i]);
	}
	return 0;
}

void lvm_pv_disk_free(struct lvm_pv_disk *pv)
{
	for (unsigned i = 0; i < pv->nmda; i++) {
		free(pv->mda[i].text);
		pv->mda[i].text = NULL;
	}
}
