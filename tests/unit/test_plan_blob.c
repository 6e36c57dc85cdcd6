// SPDX-License-Identifier: GPL-2.0-only
/* The plan as bytes for the tools sanroot-boot runs: a round trip, and what is refused. */
#include <stdbool.h>

#include "plan/plan_blob.h"
#include "t.h"

static struct plan P, Q;
static unsigned char B[sizeof(struct plan) + 64];

/* A plan with something in every part: targets, portals, CHAP, nets, LVM, notes. */
static void resolved(struct plan *p)
{
	static const char cmd[] =
		"netroot=iscsi:user:secret-12345678@[fd00::2]::3261:1:iqn.2003-01.org.x:disk "
		"iscsi_initiator=iqn.2003-01.org.x:me ip=10.0.2.15::10.0.2.2:255.255.255.0:host:eth0:none "
		"BOOTIF=01-52-54-00-12-34-56 rd.lvm.vg=client root=/dev/mapper/client-rootfs "
		"rd.iscsi.param=MaxRecvDataSegmentLength=65536 sanroot.timeout=90 iscsi_target_ip=10.9.9.9";
	struct plan_input *in = plan_input_new();
	struct sr_error e = { 0 };

	if (plan_add_cmdline(in, cmd, sizeof(cmd) - 1, "/proc/cmdline", &e) < 0 ||
	    plan_resolve(in, p, &e) < 0)
		fprintf(stderr, "the plan: %s\n", e.msg);
	plan_input_free(in);
}

static void round_trip(void)
{
	struct sr_error e = { 0 };

	resolved(&P);
	CHECK_INT(P.ntargets, 1);
	CHECK(P.nnotes > 0);
	CHECK(plan_blob_size() <= sizeof(B));
	plan_blob_encode(&P, B);
	CHECK_INT(plan_blob_decode(B, plan_blob_size(), &Q, &e), 0);
	CHECK_MEM(&P, &Q, sizeof(P));
	CHECK_STR(Q.target[0].chap.secret, "secret-12345678");
	CHECK_STR(Q.target[0].portal[0].host, "fd00::2");
	CHECK_INT(Q.target[0].portal[0].port, 3261);
}

/* refused BYTES LEN: decoding fails, says why, and leaves nothing in the plan. */
static bool refused(const void *b, size_t len, const char *why)
{
	struct sr_error e = { 0 };
	static const struct plan zero;

	memset(&Q, 0x5a, sizeof(Q));
	return plan_blob_decode(b, len, &Q, &e) < 0 && strstr(e.msg, why) &&
	       memcmp(&Q, &zero, sizeof(Q)) == 0;
}

static void header(void)
{
	resolved(&P);
	plan_blob_encode(&P, B);
	CHECK(refused(B, 0, "cut short"));
	CHECK(refused(B, 15, "cut short"));
	CHECK(refused(B, plan_blob_size() - 1, "expected"));
	CHECK(refused(B, plan_blob_size() + 1, "expected"));
	B[0] ^= 1;
	CHECK(refused(B, plan_blob_size(), "not a plan"));
	B[0] ^= 1;
	B[8] ^= 2;	/* the version */
	CHECK(refused(B, plan_blob_size(), "another build"));
	B[8] ^= 2;
	B[12] ^= 4;	/* the size */
	CHECK(refused(B, plan_blob_size(), "another build"));
}

/* damaged FIELD: a plan with one field made impossible is refused, naming it */
#define DAMAGED(what, ...) do { \
	resolved(&P); \
	__VA_ARGS__; \
	plan_blob_encode(&P, B); \
	CHECK(refused(B, plan_blob_size(), what)); \
} while (0)

static void fields(void)
{
	DAMAGED("the number of targets", P.ntargets = PLAN_MAX_TARGETS + 1);
	DAMAGED("a target", P.target[0].nportals = PLAN_MAX_PORTALS + 1);
	DAMAGED("a target", memset(P.target[0].chap.secret, 'x', sizeof(P.target[0].chap.secret)));
	DAMAGED("a target", memset(P.target[7].portal[7].host, 'x', HOSTPORT_HOST_MAX));
	DAMAGED("a target", memset(&P.target[0].lun_set, 2, 1));
	DAMAGED("a target", P.target[0].origin = (enum plan_origin)99);
	DAMAGED("the initiator", memset(P.initiator, 'q', sizeof(P.initiator)));
	DAMAGED("a network", P.net[0].method = (enum plan_ip_method)42);
	DAMAGED("a network", P.net[0].prefix = 129);
	DAMAGED("the number of networks", P.nnets = 5);
	DAMAGED("a VLAN", P.vlan[0].id = 4095);
	DAMAGED("the root", P.root.ro = 2);
	DAMAGED("the LVM names", P.lvm.nlv = PLAN_MAX_LVM + 1);
	DAMAGED("an iSCSI parameter", memset(P.iscsi.param[15].value, 'v', sizeof(P.iscsi.param[15].value)));
	DAMAGED("the sanroot.* settings", memset(&P.sanroot.keep, 0xff, 1));
	DAMAGED("the number of notes", P.nnotes = PLAN_MAX_NOTES + 1);
	DAMAGED("a note", P.note[0].kind = (enum plan_note_kind)3);
	DAMAGED("a source", memset(P.source[7].name, 's', sizeof(P.source[7].name)));
}

int main(void)
{
	RUN(round_trip);
	RUN(header);
	RUN(fields);
	T_EXIT();
}
