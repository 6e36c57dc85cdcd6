// SPDX-License-Identifier: GPL-2.0-only
/* Messages and exit codes shared by the sanroot tools. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <unistd.h>

#include "tool.h"

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

const char *tool_name = "sanroot";
const char *tool_command;
int tool_verbosity;
static int kmsg_fd = -1;
static bool stderr_shown;	/* stderr reaches the console by itself */
static int reason_fd = -1;

static bool in_initramfs(void)
{
	struct statfs fs;

	if (statfs("/", &fs) < 0)
		return false;
	return ((unsigned long)fs.f_type == RAMFS_MAGIC || (unsigned long)fs.f_type == TMPFS_MAGIC) &&
	       access("/init", F_OK) == 0;
}

/*
 * stderr is a stream to systemd's journal: its peer is the journal's stream
 * socket. In an initrd that is a dracut unit's StandardError=journal+console
 * (the initqueue, the command-line hooks), and the journal shows what we
 * write on the console. JOURNAL_STREAM would name the stream, but a dracut
 * initqueue job inherits the one of the unit's stdout, not its stderr.
 */
static bool stderr_is_journal(void)
{
	static const char path[] = "/run/systemd/journal/stdout";
	struct sockaddr_un a;
	socklen_t len = sizeof(a);

	if (getpeername(2, (struct sockaddr *)&a, &len) < 0 || a.sun_family != AF_UNIX ||
	    len < offsetof(struct sockaddr_un, sun_path) + sizeof(path) - 1)
		return false;
	return strncmp(a.sun_path, path, sizeof(a.sun_path)) == 0;
}

void tool_init(const char *name)
{
	const char *k = getenv("SANROOT_KMSG");
	const char *r = getenv("SANROOT_REASON_FD");

	tool_name = name;
	if ((k && (!strcmp(k, "1") || !strcmp(k, "shown"))) || (!k && in_initramfs()))
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	stderr_shown = isatty(2) || stderr_is_journal() || (k && !strcmp(k, "shown"));
	/* Ours alone: neither what we exec nor what we fork and keep running inherits it. */
	if (r) {
		char *end;
		long fd = strtol(r, &end, 10);

		if (*r && !*end && fd > 2 && fd < 1024 && fcntl((int)fd, F_SETFD, FD_CLOEXEC) == 0)
			reason_fd = (int)fd;
		unsetenv("SANROOT_REASON_FD");
	}
}

void tool_log_kmsg(void)
{
	if (kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
}

void tool_log_detached(void)
{
	stderr_shown = false;
}

const char *tool_kmsg_env(void)
{
	return kmsg_fd < 0 ? NULL : stderr_shown ? "shown" : "1";
}

static void vlog(enum tool_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	/* One line per message, whatever the text holds. */
	for (int i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	fprintf(stderr, "%s: %s\n", tool_name, line);
	/*
	 * When stderr reaches the console already (a terminal, the journal of a
	 * journal+console unit, or a parent that shows what we write), the
	 * kernel's copy goes in at debug level: kept in dmesg, not printed on
	 * the console a second time, whatever the console's log level. Each
	 * write(2) to /dev/kmsg is one record, so the record goes in one write:
	 * a newline written on its own would be a second, empty record.
	 */
	if (kmsg_fd >= 0) {
		char rec[1100];
		int len = snprintf(rec, sizeof(rec), "<%d>%s: %s", stderr_shown ? TL_DEBUG : level,
				   tool_name, line);

		if (len > 0 && (size_t)len >= sizeof(rec))
			len = sizeof(rec) - 1;
		if (len > 0)
			(void)!write(kmsg_fd, rec, (size_t)len);
	}
}

void tool_log(enum tool_level level, const char *fmt, ...)
{
	va_list ap;

	if ((level == TL_INFO && tool_verbosity < 1) || (level == TL_DEBUG && tool_verbosity < 2))
		return;
	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void tool_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(TL_ERR, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", tool_command ? tool_command : tool_name);
	exit(EXIT_USAGE);
}

__attribute__((noreturn))
static void vfail(enum sr_reason why, const char *fmt, va_list ap)
{
	vlog(TL_ERR, fmt, ap);
	if (reason_fd >= 0 && why != SR_R_NONE)
		dprintf(reason_fd, "%s\n", sr_reason_name(why));
	exit(EXIT_FAIL);
}

void tool_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(SR_R_NONE, fmt, ap);
}

void tool_fail_why(enum sr_reason why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(why, fmt, ap);
}

void tool_set_cmdline(const char *comm, const char *words, size_t len, int argc, char **argv)
{
	char *start, *end, *page;

	prctl(PR_SET_NAME, comm, 0, 0, 0);
	/*
	 * The kernel may point the command line at our own words (CAP_SYS_RESOURCE);
	 * it reads them only from anonymous memory.
	 */
	page = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page != MAP_FAILED) {
		memcpy(page, words, len);
		if (prctl(PR_SET_MM, PR_SET_MM_ARG_START, (unsigned long)page, 0, 0) == 0 &&
		    prctl(PR_SET_MM, PR_SET_MM_ARG_END, (unsigned long)(page + len), 0, 0) == 0)
			return;
		munmap(page, len);
	}
	/* ... else they go over the arguments we were given, where they lie. */
	if (!argv || argc < 1)
		return;
	start = argv[0];
	end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
	memset(start, 0, (size_t)(end - start));
	memcpy(start, words, (size_t)(end - start) < len ? (size_t)(end - start) - 1 : len);
}
