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

/* Up to size bytes of a sysfs file under dirfd (binary as it is); the length, or -errno. */
static ssize_t read_at(int dirfd, const char *path, void *buf, size_t size)
{
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/* A text attribute under dirfd: NUL-terminated, the trailing newline dropped; 0 or -errno. */
static int text_at(int dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n = read_at(dirfd, path, buf, size - 1);

	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int open_block(const char *sysfs, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/block/%s", sysfs, name);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* INQUIRY's fixed-width field as scsi_id hands it over: the sysfs text, space-padded to width. */
static void padded(const char *s, uint8_t *out, size_t width)
{
	size_t n = strlen(s);

	memset(out, ' ', width);
	memcpy(out, s, n < width ? n : width);
}

/* The WWID of the block device whose sysfs directory is blkfd. */
static int wwid_at(int blkfd, const char *name, char out[SCSI_WWID_MAX], struct sr_error *err)
{
	uint8_t page[1024], vendor[8], product[16];
	char text[64];
	struct scsi_devid id;
	ssize_t n;
	int rc;

	n = read_at(blkfd, "device/vpd_pg83", page, sizeof(page));
	if (n < 0)
		return sr_fail(err, (int)-n, "%s: no Device Identification page in sysfs: %s", name,
			       strerror((int)-n));
	if ((rc = scsi_parse_devid(page, (size_t)n, &id, err)) < 0)
		return rc;
	if (text_at(blkfd, "device/vendor", text, sizeof(text)) < 0)
		text[0] = '\0';
	padded(text, vendor, sizeof(vendor));
	if (text_at(blkfd, "device/model", text, sizeof(text)) < 0)
		text[0] = '\0';
	padded(text, product, sizeof(product));
	if ((rc = scsi_wwid_udev(&id, vendor, product, out)) < 0)
		return sr_fail(err, -rc, "%s: its Device Identification page names no logical unit", name);
	return 0;
}

int mpath_wwid(const char *sysfs, const char *name, char out[SCSI_WWID_MAX], struct sr_error *err)
{
	int fd = open_block(sysfs, name), rc;

	if (fd < 0)
		return sr_fail(err, errno, "%s: not in %s/block: %s", name, sysfs, strerror(errno));
	rc = wwid_at(fd, name, out, err);
	close(fd);
	return rc;
}

/* A path's numbers, size and device handler, from its sysfs directory blkfd. */
static int path_at(int blkfd, const char *name, struct mpath_path *p, uint64_t *sectors,
		   char *handler, size_t hsize, struct sr_error *err)
{
	char text[64];

	snprintf(p->name, sizeof(p->name), "%s", name);
	if (text_at(blkfd, "dev", text, sizeof(text)) < 0 ||
	    sscanf(text, "%u:%u", &p->major, &p->minor) != 2)
		return sr_fail(err, ENOENT, "%s: no device numbers in sysfs", name);
	if (text_at(blkfd, "size", text, sizeof(text)) < 0 ||
	    sscanf(text, "%" SCNu64, sectors) != 1)
		return sr_fail(err, ENOENT, "%s: no size in sysfs", name);
	/* "detached" when no handler is attached, absent without scsi_dh */
	if (text_at(blkfd, "device/dh_state", handler, hsize) < 0 || !strcmp(handler, "detached"))
		handler[0] = '\0';
	return 0;
}

static int path_info(const char *sysfs, const char *name, struct mpath_path *p, uint64_t *sectors,
		     char *handler, size_t hsize, struct sr_error *err)
{
	int fd = open_block(sysfs, name), rc;

	if (fd < 0)
		return sr_fail(err, errno, "%s: not in %s/block: %s", name, sysfs, strerror(errno));
	rc = path_at(fd, name, p, sectors, handler, hsize, err);
	close(fd);
	return rc;
}

int mpath_group(const char *sysfs, const char *const *names, unsigned n, unsigned min_paths,
		struct mpath_map *maps, unsigned max, struct sr_error *err)
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
		if (seen || same < min_paths)
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

/* The multipath map holding the block device whose sysfs directory is blkfd: its name, or "". */
static void holder(int blkfd, char *map, size_t size)
{
	char path[128], uuid[160];
	struct dirent *e;
	DIR *holders = open_dir_at(blkfd, "holders");

	*map = '\0';
	if (!holders)
		return;
	while (!*map && (e = readdir(holders))) {
		if (strncmp(e->d_name, "dm-", 3))
			continue;
		snprintf(path, sizeof(path), "%s/dm/uuid", e->d_name);
		if (text_at(dirfd(holders), path, uuid, sizeof(uuid)) < 0 || strncmp(uuid, "mpath-", 6))
			continue;
		snprintf(path, sizeof(path), "%s/dm/name", e->d_name);
		if (text_at(dirfd(holders), path, map, size) < 0)
			*map = '\0';
	}
	closedir(holders);
}

/*
 * Call fn for each block device of iSCSI session sid, with its sysfs
 * directory: sessionN/device/targetH:C:T/H:C:T:L/block/sdX, all through
 * sessions_fd. Returns the sum of what fn returned, or -errno.
 */
static int each_disk(int sessions_fd, uint32_t sid,
		     int (*fn)(int blkfd, const char *name, void *ctx), void *ctx)
{
	char path[64];
	struct dirent *t, *l, *b;
	DIR *dev, *target, *block;
	int n = 0;

	snprintf(path, sizeof(path), "session%" PRIu32 "/device", sid);
	if (!(dev = open_dir_at(sessions_fd, path)))
		return -errno;
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
			while ((b = readdir(block))) {
				int fd;

				if (b->d_name[0] == '.' ||
				    (fd = openat(dirfd(block), b->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
					continue;
				n += fn(fd, b->d_name, ctx);
				close(fd);
			}
			closedir(block);
		}
		closedir(target);
	}
	closedir(dev);
	return n;
}

struct walk {
	char *said;
	size_t size;
	struct sr_error *err;
};

static void tell(struct walk *w, const char *map, const char *devno)
{
	size_t n = strlen(w->said);

	snprintf(w->said + n, w->size - n, "%s%s: %s", n ? ", " : "", map, devno);
}

static int reinstate_one(int blkfd, const char *name, void *ctx)
{
	struct walk *w = ctx;
	char map[160], devno[32];

	(void)name;
	holder(blkfd, map, sizeof(map));
	if (!*map || text_at(blkfd, "dev", devno, sizeof(devno)) < 0 || reinstate(map, devno, w->err) < 0)
		return 0;
	tell(w, map, devno);
	return 1;
}

int mpath_reinstate_session(int sessions_fd, uint32_t sid, char *said, size_t size,
			    struct sr_error *err)
{
	struct walk w = { said, size, err };
	int n;

	*said = '\0';
	n = each_disk(sessions_fd, sid, reinstate_one, &w);
	return n < 0 ? sr_fail(err, -n, "session %" PRIu32 ": %s", sid, strerror(-n)) : n;
}

static int count_one(int blkfd, const char *name, void *ctx)
{
	(void)blkfd, (void)name, (void)ctx;
	return 1;
}

int mpath_session_disks(int sessions_fd, uint32_t sid)
{
	return each_disk(sessions_fd, sid, count_one, NULL);
}

int mpath_scan_session(int sessions_fd, uint32_t sid, struct sr_error *err)
{
	char path[128], host[64] = "";
	struct dirent *e;
	ssize_t n;
	DIR *d;
	int fd;

	/* sessionN/device is .../hostH/sessionN: hostH/scsi_host/hostH/scan is its host's */
	snprintf(path, sizeof(path), "session%" PRIu32 "/device/../scsi_host", sid);
	if (!(d = open_dir_at(sessions_fd, path)))
		return sr_fail(err, errno, "session %" PRIu32 ": no SCSI host: %s", sid, strerror(errno));
	while (!*host && (e = readdir(d)))
		if (!strncmp(e->d_name, "host", 4))
			snprintf(host, sizeof(host), "%s", e->d_name);
	closedir(d);
	if (!*host)
		return sr_fail(err, ENOENT, "session %" PRIu32 ": no SCSI host", sid);
	snprintf(path, sizeof(path), "session%" PRIu32 "/device/../scsi_host/%s/scan", sid, host);
	if ((fd = openat(sessions_fd, path, O_WRONLY | O_CLOEXEC)) < 0)
		return sr_fail(err, errno, "%s: %s", host, strerror(errno));
	n = write(fd, "- - -", 5);
	close(fd);
	return n == 5 ? 0 : sr_fail(err, EIO, "%s: the scan was refused", host);
}

int mpath_params_paths(const char *params, char *handler, size_t hsize, struct mpath_path *paths,
		       unsigned max)
{
	char copy[MPATH_PARAMS_MAX * 2], *tok[256], *save = NULL;
	unsigned ntok = 0, i = 0, npaths = 0;
	long v;

#define NEXT_NUM(out) do { \
	char *end; \
	if (i >= ntok) return -EINVAL; \
	v = strtol(tok[i++], &end, 10); \
	if (*end || v < 0 || v > 255) return -EINVAL; \
	(out) = (unsigned)v; \
} while (0)
	if (strlen(params) >= sizeof(copy))
		return -EINVAL;
	snprintf(copy, sizeof(copy), "%s", params);
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (ntok == sizeof(tok) / sizeof(tok[0]))
			return -EINVAL;
		tok[ntok++] = t;
	}
	unsigned nfeat, nhw, ngroups, init, nsel, npg, nargs;

	NEXT_NUM(nfeat);
	i += nfeat;
	NEXT_NUM(nhw);
	if (i + nhw > ntok)
		return -EINVAL;
	snprintf(handler, hsize, "%s", nhw ? tok[i] : "");
	i += nhw;
	NEXT_NUM(ngroups);
	NEXT_NUM(init);
	(void)init;
	for (unsigned g = 0; g < ngroups; g++) {
		i++;				/* the path selector */
		NEXT_NUM(nsel);
		i += nsel;
		NEXT_NUM(npg);
		NEXT_NUM(nargs);
		for (unsigned p = 0; p < npg; p++) {
			if (i >= ntok)
				return -EINVAL;
			if (npaths == max)
				return -ENOSPC;
			paths[npaths].name[0] = '\0';
			if (sscanf(tok[i++], "%u:%u", &paths[npaths].major, &paths[npaths].minor) != 2)
				return -EINVAL;
			npaths++;
			i += nargs;
		}
	}
#undef NEXT_NUM
	return i == ntok ? (int)npaths : -EINVAL;
}

/*
 * Load map's table again with the paths of add it does not have yet, each a
 * group of its own at the end. Returns how many were added, -ENOENT when
 * there is no such map.
 */
static int add_paths(const char *map, const struct mpath_path *add, unsigned nadd, uint64_t sectors,
		     struct sr_error *err)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_INFO);
	char *type = NULL, *params = NULL, *line;
	uint64_t start, length;
	struct mpath_map m = { 0 };
	struct dm_info info;
	unsigned added = 0;
	int n, ok;

	/* INFO first: it says "no such map" quietly, where TABLE would complain on stderr. */
	ok = dmt && dm_task_set_name(dmt, map) && dm_task_run(dmt) && dm_task_get_info(dmt, &info);
	if (dmt)
		dm_task_destroy(dmt);
	if (!ok || !info.exists)
		return sr_fail(err, ENOENT, "no map %s", map);
	dmt = dm_task_create(DM_DEVICE_TABLE);
	if (!dmt || !dm_task_set_name(dmt, map) || !dm_task_run(dmt)) {
		if (dmt)
			dm_task_destroy(dmt);
		return sr_fail(err, EIO, "%s: its table cannot be read", map);
	}
	if (dm_get_next_target(dmt, NULL, &start, &length, &type, &params) || !type ||
	    strcmp(type, "multipath") || !params) {
		dm_task_destroy(dmt);
		return sr_fail(err, EINVAL, "%s is not a multipath map of one line", map);
	}
	n = mpath_params_paths(params, m.handler, sizeof(m.handler), m.path, MPATH_PATHS_MAX - 1);
	dm_task_destroy(dmt);
	if (n < 0)
		return sr_fail(err, -n, "%s: its table cannot be read", map);
	if (length != sectors)
		return sr_fail(err, EINVAL, "%s has %" PRIu64 " sectors, the new path %" PRIu64, map,
			       length, sectors);
	m.npaths = (unsigned)n;
	for (unsigned a = 0; a < nadd; a++) {
		bool have = false;

		for (unsigned i = 0; i < m.npaths; i++)
			have |= m.path[i].major == add[a].major && m.path[i].minor == add[a].minor;
		if (have)
			continue;
		if (m.npaths == MPATH_PATHS_MAX)
			return sr_fail(err, ENOSPC, "%s: more than %d paths", map, MPATH_PATHS_MAX);
		m.path[m.npaths++] = add[a];
		added++;
	}
	if (!added)
		return 0;
	m.sectors = length;
	if (!(line = malloc(MPATH_PARAMS_MAX)) || mpath_params(&m, line, MPATH_PARAMS_MAX) < 0) {
		free(line);
		return sr_fail(err, ENOMEM, "out of memory");
	}
	dmt = dm_task_create(DM_DEVICE_RELOAD);
	ok = dmt && dm_task_set_name(dmt, map) &&
	     dm_task_add_target(dmt, 0, length, "multipath", line) && dm_task_run(dmt);
	if (dmt)
		dm_task_destroy(dmt);
	free(line);
	if (!ok)
		return sr_fail(err, EIO, "%s: the kernel refused the table with %u more path%s", map,
			       added, added == 1 ? "" : "s");
	dmt = dm_task_create(DM_DEVICE_RESUME);
	ok = dmt && dm_task_set_name(dmt, map) && dm_task_run(dmt);
	if (dmt)
		dm_task_destroy(dmt);
	return ok ? (int)added : sr_fail(err, EIO, "%s: resuming with the new table failed", map);
}

int mpath_add_paths(const struct mpath_map *m, struct sr_error *err)
{
	return add_paths(m->wwid, m->path, m->npaths, m->sectors, err);
}

static int join_one(int blkfd, const char *name, void *ctx)
{
	struct walk *w = ctx;
	char map[160], wwid[SCSI_WWID_MAX], handler[16], devno[32];
	struct mpath_path p;
	uint64_t sectors;

	holder(blkfd, map, sizeof(map));
	if (*map || wwid_at(blkfd, name, wwid, w->err) < 0 ||
	    path_at(blkfd, name, &p, &sectors, handler, sizeof(handler), w->err) < 0 ||
	    add_paths(wwid, &p, 1, sectors, w->err) <= 0)
		return 0;
	snprintf(devno, sizeof(devno), "%u:%u", p.major, p.minor);
	tell(w, wwid, devno);
	return 1;
}

int mpath_join_session(int sessions_fd, uint32_t sid, char *said, size_t size,
		       struct sr_error *err)
{
	struct walk w = { said, size, err };
	int n;

	*said = '\0';
	n = each_disk(sessions_fd, sid, join_one, &w);
	return n < 0 ? sr_fail(err, -n, "session %" PRIu32 ": %s", sid, strerror(-n)) : n;
}
