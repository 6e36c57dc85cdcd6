// SPDX-License-Identifier: GPL-2.0-only
/*
 * What an initramfs needs for sanroot-boot: the kernel modules (loaded by the
 * steps below, and printed for the image generators by --print-modules) and
 * the tool names the multi-call binary answers to (--print-tools). One table
 * each, so that the boot and the generators' hooks cannot disagree.
 */
#include <stdio.h>

#include "boot.h"

#define LOAD	1u	/* sanroot-boot loads it before its step (others come as dependencies) */
#define VLAN	2u	/* only when the plan names a VLAN */

static const struct boot_module {
	const char *name;
	enum boot_step step;
	unsigned flags;
} modules[] = {
	{ "af_packet", STEP_NET, LOAD },	/* sanroot-net's DHCP over packet sockets */
	{ "8021q", STEP_NET, LOAD | VLAN },
	{ "iscsi_ibft", STEP_CONFIG, 0 },	/* the firmware's iBFT in /sys/firmware/ibft */
	{ "crc32c_generic", STEP_ISCSI, LOAD },	/* iscsi_tcp asks the crypto API for crc32c */
	{ "crc32c", STEP_ISCSI, 0 },		/* the alias: the CPU's own crc32c drivers too */
	{ "iscsi_tcp", STEP_ISCSI, LOAD },
	{ "libiscsi_tcp", STEP_ISCSI, 0 },
	{ "libiscsi", STEP_ISCSI, 0 },
	{ "scsi_transport_iscsi", STEP_ISCSI, 0 },
	{ "sd_mod", STEP_ISCSI, LOAD },
	{ "dm_mod", STEP_LVM, LOAD },
	{ "dm_multipath", STEP_LVM, 0 },	/* several paths to one LUN: the kernel loads them */
	{ "dm_service_time", STEP_LVM, 0 },	/* with the map's table */
};

/* The names the image links to the multi-call binary: the scripts' and sanroot-boot's. */
static const char *const tools[] = {
	"sanroot-config", "sanroot-net", "sanroot-iscsi", "sanroot-lvm", "sanroot-pivot",
	"sanroot-boot",
};

size_t boot_modules(enum boot_step step, bool vlan, const char **list, size_t n, size_t max)
{
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]) && n < max; i++)
		if (modules[i].step == step && (modules[i].flags & LOAD) &&
		    (vlan || !(modules[i].flags & VLAN)))
			list[n++] = modules[i].name;
	return n;
}

void boot_print_modules(FILE *f)
{
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		fprintf(f, "%s\n", modules[i].name);
}

void boot_print_tools(FILE *f)
{
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		fprintf(f, "%s\n", tools[i]);
}
