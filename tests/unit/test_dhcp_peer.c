// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/net/dhcp_peer: the socket tables as Linux 6.1 prints them
 * (/proc/net/packet and /proc/net/udp, taken from a guest running dhclient
 * and from a host with sockets of every kind), and lines that are not.
 */
#include <string.h>

#include "net/dhcp_peer.h"
#include "t.h"

static const char packet[] =
	"sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n"
	"ffff8f1c8a3c7000 3      3    0003   2     1 0      0      16843\n"	/* dhclient on 2 */
	"ffff8f1c8a3c5800 3      2    0800   3     1 0      0      20117\n"
	"ffff8f1c8a3c6000 3      3    0003   0     1 0      0      901\n"	/* any interface */
	"ffff8f1c8a3c4800 3      3    0003   2     0 0      0      23\n";

static const char udp[] =
	"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            \n"
	"  161: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 16841 2 0000000000000000 0         \n"
	"  161: 0F02000A:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 16990 2 0000000000000000 0         \n"
	"  303: 00000000:00A2 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 11523 2 0000000000000000 0         \n"
	"  162: 00000000:0045 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 100 2 0000000000000000 0         \n";

static void tables(void)
{
	unsigned long in[8];

	CHECK_INT(dhcp_peer_packet_inodes(packet, strlen(packet), 2, in, 8), 2);
	CHECK_INT(in[0], 16843);
	CHECK_INT(in[1], 23);
	CHECK_INT(dhcp_peer_packet_inodes(packet, strlen(packet), 3, in, 8), 1);
	CHECK_INT(in[0], 20117);
	/* Bound to no interface is not bound to ours; index 0 is never asked for. */
	CHECK_INT(dhcp_peer_packet_inodes(packet, strlen(packet), 0, in, 8), 0);
	CHECK_INT(dhcp_peer_packet_inodes(packet, strlen(packet), 7, in, 8), 0);

	CHECK_INT(dhcp_peer_udp_inodes(udp, strlen(udp), 68, in, 8), 2);
	CHECK_INT(in[0], 16841);
	CHECK_INT(in[1], 16990);
	CHECK_INT(dhcp_peer_udp_inodes(udp, strlen(udp), 162, in, 8), 1);
	CHECK_INT(dhcp_peer_udp_inodes(udp, strlen(udp), 67, in, 8), 0);
	/* More than fit: counted, not stored. */
	CHECK_INT(dhcp_peer_udp_inodes(udp, strlen(udp), 68, in, 1), 2);
	CHECK_INT(in[0], 16841);

	/* /proc/net/udp6: the same columns, 128-bit addresses; dhclient -6 on port 546 (0x222). */
	static const char udp6[] =
		"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		"  310: 00000000000000000000000000000000:0222 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 88123 2 0000000000000000 0\n"
		"  311: 000080FE00000000FF0254E5FE123456:0223 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 88124 2 0000000000000000 0\n";

	CHECK_INT(dhcp_peer_udp_inodes(udp6, strlen(udp6), 546, in, 8), 1);
	CHECK_INT(in[0], 88123);
	CHECK_INT(dhcp_peer_udp_inodes(udp6, strlen(udp6), 547, in, 8), 1);
	CHECK_INT(in[0], 88124);
}

static void not_tables(void)
{
	static const char *const bad[] = {
		"",
		"header only\n",
		"h\nffff 3 3 0003 2 1 0 0\n",			/* no inode */
		"h\nffff 3 3 0003 2x 1 0 0 55\n",		/* not a number */
		"h\nffff 3 3 0003 -2 1 0 0 55\n",
		"h\nffff 3 3 0003 2 1 0 0 0\n",			/* inode 0 */
		"h\nffff 3 3 0003 2 1 0 0 99999999999999999999999999\n",
	};
	unsigned long in[2];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(dhcp_peer_packet_inodes(bad[i], strlen(bad[i]), 2, in, 2), 0);
		CHECK_INT(dhcp_peer_udp_inodes(bad[i], strlen(bad[i]), 68, in, 2), 0);
	}
	/* The last line without its newline still counts; a port must be all hex. */
	CHECK_INT(dhcp_peer_packet_inodes("h\nffff 3 3 0003 2 1 0 0 55", 26, 2, in, 2), 1);
	CHECK_INT(dhcp_peer_udp_inodes("h\n 1: 0:0044g 0:0 07 0:0 0:0 0 0 0 77\n", 37, 68, in, 2), 0);
	CHECK_INT(dhcp_peer_udp_inodes("h\n 1: 0:0044 0:0 07 0:0 0:0 0 0 0 77\n", 36, 68, in, 2), 1);
}

int main(void)
{
	RUN(tables);
	RUN(not_tables);
	T_EXIT();
}
