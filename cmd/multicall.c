// SPDX-License-Identifier: GPL-2.0-only
/*
 * sanroot: every sanroot tool in one static binary, chosen by the name it runs
 * under (a link named sanroot-config, switch_root, iscsistart, ...) or by its
 * first argument (sanroot config --explain).
 */
#include <stdio.h>
#include <string.h>

#include "tools.h"

static const struct tool {
	const char *name;
	int (*main)(int, char **);
} tools[] = { SANROOT_TOOLS };

/* The names other stacks call these tools by. */
static const struct { const char *alias, *tool; } aliases[] = {
	{ "switch_root", "sanroot-pivot" },
	{ "run-init", "sanroot-pivot" },
	{ "iscsistart", "sanroot-iscsi" },
	{ "ipconfig", "sanroot-net" },
};

static const struct tool *find(const char *name)
{
	char full[64];

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i].alias))
			name = aliases[i].tool;
	if (strncmp(name, "sanroot-", 8)) {
		snprintf(full, sizeof(full), "sanroot-%s", name);
		name = full;
	}
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (!strcmp(name, tools[i].name))
			return &tools[i];
	return NULL;
}

static int list(FILE *f)
{
	fputs("Usage: sanroot TOOL [ARG]...   or a link named after the tool\n\nTools:", f);
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		fprintf(f, " %s", tools[i].name);
	fputs("\nAliases:", f);
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (find(aliases[i].tool))
			fprintf(f, " %s", aliases[i].alias);
	fputc('\n', f);
	return f == stdout ? 0 : 100;
}

int main(int argc, char **argv)
{
	const char *me = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const struct tool *t;

	if (me[0] == '@')	/* a root-storage daemon's name, as systemd reads it */
		me++;
	if (strcmp(me, "sanroot") && (t = find(me)))
		return t->main(argc, argv);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return list(argc < 2 ? stderr : stdout);
	if (!(t = find(argv[1]))) {
		fprintf(stderr, "sanroot: unknown tool '%s'\n", argv[1]);
		return list(stderr);
	}
	return t->main(argc - 1, argv + 1);
}
