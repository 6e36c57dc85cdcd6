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
	       "\n"
	       "Sources:\n"
	       "  -c, --cmdline TEXT   use TEXT as the kernel command line\n"
	       "      --cmdline-file F read the command line from F\n"
	       "      --conf F         read F instead of %s\n"
	       "      --ibft-file F    read a raw iBFT from F\n"
	       "      --no-ibft        ignore the firmware's table\n"
	       "      --root DIR       read /proc, /etc, /sys and /dev/mem under DIR\n"
	       "\n"
	       "      --show-secrets   print CHAP secrets instead of ********\n"
	       "  -h, --help           this text\n"
	       "      --version        the version\n"
	       "\n"
	       "Exit status: 0 on success, 100 on bad usage, 111 when a source is unreadable\n"
	       "or malformed.\n",
	       tool_name, ISCSI_INITRAMFS, SANROOT_CONF, SANROOT_CONF);
}

enum { OPT_IBFT = 256, OPT_CMDLINE_FILE, OPT_CONF, OPT_IBFT_FILE, OPT_NO_IBFT, OPT_ROOT,
       OPT_SHOW_SECRETS, OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shell", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "explain", no_argument, NULL, 'e' },
		{ "ibft", no_argument, NULL, OPT_IBFT },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "cmdline-file", required_argument, NULL, OPT_CMDLINE_FILE },
		{ "conf", required_argument, NULL, OPT_CONF },
		{ "ibft-file", required_argument, NULL, OPT_IBFT_FILE },
		{ "no-ibft", no_argument, NULL, OPT_NO_IBFT },
		{ "root", required_argument, NULL, OPT_ROOT },
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
	while ((c = getopt_long(argc, argv, "sjec:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': case 'j': case 'e': case OPT_IBFT:
			mode = c;
			break;
		case 'c': o.cmdline = optarg; break;
		case OPT_CMDLINE_FILE: o.cmdline_file = optarg; break;
		case OPT_CONF: o.conf = optarg; break;
		case OPT_IBFT_FILE: o.ibft_file = optarg; break;
		case OPT_NO_IBFT: o.no_ibft = true; break;
		case OPT_ROOT: o.root = optarg; break;
		case OPT_SHOW_SECRETS: show = true; break;
		case 'h': usage(); return 0;
		case OPT_VERSION: printf("sanroot-config %s\n", SANROOT_VERSION); return 0;
		default: tool_usage_error("unknown option");
		}
	}
	if (optind < argc)
		tool_usage_error("unexpected argument '%s'", argv[optind]);
	if (o.cmdline && o.cmdline_file)
		tool_usage_error("--cmdline and --cmdline-file exclude each other");

	if (mode == OPT_IBFT) {
		static struct ibft t;
		const char *from = o.ibft_file;

		if (o.ibft_file)
			rc = ibft_load_file(o.ibft_file, &t, &err);
		else
			rc = ibft_load_system(o.root ? o.root : "", &t, &from, &err);
		if (rc == -ENOENT && !o.ibft_file)
			tool_fail("unable to find an iBFT: no ACPI table, nothing in low memory, no /sys/firmware/ibft (is iscsi_ibft loaded?)");
		if (rc < 0)
			tool_fail("unable to read the iBFT: %s", err.msg);
		printf("# from %s\n", from);
		ibft_write_dump(&t, stdout, show);
		return 0;
	}

	rc = plan_load(&o, &plan, &err);
	if (rc < 0)
		tool_fail("unable to read the boot plan: %s", err.msg);
	switch (mode) {
	case 'j': plan_write_json(&plan, stdout, show); break;
	case 'e': plan_write_explain(&plan, stdout); break;
	default: plan_write_shell(&plan, stdout, show); break;
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		tool_fail("unable to write the plan: %s", strerror(errno));
	return 0;
}
