// SPDX-License-Identifier: GPL-2.0-only
/* lib/lvm_label: labels, PV headers, metadata area headers and texts written by real lvm2. */
#include "lvm/lvm_label.h"
#include "lvm_fixture.h"
#include "t.h"

static struct fx ref, wrapped, two;

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute the CRC of the label in sector s, as lvm2 writes it. */
static void label_fix_crc(uint8_t *img, unsigned s)
{
	uint8_t *l = img + s * 512;

	put_le32(l + 16, lvm_crc(LVM_CRC_INIT, l + 20, 512 - 20));
}

static void mda_fix_crc(uint8_t *h)
{
	put_le32(h, lvm_crc(LVM_CRC_INIT, h + 4, 512 - 4));
}

static void crc_is_lvm2s(void)
{
	/* CRC-32 of "123456789" is 0xcbf43926 with ~0 in and out; lvm2 skips the final inversion. */
	CHECK_INT(lvm_crc(0xffffffff, "123456789", 9), 0x340bc6d9);
	CHECK_INT(lvm_crc(LVM_CRC_INIT, "", 0), LVM_CRC_INIT);
}

static void label_of_reference_lun(void)
{
	struct lvm_label l;
	struct sr_error err = { 0 };

	CHECK_INT(lvm_label_parse(ref.disk[0].data, 2048, &l, &err), 0);
	CHECK_INT(l.sector, 1);
	CHECK_INT(strlen(l.pv_id), 32);
	CHECK_INT(l.dev_size, 64 << 20);
	CHECK_INT(l.ndata, 1);
	CHECK_INT(l.data[0].offset, 1 << 20);
	CHECK_INT(l.nmda, 1);
	CHECK_INT(l.mda[0].offset, 4096);
	CHECK_INT(l.mda[0].size, (1 << 20) - 4096);
	CHECK_INT(l.ext_version, 2);
}

static void label_in_any_of_four_sectors(void)
{
	uint8_t img[2048];
	struct lvm_label l;

	memset(img, 0, sizeof(img));
	memcpy(img + 3 * 512, ref.disk[0].data + 512, 512);
	put_le64(img + 3 * 512 + 8, 3);
	label_fix_crc(img, 3);
	CHECK_INT(lvm_label_parse(img, sizeof(img), &l, NULL), 0);
	CHECK_INT(l.sector, 3);
	/* Not past the fourth sector. */
	CHECK_INT(lvm_label_parse(img, 3 * 512 + 511, &l, NULL), -ENOENT);
}

static void label_damaged(void)
{
	uint8_t img[2048];
	struct lvm_label l;
	struct sr_error err = { 0 };

	memcpy(img, ref.disk[0].data, sizeof(img));
	img[512 + 100] ^= 1;
	CHECK_INT(lvm_label_parse(img, sizeof(img), &l, &err), -EBADMSG);
	CHECK(strstr(err.msg, "label checksum mismatch in sector 1"));

	/* A good label further on wins over a damaged one, as in lvm2. */
	memcpy(img + 2 * 512, ref.disk[0].data + 512, 512);
	put_le64(img + 2 * 512 + 8, 2);
	label_fix_crc(img, 2);
	CHECK_INT(lvm_label_parse(img, sizeof(img), &l, &err), 0);
	CHECK_INT(l.sector, 2);

	/* A label copied to the wrong sector. */
	memcpy(img, ref.disk[0].data, sizeof(img));
	memcpy(img + 2 * 512, img + 512, 512);
	memset(img + 512, 0, 512);
	CHECK_INT(lvm_label_parse(img, sizeof(img), &l, &err), -EBADMSG);
	CHECK(strstr(err.msg, "says it belongs in sector 1"));

	memset(img, 0, sizeof(img));
	CHECK_INT(lvm_label_parse(img, sizeof(img), &l, &err), -ENOENT);
	CHECK(strstr(err.msg, "no LVM2 label"));
}

static void pv_header_damaged(void)
{
	uint8_t img[2048];
	struct lvm_label l;
	struct sr_error err = { 0 };
	uint8_t *h;

	memcpy(img, ref.disk[0].data, sizeof(img));
	h = img + 512 + 32;
	h[5] = '/';
	label_fix_crc(img, 1);
	CHECK_INT(lvm_label_parse(img, sizeof(img), &l, &err), -EBADMSG);
	CHECK(strstr(err.msg, "UUID"));

	/* Area lists that never end. */
	memcpy(img, ref.disk[0].data, sizeof(img));
	for (unsigned off = 40; off + 16 <= 512 - 32; off += 16) {
		put_le64(h + off, 4096 + off);
		put_le64(h + off + 8, 4096);
	}
	label_fix_crc(img, 1);
	CHECK(lvm_label_parse(img, sizeof(img), &l, &err) < 0);

	/* A metadata area over the label itself. */
	memcpy(img, ref.disk[0].data, sizeof(img));
	put_le64(h + 72, 512);
	label_fix_crc(img, 1);
	CHECK_INT(lvm_label_parse(img, sizeof(img), &l, &err), -EBADMSG);
	CHECK(strstr(err.msg, "overlaps the label"));

	/* Another label type. */
	memcpy(img, ref.disk[0].data, sizeof(img));
	memcpy(img + 512 + 24, "LVM1 001", 8);
	label_fix_crc(img, 1);
	CHECK_INT(lvm_label_parse(img, sizeof(img), &l, &err), -EPROTONOSUPPORT);
}

static void mda_header_of_reference_lun(void)
{
	struct lvm_area a = { 4096, (1 << 20) - 4096 }, r[2];
	struct lvm_mda_header h;
	struct sr_error err = { 0 };
	size_t len;

	CHECK_INT(lvm_mda_header_parse(ref.disk[0].data + 4096, 512, &a, &h, &err), 0);
	CHECK_INT(h.start, 4096);
	CHECK(h.text_offset >= 512);
	CHECK(h.text_size > 100);
	CHECK(!h.ignored);
	CHECK_INT(lvm_mda_text_ranges(&h, r), 1);
	CHECK_INT(r[0].offset, 4096 + h.text_offset);
	CHECK_INT(lvm_mda_text_check(&h, ref.disk[0].data + r[0].offset, r[0].size, &len, &err), 0);
	CHECK_INT(len, h.text_size - 1);	/* lvm2 counts the NUL */
	CHECK(!memcmp(ref.disk[0].data + r[0].offset, "client {", 8));
}

static void mda_header_damaged(void)
{
	struct lvm_area a = { 4096, (1 << 20) - 4096 };
	struct lvm_mda_header h;
	struct sr_error err = { 0 };
	uint8_t hdr[512];

	memcpy(hdr, ref.disk[0].data + 4096, 512);
	hdr[300] ^= 1;
	CHECK_INT(lvm_mda_header_parse(hdr, 512, &a, &h, &err), -EBADMSG);
	CHECK(strstr(err.msg, "checksum mismatch"));

	memcpy(hdr, ref.disk[0].data + 4096, 512);
	hdr[4] = 'X';
	mda_fix_crc(hdr);
	CHECK_INT(lvm_mda_header_parse(hdr, 512, &a, &h, &err), -EBADMSG);
	CHECK(strstr(err.msg, "wrong magic"));

	memcpy(hdr, ref.disk[0].data + 4096, 512);
	put_le32(hdr + 20, 2);
	mda_fix_crc(hdr);
	CHECK_INT(lvm_mda_header_parse(hdr, 512, &a, &h, &err), -EPROTONOSUPPORT);

	memcpy(hdr, ref.disk[0].data + 4096, 512);
	put_le64(hdr + 24, 8192);
	mda_fix_crc(hdr);
	CHECK_INT(lvm_mda_header_parse(hdr, 512, &a, &h, &err), -EBADMSG);
	CHECK(strstr(err.msg, "says it is at byte 8192"));

	/* Text outside the area, or longer than it. */
	memcpy(hdr, ref.disk[0].data + 4096, 512);
	put_le64(hdr + 40, a.size);
	mda_fix_crc(hdr);
	CHECK_INT(lvm_mda_header_parse(hdr, 512, &a, &h, &err), -EBADMSG);
	CHECK(strstr(err.msg, "outside the area"));
	memcpy(hdr, ref.disk[0].data + 4096, 512);
	put_le64(hdr + 48, a.size);
	mda_fix_crc(hdr);
	CHECK_INT(lvm_mda_header_parse(hdr, 512, &a, &h, &err), -EBADMSG);
	CHECK(strstr(err.msg, "does not fit"));

	/* A huge area may hold more text than we accept. */
	struct lvm_area big = { 4096, 64 << 20 };
	memcpy(hdr, ref.disk[0].data + 4096, 512);
	put_le64(hdr + 32, big.size);
	put_le64(hdr + 48, 8 << 20);
	mda_fix_crc(hdr);
	CHECK_INT(lvm_mda_header_parse(hdr, 512, &big, &h, &err), -EFBIG);

	/* No text at all: a PV in no VG. */
	memcpy(hdr, ref.disk[0].data + 4096, 512);
	memset(hdr + 40, 0, 24);
	mda_fix_crc(hdr);
	CHECK_INT(lvm_mda_header_parse(hdr, 512, &a, &h, &err), 0);
	CHECK_INT(h.text_size, 0);

	CHECK_INT(lvm_mda_header_parse(hdr, 511, &a, &h, &err), -EBADMSG);
}

static void wrapped_text(void)
{
	const uint8_t *img = wrapped.disk[0].data;
	struct lvm_label l;
	struct lvm_mda_header h;
	struct lvm_area r[2];
	struct sr_error err = { 0 };
	uint8_t *text;
	size_t len;

	CHECK_INT(lvm_label_parse(img, 2048, &l, &err), 0);
	CHECK_INT(lvm_mda_header_parse(img + l.mda[0].offset, 512, &l.mda[0], &h, &err), 0);
	CHECK(h.text_offset + h.text_size > h.size);
	CHECK_INT(lvm_mda_text_ranges(&h, r), 2);
	CHECK_INT(r[0].offset + r[0].size, h.start + h.size);
	CHECK_INT(r[1].offset, h.start + 512);
	CHECK_INT(r[0].size + r[1].size, h.text_size);
	text = malloc(h.text_size);
	memcpy(text, img + r[0].offset, r[0].size);
	memcpy(text + r[0].size, img + r[1].offset, r[1].size);
	CHECK_INT(lvm_mda_text_check(&h, text, h.text_size, &len, &err), 0);
	CHECK(!memcmp(text, "wrap {", 6));
	text[h.text_size / 2] = '\0';
	CHECK(lvm_mda_text_check(&h, text, h.text_size, &len, &err) < 0);
	free(text);
}

static void pv_read_uses_the_good_copy(void)
{
	struct fx_mem m;
	struct lvm_reader r = fx_reader(&m, two.disk[0].data, two.disk[0].len, two.disk[0].size);
	struct lvm_pv_disk pv;
	struct sr_error err = { 0 };

	CHECK_INT(lvm_pv_read(&r, &pv, &err), 0);
	CHECK_INT(pv.nmda, 2);
	CHECK_INT(pv.mda[0].rc, -EBADMSG);
	CHECK(strstr(pv.mda[0].err.msg, "checksum mismatch"));
	CHECK(!pv.mda[0].text);
	CHECK_INT(pv.mda[1].rc, 0);
	CHECK(pv.mda[1].area.offset > 4 << 20);
	CHECK(pv.mda[1].text && !strncmp(pv.mda[1].text, "two {", 5));
	CHECK_INT(strlen(pv.mda[1].text), pv.mda[1].len);
	lvm_pv_disk_free(&pv);
}

static void pv_read_failures(void)
{
	struct fx_mem m;
	struct lvm_reader r;
	struct lvm_pv_disk pv;
	struct sr_error err = { 0 };

	/* The second copy lies past the end of a shortened image. */
	r = fx_reader(&m, two.disk[0].data, 1 << 20, 1 << 20);
	CHECK_INT(lvm_pv_read(&r, &pv, &err), 0);
	CHECK_INT(pv.mda[1].rc, -ENXIO);
	CHECK(strstr(pv.mda[1].err.msg, "past the end"));
	lvm_pv_disk_free(&pv);

	/* I/O errors: on the label, the header, the text. */
	for (int at = 0; at < 3; at++) {
		r = fx_reader(&m, ref.disk[0].data, ref.disk[0].len, ref.disk[0].size);
		m.fail_at = at;
		if (at == 0) {
			CHECK_INT(lvm_pv_read(&r, &pv, &err), -EIO);
			continue;
		}
		CHECK_INT(lvm_pv_read(&r, &pv, &err), 0);
		CHECK_INT(pv.mda[0].rc, -EIO);
		CHECK(strstr(pv.mda[0].err.msg, "unable to read"));
		lvm_pv_disk_free(&pv);
	}

	r = fx_reader(&m, ref.disk[0].data, 1000, 1000);
	CHECK_INT(lvm_pv_read(&r, &pv, &err), -ENOENT);
}

static void every_fixture_reads(void)
{
	static const char *names[] = { "reference", "whole", "partition", "span", "striped",
				       "segments", "many", "renamed", "wrapped", "twocopies",
				       "twins", "thin", "raid1" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct fx f;

		CHECK_INT(fx_load(names[i], &f), 0);
		for (unsigned d = 0; d < f.ndisks; d++) {
			/* The partition fixture's PV starts at 1 MiB. */
			uint64_t base = strcmp(names[i], "partition") ? 0 : 1 << 20;
			struct fx_mem m;
			struct lvm_reader r = fx_reader(&m, f.disk[d].data + base, f.disk[d].len - base,
							f.disk[d].size - base);
			struct lvm_pv_disk pv;
			struct sr_error err = { 0 };
			unsigned good = 0;

			CHECK_INT(lvm_pv_read(&r, &pv, &err), 0);
			for (unsigned c = 0; c < pv.nmda; c++)
				good += pv.mda[c].rc == 0 && pv.mda[c].text;
			/* striped.vdb was made with --metadatacopies 0 */
			CHECK_INT(good, strcmp(names[i], "striped") || d == 0 ? 1 : 0);
			lvm_pv_disk_free(&pv);
		}
		fx_free(&f);
	}
}

int main(void)
{
	if (fx_load("reference", &ref) < 0 || fx_load("wrapped", &wrapped) < 0 ||
	    fx_load("twocopies", &two) < 0) {
		printf("not ok fixtures: cannot load tests/fixtures/lvm\n");
		return 1;
	}
	RUN(crc_is_lvm2s);
	RUN(label_of_reference_lun);
	RUN(label_in_any_of_four_sectors);
	RUN(label_damaged);
	RUN(pv_header_damaged);
	RUN(mda_header_of_reference_lun);
	RUN(mda_header_damaged);
	RUN(wrapped_text);
	RUN(pv_read_uses_the_good_copy);
	RUN(pv_read_failures);
	RUN(every_fixture_reads);
	fx_free(&ref);
	fx_free(&wrapped);
	fx_free(&two);
	fx_cleanup();
	T_EXIT();
}
