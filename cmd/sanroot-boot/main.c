// SPDX-License-Identifier: GPL-2.0-only
/*
 * sanroot-boot: the whole boot from the plan (network, iSCSI login with the
 * session keeper, LVM, root, switch) under one deadline, with a progress line
 * per step and, on failure, a diagnosis instead of a bare error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/quote.h"
#include "net/dhcp.h"
#include "net/netconf.h"
#include "plan/diagnose.h"
#include "plan/plan.h"
#include "plan/plan_load.h"
#include "root/pivot.h"
#include "../plan_opts.h"
#include "../tool.h"
#include "boot.h"

#define DEFAULT_NEWROOT "/root"
#define REBOOT_DELAY 30

static struct plan plan;
static struct plan_load_opts load_opts;
static const char *bindir;
static const char *newroot = DEFAULT_NEWROOT;
static double t0, deadline;
static bool no_reboot;
static bool skip_net;
static unsigned reboot_delay = REBOOT_DELAY;
static char network_summary[256];
static char netdev[32];
static char first_disk[64];
static char disks[512];

static void usage(void)
{
	printf("Usage: %s [OPTION]...\n"
	       "Boot from the plan: bring up the network (sanroot-net), log into the iSCSI\n"
	       "targets and hand the sessions to the kernel with the session keeper\n"
	       "(sanroot-iscsi), activate LVM (sanroot-lvm), mount root (sanroot-pivot) and\n"
	       "switch to it, all within one deadline (sanroot.timeout=). Each step prints\n"
	       "a line as it starts and as it ends; a failure prints what was tried and\n"
	       "the likely causes, then reboots (or opens a shell with sanroot.shell=1).\n"
	       "\n"
	       "      --until STEP      stop after STEP: config, net, iscsi, lvm, root (mounted)\n"
	       "      --skip net        leave the network to the caller, whose own scripts\n"
	       "                        brought the interface up (dracut's netroot handler)\n"
	       "      --status          report links, leases, sessions, disks, LVs and the\n"
	       "                        root mount, changing nothing (for rescue shells)\n"
	       "      --newroot DIR     where root is mounted (default %s)\n"
	       "      --bin DIR         where the sanroot tools are (default: next to this\n"
	       "                        program, then PATH)\n"
	       "      --no-reboot       on failure, exit 111 after the diagnosis and leave\n"
	       "                        the rest to the caller (initramfs-tools' panic, ...)\n"
	       "      --reboot-delay S  seconds before rebooting after a failure (default %d)\n"
	       "      --print-modules   the kernel modules an initramfs needs for this\n"
	       "                        program, one a line (the image generators' hooks\n"
	       "                        add these; the NIC drivers are theirs)\n"
	       "      --print-tools     the tool names the image links to the multi-call\n"
	       "                        binary, one a line\n"
	       "  -v, --verbose\n"
	       "  -h, --help\n"
	       "      --version\n"
	       "\n"
	       PLAN_OPTIONS_HELP
	       "(each tool gets the same ones)\n"
	       "\n"
	       "Exit status: 0 when --until's step is done (a full boot does not return),\n"
	       "100 on bad usage, 111 after a failure with --no-reboot.\n",
	       "sanroot-boot", DEFAULT_NEWROOT, REBOOT_DELAY);
}

/* Seconds a tool may take: what is left, rounded down, so it gives up (and says why) first. */
static unsigned remaining(void)
{
	double left = deadline - monotonic_s();

	return left < 1 ? 1 : (unsigned)left;
}

/* When a tool that overruns its own timeout is stopped. */
#define GRACE 5
static double kill_time(void)
{
	return deadline + GRACE;
}

__attribute__((format(printf, 2, 3)))
static void progress(enum boot_step s, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_notice("%s: %s", boot_step_name(s), text);
}

/* argv for a tool: its name, its arguments, then the plan's sources when we were given them. */
static char **tool_argv(const char *tool, ...)
{
	static char *argv[16 + PLAN_OPTS_ARGV_MAX + 4];
	va_list ap;
	int n = 0;
	char *a;

	argv[n++] = (char *)tool;
	va_start(ap, tool);
	while ((a = va_arg(ap, char *)) && n < 16)
		argv[n++] = a;
	va_end(ap);
	plan_opts_argv(&load_opts, argv, &n);
	/* the long form: sanroot-iscsi's -v is iscsistart's --version */
	for (int v = 0; v < tool_verbosity && v < 3; v++)
		argv[n++] = "--verbose";
	argv[n] = NULL;
	return argv;
}

/*
 * A module a step needs is there already: loaded or built in with
 * parameters (/sys/module/NAME), or its feature shows (af_packet, 8021q are
 * often built in without a /sys/module entry). Each modprobe run costs an
 * exec of a dynamic binary, which shows in a boot under emulation.
 */
static bool module_present(const char *name)
{
	static const struct { const char *name, *proof; } proofs[] = {
		{ "af_packet", "/proc/net/packet" },
		{ "8021q", "/proc/net/vlan" },
	};
	char path[128];

	for (size_t i = 0; i < sizeof(proofs) / sizeof(proofs[0]); i++)
		if (!strcmp(name, proofs[i].name) && access(proofs[i].proof, F_OK) == 0)
			return true;
	snprintf(path, sizeof(path), "/sys/module/%s", name);
	for (char *p = path + 12; *p; p++)
		if (*p == '-')
			*p = '_';
	return access(path, F_OK) == 0;
}

/*
 * Start one modprobe for the modules of mods that are not there yet, when
 * we run in an initramfs (never into a running system's kernel: the tests
 * run sanroot-boot on the host) and it has modprobe (a missing module shows
 * up as the step's error). Returns its PID, or 0 when there was nothing to run.
 */
static pid_t modprobe_start(const char *const *mods)
{
	static const char *const paths[] = { "/sbin/modprobe", "/usr/sbin/modprobe", "/bin/modprobe" };
	const char *modprobe = NULL, *argv[16];
	unsigned n = 0;
	pid_t pid;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !modprobe; i++)
		if (access(paths[i], X_OK) == 0)
			modprobe = paths[i];
	if (!modprobe || !pivot_in_initramfs())
		return 0;
	argv[n++] = "modprobe";
	argv[n++] = "-q";
	argv[n++] = "-b";
	argv[n++] = "-a";
	for (; *mods && n < sizeof(argv) / sizeof(argv[0]) - 1; mods++)
		if (!module_present(*mods))
			argv[n++] = *mods;
	if (n == 4)
		return 0;
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 2);
		execv(modprobe, (char *const *)argv);
		_exit(127);
	}
	return pid > 0 ? pid : 0;
}

static void modprobe_wait(pid_t *pid)
{
	if (*pid > 0)
		waitpid(*pid, NULL, 0);
	*pid = 0;
}

static void load_modules(const char *const *mods)
{
	pid_t pid = modprobe_start(mods);

	modprobe_wait(&pid);
}

/*
 * The modules of the steps from..to (image.c's table), NULL-terminated in
 * list; none for LVM with rd.lvm=0.
 */
#define STEP_MODULES_MAX 16
static const char *const *step_modules(const char **list, enum boot_step from, enum boot_step to)
{
	size_t n = 0;

	for (unsigned s = from; s <= to; s++)
		if (s != STEP_LVM || !plan.lvm.disabled)
			n = boot_modules(s, plan.nvlans > 0, list, n, STEP_MODULES_MAX - 1);
	list[n] = NULL;
	return list;
}

/* The storage modules load in the background while the network comes up. */
static pid_t storage_modprobe;

/*
 * For the image generator's scripts that go on after --until: what came up,
 * shell-quoted (no secret): SANROOT_NETDEV, SANROOT_DISKS, SANROOT_ROOT.
 */
static void write_boot_env(void)
{
	FILE *f;

	mkdir("/run/sanroot", 0755);
	if (!(f = fopen("/run/sanroot/boot.env.tmp", "we")))
		return;
	fputs("SANROOT_NETDEV=", f);
	quote_shell(f, netdev);
	fputs("\nSANROOT_DISKS=", f);
	quote_shell(f, disks);
	fputs("\nSANROOT_ROOT=", f);
	quote_shell(f, plan.root.dev[0] ? plan.root.dev : first_disk);
	fputc('\n', f);
	if (fclose(f) == 0)
		rename("/run/sanroot/boot.env.tmp", "/run/sanroot/boot.env");
}

/* What was tried, with which values: the plan and what the network became. No secret. */
static void print_tried(void)
{
	log_notice("what was tried:");
	if (network_summary[0])
		log_notice("  network: %s", network_summary);
	log_notice("  initiator: %s", plan.initiator[0] ? plan.initiator : "(none given)");
	for (unsigned i = 0; i < plan.ntargets; i++) {
		const struct plan_target *t = &plan.target[i];
		char portals[512] = "";
		size_t o = 0;

		for (unsigned k = 0; k < t->nportals && o < sizeof(portals); k++) {
			char one[HOSTPORT_TEXT_MAX];

			hostport_format(&t->portal[k], one, sizeof(one));
			o += (size_t)snprintf(portals + o, sizeof(portals) - o, "%s%s", k ? ", " : "", one);
		}
		log_notice("  target %s at %s (from %s)", t->name[0] ? t->name : "(discover)", portals,
			   plan_origin_name(t->origin));
		if (t->chap.name[0] || plan_chap_secret_len(&t->chap))
			log_notice("    CHAP as '%s', secret ******** (%zu bytes)", t->chap.name,
				   plan_chap_secret_len(&t->chap));
		else
			log_notice("    no authentication");
		if (t->rchap.name[0] || plan_chap_secret_len(&t->rchap))
			log_notice("    mutual CHAP: the target answers as '%s', secret ******** (%zu bytes)",
				   t->rchap.name, plan_chap_secret_len(&t->rchap));
	}
	if (plan.ntargets == 0 && plan.root.from_dhcp)
		log_notice("  target: from the DHCP root path");
	if (plan.root.dev[0])
		log_notice("  root: %s%s%s%s", plan.root.dev, plan.root.vg[0] ? " (LVM " : "",
			   plan.root.vg[0] ? plan.root.vg : "", plan.root.vg[0] ? ")" : "");
	else
		log_notice("  root: the first iSCSI disk%s%s", first_disk[0] ? ", " : "", first_disk);
}

/* A rescue shell on the console, or a reboot; never an unasked-for root shell. */
__attribute__((noreturn))
static void give_up(void)
{
	bool shell = plan.sanroot.shell;

	explicit_bzero(&plan, sizeof(plan));
	if (no_reboot)
		exit(EXIT_FAIL);
	if (shell) {
		log_notice("sanroot.shell=1: starting a shell; 'sanroot-boot --status' shows the state");
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/sh", "sh", "-i", (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		if (getpid() != 1)
			exit(EXIT_FAIL);
	} else {
		log_notice("rebooting in %u s (boot with sanroot.shell=1 for a rescue shell)", reboot_delay);
		sleep(reboot_delay);
	}
	sync();
	reboot(RB_AUTOBOOT);
	tool_fail("unable to reboot: %s", strerror(errno));
}

__attribute__((noreturn))
static void fail(enum boot_step s, enum sr_reason why, const char *message)
{
	const char *causes[DIAG_CAUSE_MAX];
	unsigned n = diagnose(s, why, causes);

	log_err("FAILED at %s after %.1f s: %s", boot_step_name(s), monotonic_s() - t0, message);
	print_tried();
	log_notice("likely causes:");
	for (unsigned i = 0; i < n; i++)
		log_notice("  - %s", causes[i]);
	give_up();
}

/*
 * Read the plan's sources, once per boot (again only when the DHCP reply
 * named the target), and hand the plan to the tools we run over a sealed
 * memfd: they need not read the command line, the files and the iBFT again.
 * The secrets stay in that file alone, not in our memory.
 */
static void load_plan(void)
{
	struct sr_error err = { 0 };
	int fd;

	if (tool_plan_load(&load_opts, &plan, true, &err) < 0)
		fail(STEP_CONFIG, err.reason, err.msg);
	fd = tool_plan_share(&plan, &err);
	if (fd < 0)
		log_warn("each tool reads the plan's sources again: %s", err.msg);
	run_set_plan_fd(fd);
	plan_wipe_secrets(&plan);
}

/* The newest /run/net-*.conf, summarised: "ens2 10.0.2.15/255.255.255.0 (dhcp)". */
struct newest_lease { struct netconf nc; long mtime; bool found; };

static int take_newest(void *ctx, const char *path, const struct netconf *nc, long mtime)
{
	struct newest_lease *n = ctx;

	(void)path;
	if (!n->found || mtime >= n->mtime)
		*n = (struct newest_lease){ .nc = *nc, .mtime = mtime, .found = true };
	return 0;
}

static void summarise_network(void)
{
	static struct newest_lease n;
	char a[16], m[16];

	n.found = false;
	netconf_scan("/run", take_newest, &n);
	if (!n.found)
		return;
	if (n.nc.ipv6)	/* a net6 file holds no IPv4 address: its interface is the news */
		snprintf(network_summary, sizeof(network_summary), "%s (IPv6)", n.nc.device);
	else
		snprintf(network_summary, sizeof(network_summary), "%s %s/%s (%s)", n.nc.device,
			 dhcp_ntoa(n.nc.addr, a), dhcp_ntoa(n.nc.netmask, m),
			 n.nc.proto == NETCONF_DHCP ? "dhcp" : "none");
	snprintf(netdev, sizeof(netdev), "%s", n.nc.device);
}

static void step_net(void)
{
	struct run_result r;
	const char *mods[STEP_MODULES_MAX];
	char t[16];
	bool off = plan.nnets > 0;

	for (unsigned i = 0; i < plan.nnets; i++)
		off &= plan.net[i].method == IP_OFF;
	if (off) {
		progress(STEP_NET, "ip=off: the network is left as it is");
		return;
	}
	if (skip_net) {
		/* the caller's lease file, if it wrote one in klibc's form, names the interface */
		summarise_network();
		progress(STEP_NET, "left to the caller (--skip net)%s%s", network_summary[0] ? ": " : "",
			 network_summary);
	} else {
		progress(STEP_NET, "bringing up the network");
		load_modules(step_modules(mods, STEP_NET, STEP_NET));
		snprintf(t, sizeof(t), "%u", remaining());
		/* sanroot.keep: the lease is kept as the sessions are (sanroot-net --keep-lease) */
		run_tool(bindir, tool_argv("sanroot-net", "-t", t,
					   plan.sanroot.keep ? "--keep-lease" : NULL, NULL),
			 kill_time(), &r);
		run_result_free(&r);
		if (r.status != 0)
			fail(STEP_NET, r.reason, r.last);
		summarise_network();
		progress(STEP_NET, "%s (%.2f s)", network_summary[0] ? network_summary : "up", r.secs);
	}

	/* root=dhcp: the DHCP reply's root path names the target; read the plan again. */
	if (plan.root.from_dhcp || plan.ntargets == 0) {
		load_plan();
		if (plan.ntargets == 0)
			fail(STEP_NET, SR_R_DHCP_NO_ROOT_PATH,
			     "no iSCSI target: the DHCP reply carried no iscsi: root path (option 17)");
	}
}

static void step_iscsi(void)
{
	struct run_result r;
	const char *mods[STEP_MODULES_MAX];
	char t[16];
	unsigned n = 0;

	progress(STEP_ISCSI, "logging in to %u target(s)", plan.ntargets);
	/* crc32c: iscsi_tcp asks the crypto API for it, and fails without modprobe */
	modprobe_wait(&storage_modprobe);
	load_modules(step_modules(mods, STEP_ISCSI, STEP_ISCSI));
	snprintf(t, sizeof(t), "%u", remaining());
	run_tool(bindir, tool_argv("sanroot-iscsi", "login", "--timeout", t,
				   plan.sanroot.keep ? "--keep" : "--no-keep", NULL), kill_time(), &r);
	if (r.status != 0) {
		run_result_free(&r);
		fail(STEP_ISCSI, r.reason, r.last);
	}
	/* "sid=N target=IQN portal=HOST:PORT lun=L dev=/dev/sdX", one line per disk */
	for (char *line = r.out ? strtok(r.out, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		char target[256] = "", portal[300] = "", dev[64] = "";
		char *p;

		if ((p = strstr(line, "target=")))
			sscanf(p + 7, "%255s", target);
		if ((p = strstr(line, "portal=")))
			sscanf(p + 7, "%299s", portal);
		if ((p = strstr(line, "dev=")))
			sscanf(p + 4, "%63s", dev);
		if (!dev[0])
			continue;
		if (!first_disk[0])
			snprintf(first_disk, sizeof(first_disk), "%s", dev);
		size_t o = strlen(disks);
		snprintf(disks + o, sizeof(disks) - o, "%s%s", o ? " " : "", dev);
		progress(STEP_ISCSI, "logged in to %s at %s as %s (%.2f s)", target, portal, dev, r.secs);
		n++;
	}
	run_result_free(&r);
	if (n == 0)
		fail(STEP_ISCSI, SR_R_NO_DISK, "logged in, but no disk appeared");
}

static void step_lvm(void)
{
	struct run_result r;
	const char *mods[STEP_MODULES_MAX];
	bool named = plan.root.vg[0] || plan.lvm.nvg || plan.lvm.nlv;

	if (plan.lvm.disabled) {
		progress(STEP_LVM, "rd.lvm=0: skipped");
		return;
	}
	load_modules(step_modules(mods, STEP_LVM, STEP_LVM));
	progress(STEP_LVM, "%s", named ? "activating the LVs the plan names" :
		 "activating every LV on the iSCSI disks");
	/* root=UUID=... and the like name no LV: whatever is on the disks may hold it. */
	run_tool(bindir, named ? tool_argv("sanroot-lvm", "--wait", "5", NULL) :
		 tool_argv("sanroot-lvm", "--all", "--wait", "5", NULL), kill_time(), &r);
	run_result_free(&r);
	if (r.status != 0)
		fail(STEP_LVM, r.reason, r.last);
	progress(STEP_LVM, "%s (%.2f s)", r.last[0] ? r.last : "done", r.secs);
}

static void step_root(void)
{
	struct run_result r;
	char t[16];
	const char *spec = plan.root.dev[0] ? plan.root.dev : first_disk;

	if (!spec[0])
		fail(STEP_ROOT, SR_R_ROOT_UNNAMED, "root= names no device, and no iSCSI disk came up");
	progress(STEP_ROOT, "mounting %s at %s", spec, newroot);
	snprintf(t, sizeof(t), "%u", remaining());
	run_tool(bindir, tool_argv("sanroot-pivot", "--mount-only", "--newroot", newroot,
				   "--timeout", t, "--root", spec, NULL), kill_time(), &r);
	run_result_free(&r);
	if (r.status != 0)
		fail(STEP_ROOT, r.reason, r.last);
	progress(STEP_ROOT, "%s mounted at %s (%.2f s)", spec, newroot, r.secs);
}

__attribute__((noreturn))
static void step_switch(void)
{
	char init[PIVOT_INIT_MAX];
	char *argv[2];
	struct sr_error err = { 0 };

	if (pivot_check(newroot, plan.root.init[0] ? plan.root.init : NULL, init, &err) < 0)
		fail(STEP_SWITCH, err.reason, err.msg);
	progress(STEP_SWITCH, "exec %s in %s, %.2f s after sanroot started", init, newroot,
		 monotonic_s() - t0);
	argv[0] = init;
	argv[1] = NULL;
	explicit_bzero(&plan, sizeof(plan));
	pivot_switch(newroot, init, argv, NULL, &err);
	fail(STEP_SWITCH, err.reason, err.msg);
}

enum { OPT_UNTIL = 256, OPT_SKIP, OPT_STATUS, OPT_NEWROOT, OPT_BIN, OPT_NO_REBOOT, OPT_REBOOT_DELAY,
       OPT_PRINT_MODULES, OPT_PRINT_TOOLS, OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "status", no_argument, NULL, OPT_STATUS },
		{ "newroot", required_argument, NULL, OPT_NEWROOT },
		{ "bin", required_argument, NULL, OPT_BIN },
		{ "no-reboot", no_argument, NULL, OPT_NO_REBOOT },
		{ "reboot-delay", required_argument, NULL, OPT_REBOOT_DELAY },
		{ "print-modules", no_argument, NULL, OPT_PRINT_MODULES },
		{ "print-tools", no_argument, NULL, OPT_PRINT_TOOLS },
		PLAN_OPTIONS,
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 }
	};
	int until = STEP_SWITCH, c;
	static char self_dir[4096];

	tool_init("sanroot");	/* the console's lines read "sanroot: iscsi: ..." */
	tool_command = "sanroot-boot";
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_UNTIL:
			until = boot_step_parse(optarg);
			if (until < 0 || until == STEP_SWITCH)
				tool_usage_error("--until %s: expected config, net, iscsi, lvm or root", optarg);
			break;
		case OPT_SKIP:
			if (boot_step_parse(optarg) != STEP_NET)
				tool_usage_error("--skip %s: only net can be left to the caller", optarg);
			skip_net = true;
			break;
		case OPT_STATUS: return boot_status();
		case OPT_PRINT_MODULES: boot_print_modules(stdout); return 0;
		case OPT_PRINT_TOOLS: boot_print_tools(stdout); return 0;
		case OPT_NEWROOT: newroot = optarg; break;
		case OPT_BIN: bindir = optarg; break;
		case OPT_NO_REBOOT: no_reboot = true; break;
		case OPT_REBOOT_DELAY: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !*optarg || v > 3600)
				tool_usage_error("--reboot-delay %s is not a number of seconds up to 3600", optarg);
			reboot_delay = (unsigned)v;
			break;
		}
		case 'v': tool_verbosity++; break;
		case 'h': usage(); return 0;
		case OPT_VERSION: printf("sanroot-boot %s\n", SANROOT_VERSION); return 0;
		default:
			if (!plan_opt(&load_opts, c, optarg))
				tool_usage_error("unknown option");
		}
	}
	if (optind < argc)
		tool_usage_error("unexpected argument '%s'", argv[optind]);
	if (!bindir && strchr(argv[0], '/')) {
		snprintf(self_dir, sizeof(self_dir), "%s", argv[0]);
		bindir = dirname(self_dir);
	}

	t0 = monotonic_s();
	deadline = t0 + 60;	/* until the plan gives its own */
	load_plan();
	deadline = t0 + plan.sanroot.timeout;
	if (plan.sanroot.debug && tool_verbosity == 0)
		tool_verbosity = 1;
	if (plan.ntargets == 0 && !plan.root.from_dhcp)
		fail(STEP_CONFIG, SR_R_NO_TARGET, "no iSCSI target is named");
	progress(STEP_CONFIG, "%u target(s), root %s, deadline %u s", plan.ntargets,
		 plan.root.dev[0] ? plan.root.dev : "on the first iSCSI disk", plan.sanroot.timeout);
	if (until == STEP_CONFIG)
		return 0;

	if (until >= STEP_ISCSI) {
		const char *mods[STEP_MODULES_MAX];

		storage_modprobe = modprobe_start(step_modules(mods, STEP_ISCSI,
							       until >= STEP_LVM ? STEP_LVM : STEP_ISCSI));
	}
	step_net();
	if (until == STEP_NET) {
		write_boot_env();
		return 0;
	}
	step_iscsi();
	if (until == STEP_ISCSI) {
		write_boot_env();
		return 0;
	}
	step_lvm();
	if (until == STEP_LVM) {
		write_boot_env();
		return 0;
	}
	step_root();
	if (until == STEP_ROOT) {
		write_boot_env();
		return 0;
	}
	step_switch();
}
