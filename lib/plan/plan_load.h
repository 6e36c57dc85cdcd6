/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading every source of the boot plan from a running system (or a tree). */
#ifndef SANROOT_PLAN_LOAD_H
#define SANROOT_PLAN_LOAD_H

#include <stdbool.h>

#include "plan/plan.h"

#define SANROOT_CONF      "/etc/sanroot.conf"
#define ISCSI_INITRAMFS   "/etc/iscsi/iscsi.initramfs"
#define ISCSI_INITRAMFS_2 "/etc/iscsi.initramfs"	/* where open-iscsi's hook puts it */

struct plan_load_opts {
	const char *sysroot;		/* prefix for every system path; NULL or "" for / */
	const char *cmdline;		/* text instead of /proc/cmdline */
	const char *cmdline_file;	/* a file instead of /proc/cmdline */
	const char *conf;		/* instead of /etc/sanroot.conf */
	const char *ibft_file;		/* a raw table instead of the system's */
	bool no_ibft;
	bool secrets;			/* keep CHAP secrets in the plan; else only their lengths */
};

/*
 * Read the command line, /etc/iscsi/iscsi.initramfs, /etc/sanroot.conf and
 * the iBFT, and resolve them. sanroot.conf is refused unless only its owner
 * (root, or whoever runs us) can read or write it. Unless o->secrets, the
 * secrets are wiped before this returns (plan_wipe_secrets()); a caller that
 * keeps them wipes them when done.
 */
int plan_load(const struct plan_load_opts *o, struct plan *out, struct sr_error *err);

#endif
