// SPDX-License-Identifier: GPL-2.0-only
/* Writing a resolved plan: shell-sourceable, JSON, and an account for humans. */
#include <stdio.h>
#include <string.h>

#include "plan/plan.h"
#include "core/quote.h"

static const char *mask(const struct plan_chap *c, bool show)
{
	if (show && c->secret[0])
		return c->secret;
	return plan_chap_secret_len(c) ? "********" : "";
}

static void mac_str(char out[18], const uint8_t m[6])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* Shell ------------------------------------------------------------------ */

static void sh_var(FILE *f, const char *name, const char *v)
{
	fprintf(f, "%s=", name);
	quote_shell(f, v);
	fputc('\n', f);
}

static void sh_varf(FILE *f, const char *fmt, unsigned idx, const char *v)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, idx);
	sh_var(f, name, v);
}

static void sh_uint(FILE *f, const char *name, unsigned long long v)
{
	fprintf(f, "%s='%llu'\n", name, v);
}

void plan_write_shell(const struct plan *p, FILE *f, bool show)
{
	char buf[PLAN_MAX_PORTALS * (HOSTPORT_HOST_MAX + 10)], mac[18];

	sh_var(f, "SANROOT_INITIATOR", p->initiator);
	sh_uint(f, "SANROOT_TARGETS", p->ntargets);
	for (unsigned i = 0; i < p->ntargets; i++) {
		const struct plan_target *t = &p->target[i];
		size_t o = 0;

		sh_varf(f, "SANROOT_TARGET%u_NAME", i, t->name);
		buf[0] = '\0';
		for (unsigned k = 0; k < t->nportals; k++) {
			char one[HOSTPORT_HOST_MAX + 10];

			hostport_format(&t->portal[k], one, sizeof(one));
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", k ? " " : "", one);
		}
		sh_varf(f, "SANROOT_TARGET%u_PORTALS", i, buf);
		fprintf(f, "SANROOT_TARGET%u_TPGT='%d'\n", i, t->tpgt);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)t->lun);
		sh_varf(f, "SANROOT_TARGET%u_LUN", i, t->lun_set ? buf : "");
		sh_varf(f, "SANROOT_TARGET%u_IFACE", i, t->iface);
		sh_varf(f, "SANROOT_TARGET%u_NETDEV", i, t->netdev);
		sh_varf(f, "SANROOT_TARGET%u_CHAP_NAME", i, t->chap.name);
		sh_varf(f, "SANROOT_TARGET%u_CHAP_SECRET", i, mask(&t->chap, show));
		sh_varf(f, "SANROOT_TARGET%u_RCHAP_NAME", i, t->rchap.name);
		sh_varf(f, "SANROOT_TARGET%u_RCHAP_SECRET", i, mask(&t->rchap, show));
		sh_varf(f, "SANROOT_TARGET%u_ORIGIN", i, plan_origin_name(t->origin));
		sh_varf(f, "SANROOT_TARGET%u_BOOT", i, t->boot ? "1" : "0");
	}

	sh_uint(f, "SANROOT_NETS", p->nnets);
	for (unsigned i = 0; i < p->nnets; i++) {
		const struct plan_net *n = &p->net[i];

		sh_varf(f, "SANROOT_NET%u_DEV", i, n->dev);
		sh_varf(f, "SANROOT_NET%u_METHOD", i, plan_ip_method_name(n->method));
		sh_varf(f, "SANROOT_NET%u_ADDR", i, n->addr);
		snprintf(buf, sizeof(buf), "%u", n->prefix);
		sh_varf(f, "SANROOT_NET%u_PREFIX", i, n->prefix ? buf : "");
		sh_varf(f, "SANROOT_NET%u_PEER", i, n->peer);
		sh_varf(f, "SANROOT_NET%u_GATEWAY", i, n->gateway);
		sh_varf(f, "SANROOT_NET%u_HOSTNAME", i, n->hostname);
		sh_varf(f, "SANROOT_NET%u_DNS0", i, n->dns[0]);
		sh_varf(f, "SANROOT_NET%u_DNS1", i, n->dns[1]);
		sh_varf(f, "SANROOT_NET%u_NTP", i, n->ntp);
		snprintf(buf, sizeof(buf), "%u", n->mtu);
		sh_varf(f, "SANROOT_NET%u_MTU", i, n->mtu ? buf : "");
		mac_str(mac, n->mac);
		sh_varf(f, "SANROOT_NET%u_MAC", i, n->has_mac ? mac : "");
		snprintf(buf, sizeof(buf), "%u", n->vlan);
		sh_varf(f, "SANROOT_NET%u_VLAN", i, n->vlan ? buf : "");
		sh_varf(f, "SANROOT_NET%u_ORIGIN", i, plan_origin_name(n->origin));
	}
	mac_str(mac, p->bootif);
	sh_var(f, "SANROOT_BOOTIF", p->has_bootif ? mac : "");
	sh_uint(f, "SANROOT_IFNAMES", p->nifnames);
	for (unsigned i = 0; i < p->nifnames; i++) {
		sh_varf(f, "SANROOT_IFNAME%u_NAME", i, p->ifname[i].name);
		mac_str(mac, p->ifname[i].mac);
		sh_varf(f, "SANROOT_IFNAME%u_MAC", i, mac);
	}
	sh_uint(f, "SANROOT_VLANS", p->nvlans);
	for (unsigned i = 0; i < p->nvlans; i++) {
		sh_varf(f, "SANROOT_VLAN%u_NAME", i, p->vlan[i].name);
		sh_varf(f, "SANROOT_VLAN%u_PARENT", i, p->vlan[i].parent);
		snprintf(buf, sizeof(buf), "%u", p->vlan[i].id);
		sh_varf(f, "SANROOT_VLAN%u_ID", i, buf);
	}

	sh_var(f, "SANROOT_ROOT", p->root.dev);
	sh_var(f, "SANROOT_ROOTFSTYPE", p->root.fstype);
	sh_var(f, "SANROOT_ROOTFLAGS", p->root.flags);
	sh_var(f, "SANROOT_ROOT_MODE", p->root.ro < 0 ? "" : p->root.ro ? "ro" : "rw");
	sh_var(f, "SANROOT_INIT", p->root.init);
	sh_uint(f, "SANROOT_ROOTDELAY", p->root.delay);
	sh_var(f, "SANROOT_ROOT_FROM_DHCP", p->root.from_dhcp ? "1" : "0");
	sh_var(f, "SANROOT_ROOT_VG", p->root.vg);
	sh_var(f, "SANROOT_ROOT_LV", p->root.lv);

	sh_var(f, "SANROOT_LVM", p->lvm.disabled ? "0" : "1");
	buf[0] = '\0';
	for (unsigned i = 0, o = 0; i < p->lvm.nvg; i++)
		o += (unsigned)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? " " : "", p->lvm.vg[i]);
	sh_var(f, "SANROOT_LVM_VGS", buf);
	buf[0] = '\0';
	for (unsigned i = 0, o = 0; i < p->lvm.nlv; i++)
		o += (unsigned)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? " " : "", p->lvm.lv[i]);
	sh_var(f, "SANROOT_LVM_LVS", buf);

	sh_var(f, "SANROOT_ISCSI_FIRMWARE", p->iscsi.firmware ? "1" : "0");
	fprintf(f, "SANROOT_LOGIN_RETRY_MAX='%d'\n", p->iscsi.login_retry_max);
	sh_uint(f, "SANROOT_ISCSI_PARAMS", p->iscsi.nparam);
	for (unsigned i = 0; i < p->iscsi.nparam; i++) {
		snprintf(buf, sizeof(buf), "%s=%s", p->iscsi.param[i].name, p->iscsi.param[i].value);
		sh_varf(f, "SANROOT_ISCSI_PARAM%u", i, buf);
	}
	sh_uint(f, "SANROOT_TIMEOUT", p->sanroot.timeout);
	sh_var(f, "SANROOT_SHELL", p->sanroot.shell ? "1" : "0");
	sh_var(f, "SANROOT_DEBUG", p->sanroot.debug ? "1" : "0");
	sh_var(f, "SANROOT_KEEP", p->sanroot.keep ? "1" : "0");
	sh_var(f, "SANROOT_MD5", p->sanroot.md5 ? "1" : "0");
	sh_var(f, "SANROOT_NOAUTH", p->sanroot.noauth ? "1" : "0");
	sh_var(f, "SANROOT_MULTIPATH", p->sanroot.multipath ? "1" : "0");
}

/* JSON ------------------------------------------------------------------- */

static void js_key(FILE *f, const char *k, const char *v, bool last)
{
	fprintf(f, "\"%s\": ", k);
	quote_json(f, v);
	if (!last)
		fputs(", ", f);
}

void plan_write_json(const struct plan *p, FILE *f, bool show)
{
	static const char *kinds[] = { "info", "warning", "conflict" };
	char mac[18];

	fputs("{\n  ", f);
	js_key(f, "initiator", p->initiator, false);
	js_key(f, "initiator_origin", plan_origin_name(p->initiator_origin), true);
	fputs(",\n  \"targets\": [", f);
	for (unsigned i = 0; i < p->ntargets; i++) {
		const struct plan_target *t = &p->target[i];

		fprintf(f, "%s\n    {", i ? "," : "");
		js_key(f, "name", t->name, false);
		fputs("\"portals\": [", f);
		for (unsigned k = 0; k < t->nportals; k++) {
			fprintf(f, "%s{\"host\": ", k ? ", " : "");
			quote_json(f, t->portal[k].host);
			fprintf(f, ", \"port\": %u}", t->portal[k].port);
		}
		fprintf(f, "], \"tpgt\": %d, ", t->tpgt);
		if (t->lun_set)
			fprintf(f, "\"lun\": %llu, ", (unsigned long long)t->lun);
		else
			fputs("\"lun\": null, ", f);
		js_key(f, "iface", t->iface, false);
		js_key(f, "netdev", t->netdev, false);
		js_key(f, "chap_name", t->chap.name, false);
		js_key(f, "chap_secret", mask(&t->chap, show), false);
		js_key(f, "rchap_name", t->rchap.name, false);
		js_key(f, "rchap_secret", mask(&t->rchap, show), false);
		fprintf(f, "\"boot\": %s, ", t->boot ? "true" : "false");
		js_key(f, "origin", plan_origin_name(t->origin), true);
		fputc('}', f);
	}
	fputs(p->ntargets ? "\n  ],\n  \"nets\": [" : "],\n  \"nets\": [", f);
	for (unsigned i = 0; i < p->nnets; i++) {
		const struct plan_net *n = &p->net[i];

		fprintf(f, "%s\n    {", i ? "," : "");
		js_key(f, "dev", n->dev, false);
		js_key(f, "method", plan_ip_method_name(n->method), false);
		js_key(f, "addr", n->addr, false);
		fprintf(f, "\"prefix\": %u, ", n->prefix);
		js_key(f, "peer", n->peer, false);
		js_key(f, "gateway", n->gateway, false);
		js_key(f, "hostname", n->hostname, false);
		fputs("\"dns\": [", f);
		quote_json(f, n->dns[0]);
		fputs(", ", f);
		quote_json(f, n->dns[1]);
		fputs("], ", f);
		js_key(f, "ntp", n->ntp, false);
		fprintf(f, "\"mtu\": %u, ", n->mtu);
		mac_str(mac, n->mac);
		js_key(f, "mac", n->has_mac ? mac : "", false);
		fprintf(f, "\"vlan\": %u, ", n->vlan);
		js_key(f, "origin", plan_origin_name(n->origin), true);
		fputc('}', f);
	}
	fputs(p->nnets ? "\n  ],\n  " : "],\n  ", f);
	mac_str(mac, p->bootif);
	js_key(f, "bootif", p->has_bootif ? mac : "", true);
	fputs(",\n  \"ifnames\": [", f);
	for (unsigned i = 0; i < p->nifnames; i++) {
		mac_str(mac, p->ifname[i].mac);
		fprintf(f, "%s{", i ? ", " : "");
		js_key(f, "name", p->ifname[i].name, false);
		js_key(f, "mac", mac, true);
		fputc('}', f);
	}
	fputs("],\n  \"vlans\": [", f);
	for (unsigned i = 0; i < p->nvlans; i++) {
		fprintf(f, "%s{", i ? ", " : "");
		js_key(f, "name", p->vlan[i].name, false);
		js_key(f, "parent", p->vlan[i].parent, false);
		fprintf(f, "\"id\": %u}", p->vlan[i].id);
	}
	fputs("],\n  \"root\": {", f);
	js_key(f, "dev", p->root.dev, false);
	js_key(f, "fstype", p->root.fstype, false);
	js_key(f, "flags", p->root.flags, false);
	js_key(f, "mode", p->root.ro < 0 ? "" : p->root.ro ? "ro" : "rw", false);
	js_key(f, "init", p->root.init, false);
	fprintf(f, "\"delay\": %u, \"from_dhcp\": %s, ", p->root.delay,
		p->root.from_dhcp ? "true" : "false");
	js_key(f, "vg", p->root.vg, false);
	js_key(f, "lv", p->root.lv, true);
	fprintf(f, "},\n  \"lvm\": {\"enabled\": %s, \"vgs\": [", p->lvm.disabled ? "false" : "true");
	for (unsigned i = 0; i < p->lvm.nvg; i++) {
		fputs(i ? ", " : "", f);
		quote_json(f, p->lvm.vg[i]);
	}
	fputs("], \"lvs\": [", f);
	for (unsigned i = 0; i < p->lvm.nlv; i++) {
		fputs(i ? ", " : "", f);
		quote_json(f, p->lvm.lv[i]);
	}
	fprintf(f, "]},\n  \"iscsi\": {\"firmware\": %s, \"waitnet\": %s, \"login_retry_max\": %d, \"params\": {",
		p->iscsi.firmware ? "true" : "false", p->iscsi.waitnet ? "true" : "false",
		p->iscsi.login_retry_max);
	for (unsigned i = 0; i < p->iscsi.nparam; i++) {
		fputs(i ? ", " : "", f);
		quote_json(f, p->iscsi.param[i].name);
		fputs(": ", f);
		quote_json(f, p->iscsi.param[i].value);
	}
	fprintf(f, "}},\n  \"sanroot\": {\"timeout\": %u, \"shell\": %s, \"debug\": %s, \"keep\": %s, \"md5\": %s, \"noauth\": %s, \"multipath\": %s},\n",
		p->sanroot.timeout, p->sanroot.shell ? "true" : "false",
		p->sanroot.debug ? "true" : "false", p->sanroot.keep ? "true" : "false",
		p->sanroot.md5 ? "true" : "false", p->sanroot.noauth ? "true" : "false",
		p->sanroot.multipath ? "true" : "false");
	fputs("  \"sources\": [", f);
	for (unsigned i = 0; i < p->nsources; i++) {
		fprintf(f, "%s{", i ? ", " : "");
		js_key(f, "origin", plan_origin_name(p->source[i].origin), false);
		js_key(f, "name", p->source[i].name, false);
		fprintf(f, "\"params\": %u, \"used\": %u}", p->source[i].nparams, p->source[i].nused);
	}
	fputs("],\n  \"notes\": [", f);
	for (unsigned i = 0; i < p->nnotes; i++) {
		fprintf(f, "%s\n    {", i ? "," : "");
		js_key(f, "kind", kinds[p->note[i].kind], false);
		js_key(f, "text", p->note[i].text, true);
		fputc('}', f);
	}
	fputs(p->nnotes ? "\n  ]\n}\n" : "]\n}\n", f);
}

/* Explain ---------------------------------------------------------------- */

static void explain_net(const struct plan *p, const struct plan_net *n, FILE *f)
{
	char mac[18];

	fprintf(f, "  - %s", plan_ip_method_name(n->method));
	if (n->dev[0])
		fprintf(f, " on %s", n->dev);
	else if (n->has_mac) {
		mac_str(mac, n->mac);
		fprintf(f, " on the interface with MAC %s", mac);
	} else if (p->has_bootif) {
		mac_str(mac, p->bootif);
		fprintf(f, " on the interface with MAC %s (BOOTIF)", mac);
	} else {
		fputs(" on the first interface with carrier", f);
	}
	fprintf(f, " (from %s)\n", plan_origin_name(n->origin));
	if (n->vlan)
		fprintf(f, "      VLAN %u\n", n->vlan);
	if (n->addr[0])
		fprintf(f, "      address %s/%u\n", n->addr, n->prefix);
	if (n->gateway[0])
		fprintf(f, "      gateway %s\n", n->gateway);
	if (n->dns[0][0])
		fprintf(f, "      DNS %s%s%s\n", n->dns[0], n->dns[1][0] ? " " : "", n->dns[1]);
	if (n->hostname[0])
		fprintf(f, "      hostname %s\n", n->hostname);
	if (n->mtu)
		fprintf(f, "      MTU %u\n", n->mtu);
}

void plan_write_explain(const struct plan *p, FILE *f)
{
	static const char *kinds[] = { "note", "warning", "conflict" };
	char buf[HOSTPORT_HOST_MAX + 10], mac[18];

	fputs("Sources read:\n", f);
	for (unsigned i = 0; i < p->nsources; i++) {
		const struct plan_source_info *s = &p->source[i];

		if (s->origin == ORIGIN_IBFT)
			fprintf(f, "  - iBFT from %s: %u structure(s), %u target(s) used\n",
				s->name, s->nparams, s->nused);
		else
			fprintf(f, "  - %s (%s): %u parameter(s), %u for sanroot\n", s->name,
				plan_origin_name(s->origin), s->nparams, s->nused);
	}
	if (p->nsources == 0)
		fputs("  (none)\n", f);

	fprintf(f, "\nInitiator: %s", p->initiator[0] ? p->initiator : "(none given)");
	if (p->initiator[0])
		fprintf(f, " (from %s)", plan_origin_name(p->initiator_origin));
	fputc('\n', f);

	fprintf(f, "\nTargets: %u\n", p->ntargets);
	for (unsigned i = 0; i < p->ntargets; i++) {
		const struct plan_target *t = &p->target[i];

		fprintf(f, "  %u. %s (from %s%s)\n", i + 1, t->name[0] ? t->name : "(discover)",
			plan_origin_name(t->origin), t->boot ? ", firmware boot target" : "");
		for (unsigned k = 0; k < t->nportals; k++) {
			hostport_format(&t->portal[k], buf, sizeof(buf));
			fprintf(f, "     portal %s%s\n", buf,
				t->nportals < 2 ? "" : p->sanroot.multipath ? " (a path)" :
				k == 0 ? " (tried first)" : " (fallback)");
		}
		if (t->tpgt >= 0)
			fprintf(f, "     portal group %d\n", t->tpgt);
		if (t->lun_set)
			fprintf(f, "     LUN %llu\n", (unsigned long long)t->lun);
		else
			fputs("     LUN not given: every LUN the target reports\n", f);
		if (t->netdev[0])
			fprintf(f, "     through %s\n", t->netdev);
		if (t->chap.name[0] || plan_chap_secret_len(&t->chap))
			fprintf(f, "     CHAP: name %s, secret %s\n", t->chap.name,
				plan_chap_secret_len(&t->chap) ? "********" : "(none)");
		else
			fputs("     no authentication\n", f);
		if (t->rchap.name[0] || plan_chap_secret_len(&t->rchap))
			fprintf(f, "     mutual CHAP: the target must answer as %s, secret %s\n",
				t->rchap.name, plan_chap_secret_len(&t->rchap) ? "********" : "(none)");
	}
	if (p->root.from_dhcp)
		fputs("  the target comes from the DHCP root path (option 17)\n", f);

	fputs("\nNetwork:\n", f);
	for (unsigned i = 0; i < p->nnets; i++)
		explain_net(p, &p->net[i], f);
	if (p->nnets == 0) {
		if (p->has_bootif) {
			mac_str(mac, p->bootif);
			fprintf(f, "  - dhcp (default) on the interface with MAC %s (BOOTIF)\n", mac);
		} else {
			fputs("  - dhcp (default) on the first interface with carrier\n", f);
		}
	}
	for (unsigned i = 0; i < p->nifnames; i++) {
		mac_str(mac, p->ifname[i].mac);
		fprintf(f, "  - the interface with MAC %s is named %s\n", mac, p->ifname[i].name);
	}
	for (unsigned i = 0; i < p->nvlans; i++)
		fprintf(f, "  - VLAN %u: %s on %s\n", p->vlan[i].id, p->vlan[i].name, p->vlan[i].parent);

	fputs("\nRoot:\n", f);
	if (p->root.dev[0]) {
		fprintf(f, "  device %s", p->root.dev);
		if (p->root.vg[0])
			fprintf(f, " (LVM: VG %s, LV %s)", p->root.vg, p->root.lv);
		fputc('\n', f);
	} else {
		fputs("  device not given (root= names none)\n", f);
	}
	fprintf(f, "  filesystem %s, mounted %s%s%s\n", p->root.fstype[0] ? p->root.fstype : "detected",
		p->root.ro == 1 ? "read-only" : p->root.ro == 0 ? "read-write" : "as the generator does",
		p->root.flags[0] ? " with " : "", p->root.flags);
	fprintf(f, "  init %s\n", p->root.init[0] ? p->root.init : "/sbin/init (default)");
	if (p->root.delay)
		fprintf(f, "  wait up to %u s for the device (rootdelay)\n", p->root.delay);

	fputs("\nLVM: ", f);
	if (p->lvm.disabled) {
		fputs("off (rd.lvm=0)\n", f);
	} else {
		bool any = false;

		if (p->root.vg[0]) {
			fprintf(f, "activate %s/%s (from root=)", p->root.vg, p->root.lv);
			any = true;
		}
		for (unsigned i = 0; i < p->lvm.nvg; i++, any = true)
			fprintf(f, "%sVG %s", any ? ", " : "activate ", p->lvm.vg[i]);
		for (unsigned i = 0; i < p->lvm.nlv; i++, any = true)
			fprintf(f, "%sLV %s", any ? ", " : "activate ", p->lvm.lv[i]);
		fputs(any ? "\n" : "nothing asked for\n", f);
	}

	fprintf(f, "\nOptions: timeout %u s; shell on failure %s; session keeper %s; MD5 CHAP %s; multipath %s; debug %s\n",
		p->sanroot.timeout, p->sanroot.shell ? "yes" : "no (reboot)",
		p->sanroot.keep ? "yes" : "no", p->sanroot.md5 ? "allowed" : "refused",
		p->sanroot.multipath ? "on (a session per portal)" : "off (one portal at a time)",
		p->sanroot.debug ? "on" : "off");
	if (p->iscsi.firmware)
		fputs("  iSCSI firmware (iBFT) boot requested\n", f);
	for (unsigned i = 0; i < p->iscsi.nparam; i++)
		fprintf(f, "  iSCSI parameter %s=%s\n", p->iscsi.param[i].name, p->iscsi.param[i].value);

	if (p->nnotes) {
		fputs("\nNotes:\n", f);
		for (unsigned i = 0; i < p->nnotes; i++)
			fprintf(f, "  %s: %s\n", kinds[p->note[i].kind], p->note[i].text);
	}
}
