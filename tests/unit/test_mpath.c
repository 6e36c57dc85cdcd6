// SPDX-License-Identifier: GPL-2.0-only
/*
 * Paths grouped by WWID from what sysfs shows of them (a directory laid out
 * as /sys/block, holding tgt 1.0.85's page 0x83 as the kernel keeps it), and
 * the multipath table's parameters. tests/vm/multipath.sh does it for real.
 */
#include "t.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mpath/mpath.h"

/* tgt 1.0.85, a LUN with scsi_id=sanroot-wwid-1 (tests/unit/test_vpd.c) */
static const uint8_t lun1[] = {
	0x00, 0x83, 0x00, 0x48,
	0x02, 0x01, 0x00, 0x24, 's', 'a', 'n', 'r', 'o', 'o', 't', '-', 'w', 'w', 'i', 'd', '-', '1',
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x01, 0x03, 0x00, 0x08, 0x30, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x01, 0x03, 0x00, 0x10, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x01,
};

static char root[64];

static void put(const char *dev, const char *file, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/block/%s", root, dev);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/block/%s/device", root, dev);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/block/%s/%s", root, dev, file);
	if ((f = fopen(path, "w"))) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void disk(const char *dev, const char *numbers, const char *size, const uint8_t *page,
		 size_t len)
{
	put(dev, "dev", numbers, strlen(numbers));
	put(dev, "size", size, strlen(size));
	put(dev, "device/vendor", "IET     \n", 9);
	put(dev, "device/model", "VIRTUAL-DISK    \n", 17);
	if (page)
		put(dev, "device/vpd_pg83", page, len);
}

static void group(void)
{
	static const char *const names[] = { "sda", "sdb", "sdc", "sdd" };
	uint8_t other[sizeof(lun1)];
	struct mpath_map m[2];
	struct sr_error err;
	char params[MPATH_PARAMS_MAX];

	memcpy(other, lun1, sizeof(other));
	other[sizeof(other) - 1] = 0x02;	/* another LUN of the same target */
	snprintf(root, sizeof(root), "/tmp/sanroot-mpath.XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	snprintf(params, sizeof(params), "%s/block", root);
	mkdir(params, 0755);
	disk("sda", "8:0\n", "2097152\n", lun1, sizeof(lun1));
	disk("sdb", "8:16\n", "4096\n", other, sizeof(other));
	disk("sdc", "8:32\n", "2097152\n", lun1, sizeof(lun1));
	disk("sdd", "8:48\n", "2097152\n", NULL, 0);	/* no page: not a path */

	/* every disk with a WWID, when paths are planned */
	CHECK_INT(mpath_group(root, names, 4, 1, m, 2, &err), 2);
	CHECK_INT(m[1].npaths, 1);
	CHECK_STR(m[1].path[0].name, "sdb");
	CHECK_INT(mpath_group(root, names, 4, 2, m, 2, &err), 1);
	CHECK_STR(m[0].wwid, "36000000000000000000a000000000d01");
	CHECK_INT(m[0].npaths, 2);
	CHECK_STR(m[0].path[0].name, "sda");
	CHECK_STR(m[0].path[1].name, "sdc");
	CHECK_INT(m[0].path[1].major, 8);
	CHECK_INT(m[0].path[1].minor, 32);
	CHECK_INT(m[0].sectors, 2097152);
	CHECK_STR(m[0].handler, "");
	CHECK(mpath_params(&m[0], params, sizeof(params)) > 0);
	CHECK_STR(params, "1 queue_if_no_path 0 2 1 service-time 0 1 1 8:0 1 service-time 0 1 1 8:32 1");

	/* One WWID, two sizes: not one LUN. */
	disk("sdc", "8:32\n", "4096\n", lun1, sizeof(lun1));
	CHECK_INT(mpath_group(root, names, 4, 2, m, 2, &err), -EINVAL);
	CHECK(strstr(err.msg, "not the same size") != NULL);
}

static void handler(void)
{
	struct mpath_map m = { .npaths = 1, .path = { { "sdb", 8, 16 } } };
	char small[20];
	char params[MPATH_PARAMS_MAX];

	snprintf(m.handler, sizeof(m.handler), "alua");
	CHECK(mpath_params(&m, params, sizeof(params)) > 0);
	CHECK_STR(params, "1 queue_if_no_path 1 alua 1 1 service-time 0 1 1 8:16 1");
	CHECK_INT(mpath_params(&m, small, sizeof(small)), -ENOSPC);
}

/* Tables as the kernel prints them back (dmsetup table): the paths in order. */
static void parse(void)
{
	struct mpath_path p[4];
	char h[16];

	CHECK_INT(mpath_params_paths("1 queue_if_no_path 0 2 1 service-time 0 1 2 8:0 1 1 service-time 0 1 2 8:16 1 1",
				     h, sizeof(h), p, 4), 2);
	CHECK_STR(h, "");
	CHECK_INT(p[0].major, 8);
	CHECK_INT(p[0].minor, 0);
	CHECK_INT(p[1].minor, 16);
	CHECK_INT(mpath_params_paths("0 1 alua 1 1 round-robin 0 2 1 65:16 1000 8:48 1000", h, sizeof(h), p, 4), 2);
	CHECK_STR(h, "alua");
	CHECK_INT(p[1].major, 8);
	CHECK_INT(p[1].minor, 48);
	CHECK_INT(mpath_params_paths("0 0 1 1 service-time 0 1 2 8:0 1 1", h, sizeof(h), p, 4), 1);
	CHECK_INT(mpath_params_paths("0 0 2 1 service-time 0 1 2 8:0 1 1 service-time 0 1 2 8:16 1 1", h, sizeof(h), p, 1), -ENOSPC);
	CHECK_INT(mpath_params_paths("0 0 1 1 service-time 0 1 2 8:0 1", h, sizeof(h), p, 4), -EINVAL);	/* short */
	CHECK_INT(mpath_params_paths("0 0 1 1 service-time 0 1 2 8:0 1 1 x", h, sizeof(h), p, 4), -EINVAL);	/* long */
	CHECK_INT(mpath_params_paths("3 a b", h, sizeof(h), p, 4), -EINVAL);
	CHECK_INT(mpath_params_paths("", h, sizeof(h), p, 4), -EINVAL);
	CHECK_INT(mpath_params_paths("0 0 1 1 service-time 0 1 2 sda 1 1", h, sizeof(h), p, 4), -EINVAL);

	/* What mpath_params writes, read back. */
	struct mpath_map m = { .npaths = 2, .path = { { "sda", 8, 0 }, { "sdc", 8, 32 } } };
	char params[MPATH_PARAMS_MAX];

	CHECK(mpath_params(&m, params, sizeof(params)) > 0);
	CHECK_INT(mpath_params_paths(params, h, sizeof(h), p, 4), 2);
	CHECK_INT(p[1].minor, 32);
}

int main(void)
{
	RUN(group);
	RUN(handler);
	RUN(parse);
	if (root[0]) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", root);
	}
	T_EXIT();
}
