// SPDX-License-Identifier: GPL-2.0-only
/* The plan-source options of every sanroot tool, and loading the plan they describe. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "plan/plan_blob.h"
#include "plan_opts.h"
#include "tool.h"

bool plan_opt(struct plan_load_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_PLAN_CMDLINE: o->cmdline = arg; return true;
	case OPT_PLAN_CMDLINE_FILE: o->cmdline_file = arg; return true;
	case OPT_PLAN_CONF: o->conf = arg; return true;
	case OPT_PLAN_IBFT_FILE: o->ibft_file = arg; return true;
	case OPT_PLAN_NO_IBFT: o->no_ibft = true; return true;
	case OPT_PLAN_SYSROOT: o->sysroot = arg; return true;
	default: return false;
	}
}

/* The plan whose secrets are wiped at exit (one per program). */
static struct plan *held;

static void wipe_held(void)
{
	if (held)
		plan_wipe_secrets(held);
}

/*
 * The plan sanroot-boot resolved, from the descriptor it named (SANROOT_PLAN_FD):
 * 1 when *p holds it, 0 when there is none or it is unusable (then said,
 * and the sources are read as if it had not been there).
 */
static int plan_from_parent(struct plan *p)
{
	const char *v = getenv("SANROOT_PLAN_FD");
	struct sr_error err = { 0 };
	size_t size = plan_blob_size(), got = 0;
	unsigned char *buf;
	char *end;
	long fd;
	int rc = 0;

	if (!v)
		return 0;
	unsetenv("SANROOT_PLAN_FD");	/* ours alone: not for what we run */
	fd = strtol(v, &end, 10);
	if (!*v || *end || fd < 3 || fd > 1023 || fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) {
		log_warn("SANROOT_PLAN_FD=%s names no descriptor; reading the plan's sources", v);
		return 0;
	}
	if (!(buf = malloc(size + 1))) {
		close((int)fd);
		return 0;
	}
	/* one byte more than a plan: a longer one is not a plan */
	while (got < size + 1) {
		ssize_t n = pread((int)fd, buf + got, size + 1 - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close((int)fd);
	if (plan_blob_decode(buf, got, p, &err) == 0)
		rc = 1;
	else
		log_warn("the plan sanroot-boot handed over is unusable (%s); reading its sources", err.msg);
	explicit_bzero(buf, size + 1);
	free(buf);
	return rc;
}

int tool_plan_share(const struct plan *p, struct sr_error *err)
{
	size_t size = plan_blob_size();
	unsigned char *buf;
	int fd;

	fd = memfd_create("sanroot-plan", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return sr_fail(err, errno, "memfd_create: %s", strerror(errno));
	if (!(buf = malloc(size))) {
		close(fd);
		return sr_fail(err, ENOMEM, "out of memory");
	}
	plan_blob_encode(p, buf);
	for (size_t off = 0; off < size;) {
		ssize_t n = pwrite(fd, buf + off, size - off, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			explicit_bzero(buf, size);
			free(buf);
			close(fd);
			return sr_fail(err, e, "writing the plan: %s", strerror(e));
		}
		off += (size_t)n;
	}
	explicit_bzero(buf, size);
	free(buf);
	/* what the tools read is what we wrote: no one writes it again */
	(void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	return fd;
}

int tool_plan_load(struct plan_load_opts *o, struct plan *p, bool secrets, struct sr_error *err)
{
	static bool registered;

	if (o->cmdline && o->cmdline_file)
		tool_usage_error("--cmdline and --cmdline-file exclude each other");
	if (o->ibft_file && o->no_ibft)
		tool_usage_error("--ibft-file and --no-ibft exclude each other");
	o->secrets = secrets;
	if (secrets) {
		held = p;
		if (!registered)
			atexit(wipe_held);
		registered = true;
	}
	if (plan_from_parent(p)) {
		if (!secrets)
			plan_wipe_secrets(p);
		return 0;
	}
	return plan_load(o, p, err);
}

void plan_opts_argv(const struct plan_load_opts *o, char **argv, int *n)
{
	if (o->cmdline) {
		argv[(*n)++] = "--cmdline";
		argv[(*n)++] = (char *)o->cmdline;
	} else if (o->cmdline_file) {
		argv[(*n)++] = "--cmdline-file";
		argv[(*n)++] = (char *)o->cmdline_file;
	}
	if (o->conf) {
		argv[(*n)++] = "--conf";
		argv[(*n)++] = (char *)o->conf;
	}
	if (o->ibft_file) {
		argv[(*n)++] = "--ibft-file";
		argv[(*n)++] = (char *)o->ibft_file;
	}
	if (o->no_ibft)
		argv[(*n)++] = "--no-ibft";
	if (o->sysroot) {
		argv[(*n)++] = "--sysroot";
		argv[(*n)++] = (char *)o->sysroot;
	}
}
