// SPDX-License-Identifier: GPL-2.0-only
/* Filling struct sr_error. */
#include <errno.h>
#include <stdio.h>

#include "core/error.h"

static int vfail(struct sr_error *err, int code, enum sr_reason why, const char *fmt, va_list ap)
{
	if (code > 0)
		code = -code;
	if (err) {
		err->code = code;
		err->reason = why;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return code;
}

int sr_fail(struct sr_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(err, code, SR_R_NONE, fmt, ap);
	va_end(ap);
	return rc;
}

int sr_fail_why(struct sr_error *err, int code, enum sr_reason why, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(err, code, why, fmt, ap);
	va_end(ap);
	return rc;
}
