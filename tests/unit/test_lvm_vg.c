// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/lvm_vg, lib/lvm_scan and lib/lvm_dm together, on the images real lvm2
 * wrote: for every fixture, the tables sanroot would load equal the tables
 * lvm2 loads (tests/fixtures/lvm/NAME.table), line for line; then the
 * refusals (name clashes, cloned PVs, missing PVs, unsupported types).
 */
#include <errno.h>

#include "lvm/lvm_dm.h"
#include "lvm/lvm_scan.h"
#include "lvm/lvm_vg.h"
#include "lvm_fixture.h"
#include "t.h"

/* The fixture's disks unpacked, probed (libblkid), named as the VM names them. */
struct world {
	struct fx f;
	struct lvm_devlist l;
	struct lvm_scan s;
	bool assembled;
};

static int world_open(struct world *w, const char *name, unsigned only_disk)
{
	struct sr_error err = { 0 };

	memset(w, 0, sizeof(*w));
	if (fx_load(name, &w->f) < 0 || fx_unpack(&w->f) < 0)
		return -1;
	for (unsigned i = 0; i < w->f.ndisks; i++) {
		if (only_disk && i + 1 != only_disk)
			continue;
		if (lvm_probe(&w->l, w->f.disk[i].path, &err) < 0)
			return -1;
	}
	for (unsigned i = 0; i < w->l.n; i++) {
		const char *slash = strrchr(w->l.dev[i].path, '/');

		snprintf(w->l.dev[i].name, sizeof(w->l.dev[i].name), "%s", slash + 1);
	}
	if (lvm_assemble(w->l.dev, w->l.n, &w->s, &err) < 0)
		return -1;
	w->assembled = true;
	return 0;
}

static void world_close(struct world *w)
{
	if (w->assembled)
		lvm_scan_free(&w->s);
	lvm_devlist_free(&w->l);
	fx_free(&w->f);
}

static int cmp_line(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *cx = strchr(x, ':'), *cy = strchr(y, ':');
	size_t nx = cx ? (size_t)(cx - x) : strlen(x), ny = cy ? (size_t)(cy - y) : strlen(y);
	int c = strncmp(x, y, nx < ny ? nx : ny);

	if (c || nx != ny)
		return c ? c : (nx < ny ? -1 : 1);
	return strtoull(cx ? cx + 1 : "", NULL, 10) < strtoull(cy ? cy + 1 : "", NULL, 10) ? -1 : 1;
}

/* Split text into sorted lines (in place). */
static unsigned lines(char *text, char **out, unsigned max)
{
	unsigned n = 0;
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save))
		out[n++] = l;
	qsort(out, n, sizeof(*out), cmp_line);
	return n;
}

/* The tables for targets t, as `dmsetup table` would list them. */
static char *tables(const struct world *w, const struct lvm_target *t, unsigned n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	for (unsigned i = 0; i < n; i++) {
		const struct lvm_vgi *v = &w->s.vg[t[i].vg];
		const struct lvm_lv *lv = &v->meta.lv[t[i].lv];
		const char *dev[64] = { 0 };
		char name[LVM_DM_NAME_MAX];
		struct lvm_dm_table tab;
		struct sr_error err = { 0 };

		for (unsigned p = 0; p < v->meta.npv && p < 64; p++)
			dev[p] = v->dev[p] >= 0 ? w->s.dev[v->dev[p]].name : NULL;
		if (lvm_dm_name(v->meta.name, lv->name, name, &err) < 0 ||
		    lvm_dm_table_build(&v->meta, lv, dev, &tab, &err) < 0) {
			fprintf(f, "error: %s\n", err.msg);
			continue;
		}
		lvm_dm_table_write(f, name, &tab);
		lvm_dm_table_free(&tab);
	}
	fclose(f);
	return out;
}

static const char *const fixtures[] = {
	"reference", "whole", "partition", "span", "striped", "segments", "many", "renamed",
	"wrapped", "twocopies", "twins", "thin", "raid1",
};

static void tables_equal_lvm2s(void)
{
	for (unsigned i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		struct lvm_request rq = { .all = true };
		struct world w;
		struct lvm_target *t = NULL;
		struct sr_error err = { 0 };
		char path[512], *want = NULL, *got = NULL, *wl[256], *gl[256], why[600] = "";
		size_t wlen;
		unsigned nw, ng, nt = 0;
		FILE *f;
		int bad = 0;

		if (world_open(&w, fixtures[i], 0) < 0 || lvm_select(&w.s, &rq, &t, &nt, &err) < 0) {
			snprintf(why, sizeof(why), "cannot read or select: %s", err.msg);
			bad = 1;
			goto row;
		}
		snprintf(path, sizeof(path), "%s/%s.table", fx_dir(), fixtures[i]);
		if (!(f = fopen(path, "r"))) {
			snprintf(why, sizeof(why), "no %s", path);
			bad = 1;
			goto row;
		}
		want = calloc(1, 1 << 16);
		wlen = fread(want, 1, (1 << 16) - 1, f);
		fclose(f);
		want[wlen] = '\0';
		got = tables(&w, t, nt);
		nw = lines(want, wl, 256);
		ng = lines(got, gl, 256);
		if (nw != ng) {
			snprintf(why, sizeof(why), "%u lines, lvm2 has %u", ng, nw);
			bad = 1;
		}
		for (unsigned k = 0; k < nw && k < ng && !bad; k++) {
			if (strcmp(wl[k], gl[k])) {
				snprintf(why, sizeof(why), "\"%s\", lvm2 has \"%s\"", gl[k], wl[k]);
				bad = 1;
			}
		}
row:
		t_row("tables_equal_lvm2s", fixtures[i], bad, why);
		free(want);
		free(got);
		free(t);
		world_close(&w);
	}
}

static bool has_note(const struct lvm_scan *s, const char *text)
{
	for (unsigned i = 0; i < s->nnote; i++)
		if (strstr(s->note[i].text, text))
			return true;
	return false;
}

static int select_one(struct world *w, const char *vg, const char *lv, bool partial,
		      struct lvm_target **t, unsigned *n, struct sr_error *err)
{
	struct lvm_request rq = { .vg = &vg, .nvg = vg ? 1 : 0, .lv = &lv, .nlv = lv ? 1 : 0,
				  .partial = partial };

	return lvm_select(&w->s, &rq, t, n, err);
}

static void same_name_twice(void)
{
	struct world w;
	struct lvm_target *t;
	struct sr_error err = { 0 };
	unsigned n;

	CHECK_INT(world_open(&w, "twins", 0), 0);
	CHECK_INT(w.s.nvg, 2);
	CHECK_INT(select_one(&w, "twin", NULL, false, &t, &n, &err), -EEXIST);
	CHECK(strstr(err.msg, "two VGs are named twin"));
	CHECK_INT(select_one(&w, NULL, "twin/lv", false, &t, &n, &err), -EEXIST);
	world_close(&w);
}

static void cloned_lun(void)
{
	struct world w;
	struct lvm_target *t;
	struct sr_error err = { 0 };
	char clone[300];
	unsigned n;

	CHECK_INT(world_open(&w, "reference", 0), 0);
	lvm_scan_free(&w.s);
	w.assembled = false;
	snprintf(clone, sizeof(clone), "%s.clone", w.f.disk[0].path);
	CHECK_INT(link(w.f.disk[0].path, clone), 0);
	CHECK_INT(lvm_probe(&w.l, clone, &err), 1);
	unlink(clone);
	CHECK_INT(lvm_assemble(w.l.dev, w.l.n, &w.s, &err), 0);
	w.assembled = true;
	CHECK_INT(select_one(&w, NULL, "client/rootfs", false, &t, &n, &err), -EEXIST);
	CHECK(strstr(err.msg, "is on both"));
	CHECK(strstr(err.msg, "cloned LUN"));
	world_close(&w);
}

static void missing_pv(void)
{
	struct lvm_request all = { .all = true };
	struct world w;
	struct lvm_target *t;
	struct sr_error err = { 0 };
	char *out;
	unsigned n;

	CHECK_INT(world_open(&w, "span", 1), 0);
	CHECK_INT(w.s.vg[0].nmissing, 1);
	CHECK_INT(select_one(&w, "span", NULL, false, &t, &n, &err), -ENXIO);
	CHECK(strstr(err.msg, "VG span is missing PV pv1"));
	CHECK_INT(lvm_select(&w.s, &all, &t, &n, &err), 0);
	CHECK_INT(n, 0);
	CHECK(has_note(&w.s, "skipped: VG span is missing PV pv1"));
	free(t);

	/* Partial: read-only, and what lived on the missing PV fails I/O. */
	CHECK_INT(select_one(&w, NULL, "span/big", true, &t, &n, &err), 0);
	CHECK_INT(n, 1);
	CHECK(t[0].read_only);
	out = tables(&w, t, n);
	CHECK_STR(out, "span-big: 0 30720 linear vda 2048\nspan-big: 30720 10240 error\n");
	free(out);
	free(t);
	world_close(&w);
}

static void unsupported_types(void)
{
	struct world w;
	struct lvm_target *t;
	struct sr_error err = { 0 };
	unsigned n;

	CHECK_INT(world_open(&w, "thin", 0), 0);
	CHECK_INT(select_one(&w, NULL, "thin/pool", false, &t, &n, &err), -EOPNOTSUPP);
	CHECK_STR(err.msg, "LV thin/pool: segment type thin-pool is not supported by sanroot-lvm; activate it with lvm2");
	CHECK_INT(select_one(&w, "thin", NULL, false, &t, &n, &err), -EOPNOTSUPP);
	CHECK_INT(select_one(&w, NULL, "thin/pool_tdata", false, &t, &n, &err), -EPERM);
	CHECK(strstr(err.msg, "hidden"));
	CHECK_INT(select_one(&w, NULL, "thin/plain", false, &t, &n, &err), 0);
	CHECK_INT(n, 1);
	free(t);
	world_close(&w);

	CHECK_INT(world_open(&w, "raid1", 0), 0);
	CHECK_INT(select_one(&w, NULL, "mirror/r1", false, &t, &n, &err), -EOPNOTSUPP);
	CHECK(strstr(err.msg, "LV mirror/r1: segment type raid1"));
	world_close(&w);
}

static void names_not_found(void)
{
	struct world w;
	struct lvm_target *t;
	struct sr_error err = { 0 };
	unsigned n;

	CHECK_INT(world_open(&w, "renamed", 0), 0);
	CHECK_INT(select_one(&w, "before", NULL, false, &t, &n, &err), -ENOENT);
	CHECK_STR(err.msg, "VG before not found");
	CHECK_INT(select_one(&w, NULL, "after/old", false, &t, &n, &err), -ENOENT);
	CHECK_STR(err.msg, "VG after has no LV old");
	CHECK_INT(select_one(&w, NULL, "after", false, &t, &n, &err), -EINVAL);
	CHECK_INT(select_one(&w, NULL, "after/new", false, &t, &n, &err), 0);
	free(t);
	world_close(&w);
}

static void damaged_copy_reported(void)
{
	struct world w;

	CHECK_INT(world_open(&w, "twocopies", 0), 0);
	CHECK_INT(w.s.nvg, 1);
	CHECK(has_note(&w.s, "metadata copy 1 (byte 4096) is damaged"));
	CHECK(has_note(&w.s, "copy 2 is good and used"));
	world_close(&w);
}

static void device_too_small(void)
{
	struct world w;
	struct lvm_target *t;
	struct sr_error err = { 0 };
	unsigned n;

	CHECK_INT(world_open(&w, "reference", 0), 0);
	w.l.dev[0].block = true;
	w.l.dev[0].size = 32 << 20;
	CHECK_INT(select_one(&w, NULL, "client/rootfs", false, &t, &n, &err), -ENOSPC);
	CHECK(strstr(err.msg, "needs 100352 sectors"));
	w.l.dev[0].size = 64 << 20;
	CHECK_INT(select_one(&w, NULL, "client/rootfs", false, &t, &n, &err), 0);
	free(t);
	world_close(&w);
}

/* Metadata texts for synthetic PVs: VG v on PVs A and B, seqno and LV size chosen. */
static char *vg_text(unsigned seqno, unsigned extents)
{
	char *s = malloc(2048);

	snprintf(s, 2048,
		 "v {\nid = \"zT1Ci9-n0HV-3S2A-IiOy-23zE-w6kI-7LjaoP\"\nseqno = %u\n"
		 "status = [\"READ\", \"WRITE\"]\nextent_size = 8\nphysical_volumes {\n"
		 "pv0 { id = \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" status = [] pe_start = 8 pe_count = 10 }\n"
		 "pv1 { id = \"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\" status = [] pe_start = 8 pe_count = 10 }\n"
		 "}\nlogical_volumes {\nlv { id = \"Pq0icA-kpht-ERi0-hc1n-pc91-HeVK-N335GP\"\n"
		 "status = [\"READ\", \"WRITE\", \"VISIBLE\"] segment_count = 1\n"
		 "segment1 { start_extent = 0 extent_count = %u type = \"striped\" stripe_count = 1 stripes = [\"pv0\", 0] }\n"
		 "}\n}\n}\ncontents = \"Text Format Volume Group\"\nversion = 1\n", seqno, extents);
	return s;
}

static void synthetic_pv(struct lvm_dev *d, const char *id, char *text)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "/dev/%c", id[0]);
	snprintf(d->name, sizeof(d->name), "%c", id[0]);
	snprintf(d->disk.label.pv_id, sizeof(d->disk.label.pv_id), "%s", id);
	d->disk.nmda = 1;
	if (text) {
		d->disk.mda[0].text = text;
		d->disk.mda[0].len = strlen(text);
		d->disk.mda[0].checksum = lvm_crc(LVM_CRC_INIT, text, strlen(text));
	} else {
		d->disk.mda[0].empty = true;
	}
}

static void newest_metadata_wins(void)
{
	char *t1 = vg_text(1, 2), *t2 = vg_text(2, 3), *t2b = vg_text(2, 4);
	struct lvm_dev d[3];
	struct lvm_scan s;
	struct sr_error err = { 0 };

	synthetic_pv(&d[0], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", t1);
	synthetic_pv(&d[1], "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", t2);
	synthetic_pv(&d[2], "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", NULL);
	CHECK_INT(lvm_assemble(d, 3, &s, &err), 0);
	CHECK_INT(s.nvg, 1);
	CHECK_INT(s.vg[0].rc, 0);
	CHECK_INT(s.vg[0].meta.seqno, 2);
	CHECK_INT(s.vg[0].meta.lv[0].extents, 3);
	CHECK_INT(s.vg[0].nmissing, 0);
	CHECK(has_note(&s, "/dev/A: metadata copy 1 holds VG v at seqno 1, older than seqno 2"));
	CHECK(has_note(&s, "/dev/C: PV CCCCCC-CCCC-CCCC-CCCC-CCCC-CCCC-CCCCCC belongs to no VG"));
	lvm_scan_free(&s);

	/* Same seqno, different texts: refused, not guessed. */
	synthetic_pv(&d[0], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", t2b);
	CHECK_INT(lvm_assemble(d, 2, &s, &err), 0);
	CHECK_INT(s.nvg, 1);
	CHECK_INT(s.vg[0].rc, -EBADMSG);
	CHECK(strstr(s.vg[0].err.msg, "two different metadata texts carry seqno 2"));
	lvm_scan_free(&s);

	/* Unparsable text: the copy is reported, the other copy serves. */
	t1[3] = '#';
	synthetic_pv(&d[0], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", t1);
	CHECK_INT(lvm_assemble(d, 2, &s, &err), 0);
	CHECK_INT(s.nvg, 1);
	CHECK_INT(s.vg[0].rc, 0);
	CHECK(has_note(&s, "/dev/A: metadata copy 1 (byte 0) is damaged"));
	lvm_scan_free(&s);

	/* A PV lvm2 marked MISSING stays missing, even when its device is back. */
	free(t1);
	t1 = vg_text(3, 2);
	{
		static const char from[] = "status = [] pe_start = 8 pe_count = 10 }\n}";
		char *at = strstr(t1, from), *fixed = malloc(2200);

		/* pv1's status, the last before the end of physical_volumes */
		snprintf(fixed, 2200, "%.*sstatus = [\"MISSING\"]%s", (int)(at - t1), t1,
			 at + strlen("status = []"));
		free(t1);
		t1 = fixed;
	}
	synthetic_pv(&d[0], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", t1);
	CHECK_INT(lvm_assemble(d, 2, &s, &err), 0);
	CHECK_INT(s.nvg, 1);
	CHECK_INT(s.vg[0].meta.seqno, 3);
	CHECK_INT(s.vg[0].nmissing, 1);
	{
		const char *lv = "v/lv";
		struct lvm_request rq = { .lv = &lv, .nlv = 1 };
		struct lvm_target *t;
		unsigned n;

		CHECK_INT(lvm_select(&s, &rq, &t, &n, &err), -ENXIO);
		CHECK(strstr(err.msg, "is marked missing in the metadata"));
	}
	lvm_scan_free(&s);

	/* Another VG (other name, other UUID) that lists PV B too. */
	free(t1);
	t1 = vg_text(1, 2);
	t1[0] = 'w';
	t1[11] = 'y';
	synthetic_pv(&d[0], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", t1);
	CHECK_INT(lvm_assemble(d, 2, &s, &err), 0);
	CHECK_INT(s.nvg, 2);
	CHECK_INT(s.vg[0].rc, -EEXIST);
	CHECK_INT(s.vg[1].rc, -EEXIST);
	CHECK(strstr(s.vg[0].err.msg, "is claimed by VG"));
	lvm_scan_free(&s);
	free(t1);
	free(t2);
	free(t2b);
}

/* A sysfs tree: one iSCSI disk with a partition, a SATA disk, dm, loop devices. */
static void sysfs_listing(void)
{
	static const char *const dirs[] = {
		"devices/platform/host2/session1/target2:0:0/2:0:0:1/block/sdb/sdb1",
		"devices/platform/host3/session7/target3:0:0/3:0:0:1/block/sdc",
		"devices/pci0000:00/0000:00:01.1/ata1/host0/target0:0:0/0:0:0:0/block/sda",
		"devices/virtual/block/dm-0", "devices/virtual/block/loop0", "devices/virtual/block/loop1",
		"devices/pci0000:00/cciss/block/cciss!c0d0", "class/block", "class/iscsi_session/session1",
	};
	static const char *const links[][2] = {
		{ "sdb", "devices/platform/host2/session1/target2:0:0/2:0:0:1/block/sdb" },
		{ "sdb1", "devices/platform/host2/session1/target2:0:0/2:0:0:1/block/sdb/sdb1" },
		{ "sdc", "devices/platform/host3/session7/target3:0:0/3:0:0:1/block/sdc" },
		{ "sda", "devices/pci0000:00/0000:00:01.1/ata1/host0/target0:0:0/0:0:0:0/block/sda" },
		{ "dm-0", "devices/virtual/block/dm-0" },
		{ "loop0", "devices/virtual/block/loop0" },
		{ "loop1", "devices/virtual/block/loop1" },
		{ "cciss!c0d0", "devices/pci0000:00/cciss/block/cciss!c0d0" },
	};
	char root[] = "/tmp/sanroot-sysfs.XXXXXX", path[512], target[512], cmd[600];
	char (*names)[LVM_PATH_MAX];
	struct sr_error err = { 0 };
	unsigned n;
	FILE *f;

	CHECK(mkdtemp(root));
	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", root, dirs[i]);
		CHECK_INT(system(cmd), 0);
	}
	for (unsigned i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/class/block/%s", root, links[i][0]);
		snprintf(target, sizeof(target), "../../%s", links[i][1]);
		CHECK_INT(symlink(target, path), 0);
	}
	snprintf(path, sizeof(path), "%s/%s/uevent", root, links[1][1]);
	f = fopen(path, "w");
	fprintf(f, "MAJOR=8\nMINOR=17\nDEVNAME=sdb1\nDEVTYPE=partition\n");
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s/size", root, links[5][1]);
	f = fopen(path, "w");
	fprintf(f, "0\n");
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s/size", root, links[6][1]);
	f = fopen(path, "w");
	fprintf(f, "2048\n");
	fclose(f);

	CHECK_INT(lvm_block_devices(root, true, &names, &n, &err), 0);
	CHECK_INT(n, 2);
	CHECK_STR(names[0], "sdb");
	CHECK_STR(names[1], "sdb1");
	free(names);
	CHECK_INT(lvm_block_devices(root, false, &names, &n, &err), 0);
	CHECK_INT(n, 6);
	CHECK_STR(names[0], "cciss/c0d0");
	CHECK_STR(names[1], "loop1");
	CHECK_STR(names[2], "sda");
	CHECK_STR(names[5], "sdc");
	free(names);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK_INT(system(cmd), 0);
	CHECK_INT(lvm_block_devices("/nonexistent", true, &names, &n, &err), -ENOENT);
}

int main(void)
{
	tables_equal_lvm2s();
	RUN(same_name_twice);
	RUN(cloned_lun);
	RUN(missing_pv);
	RUN(unsupported_types);
	RUN(names_not_found);
	RUN(damaged_copy_reported);
	RUN(device_too_small);
	RUN(newest_metadata_wins);
	RUN(sysfs_listing);
	fx_cleanup();
	T_EXIT();
}
