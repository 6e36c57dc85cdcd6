// SPDX-License-Identifier: GPL-2.0-only
/* sanroot-iscsi's rescue commands: discover, probe, read and write over a plain TCP session. */
#include <blkid/blkid.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "iscsi/iscsi_discovery.h"
#include "iscsi/iscsi_session.h"
#include "iscsi/iscsi_tcp.h"
#include "core/quote.h"
#include "iscsi/scsi.h"
#include "iscsi/vpd.h"
#include "../tool.h"
#include "cli.h"
#include "commands.h"

#define PROBE_BYTES (128u << 10)	/* what libblkid sees of each LUN: every usual superblock */
#define IO_CHUNK    (1u << 20)		/* bytes per READ(16)/WRITE(16) */
#define MAX_LUNS    256

static struct iscsi_session sess;
static struct iscsi_transport *conn;
static struct plan_target target;
static char where[HOSTPORT_TEXT_MAX];

static void forget_target(void)
{
	explicit_bzero(&target, sizeof(target));
}

/* ---- session ---------------------------------------------------------------------- */

static void login(const struct plan_target *t)
{
	struct iscsi_login_params p;
	struct iscsi_connect_policy pol;
	struct iscsi_login_result r;
	struct hostport used;
	struct sr_error err = { 0 };
	int rc;

	cli_login_params(t, &p);
	cli_policy(&pol);
	rc = iscsi_connect(&cli_tcp, t->portal, t->nportals, &p, &pol, &conn, &used, &r, &err);
	hostport_format(&used, where, sizeof(where));
	if (rc < 0)
		tool_fail_why(err.reason, "unable to log in to %s at %s: %s", t->name, where, err.msg);
	rc = iscsi_session_start(&sess, conn, &r, &cli.log, &err);
	if (rc < 0)
		tool_fail_why(err.reason, "unable to start the session with %s: %s", where, err.msg);
	log_info("logged in to %s at %s (TSIH %u)", t->name, where, r.tsih);
}

static void logout(void)
{
	struct sr_error err = { 0 };

	if (iscsi_logout(&sess, cli.deadline, &err) < 0)
		log_warn("logout from %s failed: %s", where, err.msg);
	cli_close(conn);
	conn = NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * One command, retried on a unit attention (a fresh I_T nexus reports one)
 * and while the target is busy. Any status but GOOD becomes an error naming
 * the sense key.
 */
static int scsi_do(uint64_t lun, const uint8_t *cdb, size_t cdb_len, enum scsi_dir dir, void *buf,
		   size_t len, struct scsi_result *res, const char *what, struct sr_error *err)
{
	for (int tries = 0;; tries++) {
		struct scsi_sense s = { 0 };
		int rc = iscsi_scsi(&sess, lun, cdb, cdb_len, dir, buf, len, res, cli.deadline, err);

		if (rc < 0)
			return rc;
		if (res->status == SCSI_GOOD)
			return 0;
		if (res->status == SCSI_CHECK_CONDITION &&
		    scsi_parse_sense(res->sense, res->sense_len, &s) == 0 &&
		    s.key == SCSI_SENSE_UNIT_ATTENTION && tries < 4)
			continue;
		if ((res->status == SCSI_BUSY || res->status == SCSI_TASK_SET_FULL) && tries < 20 &&
		    monotonic_ms() + 100 < cli.deadline) {
			sleep_ms(100);
			continue;
		}
		if (res->status == SCSI_CHECK_CONDITION)
			return sr_fail(err, EIO, "%s failed: %s (ASC 0x%02x, ASCQ 0x%02x)", what,
				       scsi_sense_key_name(s.key), s.asc, s.ascq);
		return sr_fail(err, EIO, "%s failed: %s (status 0x%02x)", what,
			       scsi_status_name(res->status), res->status);
	}
}

static int read_capacity(uint64_t lun, struct scsi_capacity *cap, struct sr_error *err)
{
	uint8_t cdb[16], buf[32];
	struct scsi_result res;
	size_t n = scsi_cdb_read_capacity16(cdb, sizeof(buf));
	int rc;

	rc = scsi_do(lun, cdb, n, SCSI_DIR_READ, buf, sizeof(buf), &res, "READ CAPACITY (16)", err);
	if (rc < 0)
		return rc;
	return scsi_parse_read_capacity16(buf, res.transferred, cap, err);
}

/* ---- output --------------------------------------------------------------------------- */

/* A wire string as a shell word: printable ASCII only, then single-quoted. */
static void put_word(const char *key, const char *s)
{
	char tmp[512];

	printf(" %s=", key);
	quote_shell(stdout, quote_printable(tmp, sizeof(tmp), s, strlen(s)));
}

static void finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		tool_fail("unable to write to standard output: %s", strerror(errno));
}

/* ---- discover --------------------------------------------------------------------------- */

int cmd_discover(int argc, char **argv)
{
	static struct iscsi_discovery d;
	struct hostport portals[PLAN_MAX_PORTALS];
	struct iscsi_login_params p;
	struct iscsi_connect_policy pol;
	struct sr_error err = { 0 };
	char asked[HOSTPORT_TEXT_MAX];
	unsigned n = 0;

	memset(&target, 0, sizeof(target));
	target.tpgt = -1;
	for (int i = 1; i < argc; i++) {
		struct plan_target t;

		cli_target(argv[i], false, &t);
		for (unsigned j = 0; j < t.nportals && n < PLAN_MAX_PORTALS; j++)
			portals[n++] = t.portal[j];
		if (t.chap.name[0] && !target.chap.name[0]) {
			target.chap = t.chap;	/* credentials from a URL */
			target.rchap = t.rchap;
		}
		explicit_bzero(&t, sizeof(t));
	}
	if (argc < 2) {
		for (unsigned i = 0; cli.have_plan && i < cli.plan.ntargets; i++)
			for (unsigned j = 0; j < cli.plan.target[i].nportals && n < PLAN_MAX_PORTALS; j++)
				portals[n++] = cli.plan.target[i].portal[j];
		if (n == 0)
			tool_usage_error("discover needs a PORTAL (the boot plan names none)");
	}
	if (cli.chap_given)
		target.chap = cli.chap;
	if (cli.rchap_given)
		target.rchap = cli.rchap;
	if (target.chap.name[0] && !target.chap.secret[0])
		tool_usage_error("CHAP name '%s' has no secret", target.chap.name);
	cli_login_params(&target, &p);
	cli_policy(&pol);
	if (iscsi_discover(&cli_tcp, portals, n, &p, &pol, &d, &err) < 0) {
		hostport_format(&d.asked, asked, sizeof(asked));
		forget_target();
		tool_fail_why(err.reason, "unable to discover targets at %s: %s", asked, err.msg);
	}
	forget_target();
	hostport_format(&d.asked, asked, sizeof(asked));
	if (d.replaced)
		log_warn("%s answered with %u loopback or unusable portal%s (a target behind NAT?); using %s, the portal we asked, instead",
			 asked, d.replaced, d.replaced == 1 ? "" : "s", asked);
	if (d.zoned)
		log_info("%s answered with %u link-local portal%s; they take its interface's zone", asked,
			 d.zoned, d.zoned == 1 ? "" : "s");
	if (d.skipped) {
		char first[HOSTPORT_TEXT_MAX];

		hostport_format(&d.first_skipped, first, sizeof(first));
		log_warn("%s answered with %u portal%s this host cannot reach, left out (the first: %s, %s)",
			 asked, d.skipped, d.skipped == 1 ? "" : "s", first,
			 d.first_skipped_link_local ?
			 "link-local, and no interface to use it on: ask through [fe80::...%IFACE]" :
			 "no route to it");
	}
	if (d.more)
		log_warn("%s lists more than %d targets; the rest is left out", asked, ISCSI_DISCOVERY_MAX);
	for (unsigned i = 0; i < d.n; i++) {
		char name[PLAN_NAME_MAX * 4 + 1];

		quote_printable(name, sizeof(name), d.target[i].name, strlen(d.target[i].name));
		if (d.target[i].nportals == 0 && d.target[i].skipped) {
			log_warn("%s: no portal of it is reachable from here", name);
			continue;
		}
		if (d.target[i].nportals == 0)
			printf("%s %s\n", asked, name);
		for (unsigned j = 0; j < d.target[i].nportals; j++) {
			char portal[HOSTPORT_TEXT_MAX];

			hostport_format(&d.target[i].portal[j], portal, sizeof(portal));
			if (d.target[i].tpgt[j] >= 0)
				printf("%s,%d %s\n", portal, d.target[i].tpgt[j], name);
			else
				printf("%s %s\n", portal, name);
		}
		if (d.target[i].dropped)
			log_warn("%s: %u more portals left out", name, d.target[i].dropped);
	}
	finish_output();
	return 0;
}

/* ---- probe --------------------------------------------------------------------------------- */

static bool block_device_type(uint8_t type)
{
	return type == 0x00 || type == 0x05 || type == 0x07 || type == 0x0e || type == 0x14;
}

/*
 * What libblkid makes of the first bytes of a LUN, read into memfd (a file
 * the size of the LUN, sparse beyond them). ZFS is left out: its labels span
 * the whole device, and probing them costs more than everything else.
 */
static void describe_content(int fd, uint64_t size)
{
	static char *skip[] = { "zfs_member", NULL };
	blkid_probe pr;
	const char *v;
	int rc;

	pr = blkid_new_probe();
	if (!pr || ftruncate(fd, (off_t)size) < 0 || blkid_probe_set_device(pr, fd, 0, (blkid_loff_t)size) < 0) {
		printf(" content=unknown");
		goto out;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID |
					  BLKID_SUBLKS_LABEL | BLKID_SUBLKS_VERSION);
	blkid_probe_filter_superblocks_type(pr, BLKID_FLTR_NOTIN, skip);
	blkid_probe_enable_partitions(pr, 1);
	rc = blkid_do_safeprobe(pr);
	if (rc == -2) {
		printf(" content=ambiguous");
		goto out;
	}
	if (rc != 0) {
		printf(" content=%s", rc == 1 ? "none" : "unknown");
		goto out;
	}
	if (blkid_probe_lookup_value(pr, "PTTYPE", &v, NULL) == 0) {
		char pttype[32];
		blkid_partlist ls;

		/* Copied first: getting the partition list frees the probe's values. */
		snprintf(pttype, sizeof(pttype), "%s", v);
		ls = blkid_probe_get_partitions(pr);
		put_word("content", "partitions");
		put_word("pttype", pttype);
		if (ls)
			printf(" partitions=%d", blkid_partlist_numof_partitions(ls));
	} else if (blkid_probe_lookup_value(pr, "TYPE", &v, NULL) == 0) {
		put_word("content", v);
		if (blkid_probe_lookup_value(pr, "VERSION", &v, NULL) == 0)
			put_word("version", v);
		if (blkid_probe_lookup_value(pr, "UUID", &v, NULL) == 0)
			put_word("uuid", v);
		if (blkid_probe_lookup_value(pr, "LABEL", &v, NULL) == 0)
			put_word("label", v);
	} else {
		printf(" content=unknown");
	}
out:
	if (pr)
		blkid_free_probe(pr);
}

/*
 * What probe learns about one LUN. Its commands travel together: INQUIRY,
 * the serial number page, TEST UNIT READY (which takes the unit attention a
 * new I_T nexus reports, so that the rest need no retry) and READ CAPACITY
 * (16) in one round trip for every LUN, then the first bytes of each block
 * device in a second.
 */
struct lun_probe {
	uint64_t lun;
	struct iscsi_task inq_t, vpd_t, id_t, tur_t, cap_t, read_t;
	uint8_t inq[96], vpd[255], id[1024], cap[32];
	int fd;				/* memfd the first bytes are read into */
	uint8_t *data;			/* its mapping, PROBE_BYTES long */
	size_t data_len;		/* what libblkid gets of it */
	bool read_sent;
	struct scsi_inquiry inquiry;
	struct scsi_capacity capacity;
	bool have_inquiry, have_capacity, have_data;
	char error[160];
};

/*
 * Each LUN has up to PROBE_TASKS commands in flight; LUNs 0 and 1, asked
 * about early, may hold theirs until the end.
 */
#define PROBE_TASKS 6
#define PROBE_BATCH ((ISCSI_TASKS_MAX - 2 * PROBE_TASKS - 1) / PROBE_TASKS)

/* Whether a finished task's command succeeded; err says why not. */
static bool task_good(const struct iscsi_task *t, const char *what, struct sr_error *err)
{
	struct scsi_sense s = { 0 };

	if (t->rc < 0) {
		sr_fail(err, -t->rc, "%s", t->why);
		return false;
	}
	if (t->res.status == SCSI_GOOD)
		return true;
	if (t->res.status == SCSI_CHECK_CONDITION) {
		scsi_parse_sense(t->res.sense, t->res.sense_len, &s);
		sr_fail(err, EIO, "%s failed: %s (ASC 0x%02x, ASCQ 0x%02x)", what,
			scsi_sense_key_name(s.key), s.asc, s.ascq);
	} else {
		sr_fail(err, EIO, "%s failed: %s", what, scsi_status_name(t->res.status));
	}
	return false;
}

static void submit(struct iscsi_task *t, uint64_t lun, const uint8_t *cdb, size_t n, void *buf, size_t len)
{
	struct sr_error err = { 0 };

	if (iscsi_submit(&sess, t, lun, cdb, n, len ? SCSI_DIR_READ : SCSI_DIR_NONE, buf, len,
			 cli.deadline, &err) < 0)
		tool_fail_why(err.reason, "unable to probe %s: %s", where, err.msg);
}

static void wait_task(struct iscsi_task *t)
{
	struct sr_error err = { 0 };

	/* A task's own failure is kept in t; only a broken connection ends the probe. */
	if (iscsi_wait(&sess, t, cli.deadline, &err) < 0 && !t->done)
		tool_fail_why(err.reason, "unable to probe %s: %s", where, err.msg);
}

static void probe_round1(struct lun_probe *l)
{
	uint8_t cdb[16];
	size_t n;

	n = scsi_cdb_inquiry(cdb, false, 0, sizeof(l->inq));
	submit(&l->inq_t, l->lun, cdb, n, l->inq, sizeof(l->inq));
	n = scsi_cdb_inquiry(cdb, true, 0x80, sizeof(l->vpd));
	submit(&l->vpd_t, l->lun, cdb, n, l->vpd, sizeof(l->vpd));
	n = scsi_cdb_inquiry(cdb, true, 0x83, sizeof(l->id));
	submit(&l->id_t, l->lun, cdb, n, l->id, sizeof(l->id));
	n = scsi_cdb_test_unit_ready(cdb);
	submit(&l->tur_t, l->lun, cdb, n, NULL, 0);
	n = scsi_cdb_read_capacity16(cdb, sizeof(l->cap));
	submit(&l->cap_t, l->lun, cdb, n, l->cap, sizeof(l->cap));

	if (cli.no_content)
		return;
	/*
	 * The first bytes too, before the block size is known: PROBE_BYTES in
	 * 512-byte blocks. With larger blocks the command asks for more than
	 * the expected length, and the target stops there (RFC 7143 §11.4.5.2:
	 * residual overflow). They go straight into a file libblkid can read.
	 */
	l->fd = memfd_create("sanroot-probe", MFD_CLOEXEC);
	if (l->fd < 0 || ftruncate(l->fd, PROBE_BYTES) < 0 ||
	    (l->data = mmap(NULL, PROBE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, l->fd, 0)) == MAP_FAILED) {
		l->data = NULL;
		return;
	}
	scsi_cdb_read16(cdb, 0, PROBE_BYTES / 512);
	submit(&l->read_t, l->lun, cdb, 16, l->data, PROBE_BYTES);
	l->read_sent = true;
}

static void probe_round2(struct lun_probe *l)
{
	struct sr_error err = { 0 };
	struct scsi_sense s;
	uint8_t cdb[16];
	size_t n;

	wait_task(&l->inq_t);
	wait_task(&l->vpd_t);
	wait_task(&l->id_t);
	wait_task(&l->tur_t);
	wait_task(&l->cap_t);
	if (l->read_sent)
		wait_task(&l->read_t);
	if (!task_good(&l->inq_t, "INQUIRY", &err) ||
	    scsi_parse_inquiry(l->inq, l->inq_t.res.transferred, &l->inquiry, &err) < 0) {
		snprintf(l->error, sizeof(l->error), "%s", err.msg);
		return;
	}
	l->have_inquiry = true;
	if (l->inquiry.qualifier != 0 || !block_device_type(l->inquiry.type))
		return;
	if (!task_good(&l->cap_t, "READ CAPACITY (16)", &err)) {
		/* The unit attention went to this command rather than to TEST UNIT READY. */
		if (scsi_parse_sense(l->cap_t.res.sense, l->cap_t.res.sense_len, &s) < 0 ||
		    s.key != SCSI_SENSE_UNIT_ATTENTION || read_capacity(l->lun, &l->capacity, &err) < 0) {
			snprintf(l->error, sizeof(l->error), "%s", err.msg);
			return;
		}
	} else if (scsi_parse_read_capacity16(l->cap, l->cap_t.res.transferred, &l->capacity, &err) < 0) {
		snprintf(l->error, sizeof(l->error), "%s", err.msg);
		return;
	}
	l->have_capacity = true;
	if (cli.no_content)
		return;
	n = PROBE_BYTES;
	if (n / l->capacity.block_size > l->capacity.blocks)
		n = (size_t)(l->capacity.blocks * l->capacity.block_size);
	n -= n % l->capacity.block_size;
	if (n == 0 || !l->data)
		return;
	l->data_len = n;
	if (l->read_sent && l->read_t.rc == 0 && l->read_t.res.status == SCSI_GOOD &&
	    l->read_t.res.transferred == n)
		return;
	/* A LUN smaller than PROBE_BYTES, or a unit attention: ask again, sized right. */
	scsi_cdb_read16(cdb, 0, (uint32_t)(n / l->capacity.block_size));
	submit(&l->read_t, l->lun, cdb, 16, l->data, n);
}

/*
 * The LUN's identity as Linux names it: wwid= is udev's ID_SERIAL, the WWID
 * multipath-tools groups paths by; sysfs_wwid= is /sys/block/sdX/device/wwid.
 * Like scsi_id, fall back to the serial number when page 0x83 names nothing.
 */
static void print_wwid(struct lun_probe *l)
{
	static struct scsi_devid id;
	struct sr_error err = { 0 };
	char wwid[SCSI_SYSFS_WWID_MAX], dump[2 * sizeof(l->id) + 1];
	const uint8_t *vendor = l->inq + 8, *product = l->inq + 16;
	bool have83;
	int rc = -ENOENT;

	have83 = task_good(&l->id_t, "INQUIRY (device identification)", &err);
	if (have83) {
		size_t n = l->id_t.res.transferred < sizeof(l->id) ? l->id_t.res.transferred : sizeof(l->id);

		/* the raw page, for captures: --verbose twice */
		dump[0] = '\0';
		for (size_t i = 0; i < n; i++)
			snprintf(dump + 2 * i, 3, "%02x", l->id[i]);
		log_debug("lun %llu: VPD page 0x83: %s", (unsigned long long)l->lun, dump);
		if (scsi_parse_devid(l->id, n, &id, &err) < 0) {
			put_word("wwid_error", err.msg);
			return;
		}
		rc = scsi_wwid_udev(&id, vendor, product, wwid);
	}
	if (rc < 0 && task_good(&l->vpd_t, "INQUIRY (serial)", &err))
		rc = scsi_wwid_udev_serial(l->vpd, l->vpd_t.res.transferred, vendor, product, wwid, &err);
	if (rc == 0)
		put_word("wwid", wwid);
	if (have83 && scsi_wwid_sysfs(&id, wwid) == 0)
		put_word("sysfs_wwid", wwid);
}

static void probe_print(struct lun_probe *l)
{
	struct sr_error err = { 0 };
	char serial[128];

	printf("lun %llu", (unsigned long long)l->lun);
	if (!l->have_inquiry) {
		put_word("error", l->error);
		goto out;
	}
	if (l->inquiry.qualifier != 0) {
		printf(" type=none");
		goto out;
	}
	if (scsi_type_name(l->inquiry.type))
		printf(" type=%s", scsi_type_name(l->inquiry.type));
	else
		printf(" type=0x%02x", l->inquiry.type);
	put_word("vendor", l->inquiry.vendor);
	put_word("product", l->inquiry.product);
	put_word("revision", l->inquiry.revision);
	if (task_good(&l->vpd_t, "INQUIRY (serial)", &err) &&
	    scsi_parse_unit_serial(l->vpd, l->vpd_t.res.transferred, serial, sizeof(serial), &err) == 0)
		put_word("serial", serial);
	print_wwid(l);
	if (!block_device_type(l->inquiry.type))
		goto out;
	if (!l->have_capacity) {
		put_word("error", l->error);
		goto out;
	}
	printf(" blocks=%llu block_size=%u size=%llu", (unsigned long long)l->capacity.blocks,
	       l->capacity.block_size, (unsigned long long)(l->capacity.blocks * l->capacity.block_size));
	if (cli.no_content) {
		/* not asked */
	} else if (!l->data_len) {
		printf(" content=unreadable");
	} else if (!task_good(&l->read_t, "READ (16)", &err) || l->read_t.res.transferred != l->data_len) {
		printf(" content=unreadable");
		put_word("error", l->read_t.res.transferred != l->data_len && !err.msg[0] ?
			 "short read" : err.msg);
	} else {
		munmap(l->data, PROBE_BYTES);
		l->data = NULL;
		describe_content(l->fd, l->capacity.blocks * l->capacity.block_size);
	}
out:
	printf("\n");
	if (l->data)
		munmap(l->data, PROBE_BYTES);
	l->data = NULL;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

/*
 * LUNs 0 and 1 are asked about together with REPORT LUNS, before its answer
 * is in: every target answers for LUN 0, LIO puts its first disk there and
 * tgt at 1. That saves a round trip in the usual case; the answers for a LUN
 * the target does not report are dropped.
 */
static struct lun_probe early[2];
static bool early_used[2];

static void probe_early(void)
{
	for (unsigned i = 0; i < 2; i++) {
		memset(&early[i], 0, sizeof(early[i]));
		early[i].lun = i;
		early[i].fd = -1;
		probe_round1(&early[i]);
	}
}

static void probe_luns(const uint64_t *luns, unsigned count)
{
	static struct lun_probe pool[PROBE_BATCH];
	struct lun_probe *batch[PROBE_BATCH];

	for (unsigned first = 0; first < count; first += PROBE_BATCH) {
		unsigned n = count - first < PROBE_BATCH ? count - first : PROBE_BATCH;

		for (unsigned i = 0; i < n; i++) {
			uint64_t lun = luns[first + i];

			if (lun < 2 && !early_used[lun]) {
				early_used[lun] = true;
				batch[i] = &early[lun];
				continue;
			}
			batch[i] = &pool[i];
			memset(batch[i], 0, sizeof(*batch[i]));
			batch[i]->lun = lun;
			batch[i]->fd = -1;
			probe_round1(batch[i]);
		}
		for (unsigned i = 0; i < n; i++)
			probe_round2(batch[i]);
		for (unsigned i = 0; i < n; i++) {
			if (batch[i]->data_len)
				wait_task(&batch[i]->read_t);
			probe_print(batch[i]);
		}
	}
	/* Drain what was asked of a LUN the target did not report. */
	for (unsigned i = 0; i < 2; i++) {
		if (early_used[i])
			continue;
		wait_task(&early[i].inq_t);
		wait_task(&early[i].vpd_t);
		wait_task(&early[i].id_t);
		wait_task(&early[i].tur_t);
		wait_task(&early[i].cap_t);
		if (early[i].read_sent)
			wait_task(&early[i].read_t);
		if (early[i].data)
			munmap(early[i].data, PROBE_BYTES);
		if (early[i].fd >= 0)
			close(early[i].fd);
	}
}

int cmd_probe(int argc, char **argv)
{
	static uint8_t buf[16 + 8 * MAX_LUNS];
	uint64_t luns[MAX_LUNS];
	struct iscsi_task report;
	struct sr_error err = { 0 };
	const struct iscsi_op_params *n = &sess.login.neg;
	uint8_t cdb[16];
	unsigned count = 0;
	uint32_t total = 0;
	size_t len;

	if (argc > 2)
		tool_usage_error("probe takes one TARGET");
	cli_target(argc == 2 ? argv[1] : NULL, true, &target);
	login(&target);
	printf("target");
	put_word("name", target.name);
	printf(" portal=%s", where);
	if (sess.login.tpgt >= 0)
		printf(" tpgt=%d", sess.login.tpgt);
	if (sess.login.target_alias[0])
		put_word("alias", sess.login.target_alias);
	printf("\nsession tsih=%u auth=", sess.login.tsih);
	if (sess.login.chap_alg)
		printf("CHAP-%s%s", chap_alg_name(sess.login.chap_alg, sess.login.chap7_sha1),
		       sess.login.mutual ? "-mutual" : "");
	else
		printf("none");
	printf(" header_digest=%s data_digest=%s max_recv=%u max_xmit=%u first_burst=%u max_burst=%u"
	       " immediate_data=%s initial_r2t=%s\n",
	       n->header_digest ? "CRC32C" : "None", n->data_digest ? "CRC32C" : "None",
	       n->max_recv_dsl, n->max_xmit_dsl, n->first_burst, n->max_burst,
	       n->immediate_data ? "Yes" : "No", n->initial_r2t ? "Yes" : "No");
	forget_target();

	if (cli.one_lun) {
		/* One LUN asked for by number: no REPORT LUNS, no guessing. */
		early_used[0] = early_used[1] = true;
		luns[0] = cli.lun;
		probe_luns(luns, 1);
		logout();
		finish_output();
		return 0;
	}
	len = scsi_cdb_report_luns(cdb, sizeof(buf));
	submit(&report, 0, cdb, len, buf, sizeof(buf));
	probe_early();
	wait_task(&report);
	if (!task_good(&report, "REPORT LUNS", &err) ||
	    scsi_parse_report_luns(buf, report.res.transferred, luns, MAX_LUNS, &count, &total, &err) < 0) {
		log_warn("REPORT LUNS: %s; probing LUN 0 alone", err.msg);
		luns[0] = 0;
		count = 1;
	}
	if (total > count)
		log_warn("the target has %u LUNs; probing the first %u", total, count);
	probe_luns(luns, count);
	logout();
	finish_output();
	return 0;
}

/* ---- read and write ---------------------------------------------------------------------------- */

static uint64_t parse_size(const char *v, const char *what)
{
	unsigned long long n;
	char *end;
	int shift = 0;

	const char *digits = v;
	int base = 10;

	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		digits = v + 2;
		base = 16;	/* and never octal: 010 is ten */
	}
	errno = 0;
	n = strtoull(digits, &end, base);
	if (errno || end == digits || !((digits[0] >= '0' && digits[0] <= '9') ||
					(base == 16 && isxdigit((unsigned char)digits[0]))))
		tool_usage_error("%s '%s' is not a number", what, v);
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: break;
	}
	if (*end || (shift && n > (~0ULL >> shift)))
		tool_usage_error("%s '%s' is not a number", what, v);
	return (uint64_t)n << shift;
}

/* TARGET [LUN] OFFSET LENGTH: the LUN may come with the target (iscsi://.../LUN). */
static void range_args(int argc, char **argv, uint64_t *lun, uint64_t *off, uint64_t *len)
{
	int i = 2;

	if (argc < 2)
		tool_usage_error("%s needs TARGET LUN OFFSET LENGTH", argv[0]);
	cli_target(argv[1], true, &target);
	if (!target.lun_set || argc == 5) {
		if (argc != 5)
			tool_usage_error("%s needs TARGET LUN OFFSET LENGTH", argv[0]);
		*lun = parse_size(argv[i++], "LUN");
	} else {
		if (argc != 4)
			tool_usage_error("%s needs TARGET OFFSET LENGTH when TARGET carries the LUN", argv[0]);
		*lun = target.lun;
	}
	*off = parse_size(argv[i++], "OFFSET");
	*len = parse_size(argv[i], "LENGTH");
}

static void check_range(uint64_t lun, uint64_t off, uint64_t len, struct scsi_capacity *cap)
{
	struct sr_error err = { 0 };
	uint64_t size;

	if (read_capacity(lun, cap, &err) < 0)
		tool_fail_why(err.reason, "unable to read the capacity of LUN %llu: %s", (unsigned long long)lun, err.msg);
	size = cap->blocks * cap->block_size;
	if (off > size || len > size - off)
		tool_fail("bytes %llu..%llu are beyond the end of LUN %llu (%llu bytes)",
			  (unsigned long long)off, (unsigned long long)(off + len),
			  (unsigned long long)lun, (unsigned long long)size);
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			tool_fail("unable to write to standard output: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

/* A read of [off, off + len) in commands of up to IO_CHUNK, READ_DEPTH in flight. */
#define READ_DEPTH 4

struct read_slot {
	struct iscsi_task t;
	uint8_t *buf;
	uint64_t lba;
	uint32_t blocks;
	size_t skip, n;		/* the bytes of buf that go out */
};

int cmd_read(int argc, char **argv)
{
	static struct read_slot q[READ_DEPTH];
	struct scsi_capacity cap;
	struct sr_error err = { 0 };
	uint64_t lun, off, len, lba, left;
	uint32_t bs, per;
	size_t skip;
	unsigned head = 0, busy = 0;

	range_args(argc, argv, &lun, &off, &len);
	login(&target);
	forget_target();
	check_range(lun, off, len, &cap);
	bs = cap.block_size;
	per = bs >= IO_CHUNK ? 1 : IO_CHUNK / bs;
	for (unsigned i = 0; i < READ_DEPTH; i++)
		if (!(q[i].buf = malloc((size_t)per * bs)))
			tool_fail("unable to allocate %u bytes", per * bs);
	lba = off / bs;
	skip = (size_t)(off % bs);
	left = len;
	while (left || busy) {
		/* Keep the pipe full, in order. */
		while (left && busy < READ_DEPTH) {
			struct read_slot *s = &q[(head + busy) % READ_DEPTH];
			uint64_t need = (skip + left + bs - 1) / bs;
			uint8_t cdb[16];

			s->lba = lba;
			s->blocks = need < per ? (uint32_t)need : per;
			s->skip = skip;
			s->n = (size_t)s->blocks * bs - skip;
			if (s->n > left)
				s->n = (size_t)left;
			scsi_cdb_read16(cdb, s->lba, s->blocks);
			if (iscsi_submit(&sess, &s->t, lun, cdb, 16, SCSI_DIR_READ, s->buf, (size_t)s->blocks * bs,
					 cli.deadline, &err) < 0)
				tool_fail_why(err.reason, "unable to read LUN %llu at block %llu: %s", (unsigned long long)lun,
					  (unsigned long long)lba, err.msg);
			left -= s->n;
			lba += s->blocks;
			skip = 0;
			busy++;
		}
		struct read_slot *s = &q[head];

		if (iscsi_wait(&sess, &s->t, cli.deadline, &err) < 0 ||
		    (s->t.res.status != SCSI_GOOD && sr_fail(&err, EIO, "READ (16) failed: %s",
							     scsi_status_name(s->t.res.status))) ||
		    (s->t.res.transferred != (size_t)s->blocks * bs &&
		     sr_fail(&err, EIO, "READ (16) returned %zu of %zu bytes", s->t.res.transferred,
			     (size_t)s->blocks * bs)))
			tool_fail_why(err.reason, "unable to read LUN %llu at block %llu: %s", (unsigned long long)lun,
				  (unsigned long long)s->lba, err.msg);
		write_all(STDOUT_FILENO, s->buf + s->skip, s->n);
		head = (head + 1) % READ_DEPTH;
		busy--;
	}
	for (unsigned i = 0; i < READ_DEPTH; i++)
		free(q[i].buf);
	logout();
	return 0;
}

static size_t read_full(int fd, uint8_t *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			tool_fail("unable to read standard input: %s", strerror(errno));
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return got;
}

int cmd_write(int argc, char **argv)
{
	struct scsi_capacity cap;
	struct scsi_result res;
	struct sr_error err = { 0 };
	uint64_t lun, off, len, lba, done = 0;
	uint32_t bs, per;
	static uint8_t *buf;	/* static: still reachable when a failure exits */
	uint8_t cdb[16];

	range_args(argc, argv, &lun, &off, &len);
	if (!cli.allow_write)
		tool_usage_error("write changes the LUN; add --allow-write to mean it");
	login(&target);
	forget_target();
	check_range(lun, off, len, &cap);
	bs = cap.block_size;
	if (off % bs || len % bs)
		tool_usage_error("OFFSET and LENGTH must be multiples of the block size (%u)", bs);
	per = bs >= IO_CHUNK ? 1 : IO_CHUNK / bs;
	buf = malloc((size_t)per * bs);
	if (!buf)
		tool_fail("unable to allocate %u bytes", per * bs);
	lba = off / bs;
	while (done < len) {
		uint64_t left = (len - done) / bs;
		uint32_t blocks = left < per ? (uint32_t)left : per;
		size_t n = (size_t)blocks * bs, got;

		got = read_full(STDIN_FILENO, buf, n);
		if (got != n)
			tool_fail("standard input ended after %llu bytes; LENGTH is %llu",
				  (unsigned long long)(done + got), (unsigned long long)len);
		scsi_cdb_write16(cdb, lba, blocks);
		if (scsi_do(lun, cdb, 16, SCSI_DIR_WRITE, buf, n, &res, "WRITE (16)", &err) < 0)
			tool_fail_why(err.reason, "unable to write LUN %llu at block %llu: %s", (unsigned long long)lun,
				  (unsigned long long)lba, err.msg);
		done += n;
		lba += blocks;
	}
	free(buf);
	logout();
	log_info("wrote %llu bytes to LUN %llu", (unsigned long long)len, (unsigned long long)lun);
	return 0;
}
