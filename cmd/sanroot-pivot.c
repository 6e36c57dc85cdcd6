// SPDX-License-Identifier: GPL-2.0-only
/* sanroot-pivot: mount root= and switch to it (run-init and switch_root compatible). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "root/pivot.h"
#include "plan/plan.h"
#include "plan/plan_load.h"
#include "plan_opts.h"
#include "root/rootdev.h"
#include "tool.h"

static void usage(void)
{
	printf("Usage: %s [OPTION]...                   mount root= and switch to it\n"
	       "       %s [OPTION]... NEWROOT INIT [ARG]...  switch to a mounted NEWROOT\n"
	       "Also runs as 'switch_root NEWROOT INIT [ARG]...' and\n"
	       "'run-init [-c CONSOLE] [-n] NEWROOT INIT [ARG]...'.\n"
	       "\n"
	       "Before deleting anything it checks that / is ramfs or tmpfs, that NEWROOT\n"
	       "is another mounted filesystem and that INIT is executable there.\n"
	       "\n"
	       "  -n, --dry-run        check everything, change nothing\n"
	       "  -m, --mount-only     mount root at NEWROOT and stop\n"
	       "  -c, --console DEV    reopen stdin, stdout and stderr on DEV before exec\n"
	       "      --newroot DIR    where to mount root (default /root)\n"
	       "  -r, --root SPEC      root device: path, UUID=, LABEL=, PARTUUID=, PARTLABEL=\n"
	       "  -t, --fstype TYPE    filesystem type (default: detected by libblkid)\n"
	       "  -o, --options OPTS   mount options (rootflags=)\n"
	       "      --ro, --rw       mount read-only (the default) or read-write\n"
	       "      --init PATH      what to exec (default: init=, then /sbin/init, /etc/init,\n"
	       "                       /bin/init, /bin/sh)\n"
	       "      --timeout S      wait up to S seconds for the device (default:\n"
	       "                       rootdelay=, else sanroot.timeout=)\n"
	       "  -v, --verbose\n"
	       "  -h, --help\n"
	       "      --version\n"
	       "\n"
	       PLAN_OPTIONS_HELP
	       "\n"
	       "Root settings come from the boot plan (see sanroot-config(8)); options win.\n"
	       "Exit status: 0 after a dry run or --mount-only, 100 on bad usage, 111 on\n"
	       "failure. On success the switch never returns: INIT runs in its place.\n",
	       tool_name, tool_name);
}


/* A filesystem built as a module: load it the way mount(8) would have. */
static void load_fs_module(const char *fstype)
{
	const char *modprobe = access("/sbin/modprobe", X_OK) == 0 ? "/sbin/modprobe" : "/bin/modprobe";
	pid_t pid;

	if (access(modprobe, X_OK) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		execl(modprobe, "modprobe", "-q", fstype, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

struct mount_req {
	const char *spec, *fstype, *options, *newroot;
	int ro;			/* -1: the default, read-only */
	unsigned timeout;
	bool dry_run;
};

static void mount_root(const struct mount_req *r)
{
	char dev[4096], type[64], data[1024];
	unsigned long flags = MS_SILENT;
	struct sr_error err = { 0 };
	double start = monotonic_s(), deadline = start + r->timeout;
	bool said = false;
	int rc;

	while ((rc = rootdev_resolve(r->spec, dev, sizeof(dev), &err)) == -ENOENT) {
		if (monotonic_s() >= deadline)
			tool_fail_why(SR_R_ROOT_NOT_FOUND, "unable to find the root device %s within %u s",
				      r->spec, r->timeout);
		if (!said && monotonic_s() - start > 2) {
			log_notice("waiting up to %u s for the root device %s", r->timeout, r->spec);
			said = true;
		}
		usleep(100 * 1000);
	}
	if (rc < 0)
		tool_fail_why(err.reason, "unable to resolve the root device: %s", err.msg);
	if (r->fstype && r->fstype[0])
		snprintf(type, sizeof(type), "%s", r->fstype);
	else if (rootdev_fstype(dev, type, sizeof(type), &err) < 0)
		tool_fail_why(err.reason, "unable to tell the root filesystem type: %s", err.msg);
	if (mount_opts_parse(r->options, &flags, data, sizeof(data), &err) < 0)
		tool_fail_why(err.reason, "unable to use rootflags: %s", err.msg);
	if (r->ro != 0)
		flags |= MS_RDONLY;
	else
		flags &= ~(unsigned long)MS_RDONLY;

	if (r->dry_run) {
		printf("would mount %s (%s) at %s %s%s%s\n", dev, type, r->newroot,
		       flags & MS_RDONLY ? "read-only" : "read-write", data[0] ? " with " : "", data);
		return;
	}
	mkdir(r->newroot, 0755);
	rc = mount(dev, r->newroot, type, flags, data[0] ? data : NULL);
	if (rc < 0 && errno == ENODEV) {
		load_fs_module(type);
		rc = mount(dev, r->newroot, type, flags, data[0] ? data : NULL);
	}
	if (rc < 0)
		tool_fail_why(errno == ENODEV ? SR_R_FS_UNKNOWN : SR_R_NONE,
			      "unable to mount %s (%s) at %s: %s", dev, type, r->newroot, strerror(errno));
	log_notice("root %s (%s) mounted %s at %s (%.2f s)", dev, type,
		   flags & MS_RDONLY ? "read-only" : "read-write", r->newroot, monotonic_s() - start);
}

enum { OPT_NEWROOT = 256, OPT_RO, OPT_RW, OPT_INIT, OPT_TIMEOUT, OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "mount-only", no_argument, NULL, 'm' },
		{ "console", required_argument, NULL, 'c' },
		{ "newroot", required_argument, NULL, OPT_NEWROOT },
		{ "root", required_argument, NULL, 'r' },
		{ "fstype", required_argument, NULL, 't' },
		{ "options", required_argument, NULL, 'o' },
		{ "ro", no_argument, NULL, OPT_RO },
		{ "rw", no_argument, NULL, OPT_RW },
		{ "init", required_argument, NULL, OPT_INIT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		PLAN_OPTIONS,
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 }
	};
	const char *me = basename(argv[0]);
	bool switch_root = !strcmp(me, "switch_root"), run_init = !strcmp(me, "run-init");
	struct mount_req req = { .ro = -1, .newroot = "/root" };
	const char *console = NULL, *init = NULL;
	struct plan_load_opts lo = { 0 };
	bool mount_only = false, timeout_set = false;
	struct sr_error err = { 0 };
	int c;

	tool_init(switch_root ? "switch_root" : run_init ? "run-init" : "sanroot-pivot");
	/* '+': stop at the first non-option, so INIT's own arguments stay its own. */
	while ((c = getopt_long(argc, argv, "+nmc:d:r:t:o:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': req.dry_run = true; break;
		case 'm': mount_only = true; break;
		case 'c': console = optarg; break;
		case 'd': log_notice("-d %s: capability dropping is not done; ignored", optarg); break;
		case OPT_NEWROOT: req.newroot = optarg; break;
		case 'r': req.spec = optarg; break;
		case 't': req.fstype = optarg; break;
		case 'o': req.options = optarg; break;
		case OPT_RO: req.ro = 1; break;
		case OPT_RW: req.ro = 0; break;
		case OPT_INIT: init = optarg; break;
		case OPT_TIMEOUT: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !*optarg || v == 0 || v > 86400)
				tool_usage_error("--timeout %s is not a number of seconds from 1 to 86400", optarg);
			req.timeout = (unsigned)v;
			timeout_set = true;
			break;
		}
		case 'v': tool_verbosity++; break;
		case 'h': usage(); return 0;
		case 'V': case OPT_VERSION: printf("%s (sanroot) %s\n", me, SANROOT_VERSION); return 0;
		default:
			if (!plan_opt(&lo, c, optarg))
				tool_usage_error("unknown option");
		}
	}

	/* NEWROOT INIT [ARGS]: the switch_root / run-init form. */
	if (argc - optind >= 2) {
		const char *newroot = argv[optind];
		char *const *args = &argv[optind + 1];
		char chosen[PIVOT_INIT_MAX];

		if (req.dry_run) {
			if (pivot_check(newroot, argv[optind + 1], chosen, &err) < 0)
				tool_fail_why(err.reason, "unable to switch to %s: %s", newroot, err.msg);
			printf("would switch to %s and exec %s\n", newroot, chosen);
			return 0;
		}
		log_notice("switching to %s, exec %s", newroot, argv[optind + 1]);
		pivot_switch(newroot, argv[optind + 1], args, console, &err);
		tool_fail_why(err.reason, "unable to switch to %s: %s", newroot, err.msg);
	}
	if (argc - optind == 1 || switch_root || run_init)
		tool_usage_error("expected NEWROOT INIT [ARG]...");

	/* Mount root= from the plan, then switch. */
	static struct plan plan;

	if (!lo.ibft_file)
		lo.no_ibft = true;	/* the firmware's iBFT says nothing about root= */
	if (tool_plan_load(&lo, &plan, false, &err) < 0)
		tool_fail_why(err.reason, "unable to read the boot plan: %s", err.msg);
	if (!req.spec)
		req.spec = plan.root.dev;
	if (!req.spec[0])
		tool_fail_why(SR_R_ROOT_UNNAMED, "unable to mount root: root= names no device");
	if (!req.fstype)
		req.fstype = plan.root.fstype;
	if (!req.options)
		req.options = plan.root.flags;
	if (req.ro < 0)
		req.ro = plan.root.ro;
	if (!init && plan.root.init[0])
		init = plan.root.init;
	if (!timeout_set)
		req.timeout = plan.root.delay ? plan.root.delay : plan.sanroot.timeout;

	mount_root(&req);
	if (mount_only)
		return 0;
	if (req.dry_run) {
		struct stat st;
		char chosen[PIVOT_INIT_MAX];

		/* Nothing is mounted in a dry run: check what can be checked. */
		if (stat(req.newroot, &st) == 0 && pivot_check(req.newroot, init, chosen, &err) == 0)
			printf("would switch to %s and exec %s\n", req.newroot, chosen);
		return 0;
	}
	char chosen[PIVOT_INIT_MAX];
	if (pivot_check(req.newroot, init, chosen, &err) < 0) {
		umount2(req.newroot, MNT_DETACH);
		tool_fail_why(err.reason, "unable to switch to %s: %s", req.newroot, err.msg);
	}
	char *args[] = { chosen, NULL };
	log_notice("switching to %s, exec %s", req.newroot, chosen);
	pivot_switch(req.newroot, chosen, args, console, &err);
	tool_fail_why(err.reason, "unable to switch to %s: %s", req.newroot, err.msg);
}
