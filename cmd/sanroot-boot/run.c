// SPDX-License-Identifier: GPL-2.0-only
/* Running one sanroot tool for sanroot-boot: stderr passed through and remembered, a deadline. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tool.h"
#include "boot.h"

void run_result_free(struct run_result *r)
{
	free(r->out);
	r->out = NULL;
}

/* A complete stderr line: show it, and keep it without the "tool: " prefix. */
static void take_line(struct run_result *r, const char *line)
{
	const char *colon = strstr(line, ": ");

	fprintf(stderr, "%s\n", line);
	snprintf(r->notice, sizeof(r->notice), "%s", r->last);
	snprintf(r->last, sizeof(r->last), "%s", colon && strncmp(line, "sanroot", 7) == 0 ?
		 colon + 2 : line);
}

static int plan_fd = -1;

void run_set_plan_fd(int fd)
{
	if (plan_fd >= 0)
		close(plan_fd);
	plan_fd = fd;
}

/*
 * A descriptor for the tool (the pipe it tells why it failed on, the plan):
 * a copy above the standard ones, without close-on-exec, its number in the
 * environment variable name.
 */
static void pass_fd(int fd, const char *name)
{
	char num[16];
	int copy = fcntl(fd, F_DUPFD, 3);

	if (copy < 0)
		return;
	snprintf(num, sizeof(num), "%d", copy);
	setenv(name, num, 1);
}

/* The first line the tool wrote there, if it wrote one. */
static enum sr_reason take_reason(int fd)
{
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	char *nl;

	if (n <= 0)
		return SR_R_NONE;
	buf[n] = '\0';
	if ((nl = strchr(buf, '\n')))
		*nl = '\0';
	return sr_reason_parse(buf);
}

static void exec_tool(const char *bindir, char *const argv[])
{
	char path[4096];

	if (bindir) {
		snprintf(path, sizeof(path), "%s/%s", bindir, argv[0]);
		execv(path, argv);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "%s: cannot run it: %s\n", argv[0], strerror(errno));
	_exit(127);
}

void run_tool(const char *bindir, char *const argv[], double deadline, struct run_result *r)
{
	int errp[2], outp[2], whyp[2];
	char ebuf[RUN_LINE_MAX], obuf[4096];
	size_t elen = 0, olen = 0, ocap = 0;
	double start = monotonic_s();
	bool exited = false, termed = false;
	int status = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (pipe2(errp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0 ||
	    pipe2(whyp, O_CLOEXEC | O_NONBLOCK) < 0) {
		snprintf(r->last, sizeof(r->last), "cannot run %s: %s", argv[0], strerror(errno));
		return;
	}
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(r->last, sizeof(r->last), "cannot run %s: %s", argv[0], strerror(errno));
		return;
	}
	if (pid == 0) {
		/* what the tool writes to stderr, we show: its kmsg copy follows ours */
		const char *kmsg = tool_kmsg_env();

		if (kmsg)
			setenv("SANROOT_KMSG", kmsg, 1);
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		pass_fd(whyp[1], "SANROOT_REASON_FD");
		if (plan_fd >= 0)
			pass_fd(plan_fd, "SANROOT_PLAN_FD");
		exec_tool(bindir, argv);
	}
	close(errp[1]);
	close(outp[1]);
	close(whyp[1]);

	/*
	 * Read until the tool exits, not until EOF: a daemon it leaves behind
	 * (the session keeper) may hold the pipes open.
	 */
	struct pollfd pfd[2] = { { .fd = errp[0], .events = POLLIN }, { .fd = outp[0], .events = POLLIN } };
	for (;;) {
		double left = deadline - monotonic_s();
		int wait_ms = exited ? 0 : left > 0.2 ? 200 : left > 0 ? (int)(left * 1000) + 1 : 0;
		int n = poll(pfd, 2, wait_ms);

		if (n > 0 && (pfd[0].revents & (POLLIN | POLLHUP))) {
			ssize_t got = read(errp[0], ebuf + elen, sizeof(ebuf) - 1 - elen);

			if (got <= 0) {
				pfd[0].fd = -1;
			} else {
				elen += (size_t)got;
				char *nl;
				while ((nl = memchr(ebuf, '\n', elen))) {
					*nl = '\0';
					take_line(r, ebuf);
					elen -= (size_t)(nl + 1 - ebuf);
					memmove(ebuf, nl + 1, elen);
				}
				if (elen == sizeof(ebuf) - 1) {	/* an overlong line: cut it */
					ebuf[elen] = '\0';
					take_line(r, ebuf);
					elen = 0;
				}
			}
		}
		if (n > 0 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			ssize_t got = read(outp[0], obuf, sizeof(obuf));

			if (got <= 0) {
				pfd[1].fd = -1;
			} else if (olen + (size_t)got < 1024 * 1024) {
				if (olen + (size_t)got + 1 > ocap) {
					char *o = realloc(r->out, ocap = (olen + (size_t)got + 1) * 2);

					if (!o)
						break;
					r->out = o;
				}
				memcpy(r->out + olen, obuf, (size_t)got);
				olen += (size_t)got;
				r->out[olen] = '\0';
			}
		}
		if (exited && n <= 0)
			break;	/* the tool is gone and nothing more is waiting */
		if ((pfd[0].fd < 0 && pfd[1].fd < 0) && exited)
			break;
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = true;
		if (!exited && monotonic_s() >= deadline) {
			kill(pid, termed ? SIGKILL : SIGTERM);
			if (termed) {
				waitpid(pid, &status, 0);
				snprintf(r->last, sizeof(r->last), "%s did not finish before the deadline",
					 argv[0]);
				r->status = -1;
				goto out;
			}
			termed = true;
			deadline = monotonic_s() + 2;
		}
		if (pfd[0].fd < 0 && pfd[1].fd < 0 && !exited) {
			waitpid(pid, &status, 0);
			exited = true;
		}
	}
	if (elen) {
		ebuf[elen] = '\0';
		take_line(r, ebuf);
	}
	if (termed && WIFSIGNALED(status)) {
		snprintf(r->last, sizeof(r->last), "%s did not finish before the deadline", argv[0]);
		r->status = -1;
	} else {
		r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	if (r->status != 0)
		r->reason = take_reason(whyp[0]);
out:
	close(errp[0]);
	close(outp[0]);
	close(whyp[0]);
	r->secs = monotonic_s() - start;
}
