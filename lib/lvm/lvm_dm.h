/* SPDX-License-Identifier: GPL-2.0-only */
/* Device-mapper names, UUIDs and tables for LVs, as lvm2 makes them. */
#ifndef SANROOT_LVM_DM_H
#define SANROOT_LVM_DM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "lvm/lvm_meta.h"

#define LVM_DM_NAME_MAX	128	/* DM_NAME_LEN, NUL included */
#define LVM_DM_UUID_MAX	129	/* DM_UUID_LEN */

/* "VG-LV" with every '-' inside either name doubled (dm_build_dm_name). */
int lvm_dm_name(const char *vg, const char *lv, char out[LVM_DM_NAME_MAX], struct sr_error *err);

/* "LVM-" + VG UUID + LV UUID, without dashes (lvm2's dlid of a top-level LV). */
void lvm_dm_uuid(const struct lvm_vg *vg, const struct lvm_lv *lv, char out[LVM_DM_UUID_MAX]);

/* One table line: start and length in sectors, target type and its parameters. */
struct lvm_dm_target {
	uint64_t start;
	uint64_t len;
	const char *type;	/* "linear", "striped", "error" */
	char *params;		/* "8:16 2048", "2 128 8:16 2048 8:32 2048", "" */
};

struct lvm_dm_table {
	struct lvm_dm_target *t;
	unsigned n;
};

/*
 * The table lvm2 loads for a linear or striped LV: one line per segment,
 * offsets pe_start + pe * extent_size on the PV. pvdev[i] names vg->pv[i]
 * ("major:minor" for the kernel); NULL means the PV is missing, and the
 * segments touching it become "error" lines (partial activation).
 */
int lvm_dm_table_build(const struct lvm_vg *vg, const struct lvm_lv *lv,
		       const char *const *pvdev, struct lvm_dm_table *out, struct sr_error *err);
void lvm_dm_table_free(struct lvm_dm_table *t);

/* "NAME: start len type params" per line, as `dmsetup table` prints them. */
void lvm_dm_table_write(FILE *f, const char *name, const struct lvm_dm_table *t);

#endif
