/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the kernel's iSCSI transport class shows in sysfs once a session
 * exists: the session and connection objects, the SCSI host a session owns,
 * and the block devices of its LUNs (session -> host -> target -> LUN -> block).
 * Every function takes the sysfs root ("/sys", or a fake tree in the tests).
 */
#ifndef SANROOT_ISCSI_SYSFS_H
#define SANROOT_ISCSI_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define ISCSI_SYSFS_ROOT "/sys"

bool iscsi_sysfs_session_exists(const char *sys, uint32_t sid);
bool iscsi_sysfs_conn_exists(const char *sys, uint32_t sid, uint32_t cid);

/* The SCSI host number that carries session sid. */
int iscsi_sysfs_session_host(const char *sys, uint32_t sid, uint32_t *host,
			     struct sr_error *err);

/* Ask the SCSI midlayer to scan every target and LUN of host ("- - -"); synchronous. */
int iscsi_sysfs_scan(const char *sys, uint32_t host, struct sr_error *err);

/*
 * The block device name ("sda") of LUN lun in session sid, waiting up to
 * timeout_ms for it to appear. Fails early if the session goes away.
 */
int iscsi_sysfs_lun_block(const char *sys, uint32_t sid, uint64_t lun, char *name, size_t cap,
			  int timeout_ms, struct sr_error *err);

/* Every iSCSI session's id, ascending (at most cap); returns how many there are. */
size_t iscsi_sysfs_sessions(const char *sys, uint32_t *sids, size_t cap);

/*
 * The first line of an attribute of session sid (targetname, state, ...) or of
 * its connection cid (persistent_address, persistent_port, ...): 0, or -errno.
 */
int iscsi_sysfs_session_attr(const char *sys, uint32_t sid, const char *name, char *buf,
			     size_t cap);
int iscsi_sysfs_conn_attr(const char *sys, uint32_t sid, uint32_t cid, const char *name,
			  char *buf, size_t cap);

#define ISCSI_SYSFS_LUNS_MAX 64

struct iscsi_sysfs_lun {
	uint64_t lun;
	int type;		/* SCSI peripheral device type; -1 if unreadable */
	char block[32];		/* "sda"; "" until the disk driver attached one */
};

/* Does sd drive this peripheral type (disk, optical memory, RBC, zoned)? */
bool iscsi_scsi_type_is_disk(int type);

/* The LUNs the SCSI midlayer found in session sid, ascending; returns how many (<= cap). */
int iscsi_sysfs_session_luns(const char *sys, uint32_t sid, struct iscsi_sysfs_lun *out,
			     size_t cap, size_t *n, struct sr_error *err);

#endif
