// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sysfs walk from an iSCSI session to its LUN's block device, on a fake
 * tree shaped like the one the Debian 6.1 kernel shows (see tests/vm/netlink.sh
 * for the real thing).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "../../lib/iscsi_sysfs.h"

static char sys[64];

static void mkpath(const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s/%s", sys, rel);
	for (p = path + strlen(sys) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	mkdir(path, 0755);
}

static void link_at(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", sys, rel);
	if (symlink(target, path) != 0)
		perror(path);
}

static void touch(const char *rel)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sys, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
}

/*
 * /sys/class/iscsi_session/session3 -> ../../devices/platform/host2/session3/iscsi_session/session3
 * and its "device" link -> ../../../session3, the session device under host2.
 */
static void make_tree(void)
{
	snprintf(sys, sizeof(sys), "/tmp/sanroot-sysfs.XXXXXX");
	if (!mkdtemp(sys))
		abort();
	mkpath("devices/platform/host2/session3/iscsi_session/session3");
	mkpath("devices/platform/host2/session3/target2:0:0/2:0:0:0");	/* tgt's controller */
	mkpath("devices/platform/host2/session3/target2:0:0/2:0:0:1/block/sdb");
	mkpath("devices/platform/host2/session3/target2:0:0/power");
	touch("devices/platform/host2/session3/target2:0:0/uevent");
	mkpath("devices/platform/host2/session3/connection3:0/iscsi_connection/connection3:0");
	mkpath("class/iscsi_session");
	mkpath("class/iscsi_connection");
	mkpath("class/scsi_host/host2");
	touch("class/scsi_host/host2/scan");
	link_at("../../devices/platform/host2/session3/iscsi_session/session3",
		"class/iscsi_session/session3");
	link_at("../../../session3",
		"devices/platform/host2/session3/iscsi_session/session3/device");
	link_at("../../devices/platform/host2/session3/connection3:0/iscsi_connection/connection3:0",
		"class/iscsi_connection/connection3:0");
}

static void exists(void)
{
	CHECK(iscsi_sysfs_session_exists(sys, 3));
	CHECK(!iscsi_sysfs_session_exists(sys, 4));
	CHECK(iscsi_sysfs_conn_exists(sys, 3, 0));
	CHECK(!iscsi_sysfs_conn_exists(sys, 3, 1));
}

static void host_of_session(void)
{
	struct sr_error err;
	uint32_t host = 0;

	CHECK_INT(iscsi_sysfs_session_host(sys, 3, &host, &err), 0);
	CHECK_INT(host, 2);
	CHECK_INT(iscsi_sysfs_session_host(sys, 4, &host, &err), -ENOENT);
	CHECK_STR(err.msg, "no iSCSI session 4 in sysfs");
}

static void scan(void)
{
	char path[512], text[16] = "";
	struct sr_error err;
	ssize_t n;
	int fd;

	CHECK_INT(iscsi_sysfs_scan(sys, 2, &err), 0);
	snprintf(path, sizeof(path), "%s/class/scsi_host/host2/scan", sys);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	CHECK_INT(n, 5);
	CHECK_STR(text, "- - -");
	CHECK(iscsi_sysfs_scan(sys, 9, &err) == -ENOENT);
}

static void lun_block(void)
{
	struct sr_error err;
	char name[32];

	CHECK_INT(iscsi_sysfs_lun_block(sys, 3, 1, name, sizeof(name), 0, &err), 0);
	CHECK_STR(name, "sdb");
	/* LUN 0 (tgt's controller) has no block device: wait, then say so. */
	CHECK_INT(iscsi_sysfs_lun_block(sys, 3, 0, name, sizeof(name), 60, &err), -ETIMEDOUT);
	CHECK_STR(err.msg, "LUN 0 of iSCSI session 3 has no block device after 60 ms");
	CHECK_INT(iscsi_sysfs_lun_block(sys, 3, 2, name, sizeof(name), 0, &err), -ETIMEDOUT);
	/* A name that does not fit is not returned cut short. */
	CHECK_INT(iscsi_sysfs_lun_block(sys, 3, 1, name, 3, 0, &err), -ETIMEDOUT);
	CHECK_INT(iscsi_sysfs_lun_block(sys, 5, 1, name, sizeof(name), 0, &err), -ENOENT);
}

int main(void)
{
	char cmd[128];

	make_tree();
	RUN(exists);
	RUN(host_of_session);
	RUN(scan);
	RUN(lun_block);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sys);
	if (system(cmd) != 0)
		return 1;
	T_EXIT();
}
