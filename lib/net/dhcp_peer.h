/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whether another DHCP client serves an interface, so that sanroot's lease
 * keeper stands by instead of being a second client for it. What counts:
 *   - a process holding both a UDP socket on port 68 and a packet socket
 *     bound to the interface (ISC dhclient, as ifupdown and NetworkManager
 *     run it, holds both for as long as it runs);
 *   - systemd-networkd's lease for the interface (/run/systemd/netif/leases/
 *     IFINDEX): networkd opens sockets only while it asks, so its lease file
 *     is what says it keeps the lease.
 * Read through descriptors of /proc and /run opened by the caller: the
 * keeper runs on after the switch to the real root, from the deleted
 * initramfs.
 */
#ifndef SANROOT_DHCP_PEER_H
#define SANROOT_DHCP_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Looks for another client of interface ifindex, leaving out process self.
 * Returns true and describes it in who ("dhclient (pid 812)",
 * "systemd-networkd"), or false. run_fd may be -1 (no networkd lookup).
 */
bool dhcp_peer_find(int proc_fd, int run_fd, int ifindex, pid_t self, char *who, size_t size);

/*
 * The same for DHCPv6: a process other than self holding a UDP socket on
 * port 546 (ISC dhclient -6 holds one for as long as it runs). A client
 * may serve every interface from that one socket, so any counts.
 */
bool dhcp6_peer_find(int proc_fd, pid_t self, char *who, size_t size);

/*
 * The inodes of the sockets in a /proc/net/packet or /proc/net/udp table
 * (text, len bytes) that match: packet sockets bound to ifindex, or UDP
 * sockets whose local port is port. Stores up to max of them in out and
 * returns how many matched (possibly more than max). Pure, for the tests.
 */
size_t dhcp_peer_packet_inodes(const char *text, size_t len, int ifindex, unsigned long *out,
			       size_t max);
size_t dhcp_peer_udp_inodes(const char *text, size_t len, unsigned port, unsigned long *out,
			    size_t max);

#endif
