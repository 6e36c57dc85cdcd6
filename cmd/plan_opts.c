// SPDX-License-Identifier: GPL-2.0-only
/* The plan-source options of every sanroot tool, and loading the plan they describe. */
#include <stdlib.h>
#include <string.h>

#include "plan_opts.h"
#include "tool.h"

bool plan_opt(struct plan_load_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_PLAN_CMDLINE: o->cmdline = arg; return true;
	case OPT_PLAN_CMDLINE_FILE: o->cmdline_file = arg; return true;
	case OPT_PLAN_CONF: o->conf = arg; return true;
	case OPT_PLAN_IBFT_FILE: o->ibft_file = arg; return true;
	case OPT_PLAN_NO_IBFT: o->no_ibft = true; return true;
	case OPT_PLAN_SYSROOT: o->sysroot = arg; return true;
	default: return false;
	}
}

/* The plan whose secrets are wiped at exit (one per program). */
static struct plan *held;

static void wipe_held(void)
{
	if (held)
		plan_wipe_secrets(held);
}

int tool_plan_load(struct plan_load_opts *o, struct plan *p, bool secrets, struct sr_error *err)
{
	static bool registered;

	if (o->cmdline && o->cmdline_file)
		tool_usage_error("--cmdline and --cmdline-file exclude each other");
	if (o->ibft_file && o->no_ibft)
		tool_usage_error("--ibft-file and --no-ibft exclude each other");
	o->secrets = secrets;
	if (secrets) {
		held = p;
		if (!registered)
			atexit(wipe_held);
		registered = true;
	}
	return plan_load(o, p, err);
}

void plan_opts_argv(const struct plan_load_opts *o, char **argv, int *n)
{
	if (o->cmdline) {
		argv[(*n)++] = "--cmdline";
		argv[(*n)++] = (char *)o->cmdline;
	} else if (o->cmdline_file) {
		argv[(*n)++] = "--cmdline-file";
		argv[(*n)++] = (char *)o->cmdline_file;
	}
	if (o->conf) {
		argv[(*n)++] = "--conf";
		argv[(*n)++] = (char *)o->conf;
	}
	if (o->ibft_file) {
		argv[(*n)++] = "--ibft-file";
		argv[(*n)++] = (char *)o->ibft_file;
	}
	if (o->no_ibft)
		argv[(*n)++] = "--no-ibft";
	if (o->sysroot) {
		argv[(*n)++] = "--sysroot";
		argv[(*n)++] = (char *)o->sysroot;
	}
}
