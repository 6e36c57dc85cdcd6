// SPDX-License-Identifier: GPL-2.0-only
/*
 * An AF_PACKET/SOCK_DGRAM socket for DHCP (packet(7)): the classic BPF filter
 * passes unfragmented IPv4 UDP to port 68, and PACKET_AUXDATA says whether a
 * checksum is there to verify.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/dhcp.h"
#include "net/dhcp_sock.h"

/* Offsets are from the IPv4 header: a SOCK_DGRAM packet socket strips the link layer. */
static const struct sock_filter dhcp_filter[] = {
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),			/* protocol */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 6),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),			/* flags, fragment offset */
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 4, 0),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),			/* X = header length */
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),			/* UDP destination port */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

int dhcp_sock_open(int ifindex, struct sr_error *err)
{
	struct sock_fprog prog = {
		.len = sizeof(dhcp_filter) / sizeof(dhcp_filter[0]),
		.filter = (struct sock_filter *)dhcp_filter,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = ifindex,
	};
	int fd, one = 1, e;
	socklen_t elen = sizeof(e);

	/* Protocol 0 receives nothing until bind(), so no frame slips past the filter. */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return sr_fail(err, errno, "packet socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		e = errno;
		close(fd);
		return sr_fail(err, e, "attaching the BPF filter: %s", strerror(e));
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0) {
		e = errno;
		close(fd);
		return sr_fail(err, e, "PACKET_AUXDATA: %s", strerror(e));
	}
	/*
	 * Straight to the driver: a DISCOVER sent in the moment between carrier
	 * and linkwatch's activation of the transmit queue would meet the noop
	 * qdisc, which drops it, and the retransmission is a second away. Linux
	 * before 3.14 has no bypass: nothing worse than that happens there.
	 */
	(void)setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		e = errno;
		close(fd);
		return sr_fail(err, e, "binding the packet socket: %s", strerror(e));
	}
	/* A bind to a down interface leaves ENETDOWN pending; poll() would report it forever. */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) == 0 && e) {
		close(fd);
		return sr_fail(err, e, "the interface is not up: %s", strerror(e));
	}
	return fd;
}

int dhcp_sock_send(int fd, int ifindex, const void *frame, size_t len, struct sr_error *err)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
		.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	ssize_t n;

	do
		n = sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return sr_fail(err, errno, "sending: %s", strerror(errno));
	if ((size_t)n != len)
		return sr_fail(err, EIO, "sent %zd of %zu bytes", n, len);
	return 0;
}

ssize_t dhcp_sock_recv(int fd, void *buf, size_t size, bool *check_sum, struct sr_error *err)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} cbuf;
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	*check_sum = true;
	do
		n = recvmsg(fd, &msg, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return sr_fail(err, errno, "receiving: %s", strerror(errno));
	}
	if (msg.msg_flags & MSG_TRUNC)
		return sr_fail(err, EMSGSIZE, "a frame longer than %zu bytes", size);
	if (from.sll_pkttype == PACKET_OUTGOING)
		return sr_fail(err, EAGAIN, "our own frame");
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		struct tpacket_auxdata aux;

		if (cm->cmsg_level != SOL_PACKET || cm->cmsg_type != PACKET_AUXDATA ||
		    cm->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
		if (aux.tp_status & TP_STATUS_CSUMNOTREADY)
			*check_sum = false;
	}
	return n;
}
