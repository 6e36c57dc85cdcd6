// SPDX-License-Identifier: GPL-2.0-only
/* The state files of sessions handed to the kernel: /run/sanroot/iscsi/sessionN (no secrets). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/quote.h"
#include "iscsi/kernel/iscsi_state.h"

static void put(FILE *f, const char *key, const char *v)
{
	fprintf(f, "%s=", key);
	quote_shell(f, v);
	fputc('\n', f);
}

static void put_num(FILE *f, const char *key, long v)
{
	fprintf(f, "%s='%ld'\n", key, v);
}

int iscsi_state_format(const struct iscsi_state *st, char *buf, size_t cap)
{
	FILE *f = fmemopen(buf, cap, "w");
	long n;

	if (!f)
		return -errno;
	setvbuf(f, NULL, _IONBF, 0);
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
	n = ftell(f);
	/* fmemopen keeps a NUL after the text: a full buffer means it did not fit. */
	if (ferror(f) || n < 0 || (size_t)n + 1 >= cap) {
		fclose(f);
		return -ENOSPC;
	}
	fclose(f);
	return (int)n;
}

/* One value: '...' and \' pieces up to the end of the line, into dst (cut at cap). */
static int take_value(const char **pp, const char *end, char *dst, size_t cap)
{
	const char *p = *pp;
	size_t o = 0;

	while (p < end && *p != '\n') {
		if (*p == '\\' && p + 1 < end && p[1] == '\'') {
			if (o + 1 < cap)
				dst[o++] = '\'';
			p += 2;
		} else if (*p == '\'') {
			const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));

			if (!q)
				return -EINVAL;
			for (p++; p < q; p++)
				if (o + 1 < cap)
					dst[o++] = *p;
			p = q + 1;
		} else {
			return -EINVAL;
		}
	}
	dst[o] = '\0';
	*pp = p < end ? p + 1 : p;
	return 0;
}

static int number(const char *v, long *out)
{
	char *e;

	errno = 0;
	*out = strtol(v, &e, 10);
	return errno || e == v || *e ? -EINVAL : 0;
}

int iscsi_state_parse(const char *text, size_t len, struct iscsi_state *st)
{
	static const struct { const char *key; size_t off, cap; } strs[] = {
#define S(k, f) { k, offsetof(struct iscsi_state, f), sizeof(((struct iscsi_state *)0)->f) }
		S("TARGET", target), S("PORTAL", portal), S("PORTALS", portals), S("ISID", isid),
		S("DEVICES", devs), S("LUNS", luns), S("STATE", state),
		S("LAST_ERROR", last_error),
#undef S
	};
	const char *p = text, *end = text + len;
	char val[ISCSI_STATE_TEXT_MAX];

	memset(st, 0, sizeof(*st));
	while (p < end) {
		const char *key = p, *eq;
		size_t klen;
		long n = 0;
		bool done = false;

		if (*p == '#' || *p == '\n') {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			p = nl ? nl + 1 : end;
			continue;
		}
		eq = memchr(p, '=', (size_t)(end - p));
		if (!eq)
			return -EINVAL;
		klen = (size_t)(eq - key);
		for (size_t i = 0; i < klen; i++)
			if (!((key[i] >= 'A' && key[i] <= 'Z') || key[i] == '_'))
				return -EINVAL;
		p = eq + 1;
		if (klen == 0 || take_value(&p, end, val, sizeof(val)) < 0)
			return -EINVAL;
#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(key, k, klen))
		for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]) && !done; i++) {
			if (klen != strlen(strs[i].key) || memcmp(key, strs[i].key, klen))
				continue;
			snprintf((char *)st + strs[i].off, strs[i].cap, "%s", val);
			done = true;
		}
		if (done)
			continue;
		if (KEY("SID") || KEY("CID") || KEY("KEEPER") || KEY("RECOVERIES") ||
		    KEY("LAST_OUTAGE_MS") || KEY("LAST_RELOGIN_MS")) {
			if (number(val, &n) < 0)
				return -EINVAL;
		}
		if (KEY("SID"))
			st->sid = (uint32_t)n;
		else if (KEY("CID"))
			st->cid = (uint32_t)n;
		else if (KEY("KEEPER"))
			st->keeper = n;
		else if (KEY("RECOVERIES"))
			st->recoveries = (unsigned)n;
		else if (KEY("LAST_OUTAGE_MS"))
			st->last_outage_ms = n;
		else if (KEY("LAST_RELOGIN_MS"))
			st->last_relogin_ms = n;
#undef KEY
	}
	return 0;
}

int iscsi_state_dir_open(const char *dir)
{
	char parent[256];
	char *slash;
	int fd;

	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int iscsi_state_write(int dirfd, const struct iscsi_state *st)
{
	char name[32], tmp[40], text[ISCSI_STATE_TEXT_MAX];
	int fd, rc, n;

	if (dirfd < 0)
		return -EBADF;
	n = iscsi_state_format(st, text, sizeof(text));
	if (n < 0)
		return n;
	snprintf(name, sizeof(name), "session%" PRIu32, st->sid);
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	rc = write(fd, text, (size_t)n) == n ? 0 : -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -EIO;
	if (rc == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		rc = -errno;
	if (rc < 0)
		unlinkat(dirfd, tmp, 0);
	return rc;
}

int iscsi_state_read(int dirfd, uint32_t sid, struct iscsi_state *st)
{
	char name[32], text[ISCSI_STATE_TEXT_MAX];
	ssize_t n;
	int fd;

	memset(st, 0, sizeof(*st));
	snprintf(name, sizeof(name), "session%" PRIu32, sid);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n < 0)
		return -errno;
	if (iscsi_state_parse(text, (size_t)n, st) < 0)
		return -EINVAL;
	return st->sid == sid ? 0 : -EINVAL;
}

void iscsi_state_remove(int dirfd, uint32_t sid)
{
	char name[32];

	snprintf(name, sizeof(name), "session%" PRIu32, sid);
	if (dirfd >= 0)
		unlinkat(dirfd, name, 0);
}

long iscsi_state_live_keeper(int dirfd, uint32_t sid)
{
	struct iscsi_state st;

	if (dirfd >= 0 && iscsi_state_read(dirfd, sid, &st) == 0 && st.keeper > 0 &&
	    strcmp(st.state, "handed-over") && kill((pid_t)st.keeper, 0) == 0)
		return st.keeper;
	return 0;
}

int iscsi_state_isid(const struct iscsi_state *st, uint8_t isid[6])
{
	uint8_t b[6];

	if (strlen(st->isid) != 12)
		return -EINVAL;
	for (unsigned i = 0; i < 12; i++)
		if (!strchr("0123456789abcdefABCDEF", st->isid[i]))
			return -EINVAL;
	for (unsigned i = 0; i < 6; i++)
		if (sscanf(st->isid + 2 * i, "%2hhx", &b[i]) != 1)
			return -EINVAL;
	memcpy(isid, b, 6);
	return 0;
}
