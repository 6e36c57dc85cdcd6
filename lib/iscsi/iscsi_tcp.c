// SPDX-License-Identifier: GPL-2.0-only
/* The iSCSI transport over a plain TCP socket: non-blocking, every wait bounded by a deadline. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "iscsi/iscsi_tcp.h"

/* Wait for events on fd until deadline: 0 ready, -ETIMEDOUT, or another -errno. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		int64_t left = deadline - monotonic_ms();
		int rc;

		if (left <= 0)
			return -ETIMEDOUT;
		rc = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -errno;
	}
}

/* Write all of iov to the socket before deadline. */
static int write_iov(struct iscsi_tcp *c, struct iovec *iov, int cnt, int64_t deadline,
		     struct sr_error *err)
{
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)cnt };
	int rc;

	while (msg.msg_iovlen) {
		ssize_t n = sendmsg(c->fd, &msg, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				rc = wait_fd(c->fd, POLLOUT, deadline);
				if (rc == -ETIMEDOUT)
					return sr_fail(err, ETIMEDOUT, "the target stopped accepting data (timed out)");
				if (rc < 0)
					return sr_fail(err, -rc, "poll: %s", strerror(-rc));
				continue;
			}
			return sr_fail(err, errno, "connection lost while sending: %s", strerror(errno));
		}
		while (msg.msg_iovlen && (size_t)n >= msg.msg_iov[0].iov_len) {
			n -= (ssize_t)msg.msg_iov[0].iov_len;
			msg.msg_iov++;
			msg.msg_iovlen--;
		}
		if (msg.msg_iovlen) {
			msg.msg_iov[0].iov_base = (char *)msg.msg_iov[0].iov_base + n;
			msg.msg_iov[0].iov_len -= (size_t)n;
		}
	}
	return 0;
}

static int flush(struct iscsi_tcp *c, int64_t deadline, struct sr_error *err)
{
	struct iovec iov = { c->out, c->out_len };
	int rc;

	if (!c->out_len)
		return 0;
	rc = write_iov(c, &iov, 1, deadline, err);
	c->out_len = 0;
	return rc;
}

/*
 * Small PDUs wait in c->out and leave together with the next large one or
 * before we next wait for the target, so that commands sent in a row cost
 * one system call; a PDU with a large data segment goes out at once, its
 * data straight from the caller's buffer.
 */
static int tcp_send(struct iscsi_transport *t, const struct iscsi_pdu *pdu, int64_t deadline,
		    struct sr_error *err)
{
	struct iscsi_tcp *c = (struct iscsi_tcp *)t;
	struct iscsi_frame f;
	struct iovec iov[4];
	size_t total;
	int rc;

	rc = iscsi_frame(pdu, c->hdigest, c->ddigest, &f, err);
	if (rc < 0)
		return rc;
	total = f.head_len + pdu->data_len + f.tail_len;
	if (pdu->data_len <= ISCSI_TCP_SMALL && total <= sizeof(c->out) - c->out_len) {
		memcpy(c->out + c->out_len, f.head, f.head_len);
		if (pdu->data_len)
			memcpy(c->out + c->out_len + f.head_len, pdu->data, pdu->data_len);
		memcpy(c->out + c->out_len + f.head_len + pdu->data_len, f.tail, f.tail_len);
		c->out_len += total;
		return 0;
	}
	iov[0] = (struct iovec){ c->out, c->out_len };
	iov[1] = (struct iovec){ f.head, f.head_len };
	iov[2] = (struct iovec){ (void *)pdu->data, pdu->data_len };
	iov[3] = (struct iovec){ f.tail, f.tail_len };
	rc = write_iov(c, iov, 4, deadline, err);
	c->out_len = 0;
	return rc;
}

/* Bytes for the decoder from the socket, at most want unless reading ahead. */
static ssize_t fill(struct iscsi_tcp *c, uint8_t *space, size_t want)
{
	if (c->ahead_off < c->ahead_len) {
		size_t n = c->ahead_len - c->ahead_off;

		if (n > want)
			n = want;
		memcpy(space, c->ahead + c->ahead_off, n);
		c->ahead_off += n;
		return (ssize_t)n;
	}
	if (c->readahead && want < sizeof(c->ahead)) {
		/* Headers and small segments: take whatever has arrived, in one call. */
		ssize_t n = recv(c->fd, c->ahead, sizeof(c->ahead), 0);

		if (n <= 0)
			return n;
		c->ahead_len = (size_t)n;
		c->ahead_off = 0;
		return fill(c, space, want);
	}
	return recv(c->fd, space, want, 0);
}

static int tcp_recv(struct iscsi_transport *t, struct iscsi_pdu *pdu, int64_t deadline,
		    struct sr_error *err)
{
	struct iscsi_tcp *c = (struct iscsi_tcp *)t;
	int rc;

	rc = flush(c, deadline, err);
	if (rc < 0)
		return rc;
	for (;;) {
		size_t want;
		uint8_t *space = iscsi_rx_space(&c->rx, &want);
		ssize_t n = fill(c, space, want);

		if (n == 0)
			return sr_fail(err, ECONNRESET, "the target closed the connection");
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return sr_fail(err, errno, "connection lost: %s", strerror(errno));
			rc = wait_fd(c->fd, POLLIN, deadline);
			if (rc == -ETIMEDOUT)
				return sr_fail_why(err, ETIMEDOUT, SR_R_TARGET_SILENT,
						   "the target did not answer in time");
			if (rc < 0)
				return sr_fail(err, -rc, "poll: %s", strerror(-rc));
			continue;
		}
		rc = iscsi_rx_advance(&c->rx, (size_t)n, pdu, err);
		if (rc != 0)
			return rc < 0 ? rc : 0;
		if (t->steer) {
			const uint8_t *bhs;
			size_t dsl;

			if (iscsi_rx_head_ready(&c->rx, &bhs, &dsl))
				iscsi_rx_steer(&c->rx, t->steer(t->steer_ctx, bhs, dsl));
		}
	}
}

static int tcp_set_digests(struct iscsi_transport *t, bool header, bool data, uint32_t max_recv,
			   struct sr_error *err)
{
	struct iscsi_tcp *c = (struct iscsi_tcp *)t;

	c->hdigest = header;
	c->ddigest = data;
	/* Full feature phase in userspace: the socket stays ours, so reading ahead is safe. */
	c->readahead = true;
	return iscsi_rx_configure(&c->rx, max_recv, header, data, err);
}

/* What a failed connect(2) says about the path to the portal. */
static enum sr_reason connect_reason(int code)
{
	switch (code) {
	case ECONNREFUSED:
		return SR_R_PORTAL_REFUSED;
	case ETIMEDOUT:
		return SR_R_PORTAL_TIMEOUT;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return SR_R_PORTAL_UNREACHABLE;
	default:
		return SR_R_NONE;
	}
}

static int connect_one(const struct addrinfo *ai, int64_t deadline, int *fdp)
{
	int fd, one = 1, rc;
	socklen_t len = sizeof(rc);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	/* Login and commands are request/response: never hold a PDU back. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			rc = -errno;
			goto err;
		}
		rc = wait_fd(fd, POLLOUT, deadline);
		if (rc < 0)
			goto err;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &rc, &len) < 0) {
			rc = -errno;
			goto err;
		}
		if (rc) {
			rc = -rc;
			goto err;
		}
	}
	*fdp = fd;
	return 0;
err:
	close(fd);
	return rc;
}

int iscsi_tcp_connect(struct iscsi_tcp *c, const struct hostport *portal, uint32_t max_recv,
		      int64_t deadline, struct sr_error *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	const char *zone;
	char port[8];
	int rc, last = -EHOSTUNREACH;
	socklen_t len;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->t.send = tcp_send;
	c->t.recv = tcp_recv;
	c->t.set_digests = tcp_set_digests;
	hostport_format(portal, c->name, sizeof(c->name));

	if (hostport_link_local(portal, &zone) && !*zone)
		return sr_fail_why(err, EINVAL, SR_R_PORTAL_UNREACHABLE,
				   "%s is link-local: name the interface too, as [%s%%eth0]:%u", portal->host,
				   portal->host, portal->port);
	snprintf(port, sizeof(port), "%u", portal->port);
	rc = getaddrinfo(portal->host, port, &hints, &res);
	if (rc == EAI_AGAIN)
		return sr_fail_why(err, EAGAIN, SR_R_PORTAL_UNRESOLVED, "cannot resolve %s yet (name server unreachable)", portal->host);
	if (rc)
		return sr_fail_why(err, ENOENT, SR_R_PORTAL_UNRESOLVED, "cannot resolve %s: %s", portal->host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		rc = connect_one(ai, deadline, &c->fd);
		if (rc == 0) {
			memcpy(&c->peer, ai->ai_addr, ai->ai_addrlen);
			break;
		}
		last = rc;
		if (rc == -ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	if (c->fd < 0) {
		if (last == -ETIMEDOUT)
			return sr_fail_why(err, ETIMEDOUT, SR_R_PORTAL_TIMEOUT, "connecting timed out");
		return sr_fail_why(err, -last, connect_reason(-last), "cannot connect: %s",
				   strerror(-last));
	}
	len = sizeof(c->local);
	getsockname(c->fd, (struct sockaddr *)&c->local, &len);
	rc = iscsi_rx_init(&c->rx, max_recv, err);
	if (rc < 0) {
		iscsi_tcp_close(c);
		return rc;
	}
	return 0;
}

void iscsi_tcp_close(struct iscsi_tcp *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	iscsi_rx_free(&c->rx);
}

int iscsi_tcp_release(struct iscsi_tcp *c, struct sr_error *err)
{
	int fd = c->fd;

	if (c->out_len || c->ahead_off < c->ahead_len)
		return sr_fail(err, EBUSY, "the connection still holds PDU bytes in userspace");

	c->fd = -1;
	iscsi_rx_free(&c->rx);
	return fd;
}
