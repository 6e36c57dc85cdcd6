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

#include "../../lib/iscsi_discovery.h"
#include "../../lib/iscsi_session.h"
#include "../../lib/iscsi_tcp.h"
#include "../../lib/quote.h"
#include "../../lib/scsi.h"
#include "../tool.h"
#include "sanroot-iscsi.h"

#define PROBE_BYTES (1u << 20)		/* what libblkid sees of each LUN */
#define IO_CHUNK    (1u << 20)		/* bytes per READ(16)/WRITE(16) */
#define MAX_LUNS    256

static struct iscsi_session sess;
static struct iscsi_transport *conn;
static struct plan_target target;
static char where[PLAN_HOST_MAX + 8];

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
	struct plan_portal used;
	struct sr_error err = { 0 };
	int rc;

	cli_login_params(t, &p);
	cli_policy(&pol);
	rc = iscsi_connect(&cli_tcp, t->portal, t->nportals, &p, &pol, &conn, &used, &r, &err);
	iscsi_portal_format(&used, where, sizeof(where));
	if (rc < 0)
		tool_fail("unable to log in to %s at %s: %s", t->name, where, err.msg);
	rc = iscsi_session_start(&sess, conn, &r, &cli.log, &err);
	if (rc < 0)
		tool_fail("unable to start the session with %s: %s", where, err.msg);
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
		    iscsi_now_ms() + 100 < cli.deadline) {
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

static int read_blocks(uint64_t lun, uint64_t lba, uint32_t blocks, uint32_t bs, void *buf,
		       struct sr_error *err)
{
	uint8_t cdb[16];
	struct scsi_result res;
	size_t n = scsi_cdb_read16(cdb, lba, blocks), want = (size_t)blocks * bs;
	int rc;

	rc = scsi_do(lun, cdb, n, SCSI_DIR_READ, buf, want, &res, "READ (16)", err);
	if (rc < 0)
		return rc;
	if (res.transferred != want)
		return sr_fail(err, EIO, "READ (16) at block %llu returned %zu of %zu bytes",
			       (unsigned long long)lba, res.transferred, want);
	return 0;
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
	struct plan_portal portals[PLAN_MAX_PORTALS];
	struct iscsi_login_params p;
	struct iscsi_connect_policy pol;
	struct sr_error err = { 0 };
	char asked[PLAN_HOST_MAX + 8];
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
		iscsi_portal_format(&d.asked, asked, sizeof(asked));
		forget_target();
		tool_fail("unable to discover targets at %s: %s", asked, err.msg);
	}
	forget_target();
	iscsi_portal_format(&d.asked, asked, sizeof(asked));
	if (d.replaced)
		log_warn("%s answered with %u loopback or unusable portal%s (a target behind NAT?); using %s, the portal we asked, instead",
			 asked, d.replaced, d.replaced == 1 ? "" : "s", asked);
	if (d.more)
		log_warn("%s lists more than %d targets; the rest is left out", asked, ISCSI_DISCOVERY_MAX);
	for (unsigned i = 0; i < d.n; i++) {
		char name[PLAN_NAME_MAX * 4 + 1];

		quote_printable(name, sizeof(name), d.target[i].name, strlen(d.target[i].name));
		if (d.target[i].nportals == 0)
			printf("%s %s\n", asked, name);
		for (unsigned j = 0; j < d.target[i].nportals; j++) {
			char portal[PLAN_HOST_MAX + 8];

			iscsi_portal_format(&d.target[i].portal[j], portal, sizeof(portal));
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

/* What libblkid makes of the first bytes of a LUN of size bytes. */
static void describe_content(const uint8_t *buf, size_t len, uint64_t size)
{
	blkid_probe pr = NULL;
	const char *v;
	int fd, rc;

	fd = memfd_create("sanroot-probe", MFD_CLOEXEC);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || ftruncate(fd, (off_t)size) < 0) {
		printf(" content=unknown");
		goto out;
	}
	pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, fd, 0, (blkid_loff_t)size) < 0) {
		printf(" content=unknown");
		goto out;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID |
					  BLKID_SUBLKS_LABEL | BLKID_SUBLKS_VERSION);
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
	if (fd >= 0)
		close(fd);
}

static void probe_lun(uint64_t lun)
{
	static uint8_t data[PROBE_BYTES];
	struct scsi_inquiry inq;
	struct scsi_capacity cap;
	struct scsi_result res;
	struct sr_error err = { 0 };
	uint8_t cdb[16], buf[256];
	char serial[128] = "";
	size_t n;

	printf("lun %llu", (unsigned long long)lun);
	n = scsi_cdb_inquiry(cdb, false, 0, 96);
	if (scsi_do(lun, cdb, n, SCSI_DIR_READ, buf, 96, &res, "INQUIRY", &err) < 0 ||
	    scsi_parse_inquiry(buf, res.transferred, &inq, &err) < 0) {
		put_word("error", err.msg);
		printf("\n");
		return;
	}
	if (inq.qualifier != 0) {
		printf(" type=none\n");
		return;
	}
	if (scsi_type_name(inq.type))
		printf(" type=%s", scsi_type_name(inq.type));
	else
		printf(" type=0x%02x", inq.type);
	put_word("vendor", inq.vendor);
	put_word("product", inq.product);
	put_word("revision", inq.revision);
	n = scsi_cdb_inquiry(cdb, true, 0x80, sizeof(buf) - 1);
	if (scsi_do(lun, cdb, n, SCSI_DIR_READ, buf, sizeof(buf) - 1, &res, "INQUIRY (serial)", &err) == 0 &&
	    scsi_parse_unit_serial(buf, res.transferred, serial, sizeof(serial), &err) == 0)
		put_word("serial", serial);
	if (!block_device_type(inq.type)) {
		printf("\n");
		return;
	}
	if (read_capacity(lun, &cap, &err) < 0) {
		put_word("error", err.msg);
		printf("\n");
		return;
	}
	printf(" blocks=%llu block_size=%u size=%llu", (unsigned long long)cap.blocks, cap.block_size,
	       (unsigned long long)(cap.blocks * cap.block_size));
	n = PROBE_BYTES;
	if (n / cap.block_size > cap.blocks)
		n = (size_t)(cap.blocks * cap.block_size);
	n -= n % cap.block_size;
	if (n == 0 || read_blocks(lun, 0, (uint32_t)(n / cap.block_size), cap.block_size, data, &err) < 0) {
		printf(" content=unreadable");
		if (n)
			put_word("error", err.msg);
	} else {
		describe_content(data, n, cap.blocks * cap.block_size);
	}
	printf("\n");
}

int cmd_probe(int argc, char **argv)
{
	static uint8_t buf[16 + 8 * MAX_LUNS];
	uint64_t luns[MAX_LUNS];
	struct scsi_result res;
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

	len = scsi_cdb_report_luns(cdb, sizeof(buf));
	if (scsi_do(0, cdb, len, SCSI_DIR_READ, buf, sizeof(buf), &res, "REPORT LUNS", &err) < 0 ||
	    scsi_parse_report_luns(buf, res.transferred, luns, MAX_LUNS, &count, &total, &err) < 0) {
		log_warn("REPORT LUNS: %s; probing LUN 0 alone", err.msg);
		luns[0] = 0;
		count = 1;
	}
	if (total > count)
		log_warn("the target has %u LUNs; probing the first %u", total, count);
	for (unsigned i = 0; i < count; i++)
		probe_lun(luns[i]);
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
		tool_fail("unable to read the capacity of LUN %llu: %s", (unsigned long long)lun, err.msg);
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

int cmd_read(int argc, char **argv)
{
	struct scsi_capacity cap;
	struct sr_error err = { 0 };
	uint64_t lun, off, len, lba;
	uint32_t bs, per;
	size_t skip;
	uint8_t *buf;

	range_args(argc, argv, &lun, &off, &len);
	login(&target);
	forget_target();
	check_range(lun, off, len, &cap);
	bs = cap.block_size;
	per = bs >= IO_CHUNK ? 1 : IO_CHUNK / bs;
	buf = malloc((size_t)per * bs);
	if (!buf)
		tool_fail("unable to allocate %u bytes", per * bs);
	lba = off / bs;
	skip = (size_t)(off % bs);
	while (len) {
		uint64_t need = (skip + len + bs - 1) / bs;
		uint32_t blocks = need < per ? (uint32_t)need : per;
		size_t n = (size_t)blocks * bs - skip;

		if (n > len)
			n = (size_t)len;
		if (read_blocks(lun, lba, blocks, bs, buf, &err) < 0)
			tool_fail("unable to read LUN %llu at block %llu: %s", (unsigned long long)lun,
				  (unsigned long long)lba, err.msg);
		write_all(STDOUT_FILENO, buf + skip, n);
		len -= n;
		lba += blocks;
		skip = 0;
	}
	free(buf);
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
	uint8_t *buf, cdb[16];

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
			tool_fail("unable to write LUN %llu at block %llu: %s", (unsigned long long)lun,
				  (unsigned long long)lba, err.msg);
		done += n;
		lba += blocks;
	}
	free(buf);
	logout();
	log_info("wrote %llu bytes to LUN %llu", (unsigned long long)len, (unsigned long long)lun);
	return 0;
}
