// SPDX-License-Identifier: GPL-2.0-only
/* A resolved plan as bytes, and back, checked field by field. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "plan/plan_blob.h"

#define BLOB_MAGIC   "SRPLAN\r\n"	/* a text tool that mangles line ends breaks it visibly */
#define BLOB_VERSION 1u

struct blob_header {
	char magic[8];
	uint32_t version;
	uint32_t size;		/* sizeof(struct plan) of the writer */
};

size_t plan_blob_size(void)
{
	return sizeof(struct blob_header) + sizeof(struct plan);
}

void plan_blob_encode(const struct plan *p, void *out)
{
	struct blob_header h = { .version = BLOB_VERSION, .size = sizeof(struct plan) };

	memcpy(h.magic, BLOB_MAGIC, sizeof(h.magic));
	memcpy(out, &h, sizeof(h));
	memcpy((char *)out + sizeof(h), p, sizeof(*p));
}

/*
 * The checks. A string must end within its array; a bool must be 0 or 1
 * (any other byte is not a value C can read back); an enumeration must name
 * one of its members; a count must fit its array.
 */
#define STR_OK(a)   (memchr((a), '\0', sizeof(a)) != NULL)
#define BOOL_OK(b)  (*(const unsigned char *)&(b) <= 1)
#define ORIGIN_OK(o) ((unsigned)(o) <= ORIGIN_DHCP)

static bool chap_ok(const struct plan_chap *c)
{
	return STR_OK(c->name) && STR_OK(c->secret) && c->wiped_len < PLAN_CHAP_MAX;
}

static bool target_ok(const struct plan_target *t)
{
	if (!STR_OK(t->name) || t->nportals > PLAN_MAX_PORTALS || !BOOL_OK(t->lun_set) ||
	    !STR_OK(t->iface) || !STR_OK(t->netdev) || !chap_ok(&t->chap) || !chap_ok(&t->rchap) ||
	    !ORIGIN_OK(t->origin) || !BOOL_OK(t->boot))
		return false;
	for (unsigned i = 0; i < PLAN_MAX_PORTALS; i++)
		if (!STR_OK(t->portal[i].host))
			return false;
	return true;
}

static bool net_ok(const struct plan_net *n)
{
	return STR_OK(n->dev) && (unsigned)n->method <= IP_IBFT && STR_OK(n->addr) &&
	       n->prefix <= 128 && STR_OK(n->peer) && STR_OK(n->gateway) && STR_OK(n->hostname) &&
	       STR_OK(n->dns[0]) && STR_OK(n->dns[1]) && STR_OK(n->ntp) && BOOL_OK(n->has_mac) &&
	       n->vlan < 4095 && ORIGIN_OK(n->origin);
}

static const char *check(const struct plan *p)
{
	if (!STR_OK(p->initiator) || !ORIGIN_OK(p->initiator_origin))
		return "the initiator";
	if (p->ntargets > PLAN_MAX_TARGETS)
		return "the number of targets";
	for (unsigned i = 0; i < PLAN_MAX_TARGETS; i++)
		if (!target_ok(&p->target[i]))
			return "a target";
	if (p->nnets > PLAN_MAX_NETS)
		return "the number of networks";
	for (unsigned i = 0; i < PLAN_MAX_NETS; i++)
		if (!net_ok(&p->net[i]))
			return "a network";
	if (!BOOL_OK(p->has_bootif) || p->nifnames > PLAN_MAX_IFNAMES || p->nvlans > PLAN_MAX_VLANS)
		return "the interfaces";
	for (unsigned i = 0; i < PLAN_MAX_IFNAMES; i++)
		if (!STR_OK(p->ifname[i].name))
			return "an interface name";
	for (unsigned i = 0; i < PLAN_MAX_VLANS; i++)
		if (!STR_OK(p->vlan[i].name) || !STR_OK(p->vlan[i].parent) || p->vlan[i].id > 4094)
			return "a VLAN";
	if (!STR_OK(p->root.dev) || !STR_OK(p->root.fstype) || !STR_OK(p->root.flags) ||
	    p->root.ro < -1 || p->root.ro > 1 || !STR_OK(p->root.init) ||
	    !BOOL_OK(p->root.from_dhcp) || !STR_OK(p->root.vg) || !STR_OK(p->root.lv))
		return "the root";
	if (!BOOL_OK(p->lvm.disabled) || p->lvm.nvg > PLAN_MAX_LVM || p->lvm.nlv > PLAN_MAX_LVM)
		return "the LVM names";
	for (unsigned i = 0; i < PLAN_MAX_LVM; i++)
		if (!STR_OK(p->lvm.vg[i]) || !STR_OK(p->lvm.lv[i]))
			return "an LVM name";
	if (!BOOL_OK(p->iscsi.firmware) || !BOOL_OK(p->iscsi.waitnet) || p->iscsi.nparam > PLAN_MAX_PARAMS)
		return "the iSCSI settings";
	for (unsigned i = 0; i < PLAN_MAX_PARAMS; i++)
		if (!STR_OK(p->iscsi.param[i].name) || !STR_OK(p->iscsi.param[i].value))
			return "an iSCSI parameter";
	if (!BOOL_OK(p->sanroot.shell) || !BOOL_OK(p->sanroot.debug) || !BOOL_OK(p->sanroot.keep) ||
	    !BOOL_OK(p->sanroot.md5) || !BOOL_OK(p->sanroot.noauth) || !BOOL_OK(p->sanroot.multipath))
		return "the sanroot.* settings";
	if (p->nsources > sizeof(p->source) / sizeof(p->source[0]))
		return "the number of sources";
	for (unsigned i = 0; i < sizeof(p->source) / sizeof(p->source[0]); i++)
		if (!ORIGIN_OK(p->source[i].origin) || !STR_OK(p->source[i].name))
			return "a source";
	if (p->nnotes > PLAN_MAX_NOTES)
		return "the number of notes";
	for (unsigned i = 0; i < PLAN_MAX_NOTES; i++)
		if ((unsigned)p->note[i].kind > NOTE_CONFLICT || !STR_OK(p->note[i].text))
			return "a note";
	return NULL;
}

int plan_blob_decode(const void *buf, size_t len, struct plan *out, struct sr_error *err)
{
	struct blob_header h;
	const char *bad;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(h))
		return sr_fail(err, EINVAL, "the plan is cut short (%zu bytes)", len);
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, BLOB_MAGIC, sizeof(h.magic)) != 0)
		return sr_fail(err, EINVAL, "not a plan (no header)");
	if (h.version != BLOB_VERSION || h.size != sizeof(struct plan))
		return sr_fail(err, EINVAL, "a plan of another build (version %u, %u bytes; expected %u, %zu)",
			       h.version, h.size, BLOB_VERSION, sizeof(struct plan));
	if (len != plan_blob_size())
		return sr_fail(err, EINVAL, "the plan is %zu bytes, expected %zu", len, plan_blob_size());
	memcpy(out, (const char *)buf + sizeof(h), sizeof(*out));
	if ((bad = check(out))) {
		explicit_bzero(out, sizeof(*out));
		return sr_fail(err, EINVAL, "the plan is damaged: %s", bad);
	}
	return 0;
}
