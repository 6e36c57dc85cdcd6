/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel command line tokenizing (the kernel's own quoting rules). */
#ifndef SANROOT_CMDLINE_H
#define SANROOT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

struct cmdline_arg {
	const char *key;
	size_t keylen;
	const char *val;	/* NULL when the argument has no '=' */
	size_t vallen;
	size_t pos;		/* offset of the argument in the text */
};

/*
 * Return the next argument of text[*off..len) and advance *off, or false at
 * the end or at "--" (what follows belongs to init). As the kernel does:
 * whitespace outside double quotes separates arguments, a quote opening the
 * argument or its value is dropped together with a quote closing the
 * argument, and quotes elsewhere are kept.
 */
bool cmdline_next(const char *text, size_t len, size_t *off, struct cmdline_arg *a);

#endif
