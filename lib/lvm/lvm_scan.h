/* SPDX-License-Identifier: GPL-2.0-only */
/* Finding PVs: block devices from sysfs (those behind an iSCSI session), images, libblkid. */
#ifndef SANROOT_LVM_SCAN_H
#define SANROOT_LVM_SCAN_H

#include <stdbool.h>

#include "core/error.h"
#include "lvm/lvm_vg.h"

struct lvm_devlist {
	struct lvm_dev *dev;
	unsigned n, cap;
};

#define LVM_MAX_DEVS 1024

/*
 * Probe a block device or an image file with libblkid and read the PV it
 * holds (TYPE LVM2_member). An image with a partition table is searched
 * partition by partition (named PATH1, PATH2... or PATHp1 when PATH ends in
 * a digit), and so is a partitioned block device, through its partitions'
 * own devices (found in sysfs). Returns how many PVs were added, or a
 * negative errno if the path cannot be read.
 */
int lvm_probe(struct lvm_devlist *l, const char *path, struct sr_error *err);
void lvm_devlist_free(struct lvm_devlist *l);

/*
 * The kernel names (as in /dev) of block devices listed under
 * SYSFS/class/block: with only_iscsi, those whose device path goes through
 * an iSCSI session (.../sessionN/target...) that SYSFS/class/iscsi_session
 * knows; otherwise all but device-mapper, ram, zram and empty loop devices.
 * *names is one allocation of n strings of LVM_PATH_MAX; free() it.
 */
int lvm_block_devices(const char *sysfs, bool only_iscsi, char (**names)[LVM_PATH_MAX],
		      unsigned *n, struct sr_error *err);

#endif
