/* SPDX-License-Identifier: GPL-2.0-only */
/* lvm2's per-VG lock (its file locking, lib/locking/file_locking.c): flock(2) on LOCKDIR/V_<vg>. */
#ifndef SANROOT_LVM_LOCK_H
#define SANROOT_LVM_LOCK_H

#include "core/error.h"

#define LVM_LOCK_DIR "/run/lock/lvm"	/* lvm2's default global/locking_dir, Debian's too */
#define LVM_LOCK_WAIT_MS 30000		/* an activation under emulation takes a second or two */

/*
 * Take the lock lvm2 takes to activate a VG (exclusive), so that an lvm2
 * started by udev in the same initramfs (69-lvm.rules: vgchange -aay) and
 * sanroot-lvm never create the same device-mapper devices at once: whoever
 * comes second finds them complete. Creates LOCKDIR (mode 0700) if needed.
 * Waits up to timeout_ms. Returns the lock's file descriptor (close it, or
 * lvm_unlock_vg(), to release), or a negative errno: -ETIMEDOUT when
 * another holder kept it.
 */
int lvm_lock_vg(const char *lockdir, const char *vg, unsigned timeout_ms, struct sr_error *err);
void lvm_unlock_vg(int fd);

#endif
