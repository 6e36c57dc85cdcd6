// SPDX-License-Identifier: GPL-2.0-only
/*
 * Walking the iSCSI transport class's sysfs objects: a session's device sits
 * under its SCSI host (.../hostH/sessionS), and the midlayer puts the
 * session's targets (targetH:C:T), their LUNs (H:C:T:L) and each LUN's block
 * device (H:C:T:L/block/NAME) beneath it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "iscsi/kernel/iscsi_sysfs.h"

#define POLL_MS 20

static const char *root(const char *sys)
{
	return sys ? sys : ISCSI_SYSFS_ROOT;
}

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool iscsi_sysfs_session_exists(const char *sys, uint32_t sid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/class/iscsi_session/session%" PRIu32, root(sys), sid);
	return path_exists(path);
}

bool iscsi_sysfs_conn_exists(const char *sys, uint32_t sid, uint32_t cid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/class/iscsi_connection/connection%" PRIu32 ":%" PRIu32,
		 root(sys), sid, cid);
	return path_exists(path);
}

/* Parse all of s as a decimal number no larger than max. */
static bool parse_uint(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (n > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*v = n;
	return true;
}

/* The session's device directory (.../hostH/sessionS), resolved. */
static int session_dir(const char *sys, uint32_t sid, char *out, struct sr_error *err)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/class/iscsi_session/session%" PRIu32 "/device",
		 root(sys), sid);
	if (!realpath(path, out)) {
		if (errno == ENOENT)
			return sr_fail(err, ENOENT, "no iSCSI session %" PRIu32 " in sysfs", sid);
		return sr_fail(err, errno, "%s: %s", path, strerror(errno));
	}
	return 0;
}

int iscsi_sysfs_session_host(const char *sys, uint32_t sid, uint32_t *host,
			     struct sr_error *err)
{
	char dir[PATH_MAX];
	char *slash, *parent;
	uint64_t h;
	int rc;

	rc = session_dir(sys, sid, dir, err);
	if (rc < 0)
		return rc;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return sr_fail(err, EPROTO, "session %" PRIu32 " has no parent in sysfs", sid);
	*slash = '\0';
	parent = strrchr(dir, '/');
	parent = parent ? parent + 1 : dir;
	if (strncmp(parent, "host", 4) || !parse_uint(parent + 4, UINT32_MAX, &h))
		return sr_fail(err, EPROTO, "session %" PRIu32 " does not sit under a SCSI host "
			       "in sysfs", sid);
	*host = (uint32_t)h;
	return 0;
}

int iscsi_sysfs_scan(const char *sys, uint32_t host, struct sr_error *err)
{
	static const char all[] = "- - -";
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/class/scsi_host/host%" PRIu32 "/scan", root(sys), host);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return sr_fail(err, errno, "%s: %s", path, strerror(errno));
	do
		n = write(fd, all, sizeof(all) - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;

		close(fd);
		return sr_fail(err, e, "scanning SCSI host %" PRIu32 ": %s", host, strerror(e));
	}
	close(fd);
	if ((size_t)n != sizeof(all) - 1)
		return sr_fail(err, EIO, "scanning SCSI host %" PRIu32 ": short write", host);
	return 0;
}

/* The first entry of dir/block, if the LUN has its block device yet. */
static bool lun_block_name(const char *lundir, char *name, size_t cap)
{
	char path[PATH_MAX];
	struct dirent *d;
	bool found = false;
	DIR *dh;

	snprintf(path, sizeof(path), "%s/block", lundir);
	dh = opendir(path);
	if (!dh)
		return false;
	while ((d = readdir(dh))) {
		if (d->d_name[0] == '.')
			continue;
		if (strlen(d->d_name) < cap) {
			snprintf(name, cap, "%s", d->d_name);
			found = true;
		}
		break;
	}
	closedir(dh);
	return found;
}

/* Look once: session dir -> targetH:C:T -> H:C:T:L (L == lun) -> block/NAME. */
static bool find_lun(const char *sdir, uint64_t lun, char *name, size_t cap)
{
	char tdir[PATH_MAX], ldir[PATH_MAX];
	struct dirent *t, *l;
	bool found = false;
	DIR *sh, *th;

	sh = opendir(sdir);
	if (!sh)
		return false;
	while (!found && (t = readdir(sh))) {
		if (strncmp(t->d_name, "target", 6))
			continue;
		if ((size_t)snprintf(tdir, sizeof(tdir), "%s/%s", sdir, t->d_name) >= sizeof(tdir))
			continue;
		th = opendir(tdir);
		if (!th)
			continue;
		while (!found && (l = readdir(th))) {
			const char *colon = strrchr(l->d_name, ':');
			uint64_t v;

			/* H:C:T:L; skip attributes and the target's other children */
			if (!colon || l->d_name[0] < '0' || l->d_name[0] > '9' ||
			    !parse_uint(colon + 1, UINT64_MAX, &v) || v != lun)
				continue;
			if ((size_t)snprintf(ldir, sizeof(ldir), "%s/%s", tdir, l->d_name) >=
			    sizeof(ldir))
				continue;
			found = lun_block_name(ldir, name, cap);
		}
		closedir(th);
	}
	closedir(sh);
	return found;
}


int iscsi_sysfs_lun_block(const char *sys, uint32_t sid, uint64_t lun, char *name, size_t cap,
			  int timeout_ms, struct sr_error *err)
{
	int64_t deadline = monotonic_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	char sdir[PATH_MAX];
	int rc;

	rc = session_dir(sys, sid, sdir, err);
	if (rc < 0)
		return rc;
	for (;;) {
		struct timespec pause = { 0, POLL_MS * 1000000L };

		if (find_lun(sdir, lun, name, cap))
			return 0;
		if (!path_exists(sdir))
			return sr_fail(err, ENOENT, "iSCSI session %" PRIu32 " went away while "
				       "waiting for LUN %" PRIu64, sid, lun);
		if (monotonic_ms() >= deadline)
			return sr_fail(err, ETIMEDOUT, "LUN %" PRIu64 " of iSCSI session %" PRIu32
				       " has no block device after %d ms", lun, sid, timeout_ms);
		nanosleep(&pause, NULL);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t iscsi_sysfs_sessions(const char *sys, uint32_t *sids, size_t cap)
{
	char path[PATH_MAX];
	struct dirent *d;
	size_t n = 0;
	DIR *dh;

	snprintf(path, sizeof(path), "%s/class/iscsi_session", root(sys));
	dh = opendir(path);
	if (!dh)
		return 0;
	while ((d = readdir(dh))) {
		uint64_t v;

		if (strncmp(d->d_name, "session", 7) || !parse_uint(d->d_name + 7, UINT32_MAX, &v))
			continue;
		if (n < cap)
			sids[n] = (uint32_t)v;
		n++;
	}
	closedir(dh);
	qsort(sids, n < cap ? n : cap, sizeof(*sids), cmp_u32);
	return n;
}

static int read_line(const char *path, char *buf, size_t cap)
{
	ssize_t n;
	int fd;

	if (cap == 0)
		return -EINVAL;
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int iscsi_sysfs_session_attr(const char *sys, uint32_t sid, const char *name, char *buf,
			     size_t cap)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/class/iscsi_session/session%" PRIu32 "/%s", root(sys),
		 sid, name);
	return read_line(path, buf, cap);
}

int iscsi_sysfs_conn_attr(const char *sys, uint32_t sid, uint32_t cid, const char *name,
			  char *buf, size_t cap)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/class/iscsi_connection/connection%" PRIu32 ":%" PRIu32
		 "/%s", root(sys), sid, cid, name);
	return read_line(path, buf, cap);
}

bool iscsi_scsi_type_is_disk(int type)
{
	return type == 0x00 || type == 0x07 || type == 0x0e || type == 0x14;
}

static int cmp_lun(const void *a, const void *b)
{
	const struct iscsi_sysfs_lun *x = a, *y = b;

	return x->lun < y->lun ? -1 : x->lun > y->lun;
}

int iscsi_sysfs_session_luns(const char *sys, uint32_t sid, struct iscsi_sysfs_lun *out,
			     size_t cap, size_t *n, struct sr_error *err)
{
	char sdir[PATH_MAX], tdir[PATH_MAX], path[PATH_MAX], text[16];
	struct dirent *t, *l;
	DIR *sh, *th;
	int rc;

	*n = 0;
	rc = session_dir(sys, sid, sdir, err);
	if (rc < 0)
		return rc;
	sh = opendir(sdir);
	if (!sh)
		return sr_fail(err, errno, "%s: %s", sdir, strerror(errno));
	while ((t = readdir(sh))) {
		if (strncmp(t->d_name, "target", 6))
			continue;
		if ((size_t)snprintf(tdir, sizeof(tdir), "%s/%s", sdir, t->d_name) >= sizeof(tdir))
			continue;
		th = opendir(tdir);
		if (!th)
			continue;
		while ((l = readdir(th)) && *n < cap) {
			const char *colon = strrchr(l->d_name, ':');
			struct iscsi_sysfs_lun *e = &out[*n];
			uint64_t v, type;

			if (!colon || l->d_name[0] < '0' || l->d_name[0] > '9' ||
			    !parse_uint(colon + 1, UINT64_MAX, &v))
				continue;
			memset(e, 0, sizeof(*e));
			e->lun = v;
			e->type = -1;
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", tdir, l->d_name) >=
			    sizeof(path))
				continue;
			lun_block_name(path, e->block, sizeof(e->block));
			strncat(path, "/type", sizeof(path) - strlen(path) - 1);
			if (read_line(path, text, sizeof(text)) == 0 && parse_uint(text, 255, &type))
				e->type = (int)type;
			(*n)++;
		}
		closedir(th);
	}
	closedir(sh);
	qsort(out, *n, sizeof(*out), cmp_lun);
	return 0;
}
