// SPDX-License-Identifier: GPL-2.0-only
/* The key=value codec, value types, TargetAddress and SendTargets, as tables. */
#include <errno.h>

#include "t.h"

#include "iscsi/iscsi_text.h"

/* Texts are written with "|" for the NUL delimiter. */
static size_t unbar(const char *s, uint8_t *out)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		out[i] = s[i] == '|' ? 0 : (uint8_t)s[i];
	return n;
}

static void pairs(void)
{
	static const struct { const char *text; int count; bool ok; } rows[] = {
		{ "A=1|", 1, true },
		{ "HeaderDigest=None|DataDigest=CRC32C|", 2, true },
		{ "A=|", 1, true },				/* empty value */
		{ "A=1||B=2|||", 2, true },			/* empty strings skipped */
		{ "X-com.example.Key=v|X#Reg=1|", 2, true },
		{ "A=b=c|", 1, true },				/* the first '=' ends the key */
		{ "A=1", 0, false },				/* no NUL */
		{ "A=1|B", 1, false },
		{ "NoEquals|", 0, false },
		{ "=value|", 0, false },			/* empty key */
		{ "Bad Key=1|", 0, false },
		{ "K\x80=1|", 0, false },
		{ "A234567890123456789012345678901234567890123456789012345678901234=1|", 0, false },
		{ "A23456789012345678901234567890123456789012345678901234567890123=1|", 1, true },
		{ "", 0, true },
		{ "||||", 0, true },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t buf[256];
		size_t n = unbar(rows[i].text, buf);
		struct cursor c = cursor_make(buf, n);
		struct iscsi_kv kv;
		struct sr_error err;
		int rc, count = 0;

		while ((rc = iscsi_text_next(&c, &kv, &err)) > 0)
			count++;
		t_row("text pairs", rows[i].text, count != rows[i].count || (rc == 0) != rows[i].ok,
		      rc < 0 ? err.msg : "wrong count or outcome");
	}
}

static void value_cap(void)
{
	static uint8_t buf[ISCSI_TEXT_VALUE_CAP + 16];
	struct cursor c;
	struct iscsi_kv kv;
	struct sr_error err;

	memcpy(buf, "CHAP_C=", 7);
	memset(buf + 7, 'a', ISCSI_TEXT_VALUE_CAP);
	buf[7 + ISCSI_TEXT_VALUE_CAP] = 0;
	c = cursor_make(buf, 8 + ISCSI_TEXT_VALUE_CAP);
	CHECK_INT(iscsi_text_next(&c, &kv, &err), 1);
	CHECK_INT(kv.value_len, ISCSI_TEXT_VALUE_CAP);
	buf[7 + ISCSI_TEXT_VALUE_CAP] = 'a';
	buf[8 + ISCSI_TEXT_VALUE_CAP] = 0;
	c = cursor_make(buf, 9 + ISCSI_TEXT_VALUE_CAP);
	CHECK(iscsi_text_next(&c, &kv, &err) < 0);
}

static void exact_keys(void)
{
	uint8_t buf[64];
	size_t n = unbar("HeaderDigestX=None|", buf);
	struct cursor c = cursor_make(buf, n);
	struct iscsi_kv kv;

	CHECK_INT(iscsi_text_next(&c, &kv, NULL), 1);
	CHECK(!iscsi_key_is(&kv, "HeaderDigest"));	/* no prefix matching */
	CHECK(iscsi_key_is(&kv, "HeaderDigestX"));
	CHECK(!iscsi_value_is(&kv, "Non"));
	CHECK(iscsi_value_is(&kv, "None"));
}

static void numbers(void)
{
	static const struct { const char *v; uint64_t max; int ok; uint64_t want; } rows[] = {
		{ "0", 10, 1, 0 }, { "10", 10, 1, 10 }, { "11", 10, 0, 0 },
		{ "262144", 16777215, 1, 262144 }, { "16777216", 16777215, 0, 0 },
		{ "0x10", 255, 1, 16 }, { "0X1f", 255, 1, 31 }, { "0x100", 255, 0, 0 },
		{ "0x", 255, 0, 0 }, { "", 255, 0, 0 }, { "12a", 255, 0, 0 }, { "-1", 255, 0, 0 },
		{ "+1", 255, 0, 0 }, { " 1", 255, 0, 0 },
		{ "18446744073709551615", UINT64_MAX, 1, UINT64_MAX },
		{ "18446744073709551616", UINT64_MAX, 0, 0 },
		{ "0x0000000000000000001", 255, 1, 1 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = 12345;
		int rc = iscsi_parse_number(rows[i].v, strlen(rows[i].v), rows[i].max, &v);

		t_row("numbers", rows[i].v, (rc == 0) != rows[i].ok || (rc == 0 && v != rows[i].want),
		      "wrong outcome");
	}
}

static void booleans(void)
{
	bool b;

	CHECK_INT(iscsi_parse_bool("Yes", 3, &b), 0);
	CHECK(b);
	CHECK_INT(iscsi_parse_bool("No", 2, &b), 0);
	CHECK(!b);
	CHECK(iscsi_parse_bool("yes", 3, &b) < 0);
	CHECK(iscsi_parse_bool("Yess", 4, &b) < 0);
	CHECK(iscsi_parse_bool("", 0, &b) < 0);
}

static void binaries(void)
{
	static const struct { const char *v; int ok; size_t len; const char *bytes; } rows[] = {
		{ "0x0102", 1, 2, "\x01\x02" },
		{ "0X0a0B", 1, 2, "\x0a\x0b" },
		{ "0x102", 1, 2, "\x01\x02" },			/* odd: a leading zero */
		{ "0x1", 1, 1, "\x01" },
		{ "0bAQI=", 1, 2, "\x01\x02" },
		{ "0BAQID", 1, 3, "\x01\x02\x03" },
		{ "0bAQ==", 1, 1, "\x01" },
		{ "0b+/+/", 1, 3, "\xfb\xff\xbf" },
		{ "0x", 0, 0, "" }, { "0b", 0, 0, "" }, { "0xg0", 0, 0, "" },
		{ "0bAQ=", 0, 0, "" }, { "0b====", 0, 0, "" }, { "0bA=QI", 0, 0, "" },
		{ "0b=AQI", 0, 0, "" }, { "0bAQ*I", 0, 0, "" }, { "1x00", 0, 0, "" }, { "0y00", 0, 0, "" },
		{ "01", 0, 0, "" },
		/* nettle skips white space; RFC 7143 §6.1 has none inside a value */
		{ "0x01 02", 0, 0, "" }, { "0x0102\n", 0, 0, "" }, { "0x\t1", 0, 0, "" },
		{ "0bAQ I", 0, 0, "" }, { "0bAQI=\r", 0, 0, "" }, { "0b AQI", 0, 0, "" },
		{ "0bAR==", 0, 0, "" },				/* unused bits that are not zero */
		{ "0bA===", 0, 0, "" }, { "0bAQI=AQI=", 0, 0, "" },
		{ "0xFfeE", 1, 2, "\xff\xee" },
		{ "0bAQIDBAUGBwg=", 1, 8, "\x01\x02\x03\x04\x05\x06\x07\x08" },	/* at the cap */
		{ "0bAQIDBAUGBwgJ", 0, 0, "" },			/* 9 bytes */
		{ "0x000102030405060708", 0, 0, "" },		/* 9 bytes: above the cap of 8 */
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t out[8];
		size_t n = 0;
		int rc = iscsi_decode_binary(rows[i].v, strlen(rows[i].v), out, sizeof(out), &n);

		t_row("binary values", rows[i].v,
		      (rc == 0) != rows[i].ok || (rc == 0 && (n != rows[i].len || memcmp(out, rows[i].bytes, n))),
		      "wrong outcome");
	}
	{
		uint8_t out[8];
		size_t n;

		CHECK(iscsi_decode_binary("0x0\0", 4, out, sizeof(out), &n) < 0);
		CHECK(iscsi_decode_binary("0bAQ\0=", 6, out, sizeof(out), &n) < 0);
	}
}

static void hex_out(void)
{
	static const uint8_t b[3] = { 0x00, 0xab, 0xff };
	char out[9];

	iscsi_encode_hex(b, 3, out);
	CHECK_STR(out, "0x00abff");
}

static void builder(void)
{
	uint8_t buf[16];
	struct iscsi_textbuf t = { .buf = buf, .cap = sizeof(buf) };

	iscsi_text_add(&t, "A", "1");
	iscsi_text_addf(&t, "B", "%u", 22u);
	CHECK(!t.overflow);
	CHECK_INT(t.len, 9);
	CHECK_MEM(buf, "A=1\0B=22\0", 9);
	iscsi_text_add(&t, "Longer", "value");
	CHECK(t.overflow);
	CHECK_INT(t.len, 9);
}

static void addresses(void)
{
	static const struct { const char *v; int ok; const char *host; unsigned port; int tpgt; } rows[] = {
		{ "10.0.0.1", 1, "10.0.0.1", 3260, -1 },
		{ "10.0.0.1:3261", 1, "10.0.0.1", 3261, -1 },
		{ "10.0.0.1:3261,2", 1, "10.0.0.1", 3261, 2 },
		{ "10.0.0.1,7", 1, "10.0.0.1", 3260, 7 },
		{ "[fd00::1]:3260,1", 1, "fd00::1", 3260, 1 },
		{ "[fd00::1]", 1, "fd00::1", 3260, -1 },
		{ "target.example.com:860,65535", 1, "target.example.com", 860, 65535 },
		{ "10.0.0.1,", 0, "", 0, 0 }, { ":3260", 0, "", 0, 0 }, { "[fd00::1", 0, "", 0, 0 },
		{ "a b", 0, "", 0, 0 }, { "10.0.0.1:0", 0, "", 0, 0 }, { "10.0.0.1:65536", 0, "", 0, 0 },
		{ "10.0.0.1:32a", 0, "", 0, 0 }, { "10.0.0.1,65536", 0, "", 0, 0 }, { "", 0, "", 0, 0 },
		{ "[]:3260", 0, "", 0, 0 }, { "h'x", 0, "", 0, 0 }, { "[fd00::1]x", 0, "", 0, 0 },
		{ "[fe80::1%eth0]:3261,1", 1, "fe80::1%eth0", 3261, 1 },
		/* tgt sends its RedirectAddress as it was given: bare IPv6 is ambiguous */
		{ "fe80::1:3261", 0, "", 0, 0 }, { "fd00::1", 0, "", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hostport p;
		struct sr_error err;
		int tpgt = 0, rc;

		rc = iscsi_parse_target_address(rows[i].v, strlen(rows[i].v), &p, &tpgt, &err);
		t_row("TargetAddress", rows[i].v,
		      (rc == 0) != rows[i].ok ||
		      (rc == 0 && (strcmp(p.host, rows[i].host) || p.port != rows[i].port || tpgt != rows[i].tpgt)),
		      rc < 0 ? err.msg : "wrong outcome");
	}
}

static void sendtargets(void)
{
	struct iscsi_st_target t[2];
	struct sr_error err;
	uint8_t buf[512];
	unsigned n;
	bool more;
	size_t len;

	/* What tgt answers, with a second target and portal added. */
	len = unbar("TargetName=iqn.2024-01.test:disk1|TargetAddress=127.0.0.1:3260,1|"
		    "TargetAddress=[::1]:3260,1|TargetName=iqn.2024-01.test:disk2|"
		    "TargetAddress=10.0.0.2:3261,2|", buf);
	CHECK_INT(iscsi_sendtargets_parse(buf, len, t, 2, &n, &more, &err), 0);
	CHECK_INT(n, 2);
	CHECK(!more);
	CHECK_STR(t[0].name, "iqn.2024-01.test:disk1");
	CHECK_INT(t[0].nportals, 2);
	CHECK_STR(t[0].portal[1].host, "::1");
	CHECK_INT(t[1].tpgt[0], 2);
	CHECK_INT(t[1].portal[0].port, 3261);

	CHECK_INT(iscsi_sendtargets_parse(buf, len, t, 1, &n, &more, &err), 0);
	CHECK_INT(n, 1);
	CHECK(more);
	CHECK_INT(t[0].nportals, 2);

	len = unbar("TargetAddress=127.0.0.1|TargetName=x|", buf);
	CHECK(iscsi_sendtargets_parse(buf, len, t, 2, &n, &more, &err) < 0);
	len = unbar("TargetName=|", buf);
	CHECK(iscsi_sendtargets_parse(buf, len, t, 2, &n, &more, &err) < 0);
	len = unbar("TargetName=x|TargetAddress=bad host|", buf);
	CHECK(iscsi_sendtargets_parse(buf, len, t, 2, &n, &more, &err) < 0);
	len = unbar("TargetName=only|", buf);
	CHECK_INT(iscsi_sendtargets_parse(buf, len, t, 2, &n, &more, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(t[0].nportals, 0);
}

int main(void)
{
	pairs();
	RUN(value_cap);
	RUN(exact_keys);
	numbers();
	RUN(booleans);
	binaries();
	RUN(hex_out);
	RUN(builder);
	addresses();
	RUN(sendtargets);
	T_EXIT();
}
