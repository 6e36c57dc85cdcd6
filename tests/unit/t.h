/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal test harness: each case prints "ok NAME" or "not ok NAME: where",
 * and tests/run counts the lines. A case stops at its first failed check.
 */
#ifndef SANROOT_T_H
#define SANROOT_T_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_case_failed;
static int t_total_failed;
static char t_why[512];

#define T_FAIL(...) do { \
	snprintf(t_why, sizeof(t_why), __VA_ARGS__); \
	t_case_failed = 1; \
	return; \
} while (0)

#define CHECK(cond) do { \
	if (!(cond)) \
		T_FAIL("%s:%d: %s", __FILE__, __LINE__, #cond); \
} while (0)

#define CHECK_INT(a, b) do { \
	long long t_a = (long long)(a), t_b = (long long)(b); \
	if (t_a != t_b) \
		T_FAIL("%s:%d: %s is %lld, expected %lld", __FILE__, __LINE__, #a, t_a, t_b); \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *t_a = (a), *t_b = (b); \
	if (strcmp(t_a, t_b)) \
		T_FAIL("%s:%d: %s is \"%s\", expected \"%s\"", __FILE__, __LINE__, #a, t_a, t_b); \
} while (0)

#define CHECK_MEM(a, b, n) do { \
	if (memcmp((a), (b), (n))) \
		T_FAIL("%s:%d: %s differs from %s", __FILE__, __LINE__, #a, #b); \
} while (0)

static inline void t_run(const char *name, void (*fn)(void))
{
	t_case_failed = 0;
	t_why[0] = '\0';
	fn();
	if (t_case_failed) {
		printf("not ok %s: %s\n", name, t_why);
		t_total_failed++;
	} else {
		printf("ok %s\n", name);
	}
	fflush(stdout);
}

/* For table-driven cases: report one row. */
static inline void t_row(const char *suite, const char *rawrow, int failed, const char *why)
{
	char row[160];
	size_t o = 0;

	/* One line per case, whatever the row's text holds. */
	for (; *rawrow && o + 5 < sizeof(row); rawrow++) {
		unsigned char c = (unsigned char)*rawrow;

		if (c >= 0x20 && c < 0x7f)
			row[o++] = (char)c;
		else
			o += (size_t)snprintf(row + o, sizeof(row) - o, "\\x%02x", c);
	}
	row[o] = '\0';
	if (failed) {
		printf("not ok %s: %s: %s\n", suite, row, why);
		t_total_failed++;
	} else {
		printf("ok %s: %s\n", suite, row);
	}
	fflush(stdout);
}

#define RUN(fn) t_run(#fn, fn)
#define T_EXIT() return t_total_failed ? 1 : 0

#endif
