/* SPDX-License-Identifier: GPL-2.0-only */
/* What every sanroot tool shares: its name, exit codes, and one-line messages. */
#ifndef SANROOT_TOOL_H
#define SANROOT_TOOL_H

#include <stdbool.h>

#include "core/reason.h"

#define EXIT_USAGE 100	/* bad usage: the caller should fix the command */
#define EXIT_FAIL  111	/* a system or peer failure: retrying may help */

#define SANROOT_VERSION "0.1.0"

enum tool_level { TL_ERR = 3, TL_WARN = 4, TL_NOTICE = 5, TL_INFO = 6, TL_DEBUG = 7 };

extern const char *tool_name;
extern const char *tool_command;	/* for "Try 'CMD --help'." when not tool_name */
extern int tool_verbosity;	/* 0: errors, warnings and notices; 1: info; 2: debug */

/*
 * Set the name messages carry. Inside an initramfs (or with SANROOT_KMSG=1)
 * messages also go to /dev/kmsg, so they reach the console and dmesg; at
 * debug level (dmesg only) when stderr reaches the console by itself: a
 * terminal, a stream to systemd's journal (a dracut unit's journal+console),
 * or SANROOT_KMSG=shown.
 */
void tool_init(const char *name);

/* Send messages to /dev/kmsg from now on, also outside an initramfs (daemons). */
void tool_log_kmsg(void);

/* A daemon's stderr went to /dev/null: the kmsg copy is the one shown. */
void tool_log_detached(void);

/*
 * What SANROOT_KMSG a tool we run, whose stderr we read and show as ours,
 * should get: NULL if we write no kmsg, "shown" if our stderr reaches the
 * console, else "1".
 */
const char *tool_kmsg_env(void);

/*
 * Name a daemon: its comm (prctl) and its /proc/PID/cmdline, words being
 * len bytes of NUL-separated words with the final NUL. A first word that
 * starts with '@' is systemd's mark of a root-storage daemon, which neither
 * the initrd's switch-root nor the shutdown kills. argc/argv: the process's
 * own arguments, overwritten when the kernel refuses to point the command
 * line at new memory.
 */
void tool_set_cmdline(const char *comm, const char *words, size_t len, int argc, char **argv);

__attribute__((format(printf, 2, 3)))
void tool_log(enum tool_level level, const char *fmt, ...);

/* "prog: fmt" and "Try 'prog --help'.", exit 100. */
__attribute__((format(printf, 1, 2), noreturn))
void tool_usage_error(const char *fmt, ...);

/* "prog: fmt", exit 111. */
__attribute__((format(printf, 1, 2), noreturn))
void tool_fail(const char *fmt, ...);

/*
 * tool_fail() that also tells sanroot-boot why (usually err.reason of the
 * struct sr_error whose message fmt prints): written as the reason's name to
 * the descriptor that SANROOT_REASON_FD names, when there is one.
 */
__attribute__((format(printf, 2, 3), noreturn))
void tool_fail_why(enum sr_reason why, const char *fmt, ...);

#define log_err(...)    tool_log(TL_ERR, __VA_ARGS__)
#define log_warn(...)   tool_log(TL_WARN, __VA_ARGS__)
#define log_notice(...) tool_log(TL_NOTICE, __VA_ARGS__)
#define log_info(...)   tool_log(TL_INFO, __VA_ARGS__)
#define log_debug(...)  tool_log(TL_DEBUG, __VA_ARGS__)

#endif
