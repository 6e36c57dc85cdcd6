/* SPDX-License-Identifier: GPL-2.0-only */
/* Creating the device-mapper devices of LVs through libdevmapper. */
#ifndef SANROOT_LVM_ACTIVATE_H
#define SANROOT_LVM_ACTIVATE_H

#include <stdbool.h>

#include "core/error.h"
#include "lvm/lvm_dm.h"

struct lvm_dm_dev {
	char name[LVM_DM_NAME_MAX];	/* VG-LV, dashes doubled */
	char uuid[LVM_DM_UUID_MAX];	/* LVM-<vg id><lv id> */
	char vg[LVM_NAME_MAX];		/* for the DEVDIR/VG/LV link; "": none (a multipath map) */
	char lv[LVM_NAME_MAX];
	bool read_only;
	int major, minor;		/* persistent numbers (lvm2 FIXED_MINOR), or -1 */
	struct lvm_dm_table table;
	bool existed;			/* out: it was already there, with this table */
	bool by_udev;			/* out: DEVDIR/mapper/NAME is a link (udev's), not a node */
};

/*
 * Create each device with its table (create, load, resume), its node
 * DEVDIR/mapper/NAME (udev's link to dm-N when udev runs with
 * device-mapper's rules, as for lvm2's devices; our node otherwise, or when
 * udev has not made it in 5 s) and the link DEVDIR/VG/LV -> DEVDIR/mapper/NAME,
 * holding lvm2's lock of each VG (lvm_lock_vg() in LOCKDIR; NULL: none) so
 * that an lvm2 activating the same VG at the same time waits for us, or we
 * for it.
 * A device already present with the same UUID and table is kept as it is
 * (existed); with another UUID or table it is an error. On any failure
 * every device this call created is removed again, so that nothing is left
 * half-activated.
 */
int lvm_activate(struct lvm_dm_dev *d, unsigned n, const char *devdir, const char *lockdir,
		 struct sr_error *err);

#endif
