/* SPDX-License-Identifier: GPL-2.0-only */
/* Quoting for the two places bytes leave a tool: shell-sourced files and logs. */
#ifndef SANROOT_QUOTE_H
#define SANROOT_QUOTE_H

#include <stddef.h>
#include <stdio.h>

/* Write s single-quoted so that `. file` yields exactly s, whatever its bytes. */
void quote_shell(FILE *f, const char *s);

/* Write s as a JSON string, with quotes; bytes >= 0x80 pass through. */
void quote_json(FILE *f, const char *s);

/*
 * Copy len bytes of wire data into dst (size dstlen, always terminated) with
 * everything but printable ASCII shown as \xNN, for logs. Returns dst.
 */
char *quote_printable(char *dst, size_t dstlen, const void *src, size_t len);

#endif
