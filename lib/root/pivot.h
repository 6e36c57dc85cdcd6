/* SPDX-License-Identifier: GPL-2.0-only */
/* Switching from the initramfs to the real root, as run-init and switch_root do. */
#ifndef SANROOT_PIVOT_H
#define SANROOT_PIVOT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define PIVOT_INIT_MAX 256

/*
 * Check everything a switch needs, changing nothing: / is ramfs or tmpfs,
 * newroot is a directory on another, mounted filesystem, and init (or, when
 * init is NULL, the first of /sbin/init, /etc/init, /bin/init, /bin/sh) is an
 * executable file inside newroot, symlinks resolved there. The init chosen
 * goes to init_out.
 */
/* True when / is ramfs or tmpfs: we run in an initramfs. */
bool pivot_in_initramfs(void);

int pivot_check(const char *newroot, const char *init, char init_out[PIVOT_INIT_MAX],
		struct sr_error *err);

/*
 * Move /dev, /proc, /sys and /run into newroot, delete the initramfs' files
 * without crossing a mount point, make newroot the root, reopen the console
 * if one is named, and exec init with argv. Calls pivot_check first and
 * returns only on failure; after the point of no return the error says so.
 */
int pivot_switch(const char *newroot, const char *init, char *const argv[],
		 const char *console, struct sr_error *err);

#endif
