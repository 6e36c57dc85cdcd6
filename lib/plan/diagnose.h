/* SPDX-License-Identifier: GPL-2.0-only */
/* The boot's steps, and the likely causes of a failure, from the reason the failing tool gave. */
#ifndef SANROOT_DIAGNOSE_H
#define SANROOT_DIAGNOSE_H

#include "core/reason.h"

enum boot_step { STEP_CONFIG, STEP_NET, STEP_ISCSI, STEP_LVM, STEP_ROOT, STEP_SWITCH, STEP_MAX };

const char *boot_step_name(enum boot_step s);
/* The step named s ("config", "net", "iscsi", "lvm", "root", "switch"), or -1. */
int boot_step_parse(const char *s);

#define DIAG_CAUSE_MAX 2

/*
 * The likely causes of a failure at step, given the reason the tool that
 * failed gave (SR_R_NONE when it gave none); at most DIAG_CAUSE_MAX, most
 * likely first. Returns how many; there is always the step's generic advice.
 */
unsigned diagnose(enum boot_step step, enum sr_reason why, const char *causes[DIAG_CAUSE_MAX]);

#endif
