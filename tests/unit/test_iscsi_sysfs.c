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
#include "iscsi/kernel/iscsi_sysfs.h"

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

static void write_at(const char *rel, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sys, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			perror(path);
		close(fd);
	}
}

static void touch(const char *rel)
{
	write_at(rel, "");
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
	/* What the kernel shows as attributes, one line each. */
	write_at("devices/platform/host2/session3/target2:0:0/2:0:0:0/type", "12\n");
	write_at("devices/platform/host2/session3/target2:0:0/2:0:0:1/type", "0\n");
	write_at("devices/platform/host2/session3/iscsi_session/session3/targetname",
		 "iqn.2024-01.org.example:disk\n");
	write_at("devices/platform/host2/session3/connection3:0/iscsi_connection/connection3:0/"
		 "persistent_port", "3260\n");
	/* A second session, listed after the first although its number is larger. */
	mkpath("devices/platform/host7/session12/iscsi_session/session12");
	link_at("../../devices/platform/host7/session12/iscsi_session/session12",
		"class/iscsi_session/session12");
	mkpath("class/iscsi_session/not-a-session");
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

static void sessions_listed(void)
{
	uint32_t sids[4] = { 0 };

	CHECK_INT(iscsi_sysfs_sessions(sys, sids, 4), 2);
	CHECK_INT(sids[0], 3);
	CHECK_INT(sids[1], 12);
	CHECK_INT(iscsi_sysfs_sessions(sys, sids, 1), 2);	/* counted beyond cap */
	CHECK_INT(iscsi_sysfs_sessions("/nonexistent", sids, 4), 0);
}

static void attributes(void)
{
	char buf[64];

	CHECK_INT(iscsi_sysfs_session_attr(sys, 3, "targetname", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "iqn.2024-01.org.example:disk");
	CHECK_INT(iscsi_sysfs_conn_attr(sys, 3, 0, "persistent_port", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "3260");
	CHECK_INT(iscsi_sysfs_session_attr(sys, 3, "nope", buf, sizeof(buf)), -ENOENT);
	CHECK_STR(buf, "");
	CHECK_INT(iscsi_sysfs_session_attr(sys, 3, "targetname", buf, 4), 0);
	CHECK_STR(buf, "iqn");	/* cut to fit, terminated */
}

static void luns_with_types(void)
{
	struct iscsi_sysfs_lun l[4];
	struct sr_error err;
	size_t n = 99;

	CHECK_INT(iscsi_sysfs_session_luns(sys, 3, l, 4, &n, &err), 0);
	CHECK_INT(n, 2);
	CHECK_INT(l[0].lun, 0);
	CHECK_INT(l[0].type, 12);	/* tgt's controller */
	CHECK_STR(l[0].block, "");
	CHECK(!iscsi_scsi_type_is_disk(l[0].type));
	CHECK_INT(l[1].lun, 1);
	CHECK_INT(l[1].type, 0);
	CHECK_STR(l[1].block, "sdb");
	CHECK(iscsi_scsi_type_is_disk(l[1].type));
	CHECK_INT(iscsi_sysfs_session_luns(sys, 3, l, 1, &n, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(iscsi_sysfs_session_luns(sys, 4, l, 4, &n, &err), -ENOENT);
	CHECK_INT(n, 0);
}

int main(void)
{
	char cmd[128];

	make_tree();
	RUN(exists);
	RUN(host_of_session);
	RUN(scan);
	RUN(lun_block);
	RUN(sessions_listed);
	RUN(attributes);
	RUN(luns_with_types);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sys);
	if (system(cmd) != 0)
		return 1;
	T_EXIT();
}
