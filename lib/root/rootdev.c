// SPDX-License-Identifier: GPL-2.0-only
/* Resolving and probing the root device with libblkid; mount(8)'s option split. */
#include <blkid/blkid.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "root/rootdev.h"

#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

int mount_opts_parse(const char *opts, unsigned long *flags, char *data, size_t datalen,
		     struct sr_error *err)
{
	static const struct { const char *name; unsigned long set, clear; } tab[] = {
		{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
		{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
		{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
		{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
		{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
		{ "dirsync", MS_DIRSYNC, 0 },
		{ "noatime", MS_NOATIME, 0 }, { "atime", 0, MS_NOATIME },
		{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
		{ "relatime", MS_RELATIME, 0 }, { "norelatime", 0, MS_RELATIME },
		{ "strictatime", MS_STRICTATIME, 0 }, { "nostrictatime", 0, MS_STRICTATIME },
		{ "lazytime", MS_LAZYTIME, 0 }, { "nolazytime", 0, MS_LAZYTIME },
		{ "mand", MS_MANDLOCK, 0 }, { "nomand", 0, MS_MANDLOCK },
		{ "silent", MS_SILENT, 0 }, { "loud", 0, MS_SILENT },
		{ "defaults", 0, 0 },
	};
	size_t o = 0;

	data[0] = '\0';
	while (opts && *opts) {
		size_t n = strcspn(opts, ",");
		size_t i;

		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
			if (strlen(tab[i].name) == n && !strncmp(tab[i].name, opts, n)) {
				*flags = (*flags | tab[i].set) & ~tab[i].clear;
				break;
			}
		}
		if (i == sizeof(tab) / sizeof(tab[0]) && n > 0) {
			if (o + n + 2 > datalen)
				return sr_fail(err, E2BIG, "mount options longer than %zu bytes", datalen - 1);
			if (o)
				data[o++] = ',';
			memcpy(data + o, opts, n);
			o += n;
			data[o] = '\0';
		}
		opts += n;
		if (*opts == ',')
			opts++;
	}
	return 0;
}

int rootdev_resolve(const char *spec, char *out, size_t outlen, struct sr_error *err)
{
	struct stat st;
	char *dev;

	if (spec[0] == '/') {
		if (stat(spec, &st) < 0)
			return errno == ENOENT ? -ENOENT : sr_fail(err, errno, "%s: %s", spec, strerror(errno));
		if (!S_ISBLK(st.st_mode))
			return sr_fail(err, ENOTBLK, "%s is not a block device", spec);
		snprintf(out, outlen, "%s", spec);
		return 0;
	}
	if (strncmp(spec, "UUID=", 5) && strncmp(spec, "LABEL=", 6) &&
	    strncmp(spec, "PARTUUID=", 9) && strncmp(spec, "PARTLABEL=", 10))
		return sr_fail(err, EINVAL,
			       "root=%.40s is neither a path nor UUID=, LABEL=, PARTUUID=, PARTLABEL=", spec);
	/*
	 * A private, memory-only cache each time: a device that appeared since
	 * the last call must be found, and nothing is written to disk.
	 */
	blkid_cache cache = NULL;
	if (blkid_get_cache(&cache, "/dev/null") < 0)
		return sr_fail(err, ENOMEM, "libblkid cannot make a cache");
	dev = blkid_evaluate_spec(spec, &cache);
	blkid_put_cache(cache);
	if (!dev)
		return -ENOENT;
	snprintf(out, outlen, "%s", dev);
	free(dev);
	return 0;
}

int rootdev_fstype(const char *dev, char *out, size_t outlen, struct sr_error *err)
{
	blkid_probe pr = blkid_new_probe_from_filename(dev);
	const char *type = NULL;
	int rc;

	if (!pr)
		return sr_fail(err, errno ? errno : EIO, "cannot open %s to probe it: %s", dev,
			       strerror(errno ? errno : EIO));
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	rc = blkid_do_safeprobe(pr);
	if (rc == 0 && blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0 && type) {
		snprintf(out, outlen, "%s", type);
		blkid_free_probe(pr);
		return 0;
	}
	blkid_free_probe(pr);
	if (rc == -2)
		return sr_fail_why(err, EINVAL, SR_R_FS_AMBIGUOUS,
				   "%s carries more than one filesystem signature; give rootfstype=", dev);
	return sr_fail_why(err, ENOENT, SR_R_NO_FILESYSTEM, "no filesystem recognised on %s", dev);
}
