// SPDX-License-Identifier: GPL-2.0-only
/* sanroot-iscsi: options, credentials and the plan, then one of the rescue commands. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iscsi/iscsi_tcp.h"
#include "plan/iscsistart_args.h"
#include "plan/plan_load.h"
#include "core/quote.h"
#include "core/file.h"
#include "../plan_opts.h"
#include "../tool.h"
#include "cli.h"
#include "commands.h"

struct cli cli;

static void usage(void)
{
	printf("Usage: %s [OPTION]... COMMAND ARGUMENT...\n"
	       "  or:  iscsistart [OPTION]...   (open-iscsi's options; see iscsistart --help)\n"
	       "An iSCSI initiator for the initramfs: hands sessions to the kernel, keeps them.\n"
	       "\n"
	       "Commands:\n"
	       "  login                            log in to the boot plan's targets through the\n"
	       "                                   kernel; one line per disk: sid= target= portal=\n"
	       "                                   lun= dev=\n"
	       "  logout [SID|all]                 close sessions (all by default)\n"
	       "  sessions                         list the kernel's iSCSI sessions\n"
	       "  keep [SID...]                    start a keeper for sessions that have none\n"
	       "  discover PORTAL...               list the targets a portal offers (SendTargets)\n"
	       "  probe [TARGET]                   log in; list each LUN and what it holds\n"
	       "  read TARGET LUN OFFSET LENGTH    copy bytes of a LUN to standard output\n"
	       "  write TARGET LUN OFFSET LENGTH   copy standard input onto a LUN (needs --allow-write)\n"
	       "\n"
	       "TARGET is NAME@PORTAL, iscsi://[USER[%%SECRET]@]HOST[:PORT]/NAME[/LUN], an RFC 4173\n"
	       "iscsi:HOST::PORT:LUN:NAME, or a NAME the boot plan knows. PORTAL is HOST[:PORT],\n"
	       "[IPv6][:PORT]. OFFSET and LENGTH take K, M and G suffixes (powers of 1024).\n"
	       "\n"
	       "Options:\n"
	       "  -i, --initiator NAME       our iSCSI name (default: the plan's, then\n"
	       "                             /etc/iscsi/initiatorname.iscsi, then %s)\n"
	       "  -u, --username NAME        CHAP name the target checks\n"
	       "  -w, --password SECRET      its secret (visible to other users: prefer a file)\n"
	       "      --password-file FILE   read the secret from the first line of FILE ('-': stdin)\n"
	       "  -U, --username-in NAME     CHAP name the target must answer with (mutual CHAP)\n"
	       "  -W, --password-in SECRET   the target's secret (visible to other users)\n"
	       "      --password-in-file FILE\n"
	       "      --chap-alg LIST        CHAP algorithms to offer, preferred first\n"
	       "                             (sha3-256,sha256,sha1,md5)\n"
	       "      --digest MODE          header and data digests: none, crc32c, prefer-crc32c,\n"
	       "                             or auto (none unless the target requires CRC32C)\n"
	       "      --header-digest MODE, --data-digest MODE\n"
	       "      --max-recv BYTES       the MaxRecvDataSegmentLength we declare (262144)\n"
	       "      --timeout SECONDS      give up after this long (30; login: 120)\n"
	       "      --keep, --no-keep      login: leave a keeper that logs in again after a\n"
	       "                             connection drops (default: sanroot.keep, on)\n"
	       "  -P, --param NAME=VALUE     a session parameter, as rd.iscsi.param= takes it:\n"
	       "                             replacement_timeout, noop_out_interval,\n"
	       "                             noop_out_timeout, login_timeout, ... (open-iscsi's\n"
	       "                             node.* names or their last part)\n"
	       "      --retries N            passes over the portals (default: until the timeout)\n"
	       "      --allow-write          let 'write' change the LUN\n"
	       "      --lun N                probe: this LUN only (no REPORT LUNS)\n"
	       "      --no-content           probe: do not read the LUNs (no libblkid)\n"
	       "      --noauth               accept a target that skips CHAP although it is set\n"
	       "      --no-md5               refuse CHAP with MD5\n"
	       "      --no-plan              ignore the boot plan\n"
	       "  -d, --debug LEVEL          0 quiet, 1 progress, 2 PDUs, 3 login keys\n"
	       "  -h, --help                 this text\n"
	       "  -v, --version              the version\n"
	       "\n"
	       PLAN_OPTIONS_HELP
	       "\n"
	       "Secrets are never printed. Exit status: 0 on success, 100 on bad usage,\n"
	       "111 when the target or the system fails.\n",
	       tool_name, DEFAULT_INITIATOR);
}

void wipe_cli_secrets(void)
{
	explicit_bzero(&cli.chap, sizeof(cli.chap));
	explicit_bzero(&cli.rchap, sizeof(cli.rchap));
	for (unsigned i = 0; i < cli.plan.ntargets; i++) {
		explicit_bzero(&cli.plan.target[i].chap, sizeof(cli.plan.target[i].chap));
		explicit_bzero(&cli.plan.target[i].rchap, sizeof(cli.plan.target[i].rchap));
	}
}

static void log_to_tool(void *ctx, int level, const char *msg)
{
	(void)ctx;
	tool_log(level > TL_DEBUG ? TL_DEBUG : (enum tool_level)level, "%s", msg);
}

/* Copy a secret given on the command line, then hide it from /proc/PID/cmdline. */
static void take_argv_secret(char *arg, char *dst, size_t len, const char *opt)
{
	if (strlen(arg) >= len)
		tool_usage_error("the secret given with %s is longer than %zu bytes", opt, len - 1);
	snprintf(dst, len, "%s", arg);
	memset(arg, '*', strlen(arg));
	log_warn("a secret given with %s is visible to other users while we start; "
		 "use --password-file or %s", opt, SANROOT_CONF);
}

static void read_secret_file(const char *path, char *dst, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	struct stat st;

	if (!strcmp(path, "-")) {
		if (!fgets(dst, (int)len, stdin))
			tool_fail("unable to read a secret from standard input");
		dst[strcspn(dst, "\r\n")] = '\0';
		return;
	}
	if (stat(path, &st) == 0 && (st.st_mode & 077))
		log_warn("%s can be read by other users; chmod 600 it", path);
	if (file_read(path, 4096, &buf, &n) < 0)
		tool_fail("unable to read %s: %s", path, strerror(errno));
	n = strcspn(buf, "\r\n");
	if (n >= len) {
		explicit_bzero(buf, strlen(buf));
		free(buf);
		tool_fail("the secret in %s is longer than %zu bytes", path, len - 1);
	}
	memcpy(dst, buf, n);
	dst[n] = '\0';
	explicit_bzero(buf, strlen(buf));
	free(buf);
}

static enum iscsi_digest_offer parse_digest(const char *v)
{
	if (!strcmp(v, "none"))
		return ISCSI_DIGEST_NONE;
	if (!strcmp(v, "crc32c"))
		return ISCSI_DIGEST_CRC32C;
	if (!strcmp(v, "prefer-crc32c"))
		return ISCSI_DIGEST_PREFER_CRC32C;
	if (!strcmp(v, "auto") || !strcmp(v, "prefer-none"))
		return ISCSI_DIGEST_PREFER_NONE;
	tool_usage_error("digest mode '%s' is not none, crc32c, prefer-crc32c or auto", v);
}

static void parse_chap_algs(const char *v)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	cli.nchap_algs = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int a = chap_alg_from_name(tok);

		if (a < 0)
			tool_usage_error("unknown CHAP algorithm '%s' (sha3-256, sha256, sha1, md5)", tok);
		if (cli.nchap_algs == CHAP_ALGS_MAX)
			tool_usage_error("--chap-alg lists too many algorithms");
		cli.chap_algs[cli.nchap_algs++] = (uint8_t)a;
	}
	if (!cli.nchap_algs)
		tool_usage_error("--chap-alg is empty");
}

static unsigned parse_uint(const char *v, unsigned max, const char *what)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n > max || v[0] == '-')
		tool_usage_error("%s '%s' is not a number from 0 to %u", what, v, max);
	return (unsigned)n;
}

static void default_initiator(void)
{
	char *buf = NULL, *p;
	size_t n;

	if (cli.initiator)
		return;
	if (cli.have_plan && cli.plan.initiator[0]) {
		cli.initiator = cli.plan.initiator;
		return;
	}
	if (file_read("/etc/iscsi/initiatorname.iscsi", 4096, &buf, &n) == 0) {
		for (p = strtok(buf, "\n"); p; p = strtok(NULL, "\n")) {
			if (!strncmp(p, "InitiatorName=", 14) && p[14] && strlen(p + 14) < PLAN_NAME_MAX) {
				snprintf(cli.initiator_buf, sizeof(cli.initiator_buf), "%s", p + 14);
				cli.initiator = cli.initiator_buf;
				break;
			}
		}
		free(buf);
	}
	if (!cli.initiator)
		cli.initiator = DEFAULT_INITIATOR;
}

/* ---- targets --------------------------------------------------------------------- */

static const struct plan_target *plan_find(const char *name)
{
	for (unsigned i = 0; cli.have_plan && i < cli.plan.ntargets; i++)
		if (!strcmp(cli.plan.target[i].name, name))
			return &cli.plan.target[i];
	return NULL;
}

/* libiscsi's form: iscsi://[user[%secret]@]host[:port]/target[/lun] */
static int parse_libiscsi_url(char *arg, struct plan_target *t, struct sr_error *err)
{
	char *rest = arg + 8, *slash, *at, host[HOSTPORT_TEXT_MAX];
	size_t hl;
	int rc;

	slash = strchr(rest, '/');
	hl = slash ? (size_t)(slash - rest) : strlen(rest);
	at = memrchr(rest, '@', hl);
	if (at) {
		char *pct = memchr(rest, '%', (size_t)(at - rest));
		size_t ul = (size_t)((pct ? pct : at) - rest);

		if (ul == 0 || ul >= sizeof(t->chap.name))
			return sr_fail(err, EINVAL, "the user name in the URL is empty or too long");
		memcpy(t->chap.name, rest, ul);
		if (pct) {
			size_t sl = (size_t)(at - pct - 1);

			if (sl == 0 || sl >= sizeof(t->chap.secret))
				return sr_fail(err, EINVAL, "the secret in the URL is empty or too long");
			memcpy(t->chap.secret, pct + 1, sl);
			memset(pct + 1, '*', sl);
			log_warn("a secret inside an iscsi:// URL is visible to other users while we start; "
				 "use --password-file or %s", SANROOT_CONF);
		}
		hl -= (size_t)(at + 1 - rest);
		rest = at + 1;
	}
	if (hl == 0 || hl >= sizeof(host))
		return sr_fail(err, EINVAL, "the URL has no host");
	memcpy(host, rest, hl);
	host[hl] = '\0';
	rc = hostport_parse(host, ISCSI_DEFAULT_PORT, &t->portal[0], err);
	if (rc < 0)
		return rc;
	t->nportals = 1;
	if (slash && slash[1]) {
		char *name = slash + 1, *lun = strchr(name, '/');
		size_t nl = lun ? (size_t)(lun - name) : strlen(name);

		if (nl >= sizeof(t->name))
			return sr_fail(err, EINVAL, "the target name is longer than %d bytes", PLAN_NAME_MAX - 1);
		memcpy(t->name, name, nl);
		t->name[nl] = '\0';
		if (lun && lun[1]) {
			char *end;

			errno = 0;
			t->lun = strtoull(lun + 1, &end, 10);
			if (errno || *end || lun[1] == '-')
				return sr_fail(err, EINVAL, "LUN '%s' is not a number", lun + 1);
			t->lun_set = true;
		}
	}
	return 0;
}

int cli_target(const char *arg_in, bool need_name, struct plan_target *t)
{
	const struct plan_target *known;
	struct sr_error err = { 0 };
	char *arg = (char *)arg_in, *at;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	t->tpgt = -1;
	t->ibft_nic = -1;
	if (!arg) {
		if (!cli.have_plan || cli.plan.ntargets == 0)
			tool_usage_error("no target given, and the boot plan names none");
		*t = cli.plan.target[0];
		known = NULL;
	} else if (!strncmp(arg, "iscsi://", 8)) {
		rc = parse_libiscsi_url(arg, t, &err);
	} else if (!strncmp(arg, "iscsi:", 6)) {
		rc = plan_parse_iscsi_uri(arg, t, &err);
		if (rc == 0 && t->chap.secret[0]) {
			char *s = strstr(arg, t->chap.secret);

			if (s)
				memset(s, '*', strlen(t->chap.secret));
			log_warn("a secret inside an iscsi: root path is visible to other users while we start");
		}
	} else if ((at = strrchr(arg, '@'))) {
		if (at == arg || (size_t)(at - arg) >= sizeof(t->name))
			tool_usage_error("'%s': the target name before '@' is empty or too long", arg);
		memcpy(t->name, arg, (size_t)(at - arg));
		rc = hostport_parse(at + 1, ISCSI_DEFAULT_PORT, &t->portal[0], &err);
		t->nportals = 1;
	} else if ((known = plan_find(arg))) {
		*t = *known;
	} else if (need_name) {
		tool_usage_error("'%s' is not NAME@PORTAL, an iscsi: URL, or a target the boot plan knows", arg);
	} else {
		rc = hostport_parse(arg, ISCSI_DEFAULT_PORT, &t->portal[0], &err);
		t->nportals = 1;
	}
	if (rc < 0)
		tool_usage_error("'%s': %s", arg, err.msg);
	if (need_name && !t->name[0])
		tool_usage_error("'%s' names no target", arg);

	/* Credentials: the plan's for this target, unless the argument carried some. */
	known = t->name[0] ? plan_find(t->name) : NULL;
	if (known && !t->chap.name[0]) {
		t->chap = known->chap;
		t->rchap = known->rchap;
	}
	if (cli.chap_given) {
		t->chap = cli.chap;
	}
	if (cli.rchap_given)
		t->rchap = cli.rchap;
	if (t->chap.name[0] && !t->chap.secret[0])
		tool_usage_error("CHAP name '%s' has no secret (-w, --password-file or %s)", t->chap.name,
				 SANROOT_CONF);
	if (t->rchap.name[0] && !t->rchap.secret[0])
		tool_usage_error("target CHAP name '%s' has no secret (-W or --password-in-file)",
				 t->rchap.name);
	if (t->rchap.name[0] && !t->chap.name[0])
		tool_usage_error("mutual CHAP (-U) needs our own CHAP name and secret too (-u)");
	return 0;
}

void cli_login_params(const struct plan_target *t, struct iscsi_login_params *p)
{
	memset(p, 0, sizeof(*p));
	default_initiator();
	p->initiator_name = cli.initiator;
	p->target_name = t->name[0] ? t->name : NULL;
	if (t->chap.name[0]) {
		p->chap.name = t->chap.name;
		p->chap.secret = t->chap.secret;
	}
	if (t->rchap.name[0]) {
		p->chap.target_name = t->rchap.name;
		p->chap.target_secret = t->rchap.secret;
	}
	memcpy(p->chap_algs, cli.chap_algs, sizeof(p->chap_algs));
	p->nchap_algs = cli.nchap_algs;
	p->md5_allowed = cli.md5 >= 0 ? cli.md5 : (cli.have_plan ? cli.plan.sanroot.md5 : true);
	p->noauth_allowed = cli.noauth >= 0 ? cli.noauth : (cli.have_plan && cli.plan.sanroot.noauth);
	iscsi_isid_make(p->isid);
	p->cid = 0;
	p->cmdsn = 1;
	p->expect_tpgt = t->tpgt;
	iscsi_op_offer_defaults(&p->offer);
	p->offer.max_recv_dsl = cli.max_recv;
	p->header_digest = cli.header_digest;
	p->data_digest = cli.data_digest;
	p->log = &cli.log;
}

/* ---- TCP --------------------------------------------------------------------------- */

static int tcp_open(void *ctx, const struct hostport *portal, int64_t deadline,
		    struct iscsi_transport **t, struct sr_error *err)
{
	struct iscsi_tcp *c = malloc(sizeof(*c));
	int rc;

	(void)ctx;
	if (!c)
		return sr_fail(err, ENOMEM, "out of memory");
	rc = iscsi_tcp_connect(c, portal, cli.max_recv, deadline, err);
	if (rc < 0) {
		free(c);
		return rc;
	}
	*t = &c->t;
	return 0;
}

static void tcp_close(void *ctx, struct iscsi_transport *t)
{
	(void)ctx;
	cli_close(t);
}

void cli_close(struct iscsi_transport *t)
{
	struct iscsi_tcp *c = (struct iscsi_tcp *)t;

	if (!c)
		return;
	iscsi_tcp_close(c);
	free(c);
}

const struct iscsi_connector cli_tcp = { .open = tcp_open, .close = tcp_close };

void cli_policy(struct iscsi_connect_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	pol->deadline = cli.deadline;
	pol->attempt_ms = 10000;
	pol->max_rounds = cli.retries;
	pol->log = &cli.log;
}

/* ---- main ---------------------------------------------------------------------------- */

enum {
	OPT_PASSWORD_FILE = 256, OPT_PASSWORD_IN_FILE, OPT_CHAP_ALG, OPT_DIGEST, OPT_HEADER_DIGEST,
	OPT_DATA_DIGEST, OPT_MAX_RECV, OPT_TIMEOUT, OPT_RETRIES, OPT_ALLOW_WRITE, OPT_NOAUTH,
	OPT_NO_MD5, OPT_NO_PLAN, OPT_VERBOSE, OPT_LUN, OPT_NO_CONTENT,
	OPT_KEEP, OPT_NO_KEEP,
};

/* iscsistart by name (a link, or the multi-call binary's alias), or by its options alone. */
static bool iscsistart_mode(int argc, char **argv)
{
	const char *me = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	struct iscsistart_args a;

	if (me[0] == '@')
		me++;
	if (!strcmp(me, "iscsistart"))
		return true;
	return iscsistart_parse(argc, argv, &a, NULL) == 0 && a.operand == argc && a.own_option;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "initiator", required_argument, NULL, 'i' },
		{ "username", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'w' },
		{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
		{ "username-in", required_argument, NULL, 'U' },
		{ "password-in", required_argument, NULL, 'W' },
		{ "password-in-file", required_argument, NULL, OPT_PASSWORD_IN_FILE },
		{ "chap-alg", required_argument, NULL, OPT_CHAP_ALG },
		{ "digest", required_argument, NULL, OPT_DIGEST },
		{ "header-digest", required_argument, NULL, OPT_HEADER_DIGEST },
		{ "data-digest", required_argument, NULL, OPT_DATA_DIGEST },
		{ "max-recv", required_argument, NULL, OPT_MAX_RECV },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "allow-write", no_argument, NULL, OPT_ALLOW_WRITE },
		{ "lun", required_argument, NULL, OPT_LUN },
		{ "no-content", no_argument, NULL, OPT_NO_CONTENT },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "no-keep", no_argument, NULL, OPT_NO_KEEP },
		{ "param", required_argument, NULL, 'P' },
		{ "noauth", no_argument, NULL, OPT_NOAUTH },
		{ "no-md5", no_argument, NULL, OPT_NO_MD5 },
		PLAN_OPTIONS,
		{ "no-plan", no_argument, NULL, OPT_NO_PLAN },
		{ "debug", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 }
	};
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} commands[] = {
		{ "discover", cmd_discover },
		{ "probe", cmd_probe },
		{ "read", cmd_read },
		{ "write", cmd_write },
		{ "login", cmd_login },
		{ "logout", cmd_logout },
		{ "sessions", cmd_sessions },
		{ "keep", cmd_keep },
	};
	struct plan_load_opts po = { 0 };
	struct sr_error err = { 0 };
	bool no_plan = false;
	int c, debug = 0;

	atexit(wipe_cli_secrets);
	cli.argc = argc;
	cli.argv = argv;
	cli.header_digest = cli.data_digest = ISCSI_DIGEST_PREFER_NONE;
	cli.timeout = 30;
	cli.max_recv = 262144;
	cli.noauth = cli.md5 = -1;
	cli.keep = -1;
	cli.log = (struct iscsi_log){ .fn = log_to_tool, .max_level = ISCSI_LOG_NOTICE };
	cli.deadline = monotonic_ms() + (int64_t)cli.timeout * 1000;
	if (iscsistart_mode(argc, argv)) {
		tool_init("iscsistart");
		return iscsistart_main(argc, argv);
	}
	tool_init("sanroot-iscsi");
	while ((c = getopt_long(argc, argv, "i:u:w:U:W:d:hvP:", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (!optarg[0] || strlen(optarg) >= PLAN_NAME_MAX)
				tool_usage_error("the initiator name must be 1..%d bytes", PLAN_NAME_MAX - 1);
			cli.initiator = optarg;
			break;
		case 'u':
			if (!optarg[0] || strlen(optarg) >= sizeof(cli.chap.name))
				tool_usage_error("the CHAP name must be 1..%zu bytes", sizeof(cli.chap.name) - 1);
			snprintf(cli.chap.name, sizeof(cli.chap.name), "%s", optarg);
			cli.chap_given = true;
			break;
		case 'w':
			take_argv_secret(optarg, cli.chap.secret, sizeof(cli.chap.secret), "-w");
			break;
		case OPT_PASSWORD_FILE:
			read_secret_file(optarg, cli.chap.secret, sizeof(cli.chap.secret));
			break;
		case 'U':
			if (!optarg[0] || strlen(optarg) >= sizeof(cli.rchap.name))
				tool_usage_error("the target CHAP name must be 1..%zu bytes", sizeof(cli.rchap.name) - 1);
			snprintf(cli.rchap.name, sizeof(cli.rchap.name), "%s", optarg);
			cli.rchap_given = true;
			break;
		case 'W':
			take_argv_secret(optarg, cli.rchap.secret, sizeof(cli.rchap.secret), "-W");
			break;
		case OPT_PASSWORD_IN_FILE:
			read_secret_file(optarg, cli.rchap.secret, sizeof(cli.rchap.secret));
			break;
		case OPT_CHAP_ALG: parse_chap_algs(optarg); break;
		case OPT_DIGEST: cli.header_digest = cli.data_digest = parse_digest(optarg); break;
		case OPT_HEADER_DIGEST: cli.header_digest = parse_digest(optarg); break;
		case OPT_DATA_DIGEST: cli.data_digest = parse_digest(optarg); break;
		case OPT_MAX_RECV:
			cli.max_recv = parse_uint(optarg, 16777215, "--max-recv");
			if (cli.max_recv < 512)
				tool_usage_error("--max-recv must be at least 512");
			break;
		case OPT_TIMEOUT:
			cli.timeout = parse_uint(optarg, 86400, "--timeout");
			if (!cli.timeout)
				tool_usage_error("--timeout must be at least 1");
			cli.timeout_set = true;
			break;
		case OPT_KEEP: cli.keep = 1; break;
		case OPT_NO_KEEP: cli.keep = 0; break;
		case 'P':
			if (cli.nparam == sizeof(cli.param) / sizeof(cli.param[0]))
				tool_usage_error("too many -P parameters");
			if (!strchr(optarg, '=') || optarg[0] == '=')
				tool_usage_error("-P '%s' is not NAME=VALUE", optarg);
			cli.param[cli.nparam++] = optarg;
			break;
		case OPT_RETRIES: cli.retries = parse_uint(optarg, 1000, "--retries"); break;
		case OPT_ALLOW_WRITE: cli.allow_write = true; break;
		case OPT_LUN:
			cli.lun = parse_uint(optarg, 16383, "--lun");
			cli.one_lun = true;
			break;
		case OPT_NO_CONTENT: cli.no_content = true; break;
		case OPT_NOAUTH: cli.noauth = 1; break;
		case OPT_NO_MD5: cli.md5 = 0; break;
		case OPT_NO_PLAN: no_plan = true; break;
		case 'd': debug = (int)parse_uint(optarg, 8, "--debug"); break;
		case OPT_VERBOSE: debug++; break;
		case 'h': usage(); return 0;
		case 'v': printf("sanroot-iscsi %s\n", SANROOT_VERSION); return 0;
		default:
			if (!plan_opt(&po, c, optarg))
				tool_usage_error("unknown option");
		}
	}
	/* Without a name, a secret option is an error; a name without a secret is checked per target. */
	if (cli.chap.secret[0] && !cli.chap_given)
		tool_usage_error("a CHAP secret needs its name (-u)");
	if (cli.rchap.secret[0] && !cli.rchap_given)
		tool_usage_error("a target CHAP secret needs its name (-U)");
	tool_verbosity = debug;
	cli.log = (struct iscsi_log){ .fn = log_to_tool,
				      .max_level = debug >= 2 ? ISCSI_LOG_DEBUG :
						   debug == 1 ? ISCSI_LOG_INFO : ISCSI_LOG_NOTICE };
	if (debug >= 3)
		cli.log.max_level = ISCSI_LOG_TRACE;

	if (optind >= argc)
		tool_usage_error("no command (login, logout, sessions, keep, discover, probe, read, write)");
	if (!no_plan) {
		if (tool_plan_load(&po, &cli.plan, true, &err) == 0)
			cli.have_plan = true;
		else if (po.conf || po.cmdline || po.cmdline_file || po.ibft_file || po.sysroot)
			tool_fail_why(err.reason, "unable to read the boot plan: %s", err.msg);
		else
			log_info("ignoring the boot plan: %s", err.msg);
	}
	cli.deadline = monotonic_ms() + (int64_t)cli.timeout * 1000;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			return commands[i].run(argc - optind, argv + optind);
	tool_usage_error("unknown command '%s' (login, logout, sessions, keep, discover, probe, read, "
			 "write)", argv[optind]);
}
