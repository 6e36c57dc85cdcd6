// SPDX-License-Identifier: GPL-2.0-only
/* Paths grouped by WWID, and the dm-multipath table multipath-tools' defaults give them. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpath/mpath.h"

/* A sysfs attribute into buf, NUL-terminated, the trailing newline dropped; its length or -errno. */
static ssize_t attr(const char *sysfs, const char *name, const char *what, char *buf, size_t size)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/block/%s/%s", sysfs, name, what);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

/* INQUIRY's fixed-width field as scsi_id hands it over: the sysfs text, space-padded to width. */
static void padded(const char *s, uint8_t *out, size_t width)
{
	size_t n = strlen(s);

	memset(out, ' ', width);
	memcpy(out, s, n < width ? n : width);
}

int mpath_wwid(const char *sysfs, const char *name, char out[SCSI_WWID_MAX], struct sr_error *err)
{
	uint8_t page[1024], vendor[8], product[16];
	char text[64];
	struct scsi_devid id;
	ssize_t n;
	int rc;

	n = attr(sysfs, name, "device/vpd_pg83", (char *)page, sizeof(page));
	if (n < 0)
		return sr_fail(err, (int)-n, "%s: no Device Identification page in sysfs: %s", name,
			       strerror((int)-n));
	if ((rc = scsi_parse_devid(page, (size_t)n, &id, err)) < 0)
		return rc;
	if (attr(sysfs, name, "device/vendor", text, sizeof(text)) < 0)
		text[0] = '\0';
	padded(text, vendor, sizeof(vendor));
	if (attr(sysfs, name, "device/model", text, sizeof(text)) < 0)
		text[0] = '\0';
	padded(text, product, sizeof(product));
	if ((rc = scsi_wwid_udev(&id, vendor, product, out)) < 0)
		return sr_fail(err, -rc, "%s: its Device Identification page names no logical unit", name);
	return 0;
}

static int path_info(const char *sysfs, const char *name, struct mpath_path *p, uint64_t *sectors,
		     char *handler, size_t hsize, struct sr_error *err)
{
	char text[64];

	snprintf(p->name, sizeof(p->name), "%s", name);
	if (attr(sysfs, name, "dev", text, sizeof(text)) < 0 ||
	    sscanf(text, "%u:%u", &p->major, &p->minor) != 2)
		return sr_fail(err, ENOENT, "%s: no device numbers in sysfs", name);
	if (attr(sysfs, name, "size", text, sizeof(text)) < 0 ||
	    sscanf(text, "%" SCNu64, sectors) != 1)
		return sr_fail(err, ENOENT, "%s: no size in sysfs", name);
	/* "detached" when no handler is attached, absent without scsi_dh */
	if (attr(sysfs, name, "device/dh_state", handler, hsize) < 0 || !strcmp(handler, "detached"))
		handler[0] = '\0';
	return 0;
}

int mpath_group(const char *sysfs, const char *const *names, unsigned n, struct mpath_map *maps,
		unsigned max, struct sr_error *err)
{
	char (*wwid)[SCSI_WWID_MAX] = calloc(n ? n : 1, sizeof(*wwid));
	unsigned nmaps = 0;
	int rc = 0;

	if (!wwid)
		return sr_fail(err, ENOMEM, "out of memory");
	for (unsigned i = 0; i < n; i++) {
		struct sr_error ignored;

		if (mpath_wwid(sysfs, names[i], wwid[i], &ignored) < 0)
			wwid[i][0] = '\0';
	}
	for (unsigned i = 0; i < n && rc == 0; i++) {
		struct mpath_map *m;
		unsigned same = 0;
		bool seen = false;

		if (!wwid[i][0])
			continue;
		for (unsigned k = 0; k < i; k++)
			seen |= !strcmp(wwid[k], wwid[i]);
		for (unsigned k = i; k < n; k++)
			same += !strcmp(wwid[k], wwid[i]);
		if (seen || same < 2)
			continue;
		if (nmaps == max) {
			rc = sr_fail(err, ENOSPC, "more than %u multipath LUNs", max);
			break;
		}
		m = &maps[nmaps++];
		memset(m, 0, sizeof(*m));
		snprintf(m->wwid, sizeof(m->wwid), "%s", wwid[i]);
		for (unsigned k = i; k < n && rc == 0; k++) {
			struct mpath_path *p = &m->path[m->npaths];
			char handler[sizeof(m->handler)];
			uint64_t sectors;

			if (strcmp(wwid[k], wwid[i]))
				continue;
			if (m->npaths == MPATH_PATHS_MAX) {
				rc = sr_fail(err, ENOSPC, "%s: more than %d paths", m->wwid, MPATH_PATHS_MAX);
				break;
			}
			if ((rc = path_info(sysfs, names[k], p, &sectors, handler, sizeof(handler), err)) < 0)
				break;
			if (m->npaths == 0) {
				m->sectors = sectors;
				memcpy(m->handler, handler, sizeof(handler));
			} else if (sectors != m->sectors) {
				rc = sr_fail(err, EINVAL, "%s and %s have the WWID %s but not the same size (%" PRIu64 " and %" PRIu64 " sectors)",
					     m->path[0].name, names[k], m->wwid, m->sectors, sectors);
				break;
			}
			m->npaths++;
		}
	}
	free(wwid);
	return rc < 0 ? rc : (int)nmaps;
}

int mpath_params(const struct mpath_map *m, char *out, size_t size)
{
	size_t o;
	int n;

	n = snprintf(out, size, "1 queue_if_no_path %s%s %u 1", m->handler[0] ? "1 " : "0",
		     m->handler, m->npaths);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	o = (size_t)n;
	for (unsigned i = 0; i < m->npaths; i++) {
		n = snprintf(out + o, size - o, " service-time 0 1 1 %u:%u 1", m->path[i].major,
			     m->path[i].minor);
		if (n < 0 || (size_t)n >= size - o)
			return -ENOSPC;
		o += (size_t)n;
	}
	return (int)o;
}
