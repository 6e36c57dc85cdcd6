// SPDX-License-Identifier: GPL-2.0-only
/*
 * sanroot-iscsi as open-iscsi's iscsistart, for the stock dracut and
 * initramfs-tools scripts: -i -t -g -a -p -u -w -U -W log in to one target
 * through the kernel; -b to the iBFT's targets; -N brings up the iBFT's NIC
 * (through sanroot-net); -f prints the iBFT as iscsistart does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/ibft.h"
#include "plan/iscsistart_args.h"
#include "plan/plan_load.h"
#include "../plan_opts.h"
#include "../tool.h"
#include "cli.h"
#include "commands.h"
#include "up.h"

static void usage(void)
{
	printf("Usage: iscsistart [OPTION]...\n"
	       "Log in to an iSCSI target and hand the session to the kernel (sanroot-iscsi,\n"
	       "taking open-iscsi's iscsistart options).\n"
	       "\n"
	       "  -i, --initiatorname=NAME  our iSCSI name (default: the boot plan's)\n"
	       "  -t, --targetname=NAME     the target\n"
	       "  -g, --tgpt=N              its portal group tag (default: any)\n"
	       "  -a, --address=ADDR        its portal address\n"
	       "  -p, --port=N              its port (3260)\n"
	       "  -u, --username=NAME       CHAP name the target checks\n"
	       "  -w, --password=SECRET     its secret\n"
	       "  -U, --username_in=NAME    CHAP name the target answers with (mutual CHAP)\n"
	       "  -W, --password_in=SECRET  the target's secret\n"
	       "  -d, --debug=LEVEL         0 quiet .. 3 login keys\n"
	       "  -b, --fwparam_connect     log in to the targets of the iBFT\n"
	       "  -N, --fwparam_network     bring up the iBFT's NIC (runs sanroot-net ip=ibft)\n"
	       "  -f, --fwparam_print       print the iBFT as open-iscsi records\n"
	       "  -P, --param=NAME=VALUE    a session parameter (node.session.timeo.replacement_timeout, ...)\n"
	       "  -c, --config=FILE         accepted and ignored\n"
	       "  -h, --help, -v, --version\n"
	       "\n"
	       "A keeper stays to log in again after a connection drops, unless sanroot.keep=0.\n"
	       "See sanroot-iscsi(8). Exit status: 0, 100 bad usage, 111 failure.\n");
}

/* The name of the interface whose MAC is mac, from /sys/class/net. */
static void netdev_of(const uint8_t mac[6], char *name, size_t len)
{
	char want[18], path[300], have[32];
	struct dirent *d;
	DIR *dh;

	name[0] = '\0';
	snprintf(want, sizeof(want), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	dh = opendir("/sys/class/net");
	if (!dh)
		return;
	while ((d = readdir(dh))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(have, sizeof(have), f) && !strncasecmp(have, want, 17) &&
		    strlen(d->d_name) < len)
			snprintf(name, len, "%s", d->d_name);
		fclose(f);
		if (name[0])
			break;
	}
	closedir(dh);
}

static void load_ibft(struct ibft *t)
{
	struct sr_error err = { 0 };
	const char *from;

	int rc = ibft_load_system("", t, &from, &err);

	if (rc == -ENOENT)
		tool_fail("unable to read the iBFT: the firmware left none (ACPI, low memory and "
			  "/sys/firmware/ibft were looked at)");
	if (rc < 0)
		tool_fail_why(err.reason, "unable to read the iBFT: %s", err.msg);
	log_info("iBFT from %s", from);
}

static int print_firmware(void)
{
	static struct ibft t;
	static char names[IBFT_MAX_NICS][32];
	const char *netdev[IBFT_MAX_NICS] = { 0 };

	load_ibft(&t);
	for (unsigned i = 0; i < t.nnics && i < IBFT_MAX_NICS; i++) {
		netdev_of(t.nic[i].mac, names[i], sizeof(names[i]));
		netdev[i] = names[i][0] ? names[i] : NULL;
	}
	if (!ibft_write_fwparam(&t, netdev, SANROOT_VERSION, stdout, false)) {
		explicit_bzero(&t, sizeof(t));
		tool_fail("the iBFT names no valid target");
	}
	explicit_bzero(&t, sizeof(t));
	return fflush(stdout) == 0 ? 0 : EXIT_FAIL;
}

static int firmware_network(void)
{
	char *args[] = { "sanroot-net", "ip=ibft", NULL };

	fflush(NULL);
	execvp(args[0], args);
	tool_fail("unable to bring up the iBFT's NIC: %s (iscsistart -N hands it to sanroot-net)",
		  errno == ENOENT ? "sanroot-net is not installed" : strerror(errno));
}

/* The iBFT's valid targets, as plan targets. */
static unsigned firmware_targets(struct plan_target *out)
{
	static struct ibft t;
	unsigned n = 0;

	load_ibft(&t);
	if (!cli.initiator && t.initiator.name[0]) {
		snprintf(cli.initiator_buf, sizeof(cli.initiator_buf), "%s", t.initiator.name);
		cli.initiator = cli.initiator_buf;
	}
	for (unsigned i = 0; i < t.ntargets && n < PLAN_MAX_TARGETS; i++) {
		const struct ibft_target *g = &t.target[i];
		struct plan_target *p = &out[n];

		if (!(g->flags & IBFT_FL_VALID) || !g->name[0] || !g->ip[0])
			continue;
		memset(p, 0, sizeof(*p));
		p->tpgt = -1;
		p->ibft_nic = g->nic;
		p->origin = ORIGIN_IBFT;
		snprintf(p->name, sizeof(p->name), "%s", g->name);
		snprintf(p->portal[0].host, sizeof(p->portal[0].host), "%s", g->ip);
		p->portal[0].port = g->port ? g->port : ISCSI_DEFAULT_PORT;
		p->nportals = 1;
		p->lun = g->lun;
		p->lun_set = true;
		if (g->chap_type >= IBFT_CHAP_ONEWAY && g->chap_name[0]) {
			snprintf(p->chap.name, sizeof(p->chap.name), "%s", g->chap_name);
			snprintf(p->chap.secret, sizeof(p->chap.secret), "%s", g->chap_secret);
		}
		if (g->chap_type == IBFT_CHAP_MUTUAL && g->rchap_name[0]) {
			snprintf(p->rchap.name, sizeof(p->rchap.name), "%s", g->rchap_name);
			snprintf(p->rchap.secret, sizeof(p->rchap.secret), "%s", g->rchap_secret);
		}
		n++;
	}
	explicit_bzero(&t, sizeof(t));
	if (!n)
		tool_fail("unable to log in to the iBFT's targets: it names no valid target");
	return n;
}

/* A secret from argv: the stock scripts pass it there. Copied, then hidden from /proc. */
static void take_secret(char *arg, char *dst, size_t len, const char *opt)
{
	if (strlen(arg) >= len)
		tool_usage_error("the secret given with %s is longer than %zu bytes", opt, len - 1);
	snprintf(dst, len, "%s", arg);
	memset(arg, '*', strlen(arg));
}

static void take_name(const char *v, char *dst, size_t len, const char *opt)
{
	if (!v[0] || strlen(v) >= len)
		tool_usage_error("%s must be 1..%zu bytes", opt, len - 1);
	snprintf(dst, len, "%s", v);
}

int iscsistart_main(int argc, char **argv)
{
	struct plan_target *targets;
	struct plan_load_opts po = { 0 };
	struct iscsistart_args a;
	struct sr_error err = { 0 };
	unsigned n = 0;
	bool keep;
	int rc;

	if (iscsistart_parse(argc, argv, &a, &err) < 0)
		tool_usage_error("%s", err.msg);
	if (a.operand < argc)
		tool_usage_error("unexpected argument '%s'", argv[a.operand]);
	if (a.help) {
		usage();
		return 0;
	}
	if (a.version) {
		printf("iscsistart (sanroot-iscsi %s)\n", SANROOT_VERSION);
		return 0;
	}
	if (a.debug >= 0)
		tool_verbosity = a.debug;
	cli.log = (struct iscsi_log){ .fn = cli.log.fn,
				      .max_level = a.debug >= 3 ? ISCSI_LOG_TRACE :
						   a.debug == 2 ? ISCSI_LOG_DEBUG :
						   a.debug == 1 ? ISCSI_LOG_INFO : ISCSI_LOG_NOTICE };
	if (a.fw_print)
		return print_firmware();
	if (a.fw_network)
		return firmware_network();

	/* The plan, for sanroot.keep and the CHAP policy; the target comes from the options. */
	if (tool_plan_load(&po, &cli.plan, true, &err) == 0)
		cli.have_plan = true;
	if (a.initiator) {
		take_name(a.initiator, cli.initiator_buf, sizeof(cli.initiator_buf), "-i");
		cli.initiator = cli.initiator_buf;
	}
	if (a.username) {
		take_name(a.username, cli.chap.name, sizeof(cli.chap.name), "-u");
		cli.chap_given = true;
	}
	if (a.password)
		take_secret(a.password, cli.chap.secret, sizeof(cli.chap.secret), "-w");
	if (a.username_in) {
		take_name(a.username_in, cli.rchap.name, sizeof(cli.rchap.name), "-U");
		cli.rchap_given = true;
	}
	if (a.password_in)
		take_secret(a.password_in, cli.rchap.secret, sizeof(cli.rchap.secret), "-W");
	if (cli.chap.secret[0] && !cli.chap_given)
		tool_usage_error("-w needs its name (-u)");
	if (cli.rchap.secret[0] && !cli.rchap_given)
		tool_usage_error("-W needs its name (-U)");
	for (unsigned i = 0; i < a.nparam; i++)
		cli.param[cli.nparam++] = a.param[i];
	handoff_conf();

	/* They get credentials: on the heap, wiped at the end. */
	targets = calloc(PLAN_MAX_TARGETS, sizeof(*targets));
	if (!targets)
		tool_fail("unable to log in: out of memory");
	if (a.fw_connect) {
		n = firmware_targets(targets);
	} else {
		struct plan_target *t = &targets[0];

		if (!a.target || !a.address)
			tool_usage_error("a target needs -t NAME and -a ADDRESS (or -b for the iBFT's)");
		memset(t, 0, sizeof(*t));
		t->tpgt = a.tpgt;
		t->ibft_nic = -1;
		take_name(a.target, t->name, sizeof(t->name), "-t");
		take_name(a.address, t->portal[0].host, sizeof(t->portal[0].host), "-a");
		t->portal[0].port = a.port ? (uint16_t)a.port : ISCSI_DEFAULT_PORT;
		t->nportals = 1;
		n = 1;
	}
	if (!cli.timeout_set)
		cli.deadline = monotonic_ms() + 120 * 1000;
	keep = cli.have_plan ? cli.plan.sanroot.keep : true;
	rc = handoff_targets(targets, n, keep);
	explicit_bzero(targets, PLAN_MAX_TARGETS * sizeof(*targets));
	free(targets);
	return rc;
}
