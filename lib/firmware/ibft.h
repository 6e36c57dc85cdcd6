/* SPDX-License-Identifier: GPL-2.0-only */
/* iSCSI Boot Firmware Table (iBFT 1.03): parsing the binary table the firmware leaves. */
#ifndef SANROOT_IBFT_H
#define SANROOT_IBFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"

#define IBFT_MAX_NICS    8
#define IBFT_MAX_TARGETS 8
#define IBFT_ADDR_MAX    46
#define IBFT_STR_MAX     256
#define IBFT_HEADER_LEN  48

/* Structure flags (iBFT §3.x): bit 0 valid, bit 1 selected by the firmware for boot. */
#define IBFT_FL_VALID    0x01
#define IBFT_FL_BOOT     0x02

enum ibft_chap { IBFT_CHAP_NONE = 0, IBFT_CHAP_ONEWAY = 1, IBFT_CHAP_MUTUAL = 2 };

/* A NIC's origin (§3.6): Windows' IP_PREFIX_ORIGIN values. */
enum ibft_origin {
	IBFT_ORIGIN_OTHER = 0,
	IBFT_ORIGIN_MANUAL = 1,
	IBFT_ORIGIN_WELL_KNOWN = 2,	/* e.g. IPv6 link-local */
	IBFT_ORIGIN_DHCP = 3,
	IBFT_ORIGIN_RA = 4,		/* router advertisement (SLAAC) */
};

struct ibft_initiator {
	bool present;
	uint8_t flags;
	char isns[IBFT_ADDR_MAX], slp[IBFT_ADDR_MAX];
	char radius[2][IBFT_ADDR_MAX];
	char name[224];
};

struct ibft_nic {
	uint8_t index, flags;
	char ip[IBFT_ADDR_MAX];		/* "" when the field is all zero */
	uint8_t prefix;
	uint8_t origin;			/* enum ibft_origin */
	char gateway[IBFT_ADDR_MAX], dns[2][IBFT_ADDR_MAX], dhcp[IBFT_ADDR_MAX];
	uint16_t vlan;
	uint8_t mac[6];
	uint16_t pci_bdf;
	char hostname[IBFT_STR_MAX];
};

struct ibft_target {
	uint8_t index, flags;
	char ip[IBFT_ADDR_MAX];
	uint16_t port;
	uint8_t lun_raw[8];		/* SAM LUN structure, as stored */
	uint64_t lun;			/* decoded (peripheral or flat addressing) */
	uint8_t chap_type;
	uint8_t nic;			/* index of the associated NIC */
	char name[224];
	char chap_name[IBFT_STR_MAX], chap_secret[IBFT_STR_MAX];
	char rchap_name[IBFT_STR_MAX], rchap_secret[IBFT_STR_MAX];
};

struct ibft {
	char signature[5];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[7], oem_table_id[9];
	struct ibft_initiator initiator;
	struct ibft_nic nic[IBFT_MAX_NICS];
	unsigned nnics;
	struct ibft_target target[IBFT_MAX_TARGETS];
	unsigned ntargets;
};

/* Parse a whole table; len may exceed the table's own length (trailing bytes are ignored). */
int ibft_parse(const void *buf, size_t len, struct ibft *out, struct sr_error *err);

/*
 * Find a table in a copy of low memory that starts at physical address base:
 * 16-byte steps, signatures iBFT, IBFT or BIFT, as the kernel scans. Returns
 * the offset into mem, or -1.
 */
long ibft_scan(const void *mem, size_t len);

/* Decode an 8-byte SAM LUN; an address method other than peripheral or flat gives -1. */
int64_t ibft_lun_decode(const uint8_t raw[8]);

/* A human dump of the table (secrets masked unless show_secrets). */
void ibft_write_dump(const struct ibft *t, FILE *f, bool show_secrets);

/*
 * open-iscsi's firmware records (`iscsistart -f`, `iscsiadm -m fw`): for each
 * valid target, "# BEGIN RECORD VERSION", "key = value" lines for the
 * initiator, its NIC and the target, "# END RECORD". netdev[i] names the
 * interface of t->nic[i] (NULL: unknown). Secrets are masked unless
 * show_secrets; a value that a shell script reading the lines could
 * misread (quotes, spaces, control bytes) is left out. Returns the number
 * of records.
 */
unsigned ibft_write_fwparam(const struct ibft *t, const char *const netdev[IBFT_MAX_NICS],
			    const char *version, FILE *f, bool show_secrets);

/* Loading (I/O, in ibft_load.c) ------------------------------------------- */

/*
 * Load the firmware's table from, in order: the ACPI table, a scan of
 * /dev/mem 0x80000-0x100000, the iscsi_ibft module's sysfs view. root is
 * prefixed to every path (tests), "" for the live system. Returns 0 with
 * *from naming where it was found, -ENOENT when there is none.
 */
int ibft_load_system(const char *root, struct ibft *out, const char **from,
		     struct sr_error *err);
int ibft_load_file(const char *path, struct ibft *out, struct sr_error *err);
int ibft_load_sysfs(const char *dir, struct ibft *out, struct sr_error *err);

#endif
