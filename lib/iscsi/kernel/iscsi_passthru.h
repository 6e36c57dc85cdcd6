/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Login PDUs through the kernel: a transport (lib/iscsi_pdu.h) whose requests
 * leave as NETLINK_ISCSI SEND_PDU on a bound connection and whose answers
 * come back as RECV_PDU events. The kernel puts its own ITT and its session's
 * CmdSN into each request, so the login engine runs with itt_rewritten.
 */
#ifndef SANROOT_ISCSI_PASSTHRU_H
#define SANROOT_ISCSI_PASSTHRU_H

#include <stdint.h>

#include "iscsi/iscsi_login.h"
#include "iscsi/kernel/iscsi_nl.h"
#include "iscsi/iscsi_pdu.h"

/*
 * Called for every kernel event that is not this connection's: another
 * session's CONN_ERROR must not be lost while a login waits. ev is NULL when
 * the kernel reported lost events.
 */
typedef void (*iscsi_event_fn)(void *ctx, const struct iscsi_nl_event *ev);

struct iscsi_passthru {
	struct iscsi_transport t;	/* first, so a transport pointer is this */
	struct iscsi_nl *nl;
	uint32_t sid, cid;
	iscsi_event_fn on_event;
	void *ctx;
	/* One answer: its BHS and a data segment twice what login PDUs may carry. */
	uint8_t buf[ISCSI_BHS_LEN + 2 * ISCSI_LOGIN_PDU_DATA];
};

void iscsi_passthru_init(struct iscsi_passthru *p, struct iscsi_nl *nl, uint32_t sid,
			 uint32_t cid, iscsi_event_fn on_event, void *ctx);

#endif
