/* SPDX-License-Identifier: GPL-2.0-only */
/* The few SCSI commands a rescue shell needs: CDBs and their answers (SPC-4, SBC-3). */
#ifndef SANROOT_SCSI_H
#define SANROOT_SCSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* SAM status codes */
#define SCSI_GOOD		0x00
#define SCSI_CHECK_CONDITION	0x02
#define SCSI_BUSY		0x08
#define SCSI_RESERVATION_CONFLICT 0x18
#define SCSI_TASK_SET_FULL	0x28

#define SCSI_SENSE_UNIT_ATTENTION 0x6
#define SCSI_SENSE_NOT_READY      0x2

/* CDB builders; each returns the CDB length. */
size_t scsi_cdb_test_unit_ready(uint8_t cdb[16]);
size_t scsi_cdb_inquiry(uint8_t cdb[16], bool evpd, uint8_t page, uint16_t alloc);
size_t scsi_cdb_report_luns(uint8_t cdb[16], uint32_t alloc);
size_t scsi_cdb_read_capacity16(uint8_t cdb[16], uint32_t alloc);
size_t scsi_cdb_read16(uint8_t cdb[16], uint64_t lba, uint32_t blocks);
size_t scsi_cdb_write16(uint8_t cdb[16], uint64_t lba, uint32_t blocks);

struct scsi_inquiry {
	uint8_t qualifier;	/* 0 connected, 1 not connected, 3 no device */
	uint8_t type;		/* peripheral device type */
	bool removable;
	uint8_t version;
	char vendor[9], product[17], revision[5];	/* trailing spaces removed */
};

/* Standard INQUIRY data; at least 36 bytes are needed. */
int scsi_parse_inquiry(const uint8_t *buf, size_t len, struct scsi_inquiry *out, struct sr_error *err);
/* The Unit Serial Number VPD page (0x80), trimmed. */
int scsi_parse_unit_serial(const uint8_t *buf, size_t len, char *out, size_t outlen,
			   struct sr_error *err);
/* REPORT LUNS: up to max LUNs into luns; *total is how many the target has. */
int scsi_parse_report_luns(const uint8_t *buf, size_t len, uint64_t *luns, unsigned max,
			   unsigned *n, uint32_t *total, struct sr_error *err);

struct scsi_capacity {
	uint64_t blocks;	/* last LBA + 1 */
	uint32_t block_size;
	uint8_t phys_exp;	/* logical blocks per physical block, log2 */
};

int scsi_parse_read_capacity16(const uint8_t *buf, size_t len, struct scsi_capacity *out,
			       struct sr_error *err);

struct scsi_sense {
	uint8_t key, asc, ascq;
};

/* Fixed (0x70/0x71) or descriptor (0x72/0x73) sense data. */
int scsi_parse_sense(const uint8_t *buf, size_t len, struct scsi_sense *out);

/* "disk", "tape", "controller", ... or NULL. */
const char *scsi_type_name(uint8_t type);
const char *scsi_sense_key_name(uint8_t key);
const char *scsi_status_name(uint8_t status);

#endif
