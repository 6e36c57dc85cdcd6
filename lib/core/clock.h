/* SPDX-License-Identifier: GPL-2.0-only */
/* The one clock deadlines are measured on: CLOCK_MONOTONIC, in milliseconds. */
#ifndef SANROOT_CORE_CLOCK_H
#define SANROOT_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds on CLOCK_MONOTONIC: never steps, and counts from boot on Linux. */
static inline int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The same clock in seconds, for durations shown to people. */
static inline double monotonic_s(void)
{
	return (double)monotonic_ms() / 1e3;
}

#endif
