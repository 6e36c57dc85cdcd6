// SPDX-License-Identifier: GPL-2.0-only
/* CRC32C against the vectors of RFC 3720 Appendix B.4 (carried into RFC 7143) and the usual check value. */
#include "t.h"

#include "crypto/crc32c.h"

static const uint8_t read10_pdu[48] = {
	0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
	0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void rfc_vectors(void)
{
	uint8_t b[32];

	memset(b, 0, sizeof(b));
	CHECK_INT(crc32c(0, b, 32), 0x8a9136aa);	/* wire bytes aa 36 91 8a */
	memset(b, 0xff, sizeof(b));
	CHECK_INT(crc32c(0, b, 32), 0x62a8ab43);
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	CHECK_INT(crc32c(0, b, 32), 0x46dd794e);
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	CHECK_INT(crc32c(0, b, 32), 0x113fdb5c);
	CHECK_INT(crc32c(0, read10_pdu, 48), 0xd9963a56);
}

static void check_value(void)
{
	CHECK_INT(crc32c(0, "123456789", 9), 0xe3069283);
	CHECK_INT(crc32c(0, "", 0), 0);
}

/* Any split, any alignment: the same value as one pass. */
static void incremental(void)
{
	uint8_t buf[300];
	uint32_t whole;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	whole = crc32c(0, buf + 1, sizeof(buf) - 1);
	for (size_t cut = 0; cut < sizeof(buf) - 1; cut += 13)
		CHECK_INT(crc32c(crc32c(0, buf + 1, cut), buf + 1 + cut, sizeof(buf) - 1 - cut), whole);
}

int main(void)
{
	RUN(rfc_vectors);
	RUN(check_value);
	RUN(incremental);
	T_EXIT();
}
