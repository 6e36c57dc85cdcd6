/* SPDX-License-Identifier: GPL-2.0-only */
/* The LVM2 physical volume on disk: label, PV header, metadata area headers, metadata text. */
#ifndef SANROOT_LVM_LABEL_H
#define SANROOT_LVM_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define LVM_SECTOR		512
#define LVM_LABEL_SCAN_SIZE	2048		/* the label is in one of the first four sectors */
#define LVM_MDA_HEADER_SIZE	512
#define LVM_ID_LEN		32		/* a UUID without its dashes */
#define LVM_MAX_DATA_AREAS	4		/* lvm2 writes one */
#define LVM_MAX_MDAS		2		/* lvm2 writes at most two */
#define LVM_TEXT_MAX		(4u << 20)	/* the longest metadata text we accept */

#define LVM_CRC_INIT		0xf597a6cfu

/* CRC-32 (reflected, polynomial 0xedb88320, no final inversion), as lvm2 computes it. */
uint32_t lvm_crc(uint32_t crc, const void *buf, size_t len);

/* A byte range of the PV. */
struct lvm_area {
	uint64_t offset;
	uint64_t size;
};

struct lvm_label {
	uint64_t sector;			/* where LABELONE was found, 0-3 */
	char pv_id[LVM_ID_LEN + 1];		/* as on disk: 32 characters, no dashes */
	uint64_t dev_size;			/* bytes, as pvcreate saw the device */
	struct lvm_area data[LVM_MAX_DATA_AREAS];
	unsigned ndata;
	struct lvm_area mda[LVM_MAX_MDAS];
	unsigned nmda;
	uint32_t ext_version;			/* pv_header_extension; 0 if absent */
	uint32_t ext_flags;
};

/*
 * Find and check the label in the first LVM_LABEL_SCAN_SIZE bytes of a
 * device (len may be less): LABELONE at its own sector, its CRC, type
 * "LVM2 001", then the PV header with its data and metadata area lists.
 * -ENOENT: no label at all; other errors: a label that is damaged.
 */
int lvm_label_parse(const void *buf, size_t len, struct lvm_label *out, struct sr_error *err);

struct lvm_mda_header {
	uint64_t start;			/* absolute byte offset of this header */
	uint64_t size;			/* of the whole area, header included */
	uint64_t text_offset;		/* of the newest text, from start; 0: no text */
	uint64_t text_size;		/* bytes, the terminating NUL included */
	uint32_t text_checksum;
	bool ignored;			/* metadataignore: the copy is not maintained */
};

/*
 * Check the LVM_MDA_HEADER_SIZE bytes at the start of metadata area `area`
 * (checksum, magic, version, its own position and size) and the location of
 * the newest text inside the circular buffer that follows it.
 */
int lvm_mda_header_parse(const void *buf, size_t len, const struct lvm_area *area,
			 struct lvm_mda_header *out, struct sr_error *err);

/*
 * The absolute byte ranges holding the newest text: one, or two when it
 * wraps past the end of the area back to just after the header.
 * Returns how many (0 when the area holds no text).
 */
unsigned lvm_mda_text_ranges(const struct lvm_mda_header *h, struct lvm_area r[2]);

/*
 * Check the text read from those ranges, joined: its CRC against the
 * header's, and a NUL only as its last byte. *textlen gets its length
 * without that NUL.
 */
int lvm_mda_text_check(const struct lvm_mda_header *h, const void *text, size_t len,
		       size_t *textlen, struct sr_error *err);

/* Random access to a device or an image, for lvm_pv_read(). */
struct lvm_reader {
	/* Read exactly len bytes at off: 0, or a negative errno. */
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void *ctx;
	uint64_t size;			/* bytes */
};

/* One metadata area, as read. */
struct lvm_mda_copy {
	struct lvm_area area;
	int rc;				/* 0, or why this copy is unusable (in err) */
	struct sr_error err;
	bool empty;			/* no metadata written yet: a PV in no VG */
	bool ignored;
	char *text;			/* the newest text, NUL-terminated; NULL unless rc == 0 */
	size_t len;
	uint32_t checksum;
};

struct lvm_pv_disk {
	struct lvm_label label;
	struct lvm_mda_copy mda[LVM_MAX_MDAS];
	unsigned nmda;
};

/*
 * Read a PV: the label, then every metadata area it lists. A damaged area is
 * reported in its lvm_mda_copy and does not fail the call: another copy, or
 * another PV of the VG, may hold good metadata. Fails (-ENOENT: no label)
 * only when the label itself is missing or damaged.
 */
int lvm_pv_read(const struct lvm_reader *r, struct lvm_pv_disk *pv, struct sr_error *err);
void lvm_pv_disk_free(struct lvm_pv_disk *pv);

/* lvm2's UUID alphabet: [0-9a-zA-Z!#]. */
bool lvm_id_char(int c);

#endif
