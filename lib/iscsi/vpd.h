/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A LUN's identity: the Device Identification VPD page (SPC-4 §7.8.6) and
 * the WWIDs Linux makes of it, udev scsi_id's ID_SERIAL (multipath-tools'
 * default WWID) and the kernel's /sys/block/sdX/device/wwid.
 */
#ifndef SANROOT_VPD_H
#define SANROOT_VPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Designator types (SPC-4 table 459) */
#define SCSI_DESIG_VENDOR	0	/* vendor specific */
#define SCSI_DESIG_T10		1	/* T10 vendor ID */
#define SCSI_DESIG_EUI64	2
#define SCSI_DESIG_NAA		3
#define SCSI_DESIG_REL_PORT	4	/* relative target port */
#define SCSI_DESIG_TPG		5	/* target port group */
#define SCSI_DESIG_LU_GROUP	6	/* logical unit group */
#define SCSI_DESIG_MD5		7	/* MD5 logical unit identifier */
#define SCSI_DESIG_NAME		8	/* SCSI name string */

/* Code sets */
#define SCSI_CODE_BINARY	1
#define SCSI_CODE_ASCII		2
#define SCSI_CODE_UTF8		3

/* Associations */
#define SCSI_ASSOC_LU		0	/* the addressed logical unit */
#define SCSI_ASSOC_PORT		1	/* the target port the command came through */
#define SCSI_ASSOC_DEVICE	2	/* the SCSI target device */

struct scsi_designator {
	uint8_t code_set, association, type;
	bool piv;
	uint8_t protocol;		/* meaningful when piv */
	uint8_t len;
	const uint8_t *id;		/* len bytes, inside the page that was parsed */
};

#define SCSI_DESIGNATORS_MAX 32

struct scsi_devid {
	uint8_t qualifier, device_type;
	unsigned n;			/* designators kept, in page order */
	unsigned dropped;		/* beyond SCSI_DESIGNATORS_MAX */
	struct scsi_designator d[SCSI_DESIGNATORS_MAX];
};

/*
 * Parse the page in buf (len bytes arrived). Every descriptor must lie
 * inside the page, and the page inside what arrived. The designators point
 * into buf, which must outlive out.
 */
int scsi_parse_devid(const uint8_t *buf, size_t len, struct scsi_devid *out, struct sr_error *err);

/* "naa", "t10", "eui-64", ... and "binary", "ascii", "utf-8"; NULL when reserved. */
const char *scsi_desig_type_name(uint8_t type);
const char *scsi_code_set_name(uint8_t code_set);

/* udev's serials are at most 255 characters; the kernel's wwid fits in 4 + 4 * 255. */
#define SCSI_WWID_MAX		256
#define SCSI_SYSFS_WWID_MAX	1025

/*
 * udev scsi_id's ID_SERIAL from page 0x83: the first logical-unit designator
 * in the order NAA 6, NAA 5, any NAA, EUI-64, T10 vendor ID, vendor specific
 * (binary before ASCII within each), as a type digit and the hex (binary) or
 * the text (ASCII) of the designator, whitespace runs made '_' and what udev
 * does not allow in a name made '_'. vendor (8 bytes) and product (16) are
 * standard INQUIRY's, which scsi_id puts before a vendor-specific designator;
 * with NULL such designators are passed over. -ENOENT: none qualifies
 * (scsi_id then falls back to page 0x80: scsi_wwid_udev_serial).
 */
int scsi_wwid_udev(const struct scsi_devid *id, const uint8_t *vendor, const uint8_t *product,
		   char out[SCSI_WWID_MAX]);

/* scsi_id's fallback from the Unit Serial Number page: 'S', vendor, product, serial. */
int scsi_wwid_udev_serial(const uint8_t *page80, size_t len, const uint8_t *vendor,
			  const uint8_t *product, char out[SCSI_WWID_MAX], struct sr_error *err);

/*
 * The kernel's wwid (scsi_vpd_lun_id(), without sysfs's newline): of the
 * logical-unit designators, SCSI name string > NAA 6 > EUI-64 (16) >
 * EUI-64 (12) > NAA 5 > EUI-64 (8) > NAA 3 = T10 vendor ID, as "naa.<hex>",
 * "eui.<hex>", "t10.<text>" (non-printable bytes as octal escapes) or the
 * name string itself. -ENOENT: none qualifies.
 */
int scsi_wwid_sysfs(const struct scsi_devid *id, char out[SCSI_SYSFS_WWID_MAX]);

#endif
