/* SPDX-License-Identifier: GPL-2.0-only */
/* LVM2 text metadata: one VG, its PVs, LVs and segments, parsed and checked. */
#ifndef SANROOT_LVM_META_H
#define SANROOT_LVM_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "lvm/lvm_label.h"

#define LVM_NAME_MAX		128	/* lvm2's NAME_LEN: 127 characters and the NUL */
#define LVM_HINT_MAX		128	/* a PV's device hint, shortened to fit */
#define LVM_TYPE_MAX		48	/* a segment type as written ("thin-pool", "raid1") */
#define LVM_WHY_MAX		160
#define LVM_MAX_STRIPES		128	/* lvm2's MAX_STRIPES */
#define LVM_MAX_PVS		1024
#define LVM_MAX_LVS		8192
#define LVM_MAX_NODES		(1u << 19)	/* values and sections in one text */
#define LVM_MAX_SECTORS		(UINT64_C(1) << 54)	/* 8 EiB, lvm2's largest LV */

/* Which PV, by index into lvm_vg.pv, and where on it. */
struct lvm_stripe {
	uint32_t pv;
	uint64_t pe;
};

struct lvm_seg {
	uint64_t start_extent;
	uint64_t extent_count;
	char type[LVM_TYPE_MAX];	/* as written */
	bool mapped;			/* striped or linear on PVs: sanroot can build it */
	uint32_t stripe_count;
	uint64_t stripe_size;		/* sectors; 0 with one stripe */
	struct lvm_stripe *stripe;	/* stripe_count entries if mapped */
};

struct lvm_lv {
	char name[LVM_NAME_MAX];
	char id[LVM_ID_LEN + 1];	/* no dashes */
	bool write;			/* status WRITE: otherwise read-only */
	bool visible;			/* status VISIBLE: hidden LVs are parts of others */
	bool activation_skip;		/* flags ACTIVATION_SKIP */
	bool noautoactivate;		/* flags NOAUTOACTIVATE */
	int major, minor;		/* persistent device number (FIXED_MINOR); -1 if none */
	uint64_t extents;
	struct lvm_seg *seg;
	unsigned nseg;
	char unsupported[LVM_WHY_MAX];	/* why sanroot cannot map it; "" if it can */
};

struct lvm_pv_meta {
	char name[LVM_NAME_MAX];	/* "pv0": how segments refer to it */
	char id[LVM_ID_LEN + 1];
	char device[LVM_HINT_MAX];	/* "device" hint: where lvm2 last saw it (wire text) */
	uint64_t dev_size;		/* sectors; 0 if not written */
	uint64_t pe_start;		/* sectors */
	uint64_t pe_count;
	bool missing;			/* marked MISSING by lvm2 */
};

struct lvm_vg {
	char name[LVM_NAME_MAX];
	char id[LVM_ID_LEN + 1];
	uint64_t seqno;
	uint64_t extent_size;		/* sectors */
	bool write;			/* status WRITE */
	bool exported;			/* status EXPORTED: vgexport'ed, not to be used */
	bool clustered;			/* status CLUSTERED or SHARED: needs a lock manager */
	bool noautoactivate;
	char system_id[LVM_NAME_MAX];	/* as quote_printable() shows them */
	char lock_type[LVM_NAME_MAX];
	struct lvm_pv_meta *pv;
	unsigned npv;
	struct lvm_lv *lv;
	unsigned nlv;
};

/*
 * Parse one metadata text (as stored in a metadata area: the VG section and
 * the contents/version header) into vg, and check it: names and UUIDs
 * well-formed, every required field present and in range, segments
 * contiguous, every stripe inside its PV, no PV extent used twice.
 * A segment type sanroot cannot map is not an error here: the LV's
 * `unsupported` says why, for the caller to refuse it by name.
 * Free vg with lvm_vg_free(), also after a failure.
 */
int lvm_meta_parse(const char *text, size_t len, struct lvm_vg *vg, struct sr_error *err);
void lvm_vg_free(struct lvm_vg *vg);

/* lvm2's rules for VG and LV names: [a-zA-Z0-9+_.-], not starting with '-', not . or .. */
bool lvm_name_valid(const char *name);

/* A UUID as lvm2 writes it (6-4-4-4-4-4-6) from the 32 characters. */
void lvm_id_format(const char id[LVM_ID_LEN + 1], char out[LVM_ID_LEN + 7]);

#endif
