// SPDX-License-Identifier: GPL-2.0-only
/*
 * Another DHCP client on the interface: its sockets in /proc/net/packet and
 * /proc/net/udp (the tables list sockets by inode; /proc/PID/fd names the
 * inode a descriptor holds as "socket:[N]"), or networkd's lease file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/dhcp_peer.h"

#define MAX_INODES 64
#define TABLE_MAX  (256 * 1024)	/* /proc/net/udp of a busy host fits */

/* The fields of one line, split on blanks; returns how many (at most max). */
static size_t split(const char *line, size_t len, const char **f, size_t *flen, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			break;
		f[n] = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		flen[n] = (size_t)(line + i - f[n]);
		n++;
	}
	return n;
}

/* A field as a number in base (10 or 16), all of it; false if it is not one. */
static bool field_num(const char *s, size_t len, int base, unsigned long *v)
{
	char buf[32], *end;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*v = strtoul(buf, &end, base);
	return !errno && *end == '\0' && buf[0] != '-' && buf[0] != '+';
}

/*
 * Walk a table's lines after its header; for each line whose field key_i
 * (after key_from, a byte offset into the field: the port after "ADDR:")
 * equals want in key_base, take field inode_i as an inode.
 */
static size_t table_inodes(const char *text, size_t len, size_t key_i, char key_after, int key_base,
			   unsigned long want, size_t inode_i, unsigned long *out, size_t max)
{
	const char *p = text, *end = text + len;
	size_t found = 0;
	bool header = true;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *f[12];
		size_t fl[12], n;
		unsigned long key, inode;

		if (header) {
			header = false;
			goto next;
		}
		n = split(p, ll, f, fl, 12);
		if (n <= key_i || n <= inode_i)
			goto next;
		if (key_after) {
			const char *k = memchr(f[key_i], key_after, fl[key_i]);

			if (!k)
				goto next;
			k++;
			if (!field_num(k, fl[key_i] - (size_t)(k - f[key_i]), key_base, &key))
				goto next;
		} else if (!field_num(f[key_i], fl[key_i], key_base, &key)) {
			goto next;
		}
		if (key != want || !field_num(f[inode_i], fl[inode_i], 10, &inode) || !inode)
			goto next;
		if (found < max)
			out[found] = inode;
		found++;
next:
		p += ll + 1;
	}
	return found;
}

/* sk RefCnt Type Proto Iface R Rmem User Inode */
size_t dhcp_peer_packet_inodes(const char *text, size_t len, int ifindex, unsigned long *out,
			       size_t max)
{
	if (ifindex <= 0)
		return 0;
	return table_inodes(text, len, 4, 0, 10, (unsigned long)ifindex, 8, out, max);
}

/* sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ... */
size_t dhcp_peer_udp_inodes(const char *text, size_t len, unsigned port, unsigned long *out,
			    size_t max)
{
	return table_inodes(text, len, 1, ':', 16, port, 9, out, max);
}

/* A whole /proc table into a heap buffer; NULL when it cannot be read. */
static char *read_table(int proc_fd, const char *path, size_t *len)
{
	char *buf;
	ssize_t n;
	int fd;

	fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(TABLE_MAX);
	*len = 0;
	while (buf && *len < TABLE_MAX && (n = read(fd, buf + *len, TABLE_MAX - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	return buf;
}

static bool has_inode(const unsigned long *set, size_t n, unsigned long inode)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == inode)
			return true;
	return false;
}

/* Whether process pid holds a socket of each set, through /proc/PID/fd. */
static bool holds_both(int proc_fd, const char *pid, const unsigned long *pkt, size_t npkt,
		       const unsigned long *udp, size_t nudp)
{
	bool has_pkt = false, has_udp = false;
	char path[64];
	struct dirent *d;
	DIR *dh;
	int fd;

	snprintf(path, sizeof(path), "%s/fd", pid);
	fd = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (!(dh = fdopendir(fd))) {
		close(fd);
		return false;
	}
	while (!(has_pkt && has_udp) && (d = readdir(dh))) {
		char link[64];
		unsigned long inode;
		ssize_t n = readlinkat(fd, d->d_name, link, sizeof(link) - 1);

		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "socket:[", 8) || !field_num(link + 8, (size_t)n - 9, 10, &inode) ||
		    link[n - 1] != ']')
			continue;
		has_pkt |= has_inode(pkt, npkt, inode);
		has_udp |= has_inode(udp, nudp, inode);
	}
	closedir(dh);
	return has_pkt && has_udp;
}

static void comm_of(int proc_fd, const char *pid, char *comm, size_t size)
{
	char path[64];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/comm", pid);
	fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, size - 1);
		close(fd);
	}
	comm[n > 0 ? n : 0] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	if (!comm[0])
		snprintf(comm, size, "a process");
}

/* A process but self holding a socket of each set; described in who. */
static bool holder(int proc_fd, pid_t self, const unsigned long *a, size_t na,
		   const unsigned long *b, size_t nb, char *who, size_t size)
{
	bool found = false;
	struct dirent *d;
	DIR *dh;
	int fd;

	fd = openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (!(dh = fdopendir(fd))) {
		close(fd);
		return false;
	}
	while (!found && (d = readdir(dh))) {
		char comm[32];

		if (d->d_name[0] < '1' || d->d_name[0] > '9' || strtol(d->d_name, NULL, 10) == self)
			continue;
		if (!holds_both(proc_fd, d->d_name, a, na, b, nb))
			continue;
		comm_of(proc_fd, d->d_name, comm, sizeof(comm));
		snprintf(who, size, "%s (pid %s)", comm, d->d_name);
		found = true;
	}
	closedir(dh);
	return found;
}

/* The pid of a process whose comm is name, 0 if none. */
static long process_named(int proc_fd, const char *name)
{
	struct dirent *d;
	long found = 0;
	DIR *dh;
	int fd;

	fd = openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (!(dh = fdopendir(fd))) {
		close(fd);
		return 0;
	}
	while (!found && (d = readdir(dh))) {
		char comm[32];

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		comm_of(proc_fd, d->d_name, comm, sizeof(comm));
		if (!strcmp(comm, name))
			found = strtol(d->d_name, NULL, 10);
	}
	closedir(dh);
	return found;
}

static bool client_process(int proc_fd, int ifindex, pid_t self, char *who, size_t size)
{
	unsigned long pkt[MAX_INODES], udp[MAX_INODES];
	size_t npkt = 0, nudp = 0, len;
	char *t;

	if ((t = read_table(proc_fd, "net/packet", &len))) {
		npkt = dhcp_peer_packet_inodes(t, len, ifindex, pkt, MAX_INODES);
		free(t);
	}
	if (!npkt)
		return false;
	if ((t = read_table(proc_fd, "net/udp", &len))) {
		nudp = dhcp_peer_udp_inodes(t, len, 68, udp, MAX_INODES);
		free(t);
	}
	if (!nudp)
		return false;
	npkt = npkt > MAX_INODES ? MAX_INODES : npkt;
	nudp = nudp > MAX_INODES ? MAX_INODES : nudp;
	return holder(proc_fd, self, pkt, npkt, udp, nudp, who, size);
}

bool dhcp6_peer_find(int proc_fd, pid_t self, char *who, size_t size)
{
	unsigned long udp[MAX_INODES];
	size_t nudp = 0, len;
	char *t;

	if (proc_fd < 0)
		return false;
	if ((t = read_table(proc_fd, "net/udp6", &len))) {
		nudp = dhcp_peer_udp_inodes(t, len, 546, udp, MAX_INODES);
		free(t);
	}
	if (!nudp)
		return false;
	nudp = nudp > MAX_INODES ? MAX_INODES : nudp;
	return holder(proc_fd, self, udp, nudp, udp, nudp, who, size);
}

bool dhcp_peer_find(int proc_fd, int run_fd, int ifindex, pid_t self, char *who, size_t size)
{
	char path[64];
	long pid;

	if (proc_fd < 0)
		return false;
	/* A lease file left behind by a networkd that is gone keeps nothing. */
	snprintf(path, sizeof(path), "systemd/netif/leases/%d", ifindex);
	if (run_fd >= 0 && faccessat(run_fd, path, F_OK, 0) == 0 &&
	    (pid = process_named(proc_fd, "systemd-network")) > 0) {	/* comm: 15 bytes */
		snprintf(who, size, "systemd-networkd (pid %ld)", pid);
		return true;
	}
	return client_process(proc_fd, ifindex, self, who, size);
}
