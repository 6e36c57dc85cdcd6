/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /run/sanroot/iscsi/sessionN: what is known of a session handed to the
 * kernel (target, portals, ISID, disks, its keeper), for sanroot-boot's
 * diagnosis, `sanroot-iscsi sessions` and `keep`, and the real root. Shell
 * assignments (quote_shell), never a secret. Written through a directory
 * descriptor, so a keeper keeps writing after the switch to the real root.
 */
#ifndef SANROOT_ISCSI_STATE_H
#define SANROOT_ISCSI_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/hostport.h"
#include "iscsi/iscsi_text.h"

#define ISCSI_STATE_DIR		"/run/sanroot/iscsi"
#define ISCSI_STATE_PORTALS	8
#define ISCSI_STATE_DISKS	8
#define ISCSI_STATE_TEXT_MAX	16384	/* a file, at most */

struct iscsi_state {
	uint32_t sid, cid;
	char target[ISCSI_NAME_MAX];
	char portal[HOSTPORT_TEXT_MAX];				/* the one in use */
	char portals[ISCSI_STATE_PORTALS * HOSTPORT_TEXT_MAX];	/* all, space-separated */
	char isid[16];						/* 12 hex digits */
	char devs[ISCSI_STATE_DISKS * 16];			/* "sda sdb" */
	char luns[ISCSI_STATE_DISKS * 8];			/* "1 2" */
	char state[16];		/* up, recovering, handed-over, logging-out */
	long keeper;		/* its pid, 0: none */
	unsigned recoveries;
	char last_error[128];
	long last_outage_ms, last_relogin_ms;
};

/* The file's text (pure). Returns its length, or -ENOSPC if cap is too small. */
int iscsi_state_format(const struct iscsi_state *st, char *buf, size_t cap);
/*
 * Parse what iscsi_state_format() wrote (pure): KEY='...' lines, a value
 * being '...' and \' pieces; comments and unknown keys skipped, values
 * longer than their field cut. -EINVAL on anything else.
 */
int iscsi_state_parse(const char *text, size_t len, struct iscsi_state *st);

/* Open dir (ISCSI_STATE_DIR), creating it and its parent. A descriptor, or -errno. */
int iscsi_state_dir_open(const char *dir);
/* sessionN, replaced atomically. 0 or -errno. */
int iscsi_state_write(int dirfd, const struct iscsi_state *st);
/* 0, -errno, or -EINVAL if the file is not one of ours for sid. */
int iscsi_state_read(int dirfd, uint32_t sid, struct iscsi_state *st);
void iscsi_state_remove(int dirfd, uint32_t sid);
/* The pid of the keeper of session sid that still runs (not handed over), or 0. */
long iscsi_state_live_keeper(int dirfd, uint32_t sid);

/* The ISID's 12 hex digits back into bytes; -EINVAL (isid untouched) if they are not. */
int iscsi_state_isid(const struct iscsi_state *st, uint8_t isid[6]);

#endif
