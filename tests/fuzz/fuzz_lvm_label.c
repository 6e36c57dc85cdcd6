// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for lib/lvm_label (and what consumes a PV: lib/lvm_vg,
 * lib/lvm_dm). The input is a sparse disk image, so that metadata at both
 * ends of a real PV fits in a small input:
 *
 *   le64 device size, then chunks of { le64 offset, le16 length, bytes }
 *
 * Bytes outside every chunk read as zero; reads past the size fail.
 * tests/fuzz/lvm_corpus.py makes the seeds (named after the fixtures); the
 * other inputs are what libFuzzer kept from 150-s runs (-merge=1).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cursor.h"
#include "lvm/lvm_dm.h"
#include "lvm/lvm_label.h"
#include "lvm/lvm_vg.h"

struct sparse {
	const uint8_t *data;
	size_t len;
	uint64_t size;
};

static int sparse_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct sparse *s = ctx;
	struct cursor c = cursor_make(s->data, s->len);
	uint64_t size, coff;
	uint16_t clen;

	if (off > s->size || len > s->size - off)
		return -EIO;
	memset(buf, 0, len);
	cursor_le64(&c, &size);
	while (cursor_le64(&c, &coff) && cursor_le16(&c, &clen)) {
		struct cursor chunk;

		if (!cursor_sub(&c, clen < c.rem ? clen : c.rem, &chunk))
			break;
		/* overlap of [coff, coff + chunk.rem) with [off, off + len) */
		if (coff > UINT64_MAX - chunk.rem || coff >= off + len || coff + chunk.rem <= off)
			continue;
		uint64_t from = coff > off ? coff : off;
		uint64_t to = coff + chunk.rem < off + len ? coff + chunk.rem : off + len;

		memcpy((uint8_t *)buf + (from - off), chunk.p + (from - coff), (size_t)(to - from));
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = cursor_make(data, size);
	struct sparse s = { data, size, 0 };
	struct lvm_dev dev;
	struct lvm_scan scan;
	struct lvm_request rq = { .all = true, .partial = true };
	struct lvm_target *t = NULL;
	struct sr_error err;
	unsigned n = 0;

	if (!cursor_le64(&c, &s.size))
		return 0;
	s.size &= (UINT64_C(1) << 44) - 1;	/* 16 TiB */
	struct lvm_reader r = { sparse_read, &s, s.size };

	memset(&dev, 0, sizeof(dev));
	strcpy(dev.path, "fuzz");
	strcpy(dev.name, "8:0");
	dev.size = s.size;
	if (lvm_pv_read(&r, &dev.disk, &err) < 0)
		return 0;
	if (lvm_assemble(&dev, 1, &scan, &err) == 0) {
		if (lvm_select(&scan, &rq, &t, &n, &err) == 0) {
			for (unsigned i = 0; i < n; i++) {
				const struct lvm_vgi *v = &scan.vg[t[i].vg];
				const char *pvdev[LVM_MAX_PVS];
				struct lvm_dm_table tab;
				char name[LVM_DM_NAME_MAX];

				for (unsigned p = 0; p < v->meta.npv; p++)
					pvdev[p] = v->dev[p] >= 0 ? "8:0" : NULL;
				lvm_dm_name(v->meta.name, v->meta.lv[t[i].lv].name, name, &err);
				if (lvm_dm_table_build(&v->meta, &v->meta.lv[t[i].lv], pvdev, &tab, &err) == 0)
					lvm_dm_table_free(&tab);
			}
			free(t);
		}
		lvm_scan_free(&scan);
	}
	lvm_pv_disk_free(&dev.disk);
	return 0;
}
