/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Several paths to one LUN (a session per portal) made one device-mapper
 * multipath map, as Debian's multipath-tools would make it for a LUN its
 * hardware table does not know: paths grouped by udev's ID_SERIAL (the
 * WWID), the map named after it with the UUID "mpath-WWID", so that the real
 * root's multipathd takes it over; one path group per path ("failover"),
 * each with the "service-time 0" selector; the hardware handler the kernel
 * attached kept (retain_attached_hw_handler). One choice differs from the
 * built-in defaults, on purpose: queue_if_no_path (no_path_retry "queue"),
 * because a root's I/O must wait for a path, not fail, when every path is
 * down at once; a root on multipath sets the same in multipath.conf.
 */
#ifndef SANROOT_MPATH_H
#define SANROOT_MPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "iscsi/vpd.h"

#define MPATH_PATHS_MAX 8
#define MPATH_NAME_MAX 32		/* a kernel block device name, "sdb" */
#define MPATH_PARAMS_MAX (64 + MPATH_PATHS_MAX * 48)

struct mpath_path {
	char name[MPATH_NAME_MAX];
	unsigned major, minor;
};

struct mpath_map {
	char wwid[SCSI_WWID_MAX];
	uint64_t sectors;
	char handler[16];		/* the kernel's device handler on the paths ("alua"), or "" */
	struct mpath_path path[MPATH_PATHS_MAX];
	unsigned npaths;
};

/*
 * The WWID of block device NAME as udev's scsi_id makes ID_SERIAL, from
 * SYSFS/block/NAME/device/vpd_pg83 (the page the kernel read at scan time)
 * and the INQUIRY vendor and model beside it. -ENOENT: no such page, or no
 * designator that names the LUN.
 */
int mpath_wwid(const char *sysfs, const char *name, char out[SCSI_WWID_MAX], struct sr_error *err);

/*
 * Group the block devices names[0..n) by WWID. maps[] gets one entry per
 * WWID that at least min_paths of them share (1: every disk, as when paths
 * are planned and some are not up yet), its paths in the order given, with
 * the size and numbers from sysfs. Devices without a WWID are left out. A
 * path of another size than the first is refused: not one LUN after all.
 * Returns how many maps, or a negative errno.
 */
int mpath_group(const char *sysfs, const char *const *names, unsigned n, unsigned min_paths,
		struct mpath_map *maps, unsigned max, struct sr_error *err);

/* The map's "multipath" target parameters (pure). Returns the length, or -ENOSPC. */
int mpath_params(const struct mpath_map *m, char *out, size_t size);

/*
 * Open device-mapper's control device now and keep it: a process that runs
 * on after the switch to the real root (the session keeper) no longer sees
 * /dev/mapper. -ENODEV without device-mapper.
 */
int mpath_dm_open(struct sr_error *err);

/*
 * Reinstate the disks of iSCSI session sid in every multipath map that holds
 * them (dm-multipath fails a path on an I/O error and never takes it back by
 * itself; multipathd's checker would). sessions_fd is
 * /sys/class/iscsi_session, opened beforehand. said gets "MAP: 8:0, 8:16".
 * Returns how many paths were reinstated, or a negative errno.
 */
int mpath_reinstate_session(int sessions_fd, uint32_t sid, char *said, size_t size,
			    struct sr_error *err);

/*
 * Add the disks of iSCSI session sid that no multipath map holds to the map
 * named after their WWID (a path that was down when the map was made): the
 * table is loaded again with the path as one more group at the end, and the
 * map resumed. said gets "MAP: 8:32". Returns how many were added.
 */
int mpath_join_session(int sessions_fd, uint32_t sid, char *said, size_t size,
		       struct sr_error *err);

/*
 * Load the table of the map named m->wwid again with those of m's paths it
 * does not hold yet. Returns how many were added (0: none missing), -ENOENT
 * when there is no such map, another negative errno when it fails.
 */
int mpath_add_paths(const struct mpath_map *m, struct sr_error *err);

/* How many block devices session sid has, or -errno. */
int mpath_session_disks(int sessions_fd, uint32_t sid);

/* Ask the kernel to scan the session's host for LUNs: write its scsi_host scan file. */
int mpath_scan_session(int sessions_fd, uint32_t sid, struct sr_error *err);

/*
 * The paths of a "multipath" table's parameters as the kernel prints them
 * (pure): paths[] gets their numbers in table order, handler the hardware
 * handler ("" for none). Returns how many, -EINVAL for what does not parse,
 * -ENOSPC beyond max.
 */
int mpath_params_paths(const char *params, char *handler, size_t hsize, struct mpath_path *paths,
		       unsigned max);

#endif
