/* SPDX-License-Identifier: GPL-2.0-only */
/* open-iscsi's iscsistart command line (-i -t -g -a -p -u -w -U -W -d -P -b -N -f -c -v -h), parsed. */
#ifndef SANROOT_ISCSISTART_ARGS_H
#define SANROOT_ISCSISTART_ARGS_H

#include <stdbool.h>

#include "core/error.h"
#include "plan/plan.h"

struct iscsistart_args {
	const char *initiator;		/* -i, --initiatorname */
	const char *target;		/* -t, --targetname */
	int tpgt;			/* -g, --tgpt; -1 when not given */
	const char *address;		/* -a, --address */
	unsigned port;			/* -p, --port; 0 when not given */
	const char *username;		/* -u, --username */
	const char *username_in;	/* -U, --username_in */
	char *password;			/* -w, --password: in argv, for the caller to copy and wipe */
	char *password_in;		/* -W, --password_in */
	int debug;			/* -d, --debug; -1 when not given */
	bool fw_connect;		/* -b, --fwparam_connect: log in to the iBFT's targets */
	bool fw_network;		/* -N, --fwparam_network: bring up the iBFT's NIC */
	bool fw_print;			/* -f, --fwparam_print: print the iBFT */
	const char *param[PLAN_MAX_PARAMS];	/* -P, --param NAME=VALUE */
	unsigned nparam;
	const char *config;		/* -c, --config: accepted; there is no config file */
	bool help, version;
	bool own_option;		/* an option sanroot-iscsi's own syntax does not have */
	int operand;			/* index of the first operand; argc if none */
};

/*
 * Parse argv[1..] as iscsistart does (getopt_long: clustered short options,
 * attached or separate arguments, --name=value), stopping at the first
 * operand or after "--". Fails on an unknown option, a missing argument or a
 * bad number. Nothing is printed; secrets are neither copied nor logged.
 */
int iscsistart_parse(int argc, char **argv, struct iscsistart_args *a, struct sr_error *err);

#endif
