// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz the plan sanroot-boot hands its tools: decoding, then every way a tool prints it. */
#include <stdint.h>
#include <stdio.h>

#include "plan/plan_blob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct plan p;
	static FILE *null;
	struct sr_error err;

	if (!null)
		null = fopen("/dev/null", "w");
	if (plan_blob_decode(data, size, &p, &err) == 0) {
		plan_write_explain(&p, null);
		plan_write_shell(&p, null, true);
		plan_write_json(&p, null, false);
	}
	return 0;
}
