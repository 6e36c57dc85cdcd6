// SPDX-License-Identifier: GPL-2.0-only
/* SCSI CDBs and the parsing of their answers (SPC-4 §6.4 INQUIRY, §6.33 REPORT LUNS, SBC-3 §5.16). */
#include <errno.h>
#include <string.h>

#include "core/cursor.h"
#include "iscsi/scsi.h"

static void put_be(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

size_t scsi_cdb_test_unit_ready(uint8_t cdb[16])
{
	memset(cdb, 0, 16);
	return 6;
}

size_t scsi_cdb_inquiry(uint8_t cdb[16], bool evpd, uint8_t page, uint16_t alloc)
{
	memset(cdb, 0, 16);
	cdb[0] = 0x12;
	cdb[1] = evpd ? 1 : 0;
	cdb[2] = page;
	put_be(cdb + 3, alloc, 2);
	return 6;
}

size_t scsi_cdb_report_luns(uint8_t cdb[16], uint32_t alloc)
{
	memset(cdb, 0, 16);
	cdb[0] = 0xa0;
	put_be(cdb + 6, alloc, 4);
	return 12;
}

size_t scsi_cdb_read_capacity16(uint8_t cdb[16], uint32_t alloc)
{
	memset(cdb, 0, 16);
	cdb[0] = 0x9e;		/* SERVICE ACTION IN (16) */
	cdb[1] = 0x10;		/* READ CAPACITY (16) */
	put_be(cdb + 10, alloc, 4);
	return 16;
}

static size_t rw16(uint8_t cdb[16], uint8_t op, uint64_t lba, uint32_t blocks)
{
	memset(cdb, 0, 16);
	cdb[0] = op;
	put_be(cdb + 2, lba, 8);
	put_be(cdb + 10, blocks, 4);
	return 16;
}

size_t scsi_cdb_read16(uint8_t cdb[16], uint64_t lba, uint32_t blocks)
{
	return rw16(cdb, 0x88, lba, blocks);
}

size_t scsi_cdb_write16(uint8_t cdb[16], uint64_t lba, uint32_t blocks)
{
	return rw16(cdb, 0x8a, lba, blocks);
}

/* Copy an ASCII field, dropping trailing spaces and NULs. */
static void ascii_field(char *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
	while (n && (dst[n - 1] == ' ' || dst[n - 1] == '\0'))
		dst[--n] = '\0';
}

int scsi_parse_inquiry(const uint8_t *buf, size_t len, struct scsi_inquiry *out, struct sr_error *err)
{
	memset(out, 0, sizeof(*out));
	if (len < 36)
		return sr_fail(err, EPROTO, "INQUIRY data of %zu bytes is shorter than 36", len);
	out->qualifier = buf[0] >> 5;
	out->type = buf[0] & 0x1f;
	out->removable = buf[1] & 0x80;
	out->version = buf[2];
	ascii_field(out->vendor, buf + 8, 8);
	ascii_field(out->product, buf + 16, 16);
	ascii_field(out->revision, buf + 32, 4);
	return 0;
}

int scsi_parse_unit_serial(const uint8_t *buf, size_t len, char *out, size_t outlen,
			   struct sr_error *err)
{
	struct cursor c = cursor_make(buf, len), s;
	uint8_t type, page;
	uint16_t plen;
	size_t n;

	if (outlen == 0)
		return sr_fail(err, EINVAL, "no room for a serial number");
	out[0] = '\0';
	if (!cursor_u8(&c, &type) || !cursor_u8(&c, &page) || !cursor_be16(&c, &plen))
		return sr_fail(err, EPROTO, "Unit Serial Number page shorter than its header");
	if (page != 0x80)
		return sr_fail(err, EPROTO, "asked for VPD page 0x80, got 0x%02x", page);
	if (!cursor_sub(&c, plen, &s))
		return sr_fail(err, EPROTO, "Unit Serial Number page claims %u bytes, has %zu", plen, c.rem);
	/* Leading spaces pad right-aligned serials; trailing ones pad left-aligned ones. */
	while (s.rem && (s.p[0] == ' ' || s.p[0] == 0))
		cursor_skip(&s, 1);
	n = s.rem < outlen - 1 ? s.rem : outlen - 1;
	ascii_field(out, s.p, n);
	return 0;
}

int scsi_parse_report_luns(const uint8_t *buf, size_t len, uint64_t *luns, unsigned max,
			   unsigned *n, uint32_t *total, struct sr_error *err)
{
	struct cursor c = cursor_make(buf, len);
	uint32_t list;

	*n = 0;
	if (!cursor_be32(&c, &list) || !cursor_skip(&c, 4))
		return sr_fail(err, EPROTO, "REPORT LUNS data shorter than its header");
	if (list % 8)
		return sr_fail(err, EPROTO, "REPORT LUNS list length %u is not a multiple of 8", list);
	*total = list / 8;
	/* The list may be longer than what we asked for: take what arrived. */
	while (*n < max && *n < *total && c.rem >= 8) {
		uint8_t l[8];

		cursor_bytes(&c, l, 8);
		switch (l[0] >> 6) {
		case 0:
		case 1:
			luns[(*n)++] = (uint64_t)(l[0] & 0x3f) << 8 | l[1];
			break;
		default:
			luns[(*n)++] = (uint64_t)l[0] << 56 | (uint64_t)l[1] << 48 | (uint64_t)l[2] << 40 |
				       (uint64_t)l[3] << 32 | (uint64_t)l[4] << 24 | (uint64_t)l[5] << 16 |
				       (uint64_t)l[6] << 8 | l[7];
			break;
		}
	}
	return 0;
}

int scsi_parse_read_capacity16(const uint8_t *buf, size_t len, struct scsi_capacity *out,
			       struct sr_error *err)
{
	struct cursor c = cursor_make(buf, len);
	uint64_t last;
	uint32_t bs;
	uint8_t prot, exp;

	memset(out, 0, sizeof(*out));
	if (!cursor_be64(&c, &last) || !cursor_be32(&c, &bs) || !cursor_u8(&c, &prot) ||
	    !cursor_u8(&c, &exp))
		return sr_fail(err, EPROTO, "READ CAPACITY (16) data of %zu bytes is too short", len);
	if (bs == 0 || bs > (1u << 24) || (bs & (bs - 1)))
		return sr_fail(err, EPROTO, "READ CAPACITY (16) gives a block size of %u", bs);
	if (last == UINT64_MAX)
		return sr_fail(err, EPROTO, "READ CAPACITY (16) gives an impossible last LBA");
	out->blocks = last + 1;
	out->block_size = bs;
	out->phys_exp = exp & 0x0f;
	return 0;
}

int scsi_parse_sense(const uint8_t *buf, size_t len, struct scsi_sense *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1)
		return -EINVAL;
	switch (buf[0] & 0x7f) {
	case 0x70:
	case 0x71:
		if (len < 3)
			return -EINVAL;
		out->key = buf[2] & 0x0f;
		if (len >= 14) {
			out->asc = buf[12];
			out->ascq = buf[13];
		}
		return 0;
	case 0x72:
	case 0x73:
		if (len < 4)
			return -EINVAL;
		out->key = buf[1] & 0x0f;
		out->asc = buf[2];
		out->ascq = buf[3];
		return 0;
	default:
		return -EINVAL;
	}
}

const char *scsi_type_name(uint8_t type)
{
	static const char *const names[] = {
		[0x00] = "disk", [0x01] = "tape", [0x02] = "printer", [0x03] = "processor",
		[0x04] = "worm", [0x05] = "cd/dvd", [0x07] = "optical", [0x08] = "changer",
		[0x0c] = "controller", [0x0d] = "enclosure", [0x0e] = "rbc", [0x11] = "osd",
		[0x14] = "zbc", [0x1e] = "wlun",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

const char *scsi_sense_key_name(uint8_t key)
{
	static const char *const names[16] = {
		"no sense", "recovered error", "not ready", "medium error", "hardware error",
		"illegal request", "unit attention", "data protect", "blank check",
		"vendor specific", "copy aborted", "aborted command", "reserved",
		"volume overflow", "miscompare", "completed",
	};

	return names[key & 15];
}

const char *scsi_status_name(uint8_t status)
{
	switch (status) {
	case SCSI_GOOD: return "good";
	case SCSI_CHECK_CONDITION: return "check condition";
	case 0x04: return "condition met";
	case SCSI_BUSY: return "busy";
	case SCSI_RESERVATION_CONFLICT: return "reservation conflict";
	case SCSI_TASK_SET_FULL: return "task set full";
	case 0x30: return "ACA active";
	case 0x40: return "task aborted";
	default: return "unknown status";
	}
}
