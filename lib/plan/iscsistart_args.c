// SPDX-License-Identifier: GPL-2.0-only
/* open-iscsi's iscsistart options (usr/iscsistart.c's getopt string "c:P:i:t:g:a:p:d:u:w:U:W:bNfvh"). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan/iscsistart_args.h"

static const struct opt {
	char c;
	const char *name;
	bool arg;
	bool own;	/* not an option of sanroot-iscsi's own syntax */
} opts[] = {
	{ 'c', "config", true, true },
	{ 'P', "param", true, true },
	{ 'i', "initiatorname", true, false },
	{ 't', "targetname", true, true },
	{ 'g', "tgpt", true, true },
	{ 'a', "address", true, true },
	{ 'p', "port", true, true },
	{ 'd', "debug", true, false },
	{ 'u', "username", true, false },
	{ 'w', "password", true, false },
	{ 'U', "username_in", true, false },
	{ 'W', "password_in", true, false },
	{ 'b', "fwparam_connect", false, true },
	{ 'N', "fwparam_network", false, true },
	{ 'f', "fwparam_print", false, true },
	{ 'v', "version", false, false },
	{ 'h', "help", false, false },
};

static const struct opt *by_char(char c)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].c == c)
			return &opts[i];
	return NULL;
}

static const struct opt *by_name(const char *name, size_t len)
{
	const struct opt *found = NULL;

	/* getopt_long takes an unambiguous prefix too. */
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (strncmp(opts[i].name, name, len))
			continue;
		if (strlen(opts[i].name) == len)
			return &opts[i];
		if (found)
			return NULL;
		found = &opts[i];
	}
	return found;
}

static int number(const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int take(struct iscsistart_args *a, const struct opt *o, char *v, struct sr_error *err)
{
	long n;

	switch (o->c) {
	case 'c': a->config = v; break;
	case 'P':
		if (a->nparam == PLAN_MAX_PARAMS)
			return sr_fail(err, E2BIG, "more than %d -P parameters", PLAN_MAX_PARAMS);
		if (!strchr(v, '=') || v[0] == '=')
			return sr_fail(err, EINVAL, "-P '%.60s' is not NAME=VALUE", v);
		a->param[a->nparam++] = v;
		break;
	case 'i': a->initiator = v; break;
	case 't': a->target = v; break;
	case 'g':
		if (number(v, 0, 65535, &n) < 0)
			return sr_fail(err, EINVAL, "-g '%.20s' is not a portal group tag (0..65535)", v);
		a->tpgt = (int)n;
		break;
	case 'a': a->address = v; break;
	case 'p':
		if (number(v, 1, 65535, &n) < 0)
			return sr_fail(err, EINVAL, "-p '%.20s' is not a port (1..65535)", v);
		a->port = (unsigned)n;
		break;
	case 'd':
		if (number(v, 0, 8, &n) < 0)
			return sr_fail(err, EINVAL, "-d '%.20s' is not a debug level (0..8)", v);
		a->debug = (int)n;
		break;
	case 'u': a->username = v; break;
	case 'w': a->password = v; break;
	case 'U': a->username_in = v; break;
	case 'W': a->password_in = v; break;
	case 'b': a->fw_connect = true; break;
	case 'N': a->fw_network = true; break;
	case 'f': a->fw_print = true; break;
	case 'v': a->version = true; break;
	case 'h': a->help = true; break;
	}
	if (o->own)
		a->own_option = true;
	return 0;
}

int iscsistart_parse(int argc, char **argv, struct iscsistart_args *a, struct sr_error *err)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->tpgt = -1;
	a->debug = -1;
	for (i = 1; i < argc; i++) {
		char *arg = argv[i];
		int rc;

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || !arg[1])
			break;
		if (arg[1] == '-') {
			char *name = arg + 2, *eq = strchr(name, '=');
			const struct opt *o = by_name(name, eq ? (size_t)(eq - name) : strlen(name));
			char *v = NULL;

			if (!o)
				return sr_fail(err, EINVAL, "unknown or ambiguous option '--%.40s'", name);
			if (o->arg) {
				if (eq)
					v = eq + 1;
				else if (i + 1 < argc)
					v = argv[++i];
				else
					return sr_fail(err, EINVAL, "option '--%s' needs a value", o->name);
			} else if (eq) {
				return sr_fail(err, EINVAL, "option '--%s' takes no value", o->name);
			}
			rc = take(a, o, v, err);
			if (rc < 0)
				return rc;
			continue;
		}
		/* A cluster of short options; one that takes a value ends it. */
		for (char *p = arg + 1; *p; p++) {
			const struct opt *o = by_char(*p);
			char *v = NULL;

			if (!o)
				return sr_fail(err, EINVAL, "unknown option '-%c'", *p);
			if (o->arg) {
				if (p[1])
					v = p + 1;
				else if (i + 1 < argc)
					v = argv[++i];
				else
					return sr_fail(err, EINVAL, "option '-%c' needs a value", o->c);
			}
			rc = take(a, o, v, err);
			if (rc < 0)
				return rc;
			if (v)
				break;
		}
	}
	a->operand = i;
	return 0;
}
