/* SPDX-License-Identifier: GPL-2.0-only */
/* The boot's steps, and the likely causes of a failure, from the failing tool's message. */
#ifndef SANROOT_DIAGNOSE_H
#define SANROOT_DIAGNOSE_H

enum boot_step { STEP_CONFIG, STEP_NET, STEP_ISCSI, STEP_LVM, STEP_ROOT, STEP_SWITCH, STEP_MAX };

const char *boot_step_name(enum boot_step s);
/* The step named s ("config", "net", "iscsi", "lvm", "root", "switch"), or -1. */
int boot_step_parse(const char *s);

#define DIAG_CAUSE_MAX 3

/*
 * The likely causes of a failure at step, given the one-line message of the
 * tool that failed (any case); at most DIAG_CAUSE_MAX, most likely first.
 * Returns how many; there is always at least the step's generic advice.
 */
unsigned diagnose(enum boot_step step, const char *message, const char *causes[DIAG_CAUSE_MAX]);

#endif
