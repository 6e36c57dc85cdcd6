// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for lib/lvm_meta: the input is one metadata text, as a
 * metadata area holds it. What parses also goes through lib/lvm_dm.
 * tests/fuzz/lvm_corpus.py makes the seeds (named after the fixtures); the
 * other inputs are what libFuzzer kept from 150-s runs (-merge=1).
 */
#include <stdint.h>
#include <stdio.h>

#include "lvm/lvm_dm.h"
#include "lvm/lvm_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *pvdev[LVM_MAX_PVS];
	struct lvm_vg vg;
	struct sr_error err;

	if (lvm_meta_parse((const char *)data, size, &vg, &err) == 0) {
		for (unsigned p = 0; p < vg.npv; p++)
			pvdev[p] = p % 3 ? "253:1" : NULL;
		for (unsigned i = 0; i < vg.nlv; i++) {
			struct lvm_dm_table t;
			char name[LVM_DM_NAME_MAX], uuid[LVM_DM_UUID_MAX];

			lvm_dm_name(vg.name, vg.lv[i].name, name, &err);
			lvm_dm_uuid(&vg, &vg.lv[i], uuid);
			if (lvm_dm_table_build(&vg, &vg.lv[i], pvdev, &t, &err) == 0)
				lvm_dm_table_free(&t);
		}
	}
	lvm_vg_free(&vg);
	return 0;
}
