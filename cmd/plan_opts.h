/* SPDX-License-Identifier: GPL-2.0-only */
/* Where the boot plan comes from: the options every sanroot tool takes, with one meaning. */
#ifndef SANROOT_PLAN_OPTS_H
#define SANROOT_PLAN_OPTS_H

#include <getopt.h>
#include <stdbool.h>

#include "plan/plan.h"
#include "plan/plan_load.h"

enum {
	OPT_PLAN_CMDLINE = 0x1000, OPT_PLAN_CMDLINE_FILE, OPT_PLAN_CONF, OPT_PLAN_IBFT_FILE,
	OPT_PLAN_NO_IBFT, OPT_PLAN_SYSROOT,
};

/* Entries for a tool's getopt_long() table. */
#define PLAN_OPTIONS \
	{ "cmdline", required_argument, NULL, OPT_PLAN_CMDLINE }, \
	{ "cmdline-file", required_argument, NULL, OPT_PLAN_CMDLINE_FILE }, \
	{ "conf", required_argument, NULL, OPT_PLAN_CONF }, \
	{ "ibft-file", required_argument, NULL, OPT_PLAN_IBFT_FILE }, \
	{ "no-ibft", no_argument, NULL, OPT_PLAN_NO_IBFT }, \
	{ "sysroot", required_argument, NULL, OPT_PLAN_SYSROOT }

/* Their --help lines, the same in every tool. */
#define PLAN_OPTIONS_HELP \
	"Where the boot plan comes from (the same options in every sanroot tool):\n" \
	"      --cmdline TEXT       TEXT is the kernel command line, not /proc/cmdline\n" \
	"      --cmdline-file FILE  read the kernel command line from FILE\n" \
	"      --conf FILE          read FILE instead of /etc/sanroot.conf (mode 0600)\n" \
	"      --ibft-file FILE     read a raw iBFT from FILE instead of the firmware's\n" \
	"      --no-ibft            ignore the firmware's iBFT\n" \
	"      --sysroot DIR        read /proc, /etc, /run, /sys and /dev/mem under DIR\n"

/* When c is one of the options above, record it in o and return true. */
bool plan_opt(struct plan_load_opts *o, int c, const char *arg);

/*
 * Read the plan as o says, after checking that the options agree; or, when
 * sanroot-boot runs us and handed its resolved plan over (SANROOT_PLAN_FD,
 * tool_plan_share()), take that one. A tool
 * that never needs CHAP secrets passes secrets = false: they are wiped
 * before this returns (their lengths stay for messages). Those kept are
 * wiped when the program exits, however it exits. Returns plan_load()'s
 * result; err says why.
 */
int tool_plan_load(struct plan_load_opts *o, struct plan *p, bool secrets, struct sr_error *err);

/*
 * The plan, secrets included, in a sealed anonymous file (memfd) for the
 * tools sanroot-boot runs: a copy of the descriptor, named by
 * SANROOT_PLAN_FD, lets tool_plan_load() read it there instead of reading
 * the command line, the files and the iBFT again. Never a path, argv or the
 * environment: the descriptor is the only way to it. Returns the descriptor
 * (close-on-exec), or -1 with err set.
 */
int tool_plan_share(const struct plan *p, struct sr_error *err);

/*
 * The options o holds, again, for a sanroot tool this one runs: appended to
 * argv from *n on (at most PLAN_OPTS_ARGV_MAX entries). The strings are o's.
 */
#define PLAN_OPTS_ARGV_MAX 12
void plan_opts_argv(const struct plan_load_opts *o, char **argv, int *n);

#endif
