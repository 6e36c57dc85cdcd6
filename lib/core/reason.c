// SPDX-License-Identifier: GPL-2.0-only
/* The names of the failure reasons (core/reason.h). */
#include <string.h>

#include "core/reason.h"

#define SR_REASON_NAME(id, name) [SR_R_##id] = name,
static const char *const names[SR_R_MAX] = { SR_REASONS(SR_REASON_NAME) };

const char *sr_reason_name(enum sr_reason r)
{
	return (unsigned)r < SR_R_MAX ? names[r] : names[SR_R_NONE];
}

enum sr_reason sr_reason_parse(const char *s)
{
	for (unsigned i = 0; i < SR_R_MAX; i++)
		if (!strcmp(s, names[i]))
			return (enum sr_reason)i;
	return SR_R_NONE;
}
