/* SPDX-License-Identifier: GPL-2.0-only */
/* How lib/ reports a failure: an errno-style code plus one line naming the cause. */
#ifndef SANROOT_ERROR_H
#define SANROOT_ERROR_H

#include <stdarg.h>

#include "core/reason.h"

/*
 * lib/ never prints. A function that fails returns a negative errno and, when
 * given one, fills a struct sr_error with a single line (no trailing newline,
 * no secrets) that the program puts after "prog: unable to X: ".
 */
struct sr_error {
	int code;
	enum sr_reason reason;	/* SR_R_NONE unless the failure has a known cause */
	char msg[256];
};

__attribute__((format(printf, 3, 4)))
int sr_fail(struct sr_error *err, int code, const char *fmt, ...);

/* sr_fail() with a reason an operator can act on (core/reason.h). */
__attribute__((format(printf, 4, 5)))
int sr_fail_why(struct sr_error *err, int code, enum sr_reason why, const char *fmt, ...);

#endif
