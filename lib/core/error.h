/* SPDX-License-Identifier: GPL-2.0-only */
/* How lib/ reports a failure: an errno-style code plus one line naming the cause. */
#ifndef SANROOT_ERROR_H
#define SANROOT_ERROR_H

#include <stdarg.h>

/*
 * lib/ never prints. A function that fails returns a negative errno and, when
 * given one, fills a struct sr_error with a single line (no trailing newline,
 * no secrets) that the program puts after "prog: unable to X: ".
 */
struct sr_error {
	int code;
	char msg[256];
};

__attribute__((format(printf, 3, 4)))
int sr_fail(struct sr_error *err, int code, const char *fmt, ...);

#endif
