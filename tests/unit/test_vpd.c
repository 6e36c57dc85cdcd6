// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Device Identification VPD page (0x83): pages captured from tgt 1.0.85,
 * hand-built ones for the other designators and for LIO's shape, malformed
 * ones, and the WWIDs udev (ID_SERIAL) and the kernel (sysfs wwid) make of them.
 */
#include "t.h"

#include <errno.h>

#include "iscsi/vpd.h"

/*
 * tgt 1.0.85, LUN 1 after tgtadm --op update --mode logicalunit --params
 * scsi_id=sanroot-wwid-1,scsi_sn=SN0001: T10 vendor ID (scsi_id, NUL
 * padded), NAA 3 and NAA 6 (the NAA takes scsi_id's hex digits).
 * sg_inq --export --inhex says SCSI_IDENT_LUN_NAA_REGEXT=6000000000000000000a000000000d01.
 */
static const uint8_t tgt_lun1[] = {
	0x00, 0x83, 0x00, 0x48,
	0x02, 0x01, 0x00, 0x24, 's', 'a', 'n', 'r', 'o', 'o', 't', '-', 'w', 'w', 'i', 'd', '-', '1',
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x01, 0x03, 0x00, 0x08, 0x30, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x01, 0x03, 0x00, 0x10, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x01,
};

/* tgt 1.0.85's controller at LUN 0, defaults: T10 "IET     00010000". */
static const uint8_t tgt_lun0[] = {
	0x0c, 0x83, 0x00, 0x48,
	0x02, 0x01, 0x00, 0x24, 'I', 'E', 'T', ' ', ' ', ' ', ' ', ' ', '0', '0', '0', '1', '0', '0', '0', '0',
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x01, 0x03, 0x00, 0x08, 0x30, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x03, 0x00, 0x10, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0e, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
};

static const uint8_t vendor[8] = { 'I', 'E', 'T', ' ', ' ', ' ', ' ', ' ' };
static const uint8_t product[16] = { 'V', 'I', 'R', 'T', 'U', 'A', 'L', '-', 'D', 'I', 'S', 'K', ' ', ' ', ' ', ' ' };

static void wwids(const uint8_t *page, size_t len, const char *want_udev, const char *want_sysfs)
{
	static struct scsi_devid id;
	struct sr_error err;
	char w[SCSI_SYSFS_WWID_MAX];

	CHECK_INT(scsi_parse_devid(page, len, &id, &err), 0);
	if (want_udev) {
		CHECK_INT(scsi_wwid_udev(&id, vendor, product, w), 0);
		CHECK_STR(w, want_udev);
	} else {
		CHECK_INT(scsi_wwid_udev(&id, vendor, product, w), -ENOENT);
	}
	if (want_sysfs) {
		CHECK_INT(scsi_wwid_sysfs(&id, w), 0);
		CHECK_STR(w, want_sysfs);
	} else {
		CHECK_INT(scsi_wwid_sysfs(&id, w), -ENOENT);
	}
}

static void tgt_captured(void)
{
	static struct scsi_devid id;
	struct sr_error err;

	CHECK_INT(scsi_parse_devid(tgt_lun1, sizeof(tgt_lun1), &id, &err), 0);
	CHECK_INT(id.qualifier, 0);
	CHECK_INT(id.device_type, 0);
	CHECK_INT(id.n, 3);
	CHECK_INT(id.d[0].type, SCSI_DESIG_T10);
	CHECK_INT(id.d[0].code_set, SCSI_CODE_ASCII);
	CHECK_INT(id.d[0].association, SCSI_ASSOC_LU);
	CHECK_INT(id.d[0].len, 36);
	CHECK_MEM(id.d[0].id, "sanroot-wwid-1", 14);
	CHECK_INT(id.d[1].type, SCSI_DESIG_NAA);
	CHECK_INT(id.d[1].len, 8);
	CHECK_INT(id.d[2].type, SCSI_DESIG_NAA);
	CHECK_INT(id.d[2].code_set, SCSI_CODE_BINARY);
	CHECK_INT(id.d[2].len, 16);
	CHECK_STR(scsi_desig_type_name(id.d[2].type), "naa");
	CHECK_STR(scsi_code_set_name(id.d[0].code_set), "ascii");
	/* NAA 6 before NAA 3 and T10, for udev and for the kernel */
	wwids(tgt_lun1, sizeof(tgt_lun1), "36000000000000000000a000000000d01",
	      "naa.6000000000000000000a000000000d01");
	if (t_case_failed)
		return;
	CHECK_INT(scsi_parse_devid(tgt_lun0, sizeof(tgt_lun0), &id, &err), 0);
	CHECK_INT(id.device_type, 0x0c);
	wwids(tgt_lun0, sizeof(tgt_lun0), "360000000000000000e00000000010000",
	      "naa.60000000000000000e00000000010000");
}

/*
 * LIO's shape: NAA 6 (OUI 001405) and T10 for the LU, the relative port and
 * the port group for the target port, a SCSI name string for the target device.
 */
static void lio_shape(void)
{
	static const uint8_t page[] = {
		0x00, 0x83, 0x00, 0x5c,
		0x01, 0x03, 0x00, 0x10, 0x60, 0x01, 0x40, 0x5a, 0xbc, 0xde, 0xf0, 0x12,
		0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12,
		0x02, 0x01, 0x00, 0x10, 'L', 'I', 'O', '-', 'O', 'R', 'G', ' ', 'a', 'b', 'c', 'd', 'e', 'f', '0', '1',
		0x51, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,
		0x51, 0x95, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
		0x53, 0xa8, 0x00, 0x20, 'i', 'q', 'n', '.', '2', '0', '0', '3', '-', '0', '1', '.', 'o', 'r', 'g', '.',
		'l', 'i', 'n', 'u', 'x', '-', 'i', 's', 'c', 's', 'i', ':', 'x', 0, 0, 0,
	};
	static struct scsi_devid id;
	struct sr_error err;

	CHECK_INT(scsi_parse_devid(page, sizeof(page), &id, &err), 0);
	CHECK_INT(id.n, 5);
	CHECK_INT(id.d[2].type, SCSI_DESIG_REL_PORT);
	CHECK_INT(id.d[2].association, SCSI_ASSOC_PORT);
	CHECK(id.d[2].piv);
	CHECK_INT(id.d[2].protocol, 5);		/* iSCSI */
	CHECK_INT(id.d[3].type, SCSI_DESIG_TPG);
	CHECK_INT(id.d[4].type, SCSI_DESIG_NAME);
	CHECK_INT(id.d[4].association, SCSI_ASSOC_DEVICE);
	CHECK_INT(id.d[4].code_set, SCSI_CODE_UTF8);
	wwids(page, sizeof(page), "36001405abcdef0123456789abcdef012",
	      "naa.6001405abcdef0123456789abcdef012");
}

/* The kernel puts a logical unit's SCSI name string first; udev does not read it. */
static void name_string(void)
{
	static const uint8_t page[] = {
		0x00, 0x83, 0x00, 0x2c,
		0x01, 0x03, 0x00, 0x10, 0x60, 0x0a, 0x0b, 0x80, 0x00, 0x11, 0x22, 0x33,
		0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
		0x03, 0x08, 0x00, 0x14, 'n', 'a', 'a', '.', '6', '0', '0', 'A', '0', 'B', '8', '0',
		'0', '0', '1', '1', 0, 0, 0, 0,
	};

	wwids(page, sizeof(page), "3600a0b8000112233445566778899aabb", "naa.600A0B800011");
}

/* Ranks: NAA 6 over an earlier NAA 5, EUI-64 over T10, binary over ASCII. */
static void ranks(void)
{
	static const uint8_t naa56[] = {
		0x00, 0x83, 0x00, 0x18,
		0x01, 0x03, 0x00, 0x08, 0x50, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x01, 0x03, 0x00, 0x08, 0x60, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	};
	static const uint8_t eui_t10[] = {
		0x00, 0x83, 0x00, 0x18,
		0x02, 0x01, 0x00, 0x08, 'A', 'C', 'M', 'E', ' ', ' ', 'x', '1',
		0x01, 0x02, 0x00, 0x08, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	};
	/* a target port's NAA is nobody's LUN identity */
	static const uint8_t port_naa[] = {
		0x00, 0x83, 0x00, 0x20,
		0x01, 0x13, 0x00, 0x08, 0x60, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x02, 0x01, 0x00, 0x10, 'I', 'E', 'T', ' ', ' ', ' ', ' ', ' ', 'd', 'i', 's', 'k', ' ', ' ', ' ', ' ',
	};

	wwids(naa56, sizeof(naa56), "36011121314151617", "naa.6011121314151617");
	if (t_case_failed)
		return;
	wwids(eui_t10, sizeof(eui_t10), "20011223344556677", "eui.0011223344556677");
	if (t_case_failed)
		return;
	/* T10: udev's runs of spaces become one '_', trailing ones go; the kernel keeps them */
	wwids(port_naa, sizeof(port_naa), "1IET_disk", "t10.IET     disk    ");
}

/* What udev allows in a name, and the kernel's escapes for unprintable bytes. */
static void characters(void)
{
	static const uint8_t page[] = {
		0x00, 0x83, 0x00, 0x10,
		0x02, 0x01, 0x00, 0x0c, ' ', 'a', 'b', '/', 'c', ' ', '\t', 'd', 0x01, 0xc3, 0xa9, '\n',
	};

	wwids(page, sizeof(page), "1_ab_c_d_\xc3\xa9", "t10. ab/c \\td\\001\xc3\xa9\\n");
}

/* A vendor-specific designator: scsi_id puts INQUIRY's vendor and product first. */
static void vendor_specific(void)
{
	static const uint8_t page[] = {
		0x00, 0x83, 0x00, 0x06,
		0x01, 0x00, 0x00, 0x02, 0x01, 0x02,
	};
	static struct scsi_devid id;
	struct sr_error err;
	char w[SCSI_WWID_MAX];
	uint8_t bad[8];

	wwids(page, sizeof(page), "0IET_VIRTUAL-DISK_0102", NULL);
	if (t_case_failed)
		return;
	CHECK_INT(scsi_parse_devid(page, sizeof(page), &id, &err), 0);
	CHECK_INT(scsi_wwid_udev(&id, NULL, NULL, w), -ENOENT);
	memcpy(bad, vendor, 8);
	bad[5] = 0;
	CHECK_INT(scsi_wwid_udev(&id, bad, product, w), -ENOENT);
}

/* scsi_id's page 0x80 fallback: 'S', vendor, product, serial. */
static void serial_fallback(void)
{
	static const uint8_t page80[] = { 0x00, 0x80, 0x00, 0x08, ' ', ' ', 'b', 'e', 'a', 'f', '1', '1' };
	static uint8_t big[4 + 255];
	struct sr_error err;
	char w[SCSI_WWID_MAX];

	CHECK_INT(scsi_wwid_udev_serial(page80, sizeof(page80), vendor, product, w, &err), 0);
	CHECK_STR(w, "SIET_VIRTUAL-DISK_beaf11");
	CHECK(scsi_wwid_udev_serial(page80, sizeof(page80) - 1, vendor, product, w, &err) < 0);
	CHECK(scsi_wwid_udev_serial(page80, 3, vendor, product, w, &err) < 0);
	CHECK(scsi_wwid_udev_serial(page80, sizeof(page80), NULL, NULL, w, &err) < 0);
	CHECK(scsi_wwid_udev_serial(tgt_lun1, sizeof(tgt_lun1), vendor, product, w, &err) < 0);
	/* 'S', 24 bytes and the serial fill udev's 255 characters at most */
	memset(big, 'x', sizeof(big));
	memcpy(big, "\0\x80\0\xe6", 4);
	CHECK_INT(scsi_wwid_udev_serial(big, 4 + 230, vendor, product, w, &err), 0);
	CHECK_INT(strlen(w), 1 + 16 + 1 + 230);	/* "SIET_VIRTUAL-DISK_xxx..." */
	big[3] = 231;
	CHECK(scsi_wwid_udev_serial(big, 4 + 231, vendor, product, w, &err) < 0);
}

static void malformed(void)
{
	/* the descriptor claims 10 bytes, the page has 8 after its header */
	static const uint8_t past_page[] = {
		0x00, 0x83, 0x00, 0x0c,
		0x01, 0x03, 0x00, 0x0a, 0x60, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x99, 0x99,
	};
	/* the page ends two bytes into a descriptor header */
	static const uint8_t cut_header[] = {
		0x00, 0x83, 0x00, 0x0e,
		0x01, 0x03, 0x00, 0x08, 0x60, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x01, 0x03,
	};
	static const uint8_t empty[] = { 0x00, 0x83, 0x00, 0x00 };
	static struct scsi_devid id;
	struct sr_error err;
	uint8_t other[sizeof(tgt_lun1)];

	CHECK(scsi_parse_devid(past_page, sizeof(past_page), &id, &err) < 0);
	CHECK(strstr(err.msg, "claims 10 bytes"));
	/* the page claims 0x48 bytes; 40 arrived */
	CHECK(scsi_parse_devid(tgt_lun1, 44, &id, &err) < 0);
	CHECK(strstr(err.msg, "arrived"));
	CHECK(scsi_parse_devid(tgt_lun1, sizeof(tgt_lun1) - 1, &id, &err) < 0);
	CHECK(scsi_parse_devid(cut_header, sizeof(cut_header), &id, &err) < 0);
	CHECK(strstr(err.msg, "cut short"));
	CHECK(scsi_parse_devid(tgt_lun1, 3, &id, &err) < 0);
	memcpy(other, tgt_lun1, sizeof(other));
	other[1] = 0x80;
	CHECK(scsi_parse_devid(other, sizeof(other), &id, &err) < 0);
	/* more arriving than the page claims is fine: the rest is not the page */
	memcpy(other, tgt_lun1, sizeof(other));
	other[3] = 0x28;
	CHECK_INT(scsi_parse_devid(other, sizeof(other), &id, &err), 0);
	CHECK_INT(id.n, 1);
	wwids(empty, sizeof(empty), NULL, NULL);
}

static void many(void)
{
	static uint8_t page[4 + 40 * 4];
	static struct scsi_devid id;
	struct sr_error err;

	memset(page, 0, sizeof(page));
	page[1] = 0x83;
	page[3] = 40 * 4;
	for (unsigned i = 0; i < 40; i++)
		page[4 + 4 * i + 1] = SCSI_DESIG_MD5;
	CHECK_INT(scsi_parse_devid(page, sizeof(page), &id, &err), 0);
	CHECK_INT(id.n, SCSI_DESIGNATORS_MAX);
	CHECK_INT(id.dropped, 40 - SCSI_DESIGNATORS_MAX);
	CHECK_INT(id.d[0].len, 0);
	wwids(page, sizeof(page), NULL, NULL);
}

int main(void)
{
	t_run("vpd83: tgt's captured pages give udev's and the kernel's WWIDs", tgt_captured);
	t_run("vpd83: LIO's shape: port and device designators are passed over", lio_shape);
	t_run("vpd83: a LU SCSI name string: first for the kernel, unread by udev", name_string);
	t_run("vpd83: NAA 6 > NAA 5, EUI-64 > T10, target port designators ignored", ranks);
	t_run("vpd83: udev's allowed characters, the kernel's escapes", characters);
	t_run("vpd83: vendor specific: vendor and product first", vendor_specific);
	t_run("vpd80: scsi_id's serial number fallback", serial_fallback);
	t_run("vpd83: malformed pages are refused, saying why", malformed);
	t_run("vpd83: more designators than kept are counted", many);
	return t_total_failed ? 1 : 0;
}
