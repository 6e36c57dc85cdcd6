// SPDX-License-Identifier: GPL-2.0-only
/* Filling struct sr_error. */
#include <errno.h>
#include <stdio.h>

#include "core/error.h"

int sr_fail_why(struct sr_error *err, int code, enum sr_reason why, const char *fmt, ...)
{
	va_list ap;

	if (code > 0)
		code = -code;
	if (err) {
		err->code = code;
		err->reason = why;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}
