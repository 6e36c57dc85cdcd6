// SPDX-License-Identifier: GPL-2.0-only
/* sanroot-config: read every source of the boot plan and print the resolved plan. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/ibft.h"
#include "plan/plan.h"
#include "plan/plan_load.h"
#include "plan_opts.h"
#include "tool.h"

static void usage(void)
{
	printf("Usage: %s [OPTION]...\n"
	       "Read the boot plan from the kernel command line, %s,\n"
	       "%s and the iBFT, and print it resolved.\n"
	       "\n"
	       "Output (one of):\n"
	       "  -s, --shell          shell assignments, safe to source (the default)\n"
	       "  -j, --json           JSON\n"
	       "  -e, --explain        what was found where, what won, and why\n"
	       "      --ibft           dump the firmware's iBFT alone\n"
	       "      --show-secrets   print CHAP secrets instead of ********\n"
	       "  -h, --help           this text\n"
	       "      --version        the version\n"
	       "\n"
	       PLAN_OPTIONS_HELP
	       "\n"
	       "Exit status: 0 on success, 100 on bad usage, 111 when a source is unreadable\n"
	       "or malformed.\n",
	       tool_name, ISCSI_INITRAMFS, SANROOT_CONF);
}

enum { OPT_IBFT = 256, OPT_SHOW_SECRETS, OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shell", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "explain", no_argument, NULL, 'e' },
		{ "ibft", no_argument, NULL, OPT_IBFT },
		PLAN_OPTIONS,
		{ "show-secrets", no_argument, NULL, OPT_SHOW_SECRETS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 }
	};
	struct plan_load_opts o = { 0 };
	static struct plan plan;
	struct sr_error err = { 0 };
	bool show = false;
	int mode = 's', c, rc;

	tool_init("sanroot-config");
	while ((c = getopt_long(argc, argv, "sjeh", longopts, NULL)) != -1) {
		switch (c) {
		case 's': case 'j': case 'e': case OPT_IBFT:
			mode = c;
			break;
		case OPT_SHOW_SECRETS: show = true; break;
		case 'h': usage(); return 0;
		case OPT_VERSION: printf("sanroot-config %s\n", SANROOT_VERSION); return 0;
		default:
			if (!plan_opt(&o, c, optarg))
				tool_usage_error("unknown option");
		}
	}
	if (optind < argc)
		tool_usage_error("unexpected argument '%s'", argv[optind]);

	if (mode == OPT_IBFT) {
		static struct ibft t;
		const char *from = o.ibft_file;

		if (o.ibft_file)
			rc = ibft_load_file(o.ibft_file, &t, &err);
		else
			rc = ibft_load_system(o.sysroot ? o.sysroot : "", &t, &from, &err);
		if (rc == -ENOENT && !o.ibft_file)
			tool_fail("unable to find an iBFT: no ACPI table, nothing in low memory, no /sys/firmware/ibft (is iscsi_ibft loaded?)");
		if (rc < 0)
			tool_fail_why(err.reason, "unable to read the iBFT: %s", err.msg);
		printf("# from %s\n", from);
		ibft_write_dump(&t, stdout, show);
		explicit_bzero(&t, sizeof(t));
		return 0;
	}

	rc = tool_plan_load(&o, &plan, show, &err);
	if (rc < 0)
		tool_fail_why(err.reason, "unable to read the boot plan: %s", err.msg);
	switch (mode) {
	case 'j': plan_write_json(&plan, stdout, show); break;
	case 'e': plan_write_explain(&plan, stdout); break;
	default: plan_write_shell(&plan, stdout, show); break;
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		tool_fail("unable to write the plan: %s", strerror(errno));
	return 0;
}
