// SPDX-License-Identifier: GPL-2.0-only
/* lvm2's per-VG lock (its file locking, lib/locking/file_locking.c): flock(2) on LOCKDIR/V_<vg>. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lvm/lvm_lock.h"

#define POLL_MS 20

/* mkdir -p for LOCKDIR: its parents 0755 (/run/lock), itself 0700 as lvm2 makes it. */
static int make_dir(const char *dir, struct sr_error *err)
{
	char path[4096];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return sr_fail(err, ENAMETOOLONG, "lock directory '%.40s' is not usable", dir);
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return sr_fail(err, errno, "unable to create %s: %s", path, strerror(errno));
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return sr_fail(err, errno, "unable to create %s: %s", path, strerror(errno));
	return 0;
}

int lvm_lock_vg(const char *lockdir, const char *vg, unsigned timeout_ms, struct sr_error *err)
{
	char path[4096];
	unsigned waited = 0;
	int fd, rc;

	/* lvm2 refuses VG names with '/' and names starting with '.'; so do we. */
	if (!vg[0] || strchr(vg, '/') || vg[0] == '.')
		return sr_fail(err, EINVAL, "'%.128s' is not a VG name", vg);
	if ((rc = make_dir(lockdir, err)) < 0)
		return rc;
	if ((size_t)snprintf(path, sizeof(path), "%s/V_%s", lockdir, vg) >= sizeof(path))
		return sr_fail(err, ENAMETOOLONG, "lock path for VG %.40s is too long", vg);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return sr_fail(err, errno, "unable to open lvm2's lock %s: %s", path, strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = sr_fail(err, errno, "unable to lock %s: %s", path, strerror(errno));
			close(fd);
			return rc;
		}
		if (waited >= timeout_ms) {
			close(fd);
			return sr_fail(err, ETIMEDOUT,
				       "VG %s stayed locked by another LVM command (%s) for %u ms",
				       vg, path, timeout_ms);
		}
		nanosleep(&(struct timespec){ 0, POLL_MS * 1000 * 1000 }, NULL);
		waited += POLL_MS;
	}
	return fd;
}

void lvm_unlock_vg(int fd)
{
	if (fd >= 0)
		close(fd);	/* closing the only descriptor releases the flock */
}
