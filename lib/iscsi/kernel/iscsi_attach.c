// SPDX-License-Identifier: GPL-2.0-only
/* Attaching a boot's targets through the kernel: login or an existing session, then the disks. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/backoff.h"
#include "core/clock.h"
#include "iscsi/iscsi_connect.h"
#include "iscsi/kernel/iscsi_attach.h"

void iscsi_attach_params(const struct iscsi_handoff_conf *c, const uint8_t *isid, bool chap7_sha1,
			 struct iscsi_login_params *p)
{
	if (isid)
		memcpy(p->isid, isid, sizeof(p->isid));
	p->offer = c->offer;
	p->header_digest = c->header_digest;
	p->data_digest = c->data_digest;
	p->tsih = 0;		/* a new session, or ERL 0 reinstatement of ours */
	p->chap7_sha1 = chap7_sha1;	/* what worked, at once next time */
}

int64_t iscsi_attach_backoff(int64_t backoff)
{
	if (backoff < ISCSI_ATTACH_BACKOFF_MIN_MS)
		return ISCSI_ATTACH_BACKOFF_MIN_MS;
	return backoff * 2 > ISCSI_ATTACH_BACKOFF_MAX_MS ? ISCSI_ATTACH_BACKOFF_MAX_MS : backoff * 2;
}

bool iscsi_attach_again(unsigned pass, unsigned pending, unsigned nup, unsigned *grace,
			int retry_max, int64_t now, int64_t backoff, int64_t deadline)
{
	if (!pending || now + backoff >= deadline)
		return false;
	if (retry_max > 0 && pass >= (unsigned)retry_max)
		return false;
	/* A path that is down holds the boot only while no other is up. */
	if (nup && retry_max <= 0 && ++*grace >= ISCSI_ATTACH_GRACE_PASSES)
		return false;
	return true;
}

const char *iscsi_scsi_type_name(int type)
{
	switch (type) {
	case 0x00: return "disk";
	case 0x05: return "CD/DVD drive";
	case 0x0c: return "storage array controller";
	case 0x0d: return "enclosure";
	case -1: return "device of unknown type";
	default: return "device that is not a disk";
	}
}

static void lun_list(const struct iscsi_sysfs_lun *l, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%" PRIu64 " (%s)", i ? ", " : "",
				      l[i].lun, iscsi_scsi_type_is_disk(l[i].type) ? "disk" :
				      iscsi_scsi_type_name(l[i].type));
	if (!n)
		snprintf(buf, len, "none");
}

/*
 * Scan the session's host and wait for the block devices: of the LUN asked
 * for, or of every disk LUN the target offers.
 */
static int wait_disks(struct iscsi_attach *a, int64_t deadline, struct sr_error *err)
{
	struct iscsi_sysfs_lun l[ISCSI_SYSFS_LUNS_MAX];
	char seen[256];
	size_t n = 0;
	int rc;

	rc = iscsi_sysfs_session_host(NULL, a->s.sid, &a->s.host, err);
	if (rc < 0)
		return rc;
	rc = iscsi_sysfs_scan(NULL, a->s.host, err);
	if (rc < 0)
		return rc;
	for (;;) {
		struct timespec pause = { 0, 20 * 1000000L };
		unsigned disks = 0, ready = 0;

		rc = iscsi_sysfs_session_luns(NULL, a->s.sid, l, ISCSI_SYSFS_LUNS_MAX, &n, err);
		if (rc < 0)
			return rc;
		a->ndisks = 0;
		for (size_t i = 0; i < n; i++) {
			if (a->lun_set ? l[i].lun != a->lun : !iscsi_scsi_type_is_disk(l[i].type))
				continue;
			if (a->lun_set && !iscsi_scsi_type_is_disk(l[i].type) && l[i].type >= 0)
				return sr_fail(err, ENODEV, "LUN %" PRIu64 " is a %s", l[i].lun,
					       iscsi_scsi_type_name(l[i].type));
			disks++;
			if (l[i].block[0] && a->ndisks < ISCSI_STATE_DISKS) {
				a->disk[a->ndisks++] = l[i];
				ready++;
			}
		}
		if (disks && ready == disks)
			return 0;
		if (monotonic_ms() >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	lun_list(l, n, seen, sizeof(seen));
	if (a->lun_set)
		return sr_fail(err, ENODEV, "LUN %" PRIu64 " has no block device in time (the "
			       "target offers LUNs: %s)", a->lun, seen);
	return sr_fail_why(err, ENODEV, SR_R_NO_DISK, "no disk appeared in time (the target offers LUNs: %s)",
			   seen);
}

static bool same_portal(uint32_t sid, const struct hostport *p)
{
	char addr[HOSTPORT_HOST_MAX], port[16];

	if (iscsi_sysfs_conn_attr(NULL, sid, 0, "persistent_address", addr, sizeof(addr)) < 0 ||
	    iscsi_sysfs_conn_attr(NULL, sid, 0, "persistent_port", port, sizeof(port)) < 0)
		return false;
	return !strcmp(addr, p->host) && strtoul(port, NULL, 10) == p->port;
}

/* A session to this target through one of its portals: iscsistart's "session exists". */
static bool find_existing(struct iscsi_attach *a, int state_dirfd)
{
	uint32_t sids[64];
	size_t n = iscsi_sysfs_sessions(NULL, sids, 64);
	char name[ISCSI_NAME_MAX];

	for (size_t i = 0; i < n && i < 64; i++) {
		if (iscsi_sysfs_session_attr(NULL, sids[i], "targetname", name, sizeof(name)) < 0 ||
		    strcmp(name, a->p.target_name))
			continue;
		for (unsigned k = 0; k < a->nportals; k++) {
			struct iscsi_state st;

			if (!same_portal(sids[i], &a->portal[k]))
				continue;
			a->s.sid = sids[i];
			a->s.cid = 0;
			a->s.portal = a->portal[k];
			a->adopted = true;
			if (state_dirfd >= 0 && iscsi_state_read(state_dirfd, sids[i], &st) == 0)
				iscsi_state_isid(&st, a->s.login.isid);
			return true;
		}
	}
	return false;
}

static void try_one(const struct iscsi_handoff *h, struct iscsi_attach *a,
		    const struct iscsi_attach_opts *o)
{
	struct sr_error ignored;
	int rc;

	if (!a->started)
		a->started = monotonic_ms();
	if (find_existing(a, o->state_dirfd)) {
		char where[HOSTPORT_TEXT_MAX];

		hostport_format(&a->s.portal, where, sizeof(where));
		iscsi_logf(h->log, ISCSI_LOG_INFO, "%s: already logged in at %s as session %" PRIu32,
			   a->p.target_name, where, a->s.sid);
		a->where = a->s.portal;
	} else {
		rc = iscsi_handoff_login(h, &a->p, a->portal, a->nportals, o->deadline, 1, &a->s,
					 &a->where, &a->err);
		if (rc < 0) {
			if (!iscsi_error_transient(rc))
				a->st = ISCSI_ATTACH_FAILED;
			return;
		}
	}
	rc = wait_disks(a, o->deadline, &a->err);
	if (rc < 0) {
		/* Logged in but useless to the boot: leave nothing half-made behind. */
		if (!a->adopted)
			iscsi_handoff_logout(h, a->s.sid, a->s.cid, ISCSI_ATTACH_LOGOUT_WAIT_MS,
					     &ignored);
		a->st = ISCSI_ATTACH_FAILED;
		return;
	}
	a->st = ISCSI_ATTACH_UP;
}

void iscsi_attach_all(const struct iscsi_handoff *h, struct iscsi_attach *a, unsigned n,
		      const struct iscsi_attach_opts *o)
{
	int64_t backoff = ISCSI_ATTACH_BACKOFF_MIN_MS;
	uint64_t rng = backoff_seed();
	unsigned grace = 0;

	for (unsigned pass = 1;; pass++) {
		const struct iscsi_attach *why = NULL;
		unsigned pending = 0, nup = 0;
		char where[HOSTPORT_TEXT_MAX];
		struct timespec ts;
		int64_t pause;

		for (unsigned i = 0; i < n; i++) {
			if (a[i].st == ISCSI_ATTACH_PENDING)
				try_one(h, &a[i], o);
			if (a[i].st == ISCSI_ATTACH_PENDING && !why)
				why = &a[i];
			pending += a[i].st == ISCSI_ATTACH_PENDING;
			nup += a[i].st == ISCSI_ATTACH_UP;
		}
		pause = backoff_pause(&rng, backoff, monotonic_ms(), o->deadline);
		if (pause < 0 || !iscsi_attach_again(pass, pending, nup, &grace, o->retry_max,
						     monotonic_ms(), pause, o->deadline))
			return;
		hostport_format(&why->where, where, sizeof(where));
		iscsi_logf(h->log, ISCSI_LOG_NOTICE, "%u target%s not up yet (%s at %s: %s); "
			   "trying again in %lld ms", pending, pending == 1 ? "" : "s",
			   why->p.target_name, where, why->err.msg, (long long)pause);
		ts = (struct timespec){ pause / 1000, (pause % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		backoff = iscsi_attach_backoff(backoff);
	}
}
