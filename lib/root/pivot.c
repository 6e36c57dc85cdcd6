// SPDX-License-Identifier: GPL-2.0-only
/*
 * The switch to the real root. Destructive steps come only after their
 * preconditions are checked, as klibc's run-init does: the files deleted are
 * the initramfs' own, on ramfs or tmpfs, never on another mount.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "root/pivot.h"

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

static const char *const fallback_inits[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };

/* Is path, resolved inside newroot (absolute symlinks included), an executable file? */
static int executable_in(const char *newroot, const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct stat st;

		if (chroot(newroot) < 0 || chdir("/") < 0)
			_exit(2);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || access(path, X_OK) < 0)
			_exit(1);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 2)
		return -EPERM;
	return WEXITSTATUS(status) == 0 ? 0 : -ENOENT;
}

bool pivot_in_initramfs(void)
{
	struct statfs sfs;

	return statfs("/", &sfs) == 0 && ((unsigned long)sfs.f_type == RAMFS_MAGIC ||
					   (unsigned long)sfs.f_type == TMPFS_MAGIC);
}

int pivot_check(const char *newroot, const char *init, char init_out[PIVOT_INIT_MAX],
		struct sr_error *err)
{
	struct statfs sfs;
	struct stat root, nr, parent;
	char up[4096];
	int rc;

	if (statfs("/", &sfs) < 0)
		return sr_fail(err, errno, "cannot statfs /: %s", strerror(errno));
	if ((unsigned long)sfs.f_type != RAMFS_MAGIC && (unsigned long)sfs.f_type != TMPFS_MAGIC)
		return sr_fail(err, EPERM,
			       "/ is not ramfs or tmpfs (filesystem type 0x%lx): refusing to delete it; switch only from an initramfs",
			       (unsigned long)sfs.f_type);
	if (stat("/", &root) < 0)
		return sr_fail(err, errno, "cannot stat /: %s", strerror(errno));
	if (stat(newroot, &nr) < 0)
		return sr_fail(err, errno, "new root %s: %s", newroot, strerror(errno));
	if (!S_ISDIR(nr.st_mode))
		return sr_fail(err, ENOTDIR, "new root %s is not a directory", newroot);
	snprintf(up, sizeof(up), "%s/..", newroot);
	if (stat(up, &parent) < 0)
		return sr_fail(err, errno, "cannot stat %s: %s", up, strerror(errno));
	if (nr.st_dev == root.st_dev || nr.st_dev == parent.st_dev)
		return sr_fail(err, EINVAL, "new root %s is not a mounted filesystem of its own", newroot);

	if (init) {
		if (init[0] != '/')
			return sr_fail(err, EINVAL, "init %s is not an absolute path", init);
		rc = executable_in(newroot, init);
		if (rc < 0)
			return sr_fail_why(err, rc == -ENOENT ? ENOENT : -rc, SR_R_INIT_NOT_EXEC,
					   "init %s is not an executable file in %s", init, newroot);
		snprintf(init_out, PIVOT_INIT_MAX, "%s", init);
		return 0;
	}
	for (size_t i = 0; i < sizeof(fallback_inits) / sizeof(fallback_inits[0]); i++) {
		if (executable_in(newroot, fallback_inits[i]) == 0) {
			snprintf(init_out, PIVOT_INIT_MAX, "%s", fallback_inits[i]);
			return 0;
		}
	}
	return sr_fail_why(err, ENOENT, SR_R_NO_INIT,
			   "no init in %s (tried /sbin/init, /etc/init, /bin/init, /bin/sh)", newroot);
}

/* Delete what dirfd holds on device dev, without crossing into other mounts. */
static void remove_tree(int dirfd, dev_t dev)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;

	if (!d) {
		close(dirfd);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != dev)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				remove_tree(sub, dev);
			unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
		} else {
			unlinkat(dirfd, e->d_name, 0);
		}
	}
	closedir(d);
}

static void move_mounts(const char *newroot, dev_t rootdev)
{
	static const char *const dirs[] = { "/dev", "/proc", "/sys", "/run" };
	char to[4096];
	struct stat st, tst;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (stat(dirs[i], &st) < 0 || st.st_dev == rootdev)
			continue;	/* not a mount of its own */
		snprintf(to, sizeof(to), "%s%s", newroot, dirs[i]);
		if (stat(to, &tst) == 0 && S_ISDIR(tst.st_mode) &&
		    mount(dirs[i], to, NULL, MS_MOVE, NULL) == 0)
			continue;
		umount2(dirs[i], MNT_DETACH);	/* nowhere to go: let it go */
	}
}

int pivot_switch(const char *newroot, const char *init, char *const argv[],
		 const char *console, struct sr_error *err)
{
	char chosen[PIVOT_INIT_MAX];
	struct stat root;
	int rootfd, rc;

	if ((rc = pivot_check(newroot, init, chosen, err)) < 0)
		return rc;
	if (stat("/", &root) < 0)
		return sr_fail(err, errno, "cannot stat /: %s", strerror(errno));
	rootfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return sr_fail(err, errno, "cannot open /: %s", strerror(errno));
	if (chdir(newroot) < 0) {
		rc = sr_fail(err, errno, "cannot enter %s: %s", newroot, strerror(errno));
		close(rootfd);
		return rc;
	}
	/* The point of no return: from here a failure leaves a half-switched system. */
	move_mounts(newroot, root.st_dev);
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0) {
		rc = sr_fail(err, errno, "cannot move %s onto /: %s (the initramfs is intact)", newroot,
			     strerror(errno));
		close(rootfd);
		return rc;
	}
	if (chroot(".") < 0 || chdir("/") < 0) {
		rc = sr_fail(err, errno, "cannot chroot into the new root: %s", strerror(errno));
		close(rootfd);
		return rc;
	}
	remove_tree(rootfd, root.st_dev);	/* closes rootfd */

	if (console) {
		int fd = open(console, O_RDWR | O_NOCTTY);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	execv(chosen, argv);
	return sr_fail(err, errno, "exec %s failed after the switch: %s", chosen, strerror(errno));
}
