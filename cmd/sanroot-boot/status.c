// SPDX-License-Identifier: GPL-2.0-only
/* sanroot-boot --status: links, leases, iSCSI sessions, disks, LVs and the root mount. */
#include <arpa/inet.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/conf.h"
#include "plan/plan_load.h"
#include "boot.h"

static void read_attr(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n = 0;

	out[0] = '\0';
	if (f) {
		n = fread(out, 1, len - 1, f);
		fclose(f);
	}
	out[n] = '\0';
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
}

static void links(void)
{
	struct ifaddrs *ifa = NULL;
	DIR *d = opendir("/sys/class/net");
	struct dirent *e;

	puts("Links:");
	if (!d) {
		puts("  (no /sys/class/net)");
		return;
	}
	getifaddrs(&ifa);
	while ((e = readdir(d))) {
		char path[PATH_MAX], state[32], mac[32], carrier[8];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", e->d_name);
		read_attr(path, state, sizeof(state));
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", e->d_name);
		read_attr(path, mac, sizeof(mac));
		snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", e->d_name);
		read_attr(path, carrier, sizeof(carrier));
		printf("  %-10s %-8s %-17s carrier %-3s", e->d_name, state, mac,
		       !strcmp(carrier, "1") ? "yes" : "no");
		for (struct ifaddrs *a = ifa; a; a = a->ifa_next) {
			char addr[INET6_ADDRSTRLEN];
			int prefix = 0;

			if (strcmp(a->ifa_name, e->d_name) || !a->ifa_addr || a->ifa_addr->sa_family != AF_INET)
				continue;
			inet_ntop(AF_INET, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, addr, sizeof(addr));
			if (a->ifa_netmask)
				prefix = __builtin_popcount(((struct sockaddr_in *)a->ifa_netmask)->sin_addr.s_addr);
			printf(" %s/%d", addr, prefix);
		}
		putchar('\n');
	}
	closedir(d);
	if (ifa)
		freeifaddrs(ifa);
}

static int print_lease(void *ctx, const char *path, const struct netconf *nc, long mtime)
{
	bool *any = ctx;
	char a[16], m[16], g[16], sv[16];

	(void)mtime;
	if (nc->ipv6) {
		printf("  %-10s IPv6, %s\n", nc->device, path);
		if (nc->rootpath[0])
			printf("  %-10s root path %s\n", "", nc->rootpath);
		*any = true;
		return 0;
	}
	printf("  %-10s %s %s/%s via %s", nc->device, nc->proto == NETCONF_DHCP ? "dhcp" : "none",
	       dhcp_ntoa(nc->addr, a), dhcp_ntoa(nc->netmask, m),
	       nc->gateway ? dhcp_ntoa(nc->gateway, g) : "(no gateway)");
	if (nc->rootserver)
		printf(", server %s", dhcp_ntoa(nc->rootserver, sv));
	if (nc->lease)
		printf(nc->lease == 0xffffffffu ? ", lease infinite" : ", lease %u s", nc->lease);
	putchar('\n');
	if (nc->rootpath[0])
		printf("  %-10s root path %s\n", "", nc->rootpath);
	*any = true;
	return 0;
}

static void leases(void)
{
	bool any = false;

	puts("Leases (/run/net-*.conf, /run/net6-*.conf):");
	netconf_scan("/run", print_lease, &any);
	if (!any)
		puts("  (none)");
}

/* The iSCSI session a SCSI disk belongs to, from its sysfs path ("...sessionN/..."). */
static int disk_session(const char *name)
{
	char link[PATH_MAX], path[PATH_MAX];
	ssize_t n;
	const char *s;

	snprintf(path, sizeof(path), "/sys/block/%s", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	s = strstr(link, "/session");
	return s ? atoi(s + 8) : -1;
}

static void sessions(void)
{
	DIR *d = opendir("/sys/class/iscsi_session");
	struct dirent *e;
	bool any = false;

	puts("iSCSI sessions:");
	while (d && (e = readdir(d))) {
		char path[PATH_MAX], target[256], state[64], addr[64], port[16], disks[256] = "";
		int sid;

		if (strncmp(e->d_name, "session", 7))
			continue;
		sid = atoi(e->d_name + 7);
		snprintf(path, sizeof(path), "/sys/class/iscsi_session/%s/targetname", e->d_name);
		read_attr(path, target, sizeof(target));
		snprintf(path, sizeof(path), "/sys/class/iscsi_session/%s/state", e->d_name);
		read_attr(path, state, sizeof(state));
		snprintf(path, sizeof(path), "/sys/class/iscsi_connection/connection%d:0/persistent_address", sid);
		read_attr(path, addr, sizeof(addr));
		snprintf(path, sizeof(path), "/sys/class/iscsi_connection/connection%d:0/persistent_port", sid);
		read_attr(path, port, sizeof(port));
		DIR *b = opendir("/sys/block");
		struct dirent *be;
		while (b && (be = readdir(b))) {
			if (be->d_name[0] != '.' && disk_session(be->d_name) == sid) {
				size_t o = strlen(disks);

				snprintf(disks + o, sizeof(disks) - o, " /dev/%s", be->d_name);
			}
		}
		if (b)
			closedir(b);
		printf("  session %d  %s  %s:%s  %s %s\n", sid, target, addr, port, state,
		       disks[0] ? disks : " (no disk)");
		any = true;
	}
	if (d)
		closedir(d);
	if (!any)
		puts("  (none)");

	/* What the session keeper says about itself. */
	d = opendir("/run/sanroot");
	while (d && (e = readdir(d))) {
		char path[PATH_MAX], text[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/sanroot/%s", e->d_name);
		read_attr(path, text, sizeof(text));
		for (char *p = text; *p; p++)
			if (*p == '\n')
				*p = ' ';
		printf("  /run/sanroot/%s: %s\n", e->d_name, text);
	}
	if (d)
		closedir(d);
}

static void block_devices(void)
{
	DIR *d = opendir("/sys/block");
	struct dirent *e;

	puts("Block devices:");
	while (d && (e = readdir(d))) {
		char path[PATH_MAX], size[32], name[128], uuid[160];
		int sid;

		if (e->d_name[0] == '.' || !strncmp(e->d_name, "loop", 4) || !strncmp(e->d_name, "ram", 3))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/size", e->d_name);
		read_attr(path, size, sizeof(size));
		printf("  %-8s %8.1f MiB", e->d_name, atof(size) * 512 / 1048576);
		if ((sid = disk_session(e->d_name)) >= 0)
			printf("  iSCSI session %d", sid);
		snprintf(path, sizeof(path), "/sys/block/%s/dm/name", e->d_name);
		read_attr(path, name, sizeof(name));
		if (name[0]) {
			snprintf(path, sizeof(path), "/sys/block/%s/dm/uuid", e->d_name);
			read_attr(path, uuid, sizeof(uuid));
			printf("  /dev/mapper/%s%s", name, !strncmp(uuid, "LVM-", 4) ? " (LVM)" : "");
		}
		putchar('\n');
	}
	if (d)
		closedir(d);
}

static void root_mount(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];

	puts("Root:");
	while (f && fgets(line, sizeof(line), f)) {
		char mnt[512], opts[256], fstype[64], source[512];
		const char *sep = strstr(line, " - ");

		if (sscanf(line, "%*s %*s %*s %*s %511s %255s", mnt, opts) != 2 || strcmp(mnt, "/") || !sep)
			continue;
		if (sscanf(sep + 3, "%63s %511s", fstype, source) == 2)
			printf("  / is %s (%s, %s)\n", source, fstype, strncmp(opts, "ro", 2) ? "read-write" : "read-only");
	}
	if (f)
		fclose(f);
}

int boot_status(void)
{
	links();
	leases();
	sessions();
	block_devices();
	root_mount();
	return 0;
}
