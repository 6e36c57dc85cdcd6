/* SPDX-License-Identifier: GPL-2.0-only */
/* VGs assembled from the PVs found, and the choice of LVs to activate. */
#ifndef SANROOT_LVM_VG_H
#define SANROOT_LVM_VG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "lvm/lvm_label.h"
#include "lvm/lvm_meta.h"

#define LVM_PATH_MAX	256
#define LVM_DEVNAME_MAX	280	/* "major:minor", or a path with a partition suffix */
#define LVM_MAX_NOTES	64
#define LVM_NOTE_MAX	320

/* A PV found on a block device or in an image file. */
struct lvm_dev {
	char path[LVM_PATH_MAX];	/* /dev/sdb1, or an image file */
	char name[LVM_DEVNAME_MAX];	/* how a table names it: "8:17", or the path for images */
	bool block;			/* a block device (else an image, never activated) */
	uint64_t size;			/* bytes */
	struct lvm_pv_disk disk;
};

struct lvm_note {
	bool warning;			/* else information */
	char text[LVM_NOTE_MAX];
};

/* A VG, from the newest metadata its PVs carry. */
struct lvm_vgi {
	struct lvm_vg meta;
	int *dev;			/* per meta.pv: index into the devices, -1 if missing */
	unsigned nmissing;
	unsigned ncopies;		/* good metadata copies with this seqno */
	int rc;				/* < 0: the VG cannot be used at all, err says why */
	struct sr_error err;
};

struct lvm_scan {
	struct lvm_dev *dev;		/* borrowed from the caller */
	unsigned ndev;
	struct lvm_vgi *vg;
	unsigned nvg;
	struct lvm_note note[LVM_MAX_NOTES];
	unsigned nnote;
};

/*
 * Group the PVs into VGs: every good metadata copy is parsed, the newest
 * (highest seqno) wins, and copies that are damaged, unparsable or stale are
 * noted. A VG whose PVs disagree at the same seqno, a VG name used by two VGs
 * and a PV UUID seen on two devices make the VGs concerned unusable (rc),
 * never silently resolved. PVs in no VG are noted.
 */
int lvm_assemble(struct lvm_dev *dev, unsigned ndev, struct lvm_scan *out, struct sr_error *err);
void lvm_scan_free(struct lvm_scan *s);

const struct lvm_vgi *lvm_scan_find_vg(const struct lvm_scan *s, const char *name);

/* What to activate. */
struct lvm_request {
	bool all;			/* every visible LV of every VG, skipping what cannot be */
	const char *const *vg;		/* every visible LV of these VGs */
	unsigned nvg;
	const char *const *lv;		/* these VG/LV */
	unsigned nlv;
	bool partial;			/* allow missing PVs: read-only, missing parts fail I/O */
	bool read_only;
};

struct lvm_target {
	unsigned vg, lv;		/* indices into lvm_scan.vg and its meta.lv */
	bool read_only;
};

/*
 * Choose the LVs a request names, and check them all before anything is
 * touched: VGs found and usable, complete unless partial, LVs visible and
 * of types sanroot maps. A named VG or LV that fails these checks fails the
 * whole request (nothing is half-activated). In `all` mode what cannot be
 * done is skipped and noted instead. *out is allocated; free() it.
 */
int lvm_select(struct lvm_scan *s, const struct lvm_request *rq, struct lvm_target **out,
	       unsigned *n, struct sr_error *err);

/* Add a note (lib/ never prints; the tool shows them). */
__attribute__((format(printf, 3, 4)))
void lvm_note(struct lvm_scan *s, bool warning, const char *fmt, ...);

#endif
