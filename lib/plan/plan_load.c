// SPDX-License-Identifier: GPL-2.0-only
/* Loading the boot plan's sources: /proc/cmdline, config files, the iBFT. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"
#include "firmware/ibft.h"
#include "net/netconf.h"
#include "plan/plan_load.h"

#define CONF_MAX (64 * 1024)

static void path_in(char *out, size_t len, const char *root, const char *p)
{
	snprintf(out, len, "%s%s", root ? root : "", p);
}

static void free_secret_text(char *buf, size_t len)
{
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
}

/* Secrets belong in a file only root (or the one reading it) can open. */
static int check_private(const char *path, int fd, struct sr_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return sr_fail(err, errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sr_fail_why(err, EINVAL, SR_R_CONF_INSECURE, "%s is not a regular file", path);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return sr_fail_why(err, EPERM, SR_R_CONF_INSECURE, "%s is owned by uid %u; it holds secrets and must belong to root",
			       path, (unsigned)st.st_uid);
	if (st.st_mode & 0077)
		return sr_fail_why(err, EPERM, SR_R_CONF_INSECURE,
			       "%s has mode %04o; it holds secrets, so only its owner may read it (chmod 600 %s)",
			       path, (unsigned)(st.st_mode & 07777), path);
	return 0;
}

static int load_conf(struct plan_input *in, const char *path, bool required,
		     struct sr_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && !required)
			return 0;
		return sr_fail(err, errno, "%s: %s", path, strerror(errno));
	}
	rc = check_private(path, fd, err);
	close(fd);
	if (rc < 0)
		return rc;
	if ((rc = file_read(path, CONF_MAX, &buf, &len)) < 0)
		return sr_fail(err, rc, "%s: %s", path, strerror(-rc));
	rc = plan_add_sanroot_conf(in, buf, len, path, err);
	free_secret_text(buf, len);
	return rc;
}

static int load_iscsi_initramfs(struct plan_input *in, const char *root, struct sr_error *err)
{
	static const char *paths[] = { ISCSI_INITRAMFS, ISCSI_INITRAMFS_2 };
	char path[PLAN_PATH_MAX];

	for (size_t i = 0; i < 2; i++) {
		char *buf = NULL;
		size_t len = 0;
		int rc;

		path_in(path, sizeof(path), root, paths[i]);
		rc = file_read(path, CONF_MAX, &buf, &len);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return sr_fail(err, rc, "%s: %s", path, strerror(-rc));
		rc = plan_add_iscsi_initramfs(in, buf, len, path, err);
		free_secret_text(buf, len);
		return rc;
	}
	return 0;
}

/* The root paths recorded in /run/net-IFACE.conf by sanroot-net or klibc ipconfig. */
static int take_rootpath(void *ctx, const char *path, const struct netconf *nc, long mtime)
{
	(void)mtime;
	if (nc->rootpath[0])
		plan_add_dhcp_rootpath(ctx, nc->rootpath, path);
	return 0;
}

static void load_dhcp_rootpaths(struct plan_input *in, const char *root)
{
	char dir[PLAN_PATH_MAX];

	path_in(dir, sizeof(dir), root, "/run");
	netconf_scan(dir, take_rootpath, in);
}

int plan_load(const struct plan_load_opts *o, struct plan *out, struct sr_error *err)
{
	struct plan_input *in = plan_input_new();
	char path[PLAN_PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (!in)
		return sr_fail(err, ENOMEM, "out of memory");

	if (o->cmdline) {
		rc = plan_add_cmdline(in, o->cmdline, strlen(o->cmdline), "--cmdline", err);
	} else {
		if (o->cmdline_file)
			snprintf(path, sizeof(path), "%s", o->cmdline_file);
		else
			path_in(path, sizeof(path), o->sysroot, "/proc/cmdline");
		rc = file_read(path, CONF_MAX, &buf, &len);
		if (rc < 0) {
			sr_fail(err, rc, "%s: %s", path, strerror(-rc));
			goto out;
		}
		rc = plan_add_cmdline(in, buf, len, path, err);
		free_secret_text(buf, len);
	}
	if (rc < 0)
		goto out;

	if ((rc = load_iscsi_initramfs(in, o->sysroot, err)) < 0)
		goto out;

	if (o->conf) {
		rc = load_conf(in, o->conf, true, err);
	} else {
		path_in(path, sizeof(path), o->sysroot, SANROOT_CONF);
		rc = load_conf(in, path, false, err);
	}
	if (rc < 0)
		goto out;

	if (!o->no_ibft) {
		/* The table holds the firmware's CHAP secrets: wiped on every path. */
		struct ibft *t = calloc(1, sizeof(*t));
		const char *from = NULL;

		if (!t) {
			rc = sr_fail(err, ENOMEM, "out of memory");
			goto out;
		}
		if (o->ibft_file) {
			rc = ibft_load_file(o->ibft_file, t, err);
			from = rc < 0 ? NULL : o->ibft_file;
		} else {
			rc = ibft_load_system(o->sysroot ? o->sysroot : "", t, &from, err);
			if (rc == -ENOENT)
				rc = 0;
		}
		if (rc == 0 && from)
			plan_add_ibft(in, t, from);
		explicit_bzero(t, sizeof(*t));
		free(t);
		if (rc < 0)
			goto out;
	}
	load_dhcp_rootpaths(in, o->sysroot);
	rc = plan_resolve(in, out, err);
	if (rc == 0 && !o->secrets)
		plan_wipe_secrets(out);
out:
	plan_input_free(in);
	return rc;
}
