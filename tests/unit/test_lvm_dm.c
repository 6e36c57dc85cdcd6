// SPDX-License-Identifier: GPL-2.0-only
/* lib/lvm_dm: device-mapper names, UUIDs and table lines, as lvm2 makes them. */
#include <errno.h>

#include "lvm/lvm_dm.h"
#include "t.h"

static const char meta[] =
	"vg {\nid = \"zT1Ci9-n0HV-3S2A-IiOy-23zE-w6kI-7LjaoP\"\nseqno = 1\n"
	"status = [\"READ\", \"WRITE\"]\nextent_size = 8192\n"
	"physical_volumes {\n"
	"pv0 { id = \"O1vBBf-ePp0-dep1-VOVK-pnOM-kqop-6qRpEQ\" status = [] pe_start = 2048 pe_count = 100 }\n"
	"pv1 { id = \"P1vBBf-ePp0-dep1-VOVK-pnOM-kqop-6qRpEQ\" status = [] pe_start = 384 pe_count = 100 }\n"
	"}\n"
	"logical_volumes {\n"
	"lv { id = \"Pq0icA-kpht-ERi0-hc1n-pc91-HeVK-N335GP\" status = [\"READ\", \"VISIBLE\"] segment_count = 3\n"
	"segment1 { start_extent = 0 extent_count = 2 type = \"striped\" stripe_count = 1 stripes = [\"pv0\", 5] }\n"
	"segment2 { start_extent = 2 extent_count = 4 type = \"striped\" stripe_count = 2 stripe_size = 128\n"
	"           stripes = [\"pv1\", 0, \"pv0\", 10] }\n"
	"segment3 { start_extent = 6 extent_count = 1 type = \"striped\" stripe_count = 1 stripes = [\"pv1\", 2] }\n"
	"}\n"
	"}\n"
	"}\n"
	"contents = \"Text Format Volume Group\"\nversion = 1\n";

static void names(void)
{
	char name[LVM_DM_NAME_MAX], vg[128], lv[128];
	struct sr_error err = { 0 };

	CHECK_INT(lvm_dm_name("client", "rootfs", name, &err), 0);
	CHECK_STR(name, "client-rootfs");
	CHECK_INT(lvm_dm_name("san-vg", "root-lv", name, &err), 0);
	CHECK_STR(name, "san--vg-root--lv");
	CHECK_INT(lvm_dm_name("a--b", "-", name, &err), 0);
	CHECK_STR(name, "a----b---");
	/* 127 characters fit device-mapper's 128 with the NUL; doubling can overflow it. */
	memset(vg, 'v', 63);
	vg[63] = '\0';
	memset(lv, 'l', 63);
	lv[63] = '\0';
	CHECK_INT(lvm_dm_name(vg, lv, name, &err), 0);
	CHECK_INT(strlen(name), 127);
	lv[0] = '-';
	CHECK_INT(lvm_dm_name(vg, lv, name, &err), -ENAMETOOLONG);
	memset(lv, 'l', 127);
	lv[127] = '\0';
	memset(vg, '-', 127);
	vg[127] = '\0';
	CHECK_INT(lvm_dm_name(vg, lv, name, &err), -ENAMETOOLONG);
}

static void uuid_and_tables(void)
{
	struct lvm_vg vg;
	struct lvm_dm_table t;
	struct sr_error err = { 0 };
	const char *dev[] = { "8:16", "254:3" }, *partial[] = { "8:16", NULL };
	char uuid[LVM_DM_UUID_MAX], *out = NULL;
	size_t outlen = 0;
	FILE *f;

	CHECK_INT(lvm_meta_parse(meta, sizeof(meta) - 1, &vg, &err), 0);
	lvm_dm_uuid(&vg, &vg.lv[0], uuid);
	CHECK_STR(uuid, "LVM-zT1Ci9n0HV3S2AIiOy23zEw6kI7LjaoPPq0icAkphtERi0hc1npc91HeVKN335GP");

	CHECK_INT(lvm_dm_table_build(&vg, &vg.lv[0], dev, &t, &err), 0);
	CHECK_INT(t.n, 3);
	f = open_memstream(&out, &outlen);
	lvm_dm_table_write(f, "vg-lv", &t);
	fclose(f);
	CHECK_STR(out, "vg-lv: 0 16384 linear 8:16 43008\n"
		       "vg-lv: 16384 32768 striped 2 128 254:3 384 8:16 83968\n"
		       "vg-lv: 49152 8192 linear 254:3 16768\n");
	free(out);
	lvm_dm_table_free(&t);

	/* A missing PV: its segments fail I/O, the others map as before. */
	CHECK_INT(lvm_dm_table_build(&vg, &vg.lv[0], partial, &t, &err), 0);
	CHECK_STR(t.t[0].type, "linear");
	CHECK_STR(t.t[1].type, "error");
	CHECK_STR(t.t[1].params, "");
	CHECK_STR(t.t[2].type, "error");
	f = open_memstream(&out, &outlen);
	lvm_dm_table_write(f, "vg-lv", &t);
	fclose(f);
	CHECK(strstr(out, "vg-lv: 16384 32768 error\n"));
	free(out);
	lvm_dm_table_free(&t);

	snprintf(vg.lv[0].unsupported, sizeof(vg.lv[0].unsupported), "segment type thin");
	CHECK_INT(lvm_dm_table_build(&vg, &vg.lv[0], dev, &t, &err), -EOPNOTSUPP);
	lvm_vg_free(&vg);
}

static void wide_stripes(void)
{
	char *text = malloc(64 * 1024), *out = NULL;
	size_t n = 0, outlen = 0;
	struct lvm_vg vg;
	struct lvm_dm_table t;
	struct sr_error err = { 0 };
	const char *dev[128];
	char names[128][16];
	FILE *f;

	/* 128 PVs, one LV striped over all of them: a long parameter string. */
	n += (size_t)sprintf(text + n, "vg {\nid = \"zT1Ci9-n0HV-3S2A-IiOy-23zE-w6kI-7LjaoP\"\nseqno = 1\n"
			     "status = [\"READ\", \"WRITE\"]\nextent_size = 8\nphysical_volumes {\n");
	for (int i = 0; i < 128; i++) {
		n += (size_t)sprintf(text + n, "pv%d { id = \"O1vBBfePp0dep1VOVKpnOMkqop6q%04d\" status = [] pe_start = 2048 pe_count = 10 }\n",
				     i, i);
		snprintf(names[i], sizeof(names[i]), "259:%d", 1000 + i);
		dev[i] = names[i];
	}
	n += (size_t)sprintf(text + n, "}\nlogical_volumes {\nlv { id = \"Pq0icA-kpht-ERi0-hc1n-pc91-HeVK-N335GP\" "
			     "status = [\"READ\", \"VISIBLE\"] segment_count = 1\n"
			     "segment1 { start_extent = 0 extent_count = 1280 type = \"striped\" stripe_count = 128 stripe_size = 8\nstripes = [");
	for (int i = 0; i < 128; i++)
		n += (size_t)sprintf(text + n, "\"pv%d\", 0,", i);
	n += (size_t)sprintf(text + n, "] }\n}\n}\n}\ncontents = \"Text Format Volume Group\"\nversion = 1\n");
	CHECK_INT(lvm_meta_parse(text, n, &vg, &err), 0);
	CHECK_INT(lvm_dm_table_build(&vg, &vg.lv[0], dev, &t, &err), 0);
	f = open_memstream(&out, &outlen);
	lvm_dm_table_write(f, "vg-lv", &t);
	fclose(f);
	CHECK(!strncmp(out, "vg-lv: 0 10240 striped 128 8 259:1000 2048 259:1001 2048 ", 57));
	CHECK(strstr(out, " 259:1127 2048\n"));
	free(out);
	lvm_dm_table_free(&t);
	lvm_vg_free(&vg);
	free(text);
}

int main(void)
{
	RUN(names);
	RUN(uuid_and_tables);
	RUN(wide_stripes);
	T_EXIT();
}
