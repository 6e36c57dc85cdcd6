// SPDX-License-Identifier: GPL-2.0-only
/*
 * LV activation through libdevmapper, as lvm2's dev_manager does it for a
 * top-level linear or striped LV: one device named VG-LV with UUID
 * LVM-<vgid><lvid>, its table loaded and resumed, /dev/mapper/NAME made by
 * udev when udev runs with device-mapper's rules (as lvm2 leaves it to udev),
 * by us otherwise, and the /dev/VG/LV link (lvm2's fs.c fallback).
 */
#include <errno.h>
#include <libdevmapper.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lvm/lvm_activate.h"
#include "lvm/lvm_lock.h"
#include "lvm/lvm_vg.h"

/* libdevmapper logs through us: keep its last error for our one-line reason. */
static char dm_last[200];

__attribute__((format(printf, 5, 6)))
static void dm_log(int level, const char *file, int line, int dm_errno, const char *f, ...)
{
	va_list ap;

	(void)file;
	(void)line;
	(void)dm_errno;
	if ((level & 7) > 3)	/* errors only (libdm's _LOG_ERR is 3) */
		return;
	va_start(ap, f);
	vsnprintf(dm_last, sizeof(dm_last), f, ap);
	va_end(ap);
}

static const char *dm_why(void)
{
	return dm_last[0] ? dm_last : "libdevmapper gave no reason";
}

static struct dm_task *task(int type, const char *name)
{
	struct dm_task *dmt = dm_task_create(type);

	if (dmt && name && !dm_task_set_name(dmt, name)) {
		dm_task_destroy(dmt);
		return NULL;
	}
	return dmt;
}

/* 1: exists with this UUID and table; 0: absent; < 0: exists otherwise, or an error. */
static int existing(const struct lvm_dm_dev *d, struct sr_error *err)
{
	struct dm_task *dmt;
	struct dm_info info;
	const char *uuid;
	void *next = NULL;
	unsigned i = 0;
	int rc = 1;

	/* INFO answers "absent" where TABLE would fail with ENXIO. */
	dm_last[0] = '\0';
	if (!(dmt = task(DM_DEVICE_INFO, d->name)) || !dm_task_run(dmt) ||
	    !dm_task_get_info(dmt, &info)) {
		rc = sr_fail(err, EIO, "unable to query %s: %s", d->name, dm_why());
		goto out;
	}
	if (!info.exists) {
		rc = 0;
		goto out;
	}
	uuid = dm_task_get_uuid(dmt);
	if (!uuid || strcmp(uuid, d->uuid)) {
		rc = sr_fail(err, EEXIST, "%s already exists with UUID %s, not %s", d->name,
			     uuid && *uuid ? uuid : "(none)", d->uuid);
		goto out;
	}
	dm_task_destroy(dmt);
	if (!(dmt = task(DM_DEVICE_TABLE, d->name)) || !dm_task_run(dmt)) {
		rc = sr_fail(err, EIO, "unable to read the table of %s: %s", d->name, dm_why());
		goto out;
	}
	do {
		const struct lvm_dm_target *t;
		uint64_t start, len;
		char *type = NULL, *params = NULL;

		next = dm_get_next_target(dmt, next, &start, &len, &type, &params);
		if (!type)
			break;
		if (i == d->table.n)
			break;
		t = &d->table.t[i];
		if (start != t->start || len != t->len || strcmp(type, t->type) ||
		    strcmp(params ? params : "", t->params))
			break;
		i++;
	} while (next);
	if (i != d->table.n || next)
		rc = sr_fail(err, EEXIST, "%s is already active with a different table", d->name);
	/* The same table read-only or not: lvm2 would reload; we leave it and say so. */
	else if (info.read_only != d->read_only)
		rc = sr_fail(err, EEXIST, "%s is already active %s", d->name,
			     info.read_only ? "read-only" : "read-write");
out:
	if (dmt)
		dm_task_destroy(dmt);
	return rc;
}

#define UDEV_NODE_WAIT_MS 5000

/*
 * udev makes the /dev/mapper names when it runs with device-mapper's rules
 * (Debian's 55-dm.rules, upstream's 10-dm.rules): then the name is udev's
 * link to dm-N and udev's database has the device as lvm2's own would be.
 * Only for the real /dev (--dev-dir is for tests).
 */
static bool udev_makes_nodes(const char *devdir)
{
	static const char *const rules[] = {
		"/etc/udev/rules.d/55-dm.rules", "/etc/udev/rules.d/10-dm.rules",
		"/lib/udev/rules.d/55-dm.rules", "/lib/udev/rules.d/10-dm.rules",
		"/usr/lib/udev/rules.d/55-dm.rules", "/usr/lib/udev/rules.d/10-dm.rules",
	};

	if (strcmp(devdir, "/dev") || access("/run/udev/control", F_OK) != 0)
		return false;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (access(rules[i], F_OK) == 0)
			return true;
	return false;
}

/*
 * Leave the node to udev: the flags travel in the resume's cookie
 * (flags only, no semaphore: the rules read them through dmsetup udevflags,
 * and dmsetup udevcomplete returns at once), and libdevmapper skips its own
 * node with DM_UDEV_DISABLE_LIBRARY_FALLBACK.
 */
static int udev_cookie(struct dm_task *dmt)
{
	uint32_t cookie = 0;

	return dm_task_set_cookie(dmt, &cookie, DM_UDEV_DISABLE_LIBRARY_FALLBACK);
}

static bool node_is_link(const char *devdir, const struct lvm_dm_dev *d)
{
	char path[LVM_PATH_MAX * 2];
	struct stat st;

	snprintf(path, sizeof(path), "%s/mapper/%s", devdir, d->name);
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Wait for udev's DEVDIR/mapper/NAME; make the node ourselves if it does not come. */
static int await_node(const char *devdir, struct lvm_dm_dev *d, struct sr_error *err)
{
	char path[LVM_PATH_MAX * 2];
	struct stat st;
	struct dm_task *dmt;

	snprintf(path, sizeof(path), "%s/mapper/%s", devdir, d->name);
	for (unsigned waited = 0; waited < UDEV_NODE_WAIT_MS; waited += 20) {
		if (lstat(path, &st) == 0)
			return 0;
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
	dm_last[0] = '\0';
	if (!(dmt = task(DM_DEVICE_MKNODES, d->name)) || !dm_task_run(dmt)) {
		if (dmt)
			dm_task_destroy(dmt);
		return sr_fail(err, EIO, "udev made no %s, and neither could we: %s", path, dm_why());
	}
	dm_task_destroy(dmt);
	dm_task_update_nodes();
	return 0;
}

static int create(struct lvm_dm_dev *d, bool by_udev, struct sr_error *err)
{
	struct dm_task *dmt;
	int rc = 0;

	dm_last[0] = '\0';
	if (!(dmt = task(DM_DEVICE_CREATE, d->name)) || !dm_task_set_uuid(dmt, d->uuid))
		goto fail;
	if (by_udev && !udev_cookie(dmt))
		goto fail;
	if (d->read_only && !dm_task_set_ro(dmt))
		goto fail;
	if (d->minor >= 0 && !(d->major >= 0 ? dm_task_set_major_minor(dmt, d->major, d->minor, 1)
					     : dm_task_set_minor(dmt, d->minor)))
		goto fail;
	for (unsigned i = 0; i < d->table.n; i++)
		if (!dm_task_add_target(dmt, d->table.t[i].start, d->table.t[i].len,
					d->table.t[i].type, d->table.t[i].params))
			goto fail;
	if (!dm_task_set_add_node(dmt, DM_ADD_NODE_ON_RESUME))
		goto fail;
	/* With a table, libdevmapper creates, loads, resumes; removes it if loading fails. */
	if (!dm_task_run(dmt))
		goto fail;
	goto out;
fail:
	rc = sr_fail(err, EIO, "unable to create %s: %s", d->name, dm_why());
out:
	if (dmt)
		dm_task_destroy(dmt);
	return rc;
}

static void remove_dev(const char *name, bool by_udev)
{
	struct dm_task *dmt = task(DM_DEVICE_REMOVE, name);

	if (dmt) {
		if (by_udev)
			udev_cookie(dmt);
		dm_task_retry_remove(dmt);
		dm_task_run(dmt);
		dm_task_destroy(dmt);
	}
}

/* DEVDIR/VG/LV -> DEVDIR/mapper/NAME. *made tells whether we created it. */
static int link_lv(const char *devdir, const struct lvm_dm_dev *d, bool *made,
		   struct sr_error *err)
{
	char dir[LVM_PATH_MAX], link[LVM_PATH_MAX * 2], target[LVM_PATH_MAX * 2];
	char cur[LVM_PATH_MAX * 2];
	struct stat st;
	ssize_t n;

	*made = false;
	snprintf(dir, sizeof(dir), "%s/%s", devdir, d->vg);
	snprintf(link, sizeof(link), "%s/%s", dir, d->lv);
	snprintf(target, sizeof(target), "%s/mapper/%s", devdir, d->name);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return sr_fail(err, errno, "unable to create %s: %s", dir, strerror(errno));
	if (lstat(link, &st) == 0) {
		struct stat a, b;

		if (!S_ISLNK(st.st_mode))
			return sr_fail(err, EEXIST, "%s exists and is not a link", link);
		n = readlink(link, cur, sizeof(cur) - 1);
		if (n >= 0 && (cur[n] = '\0', !strcmp(cur, target)))
			return 0;
		/* udev's own link (../dm-N) to the same device is as good */
		if (stat(link, &a) == 0 && stat(target, &b) == 0 && S_ISBLK(a.st_mode) &&
		    a.st_rdev == b.st_rdev)
			return 0;
		if (unlink(link) < 0)
			return sr_fail(err, errno,
				       "unable to replace %s: %s", link, strerror(errno));
	}
	if (symlink(target, link) < 0)
		return sr_fail(err, errno, "unable to link %s: %s", link, strerror(errno));
	*made = true;
	return 0;
}

static void unlink_lv(const char *devdir, const struct lvm_dm_dev *d)
{
	char path[LVM_PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s/%s", devdir, d->vg, d->lv);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", devdir, d->vg);
	rmdir(path);	/* only if empty */
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* lvm2's lock of each VG in d, in name order (as lvm2 takes several); fds[] gets them. */
static int lock_vgs(const struct lvm_dm_dev *d, unsigned n, const char *lockdir, int *fds,
		    unsigned *nfds, struct sr_error *err)
{
	const char **vgs = calloc(n ? n : 1, sizeof(*vgs));
	unsigned nvg = 0;
	int rc = 0;

	*nfds = 0;
	if (!vgs)
		return sr_fail(err, ENOMEM, "out of memory");
	for (unsigned i = 0; i < n; i++) {
		unsigned k = 0;

		while (k < nvg && strcmp(vgs[k], d[i].vg))
			k++;
		if (k == nvg)
			vgs[nvg++] = d[i].vg;
	}
	qsort(vgs, nvg, sizeof(*vgs), by_name);
	for (unsigned i = 0; i < nvg; i++) {
		if ((rc = lvm_lock_vg(lockdir, vgs[i], LVM_LOCK_WAIT_MS, err)) < 0)
			break;
		fds[(*nfds)++] = rc;
		rc = 0;
	}
	free(vgs);
	return rc;
}

int lvm_activate(struct lvm_dm_dev *d, unsigned n, const char *devdir, const char *lockdir,
		 struct sr_error *err)
{
	char version[64];
	bool *made, by_udev = udev_makes_nodes(devdir);
	int *locks;
	unsigned done = 0, nlocks = 0;
	int rc = 0;

	if (!(made = calloc(n ? n : 1, sizeof(*made))))
		return sr_fail(err, ENOMEM, "out of memory");
	if (!(locks = calloc(n ? n : 1, sizeof(*locks)))) {
		free(made);
		return sr_fail(err, ENOMEM, "out of memory");
	}
	dm_log_with_errno_init(dm_log);
	/* No semaphores: nodes are udev's when it has dm rules (by_udev), ours otherwise. */
	dm_udev_set_sync_support(0);
	if (!dm_set_dev_dir(devdir)) {
		rc = sr_fail(err, EINVAL, "device directory %s refused by libdevmapper", devdir);
		goto out;
	}
	dm_last[0] = '\0';
	if (!dm_driver_version(version, sizeof(version))) {
		rc = sr_fail(err, ENODEV, "no device-mapper in the kernel (is dm_mod loaded?): %s",
			     dm_why());
		goto out;
	}
	if (lockdir && (rc = lock_vgs(d, n, lockdir, locks, &nlocks, err)) < 0)
		goto out;
	for (done = 0; done < n; done++) {
		d[done].existed = false;
		if ((rc = existing(&d[done], err)) < 0)
			goto undo;
		if (rc == 1) {
			d[done].existed = true;
			rc = 0;
		} else if ((rc = create(&d[done], by_udev, err)) < 0) {
			goto undo;
		}
		dm_task_update_nodes();
		if ((by_udev && (rc = await_node(devdir, &d[done], err)) < 0) ||
		    (d[done].vg[0] && (rc = link_lv(devdir, &d[done], &made[done], err)) < 0)) {
			done++;
			goto undo;
		}
		d[done].by_udev = node_is_link(devdir, &d[done]);
	}
	goto out;
undo:
	while (done--) {
		if (made[done])
			unlink_lv(devdir, &d[done]);
		if (!d[done].existed)
			remove_dev(d[done].name, by_udev);
	}
	dm_task_update_nodes();
out:
	dm_lib_release();
	dm_log_with_errno_init(NULL);
	while (nlocks--)
		lvm_unlock_vg(locks[nlocks]);
	free(locks);
	free(made);
	return rc;
}
