/* SPDX-License-Identifier: GPL-2.0-only */
/* The root device: root= resolution through libblkid, filesystem type, mount options. */
#ifndef SANROOT_ROOTDEV_H
#define SANROOT_ROOTDEV_H

#include <stddef.h>

#include "core/error.h"

/*
 * Split mount options as mount(8) does: the generic names (ro, rw, nosuid,
 * nodev, noexec, sync, dirsync, noatime, nodiratime, relatime, strictatime,
 * lazytime, ...) become MS_* bits in *flags; everything else is passed to the
 * filesystem, comma-joined, in data.
 */
int mount_opts_parse(const char *opts, unsigned long *flags, char *data, size_t datalen,
		     struct sr_error *err);

/*
 * Resolve a root= value (a path, UUID=, LABEL=, PARTUUID=, PARTLABEL=) to a
 * device node, once. Returns 0, or -ENOENT while it is not there (yet).
 */
int rootdev_resolve(const char *spec, char *out, size_t outlen, struct sr_error *err);

/* The filesystem type libblkid finds on dev, or -ENOENT if none is recognised. */
int rootdev_fstype(const char *dev, char *out, size_t outlen, struct sr_error *err);

#endif
