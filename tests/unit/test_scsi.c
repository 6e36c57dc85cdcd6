// SPDX-License-Identifier: GPL-2.0-only
/* SCSI CDBs and the parsers of INQUIRY, VPD 0x80, REPORT LUNS, READ CAPACITY (16) and sense data. */
#include "t.h"

#include "iscsi/scsi.h"

static void cdbs(void)
{
	uint8_t c[16];

	CHECK_INT(scsi_cdb_inquiry(c, true, 0x80, 255), 6);
	CHECK_MEM(c, "\x12\x01\x80\x00\xff\x00", 6);
	CHECK_INT(scsi_cdb_report_luns(c, 0x1020), 12);
	CHECK_MEM(c, "\xa0\x00\x00\x00\x00\x00\x00\x00\x10\x20\x00\x00", 12);
	CHECK_INT(scsi_cdb_read_capacity16(c, 32), 16);
	CHECK_MEM(c, "\x9e\x10\0\0\0\0\0\0\0\0\0\0\0\x20\0\0", 16);
	CHECK_INT(scsi_cdb_read16(c, 0x0102030405060708ULL, 0x0a0b0c0d), 16);
	CHECK_MEM(c, "\x88\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0a\x0b\x0c\x0d\x00\x00", 16);
	CHECK_INT(scsi_cdb_write16(c, 1, 2), 16);
	CHECK_INT(c[0], 0x8a);
	CHECK_INT(scsi_cdb_test_unit_ready(c), 6);
	CHECK_MEM(c, "\0\0\0\0\0\0", 6);
}

/* tgt's standard INQUIRY answer for a disk, as it sends it (first 36 bytes). */
static const uint8_t tgt_inquiry[36] = {
	0x00, 0x00, 0x05, 0x12, 0x3d, 0x00, 0x00, 0x02,
	'I', 'E', 'T', ' ', ' ', ' ', ' ', ' ',
	'V', 'I', 'R', 'T', 'U', 'A', 'L', '-', 'D', 'I', 'S', 'K', ' ', ' ', ' ', ' ',
	'0', '0', '0', '1',
};

static void inquiry(void)
{
	struct scsi_inquiry q;
	struct sr_error err;
	uint8_t b[36];

	CHECK_INT(scsi_parse_inquiry(tgt_inquiry, 36, &q, &err), 0);
	CHECK_INT(q.type, 0);
	CHECK_INT(q.qualifier, 0);
	CHECK_INT(q.version, 5);
	CHECK_STR(q.vendor, "IET");
	CHECK_STR(q.product, "VIRTUAL-DISK");
	CHECK_STR(q.revision, "0001");
	CHECK(scsi_parse_inquiry(tgt_inquiry, 35, &q, &err) < 0);
	memcpy(b, tgt_inquiry, 36);
	b[0] = 0x7f;	/* qualifier 3, type 0x1f: no device */
	CHECK_INT(scsi_parse_inquiry(b, 36, &q, &err), 0);
	CHECK_INT(q.qualifier, 3);
	CHECK_INT(q.type, 0x1f);
}

static void serial(void)
{
	static const uint8_t page[] = { 0x00, 0x80, 0x00, 0x08, ' ', ' ', 'b', 'e', 'a', 'f', '1', ' ' };
	struct sr_error err;
	char s[16];

	CHECK_INT(scsi_parse_unit_serial(page, sizeof(page), s, sizeof(s), &err), 0);
	CHECK_STR(s, "beaf1");
	CHECK(scsi_parse_unit_serial(page, 11, s, sizeof(s), &err) < 0);	/* claims more than it has */
	CHECK(scsi_parse_unit_serial(page, 3, s, sizeof(s), &err) < 0);
	CHECK_INT(scsi_parse_unit_serial(page, sizeof(page), s, 3, &err), 0);
	CHECK_STR(s, "be");
	uint8_t other[] = { 0x00, 0x83, 0x00, 0x00 };
	CHECK(scsi_parse_unit_serial(other, 4, s, sizeof(s), &err) < 0);
}

static void report_luns(void)
{
	static const uint8_t two[] = {
		0, 0, 0, 24, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 1, 0, 0, 0, 0, 0, 0,
		0x41, 0x00, 0, 0, 0, 0, 0, 0,
	};
	uint64_t luns[4];
	unsigned n;
	uint32_t total;
	struct sr_error err;

	CHECK_INT(scsi_parse_report_luns(two, sizeof(two), luns, 4, &n, &total, &err), 0);
	CHECK_INT(n, 3);
	CHECK_INT(total, 3);
	CHECK_INT(luns[0], 0);
	CHECK_INT(luns[1], 1);
	CHECK_INT(luns[2], 256);
	CHECK_INT(scsi_parse_report_luns(two, 24, luns, 4, &n, &total, &err), 0);	/* truncated answer */
	CHECK_INT(n, 2);
	CHECK_INT(total, 3);
	CHECK_INT(scsi_parse_report_luns(two, sizeof(two), luns, 1, &n, &total, &err), 0);
	CHECK_INT(n, 1);
	CHECK(scsi_parse_report_luns(two, 7, luns, 4, &n, &total, &err) < 0);
	uint8_t odd[8] = { 0, 0, 0, 9 };
	CHECK(scsi_parse_report_luns(odd, 8, luns, 4, &n, &total, &err) < 0);
}

static void capacity(void)
{
	uint8_t b[32] = { 0, 0, 0, 0, 0, 0x01, 0xff, 0xff, 0, 0, 0x02, 0x00, 0, 0x03 };
	struct scsi_capacity c;
	struct sr_error err;

	CHECK_INT(scsi_parse_read_capacity16(b, 32, &c, &err), 0);
	CHECK_INT(c.blocks, 131072);
	CHECK_INT(c.block_size, 512);
	CHECK_INT(c.phys_exp, 3);
	CHECK(scsi_parse_read_capacity16(b, 13, &c, &err) < 0);
	b[10] = 0x03;	/* 768: not a power of two */
	CHECK(scsi_parse_read_capacity16(b, 32, &c, &err) < 0);
	b[10] = 0;
	b[11] = 0;
	CHECK(scsi_parse_read_capacity16(b, 32, &c, &err) < 0);
	memset(b, 0xff, 8);
	b[10] = 2;
	CHECK(scsi_parse_read_capacity16(b, 32, &c, &err) < 0);
}

static void sense(void)
{
	/* tgt's unit attention after login: fixed format, POWER ON OCCURRED 29/00 */
	static const uint8_t ua[18] = { 0x70, 0, 0x06, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x29, 0x00 };
	static const uint8_t desc[8] = { 0x72, 0x05, 0x24, 0x00 };
	struct scsi_sense s;

	CHECK_INT(scsi_parse_sense(ua, sizeof(ua), &s), 0);
	CHECK_INT(s.key, SCSI_SENSE_UNIT_ATTENTION);
	CHECK_INT(s.asc, 0x29);
	CHECK_INT(scsi_parse_sense(desc, sizeof(desc), &s), 0);
	CHECK_INT(s.key, 5);
	CHECK_INT(s.asc, 0x24);
	CHECK_INT(scsi_parse_sense(ua, 3, &s), 0);
	CHECK_INT(s.asc, 0);
	CHECK(scsi_parse_sense(ua, 0, &s) < 0);
	CHECK(scsi_parse_sense(desc, 3, &s) < 0);
	CHECK(scsi_parse_sense((const uint8_t *)"\x10", 1, &s) < 0);
	CHECK_STR(scsi_sense_key_name(6), "unit attention");
	CHECK_STR(scsi_type_name(0x0c), "controller");
	CHECK(scsi_type_name(0x1f) == NULL);
	CHECK_STR(scsi_status_name(0x18), "reservation conflict");
}

int main(void)
{
	RUN(cdbs);
	RUN(inquiry);
	RUN(serial);
	RUN(report_luns);
	RUN(capacity);
	RUN(sense);
	T_EXIT();
}
