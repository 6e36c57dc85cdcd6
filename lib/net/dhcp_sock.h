/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DHCP client's packet socket (packet(7)): IPv4 frames to and from one
 * interface before it has an address, filtered in the kernel to UDP port 68.
 */
#ifndef SANROOT_DHCP_SOCK_H
#define SANROOT_DHCP_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/error.h"

/* Open and bind to ifindex; the interface must be up. Returns the fd (non-blocking). */
int dhcp_sock_open(int ifindex, struct sr_error *err);

/* Send an IPv4 frame (from dhcp_build_frame) to the Ethernet broadcast address. */
int dhcp_sock_send(int fd, int ifindex, const void *frame, size_t len, struct sr_error *err);

/*
 * Read one frame: its length, 0 when none is waiting, or a negative errno.
 * *check_sum is false when the sender left the UDP checksum for hardware to
 * fill (a veth or bridge on the same host), so there is nothing to verify.
 * Frames longer than size are dropped (-EMSGSIZE).
 */
ssize_t dhcp_sock_recv(int fd, void *buf, size_t size, bool *check_sum, struct sr_error *err);

#endif
