// SPDX-License-Identifier: GPL-2.0-only
/* Attaching a boot's targets: the handoff's login parameters, the passes and their backoff. */
#include <errno.h>
#include <string.h>

#include "iscsi/kernel/iscsi_attach.h"
#include "t.h"

static void params(void)
{
	struct iscsi_handoff_conf c;
	struct iscsi_login_params p = { 0 };
	static const uint8_t kept[6] = { 0x80, 1, 2, 3, 4, 5 };

	iscsi_handoff_conf_defaults(&c);
	c.offer.max_recv_dsl = 65536;
	c.header_digest = ISCSI_DIGEST_CRC32C;
	c.data_digest = ISCSI_DIGEST_NONE;
	p.tsih = 0x1234;
	memcpy(p.isid, "\x80\xaa\xbb\xcc\xdd\xee", 6);
	p.chap.secret = "stays";

	iscsi_attach_params(&c, NULL, false, &p);
	CHECK_MEM(p.isid, "\x80\xaa\xbb\xcc\xdd\xee", 6);	/* a fresh one stays */
	CHECK_INT(p.tsih, 0);
	CHECK_INT(p.offer.max_recv_dsl, 65536);
	CHECK_INT(p.header_digest, ISCSI_DIGEST_CRC32C);
	CHECK_INT(p.data_digest, ISCSI_DIGEST_NONE);
	CHECK(!p.chap7_sha1);
	CHECK_STR(p.chap.secret, "stays");

	/* The keeper's and `keep`'s: the session's own ISID, for ERL 0 reinstatement. */
	iscsi_attach_params(&c, kept, true, &p);
	CHECK_MEM(p.isid, kept, 6);
	CHECK(p.chap7_sha1);
	CHECK_INT(p.tsih, 0);
}

static void backoff(void)
{
	int64_t b = 0;
	static const int64_t want[] = { 250, 500, 1000, 2000, 4000, 4000 };

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		b = iscsi_attach_backoff(b);
		CHECK_INT(b, want[i]);
	}
}

static void passes(void)
{
	unsigned grace = 0;

	/* All up, or the deadline too near for the next wait: stop. */
	CHECK(!iscsi_attach_again(1, 0, 2, &grace, -1, 0, 250, 100000));
	CHECK(!iscsi_attach_again(1, 1, 0, &grace, -1, 99800, 250, 100000));
	/* None up: until the deadline. */
	for (unsigned pass = 1; pass < 50; pass++)
		CHECK(iscsi_attach_again(pass, 1, 0, &grace, -1, 0, 4000, 100000));
	CHECK_INT(grace, 0);
	/* One up, another down: a grace of a few passes, then the boot goes on. */
	CHECK(iscsi_attach_again(1, 1, 1, &grace, -1, 0, 250, 100000));
	CHECK(iscsi_attach_again(2, 1, 1, &grace, -1, 0, 500, 100000));
	CHECK(!iscsi_attach_again(3, 1, 1, &grace, -1, 0, 1000, 100000));
	CHECK_INT(grace, ISCSI_ATTACH_GRACE_PASSES);
	/* login_retry_max: that many passes, grace or not. */
	grace = 0;
	CHECK(iscsi_attach_again(1, 1, 0, &grace, 2, 0, 250, 100000));
	CHECK(!iscsi_attach_again(2, 1, 0, &grace, 2, 0, 250, 100000));
	CHECK(iscsi_attach_again(1, 1, 1, &grace, 5, 0, 250, 100000));
	CHECK(iscsi_attach_again(4, 1, 1, &grace, 5, 0, 250, 100000));
	CHECK_INT(grace, 0);
}

static void type_names(void)
{
	CHECK_STR(iscsi_scsi_type_name(0x05), "CD/DVD drive");
	CHECK_STR(iscsi_scsi_type_name(-1), "device of unknown type");
	CHECK_STR(iscsi_scsi_type_name(0x1f), "device that is not a disk");
}

int main(void)
{
	RUN(params);
	RUN(backoff);
	RUN(passes);
	RUN(type_names);
	T_EXIT();
}
