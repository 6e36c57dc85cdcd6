// SPDX-License-Identifier: GPL-2.0-only
/* Retry pauses with jitter: their range, the deadline, and machines started together. */
#include <stdbool.h>

#include "core/backoff.h"
#include "t.h"

/* Every pause lies in the upper half of its ceiling while the deadline is far. */
static void range(void)
{
	uint64_t s = 1;

	for (int64_t c = 250; c <= 4000; c *= 2) {
		bool low = false, high = false;

		for (int i = 0; i < 2000; i++) {
			int64_t p = backoff_pause(&s, c, 0, 100000);

			CHECK(p >= c / 2 && p <= c);
			low |= p < c / 2 + c / 8;
			high |= p > c - c / 8;
		}
		CHECK(low && high);	/* the draw covers the range, not one end of it */
	}
	for (int i = 0; i < 1000; i++) {
		int64_t p = backoff_jitter(&s, 1000);

		CHECK(p >= 500 && p <= 1000);
	}
	CHECK_INT(backoff_jitter(&s, 0), 0);
}

/* The deadline bounds the pause, leaves room for one more attempt, and ends the retries. */
static void deadline(void)
{
	uint64_t s = 7;

	for (int i = 0; i < 1000; i++) {
		int64_t p = backoff_pause(&s, 4000, 1000, 1000 + 2600);

		CHECK(p >= 1250 && p <= 2500);	/* the ceiling cut to what leaves 100 ms */
		p = backoff_pause(&s, 250, 1000, 1000 + 300);
		CHECK(p >= 100 && p <= 200);
	}
	for (int i = 0; i < 100; i++) {
		int64_t p = backoff_pause(&s, 250, 1000, 1000 + 2 * BACKOFF_ROOM_MS);

		CHECK(p >= BACKOFF_ROOM_MS / 2 && p <= BACKOFF_ROOM_MS);
	}
	CHECK_INT(backoff_pause(&s, 250, 1000, 1000 + 2 * BACKOFF_ROOM_MS - 1), -1);
	CHECK_INT(backoff_pause(&s, 250, 5000, 1000), -1);
}

/* The same seed gives the same pauses; another seed, others. */
static void seeded(void)
{
	uint64_t a = 42, b = 42, c = 43;
	int same = 0;

	for (int i = 0; i < 100; i++) {
		int64_t pa = backoff_pause(&a, 4000, 0, 100000);

		CHECK_INT(backoff_pause(&b, 4000, 0, 100000), pa);
		same += backoff_pause(&c, 4000, 0, 100000) == pa;
	}
	CHECK(same < 5);
}

/*
 * 256 processes started together, each seeded with backoff_seed(): their
 * first pauses spread over the range rather than falling on one instant,
 * and no two agree on their first three.
 */
static void storm(void)
{
	int64_t first[256][3];
	unsigned hist[8] = { 0 };

	for (int i = 0; i < 256; i++) {
		uint64_t s = backoff_seed();
		int64_t c = 250;

		for (int k = 0; k < 3; k++, c *= 2)
			first[i][k] = backoff_pause(&s, c, 0, 100000);
		hist[(first[i][0] - 125) * 8 / 126]++;
	}
	for (int i = 0; i < 8; i++)
		CHECK(hist[i] >= 8);	/* 32 expected in each eighth of [125, 250] ms */
	for (int i = 0; i < 256; i++)
		for (int j = 0; j < i; j++)
			CHECK(first[i][0] != first[j][0] || first[i][1] != first[j][1] ||
			      first[i][2] != first[j][2]);
}

int main(void)
{
	RUN(range);
	RUN(deadline);
	RUN(seeded);
	RUN(storm);
	T_EXIT();
}
