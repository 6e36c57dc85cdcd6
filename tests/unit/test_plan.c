// SPDX-License-Identifier: GPL-2.0-only
/* Tests for the boot plan: every command-line syntax, precedence, conflicts, errors. */
#include <errno.h>

#include "plan/cmdline.h"
#include "firmware/ibft.h"
#include "plan/plan.h"
#include "t.h"

static struct plan P;
static struct sr_error E;

/* Resolve a command line alone; returns plan_resolve's result. */
static int resolve(const char *cmdline)
{
	struct plan_input *in = plan_input_new();
	int rc;

	memset(&E, 0, sizeof(E));
	rc = plan_add_cmdline(in, cmdline, strlen(cmdline), "cmdline", &E);
	if (rc == 0)
		rc = plan_resolve(in, &P, &E);
	plan_input_free(in);
	return rc;
}

static bool has_note(enum plan_note_kind kind, const char *needle)
{
	for (unsigned i = 0; i < P.nnotes; i++)
		if (P.note[i].kind == kind && strstr(P.note[i].text, needle))
			return true;
	return false;
}

/* Tokenizer ---------------------------------------------------------------- */

static void tokenizer_kernel_quoting(void)
{
	static const struct { const char *in; const char *key, *val; } rows[] = {
		{ "a=b", "a", "b" },
		{ "flag", "flag", NULL },
		{ "a=\"b c\"", "a", "b c" },
		{ "\"a=b c\"", "a", "b c" },
		{ "a=\"b\"c", "a", "b\"c" },		/* only a closing quote at the end goes */
		{ "a=b\"c d\"", "a", "b\"c d\"" },	/* mid-value quotes stay, and join words */
		{ "a=", "a", "" },
		{ "a==b", "a", "=b" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cmdline_arg a;
		size_t off = 0;
		char key[64], val[64];

		CHECK(cmdline_next(rows[i].in, strlen(rows[i].in), &off, &a));
		snprintf(key, sizeof(key), "%.*s", (int)a.keylen, a.key);
		CHECK_STR(key, rows[i].key);
		if (!rows[i].val) {
			CHECK(a.val == NULL);
			continue;
		}
		CHECK(a.val != NULL);
		snprintf(val, sizeof(val), "%.*s", (int)a.vallen, a.val);
		CHECK_STR(val, rows[i].val);
	}
}

static void tokenizer_stops_at_double_dash(void)
{
	const char *s = "  a=1\tb  -- init_arg=2";
	struct cmdline_arg a;
	size_t off = 0;

	CHECK(cmdline_next(s, strlen(s), &off, &a));
	CHECK_INT(a.pos, 2);
	CHECK(cmdline_next(s, strlen(s), &off, &a));
	CHECK_INT(a.keylen, 1);
	CHECK(!cmdline_next(s, strlen(s), &off, &a));
}

/* The seeds' command lines -------------------------------------------------------- */

static void seed_open_iscsi_reference(void)
{
	CHECK_INT(resolve("ip=dhcp root=/dev/mapper/client-rootfs "
			  "iscsi_initiator=iqn.2013-02.org.example.client:default "
			  "iscsi_target_name=iqn.2013-02.org.example.target:client "
			  "iscsi_target_ip=10.0.0.2 iscsi_target_port=3260 iscsi_username=client "
			  "iscsi_password=secret BOOT_IMAGE=vmlinuz-3.2.0-37-generic "
			  "BOOTIF=01-52-54-00-f9-94-84"), 0);
	CHECK_STR(P.initiator, "iqn.2013-02.org.example.client:default");
	CHECK_INT(P.initiator_origin, ORIGIN_CMDLINE);
	CHECK_INT(P.ntargets, 1);
	CHECK_STR(P.target[0].name, "iqn.2013-02.org.example.target:client");
	CHECK_INT(P.target[0].nportals, 1);
	CHECK_STR(P.target[0].portal[0].host, "10.0.0.2");
	CHECK_INT(P.target[0].portal[0].port, 3260);
	CHECK_STR(P.target[0].chap.name, "client");
	CHECK_STR(P.target[0].chap.secret, "secret");
	CHECK_STR(P.target[0].rchap.name, "");
	CHECK(!P.target[0].lun_set);
	CHECK_INT(P.nnets, 1);
	CHECK_INT(P.net[0].method, IP_DHCP);
	CHECK(P.has_bootif);
	CHECK_MEM(P.bootif, "\x52\x54\x00\xf9\x94\x84", 6);
	CHECK_STR(P.root.dev, "/dev/mapper/client-rootfs");
	CHECK_STR(P.root.vg, "client");
	CHECK_STR(P.root.lv, "rootfs");
	CHECK(!P.lvm.disabled);
	CHECK(has_note(NOTE_WARN, "shorter than 12 bytes"));
	CHECK(!has_note(NOTE_CONFLICT, ""));
	CHECK_INT(P.source[0].nparams, 10);
	CHECK_INT(P.source[0].nused, 9);	/* BOOT_IMAGE is not ours */
}

static void seed_ipxe_root_path(void)
{
	CHECK_INT(resolve("root=iscsi:192.168.3.3::::iqn.2001-01.org.exacnet:foobar.1"), 0);
	CHECK_INT(P.ntargets, 1);
	CHECK_STR(P.target[0].name, "iqn.2001-01.org.exacnet:foobar.1");
	CHECK_STR(P.target[0].portal[0].host, "192.168.3.3");
	CHECK_INT(P.target[0].portal[0].port, 3260);
	CHECK(!P.target[0].lun_set);
	CHECK_STR(P.root.dev, "");	/* the root path names a target, not a device */
}

/* iscsi: root paths (dracut netroot=, root=, RFC 4173) ----------------------------------- */

struct uri_row {
	const char *uri;
	int rc;
	const char *host;
	unsigned port;
	const char *lun;	/* NULL: not set */
	const char *name, *user, *pass, *ruser, *rpass, *iface, *netdev;
	const char *errpart;
};

static void iscsi_uri_table(void)
{
	static const struct uri_row rows[] = {
		{ "iscsi:192.168.3.3::::iqn.2001-01.org.exacnet:foobar.1", 0, "192.168.3.3", 3260, NULL,
		  "iqn.2001-01.org.exacnet:foobar.1" },
		{ "iscsi:10.0.2.2:6:3261:1:iqn.2013-02.org.example.target:client", 0, "10.0.2.2", 3261, "1",
		  "iqn.2013-02.org.example.target:client" },
		{ "iscsi:u:p@10.0.2.2::3260:0:iqn.a:b", 0, "10.0.2.2", 3260, "0", "iqn.a:b", "u", "p" },
		{ "iscsi:u:p:ru:rp@10.0.2.2::::iqn.a:b:c", 0, "10.0.2.2", 3260, NULL, "iqn.a:b:c",
		  "u", "p", "ru", "rp" },
		{ "iscsi:@192.168.1.100::3260::iqn.2009-01.com.example:testdi@sk", 0, "192.168.1.100", 3260,
		  NULL, "iqn.2009-01.com.example:testdi@sk" },
		{ "iscsi:[fd00::2]::3260:1:iqn.2013-02.org.example:v6", 0, "fd00::2", 3260, "1",
		  "iqn.2013-02.org.example:v6" },
		{ "iscsi:[fe80::1%eth0]:::a:eui.0123456789abcdef", 0, "fe80::1%eth0", 3260, "10",
		  "eui.0123456789abcdef" },
		{ "iscsi:srv::::naa.60a98000486e2f34576f2f51715a4c56", 0, "srv", 3260, NULL,
		  "naa.60a98000486e2f34576f2f51715a4c56" },
		{ "iscsi:10.0.0.1::3260:default:eth1:0:iqn.a:x", 0, "10.0.0.1", 3260, "0", "iqn.a:x",
		  .iface = "default", .netdev = "eth1" },
		{ "iscsi:10.0.0.1::3260:eth1:2:iqn.a:x", 0, "10.0.0.1", 3260, "2", "iqn.a:x",
		  .netdev = "eth1" },
		{ "iscsi:10.0.0.1::::target.without.prefix", 0, "10.0.0.1", 3260, NULL,
		  "target.without.prefix" },
		{ "iscsi:10.0.0.1::::4000-0000-0000-0000:iqn.a:flat", 0, "10.0.0.1", 3260, "0",
		  "iqn.a:flat" },
		{ "iscsi:10.0.0.1:17:3260::iqn.a:b", -EPROTONOSUPPORT, .errpart = "is not TCP" },
		{ "iscsi:10.0.0.1::32x60::iqn.a:b", -EINVAL, .errpart = "port '32x60'" },
		{ "iscsi:10.0.0.1::99999::iqn.a:b", -EINVAL, .errpart = "port '99999'" },
		{ "iscsi:10.0.0.1::::", -EINVAL, .errpart = "no target name" },
		{ "iscsi:10.0.0.1", -EINVAL, .errpart = "too few fields" },
		{ "iscsi:a:b:c:d:e@10.0.0.1::::iqn.a:b", -EINVAL, .errpart = "more than four" },
		{ "iscsi:u@10.0.0.1::::iqn.a:b", -EINVAL, .errpart = "user:password" },
		{ "iscsi:[fd00::2::3260::iqn.a:b", -EINVAL, .errpart = "[address]:" },
		{ "iscsi:10.0.0.1::::xyz:iqn.a:b", -EINVAL, .errpart = "LUN 'xyz'" },
		{ "iscsi:10.0.0.1::3260:a:b:c:d:iqn.a:b", -EINVAL, .errpart = "found 6 fields" },
		{ "nfs:10.0.0.1:/x", -EINVAL, .errpart = "iscsi:" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct uri_row *r = &rows[i];
		struct plan_target t;
		struct sr_error e = { 0 };
		char why[400] = "";
		int rc = plan_parse_iscsi_uri(r->uri, &t, &e);
		char lun[24] = "";

		if (t.lun_set)
			snprintf(lun, sizeof(lun), "%llu", (unsigned long long)t.lun);
		if (rc != r->rc)
			snprintf(why, sizeof(why), "rc %d, expected %d (%s)", rc, r->rc, e.msg);
		else if (rc < 0 && !strstr(e.msg, r->errpart))
			snprintf(why, sizeof(why), "message '%s' lacks '%s'", e.msg, r->errpart);
		else if (rc == 0 && (strcmp(t.portal[0].host, r->host) || t.portal[0].port != r->port ||
				     strcmp(t.name, r->name) || (r->lun ? strcmp(lun, r->lun) : t.lun_set) ||
				     strcmp(t.chap.name, r->user ? r->user : "") ||
				     strcmp(t.chap.secret, r->pass ? r->pass : "") ||
				     strcmp(t.rchap.name, r->ruser ? r->ruser : "") ||
				     strcmp(t.rchap.secret, r->rpass ? r->rpass : "") ||
				     strcmp(t.iface, r->iface ? r->iface : "") ||
				     strcmp(t.netdev, r->netdev ? r->netdev : "")))
			snprintf(why, sizeof(why), "got host '%s' port %u lun '%s' name '%s' user '%s' iface '%s' netdev '%s'",
				 t.portal[0].host, t.portal[0].port, lun, t.name, t.chap.name, t.iface, t.netdev);
		t_row("iscsi_uri", r->uri, why[0] != 0, why);
	}
}

static void netroot_repeated_gives_several_targets(void)
{
	CHECK_INT(resolve("netroot=iscsi:10.0.0.1::::iqn.a:one netroot=iscsi:10.0.0.2::3261::iqn.a:two "
			  "rd.iscsi.initiator=iqn.x:me rd.iscsi.username=u rd.iscsi.password=pppppppppppp"), 0);
	CHECK_INT(P.ntargets, 2);
	CHECK_STR(P.target[0].name, "iqn.a:one");
	CHECK_STR(P.target[1].name, "iqn.a:two");
	CHECK_INT(P.target[1].portal[0].port, 3261);
	CHECK_STR(P.target[1].chap.name, "u");	/* global credentials fill both */
	CHECK_STR(P.target[0].chap.secret, "pppppppppppp");
	CHECK_STR(P.initiator, "iqn.x:me");
}

static void root_iscsi_wins_over_netroot(void)
{
	CHECK_INT(resolve("netroot=iscsi:10.0.0.1::::iqn.a:net root=iscsi:10.0.0.9::::iqn.a:root"), 0);
	CHECK_INT(P.ntargets, 1);
	CHECK_STR(P.target[0].name, "iqn.a:root");
	CHECK(has_note(NOTE_INFO, "takes precedence over netroot"));
}

static void own_credentials_win_over_global(void)
{
	CHECK_INT(resolve("netroot=iscsi:a:bbbbbbbbbbbb@10.0.0.1::::iqn.a:x iscsi_username=g iscsi_password=gggggggggggg"), 0);
	CHECK_STR(P.target[0].chap.name, "a");
	CHECK_STR(P.target[0].chap.secret, "bbbbbbbbbbbb");
}

static void target_ip_list_and_dracut_keys(void)
{
	CHECK_INT(resolve("iscsi_target_name=iqn.a:t \"iscsi_target_ip=10.0.0.1 10.0.0.2 [fd00::3]:3262\" "
			  "iscsi_target_port=3261 iscsi_target_group=2 iscsi_in_username=tgt iscsi_in_password=tttttttttttt "
			  "iscsi_username=me iscsi_password=mmmmmmmmmmmm"), 0);
	CHECK_INT(P.ntargets, 1);
	CHECK_INT(P.target[0].nportals, 3);
	CHECK_STR(P.target[0].portal[1].host, "10.0.0.2");
	CHECK_INT(P.target[0].portal[1].port, 3261);
	CHECK_STR(P.target[0].portal[2].host, "fd00::3");
	CHECK_INT(P.target[0].portal[2].port, 3262);
	CHECK_INT(P.target[0].tpgt, 2);
	CHECK_STR(P.target[0].rchap.name, "tgt");

	CHECK_INT(resolve("rd.iscsi.target.name=iqn.a:t rd.iscsi.target.ip=10.1.1.1 rd.iscsi.target.port=3270"), 0);
	CHECK_INT(P.ntargets, 1);
	CHECK_INT(P.target[0].portal[0].port, 3270);
}

static void iscsi_keys_errors_name_the_parameter(void)
{
	CHECK_INT(resolve("iscsi_target_name=iqn.a:t"), -EINVAL);
	CHECK(strstr(E.msg, "no target address"));
	CHECK_INT(resolve("iscsi_target_ip=10.0.0.1 iscsi_target_port=abc"), -EINVAL);
	CHECK(strstr(E.msg, "iscsi_target_port=abc"));
	CHECK(strstr(E.msg, "column 26"));
	CHECK_INT(resolve("ro netroot=iscsi:10.0.0.1::0x::iqn.a:b"), -EINVAL);
	CHECK(strstr(E.msg, "netroot= (cmdline, column 4)"));
	CHECK(strstr(E.msg, "port '0x'"));
}

static void credentials_never_in_error_messages(void)
{
	CHECK(resolve("netroot=iscsi:user:topsecret99@10.0.0.1::bad::iqn.a:b") < 0);
	CHECK(!strstr(E.msg, "topsecret99"));
	CHECK(resolve("root=iscsi:user:topsecret99@10.0.0.1:x:::iqn.a:b") < 0);
	CHECK(!strstr(E.msg, "topsecret99"));
}

/* ip= and friends --------------------------------------------------------------- */

struct ip_row {
	const char *v;
	int rc;
	enum plan_ip_method m;
	const char *dev, *addr;
	unsigned prefix;
	const char *gw, *host, *dns0, *dns1;
	unsigned mtu;
	const char *mac;
};

static void ip_table(void)
{
	static const struct ip_row rows[] = {
		{ "dhcp", 0, IP_DHCP }, { "on", 0, IP_DHCP }, { "any", 0, IP_DHCP },
		{ "off", 0, IP_OFF }, { "none", 0, IP_OFF }, { "dhcp6", 0, IP_DHCP6 },
		{ "auto6", 0, IP_AUTO6 }, { "ibft", 0, IP_IBFT },
		{ "10.0.0.5:10.0.0.1:10.0.0.254:255.255.255.0:client:eth0:off", 0, IP_STATIC, "eth0",
		  "10.0.0.5", 24, "10.0.0.254", "client" },
		{ "10.0.0.5::10.0.0.254:255.255.0.0::eth0:none:10.0.0.53:10.0.0.54:10.0.0.123", 0, IP_STATIC,
		  "eth0", "10.0.0.5", 16, "10.0.0.254", "", "10.0.0.53", "10.0.0.54" },
		{ "10.0.0.5::10.0.0.254:24::ens2", 0, IP_STATIC, "ens2", "10.0.0.5", 24, "10.0.0.254" },
		{ ":::::eth1:dhcp", 0, IP_DHCP, "eth1" },
		{ "::::myhost::", 0, IP_DHCP, "", "", 0, "", "myhost" },
		{ "eth0:dhcp", 0, IP_DHCP, "eth0" },
		{ "eth0:dhcp:9000", 0, IP_DHCP, "eth0", .mtu = 9000 },
		{ "ens2:on:1500:52:54:00:12:34:56", 0, IP_DHCP, "ens2", .mtu = 1500, .mac = "525400123456" },
		{ "10.0.0.5::10.0.0.1:255.255.255.0:h:eth0:none:1400:52-54-00-12-34-56", 0, IP_STATIC, "eth0",
		  "10.0.0.5", 24, "10.0.0.1", "h", .mtu = 1400, .mac = "525400123456" },
		{ "[fd00::5/64]::[fd00::1]::h6:eth0:none", 0, IP_STATIC, "eth0", "fd00::5", 64, "fd00::1", "h6" },
		{ "[fd00::6]::[fe80::1]:64:h6:eth0:none", 0, IP_STATIC, "eth0", "fd00::6", 64, "fe80::1", "h6" },
		{ "bogus", -EINVAL }, { "eth0:sometimes", -EINVAL },
		{ "10.0.0.5::10.0.0.1:255.0.255.0::eth0:none", -EINVAL },
		{ "10.0.0.300::::::none", -EINVAL },
		{ "10.0.0.5::10.0.0.1:64::eth0:none", -EINVAL },
		{ "[fd00::6]::[fe80::1]:129::eth0:none", -EINVAL },
		{ "eth0:dhcp:12", -EINVAL },
		{ "eth0:dhcp:1500:52:54", -EINVAL },
		{ "10.0.0.5::::::weird", -EINVAL },
		{ "::::::none", 0, IP_OFF },
		{ "a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:q", -EINVAL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct ip_row *r = &rows[i];
		struct plan_net n;
		struct sr_error e = { 0 };
		char why[300] = "", mac[13] = "";
		int rc = plan_parse_ip(r->v, &n, &e);

		if (n.has_mac)
			snprintf(mac, sizeof(mac), "%02x%02x%02x%02x%02x%02x", n.mac[0], n.mac[1], n.mac[2],
				 n.mac[3], n.mac[4], n.mac[5]);
		if (rc != r->rc)
			snprintf(why, sizeof(why), "rc %d, expected %d (%s)", rc, r->rc, e.msg);
		else if (rc == 0 && (n.method != r->m || strcmp(n.dev, r->dev ? r->dev : "") ||
				     strcmp(n.addr, r->addr ? r->addr : "") || n.prefix != r->prefix ||
				     strcmp(n.gateway, r->gw ? r->gw : "") ||
				     strcmp(n.hostname, r->host ? r->host : "") ||
				     strcmp(n.dns[0], r->dns0 ? r->dns0 : "") ||
				     strcmp(n.dns[1], r->dns1 ? r->dns1 : "") || n.mtu != r->mtu ||
				     strcmp(mac, r->mac ? r->mac : "")))
			snprintf(why, sizeof(why), "got %s dev '%s' addr '%s'/%u gw '%s' host '%s' dns '%s' '%s' mtu %u mac '%s'",
				 plan_ip_method_name(n.method), n.dev, n.addr, n.prefix, n.gateway, n.hostname,
				 n.dns[0], n.dns[1], n.mtu, mac);
		t_row("ip", r->v, why[0] != 0, why);
	}
}

static void bootif_ifname_vlan(void)
{
	CHECK_INT(resolve("BOOTIF=01-52-54-00-f9-94-84 ifname=lan0:52:54:00:12:34:56 vlan=vlan0005:lan0 vlan=eth1.12:eth1"), 0);
	CHECK_MEM(P.bootif, "\x52\x54\x00\xf9\x94\x84", 6);
	CHECK_INT(P.nifnames, 1);
	CHECK_STR(P.ifname[0].name, "lan0");
	CHECK_MEM(P.ifname[0].mac, "\x52\x54\x00\x12\x34\x56", 6);
	CHECK_INT(P.nvlans, 2);
	CHECK_INT(P.vlan[0].id, 5);
	CHECK_STR(P.vlan[0].parent, "lan0");
	CHECK_INT(P.vlan[1].id, 12);
	CHECK_INT(resolve("BOOTIF=52:54:00:f9:94:84"), 0);	/* a bare MAC is taken too */
	CHECK_INT(resolve("BOOTIF=01-52-54"), -EINVAL);
	CHECK(strstr(E.msg, "BOOTIF"));
	CHECK_INT(resolve("vlan=lan:eth0"), -EINVAL);
	CHECK(strstr(E.msg, "VLAN id"));
	CHECK_INT(resolve("ifname=lan0"), -EINVAL);
}

/* Root and LVM -------------------------------------------------------------- */

static void root_options(void)
{
	CHECK_INT(resolve("root=/dev/mapper/my--vg-root--lv rootfstype=ext4 rootflags=noatime,data=ordered "
			  "ro init=/bin/sh rootdelay=7"), 0);
	CHECK_STR(P.root.vg, "my-vg");
	CHECK_STR(P.root.lv, "root-lv");
	CHECK_STR(P.root.fstype, "ext4");
	CHECK_STR(P.root.flags, "noatime,data=ordered");
	CHECK_INT(P.root.ro, 1);
	CHECK_STR(P.root.init, "/bin/sh");
	CHECK_INT(P.root.delay, 7);

	CHECK_INT(resolve("root=/dev/client/rootfs rw"), 0);
	CHECK_STR(P.root.vg, "client");
	CHECK_STR(P.root.lv, "rootfs");
	CHECK_INT(P.root.ro, 0);
	CHECK_INT(resolve("root=/dev/disk/by-uuid/abc"), 0);
	CHECK_STR(P.root.vg, "");
	CHECK_INT(resolve("root=UUID=1234-5678 ro rw"), 0);
	CHECK_INT(P.root.ro, 0);	/* the last of ro/rw wins, as in the kernel */
	CHECK_STR(P.root.vg, "");
	CHECK_INT(resolve("root=dhcp"), 0);
	CHECK(P.root.from_dhcp);
	CHECK_INT(resolve("rootdelay=soon"), -EINVAL);
}

static void lvm_options(void)
{
	CHECK_INT(resolve("rd.lvm.vg=a rd.lvm.vg=b rd.lvm.lv=a/x"), 0);
	CHECK_INT(P.lvm.nvg, 2);
	CHECK_STR(P.lvm.vg[1], "b");
	CHECK_INT(P.lvm.nlv, 1);
	CHECK_STR(P.lvm.lv[0], "a/x");
	CHECK(!P.lvm.disabled);
	CHECK_INT(resolve("rd.lvm=0"), 0);
	CHECK(P.lvm.disabled);
	CHECK_INT(resolve("rd.lvm=maybe"), -EINVAL);
}

/* sanroot.* and foreign keys ------------------------------------------------------ */

static void sanroot_keys(void)
{
	CHECK_INT(resolve(""), 0);
	CHECK_INT(P.sanroot.timeout, 180);
	CHECK(!P.sanroot.shell && P.sanroot.keep && P.sanroot.md5 && !P.sanroot.noauth);
	CHECK_INT(resolve("sanroot.timeout=30 sanroot.shell=1 sanroot.debug sanroot.keep=no sanroot.md5=off sanroot.noauth=yes"), 0);
	CHECK_INT(P.sanroot.timeout, 30);
	CHECK(P.sanroot.shell && P.sanroot.debug && !P.sanroot.keep && !P.sanroot.md5 && P.sanroot.noauth);
	CHECK_INT(resolve("quiet splash sanroot.timout=3"), -EINVAL);
	CHECK(strstr(E.msg, "unknown parameter 'sanroot.timout'"));
	CHECK(strstr(E.msg, "column 14"));
	CHECK_INT(resolve("sanroot.timeout=0"), -EINVAL);
	CHECK_INT(resolve("sanroot.shell=perhaps"), -EINVAL);
	CHECK_INT(resolve("iscsi_password"), -EINVAL);	/* needs a value */
	CHECK(strstr(E.msg, "needs a value"));

	/* multipath: on unless turned off, by dracut's rd.multipath=0 or sanroot.multipath=0 */
	CHECK_INT(resolve(""), 0);
	CHECK(P.sanroot.multipath);
	CHECK_INT(resolve("rd.multipath=default"), 0);
	CHECK(P.sanroot.multipath);
	CHECK_INT(resolve("rd.multipath=0"), 0);
	CHECK(!P.sanroot.multipath);
	CHECK_INT(resolve("rd.multipath=0 sanroot.multipath=1"), 0);
	CHECK(P.sanroot.multipath);
	CHECK_INT(resolve("sanroot.multipath=off"), 0);
	CHECK(!P.sanroot.multipath);
	CHECK_INT(resolve("sanroot.multipath=sometimes"), -EINVAL);
}

static void iscsi_params_and_flags(void)
{
	CHECK_INT(resolve("rd.iscsi.param=node.session.timeo.replacement_timeout=120 rd.iscsi.login_retry_max=3 rd.iscsi.waitnet=0"), 0);
	CHECK_INT(P.iscsi.nparam, 1);
	CHECK_STR(P.iscsi.param[0].name, "node.session.timeo.replacement_timeout");
	CHECK_STR(P.iscsi.param[0].value, "120");
	CHECK_INT(P.iscsi.login_retry_max, 3);
	CHECK(!P.iscsi.waitnet);
	CHECK_INT(resolve("rd.iscsi.param=novalue"), -EINVAL);
	CHECK_INT(resolve("iscsi_auto"), 0);
	CHECK(P.iscsi.firmware);
	CHECK(has_note(NOTE_WARN, "none was found"));
	CHECK_INT(resolve("rd.iscsi.firmware=0"), 0);
	CHECK(!P.iscsi.firmware);
}

/* Precedence between sources ------------------------------------------------------- */

static void precedence_and_conflicts(void)
{
	struct plan_input *in = plan_input_new();
	const char *ini = "ISCSI_INITIATOR=iqn.x:from-file\nISCSI_TARGET_NAME=iqn.a:file\n"
			  "ISCSI_TARGET_IP=10.0.0.1\nISCSI_USERNAME='fileuser'\nISCSI_PASSWORD=\"filepass12345\"\n";
	const char *conf = "# secrets live here\niscsi_password=confpass12345 iscsi_username=confuser\n";
	const char *cmd = "iscsi_target_name=iqn.a:cmd iscsi_username=confuser";

	CHECK_INT(plan_add_cmdline(in, cmd, strlen(cmd), "/proc/cmdline", &E), 0);
	CHECK_INT(plan_add_sanroot_conf(in, conf, strlen(conf), "/etc/sanroot.conf", &E), 0);
	CHECK_INT(plan_add_iscsi_initramfs(in, ini, strlen(ini), "/etc/iscsi/iscsi.initramfs", &E), 0);
	CHECK_INT(plan_resolve(in, &P, &E), 0);
	plan_input_free(in);
	CHECK_STR(P.initiator, "iqn.x:from-file");
	CHECK_INT(P.initiator_origin, ORIGIN_ISCSI_INITRAMFS);
	CHECK_INT(P.ntargets, 1);
	CHECK_STR(P.target[0].name, "iqn.a:cmd");
	CHECK_STR(P.target[0].portal[0].host, "10.0.0.1");
	CHECK_STR(P.target[0].chap.name, "confuser");
	CHECK_STR(P.target[0].chap.secret, "confpass12345");
	CHECK(has_note(NOTE_CONFLICT, "iscsi_target_name=iqn.a:cmd (/proc/cmdline, column 1) overrides iscsi_target_name=iqn.a:file (/etc/iscsi/iscsi.initramfs, line 2"));
	CHECK(has_note(NOTE_CONFLICT, "iscsi_password=******** (/etc/sanroot.conf"));
	for (unsigned i = 0; i < P.nnotes; i++) {
		CHECK(!strstr(P.note[i].text, "confpass"));
		CHECK(!strstr(P.note[i].text, "filepass"));
	}
	/* the same value from two places is not a conflict; a different one is */
	CHECK(!has_note(NOTE_CONFLICT, "iscsi_username=confuser (/proc/cmdline"));
	CHECK(has_note(NOTE_CONFLICT, "iscsi_username=confuser (/etc/sanroot.conf"));
}

static void conf_errors_name_line_and_column(void)
{
	struct plan_input *in = plan_input_new();
	const char *bad = "ISCSI_TARGET_NAME=iqn.a:t\nISCSI_TARGET_IP=$(reboot)\n";

	CHECK(plan_add_iscsi_initramfs(in, bad, strlen(bad), "/etc/iscsi.initramfs", &E) < 0);
	CHECK(strstr(E.msg, "/etc/iscsi.initramfs: line 2, column 17"));
	plan_input_free(in);

	in = plan_input_new();
	const char *conf = "iscsi_username=u\n\n  sanroot.bogus=1\n";
	CHECK_INT(plan_add_sanroot_conf(in, conf, strlen(conf), "/etc/sanroot.conf", &E), 0);
	CHECK(plan_resolve(in, &P, &E) < 0);
	CHECK(strstr(E.msg, "sanroot.bogus"));
	CHECK(strstr(E.msg, "/etc/sanroot.conf, line 3 column 3"));
	plan_input_free(in);
}

/* iBFT in the plan ------------------------------------------------------------------- */

static struct ibft sample_ibft(void)
{
	struct ibft b;

	memset(&b, 0, sizeof(b));
	b.initiator.present = true;
	strcpy(b.initiator.name, "iqn.2013-02.org.example.client:default");
	b.nnics = 1;
	b.nic[0].flags = IBFT_FL_VALID | IBFT_FL_BOOT;
	b.nic[0].origin = 3;
	memcpy(b.nic[0].mac, "\x52\x54\x00\x12\x34\x56", 6);
	b.nic[0].vlan = 42;
	b.ntargets = 2;
	b.target[0].flags = IBFT_FL_VALID;
	strcpy(b.target[0].name, "iqn.a:second");
	strcpy(b.target[0].ip, "10.0.2.3");
	b.target[0].port = 3260;
	b.target[1].flags = IBFT_FL_VALID | IBFT_FL_BOOT;
	strcpy(b.target[1].name, "iqn.a:boot");
	strcpy(b.target[1].ip, "10.0.2.2");
	b.target[1].port = 3260;
	b.target[1].lun = 1;
	b.target[1].chap_type = IBFT_CHAP_MUTUAL;
	strcpy(b.target[1].chap_name, "client");
	strcpy(b.target[1].chap_secret, "clientsecret");
	strcpy(b.target[1].rchap_name, "target");
	strcpy(b.target[1].rchap_secret, "targetsecret");
	return b;
}

static int resolve_with_ibft(const char *cmdline)
{
	struct plan_input *in = plan_input_new();
	struct ibft b = sample_ibft();
	int rc;

	plan_add_cmdline(in, cmdline, strlen(cmdline), "cmdline", &E);
	plan_add_ibft(in, &b, "test table");
	rc = plan_resolve(in, &P, &E);
	plan_input_free(in);
	return rc;
}

static void ibft_used_when_nothing_else(void)
{
	CHECK_INT(resolve_with_ibft("root=/dev/mapper/client-rootfs"), 0);
	CHECK_INT(P.ntargets, 2);
	CHECK_STR(P.target[0].name, "iqn.a:boot");	/* the boot-selected one first */
	CHECK(P.target[0].boot);
	CHECK_INT(P.target[0].lun, 1);
	CHECK_STR(P.target[0].rchap.secret, "targetsecret");
	CHECK_STR(P.initiator, "iqn.2013-02.org.example.client:default");
	CHECK_INT(P.nnets, 1);
	CHECK_INT(P.net[0].method, IP_DHCP);
	CHECK_INT(P.net[0].vlan, 42);
	CHECK(has_note(NOTE_INFO, "nothing else names a target"));
}

static void ibft_unused_when_cmdline_names_target(void)
{
	CHECK_INT(resolve_with_ibft("netroot=iscsi:10.9.9.9::::iqn.a:mine"), 0);
	CHECK_INT(P.ntargets, 1);
	CHECK_STR(P.target[0].name, "iqn.a:mine");
	CHECK(has_note(NOTE_INFO, "unused"));
	CHECK_INT(resolve_with_ibft("netroot=iscsi:10.9.9.9::::iqn.a:mine rd.iscsi.firmware"), 0);
	CHECK_INT(P.ntargets, 3);
	CHECK_INT(resolve_with_ibft("iscsi_initiator=iqn.x:mine iscsi_auto ip=ibft"), 0);
	CHECK_STR(P.initiator, "iqn.x:mine");
	CHECK(has_note(NOTE_CONFLICT, "overrides the iBFT's"));
	CHECK_INT(P.nnets, 1);
}

/* Resolve a command line with a table from tests/fixtures/ibft. */
static int resolve_with_ibft_file(const char *cmdline, const char *path)
{
	struct plan_input *in = plan_input_new();
	struct ibft b;
	int rc;

	memset(&E, 0, sizeof(E));
	if ((rc = ibft_load_file(path, &b, &E)) < 0) {
		plan_input_free(in);
		return rc;
	}
	plan_add_cmdline(in, cmdline, strlen(cmdline), "cmdline", &E);
	plan_add_ibft(in, &b, path);
	rc = plan_resolve(in, &P, &E);
	plan_input_free(in);
	return rc;
}

/*
 * A static IPv6 NIC becomes what ip=[ADDR]::[GW]:PREFIX:HOST::none:[DNS]:[DNS]
 * gives, and the IPv6 target a bracketed portal.
 */
static void ibft_ipv6_static(void)
{
	struct plan_net want;
	char portal[HOSTPORT_TEXT_MAX];

	CHECK_INT(resolve_with_ibft_file("iscsi_auto", "tests/fixtures/ibft/ipv6-static.bin"), 0);
	CHECK_INT(P.nnets, 1);
	CHECK_INT(P.net[0].method, IP_STATIC);
	CHECK_STR(P.net[0].addr, "fd00:5a::15");
	CHECK_INT(P.net[0].prefix, 64);
	CHECK_STR(P.net[0].gateway, "fd00:5a::1");
	CHECK_STR(P.net[0].dns[0], "fd00:5a::53");
	CHECK_STR(P.net[0].dns[1], "fd00:5a::54");
	CHECK_MEM(P.net[0].mac, "\x52\x54\x00\x12\x34\x56", 6);
	CHECK_INT(plan_parse_ip("[fd00:5a::15]::[fd00:5a::1]:64:ibft6-static::none:"
				"[fd00:5a::53]:[fd00:5a::54]", &want, &E), 0);
	CHECK_INT(P.net[0].method, want.method);
	CHECK_STR(P.net[0].addr, want.addr);
	CHECK_INT(P.net[0].prefix, want.prefix);
	CHECK_STR(P.net[0].gateway, want.gateway);
	CHECK_STR(P.net[0].dns[0], want.dns[0]);
	CHECK_STR(P.net[0].dns[1], want.dns[1]);
	CHECK_STR(P.net[0].hostname, want.hostname);
	CHECK_INT(P.ntargets, 1);
	hostport_format(&P.target[0].portal[0], portal, sizeof(portal));
	CHECK_STR(portal, "[fd00:5a::2]:3260");
	CHECK_STR(P.target[0].chap.name, "ibft6-user");
	CHECK(!has_note(NOTE_WARN, "iBFT"));
}

/* Origin 3 on an IPv6 NIC is DHCPv6; origin 4 (router advertisement) is SLAAC. */
static void ibft_ipv6_dhcp6_and_ra(void)
{
	char portal[HOSTPORT_TEXT_MAX];

	CHECK_INT(resolve_with_ibft_file("iscsi_auto", "tests/fixtures/ibft/ipv6-dhcp6-ra.bin"), 0);
	CHECK_INT(P.nnets, 2);
	CHECK_INT(P.net[0].method, IP_DHCP6);
	CHECK_STR(P.net[0].addr, "");
	CHECK_MEM(P.net[0].mac, "\x52\x54\x00\x12\x34\x56", 6);
	CHECK_INT(P.net[1].method, IP_AUTO6);
	CHECK_MEM(P.net[1].mac, "\x52\x54\x00\x12\x34\x57", 6);
	CHECK_INT(P.ntargets, 2);
	hostport_format(&P.target[1].portal[0], portal, sizeof(portal));
	CHECK_STR(portal, "[2001:db8:5a::2]:3261");
	CHECK_INT(P.target[1].ibft_nic, 1);
}

/* iPXE's table after a sanhook to [fec0::2]: the target reads 254.192.0.0, and the plan says why. */
static void ibft_ipxe_ipv6_target(void)
{
	CHECK_INT(resolve_with_ibft_file("iscsi_auto", "tests/fixtures/ibft/ipxe-sanhook-ipv6.bin"), 0);
	CHECK_INT(P.ntargets, 1);
	CHECK_STR(P.target[0].portal[0].host, "254.192.0.0");
	CHECK(has_note(NOTE_WARN, "iBFT target0's address 254.192.0.0 is in 240.0.0.0/4"));
	CHECK_INT(P.nnets, 1);
	CHECK_INT(P.net[0].method, IP_DHCP);	/* the NIC's fields are DHCPv4's */
	/* a table whose target is an ordinary address says nothing of the kind */
	CHECK_INT(resolve_with_ibft_file("iscsi_auto", "tests/fixtures/ibft/ipxe-sanhook-chap.bin"), 0);
	CHECK(!has_note(NOTE_WARN, "240.0.0.0/4"));
}

/* A static IPv6 NIC keeps only IPv6 gateway and DNS servers (sanroot-net refuses the rest). */
static void ibft_ipv6_static_mixed_families(void)
{
	struct plan_input *in = plan_input_new();
	struct ibft b = sample_ibft();

	b.nic[0].origin = IBFT_ORIGIN_MANUAL;
	b.nic[0].vlan = 0;
	strcpy(b.nic[0].ip, "fd00:5a::15");
	b.nic[0].prefix = 0;
	strcpy(b.nic[0].gateway, "10.0.2.2");
	strcpy(b.nic[0].dns[0], "10.0.2.3");
	strcpy(b.nic[0].dns[1], "fd00:5a::53");
	plan_add_ibft(in, &b, "test table");
	CHECK_INT(plan_resolve(in, &P, &E), 0);
	plan_input_free(in);
	CHECK_INT(P.nnets, 1);
	CHECK_INT(P.net[0].method, IP_STATIC);
	CHECK_INT(P.net[0].prefix, 64);
	CHECK(has_note(NOTE_INFO, "iBFT NIC 0 gives fd00:5a::15 no prefix length; /64 assumed"));
	CHECK_STR(P.net[0].gateway, "");
	CHECK(has_note(NOTE_WARN, "iBFT NIC 0's gateway 10.0.2.2 is not IPv6 like its address"));
	CHECK_STR(P.net[0].dns[0], "");
	CHECK_STR(P.net[0].dns[1], "fd00:5a::53");

	/* no address, an IPv6 DHCP server: DHCPv6 whatever the origin says */
	in = plan_input_new();
	b = sample_ibft();
	b.nic[0].origin = IBFT_ORIGIN_OTHER;
	strcpy(b.nic[0].dhcp, "fe80::2");
	plan_add_ibft(in, &b, "test table");
	CHECK_INT(plan_resolve(in, &P, &E), 0);
	plan_input_free(in);
	CHECK_INT(P.net[0].method, IP_DHCP6);

	/* and an IPv4 NIC with DHCP stays DHCPv4 */
	CHECK_INT(resolve_with_ibft("iscsi_auto"), 0);
	CHECK_INT(P.net[0].method, IP_DHCP);
}

static void dhcp_root_path(void)
{
	struct plan_input *in = plan_input_new();
	const char *cmd = "root=dhcp";

	plan_add_cmdline(in, cmd, strlen(cmd), "cmdline", &E);
	plan_add_dhcp_rootpath(in, "iscsi:10.0.3.2::3260:1:iqn.a:dhcp", "/run/net-eth0.conf");
	CHECK_INT(plan_resolve(in, &P, &E), 0);
	plan_input_free(in);
	CHECK_INT(P.ntargets, 1);
	CHECK_STR(P.target[0].name, "iqn.a:dhcp");
	CHECK_INT(P.target[0].origin, ORIGIN_DHCP);

	/* the global credentials reach the target the DHCP reply names */
	in = plan_input_new();
	cmd = "root=dhcp iscsi_username=client iscsi_password=dhcp-secret-1234 "
	      "iscsi_in_username=tgt iscsi_in_password=dhcp-mutual-5678";
	plan_add_cmdline(in, cmd, strlen(cmd), "cmdline", &E);
	plan_add_dhcp_rootpath(in, "iscsi:10.0.3.2::3260:1:iqn.a:dhcp", "/run/net-eth0.conf");
	CHECK_INT(plan_resolve(in, &P, &E), 0);
	plan_input_free(in);
	CHECK_INT(P.ntargets, 1);
	CHECK_STR(P.target[0].chap.name, "client");
	CHECK_STR(P.target[0].chap.secret, "dhcp-secret-1234");
	CHECK_STR(P.target[0].rchap.name, "tgt");

	in = plan_input_new();
	cmd = "netroot=iscsi:10.9.9.9::::iqn.a:mine";
	plan_add_cmdline(in, cmd, strlen(cmd), "cmdline", &E);
	plan_add_dhcp_rootpath(in, "iscsi:10.0.3.2::3260:1:iqn.a:dhcp", "/run/net-eth0.conf");
	plan_add_dhcp_rootpath(in, "iscsi:garbage", "/run/net-eth1.conf");
	CHECK_INT(plan_resolve(in, &P, &E), 0);
	plan_input_free(in);
	CHECK_INT(P.ntargets, 1);
	CHECK(has_note(NOTE_INFO, "DHCP root path in /run/net-eth0.conf is unused"));
}

int main(void)
{
	RUN(tokenizer_kernel_quoting);
	RUN(tokenizer_stops_at_double_dash);
	RUN(seed_open_iscsi_reference);
	RUN(seed_ipxe_root_path);
	iscsi_uri_table();
	RUN(netroot_repeated_gives_several_targets);
	RUN(root_iscsi_wins_over_netroot);
	RUN(own_credentials_win_over_global);
	RUN(target_ip_list_and_dracut_keys);
	RUN(iscsi_keys_errors_name_the_parameter);
	RUN(credentials_never_in_error_messages);
	ip_table();
	RUN(bootif_ifname_vlan);
	RUN(root_options);
	RUN(lvm_options);
	RUN(sanroot_keys);
	RUN(iscsi_params_and_flags);
	RUN(precedence_and_conflicts);
	RUN(conf_errors_name_line_and_column);
	RUN(ibft_used_when_nothing_else);
	RUN(ibft_unused_when_cmdline_names_target);
	RUN(ibft_ipv6_static);
	RUN(ibft_ipv6_dhcp6_and_ra);
	RUN(ibft_ipxe_ipv6_target);
	RUN(ibft_ipv6_static_mixed_families);
	RUN(dhcp_root_path);
	T_EXIT();
}
