/* SPDX-License-Identifier: GPL-2.0-only */
/* The boot plan: every input (command line, config files, iBFT) resolved into one. */
#ifndef SANROOT_PLAN_H
#define SANROOT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/hostport.h"
#include "iscsi/iscsi_text.h"
#include "net/netconf.h"

struct ibft;

#define PLAN_NAME_MAX     ISCSI_NAME_MAX
#define HOSTPORT_HOST_MAX     256
#define PLAN_CHAP_MAX     256
#define PLAN_IFNAME_MAX   16	/* IFNAMSIZ */
#define PLAN_ADDR_MAX     46	/* INET6_ADDRSTRLEN */
#define PLAN_PATH_MAX     256
#define PLAN_MAX_TARGETS  8
#define PLAN_MAX_PORTALS  8
#define PLAN_MAX_NETS     4
#define PLAN_MAX_IFNAMES  4
#define PLAN_MAX_VLANS    4
#define PLAN_MAX_LVM      8
#define PLAN_MAX_PARAMS   16
#define PLAN_MAX_NOTES    48
#define PLAN_NOTE_MAX     240

/* Where a value came from, in increasing precedence (iBFT and DHCP aside). */
enum plan_origin {
	ORIGIN_NONE,
	ORIGIN_DEFAULT,
	ORIGIN_ISCSI_INITRAMFS,	/* /etc/iscsi/iscsi.initramfs (open-iscsi's hook) */
	ORIGIN_SANROOT_CONF,	/* /etc/sanroot.conf */
	ORIGIN_CMDLINE,		/* /proc/cmdline */
	ORIGIN_IBFT,		/* the firmware's iSCSI Boot Firmware Table */
	ORIGIN_DHCP,		/* a DHCP root path (option 17) */
};

const char *plan_origin_name(enum plan_origin o);

struct plan_chap {
	char name[PLAN_CHAP_MAX];
	char secret[PLAN_CHAP_MAX];
	size_t wiped_len;		/* the secret's length once plan_wipe_secrets() ran */
};

/* The secret's length, whether it is still held or was wiped. */
size_t plan_chap_secret_len(const struct plan_chap *c);

struct plan_target {
	char name[PLAN_NAME_MAX];	/* empty: discover (SendTargets) */
	struct hostport portal[PLAN_MAX_PORTALS];
	unsigned nportals;
	int tpgt;			/* -1: any */
	uint64_t lun;			/* the root LUN; meaningful if lun_set */
	bool lun_set;
	char iface[PLAN_IFNAME_MAX * 2];/* dracut's open-iscsi iface name */
	char netdev[PLAN_IFNAME_MAX];	/* dracut's netdev: the NIC to use */
	struct plan_chap chap;		/* the target authenticates us */
	struct plan_chap rchap;		/* we authenticate the target (mutual) */
	enum plan_origin origin;
	int ibft_nic;			/* associated iBFT NIC index, or -1 */
	bool boot;			/* iBFT: selected by the firmware for boot */
};

enum plan_ip_method {
	IP_UNSET,
	IP_OFF,		/* off, none: no autoconfiguration */
	IP_STATIC,	/* addresses given */
	IP_DHCP,	/* dhcp, bootp, on, any, both */
	IP_DHCP6,
	IP_AUTO6,
	IP_IBFT,	/* take it from the iBFT */
};

const char *plan_ip_method_name(enum plan_ip_method m);

struct plan_net {
	char dev[PLAN_IFNAME_MAX];	/* empty: choose (BOOTIF, iBFT MAC, carrier) */
	enum plan_ip_method method;
	char addr[PLAN_ADDR_MAX];
	uint8_t prefix;			/* 0 with addr set: from the class or unknown */
	char peer[PLAN_ADDR_MAX];	/* klibc: server IP */
	char gateway[PLAN_ADDR_MAX];
	char hostname[64];
	char dns[2][PLAN_ADDR_MAX];
	char ntp[PLAN_ADDR_MAX];
	unsigned mtu;
	uint8_t mac[6];
	bool has_mac;
	uint16_t vlan;			/* iBFT NIC VLAN, 0: none */
	enum plan_origin origin;
};

struct plan_ifname {
	char name[PLAN_IFNAME_MAX];
	uint8_t mac[6];
};

struct plan_vlan {
	char name[PLAN_IFNAME_MAX];	/* the VLAN interface to create */
	char parent[PLAN_IFNAME_MAX];
	uint16_t id;
};

struct plan_root {
	char dev[PLAN_PATH_MAX];	/* root=, unless it named an iSCSI target */
	char fstype[32];
	char flags[PLAN_PATH_MAX];
	int ro;				/* -1 unset, 0 rw, 1 ro */
	char init[PLAN_PATH_MAX];
	unsigned delay;			/* rootdelay= seconds */
	bool from_dhcp;			/* root=dhcp / netroot=dhcp: the root path names the target */
	char vg[128], lv[128];		/* the LV root= names, if it names one */
};

struct plan_lvm {
	bool disabled;			/* rd.lvm=0 */
	char vg[PLAN_MAX_LVM][128];
	unsigned nvg;
	char lv[PLAN_MAX_LVM][256];	/* VG/LV */
	unsigned nlv;
};

struct plan_param {
	char name[64];
	char value[192];
};

struct plan_iscsi {
	bool firmware;			/* use the iBFT (iscsi_auto, rd.iscsi.firmware, ...) */
	bool waitnet;
	int login_retry_max;		/* -1: default */
	struct plan_param param[PLAN_MAX_PARAMS];	/* rd.iscsi.param=, -P */
	unsigned nparam;
};

struct plan_sanroot {
	unsigned timeout;		/* seconds for the whole boot */
	bool shell;			/* a failed boot may open a shell */
	bool debug;
	bool keep;			/* run the session keeper */
	bool md5;			/* CHAP_A=5 (MD5) allowed */
	bool noauth;			/* AuthMethod=None allowed with credentials set */
	bool multipath;			/* a target's portals: a session each, one dm-multipath map */
};

enum plan_note_kind { NOTE_INFO, NOTE_WARN, NOTE_CONFLICT };

struct plan_note {
	enum plan_note_kind kind;
	char text[PLAN_NOTE_MAX];
};

struct plan_source_info {
	enum plan_origin origin;
	char name[PLAN_PATH_MAX];
	unsigned nparams;
	unsigned nused;
};

struct plan {
	char initiator[PLAN_NAME_MAX];
	enum plan_origin initiator_origin;

	struct plan_target target[PLAN_MAX_TARGETS];
	unsigned ntargets;

	struct plan_net net[PLAN_MAX_NETS];
	unsigned nnets;
	uint8_t bootif[6];
	bool has_bootif;
	struct plan_ifname ifname[PLAN_MAX_IFNAMES];
	unsigned nifnames;
	struct plan_vlan vlan[PLAN_MAX_VLANS];
	unsigned nvlans;

	struct plan_root root;
	struct plan_lvm lvm;
	struct plan_iscsi iscsi;
	struct plan_sanroot sanroot;

	struct plan_source_info source[8];
	unsigned nsources;
	struct plan_note note[PLAN_MAX_NOTES];
	unsigned nnotes;
};

/*
 * Building a plan: create an input, add every source (in any order; precedence
 * is by origin), then resolve. The input owns copies of everything added.
 */
struct plan_input;

struct plan_input *plan_input_new(void);
void plan_input_free(struct plan_input *in);

/*
 * Whether the plan makes several paths to one target, each a session of its
 * own and one path of a multipath map: multipath on, and a target with
 * several portals or one name given twice (dracut's repeated netroot=).
 */
bool plan_multipath_paths(const struct plan *p);

/* Kernel command line syntax: whitespace-separated, double quotes as the kernel does. */
int plan_add_cmdline(struct plan_input *in, const char *text, size_t len,
		     const char *name, struct sr_error *err);
/* /etc/sanroot.conf: command-line parameters, any number per line, # comments. */
int plan_add_sanroot_conf(struct plan_input *in, const char *text, size_t len,
			  const char *name, struct sr_error *err);
/* /etc/iscsi/iscsi.initramfs: ISCSI_*=value shell assignments, never evaluated. */
int plan_add_iscsi_initramfs(struct plan_input *in, const char *text, size_t len,
			     const char *name, struct sr_error *err);
/* A parsed iBFT; used when asked for, or when nothing else names a target. */
int plan_add_ibft(struct plan_input *in, const struct ibft *t, const char *name);
/*
 * A DHCP root path (option 17, as sanroot-net or klibc ipconfig recorded it);
 * used with root=dhcp, or when nothing else names a target.
 */
int plan_add_dhcp_rootpath(struct plan_input *in, const char *rootpath, const char *name);

int plan_resolve(const struct plan_input *in, struct plan *out, struct sr_error *err);

/* Zero every CHAP secret in p (explicit_bzero), keeping each one's length. */
void plan_wipe_secrets(struct plan *p);

/* Parsers for single values, shared with the tools that take them as options. */
int plan_parse_iscsi_uri(const char *v, struct plan_target *t, struct sr_error *err);
int plan_parse_ip(const char *v, struct plan_net *n, struct sr_error *err);
int plan_parse_mac(const char *v, uint8_t mac[6]);
/* The static part of n as net/ takes it; the strings stay in n. */
void plan_net_static(const struct plan_net *n, struct netconf_static *s);

/* Outputs. Secrets appear only when show_secrets is set. */
void plan_write_shell(const struct plan *p, FILE *f, bool show_secrets);
void plan_write_json(const struct plan *p, FILE *f, bool show_secrets);
void plan_write_explain(const struct plan *p, FILE *f);

#endif
