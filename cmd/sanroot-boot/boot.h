/* SPDX-License-Identifier: GPL-2.0-only */
/* sanroot-boot's parts: running the other tools, and the --status report. */
#ifndef SANROOT_BOOT_H
#define SANROOT_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/clock.h"
#include "core/reason.h"
#include "plan/diagnose.h"

#define RUN_LINE_MAX 512

struct run_result {
	int status;		/* the exit code; -1 when killed at the deadline or not started */
	char last[RUN_LINE_MAX];	/* the tool's last stderr line, its prefix removed */
	char notice[RUN_LINE_MAX];	/* the tool's last stderr line before the last */
	char *out;		/* its stdout (malloc'd, NUL-terminated), or NULL */
	enum sr_reason reason;	/* why it failed, as it said (tool_fail_why) */
	double secs;
};

/*
 * Run a sanroot tool (found next to this binary, in --bin, or in PATH) with
 * argv, passing its stderr through to ours line by line and keeping the last
 * lines; its stdout is collected. Gives it until deadline (monotonic_s(),
 * core/clock.h), then SIGTERM, then SIGKILL.
 */
void run_tool(const char *bindir, char *const argv[], double deadline, struct run_result *r);
void run_result_free(struct run_result *r);

/*
 * The plan's descriptor (tool_plan_share()) each tool run from now on gets a
 * copy of, named by SANROOT_PLAN_FD; -1: none. The previous one is closed.
 */
void run_set_plan_fd(int fd);

/* sanroot-boot --status: what the running system has, read only. */
int boot_status(void);

/*
 * The modules sanroot-boot loads before step (8021q only with vlan), appended
 * to list[n..max); returns the new count. --print-modules and --print-tools:
 * every module and tool name an image needs, one a line.
 */
size_t boot_modules(enum boot_step step, bool vlan, const char **list, size_t n, size_t max);
void boot_print_modules(FILE *f);
void boot_print_tools(FILE *f);

#endif
