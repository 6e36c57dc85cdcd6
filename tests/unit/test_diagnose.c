// SPDX-License-Identifier: GPL-2.0-only
/* The diagnosis rules against the tools' real failure messages. */
#include "plan/diagnose.h"
#include "t.h"

struct row {
	enum boot_step step;
	const char *message;	/* as the tool prints it, after "tool: " */
	const char *cause;	/* a part of the first cause expected */
};

static void rules_table(void)
{
	static const struct row rows[] = {
		{ STEP_CONFIG, "unable to read the boot plan: unknown parameter 'sanroot.tiemout' (/proc/cmdline, column 3)", "misspelled" },
		{ STEP_CONFIG, "no iSCSI target is named", "nothing names an iSCSI target" },
		{ STEP_CONFIG, "unable to read the boot plan: /etc/sanroot.conf has mode 0644; it holds secrets", "mode 0600" },
		{ STEP_NET, "unable to configure ens2: no DHCP server answered within 30 s (7 requests sent)", "no DHCP offer: is the cable in and the VLAN right?" },
		{ STEP_NET, "unable to use ens2: no carrier within 10 s (is the cable in?)", "no link" },
		{ STEP_NET, "unable to find an interface with carrier within 10 s", "no interface got a link" },
		{ STEP_NET, "unable to find the interface with MAC 52:54:00:12:34:56 (from BOOTIF) within 10 s", "no interface has the MAC" },
		{ STEP_NET, "unable to create VLAN 5 on ens2: Operation not supported", "8021q" },
		{ STEP_ISCSI, "unable to log in to iqn.a:b at 10.0.2.2:3260: target rejected our CHAP response (wrong user name or secret for client?)", "CHAP rejected: check iscsi_username/iscsi_password" },
		{ STEP_ISCSI, "unable to log in to iqn.a:b at 10.0.2.2:3260: cannot connect: Connection refused", "TCP to the portal was refused: is the target running" },
		{ STEP_ISCSI, "unable to log in to iqn.a:b at 10.0.2.2:3260: connecting timed out", "no answer from the portal" },
		{ STEP_ISCSI, "unable to log in to iqn.a:nope at 10.0.2.2:3260: target iqn.a:nope not found on this portal", "the target does not know that name" },
		{ STEP_ISCSI, "unable to log in: target failed mutual CHAP: its response does not match the target secret", "failed mutual CHAP" },
		{ STEP_ISCSI, "unable to log in: target requires authentication, and no CHAP credentials are set", "no credentials are set" },
		{ STEP_ISCSI, "unable to create the connection: Cannot allocate memory", "crc32c" },
		{ STEP_ISCSI, "logged in, but no disk appeared", "sd_mod" },
		{ STEP_LVM, "unable to activate: no VG client on the iSCSI disks", "no VG of that name" },
		{ STEP_LVM, "unable to activate client/thin: LV client/thin is a thin LV, not supported; use lvm2", "thin, raid" },
		{ STEP_ROOT, "unable to find the root device UUID=1234 within 30 s", "root= never appeared" },
		{ STEP_ROOT, "unable to mount /dev/sda (xfs) at /root: No such device", "module" },
		{ STEP_SWITCH, "init /sbin/init is not an executable file in /root", "init= does not name an executable" },
		{ STEP_ISCSI, "something nobody foresaw", "sanroot-iscsi probe" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *causes[DIAG_CAUSE_MAX];
		unsigned n = diagnose(rows[i].step, rows[i].message, causes);
		char why[600] = "";

		if (n == 0 || n > DIAG_CAUSE_MAX)
			snprintf(why, sizeof(why), "%u causes", n);
		else if (!strstr(causes[0], rows[i].cause))
			snprintf(why, sizeof(why), "first cause '%s' lacks '%s'", causes[0], rows[i].cause);
		t_row("diagnose", rows[i].message, why[0] != 0, why);
	}
}

static void step_names(void)
{
	CHECK_INT(boot_step_parse("lvm"), STEP_LVM);
	CHECK_INT(boot_step_parse("bogus"), -1);
	CHECK_STR(boot_step_name(STEP_ISCSI), "iscsi");
}

int main(void)
{
	rules_table();
	RUN(step_names);
	T_EXIT();
}
