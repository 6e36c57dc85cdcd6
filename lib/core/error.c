// SPDX-License-Identifier: GPL-2.0-only
/* Filling struct sr_error. */
#include <errno.h>
#include <stdio.h>

#include "core/error.h"

int sr_fail(struct sr_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (code > 0)
		code = -code;
	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}
