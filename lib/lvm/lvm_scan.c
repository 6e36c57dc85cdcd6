// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding PVs: block devices listed in sysfs (Documentation/ABI/stable/
 * sysfs-block; an iSCSI disk's device path runs through its session,
 * .../hostH/sessionS/targetH:C:T/H:C:T:L/block/sdX), probed with libblkid
 * (TYPE LVM2_member, partition tables of images), then read with
 * lvm_pv_read() through pread().
 */
#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lvm/lvm_scan.h"

struct fd_reader {
	int fd;
	uint64_t base;
};

static int fd_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct fd_reader *fr = ctx;
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fr->fd, p, len, (off_t)(fr->base + off));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

void lvm_devlist_free(struct lvm_devlist *l)
{
	for (unsigned i = 0; i < l->n; i++)
		lvm_pv_disk_free(&l->dev[i].disk);
	free(l->dev);
	memset(l, 0, sizeof(*l));
}

static int add_pv(struct lvm_devlist *l, const char *path, const char *name, bool block,
		  int fd, uint64_t base, uint64_t size, struct sr_error *err)
{
	struct fd_reader fr = { fd, base };
	struct lvm_reader r = { fd_read, &fr, size };
	struct lvm_dev *d;
	int rc;

	for (unsigned i = 0; i < l->n; i++)
		if (!strcmp(l->dev[i].name, name))
			return 0;	/* the same device, named twice */
	if (l->n == LVM_MAX_DEVS)
		return sr_fail(err, E2BIG, "more than %u PVs", LVM_MAX_DEVS);
	if (l->n == l->cap) {
		unsigned cap = l->cap ? l->cap * 2 : 8;
		struct lvm_dev *dev = realloc(l->dev, cap * sizeof(*dev));

		if (!dev)
			return sr_fail(err, ENOMEM, "out of memory");
		l->dev = dev;
		l->cap = cap;
	}
	d = &l->dev[l->n];
	memset(d, 0, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "%s", path);
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->block = block;
	d->size = size;
	if ((rc = lvm_pv_read(&r, &d->disk, err)) < 0)
		return rc;
	l->n++;
	return 1;
}

/* TYPE of what lies at [off, off + size) of fd: 1 LVM2_member, 0 something else or nothing. */
static int probe_range(int fd, uint64_t off, uint64_t size, bool partitions, blkid_probe *keep,
		       struct sr_error *err)
{
	blkid_probe pr = blkid_new_probe();
	const char *type = NULL;
	int rc;

	if (!pr)
		return sr_fail(err, ENOMEM, "out of memory");
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)off, (blkid_loff_t)size) < 0) {
		blkid_free_probe(pr);
		return sr_fail(err, EIO, "libblkid cannot use it");
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(pr, partitions);
	rc = blkid_do_safeprobe(pr);
	if (rc == -2) {
		blkid_free_probe(pr);
		return sr_fail(err, EEXIST, "several signatures found: ambiguous, not used");
	}
	if (rc < 0) {
		blkid_free_probe(pr);
		return sr_fail(err, EIO, "libblkid cannot probe it");
	}
	rc = rc == 0 && blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0 &&
	     !strcmp(type, "LVM2_member");
	if (keep && !rc)
		*keep = pr;
	else
		blkid_free_probe(pr);
	return rc;
}

/* PVs in the partitions of an image file, found in its partition table. */
static int probe_image_partitions(struct lvm_devlist *l, const char *path, int fd,
				  blkid_probe pr, struct sr_error *err)
{
	blkid_partlist ls = blkid_probe_get_partitions(pr);
	size_t plen = strlen(path);
	bool digit = plen && path[plen - 1] >= '0' && path[plen - 1] <= '9';
	int n, found = 0, rc;

	if (!ls || (n = blkid_partlist_numof_partitions(ls)) <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		blkid_partition par = blkid_partlist_get_partition(ls, i);
		char name[LVM_DEVNAME_MAX];
		uint64_t start, size;

		if (!par || blkid_partition_get_start(par) < 0 ||
		    blkid_partition_get_size(par) <= 0)
			continue;
		start = (uint64_t)blkid_partition_get_start(par) * 512;
		size = (uint64_t)blkid_partition_get_size(par) * 512;
		snprintf(name, sizeof(name), "%s%s%d", path, digit ? "p" : "",
			 blkid_partition_get_partno(par));
		if ((rc = probe_range(fd, start, size, false, NULL, err)) < 0)
			return rc;
		if (rc == 0)
			continue;
		if ((rc = add_pv(l, name, name, false, fd, start, size, err)) < 0)
			return rc;
		found += rc;
	}
	return found;
}

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

/* The /dev name of a sysfs block device directory (uevent DEVNAME, else its own name). */
static void devname_of(const char *dir, const char *name, char *out, size_t outlen)
{
	char path[LVM_PATH_MAX + 16], buf[1024];
	char *p;

	snprintf(out, outlen, "%s", name);
	for (p = out; (p = strchr(p, '!')); )
		*p = '/';
	snprintf(path, sizeof(path), "%s/uevent", dir);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return;
	for (char *line = strtok_r(buf, "\n", &p); line; line = strtok_r(NULL, "\n", &p))
		if (!strncmp(line, "DEVNAME=", 8) && line[8] && !strstr(line + 8, ".."))
			snprintf(out, outlen, "%s", line + 8);
}

/* A partitioned block device: its partitions are devices of their own. */
static int probe_block_partitions(struct lvm_devlist *l, dev_t rdev, struct sr_error *err)
{
	char dir[64], sub[LVM_PATH_MAX + 64], dev[LVM_PATH_MAX + 8], name[LVM_PATH_MAX];
	struct dirent *e;
	DIR *d;
	int found = 0, rc = 0;

	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u", major(rdev), minor(rdev));
	if (!(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s/partition", dir, e->d_name);
		if (access(sub, F_OK))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		devname_of(sub, e->d_name, name, sizeof(name));
		snprintf(dev, sizeof(dev), "/dev/%s", name);
		if ((rc = lvm_probe(l, dev, err)) < 0)
			break;
		found += rc;
	}
	closedir(d);
	return rc < 0 ? rc : found;
}

int lvm_probe(struct lvm_devlist *l, const char *path, struct sr_error *err)
{
	char name[LVM_DEVNAME_MAX];
	blkid_probe pr = NULL;
	struct stat st;
	uint64_t size;
	bool block;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sr_fail(err, errno, "%s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = sr_fail(err, errno, "%s", strerror(errno));
		goto out;
	}
	block = S_ISBLK(st.st_mode);
	if (block) {
		if (ioctl(fd, BLKGETSIZE64, &size) < 0) {
			rc = sr_fail(err, errno, "cannot get its size: %s", strerror(errno));
			goto out;
		}
		snprintf(name, sizeof(name), "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	} else if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
		snprintf(name, sizeof(name), "%s", path);
	} else {
		rc = sr_fail(err, ENODEV, "neither a block device nor a file");
		goto out;
	}
	if ((rc = probe_range(fd, 0, size, !block, &pr, err)) < 0)
		goto out;
	if (rc == 1)
		rc = add_pv(l, path, name, block, fd, 0, size, err);
	else if (!block && pr)
		rc = probe_image_partitions(l, path, fd, pr, err);
	else if (block)
		rc = probe_block_partitions(l, st.st_rdev, err);
out:
	if (pr)
		blkid_free_probe(pr);
	close(fd);
	return rc;
}

static bool prefixed(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Does the device path (a sysfs link target) run through a known iSCSI session? */
static bool through_iscsi(const char *sysfs, const char *target)
{
	char path[LVM_PATH_MAX * 2];
	const char *c = target;

	while (c && *c) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);

		if (n > 7 && n < 32 && !strncmp(c, "session", 7) &&
		    strspn(c + 7, "0123456789") == n - 7) {
			snprintf(path, sizeof(path),
				 "%s/class/iscsi_session/%.*s", sysfs, (int)n, c);
			if (access(path, F_OK) == 0)
				return true;
		}
		c = end ? end + 1 : NULL;
	}
	return false;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

int lvm_block_devices(const char *sysfs, bool only_iscsi, char (**names)[LVM_PATH_MAX],
		      unsigned *n, struct sr_error *err)
{
	char dir[LVM_PATH_MAX], path[LVM_PATH_MAX * 2], target[LVM_PATH_MAX * 2], buf[64];
	char (*out)[LVM_PATH_MAX] = NULL;
	unsigned cap = 0;
	struct dirent *e;
	DIR *d;

	*names = NULL;
	*n = 0;
	snprintf(dir, sizeof(dir), "%s/class/block", sysfs);
	if (!(d = opendir(dir)))
		return sr_fail(err, errno, "cannot list %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		ssize_t len;

		if (name[0] == '.' || prefixed(name, "dm-") || prefixed(name, "ram") ||
		    prefixed(name, "zram"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (prefixed(name, "loop")) {
			char size[LVM_PATH_MAX * 2 + 8];

			snprintf(size, sizeof(size), "%s/size", path);
			if (read_small(size, buf, sizeof(buf)) < 0 || atoll(buf) == 0)
				continue;
		}
		if (only_iscsi) {
			if ((len = readlink(path, target, sizeof(target) - 1)) < 0)
				continue;
			target[len] = '\0';
			if (!through_iscsi(sysfs, target))
				continue;
		}
		if (*n == LVM_MAX_DEVS)
			break;
		if (*n == cap) {
			unsigned ncap = cap ? cap * 2 : 16;
			char (*grown)[LVM_PATH_MAX] = realloc(out, ncap * sizeof(*out));

			if (!grown) {
				free(out);
				closedir(d);
				return sr_fail(err, ENOMEM, "out of memory");
			}
			out = grown;
			cap = ncap;
		}
		devname_of(path, name, out[*n], LVM_PATH_MAX);
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(out, *n, sizeof(*out), cmp_names);
	*names = out;
	return 0;
}
