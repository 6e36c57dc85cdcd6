// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding the iBFT on a running system: the ACPI table (UEFI), a scan of low
 * memory through /dev/mem (BIOS; iPXE's sanhook puts it there), or the text
 * view of the kernel's iscsi_ibft module under /sys/firmware/ibft.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/ibft.h"

#define LOWMEM_START 0x80000
#define LOWMEM_END   0x100000
#define TABLE_MAX    (64 * 1024)

static ssize_t read_all(int fd, void *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, off + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int ibft_load_file(const char *path, struct ibft *out, struct sr_error *err)
{
	static uint8_t buf[TABLE_MAX];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return sr_fail(err, errno, "%s: %s", path, strerror(errno));
	n = read_all(fd, buf, sizeof(buf), 0);
	close(fd);
	if (n < 0)
		return sr_fail(err, (int)-n, "%s: %s", path, strerror((int)-n));
	int rc = ibft_parse(buf, (size_t)n, out, err);
	/* The table holds the firmware's CHAP secrets; the parsed copy is the caller's. */
	explicit_bzero(buf, (size_t)n);
	if (rc < 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err ? err->msg : "");
		return sr_fail(err, rc, "%s: %s", path, why);
	}
	return 0;
}

static int load_devmem(const char *path, struct ibft *out, struct sr_error *err)
{
	static uint8_t mem[LOWMEM_END - LOWMEM_START];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	long off;

	if (fd < 0)
		return -errno;
	n = read_all(fd, mem, sizeof(mem), LOWMEM_START);
	close(fd);
	if (n < 0)
		return (int)n;
	off = ibft_scan(mem, (size_t)n);
	if (off < 0)
		return -ENOENT;
	int rc = ibft_parse(mem + off, (size_t)n - (size_t)off, out, err);
	explicit_bzero(mem + off, (size_t)n - (size_t)off);	/* the table's CHAP secrets */
	if (rc < 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err ? err->msg : "");
		return sr_fail(err, rc, "%s at 0x%lx: %s", path, LOWMEM_START + off, why);
	}
	return 0;
}

/* sysfs text view ------------------------------------------------------- */

static int sysfs_read(const char *dir, const char *sub, const char *attr,
		      char *out, size_t outlen)
{
	char path[512];
	ssize_t got;
	size_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, attr);
	out[0] = '\0';
	/* read(2) straight into out: a FILE's buffer would keep a CHAP secret after fclose */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	got = read_all(fd, out, outlen - 1, 0);
	close(fd);
	if (got < 0)
		return (int)got;
	n = (size_t)got;
	out[n] = '\0';
	while (n > 0 && isspace((unsigned char)out[n - 1]))
		out[--n] = '\0';
	return 0;
}

static unsigned sysfs_uint(const char *dir, const char *sub, const char *attr)
{
	char v[32];

	if (sysfs_read(dir, sub, attr, v, sizeof(v)) < 0)
		return 0;
	return (unsigned)strtoul(v, NULL, 0);
}

/*
 * An address as ibft_parse writes it: the kernel prints IPv6 with %pI6, every
 * group in four digits (fec0:0000:...:0002), and a target's unset address as
 * all zeros; the text here is the compressed form, "" for an unset address.
 */
static void sysfs_addr(const char *dir, const char *sub, const char *attr,
		       char out[IBFT_ADDR_MAX])
{
	static const uint8_t zero[16];
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	char v[64];
	uint8_t a[16];

	out[0] = '\0';
	if (sysfs_read(dir, sub, attr, v, sizeof(v)) < 0)
		return;
	if (inet_pton(AF_INET, v, a) == 1) {
		if (memcmp(a, zero, 4) != 0)
			inet_ntop(AF_INET, a, out, IBFT_ADDR_MAX);
	} else if (inet_pton(AF_INET6, v, a) == 1 && memcmp(a, zero, 16) != 0) {
		if (memcmp(a, mapped, 12) == 0)
			inet_ntop(AF_INET, a + 12, out, IBFT_ADDR_MAX);
		else
			inet_ntop(AF_INET6, a, out, IBFT_ADDR_MAX);
	}
}

/*
 * The kernel prints each LUN byte with "%x", unpadded; eight characters are
 * one byte each (the common case: 0001000000000000 shows as 01000000).
 */
static int sysfs_lun(const char *v, uint8_t raw[8])
{
	size_t n = strlen(v);

	memset(raw, 0, 8);
	if (n == 8) {
		for (int i = 0; i < 8; i++) {
			if (!isxdigit((unsigned char)v[i]))
				return -EINVAL;
			raw[i] = (uint8_t)strtoul((char[]){ v[i], 0 }, NULL, 16);
		}
		return 0;
	}
	if (n == 16) {
		for (int i = 0; i < 8; i++) {
			char h[3] = { v[2 * i], v[2 * i + 1], 0 };

			if (!isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1]))
				return -EINVAL;
			raw[i] = (uint8_t)strtoul(h, NULL, 16);
		}
		return 0;
	}
	return -EINVAL;
}

int ibft_load_sysfs(const char *dir, struct ibft *out, struct sr_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char v[IBFT_STR_MAX];

	if (!d)
		return -errno;
	memset(out, 0, sizeof(*out));
	snprintf(out->signature, sizeof(out->signature), "iBFT");
	out->revision = 1;
	sysfs_read(dir, "acpi_header", "signature", out->signature, sizeof(out->signature));
	sysfs_read(dir, "acpi_header", "oem_id", out->oem_id, sizeof(out->oem_id));
	sysfs_read(dir, "acpi_header", "oem_table_id", out->oem_table_id,
		   sizeof(out->oem_table_id));

	while ((e = readdir(d))) {
		const char *s = e->d_name;

		if (!strcmp(s, "initiator")) {
			struct ibft_initiator *ini = &out->initiator;

			ini->present = true;
			ini->flags = (uint8_t)sysfs_uint(dir, s, "flags");
			sysfs_read(dir, s, "initiator-name", ini->name, sizeof(ini->name));
			sysfs_addr(dir, s, "isns-server", ini->isns);
			sysfs_addr(dir, s, "slp-server", ini->slp);
			sysfs_addr(dir, s, "pri-radius-server", ini->radius[0]);
			sysfs_addr(dir, s, "sec-radius-server", ini->radius[1]);
		} else if (!strncmp(s, "ethernet", 8) && out->nnics < IBFT_MAX_NICS) {
			struct ibft_nic *n = &out->nic[out->nnics++];
			unsigned m[6];

			n->index = (uint8_t)sysfs_uint(dir, s, "index");
			n->flags = (uint8_t)sysfs_uint(dir, s, "flags");
			sysfs_addr(dir, s, "ip-addr", n->ip);
			n->prefix = (uint8_t)sysfs_uint(dir, s, "prefix-len");
			n->origin = (uint8_t)sysfs_uint(dir, s, "origin");
			sysfs_addr(dir, s, "gateway", n->gateway);
			sysfs_addr(dir, s, "primary-dns", n->dns[0]);
			sysfs_addr(dir, s, "secondary-dns", n->dns[1]);
			sysfs_addr(dir, s, "dhcp", n->dhcp);
			n->vlan = (uint16_t)sysfs_uint(dir, s, "vlan");
			sysfs_read(dir, s, "hostname", n->hostname, sizeof(n->hostname));
			if (sysfs_read(dir, s, "mac", v, sizeof(v)) == 0 &&
			    sscanf(v, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
				   &m[4], &m[5]) == 6)
				for (int i = 0; i < 6; i++)
					n->mac[i] = (uint8_t)m[i];
		} else if (!strncmp(s, "target", 6) && out->ntargets < IBFT_MAX_TARGETS) {
			struct ibft_target *t = &out->target[out->ntargets++];

			t->index = (uint8_t)sysfs_uint(dir, s, "index");
			t->flags = (uint8_t)sysfs_uint(dir, s, "flags");
			sysfs_addr(dir, s, "ip-addr", t->ip);
			t->port = (uint16_t)sysfs_uint(dir, s, "port");
			unsigned chap = sysfs_uint(dir, s, "chap-type");

			/* the kernel shows the table's byte as it is */
			if (chap > IBFT_CHAP_MUTUAL) {
				/* s lives in d's buffer: word the error before closedir() */
				int rc = sr_fail(err, EINVAL, "%s/%s/chap-type: unknown CHAP type %u",
						 dir, s, chap);

				closedir(d);
				return rc;
			}
			t->chap_type = (uint8_t)chap;
			t->nic = (uint8_t)sysfs_uint(dir, s, "nic-assoc");
			sysfs_read(dir, s, "target-name", t->name, sizeof(t->name));
			sysfs_read(dir, s, "chap-name", t->chap_name, sizeof(t->chap_name));
			sysfs_read(dir, s, "chap-secret", t->chap_secret, sizeof(t->chap_secret));
			sysfs_read(dir, s, "rev-chap-name", t->rchap_name, sizeof(t->rchap_name));
			/* the kernel's name (drivers/scsi/iscsi_boot_sysfs.c), odd as it is */
			sysfs_read(dir, s, "rev-chap-name-secret", t->rchap_secret,
				   sizeof(t->rchap_secret));
			if (sysfs_read(dir, s, "lun", v, sizeof(v)) == 0) {
				if (sysfs_lun(v, t->lun_raw) < 0) {
					int rc = sr_fail(err, EINVAL, "%s/%s/lun: cannot decode '%s'",
							 dir, s, v);

					closedir(d);
					return rc;
				}
				int64_t lun = ibft_lun_decode(t->lun_raw);
				t->lun = lun < 0 ? 0 : (uint64_t)lun;
			}
		}
	}
	closedir(d);
	if (!out->initiator.present && out->nnics == 0 && out->ntargets == 0)
		return -ENOENT;
	return 0;
}

int ibft_load_system(const char *root, struct ibft *out, const char **from,
		     struct sr_error *err)
{
	static char where[PATH_MAX + 32];
	static const char *acpi[] = { "iBFT", "IBFT", "BIFT" };
	char path[PATH_MAX];
	int rc;

	for (size_t i = 0; i < sizeof(acpi) / sizeof(acpi[0]); i++) {
		snprintf(path, sizeof(path), "%s/sys/firmware/acpi/tables/%s", root, acpi[i]);
		if (access(path, R_OK) == 0) {
			snprintf(where, sizeof(where), "ACPI table %s", path);
			*from = where;
			return ibft_load_file(path, out, err);
		}
	}

	snprintf(path, sizeof(path), "%s/dev/mem", root);
	rc = load_devmem(path, out, err);
	if (rc == 0) {
		snprintf(where, sizeof(where), "low memory (%s)", path);
		*from = where;
		return 0;
	}
	if (rc != -ENOENT && rc != -EACCES && rc != -EPERM && rc != -ENXIO &&
	    rc != -EFAULT && rc != -EINVAL)
		return rc;

	snprintf(path, sizeof(path), "%s/sys/firmware/ibft", root);
	rc = ibft_load_sysfs(path, out, err);
	if (rc == 0) {
		snprintf(where, sizeof(where), "%s", path);
		*from = where;
		return 0;
	}
	return -ENOENT;
}
