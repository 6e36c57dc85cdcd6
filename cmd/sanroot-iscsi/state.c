// SPDX-License-Identifier: GPL-2.0-only
/*
 * /run/sanroot/iscsi/sessionN: what sanroot-iscsi knows about a session it
 * handed to the kernel (target, portals, ISID, disks, the keeper), for
 * sanroot-boot's diagnosis, `sessions`, `keep` and the real root. Shell
 * assignments, single-quoted; never a secret. Written through a directory
 * descriptor, so the keeper keeps writing after the switch to the real root.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan/conf.h"
#include "iscsi/iscsi_tcp.h"
#include "core/quote.h"
#include "sanroot-iscsi.h"

int state_dir_open(void)
{
	static const char *const dirs[] = { "/run/sanroot", STATE_DIR };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdir(dirs[i], 0755) < 0 && errno != EEXIST)
			return -1;
	return open(STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void up_portal(const struct up *u, char *buf, size_t len)
{
	hostport_format(&u->s.portal, buf, len);
}

static void append(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(dst);

	snprintf(dst + n, cap - n, "%s%s", n ? " " : "", s);
}

void state_from_up(const struct up *u, const char *state, long keeper, struct session_state *st)
{
	const uint8_t *i = u->s.login.isid;

	memset(st, 0, sizeof(*st));
	st->sid = u->s.sid;
	st->cid = u->s.cid;
	snprintf(st->target, sizeof(st->target), "%s", u->t.name);
	up_portal(u, st->portal, sizeof(st->portal));
	for (unsigned k = 0; k < u->t.nportals; k++) {
		char one[HOSTPORT_TEXT_MAX];

		hostport_format(&u->t.portal[k], one, sizeof(one));
		append(st->portals, sizeof(st->portals), one);
	}
	snprintf(st->isid, sizeof(st->isid), "%02x%02x%02x%02x%02x%02x", i[0], i[1], i[2], i[3],
		 i[4], i[5]);
	for (unsigned k = 0; k < u->ndisks; k++) {
		char lun[24];

		append(st->devs, sizeof(st->devs), u->disk[k].block);
		snprintf(lun, sizeof(lun), "%" PRIu64, u->disk[k].lun);
		append(st->luns, sizeof(st->luns), lun);
	}
	snprintf(st->state, sizeof(st->state), "%s", state);
	st->keeper = keeper;
}

static void put(FILE *f, const char *key, const char *v)
{
	char text[PLAN_MAX_PORTALS * (HOSTPORT_TEXT_MAX)];

	/* Messages may hold a ', which our own reader (no shell) would refuse quoted as '\''. */
	snprintf(text, sizeof(text), "%s", v);
	for (char *p = text; (p = strchr(p, '\'')); p++)
		*p = '`';
	fprintf(f, "%s=", key);
	quote_shell(f, text);
	fputc('\n', f);
}

static void put_num(FILE *f, const char *key, long v)
{
	fprintf(f, "%s='%ld'\n", key, v);
}

int state_write(int dirfd, const struct session_state *st)
{
	char name[32], tmp[40];
	FILE *f;
	int fd, rc;

	if (dirfd < 0)
		return -EBADF;
	snprintf(name, sizeof(name), "session%" PRIu32, st->sid);
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		rc = -errno;
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return rc;
	}
	fprintf(f, "# sanroot-iscsi: iSCSI session %" PRIu32 " (no secrets here)\n", st->sid);
	put_num(f, "SID", st->sid);
	put_num(f, "CID", st->cid);
	put(f, "TARGET", st->target);
	put(f, "PORTAL", st->portal);
	put(f, "PORTALS", st->portals);
	put(f, "ISID", st->isid);
	put(f, "DEVICES", st->devs);
	put(f, "LUNS", st->luns);
	put(f, "STATE", st->state);
	put_num(f, "KEEPER", st->keeper);
	put_num(f, "RECOVERIES", st->recoveries);
	put(f, "LAST_ERROR", st->last_error);
	put_num(f, "LAST_OUTAGE_MS", st->last_outage_ms);
	put_num(f, "LAST_RELOGIN_MS", st->last_relogin_ms);
	rc = fflush(f) == 0 && !ferror(f) ? 0 : -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		rc = -errno;
	if (rc < 0)
		unlinkat(dirfd, tmp, 0);
	return rc;
}

static void copy_value(char *dst, size_t cap, const char *v, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static int read_one(void *ctx, const char *key, size_t keylen, const char *val, size_t vallen,
		    bool has_val, unsigned line, unsigned col)
{
	struct session_state *st = ctx;
	char num[24];

	(void)line, (void)col;
	if (!has_val)
		return 0;
#define KEY(k) (keylen == sizeof(k) - 1 && !memcmp(key, k, keylen))
	copy_value(num, sizeof(num), val, vallen);
	if (KEY("SID"))
		st->sid = (uint32_t)strtoul(num, NULL, 10);
	else if (KEY("CID"))
		st->cid = (uint32_t)strtoul(num, NULL, 10);
	else if (KEY("TARGET"))
		copy_value(st->target, sizeof(st->target), val, vallen);
	else if (KEY("PORTAL"))
		copy_value(st->portal, sizeof(st->portal), val, vallen);
	else if (KEY("PORTALS"))
		copy_value(st->portals, sizeof(st->portals), val, vallen);
	else if (KEY("ISID"))
		copy_value(st->isid, sizeof(st->isid), val, vallen);
	else if (KEY("DEVICES"))
		copy_value(st->devs, sizeof(st->devs), val, vallen);
	else if (KEY("LUNS"))
		copy_value(st->luns, sizeof(st->luns), val, vallen);
	else if (KEY("STATE"))
		copy_value(st->state, sizeof(st->state), val, vallen);
	else if (KEY("KEEPER"))
		st->keeper = strtol(num, NULL, 10);
	else if (KEY("RECOVERIES"))
		st->recoveries = (unsigned)strtoul(num, NULL, 10);
	else if (KEY("LAST_ERROR"))
		copy_value(st->last_error, sizeof(st->last_error), val, vallen);
	else if (KEY("LAST_OUTAGE_MS"))
		st->last_outage_ms = strtol(num, NULL, 10);
	else if (KEY("LAST_RELOGIN_MS"))
		st->last_relogin_ms = strtol(num, NULL, 10);
#undef KEY
	return 0;
}

int state_read(int dirfd, uint32_t sid, struct session_state *st)
{
	char name[32], text[4096];
	ssize_t n;
	int fd;

	memset(st, 0, sizeof(*st));
	snprintf(name, sizeof(name), "session%" PRIu32, sid);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if (conf_parse_assignments(text, (size_t)n, read_one, st, NULL) < 0)
		return -EINVAL;
	return st->sid == sid ? 0 : -EINVAL;
}

void state_remove(int dirfd, uint32_t sid)
{
	char name[32];

	snprintf(name, sizeof(name), "session%" PRIu32, sid);
	if (dirfd >= 0)
		unlinkat(dirfd, name, 0);
}

long state_live_keeper(uint32_t sid)
{
	struct session_state st;
	int dfd = open(STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long pid = 0;

	if (dfd < 0)
		return 0;
	if (state_read(dfd, sid, &st) == 0 && st.keeper > 0 && strcmp(st.state, "handed-over") &&
	    kill((pid_t)st.keeper, 0) == 0)
		pid = st.keeper;
	close(dfd);
	return pid;
}
