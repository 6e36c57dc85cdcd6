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

/*
 * Fill *err (when err is not NULL) and return -code; why is a reason an
 * operator can act on (core/reason.h), or SR_R_NONE: sr_fail().
 */
__attribute__((format(printf, 4, 5)))
int sr_fail_why(struct sr_error *err, int code, enum sr_reason why, const char *fmt, ...);

#define sr_fail(err, code, ...) sr_fail_why(err, code, SR_R_NONE, __VA_ARGS__)

#endif
