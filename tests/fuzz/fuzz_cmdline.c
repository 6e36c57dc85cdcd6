// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the boot plan's text inputs. The first byte picks the source the rest
 * goes to (kernel command line, sanroot.conf, iscsi.initramfs, or all three
 * split at NUL bytes); the plan is then resolved and written out in every form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct plan p;
	static FILE *null;
	struct plan_input *in;
	struct sr_error err;
	char *text;

	if (size < 1 || size > 8192)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	in = plan_input_new();
	switch (data[0] % 4) {
	case 0:
		plan_add_cmdline(in, text, size - 1, "cmdline", &err);
		break;
	case 1:
		plan_add_sanroot_conf(in, text, size - 1, "sanroot.conf", &err);
		break;
	case 2:
		plan_add_iscsi_initramfs(in, text, size - 1, "iscsi.initramfs", &err);
		break;
	default: {
		const char *a = text, *b = a + strlen(a) + 1 <= text + size - 1 ? a + strlen(a) + 1 : a;
		const char *c = b + strlen(b) + 1 <= text + size - 1 ? b + strlen(b) + 1 : b;

		plan_add_cmdline(in, a, strlen(a), "cmdline", &err);
		plan_add_sanroot_conf(in, b, strlen(b), "sanroot.conf", &err);
		plan_add_iscsi_initramfs(in, c, strlen(c), "iscsi.initramfs", &err);
		plan_add_dhcp_rootpath(in, c, "net.conf");
		break;
	}
	}
	if (plan_resolve(in, &p, &err) == 0) {
		plan_write_shell(&p, null, true);
		plan_write_json(&p, null, false);
		plan_write_explain(&p, null);
	}
	plan_input_free(in);

	/* The value parsers alone, on the raw text. */
	struct plan_target t;
	struct plan_net n;
	struct hostport pt;
	uint8_t mac[6];

	plan_parse_iscsi_uri(text, &t, &err);
	plan_parse_ip(text, &n, &err);
	hostport_parse(text, ISCSI_DEFAULT_PORT, &pt, &err);
	plan_parse_mac(text, mac);
	free(text);
	return 0;
}
