/* SPDX-License-Identifier: GPL-2.0-only */
/* CRC32C (Castagnoli), the iSCSI header and data digest: RFC 7143 §13.1, RFC 3385. */
#ifndef SANROOT_CRC32C_H
#define SANROOT_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * Continue a CRC32C over len more bytes. Start with crc = 0; the value
 * returned is final (inverted) and may be fed back in to extend it.
 * iSCSI sends the value least significant byte first (RFC 7143 §13.1).
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

#endif
