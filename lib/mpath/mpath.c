// SPDX-License-Identifier: GPL-2.0-only
/* Paths grouped by WWID, and the dm-multipath table multipath-tools' defaults give them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libdevmapper.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpath/mpath.h"

/* A sysfs attribute into buf, NUL-terminated, the trailing newline dropped; its length or -errno. */
static ssize_t attr(const char *sysfs, const char *name, const char *what, char *buf, size_t size)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/block/%s/%s", sysfs, name, what);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

/* INQUIRY's fixed-width field as scsi_id hands it over: the sysfs text, space-padded to width. */
static void padded(const char *s, uint8_t *out, size_t width)
{
	size_t n = strlen(s);

	memset(out, ' ', width);
	memcpy(out, s, n < width ? n : width);
}

int mpath_wwid(const char *sysfs, const char *name, char out[SCSI_WWID_MAX], struct sr_error *err)
{
	uint8_t page[1024], vendor[8], product[16];
	char text[64];
	struct scsi_devid id;
	ssize_t n;
	int rc;

	n = attr(sysfs, name, "device/vpd_pg83", (char *)page, sizeof(page));
	if (n < 0)
		return sr_fail(err, (int)-n, "%s: no Device Identification page in sysfs: %s", name,
			       strerror((int)-n));
	if ((rc = scsi_parse_devid(page, (size_t)n, &id, err)) < 0)
		return rc;
	if (attr(sysfs, name, "device/vendor", text, sizeof(text)) < 0)
		text[0] = '\0';
	padded(text, vendor, sizeof(vendor));
	if (attr(sysfs, name, "device/model", text, sizeof(text)) < 0)
		text[0] = '\0';
	padded(text, product, sizeof(product));
	if ((rc = scsi_wwid_udev(&id, vendor, product, out)) < 0)
		return sr_fail(err, -rc, "%s: its Device Identification page names no logical unit", name);
	return 0;
}

static int path_info(const char *sysfs, const char *name, struct mpath_path *p, uint64_t *sectors,
		     char *handler, size_t hsize, struct sr_error *err)
{
	char text[64];

	snprintf(p->name, sizeof(p->name), "%s", name);
	if (attr(sysfs, name, "dev", text, sizeof(text)) < 0 ||
	    sscanf(text, "%u:%u", &p->major, &p->minor) != 2)
		return sr_fail(err, ENOENT, "%s: no device numbers in sysfs", name);
	if (attr(sysfs, name, "size", text, sizeof(text)) < 0 ||
	    sscanf(text, "%" SCNu64, sectors) != 1)
		return sr_fail(err, ENOENT, "%s: no size in sysfs", name);
	/* "detached" when no handler is attached, absent without scsi_dh */
	if (attr(sysfs, name, "device/dh_state", handler, hsize) < 0 || !strcmp(handler, "detached"))
		handler[0] = '\0';
	return 0;
}

int mpath_group(const char *sysfs, const char *const *names, unsigned n, struct mpath_map *maps,
		unsigned max, struct sr_error *err)
{
	char (*wwid)[SCSI_WWID_MAX] = calloc(n ? n : 1, sizeof(*wwid));
	unsigned nmaps = 0;
	int rc = 0;

	if (!wwid)
		return sr_fail(err, ENOMEM, "out of memory");
	for (unsigned i = 0; i < n; i++) {
		struct sr_error ignored;

		if (mpath_wwid(sysfs, names[i], wwid[i], &ignored) < 0)
			wwid[i][0] = '\0';
	}
	for (unsigned i = 0; i < n && rc == 0; i++) {
		struct mpath_map *m;
		unsigned same = 0;
		bool seen = false;

		if (!wwid[i][0])
			continue;
		for (unsigned k = 0; k < i; k++)
			seen |= !strcmp(wwid[k], wwid[i]);
		for (unsigned k = i; k < n; k++)
			same += !strcmp(wwid[k], wwid[i]);
		if (seen || same < 2)
			continue;
		if (nmaps == max) {
			rc = sr_fail(err, ENOSPC, "more than %u multipath LUNs", max);
			break;
		}
		m = &maps[nmaps++];
		memset(m, 0, sizeof(*m));
		snprintf(m->wwid, sizeof(m->wwid), "%s", wwid[i]);
		for (unsigned k = i; k < n && rc == 0; k++) {
			struct mpath_path *p = &m->path[m->npaths];
			char handler[sizeof(m->handler)];
			uint64_t sectors;

			if (strcmp(wwid[k], wwid[i]))
				continue;
			if (m->npaths == MPATH_PATHS_MAX) {
				rc = sr_fail(err, ENOSPC, "%s: more than %d paths", m->wwid, MPATH_PATHS_MAX);
				break;
			}
			if ((rc = path_info(sysfs, names[k], p, &sectors, handler, sizeof(handler), err)) < 0)
				break;
			if (m->npaths == 0) {
				m->sectors = sectors;
				memcpy(m->handler, handler, sizeof(handler));
			} else if (sectors != m->sectors) {
				rc = sr_fail(err, EINVAL, "%s and %s have the WWID %s but not the same size (%" PRIu64 " and %" PRIu64 " sectors)",
					     m->path[0].name, names[k], m->wwid, m->sectors, sectors);
				break;
			}
			m->npaths++;
		}
	}
	free(wwid);
	return rc < 0 ? rc : (int)nmaps;
}

int mpath_params(const struct mpath_map *m, char *out, size_t size)
{
	size_t o;
	int n;

	n = snprintf(out, size, "1 queue_if_no_path %s%s %u 1", m->handler[0] ? "1 " : "0",
		     m->handler, m->npaths);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	o = (size_t)n;
	for (unsigned i = 0; i < m->npaths; i++) {
		n = snprintf(out + o, size - o, " service-time 0 1 1 %u:%u 1", m->path[i].major,
			     m->path[i].minor);
		if (n < 0 || (size_t)n >= size - o)
			return -ENOSPC;
		o += (size_t)n;
	}
	return (int)o;
}

int mpath_dm_open(struct sr_error *err)
{
	char version[64];

	/* libdevmapper opens the control device on first use and keeps it until dm_lib_release(). */
	if (!dm_driver_version(version, sizeof(version)))
		return sr_fail(err, ENODEV, "no device-mapper in the kernel");
	return 0;
}

/* A short sysfs attribute under dirfd, the newline dropped; -errno. */
static int attr_at(int dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static DIR *open_dir_at(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	if (!(d = fdopendir(fd)))
		close(fd);
	return d;
}

static int reinstate(const char *map, const char *devno, struct sr_error *err)
{
	char msg[64];
	struct dm_task *dmt = dm_task_create(DM_DEVICE_TARGET_MSG);
	int ok;

	snprintf(msg, sizeof(msg), "reinstate_path %s", devno);
	ok = dmt && dm_task_set_name(dmt, map) && dm_task_set_sector(dmt, 0) &&
	     dm_task_set_message(dmt, msg) && dm_task_run(dmt);
	if (dmt)
		dm_task_destroy(dmt);
	return ok ? 0 : sr_fail(err, EIO, "%s: %s refused", map, msg);
}

/* The multipath maps holding block device blk (a directory under block/): reinstate it in each. */
static int reinstate_disk(int block_fd, const char *blk, char *said, size_t size, struct sr_error *err)
{
	char path[128], devno[32], uuid[160], map[160];
	struct dirent *e;
	DIR *holders;
	int n = 0;

	snprintf(path, sizeof(path), "%s/dev", blk);
	if (attr_at(block_fd, path, devno, sizeof(devno)) < 0)
		return 0;
	snprintf(path, sizeof(path), "%s/holders", blk);
	if (!(holders = open_dir_at(block_fd, path)))
		return 0;
	while ((e = readdir(holders))) {
		if (strncmp(e->d_name, "dm-", 3))
			continue;
		snprintf(path, sizeof(path), "%s/dm/uuid", e->d_name);
		if (attr_at(dirfd(holders), path, uuid, sizeof(uuid)) < 0 || strncmp(uuid, "mpath-", 6))
			continue;
		snprintf(path, sizeof(path), "%s/dm/name", e->d_name);
		if (attr_at(dirfd(holders), path, map, sizeof(map)) < 0 || reinstate(map, devno, err) < 0)
			continue;
		snprintf(said + strlen(said), size - strlen(said), "%s%s: %s", *said ? ", " : "", map, devno);
		n++;
	}
	closedir(holders);
	return n;
}

int mpath_reinstate_session(int sessions_fd, uint32_t sid, char *said, size_t size,
			    struct sr_error *err)
{
	char path[64];
	struct dirent *t, *l, *b;
	DIR *dev, *target, *block;
	int n = 0;

	*said = '\0';
	snprintf(path, sizeof(path), "session%" PRIu32 "/device", sid);
	if (!(dev = open_dir_at(sessions_fd, path)))
		return sr_fail(err, errno, "session %" PRIu32 ": %s", sid, strerror(errno));
	/* sessionN/device/targetH:C:T/H:C:T:L/block/sdX */
	while ((t = readdir(dev))) {
		if (strncmp(t->d_name, "target", 6) || !(target = open_dir_at(dirfd(dev), t->d_name)))
			continue;
		while ((l = readdir(target))) {
			unsigned h, c, i, lun;

			if (sscanf(l->d_name, "%u:%u:%u:%u", &h, &c, &i, &lun) != 4)
				continue;
			snprintf(path, sizeof(path), "%s/block", l->d_name);
			if (!(block = open_dir_at(dirfd(target), path)))
				continue;
			while ((b = readdir(block)))
				if (b->d_name[0] != '.')
					n += reinstate_disk(dirfd(block), b->d_name, said, size, err);
			closedir(block);
		}
		closedir(target);
	}
	closedir(dev);
	return n;
}
