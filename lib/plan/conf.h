/* SPDX-License-Identifier: GPL-2.0-only */
/* Config files of the boot plan: /etc/sanroot.conf and open-iscsi's iscsi.initramfs. */
#ifndef SANROOT_CONF_H
#define SANROOT_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Called once per setting found; a negative return stops the parse with it. */
typedef int (*conf_emit_fn)(void *ctx, const char *key, size_t keylen,
			    const char *val, size_t vallen, bool has_val,
			    unsigned line, unsigned col);

/*
 * sanroot.conf: kernel command line parameters, any number per line, with
 * the kernel's quoting; '#' at the start of a word comments out the rest of
 * the line.
 */
int conf_parse_sanroot(const char *text, size_t len, conf_emit_fn emit, void *ctx,
		       struct sr_error *err);

/*
 * Shell variable assignments, as open-iscsi's iscsi.initramfs and klibc's
 * /run/net-IFACE.conf hold them: NAME=value lines with an optional "export".
 * Values may be bare words, '...' or "..." (with \" \\ \$ \` escapes).
 * Nothing is expanded or executed: an unquoted or double-quoted $ or ` is an
 * error, as is any other shell construct. Emitted keys are the variable names.
 */
int conf_parse_assignments(const char *text, size_t len, conf_emit_fn emit,
			   void *ctx, struct sr_error *err);

#endif
