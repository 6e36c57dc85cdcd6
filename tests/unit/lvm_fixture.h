/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The LVM fixtures of tests/fixtures/lvm for the unit tests: each disk of a
 * fixture unpacked (gzip -dc) to a temporary directory, at its real size,
 * and a memory reader for the parsers.
 */
#ifndef SANROOT_LVM_FIXTURE_H
#define SANROOT_LVM_FIXTURE_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lvm/lvm_label.h"

#define FX_MAX_DISKS 4

struct fx_disk {
	char name[16];		/* vda, vdb: how a VM would see it */
	uint64_t size;		/* the real size */
	uint8_t *data;		/* the kept bytes */
	size_t len;
	char path[256];		/* unpacked at its real size, once fx_unpack() ran */
};

struct fx {
	char name[32];
	struct fx_disk disk[FX_MAX_DISKS];
	unsigned ndisks;
};

static char fx_tmp[64];

static inline const char *fx_dir(void)
{
	const char *d = getenv("SANROOT_LVM_FIXTURES");

	return d ? d : "tests/fixtures/lvm";
}

static inline int fx_gunzip(const char *path, uint8_t **data, size_t *len)
{
	char cmd[512];
	size_t cap = 1 << 20;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
	if (!(p = popen(cmd, "r")) || !(*data = malloc(cap)))
		return -1;
	*len = 0;
	for (;;) {
		size_t n = fread(*data + *len, 1, cap - *len, p);

		*len += n;
		if (n == 0)
			break;
		if (*len == cap) {
			uint8_t *grown = realloc(*data, cap * 2);

			if (!grown)
				return -1;
			*data = grown;
			cap *= 2;
		}
	}
	return pclose(p) == 0 ? 0 : -1;
}

/* Load fixture NAME's disks (kept bytes) as the MANIFEST lists them. */
static inline int fx_load(const char *name, struct fx *f)
{
	char path[512], line[256], fx[64], disk[16];
	unsigned long long size, kept;
	FILE *m;

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(path, sizeof(path), "%s/MANIFEST", fx_dir());
	if (!(m = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), m)) {
		struct fx_disk *d;

		if (line[0] == '#' || sscanf(line, "%63s %15s %llu %llu", fx, disk, &size, &kept) != 4 ||
		    strcmp(fx, name) || f->ndisks == FX_MAX_DISKS)
			continue;
		d = &f->disk[f->ndisks++];
		snprintf(d->name, sizeof(d->name), "%s", disk);
		d->size = size;
		snprintf(path, sizeof(path), "%s/%s.%s.img.gz", fx_dir(), name, disk);
		if (fx_gunzip(path, &d->data, &d->len) < 0 || d->len != kept) {
			fclose(m);
			return -1;
		}
	}
	fclose(m);
	return f->ndisks ? 0 : -1;
}

/* Write the disks as files at their real size (holes read as zeros), named DIR/DISK. */
static inline int fx_unpack(struct fx *f)
{
	if (!fx_tmp[0]) {
		snprintf(fx_tmp, sizeof(fx_tmp), "/tmp/sanroot-lvmfx.XXXXXX");
		if (!mkdtemp(fx_tmp))
			return -1;
	}
	for (unsigned i = 0; i < f->ndisks; i++) {
		struct fx_disk *d = &f->disk[i];
		char dir[128], file[sizeof(d->path)];
		FILE *o;

		snprintf(dir, sizeof(dir), "%s/%s", fx_tmp, f->name);
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -1;
		snprintf(file, sizeof(file), "%s/%.15s", dir, d->name);
		memcpy(d->path, file, sizeof(file));
		if (!(o = fopen(d->path, "w")))
			return -1;
		if (fwrite(d->data, 1, d->len, o) != d->len || fclose(o) != 0 ||
		    truncate(d->path, (off_t)d->size) < 0)
			return -1;
	}
	return 0;
}

static inline void fx_free(struct fx *f)
{
	for (unsigned i = 0; i < f->ndisks; i++) {
		free(f->disk[i].data);
		if (f->disk[i].path[0])
			unlink(f->disk[i].path);
	}
	if (f->disk[0].path[0]) {
		char dir[128];

		snprintf(dir, sizeof(dir), "%s/%s", fx_tmp, f->name);
		rmdir(dir);
	}
	memset(f, 0, sizeof(*f));
}

static inline void fx_cleanup(void)
{
	if (fx_tmp[0])
		rmdir(fx_tmp);
}

/* A disk in memory: the kept bytes, then zeros up to its size. */
struct fx_mem {
	const uint8_t *data;
	size_t len;
	int fail_at;		/* >= 0: the n-th read fails with EIO */
	int reads;
};

static inline int fx_mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct fx_mem *m = ctx;

	if (m->fail_at >= 0 && m->reads++ == m->fail_at)
		return -EIO;
	memset(buf, 0, len);
	if (off < m->len)
		memcpy(buf, m->data + off, len < m->len - off ? len : m->len - off);
	return 0;
}

static inline struct lvm_reader fx_reader(struct fx_mem *m, const uint8_t *data, size_t len,
				   uint64_t size)
{
	*m = (struct fx_mem){ .data = data, .len = len, .fail_at = -1 };
	return (struct lvm_reader){ fx_mem_read, m, size };
}

#endif
