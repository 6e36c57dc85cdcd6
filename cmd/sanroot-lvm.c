// SPDX-License-Identifier: GPL-2.0-only
/* sanroot-lvm: find PVs, read their LVM2 metadata, and activate LVs through libdevmapper. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "lvm/lvm_activate.h"
#include "lvm/lvm_dm.h"
#include "lvm/lvm_lock.h"
#include "lvm/lvm_scan.h"
#include "lvm/lvm_vg.h"
#include "mpath/mpath.h"
#include "plan/plan.h"
#include "plan/plan_load.h"
#include "plan_opts.h"
#include "core/quote.h"
#include "tool.h"

#define MAX_NAMED 64

static void usage(void)
{
	printf("Usage: %s [OPTION]... [DEVICE|IMAGE]...\n"
	       "       %s scan [OPTION]... [DEVICE|IMAGE]...\n"
	       "Activate the LVs the boot plan asks for (the LV root= names, rd.lvm.vg=,\n"
	       "rd.lvm.lv=; rd.lvm=0: none), or list what is there (scan) without touching\n"
	       "the kernel. PVs are searched on the block devices that came from iSCSI, or\n"
	       "on the devices and image files named. iSCSI disks that are paths to one LUN\n"
	       "(the same WWID) become one dm-multipath map first, named after the WWID,\n"
	       "and LVM runs on the map.\n"
	       "\n"
	       "What to activate (any of these replaces the plan's choice):\n"
	       "  -a, --all            every LV of every VG found, skipping what cannot be done\n"
	       "      --vg VG          every LV of VG (repeatable; like rd.lvm.vg=)\n"
	       "      --lv VG/LV       this LV (repeatable; like rd.lvm.lv=)\n"
	       "\n"
	       "How:\n"
	       "  -n, --dry-run        print the tables that would be loaded; touch nothing\n"
	       "  -r, --read-only      activate read-only\n"
	       "      --partial        allow missing PVs: read-only, their parts fail I/O\n"
	       "      --any-device     search every block device, not only iSCSI disks\n"
	       "  -w, --wait SECONDS   wait up to SECONDS for the PVs to appear\n"
	       "      --no-multipath   no multipath map; paths are devices (sanroot.multipath=0)\n"
	       "      --dev-dir DIR    make DIR/mapper/VG-LV and DIR/VG/LV (default /dev)\n"
	       "\n"
	       "      --no-plan        ignore the boot plan\n"
	       "  -v, --verbose        say more (twice: debug)\n"
	       "  -h, --help           this text\n"
	       "      --version        the version\n"
	       "\n"
	       PLAN_OPTIONS_HELP
	       "\n"
	       "Exit status: 0 on success (also when there is nothing to do), 100 on bad\n"
	       "usage, 111 when a device, the metadata or the kernel fails us.\n",
	       tool_name, tool_name);
}

struct opts {
	bool scan, all, dry_run, read_only, partial, any_device, no_plan, no_multipath;
	bool paths_planned;		/* the plan makes several paths to a target */
	const char *vg[MAX_NAMED];
	unsigned nvg;
	const char *lv[MAX_NAMED];
	unsigned nlv;
	const char *const *paths;
	unsigned npaths;
	unsigned wait;
	const char *devdir;
	struct plan_load_opts plan;
};

/* Human sizes as lvm2 prints them: 48.00 MiB. */
static const char *size_str(uint64_t bytes, char *buf, size_t len)
{
	static const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, len, "%.2f %s", v, unit[u]);
	return buf;
}

/* What went wrong with single devices, shown with the scan's notes (once, even with --wait). */
struct devnotes {
	struct lvm_note note[16];
	unsigned n;
};

__attribute__((format(printf, 2, 3)))
static void devnote(struct devnotes *dn, const char *fmt, ...)
{
	va_list ap;

	if (dn->n == sizeof(dn->note) / sizeof(dn->note[0]))
		return;
	dn->note[dn->n].warning = true;
	va_start(ap, fmt);
	vsnprintf(dn->note[dn->n].text, sizeof(dn->note[0].text), fmt, ap);
	va_end(ap);
	dn->n++;
}

/* Put by in the place of m's paths in names. */
static void stand_in(char (*names)[LVM_PATH_MAX], unsigned *n, const struct mpath_map *m,
		     const char *by)
{
	char keep[LVM_PATH_MAX];
	unsigned kept = 0;

	snprintf(keep, sizeof(keep), "%s", by);
	for (unsigned k = 0; k < *n; k++) {
		bool path = false;

		for (unsigned p = 0; p < m->npaths; p++)
			path |= !strcmp(names[k], m->path[p].name);
		if (!path)
			memmove(names[kept++], names[k], LVM_PATH_MAX);
	}
	snprintf(names[kept++], LVM_PATH_MAX, "%s", keep);
	*n = kept;
}

/*
 * iSCSI disks that share a WWID (a session per portal of one target) become
 * one dm-multipath map (lib/mpath), which takes their place in names. When
 * the map cannot be made (no dm-multipath in the kernel, say), the first path
 * alone stands for the LUN, said: the boot goes on over one path, as it would
 * without multipath, rather than LVM finding the PV on each.
 */
static void multipath(const struct opts *o, char (*names)[LVM_PATH_MAX], unsigned *n)
{
	static struct mpath_map maps[8];
	struct sr_error err = { 0 };
	const char **list = calloc(*n ? *n : 1, sizeof(*list));
	int nmaps;

	/* One disk and no paths planned: no map can come of it, nothing to read. */
	if (*n < 2 && !o->paths_planned) {
		free(list);
		return;
	}
	if (!list)
		tool_fail("out of memory");
	for (unsigned i = 0; i < *n; i++)
		list[i] = names[i];
	/* When paths are planned, a disk is a map even with one path up: the rest join later. */
	nmaps = mpath_group("/sys", list, *n, o->paths_planned ? 1 : 2, maps, 8, &err);
	free(list);
	if (nmaps < 0) {
		log_warn("multipath: %s; using the paths one by one", err.msg);
		return;
	}
	for (int i = 0; i < nmaps; i++) {
		const struct mpath_map *m = &maps[i];
		struct lvm_dm_target line = { .start = 0, .len = m->sectors, .type = "multipath" };
		struct lvm_dm_dev d = { .major = -1, .minor = -1 };
		char paths[MPATH_PATHS_MAX * (MPATH_NAME_MAX + 2)] = "", map[LVM_PATH_MAX];
		bool existed;
		int rc;

		if (strlen(m->wwid) >= sizeof(d.name) || strlen(m->wwid) + 6 >= sizeof(d.uuid)) {
			sr_fail(&err, ENAMETOOLONG, "the WWID %.40s... is too long for a device-mapper name",
				m->wwid);
			goto alone;
		}
		snprintf(d.name, sizeof(d.name), "%s", m->wwid);
		snprintf(d.uuid, sizeof(d.uuid), "mpath-%s", m->wwid);
		/* There already (an earlier pass, or the keeper's): it takes what it lacks. */
		if ((rc = mpath_add_paths(m, &err)) >= 0) {
			existed = true;
			goto made;
		}
		if (rc != -ENOENT)
			goto alone;
		err = (struct sr_error){ 0 };
		if (!(line.params = malloc(MPATH_PARAMS_MAX)) ||
		    mpath_params(m, line.params, MPATH_PARAMS_MAX) < 0)
			tool_fail("multipath: out of memory");
		d.table = (struct lvm_dm_table){ .t = &line, .n = 1 };
		rc = lvm_activate(&d, 1, o->devdir, NULL, &err);
		free(line.params);
		if (rc < 0)
			goto alone;
		existed = d.existed;
made:
		/* The map stands for its paths from here on. */
		snprintf(map, sizeof(map), "mapper/%s", m->wwid);
		stand_in(names, n, m, map);
		for (unsigned p = 0; p < m->npaths; p++)
			snprintf(paths + strlen(paths), sizeof(paths) - strlen(paths), "%s%s",
				 p ? (p + 1 == m->npaths ? " and " : ", ") : "", m->path[p].name);
		log_notice("multipath: %s/mapper/%s over %s%s", o->devdir, m->wwid, paths,
			   existed ? " (was already there)" : "");
		continue;
alone:
		log_warn("multipath: unable to make the map %s: %s; using %s alone", m->wwid, err.msg,
			 m->path[0].name);
		stand_in(names, n, m, m->path[0].name);
		err = (struct sr_error){ 0 };
	}
}

/*
 * Read every PV: the devices named, or the block devices found in sysfs.
 * A named device that cannot be read fails (err); a found one is skipped.
 */
static int discover(const struct opts *o, struct lvm_devlist *l, struct devnotes *dn,
		    struct sr_error *err)
{
	char (*names)[LVM_PATH_MAX] = NULL;
	struct sr_error why = { 0 };
	unsigned n = 0;
	int rc;

	dn->n = 0;
	if (o->npaths) {
		for (unsigned i = 0; i < o->npaths; i++) {
			if ((rc = lvm_probe(l, o->paths[i], &why)) < 0)
				return sr_fail(err, rc, "unable to read %s: %s", o->paths[i], why.msg);
			if (rc == 0)
				devnote(dn, "%s: no LVM2 PV found", o->paths[i]);
		}
		return 0;
	}
	if ((rc = lvm_block_devices("/sys", !o->any_device, &names, &n, &why)) < 0)
		return sr_fail(err, rc, "unable to list block devices: %s", why.msg);
	if (!o->scan && !o->dry_run && !o->no_multipath && !o->any_device)
		multipath(o, names, &n);
	log_debug("%u %sblock devices to probe", n, o->any_device ? "" : "iSCSI ");
	for (unsigned i = 0; i < n; i++) {
		char path[LVM_PATH_MAX + 8];

		snprintf(path, sizeof(path), "/dev/%s", names[i]);
		/* A bad device must not stop the boot when another holds the root. */
		if (lvm_probe(l, path, &why) < 0)
			devnote(dn, "skipping %s: %s", path, why.msg);
	}
	free(names);
	return 0;
}

static void show_notes(const struct lvm_scan *s, const struct devnotes *dn)
{
	for (unsigned i = 0; i < dn->n; i++)
		log_warn("%s", dn->note[i].text);
	for (unsigned i = 0; i < s->nnote; i++) {
		if (s->note[i].warning)
			log_warn("%s", s->note[i].text);
		else
			log_info("%s", s->note[i].text);
	}
}

/* As lvs shows it: a striped segment with one stripe is linear. */
static const char *seg_type(const struct lvm_seg *s)
{
	return s->mapped && s->stripe_count == 1 ? "linear" : s->type;
}

static void print_lv(const struct lvm_vgi *v, const struct lvm_lv *lv)
{
	const struct lvm_vg *g = &v->meta;
	const char *type = lv->nseg ? seg_type(&lv->seg[0]) : "";
	char sz[32];

	for (unsigned i = 1; i < lv->nseg; i++)
		if (strcmp(seg_type(&lv->seg[i]), type))
			type = "mixed";
	size_str(lv->extents * g->extent_size * 512, sz, sizeof(sz));
	printf("  LV %s  %s  %s", lv->name, sz, type);
	if (!lv->visible)
		printf("  [hidden]");
	if (!lv->write || !g->write)
		printf("  [read-only]");
	if (lv->activation_skip)
		printf("  [skipped at activation]");
	if (lv->unsupported[0])
		printf("  [not supported: %s]", lv->unsupported);
	printf("\n");
	for (unsigned i = 0; i < lv->nseg; i++) {
		const struct lvm_seg *s = &lv->seg[i];
		uint64_t area = s->extent_count / (s->stripe_count ? s->stripe_count : 1);

		printf("     extents %" PRIu64 "-%" PRIu64 ": %s", s->start_extent,
		       s->start_extent + s->extent_count - 1, seg_type(s));
		if (!s->mapped) {
			printf("\n");
			continue;
		}
		if (s->stripe_count > 1)
			printf(" %" PRIu32 " x %s:", s->stripe_count,
			       size_str(s->stripe_size * 512, sz, sizeof(sz)));
		for (unsigned k = 0; k < s->stripe_count; k++) {
			const struct lvm_pv_meta *pv = &g->pv[s->stripe[k].pv];

			printf("%s %s %" PRIu64 "-%" PRIu64, k ? "," : "", pv->name,
			       s->stripe[k].pe, s->stripe[k].pe + area - 1);
		}
		printf("\n");
	}
}

static void print_vg(const struct lvm_scan *s, const struct lvm_vgi *v)
{
	const struct lvm_vg *g = &v->meta;
	char id[LVM_ID_LEN + 7], sz[32], sz2[32], hint[LVM_HINT_MAX * 4];

	lvm_id_format(g->id, id);
	size_str(g->extent_size * 512, sz, sizeof(sz));
	printf("VG %s  UUID %s  seqno %" PRIu64 "  extents of %s  %u PV%s  %u LV%s%s\n", g->name,
	       id, g->seqno, sz, g->npv, g->npv == 1 ? "" : "s", g->nlv, g->nlv == 1 ? "" : "s",
	       g->write ? "" : "  [read-only]");
	if (v->rc < 0)
		printf("  refused: %s\n", v->err.msg);
	for (unsigned p = 0; p < g->npv; p++) {
		const struct lvm_pv_meta *pv = &g->pv[p];

		lvm_id_format(pv->id, id);
		quote_printable(hint, sizeof(hint), pv->device, strlen(pv->device));
		if (v->dev && v->dev[p] >= 0)
			printf("  PV %s  %s  %" PRIu64 " extents from %s  (%s)  UUID %s\n", pv->name,
			       s->dev[v->dev[p]].path, pv->pe_count,
			       size_str(pv->pe_start * 512, sz, sizeof(sz)),
			       size_str(s->dev[v->dev[p]].size, sz2, sizeof(sz2)), id);
		else
			printf("  PV %s  missing%s%s  UUID %s\n", pv->name,
			       hint[0] ? ", last seen as " : "", hint, id);
	}
	for (unsigned l = 0; l < g->nlv; l++)
		print_lv(v, &g->lv[l]);
}

static int do_scan(const struct opts *o)
{
	struct lvm_devlist l = { 0 };
	struct devnotes dn;
	struct lvm_scan s;
	struct sr_error err = { 0 };

	if (discover(o, &l, &dn, &err) < 0) {
		lvm_devlist_free(&l);
		tool_fail_why(err.reason, "%s", err.msg);
	}
	if (lvm_assemble(l.dev, l.n, &s, &err) < 0) {
		lvm_devlist_free(&l);
		tool_fail_why(err.reason, "unable to assemble VGs: %s", err.msg);
	}
	for (unsigned v = 0; v < s.nvg; v++)
		print_vg(&s, &s.vg[v]);
	if (l.n == 0)
		printf("no LVM2 PV found\n");
	if (fflush(stdout) != 0 || ferror(stdout))
		tool_fail("unable to write: %s", strerror(errno));
	tool_verbosity = tool_verbosity < 1 ? 1 : tool_verbosity;
	show_notes(&s, &dn);
	lvm_scan_free(&s);
	lvm_devlist_free(&l);
	return 0;
}

/* The request: options, or else the plan's root LV, rd.lvm.vg= and rd.lvm.lv=. */
static int build_request(struct opts *o, struct lvm_request *rq, char *root_lv, size_t len)
{
	static struct plan plan;
	struct sr_error err = { 0 };

	memset(rq, 0, sizeof(*rq));
	rq->partial = o->partial;
	rq->read_only = o->read_only || o->partial;
	if (o->all || o->nvg || o->nlv) {
		rq->all = o->all;
		rq->vg = o->vg;
		rq->nvg = o->nvg;
		rq->lv = o->lv;
		rq->nlv = o->nlv;
		return 1;
	}
	if (o->no_plan) {
		log_notice("nothing to activate: --no-plan and no --all, --vg or --lv");
		return 0;
	}
	if (!o->plan.ibft_file)
		o->plan.no_ibft = true;	/* the firmware's iBFT says nothing about LVM */
	if (tool_plan_load(&o->plan, &plan, false, &err) < 0)
		tool_fail_why(err.reason, "unable to read the boot plan: %s", err.msg);
	if (!plan.sanroot.multipath)
		o->no_multipath = true;
	o->paths_planned = plan_multipath_paths(&plan);
	if (plan.lvm.disabled) {
		log_notice("rd.lvm=0: LVM activation is off");
		return 0;
	}
	for (unsigned i = 0; i < plan.lvm.nvg && o->nvg < MAX_NAMED; i++)
		o->vg[o->nvg++] = plan.lvm.vg[i];
	for (unsigned i = 0; i < plan.lvm.nlv && o->nlv < MAX_NAMED; i++)
		o->lv[o->nlv++] = plan.lvm.lv[i];
	if (plan.root.vg[0] && plan.root.lv[0] && o->nlv < MAX_NAMED) {
		snprintf(root_lv, len, "%s/%s", plan.root.vg, plan.root.lv);
		o->lv[o->nlv++] = root_lv;
	}
	if (!o->nvg && !o->nlv) {
		log_notice("nothing to activate: the boot plan names no LV (no root=/dev/VG/LV, "
			   "rd.lvm.vg= or rd.lvm.lv=); --all activates every LV");
		return 0;
	}
	rq->vg = o->vg;
	rq->nvg = o->nvg;
	rq->lv = o->lv;
	rq->nlv = o->nlv;
	return 1;
}

static bool retryable(int rc)
{
	return rc == -ENOENT || rc == -ENXIO;
}


static void free_devs(struct lvm_dm_dev *d, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		lvm_dm_table_free(&d[i].table);
	free(d);
}

/* The devices for the chosen LVs, with their tables. */
static struct lvm_dm_dev *make_devs(const struct opts *o, const struct lvm_scan *s,
				    const struct lvm_target *t, unsigned n)
{
	struct lvm_dm_dev *d = calloc(n ? n : 1, sizeof(*d));
	struct sr_error err = { 0 };

	if (!d)
		tool_fail("out of memory");
	for (unsigned i = 0; i < n; i++) {
		const struct lvm_vgi *v = &s->vg[t[i].vg];
		const struct lvm_lv *lv = &v->meta.lv[t[i].lv];
		const char **pvdev = calloc(v->meta.npv, sizeof(*pvdev));

		if (!pvdev)
			tool_fail("out of memory");
		for (unsigned p = 0; p < v->meta.npv; p++) {
			const struct lvm_dev *dev = v->dev[p] >= 0 ? &s->dev[v->dev[p]] : NULL;

			pvdev[p] = dev ? dev->name : NULL;
			if (dev && !dev->block && !o->dry_run) {
				free(pvdev);
				free_devs(d, i);
				tool_fail("unable to activate %s/%s: %s is an image file (only scan and --dry-run read images)",
					  v->meta.name, lv->name, dev->path);
			}
		}
		if (lvm_dm_name(v->meta.name, lv->name, d[i].name, &err) < 0 ||
		    lvm_dm_table_build(&v->meta, lv, pvdev, &d[i].table, &err) < 0)
			tool_fail_why(err.reason, "unable to activate %s/%s: %s", v->meta.name, lv->name, err.msg);
		free(pvdev);
		lvm_dm_uuid(&v->meta, lv, d[i].uuid);
		snprintf(d[i].vg, sizeof(d[i].vg), "%s", v->meta.name);
		snprintf(d[i].lv, sizeof(d[i].lv), "%s", lv->name);
		d[i].read_only = t[i].read_only;
		d[i].major = lv->major;
		d[i].minor = lv->minor;
	}
	return d;
}

static int do_activate(struct opts *o)
{
	struct lvm_request rq;
	struct lvm_devlist l = { 0 };
	struct lvm_scan s = { 0 };
	struct lvm_target *t = NULL;
	struct devnotes dn;
	struct lvm_dm_dev *d;
	struct sr_error err = { 0 };
	char root_lv[2 * LVM_NAME_MAX];
	double deadline;
	unsigned n = 0;
	int rc;

	if (build_request(o, &rq, root_lv, sizeof(root_lv)) == 0)
		return 0;
	deadline = monotonic_s() + o->wait;
	for (;;) {
		/* A device named but not there yet is worth waiting for, too. */
		if ((rc = discover(o, &l, &dn, &err)) == 0) {
			if (lvm_assemble(l.dev, l.n, &s, &err) < 0)
				tool_fail_why(err.reason, "unable to assemble VGs: %s", err.msg);
			rc = lvm_select(&s, &rq, &t, &n, &err);
		}
		if (rc == 0 || !retryable(rc) || monotonic_s() >= deadline)
			break;
		log_debug("waiting: %s", err.msg);
		lvm_scan_free(&s);
		lvm_devlist_free(&l);
		nanosleep(&(struct timespec){ 0, 250 * 1000 * 1000 }, NULL);
	}
	show_notes(&s, &dn);
	if (rc < 0)
		tool_fail_why(err.reason, "unable to activate: %s", err.msg);
	if (n == 0)
		log_notice("no LV to activate");

	d = make_devs(o, &s, t, n);
	if (o->dry_run) {
		for (unsigned i = 0; i < n; i++) {
			log_info("%s/%s as %s%s, UUID %s", d[i].vg, d[i].lv, d[i].name,
				 d[i].read_only ? " (read-only)" : "", d[i].uuid);
			lvm_dm_table_write(stdout, d[i].name, &d[i].table);
		}
		if (fflush(stdout) != 0 || ferror(stdout))
			tool_fail("unable to write: %s", strerror(errno));
	} else if (n) {
		if (lvm_activate(d, n, o->devdir, LVM_LOCK_DIR, &err) < 0)
			tool_fail_why(err.reason, "unable to activate: %s", err.msg);
		for (unsigned i = 0; i < n; i++) {
			log_notice("%s/%s: %s/mapper/%s%s%s", d[i].vg, d[i].lv, o->devdir,
				   d[i].name, d[i].read_only ? " (read-only)" : "",
				   d[i].existed ? " (was already active)" : "");
			log_info("%s/mapper/%s is %s", o->devdir, d[i].name,
				 d[i].by_udev ? "udev's link" : "a node");
		}
	}
	free_devs(d, n);
	free(t);
	lvm_scan_free(&s);
	lvm_devlist_free(&l);
	return 0;
}

enum { OPT_VG = 256, OPT_LV, OPT_PARTIAL, OPT_ANY, OPT_DEVDIR, OPT_NO_PLAN, OPT_NO_MPATH, OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "vg", required_argument, NULL, OPT_VG },
		{ "lv", required_argument, NULL, OPT_LV },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "partial", no_argument, NULL, OPT_PARTIAL },
		{ "any-device", no_argument, NULL, OPT_ANY },
		{ "no-multipath", no_argument, NULL, OPT_NO_MPATH },
		{ "wait", required_argument, NULL, 'w' },
		{ "dev-dir", required_argument, NULL, OPT_DEVDIR },
		PLAN_OPTIONS,
		{ "no-plan", no_argument, NULL, OPT_NO_PLAN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 }
	};
	struct opts o = { .devdir = "/dev" };
	char *end;
	int c;

	tool_init("sanroot-lvm");
	if (argc > 1 && !strcmp(argv[1], "scan")) {
		o.scan = true;
		argv++;
		argc--;
	}
	while ((c = getopt_long(argc, argv, "anrw:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': o.all = true; break;
		case OPT_VG:
			if (o.nvg == MAX_NAMED)
				tool_usage_error("more than %d --vg", MAX_NAMED);
			o.vg[o.nvg++] = optarg;
			break;
		case OPT_LV:
			if (o.nlv == MAX_NAMED)
				tool_usage_error("more than %d --lv", MAX_NAMED);
			if (!strchr(optarg, '/'))
				tool_usage_error("--lv %s: expected VG/LV", optarg);
			o.lv[o.nlv++] = optarg;
			break;
		case 'n': o.dry_run = true; break;
		case 'r': o.read_only = true; break;
		case OPT_PARTIAL: o.partial = true; break;
		case OPT_ANY: o.any_device = true; break;
		case OPT_NO_MPATH: o.no_multipath = true; break;
		case 'w':
			errno = 0;
			o.wait = (unsigned)strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || o.wait > 3600)
				tool_usage_error("--wait %s: expected seconds, at most 3600",
						 optarg);
			break;
		case OPT_DEVDIR: o.devdir = optarg; break;
		case OPT_NO_PLAN: o.no_plan = true; break;
		case 'v': tool_verbosity++; break;
		case 'h': usage(); return 0;
		case OPT_VERSION: printf("sanroot-lvm %s\n", SANROOT_VERSION); return 0;
		default:
			if (!plan_opt(&o.plan, c, optarg))
				tool_usage_error("unknown option");
		}
	}
	if (o.scan && (o.all || o.nvg || o.nlv || o.dry_run || o.read_only || o.partial))
		tool_usage_error("scan changes nothing: it takes no activation options");
	o.paths = (const char *const *)argv + optind;
	o.npaths = (unsigned)(argc - optind);
	return o.scan ? do_scan(&o) : do_activate(&o);
}
