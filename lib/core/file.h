/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading a small file (a command line, a config, a lease) whole, with a bound. */
#ifndef SANROOT_CORE_FILE_H
#define SANROOT_CORE_FILE_H

#include <stddef.h>

/*
 * Read path (at most max bytes) into a new NUL-terminated buffer. -EFBIG
 * when the file is longer, else -errno. The caller frees *out (and wipes it
 * first when it may hold secrets).
 */
int file_read(const char *path, size_t max, char **out, size_t *len);

#endif
