// SPDX-License-Identifier: GPL-2.0-only
/* Retry pauses with jitter, seeded per process (see backoff.h). */
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "core/backoff.h"

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004
#endif

uint64_t backoff_seed(void)
{
	struct timespec a, b;
	uint64_t x;

	if (getrandom(&x, sizeof(x), GRND_INSECURE) == (ssize_t)sizeof(x) ||
	    getrandom(&x, sizeof(x), GRND_NONBLOCK) == (ssize_t)sizeof(x))
		return x;
	clock_gettime(CLOCK_REALTIME, &a);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (uint64_t)a.tv_nsec ^ (uint64_t)a.tv_sec << 32 ^ (uint64_t)b.tv_nsec << 13 ^
	       (uint64_t)getpid() << 40;
}

uint64_t backoff_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t uniform(uint64_t *state, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(backoff_random(state) % (uint64_t)(hi - lo + 1));
}

int64_t backoff_jitter(uint64_t *state, int64_t ceiling)
{
	return ceiling > 0 ? uniform(state, ceiling / 2, ceiling) : 0;
}

int64_t backoff_pause(uint64_t *state, int64_t ceiling, int64_t now, int64_t deadline)
{
	int64_t room = deadline - now - BACKOFF_ROOM_MS;
	int64_t hi = ceiling > 0 ? ceiling : 0;

	/* Near the deadline the draws halve what is left: a few tries, not a spin. */
	if (room < BACKOFF_ROOM_MS)
		return -1;
	if (hi > room)
		hi = room;
	return uniform(state, hi / 2, hi);
}
