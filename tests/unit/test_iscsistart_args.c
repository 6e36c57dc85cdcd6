// SPDX-License-Identifier: GPL-2.0-only
/* open-iscsi's iscsistart command line, as the stock dracut and initramfs-tools scripts write it. */
#include <errno.h>

#include "plan/iscsistart_args.h"
#include "t.h"

#define ARGC(v) ((int)(sizeof(v) / sizeof((v)[0])) - 1)

/* initramfs-tools' local-top/iscsi, with every optional part present. */
static void stock_initramfs_tools(void)
{
	char pass[] = "secret-one-12", pass_in[] = "secret-two-34";
	char *argv[] = { "iscsistart", "-i", "iqn.2024-01.org.example:guest", "-t",
			 "iqn.2024-01.org.example:disk", "-g", "1", "-a", "10.0.2.2", "-p", "3260",
			 "-u", "user", "-w", pass, "-U", "tuser", "-W", pass_in, NULL };
	struct iscsistart_args a;
	struct sr_error err;

	CHECK_INT(iscsistart_parse(ARGC(argv), argv, &a, &err), 0);
	CHECK_STR(a.initiator, "iqn.2024-01.org.example:guest");
	CHECK_STR(a.target, "iqn.2024-01.org.example:disk");
	CHECK_INT(a.tpgt, 1);
	CHECK_STR(a.address, "10.0.2.2");
	CHECK_INT(a.port, 3260);
	CHECK_STR(a.username, "user");
	CHECK_STR(a.username_in, "tuser");
	CHECK(a.password == pass);		/* in argv, for the caller to copy and wipe */
	CHECK(a.password_in == pass_in);
	CHECK_INT(a.debug, -1);
	CHECK(a.own_option);
	CHECK_INT(a.operand, ARGC(argv));
	CHECK(!a.fw_connect && !a.fw_network && !a.fw_print && !a.help && !a.version);
}

/* dracut's iscsiroot, and long forms with = or a separate value. */
static void long_forms(void)
{
	char *argv[] = { "iscsistart", "--initiatorname=iqn.x:a", "--targetname", "iqn.x:b",
			 "--tgpt=2", "--address=fd00::2", "--port", "3261", "--username_in=u",
			 "--password_in=p", "--param",
			 "node.session.timeo.replacement_timeout=30", "--param=node.startup=manual",
			 "--debug=3", "--config=/etc/iscsi/iscsid.conf", NULL };
	struct iscsistart_args a;
	struct sr_error err;

	CHECK_INT(iscsistart_parse(ARGC(argv), argv, &a, &err), 0);
	CHECK_STR(a.initiator, "iqn.x:a");
	CHECK_STR(a.target, "iqn.x:b");
	CHECK_INT(a.tpgt, 2);
	CHECK_STR(a.address, "fd00::2");
	CHECK_INT(a.port, 3261);
	CHECK_STR(a.username_in, "u");
	CHECK_STR(a.password_in, "p");
	CHECK_INT(a.nparam, 2);
	CHECK_STR(a.param[0], "node.session.timeo.replacement_timeout=30");
	CHECK_STR(a.param[1], "node.startup=manual");
	CHECK_INT(a.debug, 3);
	CHECK_STR(a.config, "/etc/iscsi/iscsid.conf");
}

static void firmware_and_clusters(void)
{
	char *b[] = { "iscsistart", "-b", "-P", "replacement_timeout=60", NULL };
	char *nf[] = { "iscsistart", "-Nf", NULL };
	char *attached[] = { "iscsistart", "-d2", "-tiqn.x:y", "-bp3262", NULL };
	char *fw[] = { "iscsistart", "--fwparam_print", "--fwparam_network", "--fwparam_connect",
		       NULL };
	struct iscsistart_args a;
	struct sr_error err;

	CHECK_INT(iscsistart_parse(ARGC(b), b, &a, &err), 0);
	CHECK(a.fw_connect && !a.fw_network && !a.fw_print);
	CHECK_INT(a.nparam, 1);
	CHECK_INT(iscsistart_parse(ARGC(nf), nf, &a, &err), 0);
	CHECK(a.fw_network && a.fw_print && !a.fw_connect);
	CHECK_INT(iscsistart_parse(ARGC(attached), attached, &a, &err), 0);
	CHECK_INT(a.debug, 2);
	CHECK_STR(a.target, "iqn.x:y");
	CHECK(a.fw_connect);
	CHECK_INT(a.port, 3262);
	CHECK_INT(iscsistart_parse(ARGC(fw), fw, &a, &err), 0);
	CHECK(a.fw_connect && a.fw_network && a.fw_print);
}

/* sanroot-iscsi's own syntax is not iscsistart's: an operand, or only shared options. */
static void not_iscsistart(void)
{
	char *login[] = { "sanroot-iscsi", "-i", "iqn.x:a", "-P", "noop_out_interval=0", "login",
			  "--keep", NULL };
	char *shared[] = { "sanroot-iscsi", "-u", "user", "-d", "1", NULL };
	char *dashdash[] = { "iscsistart", "-b", "--", "-x", NULL };
	struct iscsistart_args a;
	struct sr_error err;

	CHECK_INT(iscsistart_parse(ARGC(login), login, &a, &err), 0);
	CHECK_INT(a.operand, 5);
	CHECK_STR(login[a.operand], "login");
	CHECK_INT(iscsistart_parse(ARGC(shared), shared, &a, &err), 0);
	CHECK(!a.own_option);
	CHECK_INT(a.operand, ARGC(shared));
	CHECK_INT(iscsistart_parse(ARGC(dashdash), dashdash, &a, &err), 0);
	CHECK_INT(a.operand, 3);
}

static const struct {
	const char *what;
	char *argv[5];
	const char *msg;
} bad[] = {
	{ "unknown short", { "iscsistart", "-x", NULL }, "unknown option '-x'" },
	{ "unknown long", { "iscsistart", "--bogus", NULL }, "unknown or ambiguous option '--bogus'" },
	{ "ambiguous prefix", { "iscsistart", "--pass=x", NULL },
	  "unknown or ambiguous option '--pass=x'" },
	{ "missing value", { "iscsistart", "-t", NULL }, "option '-t' needs a value" },
	{ "missing long value", { "iscsistart", "--address", NULL }, "option '--address' needs a value" },
	{ "value to a flag", { "iscsistart", "--help=yes", NULL }, "option '--help' takes no value" },
	{ "port 0", { "iscsistart", "-p", "0", NULL }, "-p '0' is not a port (1..65535)" },
	{ "port too big", { "iscsistart", "-p", "70000", NULL }, "-p '70000' is not a port (1..65535)" },
	{ "tpgt not a number", { "iscsistart", "-g", "one", NULL },
	  "-g 'one' is not a portal group tag (0..65535)" },
	{ "debug too high", { "iscsistart", "-d", "9", NULL }, "-d '9' is not a debug level (0..8)" },
	{ "param without =", { "iscsistart", "-P", "replacement_timeout", NULL },
	  "-P 'replacement_timeout' is not NAME=VALUE" },
};

static void refused(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct iscsistart_args a;
		struct sr_error err = { 0 };
		char *argv[5];
		int argc = 0, rc;
		char why[300];

		while (bad[i].argv[argc]) {
			argv[argc] = bad[i].argv[argc];
			argc++;
		}
		argv[argc] = NULL;
		rc = iscsistart_parse(argc, argv, &a, &err);
		snprintf(why, sizeof(why), "rc %d, message '%s'", rc, err.msg);
		t_row("refused", bad[i].what, rc != -EINVAL || strcmp(err.msg, bad[i].msg), why);
	}
}

int main(void)
{
	RUN(stock_initramfs_tools);
	RUN(long_forms);
	RUN(firmware_and_clusters);
	RUN(not_iscsistart);
	refused();
	T_EXIT();
}
