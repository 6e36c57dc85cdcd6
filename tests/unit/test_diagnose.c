// SPDX-License-Identifier: GPL-2.0-only
/* The diagnosis: every reason a tool can give has advice, and the names are an interface. */
#include <string.h>

#include "plan/diagnose.h"
#include "t.h"

struct row {
	enum boot_step step;
	enum sr_reason why;
	const char *cause;	/* a part of the first cause expected */
};

static void by_reason(void)
{
	static const struct row rows[] = {
		{ STEP_CONFIG, SR_R_PLAN_UNKNOWN_PARAM, "misspelled" },
		{ STEP_CONFIG, SR_R_NO_TARGET, "nothing names an iSCSI target" },
		{ STEP_NET, SR_R_CONF_INSECURE, "mode 0600" },
		{ STEP_NET, SR_R_DHCP_NO_OFFER, "no DHCP offer: is the cable in and the VLAN right?" },
		{ STEP_NET, SR_R_NO_CARRIER, "no link" },
		{ STEP_NET, SR_R_NO_VLAN, "8021q" },
		{ STEP_ISCSI, SR_R_CHAP_REJECTED, "CHAP rejected: check iscsi_username/iscsi_password" },
		{ STEP_ISCSI, SR_R_PORTAL_REFUSED, "TCP to the portal was refused" },
		{ STEP_ISCSI, SR_R_KERNEL_CONN_NOMEM, "crc32c" },
		{ STEP_ISCSI, SR_R_NO_DISK, "sd_mod" },
		{ STEP_LVM, SR_R_VG_NOT_FOUND, "no VG of that name" },
		{ STEP_LVM, SR_R_LV_UNSUPPORTED, "thin, raid" },
		{ STEP_ROOT, SR_R_ROOT_NOT_FOUND, "root= never appeared" },
		{ STEP_ROOT, SR_R_FS_UNKNOWN, "module" },
		{ STEP_SWITCH, SR_R_INIT_NOT_EXEC, "init= does not name an executable" },
		{ STEP_ISCSI, SR_R_NONE, "sanroot-iscsi probe" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *causes[DIAG_CAUSE_MAX];
		unsigned n = diagnose(rows[i].step, rows[i].why, causes);
		char why[600] = "";

		if (n == 0 || n > DIAG_CAUSE_MAX)
			snprintf(why, sizeof(why), "%u causes", n);
		else if (!strstr(causes[0], rows[i].cause))
			snprintf(why, sizeof(why), "first cause '%s' lacks '%s'", causes[0], rows[i].cause);
		t_row("diagnose", sr_reason_name(rows[i].why), why[0] != 0, why);
	}
}

/* A reason without advice would fall through to the generic line unnoticed. */
static void every_reason_has_advice(void)
{
	for (int r = SR_R_NONE + 1; r < SR_R_MAX; r++) {
		const char *causes[DIAG_CAUSE_MAX];
		unsigned n = diagnose(STEP_ISCSI, (enum sr_reason)r, causes);

		t_row("advice", sr_reason_name((enum sr_reason)r), n != 2, "only the generic advice");
	}
	const char *causes[DIAG_CAUSE_MAX];
	CHECK_INT(diagnose(STEP_LVM, SR_R_NONE, causes), 1);
	CHECK(strstr(causes[0], "sanroot-lvm scan") != NULL);
	CHECK_INT(diagnose(STEP_MAX, SR_R_MAX, causes), 1);
}

static void reason_names(void)
{
	for (int r = 0; r < SR_R_MAX; r++)
		t_row("name round trip", sr_reason_name((enum sr_reason)r),
		      sr_reason_parse(sr_reason_name((enum sr_reason)r)) != (enum sr_reason)r, "");
	CHECK_STR(sr_reason_name(SR_R_CHAP_REJECTED), "chap-rejected");
	CHECK_INT(sr_reason_parse("no-such-reason"), SR_R_NONE);
	CHECK_INT(sr_reason_parse(""), SR_R_NONE);
	CHECK_STR(sr_reason_name((enum sr_reason)-1), "none");
}

static void step_names(void)
{
	CHECK_INT(boot_step_parse("lvm"), STEP_LVM);
	CHECK_INT(boot_step_parse("bogus"), -1);
	CHECK_STR(boot_step_name(STEP_ISCSI), "iscsi");
}

int main(void)
{
	by_reason();
	RUN(every_reason_has_advice);
	RUN(reason_names);
	RUN(step_names);
	T_EXIT();
}
