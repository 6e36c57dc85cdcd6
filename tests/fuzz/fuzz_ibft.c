// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz the iBFT parser: the table as given, its dump and fw records, the low-memory scan, and the plan built from it. */
#include <stdint.h>
#include <stdio.h>

#include "firmware/ibft.h"
#include "plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ibft t;
	static struct plan p;
	static FILE *null;
	struct sr_error err;
	long off;

	if (!null)
		null = fopen("/dev/null", "w");
	if (ibft_parse(data, size, &t, &err) == 0) {
		struct plan_input *in = plan_input_new();

		ibft_write_dump(&t, null, true);
		ibft_write_fwparam(&t, NULL, "fuzz", null, true);
		plan_add_ibft(in, &t, "fuzz");
		if (plan_resolve(in, &p, &err) == 0)
			plan_write_explain(&p, null);
		plan_input_free(in);
	}
	off = ibft_scan(data, size);
	if (off >= 0)
		ibft_parse(data + off, size - (size_t)off, &t, &err);
	return 0;
}
