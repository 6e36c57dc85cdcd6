/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pauses between retries with jitter ("equal jitter": a uniform draw from the
 * upper half of an exponential ceiling), from a generator seeded per process,
 * so that machines of a rack started together do not retry in lockstep.
 */
#ifndef SANROOT_CORE_BACKOFF_H
#define SANROOT_CORE_BACKOFF_H

#include <stdint.h>

#define BACKOFF_ROOM_MS 100	/* what a pause leaves, at least, for the attempt after it */

/*
 * A seed for backoff_pause(), different in every process: getrandom()
 * without waiting for the kernel's pool (early in boot it may not be
 * ready, and nothing here is secret), else the PID and the clocks.
 */
uint64_t backoff_seed(void);

/* The next of *state's numbers (splitmix64), uniform in [0, 2^64). */
uint64_t backoff_random(uint64_t *state);

/* A pause uniform in [ceiling/2, ceiling], for a loop with no deadline. */
int64_t backoff_jitter(uint64_t *state, int64_t ceiling);

/*
 * The pause before the next attempt, at time now, for a ceiling that the
 * caller doubles after each failure (pure, but for *state): uniform in
 * [ceiling/2, ceiling], the ceiling first cut to what leaves the attempt
 * after the pause BACKOFF_ROOM_MS before the deadline. -1 when less than
 * twice BACKOFF_ROOM_MS is left: no further attempt.
 */
int64_t backoff_pause(uint64_t *state, int64_t ceiling, int64_t now, int64_t deadline);

#endif
