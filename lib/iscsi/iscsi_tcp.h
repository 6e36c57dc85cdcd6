/* SPDX-License-Identifier: GPL-2.0-only */
/* iSCSI over a plain TCP socket: the transport the rescue commands use (RFC 7143 §4.2). */
#ifndef SANROOT_ISCSI_TCP_H
#define SANROOT_ISCSI_TCP_H

#include <sys/socket.h>

#include "iscsi/iscsi_pdu.h"
#include "core/hostport.h"

#define ISCSI_TCP_SMALL 1024	/* data segments up to this wait to go out together */

/*
 * Until set_digests() starts the full feature phase, no byte past the PDU
 * being received is read, so that the socket can go to the kernel after the
 * login with nothing of the target's left behind in userspace.
 */
struct iscsi_tcp {
	struct iscsi_transport t;	/* first, so a transport pointer is this */
	int fd;
	struct iscsi_rx rx;
	bool hdigest, ddigest;
	bool readahead;
	uint8_t out[8192];		/* small PDUs waiting to be sent */
	size_t out_len;
	uint8_t ahead[16384];		/* read ahead of the decoder (full feature only) */
	size_t ahead_len, ahead_off;
	struct sockaddr_storage local, peer;	/* as connected, for the kernel's SET_PARAM */
	char name[HOSTPORT_TEXT_MAX];		/* "host:port" or "[v6]:port", for messages */
};

/*
 * Resolve the portal and connect to the first address that answers before
 * deadline. Login PDUs up to max_recv bytes of data are accepted until
 * set_digests() changes it. On failure nothing stays open.
 */
int iscsi_tcp_connect(struct iscsi_tcp *c, const struct hostport *portal, uint32_t max_recv,
		      int64_t deadline, struct sr_error *err);
void iscsi_tcp_close(struct iscsi_tcp *c);
/*
 * Give the socket away (to the kernel) after a login: the caller owns the
 * returned fd. Fails if PDUs still wait to be sent or bytes were read ahead.
 */
int iscsi_tcp_release(struct iscsi_tcp *c, struct sr_error *err);

#endif
